//! The operator's fix of a transfer that needs attention (its refund was refused):
//! what the page offers a person. The accounts the refund can go into (the owner's
//! active accounts, the source first if it is active again, never the destination),
//! and what the money is doing meanwhile, in words. Pure: from the read models.

use crate::app::projections::ReadModels;
use crate::domain::{AccountId, AccountStatus, Money, TransferId, TransferState};

/// The fix a person can make to one transfer that needs attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorFix {
    pub transfer_id: TransferId,
    pub source: AccountId,
    pub owner: String,
    pub amount: Money,
    /// The accounts the refund can go into, the source first when it is active.
    pub choices: Vec<AccountId>,
    /// Where the money is, and what the fix does, in words.
    pub words: Vec<String>,
}

impl OperatorFix {
    /// The fix for transfer `id`, if it needs attention.
    #[must_use]
    pub fn of(models: &ReadModels, id: &TransferId) -> Option<OperatorFix> {
        let t = models.transfers.get(id)?;
        if !matches!(t.state, TransferState::CompensationFailed { .. }) {
            return None;
        }
        let source = models.accounts.get(&t.from_account_id)?;
        let owner = source.owner_name.clone();
        let mut choices: Vec<AccountId> = models
            .accounts
            .values()
            .filter(|a| a.owner_name == owner && a.status == AccountStatus::Active)
            .filter(|a| a.account_id != t.to_account_id)
            .map(|a| a.account_id.clone())
            .collect();
        // The source first: a refund back where the money came from is the plain fix.
        choices.sort_by_key(|a| *a != t.from_account_id);
        let mut words = vec![format!(
            "{} left {} and is in no account now: the refund was refused ({} is {}).",
            t.amount, t.from_account_id, t.from_account_id, source.status
        )];
        words.push(if choices.is_empty() {
            format!(
                "{owner} has no active account to take it: reactivate {} if it is suspended, or open another account for {owner}; then retry the refund here.",
                t.from_account_id
            )
        } else {
            "Retrying the refund writes TransferRefundRetried with your reason; the saga's refund step then pays the account you choose.".to_owned()
        });
        Some(OperatorFix {
            transfer_id: id.clone(),
            source: t.from_account_id.clone(),
            owner,
            amount: t.amount,
            choices,
            words,
        })
    }
}

/// The fix as typed: the account chosen and the reason, checked before it is sent so
/// that bad input gets its message beside the form and nothing typed is lost.
///
/// # Errors
/// No account chosen, or no reason given (spaces alone are none), in words.
pub fn fix_draft(choice: &str, reason: &str) -> Result<(AccountId, String), String> {
    let account =
        AccountId::parse(choice).map_err(|_| "Choose the account the refund goes into.")?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(
            "Give a reason: the log keeps it with the fix, e.g. Source closed; refund to savings."
                .into(),
        );
    }
    Ok((account, reason.to_owned()))
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;
    use crate::app::scenario_catalog::{find, prepare};
    use crate::app::{Bank, Env};
    use crate::domain::account::ReactivateAccount;
    use crate::domain::BankCommand;
    use crate::store::MemoryStore;

    fn needing_attention() -> (Bank<MemoryStore>, TransferId) {
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("o"))).unwrap();
        let id = block_on(prepare(&bank, find("needs-attention").unwrap()))
            .unwrap()
            .unwrap();
        block_on(bank.run_transfer(&id)).unwrap();
        (bank, id)
    }

    fn acct(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    #[test]
    fn the_fix_offers_the_owners_active_accounts_and_says_where_the_money_is() {
        let (bank, id) = needing_attention();
        let fix = bank.read(|m| OperatorFix::of(m, &id)).unwrap();
        assert_eq!(
            fix.choices,
            [acct("alice-savings")],
            "alice is closed, carol is not hers"
        );
        assert_eq!(fix.owner, "Alice");
        assert_eq!(
            fix.words[0],
            "40.00 left alice and is in no account now: the refund was refused (alice is closed)."
        );
        block_on(bank.retry_refund(&id, &acct("alice-savings"), "closed")).unwrap();
        assert_eq!(
            bank.read(|m| OperatorFix::of(m, &id)),
            None,
            "fixed: nothing to offer"
        );
    }

    #[test]
    fn a_suspended_source_is_offered_first_once_reactivated_and_no_choice_is_said() {
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("o"))).unwrap();
        let commands = crate::app::scenario::parse(
            r#"[{"type": "OpenAccount", "account_id": "zed", "owner_name": "Zed", "initial_balance": "5.00"},
                {"type": "OpenAccount", "account_id": "b", "owner_name": "B", "initial_balance": "0.00"},
                {"type": "CloseAccount", "account_id": "b"}]"#,
        )
        .unwrap();
        block_on(crate::app::scenario::run(&bank, commands));
        let t = crate::domain::TransferMoney {
            transfer_id: TransferId::parse("t9").unwrap(),
            from_account_id: acct("zed"),
            to_account_id: acct("b"),
            amount: Money::parse("5.00").unwrap(),
            description: String::new(),
        };
        let id = t.transfer_id.clone();
        block_on(bank.start_transfer(t)).unwrap();
        block_on(bank.step(&id)).unwrap();
        let suspend = crate::domain::account::SuspendAccount {
            account_id: acct("zed"),
            reason: String::new(),
        };
        block_on(bank.execute(BankCommand::SuspendAccount(suspend))).unwrap();
        block_on(bank.run_transfer(&id)).unwrap();
        let fix = bank.read(|m| OperatorFix::of(m, &id)).unwrap();
        assert!(fix.choices.is_empty());
        assert_eq!(fix.words[1], "Zed has no active account to take it: reactivate zed if it is suspended, or open another account for Zed; then retry the refund here.");
        let reactivate = ReactivateAccount {
            account_id: acct("zed"),
        };
        block_on(bank.execute(BankCommand::ReactivateAccount(reactivate))).unwrap();
        let fix = bank.read(|m| OperatorFix::of(m, &id)).unwrap();
        assert_eq!(fix.choices, [acct("zed")]);
    }

    #[test]
    fn a_fix_without_a_reason_or_an_account_is_refused_in_words() {
        let blank = fix_draft("alice-savings", "   ").unwrap_err();
        assert!(blank.starts_with("Give a reason"), "{blank}");
        assert_eq!(
            fix_draft("", "closed").unwrap_err(),
            "Choose the account the refund goes into."
        );
        assert_eq!(
            fix_draft("alice-savings", "  closed "),
            Ok((acct("alice-savings"), "closed".to_owned()))
        );
    }
}
