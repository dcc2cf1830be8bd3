//! The page's one-click scenarios: a title, the scenario file it runs (the same JSON
//! files the scenario runner reads), and how its teaching transfer starts. Loading one
//! into a bank is [`prepare`]; which database it goes into is the UI's business.

use super::scenario;
use super::{Bank, FaultPlan};
use crate::domain::{BankCommand, RunMode, SagaStep, TransferId};
use crate::store::EventStore;

/// A scenario the page can load.
pub struct Scenario {
    pub key: &'static str,
    pub title: &'static str,
    pub json: &'static str,
    /// Start the file's last transfer step by step (with these faults) instead of
    /// running it.
    pub step_last_transfer: Option<FaultPlan>,
}

/// Every scenario, in the order the bar shows them.
pub const SCENARIOS: [Scenario; 7] = [
    Scenario {
        key: "seed-demo",
        title: "The seed demo",
        json: include_str!("../../scenarios/seed-demo.json"),
        step_last_transfer: None,
    },
    Scenario {
        key: "happy-transfer",
        title: "A happy transfer",
        json: include_str!("../../scenarios/happy-transfer.json"),
        step_last_transfer: Some(FaultPlan {
            reject_credit: false,
            transient: None,
            crash: None,
        }),
    },
    Scenario {
        key: "insufficient-funds",
        title: "Insufficient funds",
        json: include_str!("../../scenarios/insufficient-funds.json"),
        step_last_transfer: Some(FaultPlan {
            reject_credit: false,
            transient: None,
            crash: None,
        }),
    },
    Scenario {
        key: "compensation",
        title: "Compensation (closed destination)",
        json: include_str!("../../scenarios/compensation.json"),
        step_last_transfer: Some(FaultPlan {
            reject_credit: false,
            transient: None,
            crash: None,
        }),
    },
    Scenario {
        key: "transient-failure",
        title: "A transient failure with retries",
        json: include_str!("../../scenarios/happy-transfer.json"),
        step_last_transfer: Some(FaultPlan {
            reject_credit: false,
            transient: Some((SagaStep::Credit, 2)),
            crash: None,
        }),
    },
    Scenario {
        key: "account-lifecycle",
        title: "The account lifecycle",
        json: include_str!("../../scenarios/account-lifecycle.json"),
        step_last_transfer: None,
    },
    Scenario {
        key: "needs-attention",
        title: "Compensation fails (source closed mid-saga)",
        json: include_str!("../../scenarios/needs-attention.json"),
        step_last_transfer: Some(FaultPlan {
            reject_credit: false,
            transient: None,
            crash: None,
        }),
    },
];

/// The scenario with this key.
#[must_use]
pub fn find(key: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.key == key)
}

/// Runs `scenario`'s commands on `bank` (a fresh one), every saga to its end but the
/// teaching transfer (the file's last `TransferMoney`), which is started step by step
/// with its faults. Commands after it run while its money is out: after its debit,
/// where it then waits. Returns the transfer to show: the teaching one, else the first.
///
/// # Errors
/// The scenario file cannot be read, or the teaching transfer cannot start.
pub async fn prepare<S: EventStore>(
    bank: &Bank<S>,
    scenario: &Scenario,
) -> Result<Option<TransferId>, String> {
    let mut commands = scenario::parse(scenario.json).map_err(|e| e.to_string())?;
    let last = commands
        .iter()
        .rposition(|c| matches!(c, Ok(BankCommand::TransferMoney(_))));
    let (stepped, meanwhile) = match (&scenario.step_last_transfer, last) {
        (Some(plan), Some(i)) => {
            let meanwhile = commands.split_off(i + 1);
            match commands.pop() {
                Some(Ok(BankCommand::TransferMoney(t))) => (Some((t, plan.clone())), meanwhile),
                _ => (None, meanwhile),
            }
        }
        _ => (None, Vec::new()),
    };
    scenario::run(bank, commands).await;
    let mut selected = bank.read(|m| m.transfers.keys().next().cloned());
    if let Some((transfer, plan)) = stepped {
        let id = transfer.transfer_id.clone();
        selected = Some(id.clone());
        bank.start_transfer_with(transfer, plan, RunMode::Step)
            .await
            .map_err(|e| e.to_string())?;
        if !meanwhile.is_empty() {
            bank.step(&id).await.map_err(|e| e.to_string())?;
            scenario::run(bank, meanwhile).await;
        }
    }
    Ok(selected)
}
