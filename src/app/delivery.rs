//! Read-model delivery: how the log's events reach the read models the page shows
//! (balances, statements, the transfers list). Live, they are folded as soon as they
//! are appended (the bank's own [`ReadModels`], no copy, no cost). Paused, the page's
//! read models stop at the position they had reached while the log moves on, and
//! events are delivered by hand, one at a time: a stale read, as any projection that
//! lags its log (eventual consistency) gives.
//!
//! Read-your-writes: a command's log position is noted ([`Delivery::wrote`]); a read
//! that waits for it ([`Delivery::wait_for_my_write`]) is answered only once the read
//! models have reached it, and the wait is recorded.
//!
//! Deliver twice: each event reaches the read models two times (at-least-once
//! delivery). The read models track the last position they applied and ignore the
//! repeat; a naive projection ([`NaiveBalances`]) beside them adds every delivery it
//! gets, and double-counts.
//!
//! Plain data: the UI holds one, feeds it the bank's batches, and renders
//! [`Delivery::view`].

use std::collections::BTreeMap;
use std::rc::Rc;

use super::ReadModels;
use crate::domain::events::{AccountEvent, EventKind};
use crate::domain::{AccountId, Money};
use crate::store::Recorded;

/// Balances folded from every delivery, without remembering which positions were
/// applied: a repeated delivery is counted again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NaiveBalances {
    pub balances: BTreeMap<AccountId, Money>,
}

impl NaiveBalances {
    /// Starts from the balances `models` show.
    #[must_use]
    pub fn from_models(models: &ReadModels) -> NaiveBalances {
        NaiveBalances {
            balances: models
                .accounts
                .iter()
                .map(|(id, a)| (id.clone(), a.balance))
                .collect(),
        }
    }

    /// Adds what `recorded` moves, whatever was delivered before.
    pub fn apply(&mut self, recorded: &Recorded) {
        let EventKind::Account(event) = recorded.event.kind() else {
            return;
        };
        let (id, signed) = match event {
            AccountEvent::Opened(e) => (&e.account_id, e.initial_balance),
            AccountEvent::Deposited(e) => (&e.account_id, e.amount),
            AccountEvent::Withdrawn(e) => (
                &e.account_id,
                Money::ZERO.checked_sub(e.amount).unwrap_or(Money::ZERO),
            ),
            _ => return,
        };
        let balance = self.balances.entry(id.clone()).or_insert(Money::ZERO);
        *balance = balance.checked_add(signed).unwrap_or(*balance);
    }
}

/// A read that waited for the read models to reach a write's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waited {
    /// The write's log position the read waited for.
    pub position: u64,
    /// Where the read models stood when the read began.
    pub from: u64,
    /// Whether the read models have reached `position` (the read was answered).
    pub done: bool,
}

/// Where the page's read models stand against the log, and how events reach them.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    paused: bool,
    twice: bool,
    /// The page's own read models while they are not the bank's (paused, or
    /// delivering twice): at most as far as the log.
    own: Option<ReadModels>,
    naive: Option<NaiveBalances>,
    /// Repeated deliveries the read models ignored (their positions).
    ignored: Vec<u64>,
    /// The log position of the last write made through the page.
    my_write: Option<u64>,
    /// The last read of the page's write, answered or waiting.
    read: Option<Waited>,
}

impl Delivery {
    /// Live: the bank's read models, every event folded once, as soon as it is
    /// appended.
    #[must_use]
    pub fn live() -> Delivery {
        Delivery::default()
    }

    /// The read models the page shows: the bank's (`log`) when live.
    #[must_use]
    pub fn models<'a>(&'a self, log: &'a ReadModels) -> &'a ReadModels {
        self.own.as_ref().unwrap_or(log)
    }

    /// The position the page's read models have reached.
    #[must_use]
    pub fn position(&self, log: &ReadModels) -> u64 {
        self.models(log).last_position
    }

    #[must_use]
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    #[must_use]
    pub fn is_twice(&self) -> bool {
        self.twice
    }

    /// Stops delivery: the read models stay where they are while the log moves on.
    pub fn pause(&mut self, log: &ReadModels) {
        self.paused = true;
        self.keep_own(log);
    }

    /// Delivers every event not yet delivered, then keeps delivering as they come.
    pub fn resume(&mut self, log: &ReadModels) {
        self.paused = false;
        while self.deliver_next(log).is_some() {}
        self.drop_own_if_live();
    }

    /// Turns deliver-twice on or off. On, the naive projection starts from the
    /// balances shown now.
    pub fn set_twice(&mut self, twice: bool, log: &ReadModels) {
        self.twice = twice;
        if twice {
            self.keep_own(log);
            self.naive = Some(NaiveBalances::from_models(self.models(log)));
        } else {
            self.naive = None;
            self.ignored.clear();
            self.drop_own_if_live();
        }
    }

    /// Delivers the log's next event not yet delivered (twice, when deliver-twice is
    /// on); returns its position, or `None` when the read models are up to date.
    pub fn deliver_next(&mut self, log: &ReadModels) -> Option<u64> {
        let own = self.own.as_mut()?;
        let next = usize::try_from(own.last_position).ok()?;
        let recorded = Rc::clone(log.audit.get(next)?);
        self.deliver(&recorded);
        Some(recorded.position)
    }

    /// The bank appended `events` (and folded them into `log`): live delivery passes
    /// them on; paused delivery leaves them for later.
    pub fn appended(&mut self, events: &[Rc<Recorded>], log: &ReadModels) {
        if self.own.is_none() || self.paused {
            return;
        }
        for recorded in events {
            if self.position(log) + 1 < recorded.position {
                // Earlier ones were skipped (a new bank): catch up from the log.
                while self.deliver_next(log).is_some() {}
                return;
            }
            self.deliver(recorded);
        }
    }

    /// Notes the log position a command of the page's reached (read-your-writes).
    pub fn wrote(&mut self, position: u64) {
        self.my_write = Some(position);
    }

    /// The log position of the page's last write, if any.
    #[must_use]
    pub fn my_write(&self) -> Option<u64> {
        self.my_write
    }

    /// Begins a read that waits until the read models reach the page's last write.
    /// Answered at once (and not recorded as a wait) when they have already reached
    /// it; `None` when the page wrote nothing.
    pub fn wait_for_my_write(&mut self, log: &ReadModels) -> Option<Waited> {
        let position = self.my_write?;
        let from = self.position(log);
        let wait = Waited {
            position,
            from,
            done: from >= position,
        };
        self.read = Some(wait);
        Some(wait)
    }

    /// The last read of the page's write, if it had to wait (the read models were
    /// behind it when it began), and whether it has been answered.
    #[must_use]
    pub fn waited(&self) -> Option<Waited> {
        self.read.filter(|r| r.from < r.position)
    }

    /// The naive projection's balances, while deliver-twice is on.
    #[must_use]
    pub fn naive(&self) -> Option<&NaiveBalances> {
        self.naive.as_ref()
    }

    /// The repeated deliveries the read models ignored, by position.
    #[must_use]
    pub fn ignored(&self) -> &[u64] {
        &self.ignored
    }

    fn deliver(&mut self, recorded: &Rc<Recorded>) {
        let Some(own) = self.own.as_mut() else {
            return;
        };
        own.apply(recorded);
        let reached = own.last_position;
        if let Some(naive) = self.naive.as_mut() {
            naive.apply(recorded);
        }
        if self.twice {
            // At least once: the same event again. The read models know they applied
            // this position and ignore it; the naive projection counts it again.
            if !own.apply(recorded) {
                self.ignored.push(recorded.position);
            }
            if let Some(naive) = self.naive.as_mut() {
                naive.apply(recorded);
            }
        }
        if let Some(wait) = self.read.as_mut() {
            wait.done |= reached >= wait.position;
        }
    }

    fn keep_own(&mut self, log: &ReadModels) {
        if self.own.is_none() {
            self.own = Some(log.clone());
        }
    }

    fn drop_own_if_live(&mut self) {
        if !self.paused && !self.twice {
            self.own = None;
        }
    }
}

/// What the delivery control shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryView {
    pub paused: bool,
    pub twice: bool,
    /// "Log at #N, statement at #M", and how many events wait to be delivered.
    pub positions: String,
    /// Whether the read models are behind the log.
    pub behind: bool,
    /// The last read-your-writes read, in words.
    pub read: Option<String>,
    /// While delivering twice: each account whose balance the two projections see.
    pub twice_rows: Vec<TwiceRow>,
    /// While delivering twice: what the position-tracking read models did.
    pub ignored: Option<String>,
}

/// One account as the naive and the position-tracking projections see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwiceRow {
    pub account: String,
    pub naive: String,
    pub tracked: String,
    pub differs: bool,
}

impl Delivery {
    /// The control's view of this delivery against the bank's `log`.
    #[must_use]
    pub fn view(&self, log: &ReadModels) -> DeliveryView {
        let at = self.position(log);
        let behind = log.last_position.saturating_sub(at);
        let positions = if behind == 0 {
            format!(
                "Log at #{0}, statement at #{0}: up to date.",
                log.last_position
            )
        } else {
            let events = if behind == 1 { "event" } else { "events" };
            format!(
                "Log at #{}, statement at #{at}: {behind} {events} not delivered yet.",
                log.last_position
            )
        };
        DeliveryView {
            paused: self.paused,
            twice: self.twice,
            positions,
            behind: behind > 0,
            read: self.read.map(read_words),
            twice_rows: self.twice_rows(log),
            ignored: self.naive.as_ref().map(|_| self.ignored_words()),
        }
    }

    fn twice_rows(&self, log: &ReadModels) -> Vec<TwiceRow> {
        let Some(naive) = &self.naive else {
            return Vec::new();
        };
        let models = self.models(log);
        naive
            .balances
            .iter()
            .filter_map(|(id, naive)| {
                let tracked = models.accounts.get(id)?.balance;
                Some(TwiceRow {
                    account: id.to_string(),
                    naive: naive.to_string(),
                    tracked: tracked.to_string(),
                    differs: *naive != tracked,
                })
            })
            .collect()
    }

    fn ignored_words(&self) -> String {
        match self.ignored.as_slice() {
            [] => "No event delivered twice yet.".to_owned(),
            ignored => {
                let list: Vec<String> = ignored.iter().map(|p| format!("#{p}")).collect();
                format!(
                    "The read models ignored the second delivery of {}: they had already applied that position.",
                    list.join(", ")
                )
            }
        }
    }
}

fn read_words(read: Waited) -> String {
    let Waited {
        position,
        from,
        done,
    } = read;
    match (from >= position, done) {
        (true, _) => format!(
            "Read your write at #{position}: the statement had it already (at #{from}), no wait."
        ),
        (false, false) => format!(
            "Waiting for your write at #{position}: the statement is behind it. Deliver events or resume delivery."
        ),
        (false, true) => format!(
            "Waited for your write at #{position}: the statement was at #{from}, and was read once it reached #{position}."
        ),
    }
}

#[cfg(test)]
mod tests;
