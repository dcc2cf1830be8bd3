//! A transfer's retries on a time axis: for each step that failed for a passing
//! reason, every attempt at its virtual time (ms since the step's first attempt),
//! the backoff wait before the next, and, for the credit, its deadline and whether
//! the saga gave up there. Read from the transfer's own events (the times are
//! recorded facts), laid out here in the SVG's units; the UI only draws it. The
//! lines ([`RetryAxis::lines`]) are its text alternative.

use crate::domain::events::{Event, EventType};
use crate::domain::retry::backoff_ms;
use crate::domain::{SagaStep, TransferId};

/// The drawing's width and the axis's left and right ends, in SVG units.
pub const WIDTH: u32 = 320;
const LEFT: u32 = 12;
const RIGHT: u32 = WIDTH - 16;

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Failed for a passing reason (a `TransferStepRetried` or the give-up).
    Failed,
    /// The step went through (or the account refused it: the step is recorded).
    Done,
    /// Not run yet: the saga is waiting for it (stepped by hand).
    Waiting,
}

/// One attempt on the axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub number: u32,
    pub at_ms: u64,
    pub outcome: Outcome,
    /// The wait after it, to the next attempt (a failed attempt that was retried).
    pub wait_ms: Option<u64>,
    /// Where it is drawn.
    pub x: u32,
}

/// One step's attempts on a time axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryAxis {
    pub step: SagaStep,
    pub attempts: Vec<Attempt>,
    /// The step's deadline and where it is drawn (the credit's, once it gave up).
    pub deadline: Option<(u64, u32)>,
    /// The saga gave up here: when the next retry would have started, and where.
    pub gave_up: Option<(u64, u32)>,
    /// The last time drawn, at the axis's right end.
    pub span_ms: u64,
}

impl RetryAxis {
    /// The axis of each step of `transfer` that had a failed attempt, in saga order,
    /// from the transfer's own events (`events`, in their stream's order).
    #[must_use]
    pub fn of(transfer: &TransferId, events: &[&Event]) -> Vec<RetryAxis> {
        let mut axes: Vec<Steps> = Vec::new();
        for event in events {
            match event {
                Event::TransferStepRetried(r) => {
                    let i = match axes.iter().position(|s| s.step == r.step) {
                        Some(i) => i,
                        None => {
                            axes.push(Steps::new(r.step));
                            axes.len() - 1
                        }
                    };
                    axes[i].failures.push(r.retry_at_ms);
                }
                Event::TransferTimedOut(t) => {
                    let steps = last_credit(&mut axes);
                    steps.gave_up = Some((t.at_ms, t.deadline_ms, t.attempts));
                }
                other => {
                    if let Some(s) = axes.last_mut().filter(|s| s.ends_with(other.ty())) {
                        s.done = true;
                    }
                }
            }
        }
        axes.into_iter().map(|s| s.lay_out(transfer)).collect()
    }

    /// The axis in words: each attempt, its wait, the deadline, the give-up.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .attempts
            .iter()
            .map(|a| {
                let what = match (a.outcome, a.wait_ms) {
                    (Outcome::Failed, Some(w)) => format!("failed; waited {w} ms"),
                    (Outcome::Failed, None) => "failed".to_owned(),
                    (Outcome::Done, _) => "went through".to_owned(),
                    (Outcome::Waiting, _) => "not run yet (the next step runs it)".to_owned(),
                };
                format!("Attempt {} at {} ms: {what}.", a.number, a.at_ms)
            })
            .collect();
        if let Some((deadline, _)) = self.deadline {
            lines.push(format!("Deadline: {deadline} ms after the first attempt."));
        }
        if let Some((next, _)) = self.gave_up {
            lines.push(format!(
                "Gave up: the next retry would have started at {next} ms, after the deadline, so the saga compensates."
            ));
        }
        lines
    }

    /// The axis drawn as an SVG (its words are [`RetryAxis::lines`], shown beside it,
    /// so the picture itself is hidden from screen readers).
    #[must_use]
    pub fn svg(&self) -> String {
        let y = 36;
        let mut out = format!(
            "<svg class=\"retry-axis__svg\" viewBox=\"0 0 {WIDTH} 64\" aria-hidden=\"true\" focusable=\"false\">\
             <line class=\"retry-axis__line\" x1=\"{LEFT}\" y1=\"{y}\" x2=\"{RIGHT}\" y2=\"{y}\"/>"
        );
        for pair in self.attempts.windows(2) {
            out += &format!(
                "<line class=\"retry-axis__wait\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
                pair[0].x, pair[1].x
            );
        }
        if let Some((ms, x)) = self.deadline {
            out += &format!(
                "<line class=\"retry-axis__deadline\" x1=\"{x}\" y1=\"6\" x2=\"{x}\" y2=\"48\"/>\
                 <text x=\"{}\" y=\"12\" text-anchor=\"end\">deadline {ms} ms</text>",
                x - 4
            );
        }
        if let Some((ms, x)) = self.gave_up {
            out += &format!(
                "<circle class=\"retry-axis__ghost\" cx=\"{x}\" cy=\"{y}\" r=\"5\"/>\
                 <text x=\"{x}\" y=\"60\" text-anchor=\"end\">next retry {ms} ms</text>"
            );
        }
        for a in &self.attempts {
            let class = match a.outcome {
                Outcome::Failed => "failed",
                Outcome::Done => "done",
                Outcome::Waiting => "waiting",
            };
            out += &format!(
                "<circle class=\"retry-axis__attempt retry-axis__attempt--{class}\" cx=\"{}\" cy=\"{y}\" r=\"5\"/>\
                 <text x=\"{}\" y=\"26\" text-anchor=\"middle\">{}</text>",
                a.x, a.x, a.number
            );
        }
        out += &format!("<text x=\"{LEFT}\" y=\"60\">0 ms</text></svg>");
        out
    }

    /// The title over the axis: "The credit's attempts".
    #[must_use]
    pub fn title(&self) -> String {
        format!("The {}'s attempts on the saga's virtual clock", self.step)
    }
}

/// One step's failures as read, before layout.
struct Steps {
    step: SagaStep,
    /// Each failure's `retry_at_ms`, in order.
    failures: Vec<u64>,
    /// The step was recorded after its failures (went through, or refused).
    done: bool,
    /// The give-up: at, deadline, attempts.
    gave_up: Option<(u64, u64, u32)>,
}

fn last_credit(axes: &mut Vec<Steps>) -> &mut Steps {
    if !axes.iter().any(|s| s.step == SagaStep::Credit) {
        axes.push(Steps::new(SagaStep::Credit));
    }
    axes.iter_mut()
        .rfind(|s| s.step == SagaStep::Credit)
        .expect("just added")
}

impl Steps {
    fn new(step: SagaStep) -> Steps {
        Steps {
            step,
            failures: Vec::new(),
            done: false,
            gave_up: None,
        }
    }

    /// Whether an event of type `ty` records this step (after which it has no more
    /// attempts).
    fn ends_with(&self, ty: EventType) -> bool {
        use EventType as T;
        match self.step {
            SagaStep::Debit => matches!(ty, T::TransferDebited | T::TransferFailed),
            SagaStep::Credit => matches!(ty, T::TransferCompleted | T::TransferCreditRejected),
            SagaStep::Refund => matches!(ty, T::TransferReversed | T::TransferCompensationFailed),
        }
    }

    fn lay_out(self, transfer: &TransferId) -> RetryAxis {
        let mut times = vec![0];
        times.extend(self.failures.iter().copied());
        let failed = self.failures.len();
        // The give-up's own attempt failed at `at`, with no retry.
        let next = self
            .gave_up
            .map(|(_, _, attempts)| times[failed] + backoff_ms(transfer, attempts));
        let deadline = self.gave_up.map(|(_, d, _)| d);
        let span_ms = [times.last().copied(), next, deadline]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(0)
            .max(1);
        let x = |ms: u64| LEFT + u32::try_from(ms * u64::from(RIGHT - LEFT) / span_ms).unwrap_or(0);
        let attempts = times
            .iter()
            .enumerate()
            .map(|(i, &at_ms)| {
                let retried = i < failed;
                let outcome = if retried || self.gave_up.is_some() {
                    Outcome::Failed
                } else if self.done {
                    Outcome::Done
                } else {
                    Outcome::Waiting
                };
                Attempt {
                    number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    at_ms,
                    outcome,
                    wait_ms: retried.then(|| times[i + 1] - at_ms),
                    x: x(at_ms),
                }
            })
            .collect();
        RetryAxis {
            step: self.step,
            attempts,
            deadline: deadline.map(|d| (d, x(d))),
            gave_up: next.map(|n| (n, x(n))),
            span_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::views::fixture::{id, money, tid};
    use crate::app::{Bank, Env, FaultPlan};
    use crate::domain::account::OpenAccount;
    use crate::domain::retry::DEADLINE_MS;
    use crate::domain::{BankCommand, TransferMoney};
    use crate::store::MemoryStore;
    use futures::executor::block_on;

    /// The axes of `t1` sent from a to b with the credit failing `k` times.
    fn run(k: u32) -> Vec<RetryAxis> {
        let m = models(k);
        let t1 = tid("t1");
        let events: Vec<&Event> = m
            .audit
            .iter()
            .filter(|r| r.stream == t1.stream())
            .map(|r| &r.event)
            .collect();
        RetryAxis::of(&t1, &events)
    }

    /// The read models after `t1` was sent from a to b, the credit failing `k` times.
    fn models(k: u32) -> crate::app::ReadModels {
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("v"))).unwrap();
        for (account, balance) in [("a", "100.00"), ("b", "0.00")] {
            block_on(bank.execute(BankCommand::OpenAccount(OpenAccount {
                account_id: id(account),
                owner_name: "Ann".into(),
                initial_balance: money(balance),
            })))
            .unwrap();
        }
        let t1 = tid("t1");
        bank.inject(
            &t1,
            FaultPlan {
                transient: (k > 0).then_some((SagaStep::Credit, k)),
                ..FaultPlan::default()
            },
        );
        block_on(bank.execute(BankCommand::TransferMoney(TransferMoney {
            transfer_id: t1.clone(),
            from_account_id: id("a"),
            to_account_id: id("b"),
            amount: money("10.00"),
            description: String::new(),
        })))
        .unwrap();
        bank.read(Clone::clone)
    }

    #[test]
    fn the_state_diagram_follows_a_timed_out_credit_to_its_refund() {
        use crate::app::views::saga_diagram::{Diagram, Mark};
        use crate::domain::transfer_machine::Phase;
        let m = models(5);
        let d = Diagram::of(&m.transfers[&tid("t1")], None);
        let path: Vec<Phase> = d.path.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            path,
            [
                Phase::Initiated,
                Phase::Debited,
                Phase::TimedOut,
                Phase::Refunded
            ]
        );
        let taken: Vec<&str> = d
            .edges
            .iter()
            .filter(|e| e.mark == Mark::Taken)
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(
            taken,
            [
                "initiated-debited",
                "debited-retry",
                "debited-credit-timed-out",
                "credit-timed-out-failed-refunded"
            ]
        );
        assert!(
            d.words()[1].contains("credit timed out (#"),
            "{:?}",
            d.words()
        );
    }

    #[test]
    fn no_failed_attempt_draws_no_axis() {
        assert!(run(0).is_empty());
    }

    #[test]
    fn retries_before_the_deadline_end_with_the_attempt_that_went_through() {
        let axes = run(2);
        assert_eq!(axes.len(), 1);
        let a = &axes[0];
        assert_eq!(a.step, SagaStep::Credit);
        let outcomes: Vec<Outcome> = a.attempts.iter().map(|t| t.outcome).collect();
        assert_eq!(outcomes, [Outcome::Failed, Outcome::Failed, Outcome::Done]);
        assert_eq!(a.attempts[0].at_ms, 0);
        for pair in a.attempts.windows(2) {
            assert_eq!(pair[0].at_ms + pair[0].wait_ms.unwrap(), pair[1].at_ms);
            assert!(pair[0].x < pair[1].x, "later is further right");
        }
        assert_eq!(a.deadline, None);
        assert_eq!(a.attempts[2].x, RIGHT);
        let lines = a.lines();
        assert!(
            lines[0].starts_with("Attempt 1 at 0 ms: failed; waited 1"),
            "{lines:?}"
        );
        assert!(lines[2].ends_with("went through."), "{lines:?}");
    }

    #[test]
    fn a_give_up_draws_the_deadline_and_the_retry_that_would_have_passed_it() {
        let axes = run(6);
        let a = &axes[0];
        assert_eq!(a.attempts.len(), 4, "the fourth failure gives up");
        assert!(a.attempts.iter().all(|t| t.outcome == Outcome::Failed));
        assert_eq!(a.attempts[3].wait_ms, None);
        let (deadline, dx) = a.deadline.unwrap();
        let (next, nx) = a.gave_up.unwrap();
        assert_eq!(deadline, DEADLINE_MS);
        assert!(next > deadline && nx == RIGHT && dx < nx);
        assert!(
            a.attempts[3].x < dx,
            "the last attempt is before the deadline"
        );
        let lines = a.lines();
        assert_eq!(lines[4], "Deadline: 1000 ms after the first attempt.");
        assert_eq!(
            lines[5],
            format!("Gave up: the next retry would have started at {next} ms, after the deadline, so the saga compensates.")
        );
        assert!(a.attempts.iter().all(|t| t.x <= WIDTH));
        let svg = a.svg();
        assert_eq!(svg.matches("retry-axis__attempt--failed").count(), 4);
        assert_eq!(svg.matches("retry-axis__wait").count(), 3);
        assert!(svg.contains("deadline 1000 ms") && svg.contains(&format!("next retry {next} ms")));
    }
}
