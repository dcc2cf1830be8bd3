//! The selected transfer's retries on a time axis, beside its saga: the view model's
//! SVG ([`crate::app::views::retry_axis`]) with the same facts in words below it.
//! Nothing when the transfer had no failed attempt.

use leptos::prelude::*;

use super::page::use_selection;
use super::service::use_bank;
use crate::app::views::retry_axis::RetryAxis;
use crate::domain::Event;

/// The retry axes of the selected transfer (the selection's `transfer`), now.
#[component]
pub fn RetryAxes() -> impl IntoView {
    let bank = use_bank();
    let transfer = use_selection().transfer;
    let axes = Memo::new(move |_| {
        let id = transfer.get()?;
        bank.read(|m| {
            let view = m.transfers.get(&id)?;
            let stream = id.stream();
            let events: Vec<&Event> = view
                .timeline
                .iter()
                .filter(|e| e.stream == stream)
                .filter_map(|e| {
                    let i = m.audit.binary_search_by_key(&e.position, |r| r.position);
                    i.ok().map(|i| &m.audit[i].event)
                })
                .collect();
            Some(RetryAxis::of(&id, &events))
        })
        .flatten()
    });
    move || {
        {
            axes.get()
                .unwrap_or_default()
                .into_iter()
                .map(|axis| {
                    let lines = axis.lines();
                    view! {
                        <figure class="retry-axis" data-testid="retry-axis">
                            <figcaption class="retry-axis__title">{axis.title()}</figcaption>
                            <div inner_html=axis.svg()/>
                            <ol class="retry-axis__words">
                                {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                            </ol>
                        </figure>
                    }
                })
                .collect_view()
        }
        .into_any()
    }
}
