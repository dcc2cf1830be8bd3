//! Scenarios 1-16: the account's rules, first on the pure decider (given / when /
//! then), then through the bank to show what is (and is not) written.

use pretty_assertions::assert_eq;
use sagabank::domain::account::AccountState;
use sagabank::domain::{AccountError, AccountStatus, BankCommand, Money, MoneyError};

use crate::support::accounts::given;
use crate::support::*;

// 1 -------------------------------------------------------------------------------

#[test]
fn opening_an_account_records_its_owner_and_initial_balance() {
    let state = given([])
        .when(open("alice", "Alice", "100.00"))
        .then([opened("alice", "Alice", "100.00")]);
    assert_eq!(state.balance(), money("100.00"));
    assert_eq!(state.status(), Some(AccountStatus::Active));

    let bank = new_bank();
    let done = ok(&bank, open("alice", "Alice", "100.00"));
    assert_eq!(types(&done), ["AccountOpened"]);
    assert_eq!(
        stream_events(bank.store(), "account-alice"),
        [opened("alice", "Alice", "100.00")]
    );
    assert_eq!(balance(&bank, "alice"), "100.00");
    assert_eq!(status(&bank, "alice"), AccountStatus::Active);
    assert_eq!(version(&bank, "alice"), 1);
}

#[test]
fn an_account_may_be_opened_with_a_zero_balance() {
    given([])
        .when(open("zoe", "Zoe", "0"))
        .then([opened("zoe", "Zoe", "0.00")]);
    let bank = bank_with(&[("zoe", "Zoe", "0.00")]);
    assert_eq!(balance(&bank, "zoe"), "0.00");
    assert_eq!(status(&bank, "zoe"), AccountStatus::Active);
}

#[test]
fn the_owner_name_is_stored_trimmed() {
    given([])
        .when(open("alice", "  Alice  ", "1.00"))
        .then([opened("alice", "Alice", "1.00")]);
}

// 2 -------------------------------------------------------------------------------

#[test]
fn a_negative_initial_balance_is_rejected_and_no_stream_is_created() {
    let message = given([]).when(open("alice", "Alice", "-0.01")).then_err(
        AccountError::NegativeInitialBalance {
            initial_balance: money("-0.01"),
        },
    );
    assert!(
        message.contains("initial balance cannot be negative"),
        "{message}"
    );

    let bank = new_bank();
    let error = rejected(&bank, open("alice", "Alice", "-5.00"));
    assert!(
        error
            .to_string()
            .contains("initial balance cannot be negative"),
        "{error}"
    );
    assert!(!stream_exists(bank.store(), "account-alice"));
    assert!(bank.store().is_empty());
}

// 3 -------------------------------------------------------------------------------

#[test]
fn a_deposit_adds_to_the_balance() {
    let state = given([opened("alice", "Alice", "100.00")])
        .when(deposit("alice", "50.00", "salary"))
        .then([deposited("alice", "50.00", "salary")]);
    assert_eq!(state.balance(), money("150.00"));

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    let done = ok(&bank, deposit("alice", "50.00", "salary"));
    assert_eq!(types(&done), ["MoneyDeposited"]);
    let sagabank::domain::Event::MoneyDeposited(e) = &done.events[0].event else {
        panic!("not a deposit");
    };
    assert_eq!(e.amount, money("50.00"));
    assert_eq!(e.description, "salary");
    assert_eq!(e.transfer_id, None);
    assert!(
        !e.transaction_id.is_empty(),
        "a deposit has a transaction id"
    );
    assert_eq!(balance(&bank, "alice"), "150.00");
    assert_eq!(version(&bank, "alice"), 2);
}

#[test]
fn every_movement_gets_its_own_transaction_id() {
    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    ok(&bank, deposit("alice", "1.00", ""));
    ok(&bank, deposit("alice", "1.00", ""));
    ok(&bank, withdraw("alice", "1.00", ""));
    let ids: Vec<String> = stream_events(bank.store(), "account-alice")
        .into_iter()
        .filter_map(|e| match e {
            sagabank::domain::Event::MoneyDeposited(d) => Some(d.transaction_id),
            sagabank::domain::Event::MoneyWithdrawn(w) => Some(w.transaction_id),
            _ => None,
        })
        .collect();
    assert_eq!(ids.len(), 3);
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 3, "transaction ids {ids:?} are unique");
}

// 4 -------------------------------------------------------------------------------

#[test]
fn a_deposit_of_zero_or_less_is_rejected() {
    for amount in ["0.00", "-5.00"] {
        let message = given([opened("alice", "Alice", "100.00")])
            .when(deposit("alice", amount, ""))
            .then_err(AccountError::DepositNotPositive {
                amount: money(amount),
            });
        assert_eq!(message, "deposit amount must be positive");
    }
    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    let error = rejected(&bank, deposit("alice", "0", ""));
    assert_eq!(error.to_string(), "deposit amount must be positive");
    assert_eq!(balance(&bank, "alice"), "100.00");
}

#[test]
fn a_withdrawal_of_zero_or_less_is_rejected() {
    for amount in ["0.00", "-5.00"] {
        let message = given([opened("alice", "Alice", "100.00")])
            .when(withdraw("alice", amount, ""))
            .then_err(AccountError::WithdrawalNotPositive {
                amount: money(amount),
            });
        assert_eq!(message, "withdrawal amount must be positive");
    }
}

// 5 -------------------------------------------------------------------------------

#[test]
fn deposits_and_withdrawals_on_a_suspended_account_are_rejected() {
    let history = || {
        [
            opened("alice", "Alice", "100.00"),
            suspended("alice", "fraud check"),
        ]
    };
    let not_active = AccountError::NotActive {
        status: AccountStatus::Suspended,
    };
    let message = given(history())
        .when(deposit("alice", "1.00", ""))
        .then_err(not_active.clone());
    assert_eq!(message, "account is suspended, not active");
    given(history())
        .when(withdraw("alice", "1.00", ""))
        .then_err(not_active);

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    ok(&bank, suspend("alice", "fraud check"));
    let error = rejected(&bank, withdraw("alice", "1.00", ""));
    assert_eq!(error.to_string(), "account is suspended, not active");
}

#[test]
fn deposits_and_withdrawals_on_a_closed_account_are_rejected() {
    let history = || [opened("alice", "Alice", "0.00"), closed("alice", "0.00")];
    let not_active = AccountError::NotActive {
        status: AccountStatus::Closed,
    };
    let message = given(history())
        .when(deposit("alice", "1.00", ""))
        .then_err(not_active.clone());
    assert_eq!(message, "account is closed, not active");
    given(history())
        .when(withdraw("alice", "1.00", ""))
        .then_err(not_active);
}

#[test]
fn the_status_is_checked_before_the_amount() {
    let history = || [opened("alice", "Alice", "100.00"), suspended("alice", "")];
    let not_active = AccountError::NotActive {
        status: AccountStatus::Suspended,
    };
    given(history())
        .when(deposit("alice", "-5.00", ""))
        .then_err(not_active.clone());
    given(history())
        .when(withdraw("alice", "0.00", ""))
        .then_err(not_active.clone());
    // Status before balance too: an overdraft on a suspended account is "not active".
    given(history())
        .when(withdraw("alice", "500.00", ""))
        .then_err(not_active);
}

// 6 -------------------------------------------------------------------------------

#[test]
fn any_command_on_an_unknown_account_is_rejected_and_creates_no_stream() {
    let not_found = AccountError::NotFound {
        account_id: acct("zed"),
    };
    let commands = [
        deposit("zed", "1.00", ""),
        withdraw("zed", "1.00", ""),
        suspend("zed", "why"),
        reactivate("zed"),
        close("zed"),
    ];
    for command in commands.clone() {
        let message = given([]).when(command).then_err(not_found.clone());
        assert_eq!(message, "account zed not found");
    }

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    for command in commands {
        let error = rejected(&bank, command);
        assert_eq!(error.to_string(), "account zed not found");
    }
    assert!(!stream_exists(bank.store(), "account-zed"));
    assert_eq!(bank.store().len(), 1);
    assert!(bank.read(|m| !m.accounts.contains_key(&acct("zed"))));
}

// 7 -------------------------------------------------------------------------------

#[test]
fn a_withdrawal_takes_from_the_balance() {
    let state = given([opened("alice", "Alice", "100.00")])
        .when(withdraw("alice", "30.00", "cash"))
        .then([withdrawn("alice", "30.00", "cash")]);
    assert_eq!(state.balance(), money("70.00"));

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    let done = ok(&bank, withdraw("alice", "30.00", "cash"));
    assert_eq!(types(&done), ["MoneyWithdrawn"]);
    assert_eq!(balance(&bank, "alice"), "70.00");
}

// 8 -------------------------------------------------------------------------------

#[test]
fn withdrawing_exactly_the_balance_leaves_zero() {
    let state = given([opened("alice", "Alice", "100.00")])
        .when(withdraw("alice", "100.00", ""))
        .then([withdrawn("alice", "100.00", "")]);
    assert_eq!(state.balance(), Money::ZERO);

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    ok(&bank, withdraw("alice", "100", ""));
    assert_eq!(balance(&bank, "alice"), "0.00");
}

// 9 -------------------------------------------------------------------------------

#[test]
fn a_withdrawal_larger_than_the_balance_is_rejected() {
    let message = given([opened("alice", "Alice", "100.00")])
        .when(withdraw("alice", "100.01", ""))
        .then_err(AccountError::InsufficientBalance {
            balance: money("100.00"),
            requested: money("100.01"),
        });
    assert_eq!(message, "insufficient balance: 100.00 < 100.01");

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    let error = rejected(&bank, withdraw("alice", "100.01", ""));
    assert_eq!(error.to_string(), "insufficient balance: 100.00 < 100.01");
    assert_eq!(balance(&bank, "alice"), "100.00");
    assert_eq!(version(&bank, "alice"), 1);
}

// 10 ------------------------------------------------------------------------------

#[test]
fn an_active_account_can_be_suspended_once() {
    let state = given([opened("alice", "Alice", "100.00")])
        .when(suspend("alice", " fraud check "))
        .then([suspended("alice", "fraud check")]);
    assert_eq!(state.status(), Some(AccountStatus::Suspended));
    assert_eq!(
        state.balance(),
        money("100.00"),
        "suspension keeps the money"
    );

    let message = given([opened("alice", "Alice", "100.00"), suspended("alice", "x")])
        .when(suspend("alice", "again"))
        .then_err(AccountError::NotActive {
            status: AccountStatus::Suspended,
        });
    assert_eq!(message, "account is suspended, not active");

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    ok(&bank, suspend("alice", "fraud check"));
    assert_eq!(status(&bank, "alice"), AccountStatus::Suspended);
    rejected(&bank, suspend("alice", "again"));
    assert_eq!(
        events_of(bank.store(), "account-alice"),
        ["AccountOpened", "AccountSuspended"]
    );
}

// 11 ------------------------------------------------------------------------------

#[test]
fn a_suspended_account_can_be_reactivated() {
    let state = given([opened("alice", "Alice", "100.00"), suspended("alice", "x")])
        .when(reactivate("alice"))
        .then([reactivated("alice")]);
    assert_eq!(state.status(), Some(AccountStatus::Active));
    assert_eq!(state.balance(), money("100.00"));

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    ok(&bank, suspend("alice", "x"));
    ok(&bank, reactivate("alice"));
    assert_eq!(status(&bank, "alice"), AccountStatus::Active);
    ok(&bank, deposit("alice", "1.00", "works again"));
    assert_eq!(balance(&bank, "alice"), "101.00");
}

#[test]
fn reactivating_an_active_or_closed_account_is_rejected() {
    let message = given([opened("alice", "Alice", "100.00")])
        .when(reactivate("alice"))
        .then_err(AccountError::NotSuspended {
            status: AccountStatus::Active,
        });
    assert_eq!(message, "account is active, not suspended");
    given([opened("alice", "Alice", "0.00"), closed("alice", "0.00")])
        .when(reactivate("alice"))
        .then_err(AccountError::NotSuspended {
            status: AccountStatus::Closed,
        });

    let bank = bank_with(&[("alice", "Alice", "0.00")]);
    rejected(&bank, reactivate("alice"));
    ok(&bank, close("alice"));
    rejected(&bank, reactivate("alice"));
    assert_eq!(status(&bank, "alice"), AccountStatus::Closed);
}

// 12 ------------------------------------------------------------------------------

#[test]
fn an_active_account_at_zero_can_be_closed_for_good() {
    let state = given([
        opened("alice", "Alice", "10.00"),
        withdrawn("alice", "10.00", ""),
    ])
    .when(close("alice"))
    .then([closed("alice", "0.00")]);
    assert_eq!(state.status(), Some(AccountStatus::Closed));
    assert!(state.is_terminal());

    let bank = bank_with(&[("alice", "Alice", "0.00")]);
    ok(&bank, close("alice"));
    assert_eq!(status(&bank, "alice"), AccountStatus::Closed);
    // Terminal: nothing changes a closed account any more.
    for command in [
        deposit("alice", "1.00", ""),
        withdraw("alice", "1.00", ""),
        suspend("alice", ""),
        reactivate("alice"),
        close("alice"),
        open("alice", "Alice", "5.00"),
    ] {
        rejected(&bank, command);
    }
    assert_eq!(
        events_of(bank.store(), "account-alice"),
        ["AccountOpened", "AccountClosed"]
    );
}

#[test]
fn an_account_with_money_left_cannot_be_closed() {
    let message = given([opened("alice", "Alice", "1.00")])
        .when(close("alice"))
        .then_err(AccountError::NonZeroBalance {
            balance: money("1.00"),
        });
    assert_eq!(message, "cannot close account with non-zero balance: 1.00");

    let bank = bank_with(&[("alice", "Alice", "1.00")]);
    let error = rejected(&bank, close("alice"));
    assert_eq!(
        error.to_string(),
        "cannot close account with non-zero balance: 1.00"
    );
}

#[test]
fn a_suspended_account_cannot_be_closed() {
    given([opened("alice", "Alice", "0.00"), suspended("alice", "")])
        .when(close("alice"))
        .then_err(AccountError::NotActive {
            status: AccountStatus::Suspended,
        });
}

// 13 ------------------------------------------------------------------------------

#[test]
fn the_balance_is_rebuilt_from_the_events_every_time() {
    let history = || {
        [
            opened("alice", "Alice", "100.00"),
            deposited("alice", "50.00", ""),
            withdrawn("alice", "30.00", ""),
            suspended("alice", "check"),
            reactivated("alice"),
        ]
    };
    let once = given(history()).state().clone();
    let twice = given(history()).state().clone();
    assert_eq!(once, twice);
    assert_eq!(once.balance(), money("120.00"));
    assert_eq!(once.status(), Some(AccountStatus::Active));

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    ok(&bank, deposit("alice", "50.00", ""));
    ok(&bank, withdraw("alice", "30.00", ""));
    ok(&bank, suspend("alice", "check"));
    ok(&bank, reactivate("alice"));
    for reloaded in [bank_on(bank.store(), "r1"), bank_on(bank.store(), "r2")] {
        assert_eq!(balance(&reloaded, "alice"), "120.00");
        assert_eq!(status(&reloaded, "alice"), AccountStatus::Active);
        assert_eq!(version(&reloaded, "alice"), 5);
        assert_eq!(reloaded.models(), bank.models());
    }
}

// 14 ------------------------------------------------------------------------------

#[test]
fn opening_an_existing_account_is_rejected_and_changes_nothing() {
    given([opened("alice", "Alice", "100.00")])
        .when(open("alice", "Mallory", "0.00"))
        .then_err(AccountError::AlreadyExists {
            account_id: acct("alice"),
            status: AccountStatus::Active,
        });
    given([opened("alice", "Alice", "0.00"), closed("alice", "0.00")])
        .when(open("alice", "Alice", "100.00"))
        .then_err(AccountError::AlreadyExists {
            account_id: acct("alice"),
            status: AccountStatus::Closed,
        });

    let bank = bank_with(&[("alice", "Alice", "100.00")]);
    ok(&bank, withdraw("alice", "40.00", ""));
    let before = stream_events(bank.store(), "account-alice");
    let error = rejected(&bank, open("alice", "Alice", "1000.00"));
    assert!(error.to_string().contains("already exists"), "{error}");
    assert_eq!(stream_events(bank.store(), "account-alice"), before);
    assert_eq!(balance(&bank, "alice"), "60.00", "the balance is not reset");
}

// 15 ------------------------------------------------------------------------------

#[test]
fn malformed_amounts_are_rejected_never_rounded() {
    assert_eq!(
        Money::parse("0.001"),
        Err(MoneyError::TooManyDecimals("0.001".into()))
    );
    assert_eq!(Money::parse(""), Err(MoneyError::Empty));
    for text in [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "1e2",
        "12,50",
        "abc",
    ] {
        assert!(
            matches!(Money::parse(text), Err(MoneyError::NotANumber(_))),
            "{text:?} must not be an amount, got {:?}",
            Money::parse(text)
        );
    }
    let beyond = Money::parse("1000000000.01").unwrap_err();
    assert!(matches!(beyond, MoneyError::OutOfRange(_)));
    assert!(beyond.to_string().contains("beyond the limit"), "{beyond}");
    assert_eq!(Money::parse("1000000000.00"), Ok(Money::MAX));
    // Trailing zeros are not extra precision.
    assert_eq!(Money::parse("12.500"), Ok(money("12.50")));
}

#[test]
fn amounts_with_more_digits_than_a_decimal_holds_are_rejected_not_rounded() {
    // rust_decimal keeps 28 fractional digits and rounds the rest away, so these would
    // otherwise become 0.00 and 1.00 without a word.
    let accepted: Vec<(&str, Money)> = [
        "0.00000000000000000000000000000001",
        "1.00000000000000000000000000000001",
        "0.0000000000000000000000000000000000000000001",
        "5.123456789012345678901234567890",
    ]
    .into_iter()
    .filter_map(|text| Money::parse(text).ok().map(|m| (text, m)))
    .collect();
    assert!(accepted.is_empty(), "silently rounded: {accepted:?}");
}

#[test]
fn a_command_with_a_malformed_amount_cannot_be_built() {
    for amount in ["0.001", "NaN", "Infinity", "", "1e400", "99999999999"] {
        let json = format!(r#"{{"type":"DepositMoney","account_id":"alice","amount":"{amount}"}}"#);
        let error = serde_json::from_str::<BankCommand>(&json)
            .expect_err(&format!("amount {amount:?} must not parse"));
        assert!(!error.to_string().is_empty());
    }
    let error = serde_json::from_str::<BankCommand>(
        r#"{"type":"DepositMoney","account_id":"a","amount":"0.001"}"#,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("more than 2 decimal places"),
        "{error}"
    );
}

#[test]
fn a_balance_cannot_grow_beyond_the_bound() {
    let message = given([opened("rich", "Rich", "1000000000.00")])
        .when(deposit("rich", "0.01", ""))
        .then_err(AccountError::BalanceLimit {
            balance: Money::MAX,
            amount: money("0.01"),
        });
    assert!(message.contains("limit"), "{message}");
}

// 16 ------------------------------------------------------------------------------

#[test]
fn an_empty_or_blank_owner_name_is_rejected() {
    for owner in ["", "   ", "\t\n"] {
        let message = given([])
            .when(open("alice", owner, "1.00"))
            .then_err(AccountError::BlankOwnerName);
        assert_eq!(message, "owner name cannot be empty");
    }
    let bank = new_bank();
    rejected(&bank, open("alice", " ", "1.00"));
    assert!(!stream_exists(bank.store(), "account-alice"));
}

#[test]
fn an_overlong_owner_name_is_rejected() {
    given([])
        .when(open("alice", &"A".repeat(101), "1.00"))
        .then_err(AccountError::OwnerNameTooLong);
    let long_enough = "A".repeat(100);
    given([])
        .when(open("alice", &long_enough, "1.00"))
        .then([opened("alice", &long_enough, "1.00")]);
}

#[test]
fn an_unopened_account_has_no_status_and_no_balance() {
    let state = given([]).state().clone();
    assert_eq!(state, AccountState::NotOpened);
    assert_eq!(state.status(), None);
    assert_eq!(state.balance(), Money::ZERO);
}
