//! A copied prefix (database version 3): a log written whole into an empty database
//! ([`EventStore::restore`] there, which is what a fork and an import do) is kept as
//! chunks only, not as one record per event, because writing 100,000 records (and
//! their index entries) takes seconds where a few big chunks take a fraction of one.
//!
//! The prefix is positions `1..=last`, held in the chunks store by chunks that cover
//! it exactly, plus one record keyed `"prefix"` (a string key, after every chunk's
//! number): `{first: "prefix", last, streams}`, where `streams` is an object holding
//! each stream's version at `last`. Both are written in one transaction, with `add`,
//! so a prefix lands whole or not at all and is never replaced. Unlike the cache
//! chunks, these chunks are the truth: one that cannot be read is
//! [`StoreError::Corrupt`], never skipped. Events after the prefix are event records,
//! as in any log: the last position is the last record's, or `last`; a stream's
//! version is its last record's, or its version in `streams`. A database without the
//! record (every database before version 3, and every log that grew by appends) is
//! read exactly as before.
//!
//! [`EventStore::restore`]: crate::store::EventStore::restore

use std::collections::HashMap;

use ::idb::{KeyRange, ObjectStore, Query};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use super::fail::{at, failed};
use crate::store::js::{js_position, js_text};
use crate::store::{Recorded, StoreError};

/// The key of the prefix record in the chunks store.
pub const PREFIX_KEY: &str = "prefix";

/// A database's copied prefix: its last position and each stream's version there.
#[derive(Debug)]
pub(super) struct Prefix {
    pub(super) last: u64,
    versions: HashMap<String, u64>,
}

impl Prefix {
    /// The version `stream` stands at in the prefix (0 if it has no event there).
    pub(super) fn version(&self, stream: &str) -> u64 {
        self.versions.get(stream).copied().unwrap_or(0)
    }

    /// The prefix of `events` (a whole log from position 1, checked).
    pub(super) fn of(events: &[Recorded]) -> Prefix {
        let mut versions = HashMap::new();
        for r in events {
            versions.insert(r.stream.clone(), r.version);
        }
        Prefix {
            last: events.last().map_or(0, |r| r.position),
            versions,
        }
    }

    /// Reads the stored record back.
    pub(super) fn read(value: &JsValue) -> Result<Prefix, StoreError> {
        let damaged = |why: &str| {
            StoreError::Corrupt(format!(
                "the record of the copied events is damaged ({why}): {}",
                js_text(value).chars().take(200).collect::<String>()
            ))
        };
        let field = |name: &str| Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED);
        let last = js_position(&field("last")).ok_or_else(|| damaged("no last position"))?;
        let streams = field("streams");
        if !streams.is_object() {
            return Err(damaged("no stream versions"));
        }
        let mut versions = HashMap::new();
        for entry in Object::entries(&Object::from(streams)).iter() {
            let entry = Array::from(&entry);
            let (Some(stream), Some(version)) =
                (entry.get(0).as_string(), js_position(&entry.get(1)))
            else {
                return Err(damaged("unreadable stream versions"));
            };
            versions.insert(stream, version);
        }
        Ok(Prefix { last, versions })
    }

    /// The record as stored.
    pub(super) fn value(&self) -> JsValue {
        let object = Object::new();
        let streams = Object::new();
        for (stream, &version) in &self.versions {
            #[allow(clippy::cast_precision_loss)]
            let _ = Reflect::set(&streams, &stream.into(), &JsValue::from_f64(version as f64));
        }
        #[allow(clippy::cast_precision_loss)]
        let fields = [
            ("first", JsValue::from_str(PREFIX_KEY)),
            ("last", JsValue::from_f64(self.last as f64)),
            ("streams", streams.into()),
        ];
        for (key, value) in fields {
            let _ = Reflect::set(&object, &key.into(), &value);
        }
        object.into()
    }
}

/// The chunk keys `1..=last` (numbers only: the prefix record's string key is not
/// among them).
fn chunk_range(last: f64) -> Result<Query, StoreError> {
    KeyRange::bound(
        &JsValue::from_f64(1.0),
        &JsValue::from_f64(last),
        Some(false),
        Some(false),
    )
    .map(Query::KeyRange)
    .map_err(|e| failed("bad chunk range", &e))
}

/// Every chunk (numeric keys only), for the reads that plan over chunks.
pub(super) fn all_chunks() -> Result<Query, StoreError> {
    chunk_range(f64::INFINITY)
}

/// The lines of the prefix's chunks, in order, checked to cover `1..=prefix.last`
/// exactly, as `(first position, lines)`.
pub(super) async fn prefix_lines(
    chunks: &ObjectStore,
    prefix: &Prefix,
) -> Result<Vec<(u64, String)>, StoreError> {
    #[allow(clippy::cast_precision_loss)]
    let values = chunks
        .get_all(Some(chunk_range(prefix.last as f64)?), None)
        .map_err(|e| failed("cannot read the copied events", &e))?
        .await
        .map_err(|e| failed("cannot read the copied events", &e))?;
    let mut next = 1;
    let mut out = Vec::with_capacity(values.len());
    for value in &values {
        let field = |name: &str| Reflect::get(value, &name.into()).ok();
        let first = field("first").as_ref().and_then(js_position);
        let last = field("last").as_ref().and_then(js_position);
        let lines = field("lines").and_then(|l| l.as_string());
        match (first, last, lines) {
            (Some(first), Some(last), Some(lines)) if first == next && last >= first => {
                out.push((first, lines));
                next = last + 1;
            }
            _ => return Err(prefix_damaged(next)),
        }
    }
    if next == prefix.last + 1 {
        Ok(out)
    } else {
        Err(prefix_damaged(next))
    }
}

/// The copied events are damaged from `position` on.
pub(super) fn prefix_damaged(position: u64) -> StoreError {
    StoreError::Corrupt(format!(
        "the chunk of copied events from position {position} is missing or damaged"
    ))
}

/// The events of `stream` with version >= `from` among the prefix's chunks.
pub(super) async fn prefix_stream(
    chunks: &ObjectStore,
    prefix: &Prefix,
    stream: &str,
    from: u64,
) -> Result<Vec<Recorded>, StoreError> {
    // Only lines that name the stream are decoded (the envelope's compact JSON).
    let needle = format!(
        "\"stream\":{}",
        serde_json::to_string(stream).unwrap_or_default()
    );
    let mut out = Vec::new();
    for (first, lines) in prefix_lines(chunks, prefix).await? {
        for (position, line) in (first..).zip(lines.split('\n')) {
            if !line.contains(&needle) {
                continue;
            }
            let event = Recorded::from_json_line(line)
                .map_err(|e| crate::store::skew::unreadable_line(&at(position), e))?;
            if event.position != position {
                return Err(prefix_damaged(first));
            }
            if event.stream == stream && event.version >= from {
                out.push(event);
            }
        }
    }
    Ok(out)
}

/// Splits stored lines into `(position, line)` pairs for the raw download.
pub(super) fn raw_lines(parts: Vec<(u64, String)>) -> Vec<(u64, String)> {
    parts
        .into_iter()
        .flat_map(|(first, lines)| {
            (first..)
                .zip(lines.split('\n').map(str::to_owned).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        })
        .collect()
}
