//! The envelope every stored event sits in, and its JSON line format (the export,
//! import and scenario-runner format):
//!
//! ```json
//! {"position":1,"stream":"account-a","version":1,"type":"AccountOpened","schema_version":2,
//!  "event_id":"e-1","recorded_at":"2026-11-26T14:00:00.000Z","correlation_id":"c-1",
//!  "causation_id":"c-1","data":{"account_id":"a","owner_name":"Ann","initial_balance":"1.00"}}
//! ```

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::domain::events::EventData;
use crate::domain::{DecodeError, Event, SCHEMA_VERSION};

/// An event to append, with the metadata the app gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub event: Event,
    pub event_id: String,
    /// RFC 3339 time, e.g. `2026-11-26T14:00:00.000Z`.
    pub recorded_at: String,
    /// The transfer id for a saga's events; the command id otherwise.
    pub correlation_id: String,
    /// The id of the command or event that caused this one.
    pub causation_id: String,
}

impl From<&Recorded> for NewEvent {
    /// The event of a stored record with its own ids and time, to store again
    /// elsewhere (an import).
    fn from(r: &Recorded) -> NewEvent {
        NewEvent {
            event: r.event.clone(),
            event_id: r.event_id.clone(),
            recorded_at: r.recorded_at.clone(),
            correlation_id: r.correlation_id.clone(),
            causation_id: r.causation_id.clone(),
        }
    }
}

/// An event as stored: its envelope and the event itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Global position, 1-based, gap-free, in commit order.
    pub position: u64,
    pub stream: String,
    /// Version within the stream, 1-based, gap-free.
    pub version: u64,
    pub schema_version: u32,
    pub event_id: String,
    pub recorded_at: String,
    pub correlation_id: String,
    pub causation_id: String,
    pub event: Event,
}

impl Recorded {
    /// Stamps a new event with its place in the log.
    #[must_use]
    pub fn new(new: NewEvent, stream: &str, version: u64, position: u64) -> Recorded {
        Recorded {
            position,
            stream: stream.to_owned(),
            version,
            schema_version: SCHEMA_VERSION,
            event_id: new.event_id,
            recorded_at: new.recorded_at,
            correlation_id: new.correlation_id,
            causation_id: new.causation_id,
            event: new.event,
        }
    }

    /// The persisted type name of the event.
    #[must_use]
    pub fn event_type(&self) -> &'static str {
        self.event.event_type()
    }

    /// One line of JSON (no trailing newline).
    #[must_use]
    pub fn to_json_line(&self) -> String {
        let wire = WireOut {
            position: self.position,
            stream: &self.stream,
            version: self.version,
            event_type: self.event.event_type(),
            schema_version: self.schema_version,
            event_id: &self.event_id,
            recorded_at: &self.recorded_at,
            correlation_id: &self.correlation_id,
            causation_id: &self.causation_id,
            data: EventData(&self.event),
        };
        // A struct of strings, numbers and a JSON value always serializes.
        serde_json::to_string(&wire).unwrap_or_default()
    }

    /// Reads one line written by [`Recorded::to_json_line`] (or by an older version of
    /// the app: older schema versions are upcast, and the result carries the current
    /// schema version, since its data now has the current shape).
    pub fn from_json_line(line: &str) -> Result<Recorded, EnvelopeError> {
        if !line.trim_start().starts_with('{') {
            return Err(EnvelopeError::Json(
                "the line is not a JSON object (a log has one event per line, each a JSON \
                 object, as Export writes them)"
                    .into(),
            ));
        }
        let wire: WireIn = serde_json::from_str(line).map_err(|e| {
            // A line is one JSON text: its "line 1" would be confused with the file's,
            // so the place is said as a character of the line (serde counts bytes).
            let text = e.to_string();
            let place = format!(" at line {} column {}", e.line(), e.column());
            let what = text.strip_suffix(&place).unwrap_or(&text);
            let byte = e.column().min(line.len());
            let character = line.char_indices().take_while(|(i, _)| *i < byte).count();
            EnvelopeError::Json(format!("{what} (at character {character})"))
        })?;
        let event = Event::decode(&wire.event_type, wire.schema_version, wire.data.get())?;
        Ok(Recorded {
            position: wire.position,
            stream: wire.stream,
            version: wire.version,
            schema_version: SCHEMA_VERSION,
            event_id: wire.event_id,
            recorded_at: wire.recorded_at,
            correlation_id: wire.correlation_id,
            causation_id: wire.causation_id,
            event,
        })
    }
}

/// Why a stored line is not an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("not a valid event envelope: {0}")]
    Json(String),
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

#[derive(Serialize)]
struct WireOut<'a> {
    position: u64,
    stream: &'a str,
    version: u64,
    #[serde(rename = "type")]
    event_type: &'a str,
    schema_version: u32,
    event_id: &'a str,
    recorded_at: &'a str,
    correlation_id: &'a str,
    causation_id: &'a str,
    data: EventData<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireIn {
    position: u64,
    stream: String,
    version: u64,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default = "schema_one")]
    schema_version: u32,
    event_id: String,
    recorded_at: String,
    #[serde(default)]
    correlation_id: String,
    #[serde(default)]
    causation_id: String,
    data: Box<RawValue>,
}

/// Lines without a schema version predate versioning: they are schema 1.
fn schema_one() -> u32 {
    1
}
