//! Scenarios 25-28 and the saga runner: failed compensation, crashes and resumption,
//! concurrent writers, conservation of money, transient faults and step mode.

use futures::executor::block_on;
use pretty_assertions::assert_eq;
use rust_decimal::Decimal;
use sagabank::app::projections::TimelineKind;
use sagabank::app::{Bank, BankError, CrashPoint, Env, FaultPlan, ReadModels, StepOutcome};
use sagabank::domain::transfer::TransferState;
use sagabank::domain::{AccountError, Event, RunMode, SagaStep};
use sagabank::store::MemoryStore;

use crate::support::*;

/// Every account movement a transfer caused: `(account, +/- amount)`.
fn movements_of(store: &MemoryStore, transfer: &str) -> Vec<(String, String)> {
    log(store)
        .into_iter()
        .filter_map(|r| match &r.event {
            Event::MoneyDeposited(e) if e.transfer_id == Some(tid(transfer)) => {
                Some((e.account_id.to_string(), format!("+{}", e.amount)))
            }
            Event::MoneyWithdrawn(e) if e.transfer_id == Some(tid(transfer)) => {
                Some((e.account_id.to_string(), format!("-{}", e.amount)))
            }
            _ => None,
        })
        .collect()
}

fn mv(account: &str, signed: &str) -> (String, String) {
    (account.to_owned(), signed.to_owned())
}

fn compensation_failed_reason(store: &MemoryStore, transfer: &str) -> String {
    let reasons: Vec<String> = stream_events(store, &transfer_stream(transfer))
        .into_iter()
        .filter_map(|e| match e {
            Event::TransferCompensationFailed(f) => Some(f.reason),
            _ => None,
        })
        .collect();
    assert_eq!(reasons.len(), 1, "exactly one TransferCompensationFailed");
    reasons[0].clone()
}

// 25 ------------------------------------------------------------------------------

#[test]
fn a_refund_rejected_because_the_source_was_suspended_needs_attention() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            reject_credit: true,
            ..FaultPlan::default()
        },
    );
    block_on(bank.start_transfer(transfer("t1", "a", "b", "10.00", ""))).unwrap();
    let debited = block_on(bank.step(&tid("t1"))).unwrap();
    assert!(matches!(debited.state(), TransferState::Debited(_)));
    let rejected_credit = block_on(bank.step(&tid("t1"))).unwrap();
    assert!(matches!(
        rejected_credit.state(),
        TransferState::CreditRejected { .. }
    ));
    assert_eq!(transfer_label(&bank, "t1"), "compensating");

    // Another tab suspends the source between the credit's rejection and the refund.
    let other_tab = bank_on(bank.store(), "tab2");
    ok(&other_tab, suspend("a", "fraud check"));

    let end = block_on(bank.run_transfer(&tid("t1"))).unwrap();
    assert!(
        matches!(end, TransferState::CompensationFailed { .. }),
        "{end:?}"
    );
    assert_eq!(end.label(), "needs attention");
    assert!(end.is_terminal());
    assert_eq!(
        events_of(bank.store(), "transfer-t1"),
        [
            "TransferInitiated",
            "TransferDebited",
            "TransferCreditRejected",
            "TransferCompensationFailed"
        ],
        "never reported as reversed"
    );
    let reason = compensation_failed_reason(bank.store(), "t1");
    assert!(
        reason.contains("injected fault"),
        "names the credit failure: {reason}"
    );
    assert!(
        reason.contains("account is suspended, not active"),
        "names the refund failure: {reason}"
    );
    assert!(reason.contains("still debited 10.00"), "{reason}");
    assert_eq!(movements_of(bank.store(), "t1"), [mv("a", "-10.00")]);
    assert_eq!(balance(&bank, "a"), "90.00");
    assert_eq!(balance(&bank, "b"), "0.00");

    // Visible in the read models, with its reason...
    bank.read(|m| {
        let view = &m.transfers[&tid("t1")];
        assert_eq!(view.state.label(), "needs attention");
        assert_eq!(view.reason(), Some(reason.as_str()));
        assert_eq!(
            view.timeline.last().map(|e| e.kind),
            Some(TimelineKind::CompensationFailed)
        );
    });
    // ...persisted: a reload shows the same, and does not run it again.
    let reloaded = bank_on(bank.store(), "reload");
    assert_eq!(transfer_label(&reloaded, "t1"), "needs attention");
    let before = reloaded.store().len();
    assert_eq!(block_on(reloaded.resume_all(&[])).unwrap(), []);
    assert_eq!(reloaded.store().len(), before);
}

#[test]
fn a_refund_rejected_because_the_source_was_closed_needs_attention() {
    let bank = bank_with(&[("a", "Ann", "10.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            reject_credit: true,
            crash: Some(CrashPoint::AfterStep(SagaStep::Credit)),
            ..FaultPlan::default()
        },
    );
    let crashed = exec(&bank, transfer("t1", "a", "b", "10.00", "all of it"));
    assert!(matches!(crashed, Err(BankError::Crashed(_))), "{crashed:?}");
    assert_eq!(transfer_label(&bank, "t1"), "compensating");

    // The source is now at 0.00 and can be closed before the refund runs.
    ok(&bank, close("a"));
    let end = block_on(bank.run_transfer(&tid("t1"))).unwrap();
    assert_eq!(end.label(), "needs attention");
    let reason = compensation_failed_reason(bank.store(), "t1");
    assert!(reason.contains("account is closed, not active"), "{reason}");
    assert!(!events_of(bank.store(), "transfer-t1").contains(&"TransferReversed"));
    assert!(!events_of(bank.store(), "transfer-t1").contains(&"TransferFailed"));
    assert_eq!(balance(&bank, "a"), "0.00");
    assert_eq!(
        events_of(bank.store(), "account-a"),
        ["AccountOpened", "MoneyWithdrawn", "AccountClosed"]
    );
    assert_models_match_log(&bank);
}

// 26 ------------------------------------------------------------------------------

/// How a crashed transfer should end once resumed.
struct CrashCase {
    point: CrashPoint,
    /// `true`: the destination is closed, so the saga compensates.
    to_closed: bool,
    /// Whether the crash left the transfer unfinished (so a reload resumes it).
    unfinished: bool,
}

fn crash_cases() -> Vec<CrashCase> {
    use CrashPoint::*;
    use SagaStep::*;
    let case = |point, to_closed, unfinished| CrashCase {
        point,
        to_closed,
        unfinished,
    };
    vec![
        case(AfterInitiated, false, true),
        case(AfterLeg(Debit), false, true),
        case(AfterStep(Debit), false, true),
        case(AfterLeg(Credit), false, true),
        case(AfterStep(Credit), false, false),
        case(AfterInitiated, true, true),
        case(AfterLeg(Debit), true, true),
        case(AfterStep(Debit), true, true),
        case(AfterLeg(Credit), true, true),
        case(AfterStep(Credit), true, true),
        case(AfterLeg(Refund), true, true),
        case(AfterStep(Refund), true, false),
    ]
}

#[test]
fn a_transfer_interrupted_after_any_step_is_finished_on_reload_without_moving_money_twice() {
    for case in crash_cases() {
        let what = format!(
            "crash {:?}, to a closed account: {}",
            case.point, case.to_closed
        );
        let store = MemoryStore::new();
        let bank = bank_on(&store, "t");
        ok(&bank, open("a", "Ann", "100.00"));
        ok(&bank, open("b", "Ben", "0.00"));
        if case.to_closed {
            ok(&bank, close("b"));
        }
        bank.inject(
            &tid("t1"),
            FaultPlan {
                crash: Some(case.point),
                ..FaultPlan::default()
            },
        );
        let crashed = exec(&bank, transfer("t1", "a", "b", "30.00", "rent"));
        assert!(
            matches!(crashed, Err(BankError::Crashed(_))),
            "{what}: the runner stops, got {crashed:?}"
        );
        drop(bank);

        let reloaded = bank_on(&store, "r");
        let resumed = block_on(reloaded.resume_all(&[])).unwrap();
        let expect_resumed = if case.unfinished {
            vec![tid("t1")]
        } else {
            vec![]
        };
        assert_eq!(resumed, expect_resumed, "{what}");
        assert_eq!(
            reloaded.resumed().contains(&tid("t1")),
            case.unfinished,
            "{what}"
        );

        if case.to_closed {
            assert_eq!(transfer_label(&reloaded, "t1"), "compensated", "{what}");
            assert_eq!(
                events_of(&store, "transfer-t1"),
                [
                    "TransferInitiated",
                    "TransferDebited",
                    "TransferCreditRejected",
                    "TransferReversed",
                    "TransferFailed"
                ],
                "{what}"
            );
            assert_eq!(
                movements_of(&store, "t1"),
                [mv("a", "-30.00"), mv("a", "+30.00")],
                "{what}: one debit, one refund"
            );
            assert_eq!(balance(&reloaded, "a"), "100.00", "{what}");
        } else {
            assert_eq!(transfer_label(&reloaded, "t1"), "completed", "{what}");
            assert_eq!(
                events_of(&store, "transfer-t1"),
                ["TransferInitiated", "TransferDebited", "TransferCompleted"],
                "{what}"
            );
            assert_eq!(
                movements_of(&store, "t1"),
                [mv("a", "-30.00"), mv("b", "+30.00")],
                "{what}: one debit, one credit"
            );
            assert_eq!(balance(&reloaded, "a"), "70.00", "{what}");
            assert_eq!(balance(&reloaded, "b"), "30.00", "{what}");
        }
        assert_models_match_log(&reloaded);

        // A second reload finds nothing left to do and writes nothing.
        let len = store.len();
        let again = bank_on(&store, "r2");
        assert_eq!(block_on(again.resume_all(&[])).unwrap(), [], "{what}");
        assert_eq!(store.len(), len, "{what}");
    }
}

#[test]
fn a_crash_after_a_rejected_debit_still_fails_the_transfer_on_reload() {
    let store = MemoryStore::new();
    let bank = bank_on(&store, "t");
    ok(&bank, open("a", "Ann", "5.00"));
    ok(&bank, open("b", "Ben", "0.00"));
    bank.inject(
        &tid("t1"),
        FaultPlan {
            crash: Some(CrashPoint::AfterLeg(SagaStep::Debit)),
            ..FaultPlan::default()
        },
    );
    assert!(matches!(
        exec(&bank, transfer("t1", "a", "b", "30.00", "")),
        Err(BankError::Crashed(_))
    ));
    let reloaded = bank_on(&store, "r");
    block_on(reloaded.resume_all(&[])).unwrap();
    assert_eq!(transfer_label(&reloaded, "t1"), "failed");
    assert!(movements_of(&store, "t1").is_empty());
    assert_eq!(balance(&reloaded, "a"), "5.00");
}

#[test]
fn the_same_bank_can_finish_its_own_crashed_transfer() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            crash: Some(CrashPoint::AfterLeg(SagaStep::Credit)),
            ..FaultPlan::default()
        },
    );
    assert!(exec(&bank, transfer("t1", "a", "b", "30.00", "")).is_err());
    assert_eq!(transfer_label(&bank, "t1"), "debited");
    assert_eq!(
        balance(&bank, "b"),
        "30.00",
        "the credit leg landed before the crash"
    );
    let end = block_on(bank.run_transfer(&tid("t1"))).unwrap();
    assert_eq!(end.label(), "completed");
    assert_eq!(
        movements_of(bank.store(), "t1"),
        [mv("a", "-30.00"), mv("b", "+30.00")]
    );
    assert_eq!(balance(&bank, "b"), "30.00");
}

#[test]
fn a_replayed_leg_is_recognised_by_the_account_and_moves_nothing() {
    use crate::support::accounts::given;
    given([
        opened("a", "Ann", "100.00"),
        withdrawn_for("a", "30.00", "t1"),
    ])
    .when(withdraw_for("a", "30.00", "t1"))
    .then([]);
    given([
        opened("b", "Ben", "0.00"),
        deposited_for("b", "30.00", "t1"),
    ])
    .when(deposit_for("b", "30.00", "t1"))
    .then([]);
    // Recognised even when the account changed since: the leg was already done.
    given([
        opened("b", "Ben", "0.00"),
        deposited_for("b", "30.00", "t1"),
        suspended("b", ""),
    ])
    .when(deposit_for("b", "30.00", "t1"))
    .then([]);
    // Another transfer's leg is not mistaken for this one.
    given([
        opened("a", "Ann", "100.00"),
        withdrawn_for("a", "30.00", "t1"),
    ])
    .when(withdraw_for("a", "30.00", "t2"))
    .then([withdrawn_for("a", "30.00", "t2")]);
}

// 27 ------------------------------------------------------------------------------

#[test]
fn two_tabs_withdrawing_the_whole_balance_at_once_cannot_overdraw() {
    let store = MemoryStore::new();
    let setup = bank_on(&store, "setup");
    ok(&setup, open("a", "Ann", "100.00"));

    // Two tabs, both with the account loaded at version 1, and a store that lets both
    // decide before either writes.
    let (tab1, tab2) = yielding_tabs(&store);
    let (r1, r2) = block_on(async {
        futures::join!(
            tab1.execute(withdraw("a", "100.00", "tab 1").into_bank()),
            tab2.execute(withdraw("a", "100.00", "tab 2").into_bank()),
        )
    });

    assert!(r1.is_ok(), "the first writer wins: {r1:?}");
    assert_eq!(
        r2.map(|_| ()),
        Err(BankError::Account(AccountError::InsufficientBalance {
            balance: money("0.00"),
            requested: money("100.00"),
        })),
        "the second is retried on fresh state and rejected"
    );
    assert_eq!(
        events_of(&store, "account-a"),
        ["AccountOpened", "MoneyWithdrawn"],
        "exactly one withdrawal"
    );
    for tab in [&tab1, &tab2] {
        assert_eq!(
            tab.read(|m| m.accounts[&acct("a")].balance).to_string(),
            "0.00"
        );
    }
    let reloaded = bank_on(&store, "r");
    assert_eq!(balance(&reloaded, "a"), "0.00");
}

#[test]
fn a_tab_with_a_stale_view_retries_on_fresh_state() {
    let store = MemoryStore::new();
    let tab1 = bank_on(&store, "tab1");
    ok(&tab1, open("a", "Ann", "100.00"));
    let tab2 = bank_on(&store, "tab2");
    ok(&tab1, withdraw("a", "100.00", ""));
    // tab2 still believes the balance is 100.00.
    assert_eq!(
        tab2.read(|m| m.accounts[&acct("a")].balance),
        money("100.00")
    );
    let before = store.len();
    let error = exec(&tab2, withdraw("a", "100.00", "")).unwrap_err();
    assert_eq!(error.to_string(), "insufficient balance: 0.00 < 100.00");
    assert_eq!(store.len(), before, "the rejected retry wrote nothing");
    assert_eq!(
        balance(&tab2, "a"),
        "0.00",
        "the retry brought tab2 up to date"
    );
    assert_models_match_log(&tab2);
}

#[test]
fn a_tab_with_a_stale_view_does_not_reject_what_the_fresh_state_allows() {
    let store = MemoryStore::new();
    let tab1 = bank_on(&store, "tab1");
    ok(&tab1, open("a", "Ann", "0.00"));
    let tab2 = bank_on(&store, "tab2");
    ok(&tab1, deposit("a", "20.00", ""));
    // tab2 still believes the balance is 0.00, but the account holds 20.00.
    ok(&tab2, withdraw("a", "20.00", ""));
    assert_eq!(balance(&tab2, "a"), "0.00");
    assert_eq!(
        events_of(&store, "account-a"),
        ["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"]
    );
}

#[test]
fn a_tab_with_a_stale_view_does_not_fail_a_transfer_the_fresh_state_allows() {
    let store = MemoryStore::new();
    let tab1 = bank_on(&store, "tab1");
    ok(&tab1, open("a", "Ann", "0.00"));
    ok(&tab1, open("b", "Ben", "0.00"));
    let tab2 = bank_on(&store, "tab2");
    ok(&tab1, deposit("a", "50.00", ""));
    // tab2 has not seen the deposit; the transfer's outcome is persisted, so a
    // decision on the stale view would record a false failure for good.
    let done = ok(&tab2, transfer("t1", "a", "b", "30.00", ""));
    assert!(
        matches!(done.transfer, Some(TransferState::Completed(_))),
        "{:?}",
        done.transfer
    );
    assert_eq!(balance(&tab2, "a"), "20.00");
    assert_eq!(balance(&tab2, "b"), "30.00");
}

#[test]
fn a_step_taken_on_a_stale_view_does_not_record_a_false_failure() {
    let store = MemoryStore::new();
    let tab1 = bank_on(&store, "tab1");
    ok(&tab1, open("a", "Ann", "0.00"));
    ok(&tab1, open("b", "Ben", "0.00"));
    let tab2 = bank_on(&store, "tab2");
    block_on(tab2.start_transfer(transfer("t1", "a", "b", "30.00", ""))).unwrap();
    ok(&tab1, deposit("a", "50.00", "now there is enough"));
    // tab2 steps the debit without having seen the deposit.
    block_on(tab2.step(&tid("t1"))).unwrap();
    assert_eq!(
        events_of(&store, "transfer-t1"),
        ["TransferInitiated", "TransferDebited"],
        "the debit of an account holding 50.00 succeeds"
    );
}

#[test]
fn a_commands_reported_events_are_only_its_own() {
    // tab1 deposits twice while tab2 runs a transfer from the same account; tab2's
    // debit conflicts and catches up on tab1's second deposit on the way.
    let store = MemoryStore::new();
    let setup = bank_on(&store, "setup");
    ok(&setup, open("a", "Ann", "100.00"));
    ok(&setup, open("b", "Ben", "0.00"));
    let (tab1, tab2) = yielding_tabs(&store);
    let (deposits, transferred) = block_on(async {
        futures::join!(
            async {
                let one = tab1.execute(deposit("a", "1.00", "").into_bank()).await;
                let two = tab1.execute(deposit("a", "2.00", "").into_bank()).await;
                (one, two)
            },
            tab2.execute(transfer("t1", "a", "b", "30.00", "").into_bank()),
        )
    });
    assert!(deposits.0.is_ok() && deposits.1.is_ok());
    let transferred = transferred.expect("the transfer runs");
    assert!(matches!(
        transferred.transfer,
        Some(TransferState::Completed(_))
    ));
    let foreign: Vec<String> = transferred
        .events
        .iter()
        .filter(|r| r.correlation_id != "t1")
        .map(|r| format!("{} {} at {}", r.stream, r.event_type(), r.position))
        .collect();
    assert!(
        foreign.is_empty(),
        "the transfer reports another command's events as its own: {foreign:?}"
    );
    assert_eq!(
        types(&transferred),
        [
            "TransferInitiated",
            "MoneyWithdrawn",
            "TransferDebited",
            "MoneyDeposited",
            "TransferCompleted"
        ]
    );
}

#[test]
fn two_tabs_sending_the_same_transfer_at_once_move_the_money_once() {
    let store = MemoryStore::new();
    let setup = bank_on(&store, "setup");
    ok(&setup, open("a", "Ann", "100.00"));
    ok(&setup, open("b", "Ben", "0.00"));
    let (tab1, tab2) = yielding_tabs(&store);
    let (r1, r2) = block_on(async {
        futures::join!(
            tab1.execute(transfer("t1", "a", "b", "30.00", "").into_bank()),
            tab2.execute(transfer("t1", "a", "b", "30.00", "").into_bank()),
        )
    });
    for r in [&r1, &r2] {
        let done = r.as_ref().expect("both tabs get an answer");
        assert!(
            matches!(done.transfer, Some(TransferState::Completed(_))),
            "{:?}",
            done.transfer
        );
    }
    assert_eq!(
        events_of(&store, "transfer-t1"),
        ["TransferInitiated", "TransferDebited", "TransferCompleted"]
    );
    assert_eq!(
        movements_of(&store, "t1"),
        [mv("a", "-30.00"), mv("b", "+30.00")]
    );
    let reloaded = bank_on(&store, "r");
    assert_eq!(balance(&reloaded, "a"), "70.00");
    assert_eq!(balance(&reloaded, "b"), "30.00");
}

#[test]
fn two_tabs_opening_the_same_account_at_once_open_it_once() {
    let store = MemoryStore::new();
    let (tab1, tab2) = yielding_tabs(&store);
    let (r1, r2) = block_on(async {
        futures::join!(
            tab1.execute(open("a", "Ann", "100.00").into_bank()),
            tab2.execute(open("a", "Mallory", "5.00").into_bank()),
        )
    });
    assert!(r1.is_ok(), "{r1:?}");
    assert!(
        matches!(
            r2,
            Err(BankError::Account(AccountError::AlreadyExists { .. }))
        ),
        "{r2:?}"
    );
    assert_eq!(
        stream_events(&store, "account-a"),
        [opened("a", "Ann", "100.00")]
    );
}

#[test]
fn without_the_version_check_the_same_race_would_overdraw() {
    // Proves the race above can fail: on a store that ignores expected versions (the
    // reference's fault 4), both withdrawals land.
    let store = Careless::default();
    let setup = block_on(Bank::open(store.clone(), Env::fixed("setup"))).unwrap();
    exec(&setup, open("a", "Ann", "100.00")).unwrap();
    let (tab1, tab2) = yielding_tabs(&store);
    let (r1, r2) = block_on(async {
        futures::join!(
            tab1.execute(withdraw("a", "100.00", "").into_bank()),
            tab2.execute(withdraw("a", "100.00", "").into_bank()),
        )
    });
    assert!(r1.is_ok() && r2.is_ok());
    let rebuilt = ReadModels::rebuild(&log_rc(&store.0));
    assert_eq!(rebuilt.accounts[&acct("a")].balance, money("-100.00"));
}

// 28 ------------------------------------------------------------------------------

/// Money that came in from outside (opening balances and plain deposits) minus money
/// that went out (plain withdrawals), and money a transfer has taken but not yet
/// paid anywhere, both as of the events in `models`.
fn external_and_in_flight(models: &ReadModels) -> (Decimal, Decimal) {
    let mut external = Decimal::ZERO;
    let mut in_flight = Decimal::ZERO;
    for r in &models.audit {
        match &r.event {
            Event::AccountOpened(e) => external += e.initial_balance.to_decimal(),
            Event::MoneyDeposited(e) if e.transfer_id.is_none() => {
                external += e.amount.to_decimal();
            }
            Event::MoneyWithdrawn(e) if e.transfer_id.is_none() => {
                external -= e.amount.to_decimal();
            }
            Event::MoneyDeposited(e) => in_flight -= e.amount.to_decimal(),
            Event::MoneyWithdrawn(e) => in_flight += e.amount.to_decimal(),
            _ => {}
        }
    }
    (external, in_flight)
}

#[test]
fn money_is_conserved_through_the_demo_compensations_and_crashes() {
    let store = MemoryStore::new();
    let bank = bank_on(&store, "t");
    run_the_demo_compensations_and_crashes(&bank);

    // Opening 1000 + 500 + 0 + 20, deposits 40, withdrawals 15: 1545.00 came in.
    // 20.00 (t-stuck) and 30.00 (t-crash) are in flight.
    let models = bank.models();
    assert_eq!(models.total_balance(), money("1495.00").to_decimal());
    for n in 0..=models.last_position {
        let past = models.as_of(n);
        let (external, in_flight) = external_and_in_flight(&past);
        assert_eq!(
            past.total_balance() + in_flight,
            external,
            "conservation as of position {n}"
        );
        assert!(
            past.accounts.values().all(|a| !a.balance.is_negative()),
            "no balance below zero as of position {n}"
        );
    }
    assert_eq!(
        external_and_in_flight(&models),
        (money("1545.00").to_decimal(), money("50.00").to_decimal())
    );

    let reloaded = bank_on(&store, "r");
    assert_eq!(
        block_on(reloaded.resume_all(&[])).unwrap(),
        [tid("t-crash")]
    );
    let models = reloaded.models();
    assert_eq!(models.total_balance(), money("1525.00").to_decimal());
    assert_eq!(
        external_and_in_flight(&models),
        (money("1545.00").to_decimal(), money("20.00").to_decimal())
    );
    assert_eq!(balance(&reloaded, "alice-123"), "765.00");
    assert_eq!(balance(&reloaded, "bob-456"), "760.00");
    assert_eq!(balance(&reloaded, "carol"), "0.00");
    assert_eq!(balance(&reloaded, "dave"), "0.00");

    each_transfer_moved_as_its_outcome_says(&reloaded, &store);
}

/// The seed demo, plain movements, compensations, transient faults, a failed refund
/// and a crash left for a reload.
fn run_the_demo_compensations_and_crashes(bank: &TestBank) {
    // The seed demo.
    ok(bank, open("alice-123", "Alice", "1000.00"));
    ok(bank, open("bob-456", "Bob", "500.00"));
    ok(
        bank,
        transfer("transfer-789", "alice-123", "bob-456", "250.00", ""),
    );
    ok(
        bank,
        transfer("transfer-999", "bob-456", "alice-123", "10000.00", ""),
    );
    // Plain movements in and out.
    ok(bank, deposit("alice-123", "40.00", ""));
    ok(bank, withdraw("bob-456", "15.00", ""));
    // Compensation: to a closed account, and by an injected rejection.
    ok(bank, open("carol", "Carol", "0.00"));
    ok(bank, close("carol"));
    ok(
        bank,
        transfer("t-closed", "alice-123", "carol", "100.00", ""),
    );
    bank.inject(
        &tid("t-rejected"),
        FaultPlan {
            reject_credit: true,
            ..FaultPlan::default()
        },
    );
    ok(
        bank,
        transfer("t-rejected", "bob-456", "alice-123", "60.00", ""),
    );
    // Transient faults, then success.
    bank.inject(
        &tid("t-flaky"),
        FaultPlan {
            transient: Some((SagaStep::Credit, 2)),
            ..FaultPlan::default()
        },
    );
    ok(
        bank,
        transfer("t-flaky", "bob-456", "alice-123", "5.00", ""),
    );
    // A compensation that fails: 20.00 stays with nobody, and is flagged.
    ok(bank, open("dave", "Dave", "20.00"));
    bank.inject(
        &tid("t-stuck"),
        FaultPlan {
            reject_credit: true,
            crash: Some(CrashPoint::AfterStep(SagaStep::Credit)),
            ..FaultPlan::default()
        },
    );
    assert!(exec(bank, transfer("t-stuck", "dave", "bob-456", "20.00", "")).is_err());
    ok(bank, close("dave"));
    block_on(bank.run_transfer(&tid("t-stuck"))).unwrap();
    // A crash with 30.00 in flight, left for a reload.
    bank.inject(
        &tid("t-crash"),
        FaultPlan {
            crash: Some(CrashPoint::AfterStep(SagaStep::Debit)),
            ..FaultPlan::default()
        },
    );
    assert!(exec(
        bank,
        transfer("t-crash", "alice-123", "bob-456", "30.00", "")
    )
    .is_err());
}

/// Each transfer's movements match its outcome.
fn each_transfer_moved_as_its_outcome_says(reloaded: &TestBank, store: &MemoryStore) {
    let expected = [
        (
            "transfer-789",
            "completed",
            vec![mv("alice-123", "-250.00"), mv("bob-456", "+250.00")],
        ),
        ("transfer-999", "failed", vec![]),
        (
            "t-closed",
            "compensated",
            vec![mv("alice-123", "-100.00"), mv("alice-123", "+100.00")],
        ),
        (
            "t-rejected",
            "compensated",
            vec![mv("bob-456", "-60.00"), mv("bob-456", "+60.00")],
        ),
        (
            "t-flaky",
            "completed",
            vec![mv("bob-456", "-5.00"), mv("alice-123", "+5.00")],
        ),
        ("t-stuck", "needs attention", vec![mv("dave", "-20.00")]),
        (
            "t-crash",
            "completed",
            vec![mv("alice-123", "-30.00"), mv("bob-456", "+30.00")],
        ),
    ];
    for (t, label, movements) in expected {
        assert_eq!(transfer_label(reloaded, t), label, "{t}");
        assert_eq!(movements_of(store, t), movements, "{t}");
    }
}

// Transient faults ----------------------------------------------------------------

fn retries(store: &MemoryStore, transfer: &str) -> Vec<(SagaStep, u32)> {
    stream_events(store, &transfer_stream(transfer))
        .into_iter()
        .filter_map(|e| match e {
            Event::TransferStepRetried(r) => Some((r.step, r.attempt)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_step_that_fails_for_a_passing_reason_is_retried_then_completes() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            transient: Some((SagaStep::Credit, 2)),
            ..FaultPlan::default()
        },
    );
    let done = ok(&bank, transfer("t1", "a", "b", "30.00", ""));
    assert_eq!(
        types(&done),
        [
            "TransferInitiated",
            "MoneyWithdrawn",
            "TransferDebited",
            "TransferStepRetried",
            "TransferStepRetried",
            "MoneyDeposited",
            "TransferCompleted"
        ]
    );
    assert_eq!(
        retries(bank.store(), "t1"),
        [(SagaStep::Credit, 1), (SagaStep::Credit, 2)]
    );
    let reasons: Vec<String> = stream_events(bank.store(), "transfer-t1")
        .into_iter()
        .filter_map(|e| match e {
            Event::TransferStepRetried(r) => Some(r.reason),
            _ => None,
        })
        .collect();
    assert!(
        reasons
            .iter()
            .all(|r| r.contains("temporarily unavailable")),
        "{reasons:?}"
    );
    assert_eq!(balance(&bank, "a"), "70.00");
    assert_eq!(balance(&bank, "b"), "30.00");
}

#[test]
fn a_debit_that_fails_for_a_passing_reason_is_retried_without_moving_money_early() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            transient: Some((SagaStep::Debit, 1)),
            ..FaultPlan::default()
        },
    );
    ok(&bank, transfer("t1", "a", "b", "30.00", ""));
    assert_eq!(retries(bank.store(), "t1"), [(SagaStep::Debit, 1)]);
    assert_eq!(
        movements_of(bank.store(), "t1"),
        [mv("a", "-30.00"), mv("b", "+30.00")]
    );
    assert_eq!(transfer_label(&bank, "t1"), "completed");
}

#[test]
fn a_debit_that_succeeds_on_its_last_allowed_attempt_completes() {
    let max = sagabank::app::faults::MAX_ATTEMPTS;
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            transient: Some((SagaStep::Debit, max - 1)),
            ..FaultPlan::default()
        },
    );
    ok(&bank, transfer("t1", "a", "b", "30.00", ""));
    let expected: Vec<(SagaStep, u32)> = (1..max).map(|n| (SagaStep::Debit, n)).collect();
    assert_eq!(retries(bank.store(), "t1"), expected);
    assert_eq!(transfer_label(&bank, "t1"), "completed");
}

/// Each retry's virtual time (`retry_at_ms`) of a transfer, in order.
fn retry_times(store: &MemoryStore, transfer: &str) -> Vec<u64> {
    stream_events(store, &transfer_stream(transfer))
        .into_iter()
        .filter_map(|e| match e {
            Event::TransferStepRetried(r) => Some(r.retry_at_ms),
            _ => None,
        })
        .collect()
}

#[test]
fn a_credit_retried_with_backoff_before_its_deadline_completes() {
    use sagabank::domain::retry::{backoff_ms, DEADLINE_MS};
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            transient: Some((SagaStep::Credit, 3)),
            ..FaultPlan::default()
        },
    );
    ok(&bank, transfer("t1", "a", "b", "30.00", ""));
    let times = retry_times(bank.store(), "t1");
    // Each retry waits its backoff after the attempt before it, from 0.
    let mut now = 0;
    let expected: Vec<u64> = (1..=3)
        .map(|n| {
            now += backoff_ms(&tid("t1"), n);
            now
        })
        .collect();
    assert_eq!(times, expected);
    assert!(
        times.windows(2).all(|w| w[1] - w[0] > w[0] / 2),
        "{times:?}"
    );
    assert!(*times.last().unwrap() <= DEADLINE_MS);
    assert_eq!(transfer_label(&bank, "t1"), "completed");
    assert_eq!(balance(&bank, "b"), "30.00");
}

#[test]
fn a_credit_still_failing_at_its_deadline_times_out_and_is_compensated() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            transient: Some((SagaStep::Credit, 9)),
            ..FaultPlan::default()
        },
    );
    let done = ok(&bank, transfer("t1", "a", "b", "30.00", ""));
    assert_eq!(
        types(&done)[2..],
        [
            "TransferDebited",
            "TransferStepRetried",
            "TransferStepRetried",
            "TransferStepRetried",
            "TransferTimedOut",
            "MoneyDeposited",
            "TransferReversed",
            "TransferFailed"
        ]
    );
    let timed_out = stream_events(bank.store(), "transfer-t1")
        .into_iter()
        .find_map(|e| match e {
            Event::TransferTimedOut(t) => Some(t),
            _ => None,
        })
        .expect("the credit gives up");
    assert_eq!(timed_out.attempts, 4);
    assert_eq!(timed_out.at_ms, retry_times(bank.store(), "t1")[2]);
    assert!(
        timed_out.reason.contains("1000 ms deadline"),
        "{}",
        timed_out.reason
    );
    assert_eq!(transfer_label(&bank, "t1"), "compensated");
    assert_eq!(
        movements_of(bank.store(), "t1"),
        [mv("a", "-30.00"), mv("a", "+30.00")]
    );
    assert_eq!(balance(&bank, "a"), "100.00");
    assert_eq!(balance(&bank, "b"), "0.00");
}

#[test]
fn the_same_transfer_retries_at_the_same_times_and_another_id_at_others() {
    let run = |id: &str| {
        let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
        bank.inject(
            &tid(id),
            FaultPlan {
                transient: Some((SagaStep::Credit, 3)),
                ..FaultPlan::default()
            },
        );
        ok(&bank, transfer(id, "a", "b", "30.00", ""));
        retry_times(bank.store(), id)
    };
    assert_eq!(run("t1"), run("t1"));
    assert_ne!(run("t1"), run("t2"));
}

#[test]
fn a_debit_that_keeps_failing_fails_the_transfer_with_nothing_moved() {
    let max = sagabank::app::faults::MAX_ATTEMPTS;
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            transient: Some((SagaStep::Debit, max)),
            ..FaultPlan::default()
        },
    );
    ok(&bank, transfer("t1", "a", "b", "30.00", ""));
    assert_eq!(transfer_label(&bank, "t1"), "failed");
    assert!(movements_of(bank.store(), "t1").is_empty());
    assert_eq!(balance(&bank, "a"), "100.00");
}

// Step mode -----------------------------------------------------------------------

fn timeline(bank: &TestBank, transfer: &str) -> Vec<TimelineKind> {
    bank.read(|m| {
        m.transfers[&tid(transfer)]
            .timeline
            .iter()
            .map(|e| e.kind)
            .collect()
    })
}

#[test]
fn step_mode_advances_exactly_one_step_per_call() {
    use TimelineKind::*;
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    let started = block_on(bank.start_transfer(transfer("t1", "a", "b", "30.00", ""))).unwrap();
    assert_eq!(types(&started), ["TransferInitiated"]);
    assert_eq!(timeline(&bank, "t1"), [Initiated]);
    assert_eq!(balance(&bank, "a"), "100.00", "starting moves no money");

    let one = block_on(bank.step(&tid("t1"))).unwrap();
    assert!(matches!(
        one,
        StepOutcome::Advanced(TransferState::Debited(_))
    ));
    assert_eq!(
        timeline(&bank, "t1"),
        [Initiated, Leg(SagaStep::Debit), Debited]
    );
    assert_eq!(balance(&bank, "a"), "70.00");
    assert_eq!(balance(&bank, "b"), "0.00");

    let two = block_on(bank.step(&tid("t1"))).unwrap();
    assert!(matches!(
        two,
        StepOutcome::Advanced(TransferState::Completed(_))
    ));
    assert_eq!(
        timeline(&bank, "t1"),
        [
            Initiated,
            Leg(SagaStep::Debit),
            Debited,
            Leg(SagaStep::Credit),
            Completed
        ]
    );
    assert_eq!(balance(&bank, "b"), "30.00");

    let len = bank.store().len();
    let three = block_on(bank.step(&tid("t1"))).unwrap();
    assert!(matches!(
        three,
        StepOutcome::Finished(TransferState::Completed(_))
    ));
    assert_eq!(
        bank.store().len(),
        len,
        "a finished transfer's step writes nothing"
    );
    assert_eq!(timeline(&bank, "t1").len(), 5);
}

#[test]
fn step_mode_shows_retries_and_compensation_one_step_at_a_time() {
    use TimelineKind::*;
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            reject_credit: true,
            transient: Some((SagaStep::Debit, 1)),
            ..FaultPlan::default()
        },
    );
    block_on(bank.start_transfer(transfer("t1", "a", "b", "30.00", ""))).unwrap();
    let retried = block_on(bank.step(&tid("t1"))).unwrap();
    assert!(matches!(
        retried,
        StepOutcome::Retried(TransferState::Initiated(_))
    ));
    assert_eq!(timeline(&bank, "t1"), [Initiated, Retried(SagaStep::Debit)]);
    assert_eq!(balance(&bank, "a"), "100.00");

    block_on(bank.step(&tid("t1"))).unwrap();
    assert_eq!(timeline(&bank, "t1")[2..], [Leg(SagaStep::Debit), Debited]);
    let rejected_credit = block_on(bank.step(&tid("t1"))).unwrap();
    assert!(matches!(
        rejected_credit,
        StepOutcome::Advanced(TransferState::CreditRejected { .. })
    ));
    assert_eq!(timeline(&bank, "t1")[4..], [CreditRejected]);
    let refunded = block_on(bank.step(&tid("t1"))).unwrap();
    assert!(matches!(
        refunded,
        StepOutcome::Advanced(TransferState::Failed { reversed: true, .. })
    ));
    assert_eq!(
        timeline(&bank, "t1")[5..],
        [Leg(SagaStep::Refund), Reversed, Failed]
    );
    assert_eq!(balance(&bank, "a"), "100.00");
    assert!(matches!(
        block_on(bank.step(&tid("t1"))).unwrap(),
        StepOutcome::Finished(_)
    ));
}

#[test]
fn stepping_an_unknown_transfer_does_nothing() {
    let bank = bank_with(&[("a", "Ann", "100.00")]);
    let outcome = block_on(bank.step(&tid("nope"))).unwrap();
    assert_eq!(outcome, StepOutcome::Finished(TransferState::NotStarted));
    assert_eq!(bank.store().len(), 1);
}

#[test]
fn two_tabs_stepping_the_same_transfer_record_each_step_once() {
    let store = MemoryStore::new();
    let tab1 = bank_on(&store, "tab1");
    ok(&tab1, open("a", "Ann", "100.00"));
    ok(&tab1, open("b", "Ben", "0.00"));
    block_on(tab1.start_transfer(transfer("t1", "a", "b", "30.00", ""))).unwrap();
    let tab2 = bank_on(&store, "tab2");
    block_on(tab1.step(&tid("t1"))).unwrap();
    // tab2 has not seen the debit; its step must not debit again.
    block_on(tab2.run_transfer(&tid("t1"))).unwrap();
    block_on(tab1.run_transfer(&tid("t1"))).unwrap();
    assert_eq!(
        events_of(&store, "transfer-t1"),
        ["TransferInitiated", "TransferDebited", "TransferCompleted"]
    );
    assert_eq!(
        movements_of(&store, "t1"),
        [mv("a", "-30.00"), mv("b", "+30.00")]
    );
    block_on(tab1.catch_up()).unwrap();
    assert_eq!(balance(&tab1, "a"), "70.00");
    assert_eq!(balance(&tab2, "b"), "30.00");
}

#[test]
fn a_runner_with_a_stale_view_reads_the_log_before_its_step_and_never_contradicts_it() {
    // Tab 1 injects a refused credit; tab 2 opened while the transfer was debited.
    // Each step re-reads the log first, so tab 2 sees the refusal and runs the refund.
    let tab1 = bank_with(&[("a", "Ann", "100.00"), ("b", "Bob", "0.00")]);
    let refused = FaultPlan {
        reject_credit: true,
        ..FaultPlan::default()
    };
    block_on(tab1.start_transfer_with(
        transfer("t", "a", "b", "100.00", ""),
        refused,
        RunMode::Step,
    ))
    .unwrap();
    block_on(tab1.step(&tid("t"))).unwrap(); // debit
    let tab2 = bank_on(tab1.store(), "tab2"); // sees the transfer debited
    block_on(tab1.step(&tid("t"))).unwrap(); // credit refused by the fault
    block_on(tab2.step(&tid("t"))).unwrap(); // reads the refusal, refunds
    let end = block_on(tab2.run_transfer(&tid("t"))).unwrap();

    assert_eq!(end.label(), "compensated", "{end:?}");
    assert_eq!(balance(&tab2, "a"), "100.00");
    assert_eq!(balance(&tab2, "b"), "0.00");
    let credits = stream_events(tab1.store(), &account_stream("b"))
        .iter()
        .filter(|e| matches!(e, Event::MoneyDeposited(_)))
        .count();
    assert_eq!(credits, 0, "the refused credit never landed");
}

#[test]
fn faults_sent_with_a_refused_or_repeated_start_do_not_touch_the_existing_transfer() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Bob", "0.00")]);
    block_on(bank.start_transfer(transfer("t", "a", "b", "10.00", ""))).unwrap();
    let crash = FaultPlan {
        crash: Some(CrashPoint::AfterLeg(SagaStep::Debit)),
        ..FaultPlan::default()
    };
    let other = transfer("t", "a", "b", "11.00", "");
    assert!(block_on(bank.start_transfer_with(other, crash.clone(), RunMode::Step)).is_err());
    let again = block_on(bank.start_transfer_with(
        transfer("t", "a", "b", "10.00", ""),
        crash,
        RunMode::Step,
    ));
    assert!(
        again.unwrap().events.is_empty(),
        "a repeated start writes nothing"
    );
    // Had either plan been kept, the debit would "crash" here.
    assert!(matches!(
        block_on(bank.run_transfer(&tid("t"))).unwrap(),
        TransferState::Completed(_)
    ));
}
