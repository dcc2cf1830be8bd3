//! Compare's view model: a bank and a fork of it made at event N, side by side. Both
//! histories from N on (the events after the fork point in each), and where their read
//! models differ: each account's balance and status, each transfer's route, amount and
//! status, a cell marked where the two banks disagree.
//!
//! Long logs: the rows that differ come first, and at most [`ROWS_SHOWN`] rows and
//! [`HISTORY_SHOWN`] events a side are built; the counts say how many there are.

use std::collections::BTreeMap;

use crate::app::projections::{AccountView, TransferView};
use crate::app::{ReadModels, TransferStatus};

/// At most this many account rows, and as many transfer rows, are built.
pub const ROWS_SHOWN: usize = 200;
/// At most this many events of each history are built.
pub const HISTORY_SHOWN: usize = 200;

/// One event of a history after the fork point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub position: u64,
    pub event_type: &'static str,
    pub stream: String,
}

/// The events of one bank after the fork point: the first [`HISTORY_SHOWN`], and how
/// many there are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    pub lines: Vec<HistoryLine>,
    pub total: usize,
}

/// One value in both banks, and whether they differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub base: String,
    pub fork: String,
    pub changed: bool,
}

impl Cell {
    fn of(base: String, fork: String) -> Cell {
        let changed = base != fork;
        Cell {
            base,
            fork,
            changed,
        }
    }
}

/// One row of a comparison table: an account or a transfer, and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub cells: Vec<Cell>,
}

impl Row {
    /// Whether any of its cells differ.
    #[must_use]
    pub fn changed(&self) -> bool {
        self.cells.iter().any(|c| c.changed)
    }
}

/// A table of rows (those that differ first), and how many rows differ of how many.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    pub changed: usize,
    pub total: usize,
}

/// A bank and its fork compared from the fork point on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    /// The fork point: both banks share events 1..=`at`.
    pub at: u64,
    pub base: History,
    pub fork: History,
    /// Columns: balance, status.
    pub accounts: Table,
    /// Columns: from → to, amount, status.
    pub transfers: Table,
}

/// What an account or transfer missing from one bank shows in its cells.
const NO_ACCOUNT: &str = "no such account";
const NO_TRANSFER: &str = "not made";

/// Compares `base` with `fork`, a fork of it made at event `at`.
#[must_use]
pub fn compare(base: &ReadModels, fork: &ReadModels, at: u64) -> Comparison {
    Comparison {
        at,
        base: history(base, at),
        fork: history(fork, at),
        accounts: table(&base.accounts, &fork.accounts, account_cells),
        transfers: table(&base.transfers, &fork.transfers, transfer_cells),
    }
}

fn history(m: &ReadModels, at: u64) -> History {
    let after = m
        .audit
        .get(usize::try_from(at).unwrap_or(usize::MAX)..)
        .unwrap_or_default();
    History {
        lines: after
            .iter()
            .take(HISTORY_SHOWN)
            .map(|r| HistoryLine {
                position: r.position,
                event_type: r.event_type(),
                stream: r.stream.clone(),
            })
            .collect(),
        total: after.len(),
    }
}

/// Every key of either map once, in order, with its value in each.
fn pairs<'a, K: Ord, V>(
    base: &'a BTreeMap<K, V>,
    fork: &'a BTreeMap<K, V>,
) -> impl Iterator<Item = (&'a K, Option<&'a V>, Option<&'a V>)> {
    let mut keys: Vec<&K> = base.keys().chain(fork.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().map(move |k| (k, base.get(k), fork.get(k)))
}

/// The rows of the keys whose values differ (`same` compares them cheaply), then of
/// those that do not, at most [`ROWS_SHOWN`] built.
fn table<K: Ord + ToString, V: PartialEq>(
    base: &BTreeMap<K, V>,
    fork: &BTreeMap<K, V>,
    cells: fn(Option<&V>, Option<&V>) -> Vec<Cell>,
) -> Table {
    let (mut changed, mut same) = (Vec::new(), Vec::new());
    let (mut count, mut total) = (0, 0);
    for (key, b, f) in pairs(base, fork) {
        total += 1;
        let row = || Row {
            id: key.to_string(),
            cells: cells(b, f),
        };
        // Whole values first: most rows of a long log are equal, and cheap to tell.
        let row_changed = b != f && {
            let r = row();
            let differs = r.changed();
            if differs && changed.len() < ROWS_SHOWN {
                changed.push(r);
            }
            differs
        };
        if row_changed {
            count += 1;
        } else if same.len() < ROWS_SHOWN {
            same.push(row());
        }
    }
    changed.extend(same);
    changed.truncate(ROWS_SHOWN);
    Table {
        rows: changed,
        changed: count,
        total,
    }
}

fn account_cells(base: Option<&AccountView>, fork: Option<&AccountView>) -> Vec<Cell> {
    let balance =
        |a: Option<&AccountView>| a.map_or(NO_ACCOUNT.to_owned(), |a| a.balance.to_string());
    let status =
        |a: Option<&AccountView>| a.map_or(NO_ACCOUNT.to_owned(), |a| a.status.to_string());
    vec![
        Cell::of(balance(base), balance(fork)),
        Cell::of(status(base), status(fork)),
    ]
}

fn transfer_cells(base: Option<&TransferView>, fork: Option<&TransferView>) -> Vec<Cell> {
    let route = |t: Option<&TransferView>| {
        t.map_or(NO_TRANSFER.to_owned(), |t| {
            format!("{} → {}", t.from_account_id, t.to_account_id)
        })
    };
    let amount =
        |t: Option<&TransferView>| t.map_or(NO_TRANSFER.to_owned(), |t| t.amount.to_string());
    let status = |t: Option<&TransferView>| {
        t.map_or(NO_TRANSFER.to_owned(), |t| {
            TransferStatus::of(&t.state).as_str().to_owned()
        })
    };
    vec![
        Cell::of(route(base), route(fork)),
        Cell::of(amount(base), amount(fork)),
        Cell::of(status(base), status(fork)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fork::fork_bank;
    use crate::app::views::fixture::{id, money, three_accounts_two_transfers, tid};
    use crate::app::{Bank, Env};
    use crate::domain::account::{CloseAccount, OpenAccount};
    use crate::domain::{BankCommand, TransferMoney};
    use crate::store::MemoryStore;
    use futures::executor::block_on;

    /// The fixture's bank (Ann, Ben, Cat; a deposit at 4; t1 Ann → Ben 30.00, t2
    /// Cat → Ben 20.00) and a fork of it at event 4 in which Dan is opened and closed
    /// and t1 goes to Dan instead (so it is refunded).
    fn forked() -> (ReadModels, ReadModels) {
        let base = three_accounts_two_transfers();
        let fork = block_on(fork_bank(
            MemoryStore::new(),
            Env::fixed("f"),
            &base.audit[..4],
        ))
        .unwrap();
        let run = |c| block_on(fork.execute(c)).unwrap();
        run(BankCommand::OpenAccount(OpenAccount {
            account_id: id("dan"),
            owner_name: "Dan".into(),
            initial_balance: money("0.00"),
        }));
        run(BankCommand::CloseAccount(CloseAccount {
            account_id: id("dan"),
        }));
        run(BankCommand::TransferMoney(TransferMoney {
            transfer_id: tid("t1"),
            from_account_id: id("ann"),
            to_account_id: id("dan"),
            amount: money("30.00"),
            description: String::new(),
        }));
        (base, fork.read(Clone::clone))
    }

    fn marked(table: &Table) -> Vec<(String, Vec<bool>)> {
        table
            .rows
            .iter()
            .filter(|r| r.changed())
            .map(|r| (r.id.clone(), r.cells.iter().map(|c| c.changed).collect()))
            .collect()
    }

    #[test]
    fn the_histories_are_the_events_after_the_fork_point_in_each() {
        let (base, fork) = forked();
        let c = compare(&base, &fork, 4);
        assert_eq!(c.base.total, base.audit.len() - 4);
        assert_eq!(c.fork.total, fork.audit.len() - 4);
        assert_eq!(c.base.lines[0].position, 5);
        assert_eq!(c.fork.lines[0].event_type, "AccountOpened");
        assert_eq!(c.fork.lines[0].stream, "account-dan");
    }

    #[test]
    fn only_the_cells_that_differ_are_marked_and_their_rows_come_first() {
        let (base, fork) = forked();
        let c = compare(&base, &fork, 4);
        // Ann kept her 30.00 (refunded), Ben did not get it, Cat is as she was (t2
        // happened in the base only: Cat 30.00 there, 50.00 here), Dan exists here only.
        assert_eq!(
            marked(&c.accounts),
            vec![
                ("ann".into(), vec![true, false]),
                ("ben".into(), vec![true, false]),
                ("cat".into(), vec![true, false]),
                ("dan".into(), vec![true, true]),
            ]
        );
        let ann = &c.accounts.rows[0].cells[0];
        assert_eq!((ann.base.as_str(), ann.fork.as_str()), ("80.00", "110.00"));
        let dan = &c.accounts.rows[3].cells[1];
        assert_eq!(
            (dan.base.as_str(), dan.fork.as_str()),
            ("no such account", "closed")
        );
        assert_eq!((c.accounts.changed, c.accounts.total), (4, 4));
        assert_eq!(
            marked(&c.transfers),
            vec![
                ("t1".into(), vec![true, false, true]),
                ("t2".into(), vec![true, true, true]),
            ]
        );
        let t1 = &c.transfers.rows[0].cells;
        assert_eq!(t1[0].fork, "ann → dan");
        assert_eq!(
            (t1[2].base.as_str(), t1[2].fork.as_str()),
            ("completed", "compensated")
        );
        assert_eq!(c.transfers.rows[1].cells[2].fork, "not made");
    }

    #[test]
    fn a_fork_with_nothing_done_differs_nowhere_but_in_the_events_after_it() {
        let base = three_accounts_two_transfers();
        let fork = base.as_of(4);
        let c = compare(&base, &fork, 4);
        assert_eq!(c.fork.total, 0);
        // Each account present in both, the same unless the transfers after 4 moved it.
        let same: Vec<_> = c
            .accounts
            .rows
            .iter()
            .filter(|r| !r.changed())
            .map(|r| r.id.clone())
            .collect();
        assert!(
            same.is_empty(),
            "every account moved after event 4: {same:?}"
        );
        let c = compare(&base, &base, 4);
        assert_eq!((c.accounts.changed, c.transfers.changed), (0, 0));
        assert_eq!(c.accounts.rows.len(), 3);
    }

    #[test]
    fn long_tables_and_histories_build_only_what_is_shown_and_count_the_rest() {
        let base = three_accounts_two_transfers();
        let empty = ReadModels::default();
        let c = compare(&base, &empty, 0);
        assert_eq!(c.base.total, base.audit.len());
        assert_eq!(c.accounts.changed, 3);
        // A long log: the history stops at HISTORY_SHOWN, the total counts all.
        let mut long = ReadModels::default();
        let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("l"))).unwrap();
        for i in 0..(ROWS_SHOWN + 5) {
            block_on(bank.execute(BankCommand::OpenAccount(OpenAccount {
                account_id: id(&format!("a{i:04}")),
                owner_name: "A".into(),
                initial_balance: money("1.00"),
            })))
            .unwrap();
        }
        bank.read(|m| long.clone_from(m));
        let c = compare(&long, &empty, 0);
        assert_eq!(c.base.lines.len(), HISTORY_SHOWN);
        assert_eq!(c.base.total, ROWS_SHOWN + 5);
        assert_eq!(c.accounts.rows.len(), ROWS_SHOWN);
        assert_eq!(
            (c.accounts.changed, c.accounts.total),
            (ROWS_SHOWN + 5, ROWS_SHOWN + 5)
        );
    }
}
