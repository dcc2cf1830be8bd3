//! The store the browser app holds, whichever adapter backs it ([`AnyStore`]), the
//! cross-tab change notifier ([`ChangeNotifier`]), and what the browser adapters share:
//! the raw dump of stored records ([`RawRecord`]) and the JS value helpers. The checks
//! that a log read back has no gaps are in [`super::checks`].
//!
//! Async trait methods are not object-safe, so the adapters are joined by an enum
//! rather than a `Box<dyn EventStore>`.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

use super::idb::IndexedDbStore;
pub use super::js::RawRecord;
use super::js::{js_position, js_text};
use super::local::LocalStorageStore;
use super::{EventStore, MemoryStore, NewEvent, Recorded, StoreError, StreamSnapshot};

/// Which adapter backs a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// Kept in the page only: gone after a reload.
    Memory,
    /// The browser default.
    IndexedDb,
    /// Small and synchronous (a few megabytes at most).
    LocalStorage,
}

impl StoreKind {
    /// Reads a setting or query parameter: `idb` (or `indexeddb`), `local` (or
    /// `localstorage`), `memory`; case-insensitive.
    #[must_use]
    pub fn parse(text: &str) -> Option<StoreKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "idb" | "indexeddb" => Some(StoreKind::IndexedDb),
            "local" | "localstorage" => Some(StoreKind::LocalStorage),
            "memory" | "mem" => Some(StoreKind::Memory),
            _ => None,
        }
    }

    /// The short name [`StoreKind::parse`] reads back.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Memory => "memory",
            StoreKind::IndexedDb => "idb",
            StoreKind::LocalStorage => "local",
        }
    }

    /// Whether events survive a reload.
    #[must_use]
    pub fn is_persistent(self) -> bool {
        self != StoreKind::Memory
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StoreKind::Memory => "memory (nothing persists)",
            StoreKind::IndexedDb => "IndexedDB",
            StoreKind::LocalStorage => "localStorage",
        })
    }
}

/// The browser app's store: one of the adapters, chosen at start-up. Cloning gives
/// another handle on the same log.
#[derive(Clone)]
pub enum AnyStore {
    Memory(MemoryStore),
    IndexedDb(IndexedDbStore),
    LocalStorage(LocalStorageStore),
}

impl AnyStore {
    /// Opens the log named `name` in the chosen kind of storage (a memory store is
    /// always new and empty).
    pub async fn open(kind: StoreKind, name: &str) -> Result<AnyStore, StoreError> {
        Ok(match kind {
            StoreKind::Memory => AnyStore::Memory(MemoryStore::new()),
            StoreKind::IndexedDb => AnyStore::IndexedDb(IndexedDbStore::open(name).await?),
            StoreKind::LocalStorage => AnyStore::LocalStorage(LocalStorageStore::open(name)?),
        })
    }

    /// Deletes the log named `name` from the chosen kind of storage, for good. Dump
    /// it with [`AnyStore::raw_records`] first if it may be wanted.
    pub async fn delete(kind: StoreKind, name: &str) -> Result<(), StoreError> {
        match kind {
            StoreKind::Memory => Ok(()),
            StoreKind::IndexedDb => IndexedDbStore::delete_database(name).await,
            StoreKind::LocalStorage => LocalStorageStore::delete(name),
        }
    }

    /// Calls `f` when another connection deletes the database under this store
    /// (IndexedDB; a memory store is nobody else's, and localStorage has no
    /// connection to be told).
    pub fn on_deleted(&self, f: impl Fn() + 'static) {
        if let AnyStore::IndexedDb(s) = self {
            s.on_deleted(f);
        }
    }

    #[must_use]
    pub fn kind(&self) -> StoreKind {
        match self {
            AnyStore::Memory(_) => StoreKind::Memory,
            AnyStore::IndexedDb(_) => StoreKind::IndexedDb,
            AnyStore::LocalStorage(_) => StoreKind::LocalStorage,
        }
    }

    /// Every stored record as it is, readable or not, in storage order.
    pub async fn raw_records(&self) -> Result<Vec<RawRecord>, StoreError> {
        match self {
            AnyStore::Memory(s) => Ok(s
                .read_all(1)
                .await?
                .iter()
                .map(|r| RawRecord {
                    key: r.position.to_string(),
                    value: r.to_json_line(),
                })
                .collect()),
            AnyStore::IndexedDb(s) => s.raw_records().await,
            AnyStore::LocalStorage(s) => s.raw_records(),
        }
    }
}

impl EventStore for AnyStore {
    async fn append(
        &self,
        stream: &str,
        expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        match self {
            AnyStore::Memory(s) => s.append(stream, expected_version, events).await,
            AnyStore::IndexedDb(s) => s.append(stream, expected_version, events).await,
            AnyStore::LocalStorage(s) => s.append(stream, expected_version, events).await,
        }
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_version: u64,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        match self {
            AnyStore::Memory(s) => s.read_stream(stream, from_version).await,
            AnyStore::IndexedDb(s) => s.read_stream(stream, from_version).await,
            AnyStore::LocalStorage(s) => s.read_stream(stream, from_version).await,
        }
    }

    async fn read_all(&self, from_position: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        match self {
            AnyStore::Memory(s) => s.read_all(from_position).await,
            AnyStore::IndexedDb(s) => s.read_all(from_position).await,
            AnyStore::LocalStorage(s) => s.read_all(from_position).await,
        }
    }

    /// IndexedDB in one transaction per call, the other kinds one append per run of a
    /// stream.
    async fn restore(&self, events: &[Recorded]) -> Result<(), StoreError> {
        match self {
            AnyStore::Memory(s) => s.restore(events).await,
            AnyStore::IndexedDb(s) => s.restore(events).await,
            AnyStore::LocalStorage(s) => s.restore(events).await,
        }
    }

    async fn save_snapshot(&self, snapshot: StreamSnapshot) -> Result<(), StoreError> {
        match self {
            AnyStore::Memory(s) => s.save_snapshot(snapshot).await,
            AnyStore::IndexedDb(s) => s.save_snapshot(snapshot).await,
            AnyStore::LocalStorage(s) => s.save_snapshot(snapshot).await,
        }
    }

    async fn load_snapshot(&self, stream: &str) -> Result<Option<StreamSnapshot>, StoreError> {
        match self {
            AnyStore::Memory(s) => s.load_snapshot(stream).await,
            AnyStore::IndexedDb(s) => s.load_snapshot(stream).await,
            AnyStore::LocalStorage(s) => s.load_snapshot(stream).await,
        }
    }

    async fn delete_snapshots(&self) -> Result<usize, StoreError> {
        match self {
            AnyStore::Memory(s) => s.delete_snapshots().await,
            AnyStore::IndexedDb(s) => s.delete_snapshots().await,
            AnyStore::LocalStorage(s) => s.delete_snapshots().await,
        }
    }
}

/// Tells the other tabs (and other handles in this page) on one log that events were
/// appended, over a `BroadcastChannel` named after the log. A tab posts "appended up
/// to position N" after each append; the others get N in their callback and catch up
/// with `read_all`. A channel never delivers to the very object that posted.
///
/// Messages are hints, not data: a tab that misses one still sees everything at its
/// next read. Dropping the notifier closes the channel.
pub struct ChangeNotifier {
    channel: BroadcastChannel,
    callback: RefCell<Option<MessageHandler>>,
}

type MessageHandler = Closure<dyn FnMut(MessageEvent)>;

impl ChangeNotifier {
    /// A notifier for the log named `db_name` (the name the store was opened with).
    pub fn new(db_name: &str) -> Result<ChangeNotifier, StoreError> {
        let channel = BroadcastChannel::new(&format!("sagabank-changes/{db_name}"))
            .map_err(|e| StoreError::Unavailable(format!("BroadcastChannel: {}", js_text(&e))))?;
        Ok(ChangeNotifier {
            channel,
            callback: RefCell::new(None),
        })
    }

    /// Tells the others that the log now reaches `position`. Best effort: a failure to
    /// post is not an error of the append that preceded it.
    pub fn post(&self, position: u64) {
        // Positions stay far below 2^53, so an f64 carries them exactly.
        #[allow(clippy::cast_precision_loss)]
        let message = JsValue::from_f64(position as f64);
        let _ = self.channel.post_message(&message);
    }

    /// Tells the others on this log that this tab moved to the log `db_name` (a
    /// scenario, an import or a reset), so they can offer to follow.
    pub fn post_moved(&self, db_name: &str) {
        let message = JsValue::from_str(&format!("{MOVED_PREFIX}{db_name}"));
        let _ = self.channel.post_message(&message);
    }

    /// Calls `callback` with each message from another tab (replacing any callback
    /// set before). Messages it cannot read are ignored.
    pub fn on_message(&self, mut callback: impl FnMut(Notice) + 'static) {
        let closure = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if let Some(position) = js_position(&data) {
                callback(Notice::Appended(position));
            } else if let Some(db) = data
                .as_string()
                .and_then(|text| text.strip_prefix(MOVED_PREFIX).map(str::to_owned))
            {
                callback(Notice::Moved(db));
            }
        });
        self.channel
            .set_onmessage(Some(closure.as_ref().unchecked_ref()));
        *self.callback.borrow_mut() = Some(closure);
    }
}

/// What another tab on the same log said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The log now reaches this position.
    Appended(u64),
    /// That tab moved to another log, named here.
    Moved(String),
}

const MOVED_PREFIX: &str = "moved:";

impl Drop for ChangeNotifier {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
