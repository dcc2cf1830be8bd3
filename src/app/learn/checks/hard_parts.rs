//! The checks of the course's hard parts (lessons 12 to 17: stale reads, at least
//! once, retries and timeouts, when compensation fails, how steps cause each other,
//! snapshots), beside the first eleven lessons' in the parent module.

use std::rc::Rc;

use super::*;
use crate::app::learn::Facts;
use crate::app::views::causation::Causation;
use crate::domain::events::EventType;
use crate::domain::Event;
use crate::store::Recorded;

// Retries and timeouts -------------------------------------------------------------

/// The events of each transfer the learner started since the lesson began (its
/// `TransferInitiated` among them), in log order.
fn started_here<'a>(facts: &Facts<'a>) -> impl Iterator<Item = Vec<&'a Rc<Recorded>>> + 'a {
    let facts = *facts;
    facts.models.transfers.keys().filter_map(move |t| {
        let events: Vec<_> = facts
            .since_start()
            .filter(|r| r.correlation_id == t.as_str())
            .collect();
        events
            .first()
            .is_some_and(|r| is(r, EventType::TransferInitiated))
            .then_some(events)
    })
}

/// A transfer started in the lesson whose credit failed for a passing reason, was
/// retried, and completed (before its deadline, or it would have timed out).
pub fn retried_within_deadline(facts: &Facts<'_>) -> bool {
    started_here(facts).any(|events| {
        let credit_retried = events.iter().any(|r| {
            matches!(&r.event, Event::TransferStepRetried(e) if e.step == crate::domain::SagaStep::Credit)
        });
        credit_retried && events.iter().any(|r| is(r, EventType::TransferCompleted))
    })
}

/// A transfer started in the lesson whose credit timed out at its deadline and whose
/// debit was then refunded.
pub fn timed_out_and_refunded(facts: &Facts<'_>) -> bool {
    started_here(facts).any(|events| {
        let at = |ty: EventType| events.iter().position(|r| is(r, ty));
        matches!(
            (at(EventType::TransferTimedOut), at(EventType::TransferReversed)),
            (Some(a), Some(b)) if a < b
        )
    })
}

// When compensation fails --------------------------------------------------------------

/// A refund the learner's saga ran was refused: `TransferCompensationFailed` was
/// written since the lesson began.
pub fn compensation_failed(facts: &Facts<'_>) -> bool {
    wrote(facts, EventType::TransferCompensationFailed)
}

/// A transfer whose refund an operator retried since the lesson began, and which the
/// retried refund then made whole: `TransferRefundRetried`, then `TransferReversed`
/// and `TransferFailed`, in its saga. A refund that worked the first time has no
/// operator's fix.
fn fixed_by_operator_in<'a>(facts: &Facts<'a>) -> impl Iterator<Item = String> + 'a {
    sagas(facts).filter_map(|(t, types)| {
        let at = |ty: EventType| types.iter().rposition(|x| *x == ty);
        let fixed = matches!(
            (
                at(EventType::TransferRefundRetried),
                at(EventType::TransferReversed),
                at(EventType::TransferFailed)
            ),
            (Some(a), Some(b), Some(c)) if a < b && b < c
        );
        fixed.then_some(t)
    })
}

/// An operator's retried refund made a transfer that needed attention whole again.
pub fn fixed_by_operator(facts: &Facts<'_>) -> bool {
    fixed_by_operator_in(facts).next().is_some()
}

/// Once an operator's fix made a transfer whole, the learner selected (in time travel
/// or the audit trail) an event from while its money was out: at or after its debit,
/// before the refund that paid it back.
pub fn saw_money_out(facts: &Facts<'_>) -> bool {
    fixed_by_operator_in(facts).any(|t| {
        let leg = |debit: bool| {
            facts.log.iter().rev().find(|r| match &r.event {
                Event::MoneyWithdrawn(e) if debit => {
                    e.transfer_id.as_ref().is_some_and(|x| x.as_str() == t)
                }
                Event::MoneyDeposited(e) if !debit => {
                    e.transfer_id.as_ref().is_some_and(|x| x.as_str() == t)
                }
                _ => false,
            })
        };
        let (Some(debit), Some(refund)) = (leg(true), leg(false)) else {
            return false;
        };
        facts.record.selections.iter().any(|s| {
            (debit.position..refund.position).contains(&s.position) && s.log_len >= refund.position
        })
    })
}

// How steps cause each other ------------------------------------------------------

/// The transfer the causation lesson follows.
const TRACED: &str = "t1";

/// Transfer t1 completed during the lesson (by Play, by steps, however it ran).
pub fn traced_transfer_completed(facts: &Facts<'_>) -> bool {
    facts
        .since_start()
        .any(|r| r.correlation_id == TRACED && is(r, EventType::TransferCompleted))
}

/// The learner followed a transfer's chain in its causation view, link by link, from
/// its `TransferCompleted` (written during the lesson) back to the event its command
/// wrote. Selections elsewhere (the audit trail's list, the time-travel slider) do not
/// count: stepping back through the log passes the same events whenever nothing else
/// was written between the saga's steps.
pub fn followed_chain_back(facts: &Facts<'_>) -> bool {
    let traced = &facts.record.traced;
    facts.models.transfers.values().any(|t| {
        let chain = Causation::of(t);
        chain
            .completed()
            .filter(|&p| p > facts.record.base)
            .is_some_and(|p| {
                let back = chain.back_from(p);
                traced.windows(back.len()).any(|w| w == back.as_slice())
            })
    })
}
// Snapshots ----------------------------------------------------------------------

/// The card loaded alice-123, the lesson's account, from a snapshot (one the
/// learner took: the lesson's bank starts with none).
pub fn loaded_from_snapshot(facts: &Facts<'_>) -> bool {
    facts
        .record
        .loads
        .iter()
        .any(|l| l.account == SNAPSHOT_ACCOUNT && l.snapshot_at.is_some())
}

/// The account the snapshots lesson names: its checks look at no other.
const SNAPSHOT_ACCOUNT: &str = "alice-123";

/// After a load of alice-123 from a snapshot, every snapshot was deleted and
/// alice-123, at the same version, then loaded from every event with the same balance.
pub fn deleted_snapshots_same_balance(facts: &Facts<'_>) -> bool {
    deletion_after_snapshot(facts).is_some()
}

/// The first deletion that satisfies [`deleted_snapshots_same_balance`]: the account
/// reloaded, and the index of that reload in the record's loads.
fn deletion_after_snapshot<'a>(facts: &Facts<'a>) -> Option<(&'a str, usize)> {
    let loads = &facts.record.loads;
    facts.record.snapshots_deleted.iter().find_map(|&d| {
        let (before, after) = loads.split_at(d.min(loads.len()));
        before
            .iter()
            .filter(|l| l.account == SNAPSHOT_ACCOUNT && l.snapshot_at.is_some())
            .find_map(|was| {
                after
                    .iter()
                    .position(|now| {
                        now.account == was.account
                            && now.version == was.version
                            && now.snapshot_at.is_none()
                            && now.balance == was.balance
                    })
                    .map(|i| (was.account.as_str(), d + i))
            })
    })
}

/// After [`deleted_snapshots_same_balance`], the learner deposited into that account
/// and its card loaded it again with the deposit.
pub fn deposited_after_deleting(facts: &Facts<'_>) -> bool {
    let Some((account, reloaded)) = deletion_after_snapshot(facts) else {
        return false;
    };
    let deposits: Vec<u64> = facts
        .since_start()
        .filter_map(|r| match &r.event {
            Event::MoneyDeposited(e) if e.account_id.as_str() == account => Some(r.version),
            _ => None,
        })
        .collect();
    let loads = &facts.record.loads[reloaded..];
    let after = loads[0].version;
    deposits
        .iter()
        .any(|&v| v > after && loads.iter().any(|l| l.account == account && l.version >= v))
}

// Stale reads ----------------------------------------------------------------------

/// The learner's plain deposits since the lesson began that the page showed stale:
/// it showed read models behind the deposit while the log held it.
fn stale_deposits<'a>(facts: &Facts<'a>) -> impl Iterator<Item = u64> + 'a {
    let lags = &facts.record.lags;
    facts
        .since_start()
        .filter(|r| plain_deposit(r))
        .map(|r| r.position)
        .filter(move |&p| lags.iter().any(|l| l.shown < p && p <= l.log))
}

/// The learner deposited while delivery was paused: the page showed a statement
/// behind the deposit, a stale read.
pub fn saw_stale_read(facts: &Facts<'_>) -> bool {
    stale_deposits(facts).next().is_some()
}

/// A read of that stale deposit waited (it began behind it) and was answered once
/// the read models reached its position: read-your-writes.
pub fn read_waited_for_write(facts: &Facts<'_>) -> bool {
    let waits = &facts.record.waits;
    stale_deposits(facts).any(|p| waits.iter().any(|w| w.position == p && w.from < p))
}

// At least once ---------------------------------------------------------------------

/// A plain deposit of the learner's was delivered twice to the read models, and they
/// ignored the repeat (deliver-twice was on when it was written).
pub fn ignored_duplicate_deposit(facts: &Facts<'_>) -> bool {
    let duplicates = &facts.record.duplicates;
    facts
        .since_start()
        .any(|r| plain_deposit(r) && duplicates.contains(&r.position))
}
