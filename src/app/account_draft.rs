//! The account forms' drafts: the fields as typed, read into the command to send and
//! the sentence to announce once it is stored, with a message naming the field at
//! fault when they do not read. Plain Rust, tested natively; the forms only hold the
//! text and send what this returns.

use crate::domain::account::{
    CloseAccount, DepositMoney, OpenAccount, ReactivateAccount, SuspendAccount, WithdrawMoney,
};
use crate::domain::{AccountId, AccountStatus, BankCommand, Money};

/// Reads an amount field, naming the field in the error.
///
/// # Errors
/// The text is not an amount of money.
pub fn parse_amount(field: &str, text: &str) -> Result<Money, String> {
    Money::parse(text).map_err(|e| format!("{field}: {e}"))
}

/// Reads an account id field, naming the field in the error.
///
/// # Errors
/// The text is not an account id.
pub fn parse_account(field: &str, text: &str) -> Result<AccountId, String> {
    AccountId::parse(text).map_err(|e| format!("{field}: {e}"))
}

/// The open-account form's command.
///
/// # Errors
/// The id or the initial balance does not read.
pub fn open_account(id: &str, owner: &str, initial: &str) -> Result<OpenAccount, String> {
    Ok(OpenAccount {
        account_id: parse_account("Account id", id)?,
        owner_name: owner.to_owned(),
        initial_balance: parse_amount("Initial balance", initial)?,
    })
}

/// Which way money moves on one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyMove {
    Deposit,
    Withdraw,
}

/// A deposit or withdrawal on `account`, and what to announce once it is stored.
///
/// # Errors
/// The amount does not read.
pub fn money_command(
    account: &AccountId,
    way: MoneyMove,
    amount: &str,
    description: &str,
) -> Result<(BankCommand, String), String> {
    let amount = parse_amount("Amount", amount)?;
    let account_id = account.clone();
    let description = description.to_owned();
    Ok(match way {
        MoneyMove::Deposit => (
            BankCommand::DepositMoney(DepositMoney {
                account_id,
                amount,
                description,
                transfer_id: None,
            }),
            format!("{amount} deposited into {account}"),
        ),
        MoneyMove::Withdraw => (
            BankCommand::WithdrawMoney(WithdrawMoney {
                account_id,
                amount,
                description,
                transfer_id: None,
            }),
            format!("{amount} withdrawn from {account}"),
        ),
    })
}

/// A change of an account's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Suspend,
    Reactivate,
    Close,
}

/// The command for `change` on `account` (the reason counts for a suspension only),
/// and what to announce once it is stored.
#[must_use]
pub fn status_command(
    account: &AccountId,
    change: StatusChange,
    reason: &str,
) -> (BankCommand, String) {
    let account_id = account.clone();
    match change {
        StatusChange::Suspend => (
            BankCommand::SuspendAccount(SuspendAccount {
                account_id,
                reason: reason.to_owned(),
            }),
            format!("{account} suspended"),
        ),
        StatusChange::Reactivate => (
            BankCommand::ReactivateAccount(ReactivateAccount { account_id }),
            format!("{account} reactivated"),
        ),
        StatusChange::Close => (
            BankCommand::CloseAccount(CloseAccount { account_id }),
            format!("{account} closed"),
        ),
    }
}

/// What the rules allow an account in `status`: every button stays on the page, so
/// the rules can be tried and their refusals read, but nobody has to guess.
#[must_use]
pub fn status_hint(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Active => {
            "Active: it takes deposits and withdrawals; it can be suspended, or closed once at 0.00."
        }
        AccountStatus::Suspended => {
            "Suspended: deposits, withdrawals and closing are refused until it is reactivated."
        }
        AccountStatus::Closed => "Closed for good: every command on it is refused.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann() -> AccountId {
        AccountId::parse("ann").unwrap()
    }

    #[test]
    fn a_deposit_reads_its_amount_and_says_where_the_money_went() {
        let (command, said) = money_command(&ann(), MoneyMove::Deposit, "25", "salary").unwrap();
        assert_eq!(said, "25.00 deposited into ann");
        match command {
            BankCommand::DepositMoney(d) => {
                assert_eq!(d.amount, Money::parse("25.00").unwrap());
                assert_eq!(d.description, "salary");
                assert_eq!(
                    d.transfer_id, None,
                    "a deposit by hand belongs to no transfer"
                );
            }
            other => panic!("expected a deposit, got {other:?}"),
        }
        let (command, said) = money_command(&ann(), MoneyMove::Withdraw, "0.10", "").unwrap();
        assert!(matches!(command, BankCommand::WithdrawMoney(_)));
        assert_eq!(said, "0.10 withdrawn from ann");
    }

    #[test]
    fn an_amount_that_does_not_read_names_the_field() {
        for bad in ["", "abc", "1.001", "1,5"] {
            let error = money_command(&ann(), MoneyMove::Deposit, bad, "").unwrap_err();
            assert!(error.starts_with("Amount: "), "{bad:?}: {error}");
        }
    }

    #[test]
    fn opening_names_the_field_at_fault() {
        let open = open_account("ann", "Ann", "10.00").unwrap();
        assert_eq!(open.account_id, ann());
        assert!(open_account(" ", "Ann", "10.00")
            .unwrap_err()
            .starts_with("Account id: "));
        assert!(open_account("ann", "Ann", "ten")
            .unwrap_err()
            .starts_with("Initial balance: "));
    }

    #[test]
    fn a_status_change_carries_its_reason_only_when_suspending() {
        let (command, said) = status_command(&ann(), StatusChange::Suspend, "fraud check");
        assert_eq!(said, "ann suspended");
        match command {
            BankCommand::SuspendAccount(s) => assert_eq!(s.reason, "fraud check"),
            other => panic!("expected a suspension, got {other:?}"),
        }
        let (command, said) = status_command(&ann(), StatusChange::Close, "ignored");
        assert!(matches!(command, BankCommand::CloseAccount(_)));
        assert_eq!(said, "ann closed");
        let (command, _) = status_command(&ann(), StatusChange::Reactivate, "");
        assert!(matches!(command, BankCommand::ReactivateAccount(_)));
    }

    #[test]
    fn each_status_has_its_own_hint() {
        let hints = [
            AccountStatus::Active,
            AccountStatus::Suspended,
            AccountStatus::Closed,
        ]
        .map(status_hint);
        assert!(hints[0].starts_with("Active"));
        assert!(hints[1].starts_with("Suspended"));
        assert!(hints[2].starts_with("Closed"));
    }
}
