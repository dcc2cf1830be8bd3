//! The moments the course teaches, in words for the screen: a refusal wrote nothing
//! (and where the log still stands), and what one press of "Next step" wrote (the
//! step's effect in the account's stream, its record in the transfer's stream, and
//! whether it also ended the saga). Pure: from an error and the transfer's read model.

use crate::app::projections::{TimelineEntry, TimelineKind, TransferView};
use crate::app::BankError;

/// "0 events written" and where the log still stands, for a command the rules refused.
#[must_use]
pub fn nothing_written(last_position: u64) -> String {
    if last_position == 0 {
        "0 events written; the log is still empty.".to_owned()
    } else {
        format!("0 events written; the log is still at #{last_position}.")
    }
}

/// What a form shows for a command's error: a rule's refusal with, on a line of its
/// own, [`nothing_written`]; any other error (storage, a crash) as it is.
#[must_use]
pub fn refusal_words(error: &BankError, last_position: u64) -> String {
    match error {
        BankError::Account(_) | BankError::Transfer(_) => {
            format!("{error}\n{}", nothing_written(last_position))
        }
        BankError::Store(_) | BankError::Crashed(_) => error.to_string(),
    }
}

/// "What just happened" for an action that wrote nothing: a refusal (with the rule's
/// words), or a transfer answered with the existing one; `None` for other errors.
#[must_use]
pub fn unwritten(error: Option<&BankError>, answered: &str, last_position: u64) -> Option<String> {
    let nothing = nothing_written(last_position);
    match error {
        Some(e @ (BankError::Account(_) | BankError::Transfer(_))) => {
            Some(format!("Refused: {nothing} The rule's words: {e}."))
        }
        Some(BankError::Store(_) | BankError::Crashed(_)) => None,
        None => Some(format!(
            "Answered with the existing transfer {answered}: {nothing}"
        )),
    }
}

/// What one press of "Next step" wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PressWrites {
    /// How many events in how many appends, and what the two appends are.
    pub summary: String,
    /// One line per event: which, where, and its part in the step.
    pub lines: Vec<String>,
    /// Said when the press also ended the saga.
    pub ended: Option<String>,
    /// The global positions written, to mark the timeline's steps that hold them.
    pub positions: Vec<u64>,
}

/// What the press that began when the log was at `from` wrote to transfer `t`'s saga
/// (its events after `from`), or `None` if it wrote nothing.
#[must_use]
pub fn press_writes(t: &TransferView, from: u64) -> Option<PressWrites> {
    // The timeline is in log order (it is folded from the log), so these are too.
    let written: Vec<&TimelineEntry> = t.timeline.iter().filter(|e| e.position > from).collect();
    if written.is_empty() {
        return None;
    }
    // One append per run of events in one stream.
    let appends = 1 + written
        .windows(2)
        .filter(|w| w[0].stream != w[1].stream)
        .count();
    let effect = written
        .iter()
        .find(|e| matches!(e.kind, TimelineKind::Leg(_)));
    let record = written
        .iter()
        .find(|e| !matches!(e.kind, TimelineKind::Leg(_)));
    let events = plural(written.len(), "event");
    let summary = match (effect, record) {
        (Some(effect), Some(record)) => format!(
            "This press wrote {events} in {}: the step's effect in {} and its record in {}, one after the other, not at once.",
            plural(appends, "append"),
            effect.stream,
            record.stream
        ),
        _ => format!("This press wrote {events} in {}.", plural(appends, "append")),
    };
    let lines = written.iter().map(|e| line(e)).collect();
    Some(PressWrites {
        summary,
        lines,
        ended: ended(&written),
        positions: written.iter().map(|e| e.position).collect(),
    })
}

/// One written event: which, where, and its part in the step.
fn line(e: &TimelineEntry) -> String {
    let part = match e.kind {
        TimelineKind::Leg(_) => "the step's effect on the account",
        TimelineKind::Retried(_) => "an attempt that failed, recorded; the step is tried again",
        TimelineKind::RefundRetried => "an operator's fix, recorded; the refund step runs again",
        TimelineKind::CreditRejected => {
            "the step's record: the account refused, so no effect was written"
        }
        TimelineKind::TimedOut => {
            "the step's record: its deadline passed, so the saga gave up and no effect was written"
        }
        TimelineKind::Completed
        | TimelineKind::Failed
        | TimelineKind::CompensationFailed
        | TimelineKind::Reversed
        | TimelineKind::Debited
        | TimelineKind::Initiated => "the step's record in the transfer",
    };
    format!(
        "{} #{} in {} v{}: {part}",
        e.event_type, e.position, e.stream, e.version
    )
}

/// Said when the press's events end the saga.
fn ended(written: &[&TimelineEntry]) -> Option<String> {
    let has = |kind: TimelineKind| written.iter().any(|e| e.kind == kind);
    if has(TimelineKind::Completed) {
        Some("TransferCompleted: this press also ended the saga; the transfer is completed.".into())
    } else if has(TimelineKind::Failed) && has(TimelineKind::Reversed) {
        Some("TransferFailed after TransferReversed: this press also ended the saga. The transfer failed; the refund paid the amount back to the payer, and both movements stay in the log.".into())
    } else if has(TimelineKind::Failed) {
        Some("TransferFailed: this press also ended the saga; the transfer failed.".into())
    } else if has(TimelineKind::CompensationFailed) {
        Some("This press also ended the saga: the refund was refused, and the transfer needs attention.".into())
    } else {
        None
    }
}

/// "1 event", "2 events".
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
#[path = "moments_tests.rs"]
mod tests;
