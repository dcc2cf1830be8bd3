//! Stream snapshots: a stream's state at one version, kept beside the log as a cache
//! (Young: a snapshot is an optimisation of loading, never a source of truth). The
//! store knows nothing of what the state means: it keeps the latest snapshot of each
//! stream as text, and drops every snapshot on request. Whoever reads one checks it
//! ([`crate::app::account_snapshots`]) and, if in doubt, folds the stream from its
//! first event instead.
//!
//! Where each adapter keeps them, apart from the log so that the log's layout is
//! unchanged: memory beside its events; localStorage under
//! `sagabank-snapshots/<db>/<stream>` (outside the log's own prefix); IndexedDB in a
//! database of its own, `<db>~snapshots`.

use serde::{Deserialize, Serialize};

/// One stream's state at a version, as its writer stored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamSnapshot {
    /// The stream it is a snapshot of.
    pub stream: String,
    /// The stream version the state was taken at: every event up to it is folded in.
    pub version: u64,
    /// The id of the event at `version`: ties the snapshot to this log (a log reset or
    /// replaced since has other ids there).
    pub event_id: String,
    /// The version of the code that wrote `state` (its shape): another version's
    /// snapshot is ignored, not trusted.
    pub format: u32,
    /// The event schema version of the code that wrote it: likewise.
    pub schema: u32,
    /// The folded state, as JSON.
    pub state: String,
}

impl StreamSnapshot {
    /// The snapshot as one JSON text, as the browser stores keep it.
    #[must_use]
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A snapshot read back from [`StreamSnapshot::to_text`]; `None` if the text is
    /// not one (damaged, or some other data): the reader then folds the whole stream.
    #[must_use]
    pub fn from_text(text: &str) -> Option<StreamSnapshot> {
        serde_json::from_str(text).ok()
    }
}
