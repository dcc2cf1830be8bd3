//! The audit trail's details box: the selected event's whole envelope, its JSON, and
//! the links that follow its correlation (the transfer) and causation (cause and
//! effects).

use leptos::prelude::*;

use super::filters::FilterSignals;
use crate::app::views::audit_filter::Filtered;
use crate::app::views::event_details::EventDetails;
use crate::domain::{AccountId, TransferId};
use crate::ui::page::use_selection;
use crate::ui::route::{self, Route};
use crate::ui::service::use_bank;

/// The selected event's envelope and data, with its links.
#[component]
pub(super) fn Details(
    /// The events the list shows (to say when the filters hide the selected one).
    filtered: Memo<Filtered>,
    /// The filter controls (its links set or clear them).
    filters: FilterSignals,
) -> impl IntoView {
    let (handle, selection) = (use_bank(), use_selection());
    let details = Memo::new(move |_| {
        let position = selection.position.get()?;
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
fn DetailsBody(
    /// The selected event.
    d: EventDetails,
    /// The filter controls ("show only its events" sets the transfer filter).
    filters: FilterSignals,
) -> impl IntoView {
    let stream_link = AccountId::from_stream(&d.stream)
        .map(|id| route::href(&Route::Account(id)))
        .or_else(|| TransferId::from_stream(&d.stream).map(|id| route::href(&Route::Transfer(id))));
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
                <a href=route::href(&Route::Transfer(transfer)) data-testid="audit-correlation-link">
                    "open its saga timeline and causation chain"
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
            <a href=route::href(&Route::Event(position)) data-testid="audit-causation-link">
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
                                    <a href=route::href(&Route::Event(position))>
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
