//! Start-up: choose the store (IndexedDB by default; `?store=idb|local|memory`),
//! open it, rebuild the read models, resume every unfinished transfer. When storage is
//! unavailable the page runs on memory with a warning; when the stored data cannot be
//! read, it stops with an error that names the problem and loses nothing; when a newer
//! build wrote it, the page asks for a reload ([`super::newer`]).

use gloo_storage::Storage as _;
use leptos::prelude::*;

use super::service::{browser_env, BankHandle};
use crate::app::Bank;
use crate::store::any::{AnyStore, StoreKind};
use crate::store::StoreError;

/// The localStorage key naming the database the page uses now.
pub const ACTIVE_DB_KEY: &str = "sagabank/active-db";
/// The database used when none was chosen yet.
pub const DEFAULT_DB: &str = "sagabank";

/// Why the bank could not start on its stored data.
#[derive(Clone)]
pub struct BootFailure {
    pub reason: String,
    pub kind: StoreKind,
    pub db_name: String,
    /// The opened store, to download its raw records.
    pub store: Option<AnyStore>,
}

/// The store kind asked for in the URL (`?store=`), or IndexedDB.
#[must_use]
pub fn requested_kind() -> StoreKind {
    query_param("store")
        .and_then(|v| StoreKind::parse(&v))
        .unwrap_or(StoreKind::IndexedDb)
}

/// A query parameter of the page's URL.
#[must_use]
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name)
}

/// The database the page uses now.
#[must_use]
pub fn active_db() -> String {
    query_param("db")
        .or_else(|| gloo_storage::LocalStorage::get::<String>(ACTIVE_DB_KEY).ok())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_DB.to_owned())
}

/// Makes `name` the database the page uses from now on. A `?db=` in the URL (which
/// wins over the stored choice) is rewritten too, so a reload stays on `name`.
pub fn set_active_db(name: &str) {
    // If localStorage is unavailable the choice lasts for this page only.
    let _ = gloo_storage::LocalStorage::set(ACTIVE_DB_KEY, name);
    if query_param("db").is_some() {
        replace_query_param("db", name);
    }
}

/// Keeps this tab on the database `name` across reloads, whatever other tabs choose
/// (the `?db=` in the URL wins over the stored choice).
pub fn pin_db(name: &str) {
    replace_query_param("db", name);
}

/// Sets a query parameter of the page's URL without a reload or a history entry.
fn replace_query_param(name: &str, value: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    params.set(name, value);
    let url = format!(
        "{}?{}{}",
        location.pathname().unwrap_or_default(),
        String::from(params.to_string()),
        location.hash().unwrap_or_default()
    );
    super::route::replace_url(&url);
}

/// A database name not used before.
#[must_use]
pub fn fresh_db_name() -> String {
    format!("{DEFAULT_DB}-{}", js_sys::Date::now() as u64)
}

/// Opens the store and the bank, installs it in `handle`, resumes unfinished transfers.
pub async fn boot(handle: BankHandle) -> Result<(), BootFailure> {
    let kind = requested_kind();
    let db_name = active_db();
    let store = match AnyStore::open(kind, &db_name).await {
        Ok(store) => store,
        Err(e @ StoreError::NewerVersion(_)) => {
            handle.note_store_error(&e);
            return Err(BootFailure {
                reason: e.to_string(),
                kind,
                db_name,
                store: None,
            });
        }
        Err(StoreError::Corrupt(reason)) => {
            return Err(BootFailure {
                reason,
                kind,
                db_name,
                store: None,
            })
        }
        Err(e) => {
            handle.storage_warning.set(Some(format!(
                "{kind} is not available ({e}). The bank runs in memory: nothing will be kept after a reload."
            )));
            AnyStore::Memory(crate::store::MemoryStore::new())
        }
    };
    open_bank(handle, store, &db_name).await
}

/// Opens a bank on `store`, installs it, and resumes unfinished transfers.
pub async fn open_bank(
    handle: BankHandle,
    store: AnyStore,
    db_name: &str,
) -> Result<(), BootFailure> {
    let kind = store.kind();
    let bank = match Bank::open(store.clone(), browser_env(db_name)).await {
        Ok(bank) => bank,
        Err(e) => {
            handle.note_store_error(&e);
            return Err(BootFailure {
                reason: e.to_string(),
                kind,
                db_name: db_name.to_owned(),
                store: Some(store),
            });
        }
    };
    handle.install(bank, db_name);
    super::snapshot::keep(handle);
    if let Some(bank) = handle.bank() {
        // Transfers that ran by themselves resume; one stepped by hand stays paused,
        // unless its own simulated crash reloaded the page.
        let crashed: Vec<_> = super::crash::take_crashed_transfer().into_iter().collect();
        match bank.resume_all(&crashed).await {
            Ok(resumed) if !resumed.is_empty() => {
                let names: Vec<String> = resumed.iter().map(ToString::to_string).collect();
                handle.announce(format!("Resumed after reload: {}", names.join(", ")));
                handle.resumed.set(resumed);
            }
            Ok(_) => {}
            Err(e) => {
                handle.note_bank_error(&e);
                handle.announce(format!("Could not resume unfinished transfers: {e}"));
            }
        }
    }
    Ok(())
}
