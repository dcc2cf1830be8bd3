//! Version skew and refused storage in headless Chromium: an event or an IndexedDB
//! database written by a newer build of sagabank is reported as
//! `StoreError::NewerVersion` (never as damage, never by falling back to memory) and
//! nothing is written over it, at start-up and while a page runs (a newer event caught
//! up, another connection upgrading the database); the page says so with a Reload
//! button and no fresh start. And `indexedDB.open` throwing `InvalidStateError`
//! (Firefox private mode) is reported as storage refused, not as a closed connection.
//!
//! A binary of its own: the stubbed `indexedDB.open` and the mounted apps stay out of
//! the store tests, and the slow `browser_store` binary does not grow.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test browser_skew`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Object, Reflect};
use sagabank::app::{Bank, BankError, Env};
use sagabank::domain::BankCommand;
use sagabank::store::any::{AnyStore, ChangeNotifier, StoreKind};
use sagabank::store::contract::sample_event;
use sagabank::store::idb::{IndexedDbStore, DB_VERSION, EVENTS_STORE};
use sagabank::store::local::LocalStorageStore;
use sagabank::store::skew::REFUSED;
use sagabank::store::{EventStore, Recorded, StoreError};
use sagabank::ui::boot::ACTIVE_DB_KEY;
use sagabank::ui::newer::NEWER_TITLE;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod browser_support;
use browser_support::sleep;

fn fresh_name(what: &str) -> String {
    browser_support::fresh_name("skew", what)
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// The JSON line of `account-a`'s deposit at version 2, position 2, as a newer build
/// (event schema version 99) would store it.
fn newer_line() -> String {
    let mut recorded = Recorded::new(sample_event("a", 1), "account-a", 2, 2);
    recorded.schema_version = 99;
    let line = recorded.to_json_line();
    assert!(line.contains("\"schema_version\":99"), "{line}");
    line
}

#[track_caller]
fn newer_what<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::NewerVersion(what)) => what,
        other => panic!("expected NewerVersion, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------
// IndexedDB helpers

/// A new IndexedDB log holding `account-a` version 1.
async fn idb_with_one_event(what: &str) -> (String, IndexedDbStore) {
    let name = fresh_name(what);
    let store = IndexedDbStore::open(&name).await.unwrap();
    store
        .append("account-a", 0, vec![sample_event("a", 0)])
        .await
        .unwrap();
    (name, store)
}

/// Stores the newer build's event at position 2 of database `name`, bypassing the
/// adapter, as a newer build's tab would.
async fn idb_put_newer(name: &str) {
    let object = Object::new();
    for (key, value) in [
        ("position", JsValue::from_f64(2.0)),
        ("stream", "account-a".into()),
        ("version", JsValue::from_f64(2.0)),
        ("line", newer_line().into()),
    ] {
        Reflect::set(&object, &key.into(), &value).unwrap();
    }
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
    store.add(&object.into(), None).unwrap().await.unwrap();
    assert!(tx.await.unwrap().is_committed());
    db.close();
}

/// Opens database `name` at `DB_VERSION + 1`, as a newer build would, and closes it.
/// Waits for every other connection to close first (IndexedDB's rule), so this
/// returning at all shows they did.
async fn idb_upgrade(name: &str) {
    let db = idb::Factory::new()
        .unwrap()
        .open(name, Some(DB_VERSION + 1))
        .unwrap()
        .await
        .unwrap();
    assert_eq!(db.version().unwrap(), DB_VERSION + 1);
    db.close();
}

/// The stored lines of database `name` (at whatever version it is), read directly.
async fn idb_lines(name: &str) -> Vec<String> {
    let db = idb::Factory::new()
        .unwrap()
        .open(name, None)
        .unwrap()
        .await
        .unwrap();
    let tx = db
        .transaction(&[EVENTS_STORE], idb::TransactionMode::ReadOnly)
        .unwrap();
    let values = tx
        .object_store(EVENTS_STORE)
        .unwrap()
        .get_all(None, None)
        .unwrap()
        .await
        .unwrap();
    db.close();
    values
        .iter()
        .map(|v| {
            Reflect::get(v, &"line".into())
                .unwrap()
                .as_string()
                .unwrap()
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Stores

#[wasm_bindgen_test]
async fn indexeddb_a_newer_event_is_newer_version_and_nothing_is_written() {
    let (name, store) = idb_with_one_event("idb-event").await;
    idb_put_newer(&name).await;

    let what = newer_what(store.read_all(1).await);
    assert!(
        what.contains("position 2") && what.contains("schema version 99"),
        "{what}"
    );
    newer_what(store.read_stream("account-a", 1).await);
    // A second connection, as a reloaded page of this build would open.
    let again = AnyStore::open(StoreKind::IndexedDb, &name).await.unwrap();
    let error = Bank::open(again, Env::fixed("t")).await.err().unwrap();
    assert!(matches!(error, StoreError::NewerVersion(_)), "{error:?}");
    store.close();

    let lines = idb_lines(&name).await;
    assert_eq!(lines.len(), 2, "nothing written or removed: {lines:?}");
    assert_eq!(lines[1], newer_line(), "the newer event is kept as it was");
}

#[wasm_bindgen_test]
async fn local_storage_a_newer_event_is_newer_version_and_nothing_is_written() {
    let name = fresh_name("local-event");
    let store = LocalStorageStore::open(&name).unwrap();
    store
        .append("account-a", 0, vec![sample_event("a", 0)])
        .await
        .unwrap();
    let prefix = LocalStorageStore::prefix(&name);
    let s = storage();
    s.set_item(&format!("{prefix}event/2"), &newer_line())
        .unwrap();
    s.set_item(&format!("{prefix}head"), "2").unwrap();

    let fresh = LocalStorageStore::open(&name).unwrap();
    let what = newer_what(fresh.read_all(1).await);
    assert!(what.contains(&format!("key {prefix}event/2")), "{what}");
    newer_what(fresh.read_stream("account-a", 1).await);
    // An append reads the log first, so it refuses too; so does the handle that knew
    // only position 1.
    newer_what(
        fresh
            .append("account-b", 0, vec![sample_event("b", 0)])
            .await,
    );
    newer_what(
        store
            .append("account-b", 0, vec![sample_event("b", 0)])
            .await,
    );
    let error = Bank::open(AnyStore::LocalStorage(fresh.clone()), Env::fixed("t"))
        .await
        .err()
        .unwrap();
    assert!(matches!(error, StoreError::NewerVersion(_)), "{error:?}");

    let records = fresh.raw_records().unwrap();
    let keys: Vec<&str> = records.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            // Written by the first append, with event 1.
            format!("{prefix}layout"),
            format!("{prefix}head"),
            format!("{prefix}event/1"),
            format!("{prefix}event/2")
        ],
        "nothing written or removed"
    );
    assert_eq!(
        s.get_item(&format!("{prefix}head")).unwrap().as_deref(),
        Some("2")
    );
    assert_eq!(records[3].value, newer_line());
}

#[wasm_bindgen_test]
async fn local_storage_a_log_without_a_layout_version_reads_as_version_1_and_gets_one() {
    let name = fresh_name("local-layout-1");
    let prefix = LocalStorageStore::prefix(&name);
    let s = storage();
    // A log as builds before the layout version wrote it: the event and the head only.
    let first = Recorded::new(sample_event("a", 0), "account-a", 1, 1);
    s.set_item(&format!("{prefix}event/1"), &first.to_json_line())
        .unwrap();
    s.set_item(&format!("{prefix}head"), "1").unwrap();

    let store = LocalStorageStore::open(&name).unwrap();
    assert_eq!(
        store.read_all(1).await.unwrap().len(),
        1,
        "read as layout 1"
    );
    assert_eq!(s.get_item(&format!("{prefix}layout")).unwrap(), None);
    store
        .append("account-a", 1, vec![sample_event("a", 1)])
        .await
        .unwrap();
    assert_eq!(
        s.get_item(&format!("{prefix}layout")).unwrap().as_deref(),
        Some("1"),
        "the next append writes the layout version"
    );
    let fresh = LocalStorageStore::open(&name).unwrap();
    assert_eq!(fresh.read_all(1).await.unwrap().len(), 2);
    // A new log carries it from its first append.
    let other = fresh_name("local-layout-new");
    let new = LocalStorageStore::open(&other).unwrap();
    new.append("account-b", 0, vec![sample_event("b", 0)])
        .await
        .unwrap();
    let other_prefix = LocalStorageStore::prefix(&other);
    assert_eq!(
        s.get_item(&format!("{other_prefix}layout"))
            .unwrap()
            .as_deref(),
        Some("1")
    );
}

#[wasm_bindgen_test]
async fn local_storage_a_newer_layout_is_refused_and_the_data_kept() {
    let name = fresh_name("local-layout-2");
    let store = LocalStorageStore::open(&name).unwrap();
    store
        .append("account-a", 0, vec![sample_event("a", 0)])
        .await
        .unwrap();
    let prefix = LocalStorageStore::prefix(&name);
    let s = storage();
    s.set_item(&format!("{prefix}layout"), "2").unwrap();
    let before = store.raw_records().unwrap();

    let fresh = LocalStorageStore::open(&name).unwrap();
    let what = newer_what(fresh.read_all(1).await);
    assert!(what.contains("layout version 2"), "{what}");
    assert!(
        what.contains(&format!("{prefix}layout")),
        "names the key: {what}"
    );
    newer_what(
        fresh
            .append("account-b", 0, vec![sample_event("b", 0)])
            .await,
    );
    newer_what(
        store
            .append("account-b", 0, vec![sample_event("b", 0)])
            .await,
    );
    let error = Bank::open(AnyStore::LocalStorage(fresh.clone()), Env::fixed("t"))
        .await
        .err()
        .unwrap();
    assert!(matches!(error, StoreError::NewerVersion(_)), "{error:?}");
    assert_eq!(
        fresh.raw_records().unwrap(),
        before,
        "nothing written or removed"
    );
    assert_eq!(
        s.get_item(&format!("{prefix}layout")).unwrap().as_deref(),
        Some("2")
    );
}

#[wasm_bindgen_test]
async fn indexeddb_a_database_at_a_higher_version_is_newer_version_not_a_fallback() {
    let (name, store) = idb_with_one_event("idb-version").await;
    store.close();
    idb_upgrade(&name).await;

    let what = newer_what(IndexedDbStore::open(&name).await.map(|_| ()));
    assert!(
        what.contains(&format!("version {DB_VERSION}")),
        "names this build's version: {what}"
    );
    newer_what(
        AnyStore::open(StoreKind::IndexedDb, &name)
            .await
            .map(|_| ()),
    );
    // Still at the newer version, with the event: nothing was downgraded or written.
    let db = idb::Factory::new()
        .unwrap()
        .open(&name, None)
        .unwrap()
        .await
        .unwrap();
    assert_eq!(db.version().unwrap(), DB_VERSION + 1);
    db.close();
}

#[wasm_bindgen_test]
async fn indexeddb_a_bank_that_caught_up_a_newer_event_refuses_the_next_command() {
    let (name, store) = idb_with_one_event("idb-bank").await;
    let bank = Bank::open(AnyStore::IndexedDb(store.clone()), Env::fixed("t"))
        .await
        .unwrap();
    idb_put_newer(&name).await;

    newer_what(bank.catch_up().await);
    // An append to a new stream would not read the log: the bank must refuse it.
    let command = BankCommand::OpenAccount(sagabank::domain::account::OpenAccount {
        account_id: sagabank::domain::AccountId::parse("b").unwrap(),
        owner_name: "Bob".into(),
        initial_balance: sagabank::domain::Money::ZERO,
    });
    match bank.execute(command).await {
        Err(BankError::Store(StoreError::NewerVersion(_))) => {}
        other => panic!("expected a NewerVersion refusal, got {other:?}"),
    }
    assert_eq!(
        bank.read(|m| m.last_position),
        1,
        "the newer event was not read in"
    );
    store.close();
    assert_eq!(idb_lines(&name).await.len(), 2, "nothing was written");
}

#[wasm_bindgen_test]
async fn indexeddb_an_upgrade_by_another_connection_makes_this_one_newer_version() {
    let (name, store) = idb_with_one_event("idb-upgraded").await;
    idb_upgrade(&name).await;

    let what = newer_what(store.read_all(1).await);
    assert!(
        what.contains(&format!("version {}", DB_VERSION + 1)),
        "names the version it was upgraded to: {what}"
    );
    newer_what(
        store
            .append("account-a", 1, vec![sample_event("a", 1)])
            .await,
    );
    newer_what(store.read_stream("account-a", 1).await);
}

#[wasm_bindgen_test]
async fn indexeddb_a_delete_by_another_connection_is_still_a_closed_connection() {
    let (name, store) = idb_with_one_event("idb-deleted").await;
    IndexedDbStore::delete_database(&name).await.unwrap();
    match store.read_all(1).await {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains("connection is closed"), "{message}");
        }
        other => panic!("a deleted database is no newer build: {other:?}"),
    }
}

/// Replaces `indexedDB.open` on this window's factory with one that throws
/// `InvalidStateError`, as Firefox does in private mode, until the guard is dropped.
struct RefusedIndexedDb(JsValue);

impl RefusedIndexedDb {
    fn install() -> RefusedIndexedDb {
        let factory = Reflect::get(&web_sys::window().unwrap(), &"indexedDB".into()).unwrap();
        let throws = Function::new_no_args(
            "throw new DOMException('A mutation operation was attempted on a database that \
             did not allow mutations.', 'InvalidStateError');",
        );
        Reflect::set(&factory, &"open".into(), &throws).unwrap();
        RefusedIndexedDb(factory)
    }
}

impl Drop for RefusedIndexedDb {
    fn drop(&mut self) {
        // The own property goes; the prototype's `open` shows through again.
        let _ = Reflect::delete_property(self.0.unchecked_ref::<Object>(), &"open".into());
    }
}

#[wasm_bindgen_test]
async fn a_refused_indexeddb_open_says_storage_is_unavailable() {
    let name = fresh_name("refused");
    let result = {
        let _refused = RefusedIndexedDb::install();
        IndexedDbStore::open(&name).await.map(|_| ())
    };
    match result {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains(REFUSED), "{message}");
            assert!(message.contains("InvalidStateError"), "{message}");
            assert!(!message.contains("closed"), "{message}");
            assert!(!message.contains("another tab"), "{message}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    // Restored: IndexedDB opens again.
    IndexedDbStore::open(&name).await.unwrap().close();
}

// ---------------------------------------------------------------------------------
// The page

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the whole app, on database `db` (IndexedDB, the default), in a fresh div.
fn mount_app(db: &str) -> web_sys::HtmlElement {
    // Stored as JSON, as `boot::set_active_db` (gloo-storage) writes it.
    storage()
        .set_item(ACTIVE_DB_KEY, &format!("\"{db}\""))
        .unwrap();
    let div: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&div).unwrap();
    leptos::mount::mount_to(div.clone(), sagabank::ui::App).forget();
    div
}

/// Polls (up to ~10 s) until `selector` matches inside `root`.
async fn wait_for(root: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    for _ in 0..500 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        sleep(20).await;
    }
    panic!(
        "nothing matched {selector}; the page holds: {}",
        root.inner_html()
    );
}

/// Checks the newer-version page: the sentence, a Reload button, no fresh start.
fn assert_newer_page(root: &web_sys::HtmlElement, page: &web_sys::Element) {
    let text = page.text_content().unwrap_or_default();
    assert!(text.contains(NEWER_TITLE), "{text}");
    let reload = page
        .query_selector("[data-testid='newer-version-reload']")
        .unwrap()
        .expect("a Reload button");
    assert_eq!(reload.text_content().as_deref(), Some("Reload"));
    for absent in [
        "start-fresh",
        "data-error",
        "storage-warning",
        "store-badge",
    ] {
        assert!(
            root.query_selector(&format!("[data-testid='{absent}']"))
                .unwrap()
                .is_none(),
            "no {absent} on the newer-version page: {}",
            root.inner_html()
        );
    }
}

#[wasm_bindgen_test]
async fn the_page_on_a_newer_event_asks_for_a_reload_and_writes_nothing() {
    let (name, store) = idb_with_one_event("page-boot").await;
    store.close();
    idb_put_newer(&name).await;
    let root = mount_app(&name);
    let page = wait_for(&root, "[data-testid='newer-version']").await;
    assert_newer_page(&root, &page);
    assert_eq!(idb_lines(&name).await.len(), 2, "nothing was written");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_page_on_a_newer_database_asks_for_a_reload_instead_of_running_in_memory() {
    let (name, store) = idb_with_one_event("page-version").await;
    store.close();
    idb_upgrade(&name).await;
    let root = mount_app(&name);
    let page = wait_for(&root, "[data-testid='newer-version']").await;
    assert_newer_page(&root, &page);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_running_page_stops_when_a_newer_tab_writes_or_upgrades() {
    for upgrade in [false, true] {
        let what = if upgrade {
            "page-upgraded"
        } else {
            "page-written"
        };
        let (name, store) = idb_with_one_event(what).await;
        store.close();
        let root = mount_app(&name);
        wait_for(&root, "[data-testid='store-badge']").await;
        // The newer build's tab writes (and, for one run, upgrades the database first,
        // which closes the page's connection), then tells the other tabs.
        if upgrade {
            idb_upgrade(&name).await;
        } else {
            idb_put_newer(&name).await;
        }
        ChangeNotifier::new(&name).unwrap().post(2);
        let page = wait_for(&root, "[data-testid='newer-version']").await;
        assert_newer_page(&root, &page);
        let expected = if upgrade { 1 } else { 2 };
        assert_eq!(
            idb_lines(&name).await.len(),
            expected,
            "nothing was written ({what})"
        );
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn a_page_that_becomes_visible_again_notices_an_upgrade_nobody_told_it_of() {
    let (name, store) = idb_with_one_event("page-visible").await;
    store.close();
    let root = mount_app(&name);
    wait_for(&root, "[data-testid='store-badge']").await;
    // A newer build's tab upgrades the database while this one is in the background,
    // and says nothing on the channel.
    idb_upgrade(&name).await;
    // The learner comes back to the tab.
    document()
        .dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
        .unwrap();
    let page = wait_for(&root, "[data-testid='newer-version']").await;
    assert_newer_page(&root, &page);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_page_with_indexeddb_refused_runs_in_memory_and_says_why() {
    let name = fresh_name("page-refused");
    let refused = RefusedIndexedDb::install();
    let root = mount_app(&name);
    let warning = wait_for(&root, "[data-testid='storage-warning']").await;
    drop(refused);
    let text = warning.text_content().unwrap_or_default();
    assert!(text.contains(REFUSED), "{text}");
    assert!(text.contains("runs in memory"), "{text}");
    assert!(!text.contains("another tab"), "{text}");
    root.remove();
}
