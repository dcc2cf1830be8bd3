//! Replaying a transfer's log: the saga outcome each event records, and the leg it
//! ran or refused (`app::import` checks an imported log with them).

use super::{TransferCommand, TransferMoney};
use crate::domain::events::TransferEvent;
use crate::domain::SagaStep;

/// The saga outcome that would have made a transfer write `event` (`compensating`:
/// the transfer's credit was rejected, so a failure is the refund's). Reasons that the
/// saga words itself are left empty and not compared (see `app::import`).
#[must_use]
pub fn replay(event: TransferEvent<'_>, compensating: bool) -> TransferCommand {
    let no_reason = String::new;
    match event {
        TransferEvent::Initiated(e) => TransferCommand::Initiate(
            TransferMoney {
                transfer_id: e.transfer_id.clone(),
                from_account_id: e.from_account_id.clone(),
                to_account_id: e.to_account_id.clone(),
                amount: e.amount,
                description: e.description.clone(),
            },
            e.run_mode,
        ),
        TransferEvent::Debited(_) => TransferCommand::RecordDebited,
        TransferEvent::Completed(_) => TransferCommand::RecordCredited,
        TransferEvent::CreditRejected(e) => TransferCommand::RecordCreditRejected {
            reason: e.reason.clone(),
        },
        TransferEvent::Reversed(_) => TransferCommand::RecordRefunded,
        TransferEvent::Failed(_) if compensating => TransferCommand::RecordRefunded,
        TransferEvent::Failed(_) => TransferCommand::RecordDebitRejected {
            reason: no_reason(),
        },
        TransferEvent::CompensationFailed(_) => TransferCommand::RecordRefundRejected {
            reason: no_reason(),
        },
        TransferEvent::StepRetried(e) => TransferCommand::RecordAttemptFailed {
            reason: e.reason.clone(),
        },
        TransferEvent::TimedOut(_) => TransferCommand::RecordAttemptFailed {
            reason: no_reason(),
        },
        TransferEvent::RefundRetried(e) => TransferCommand::RetryRefund {
            refund_to: e.refund_account_id.clone(),
            reason: e.reason.clone(),
        },
    }
}

/// The leg a transfer's event records, and whether that leg ran (`true`: its money
/// moved) or was refused. `compensating`: the credit was rejected, so a failure is
/// the refund's. Checking an imported log holds each event to its leg.
#[must_use]
pub fn leg_recorded(event: TransferEvent<'_>, compensating: bool) -> Option<(SagaStep, bool)> {
    match event {
        TransferEvent::Debited(_) => Some((SagaStep::Debit, true)),
        TransferEvent::Completed(_) => Some((SagaStep::Credit, true)),
        TransferEvent::Reversed(_) => Some((SagaStep::Refund, true)),
        TransferEvent::Failed(_) if !compensating => Some((SagaStep::Debit, false)),
        TransferEvent::CreditRejected(_) | TransferEvent::TimedOut(_) => {
            Some((SagaStep::Credit, false))
        }
        TransferEvent::CompensationFailed(_) => Some((SagaStep::Refund, false)),
        // The failure after a refund is written with the refund's TransferReversed.
        TransferEvent::Failed(_)
        | TransferEvent::Initiated(_)
        | TransferEvent::StepRetried(_)
        | TransferEvent::RefundRetried(_) => None,
    }
}
