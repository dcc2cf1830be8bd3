//! Read models: pure folds over the global log. The same `apply` serves live updates
//! and a rebuild from scratch, so the two are equal by construction (and a test
//! checks it). The UI renders these and never computes a balance itself.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::TransferStatus;
use crate::domain::events::{AccountEvent, EventKind, Movement, TransferEvent};
use crate::domain::transfer::{self, TransferState};
use crate::domain::{AccountId, AccountStatus, Event, Money, SagaStep, TransferId};
use crate::store::Recorded;

/// One line of an account's statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    pub position: u64,
    pub version: u64,
    pub recorded_at: String,
    pub event_type: &'static str,
    /// Signed: positive pays in, negative pays out; zero for status changes.
    pub amount: Money,
    pub balance_after: Money,
    /// The account's status after this line (what a status change changed it to).
    pub status_after: AccountStatus,
    pub description: String,
    /// The transfer that caused this line, if any.
    pub transfer_id: Option<TransferId>,
}

/// An account as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub account_id: AccountId,
    pub owner_name: String,
    pub status: AccountStatus,
    pub balance: Money,
    /// The account stream's version (its number of events).
    pub version: u64,
    pub statement: Vec<StatementLine>,
}

/// What one entry of a saga timeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimelineKind {
    Initiated,
    /// An account leg: debit, credit or refund.
    Leg(SagaStep),
    Debited,
    CreditRejected,
    Completed,
    Reversed,
    Failed,
    CompensationFailed,
    Retried(SagaStep),
    /// The credit gave up at its deadline.
    TimedOut,
    /// An operator retried a refused refund.
    RefundRetried,
}

/// One event in a transfer's saga timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    pub position: u64,
    pub stream: String,
    pub version: u64,
    pub event_type: &'static str,
    pub event_id: String,
    pub causation_id: String,
    pub recorded_at: String,
    pub summary: String,
}

/// A transfer with its saga's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferView {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub description: String,
    /// The transfer's phase, folded by the domain's own `evolve`.
    pub state: TransferState,
    pub timeline: Vec<TimelineEntry>,
}

impl TransferView {
    /// The failure or attention reason, if the transfer ended badly.
    #[must_use]
    pub fn reason(&self) -> Option<&str> {
        match &self.state {
            TransferState::Failed { reason, .. }
            | TransferState::CompensationFailed { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

/// Every read model of the bank, as of `last_position`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadModels {
    pub last_position: u64,
    pub accounts: BTreeMap<AccountId, AccountView>,
    pub transfers: BTreeMap<TransferId, TransferView>,
    /// Transfer ids in the order they were initiated.
    pub transfer_order: Vec<TransferId>,
    /// The audit trail: every stored event once, in global order.
    pub audit: Vec<Rc<Recorded>>,
}

impl ReadModels {
    /// Folds a whole log from scratch.
    #[must_use]
    pub fn rebuild<'a>(events: impl IntoIterator<Item = &'a Rc<Recorded>>) -> ReadModels {
        let mut models = ReadModels::default();
        for event in events {
            models.apply(event);
        }
        models
    }

    /// The state as of global position `n` (time travel): a fold of the first `n` events.
    #[must_use]
    pub fn as_of(&self, n: u64) -> ReadModels {
        let n = usize::try_from(n)
            .unwrap_or(usize::MAX)
            .min(self.audit.len());
        ReadModels::rebuild(&self.audit[..n])
    }

    /// Sum of all balances.
    #[must_use]
    pub fn total_balance(&self) -> rust_decimal::Decimal {
        self.accounts.values().map(|a| a.balance.to_decimal()).sum()
    }

    /// Transfers whose saga has not reached an end.
    #[must_use]
    pub fn unfinished_transfers(&self) -> Vec<TransferId> {
        self.transfers
            .values()
            .filter(|t| !t.state.is_terminal())
            .map(|t| t.transfer_id.clone())
            .collect()
    }

    /// Unfinished transfers recorded with this run mode.
    #[must_use]
    pub fn unfinished_transfers_by_mode(&self, mode: crate::domain::RunMode) -> Vec<TransferId> {
        self.transfers
            .values()
            .filter(|t| {
                !t.state.is_terminal() && t.state.details().is_some_and(|d| d.run_mode == mode)
            })
            .map(|t| t.transfer_id.clone())
            .collect()
    }

    /// Folds one event. Events must come in global order, each once; others (a
    /// repeated delivery, a gap) are ignored. True when it was folded.
    pub fn apply(&mut self, recorded: &Rc<Recorded>) -> bool {
        if recorded.position != self.last_position + 1 {
            return false;
        }
        self.last_position = recorded.position;
        self.audit.push(Rc::clone(recorded));
        let event = &recorded.event;
        match event.kind() {
            EventKind::Account(e) => self.account_event(recorded, e),
            // A transfer's own events change no account (its legs are movements).
            EventKind::Transfer(_) => {}
        }
        if let Some(transfer_id) = event.transfer_id() {
            self.transfer_event(recorded, transfer_id);
        }
        true
    }

    /// Folds an account's event into its view and statement.
    fn account_event(&mut self, recorded: &Recorded, event: AccountEvent<'_>) {
        match event {
            AccountEvent::Opened(e) => {
                let opened = (e.initial_balance, AccountStatus::Active);
                let line = self.line(
                    recorded,
                    e.initial_balance,
                    opened,
                    "opening balance".into(),
                    None,
                );
                self.accounts.insert(
                    e.account_id.clone(),
                    AccountView {
                        account_id: e.account_id.clone(),
                        owner_name: e.owner_name.clone(),
                        status: AccountStatus::Active,
                        balance: e.initial_balance,
                        version: recorded.version,
                        statement: vec![line],
                    },
                );
            }
            AccountEvent::Deposited(e) => {
                self.movement(
                    recorded,
                    &e.account_id,
                    e.amount,
                    &e.description,
                    e.transfer_id.as_ref(),
                );
            }
            AccountEvent::Withdrawn(e) => {
                let out = Money::ZERO.checked_sub(e.amount).unwrap_or(Money::ZERO);
                self.movement(
                    recorded,
                    &e.account_id,
                    out,
                    &e.description,
                    e.transfer_id.as_ref(),
                );
            }
            AccountEvent::Suspended(e) => {
                let note = if e.reason.is_empty() {
                    "suspended".to_owned()
                } else {
                    format!("suspended: {}", e.reason)
                };
                self.status_change(recorded, &e.account_id, AccountStatus::Suspended, note);
            }
            AccountEvent::Reactivated(e) => {
                self.status_change(
                    recorded,
                    &e.account_id,
                    AccountStatus::Active,
                    "reactivated".into(),
                );
            }
            AccountEvent::Closed(e) => {
                self.status_change(
                    recorded,
                    &e.account_id,
                    AccountStatus::Closed,
                    "closed".into(),
                );
            }
        }
    }

    /// A statement line; `after`: the balance and status after it.
    fn line(
        &self,
        recorded: &Recorded,
        amount: Money,
        after: (Money, AccountStatus),
        description: String,
        transfer_id: Option<&TransferId>,
    ) -> StatementLine {
        StatementLine {
            position: recorded.position,
            version: recorded.version,
            recorded_at: recorded.recorded_at.clone(),
            event_type: recorded.event.event_type(),
            amount,
            balance_after: after.0,
            status_after: after.1,
            description,
            transfer_id: transfer_id.cloned(),
        }
    }

    fn movement(
        &mut self,
        recorded: &Recorded,
        account_id: &AccountId,
        signed: Money,
        description: &str,
        transfer_id: Option<&TransferId>,
    ) {
        let Some((balance, status)) = self.accounts.get(account_id).map(|a| (a.balance, a.status))
        else {
            return;
        };
        let after = balance.checked_add(signed).unwrap_or(balance);
        let line = self.line(
            recorded,
            signed,
            (after, status),
            description.to_owned(),
            transfer_id,
        );
        if let Some(account) = self.accounts.get_mut(account_id) {
            account.balance = after;
            account.version = recorded.version;
            account.statement.push(line);
        }
    }

    fn status_change(
        &mut self,
        recorded: &Recorded,
        account_id: &AccountId,
        status: AccountStatus,
        note: String,
    ) {
        let Some(balance) = self.accounts.get(account_id).map(|a| a.balance) else {
            return;
        };
        let line = self.line(recorded, Money::ZERO, (balance, status), note, None);
        if let Some(account) = self.accounts.get_mut(account_id) {
            account.status = status;
            account.version = recorded.version;
            account.statement.push(line);
        }
    }

    fn transfer_event(&mut self, recorded: &Recorded, transfer_id: &TransferId) {
        let event = &recorded.event;
        if let Event::TransferInitiated(e) = event {
            self.transfer_order.push(transfer_id.clone());
            self.transfers.insert(
                transfer_id.clone(),
                TransferView {
                    transfer_id: transfer_id.clone(),
                    from_account_id: e.from_account_id.clone(),
                    to_account_id: e.to_account_id.clone(),
                    amount: e.amount,
                    description: e.description.clone(),
                    state: TransferState::NotStarted,
                    timeline: Vec::new(),
                },
            );
        }
        let Some(view) = self.transfers.get_mut(transfer_id) else {
            return;
        };
        let (kind, mut summary) = match event.kind() {
            EventKind::Transfer(e) => timeline_entry(e),
            EventKind::Account(e) => match e.movement() {
                Some(m) => leg_entry(&m, &view.state),
                // Only a movement names a transfer among an account's events.
                None => return,
            },
        };
        if recorded.stream.starts_with("transfer-") {
            view.state = transfer::evolve(std::mem::take(&mut view.state), event);
        }
        if let Some(words) = absorbed_leg(&view.timeline, kind, &recorded.causation_id) {
            summary.push_str(&words);
        }
        view.timeline.push(TimelineEntry {
            kind,
            position: recorded.position,
            stream: recorded.stream.clone(),
            version: recorded.version,
            event_type: event.event_type(),
            event_id: recorded.event_id.clone(),
            causation_id: recorded.causation_id.clone(),
            recorded_at: recorded.recorded_at.clone(),
            summary,
        });
    }
}

/// For a step's record whose leg ran again (after a restart) and wrote nothing,
/// because the account already held it: what the timeline adds to the record's line.
/// A leg that wrote causes its record; a leg absorbed by its idempotency wrote
/// nothing, so the record is caused by the transfer's previous event instead.
fn absorbed_leg(timeline: &[TimelineEntry], kind: TimelineKind, cause: &str) -> Option<String> {
    let step = match kind {
        TimelineKind::Debited => SagaStep::Debit,
        TimelineKind::Completed => SagaStep::Credit,
        TimelineKind::Reversed => SagaStep::Refund,
        _ => return None,
    };
    let leg = timeline
        .iter()
        .rev()
        .find(|e| e.kind == TimelineKind::Leg(step))?;
    (leg.event_id != cause).then(|| {
        format!(
            "; {step} already applied at #{} (the leg ran again and wrote nothing), not applied twice",
            leg.position
        )
    })
}

/// A timeline line for one of a transfer's own events.
fn timeline_entry(event: TransferEvent<'_>) -> (TimelineKind, String) {
    match event {
        TransferEvent::Initiated(e) => (
            TimelineKind::Initiated,
            format!(
                "transfer of {} from {} to {} started",
                e.amount, e.from_account_id, e.to_account_id
            ),
        ),
        TransferEvent::Debited(e) => (
            TimelineKind::Debited,
            format!("debit of {} recorded", e.from_account_id),
        ),
        TransferEvent::CreditRejected(e) => (
            TimelineKind::CreditRejected,
            format!("credit of {} rejected: {}", e.to_account_id, e.reason),
        ),
        TransferEvent::Completed(_) => (TimelineKind::Completed, "transfer completed".to_owned()),
        TransferEvent::Reversed(e) => (
            TimelineKind::Reversed,
            format!("debit reversed: {} is whole again", e.from_account_id),
        ),
        TransferEvent::Failed(e) => (
            TimelineKind::Failed,
            format!("transfer failed: {}", e.reason),
        ),
        TransferEvent::CompensationFailed(e) => (
            TimelineKind::CompensationFailed,
            format!("needs attention: {}", e.reason),
        ),
        TransferEvent::StepRetried(e) => (
            TimelineKind::Retried(e.step),
            format!("{} attempt {} failed: {}", e.step, e.attempt, e.reason),
        ),
        TransferEvent::TimedOut(e) => (
            TimelineKind::TimedOut,
            format!("credit of {} timed out: {}", e.to_account_id, e.reason),
        ),
        TransferEvent::RefundRetried(e) => (
            TimelineKind::RefundRetried,
            format!(
                "an operator retried the refund into {}: {}",
                e.refund_account_id, e.reason
            ),
        ),
    }
}

/// A timeline line for a leg a transfer ran on an account: the debit, the credit, or
/// the refund (a deposit back into the source, or into the account an operator chose),
/// read from the transfer's `state` before the leg.
fn leg_entry(m: &Movement<'_>, state: &TransferState) -> (TimelineKind, String) {
    let refund = state
        .details()
        .is_some_and(|d| &d.from_account_id == m.account_id)
        || (state.pending_step() == Some(SagaStep::Refund)
            && state.refund_account() == Some(m.account_id));
    if !m.deposit {
        (
            TimelineKind::Leg(SagaStep::Debit),
            format!("{} withdrawn from {}", m.amount, m.account_id),
        )
    } else if refund {
        (
            TimelineKind::Leg(SagaStep::Refund),
            format!("{} paid back to {}", m.amount, m.account_id),
        )
    } else {
        (
            TimelineKind::Leg(SagaStep::Credit),
            format!("{} deposited into {}", m.amount, m.account_id),
        )
    }
}

/// How many of the latest balances a sparkline draws.
pub const SPARKLINE_POINTS: usize = 60;

/// The balances a sparkline draws: after each of the latest statement lines.
#[must_use]
pub fn sparkline_points(lines: &[StatementLine]) -> Vec<Money> {
    let from = lines.len().saturating_sub(SPARKLINE_POINTS);
    lines[from..].iter().map(|l| l.balance_after).collect()
}

/// The format of [`Summary`]; bumped when its fields change meaning, so an older
/// stored summary is ignored rather than misread.
pub const SUMMARY_FORMAT: u32 = 1;

/// How many of the newest transfers a [`Summary`] keeps.
pub const SUMMARY_TRANSFERS: usize = 50;

/// What the first screen shows, small enough to keep beside the log and show before
/// the log is read: a preview, never a source of truth.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    #[serde(rename = "format")]
    pub format: u32,
    /// The global position of the newest event folded in.
    #[serde(rename = "position")]
    pub position: u64,
    /// How many events the log held.
    #[serde(rename = "events")]
    pub events: u64,
    #[serde(rename = "accounts")]
    pub accounts: Vec<AccountSummary>,
    /// The newest transfers, newest first.
    #[serde(rename = "transfers")]
    pub transfers: Vec<TransferSummary>,
}

/// One account of a [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountSummary {
    #[serde(rename = "id")]
    pub id: AccountId,
    #[serde(rename = "owner")]
    pub owner: String,
    #[serde(rename = "status")]
    pub status: AccountStatus,
    #[serde(rename = "balance")]
    pub balance: Money,
    #[serde(rename = "version")]
    pub version: u64,
    /// The balances after the latest statement lines (at most [`SPARKLINE_POINTS`]).
    #[serde(rename = "sparkline")]
    pub sparkline: Vec<Money>,
    /// How many lines the statement has.
    #[serde(rename = "statement_len")]
    pub statement_len: u64,
}

/// One transfer of a [`Summary`]: its status, not the saga's state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TransferSummary {
    #[serde(rename = "id")]
    pub id: TransferId,
    #[serde(rename = "from")]
    pub from: AccountId,
    #[serde(rename = "to")]
    pub to: AccountId,
    #[serde(rename = "amount")]
    pub amount: Money,
    /// Stored as its words (see [`TransferStatus::as_str`]).
    #[serde(rename = "status")]
    pub status: TransferStatus,
    /// Why it failed or needs attention, if it did.
    #[serde(rename = "reason")]
    pub reason: Option<String>,
}

impl ReadModels {
    /// What the first screen shows, as of now.
    #[must_use]
    pub fn summary(&self) -> Summary {
        let accounts = self
            .accounts
            .values()
            .map(|a| AccountSummary {
                id: a.account_id.clone(),
                owner: a.owner_name.clone(),
                status: a.status,
                balance: a.balance,
                version: a.version,
                sparkline: sparkline_points(&a.statement),
                statement_len: a.statement.len() as u64,
            })
            .collect();
        let transfers = self
            .transfer_order
            .iter()
            .rev()
            .filter_map(|id| self.transfers.get(id))
            .take(SUMMARY_TRANSFERS)
            .map(|t| TransferSummary {
                id: t.transfer_id.clone(),
                from: t.from_account_id.clone(),
                to: t.to_account_id.clone(),
                amount: t.amount,
                status: TransferStatus::of(&t.state),
                reason: t.reason().map(ToOwned::to_owned),
            })
            .collect();
        Summary {
            format: SUMMARY_FORMAT,
            position: self.last_position,
            events: self.audit.len() as u64,
            accounts,
            transfers,
        }
    }
}
