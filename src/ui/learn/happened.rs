//! "What just happened": the events the learner's last action wrote, each with one
//! sentence on why it exists, and links to it in the audit trail and the timeline.

use leptos::either::Either;
use leptos::prelude::*;

use super::state::course;
use crate::app::learn::explain::what_happened;
use crate::ui::route::{href, Route};
use crate::ui::service::use_bank;

/// How many events of one action are listed (a long saga's first ones).
const SHOWN: usize = 8;

/// The last action's events. No props: it reads the course state and the log.
#[component]
pub fn WhatHappened() -> impl IntoView {
    let bank = use_bank();
    let learn = course();
    let events = move || {
        let from = learn.shown_from.get();
        bank.read(|m| what_happened(&m.audit, from))
            .unwrap_or_default()
    };
    view! {
        <section class="learn__happened" aria-labelledby="learn-happened-title" data-testid="learn-happened">
            <h3 id="learn-happened-title" class="learn__subtitle">"What just happened"</h3>
            {move || {
                let all = events();
                if all.is_empty() {
                    let db = bank.db_name.get();
                    let nothing = learn.unwritten.get().filter(|(on, _)| *on == db).map(|(_, words)| words);
                    return Either::Left(match nothing {
                        Some(words) => view! { <p class="learn__unwritten" data-testid="learn-happened-unwritten">{words}</p> }.into_any(),
                        None => view! { <p class="hint">"Your next action's events will be explained here."</p> }.into_any(),
                    });
                }
                let more = all.len().saturating_sub(SHOWN);
                Either::Right(view! {
                    <ul class="learn__events">
                        {all.into_iter().take(SHOWN).map(|e| {
                            let timeline = e.transfer.clone().and_then(|t| crate::domain::TransferId::parse(&t).ok());
                            view! {
                                <li>
                                    <a href=href(&Route::Event(e.position))><code>{e.event_type}</code></a>
                                    {format!(" #{} in {} v{}: ", e.position, e.stream, e.version)}
                                    {e.why}
                                    {timeline.map(|t| view! {
                                        " " <a href=href(&Route::Transfer(t))>"See its saga"</a>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(more > 0).then(|| view! { <p class="hint">{format!("…and {more} more in the audit trail.")}</p> })}
                })
            }}
        </section>
    }
}
