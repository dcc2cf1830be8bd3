//! The page a tab of an older build shows when the bank was written by a newer build
//! of sagabank (the site was updated while the tab stayed open): at start-up, when
//! a command or a catch-up meets the newer data while the page runs, or when the tab
//! becomes visible again ([`check_when_visible`]). It only
//! offers a reload, which loads the newer build; the data is neither damaged nor
//! touched, so there is no fresh start here.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::route;
use super::service::BankHandle;
use crate::app::BankError;
use crate::domain::BankCommand;
use crate::store::StoreError;

/// The sentence the page says, and what the tests look for.
pub const NEWER_TITLE: &str =
    "This bank was written by a newer version of sagabank: reload the page";

impl BankHandle {
    /// Shows [`NewerVersion`] instead of the bank if `error` says a newer build wrote
    /// the data; any other error is left to its caller.
    pub fn note_store_error(&self, error: &StoreError) {
        if let StoreError::NewerVersion(what) = error {
            self.newer_version.set(Some(what.clone()));
        }
    }

    /// [`BankHandle::note_store_error`] for a command's error.
    pub fn note_bank_error(&self, error: &BankError) {
        self.note_command_error(error, None);
    }

    /// [`BankHandle::note_bank_error`] for an error met by `command`, when known.
    pub fn note_command_error(&self, error: &BankError, command: Option<&BankCommand>) {
        self.tell_refusal(error, command);
        if let BankError::Store(error) = error {
            self.note_store_error(error);
        }
    }
}

/// Whenever the page becomes visible again (`visibilitychange`), reads what the log
/// gained meanwhile: a newer build that upgraded the database or wrote to it while the
/// tab was in the background is noticed as the learner comes back, not only at their
/// next command (a newer build need not tell this tab). Call once.
pub fn check_when_visible(handle: BankHandle) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_visibility = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let visible = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| !d.hidden());
        let (true, Some(bank)) = (visible, handle.bank()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Err(e) = bank.catch_up().await {
                handle.note_store_error(&e);
            }
        });
    });
    let _ = document.add_event_listener_with_callback(
        "visibilitychange",
        on_visibility.as_ref().unchecked_ref(),
    );
    // The page keeps the listener for its whole life.
    on_visibility.forget();
}

/// The newer-version page: says so, names what was newer (`what`), and offers a
/// reload. Nothing is written or deleted from here.
#[component]
pub fn NewerVersion(
    /// What was newer, e.g. the event and its schema version.
    what: String,
) -> impl IntoView {
    view! {
        <main class="app data-error" data-testid="newer-version">
            // The page's one main landmark; what happened is announced at once.
            <div role="alert">
                <h1>{NEWER_TITLE}</h1>
                <p>
                    "The site was updated while this page was open, and the newer version has "
                    "already written to this bank. This page is the older version: it stopped "
                    "before reading or writing anything it does not understand. Your data is "
                    "intact; reloading loads the newer version."
                </p>
            </div>
            <p>"What was newer: " <code data-testid="newer-version-what">{what}</code></p>
            <div class="actions">
                <button class="button" on:click=|_| route::reload() data-testid="newer-version-reload">
                    "Reload"
                </button>
            </div>
        </main>
    }
}
