//! The course overview: every lesson with its ticks, where the learner stands, a
//! way to open any lesson, and the reset of the progress.

use leptos::prelude::*;

use super::open::open;
use super::state::course;
use crate::app::learn::LESSONS;
use crate::ui::page::use_page;

/// The list of lessons. No props: it reads the course state.
#[component]
pub fn Overview() -> impl IntoView {
    let page = use_page();
    let learn = course();
    let confirming = RwSignal::new(false);
    let current = move || learn.session.with(|s| s.as_ref().map(|s| s.lesson));
    view! {
        <section class="learn__overview" aria-labelledby="learn-overview-title" data-testid="learn-overview">
            <h3 id="learn-overview-title">"All lessons"</h3>
            <ol class="learn__lessons">
                {LESSONS.iter().enumerate().map(|(i, l)| {
                    let n = i + 1;
                    let state = move || learn.progress.with(|p| p.state(l.key, l.tasks.len()));
                    view! {
                        <li class:learn__lesson--current=move || current() == Some(n)>
                            <button class="learn__lesson" type="button" data-testid=format!("learn-lesson-{n}")
                                aria-current=move || (current() == Some(n)).then_some("step")
                                on:click=move |_| open(page, learn, n)>
                                {format!("{n}. {}", l.title)}
                            </button>
                            <span class="learn__lesson-state">{state}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <button class="button button--danger button--chip" type="button" hidden=move || confirming.get()
                on:click=move |_| confirming.set(true) data-testid="learn-reset">
                "Reset progress…"
            </button>
            <p class="learn__confirm" hidden=move || !confirming.get()>
                "Forget every tick of the course? Your banks are not touched. "
                <button class="button button--danger button--chip" type="button" data-testid="learn-reset-confirm"
                    on:click=move |_| {
                        learn.progress.update(|p| p.reset());
                        confirming.set(false);
                        learn.live.set("Progress reset.".into());
                    }>
                    "Reset progress"
                </button>
                <button class="button button--secondary button--chip" type="button" on:click=move |_| confirming.set(false)>
                    "Cancel"
                </button>
            </p>
        </section>
    }
}
