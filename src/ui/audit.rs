//! The audit trail: every stored event in global order, filtered by account, transfer,
//! type and free text, with the selected event's whole envelope and the links that
//! follow its correlation and causation; export and import of the JSONL log.
//!
//! It stays smooth with 100,000 events: the list renders only the rows in view (a
//! fixed-height scroller, fixed row height, a spacer for the rest), and the filtered
//! index (the view model [`crate::app::views::audit_filter`]) is a memo rebuilt only
//! when a filter or the log changes, and then extended rather than rebuilt when the
//! log only grew. Free-text search runs over a lowercase copy of the JSON lines kept
//! beside the log, built the first time someone searches.
//!
//! It reads the read models' audit list through the [`BankHandle`]; it never folds
//! events itself. The selection is the handle's `selected_position`, shared with time
//! travel and the `#event=N` deep link.

use std::rc::{Rc, Weak};
use std::time::Duration;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::route::{self, Target};
use super::service::{use_bank, BankHandle, BrowserBank};
use super::widgets::{focus_first, on_escape, FormError};
use super::{boot, files};
use crate::app::import::parse_log;
use crate::app::views::audit_filter::{group_digits, FilterValues, Filtered, SearchIndex};
use crate::app::views::event_details::EventDetails;
use crate::domain::{AccountId, Event, TransferId};
use crate::store::any::{AnyStore, StoreKind};
use crate::store::Recorded;

/// Height of one row in pixels. `style/audit.css` sets the same (`--audit-row-height`).
const ROW_HEIGHT: f64 = 40.0;
/// Rows rendered above and below the visible ones, so a quick scroll shows no gap.
const OVERSCAN: usize = 8;
/// The scroller's height before it could be measured.
const DEFAULT_VIEWPORT: f64 = 480.0;
/// At most this many new events at once count as the log growing (the list follows
/// them when it shows its end); more is a new log, such as an import.
const TAIL_GROWTH: usize = 50;
/// Events written per step of an import (one IndexedDB transaction each).
const IMPORT_SLICE: usize = 2_000;
/// How long the search box waits for typing to pause before it filters.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(200);
/// At most this many transfer ids are offered as suggestions in the transfer filter.
const TRANSFER_SUGGESTIONS: usize = 200;

/// The audit trail panel: filters, the virtualised event list, the selected event's
/// details, and export / import.
#[component]
pub fn AuditPanel() -> impl IntoView {
    let handle = use_bank();
    let filters = FilterSignals::new();
    // The free-text index of the log it was built for (reset for another log).
    let search_index: StoredValue<(Weak<BrowserBank>, SearchIndex), LocalStorage> =
        StoredValue::new_local((Weak::new(), SearchIndex::default()));

    let identity = LogIdentity::new();
    let filter_values = Memo::new(move |_| filters.values());
    let filtered = Memo::new(move |prev: Option<&Filtered>| {
        let values = filter_values.get();
        let log = identity.current(&handle);
        let Some(bank) = handle.bank() else {
            return Filtered::default();
        };
        handle.read(|_| ());
        bank.read(|m| {
            search_index
                .try_update_value(|(of, index)| {
                    if !of.upgrade().is_some_and(|b| Rc::ptr_eq(&b, &bank)) {
                        *of = Rc::downgrade(&bank);
                        *index = SearchIndex::default();
                    }
                    Filtered::build(prev, values, log, m, index)
                })
                .unwrap_or_default()
        })
    });

    view! {
        <section class="panel panel--audit audit" aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit trail"</h2>
            <p class="audit__lead">
                "Every event in the order it was stored. Select one to see its whole envelope; time travel follows."
            </p>
            <Filters filters=filters/>
            <EventList filtered=filtered filter_values=filter_values/>
            <Details filtered=filtered filters=filters/>
            <ExportImport/>
        </section>
    }
}

/// Which log the page shows: the installed bank's address. A scenario or an import
/// installs a new bank, so anything cached for the old log is dropped. It keeps a weak
/// reference to the bank it saw last, so that address cannot be reused by a later
/// bank while it is still being compared against.
#[derive(Clone, Copy)]
pub(super) struct LogIdentity(StoredValue<Weak<BrowserBank>, LocalStorage>);

impl LogIdentity {
    pub(super) fn new() -> LogIdentity {
        LogIdentity(StoredValue::new_local(Weak::new()))
    }

    /// The current log's identity (0 when no bank is installed). Not tracked.
    pub(super) fn current(&self, handle: &BankHandle) -> usize {
        let Some(bank) = handle.bank() else {
            return 0;
        };
        self.0.set_value(Rc::downgrade(&bank));
        Rc::as_ptr(&bank) as usize
    }
}

// ---------------------------------------------------------------------------------
// Filters

/// What the filter controls hold.
#[derive(Debug, Clone, Copy)]
struct FilterSignals {
    account: RwSignal<String>,
    with_transfers: RwSignal<bool>,
    transfer: RwSignal<String>,
    event_type: RwSignal<String>,
    /// The search box as typed.
    search_input: RwSignal<String>,
    /// The search box once typing paused: what the list is filtered by.
    search: RwSignal<String>,
    search_generation: StoredValue<u64>,
}

impl FilterSignals {
    fn new() -> FilterSignals {
        FilterSignals {
            account: RwSignal::new(String::new()),
            with_transfers: RwSignal::new(true),
            transfer: RwSignal::new(String::new()),
            event_type: RwSignal::new(String::new()),
            search_input: RwSignal::new(String::new()),
            search: RwSignal::new(String::new()),
            search_generation: StoredValue::new(0),
        }
    }

    fn values(&self) -> FilterValues {
        FilterValues {
            account: self.account.get().trim().to_owned(),
            with_transfers: self.with_transfers.get(),
            transfer: self.transfer.get().trim().to_owned(),
            event_type: self.event_type.get(),
            search: self.search.get().trim().to_lowercase(),
        }
    }

    fn clear(&self) {
        self.account.set(String::new());
        self.with_transfers.set(true);
        self.transfer.set(String::new());
        self.event_type.set(String::new());
        self.search_input.set(String::new());
        self.search.set(String::new());
    }

    /// Takes the search box's text, and filters by it once typing pauses.
    fn type_search(&self, text: String) {
        self.search_input.set(text.clone());
        let generation = self.search_generation;
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let search = self.search;
        set_timeout(
            move || {
                if generation.get_value() == mine {
                    search.set(text);
                }
            },
            SEARCH_DEBOUNCE,
        );
    }
}

/// The filter controls, each with its visible label.
#[component]
fn Filters(filters: FilterSignals) -> impl IntoView {
    let handle = use_bank();
    let accounts = Memo::new(move |_| {
        handle
            .read(|m| {
                m.accounts
                    .values()
                    .map(|a| (a.account_id.to_string(), a.owner_name.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let transfers = Memo::new(move |_| {
        handle
            .read(|m| {
                m.transfers
                    .keys()
                    .rev()
                    .take(TRANSFER_SUGGESTIONS)
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let any_filter = move || {
        !(filters.account.get().is_empty()
            && filters.transfer.get().is_empty()
            && filters.event_type.get().is_empty()
            && filters.search_input.get().is_empty())
    };
    view! {
        <fieldset class="audit__filters form">
            <legend>"Filter the events"</legend>
            <div class="audit__filter-row">
                <label>
                    "Account"
                    <select
                        data-testid="audit-filter-account"
                        prop:value=move || filters.account.get()
                        on:change=move |ev| filters.account.set(event_target_value(&ev))
                    >
                        <option value="">"All accounts"</option>
                        {move || {
                            accounts
                                .get()
                                .into_iter()
                                .map(|(id, owner)| {
                                    let selected = {
                                        let id = id.clone();
                                        move || filters.account.get() == id
                                    };
                                    let text = format!("{id} ({owner})");
                                    view! { <option value=id selected=selected>{text}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="choice audit__with-transfers">
                    <input
                        type="checkbox"
                        data-testid="audit-filter-account-transfers"
                        prop:checked=move || filters.with_transfers.get()
                        on:change=move |ev| filters.with_transfers.set(event_target_checked(&ev))
                    />
                    "Include its transfers' events"
                </label>
                <label>
                    "Transfer (correlation id)"
                    <input
                        type="text"
                        list="audit-transfer-ids"
                        autocomplete="off"
                        placeholder="any"
                        data-testid="audit-filter-transfer"
                        prop:value=move || filters.transfer.get()
                        on:input=move |ev| filters.transfer.set(event_target_value(&ev))
                    />
                </label>
                <datalist id="audit-transfer-ids">
                    {move || {
                        transfers
                            .get()
                            .into_iter()
                            .map(|id| view! { <option value=id></option> })
                            .collect_view()
                    }}
                </datalist>
                <label>
                    "Event type"
                    <select
                        data-testid="audit-filter-type"
                        prop:value=move || filters.event_type.get()
                        on:change=move |ev| filters.event_type.set(event_target_value(&ev))
                    >
                        <option value="">"All types"</option>
                        {Event::TYPES
                            .iter()
                            .map(|t| {
                                let t = *t;
                                view! {
                                    <option value=t selected=move || filters.event_type.get() == t>
                                        {t}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="audit__search">
                    "Search"
                    <input
                        type="search"
                        autocomplete="off"
                        placeholder="any text in the event's JSON"
                        data-testid="audit-search"
                        prop:value=move || filters.search_input.get()
                        on:input=move |ev| filters.type_search(event_target_value(&ev))
                    />
                </label>
                <button
                    type="button"
                    class="button button--secondary button--chip"
                    data-testid="audit-clear-filters"
                    disabled=move || !any_filter()
                    on:click=move |_| filters.clear()
                >
                    "Clear filters"
                </button>
            </div>
        </fieldset>
    }
}

// ---------------------------------------------------------------------------------
// The list

/// The events that pass the filters, rendering only the rows in view.
#[component]
fn EventList(filtered: Memo<Filtered>, filter_values: Memo<FilterValues>) -> impl IntoView {
    let handle = use_bank();
    let viewport = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport_height = RwSignal::new(DEFAULT_VIEWPORT);

    let count = move || filtered.with(Filtered::count);
    let rows_in_view = move |height: f64| (height / ROW_HEIGHT).ceil().max(1.0) as usize + 1;
    let range = Memo::new(move |_| {
        let count = filtered.with(Filtered::count);
        let first = (scroll_top.get() / ROW_HEIGHT).floor().max(0.0) as usize;
        let start = first.saturating_sub(OVERSCAN).min(count);
        let end = (first + rows_in_view(viewport_height.get()) + OVERSCAN).min(count);
        (start, end)
    });
    let visible = move || {
        let (start, end) = range.get();
        filtered.with(|f| {
            (start..end)
                .filter_map(|i| f.get(i).map(|index| (f.log, index, i)))
                .collect::<Vec<_>>()
        })
    };

    let measure = move || {
        if let Some(el) = viewport.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            let height = f64::from(el.client_height());
            if height > 0.0 {
                viewport_height.set(height);
            }
        }
    };
    Effect::new(move |_| {
        if viewport.get().is_some() {
            measure();
        }
    });

    // Like `tail -f`: when the list showed its last row and the same log grows by a
    // few events (not an import, not a change of filters), it keeps showing the last
    // row. Scrolled up to older events, it stays where it is.
    let seen = StoredValue::new(None::<(usize, usize, FilterValues, usize)>);
    Effect::new(move |_| {
        let now = filtered.with(|f| (f.log, f.len, f.filters.clone(), f.count()));
        let before = seen.get_value();
        seen.set_value(Some(now.clone()));
        let Some((log, len, filters, shown)) = before else {
            return;
        };
        let grew = now.0 == log && now.2 == filters && now.1 > len && now.1 - len <= TAIL_GROWTH;
        let Some(el) = viewport.get_untracked() else {
            return;
        };
        let bottom = f64::from(el.scroll_top()) + f64::from(el.client_height());
        let was_at_end = bottom + ROW_HEIGHT / 2.0 >= shown as f64 * ROW_HEIGHT;
        if grew && now.3 > shown && was_at_end {
            request_animation_frame(move || {
                el.set_scroll_top(el.scroll_height());
                scroll_top.set(f64::from(el.scroll_top()));
            });
        }
    });

    // Bring the selection into view when it changes (here, in time travel, or by a
    // deep link) or when the filters change; not when the log merely grows, so
    // reading older events is not interrupted by new ones.
    Effect::new(move |_| {
        let selected = handle.selected_position.get();
        filter_values.track();
        if viewport.get().is_none() {
            return;
        }
        let shown = selected.and_then(|p| filtered.with_untracked(|f| f.index_of_position(p)));
        if shown.is_none() {
            // Render the new list from its top now, not from where the old one was.
            scroll_top.set(0.0);
        }
        // After the list has its new height, or the browser would clamp the scroll.
        request_animation_frame(move || {
            let Some(el) = viewport.get_untracked() else {
                return;
            };
            if let Some(i) =
                selected.and_then(|p| filtered.with_untracked(|f| f.index_of_position(p)))
            {
                scroll_into_view(&el, i, scroll_top, true);
            } else {
                // Nothing selected in the new list: start it from its first event.
                el.set_scroll_top(0);
                scroll_top.set(0.0);
            }
        });
    });

    let on_keydown = move |ev: ev::KeyboardEvent| {
        let total = filtered.with_untracked(Filtered::count);
        if total == 0 {
            return;
        }
        let current = handle
            .selected_position
            .get_untracked()
            .and_then(|p| filtered.with_untracked(|f| f.index_of_position(p)));
        let page = rows_in_view(viewport_height.get_untracked())
            .saturating_sub(2)
            .max(1);
        let last = total - 1;
        let target = match ev.key().as_str() {
            "ArrowDown" => current.map_or(0, |i| (i + 1).min(last)),
            "ArrowUp" => current.map_or(0, |i| i.saturating_sub(1)),
            "PageDown" => current.map_or(0, |i| (i + page).min(last)),
            "PageUp" => current.map_or(0, |i| i.saturating_sub(page)),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        ev.prevent_default();
        if let Some(index) = filtered.with_untracked(|f| f.get(target)) {
            let position = index as u64 + 1;
            if let Some(el) = viewport.get_untracked() {
                scroll_into_view(&el, target, scroll_top, false);
            }
            select_event(handle, position, false);
            focus_row(viewport, position, 4);
        }
    };

    view! {
        <p class="audit__count" data-testid="audit-count">
            {move || {
                let shown = count();
                let total = filtered.with(|f| f.len);
                if shown == total {
                    format!("{} events", group_digits(total))
                } else {
                    format!("{} of {} events match", group_digits(shown), group_digits(total))
                }
            }}
        </p>
        <div class="audit-row audit-row--head" aria-hidden="true">
            <span class="audit-row__position">"#"</span>
            <span class="audit-row__time">"Time"</span>
            <span class="audit-row__stream">"Stream"</span>
            <span class="audit-row__version">"Ver."</span>
            <span class="audit-row__type">"Type"</span>
            <span class="audit-row__correlation">"Correlation"</span>
            <span class="audit-row__causation">"Causation"</span>
        </div>
        <div
            class="audit__viewport"
            node_ref=viewport
            tabindex="0"
            role="region"
            aria-label="Events in global order: arrow keys move the selection"
            data-testid="audit-list"
            on:scroll=move |_| measure()
            on:keydown=on_keydown
        >
            <div class="audit__spacer" style:height=move || format!("{}px", count() * ROW_HEIGHT as usize)>
                <ol
                    class="audit__rows"
                    style:transform=move || format!("translateY({}px)", range.get().0 * ROW_HEIGHT as usize)
                >
                    <For
                        each=visible
                        key=|item| *item
                        children=move |(_, index, i)| view! { <Row index=index list_index=i filtered=filtered/> }
                    />
                </ol>
            </div>
            {move || {
                (count() == 0)
                    .then(|| {
                        let message = if filtered.with(|f| f.len) == 0 {
                            "No events yet: open an account or load a scenario."
                        } else {
                            "No event matches these filters."
                        };
                        view! { <p class="audit__empty">{message}</p> }
                    })
            }}
        </div>
    }
}

/// One event in the list: a button that selects it.
#[component]
fn Row(
    /// The event's index in the audit list (its position - 1).
    index: usize,
    /// Its place in the filtered list.
    list_index: usize,
    filtered: Memo<Filtered>,
) -> impl IntoView {
    let handle = use_bank();
    let record = handle
        .bank()
        .and_then(|bank| bank.read(|m| m.audit.get(index).cloned()));
    let Some(r) = record else {
        return view! { <li class="audit__item"></li> }.into_any();
    };
    let position = r.position;
    let is_selected = move || handle.selected_position.get() == Some(position);
    let time = r
        .recorded_at
        .get(11..19)
        .map_or_else(|| r.recorded_at.clone(), ToOwned::to_owned);
    let label = format!(
        "Event {position}: {} in {} version {}",
        r.event_type(),
        r.stream,
        r.version
    );
    view! {
        <li
            class="audit__item"
            aria-posinset=list_index + 1
            aria-setsize=move || filtered.with(Filtered::count)
        >
            <button
                type="button"
                class="audit-row"
                class:audit-row--selected=is_selected
                aria-current=move || is_selected().then_some("true")
                tabindex=move || if is_selected() { "0" } else { "-1" }
                aria-label=label
                data-testid=format!("audit-row-{position}")
                on:click=move |_| select_event(handle, position, true)
            >
                <span class="audit-row__position">{position}</span>
                <span class="audit-row__time" title=r.recorded_at.clone()>{time}</span>
                <span class="audit-row__stream" title=r.stream.clone()>{r.stream.clone()}</span>
                <span class="audit-row__version">{r.version}</span>
                <span class="audit-row__type">{r.event_type()}</span>
                <span class="audit-row__correlation" title=r.correlation_id.clone()>{r.correlation_id.clone()}</span>
                <span class="audit-row__causation" title=r.causation_id.clone()>{r.causation_id.clone()}</span>
            </button>
        </li>
    }
    .into_any()
}

/// Selects the event at `position`, here and in the hash: a click adds a history
/// entry, arrow keys replace it.
fn select_event(handle: BankHandle, position: u64, push_history: bool) {
    handle.selected_position.set(Some(position));
    if push_history {
        route::go(&Target::Event(position));
    } else {
        route::replace_hash(Some(&Target::Event(position)));
    }
}

/// Focuses the row of `position` once it is rendered.
/// Tries again for a few frames: the row appears once the list re-renders.
fn focus_row(viewport: NodeRef<html::Div>, position: u64, tries: u8) {
    request_animation_frame(move || {
        let Some(el) = viewport.get_untracked() else {
            return;
        };
        let selector = format!("[data-testid=\"audit-row-{position}\"]");
        match el
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok())
        {
            Some(row) => {
                let _ = row.focus();
            }
            None if tries > 0 => focus_row(viewport, position, tries - 1),
            None => {}
        }
    });
}

/// Scrolls the list so the `i`-th row is in view, and tells the window of rendered
/// rows at once. A row that was far away is centred; arrow keys scroll just enough.
fn scroll_into_view(
    el: &web_sys::HtmlDivElement,
    i: usize,
    scroll_top: RwSignal<f64>,
    centre: bool,
) {
    let top = f64::from(el.scroll_top());
    let height = f64::from(el.client_height());
    let row_top = i as f64 * ROW_HEIGHT;
    let target = if row_top >= top && row_top + ROW_HEIGHT <= top + height {
        return;
    } else if centre {
        row_top - (height - ROW_HEIGHT) / 2.0
    } else if row_top < top {
        row_top
    } else {
        row_top + ROW_HEIGHT - height
    };
    el.set_scroll_top(target.max(0.0) as i32);
    scroll_top.set(f64::from(el.scroll_top()));
}

// ---------------------------------------------------------------------------------
// Details

/// The selected event's envelope and data, with its links.
#[component]
fn Details(filtered: Memo<Filtered>, filters: FilterSignals) -> impl IntoView {
    let handle = use_bank();
    let details = Memo::new(move |_| {
        let position = handle.selected_position.get()?;
        handle.read(|m| EventDetails::of(m, position)).flatten()
    });
    let hidden_by_filters = move || {
        details.with(|d| {
            d.as_ref()
                .is_some_and(|d| filtered.with(|f| f.index_of_position(d.position).is_none()))
        })
    };
    view! {
        <div class="audit__details" data-testid="audit-details" aria-labelledby="audit-details-title">
            <h3 id="audit-details-title">
                {move || {
                    details
                        .with(|d| d.as_ref().map(|d| format!("Event #{}: {}", d.position, d.event_type)))
                        .unwrap_or_else(|| "Event details".to_owned())
                }}
            </h3>
            {move || hidden_by_filters().then(|| view! {
                <p class="audit__hint">
                    "The filters hide this event in the list. "
                    <button type="button" class="button button--secondary button--chip" on:click=move |_| filters.clear()>
                        "Clear filters"
                    </button>
                </p>
            })}
            {move || match details.get() {
                None => view! {
                    <p class="audit__hint">"Select an event to see its envelope, its data and where it came from."</p>
                }
                .into_any(),
                Some(d) => view! { <DetailsBody d=d filters=filters/> }.into_any(),
            }}
        </div>
    }
}

/// The envelope as a list, the links, and the JSON line.
#[component]
fn DetailsBody(d: EventDetails, filters: FilterSignals) -> impl IntoView {
    let stream_link = AccountId::from_stream(&d.stream)
        .map(|id| route::href(&Target::Account(id)))
        .or_else(|| {
            TransferId::from_stream(&d.stream).map(|id| route::href(&Target::Transfer(id)))
        });
    let stream = match stream_link {
        Some(href) => view! { <a href=href>{d.stream.clone()}</a> }.into_any(),
        None => view! { <span>{d.stream.clone()}</span> }.into_any(),
    };
    let correlation = match d.transfer.clone() {
        Some(transfer) => {
            let filter_to = transfer.to_string();
            view! {
                <code>{d.correlation_id.clone()}</code>
                " — the transfer: "
                <a href=route::href(&Target::Transfer(transfer)) data-testid="audit-correlation-link">
                    "open its saga timeline"
                </a>
                " · "
                <button
                    type="button"
                    class="audit__link-button"
                    data-testid="audit-correlation-filter"
                    on:click=move |_| filters.transfer.set(filter_to.clone())
                >
                    "show only its events"
                </button>
            }
            .into_any()
        }
        None => view! {
            <code>{d.correlation_id.clone()}</code>
            " — the id of the command that wrote it"
        }
        .into_any(),
    };
    let causation = match d.cause {
        Some((position, event_type)) => view! {
            <code>{d.causation_id.clone()}</code>
            " — caused by "
            <a href=route::href(&Target::Event(position)) data-testid="audit-causation-link">
                {format!("event #{position} ({event_type})")}
            </a>
        }
        .into_any(),
        None => view! {
            <code>{d.causation_id.clone()}</code>
            " — the command that caused it (commands are not stored as events)"
        }
        .into_any(),
    };
    let effects = (!d.effects.is_empty()).then(|| {
        view! {
            <dt>"Caused"</dt>
            <dd>
                <ul class="audit__effects">
                    {d
                        .effects
                        .iter()
                        .map(|&(position, event_type)| {
                            view! {
                                <li>
                                    <a href=route::href(&Target::Event(position))>
                                        {format!("event #{position} ({event_type})")}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </dd>
        }
    });
    view! {
        <dl class="audit__envelope">
            <dt>"Position"</dt>
            <dd>{d.position}</dd>
            <dt>"Stream"</dt>
            <dd>{stream} {format!(" · version {}", d.version)}</dd>
            <dt>"Recorded"</dt>
            <dd>{d.recorded_at.clone()}</dd>
            <dt>"Event id"</dt>
            <dd><code>{d.event_id.clone()}</code> {format!(" · schema {}", d.schema_version)}</dd>
            <dt>"Correlation"</dt>
            <dd>{correlation}</dd>
            <dt>"Causation"</dt>
            <dd>{causation}</dd>
            {effects}
        </dl>
        <pre class="audit__json" data-testid="audit-json" tabindex="0" aria-label="The event as stored (JSON)">
            {d.json.clone()}
        </pre>
    }
}

// ---------------------------------------------------------------------------------
// Export and import

/// Where an import stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ImportPhase {
    Idle,
    /// Reading and checking the chosen file.
    Checking,
    /// The file is valid: waiting for the user to confirm the replacement.
    Confirm {
        current: usize,
        incoming: usize,
        persistent: bool,
    },
    Writing {
        done: usize,
        total: usize,
    },
    Done(String),
}

/// Export the log as JSONL; import one, after checking it and asking.
#[component]
fn ExportImport() -> impl IntoView {
    let handle = use_bank();
    let phase = RwSignal::new(ImportPhase::Idle);
    let error = RwSignal::new(None::<String>);
    let pending: StoredValue<Option<Rc<Vec<Recorded>>>, LocalStorage> =
        StoredValue::new_local(None);
    let file_input = NodeRef::<html::Input>::new();

    let exporting = RwSignal::new(false);
    let export = move |_| {
        let Some(bank) = handle.bank() else {
            return;
        };
        exporting.set(true);
        leptos::task::spawn_local(async move {
            // A long log takes a moment to serialise: let "Preparing…" paint first.
            yield_to_browser().await;
            let (text, count) = bank.read(|m| {
                let mut text = String::new();
                for r in &m.audit {
                    text.push_str(&r.to_json_line());
                    text.push('\n');
                }
                (text, m.audit.len())
            });
            let db = handle.db_name.get_untracked();
            let name = if db.is_empty() {
                "sagabank.jsonl".to_owned()
            } else if db.starts_with("sagabank") {
                format!("{db}.jsonl")
            } else {
                format!("sagabank-{db}.jsonl")
            };
            files::download(&name, &text, "application/x-ndjson");
            exporting.set(false);
            handle.announce(format!("Exported {count} events as {name}"));
        });
    };

    let on_file = move |ev: ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        error.set(None);
        pending.set_value(None);
        phase.set(ImportPhase::Checking);
        leptos::task::spawn_local(async move {
            let text = files::read_chosen_file(&input).await;
            // Choosing the same file again must trigger another check.
            input.set_value("");
            let text = match text {
                Ok(text) => text,
                Err(reason) => {
                    error.set(Some(reason));
                    phase.set(ImportPhase::Idle);
                    return;
                }
            };
            // Let "Checking…" paint before a long log is replayed.
            yield_to_browser().await;
            match parse_log(&text) {
                Ok(events) if events.is_empty() => {
                    error.set(Some(
                        "the file holds no events: nothing to import".to_owned(),
                    ));
                    phase.set(ImportPhase::Idle);
                }
                Ok(events) => {
                    let incoming = events.len();
                    pending.set_value(Some(Rc::new(events)));
                    let current = handle.bank().map_or(0, |bank| bank.read(|m| m.audit.len()));
                    phase.set(ImportPhase::Confirm {
                        current,
                        incoming,
                        persistent: handle.store_kind.get_untracked().is_persistent(),
                    });
                    focus_first(&["[data-testid=import-replace]"]);
                }
                Err(e) => {
                    error.set(Some(e.to_string()));
                    phase.set(ImportPhase::Idle);
                }
            }
        });
    };

    let cancel = move || {
        pending.set_value(None);
        phase.set(ImportPhase::Idle);
        handle.announce("Import cancelled: the log is unchanged");
        // The dialog is gone: give focus back to where the import started.
        if let Some(input) = file_input.get_untracked() {
            let _ = input.focus();
        }
    };

    // Escape cancels while the question is open, wherever the focus is (it may not
    // have reached the dialog yet).
    on_escape(move || {
        if pending.try_with_value(Option::is_some).unwrap_or(false) {
            cancel();
        }
    });

    let confirm = move |_| {
        let Some(events) = pending.get_value() else {
            return;
        };
        pending.set_value(None);
        let kind = handle.store_kind.get_untracked();
        let old_db = handle.db_name.get_untracked();
        let total = events.len();
        phase.set(ImportPhase::Writing { done: 0, total });
        leptos::task::spawn_local(async move {
            let progress = move |done| phase.set(ImportPhase::Writing { done, total });
            match replace_log(handle, kind, &old_db, events, progress).await {
                Ok(new_db) => {
                    handle.selected_position.set(None);
                    route::replace_hash(None);
                    let message = if kind.is_persistent() {
                        format!(
                            "Imported {} events into the new database {new_db}; the previous one, {old_db}, is kept as a backup.",
                            group_digits(total)
                        )
                    } else {
                        format!("Imported {} events.", group_digits(total))
                    };
                    handle.announce(message.clone());
                    phase.set(ImportPhase::Done(message));
                }
                Err(reason) => {
                    error.set(Some(reason));
                    phase.set(ImportPhase::Idle);
                }
            }
        });
    };

    let busy = move || {
        matches!(
            phase.get(),
            ImportPhase::Checking | ImportPhase::Writing { .. }
        )
    };

    view! {
        <div class="audit__io" aria-labelledby="audit-io-title">
            <h3 id="audit-io-title">"Export and import"</h3>
            <div class="audit__io-controls">
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="audit-export"
                    disabled=move || exporting.get()
                    on:click=export
                >
                    {move || {
                        if exporting.get() { "Preparing the export…" } else { "Export the log (JSONL)" }
                    }}
                </button>
                <label class="audit__import" for="audit-import-file">
                    "Import a log (JSONL)"
                    <input
                        id="audit-import-file"
                        type="file"
                        accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson,application/json,text/plain"
                        data-testid="audit-import"
                        node_ref=file_input
                        disabled=busy
                        on:change=on_file
                    />
                </label>
            </div>
            <FormError error=error test_id="import-error"/>
            {move || match phase.get() {
                ImportPhase::Idle => None,
                ImportPhase::Checking => Some(view! {
                    <p class="audit__status" role="status">"Checking the file: replaying every event through the rules…"</p>
                }.into_any()),
                ImportPhase::Writing { done, total } => Some(view! {
                    <p class="audit__status" role="status">
                        {format!("Writing the imported events: {} of {}…", group_digits(done), group_digits(total))}
                    </p>
                }.into_any()),
                ImportPhase::Done(message) => Some(view! {
                    <p class="audit__status audit__status--ok" role="status" data-testid="import-done">{message}</p>
                }.into_any()),
                ImportPhase::Confirm { current, incoming, persistent } => {
                    let keep = if persistent {
                        "The current database is kept as a backup."
                    } else {
                        "The current log lives in memory only and will be gone: export it first to keep it."
                    };
                    Some(view! {
                        <div
                            class="audit__confirm"
                            role="alertdialog"
                            aria-labelledby="import-confirm-title"
                            aria-describedby="import-confirm-text"
                            data-testid="import-confirm"
                        >
                            <h4 id="import-confirm-title">"Replace the log?"</h4>
                            <p id="import-confirm-text">
                                {format!(
                                    "Replace the current log ({} events) with the imported one ({} events)? {keep}",
                                    group_digits(current),
                                    group_digits(incoming)
                                )}
                            </p>
                            <div class="actions">
                                <button
                                    type="button"
                                    class="button"
                                    data-testid="import-replace"
                                    on:click=confirm
                                >
                                    "Replace the log"
                                </button>
                                <button
                                    type="button"
                                    class="button button--secondary"
                                    data-testid="import-cancel"
                                    on:click=move |_| cancel()
                                >
                                    "Cancel"
                                </button>
                            </div>
                        </div>
                    }.into_any())
                }
            }}
        </div>
    }
}

/// Writes `events` into a fresh store of the same kind, checks each lands where it
/// was, then makes it the page's log. The old database is not touched. Returns the
/// new database's name.
async fn replace_log(
    handle: BankHandle,
    kind: StoreKind,
    old_db: &str,
    events: Rc<Vec<Recorded>>,
    progress: impl Fn(usize),
) -> Result<String, String> {
    let name = boot::fresh_db_name();
    let store = AnyStore::open(kind, &name)
        .await
        .map_err(|e| format!("a new database could not be opened: {e}. The log is unchanged."))?;
    // In slices, to show progress; IndexedDB writes each slice in one transaction.
    let mut done = 0;
    for slice in events.chunks(IMPORT_SLICE) {
        if let Err(e) = store.restore(slice).await {
            let _ = AnyStore::delete(kind, &name).await;
            let at = slice.first().map_or(0, |r| r.position);
            return Err(format!(
                "the events from position {at} could not be stored: {e}. Nothing was replaced: the log is unchanged."
            ));
        }
        done += slice.len();
        progress(done);
    }
    // A memory log is for this page only: the next load must not look for it.
    let persistent = kind.is_persistent();
    if persistent {
        boot::set_active_db(&name);
    }
    if let Err(failure) = boot::open_bank(handle, store, &name).await {
        if persistent {
            boot::set_active_db(old_db);
        }
        return Err(format!(
            "the imported log was written but could not be opened: {}",
            failure.reason
        ));
    }
    Ok(name)
}

/// Lets the browser paint before a long synchronous step.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 16)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
