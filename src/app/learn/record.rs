//! What the learner did in the page that the event log cannot show (reloads, the
//! events they selected, refusals, rebuilds, conflicts, the prediction), and their progress
//! through the course. Both are plain data with serde: the UI only stores them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::app::{BankError, Conflict};
use crate::domain::{AccountError, BankCommand, TransferError};

/// One event the learner selected, in the audit trail or on the time-travel slider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// The selected event's global position.
    pub position: u64,
    /// How many events the log held when it was selected.
    pub log_len: u64,
}

/// The kinds of refusal the lessons ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefusalKind {
    /// A withdrawal (or a debit) larger than the balance.
    InsufficientBalance,
    /// A command on an account that is suspended or closed.
    NotActive,
    /// A transfer id used again with other details.
    IdReused,
    /// Any other rule.
    Other,
    /// Not a refusal: a simulated crash fired (its point is the reason, as
    /// [`crate::app::CrashPoint::as_str`] names it: `"leg:debit"`).
    Crashed,
}

impl RefusalKind {
    /// The kind of a refusal, or `None` when the error was not a rule's refusal
    /// (storage failed, or a simulated crash).
    #[must_use]
    pub fn of(error: &BankError) -> Option<RefusalKind> {
        Some(match error {
            BankError::Account(AccountError::InsufficientBalance { .. }) => {
                RefusalKind::InsufficientBalance
            }
            BankError::Account(AccountError::NotActive { .. }) => RefusalKind::NotActive,
            BankError::Transfer(TransferError::IdReused { .. }) => RefusalKind::IdReused,
            BankError::Account(_) | BankError::Transfer(_) => RefusalKind::Other,
            BankError::Store(_) | BankError::Crashed(_) => return None,
        })
    }
}

/// A command the bank refused (nothing was written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub kind: RefusalKind,
    /// The domain's own words.
    pub reason: String,
    /// How many events the log held when it was refused.
    pub log_len: u64,
    /// The refused command's name (`"DepositMoney"`), when the page knew it.
    #[serde(default)]
    pub command: Option<String>,
    /// The account it was addressed to, when it was one account's command.
    #[serde(default)]
    pub account: Option<String>,
}

/// A rebuild of every read model from the stored log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rebuild {
    /// How many events were folded.
    pub events: u64,
    /// Whether the rebuilt read models equal the live ones.
    pub equal: bool,
    /// How long it took, in microseconds.
    pub micros: u64,
    /// Whether it folded with the deliberately broken projection (it forgets every
    /// withdrawal) instead of the real ones.
    #[serde(default)]
    pub broken: bool,
}

/// One press of the saga timeline's Next step: the log's length before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepPress {
    pub transfer: String,
    pub from: u64,
    pub to: u64,
}

/// What the learner did in the page during one lesson. A field missing from a stored
/// record (kept by an older build) reads as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LearnerRecord {
    /// The log's length when the lesson began (its starting scenario included):
    /// only events after it are the learner's.
    pub base: u64,
    /// Each reload of the page: the log's length when the page came back.
    pub reloads: Vec<u64>,
    /// Each event selected in the audit trail or on the time-travel slider.
    pub selections: Vec<Selection>,
    /// Accounts whose statement was opened.
    pub statements: Vec<String>,
    /// Commands the bank refused, and simulated crashes that fired.
    pub refusals: Vec<Refusal>,
    /// Transfers sent again with the same id and details.
    pub repeats: Vec<String>,
    /// Rebuilds of the read models from the stored log.
    pub rebuilds: Vec<Rebuild>,
    /// Presses of Second client (each makes it write once, when this page next
    /// appends to the account).
    pub second_client: u32,
    /// Version conflicts the bank met (and decided again on fresh state). Kept for
    /// this page only, as [`LearnerRecord::steps`]: a reload forgets them (a task
    /// they ticked stays ticked).
    #[serde(skip)]
    pub conflicts: Vec<Conflict>,
    /// Presses of Next step in the saga timeline (this page only).
    #[serde(skip)]
    pub steps: Vec<StepPress>,
    /// The prediction locked before the lesson's key action, if any.
    #[serde(default)]
    pub prediction: Option<Lock>,
    /// The lesson followed the learner to a bank they loaded during it (a scenario
    /// from the bar, an import): this record starts where that bank's log stood.
    #[serde(default)]
    pub followed: bool,
    /// Set when this is the record of a practice fork made during the lesson: where
    /// it was made from.
    pub fork: Option<Forked>,
    /// Each time Compare was shown with this fork: the fork's log length then.
    pub compared: Vec<u64>,
    /// Events selected in a transfer's causation chain (its links only), in order.
    pub traced: Vec<u64>,
    /// Each time an account's card said how it loaded from storage.
    pub loads: Vec<LoadSeen>,
    /// Each press of Delete all snapshots: how many loads had been noted then.
    pub snapshots_deleted: Vec<usize>,
    /// Each time the page showed read models behind the log (delivery paused).
    pub lags: Vec<Lag>,
    /// Each read that waited for the page's write and was answered.
    pub waits: Vec<WaitedRead>,
    /// Positions delivered twice to the read models, which ignored the repeat.
    pub duplicates: Vec<u64>,
}

/// What an account's card said about loading it from storage
/// ([`crate::app::account_snapshots`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadSeen {
    pub account: String,
    /// The stream version loaded.
    pub version: u64,
    /// The snapshot it started from, if one.
    pub snapshot_at: Option<u64>,
    /// Events folded (after the snapshot, if one).
    pub folded: u64,
    /// The balance loaded, in cents.
    pub balance: i64,
}

impl LoadSeen {
    /// What the card of `account` said, having loaded it as `load`.
    #[must_use]
    pub fn of(account: &str, load: &crate::app::account_snapshots::AccountLoad) -> LoadSeen {
        LoadSeen {
            account: account.to_owned(),
            version: load.version,
            snapshot_at: load.snapshot_at,
            folded: load.folded,
            balance: load.state.balance().cents(),
        }
    }
}

/// The page showed read models that had reached `shown` while the log was at `log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lag {
    pub log: u64,
    pub shown: u64,
}

/// A read of the page's write at `position`: it began with the read models at
/// `from`, behind it, and was answered once they reached it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitedRead {
    pub position: u64,
    pub from: u64,
}

/// Where a fork made during a lesson came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forked {
    /// The fork point: the last event copied from the lesson's bank.
    pub at: u64,
    /// The transfer of the lesson's bank whose first event came right after the fork
    /// point, if one did (the fork was made before it).
    pub before: Option<String>,
}

/// A fork of the lesson's bank at event `at`: the first transfer the lesson's log
/// (`log`) starts after `at`, if any.
#[must_use]
pub fn transfer_after(log: &[std::rc::Rc<crate::store::Recorded>], at: u64) -> Option<String> {
    log.iter()
        .filter(|r| r.position > at)
        .find(|r| r.event.ty() == crate::domain::events::EventType::TransferInitiated)
        .map(|r| r.correlation_id.clone())
}

impl LearnerRecord {
    /// A record for a lesson whose starting state holds `base` events.
    #[must_use]
    pub fn starting_at(base: u64) -> LearnerRecord {
        LearnerRecord {
            base,
            ..LearnerRecord::default()
        }
    }

    /// The record of a fork made at event `at` of this record's bank, before the
    /// transfer `before` began there (see [`transfer_after`]): it starts at the fork point, with this record's prediction
    /// if one was locked and not acted on yet (the lesson's action is in the fork).
    #[must_use]
    pub fn forked(&self, before: Option<String>, at: u64) -> LearnerRecord {
        let prediction = self
            .prediction
            .clone()
            .filter(|l| l.until.is_none())
            .map(|l| Lock {
                at,
                refusals: 0,
                repeats: 0,
                until: None,
                refusals_until: None,
                ..l
            });
        LearnerRecord {
            prediction,
            fork: Some(Forked { at, before }),
            ..LearnerRecord::starting_at(at)
        }
    }

    /// Notes that the page showed read models at `shown` while the log was at `log`,
    /// if they were behind and this is news. True when noted.
    pub fn lag(&mut self, log: u64, shown: u64) -> bool {
        let lag = Lag { log, shown };
        let news = shown < log && self.lags.last() != Some(&lag);
        if news {
            self.lags.push(lag);
        }
        news
    }

    /// Notes a read that waited from `from` for the write at `position` and was
    /// answered, if it waited and is not noted yet. True when noted.
    pub fn waited(&mut self, position: u64, from: u64) -> bool {
        let read = WaitedRead { position, from };
        let news = from < position && !self.waits.contains(&read);
        if news {
            self.waits.push(read);
        }
        news
    }

    /// Notes the positions the read models ignored a second delivery of; true when
    /// one is news.
    pub fn duplicated(&mut self, positions: &[u64]) -> bool {
        let before = self.duplicates.len();
        for p in positions {
            if !self.duplicates.contains(p) {
                self.duplicates.push(*p);
            }
        }
        self.duplicates.len() > before
    }

    /// Notes a selection, unless it repeats the last one.
    pub fn select(&mut self, position: u64, log_len: u64) {
        let selection = Selection { position, log_len };
        if self.selections.last() != Some(&selection) {
            self.selections.push(selection);
        }
    }

    /// Notes an event selected in a causation chain, unless it repeats the last one.
    pub fn trace(&mut self, position: u64) {
        if self.traced.last() != Some(&position) {
            self.traced.push(position);
        }
    }

    /// Notes an opened statement, once per account.
    pub fn open_statement(&mut self, account: &str) {
        if !self.statements.iter().any(|a| a == account) {
            self.statements.push(account.to_owned());
        }
    }

    /// Notes a refusal, if `error` was a rule's refusal (of `command`, when known),
    /// or a simulated crash.
    pub fn refuse(&mut self, error: &BankError, command: Option<&BankCommand>, log_len: u64) {
        let noted = match error {
            BankError::Crashed(point) => Some((RefusalKind::Crashed, point.as_str().to_owned())),
            _ => RefusalKind::of(error).map(|kind| (kind, error.to_string())),
        };
        if let Some((kind, reason)) = noted {
            let account = command
                .cloned()
                .and_then(|c| c.into_account_command().ok())
                .map(|c| c.account_id().to_string());
            self.refusals.push(Refusal {
                kind,
                reason,
                log_len,
                command: command.map(|c| c.name().to_owned()),
                account,
            });
        }
    }
}

/// Ticks per lesson: the tasks each lesson's learner has done, kept once done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Lesson key, then the indices of its ticked tasks.
    pub done: BTreeMap<String, BTreeSet<usize>>,
    /// Lesson key, then whether its last compared prediction was right.
    #[serde(default)]
    pub predictions: BTreeMap<String, bool>,
}

impl Progress {
    /// Ticks a task; true when it was not ticked before.
    pub fn tick(&mut self, lesson: &str, task: usize) -> bool {
        self.done.entry(lesson.to_owned()).or_default().insert(task)
    }

    /// Whether a task is ticked.
    #[must_use]
    pub fn is_done(&self, lesson: &str, task: usize) -> bool {
        self.done.get(lesson).is_some_and(|t| t.contains(&task))
    }

    /// How many of a lesson's `tasks` are ticked.
    #[must_use]
    pub fn count(&self, lesson: &str, tasks: usize) -> usize {
        (0..tasks).filter(|t| self.is_done(lesson, *t)).count()
    }

    /// Whether all of a lesson's `tasks` are ticked.
    #[must_use]
    pub fn lesson_done(&self, lesson: &str, tasks: usize) -> bool {
        self.count(lesson, tasks) == tasks
    }

    /// Notes whether a lesson's prediction was right; true when that is news.
    pub fn predicted(&mut self, lesson: &str, right: bool) -> bool {
        self.predictions.insert(lesson.to_owned(), right) != Some(right)
    }

    /// Forgets every tick and prediction.
    pub fn reset(&mut self) {
        self.done.clear();
        self.predictions.clear();
    }

    /// Where a lesson of `tasks` stands, as the course overview says it: "done" or
    /// "1 of 3 tasks", then how its prediction went, if it was compared.
    #[must_use]
    pub fn state(&self, lesson: &str, tasks: usize) -> String {
        let done = self.count(lesson, tasks);
        let ticks = if done == tasks {
            "done".to_owned()
        } else {
            tasks_of(done, tasks)
        };
        match self.predictions.get(lesson) {
            Some(true) => format!("{ticks} · prediction right"),
            Some(false) => format!("{ticks} · prediction missed"),
            None => ticks,
        }
    }
}

/// "0 of 1 task", "1 of 3 tasks".
fn tasks_of(done: usize, tasks: usize) -> String {
    let noun = if tasks == 1 { "task" } else { "tasks" };
    format!("{done} of {tasks} {noun}")
}

/// "0 of 1 task done", "1 of 3 tasks done": the lesson panel's count.
#[must_use]
pub fn tasks_done(done: usize, tasks: usize) -> String {
    format!("{} done", tasks_of(done, tasks))
}

/// One predicted event: its type and the stream choice (its `stream` pattern).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Predicted {
    pub event: String,
    pub stream: String,
}

/// The learner's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Events(Vec<Predicted>),
    /// `None`: accepted; otherwise the rule that refuses it.
    Outcome(Option<RefusalKind>),
    Balance(i64),
    Version(u64),
    /// How a transfer ends: `true`, timed out and compensated; `false`, completed.
    Compensated(bool),
    /// Links from a `TransferCompleted` back to its command.
    Links(u64),
}

/// An answer locked before the action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    pub answer: Answer,
    /// The log's length when it was locked: the action's events come after it.
    pub at: u64,
    /// How many refusals and repeats were noted before it (later ones are the action's).
    pub refusals: usize,
    pub repeats: usize,
    /// Where the action ended (the learner moved on), once known: the log's
    /// length and how many refusals were noted by then.
    pub until: Option<u64>,
    #[serde(default)]
    pub refusals_until: Option<usize>,
}
