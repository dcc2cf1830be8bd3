//! The browser event stores in headless Chromium: the shared contract on IndexedDB and
//! localStorage (with two handles on one database racing), damaged and old-schema
//! data, a full localStorage, and the cross-tab change notifier.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test browser_store`.
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Object, Reflect};
use sagabank::domain::{Event, Money, SCHEMA_VERSION};
use sagabank::store::any::{AnyStore, ChangeNotifier, Notice, StoreKind};
use sagabank::store::contract::{self, sample_event};
use sagabank::store::idb::{
    error_from_dom, IndexedDbStore, CHUNKS_STORE, DB_VERSION, EVENTS_STORE,
};
use sagabank::store::local::LocalStorageStore;
use sagabank::store::{EventStore, MemoryStore, Recorded, StoreError};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod browser_support;
use browser_support::sleep;

/// A database / store name no earlier test or run has used.
fn fresh_name(what: &str) -> String {
    browser_support::fresh_name("test", what)
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A new IndexedDB log named after `what`, holding one event (`account-a` version 1).
async fn idb_with_one_event(what: &str) -> (String, IndexedDbStore) {
    let name = fresh_name(what);
    let store = IndexedDbStore::open(&name).await.unwrap();
    store
        .append("account-a", 0, vec![sample_event("a", 0)])
        .await
        .unwrap();
    (name, store)
}

fn corrupt_message(result: Result<impl std::fmt::Debug, StoreError>) -> String {
    match result {
        Err(StoreError::Corrupt(message)) => message,
        other => panic!("expected a Corrupt error, got {other:?}"),
    }
}

/// Writes `value` into the events store of database `name`, bypassing the adapter.
async fn idb_put_raw(name: &str, value: &JsValue) {
    let db = idb::Factory::new()
        .unwrap()
        .open(name, None)
        .unwrap()
        .await
        .unwrap();
    let tx = db
        .transaction(&[EVENTS_STORE], idb::TransactionMode::ReadWrite)
        .unwrap();
    let store = tx.object_store(EVENTS_STORE).unwrap();
    store.put(value, None).unwrap().await.unwrap();
    assert!(tx.await.unwrap().is_committed());
    db.close();
}

/// A stored IndexedDB record: `{position, stream, version, line}`.
fn idb_record(position: u64, stream: &str, version: u64, line: &str) -> JsValue {
    let object = Object::new();
    Reflect::set(&object, &"position".into(), &(position as f64).into()).unwrap();
    Reflect::set(&object, &"stream".into(), &stream.into()).unwrap();
    Reflect::set(&object, &"version".into(), &(version as f64).into()).unwrap();
    Reflect::set(&object, &"line".into(), &line.into()).unwrap();
    object.into()
}

async fn idb_pair() -> (IndexedDbStore, IndexedDbStore) {
    let name = fresh_name("idb");
    let a = IndexedDbStore::open(&name).await.expect("open a");
    let b = IndexedDbStore::open(&name).await.expect("open b");
    (a, b)
}

fn local_pair() -> (LocalStorageStore, LocalStorageStore) {
    let name = fresh_name("local");
    let a = LocalStorageStore::open(&name).expect("open a");
    let b = LocalStorageStore::open(&name).expect("open b");
    (a, b)
}

// ---------------------------------------------------------------------------------
// The contract

#[wasm_bindgen_test]
async fn indexeddb_keeps_the_store_contract_with_two_connections_racing() {
    contract::run_all(idb_pair).await.unwrap();
}

#[wasm_bindgen_test]
async fn local_storage_keeps_the_store_contract() {
    contract::run_all(|| async { local_pair() }).await.unwrap();
}

#[wasm_bindgen_test]
async fn any_store_keeps_the_contract_on_every_adapter() {
    contract::run_all(|| async {
        let name = fresh_name("any-idb");
        (
            AnyStore::open(StoreKind::IndexedDb, &name).await.unwrap(),
            AnyStore::open(StoreKind::IndexedDb, &name).await.unwrap(),
        )
    })
    .await
    .unwrap();
    contract::run_all(|| async {
        let name = fresh_name("any-local");
        (
            AnyStore::open(StoreKind::LocalStorage, &name)
                .await
                .unwrap(),
            AnyStore::open(StoreKind::LocalStorage, &name)
                .await
                .unwrap(),
        )
    })
    .await
    .unwrap();
    contract::run_all(|| async {
        let memory = MemoryStore::new();
        (AnyStore::Memory(memory.clone()), AnyStore::Memory(memory))
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn indexeddb_many_racers_on_one_stream_give_one_winner_per_version() {
    let name = fresh_name("idb-race");
    let mut handles = Vec::new();
    for _ in 0..4 {
        handles.push(IndexedDbStore::open(&name).await.unwrap());
    }
    // Every handle appends two events at version 0, all at once.
    let results = futures::future::join_all(handles.iter().enumerate().map(|(i, h)| {
        h.append(
            "account-a",
            0,
            vec![sample_event("a", 0), sample_event("a", 10 + i as u32)],
        )
    }))
    .await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    for r in results.iter().filter(|r| r.is_err()) {
        assert!(
            matches!(
                r,
                Err(StoreError::Conflict {
                    expected: 0,
                    actual: 2,
                    ..
                })
            ),
            "{r:?}"
        );
    }
    let all = handles[3].read_all(1).await.unwrap();
    assert_eq!(
        all.iter()
            .map(|e| (e.position, e.version))
            .collect::<Vec<_>>(),
        [(1, 1), (2, 2)],
        "one whole append, nothing of the others"
    );
}

// ---------------------------------------------------------------------------------
// IndexedDB: damage, old data, raw dump, delete

#[wasm_bindgen_test]
async fn indexeddb_an_unreadable_record_is_reported_by_position_and_kept() {
    let name = fresh_name("idb-bad");
    let store = IndexedDbStore::open(&name).await.unwrap();
    store
        .append(
            "account-a",
            0,
            vec![sample_event("a", 0), sample_event("a", 1)],
        )
        .await
        .unwrap();
    idb_put_raw(&name, &idb_record(2, "account-a", 2, "{not json")).await;

    let message = corrupt_message(store.read_all(1).await);
    assert!(message.contains("position 2"), "{message}");
    assert!(message.contains("not a valid event envelope"), "{message}");
    let message = corrupt_message(store.read_stream("account-a", 1).await);
    assert!(message.contains("position 2"), "{message}");
    // Nothing was deleted: both records are still there, the bad one as it was.
    let raw = store.raw_records().await.unwrap();
    assert_eq!(raw.len(), 2);
    assert_eq!(raw[1].key, "2");
    assert_eq!(raw[1].value, "{not json");
    // A fresh connection sees the same.
    let again = IndexedDbStore::open(&name).await.unwrap();
    assert!(matches!(
        again.read_all(1).await,
        Err(StoreError::Corrupt(_))
    ));
}

#[wasm_bindgen_test]
async fn indexeddb_an_unknown_event_type_is_reported() {
    let name = fresh_name("idb-type");
    let store = IndexedDbStore::open(&name).await.unwrap();
    let line = r#"{"position":1,"stream":"account-a","version":1,"type":"MoneyPrinted","schema_version":2,"event_id":"e-1","recorded_at":"2026-11-26T14:00:00.000Z","correlation_id":"c","causation_id":"k","data":{}}"#;
    idb_put_raw(&name, &idb_record(1, "account-a", 1, line)).await;
    let message = corrupt_message(store.read_all(1).await);
    assert!(message.contains("position 1"), "{message}");
    assert!(message.contains("MoneyPrinted"), "{message}");
}

#[wasm_bindgen_test]
async fn indexeddb_gaps_in_versions_and_positions_are_reported() {
    let (name, store) = idb_with_one_event("idb-gap").await;
    // Version 3 of account-a at position 2: version 2 is missing.
    let mut third = (*store.read_all(1).await.unwrap().remove(0)).clone();
    third.position = 2;
    third.version = 3;
    idb_put_raw(&name, &idb_record(2, "account-a", 3, &third.to_json_line())).await;
    let message = corrupt_message(store.read_all(1).await);
    assert!(message.contains("jumps from version 1 to 3"), "{message}");
    let message = corrupt_message(store.read_stream("account-a", 1).await);
    assert!(message.contains("missing version 2"), "{message}");

    // Position 4 without a position 3.
    let (name, store) = idb_with_one_event("idb-gap2").await;
    let mut later = (*store.read_all(1).await.unwrap().remove(0)).clone();
    later.position = 3;
    later.stream = "account-b".into();
    idb_put_raw(&name, &idb_record(3, "account-b", 1, &later.to_json_line())).await;
    let message = corrupt_message(store.read_all(1).await);
    assert!(message.contains("position 2 is missing"), "{message}");
}

#[wasm_bindgen_test]
async fn indexeddb_a_record_filed_under_the_wrong_key_is_reported() {
    let (name, store) = idb_with_one_event("idb-misfiled").await;
    let line = store.read_all(1).await.unwrap()[0].to_json_line();
    idb_put_raw(&name, &idb_record(2, "account-a", 2, &line)).await;
    let message = corrupt_message(store.read_all(1).await);
    assert!(message.contains("position 2"), "{message}");
    assert!(message.contains("disagrees"), "{message}");
}

/// Schema 1, the reference's shape: domain times on the events (`opened_at`,
/// `deposited_at`), amounts as JSON numbers, no description, no schema version.
const V1_OPENED: &str = r#"{"position":1,"stream":"account-alice-123","version":1,"type":"AccountOpened","event_id":"e-1","recorded_at":"2024-05-01T09:00:00Z","data":{"account_id":"alice-123","owner_name":"Alice","initial_balance":1000.5,"opened_at":"2024-05-01T09:00:00Z"}}"#;
const V1_DEPOSITED: &str = r#"{"position":2,"stream":"account-alice-123","version":2,"type":"MoneyDeposited","schema_version":1,"event_id":"e-2","recorded_at":"2024-05-01T09:05:00Z","data":{"account_id":"alice-123","amount":25,"transaction_id":"tx-1","deposited_at":"2024-05-01T09:05:00Z"}}"#;

fn assert_upcast(events: &[std::rc::Rc<sagabank::store::Recorded>]) {
    assert_eq!(events.len(), 2);
    for e in events {
        // Upcast, an event reads back like one written today.
        let again = sagabank::store::Recorded::from_json_line(&e.to_json_line()).unwrap();
        assert_eq!(again.event, e.event);
        assert!(e
            .to_json_line()
            .contains(&format!("\"schema_version\":{SCHEMA_VERSION}")));
    }
    match &events[0].event {
        Event::AccountOpened(e) => {
            assert_eq!(e.owner_name, "Alice");
            assert_eq!(e.initial_balance, Money::from_cents(100_050).unwrap());
        }
        other => panic!("expected AccountOpened, got {other:?}"),
    }
    match &events[1].event {
        Event::MoneyDeposited(e) => {
            assert_eq!(e.amount, Money::from_cents(2_500).unwrap());
            assert_eq!(e.description, "");
            assert_eq!(e.transaction_id, "tx-1");
        }
        other => panic!("expected MoneyDeposited, got {other:?}"),
    }
    assert_eq!(events[1].recorded_at, "2024-05-01T09:05:00Z");
}

#[wasm_bindgen_test]
async fn indexeddb_reads_schema_1_events_through_the_upcaster() {
    let name = fresh_name("idb-v1");
    let store = IndexedDbStore::open(&name).await.unwrap();
    idb_put_raw(&name, &idb_record(1, "account-alice-123", 1, V1_OPENED)).await;
    idb_put_raw(&name, &idb_record(2, "account-alice-123", 2, V1_DEPOSITED)).await;
    assert_upcast(&store.read_all(1).await.unwrap());
    assert_upcast(&store.read_stream("account-alice-123", 1).await.unwrap());
    // And the log goes on from there at the current schema.
    let next = store
        .append("account-alice-123", 2, vec![sample_event("alice-123", 3)])
        .await
        .unwrap();
    assert_eq!((next[0].position, next[0].version), (3, 3));
}

#[wasm_bindgen_test]
async fn indexeddb_delete_removes_the_database_even_with_a_connection_open() {
    let (name, store) = idb_with_one_event("idb-delete").await;
    // The open connection closes itself on the version change instead of blocking.
    IndexedDbStore::delete_database(&name).await.unwrap();
    assert!(matches!(
        store.read_all(1).await,
        Err(StoreError::Unavailable(_))
    ));
    let fresh = IndexedDbStore::open(&name).await.unwrap();
    assert!(fresh.read_all(1).await.unwrap().is_empty());
}

#[wasm_bindgen_test]
fn indexeddb_quota_errors_map_to_quota_exceeded() {
    let quota = web_sys::DomException::new_with_message_and_name("disk full", "QuotaExceededError")
        .unwrap();
    assert!(matches!(
        error_from_dom("append", &quota),
        StoreError::QuotaExceeded(_)
    ));
    let other = web_sys::DomException::new_with_message_and_name("nope", "UnknownError").unwrap();
    assert!(matches!(
        error_from_dom("append", &other),
        StoreError::Unavailable(_)
    ));
}

#[wasm_bindgen_test]
async fn indexeddb_an_unrelated_database_is_not_taken_for_a_log() {
    let name = fresh_name("idb-foreign");
    let mut request = idb::Factory::new().unwrap().open(&name, Some(1)).unwrap();
    request.on_upgrade_needed(|event| {
        use idb::DatabaseEvent;
        let db = event.database().unwrap();
        db.create_object_store("something-else", idb::ObjectStoreParams::new())
            .unwrap();
    });
    request.await.unwrap().close();
    let message = corrupt_message(IndexedDbStore::open(&name).await.map(|_| ()));
    assert!(message.contains("not a sagabank event log"), "{message}");
}

// ---------------------------------------------------------------------------------
// IndexedDB: chunks (derived copies of the log in big records) and the upgrade

/// Events per chunk in the chunk tests: small, so each test writes a few hundred
/// events rather than twelve thousand (the chunk logic does not depend on the size).
const C: u64 = 50;

/// `n` as the JS number IndexedDB stores.
#[allow(clippy::cast_precision_loss)]
fn f(n: u64) -> JsValue {
    JsValue::from_f64(n as f64)
}

/// A valid log of `n` events over 12 streams taking turns.
fn log_of(n: u64) -> Vec<Rc<Recorded>> {
    (1..=n)
        .map(|position| {
            let k = (position - 1) % 12;
            let version = (position - 1) / 12 + 1;
            let account = format!("s{k}");
            Rc::new(Recorded::new(
                sample_event(&account, (version - 1) as u32),
                &format!("account-{account}"),
                version,
                position,
            ))
        })
        .collect()
}

/// Writes `events` straight into the events store of database `name`, 5,000 per
/// transaction.
async fn idb_put_many(name: &str, events: &[Rc<Recorded>]) {
    let db = idb::Factory::new()
        .unwrap()
        .open(name, None)
        .unwrap()
        .await
        .unwrap();
    for run in events.chunks(5_000) {
        let tx = db
            .transaction(&[EVENTS_STORE], idb::TransactionMode::ReadWrite)
            .unwrap();
        let store = tx.object_store(EVENTS_STORE).unwrap();
        for e in run {
            // Not awaited: a failed add aborts the transaction, checked below.
            drop(
                store
                    .add(
                        &idb_record(e.position, &e.stream, e.version, &e.to_json_line()),
                        None,
                    )
                    .unwrap(),
            );
        }
        assert!(tx.await.unwrap().is_committed());
    }
    db.close();
}

/// Every stored chunk of database `name`, as `(first, last, lines)` (`first` and
/// `last` as stored, in JSON).
async fn idb_chunks(name: &str) -> Vec<(String, String, Option<String>)> {
    let db = idb::Factory::new()
        .unwrap()
        .open(name, None)
        .unwrap()
        .await
        .unwrap();
    let tx = db
        .transaction(&[CHUNKS_STORE], idb::TransactionMode::ReadOnly)
        .unwrap();
    let values = tx
        .object_store(CHUNKS_STORE)
        .unwrap()
        .get_all(None, None)
        .unwrap()
        .await
        .unwrap();
    db.close();
    let field = |v: &JsValue, name: &str| Reflect::get(v, &name.into()).unwrap();
    let json = |v: JsValue| String::from(js_sys::JSON::stringify(&v).unwrap());
    values
        .iter()
        .map(|v| {
            (
                json(field(v, "first")),
                json(field(v, "last")),
                field(v, "lines").as_string(),
            )
        })
        .collect()
}

/// Writes a chunk value straight into the chunks store (replacing any at its key).
async fn idb_put_chunk(name: &str, first: JsValue, last: JsValue, lines: &str) {
    let db = idb::Factory::new()
        .unwrap()
        .open(name, None)
        .unwrap()
        .await
        .unwrap();
    let tx = db
        .transaction(&[CHUNKS_STORE], idb::TransactionMode::ReadWrite)
        .unwrap();
    let object = Object::new();
    Reflect::set(&object, &"first".into(), &first).unwrap();
    Reflect::set(&object, &"last".into(), &last).unwrap();
    Reflect::set(&object, &"lines".into(), &lines.into()).unwrap();
    tx.object_store(CHUNKS_STORE)
        .unwrap()
        .put(&object.into(), None)
        .unwrap()
        .await
        .unwrap();
    assert!(tx.await.unwrap().is_committed());
    db.close();
}

fn plain(events: &[Rc<Recorded>]) -> Vec<Recorded> {
    events.iter().map(|e| Recorded::clone(e)).collect()
}

fn lines_of(events: &[Rc<Recorded>]) -> String {
    events
        .iter()
        .map(|e| e.to_json_line())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the log from several places and compares with `expected` (the whole log).
async fn assert_reads(store: &IndexedDbStore, expected: &[Rc<Recorded>]) {
    let n = expected.len() as u64;
    for from in [0, 1, 2, C, C + 1, C + 27, 2 * C, 2 * C + 1, n, n + 1] {
        let read = store.read_all(from).await.unwrap();
        let skip = (from.max(1) - 1).min(n) as usize;
        assert!(
            plain(&read) == plain(&expected[skip..]),
            "read_all({from}) gives the log from there"
        );
    }
}

#[wasm_bindgen_test]
async fn indexeddb_a_full_read_writes_chunks_and_reads_back_the_same() {
    let name = fresh_name("idb-chunks");
    let store = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    let expected = log_of(12 * C / 5);
    idb_put_many(&name, &expected).await;
    assert!(idb_chunks(&name).await.is_empty());

    // Reads from further on write nothing.
    assert_eq!(
        store.read_all(2).await.unwrap().len() as u64,
        12 * C / 5 - 1
    );
    assert!(idb_chunks(&name).await.is_empty());

    // The full read (a cold start) writes the two full chunks, not the rest.
    let before = store.read_all(1).await.unwrap();
    assert!(plain(&before) == plain(&expected));
    let chunks = idb_chunks(&name).await;
    assert_eq!(chunks.len(), 2);
    assert_eq!(
        (chunks[0].0.as_str(), chunks[0].1.as_str()),
        ("1", C.to_string().as_str())
    );
    assert_eq!(
        (chunks[1].0.as_str(), chunks[1].1.as_str()),
        ((C + 1).to_string().as_str(), (2 * C).to_string().as_str())
    );
    assert_eq!(
        chunks[0].2.as_deref(),
        Some(lines_of(&expected[..C as usize]).as_str())
    );
    assert_eq!(
        chunks[1].2.as_deref(),
        Some(lines_of(&expected[C as usize..2 * C as usize]).as_str())
    );

    // Read back through the chunks: the same, from anywhere, on this connection and
    // a fresh one; and no more chunks (0.4 of a chunk after the last one).
    let after = store.read_all(1).await.unwrap();
    assert!(plain(&after) == plain(&before));
    assert_reads(&store, &expected).await;
    let again = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    assert_reads(&again, &expected).await;
    assert_eq!(idb_chunks(&name).await.len(), 2);

    // The raw dump is the event records only.
    let raw = store.raw_records().await.unwrap();
    assert_eq!(raw.len() as u64, 12 * C / 5);
    assert_eq!(raw[raw.len() - 1].key, (12 * C / 5).to_string());

    // Appends go on as before and are read after the chunks.
    let next = store
        .append(
            "account-s0",
            C / 5,
            vec![sample_event("s0", (C / 5) as u32)],
        )
        .await
        .unwrap();
    assert_eq!(
        (next[0].position, next[0].version),
        (12 * C / 5 + 1, C / 5 + 1)
    );
    let read = again.read_all(1).await.unwrap();
    assert_eq!(read.len() as u64, 12 * C / 5 + 1);
    assert_eq!(read[read.len() - 1], next[0]);
    assert_eq!(
        store.read_stream("account-s0", 1).await.unwrap().len() as u64,
        C / 5 + 1
    );
}

#[wasm_bindgen_test]
async fn indexeddb_garbage_chunks_are_ignored_and_kept() {
    let name = fresh_name("idb-bad-chunks");
    let store = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    let expected = log_of(12 * C / 5);
    idb_put_many(&name, &expected).await;
    store.read_all(1).await.unwrap();
    assert_eq!(idb_chunks(&name).await.len(), 2);

    // Chunk 1: good lines, but of positions 2..=C+1. Chunk C+1: not JSON. One past
    // the end of the log; one with no sensible range; one with a line too many.
    idb_put_chunk(
        &name,
        1.0.into(),
        f(C),
        &lines_of(&expected[1..=C as usize]),
    )
    .await;
    idb_put_chunk(&name, f(C + 1), f(2 * C), "garbage\n{").await;
    idb_put_chunk(&name, f(2 * C + 1), f(3 * C), "").await;
    idb_put_chunk(&name, "nope".into(), JsValue::NULL, "x").await;
    assert_reads(&store, &expected).await;
    let fresh = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    assert!(plain(&fresh.read_all(1).await.unwrap()) == plain(&expected));

    let mut too_long = lines_of(&expected[..C as usize]);
    too_long.push('\n');
    too_long.push_str(&expected[C as usize].to_json_line());
    idb_put_chunk(&name, 1.0.into(), f(C), &too_long).await;
    assert!(plain(&fresh.read_all(1).await.unwrap()) == plain(&expected));

    // Nothing was deleted or replaced.
    let chunks = idb_chunks(&name).await;
    assert_eq!(chunks.len(), 4);
    assert_eq!(chunks[0].2.as_deref(), Some(too_long.as_str()));
    assert_eq!(chunks[1].2.as_deref(), Some("garbage\n{"));
    assert_eq!(store.raw_records().await.unwrap().len() as u64, 12 * C / 5);

    // The events stay the truth: a damaged event under a garbage chunk is reported.
    // Position 6C/5 is version C/10 of stream s11 (12 streams take turns).
    let damaged = 6 * C / 5;
    idb_put_raw(
        &name,
        &idb_record(damaged, "account-s11", C / 10, "{not json"),
    )
    .await;
    let message = corrupt_message(store.read_all(1).await);
    assert!(
        message.contains(&format!("position {damaged}")),
        "{message}"
    );
}

#[wasm_bindgen_test]
async fn indexeddb_a_version_1_database_upgrades_and_keeps_its_events() {
    let name = fresh_name("idb-upgrade");
    // The layout of database version 1: `events` and its index, nothing else.
    let mut request = idb::Factory::new().unwrap().open(&name, Some(1)).unwrap();
    request.on_upgrade_needed(|event| {
        use idb::DatabaseEvent;
        let db = event.database().unwrap();
        let mut params = idb::ObjectStoreParams::new();
        params.key_path(Some(idb::KeyPath::new_single("position")));
        let store = db.create_object_store(EVENTS_STORE, params).unwrap();
        let mut unique = idb::IndexParams::new();
        unique.unique(true);
        store
            .create_index(
                "stream_version",
                idb::KeyPath::new_array(["stream", "version"]),
                Some(unique),
            )
            .unwrap();
    });
    request.await.unwrap().close();
    let expected = log_of(6 * C / 5);
    idb_put_many(&name, &expected).await;

    let store = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    let db = idb::Factory::new()
        .unwrap()
        .open(&name, None)
        .unwrap()
        .await
        .unwrap();
    assert_eq!(db.version().unwrap(), DB_VERSION);
    assert!(db.store_names().iter().any(|s| s == CHUNKS_STORE));
    db.close();
    assert!(idb_chunks(&name).await.is_empty());

    assert!(plain(&store.read_all(1).await.unwrap()) == plain(&expected));
    assert_eq!(idb_chunks(&name).await.len(), 1);
    assert!(plain(&store.read_all(1).await.unwrap()) == plain(&expected));
    assert_eq!(store.raw_records().await.unwrap().len() as u64, 6 * C / 5);
    let next = store
        .append(
            "account-s0",
            C / 10,
            vec![sample_event("s0", (C / 10) as u32)],
        )
        .await
        .unwrap();
    assert_eq!(
        (next[0].position, next[0].version),
        (6 * C / 5 + 1, C / 10 + 1)
    );
}

/// How many event records database `name` holds.
async fn idb_event_count(name: &str) -> u32 {
    let db = idb::Factory::new()
        .unwrap()
        .open(name, None)
        .unwrap()
        .await
        .unwrap();
    let tx = db
        .transaction(&[EVENTS_STORE], idb::TransactionMode::ReadOnly)
        .unwrap();
    let count = tx
        .object_store(EVENTS_STORE)
        .unwrap()
        .count(None)
        .unwrap()
        .await
        .unwrap();
    db.close();
    count
}

/// The events of `stream` in `log` from version `from`.
fn stream_of(log: &[Rc<Recorded>], stream: &str, from: u64) -> Vec<Recorded> {
    log.iter()
        .filter(|e| e.stream == stream && e.version >= from)
        .map(|e| Recorded::clone(e))
        .collect()
}

#[wasm_bindgen_test]
async fn indexeddb_a_copy_into_an_empty_log_is_kept_as_chunks_and_goes_on() {
    let name = fresh_name("idb-prefix");
    let store = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    let expected = log_of(12 * C / 5);
    store.restore(&plain(&expected)).await.unwrap();
    // No event record: chunks of C, C and C/5 events, and the prefix record.
    assert_eq!(idb_event_count(&name).await, 0);
    let chunks = idb_chunks(&name).await;
    let ranges: Vec<(&str, &str)> = chunks
        .iter()
        .map(|c| (c.0.as_str(), c.1.as_str()))
        .collect();
    assert_eq!(
        ranges,
        [
            ("1", "50"),
            ("51", "100"),
            ("101", "120"),
            ("\"prefix\"", "120")
        ]
    );
    assert_reads(&store, &expected).await;
    let other = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    assert_reads(&other, &expected).await;
    for from in [0, 1, 4, C / 5, C / 5 + 1] {
        let read = other.read_stream("account-s3", from).await.unwrap();
        assert!(plain(&read) == stream_of(&expected, "account-s3", from));
    }
    // Each stream knows its version at the copy, on both connections.
    let stale = other
        .append("account-s0", C / 5 - 1, vec![sample_event("s0", 8)])
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { actual, .. }) if actual == C / 5),
        "{stale:?}"
    );
    let next = store
        .append("account-s0", C / 5, vec![sample_event("s0", 10)])
        .await
        .unwrap();
    assert_eq!(
        (next[0].position, next[0].version),
        (12 * C / 5 + 1, C / 5 + 1)
    );
    let late = other
        .append("account-s0", C / 5, vec![sample_event("s0", 10)])
        .await;
    assert!(
        matches!(late, Err(StoreError::Conflict { actual, .. }) if actual == C / 5 + 1),
        "{late:?}"
    );
    let new = other
        .append("account-new", 0, vec![sample_event("new", 0)])
        .await
        .unwrap();
    assert_eq!((new[0].position, new[0].version), (12 * C / 5 + 2, 1));
    let s0 = other.read_stream("account-s0", 1).await.unwrap();
    assert_eq!(s0.len() as u64, C / 5 + 1);
    assert_eq!(s0[s0.len() - 1], next[0]);
    // A second copy onto it is refused, writing nothing; the whole log reads back.
    assert!(store.restore(&plain(&expected)).await.is_err());
    let all = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    let read = all.read_all(1).await.unwrap();
    assert_eq!(read.len() as u64, 12 * C / 5 + 2);
    assert!(plain(&read[..expected.len()]) == plain(&expected));
    let raw = all.raw_records().await.unwrap();
    assert_eq!(raw.len() as u64, 12 * C / 5 + 2);
    assert_eq!(
        (raw[0].key.as_str(), raw[0].value.clone()),
        ("1", expected[0].to_json_line())
    );
}

/// A practice fork holds its own copy: deleting its base (a reset) and writing another
/// log under the base's name (an import) change nothing in it; it goes on from its
/// copied versions, survives a reopen, and can be deleted.
#[wasm_bindgen_test]
async fn indexeddb_a_fork_keeps_its_copy_whatever_happens_to_its_base() {
    use sagabank::app::{fork::fork_bank, Env};
    let base_name = fresh_name("idb-fork-base");
    let base = IndexedDbStore::open_with_chunk(&base_name, C)
        .await
        .unwrap();
    base.restore(&plain(&log_of(12 * C / 5))).await.unwrap();
    let log = base.read_all(1).await.unwrap();
    let at = C as usize + 7;
    let fork_name = fresh_name("idb-fork");
    let store = IndexedDbStore::open_with_chunk(&fork_name, C)
        .await
        .unwrap();
    let fork = fork_bank(store.clone(), Env::fixed("f"), &log[..at])
        .await
        .unwrap();
    assert_eq!(fork.read(|m| m.last_position), at as u64);
    drop(fork);
    drop(base);
    IndexedDbStore::delete_database(&base_name).await.unwrap();
    let other = IndexedDbStore::open_with_chunk(&base_name, C)
        .await
        .unwrap();
    other.restore(&plain(&log_of(5))).await.unwrap();
    // Position `at` is version 5 of stream s{(at-1) % 12}; s0 stands at version 5.
    let next = store
        .append("account-s0", 5, vec![sample_event("s0", 5)])
        .await
        .unwrap();
    assert_eq!((next[0].position, next[0].version), (at as u64 + 1, 6));
    let reopened = IndexedDbStore::open_with_chunk(&fork_name, C)
        .await
        .unwrap();
    let read = reopened.read_all(1).await.unwrap();
    assert!(plain(&read[..at]) == plain(&log[..at]));
    assert_eq!(read[at], next[0]);
    drop((store, reopened));
    IndexedDbStore::delete_database(&fork_name).await.unwrap();
    let gone = IndexedDbStore::open(&fork_name).await.unwrap();
    assert!(gone.read_all(1).await.unwrap().is_empty());
    assert_eq!(idb_chunks(&fork_name).await.len(), 0);
}

#[wasm_bindgen_test]
async fn indexeddb_a_damaged_chunk_of_copied_events_is_reported_not_skipped() {
    let name = fresh_name("idb-prefix-damage");
    let store = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    let expected = log_of(12 * C / 5);
    store.restore(&plain(&expected)).await.unwrap();
    idb_put_chunk(&name, f(C + 1), f(2 * C), "garbage\n{").await;
    let fresh = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    let message = corrupt_message(fresh.read_all(1).await);
    assert!(
        message.contains(&format!("position {}", C + 1)),
        "{message}"
    );
    assert!(matches!(
        fresh.read_stream("account-s0", 1).await,
        Err(StoreError::Corrupt(_))
    ));
    // Reads before the damage still work; the raw download keeps every chunk.
    assert_eq!(
        fresh.read_all(2 * C + 1).await.unwrap().len() as u64,
        2 * C / 5
    );
    let raw = fresh.raw_records().await.unwrap();
    let stored: Vec<&str> = raw.iter().map(|r| r.value.as_str()).collect();
    assert!(stored.contains(&"garbage") && stored.contains(&"{"));
}

#[wasm_bindgen_test]
async fn indexeddb_a_version_2_database_opens_and_reads_as_before() {
    let name = fresh_name("idb-v2");
    // The layout of database version 2: `events` and its index, and `chunks`.
    let mut request = idb::Factory::new().unwrap().open(&name, Some(2)).unwrap();
    request.on_upgrade_needed(|event| {
        use idb::DatabaseEvent;
        let db = event.database().unwrap();
        let mut params = idb::ObjectStoreParams::new();
        params.key_path(Some(idb::KeyPath::new_single("position")));
        let store = db.create_object_store(EVENTS_STORE, params).unwrap();
        let mut unique = idb::IndexParams::new();
        unique.unique(true);
        store
            .create_index(
                "stream_version",
                idb::KeyPath::new_array(["stream", "version"]),
                Some(unique),
            )
            .unwrap();
        let mut params = idb::ObjectStoreParams::new();
        params.key_path(Some(idb::KeyPath::new_single("first")));
        db.create_object_store(CHUNKS_STORE, params).unwrap();
    });
    request.await.unwrap().close();
    let expected = log_of(6 * C / 5);
    idb_put_many(&name, &expected).await;
    idb_put_chunk(&name, 1.0.into(), f(C), &lines_of(&expected[..C as usize])).await;

    let store = IndexedDbStore::open_with_chunk(&name, C).await.unwrap();
    assert_reads(&store, &expected).await;
    assert_eq!(idb_chunks(&name).await.len(), 1);
    assert_eq!(
        plain(&store.read_stream("account-s1", 1).await.unwrap()),
        stream_of(&expected, "account-s1", 1)
    );
    let next = store
        .append("account-s0", C / 10, vec![sample_event("s0", 5)])
        .await
        .unwrap();
    assert_eq!(
        (next[0].position, next[0].version),
        (6 * C / 5 + 1, C / 10 + 1)
    );
    assert_eq!(idb_event_count(&name).await as u64, 6 * C / 5 + 1);
    assert_eq!(
        store.raw_records().await.unwrap().len() as u64,
        6 * C / 5 + 1
    );
    let db = idb::Factory::new()
        .unwrap()
        .open(&name, None)
        .unwrap()
        .await
        .unwrap();
    assert_eq!(db.version().unwrap(), DB_VERSION);
    db.close();
}

// ---------------------------------------------------------------------------------
// localStorage: damage, old data, a full storage

#[wasm_bindgen_test]
async fn local_storage_a_foreign_key_is_reported_by_name_and_kept() {
    let name = fresh_name("local-foreign");
    let store = LocalStorageStore::open(&name).unwrap();
    store
        .append("account-a", 0, vec![sample_event("a", 0)])
        .await
        .unwrap();
    let foreign = format!("{}notes", LocalStorageStore::prefix(&name));
    storage().set_item(&foreign, "hello").unwrap();

    let fresh = LocalStorageStore::open(&name).unwrap();
    let message = corrupt_message(fresh.read_all(1).await);
    assert!(message.contains(&foreign), "{message}");
    assert!(matches!(
        fresh
            .append("account-a", 1, vec![sample_event("a", 1)])
            .await,
        Err(StoreError::Corrupt(_))
    ));
    assert_eq!(
        storage().get_item(&foreign).unwrap().as_deref(),
        Some("hello")
    );
    assert_eq!(
        fresh.raw_records().unwrap().len(),
        4,
        "layout, head, event, foreign key"
    );
    LocalStorageStore::delete(&name).unwrap();
    assert!(LocalStorageStore::open(&name)
        .unwrap()
        .read_all(1)
        .await
        .unwrap()
        .is_empty());
}

#[wasm_bindgen_test]
async fn local_storage_damaged_events_are_reported_by_key() {
    let name = fresh_name("local-bad");
    let prefix = LocalStorageStore::prefix(&name);
    let store = LocalStorageStore::open(&name).unwrap();
    store
        .append(
            "account-a",
            0,
            vec![sample_event("a", 0), sample_event("a", 1)],
        )
        .await
        .unwrap();
    let key2 = format!("{prefix}event/2");
    let good = storage().get_item(&key2).unwrap().unwrap();

    // Unparsable.
    storage().set_item(&key2, "{oops").unwrap();
    let message = corrupt_message(LocalStorageStore::open(&name).unwrap().read_all(1).await);
    assert!(message.contains(&key2), "{message}");
    assert_eq!(storage().get_item(&key2).unwrap().as_deref(), Some("{oops"));

    // Missing.
    storage().remove_item(&key2).unwrap();
    let message = corrupt_message(LocalStorageStore::open(&name).unwrap().read_all(1).await);
    assert!(
        message.contains(&key2) && message.contains("missing"),
        "{message}"
    );

    // Beyond the head.
    storage().set_item(&key2, &good).unwrap();
    storage()
        .set_item(&format!("{prefix}event/3"), &good)
        .unwrap();
    let message = corrupt_message(LocalStorageStore::open(&name).unwrap().read_all(1).await);
    assert!(message.contains(&format!("{prefix}event/3")), "{message}");
    storage().remove_item(&format!("{prefix}event/3")).unwrap();

    // A bad head.
    storage().set_item(&format!("{prefix}head"), "two").unwrap();
    let message = corrupt_message(LocalStorageStore::open(&name).unwrap().read_all(1).await);
    assert!(message.contains(&format!("{prefix}head")), "{message}");

    // Repaired, it reads again.
    storage().set_item(&format!("{prefix}head"), "2").unwrap();
    assert_eq!(
        LocalStorageStore::open(&name)
            .unwrap()
            .read_all(1)
            .await
            .unwrap()
            .len(),
        2
    );
    LocalStorageStore::delete(&name).unwrap();
}

#[wasm_bindgen_test]
async fn local_storage_reads_schema_1_events_through_the_upcaster() {
    let name = fresh_name("local-v1");
    let prefix = LocalStorageStore::prefix(&name);
    storage()
        .set_item(&format!("{prefix}event/1"), V1_OPENED)
        .unwrap();
    storage()
        .set_item(&format!("{prefix}event/2"), V1_DEPOSITED)
        .unwrap();
    storage().set_item(&format!("{prefix}head"), "2").unwrap();
    let store = LocalStorageStore::open(&name).unwrap();
    assert_upcast(&store.read_all(1).await.unwrap());
    assert_upcast(&store.read_stream("account-alice-123", 1).await.unwrap());
    LocalStorageStore::delete(&name).unwrap();
}

#[wasm_bindgen_test]
async fn local_storage_a_second_handle_sees_new_appends_and_a_stale_one_conflicts() {
    let (a, b) = local_pair();
    a.append("account-a", 0, vec![sample_event("a", 0)])
        .await
        .unwrap();
    assert_eq!(b.read_all(1).await.unwrap().len(), 1);
    a.append("account-a", 1, vec![sample_event("a", 1)])
        .await
        .unwrap();
    // b's cache says version 1; the append still checks the stored head.
    assert!(matches!(
        b.append("account-a", 1, vec![sample_event("a", 2)]).await,
        Err(StoreError::Conflict { actual: 2, .. })
    ));
    assert_eq!(b.read_stream("account-a", 1).await.unwrap().len(), 2);
    LocalStorageStore::delete(a.name()).unwrap();
}

#[wasm_bindgen_test]
async fn local_storage_appends_wait_for_the_cross_tab_lock() {
    let name = fresh_name("local-lock");
    let store = LocalStorageStore::open(&name).unwrap();
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).unwrap();
    let locks = Reflect::get(&navigator, &"locks".into()).unwrap();
    assert!(locks.is_object(), "Web Locks are available in this browser");
    let request: js_sys::Function = Reflect::get(&locks, &"request".into())
        .unwrap()
        .dyn_into()
        .unwrap();

    // Another tab holds the log's lock until `release` is called.
    let release: Rc<RefCell<Option<js_sys::Function>>> = Rc::new(RefCell::new(None));
    let release_slot = Rc::clone(&release);
    let hold = Closure::once(move |_lock: JsValue| -> JsValue {
        js_sys::Promise::new(&mut |resolve, _| {
            *release_slot.borrow_mut() = Some(resolve);
        })
        .into()
    });
    let _held = request
        .call2(
            &locks,
            &format!("sagabank/{name}").into(),
            hold.as_ref().unchecked_ref(),
        )
        .unwrap();
    for _ in 0..100 {
        if release.borrow().is_some() {
            break;
        }
        sleep(5).await;
    }
    assert!(release.borrow().is_some(), "the other tab got the lock");

    let appended = Rc::new(Cell::new(false));
    let done = Rc::clone(&appended);
    let writer = store.clone();
    wasm_bindgen_futures::spawn_local(async move {
        writer
            .append("account-a", 0, vec![sample_event("a", 0)])
            .await
            .unwrap();
        done.set(true);
    });
    sleep(50).await;
    assert!(
        !appended.get(),
        "the append waits while another tab holds the lock"
    );
    assert_eq!(
        storage()
            .get_item(&format!("{}head", LocalStorageStore::prefix(&name)))
            .unwrap(),
        None
    );
    release
        .borrow()
        .as_ref()
        .unwrap()
        .call0(&JsValue::NULL)
        .unwrap();
    for _ in 0..100 {
        if appended.get() {
            break;
        }
        sleep(5).await;
    }
    assert!(appended.get(), "the append runs once the lock is free");
    assert_eq!(store.read_all(1).await.unwrap().len(), 1);
    drop(hold);
    LocalStorageStore::delete(&name).unwrap();
}

/// Fills localStorage until not even one more character fits; returns the filler keys.
fn fill_local_storage() -> Vec<String> {
    let storage = storage();
    let mut keys = Vec::new();
    let mut size = 1 << 20;
    while size >= 1 {
        let key = format!("test-filler-{}", keys.len());
        let value = "x".repeat(size);
        if storage.set_item(&key, &value).is_ok() {
            keys.push(key);
        } else {
            size /= 2;
        }
    }
    keys
}

#[wasm_bindgen_test]
async fn local_storage_a_full_storage_refuses_the_append_and_keeps_nothing_of_it() {
    let name = fresh_name("local-full");
    let prefix = LocalStorageStore::prefix(&name);
    let store = LocalStorageStore::open(&name).unwrap();
    store
        .append("account-a", 0, vec![sample_event("a", 0)])
        .await
        .unwrap();
    let fillers = fill_local_storage();

    // Nothing fits: the first event is refused.
    let full = store
        .append("account-a", 1, vec![sample_event("a", 1)])
        .await;
    assert!(
        matches!(full, Err(StoreError::QuotaExceeded(_))),
        "{full:?}"
    );

    // Room for one event but not two: the first is written, the second is refused,
    // and the first is taken back.
    let first = sagabank::store::Recorded::new(sample_event("a", 1), "account-a", 2, 2);
    let room = format!("{prefix}event/2").len() + first.to_json_line().len() + 8;
    let mut freed = 0;
    // Free `room` characters: shrink the fillers from the last one back.
    for key in fillers.iter().rev() {
        let len = storage().get_item(key).unwrap().unwrap().len() + key.len();
        storage().remove_item(key).unwrap();
        freed += len;
        if freed >= room {
            let keep = freed - room;
            if keep > key.len() {
                storage()
                    .set_item(key, &"x".repeat(keep - key.len()))
                    .unwrap();
            }
            break;
        }
    }
    let two = store
        .append(
            "account-a",
            1,
            vec![sample_event("a", 1), sample_event("a", 2)],
        )
        .await;
    for key in &fillers {
        storage().remove_item(key).unwrap();
    }
    assert!(matches!(two, Err(StoreError::QuotaExceeded(_))), "{two:?}");
    assert_eq!(
        storage().get_item(&format!("{prefix}event/2")).unwrap(),
        None
    );
    assert_eq!(
        storage().get_item(&format!("{prefix}event/3")).unwrap(),
        None
    );
    assert_eq!(
        storage()
            .get_item(&format!("{prefix}head"))
            .unwrap()
            .as_deref(),
        Some("1")
    );
    let fresh = LocalStorageStore::open(&name).unwrap();
    assert_eq!(fresh.read_all(1).await.unwrap().len(), 1);
    // With room again, the same append lands.
    let ok = store
        .append(
            "account-a",
            1,
            vec![sample_event("a", 1), sample_event("a", 2)],
        )
        .await
        .unwrap();
    assert_eq!(ok.len(), 2);
    LocalStorageStore::delete(&name).unwrap();
}

// ---------------------------------------------------------------------------------
// The change notifier and the store kinds

#[wasm_bindgen_test]
async fn the_notifier_tells_other_handles_of_appends_and_moves() {
    let name = fresh_name("notify");
    let a = ChangeNotifier::new(&name).unwrap();
    let b = ChangeNotifier::new(&name).unwrap();
    let elsewhere = ChangeNotifier::new(&fresh_name("other")).unwrap();
    let heard = Rc::new(RefCell::new(Vec::new()));
    let heard_by_b = Rc::clone(&heard);
    b.on_message(move |position| heard_by_b.borrow_mut().push(position));
    let heard_elsewhere = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&heard_elsewhere);
    elsewhere.on_message(move |position| sink.borrow_mut().push(position));
    let heard_self = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&heard_self);
    a.on_message(move |position| sink.borrow_mut().push(position));

    a.post(7);
    a.post_moved("sagabank-2");
    a.post(9);
    for _ in 0..100 {
        if heard.borrow().len() == 3 {
            break;
        }
        sleep(10).await;
    }
    assert_eq!(
        *heard.borrow(),
        [
            Notice::Appended(7),
            Notice::Moved("sagabank-2".into()),
            Notice::Appended(9)
        ]
    );
    sleep(20).await;
    assert!(
        heard_elsewhere.borrow().is_empty(),
        "other logs hear nothing"
    );
    assert!(
        heard_self.borrow().is_empty(),
        "the poster does not hear itself"
    );
}

#[wasm_bindgen_test]
fn store_kinds_parse_from_settings() {
    assert_eq!(StoreKind::parse("idb"), Some(StoreKind::IndexedDb));
    assert_eq!(StoreKind::parse("IndexedDB"), Some(StoreKind::IndexedDb));
    assert_eq!(StoreKind::parse("local"), Some(StoreKind::LocalStorage));
    assert_eq!(StoreKind::parse("memory"), Some(StoreKind::Memory));
    assert_eq!(StoreKind::parse("floppy"), None);
    for kind in [
        StoreKind::IndexedDb,
        StoreKind::LocalStorage,
        StoreKind::Memory,
    ] {
        assert_eq!(StoreKind::parse(kind.as_str()), Some(kind));
    }
    assert!(LocalStorageStore::probe().is_ok());
    assert!(LocalStorageStore::open("a/b").is_err());
}

#[wasm_bindgen_test]
async fn any_store_dumps_raw_records_of_each_kind() {
    for kind in [
        StoreKind::IndexedDb,
        StoreKind::LocalStorage,
        StoreKind::Memory,
    ] {
        let name = fresh_name("raw");
        let store = AnyStore::open(kind, &name).await.unwrap();
        assert_eq!(store.kind(), kind);
        let stored = store
            .append("account-a", 0, vec![sample_event("a", 0)])
            .await
            .unwrap();
        let raw = store.raw_records().await.unwrap();
        let line = stored[0].to_json_line();
        assert!(
            raw.iter().any(|r| r.value == line),
            "{kind}: the event's line is in the dump: {raw:?}"
        );
        AnyStore::delete(kind, &name).await.unwrap();
    }
}

/// `AnyStore::restore` (the import path) on each kind: a log written in slices reads
/// back identical, later appends continue it, and a slice that does not continue the
/// log, or that repeats a stream version, is refused with nothing written.
#[wasm_bindgen_test]
async fn restore_writes_an_imported_log_as_recorded_on_every_kind() {
    let log = plain(&log_of(30));
    for kind in [
        StoreKind::Memory,
        StoreKind::IndexedDb,
        StoreKind::LocalStorage,
    ] {
        let name = fresh_name("restore");
        let store = AnyStore::open(kind, &name).await.unwrap();
        store.restore(&log[..20]).await.unwrap();
        store.restore(&log[20..]).await.unwrap();
        let read = store.read_all(1).await.unwrap();
        assert!(
            plain(&read) == log,
            "{kind:?}: the log reads back as imported"
        );

        // Appends go on from the imported versions and positions.
        let next = store
            .append("account-s0", 3, vec![sample_event("s0", 3)])
            .await
            .unwrap();
        assert_eq!((next[0].position, next[0].version), (31, 4), "{kind:?}");

        // A slice that starts anywhere but after the last event: refused.
        let gap = Recorded::new(sample_event("new", 0), "account-new", 1, 40);
        assert!(store.restore(&[gap]).await.is_err(), "{kind:?}: a gap");
        // A stream version that is already stored: refused.
        let again = Recorded::new(sample_event("s1", 0), "account-s1", 1, 32);
        assert!(
            store.restore(&[again]).await.is_err(),
            "{kind:?}: a repeated version"
        );
        // A new stream that starts at version 3: refused.
        let late = Recorded::new(sample_event("late", 2), "account-late", 3, 32);
        assert!(
            store.restore(&[late]).await.is_err(),
            "{kind:?}: a version gap"
        );
        // Positions with a gap inside the slice: refused, the first event too.
        let a = Recorded::new(sample_event("p", 0), "account-p", 1, 32);
        let b = Recorded::new(sample_event("q", 0), "account-q", 1, 34);
        assert!(
            store.restore(&[a, b]).await.is_err(),
            "{kind:?}: a position gap"
        );
        assert_eq!(
            store.read_all(1).await.unwrap().len(),
            31,
            "{kind:?}: nothing written"
        );
        AnyStore::delete(kind, &name).await.unwrap();
    }
}

/// A fork's bulk copy into an empty IndexedDB log is kept as chunks (positions 1-2,
/// 3-4 and 5 of five, in chunks of 2) and the record of the copied prefix, so its
/// first read goes through them; and it keeps the store contract for a copy.
#[wasm_bindgen_test]
async fn indexeddb_a_copy_into_an_empty_log_writes_its_chunks_too() {
    let open =
        |name: String| async move { IndexedDbStore::open_with_chunk(&name, 2).await.unwrap() };
    let from = open(fresh_name("idb-copy-from")).await;
    for (account, n) in [("a", 0), ("b", 0), ("a", 1), ("c", 0), ("b", 1)] {
        let stream = format!("account-{account}");
        let version = from.read_stream(&stream, 1).await.unwrap().len() as u64;
        from.append(&stream, version, vec![sample_event(account, n)])
            .await
            .unwrap();
    }
    let log: Vec<Recorded> = from
        .read_all(1)
        .await
        .unwrap()
        .iter()
        .map(|r| Recorded::clone(r))
        .collect();
    let to = open(fresh_name("idb-copy-to")).await;
    to.restore(&log).await.unwrap();
    let chunks = idb_chunks(to.name()).await;
    let ranges: Vec<_> = chunks
        .iter()
        .map(|(f, l, _)| (f.as_str(), l.as_str()))
        .collect();
    assert_eq!(
        ranges,
        [("1", "2"), ("3", "4"), ("5", "5"), ("\"prefix\"", "5")],
        "written by the copy itself"
    );
    let back = to.read_all(1).await.unwrap();
    assert!(
        back.iter().map(|r| Recorded::clone(r)).eq(log),
        "read back through the chunks: the copy"
    );

    let (from, _) = idb_pair().await;
    let (to, _) = idb_pair().await;
    contract::a_copied_prefix_lands_as_recorded_and_goes_on(&from, &to)
        .await
        .unwrap();
}
