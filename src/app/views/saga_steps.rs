//! The steps of a transfer's saga as the timeline shows them: one span per step, in
//! the order the saga runs them, the compensation path beside the happy path, each
//! with where it stands (done, rejected, next, to come, not taken) and the events it
//! wrote. Pure: computed from the transfer's read model.

use crate::app::projections::{TimelineEntry, TimelineKind, TransferView};
use crate::app::TransferStatus;
use crate::domain::{SagaStep, TransferState};

/// Where a span stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanStatus {
    Done,
    Rejected,
    Next,
    ToCome,
    NotTaken,
}

impl SpanStatus {
    /// The status in words (also the span's `data-status`).
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            SpanStatus::Done => "done",
            SpanStatus::Rejected => "rejected",
            SpanStatus::Next => "next",
            SpanStatus::ToCome => "to come",
            SpanStatus::NotTaken => "not taken",
        }
    }
    /// The BEM modifier class of a span with this status.
    #[must_use]
    pub fn modifier(self) -> &'static str {
        match self {
            SpanStatus::Done => "saga-timeline__step--done",
            SpanStatus::Rejected => "saga-timeline__step--rejected",
            SpanStatus::Next => "saga-timeline__step--next",
            SpanStatus::ToCome => "saga-timeline__step--to-come",
            SpanStatus::NotTaken => "saga-timeline__step--not-taken",
        }
    }
}

/// One step of the saga as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub key: &'static str,
    pub title: String,
    pub explain: String,
    pub status: SpanStatus,
    pub entries: Vec<TimelineEntry>,
}

/// The happy path and the compensation path of a transfer, as spans.
#[must_use]
pub fn spans(t: &TransferView) -> (Vec<Span>, Vec<Span>) {
    let of = |pred: &dyn Fn(TimelineKind) -> bool| -> Vec<TimelineEntry> {
        t.timeline
            .iter()
            .filter(|e| pred(e.kind))
            .cloned()
            .collect()
    };
    let pending = t.state.pending_step();
    let debit_failed = matches!(
        t.state,
        TransferState::Failed {
            reversed: false,
            ..
        }
    );
    let credit_rejected = t
        .timeline
        .iter()
        .any(|e| e.kind == TimelineKind::CreditRejected);
    let refund_failed = matches!(t.state, TransferState::CompensationFailed { .. });
    let status = |entries: &[TimelineEntry], rejected: bool, next: bool, on_path: bool| {
        if rejected {
            SpanStatus::Rejected
        } else if entries
            .iter()
            .any(|e| !matches!(e.kind, TimelineKind::Retried(_)))
        {
            SpanStatus::Done
        } else if next {
            SpanStatus::Next
        } else if on_path {
            SpanStatus::ToCome
        } else {
            SpanStatus::NotTaken
        }
    };
    let span = |key,
                title: String,
                explain: &str,
                entries: Vec<TimelineEntry>,
                rejected,
                next,
                on_path| Span {
        key,
        status: status(&entries, rejected, next, on_path),
        title,
        explain: explain.to_owned(),
        entries,
    };
    let happy_on = !debit_failed && !credit_rejected;
    let credit_explain = t
        .timeline
        .iter()
        .find_map(|e| match &e.kind {
            TimelineKind::CreditRejected => Some(format!(
                "DepositMoney on the destination was refused ({}), so nothing was credited.",
                e.summary
                    .trim_start_matches(&format!("credit of {} rejected: ", t.to_account_id))
            )),
            _ => None,
        })
        .unwrap_or_else(|| "DepositMoney on the destination.".to_owned());
    let main = vec![
        span(
            "initiated",
            "Initiated".into(),
            "TransferMoney was checked and TransferInitiated written to the transfer's own stream.",
            of(&|k| k == TimelineKind::Initiated),
            false,
            false,
            true,
        ),
        span(
            "debit",
            format!("Debit {}", t.from_account_id),
            "WithdrawMoney on the source; the transfer records TransferDebited.",
            of(&|k| {
                matches!(
                    k,
                    TimelineKind::Leg(SagaStep::Debit)
                        | TimelineKind::Debited
                        | TimelineKind::Retried(SagaStep::Debit)
                )
            }),
            debit_failed,
            pending == Some(SagaStep::Debit),
            true,
        ),
        span(
            "credit",
            format!("Credit {}", t.to_account_id),
            &credit_explain,
            of(&|k| {
                matches!(
                    k,
                    TimelineKind::Leg(SagaStep::Credit) | TimelineKind::Retried(SagaStep::Credit)
                )
            }),
            credit_rejected,
            pending == Some(SagaStep::Credit),
            !debit_failed,
        ),
        span(
            "completed",
            "Completed".into(),
            "TransferCompleted: both legs done.",
            of(&|k| k == TimelineKind::Completed),
            false,
            false,
            happy_on,
        ),
    ];
    // Until the credit is decided, the compensation path may still run.
    let compensation_on = credit_rejected
        || matches!(
            t.state,
            TransferState::Initiated(_) | TransferState::Debited(_)
        );
    let mut compensation = vec![
        span(
            "credit-rejected",
            "Credit rejected".into(),
            "The destination refused: TransferCreditRejected records why.",
            of(&|k| k == TimelineKind::CreditRejected),
            false,
            false,
            compensation_on,
        ),
        span(
            "refund",
            format!("Refund {}", t.from_account_id),
            "Compensation: DepositMoney back to the source.",
            of(&|k| {
                matches!(
                    k,
                    TimelineKind::Leg(SagaStep::Refund) | TimelineKind::Retried(SagaStep::Refund)
                )
            }),
            refund_failed,
            pending == Some(SagaStep::Refund),
            compensation_on,
        ),
    ];
    if refund_failed {
        compensation.push(span(
            "needs-attention",
            "Needs attention".into(),
            "The refund itself was rejected: the source is still debited. A person must step in.",
            of(&|k| k == TimelineKind::CompensationFailed),
            true,
            false,
            true,
        ));
    } else {
        compensation.push(span(
            "reversed",
            "Reversed".into(),
            "TransferReversed: the debit is undone.",
            of(&|k| k == TimelineKind::Reversed),
            false,
            false,
            compensation_on,
        ));
    }
    let failed = span(
        "failed",
        "Failed".into(),
        "TransferFailed, with the real reason.",
        of(&|k| k == TimelineKind::Failed),
        false,
        false,
        debit_failed || (compensation_on && !refund_failed),
    );
    if debit_failed {
        let mut main = main;
        main.pop();
        main.push(failed);
        (
            main,
            compensation
                .into_iter()
                .map(|mut s| {
                    s.status = SpanStatus::NotTaken;
                    s
                })
                .collect(),
        )
    } else {
        compensation.push(failed);
        (main, compensation)
    }
}

/// Where a saga stands, in one sentence for the timeline's header and announcements:
/// its [`TransferStatus`] once it has ended, what comes next while it runs.
#[must_use]
pub fn describe_state(state: &TransferState) -> String {
    let status = TransferStatus::of(state);
    match state {
        TransferState::NotStarted => "not started".into(),
        TransferState::Initiated(_) => "initiated, the debit is next".into(),
        TransferState::Debited(d) => format!("{} debited, the credit is next", d.from_account_id),
        TransferState::CreditRejected { details, .. } => {
            format!("credit rejected, refunding {}", details.from_account_id)
        }
        TransferState::Completed(_) => status.to_string(),
        TransferState::Failed { reversed: true, .. } => format!("{status}: the debit was reversed"),
        TransferState::Failed { reason, .. } => format!("{status}: {reason}"),
        TransferState::CompensationFailed { .. } => format!("{status}: the refund was rejected"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Bank, Env, FaultPlan};
    use crate::domain::account::{CloseAccount, OpenAccount};
    use crate::domain::{AccountId, BankCommand, Money, RunMode, TransferId, TransferMoney};
    use crate::store::MemoryStore;
    use futures::executor::block_on;

    fn id(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    /// Each span of a lane: its key and its status in words.
    type Lane = Vec<(&'static str, &'static str)>;

    /// Given Ann (100.00) and Ben (0.00, closed if `closed`), transfer `t` of 10.00
    /// started by hand and stepped `steps` times; the statuses of both lanes.
    fn statuses(closed: bool, steps: usize) -> (Lane, Lane) {
        let (bank, t) = stepped(closed, steps);
        let (main, compensation) = bank.read(|m| spans(&m.transfers[&t]));
        let words =
            |lane: Vec<Span>| -> Lane { lane.iter().map(|s| (s.key, s.status.label())).collect() };
        (words(main), words(compensation))
    }

    /// How the timeline describes transfer `t` after `steps` steps (see [`stepped`]).
    fn described(closed: bool, steps: usize) -> String {
        let (bank, t) = stepped(closed, steps);
        bank.read(|m| describe_state(&m.transfers[&t].state))
    }

    #[test]
    fn each_phase_is_described_by_what_comes_next_and_each_end_by_its_status() {
        assert_eq!(described(false, 0), "initiated, the debit is next");
        assert_eq!(described(false, 1), "ann debited, the credit is next");
        assert_eq!(described(false, 2), "completed");
        assert_eq!(described(true, 2), "credit rejected, refunding ann");
        assert_eq!(described(true, 4), "compensated: the debit was reversed");
    }

    /// The bank and transfer of [`statuses`].
    fn stepped(closed: bool, steps: usize) -> (Bank<MemoryStore>, TransferId) {
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("s"))).unwrap();
        for (account, balance) in [("ann", "100.00"), ("ben", "0.00")] {
            block_on(bank.execute(BankCommand::OpenAccount(OpenAccount {
                account_id: id(account),
                owner_name: account.into(),
                initial_balance: Money::parse(balance).unwrap(),
            })))
            .unwrap();
        }
        if closed {
            block_on(bank.execute(BankCommand::CloseAccount(CloseAccount {
                account_id: id("ben"),
            })))
            .unwrap();
        }
        let t = TransferId::parse("t").unwrap();
        let command = TransferMoney {
            transfer_id: t.clone(),
            from_account_id: id("ann"),
            to_account_id: id("ben"),
            amount: Money::parse("10.00").unwrap(),
            description: String::new(),
        };
        block_on(bank.start_transfer_with(command, FaultPlan::default(), RunMode::Step)).unwrap();
        for _ in 0..steps {
            block_on(bank.step(&t)).unwrap();
        }
        (bank, t)
    }

    #[test]
    fn a_transfer_just_started_has_its_debit_next_and_both_paths_to_come() {
        let (main, compensation) = statuses(false, 0);
        assert_eq!(
            main,
            [
                ("initiated", "done"),
                ("debit", "next"),
                ("credit", "to come"),
                ("completed", "to come")
            ]
        );
        assert_eq!(
            compensation,
            [
                ("credit-rejected", "to come"),
                ("refund", "to come"),
                ("reversed", "to come"),
                ("failed", "to come")
            ]
        );
    }

    #[test]
    fn a_completed_transfer_has_its_compensation_not_taken() {
        let (main, compensation) = statuses(false, 2);
        assert!(main.iter().all(|(_, s)| *s == "done"), "{main:?}");
        assert!(
            compensation.iter().all(|(_, s)| *s == "not taken"),
            "{compensation:?}"
        );
    }

    #[test]
    fn a_refused_credit_is_rejected_and_the_compensation_runs() {
        let (main, compensation) = statuses(true, 3);
        assert_eq!(
            main,
            [
                ("initiated", "done"),
                ("debit", "done"),
                ("credit", "rejected"),
                ("completed", "not taken")
            ]
        );
        assert_eq!(
            compensation,
            [
                ("credit-rejected", "done"),
                ("refund", "done"),
                ("reversed", "done"),
                ("failed", "done")
            ]
        );
    }
}
