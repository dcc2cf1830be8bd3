//! What the page notes for the lessons' checks (selections, opened statements,
//! conflicts, where the last action began), and the live ticks: each time the log
//! or the record changes, every task of the lesson is checked, and a task that
//! passes for the first time is ticked and announced.

use leptos::prelude::*;

use super::open::log_len;
use super::state::Learn;
use crate::app::learn::{lesson, passing, Facts, LearnerRecord, Panel};
use crate::ui::fork::ForkState;
use crate::ui::page::Selection;
use crate::ui::route::{self, Route};
use crate::ui::service::BankHandle;

/// Starts every watcher of the course; called once by the course component.
pub fn watch(handle: BankHandle, selection: Selection, learn: Learn) {
    follow_bank(handle, learn);
    note_selections(handle, selection, learn);
    note_conflicts(handle, learn);
    note_delivery(handle, learn);
    follow_actions(handle, learn);
    tick(handle, learn);
    Effect::new(move |_| {
        let taking = learn.session.with(Option::is_some);
        if let Some(body) = document().body() {
            let _ = if taking {
                body.set_attribute("data-learning", "")
            } else {
                body.remove_attribute("data-learning")
            };
        }
    });
    Effect::new(move |_| highlight(target_panel(handle, learn)));
}

/// While a lesson is taken, the lesson goes where the page's bank goes in this tab
/// (an import writes a new database; so does a scenario from the bar), except into
/// a practice fork of its bank: it follows the learner there with the fork's own
/// record ([`Learn::forked`]) and back, its bank staying the lesson's: its checks
/// read that bank from then on, with a record that starts where that bank's log
/// stands (what it holds is not the learner's; ticks already earned are kept).
/// Opening a lesson moves the bank itself (busy).
fn follow_bank(handle: BankHandle, learn: Learn) {
    let forks = use_context::<ForkState>();
    Effect::new(move |_| {
        let db = handle.db_name.get();
        if learn.busy.get_untracked() || db.is_empty() {
            return;
        }
        let mut moved = None;
        learn.session.update(|s| {
            let away = |s: &&mut super::state::Session| {
                s.db != db
                    && s.home != db
                    && s.record_in(&db).is_none()
                    && !forked_here(forks, s, &db)
            };
            if let Some(s) = s.as_mut().filter(away) {
                s.db = db;
                s.record = LearnerRecord::starting_at(untrack(|| log_len(handle)));
                s.record.followed = true;
                moved = Some(s.lesson);
            }
        });
        // The move took the lesson out of the address bar (an import links to
        // nothing): it says where the learner is again.
        if let Some(n) = moved {
            route::replace(&Route::Lesson(n));
        }
    });
}

/// Whether `db` is a practice fork of the lesson's bank (listed by the forks panel,
/// perhaps before the course noted it).
fn forked_here(forks: Option<ForkState>, s: &super::state::Session, db: &str) -> bool {
    forks.is_some_and(|f| {
        f.list
            .with_untracked(|l| l.find(db).is_some_and(|fork| fork.base == s.db))
    })
}

/// Events selected (audit trail or time travel) and statements opened, from the
/// first change on (what was selected before the page opened was noted then).
fn note_selections(handle: BankHandle, selection: Selection, learn: Learn) {
    Effect::new(move |seen: Option<()>| {
        let selected = selection.position.get();
        if let (Some(position), Some(())) = (selected, seen) {
            let len = untrack(|| log_len(handle));
            learn.note(&handle.db_name.get_untracked(), |r| r.select(position, len));
        }
    });
    let account = selection.account;
    Effect::new(move |seen: Option<()>| {
        let selected = account.get();
        if let (Some(id), Some(())) = (selected, seen) {
            learn.note(&handle.db_name.get_untracked(), |r| {
                r.open_statement(id.as_str());
            });
        }
    });
}

/// The bank's conflicts (each decided again on fresh state), as they grow: which
/// stream, the version expected and the one found.
fn note_conflicts(handle: BankHandle, learn: Learn) {
    let seen = StoredValue::new((String::new(), 0_usize));
    Effect::new(move |_| {
        let _ = handle.last_position();
        let db = handle.db_name.get();
        let Some(met) = handle.bank().map(|b| b.conflicts_met()) else {
            return;
        };
        let (seen_db, before) = seen.get_value();
        if seen_db == db && met.len() > before {
            learn.note(&db, |r| r.conflicts.extend_from_slice(&met[before..]));
        }
        seen.set_value((db, met.len()));
    });
}

/// Each time the page's read models show less than the log (delivery paused), each
/// read of the page's write that waited and was answered, and each second delivery
/// the read models ignored.
fn note_delivery(handle: BankHandle, learn: Learn) {
    Effect::new(move |_| {
        let Some(state) = handle.delivery_state() else {
            return;
        };
        let db = handle.db_name.get();
        let answered = state.waited.filter(|w| w.done);
        let note = |r: &mut LearnerRecord| {
            let lag = r.lag(state.log, state.shown);
            let waited = answered.is_some_and(|w| r.waited(w.position, w.from));
            lag | waited | r.duplicated(&state.ignored)
        };
        // Noted only when news: a note wakes every check.
        let news = learn.session.with_untracked(|s| {
            s.as_ref()
                .and_then(|s| s.record_in(&db))
                .is_some_and(|r| note(&mut r.clone()))
        });
        if news {
            learn.note(&db, |r| {
                note(r);
            });
        }
    });
}

/// Marks where each action begins (a click, or Enter that sends a form), so "what
/// just happened" shows what it wrote.
fn follow_actions(handle: BankHandle, learn: Learn) {
    let mark = move || learn.action_from.set(log_len(handle));
    let click = window_event_listener(leptos::ev::click, move |_| mark());
    let submit = window_event_listener(leptos::ev::submit, move |_| mark());
    // The course lives as long as the page.
    std::mem::forget(click);
    std::mem::forget(submit);
    Effect::new(move |_| {
        let last = handle.last_position();
        let from = learn.action_from.get();
        if last > from && learn.shown_from.get_untracked() != from {
            learn.shown_from.set(from);
        }
    });
}

/// Checks the lesson's tasks whenever the log or the record changes; ticks (and
/// announces) each task that passes for the first time.
fn tick(handle: BankHandle, learn: Learn) {
    Effect::new(move |_| {
        let db = handle.db_name.get();
        let Some((n, record)) = learn.session.with(|s| {
            s.as_ref()
                .and_then(|s| Some((s.lesson, s.record_in(&db)?.clone())))
        }) else {
            return;
        };
        let Some(lesson) = lesson(n) else { return };
        let Some(passed) = handle.read(|m| passing(lesson, &Facts::new(m, &record))) else {
            return;
        };
        let mut said = Vec::new();
        learn.progress.update(|p| {
            for (i, ok) in passed.iter().enumerate() {
                if *ok && p.tick(lesson.key, i) {
                    said.push(format!("Task done: {}", lesson.tasks[i].text));
                }
            }
            if !said.is_empty() && p.lesson_done(lesson.key, lesson.tasks.len()) {
                said.push(format!("Lesson {n} complete."));
            }
        });
        if !said.is_empty() {
            learn.live.set(said.join(" "));
        }
    });
}

/// The panel the first task not done yet is done in.
fn target_panel(handle: BankHandle, learn: Learn) -> Option<Panel> {
    let n = learn.session.with(|s| s.as_ref().map(|s| s.lesson))?;
    let lesson = lesson(n)?;
    let _ = handle.last_position();
    let progress = learn.progress.get();
    lesson
        .tasks
        .iter()
        .enumerate()
        .find(|(i, _)| !progress.is_done(lesson.key, *i))
        .map(|(_, t)| t.panel)
}

/// The element a panel is, in the page.
#[must_use]
pub fn panel_selector(panel: Panel) -> &'static str {
    match panel {
        Panel::Accounts => "section.panel--accounts",
        Panel::Transfers => "section.panel--transfers",
        Panel::Timeline => "article.saga-timeline",
        Panel::Audit => "section.panel--audit",
        Panel::TimeTravel => "section.panel--timetravel",
        Panel::Lesson => "#learn-tools",
        Panel::Fork => "section.banner--fork",
    }
}

/// Every panel a task may need.
const PANELS: [Panel; 7] = [
    Panel::Accounts,
    Panel::Transfers,
    Panel::Timeline,
    Panel::Audit,
    Panel::TimeTravel,
    Panel::Lesson,
    Panel::Fork,
];

/// Outlines the panel the next task needs (and only it), once rendered.
fn highlight(panel: Option<Panel>) {
    highlight_when_loaded(panel, 20 * 60);
}

/// [`highlight`], once no part of the page is waiting for its code (a panel's frame
/// gives way to the panel: a mark on the frame would go with it), or after `frames`.
fn highlight_when_loaded(panel: Option<Panel>, frames: u32) {
    request_animation_frame(move || {
        if crate::ui::lazy::part_loading() && frames > 0 {
            return highlight_when_loaded(panel, frames - 1);
        }
        let document = document();
        for p in PANELS {
            if let Ok(Some(el)) = document.query_selector(panel_selector(p)) {
                let _ = if Some(p) == panel {
                    el.set_attribute("data-learn-target", "")
                } else {
                    el.remove_attribute("data-learn-target")
                };
            }
        }
    });
}

/// Scrolls a panel into view and puts the keyboard on it.
pub fn show(panel: Panel) {
    let Ok(Some(el)) = document().query_selector(panel_selector(panel)) else {
        return;
    };
    el.scroll_into_view();
    if !el.has_attribute("tabindex") {
        let _ = el.set_attribute("tabindex", "-1");
    }
    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
        let _ = el.focus();
    }
}
