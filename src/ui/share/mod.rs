//! Sharing a bank as a link. **Copy a link to this bank** (beside export and import)
//! packs the log into the URL's fragment (`#log=…`, see [`crate::app::share`]);
//! opening such a link shows what it holds and, on a yes, loads it into a fresh
//! database through the same path as an import ([`crate::ui::lifecycle::import`],
//! after the same replay as an import's check).
//! A link that is damaged, cut short or over the limit is refused with its reason, and
//! nothing changes. The fragment never reaches a server.

pub mod pack;

use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;

use crate::app::share::LogSummary;
use crate::app::views::audit_filter::group_digits;
use crate::domain::TransferId;
use crate::store::Recorded;
use crate::ui::action::Command;
use crate::ui::lifecycle;
use crate::ui::page::Notices;
use crate::ui::page::{use_notices, use_page, use_selection, Page};
use crate::ui::route::{self, Route};
use crate::ui::service::{use_bank, BankHandle};
use crate::ui::widgets::{focus_first, on_escape, FormError};

/// The button that copies a link to the bank as it is now, and the link itself (to
/// copy by hand where the browser refuses the clipboard).
#[component]
pub fn ShareLink() -> impl IntoView {
    let bank = use_bank();
    let (selection, notices) = (use_selection(), use_notices());
    let link = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let packing = Command::new(error);
    let copy = move |_| {
        let Some(b) = bank.bank() else { return };
        if packing.running() {
            return;
        }
        error.set(None);
        status.set(None);
        link.set(None);
        let events = b.read(|m| m.audit.clone());
        let transfer = selection.transfer.get_untracked().map(|t| t.to_string());
        packing.run(async move {
            match pack::link_for(&events, transfer.as_deref()).await {
                Ok(url) => {
                    let summary = b.read(|m| LogSummary::of(&m.audit));
                    let copied = pack::copy_to_clipboard(&url).await;
                    let what = format!(
                        "{summary} in a link of {} characters",
                        group_digits(url.chars().count())
                    );
                    let message = match copied {
                        Ok(()) => format!("Link copied: {what}. Whoever opens it gets this bank as it is now; the bank travels in the link and never reaches a server."),
                        Err(why) => format!("The link is below ({what}): select it and copy it ({why})."),
                    };
                    notices.announce(message.clone());
                    status.set(Some(message));
                    link.set(Some(url));
                    Ok(())
                }
                Err(e) => Err(capitalized(&e.to_string())),
            }
        });
    };
    let field = NodeRef::<html::Input>::new();
    view! {
        <div class="share" data-testid="share">
            <button
                type="button"
                class="button button--secondary"
                data-testid="share-copy"
                aria-disabled=packing.busy()
                on:click=copy
            >
                {move || if packing.pending() { "Packing the bank…" } else { "Copy a link to this bank" }}
            </button>
            <p class="share__status" role="status" data-testid="share-status" hidden=move || status.get().is_none()>
                {move || status.get().unwrap_or_default()}
            </p>
            {move || link.get().map(|url| view! {
                <input
                    class="share__link"
                    type="text"
                    readonly
                    aria-label="Link to this bank"
                    data-testid="share-link"
                    node_ref=field
                    prop:value=url
                    on:focus=move |_| {
                        if let Some(input) = field.get_untracked() {
                            input.select();
                        }
                    }
                />
            })}
            <FormError error=error test_id="share-error"/>
        </div>
    }
}

/// Where the opening of a shared link stands.
#[derive(Clone)]
enum Offer {
    None,
    Reading,
    /// Checked: waiting for the user's answer.
    Ask {
        summary: LogSummary,
        events: Rc<Vec<Recorded>>,
        transfer: Option<String>,
    },
    Writing {
        done: usize,
        total: usize,
    },
    Refused(String),
    Done(String),
}

/// Offers to open the bank a `#log=` link holds: reads and checks it, says what it
/// holds, and loads it into a fresh database on a yes. Shows nothing without such a
/// link. Also follows a link pasted into the address bar of an open page.
#[component]
pub fn SharedBankOffer() -> impl IntoView {
    let page = use_page();
    let (bank, notices) = (page.bank, page.notices);
    let offer = RwSignal::new_local(Offer::None);
    let read_link = move |link: Result<Route, route::BadLink>| {
        let Ok(Route::Shared { data, transfer }) = link else {
            return;
        };
        offer.set(Offer::Reading);
        leptos::task::spawn_local(read_shared(notices, offer, data, transfer));
    };
    read_link(route::current());
    let listener = route::watch(read_link);
    on_cleanup(move || listener.remove());

    let dismiss = move || {
        forget_link();
        offer.set(Offer::None);
    };
    let decline = move || {
        dismiss();
        notices.announce("The shared bank was not opened: your bank is unchanged.");
    };
    on_escape(move || {
        if matches!(offer.try_get_untracked(), Some(Offer::Ask { .. })) {
            decline();
        }
    });
    let accept = move || {
        let Offer::Ask {
            events, transfer, ..
        } = offer.get_untracked()
        else {
            return;
        };
        let total = events.len();
        offer.set(Offer::Writing { done: 0, total });
        leptos::task::spawn_local(open_shared(page, offer, events, transfer));
    };

    move || {
        match offer.get() {
        Offer::None => None,
        Offer::Reading => Some(view! {
            <p class="banner banner--info" role="status" data-testid="shared-reading">
                "Reading the bank in this link: unpacking it and replaying every event through the rules…"
            </p>
        }.into_any()),
        Offer::Writing { done, total } => Some(view! {
            <p class="banner banner--info" role="status" data-testid="shared-writing">
                {format!("Writing the shared bank: {} of {} events…", group_digits(done), group_digits(total))}
            </p>
        }.into_any()),
        Offer::Done(message) => Some(view! {
            <div class="banner banner--info" role="status" data-testid="shared-done">
                <p>{message}</p>
                <button class="button button--secondary" type="button" on:click=move |_| offer.set(Offer::None)>"OK"</button>
            </div>
        }.into_any()),
        Offer::Refused(reason) => Some(view! {
            <div class="banner banner--warning" role="alert" data-testid="shared-error">
                <p>{reason}</p>
                <button class="button button--secondary" type="button" on:click=move |_| dismiss() data-testid="shared-dismiss">
                    "OK, stay on my bank"
                </button>
            </div>
        }.into_any()),
        Offer::Ask { summary, .. } => Some(shared_question(bank, &summary, accept, decline)),
    }
    }
}

/// Reads and checks the bank in a `#log=` link (`data`), then asks whether to open
/// it, or says why it cannot be.
async fn read_shared(
    notices: Notices,
    offer: RwSignal<Offer, LocalStorage>,
    data: String,
    transfer: Option<String>,
) {
    match pack::events_from(&data).await {
        Ok(events) => {
            offer.set(Offer::Ask {
                summary: LogSummary::of(&events),
                events: Rc::new(events),
                transfer,
            });
            focus_first(&["#shared-open"]);
        }
        Err(e) => {
            let reason = format!("This link's bank cannot be opened: {e}. Nothing was changed.");
            notices.announce(reason.clone());
            offer.set(Offer::Refused(reason));
        }
    }
}

/// "Open the bank in this link?": what it holds (`summary`), what becomes of the bank
/// shown now, and the answers.
fn shared_question(
    bank: BankHandle,
    summary: &LogSummary,
    accept: impl Fn() + Copy + 'static,
    decline: impl Fn() + Copy + 'static,
) -> AnyView {
    let current = bank.last_position();
    let keep = if bank.store_kind.get_untracked().is_persistent() {
        format!(
            "The bank you have now ({} events) stays stored in this browser, as it is.",
            group_digits(current as usize)
        )
    } else {
        format!("The bank you have now ({} events) lives in memory only and will be gone: export it first to keep it.", group_digits(current as usize))
    };
    view! {
        <div class="dialog dialog--calm share__offer" role="alertdialog" aria-labelledby="shared-title"
            aria-describedby="shared-text" data-testid="shared-confirm">
            <h2 id="shared-title">"Open the bank in this link?"</h2>
            <p id="shared-text" data-testid="shared-summary">
                {format!("This link holds a bank: {summary}. Every event was replayed through the rules and fits. Opening it starts a new database with these events. {keep}")}
            </p>
            <div class="actions">
                <button class="button" type="button" id="shared-open" on:click=move |_| accept() data-testid="shared-open">
                    "Open the shared bank"
                </button>
                <button class="button button--secondary" type="button" on:click=move |_| decline() data-testid="shared-cancel">
                    "Not now"
                </button>
            </div>
        </div>
    }
    .into_any()
}

/// Writes the shared events into a fresh database (the import's path) and shows it.
async fn open_shared(
    page: Page,
    offer: RwSignal<Offer, LocalStorage>,
    events: Rc<Vec<Recorded>>,
    transfer: Option<String>,
) {
    let kind = page.bank.store_kind.get_untracked();
    let old_db = page.bank.db_name.get_untracked();
    let total = events.len();
    let last_transfer = events
        .iter()
        .rev()
        .find_map(|r| r.event.transfer_id().cloned());
    let progress = move |done| offer.set(Offer::Writing { done, total });
    // The import's own path: a fresh database, every event checked where it lands.
    match lifecycle::import(page, events, progress).await {
        Ok(new_db) => {
            forget_link();
            let named = transfer.and_then(|t| TransferId::parse(&t).ok());
            if let Some(id) = named.or(last_transfer) {
                route::go(&Route::Transfer(id));
            }
            let message = if kind.is_persistent() {
                format!("Opened the shared bank ({} events) in the new database {new_db}; your previous bank, {old_db}, is kept.", group_digits(total))
            } else {
                format!("Opened the shared bank ({} events).", group_digits(total))
            };
            page.notices.announce(message.clone());
            offer.set(Offer::Done(message));
        }
        Err(reason) => offer.set(Offer::Refused(format!(
            "This link's bank cannot be opened: {reason}"
        ))),
    }
}

/// Takes the `#log=` out of the address bar, so a reload does not ask again.
fn forget_link() {
    route::replace(&Route::Home);
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}
