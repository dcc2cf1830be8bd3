//! IndexedDB's part of version skew: the watch that closes a connection when another
//! connection (a newer build in another tab) upgrades or deletes the database and
//! remembers which it was, and what an exception while opening means.
//!
//! After an upgrade every later call on the connection is
//! [`StoreError::NewerVersion`]; after a delete the calls fail as
//! [`StoreError::Unavailable`] (the closed connection's `InvalidStateError`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ::idb::Database;
use js_sys::Reflect;
use web_sys::{DomException, IdbDatabase};

use super::skew::{newer_database, open_refused};
use super::StoreError;

/// What to call when another connection deletes the database.
type OnDeleted = Rc<RefCell<Option<Rc<dyn Fn()>>>>;

/// Closes its connection on `versionchange`, remembers an upgrade's new version, and
/// tells whoever asked ([`UpgradeWatch::on_deleted`]) of a delete.
#[derive(Clone)]
pub(crate) struct UpgradeWatch {
    name: String,
    ours: u32,
    /// The version another connection upgraded the database to, once it did.
    upgraded_to: Rc<Cell<Option<u32>>>,
    on_deleted: OnDeleted,
}

impl UpgradeWatch {
    /// Watches `db` (the connection to database `name`, at version `ours`): on
    /// `versionchange` it closes the connection, so the other tab does not wait.
    pub(crate) fn install(db: &mut Database, raw: &IdbDatabase, name: &str, ours: u32) -> Self {
        let watch = UpgradeWatch {
            name: name.to_owned(),
            ours,
            upgraded_to: Rc::new(Cell::new(None)),
            on_deleted: Rc::new(RefCell::new(None)),
        };
        let upgraded_to = Rc::clone(&watch.upgraded_to);
        let on_deleted = Rc::clone(&watch.on_deleted);
        let to_close = raw.clone();
        db.on_version_change(move |event| {
            // `newVersion` is null for a delete, the new version for an upgrade.
            let new_version = Reflect::get(&event, &"newVersion".into())
                .ok()
                .and_then(|v| v.as_f64());
            if let Some(version) = new_version {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                upgraded_to.set(Some(version as u32));
            }
            to_close.close();
            if new_version.is_none() {
                // Cloned out first: the callback may replace itself.
                let callback = on_deleted.borrow().clone();
                if let Some(callback) = callback {
                    callback();
                }
            }
        });
        watch
    }

    /// Calls `f` when another connection (another tab, or this one's next bank)
    /// deletes the database, right after this connection closed itself so the delete
    /// is not blocked. Replaces any earlier `f`.
    pub(crate) fn on_deleted(&self, f: impl Fn() + 'static) {
        *self.on_deleted.borrow_mut() = Some(Rc::new(f));
    }

    /// [`StoreError::NewerVersion`] once another connection upgraded the database.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        match self.upgraded_to.get() {
            Some(version) => Err(newer_database(&self.name, Some(version), self.ours)),
            None => Ok(()),
        }
    }
}

/// What an exception from opening database `name` (at version `ours`) means, if it is
/// one of those: `VersionError` (the database is at a higher version: a newer build
/// wrote it) or IndexedDB refused in this window ([`open_refused`]).
pub(crate) fn open_failure(name: &str, ours: u32, e: &DomException) -> Option<StoreError> {
    if e.name() == "VersionError" {
        return Some(newer_database(name, None, ours));
    }
    open_refused(&e.name(), &e.message())
}
