//! The money beside a saga: each of a transfer's two accounts at the saga's latest
//! step on it (the debit, the credit, the refund; before any, the transfer's start),
//! what that step did to its balance, and, apart and labelled, the account now when it
//! has moved on since. Stepping a transfer then shows the money leave one account and
//! arrive in (or return to) the other; an old transfer never shows today's balance as
//! if the saga had left it there. Every figure names the event it stands after, the
//! numbering time travel uses.

use crate::app::projections::{ReadModels, StatementLine, TimelineKind, TransferView};
use crate::domain::{AccountId, AccountStatus, Money, SagaStep, TransferId};

/// What one leg did to its account's balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegMoney {
    pub step: SagaStep,
    /// The global position of the leg's account event.
    pub position: u64,
    pub account_id: AccountId,
    pub before: Money,
    pub after: Money,
}

/// An account as it stood after one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// The global position of the event it stands after.
    pub position: u64,
    pub balance: Money,
    pub status: AccountStatus,
}

/// One of the transfer's accounts beside the saga.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountMoney {
    pub account_id: AccountId,
    /// The owner, or `None` when there is no such account (a transfer may name one:
    /// its credit is then refused).
    pub owner: Option<String>,
    /// The saga's latest leg on this account, if the saga has moved it.
    pub leg: Option<LegMoney>,
    /// The account after that leg, or at the transfer's start before any (`position`
    /// is then the start's); `None` when the account did not exist then.
    pub then: Option<Standing>,
    /// The account now, when it has moved on since `then` (later events of its own).
    pub now: Option<Standing>,
    /// The saga has ended: a leg not run now never will be.
    pub saga_ended: bool,
}

impl AccountMoney {
    /// The moment the balance is shown at, with its event: "after the debit, #12",
    /// "at the transfer's start, #3".
    #[must_use]
    pub fn moment(&self) -> String {
        match (&self.leg, &self.then) {
            (Some(leg), _) => format!("after the {}, #{}", leg.step, leg.position),
            (None, Some(then)) => format!("at the transfer's start, #{}", then.position),
            (None, None) => "at the transfer's start".to_owned(),
        }
    }

    /// What the saga did to this account, in words.
    #[must_use]
    pub fn change(&self) -> String {
        match (&self.leg, self.saga_ended) {
            (Some(leg), _) => format!("{} → {}", leg.before, leg.after),
            (None, false) => "not moved yet".to_owned(),
            (None, true) => "not moved by this transfer".to_owned(),
        }
    }

    /// The account now, in words, when it has moved on since the moment shown:
    /// "now, after #14: 850.00" (with its status when that changed too).
    #[must_use]
    pub fn now_words(&self) -> Option<String> {
        let now = self.now?;
        let status = match self.then {
            Some(then) if then.status == now.status => String::new(),
            _ => format!(", {}", now.status),
        };
        Some(format!(
            "now, after #{}: {}{status}",
            now.position, now.balance
        ))
    }
}

/// The money of one transfer's saga.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaMoney {
    pub from: AccountMoney,
    pub to: AccountMoney,
    /// The legs run so far, in the order they ran.
    pub legs: Vec<LegMoney>,
}

impl SagaMoney {
    /// The money of transfer `id`, or `None` if there is no such transfer.
    #[must_use]
    pub fn of(models: &ReadModels, id: &TransferId) -> Option<SagaMoney> {
        let transfer = models.transfers.get(id)?;
        let legs: Vec<LegMoney> = transfer
            .timeline
            .iter()
            .filter_map(|entry| {
                let TimelineKind::Leg(step) = entry.kind else {
                    return None;
                };
                leg_money(models, transfer, step, entry.position)
            })
            .collect();
        let start = transfer.timeline.first().map_or(0, |e| e.position);
        let account = |account_id: &AccountId| {
            let leg = legs
                .iter()
                .rev()
                .find(|leg| &leg.account_id == account_id)
                .cloned();
            account_money(models, transfer, account_id, leg, start)
        };
        Some(SagaMoney {
            from: account(&transfer.from_account_id),
            to: account(&transfer.to_account_id),
            legs,
        })
    }

    /// What the leg written at `position` did, if it was a leg.
    #[must_use]
    pub fn leg_at(&self, position: u64) -> Option<&LegMoney> {
        self.legs.iter().find(|leg| leg.position == position)
    }
}

/// What the `step` leg written at `position` did to its account.
fn leg_money(
    models: &ReadModels,
    transfer: &TransferView,
    step: SagaStep,
    position: u64,
) -> Option<LegMoney> {
    let account_id = match step {
        SagaStep::Credit => &transfer.to_account_id,
        SagaStep::Debit | SagaStep::Refund => &transfer.from_account_id,
    };
    let statement = &models.accounts.get(account_id)?.statement;
    let at = statement
        .binary_search_by_key(&position, |line| line.position)
        .ok()?;
    let line = &statement[at];
    Some(LegMoney {
        step,
        position,
        account_id: account_id.clone(),
        before: line.balance_after.checked_sub(line.amount)?,
        after: line.balance_after,
    })
}

/// `account_id` after the saga's `leg` on it, or at the transfer's `start` before any,
/// and now if it has moved on since.
fn account_money(
    models: &ReadModels,
    transfer: &TransferView,
    account_id: &AccountId,
    leg: Option<LegMoney>,
    start: u64,
) -> AccountMoney {
    let account = models.accounts.get(account_id);
    let statement = account.map_or(&[][..], |a| a.statement.as_slice());
    let at = leg.as_ref().map_or(start, |leg| leg.position);
    let then = standing_at(statement, at).map(|(balance, status)| Standing {
        position: at,
        balance,
        status,
    });
    let now = account
        .zip(statement.last())
        .filter(|(_, last)| last.position > at)
        .map(|(a, last)| Standing {
            position: last.position,
            balance: a.balance,
            status: a.status,
        });
    AccountMoney {
        account_id: account_id.clone(),
        owner: account.map(|a| a.owner_name.clone()),
        leg,
        then,
        now,
        saga_ended: transfer.state.is_terminal(),
    }
}

/// The balance and status an account with `statement` had after event `at`, or
/// `None` if it was not opened by then.
fn standing_at(statement: &[StatementLine], at: u64) -> Option<(Money, AccountStatus)> {
    let upto = statement.partition_point(|line| line.position <= at);
    let lines = &statement[..upto];
    let last = lines.last()?;
    Some((last.balance_after, last.status_after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::scenario_catalog;
    use crate::app::{Bank, Env, FaultPlan};
    use crate::domain::account::{DepositMoney, OpenAccount};
    use crate::domain::{BankCommand, RunMode, TransferMoney};
    use crate::store::MemoryStore;
    use futures::executor::block_on;

    fn id(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    fn money(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn deposit(bank: &Bank<MemoryStore>, account: &str, amount: &str) {
        block_on(bank.execute(BankCommand::DepositMoney(DepositMoney {
            account_id: id(account),
            amount: money(amount),
            description: String::new(),
            transfer_id: None,
        })))
        .unwrap();
    }

    /// Given Ann with 100.00 and Ben with 5.00 (events 1 and 2), and a transfer `t`
    /// of 30.00 from Ann to `to`, started by hand (event 3).
    fn given(to: &str) -> Bank<MemoryStore> {
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("v"))).unwrap();
        for (account, owner, balance) in [("ann", "Ann", "100.00"), ("ben", "Ben", "5.00")] {
            block_on(bank.execute(BankCommand::OpenAccount(OpenAccount {
                account_id: id(account),
                owner_name: owner.into(),
                initial_balance: money(balance),
            })))
            .unwrap();
        }
        let command = TransferMoney {
            transfer_id: TransferId::parse("t").unwrap(),
            from_account_id: id("ann"),
            to_account_id: id(to),
            amount: money("30.00"),
            description: String::new(),
        };
        block_on(bank.start_transfer_with(command, FaultPlan::default(), RunMode::Step)).unwrap();
        bank
    }

    fn money_of(bank: &Bank<MemoryStore>, transfer: &str) -> SagaMoney {
        bank.read(|m| SagaMoney::of(m, &TransferId::parse(transfer).unwrap()))
            .unwrap()
    }

    fn step(bank: &Bank<MemoryStore>) {
        block_on(bank.step(&TransferId::parse("t").unwrap())).unwrap();
    }

    /// What a card of the strip says: the moment, the balance then, the change, now.
    fn card(a: &AccountMoney) -> (String, Option<Money>, String, Option<String>) {
        (
            a.moment(),
            a.then.map(|t| t.balance),
            a.change(),
            a.now_words(),
        )
    }

    #[test]
    fn before_any_step_both_accounts_show_their_balance_at_the_start_and_no_leg_ran() {
        let bank = given("ben");
        let m = money_of(&bank, "t");
        assert_eq!(m.from.owner.as_deref(), Some("Ann"));
        assert_eq!(
            card(&m.from),
            (
                "at the transfer's start, #3".into(),
                Some(money("100.00")),
                "not moved yet".into(),
                None
            )
        );
        assert_eq!(m.to.then.map(|t| t.balance), Some(money("5.00")));
        assert_eq!(m.to.then.map(|t| t.status), Some(AccountStatus::Active));
        assert!(m.legs.is_empty());
    }

    #[test]
    fn each_leg_shows_its_account_before_and_after() {
        let bank = given("ben");
        step(&bank);
        step(&bank);
        let m = money_of(&bank, "t");
        let legs: Vec<_> = m
            .legs
            .iter()
            .map(|l| (l.step, l.account_id.to_string(), l.before, l.after))
            .collect();
        assert_eq!(
            legs,
            [
                (
                    SagaStep::Debit,
                    "ann".into(),
                    money("100.00"),
                    money("70.00")
                ),
                (
                    SagaStep::Credit,
                    "ben".into(),
                    money("5.00"),
                    money("35.00")
                ),
            ]
        );
        assert_eq!(
            card(&m.from),
            (
                "after the debit, #4".into(),
                Some(money("70.00")),
                "100.00 → 70.00".into(),
                None
            )
        );
        assert_eq!(m.to.moment(), "after the credit, #6");
        assert_eq!(m.to.then.map(|t| t.balance), Some(money("35.00")));
        let first = m.legs[0].position;
        assert_eq!(m.leg_at(first).map(|l| l.step), Some(SagaStep::Debit));
        assert_eq!(m.leg_at(first + 100), None);
    }

    /// The defect of issue 25: seed demo, deposit 100 into alice-123, open
    /// transfer-789. The strip showed today's 850.00 beside "1000.00 → 750.00".
    #[test]
    fn an_account_moved_on_since_the_saga_shows_its_balance_then_and_now_apart() {
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("v"))).unwrap();
        let seed = scenario_catalog::find("seed-demo").unwrap();
        block_on(scenario_catalog::prepare(&bank, seed)).unwrap();
        deposit(&bank, "alice-123", "100.00");
        let last = bank.read(|m| m.last_position);
        let m = money_of(&bank, "transfer-789");
        let (moment, then, change, now) = card(&m.from);
        assert!(moment.starts_with("after the debit, #"), "{moment}");
        assert_eq!(then, Some(money("750.00")), "the balance the debit left");
        assert_eq!(change, "1000.00 → 750.00");
        assert_eq!(now, Some(format!("now, after #{last}: 850.00")));
        assert_eq!(m.to.then.map(|t| t.balance), Some(money("750.00")));
        assert_eq!(
            m.to.now_words(),
            None,
            "bob-456 has not moved since the credit"
        );
    }

    #[test]
    fn a_refund_returns_the_money_to_the_source_and_a_missing_destination_is_said() {
        let bank = given("nobody");
        for _ in 0..3 {
            step(&bank);
        }
        let m = money_of(&bank, "t");
        assert_eq!(m.to.owner, None, "there is no account nobody");
        assert_eq!(m.to.then, None);
        assert_eq!(
            m.to.change(),
            "not moved by this transfer",
            "the saga has ended"
        );
        let legs: Vec<_> = m.legs.iter().map(|l| (l.step, l.before, l.after)).collect();
        assert_eq!(
            legs,
            [
                (SagaStep::Debit, money("100.00"), money("70.00")),
                (SagaStep::Refund, money("70.00"), money("100.00")),
            ]
        );
        assert_eq!(
            m.from.moment(),
            format!("after the refund, #{}", m.legs[1].position)
        );
        assert_eq!(m.from.then.map(|t| t.balance), Some(money("100.00")));
    }

    #[test]
    fn a_status_changed_since_is_said_with_the_balance_now() {
        let bank = given("ben");
        block_on(bank.execute(BankCommand::SuspendAccount(
            crate::domain::account::SuspendAccount {
                account_id: id("ben"),
                reason: String::new(),
            },
        )))
        .unwrap();
        let m = money_of(&bank, "t");
        assert_eq!(m.to.then.map(|t| t.status), Some(AccountStatus::Active));
        assert_eq!(
            m.to.now_words().as_deref(),
            Some("now, after #4: 5.00, suspended")
        );
    }

    #[test]
    fn an_unknown_transfer_has_no_money_view() {
        let bank = given("ben");
        assert!(bank
            .read(|m| SagaMoney::of(m, &TransferId::parse("other").unwrap()))
            .is_none());
    }
}
