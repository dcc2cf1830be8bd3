//! Every task's check: a pure function of the log, the read models and the learner's
//! record ([`Facts`]). Each is tested natively with a log that passes and one that
//! does not (`tests/`), and against the action a learner could take instead of the
//! one its task names (`tests/loopholes.rs`).

use std::rc::Rc;

use super::record::RefusalKind;
use super::second_client::is_second_client;
use super::Facts;
use crate::domain::events::EventType;
use crate::domain::transfer;
use crate::domain::Event;
use crate::store::Recorded;

mod hard_parts;
pub use hard_parts::*;

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

/// An event that changes an account's status.
fn status_change(r: &Recorded) -> bool {
    matches!(
        r.event.ty(),
        EventType::AccountSuspended | EventType::AccountReactivated | EventType::AccountClosed
    )
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

/// The learner's own deposits: plain deposits into accounts opened in this lesson.
fn own_deposits<'a>(facts: &Facts<'a>) -> impl Iterator<Item = &'a Rc<Recorded>> + 'a {
    let facts = *facts;
    facts.since_start().filter(move |r| {
        plain_deposit(r)
            && facts
                .since_start()
                .any(|o| o.stream == r.stream && is(o, EventType::AccountOpened))
    })
}

/// Money was deposited into an account opened in this lesson.
pub fn deposited(facts: &Facts<'_>) -> bool {
    own_deposits(facts).next().is_some()
}

/// The learner's own deposit (see [`deposited`]) was selected in the audit trail.
pub fn selected_deposit(facts: &Facts<'_>) -> bool {
    own_deposits(facts).any(|d| {
        facts
            .record
            .selections
            .iter()
            .any(|s| s.position == d.position && s.log_len >= d.position)
    })
}

// Lesson 2: state is a fold -------------------------------------------------------

/// An event before a transfer's debit was selected (the bank as it was before that
/// money left): a change the task names, not just any older event.
pub fn travelled_back(facts: &Facts<'_>) -> bool {
    let debits = facts
        .log
        .iter()
        .filter(|r| matches!(&r.event, Event::MoneyWithdrawn(e) if e.transfer_id.is_some()));
    debits.into_iter().any(|d| {
        facts
            .record
            .selections
            .iter()
            .any(|s| s.position >= 1 && s.position < d.position && s.log_len >= d.position)
    })
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

/// An event was selected at which an account stood suspended, in the past: its
/// latest status event then was `AccountSuspended`, and a later one changed it.
pub fn travelled_to_suspended(facts: &Facts<'_>) -> bool {
    facts.record.selections.iter().any(|s| {
        facts
            .log
            .iter()
            .filter(|r| is(r, EventType::AccountSuspended) && r.position <= s.position)
            .any(|suspended| {
                facts
                    .log
                    .iter()
                    .filter(|r| r.stream == suspended.stream && r.position > suspended.position)
                    .find(|r| status_change(r))
                    .is_some_and(|next| next.position > s.position && next.position <= s.log_len)
            })
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

/// A deposit was refused as "not active" while its account stood suspended by this
/// lesson (its latest status event, when the log held `log_len` events, was the
/// learner's `AccountSuspended`).
pub fn refused_suspended_deposit(facts: &Facts<'_>) -> bool {
    facts.record.refusals.iter().any(|refusal| {
        let (Some("DepositMoney"), Some(account)) =
            (refusal.command.as_deref(), refusal.account.as_deref())
        else {
            return false;
        };
        let stream = format!("account-{account}");
        let last_status = facts
            .log
            .iter()
            .rev()
            .filter(|r| r.position <= refusal.log_len && r.stream == stream)
            .find(|r| status_change(r));
        refusal.kind == RefusalKind::NotActive
            && last_status.is_some_and(|r| {
                r.position > facts.record.base && is(r, EventType::AccountSuspended)
            })
    })
}

// Lesson 4: read models -----------------------------------------------------------

/// The account whose statement the read-models lesson asks for.
pub const STATEMENT_ACCOUNT: &str = "alice-123";

/// The statement of alice-123 was opened (in a bank that has her).
pub fn opened_statement(facts: &Facts<'_>) -> bool {
    facts
        .record
        .statements
        .iter()
        .any(|a| a == STATEMENT_ACCOUNT)
        && facts
            .models
            .accounts
            .keys()
            .any(|id| id.as_str() == STATEMENT_ACCOUNT)
}

/// The rebuilds with the broken projection (`broken`) or the real ones, made after
/// the learner changed something in this lesson.
fn rebuilds_after_a_change<'a>(
    facts: &Facts<'a>,
    broken: bool,
) -> impl Iterator<Item = &'a super::record::Rebuild> + 'a {
    let base = facts.record.base;
    facts
        .record
        .rebuilds
        .iter()
        .filter(move |r| r.broken == broken && r.events > base)
}

/// After a change, the deliberately broken projection was rebuilt and differed.
pub fn rebuilt_broken_differs(facts: &Facts<'_>) -> bool {
    rebuilds_after_a_change(facts, true).any(|r| !r.equal)
}

/// After a change, the real read models were rebuilt and equalled the live view.
pub fn rebuilt_equal(facts: &Facts<'_>) -> bool {
    rebuilds_after_a_change(facts, false).any(|r| r.equal)
}

// Lesson 5: a saga step by step ---------------------------------------------------

/// The transfer the saga lesson steps.
const STEPPED: &str = "t1";

/// Transfer t1 completed, and every event its saga wrote in this lesson was written
/// by a press of Next step on it (not by Play, nor sent all at once).
pub fn transfer_completed(facts: &Facts<'_>) -> bool {
    let mut saga = facts
        .since_start()
        .filter(|r| r.correlation_id == STEPPED)
        .peekable();
    let pressed = |position: u64| {
        facts
            .record
            .steps
            .iter()
            .any(|p| p.transfer == STEPPED && p.from < position && position <= p.to)
    };
    saga.peek().is_some()
        && facts
            .since_start()
            .any(|r| r.correlation_id == STEPPED && is(r, EventType::TransferCompleted))
        && saga.all(|r| pressed(r.position))
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

/// The event types of each transfer's saga written since the lesson began (or since
/// its bank was loaded), by transfer.
fn sagas<'a>(facts: &Facts<'a>) -> impl Iterator<Item = (String, Vec<EventType>)> + 'a {
    let facts = *facts;
    facts.models.transfers.keys().map(move |t| {
        let types = facts
            .since_start()
            .filter(|r| r.correlation_id == t.as_str())
            .map(|r| r.event.ty())
            .collect();
        (t.to_string(), types)
    })
}

/// A transfer failed with no money moved: its debit was refused, so nothing was
/// compensated (no `MoneyWithdrawn`, no `TransferReversed` in its whole saga).
pub fn failed_without_compensation(facts: &Facts<'_>) -> bool {
    sagas(facts).any(|(t, types)| {
        let moved = facts.log.iter().any(|r| {
            r.correlation_id == t
                && (is(r, EventType::MoneyWithdrawn) || is(r, EventType::TransferReversed))
        });
        types.contains(&EventType::TransferFailed) && !moved
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

/// The crash point the crash lesson asks for: inside the debit leg, between the
/// debit and its record in the transfer's stream.
const CRASH_POINT: &str = "leg:debit";

/// The log lengths at which the page reloaded after a crash inside the debit leg had
/// fired, while a transfer was mid-saga.
fn reloads_after_the_crash<'a>(facts: &Facts<'a>) -> impl Iterator<Item = u64> + 'a {
    let facts = *facts;
    facts.record.reloads.iter().copied().filter(move |&len| {
        facts
            .record
            .refusals
            .iter()
            .any(|c| c.kind == RefusalKind::Crashed && c.reason == CRASH_POINT && c.log_len <= len)
            && !mid_saga_at(&facts, len).is_empty()
    })
}

/// A crash fired inside the debit leg, and the page reloaded with the transfer
/// debited but not yet recorded as debited.
pub fn reloaded_mid_saga(facts: &Facts<'_>) -> bool {
    reloads_after_the_crash(facts).next().is_some()
}

/// The transfer caught by that crash then ended, from the log alone: its debit step
/// was recorded after the reload, and its money left the source once (the debit leg
/// ran again and its idempotency by transfer id absorbed it).
pub fn resumed_after_reload(facts: &Facts<'_>) -> bool {
    reloads_after_the_crash(facts).any(|len| {
        mid_saga_at(facts, len).iter().any(|t| {
            let of_t = |r: &&Rc<Recorded>| &r.correlation_id == t;
            let debits = facts
                .log
                .iter()
                .filter(of_t)
                .filter(|r| is(r, EventType::MoneyWithdrawn))
                .count();
            let after = |ty: EventType| {
                facts
                    .log
                    .iter()
                    .filter(of_t)
                    .any(|r| r.position > len && is(r, ty))
            };
            debits == 1
                && after(EventType::TransferDebited)
                && facts
                    .log
                    .iter()
                    .filter(of_t)
                    .any(|r| r.position > len && ends(r))
        })
    })
}

/// A transfer's step failed for a passing reason, was retried, and the transfer then
/// completed with its credit written once.
pub fn retried_then_completed(facts: &Facts<'_>) -> bool {
    sagas(facts).any(|(t, types)| {
        let credits = facts
            .log
            .iter()
            .filter(|r| r.correlation_id == t && is(r, EventType::MoneyDeposited))
            .count();
        let at = |ty: EventType| types.iter().position(|x| *x == ty);
        matches!(
            (at(EventType::TransferStepRetried), at(EventType::TransferCompleted)),
            (Some(a), Some(b)) if a < b
        ) && credits == 1
    })
}

// Lesson 8: idempotency -----------------------------------------------------------

/// A transfer the lesson started with was sent again with the same id and details,
/// and nothing of it has been written since the lesson began: not one event.
pub fn repeated_transfer(facts: &Facts<'_>) -> bool {
    facts.record.repeats.iter().any(|t| {
        let mut of_t = facts.log.iter().filter(|r| &r.correlation_id == t);
        of_t.next().is_some_and(|r| r.position <= facts.record.base)
            && of_t.all(|r| r.position <= facts.record.base)
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

/// The page's append met a conflict because the second client had written the
/// version it found, and the page then decided again and wrote the next version.
pub fn decided_again(facts: &Facts<'_>) -> bool {
    facts.record.conflicts.iter().any(|c| {
        let at = |version: u64| {
            facts
                .since_start()
                .find(|r| r.stream == c.stream && r.version == version)
        };
        c.actual == c.expected + 1
            && at(c.actual).is_some_and(|r| is_second_client(r))
            && at(c.actual + 1).is_some_and(|r| !is_second_client(r))
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

/// After the import, a plain deposit was made here to the account the schema-1 file
/// opened (the lesson's record starts again where the import left the log, so a
/// deposit inside the file is not the learner's).
pub fn deposited_to_imported(facts: &Facts<'_>) -> bool {
    let Some(opened) = facts
        .log
        .iter()
        .find(|r| r.event_id == super::second_client::SCHEMA_ONE_EVENT_ID)
    else {
        return false;
    };
    facts
        .since_start()
        .any(|r| r.stream == opened.stream && plain_deposit(r))
}

// Lesson 11: try another path ------------------------------------------------------

/// This record is a fork's, made from the lesson's bank before one of its transfers
/// began (not at or after it: that fork holds the transfer already).
pub fn forked_before_transfer(facts: &Facts<'_>) -> bool {
    facts
        .record
        .fork
        .as_ref()
        .is_some_and(|f| f.before.is_some())
}

/// The transfers of this fork (made before a transfer) whose credit was refused by a
/// closed account, and which were refunded and then failed, each with the position
/// of its `TransferFailed`.
fn refused_by_closed<'a>(facts: &Facts<'a>) -> impl Iterator<Item = u64> + 'a {
    let facts = *facts;
    let forked = forked_before_transfer(&facts);
    facts
        .since_start()
        .filter(move |_| forked)
        .filter_map(move |rejected| {
            let Event::TransferCreditRejected(e) = &rejected.event else {
                return None;
            };
            let closed = facts
                .models
                .accounts
                .get(&e.to_account_id)
                .is_some_and(|a| a.status == crate::domain::account::AccountStatus::Closed);
            let after = |ty: EventType, from: u64| {
                facts
                    .since_start()
                    .find(|r| {
                        r.correlation_id == rejected.correlation_id
                            && r.position > from
                            && is(r, ty)
                    })
                    .map(|r| r.position)
            };
            let reversed = after(EventType::TransferReversed, rejected.position)?;
            let failed = after(EventType::TransferFailed, reversed)?;
            closed.then_some(failed)
        })
}

/// In a fork made before a transfer, a transfer to a closed account was refused at
/// its credit, refunded, and failed.
pub fn compensated_in_fork(facts: &Facts<'_>) -> bool {
    refused_by_closed(facts).next().is_some()
}

/// Compare was shown with that fork after such a transfer had ended in it.
pub fn compared_fork(facts: &Facts<'_>) -> bool {
    refused_by_closed(facts).any(|failed| facts.record.compared.iter().any(|&len| len >= failed))
}
