//! The money beside a saga: the balances of a transfer's two accounts now, and for
//! each leg the saga ran, the balance of its account before and after. Stepping a
//! transfer then shows the money leave one account and arrive in (or return to) the
//! other, without looking elsewhere.

use crate::app::projections::{ReadModels, TimelineKind};
use crate::domain::{AccountId, AccountStatus, Money, SagaStep, TransferId};

/// One of the transfer's accounts, as it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountNow {
    pub account_id: AccountId,
    /// The account's owner and balance, or `None` when there is no such account (a
    /// transfer may name one: its credit is then refused).
    pub known: Option<(String, Money, AccountStatus)>,
}

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

/// The money of one transfer's saga.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaMoney {
    pub from: AccountNow,
    pub to: AccountNow,
    /// The legs run so far, in the order they ran.
    pub legs: Vec<LegMoney>,
}

impl SagaMoney {
    /// The money of transfer `id`, or `None` if there is no such transfer.
    #[must_use]
    pub fn of(models: &ReadModels, id: &TransferId) -> Option<SagaMoney> {
        let transfer = models.transfers.get(id)?;
        let now = |account_id: &AccountId| AccountNow {
            account_id: account_id.clone(),
            known: models
                .accounts
                .get(account_id)
                .map(|a| (a.owner_name.clone(), a.balance, a.status)),
        };
        let legs = transfer
            .timeline
            .iter()
            .filter_map(|entry| {
                let TimelineKind::Leg(step) = entry.kind else {
                    return None;
                };
                let account_id = match step {
                    SagaStep::Credit => &transfer.to_account_id,
                    SagaStep::Debit | SagaStep::Refund => &transfer.from_account_id,
                };
                let statement = &models.accounts.get(account_id)?.statement;
                let at = statement
                    .binary_search_by_key(&entry.position, |line| line.position)
                    .ok()?;
                let line = &statement[at];
                Some(LegMoney {
                    step,
                    position: entry.position,
                    account_id: account_id.clone(),
                    before: line.balance_after.checked_sub(line.amount)?,
                    after: line.balance_after,
                })
            })
            .collect();
        Some(SagaMoney {
            from: now(&transfer.from_account_id),
            to: now(&transfer.to_account_id),
            legs,
        })
    }

    /// What the leg written at `position` did, if it was a leg.
    #[must_use]
    pub fn leg_at(&self, position: u64) -> Option<&LegMoney> {
        self.legs.iter().find(|leg| leg.position == position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Bank, Env, FaultPlan};
    use crate::domain::account::OpenAccount;
    use crate::domain::{BankCommand, RunMode, TransferMoney};
    use crate::store::MemoryStore;
    use futures::executor::block_on;

    fn id(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    fn money(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    /// Given Ann with 100.00 and Ben with 5.00, and a transfer `t` of 30.00 from Ann
    /// to `to`, started by hand.
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

    fn money_of(bank: &Bank<MemoryStore>) -> SagaMoney {
        bank.read(|m| SagaMoney::of(m, &TransferId::parse("t").unwrap()))
            .unwrap()
    }

    fn step(bank: &Bank<MemoryStore>) {
        block_on(bank.step(&TransferId::parse("t").unwrap())).unwrap();
    }

    #[test]
    fn before_any_step_both_accounts_show_their_balance_and_no_leg_ran() {
        let bank = given("ben");
        let m = money_of(&bank);
        assert_eq!(
            m.from.known,
            Some(("Ann".into(), money("100.00"), AccountStatus::Active))
        );
        assert_eq!(
            m.to.known,
            Some(("Ben".into(), money("5.00"), AccountStatus::Active))
        );
        assert!(m.legs.is_empty());
    }

    #[test]
    fn each_leg_shows_its_account_before_and_after() {
        let bank = given("ben");
        step(&bank);
        step(&bank);
        let m = money_of(&bank);
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
        assert_eq!(m.from.known.as_ref().map(|k| k.1), Some(money("70.00")));
        assert_eq!(m.to.known.as_ref().map(|k| k.1), Some(money("35.00")));
        let first = m.legs[0].position;
        assert_eq!(m.leg_at(first).map(|l| l.step), Some(SagaStep::Debit));
        assert_eq!(m.leg_at(first + 100), None);
    }

    #[test]
    fn a_refund_returns_the_money_to_the_source_and_a_missing_destination_is_said() {
        let bank = given("nobody");
        for _ in 0..3 {
            step(&bank);
        }
        let m = money_of(&bank);
        assert_eq!(m.to.known, None, "there is no account nobody");
        let legs: Vec<_> = m.legs.iter().map(|l| (l.step, l.before, l.after)).collect();
        assert_eq!(
            legs,
            [
                (SagaStep::Debit, money("100.00"), money("70.00")),
                (SagaStep::Refund, money("70.00"), money("100.00")),
            ]
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
