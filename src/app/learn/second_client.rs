//! The lessons' tools that touch more than the log's text: a second writer for the
//! optimistic-concurrency lesson and the story of the conflict it causes, the
//! comparison of a rebuild (real, or a deliberately broken projection) with the live
//! read models, and the schema-1 file of the schema-evolution lesson.

use std::rc::Rc;

use super::LearnerRecord;
use crate::app::{Bank, BankError, ReadModels};
use crate::domain::account::{self, AccountCommand, DepositMoney, Stamp};
use crate::domain::events::MoneyWithdrawn;
use crate::domain::{AccountId, Event, Money};
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

/// Arms the second client on `bank`: just before the page's next append to
/// `account`'s stream (after the page decided on what it had read), it deposits
/// `amount` there with [`second_client_deposit`], so that append meets a version
/// conflict whatever the page read meanwhile. `done` hears how its write went.
pub fn arm_second_client<S: EventStore + Clone + 'static>(
    bank: &Bank<S>,
    account: AccountId,
    amount: Money,
    stamp: impl FnOnce() -> (String, String) + 'static,
    done: impl FnOnce(Result<Vec<Rc<Recorded>>, BankError>) + 'static,
) {
    let store = bank.store().clone();
    let stream = account.stream();
    bank.before_next_append(&stream, move || {
        Box::pin(async move {
            let (id, at) = stamp();
            done(second_client_deposit(&store, &account, amount, &id, &at).await);
        })
    });
}

/// The concurrency lesson's moment, in order, with the numbers of what happened: the
/// page's read, the second client's append, the page's refused append, its re-read
/// and new decision, from the log and the learner's record. Empty until the page met
/// a conflict.
#[must_use]
pub fn conflict_story(log: &[Rc<Recorded>], record: &LearnerRecord) -> Vec<String> {
    let at = |stream: &str, version: u64| {
        log.iter()
            .find(|r| r.stream == stream && r.version == version)
    };
    let Some(c) = record.conflicts.last() else {
        return Vec::new();
    };
    let mut story = vec![format!(
        "This page read {} at version {} (it had read the log up to event #{}) and decided.",
        c.stream, c.expected, c.read_up_to
    )];
    if let Some(s) = at(&c.stream, c.actual) {
        let who = if is_second_client(s) {
            "The second client (not this page)"
        } else {
            "Another writer (not this page)"
        };
        story.push(format!(
            "{who} appended {} as version {} (event #{}).",
            s.event.event_type(),
            s.version,
            s.position
        ));
    }
    story.push(format!(
        "This page's append expected version {} and was refused: the stream was at version {}. Nothing of it was written.",
        c.expected, c.actual
    ));
    if let Some(d) = at(&c.stream, c.actual + 1) {
        story.push(format!(
            "This page re-read version {}, decided again on it, and appended {} as version {} (event #{}).",
            c.actual,
            d.event.event_type(),
            d.version,
            d.position
        ));
    }
    story
}

/// Whether read models folded from scratch out of `log` equal the `live` ones.
#[must_use]
pub fn rebuild_equals(log: &[Rc<Recorded>], live: &ReadModels) -> bool {
    ReadModels::rebuild(log) == *live
}

/// An account whose balance a rebuild got otherwise than the live view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Differs {
    pub account: String,
    pub live: Money,
    pub rebuilt: Money,
}

/// Read models folded from `log` by the deliberately broken projection of the
/// read-models lesson: it forgets every withdrawal (folds each as 0.00), and each
/// balance it got otherwise than `live`.
#[must_use]
pub fn rebuild_broken(log: &[Rc<Recorded>], live: &ReadModels) -> Vec<Differs> {
    let forgetful: Vec<Rc<Recorded>> = log
        .iter()
        .map(|r| match &r.event {
            Event::MoneyWithdrawn(e) => {
                let mut forgot = (**r).clone();
                forgot.event = Event::MoneyWithdrawn(MoneyWithdrawn {
                    amount: Money::ZERO,
                    ..e.clone()
                });
                Rc::new(forgot)
            }
            _ => Rc::clone(r),
        })
        .collect();
    let rebuilt = ReadModels::rebuild(&forgetful);
    live.accounts
        .iter()
        .filter_map(|(id, a)| {
            let got = rebuilt.accounts.get(id).map_or(Money::ZERO, |r| r.balance);
            (got != a.balance).then(|| Differs {
                account: id.to_string(),
                live: a.balance,
                rebuilt: got,
            })
        })
        .collect()
}

/// The event id of the schema-1 file's first event ([`SCHEMA_ONE_FILE`]).
pub const SCHEMA_ONE_EVENT_ID: &str = "schema1-erin-opened";

/// A log of schema 1, the reference's shape: no `schema_version`, each event's time in
/// its data (`opened_at`, `deposited_at`) and not in the envelope, amounts as JSON
/// numbers. Read today, that time becomes the event's `recorded_at`.
pub const SCHEMA_ONE_FILE: &str = concat!(
    r#"{"position":1,"stream":"account-erin","version":1,"type":"AccountOpened","event_id":"schema1-erin-opened","data":{"account_id":"erin","owner_name":"Erin","initial_balance":250.5,"opened_at":"2024-05-01T09:00:00Z"}}"#,
    "\n",
    r#"{"position":2,"stream":"account-erin","version":2,"type":"MoneyDeposited","event_id":"schema1-erin-deposit","data":{"account_id":"erin","amount":20,"transaction_id":"tx-1","deposited_at":"2024-05-02T10:30:00Z"}}"#,
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
