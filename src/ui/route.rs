//! The page's address: the one module that reads or writes `location` (its fragment
//! and its query) and the history. What an address means is
//! [`crate::app::route`]'s ([`Route`], [`Query`]); what the page does with one is
//! the composition root's ([`super::links`]). This module knows nothing else of the
//! UI, so anything may use it without making a cycle.

use leptos::prelude::*;

pub use crate::app::route::{BadLink, Query, Route};

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// Where the page's fragment points now.
///
/// # Errors
///
/// [`BadLink`] when the fragment is not an address the page can follow.
pub fn current() -> Result<Route, BadLink> {
    Route::parse(&location().and_then(|l| l.hash().ok()).unwrap_or_default())
}

/// The page's query string, read.
#[must_use]
pub fn query() -> Query {
    Query::parse(&location().and_then(|l| l.search().ok()).unwrap_or_default())
}

/// Calls `follow` with the new route on every change of the fragment (a link
/// clicked, the back button, an address pasted), until the returned handle is removed.
pub fn watch(follow: impl Fn(Result<Route, BadLink>) + 'static) -> WindowListenerHandle {
    window_event_listener(leptos::ev::hashchange, move |ev| {
        // The address the change went to, even if it was replaced since.
        let url = ev.new_url();
        follow(Route::parse(
            url.split_once('#').map_or("", |(_, hash)| hash),
        ));
    })
}

/// The fragment that links to `route`, for an `href`.
#[must_use]
pub fn href(route: &Route) -> String {
    route.href()
}

/// Points the address at `route` (and so selects it), keeping browser history.
pub fn go(route: &Route) {
    if let Some(location) = location() {
        let _ = location.set_hash(&route.href());
    }
}

/// Points the address at `route` without a new history entry (and without a
/// `hashchange`): for selections made by arrow keys and the scrubber, which would
/// otherwise fill the back button with every step, and for where the learner is.
pub fn replace(route: &Route) {
    let Some(location) = location() else {
        return;
    };
    let url = match route {
        Route::Home => format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        ),
        _ => route.href(),
    };
    replace_url(&url);
}

/// Sets the query parameter `name` of the page's address to `value`, keeping the
/// others and the fragment, without a reload or a history entry.
pub fn set_query(name: &str, value: &str) {
    let Some(location) = location() else {
        return;
    };
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
    replace_url(&url);
}

/// Puts `url` in the address bar without a reload, a history entry or a `hashchange`.
fn replace_url(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// This page's address without its query (a `?db=` or `?store=` is this browser's
/// choice, not the bank's) and without its fragment.
#[must_use]
pub fn page_url() -> String {
    location()
        .map(|location| {
            format!(
                "{}{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Reloads the page.
pub fn reload() {
    if let Some(location) = location() {
        let _ = location.reload();
    }
}
