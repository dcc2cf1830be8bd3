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
        let recorded_at = recorded_time(&wire)?;
        Ok(Recorded {
            position: wire.position,
            stream: wire.stream,
            version: wire.version,
            schema_version: SCHEMA_VERSION,
            event_id: wire.event_id,
            recorded_at,
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
    /// Required from schema 2; a schema-1 event may carry its time in its data instead.
    #[serde(default)]
    recorded_at: Option<String>,
    #[serde(default)]
    correlation_id: String,
    #[serde(default)]
    causation_id: String,
    data: Box<RawValue>,
}

/// The event's recorded time: the envelope's `recorded_at`, or for schema 1 the time
/// the event carried in its data (its upcast drops that field). When a schema-1 line
/// has both and they differ, the line is refused rather than one time dropped.
fn recorded_time(wire: &WireIn) -> Result<String, EnvelopeError> {
    let own = if wire.schema_version == 1 {
        Event::schema_one_time(&wire.event_type, wire.data.get())?
    } else {
        None
    };
    match (&wire.recorded_at, own) {
        (Some(at), Some((field, time))) if *at != time => Err(DecodeError::BadData {
            event_type: wire.event_type.clone(),
            reason: format!(
                "its {field} ({time}) differs from the envelope's recorded_at ({at}), and \
                 this version keeps one time per event: neither is dropped silently"
            ),
        }
        .into()),
        (Some(at), _) => Ok(at.clone()),
        (None, Some((_, time))) => Ok(time),
        (None, None) => Err(EnvelopeError::Json("missing field `recorded_at`".into())),
    }
}

/// Lines without a schema version predate versioning: they are schema 1.
fn schema_one() -> u32 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schema-1 `AccountOpened` line: the envelope's time (if any) and the data's.
    fn opened(envelope_time: Option<&str>, opened_at: &str) -> String {
        let recorded = envelope_time.map_or(String::new(), |t| format!(r#""recorded_at":"{t}","#));
        format!(
            r#"{{"position":1,"stream":"account-erin","version":1,"type":"AccountOpened","event_id":"e-1",{recorded}"data":{{"account_id":"erin","owner_name":"Erin","initial_balance":250.5,"opened_at":"{opened_at}"}}}}"#
        )
    }

    #[test]
    fn a_schema_one_time_in_the_data_becomes_the_recorded_time() {
        let r = Recorded::from_json_line(&opened(None, "2024-05-01T09:00:00Z")).unwrap();
        assert_eq!(r.recorded_at, "2024-05-01T09:00:00Z");
        // Written again in today's shape, the time is still there.
        assert!(r
            .to_json_line()
            .contains(r#""recorded_at":"2024-05-01T09:00:00Z""#));
        let same = opened(Some("2024-05-01T09:00:00Z"), "2024-05-01T09:00:00Z");
        assert_eq!(
            Recorded::from_json_line(&same).unwrap().recorded_at,
            "2024-05-01T09:00:00Z"
        );
    }

    #[test]
    fn a_schema_one_time_that_differs_from_the_envelope_is_refused_not_dropped() {
        let line = opened(Some("2024-06-01T00:00:00Z"), "2024-05-01T09:00:00Z");
        let error = Recorded::from_json_line(&line).unwrap_err().to_string();
        assert!(
            error.contains("opened_at (2024-05-01T09:00:00Z)"),
            "{error}"
        );
        assert!(
            error.contains("recorded_at (2024-06-01T00:00:00Z)"),
            "{error}"
        );
    }

    #[test]
    fn from_schema_two_the_envelope_time_is_required() {
        let line = r#"{"position":1,"stream":"account-a","version":1,"type":"AccountOpened","schema_version":2,"event_id":"e-1","data":{"account_id":"a","owner_name":"A","initial_balance":"1.00"}}"#;
        let error = Recorded::from_json_line(line).unwrap_err().to_string();
        assert!(error.contains("missing field `recorded_at`"), "{error}");
    }
}
