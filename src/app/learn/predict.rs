//! Predict, then act, then compare. Before its key action each lesson asks the
//! learner to commit to a prediction ([`Prediction`]): which events the action
//! writes, whether it is refused and by which rule, a balance, or the version an
//! append expects. The answer is locked in the [`LearnerRecord`] with the log's
//! length ([`Lock`]); the action is the learner's next write, refusal or repeated
//! transfer after it. Then the prediction is compared with what the log says the
//! action did ([`compare`]), never with a hard-coded answer.

use std::rc::Rc;

pub use super::record::{Answer, Lock, Predicted};
use super::record::{LearnerRecord, RefusalKind};
use super::second_client::is_second_client;
use crate::app::views::causation::Causation;
use crate::app::ReadModels;
use crate::domain::retry::DEADLINE_MS;
use crate::domain::{AccountId, Money, TransferId};
use crate::store::Recorded;

mod compare;
pub use compare::*;

/// A stream the learner may pick: its words, and the streams it names (exact, or
/// any stream starting with what precedes a final `*`).
pub struct StreamChoice {
    pub label: &'static str,
    pub stream: &'static str,
}

impl StreamChoice {
    /// Whether `stream` is one this choice names.
    #[must_use]
    pub fn matches(&self, stream: &str) -> bool {
        match self.stream.strip_suffix('*') {
            Some(prefix) => stream.starts_with(prefix),
            None => stream == self.stream,
        }
    }
}

/// What is predicted.
pub enum Kind {
    /// Which events the action writes, in order, each in its stream (at most `rows`).
    Events {
        types: &'static [&'static str],
        streams: &'static [StreamChoice],
        rows: usize,
    },
    /// Whether the action is refused, and by which rule.
    Refusal,
    /// The balance of `account` once the action is done.
    Balance { account: &'static str },
    /// The version the action's append to `stream` expects it to be at.
    Version { stream: &'static str },
    /// How the transfer the action starts ends: completed, or timed out and
    /// compensated ([`ENDINGS`]).
    Ending,
    /// How many causation ids lead from `transfer`'s `TransferCompleted` back to the
    /// command that began it.
    Links { transfer: &'static str },
    /// The balance `account`'s statement shows right after the action: the read
    /// models' balance, which lags the log while delivery is paused.
    Shown { account: &'static str },
}

/// A lesson's prediction: the question asked before the action, and its kind.
pub struct Prediction {
    pub question: &'static str,
    pub kind: Kind,
}

/// The choices of [`Kind::Refusal`]: a key (`accepted` or a rule) and its words.
pub const OUTCOMES: [(&str, &str); 4] = [
    ("accepted", "Accepted: it writes events"),
    (
        "InsufficientBalance",
        "Refused: not enough money in the account",
    ),
    ("NotActive", "Refused: the account is not active"),
    (
        "IdReused",
        "Refused: the transfer id was used with other details",
    ),
];

/// The choices of [`Kind::Ending`]: a key and its words.
pub const ENDINGS: [(&str, &str); 2] = [
    (
        "completed",
        "It completes: a retry of the credit goes through before the deadline",
    ),
    (
        "compensated",
        "It times out: the saga gives up as soon as the next retry would start after the deadline, and refunds the source",
    ),
];

/// The choices a kind offers as radio buttons, if it is a choice.
#[must_use]
pub fn choices(kind: &Kind) -> Option<&'static [(&'static str, &'static str)]> {
    match kind {
        Kind::Refusal => Some(&OUTCOMES),
        Kind::Ending => Some(&ENDINGS),
        Kind::Events { .. }
        | Kind::Balance { .. }
        | Kind::Version { .. }
        | Kind::Links { .. }
        | Kind::Shown { .. } => None,
    }
}

/// What the action did, as the log and the record say.
#[derive(Debug, Clone, PartialEq)]
pub enum Acted {
    /// The events it wrote (none for a transfer sent again with the same details).
    Wrote(Vec<Rc<Recorded>>),
    /// Refused by a rule: nothing was written; the log stayed at `log_len`.
    Refused {
        kind: RefusalKind,
        reason: String,
        log_len: u64,
    },
}

/// An event the learner's action wrote: not the scenario's, not the second client's,
/// not one copied from an imported file.
fn learners(r: &Recorded) -> bool {
    !is_second_client(r) && !r.event_id.starts_with("schema1-")
}

/// Whether the learner acted (wrote, was refused, repeated a transfer) in this
/// attempt without having locked a prediction first.
#[must_use]
pub fn acted_first(record: &LearnerRecord, log: &[Rc<Recorded>]) -> bool {
    record.prediction.is_none()
        && (record
            .refusals
            .iter()
            .any(|f| f.kind != RefusalKind::Crashed)
            || !record.repeats.is_empty()
            || log.iter().any(|r| r.position > record.base && learners(r)))
}

/// Locks `answer` now, unless an answer is locked already or the learner acted first.
///
/// # Errors
/// Says why nothing was locked.
pub fn lock(
    record: &mut LearnerRecord,
    answer: Answer,
    log: &[Rc<Recorded>],
) -> Result<(), &'static str> {
    if record.prediction.is_some() {
        return Err("Your prediction is already locked: one answer per attempt.");
    }
    if acted_first(record, log) {
        return Err("You acted before predicting: try again to predict first.");
    }
    record.prediction = Some(Lock {
        answer,
        at: log.last().map_or(0, |r| r.position),
        refusals: record.refusals.len(),
        repeats: record.repeats.len(),
        until: None,
        refusals_until: None,
    });
    Ok(())
}

/// The learner moved on (a click, a form sent): if the action has begun, it ends here.
pub fn mark(record: &mut LearnerRecord, log: &[Rc<Recorded>]) {
    let Some(acted) = action(record, log) else {
        return;
    };
    let refusals = record.refusals.len();
    if let Some(lock) = record.prediction.as_mut().filter(|l| l.until.is_none()) {
        lock.refusals_until = Some(refusals);
        lock.until = Some(match acted {
            Acted::Wrote(events) => events.last().map_or(lock.at, |r| r.position),
            Acted::Refused { .. } => lock.at,
        });
    }
}

/// What the action after the lock did, or `None` while the learner has not acted.
#[must_use]
pub fn action(record: &LearnerRecord, log: &[Rc<Recorded>]) -> Option<Acted> {
    let lock = record.prediction.as_ref()?;
    let until = lock.until.unwrap_or(u64::MAX);
    let mine = |r: &&Rc<Recorded>| r.position > lock.at && r.position <= until && learners(r);
    let first = log.iter().find(mine).map(|r| r.position);
    if let Some(f) = record
        .refusals
        .iter()
        .take(lock.refusals_until.unwrap_or(usize::MAX))
        .skip(lock.refusals)
        // A crash is no refusal: what was written before it is the action's.
        .filter(|f| f.kind != RefusalKind::Crashed)
        .find(|f| first.is_none_or(|p| f.log_len < p))
    {
        return Some(Acted::Refused {
            kind: f.kind,
            reason: f.reason.clone(),
            log_len: f.log_len,
        });
    }
    if let Some(first) = first {
        // A reload (a crash) ends the action: what the page does after it is not it.
        let reload = record.reloads.iter().copied().filter(|&r| r >= first).min();
        let end = reload.unwrap_or(u64::MAX).min(until);
        let wrote = log.iter().filter(mine).filter(|r| r.position <= end);
        return Some(Acted::Wrote(wrote.cloned().collect()));
    }
    (record.repeats.len() > lock.repeats).then(|| Acted::Wrote(Vec::new()))
}
