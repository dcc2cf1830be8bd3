//! Tests of the saga's steps as the timeline shows them ([`super`]).

use super::*;
use crate::app::{Bank, Env, FaultPlan};
use crate::domain::account::{CloseAccount, OpenAccount, SuspendAccount};
use crate::domain::{AccountId, BankCommand, Money, RunMode, TransferId, TransferMoney};
use crate::store::MemoryStore;
use futures::executor::block_on;

fn id(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

/// Each span of a lane: its key and its status in words.
type Lane = Vec<(&'static str, &'static str)>;

/// Given Ann (100.00) and Ben (0.00, closed if `closed`), transfer `t` of 10.00
/// started by hand and stepped `steps` times; the statuses of both lanes.
fn statuses(closed: bool, steps: usize) -> (Lane, Lane) {
    let (bank, t) = stepped(closed, steps);
    let (main, compensation) = bank.read(|m| spans(&m.transfers[&t]));
    let words =
        |lane: Vec<Span>| -> Lane { lane.iter().map(|s| (s.key, s.status.label())).collect() };
    (words(main), words(compensation))
}

/// How the timeline describes transfer `t` after `steps` steps (see [`stepped`]).
fn described(closed: bool, steps: usize) -> String {
    let (bank, t) = stepped(closed, steps);
    bank.read(|m| describe_state(&m.transfers[&t].state))
}

#[test]
fn each_phase_is_described_by_what_comes_next_and_each_end_by_its_status() {
    assert_eq!(described(false, 0), "initiated, the debit is next");
    assert_eq!(described(false, 1), "ann debited, the credit is next");
    assert_eq!(described(false, 2), "completed");
    assert_eq!(described(true, 2), "credit rejected, refunding ann");
    assert_eq!(described(true, 4), "compensated: the debit was refunded");
}

/// The bank and transfer of [`statuses`] (the moments' tests use it too).
pub(in crate::app::views) fn stepped(
    closed: bool,
    steps: usize,
) -> (Bank<MemoryStore>, TransferId) {
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("s"))).unwrap();
    for (account, balance) in [("ann", "100.00"), ("ben", "0.00")] {
        block_on(bank.execute(BankCommand::OpenAccount(OpenAccount {
            account_id: id(account),
            owner_name: account.into(),
            initial_balance: Money::parse(balance).unwrap(),
        })))
        .unwrap();
    }
    if closed {
        block_on(bank.execute(BankCommand::CloseAccount(CloseAccount {
            account_id: id("ben"),
        })))
        .unwrap();
    }
    let t = TransferId::parse("t").unwrap();
    let command = TransferMoney {
        transfer_id: t.clone(),
        from_account_id: id("ann"),
        to_account_id: id("ben"),
        amount: Money::parse("10.00").unwrap(),
        description: String::new(),
    };
    block_on(bank.start_transfer_with(command, FaultPlan::default(), RunMode::Step)).unwrap();
    for _ in 0..steps {
        block_on(bank.step(&t)).unwrap();
    }
    (bank, t)
}

#[test]
fn a_transfer_just_started_has_its_debit_next_and_both_paths_to_come() {
    let (main, compensation) = statuses(false, 0);
    assert_eq!(
        main,
        [
            ("initiated", "done"),
            ("debit", "next"),
            ("credit", "to come"),
            ("completed", "to come")
        ]
    );
    assert_eq!(
        compensation,
        [
            ("credit-rejected", "to come"),
            ("refund", "to come"),
            ("reversed", "to come"),
            ("failed", "to come")
        ]
    );
}

#[test]
fn a_completed_transfer_has_its_compensation_not_taken() {
    let (main, compensation) = statuses(false, 2);
    assert!(main.iter().all(|(_, s)| *s == "done"), "{main:?}");
    assert!(
        compensation.iter().all(|(_, s)| *s == "not taken"),
        "{compensation:?}"
    );
}

#[test]
fn a_refused_credit_is_rejected_and_the_compensation_runs() {
    let (main, compensation) = statuses(true, 3);
    assert_eq!(
        main,
        [
            ("initiated", "done"),
            ("debit", "done"),
            ("credit", "rejected"),
            ("completed", "not taken")
        ]
    );
    assert_eq!(
        compensation,
        [
            ("credit-rejected", "done"),
            ("refund", "done"),
            ("reversed", "done"),
            ("failed", "done")
        ]
    );
}

/// The explanation of each span of both lanes, by key.
fn explains(t: &TransferView) -> std::collections::BTreeMap<&'static str, String> {
    let (main, compensation) = spans(t);
    main.into_iter()
        .chain(compensation)
        .map(|s| (s.key, s.explain))
        .collect()
}

/// Scenario `key` of the catalog, its teaching transfer stepped `steps` times.
fn scenario(key: &str, steps: usize) -> (Bank<MemoryStore>, TransferId) {
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("s"))).unwrap();
    let scenario = crate::app::scenario_catalog::find(key).unwrap();
    let t = block_on(crate::app::scenario_catalog::prepare(&bank, scenario))
        .unwrap()
        .unwrap();
    for _ in 0..steps {
        block_on(bank.step(&t)).unwrap();
    }
    (bank, t)
}

/// Issue 25: the refused debit kept the happy path's words.
#[test]
fn a_refused_debit_says_what_was_refused_and_why() {
    let (bank, t) = scenario("insufficient-funds", 1);
    let e = bank.read(|m| explains(&m.transfers[&t]));
    assert_eq!(
        e["debit"],
        "WithdrawMoney on the source was refused (insufficient balance: 100.00 < 100.01), so nothing was taken; TransferFailed records why."
    );
    assert_eq!(
        e["credit-rejected"],
        "If the destination refuses the credit, TransferCreditRejected records why."
    );
    assert_eq!(
        e["reversed"],
        "TransferReversed, the record of the refund, once the money is back in the source."
    );
}

#[test]
fn steps_not_taken_say_what_they_would_record_not_that_it_happened() {
    let (bank, t) = stepped(false, 2);
    let e = bank.read(|m| explains(&m.transfers[&t]));
    assert_eq!(e["completed"], "TransferCompleted: both legs done.");
    assert_eq!(
        e["credit-rejected"],
        "If the destination refuses the credit, TransferCreditRejected records why."
    );
    assert_eq!(
        e["reversed"],
        "TransferReversed, the record of the refund, once the money is back in the source."
    );
    let (bank, t) = stepped(true, 4);
    let e = bank.read(|m| explains(&m.transfers[&t]));
    assert_eq!(e["credit-rejected"], "The destination refused (account is closed, not active): TransferCreditRejected records why.");
    assert_eq!(
        e["reversed"],
        "TransferReversed: the record of the refund; the debit and the refund both stay in the log."
    );
    assert_eq!(
        e["completed"],
        "TransferCompleted, once both legs are done."
    );
}

#[test]
fn a_refused_refund_says_what_was_refused_and_why() {
    let (bank, t) = stepped(true, 1);
    block_on(bank.execute(BankCommand::SuspendAccount(SuspendAccount {
        account_id: id("ann"),
        reason: String::new(),
    })))
    .unwrap();
    block_on(bank.step(&t)).unwrap();
    block_on(bank.step(&t)).unwrap();
    let (e, state) = bank.read(|m| (explains(&m.transfers[&t]), m.transfers[&t].state.clone()));
    assert!(
        matches!(state, TransferState::CompensationFailed { .. }),
        "{state:?}"
    );
    assert_eq!(
        e["refund"],
        "Compensation: DepositMoney back to the source was refused (account is suspended, not active), so ann is still debited 10.00."
    );
}

#[test]
fn a_retried_step_counts_its_failed_attempts() {
    let (bank, t) = scenario("transient-failure", 2);
    let (e, said) = bank.read(|m| {
        (
            explains(&m.transfers[&t]),
            describe_state(&m.transfers[&t].state),
        )
    });
    assert_eq!(
        e["credit"],
        "DepositMoney on the destination. 1 attempt failed so far; it is tried again at the next step."
    );
    assert_eq!(
        said,
        "alice debited, the credit is next (1 attempt failed, it is tried again)"
    );
    for _ in 0..2 {
        block_on(bank.step(&t)).unwrap();
    }
    let (e, said) = bank.read(|m| {
        (
            explains(&m.transfers[&t]),
            describe_state(&m.transfers[&t].state),
        )
    });
    assert_eq!(
        e["credit"],
        "DepositMoney on the destination. It succeeded after 2 attempts failed."
    );
    assert_eq!(said, "completed");
}

#[test]
fn after_an_operators_fix_the_lane_keeps_the_refusal_and_the_fix_and_ends_reversed() {
    let (bank, t) = scenario("needs-attention", 0);
    block_on(bank.run_transfer(&t)).unwrap();
    let keys = |bank: &Bank<MemoryStore>| {
        bank.read(|m| {
            spans(&m.transfers[&t])
                .1
                .into_iter()
                .map(|s| (s.key, s.status.label()))
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(
        keys(&bank),
        [
            ("credit-rejected", "done"),
            ("refund", "rejected"),
            ("needs-attention", "rejected"),
            ("operator-fix", "to come"),
            ("failed", "not taken"),
        ]
    );
    let savings = AccountId::parse("alice-savings").unwrap();
    block_on(bank.retry_refund(&t, &savings, "alice was closed")).unwrap();
    block_on(bank.run_transfer(&t)).unwrap();
    assert_eq!(
        keys(&bank),
        [
            ("credit-rejected", "done"),
            ("refund", "done"),
            ("needs-attention", "done"),
            ("operator-fix", "done"),
            ("reversed", "done"),
            ("failed", "done"),
        ]
    );
    let e = bank.read(|m| explains(&m.transfers[&t]));
    assert_eq!(e["refund"], "Compensation: DepositMoney back to the source was refused; after an operator's retry, DepositMoney into the account the operator chose.");
}
