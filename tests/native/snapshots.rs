//! Account snapshots: a cache beside the log. Loading starts from a trusted snapshot
//! and folds only the events after it; deleting every snapshot changes no balance; a
//! snapshot from another code version, unreadable, or of another log is ignored.

use futures::executor::block_on;
use sagabank::app::account_snapshots::{self, AccountLoad, Ignored, SNAPSHOT_FORMAT};
use sagabank::app::aggregate::AccountRepository;
use sagabank::domain::SCHEMA_VERSION;
use sagabank::store::{EventStore, MemoryStore, StreamSnapshot};

use super::support::*;

/// A bank taking a snapshot every `every` events, with account `a` opened and
/// `deposits` deposits of 1.00 made (so `deposits + 1` events).
fn bank_with_history(every: Option<u64>, deposits: u32) -> TestBank {
    let bank = new_bank();
    bank.set_snapshot_every(every);
    ok(&bank, open("a", "Ada", "0.00"));
    for _ in 0..deposits {
        ok(&bank, deposit("a", "1.00", "pay"));
    }
    bank
}

fn load(bank: &TestBank, id: &str) -> AccountLoad {
    block_on(bank.load_account(&acct(id))).expect("loads")
}

fn stored(store: &MemoryStore, id: &str) -> Option<StreamSnapshot> {
    block_on(store.load_snapshot(&account_stream(id))).expect("reads")
}

#[test]
fn a_snapshot_every_ten_events_loads_from_v40_and_folds_three() {
    let bank = bank_with_history(Some(10), 42);
    let loaded = load(&bank, "a");
    assert_eq!(loaded.how(), "snapshot at v40 + 3 events");
    assert_eq!(
        (loaded.snapshot_at, loaded.folded, loaded.version),
        (Some(40), 3, 43)
    );
    assert_eq!(loaded.state, folded(bank.store(), "a"));
    assert_eq!(loaded.state.balance(), money("42.00"));
}

#[test]
fn snapshots_are_off_by_default_and_every_event_is_folded() {
    let bank = bank_with_history(None, 42);
    assert_eq!(bank.snapshot_every(), None);
    assert_eq!(stored(bank.store(), "a"), None);
    let loaded = load(&bank, "a");
    assert_eq!(loaded.how(), "43 events folded");
    assert_eq!((loaded.snapshot_at, loaded.ignored), (None, None));
}

#[test]
fn deleting_every_snapshot_changes_no_balance() {
    let bank = bank_with_history(Some(7), 30);
    ok(&bank, open("b", "Bo", "5.00"));
    for _ in 0..9 {
        ok(&bank, withdraw("b", "0.50", "fee"));
    }
    let before: Vec<AccountLoad> = ["a", "b"].iter().map(|id| load(&bank, id)).collect();
    assert!(before.iter().all(|l| l.snapshot_at.is_some()));
    assert_eq!(block_on(bank.delete_snapshots()), Ok(2));
    for (id, was) in ["a", "b"].iter().zip(&before) {
        let now = load(&bank, id);
        assert_eq!(now.snapshot_at, None);
        assert_eq!(
            now.state, was.state,
            "{id}: the same state from every event"
        );
        assert_eq!(now.state.balance(), balance_money(&bank, id));
    }
}

fn balance_money(bank: &TestBank, id: &str) -> sagabank::domain::Money {
    bank.read(|m| m.accounts.get(&acct(id)).map(|a| a.balance))
        .expect("shown")
}

/// Stores a copy of account `a`'s snapshot changed by `change`.
fn tamper(bank: &TestBank, change: impl FnOnce(&mut StreamSnapshot)) {
    let mut snapshot = stored(bank.store(), "a").expect("a snapshot");
    change(&mut snapshot);
    block_on(bank.store().save_snapshot(snapshot)).expect("saves");
}

#[test]
fn a_snapshot_from_an_older_code_version_is_ignored_not_trusted() {
    let bank = bank_with_history(Some(10), 42);
    // Its state claims a million: were it trusted, the balance would show it.
    tamper(&bank, |s| {
        s.format = SNAPSHOT_FORMAT - 1;
        assert!(s.state.contains("\"39.00\""), "{}", s.state);
        s.state = s.state.replace("\"39.00\"", "\"1000000.00\"");
    });
    let loaded = load(&bank, "a");
    assert_eq!(loaded.how(), "43 events folded");
    assert_eq!(
        loaded.ignored,
        Some(Ignored::OtherCode {
            format: SNAPSHOT_FORMAT - 1,
            schema: SCHEMA_VERSION
        })
    );
    assert_eq!(loaded.state.balance(), money("42.00"));
}

#[test]
fn a_snapshot_of_another_schema_version_is_ignored() {
    let bank = bank_with_history(Some(10), 12);
    tamper(&bank, |s| s.schema = SCHEMA_VERSION + 1);
    let loaded = load(&bank, "a");
    assert!(matches!(loaded.ignored, Some(Ignored::OtherCode { .. })));
    assert_eq!(loaded.snapshot_at, None);
}

#[test]
fn a_corrupt_snapshot_is_ignored() {
    let bank = bank_with_history(Some(10), 12);
    tamper(&bank, |s| s.state = "{\"Active\": 12".into());
    let loaded = load(&bank, "a");
    assert_eq!(loaded.ignored, Some(Ignored::Unreadable));
    assert_eq!(loaded.how(), "13 events folded");
    assert_eq!(loaded.state.balance(), money("12.00"));
}

#[test]
fn a_snapshot_of_another_log_is_ignored() {
    let bank = bank_with_history(Some(10), 12);
    // Another log (reset, or replaced by an import) has other event ids there.
    tamper(&bank, |s| s.event_id = "some-other-log".into());
    assert_eq!(load(&bank, "a").ignored, Some(Ignored::NotThisLog));
    // Or is shorter than the snapshot.
    tamper(&bank, |s| {
        s.event_id = "some-other-log".into();
        s.version = 99;
    });
    let loaded = load(&bank, "a");
    assert_eq!(loaded.ignored, Some(Ignored::NotThisLog));
    assert_eq!((loaded.version, loaded.folded), (13, 13));
}

#[test]
fn a_snapshot_is_taken_when_an_append_crosses_a_multiple() {
    assert!(account_snapshots::due(Some(10), 9, 10));
    assert!(account_snapshots::due(Some(10), 9, 11));
    assert!(!account_snapshots::due(Some(10), 10, 11));
    assert!(!account_snapshots::due(None, 9, 10));
    assert!(!account_snapshots::due(Some(0), 9, 10));
}

#[test]
fn a_transfer_leg_counts_towards_the_next_snapshot() {
    let bank = bank_with_history(Some(3), 1);
    ok(&bank, open("b", "Bo", "0.00"));
    ok(&bank, transfer("t1", "a", "b", "0.25", "lunch"));
    // a: opened, deposited, debited (v3).
    let loaded = load(&bank, "a");
    assert_eq!((loaded.snapshot_at, loaded.folded), (Some(3), 0));
    assert_eq!(loaded.state.balance(), money("0.75"));
}

#[test]
fn the_repository_loads_from_the_snapshot_and_saves_on_top() {
    let bank = bank_with_history(Some(10), 10);
    let repository = AccountRepository::new(bank.store().clone());
    let mut account = block_on(repository.load(&acct("a"))).expect("loads");
    assert_eq!(account.balance(), money("10.00"));
    account
        .deposit(sagabank::domain::account::DepositMoney {
            account_id: acct("a"),
            amount: money("2.00"),
            description: String::new(),
            transfer_id: None,
        })
        .expect("decides");
    block_on(repository.save(&mut account)).expect("saves at v12");
    assert_eq!(folded(bank.store(), "a").balance(), money("12.00"));
}
