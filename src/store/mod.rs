//! The append-only event log: the envelope every stored event sits in, the
//! [`EventStore`] port, and its adapters. The store knows nothing of accounts or
//! transfers: it keeps streams of events in order and refuses stale writes.
//!
//! Adapters: [`memory::MemoryStore`] everywhere; on wasm32 also the browser's
//! IndexedDB and localStorage stores. [`contract`] holds the checks every adapter
//! must pass, run natively for memory and in headless Chromium for the others.

#[cfg(target_arch = "wasm32")]
pub mod any;
pub(crate) mod checks;
pub mod contract;
pub mod envelope;
#[cfg(target_arch = "wasm32")]
pub mod idb;
#[cfg(target_arch = "wasm32")]
mod idb_skew;
#[cfg(target_arch = "wasm32")]
pub(crate) mod js;
#[cfg(target_arch = "wasm32")]
pub mod local;
pub mod memory;
pub mod restore;
pub mod skew;
pub mod snapshots;

use std::rc::Rc;

use thiserror::Error;

pub use envelope::{NewEvent, Recorded};
pub use memory::MemoryStore;
pub use snapshots::StreamSnapshot;

/// Why the store refused or failed an operation.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StoreError {
    /// Someone else appended to the stream first: reload and decide again.
    #[error("stream {stream} changed meanwhile (expected version {expected}, found {actual})")]
    Conflict {
        stream: String,
        expected: u64,
        actual: u64,
    },
    /// The browser refused to store more data.
    #[error("storage is full: nothing was written ({0})")]
    QuotaExceeded(String),
    /// Stored data cannot be read back; nothing was changed.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// The storage itself failed (blocked, closed, unavailable).
    #[error("storage failed: {0}")]
    Unavailable(String),
    /// The events given do not continue the log (a gap, an overlap, a stream version
    /// out of order): refused, and nothing was written.
    #[error("the events do not continue the log: {0}")]
    Discontinuous(String),
    /// The log was written by a newer build of sagabank (an event schema version or a
    /// database layout this build does not know): nothing was read into the app or
    /// written, and only a reload (which loads the newer build) can go on. The text
    /// names what was newer.
    #[error("this bank was written by a newer version of sagabank: reload the page ({0})")]
    NewerVersion(String),
}

/// An append-only log of events, organised in streams.
///
/// Async without a `Send` bound: in the browser everything runs on one thread and
/// IndexedDB handles cannot cross threads.
#[allow(async_fn_in_trait)]
pub trait EventStore {
    /// Appends `events` to `stream` if its current version is `expected_version`
    /// (0 for a stream that does not exist yet). All events land or none do; the
    /// check and the write happen in one storage transaction. Returns the events as
    /// stored, with their positions and versions.
    async fn append(
        &self,
        stream: &str,
        expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError>;

    /// The events of `stream` with version >= `from_version` (1-based), in order.
    async fn read_stream(
        &self,
        stream: &str,
        from_version: u64,
    ) -> Result<Vec<Rc<Recorded>>, StoreError>;

    /// Every event with global position >= `from_position` (1-based), in commit order.
    async fn read_all(&self, from_position: u64) -> Result<Vec<Rc<Recorded>>, StoreError>;

    /// Writes events recorded elsewhere (an imported log, checked by
    /// [`crate::app::import::parse_log`]) onto the end of this log, keeping their
    /// positions, versions and ids. Fails, writing nothing, if they do not continue
    /// the log ([`StoreError::Discontinuous`]) or an event would land anywhere but
    /// where it was recorded. Memory and localStorage make one append per run of a
    /// stream ([`restore::restore_by_append`]); IndexedDB writes it in one transaction.
    /// (No default body: one would make this module and `restore` use each other.)
    async fn restore(&self, events: &[Recorded]) -> Result<(), StoreError>;

    /// Keeps `snapshot` as its stream's latest ([`snapshots`]: a cache beside the log,
    /// never part of it). A store that keeps none ignores it.
    async fn save_snapshot(&self, snapshot: StreamSnapshot) -> Result<(), StoreError> {
        let _ = snapshot;
        Ok(())
    }

    /// The latest snapshot kept for `stream`, if any, unchecked: its reader decides
    /// whether to trust it.
    async fn load_snapshot(&self, stream: &str) -> Result<Option<StreamSnapshot>, StoreError> {
        let _ = stream;
        Ok(None)
    }

    /// Drops every snapshot; returns how many there were. The log is untouched.
    async fn delete_snapshots(&self) -> Result<usize, StoreError> {
        Ok(0)
    }
}
