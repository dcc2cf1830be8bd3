//! Scenarios 17-24: transfers, through the bank (the whole saga) and on the transfer
//! decider (given / when / then).

use pretty_assertions::assert_eq;
use sagabank::app::BankError;
use sagabank::domain::events::{
    TransferCompensationFailed, TransferCreditRejected, TransferFailed, TransferReversed,
    TransferStepRetried,
};
use sagabank::domain::transfer::{TransferCommand, TransferState};
use sagabank::domain::RunMode;
use sagabank::domain::{AccountId, Event, Money, SagaStep, TransferError};

use crate::support::transfers::given;
use crate::support::*;

/// `(stream, type)` pairs, for comparing with [`log_types`].
fn pairs(expected: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    expected
        .iter()
        .map(|(s, t)| ((*s).to_owned(), *t))
        .collect()
}

/// The account movements stored for one transfer: `(stream, type, amount)`.
fn movements_of(bank: &TestBank, transfer: &str) -> Vec<(String, &'static str, String)> {
    log(bank.store())
        .into_iter()
        .filter_map(|r| match &r.event {
            Event::MoneyDeposited(e) if e.transfer_id == Some(tid(transfer)) => {
                Some((r.stream.clone(), "MoneyDeposited", e.amount.to_string()))
            }
            Event::MoneyWithdrawn(e) if e.transfer_id == Some(tid(transfer)) => {
                Some((r.stream.clone(), "MoneyWithdrawn", e.amount.to_string()))
            }
            _ => None,
        })
        .collect()
}

fn failure_reason(bank: &TestBank, transfer: &str) -> String {
    let failures: Vec<TransferFailed> = stream_events(bank.store(), &transfer_stream(transfer))
        .into_iter()
        .filter_map(|e| match e {
            Event::TransferFailed(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(failures.len(), 1, "exactly one TransferFailed");
    failures[0].reason.clone()
}

// 17 ------------------------------------------------------------------------------

#[test]
fn a_transfer_moves_money_from_one_account_to_another() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "100.00")]);
    let done = ok(&bank, transfer("t1", "a", "b", "30.00", "rent"));
    assert_eq!(
        types(&done),
        [
            "TransferInitiated",
            "MoneyWithdrawn",
            "TransferDebited",
            "MoneyDeposited",
            "TransferCompleted"
        ]
    );
    assert!(matches!(done.transfer, Some(TransferState::Completed(_))));
    assert_eq!(
        log_types(bank.store())[2..],
        pairs(&[
            ("transfer-t1", "TransferInitiated"),
            ("account-a", "MoneyWithdrawn"),
            ("transfer-t1", "TransferDebited"),
            ("account-b", "MoneyDeposited"),
            ("transfer-t1", "TransferCompleted"),
        ])
    );
    assert_eq!(
        stream_events(bank.store(), "transfer-t1"),
        [
            initiated("t1", "a", "b", "30.00", "rent"),
            debited("t1", "a", "b", "30.00"),
            completed("t1", "a", "b", "30.00"),
        ]
    );
    let Event::MoneyWithdrawn(debit) = &done.events[1].event else {
        panic!("the second event is the debit");
    };
    assert_eq!(
        (&debit.account_id, debit.amount, &debit.transfer_id),
        (&acct("a"), money("30.00"), &Some(tid("t1")))
    );
    let Event::MoneyDeposited(credit) = &done.events[3].event else {
        panic!("the fourth event is the credit");
    };
    assert_eq!(
        (&credit.account_id, credit.amount, &credit.transfer_id),
        (&acct("b"), money("30.00"), &Some(tid("t1")))
    );
    assert_eq!(balance(&bank, "a"), "70.00");
    assert_eq!(balance(&bank, "b"), "130.00");
    assert_eq!(transfer_label(&bank, "t1"), "completed");
}

// 18 ------------------------------------------------------------------------------

#[test]
fn a_transfer_larger_than_the_source_balance_fails_and_moves_nothing() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "100.00")]);
    let done = ok(&bank, transfer("t1", "a", "b", "100.01", ""));
    assert_eq!(types(&done), ["TransferInitiated", "TransferFailed"]);
    let reason = failure_reason(&bank, "t1");
    assert!(
        reason.contains("insufficient balance: 100.00 < 100.01"),
        "the reason names the real cause: {reason}"
    );
    assert!(matches!(
        done.transfer,
        Some(TransferState::Failed {
            reversed: false,
            ..
        })
    ));
    assert_eq!(transfer_label(&bank, "t1"), "failed");
    assert!(movements_of(&bank, "t1").is_empty());
    assert_eq!(events_of(bank.store(), "account-a"), ["AccountOpened"]);
    assert_eq!(events_of(bank.store(), "account-b"), ["AccountOpened"]);
    assert_eq!(balance(&bank, "a"), "100.00");
    assert_eq!(balance(&bank, "b"), "100.00");
}

// 19 ------------------------------------------------------------------------------

#[test]
fn a_transfer_from_a_suspended_closed_or_missing_account_fails_with_the_real_reason() {
    let bank = bank_with(&[
        ("susp", "Sue", "100.00"),
        ("gone", "Gus", "0.00"),
        ("b", "Ben", "100.00"),
    ]);
    ok(&bank, suspend("susp", "fraud check"));
    ok(&bank, close("gone"));
    let cases = [
        ("t-susp", "susp", "account is suspended, not active"),
        ("t-gone", "gone", "account is closed, not active"),
        ("t-none", "nobody", "account nobody not found"),
    ];
    for (t, from, cause) in cases {
        let before = bank.store().len();
        let done = ok(&bank, transfer(t, from, "b", "10.00", ""));
        assert_eq!(types(&done), ["TransferInitiated", "TransferFailed"], "{t}");
        assert_eq!(
            bank.store().len(),
            before + 2,
            "{t} writes only its own stream"
        );
        let reason = failure_reason(&bank, t);
        assert!(reason.contains(cause), "{t}: {reason:?} names {cause:?}");
        assert!(movements_of(&bank, t).is_empty(), "{t} moved no money");
    }
    assert!(!stream_exists(bank.store(), "account-nobody"));
    assert_eq!(balance(&bank, "susp"), "100.00");
    assert_eq!(balance(&bank, "b"), "100.00");
    assert_eq!(events_of(bank.store(), "account-b"), ["AccountOpened"]);
}

// 20 ------------------------------------------------------------------------------

#[test]
fn a_transfer_to_a_closed_account_is_reversed() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("shut", "Sam", "0.00")]);
    ok(&bank, close("shut"));
    let shut_before = stream_events(bank.store(), "account-shut");
    let start = bank.store().len();

    let done = ok(&bank, transfer("t1", "a", "shut", "10.00", "gift"));

    assert_eq!(
        log_types(bank.store())[start..],
        pairs(&[
            ("transfer-t1", "TransferInitiated"),
            ("account-a", "MoneyWithdrawn"),
            ("transfer-t1", "TransferDebited"),
            ("transfer-t1", "TransferCreditRejected"),
            ("account-a", "MoneyDeposited"),
            ("transfer-t1", "TransferReversed"),
            ("transfer-t1", "TransferFailed"),
        ])
    );
    assert_eq!(
        movements_of(&bank, "t1"),
        [
            ("account-a".to_owned(), "MoneyWithdrawn", "10.00".to_owned()),
            ("account-a".to_owned(), "MoneyDeposited", "10.00".to_owned()),
        ]
    );
    let events = stream_events(bank.store(), "transfer-t1");
    let Event::TransferCreditRejected(TransferCreditRejected { reason, .. }) = &events[2] else {
        panic!("the credit rejection is recorded: {events:?}");
    };
    assert!(reason.contains("account is closed, not active"), "{reason}");
    assert_eq!(
        events[3],
        Event::TransferReversed(TransferReversed {
            transfer_id: tid("t1"),
            from_account_id: acct("a"),
            amount: money("10.00"),
        })
    );
    let reason = failure_reason(&bank, "t1");
    assert!(reason.contains("credit of shut rejected"), "{reason}");
    assert!(reason.contains("account is closed, not active"), "{reason}");
    assert!(matches!(
        done.transfer,
        Some(TransferState::Failed { reversed: true, .. })
    ));
    assert_eq!(transfer_label(&bank, "t1"), "compensated");
    assert_eq!(
        balance(&bank, "a"),
        "100.00",
        "the source is back where it started"
    );
    assert_eq!(stream_events(bank.store(), "account-shut"), shut_before);
}

#[test]
fn a_transfer_to_a_suspended_account_is_reversed() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "5.00")]);
    ok(&bank, suspend("b", "audit"));
    ok(&bank, transfer("t1", "a", "b", "10.00", ""));
    assert_eq!(
        events_of(bank.store(), "transfer-t1"),
        [
            "TransferInitiated",
            "TransferDebited",
            "TransferCreditRejected",
            "TransferReversed",
            "TransferFailed"
        ]
    );
    let reason = failure_reason(&bank, "t1");
    assert!(
        reason.contains("account is suspended, not active"),
        "{reason}"
    );
    assert_eq!(balance(&bank, "a"), "100.00");
    assert_eq!(balance(&bank, "b"), "5.00");
    assert_eq!(
        events_of(bank.store(), "account-b"),
        ["AccountOpened", "AccountSuspended"]
    );
}

#[test]
fn a_transfer_to_a_missing_account_is_reversed_and_creates_no_stream() {
    let bank = bank_with(&[("a", "Ann", "100.00")]);
    ok(&bank, transfer("t1", "a", "ghost", "10.00", ""));
    assert_eq!(
        events_of(bank.store(), "transfer-t1"),
        [
            "TransferInitiated",
            "TransferDebited",
            "TransferCreditRejected",
            "TransferReversed",
            "TransferFailed"
        ]
    );
    let reason = failure_reason(&bank, "t1");
    assert!(reason.contains("account ghost not found"), "{reason}");
    assert_eq!(balance(&bank, "a"), "100.00");
    assert_eq!(
        events_of(bank.store(), "account-a"),
        ["AccountOpened", "MoneyWithdrawn", "MoneyDeposited"]
    );
    assert!(!stream_exists(bank.store(), "account-ghost"));
    assert!(bank.read(|m| !m.accounts.contains_key(&acct("ghost"))));
}

#[test]
fn a_credit_that_would_break_the_balance_limit_is_reversed() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("rich", "Rich", "1000000000.00")]);
    ok(&bank, transfer("t1", "a", "rich", "0.01", ""));
    assert_eq!(transfer_label(&bank, "t1"), "compensated");
    let reason = failure_reason(&bank, "t1");
    assert!(reason.contains("limit"), "{reason}");
    assert_eq!(balance(&bank, "a"), "100.00");
    assert_eq!(balance(&bank, "rich"), "1000000000.00");
}

// 21 ------------------------------------------------------------------------------

#[test]
fn the_seed_demo_ends_with_alice_and_bob_at_750() {
    let bank = bank_with(&[
        ("alice-123", "Alice", "1000.00"),
        ("bob-456", "Bob", "500.00"),
    ]);
    let paid = ok(
        &bank,
        transfer(
            "transfer-789",
            "alice-123",
            "bob-456",
            "250.00",
            "Payment for services",
        ),
    );
    assert!(matches!(paid.transfer, Some(TransferState::Completed(_))));
    let too_much = ok(
        &bank,
        transfer(
            "transfer-999",
            "bob-456",
            "alice-123",
            "10000.00",
            "Too much",
        ),
    );
    assert_eq!(types(&too_much), ["TransferInitiated", "TransferFailed"]);
    let reason = failure_reason(&bank, "transfer-999");
    assert!(reason.contains("debit of bob-456 rejected"), "{reason}");
    assert!(
        reason.contains("insufficient balance: 750.00 < 10000.00"),
        "{reason}"
    );
    assert_eq!(balance(&bank, "alice-123"), "750.00");
    assert_eq!(balance(&bank, "bob-456"), "750.00");
    assert_eq!(
        events_of(bank.store(), "account-bob-456"),
        ["AccountOpened", "MoneyDeposited"]
    );
}

// 22 ------------------------------------------------------------------------------

#[test]
fn a_transfer_to_the_same_account_is_rejected_before_anything_is_written() {
    let bank = bank_with(&[("a", "Ann", "100.00")]);
    let error = rejected(&bank, transfer("t1", "a", "a", "10.00", ""));
    assert_eq!(
        error,
        BankError::Transfer(TransferError::SameAccount {
            account_id: acct("a")
        })
    );
    assert!(!stream_exists(bank.store(), "transfer-t1"));
    assert!(bank.read(|m| m.transfers.is_empty()));
}

// 23 ------------------------------------------------------------------------------

#[test]
fn a_transfer_of_zero_or_less_is_rejected_before_anything_is_written() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    for amount in ["0.00", "-10.00"] {
        let error = rejected(&bank, transfer("t1", "a", "b", amount, ""));
        assert_eq!(
            error,
            BankError::Transfer(TransferError::AmountNotPositive {
                amount: money(amount)
            })
        );
        assert_eq!(error.to_string(), "transfer amount must be positive");
    }
    assert!(!stream_exists(bank.store(), "transfer-t1"));
    let error = block_on_start(&bank, transfer("t1", "a", "b", "0", ""));
    assert!(matches!(
        error,
        Err(BankError::Transfer(TransferError::AmountNotPositive { .. }))
    ));
    assert!(!stream_exists(bank.store(), "transfer-t1"));
}

fn block_on_start(
    bank: &TestBank,
    command: sagabank::domain::TransferMoney,
) -> Result<sagabank::app::Executed, BankError> {
    futures::executor::block_on(bank.start_transfer(command))
}

// 24 ------------------------------------------------------------------------------

#[test]
fn sending_the_same_transfer_again_writes_nothing_and_answers_with_the_first() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    ok(&bank, transfer("t1", "a", "b", "30.00", "rent"));
    let before = bank.store().len();
    // The same details (the description compared trimmed) are the same transfer.
    for again in [
        transfer("t1", "a", "b", "30.00", "rent"),
        transfer("t1", "a", "b", "30", " rent "),
    ] {
        let done = ok(&bank, again);
        assert!(done.events.is_empty(), "nothing new: {:?}", types(&done));
        assert!(matches!(done.transfer, Some(TransferState::Completed(_))));
    }
    assert_eq!(bank.store().len(), before);
    assert_eq!(balance(&bank, "a"), "70.00");
    assert_eq!(balance(&bank, "b"), "30.00");
}

#[test]
fn sending_a_failed_transfer_again_does_not_retry_it() {
    let bank = bank_with(&[("a", "Ann", "10.00"), ("b", "Ben", "0.00")]);
    ok(&bank, transfer("t1", "a", "b", "30.00", ""));
    ok(&bank, deposit("a", "100.00", "now there is enough"));
    let before = bank.store().len();
    let done = ok(&bank, transfer("t1", "a", "b", "30.00", ""));
    assert!(done.events.is_empty());
    assert!(matches!(done.transfer, Some(TransferState::Failed { .. })));
    assert_eq!(bank.store().len(), before);
    assert_eq!(balance(&bank, "a"), "110.00");
}

#[test]
fn reusing_a_transfer_id_with_other_details_is_rejected() {
    let bank = bank_with(&[
        ("a", "Ann", "100.00"),
        ("b", "Ben", "0.00"),
        ("c", "Cat", "0.00"),
    ]);
    ok(&bank, transfer("t1", "a", "b", "30.00", "rent"));
    for (other, differs) in [
        (
            transfer("t1", "a", "b", "31.00", "rent"),
            "the amount differs: it is 30.00, not 31.00",
        ),
        (
            transfer("t1", "a", "c", "30.00", "rent"),
            "the destination differs: it is b, not c",
        ),
        (
            transfer("t1", "b", "a", "30.00", "rent"),
            "the source differs: it is a, not b; the destination differs: it is b, not a",
        ),
        (
            transfer("t1", "a", "b", "30.00", "food"),
            "the description differs: it is \"rent\", not \"food\"",
        ),
    ] {
        let error = rejected(&bank, other);
        assert_eq!(
            error,
            BankError::Transfer(TransferError::IdReused {
                transfer_id: tid("t1"),
                differs: differs.to_owned(),
            })
        );
        assert!(error.to_string().contains("already exists"), "{error}");
    }
    assert_eq!(balance(&bank, "a"), "70.00");
}

#[test]
fn a_transfer_id_and_an_account_id_may_be_the_same_text() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    ok(&bank, transfer("a", "a", "b", "1.00", ""));
    assert_eq!(
        events_of(bank.store(), "account-a"),
        ["AccountOpened", "MoneyWithdrawn"]
    );
    assert_eq!(events_of(bank.store(), "transfer-a").len(), 3);
}

// The transfer decider ------------------------------------------------------------

fn started() -> Vec<Event> {
    vec![initiated("t1", "a", "b", "30.00", "rent")]
}

#[test]
fn the_decider_initiates_a_valid_transfer_with_a_trimmed_description() {
    given([])
        .when(TransferCommand::Initiate(
            transfer("t1", "a", "b", "30.00", " rent "),
            RunMode::Auto,
        ))
        .then([initiated("t1", "a", "b", "30.00", "rent")]);
}

#[test]
fn the_decider_validates_before_emitting_anything() {
    given([])
        .when(TransferCommand::Initiate(
            transfer("t1", "a", "a", "30.00", ""),
            RunMode::Auto,
        ))
        .then_err(TransferError::SameAccount {
            account_id: acct("a"),
        });
    given([])
        .when(TransferCommand::Initiate(
            transfer("t1", "a", "b", "0.00", ""),
            RunMode::Auto,
        ))
        .then_err(TransferError::AmountNotPositive {
            amount: money("0.00"),
        });
}

#[test]
fn the_decider_records_who_drives_the_saga_and_a_repeat_in_another_mode_is_the_same_transfer() {
    let stepped = match initiated("t1", "a", "b", "30.00", "rent") {
        Event::TransferInitiated(mut e) => {
            e.run_mode = RunMode::Step;
            Event::TransferInitiated(e)
        }
        other => other,
    };
    given([])
        .when(TransferCommand::Initiate(
            transfer("t1", "a", "b", "30.00", "rent"),
            RunMode::Step,
        ))
        .then([stepped]);
    given(started())
        .when(TransferCommand::Initiate(
            transfer("t1", "a", "b", "30.00", "rent"),
            RunMode::Step,
        ))
        .then([]);
}

#[test]
fn the_decider_answers_a_repeated_start_with_nothing() {
    given(started())
        .when(TransferCommand::Initiate(
            transfer("t1", "a", "b", "30.00", "rent"),
            RunMode::Auto,
        ))
        .then([]);
    given(started())
        .when(TransferCommand::Initiate(
            transfer("t1", "a", "b", "30.01", "rent"),
            RunMode::Auto,
        ))
        .then_err(TransferError::IdReused {
            transfer_id: tid("t1"),
            differs: "the amount differs: it is 30.00, not 30.01".to_owned(),
        });
}

#[test]
fn the_decider_records_the_happy_path_step_by_step() {
    let state = given(started())
        .when(TransferCommand::RecordDebited)
        .then([debited("t1", "a", "b", "30.00")]);
    assert!(matches!(state, TransferState::Debited(_)));
    let mut history = started();
    history.push(debited("t1", "a", "b", "30.00"));
    let state = given(history)
        .when(TransferCommand::RecordCredited)
        .then([completed("t1", "a", "b", "30.00")]);
    assert!(state.is_terminal());
    assert_eq!(state.label(), "completed");
}

#[test]
fn the_decider_fails_a_rejected_debit_with_its_reason() {
    let state = given(started())
        .when(TransferCommand::RecordDebitRejected {
            reason: "insufficient balance: 1.00 < 30.00".into(),
        })
        .then([Event::TransferFailed(TransferFailed {
            transfer_id: tid("t1"),
            from_account_id: acct("a"),
            to_account_id: acct("b"),
            amount: money("30.00"),
            reason: "debit of a rejected: insufficient balance: 1.00 < 30.00".into(),
        })]);
    assert_eq!(state.label(), "failed");
    assert_eq!(state.pending_step(), None);
}

#[test]
fn the_decider_reverses_then_fails_after_a_refund() {
    let history = [
        initiated("t1", "a", "b", "30.00", "rent"),
        debited("t1", "a", "b", "30.00"),
        Event::TransferCreditRejected(TransferCreditRejected {
            transfer_id: tid("t1"),
            from_account_id: acct("a"),
            to_account_id: acct("b"),
            amount: money("30.00"),
            reason: "account is closed, not active".into(),
        }),
    ];
    assert_eq!(
        given(history.clone()).state().pending_step(),
        Some(SagaStep::Refund)
    );
    assert_eq!(given(history.clone()).state().label(), "compensating");
    let state = given(history.clone())
        .when(TransferCommand::RecordRefunded)
        .then([
            Event::TransferReversed(TransferReversed {
                transfer_id: tid("t1"),
                from_account_id: acct("a"),
                amount: money("30.00"),
            }),
            Event::TransferFailed(TransferFailed {
                transfer_id: tid("t1"),
                from_account_id: acct("a"),
                to_account_id: acct("b"),
                amount: money("30.00"),
                reason:
                    "credit of b rejected: account is closed, not active; the debit was refunded"
                        .into(),
            }),
        ]);
    assert_eq!(state.label(), "compensated");

    let events = given(history)
        .when(TransferCommand::RecordRefundRejected {
            reason: "account is suspended, not active".into(),
        })
        .events();
    let [Event::TransferCompensationFailed(TransferCompensationFailed { reason, .. })] =
        events.as_slice()
    else {
        panic!("a failed refund is recorded as such: {events:?}");
    };
    assert!(reason.contains("account is closed, not active"), "{reason}");
    assert!(
        reason.contains("account is suspended, not active"),
        "{reason}"
    );
    assert!(reason.contains("still debited 30.00"), "{reason}");
}

#[test]
fn the_decider_refuses_steps_out_of_order_or_twice() {
    given([])
        .when(TransferCommand::RecordDebited)
        .then_err(TransferError::NotStarted);
    given(started())
        .when(TransferCommand::RecordCredited)
        .then_err(TransferError::UnexpectedStep {
            transfer_id: tid("t1"),
            phase: "initiated",
        });
    given(started())
        .when(TransferCommand::RecordRefunded)
        .then_err(TransferError::UnexpectedStep {
            transfer_id: tid("t1"),
            phase: "initiated",
        });
    let mut done = started();
    done.push(debited("t1", "a", "b", "30.00"));
    done.push(completed("t1", "a", "b", "30.00"));
    for command in [
        TransferCommand::RecordDebited,
        TransferCommand::RecordCredited,
        TransferCommand::RecordCreditRejected { reason: "x".into() },
        TransferCommand::RecordAttemptFailed { reason: "x".into() },
    ] {
        given(done.clone())
            .when(command)
            .then_err(TransferError::UnexpectedStep {
                transfer_id: tid("t1"),
                phase: "completed",
            });
    }
}

#[test]
fn the_decider_counts_failed_attempts_per_step() {
    use sagabank::domain::retry::backoff_ms;
    let t1 = tid("t1");
    let retried = |step, attempt, retry_at_ms| {
        Event::TransferStepRetried(TransferStepRetried {
            transfer_id: tid("t1"),
            step,
            attempt,
            reason: "busy".into(),
            retry_at_ms,
        })
    };
    let first = backoff_ms(&t1, 1);
    let mut history = started();
    history.push(retried(SagaStep::Debit, 1, first));
    given(history.clone())
        .when(TransferCommand::RecordAttemptFailed {
            reason: "busy".into(),
        })
        .then([retried(SagaStep::Debit, 2, first + backoff_ms(&t1, 2))]);
    // A completed step starts the count, and the virtual clock, again for the next one.
    history.push(debited("t1", "a", "b", "30.00"));
    given(history)
        .when(TransferCommand::RecordAttemptFailed {
            reason: "busy".into(),
        })
        .then([retried(SagaStep::Credit, 1, first)]);
}

#[test]
fn the_credit_gives_up_when_its_next_retry_would_start_after_the_deadline() {
    use sagabank::domain::events::TransferTimedOut;
    use sagabank::domain::retry::{backoff_ms, DEADLINE_MS};
    let t1 = tid("t1");
    let mut history = started();
    history.push(debited("t1", "a", "b", "30.00"));
    let mut now = 0;
    for attempt in 1..=3 {
        now += backoff_ms(&t1, attempt);
        history.push(Event::TransferStepRetried(TransferStepRetried {
            transfer_id: tid("t1"),
            step: SagaStep::Credit,
            attempt,
            reason: "busy".into(),
            retry_at_ms: now,
        }));
    }
    assert!(now + backoff_ms(&t1, 4) > DEADLINE_MS);
    given(history)
        .when(TransferCommand::RecordAttemptFailed {
            reason: "busy".into(),
        })
        .then([Event::TransferTimedOut(TransferTimedOut {
            transfer_id: tid("t1"),
            from_account_id: AccountId::parse("a").unwrap(),
            to_account_id: AccountId::parse("b").unwrap(),
            amount: Money::parse("30.00").unwrap(),
            attempts: 4,
            at_ms: now,
            deadline_ms: DEADLINE_MS,
            reason: format!("gave up after 4 attempts at {now} ms: the next retry would start after the 1000 ms deadline (last failure: busy)"),
        })]);
}
