//! The course's state in the page: the lesson being taken (its database, the
//! learner's own database to return to, and the learner's record), the progress,
//! and whether the welcome was dismissed. All of it is kept in localStorage (per
//! origin), so a reload keeps the learner in the lesson with their ticks.

use gloo_storage::Storage as _;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::app::learn::{LearnerRecord, Progress};

const SESSION_KEY: &str = "sagabank/learn/session";
const PROGRESS_KEY: &str = "sagabank/learn/progress";
/// Set once the welcome was answered; the static shell in index.html reads it too.
pub const WELCOME_KEY: &str = "sagabank/learn/welcome-dismissed";
/// A lesson database left behind by "Back to my bank", deleted at the next start.
const LEFTOVER_KEY: &str = "sagabank/learn/leftover-db";

/// The lesson being taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// 1-based, as in `#lesson=<n>`.
    pub lesson: usize,
    /// The lesson's own database.
    pub db: String,
    /// The learner's own database, to return to.
    pub home: String,
    pub record: LearnerRecord,
    /// The practice forks made from the lesson's bank during the lesson: each
    /// fork's database and its own record (the lesson follows the learner into a fork
    /// and back; its bank stays `db`).
    #[serde(default)]
    pub forks: Vec<(String, LearnerRecord)>,
}

impl Session {
    /// The record kept for the bank in `db`: the lesson's, or one of its forks'.
    #[must_use]
    pub fn record_in(&self, db: &str) -> Option<&LearnerRecord> {
        if self.db == db {
            return Some(&self.record);
        }
        self.forks.iter().find(|(f, _)| f == db).map(|(_, r)| r)
    }

    fn record_in_mut(&mut self, db: &str) -> Option<&mut LearnerRecord> {
        if self.db == db {
            return Some(&mut self.record);
        }
        self.forks.iter_mut().find(|(f, _)| f == db).map(|(_, r)| r)
    }
}

/// The course's signals; one per page, made by [`provide`] at the composition root and
/// reached through [`course`].
#[derive(Clone, Copy)]
pub struct Learn {
    pub session: RwSignal<Option<Session>>,
    pub progress: RwSignal<Progress>,
    /// Whether the welcome is shown.
    pub welcome: RwSignal<bool>,
    /// Whether the lesson panel is unfolded (it folds into a drawer on a phone).
    pub open: RwSignal<bool>,
    /// Whether the list of lessons is shown.
    pub overview: RwSignal<bool>,
    /// A lesson's database is being made.
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// What the course's live region says (a tick, a lesson done).
    pub live: RwSignal<String>,
    /// The log's length when the learner last clicked: what was written after it is
    /// "what just happened".
    pub action_from: RwSignal<u64>,
    /// Where the shown "what just happened" starts.
    pub shown_from: RwSignal<u64>,
    /// The last action wrote nothing (a refusal, a repeated transfer): on which
    /// database, and in words; shown until an action writes events.
    pub unwritten: RwSignal<Option<(String, String)>>,
}

/// The page's course state, in context (see [`provide`]).
#[must_use]
pub fn course() -> Learn {
    expect_context::<Learn>()
}

fn load<T: for<'de> Deserialize<'de>>(key: &str) -> Option<T> {
    gloo_storage::LocalStorage::get(key).ok()
}

fn store<T: Serialize>(key: &str, value: Option<&T>) {
    // If localStorage is unavailable the course lasts for this page only.
    match value {
        Some(v) => {
            let _ = gloo_storage::LocalStorage::set(key, v);
        }
        None => gloo_storage::LocalStorage::delete(key),
    }
}

/// Makes the course state from what is stored, keeps it stored on every change, and
/// puts it in context (see [`course`]).
pub fn provide() -> Learn {
    let dismissed = load::<bool>(WELCOME_KEY).unwrap_or(false);
    let state = Learn {
        session: RwSignal::new(load(SESSION_KEY)),
        progress: RwSignal::new(load(PROGRESS_KEY).unwrap_or_default()),
        welcome: RwSignal::new(!dismissed),
        open: RwSignal::new(true),
        overview: RwSignal::new(false),
        busy: RwSignal::new(false),
        error: RwSignal::new(None),
        live: RwSignal::new(String::new()),
        action_from: RwSignal::new(0),
        shown_from: RwSignal::new(0),
        unwritten: RwSignal::new(None),
    };
    Effect::new(move |_| state.session.with(|s| store(SESSION_KEY, s.as_ref())));
    Effect::new(move |_| state.progress.with(|p| store(PROGRESS_KEY, Some(p))));
    provide_context(state);
    state
}

impl Learn {
    /// Hides the welcome for good.
    pub fn dismiss_welcome(&self) {
        self.welcome.set(false);
        store(WELCOME_KEY, Some(&true));
    }

    /// Notes something the learner did, if a lesson is being taken on `db` or on a
    /// fork made from it.
    pub fn note(&self, db: &str, f: impl FnOnce(&mut LearnerRecord)) {
        self.session.update(|s| {
            if let Some(r) = s.as_mut().and_then(|s| s.record_in_mut(db)) {
                f(r);
            }
        });
    }

    /// Follows the learner into a fork made at event `at` of the bank in `base`
    /// before the transfer `before` began there, if that is the lesson's bank.
    pub fn forked(&self, base: &str, fork: &str, before: Option<String>, at: u64) {
        self.session.update(|s| {
            if let Some(s) = s.as_mut().filter(|s| s.db == base) {
                let record = s.record.forked(before, at);
                s.forks.retain(|(f, _)| f != fork);
                s.forks.push((fork.to_owned(), record));
            }
        });
    }
}

/// Remembers a lesson database to delete at the next start.
pub fn leave_behind(db: &str) {
    store(LEFTOVER_KEY, Some(&db.to_owned()));
}

/// The lesson database left behind, forgotten once taken.
pub fn take_leftover() -> Option<String> {
    let db = load::<String>(LEFTOVER_KEY);
    store::<String>(LEFTOVER_KEY, None);
    db
}
