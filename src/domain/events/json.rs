//! Each event's JSON shape: the fields of its data in their declared order, how the
//! flat reader (`crate::domain::decode`) builds an event from the fields it read, and
//! how an event's data is written. Part of the event's home ([`super`]): a new event
//! gets its arm in each `match` here, and the compiler names every one.

use super::*;

impl EventType {
    /// The JSON fields of this type's data, in their declared order (the flat reader,
    /// `super::decode`, refuses any other), and whether its `transfer_id` may be
    /// absent or `null` (a movement's optional link to the transfer that caused it).
    #[must_use]
    pub fn fields(self) -> (&'static [&'static str], bool) {
        const LEG: &[&str] = &["transfer_id", "from_account_id", "to_account_id", "amount"];
        const LEG_WITH_REASON: &[&str] = &[
            "transfer_id",
            "from_account_id",
            "to_account_id",
            "amount",
            "reason",
        ];
        const MOVEMENT: &[&str] = &[
            "account_id",
            "amount",
            "transaction_id",
            "description",
            "transfer_id",
        ];
        match self {
            EventType::AccountOpened => (&["account_id", "owner_name", "initial_balance"], false),
            EventType::MoneyDeposited | EventType::MoneyWithdrawn => (MOVEMENT, true),
            EventType::AccountSuspended => (&["account_id", "reason"], false),
            EventType::AccountReactivated => (&["account_id"], false),
            EventType::AccountClosed => (&["account_id", "final_balance"], false),
            EventType::TransferInitiated => (
                &[
                    "transfer_id",
                    "from_account_id",
                    "to_account_id",
                    "amount",
                    "description",
                    "run_mode",
                ],
                false,
            ),
            EventType::TransferDebited | EventType::TransferCompleted => (LEG, false),
            EventType::TransferCreditRejected
            | EventType::TransferFailed
            | EventType::TransferCompensationFailed => (LEG_WITH_REASON, false),
            EventType::TransferReversed => (&["transfer_id", "from_account_id", "amount"], false),
            EventType::TransferStepRetried => (
                &["transfer_id", "step", "attempt", "reason", "retry_at_ms"],
                false,
            ),
            EventType::TransferTimedOut => (
                &[
                    "transfer_id",
                    "from_account_id",
                    "to_account_id",
                    "amount",
                    "attempts",
                    "at_ms",
                    "deadline_ms",
                    "reason",
                ],
                false,
            ),
            EventType::TransferRefundRetried => (
                &[
                    "transfer_id",
                    "from_account_id",
                    "refund_account_id",
                    "amount",
                    "reason",
                ],
                false,
            ),
        }
    }
}

/// Every field any event has, as the flat reader (`super::decode`) found them; each
/// event type takes the ones it declares ([`EventType::fields`]).
#[derive(Default)]
pub struct Fields {
    pub account_id: Option<AccountId>,
    pub owner_name: Option<String>,
    pub initial_balance: Option<Money>,
    pub amount: Option<Money>,
    pub transaction_id: Option<String>,
    pub description: Option<String>,
    /// `Some(None)`: given as `null`, which only a movement's optional link allows.
    pub transfer_id: Option<Option<TransferId>>,
    pub reason: Option<String>,
    pub final_balance: Option<Money>,
    pub from_account_id: Option<AccountId>,
    pub to_account_id: Option<AccountId>,
    pub run_mode: Option<RunMode>,
    pub step: Option<SagaStep>,
    pub attempt: Option<u32>,
    pub retry_at_ms: Option<u64>,
    pub attempts: Option<u32>,
    pub at_ms: Option<u64>,
    pub deadline_ms: Option<u64>,
    pub refund_account_id: Option<AccountId>,
}

/// A required field's value, or serde's "missing field" error.
fn need<T, E: serde::de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

impl EventType {
    /// The event of this type from the fields read, in their declared order (so a
    /// missing field is reported as serde's derive would).
    pub fn build<E: serde::de::Error>(self, f: Fields) -> Result<Event, E> {
        let transfer_id = |id: Option<Option<TransferId>>| need(id.flatten(), "transfer_id");
        Ok(match self {
            EventType::AccountOpened => Event::AccountOpened(AccountOpened {
                account_id: need(f.account_id, "account_id")?,
                owner_name: need(f.owner_name, "owner_name")?,
                initial_balance: need(f.initial_balance, "initial_balance")?,
            }),
            EventType::MoneyDeposited | EventType::MoneyWithdrawn => {
                let account_id = need(f.account_id, "account_id")?;
                let amount = need(f.amount, "amount")?;
                let transaction_id = need(f.transaction_id, "transaction_id")?;
                let description = need(f.description, "description")?;
                let transfer_id = f.transfer_id.flatten();
                if self == EventType::MoneyDeposited {
                    Event::MoneyDeposited(MoneyDeposited {
                        account_id,
                        amount,
                        transaction_id,
                        description,
                        transfer_id,
                    })
                } else {
                    Event::MoneyWithdrawn(MoneyWithdrawn {
                        account_id,
                        amount,
                        transaction_id,
                        description,
                        transfer_id,
                    })
                }
            }
            EventType::AccountSuspended => Event::AccountSuspended(AccountSuspended {
                account_id: need(f.account_id, "account_id")?,
                reason: need(f.reason, "reason")?,
            }),
            EventType::AccountReactivated => Event::AccountReactivated(AccountReactivated {
                account_id: need(f.account_id, "account_id")?,
            }),
            EventType::AccountClosed => Event::AccountClosed(AccountClosed {
                account_id: need(f.account_id, "account_id")?,
                final_balance: need(f.final_balance, "final_balance")?,
            }),
            EventType::TransferInitiated => Event::TransferInitiated(TransferInitiated {
                transfer_id: transfer_id(f.transfer_id)?,
                from_account_id: need(f.from_account_id, "from_account_id")?,
                to_account_id: need(f.to_account_id, "to_account_id")?,
                amount: need(f.amount, "amount")?,
                description: need(f.description, "description")?,
                run_mode: f.run_mode.unwrap_or_default(),
            }),
            EventType::TransferReversed => Event::TransferReversed(TransferReversed {
                transfer_id: transfer_id(f.transfer_id)?,
                from_account_id: need(f.from_account_id, "from_account_id")?,
                amount: need(f.amount, "amount")?,
            }),
            EventType::TransferStepRetried => Event::TransferStepRetried(TransferStepRetried {
                transfer_id: transfer_id(f.transfer_id)?,
                step: need(f.step, "step")?,
                attempt: need(f.attempt, "attempt")?,
                reason: need(f.reason, "reason")?,
                retry_at_ms: f.retry_at_ms.unwrap_or_default(),
            }),
            EventType::TransferTimedOut => Event::TransferTimedOut(TransferTimedOut {
                transfer_id: transfer_id(f.transfer_id)?,
                from_account_id: need(f.from_account_id, "from_account_id")?,
                to_account_id: need(f.to_account_id, "to_account_id")?,
                amount: need(f.amount, "amount")?,
                attempts: need(f.attempts, "attempts")?,
                at_ms: need(f.at_ms, "at_ms")?,
                deadline_ms: need(f.deadline_ms, "deadline_ms")?,
                reason: need(f.reason, "reason")?,
            }),
            EventType::TransferRefundRetried => build_refund_retried(f)?,
            EventType::TransferDebited => build_leg(Leg::Debited, f)?,
            EventType::TransferCompleted => build_leg(Leg::Completed, f)?,
            EventType::TransferCreditRejected => build_leg(Leg::CreditRejected, f)?,
            EventType::TransferFailed => build_leg(Leg::Failed, f)?,
            EventType::TransferCompensationFailed => build_leg(Leg::CompensationFailed, f)?,
        })
    }
}

/// An operator's retry of a refund from the fields read, in their declared order.
fn build_refund_retried<E: serde::de::Error>(f: Fields) -> Result<Event, E> {
    Ok(Event::TransferRefundRetried(TransferRefundRetried {
        transfer_id: need(f.transfer_id.flatten(), "transfer_id")?,
        from_account_id: need(f.from_account_id, "from_account_id")?,
        refund_account_id: need(f.refund_account_id, "refund_account_id")?,
        amount: need(f.amount, "amount")?,
        reason: need(f.reason, "reason")?,
    }))
}

/// The five events that share a transfer's legs' fields (with or without a reason).
#[derive(Clone, Copy)]
enum Leg {
    Debited,
    Completed,
    CreditRejected,
    Failed,
    CompensationFailed,
}

/// The leg event `leg` from the fields read, in their declared order.
fn build_leg<E: serde::de::Error>(leg: Leg, f: Fields) -> Result<Event, E> {
    let transfer_id = need(f.transfer_id.flatten(), "transfer_id")?;
    let from_account_id = need(f.from_account_id, "from_account_id")?;
    let to_account_id = need(f.to_account_id, "to_account_id")?;
    let amount = need(f.amount, "amount")?;
    let reason = f.reason;
    Ok(match leg {
        Leg::Debited => Event::TransferDebited(TransferDebited {
            transfer_id,
            from_account_id,
            to_account_id,
            amount,
        }),
        Leg::Completed => Event::TransferCompleted(TransferCompleted {
            transfer_id,
            from_account_id,
            to_account_id,
            amount,
        }),
        Leg::CreditRejected => Event::TransferCreditRejected(TransferCreditRejected {
            transfer_id,
            from_account_id,
            to_account_id,
            amount,
            reason: need(reason, "reason")?,
        }),
        Leg::Failed => Event::TransferFailed(TransferFailed {
            transfer_id,
            from_account_id,
            to_account_id,
            amount,
            reason: need(reason, "reason")?,
        }),
        Leg::CompensationFailed => Event::TransferCompensationFailed(TransferCompensationFailed {
            transfer_id,
            from_account_id,
            to_account_id,
            amount,
            reason: need(reason, "reason")?,
        }),
    })
}

/// Serializes just an event's fields, in their declared order (the envelope's `data`).
pub struct EventData<'a>(pub &'a Event);
