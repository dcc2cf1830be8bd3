//! Folding a transfer's events into its state, and which events a state accepts or
//! ends with.

use super::{TransferDetails, TransferState};
use crate::domain::events::{Event, EventKind, TransferEvent};

/// Folds one event into the transfer's state. Events of other streams are ignored.
#[must_use]
pub fn evolve(state: TransferState, event: &Event) -> TransferState {
    match event.kind() {
        EventKind::Transfer(event) => evolve_transfer(state, event),
        // An account's events (a leg included) sit in the account's stream.
        EventKind::Account(_) => state,
    }
}

fn evolve_transfer(state: TransferState, event: TransferEvent<'_>) -> TransferState {
    match event {
        TransferEvent::Initiated(e) => match state {
            TransferState::NotStarted => TransferState::Initiated(TransferDetails {
                transfer_id: e.transfer_id.clone(),
                from_account_id: e.from_account_id.clone(),
                to_account_id: e.to_account_id.clone(),
                amount: e.amount,
                description: e.description.clone(),
                run_mode: e.run_mode,
                failed_attempts: 0,
                clock_ms: 0,
            }),
            state => state,
        },
        TransferEvent::Debited(_) => match state {
            TransferState::Initiated(d) => TransferState::Debited(fresh_step(d)),
            state => state,
        },
        TransferEvent::Completed(_) => match state {
            TransferState::Debited(d) => TransferState::Completed(fresh_step(d)),
            state => state,
        },
        TransferEvent::CreditRejected(e) => match state {
            TransferState::Debited(d) => TransferState::CreditRejected {
                details: fresh_step(d),
                reason: e.reason.clone(),
                timed_out: false,
            },
            state => state,
        },
        // TransferReversed is always followed by TransferFailed in the same append.
        TransferEvent::Reversed(_) => state,
        TransferEvent::Failed(e) => match state {
            TransferState::Initiated(d) => TransferState::Failed {
                details: fresh_step(d),
                reason: e.reason.clone(),
                reversed: false,
            },
            TransferState::CreditRejected { details, .. }
            | TransferState::RefundRetrying { details, .. } => TransferState::Failed {
                details: fresh_step(details),
                reason: e.reason.clone(),
                reversed: true,
            },
            state => state,
        },
        TransferEvent::CompensationFailed(e) => match state {
            TransferState::CreditRejected { details, .. }
            | TransferState::RefundRetrying { details, .. } => TransferState::CompensationFailed {
                details: fresh_step(details),
                reason: e.reason.clone(),
            },
            state => state,
        },
        TransferEvent::StepRetried(e) => {
            let mut state = state;
            if let Some(d) = details_mut(&mut state) {
                d.failed_attempts += 1;
                d.clock_ms = e.retry_at_ms;
            }
            state
        }
        TransferEvent::TimedOut(e) => match state {
            TransferState::Debited(d) => TransferState::CreditRejected {
                details: fresh_step(d),
                reason: e.reason.clone(),
                timed_out: true,
            },
            state => state,
        },
        TransferEvent::RefundRetried(e) => match state {
            TransferState::CompensationFailed { details, .. } => TransferState::RefundRetrying {
                details: fresh_step(details),
                refund_to: e.refund_account_id.clone(),
                reason: e.reason.clone(),
            },
            state => state,
        },
    }
}

fn fresh_step(mut d: TransferDetails) -> TransferDetails {
    d.failed_attempts = 0;
    d.clock_ms = 0;
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
        | TransferState::CompensationFailed { details, .. }
        | TransferState::RefundRetrying { details, .. } => Some(details),
    }
}

/// Whether `event` ends its transfer: nothing follows it in the saga.
#[must_use]
pub fn ends(event: &Event) -> bool {
    match event.kind() {
        EventKind::Account(_) => false,
        EventKind::Transfer(e) => match e {
            TransferEvent::Completed(_)
            | TransferEvent::Failed(_)
            | TransferEvent::CompensationFailed(_) => true,
            TransferEvent::Initiated(_)
            | TransferEvent::Debited(_)
            | TransferEvent::CreditRejected(_)
            | TransferEvent::Reversed(_)
            | TransferEvent::StepRetried(_)
            | TransferEvent::TimedOut(_)
            | TransferEvent::RefundRetried(_) => false,
        },
    }
}

/// Whether `event` is a legal next event for a transfer in `state` (used to check an
/// imported log; `evolve` itself has no rules). An account's event never is.
#[must_use]
pub fn accepts(state: &TransferState, event: &Event) -> bool {
    let event = match event.kind() {
        EventKind::Transfer(event) => event,
        EventKind::Account(_) => return false,
    };
    match event {
        TransferEvent::Initiated(_) => matches!(state, TransferState::NotStarted),
        TransferEvent::Debited(_) => matches!(state, TransferState::Initiated(_)),
        TransferEvent::Failed(_) => matches!(
            state,
            TransferState::Initiated(_)
                | TransferState::CreditRejected { .. }
                | TransferState::RefundRetrying { .. }
        ),
        TransferEvent::Completed(_)
        | TransferEvent::CreditRejected(_)
        | TransferEvent::TimedOut(_) => {
            matches!(state, TransferState::Debited(_))
        }
        TransferEvent::Reversed(_) | TransferEvent::CompensationFailed(_) => matches!(
            state,
            TransferState::CreditRejected { .. } | TransferState::RefundRetrying { .. }
        ),
        TransferEvent::StepRetried(_) => state.pending_step().is_some(),
        TransferEvent::RefundRetried(_) => {
            matches!(state, TransferState::CompensationFailed { .. })
        }
    }
}
