//! Time travel's view model: the bank as it was after event N of the log (every
//! account, the number of transfers, the total) and what event N changed.
//!
//! The state as of N is a fold of the first N events, O(N). [`TimeFold`] caches the
//! fold: moving forward applies just the events in between; moving backward refolds
//! from the start. The panel keeps one per log and drops it for another log.

use crate::app::ReadModels;
use crate::domain::{AccountId, AccountStatus, Money, TransferId};
use crate::store::Recorded;

/// One account as of event N.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub id: AccountId,
    pub owner: String,
    pub status: AccountStatus,
    pub balance: Money,
    /// Event N changed it.
    pub changed: bool,
}

/// One value event N changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub what: &'static str,
    pub before: String,
    pub after: String,
}

/// What event N is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Account { id: AccountId, owner: String },
    Transfer(TransferId),
}

/// The difference event N made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDiff {
    pub position: u64,
    pub event_type: &'static str,
    pub stream: String,
    pub recorded_at: String,
    pub subject: Option<Subject>,
    pub changes: Vec<Change>,
    /// What happened, in words (the statement line or saga timeline entry).
    pub summary: Option<String>,
    /// The transfer an account movement belongs to.
    pub part_of: Option<TransferId>,
}

/// The bank as of event N.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    pub position: u64,
    pub accounts: Vec<AccountRow>,
    pub transfers: usize,
    pub total: String,
    /// `None` before the first event.
    pub diff: Option<EventDiff>,
}

/// A cached fold of the first `at` events of one log.
pub struct TimeFold {
    at: u64,
    models: ReadModels,
}

impl TimeFold {
    /// The bank as of event `n` of `log` (clamped to its last event), from the fold in
    /// `slot` when it can be moved forward to `n`, else from a fresh fold, which is
    /// left in `slot`. `slot` must hold a fold of this same log, or nothing.
    pub fn snapshot(slot: &mut Option<TimeFold>, log: &ReadModels, n: u64) -> Snapshot {
        Self::try_snapshot(slot, log, n).unwrap_or_default()
    }

    fn try_snapshot(slot: &mut Option<TimeFold>, log: &ReadModels, n: u64) -> Option<Snapshot> {
        let n = n.min(log.last_position);
        let base = n.saturating_sub(1);
        if slot.as_ref().is_none_or(|f| f.at > base) {
            *slot = Some(TimeFold {
                at: base,
                models: log.as_of(base),
            });
        }
        let f = slot.as_mut()?;
        while f.at < base {
            let event = log.audit.get(usize::try_from(f.at).ok()?)?;
            f.models.apply(event);
            f.at += 1;
        }
        if n == 0 {
            return Some(summarize(&f.models, None, None));
        }
        let event = log.audit.get(usize::try_from(base).ok()?)?;
        let before = Side::of(&f.models, event);
        f.models.apply(event);
        f.at = n;
        Some(summarize(&f.models, Some(event), Some(before)))
    }
}

/// What the event's account or transfer looked like on one side of the event.
struct Side {
    account: Option<(AccountStatus, Money)>,
    transfer: Option<&'static str>,
}

impl Side {
    fn of(m: &ReadModels, r: &Recorded) -> Side {
        Side {
            account: r
                .event
                .account_id()
                .and_then(|id| m.accounts.get(id))
                .map(|a| (a.status, a.balance)),
            transfer: TransferId::from_stream(&r.stream)
                .and_then(|id| m.transfers.get(&id))
                .map(|t| t.state.label()),
        }
    }
}

/// The accounts of `m` and, for `event`, what it changed (`before` is how its
/// account or transfer looked before it; `m` is after it).
fn summarize(m: &ReadModels, event: Option<&Recorded>, before: Option<Side>) -> Snapshot {
    let changed_account = event.and_then(|r| r.event.account_id());
    let accounts = m
        .accounts
        .values()
        .map(|a| AccountRow {
            id: a.account_id.clone(),
            owner: a.owner_name.clone(),
            status: a.status,
            balance: a.balance,
            changed: changed_account == Some(&a.account_id),
        })
        .collect();
    let diff = event.zip(before).map(|(r, before)| diff_of(m, r, &before));
    Snapshot {
        position: m.last_position,
        accounts,
        transfers: m.transfers.len(),
        total: m.total_balance().to_string(),
        diff,
    }
}

/// What changed between the two sides of an event, in the order the panel lists it.
fn changes_of(before: &Side, after: &Side) -> Vec<Change> {
    let mut changes = Vec::new();
    match (before.account, after.account) {
        (None, Some((status, balance))) => {
            changes.push(Change {
                what: "Status",
                before: "not opened".to_owned(),
                after: status.to_string(),
            });
            changes.push(Change {
                what: "Balance",
                before: "none".to_owned(),
                after: balance.to_string(),
            });
        }
        (Some((s0, b0)), Some((s1, b1))) => {
            if b0 != b1 {
                changes.push(Change {
                    what: "Balance",
                    before: b0.to_string(),
                    after: b1.to_string(),
                });
            }
            if s0 != s1 {
                changes.push(Change {
                    what: "Status",
                    before: s0.to_string(),
                    after: s1.to_string(),
                });
            }
        }
        _ => {}
    }
    if before.transfer != after.transfer {
        changes.push(Change {
            what: "Transfer",
            before: before.transfer.unwrap_or("not started").to_owned(),
            after: after.transfer.unwrap_or("not started").to_owned(),
        });
    }
    changes
}

fn diff_of(m: &ReadModels, r: &Recorded, before: &Side) -> EventDiff {
    let changes = changes_of(before, &Side::of(m, r));
    let account = r.event.account_id().and_then(|id| m.accounts.get(id));
    let transfer_id = r.event.transfer_id();
    let subject = match (account, TransferId::from_stream(&r.stream)) {
        (Some(a), _) => Some(Subject::Account {
            id: a.account_id.clone(),
            owner: a.owner_name.clone(),
        }),
        (None, Some(t)) => Some(Subject::Transfer(t)),
        (None, None) => None,
    };
    let timeline_summary = transfer_id
        .and_then(|t| m.transfers.get(t))
        .and_then(|t| t.timeline.iter().rev().find(|e| e.position == r.position))
        .map(|e| e.summary.clone());
    let statement_summary = account
        .and_then(|a| a.statement.iter().rev().find(|l| l.position == r.position))
        .map(|l| l.description.clone())
        .filter(|d| !d.is_empty());
    EventDiff {
        position: r.position,
        event_type: r.event_type(),
        stream: r.stream.clone(),
        recorded_at: r.recorded_at.clone(),
        subject,
        changes,
        summary: timeline_summary.or(statement_summary),
        part_of: transfer_id.filter(|_| account.is_some()).cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Bank, Env};
    use crate::domain::account::{DepositMoney, OpenAccount, SuspendAccount};
    use crate::domain::{BankCommand, TransferMoney};
    use crate::store::MemoryStore;
    use futures::executor::block_on;

    fn id(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    fn money(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn run(bank: &Bank<MemoryStore>, command: BankCommand) {
        block_on(bank.execute(command)).unwrap();
    }

    /// Given Ann opened with 100.00 (event 1), Ben with 5.00 (event 2), a deposit of
    /// 10.00 to Ann "pay" (event 3), Ben suspended (event 4), and a transfer `t` of
    /// 30.00 from Ann to Ben, run to its end (events 5 on).
    fn given() -> ReadModels {
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("v"))).unwrap();
        for (account, owner, balance) in [("ann", "Ann", "100.00"), ("ben", "Ben", "5.00")] {
            run(
                &bank,
                BankCommand::OpenAccount(OpenAccount {
                    account_id: id(account),
                    owner_name: owner.into(),
                    initial_balance: money(balance),
                }),
            );
        }
        run(
            &bank,
            BankCommand::DepositMoney(DepositMoney {
                account_id: id("ann"),
                amount: money("10.00"),
                description: "pay".into(),
                transfer_id: None,
            }),
        );
        run(
            &bank,
            BankCommand::SuspendAccount(SuspendAccount {
                account_id: id("ben"),
                reason: "check".into(),
            }),
        );
        run(
            &bank,
            BankCommand::TransferMoney(TransferMoney {
                transfer_id: TransferId::parse("t").unwrap(),
                from_account_id: id("ann"),
                to_account_id: id("ben"),
                amount: money("30.00"),
                description: String::new(),
            }),
        );
        bank.read(Clone::clone)
    }

    fn at(log: &ReadModels, n: u64) -> Snapshot {
        TimeFold::snapshot(&mut None, log, n)
    }

    fn change(what: &'static str, before: &str, after: &str) -> Change {
        Change {
            what,
            before: before.into(),
            after: after.into(),
        }
    }

    #[test]
    fn before_the_first_event_there_is_nothing_and_no_diff() {
        let log = given();
        let s = at(&log, 0);
        assert_eq!(s.position, 0);
        assert!(s.accounts.is_empty());
        assert_eq!(s.transfers, 0);
        assert_eq!(s.total, "0");
        assert_eq!(s.diff, None);
    }

    #[test]
    fn an_opening_shows_the_account_appear_with_its_status_and_balance() {
        let log = given();
        let s = at(&log, 1);
        assert_eq!(s.position, 1);
        assert_eq!(s.accounts.len(), 1);
        assert!(s.accounts[0].changed);
        assert_eq!(s.accounts[0].balance, money("100.00"));
        let d = s.diff.unwrap();
        assert_eq!(d.event_type, "AccountOpened");
        assert_eq!(
            d.subject,
            Some(Subject::Account {
                id: id("ann"),
                owner: "Ann".into()
            })
        );
        assert_eq!(
            d.changes,
            vec![
                change("Status", "not opened", "active"),
                change("Balance", "none", "100.00"),
            ]
        );
    }

    #[test]
    fn a_deposit_changes_only_the_balance_and_marks_only_its_account() {
        let log = given();
        let s = at(&log, 3);
        let changed: Vec<_> = s.accounts.iter().map(|a| a.changed).collect();
        assert_eq!(changed, vec![true, false]);
        let d = s.diff.unwrap();
        assert_eq!(d.changes, vec![change("Balance", "100.00", "110.00")]);
        assert_eq!(d.summary.as_deref(), Some("pay"));
        assert_eq!(d.part_of, None);
        assert_eq!(s.total, "115.00");
    }

    #[test]
    fn a_suspension_changes_only_the_status() {
        let log = given();
        let d = at(&log, 4).diff.unwrap();
        assert_eq!(d.changes, vec![change("Status", "active", "suspended")]);
    }

    #[test]
    fn a_transfer_event_has_the_transfer_as_subject_and_its_state_change() {
        let log = given();
        let d = at(&log, 5).diff.unwrap();
        assert_eq!(
            d.subject,
            Some(Subject::Transfer(TransferId::parse("t").unwrap()))
        );
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].what, "Transfer");
        assert_eq!(d.changes[0].before, "not started");
        assert!(d.summary.is_some());
        assert_eq!(at(&log, 5).transfers, 1);
    }

    #[test]
    fn a_leg_on_an_account_is_part_of_its_transfer() {
        let log = given();
        let legs: Vec<_> = (1..=log.last_position)
            .filter_map(|n| at(&log, n).diff)
            .filter(|d| d.part_of.is_some())
            .collect();
        assert!(!legs.is_empty());
        for d in legs {
            assert_eq!(d.part_of, Some(TransferId::parse("t").unwrap()));
            assert!(matches!(d.subject, Some(Subject::Account { .. })));
        }
    }

    #[test]
    fn a_position_past_the_end_shows_the_last_event() {
        let log = given();
        assert_eq!(
            at(&log, log.last_position + 10),
            at(&log, log.last_position)
        );
        assert_eq!(at(&log, 999).position, log.last_position);
    }

    #[test]
    fn moving_the_cached_fold_forward_and_back_matches_a_fresh_fold_everywhere() {
        let log = given();
        let mut slot = None;
        let last = log.last_position;
        let walk: Vec<u64> = (0..=last)
            .chain((0..=last).rev())
            .chain([2, last, 0, 3])
            .collect();
        for n in walk {
            assert_eq!(
                TimeFold::snapshot(&mut slot, &log, n),
                at(&log, n),
                "at {n}"
            );
        }
    }
}
