//! The bank's lifecycle in one place: start-up, a scenario in a fresh database, an
//! import, a reset, going back to a stored database, following another tab,
//! reopening when another tab deletes the database shown, the export, a practice fork
//! and reading another bank for Compare. Every step that puts a bank on the page goes through [`adopt`], so each
//! has the same side effects: a kept database becomes the page's choice (and its
//! `?db=` link), the read-model snapshot is kept, unfinished transfers resume, and
//! the page says what happened; every step after start-up clears the selection. Only this module and the
//! composition root ([`super::service`]) name the store's concrete type.

use std::rc::Rc;

use leptos::prelude::*;

use super::boot::{active_db, fresh_db_name, pin_db, requested_kind, set_active_db};
use super::page::{Page, Selection};
use super::service::{browser_env, BankHandle, BrowserBank};
use super::{files, route};
use crate::app::import;
use crate::app::scenario_catalog::{self, Scenario};
use crate::app::Bank;
use crate::domain::TransferId;
use crate::store::any::{AnyStore, StoreKind};
use crate::store::{EventStore, Recorded, StoreError};

/// Events written per step of an import (one IndexedDB transaction each).
const IMPORT_SLICE: usize = 2_000;

/// Why the bank could not start on its stored data.
#[derive(Clone)]
pub struct BootFailure {
    pub reason: String,
    pub kind: StoreKind,
    pub db_name: String,
    /// The opened store, to download its raw records.
    store: Option<AnyStore>,
}

impl BootFailure {
    /// The stored records as they are (key, tab, value per line), for a download.
    pub async fn raw_records(&self) -> String {
        match &self.store {
            Some(store) => match store.raw_records().await {
                Ok(records) => records
                    .iter()
                    .map(|r| format!("{}\t{}", r.key, r.value))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Err(e) => format!("could not read the raw records: {e}"),
            },
            None => "the database could not be opened, so nothing could be read".to_owned(),
        }
    }
}

/// Start-up: opens the page's database (memory, with a warning, when storage is not
/// available) and adopts its bank.
///
/// # Errors
/// The stored data cannot be read, or a newer build wrote it.
pub async fn boot(page: Page) -> Result<(), BootFailure> {
    let handle = page.bank;
    let kind = requested_kind();
    let db_name = active_db();
    let store = match AnyStore::open(kind, &db_name).await {
        Ok(store) => store,
        Err(e @ StoreError::NewerVersion(_)) => {
            handle.note_store_error(&e);
            return Err(failure(e.to_string(), kind, &db_name, None));
        }
        Err(StoreError::Corrupt(reason)) => return Err(failure(reason, kind, &db_name, None)),
        Err(e) => {
            page.notices.storage_warning.set(Some(format!(
                "{kind} is not available ({e}). The bank runs in memory: nothing will be kept after a reload."
            )));
            AnyStore::Memory(crate::store::MemoryStore::new())
        }
    };
    let reopened = take_reopened_note();
    let bank = open_bank(handle, store, &db_name).await?;
    adopt(page, bank, &db_name).await;
    if let Some(said) = reopened {
        handle.reopened.set(Some(said.clone()));
        page.notices.announce(said);
    }
    Ok(())
}

/// Goes back to a database kept in this browser (for example the learner's own bank
/// after a lesson), of the kind the page uses.
///
/// # Errors
/// It cannot be opened or read; the page keeps the bank it shows.
pub async fn open_existing(page: Page, db_name: &str) -> Result<(), String> {
    let handle = page.bank;
    let kind = handle.store_kind.get_untracked();
    let store = AnyStore::open(kind, db_name)
        .await
        .map_err(|e| e.to_string())?;
    let bank = open_bank(handle, store, db_name)
        .await
        .map_err(|f| f.reason)?;
    adopt(page, bank, db_name).await;
    clear_selection(page.selection);
    Ok(())
}

/// Loads `scenario` into a fresh database and shows it, its teaching transfer
/// selected. Returns the database's name.
///
/// # Errors
/// A new database cannot be opened, or the scenario cannot run.
pub async fn load_scenario(page: Page, scenario: &Scenario) -> Result<String, String> {
    let (bank, name) = fresh_bank(page.bank).await?;
    let selected = scenario_catalog::prepare(&bank, scenario).await?;
    adopt(page, bank, &name).await;
    show_transfer(page.selection, selected);
    page.notices
        .announce(format!("Scenario loaded: {}", scenario.title));
    Ok(name)
}

/// An empty bank in a fresh database, shown from now on. Returns its name. The
/// database shown before is kept.
///
/// # Errors
/// A new database cannot be opened.
pub async fn start_empty(page: Page) -> Result<String, String> {
    let (bank, name) = fresh_bank(page.bank).await?;
    adopt(page, bank, &name).await;
    clear_selection(page.selection);
    Ok(name)
}

/// Empties the bank: a fresh database, the old one deleted.
///
/// # Errors
/// A new database cannot be opened, or the old one cannot be deleted.
pub async fn reset(page: Page) -> Result<(), String> {
    let handle = page.bank;
    let kind = handle.store_kind.get_untracked();
    let old = handle.db_name.get_untracked();
    let name = start_empty(page).await?;
    if kind.is_persistent() && old != name {
        delete_database(handle, &old).await?;
    }
    page.notices.announce("The bank was reset: no events.");
    Ok(())
}

/// Writes checked `events` (see [`crate::app::import`]) into a fresh database of the
/// same kind, checking each lands where it was, then shows it. The old database is
/// not touched. Calls `progress` with the count written so far. Returns the new
/// database's name. All or nothing: if an event cannot be stored (a full
/// localStorage), the new database is deleted with whatever of it landed.
///
/// # Errors
/// A reason that names the first event not stored and says the log shown is unchanged.
pub async fn import(
    page: Page,
    events: Rc<Vec<Recorded>>,
    progress: impl Fn(usize),
) -> Result<String, String> {
    let handle = page.bank;
    let kind = handle.store_kind.get_untracked();
    let name = fresh_db_name();
    let store = AnyStore::open(kind, &name)
        .await
        .map_err(|e| format!("a new database could not be opened: {e}. The log is unchanged."))?;
    // In slices, to show progress; IndexedDB writes each slice in one transaction.
    let mut done = 0;
    for slice in events.chunks(IMPORT_SLICE) {
        if let Err(e) = store.restore(slice).await {
            // A slice lands in several appends on localStorage: some may have landed.
            let landed = store.read_all(done as u64 + 1).await.map_or(0, |r| r.len());
            let first = events.get(done + landed).map_or(0, |r| r.position);
            // All or nothing: what did land goes too.
            let removed = AnyStore::delete(kind, &name)
                .await
                .map_err(|e| e.to_string());
            page.persistence
                .with_value(|persistence| persistence.reread());
            let store = kind.to_string();
            return Err(import::write_failure(
                &store,
                first,
                events.len(),
                &e,
                removed,
            ));
        }
        done += slice.len();
        progress(done);
    }
    let bank = open_bank(handle, store, &name).await.map_err(|failure| {
        format!(
            "the imported log was written but could not be opened: {}",
            failure.reason
        )
    })?;
    adopt(page, bank, &name).await;
    clear_selection(page.selection);
    route::replace(&route::Route::Home);
    Ok(name)
}

/// A practice fork: `prefix` (the first events of the bank shown) written into a fresh
/// database of the same kind in one bulk write, then shown. The bank it came from is
/// only read. Returns the new database's name.
///
/// # Errors
/// The new database cannot be opened or written (it is deleted again).
pub async fn fork(page: Page, prefix: &[Rc<Recorded>]) -> Result<String, String> {
    let kind = page.bank.store_kind.get_untracked();
    let name = fresh_db_name();
    let store = AnyStore::open(kind, &name)
        .await
        .map_err(|e| e.to_string())?;
    match crate::app::fork::fork_bank(store, browser_env(&name), prefix).await {
        Ok(bank) => {
            adopt(page, bank, &name).await;
            clear_selection(page.selection);
            Ok(name)
        }
        Err(e) => {
            let _ = AnyStore::delete(kind, &name).await;
            Err(format!(
                "The practice bank could not be made: {e}. Your bank is unchanged."
            ))
        }
    }
}

/// The read models of the database `db_name` (of the kind the page uses), without
/// showing it: what Compare sets beside the bank shown.
///
/// # Errors
/// It cannot be opened or read.
pub async fn read_models(
    handle: BankHandle,
    db_name: &str,
) -> Result<crate::app::ReadModels, String> {
    let store = AnyStore::open(handle.store_kind.get_untracked(), db_name)
        .await
        .map_err(|e| e.to_string())?;
    let log = store.read_all(1).await.map_err(|e| e.to_string())?;
    Ok(crate::app::ReadModels::rebuild(&log))
}

/// Downloads the log shown as JSON lines, named after its database, and says so.
/// Lets the page paint first: a long log takes a moment to serialise.
pub async fn export(page: Page) {
    let handle = page.bank;
    let Some(bank) = handle.bank() else {
        return;
    };
    files::yield_to_browser().await;
    let (text, count) = bank.read(|m| {
        let mut text = String::new();
        for r in &m.audit {
            text.push_str(&r.to_json_line());
            text.push('\n');
        }
        (text, m.audit.len())
    });
    let db = handle.db_name.get_untracked();
    let name = if db.is_empty() {
        "sagabank.jsonl".to_owned()
    } else if db.starts_with("sagabank") {
        format!("{db}.jsonl")
    } else {
        format!("sagabank-{db}.jsonl")
    };
    files::download(&name, &text, "application/x-ndjson");
    page.notices
        .announce(format!("Exported {count} events as {name}"));
}

/// Deletes a kept database of the kind the page uses (a lesson's, the one a reset
/// left), never the one shown. Nothing to do on memory: its log went with its bank.
///
/// # Errors
/// The browser refused to delete it.
pub async fn delete_database(handle: BankHandle, db_name: &str) -> Result<(), String> {
    let kind = handle.store_kind.get_untracked();
    if !kind.is_persistent() || db_name == handle.db_name.get_untracked() {
        return Ok(());
    }
    AnyStore::delete(kind, db_name)
        .await
        .map_err(|e| e.to_string())
}

/// A bank of this page only (an embed): in memory, with the page's own step locks,
/// never a stored database; `events` (checked, see [`crate::app::import`]) are its log.
/// It is shown with [`BankHandle::install`] alone: it is nobody's choice, nothing of it
/// resumes or is kept.
///
/// # Errors
/// The events cannot be written or read back.
pub async fn page_only_bank(name: &str, events: &[Recorded]) -> Result<BrowserBank, String> {
    let store = AnyStore::Memory(crate::store::MemoryStore::new());
    store.restore(events).await.map_err(|e| e.to_string())?;
    // Web Locks may be refused to a page framed by another site (Chrome answers
    // `SecurityError` when third-party storage is blocked), and no other tab shares
    // this bank anyway.
    let env = browser_env(name).with_locks(Rc::new(crate::app::LocalLocks::new()));
    Bank::open(store, env).await.map_err(|e| e.to_string())
}

/// Follows another tab to the database it moved to: this tab reloads on it.
pub fn follow(db_name: &str) {
    set_active_db(db_name);
    pin_db(db_name);
    route::reload();
}

/// Keeps this tab on the database it shows, whatever other tabs choose.
pub fn stay(page: Page) {
    pin_db(&page.bank.db_name.get_untracked());
    page.bank.moved_to.set(None);
    page.notices.announce("This tab stays on its bank.");
}

/// After a failed start: reloads on an empty database, the unreadable one kept as it
/// is.
pub fn start_fresh_after_failure() {
    set_active_db(&fresh_db_name());
    route::reload();
}

fn failure(reason: String, kind: StoreKind, db_name: &str, store: Option<AnyStore>) -> BootFailure {
    BootFailure {
        reason,
        kind,
        db_name: db_name.to_owned(),
        store,
    }
}

/// A bank on `store`, its read models rebuilt from the log.
async fn open_bank(
    handle: BankHandle,
    store: AnyStore,
    db_name: &str,
) -> Result<BrowserBank, BootFailure> {
    let kind = store.kind();
    Bank::open(store.clone(), browser_env(db_name))
        .await
        .map_err(|e| {
            handle.note_store_error(&e);
            failure(e.to_string(), kind, db_name, Some(store))
        })
}

/// A bank on a new, empty database of the kind the page uses, and its name.
async fn fresh_bank(handle: BankHandle) -> Result<(BrowserBank, String), String> {
    let kind = handle.store_kind.get_untracked();
    let name = fresh_db_name();
    let store = AnyStore::open(kind, &name)
        .await
        .map_err(|e| e.to_string())?;
    let bank = open_bank(handle, store, &name)
        .await
        .map_err(|f| f.reason)?;
    Ok((bank, name))
}

/// Shows `bank` from now on, with the same side effects for every step: a kept
/// database becomes the page's choice, the snapshot is kept,
/// and unfinished transfers resume (a transfer stepped by hand stays paused, unless its
/// own simulated crash reloaded the page).
async fn adopt(page: Page, bank: BrowserBank, db_name: &str) {
    let (handle, notices) = (page.bank, page.notices);
    // At start-up the database is already the page's choice, and a tab pinned by its
    // `?db=` must not change the choice of the others.
    if bank.store().kind().is_persistent() && active_db() != db_name {
        set_active_db(db_name);
    }
    notices.resumed.set(Vec::new());
    // A bank replacing another was written before it was shown: that counts as a write.
    let replacing = handle.bank().is_some();
    page.persistence
        .with_value(|persistence| persistence.watch(&bank, replacing));
    reopen_when_deleted(handle, &bank, db_name);
    bank.set_snapshot_every(super::account_load::stored_every());
    handle.install(bank, db_name);
    super::snapshot::keep(handle);
    let Some(bank) = handle.bank() else {
        return;
    };
    let crashed: Vec<_> = super::crash::take_crashed_transfer(db_name)
        .into_iter()
        .collect();
    match bank.resume_all(&crashed).await {
        Ok(resumed) if !resumed.is_empty() => {
            let names: Vec<String> = resumed.iter().map(ToString::to_string).collect();
            notices.announce(format!("Resumed after reload: {}", names.join(", ")));
            notices.resumed.set(resumed);
        }
        Ok(_) => {}
        Err(e) => {
            handle.note_bank_error(&e);
            notices.announce(format!("Could not resume unfinished transfers: {e}"));
        }
    }
}

/// Where the sentence about a bank deleted under this tab waits for the reload.
const REOPENED_NOTE_KEY: &str = "sagabank/reopened-note";

/// When another tab deletes the database this page shows (its Reset, even after
/// this tab chose to stay), reopens on the bank in use there (a reload, the page's
/// `?db=` pin, if any, moved to it) and says so after the reload, rather than
/// failing at the next command on a closed connection.
fn reopen_when_deleted(handle: BankHandle, bank: &BrowserBank, db_name: &str) {
    use gloo_storage::Storage as _;
    let deleted = db_name.to_owned();
    bank.store().on_deleted(move || {
        // This page's own reset deletes the database it showed before: not news.
        if handle.db_name.try_get_untracked().as_ref() != Some(&deleted) {
            return;
        }
        let chosen = chosen_db().filter(|name| *name != deleted);
        let (target, which) = match chosen {
            Some(name) => (name, "the bank in use there"),
            None => (fresh_db_name(), "a new, empty bank"),
        };
        let said = format!(
            "Another tab deleted the bank this tab showed (database {deleted}), for example \
             with Reset. This tab has reopened on {which} (database {target})."
        );
        let _ = gloo_storage::SessionStorage::set(REOPENED_NOTE_KEY, said);
        set_active_db(&target);
        route::reload();
    });
}

/// The sentence [`reopen_when_deleted`] left before this page loaded, once.
fn take_reopened_note() -> Option<String> {
    use gloo_storage::Storage as _;
    let said = gloo_storage::SessionStorage::get::<String>(REOPENED_NOTE_KEY).ok();
    gloo_storage::SessionStorage::delete(REOPENED_NOTE_KEY);
    said
}

/// The database the tabs of this browser chose last (kept in localStorage), whatever
/// this tab's `?db=` says.
fn chosen_db() -> Option<String> {
    use gloo_storage::Storage as _;
    gloo_storage::LocalStorage::get::<String>(super::boot::ACTIVE_DB_KEY)
        .ok()
        .filter(|name| !name.trim().is_empty())
}

/// Selects nothing: what was selected belongs to the bank shown before. (At start-up
/// the selection comes from the URL's deep link and is kept.)
fn clear_selection(selection: Selection) {
    selection.position.set(None);
    selection.transfer.set(None);
}

/// Selects `transfer` (or nothing) and links to it.
fn show_transfer(selection: Selection, transfer: Option<TransferId>) {
    selection.position.set(None);
    selection.transfer.set(transfer.clone());
    if let Some(id) = transfer {
        route::go(&route::Route::Transfer(id));
    }
}
