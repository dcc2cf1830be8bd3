//! The transfer saga's reactions, as pure functions: which account command a
//! transfer's phase calls for, and which transfer command records its outcome.
//! Running them (and injecting faults) is the app's job.

use serde::{Deserialize, Serialize};

use super::account::{AccountCommand, DepositMoney, WithdrawMoney};
use super::transfer::{TransferCommand, TransferDetails, TransferState};

/// The three legs a transfer can run against accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SagaStep {
    /// Withdraw from the source.
    Debit,
    /// Deposit into the destination.
    Credit,
    /// Compensation: deposit back into the source.
    Refund,
}

impl SagaStep {
    /// The step's name as stored and shown: `"debit"`, `"credit"` or `"refund"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SagaStep::Debit => "debit",
            SagaStep::Credit => "credit",
            SagaStep::Refund => "refund",
        }
    }
}

impl std::fmt::Display for SagaStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that names no saga step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStep(pub String);

impl std::fmt::Display for UnknownStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no saga step is called {:?}", self.0)
    }
}

impl std::str::FromStr for SagaStep {
    type Err = UnknownStep;

    /// The step [`SagaStep::as_str`] names.
    fn from_str(s: &str) -> Result<SagaStep, UnknownStep> {
        [SagaStep::Debit, SagaStep::Credit, SagaStep::Refund]
            .into_iter()
            .find(|step| step.as_str() == s)
            .ok_or_else(|| UnknownStep(s.to_owned()))
    }
}

/// The saga's reaction: the account command a transfer waits for, if any. It reads the
/// transfer's phase (its events folded) rather than only its last event, so the same
/// function drives a live saga and one resumed from the log after a crash.
#[must_use]
pub fn next_command(state: &TransferState) -> Option<(SagaStep, AccountCommand)> {
    let step = state.pending_step()?;
    let details = state.details()?;
    Some((step, leg(step, details)))
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
