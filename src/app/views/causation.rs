//! How one transfer's steps caused each other: its events as a chain, each linked to
//! the event whose id is its causation id, back to the command that began it (a
//! command is not stored, so the first event's causation id is all that is left of
//! it). Between two events stands the command that wrote the second: here the saga,
//! the coordinator, issues every command after the first, so every link passes
//! through the transfer's own stream (orchestration).

use crate::app::projections::{TimelineEntry, TimelineKind, TransferView};
use crate::domain::{saga, BankCommand, SagaStep, TransferId};

/// Who wrote an event: which command, issued by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    /// `TransferMoney`, the request from outside that began the transfer.
    Request,
    /// A command the saga issued, by its name (`WithdrawMoney`, `RecordDebited`).
    Saga(&'static str),
    /// The same command as its cause, which wrote both in one append.
    SameCommand,
    /// A command an operator sent (`RetryRefund`), not the saga.
    Operator(&'static str),
}

/// One event of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub position: u64,
    pub event_type: &'static str,
    pub stream: String,
    pub summary: String,
    /// In the transfer's own stream (the coordinator's), not an account's.
    pub coordinator: bool,
    /// The event whose id is this one's causation id, by position; `None` when it is
    /// the command that began the transfer (or an id this transfer does not hold).
    pub cause: Option<u64>,
    /// The command that wrote this event.
    pub by: By,
}

impl Node {
    /// The link into this event, in words: the command that wrote it.
    #[must_use]
    pub fn link_words(&self) -> String {
        match self.by {
            By::Request => "TransferMoney: the request that began it".to_owned(),
            By::Saga(command) => format!("{command}: a command the saga issued"),
            By::SameCommand => "written by the same command, just after".to_owned(),
            By::Operator(command) => format!("{command}: a command an operator sent"),
        }
    }

    /// The node in one sentence, for the ordered list: the event, where, and its cause.
    #[must_use]
    pub fn sentence(&self) -> String {
        let cause = match (self.cause, &self.by) {
            (Some(p), _) => format!("event #{p}"),
            (None, By::Operator(command)) => format!("the operator's {command} command"),
            (None, _) => "the TransferMoney command".to_owned(),
        };
        format!(
            "#{} {} in {}, caused by {cause}",
            self.position, self.event_type, self.stream
        )
    }
}

/// One transfer's causation chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Causation {
    pub transfer: TransferId,
    /// The id of the command that began it (`TransferInitiated`'s causation id).
    pub origin: String,
    /// Its events in log order; a cause is always stored before its effects.
    pub nodes: Vec<Node>,
}

impl Causation {
    /// The chain of `t`'s events, from its timeline's envelopes.
    #[must_use]
    pub fn of(t: &TransferView) -> Causation {
        let origin = t
            .timeline
            .iter()
            .find(|e| e.kind == TimelineKind::Initiated)
            .map(|e| e.causation_id.clone())
            .unwrap_or_default();
        let mut nodes: Vec<Node> = Vec::with_capacity(t.timeline.len());
        for (i, e) in t.timeline.iter().enumerate() {
            let cause = t.timeline[..i]
                .iter()
                .rev()
                .find(|c| c.event_id == e.causation_id);
            let by = match cause {
                Some(c) if same_append(c, e) => By::SameCommand,
                _ => by(t, e),
            };
            nodes.push(Node {
                position: e.position,
                event_type: e.event_type,
                stream: e.stream.clone(),
                summary: e.summary.clone(),
                coordinator: e.stream == t.transfer_id.stream(),
                cause: cause.map(|c| c.position),
                by,
            });
        }
        Causation {
            transfer: t.transfer_id.clone(),
            origin,
            nodes,
        }
    }

    /// The positions from the event at `position` back, cause by cause, to the one
    /// the command began (empty if the chain has no such event). Its length is the
    /// number of causation ids followed back to the command.
    #[must_use]
    pub fn back_from(&self, position: u64) -> Vec<u64> {
        let mut out = Vec::new();
        let mut at = Some(position);
        while let Some(p) = at {
            let Some(node) = self.nodes.iter().find(|n| n.position == p) else {
                break;
            };
            out.push(p);
            at = node.cause.filter(|c| *c < p);
        }
        out
    }

    /// The position of the transfer's `TransferCompleted`, if it completed.
    #[must_use]
    pub fn completed(&self) -> Option<u64> {
        self.nodes
            .iter()
            .find(|n| n.event_type == "TransferCompleted")
            .map(|n| n.position)
    }
}

/// Written by one command in one append: the next version of the same stream, at
/// the next position, at the same time.
fn same_append(cause: &TimelineEntry, e: &TimelineEntry) -> bool {
    cause.stream == e.stream
        && cause.version + 1 == e.version
        && cause.position + 1 == e.position
        && cause.recorded_at == e.recorded_at
}

/// The command that wrote `e` (not the second event of an append).
fn by(t: &TransferView, e: &TimelineEntry) -> By {
    let leg = |step: SagaStep| {
        t.state.details().map_or("DepositMoney", |d| {
            BankCommand::from(saga::leg(step, d)).name()
        })
    };
    By::Saga(match e.kind {
        TimelineKind::Initiated => return By::Request,
        TimelineKind::RefundRetried => return By::Operator("RetryRefund"),
        TimelineKind::Leg(step) => leg(step),
        TimelineKind::Debited => "RecordDebited",
        TimelineKind::CreditRejected => "RecordCreditRejected",
        TimelineKind::Completed => "RecordCredited",
        TimelineKind::Reversed => "RecordRefunded",
        TimelineKind::Failed => "RecordDebitRejected",
        TimelineKind::CompensationFailed => "RecordRefundRejected",
        TimelineKind::Retried(_) | TimelineKind::TimedOut => "RecordAttemptFailed",
    })
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;
    use crate::app::views::fixture::{id, money, tid};
    use crate::app::{Bank, Env, FaultPlan};
    use crate::domain::account::{CloseAccount, OpenAccount};
    use crate::domain::{RunMode, TransferMoney};
    use crate::store::MemoryStore;

    /// Ann (100.00) and Ben (5.00, or 0.00 and closed if `closed`) opened, then t1 of 30.00
    /// from Ann to Ben run to its end by the real saga runner, with a deposit to Ann
    /// written between its first two steps (#6): t1's view.
    fn run_t1(closed: bool) -> TransferView {
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("c"))).unwrap();
        let run = |command| block_on(bank.execute(command)).unwrap();
        let ben = if closed { "0.00" } else { "5.00" };
        for (account, balance) in [("ann", "100.00"), ("ben", ben)] {
            run(BankCommand::OpenAccount(OpenAccount {
                account_id: id(account),
                owner_name: account.into(),
                initial_balance: money(balance),
            }));
        }
        if closed {
            run(BankCommand::CloseAccount(CloseAccount {
                account_id: id("ben"),
            }));
        }
        let t1 = TransferMoney {
            transfer_id: tid("t1"),
            from_account_id: id("ann"),
            to_account_id: id("ben"),
            amount: money("30.00"),
            description: String::new(),
        };
        block_on(bank.start_transfer_with(t1, FaultPlan::default(), RunMode::Step)).unwrap();
        block_on(bank.step(&tid("t1"))).unwrap();
        run(BankCommand::DepositMoney(
            crate::domain::account::DepositMoney {
                account_id: id("ann"),
                amount: money("1.00"),
                description: "between two steps".into(),
                transfer_id: None,
            },
        ));
        block_on(bank.run_transfer(&tid("t1"))).unwrap();
        bank.read(|m| m.transfers[&tid("t1")].clone())
    }

    fn types(c: &Causation, positions: &[u64]) -> Vec<&'static str> {
        positions
            .iter()
            .map(|p| {
                c.nodes
                    .iter()
                    .find(|n| n.position == *p)
                    .unwrap()
                    .event_type
            })
            .collect()
    }

    #[test]
    fn a_completed_transfer_links_back_five_times_to_its_command_skipping_other_writes() {
        let c = Causation::of(&run_t1(false));
        let back = c.back_from(c.completed().unwrap());
        assert_eq!(
            types(&c, &back),
            [
                "TransferCompleted",
                "MoneyDeposited",
                "TransferDebited",
                "MoneyWithdrawn",
                "TransferInitiated"
            ]
        );
        // The deposit written between the steps sits between them in the log, but is
        // not in the chain: the log's order says when, the causation ids say why.
        assert_eq!(back, [8, 7, 5, 4, 3]);
        let first = &c.nodes[0];
        assert_eq!((first.cause, &first.by), (None, &By::Request));
        assert!(!c.origin.is_empty());
        let credit = c.nodes.iter().find(|n| n.position == 7).unwrap();
        assert_eq!(credit.by, By::Saga("DepositMoney"));
        assert_eq!(
            credit.cause,
            Some(5),
            "the credit command came from TransferDebited"
        );
        assert!(!credit.coordinator);
        assert_eq!(
            credit.sentence(),
            "#7 MoneyDeposited in account-ben, caused by event #5"
        );
        assert_eq!(
            c.nodes[1].link_words(),
            "WithdrawMoney: a command the saga issued"
        );
    }

    #[test]
    fn every_link_passes_through_the_coordinators_stream() {
        let c = Causation::of(&run_t1(false));
        for pair in c.nodes.windows(2) {
            assert_eq!(pair[1].cause, Some(pair[0].position));
            assert!(pair[0].coordinator || pair[1].coordinator, "{pair:?}");
        }
    }

    #[test]
    fn a_compensated_transfer_has_the_longer_chain_and_its_last_two_events_share_a_command() {
        let c = Causation::of(&run_t1(true));
        let got: Vec<_> = c
            .nodes
            .iter()
            .map(|n| (n.event_type, n.by.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("TransferInitiated", By::Request),
                ("MoneyWithdrawn", By::Saga("WithdrawMoney")),
                ("TransferDebited", By::Saga("RecordDebited")),
                ("TransferCreditRejected", By::Saga("RecordCreditRejected")),
                ("MoneyDeposited", By::Saga("DepositMoney")),
                ("TransferReversed", By::Saga("RecordRefunded")),
                ("TransferFailed", By::SameCommand),
            ]
        );
        assert_eq!(c.completed(), None);
        let last = c.nodes.last().unwrap().position;
        assert_eq!(c.back_from(last).len(), 7);
    }

    #[test]
    fn an_event_outside_the_chain_has_no_way_back() {
        let c = Causation::of(&run_t1(false));
        assert!(
            c.back_from(6).is_empty(),
            "#6 is the deposit between the steps"
        );
    }
}
