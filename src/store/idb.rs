//! The IndexedDB event store, the browser default, built on the `idb` crate.
//!
//! # Layout
//!
//! One database per log (the name given to [`IndexedDbStore::open`]), at database
//! version 3, with two object stores. `events`, the log itself:
//!
//! - key: the global position (in-line key path `position`), 1-based and gap-free;
//! - value: `{position, stream, version, line}` where `line` is the event's JSON line
//!   ([`Recorded::to_json_line`], which carries its own schema version) and `stream`
//!   and `version` repeat the envelope for the index;
//! - index `stream_version`: UNIQUE on `[stream, version]`.
//!
//! And `chunks` (added by version 2; a version 1 database gets it on upgrade, its
//! events untouched): derived, append-only copies of the log in big records, so a
//! cold start reads a few large strings rather than one object per event. A chunk is
//! `{first, last, lines}`, keyed by `first`: the stored lines of positions
//! `first..=last` joined by `'\n'`, [`CHUNK`] events each.
//!
//! Version 3 adds no store but one more kind of record in `chunks`: a log written
//! whole into an empty database (a fork, an import) is kept as chunks only, with a
//! `"prefix"` record naming where they end and each stream's version there (see
//! [`prefix`]). Those chunks are the log, not a cache. Version 2 databases have no
//! such record and are read as before; the version is raised so that an older build
//! says "reload" instead of reading a log whose first events it cannot see.
//!
//! Every read goes through [`Recorded::from_json_line`], so older schema versions are
//! upcast, and is checked against its key and the index fields; anything unreadable is
//! [`StoreError::Corrupt`] naming the position and the reason (a newer schema version
//! is [`StoreError::NewerVersion`]). Nothing is ever skipped or deleted on read.
//!
//! Account snapshots live apart, in a database of their own (`<name>~snapshots`,
//! `idb/snapshots.rs`), so this layout and [`DB_VERSION`] are unchanged by them; deleting
//! the database deletes that one too.
//!
//! # Chunks
//!
//! See [`chunks`]: the events are the truth; chunks are a cache.
//!
//! # Appends
//!
//! One append is one `readwrite` transaction over `events`: it reads the stream's
//! last version (through the index) and the last position, checks the expected
//! version, and adds every event, then waits for the transaction to commit. IndexedDB
//! runs `readwrite` transactions over the same store one after another, across
//! connections and tabs, so a second writer reads the first one's events and gets a
//! [`StoreError::Conflict`]; should two ever overlap, the unique index and `add` (which
//! never overwrites a key) make the loser's transaction abort, and that abort is
//! reported as a conflict too. A transaction that aborts writes nothing, so an append
//! lands whole or not at all; `QuotaExceededError` becomes
//! [`StoreError::QuotaExceeded`].
//!
//! When another tab deletes or upgrades the database, this connection closes itself
//! (so it does not block the other tab); later calls fail as [`StoreError::Unavailable`]
//! after a delete and [`StoreError::NewerVersion`] after an upgrade, as does opening a
//! database above [`DB_VERSION`]. A refused `indexedDB.open`: [`super::skew::open_refused`].

use std::cell::RefCell;
use std::future::IntoFuture;
use std::rc::Rc;

use ::idb::{
    CursorDirection, Database, DatabaseEvent, Factory, IndexParams, KeyPath, ObjectStore,
    ObjectStoreParams, TransactionMode,
};
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;
use web_sys::IdbDatabase;

use super::checks::StreamCheck;
use super::idb_skew::{open_failure, UpgradeWatch};
use super::js::{js_position, js_text, RawRecord};
use super::skew::REFUSED;
use super::{EventStore, NewEvent, Recorded, StoreError, StreamSnapshot};

mod chunks;
mod fail;
pub mod prefix;
mod records;
mod restore;
mod snapshots;
mod tx;

use prefix::{prefix_lines, prefix_stream, raw_lines, Prefix};
use tx::TxDone;

use records::{add_events, decode, position_at, record_value, stream_range};

pub use fail::error_from_dom;
use fail::{at, dom_exception, failed};

/// The IndexedDB schema version of the database (not the events' schema version):
/// 1 had `events` only; 2 adds `chunks`; 3 may keep a copied prefix in `chunks`
/// ([`prefix`]).
pub const DB_VERSION: u32 = 3;
/// The object store holding the events.
pub const EVENTS_STORE: &str = "events";
/// The object store holding chunks: derived copies of runs of the log (a cache).
pub const CHUNKS_STORE: &str = "chunks";
/// The number of events in one chunk.
pub const CHUNK: u64 = 5_000;
/// The unique index on `[stream, version]`.
pub const STREAM_INDEX: &str = "stream_version";

/// An event log in one IndexedDB database. Cloning gives another handle on the same
/// connection; open the name again for a second connection (as another tab would).
#[derive(Clone)]
pub struct IndexedDbStore {
    inner: Rc<Inner>,
}

struct Inner {
    name: String,
    /// Holds the version-change callback that closes the connection.
    db: Database,
    raw: IdbDatabase,
    /// Events per chunk: [`CHUNK`], or fewer in tests.
    chunk: u64,
    /// Whether another connection upgraded the database since.
    upgrade: UpgradeWatch,
    /// The copied prefix, once seen ([`prefix`]): it never changes once written.
    prefix: RefCell<Option<Rc<Prefix>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.raw.set_onversionchange(None);
        self.raw.close();
    }
}

impl IndexedDbStore {
    /// Opens (creating if need be) the log stored in the IndexedDB database `name`.
    pub async fn open(name: &str) -> Result<IndexedDbStore, StoreError> {
        Self::open_with_chunk(name, CHUNK).await
    }

    /// [`IndexedDbStore::open`] writing chunks of `chunk` events instead of [`CHUNK`]
    /// (at least 1): for tests, which then need a few hundred events, not thousands.
    /// Chunks of another size already stored are read as they are.
    pub async fn open_with_chunk(name: &str, chunk: u64) -> Result<IndexedDbStore, StoreError> {
        let factory =
            Factory::new().map_err(|e| StoreError::Unavailable(format!("{REFUSED} ({e})")))?;
        let open_failed = |e: ::idb::Error| {
            dom_exception(&e)
                .and_then(|d| open_failure(name, DB_VERSION, &d))
                .unwrap_or_else(|| {
                    failed(&format!("cannot open the IndexedDB database {name}"), &e)
                })
        };
        let mut request = factory.open(name, Some(DB_VERSION)).map_err(open_failed)?;
        request.on_upgrade_needed(|event| {
            // Failures here leave the schema incomplete; the check below reports it.
            let Ok(db) = event.database() else { return };
            let names = db.store_names();
            let has_events = names.iter().any(|s| s == EVENTS_STORE);
            if !has_events && event.old_version().unwrap_or(0) > 0 {
                // A database of some other app, without `events`: left as it is, and
                // the check below reports it.
                return;
            }
            if !has_events {
                let mut params = ObjectStoreParams::new();
                params.key_path(Some(KeyPath::new_single("position")));
                if let Ok(store) = db.create_object_store(EVENTS_STORE, params) {
                    let mut unique = IndexParams::new();
                    unique.unique(true);
                    let _ = store.create_index(
                        STREAM_INDEX,
                        KeyPath::new_array(["stream", "version"]),
                        Some(unique),
                    );
                }
            }
            if !names.iter().any(|s| s == CHUNKS_STORE) {
                let mut params = ObjectStoreParams::new();
                params.key_path(Some(KeyPath::new_single("first")));
                let _ = db.create_object_store(CHUNKS_STORE, params);
            }
        });
        let db = request.await.map_err(open_failed)?;
        let raw: IdbDatabase = db.into();
        let mut db = Database::from(raw.clone());
        // Another tab deleting or upgrading the database must not wait for this one.
        let upgrade = UpgradeWatch::install(&mut db, &raw, name, DB_VERSION);
        let store = IndexedDbStore {
            inner: Rc::new(Inner {
                name: name.to_owned(),
                db,
                raw,
                chunk: chunk.max(1),
                upgrade,
                prefix: RefCell::new(None),
            }),
        };
        store.check_schema(name)?;
        Ok(store)
    }

    /// Deletes the database `name` and everything in it, and its snapshot database
    /// ([`snapshots`]). Other connections on it (in this tab or others) close
    /// themselves first.
    pub async fn delete_database(name: &str) -> Result<(), StoreError> {
        let factory = Factory::new().map_err(|e| failed("IndexedDB is not available", &e))?;
        factory
            .delete(name)
            .map_err(|e| failed(&format!("cannot delete the IndexedDB database {name}"), &e))?
            .await
            .map_err(|e| failed(&format!("cannot delete the IndexedDB database {name}"), &e))?;
        Self::delete_snapshot_database(&factory, name).await
    }

    /// The database name this store was opened with.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Calls `f` when another connection deletes this database (another tab's Reset,
    /// say): this connection has closed itself by then, so the delete goes
    /// ahead, and every later call fails as unavailable.
    pub fn on_deleted(&self, f: impl Fn() + 'static) {
        self.inner.upgrade.on_deleted(f);
    }

    /// Closes this connection (every clone of it); later calls fail as unavailable.
    pub fn close(&self) {
        self.inner.raw.close();
    }

    /// Every stored record as it is, readable or not, in position order: for
    /// "download the raw data" when the log cannot be read.
    pub async fn raw_records(&self) -> Result<Vec<RawRecord>, StoreError> {
        let (_tx, store, chunks) = self.begin(TransactionMode::ReadOnly)?;
        let keys = store
            .get_all_keys(None, None)
            .map_err(|e| failed("read the keys", &e))?
            .into_future();
        let values = store
            .get_all(None, None)
            .map_err(|e| failed("read the records", &e))?
            .into_future();
        let mut out = match chunks {
            Some(chunks) => self.raw_copied(&chunks).await,
            None => Vec::new(),
        };
        let keys = keys.await.map_err(|e| failed("read the keys", &e))?;
        let values = values.await.map_err(|e| failed("read the records", &e))?;
        out.extend(keys.iter().zip(&values).map(|(key, value)| {
            RawRecord {
                key: js_position(key).map_or_else(|| js_text(key), |p| p.to_string()),
                value: Reflect::get(value, &"line".into())
                    .ok()
                    .and_then(|line| line.as_string())
                    .unwrap_or_else(|| js_text(value)),
            }
        }));
        Ok(out)
    }

    /// The copied prefix's lines as raw records, one per position; if they cannot be
    /// read as a prefix, every chunk as it is stored.
    async fn raw_copied(&self, chunks: &ObjectStore) -> Vec<RawRecord> {
        let lines = match self.prefix_in(Some(chunks)).await {
            Ok(None) => return Vec::new(),
            Ok(Some(prefix)) => prefix_lines(chunks, &prefix).await.ok(),
            Err(_) => None,
        };
        if let Some(lines) = lines {
            return raw_lines(lines)
                .into_iter()
                .map(|(position, value)| RawRecord {
                    key: position.to_string(),
                    value,
                })
                .collect();
        }
        let Ok(request) = prefix::all_chunks().and_then(|range| {
            chunks
                .get_all(Some(range), None)
                .map_err(|e| failed("read the chunks", &e))
        }) else {
            return Vec::new();
        };
        let values = request.await.unwrap_or_default();
        let field = |v: &JsValue, name: &str| Reflect::get(v, &name.into()).ok();
        values
            .iter()
            .map(|v| RawRecord {
                key: format!(
                    "chunk {}",
                    field(v, "first").map_or_else(|| "?".into(), |f| js_text(&f))
                ),
                value: field(v, "lines")
                    .and_then(|l| l.as_string())
                    .unwrap_or_else(|| js_text(v)),
            })
            .collect()
    }

    fn check_schema(&self, name: &str) -> Result<(), StoreError> {
        let not_ours = || {
            StoreError::Corrupt(format!(
                "the IndexedDB database {name} is not a sagabank event log: it has no \
                 \"{EVENTS_STORE}\" store with a \"{STREAM_INDEX}\" index"
            ))
        };
        if !self.inner.raw.object_store_names().contains(EVENTS_STORE) {
            return Err(not_ours());
        }
        let (_tx, store, _) = self.begin(TransactionMode::ReadOnly)?;
        if store.index_names().iter().any(|i| i == STREAM_INDEX) {
            Ok(())
        } else {
            Err(not_ours())
        }
    }

    /// A transaction over the events and, when the database has it, the chunks (where
    /// a copied prefix lives).
    fn begin(
        &self,
        mode: TransactionMode,
    ) -> Result<(::idb::Transaction, ObjectStore, Option<ObjectStore>), StoreError> {
        self.inner.upgrade.check()?;
        let with_chunks = self.inner.raw.object_store_names().contains(CHUNKS_STORE);
        let names: &[&str] = if with_chunks {
            &[EVENTS_STORE, CHUNKS_STORE]
        } else {
            &[EVENTS_STORE]
        };
        let tx = self
            .inner
            .db
            .transaction(names, mode)
            .map_err(|e| failed("cannot start an IndexedDB transaction", &e))?;
        let store = tx
            .object_store(EVENTS_STORE)
            .map_err(|e| failed("cannot open the events store", &e))?;
        let chunks = if with_chunks {
            Some(
                tx.object_store(CHUNKS_STORE)
                    .map_err(|e| failed("cannot open the chunks store", &e))?,
            )
        } else {
            None
        };
        Ok((tx, store, chunks))
    }

    /// The last version of `stream` (0 if it has none), read in `store`'s transaction:
    /// its last event record's, else its version in the copied `prefix`.
    async fn last_version(
        store: &ObjectStore,
        stream: &str,
        prefix: Option<&Prefix>,
    ) -> Result<u64, StoreError> {
        let index = store
            .index(STREAM_INDEX)
            .map_err(|e| failed("cannot open the stream index", &e))?;
        let cursor = index
            .open_key_cursor(Some(stream_range(stream, 1)?), Some(CursorDirection::Prev))
            .map_err(|e| failed("cannot read the stream's version", &e))?
            .await
            .map_err(|e| failed("cannot read the stream's version", &e))?;
        let Some(cursor) = cursor else {
            return Ok(prefix.map_or(0, |p| p.version(stream)));
        };
        let key = cursor
            .key()
            .map_err(|e| failed("cannot read the stream's version", &e))?;
        let version = Array::from(&key).get(1);
        js_position(&version).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "stream {stream} has an invalid version in the index: {}",
                js_text(&key)
            ))
        })
    }

    /// The version `stream` has now, in a transaction of its own.
    async fn current_version(&self, stream: &str) -> Result<u64, StoreError> {
        let (_tx, store, chunks) = self.begin(TransactionMode::ReadOnly)?;
        let prefix = self.prefix_in(chunks.as_ref()).await?;
        Self::last_version(&store, stream, prefix.as_deref()).await
    }

    /// The position of the last stored event (0 for an empty log).
    async fn last_position(store: &ObjectStore) -> Result<u64, StoreError> {
        let cursor = store
            .open_key_cursor(None, Some(CursorDirection::Prev))
            .map_err(|e| failed("cannot read the last position", &e))?
            .await
            .map_err(|e| failed("cannot read the last position", &e))?;
        position_at(cursor)
    }
}

impl EventStore for IndexedDbStore {
    async fn append(
        &self,
        stream: &str,
        expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        let (tx, store, chunks) = self.begin(TransactionMode::ReadWrite)?;
        let done = TxDone::watch(store.transaction().into());
        // The reads are queued at once; the transaction stays active between them.
        let last_position = store
            .open_key_cursor(None, Some(CursorDirection::Prev))
            .map_err(|e| failed("cannot read the last position", &e))?
            .into_future();
        let prefix = self.prefix_in(chunks.as_ref()).await?;
        let current = Self::last_version(&store, stream, prefix.as_deref()).await?;
        let last_position = position_at(
            last_position
                .await
                .map_err(|e| failed("cannot read the last position", &e))?,
        )?
        .max(prefix.map_or(0, |p| p.last));
        if current != expected_version {
            let _ = tx.abort();
            return Err(StoreError::Conflict {
                stream: stream.to_owned(),
                expected: expected_version,
                actual: current,
            });
        }
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let mut stored = Vec::with_capacity(events.len());
        for (offset, event) in (1u64..).zip(events) {
            let recorded = Recorded::new(
                event,
                stream,
                expected_version + offset,
                last_position + offset,
            );
            // No callbacks: a failed add aborts the transaction, which `done` reports.
            if let Err(e) = store.add(
                &record_value(&recorded, &recorded.to_json_line().into()),
                None,
            ) {
                let _ = store.transaction().abort();
                return Err(failed("cannot store an event", &e));
            }
            stored.push(Rc::new(recorded));
        }
        drop(tx);
        match done.wait().await {
            Ok(()) => Ok(stored),
            Err(Some(e)) if e.name() == "ConstraintError" => {
                // Another writer took the version or the position first.
                let actual = self
                    .current_version(stream)
                    .await
                    .unwrap_or(expected_version + 1);
                Err(StoreError::Conflict {
                    stream: stream.to_owned(),
                    expected: expected_version,
                    actual,
                })
            }
            Err(Some(e)) => Err(error_from_dom("the append was not stored", &e)),
            Err(None) => Err(StoreError::Unavailable(
                "the append was aborted and nothing was stored".into(),
            )),
        }
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_version: u64,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        let (_tx, store, chunks) = self.begin(TransactionMode::ReadOnly)?;
        let index = store
            .index(STREAM_INDEX)
            .map_err(|e| failed("cannot open the stream index", &e))?;
        let from = from_version.max(1);
        let values = index
            .get_all(Some(stream_range(stream, from)?), None)
            .map_err(|e| failed("cannot read the stream", &e))?
            .into_future();
        let mut check = StreamCheck::new(stream, from_version);
        let mut out = Vec::new();
        let prefix = self.prefix_in(chunks.as_ref()).await?;
        if let (Some(prefix), Some(chunks)) = (prefix, &chunks) {
            if prefix.version(stream) >= from {
                for event in prefix_stream(chunks, &prefix, stream, from).await? {
                    check.check(&event, || at(event.position))?;
                    out.push(Rc::new(event));
                }
            }
        }
        let values = values
            .await
            .map_err(|e| failed("cannot read the stream", &e))?;
        for value in &values {
            let (event, _) = decode(value)?;
            check.check(&event, || at(event.position))?;
            out.push(Rc::new(event));
        }
        Ok(out)
    }

    async fn read_all(&self, from_position: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.read_all_chunked(from_position).await
    }

    /// Writes events recorded elsewhere (an imported log) exactly as they are:
    /// positions, versions and ids kept, all in one transaction, so a long log takes
    /// one write instead of one per stream run. `events` must continue the stored log
    /// (the first one follows the last stored position) and be in order without gaps,
    /// as [`crate::app::import::parse_log`] checks; a stream version stored twice fails
    /// the whole call (the stream index is unique) and nothing is written.
    async fn save_snapshot(&self, snapshot: StreamSnapshot) -> Result<(), StoreError> {
        self.put_snapshot(snapshot).await
    }

    async fn load_snapshot(&self, stream: &str) -> Result<Option<StreamSnapshot>, StoreError> {
        self.get_snapshot(stream).await
    }

    async fn delete_snapshots(&self) -> Result<usize, StoreError> {
        self.clear_snapshots().await
    }

    async fn restore(&self, events: &[Recorded]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let (tx, store, chunks) = self.begin(TransactionMode::ReadWrite)?;
        let done = TxDone::watch(store.transaction().into());
        let prefix = self.prefix_in(chunks.as_ref()).await?;
        let last = Self::last_position(&store)
            .await?
            .max(prefix.as_ref().map_or(0, |p| p.last));
        if let Err(e) = Self::check_restore(&store, prefix.as_deref(), events, last).await {
            let _ = tx.abort();
            return Err(e);
        }
        // Into an empty log, a copied prefix: chunks only ([`prefix`]). Else records.
        let written = match &chunks {
            Some(chunks) if last == 0 => self.write_prefix(chunks, events).map(Some),
            _ => add_events(&store, events).map(|()| None),
        };
        let written = match written {
            Ok(written) => written,
            Err(e) => {
                let _ = store.transaction().abort();
                return Err(e);
            }
        };
        drop(tx);
        match done.wait().await {
            Ok(()) => {
                if let Some(prefix) = written {
                    self.keep_prefix(prefix);
                }
                Ok(())
            }
            Err(Some(e)) => Err(error_from_dom("the events were not stored", &e)),
            Err(None) => Err(StoreError::Unavailable(
                "the write was aborted and nothing was stored".into(),
            )),
        }
    }
}
