//! Native given / when / then tests of every lesson's checks, each with a log that
//! passes and one that does not, on real logs made by the bank on a memory store
//! (from the same scenario files the lessons start from).

use futures::executor::block_on;

use super::checks as c;
use super::record::{Rebuild, RefusalKind};
use super::second_client::{
    is_second_client, rebuild_equals, schema_one_upcast, second_client_deposit, SCHEMA_ONE_FILE,
};
use super::*;
use crate::app::import::parse_log;
use crate::app::{scenario, Bank, BankError, CrashPoint, Env, FaultPlan};
use crate::domain::account::{DepositMoney, SuspendAccount, WithdrawMoney};
use crate::domain::{AccountId, BankCommand, Money, RunMode, SagaStep, TransferId, TransferMoney};
use crate::store::{EventStore, MemoryStore};

mod at_least_once;
mod course;
mod later_lessons;
mod loopholes;
mod predict;
mod saga_lessons;
mod snapshots;
mod stale;
mod tasks;

/// The conflicts the bank met, as the page notes them.
fn met(bank: &TestBank) -> Vec<crate::app::Conflict> {
    bank.conflicts_met()
}

type TestBank = Bank<MemoryStore>;

fn id(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

fn tid(s: &str) -> TransferId {
    TransferId::parse(s).unwrap()
}

fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// Given a bank on a fresh memory store, filled from a scenario file; the record's
/// base is where the lesson starts.
fn given(json: &str) -> (TestBank, LearnerRecord) {
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("l"))).unwrap();
    block_on(scenario::run(&bank, scenario::parse(json).unwrap()));
    let base = bank.read(|m| m.last_position);
    (bank, LearnerRecord::starting_at(base))
}

fn empty() -> (TestBank, LearnerRecord) {
    given("[]")
}

const SEED: &str = include_str!("../../../../scenarios/seed-demo.json");
const HAPPY: &str = include_str!("../../../../scenarios/happy-transfer.json");
const COMPENSATION: &str = include_str!("../../../../scenarios/compensation.json");

fn run(bank: &TestBank, command: BankCommand) -> Result<crate::app::Executed, BankError> {
    block_on(bank.execute(command))
}

fn deposit(account: &str, amount: &str) -> BankCommand {
    BankCommand::DepositMoney(DepositMoney {
        account_id: id(account),
        amount: money(amount),
        description: "learn".into(),
        transfer_id: None,
    })
}

fn withdraw(account: &str, amount: &str) -> BankCommand {
    BankCommand::WithdrawMoney(WithdrawMoney {
        account_id: id(account),
        amount: money(amount),
        description: "learn".into(),
        transfer_id: None,
    })
}

fn transfer(t: &str, from: &str, to: &str, amount: &str, description: &str) -> TransferMoney {
    TransferMoney {
        transfer_id: tid(t),
        from_account_id: id(from),
        to_account_id: id(to),
        amount: money(amount),
        description: description.into(),
    }
}

/// Then: `check` says `expected` on this bank's log and this record.
#[track_caller]
fn then(bank: &TestBank, record: &LearnerRecord, check: Check, expected: bool) {
    let models = bank.models();
    assert_eq!(check(&Facts::new(&models, record)), expected);
}

/// Runs a command that the rules refuse, and notes the refusal as the page does.
fn refuse(bank: &TestBank, record: &mut LearnerRecord, command: BankCommand) {
    let error = run(bank, command.clone()).unwrap_err();
    record.refuse(&error, Some(&command), bank.read(|m| m.last_position));
}

fn position_of(bank: &TestBank, event_type: &str) -> u64 {
    bank.read(|m| {
        m.audit
            .iter()
            .find(|r| r.event.event_type() == event_type)
            .map(|r| r.position)
            .unwrap()
    })
}

fn len(bank: &TestBank) -> u64 {
    bank.read(|m| m.last_position)
}

/// Notes a press of Next step on `t`, as the timeline does.
fn press(bank: &TestBank, record: &mut LearnerRecord, t: &str) {
    let from = len(bank);
    block_on(bank.step(&tid(t))).unwrap();
    record.steps.push(record::StepPress {
        transfer: t.into(),
        from,
        to: len(bank),
    });
}

// Lesson 1 -----------------------------------------------------------------------

#[test]
fn events_are_facts_open_deposit_select() {
    let (bank, mut record) = empty();
    then(&bank, &record, c::opened_account, false);
    then(&bank, &record, c::deposited, false);
    then(&bank, &record, c::selected_deposit, false);
    block_on(scenario::run(
        &bank,
        scenario::parse(r#"[{"type":"OpenAccount","account_id":"ann","owner_name":"Ann","initial_balance":"10.00"}]"#).unwrap(),
    ));
    then(&bank, &record, c::opened_account, true);
    then(&bank, &record, c::deposited, false);
    // Selecting the opening is not selecting a deposit.
    record.select(1, len(&bank));
    then(&bank, &record, c::selected_deposit, false);
    run(&bank, deposit("ann", "5.00")).unwrap();
    then(&bank, &record, c::deposited, true);
    record.select(2, len(&bank));
    then(&bank, &record, c::selected_deposit, true);
}

#[test]
fn a_scenario_s_own_accounts_and_deposits_do_not_count_as_the_learner_s() {
    let (bank, record) = given(SEED);
    then(&bank, &record, c::opened_account, false);
    // A deposit to an account the lesson did not open does not count either.
    run(&bank, deposit("alice-123", "5.00")).unwrap();
    then(&bank, &record, c::deposited, false);
}

// Lesson 2 -----------------------------------------------------------------------

#[test]
fn state_is_a_fold_travel_back_and_before_a_deposit() {
    let (bank, mut record) = given(SEED);
    let n = len(&bank);
    // Selecting the newest event is not travelling back.
    record.select(n, n);
    then(&bank, &record, c::travelled_back, false);
    record.select(2, n);
    then(&bank, &record, c::travelled_back, true);
    run(&bank, deposit("alice-123", "5.00")).unwrap();
    let d = len(&bank);
    // Travelling to an event before the deposit, but not the one just before it.
    record.select(d - 2, d);
    then(&bank, &record, c::travelled_before_deposit, false);
    record.select(d - 1, d);
    then(&bank, &record, c::travelled_before_deposit, true);
}

#[test]
fn travelling_to_the_event_before_a_deposit_made_later_does_not_count() {
    let (bank, mut record) = given(SEED);
    let n = len(&bank);
    record.select(n, n);
    run(&bank, deposit("alice-123", "5.00")).unwrap();
    // The selection was made when the deposit did not exist yet (log_len < position).
    then(&bank, &record, c::travelled_before_deposit, false);
}

// Lesson 3 -----------------------------------------------------------------------

#[test]
fn rules_refuse_an_overdraft_and_a_deposit_to_a_suspended_account() {
    let (bank, mut record) = given(SEED);
    then(&bank, &record, c::refused_overdraft, false);
    let before = len(&bank);
    refuse(&bank, &mut record, withdraw("bob-456", "100000.00"));
    assert_eq!(len(&bank), before, "nothing is written");
    then(&bank, &record, c::refused_overdraft, true);
    then(&bank, &record, c::suspended, false);
    run(
        &bank,
        BankCommand::SuspendAccount(SuspendAccount {
            account_id: id("bob-456"),
            reason: "lost card".into(),
        }),
    )
    .unwrap();
    then(&bank, &record, c::suspended, true);
    then(&bank, &record, c::refused_suspended_deposit, false);
    refuse(&bank, &mut record, deposit("bob-456", "1.00"));
    assert_eq!(record.refusals.last().unwrap().kind, RefusalKind::NotActive);
    then(&bank, &record, c::refused_suspended_deposit, true);
}

#[test]
fn a_refusal_of_another_kind_or_before_the_suspension_does_not_count() {
    let (bank, mut record) = given(SEED);
    // A zero deposit is refused, but not for an overdraft.
    refuse(&bank, &mut record, deposit("bob-456", "0.00"));
    assert_eq!(record.refusals[0].kind, RefusalKind::Other);
    then(&bank, &record, c::refused_overdraft, false);
    // A "not active" refusal noted before any suspension of this lesson.
    record.refusals.push(record::Refusal {
        kind: RefusalKind::NotActive,
        reason: "account is closed, not active".into(),
        log_len: len(&bank),
        command: Some("DepositMoney".into()),
        account: Some("bob-456".into()),
    });
    then(&bank, &record, c::refused_suspended_deposit, false);
}

// Lesson 4 -----------------------------------------------------------------------

#[test]
fn read_models_statement_and_rebuild() {
    let (bank, mut record) = given(SEED);
    then(&bank, &record, c::opened_statement, false);
    record.open_statement("nobody");
    then(&bank, &record, c::opened_statement, false);
    record.open_statement("alice-123");
    then(&bank, &record, c::opened_statement, true);
    then(&bank, &record, c::rebuilt_equal, false);
    run(&bank, deposit("alice-123", "5.00")).unwrap();
    let log = block_on(bank.store().read_all(1)).unwrap();
    let equal = rebuild_equals(&log, &bank.models());
    assert!(
        equal,
        "a rebuild from the stored log equals the live read models"
    );
    record.rebuilds.push(Rebuild {
        events: log.len() as u64,
        equal,
        micros: 1,
        broken: false,
    });
    then(&bank, &record, c::rebuilt_equal, true);
}

#[test]
fn a_rebuild_that_differs_or_is_empty_does_not_count() {
    let (bank, mut record) = given(SEED);
    let log = block_on(bank.store().read_all(1)).unwrap();
    assert!(!rebuild_equals(&log[..log.len() - 1], &bank.models()));
    record.rebuilds.push(Rebuild {
        events: 5,
        equal: false,
        micros: 1,
        broken: false,
    });
    record.rebuilds.push(Rebuild {
        events: 0,
        equal: true,
        micros: 1,
        broken: false,
    });
    then(&bank, &record, c::rebuilt_equal, false);
}

/// A bank whose last transfer of `json` was started by hand (as the lesson starts).
fn stepped(json: &str) -> (TestBank, LearnerRecord) {
    let mut commands = scenario::parse(json).unwrap();
    let Some(Ok(BankCommand::TransferMoney(t))) = commands.pop() else {
        panic!("the scenario ends with a transfer");
    };
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("l"))).unwrap();
    block_on(scenario::run(&bank, commands));
    block_on(bank.start_transfer_with(t, FaultPlan::default(), RunMode::Step)).unwrap();
    let base = len(&bank);
    (bank, LearnerRecord::starting_at(base))
}

/// Sends `t` (20.00 from alice-123 to bob-456) all at once, its `step` failing
/// `failures` times, as the transfer form does with that fault.
fn send_failing(bank: &TestBank, t: &str, step: SagaStep, failures: u32) {
    bank.inject(
        &tid(t),
        FaultPlan {
            transient: Some((step, failures)),
            ..FaultPlan::default()
        },
    );
    run(
        bank,
        BankCommand::TransferMoney(transfer(t, "alice-123", "bob-456", "20.00", "")),
    )
    .unwrap();
}
