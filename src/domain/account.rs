//! The account: its commands, its lifecycle state and its rules, as a decider.
//!
//! `decide` checks guard clauses in the seed's order (the first failure wins) and
//! returns the events; `evolve` folds one event into the state and has no rules.
//! Pure: ids and times come in from the caller.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::events::{
    AccountClosed, AccountEvent, AccountOpened, AccountReactivated, AccountSuspended, Event,
    EventKind, MoneyDeposited, MoneyWithdrawn,
};
use super::{AccountId, Decider, Money, TransferId};

/// The longest owner name accepted, in characters.
pub const MAX_OWNER_NAME_LEN: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenAccount {
    pub account_id: AccountId,
    pub owner_name: String,
    pub initial_balance: Money,
}

/// Pay money in. `transfer_id` is set only by the transfer saga for its legs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepositMoney {
    pub account_id: AccountId,
    pub amount: Money,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_id: Option<TransferId>,
}

/// Take money out. `transfer_id` is set only by the transfer saga for its debit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawMoney {
    pub account_id: AccountId,
    pub amount: Money,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_id: Option<TransferId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspendAccount {
    pub account_id: AccountId,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReactivateAccount {
    pub account_id: AccountId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseAccount {
    pub account_id: AccountId,
}

/// A command addressed to one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AccountCommand {
    #[serde(rename = "OpenAccount")]
    OpenAccount(OpenAccount),
    #[serde(rename = "DepositMoney")]
    DepositMoney(DepositMoney),
    #[serde(rename = "WithdrawMoney")]
    WithdrawMoney(WithdrawMoney),
    #[serde(rename = "SuspendAccount")]
    SuspendAccount(SuspendAccount),
    #[serde(rename = "ReactivateAccount")]
    ReactivateAccount(ReactivateAccount),
    #[serde(rename = "CloseAccount")]
    CloseAccount(CloseAccount),
}

impl AccountCommand {
    /// The account the command is addressed to.
    #[must_use]
    pub fn account_id(&self) -> &AccountId {
        match self {
            AccountCommand::OpenAccount(c) => &c.account_id,
            AccountCommand::DepositMoney(c) => &c.account_id,
            AccountCommand::WithdrawMoney(c) => &c.account_id,
            AccountCommand::SuspendAccount(c) => &c.account_id,
            AccountCommand::ReactivateAccount(c) => &c.account_id,
            AccountCommand::CloseAccount(c) => &c.account_id,
        }
    }
}

/// The seed's account status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountStatus {
    Active,
    Suspended,
    Closed,
}

impl std::fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AccountStatus::Active => "active",
            AccountStatus::Suspended => "suspended",
            AccountStatus::Closed => "closed",
        })
    }
}

/// What an opened account holds, whatever its phase. Serializable for snapshots
/// (`app::account_snapshots`), whose shape version is `SNAPSHOT_FORMAT` there: change
/// this shape, raise that.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Holdings {
    pub account_id: Option<AccountId>,
    pub owner_name: String,
    pub balance: Money,
    /// Transfers that already withdrew from this account (their debit leg).
    withdrawn_for: HashSet<TransferId>,
    /// Transfers that already paid into this account (a credit or a refund leg).
    deposited_for: HashSet<TransferId>,
}

/// An account's lifecycle phase, with what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AccountState {
    #[default]
    NotOpened,
    Active(Holdings),
    Suspended {
        holdings: Holdings,
        reason: String,
    },
    Closed(Holdings),
}

impl AccountState {
    #[must_use]
    pub fn status(&self) -> Option<AccountStatus> {
        match self {
            AccountState::NotOpened => None,
            AccountState::Active(_) => Some(AccountStatus::Active),
            AccountState::Suspended { .. } => Some(AccountStatus::Suspended),
            AccountState::Closed(_) => Some(AccountStatus::Closed),
        }
    }

    #[must_use]
    pub fn holdings(&self) -> Option<&Holdings> {
        match self {
            AccountState::NotOpened => None,
            AccountState::Active(h) | AccountState::Closed(h) => Some(h),
            AccountState::Suspended { holdings, .. } => Some(holdings),
        }
    }

    /// The balance; 0.00 before the account is opened.
    #[must_use]
    pub fn balance(&self) -> Money {
        self.holdings().map_or(Money::ZERO, |h| h.balance)
    }

    /// Closed is final: no command changes a closed account.
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        matches!(self, AccountState::Closed(_))
    }
}

/// Why an account command was rejected. The text is what a user reads.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccountError {
    #[error("account {account_id} not found")]
    NotFound { account_id: AccountId },
    #[error("account {account_id} already exists and is {status}")]
    AlreadyExists {
        account_id: AccountId,
        status: AccountStatus,
    },
    #[error("initial balance cannot be negative: {initial_balance}")]
    NegativeInitialBalance { initial_balance: Money },
    #[error("owner name cannot be empty")]
    BlankOwnerName,
    #[error("owner name is longer than {MAX_OWNER_NAME_LEN} characters")]
    OwnerNameTooLong,
    #[error("account is {status}, not active")]
    NotActive { status: AccountStatus },
    #[error("account is {status}, not suspended")]
    NotSuspended { status: AccountStatus },
    #[error("deposit amount must be positive")]
    DepositNotPositive { amount: Money },
    #[error("withdrawal amount must be positive")]
    WithdrawalNotPositive { amount: Money },
    #[error("insufficient balance: {balance} < {requested}")]
    InsufficientBalance { balance: Money, requested: Money },
    #[error(
        "balance would exceed the limit of {}: {balance} + {amount}",
        Money::MAX
    )]
    BalanceLimit { balance: Money, amount: Money },
    #[error("cannot close account with non-zero balance: {balance}")]
    NonZeroBalance { balance: Money },
}

/// What `decide` needs from outside: the id to give a new money movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub transaction_id: String,
}

/// The account as a [`Decider`]: its command comes with the [`Stamp`] the caller gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account;

/// An account command with the id a new money movement is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamped {
    pub command: AccountCommand,
    pub stamp: Stamp,
}

impl Decider for Account {
    type Command = Stamped;
    type State = AccountState;
    type Error = AccountError;

    fn initial_state() -> AccountState {
        initial_state()
    }

    fn decide(c: &Stamped, state: &AccountState) -> Result<Vec<Event>, AccountError> {
        decide(&c.command, state, &c.stamp)
    }

    fn evolve(state: AccountState, event: &Event) -> AccountState {
        evolve(state, event)
    }
}

/// The state of an account that has no events yet.
#[must_use]
pub fn initial_state() -> AccountState {
    AccountState::NotOpened
}

/// Decides what a command does to an account: the events to record, or why not.
/// An empty list means "already done" (a transfer leg replayed after a crash).
pub fn decide(
    command: &AccountCommand,
    state: &AccountState,
    stamp: &Stamp,
) -> Result<Vec<Event>, AccountError> {
    match command {
        AccountCommand::OpenAccount(c) => open(c, state),
        AccountCommand::DepositMoney(c) => deposit(c, state, stamp),
        AccountCommand::WithdrawMoney(c) => withdraw(c, state, stamp),
        AccountCommand::SuspendAccount(c) => {
            let (_, status) = opened(state, &c.account_id)?;
            require_active(status)?;
            Ok(vec![Event::AccountSuspended(AccountSuspended {
                account_id: c.account_id.clone(),
                reason: c.reason.trim().to_owned(),
            })])
        }
        AccountCommand::ReactivateAccount(c) => {
            let (_, status) = opened(state, &c.account_id)?;
            if status != AccountStatus::Suspended {
                return Err(AccountError::NotSuspended { status });
            }
            Ok(vec![Event::AccountReactivated(AccountReactivated {
                account_id: c.account_id.clone(),
            })])
        }
        AccountCommand::CloseAccount(c) => {
            let (holdings, status) = opened(state, &c.account_id)?;
            require_active(status)?;
            if !holdings.balance.is_zero() {
                return Err(AccountError::NonZeroBalance {
                    balance: holdings.balance,
                });
            }
            Ok(vec![Event::AccountClosed(AccountClosed {
                account_id: c.account_id.clone(),
                final_balance: holdings.balance,
            })])
        }
    }
}

fn open(c: &OpenAccount, state: &AccountState) -> Result<Vec<Event>, AccountError> {
    if let Some(status) = state.status() {
        return Err(AccountError::AlreadyExists {
            account_id: c.account_id.clone(),
            status,
        });
    }
    if c.initial_balance.is_negative() {
        return Err(AccountError::NegativeInitialBalance {
            initial_balance: c.initial_balance,
        });
    }
    let owner_name = c.owner_name.trim();
    if owner_name.is_empty() {
        return Err(AccountError::BlankOwnerName);
    }
    if owner_name.chars().count() > MAX_OWNER_NAME_LEN {
        return Err(AccountError::OwnerNameTooLong);
    }
    Ok(vec![Event::AccountOpened(AccountOpened {
        account_id: c.account_id.clone(),
        owner_name: owner_name.to_owned(),
        initial_balance: c.initial_balance,
    })])
}

fn deposit(
    c: &DepositMoney,
    state: &AccountState,
    stamp: &Stamp,
) -> Result<Vec<Event>, AccountError> {
    let (holdings, status) = opened(state, &c.account_id)?;
    if let Some(t) = &c.transfer_id {
        if holdings.deposited_for.contains(t) {
            return Ok(vec![]);
        }
    }
    require_active(status)?;
    if !c.amount.is_positive() {
        return Err(AccountError::DepositNotPositive { amount: c.amount });
    }
    if holdings.balance.checked_add(c.amount).is_none() {
        return Err(AccountError::BalanceLimit {
            balance: holdings.balance,
            amount: c.amount,
        });
    }
    Ok(vec![Event::MoneyDeposited(MoneyDeposited {
        account_id: c.account_id.clone(),
        amount: c.amount,
        transaction_id: stamp.transaction_id.clone(),
        description: c.description.trim().to_owned(),
        transfer_id: c.transfer_id.clone(),
    })])
}

fn withdraw(
    c: &WithdrawMoney,
    state: &AccountState,
    stamp: &Stamp,
) -> Result<Vec<Event>, AccountError> {
    let (holdings, status) = opened(state, &c.account_id)?;
    if let Some(t) = &c.transfer_id {
        if holdings.withdrawn_for.contains(t) {
            return Ok(vec![]);
        }
    }
    require_active(status)?;
    if !c.amount.is_positive() {
        return Err(AccountError::WithdrawalNotPositive { amount: c.amount });
    }
    if c.amount > holdings.balance {
        return Err(AccountError::InsufficientBalance {
            balance: holdings.balance,
            requested: c.amount,
        });
    }
    Ok(vec![Event::MoneyWithdrawn(MoneyWithdrawn {
        account_id: c.account_id.clone(),
        amount: c.amount,
        transaction_id: stamp.transaction_id.clone(),
        description: c.description.trim().to_owned(),
        transfer_id: c.transfer_id.clone(),
    })])
}

/// The command that would have written `event`, with the stamp it was given:
/// checking an imported log decides each event again and compares.
#[must_use]
pub fn replay(event: AccountEvent<'_>) -> (AccountCommand, Stamp) {
    let stamp = Stamp {
        transaction_id: event
            .movement()
            .map(|m| m.transaction_id.to_owned())
            .unwrap_or_default(),
    };
    let command = match event {
        AccountEvent::Opened(e) => AccountCommand::OpenAccount(OpenAccount {
            account_id: e.account_id.clone(),
            owner_name: e.owner_name.clone(),
            initial_balance: e.initial_balance,
        }),
        AccountEvent::Deposited(e) => AccountCommand::DepositMoney(DepositMoney {
            account_id: e.account_id.clone(),
            amount: e.amount,
            description: e.description.clone(),
            transfer_id: e.transfer_id.clone(),
        }),
        AccountEvent::Withdrawn(e) => AccountCommand::WithdrawMoney(WithdrawMoney {
            account_id: e.account_id.clone(),
            amount: e.amount,
            description: e.description.clone(),
            transfer_id: e.transfer_id.clone(),
        }),
        AccountEvent::Suspended(e) => AccountCommand::SuspendAccount(SuspendAccount {
            account_id: e.account_id.clone(),
            reason: e.reason.clone(),
        }),
        AccountEvent::Reactivated(e) => AccountCommand::ReactivateAccount(ReactivateAccount {
            account_id: e.account_id.clone(),
        }),
        AccountEvent::Closed(e) => AccountCommand::CloseAccount(CloseAccount {
            account_id: e.account_id.clone(),
        }),
    };
    (command, stamp)
}

/// The holdings and status of an opened account, or "not found".
fn opened<'a>(
    state: &'a AccountState,
    account_id: &AccountId,
) -> Result<(&'a Holdings, AccountStatus), AccountError> {
    match (state.holdings(), state.status()) {
        (Some(holdings), Some(status)) => Ok((holdings, status)),
        _ => Err(AccountError::NotFound {
            account_id: account_id.clone(),
        }),
    }
}

fn require_active(status: AccountStatus) -> Result<(), AccountError> {
    if status == AccountStatus::Active {
        Ok(())
    } else {
        Err(AccountError::NotActive { status })
    }
}

/// Folds one event into the account's state. Events of other aggregates are ignored.
#[must_use]
pub fn evolve(state: AccountState, event: &Event) -> AccountState {
    match event.kind() {
        EventKind::Account(event) => evolve_account(state, event),
        // A transfer's own events sit in its saga's stream; its legs are movements.
        EventKind::Transfer(_) => state,
    }
}

fn evolve_account(state: AccountState, event: AccountEvent<'_>) -> AccountState {
    match event {
        AccountEvent::Opened(e) => match state {
            AccountState::NotOpened => AccountState::Active(Holdings {
                account_id: Some(e.account_id.clone()),
                owner_name: e.owner_name.clone(),
                balance: e.initial_balance,
                ..Holdings::default()
            }),
            state => state,
        },
        AccountEvent::Deposited(e) => map_holdings(state, |h| {
            h.balance = h.balance.checked_add(e.amount).unwrap_or(h.balance);
            if let Some(t) = &e.transfer_id {
                h.deposited_for.insert(t.clone());
            }
        }),
        AccountEvent::Withdrawn(e) => map_holdings(state, |h| {
            h.balance = h.balance.checked_sub(e.amount).unwrap_or(h.balance);
            if let Some(t) = &e.transfer_id {
                h.withdrawn_for.insert(t.clone());
            }
        }),
        AccountEvent::Suspended(e) => match state {
            AccountState::Active(holdings) => AccountState::Suspended {
                holdings,
                reason: e.reason.clone(),
            },
            state => state,
        },
        AccountEvent::Reactivated(_) => match state {
            AccountState::Suspended { holdings, .. } => AccountState::Active(holdings),
            state => state,
        },
        AccountEvent::Closed(_) => match state {
            AccountState::Active(holdings) => AccountState::Closed(holdings),
            state => state,
        },
    }
}

fn map_holdings(mut state: AccountState, change: impl FnOnce(&mut Holdings)) -> AccountState {
    match &mut state {
        AccountState::NotOpened => {}
        AccountState::Active(h) | AccountState::Closed(h) => change(h),
        AccountState::Suspended { holdings, .. } => change(holdings),
    }
    state
}
