//! The audit trail's filter engine: which events of the log pass the filters
//! (account, with or without its transfers; transfer; event type; free text), as an
//! index into the audit list, and the free-text search index it uses.
//!
//! The index is rebuilt only when a filter or the log changes, and extended rather
//! than rebuilt when the log only grew (it only appends, so what passed still
//! passes). Free-text search runs over a lowercase copy of the JSON lines, built the
//! first time someone searches.

use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;

use crate::app::ReadModels;
use crate::domain::TransferId;
use crate::store::Recorded;

/// The filters as the index is built from them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterValues {
    /// An account id, or empty for any.
    pub account: String,
    /// With the account, the events of the transfers that touched it.
    pub with_transfers: bool,
    /// A transfer (correlation) id, or empty for any.
    pub transfer: String,
    /// An event type, or empty for any.
    pub event_type: String,
    /// Lowercase.
    pub search: String,
}

impl FilterValues {
    /// No filter is set: every event passes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.account.is_empty()
            && self.transfer.is_empty()
            && self.event_type.is_empty()
            && self.search.is_empty()
    }
}

/// Which events pass the filters: indexes into the audit list (position - 1).
#[derive(Debug, Clone, Default)]
pub struct Filtered {
    /// Which log this indexes (an identity the caller gives).
    pub log: usize,
    /// How many events the log had when this was built.
    pub len: usize,
    pub filters: FilterValues,
    /// `None`: no filter, every event.
    rows: Option<Arc<Vec<u32>>>,
}

impl PartialEq for Filtered {
    fn eq(&self, other: &Self) -> bool {
        self.log == other.log
            && self.len == other.len
            && self.filters == other.filters
            && match (&self.rows, &other.rows) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl Filtered {
    /// How many events pass.
    #[must_use]
    pub fn count(&self) -> usize {
        self.rows.as_ref().map_or(self.len, |rows| rows.len())
    }

    /// The audit index of the `i`-th passing event.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<usize> {
        match &self.rows {
            None => (i < self.len).then_some(i),
            Some(rows) => rows.get(i).map(|&index| index as usize),
        }
    }

    /// Where the event at `audit_index` is in the list, if it passes.
    #[must_use]
    pub fn index_of(&self, audit_index: usize) -> Option<usize> {
        match &self.rows {
            None => (audit_index < self.len).then_some(audit_index),
            Some(rows) => {
                let index = u32::try_from(audit_index).ok()?;
                rows.binary_search(&index).ok()
            }
        }
    }

    /// Where the event at `position` is in the list, if it passes.
    #[must_use]
    pub fn index_of_position(&self, position: u64) -> Option<usize> {
        let audit_index = usize::try_from(position.checked_sub(1)?).ok()?;
        self.index_of(audit_index)
    }

    /// Builds the index of the events of `m` that pass `filters`, or extends `prev`
    /// when only the log grew. `search` must be empty or hold this log's lines
    /// (the caller resets it for another log); it is synced only when searching.
    #[must_use]
    pub fn build(
        prev: Option<&Filtered>,
        filters: FilterValues,
        log: usize,
        m: &ReadModels,
        search: &mut SearchIndex,
    ) -> Filtered {
        let len = m.audit.len();
        let same = prev.filter(|p| p.log == log && p.filters == filters && p.len <= len);
        if let Some(p) = same {
            if p.len == len {
                return p.clone();
            }
        }
        if filters.is_empty() {
            return Filtered {
                log,
                len,
                filters,
                rows: None,
            };
        }
        // The log only appends, so what passed before still passes: scan the new tail.
        let (from, mut rows) = match same.and_then(|p| p.rows.as_ref()) {
            Some(rows) => (same.map_or(0, |p| p.len), rows.as_ref().clone()),
            None => (0, Vec::new()),
        };
        let criteria = Criteria::new(&filters, m);
        let tail = &m.audit[from.min(len)..];
        if filters.search.is_empty() {
            rows.extend(
                tail.iter()
                    .enumerate()
                    .filter(|(_, r)| criteria.keeps(r))
                    .filter_map(|(i, _)| u32::try_from(from + i).ok()),
            );
        } else {
            search.sync(&m.audit);
            rows.extend(
                search
                    .hits(&filters.search, from)
                    .into_iter()
                    .filter(|&i| m.audit.get(i).is_some_and(|r| criteria.keeps(r)))
                    .filter_map(|i| u32::try_from(i).ok()),
            );
        }
        Filtered {
            log,
            len,
            filters,
            rows: Some(Arc::new(rows)),
        }
    }
}

/// The filters, resolved against the read models.
struct Criteria<'a> {
    /// The account's stream, and the transfers that touched the account.
    account: Option<(String, HashSet<&'a str>)>,
    transfer: Option<&'a str>,
    event_type: Option<&'a str>,
}

impl<'a> Criteria<'a> {
    fn new(filters: &'a FilterValues, m: &'a ReadModels) -> Criteria<'a> {
        let account = (!filters.account.is_empty()).then(|| {
            let transfers = if filters.with_transfers {
                m.transfers
                    .values()
                    .filter(|t| {
                        t.from_account_id.as_str() == filters.account
                            || t.to_account_id.as_str() == filters.account
                    })
                    .map(|t| t.transfer_id.as_str())
                    .collect()
            } else {
                HashSet::new()
            };
            (format!("account-{}", filters.account), transfers)
        });
        Criteria {
            account,
            transfer: (!filters.transfer.is_empty()).then_some(filters.transfer.as_str()),
            event_type: (!filters.event_type.is_empty()).then_some(filters.event_type.as_str()),
        }
    }

    fn keeps(&self, r: &Recorded) -> bool {
        if let Some(t) = self.event_type {
            if r.event.event_type() != t {
                return false;
            }
        }
        let transfer_of = r.event.transfer_id().map(TransferId::as_str);
        if let Some(t) = self.transfer {
            if r.correlation_id != t && transfer_of != Some(t) {
                return false;
            }
        }
        if let Some((stream, transfers)) = &self.account {
            if r.stream != *stream && !transfer_of.is_some_and(|t| transfers.contains(t)) {
                return false;
            }
        }
        true
    }
}

/// The log's JSON lines in lowercase, one after another, for free-text search: one
/// string and the offsets where each line starts, so a search is one pass of
/// substring search instead of 100,000 serialisations.
#[derive(Debug, Default)]
pub struct SearchIndex {
    text: String,
    starts: Vec<usize>,
}

impl SearchIndex {
    /// Catches up with the log (or starts over if it is shorter than what is indexed).
    pub fn sync(&mut self, audit: &[Rc<Recorded>]) {
        if self.starts.len() > audit.len() {
            *self = SearchIndex::default();
        }
        for r in &audit[self.starts.len()..] {
            self.starts.push(self.text.len());
            self.text.push_str(&r.to_json_line().to_lowercase());
            self.text.push('\n');
        }
    }

    /// The audit indexes, from `from` on, whose line contains `needle` (lowercase).
    #[must_use]
    pub fn hits(&self, needle: &str, from: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(&start) = self.starts.get(from) else {
            return out;
        };
        let mut at = start;
        while let Some(found) = self.text.get(at..).and_then(|rest| rest.find(needle)) {
            let line = self
                .starts
                .partition_point(|&s| s <= at + found)
                .saturating_sub(1);
            out.push(line);
            // One hit per line is enough: go on from the next line.
            match self.starts.get(line + 1) {
                Some(&next) => at = next,
                None => break,
            }
        }
        out
    }
}

/// The audit list's count line: "1 event", "100,001 events", or "5 of 100,001 events
/// match" while filters narrow it.
#[must_use]
pub fn count_line(shown: usize, total: usize) -> String {
    let noun = if total == 1 { "event" } else { "events" };
    if shown == total {
        format!("{} {noun}", group_digits(total))
    } else {
        format!(
            "{} of {} {noun} match",
            group_digits(shown),
            group_digits(total)
        )
    }
}

/// `100000` as `100,000`.
#[must_use]
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_line_says_event_for_one_and_what_matches_of_how_many() {
        assert_eq!(count_line(1, 1), "1 event");
        assert_eq!(count_line(0, 0), "0 events");
        assert_eq!(count_line(100_001, 100_001), "100,001 events");
        assert_eq!(count_line(5, 100_001), "5 of 100,001 events match");
        assert_eq!(count_line(0, 1), "0 of 1 event match");
    }
    use crate::app::views::fixture::three_accounts_two_transfers;

    fn filters(f: impl FnOnce(&mut FilterValues)) -> FilterValues {
        let mut values = FilterValues {
            with_transfers: true,
            ..FilterValues::default()
        };
        f(&mut values);
        values
    }

    fn build(m: &ReadModels, values: FilterValues) -> Filtered {
        Filtered::build(None, values, 1, m, &mut SearchIndex::default())
    }

    /// The events that pass, in list order.
    fn passing<'a>(m: &'a ReadModels, f: &Filtered) -> Vec<&'a Recorded> {
        (0..f.count())
            .map(|i| m.audit[f.get(i).unwrap()].as_ref())
            .collect()
    }

    fn touches(r: &Recorded, transfer: &str) -> bool {
        r.correlation_id == transfer
            || r.event
                .transfer_id()
                .is_some_and(|t| t.as_str() == transfer)
    }

    #[test]
    fn without_filters_every_event_passes_in_order() {
        let m = three_accounts_two_transfers();
        let f = build(&m, filters(|_| {}));
        assert_eq!(f.count(), m.audit.len());
        assert_eq!(f.get(0), Some(0));
        assert_eq!(f.get(m.audit.len()), None);
        assert_eq!(f.index_of_position(4), Some(3));
        assert_eq!(f.index_of_position(0), None);
    }

    #[test]
    fn an_event_type_keeps_only_that_type() {
        let m = three_accounts_two_transfers();
        let f = build(&m, filters(|v| v.event_type = "AccountOpened".into()));
        let positions: Vec<u64> = passing(&m, &f).iter().map(|r| r.position).collect();
        assert_eq!(positions, vec![1, 2, 3]);
        assert_eq!(f.index_of_position(3), Some(2));
        assert_eq!(f.index_of_position(4), None);
    }

    #[test]
    fn an_account_alone_keeps_its_stream_and_with_transfers_also_its_sagas() {
        let m = three_accounts_two_transfers();
        let alone = build(
            &m,
            filters(|v| {
                v.account = "ann".into();
                v.with_transfers = false;
            }),
        );
        assert!(alone.count() >= 3);
        assert!(passing(&m, &alone)
            .iter()
            .all(|r| r.stream == "account-ann"));

        let with = build(&m, filters(|v| v.account = "ann".into()));
        let events = passing(&m, &with);
        assert!(events.iter().any(|r| r.stream == "transfer-t1"));
        assert!(events
            .iter()
            .all(|r| r.stream == "account-ann" || touches(r, "t1")));
        assert!(!events.iter().any(|r| touches(r, "t2")));
    }

    #[test]
    fn a_transfer_keeps_every_event_of_its_saga_and_nothing_else() {
        let m = three_accounts_two_transfers();
        let f = build(&m, filters(|v| v.transfer = "t2".into()));
        let events = passing(&m, &f);
        let all: Vec<_> = m.audit.iter().filter(|r| touches(r, "t2")).collect();
        assert_eq!(events.len(), all.len());
        assert!(events.iter().all(|r| touches(r, "t2")));
        assert!(events.iter().any(|r| r.stream == "account-ben"));
    }

    #[test]
    fn search_matches_the_json_in_any_case_combined_with_the_other_filters() {
        let m = three_accounts_two_transfers();
        let f = build(&m, filters(|v| v.search = "coffee beans".into()));
        let positions: Vec<u64> = passing(&m, &f).iter().map(|r| r.position).collect();
        assert_eq!(positions, vec![4]);
        let none = build(
            &m,
            filters(|v| {
                v.search = "coffee beans".into();
                v.event_type = "AccountOpened".into();
            }),
        );
        assert_eq!(none.count(), 0);
    }

    #[test]
    fn a_grown_log_extends_the_index_to_what_a_fresh_build_gives() {
        let m = three_accounts_two_transfers();
        for values in [
            filters(|v| v.account = "ben".into()),
            filters(|v| v.search = "t1".into()),
        ] {
            let mut search = SearchIndex::default();
            let early = Filtered::build(None, values.clone(), 7, &m.as_of(5), &mut search);
            let grown = Filtered::build(Some(&early), values.clone(), 7, &m, &mut search);
            let fresh = build(&m, values);
            assert_eq!(grown.len, m.audit.len());
            assert_eq!(passing(&m, &grown), passing(&m, &fresh));
        }
    }

    #[test]
    fn an_unchanged_log_and_filters_give_back_the_same_index() {
        let m = three_accounts_two_transfers();
        let values = filters(|v| v.account = "ann".into());
        let first = build(&m, values.clone());
        let again = Filtered::build(Some(&first), values, 1, &m, &mut SearchIndex::default());
        assert_eq!(again, first);
        let other_log = Filtered::build(
            Some(&first),
            first.filters.clone(),
            2,
            &m,
            &mut SearchIndex::default(),
        );
        assert_ne!(other_log, first);
    }

    #[test]
    fn the_search_index_gives_one_hit_per_line_from_a_start() {
        let m = three_accounts_two_transfers();
        let mut index = SearchIndex::default();
        index.sync(&m.audit);
        // Every line names its stream, and "account" twice in the opening events.
        let all = index.hits("account", 0);
        let distinct: HashSet<_> = all.iter().collect();
        assert_eq!(all.len(), distinct.len());
        assert_eq!(all.first(), Some(&0));
        assert!(index.hits("account", 2).iter().all(|&i| i >= 2));
        assert!(index.hits("no such text", 0).is_empty());
        assert!(index.hits("account", m.audit.len()).is_empty());
        // A shorter log (another one) starts the index over.
        index.sync(&m.audit[..2]);
        assert_eq!(index.hits("account", 0), vec![0, 1]);
    }

    #[test]
    fn digits_are_grouped_by_thousands() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_000), "1,000");
        assert_eq!(group_digits(100_000), "100,000");
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }
}
