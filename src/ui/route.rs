//! Deep links in the URL's hash, so they work on any static host and sub-path and
//! survive a reload: `#account=<id>`, `#transfer=<id>`, `#event=<position>`, and
//! `#lesson=<n>` (a lesson of the course, on its own database: see [`super::learn`]).

use leptos::prelude::*;

use super::service::BankHandle;
use crate::domain::{AccountId, TransferId};

/// What a hash points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Account(AccountId),
    Transfer(TransferId),
    Event(u64),
    /// A lesson of the course, 1-based.
    Lesson(usize),
}

/// Reads a hash such as `#transfer=t-1`.
#[must_use]
pub fn parse(hash: &str) -> Option<Target> {
    let (key, value) = hash.trim_start_matches('#').split_once('=')?;
    let value = js_sys::decode_uri_component(value).ok()?.as_string()?;
    match key {
        "account" => AccountId::parse(&value).ok().map(Target::Account),
        "transfer" => TransferId::parse(&value).ok().map(Target::Transfer),
        "event" => value.parse().ok().map(Target::Event),
        "lesson" => value.parse().ok().map(Target::Lesson),
        _ => None,
    }
}

/// The hash that links to `target`.
#[must_use]
pub fn href(target: &Target) -> String {
    match target {
        Target::Account(id) => format!("#account={id}"),
        Target::Transfer(id) => format!("#transfer={id}"),
        Target::Event(position) => format!("#event={position}"),
        Target::Lesson(n) => format!("#lesson={n}"),
    }
}

/// The selected account, from the hash (tracked).
pub fn selected_account() -> RwSignal<Option<AccountId>> {
    expect_context::<RwSignal<Option<AccountId>>>()
}

/// Applies the current hash to the selection now and on every change.
pub fn follow_hash(handle: BankHandle) {
    let account: RwSignal<Option<AccountId>> = RwSignal::new(None);
    provide_context(account);
    let apply = move || {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let target = parse(&hash);
        // Before the bank is open there is nothing to check against (see
        // `reveal_hash_target`).
        if handle.bank().is_some() {
            check_target(handle, target.as_ref());
        }
        match target {
            Some(Target::Account(id)) => account.set(Some(id)),
            Some(Target::Transfer(id)) => handle.selected_transfer.set(Some(id)),
            Some(Target::Event(position)) => handle.selected_position.set(Some(position)),
            // Before the bank is open, `learn::after_boot` follows it.
            Some(Target::Lesson(_)) if handle.bank().is_some() => {
                if let Some(learn) = super::learn::learn() {
                    super::learn::follow_link(handle, learn);
                }
            }
            Some(Target::Lesson(_)) | None => {}
        }
    };
    apply();
    let listener = window_event_listener(leptos::ev::hashchange, move |_| apply());
    // The page lives as long as the app; keep listening.
    std::mem::forget(listener);
}

/// Points the hash at `target` (and so selects it), keeping browser history.
pub fn go(target: &Target) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&href(target));
    }
}

/// Points the hash at `target` without a new history entry (and without a
/// `hashchange`): for selections made by arrow keys and the scrubber, which would
/// otherwise fill the back button with every step.
pub fn replace_hash(target: Option<&Target>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let url = match target {
        Some(target) => href(target),
        None => format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        ),
    };
    replace_url(&url);
}

/// Puts `url` in the address bar without a reload, a history entry or a `hashchange`.
pub fn replace_url(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Scrolls what the hash points at into view, once it is rendered: for a deep link
/// opened in a new tab, where the page would otherwise start at its top.
pub fn reveal_hash_target(handle: BankHandle) {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let target = parse(&hash);
    check_target(handle, target.as_ref());
    let selector = match target {
        // The headings of the panels that show each (element ids, not test hooks).
        Some(Target::Account(_)) => "#account-detail-title",
        Some(Target::Transfer(_)) => "#timeline-title",
        Some(Target::Event(_)) => "#audit-details-title",
        Some(Target::Lesson(_)) | None => return,
    };
    request_animation_frame(move || {
        if let Ok(Some(element)) = document().query_selector(selector) {
            element.scroll_into_view();
        }
    });
}

/// Says so on the page when a link names an account, transfer or event this bank does
/// not have (a link from another browser, or from before a reset).
fn check_target(handle: BankHandle, target: Option<&Target>) {
    let missing = match target {
        Some(Target::Account(id)) => handle
            .read(|m| !m.accounts.contains_key(id))
            .unwrap_or(false)
            .then(|| format!("account {id}")),
        Some(Target::Transfer(id)) => handle
            .read(|m| !m.transfers.contains_key(id))
            .unwrap_or(false)
            .then(|| format!("transfer {id}")),
        Some(Target::Event(position)) => (*position == 0 || *position > handle.last_position())
            .then(|| format!("event #{position}")),
        Some(Target::Lesson(_)) | None => None,
    };
    handle.link_notice.set(missing.map(|what| {
        format!("The link points at {what}, which this bank does not have (it may come from another browser, or from before a reset).")
    }));
}

/// Reloads the page.
pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
