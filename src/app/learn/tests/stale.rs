//! Lesson "Stale reads": its checks on logs that pass and fail, its prediction
//! compared with what the statement showed, and the loopholes (a deposit made
//! live, a read that did not wait, a wait for another write).

use super::*;
use crate::app::learn::predict::{self as p, lock, Answer, Stage};
use crate::app::Delivery;

fn n() -> usize {
    LESSONS.iter().position(|l| l.key == "stale").unwrap() + 1
}

/// Deposits into alice-123 through `delivery`, and notes what the page then shows, as
/// the page does; the deposit's position.
fn deposit_seen(bank: &TestBank, delivery: &mut Delivery, record: &mut LearnerRecord) -> u64 {
    let done = run(bank, deposit("alice-123", "10.00")).unwrap();
    let position = done.events.last().unwrap().position;
    bank.read(|log| delivery.appended(&done.events, log));
    delivery.wrote(position);
    seen(bank, delivery, record);
    position
}

/// Notes what the page shows now: a lag, and a wait that was answered.
fn seen(bank: &TestBank, delivery: &Delivery, record: &mut LearnerRecord) {
    let (log, shown) = bank.read(|log| (log.last_position, delivery.position(log)));
    record.lag(log, shown);
    if let Some(w) = delivery.waited().filter(|w| w.done) {
        record.waited(w.position, w.from);
    }
}

fn stale() -> (TestBank, LearnerRecord, Delivery) {
    let (bank, record) = given(SEED);
    let mut delivery = Delivery::live();
    bank.read(|log| delivery.pause(log));
    (bank, record, delivery)
}

#[test]
fn paused_deposit_shows_a_stale_statement_then_a_read_waits_for_it() {
    let (bank, mut record, mut delivery) = stale();
    let task = |i: usize| LESSONS[n() - 1].tasks[i].check;
    then(&bank, &record, task(0), false);
    deposit_seen(&bank, &mut delivery, &mut record);
    then(&bank, &record, task(0), true);
    then(&bank, &record, task(1), false);
    bank.read(|log| delivery.wait_for_my_write(log));
    seen(&bank, &delivery, &mut record);
    then(&bank, &record, task(1), false);
    bank.read(|log| delivery.deliver_next(log));
    seen(&bank, &delivery, &mut record);
    then(&bank, &record, task(1), true);
}

/// Loophole: a deposit made while delivery is live is never shown stale.
#[test]
fn a_live_deposit_and_a_read_that_did_not_wait_do_not_count() {
    let (bank, mut record) = given(SEED);
    let mut delivery = Delivery::live();
    deposit_seen(&bank, &mut delivery, &mut record);
    bank.read(|log| delivery.wait_for_my_write(log));
    seen(&bank, &delivery, &mut record);
    then(&bank, &record, c::saw_stale_read, false);
    then(&bank, &record, c::read_waited_for_write, false);
    assert!(
        record.waits.is_empty(),
        "a read that did not wait is not a wait"
    );
}

/// Loophole: pausing with no deposit of the learner's (the lag of the scenario's
/// own events, a withdrawal) is no stale read of their write.
#[test]
fn a_lag_without_a_deposit_of_the_learner_s_does_not_count() {
    let (bank, mut record, mut delivery) = stale();
    let done = run(&bank, withdraw("alice-123", "1.00")).unwrap();
    bank.read(|log| delivery.appended(&done.events, log));
    seen(&bank, &delivery, &mut record);
    assert_eq!(record.lags.len(), 1);
    then(&bank, &record, c::saw_stale_read, false);
}

/// Loophole: a read that waited for another write (a withdrawal after the stale
/// deposit) is not a read of the deposit.
#[test]
fn a_wait_for_another_write_does_not_count() {
    let (bank, mut record, mut delivery) = stale();
    deposit_seen(&bank, &mut delivery, &mut record);
    let done = run(&bank, withdraw("alice-123", "1.00")).unwrap();
    delivery.wrote(done.events.last().unwrap().position);
    bank.read(|log| delivery.wait_for_my_write(log));
    bank.read(|log| delivery.resume(log));
    seen(&bank, &delivery, &mut record);
    assert_eq!(record.waits.len(), 1);
    then(&bank, &record, c::saw_stale_read, true);
    then(&bank, &record, c::read_waited_for_write, false);
}

#[test]
fn the_prediction_is_compared_with_what_the_statement_showed_not_the_log() {
    let (bank, mut record, mut delivery) = stale();
    let before = bank.read(|m| m.accounts[&id("alice-123")].balance.cents());
    lock(&mut record, Answer::Balance(before), &bank.models().audit).unwrap();
    let prediction = &LESSONS[n() - 1].prediction;
    assert!(matches!(
        p::stage(prediction, &record, &bank.models()),
        Stage::Locked(_)
    ));
    let at = deposit_seen(&bank, &mut delivery, &mut record);
    let Stage::Compared(_, c) = p::stage(prediction, &record, &bank.models()) else {
        panic!("not compared");
    };
    assert!(c.right(), "{c:?}");
    assert!(c.rows[0].logged.contains(&format!("log at #{at}")));
    // The log's balance, predicted, is not what the statement showed.
    record.prediction.as_mut().unwrap().answer = Answer::Balance(before + 1_000);
    let Stage::Compared(_, c) = p::stage(prediction, &record, &bank.models()) else {
        panic!("not compared");
    };
    let difference = c.rows[0].difference.clone().unwrap();
    assert!(difference.contains("a stale read"), "{difference}");
}

#[test]
fn live_the_statement_shows_the_write_and_the_log_s_balance_is_right() {
    let (bank, mut record) = given(SEED);
    let mut delivery = Delivery::live();
    let before = bank.read(|m| m.accounts[&id("alice-123")].balance.cents());
    lock(
        &mut record,
        Answer::Balance(before + 1_000),
        &bank.models().audit,
    )
    .unwrap();
    deposit_seen(&bank, &mut delivery, &mut record);
    let prediction = &LESSONS[n() - 1].prediction;
    let Stage::Compared(_, c) = p::stage(prediction, &record, &bank.models()) else {
        panic!("not compared");
    };
    assert!(c.right(), "{c:?}");
}
