//! The benchmark workload's pieces, shared by the native benchmark
//! (`examples/bench.rs`) and the browser one (`tests/browser_bench.rs`), so both
//! measure the same commands.
#![allow(dead_code)] // each user takes what it needs

use sagabank::domain::account::{DepositMoney, OpenAccount};
use sagabank::domain::{AccountId, BankCommand, Money};

/// A small deterministic generator (xorshift64*), so every run does the same work.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn account(i: u64) -> AccountId {
    AccountId::parse(&format!("acc-{i}")).expect("valid id")
}

pub fn cents(c: u64) -> Money {
    Money::from_cents(i64::try_from(c).expect("small")).expect("within bounds")
}

pub fn open_account(i: u64, initial: Money) -> BankCommand {
    BankCommand::OpenAccount(OpenAccount {
        account_id: account(i),
        owner_name: format!("Owner {i}"),
        initial_balance: initial,
    })
}

pub fn deposit(i: u64, amount: Money) -> BankCommand {
    BankCommand::DepositMoney(DepositMoney {
        account_id: account(i),
        amount,
        description: "bench deposit".into(),
        transfer_id: None,
    })
}
