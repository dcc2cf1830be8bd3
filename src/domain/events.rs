//! Every event the bank records, with the seed's names and fields, and how each is
//! read back from stored JSON (including older schema versions, through the upcaster).
//!
//! The `type` strings and field names here are the persisted and exported format:
//! renaming a Rust identifier must never change them, so each is spelled out.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{AccountId, Money, TransferId};

/// Who drives a transfer's saga: the runner on its own, or the learner step by step.
/// Recorded in `TransferInitiated`, so every tab and every reload knows whether to
/// resume an unfinished transfer by itself or leave it paused where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RunMode {
    /// Runs to its end by itself, and is resumed after a reload.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// Advanced by hand (Next step, Play); after a reload it waits, paused.
    #[serde(rename = "step")]
    Step,
}

impl RunMode {
    /// Whether this is [`RunMode::Auto`] (the default, left out of stored data).
    #[must_use]
    pub fn is_auto(&self) -> bool {
        *self == RunMode::Auto
    }
}

/// The schema version written with every new event.
///
/// - 1: the reference's shape (`*_at` fields, numeric amounts), upcast on read;
/// - 2: this app's shape;
/// - 3: `TransferInitiated` may carry `run_mode` (schema 2 data reads as is, `auto`).
///
/// A build that meets a version above its own refuses to read or write that log
/// ([`DecodeError::FutureSchema`]) instead of misreading it.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountOpened {
    pub account_id: AccountId,
    pub owner_name: String,
    pub initial_balance: Money,
}

/// Money paid in. `transfer_id` is set when a transfer's credit or refund caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyDeposited {
    pub account_id: AccountId,
    pub amount: Money,
    pub transaction_id: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_id: Option<TransferId>,
}

/// Money paid out. `transfer_id` is set when a transfer's debit caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyWithdrawn {
    pub account_id: AccountId,
    pub amount: Money,
    pub transaction_id: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_id: Option<TransferId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSuspended {
    pub account_id: AccountId,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountReactivated {
    pub account_id: AccountId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountClosed {
    pub account_id: AccountId,
    pub final_balance: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferInitiated {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub description: String,
    /// Schema 3: who drives the saga (absent, in older data and for `auto`).
    #[serde(default, skip_serializing_if = "RunMode::is_auto")]
    pub run_mode: RunMode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferDebited {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
}

/// The destination refused the credit; the refund of the source comes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferCreditRejected {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferCompleted {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
}

/// Compensation done: the source was credited back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferReversed {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferFailed {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub reason: String,
}

/// The refund itself was rejected: the source stays debited. Terminal, and it needs a
/// person's attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferCompensationFailed {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub reason: String,
}

/// One attempt at a saga step failed for a passing reason and will be tried again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferStepRetried {
    pub transfer_id: TransferId,
    pub step: crate::domain::SagaStep,
    pub attempt: u32,
    pub reason: String,
}

/// Any event of the bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "data")]
pub enum Event {
    #[serde(rename = "AccountOpened")]
    AccountOpened(AccountOpened),
    #[serde(rename = "MoneyDeposited")]
    MoneyDeposited(MoneyDeposited),
    #[serde(rename = "MoneyWithdrawn")]
    MoneyWithdrawn(MoneyWithdrawn),
    #[serde(rename = "AccountSuspended")]
    AccountSuspended(AccountSuspended),
    #[serde(rename = "AccountReactivated")]
    AccountReactivated(AccountReactivated),
    #[serde(rename = "AccountClosed")]
    AccountClosed(AccountClosed),
    #[serde(rename = "TransferInitiated")]
    TransferInitiated(TransferInitiated),
    #[serde(rename = "TransferDebited")]
    TransferDebited(TransferDebited),
    #[serde(rename = "TransferCreditRejected")]
    TransferCreditRejected(TransferCreditRejected),
    #[serde(rename = "TransferCompleted")]
    TransferCompleted(TransferCompleted),
    #[serde(rename = "TransferReversed")]
    TransferReversed(TransferReversed),
    #[serde(rename = "TransferFailed")]
    TransferFailed(TransferFailed),
    #[serde(rename = "TransferCompensationFailed")]
    TransferCompensationFailed(TransferCompensationFailed),
    #[serde(rename = "TransferStepRetried")]
    TransferStepRetried(TransferStepRetried),
}

/// Why stored event data could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("unknown event type \"{0}\"")]
    UnknownType(String),
    #[error("schema version {0} is newer than this app understands ({SCHEMA_VERSION})")]
    FutureSchema(u32),
    #[error("schema version 0 does not exist")]
    ZeroSchema,
    #[error("{event_type} data is invalid: {reason}")]
    BadData { event_type: String, reason: String },
}

impl Event {
    /// Every event type name, in the order of the enum.
    pub const TYPES: [&'static str; 14] = [
        "AccountOpened",
        "MoneyDeposited",
        "MoneyWithdrawn",
        "AccountSuspended",
        "AccountReactivated",
        "AccountClosed",
        "TransferInitiated",
        "TransferDebited",
        "TransferCreditRejected",
        "TransferCompleted",
        "TransferReversed",
        "TransferFailed",
        "TransferCompensationFailed",
        "TransferStepRetried",
    ];

    /// The persisted type name, e.g. `"MoneyDeposited"`.
    #[must_use]
    pub fn event_type(&self) -> &'static str {
        match self {
            Event::AccountOpened(_) => "AccountOpened",
            Event::MoneyDeposited(_) => "MoneyDeposited",
            Event::MoneyWithdrawn(_) => "MoneyWithdrawn",
            Event::AccountSuspended(_) => "AccountSuspended",
            Event::AccountReactivated(_) => "AccountReactivated",
            Event::AccountClosed(_) => "AccountClosed",
            Event::TransferInitiated(_) => "TransferInitiated",
            Event::TransferDebited(_) => "TransferDebited",
            Event::TransferCreditRejected(_) => "TransferCreditRejected",
            Event::TransferCompleted(_) => "TransferCompleted",
            Event::TransferReversed(_) => "TransferReversed",
            Event::TransferFailed(_) => "TransferFailed",
            Event::TransferCompensationFailed(_) => "TransferCompensationFailed",
            Event::TransferStepRetried(_) => "TransferStepRetried",
        }
    }

    /// The event's fields as a JSON object (the `data` of the envelope).
    #[must_use]
    pub fn data(&self) -> serde_json::Value {
        // Plain structs of strings and numbers always serialize.
        serde_json::to_value(EventData(self)).unwrap_or(serde_json::Value::Null)
    }

    /// The account this event belongs to, for account events.
    #[must_use]
    pub fn account_id(&self) -> Option<&AccountId> {
        match self {
            Event::AccountOpened(e) => Some(&e.account_id),
            Event::MoneyDeposited(e) => Some(&e.account_id),
            Event::MoneyWithdrawn(e) => Some(&e.account_id),
            Event::AccountSuspended(e) => Some(&e.account_id),
            Event::AccountReactivated(e) => Some(&e.account_id),
            Event::AccountClosed(e) => Some(&e.account_id),
            _ => None,
        }
    }

    /// The transfer this event belongs to or was caused by.
    #[must_use]
    pub fn transfer_id(&self) -> Option<&TransferId> {
        match self {
            Event::MoneyDeposited(e) => e.transfer_id.as_ref(),
            Event::MoneyWithdrawn(e) => e.transfer_id.as_ref(),
            Event::TransferInitiated(e) => Some(&e.transfer_id),
            Event::TransferDebited(e) => Some(&e.transfer_id),
            Event::TransferCreditRejected(e) => Some(&e.transfer_id),
            Event::TransferCompleted(e) => Some(&e.transfer_id),
            Event::TransferReversed(e) => Some(&e.transfer_id),
            Event::TransferFailed(e) => Some(&e.transfer_id),
            Event::TransferCompensationFailed(e) => Some(&e.transfer_id),
            Event::TransferStepRetried(e) => Some(&e.transfer_id),
            _ => None,
        }
    }

    /// Reads an event from its type name, schema version and JSON data, upcasting
    /// data written by older versions of the app.
    pub fn decode(event_type: &str, schema_version: u32, data: &str) -> Result<Event, DecodeError> {
        match schema_version {
            0 => return Err(DecodeError::ZeroSchema),
            v if v > SCHEMA_VERSION => return Err(DecodeError::FutureSchema(v)),
            // Schema 3 only added an optional field: schema 2 data reads as it is.
            2 | SCHEMA_VERSION => {}
            _ => {
                let value: serde_json::Value =
                    serde_json::from_str(data).map_err(|e| bad(event_type, &e))?;
                let upcast = upcast_v1(event_type, value);
                return Event::decode(event_type, SCHEMA_VERSION, &upcast.to_string());
            }
        }
        // One flat reader for every type (super::decode): a single copy of the reading
        // code in the wasm, instead of one serde visitor per event type.
        let mut de = serde_json::Deserializer::from_str(data);
        let event = match super::decode::read(event_type, &mut de) {
            Ok(Some(event)) => Ok(event),
            Ok(None) => return Err(DecodeError::UnknownType(event_type.to_owned())),
            Err(e) => Err(e),
        };
        let event = event.map_err(|e| bad(event_type, &e))?;
        de.end().map_err(|e| bad(event_type, &e))?;
        Ok(event)
    }
}

fn bad(event_type: &str, error: &serde_json::Error) -> DecodeError {
    // serde's "at line 1 column 43" counts within the data alone (or within its
    // upcast copy): next to a log's own line number it would only mislead.
    let text = error.to_string();
    let place = format!(" at line {} column {}", error.line(), error.column());
    DecodeError::BadData {
        event_type: event_type.to_owned(),
        reason: text.strip_suffix(&place).unwrap_or(&text).to_owned(),
    }
}

/// Schema 1 is the reference's shape: every event carried its own domain time
/// (`opened_at`, `deposited_at`, ...), which the envelope's `recorded_at` now holds,
/// amounts could be JSON numbers, and a movement's description could be missing.
/// (The reference never stored transfer events, so only account events need this.)
fn upcast_v1(event_type: &str, mut value: serde_json::Value) -> serde_json::Value {
    let Some(fields) = value.as_object_mut() else {
        return value;
    };
    fields.retain(|key, _| !key.ends_with("_at"));
    for key in ["amount", "initial_balance", "final_balance"] {
        if let Some(number) = fields.get(key).and_then(serde_json::Value::as_number) {
            let text = number.to_string();
            fields.insert(key.to_owned(), serde_json::Value::String(text));
        }
    }
    if matches!(event_type, "MoneyDeposited" | "MoneyWithdrawn") {
        fields
            .entry("description")
            .or_insert(serde_json::Value::String(String::new()));
    }
    value
}

/// Serializes just an event's fields, in their declared order (the envelope's `data`).
pub struct EventData<'a>(pub &'a Event);

impl Serialize for EventData<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Event::AccountOpened(e) => e.serialize(s),
            Event::MoneyDeposited(e) => e.serialize(s),
            Event::MoneyWithdrawn(e) => e.serialize(s),
            Event::AccountSuspended(e) => e.serialize(s),
            Event::AccountReactivated(e) => e.serialize(s),
            Event::AccountClosed(e) => e.serialize(s),
            Event::TransferInitiated(e) => e.serialize(s),
            Event::TransferDebited(e) => e.serialize(s),
            Event::TransferCreditRejected(e) => e.serialize(s),
            Event::TransferCompleted(e) => e.serialize(s),
            Event::TransferReversed(e) => e.serialize(s),
            Event::TransferFailed(e) => e.serialize(s),
            Event::TransferCompensationFailed(e) => e.serialize(s),
            Event::TransferStepRetried(e) => e.serialize(s),
        }
    }
}
