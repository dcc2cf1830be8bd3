//! Embed mode, for an `<iframe>` in a slide or a blog post: `?embed=saga` shows only
//! the saga timeline of one transfer, with its two balances, Next step and Play, and a
//! link to open the same bank in the full app. What it shows comes from
//! `&scenario=<key>` (a scenario of [`crate::app::scenario_catalog`], its transfer
//! waiting for Next step) or from a shared bank's fragment, `#log=…&transfer=<id>` (the
//! transfer named, else the log's last one).
//!
//! An embed runs on a memory store of its own: it never opens the visitor's IndexedDB
//! or localStorage bank, never changes which database is active, never asks for
//! persistent storage and never talks to the visitor's other tabs (its step locks are
//! its own, not Web Locks). A reload starts it over.

use leptos::prelude::*;

use super::lifecycle;
use super::page::{Page, Selection};
use super::route::{self, Route};
use super::service::{BankHandle, BrowserBank};
use super::share::pack;
use super::timeline::SagaTimeline;
use crate::app::scenario_catalog::{self, SCENARIOS};
use crate::domain::TransferId;

/// Whether the page was opened as an embed (`?embed=saga`).
#[must_use]
pub fn requested() -> bool {
    route::query().is_embed()
}

/// The embed's page: a small bar with the link to the full app, then the saga. The
/// embed's composition root: it makes the parts of the page's state the saga uses.
#[component]
pub fn Embed() -> impl IntoView {
    let handle = BankHandle::new();
    let Page {
        selection, notices, ..
    } = Page::provide(handle);
    let failure = RwSignal::new(None::<String>);
    let ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        match load(handle, selection).await {
            Ok(()) => ready.set(true),
            Err(reason) => failure.set(Some(reason)),
        }
    });
    // "Open in sagabank": the full app, with this bank as it stands now in a link (the
    // app asks before opening it), even when the bank has no saga to show. Until the
    // link is packed, and when there is no bank, the app itself.
    let open_href = RwSignal::new(pack::page_url());
    keep_packed(handle, selection, open_href);

    view! {
        <main class="embed" data-testid="embed">
            <header class="embed__bar">
                <span class="embed__brand">"sagabank"</span>
                <span class="muted embed__what">"a transfer saga, step by step"</span>
                <a class="embed__open" href=move || open_href.get() target="_blank" rel="noopener"
                    data-testid="embed-open">"Open in sagabank ↗"</a>
            </header>
            {move || {
                if let Some(reason) = failure.get() {
                    view! {
                        <p class="banner banner--warning" role="alert" data-testid="embed-error">{reason}</p>
                    }
                    .into_any()
                } else if ready.get() {
                    // Plain text, not links: the app's panels they would name are not
                    // here, and "Open in sagabank" is the one way out.
                    view! { <SagaTimeline no_links=true/> }.into_any()
                } else {
                    view! { <p class="loading" aria-busy="true">"Preparing the saga…"</p> }.into_any()
                }
            }}
            <p class="visually-hidden" aria-live="polite" data-testid="announcer">
                {move || notices.announcement.get()}
            </p>
        </main>
    }
}

/// Packs the embed's bank, as it stands after each change, into `open_href` (a link
/// to the full app that shows the selected transfer, if any).
fn keep_packed(handle: BankHandle, selection: Selection, open_href: RwSignal<String>) {
    let packing = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let Some(events) = handle.read(|m| m.audit.clone()) else {
            return;
        };
        let transfer = selection.transfer.get_untracked().map(|t| t.to_string());
        packing.update_value(|n| *n += 1);
        let mine = packing.get_value();
        leptos::task::spawn_local(async move {
            if let Ok(url) = pack::link_for(&events, transfer.as_deref()).await {
                if packing.get_value() == mine {
                    open_href.set(url);
                }
            }
        });
    });
}

/// Builds the embed's bank in memory and selects the transfer to show; the bank is
/// installed even when it has no saga to show.
async fn load(handle: BankHandle, selection: Selection) -> Result<(), String> {
    let name = format!("embed-{}", js_sys::Date::now() as u64);
    let (bank, transfer) = if let Some(key) = route::query().scenario {
        from_scenario(&name, &key).await?
    } else if let Ok(Route::Shared { data, transfer }) = route::current() {
        let events = pack::events_from(&data)
            .await
            .map_err(|e| format!("This embed's bank cannot be opened: {e}."))?;
        let bank = lifecycle::page_only_bank(&name, &events)
            .await
            .map_err(|e| format!("The shared bank could not be loaded: {e}."))?;
        let named = transfer.and_then(|t| TransferId::parse(&t).ok());
        let last = events
            .iter()
            .rev()
            .find_map(|r| r.event.transfer_id().cloned());
        (bank, named.or(last))
    } else {
        let keys: Vec<&str> = SCENARIOS.iter().map(|s| s.key).collect();
        return Err(format!(
            "This embed names no saga: add &scenario=<key> to its address ({}), or use a shared bank's link (#log=…).",
            keys.join(", ")
        ));
    };
    let missing = match &transfer {
        None => Some("There is no transfer in this bank, so no saga to show.".to_owned()),
        Some(t) if bank.read(|m| !m.transfers.contains_key(t)) => Some(format!(
            "This bank has no transfer {t}, so there is no saga to show."
        )),
        Some(_) => None,
    };
    // Installed even with no saga to show: "Open in sagabank" carries the bank.
    handle.install(bank, &name);
    if let Some(reason) = missing {
        return Err(reason);
    }
    selection.transfer.set(transfer);
    Ok(())
}

/// A scenario's bank (the catalog's own preparation: its teaching transfer waits for
/// Next step) and the transfer to show.
async fn from_scenario(name: &str, key: &str) -> Result<(BrowserBank, Option<TransferId>), String> {
    let Some(chosen) = scenario_catalog::find(key) else {
        let keys: Vec<&str> = SCENARIOS.iter().map(|s| s.key).collect();
        return Err(format!(
            "There is no scenario {key:?}: use one of {}.",
            keys.join(", ")
        ));
    };
    let bank = lifecycle::page_only_bank(name, &[]).await?;
    let selected = scenario_catalog::prepare(&bank, chosen).await?;
    Ok((bank, selected))
}
