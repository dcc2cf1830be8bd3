//! The account read models as of the selected event, or now: the balance and status
//! an account had after event N (from its statement, which carries both after each
//! line), the statement lines up to N, and the words that say which moment is shown,
//! the same in every view ("now", "as of #N").

use crate::app::projections::{AccountView, StatementLine};
use crate::domain::{AccountStatus, Money};

/// Which moment a view shows: "now", or "as of #N" while event N is selected.
#[must_use]
pub fn when(selected: Option<u64>) -> String {
    selected.map_or_else(|| "now".to_owned(), |n| format!("as of #{n}"))
}

/// An account's balance and status at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountAt {
    pub balance: Money,
    pub status: AccountStatus,
}

/// `account` as of event `selected` (now when `None`); `None` when it was not opened
/// yet then.
#[must_use]
pub fn account_at(account: &AccountView, selected: Option<u64>) -> Option<AccountAt> {
    let Some(n) = selected else {
        return Some(AccountAt {
            balance: account.balance,
            status: account.status,
        });
    };
    lines_at(&account.statement, Some(n))
        .last()
        .map(|l| AccountAt {
            balance: l.balance_after,
            status: l.status_after,
        })
}

/// The statement lines written up to event `selected` (all of them when `None`).
#[must_use]
pub fn lines_at(statement: &[StatementLine], selected: Option<u64>) -> &[StatementLine] {
    let n = selected.unwrap_or(u64::MAX);
    &statement[..statement.partition_point(|l| l.position <= n)]
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;
    use crate::app::{scenario, Bank, Env};
    use crate::domain::AccountId;
    use crate::store::MemoryStore;

    #[test]
    fn an_account_as_of_an_event_and_now() {
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("a"))).unwrap();
        let seed = include_str!("../../../scenarios/seed-demo.json");
        block_on(scenario::run(&bank, scenario::parse(seed).unwrap()));
        let models = bank.models();
        let alice = &models.accounts[&AccountId::parse("alice-123").unwrap()];
        let bob = &models.accounts[&AccountId::parse("bob-456").unwrap()];
        let money = |s: &str| Money::parse(s).unwrap();
        assert_eq!(account_at(alice, None).unwrap().balance, money("750.00"));
        assert_eq!(
            account_at(alice, Some(2)).unwrap().balance,
            money("1000.00")
        );
        assert_eq!(
            account_at(alice, Some(2)).unwrap().status,
            AccountStatus::Active
        );
        // bob-456 was opened by event 2: at event 1 there was no bob.
        assert_eq!(account_at(bob, Some(1)), None);
        assert_eq!(lines_at(&alice.statement, Some(2)).len(), 1);
        assert_eq!(
            lines_at(&alice.statement, None).len(),
            alice.statement.len()
        );
        assert_eq!(when(None), "now");
        assert_eq!(when(Some(7)), "as of #7");
    }
}
