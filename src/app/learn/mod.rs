//! The course "Learn": short lessons on one idea each, whose tasks the app checks
//! against the event log. Everything here is plain data and pure functions with
//! native tests; the UI (`src/ui/learn/`) renders it and stores the progress.
//!
//! - [`lessons`]: the lessons as data (title, text, starting state, tasks). A teacher
//!   adds a lesson by adding an entry to [`LESSONS`] and, where needed, a check.
//! - [`checks`]: each task's check, a pure function of the log, the read models and
//!   the [`LearnerRecord`].
//! - [`record`]: what the learner did in the page, and their [`Progress`].
//! - [`predict`]: each lesson's prediction, locked before its key action and
//!   compared with what the action wrote.
//! - [`learned`]: what a finished lesson and the course showed; the practice bank.
//! - [`explain`]: "what just happened": why each event the last action wrote exists.
//! - [`second_client`]: a second writer for the optimistic-concurrency lesson (placed
//!   between the page's read and its append) and the conflict it causes, step by
//!   step; the comparison of a rebuild (real, or a deliberately broken projection)
//!   with the live read models.

use std::rc::Rc;

use super::ReadModels;
use crate::store::Recorded;

pub mod checks;
pub mod explain;
pub mod learned;
pub mod lessons;
pub mod predict;
pub mod record;
pub mod second_client;
#[cfg(test)]
mod tests;

pub use lessons::LESSONS;
pub use record::{LearnerRecord, Progress};

/// What a check looks at: the whole log, the read models folded from it, and what
/// the learner did in the page.
#[derive(Clone, Copy)]
pub struct Facts<'a> {
    pub log: &'a [Rc<Recorded>],
    pub models: &'a ReadModels,
    pub record: &'a LearnerRecord,
}

impl<'a> Facts<'a> {
    /// The facts of `models` (whose audit trail is the log) and `record`.
    #[must_use]
    pub fn new(models: &'a ReadModels, record: &'a LearnerRecord) -> Facts<'a> {
        Facts {
            log: &models.audit,
            models,
            record,
        }
    }

    /// The events written since the lesson began (the learner's, not the scenario's).
    pub fn since_start(&self) -> impl Iterator<Item = &'a Rc<Recorded>> + 'a {
        let base = self.record.base;
        self.log.iter().filter(move |r| r.position > base)
    }

    /// The event at a global position.
    #[must_use]
    pub fn at(&self, position: u64) -> Option<&'a Rc<Recorded>> {
        let index = usize::try_from(position.checked_sub(1)?).ok()?;
        self.log.get(index).filter(|r| r.position == position)
    }
}

/// A task's check: true once the task is done.
pub type Check = fn(&Facts<'_>) -> bool;

/// Where a lesson starts: an empty bank, or one of the page's scenarios (by its key
/// in the scenario bar, e.g. `"compensation"`), each in a database of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Empty,
    Scenario(&'static str),
}

/// The panel a task is done in, to highlight and scroll into view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Accounts,
    Transfers,
    Timeline,
    Audit,
    TimeTravel,
    /// The lesson panel itself (its prediction, a button of the lesson).
    Lesson,
    /// The banner over a practice fork (Compare with my bank).
    Fork,
}

/// One task: an action, phrased as one, and its check.
pub struct Task {
    pub text: &'static str,
    pub panel: Panel,
    pub check: Check,
}

/// An extra the lesson panel offers for a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// "Rebuild the read models from the log" and compare with the live view.
    Rebuild,
    /// "Second client": writes to an account behind the page's back.
    SecondClient,
    /// A schema-1 file to download and import, and how this version reads it.
    SchemaOne,
}

/// One lesson.
pub struct Lesson {
    /// A stable key (progress is stored under it).
    pub key: &'static str,
    pub title: &'static str,
    /// A few plain paragraphs on the lesson's one idea.
    pub text: &'static [&'static str],
    pub start: Start,
    pub tasks: &'static [Task],
    /// What the learner predicts before the lesson's key action.
    pub prediction: predict::Prediction,
    pub tool: Option<Tool>,
}

/// Each task of `lesson` that passes on `facts`.
#[must_use]
pub fn passing(lesson: &Lesson, facts: &Facts<'_>) -> Vec<bool> {
    lesson.tasks.iter().map(|t| (t.check)(facts)).collect()
}

/// The lesson numbered `n` (1-based, as in `#lesson=<n>`).
#[must_use]
pub fn lesson(n: usize) -> Option<&'static Lesson> {
    LESSONS.get(n.checked_sub(1)?)
}
