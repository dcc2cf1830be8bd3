//! Version skew on the memory store: an event written by a newer build (schema version
//! 99) is never read into the bank nor written over, and the bank that met it refuses
//! every later command, writing nothing. Plus the pure wording of the store errors a
//! newer build's data and a refused IndexedDB give (checked in the browser too, in
//! `tests/browser_skew.rs`).

use futures::executor::block_on;
use pretty_assertions::assert_eq;
use sagabank::app::{Bank, BankError, Env};
use sagabank::domain::{DecodeError, Event, SCHEMA_VERSION};
use sagabank::store::envelope::EnvelopeError;
use sagabank::store::skew::{
    check_local_layout, check_schema, connection_closed, newer_database, open_refused,
    unreadable_line, LOCAL_LAYOUT, REFUSED,
};
use sagabank::store::{EventStore, MemoryStore, NewEvent, Recorded, StoreError};

use crate::support::*;

const NEWER: u32 = 99;

/// Stores `event` in `stream` as a newer build would: schema version 99.
fn write_newer(store: &MemoryStore, stream: &str, event: Event) {
    let version = recorded_of(store, stream).len() as u64 + 1;
    let position = store.len() as u64 + 1;
    let new = NewEvent {
        event,
        event_id: format!("newer-{position}"),
        recorded_at: "2027-01-01T00:00:00.000Z".into(),
        correlation_id: "newer".into(),
        causation_id: "newer".into(),
    };
    let mut recorded = Recorded::new(new, stream, version, position);
    recorded.schema_version = NEWER;
    store
        .push_recorded(recorded)
        .expect("the newer event continues the log");
}

#[track_caller]
fn newer_message<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::NewerVersion(what)) => what,
        other => panic!("expected NewerVersion, got {other:?}"),
    }
}

#[track_caller]
fn refused_as_newer<T: std::fmt::Debug>(result: Result<T, BankError>) {
    match result {
        Err(BankError::Store(StoreError::NewerVersion(_))) => {}
        other => panic!("expected a NewerVersion refusal, got {other:?}"),
    }
}

#[test]
fn the_memory_store_reports_a_newer_event_and_never_returns_it() {
    let store = MemoryStore::new();
    block_on(store.append(
        "account-a",
        0,
        vec![sagabank::store::contract::sample_event("a", 0)],
    ))
    .unwrap();
    write_newer(
        &store,
        "account-a",
        deposited("a", "5.00", "from the future"),
    );
    let what = newer_message(block_on(store.read_all(1)));
    assert!(
        what.contains("position 2") && what.contains("schema version 99"),
        "names the event and its version: {what}"
    );
    newer_message(block_on(store.read_stream("account-a", 1)));
    // Every read that reaches it fails; a read past it finds nothing.
    assert_eq!(block_on(store.read_all(3)).unwrap(), Vec::new());
    assert_eq!(store.len(), 2, "nothing was removed");
}

#[test]
fn push_recorded_refuses_an_event_that_does_not_continue_the_log() {
    let store = MemoryStore::new();
    let new = sagabank::store::contract::sample_event("a", 0);
    let misplaced = Recorded::new(new.clone(), "account-a", 2, 1);
    assert!(matches!(
        store.push_recorded(misplaced),
        Err(StoreError::Conflict { .. })
    ));
    let wrong_position = Recorded::new(new, "account-a", 1, 5);
    assert!(matches!(
        store.push_recorded(wrong_position),
        Err(StoreError::Conflict { .. })
    ));
    assert!(store.is_empty(), "nothing was stored");
}

#[test]
fn a_bank_does_not_open_on_a_log_with_a_newer_event() {
    let store = MemoryStore::new();
    write_newer(&store, "account-a", opened("a", "Ann", "10.00"));
    let error = block_on(Bank::open(store.clone(), Env::fixed("t")))
        .err()
        .expect("the bank refuses to open");
    assert!(
        matches!(error, StoreError::NewerVersion(_)),
        "a newer build's data is not damage: {error:?}"
    );
    assert_eq!(store.len(), 1);
}

#[test]
fn a_bank_that_caught_up_a_newer_event_refuses_every_later_command() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Bob", "0.00")]);
    let id = tid("t1");
    block_on(bank.start_transfer(transfer("t1", "a", "b", "10.00", "rent"))).unwrap();
    let store = bank.store().clone();
    // Another tab, of a newer build, writes to a stream this bank has not touched.
    write_newer(&store, "account-c", opened("c", "Cy", "1.00"));
    let before = store.len();

    newer_message(block_on(bank.catch_up()));
    let models = bank.models();

    // Commands on other streams, which would append without reading the log, too.
    refused_as_newer(exec(&bank, open("d", "Di", "5.00")));
    refused_as_newer(exec(&bank, deposit("a", "1.00", "more")));
    refused_as_newer(exec(&bank, transfer("t2", "a", "b", "1.00", "again")));
    refused_as_newer(block_on(bank.step(&id)));
    refused_as_newer(block_on(bank.run_transfer(&id)));
    refused_as_newer(block_on(bank.resume_all(&[])));
    // And a later catch-up fails the same way, without reading anything in.
    newer_message(block_on(bank.catch_up()));

    assert_eq!(
        store.len(),
        before,
        "nothing was written after the newer event"
    );
    assert_eq!(bank.models(), models, "nothing was read into the bank");
}

#[test]
fn a_bank_that_never_met_the_newer_event_still_works_on_an_older_log() {
    // The refusal is the newer event's doing: a bank on the same kind of log without
    // one goes on (guards against refusing everything).
    let bank = bank_with(&[("a", "Ann", "100.00")]);
    ok(&bank, deposit("a", "1.00", "fine"));
    assert_eq!(block_on(bank.catch_up()).unwrap(), 0);
}

#[test]
fn a_newer_schema_line_is_newer_version_and_a_bad_line_is_corrupt() {
    let newer = unreadable_line(
        "key sagabank/x/event/7",
        EnvelopeError::Decode(DecodeError::FutureSchema(NEWER)),
    );
    assert_eq!(
        newer,
        StoreError::NewerVersion(format!(
            "key sagabank/x/event/7 has event schema version 99; this build reads versions up \
             to {SCHEMA_VERSION}"
        ))
    );
    assert!(
        newer
            .to_string()
            .contains("newer version of sagabank: reload the page"),
        "{newer}"
    );
    let bad = unreadable_line(
        "event at position 3",
        EnvelopeError::Decode(DecodeError::UnknownType("Nope".into())),
    );
    assert_eq!(
        bad,
        StoreError::Corrupt("event at position 3: unknown event type \"Nope\"".into())
    );
}

#[test]
fn check_schema_passes_this_builds_events_and_stops_newer_ones() {
    let new = sagabank::store::contract::sample_event("a", 0);
    let mut event = Recorded::new(new, "account-a", 1, 1);
    assert_eq!(check_schema(&event), Ok(()));
    event.schema_version = SCHEMA_VERSION + 1;
    assert!(matches!(
        check_schema(&event),
        Err(StoreError::NewerVersion(_))
    ));
}

#[test]
fn a_newer_database_names_both_versions() {
    assert_eq!(
        newer_database("sagabank", Some(3), 2),
        StoreError::NewerVersion(
            "the IndexedDB database sagabank is at version 3; this build knows version 2".into()
        )
    );
    let unknown = newer_database("sagabank", None, 2).to_string();
    assert!(unknown.contains("a higher version"), "{unknown}");
}

#[test]
fn a_refused_open_says_storage_is_unavailable_not_that_a_connection_closed() {
    for name in ["InvalidStateError", "SecurityError"] {
        let error = open_refused(name, "A mutation operation was attempted")
            .unwrap_or_else(|| panic!("{name} on open means refused storage"));
        let text = error.to_string();
        assert!(matches!(error, StoreError::Unavailable(_)), "{error:?}");
        assert!(text.contains(REFUSED), "{text}");
        assert!(text.contains(name), "keeps the browser's own name: {text}");
        assert!(
            !text.contains("closed"),
            "no closed connection on open: {text}"
        );
        assert!(!text.contains("another tab"), "{text}");
    }
    assert_eq!(open_refused("UnknownError", "disk"), None);
    assert_eq!(open_refused("VersionError", "too new"), None);
    // On a connection that was open, InvalidStateError keeps its own wording.
    let closed = connection_closed("cannot read the log", "The database connection is closing.");
    assert!(
        closed
            .to_string()
            .contains("the database connection is closed"),
        "{closed}"
    );
}

#[test]
fn a_local_storage_layout_without_a_version_is_version_1_and_a_newer_one_is_refused() {
    let key = "sagabank/x/layout";
    assert_eq!(LOCAL_LAYOUT, 1);
    assert_eq!(
        check_local_layout(key, None),
        Ok(()),
        "no version: today's layout"
    );
    assert_eq!(check_local_layout(key, Some("1")), Ok(()));
    assert_eq!(
        newer_message(check_local_layout(key, Some("2"))),
        "key sagabank/x/layout says layout version 2; this build reads the localStorage \
         layout version 1"
    );
    for damaged in ["", "0", "01", "one", "-1", "1.0", "99999999999"] {
        assert!(
            matches!(
                check_local_layout(key, Some(damaged)),
                Err(StoreError::Corrupt(ref m)) if m.contains(key)
            ),
            "{damaged:?} is no layout version"
        );
    }
}
