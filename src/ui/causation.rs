//! The causation chain of the transfer shown in the saga timeline
//! ([`crate::app::views::causation`]): an ordered list, the command first, then each
//! event with the command that wrote it on the link into it. The transfer's own
//! events stand on the left, the accounts' on the right, so every link is seen to
//! pass through the coordinator. Each event links to its audit trail entry (the
//! page's one selection), and a lesson being taken notes each one followed.

use leptos::prelude::*;

use super::learn::Learn;
use super::page::use_selection;
use super::route::{self, Route};
use super::service::use_bank;
use crate::app::projections::TransferView;
use crate::app::views::causation::{Causation, Node};

/// One transfer's chain of causes, from the command that began it.
#[component]
pub fn CausationChain(
    /// The transfer whose events are chained.
    transfer: TransferView,
) -> impl IntoView {
    let chain = Causation::of(&transfer);
    let (bank, selected) = (use_bank(), use_selection().position);
    let course = use_context::<Learn>();
    let db = move || bank.db_name.get_untracked();
    view! {
        <section class="causation" aria-labelledby="causation-title" data-testid="causation">
            <h4 id="causation-title">"How its steps caused each other"</h4>
            <p class="hint">
                "Each event's causation id names what caused it: the event before it here, or for the first, the command. Positions (#) are the log's order; an event another command wrote between two steps is not in this chain. Select an event to see it in the audit trail."
            </p>
            <ol class="causation__chain">
                <li class="causation__step causation__step--command">
                    <span class="causation__node">
                        <code>"TransferMoney"</code>" command "
                        <span class="causation__id">{chain.origin.clone()}</span>
                        <span class="muted">" · not stored: commands are not events"</span>
                    </span>
                </li>
                {chain.nodes.into_iter().map(|n| link(n, selected, course, db)).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

/// One event of the chain, with the link into it: selecting it selects the event
/// (`selected`), and notes it for a lesson being taken (`course`, on the bank `db`).
fn link(
    node: Node,
    selected: RwSignal<Option<u64>>,
    course: Option<Learn>,
    db: impl Fn() -> String + 'static,
) -> AnyView {
    let position = node.position;
    let note = move |_| {
        if let Some(course) = course {
            course.note(&db(), |r| r.trace(position));
        }
    };
    let cause = node
        .cause
        .map_or_else(|| "the command".to_owned(), |p| format!("#{p}"));
    let is_selected = move || selected.get() == Some(position);
    view! {
        <li class="causation__step" class:causation__step--account=!node.coordinator>
            <p class="causation__by"><span aria-hidden="true">"↓ "</span>{node.link_words()}</p>
            <a
                class="causation__node"
                class:event--selected=is_selected
                aria-current=move || is_selected().then_some("true")
                href=route::href(&Route::Event(position))
                on:click=note
            >
                <span>{format!("#{position} ")}<code>{node.event_type}</code></span>
                <span class="causation__stream">{format!(" in {}", node.stream)}</span>
                <span class="muted">{format!(" · caused by {cause}")}</span>
            </a>
        </li>
    }
    .into_any()
}
