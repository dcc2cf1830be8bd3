//! The reference's workload, measured: `cargo run --profile bench --example bench`.
//!
//! 1,000 accounts (the last 100 opened at 0.00 and closed), 10,000 deposits of 1.00 to
//! 100.00 to random active accounts, 10,000 transfers of 0.50 to 50.00 (10% to a
//! closed account, so they compensate), then a rebuild of every read model from the
//! serialized JSON log. Also the cost of one command at 10 and at 10,000 events of
//! history on one account, and loading one account of 10,000 events with and without a
//! snapshot. Prints the median of `RUNS` runs (env `BENCH_RUNS`, default 3).
//! Runs on the memory store; the browser stores are measured in the browser.

use std::rc::Rc;
use std::time::{Duration, Instant};

use sagabank::app::{Bank, Env, ReadModels};
use sagabank::domain::account::{CloseAccount, DepositMoney, OpenAccount};
use sagabank::domain::{AccountId, BankCommand, Money, TransferId, TransferMoney};
use sagabank::store::{EventStore, MemoryStore, Recorded};

#[path = "../tests/workload/mod.rs"]
mod workload;
use workload::{account, cents, deposit, open_account, Rng};

struct Figures {
    opens: Duration,
    deposits: Duration,
    transfers: Duration,
    transfer_events: usize,
    compensated: usize,
    serialize: Duration,
    rebuild: Duration,
    rebuilt_events: usize,
    cost_at_10: Duration,
    cost_at_10k: Duration,
    load_folded: Duration,
    load_snapshot: Duration,
    load_how: (String, String),
}

/// How many accounts the workload opens; those from `CLOSED_FROM` on are closed.
const ACCOUNTS: u64 = 1_000;
const CLOSED_FROM: u64 = 900;

async fn run_once() -> Figures {
    let store = MemoryStore::new();
    let bank = Bank::open(store.clone(), Env::fixed("b"))
        .await
        .expect("opens");
    let mut rng = Rng(0x5EED_1234_ABCD_0001);

    let opens = open_accounts(&bank).await;
    let deposits = deposit_randomly(&bank, &mut rng).await;

    let before = store.len();
    let (transfers, compensated) = transfer_randomly(&bank, &mut rng).await;
    let transfer_events = store.len() - before;

    let start = Instant::now();
    let lines: Vec<String> = store
        .read_all(1)
        .await
        .expect("reads")
        .iter()
        .map(|r| r.to_json_line())
        .collect();
    let serialize = start.elapsed();

    let start = Instant::now();
    let mut models = ReadModels::default();
    for line in &lines {
        let recorded = Recorded::from_json_line(line).expect("parses");
        models.apply(&Rc::new(recorded));
    }
    let rebuild = start.elapsed();
    assert!(
        models == bank.models(),
        "the rebuilt read models equal the live ones"
    );

    let (cost_at_10, cost_at_10k) = cost_of_one_command().await;
    let (load_folded, load_snapshot, load_how) = load_one_account().await;

    Figures {
        opens,
        deposits,
        transfers,
        transfer_events,
        compensated,
        serialize,
        rebuild,
        rebuilt_events: lines.len(),
        cost_at_10,
        cost_at_10k,
        load_folded,
        load_snapshot,
        load_how,
    }
}

/// Opens the accounts (closing the last ones); returns the time it took.
async fn open_accounts(bank: &Bank<MemoryStore>) -> Duration {
    let start = Instant::now();
    for i in 0..ACCOUNTS {
        let initial = if i < CLOSED_FROM {
            cents(100_000)
        } else {
            Money::ZERO
        };
        bank.execute(open_account(i, initial)).await.expect("opens");
        if i >= CLOSED_FROM {
            let close = BankCommand::CloseAccount(CloseAccount {
                account_id: account(i),
            });
            bank.execute(close).await.expect("closes");
        }
    }
    start.elapsed()
}

/// 10,000 deposits to random active accounts; returns the time they took.
async fn deposit_randomly(bank: &Bank<MemoryStore>, rng: &mut Rng) -> Duration {
    let start = Instant::now();
    for _ in 0..10_000 {
        let to = rng.below(CLOSED_FROM);
        let amount = cents(100 + rng.below(9_901));
        bank.execute(deposit(to, amount)).await.expect("deposits");
    }
    start.elapsed()
}

/// 10,000 transfers, one in ten to a closed account; returns the time they took and
/// how many compensated.
async fn transfer_randomly(bank: &Bank<MemoryStore>, rng: &mut Rng) -> (Duration, usize) {
    let mut compensated = 0;
    let start = Instant::now();
    for n in 0..10_000u64 {
        let from = rng.below(CLOSED_FROM);
        let to = if n % 10 == 0 {
            CLOSED_FROM + rng.below(ACCOUNTS - CLOSED_FROM)
        } else {
            (from + 1 + rng.below(CLOSED_FROM - 1)) % CLOSED_FROM
        };
        let transfer = BankCommand::TransferMoney(TransferMoney {
            transfer_id: TransferId::parse(&format!("t-{n}")).expect("valid id"),
            from_account_id: account(from),
            to_account_id: account(to),
            amount: cents(50 + rng.below(4_951)),
            description: "bench".into(),
        });
        let done = bank.execute(transfer).await.expect("runs");
        if done.transfer.is_some_and(|t| t.label() == "compensated") {
            compensated += 1;
        }
    }
    (start.elapsed(), compensated)
}

/// One account with a long history: is a command's cost flat? The mean cost of a
/// deposit at 10 and at 10,000 events of history.
async fn cost_of_one_command() -> (Duration, Duration) {
    let fresh = Bank::open(MemoryStore::new(), Env::fixed("c"))
        .await
        .expect("opens");
    let open_long = BankCommand::OpenAccount(OpenAccount {
        account_id: account(0),
        owner_name: "Long".into(),
        initial_balance: Money::ZERO,
    });
    fresh.execute(open_long).await.expect("opens");
    deposit_cents(&fresh, 9).await;
    let cost_at_10 = deposit_cents(&fresh, 1_000).await;
    deposit_cents(&fresh, 7_990).await;
    let cost_at_10k = deposit_cents(&fresh, 1_000).await;
    (cost_at_10, cost_at_10k)
}

/// Loading one account with 10,000 events from the store: the mean time of a load
/// that folds every event, and of one from a snapshot (taken every 64 events, so at
/// v9,984, plus 16 events), with how each loaded.
async fn load_one_account() -> (Duration, Duration, (String, String)) {
    let bank = Bank::open(MemoryStore::new(), Env::fixed("s"))
        .await
        .expect("opens");
    let open_long = BankCommand::OpenAccount(OpenAccount {
        account_id: account(0),
        owner_name: "Long".into(),
        initial_balance: Money::ZERO,
    });
    bank.execute(open_long).await.expect("opens");
    bank.set_snapshot_every(Some(64));
    deposit_cents(&bank, 9_999).await;
    let id = account(0);
    let (with, with_how) = mean_load(&bank, &id, 2_000).await;
    assert_eq!(bank.delete_snapshots().await, Ok(1));
    let (without, without_how) = mean_load(&bank, &id, 100).await;
    (without, with, (without_how, with_how))
}

/// Loads account `id` `n` times; returns the mean time of one load, and how it loaded.
async fn mean_load(bank: &Bank<MemoryStore>, id: &AccountId, n: u32) -> (Duration, String) {
    let start = Instant::now();
    let mut how = String::new();
    for _ in 0..n {
        let loaded = bank.load_account(id).await.expect("loads");
        assert_eq!(loaded.version, 10_000);
        how = loaded.how();
    }
    (start.elapsed() / n, how)
}

/// Deposits 0.01 into account 0 `n` times; returns the mean time of one.
async fn deposit_cents(bank: &Bank<MemoryStore>, n: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        let deposit = BankCommand::DepositMoney(DepositMoney {
            account_id: account(0),
            amount: cents(1),
            description: String::new(),
            transfer_id: None,
        });
        bank.execute(deposit).await.expect("deposits");
    }
    start.elapsed() / n
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let figures: Vec<Figures> = (0..runs)
        .map(|_| futures::executor::block_on(run_once()))
        .collect();
    let per_sec = |n: f64, d: Duration| n / d.as_secs_f64();
    let med = |f: &dyn Fn(&Figures) -> f64| median(figures.iter().map(f).collect());
    let f0 = &figures[0];
    println!("sagabank benchmark: the reference's workload, memory store, median of {runs} runs");
    println!(
        "  opens+closes   {:>12.0} commands/s",
        med(&|f| per_sec(1_100.0, f.opens))
    );
    println!(
        "  deposits       {:>12.0} commands/s   (reference: 17,000)",
        med(&|f| per_sec(10_000.0, f.deposits))
    );
    println!(
        "  transfers      {:>12.0} transfers/s  {:>12.0} events/s   (reference: 3,200 transfers/s; target 320,000)",
        med(&|f| per_sec(10_000.0, f.transfers)),
        med(&|f| per_sec(f.transfer_events as f64, f.transfers))
    );
    println!(
        "                 {} of 10,000 compensated, {} events",
        f0.compensated, f0.transfer_events
    );
    println!(
        "  serialize log  {:>12.0} events/s   ({} events to JSON lines)",
        med(&|f| per_sec(f.rebuilt_events as f64, f.serialize)),
        f0.rebuilt_events
    );
    println!(
        "  rebuild        {:>12.0} events/s   (parse JSON + fold every read model; reference: 367,000; target 3,000,000)",
        med(&|f| per_sec(f.rebuilt_events as f64, f.rebuild))
    );
    println!(
        "  one deposit at 10 events of history:     {:>8.2} µs",
        med(&|f| f.cost_at_10.as_secs_f64() * 1e6)
    );
    println!(
        "  one deposit at 10,000 events of history: {:>8.2} µs",
        med(&|f| f.cost_at_10k.as_secs_f64() * 1e6)
    );
    let folded = med(&|f| f.load_folded.as_secs_f64() * 1e6);
    let snapshot = med(&|f| f.load_snapshot.as_secs_f64() * 1e6);
    println!(
        "  load one account of 10,000 events:  {:>9.2} µs without a snapshot ({})   {:>7.2} µs with one ({})   {:.0}× faster",
        folded, f0.load_how.0, snapshot, f0.load_how.1, folded / snapshot
    );
}
