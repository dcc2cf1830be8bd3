//! Several runners on one log (tabs, reloads): one writer per transfer step, and a
//! transfer stepped by hand stays in the learner's hands.

use std::rc::Rc;

use futures::executor::block_on;
use pretty_assertions::assert_eq;
use sagabank::app::{Bank, Env, FaultPlan, LocalLocks, Locks, StepOutcome};
use sagabank::domain::{Event, RunMode, SagaStep};
use sagabank::store::{EventStore, MemoryStore};

use crate::support::*;

/// A bank named `name` on `store`, taking its locks from `locks` (shared locks are
/// what `navigator.locks` gives every tab of one origin).
fn tab_on<S: EventStore + Clone>(store: &S, name: &str, locks: &Rc<LocalLocks>) -> Bank<S> {
    let locks: Rc<dyn Locks> = locks.clone();
    block_on(Bank::open(
        store.clone(),
        Env::fixed(name).with_locks(locks),
    ))
    .expect("a bank opens")
}

fn count(store: &MemoryStore, stream: &str, wanted: &str) -> usize {
    events_of(store, stream)
        .iter()
        .filter(|t| **t == wanted)
        .count()
}

/// The sum of every balance, in cents.
fn cents_in_accounts<S: EventStore>(bank: &Bank<S>) -> i64 {
    bank.read(|m| m.accounts.values().map(|a| a.balance.cents()).sum())
}

#[test]
fn two_tabs_stepping_one_transfer_with_different_fault_plans_end_once_and_conserve_money() {
    // Tab 1 plans a refused credit, tab 2 plans nothing: whoever takes the credit step
    // decides it, the other sees it done. For every interleaving (tab 2 starts after
    // 0..40 yields), the transfer ends completed or compensated, exactly once, and no
    // refund is ever refused ("needs attention" would mean money lost).
    let mut outcomes = std::collections::BTreeSet::new();
    for delay in 0..40 {
        let store = MemoryStore::new();
        let locks = Rc::new(LocalLocks::new());
        let tab1 = tab_on(&Yielding(store.clone()), "tab1", &locks);
        ok(&tab1, open("a", "Ann", "100.00"));
        ok(&tab1, open("b", "Ben", "0.00"));
        let refused = FaultPlan {
            reject_credit: true,
            ..FaultPlan::default()
        };
        block_on(tab1.start_transfer_with(
            transfer("t", "a", "b", "100.00", ""),
            refused,
            RunMode::Step,
        ))
        .expect("started");
        let tab2 = tab_on(&Yielding(store.clone()), "tab2", &locks);
        let (r1, r2) = block_on(async {
            futures::join!(
                async {
                    let mut outcomes = Vec::new();
                    for _ in 0..5 {
                        outcomes.push(tab1.step(&tid("t")).await);
                    }
                    outcomes
                },
                async {
                    for _ in 0..delay {
                        YieldOnce(false).await;
                    }
                    let mut outcomes = Vec::new();
                    for _ in 0..5 {
                        outcomes.push(tab2.step(&tid("t")).await);
                    }
                    outcomes
                },
            )
        });
        let what = format!("tab 2 starts after {delay} yields: {r1:?} / {r2:?}");
        assert!(r1.iter().chain(&r2).all(Result::is_ok), "{what}");
        let stream = transfer_stream("t");
        let after = bank_on(&store, "after");
        let label = transfer_label(&after, "t");
        assert!(
            label == "completed" || label == "compensated",
            "{what}: ended {label}"
        );
        let ends =
            count(&store, &stream, "TransferCompleted") + count(&store, &stream, "TransferFailed");
        assert_eq!(ends, 1, "{what}: one end");
        assert_eq!(
            count(&store, &stream, "TransferCompensationFailed"),
            0,
            "{what}"
        );
        assert_eq!(cents_in_accounts(&after), 10_000, "{what}: money conserved");
        assert_models_match_log(&after);
        outcomes.insert(label);
    }
    assert!(
        outcomes.contains("compensated"),
        "tab 1's refused credit won some runs: {outcomes:?}"
    );
}

#[test]
fn a_second_next_step_on_the_same_view_finds_the_step_taken_and_runs_nothing() {
    let store = MemoryStore::new();
    let locks = Rc::new(LocalLocks::new());
    let tab1 = tab_on(&store, "tab1", &locks);
    ok(&tab1, open("a", "Ann", "100.00"));
    ok(&tab1, open("b", "Ben", "0.00"));
    block_on(tab1.start_transfer(transfer("t", "a", "b", "10.00", ""))).expect("started");
    let tab2 = tab_on(&store, "tab2", &locks);
    // Both tabs show the transfer at version 1 and press Next step.
    let seen1 = tab1.transfer_version(&tid("t"));
    let seen2 = tab2.transfer_version(&tid("t"));
    assert_eq!((seen1, seen2), (1, 1));
    let first = block_on(tab1.step_from(&tid("t"), seen1)).expect("steps");
    assert!(matches!(first, StepOutcome::Advanced(_)), "{first:?}");
    let len = store.len();
    let second = block_on(tab2.step_from(&tid("t"), seen2)).expect("answers");
    assert!(matches!(second, StepOutcome::Taken(_)), "{second:?}");
    assert_eq!(second.state().label(), "debited", "it shows the step done");
    assert_eq!(store.len(), len, "nothing more was written");
    assert_eq!(
        tab2.transfer_version(&tid("t")),
        2,
        "tab 2 now sees version 2"
    );
}

#[test]
fn a_reload_leaves_a_transfer_stepped_by_hand_paused_and_resumes_one_that_ran_by_itself() {
    let store = MemoryStore::new();
    let bank = bank_on(&store, "page");
    ok(&bank, open("a", "Ann", "100.00"));
    ok(&bank, open("b", "Ben", "0.00"));
    block_on(bank.start_transfer(transfer("hand", "a", "b", "10.00", ""))).expect("started");
    block_on(bank.step(&tid("hand"))).expect("debit");
    block_on(bank.start_transfer_with(
        transfer("auto", "a", "b", "20.00", ""),
        FaultPlan::default(),
        RunMode::Auto,
    ))
    .expect("started");
    drop(bank);

    let reloaded = bank_on(&store, "reload");
    let len = store.len();
    let resumed = block_on(reloaded.resume_all(&[])).expect("resumes");
    assert_eq!(resumed, [tid("auto")], "only the one that ran by itself");
    assert_eq!(transfer_label(&reloaded, "auto"), "completed");
    assert_eq!(
        transfer_label(&reloaded, "hand"),
        "debited",
        "paused where it stood"
    );
    assert_eq!(count(&store, "transfer-hand", "TransferDebited"), 1);
    assert!(store.len() > len);
    // The learner carries on by hand.
    block_on(reloaded.step(&tid("hand"))).expect("credit");
    assert_eq!(transfer_label(&reloaded, "hand"), "completed");
}

#[test]
fn a_crashed_transfer_stepped_by_hand_is_resumed_when_named() {
    let store = MemoryStore::new();
    let bank = bank_on(&store, "page");
    ok(&bank, open("a", "Ann", "100.00"));
    ok(&bank, open("b", "Ben", "0.00"));
    let crash = FaultPlan {
        crash: Some(sagabank::app::CrashPoint::AfterStep(SagaStep::Debit)),
        ..FaultPlan::default()
    };
    block_on(bank.start_transfer_with(transfer("t", "a", "b", "10.00", ""), crash, RunMode::Step))
        .expect("started");
    assert!(
        block_on(bank.step(&tid("t"))).is_err(),
        "the crash stops the page"
    );
    drop(bank);

    let reloaded = bank_on(&store, "reload");
    assert_eq!(block_on(reloaded.resume_all(&[])).expect("resumes"), []);
    assert_eq!(transfer_label(&reloaded, "t"), "debited");
    let resumed = block_on(reloaded.resume_all(&[tid("t")])).expect("resumes");
    assert_eq!(resumed, [tid("t")]);
    assert_eq!(transfer_label(&reloaded, "t"), "completed");
}

#[test]
fn a_transfer_another_runner_is_running_is_not_resumed_twice() {
    let store = MemoryStore::new();
    let locks = Rc::new(LocalLocks::new());
    let tab1 = tab_on(&store, "tab1", &locks);
    ok(&tab1, open("a", "Ann", "100.00"));
    ok(&tab1, open("b", "Ben", "0.00"));
    block_on(tab1.start_transfer_with(
        transfer("t", "a", "b", "10.00", ""),
        FaultPlan::default(),
        RunMode::Auto,
    ))
    .expect("started");
    // Tab 1 is running it (holds its run lock) when tab 2 opens.
    let running = block_on(locks.acquire("transfer-t/run"));
    let tab2 = tab_on(&store, "tab2", &locks);
    assert_eq!(block_on(tab2.resume_all(&[])).expect("resumes"), []);
    assert_eq!(
        transfer_label(&tab2, "t"),
        "initiated",
        "left to its runner"
    );
    drop(running);
    assert_eq!(block_on(tab2.resume_all(&[])).expect("resumes"), [tid("t")]);
    assert_eq!(transfer_label(&tab2, "t"), "completed");
    let initiated = stream_events(&store, &transfer_stream("t"))
        .iter()
        .filter(|e| matches!(e, Event::TransferInitiated(_)))
        .count();
    assert_eq!(initiated, 1);
}
