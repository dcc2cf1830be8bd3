//! Browser benchmarks (issue 4, item 9), in headless Chromium: append latency of one
//! command on IndexedDB, localStorage and (for reference) memory; cold start to the
//! read models with 10,000 and 100,000 events stored in IndexedDB (and 10,000 in
//! localStorage), broken down into IndexedDB read, JSON decode and fold.
//!
//! These are benchmarks, not timed tests: they print figures and assert only that the
//! results are correct. Every function is `#[ignore]`, so the normal
//! `cargo test --target wasm32-unknown-unknown` run skips them. Run them with:
//!
//! ```sh
//! export PATH=$HOME/.cache/sagabank/tools/bin:$PATH CHROMEDRIVER=/usr/bin/chromedriver
//! WASM_BINDGEN_TEST_TIMEOUT=600 cargo test --release --target wasm32-unknown-unknown \
//!     --test browser_bench -- --include-ignored --nocapture
//! ```
//!
//! - `--release`: the app ships in the release profile (a debug build is much slower).
//! - `--include-ignored`: runs the ignored functions. (wasm-bindgen-test-runner 0.2.130
//!   accepts `--ignored` too but then runs nothing.) Add a name to run one of them:
//!   `append_latency`, `cold_start_10k`, `cold_start_100k`, `fork_100k`, `compare_100k`,
//!   `diagram_redraw_100k`, `diagram_dom_100k` or `snapshots_100k`.
//! - `--nocapture`: without it the runner prints nothing of a test that passes.
//! - `WASM_BINDGEN_TEST_TIMEOUT` (seconds, default 20) covers the whole run, fills
//!   included; the three together take about a minute.
//!
//! Timer: `performance.now()`, which Chromium coarsens to 0.1 ms on a page that is not
//! cross-origin isolated, so single memory-store commands read as 0.0 or 0.1 ms; the
//! mean over the whole run is printed too. Cold starts read back a database this
//! browser has just written, so its pages are likely in the OS cache (and perhaps the
//! browser's): a cold start after a reboot would be slower.
//!
//! Chunks: the first cold start of a log reads the event records and writes the
//! chunks (copies of the log, 5,000 events a record; see `sagabank::store::idb`); the
//! second and third read the chunks. So the first figure is the one-off cost after an
//! upgrade (or after 5,000 new events, one chunk's worth), the others the usual one.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use js_sys::Reflect;
use sagabank::app::{Bank, Env};
use sagabank::domain::account::CloseAccount;
use sagabank::domain::{BankCommand, Money, TransferId, TransferMoney};
use sagabank::store::idb::{IndexedDbStore, CHUNK, CHUNKS_STORE, EVENTS_STORE};
use sagabank::store::local::LocalStorageStore;
use sagabank::store::{EventStore, MemoryStore, NewEvent, Recorded, StoreError};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod browser_support;
mod workload;
use workload::{account, cents, deposit, open_account, Rng};

/// A database / store name no earlier run has used.
fn fresh_name(what: &str) -> String {
    browser_support::fresh_name("bench", what)
}

/// Milliseconds since the page started.
fn now() -> f64 {
    web_sys::window()
        .expect("a window")
        .performance()
        .expect("performance")
        .now()
}

// ---------------------------------------------------------------------------------
// 1. Append latency of one command
// ---------------------------------------------------------------------------------

const LATENCY_ACCOUNTS: u64 = 50;
const LATENCY_DEPOSITS: usize = 1_000;

/// The value at quantile `q` of sorted `values` (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Opens a bank on `store`, opens the accounts, then times each of the deposits
/// (`Bank::execute`, so decide + append + fold into the read models). Prints the
/// percentiles and checks every deposit landed.
async fn command_latency<S: EventStore>(label: &str, store: S, snapshot_every: Option<u64>) {
    let bank = Bank::open(store, Env::fixed("lat"))
        .await
        .expect("bank opens");
    bank.set_snapshot_every(snapshot_every);
    let initial = cents(100_000);
    for i in 0..LATENCY_ACCOUNTS {
        bank.execute(open_account(i, initial)).await.expect("opens");
    }
    let mut rng = Rng(0x5EED_0000_0000_0001);
    let mut deposited = 0u64;
    let mut times = Vec::with_capacity(LATENCY_DEPOSITS);
    let start = now();
    for _ in 0..LATENCY_DEPOSITS {
        let amount = 100 + rng.below(9_901);
        deposited += amount;
        let command = deposit(rng.below(LATENCY_ACCOUNTS), cents(amount));
        let t0 = now();
        let done = bank.execute(command).await.expect("deposits");
        times.push(now() - t0);
        assert_eq!(done.events.len(), 1, "a deposit writes one event");
    }
    let total = now() - start;

    // Correctness: every event is in the store, and the money adds up.
    let expected_events = LATENCY_ACCOUNTS as usize + LATENCY_DEPOSITS;
    let stored = bank.store().read_all(1).await.expect("reads back");
    assert_eq!(stored.len(), expected_events);
    let expected_total = cents(100_000 * LATENCY_ACCOUNTS + deposited).to_decimal();
    assert_eq!(bank.read(|m| m.total_balance()), expected_total);

    let slowest = (0..times.len())
        .max_by(|&a, &b| times[a].total_cmp(&times[b]))
        .expect("some deposits");
    times.sort_by(f64::total_cmp);
    console_log!(
        "append latency, {label:<12} {LATENCY_DEPOSITS} deposits on {LATENCY_ACCOUNTS} \
         accounts: p50 {:.1} ms  p95 {:.1} ms  p99 {:.1} ms  max {:.1} ms (deposit {})  \
         (mean {:.3} ms)",
        quantile(&times, 0.50),
        quantile(&times, 0.95),
        quantile(&times, 0.99),
        times[times.len() - 1],
        slowest + 1,
        total / LATENCY_DEPOSITS as f64,
    );
}

/// One command's latency on each store. Target (issue 4): p95 on IndexedDB <= 5 ms.
#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored (see the top of this file)"]
async fn append_latency() {
    command_latency("memory", MemoryStore::new(), None).await;

    for (label, every) in [
        ("IndexedDB", None),
        ("IndexedDB, snapshot every 10", Some(10)),
    ] {
        let name = fresh_name("latency-idb");
        let store = IndexedDbStore::open(&name).await.expect("opens IndexedDB");
        command_latency(label, store.clone(), every).await;
        store.close();
        drop(store);
        IndexedDbStore::delete_database(&name)
            .await
            .expect("deletes the database");
    }

    let name = fresh_name("latency-local");
    let store = LocalStorageStore::open(&name).expect("opens localStorage");
    command_latency("localStorage", store, None).await;
    LocalStorageStore::delete(&name).expect("deletes the log");
}

// ---------------------------------------------------------------------------------
// 2. Cold start
// ---------------------------------------------------------------------------------

const ACCOUNTS: u64 = 1_000;
/// Accounts from this one on are opened at 0.00 and closed at once; every tenth
/// transfer goes to one of them and compensates.
const CLOSED_FROM: u64 = 900;

/// The first `n` events of a realistic log, built by a memory-store bank: 1,000
/// accounts (100 closed), then deposits and transfers in turn (10% of the transfers
/// to a closed account). The log may end in the middle of a transfer's saga, as a
/// closed tab leaves it.
async fn realistic_log(n: usize) -> Vec<Rc<Recorded>> {
    realistic_log_diverging(n, None).await
}

/// [`realistic_log`], with the random choices reseeded with `seed` once `at` events
/// are written, when `diverge` is `Some((at, seed))`: two logs that share their first
/// `at` events and then go different ways (a bank and a fork of it).
async fn realistic_log_diverging(n: usize, mut diverge: Option<(usize, u64)>) -> Vec<Rc<Recorded>> {
    let store = MemoryStore::new();
    let bank = Bank::open(store.clone(), Env::fixed("gen"))
        .await
        .expect("opens");
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
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
    let mut transfers = 0u64;
    while store.len() < n {
        if let Some((_, seed)) = diverge.filter(|&(at, _)| store.len() >= at) {
            rng = Rng(seed);
            diverge = None;
        }
        let amount = cents(100 + rng.below(9_901));
        bank.execute(deposit(rng.below(CLOSED_FROM), amount))
            .await
            .expect("deposits");
        let from = rng.below(CLOSED_FROM);
        let to = if transfers % 10 == 0 {
            CLOSED_FROM + rng.below(ACCOUNTS - CLOSED_FROM)
        } else {
            (from + 1 + rng.below(CLOSED_FROM - 1)) % CLOSED_FROM
        };
        let transfer = BankCommand::TransferMoney(TransferMoney {
            transfer_id: TransferId::parse(&format!("t-{transfers}")).expect("valid id"),
            from_account_id: account(from),
            to_account_id: account(to),
            amount: cents(50 + rng.below(4_951)),
            description: "bench transfer".into(),
        });
        bank.execute(transfer).await.expect("transfers");
        transfers += 1;
    }
    let mut events = store.read_all(1).await.expect("reads");
    events.truncate(n);
    events
}

/// Copies `events` (a whole log, in global order) into `store` through the adapter:
/// one append per run of consecutive events of one stream, with its expected version.
/// Checks the store gave every event the position and version it had.
async fn copy_through_adapter<S: EventStore>(store: &S, events: &[Rc<Recorded>]) {
    let mut rest = events;
    while let Some(first) = rest.first() {
        let run = rest.iter().take_while(|e| e.stream == first.stream).count();
        let batch: Vec<NewEvent> = rest[..run]
            .iter()
            .map(|e| NewEvent::from(e.as_ref()))
            .collect();
        let stored = store
            .append(&first.stream, first.version - 1, batch)
            .await
            .expect("appends");
        for (got, want) in stored.iter().zip(&rest[..run]) {
            assert_eq!((got.position, got.version), (want.position, want.version));
        }
        rest = &rest[run..];
    }
}

/// The time of each step of reading back an IndexedDB log without chunks, done by hand
/// to see where reading the event records costs: the `getAll` of every record (IndexedDB read and
/// structured-clone into JS objects), taking each event's JSON line into Rust, and
/// parsing the lines.
async fn idb_read_breakdown(name: &str, n: usize) -> (f64, f64, f64) {
    let t0 = now();
    let db = idb::Factory::new()
        .expect("factory")
        .open(name, None)
        .expect("open request")
        .await
        .expect("opens");
    let tx = db
        .transaction(&[EVENTS_STORE], idb::TransactionMode::ReadOnly)
        .expect("transaction");
    let store = tx.object_store(EVENTS_STORE).expect("events store");
    let values = store
        .get_all(None, None)
        .expect("getAll request")
        .await
        .expect("getAll");
    let get_all = now() - t0;
    drop(tx);
    db.close();

    let t0 = now();
    let line_key = wasm_bindgen::JsValue::from_str("line");
    let lines: Vec<String> = values
        .iter()
        .map(|v| {
            Reflect::get(v, &line_key)
                .expect("a line field")
                .as_string()
                .expect("a string")
        })
        .collect();
    let to_rust = now() - t0;
    assert_eq!(lines.len(), n);

    let t0 = now();
    let parsed: Vec<Recorded> = lines
        .iter()
        .map(|l| Recorded::from_json_line(l).expect("parses"))
        .collect();
    let parse = now() - t0;
    assert_eq!(parsed.len(), n);
    (get_all, to_rust, parse)
}

/// How to fill the IndexedDB log before a cold start.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Through `IndexedDbStore::append`, one transaction per run of one stream's
    /// events (about 2 ms each: minutes for 100,000 events).
    Adapter,
    /// Straight into the `events` object store in the adapter's layout, 10,000
    /// records per transaction (seconds). The reads below check every record against
    /// its line, and the read models against the memory-built ones.
    Bulk,
}

/// The adapter's stored value of one event: `{position, stream, version, line}` (see
/// `sagabank::store::idb`).
fn idb_record(recorded: &Recorded) -> wasm_bindgen::JsValue {
    let object = js_sys::Object::new();
    let fields = [
        (
            "position",
            wasm_bindgen::JsValue::from_f64(recorded.position as f64),
        ),
        ("stream", wasm_bindgen::JsValue::from_str(&recorded.stream)),
        (
            "version",
            wasm_bindgen::JsValue::from_f64(recorded.version as f64),
        ),
        (
            "line",
            wasm_bindgen::JsValue::from_str(&recorded.to_json_line()),
        ),
    ];
    for (key, value) in fields {
        Reflect::set(&object, &key.into(), &value).expect("sets a field");
    }
    object.into()
}

/// Writes `events` into the database `name` (created by the adapter, empty) in
/// transactions of 10,000 records.
async fn copy_bulk(name: &str, events: &[Rc<Recorded>]) {
    let db = idb::Factory::new()
        .expect("factory")
        .open(name, None)
        .expect("open request")
        .await
        .expect("opens");
    for chunk in events.chunks(10_000) {
        let tx = db
            .transaction(&[EVENTS_STORE], idb::TransactionMode::ReadWrite)
            .expect("transaction");
        let store = tx.object_store(EVENTS_STORE).expect("events store");
        for event in chunk {
            // Not awaited: a failed add aborts the transaction, checked below.
            drop(store.add(&idb_record(event), None).expect("adds"));
        }
        assert!(tx.await.expect("commits").is_committed());
    }
    db.close();
}

/// How many chunks the database `name` holds.
async fn idb_chunk_count(name: &str) -> u32 {
    let db = idb::Factory::new()
        .expect("factory")
        .open(name, None)
        .expect("open request")
        .await
        .expect("opens");
    let tx = db
        .transaction(&[CHUNKS_STORE], idb::TransactionMode::ReadOnly)
        .expect("transaction");
    let count = tx
        .object_store(CHUNKS_STORE)
        .expect("chunks store")
        .count(None)
        .expect("count request")
        .await
        .expect("counts");
    drop(tx);
    db.close();
    count
}

/// "a / b / c" of some timings in ms.
fn list(times: &[f64]) -> String {
    times
        .iter()
        .map(|t| format!("{t:.1}"))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Fills an IndexedDB log with `n` events and measures its cold start.
async fn idb_cold_start(
    n: usize,
    events: &[Rc<Recorded>],
    reference: &Bank<MemoryStore>,
    fill: Fill,
) {
    let name = fresh_name(&format!("cold-{n}"));
    idb_fill(&name, n, events, fill).await;
    idb_cold_opens(&name, n, reference).await;
    idb_read_all_parts(&name, n).await;
    IndexedDbStore::delete_database(&name)
        .await
        .expect("deletes the database");
}

/// Fills database `name` with `events` (`n` of them), and says how long it took.
async fn idb_fill(name: &str, n: usize, events: &[Rc<Recorded>], fill: Fill) {
    let store = IndexedDbStore::open(name).await.expect("opens IndexedDB");
    let t0 = now();
    let how = match fill {
        Fill::Adapter => {
            copy_through_adapter(&store, events).await;
            let appends = 1 + events
                .windows(2)
                .filter(|w| w[0].stream != w[1].stream)
                .count();
            format!(
                "through the adapter: {appends} appends, {:.2} ms each",
                (now() - t0) / appends as f64
            )
        }
        Fill::Bulk => {
            store.close();
            copy_bulk(name, events).await;
            "in bulk, 10,000 records per transaction".to_owned()
        }
    };
    let filled = now() - t0;
    store.close();
    drop(store);
    console_log!(
        "cold start, IndexedDB {n} events: filled in {:.1} s ({how}; not part of the \
         figures below)",
        filled / 1000.0,
    );
}

/// Cold start of database `name`: a new connection, then the bank reads the whole log
/// and folds it, to read models equal to `reference`'s.
async fn idb_cold_opens(name: &str, n: usize, reference: &Bank<MemoryStore>) {
    // Cold start: a new connection, then the bank reads the whole log and folds it.
    // Three times: the first is the nearest to what a reload sees.
    let mut opens = Vec::new();
    let mut banks = Vec::new();
    let mut totals = Vec::new();
    for _ in 0..3 {
        let t0 = now();
        let store = IndexedDbStore::open(name).await.expect("reopens");
        let opened = now() - t0;
        let bank = Bank::open(store.clone(), Env::fixed("cold"))
            .await
            .expect("the bank opens");
        let total = now() - t0;
        assert!(
            bank.models() == reference.models(),
            "the read models built from IndexedDB equal those built in memory"
        );
        opens.push(opened);
        banks.push(total - opened);
        totals.push(total);
        drop(bank);
        store.close();
    }
    let chunks = idb_chunk_count(name).await;
    console_log!(
        "cold start, IndexedDB {n} events: IndexedDbStore::open + Bank::open = {} ms to the \
         read models (open {} ms; Bank::open {} ms); the first reads the event records and \
         writes the chunks ({chunks} of {CHUNK} events now stored), the others read them",
        list(&totals),
        list(&opens),
        list(&banks),
    );
}

/// Where the time of a cold start goes in database `name`.
async fn idb_read_all_parts(name: &str, n: usize) {
    // What limits it: read_all alone (read + decode + checks), and its parts, by turns.
    let mut read_alls = Vec::new();
    let mut get_alls = Vec::new();
    let mut to_rusts = Vec::new();
    let mut parses = Vec::new();
    for _ in 0..3 {
        let store = IndexedDbStore::open(name).await.expect("reopens");
        let t0 = now();
        let read = store.read_all(1).await.expect("reads");
        read_alls.push(now() - t0);
        assert_eq!(read.len(), n);
        store.close();
        drop(store);
        drop(read);
        let (get_all, to_rust, parse) = idb_read_breakdown(name, n).await;
        get_alls.push(get_all);
        to_rusts.push(to_rust);
        parses.push(parse);
    }
    console_log!(
        "cold start, IndexedDB {n} events: read_all(1) alone (through the chunks) {} ms; by \
         hand, the event records without chunks: getAll {} ms, lines into Rust {} ms, JSON \
         parse (Recorded::from_json_line) {} ms",
        list(&read_alls),
        list(&get_alls),
        list(&to_rusts),
        list(&parses),
    );
}

/// Fills a localStorage log with `n` events (if it fits) and measures its cold start.
async fn local_cold_start(n: usize, events: &[Rc<Recorded>], reference: &Bank<MemoryStore>) {
    let name = fresh_name(&format!("cold-{n}"));
    let store = LocalStorageStore::open(&name).expect("opens localStorage");
    // Characters of key and value each event takes (the key is the prefix, "event/"
    // and the position).
    let key_len = LocalStorageStore::prefix(&name).len() + "event/".len();
    let sizes: Vec<usize> = events
        .iter()
        .map(|e| e.to_json_line().len() + key_len + e.position.to_string().len())
        .collect();
    let chars: usize = sizes.iter().sum();
    let t0 = now();
    // The adapter's append, but stopping at the first refusal to report the quota.
    let mut rest = events;
    let mut written = 0;
    while let Some(first) = rest.first() {
        let run = rest.iter().take_while(|e| e.stream == first.stream).count();
        let batch: Vec<NewEvent> = rest[..run]
            .iter()
            .map(|e| NewEvent::from(e.as_ref()))
            .collect();
        match store.append(&first.stream, first.version - 1, batch).await {
            Ok(_) => {}
            Err(StoreError::QuotaExceeded(message)) => {
                let fitted: usize = sizes[..written].iter().sum();
                console_log!(
                    "cold start, localStorage {n} events: does not fit: the quota ran out \
                     after {written} events ({fitted} characters of keys and values stored, \
                     {chars} needed; {:.1} s): {message}",
                    (now() - t0) / 1000.0,
                );
                drop(store);
                LocalStorageStore::delete(&name).expect("deletes the log");
                return;
            }
            Err(e) => panic!("append failed: {e}"),
        }
        written += run;
        rest = &rest[run..];
    }
    let fill = now() - t0;
    drop(store);
    console_log!(
        "cold start, localStorage {n} events: filled through the adapter in {:.1} s \
         (about {chars} characters of keys and values)",
        fill / 1000.0,
    );

    let mut runs = Vec::new();
    for _ in 0..3 {
        let t0 = now();
        let store = LocalStorageStore::open(&name).expect("reopens");
        let bank = Bank::open(store, Env::fixed("cold"))
            .await
            .expect("the bank opens");
        runs.push(now() - t0);
        assert!(bank.models() == reference.models());
    }
    let mut read_alls = Vec::new();
    for _ in 0..3 {
        let store = LocalStorageStore::open(&name).expect("reopens");
        let t0 = now();
        let read = store.read_all(1).await.expect("reads");
        read_alls.push(now() - t0);
        assert_eq!(read.len(), n);
    }
    console_log!(
        "cold start, localStorage {n} events: LocalStorageStore::open + Bank::open = {} ms \
         to the read models; read_all(1) alone {} ms",
        list(&runs),
        list(&read_alls),
    );
    LocalStorageStore::delete(&name).expect("deletes the log");
}

async fn cold_start(n: usize, fill: Fill) {
    let t0 = now();
    let events = realistic_log(n).await;
    let generated = now() - t0;
    assert_eq!(events.len(), n);

    // The fold alone: the bank's open on a memory store holding the same events (the
    // read costs only cloning `Rc`s), i.e. every read model and stream state built.
    let mut folds = Vec::new();
    let mut reference = None;
    for _ in 0..3 {
        let memory = MemoryStore::from_recorded(events.clone());
        let t0 = now();
        let bank = Bank::open(memory, Env::fixed("ref")).await.expect("opens");
        folds.push(now() - t0);
        reference = Some(bank);
    }
    let reference = reference.expect("three runs");
    let transfers = reference.read(|m| m.transfers.len());
    console_log!(
        "cold start, {n} events ({ACCOUNTS} accounts, {transfers} transfers; generated in \
         memory in {:.1} s): fold alone (Bank::open on a memory store) {} ms",
        generated / 1000.0,
        list(&folds),
    );

    idb_cold_start(n, &events, &reference, fill).await;
    local_cold_start(n, &events, &reference).await;
}

/// Cold start with 10,000 events, IndexedDB filled through the adapter.
#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored (see the top of this file)"]
async fn cold_start_10k() {
    cold_start(10_000, Fill::Adapter).await;
}

/// Cold start with 100,000 events, IndexedDB filled in bulk (through the adapter it
/// takes minutes). localStorage holds a few megabytes per origin: this reports where
/// its quota ran out. Target (issue 4): <= 1 s.
#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored (see the top of this file)"]
async fn cold_start_100k() {
    cold_start(100_000, Fill::Bulk).await;
}

// ---------------------------------------------------------------------------------
// 3. Fork and compare (issue 22)
// ---------------------------------------------------------------------------------

/// A bank on IndexedDB database `name` filled in bulk with `events`, its chunks
/// written by a first open (as the page's first start does): the learner's bank.
async fn stored_bank(name: &str, events: &[Rc<Recorded>]) -> Bank<IndexedDbStore> {
    idb_fill(name, events.len(), events, Fill::Bulk).await;
    drop(
        Bank::open(
            IndexedDbStore::open(name).await.expect("opens"),
            Env::fixed("first"),
        )
        .await,
    );
    let store = IndexedDbStore::open(name).await.expect("opens");
    Bank::open(store, Env::fixed("page"))
        .await
        .expect("the bank opens")
}

/// Forking at N = 100,000: the page's bank holds 100,000 events in IndexedDB; the fork
/// is a fresh database written with all of them and a bank opened on it
/// ([`sagabank::app::fork::fork_bank`], what "Try another path from here" runs), to
/// read models equal to the bank's. Then the fork's cold start (a reload in the fork).
/// Target (issue 22): <= 2 s.
#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored (see the top of this file)"]
async fn fork_100k() {
    const N: usize = 100_000;
    let events = realistic_log(N).await;
    let base_name = fresh_name("fork-base");
    let base = stored_bank(&base_name, &events).await;
    let mut forks = Vec::new();
    let mut reloads = Vec::new();
    for _ in 0..3 {
        let name = fresh_name("fork");
        let prefix = base.read(|m| m.audit.clone());
        let t0 = now();
        let store = IndexedDbStore::open(&name).await.expect("opens the fork");
        let fork = sagabank::app::fork::fork_bank(store, Env::fixed("fork"), &prefix[..N])
            .await
            .expect("forks");
        forks.push(now() - t0);
        assert!(
            fork.models() == base.models(),
            "the fork holds the same read models"
        );
        drop(fork);
        let t0 = now();
        let reopened = Bank::open(
            IndexedDbStore::open(&name).await.expect("reopens"),
            Env::fixed("r"),
        )
        .await
        .expect("the fork reopens");
        reloads.push(now() - t0);
        assert_eq!(reopened.read(|m| m.last_position), N as u64);
        drop(reopened);
        IndexedDbStore::delete_database(&name)
            .await
            .expect("deletes the fork");
    }
    console_log!(
        "fork at N = {N} (IndexedDB): fresh database + every event written (as chunks) + bank opened = {} ms \
         (target <= 2000 ms); the fork's cold start afterwards {} ms",
        list(&forks),
        list(&reloads),
    );
    fork_profile(&base, N).await;
    drop(base);
    IndexedDbStore::delete_database(&base_name)
        .await
        .expect("deletes the base");
}

/// Where a fork's time goes, step by step, with the same calls `fork_bank` makes:
/// cloning the prefix, encoding the JSON lines alone, `restore` (the lines encoded
/// again into chunks, the chunks and the prefix record added, the commit awaited), a
/// second connection's check that the chunks are there, and opening the bank (read
/// back + fold).
async fn fork_profile(base: &Bank<IndexedDbStore>, n: usize) {
    let prefix = base.read(|m| m.audit.clone());
    let name = fresh_name("fork-profile");
    let t0 = now();
    let store = IndexedDbStore::open(&name).await.expect("opens the fork");
    let open = now() - t0;
    let t0 = now();
    let events: Vec<Recorded> = prefix[..n].iter().map(|r| Recorded::clone(r)).collect();
    let clone = now() - t0;
    let t0 = now();
    let encoded: usize = events.iter().map(|r| r.to_json_line().len()).sum();
    let encode = now() - t0;
    let t0 = now();
    store.restore(&events).await.expect("restores");
    let restore = now() - t0;
    let t0 = now();
    chunks_committed(&name).await;
    let chunks = now() - t0;
    let t0 = now();
    let bank = Bank::open(store, Env::fixed("fork")).await.expect("opens");
    let bank_open = now() - t0;
    assert_eq!(bank.read(|m| m.last_position), n as u64);
    console_log!(
        "fork profile, N = {n}: database opened {open:.1} ms, prefix cloned {clone:.1} ms, \
         lines encoded alone {encode:.1} ms ({encoded} bytes), restore (encode + chunks + \
         commit) {restore:.1} ms, chunks seen by another connection {chunks:.1} ms later, \
         bank opened (read + fold) {bank_open:.1} ms"
    );
    drop(bank);
    IndexedDbStore::delete_database(&name)
        .await
        .expect("deletes the profile fork");
}

/// Checks from a second connection that `restore` wrote the fork's chunks (a readonly
/// transaction on `chunks`, [`idb_chunk_count`], starts only after the write).
async fn chunks_committed(name: &str) {
    assert!(idb_chunk_count(name).await > 0, "the chunks were written");
}

/// Comparing two histories of 100,000 events each: a bank and a fork of it made at
/// event 50,000 that went its own way for 50,000 more events. The page holds the fork;
/// Compare reads the other bank (a connection, the whole log, the fold) and builds the
/// view model ([`sagabank::app::views::compare`]). Target (issue 22): <= 1 s.
#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored (see the top of this file)"]
async fn compare_100k() {
    const N: usize = 100_000;
    const AT: usize = 50_000;
    let base_events = realistic_log(N).await;
    let fork_events = realistic_log_diverging(N, Some((AT, 0x5EED_F0F0_0000_0002))).await;
    assert_eq!(
        base_events[..AT],
        fork_events[..AT],
        "both share the first {AT} events"
    );
    let base_name = fresh_name("compare-base");
    drop(stored_bank(&base_name, &base_events).await);
    let fork_name = fresh_name("compare-fork");
    let fork = stored_bank(&fork_name, &fork_events).await;
    let (mut reads, mut views, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    let mut shown = None;
    for _ in 0..3 {
        let t0 = now();
        let store = IndexedDbStore::open(&base_name)
            .await
            .expect("opens the base");
        let log = store.read_all(1).await.expect("reads the base");
        let base = sagabank::app::ReadModels::rebuild(&log);
        drop(store);
        let t1 = now();
        let c = fork.read(|f| sagabank::app::views::compare::compare(&base, f, AT as u64));
        let t2 = now();
        reads.push(t1 - t0);
        views.push(t2 - t1);
        totals.push(t2 - t0);
        assert_eq!((c.base.total, c.fork.total), (N - AT, N - AT));
        shown = Some(c);
    }
    let c = shown.expect("three runs");
    console_log!(
        "compare two histories of {N} events each (fork at {AT}): read the other bank + fold {} ms, \
         the comparison view model {} ms, together {} ms (target <= 1000 ms); {} of {} accounts \
         and {} of {} transfers differ",
        list(&reads),
        list(&views),
        list(&totals),
        c.accounts.changed,
        c.accounts.total,
        c.transfers.changed,
        c.transfers.total,
    );
    drop(fork);
    for name in [base_name, fork_name] {
        IndexedDbStore::delete_database(&name)
            .await
            .expect("deletes");
    }
}

// ---------------------------------------------------------------------------------
// 4. The saga's state diagram (issue 22): redrawn on each step, 100k events in the log
// ---------------------------------------------------------------------------------

/// A transfer to a closed account stepped to its end on a bank whose log holds 100,000
/// events: each step's redraw of the diagram (the read model's transfer looked up, the
/// view model laid out and put in words), now and as of the step's first event. Target
/// (issue 22): under one frame, 16 ms.
#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored (see the top of this file)"]
async fn diagram_redraw_100k() {
    use sagabank::app::views::saga_diagram::Diagram;
    use sagabank::app::FaultPlan;
    use sagabank::domain::RunMode;

    let events = realistic_log(100_000).await;
    let store = MemoryStore::new();
    copy_through_adapter(&store, &events).await;
    let bank = Bank::open(store, Env::fixed("diagram"))
        .await
        .expect("opens");
    let id = TransferId::parse("t-diagram").expect("valid id");
    let transfer = TransferMoney {
        transfer_id: id.clone(),
        from_account_id: account(1),
        to_account_id: account(2),
        amount: cents(100),
        description: "diagram bench".into(),
    };
    let plan = FaultPlan {
        reject_credit: true,
        ..FaultPlan::default()
    };
    bank.start_transfer_with(transfer, plan, RunMode::Step)
        .await
        .expect("starts");
    const REPEAT: u32 = 1_000;
    let mut times = Vec::new();
    loop {
        let before = bank.read(|m| m.last_position);
        // The timer counts tenths of a millisecond: time many redraws, report one.
        let start = now();
        let mut words = 0;
        for _ in 0..REPEAT {
            words = bank.read(|m| {
                let view = &m.transfers[&id];
                let now_ = Diagram::of(view, None);
                let then = Diagram::of(view, Some(before));
                now_.words().len() + then.words().len() + now_.svg(true, None).len()
            });
        }
        times.push((now() - start) / f64::from(REPEAT));
        let terminal = bank.read(|m| m.transfers[&id].state.is_terminal());
        assert!(words >= 2);
        if terminal {
            break;
        }
        bank.step(&id).await.expect("steps");
    }
    let log = bank.read(|m| m.last_position);
    console_log!(
        "diagram redraw (view model, now and as of), {log} events, {} steps: {} ms (max {:.3} ms)",
        times.len(),
        times
            .iter()
            .map(|t| format!("{t:.3}"))
            .collect::<Vec<_>>()
            .join(" / "),
        times.iter().copied().fold(0.0, f64::max)
    );
}

// ---------------------------------------------------------------------------------
// Account snapshots (issue 23 item 6)
// ---------------------------------------------------------------------------------

/// The mean time of loading account `id` from the store, over `n` loads, and how it
/// loaded.
async fn mean_load(
    bank: &Bank<IndexedDbStore>,
    id: &sagabank::domain::AccountId,
    n: u32,
) -> (f64, String) {
    let t0 = now();
    let mut how = String::new();
    for _ in 0..n {
        how = bank.load_account(id).await.expect("loads").how();
    }
    ((now() - t0) / f64::from(n), how)
}

/// Snapshots on, 100,000 events in IndexedDB: a snapshot of every account stored
/// (as "snapshot every N events" leaves them), then the cold start (a new connection,
/// the whole log read and folded into the read models: snapshots do not shorten it,
/// the read models need every event), and loading the busiest account with and
/// without its snapshot.
#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored (see the top of this file)"]
async fn snapshots_100k() {
    let n = 100_000;
    let events = realistic_log(n).await;
    let name = fresh_name("snapshots-100k");
    let bank = stored_bank(&name, &events).await;
    let ids: Vec<_> = bank.read(|m| m.accounts.keys().cloned().collect());
    let t0 = now();
    for id in &ids {
        bank.snapshot_account(id).await.expect("stores a snapshot");
    }
    console_log!(
        "snapshots, IndexedDB {n} events: {} account snapshots stored in {:.0} ms",
        ids.len(),
        now() - t0
    );
    let busiest = bank
        .read(|m| {
            m.accounts
                .values()
                .max_by_key(|a| a.version)
                .map(|a| (a.account_id.clone(), a.version))
        })
        .expect("accounts");
    drop(bank);
    let mut opens = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let t0 = now();
        let store = IndexedDbStore::open(&name).await.expect("opens");
        let bank = Bank::open(store, Env::fixed("cold")).await.expect("opens");
        bank.set_snapshot_every(Some(50));
        opens.push(now() - t0);
        last = Some(bank);
    }
    let bank = last.expect("three opens");
    let (with, with_how) = mean_load(&bank, &busiest.0, 20).await;
    assert_eq!(bank.delete_snapshots().await.expect("deletes"), ids.len());
    let (without, without_how) = mean_load(&bank, &busiest.0, 20).await;
    console_log!(
        "snapshots, IndexedDB {n} events, snapshots on: cold start to the read models {} ms; \
         loading the busiest account ({} events): {without:.1} ms without a snapshot \
         ({without_how}), {with:.1} ms with one ({with_how})",
        list(&opens),
        busiest.1,
    );
    drop(bank);
    IndexedDbStore::delete_database(&name)
        .await
        .expect("deletes the database");
}

/// The diagram's real redraw on a step with 100,000 events in the log: the page's
/// `SagaDiagram` component mounted on the bank, the stepped transfer selected (its
/// path drawn). For each step, the time from the bank taking in the step's events to
/// the page showing the new diagram: the reactive update, the new markup parsed into
/// the DOM, and style and layout (forced by reading the new SVG's box); checked against
/// the view model's current state and linked arrows. Waiting is by microtasks, not
/// frames, so the figure is the work, not the wait for the next frame. Target (issue
/// 22): under one frame, 16 ms.
#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored (see the top of this file)"]
async fn diagram_dom_100k() {
    use std::cell::Cell;

    let (root, bank, selection) = mounted_diagram(&realistic_log(100_000).await).await;
    // Subscribed after the page's listener: called once the page has been told.
    let absorbed = Rc::new(Cell::new(0.0));
    let told = Rc::clone(&absorbed);
    bank.subscribe(move |_| told.set(now()));
    let mut times = Vec::new();
    // Three transfers one after the other, each selected and stepped to its end.
    for k in 0..3 {
        let id = started_transfer(&bank, k).await;
        leptos::prelude::Set::set(&selection, Some(id.clone()));
        while !diagram_shows(&root, &bank, &id) {
            next_microtask().await;
        }
        while !bank.read(|m| m.transfers[&id].state.is_terminal()) {
            let old = root.query_selector("svg").ok().flatten().expect("drawn");
            bank.step(&id).await.expect("steps");
            let mut spins = 0;
            let new = loop {
                match root.query_selector("svg").ok().flatten() {
                    Some(new) if !new.is_same_node(Some(&old)) => break new,
                    _ => {}
                }
                spins += 1;
                assert!(spins < 100_000, "the diagram was not redrawn");
                next_microtask().await;
            };
            let _ = new.get_bounding_client_rect();
            times.push(now() - absorbed.get());
            assert!(diagram_shows(&root, &bank, &id), "the page shows the model");
        }
    }
    console_log!(
        "diagram redraw in the page (component mounted, step taken in -> new SVG in the DOM, \
         laid out), {} events, 3 transfers, {} steps: {} ms (max {:.1} ms, target < 16 ms)",
        bank.read(|m| m.last_position),
        times.len(),
        list(&times),
        times.iter().copied().fold(0.0, f64::max)
    );
}

/// Starts transfer `t-diagram-dom-{k}` in step mode, its credit to be refused.
async fn started_transfer(bank: &sagabank::ui::service::BrowserBank, k: u32) -> TransferId {
    use sagabank::app::FaultPlan;
    use sagabank::domain::RunMode;
    let id = TransferId::parse(&format!("t-diagram-dom-{k}")).expect("valid id");
    let transfer = TransferMoney {
        transfer_id: id.clone(),
        from_account_id: account(1),
        to_account_id: account(2),
        amount: cents(100),
        description: "diagram DOM bench".into(),
    };
    let plan = FaultPlan {
        reject_credit: true,
        ..FaultPlan::default()
    };
    bank.start_transfer_with(transfer, plan, RunMode::Step)
        .await
        .expect("starts");
    id
}

/// A bank holding `events`, shown by the page's `SagaDiagram` component (mounted);
/// returns the page's selected transfer, to select one.
async fn mounted_diagram(
    events: &[Rc<Recorded>],
) -> (
    web_sys::HtmlElement,
    Rc<sagabank::ui::service::BrowserBank>,
    leptos::prelude::RwSignal<Option<TransferId>>,
) {
    use std::cell::Cell;

    use leptos::prelude::*;
    use sagabank::store::any::AnyStore;
    use sagabank::ui::{diagram::SagaDiagram, page::Page, service::BankHandle};

    let store = AnyStore::Memory(MemoryStore::new());
    copy_through_adapter(&store, events).await;
    let bank = Bank::open(store, sagabank::app::Env::fixed("dom"))
        .await
        .expect("opens");
    let root = mounted_diagram_div();
    let page_out: Rc<Cell<Option<Page>>> = Rc::new(Cell::new(None));
    let out = Rc::clone(&page_out);
    leptos::mount::mount_to(root.clone(), move || {
        let handle = BankHandle::new();
        let page = Page::provide(handle);
        handle.install(bank, "diagram-dom-bench");
        out.set(Some(page));
        view! { <SagaDiagram/> }
    })
    .forget();
    let page = page_out.get().expect("mounted");
    let bank = page.bank.bank().expect("installed");
    (root, bank, page.selection.transfer)
}

/// Whether the page's diagram shows what the view model of transfer `id` has: the
/// state lit, and one link per arrow the transfer took.
fn diagram_shows(
    root: &web_sys::HtmlElement,
    bank: &sagabank::ui::service::BrowserBank,
    id: &TransferId,
) -> bool {
    use sagabank::app::views::saga_diagram::{Diagram, Mark};
    let (current, linked) = bank.read(|m| {
        let d = Diagram::of(&m.transfers[id], None);
        let current = d.nodes.iter().find(|n| n.mark == Mark::Current);
        let linked = d.edges.iter().filter(|e| !e.positions.is_empty()).count();
        (current.map(|n| n.name.to_owned()), linked)
    });
    let lit = root
        .query_selector("[data-phase][data-mark='current']")
        .ok()
        .flatten()
        .and_then(|n| n.get_attribute("data-phase"));
    lit == current && root.inner_html().matches(" data-position=").count() == linked
}

/// A fresh `<div>` at the end of `<body>`, for a component to be mounted in.
fn mounted_diagram_div() -> web_sys::HtmlElement {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let div: web_sys::HtmlElement = document
        .create_element("div")
        .expect("a div")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&div)
        .expect("appended");
    div
}

/// Lets the microtasks queued so far run (the page's reactive updates are microtasks).
async fn next_microtask() {
    let resolved = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
    let _ = wasm_bindgen_futures::JsFuture::from(resolved).await;
}
