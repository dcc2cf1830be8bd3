//! The welcome on a first visit: what this is, in two sentences, and two ways in.
//! Either button dismisses it for good (kept in localStorage). The static shell in
//! index.html mirrors this markup (`section.welcome`, `#welcome-title`, a `<p>`, the
//! buttons `.primary` and `.secondary`), so keep the two in step.

use leptos::prelude::*;

use super::open::open;
use super::state::course;
use crate::app::learn::{Progress, LESSONS};
use crate::ui::page::use_page;

/// The number of the compensation lesson, which "Watch a compensation" opens.
fn compensation_lesson() -> usize {
    crate::app::learn::LESSONS
        .iter()
        .position(|l| l.key == "compensation")
        .map_or(1, |i| i + 1)
}

/// The first-visit welcome. No props: it reads the course state.
#[component]
pub fn Welcome() -> impl IntoView {
    let page = use_page();
    let learn = course();
    let start = move |_| {
        learn.dismiss_welcome();
        open(page, learn, learn.progress.with_untracked(next_lesson));
    };
    let watch = move |_| {
        learn.dismiss_welcome();
        open(page, learn, compensation_lesson());
    };
    view! {
        <section class="welcome" aria-labelledby="welcome-title" data-testid="welcome">
            <h2 id="welcome-title">"Learn event sourcing with a bank that runs in your browser"</h2>
            <p>
                "sagabank keeps every change as an event and works out balances, statements and each transfer's progress from that log. "
                "The course gives you short tasks, each lesson in a practice bank of its own, checks them against that bank's log, and never touches your own bank."
            </p>
            <button class="primary" type="button" on:click=start data-testid="welcome-start">
                "Start the course"
            </button>
            <button class="secondary" type="button" on:click=watch data-testid="welcome-compensation">
                "Watch a compensation"
            </button>
        </section>
    }
}

/// The first lesson not done yet (1-based), or the first.
#[must_use]
pub fn next_lesson(progress: &Progress) -> usize {
    LESSONS
        .iter()
        .position(|l| !progress.lesson_done(l.key, l.tasks.len()))
        .map_or(1, |i| i + 1)
}
