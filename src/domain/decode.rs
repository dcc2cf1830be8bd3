//! One flat reader for every event type's data, instead of one serde visitor per event
//! struct: a field name means the same type in every event (`amount` is always
//! [`Money`], `account_id` always an [`AccountId`]), so a single map visitor reads any
//! of them, and the event type only decides which fields are allowed and required.
//! In the wasm this is one copy of the reading code instead of fourteen (a smaller
//! download); the errors are serde's own, word for word (`unknown field`, `missing
//! field`, `duplicate field`, and each value's own type errors).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::events::{
    AccountClosed, AccountOpened, AccountReactivated, AccountSuspended, Event, MoneyDeposited,
    MoneyWithdrawn, TransferCompensationFailed, TransferCompleted, TransferCreditRejected,
    TransferDebited, TransferFailed, TransferInitiated, TransferReversed, TransferStepRetried,
};
use super::{AccountId, Money, RunMode, SagaStep, TransferId};

const OPENED: &[&str] = &["account_id", "owner_name", "initial_balance"];
const MOVEMENT: &[&str] = &[
    "account_id",
    "amount",
    "transaction_id",
    "description",
    "transfer_id",
];
const SUSPENDED: &[&str] = &["account_id", "reason"];
const REACTIVATED: &[&str] = &["account_id"];
const CLOSED: &[&str] = &["account_id", "final_balance"];
const INITIATED: &[&str] = &[
    "transfer_id",
    "from_account_id",
    "to_account_id",
    "amount",
    "description",
    "run_mode",
];
const LEG: &[&str] = &["transfer_id", "from_account_id", "to_account_id", "amount"];
const LEG_WITH_REASON: &[&str] = &[
    "transfer_id",
    "from_account_id",
    "to_account_id",
    "amount",
    "reason",
];
const REVERSED: &[&str] = &["transfer_id", "from_account_id", "amount"];
const RETRIED: &[&str] = &["transfer_id", "step", "attempt", "reason"];

/// The fields of `event_type` in their declared order, or `None` for an unknown type.
fn fields_of(event_type: &str) -> Option<(&'static str, &'static [&'static str])> {
    Some(match event_type {
        "AccountOpened" => ("AccountOpened", OPENED),
        "MoneyDeposited" => ("MoneyDeposited", MOVEMENT),
        "MoneyWithdrawn" => ("MoneyWithdrawn", MOVEMENT),
        "AccountSuspended" => ("AccountSuspended", SUSPENDED),
        "AccountReactivated" => ("AccountReactivated", REACTIVATED),
        "AccountClosed" => ("AccountClosed", CLOSED),
        "TransferInitiated" => ("TransferInitiated", INITIATED),
        "TransferDebited" => ("TransferDebited", LEG),
        "TransferCreditRejected" => ("TransferCreditRejected", LEG_WITH_REASON),
        "TransferCompleted" => ("TransferCompleted", LEG),
        "TransferReversed" => ("TransferReversed", REVERSED),
        "TransferFailed" => ("TransferFailed", LEG_WITH_REASON),
        "TransferCompensationFailed" => ("TransferCompensationFailed", LEG_WITH_REASON),
        "TransferStepRetried" => ("TransferStepRetried", RETRIED),
        _ => return None,
    })
}

/// Reads the data of an event of type `event_type` from `de`; `Ok(None)` when the type
/// is unknown.
pub(super) fn read<'de, D: Deserializer<'de>>(
    event_type: &str,
    de: D,
) -> Result<Option<Event>, D::Error> {
    let Some((name, fields)) = fields_of(event_type) else {
        return Ok(None);
    };
    de.deserialize_struct(name, fields, EventVisitor { name, fields })
        .map(Some)
}

/// Every field any event has; each event type takes the ones it declares.
#[derive(Default)]
struct Fields {
    account_id: Option<AccountId>,
    owner_name: Option<String>,
    initial_balance: Option<Money>,
    amount: Option<Money>,
    transaction_id: Option<String>,
    description: Option<String>,
    /// `Some(None)`: given as `null`, which only a movement's optional link allows.
    transfer_id: Option<Option<TransferId>>,
    reason: Option<String>,
    final_balance: Option<Money>,
    from_account_id: Option<AccountId>,
    to_account_id: Option<AccountId>,
    run_mode: Option<RunMode>,
    step: Option<SagaStep>,
    attempt: Option<u32>,
}

struct EventVisitor {
    name: &'static str,
    fields: &'static [&'static str],
}

/// A field name, refused unless the event type declares it.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.0
            .iter()
            .copied()
            .find(|field| *field == v)
            .ok_or_else(|| E::unknown_field(v, self.0))
    }
}

/// Reads the next value into `slot`, refusing a second one.
fn put<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    name: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A required field's value, or serde's "missing field" error.
fn need<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

impl<'de> Visitor<'de> for EventVisitor {
    type Value = Event;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
        let movement = matches!(self.name, "MoneyDeposited" | "MoneyWithdrawn");
        let mut f = Fields::default();
        while let Some(key) = map.next_key_seed(Key(self.fields))? {
            match key {
                "account_id" => put(&mut f.account_id, key, &mut map)?,
                "owner_name" => put(&mut f.owner_name, key, &mut map)?,
                "initial_balance" => put(&mut f.initial_balance, key, &mut map)?,
                "amount" => put(&mut f.amount, key, &mut map)?,
                "transaction_id" => put(&mut f.transaction_id, key, &mut map)?,
                "description" => put(&mut f.description, key, &mut map)?,
                "transfer_id" if movement => put(&mut f.transfer_id, key, &mut map)?,
                "transfer_id" => {
                    let mut id: Option<TransferId> = None;
                    if f.transfer_id.is_some() {
                        return Err(de::Error::duplicate_field(key));
                    }
                    put(&mut id, key, &mut map)?;
                    f.transfer_id = Some(id);
                }
                "reason" => put(&mut f.reason, key, &mut map)?,
                "final_balance" => put(&mut f.final_balance, key, &mut map)?,
                "from_account_id" => put(&mut f.from_account_id, key, &mut map)?,
                "to_account_id" => put(&mut f.to_account_id, key, &mut map)?,
                "run_mode" => put(&mut f.run_mode, key, &mut map)?,
                "step" => put(&mut f.step, key, &mut map)?,
                _ => put(&mut f.attempt, "attempt", &mut map)?,
            }
        }
        build(self.name, f)
    }
}

/// The event of type `name` from its fields, in their declared order.
fn build<E: de::Error>(name: &str, f: Fields) -> Result<Event, E> {
    let transfer_id = |id: Option<Option<TransferId>>| need(id.flatten(), "transfer_id");
    Ok(match name {
        "AccountOpened" => Event::AccountOpened(AccountOpened {
            account_id: need(f.account_id, "account_id")?,
            owner_name: need(f.owner_name, "owner_name")?,
            initial_balance: need(f.initial_balance, "initial_balance")?,
        }),
        "MoneyDeposited" | "MoneyWithdrawn" => {
            let account_id = need(f.account_id, "account_id")?;
            let amount = need(f.amount, "amount")?;
            let transaction_id = need(f.transaction_id, "transaction_id")?;
            let description = need(f.description, "description")?;
            let transfer_id = f.transfer_id.flatten();
            if name == "MoneyDeposited" {
                Event::MoneyDeposited(MoneyDeposited {
                    account_id,
                    amount,
                    transaction_id,
                    description,
                    transfer_id,
                })
            } else {
                Event::MoneyWithdrawn(MoneyWithdrawn {
                    account_id,
                    amount,
                    transaction_id,
                    description,
                    transfer_id,
                })
            }
        }
        "AccountSuspended" => Event::AccountSuspended(AccountSuspended {
            account_id: need(f.account_id, "account_id")?,
            reason: need(f.reason, "reason")?,
        }),
        "AccountReactivated" => Event::AccountReactivated(AccountReactivated {
            account_id: need(f.account_id, "account_id")?,
        }),
        "AccountClosed" => Event::AccountClosed(AccountClosed {
            account_id: need(f.account_id, "account_id")?,
            final_balance: need(f.final_balance, "final_balance")?,
        }),
        "TransferInitiated" => Event::TransferInitiated(TransferInitiated {
            transfer_id: transfer_id(f.transfer_id)?,
            from_account_id: need(f.from_account_id, "from_account_id")?,
            to_account_id: need(f.to_account_id, "to_account_id")?,
            amount: need(f.amount, "amount")?,
            description: need(f.description, "description")?,
            run_mode: f.run_mode.unwrap_or_default(),
        }),
        "TransferReversed" => Event::TransferReversed(TransferReversed {
            transfer_id: transfer_id(f.transfer_id)?,
            from_account_id: need(f.from_account_id, "from_account_id")?,
            amount: need(f.amount, "amount")?,
        }),
        "TransferStepRetried" => Event::TransferStepRetried(TransferStepRetried {
            transfer_id: transfer_id(f.transfer_id)?,
            step: need(f.step, "step")?,
            attempt: need(f.attempt, "attempt")?,
            reason: need(f.reason, "reason")?,
        }),
        // The four that share a transfer's legs, with or without a reason.
        _ => {
            let transfer_id = transfer_id(f.transfer_id)?;
            let from_account_id = need(f.from_account_id, "from_account_id")?;
            let to_account_id = need(f.to_account_id, "to_account_id")?;
            let amount = need(f.amount, "amount")?;
            match name {
                "TransferDebited" => Event::TransferDebited(TransferDebited {
                    transfer_id,
                    from_account_id,
                    to_account_id,
                    amount,
                }),
                "TransferCompleted" => Event::TransferCompleted(TransferCompleted {
                    transfer_id,
                    from_account_id,
                    to_account_id,
                    amount,
                }),
                "TransferCreditRejected" => Event::TransferCreditRejected(TransferCreditRejected {
                    transfer_id,
                    from_account_id,
                    to_account_id,
                    amount,
                    reason: need(f.reason, "reason")?,
                }),
                "TransferFailed" => Event::TransferFailed(TransferFailed {
                    transfer_id,
                    from_account_id,
                    to_account_id,
                    amount,
                    reason: need(f.reason, "reason")?,
                }),
                _ => Event::TransferCompensationFailed(TransferCompensationFailed {
                    transfer_id,
                    from_account_id,
                    to_account_id,
                    amount,
                    reason: need(f.reason, "reason")?,
                }),
            }
        }
    })
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
