//! Simulated crashes: the page reloads, as a real crash restarts the app, and a note
//! kept for this tab (sessionStorage) says on the reloaded page what happened and which
//! transfer to resume. Shared by the transfer form and the saga timeline.
//!
//! The note belongs to the bank the crash happened in (its database): the transfer is
//! resumed only on that bank, and the banner shows only while the page shows it, so
//! neither follows the learner into another bank or lesson.

use std::cell::RefCell;

use gloo_storage::Storage as _;
use leptos::prelude::*;

use super::page::Notices;
use super::route;
use super::service::{use_bank, BankHandle};
use crate::app::CrashPoint;
use crate::domain::TransferId;

/// Where the note about a simulated crash waits for the reload (for the banner).
const CRASH_NOTE_KEY: &str = "sagabank/crash-note";
/// The same note, for resuming the transfer whose simulated crash reloaded the page
/// (even when it was being stepped by hand).
const CRASHED_TRANSFER_KEY: &str = "sagabank/crashed-transfer";

/// A simulated crash, read back after the reload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrashNote {
    /// The database of the bank the crash happened in.
    pub db: String,
    pub transfer: TransferId,
    pub point: CrashPoint,
}

impl CrashNote {
    /// "Simulated crash in transfer t-1, after the debit step".
    #[must_use]
    pub fn sentence(&self) -> String {
        format!(
            "Simulated crash in transfer {}, {}",
            self.transfer, self.point
        )
    }

    /// The note as kept: `point`, `transfer` and `db`, tab-separated (a crash point's
    /// name and a transfer id hold no tab; the database name comes last, whole).
    fn stored(&self) -> String {
        format!("{}\t{}\t{}", self.point.as_str(), self.transfer, self.db)
    }

    /// The note kept under `key`, once (it is removed); `None` if there is none or it
    /// does not read (an older build's note, say).
    fn take(key: &str) -> Option<CrashNote> {
        let stored = gloo_storage::SessionStorage::get::<String>(key).ok();
        gloo_storage::SessionStorage::delete(key);
        let stored = stored?;
        let mut parts = stored.splitn(3, '\t');
        let point = parts.next()?.parse().ok()?;
        let transfer = TransferId::parse(parts.next()?).ok()?;
        let db = parts.next()?.to_owned();
        Some(CrashNote {
            db,
            transfer,
            point,
        })
    }
}

/// Says what crashed, keeps the note for the reloaded page, and reloads.
pub fn crash_and_reload(
    bank: BankHandle,
    notices: Notices,
    transfer: &TransferId,
    point: CrashPoint,
) {
    let note = CrashNote {
        db: bank.db_name.get_untracked(),
        transfer: transfer.clone(),
        point,
    };
    // The course notes that this crash fired (its check needs it before the reload).
    bank.tell_refusal(&crate::app::BankError::Crashed(point), None);
    let _ = gloo_storage::SessionStorage::set(CRASH_NOTE_KEY, note.stored());
    let _ = gloo_storage::SessionStorage::set(CRASHED_TRANSFER_KEY, note.stored());
    notices.announce(format!(
        "{}: the page reloads and the saga resumes from the log",
        note.sentence()
    ));
    leptos::prelude::set_timeout(route::reload, std::time::Duration::from_millis(1200));
}

/// The note left by [`crash_and_reload`] before this page loaded, once.
#[must_use]
pub fn take_note() -> Option<CrashNote> {
    CrashNote::take(CRASH_NOTE_KEY)
}

/// The transfer whose simulated crash reloaded this page, once, if it crashed on the
/// bank of database `db_name`.
#[must_use]
pub fn take_crashed_transfer(db_name: &str) -> Option<TransferId> {
    CrashNote::take(CRASHED_TRANSFER_KEY)
        .filter(|note| note.db == db_name)
        .map(|note| note.transfer)
}

/// On the page a simulated crash reloaded, says what crashed, while the page shows the
/// bank it crashed in; once the page shows another bank (a scenario, a lesson, an
/// import, a reset), the banner is gone for good.
#[component]
pub fn CrashBanner() -> impl IntoView {
    let bank = use_bank();
    let note = RefCell::new(take_note());
    move || {
        let shown = bank.db_name.get();
        let mut note = note.borrow_mut();
        if note.as_ref().is_some_and(|n| n.db != shown) {
            *note = None;
        }
        note.clone().map(|note| {
            view! {
                <p class="banner banner--warning" role="status" data-testid="crash-banner">
                    {note.sentence()} ": the page was reloaded, as a real crash restarts the app. Nothing in memory survived; "
                    "what happens next comes from the stored events alone."
                </p>
            }
        })
    }
}
