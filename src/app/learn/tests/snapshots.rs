//! The snapshots lesson: take a snapshot, delete every snapshot, deposit; and the
//! actions a learner could take instead that must not tick its tasks.

use futures::executor::block_on;

use super::*;
use crate::app::learn::record::LoadSeen;

/// The card of `account` loads it, and the page notes what it said.
fn card(bank: &TestBank, record: &mut LearnerRecord, account: &str) {
    let load = block_on(bank.load_account(&id(account))).unwrap();
    record.loads.push(LoadSeen::of(account, &load));
}

fn snapshot(bank: &TestBank, account: &str) {
    block_on(bank.snapshot_account(&id(account))).unwrap();
}

/// Delete all snapshots, noted as the page does.
fn delete_all(bank: &TestBank, record: &mut LearnerRecord) {
    record.snapshots_deleted.push(record.loads.len());
    block_on(bank.delete_snapshots()).unwrap();
}

#[test]
fn snapshots_take_one_delete_them_then_deposit() {
    let (bank, mut record) = given(SEED);
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::loaded_from_snapshot, false);
    snapshot(&bank, "alice-123");
    card(&bank, &mut record, "alice-123");
    assert_eq!(record.loads[1].folded, 0);
    then(&bank, &record, c::loaded_from_snapshot, true);
    then(&bank, &record, c::deleted_snapshots_same_balance, false);
    delete_all(&bank, &mut record);
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deleted_snapshots_same_balance, true);
    then(&bank, &record, c::deposited_after_deleting, false);
    run(&bank, deposit("alice-123", "10.00")).unwrap();
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deposited_after_deleting, true);
}

/// Deleting when no snapshot was loaded, or loading another account afterwards, is
/// not seeing that deleting changes no balance.
#[test]
fn a_deletion_without_a_snapshot_loaded_before_does_not_count() {
    let (bank, mut record) = given(SEED);
    card(&bank, &mut record, "alice-123");
    delete_all(&bank, &mut record);
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deleted_snapshots_same_balance, false);
    snapshot(&bank, "alice-123");
    card(&bank, &mut record, "alice-123");
    // The snapshot is still there: no deletion came after it.
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deleted_snapshots_same_balance, false);
    delete_all(&bank, &mut record);
    card(&bank, &mut record, "bob-456");
    then(&bank, &record, c::deleted_snapshots_same_balance, false);
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deleted_snapshots_same_balance, true);
}

/// A reload at another version (a deposit made between) is not the same account
/// state seen without its snapshot.
#[test]
fn a_load_after_a_deposit_is_not_the_same_state_without_the_snapshot() {
    let (bank, mut record) = given(SEED);
    snapshot(&bank, "alice-123");
    card(&bank, &mut record, "alice-123");
    delete_all(&bank, &mut record);
    run(&bank, deposit("alice-123", "1.00")).unwrap();
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deleted_snapshots_same_balance, false);
}

/// A deposit before the deletion, or into another account, is not the deposit after
/// deleting.
#[test]
fn a_deposit_before_deleting_or_elsewhere_does_not_count() {
    let (bank, mut record) = given(SEED);
    snapshot(&bank, "alice-123");
    card(&bank, &mut record, "alice-123");
    run(&bank, deposit("alice-123", "10.00")).unwrap();
    card(&bank, &mut record, "alice-123");
    delete_all(&bank, &mut record);
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deleted_snapshots_same_balance, true);
    // Its deposit came before the deletion.
    then(&bank, &record, c::deposited_after_deleting, false);
    run(&bank, deposit("bob-456", "10.00")).unwrap();
    card(&bank, &mut record, "bob-456");
    then(&bank, &record, c::deposited_after_deleting, false);
    run(&bank, deposit("alice-123", "10.00")).unwrap();
    // Not loaded by the card yet.
    then(&bank, &record, c::deposited_after_deleting, false);
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deposited_after_deleting, true);
}

/// The lesson's account is alice-123: a snapshot, a deletion and a deposit on
/// another account tick nothing.
#[test]
fn the_sequence_on_another_account_ticks_nothing() {
    let (bank, mut record) = given(SEED);
    snapshot(&bank, "bob-456");
    card(&bank, &mut record, "bob-456");
    then(&bank, &record, c::loaded_from_snapshot, false);
    delete_all(&bank, &mut record);
    card(&bank, &mut record, "bob-456");
    then(&bank, &record, c::deleted_snapshots_same_balance, false);
    run(&bank, deposit("bob-456", "10.00")).unwrap();
    card(&bank, &mut record, "bob-456");
    then(&bank, &record, c::deposited_after_deleting, false);
}

/// After a snapshot and a deletion seen on another account, the right sequence on
/// alice-123 still ticks every task: the learner is never stuck.
#[test]
fn the_right_sequence_after_a_detour_on_another_account_ticks_every_task() {
    let (bank, mut record) = given(SEED);
    snapshot(&bank, "bob-456");
    card(&bank, &mut record, "bob-456");
    delete_all(&bank, &mut record);
    card(&bank, &mut record, "bob-456");
    snapshot(&bank, "alice-123");
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::loaded_from_snapshot, true);
    delete_all(&bank, &mut record);
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deleted_snapshots_same_balance, true);
    run(&bank, deposit("alice-123", "10.00")).unwrap();
    card(&bank, &mut record, "alice-123");
    then(&bank, &record, c::deposited_after_deleting, true);
}
