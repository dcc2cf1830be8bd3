//! "What just happened": the events the learner's last action wrote, each with one
//! sentence on why it exists.

use std::rc::Rc;

use crate::domain::events::Event;
use crate::domain::AccountId;
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
    /// Why an event of this type exists ([`crate::domain::events::EventType::why`]),
    /// or, for a refund an operator sent into another account, what it did there.
    pub why: String,
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
                transfer: r.event.transfer_id().map(ToString::to_string),
                why: why(log, r),
            }
        })
        .collect()
}

/// Why `r` was written: its type's sentence, unless it records a refund that an
/// operator's fix sent into another account than the source (then the source stays
/// debited and the other account was paid, so "counteracted" would not be true).
fn why(log: &[Rc<Recorded>], r: &Recorded) -> String {
    let elsewhere = match &r.event {
        Event::TransferReversed(e) => refunded_elsewhere(log, r.position, &e.from_account_id)
            .map(|to| format!("The record of the refund: an operator's fix sent it into {to}, another account of the same owner, and the deposit there was written just before in its stream; {} stays debited.", e.from_account_id)),
        Event::TransferFailed(e) => refunded_elsewhere(log, r.position, &e.from_account_id)
            .map(|to| format!("The transfer ended, and this says why: {} stays debited and {to}, another account of the same owner, was refunded the same amount; both movements stay in the log.", e.from_account_id)),
        _ => None,
    };
    elsewhere.unwrap_or_else(|| r.event.ty().why().to_owned())
}

/// The account the last operator's fix before `position` in the same transfer sent
/// the refund into, if it is not the source `from`.
fn refunded_elsewhere<'a>(
    log: &'a [Rc<Recorded>],
    position: u64,
    from: &AccountId,
) -> Option<&'a AccountId> {
    let at = log.iter().position(|r| r.position == position)?;
    let transfer = log[at].event.transfer_id()?;
    log[..at]
        .iter()
        .rev()
        .find_map(|r| match &r.event {
            Event::TransferRefundRetried(e) if &e.transfer_id == transfer => {
                Some(&e.refund_account_id)
            }
            _ => None,
        })
        .filter(|to| *to != from)
}
