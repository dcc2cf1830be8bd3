//! The read-model summary the browser keeps for a fast first screen: it round-trips
//! through JSON and says what the read models say.

use pretty_assertions::assert_eq;
use sagabank::app::projections::{Summary, SPARKLINE_POINTS, SUMMARY_FORMAT, SUMMARY_TRANSFERS};

use sagabank::app::TransferStatus;

use crate::support::*;

#[test]
fn a_summary_of_a_busy_bank_round_trips_through_json_and_matches_the_read_models() {
    let bank = new_bank();
    busy(&bank);
    // Enough deposits for a long statement and more transfers than a summary keeps.
    for i in 0..70 {
        ok(&bank, deposit("alice-123", "1.00", &format!("tip {i}")));
    }
    for i in 0..(SUMMARY_TRANSFERS + 5) {
        ok(
            &bank,
            transfer(&format!("t-many-{i}"), "alice-123", "bob-456", "0.10", ""),
        );
    }
    let summary = bank.read(|m| m.summary());
    let json = serde_json::to_string(&summary).expect("serializes");
    let back: Summary = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, summary, "the JSON round trip keeps everything");

    has_stable_field_names(&json);

    bank.read(|m| {
        assert_eq!(back.position, m.last_position);
        assert_eq!(back.events, m.audit.len() as u64);
        assert_eq!(back.accounts.len(), m.accounts.len());
        for a in &back.accounts {
            let view = &m.accounts[&a.id];
            assert_eq!(a.owner, view.owner_name);
            assert_eq!(a.status, view.status);
            assert_eq!(a.balance, view.balance, "{}'s balance", a.id);
            assert_eq!(a.version, view.version);
            assert_eq!(a.statement_len, view.statement.len() as u64);
            assert!(a.sparkline.len() <= SPARKLINE_POINTS);
            assert_eq!(
                a.sparkline.last(),
                view.statement.last().map(|l| &l.balance_after)
            );
        }
        let alice = back
            .accounts
            .iter()
            .find(|a| a.id.as_str() == "alice-123")
            .expect("alice");
        assert_eq!(
            alice.sparkline.len(),
            SPARKLINE_POINTS,
            "a long statement is cut"
        );

        assert_eq!(back.transfers.len(), SUMMARY_TRANSFERS);
        let newest: Vec<_> = m
            .transfer_order
            .iter()
            .rev()
            .take(SUMMARY_TRANSFERS)
            .collect();
        for (t, id) in back.transfers.iter().zip(newest) {
            let view = &m.transfers[id];
            assert_eq!(&t.id, id, "newest first");
            assert_eq!(t.from, view.from_account_id);
            assert_eq!(t.to, view.to_account_id);
            assert_eq!(t.amount, view.amount);
            assert_eq!(t.status, TransferStatus::of(&view.state));
            assert_eq!(t.reason.as_deref(), view.reason());
        }
    });
}

/// Stable field names, a format, and no saga state in the stored text.
fn has_stable_field_names(json: &str) {
    let value: serde_json::Value = serde_json::from_str(json).expect("a JSON value");
    for field in ["format", "position", "events", "accounts", "transfers"] {
        assert!(value.get(field).is_some(), "field {field}");
    }
    assert_eq!(value["format"], SUMMARY_FORMAT);
    for field in [
        "id",
        "owner",
        "status",
        "balance",
        "version",
        "sparkline",
        "statement_len",
    ] {
        assert!(value["accounts"][0].get(field).is_some(), "account {field}");
    }
    for field in ["id", "from", "to", "amount", "status", "reason"] {
        assert!(
            value["transfers"][0].get(field).is_some(),
            "transfer {field}"
        );
    }
}

#[test]
fn a_summary_names_failed_and_compensated_transfers_as_the_badges_do() {
    let bank = new_bank();
    busy(&bank);
    let summary = bank.read(|m| m.summary());
    let status = |id: &str| {
        summary
            .transfers
            .iter()
            .find(|t| t.id.as_str() == id)
            .map(|t| (t.status, t.reason.is_some()))
    };
    assert_eq!(
        status("transfer-789"),
        Some((TransferStatus::Completed, false))
    );
    assert_eq!(
        status("transfer-999").map(|s| s.0),
        Some(TransferStatus::Failed)
    );
    assert_eq!(
        status("t-closed"),
        Some((TransferStatus::Compensated, true))
    );
}
