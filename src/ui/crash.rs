//! Simulated crashes: the page reloads, as a real crash restarts the app, and a note
//! kept for this tab (sessionStorage) says on the reloaded page what happened and which
//! transfer to resume. Shared by the transfer form and the saga timeline.

use gloo_storage::Storage as _;

use super::route;
use super::service::BankHandle;
use crate::domain::TransferId;

/// Where the note about a simulated crash waits for the reload.
const CRASH_NOTE_KEY: &str = "sagabank/crash-note";
/// The transfer whose simulated crash reloaded the page: resumed after the reload,
/// even when it was being stepped by hand.
const CRASHED_TRANSFER_KEY: &str = "sagabank/crashed-transfer";

/// Says what crashed, keeps the note for the reloaded page, and reloads.
pub fn crash_and_reload(bank: BankHandle, transfer: &TransferId, where_: &str) {
    let note = format!("Simulated crash {where_} of transfer {transfer}");
    let _ = gloo_storage::SessionStorage::set(CRASH_NOTE_KEY, &note);
    let _ = gloo_storage::SessionStorage::set(CRASHED_TRANSFER_KEY, transfer.as_str());
    bank.announce(format!(
        "{note}: the page reloads and the saga resumes from the log"
    ));
    leptos::prelude::set_timeout(route::reload, std::time::Duration::from_millis(1200));
}

/// The note left by [`crash_and_reload`] before this page loaded, once.
#[must_use]
pub fn take_note() -> Option<String> {
    let note = gloo_storage::SessionStorage::get::<String>(CRASH_NOTE_KEY).ok();
    gloo_storage::SessionStorage::delete(CRASH_NOTE_KEY);
    note
}

/// The transfer whose simulated crash reloaded this page, once.
#[must_use]
pub fn take_crashed_transfer() -> Option<TransferId> {
    let id = gloo_storage::SessionStorage::get::<String>(CRASHED_TRANSFER_KEY).ok();
    gloo_storage::SessionStorage::delete(CRASHED_TRANSFER_KEY);
    id.and_then(|id| TransferId::parse(&id).ok())
}
