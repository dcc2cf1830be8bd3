//! The contract every [`EventStore`] adapter must keep, as plain async checks that
//! return what went wrong. Native tests run them on the memory store; the browser
//! tests run the very same checks on IndexedDB and localStorage.

use std::future::Future;
use std::rc::Rc;

use super::{EventStore, NewEvent, Recorded, StoreError, StreamSnapshot};
use crate::domain::events::{AccountOpened, MoneyDeposited};
use crate::domain::{AccountId, Event, Money};

/// A sample event for stream `account-<account>`, distinguishable by `n`.
#[must_use]
pub fn sample_event(account: &str, n: u32) -> NewEvent {
    let account_id = AccountId::parse(account).unwrap_or_else(|_| panic!("bad sample id"));
    let event = if n == 0 {
        Event::AccountOpened(AccountOpened {
            account_id,
            owner_name: "Sam <b>Sample</b>".into(),
            initial_balance: Money::ZERO,
        })
    } else {
        Event::MoneyDeposited(MoneyDeposited {
            account_id,
            amount: Money::from_cents(i64::from(n)).unwrap_or(Money::ZERO),
            transaction_id: format!("tx-{n}"),
            description: format!("deposit \"{n}\" ✓"),
            transfer_id: None,
        })
    };
    NewEvent {
        event,
        event_id: format!("e-{account}-{n}"),
        recorded_at: "2026-11-26T14:00:00.000Z".into(),
        correlation_id: format!("c-{n}"),
        causation_id: format!("k-{n}"),
    }
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(what.to_owned())
    }
}

fn positions(events: &[Rc<Recorded>]) -> Vec<u64> {
    events.iter().map(|e| e.position).collect()
}

fn versions(events: &[Rc<Recorded>]) -> Vec<u64> {
    events.iter().map(|e| e.version).collect()
}

async fn ok<T>(what: &str, f: impl Future<Output = Result<T, StoreError>>) -> Result<T, String> {
    f.await.map_err(|e| format!("{what}: {e}"))
}

/// Runs every check on fresh stores. `fresh_pair` must return two handles on one new,
/// empty database (as two tabs would have).
pub async fn run_all<S, F, Fut>(fresh_pair: F) -> Result<(), String>
where
    S: EventStore,
    F: Fn() -> Fut,
    Fut: Future<Output = (S, S)>,
{
    let (s, _) = fresh_pair().await;
    appends_get_gap_free_versions_and_positions(&s).await?;
    let (s, _) = fresh_pair().await;
    a_stale_append_is_a_conflict_and_writes_nothing(&s).await?;
    let (s, _) = fresh_pair().await;
    reads_start_where_asked_and_streams_stay_apart(&s).await?;
    let (s, _) = fresh_pair().await;
    events_come_back_exactly_as_appended(&s).await?;
    let (a, b) = fresh_pair().await;
    two_handles_racing_on_one_stream_one_wins(&a, &b).await?;
    let ((from, _), (to, _)) = (fresh_pair().await, fresh_pair().await);
    a_copied_prefix_lands_as_recorded_and_goes_on(&from, &to).await?;
    let (a, b) = fresh_pair().await;
    snapshots_are_kept_beside_the_log_and_deleted_apart(&a, &b).await?;
    Ok(())
}

/// A sample snapshot of `stream` at `version`, its state `state`.
#[must_use]
pub fn sample_snapshot(stream: &str, version: u64, state: &str) -> StreamSnapshot {
    StreamSnapshot {
        stream: stream.to_owned(),
        version,
        event_id: format!("e-{version}"),
        format: 1,
        schema: 1,
        state: state.to_owned(),
    }
}

/// Snapshots: the latest per stream, visible to a second handle, never mixed into the
/// log; deleting them all leaves every event.
pub async fn snapshots_are_kept_beside_the_log_and_deleted_apart<S: EventStore>(
    a: &S,
    b: &S,
) -> Result<(), String> {
    let stream = "account-a";
    let events = vec![sample_event("a", 0), sample_event("a", 1)];
    ok("append", a.append(stream, 0, events)).await?;
    let first = sample_snapshot(stream, 1, "{\"first\":1}");
    let second = sample_snapshot(stream, 2, "{\"second\":\"é ✓\"}");
    ok("save", a.save_snapshot(first)).await?;
    ok("save again", a.save_snapshot(second.clone())).await?;
    let read = ok("load", b.load_snapshot(stream)).await?;
    check(
        read.as_ref() == Some(&second),
        "the latest snapshot comes back as saved",
    )?;
    let other = ok("load another", b.load_snapshot("account-b")).await?;
    check(other.is_none(), "a stream without a snapshot has none")?;
    let log = ok("read all", b.read_all(1)).await?;
    check(
        positions(&log) == [1, 2],
        "snapshots are not events of the log",
    )?;
    let deleted = ok("delete", b.delete_snapshots()).await?;
    check(deleted == 1, "deleting counts the snapshots deleted")?;
    let gone = ok("load after delete", a.load_snapshot(stream)).await?;
    check(gone.is_none(), "deleted snapshots are gone")?;
    let log = ok("read all after delete", a.read_all(1)).await?;
    check(
        positions(&log) == [1, 2],
        "deleting snapshots leaves every event",
    )
}

/// Versions are 1-based and gap-free per stream; positions global and gap-free.
pub async fn appends_get_gap_free_versions_and_positions<S: EventStore>(
    s: &S,
) -> Result<(), String> {
    check(
        ok("read_all", s.read_all(1)).await?.is_empty(),
        "a new store is empty",
    )?;
    let first = ok(
        "append a",
        s.append(
            "account-a",
            0,
            vec![sample_event("a", 0), sample_event("a", 1)],
        ),
    )
    .await?;
    check(
        versions(&first) == [1, 2],
        "first append gets versions 1, 2",
    )?;
    check(
        positions(&first) == [1, 2],
        "first append gets positions 1, 2",
    )?;
    let second = ok(
        "append b",
        s.append("account-b", 0, vec![sample_event("b", 0)]),
    )
    .await?;
    check(
        versions(&second) == [1],
        "another stream starts at version 1",
    )?;
    check(
        positions(&second) == [3],
        "positions continue across streams",
    )?;
    let third = ok(
        "append a again",
        s.append("account-a", 2, vec![sample_event("a", 2)]),
    )
    .await?;
    check(
        versions(&third) == [3] && positions(&third) == [4],
        "a stream continues at its next version and the next position",
    )?;
    let none = ok("empty append", s.append("account-a", 3, vec![])).await?;
    check(none.is_empty(), "an empty append stores nothing")?;
    let all = ok("read_all", s.read_all(1)).await?;
    check(
        positions(&all) == [1, 2, 3, 4],
        "read_all returns every event in commit order",
    )?;
    Ok(())
}

/// A stale or future expected version is refused, and nothing of the append lands.
pub async fn a_stale_append_is_a_conflict_and_writes_nothing<S: EventStore>(
    s: &S,
) -> Result<(), String> {
    ok("open", s.append("account-a", 0, vec![sample_event("a", 0)])).await?;
    let stale = s
        .append(
            "account-a",
            0,
            vec![sample_event("a", 1), sample_event("a", 2)],
        )
        .await;
    check(
        matches!(
            stale,
            Err(StoreError::Conflict {
                expected: 0,
                actual: 1,
                ..
            })
        ),
        &format!("a stale append is a conflict, got {stale:?}"),
    )?;
    let ahead = s.append("account-a", 5, vec![sample_event("a", 3)]).await;
    check(
        matches!(
            ahead,
            Err(StoreError::Conflict {
                expected: 5,
                actual: 1,
                ..
            })
        ),
        &format!("an append ahead of the stream is a conflict, got {ahead:?}"),
    )?;
    let missing = s
        .append("account-new", 1, vec![sample_event("new", 0)])
        .await;
    check(
        matches!(
            missing,
            Err(StoreError::Conflict {
                expected: 1,
                actual: 0,
                ..
            })
        ),
        "expecting version 1 of a missing stream is a conflict",
    )?;
    let all = ok("read_all", s.read_all(1)).await?;
    check(all.len() == 1, "refused appends write nothing at all")?;
    let next = ok(
        "append after conflicts",
        s.append("account-a", 1, vec![sample_event("a", 1)]),
    )
    .await?;
    check(
        positions(&next) == [2],
        "positions stay gap-free after refused appends",
    )?;
    Ok(())
}

/// `from` arguments are honoured and one stream's name never matches another's.
pub async fn reads_start_where_asked_and_streams_stay_apart<S: EventStore>(
    s: &S,
) -> Result<(), String> {
    ok("a", s.append("account-a", 0, vec![sample_event("a", 0)])).await?;
    ok("ab", s.append("account-ab", 0, vec![sample_event("ab", 0)])).await?;
    ok(
        "a2",
        s.append(
            "account-a",
            1,
            vec![sample_event("a", 1), sample_event("a", 2)],
        ),
    )
    .await?;
    let a = ok("read a", s.read_stream("account-a", 1)).await?;
    check(
        versions(&a) == [1, 2, 3],
        "read_stream returns only that stream",
    )?;
    check(
        a.iter().all(|e| e.stream == "account-a"),
        "a stream's events carry its name",
    )?;
    let tail = ok("read a from 2", s.read_stream("account-a", 2)).await?;
    check(
        versions(&tail) == [2, 3],
        "read_stream starts at from_version",
    )?;
    let none = ok("read missing", s.read_stream("account-zz", 1)).await?;
    check(none.is_empty(), "a missing stream reads as empty")?;
    let past = ok("read past end", s.read_stream("account-a", 9)).await?;
    check(past.is_empty(), "reading past a stream's end gives nothing")?;
    let from3 = ok("read_all from 3", s.read_all(3)).await?;
    check(
        positions(&from3) == [3, 4],
        "read_all starts at from_position",
    )?;
    Ok(())
}

/// Every field of the envelope and the event survives storage unchanged.
pub async fn events_come_back_exactly_as_appended<S: EventStore>(s: &S) -> Result<(), String> {
    let sent = vec![sample_event("a", 0), sample_event("a", 7)];
    ok("append", s.append("account-a", 0, sent.clone())).await?;
    let back = ok("read", s.read_stream("account-a", 1)).await?;
    check(back.len() == 2, "both events come back")?;
    for (new, stored) in sent.iter().zip(&back) {
        check(stored.event == new.event, "the event is unchanged")?;
        check(stored.event_id == new.event_id, "the event id is kept")?;
        check(stored.recorded_at == new.recorded_at, "the time is kept")?;
        check(
            stored.correlation_id == new.correlation_id,
            "the correlation id is kept",
        )?;
        check(
            stored.causation_id == new.causation_id,
            "the causation id is kept",
        )?;
        check(
            stored.schema_version == crate::domain::SCHEMA_VERSION,
            "the schema version is current",
        )?;
    }
    Ok(())
}

/// Two handles on one database append to the same stream at the same version:
/// exactly one wins, the other gets a conflict, and both then see the winner.
pub async fn two_handles_racing_on_one_stream_one_wins<S: EventStore>(
    a: &S,
    b: &S,
) -> Result<(), String> {
    ok("open", a.append("account-a", 0, vec![sample_event("a", 0)])).await?;
    let seen_by_b = ok("b reads", b.read_stream("account-a", 1)).await?;
    check(
        seen_by_b.len() == 1,
        "the second handle sees the first one's append",
    )?;
    let (ra, rb) = futures::join!(
        a.append("account-a", 1, vec![sample_event("a", 1)]),
        b.append("account-a", 1, vec![sample_event("a", 2)]),
    );
    let wins = usize::from(ra.is_ok()) + usize::from(rb.is_ok());
    check(
        wins == 1,
        &format!("exactly one racer wins, got {ra:?} and {rb:?}"),
    )?;
    let loser = if ra.is_ok() { rb } else { ra };
    check(
        matches!(loser, Err(StoreError::Conflict { .. })),
        "the loser gets a conflict",
    )?;
    for handle in [a, b] {
        let all = ok("read_all", handle.read_all(1)).await?;
        check(
            positions(&all) == [1, 2] && versions(&all) == [1, 2],
            "both handles see one winner, nothing overwritten",
        )?;
    }
    Ok(())
}

/// The bulk copy a fork makes: the first events of one log, written with
/// [`EventStore::restore`] into an empty store, come back exactly as recorded, every
/// stream goes on from its copied version, and a copy onto a log that is not empty is
/// refused, writing nothing.
pub async fn a_copied_prefix_lands_as_recorded_and_goes_on<S: EventStore>(
    from: &S,
    to: &S,
) -> Result<(), String> {
    for (account, n) in [("a", 0), ("b", 0), ("a", 1), ("c", 0), ("b", 1), ("a", 2)] {
        let stream = format!("account-{account}");
        let version = ok("version", from.read_stream(&stream, 1)).await?.len() as u64;
        ok(
            "append",
            from.append(&stream, version, vec![sample_event(account, n)]),
        )
        .await?;
    }
    let log = ok("read_all", from.read_all(1)).await?;
    let prefix: Vec<Recorded> = log[..5].iter().map(|r| Recorded::clone(r)).collect();
    ok("copy", to.restore(&prefix)).await?;
    let back = ok("read the copy", to.read_all(1)).await?;
    check(back.len() == 5, "the copy holds the prefix, nothing more")?;
    for (copied, original) in back.iter().zip(&log) {
        check(
            **copied == **original,
            "each copied event is exactly as recorded",
        )?;
    }
    let next = ok(
        "append to the copy",
        to.append("account-b", 2, vec![sample_event("b", 9)]),
    )
    .await?;
    check(
        next[0].version == 3 && next[0].position == 6,
        "a copied stream goes on from its version",
    )?;
    let stale = to.append("account-a", 1, vec![sample_event("a", 9)]).await;
    check(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "a copied stream knows its version (a stale append is a conflict)",
    )?;
    check(
        to.restore(&prefix).await.is_err(),
        "a copy onto a log that is not empty is refused",
    )?;
    let after = ok("read again", to.read_all(1)).await?;
    check(after.len() == 6, "the refused copy wrote nothing")?;
    let source = ok("read the source", from.read_all(1)).await?;
    check(source == log, "the source log is untouched")
}
