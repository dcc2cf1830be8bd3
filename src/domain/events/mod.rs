//! Every event the bank records: the one home of each event's type, the sentence that
//! explains it, and which stream, account and transfer it belongs to, with its JSON
//! shape (fields, and how the flat reader builds it) beside it in [`json`]. Reading
//! stored JSON (and upcasting older schema versions) is `super::decode`.
//!
//! The `type` strings and field names here are the persisted and exported format:
//! renaming a Rust identifier must never change them, so each is spelled out.
//!
//! Every `match` over events here and elsewhere lists every event (no `_ =>`): a new
//! event makes the compiler name each place that must decide about it. Adding one is
//! the recipe in the crate's `# Layout` (`src/lib.rs`).

use serde::{Deserialize, Serialize};

mod json;
pub use json::{EventData, Fields};

use super::saga_values::{RunMode, SagaStep};
use super::{AccountId, Money, TransferId};

/// The schema version written with every new event.
///
/// - 1: the reference's shape (`*_at` fields, numeric amounts), upcast on read;
/// - 2: this app's shape;
/// - 3: `TransferInitiated` may carry `run_mode` (schema 2 data reads as is, `auto`).
/// - 4: `TransferStepRetried` may carry `retry_at_ms` (absent in older data: 0), and
///   `TransferTimedOut` is new.
/// - 5: `TransferRefundRetried`, an operator's retry of a refused refund.
///
/// A build that meets a version above its own refuses to read or write that log
/// (`DecodeError::FutureSchema`) instead of misreading it. A new event comes with a
/// new version (its line here), so an older build that meets it says a newer version
/// wrote the log rather than "unknown event type".
pub const SCHEMA_VERSION: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountOpened {
    pub account_id: AccountId,
    pub owner_name: String,
    pub initial_balance: Money,
}

/// Money paid in. `transfer_id` is set when a transfer's credit or refund caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyDeposited {
    pub account_id: AccountId,
    pub amount: Money,
    pub transaction_id: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_id: Option<TransferId>,
}

/// Money paid out. `transfer_id` is set when a transfer's debit caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyWithdrawn {
    pub account_id: AccountId,
    pub amount: Money,
    pub transaction_id: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_id: Option<TransferId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSuspended {
    pub account_id: AccountId,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountReactivated {
    pub account_id: AccountId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountClosed {
    pub account_id: AccountId,
    pub final_balance: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferInitiated {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub description: String,
    /// Schema 3: who drives the saga (absent, in older data and for `auto`).
    #[serde(default, skip_serializing_if = "RunMode::is_auto")]
    pub run_mode: RunMode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferDebited {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
}

/// The destination refused the credit; the refund of the source comes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferCreditRejected {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferCompleted {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
}

/// Compensation done: the source was credited back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferReversed {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferFailed {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub reason: String,
}

/// The refund itself was rejected: the source stays debited. Terminal, and it needs a
/// person's attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferCompensationFailed {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    pub reason: String,
}

/// One attempt at a saga step failed for a passing reason and will be tried again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferStepRetried {
    pub transfer_id: TransferId,
    pub step: SagaStep,
    pub attempt: u32,
    pub reason: String,
    /// Schema 4: the virtual time (ms since the step's first attempt) of the next
    /// attempt, after the backoff wait (absent in older data, read as 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retry_at_ms: u64,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The credit step gave up: its next retry would have started after the deadline.
/// The refund of the source comes next, as after a rejected credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferTimedOut {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Money,
    /// The attempts made, all failed.
    pub attempts: u32,
    /// The virtual time of the last failure (ms since the step's first attempt).
    pub at_ms: u64,
    pub deadline_ms: u64,
    pub reason: String,
}

/// An operator's fix of a refused refund: the refund is tried again, into
/// `refund_account_id` (the source, once it can take money again, or another account
/// of its owner), for the reason the operator gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferRefundRetried {
    pub transfer_id: TransferId,
    pub from_account_id: AccountId,
    pub refund_account_id: AccountId,
    pub amount: Money,
    pub reason: String,
}

/// Writes, from the one list of events below: [`Event`], [`EventType`],
/// [`EventType::ALL`], [`EventType::name`], [`Event::TYPES`], [`Event::ty`] and the
/// envelope's `data`. Each variant holds the struct of the same name.
macro_rules! events {
    ($($variant:ident => $name:literal,)+) => {
        /// Any event of the bank.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Event {
            $($variant($variant),)+
        }

        /// The type of an event without its data: one per [`Event`] variant.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum EventType {
            $($variant,)+
        }

        impl EventType {
            /// Every event type, in the order of the enum.
            pub const ALL: [EventType; [$($name),+].len()] = [$(EventType::$variant),+];

            /// The persisted type name, e.g. `"MoneyDeposited"`.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $(EventType::$variant => $name,)+
                }
            }
        }

        impl Event {
            /// Every event type name, in the order of the enum.
            pub const TYPES: [&'static str; [$($name),+].len()] = [$($name),+];

            /// This event's type.
            #[must_use]
            pub fn ty(&self) -> EventType {
                match self {
                    $(Event::$variant(_) => EventType::$variant,)+
                }
            }
        }

        impl Serialize for EventData<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.0 {
                    $(Event::$variant(e) => e.serialize(s),)+
                }
            }
        }
    };
}

// Every event, with its persisted `type` spelled out (renaming a variant must not
// change it).
events! {
    AccountOpened => "AccountOpened",
    MoneyDeposited => "MoneyDeposited",
    MoneyWithdrawn => "MoneyWithdrawn",
    AccountSuspended => "AccountSuspended",
    AccountReactivated => "AccountReactivated",
    AccountClosed => "AccountClosed",
    TransferInitiated => "TransferInitiated",
    TransferDebited => "TransferDebited",
    TransferCreditRejected => "TransferCreditRejected",
    TransferCompleted => "TransferCompleted",
    TransferReversed => "TransferReversed",
    TransferFailed => "TransferFailed",
    TransferCompensationFailed => "TransferCompensationFailed",
    TransferStepRetried => "TransferStepRetried",
    TransferTimedOut => "TransferTimedOut",
    TransferRefundRetried => "TransferRefundRetried",
}

impl EventType {
    /// The type named `name`, if there is one.
    #[must_use]
    pub fn named(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Why an event of this type is written, in one sentence (the course's "What just
    /// happened" shows it beside each event).
    #[must_use]
    pub fn why(self) -> &'static str {
        match self {
            EventType::AccountOpened => "The account now exists, with its opening balance: every later fact about it follows this one in its stream.",
            EventType::MoneyDeposited => "Money came in; the balance is stored nowhere, it is folded from the opening balance plus the deposits minus the withdrawals.",
            EventType::MoneyWithdrawn => "Money went out, after the account's rules checked, on the state folded from its events, that the balance covered it.",
            EventType::AccountSuspended => "The account refuses deposits and withdrawals until it is reactivated.",
            EventType::AccountReactivated => "The account is active again; its history is unchanged.",
            EventType::AccountClosed => "Closing is final: the account refuses every later command, and this fact keeps its final balance.",
            EventType::TransferInitiated => "The saga's first fact: the transfer was asked for and its request checked (a positive amount, two different accounts); no account was asked yet and no money has moved.",
            EventType::TransferDebited => "The record of the debit step, written after the withdrawal in the source's stream: a restart reads it and knows the credit comes next.",
            EventType::TransferCreditRejected => "The destination refused the money; this records the refusal, and the saga's next step refunds the source.",
            EventType::TransferCompleted => "The record of the credit step, written after the deposit in the destination's stream: both legs are done and the transfer has ended.",
            EventType::TransferReversed => "The record of the refund: the deposit back into the source, written just before in its stream, counteracted the debit.",
            EventType::TransferFailed => "The transfer ended with no net effect, and this says why: either no money moved, or the debit and its refund both stay in the log and cancel out.",
            EventType::TransferCompensationFailed => "The refund itself was refused: the money is still out of the source and a person must look.",
            EventType::TransferStepRetried => "A step failed for a passing reason and will be tried again after a backoff wait on the saga's virtual clock (no real pause); only failed attempts are written, the attempt that works writes the step's own events.",
            EventType::TransferTimedOut => "The credit kept failing and its next retry would have started after the deadline, so the saga gave up: the refund of the source comes next.",
            EventType::TransferRefundRetried => "An operator's fix, with the reason they gave: the refused refund is tried again, into the source or another account of the same owner; the saga's refund step runs next.",
        }
    }
}

/// An account's event, borrowed: what the account decider folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountEvent<'a> {
    Opened(&'a AccountOpened),
    Deposited(&'a MoneyDeposited),
    Withdrawn(&'a MoneyWithdrawn),
    Suspended(&'a AccountSuspended),
    Reactivated(&'a AccountReactivated),
    Closed(&'a AccountClosed),
}

/// A transfer's own event (written to its saga's stream), borrowed: what the transfer
/// decider folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferEvent<'a> {
    Initiated(&'a TransferInitiated),
    Debited(&'a TransferDebited),
    CreditRejected(&'a TransferCreditRejected),
    Completed(&'a TransferCompleted),
    Reversed(&'a TransferReversed),
    Failed(&'a TransferFailed),
    CompensationFailed(&'a TransferCompensationFailed),
    StepRetried(&'a TransferStepRetried),
    TimedOut(&'a TransferTimedOut),
    RefundRetried(&'a TransferRefundRetried),
}

/// Whose stream an event is written to, with the event: each decider matches only its
/// own kind, so a new event makes the compiler ask just the decider it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind<'a> {
    Account(AccountEvent<'a>),
    Transfer(TransferEvent<'a>),
}

impl Event {
    /// The persisted type name, e.g. `"MoneyDeposited"`.
    #[must_use]
    pub fn event_type(&self) -> &'static str {
        self.ty().name()
    }

    /// The event's fields as a JSON object (the `data` of the envelope).
    #[must_use]
    pub fn data(&self) -> serde_json::Value {
        // Plain structs of strings and numbers always serialize.
        serde_json::to_value(EventData(self)).unwrap_or(serde_json::Value::Null)
    }

    /// Whose stream this event belongs to, with its data.
    #[must_use]
    pub fn kind(&self) -> EventKind<'_> {
        use AccountEvent as A;
        use EventKind::{Account, Transfer};
        use TransferEvent as T;
        match self {
            Event::AccountOpened(e) => Account(A::Opened(e)),
            Event::MoneyDeposited(e) => Account(A::Deposited(e)),
            Event::MoneyWithdrawn(e) => Account(A::Withdrawn(e)),
            Event::AccountSuspended(e) => Account(A::Suspended(e)),
            Event::AccountReactivated(e) => Account(A::Reactivated(e)),
            Event::AccountClosed(e) => Account(A::Closed(e)),
            Event::TransferInitiated(e) => Transfer(T::Initiated(e)),
            Event::TransferDebited(e) => Transfer(T::Debited(e)),
            Event::TransferCreditRejected(e) => Transfer(T::CreditRejected(e)),
            Event::TransferCompleted(e) => Transfer(T::Completed(e)),
            Event::TransferReversed(e) => Transfer(T::Reversed(e)),
            Event::TransferFailed(e) => Transfer(T::Failed(e)),
            Event::TransferCompensationFailed(e) => Transfer(T::CompensationFailed(e)),
            Event::TransferStepRetried(e) => Transfer(T::StepRetried(e)),
            Event::TransferTimedOut(e) => Transfer(T::TimedOut(e)),
            Event::TransferRefundRetried(e) => Transfer(T::RefundRetried(e)),
        }
    }

    /// The account this event belongs to, for account events.
    #[must_use]
    pub fn account_id(&self) -> Option<&AccountId> {
        match self.kind() {
            EventKind::Account(e) => Some(e.account_id()),
            EventKind::Transfer(_) => None,
        }
    }

    /// The transfer this event belongs to or was caused by (a movement's leg).
    #[must_use]
    pub fn transfer_id(&self) -> Option<&TransferId> {
        match self.kind() {
            EventKind::Account(e) => e.movement().and_then(|m| m.transfer_id),
            EventKind::Transfer(e) => Some(e.transfer_id()),
        }
    }
}

/// Money moved in or out of an account, as far as a transfer's legs care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Movement<'a> {
    pub account_id: &'a AccountId,
    pub amount: Money,
    /// `true` for money paid in.
    pub deposit: bool,
    pub transaction_id: &'a str,
    /// The transfer whose leg this is, if one caused it.
    pub transfer_id: Option<&'a TransferId>,
}

impl<'a> AccountEvent<'a> {
    /// The account it belongs to.
    #[must_use]
    pub fn account_id(self) -> &'a AccountId {
        match self {
            AccountEvent::Opened(e) => &e.account_id,
            AccountEvent::Deposited(e) => &e.account_id,
            AccountEvent::Withdrawn(e) => &e.account_id,
            AccountEvent::Suspended(e) => &e.account_id,
            AccountEvent::Reactivated(e) => &e.account_id,
            AccountEvent::Closed(e) => &e.account_id,
        }
    }

    /// The money it moved, for a deposit or a withdrawal.
    #[must_use]
    pub fn movement(self) -> Option<Movement<'a>> {
        match self {
            AccountEvent::Deposited(e) => Some(Movement {
                account_id: &e.account_id,
                amount: e.amount,
                deposit: true,
                transaction_id: &e.transaction_id,
                transfer_id: e.transfer_id.as_ref(),
            }),
            AccountEvent::Withdrawn(e) => Some(Movement {
                account_id: &e.account_id,
                amount: e.amount,
                deposit: false,
                transaction_id: &e.transaction_id,
                transfer_id: e.transfer_id.as_ref(),
            }),
            AccountEvent::Opened(_)
            | AccountEvent::Suspended(_)
            | AccountEvent::Reactivated(_)
            | AccountEvent::Closed(_) => None,
        }
    }
}

impl<'a> TransferEvent<'a> {
    /// The transfer whose saga wrote it.
    #[must_use]
    pub fn transfer_id(self) -> &'a TransferId {
        match self {
            TransferEvent::Initiated(e) => &e.transfer_id,
            TransferEvent::Debited(e) => &e.transfer_id,
            TransferEvent::CreditRejected(e) => &e.transfer_id,
            TransferEvent::Completed(e) => &e.transfer_id,
            TransferEvent::Reversed(e) => &e.transfer_id,
            TransferEvent::Failed(e) => &e.transfer_id,
            TransferEvent::CompensationFailed(e) => &e.transfer_id,
            TransferEvent::StepRetried(e) => &e.transfer_id,
            TransferEvent::TimedOut(e) => &e.transfer_id,
            TransferEvent::RefundRetried(e) => &e.transfer_id,
        }
    }
}
