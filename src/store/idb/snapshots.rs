//! Stream snapshots of an IndexedDB log ([`crate::store::snapshots`]), kept in a
//! database of their own, `<db>~snapshots`, with one object store `snapshots`: key the
//! stream name, value the snapshot as JSON text. The log's own database and its layout
//! are untouched. The connection is opened on first use and kept (opening one per
//! call cost a command that took a snapshot several milliseconds); it closes itself
//! when another connection deletes or upgrades the database, and before this tab
//! deletes it with the bank.

use std::cell::RefCell;
use std::collections::HashMap;

use ::idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbDatabase;

use super::{failed, IndexedDbStore};
use crate::store::{StoreError, StreamSnapshot};

/// The object store of the snapshot database.
const SNAPSHOTS_STORE: &str = "snapshots";

/// The name of the snapshot database of log `db`.
#[must_use]
fn database_name(db: &str) -> String {
    format!("{db}~snapshots")
}

/// Opens (creating if need be) the snapshot database of log `db`.
async fn open(db: &str) -> Result<Database, StoreError> {
    let factory = Factory::new().map_err(|e| failed("IndexedDB is not available", &e))?;
    let name = database_name(db);
    let cannot = |e| failed(&format!("cannot open the IndexedDB database {name}"), &e);
    let mut request = factory.open(&name, Some(1)).map_err(cannot)?;
    request.on_upgrade_needed(|event| {
        if let Ok(db) = event.database() {
            let _ = db.create_object_store(SNAPSHOTS_STORE, ObjectStoreParams::new());
        }
    });
    request.await.map_err(cannot)
}

/// A kept connection, and the callback that closes it when another connection
/// deletes or upgrades its database.
type Kept = (IdbDatabase, Closure<dyn FnMut(web_sys::Event)>);

thread_local! {
    /// The open snapshot databases, by log name.
    static OPEN: RefCell<HashMap<String, Kept>> = RefCell::new(HashMap::new());
}

/// Closes and forgets the kept connection to the snapshot database of log `db`.
fn forget(db: &str) {
    if let Some((raw, _)) = OPEN.with(|o| o.borrow_mut().remove(db)) {
        raw.set_onversionchange(None);
        raw.close();
    }
}

/// The snapshot database of log `db`: the kept connection, or a new one, kept.
async fn connection(db: &str) -> Result<Database, StoreError> {
    if let Some(raw) = OPEN.with(|o| o.borrow().get(db).map(|(raw, _)| raw.clone())) {
        return Ok(Database::from(raw));
    }
    let raw: IdbDatabase = open(db).await?.into();
    let name = db.to_owned();
    let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| forget(&name));
    raw.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
    OPEN.with(|o| {
        o.borrow_mut()
            .insert(db.to_owned(), (raw.clone(), on_change))
    });
    Ok(Database::from(raw))
}

/// Runs `f` on the snapshot store of log `db` in one transaction and waits for it to
/// commit.
async fn with_store<T>(
    db: &str,
    mode: TransactionMode,
    f: impl AsyncFnOnce(&::idb::ObjectStore) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let database = connection(db).await?;
    let result = async {
        let tx = database
            .transaction(&[SNAPSHOTS_STORE], mode)
            .map_err(|e| failed("cannot start a snapshot transaction", &e))?;
        let store = tx
            .object_store(SNAPSHOTS_STORE)
            .map_err(|e| failed("cannot open the snapshot store", &e))?;
        let value = f(&store).await?;
        tx.await
            .map_err(|e| failed("the snapshot transaction failed", &e))?;
        Ok(value)
    }
    .await;
    if result.is_err() {
        // A closed or broken connection: the next call opens a new one.
        forget(db);
    }
    result
}

impl IndexedDbStore {
    /// Deletes the snapshot database of log `db` (with the log itself).
    pub(super) async fn delete_snapshot_database(
        factory: &Factory,
        db: &str,
    ) -> Result<(), StoreError> {
        forget(db);
        let name = database_name(db);
        let cannot = |e| failed(&format!("cannot delete the IndexedDB database {name}"), &e);
        factory.delete(&name).map_err(cannot)?.await.map_err(cannot)
    }

    /// See [`crate::store::EventStore::save_snapshot`].
    pub(super) async fn put_snapshot(&self, snapshot: StreamSnapshot) -> Result<(), StoreError> {
        let key = JsValue::from_str(&snapshot.stream);
        let text = JsValue::from_str(&snapshot.to_text());
        with_store(self.name(), TransactionMode::ReadWrite, async |store| {
            store
                .put(&text, Some(&key))
                .map_err(|e| failed("cannot store a snapshot", &e))?
                .await
                .map_err(|e| failed("cannot store a snapshot", &e))?;
            Ok(())
        })
        .await
    }

    /// See [`crate::store::EventStore::load_snapshot`]. Unreadable text is no snapshot.
    pub(super) async fn get_snapshot(
        &self,
        stream: &str,
    ) -> Result<Option<StreamSnapshot>, StoreError> {
        let key = JsValue::from_str(stream);
        with_store(self.name(), TransactionMode::ReadOnly, async |store| {
            let value = store
                .get(key)
                .map_err(|e| failed("cannot read a snapshot", &e))?
                .await
                .map_err(|e| failed("cannot read a snapshot", &e))?;
            Ok(value
                .and_then(|v| v.as_string())
                .and_then(|t| StreamSnapshot::from_text(&t)))
        })
        .await
    }

    /// See [`crate::store::EventStore::delete_snapshots`].
    pub(super) async fn clear_snapshots(&self) -> Result<usize, StoreError> {
        with_store(self.name(), TransactionMode::ReadWrite, async |store| {
            let count = store
                .count(None)
                .map_err(|e| failed("cannot count the snapshots", &e))?
                .await
                .map_err(|e| failed("cannot count the snapshots", &e))?;
            store
                .clear()
                .map_err(|e| failed("cannot delete the snapshots", &e))?
                .await
                .map_err(|e| failed("cannot delete the snapshots", &e))?;
            Ok(count as usize)
        })
        .await
    }
}
