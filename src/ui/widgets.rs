//! Small shared pieces: badges that say their meaning in words (colour is never the
//! only signal), the balance sparkline, the inline form error.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::service::use_bank;
pub use crate::app::projections::{sparkline_points, SPARKLINE_POINTS};
use crate::app::views::id_cut;
use crate::app::TransferStatus;
use crate::domain::{AccountStatus, TransferState};

/// Which storage the bank runs on, and its database; beside it, whether the browser
/// keeps it and how much room it takes ([`super::storage::StorageStatus`], outside the
/// badge so the badge's text changes only with the store).
#[component]
pub fn StoreBadge() -> impl IntoView {
    let bank = use_bank();
    view! {
        <div class="masthead__store">
            <p class="store-badge" data-testid="store-badge">
                <span class="store-badge__label">"Events stored in "</span>
                <strong>{move || bank.store_kind.get().to_string()}</strong>
                <span class="store-badge__db">{move || format!(" · {}", bank.db_name.get())}</span>
            </p>
            <super::storage::StorageStatus kind=bank.store_kind.get_untracked()
                persistence=super::page::use_page().persistence.get_value()/>
        </div>
    }
}

/// An account's status as a badge with its name in words.
#[component]
pub fn AccountStatusBadge(#[prop(into)] status: Signal<AccountStatus>) -> impl IntoView {
    view! {
        <span
            class="badge"
            class:badge--ok=move || status.get() == AccountStatus::Active
            class:badge--warn=move || status.get() == AccountStatus::Suspended
            class:badge--muted=move || status.get() == AccountStatus::Closed
        >
            {move || status.get().to_string()}
        </span>
    }
}

/// The badge class and icon of a transfer status.
fn status_badge(status: TransferStatus) -> (&'static str, &'static str) {
    match status {
        TransferStatus::Completed => ("badge--ok", "✓ "),
        TransferStatus::Compensated => ("badge--warn", "↺ "),
        TransferStatus::Failed => ("badge--bad", "✗ "),
        TransferStatus::NeedsAttention => ("badge--alert", "⚠ "),
        TransferStatus::InProgress => ("badge--info", "… "),
    }
}

/// A transfer's status as a badge, following its saga's state.
#[component]
pub fn TransferBadge(
    /// The saga's state, tracked.
    #[prop(into)]
    state: Signal<TransferState>,
) -> impl IntoView {
    move || view! { <StatusBadge status=TransferStatus::of(&state.get())/> }
}

/// A transfer status as a badge with its name in words and an icon.
#[component]
pub fn StatusBadge(
    /// The status to show.
    status: TransferStatus,
) -> impl IntoView {
    let (class, icon) = status_badge(status);
    view! {
        <span class=format!("badge {class}") data-testid="transfer-status">
            <span class="badge__icon" aria-hidden="true">{icon}</span>
            {status.as_str()}
        </span>
    }
}

/// A small line chart of the latest balances of an account.
#[component]
pub fn Sparkline(
    /// The balances to draw, oldest first.
    balances: Vec<crate::domain::Money>,
    /// How many events the account has in all (for the label).
    events: usize,
) -> impl IntoView {
    // Integer coordinates in a 1200 x 280 box (tenths of the 120 x 28 pixels drawn): no
    // float formatting, which would add kilobytes of code to the download.
    let values: Vec<i64> = balances.iter().map(|b| b.cents()).collect();
    let (w, h) = (1200_i64, 280_i64);
    let max = values.iter().copied().fold(0, i64::max).max(1);
    let n = values.len().max(2) as i64 - 1;
    // At most 10^11 cents times 240: far inside i64.
    let y = |v: i64| h - 20 - v.max(0) * (h - 40) / max;
    let points = match values.as_slice() {
        [only] => format!("0,{y} {w},{y}", y = y(*only)),
        _ => values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{},{}", i as i64 * w / n, y(*v)))
            .collect::<Vec<_>>()
            .join(" "),
    };
    let label = format!(
        "balance over the last {} of {events} events, from {} to {}",
        balances.len(),
        balances
            .first()
            .map(ToString::to_string)
            .unwrap_or_default(),
        balances.last().map(ToString::to_string).unwrap_or_default()
    );
    view! {
        <svg class="sparkline" viewBox="0 0 1200 280" width="120" height="28" role="img" aria-label=label>
            <polyline points=points fill="none" stroke="currentColor" stroke-width="15"/>
        </svg>
    }
}

/// "Show more" for long lists: how many are shown of how many, and a button that
/// shows `step` more.
#[component]
pub fn ShowMore(
    #[prop(into)] shown: Signal<usize>,
    #[prop(into)] total: Signal<usize>,
    limit: RwSignal<usize>,
    step: usize,
    what: &'static str,
) -> impl IntoView {
    move || {
        (total.get() > shown.get()).then(|| {
            view! {
                <p class="show-more">
                    {format!("Showing {} of {} {what}. ", shown.get(), total.get())}
                    <button class="button button--secondary button--chip" type="button"
                        on:click=move |_| limit.update(|l| *l += step)>
                        {format!("Show {step} more")}
                    </button>
                </p>
            }
        })
    }
}

/// The error under a form, announced to screen readers.
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<String>>,
    test_id: &'static str,
) -> impl IntoView {
    view! {
        <p class="form-error" role="alert" data-testid=test_id hidden=move || error.get().is_none()>
            {move || error.get().unwrap_or_default()}
        </p>
    }
}

/// What every form does with its error (one behaviour for all of them): the error
/// stays until the user changes a field of the form, then goes, so an old refusal is
/// never read as the answer to what is typed now. The refused value itself stays in
/// its field to be corrected (forms clear a field only once its command succeeded, see
/// [`clear_if_unchanged`]). Put it on the form's element as `on:input`: the event
/// bubbles from every text field, select, checkbox, radio and file input in it.
pub fn clear_error_on_input(
    error: RwSignal<Option<String>>,
) -> impl Fn(leptos::ev::Event) + Copy + 'static {
    move |_| {
        if error.with_untracked(Option::is_some) {
            error.set(None);
        }
    }
}

/// Resets a form field after its command succeeded, unless the user has typed
/// something else since it was sent.
pub fn clear_if_unchanged(field: RwSignal<String>, sent: &str, reset_to: &str) {
    // `try_`: the form may be gone by the time its command finishes.
    if field.try_get_untracked().as_deref() == Some(sent) {
        field.set(reset_to.to_owned());
    }
}

/// The page's title and one-line lead, shared by the bank page and its preview.
#[component]
pub fn Brand() -> impl IntoView {
    view! {
        <div class="masthead__brand">
            <h1>"sagabank"</h1>
            <p class="masthead__lead">
                "An event-sourced bank with a transfer saga. Every change is an event; watch them."
            </p>
        </div>
    }
}

/// An id in a table row, cut in the middle when its column is narrow: the head is
/// shortened with an ellipsis, the last characters always show (see
/// [`id_cut::split`]), so two ids stay apart. The whole id is its title (on hover), its
/// accessible name (a visually hidden copy: Chromium would name the two visible parts
/// "transfer -789", with a space) and shows whole while its row has the keyboard's
/// focus (not a mouse's: an id growing under the pointer would lose the click). A link
/// to `href`, or text when `None`. (A function, not a component: it is small.)
pub fn id_cut(id: String, href: Option<String>) -> AnyView {
    let (head, tail) = id_cut::split(&id);
    let head = (!head.is_empty()).then(|| head.to_owned());
    let parts = view! {
        <span class="visually-hidden">{id.clone()}</span>
        {head.map(|head| view! { <span class="id-cut__head" aria-hidden="true">{head}</span> })}
        <span class="id-cut__tail" aria-hidden="true">{tail.to_owned()}</span>
    };
    match href {
        Some(href) => view! { <a class="id-cut" href=href title=id>{parts}</a> }.into_any(),
        None => view! { <span class="id-cut" title=id>{parts}</span> }.into_any(),
    }
}

/// The column heads of every table of accounts (the list, its preview, time travel).
#[component]
pub fn AccountsHead(
    /// Whether the table has the balance-history column.
    history: bool,
) -> impl IntoView {
    view! {
        <thead>
            <tr>
                <th scope="col">"Account"</th>
                <th scope="col">"Owner"</th>
                <th scope="col">"Status"</th>
                <th scope="col" class="num">"Balance"</th>
                {history.then(|| view! { <th scope="col" class="col--history">"History"</th> })}
            </tr>
        </thead>
    }
}

/// The column heads of every table of transfers (the list and its preview).
#[component]
pub fn TransfersHead() -> impl IntoView {
    view! {
        <thead>
            <tr>
                <th scope="col">"Transfer"</th>
                <th scope="col">"From → to"</th>
                <th scope="col" class="num">"Amount"</th>
                <th scope="col">"Status"</th>
            </tr>
        </thead>
    }
}

/// Moves keyboard focus to the first of `selectors` present on the page (element ids
/// of other panels; within a component, use [`focus_node`]). See [`focus_node`] for
/// the waiting; the later selectors are taken only once the first has not shown up.
pub fn focus_first(selectors: &[&str]) {
    let owned: Vec<String> = selectors.iter().map(|s| (*s).to_owned()).collect();
    focus_when(move |settle| {
        let document = document();
        let candidates = if settle {
            &owned[..]
        } else {
            &owned[..owned.len().min(1)]
        };
        candidates.iter().find_map(|selector| {
            document
                .query_selector(selector)
                .ok()
                .flatten()
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        })
    });
}

/// Moves keyboard focus to `node`; focusing scrolls it into view. What was just asked
/// for may render (or be unhidden) a little later, so this tries again on each of the
/// next frames (about a third of a second on a quiet machine). If the user puts the
/// focus somewhere meanwhile, it stays there: this never takes it back.
pub fn focus_node<E>(node: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    focus_when(move |_| {
        node.get_untracked()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    });
}

/// Focuses what `find` returns (given whether this is the last try), trying on each
/// of the next frames until the focus lands there.
fn focus_when(find: impl Fn(bool) -> Option<web_sys::HtmlElement> + 'static) {
    let focused_at_call = document().active_element();
    focus_attempt(Rc::new(find), focused_at_call, 20, 20 * 60);
}

fn focus_attempt(
    find: Rc<dyn Fn(bool) -> Option<web_sys::HtmlElement>>,
    focused_at_call: Option<web_sys::Element>,
    frames_left: u32,
    loading_frames_left: u32,
) {
    request_animation_frame(move || {
        let document = document();
        // An element that went away leaves the focus on <body>: that is no choice of
        // the user's. Any other element than the one focused at the call is.
        let now = document.active_element();
        let body: Option<web_sys::Element> = document.body().map(Into::into);
        if now.is_some() && now != body && now != focused_at_call {
            return;
        }
        // A part whose code is still on its way (`super::lazy`) may hold the element:
        // the search goes on while one loads, for up to 20 s more, before settling.
        let waiting = frames_left == 0 && loading_frames_left > 0 && super::lazy::part_loading();
        let landed = find(frames_left == 0 && !waiting).is_some_and(|element| {
            let _ = element.focus();
            // A hidden element takes no focus: it may be shown on a later frame.
            document.active_element().as_ref() == Some(element.as_ref())
        });
        if landed {
            return;
        }
        if frames_left > 0 {
            focus_attempt(find, focused_at_call, frames_left - 1, loading_frames_left);
        } else if waiting {
            focus_attempt(find, focused_at_call, 0, loading_frames_left - 1);
        }
    });
}

/// Calls `f` on every Escape key press on the page while the calling component lives:
/// for questions that must close even before focus has reached them.
pub fn on_escape(f: impl Fn() + 'static) {
    let listener = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            f();
        }
    });
    on_cleanup(move || listener.remove());
}
