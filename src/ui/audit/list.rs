//! The audit trail's event list: only the rows in view are rendered (a fixed-height
//! scroller, fixed row height, a spacer for the rest), it follows the log's end like
//! `tail -f`, brings the selection into view and moves it with the keyboard.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use crate::app::learn::second_client::is_second_client;
use crate::app::views::audit_filter::{count_line, FilterValues, Filtered};
use crate::app::views::list_window;
use crate::ui::page::{use_selection, Selection};
use crate::ui::route::{self, Route};
use crate::ui::service::use_bank;

/// Height of one row in pixels. `style/audit.css` sets the same (`--audit-row-height`).
const ROW_HEIGHT: f64 = 40.0;
/// Rows rendered above and below the visible ones, so a quick scroll shows no gap.
const OVERSCAN: usize = 8;
/// The scroller's height before it could be measured.
const DEFAULT_VIEWPORT: f64 = 480.0;
/// At most this many new events at once count as the log growing (the list follows
/// them when it shows its end); more is a new log, such as an import.
const TAIL_GROWTH: usize = 50;

/// The events that pass the filters, rendering only the rows in view.
#[component]
pub(super) fn EventList(
    /// The events that pass the filters.
    filtered: Memo<Filtered>,
    /// The filters (a change of filters brings the selection into view).
    filter_values: Memo<FilterValues>,
) -> impl IntoView {
    let selection = use_selection();
    let viewport = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport_height = RwSignal::new(DEFAULT_VIEWPORT);
    // The row to focus once it is rendered (keyboard moves).
    let focus_request = RwSignal::new(None::<u64>);

    let count = move || filtered.with(Filtered::count);
    let range = Memo::new(move |_| {
        let count = filtered.with(Filtered::count);
        list_window::window(
            scroll_top.get(),
            viewport_height.get(),
            count,
            ROW_HEIGHT,
            OVERSCAN,
        )
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
    follow_tail(filtered, viewport, scroll_top);
    reveal_selection(selection, filtered, filter_values, viewport, scroll_top);

    let on_keydown = key_handler(
        selection,
        filtered,
        viewport,
        viewport_height,
        scroll_top,
        focus_request,
    );

    view! {
        <ListCount filtered=filtered/>
        <ListHead/>
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
                        children=move |(_, index, i)| {
                            view! { <Row index=index list_index=i filtered=filtered focus_request=focus_request/> }
                        }
                    />
                </ol>
            </div>
            <EmptyList filtered=filtered/>
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
    /// The list it is in (for its size).
    filtered: Memo<Filtered>,
    /// The row to focus once rendered: this one takes the focus when it is named.
    focus_request: RwSignal<Option<u64>>,
) -> impl IntoView {
    let handle = use_bank();
    let selection = use_selection();
    let record = handle
        .bank()
        .and_then(|bank| bank.read(|m| m.audit.get(index).cloned()));
    let Some(r) = record else {
        return view! { <li class="audit__item"></li> }.into_any();
    };
    let position = r.position;
    let is_selected = move || selection.position.get() == Some(position);
    let button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if focus_request.get() == Some(position) {
            if let Some(button) = button.get() {
                let _ = button.focus();
                focus_request.set(None);
            }
        }
    });
    let time = r
        .recorded_at
        .get(11..19)
        .map_or_else(|| r.recorded_at.clone(), ToOwned::to_owned);
    // The concurrency lesson's second client writes behind this page's back.
    let other = is_second_client(&r)
        .then_some(view! { <small class="audit-row__other">" (another client)"</small> });
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
                class:event--selected=is_selected
                aria-current=move || is_selected().then_some("true")
                tabindex=move || if is_selected() { "0" } else { "-1" }
                data-testid=format!("audit-row-{position}")
                node_ref=button
                on:click=move |_| select_event(selection, position, true)
            >
                // Named by what it shows, in the order shown at every width (a voice
                // user says what they see); the spaces keep the words apart.
                <span class="audit-row__position">{position}</span> " "
                <span class="audit-row__time" title=r.recorded_at.clone()>{time}</span> " "
                <span class="audit-row__type">{r.event_type()}{other}</span> " "
                <span class="audit-row__stream" title=r.stream.clone()>{r.stream.clone()}</span> " "
                <span class="audit-row__version">{r.version}</span> " "
                <span class="audit-row__correlation" title=r.correlation_id.clone()>{r.correlation_id.clone()}</span> " "
                <span class="audit-row__causation" title=r.causation_id.clone()>{r.causation_id.clone()}</span>
            </button>
        </li>
    }
    .into_any()
}

/// Selects the event at `position`, here and in the hash: a click adds a history
/// entry, arrow keys replace it.
fn select_event(selection: Selection, position: u64, push_history: bool) {
    selection.position.set(Some(position));
    if push_history {
        route::go(&Route::Event(position));
    } else {
        route::replace(&Route::Event(position));
    }
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
    if let Some(target) = list_window::scroll_to_show(top, height, i, ROW_HEIGHT, centre) {
        el.set_scroll_top(target as i32);
        scroll_top.set(f64::from(el.scroll_top()));
    }
}

/// Like `tail -f`: when the list showed its last row and the same log grows by a
/// few events (not an import, not a change of filters), it keeps showing the last
/// row. Scrolled up to older events, it stays where it is.
fn follow_tail(filtered: Memo<Filtered>, viewport: NodeRef<html::Div>, scroll_top: RwSignal<f64>) {
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
}

/// Brings the selection into view when it changes (here, in time travel, or by a
/// deep link) or when the filters change; not when the log merely grows, so reading
/// older events is not interrupted by new ones.
fn reveal_selection(
    selection: Selection,
    filtered: Memo<Filtered>,
    filter_values: Memo<FilterValues>,
    viewport: NodeRef<html::Div>,
    scroll_top: RwSignal<f64>,
) {
    Effect::new(move |_| {
        let selected = selection.position.get();
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
}

/// How many events the list shows, of how many.
#[component]
fn ListCount(
    /// The events that pass the filters.
    filtered: Memo<Filtered>,
) -> impl IntoView {
    view! {
        <p class="audit__count" data-testid="audit-count">
            {move || {
                let (shown, total) = filtered.with(|f| (f.count(), f.len));
                count_line(shown, total)
            }}
        </p>
    }
}

/// The column heads of the list (for sighted users: each row says it all in words).
#[component]
fn ListHead() -> impl IntoView {
    view! {
        <div class="audit-row audit-row--head" aria-hidden="true">
            <span class="audit-row__position">"#"</span>
            <span class="audit-row__time">"Time"</span>
            <span class="audit-row__stream">"Stream"</span>
            <span class="audit-row__version">"Ver."</span>
            <span class="audit-row__type">"Type"</span>
            <span class="audit-row__correlation">"Correlation"</span>
            <span class="audit-row__causation">"Causation"</span>
        </div>
    }
}

/// Why the list is empty, when it is.
#[component]
fn EmptyList(
    /// The events that pass the filters.
    filtered: Memo<Filtered>,
) -> impl IntoView {
    move || {
        filtered.with(|f| {
            (f.count() == 0).then(|| {
                let message = if f.len == 0 {
                    "No events yet: open an account or load a scenario."
                } else {
                    "No event matches these filters."
                };
                view! { <p class="audit__empty">{message}</p> }
            })
        })
    }
}

/// The list's keys: arrows, Page Up/Down, Home and End move the selection, the row
/// scrolled into view and focused once rendered.
fn key_handler(
    selection: Selection,
    filtered: Memo<Filtered>,
    viewport: NodeRef<html::Div>,
    viewport_height: RwSignal<f64>,
    scroll_top: RwSignal<f64>,
    focus_request: RwSignal<Option<u64>>,
) -> impl Fn(ev::KeyboardEvent) + Copy + 'static {
    move |ev: ev::KeyboardEvent| {
        let total = filtered.with_untracked(Filtered::count);
        let current = selection
            .position
            .get_untracked()
            .and_then(|p| filtered.with_untracked(|f| f.index_of_position(p)));
        let page = list_window::rows_in_view(viewport_height.get_untracked(), ROW_HEIGHT)
            .saturating_sub(2)
            .max(1);
        let Some(target) = list_window::key_target(&ev.key(), current, total, page) else {
            return;
        };
        ev.prevent_default();
        if let Some(index) = filtered.with_untracked(|f| f.get(target)) {
            let position = index as u64 + 1;
            if let Some(el) = viewport.get_untracked() {
                scroll_into_view(&el, target, scroll_top, false);
            }
            select_event(selection, position, false);
            focus_request.set(Some(position));
        }
    }
}
