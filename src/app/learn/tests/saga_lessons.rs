//! Lessons 5 to 9 (a saga, compensation, crash, idempotency, concurrency): their
//! checks on logs that pass and fail.

use super::*;

// Lesson 5 -----------------------------------------------------------------------

#[test]
fn a_saga_step_by_step_completes() {
    let (bank, mut record) = stepped(HAPPY);
    then(&bank, &record, c::transfer_completed, false);
    block_on(bank.step(&tid("t1"))).unwrap();
    // The debit ran by a step the test called, not a press: only presses count.
    record.steps.push(record::StepPress {
        transfer: "t1".into(),
        from: record.base,
        to: len(&bank),
    });
    press(&bank, &mut record, "t1");
    then(&bank, &record, c::transfer_completed, true);
}

// Lesson 6 -----------------------------------------------------------------------

#[test]
fn compensation_refused_credit_refund_and_failure() {
    let (bank, mut record) = stepped(COMPENSATION);
    then(&bank, &record, c::compensated, false);
    block_on(bank.step(&tid("t1"))).unwrap();
    block_on(bank.step(&tid("t1"))).unwrap();
    // The credit was refused, but the refund has not run yet.
    then(&bank, &record, c::compensated, false);
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    then(&bank, &record, c::compensated, true);
    then(&bank, &record, c::selected_reversal, false);
    record.select(position_of(&bank, "TransferFailed"), len(&bank));
    then(&bank, &record, c::selected_reversal, false);
    record.select(position_of(&bank, "TransferReversed"), len(&bank));
    then(&bank, &record, c::selected_reversal, true);
}

#[test]
fn a_transfer_that_completes_is_no_compensation() {
    let (bank, record) = stepped(HAPPY);
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    then(&bank, &record, c::compensated, false);
}

// Lesson 7 -----------------------------------------------------------------------

#[test]
fn a_reload_before_any_debit_or_after_the_end_is_no_crash_mid_saga() {
    let (bank, mut record) = given(SEED);
    record.reloads.push(len(&bank));
    run(
        &bank,
        BankCommand::TransferMoney(transfer("t2", "alice-123", "bob-456", "5.00", "")),
    )
    .unwrap();
    record.reloads.push(len(&bank));
    then(&bank, &record, c::reloaded_mid_saga, false);
    then(&bank, &record, c::resumed_after_reload, false);
}

// Lesson 8 -----------------------------------------------------------------------

#[test]
fn idempotency_the_same_transfer_twice_moves_money_once() {
    let (bank, mut record) = given(SEED);
    then(&bank, &record, c::repeated_transfer, false);
    let again = transfer(
        "transfer-789",
        "alice-123",
        "bob-456",
        "250.00",
        "Payment for services",
    );
    let before = len(&bank);
    let repeated = run(&bank, BankCommand::TransferMoney(again)).unwrap();
    assert!(repeated.events.is_empty());
    assert_eq!(len(&bank), before);
    record.repeats.push("transfer-789".into());
    then(&bank, &record, c::repeated_transfer, true);
    then(&bank, &record, c::refused_reused_id, false);
    let other = transfer(
        "transfer-789",
        "alice-123",
        "bob-456",
        "1.00",
        "Payment for services",
    );
    refuse(&bank, &mut record, BankCommand::TransferMoney(other));
    then(&bank, &record, c::refused_reused_id, true);
}

#[test]
fn a_repeat_of_a_transfer_the_log_does_not_hold_does_not_count() {
    let (bank, mut record) = given(SEED);
    record.repeats.push("t-unknown".into());
    then(&bank, &record, c::repeated_transfer, false);
}

// Lesson 9 -----------------------------------------------------------------------

#[test]
fn concurrency_a_second_client_then_a_conflict_decided_again() {
    let (bank, mut record) = given(SEED);
    then(&bank, &record, c::second_client_wrote, false);
    let written = block_on(second_client_deposit(
        bank.store(),
        &id("alice-123"),
        money("5.00"),
        "1",
        "2026-11-30T10:00:00.000Z",
    ))
    .unwrap();
    assert!(is_second_client(&written[0]));
    // The page notes the write; it has not read it.
    record.second_client += 1;
    then(&bank, &record, c::second_client_wrote, true);
    record.second_client = 0;
    then(&bank, &record, c::second_client_wrote, false);
    record.second_client = 1;
    // The page has not seen it: its balance is the old one.
    let balance = |b: &TestBank| b.read(|m| m.accounts[&id("alice-123")].balance);
    assert_eq!(balance(&bank), money("750.00"));
    record.conflicts = met(&bank);
    then(&bank, &record, c::decided_again, false);
    run(&bank, withdraw("alice-123", "1.00")).unwrap();
    assert_eq!(bank.conflicts(), 1, "one conflict, decided again");
    assert_eq!(balance(&bank), money("754.00"));
    record.conflicts = met(&bank);
    then(&bank, &record, c::second_client_wrote, true);
    then(&bank, &record, c::decided_again, true);
}

#[test]
fn a_write_elsewhere_or_without_a_conflict_is_not_decided_again() {
    let (bank, mut record) = given(SEED);
    block_on(second_client_deposit(
        bank.store(),
        &id("alice-123"),
        money("5.00"),
        "1",
        "2026-11-30T10:00:00.000Z",
    ))
    .unwrap();
    // The page writes to another account: no conflict.
    run(&bank, withdraw("bob-456", "1.00")).unwrap();
    assert_eq!(bank.conflicts(), 0);
    record.conflicts = met(&bank);
    then(&bank, &record, c::decided_again, false);
}

#[test]
fn the_second_client_is_refused_by_the_rules_like_anyone() {
    let (bank, _) = given(SEED);
    let refused = block_on(second_client_deposit(
        bank.store(),
        &id("nobody"),
        money("5.00"),
        "1",
        "2026-11-30T10:00:00.000Z",
    ));
    assert!(matches!(refused, Err(BankError::Account(_))));
}
