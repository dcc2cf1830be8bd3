//! The audit trail's filter controls: account (with or without its transfers),
//! transfer, event type and free-text search, debounced while typing. What they hold
//! becomes [`FilterValues`], which the view model turns into the filtered index.

use std::time::Duration;

use leptos::prelude::*;

use crate::app::views::audit_filter::FilterValues;
use crate::domain::Event;
use crate::ui::service::use_bank;

/// How long the search box waits for typing to pause before it filters.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(200);
/// At most this many transfer ids are offered as suggestions in the transfer filter.
const TRANSFER_SUGGESTIONS: usize = 200;

/// What the filter controls hold.
#[derive(Debug, Clone, Copy)]
pub(super) struct FilterSignals {
    pub(super) account: RwSignal<String>,
    pub(super) with_transfers: RwSignal<bool>,
    pub(super) transfer: RwSignal<String>,
    pub(super) event_type: RwSignal<String>,
    /// The search box as typed.
    pub(super) search_input: RwSignal<String>,
    /// The search box once typing paused: what the list is filtered by.
    pub(super) search: RwSignal<String>,
    search_generation: StoredValue<u64>,
}

impl FilterSignals {
    pub(super) fn new() -> FilterSignals {
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

    pub(super) fn values(&self) -> FilterValues {
        FilterValues {
            account: self.account.get().trim().to_owned(),
            with_transfers: self.with_transfers.get(),
            transfer: self.transfer.get().trim().to_owned(),
            event_type: self.event_type.get(),
            search: self.search.get().trim().to_lowercase(),
        }
    }

    pub(super) fn clear(&self) {
        // A search still waiting for typing to pause must not come back after this.
        self.search_generation.update_value(|g| *g += 1);
        self.account.set(String::new());
        self.with_transfers.set(true);
        self.transfer.set(String::new());
        self.event_type.set(String::new());
        self.search_input.set(String::new());
        self.search.set(String::new());
    }

    /// Takes the search box's text, and filters by it once typing pauses.
    pub(super) fn type_search(&self, text: String) {
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
pub(super) fn Filters(
    /// What the controls hold.
    filters: FilterSignals,
) -> impl IntoView {
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
                <AccountFilter filters=filters/>
                <label class="choice audit__with-transfers">
                    <input
                        type="checkbox"
                        data-testid="audit-filter-account-transfers"
                        prop:checked=move || filters.with_transfers.get()
                        on:change=move |ev| filters.with_transfers.set(event_target_checked(&ev))
                    />
                    "Include its transfers' events"
                </label>
                <TransferFilter filters=filters/>
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

/// The account filter: every account of the bank, with its owner.
#[component]
fn AccountFilter(
    /// What the controls hold.
    filters: FilterSignals,
) -> impl IntoView {
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
    view! {
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
    }
}

/// The transfer filter, suggesting the newest transfers' ids.
#[component]
fn TransferFilter(
    /// What the controls hold.
    filters: FilterSignals,
) -> impl IntoView {
    let handle = use_bank();
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
    view! {
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
    }
}
