//! The seed's API, as a thin convenience over the deciders: an [`Account`] aggregate
//! whose methods check the rules and record pending events, and an
//! [`AccountRepository`] that loads one from its stream and saves what is pending
//! with optimistic concurrency. The rules themselves stay in `domain::account`.

use super::account_snapshots::load_account;
use super::env::Env;
use crate::domain::account::{
    self, AccountCommand, AccountState, CloseAccount, DepositMoney, OpenAccount, ReactivateAccount,
    Stamp, SuspendAccount, WithdrawMoney,
};
use crate::domain::{AccountError, AccountId, AccountStatus, Event, Money};
use crate::store::{EventStore, NewEvent, StoreError};

/// An account with the seed's methods: `open`, `deposit`, `withdraw`, `suspend`,
/// `reactivate`, `close`. Each checks the rules and keeps the new events pending
/// until [`AccountRepository::save`].
#[derive(Debug, Clone, Default)]
pub struct Account {
    state: AccountState,
    /// The stream version the account was loaded at.
    version: u64,
    pending: Vec<Event>,
}

impl Account {
    /// The balance, including pending changes.
    #[must_use]
    pub fn balance(&self) -> Money {
        self.state.balance()
    }

    /// `None` until opened.
    #[must_use]
    pub fn status(&self) -> Option<AccountStatus> {
        self.state.status()
    }

    #[must_use]
    pub fn owner_name(&self) -> &str {
        self.state.holdings().map_or("", |h| h.owner_name.as_str())
    }

    /// Events recorded but not saved yet.
    #[must_use]
    pub fn pending(&self) -> &[Event] {
        &self.pending
    }

    pub fn open(&mut self, command: OpenAccount) -> Result<(), AccountError> {
        self.apply(AccountCommand::OpenAccount(command))
    }

    pub fn deposit(&mut self, command: DepositMoney) -> Result<(), AccountError> {
        self.apply(AccountCommand::DepositMoney(command))
    }

    pub fn withdraw(&mut self, command: WithdrawMoney) -> Result<(), AccountError> {
        self.apply(AccountCommand::WithdrawMoney(command))
    }

    pub fn suspend(&mut self, command: SuspendAccount) -> Result<(), AccountError> {
        self.apply(AccountCommand::SuspendAccount(command))
    }

    pub fn reactivate(&mut self, command: ReactivateAccount) -> Result<(), AccountError> {
        self.apply(AccountCommand::ReactivateAccount(command))
    }

    pub fn close(&mut self, command: CloseAccount) -> Result<(), AccountError> {
        self.apply(AccountCommand::CloseAccount(command))
    }

    fn apply(&mut self, command: AccountCommand) -> Result<(), AccountError> {
        // The stream position makes a transaction id unique without a random source.
        let next = self.version + self.pending.len() as u64 + 1;
        let stamp = Stamp {
            transaction_id: format!("{}-{next}", command.account_id()),
        };
        for event in account::decide(&command, &self.state, &stamp)? {
            self.state = account::evolve(std::mem::take(&mut self.state), &event);
            self.pending.push(event);
        }
        Ok(())
    }
}

/// Why loading or saving an account failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepositoryError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("account has nothing to save: it was never opened")]
    NotOpened,
}

/// Loads accounts from their streams and saves their pending events.
pub struct AccountRepository<S: EventStore> {
    store: S,
    env: Env,
}

impl<S: EventStore> AccountRepository<S> {
    /// A repository over `store`, stamping events with a deterministic clock.
    pub fn new(store: S) -> AccountRepository<S> {
        AccountRepository::with_env(store, Env::fixed("repo"))
    }

    pub fn with_env(store: S, env: Env) -> AccountRepository<S> {
        AccountRepository { store, env }
    }

    /// Rebuilds an account from its events (from its snapshot and the events after
    /// it, if it has one to trust); "account X not found" if it has none.
    pub async fn load(&self, account_id: &AccountId) -> Result<Account, RepositoryError> {
        let loaded = load_account(&self.store, account_id).await?;
        if loaded.version == 0 {
            return Err(AccountError::NotFound {
                account_id: account_id.clone(),
            }
            .into());
        }
        Ok(Account {
            state: loaded.state,
            version: loaded.version,
            pending: Vec::new(),
        })
    }

    /// Appends the pending events, if the stream has not moved since the account was
    /// loaded (else `StoreError::Conflict`, and the account keeps its pending events).
    pub async fn save(&self, account: &mut Account) -> Result<(), RepositoryError> {
        let Some(id) = account.state.holdings().and_then(|h| h.account_id.clone()) else {
            return Err(RepositoryError::NotOpened);
        };
        if account.pending.is_empty() {
            return Ok(());
        }
        let command_id = self.env.new_id();
        let recorded_at = self.env.now();
        let new = account
            .pending
            .iter()
            .map(|event| NewEvent {
                event: event.clone(),
                event_id: self.env.new_id(),
                recorded_at: recorded_at.clone(),
                correlation_id: command_id.clone(),
                causation_id: command_id.clone(),
            })
            .collect();
        let stored = self
            .store
            .append(&id.stream(), account.version, new)
            .await?;
        account.version += stored.len() as u64;
        account.pending.clear();
        Ok(())
    }
}
