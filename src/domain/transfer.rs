//! The transfer: a process whose own stream (`transfer-<id>`) records each step of the
//! saga, so the saga can stop after any step and be resumed from the log alone.
//!
//! Its commands are the seed's `TransferMoney` plus the outcomes the saga runner
//! reports after each leg. `decide` allows each outcome only in the phase that expects
//! it, so a step can never be recorded twice or out of order.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::events::{
    Event, RunMode, TransferCompensationFailed, TransferCompleted, TransferCreditRejected,
    TransferDebited, TransferFailed, TransferInitiated, TransferReversed, TransferStepRetried,
};
use super::{AccountId, Money, SagaStep, TransferId};

/// The seed's command: move `amount` from one account to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferMoney {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    #[serde(default)]
    pub description: String,
}

/// What the saga runner reports to a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferCommand {
    /// Starts the transfer; the run mode is recorded, but a repeated `TransferMoney`
    /// with another mode is still the same transfer.
    Initiate(TransferMoney, RunMode),
    RecordDebited,
    RecordDebitRejected {
        reason: String,
    },
    RecordCredited,
    RecordCreditRejected {
        reason: String,
    },
    RecordRefunded,
    RecordRefundRejected {
        reason: String,
    },
    RecordAttemptFailed {
        reason: String,
    },
}

/// What every transfer carries from its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferDetails {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub description: String,
    /// Who drives the saga.
    pub run_mode: RunMode,
    /// Failed attempts of the step now pending (reset when a step completes).
    pub failed_attempts: u32,
}

/// A transfer's phase. The first three wait for a saga step; the rest are terminal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TransferState {
    #[default]
    NotStarted,
    /// Waiting for the debit of the source.
    Initiated(TransferDetails),
    /// Source debited; waiting for the credit of the destination.
    Debited(TransferDetails),
    /// The credit was rejected; waiting for the refund of the source.
    CreditRejected {
        details: TransferDetails,
        reason: String,
    },
    Completed(TransferDetails),
    /// Failed; `reversed` says whether a debit had to be refunded first.
    Failed {
        details: TransferDetails,
        reason: String,
        reversed: bool,
    },
    /// The refund was rejected: the source is still debited. Needs a person.
    CompensationFailed {
        details: TransferDetails,
        reason: String,
    },
}

impl TransferState {
    #[must_use]
    pub fn details(&self) -> Option<&TransferDetails> {
        match self {
            TransferState::NotStarted => None,
            TransferState::Initiated(d)
            | TransferState::Debited(d)
            | TransferState::Completed(d) => Some(d),
            TransferState::CreditRejected { details, .. }
            | TransferState::Failed { details, .. }
            | TransferState::CompensationFailed { details, .. } => Some(details),
        }
    }

    /// The saga step this transfer waits for, if any.
    #[must_use]
    pub fn pending_step(&self) -> Option<SagaStep> {
        match self {
            TransferState::Initiated(_) => Some(SagaStep::Debit),
            TransferState::Debited(_) => Some(SagaStep::Credit),
            TransferState::CreditRejected { .. } => Some(SagaStep::Refund),
            _ => None,
        }
    }

    /// Completed, failed, or stuck needing attention: nothing more will happen.
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TransferState::Completed(_)
                | TransferState::Failed { .. }
                | TransferState::CompensationFailed { .. }
        )
    }

    /// A short word for the phase, for lists and badges.
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            TransferState::NotStarted => "not started",
            TransferState::Initiated(_) => "initiated",
            TransferState::Debited(_) => "debited",
            TransferState::CreditRejected { .. } => "compensating",
            TransferState::Completed(_) => "completed",
            TransferState::Failed { reversed: true, .. } => "compensated",
            TransferState::Failed { .. } => "failed",
            TransferState::CompensationFailed { .. } => "needs attention",
        }
    }
}

/// Why a transfer command was rejected. The text is what a user reads.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransferError {
    #[error("transfer amount must be positive")]
    AmountNotPositive { amount: Money },
    #[error("cannot transfer from account {account_id} to itself")]
    SameAccount { account_id: AccountId },
    #[error("transfer {transfer_id} already exists with different details")]
    IdReused { transfer_id: TransferId },
    #[error("the transfer has not been started")]
    NotStarted,
    #[error("transfer {transfer_id} is {phase}: it does not expect this step")]
    UnexpectedStep {
        transfer_id: TransferId,
        phase: &'static str,
    },
}

/// The state of a transfer that has no events yet.
#[must_use]
pub fn initial_state() -> TransferState {
    TransferState::NotStarted
}

/// Checks a `TransferMoney` before anything is written: the amount, and that the two
/// accounts differ. (Ids are already valid: they could not be parsed otherwise.)
pub fn validate(command: &TransferMoney) -> Result<(), TransferError> {
    if !command.amount.is_positive() {
        return Err(TransferError::AmountNotPositive {
            amount: command.amount,
        });
    }
    if command.from_account_id == command.to_account_id {
        return Err(TransferError::SameAccount {
            account_id: command.from_account_id.clone(),
        });
    }
    Ok(())
}

/// Decides what a saga outcome does to a transfer. An empty list means the same
/// transfer was already started (a repeated `TransferMoney` is answered by the
/// existing transfer).
pub fn decide(
    command: &TransferCommand,
    state: &TransferState,
) -> Result<Vec<Event>, TransferError> {
    if let TransferCommand::Initiate(start, run_mode) = command {
        return initiate(start, *run_mode, state);
    }
    let Some(d) = state.details() else {
        return Err(TransferError::NotStarted);
    };
    record_step(command, state, d)
}

/// Starts a transfer; the same start again (a retried command) writes nothing, and
/// its id with other details is refused.
fn initiate(
    start: &TransferMoney,
    run_mode: RunMode,
    state: &TransferState,
) -> Result<Vec<Event>, TransferError> {
    validate(start)?;
    match state.details() {
        None => Ok(vec![Event::TransferInitiated(TransferInitiated {
            transfer_id: start.transfer_id.clone(),
            from_account_id: start.from_account_id.clone(),
            to_account_id: start.to_account_id.clone(),
            amount: start.amount,
            description: start.description.trim().to_owned(),
            run_mode,
        })]),
        Some(d) if same_transfer(d, start) => Ok(vec![]),
        Some(_) => Err(TransferError::IdReused {
            transfer_id: start.transfer_id.clone(),
        }),
    }
}

/// Records the outcome of a step of the started transfer `d`, if it is the step its
/// state waits for.
fn record_step(
    command: &TransferCommand,
    state: &TransferState,
    d: &TransferDetails,
) -> Result<Vec<Event>, TransferError> {
    let unexpected = || TransferError::UnexpectedStep {
        transfer_id: d.transfer_id.clone(),
        phase: state.label(),
    };
    let failed = |reason: &str| {
        Event::TransferFailed(TransferFailed {
            transfer_id: d.transfer_id.clone(),
            from_account_id: d.from_account_id.clone(),
            to_account_id: d.to_account_id.clone(),
            amount: d.amount,
            reason: reason.to_owned(),
        })
    };
    match (command, state) {
        (TransferCommand::RecordDebited, TransferState::Initiated(_)) => {
            Ok(vec![Event::TransferDebited(TransferDebited {
                transfer_id: d.transfer_id.clone(),
                from_account_id: d.from_account_id.clone(),
                to_account_id: d.to_account_id.clone(),
                amount: d.amount,
            })])
        }
        (TransferCommand::RecordDebitRejected { reason }, TransferState::Initiated(_)) => {
            Ok(vec![failed(&format!("debit of {} rejected: {reason}", d.from_account_id))])
        }
        (TransferCommand::RecordCredited, TransferState::Debited(_)) => {
            Ok(vec![Event::TransferCompleted(TransferCompleted {
                transfer_id: d.transfer_id.clone(),
                from_account_id: d.from_account_id.clone(),
                to_account_id: d.to_account_id.clone(),
                amount: d.amount,
            })])
        }
        (TransferCommand::RecordCreditRejected { reason }, TransferState::Debited(_)) => {
            Ok(vec![Event::TransferCreditRejected(TransferCreditRejected {
                transfer_id: d.transfer_id.clone(),
                from_account_id: d.from_account_id.clone(),
                to_account_id: d.to_account_id.clone(),
                amount: d.amount,
                reason: reason.clone(),
            })])
        }
        (TransferCommand::RecordRefunded, TransferState::CreditRejected { reason, .. }) => Ok(vec![
            Event::TransferReversed(TransferReversed {
                transfer_id: d.transfer_id.clone(),
                from_account_id: d.from_account_id.clone(),
                amount: d.amount,
            }),
            failed(&format!(
                "credit of {} rejected: {reason}; the debit was reversed",
                d.to_account_id
            )),
        ]),
        (
            TransferCommand::RecordRefundRejected { reason: refund },
            TransferState::CreditRejected { reason: credit, .. },
        ) => Ok(vec![Event::TransferCompensationFailed(
            TransferCompensationFailed {
                transfer_id: d.transfer_id.clone(),
                from_account_id: d.from_account_id.clone(),
                to_account_id: d.to_account_id.clone(),
                amount: d.amount,
                reason: format!(
                    "credit of {} rejected: {credit}; refund of {} rejected: {refund}; {} is still debited {}",
                    d.to_account_id, d.from_account_id, d.from_account_id, d.amount
                ),
            },
        )]),
        (TransferCommand::RecordAttemptFailed { reason }, state) => match state.pending_step() {
            Some(step) => Ok(vec![Event::TransferStepRetried(TransferStepRetried {
                transfer_id: d.transfer_id.clone(),
                step,
                attempt: d.failed_attempts + 1,
                reason: reason.clone(),
            })]),
            None => Err(unexpected()),
        },
        _ => Err(unexpected()),
    }
}

fn same_transfer(d: &TransferDetails, start: &TransferMoney) -> bool {
    d.from_account_id == start.from_account_id
        && d.to_account_id == start.to_account_id
        && d.amount == start.amount
        && d.description == start.description.trim()
}

/// Folds one event into the transfer's state. Events of other streams are ignored.
#[must_use]
pub fn evolve(state: TransferState, event: &Event) -> TransferState {
    match (state, event) {
        (TransferState::NotStarted, Event::TransferInitiated(e)) => {
            TransferState::Initiated(TransferDetails {
                transfer_id: e.transfer_id.clone(),
                from_account_id: e.from_account_id.clone(),
                to_account_id: e.to_account_id.clone(),
                amount: e.amount,
                description: e.description.clone(),
                run_mode: e.run_mode,
                failed_attempts: 0,
            })
        }
        (TransferState::Initiated(d), Event::TransferDebited(_)) => {
            TransferState::Debited(fresh_step(d))
        }
        (TransferState::Initiated(d), Event::TransferFailed(e)) => TransferState::Failed {
            details: fresh_step(d),
            reason: e.reason.clone(),
            reversed: false,
        },
        (TransferState::Debited(d), Event::TransferCompleted(_)) => {
            TransferState::Completed(fresh_step(d))
        }
        (TransferState::Debited(d), Event::TransferCreditRejected(e)) => {
            TransferState::CreditRejected {
                details: fresh_step(d),
                reason: e.reason.clone(),
            }
        }
        // TransferReversed is always followed by TransferFailed in the same append.
        (state @ TransferState::CreditRejected { .. }, Event::TransferReversed(_)) => state,
        (TransferState::CreditRejected { details, .. }, Event::TransferFailed(e)) => {
            TransferState::Failed {
                details: fresh_step(details),
                reason: e.reason.clone(),
                reversed: true,
            }
        }
        (TransferState::CreditRejected { details, .. }, Event::TransferCompensationFailed(e)) => {
            TransferState::CompensationFailed {
                details: fresh_step(details),
                reason: e.reason.clone(),
            }
        }
        (mut state, Event::TransferStepRetried(_)) => {
            if let Some(d) = details_mut(&mut state) {
                d.failed_attempts += 1;
            }
            state
        }
        (state, _) => state,
    }
}

fn fresh_step(mut d: TransferDetails) -> TransferDetails {
    d.failed_attempts = 0;
    d
}

fn details_mut(state: &mut TransferState) -> Option<&mut TransferDetails> {
    match state {
        TransferState::NotStarted => None,
        TransferState::Initiated(d) | TransferState::Debited(d) | TransferState::Completed(d) => {
            Some(d)
        }
        TransferState::CreditRejected { details, .. }
        | TransferState::Failed { details, .. }
        | TransferState::CompensationFailed { details, .. } => Some(details),
    }
}

/// Whether `event` is a legal next event for a transfer in `state` (used to check an
/// imported log; `evolve` itself has no rules).
#[must_use]
pub fn accepts(state: &TransferState, event: &Event) -> bool {
    matches!(
        (state, event),
        (TransferState::NotStarted, Event::TransferInitiated(_))
            | (
                TransferState::Initiated(_),
                Event::TransferDebited(_) | Event::TransferFailed(_)
            )
            | (
                TransferState::Debited(_),
                Event::TransferCompleted(_) | Event::TransferCreditRejected(_)
            )
            | (
                TransferState::CreditRejected { .. },
                Event::TransferReversed(_)
                    | Event::TransferFailed(_)
                    | Event::TransferCompensationFailed(_)
            )
    ) || (matches!(event, Event::TransferStepRetried(_)) && state.pending_step().is_some())
}
