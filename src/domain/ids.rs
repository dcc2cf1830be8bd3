//! Identifiers: account and transfer ids as validated newtypes, and the stream names
//! they live in. Streams are namespaced (`account-<id>`, `transfer-<id>`) so an account
//! id can never collide with a transfer id.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use thiserror::Error;

/// Why a text is not a usable id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdError {
    #[error("{kind} is empty")]
    Empty { kind: &'static str },
    #[error("{kind} is longer than {max} characters", max = MAX_ID_LEN)]
    TooLong { kind: &'static str },
    #[error("{kind} \"{text}\" may only use letters, digits, '-', '_' and '.'")]
    BadCharacter { kind: &'static str, text: String },
}

/// The longest id accepted, in characters.
pub const MAX_ID_LEN: usize = 64;

fn check(kind: &'static str, text: &str) -> Result<String, IdError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if text.chars().count() > MAX_ID_LEN {
        return Err(IdError::TooLong { kind });
    }
    // Ids appear in stream names, URLs and file names: keep them plain.
    if !text
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(IdError::BadCharacter {
            kind,
            text: text.to_owned(),
        });
    }
    Ok(text.to_owned())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Parses and trims an id; rejects empty, overlong or odd text.
            pub fn parse(text: &str) -> Result<Self, IdError> {
                check($kind, text).map(Self)
            }

            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The name of the stream this id's events live in.
            #[must_use]
            pub fn stream(&self) -> String {
                format!(concat!($prefix, "{}"), self.0)
            }

            /// The id whose stream is `stream`, if it is one of this kind.
            #[must_use]
            pub fn from_stream(stream: &str) -> Option<Self> {
                stream.strip_prefix($prefix).and_then(|id| Self::parse(id).ok())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

id_type!(
    /// An account's id, such as `alice-123`.
    AccountId,
    "account id",
    "account-"
);
id_type!(
    /// A transfer's id, such as `transfer-789`.
    TransferId,
    "transfer id",
    "transfer-"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_trimmed_and_streams_are_namespaced() {
        let a = AccountId::parse("  alice-123 ").unwrap();
        assert_eq!(a.as_str(), "alice-123");
        assert_eq!(a.stream(), "account-alice-123");
        let t = TransferId::parse("alice-123").unwrap();
        assert_ne!(a.stream(), t.stream());
        assert_eq!(AccountId::from_stream("account-alice-123"), Some(a));
        assert_eq!(AccountId::from_stream("transfer-alice-123"), None);
    }

    #[test]
    fn bad_ids_are_rejected_with_a_reason() {
        assert_eq!(
            AccountId::parse(" ").unwrap_err().to_string(),
            "account id is empty"
        );
        assert!(TransferId::parse(&"x".repeat(65)).is_err());
        assert!(AccountId::parse("<b>bob</b>").is_err());
        assert!(serde_json::from_str::<AccountId>("\"\"").is_err());
    }
}
