//! The course's lessons, as data. To add one: append a [`Lesson`] to [`LESSONS`]
//! (a key, a title, a few sentences, where it starts, one to three tasks), and
//! where no check in [`super::checks`] fits, write one there with its native tests.

use super::checks as c;
use super::predict::{Kind, Prediction, StreamChoice};
use super::{Lesson, Panel, Start, Task, Tool};

const fn stream(label: &'static str, stream: &'static str) -> StreamChoice {
    StreamChoice { label, stream }
}

/// The event types a saga's predictions offer.
const SAGA_TYPES: &[&str] = &[
    "TransferInitiated",
    "MoneyWithdrawn",
    "TransferDebited",
    "MoneyDeposited",
    "TransferCompleted",
    "TransferCreditRejected",
    "TransferReversed",
    "TransferFailed",
];

/// The event types "When compensation fails" offers: a saga's, and its refused refund.
const REFUND_REFUSED_TYPES: &[&str] = &[
    "TransferInitiated",
    "MoneyWithdrawn",
    "TransferDebited",
    "MoneyDeposited",
    "TransferCompleted",
    "TransferCreditRejected",
    "TransferReversed",
    "TransferFailed",
    "TransferCompensationFailed",
];

/// Every lesson, in course order; lesson `n` of `#lesson=<n>` is `LESSONS[n - 1]`.
pub const LESSONS: [Lesson; 17] = [
    Lesson {
        key: "facts",
        title: "Events are facts",
        text: &[
            "This bank keeps no current balance that it overwrites. It stores what happened, as [[event|events]]: facts in the past tense, appended to a log and never changed or deleted. Balances are worked out from them, although some events carry an amount, such as the opening balance.",
            "Every event belongs to a [[stream]] and has a version in it (1, 2, 3…) and a position in the whole log. Each account is an [[aggregate]], with a stream of its own; each transfer has one too.",
        ],
        start: Start::Empty,
        tasks: &[
            Task {
                text: "Open an account with an initial balance.",
                panel: Panel::Accounts,
                check: c::opened_account,
            },
            Task {
                text: "Deposit money into that account.",
                panel: Panel::Accounts,
                check: c::deposited,
            },
            Task {
                text: "Select your deposit in the audit trail and read its stream and version.",
                panel: Panel::Audit,
                check: c::selected_deposit,
            },
        ],
        prediction: Prediction {
            question: "Open an account with an initial balance. Which events will opening it write, in which stream?",
            kind: Kind::Events {
                types: &["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"],
                streams: &[
                    stream("the new account's stream (account-…)", "account-*"),
                    stream("a transfer's stream (transfer-…)", "transfer-*"),
                ],
                rows: 3,
            },
        },
        tool: None,
    },
    Lesson {
        key: "fold",
        title: "State is a fold",
        text: &[
            "A balance is computed: start from nothing and apply each event of the account in order, the opening balance, then every deposit and withdrawal. That is a fold, and it can stop at any event.",
            "So the bank can show you an earlier moment by folding fewer events. It folds them with today's code (older events are first turned into today's shape), so you see the past as this version reads it.",
            "Nothing was saved for this: the page folds the log itself. On a long log, a [[snapshot]] (state saved at some event) spares folding from the very start.",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "Move the time-travel slider back to before transfer-789 took 250.00 from alice-123: her balance is 1000.00 again.",
                panel: Panel::TimeTravel,
                check: c::travelled_back,
            },
            Task {
                text: "Deposit into alice-123, then travel to the event just before your deposit: the old balance is back.",
                panel: Panel::TimeTravel,
                check: c::travelled_before_deposit,
            },
            Task {
                text: "Load \u{201c}The account lifecycle\u{201d} from the scenario bar, then move the slider to when dave was suspended: his status is folded from his events too.",
                panel: Panel::TimeTravel,
                check: c::travelled_to_suspended,
            },
        ],
        prediction: Prediction {
            question: "Deposit 10.00 into alice-123. What will its balance be after your deposit?",
            kind: Kind::Balance { account: "alice-123" },
        },
        tool: None,
    },
    Lesson {
        key: "rules",
        title: "Rules refuse, and nothing is written",
        text: &[
            "A [[command]] is a request; the account's rules decide on it from the state folded from its events. Written as pure functions, one that decides and one that applies each event, the rules form a [[decider]]. If a rule says no, the command is refused and no event is written.",
            "A refused command leaves the log as it was: the refusal is shown to you, in the rule's own words, and not stored. A saga is different: when an account refuses one of its steps, the saga records that as a fact of the transfer (lesson 6).",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "Withdraw more than the balance of bob-456 and read why it was refused.",
                panel: Panel::Accounts,
                check: c::refused_overdraft,
            },
            Task {
                text: "Suspend bob-456 (give a reason).",
                panel: Panel::Accounts,
                check: c::suspended,
            },
            Task {
                text: "Try to deposit into bob-456 while it is suspended, and read the refusal.",
                panel: Panel::Accounts,
                check: c::refused_suspended_deposit,
            },
        ],
        prediction: Prediction {
            question: "Withdraw more than the balance of bob-456. Will the bank accept it, or refuse it, and by which rule?",
            kind: Kind::Refusal,
        },
        tool: None,
    },
    Lesson {
        key: "read-models",
        title: "Read models",
        text: &[
            "Screens need answers the log does not give directly: a statement with a running balance, a list of transfers. [[projection|Read models]] are those answers, folded from the log. Keeping them apart from the rules that decide on commands is [[cqrs|CQRS]].",
            "A read model is updated after the events are written, so it can lag behind the log: it is [[eventual-consistency|eventually consistent]]. This page updates its read models right after its own writes; another writer's events show only once the page has caught up with the log, as lesson 9 shows.",
            "Read models are disposable: throw them away, fold the whole log again, and you get the same ones, because the folds are deterministic (the same events in the same order give the same result). That is what lets you add a new view of old data at any time.",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "Open the statement of alice-123 (select the account) and read its running balance.",
                panel: Panel::Accounts,
                check: c::opened_statement,
            },
            Task {
                text: "Deposit into any account, then rebuild with the broken projection (it forgets withdrawals): it differs from the live view.",
                panel: Panel::Lesson,
                check: c::rebuilt_broken_differs,
            },
            Task {
                text: "Now rebuild with the real projections: the same as the live view.",
                panel: Panel::Lesson,
                check: c::rebuilt_equal,
            },
        ],
        prediction: Prediction {
            question: "Deposit 20.00 into alice-123: its statement, a read model, will show it. Which events will the deposit write, in which streams?",
            kind: Kind::Events {
                types: &["MoneyDeposited", "AccountOpened"],
                streams: &[
                    stream("alice-123's stream (account-alice-123)", "account-alice-123"),
                    stream("alice-123's statement", "statement-alice-123"),
                ],
                rows: 2,
            },
        },
        tool: Some(Tool::Rebuild),
    },
    Lesson {
        key: "saga",
        title: "A saga, step by step",
        text: &[
            "A transfer touches two accounts, and each account is an aggregate with its own stream: no single write can change both. A [[saga]] does it in steps. Each step is two appends, one after the other and not atomic: its effect in an account's stream (a withdrawal or a deposit), then its record in the transfer's stream.",
            "Between the steps, the money has left one account and not yet reached the other, and any reader sees that. Every event of t1 carries t1 as its [[correlation-id|correlation id]], and the id of the event that caused it.",
            "Transfer t1 is waiting at its first step. Each Next step runs one step and shows the events it wrote.",
            "Watch the state diagram beside the timeline as you step: the lit state is where t1 is now, the solid path is the way it came (each arrow with the positions of its events), and the dashed arrows are the steps still to come.",
        ],
        start: Start::Scenario("happy-transfer"),
        tasks: &[
            Task {
                text: "Press Next step, one step at a time (not Play), until transfer t1 completes.",
                panel: Panel::Timeline,
                check: c::transfer_completed,
            },
        ],
        prediction: Prediction {
            question: "Press Next step once: t1's debit step runs. Which events will it write, in order, in which streams?",
            kind: Kind::Events {
                types: SAGA_TYPES,
                streams: &[
                    stream("account-alice", "account-alice"),
                    stream("account-bob", "account-bob"),
                    stream("transfer-t1", "transfer-t1"),
                ],
                rows: 3,
            },
        },
        tool: None,
    },
    Lesson {
        key: "compensation",
        title: "Compensation",
        text: &[
            "A saga cannot roll back: the debit is a committed fact. When a later step is refused, the saga writes new facts that counteract it, here a deposit back into the source. That is [[compensation]].",
            "The withdrawal stays in the log beside the refund, and anyone who read the balance in between saw the money gone: a saga gives no isolation. The refund can itself be refused (if the source was suspended or closed meanwhile); the saga then writes TransferCompensationFailed and a person must act.",
            "Transfer t1 sends 10.00 from alice to carol, whose account is closed. Watch the credit be refused, the refund come back, and the transfer end as failed.",
            "In the state diagram, the compensation branch leaves the happy path at Debited: when the credit is refused, the solid path turns down it to Credit rejected and on to Failed, and the dashed way to Completed is never taken.",
        ],
        start: Start::Scenario("compensation"),
        tasks: &[
            Task {
                text: "Run t1 to its end (Play, or Next step press by press): the credit is refused and alice is refunded.",
                panel: Panel::Timeline,
                check: c::compensated,
            },
            Task {
                text: "Select the TransferReversed event in the audit trail.",
                panel: Panel::Audit,
                check: c::selected_reversal,
            },
            Task {
                text: "Load \u{201c}Insufficient funds\u{201d} from the scenario bar and step its t1 to the end: the debit is refused, so no money moved and nothing is compensated.",
                panel: Panel::Timeline,
                check: c::failed_without_compensation,
            },
        ],
        prediction: Prediction {
            question: "Press Play: t1 runs to its end. Which events will it write, in order, in which streams?",
            kind: Kind::Events {
                types: SAGA_TYPES,
                streams: &[
                    stream("account-alice", "account-alice"),
                    stream("account-carol", "account-carol"),
                    stream("transfer-t1", "transfer-t1"),
                ],
                rows: 6,
            },
        },
        tool: None,
    },
    Lesson {
        key: "crash",
        title: "Crash and resume",
        text: &[
            "The saga records each step in the transfer's stream, so after a restart the log says which step comes next. A crash can also fall between a step's effect and its record: the money has moved, and the transfer's stream does not say so yet.",
            "That is safe here because each leg carries the transfer id as an [[idempotency-key|idempotency key]]: run again after the restart, the leg finds itself already applied and writes nothing, and only its record is written.",
            "In the transfer form, send 50.00 from alice-123 to bob-456 all at once, and under Inject a fault choose the crash after the debit, before it is recorded. The page reloads, as a crashed app restarts.",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "Send a transfer all at once with the crash \u{201c}after the debit, before it is recorded\u{201d}, and let the page reload.",
                panel: Panel::Transfers,
                check: c::reloaded_mid_saga,
            },
            Task {
                text: "After the reload, see the saga finish from the log alone: the debit runs again, its transfer id makes it write nothing, and the money is taken once.",
                panel: Panel::Timeline,
                check: c::resumed_after_reload,
            },
            Task {
                text: "Load \u{201c}A transient failure with retries\u{201d} from the scenario bar and run its t1 to the end: each failed credit attempt is written, then the credit lands once.",
                panel: Panel::Timeline,
                check: c::retried_then_completed,
            },
        ],
        prediction: Prediction {
            question: "Send 50.00 from alice-123 to bob-456 all at once, with the crash \u{201c}after the debit, before it is recorded\u{201d}. Which events will the log hold, from your transfer, when the page reloads?",
            kind: Kind::Events {
                types: SAGA_TYPES,
                streams: &[
                    stream("alice-123's stream", "account-alice-123"),
                    stream("bob-456's stream", "account-bob-456"),
                    stream("your transfer's stream (transfer-…)", "transfer-*"),
                ],
                rows: 5,
            },
        },
        tool: None,
    },
    Lesson {
        key: "idempotency",
        title: "Idempotency",
        text: &[
            "Networks repeat messages, and people press buttons twice. A transfer id names one transfer: the bank knows it (the transfer's stream exists), so the same request sent again is answered with the existing transfer and moves no money. The same id with other details is refused: it cannot be the same request.",
            "transfer-789 already moved 250.00 from alice-123 to bob-456, described \"Payment for services\".",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "Send transfer-789 again with the same accounts, amount and description: the bank answers with the existing transfer.",
                panel: Panel::Transfers,
                check: c::repeated_transfer,
            },
            Task {
                text: "Send transfer-789 with another amount and read the refusal.",
                panel: Panel::Transfers,
                check: c::refused_reused_id,
            },
        ],
        prediction: Prediction {
            question: "Send transfer-789 again with the same accounts, amount and description. Which events will it write, in which streams? Leave every row blank for none.",
            kind: Kind::Events {
                types: SAGA_TYPES,
                streams: &[
                    stream("alice-123's stream", "account-alice-123"),
                    stream("bob-456's stream", "account-bob-456"),
                    stream("transfer-789's stream", "transfer-transfer-789"),
                ],
                rows: 5,
            },
        },
        tool: None,
    },
    Lesson {
        key: "concurrency",
        title: "Optimistic concurrency",
        text: &[
            "Two writers may read the same account and both decide. Each append states its [[expected-version|expected version]], the version of the stream it read; an append that finds the stream moved on is refused with a conflict, and nothing is overwritten.",
            "What a writer does after a conflict is its own choice. This app reads the new events and decides the command again on fresh state. Press Second client, then use the page as usual: the second client writes to the account after this page has read it and before the page's append. Two tabs on one bank conflict the same way, but only when one writes to a stream between the other's read of it and its append.",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "Press Second client: it will deposit 5.00 into alice-123 behind this page's back, the moment this page next writes there.",
                panel: Panel::Lesson,
                check: c::second_client_wrote,
            },
            Task {
                text: "Now withdraw 1.00 from alice-123: the page's append expects the version it read and is refused; it reads again and decides on fresh state.",
                panel: Panel::Accounts,
                check: c::decided_again,
            },
        ],
        prediction: Prediction {
            question: "Select alice-123 and read its version. Press Second client, then withdraw 1.00 from alice-123: the second client's deposit lands first. The append of yours that succeeds expects account-alice-123 to be at which version?",
            kind: Kind::Version { stream: "account-alice-123" },
        },
        tool: Some(Tool::SecondClient),
    },
    Lesson {
        key: "schema",
        title: "Schema evolution",
        text: &[
            "Events are kept forever, but the code that reads them changes. An [[upcaster]] turns an old event into today's shape each time it is read, and the stored event stays as it was.",
            "Import works differently: it reads the schema-1 file below (times inside the data, amounts as numbers) through the upcaster and stores copies in today's shape, each event's own time kept as its recorded time. The file is not changed. Import it, and compare each line with how it is read.",
        ],
        start: Start::Empty,
        tasks: &[
            Task {
                text: "Import the schema-1 file below with the audit trail's Import.",
                panel: Panel::Audit,
                check: c::imported_schema_one,
            },
            Task {
                text: "After the import, deposit into erin, the imported account: old and new events share one stream.",
                panel: Panel::Accounts,
                check: c::deposited_to_imported,
            },
        ],
        prediction: Prediction {
            question: "After the import, deposit into erin. The append expects account-erin to be at which version?",
            kind: Kind::Version { stream: "account-erin" },
        },
        tool: Some(Tool::SchemaOne),
    },
    Lesson {
        key: "fork",
        title: "Try another path",
        text: &[
            "The log is the whole history, so any moment of it can start another one. Time travel's \u{201c}Try another path from here\u{201d} copies events 1 to N of this bank into a practice fork of its own: you act in the fork, and this lesson's bank is untouched.",
            "transfer-789 took 250.00 from alice-123 to bob-456. Fork before it, and in the fork send that money to a closed account instead: open an account with 0.00, close it, and send 250.00 from alice-123 to it. The credit is refused, so the saga compensates.",
            "Then press Compare with my bank: the two histories side by side from the fork point, and the balances that differ marked. The banner at the top says which bank you are in; Back to my bank returns to this lesson's bank.",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "In time travel, select an event before transfer-789 and press Try another path from here.",
                panel: Panel::TimeTravel,
                check: c::forked_before_transfer,
            },
            Task {
                text: "In the fork, open an account with 0.00, close it, and send 250.00 from alice-123 to it: the credit is refused and alice-123 is refunded.",
                panel: Panel::Transfers,
                check: c::compensated_in_fork,
            },
            Task {
                text: "Press Compare with my bank and read which balances differ.",
                panel: Panel::Fork,
                check: c::compared_fork,
            },
        ],
        prediction: Prediction {
            question: "In your fork, send 250.00 from alice-123 to the account you closed. What will alice-123's balance be once that transfer ends?",
            kind: Kind::Balance { account: "alice-123" },
        },
        tool: None,
    },
    Lesson {
        key: "stale",
        title: "Stale reads",
        text: &[
            "A read model is folded after the events are written, so it can lag behind the log: the log already holds your deposit while the statement does not show it yet. That is eventual consistency: the two agree once the read model has caught up. A read in between is a stale read.",
            "Here the lag is yours to set: the Read models box above the accounts can pause delivery (events then wait, and are delivered one at a time by hand), and it always says where the log and the statement stand.",
            "A page that must show its own write uses [[read-your-writes]]: the command returns the log position it wrote, and the read waits until the read model has reached that position. Read my last write does that, and says how long the statement was behind.",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "Press Pause delivery in the Read models box, then deposit 10.00 into alice-123: the statement still shows the old balance.",
                panel: Panel::Accounts,
                check: c::saw_stale_read,
            },
            Task {
                text: "Press Read my last write: the read waits for your deposit's position. Press Deliver next event until it is answered.",
                panel: Panel::Accounts,
                check: c::read_waited_for_write,
            },
        ],
        prediction: Prediction {
            question: "Pause delivery, then deposit 10.00 into alice-123. What balance will alice-123's statement show right after your deposit?",
            kind: Kind::Shown { account: "alice-123" },
        },
        tool: None,
    },
    Lesson {
        key: "at-least-once",
        title: "At least once",
        text: &[
            "A step that crashes after its effect and before its record is run again after the restart: nothing recorded that it was done. Work that is redone until its record is written is delivered [[at-least-once|at least once]], never lost, sometimes twice.",
            "Twice is harmless only for a handler that is [[idempotent]]: doing it again changes nothing. Here each account leg carries its transfer id, so a debit run again finds itself already applied, writes nothing, and the saga timeline says so on the step's record.",
            "Read models meet the same thing: a delivery may come twice. With Deliver each event twice on, the Read models box shows a naive projection that adds every delivery beside the read models, which remember the last position they applied and ignore the repeat.",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "In the transfer form, send 50.00 from alice-123 to bob-456 all at once, with the crash \u{201c}after the debit, before it is recorded\u{201d} under Inject a fault; the page reloads.",
                panel: Panel::Transfers,
                check: c::reloaded_mid_saga,
            },
            Task {
                text: "After the reload the saga resumes: in its timeline, read that the debit was already applied and not applied twice.",
                panel: Panel::Timeline,
                check: c::resumed_after_reload,
            },
            Task {
                text: "Tick Deliver each event twice in the Read models box, then deposit into alice-123: the naive projection counts it twice, the read models once.",
                panel: Panel::Accounts,
                check: c::ignored_duplicate_deposit,
            },
        ],
        prediction: Prediction {
            question: "Send 50.00 from alice-123 to bob-456 with the crash after the debit, before it is recorded. The debit step will run again after the reload. What will alice-123's balance be: does it drop once or twice?",
            kind: Kind::Balance { account: "alice-123" },
        },
        tool: None,
    },
    Lesson {
        key: "retries",
        title: "Retries and timeouts",
        text: &[
            "A step can fail for a passing reason: the other side is busy, or its answer is lost on the network. The saga then tries the step again, a [[retry-backoff|retry]], after a wait that doubles each time: 100 ms, then 200, 400, 800 and so on, on the saga's own virtual clock. No real time passes, so every run is the same.",
            "Each wait gets up to a quarter more, drawn from the transfer id and the attempt: [[jitter]]. Without it, transfers that failed together would all retry at the same instant and could overload the service again.",
            "Retries cannot go on for ever. The credit has a [[deadline]], 1000 ms after its first attempt: when the next retry would start after it, the saga gives up at once, writes TransferTimedOut and compensates, so the refund puts the money back. Trying a step again is safe only because each leg is idempotent: the transfer id lets a repeated credit find itself already applied.",
            "In the transfer form, send 20.00 from alice-123 to bob-456 all at once, and under Inject a fault set how many times the credit fails before it succeeds. Beside the saga, a time axis then shows each attempt and its wait, and the deadline once the saga gives up.",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "Send a transfer whose credit fails at least once and still completes before the deadline.",
                panel: Panel::Transfers,
                check: c::retried_within_deadline,
            },
            Task {
                text: "Send one whose credit keeps failing until its next retry would start after the deadline: it times out, and alice-123 is refunded.",
                panel: Panel::Transfers,
                check: c::timed_out_and_refunded,
            },
        ],
        prediction: Prediction {
            question: "Send 20.00 from alice-123 to bob-456 all at once, with the credit failing as many times as you choose: decide that number first. With it, will the transfer complete, or time out and be compensated?",
            kind: Kind::Ending,
        },
        tool: None,
    },
    Lesson {
        key: "compensation-fails",
        title: "When compensation fails",
        text: &[
            "A saga gives up [[isolation]]: each step commits on its own, and everyone sees the work half done (Garcia-Molina and Salem proposed sagas in 1987 so that a long action need not hold its locks until it ends). Here t1 sent alice's whole 40.00 to carol, whose account is closed. After the debit, alice's balance read 0.00, the balance an account must have to be closed, so alice's account was closed while t1's money was out. Nothing stopped it: this bank has no semantic lock (a \u{201c}transfer pending\u{201d} flag that closing would check), one of the countermeasures Chris Richardson lists for this lack of isolation.",
            "The saga's compensation is a deposit back into alice, and a closed account refuses deposits. The saga cannot counteract its debit, and it does not guess where else the money should go: it writes TransferCompensationFailed and stops. The transfer needs attention. The 40.00 is in no account, and the log says where it went and why it is stuck.",
            "A person fixes it, with a command and a reason that the log keeps like any other fact. Under Operator's fix in t1's saga, the refund is retried into another active account of the same owner (alice-savings here), or into the source itself if it was only suspended and is active again. TransferRefundRetried records the decision; the saga's refund step then moves the money.",
        ],
        start: Start::Scenario("needs-attention"),
        tasks: &[
            Task {
                text: "Press Play (or Next step until t1 stops): the credit to carol is refused, then the refund to alice, and t1 needs attention.",
                panel: Panel::Timeline,
                check: c::compensation_failed,
            },
            Task {
                text: "Under Operator's fix, retry the refund into alice-savings with a reason, then press Next step: the refund lands and the money is whole again.",
                panel: Panel::Timeline,
                check: c::fixed_by_operator,
            },
            Task {
                text: "Then, in time travel, select an event from while the money was out (after alice's debit, before the refund): the total is 40.00 short, as every reader saw it then.",
                panel: Panel::TimeTravel,
                check: c::saw_money_out,
            },
        ],
        prediction: Prediction {
            question: "Press Play: t1 runs on from its debit, with alice closed. Which events will it write, in order, in which streams?",
            kind: Kind::Events {
                types: REFUND_REFUSED_TYPES,
                streams: &[
                    stream("account-alice", "account-alice"),
                    stream("account-carol", "account-carol"),
                    stream("transfer-t1", "transfer-t1"),
                ],
                rows: 5,
            },
        },
        tool: None,
    },
    Lesson {
        key: "causation",
        title: "How steps cause each other",
        text: &[
            "Every event carries two ids beside its data. The correlation id names the operation it belongs to, here the transfer. The causation id names what directly caused it: an earlier event or, for the transfer's first event, the command that began it. Commands are not stored, so that id is all the log keeps of the command.",
            "This saga is [[orchestration|orchestrated]]: the transfer is a coordinator that reads its own stream and issues each next command (WithdrawMoney, then DepositMoney), and it records each account's answer in its own stream. Chris Richardson's saga pattern (microservices.io) names the other way [[choreography]]: no coordinator, each service reacts to the events of the others and publishes its own. In the paper that named sagas (Garcia-Molina and Salem, 1987), a saga is a sequence of transactions, each with a compensating transaction, and the database system itself runs them.",
            "Positions say in which order events were written; causation ids say why each was written. Under the saga timeline, \u{201c}How its steps caused each other\u{201d} draws t1's events with the command that wrote each: every link passes through the transfer's stream, the mark of orchestration. An event another command wrote between two steps sits between them in the log, but not in the chain.",
            "t1 sends 30.00 from alice to bob, stepped by hand: it waits after TransferInitiated. Run it to its end, then follow its chain back.",
        ],
        start: Start::Scenario("happy-transfer"),
        tasks: &[
            Task {
                text: "Run t1 to its end (Play, or Next step press by press).",
                panel: Panel::Timeline,
                check: c::traced_transfer_completed,
            },
            Task {
                text: "In t1's causation chain, under its saga timeline, select TransferCompleted, then the event that caused it, and so on, one link at a time, back to TransferInitiated, the event the command wrote.",
                panel: Panel::Timeline,
                check: c::followed_chain_back,
            },
        ],
        prediction: Prediction {
            question: "Press Play: t1 runs to its end. Following causation ids, how many links lead from its TransferCompleted back to the TransferMoney command that began it? The last link is TransferInitiated's, which names the command.",
            kind: Kind::Links { transfer: "t1" },
        },
        tool: None,
    },
    Lesson {
        key: "snapshots",
        title: "Snapshots",
        text: &[
            "To load an account, the bank folds its events from the first. On a long stream that takes time, so a snapshot (state saved at some event) can be kept beside the log: loading starts from it and folds only the events after it. The account's card says which it did: \u{201c}snapshot at v40 + 3 events\u{201d}, or \u{201c}43 events folded\u{201d} without one.",
            "A snapshot is a cache derived from the log, never the [[source-of-truth|source of truth]]: it can be deleted and taken again from the events at any time. One written by another version of the code, or damaged, is ignored and the whole stream folded, because a fold's code can change while the events cannot. \u{201c}Snapshot every N events\u{201d} on the card takes them as the bank writes; it is off unless you set it.",
        ],
        start: Start::Scenario("seed-demo"),
        tasks: &[
            Task {
                text: "Select alice-123 and press Take a snapshot now: its card says it loaded from a snapshot.",
                panel: Panel::Accounts,
                check: c::loaded_from_snapshot,
            },
            Task {
                text: "Press Delete all snapshots: the card folds every event again, and the balance stays the same.",
                panel: Panel::Accounts,
                check: c::deleted_snapshots_same_balance,
            },
            Task {
                text: "Deposit 10.00 into alice-123: its card loads the account again, your deposit in its balance.",
                panel: Panel::Accounts,
                check: c::deposited_after_deleting,
            },
        ],
        prediction: Prediction {
            question: "Take a snapshot of alice-123, delete every snapshot, then deposit 10.00 into alice-123. What will its balance be after your deposit?",
            kind: Kind::Balance { account: "alice-123" },
        },
        tool: None,
    },
];
