//! An operator's fix of a transfer that needs attention (its refund was refused): the
//! refund is retried, into the source once it takes money again or into another
//! account of the same owner, for a reason the operator gives. The decision is a
//! recorded fact (`TransferRefundRetried`) and the saga's own refund step moves the
//! money, so the fix is in the log, the audit trail and the timeline like any step.

use super::{Bank, BankError, Executed};
use crate::domain::transfer::{TransferCommand, TransferError, TransferState};
use crate::domain::{AccountId, RunMode, TransferId};
use crate::store::EventStore;

impl<S: EventStore> Bank<S> {
    /// Retries the refused refund of transfer `id` into `refund_to`, because of
    /// `reason`. `refund_to` must be an account of the source's owner (the same owner
    /// name) and not the destination. A transfer that runs by itself then runs its
    /// refund; one stepped by hand waits for its next step.
    ///
    /// # Errors
    /// The transfer does not need attention, the reason is blank, the account is
    /// another owner's or the destination; or storage failed.
    pub async fn retry_refund(
        &self,
        id: &TransferId,
        refund_to: &AccountId,
        reason: &str,
    ) -> Result<Executed, BankError> {
        self.catch_up().await?;
        let state = self.transfer_state(id).await?;
        if let (TransferState::CompensationFailed { .. }, Some(d)) = (&state, state.details()) {
            let owner =
                |a: &AccountId| self.read(|m| m.accounts.get(a).map(|v| v.owner_name.clone()));
            let same = owner(&d.from_account_id).is_some_and(|o| Some(o) == owner(refund_to));
            if !same && refund_to != &d.to_account_id {
                return Err(BankError::Transfer(TransferError::OtherOwner {
                    refund_to: refund_to.clone(),
                    source_account: d.from_account_id.clone(),
                }));
            }
        }
        let command = TransferCommand::RetryRefund {
            refund_to: refund_to.clone(),
            reason: reason.to_owned(),
        };
        let command_id = self.env.new_id();
        let mut events = self.handle_transfer(id, &command, &command_id).await?;
        let auto = state.details().is_some_and(|d| d.run_mode == RunMode::Auto);
        let state = if auto {
            let (more, state) = self.run_collecting(id).await?;
            events.extend(more);
            state
        } else {
            self.transfer_state(id).await?
        };
        Ok(Executed {
            events,
            transfer: Some(state),
        })
    }
}
