//! Version skew: what the stores report when the log was written by a newer build of
//! sagabank than the one running (a tab left open while the site was updated), and the
//! wording of storage the browser refuses outright. Pure, so the wording is tested
//! natively; the adapters call these.
//!
//! A newer build's data is never damaged data: it is [`StoreError::NewerVersion`],
//! never [`StoreError::Corrupt`], so the page asks for a reload instead of offering to
//! start fresh, and nothing is written over it.

use super::envelope::EnvelopeError;
use super::{Recorded, StoreError};
use crate::domain::{DecodeError, SCHEMA_VERSION};

/// What a stored line that does not read as an event means. `place` names where it is
/// stored (e.g. "event at position 7", "key sagabank/x/event/7"). An event schema
/// version above [`SCHEMA_VERSION`] is [`StoreError::NewerVersion`]; anything else is
/// [`StoreError::Corrupt`].
#[must_use]
pub fn unreadable_line(place: &str, error: EnvelopeError) -> StoreError {
    match error {
        EnvelopeError::Decode(DecodeError::FutureSchema(version)) => {
            StoreError::NewerVersion(newer_schema(place, version))
        }
        other => StoreError::Corrupt(format!("{place}: {other}")),
    }
}

/// Checks an event held as it was recorded (the memory store keeps events, not lines):
/// a schema version above [`SCHEMA_VERSION`] is [`StoreError::NewerVersion`].
pub fn check_schema(event: &Recorded) -> Result<(), StoreError> {
    if event.schema_version > SCHEMA_VERSION {
        Err(StoreError::NewerVersion(newer_schema(
            &format!("event at position {}", event.position),
            event.schema_version,
        )))
    } else {
        Ok(())
    }
}

fn newer_schema(place: &str, version: u32) -> String {
    format!(
        "{place} has event schema version {version}; this build reads versions up to \
         {SCHEMA_VERSION}"
    )
}

/// An IndexedDB database at a higher database version than this build's
/// (`VersionError` on open, or another connection upgraded it).
#[must_use]
pub fn newer_database(name: &str, found: Option<u32>, ours: u32) -> StoreError {
    let found = found.map_or_else(|| "a higher version".to_owned(), |v| format!("version {v}"));
    StoreError::NewerVersion(format!(
        "the IndexedDB database {name} is at {found}; this build knows version {ours}"
    ))
}

/// The layout of the localStorage keys this build reads and writes (see
/// [`super::local`]): version 1 is the layout of every log written before the layout
/// carried a version.
pub const LOCAL_LAYOUT: u32 = 1;

/// Checks the layout version stored under `key` (`None`: no version stored, which is
/// layout 1): a higher version is [`StoreError::NewerVersion`], so nothing is read or
/// written and the data is kept; anything but a version number is
/// [`StoreError::Corrupt`].
///
/// # Errors
/// The layout is not one this build reads.
pub fn check_local_layout(key: &str, stored: Option<&str>) -> Result<(), StoreError> {
    let Some(text) = stored else {
        return Ok(());
    };
    let canonical = !text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<u32>() {
        Ok(LOCAL_LAYOUT) if canonical => Ok(()),
        Ok(version) if canonical && version > LOCAL_LAYOUT => {
            Err(StoreError::NewerVersion(format!(
                "key {key} says layout version {version}; this build reads the localStorage \
                 layout version {LOCAL_LAYOUT}"
            )))
        }
        _ => Err(StoreError::Corrupt(format!(
            "key {key} holds {text:?}, not a layout version"
        ))),
    }
}

/// What an exception thrown while opening IndexedDB means, from the DOMException's
/// `name` and `message`, when it means the browser refuses IndexedDB in this window:
/// `InvalidStateError` (Firefox private mode, IndexedDB disabled) or `SecurityError`
/// (storage blocked, a sandboxed frame). There is no connection yet that could have
/// been closed. `None` for any other exception.
#[must_use]
pub fn open_refused(dom_name: &str, message: &str) -> Option<StoreError> {
    matches!(dom_name, "InvalidStateError" | "SecurityError")
        .then(|| StoreError::Unavailable(format!("{REFUSED} ({dom_name}: {message})")))
}

/// The wording of storage the browser refuses, for [`open_refused`] and a missing
/// `window.indexedDB`.
pub const REFUSED: &str =
    "IndexedDB is not available in this browser window (private mode or storage disabled)";

/// `InvalidStateError` on a connection that was open: it has been closed since.
#[must_use]
pub fn connection_closed(what: &str, message: &str) -> StoreError {
    StoreError::Unavailable(format!(
        "{what}: the database connection is closed (another tab may have deleted or \
         upgraded it; reload the page) ({message})"
    ))
}
