//! The event store contract, run on the memory store, and proof that it bites: stores
//! that break a rule fail it.

use futures::executor::block_on;
use pretty_assertions::assert_eq;
use sagabank::store::contract::{self, run_all, sample_event};
use sagabank::store::{EventStore, MemoryStore, NewEvent, Recorded, StoreError};
use std::rc::Rc;

use crate::support::Careless;

fn fresh_pair() -> impl std::future::Future<Output = (MemoryStore, MemoryStore)> {
    let s = MemoryStore::new();
    async move { (s.clone(), s) }
}

#[test]
fn the_memory_store_keeps_the_whole_contract() {
    assert_eq!(block_on(run_all(fresh_pair)), Ok(()));
}

#[test]
fn the_memory_store_gives_gap_free_versions_and_positions() {
    let s = MemoryStore::new();
    assert_eq!(
        block_on(contract::appends_get_gap_free_versions_and_positions(&s)),
        Ok(())
    );
}

#[test]
fn the_memory_store_refuses_stale_appends_and_writes_nothing() {
    let s = MemoryStore::new();
    assert_eq!(
        block_on(contract::a_stale_append_is_a_conflict_and_writes_nothing(
            &s
        )),
        Ok(())
    );
}

#[test]
fn the_memory_store_reads_from_where_it_is_asked() {
    let s = MemoryStore::new();
    assert_eq!(
        block_on(contract::reads_start_where_asked_and_streams_stay_apart(&s)),
        Ok(())
    );
}

#[test]
fn the_memory_store_returns_events_exactly_as_appended() {
    let s = MemoryStore::new();
    assert_eq!(
        block_on(contract::events_come_back_exactly_as_appended(&s)),
        Ok(())
    );
}

#[test]
fn two_memory_store_handles_racing_on_one_stream_have_one_winner() {
    let s = MemoryStore::new();
    assert_eq!(
        block_on(contract::two_handles_racing_on_one_stream_one_wins(
            &s.clone(),
            &s
        )),
        Ok(())
    );
}

#[test]
fn a_store_that_ignores_the_expected_version_fails_the_contract() {
    let result = block_on(run_all(|| async {
        let s = Careless::default();
        (s.clone(), s)
    }));
    let error = result.expect_err("a store without optimistic concurrency must fail");
    assert!(error.contains("conflict"), "{error}");
}

/// A broken store whose `read_all` ignores where to start.
#[derive(Clone, Default)]
struct ReadsEverything(MemoryStore);

impl EventStore for ReadsEverything {
    async fn append(
        &self,
        stream: &str,
        expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.append(stream, expected_version, events).await
    }

    async fn read_stream(&self, stream: &str, from: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.read_stream(stream, from).await
    }

    async fn read_all(&self, _from: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.read_all(1).await
    }

    async fn restore(&self, events: &[Recorded]) -> Result<(), StoreError> {
        sagabank::store::restore::restore_by_append(self, events).await
    }
}

#[test]
fn a_store_that_reads_from_the_wrong_place_fails_the_contract() {
    let result = block_on(run_all(|| async {
        let s = ReadsEverything::default();
        (s.clone(), s)
    }));
    let error = result.expect_err("a store ignoring from_position must fail");
    assert!(error.contains("from_position"), "{error}");
}

#[test]
fn a_memory_store_clone_shares_the_log() {
    let a = MemoryStore::new();
    let b = a.clone();
    block_on(a.append("account-x", 0, vec![sample_event("x", 0)])).unwrap();
    assert_eq!(b.len(), 1);
    assert!(!b.is_empty());
    let imported = MemoryStore::from_recorded(block_on(b.read_all(1)).unwrap());
    assert_eq!(
        block_on(imported.read_stream("account-x", 1)).unwrap(),
        block_on(a.read_stream("account-x", 1)).unwrap()
    );
    let next = block_on(imported.append("account-x", 1, vec![sample_event("x", 1)])).unwrap();
    assert_eq!((next[0].position, next[0].version), (2, 2));
    assert_eq!(a.len(), 1, "an imported copy is a separate log");
}

#[test]
fn every_kind_of_event_survives_the_json_line_format() {
    let bank = crate::support::new_bank();
    crate::support::busy(&bank);
    let stored = crate::support::log(bank.store());
    let mut kinds = std::collections::HashSet::new();
    for recorded in &stored {
        kinds.insert(recorded.event_type());
        let line = recorded.to_json_line();
        assert!(!line.contains('\n'), "one line: {line}");
        assert_eq!(
            Recorded::from_json_line(&line).as_ref(),
            Ok(&**recorded),
            "{line}"
        );
    }
    assert!(
        kinds.len() >= 12,
        "the busy log holds most kinds: {kinds:?}"
    );
    // An exported log imported into a fresh store rebuilds the same bank.
    let imported = MemoryStore::from_recorded(
        stored
            .iter()
            .map(|r| Rc::new(Recorded::from_json_line(&r.to_json_line()).unwrap()))
            .collect(),
    );
    let reopened = crate::support::bank_on(&imported, "import");
    assert_eq!(reopened.models(), bank.models());
}

/// A store that keeps no snapshots (the trait's default methods).
#[derive(Clone, Default)]
struct KeepsNoSnapshots(MemoryStore);

impl EventStore for KeepsNoSnapshots {
    async fn append(
        &self,
        stream: &str,
        expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.append(stream, expected_version, events).await
    }

    async fn read_stream(&self, stream: &str, from: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.read_stream(stream, from).await
    }

    async fn read_all(&self, from: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.read_all(from).await
    }

    async fn restore(&self, events: &[Recorded]) -> Result<(), StoreError> {
        sagabank::store::restore::restore_by_append(self, events).await
    }
}

#[test]
fn a_store_that_keeps_no_snapshots_fails_the_contract() {
    let result = block_on(run_all(|| async {
        let s = KeepsNoSnapshots::default();
        (s.clone(), s)
    }));
    let error = result.expect_err("a store dropping snapshots must fail");
    assert!(error.contains("latest snapshot"), "{error}");
}
