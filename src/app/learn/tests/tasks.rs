//! The tasks added by issue 21: the broken projection's rebuild, the second client
//! placed between the page's read and its append, and the scenarios the course had
//! ignored (insufficient funds, a transient failure, the account lifecycle).

use std::cell::RefCell;
use std::rc::Rc;

use futures::executor::block_on;

use super::*;
use crate::app::learn::second_client::{arm_second_client, conflict_story, rebuild_broken};
use crate::app::scenario_catalog;

/// A bank loaded with the page's scenario `key`, as the scenario bar loads it; the
/// lesson's record starts where it left the log.
pub(super) fn loaded(key: &str) -> (TestBank, LearnerRecord) {
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("l"))).unwrap();
    let scenario = scenario_catalog::find(key).unwrap();
    block_on(scenario_catalog::prepare(&bank, scenario)).unwrap();
    let base = len(&bank);
    (bank, LearnerRecord::starting_at(base))
}

#[test]
fn the_broken_projection_forgets_withdrawals_so_its_rebuild_differs() {
    let (bank, mut record) = given(SEED);
    run(&bank, deposit("alice-123", "5.00")).unwrap();
    let log = block_on(bank.store().read_all(1)).unwrap();
    let differs = rebuild_broken(&log, &bank.models());
    // transfer-789 took 250.00 from alice-123: the broken fold never takes it.
    assert_eq!(differs.len(), 1, "{differs:?}");
    assert_eq!(differs[0].account, "alice-123");
    assert_eq!(differs[0].live, money("755.00"));
    assert_eq!(differs[0].rebuilt, money("1005.00"));
    then(&bank, &record, c::rebuilt_broken_differs, false);
    record.rebuilds.push(Rebuild {
        events: len(&bank),
        equal: differs.is_empty(),
        micros: 1,
        broken: true,
    });
    then(&bank, &record, c::rebuilt_broken_differs, true);
    then(&bank, &record, c::rebuilt_equal, false);
}

#[test]
fn the_second_client_writes_between_the_page_s_read_and_its_append() {
    let (bank, mut record) = given(SEED);
    let wrote = Rc::new(RefCell::new(None));
    let heard = Rc::clone(&wrote);
    let when = || ("1".to_owned(), "2026-11-30T10:00:00.000Z".to_owned());
    arm_second_client(&bank, id("alice-123"), money("5.00"), when, move |r| {
        *heard.borrow_mut() = Some(r.map(|e| e[0].version));
    });
    record.second_client += 1;
    then(&bank, &record, c::second_client_wrote, true);
    // The page catching up before it writes changes nothing: the write comes later.
    block_on(bank.catch_up()).unwrap();
    // Another account's append does not set it off.
    run(&bank, withdraw("bob-456", "1.00")).unwrap();
    assert!(wrote.borrow().is_none());
    let read = bank.read(|m| m.last_position);
    run(&bank, withdraw("alice-123", "1.00")).unwrap();
    assert_eq!(*wrote.borrow(), Some(Ok(3)));
    let met = bank.conflicts_met();
    assert_eq!(met.len(), 1);
    assert_eq!(
        (met[0].stream.as_str(), met[0].expected, met[0].actual),
        ("account-alice-123", 2, 3)
    );
    assert_eq!(met[0].read_up_to, read);
    record.conflicts = super::met(&bank);
    then(&bank, &record, c::decided_again, true);
    assert_eq!(
        bank.read(|m| m.accounts[&id("alice-123")].balance),
        money("754.00")
    );
    let models = bank.models();
    let story = conflict_story(&models.audit, &record);
    let n = read;
    assert_eq!(
        story,
        [
            format!("This page read account-alice-123 at version 2 (it had read the log up to event #{n}) and decided."),
            format!("The second client (not this page) appended MoneyDeposited as version 3 (event #{}).", n + 1),
            "This page's append expected version 2 and was refused: the stream was at version 3. Nothing of it was written.".to_owned(),
            format!("This page re-read version 3, decided again on it, and appended MoneyWithdrawn as version 4 (event #{}).", n + 2),
        ]
    );
}

#[test]
fn insufficient_funds_fails_the_transfer_with_nothing_to_compensate() {
    let (bank, record) = loaded("insufficient-funds");
    then(&bank, &record, c::failed_without_compensation, false);
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    then(&bank, &record, c::failed_without_compensation, true);
    // A compensated transfer moved money and gave it back: not this.
    let (bank, record) = loaded("compensation");
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    then(&bank, &record, c::failed_without_compensation, false);
}

#[test]
fn a_transient_failure_is_retried_and_the_credit_lands_once() {
    let (bank, record) = loaded("transient-failure");
    then(&bank, &record, c::retried_then_completed, false);
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    then(&bank, &record, c::retried_then_completed, true);
    // A transfer with no failure is no retry.
    let (bank, record) = loaded("happy-transfer");
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    then(&bank, &record, c::retried_then_completed, false);
}

#[test]
fn travelling_to_when_dave_was_suspended_shows_his_status_is_folded_too() {
    let (bank, mut record) = loaded("account-lifecycle");
    let n = len(&bank);
    let suspended = position_of(&bank, "AccountSuspended");
    // Today dave is closed; his opening is before the suspension.
    record.select(n, n);
    record.select(1, n);
    then(&bank, &record, c::travelled_to_suspended, false);
    record.select(suspended, n);
    then(&bank, &record, c::travelled_to_suspended, true);
}

// How steps cause each other -------------------------------------------------------

/// The positions of t1's chain from its TransferCompleted back, as the causation
/// view lists them.
fn chain_back(bank: &TestBank) -> Vec<u64> {
    bank.read(|m| {
        let chain = crate::app::views::causation::Causation::of(&m.transfers[&tid("t1")]);
        chain.back_from(chain.completed().unwrap())
    })
}

#[test]
fn following_t1_s_chain_back_link_by_link_from_its_completion_ticks_the_tasks() {
    let (bank, mut record) = loaded("happy-transfer");
    then(&bank, &record, c::traced_transfer_completed, false);
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    then(&bank, &record, c::traced_transfer_completed, true);
    let back = chain_back(&bank);
    assert_eq!(
        back.len(),
        5,
        "Completed, Deposited, Debited, Withdrawn, Initiated"
    );
    for &p in &back[..4] {
        record.trace(p);
    }
    then(&bank, &record, c::followed_chain_back, false);
    record.trace(back[4]);
    then(&bank, &record, c::followed_chain_back, true);
}

#[test]
fn the_chain_may_be_followed_after_other_clicks_in_it_and_with_a_repeated_click() {
    let (bank, mut record) = loaded("happy-transfer");
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    let back = chain_back(&bank);
    record.trace(back[2]);
    record.trace(back[0]);
    record.trace(back[0]);
    for &p in &back[1..] {
        record.trace(p);
    }
    then(&bank, &record, c::followed_chain_back, true);
}
