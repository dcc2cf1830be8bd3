//! The course "Learn" in the page: the welcome on a first visit, the lesson panel
//! (a drawer on a phone), and what the page notes for the lessons' checks. The
//! lessons, their checks and the progress model are in [`crate::app::learn`]; this
//! renders them, stores the progress and opens each lesson on its own database.
//!
//! - [`state`]: the course's signals and what is kept in localStorage.
//! - [`open`]: a lesson's database, "Back to my bank", `#lesson=<n>`, reloads.
//! - [`watch`]: what the learner does that the checks need, and the live ticks.
//! - [`welcome`], [`panel`], [`predict`], [`tools`], [`happened`], [`overview`]: the
//!   components.

pub mod happened;
pub mod open;
pub mod overview;
pub mod panel;
pub mod predict;
pub mod state;
pub mod tools;
pub mod watch;
pub mod welcome;

use leptos::prelude::*;

pub use open::{after_boot, follow_link};
pub use state::{course, provide, Learn};
pub use welcome::next_lesson;

use crate::app::learn::record::StepPress;
use crate::app::views::moments::unwritten;
use crate::app::BankError;
use crate::domain::{BankCommand, TransferId};
use crate::split_view;
use crate::ui::lazy::{Lazy, Start};
use crate::ui::page::{use_page, use_selection};
use crate::ui::service::{use_bank, BankHandle};

/// From now on, notes each command the rules refuse, and each simulated crash, for
/// the lesson being taken.
pub fn note_refusals(handle: BankHandle, learn: Learn) {
    handle.on_refusal(move |error: &BankError, command: Option<&BankCommand>| {
        let len = open::log_len(handle);
        learn.note(&handle.db_name.get_untracked(), |r| {
            r.refuse(error, command, len);
        });
        said_unwritten(handle, learn, unwritten(Some(error), "", len));
    });
}

/// Shows in "what just happened" that the last action wrote nothing.
fn said_unwritten(handle: BankHandle, learn: Learn, words: Option<String>) {
    if let Some(words) = words {
        learn.shown_from.set(open::log_len(handle));
        learn
            .unwritten
            .set(Some((handle.db_name.get_untracked(), words)));
    }
}

/// Notes a transfer sent again with the same id and details (nothing was written).
pub fn note_repeat(handle: BankHandle, learn: Learn, transfer: &TransferId) {
    learn.note(&handle.db_name.get_untracked(), |r| {
        r.repeats.push(transfer.to_string());
    });
    let words = unwritten(None, transfer.as_str(), open::log_len(handle));
    said_unwritten(handle, learn, words);
}

/// Notes a press of the timeline's Next step on `transfer`, made when the log held
/// `from` events.
pub fn note_step(handle: BankHandle, learn: Learn, transfer: &TransferId, from: u64) {
    let press = StepPress {
        transfer: transfer.to_string(),
        from,
        to: open::log_len(handle),
    };
    learn.note(&handle.db_name.get_untracked(), |r| r.steps.push(press));
}

/// The course in the bank's page: the welcome, or the lesson panel while a lesson
/// is being taken, and the watchers that feed the checks. Needs [`provide`] first.
#[component]
pub fn Course() -> impl IntoView {
    let bank = use_bank();
    let learn = course();
    watch::watch(bank, use_selection(), learn);
    predict::watch(bank, learn);
    // A memo: the record changes with every action, the panel must not be rebuilt.
    let taking = Memo::new(move |_| learn.session.with(Option::is_some));
    view! {
        {move || (learn.welcome.get() && !taking.get()).then(|| view! { <welcome::Welcome/> })}
        {move || taking.get().then(lesson_panel)}
    }
}

/// The lesson panel, from the `course` chunk (issue 24, [`crate::ui::lazy`]): fetched
/// the first time a lesson is opened, with a loading line in the drawer meanwhile.
fn lesson_panel() -> impl IntoView {
    view! { <Lazy what="the lesson" frame=lesson_frame load=split_panel start=Start::Now/> }
}

split_view!(fn split_panel() in course => view! { <panel::LessonPanel/> });

/// The lesson drawer while its code loads, at its final place and size.
fn lesson_frame(line: AnyView) -> AnyView {
    view! { <aside class="learn learn--open lazy" aria-label="Lesson">{line}</aside> }.into_any()
}

/// The header's way into the course (after the welcome was dismissed): opens the
/// first lesson not done yet. Hidden while a lesson is taken.
#[component]
pub fn CourseButton() -> impl IntoView {
    let page = use_page();
    let learn = course();
    let go = move |_| {
        learn.dismiss_welcome();
        let n = learn.progress.with_untracked(next_lesson);
        open::open(page, learn, n);
    };
    view! {
        <button class="button button--secondary button--chip" type="button" on:click=go
            hidden=move || learn.session.with(Option::is_some) disabled=move || learn.busy.get()
            data-testid="course-open">
            "Learn: the course"
        </button>
    }
}
