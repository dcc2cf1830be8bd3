//! The transfer: a process whose own stream (`transfer-<id>`) records each step of the
//! saga, so the saga can stop after any step and be resumed from the log alone.
//!
//! Its commands are the seed's `TransferMoney` plus the outcomes the saga runner
//! reports after each leg. `decide` allows each outcome only in the phase that expects
//! it, so a step can never be recorded twice or out of order.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::events::{
    Event, TransferCompensationFailed, TransferCompleted, TransferCreditRejected, TransferDebited,
    TransferFailed, TransferInitiated, TransferRefundRetried, TransferReversed,
    TransferStepRetried, TransferTimedOut,
};
use super::retry::{self, AfterFailure};
use super::{AccountId, Decider, Money, RunMode, SagaStep, TransferId};

mod evolve;
mod replay;
pub use evolve::{accepts, ends, evolve};
pub use replay::{leg_recorded, replay};

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
    /// An operator's fix of a refused refund: try it again into `refund_to` (the
    /// source, or another account of its owner: the app checks the owner), because
    /// of `reason`.
    RetryRefund {
        refund_to: AccountId,
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
    /// The saga's virtual clock: when the pending step's next attempt happens, in ms
    /// since its first attempt (0 until one failed; reset when a step completes).
    pub clock_ms: u64,
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
    /// The credit was rejected (or, `timed_out`, given up at its deadline); waiting
    /// for the refund of the source.
    CreditRejected {
        details: TransferDetails,
        reason: String,
        timed_out: bool,
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
    /// An operator asked for the refund again, into `refund_to`; waiting for it.
    RefundRetrying {
        details: TransferDetails,
        refund_to: AccountId,
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
            | TransferState::CompensationFailed { details, .. }
            | TransferState::RefundRetrying { details, .. } => Some(details),
        }
    }

    /// The account a refund of this transfer pays into: the source, unless an
    /// operator retried the refund into another account.
    #[must_use]
    pub fn refund_account(&self) -> Option<&AccountId> {
        match self {
            TransferState::RefundRetrying { refund_to, .. } => Some(refund_to),
            other => other.details().map(|d| &d.from_account_id),
        }
    }

    /// The saga step this transfer waits for, if any.
    #[must_use]
    pub fn pending_step(&self) -> Option<SagaStep> {
        match self {
            TransferState::Initiated(_) => Some(SagaStep::Debit),
            TransferState::Debited(_) => Some(SagaStep::Credit),
            TransferState::CreditRejected { .. } | TransferState::RefundRetrying { .. } => {
                Some(SagaStep::Refund)
            }
            _ => None,
        }
    }

    /// Completed, failed, or stuck needing attention: the saga will do nothing more
    /// by itself (only an operator's [`TransferCommand::RetryRefund`] moves a transfer
    /// that needs attention).
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
            TransferState::CreditRejected {
                timed_out: true, ..
            } => "timed out, compensating",
            TransferState::CreditRejected { .. } => "compensating",
            TransferState::Completed(_) => "completed",
            TransferState::Failed { reversed: true, .. } => "compensated",
            TransferState::Failed { .. } => "failed",
            TransferState::CompensationFailed { .. } => "needs attention",
            TransferState::RefundRetrying { .. } => "refund retried by an operator",
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
    /// `differs` names each detail that is not the existing transfer's.
    #[error("transfer {transfer_id} already exists with different details: {differs}")]
    IdReused {
        transfer_id: TransferId,
        differs: String,
    },
    #[error("the transfer has not been started")]
    NotStarted,
    #[error("transfer {transfer_id} is {phase}: it does not expect this step")]
    UnexpectedStep {
        transfer_id: TransferId,
        phase: &'static str,
    },
    #[error("an operator's fix needs a reason")]
    BlankReason,
    #[error("a refund goes back to the payer, not to the destination {account_id}")]
    RefundToDestination { account_id: AccountId },
    /// Checked by the app, which knows the accounts' owners.
    #[error("{refund_to} is not an account of the owner of {source_account}: a refund goes back to the payer")]
    OtherOwner {
        refund_to: AccountId,
        source_account: AccountId,
    },
}

/// The transfer as a [`Decider`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer;

impl Decider for Transfer {
    type Command = TransferCommand;
    type State = TransferState;
    type Error = TransferError;

    fn initial_state() -> TransferState {
        initial_state()
    }

    fn decide(c: &TransferCommand, state: &TransferState) -> Result<Vec<Event>, TransferError> {
        decide(c, state)
    }

    fn evolve(state: TransferState, event: &Event) -> TransferState {
        evolve(state, event)
    }
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
        Some(d) => match differences(d, start) {
            None => Ok(vec![]),
            Some(differs) => Err(TransferError::IdReused {
                transfer_id: start.transfer_id.clone(),
                differs,
            }),
        },
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
            Ok(vec![failed(&format!(
                "debit of {} rejected: {reason}",
                d.from_account_id
            ))])
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
            Ok(vec![Event::TransferCreditRejected(
                TransferCreditRejected {
                    transfer_id: d.transfer_id.clone(),
                    from_account_id: d.from_account_id.clone(),
                    to_account_id: d.to_account_id.clone(),
                    amount: d.amount,
                    reason: reason.clone(),
                },
            )])
        }
        (
            TransferCommand::RecordRefunded
            | TransferCommand::RecordRefundRejected { .. }
            | TransferCommand::RetryRefund { .. },
            _,
        ) => record_refund(command, state, d).ok_or_else(unexpected)?,
        (TransferCommand::RecordAttemptFailed { reason }, state) => match state.pending_step() {
            Some(step) => Ok(vec![attempt_failed(step, d, reason)]),
            None => Err(unexpected()),
        },
        _ => Err(unexpected()),
    }
}

/// A failed attempt of `step`, at the virtual time `d.clock_ms`: a retry after its
/// backoff wait, or, for the credit when that retry would start after the deadline,
/// the give-up ([`retry`]).
fn attempt_failed(step: SagaStep, d: &TransferDetails, reason: &str) -> Event {
    let attempt = d.failed_attempts + 1;
    let deadline = (step == SagaStep::Credit).then_some(retry::DEADLINE_MS);
    match retry::after_failure(&d.transfer_id, attempt, d.clock_ms, deadline) {
        AfterFailure::RetryAt(retry_at_ms) => Event::TransferStepRetried(TransferStepRetried {
            transfer_id: d.transfer_id.clone(),
            step,
            attempt,
            reason: reason.to_owned(),
            retry_at_ms,
        }),
        AfterFailure::GiveUp => Event::TransferTimedOut(TransferTimedOut {
            transfer_id: d.transfer_id.clone(),
            from_account_id: d.from_account_id.clone(),
            to_account_id: d.to_account_id.clone(),
            amount: d.amount,
            attempts: attempt,
            at_ms: d.clock_ms,
            deadline_ms: retry::DEADLINE_MS,
            reason: format!(
                "gave up after {attempt} attempts at {} ms: the next retry would start after the {} ms deadline (last failure: {reason})",
                d.clock_ms,
                retry::DEADLINE_MS
            ),
        }),
    }
}

/// Records the refund's outcome, or an operator's retry of a refused one; `None`
/// when the transfer's phase does not expect it.
fn record_refund(
    command: &TransferCommand,
    state: &TransferState,
    d: &TransferDetails,
) -> Option<Result<Vec<Event>, TransferError>> {
    let failed = |reason: String| {
        Event::TransferFailed(TransferFailed {
            transfer_id: d.transfer_id.clone(),
            from_account_id: d.from_account_id.clone(),
            to_account_id: d.to_account_id.clone(),
            amount: d.amount,
            reason,
        })
    };
    Some(match (command, state) {
        (
            TransferCommand::RecordRefunded,
            TransferState::CreditRejected {
                reason, timed_out, ..
            },
        ) => Ok(vec![
            reversed(d),
            failed(format!(
                "credit of {} {}: {reason}; the debit was refunded",
                d.to_account_id,
                if *timed_out { "timed out" } else { "rejected" }
            )),
        ]),
        (TransferCommand::RecordRefunded, TransferState::RefundRetrying { refund_to, .. }) => {
            Ok(vec![
                reversed(d),
                failed(format!(
                    "credit of {} rejected; an operator's retry refunded the debit into {refund_to}",
                    d.to_account_id
                )),
            ])
        }
        (
            TransferCommand::RecordRefundRejected { reason: refund },
            TransferState::CreditRejected { reason: credit, .. },
        ) => Ok(vec![compensation_failed(
            d,
            &format!(
                "credit of {} rejected: {credit}; refund of {} rejected: {refund}; {} is still debited {}",
                d.to_account_id, d.from_account_id, d.from_account_id, d.amount
            ),
        )]),
        (
            TransferCommand::RecordRefundRejected { reason: refund },
            TransferState::RefundRetrying { refund_to, .. },
        ) => Ok(vec![compensation_failed(
            d,
            &format!(
                "the operator's retry of the refund into {refund_to} was rejected: {refund}; {} is still debited {}",
                d.from_account_id, d.amount
            ),
        )]),
        (
            TransferCommand::RetryRefund { refund_to, reason },
            TransferState::CompensationFailed { .. },
        ) => retry_refund(d, refund_to, reason),
        _ => return None,
    })
}

/// The refund's record: the source's debit was counteracted.
fn reversed(d: &TransferDetails) -> Event {
    Event::TransferReversed(TransferReversed {
        transfer_id: d.transfer_id.clone(),
        from_account_id: d.from_account_id.clone(),
        amount: d.amount,
    })
}

fn compensation_failed(d: &TransferDetails, reason: &str) -> Event {
    Event::TransferCompensationFailed(TransferCompensationFailed {
        transfer_id: d.transfer_id.clone(),
        from_account_id: d.from_account_id.clone(),
        to_account_id: d.to_account_id.clone(),
        amount: d.amount,
        reason: reason.to_owned(),
    })
}

/// An operator's retry of a refused refund: it needs a reason, and a refund never
/// goes on to the destination (that would complete the transfer by the back door).
fn retry_refund(
    d: &TransferDetails,
    refund_to: &AccountId,
    reason: &str,
) -> Result<Vec<Event>, TransferError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(TransferError::BlankReason);
    }
    if *refund_to == d.to_account_id {
        return Err(TransferError::RefundToDestination {
            account_id: refund_to.clone(),
        });
    }
    Ok(vec![Event::TransferRefundRetried(TransferRefundRetried {
        transfer_id: d.transfer_id.clone(),
        from_account_id: d.from_account_id.clone(),
        refund_account_id: refund_to.clone(),
        amount: d.amount,
        reason: reason.to_owned(),
    })])
}

/// Which details of `start` are not those of the existing transfer `d`, in words
/// ("the amount differs: it is 250.00, not 1.00"), or `None` when it is the same.
fn differences(d: &TransferDetails, start: &TransferMoney) -> Option<String> {
    let differs = |what: &str, was: &dyn std::fmt::Display, now: &dyn std::fmt::Display| {
        format!("the {what} differs: it is {was}, not {now}")
    };
    let description = start.description.trim();
    let found: Vec<String> = [
        (d.from_account_id != start.from_account_id)
            .then(|| differs("source", &d.from_account_id, &start.from_account_id)),
        (d.to_account_id != start.to_account_id)
            .then(|| differs("destination", &d.to_account_id, &start.to_account_id)),
        (d.amount != start.amount).then(|| differs("amount", &d.amount, &start.amount)),
        (d.description != description).then(|| {
            differs(
                "description",
                &format!("\"{}\"", d.description),
                &format!("\"{description}\""),
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!found.is_empty()).then(|| found.join("; "))
}
