//! Each check against the action a learner could take instead of the one its task
//! names (the loophole), then against the real one. Every test here failed on the
//! checks as they were before issue 21 item 2.

use futures::executor::block_on;

use super::later_lessons::{fork_at, send_to, shut};
use super::tasks::loaded;
use super::*;
use crate::domain::account::OpenAccount;

fn suspend(account: &str) -> BankCommand {
    BankCommand::SuspendAccount(SuspendAccount {
        account_id: id(account),
        reason: "lost card".into(),
    })
}

/// Lesson 1: the deposit selected must be the learner's own, not the scenario's.
#[test]
fn selecting_a_deposit_the_learner_did_not_make_does_not_count() {
    let (bank, mut record) = given(SEED);
    let open = BankCommand::OpenAccount(OpenAccount {
        account_id: id("ann"),
        owner_name: "Ann".into(),
        initial_balance: money("10.00"),
    });
    run(&bank, open).unwrap();
    run(&bank, deposit("ann", "5.00")).unwrap();
    // transfer-789's credit, a deposit the scenario made.
    record.select(position_of(&bank, "MoneyDeposited"), len(&bank));
    then(&bank, &record, c::selected_deposit, false);
    record.select(len(&bank), len(&bank));
    then(&bank, &record, c::selected_deposit, true);
}

/// Lesson 2: travelling back is to before a change the task names (transfer-789's
/// debit), not to any older event.
#[test]
fn any_older_event_is_not_travelling_back_before_the_transfer() {
    let (bank, mut record) = given(SEED);
    let n = len(&bank);
    record.select(n - 1, n);
    then(&bank, &record, c::travelled_back, false);
    record.select(position_of(&bank, "MoneyWithdrawn") - 1, n);
    then(&bank, &record, c::travelled_back, true);
}

/// Lesson 3: a second Suspend, or a withdrawal, refused as "not active" is not the
/// refused deposit; a deposit refused while the account is suspended is.
#[test]
fn a_second_suspend_or_a_withdrawal_is_not_the_refused_deposit() {
    let (bank, mut record) = given(SEED);
    run(&bank, suspend("bob-456")).unwrap();
    refuse(&bank, &mut record, suspend("bob-456"));
    assert_eq!(record.refusals[0].kind, RefusalKind::NotActive);
    then(&bank, &record, c::refused_suspended_deposit, false);
    refuse(&bank, &mut record, withdraw("bob-456", "1.00"));
    then(&bank, &record, c::refused_suspended_deposit, false);
    refuse(&bank, &mut record, deposit("bob-456", "1.00"));
    then(&bank, &record, c::refused_suspended_deposit, true);
}

/// Lesson 4: bob's statement is not alice's.
#[test]
fn another_account_s_statement_is_not_alice_s() {
    let (bank, mut record) = given(SEED);
    record.open_statement("bob-456");
    then(&bank, &record, c::opened_statement, false);
    record.open_statement("alice-123");
    then(&bank, &record, c::opened_statement, true);
}

fn rebuilt(record: &mut LearnerRecord, events: u64, equal: bool, broken: bool) {
    record.rebuilds.push(Rebuild {
        events,
        equal,
        micros: 1,
        broken,
    });
}

/// Lesson 4: a rebuild before any change, or with the broken projection, is not the
/// real rebuild after a change.
#[test]
fn a_rebuild_before_any_change_or_of_the_broken_projection_does_not_count() {
    let (bank, mut record) = given(SEED);
    rebuilt(&mut record, len(&bank), true, false);
    then(&bank, &record, c::rebuilt_equal, false);
    run(&bank, deposit("alice-123", "5.00")).unwrap();
    rebuilt(&mut record, len(&bank), true, true);
    then(&bank, &record, c::rebuilt_equal, false);
    rebuilt(&mut record, len(&bank), true, false);
    then(&bank, &record, c::rebuilt_equal, true);
}

/// Lesson 5: t1 run all at once (Play, or another transfer sent whole) is not t1
/// completed by the steps the learner pressed.
#[test]
fn a_transfer_run_all_at_once_is_not_one_completed_by_pressed_steps() {
    let (bank, mut record) = stepped(HAPPY);
    press(&bank, &mut record, "t1");
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    then(&bank, &record, c::transfer_completed, false);
    let (bank, mut record) = stepped(HAPPY);
    while bank.read(|m| !m.transfers[&tid("t1")].state.is_terminal()) {
        press(&bank, &mut record, "t1");
    }
    then(&bank, &record, c::transfer_completed, true);
}

fn crash_at(point: CrashPoint) -> (TestBank, LearnerRecord) {
    let (bank, mut record) = given(SEED);
    let plan = FaultPlan {
        crash: Some(point),
        ..FaultPlan::default()
    };
    let t = transfer("t-crash", "alice-123", "bob-456", "50.00", "");
    block_on(bank.start_transfer_with(t, plan, RunMode::Auto)).unwrap();
    let crashed = block_on(bank.run_transfer(&tid("t-crash"))).unwrap_err();
    record.refuse(&crashed, None, len(&bank));
    let reloaded = block_on(Bank::open(bank.store().clone(), Env::fixed("r"))).unwrap();
    record.reloads.push(len(&reloaded));
    (reloaded, record)
}

/// Lesson 7: a reload in the middle of a saga stepped by hand, or a crash after the
/// debit step, is not a crash inside the debit leg.
#[test]
fn a_reload_without_a_crash_inside_the_debit_leg_does_not_count() {
    let (bank, mut record) = given(SEED);
    let t = transfer("t2", "alice-123", "bob-456", "5.00", "");
    block_on(bank.start_transfer(t)).unwrap();
    block_on(bank.step(&tid("t2"))).unwrap();
    record.reloads.push(len(&bank));
    then(&bank, &record, c::reloaded_mid_saga, false);
    let (bank, record) = crash_at(CrashPoint::AfterStep(SagaStep::Debit));
    then(&bank, &record, c::reloaded_mid_saga, false);
}

/// Lesson 7: a crash between the debit and its record; after the reload the debit
/// leg runs again, absorbed by its idempotency (one `MoneyWithdrawn`).
#[test]
fn a_crash_inside_the_debit_leg_resumes_with_the_debit_absorbed() {
    let (bank, record) = crash_at(CrashPoint::AfterLeg(SagaStep::Debit));
    then(&bank, &record, c::reloaded_mid_saga, true);
    then(&bank, &record, c::resumed_after_reload, false);
    block_on(bank.resume_all(&[tid("t-crash")])).unwrap();
    then(&bank, &record, c::resumed_after_reload, true);
    let debits = bank.read(|m| {
        m.audit
            .iter()
            .filter(|r| r.correlation_id == "t-crash" && r.event.event_type() == "MoneyWithdrawn")
            .count()
    });
    assert_eq!(debits, 1);
}

/// Lesson 8: a transfer sent in the lesson, then repeated, wrote its events in this
/// lesson: not a repeat that wrote nothing at all.
#[test]
fn a_transfer_that_wrote_in_this_lesson_is_not_a_repeat_that_wrote_nothing() {
    let (bank, mut record) = given(SEED);
    let t = transfer("t-new", "alice-123", "bob-456", "1.00", "");
    run(&bank, BankCommand::TransferMoney(t.clone())).unwrap();
    assert!(run(&bank, BankCommand::TransferMoney(t))
        .unwrap()
        .events
        .is_empty());
    record.repeats.push("t-new".into());
    then(&bank, &record, c::repeated_transfer, false);
}

/// Lesson 9: a conflict met elsewhere, and a page that caught up before it wrote, is
/// not the page's append refused by the second client's write.
#[test]
fn a_conflict_elsewhere_after_catching_up_is_not_deciding_again() {
    let (bank, mut record) = given(SEED);
    block_on(second_client_deposit(
        bank.store(),
        &id("alice-123"),
        money("5.00"),
        "1",
        "2026-11-30T10:00:00.000Z",
    ))
    .unwrap();
    record.second_client = 1;
    block_on(bank.catch_up()).unwrap();
    run(&bank, withdraw("alice-123", "1.00")).unwrap();
    assert_eq!(bank.conflicts(), 0);
    record.conflicts.push(crate::app::Conflict {
        stream: "account-bob-456".into(),
        expected: 3,
        actual: 4,
        read_up_to: 9,
    });
    then(&bank, &record, c::decided_again, false);
}

/// Lesson 10: a deposit that came inside the imported file is not one made after it.
#[test]
fn a_deposit_inside_the_imported_file_is_not_one_made_after_the_import() {
    let (bank, _) = empty();
    let extra = r#"{"position":3,"stream":"account-erin","version":3,"type":"MoneyDeposited","event_id":"hand-made","recorded_at":"2024-05-03T10:30:00Z","data":{"account_id":"erin","amount":1,"transaction_id":"tx-2","deposited_at":"2024-05-03T10:30:00Z"}}"#;
    let file = format!("{SCHEMA_ONE_FILE}{extra}\n");
    block_on(bank.store().restore(&parse_log(&file).unwrap())).unwrap();
    block_on(bank.catch_up()).unwrap();
    // The page moved to the imported bank: the lesson's record starts there.
    let record = LearnerRecord::starting_at(len(&bank));
    then(&bank, &record, c::imported_schema_one, true);
    then(&bank, &record, c::deposited_to_imported, false);
    run(&bank, deposit("erin", "1.00")).unwrap();
    then(&bank, &record, c::deposited_to_imported, true);
}

/// Lesson 11: a fork made at or after transfer-789 holds it already: it is not a
/// fork before the transfer, whatever is done in it.
#[test]
fn a_fork_made_after_the_transfer_does_not_count() {
    let (bank, record) = given(SEED);
    let (fork, mut mine) = fork_at(&bank, &record, len(&bank));
    shut(&fork, "carol", true);
    send_to(&fork, "t-closed", "carol");
    mine.compared.push(len(&fork));
    then(&fork, &mine, c::forked_before_transfer, false);
    then(&fork, &mine, c::compensated_in_fork, false);
    then(&fork, &mine, c::compared_fork, false);
}

/// Lesson 11: the same compensation in the lesson's own bank is not one in a fork.
#[test]
fn a_compensation_in_the_lesson_s_own_bank_is_not_one_in_a_fork() {
    let (bank, mut record) = given(SEED);
    shut(&bank, "carol", true);
    send_to(&bank, "t-closed", "carol");
    record.compared.push(len(&bank));
    then(&bank, &record, c::compensated_in_fork, false);
    then(&bank, &record, c::compared_fork, false);
}

/// Lesson 11: a credit refused by a suspended account is compensated too, but the
/// task names a closed one.
#[test]
fn a_transfer_to_a_suspended_account_is_not_one_to_a_closed_account() {
    let (bank, record) = given(SEED);
    let (fork, mine) = fork_at(&bank, &record, 2);
    shut(&fork, "carol", false);
    send_to(&fork, "t-suspended", "carol");
    then(&fork, &mine, c::compensated_in_fork, false);
}

/// Lesson 11: Compare shown before the transfer ended shows no difference it made.
#[test]
fn a_comparison_before_the_transfer_ended_does_not_count() {
    let (bank, record) = given(SEED);
    let (fork, mut mine) = fork_at(&bank, &record, 2);
    shut(&fork, "carol", true);
    mine.compared.push(len(&fork));
    send_to(&fork, "t-closed", "carol");
    then(&fork, &mine, c::compensated_in_fork, true);
    then(&fork, &mine, c::compared_fork, false);
}

/// Retries and timeouts: a transfer with no failure, a retried debit, a refused
/// credit's compensation, or the scenario's own retried transfer stepped to its end
/// are not the learner's retried credit or its time-out.
#[test]
fn other_retries_and_compensations_are_not_the_credit_s_deadline() {
    let (bank, record) = given(SEED);
    run(
        &bank,
        BankCommand::TransferMoney(transfer("plain", "alice-123", "bob-456", "1.00", "")),
    )
    .unwrap();
    send_failing(&bank, "debit", SagaStep::Debit, 2);
    then(&bank, &record, c::retried_within_deadline, false);
    bank.inject(
        &tid("refused"),
        FaultPlan {
            reject_credit: true,
            ..FaultPlan::default()
        },
    );
    run(
        &bank,
        BankCommand::TransferMoney(transfer("refused", "alice-123", "bob-456", "1.00", "")),
    )
    .unwrap();
    then(&bank, &record, c::timed_out_and_refunded, false);
    send_failing(&bank, "real", SagaStep::Credit, 6);
    then(&bank, &record, c::timed_out_and_refunded, true);
    then(&bank, &record, c::retried_within_deadline, false);

    // The scenario's stepped transfer, started before the lesson's record began.
    let (bank, _) = given("[]");
    let scenario = crate::app::scenario_catalog::find("transient-failure").unwrap();
    let t = block_on(crate::app::scenario_catalog::prepare(&bank, scenario))
        .unwrap()
        .unwrap();
    let record = LearnerRecord::starting_at(len(&bank));
    while !bank.read(|m| m.transfers[&t].state.is_terminal()) {
        block_on(bank.step(&t)).unwrap();
    }
    then(&bank, &record, c::retried_within_deadline, false);
}

/// "When compensation fails": the lesson's bank, as the page prepares it (t1 waits
/// after its debit, alice closed meanwhile).
fn refund_refused_bank() -> (TestBank, LearnerRecord, usize) {
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("l"))).unwrap();
    let scenario = crate::app::scenario_catalog::find("needs-attention").unwrap();
    block_on(crate::app::scenario_catalog::prepare(&bank, scenario)).unwrap();
    let n = LESSONS
        .iter()
        .position(|l| l.key == "compensation-fails")
        .unwrap()
        + 1;
    let record = LearnerRecord::starting_at(len(&bank));
    (bank, record, n)
}

/// "When compensation fails": a plain compensation (a refund that works at once) is
/// neither a refused refund nor an operator's fix, and selecting a moment before any
/// fix made the money whole does not count as looking back at it.
#[test]
fn a_refund_that_works_at_once_is_not_an_operators_fix() {
    let (bank, mut record, _) = refund_refused_bank();
    // Another transfer compensated the ordinary way: open, close, send to it.
    let open = BankCommand::OpenAccount(OpenAccount {
        account_id: id("dora"),
        owner_name: "Dora".into(),
        initial_balance: money("5.00"),
    });
    run(&bank, open).unwrap();
    let t2 = BankCommand::TransferMoney(transfer("t2", "dora", "carol", "5.00", ""));
    run(&bank, t2).unwrap();
    then(&bank, &record, c::compensation_failed, false);
    then(&bank, &record, c::fixed_by_operator, false);
    // Selecting while t1's money is out, before any fix, does not count either.
    record.select(len(&bank), len(&bank));
    then(&bank, &record, c::saw_money_out, false);
    // The real path: the refund refused, the operator's fix, the refund run.
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    then(&bank, &record, c::compensation_failed, true);
    then(&bank, &record, c::fixed_by_operator, false);
    block_on(bank.retry_refund(&tid("t1"), &id("alice-savings"), "alice was closed")).unwrap();
    then(&bank, &record, c::fixed_by_operator, false);
    block_on(bank.step(&tid("t1"))).unwrap();
    then(&bank, &record, c::fixed_by_operator, true);
    // A selection made before the fix, or of a moment after the refund, is not it.
    then(&bank, &record, c::saw_money_out, false);
    record.select(len(&bank), len(&bank));
    then(&bank, &record, c::saw_money_out, false);
    record.select(position_of(&bank, "TransferCompensationFailed"), len(&bank));
    then(&bank, &record, c::saw_money_out, true);
}

/// How steps cause each other: stepping back through the log with the time-travel
/// slider (or the audit trail's arrow keys) passes t1's events in the chain's order
/// when nothing was written between its steps; only the chain's own links count.
#[test]
fn scrubbing_back_through_the_log_is_not_following_the_chain() {
    let (bank, mut record) = loaded("happy-transfer");
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    let n = len(&bank);
    for p in (record.base..=n).rev() {
        record.select(p, n);
    }
    then(&bank, &record, c::followed_chain_back, false);
}

/// How steps cause each other: the chain walked forwards, with a link skipped, or
/// stopping short of the command's event, is not the chain followed back.
#[test]
fn a_chain_followed_forwards_or_with_a_gap_or_cut_short_does_not_count() {
    let (bank, record) = loaded("happy-transfer");
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    let back = bank.read(|m| {
        let chain = crate::app::views::causation::Causation::of(&m.transfers[&tid("t1")]);
        chain.back_from(chain.completed().unwrap())
    });
    let walks: [Vec<u64>; 3] = [
        back.iter().rev().copied().collect(),
        [&back[..2], &back[3..]].concat(),
        back[..4].to_vec(),
    ];
    for walk in walks {
        let mut r = record.clone();
        for p in walk {
            r.trace(p);
        }
        then(&bank, &r, c::followed_chain_back, false);
    }
}

/// How steps cause each other: a chain that ended before the lesson (the scenario's)
/// is not the learner's, and a transfer other than t1 completing is not t1's.
#[test]
fn the_scenario_s_own_chains_and_another_transfer_do_not_count() {
    let (bank, mut record) = loaded("seed-demo");
    let back = bank.read(|m| {
        let t = m.transfers.values().next().unwrap();
        let chain = crate::app::views::causation::Causation::of(t);
        chain.back_from(chain.completed().unwrap())
    });
    for p in back {
        record.trace(p);
    }
    then(&bank, &record, c::followed_chain_back, false);
    run(
        &bank,
        BankCommand::TransferMoney(transfer("t9", "alice-123", "bob-456", "1.00", "")),
    )
    .unwrap();
    then(&bank, &record, c::traced_transfer_completed, false);
}
