//! Predict, act, compare: each lesson's prediction locked before the action and
//! compared with what the action wrote, on real logs made by the bank from the
//! lessons' own scenario files.

use futures::executor::block_on;

use super::{
    deposit, given, len, refuse, run, stepped, tid, transfer, withdraw, TestBank, HAPPY, SEED,
};
use crate::app::learn::predict::*;
use crate::app::learn::record::RefusalKind;
use crate::app::learn::second_client::second_client_deposit;
use crate::app::learn::{lesson, LearnerRecord, LESSONS};
use crate::app::{Bank, CrashPoint, Env, FaultPlan};
use crate::domain::events::EventType;
use crate::domain::{BankCommand, RunMode, SagaStep};

fn ev(event: &str, stream: &str) -> Predicted {
    Predicted {
        event: event.into(),
        stream: stream.into(),
    }
}

/// Locks `answer` on `bank`'s log as it is now.
fn lock_now(bank: &TestBank, record: &mut LearnerRecord, answer: Answer) {
    let log = bank.models().audit;
    lock(record, answer, &log).unwrap();
}

/// Lesson `n`'s stage on `bank` and `record`.
fn stage_of(n: usize, bank: &TestBank, record: &LearnerRecord) -> Stage {
    stage(&lesson(n).unwrap().prediction, record, &bank.models())
}

/// The comparison lesson `n` shows; panics if it shows none.
#[track_caller]
fn compared(n: usize, bank: &TestBank, record: &LearnerRecord) -> Comparison {
    match stage_of(n, bank, record) {
        Stage::Compared(_, c) => c,
        other => panic!("not compared: {other:?}"),
    }
}

/// The differences' sentences.
fn differences(c: &Comparison) -> Vec<String> {
    c.rows.iter().filter_map(|r| r.difference.clone()).collect()
}

/// Lesson 5's bank, with `answer` locked, after one Next step (the debit).
fn debit_after(answer: Vec<Predicted>) -> (TestBank, LearnerRecord) {
    let (bank, mut record) = stepped(HAPPY);
    lock_now(&bank, &mut record, Answer::Events(answer));
    assert!(matches!(stage_of(5, &bank, &record), Stage::Locked(_)));
    block_on(bank.step(&tid("t1"))).unwrap();
    (bank, record)
}

#[test]
fn a_right_prediction_of_the_debit_step_matches_the_log_row_by_row() {
    let (bank, record) = debit_after(vec![
        ev("MoneyWithdrawn", "account-alice"),
        ev("TransferDebited", "transfer-t1"),
    ]);
    let c = compared(5, &bank, &record);
    assert!(c.right(), "{c:?}");
    assert_eq!(c.rows.len(), 2);
    assert!(c.rows[0]
        .logged
        .starts_with("MoneyWithdrawn in account-alice v2"));
    assert!(c.rows[1]
        .logged
        .starts_with("TransferDebited in transfer-t1"));
}

#[test]
fn the_wrong_order_is_marked_with_where_each_event_is() {
    let (bank, record) = debit_after(vec![
        ev("TransferDebited", "transfer-t1"),
        ev("MoneyWithdrawn", "account-alice"),
    ]);
    let c = compared(5, &bank, &record);
    assert!(!c.right());
    assert_eq!(
        differences(&c),
        [
            "Wrong order: TransferDebited is event 2 of the action, not event 1.",
            "Wrong order: MoneyWithdrawn is event 1 of the action, not event 2.",
        ]
    );
}

#[test]
fn the_wrong_stream_is_marked_with_the_stream_the_log_names() {
    let (bank, record) = debit_after(vec![
        ev("MoneyWithdrawn", "transfer-t1"),
        ev("TransferDebited", "transfer-t1"),
    ]);
    let c = compared(5, &bank, &record);
    assert_eq!(
        differences(&c),
        ["Wrong stream: MoneyWithdrawn was written to account-alice, not to transfer-t1."]
    );
}

#[test]
fn an_extra_event_and_a_missing_one_are_marked() {
    let (bank, record) = debit_after(vec![ev("MoneyWithdrawn", "account-alice")]);
    let c = compared(5, &bank, &record);
    assert_eq!(
        differences(&c),
        ["Extra event: the action also wrote TransferDebited to transfer-t1, which you did not predict."]
    );
    let (bank, record) = debit_after(vec![
        ev("TransferInitiated", "transfer-t1"),
        ev("MoneyWithdrawn", "account-alice"),
        ev("TransferDebited", "transfer-t1"),
    ]);
    let c = compared(5, &bank, &record);
    assert_eq!(c.rows.len(), 3);
    assert_eq!(
        c.rows[2].difference.as_deref(),
        Some("Not written: the action wrote 2 events in all, and no TransferDebited here.")
    );
}

#[test]
fn a_missed_refusal_is_marked_and_the_log_stays_where_it_was() {
    let (bank, mut record) = given(SEED);
    lock_now(&bank, &mut record, Answer::Outcome(None));
    let at = len(&bank);
    refuse(&bank, &mut record, withdraw("bob-456", "100000.00"));
    let c = compared(3, &bank, &record);
    assert_eq!(c.rows.len(), 1);
    assert!(c.rows[0]
        .logged
        .ends_with(&format!("0 events written; the log is still at #{at}.")));
    assert_eq!(
        differences(&c),
        ["Missed refusal: the rule said no (Refused: not enough money in the account), so nothing was written."]
    );
    // The same refusal, predicted with its rule, is right; another rule is not.
    record.prediction.as_mut().unwrap().answer =
        Answer::Outcome(Some(RefusalKind::InsufficientBalance));
    assert!(compared(3, &bank, &record).right());
    record.prediction.as_mut().unwrap().answer = Answer::Outcome(Some(RefusalKind::NotActive));
    assert!(differences(&compared(3, &bank, &record))[0].starts_with("Another rule refused it"));
}

#[test]
fn acting_in_a_bank_loaded_during_the_lesson_is_not_called_acting_first() {
    // The lesson followed the learner to a scenario they loaded: its record starts
    // again there. Acting in it unpredicted is said as such, not as "acted first".
    let (bank, mut record) = given(SEED);
    record.followed = true;
    assert_eq!(stage_of(2, &bank, &record), Stage::Asking);
    run(&bank, deposit("alice-123", "10.00")).unwrap();
    assert_eq!(stage_of(2, &bank, &record), Stage::Followed);
    // A prediction locked in that bank before acting is compared as usual.
    let (bank, mut record) = given(SEED);
    record.followed = true;
    lock_now(&bank, &mut record, Answer::Balance(76_000));
    run(&bank, deposit("alice-123", "10.00")).unwrap();
    assert!(matches!(stage_of(2, &bank, &record), Stage::Compared(..)));
}

#[test]
fn acting_before_predicting_is_said_and_locks_nothing() {
    let (bank, mut record) = given(SEED);
    assert_eq!(stage_of(2, &bank, &record), Stage::Asking);
    run(&bank, deposit("alice-123", "10.00")).unwrap();
    assert_eq!(stage_of(2, &bank, &record), Stage::ActedFirst);
    let log = bank.models().audit;
    assert_eq!(
        lock(&mut record, Answer::Balance(0), &log),
        Err("You acted before predicting: try again to predict first.")
    );
    // A new attempt (a fresh record on a fresh bank) asks again; one answer each.
    let (bank, mut record) = given(SEED);
    lock_now(&bank, &mut record, Answer::Balance(76_000));
    let log = bank.models().audit;
    assert!(lock(&mut record, Answer::Balance(1), &log).is_err());
    assert_eq!(
        record.prediction.as_ref().unwrap().answer,
        Answer::Balance(76_000)
    );
}

#[test]
fn a_balance_is_compared_with_the_fold_of_the_log_after_the_action() {
    let (bank, mut record) = given(SEED);
    let before = bank.read(|m| m.accounts[&super::id("alice-123")].balance.cents());
    lock_now(&bank, &mut record, Answer::Balance(before + 1_000));
    run(&bank, deposit("alice-123", "10.00")).unwrap();
    assert!(compared(2, &bank, &record).right());
    // A later deposit, after the learner moved on, is not the action's.
    let log = bank.models().audit;
    mark(&mut record, &log);
    run(&bank, deposit("alice-123", "10.00")).unwrap();
    assert!(compared(2, &bank, &record).right());
    record.prediction.as_mut().unwrap().answer = Answer::Balance(before);
    assert!(differences(&compared(2, &bank, &record))[0].starts_with("The log folds alice-123 to "));
}

#[test]
fn the_next_step_after_the_learner_moved_on_is_not_the_action() {
    let (bank, mut record) = debit_after(vec![
        ev("MoneyWithdrawn", "account-alice"),
        ev("TransferDebited", "transfer-t1"),
    ]);
    let log = bank.models().audit;
    mark(&mut record, &log);
    block_on(bank.step(&tid("t1"))).unwrap();
    assert!(compared(5, &bank, &record).right());
    // Without the mark, both steps would be compared: two extra events.
    record.prediction.as_mut().unwrap().until = None;
    assert_eq!(differences(&compared(5, &bank, &record)).len(), 2);
}

#[test]
fn a_repeated_transfer_writes_nothing_and_none_predicted_is_right() {
    let (bank, mut record) = given(SEED);
    lock_now(&bank, &mut record, Answer::Events(Vec::new()));
    let again = transfer(
        "transfer-789",
        "alice-123",
        "bob-456",
        "250.00",
        "Payment for services",
    );
    assert!(run(&bank, BankCommand::TransferMoney(again))
        .unwrap()
        .events
        .is_empty());
    assert!(matches!(stage_of(8, &bank, &record), Stage::Locked(_)));
    record.repeats.push("transfer-789".into());
    let c = compared(8, &bank, &record);
    assert!(c.right(), "{c:?}");
    // The learner moves on and is refused next: that refusal is not the action.
    let log = bank.models().audit;
    mark(&mut record, &log);
    let other = transfer(
        "transfer-789",
        "alice-123",
        "bob-456",
        "1.00",
        "Payment for services",
    );
    refuse(&bank, &mut record, BankCommand::TransferMoney(other));
    assert!(compared(8, &bank, &record).right());
    record.prediction.as_mut().unwrap().answer =
        Answer::Events(vec![ev("TransferInitiated", "transfer-transfer-789")]);
    assert_eq!(
        differences(&compared(8, &bank, &record)),
        ["Not written: the action wrote 0 events in all, and no TransferInitiated here."]
    );
}

#[test]
fn the_expected_version_is_read_from_the_event_the_retry_wrote() {
    let (bank, mut record) = given(SEED);
    let version = || {
        bank.read(|m| {
            m.audit
                .iter()
                .filter(|r| r.stream == "account-alice-123")
                .count() as u64
        })
    };
    let read = version();
    lock_now(&bank, &mut record, Answer::Version(read));
    // The second client's event is not the learner's action.
    block_on(second_client_deposit(
        bank.store(),
        &super::id("alice-123"),
        super::money("5.00"),
        "1",
        "2026-11-30T10:00:00.000Z",
    ))
    .unwrap();
    run(&bank, withdraw("alice-123", "1.00")).unwrap();
    assert_eq!(bank.conflicts(), 1);
    let c = compared(9, &bank, &record);
    assert_eq!(
        differences(&c),
        [format!("The append that succeeded expected version {}, not {read}: account-alice-123 held {} events when it was written.", read + 1, read + 1)]
    );
    record.prediction.as_mut().unwrap().answer = Answer::Version(read + 1);
    assert!(compared(9, &bank, &record).right());
}

#[test]
fn a_crash_ends_the_action_at_the_reload_and_the_resume_is_not_compared() {
    let (bank, mut record) = given(SEED);
    lock_now(
        &bank,
        &mut record,
        Answer::Events(vec![
            ev("TransferInitiated", "transfer-*"),
            ev("MoneyWithdrawn", "account-alice-123"),
        ]),
    );
    // The lesson's crash: inside the debit leg, after its effect, before its record.
    let plan = FaultPlan {
        crash: Some(CrashPoint::AfterLeg(SagaStep::Debit)),
        ..FaultPlan::default()
    };
    let t = transfer("t-crash", "alice-123", "bob-456", "50.00", "");
    block_on(bank.start_transfer_with(t, plan, RunMode::Auto)).unwrap();
    let crashed = block_on(bank.run_transfer(&tid("t-crash"))).unwrap_err();
    // The page notes the crash beside the refusals: it is no refusal of the action.
    record.refuse(&crashed, None, len(&bank));
    let reloaded = block_on(Bank::open(bank.store().clone(), Env::fixed("r"))).unwrap();
    record.reloads.push(len(&reloaded));
    block_on(reloaded.resume_all(&[tid("t-crash")])).unwrap();
    let c = compared(7, &reloaded, &record);
    assert!(c.right(), "{c:?}");
}

#[test]
fn every_lesson_asks_a_prediction_in_real_event_types_with_plain_form_errors() {
    for l in &LESSONS {
        assert!(
            l.prediction.question.ends_with('?') || l.prediction.question.ends_with('.'),
            "{}",
            l.key
        );
        if let Kind::Events {
            types,
            streams,
            rows,
        } = &l.prediction.kind
        {
            assert!(
                types.iter().all(|t| EventType::named(t).is_some()),
                "{}",
                l.key
            );
            assert!(!streams.is_empty() && *rows > 0, "{}", l.key);
        }
    }
    let events = &lesson(5).unwrap().prediction.kind;
    let f = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        answer_from(events, &f(&["", "", "", "", "", ""])),
        Ok(Answer::Events(Vec::new()))
    );
    assert!(
        answer_from(events, &f(&["", "", "MoneyWithdrawn", "account-alice"]))
            .unwrap_err()
            .starts_with("Event 1 is blank")
    );
    assert_eq!(
        answer_from(events, &f(&["MoneyWithdrawn", ""])),
        Err("Choose the stream of event 1.".into())
    );
    assert!(answer_from(&Kind::Balance { account: "a" }, &f(&["ten"])).is_err());
    assert_eq!(
        answer_from(&Kind::Balance { account: "a" }, &f(&["10.50"])),
        Ok(Answer::Balance(1050))
    );
    assert_eq!(
        answer_from(&Kind::Version { stream: "s" }, &f(&[" 4 "])),
        Ok(Answer::Version(4))
    );
    assert_eq!(
        answer_from(&Kind::Refusal, &f(&["NotActive"])),
        Ok(Answer::Outcome(Some(RefusalKind::NotActive)))
    );
}

/// The retries lesson's number, found by its key.
fn retries_lesson() -> usize {
    LESSONS.iter().position(|l| l.key == "retries").unwrap() + 1
}

#[test]
fn how_a_retried_transfer_ends_is_read_from_the_events_it_wrote() {
    let n = retries_lesson();
    assert_eq!(
        answer_from(&lesson(n).unwrap().prediction.kind, &["compensated".into()]),
        Ok(Answer::Compensated(true))
    );
    assert!(answer_from(&lesson(n).unwrap().prediction.kind, &["accepted".into()]).is_err());
    let send = |bank: &TestBank, failures: u32| {
        super::send_failing(bank, "r1", SagaStep::Credit, failures);
    };
    // Predicted to complete, but four failures run past the deadline.
    let (bank, mut record) = given(SEED);
    lock_now(&bank, &mut record, Answer::Compensated(false));
    send(&bank, 4);
    let c = compared(n, &bank, &record);
    assert!(!c.right());
    assert_eq!(c.rows[0].logged, "Timed out after 3 retries, then refunded");
    assert!(differences(&c)[0]
        .starts_with("It timed out: the next retry would have started after the 1000 ms deadline"));
    // Predicted to complete, and three failures leave the last retry in time.
    let (bank, mut record) = given(SEED);
    lock_now(&bank, &mut record, Answer::Compensated(false));
    send(&bank, 3);
    let c = compared(n, &bank, &record);
    assert!(c.right(), "{c:?}");
    assert_eq!(c.rows[0].logged, "Completed, after 3 retries");
    // A refused transfer ends no saga.
    let (bank, mut record) = given(SEED);
    lock_now(&bank, &mut record, Answer::Compensated(true));
    refuse(
        &bank,
        &mut record,
        BankCommand::TransferMoney(transfer("transfer-789", "alice-123", "bob-456", "1.00", "")),
    );
    assert!(!compared(n, &bank, &record).right());
}

/// The timeout's option says when the saga really gives up: not at the deadline, but
/// as soon as its next retry would start after it.
#[test]
fn the_timeout_option_says_the_saga_gives_up_when_the_next_retry_would_be_late() {
    let n = retries_lesson();
    let (bank, mut record) = given(SEED);
    lock_now(&bank, &mut record, Answer::Compensated(true));
    super::send_failing(&bank, "r1", SagaStep::Credit, 4);
    let c = compared(n, &bank, &record);
    assert!(c.right(), "{c:?}");
    assert_eq!(
        c.rows[0].predicted,
        "It times out: the saga gives up as soon as the next retry would start after the deadline, and refunds the source"
    );
}

/// "When compensation fails": the usual compensation predicted (a refund, then
/// TransferReversed and TransferFailed) is marked wrong by the log, which holds the
/// refused refund; the right prediction matches it row by row.
#[test]
fn the_refused_refund_is_compared_with_the_compensation_the_learner_expected() {
    let n = LESSONS
        .iter()
        .position(|l| l.key == "compensation-fails")
        .unwrap()
        + 1;
    let play = |answer: Vec<Predicted>| {
        let bank = block_on(Bank::open(
            crate::store::MemoryStore::new(),
            Env::fixed("l"),
        ))
        .unwrap();
        let scenario = crate::app::scenario_catalog::find("needs-attention").unwrap();
        block_on(crate::app::scenario_catalog::prepare(&bank, scenario)).unwrap();
        let mut record = LearnerRecord::starting_at(len(&bank));
        lock_now(&bank, &mut record, Answer::Events(answer));
        // Play: one press runs t1 on until it stops.
        block_on(bank.run_transfer(&tid("t1"))).unwrap();
        compared(n, &bank, &record)
    };
    let right = play(vec![
        ev("TransferCreditRejected", "transfer-t1"),
        ev("TransferCompensationFailed", "transfer-t1"),
    ]);
    assert!(right.right(), "{right:?}");
    let usual = play(vec![
        ev("TransferCreditRejected", "transfer-t1"),
        ev("MoneyDeposited", "account-alice"),
        ev("TransferReversed", "transfer-t1"),
        ev("TransferFailed", "transfer-t1"),
    ]);
    assert!(!usual.right());
    assert!(
        usual.rows[1]
            .logged
            .starts_with("TransferCompensationFailed in transfer-t1"),
        "{usual:?}"
    );
}

#[test]
fn the_links_back_are_counted_on_the_chain_the_action_completed() {
    let n = LESSONS.iter().position(|l| l.key == "causation").unwrap() + 1;
    let (bank, mut record) = stepped(HAPPY);
    lock_now(&bank, &mut record, Answer::Links(4));
    assert!(matches!(stage_of(n, &bank, &record), Stage::Locked(_)));
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    let c = compared(n, &bank, &record);
    assert_eq!(
        differences(&c),
        ["5 links, not 4: each event's causation id names one event before it, and TransferInitiated's names the command; an event another command wrote in between is not on the way."]
    );
    assert!(
        c.rows[0]
            .logged
            .starts_with("5: TransferCompleted (#7) \u{2190} MoneyDeposited (#6)"),
        "{}",
        c.rows[0].logged
    );
    record.prediction.as_mut().unwrap().answer = Answer::Links(5);
    assert!(compared(n, &bank, &record).right());
    assert_eq!(
        answer_from(&Kind::Links { transfer: "t1" }, &[" 5 ".to_owned()]),
        Ok(Answer::Links(5))
    );
    assert!(answer_from(&Kind::Links { transfer: "t1" }, &["five".to_owned()]).is_err());
}

#[test]
fn a_first_step_alone_writes_no_completion_to_count_links_from() {
    let n = LESSONS.iter().position(|l| l.key == "causation").unwrap() + 1;
    let (bank, mut record) = stepped(HAPPY);
    lock_now(&bank, &mut record, Answer::Links(5));
    block_on(bank.step(&tid("t1"))).unwrap();
    let c = compared(n, &bank, &record);
    assert!(!c.right());
    assert_eq!(c.rows[0].logged, "t1 did not complete in this action");
}
