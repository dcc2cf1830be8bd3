//! Lesson "At least once": the debit run again after a crash is absorbed and the
//! timeline says so; the balance prediction is compared with the log; a deposit
//! delivered twice is counted once by the read models (and the loopholes: a
//! withdrawal or a scenario's event delivered twice, a deposit delivered once).

use crate::app::learn::predict::{self as p, lock, Answer, Stage};
use crate::app::projections::TimelineKind;
use crate::app::Delivery;

use super::*;

fn n() -> usize {
    LESSONS
        .iter()
        .position(|l| l.key == "at-least-once")
        .unwrap()
        + 1
}

/// A bank whose transfer `t-crash` crashed inside its debit leg, reloaded; the
/// prediction `answer` was locked before it was sent.
fn crashed_after_predicting(answer: i64) -> (TestBank, LearnerRecord) {
    let (bank, mut record) = given(SEED);
    lock(&mut record, Answer::Balance(answer), &bank.models().audit).unwrap();
    let plan = FaultPlan {
        crash: Some(CrashPoint::AfterLeg(SagaStep::Debit)),
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

fn alice(bank: &TestBank) -> i64 {
    bank.read(|m| m.accounts[&id("alice-123")].balance.cents())
}

#[test]
fn the_resumed_debit_is_absorbed_and_the_timeline_says_it_was_not_applied_twice() {
    let (bank, record) = crashed_after_predicting(70_000);
    let task = |i: usize| LESSONS[n() - 1].tasks[i].check;
    then(&bank, &record, task(0), true);
    then(&bank, &record, task(1), false);
    block_on(bank.resume_all(&[tid("t-crash")])).unwrap();
    then(&bank, &record, task(1), true);
    assert_eq!(alice(&bank), 70_000, "750.00 less 50.00, once");
    let debited = bank.read(|m| {
        m.transfers[&tid("t-crash")]
            .timeline
            .iter()
            .find(|e| e.kind == TimelineKind::Debited)
            .map(|e| e.summary.clone())
            .unwrap()
    });
    assert!(
        debited.contains("debit already applied at #") && debited.ends_with("not applied twice"),
        "{debited}"
    );
    // The prediction (once: 700.00) is right; twice (650.00) is marked.
    let prediction = &LESSONS[n() - 1].prediction;
    let Stage::Compared(_, c) = p::stage(prediction, &record, &bank.models()) else {
        panic!("not compared");
    };
    assert!(c.right(), "{c:?}");
    let (bank, record) = crashed_after_predicting(65_000);
    let Stage::Compared(_, c) = p::stage(prediction, &record, &bank.models()) else {
        panic!("not compared");
    };
    assert!(!c.right());
}

#[test]
fn a_step_that_ran_once_says_nothing_of_being_applied_twice() {
    let (bank, _) = given(SEED);
    run(
        &bank,
        BankCommand::TransferMoney(transfer("t1", "alice-123", "bob-456", "5.00", "")),
    )
    .unwrap();
    let said = bank.read(|m| {
        m.transfers[&tid("t1")]
            .timeline
            .iter()
            .any(|e| e.summary.contains("applied twice"))
    });
    assert!(!said);
}

/// Delivers a deposit (or `command`) with deliver-twice on (or off), noting the
/// ignored repeats as the page does.
fn delivered(command: BankCommand, twice: bool) -> (TestBank, LearnerRecord) {
    let (bank, mut record) = given(SEED);
    let mut delivery = Delivery::live();
    bank.read(|log| delivery.set_twice(twice, log));
    let done = run(&bank, command).unwrap();
    bank.read(|log| delivery.appended(&done.events, log));
    record.duplicated(delivery.ignored());
    (bank, record)
}

#[test]
fn a_deposit_delivered_twice_is_ignored_once_by_the_read_models() {
    let (bank, record) = delivered(deposit("alice-123", "10.00"), true);
    then(&bank, &record, c::ignored_duplicate_deposit, true);
}

/// Loopholes: a deposit delivered once, or a withdrawal delivered twice.
#[test]
fn a_deposit_delivered_once_or_a_withdrawal_twice_does_not_count() {
    let (bank, record) = delivered(deposit("alice-123", "10.00"), false);
    then(&bank, &record, c::ignored_duplicate_deposit, false);
    let (bank, record) = delivered(withdraw("alice-123", "10.00"), true);
    assert_eq!(record.duplicates.len(), 1);
    then(&bank, &record, c::ignored_duplicate_deposit, false);
}
