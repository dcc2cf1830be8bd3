//! The bank's account snapshots: how often they are taken, taking one, loading an
//! account from one as a repository would, and deleting them all (a cache beside the
//! log: no balance changes).

use super::Bank;
use crate::app::account_snapshots::{self, AccountLoad};
use crate::domain::AccountId;
use crate::store::{EventStore, StoreError};

impl<S: EventStore> Bank<S> {
    /// Takes an account snapshot every `every` events of its stream (`None` or 0:
    /// never), from the next append on. Off by default.
    pub fn set_snapshot_every(&self, every: Option<u64>) {
        self.snapshot_every.set(every.filter(|&n| n > 0));
    }

    /// How often account snapshots are taken (`None`: never).
    #[must_use]
    pub fn snapshot_every(&self) -> Option<u64> {
        self.snapshot_every.get()
    }

    /// Stores a snapshot of account `id` as this bank has folded it now; returns its
    /// version (`None` if the account has no events).
    ///
    /// # Errors
    /// The store refused the snapshot.
    pub async fn snapshot_account(&self, id: &AccountId) -> Result<Option<u64>, StoreError> {
        let snapshot = self.inner.borrow().accounts.get(id).map(|loaded| {
            account_snapshots::snapshot_of(id, &loaded.state, loaded.version, &loaded.last_event_id)
        });
        let Some(snapshot) = snapshot else {
            return Ok(None);
        };
        let version = snapshot.version;
        self.store.save_snapshot(snapshot).await?;
        Ok(Some(version))
    }

    /// Loads account `id` from the store as a repository would: from its snapshot and
    /// the events after it if there is one to trust, else from every event.
    ///
    /// # Errors
    /// The log cannot be read.
    pub async fn load_account(&self, id: &AccountId) -> Result<AccountLoad, StoreError> {
        account_snapshots::load_account(&self.store, id).await
    }

    /// Deletes every snapshot; returns how many there were. No balance changes.
    ///
    /// # Errors
    /// The store could not delete them.
    pub async fn delete_snapshots(&self) -> Result<usize, StoreError> {
        self.store.delete_snapshots().await
    }
}
