//! Every task's check: a pure function of the log, the read models and the learner's
//! record ([`Facts`]). Each is tested natively with a log that passes and one that
//! does not (`tests.rs`).

use std::collections::BTreeSet;

use super::record::RefusalKind;
use super::second_client::is_second_client;
use super::Facts;
use crate::domain::events::EventType;
use crate::domain::transfer;
use crate::domain::{Event, TransferId};
use crate::store::Recorded;

fn is(r: &Recorded, event_type: EventType) -> bool {
    r.event.ty() == event_type
}

/// Whether the learner wrote an event of this type since the lesson began.
fn wrote(facts: &Facts<'_>, event_type: EventType) -> bool {
    facts.since_start().any(|r| is(r, event_type))
}

/// Whether the learner selected an event of this type (audit trail or time travel).
fn selected(facts: &Facts<'_>, event_type: EventType) -> bool {
    facts
        .record
        .selections
        .iter()
        .any(|s| facts.at(s.position).is_some_and(|r| is(r, event_type)))
}

fn refused<'a>(facts: &Facts<'a>, kind: RefusalKind) -> impl Iterator<Item = u64> + 'a {
    let record = facts.record;
    record
        .refusals
        .iter()
        .filter(move |r| r.kind == kind)
        .map(|r| r.log_len)
}

/// A plain deposit (not a transfer's leg, not the second client's).
fn plain_deposit(r: &Recorded) -> bool {
    matches!(&r.event, Event::MoneyDeposited(e) if e.transfer_id.is_none()) && !is_second_client(r)
}

// Lesson 1: events are facts ------------------------------------------------------

/// An account was opened.
pub fn opened_account(facts: &Facts<'_>) -> bool {
    wrote(facts, EventType::AccountOpened)
}

/// Money was deposited into an account opened in this lesson.
pub fn deposited(facts: &Facts<'_>) -> bool {
    let opened: BTreeSet<&str> = facts
        .since_start()
        .filter(|r| is(r, EventType::AccountOpened))
        .map(|r| r.stream.as_str())
        .collect();
    facts
        .since_start()
        .any(|r| plain_deposit(r) && opened.contains(r.stream.as_str()))
}

/// A deposit was selected in the audit trail.
pub fn selected_deposit(facts: &Facts<'_>) -> bool {
    selected(facts, EventType::MoneyDeposited)
}

// Lesson 2: state is a fold -------------------------------------------------------

/// An event before the newest one was selected (the bank as it was then).
pub fn travelled_back(facts: &Facts<'_>) -> bool {
    facts
        .record
        .selections
        .iter()
        .any(|s| s.position >= 1 && s.position < s.log_len)
}

/// After a deposit made in this lesson, the event just before it was selected.
pub fn travelled_before_deposit(facts: &Facts<'_>) -> bool {
    facts.since_start().filter(|r| plain_deposit(r)).any(|d| {
        facts
            .record
            .selections
            .iter()
            .any(|s| s.position + 1 == d.position && s.log_len >= d.position)
    })
}

// Lesson 3: rules refuse, and nothing is written ----------------------------------

/// A withdrawal larger than the balance was refused.
pub fn refused_overdraft(facts: &Facts<'_>) -> bool {
    refused(facts, RefusalKind::InsufficientBalance)
        .next()
        .is_some()
}

/// An account was suspended in this lesson.
pub fn suspended(facts: &Facts<'_>) -> bool {
    wrote(facts, EventType::AccountSuspended)
}

/// After a suspension, a command to the account was refused as not active.
pub fn refused_suspended_deposit(facts: &Facts<'_>) -> bool {
    let Some(first) = facts
        .since_start()
        .find(|r| is(r, EventType::AccountSuspended))
        .map(|r| r.position)
    else {
        return false;
    };
    refused(facts, RefusalKind::NotActive).any(|len| len >= first)
}

// Lesson 4: read models -----------------------------------------------------------

/// The statement of an existing account was opened.
pub fn opened_statement(facts: &Facts<'_>) -> bool {
    facts.record.statements.iter().any(|a| {
        facts
            .models
            .accounts
            .keys()
            .any(|id| id.as_str() == a.as_str())
    })
}

/// The read models were rebuilt from a non-empty log and equalled the live view.
pub fn rebuilt_equal(facts: &Facts<'_>) -> bool {
    facts
        .record
        .rebuilds
        .iter()
        .any(|r| r.equal && r.events > 0)
}

// Lesson 5: a saga step by step ---------------------------------------------------

/// A transfer completed.
pub fn transfer_completed(facts: &Facts<'_>) -> bool {
    wrote(facts, EventType::TransferCompleted)
}

/// The event types the debit step of `transfer` wrote: every event of its saga after
/// `TransferInitiated`, up to and including `TransferDebited`. Empty until it ran.
#[must_use]
pub fn debit_step_events(log: &[std::rc::Rc<Recorded>], transfer: &TransferId) -> BTreeSet<String> {
    let saga = log.iter().filter(|r| r.correlation_id == transfer.as_str());
    let mut out = BTreeSet::new();
    let mut started = false;
    for r in saga {
        let ty = r.event.ty();
        if ty == EventType::TransferInitiated {
            started = true;
        } else if started {
            out.insert(ty.name().to_owned());
            if ty == EventType::TransferDebited {
                return out;
            }
        }
    }
    BTreeSet::new()
}

/// The answer to the question "debit-events" names exactly the events some
/// transfer's debit step wrote.
pub fn named_debit_events(facts: &Facts<'_>) -> bool {
    let Some(answer) = facts.record.answers.get("debit-events") else {
        return false;
    };
    facts.models.transfers.keys().any(|t| {
        let wrote = debit_step_events(facts.log, t);
        !wrote.is_empty() && &wrote == answer
    })
}

// Lesson 6: compensation ----------------------------------------------------------

/// A transfer's credit was refused and the transfer failed after its refund.
pub fn compensated(facts: &Facts<'_>) -> bool {
    facts.models.transfers.keys().any(|t| {
        let types: Vec<EventType> = facts
            .since_start()
            .filter(|r| r.correlation_id == t.as_str())
            .map(|r| r.event.ty())
            .collect();
        let at = |ty: EventType| types.iter().position(|x| *x == ty);
        matches!(
            (
                at(EventType::TransferCreditRejected),
                at(EventType::TransferReversed),
                at(EventType::TransferFailed)
            ),
            (Some(a), Some(b), Some(c)) if a < b && b < c
        )
    })
}

/// `TransferReversed` was selected in the audit trail.
pub fn selected_reversal(facts: &Facts<'_>) -> bool {
    selected(facts, EventType::TransferReversed)
}

// Lesson 7: crash and resume ------------------------------------------------------

fn ends(r: &Recorded) -> bool {
    transfer::ends(&r.event)
}

/// The transfers debited (by this lesson's learner) but not ended when the log held
/// `len` events.
fn mid_saga_at(facts: &Facts<'_>, len: u64) -> Vec<String> {
    let mut out: Vec<String> = facts
        .since_start()
        .filter(|r| r.position <= len)
        .filter(|r| matches!(&r.event, Event::MoneyWithdrawn(e) if e.transfer_id.is_some()))
        .map(|r| r.correlation_id.clone())
        .filter(|t| {
            !facts
                .log
                .iter()
                .any(|r| r.position <= len && &r.correlation_id == t && ends(r))
        })
        .collect();
    out.dedup();
    out
}

/// The page reloaded after a transfer's debit and before it ended.
pub fn reloaded_mid_saga(facts: &Facts<'_>) -> bool {
    facts
        .record
        .reloads
        .iter()
        .any(|&len| !mid_saga_at(facts, len).is_empty())
}

/// A transfer caught mid-saga by a reload then ended, from the log alone, and its
/// money left the source once.
pub fn resumed_after_reload(facts: &Facts<'_>) -> bool {
    facts.record.reloads.iter().any(|&len| {
        mid_saga_at(facts, len).iter().any(|t| {
            let debits = facts
                .log
                .iter()
                .filter(|r| &r.correlation_id == t && is(r, EventType::MoneyWithdrawn))
                .count();
            debits == 1
                && facts
                    .log
                    .iter()
                    .any(|r| r.position > len && &r.correlation_id == t && ends(r))
        })
    })
}

// Lesson 8: idempotency -----------------------------------------------------------

/// A transfer was sent again with the same id and details; it exists once and its
/// money left the source once.
pub fn repeated_transfer(facts: &Facts<'_>) -> bool {
    facts.record.repeats.iter().any(|t| {
        let count = |ty: EventType| {
            facts
                .log
                .iter()
                .filter(|r| &r.correlation_id == t && is(r, ty))
                .count()
        };
        count(EventType::TransferInitiated) == 1 && count(EventType::MoneyWithdrawn) <= 1
    })
}

/// A transfer id was used again with other details and refused.
pub fn refused_reused_id(facts: &Facts<'_>) -> bool {
    refused(facts, RefusalKind::IdReused).next().is_some()
}

// Lesson 9: optimistic concurrency ------------------------------------------------

/// The second client wrote to an account: the page noted it (it has not read the
/// event yet), or the log it has read holds it.
pub fn second_client_wrote(facts: &Facts<'_>) -> bool {
    facts.record.second_client > 0 || facts.since_start().any(|r| is_second_client(r))
}

/// Right after the second client's write, the page wrote to the same stream (so it
/// met a conflict and decided again on fresh state), and the bank counted it.
pub fn decided_again(facts: &Facts<'_>) -> bool {
    facts.record.conflicts > 0
        && facts
            .since_start()
            .filter(|r| is_second_client(r))
            .any(|s| {
                facts.log.iter().any(|r| {
                    r.stream == s.stream && r.version == s.version + 1 && !is_second_client(r)
                })
            })
}

// Lesson 10: schema evolution -----------------------------------------------------

/// The lesson's schema-1 file was imported.
pub fn imported_schema_one(facts: &Facts<'_>) -> bool {
    facts
        .log
        .iter()
        .any(|r| r.event_id == super::second_client::SCHEMA_ONE_EVENT_ID)
}

/// A plain deposit was made (here, not in the file) to the account the schema-1
/// file opened.
pub fn deposited_to_imported(facts: &Facts<'_>) -> bool {
    let Some(opened) = facts
        .log
        .iter()
        .find(|r| r.event_id == super::second_client::SCHEMA_ONE_EVENT_ID)
    else {
        return false;
    };
    facts.log.iter().any(|r| {
        r.stream == opened.stream && plain_deposit(r) && !r.event_id.starts_with("schema1-")
    })
}
