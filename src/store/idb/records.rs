//! One event's IndexedDB record: its stored value, read back and checked against
//! where it is filed, its key and index ranges (a leaf: it names nothing of the store).

use ::idb::{KeyRange, ObjectStore, Query};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use super::fail::{at, failed};
use crate::store::js::{js_position, js_text};
use crate::store::skew::unreadable_line;
use crate::store::{Recorded, StoreError};

/// Queues one `add` per event (no callbacks: a failed add aborts the transaction).
pub(super) fn add_events(store: &ObjectStore, events: &[Recorded]) -> Result<(), StoreError> {
    for recorded in events {
        let line = JsValue::from_str(&recorded.to_json_line());
        store
            .add(&record_value(recorded, &line), None)
            .map_err(|e| failed("cannot store an event", &e))?;
    }
    Ok(())
}

/// The stored value of one event.
pub(super) fn record_value(recorded: &Recorded, line: &JsValue) -> JsValue {
    let object = Object::new();
    #[allow(clippy::cast_precision_loss)]
    let fields = [
        ("position", JsValue::from_f64(recorded.position as f64)),
        ("stream", JsValue::from_str(&recorded.stream)),
        ("version", JsValue::from_f64(recorded.version as f64)),
        ("line", line.clone()),
    ];
    for (key, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &key.into(), &value);
    }
    object.into()
}

/// Reads one stored value back, checking it against its key and index fields.
/// Returns the event and its line (the JS string).
pub(super) fn decode(value: &JsValue) -> Result<(Recorded, JsValue), StoreError> {
    let field = |name: &str| Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let Some(position) = js_position(&field("position")) else {
        return Err(StoreError::Corrupt(format!(
            "a stored record has no valid position: {}",
            js_text(value)
        )));
    };
    let line_js = field("line");
    let Some(line) = line_js.as_string() else {
        return Err(StoreError::Corrupt(format!(
            "{}: the record holds no event line: {}",
            at(position),
            js_text(value)
        )));
    };
    let event = Recorded::from_json_line(&line).map_err(|e| unreadable_line(&at(position), e))?;
    let stream = field("stream").as_string();
    let version = js_position(&field("version"));
    if event.position != position
        || stream.as_deref() != Some(event.stream.as_str())
        || version != Some(event.version)
    {
        return Err(StoreError::Corrupt(format!(
            "{}: its envelope (position {}, stream {}, version {}) disagrees with where it \
             is filed (stream {}, version {})",
            at(position),
            event.position,
            event.stream,
            event.version,
            stream.as_deref().unwrap_or("?"),
            version.map_or_else(|| "?".into(), |v| v.to_string()),
        )));
    }
    Ok((event, line_js))
}

/// The position a key cursor on the events stands at (0 with no cursor: an empty log).
pub(super) fn position_at(cursor: Option<::idb::KeyCursor>) -> Result<u64, StoreError> {
    let Some(cursor) = cursor else {
        return Ok(0);
    };
    let key = cursor
        .key()
        .map_err(|e| failed("cannot read the last position", &e))?;
    js_position(&key).ok_or_else(|| {
        StoreError::Corrupt(format!("a record has an invalid key: {}", js_text(&key)))
    })
}

/// The index keys `[stream, from_version] ..= [stream, +inf]`.
pub(super) fn stream_range(stream: &str, from_version: u64) -> Result<Query, StoreError> {
    #[allow(clippy::cast_precision_loss)]
    let lower = Array::of2(&stream.into(), &JsValue::from_f64(from_version as f64));
    let upper = Array::of2(&stream.into(), &JsValue::from_f64(f64::INFINITY));
    KeyRange::bound(&lower, &upper, Some(false), Some(false))
        .map(Query::KeyRange)
        .map_err(|e| failed("bad stream range", &e))
}
