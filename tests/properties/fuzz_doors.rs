//! Fuzzing the doors: the import check ([`parse_log`]) and the event decoders
//! ([`Recorded::from_json_line`], [`Event::decode`]) get mutated logs written by the
//! real app (lines deleted, duplicated, swapped, moved, cut; characters flipped,
//! deleted, doubled; fields dropped, added, swapped, retyped, copied from other
//! lines; huge, negative and zero numbers; amounts such as "1e400", "NaN", "0.001";
//! unknown types; schema versions 0, 1, 2, 99; CRLF), often renumbered so that they
//! get past the position checks, and fully random lines. None may panic, and:
//!
//! - a log that is accepted replays cleanly: written through the import's own path
//!   ([`restore_by_append`]) every event lands where it was recorded; on a bank opened
//!   on it every balance is the sum of its account's movements and not negative, and
//!   each transfer's legs (debit, credit, refund) are exactly what its phase says;
//!   after the bank resumes the unfinished transfers (as the app does after an
//!   import) every transfer has ended, the live read models equal a fold of the log,
//!   money is conserved, and the log it then holds exports and imports again;
//! - a log that is refused is refused with `line N: reason`, where line N is the first
//!   line at which the log stops being importable (every line before it imports), a
//!   line the decoder itself refuses is refused with the decoder's own reason, and no
//!   reason quotes serde's "at line 1 column N";
//! - a line or event data the decoders accept writes back to the same event.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;
use std::sync::OnceLock;

use futures::executor::block_on;
use proptest::prelude::*;
use rust_decimal::Decimal;
use sagabank::app::import::parse_log;
use sagabank::app::{scenario, Bank, BankError, CrashPoint, Env, FaultPlan, ReadModels};
use sagabank::domain::account::{AccountCommand, SuspendAccount};
use sagabank::domain::transfer::TransferState;
use sagabank::domain::RunMode;
use sagabank::domain::{
    AccountId, BankCommand, Event, Money, SagaStep, TransferId, TransferMoney, SCHEMA_VERSION,
};
use sagabank::store::restore::restore_by_append;
use sagabank::store::{EventStore, MemoryStore, Recorded};

/// Logs written by the real app, one JSON line per event, as Export writes them.
fn app_logs() -> &'static [Vec<String>] {
    static LOGS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    LOGS.get_or_init(|| vec![seed_demo_log(), faulty_log(), compensation_failed_log()])
}

fn export(store: &MemoryStore) -> Vec<String> {
    block_on(store.read_all(1))
        .unwrap()
        .iter()
        .map(|r| r.to_json_line())
        .collect()
}

fn run_scenario(bank: &Bank<MemoryStore>, json: &str) {
    block_on(scenario::run(bank, scenario::parse(json).unwrap()));
}

fn seed_demo_log() -> Vec<String> {
    let store = MemoryStore::new();
    let bank = block_on(Bank::open(store.clone(), Env::fixed("s"))).unwrap();
    run_scenario(&bank, include_str!("../../scenarios/seed-demo.json"));
    export(&store)
}

fn id(text: &str) -> AccountId {
    AccountId::parse(text).unwrap()
}

fn transfer(t: &str, from: &str, to: &str, amount: &str) -> TransferMoney {
    TransferMoney {
        transfer_id: TransferId::parse(t).unwrap(),
        from_account_id: id(from),
        to_account_id: id(to),
        amount: Money::parse(amount).unwrap(),
        description: format!("{t} "),
    }
}

/// Every account event, a completed transfer, a compensated one, one with retries,
/// and one left half-way by a crash (its debit leg written, not yet recorded).
fn faulty_log() -> Vec<String> {
    let store = MemoryStore::new();
    let bank = block_on(Bank::open(store.clone(), Env::fixed("f"))).unwrap();
    run_scenario(
        &bank,
        r#"[
        {"type": "OpenAccount", "account_id": "a", "owner_name": " Ann ", "initial_balance": "100.00"},
        {"type": "OpenAccount", "account_id": "b", "owner_name": "Bo", "initial_balance": "0"},
        {"type": "OpenAccount", "account_id": "c", "owner_name": "Cy", "initial_balance": "5.5"},
        {"type": "DepositMoney", "account_id": "b", "amount": "20.05", "description": "pay"},
        {"type": "WithdrawMoney", "account_id": "a", "amount": "0.01", "description": "fee"},
        {"type": "TransferMoney", "transfer_id": "t1", "from_account_id": "a",
         "to_account_id": "b", "amount": "30.00", "description": "rent"},
        {"type": "SuspendAccount", "account_id": "c", "reason": "check"},
        {"type": "ReactivateAccount", "account_id": "c"},
        {"type": "WithdrawMoney", "account_id": "c", "amount": "5.50", "description": ""},
        {"type": "CloseAccount", "account_id": "c"}
    ]"#,
    );
    let plans = [
        (
            "t2",
            "b",
            "a",
            "10.00",
            FaultPlan {
                reject_credit: true,
                ..FaultPlan::default()
            },
        ),
        (
            "t3",
            "a",
            "b",
            "1.00",
            FaultPlan {
                transient: Some((SagaStep::Credit, 2)),
                ..FaultPlan::default()
            },
        ),
        (
            "t4",
            "a",
            "b",
            "2.00",
            FaultPlan {
                crash: Some(CrashPoint::AfterLeg(SagaStep::Debit)),
                ..FaultPlan::default()
            },
        ),
    ];
    for (t, from, to, amount, plan) in plans {
        let command = transfer(t, from, to, amount);
        let result = block_on(async {
            bank.start_transfer_with(command, plan, RunMode::Auto)
                .await?;
            bank.run_transfer(&TransferId::parse(t).unwrap()).await
        });
        match result {
            Ok(_) | Err(BankError::Crashed(_)) => {}
            Err(e) => panic!("{t}: {e}"),
        }
    }
    export(&store)
}

/// A refund that is itself rejected (the source was suspended meanwhile), and a
/// transfer waiting for its credit.
fn compensation_failed_log() -> Vec<String> {
    let store = MemoryStore::new();
    let bank = block_on(Bank::open(store.clone(), Env::fixed("c"))).unwrap();
    run_scenario(
        &bank,
        r#"[
        {"type": "OpenAccount", "account_id": "x", "owner_name": "Xi", "initial_balance": "50.00"},
        {"type": "OpenAccount", "account_id": "y", "owner_name": "Yu", "initial_balance": "1.00"}
    ]"#,
    );
    block_on(async {
        let t = TransferId::parse("t9").unwrap();
        let plan = FaultPlan {
            reject_credit: true,
            ..FaultPlan::default()
        };
        bank.start_transfer_with(transfer("t9", "x", "y", "20.00"), plan, RunMode::Step)
            .await?;
        bank.step(&t).await?;
        let suspend = AccountCommand::SuspendAccount(SuspendAccount {
            account_id: id("x"),
            reason: "fraud check".into(),
        });
        bank.execute(BankCommand::from(suspend)).await?;
        bank.run_transfer(&t).await?;
        let u = TransferId::parse("u1").unwrap();
        bank.start_transfer(transfer("u1", "y", "x", "0.50"))
            .await?;
        bank.step(&u).await?;
        Ok::<_, BankError>(())
    })
    .unwrap();
    let log = export(&store);
    assert!(log.iter().any(|l| l.contains("TransferCompensationFailed")));
    log
}

// ---------------------------------------------------------------------------------
// Mutations

/// JSON texts that break things: numbers out of every range, wrong types, amounts
/// that are not money, ids that are not ids.
const ODD_VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "3",
    "99",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "1e400",
    "-1e400",
    "1.5",
    "1e3",
    "12.5",
    "null",
    "true",
    "[]",
    "{}",
    "[1,{\"a\":[]}]",
    "\"\"",
    "\"   \"",
    "\"x\"",
    "\"1e400\"",
    "\"NaN\"",
    "\"Infinity\"",
    "\"0.001\"",
    "\"-5.00\"",
    "\"0\"",
    "\"0.00\"",
    "\"1000000000.00\"",
    "\"1000000000.01\"",
    "\"99999999999999999999999999999999\"",
    "\"12.5\"",
    "\"debit\"",
    "\"refund\"",
    "\"a\"",
    "\"b\"",
    "\"x\"",
    "\"t1\"",
    "\"<b>bob</b>\"",
    "\"é\"",
    "\"\\u0000\"",
    "\"account-a\"",
    "\"transfer-t1\"",
    "\"AccountOpened\"",
    "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
];

const ENVELOPE_KEYS: &[&str] = &[
    "position",
    "stream",
    "version",
    "type",
    "schema_version",
    "event_id",
    "recorded_at",
    "correlation_id",
    "causation_id",
    "data",
];

const DATA_KEYS: &[&str] = &[
    "account_id",
    "owner_name",
    "initial_balance",
    "amount",
    "transaction_id",
    "description",
    "transfer_id",
    "reason",
    "final_balance",
    "from_account_id",
    "to_account_id",
    "step",
    "attempt",
    "deposited_at",
    "extra",
];

/// Where in a line's JSON a field edit goes.
#[derive(Debug, Clone)]
enum Place {
    Envelope(usize),
    Data(usize),
}

#[derive(Debug, Clone)]
enum Edit {
    Remove,
    /// One of [`ODD_VALUES`].
    Odd(usize),
    /// The same field's value from another line.
    FromLine(usize),
    /// Swap with another field of the same object.
    Swap(Place),
    /// A string field as a number or the other way round.
    Retype,
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    MoveLine(usize, usize),
    Truncate(usize, usize),
    FlipChar(usize, usize, char),
    DeleteChar(usize, usize),
    DuplicateChar(usize, usize),
    InsertLine(usize, String),
    Field(usize, Place, Edit),
    /// Another event type (or an unknown one), data unchanged.
    Retag(usize, usize),
    /// Rewritten in schema 1's shape: amounts as JSON numbers, a domain time, no
    /// schema version (or 1).
    Downgrade(usize, bool),
}

fn place() -> impl Strategy<Value = Place> {
    prop_oneof![
        (0..ENVELOPE_KEYS.len()).prop_map(Place::Envelope),
        (0..DATA_KEYS.len()).prop_map(Place::Data),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        2 => Just(Edit::Remove),
        4 => (0..ODD_VALUES.len()).prop_map(Edit::Odd),
        3 => any::<usize>().prop_map(Edit::FromLine),
        1 => place().prop_map(Edit::Swap),
        1 => Just(Edit::Retype),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<usize>();
    prop_oneof![
        2 => i.prop_map(Mutation::DeleteLine),
        2 => i.prop_map(Mutation::DuplicateLine),
        2 => (i, i).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (i, i).prop_map(|(a, b)| Mutation::MoveLine(a, b)),
        1 => (i, i).prop_map(|(a, b)| Mutation::Truncate(a, b)),
        2 => (i, i, prop::sample::select(&b"{}[]\":,.-0123456789 aeltx\\"[..]))
            .prop_map(|(a, b, c)| Mutation::FlipChar(a, b, char::from(c))),
        1 => (i, i).prop_map(|(a, b)| Mutation::DeleteChar(a, b)),
        1 => (i, i).prop_map(|(a, b)| Mutation::DuplicateChar(a, b)),
        1 => (i, random_line()).prop_map(|(a, l)| Mutation::InsertLine(a, l)),
        8 => (i, place(), edit()).prop_map(|(a, p, e)| Mutation::Field(a, p, e)),
        2 => (i, 0..Event::TYPES.len() + 1).prop_map(|(a, t)| Mutation::Retag(a, t)),
        1 => (i, any::<bool>()).prop_map(|(a, b)| Mutation::Downgrade(a, b)),
    ]
}

/// A line of anything: printable text, JSON-ish noise, or an envelope of random
/// fields around a random type.
fn random_line() -> impl Strategy<Value = String> {
    let value = (0..ODD_VALUES.len()).prop_map(|i| ODD_VALUES[i].to_owned());
    let data = prop::collection::vec((prop::sample::select(DATA_KEYS), value.clone()), 0..6)
        .prop_map(|fields| {
            let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{{}}}", body.join(","))
        });
    let envelope = (
        1u64..4,
        0usize..Event::TYPES.len() + 1,
        prop::option::of(value.clone()),
        data,
        any::<bool>(),
    )
        .prop_map(|(n, t, schema, data, named)| {
            let event_type = Event::TYPES.get(t).copied().unwrap_or("Unknown");
            let stream = if named { "account-a" } else { "transfer-t1" };
            let schema = schema.map_or(String::new(), |s| format!(",\"schema_version\":{s}"));
            format!(
                "{{\"position\":{n},\"stream\":\"{stream}\",\"version\":{n},\"type\":\"{event_type}\"\
                 {schema},\"event_id\":\"e\",\"recorded_at\":\"r\",\"data\":{data}}}"
            )
        });
    prop_oneof![
        2 => "\\PC{0,60}",
        2 => "[{}\\[\\]\":,0-9a-z .\\\\-]{0,60}",
        1 => Just(String::new()),
        1 => Just("[".repeat(300)),
        4 => envelope,
    ]
}

fn at<T>(items: &[T], i: usize) -> Option<usize> {
    (!items.is_empty()).then(|| i % items.len())
}

/// The character boundary nearest below `i % (len + 1)`.
fn boundary(line: &str, i: usize) -> usize {
    let mut b = i % (line.len() + 1);
    while !line.is_char_boundary(b) {
        b -= 1;
    }
    b
}

/// A JSON value that will be written as the raw text `raw` (so it can hold numbers
/// `serde_json::Value` cannot, such as 1e400).
fn raw(raw: &str) -> serde_json::Value {
    serde_json::Value::String(format!("\u{1}RAW{raw}\u{1}"))
}

/// Writes a value, splicing in the raw texts of [`raw`].
fn write(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("\"\\u0001RAW") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "\"\\u0001RAW".len()..];
        let Some(end) = after.find("\\u0001\"") else {
            break;
        };
        // Undo the escaping serde_json applied to the raw text.
        let escaped = format!("\"{}\"", &after[..end]);
        let unescaped: String = serde_json::from_str(&escaped).unwrap();
        out.push_str(&unescaped);
        rest = &after[end + "\\u0001\"".len()..];
    }
    out.push_str(rest);
    out
}

type Object = serde_json::Map<String, serde_json::Value>;

fn slot<'a>(object: &'a mut Object, place: &Place) -> Option<(&'a mut Object, &'static str)> {
    match place {
        Place::Envelope(k) => Some((object, ENVELOPE_KEYS[*k])),
        Place::Data(k) => match object.get_mut("data") {
            Some(serde_json::Value::Object(data)) => Some((data, DATA_KEYS[*k])),
            _ => None,
        },
    }
}

fn edit_json(lines: &mut [String], n: usize, change: impl FnOnce(&mut Object, &[String])) {
    let Ok(serde_json::Value::Object(mut object)) = serde_json::from_str(&lines[n]) else {
        return;
    };
    change(&mut object, lines);
    lines[n] = write(&serde_json::Value::Object(object));
}

fn apply(lines: &mut Vec<String>, m: &Mutation) {
    match m {
        Mutation::DeleteLine(i) => {
            if let Some(i) = at(lines, *i) {
                lines.remove(i);
            }
        }
        Mutation::DuplicateLine(i) => {
            if let Some(i) = at(lines, *i) {
                lines.insert(i, lines[i].clone());
            }
        }
        Mutation::SwapLines(a, b) => {
            if let (Some(a), Some(b)) = (at(lines, *a), at(lines, *b)) {
                lines.swap(a, b);
            }
        }
        Mutation::MoveLine(a, b) => {
            if let Some(a) = at(lines, *a) {
                let line = lines.remove(a);
                let b = b % (lines.len() + 1);
                lines.insert(b, line);
            }
        }
        Mutation::Truncate(i, c) => {
            if let Some(i) = at(lines, *i) {
                let b = boundary(&lines[i], *c);
                lines[i].truncate(b);
            }
        }
        Mutation::FlipChar(i, c, ch) => {
            if let Some(i) = at(lines, *i) {
                let b = boundary(&lines[i], *c);
                let line = &mut lines[i];
                if b < line.len() {
                    line.remove(b);
                }
                line.insert(b, *ch);
            }
        }
        Mutation::DeleteChar(i, c) => {
            if let Some(i) = at(lines, *i) {
                let b = boundary(&lines[i], *c);
                if b < lines[i].len() {
                    lines[i].remove(b);
                }
            }
        }
        Mutation::DuplicateChar(i, c) => {
            if let Some(i) = at(lines, *i) {
                let b = boundary(&lines[i], *c);
                if let Some(ch) = lines[i][b..].chars().next() {
                    lines[i].insert(b, ch);
                }
            }
        }
        Mutation::InsertLine(i, line) => {
            let i = i % (lines.len() + 1);
            lines.insert(i, line.clone());
        }
        Mutation::Field(i, place, e) => edit_field(lines, *i, place, e),
        Mutation::Retag(i, t) => {
            let Some(n) = at(lines, *i) else { return };
            let event_type = Event::TYPES.get(*t).copied().unwrap_or("AccountExploded");
            edit_json(lines, n, |object, _| {
                object.insert("type".into(), event_type.into());
            });
        }
        Mutation::Downgrade(i, keep) => downgrade(lines, *i, *keep),
    }
}

/// Edits one field of line `i` (see [`Edit`]).
fn edit_field(lines: &mut [String], i: usize, place: &Place, e: &Edit) {
    let Some(n) = at(lines, i) else { return };
    edit_json(lines, n, |object, all| {
        let other = match e {
            Edit::FromLine(j) => at(all, *j).and_then(|j| {
                let line: Object = serde_json::from_str(&all[j]).ok()?;
                match place {
                    Place::Envelope(k) => line.get(ENVELOPE_KEYS[*k]).cloned(),
                    Place::Data(k) => line.get("data")?.get(DATA_KEYS[*k]).cloned(),
                }
            }),
            _ => None,
        };
        let swapped = match e {
            Edit::Swap(p) => slot(object, p).and_then(|(o, k)| o.get(k).cloned().map(|v| (v, p))),
            _ => None,
        };
        let Some((target, key)) = slot(object, place) else {
            return;
        };
        match e {
            Edit::Remove => {
                target.remove(key);
            }
            Edit::Odd(v) => {
                target.insert(key.to_owned(), raw(ODD_VALUES[*v]));
            }
            Edit::FromLine(_) => {
                if let Some(v) = other {
                    target.insert(key.to_owned(), v);
                }
            }
            Edit::Retype => {
                let retyped = match target.get(key) {
                    Some(serde_json::Value::String(s)) => raw(s),
                    Some(v) => serde_json::Value::String(v.to_string()),
                    None => return,
                };
                target.insert(key.to_owned(), retyped);
            }
            Edit::Swap(_) => {
                let Some((value, p)) = swapped else { return };
                let mine = target.insert(key.to_owned(), value);
                if let (Some(mine), Some((o, k))) = (mine, slot(object, p)) {
                    o.insert(k.to_owned(), mine);
                }
            }
        }
    });
}

/// Line `i` as schema version 1 wrote it (amounts as numbers, a time stamp), its
/// version said (`keep`) or left out.
fn downgrade(lines: &mut [String], i: usize, keep: bool) {
    let Some(n) = at(lines, i) else { return };
    edit_json(lines, n, |object, _| {
        if keep {
            object.insert("schema_version".into(), 1.into());
        } else {
            object.remove("schema_version");
        }
        if let Some(serde_json::Value::Object(data)) = object.get_mut("data") {
            for key in ["amount", "initial_balance", "final_balance"] {
                if let Some(serde_json::Value::String(s)) = data.get(key) {
                    let number = raw(s);
                    data.insert(key.into(), number);
                }
            }
            data.insert("happened_at".into(), "2026-01-01T00:00:00Z".into());
        }
    });
}

/// Positions 1, 2, 3, ... and each stream's versions 1, 2, 3, ... again, so that
/// moved, deleted and duplicated lines reach the checks behind the numbering. Done on
/// the text (parsing every line would cost more than the check itself); lines
/// without a plain `"position"`, `"stream"` and `"version"` are left alone.
fn renumber(lines: &mut [String]) {
    fn number_after(line: &str, key: &str) -> Option<std::ops::Range<usize>> {
        let start = line.find(key)? + key.len();
        let digits = line[start..].bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0).then_some(start..start + digits)
    }
    let mut versions: HashMap<String, u64> = HashMap::new();
    let mut position = 0;
    for line in lines.iter_mut() {
        let stream = line.find("\"stream\":\"").and_then(|i| {
            let rest = &line[i + "\"stream\":\"".len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        });
        let (Some(stream), Some(_), Some(_)) = (
            stream,
            number_after(line, "\"position\":"),
            number_after(line, "\"version\":"),
        ) else {
            continue;
        };
        position += 1;
        let version = versions.entry(stream).or_insert(0);
        *version += 1;
        for (key, n) in [("\"position\":", position), ("\"version\":", *version)] {
            if let Some(range) = number_after(line, key) {
                line.replace_range(range, &n.to_string());
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Input {
    log: usize,
    /// Keep only the first lines of the app's log (a log cut short).
    keep: usize,
    mutations: Vec<Mutation>,
    renumber: bool,
    crlf: bool,
    trailing_newline: bool,
}

impl Input {
    /// The log's text, and its lines that the mutations changed or added.
    fn text(&self) -> (String, Vec<String>) {
        let logs = app_logs();
        let mut lines = logs[self.log % logs.len()].clone();
        lines.truncate(self.keep.max(1));
        for m in &self.mutations {
            apply(&mut lines, m);
        }
        let changed: Vec<bool> = lines
            .iter()
            .map(|l| !logs.iter().flatten().any(|a| a == l))
            .collect();
        if self.renumber {
            renumber(&mut lines);
        }
        let mut text = lines.join(if self.crlf { "\r\n" } else { "\n" });
        if self.trailing_newline {
            text.push('\n');
        }
        let changed = lines
            .into_iter()
            .zip(changed)
            .filter_map(|(l, c)| c.then_some(l))
            .collect();
        (text, changed)
    }
}

fn input() -> impl Strategy<Value = Input> {
    (
        0usize..3,
        prop_oneof![1 => 1usize..30, 3 => Just(usize::MAX)],
        prop::collection::vec(mutation(), 0..4),
        prop::bool::weighted(0.6),
        prop::bool::weighted(0.1),
        any::<bool>(),
    )
        .prop_map(
            |(log, keep, mutations, renumber, crlf, trailing_newline)| Input {
                log,
                keep,
                mutations,
                renumber,
                crlf,
                trailing_newline,
            },
        )
}

// ---------------------------------------------------------------------------------
// What must hold

fn check_log(text: &str) -> Result<(), TestCaseError> {
    match parse_log(text) {
        Ok(events) => check_accepted(text, &events),
        Err(e) => {
            prop_assert_eq!(e.to_string(), format!("line {}: {}", e.line, e.reason));
            let lines: Vec<&str> = text.lines().collect();
            prop_assert!(
                e.line >= 1 && e.line <= lines.len(),
                "{} of {}",
                e,
                lines.len()
            );
            let line = lines[e.line - 1];
            prop_assert!(!line.trim().is_empty(), "{} names a blank line", e);
            // serde's own "at line 1 column 9" would contradict the line named.
            prop_assert!(!e.reason.contains(" at line "), "{}", e);
            // Every line before it imports, though the lines before may end inside
            // an append that the named line was to finish.
            let before = lines[..e.line - 1].join("\n");
            match parse_log(&before) {
                Ok(_) => {}
                Err(cut) => prop_assert!(
                    cut.reason.contains("the file is cut short")
                        && lines[cut.line..e.line - 1]
                            .iter()
                            .all(|l| l.trim().is_empty()),
                    "{}: but an earlier line is refused already: {}",
                    e,
                    cut
                ),
            }
            let through = lines[..e.line].join("\n");
            prop_assert_eq!(
                parse_log(&through),
                Err(e.clone()),
                "the named line is the first"
            );
            if let Err(decode) = Recorded::from_json_line(line) {
                prop_assert_eq!(e.reason, decode.to_string());
            }
            Ok(())
        }
    }
}

fn check_accepted(text: &str, events: &[Recorded]) -> Result<(), TestCaseError> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    prop_assert_eq!(events.len(), lines.len(), "every line is an event");
    for (r, line) in events.iter().zip(&lines) {
        prop_assert_eq!(&Recorded::from_json_line(line).unwrap(), r);
        prop_assert_eq!(r.schema_version, SCHEMA_VERSION);
    }
    check_numbering(events)?;
    check_transfer_events(events)?;

    // Written the way the import writes it, each event lands where it was.
    let store = MemoryStore::new();
    block_on(restore_by_append(&store, events)).map_err(fail)?;
    let stored = block_on(store.read_all(1)).unwrap();
    prop_assert!(
        stored.iter().map(|r| &**r).eq(events.iter()),
        "the store holds exactly the imported events"
    );

    let bank = block_on(Bank::open(store.clone(), Env::fixed("fuzz"))).map_err(fail)?;
    bank.read(|m| check_money(m, &stored, false))?;

    // Unfinished transfers resume: those that ran by themselves as after an import in
    // the app, and those stepped by hand as the learner would drive them on.
    let unfinished = bank.read(ReadModels::unfinished_transfers);
    block_on(bank.resume_all(&unfinished)).map_err(fail)?;
    let after = block_on(store.read_all(1)).unwrap();
    prop_assert!(after[..stored.len()] == stored[..], "resuming only appends");
    check_numbering(&after.iter().map(|r| (**r).clone()).collect::<Vec<_>>())?;
    bank.read(|models| {
        prop_assert!(
            *models == ReadModels::rebuild(&after),
            "live = fold after resuming"
        );
        prop_assert!(
            models.unfinished_transfers().is_empty(),
            "every transfer has ended"
        );
        check_money(models, &after, true)
    })?;

    // What the bank now holds exports and imports again, unchanged.
    let export: String = after.iter().map(|r| r.to_json_line() + "\n").collect();
    let again = parse_log(&export).map_err(fail)?;
    prop_assert!(
        again.iter().eq(after.iter().map(|r| &**r)),
        "export round trip"
    );
    Ok(())
}

/// Every event of a transfer repeats the transfer's own details, and a retried step
/// is the step the transfer waits for, counted from 1: what the saga would write.
fn check_transfer_events(events: &[Recorded]) -> Result<(), TestCaseError> {
    let mut started: HashMap<TransferId, (AccountId, AccountId, Money)> = HashMap::new();
    let mut retries: HashMap<TransferId, u32> = HashMap::new();
    for r in events {
        let (t, from, to, amount) = match &r.event {
            Event::TransferInitiated(e) => {
                prop_assert!(
                    e.amount.is_positive(),
                    "{} moves {}",
                    e.transfer_id,
                    e.amount
                );
                prop_assert_ne!(&e.from_account_id, &e.to_account_id);
                let details = (e.from_account_id.clone(), e.to_account_id.clone(), e.amount);
                started.insert(e.transfer_id.clone(), details);
                continue;
            }
            Event::TransferDebited(e) => (
                &e.transfer_id,
                &e.from_account_id,
                Some(&e.to_account_id),
                Some(e.amount),
            ),
            Event::TransferCreditRejected(e) => (
                &e.transfer_id,
                &e.from_account_id,
                Some(&e.to_account_id),
                Some(e.amount),
            ),
            Event::TransferCompleted(e) => (
                &e.transfer_id,
                &e.from_account_id,
                Some(&e.to_account_id),
                Some(e.amount),
            ),
            Event::TransferReversed(e) => {
                (&e.transfer_id, &e.from_account_id, None, Some(e.amount))
            }
            Event::TransferFailed(e) => (
                &e.transfer_id,
                &e.from_account_id,
                Some(&e.to_account_id),
                Some(e.amount),
            ),
            Event::TransferCompensationFailed(e) => (
                &e.transfer_id,
                &e.from_account_id,
                Some(&e.to_account_id),
                Some(e.amount),
            ),
            Event::TransferStepRetried(e) => {
                let n = retries.entry(e.transfer_id.clone()).or_insert(0);
                *n += 1;
                prop_assert_eq!(e.attempt, *n, "attempts of {} count from 1", e.transfer_id);
                continue;
            }
            _ => continue,
        };
        retries.remove(t);
        let Some((f, d, a)) = started.get(t) else {
            return Err(fail(format!(
                "{} before its transfer started",
                r.event_type()
            )));
        };
        prop_assert_eq!(from, f, "{} of {} names its source", r.event_type(), t);
        if let Some(to) = to {
            prop_assert_eq!(to, d, "{} of {} names its destination", r.event_type(), t);
        }
        prop_assert_eq!(
            amount,
            Some(*a),
            "{} of {} moves its amount",
            r.event_type(),
            t
        );
    }
    Ok(())
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

fn check_numbering(events: &[Recorded]) -> Result<(), TestCaseError> {
    let mut versions: HashMap<&str, u64> = HashMap::new();
    for (i, r) in events.iter().enumerate() {
        prop_assert_eq!(r.position, i as u64 + 1, "positions are gap-free");
        let v = versions.entry(&r.stream).or_insert(0);
        *v += 1;
        prop_assert_eq!(r.version, *v, "versions of {} are gap-free", r.stream);
    }
    Ok(())
}

/// Balances are the sum of each account's movements and never negative; every
/// transfer's legs (debit, credit, refund) are exactly what its phase says, each of
/// its amount; so money only leaves the bank through withdrawals, and stays in
/// flight only for a transfer waiting for its credit or refund, or one whose refund
/// failed (and says so).
fn check_money(
    models: &ReadModels,
    log: &[Rc<Recorded>],
    ended: bool,
) -> Result<(), TestCaseError> {
    let mut balances: BTreeMap<AccountId, Decimal> = BTreeMap::new();
    let mut external = Decimal::ZERO;
    let mut legs: HashMap<TransferId, HashSet<SagaStep>> = HashMap::new();
    let mut in_flight = Decimal::ZERO;
    for r in log {
        match &r.event {
            Event::AccountOpened(e) => {
                balances.insert(e.account_id.clone(), e.initial_balance.to_decimal());
                external += e.initial_balance.to_decimal();
            }
            Event::MoneyDeposited(e) => {
                *balances.entry(e.account_id.clone()).or_default() += e.amount.to_decimal();
                match &e.transfer_id {
                    None => external += e.amount.to_decimal(),
                    Some(t) => {
                        let view = &models.transfers[t];
                        prop_assert_eq!(view.amount, e.amount, "a leg moves its transfer's amount");
                        // A refund pays the source, or the account an operator chose.
                        let operator = log.iter().any(|r| {
                            matches!(&r.event, Event::TransferRefundRetried(x)
                                if &x.transfer_id == t && x.refund_account_id == e.account_id)
                        });
                        let step = if e.account_id == view.from_account_id || operator {
                            SagaStep::Refund
                        } else {
                            prop_assert_eq!(&e.account_id, &view.to_account_id);
                            SagaStep::Credit
                        };
                        prop_assert!(legs.entry(t.clone()).or_default().insert(step));
                        in_flight -= e.amount.to_decimal();
                    }
                }
            }
            Event::MoneyWithdrawn(e) => {
                *balances.entry(e.account_id.clone()).or_default() -= e.amount.to_decimal();
                match &e.transfer_id {
                    None => external -= e.amount.to_decimal(),
                    Some(t) => {
                        let view = &models.transfers[t];
                        prop_assert_eq!(view.amount, e.amount, "a leg moves its transfer's amount");
                        prop_assert_eq!(&e.account_id, &view.from_account_id);
                        prop_assert!(legs.entry(t.clone()).or_default().insert(SagaStep::Debit));
                        in_flight += e.amount.to_decimal();
                    }
                }
            }
            _ => {}
        }
    }
    for (account, balance) in &balances {
        let view = &models.accounts[account];
        prop_assert_eq!(
            view.balance.to_decimal(),
            *balance,
            "balance of {}",
            account
        );
        prop_assert!(!view.balance.is_negative(), "{} is overdrawn", account);
    }
    prop_assert_eq!(
        models.total_balance() + in_flight,
        external,
        "money is conserved"
    );
    check_legs(models, &legs, in_flight, ended)
}

/// Each transfer's legs fit its state, and the money in flight is the debits not yet
/// paid out (at the end, only those whose refund failed).
fn check_legs(
    models: &ReadModels,
    legs: &HashMap<TransferId, HashSet<SagaStep>>,
    in_flight: Decimal,
    ended: bool,
) -> Result<(), TestCaseError> {
    use SagaStep::{Credit, Debit, Refund};
    let mut stuck = Decimal::ZERO;
    for (t, view) in &models.transfers {
        let have = legs.get(t).cloned().unwrap_or_default();
        let set = |steps: &[SagaStep]| steps.iter().copied().collect::<HashSet<_>>();
        let allowed: Vec<HashSet<SagaStep>> = match &view.state {
            TransferState::NotStarted => vec![set(&[])],
            TransferState::Initiated(_) => vec![set(&[]), set(&[Debit])],
            TransferState::Debited(_) => vec![set(&[Debit]), set(&[Debit, Credit])],
            TransferState::CreditRejected { .. } => vec![set(&[Debit]), set(&[Debit, Refund])],
            TransferState::Completed(_) => vec![set(&[Debit, Credit])],
            TransferState::Failed {
                reversed: false, ..
            } => vec![set(&[])],
            TransferState::Failed { reversed: true, .. } => vec![set(&[Debit, Refund])],
            TransferState::CompensationFailed { .. } => vec![set(&[Debit])],
            TransferState::RefundRetrying { .. } => vec![set(&[Debit]), set(&[Debit, Refund])],
        };
        prop_assert!(
            allowed.contains(&have),
            "{} is {:?} with legs {:?}",
            t,
            view.state,
            have
        );
        if have == set(&[Debit]) {
            stuck += view.amount.to_decimal();
        }
    }
    prop_assert_eq!(
        stuck,
        in_flight,
        "money in flight is the debits not yet paid out"
    );
    if ended {
        let attention: Decimal = models
            .transfers
            .values()
            .filter(|v| matches!(v.state, TransferState::CompensationFailed { .. }))
            .map(|v| v.amount.to_decimal())
            .sum();
        prop_assert_eq!(
            in_flight,
            attention,
            "only a failed refund leaves money in flight"
        );
    }
    Ok(())
}

/// A line the decoder accepts writes back to a line it reads as the same event.
fn check_line(line: &str) -> Result<(), TestCaseError> {
    if let Ok(r) = Recorded::from_json_line(line) {
        let again = Recorded::from_json_line(&r.to_json_line());
        prop_assert_eq!(again.as_ref(), Ok(&r));
        let data = r.event.data().to_string();
        prop_assert_eq!(
            Event::decode(r.event_type(), SCHEMA_VERSION, &data),
            Ok(r.event)
        );
    }
    Ok(())
}

/// Event data on its own: any type name, any schema version, any text.
fn check_decode(event_type: &str, schema: u32, data: &str) -> Result<(), TestCaseError> {
    match Event::decode(event_type, schema, data) {
        Ok(event) => {
            prop_assert_eq!(event.event_type(), event_type);
            prop_assert!((1..=SCHEMA_VERSION).contains(&schema));
            let again = Event::decode(event_type, SCHEMA_VERSION, &event.data().to_string());
            prop_assert_eq!(again, Ok(event));
        }
        Err(e) => prop_assert!(!e.to_string().is_empty()),
    }
    Ok(())
}

/// The share (in tenths) of the 10,000 default cases one property gets. proptest's
/// `PROPTEST_CASES` overrides it: each property then runs that many.
fn cases(tenths: u32) -> u32 {
    10_000 / 10 * tenths
}

#[test]
fn the_app_logs_import_replay_and_round_trip() {
    for log in app_logs() {
        for line in log {
            check_line(line).unwrap();
        }
        let text = log.join("\n");
        parse_log(&text).unwrap();
        check_log(&text).unwrap();
    }
}

#[test]
fn deeply_nested_data_is_refused_without_overflowing_the_stack() {
    for depth in [127, 128, 129, 100_000] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let data = open.repeat(depth) + "0" + &close.repeat(depth);
            for schema in [1, 2] {
                let line = format!(
                    "{{\"position\":1,\"stream\":\"account-a\",\"version\":1,\"type\":\
                     \"AccountOpened\",\"schema_version\":{schema},\"event_id\":\"e\",\
                     \"recorded_at\":\"r\",\"data\":{data}}}"
                );
                let err = parse_log(&line).unwrap_err();
                assert_eq!(err.line, 1, "{err}");
                check_log(&line).unwrap();
                check_decode("AccountOpened", schema, &data).unwrap();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(6), ..ProptestConfig::default() })]

    #[test]
    fn mutated_app_logs_are_imported_cleanly_or_refused_at_their_first_bad_line(input in input()) {
        let (text, changed) = input.text();
        for line in &changed {
            check_line(line)?;
        }
        check_log(&text)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2), ..ProptestConfig::default() })]

    #[test]
    fn random_lines_are_refused_at_their_line_and_never_panic(
        lines in prop::collection::vec(random_line(), 0..5),
    ) {
        let text = lines.join("\n");
        for line in &lines {
            check_line(line)?;
        }
        check_log(&text)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2), ..ProptestConfig::default() })]

    #[test]
    fn event_data_of_any_type_and_schema_decodes_or_is_refused(
        t in 0..Event::TYPES.len() + 2,
        schema in prop_oneof![0u32..4, Just(99), Just(u32::MAX)],
        data in prop_oneof![
            random_line(),
            (0..3usize, any::<usize>()).prop_flat_map(|(log, i)| {
                let lines = &app_logs()[log];
                let line = &lines[i % lines.len()];
                let data = serde_json::from_str::<serde_json::Value>(line).unwrap()["data"].to_string();
                (Just(data), mutation())
            }).prop_map(|(data, m)| {
                let mut lines = vec![format!("{{\"data\":{data}}}")];
                apply(&mut lines, &m);
                lines.first().map(|l| l.strip_prefix("{\"data\":").and_then(|l| l.strip_suffix('}')).unwrap_or(l).to_owned()).unwrap_or_default()
            }),
        ],
    ) {
        let event_type = Event::TYPES.get(t).copied().unwrap_or(if t % 2 == 0 { "" } else { "Nope" });
        check_decode(event_type, schema, &data)?;
    }
}
