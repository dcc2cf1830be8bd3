//! Delivery against a real bank on the memory store: the page's read models lag,
//! catch up, wait for a write, and ignore a repeated delivery the naive projection
//! counts twice.

use futures::executor::block_on;

use super::*;
use crate::app::views::fixture::{id, money};
use crate::app::{Bank, Env};
use crate::domain::account::{DepositMoney, OpenAccount};
use crate::domain::BankCommand;
use crate::store::MemoryStore;

fn bank() -> Bank<MemoryStore> {
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("d"))).unwrap();
    block_on(bank.execute(BankCommand::OpenAccount(OpenAccount {
        account_id: id("ann"),
        owner_name: "Ann".into(),
        initial_balance: money("100.00"),
    })))
    .unwrap();
    bank
}

/// Deposits `amount` to Ann; the position the command returned.
fn deposit(bank: &Bank<MemoryStore>, delivery: &mut Delivery, amount: &str) -> u64 {
    let done = block_on(bank.execute(BankCommand::DepositMoney(DepositMoney {
        account_id: id("ann"),
        amount: money(amount),
        description: String::new(),
        transfer_id: None,
    })))
    .unwrap();
    bank.read(|log| delivery.appended(&done.events, log));
    let position = done.events.last().unwrap().position;
    delivery.wrote(position);
    position
}

fn shown(bank: &Bank<MemoryStore>, delivery: &Delivery) -> Money {
    bank.read(|log| delivery.models(log).accounts[&id("ann")].balance)
}

#[test]
fn live_shows_the_banks_own_read_models_at_once() {
    let bank = bank();
    let mut delivery = Delivery::live();
    deposit(&bank, &mut delivery, "5.00");
    assert_eq!(shown(&bank, &delivery), money("105.00"));
    assert!(bank.read(|log| std::ptr::eq(delivery.models(log), log)));
}

#[test]
fn paused_read_models_stay_stale_until_delivered_by_hand() {
    let bank = bank();
    let mut delivery = Delivery::live();
    bank.read(|log| delivery.pause(log));
    deposit(&bank, &mut delivery, "5.00");
    deposit(&bank, &mut delivery, "7.00");
    assert_eq!(bank.read(|log| log.last_position), 3);
    assert_eq!(bank.read(|log| delivery.position(log)), 1);
    assert_eq!(shown(&bank, &delivery), money("100.00"), "a stale read");
    assert_eq!(bank.read(|log| delivery.deliver_next(log)), Some(2));
    assert_eq!(shown(&bank, &delivery), money("105.00"));
    bank.read(|log| delivery.resume(log));
    assert_eq!(shown(&bank, &delivery), money("112.00"));
    assert_eq!(bank.read(|log| delivery.deliver_next(log)), None);
}

#[test]
fn a_read_that_waits_for_my_write_is_answered_once_delivery_reaches_it() {
    let bank = bank();
    let mut delivery = Delivery::live();
    bank.read(|log| delivery.pause(log));
    let mine = deposit(&bank, &mut delivery, "5.00");
    let wait = bank.read(|log| delivery.wait_for_my_write(log)).unwrap();
    assert_eq!((wait.position, wait.from, wait.done), (mine, 1, false));
    assert!(
        !delivery.waited().unwrap().done,
        "still waiting while paused"
    );
    bank.read(|log| delivery.deliver_next(log));
    let waited = delivery.waited().unwrap();
    assert!(waited.done);
    assert_eq!(shown(&bank, &delivery), money("105.00"));
}

#[test]
fn a_read_of_a_write_already_delivered_does_not_wait() {
    let bank = bank();
    let mut delivery = Delivery::live();
    deposit(&bank, &mut delivery, "5.00");
    let wait = bank.read(|log| delivery.wait_for_my_write(log)).unwrap();
    assert!(wait.done);
    assert_eq!(delivery.waited(), None);
}

#[test]
fn deliver_twice_the_naive_projection_double_counts_the_tracking_one_does_not() {
    let bank = bank();
    let mut delivery = Delivery::live();
    bank.read(|log| delivery.set_twice(true, log));
    let mine = deposit(&bank, &mut delivery, "5.00");
    assert_eq!(shown(&bank, &delivery), money("105.00"));
    assert_eq!(
        delivery.naive().unwrap().balances[&id("ann")],
        money("110.00")
    );
    assert_eq!(delivery.ignored(), &[mine]);
    bank.read(|log| delivery.set_twice(false, log));
    assert!(delivery.naive().is_none());
    assert!(bank.read(|log| std::ptr::eq(delivery.models(log), log)));
}

#[test]
fn paused_and_twice_deliver_each_hand_delivery_twice() {
    let bank = bank();
    let mut delivery = Delivery::live();
    bank.read(|log| delivery.pause(log));
    bank.read(|log| delivery.set_twice(true, log));
    deposit(&bank, &mut delivery, "5.00");
    assert!(delivery.ignored().is_empty());
    bank.read(|log| delivery.deliver_next(log));
    assert_eq!(delivery.ignored(), &[2]);
    assert_eq!(shown(&bank, &delivery), money("105.00"));
    assert_eq!(
        delivery.naive().unwrap().balances[&id("ann")],
        money("110.00")
    );
}

#[test]
fn the_view_says_where_log_and_statement_stand_and_what_the_read_waited_for() {
    let bank = bank();
    let mut delivery = Delivery::live();
    let view = bank.read(|log| delivery.view(log));
    assert_eq!(view.positions, "Log at #1, statement at #1: up to date.");
    bank.read(|log| delivery.pause(log));
    deposit(&bank, &mut delivery, "5.00");
    bank.read(|log| delivery.wait_for_my_write(log));
    let view = bank.read(|log| delivery.view(log));
    assert_eq!(
        view.positions,
        "Log at #2, statement at #1: 1 event not delivered yet."
    );
    assert!(view
        .read
        .unwrap()
        .starts_with("Waiting for your write at #2"));
    bank.read(|log| delivery.resume(log));
    let view = bank.read(|log| delivery.view(log));
    assert_eq!(
        view.read.unwrap(),
        "Waited for your write at #2: the statement was at #1, and was read once it reached #2."
    );
}

#[test]
fn the_view_shows_both_projections_while_delivering_twice() {
    let bank = bank();
    let mut delivery = Delivery::live();
    bank.read(|log| delivery.set_twice(true, log));
    deposit(&bank, &mut delivery, "5.00");
    let view = bank.read(|log| delivery.view(log));
    let row = &view.twice_rows[0];
    assert_eq!(
        (row.naive.as_str(), row.tracked.as_str()),
        ("110.00", "105.00")
    );
    assert!(row.differs);
    assert!(view.ignored.unwrap().contains("#2"));
}
