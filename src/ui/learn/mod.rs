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

/// The lesson panel. In a split build (`cfg(sagabank_split)`, see `build.rs`) its code
/// is in its own wasm chunk, fetched the first time a lesson is opened; the panel
/// appears when the chunk has arrived.
#[cfg(sagabank_split)]
fn lesson_panel() -> impl IntoView {
    Suspend::new(async { split_panel().await })
}

#[cfg(not(sagabank_split))]
fn lesson_panel() -> impl IntoView {
    view! { <panel::LessonPanel/> }
}

/// The lesson panel, built by the code of the `course` chunk.
#[cfg(sagabank_split)]
#[leptos::wasm_split::wasm_split(course, wasm_split_path = ::leptos::wasm_split)]
fn split_panel() -> AnyView {
    view! { <panel::LessonPanel/> }.into_any()
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
