//! Tests of the moments' words ([`super`]).

use super::*;
use crate::app::views::saga_steps::tests::stepped;
use crate::domain::{AccountError, AccountId};
use futures::executor::block_on;

fn id(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

/// Given Ann (100.00) and Ben (0.00, closed if `closed`), transfer `t` of 10.00 started
/// by hand (the saga steps' fixture): what each of `presses` presses of Next step wrote.
fn presses(closed: bool, presses: usize) -> Vec<Option<PressWrites>> {
    let (bank, t) = stepped(closed, 0);
    (0..presses)
        .map(|_| {
            let from = bank.read(|m| m.last_position);
            block_on(bank.step(&t)).unwrap();
            bank.read(|m| press_writes(&m.transfers[&t], from))
        })
        .collect()
}

#[test]
fn a_refusal_says_nothing_was_written_and_where_the_log_still_is() {
    let refused = BankError::Account(AccountError::NotFound {
        account_id: id("zed"),
    });
    let words = refusal_words(&refused, 12);
    assert!(words.starts_with(&refused.to_string()), "{words}");
    assert!(
        words.ends_with("\n0 events written; the log is still at #12."),
        "{words}"
    );
    assert_eq!(
        nothing_written(0),
        "0 events written; the log is still empty."
    );
}

#[test]
fn what_just_happened_says_a_refusal_or_an_answer_wrote_nothing() {
    let refused = BankError::Account(AccountError::NotFound {
        account_id: id("zed"),
    });
    assert_eq!(
        unwritten(Some(&refused), "", 7).unwrap(),
        "Refused: 0 events written; the log is still at #7. The rule's words: account zed not found."
    );
    assert_eq!(
        unwritten(None, "t9", 7).unwrap(),
        "Answered with the existing transfer t9: 0 events written; the log is still at #7."
    );
}

#[test]
fn the_debit_press_writes_the_effect_then_the_record_in_two_appends() {
    let debit = presses(false, 1).remove(0).unwrap();
    assert_eq!(
        debit.summary,
        "This press wrote 2 events in 2 appends: the step's effect in account-ann and its record in transfer-t, one after the other, not at once."
    );
    assert_eq!(
        debit.lines,
        [
            "MoneyWithdrawn #4 in account-ann v2: the step's effect on the account",
            "TransferDebited #5 in transfer-t v2: the step's record in the transfer",
        ]
    );
    assert_eq!(debit.positions, [4, 5]);
    assert_eq!(debit.ended, None);
}

#[test]
fn the_credit_press_also_ends_the_saga_with_transfer_completed() {
    let credit = presses(false, 2).remove(1).unwrap();
    assert_eq!(credit.lines.len(), 2, "{:?}", credit.lines);
    assert!(
        credit.lines[0].starts_with("MoneyDeposited #6 in account-ben"),
        "{:?}",
        credit.lines
    );
    assert!(
        credit.lines[1].starts_with("TransferCompleted #7 in transfer-t"),
        "{:?}",
        credit.lines
    );
    assert!(credit
        .ended
        .unwrap()
        .contains("this press also ended the saga"));
}

#[test]
fn the_refund_press_writes_its_effect_then_transfer_reversed_and_transfer_failed() {
    let all = presses(true, 3);
    let rejected = all[1].clone().unwrap();
    assert_eq!(rejected.summary, "This press wrote 1 event in 1 append.");
    assert!(
        rejected.lines[0].contains("no effect was written"),
        "{:?}",
        rejected.lines
    );
    let refund = all[2].clone().unwrap();
    let types: Vec<&str> = refund
        .lines
        .iter()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        types,
        ["MoneyDeposited", "TransferReversed", "TransferFailed"]
    );
    assert!(
        refund
            .summary
            .starts_with("This press wrote 3 events in 2 appends"),
        "{}",
        refund.summary
    );
    // True whether the refund went into the source or, after an operator's fix, into
    // another account of the same owner: it never says the debit was counteracted.
    assert_eq!(
        refund.ended.unwrap(),
        "TransferFailed after TransferReversed: this press also ended the saga. The transfer failed; the refund paid the amount back to the payer, and both movements stay in the log."
    );
}
