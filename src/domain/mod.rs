//! The bank's rules, pure: money, ids, the account and transfer deciders (one
//! [`Decider`] trait), every event, the saga's reactions, and the saga as a state
//! machine to draw ([`transfer_machine`]). No I/O, no clock, no randomness, no browser: ids and
//! times come in from the caller, so all of it runs and is tested natively.

pub mod account;
pub mod decider;
mod decode;
pub mod events;
pub mod ids;
pub mod money;
pub mod retry;
pub mod saga;
mod saga_values;
pub mod transfer;
pub mod transfer_machine;

use serde::{Deserialize, Serialize};

pub use account::{AccountCommand, AccountError, AccountState, AccountStatus};
pub use decider::Decider;
pub use decode::DecodeError;
pub use events::{Event, SCHEMA_VERSION};
pub use ids::{AccountId, IdError, TransferId};
pub use money::{Money, MoneyError};
pub use saga_values::{RunMode, SagaStep};
pub use transfer::{TransferError, TransferMoney, TransferState};

/// Any of the seed's seven commands, as written in scenario files:
/// `{"type": "DepositMoney", "account_id": "a", "amount": "5.00", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum BankCommand {
    #[serde(rename = "OpenAccount")]
    OpenAccount(account::OpenAccount),
    #[serde(rename = "DepositMoney")]
    DepositMoney(account::DepositMoney),
    #[serde(rename = "WithdrawMoney")]
    WithdrawMoney(account::WithdrawMoney),
    #[serde(rename = "TransferMoney")]
    TransferMoney(TransferMoney),
    #[serde(rename = "SuspendAccount")]
    SuspendAccount(account::SuspendAccount),
    #[serde(rename = "ReactivateAccount")]
    ReactivateAccount(account::ReactivateAccount),
    #[serde(rename = "CloseAccount")]
    CloseAccount(account::CloseAccount),
}

impl BankCommand {
    /// The seed's name of the command, e.g. `"TransferMoney"`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            BankCommand::OpenAccount(_) => "OpenAccount",
            BankCommand::DepositMoney(_) => "DepositMoney",
            BankCommand::WithdrawMoney(_) => "WithdrawMoney",
            BankCommand::TransferMoney(_) => "TransferMoney",
            BankCommand::SuspendAccount(_) => "SuspendAccount",
            BankCommand::ReactivateAccount(_) => "ReactivateAccount",
            BankCommand::CloseAccount(_) => "CloseAccount",
        }
    }

    /// The command as addressed to one account, unless it is a transfer.
    pub fn into_account_command(self) -> Result<AccountCommand, TransferMoney> {
        Ok(match self {
            BankCommand::OpenAccount(c) => AccountCommand::OpenAccount(c),
            BankCommand::DepositMoney(c) => AccountCommand::DepositMoney(c),
            BankCommand::WithdrawMoney(c) => AccountCommand::WithdrawMoney(c),
            BankCommand::SuspendAccount(c) => AccountCommand::SuspendAccount(c),
            BankCommand::ReactivateAccount(c) => AccountCommand::ReactivateAccount(c),
            BankCommand::CloseAccount(c) => AccountCommand::CloseAccount(c),
            BankCommand::TransferMoney(t) => return Err(t),
        })
    }
}

impl From<AccountCommand> for BankCommand {
    fn from(c: AccountCommand) -> Self {
        match c {
            AccountCommand::OpenAccount(c) => BankCommand::OpenAccount(c),
            AccountCommand::DepositMoney(c) => BankCommand::DepositMoney(c),
            AccountCommand::WithdrawMoney(c) => BankCommand::WithdrawMoney(c),
            AccountCommand::SuspendAccount(c) => BankCommand::SuspendAccount(c),
            AccountCommand::ReactivateAccount(c) => BankCommand::ReactivateAccount(c),
            AccountCommand::CloseAccount(c) => BankCommand::CloseAccount(c),
        }
    }
}
