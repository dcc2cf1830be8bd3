//! The transfer saga's reactions, as pure functions: which account command a
//! transfer's phase calls for, and which transfer command records its outcome.
//! Running them (and injecting faults) is the app's job.

use super::account::{AccountCommand, DepositMoney, WithdrawMoney};
pub use super::saga_values::{SagaStep, UnknownStep};
use super::transfer::{TransferCommand, TransferDetails, TransferState};

/// The saga's reaction: the account command a transfer waits for, if any. It reads the
/// transfer's phase (its events folded) rather than only its last event, so the same
/// function drives a live saga and one resumed from the log after a crash.
#[must_use]
pub fn next_command(state: &TransferState) -> Option<(SagaStep, AccountCommand)> {
    let step = state.pending_step()?;
    Some((step, leg_for(step, state)?))
}

/// The account command that runs `step` of a transfer in `state`: [`leg`], but a
/// refund pays into [`TransferState::refund_account`] (an operator may have chosen
/// another account of the source's owner).
#[must_use]
pub fn leg_for(step: SagaStep, state: &TransferState) -> Option<AccountCommand> {
    let mut command = leg(step, state.details()?);
    if let (SagaStep::Refund, AccountCommand::DepositMoney(d)) = (step, &mut command) {
        d.account_id = state.refund_account()?.clone();
    }
    Some(command)
}

/// The account command that runs `step` of a transfer.
#[must_use]
pub fn leg(step: SagaStep, d: &TransferDetails) -> AccountCommand {
    let note = if d.description.is_empty() {
        String::new()
    } else {
        format!(": {}", d.description)
    };
    match step {
        SagaStep::Debit => AccountCommand::WithdrawMoney(WithdrawMoney {
            account_id: d.from_account_id.clone(),
            amount: d.amount,
            description: format!("transfer {} to {}{note}", d.transfer_id, d.to_account_id),
            transfer_id: Some(d.transfer_id.clone()),
        }),
        SagaStep::Credit => AccountCommand::DepositMoney(DepositMoney {
            account_id: d.to_account_id.clone(),
            amount: d.amount,
            description: format!(
                "transfer {} from {}{note}",
                d.transfer_id, d.from_account_id
            ),
            transfer_id: Some(d.transfer_id.clone()),
        }),
        SagaStep::Refund => AccountCommand::DepositMoney(DepositMoney {
            account_id: d.from_account_id.clone(),
            amount: d.amount,
            description: format!(
                "refund of transfer {} to {}",
                d.transfer_id, d.to_account_id
            ),
            transfer_id: Some(d.transfer_id.clone()),
        }),
    }
}

/// The transfer command that records how a leg ended.
#[must_use]
pub fn outcome(step: SagaStep, result: Result<(), String>) -> TransferCommand {
    match (step, result) {
        (SagaStep::Debit, Ok(())) => TransferCommand::RecordDebited,
        (SagaStep::Debit, Err(reason)) => TransferCommand::RecordDebitRejected { reason },
        (SagaStep::Credit, Ok(())) => TransferCommand::RecordCredited,
        (SagaStep::Credit, Err(reason)) => TransferCommand::RecordCreditRejected { reason },
        (SagaStep::Refund, Ok(())) => TransferCommand::RecordRefunded,
        (SagaStep::Refund, Err(reason)) => TransferCommand::RecordRefundRejected { reason },
    }
}
