//! The lessons' tools that touch more than the log's text: a second writer for the
//! optimistic-concurrency lesson, the comparison of a rebuild with the live read
//! models, and the schema-1 file of the schema-evolution lesson.

use std::rc::Rc;

use crate::app::{BankError, ReadModels};
use crate::domain::account::{self, AccountCommand, DepositMoney, Stamp};
use crate::domain::{AccountId, Money};
use crate::store::{EventStore, NewEvent, Recorded};

/// How the second client's events are marked: their correlation id starts with it.
pub const SECOND_CLIENT: &str = "second-client";

/// Whether `recorded` was written by the second client.
#[must_use]
pub fn is_second_client(recorded: &Recorded) -> bool {
    recorded.correlation_id.starts_with(SECOND_CLIENT)
}

/// A second writer on `store`, as another tab or server would be: it reads the
/// account's stream itself, decides a deposit of `amount` on what it read, and
/// appends at the version it saw. The page's bank is not told, so its cached view of
/// the account is now one version behind: its next command there meets a conflict
/// and is decided again on fresh state. `id` makes the event's ids unique (e.g. the
/// time in milliseconds); `recorded_at` is its time.
pub async fn second_client_deposit<S: EventStore>(
    store: &S,
    account_id: &AccountId,
    amount: Money,
    id: &str,
    recorded_at: &str,
) -> Result<Vec<Rc<Recorded>>, BankError> {
    let stream = account_id.stream();
    let history = store.read_stream(&stream, 1).await?;
    let version = history.last().map_or(0, |r| r.version);
    let state = history.iter().fold(account::initial_state(), |s, r| {
        account::evolve(s, &r.event)
    });
    let command = AccountCommand::DepositMoney(DepositMoney {
        account_id: account_id.clone(),
        amount,
        description: "written by a second client".into(),
        transfer_id: None,
    });
    let correlation = format!("{SECOND_CLIENT}-{id}");
    let stamp = Stamp {
        transaction_id: format!("{correlation}-tx"),
    };
    let events = account::decide(&command, &state, &stamp)?;
    let new = events
        .into_iter()
        .map(|event| NewEvent {
            event,
            event_id: format!("{correlation}-e"),
            recorded_at: recorded_at.to_owned(),
            correlation_id: correlation.clone(),
            causation_id: correlation.clone(),
        })
        .collect();
    Ok(store.append(&stream, version, new).await?)
}

/// Whether read models folded from scratch out of `log` equal the `live` ones.
#[must_use]
pub fn rebuild_equals(log: &[Rc<Recorded>], live: &ReadModels) -> bool {
    ReadModels::rebuild(log) == *live
}

/// The event id of the schema-1 file's first event ([`SCHEMA_ONE_FILE`]).
pub const SCHEMA_ONE_EVENT_ID: &str = "schema1-erin-opened";

/// A log of schema 1, the reference's shape: no `schema_version`, domain times on
/// the events (`opened_at`, `deposited_at`), amounts as JSON numbers.
pub const SCHEMA_ONE_FILE: &str = concat!(
    r#"{"position":1,"stream":"account-erin","version":1,"type":"AccountOpened","event_id":"schema1-erin-opened","recorded_at":"2024-05-01T09:00:00Z","data":{"account_id":"erin","owner_name":"Erin","initial_balance":250.5,"opened_at":"2024-05-01T09:00:00Z"}}"#,
    "\n",
    r#"{"position":2,"stream":"account-erin","version":2,"type":"MoneyDeposited","event_id":"schema1-erin-deposit","recorded_at":"2024-05-02T10:30:00Z","data":{"account_id":"erin","amount":20,"transaction_id":"tx-1","deposited_at":"2024-05-02T10:30:00Z"}}"#,
    "\n",
);

/// Each line of [`SCHEMA_ONE_FILE`] beside the line this version makes of it once
/// upcast on read (the current schema's shape), or why it could not be read.
#[must_use]
pub fn schema_one_upcast() -> Vec<(String, String)> {
    SCHEMA_ONE_FILE
        .lines()
        .map(|line| {
            let read = Recorded::from_json_line(line)
                .map_or_else(|e| format!("cannot be read: {e}"), |r| r.to_json_line());
            (line.to_owned(), read)
        })
        .collect()
}
