//! The transfer saga as a state machine to draw: its phases without their data
//! ([`Phase`], every one in [`Phase::ALL`]) and every move between them
//! ([`TRANSITIONS`]: from, the events that cause it, to), retries included as a loop on
//! the step they repeat. The state diagram (`app::views::saga_diagram`) is generated
//! from these, and a test folds the decider's own moves to hold this table to
//! [`super::transfer::evolve`], so a phase or a move added there cannot be missing here.

use super::events::EventType;
use super::transfer::TransferState;

/// A transfer's phase, without its data: one per node of the diagram. `Failed` is
/// split by whether a debit had to be refunded first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    Initiated,
    Debited,
    CreditRejected,
    Completed,
    /// Failed before any money moved (the debit was rejected).
    Failed,
    /// Failed after the debit was refunded (compensated).
    Refunded,
    /// The refund was rejected: needs a person.
    CompensationFailed,
    /// The credit's retries ran into its deadline: the refund comes next.
    TimedOut,
    /// An operator retried the refused refund (into the source or another account of
    /// its owner); the saga's refund step runs again.
    RefundRetried,
}

impl Phase {
    /// Every phase of a started transfer, in the order the saga can reach them.
    pub const ALL: [Phase; 9] = [
        Phase::Initiated,
        Phase::Debited,
        Phase::CreditRejected,
        Phase::Completed,
        Phase::Failed,
        Phase::Refunded,
        Phase::CompensationFailed,
        Phase::TimedOut,
        Phase::RefundRetried,
    ];

    /// The phase's name as the diagram shows it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Phase::Initiated => "initiated",
            Phase::Debited => "debited",
            Phase::CreditRejected => "credit rejected",
            Phase::Completed => "completed",
            Phase::Failed => "failed, no refund",
            Phase::Refunded => "failed, refunded",
            Phase::CompensationFailed => "compensation failed",
            Phase::TimedOut => "credit timed out",
            Phase::RefundRetried => "retried by operator",
        }
    }

    /// Whether the transfer ends here. A transfer whose compensation failed has not
    /// ended: the saga stops there, but an operator's retry moves it on.
    #[must_use]
    pub fn is_terminal(self) -> bool {
        match self {
            Phase::Initiated
            | Phase::Debited
            | Phase::CreditRejected
            | Phase::TimedOut
            | Phase::CompensationFailed
            | Phase::RefundRetried => false,
            Phase::Completed | Phase::Failed | Phase::Refunded => true,
        }
    }
}

impl TransferState {
    /// The transfer's [`Phase`]; `None` before it is started.
    #[must_use]
    pub fn phase(&self) -> Option<Phase> {
        Some(match self {
            TransferState::NotStarted => return None,
            TransferState::Initiated(_) => Phase::Initiated,
            TransferState::Debited(_) => Phase::Debited,
            TransferState::CreditRejected {
                timed_out: false, ..
            } => Phase::CreditRejected,
            TransferState::CreditRejected {
                timed_out: true, ..
            } => Phase::TimedOut,
            TransferState::Completed(_) => Phase::Completed,
            TransferState::Failed {
                reversed: false, ..
            } => Phase::Failed,
            TransferState::Failed { reversed: true, .. } => Phase::Refunded,
            TransferState::CompensationFailed { .. } => Phase::CompensationFailed,
            TransferState::RefundRetrying { .. } => Phase::RefundRetried,
        })
    }
}

/// One move of the saga: from a phase, the events one saga step writes (in order),
/// to a phase. `from == to` is a retry: the loop on the step it repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub from: Phase,
    pub events: &'static [EventType],
    pub to: Phase,
}

impl Transition {
    /// Whether the saga is still on its happy path after this move.
    #[must_use]
    pub fn is_happy(&self) -> bool {
        matches!(self.to, Phase::Debited | Phase::Completed) || self.is_retry()
    }

    /// A person's move, not the saga's: an operator's fix of a transfer that needs
    /// attention.
    #[must_use]
    pub fn is_operator(&self) -> bool {
        self.events.contains(&EventType::TransferRefundRetried)
    }

    /// A retry: a loop on the step it repeats.
    #[must_use]
    pub fn is_retry(&self) -> bool {
        self.from == self.to
    }

    /// Whether folding `event` moved a transfer from `before` to `after` by this
    /// transition: its last event lands on `to`, an earlier one leaves it in `from`.
    #[must_use]
    pub fn covers(&self, before: Phase, event: EventType, after: Phase) -> bool {
        let Some(i) = self.events.iter().position(|e| *e == event) else {
            return false;
        };
        let lands = if i + 1 == self.events.len() {
            self.to
        } else {
            self.from
        };
        self.from == before && lands == after
    }
}

/// The transition that folding `event` in phase `before` to phase `after` took.
#[must_use]
pub fn transition_of(before: Phase, event: EventType, after: Phase) -> Option<usize> {
    TRANSITIONS
        .iter()
        .position(|t| t.covers(before, event, after))
}

/// The event that starts a transfer (no phase yet) in [`Phase::Initiated`]: the
/// diagram's entry arrow.
pub const ENTRY: EventType = EventType::TransferInitiated;

/// Every move of the transfer saga, happy path first.
pub const TRANSITIONS: [Transition; 17] = [
    Transition {
        from: Phase::Initiated,
        events: &[EventType::TransferDebited],
        to: Phase::Debited,
    },
    Transition {
        from: Phase::Debited,
        events: &[EventType::TransferCompleted],
        to: Phase::Completed,
    },
    Transition {
        from: Phase::Initiated,
        events: &[EventType::TransferFailed],
        to: Phase::Failed,
    },
    Transition {
        from: Phase::Debited,
        events: &[EventType::TransferCreditRejected],
        to: Phase::CreditRejected,
    },
    Transition {
        from: Phase::CreditRejected,
        events: &[EventType::TransferReversed, EventType::TransferFailed],
        to: Phase::Refunded,
    },
    Transition {
        from: Phase::CreditRejected,
        events: &[EventType::TransferCompensationFailed],
        to: Phase::CompensationFailed,
    },
    Transition {
        from: Phase::Initiated,
        events: &[EventType::TransferStepRetried],
        to: Phase::Initiated,
    },
    Transition {
        from: Phase::Debited,
        events: &[EventType::TransferStepRetried],
        to: Phase::Debited,
    },
    Transition {
        from: Phase::CreditRejected,
        events: &[EventType::TransferStepRetried],
        to: Phase::CreditRejected,
    },
    Transition {
        from: Phase::Debited,
        events: &[EventType::TransferTimedOut],
        to: Phase::TimedOut,
    },
    Transition {
        from: Phase::TimedOut,
        events: &[EventType::TransferReversed, EventType::TransferFailed],
        to: Phase::Refunded,
    },
    Transition {
        from: Phase::TimedOut,
        events: &[EventType::TransferCompensationFailed],
        to: Phase::CompensationFailed,
    },
    Transition {
        from: Phase::TimedOut,
        events: &[EventType::TransferStepRetried],
        to: Phase::TimedOut,
    },
    Transition {
        from: Phase::CompensationFailed,
        events: &[EventType::TransferRefundRetried],
        to: Phase::RefundRetried,
    },
    Transition {
        from: Phase::RefundRetried,
        events: &[EventType::TransferReversed, EventType::TransferFailed],
        to: Phase::Refunded,
    },
    Transition {
        from: Phase::RefundRetried,
        events: &[EventType::TransferCompensationFailed],
        to: Phase::CompensationFailed,
    },
    Transition {
        from: Phase::RefundRetried,
        events: &[EventType::TransferStepRetried],
        to: Phase::RefundRetried,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::transfer::{decide, evolve, TransferCommand};
    use crate::domain::{AccountId, Money, RunMode, TransferId, TransferMoney};

    /// One of every command the saga records, to try in every phase.
    fn every_command() -> Vec<TransferCommand> {
        let reason = || "refused".to_owned();
        let start = TransferMoney {
            transfer_id: TransferId::parse("t1").unwrap(),
            from_account_id: AccountId::parse("a").unwrap(),
            to_account_id: AccountId::parse("b").unwrap(),
            amount: Money::parse("5.00").unwrap(),
            description: String::new(),
        };
        let commands = vec![
            TransferCommand::Initiate(start, RunMode::Step),
            TransferCommand::RecordDebited,
            TransferCommand::RecordDebitRejected { reason: reason() },
            TransferCommand::RecordCredited,
            TransferCommand::RecordCreditRejected { reason: reason() },
            TransferCommand::RecordRefunded,
            TransferCommand::RecordRefundRejected { reason: reason() },
            TransferCommand::RecordAttemptFailed { reason: reason() },
            TransferCommand::RetryRefund {
                refund_to: AccountId::parse("a2").unwrap(),
                reason: "the source is closed".to_owned(),
            },
        ];
        // A command added to the decider must be added above: this match says so.
        for c in &commands {
            match c {
                TransferCommand::Initiate(..)
                | TransferCommand::RecordDebited
                | TransferCommand::RecordDebitRejected { .. }
                | TransferCommand::RecordCredited
                | TransferCommand::RecordCreditRejected { .. }
                | TransferCommand::RecordRefunded
                | TransferCommand::RecordRefundRejected { .. }
                | TransferCommand::RecordAttemptFailed { .. }
                | TransferCommand::RetryRefund { .. } => {}
            }
        }
        commands
    }

    /// Every move the decider can make, found by trying every command in every state
    /// it reaches (up to five failed attempts of a step, past the credit's deadline):
    /// (phase before, event, phase after), `None` before the start.
    fn decider_moves() -> Vec<(Option<Phase>, EventType, Option<Phase>)> {
        let mut moves = Vec::new();
        let mut seen = vec![TransferState::NotStarted];
        let mut queue = vec![TransferState::NotStarted];
        while let Some(state) = queue.pop() {
            for command in every_command() {
                let Ok(events) = decide(&command, &state) else {
                    continue;
                };
                let mut now = state.clone();
                for event in &events {
                    let before = now.phase();
                    now = evolve(now, event);
                    moves.push((before, event.ty(), now.phase()));
                }
                let attempts = now.details().map_or(0, |d| d.failed_attempts);
                if attempts <= 5 && !seen.contains(&now) {
                    seen.push(now.clone());
                    queue.push(now);
                }
            }
        }
        moves
    }

    #[test]
    fn every_move_the_decider_makes_is_in_the_table() {
        for (before, event, after) in decider_moves() {
            match (before, after) {
                (None, Some(Phase::Initiated)) => assert_eq!(event, ENTRY),
                (Some(before), Some(after)) => assert!(
                    transition_of(before, event, after).is_some(),
                    "{before:?} --{}--> {after:?} is missing from TRANSITIONS",
                    event.name()
                ),
                other => panic!("an unexpected move {other:?} by {}", event.name()),
            }
        }
    }

    #[test]
    fn every_phase_and_every_transition_is_reached_by_the_decider() {
        let moves = decider_moves();
        for phase in Phase::ALL {
            assert!(
                moves.iter().any(|(_, _, after)| *after == Some(phase)),
                "{phase:?} is never reached"
            );
        }
        for (i, t) in TRANSITIONS.iter().enumerate() {
            let last = *t.events.last().unwrap();
            assert!(
                moves.iter().any(|&(b, e, a)| b == Some(t.from)
                    && e == last
                    && a == Some(t.to)
                    && transition_of(t.from, e, t.to) == Some(i)),
                "{t:?} is never taken"
            );
        }
    }

    #[test]
    fn the_phases_are_listed_once_and_three_of_them_end_the_saga() {
        for (i, p) in Phase::ALL.iter().enumerate() {
            assert!(!Phase::ALL[..i].contains(p), "{p:?} twice");
        }
        let ends: Vec<_> = Phase::ALL.into_iter().filter(|p| p.is_terminal()).collect();
        assert_eq!(ends, [Phase::Completed, Phase::Failed, Phase::Refunded]);
        assert!(TRANSITIONS.iter().all(|t| !t.from.is_terminal()));
    }

    #[test]
    fn a_transfer_that_needs_attention_leaves_only_by_an_operators_fix() {
        let out: Vec<_> = TRANSITIONS
            .iter()
            .filter(|t| t.from == Phase::CompensationFailed)
            .collect();
        assert_eq!(out.len(), 1);
        assert!(out[0].is_operator() && out[0].to == Phase::RefundRetried);
        assert_eq!(TRANSITIONS.iter().filter(|t| t.is_operator()).count(), 1);
    }
}
