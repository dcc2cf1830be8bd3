//! Lessons 10 and 11 and "Retries and timeouts" (schema, another path, retries):
//! their checks on logs that pass and fail.

use super::*;

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
pub(super) fn fork_at(
    bank: &TestBank,
    record: &LearnerRecord,
    at: u64,
) -> (TestBank, LearnerRecord) {
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
pub(super) fn shut(bank: &TestBank, account: &str, close: bool) {
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

pub(super) fn send_to(bank: &TestBank, t: &str, to: &str) {
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
