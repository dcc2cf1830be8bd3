//! The read-model summary kept beside the log, for a fast first screen: written to
//! localStorage (`sagabank-summary/<db>`) when the page is hidden, after every
//! [`SAVE_EVERY`] new events, and right after a boot on a long log with none stored;
//! read before the store is opened, to show a preview while the log loads. Only
//! ever displayed: the bank itself always starts from the log.
//!
//! The key sits outside `sagabank/<db>/`, the localStorage store's own prefix, where
//! any other key counts as foreign data. Only IndexedDB banks keep a summary (the
//! localStorage store holds few events and starts fast anyway).

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::GetUntracked;
use wasm_bindgen::prelude::*;

use super::service::BankHandle;
use crate::app::projections::{Summary, SUMMARY_FORMAT};
use crate::store::any::StoreKind;

/// A summary is written after this many new events.
pub const SAVE_EVERY: u64 = 500;
/// A boot on a log this long writes a summary if none is stored.
pub const SAVE_AT_BOOT_FROM: u64 = 1_000;

/// The localStorage key of database `db`'s summary.
#[must_use]
pub fn key(db: &str) -> String {
    format!("sagabank-summary/{db}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored summary of `db`, if there is one this version can read.
#[must_use]
pub fn load(db: &str) -> Option<Summary> {
    let text = storage()?.get_item(&key(db)).ok()??;
    let summary: Summary = serde_json::from_str(&text).ok()?;
    (summary.format == SUMMARY_FORMAT).then_some(summary)
}

/// Stores `summary` for `db`. A full or unavailable localStorage is no error: the
/// next start is just slower to show something.
pub fn save(db: &str, summary: &Summary) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(summary)) {
        let _ = storage.set_item(&key(db), &text);
    }
}

/// Stores the summary of the bank in `handle`, if it runs on IndexedDB; returns the
/// position it was taken at.
fn save_current(handle: BankHandle) -> Option<u64> {
    // A newer build wrote the bank: its summary, if any, is not ours to replace.
    if handle.newer_version.get_untracked().is_some() {
        return None;
    }
    let bank = handle.bank()?;
    if bank.store().kind() != StoreKind::IndexedDb {
        return None;
    }
    let summary = bank.read(|m| m.summary());
    save(&handle.db_name.get_untracked(), &summary);
    Some(summary.position)
}

/// After the bank in `handle` was installed: stores a summary now if the log is long
/// and none is stored, then again after every [`SAVE_EVERY`] new events.
pub fn keep(handle: BankHandle) {
    let Some(bank) = handle.bank() else {
        return;
    };
    if bank.store().kind() != StoreKind::IndexedDb {
        return;
    }
    let db = handle.db_name.get_untracked();
    let position = bank.read(|m| m.last_position);
    let stored = storage()
        .and_then(|s| s.get_item(&key(&db)).ok().flatten())
        .is_some();
    if position >= SAVE_AT_BOOT_FROM && !stored {
        save_current(handle);
    }
    let saved_at = Rc::new(Cell::new(position));
    bank.subscribe(move |events| {
        let Some(last) = events.last() else {
            return;
        };
        // A bank replaced since (an import, a scenario) may still tell of its events.
        if handle.db_name.get_untracked() != db {
            return;
        }
        if last.position >= saved_at.get() + SAVE_EVERY {
            if let Some(at) = save_current(handle) {
                saved_at.set(at);
            }
        }
    });
}

/// Stores the summary whenever the page is hidden (`visibilitychange`) or left
/// (`pagehide`). Call once.
pub fn save_when_hidden(handle: BankHandle) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_visibility = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden());
        if hidden {
            save_current(handle);
        }
    });
    let on_pagehide = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        save_current(handle);
    });
    if let Some(document) = window.document() {
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_visibility.as_ref().unchecked_ref(),
        );
    }
    let _ =
        window.add_event_listener_with_callback("pagehide", on_pagehide.as_ref().unchecked_ref());
    // The page keeps both listeners for its whole life.
    on_visibility.forget();
    on_pagehide.forget();
}
