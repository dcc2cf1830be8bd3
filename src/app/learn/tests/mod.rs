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
mod loopholes;
mod predict;
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

// Lesson 5 -----------------------------------------------------------------------

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

// Lesson 10 ----------------------------------------------------------------------

#[test]
fn schema_evolution_import_a_schema_one_file_then_deposit() {
    let (bank, record) = empty();
    then(&bank, &record, c::imported_schema_one, false);
    let events = parse_log(SCHEMA_ONE_FILE).unwrap();
    block_on(bank.store().restore(&events)).unwrap();
    block_on(bank.catch_up()).unwrap();
    then(&bank, &record, c::imported_schema_one, true);
    // The page moved to the imported bank: the lesson's record starts there.
    let record = LearnerRecord::starting_at(len(&bank));
    then(&bank, &record, c::deposited_to_imported, false);
    run(&bank, deposit("erin", "1.00")).unwrap();
    then(&bank, &record, c::deposited_to_imported, true);
    assert_eq!(
        bank.read(|m| m.accounts[&id("erin")].balance),
        money("271.50")
    );
}

#[test]
fn a_deposit_to_another_account_is_not_one_to_the_imported_account() {
    let (bank, record) = given(SEED);
    run(&bank, deposit("alice-123", "1.00")).unwrap();
    then(&bank, &record, c::deposited_to_imported, false);
}

#[test]
fn the_schema_one_file_is_read_as_the_current_schema() {
    let pairs = schema_one_upcast();
    assert_eq!(pairs.len(), 2);
    for (old, new) in &pairs {
        assert!(!old.contains("schema_version"));
        assert!(old.contains("_at\":"), "schema 1 has domain times: {old}");
        assert!(new.contains("\"schema_version\":"), "{new}");
        assert!(
            !new.contains("opened_at") && !new.contains("deposited_at"),
            "{new}"
        );
    }
    assert!(
        pairs[0].1.contains(r#""initial_balance":"250.50""#),
        "{}",
        pairs[0].1
    );
    // The time the data carried is not lost: it is the event's recorded time.
    assert!(
        pairs[0]
            .1
            .contains(r#""recorded_at":"2024-05-01T09:00:00Z""#),
        "{}",
        pairs[0].1
    );
    assert!(
        pairs[1]
            .1
            .contains(r#""recorded_at":"2024-05-02T10:30:00Z""#),
        "{}",
        pairs[1].1
    );
}

// Lesson 11 ----------------------------------------------------------------------

/// A fork of `bank` at event `at`, as time travel makes it, and its record as the
/// course keeps it (made from the lesson's `record`).
fn fork_at(bank: &TestBank, record: &LearnerRecord, at: u64) -> (TestBank, LearnerRecord) {
    let (prefix, before) = bank.read(|m| {
        (
            m.audit[..at as usize].to_vec(),
            record::transfer_after(&m.audit, at),
        )
    });
    let fork = block_on(crate::app::fork::fork_bank(
        MemoryStore::new(),
        Env::fixed("f"),
        &prefix,
    ))
    .unwrap();
    (fork, record.forked(before, at))
}

/// Opens `account` with 0.00 and closes it (or suspends it, `close` false).
fn shut(bank: &TestBank, account: &str, close: bool) {
    let open = BankCommand::OpenAccount(crate::domain::account::OpenAccount {
        account_id: id(account),
        owner_name: "Carol".into(),
        initial_balance: money("0.00"),
    });
    run(bank, open).unwrap();
    let shut = if close {
        BankCommand::CloseAccount(crate::domain::account::CloseAccount {
            account_id: id(account),
        })
    } else {
        BankCommand::SuspendAccount(SuspendAccount {
            account_id: id(account),
            reason: "lost card".into(),
        })
    };
    run(bank, shut).unwrap();
}

fn send_to(bank: &TestBank, t: &str, to: &str) {
    run(
        bank,
        BankCommand::TransferMoney(transfer(t, "alice-123", to, "250.00", "instead")),
    )
    .unwrap();
}

#[test]
fn try_another_path_fork_before_the_transfer_send_to_a_closed_account_compare() {
    let (bank, record) = given(SEED);
    then(&bank, &record, c::forked_before_transfer, false);
    let (fork, mut mine) = fork_at(&bank, &record, 2);
    assert_eq!(
        mine.fork.as_ref().unwrap().before.as_deref(),
        Some("transfer-789")
    );
    then(&fork, &mine, c::forked_before_transfer, true);
    then(&fork, &mine, c::compensated_in_fork, false);
    shut(&fork, "carol", true);
    send_to(&fork, "t-closed", "carol");
    then(&fork, &mine, c::compensated_in_fork, true);
    assert_eq!(
        fork.read(|m| m.accounts[&id("alice-123")].balance),
        money("1000.00"),
        "refunded"
    );
    then(&fork, &mine, c::compared_fork, false);
    mine.compared.push(len(&fork));
    then(&fork, &mine, c::compared_fork, true);
    // The lesson's bank is untouched.
    assert_eq!(len(&bank), record.base);
}

// Retries and timeouts --------------------------------------------------------------

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

#[test]
fn retries_a_credit_completes_before_its_deadline_and_one_times_out() {
    let (bank, record) = given(SEED);
    then(&bank, &record, c::retried_within_deadline, false);
    then(&bank, &record, c::timed_out_and_refunded, false);
    send_failing(&bank, "r1", SagaStep::Credit, 3);
    then(&bank, &record, c::retried_within_deadline, true);
    then(&bank, &record, c::timed_out_and_refunded, false);
    send_failing(&bank, "r2", SagaStep::Credit, 4);
    then(&bank, &record, c::timed_out_and_refunded, true);
    assert_eq!(
        bank.read(|m| m.accounts[&id("alice-123")].balance.to_string()),
        "730.00",
        "r1 took 20.00, r2 was refunded"
    );
}
