//! Scenario files: a JSON array of the seed's commands, run in order on a fresh bank.
//!
//! ```json
//! [{"type": "OpenAccount", "account_id": "alice-123", "owner_name": "Alice", "initial_balance": "1000.00"},
//!  {"type": "TransferMoney", "transfer_id": "t1", "from_account_id": "alice-123",
//!   "to_account_id": "bob-456", "amount": "250.00", "description": "rent"}]
//! ```
//!
//! A file is *malformed* when it is not a JSON array of objects, names an unknown
//! command, misses a required field, has an unknown field, or gives a field as
//! anything but a string. A well-formed command whose values are bad (an amount of
//! "0.001", a blank id) is *rejected* when run, like any other rejected command.

use serde_json::Value;
use thiserror::Error;

use super::bank::{Bank, BankError, Executed};
use crate::domain::account::{
    CloseAccount, DepositMoney, OpenAccount, ReactivateAccount, SuspendAccount, WithdrawMoney,
};
use crate::domain::{AccountId, BankCommand, Money, TransferId, TransferMoney, TransferState};
use crate::store::EventStore;

/// Why a scenario file cannot be run at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScenarioError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("a scenario is a JSON array of commands; this file holds {0}")]
    NotAnArray(&'static str),
    #[error("command #{index}: {reason}")]
    Element { index: usize, reason: String },
}

/// One command's fields: (type, required, optional). `transfer_id` on deposits and
/// withdrawals is the saga's own, so files cannot set it.
const COMMANDS: [(&str, &[&str], &[&str]); 7] = [
    (
        "OpenAccount",
        &["account_id", "owner_name", "initial_balance"],
        &[],
    ),
    ("DepositMoney", &["account_id", "amount"], &["description"]),
    ("WithdrawMoney", &["account_id", "amount"], &["description"]),
    (
        "TransferMoney",
        &["transfer_id", "from_account_id", "to_account_id", "amount"],
        &["description"],
    ),
    ("SuspendAccount", &["account_id"], &["reason"]),
    ("ReactivateAccount", &["account_id"], &[]),
    ("CloseAccount", &["account_id"], &[]),
];

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A well-formed command: either ready to run, or already known to be rejected
/// because a value in it is bad.
pub type Parsed = Result<BankCommand, String>;

/// Reads a scenario file. Element numbers in errors are 1-based.
pub fn parse(json: &str) -> Result<Vec<Parsed>, ScenarioError> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| ScenarioError::Json(e.to_string()))?;
    let Value::Array(items) = value else {
        return Err(ScenarioError::NotAnArray(kind(&value)));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let index = i + 1;
            let element = |reason: String| ScenarioError::Element { index, reason };
            let Value::Object(fields) = &item else {
                return Err(element(format!(
                    "expected an object, found {}",
                    kind(&item)
                )));
            };
            let Some(name) = fields.get("type").and_then(Value::as_str) else {
                return Err(element("has no \"type\" naming the command".into()));
            };
            let Some((_, required, optional)) = COMMANDS.iter().find(|(n, _, _)| *n == name) else {
                let known: Vec<&str> = COMMANDS.iter().map(|(n, _, _)| *n).collect();
                return Err(element(format!(
                    "unknown command \"{name}\" (known: {})",
                    known.join(", ")
                )));
            };
            for field in *required {
                if !fields.contains_key(*field) {
                    return Err(element(format!("{name} is missing the field \"{field}\"")));
                }
            }
            for (key, value) in fields {
                if key == "type" {
                    continue;
                }
                if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
                    return Err(element(format!("{name} has no field \"{key}\"")));
                }
                if !value.is_string() {
                    return Err(element(format!(
                        "{name}.{key} must be a string (amounts too, like \"12.50\"), found {}",
                        kind(value)
                    )));
                }
            }
            Ok(command(name, fields))
        })
        .collect()
}

/// Builds a well-formed command (known type, its fields present, every value a
/// string) by hand rather than through serde's derive (a smaller download): values are
/// read in the order of their names, as serde reads the file's (sorted) object, so the
/// first bad value gives the same message.
fn command(name: &str, fields: &serde_json::Map<String, Value>) -> Parsed {
    let text = |key: &str| fields.get(key).and_then(Value::as_str).unwrap_or_default();
    let owned = |key: &str| text(key).to_owned();
    let account = |key: &str| AccountId::parse(text(key)).map_err(|e| e.to_string());
    let money = |key: &str| Money::parse(text(key)).map_err(|e| e.to_string());
    Ok(match name {
        "OpenAccount" => BankCommand::OpenAccount(OpenAccount {
            account_id: account("account_id")?,
            initial_balance: money("initial_balance")?,
            owner_name: owned("owner_name"),
        }),
        "DepositMoney" => BankCommand::DepositMoney(DepositMoney {
            account_id: account("account_id")?,
            amount: money("amount")?,
            description: owned("description"),
            transfer_id: None,
        }),
        "WithdrawMoney" => BankCommand::WithdrawMoney(WithdrawMoney {
            account_id: account("account_id")?,
            amount: money("amount")?,
            description: owned("description"),
            transfer_id: None,
        }),
        "TransferMoney" => BankCommand::TransferMoney(TransferMoney {
            amount: money("amount")?,
            description: owned("description"),
            from_account_id: account("from_account_id")?,
            to_account_id: account("to_account_id")?,
            transfer_id: TransferId::parse(text("transfer_id")).map_err(|e| e.to_string())?,
        }),
        "SuspendAccount" => BankCommand::SuspendAccount(SuspendAccount {
            account_id: account("account_id")?,
            reason: owned("reason"),
        }),
        "ReactivateAccount" => BankCommand::ReactivateAccount(ReactivateAccount {
            account_id: account("account_id")?,
        }),
        // "CloseAccount", the last name `parse` lets through.
        _ => BankCommand::CloseAccount(CloseAccount {
            account_id: account("account_id")?,
        }),
    })
}

/// How one command of a scenario went.
#[must_use]
pub fn report(result: &Result<Executed, BankError>) -> String {
    match result {
        Ok(Executed {
            transfer: Some(state),
            ..
        }) => match state {
            TransferState::Completed(_) => "ok: transfer completed".to_owned(),
            TransferState::Failed { reason, .. } => format!("ok: transfer failed: {reason}"),
            TransferState::CompensationFailed { reason, .. } => {
                format!("ok: transfer NEEDS ATTENTION: {reason}")
            }
            other => format!("ok: transfer {}", other.label()),
        },
        Ok(_) => "ok".to_owned(),
        Err(e) => format!("rejected: {e}"),
    }
}

/// Runs parsed commands in order, each saga to its end, and returns one report line
/// per command (see [`report`]).
pub async fn run<S: EventStore>(bank: &Bank<S>, commands: Vec<Parsed>) -> Vec<String> {
    let mut lines = Vec::with_capacity(commands.len());
    for command in commands {
        let line = match command {
            Ok(command) => report(&bank.execute(command).await),
            Err(reason) => format!("rejected: {reason}"),
        };
        lines.push(line);
    }
    lines
}
