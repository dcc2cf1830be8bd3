//! Given / when / then in the page: a small spec of an account's rules built from
//! choices (given some events, when a command, then an event or a refusal), run
//! against the real decider ([`crate::domain::account`]), with pass or fail and what
//! the decider really did. Nothing is stored: the spec's events exist only in it.

use crate::domain::account::{
    self, AccountCommand, AccountError, CloseAccount, DepositMoney, ReactivateAccount, Stamp,
    SuspendAccount, WithdrawMoney,
};
use crate::domain::events::{
    AccountClosed, AccountOpened, AccountReactivated, AccountSuspended, MoneyDeposited,
    MoneyWithdrawn,
};
use crate::domain::{AccountId, Decider, Event, Money};

/// The events a spec can be given, in the order they are offered.
pub const GIVEN: [&str; 6] = [
    "AccountOpened",
    "MoneyDeposited",
    "MoneyWithdrawn",
    "AccountSuspended",
    "AccountReactivated",
    "AccountClosed",
];

/// The commands a spec can send.
pub const WHEN: [&str; 5] = [
    "DepositMoney",
    "WithdrawMoney",
    "SuspendAccount",
    "ReactivateAccount",
    "CloseAccount",
];

/// What a spec can expect: a key and its words.
pub const THEN: [(&str, &str); 8] = [
    ("MoneyDeposited", "MoneyDeposited is written"),
    ("MoneyWithdrawn", "MoneyWithdrawn is written"),
    ("AccountSuspended", "AccountSuspended is written"),
    ("AccountReactivated", "AccountReactivated is written"),
    ("AccountClosed", "AccountClosed is written"),
    ("InsufficientBalance", "refused: not enough money"),
    ("NotActive", "refused: the account is not active"),
    ("other", "refused by another rule"),
];

/// The account every spec is about.
const ACCOUNT: &str = "spec";

/// One given event or the command: its name (from [`GIVEN`] or [`WHEN`]) and the
/// amount typed beside it (read only where the name needs one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub name: String,
    pub amount: String,
}

/// The outcome of a spec run against the decider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub passed: bool,
    /// What was expected, in words.
    pub expected: String,
    /// What the decider did, in words.
    pub actual: String,
}

/// Whether `name` takes an amount.
#[must_use]
pub fn needs_amount(name: &str) -> bool {
    matches!(
        name,
        "AccountOpened" | "MoneyDeposited" | "MoneyWithdrawn" | "DepositMoney" | "WithdrawMoney"
    )
}

/// Runs the spec: folds `given` with the account's `evolve`, decides `when` with its
/// `decide`, and compares the outcome with `then` (a key of [`THEN`]).
///
/// # Errors
/// A plain sentence when a line cannot be read (an amount, or nothing chosen).
pub fn run(given: &[Line], when: &Line, then: &str) -> Result<Verdict, String> {
    let expected = THEN
        .iter()
        .find(|(k, _)| *k == then)
        .map(|(_, words)| (*words).to_owned())
        .ok_or("Choose what you expect: an event written, or a refusal.")?;
    let mut state = account::Account::initial_state();
    for (i, line) in given.iter().enumerate() {
        let event = given_event(line, &state, i)?;
        state = account::Account::evolve(state, &event);
    }
    let command = command(when)?;
    let stamp = Stamp {
        transaction_id: "spec-when".to_owned(),
    };
    let (key, actual) = match account::decide(&command, &state, &stamp) {
        Ok(events) if events.is_empty() => ("none", "nothing is written".to_owned()),
        Ok(events) => {
            let key = events.first().map_or("none", Event::event_type);
            let names: Vec<&str> = events.iter().map(Event::event_type).collect();
            (key, format!("{} is written", names.join(", ")))
        }
        Err(e) => (refusal_key(&e), format!("refused: {e}")),
    };
    Ok(Verdict {
        passed: key == then,
        expected,
        actual,
    })
}

fn id() -> AccountId {
    AccountId::parse(ACCOUNT).unwrap_or_else(|_| unreachable!("a valid id"))
}

fn amount(line: &Line, what: &str) -> Result<Money, String> {
    Money::parse(line.amount.trim()).map_err(|e| format!("{what}: the amount {e}"))
}

/// The given event a line names, for an account in `state` (a closing keeps the
/// balance folded so far).
fn given_event(line: &Line, state: &account::AccountState, i: usize) -> Result<Event, String> {
    let what = format!("Given {}", i + 1);
    let (account_id, transaction_id) = (id(), format!("spec-given-{}", i + 1));
    Ok(match line.name.as_str() {
        "AccountOpened" => Event::AccountOpened(AccountOpened {
            account_id,
            owner_name: "Spec".to_owned(),
            initial_balance: amount(line, &what)?,
        }),
        "MoneyDeposited" => Event::MoneyDeposited(MoneyDeposited {
            account_id,
            amount: amount(line, &what)?,
            transaction_id,
            description: String::new(),
            transfer_id: None,
        }),
        "MoneyWithdrawn" => Event::MoneyWithdrawn(MoneyWithdrawn {
            account_id,
            amount: amount(line, &what)?,
            transaction_id,
            description: String::new(),
            transfer_id: None,
        }),
        "AccountSuspended" => Event::AccountSuspended(AccountSuspended {
            account_id,
            reason: "spec".to_owned(),
        }),
        "AccountReactivated" => Event::AccountReactivated(AccountReactivated { account_id }),
        "AccountClosed" => Event::AccountClosed(AccountClosed {
            account_id,
            final_balance: state.holdings().map_or(Money::ZERO, |h| h.balance),
        }),
        _ => return Err(format!("{what}: choose an event.")),
    })
}

fn command(line: &Line) -> Result<AccountCommand, String> {
    let account_id = id();
    Ok(match line.name.as_str() {
        "DepositMoney" => AccountCommand::DepositMoney(DepositMoney {
            account_id,
            amount: amount(line, "When")?,
            description: String::new(),
            transfer_id: None,
        }),
        "WithdrawMoney" => AccountCommand::WithdrawMoney(WithdrawMoney {
            account_id,
            amount: amount(line, "When")?,
            description: String::new(),
            transfer_id: None,
        }),
        "SuspendAccount" => AccountCommand::SuspendAccount(SuspendAccount {
            account_id,
            reason: "spec".to_owned(),
        }),
        "ReactivateAccount" => AccountCommand::ReactivateAccount(ReactivateAccount { account_id }),
        "CloseAccount" => AccountCommand::CloseAccount(CloseAccount { account_id }),
        _ => return Err("When: choose a command.".to_owned()),
    })
}

fn refusal_key(e: &AccountError) -> &'static str {
    match e {
        AccountError::InsufficientBalance { .. } => "InsufficientBalance",
        AccountError::NotActive { .. } => "NotActive",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, amount: &str) -> Line {
        Line {
            name: name.into(),
            amount: amount.into(),
        }
    }

    #[test]
    fn an_overdraft_spec_passes_when_it_expects_the_refusal_and_fails_otherwise() {
        let given = [
            line("AccountOpened", "10.00"),
            line("MoneyWithdrawn", "4.00"),
        ];
        let when = line("WithdrawMoney", "7.00");
        let v = run(&given, &when, "InsufficientBalance").unwrap();
        assert!(v.passed);
        assert_eq!(v.actual, "refused: insufficient balance: 6.00 < 7.00");
        let v = run(&given, &when, "MoneyWithdrawn").unwrap();
        assert!(!v.passed);
        assert_eq!(v.expected, "MoneyWithdrawn is written");
        assert!(
            run(&given, &line("WithdrawMoney", "6.00"), "MoneyWithdrawn")
                .unwrap()
                .passed
        );
    }

    #[test]
    fn a_suspended_account_refuses_a_deposit_until_it_is_reactivated() {
        let mut given = vec![line("AccountOpened", "0.00"), line("AccountSuspended", "")];
        let when = line("DepositMoney", "5.00");
        assert!(run(&given, &when, "NotActive").unwrap().passed);
        given.push(line("AccountReactivated", ""));
        let v = run(&given, &when, "MoneyDeposited").unwrap();
        assert!(v.passed, "{v:?}");
        assert_eq!(v.actual, "MoneyDeposited is written");
    }

    #[test]
    fn other_rules_and_an_unopened_account_are_refusals_of_their_own() {
        let given = [line("AccountOpened", "3.00")];
        let v = run(&given, &line("CloseAccount", ""), "other").unwrap();
        assert!(v.passed);
        assert_eq!(
            v.actual,
            "refused: cannot close account with non-zero balance: 3.00"
        );
        let v = run(&[], &line("DepositMoney", "1.00"), "MoneyDeposited").unwrap();
        assert!(!v.passed);
        assert_eq!(v.actual, "refused: account spec not found");
    }

    #[test]
    fn a_line_that_cannot_be_read_says_which_and_why() {
        let err = run(
            &[line("AccountOpened", "ten")],
            &line("CloseAccount", ""),
            "other",
        );
        assert!(err.unwrap_err().starts_with("Given 1: the amount"));
        let err = run(&[], &line("", ""), "other").unwrap_err();
        assert_eq!(err, "When: choose a command.");
        let err = run(&[], &line("CloseAccount", ""), "").unwrap_err();
        assert!(err.starts_with("Choose what you expect"));
        assert!(needs_amount("WithdrawMoney") && !needs_amount("CloseAccount"));
    }
}
