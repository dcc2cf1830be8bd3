//! Reading an event back from stored JSON: schema versions, the upcaster for schema 1,
//! and one flat reader for every event type's data, instead of one serde visitor per
//! event struct: a field name means the same type in every event (`amount` is always
//! [`Money`](super::Money), `account_id` always an [`AccountId`](super::AccountId)),
//! so a single map visitor reads any of them, and the event type only decides which
//! fields are allowed and required ([`EventType::fields`], [`EventType::build`]).
//! In the wasm this is one copy of the reading code instead of fourteen (a smaller
//! download); the errors are serde's own, word for word (`unknown field`, `missing
//! field`, `duplicate field`, and each value's own type errors). Each event's shape
//! lives in `super::events`; only the schema-1 upcaster names events (the reference's,
//! which it alone ever meets).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use thiserror::Error;

use super::events::{Event, EventType, Fields, SCHEMA_VERSION};
use super::TransferId;

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
    /// Reads an event from its type name, schema version and JSON data, upcasting
    /// data written by older versions of the app.
    pub fn decode(event_type: &str, schema_version: u32, data: &str) -> Result<Event, DecodeError> {
        match schema_version {
            0 => return Err(DecodeError::ZeroSchema),
            v if v > SCHEMA_VERSION => return Err(DecodeError::FutureSchema(v)),
            1 => {
                let value: serde_json::Value =
                    serde_json::from_str(data).map_err(|e| bad(event_type, &e))?;
                let upcast = upcast_v1(event_type, value);
                return Event::decode(event_type, SCHEMA_VERSION, &upcast.to_string());
            }
            // Every later version only added events or optional fields: its data reads
            // as it is.
            _ => {}
        }
        let Some(ty) = EventType::named(event_type) else {
            return Err(DecodeError::UnknownType(event_type.to_owned()));
        };
        let mut de = serde_json::Deserializer::from_str(data);
        let event = read(ty, &mut de).map_err(|e| bad(event_type, &e))?;
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

impl Event {
    /// The time a schema-1 event carried in its own data (`opened_at`,
    /// `deposited_at`, ...), with the field's name: its upcast moves that time out of
    /// the data, and the envelope keeps it as the event's `recorded_at`
    /// (`crate::store::Recorded::from_json_line`), so nothing is lost. `None` when the
    /// data has no such field.
    ///
    /// # Errors
    ///
    /// [`DecodeError::BadData`] when the data is not JSON, a time is not text, or two
    /// times differ (one of them would be lost).
    pub fn schema_one_time(
        event_type: &str,
        data: &str,
    ) -> Result<Option<(String, String)>, DecodeError> {
        let value: serde_json::Value =
            serde_json::from_str(data).map_err(|e| bad(event_type, &e))?;
        let invalid = |reason: String| DecodeError::BadData {
            event_type: event_type.to_owned(),
            reason,
        };
        let mut found: Option<(String, String)> = None;
        let times = value
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.ends_with("_at"));
        for (key, time) in times {
            let Some(time) = time.as_str() else {
                return Err(invalid(format!("{key} must be a time written as text")));
            };
            match &found {
                Some((first, seen)) if seen != time => {
                    return Err(invalid(format!(
                        "{first} ({seen}) and {key} ({time}) differ, and an event keeps one time"
                    )))
                }
                Some(_) => {}
                None => found = Some((key.clone(), time.to_owned())),
            }
        }
        Ok(found)
    }
}

/// Schema 1 is the reference's shape: every event carried its own domain time
/// (`opened_at`, `deposited_at`, ...), which the envelope's `recorded_at` holds instead
/// (see [`Event::schema_one_time`]), amounts could be JSON numbers, and a movement's
/// description could be missing. (The reference never stored transfer events, so only
/// account events need this.)
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

/// Reads the data of an event of type `ty` from `de`.
fn read<'de, D: Deserializer<'de>>(ty: EventType, de: D) -> Result<Event, D::Error> {
    let (fields, optional_transfer) = ty.fields();
    let visitor = EventVisitor {
        ty,
        fields,
        optional_transfer,
    };
    de.deserialize_struct(ty.name(), fields, visitor)
}

struct EventVisitor {
    ty: EventType,
    fields: &'static [&'static str],
    /// A movement's `transfer_id` may be `null`.
    optional_transfer: bool,
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

impl<'de> Visitor<'de> for EventVisitor {
    type Value = Event;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "struct {}", self.ty.name())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
        let mut f = Fields::default();
        while let Some(key) = map.next_key_seed(Key(self.fields))? {
            match key {
                "account_id" => put(&mut f.account_id, key, &mut map)?,
                "owner_name" => put(&mut f.owner_name, key, &mut map)?,
                "initial_balance" => put(&mut f.initial_balance, key, &mut map)?,
                "amount" => put(&mut f.amount, key, &mut map)?,
                "transaction_id" => put(&mut f.transaction_id, key, &mut map)?,
                "description" => put(&mut f.description, key, &mut map)?,
                "transfer_id" if self.optional_transfer => put(&mut f.transfer_id, key, &mut map)?,
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
                "attempt" => put(&mut f.attempt, key, &mut map)?,
                "retry_at_ms" => put(&mut f.retry_at_ms, key, &mut map)?,
                "attempts" => put(&mut f.attempts, key, &mut map)?,
                "at_ms" => put(&mut f.at_ms, key, &mut map)?,
                "deadline_ms" => put(&mut f.deadline_ms, key, &mut map)?,
                "refund_account_id" => put(&mut f.refund_account_id, key, &mut map)?,
                // A field some event declares but this reader does not know yet.
                other => return Err(de::Error::unknown_field(other, self.fields)),
            }
        }
        self.ty.build(f)
    }
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
