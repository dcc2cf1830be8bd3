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

/// The happy path and the compensation path of a transfer, as spans. When the debit
/// itself failed, "Failed" ends the happy path and the compensation was not taken;
/// otherwise "Failed" ends the compensation path.
#[must_use]
pub fn spans(t: &TransferView) -> (Vec<Span>, Vec<Span>) {
    let facts = Facts::of(t);
    let mut main = facts.main_lane();
    let mut compensation = facts.compensation_lane();
    let failed = facts.failed_span();
    if facts.debit_failed {
        main.pop();
        main.push(failed);
        for span in &mut compensation {
            span.status = SpanStatus::NotTaken;
        }
    } else {
        compensation.push(failed);
    }
    (main, compensation)
}

/// What the spans of a transfer depend on, read once from its read model.
struct Facts<'a> {
    t: &'a TransferView,
    pending: Option<SagaStep>,
    /// The debit was refused: nothing moved.
    debit_failed: bool,
    credit_rejected: bool,
    /// The credit was given up at its deadline (`credit_rejected` is then set too).
    timed_out: bool,
    refund_failed: bool,
    /// The compensation path is taken, or may still be (until the credit is decided).
    compensation_on: bool,
}

/// A span before its status is worked out.
struct SpanSpec {
    key: &'static str,
    title: String,
    explain: String,
    entries: Vec<TimelineEntry>,
    /// The step was refused.
    rejected: bool,
    /// The step is the saga's next.
    next: bool,
    /// The step lies on the path the saga takes (or may still take).
    on_path: bool,
}

impl SpanSpec {
    fn build(self) -> Span {
        let done = self
            .entries
            .iter()
            .any(|e| !matches!(e.kind, TimelineKind::Retried(_)));
        let status = if self.rejected {
            SpanStatus::Rejected
        } else if done {
            SpanStatus::Done
        } else if self.next {
            SpanStatus::Next
        } else if self.on_path {
            SpanStatus::ToCome
        } else {
            SpanStatus::NotTaken
        };
        Span {
            key: self.key,
            title: self.title,
            explain: self.explain,
            status,
            entries: self.entries,
        }
    }
}

impl Facts<'_> {
    fn of(t: &TransferView) -> Facts<'_> {
        let timed_out = t.timeline.iter().any(|e| e.kind == TimelineKind::TimedOut);
        let credit_rejected = timed_out
            || t.timeline
                .iter()
                .any(|e| e.kind == TimelineKind::CreditRejected);
        Facts {
            t,
            timed_out,
            pending: t.state.pending_step(),
            debit_failed: matches!(
                t.state,
                TransferState::Failed {
                    reversed: false,
                    ..
                }
            ),
            credit_rejected,
            refund_failed: matches!(t.state, TransferState::CompensationFailed { .. }),
            compensation_on: credit_rejected
                || matches!(
                    t.state,
                    TransferState::Initiated(_) | TransferState::Debited(_)
                ),
        }
    }

    /// The timeline entries of the kinds `pred` accepts.
    fn entries(&self, pred: impl Fn(TimelineKind) -> bool) -> Vec<TimelineEntry> {
        self.t
            .timeline
            .iter()
            .filter(|e| pred(e.kind))
            .cloned()
            .collect()
    }

    /// The entries of one leg of the saga, its retries included.
    fn leg(&self, step: SagaStep) -> Vec<TimelineEntry> {
        self.entries(|k| k == TimelineKind::Leg(step) || k == TimelineKind::Retried(step))
    }

    /// Why the credit was refused, in the destination's words, if it was.
    fn credit_refusal(&self) -> Option<&str> {
        let t = self.t;
        t.timeline
            .iter()
            .find(|e| {
                matches!(
                    e.kind,
                    TimelineKind::CreditRejected | TimelineKind::TimedOut
                )
            })
            .map(|e| {
                let word = if self.timed_out {
                    "timed out"
                } else {
                    "rejected"
                };
                let prefix = format!("credit of {} {word}: ", t.to_account_id);
                e.summary.strip_prefix(&prefix).unwrap_or(&e.summary)
            })
    }

    /// What the credit did, with the destination's reason when it refused.
    fn credit_explain(&self) -> String {
        match self.credit_refusal() {
            Some(why) if self.timed_out => format!(
                "DepositMoney on the destination kept failing, and the saga {why}; nothing was credited."
            ),
            Some(why) => format!(
                "DepositMoney on the destination was refused ({why}), so nothing was credited."
            ),
            None => self.with_retries(SagaStep::Credit, "DepositMoney on the destination."),
        }
    }

    /// What the debit did, with the source's reason when it refused.
    fn debit_explain(&self) -> String {
        let t = self.t;
        let refusal = self.debit_failed.then(|| t.reason()).flatten();
        match refusal {
            Some(reason) => {
                let prefix = format!("debit of {} rejected: ", t.from_account_id);
                format!(
                    "WithdrawMoney on the source was refused ({}), so nothing was taken; TransferFailed records why.",
                    reason.strip_prefix(&prefix).unwrap_or(reason)
                )
            }
            None => self.with_retries(
                SagaStep::Debit,
                "WithdrawMoney on the source; the transfer records TransferDebited.",
            ),
        }
    }

    /// What the refund did, with the source's reason when it refused.
    fn refund_explain(&self) -> String {
        let t = self.t;
        let refusal = self
            .refund_failed
            .then(|| t.reason())
            .flatten()
            .map(|reason| {
                let start = format!("refund of {} rejected: ", t.from_account_id);
                let end = format!("; {} is still debited {}", t.from_account_id, t.amount);
                let after = reason
                    .find(&start)
                    .map_or(reason, |i| &reason[i + start.len()..]);
                after.strip_suffix(&end).unwrap_or(after)
            });
        match refusal {
            Some(why) => format!(
                "Compensation: DepositMoney back to the source was refused ({why}), so {} is still debited {}.",
                t.from_account_id, t.amount
            ),
            None if self.retried_by_operator() => self.with_retries(
                SagaStep::Refund,
                "Compensation: DepositMoney back to the source was refused; after an operator's retry, DepositMoney into the account the operator chose.",
            ),
            None => self.with_retries(
                SagaStep::Refund,
                "Compensation: DepositMoney back to the source.",
            ),
        }
    }

    fn retried_by_operator(&self) -> bool {
        self.t
            .timeline
            .iter()
            .any(|e| e.kind == TimelineKind::RefundRetried)
    }

    /// `what` a step does, and how many of its attempts failed, if any did: the
    /// entries below say why, and whether it succeeded after all.
    fn with_retries(&self, step: SagaStep, what: &str) -> String {
        let failed = self
            .t
            .timeline
            .iter()
            .filter(|e| e.kind == TimelineKind::Retried(step))
            .count();
        let done = self
            .t
            .timeline
            .iter()
            .any(|e| e.kind == TimelineKind::Leg(step));
        match (failed, done) {
            (0, _) => what.to_owned(),
            (n, true) => format!("{what} It succeeded after {} failed.", attempts(n)),
            (n, false) if self.pending == Some(step) => format!(
                "{what} {} failed so far; it is tried again at the next step.",
                attempts(n)
            ),
            (n, false) => format!("{what} {} failed.", attempts(n)),
        }
    }

    fn main_lane(&self) -> Vec<Span> {
        let t = self.t;
        let completed = self.entries(|k| k == TimelineKind::Completed);
        let debit = self.entries(|k| {
            matches!(
                k,
                TimelineKind::Leg(SagaStep::Debit)
                    | TimelineKind::Debited
                    | TimelineKind::Retried(SagaStep::Debit)
            )
        });
        vec![
            SpanSpec {
                key: "initiated",
                title: "Initiated".into(),
                explain: "TransferMoney was checked and TransferInitiated written to the transfer's own stream.".into(),
                entries: self.entries(|k| k == TimelineKind::Initiated),
                rejected: false,
                next: false,
                on_path: true,
            },
            SpanSpec {
                key: "debit",
                title: format!("Debit {}", t.from_account_id),
                explain: self.debit_explain(),
                entries: debit,
                rejected: self.debit_failed,
                next: self.pending == Some(SagaStep::Debit),
                on_path: true,
            },
            SpanSpec {
                key: "credit",
                title: format!("Credit {}", t.to_account_id),
                explain: self.credit_explain(),
                entries: self.leg(SagaStep::Credit),
                rejected: self.credit_rejected,
                next: self.pending == Some(SagaStep::Credit),
                on_path: !self.debit_failed,
            },
            SpanSpec {
                key: "completed",
                title: "Completed".into(),
                explain: if completed.is_empty() {
                    "TransferCompleted, once both legs are done.".into()
                } else {
                    "TransferCompleted: both legs done.".into()
                },
                entries: completed,
                rejected: false,
                next: false,
                on_path: !self.debit_failed && !self.credit_rejected,
            },
        ]
        .into_iter()
        .map(SpanSpec::build)
        .collect()
    }

    /// "Needs attention" and the operator's fix, once a refund was refused: they stay
    /// in the lane after the fix, with the events that show what happened.
    fn attention_spans(&self) -> Vec<SpanSpec> {
        let refused = self.entries(|k| k == TimelineKind::CompensationFailed);
        if refused.is_empty() {
            return Vec::new();
        }
        let fixes = self.entries(|k| k == TimelineKind::RefundRetried);
        vec![
            SpanSpec {
                key: "needs-attention",
                title: "Needs attention".into(),
                explain: "The refund itself was rejected: the source is still debited. The saga stops; a person must step in.".into(),
                entries: refused,
                rejected: self.refund_failed,
                next: false,
                on_path: true,
            },
            SpanSpec {
                key: "operator-fix",
                title: "Operator's fix".into(),
                explain: if fixes.is_empty() {
                    "An operator retries the refund, with a reason: into the source once it takes money again, or into another account of the same owner.".into()
                } else {
                    "TransferRefundRetried: an operator retried the refund, with a reason; the refund step runs again.".into()
                },
                entries: fixes,
                rejected: false,
                next: false,
                on_path: true,
            },
        ]
    }

    /// The compensation path, without its final "Failed" (see [`Facts::failed_span`]).
    fn compensation_lane(&self) -> Vec<Span> {
        let on = self.compensation_on;
        let reversed = self.entries(|k| k == TimelineKind::Reversed);
        let attention = self.attention_spans();
        let end = if self.refund_failed {
            None
        } else {
            Some(SpanSpec {
                key: "reversed",
                title: "Reversed".into(),
                explain: if reversed.is_empty() {
                    "TransferReversed, the record of the refund, once the money is back in the source.".into()
                } else {
                    "TransferReversed: the record of the refund; the debit and the refund both stay in the log.".into()
                },
                entries: reversed,
                rejected: false,
                next: false,
                on_path: on,
            })
        };
        let mut lane = vec![
            SpanSpec {
                key: "credit-rejected",
                title: if self.timed_out { "Credit timed out" } else { "Credit rejected" }.into(),
                explain: self.credit_refusal().map_or_else(
                    || {
                        "If the destination refuses the credit, TransferCreditRejected records why."
                            .to_owned()
                    },
                    |why| {
                        if self.timed_out {
                            format!("The saga {why}: TransferTimedOut records it.")
                        } else {
                            format!(
                                "The destination refused ({why}): TransferCreditRejected records why."
                            )
                        }
                    },
                ),
                entries: self.entries(|k| {
                    matches!(k, TimelineKind::CreditRejected | TimelineKind::TimedOut)
                }),
                rejected: false,
                next: false,
                on_path: on,
            },
            SpanSpec {
                key: "refund",
                title: format!("Refund {}", self.t.from_account_id),
                explain: self.refund_explain(),
                entries: self.leg(SagaStep::Refund),
                rejected: self.refund_failed,
                next: self.pending == Some(SagaStep::Refund),
                on_path: on,
            },
        ];
        lane.extend(attention);
        lane.extend(end);
        lane.into_iter().map(SpanSpec::build).collect()
    }

    fn failed_span(&self) -> Span {
        SpanSpec {
            key: "failed",
            title: "Failed".into(),
            explain: "TransferFailed, with the real reason.".into(),
            entries: self.entries(|k| k == TimelineKind::Failed),
            rejected: false,
            next: false,
            on_path: self.debit_failed || (self.compensation_on && !self.refund_failed),
        }
        .build()
    }
}

/// "1 attempt", "2 attempts".
fn attempts(n: usize) -> String {
    if n == 1 {
        "1 attempt".to_owned()
    } else {
        format!("{n} attempts")
    }
}

/// Where a saga stands, in one sentence for the timeline's header and announcements:
/// its [`TransferStatus`] once it has ended, what comes next while it runs (and how
/// many tries of that step failed, if any did).
#[must_use]
pub fn describe_state(state: &TransferState) -> String {
    let status = TransferStatus::of(state);
    let retry = match state.details().map_or(0, |d| d.failed_attempts) {
        0 => String::new(),
        n => format!(" ({} failed, it is tried again)", attempts(n as usize)),
    };
    match state {
        TransferState::NotStarted => "not started".into(),
        TransferState::Initiated(_) => format!("initiated, the debit is next{retry}"),
        TransferState::Debited(d) => {
            format!("{} debited, the credit is next{retry}", d.from_account_id)
        }
        TransferState::CreditRejected {
            details, timed_out, ..
        } => {
            let credit = if *timed_out {
                "credit timed out"
            } else {
                "credit rejected"
            };
            format!("{credit}, refunding {}{retry}", details.from_account_id)
        }
        TransferState::Completed(_) => status.to_string(),
        TransferState::Failed { reversed: true, .. } => format!("{status}: the debit was refunded"),
        TransferState::Failed { reason, .. } => format!("{status}: {reason}"),
        TransferState::CompensationFailed { .. } => format!("{status}: the refund was rejected"),
        TransferState::RefundRetrying { refund_to, .. } => {
            format!("an operator retried the refund, refunding {refund_to}{retry}")
        }
    }
}

#[cfg(test)]
#[path = "saga_steps_tests.rs"]
pub(super) mod tests;
