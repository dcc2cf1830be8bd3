//! A small bank for the view models' native tests.

use futures::executor::block_on;

use crate::app::{Bank, Env, ReadModels};
use crate::domain::account::{DepositMoney, OpenAccount};
use crate::domain::{AccountId, BankCommand, Money, TransferId, TransferMoney};
use crate::store::MemoryStore;

pub fn id(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

pub fn tid(s: &str) -> TransferId {
    TransferId::parse(s).unwrap()
}

pub fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// Given Ann (100.00), Ben (5.00) and Cat (50.00) opened (events 1 to 3), a deposit
/// of 10.00 to Ann described "Coffee Beans" (event 4), then transfer `t1` of 30.00
/// from Ann to Ben and `t2` of 20.00 from Cat to Ben, each run to its end: the read
/// models of that log.
pub fn three_accounts_two_transfers() -> ReadModels {
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("v"))).unwrap();
    let run = |command| block_on(bank.execute(command)).unwrap();
    for (account, owner, balance) in [
        ("ann", "Ann", "100.00"),
        ("ben", "Ben", "5.00"),
        ("cat", "Cat", "50.00"),
    ] {
        run(BankCommand::OpenAccount(OpenAccount {
            account_id: id(account),
            owner_name: owner.into(),
            initial_balance: money(balance),
        }));
    }
    run(BankCommand::DepositMoney(DepositMoney {
        account_id: id("ann"),
        amount: money("10.00"),
        description: "Coffee Beans".into(),
        transfer_id: None,
    }));
    for (t, from, amount) in [("t1", "ann", "30.00"), ("t2", "cat", "20.00")] {
        run(BankCommand::TransferMoney(TransferMoney {
            transfer_id: tid(t),
            from_account_id: id(from),
            to_account_id: id("ben"),
            amount: money(amount),
            description: String::new(),
        }));
    }
    bank.read(Clone::clone)
}
