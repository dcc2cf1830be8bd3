//! Scenarios 29-30 and the read models: the audit trail, statements, live versus
//! rebuilt models, time travel, and subscribers.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use futures::executor::block_on;
use pretty_assertions::assert_eq;
use sagabank::app::projections::{StatementLine, TimelineKind};
use sagabank::app::{CrashPoint, FaultPlan, ReadModels};
use sagabank::domain::transfer::TransferState;
use sagabank::domain::{Event, SagaStep};

use crate::support::*;

// 29 ------------------------------------------------------------------------------

#[test]
fn every_stored_event_appears_once_in_the_audit_trail_in_commit_order() {
    let bank = new_bank();
    busy(&bank);
    let stored = log(bank.store());
    let audit: Vec<_> = bank.read(|m| m.audit.clone());
    assert_eq!(audit, stored, "the audit trail is the log, each event once");

    let positions: Vec<u64> = audit.iter().map(|r| r.position).collect();
    let expected: Vec<u64> = (1..=audit.len() as u64).collect();
    assert_eq!(positions, expected, "global positions are gap-free");

    let ids: HashSet<&str> = audit.iter().map(|r| r.event_id.as_str()).collect();
    assert_eq!(ids.len(), audit.len(), "event ids are unique");

    let mut versions: HashMap<&str, Vec<u64>> = HashMap::new();
    for r in &audit {
        versions.entry(&r.stream).or_default().push(r.version);
    }
    for (stream, versions) in versions {
        let expected: Vec<u64> = (1..=versions.len() as u64).collect();
        assert_eq!(versions, expected, "{stream}'s versions are gap-free");
    }

    for pair in audit.windows(2) {
        assert!(
            pair[0].recorded_at <= pair[1].recorded_at,
            "time never goes back"
        );
    }
    for r in &audit {
        assert!(
            Event::TYPES.contains(&r.event_type()),
            "{} is a known type",
            r.event_type()
        );
        assert!(
            r.recorded_at.starts_with("2026-11-26T14:00:00.") && r.recorded_at.ends_with('Z'),
            "{} is an RFC 3339 time from the fixed clock",
            r.recorded_at
        );
    }
}

#[test]
fn a_transfers_events_are_linked_by_correlation_and_causation() {
    let bank = new_bank();
    busy(&bank);
    let audit = log(bank.store());
    let event_ids: HashSet<&str> = audit.iter().map(|r| r.event_id.as_str()).collect();

    let transfers: Vec<String> = bank.read(|m| m.transfers.keys().map(|t| t.to_string()).collect());
    assert_eq!(transfers.len(), 6);
    for t in &transfers {
        let linked: Vec<_> = audit.iter().filter(|r| r.correlation_id == *t).collect();
        let expected: Vec<_> = audit
            .iter()
            .filter(|r| r.event.transfer_id() == Some(&tid(t)))
            .collect();
        assert_eq!(
            linked, expected,
            "{t}: its correlation id marks exactly its events and its legs"
        );
        assert!(
            !event_ids.contains(linked[0].causation_id.as_str()),
            "{t}: the first event is caused by the command, not by an event"
        );
        for (i, r) in linked.iter().enumerate().skip(1) {
            let earlier: Vec<&str> = linked[..i].iter().map(|e| e.event_id.as_str()).collect();
            assert!(
                earlier.contains(&r.causation_id.as_str()),
                "{t}: {} is caused by one of the transfer's earlier events",
                r.event_type()
            );
        }
    }

    // Uninterrupted, each event is caused by the one just before it.
    let chain: Vec<_> = audit
        .iter()
        .filter(|r| r.correlation_id == "transfer-789")
        .collect();
    assert_eq!(
        chain.iter().map(|r| r.event_type()).collect::<Vec<_>>(),
        [
            "TransferInitiated",
            "MoneyWithdrawn",
            "TransferDebited",
            "MoneyDeposited",
            "TransferCompleted"
        ]
    );
    for pair in chain.windows(2) {
        assert_eq!(
            pair[1].causation_id,
            pair[0].event_id,
            "{} is caused by {}",
            pair[1].event_type(),
            pair[0].event_type()
        );
    }

    // A plain command's event is its own correlation and is caused by the command.
    for r in audit.iter().filter(|r| r.event.transfer_id().is_none()) {
        assert_eq!(r.correlation_id, r.causation_id, "{}", r.event_type());
        assert!(!event_ids.contains(r.causation_id.as_str()));
    }
}

// 30 ------------------------------------------------------------------------------

fn statement(bank: &TestBank, id: &str) -> Vec<StatementLine> {
    bank.read(|m| m.accounts[&acct(id)].statement.clone())
}

/// `(type, amount, balance after, transfer)` of each statement line.
fn lines(bank: &TestBank, id: &str) -> Vec<(&'static str, String, String, Option<String>)> {
    statement(bank, id)
        .into_iter()
        .map(|l| {
            (
                l.event_type,
                l.amount.to_string(),
                l.balance_after.to_string(),
                l.transfer_id.map(|t| t.to_string()),
            )
        })
        .collect()
}

fn line(
    event_type: &'static str,
    amount: &str,
    after: &str,
    transfer: Option<&str>,
) -> (&'static str, String, String, Option<String>) {
    (
        event_type,
        amount.into(),
        after.into(),
        transfer.map(Into::into),
    )
}

#[test]
fn a_statement_lists_each_movement_with_the_running_balance_and_its_transfer() {
    let bank = bank_with(&[
        ("a", "Ann", "100.00"),
        ("b", "Ben", "0.00"),
        ("shut", "Sam", "0.00"),
    ]);
    ok(&bank, close("shut"));
    ok(&bank, deposit("a", "50.00", "salary"));
    ok(&bank, transfer("t1", "a", "b", "30.00", "rent"));
    ok(&bank, transfer("t2", "a", "shut", "10.00", ""));
    ok(&bank, suspend("a", "holiday"));
    assert_eq!(
        lines(&bank, "a"),
        [
            line("AccountOpened", "100.00", "100.00", None),
            line("MoneyDeposited", "50.00", "150.00", None),
            line("MoneyWithdrawn", "-30.00", "120.00", Some("t1")),
            line("MoneyWithdrawn", "-10.00", "110.00", Some("t2")),
            line("MoneyDeposited", "10.00", "120.00", Some("t2")),
            line("AccountSuspended", "0.00", "120.00", None),
        ]
    );
    assert_eq!(
        lines(&bank, "b"),
        [
            line("AccountOpened", "0.00", "0.00", None),
            line("MoneyDeposited", "30.00", "30.00", Some("t1")),
        ]
    );
    let descriptions: Vec<String> = statement(&bank, "a")
        .into_iter()
        .map(|l| l.description)
        .collect();
    assert_eq!(descriptions[1], "salary");
    assert!(descriptions[2].contains("t1"), "{descriptions:?}");
    assert!(descriptions[5].contains("holiday"), "{descriptions:?}");
    assert_eq!(
        lines(&bank, "shut"),
        [
            line("AccountOpened", "0.00", "0.00", None),
            line("AccountClosed", "0.00", "0.00", None),
        ],
        "a refused credit leaves no line on the destination"
    );
}

#[test]
fn every_statement_adds_up_and_links_to_transfers_that_exist() {
    let bank = new_bank();
    busy(&bank);
    let models = bank.models();
    assert_eq!(models.accounts.len(), 3);
    for (id, account) in &models.accounts {
        let mut running = sagabank::domain::Money::ZERO;
        for (i, l) in account.statement.iter().enumerate() {
            running = running.checked_add(l.amount).unwrap();
            assert_eq!(l.balance_after, running, "{id} line {i}");
            assert_eq!(l.version, i as u64 + 1, "{id}: one line per event");
            if let Some(t) = &l.transfer_id {
                let view = &models.transfers[t];
                assert!(
                    view.timeline.iter().any(|e| e.position == l.position),
                    "{id} line {i} appears in {t}'s timeline"
                );
            }
        }
        assert_eq!(
            running, account.balance,
            "{id}: the last line is the balance"
        );
        assert_eq!(account.version, account.statement.len() as u64);
    }
}

#[test]
fn live_read_models_equal_a_rebuild_of_the_whole_log() {
    let bank = new_bank();
    busy(&bank);
    assert_models_match_log(&bank);
    let reloaded = bank_on(bank.store(), "r");
    assert_eq!(reloaded.models(), bank.models(), "a reload sees the same");

    // Sanity: the busy log really went through every path.
    let labels: Vec<&str> = bank.read(|m| m.transfers.values().map(|t| t.state.label()).collect());
    for label in ["completed", "failed", "compensated"] {
        assert!(labels.contains(&label), "{label} in {labels:?}");
    }
    let kinds: Vec<TimelineKind> = bank.read(|m| {
        m.transfers
            .values()
            .flat_map(|t| t.timeline.iter().map(|e| e.kind))
            .collect()
    });
    for kind in [
        TimelineKind::Retried(SagaStep::Credit),
        TimelineKind::Leg(SagaStep::Refund),
        TimelineKind::Reversed,
        TimelineKind::CreditRejected,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} happened");
    }
}

#[test]
fn another_tabs_events_are_caught_up_in_order() {
    let tab1 = new_bank();
    busy(&tab1);
    let tab2 = bank_on(tab1.store(), "tab2");
    ok(&tab2, deposit("bob-456", "1.00", "from tab 2"));
    ok(
        &tab2,
        transfer("t-tab2", "bob-456", "alice-123", "2.00", ""),
    );
    assert_eq!(block_on(tab1.catch_up()).unwrap(), 6);
    assert_eq!(
        block_on(tab1.catch_up()).unwrap(),
        0,
        "nothing is applied twice"
    );
    assert_eq!(tab1.models(), tab2.models());
    assert_models_match_log(&tab1);
    // tab1 then writes on top of what tab2 wrote, without a conflict.
    ok(&tab1, withdraw("bob-456", "1.00", ""));
    assert_models_match_log(&tab1);
}

#[test]
fn time_travel_shows_the_bank_as_of_any_position() {
    let bank = bank_with(&[
        ("alice-123", "Alice", "1000.00"),
        ("bob-456", "Bob", "500.00"),
    ]);
    ok(
        &bank,
        transfer(
            "transfer-789",
            "alice-123",
            "bob-456",
            "250.00",
            "Payment for services",
        ),
    );
    ok(
        &bank,
        transfer("transfer-999", "bob-456", "alice-123", "10000.00", ""),
    );
    let now = bank.models();
    assert_eq!(now.last_position, 9);

    assert_eq!(now.as_of(0), ReadModels::default());
    let at = |n: u64| {
        let past = now.as_of(n);
        assert_eq!(past.last_position, n);
        let balances: Vec<String> = past
            .accounts
            .values()
            .map(|a| a.balance.to_string())
            .collect();
        let transfers: Vec<&'static str> =
            past.transfers.values().map(|t| t.state.label()).collect();
        (balances, transfers)
    };
    assert_eq!(at(2), (vec!["1000.00".into(), "500.00".into()], vec![]));
    assert_eq!(
        at(3),
        (vec!["1000.00".into(), "500.00".into()], vec!["initiated"])
    );
    assert_eq!(
        at(4),
        (vec!["750.00".into(), "500.00".into()], vec!["initiated"])
    );
    assert_eq!(
        at(5),
        (vec!["750.00".into(), "500.00".into()], vec!["debited"])
    );
    assert_eq!(
        at(6),
        (vec!["750.00".into(), "750.00".into()], vec!["debited"])
    );
    assert_eq!(
        at(7),
        (vec!["750.00".into(), "750.00".into()], vec!["completed"])
    );
    assert_eq!(
        at(8),
        (
            vec!["750.00".into(), "750.00".into()],
            vec!["completed", "initiated"]
        )
    );
    assert_eq!(
        at(9),
        (
            vec!["750.00".into(), "750.00".into()],
            vec!["completed", "failed"]
        )
    );
    assert_eq!(now.as_of(9), now);
    assert_eq!(now.as_of(1000), now, "beyond the end is now");
    assert_eq!(bank.models(), now, "time travel changes nothing");

    let all = log_rc(bank.store());
    for n in 0..=9 {
        assert_eq!(
            now.as_of(n as u64),
            ReadModels::rebuild(&all[..n]),
            "as of {n}"
        );
    }
}

#[test]
fn a_transfer_view_follows_the_saga_and_keeps_its_failure_reason() {
    let bank = bank_with(&[("a", "Ann", "5.00"), ("b", "Ben", "0.00")]);
    ok(&bank, transfer("t1", "a", "b", "30.00", "too much"));
    bank.read(|m| {
        let view = &m.transfers[&tid("t1")];
        assert_eq!(view.from_account_id, acct("a"));
        assert_eq!(view.to_account_id, acct("b"));
        assert_eq!(view.amount, money("30.00"));
        assert_eq!(view.description, "too much");
        assert!(matches!(view.state, TransferState::Failed { .. }));
        let reason = view.reason().expect("a failed transfer has a reason");
        assert!(
            reason.contains("insufficient balance: 5.00 < 30.00"),
            "{reason}"
        );
        assert_eq!(
            view.timeline.iter().map(|e| e.kind).collect::<Vec<_>>(),
            [TimelineKind::Initiated, TimelineKind::Failed]
        );
        assert!(view.timeline[1].summary.contains("insufficient balance"));
        assert_eq!(m.unfinished_transfers(), []);
    });
}

// Subscribers ---------------------------------------------------------------------

fn record_positions(bank: &TestBank) -> Rc<RefCell<Vec<Vec<u64>>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&seen);
    bank.subscribe(move |batch| {
        sink.borrow_mut()
            .push(batch.iter().map(|r| r.position).collect());
    });
    seen
}

#[test]
fn subscribers_get_every_event_once_in_order() {
    let bank = new_bank();
    let seen = record_positions(&bank);
    busy(&bank);
    let batches = seen.borrow().clone();
    assert!(batches.iter().all(|b| !b.is_empty()), "no empty batches");
    let flat: Vec<u64> = batches.into_iter().flatten().collect();
    let expected: Vec<u64> = (1..=bank.store().len() as u64).collect();
    assert_eq!(flat, expected);
}

#[test]
fn subscribers_hear_of_another_tabs_events_on_catch_up_and_nothing_of_rejections() {
    let tab1 = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    let seen = record_positions(&tab1);
    rejected(&tab1, withdraw("a", "500.00", ""));
    assert!(seen.borrow().is_empty(), "a rejection publishes nothing");

    let tab2 = bank_on(tab1.store(), "tab2");
    ok(&tab2, transfer("t1", "a", "b", "10.00", ""));
    assert!(seen.borrow().is_empty(), "not yet caught up");
    block_on(tab1.catch_up()).unwrap();
    ok(&tab1, deposit("b", "1.00", ""));
    let flat: Vec<u64> = seen.borrow().iter().flatten().copied().collect();
    assert_eq!(flat, (3..=8).collect::<Vec<u64>>());
}

#[test]
fn a_reloaded_bank_publishes_what_it_resumes() {
    let bank = bank_with(&[("a", "Ann", "100.00"), ("b", "Ben", "0.00")]);
    bank.inject(
        &tid("t1"),
        FaultPlan {
            crash: Some(CrashPoint::AfterStep(SagaStep::Debit)),
            ..FaultPlan::default()
        },
    );
    assert!(exec(&bank, transfer("t1", "a", "b", "10.00", "")).is_err());
    let reloaded = bank_on(bank.store(), "r");
    let seen = record_positions(&reloaded);
    block_on(reloaded.resume_all(&[])).unwrap();
    let flat: Vec<u64> = seen.borrow().iter().flatten().copied().collect();
    assert_eq!(flat, [6, 7], "the credit and the completion");
    assert_models_match_log(&reloaded);
}
