//! Checking a whole log before it is imported: every line must parse, positions and
//! versions must be gap-free, every event must sit in its own stream, and replaying
//! the log through the domain must produce exactly these events (no overdraft, no
//! money moved on a closed account, saga steps in order, each leg before its record,
//! each transfer event with its transfer's accounts and amount, no failure that
//! leaves a leg unpaid). A log that fails is refused with its line number and the
//! reason; nothing is written. `tests/properties/fuzz_doors.rs` fuzzes this door.

use std::collections::{HashMap, HashSet};

use thiserror::Error;

use crate::app::views::audit_filter::group_digits;
use crate::domain::account::{self, AccountCommand, AccountState};
use crate::domain::events::{AccountEvent, EventKind, Movement, TransferEvent};
use crate::domain::transfer::{self, TransferState};
use crate::domain::{saga, AccountId, Event, SagaStep, TransferId};
use crate::store::checks::LogCheck;
use crate::store::{Recorded, StoreError};

/// Why a log cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {reason}")]
pub struct ImportError {
    /// 1-based line number in the file.
    pub line: usize,
    pub reason: String,
}

/// Parses and checks a JSON-lines log. Blank lines are skipped.
pub fn parse_log(text: &str) -> Result<Vec<Recorded>, ImportError> {
    let mut checker = Checker::new();
    let mut events = Vec::new();
    let mut last_line = 0;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let fail = |reason: String| ImportError { line, reason };
        let recorded = Recorded::from_json_line(raw).map_err(|e| fail(e.to_string()))?;
        checker.check(&recorded).map_err(fail)?;
        events.push(recorded);
        last_line = line;
    }
    if let Some(t) = checker.reversed {
        return Err(ImportError {
            line: last_line,
            reason: format!(
                "the log ends after TransferReversed of transfer {t}, without the \
                 TransferFailed written together with it: the file is cut short"
            ),
        });
    }
    Ok(events)
}

/// Why writing a checked log into `store` (its name: "localStorage") failed, for a
/// person: `first_not_stored` is the position of the first event that did not land, of
/// `total`. The writer removes the new database on failure (`removed` says whether it
/// could), so an import is all or nothing.
#[must_use]
pub fn write_failure(
    store: &str,
    first_not_stored: u64,
    total: usize,
    error: &StoreError,
    removed: Result<(), String>,
) -> String {
    let first = usize::try_from(first_not_stored).unwrap_or(usize::MAX);
    let at = format!("event {} of {}", group_digits(first), group_digits(total));
    let why = match error {
        StoreError::QuotaExceeded(_) => format!("{at} did not fit: {store} is full"),
        other => format!("{at} could not be stored ({other})"),
    };
    match removed {
        Ok(()) => format!(
            "{why}. Nothing of the import was kept (the events written before it were \
             removed again), and the log shown is unchanged."
        ),
        Err(e) => format!(
            "{why}. The log shown is unchanged, but the events written before it could not \
             be removed ({e}): they take room in a database that is not shown."
        ),
    }
}

struct Checker {
    /// Positions and versions count up without gaps (the check the stores use).
    log: LogCheck,
    accounts: HashMap<AccountId, AccountState>,
    transfers: HashMap<TransferId, TransferState>,
    /// Legs already applied: (transfer, step).
    legs: HashSet<(TransferId, SagaStep)>,
    /// The transfer whose TransferReversed was the last event: its TransferFailed,
    /// written in the same append, must be the next.
    reversed: Option<TransferId>,
}

impl Checker {
    fn new() -> Checker {
        Checker {
            log: LogCheck::new(1),
            accounts: HashMap::new(),
            transfers: HashMap::new(),
            legs: HashSet::new(),
            reversed: None,
        }
    }

    fn check(&mut self, r: &Recorded) -> Result<(), String> {
        self.log.check(r, String::new).map_err(|e| match e {
            StoreError::Corrupt(message) => message,
            other => other.to_string(),
        })?;
        let event = &r.event;
        if let Some(t) = &self.reversed {
            if !matches!(event, Event::TransferFailed(e) if &e.transfer_id == t) {
                return Err(format!(
                    "{} comes between TransferReversed of transfer {t} and its TransferFailed, \
                     which are written together",
                    event.event_type()
                ));
            }
        }
        match event.kind() {
            EventKind::Account(e) => {
                in_stream(r, e.account_id().stream())?;
                self.replay_account(e, event)?;
            }
            EventKind::Transfer(e) => {
                in_stream(r, e.transfer_id().stream())?;
                self.replay_transfer(e, event)?;
            }
        }
        self.reversed = if let Event::TransferReversed(e) = event {
            Some(e.transfer_id.clone())
        } else {
            None
        };
        Ok(())
    }

    fn replay_account(&mut self, e: AccountEvent<'_>, event: &Event) -> Result<(), String> {
        let id = e.account_id();
        let state = self.accounts.remove(id).unwrap_or_default();
        let (command, stamp) = account::replay(e);
        let decided = account::decide(&command, &state, &stamp)
            .map_err(|e| format!("{} cannot have happened: {e}", event.event_type()))?;
        if decided.as_slice() != std::slice::from_ref(event) {
            return Err(format!(
                "{} does not follow from the account's history",
                event.event_type()
            ));
        }
        if let Some(leg) = e.movement().and_then(|m| self.leg_of(&m)) {
            let t = &leg.0;
            let transfer = self.transfers.get(t);
            if transfer.and_then(TransferState::pending_step) != Some(leg.1) {
                return Err(format!(
                    "{} for transfer {t} is not the step that transfer was waiting for",
                    event.event_type()
                ));
            }
            // The movement must be exactly the leg the saga would have run: the same
            // account, amount and transfer (or money could appear from nowhere).
            let expected = transfer.and_then(|s| saga::leg_for(leg.1, s));
            if !expected.is_some_and(|expected| same_movement(&expected, &command)) {
                return Err(format!(
                    "{} does not match the {} of transfer {t} (account or amount differ)",
                    event.event_type(),
                    leg.1
                ));
            }
            self.legs.insert(leg);
        }
        self.accounts
            .insert(id.clone(), account::evolve(state, event));
        Ok(())
    }

    /// Refuses an operator's refund into an account of another owner (or none).
    fn same_owner(&self, source: &AccountId, refund_to: &AccountId) -> Result<(), String> {
        let owner = |id: &AccountId| {
            self.accounts
                .get(id)
                .and_then(AccountState::holdings)
                .map(|h| h.owner_name.clone())
        };
        match (owner(source), owner(refund_to)) {
            (Some(a), Some(b)) if a == b => Ok(()),
            _ => Err(format!(
                "TransferRefundRetried refunds into {refund_to}, which is not an account of the owner of {source}"
            )),
        }
    }

    /// Which saga leg an account movement is, if a transfer caused it.
    fn leg_of(&self, m: &Movement<'_>) -> Option<(TransferId, SagaStep)> {
        let (t, account, deposit) = (m.transfer_id?, m.account_id, m.deposit);
        let state = self.transfers.get(t);
        let refund = state.is_some_and(|s| {
            s.details().is_some_and(|d| &d.from_account_id == account)
                || (s.pending_step() == Some(SagaStep::Refund)
                    && s.refund_account() == Some(account))
        });
        let step = match (deposit, refund) {
            (false, _) => SagaStep::Debit,
            (true, true) => SagaStep::Refund,
            (true, false) => SagaStep::Credit,
        };
        Some((t.clone(), step))
    }

    fn replay_transfer(&mut self, e: TransferEvent<'_>, event: &Event) -> Result<(), String> {
        let id = e.transfer_id();
        let state = self.transfers.remove(id).unwrap_or_default();
        if let Err(reason) = self.check_transfer_event(id, &state, e, event) {
            self.transfers.insert(id.clone(), state);
            return Err(reason);
        }
        self.transfers
            .insert(id.clone(), transfer::evolve(state, event));
        Ok(())
    }

    /// Whether the saga could have written `event` next: in this phase, after (or,
    /// for a rejection, without) its leg, with the transfer's own accounts and amount.
    fn check_transfer_event(
        &self,
        id: &TransferId,
        state: &TransferState,
        e: TransferEvent<'_>,
        event: &Event,
    ) -> Result<(), String> {
        let kind = event.event_type();
        if !transfer::accepts(state, event) {
            return Err(format!(
                "{kind} cannot follow a transfer that is {}",
                state.label()
            ));
        }
        let compensating = matches!(
            state,
            TransferState::CreditRejected { .. } | TransferState::RefundRetrying { .. }
        );
        if let Event::TransferRefundRetried(r) = event {
            self.same_owner(&r.from_account_id, &r.refund_account_id)?;
        }
        let failed = matches!(event, Event::TransferFailed(_));
        if compensating && failed && self.reversed.as_ref() != Some(id) {
            return Err(format!(
                "{kind} after a rejected credit must follow TransferReversed (the refund)"
            ));
        }
        let leg = transfer::leg_recorded(e, compensating);
        if let Some((step, wanted)) = leg {
            if self.legs.contains(&(id.clone(), step)) != wanted {
                return Err(if wanted {
                    format!("{kind} comes before its {step} leg was applied to the account")
                } else {
                    format!("{kind} comes after its {step} leg was applied to the account")
                });
            }
        }
        let decided = transfer::decide(&transfer::replay(e, compensating), state)
            .map_err(|e| format!("{kind} cannot have happened: {e}"))?;
        // The refund writes TransferReversed and TransferFailed together.
        let expected = decided.get(usize::from(compensating && failed));
        if !expected.is_some_and(|expected| same_but_reason(expected, event)) {
            return Err(format!(
                "{kind} does not follow from the transfer's history (its accounts, amount, \
                 step or attempt differ)"
            ));
        }
        Ok(())
    }
}

/// Refuses an event recorded in another stream than its own.
fn in_stream(r: &Recorded, own: String) -> Result<(), String> {
    if r.stream == own {
        Ok(())
    } else {
        Err(format!(
            "{} belongs in {own}, not {}",
            r.event.event_type(),
            r.stream
        ))
    }
}

/// Equal events, but for the reason of a failure (the saga words it from the
/// rejection it was given, which the log does not hold apart).
fn same_but_reason(expected: &Event, event: &Event) -> bool {
    let mut expected = expected.clone();
    if let (Event::TransferFailed(x), Event::TransferFailed(e)) = (&mut expected, event) {
        x.reason.clone_from(&e.reason);
    }
    if let (Event::TransferCompensationFailed(x), Event::TransferCompensationFailed(e)) =
        (&mut expected, event)
    {
        x.reason.clone_from(&e.reason);
    }
    if let (Event::TransferTimedOut(x), Event::TransferTimedOut(e)) = (&mut expected, event) {
        x.reason.clone_from(&e.reason);
    }
    // A retry written before the virtual clock (schema 3 and older) has no time.
    if let (Event::TransferStepRetried(x), Event::TransferStepRetried(e)) = (&mut expected, event) {
        if e.retry_at_ms == 0 {
            x.retry_at_ms = 0;
        }
    }
    expected == *event
}

/// Whether two money movements move the same money: account, amount and transfer.
fn same_movement(a: &AccountCommand, b: &AccountCommand) -> bool {
    match (a, b) {
        (AccountCommand::DepositMoney(a), AccountCommand::DepositMoney(b)) => {
            a.account_id == b.account_id && a.amount == b.amount && a.transfer_id == b.transfer_id
        }
        (AccountCommand::WithdrawMoney(a), AccountCommand::WithdrawMoney(b)) => {
            a.account_id == b.account_id && a.amount == b.amount && a.transfer_id == b.transfer_id
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{scenario, Bank, Env};
    use crate::domain::TransferMoney;
    use crate::store::{EventStore, MemoryStore};

    #[test]
    fn a_failed_write_names_one_event_and_says_nothing_was_kept() {
        let full = StoreError::QuotaExceeded("cannot write x/event/13773".into());
        let text = write_failure("localStorage", 13_770, 20_000, &full, Ok(()));
        assert_eq!(
            text,
            "event 13,770 of 20,000 did not fit: localStorage is full. Nothing of the \
             import was kept (the events written before it were removed again), and the log \
             shown is unchanged."
        );
        let left = write_failure("IndexedDB", 1, 5, &full, Err("blocked".into()));
        assert!(left.contains("could not be removed (blocked)"), "{left}");
    }

    fn seed_log() -> String {
        futures::executor::block_on(async {
            let store = MemoryStore::new();
            let bank = Bank::open(store.clone(), Env::fixed("i")).await.unwrap();
            let commands = scenario::parse(include_str!("../../scenarios/seed-demo.json")).unwrap();
            scenario::run(&bank, commands).await;
            let mut text = String::new();
            for r in store.read_all(1).await.unwrap() {
                text.push_str(&r.to_json_line());
                text.push('\n');
            }
            text
        })
    }

    fn with_line(log: &str, n: usize, edit: impl Fn(&str) -> String) -> String {
        log.lines()
            .enumerate()
            .map(|(i, l)| if i + 1 == n { edit(l) } else { l.to_owned() })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn an_exported_log_imports_back_unchanged() {
        let log = seed_log();
        let events = parse_log(&log).unwrap();
        assert_eq!(events.len(), log.lines().count());
        let again: String = events.iter().map(|e| e.to_json_line() + "\n").collect();
        assert_eq!(again, log);
    }

    #[test]
    fn an_inconsistent_log_is_refused_with_its_line_and_reason() {
        let log = seed_log();
        // An overdraft: Alice's transfer debit made larger than her balance.
        let overdraft = with_line(&log, 4, |l| {
            l.replace("\"amount\":\"250.00\"", "\"amount\":\"2500.00\"")
        });
        let err = parse_log(&overdraft).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("insufficient balance"), "{err}");

        let gap = with_line(&log, 3, |l| l.replace("\"position\":3", "\"position\":30"));
        assert_eq!(parse_log(&gap).unwrap_err().line, 3);

        let foreign = with_line(&log, 2, |l| {
            l.replace(
                "\"stream\":\"account-bob-456\"",
                "\"stream\":\"account-alice-123\"",
            )
        });
        let err = parse_log(&foreign).unwrap_err();
        assert_eq!(err.line, 2);

        let unknown = with_line(&log, 1, |l| l.replace("AccountOpened", "AccountExploded"));
        let err = parse_log(&unknown).unwrap_err();
        assert!(
            err.to_string().starts_with("line 1: unknown event type"),
            "{err}"
        );

        // The debit's record without the debit itself: drop line 4, renumber later lines.
        let lines: Vec<&str> = log.lines().collect();
        let skipped: String =
            lines[..3].join("\n") + "\n" + &lines[4].replace("\"position\":5", "\"position\":4");
        let err = parse_log(&skipped).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("before its debit leg"), "{err}");

        let err = parse_log("not json").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.reason.contains("not a JSON object"), "{err}");
        // serde's own position is within the line: said as a character, not a line.
        let cut = with_line(&log, 2, |l| l[..25].to_owned());
        let err = parse_log(&cut).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(
            err.reason
                .ends_with("EOF while parsing a string (at character 25)"),
            "{err}"
        );
        assert!(!err.reason.contains("line 1"), "{err}");
        // Characters, not bytes: "é" is two bytes (serde says column 5).
        let err = parse_log("{\"é\": x}").unwrap_err();
        assert!(err.reason.ends_with("(at character 4)"), "{err}");

        // A debit of 1.00 recorded for a 250.00 transfer would let the credit create
        // money: the leg must match its transfer.
        let short = with_line(&log, 4, |l| {
            l.replace("\"amount\":\"250.00\"", "\"amount\":\"1.00\"")
        });
        let err = parse_log(&short).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("does not match the debit"), "{err}");
    }

    /// Credit rejected and refunded: a, b opened; initiated, debit leg, debited,
    /// credit rejected, refund leg, reversed, failed (lines 1 to 9).
    fn compensated_log() -> Vec<String> {
        use crate::app::FaultPlan;
        futures::executor::block_on(async {
            let store = MemoryStore::new();
            let bank = Bank::open(store.clone(), Env::fixed("r")).await.unwrap();
            let commands = scenario::parse(
                r#"[{"type": "OpenAccount", "account_id": "a", "owner_name": "A", "initial_balance": "100"},
                    {"type": "OpenAccount", "account_id": "b", "owner_name": "B", "initial_balance": "0"}]"#,
            )
            .unwrap();
            scenario::run(&bank, commands).await;
            let t = TransferId::parse("t").unwrap();
            let start = TransferMoney {
                transfer_id: t.clone(),
                from_account_id: AccountId::parse("a").unwrap(),
                to_account_id: AccountId::parse("b").unwrap(),
                amount: crate::domain::Money::parse("10").unwrap(),
                description: String::new(),
            };
            let plan = FaultPlan {
                reject_credit: true,
                ..FaultPlan::default()
            };
            bank.start_transfer_with(start, plan, crate::domain::RunMode::Auto)
                .await
                .unwrap();
            bank.run_transfer(&t).await.unwrap();
            let log = store.read_all(1).await.unwrap();
            log.iter().map(|r| r.to_json_line()).collect()
        })
    }

    #[test]
    fn a_transfer_event_must_be_what_the_saga_would_have_written() {
        let log = seed_log();
        let refused = |text: &str| parse_log(text).unwrap_err().to_string();
        // Found by tests/properties/fuzz_doors.rs: each of these was accepted.
        let debited = with_line(&log, 5, |l| l.replace("\"250.00\"", "\"25.00\""));
        assert_eq!(
            refused(&debited),
            "line 5: TransferDebited does not follow from the transfer's history (its \
             accounts, amount, step or attempt differ)"
        );
        let to_itself = with_line(&log, 3, |l| {
            l.replace(
                "\"to_account_id\":\"bob-456\"",
                "\"to_account_id\":\"alice-123\"",
            )
        });
        assert_eq!(
            refused(&to_itself),
            "line 3: TransferInitiated cannot have happened: cannot transfer from account \
             alice-123 to itself"
        );
        // Failed after its debit: the debit would never be paid back.
        let failed = with_line(&log, 5, |l| {
            l.replace("TransferDebited", "TransferFailed").replace(
                "\"amount\":\"250.00\"",
                "\"amount\":\"250.00\",\"reason\":\"no\"",
            )
        });
        assert_eq!(
            refused(&failed),
            "line 5: TransferFailed comes after its debit leg was applied to the account"
        );

        let log = compensated_log();
        assert_eq!(parse_log(&log.join("\n")).unwrap().len(), 9);
        // A rejected credit's failure without the refund: money left in flight silently.
        let unrefunded = log[..6].join("\n")
            + "\n"
            + &log[8]
                .replace("\"position\":9", "\"position\":7")
                .replace("\"version\":5", "\"version\":4");
        assert_eq!(
            refused(&unrefunded),
            "line 7: TransferFailed after a rejected credit must follow TransferReversed \
             (the refund)"
        );
        let cut = log[..8].join("\n");
        assert_eq!(
            refused(&cut),
            "line 8: the log ends after TransferReversed of transfer t, without the \
             TransferFailed written together with it: the file is cut short"
        );
    }

    #[test]
    fn a_data_error_names_no_line_but_the_files() {
        // serde counts "line 1 column 43" within the data alone.
        let log = seed_log();
        let retyped = with_line(&log, 1, |l| l.replace("AccountOpened", "MoneyDeposited"));
        assert_eq!(
            parse_log(&retyped).unwrap_err().to_string(),
            "line 1: MoneyDeposited data is invalid: unknown field `owner_name`, expected one \
             of `account_id`, `amount`, `transaction_id`, `description`, `transfer_id`"
        );
    }
}
