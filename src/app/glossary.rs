//! The glossary: the field's words, each defined in plain sentences, with where it
//! shows in this app and one work to read next (named, not linked: the app works
//! offline). `#glossary=<key>` opens an entry ([`super::route::Route::Glossary`]).
//!
//! Lesson texts link a term with a tiny markup, parsed here by [`segments`]:
//! `[[key]]` (shown as the key, `-` read as a space) or `[[key|shown words]]`.

/// One word of the field.
#[derive(Debug, PartialEq, Eq)]
pub struct Term {
    /// Stable key, as in `#glossary=<key>` and the lessons' `[[key]]`.
    pub key: &'static str,
    /// The word, as a heading.
    pub name: &'static str,
    /// Two to four plain sentences.
    pub definition: &'static str,
    /// Where it shows in this app.
    pub here: &'static str,
    /// One work to read next (title and author; no link: the app is offline).
    pub read_more: &'static str,
}

/// Every term, in the order a learner meets them.
pub const GLOSSARY: [Term; 25] = [
    Term {
        key: "event",
        name: "Event",
        definition: "A fact that something happened, named in the past tense (MoneyDeposited). Events are appended to a log and never changed or deleted: a mistake is corrected by a later event. Current state is worked out from them.",
        here: "Every row of the audit trail is one event, with its stream, its version in that stream and its position in the whole log.",
        read_more: "Martin Fowler, \"Event Sourcing\" (2005)",
    },
    Term {
        key: "stream",
        name: "Stream",
        definition: "The events of one thing, in order, numbered 1, 2, 3… (the stream's versions). A command reads one stream, and its events are appended at that stream's end. Order is kept within a stream; this app also numbers every event in one global log, its position.",
        here: "account-alice-123 holds Alice's account, transfer-t1 the transfer t1; each event's details name its stream and version.",
        read_more: "Kurrent (EventStoreDB) documentation, \"Streams\"",
    },
    Term {
        key: "aggregate",
        name: "Aggregate",
        definition: "A cluster of data that one set of rules keeps consistent, changed as one unit. A command is decided against one aggregate's state, and its events are appended to that aggregate's stream in one write. Anything that spans two aggregates cannot be one write.",
        here: "Each account is an aggregate with its own stream, so a transfer between two accounts needs a saga.",
        read_more: "Eric Evans, \"Domain-Driven Design\" (2003), chapter 6",
    },
    Term {
        key: "command",
        name: "Command",
        definition: "A request to change something, named in the imperative (WithdrawMoney). It may be refused; if it is accepted, its events are written. The command itself is not a fact and is not stored.",
        here: "The forms send commands; a refused one shows the rule's words and writes no event.",
        read_more: "Greg Young, \"CQRS Documents\" (2010)",
    },
    Term {
        key: "decider",
        name: "Decider",
        definition: "An aggregate's rules written as pure functions: decide(command, state) returns the events to write or a refusal, evolve(state, event) returns the next state, starting from an initial state. Neither touches storage, so the same rules run on stored events, in tests and in a replay.",
        here: "Each account and each transfer is decided this way; lesson 3's refusals come from an account's decide.",
        read_more: "Jérémie Chassaing, \"Functional Event Sourcing Decider\" (2021)",
    },
    Term {
        key: "snapshot",
        name: "Snapshot",
        definition: "State folded up to some event and saved, so that loading starts from it and folds only the later events. It is a cache: it can be deleted and made again from the log, and must be discarded when the fold's code changes.",
        here: "An account's card can take snapshots (Snapshot every N events, Take a snapshot now) and says how it loaded: \u{201c}snapshot at v40 + 3 events\u{201d} or \u{201c}43 events folded\u{201d}; Delete all snapshots changes no balance. A bank kept in IndexedDB also saves a summary of its read models beside the log to show a first screen quickly; the bank itself always starts from the log.",
        read_more: "Greg Young, \"CQRS Documents\" (2010), on snapshots",
    },
    Term {
        key: "projection",
        name: "Projection (read model)",
        definition: "A view built for reading, folded from events: a statement, a list of transfers. It is updated after the events are written, so it can lag behind the log, and it can be thrown away and rebuilt from the log at any time. One log can feed many projections.",
        here: "The statements, the transfers table and the balances are read models; lesson 4 rebuilds them and compares.",
        read_more: "Marten documentation, \"Projections\"",
    },
    Term {
        key: "cqrs",
        name: "CQRS",
        definition: "Command Query Responsibility Segregation: the model that decides on commands is kept apart from the models that answer questions. With event sourcing, the write side appends events and the read side folds them into read models. It needs neither two databases nor a delay.",
        here: "Commands are decided on the accounts' and transfers' streams; every table you read is a read model folded from the same log.",
        read_more: "Martin Fowler, \"CQRS\" (2011)",
    },
    Term {
        key: "eventual-consistency",
        name: "Eventual consistency",
        definition: "Parts of a system that agree after a delay, not at every instant. A read model agrees with the log once it has caught up; a saga's accounts agree with its transfer once its last step has run. Until then a reader may see an in-between state.",
        here: "Mid-transfer, the money has left the source and not yet reached the destination, and every reader sees that; another tab shows new events once it has caught up. The Read models box can pause delivery, so the statement lags the log on purpose.",
        read_more: "Microsoft Azure Architecture Center, \"Data Consistency Primer\"",
    },
    Term {
        key: "saga",
        name: "Saga / process manager",
        definition: "A saga is a long business action split into steps that each commit on their own, with a compensating action for those that may need to be counteracted. A process manager keeps the action's state and decides the next step from the events it sees. Between the steps, others can see the work half done: a saga has no isolation.",
        here: "A transfer is a saga: debit the source, credit the destination, or refund the source if the credit is refused. Each step is two appends, its effect in an account's stream and its record in the transfer's stream.",
        read_more: "Hector Garcia-Molina and Kenneth Salem, \"Sagas\" (SIGMOD 1987)",
    },
    Term {
        key: "correlation-id",
        name: "Correlation and causation ids",
        definition: "Two ids carried with each event (in this app, in its envelope). The correlation id is shared by every event of one business operation; the causation id names the command or event that directly caused this one. Together they tell why an event exists.",
        here: "Every event of a transfer has the transfer id as its correlation id; the audit trail's details link to an event's cause, and the causation chain under a saga timeline draws every cause of one transfer.",
        read_more: "Kurrent (EventStoreDB) documentation, \"Event metadata\" ($correlationId, $causationId)",
    },
    Term {
        key: "compensation",
        name: "Compensation",
        definition: "A new action that counteracts an earlier step that already committed, when a later step fails. It erases nothing: the step and its compensation both stay in the log. Others may have seen the first effect in between, and the compensation can itself fail, so that needs handling too.",
        here: "When a credit is refused, the saga deposits the money back into the source and records TransferReversed; if that refund is refused too, TransferCompensationFailed asks for a person, whose fix (TransferRefundRetried, with a reason) retries the refund.",
        read_more: "Microsoft Azure Architecture Center, \"Compensating Transaction pattern\"",
    },
    Term {
        key: "idempotency-key",
        name: "Idempotency key",
        definition: "An id, chosen by the sender, that names one operation, so that a repeated request is recognised and answered without doing the work again. The receiver must remember the keys it has seen, and refuse a known key that comes with other details.",
        here: "The transfer id: sending transfer-789 again with the same details returns the existing transfer; each leg carries the transfer id, so a leg run again after a crash writes nothing.",
        read_more: "Stripe API reference, \"Idempotent requests\"",
    },
    Term {
        key: "expected-version",
        name: "Expected version (optimistic concurrency)",
        definition: "An append states the version it expects its stream to be at: the version it read. If another writer appended in the meantime, the store refuses the append with a conflict instead of overwriting. What happens next is the application's choice.",
        here: "Lesson 9: the second client appends to alice-123, and the page's withdrawal, still expecting the old version, conflicts; this app then reads the new events and decides again.",
        read_more: "Kurrent (EventStoreDB) documentation, \"Optimistic concurrency\"",
    },
    Term {
        key: "upcaster",
        name: "Upcaster",
        definition: "A function that turns an event stored in an older shape into today's shape as it is read, so the rest of the code knows only today's events. The stored event stays as it was. An upcaster must not drop information silently.",
        here: "Events of schema 1 are upcast: amounts written as numbers become decimals, and the time inside the data becomes the event's recorded time.",
        read_more: "Greg Young, \"Versioning in an Event Sourced System\" (2017)",
    },
    Term {
        key: "read-your-writes",
        name: "Read-your-writes",
        definition: "A promise that whoever made a write sees it in their later reads, even when the read side lags. One way: the write returns its position in the log, and the read waits until the read model has reached that position (or reads from the log itself).",
        here: "A deposit returns its log position; Read my last write, in the Read models box, waits until the statement has reached it and says whether it waited.",
        read_more: "Martin Kleppmann, \"Designing Data-Intensive Applications\" (2017), chapter 5",
    },
    Term {
        key: "at-least-once",
        name: "At-least-once delivery",
        definition: "A message or event is delivered again until its receipt is recorded, so none is lost, but a crash between doing the work and recording it makes it arrive twice. The receiver must then be idempotent. Exactly-once processing is at-least-once delivery plus an idempotent receiver.",
        here: "The Read models box can deliver each event twice; a saga step that crashed before its record runs again after the reload.",
        read_more: "Martin Kleppmann, \"Designing Data-Intensive Applications\" (2017), chapter 11",
    },
    Term {
        key: "idempotent",
        name: "Idempotent",
        definition: "An operation is idempotent when doing it twice has the same effect as doing it once. A handler becomes idempotent by remembering what it already applied: the last position a projection folded, or the id of the operation an account already recorded.",
        here: "The read models ignore an event whose position they have already applied; an account leg carries its transfer id, so a leg run again writes nothing.",
        read_more: "Pat Helland, \"Idempotence Is Not a Medical Condition\" (ACM Queue, 2012)",
    },
    Term {
        key: "retry-backoff",
        name: "Retry with exponential backoff",
        definition: "Trying a step again after it failed for a passing reason, waiting longer before each new attempt: the wait doubles each time. A service that is overloaded gets time to recover instead of more requests. A step may be retried only if running it twice does no harm (it is idempotent).",
        here: "A step that fails is tried again after 100, 200, 400, 800 ms and so on, on the saga's virtual clock (the credit until its deadline); each failure is written as TransferStepRetried with the time of the next attempt, and the time axis beside the saga draws them.",
        read_more: "Marc Brooker, \"Exponential Backoff And Jitter\", AWS Architecture Blog (2015)",
    },
    Term {
        key: "jitter",
        name: "Jitter",
        definition: "A random part added to each retry's wait. Clients that failed at the same moment would otherwise retry at the same moments too, and hit the recovering service together again. Spreading them out lets more of them through.",
        here: "Each wait gets up to a quarter more, drawn from the transfer id and the attempt, so a transfer retries at the same times in every run, while two transfers mostly retry at different times.",
        read_more: "Marc Brooker, \"Exponential Backoff And Jitter\", AWS Architecture Blog (2015)",
    },
    Term {
        key: "deadline",
        name: "Deadline (timeout)",
        definition: "How long a caller keeps trying before it gives up. Over a network a missing answer cannot be told from a slow one, so only a limit on time ends the wait. After giving up, a saga must undo what it already did, by compensation.",
        here: "The credit gives up when its next retry would start more than 1000 ms after its first attempt: TransferTimedOut is written, then the refund.",
        read_more: "Martin Kleppmann, \"Designing Data-Intensive Applications\" (2017), chapter 8",
    },
    Term {
        key: "isolation",
        name: "Isolation (and a saga's lack of it)",
        definition: "Isolation is the I of ACID: others do not see a transaction's work until it commits. A saga commits each step on its own, so others see its work half done and may act on it. Countermeasures make the half-done state visible to the rules, for example a semantic lock: a flag on the record (\"transfer pending\") that other commands check.",
        here: "While a transfer's money is out, the source's balance, its statement and time travel's total all show it gone. This bank has no semantic lock, so a source emptied by a transfer can be closed before its refund, and the refund is then refused.",
        read_more: "Chris Richardson, \"Microservices Patterns\" (2018), chapter 4, \"Handling the lack of isolation\"",
    },
    Term {
        key: "orchestration",
        name: "Orchestration",
        definition: "A way to coordinate a saga: one orchestrator tells each participant which step to run, and hears back how it went. The saga's logic and state live in one place, which makes it easy to follow and to change. The participants need not know each other.",
        here: "A transfer orchestrates its saga: it issues WithdrawMoney and DepositMoney to the accounts and records each outcome in its own stream; the causation chain under the saga timeline shows every link passing through it.",
        read_more: "Chris Richardson, \"Pattern: Saga\" (microservices.io)",
    },
    Term {
        key: "choreography",
        name: "Choreography",
        definition: "A way to coordinate a saga without a coordinator: each participant reacts to the events the others publish, runs its own step, and publishes its own events. Nothing holds the saga as a whole, so its course is spread over the participants and harder to follow.",
        here: "This app does not use it: its transfers are orchestrated. In a choreographed transfer, the destination would react to the source's MoneyWithdrawn directly.",
        read_more: "Chris Richardson, \"Pattern: Saga\" (microservices.io)",
    },
    Term {
        key: "source-of-truth",
        name: "Source of truth",
        definition: "The one record every other is derived from. In event sourcing it is the log of events: read models, snapshots and other copies are caches made from it, which can be deleted and made again; when a cache and the log disagree, the log wins.",
        here: "Snapshots (on an account's card), the read models (rebuilt in lesson 4) and IndexedDB's chunks are all derived from the log; deleting them changes no balance.",
        read_more: "Vaughn Vernon, \"Implementing Domain-Driven Design\" (2013), appendix A on event sourcing and snapshots",
    },
];

/// The term `key` names, if there is one.
#[must_use]
pub fn term(key: &str) -> Option<&'static Term> {
    GLOSSARY.iter().find(|t| t.key == key)
}

/// A piece of a lesson's text: plain words, or a term's link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    /// A link to the glossary entry `key`, showing `shown`.
    Term {
        key: &'a str,
        shown: &'a str,
    },
}

/// Splits `text` at its `[[key]]` and `[[key|shown words]]` marks. An unclosed `[[`
/// stays plain text.
#[must_use]
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("[[") {
        let Some(close) = rest[open..].find("]]").map(|c| open + c) else {
            break;
        };
        if open > 0 {
            out.push(Segment::Text(&rest[..open]));
        }
        let inner = &rest[open + 2..close];
        let (key, shown) = inner.split_once('|').unwrap_or((inner, inner));
        out.push(Segment::Term { key, shown });
        rest = &rest[close + 2..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

/// `text` as a reader sees it, without the marks.
#[must_use]
pub fn plain(text: &str) -> String {
    segments(text)
        .iter()
        .map(|s| match s {
            Segment::Text(t) => (*t).to_owned(),
            Segment::Term { shown, .. } => shown.replace('-', " "),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::learn::LESSONS;

    fn referenced() -> Vec<&'static str> {
        LESSONS
            .iter()
            .flat_map(|l| l.text.iter())
            .flat_map(|p| segments(p))
            .filter_map(|s| match s {
                Segment::Term { key, .. } => Some(key),
                Segment::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn marks_split_into_text_and_terms() {
        assert_eq!(
            segments("A [[saga]] and [[cqrs|CQRS]]."),
            vec![
                Segment::Text("A "),
                Segment::Term {
                    key: "saga",
                    shown: "saga"
                },
                Segment::Text(" and "),
                Segment::Term {
                    key: "cqrs",
                    shown: "CQRS"
                },
                Segment::Text("."),
            ]
        );
        assert_eq!(segments("no marks"), vec![Segment::Text("no marks")]);
        assert_eq!(segments("open [[saga"), vec![Segment::Text("open [[saga")]);
        assert_eq!(plain("an [[idempotency-key]]"), "an idempotency key");
    }

    #[test]
    fn every_term_a_lesson_links_exists() {
        for key in referenced() {
            assert!(
                term(key).is_some(),
                "the lessons link [[{key}]], which the glossary lacks"
            );
        }
    }

    #[test]
    fn every_term_is_linked_from_a_lesson_once() {
        let used = referenced();
        for t in &GLOSSARY {
            let n = used.iter().filter(|k| **k == t.key).count();
            assert_eq!(
                n, 1,
                "{} is linked {n} times (once, where it first applies)",
                t.key
            );
        }
    }

    #[test]
    fn terms_are_unique_and_defined_in_two_to_four_sentences() {
        for (i, t) in GLOSSARY.iter().enumerate() {
            assert!(
                GLOSSARY[..i].iter().all(|u| u.key != t.key),
                "{} twice",
                t.key
            );
            assert!(
                t.key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                t.key
            );
            let sentences = t.definition.matches(". ").count() + 1;
            assert!(
                (2..=4).contains(&sentences),
                "{}: {sentences} sentences",
                t.key
            );
            assert!(
                t.definition.ends_with('.') && t.here.ends_with('.'),
                "{}",
                t.key
            );
            assert!(!t.read_more.contains("http"), "{}: no links offline", t.key);
        }
    }
}
