//! "What just happened": the events the learner's last action wrote, each with one
//! sentence on why it exists.

use std::rc::Rc;

use crate::store::Recorded;

/// One event of the last action, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub position: u64,
    pub stream: String,
    pub version: u64,
    pub event_type: &'static str,
    /// The transfer whose saga wrote it, to link to its timeline.
    pub transfer: Option<String>,
    /// Why an event of this type exists.
    pub why: &'static str,
}

/// Why an event of `event_type` is written, in one sentence.
#[must_use]
pub fn why(event_type: &str) -> &'static str {
    match event_type {
        "AccountOpened" => "The account now exists: every later fact about it follows this one in its stream.",
        "MoneyDeposited" => "Money came in; the balance is not stored anywhere, it is the sum of these facts.",
        "MoneyWithdrawn" => "Money went out, after the rules checked the balance covered it.",
        "AccountSuspended" => "The account stops taking deposits and withdrawals until it is reactivated.",
        "AccountReactivated" => "The account is active again; its history is unchanged.",
        "AccountClosed" => "Closing is final: no later command on this account will be accepted.",
        "TransferInitiated" => "The saga's first fact: the transfer was asked for and checked, no money has moved yet.",
        "TransferDebited" => "The saga records that the source paid, so a restart knows the next step is the credit.",
        "TransferCreditRejected" => "The destination refused the money; the saga must now give it back to the source.",
        "TransferCompleted" => "The destination was credited: the transfer's last step, both legs done.",
        "TransferReversed" => "The compensation: the source got its money back after the credit was refused.",
        "TransferFailed" => "The transfer ended without moving money, and this says why.",
        "TransferCompensationFailed" => "The refund itself was refused: the money is still out of the source and a person must look.",
        "TransferStepRetried" => "A step failed for a passing reason; each attempt is a fact, so retries are visible.",
        _ => "An event this course does not explain yet.",
    }
}

/// The events of `log` after position `after`: what the last action wrote.
#[must_use]
pub fn what_happened(log: &[Rc<Recorded>], after: u64) -> Vec<Explained> {
    log.iter()
        .filter(|r| r.position > after)
        .map(|r| {
            let event_type = r.event.event_type();
            Explained {
                position: r.position,
                stream: r.stream.clone(),
                version: r.version,
                event_type,
                transfer: r.event.transfer_id().map(ToString::to_string).or_else(|| {
                    match &r.event {
                        crate::domain::Event::MoneyDeposited(e) => e.transfer_id.as_ref(),
                        crate::domain::Event::MoneyWithdrawn(e) => e.transfer_id.as_ref(),
                        _ => None,
                    }
                    .map(ToString::to_string)
                }),
                why: why(event_type),
            }
        })
        .collect()
}
