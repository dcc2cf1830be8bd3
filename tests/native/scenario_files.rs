//! Scenario files: what makes one malformed (an error naming the element), what makes
//! a command in it rejected when run, and the files shipped under `scenarios/`.

use futures::executor::block_on;
use pretty_assertions::assert_eq;
use sagabank::app::scenario::{parse, run, ScenarioError};
use sagabank::domain::BankCommand;

use crate::support::*;

const OPEN_A: &str = r#"{"type": "OpenAccount", "account_id": "a", "owner_name": "Ann", "initial_balance": "10.00"}"#;

/// A file whose element `n` (1-based) is `bad`, the others fine.
fn file_with(bad: &str, n: usize) -> String {
    let mut items = [OPEN_A; 3];
    items[n - 1] = bad;
    format!("[{}]", items.join(",\n"))
}

#[track_caller]
fn element_error(json: &str) -> (usize, String) {
    match parse(json) {
        Err(ScenarioError::Element { index, reason }) => (index, reason),
        other => panic!("expected an element error, got {other:?}"),
    }
}

#[test]
fn a_file_that_is_not_json_is_malformed() {
    for json in ["", "[", "{\"type\": }", "[{\"type\": \"OpenAccount\",}]"] {
        let error = parse(json).expect_err(json);
        assert!(
            matches!(error, ScenarioError::Json(_)),
            "{json:?}: {error:?}"
        );
        assert!(error.to_string().starts_with("not valid JSON"), "{error}");
    }
}

#[test]
fn a_file_that_is_not_an_array_is_malformed() {
    assert_eq!(parse(OPEN_A), Err(ScenarioError::NotAnArray("an object")));
    assert_eq!(
        parse("\"hello\""),
        Err(ScenarioError::NotAnArray("a string"))
    );
    assert_eq!(parse("42"), Err(ScenarioError::NotAnArray("a number")));
    assert!(parse("null")
        .unwrap_err()
        .to_string()
        .contains("JSON array"));
}

#[test]
fn an_empty_array_is_an_empty_scenario() {
    assert_eq!(parse("[]"), Ok(vec![]));
}

#[test]
fn an_element_that_is_not_an_object_is_named() {
    let (index, reason) = element_error(&file_with("[1, 2]", 2));
    assert_eq!(index, 2);
    assert!(
        reason.contains("expected an object, found an array"),
        "{reason}"
    );
}

#[test]
fn an_unknown_command_is_named_with_its_element_number() {
    let json = file_with(r#"{"type": "StealMoney", "account_id": "a"}"#, 3);
    let error = parse(&json).unwrap_err();
    assert_eq!(
        error.to_string().split(':').next(),
        Some("command #3"),
        "{error}"
    );
    let (index, reason) = element_error(&json);
    assert_eq!(index, 3);
    assert!(
        reason.contains("unknown command \"StealMoney\""),
        "{reason}"
    );
    assert!(
        reason.contains("TransferMoney"),
        "lists the known ones: {reason}"
    );
}

#[test]
fn an_element_without_a_type_is_named() {
    let (index, reason) = element_error(&file_with(r#"{"account_id": "a"}"#, 1));
    assert_eq!(index, 1);
    assert!(reason.contains("\"type\""), "{reason}");
}

#[test]
fn a_missing_field_is_named_with_its_element_number() {
    let json = file_with(r#"{"type": "DepositMoney", "account_id": "a"}"#, 2);
    let (index, reason) = element_error(&json);
    assert_eq!(index, 2);
    assert!(
        reason.contains("DepositMoney is missing the field \"amount\""),
        "{reason}"
    );
}

#[test]
fn an_unknown_field_is_named_with_its_element_number() {
    let json = file_with(
        r#"{"type": "DepositMoney", "account_id": "a", "amount": "1.00", "amnt": "2"}"#,
        3,
    );
    let (index, reason) = element_error(&json);
    assert_eq!(index, 3);
    assert!(reason.contains("no field \"amnt\""), "{reason}");
    // transfer_id on a deposit is the saga's own: a file may not set it.
    let json = file_with(
        r#"{"type": "DepositMoney", "account_id": "a", "amount": "1.00", "transfer_id": "t1"}"#,
        2,
    );
    let (index, reason) = element_error(&json);
    assert_eq!(index, 2);
    assert!(reason.contains("no field \"transfer_id\""), "{reason}");
}

#[test]
fn an_amount_given_as_a_number_is_malformed() {
    let json = file_with(
        r#"{"type": "DepositMoney", "account_id": "a", "amount": 12.5}"#,
        2,
    );
    let (index, reason) = element_error(&json);
    assert_eq!(index, 2);
    assert!(
        reason.contains("DepositMoney.amount must be a string"),
        "{reason}"
    );
    assert!(reason.contains("found a number"), "{reason}");
}

#[test]
fn well_formed_commands_are_parsed_in_order() {
    let json = r#"[
        {"type": "OpenAccount", "account_id": "a", "owner_name": "Ann", "initial_balance": "10"},
        {"type": "SuspendAccount", "account_id": "a"},
        {"type": "TransferMoney", "transfer_id": "t1", "from_account_id": "a",
         "to_account_id": "b", "amount": "2.50"}
    ]"#;
    let parsed = parse(json).unwrap();
    let names: Vec<&str> = parsed
        .iter()
        .map(|p| p.as_ref().map(BankCommand::name).unwrap())
        .collect();
    assert_eq!(names, ["OpenAccount", "SuspendAccount", "TransferMoney"]);
    assert_eq!(
        parsed[2],
        Ok(BankCommand::TransferMoney(transfer(
            "t1", "a", "b", "2.50", ""
        )))
    );
}

#[test]
fn bad_values_are_rejected_when_run_not_when_parsed() {
    let json = r#"[
        {"type": "OpenAccount", "account_id": "a", "owner_name": "Ann", "initial_balance": "10.00"},
        {"type": "DepositMoney", "account_id": "a", "amount": "0.001"},
        {"type": "DepositMoney", "account_id": "  ", "amount": "1.00"},
        {"type": "OpenAccount", "account_id": "b", "owner_name": " ", "initial_balance": "1.00"},
        {"type": "WithdrawMoney", "account_id": "a", "amount": "NaN"},
        {"type": "WithdrawMoney", "account_id": "a", "amount": "3.00"}
    ]"#;
    let parsed = parse(json).expect("well-formed");
    assert_eq!(parsed.len(), 6);
    assert!(parsed[0].is_ok());
    let amount = parsed[1].clone().unwrap_err();
    assert!(amount.contains("more than 2 decimal places"), "{amount}");
    let id = parsed[2].clone().unwrap_err();
    assert!(id.contains("account id is empty"), "{id}");
    assert!(
        parsed[3].is_ok(),
        "a blank owner is the account's rule to reject"
    );
    assert!(parsed[4].is_err());

    let bank = new_bank();
    let lines = block_on(run(&bank, parsed));
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0], "ok");
    assert!(
        lines[1].starts_with("rejected: ") && lines[1].contains("0.001"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("rejected: ") && lines[2].contains("account id is empty"));
    assert_eq!(lines[3], "rejected: owner name cannot be empty");
    assert!(lines[4].starts_with("rejected: "), "{}", lines[4]);
    assert_eq!(lines[5], "ok");
    assert_eq!(
        events_of(bank.store(), "account-a"),
        ["AccountOpened", "MoneyWithdrawn"],
        "rejected commands wrote nothing"
    );
    assert!(!stream_exists(bank.store(), "account-b"));
    assert_eq!(balance(&bank, "a"), "7.00");
}

#[test]
fn the_seed_demo_file_ends_with_alice_and_bob_at_750() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/seed-demo.json");
    let json = std::fs::read_to_string(&path).expect("scenarios/seed-demo.json exists");
    let parsed = parse(&json).expect("the seed demo is well-formed");
    let bank = new_bank();
    let lines = block_on(run(&bank, parsed));
    assert_eq!(
        lines,
        [
            "ok",
            "ok",
            "ok: transfer completed",
            "ok: transfer failed: debit of bob-456 rejected: insufficient balance: 750.00 < 10000.00",
        ]
    );
    assert_eq!(balance(&bank, "alice-123"), "750.00");
    assert_eq!(balance(&bank, "bob-456"), "750.00");
}

#[test]
fn every_shipped_scenario_file_parses_and_runs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "at least the seed demo ships");
    for file in files {
        let name = file.display().to_string();
        let json = std::fs::read_to_string(&file).expect("readable");
        let parsed = parse(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let count = parsed.len();
        let bank = new_bank();
        let lines = block_on(run(&bank, parsed));
        assert_eq!(lines.len(), count, "{name}: one report line per command");
        for line in &lines {
            assert!(
                line.starts_with("ok") || line.starts_with("rejected: "),
                "{name}: {line}"
            );
        }
        bank.read(|m| {
            assert!(
                m.unfinished_transfers().is_empty(),
                "{name}: every saga ran to its end"
            );
            assert!(
                m.accounts.values().all(|a| !a.balance.is_negative()),
                "{name}: no negative balance"
            );
        });
        assert_models_match_log(&bank);
    }
}

mod the_scenario_bar {
    //! The page's one-click scenarios, prepared on a fresh bank as the page does.
    use futures::executor::block_on;
    use sagabank::app::scenario_catalog::{find, prepare, SCENARIOS};

    use crate::support::*;

    #[test]
    fn every_scenario_prepares_on_a_fresh_bank_and_names_the_transfer_to_show() {
        for scenario in &SCENARIOS {
            let bank = new_bank();
            let shown = block_on(prepare(&bank, scenario)).expect(scenario.key);
            let transfers = bank.read(|m| m.transfers.len());
            assert!(
                transfers == 0 || shown.is_some(),
                "{}: {transfers} transfers but none to show",
                scenario.key
            );
            if let Some(id) = &shown {
                assert!(
                    bank.read(|m| m.transfers.contains_key(id)),
                    "{}: {id} is not a transfer of the bank",
                    scenario.key
                );
            }
        }
    }

    #[test]
    fn a_teaching_transfer_waits_for_its_first_step() {
        let scenario = find("compensation").expect("the compensation scenario");
        let bank = new_bank();
        let shown = block_on(prepare(&bank, scenario))
            .expect("it prepares")
            .expect("a transfer to show");
        let status = bank.read(|m| m.transfers[&shown].state.label());
        assert_eq!(status, "initiated", "nothing ran past the first event");
        assert!(
            find("no-such-scenario").is_none(),
            "an unknown key finds nothing"
        );
    }
}

/// `parse` builds each command by hand, not through serde's derive: every well-formed
/// command reads as the derive reads it, good values or bad (the first bad value, in
/// the order of the field names, gives the same message). Compared with what `parse`
/// did before: serde's derive over the parsed object.
#[test]
fn commands_read_as_serde_reads_them() {
    let cases = [
        OPEN_A,
        r#"{"type": "OpenAccount", "account_id": " ", "owner_name": "", "initial_balance": "-1"}"#,
        r#"{"type": "OpenAccount", "account_id": "a", "owner_name": "", "initial_balance": "0.001"}"#,
        r#"{"type": "DepositMoney", "account_id": "a", "amount": "5.00"}"#,
        r#"{"type": "DepositMoney", "account_id": "a", "amount": "1e400", "description": "x"}"#,
        r#"{"type": "DepositMoney", "account_id": "", "amount": "abc"}"#,
        r#"{"type": "WithdrawMoney", "account_id": "a", "amount": "2.50", "description": "rent"}"#,
        r#"{"type": "WithdrawMoney", "account_id": "a b", "amount": "2.50"}"#,
        r#"{"type": "TransferMoney", "transfer_id": "t1", "from_account_id": "a", "to_account_id": "b", "amount": "1.00"}"#,
        r#"{"type": "TransferMoney", "transfer_id": "", "from_account_id": "", "to_account_id": "", "amount": "x", "description": "d"}"#,
        r#"{"type": "TransferMoney", "transfer_id": "", "from_account_id": "a", "to_account_id": "", "amount": "1"}"#,
        r#"{"type": "SuspendAccount", "account_id": "a"}"#,
        r#"{"type": "SuspendAccount", "account_id": "a", "reason": "audit"}"#,
        r#"{"type": "ReactivateAccount", "account_id": ""}"#,
        r#"{"type": "CloseAccount", "account_id": "a"}"#,
        r#"{"type": "CloseAccount", "account_id": "é"}"#,
    ];
    for case in cases {
        let by_hand = parse(&format!("[{case}]")).expect("well-formed").remove(0);
        // As `parse` used to: the derive over the parsed object, whose keys are sorted.
        let value: serde_json::Value = serde_json::from_str(case).unwrap();
        let by_serde = serde_json::from_value::<BankCommand>(value).map_err(|e| e.to_string());
        assert_eq!(by_hand, by_serde, "{case}");
    }
}
