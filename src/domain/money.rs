//! Exact amounts of money: parsed once at the boundary, never rounded, never NaN.
//!
//! `Money` wraps a `rust_decimal::Decimal` held at exactly two decimal places. It can
//! be negative (a command may *ask* for a negative deposit, and the account's rules
//! reject it with their own message), but its magnitude never exceeds [`Money::MAX`].
//! It knows nothing of accounts.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// Why a text is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("amount is empty")]
    Empty,
    #[error("\"{0}\" is not an amount (write it like 12.50)")]
    NotANumber(String),
    #[error("\"{0}\" has more than 2 decimal places")]
    TooManyDecimals(String),
    #[error("\"{0}\" is beyond the limit of {max}", max = Money::MAX)]
    OutOfRange(String),
}

/// An exact amount with two decimal places, |amount| <= [`Money::MAX`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

impl Money {
    /// The largest magnitude an amount or a balance may have: 1,000,000,000.00.
    // 1e11 cents = 23 * 2^32 + 1_215_752_192.
    pub const MAX: Money = Money(Decimal::from_parts(1_215_752_192, 23, 0, false, 2));
    /// 0.00
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    /// Parses text such as `"250"`, `"250.5"` or `"-3.25"`. Rejects more than two
    /// decimal places, exponents, NaN, infinities and anything beyond [`Money::MAX`].
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        let well_formed = trimmed
            .strip_prefix(['-', '+'])
            .unwrap_or(trimmed)
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
            && trimmed.chars().any(|c| c.is_ascii_digit())
            && trimmed.matches('.').count() <= 1;
        if !well_formed {
            return Err(MoneyError::NotANumber(trimmed.to_owned()));
        }
        // Count the decimals in the text itself: a Decimal holds at most 28 and would
        // round longer fractions before they could be refused.
        let decimals = trimmed
            .split_once('.')
            .map_or(0, |(_, fraction)| fraction.trim_end_matches('0').len());
        if decimals > 2 {
            return Err(MoneyError::TooManyDecimals(trimmed.to_owned()));
        }
        // Base 10 is `Decimal::from_str` without its fallback to exponents, which the
        // check above already refused (less code in the download).
        let value = match Decimal::from_str_radix(trimmed, 10) {
            Ok(value) => value,
            // Only length can make a well-formed number fail to fit a Decimal.
            Err(_) => return Err(MoneyError::OutOfRange(trimmed.to_owned())),
        };
        if value.normalize().scale() > 2 {
            return Err(MoneyError::TooManyDecimals(trimmed.to_owned()));
        }
        Money::from_decimal(value).ok_or_else(|| MoneyError::OutOfRange(trimmed.to_owned()))
    }

    /// An amount from a whole number of cents; `None` beyond [`Money::MAX`].
    #[must_use]
    pub fn from_cents(cents: i64) -> Option<Money> {
        Money::from_decimal(Decimal::new(cents, 2))
    }

    /// An amount from a decimal with at most two decimal places within the bound.
    #[must_use]
    pub fn from_decimal(value: Decimal) -> Option<Money> {
        if value.normalize().scale() > 2 || value.abs() > Money::MAX.0 {
            return None;
        }
        let mut value = value;
        value.rescale(2);
        Some(Money(value))
    }

    /// The amount as a decimal.
    #[must_use]
    pub fn to_decimal(self) -> Decimal {
        self.0
    }

    /// The amount in cents (exact, since the scale is always 2).
    #[must_use]
    pub fn cents(self) -> i64 {
        // |amount| <= 1e9, so cents <= 1e11: always fits.
        i64::try_from(self.0.mantissa()).unwrap_or(i64::MAX)
    }

    #[must_use]
    pub fn is_positive(self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    #[must_use]
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    #[must_use]
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// `self + other`, or `None` past [`Money::MAX`].
    #[must_use]
    pub fn checked_add(self, other: Money) -> Option<Money> {
        Money::from_decimal(self.0.checked_add(other.0)?)
    }

    /// `self - other`, or `None` past [`Money::MAX`].
    #[must_use]
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        Money::from_decimal(self.0.checked_sub(other.0)?)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The scale is always 2, so this prints e.g. "100.00" and "-0.50".
        if self.0.is_zero() {
            return f.write_str("0.00");
        }
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Money::parse(text)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a string, like \"12.50\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_kept_exactly_with_two_decimals() {
        assert_eq!(Money::parse("100").unwrap().to_string(), "100.00");
        assert_eq!(Money::parse(" 0.1 ").unwrap().to_string(), "0.10");
        assert_eq!(Money::parse("-5").unwrap().to_string(), "-5.00");
        assert_eq!(Money::parse("1.000").unwrap().to_string(), "1.00");
        // Longer than a Decimal holds: the trailing zeros are dropped, not refused.
        let long = format!("2.5{}", "0".repeat(32));
        assert_eq!(Money::parse(&long).unwrap().to_string(), "2.50");
        assert_eq!(Money::parse("0").unwrap().to_string(), "0.00");
        assert_eq!(Money::parse("-0").unwrap().to_string(), "0.00");
        assert_eq!(Money::MAX.to_string(), "1000000000.00");
    }

    #[test]
    fn bad_amounts_are_rejected_with_a_reason_never_rounded() {
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("   "), Err(MoneyError::Empty));
        assert_eq!(
            Money::parse("0.001"),
            Err(MoneyError::TooManyDecimals("0.001".into()))
        );
        for text in [
            "NaN", "Infinity", "-inf", "1e400", "1e3", "abc", "1.2.3", ".", "-", "1,5", "0x10",
        ] {
            assert!(
                matches!(Money::parse(text), Err(MoneyError::NotANumber(_))),
                "{text} should not be a number"
            );
        }
        assert_eq!(
            Money::parse("1000000000.01"),
            Err(MoneyError::OutOfRange("1000000000.01".into()))
        );
        assert!(matches!(
            Money::parse("99999999999999999999999999999999999"),
            Err(MoneyError::OutOfRange(_))
        ));
    }

    #[test]
    fn arithmetic_is_checked_against_the_bound() {
        let one = Money::parse("1").unwrap();
        assert_eq!(Money::MAX.checked_add(one), None);
        assert_eq!(Money::ZERO.checked_sub(one).unwrap().to_string(), "-1.00");
        assert_eq!(Money::from_cents(12_345).unwrap().to_string(), "123.45");
        assert_eq!(Money::parse("123.45").unwrap().cents(), 12_345);
    }

    #[test]
    fn money_serializes_as_a_string_and_only_parses_from_one() {
        let m = Money::parse("250").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"250.00\"");
        assert_eq!(serde_json::from_str::<Money>("\"250.00\"").unwrap(), m);
        assert!(serde_json::from_str::<Money>("250.0").is_err());
        let err = serde_json::from_str::<Money>("\"0.001\"").unwrap_err();
        assert!(
            err.to_string().contains("more than 2 decimal places"),
            "{err}"
        );
    }
}
