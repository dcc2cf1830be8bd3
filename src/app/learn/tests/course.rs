//! The course as a whole: its lessons' shape and starting states, the progress,
//! and "what just happened".

use std::collections::BTreeSet;

use futures::executor::block_on;

use super::{empty, len, stepped, tid, TestBank, HAPPY};
use crate::app::learn::explain::what_happened;
use crate::app::learn::*;
use crate::app::{Bank, Env};
use crate::domain::events::EventType;
use crate::store::MemoryStore;

// The course, progress, and what just happened --------------------------------------

#[test]
fn the_course_has_seventeen_lessons_of_one_to_three_tasks_with_unique_keys() {
    // Issue 23: the hard parts (stale reads to snapshots) after the first eleven.
    assert_eq!(LESSONS.len(), 17);
    let keys: BTreeSet<&str> = LESSONS.iter().map(|l| l.key).collect();
    assert_eq!(keys.len(), LESSONS.len());
    for l in &LESSONS {
        assert!((1..=3).contains(&l.tasks.len()), "{}", l.key);
        assert!(!l.text.is_empty());
    }
    assert_eq!(lesson(6).map(|l| l.key), Some("compensation"));
    assert_eq!(lesson(11).map(|l| l.key), Some("fork"));
    let hard: Vec<&str> = (12..=17).filter_map(|n| lesson(n).map(|l| l.key)).collect();
    assert_eq!(
        hard,
        [
            "stale",
            "at-least-once",
            "retries",
            "compensation-fails",
            "causation",
            "snapshots"
        ]
    );
    assert!(lesson(0).is_none() && lesson(LESSONS.len() + 1).is_none());
}

/// A bank as lesson `l` starts: empty, or its scenario prepared as the page does.
fn start_of(l: &Lesson) -> (TestBank, LearnerRecord) {
    match l.start {
        Start::Empty => empty(),
        Start::Scenario(key) => {
            let scenario = crate::app::scenario_catalog::find(key)
                .unwrap_or_else(|| panic!("{}: no scenario {key}", l.key));
            let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("l"))).unwrap();
            block_on(crate::app::scenario_catalog::prepare(&bank, scenario)).unwrap();
            let base = len(&bank);
            (bank, LearnerRecord::starting_at(base))
        }
    }
}

#[test]
fn every_lesson_starts_from_a_known_scenario_and_no_task_passes_there() {
    for l in &LESSONS {
        let (bank, record) = start_of(l);
        let models = bank.models();
        let passing = passing(l, &Facts::new(&models, &record));
        assert!(passing.iter().all(|p| !p), "{}: {passing:?}", l.key);
    }
}

#[test]
fn progress_ticks_once_counts_and_resets_and_round_trips_through_json() {
    let mut p = Progress::default();
    assert!(p.tick("facts", 0));
    assert!(!p.tick("facts", 0));
    p.tick("facts", 2);
    assert_eq!(p.count("facts", 3), 2);
    assert!(!p.lesson_done("facts", 3));
    p.tick("facts", 1);
    assert!(p.lesson_done("facts", 3));
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<Progress>(&json).unwrap(), p);
    p.reset();
    assert!(!p.is_done("facts", 0));
    let mut record = LearnerRecord::starting_at(4);
    record.select(2, 4);
    record.select(2, 4);
    assert_eq!(record.selections.len(), 1);
    let json = serde_json::to_string(&record).unwrap();
    assert_eq!(
        serde_json::from_str::<LearnerRecord>(&json).unwrap(),
        record
    );
}

#[test]
fn what_just_happened_explains_each_event_of_the_last_action() {
    let (bank, _) = stepped(HAPPY);
    let before = len(&bank);
    block_on(bank.step(&tid("t1"))).unwrap();
    let explained = what_happened(&bank.models().audit, before);
    let types: Vec<&str> = explained.iter().map(|e| e.event_type).collect();
    assert_eq!(types, ["MoneyWithdrawn", "TransferDebited"]);
    assert!(explained
        .iter()
        .all(|e| e.transfer.as_deref() == Some("t1")));
    assert_eq!(explained[0].stream, "account-alice");
    assert_eq!(explained[1].why, EventType::TransferDebited.why());
    let sentences: BTreeSet<&str> = EventType::ALL.iter().map(|t| t.why()).collect();
    assert_eq!(
        sentences.len(),
        EventType::ALL.len(),
        "each type has its own sentence"
    );
}

/// The refund's events are explained as what happened: into the source, the debit is
/// counteracted; into another account of the owner (an operator's fix), that account
/// is named and the source stays debited.
#[test]
fn what_just_happened_names_the_account_a_refund_went_into() {
    use crate::app::scenario_catalog::{find, prepare};
    use crate::domain::AccountId;
    let why_of = |bank: &TestBank, before: u64, ty: &str| -> String {
        let explained = what_happened(&bank.models().audit, before);
        explained
            .into_iter()
            .find(|e| e.event_type == ty)
            .map(|e| e.why.to_string())
            .unwrap_or_else(|| panic!("no {ty}"))
    };
    let open = || block_on(Bank::open(MemoryStore::new(), Env::fixed("o"))).unwrap();
    let bank = open();
    let id = block_on(prepare(&bank, find("compensation").unwrap()))
        .unwrap()
        .unwrap();
    block_on(bank.run_transfer(&id)).unwrap();
    for ty in [EventType::TransferReversed, EventType::TransferFailed] {
        assert_eq!(why_of(&bank, 0, ty.name()), ty.why(), "into the source");
    }
    let bank = open();
    let id = block_on(prepare(&bank, find("needs-attention").unwrap()))
        .unwrap()
        .unwrap();
    block_on(bank.run_transfer(&id)).unwrap();
    let savings = AccountId::parse("alice-savings").unwrap();
    block_on(bank.retry_refund(&id, &savings, "alice was closed")).unwrap();
    block_on(bank.run_transfer(&id)).unwrap();
    let reversed = why_of(&bank, 0, "TransferReversed");
    assert!(
        reversed.contains("into alice-savings") && reversed.contains("alice stays debited"),
        "{reversed}"
    );
    let failed = why_of(&bank, 0, "TransferFailed");
    assert!(
        failed.contains("alice-savings") && !failed.contains("cancel out"),
        "{failed}"
    );
}

/// The overview and the panel count tasks in words: one task is "task", never
/// "1 tasks".
#[test]
fn a_lessons_state_counts_one_task_in_the_singular() {
    use crate::app::learn::record::tasks_done;
    let mut p = Progress::default();
    assert_eq!(p.state("one", 1), "0 of 1 task");
    assert_eq!(p.state("three", 3), "0 of 3 tasks");
    p.tick("three", 0);
    p.predicted("three", false);
    assert_eq!(p.state("three", 3), "1 of 3 tasks · prediction missed");
    p.tick("one", 0);
    p.predicted("one", true);
    assert_eq!(p.state("one", 1), "done · prediction right");
    assert_eq!(tasks_done(0, 1), "0 of 1 task done");
    assert_eq!(tasks_done(1, 2), "1 of 2 tasks done");
}
