//! Which store and database the page uses: the store kind from `?store=idb|local|memory`
//! (IndexedDB by default), the database from `?db=` or the choice kept in
//! localStorage. Opening it is [`super::lifecycle`]'s business.

use gloo_storage::Storage as _;

use super::route;
use crate::store::any::StoreKind;

/// The localStorage key naming the database the page uses now.
pub const ACTIVE_DB_KEY: &str = "sagabank/active-db";
/// The database used when none was chosen yet.
pub const DEFAULT_DB: &str = "sagabank";

/// The store kind asked for in the URL (`?store=`), or IndexedDB.
#[must_use]
pub fn requested_kind() -> StoreKind {
    route::query()
        .store
        .and_then(|v| StoreKind::parse(&v))
        .unwrap_or(StoreKind::IndexedDb)
}

/// The database the page uses now.
#[must_use]
pub fn active_db() -> String {
    route::query()
        .db
        .or_else(|| gloo_storage::LocalStorage::get::<String>(ACTIVE_DB_KEY).ok())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_DB.to_owned())
}

/// Makes `name` the database the page uses from now on. A `?db=` in the URL (which
/// wins over the stored choice) is rewritten too, so a reload stays on `name`.
pub fn set_active_db(name: &str) {
    // If localStorage is unavailable the choice lasts for this page only.
    let _ = gloo_storage::LocalStorage::set(ACTIVE_DB_KEY, name);
    if route::query().db.is_some() {
        route::set_query("db", name);
    }
}

/// Keeps this tab on the database `name` across reloads, whatever other tabs choose
/// (the `?db=` in the URL wins over the stored choice).
pub fn pin_db(name: &str) {
    route::set_query("db", name);
}

/// A database name not used before.
#[must_use]
pub fn fresh_db_name() -> String {
    format!("{DEFAULT_DB}-{}", js_sys::Date::now() as u64)
}
