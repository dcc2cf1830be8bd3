//! Property tests: random command sequences, with random faults, crashes, resumes
//! and two bank instances interleaving on one store (as two tabs would). After every
//! step: money is conserved, no balance is negative, positions and versions are
//! gap-free, live read models equal a rebuild; at the end every transfer has ended
//! exactly once.
//!
//! Module `fuzz_doors`: mutated and random logs against the import check and the
//! event decoders.
//!
//! Cases: 10,000 by default for the money property, and 10,000 shared by the fuzz
//! properties (6,000 mutated logs, 2,000 random logs, 2,000 event data);
//! `PROPTEST_CASES=N` runs N cases of each property, for longer runs.
#![cfg(not(target_arch = "wasm32"))]

#[path = "properties/fuzz_doors.rs"]
mod fuzz_doors;

use std::collections::HashMap;
use std::rc::Rc;

use futures::executor::block_on;
use proptest::prelude::*;
use rust_decimal::Decimal;
use sagabank::app::{Bank, BankError, CrashPoint, Env, FaultPlan, ReadModels};
use sagabank::domain::account::{
    AccountCommand, CloseAccount, DepositMoney, OpenAccount, ReactivateAccount, SuspendAccount,
    WithdrawMoney,
};
use sagabank::domain::{AccountId, BankCommand, Event, Money, SagaStep, TransferId, TransferMoney};
use sagabank::store::{EventStore, MemoryStore, Recorded};

const ACCOUNTS: usize = 4;

#[derive(Debug, Clone)]
enum Op {
    Account {
        bank: usize,
        command: u8,
        account: usize,
        cents: i64,
    },
    Transfer {
        bank: usize,
        from: usize,
        to: usize,
        cents: i64,
        plan: FaultPlan,
        steps: Option<u8>,
    },
    Step {
        bank: usize,
        transfer: usize,
    },
    Restart {
        bank: usize,
        resume: bool,
    },
    /// An operator retries a refused refund of a transfer into an account.
    Fix(usize, usize, usize),
}

fn step_strategy() -> impl Strategy<Value = SagaStep> {
    prop_oneof![
        Just(SagaStep::Debit),
        Just(SagaStep::Credit),
        Just(SagaStep::Refund)
    ]
}

fn plan_strategy() -> impl Strategy<Value = FaultPlan> {
    let crash = prop_oneof![
        4 => Just(None),
        1 => Just(Some(CrashPoint::AfterInitiated)),
        1 => step_strategy().prop_map(|s| Some(CrashPoint::AfterLeg(s))),
        1 => step_strategy().prop_map(|s| Some(CrashPoint::AfterStep(s))),
    ];
    let transient = prop_oneof![3 => Just(None), 1 => (step_strategy(), 1u32..7).prop_map(Some)];
    (any::<bool>(), transient, crash).prop_map(|(reject_credit, transient, crash)| FaultPlan {
        reject_credit,
        transient,
        crash,
    })
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let bank = 0usize..2;
    let account = 0usize..ACCOUNTS;
    prop_oneof![
        6 => (bank.clone(), 0u8..6, account.clone(), -500i64..20_000)
            .prop_map(|(bank, command, account, cents)| Op::Account { bank, command, account, cents }),
        5 => (bank.clone(), account.clone(), account.clone(), -100i64..15_000, plan_strategy(), proptest::option::of(0u8..3))
            .prop_map(|(bank, from, to, cents, plan, steps)| Op::Transfer { bank, from, to, cents, plan, steps }),
        2 => (bank.clone(), 0usize..8).prop_map(|(bank, transfer)| Op::Step { bank, transfer }),
        1 => (bank.clone(), any::<bool>()).prop_map(|(bank, resume)| Op::Restart { bank, resume }),
        1 => (bank, 0usize..8, account).prop_map(|(bank, transfer, account)| Op::Fix(bank, transfer, account)),
    ]
}

fn account_id(i: usize) -> AccountId {
    AccountId::parse(&format!("acc-{i}")).unwrap()
}

fn money(cents: i64) -> Money {
    Money::from_cents(cents).unwrap()
}

fn account_command(command: u8, account: usize, cents: i64) -> AccountCommand {
    let account_id = account_id(account);
    match command {
        0 => AccountCommand::OpenAccount(OpenAccount {
            account_id,
            // Two owners, so an operator's refund into another account of the same
            // owner can happen.
            owner_name: format!("Owner {}", account % 2),
            initial_balance: money(cents),
        }),
        1 => AccountCommand::DepositMoney(DepositMoney {
            account_id,
            amount: money(cents),
            description: String::new(),
            transfer_id: None,
        }),
        2 => AccountCommand::WithdrawMoney(WithdrawMoney {
            account_id,
            amount: money(cents / 2),
            description: String::new(),
            transfer_id: None,
        }),
        3 => AccountCommand::SuspendAccount(SuspendAccount {
            account_id,
            reason: "test".into(),
        }),
        4 => AccountCommand::ReactivateAccount(ReactivateAccount { account_id }),
        _ => AccountCommand::CloseAccount(CloseAccount { account_id }),
    }
}

struct World {
    store: MemoryStore,
    banks: Vec<Bank<MemoryStore>>,
    transfers: Vec<TransferId>,
    /// Money that entered or left the bank from outside: opens + deposits - withdrawals.
    external: Decimal,
    next_bank: usize,
}

impl World {
    fn new() -> World {
        let store = MemoryStore::new();
        let banks = (0..2).map(|i| open_bank(&store, i)).collect();
        World {
            store,
            banks,
            transfers: Vec::new(),
            external: Decimal::ZERO,
            next_bank: 2,
        }
    }

    fn restart(&mut self, bank: usize) {
        self.banks[bank] = open_bank(&self.store, self.next_bank);
        self.next_bank += 1;
    }

    fn run(&mut self, op: Op) -> Result<(), TestCaseError> {
        match op {
            Op::Account {
                bank,
                command,
                account,
                cents,
            } => {
                let command = account_command(command, account, cents);
                let result = block_on(self.banks[bank].execute(BankCommand::from(command)));
                match result {
                    Ok(done) => {
                        for recorded in &done.events {
                            self.external += external_effect(&recorded.event);
                        }
                    }
                    Err(BankError::Account(_)) => {}
                    Err(e) => prop_assert!(false, "unexpected error {e}"),
                }
            }
            Op::Transfer {
                bank,
                from,
                to,
                cents,
                plan,
                steps,
            } => {
                let id = TransferId::parse(&format!("t-{}", self.transfers.len())).unwrap();
                let command = TransferMoney {
                    transfer_id: id.clone(),
                    from_account_id: account_id(from),
                    to_account_id: account_id(to),
                    amount: money(cents),
                    description: String::new(),
                };
                let b = &self.banks[bank];
                b.inject(&id, plan);
                let result = match steps {
                    None => block_on(b.execute(BankCommand::TransferMoney(command))).map(|_| ()),
                    Some(n) => block_on(async {
                        b.start_transfer(command).await?;
                        for _ in 0..n {
                            b.step(&id).await?;
                        }
                        Ok(())
                    }),
                };
                match result {
                    Ok(()) => self.transfers.push(id),
                    Err(BankError::Transfer(_)) => prop_assert!(
                        from == to || cents <= 0,
                        "only invalid transfers are rejected"
                    ),
                    Err(BankError::Crashed(_)) => {
                        self.transfers.push(id);
                        self.restart(bank);
                    }
                    Err(e) => prop_assert!(false, "unexpected error {e}"),
                }
            }
            Op::Step { bank, transfer } => {
                if let Some(id) = self.transfers.get(transfer).cloned() {
                    match block_on(self.banks[bank].step(&id)) {
                        Ok(_) => {}
                        Err(BankError::Crashed(_)) => self.restart(bank),
                        Err(e) => prop_assert!(false, "unexpected error {e}"),
                    }
                }
            }
            Op::Fix(bank, transfer, account) => self.fix(bank, transfer, account)?,
            Op::Restart { bank, resume } => {
                self.restart(bank);
                if resume {
                    block_on(self.banks[bank].resume_all(&[]))
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                }
            }
        }
        self.check()
    }

    /// An operator retries a refused refund of `transfer` into `account`; a fix the
    /// transfer's rules refuse writes nothing.
    fn fix(&mut self, bank: usize, transfer: usize, account: usize) -> Result<(), TestCaseError> {
        if let Some(id) = self.transfers.get(transfer).cloned() {
            let to = account_id(account);
            match block_on(self.banks[bank].retry_refund(&id, &to, "fix")) {
                Ok(_) | Err(BankError::Transfer(_)) => {}
                Err(BankError::Crashed(_)) => self.restart(bank),
                Err(e) => prop_assert!(false, "unexpected error {e}"),
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), TestCaseError> {
        let log = block_on(self.store.read_all(1)).unwrap();
        let positions: Vec<u64> = log.iter().map(|r| r.position).collect();
        prop_assert_eq!(
            positions,
            (1..=log.len() as u64).collect::<Vec<_>>(),
            "positions are gap-free"
        );
        let mut versions: HashMap<&str, u64> = HashMap::new();
        for r in &log {
            let v = versions.entry(&r.stream).or_insert(0);
            *v += 1;
            prop_assert_eq!(r.version, *v, "versions of {} are gap-free", r.stream);
        }
        let rebuilt = ReadModels::rebuild(&log);
        for account in rebuilt.accounts.values() {
            prop_assert!(
                !account.balance.is_negative(),
                "{} is overdrawn: {}",
                account.account_id,
                account.balance
            );
        }
        let in_flight = in_flight(&log);
        prop_assert_eq!(
            rebuilt.total_balance() + in_flight,
            self.external,
            "money is conserved (in flight: {})",
            in_flight
        );
        for bank in &self.banks {
            block_on(bank.catch_up()).unwrap();
            prop_assert!(
                bank.models() == rebuilt,
                "live read models equal the rebuild"
            );
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), TestCaseError> {
        self.restart(0);
        // Transfers stepped by hand stay paused on a restart: name them all, so every
        // one is driven to its end.
        block_on(self.banks[0].resume_all(&self.transfers))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        self.check()?;
        let log = block_on(self.store.read_all(1)).unwrap();
        for id in &self.transfers {
            let stream: Vec<&Rc<Recorded>> =
                log.iter().filter(|r| r.stream == id.stream()).collect();
            let ends: Vec<usize> = stream
                .iter()
                .enumerate()
                .filter(|(_, r)| is_end(&r.event))
                .map(|(i, _)| i)
                .collect();
            // A refused refund stops the saga; only an operator's retry follows it.
            let (last, fixed) = ends.split_last().expect("an end");
            prop_assert_eq!(*last, stream.len() - 1, "{} ends last", id);
            for &i in fixed {
                prop_assert!(
                    matches!(stream[i].event, Event::TransferCompensationFailed(_))
                        && matches!(stream[i + 1].event, Event::TransferRefundRetried(_)),
                    "{} ends once, but for a refused refund an operator retried",
                    id
                );
            }
            for account in 0..ACCOUNTS {
                let legs = |withdrawal: bool| {
                    log.iter()
                        .filter(|r| r.stream == account_id(account).stream())
                        .filter(|r| match &r.event {
                            Event::MoneyWithdrawn(e) => {
                                withdrawal && e.transfer_id.as_ref() == Some(id)
                            }
                            Event::MoneyDeposited(e) => {
                                !withdrawal && e.transfer_id.as_ref() == Some(id)
                            }
                            _ => false,
                        })
                        .count()
                };
                prop_assert!(
                    legs(true) <= 1 && legs(false) <= 1,
                    "no leg of {} ran twice on acc-{}",
                    id,
                    account
                );
            }
        }
        prop_assert!(
            in_flight(&log) == Decimal::ZERO
                || log
                    .iter()
                    .any(|r| matches!(r.event, Event::TransferCompensationFailed(_))),
            "money is only left in flight by a compensation that failed, and then loudly"
        );
        Ok(())
    }
}

fn open_bank(store: &MemoryStore, n: usize) -> Bank<MemoryStore> {
    block_on(Bank::open(store.clone(), Env::fixed(&format!("b{n}")))).unwrap()
}

fn is_end(event: &Event) -> bool {
    matches!(
        event,
        Event::TransferCompleted(_)
            | Event::TransferFailed(_)
            | Event::TransferCompensationFailed(_)
    )
}

/// Money that entered or left from outside the bank.
fn external_effect(event: &Event) -> Decimal {
    match event {
        Event::AccountOpened(e) => e.initial_balance.to_decimal(),
        Event::MoneyDeposited(e) if e.transfer_id.is_none() => e.amount.to_decimal(),
        Event::MoneyWithdrawn(e) if e.transfer_id.is_none() => -e.amount.to_decimal(),
        _ => Decimal::ZERO,
    }
}

/// Money debited by transfers and not (yet) credited or refunded.
fn in_flight(log: &[Rc<Recorded>]) -> Decimal {
    log.iter()
        .map(|r| match &r.event {
            Event::MoneyWithdrawn(e) if e.transfer_id.is_some() => e.amount.to_decimal(),
            Event::MoneyDeposited(e) if e.transfer_id.is_some() => -e.amount.to_decimal(),
            _ => Decimal::ZERO,
        })
        .sum()
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn money_is_conserved_under_any_commands_faults_crashes_and_interleavings(
        ops in proptest::collection::vec(op_strategy(), 1..25)
    ) {
        let mut world = World::new();
        for op in ops {
            world.run(op)?;
        }
        world.finish()?;
    }
}

/// Runs `ops` (account commands, and transfers between accounts) on one bank taking a
/// snapshot every `every` events; returns it.
fn bank_after(every: u64, ops: &[(u8, usize, i64, usize)]) -> Bank<MemoryStore> {
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("s"))).unwrap();
    bank.set_snapshot_every(Some(every));
    for (n, &(command, account, cents, to)) in ops.iter().enumerate() {
        let command = if command < 6 {
            BankCommand::from(account_command(command, account, cents))
        } else {
            BankCommand::TransferMoney(TransferMoney {
                transfer_id: TransferId::parse(&format!("t-{n}")).unwrap(),
                from_account_id: account_id(account),
                to_account_id: account_id(to),
                amount: money(cents.max(1)),
                description: String::new(),
            })
        };
        // Rejections are fine: they write nothing.
        let _ = block_on(bank.execute(command));
    }
    bank
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases().min(1_000), ..ProptestConfig::default() })]

    /// Whatever the history and N: loading from a snapshot gives the very state a fold
    /// of every event gives, and deleting every snapshot changes no balance.
    #[test]
    fn snapshots_change_no_state_and_deleting_them_changes_no_balance(
        every in 1u64..12,
        ops in proptest::collection::vec((0u8..8, 0usize..ACCOUNTS, -500i64..20_000, 0usize..ACCOUNTS), 1..60)
    ) {
        let bank = bank_after(every, &ops);
        let ids: Vec<AccountId> = (0..ACCOUNTS).map(account_id).collect();
        let with: Vec<_> = ids.iter().map(|id| block_on(bank.load_account(id)).unwrap()).collect();
        block_on(bank.delete_snapshots()).unwrap();
        for (id, loaded) in ids.iter().zip(&with) {
            let without = block_on(bank.load_account(id)).unwrap();
            prop_assert_eq!(without.snapshot_at, None);
            prop_assert_eq!(&loaded.state, &without.state);
            prop_assert_eq!(loaded.version, without.version);
            prop_assert_eq!(loaded.snapshot_at.is_some(), loaded.version >= every);
            let shown = bank.read(|m| m.accounts.get(id).map(|a| a.balance));
            prop_assert_eq!(shown.unwrap_or(Money::ZERO), without.state.balance());
        }
    }
}
