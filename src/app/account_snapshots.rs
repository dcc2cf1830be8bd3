//! Account snapshots: an account's folded state at a stream version, stored beside the
//! log ([`crate::store::snapshots`]) so that loading the account folds only the events
//! after it. A snapshot is a cache derived from the log, never the source of truth
//! (Young; Vernon, IDDD): one this code cannot vouch for (another code or schema
//! version, unreadable, or not of this log) is ignored, and the whole stream is folded
//! instead. Deleting every snapshot changes nothing but the time a load takes.
//!
//! (Not the read-model summary that `ui::snapshot` keeps for a fast first screen.)

use crate::domain::account::{self, AccountState};
use crate::domain::{AccountId, SCHEMA_VERSION};
use crate::store::{EventStore, Recorded, StoreError, StreamSnapshot};

/// The shape of the state this code writes into a snapshot. Raise it when
/// `AccountState` (or what `evolve` makes of an event) changes: older snapshots are
/// then ignored.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// Why a stored snapshot was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ignored {
    /// Written by another version of the code (format, schema).
    OtherCode { format: u32, schema: u32 },
    /// Its state cannot be read (damaged, or not an account's).
    Unreadable,
    /// The log has no event with its id at its version: it belongs to another log
    /// (reset, replaced or imported since).
    NotThisLog,
}

impl Ignored {
    /// Why, in a few plain words.
    #[must_use]
    pub fn reason(&self) -> String {
        match self {
            Ignored::OtherCode { format, schema } => format!(
                "written by another version (snapshot format {format}, schema {schema}; \
                 this one: {SNAPSHOT_FORMAT}, {SCHEMA_VERSION})"
            ),
            Ignored::Unreadable => "its state cannot be read".into(),
            Ignored::NotThisLog => "it does not match this log".into(),
        }
    }
}

/// An account loaded from the store, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLoad {
    pub state: AccountState,
    /// The stream version loaded.
    pub version: u64,
    /// The version of the snapshot it started from, if one was used.
    pub snapshot_at: Option<u64>,
    /// How many events were folded (after the snapshot, if one was used).
    pub folded: u64,
    /// A snapshot that was stored but not trusted, and why.
    pub ignored: Option<Ignored>,
}

impl AccountLoad {
    /// How it was loaded: "snapshot at v40 + 3 events" or "43 events folded".
    #[must_use]
    pub fn how(&self) -> String {
        let events = |n: u64| if n == 1 { "event" } else { "events" };
        match self.snapshot_at {
            Some(at) => format!(
                "snapshot at v{at} + {} {}",
                self.folded,
                events(self.folded)
            ),
            None => format!("{} {} folded", self.folded, events(self.folded)),
        }
    }
}

/// A snapshot of `state`, the account `id` folded up to `version`, whose event there
/// has id `event_id`.
#[must_use]
pub fn snapshot_of(
    id: &AccountId,
    state: &AccountState,
    version: u64,
    event_id: &str,
) -> StreamSnapshot {
    StreamSnapshot {
        stream: id.stream(),
        version,
        event_id: event_id.to_owned(),
        format: SNAPSHOT_FORMAT,
        schema: SCHEMA_VERSION,
        state: serde_json::to_string(state).unwrap_or_default(),
    }
}

/// Whether this code can start from `snapshot` of `stream`: its state if so.
fn usable(snapshot: &StreamSnapshot, stream: &str) -> Result<AccountState, Ignored> {
    if snapshot.format != SNAPSHOT_FORMAT || snapshot.schema != SCHEMA_VERSION {
        return Err(Ignored::OtherCode {
            format: snapshot.format,
            schema: snapshot.schema,
        });
    }
    if snapshot.stream != stream || snapshot.version == 0 {
        return Err(Ignored::Unreadable);
    }
    match serde_json::from_str::<AccountState>(&snapshot.state) {
        Ok(state) if state.holdings().is_some() => Ok(state),
        _ => Err(Ignored::Unreadable),
    }
}

fn fold(mut state: AccountState, events: &[std::rc::Rc<Recorded>]) -> AccountState {
    for recorded in events {
        state = account::evolve(state, &recorded.event);
    }
    state
}

/// Loads account `id`: from its snapshot and the events after it when there is a
/// snapshot this code trusts, else by folding every event of its stream. A snapshot
/// that cannot be read from storage counts as none.
///
/// # Errors
/// The log itself cannot be read.
pub async fn load_account<S: EventStore>(
    store: &S,
    id: &AccountId,
) -> Result<AccountLoad, StoreError> {
    let stream = id.stream();
    let mut ignored = None;
    if let Ok(Some(snapshot)) = store.load_snapshot(&stream).await {
        match usable(&snapshot, &stream) {
            Ok(state) => {
                // The snapshot's own event is read too, to check it is of this log.
                let events = store.read_stream(&stream, snapshot.version).await?;
                match events.split_first() {
                    Some((at, rest))
                        if at.version == snapshot.version && at.event_id == snapshot.event_id =>
                    {
                        return Ok(AccountLoad {
                            state: fold(state, rest),
                            version: rest.last().map_or(at.version, |r| r.version),
                            snapshot_at: Some(snapshot.version),
                            folded: rest.len() as u64,
                            ignored: None,
                        });
                    }
                    _ => ignored = Some(Ignored::NotThisLog),
                }
            }
            Err(why) => ignored = Some(why),
        }
    }
    let events = store.read_stream(&stream, 1).await?;
    Ok(AccountLoad {
        state: fold(AccountState::default(), &events),
        version: events.last().map_or(0, |r| r.version),
        snapshot_at: None,
        folded: events.len() as u64,
        ignored,
    })
}

/// Whether a snapshot is due after an append took a stream from version `before` to
/// `after`, taking one every `every` events (`None`: off).
#[must_use]
pub fn due(every: Option<u64>, before: u64, after: u64) -> bool {
    every.is_some_and(|n| n > 0 && after / n > before / n)
}

/// The line the account's card shows about how it loads from storage, e.g.
/// "Loaded from storage: snapshot at v40 + 3 events." A snapshot that was ignored is
/// named with why.
#[must_use]
pub fn load_line(load: &AccountLoad) -> String {
    let ignored = load.ignored.as_ref().map_or(String::new(), |why| {
        format!(" A stored snapshot was ignored: {}.", why.reason())
    });
    format!("Loaded from storage: {}.{ignored}", load.how())
}

/// The largest snapshot interval accepted.
pub const MAX_EVERY: u64 = 1_000_000;

/// Reads the "snapshot every N events" field: empty is off; else a whole number from
/// 1 to [`MAX_EVERY`].
///
/// # Errors
/// Anything else, with what to type instead.
pub fn parse_every(text: &str) -> Result<Option<u64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_EVERY).contains(&n) => Ok(Some(n)),
        _ => Err(format!(
            "Type a whole number of events from 1 to {MAX_EVERY}, or leave it empty for no snapshots."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(snapshot_at: Option<u64>, folded: u64, ignored: Option<Ignored>) -> AccountLoad {
        AccountLoad {
            state: AccountState::default(),
            version: snapshot_at.unwrap_or(0) + folded,
            snapshot_at,
            folded,
            ignored,
        }
    }

    #[test]
    fn the_line_says_how_the_account_loaded() {
        assert_eq!(
            load_line(&load(Some(40), 3, None)),
            "Loaded from storage: snapshot at v40 + 3 events."
        );
        assert_eq!(
            load_line(&load(None, 43, None)),
            "Loaded from storage: 43 events folded."
        );
        assert_eq!(
            load_line(&load(Some(1), 1, None)),
            "Loaded from storage: snapshot at v1 + 1 event."
        );
        let ignored = load_line(&load(None, 2, Some(Ignored::NotThisLog)));
        assert_eq!(
            ignored,
            "Loaded from storage: 2 events folded. A stored snapshot was ignored: it does not match this log."
        );
    }

    #[test]
    fn the_interval_is_empty_or_a_whole_number() {
        assert_eq!(parse_every(""), Ok(None));
        assert_eq!(parse_every(" 40 "), Ok(Some(40)));
        for bad in ["0", "-1", "2.5", "ten", "1000001"] {
            assert!(parse_every(bad).is_err(), "{bad}");
        }
    }
}
