//! When compensation fails: a refund refused because the source was closed (or
//! suspended) while the money was out leaves the transfer needing attention, loudly,
//! with the money accounted for; an operator's retry, with a reason, into the source
//! once it takes money again or into another account of the same owner, makes the
//! money whole. Every position of the log conserves money.

use futures::executor::block_on;
use pretty_assertions::assert_eq;
use rust_decimal::Decimal;
use sagabank::app::import::parse_log;
use sagabank::app::scenario_catalog::{find, prepare};
use sagabank::app::{BankError, ReadModels, TransferStatus};
use sagabank::domain::events::Event;
use sagabank::domain::transfer::{TransferError, TransferState};

use crate::support::*;

/// The "needs attention" scenario of the page, run on to where it stops: alice's
/// whole 40.00 went out to a closed account, alice was closed while the money was
/// out, and the refund was refused.
fn needing_attention() -> TestBank {
    let bank = new_bank();
    let scenario = find("needs-attention").expect("the scenario");
    let shown = block_on(prepare(&bank, scenario)).unwrap();
    assert_eq!(shown, Some(tid("t1")));
    let waiting = bank.read(|m| m.transfers[&tid("t1")].state.label());
    assert_eq!(waiting, "debited", "the scenario waits with the money out");
    assert_eq!(
        status(&bank, "alice"),
        sagabank::domain::AccountStatus::Closed
    );
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    bank
}

fn state(bank: &TestBank) -> TransferState {
    bank.read(|m| m.transfers[&tid("t1")].state.clone())
}

/// Balances plus the money a transfer's legs took out and did not yet pay back in, as
/// of every position of the log from the first transfer on: it never changes here (no
/// money comes from outside after the accounts are opened).
fn money_at_every_position(bank: &TestBank) -> Vec<Decimal> {
    let models = ReadModels::rebuild(&log_rc(bank.store()));
    let mut out = Decimal::ZERO;
    let mut totals = Vec::new();
    for (i, r) in models.audit.iter().enumerate() {
        match &r.event {
            Event::MoneyWithdrawn(e) if e.transfer_id.is_some() => out += e.amount.to_decimal(),
            Event::MoneyDeposited(e) if e.transfer_id.is_some() => out -= e.amount.to_decimal(),
            _ => {}
        }
        if r.event_type() != "AccountOpened" {
            totals.push(models.as_of(i as u64 + 1).total_balance() + out);
        }
    }
    totals
}

#[test]
fn a_refund_refused_by_a_closed_source_leaves_the_transfer_needing_attention() {
    let bank = needing_attention();
    assert!(matches!(
        state(&bank),
        TransferState::CompensationFailed { .. }
    ));
    assert_eq!(
        TransferStatus::of(&state(&bank)),
        TransferStatus::NeedsAttention
    );
    assert_eq!(
        events_of(bank.store(), &transfer_stream("t1")),
        [
            "TransferInitiated",
            "TransferDebited",
            "TransferCreditRejected",
            "TransferCompensationFailed"
        ]
    );
    // The money is not lost: it is out of alice and said to be so.
    assert_eq!(balance(&bank, "alice"), "0.00");
    assert_eq!(balance(&bank, "alice-savings"), "0.00");
    let reason = bank.read(|m| m.transfers[&tid("t1")].reason().unwrap().to_owned());
    assert!(reason.contains("alice is still debited 40.00"), "{reason}");
    // Nothing runs it on by itself: a restart resumes nothing.
    assert!(block_on(bank.resume_all(&[tid("t1")])).unwrap().is_empty());
    assert!(money_at_every_position(&bank)
        .iter()
        .all(|m| *m == Decimal::from(40)));
}

#[test]
fn an_operators_refund_into_another_account_of_the_owner_makes_the_money_whole() {
    let bank = needing_attention();
    let fix = block_on(bank.retry_refund(
        &tid("t1"),
        &acct("alice-savings"),
        "  alice was closed; refund to her savings  ",
    ))
    .unwrap();
    assert_eq!(
        types(&fix),
        ["TransferRefundRetried"],
        "stepped by hand: it waits"
    );
    let Event::TransferRefundRetried(e) = &fix.events[0].event else {
        panic!("{:?}", fix.events[0].event)
    };
    assert_eq!(e.reason, "alice was closed; refund to her savings");
    assert_eq!(e.refund_account_id, acct("alice-savings"));
    assert_eq!(
        TransferStatus::of(&state(&bank)),
        TransferStatus::InProgress
    );
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    assert_eq!(
        events_of(bank.store(), &transfer_stream("t1"))[4..],
        [
            "TransferRefundRetried",
            "TransferReversed",
            "TransferFailed"
        ]
    );
    assert_eq!(
        events_of(bank.store(), &account_stream("alice-savings")),
        ["AccountOpened", "MoneyDeposited"]
    );
    assert_eq!(balance(&bank, "alice-savings"), "40.00");
    assert_eq!(balance(&bank, "alice"), "0.00");
    assert_eq!(
        TransferStatus::of(&state(&bank)),
        TransferStatus::Compensated
    );
    let kinds = bank.read(|m| {
        m.transfers[&tid("t1")]
            .timeline
            .iter()
            .map(|e| e.summary.clone())
            .collect::<Vec<_>>()
    });
    assert!(
        kinds
            .iter()
            .any(|s| s == "40.00 paid back to alice-savings"),
        "{kinds:?}"
    );
    assert!(money_at_every_position(&bank)
        .iter()
        .all(|m| *m == Decimal::from(40)));
    assert_models_match_log(&bank);
    // The whole path exports and imports again, through every check of an import.
    let text: Vec<String> = log(bank.store()).iter().map(|r| r.to_json_line()).collect();
    assert!(parse_log(&text.join("\n")).is_ok());
}

#[test]
fn a_suspended_source_is_reactivated_and_the_refund_retried_into_it() {
    let bank = bank_with(&[("ann", "Ann", "10.00"), ("carol", "Carol", "0.00")]);
    ok(&bank, close("carol"));
    block_on(bank.start_transfer(transfer("t1", "ann", "carol", "10.00", ""))).unwrap();
    block_on(bank.step(&tid("t1"))).unwrap();
    ok(&bank, suspend("ann", "fraud check"));
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    assert!(matches!(
        state(&bank),
        TransferState::CompensationFailed { .. }
    ));
    // Retried while ann is still suspended: refused again, and it needs attention again.
    block_on(bank.retry_refund(&tid("t1"), &acct("ann"), "try again")).unwrap();
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    assert!(matches!(
        state(&bank),
        TransferState::CompensationFailed { .. }
    ));
    ok(&bank, reactivate("ann"));
    block_on(bank.retry_refund(&tid("t1"), &acct("ann"), "ann is active again")).unwrap();
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    assert_eq!(balance(&bank, "ann"), "10.00");
    assert_eq!(
        events_of(bank.store(), &transfer_stream("t1"))[3..],
        [
            "TransferCompensationFailed",
            "TransferRefundRetried",
            "TransferCompensationFailed",
            "TransferRefundRetried",
            "TransferReversed",
            "TransferFailed"
        ]
    );
    assert!(money_at_every_position(&bank)
        .iter()
        .all(|m| *m == Decimal::from(10)));
    assert_models_match_log(&bank);
}

#[test]
fn an_operators_fix_is_refused_without_a_reason_for_another_owner_or_the_destination() {
    let bank = needing_attention();
    ok(&bank, open("bob", "Bob", "0.00"));
    let before = bank.store().len();
    let fix = |to: &str, reason: &str| {
        block_on(bank.retry_refund(&tid("t1"), &acct(to), reason)).unwrap_err()
    };
    assert_eq!(
        fix("alice-savings", "   ").to_string(),
        "an operator's fix needs a reason"
    );
    assert_eq!(
        fix("bob", "why not").to_string(),
        "bob is not an account of the owner of alice: a refund goes back to the payer"
    );
    assert_eq!(
        fix("nobody", "why not").to_string(),
        "nobody is not an account of the owner of alice: a refund goes back to the payer"
    );
    assert!(matches!(
        fix("carol", "just pay it"),
        BankError::Transfer(TransferError::RefundToDestination { .. })
    ));
    assert_eq!(bank.store().len(), before, "nothing was written");
    // A transfer that does not need attention takes no operator's fix.
    ok(&bank, open("dan", "Dan", "5.00"));
    ok(&bank, open("dan-2", "Dan", "0.00"));
    ok(&bank, transfer("t2", "dan", "alice-savings", "1.00", ""));
    let err = block_on(bank.retry_refund(&tid("t2"), &acct("dan-2"), "no")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "transfer t2 is completed: it does not expect this step"
    );
}

#[test]
fn an_imported_operators_refund_into_another_owners_account_is_refused() {
    let bank = needing_attention();
    ok(&bank, open("bob", "Bob", "0.00"));
    block_on(bank.retry_refund(&tid("t1"), &acct("alice-savings"), "closed")).unwrap();
    let text: Vec<String> = log(bank.store())
        .iter()
        .map(|r| {
            r.to_json_line().replace(
                "\"refund_account_id\":\"alice-savings\"",
                "\"refund_account_id\":\"bob\"",
            )
        })
        .collect();
    let err = parse_log(&text.join("\n")).unwrap_err();
    assert!(
        err.reason.contains("not an account of the owner of alice"),
        "{err}"
    );
}

#[test]
fn the_operators_fix_is_written_as_json_and_read_back() {
    use sagabank::domain::events::{EventData, EventType, TransferRefundRetried};
    use sagabank::domain::SCHEMA_VERSION;
    let event = Event::TransferRefundRetried(TransferRefundRetried {
        transfer_id: tid("t1"),
        from_account_id: acct("alice"),
        refund_account_id: acct("alice-savings"),
        amount: money("40.00"),
        reason: "alice was closed".into(),
    });
    // Written in the fields' declared order, as the log stores it.
    let json = serde_json::to_string(&EventData(&event)).unwrap();
    assert_eq!(
        json,
        r#"{"transfer_id":"t1","from_account_id":"alice","refund_account_id":"alice-savings","amount":"40.00","reason":"alice was closed"}"#
    );
    assert_eq!(
        Event::decode("TransferRefundRetried", SCHEMA_VERSION, &json).unwrap(),
        event
    );
    let missing = json.replace(r#""refund_account_id":"alice-savings","#, "");
    let err = Event::decode("TransferRefundRetried", SCHEMA_VERSION, &missing).unwrap_err();
    assert!(err.to_string().contains("refund_account_id"), "{err}");
    assert!(EventType::TransferRefundRetried
        .why()
        .starts_with("An operator's fix"));
}

#[test]
fn time_travel_shows_the_money_gone_while_out_and_the_operators_fix_as_a_change() {
    use sagabank::app::views::time_travel::TimeFold;
    let bank = needing_attention();
    block_on(bank.retry_refund(&tid("t1"), &acct("alice-savings"), "alice was closed")).unwrap();
    block_on(bank.run_transfer(&tid("t1"))).unwrap();
    let models = bank.models();
    let at = |ty: &str| {
        models
            .audit
            .iter()
            .find(|r| r.event_type() == ty)
            .map(|r| r.position)
            .unwrap()
    };
    let mut slot = None;
    // While the money was out, the bank's total was 40.00 short: no isolation.
    let stuck = TimeFold::snapshot(&mut slot, &models, at("TransferCompensationFailed"));
    assert_eq!(stuck.total, "0.00");
    let fixed = TimeFold::snapshot(&mut slot, &models, at("TransferRefundRetried"));
    let diff = fixed.diff.unwrap();
    assert_eq!(diff.changes.len(), 1);
    assert_eq!(
        (
            diff.changes[0].before.as_str(),
            diff.changes[0].after.as_str()
        ),
        ("needs attention", "refund retried by an operator")
    );
    assert_eq!(
        diff.summary.as_deref(),
        Some("an operator retried the refund into alice-savings: alice was closed")
    );
    let end = TimeFold::snapshot(&mut slot, &models, models.last_position);
    assert_eq!(end.total, "40.00", "the money is whole again");
}
