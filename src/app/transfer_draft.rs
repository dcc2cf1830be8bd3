//! The transfer form's draft: the fields as typed, read into the command that starts
//! a transfer and the faults to inject into its saga, with a message naming the field
//! at fault when they do not read. Plain Rust, tested natively; the form only holds
//! the text and sends what this returns.

use crate::app::faults::{UnknownCrashPoint, MAX_FAILURES, STEPS};
use crate::app::{CrashPoint, FaultPlan, ReadModels};
use crate::domain::{AccountId, Money, SagaStep, TransferId, TransferMoney};

/// The crash select's value for no crash.
pub const NO_CRASH: &str = "none";

/// The crash select's options, `(value, label)`, "no crash" first, then every
/// [`CrashPoint`] in [`CrashPoint::ALL`]'s order: made from the enum, never typed out.
pub fn crash_options() -> impl Iterator<Item = (&'static str, &'static str)> {
    std::iter::once((NO_CRASH, "no crash"))
        .chain(CrashPoint::ALL.into_iter().map(|p| (p.as_str(), p.label())))
}

/// The crash select's value for `choice`.
#[must_use]
pub fn crash_value(choice: Option<CrashPoint>) -> &'static str {
    choice.map_or(NO_CRASH, CrashPoint::as_str)
}

/// The crash chosen by the select's `value` ([`crash_value`] read back).
///
/// # Errors
/// The value names no crash point.
pub fn crash_choice(value: &str) -> Result<Option<CrashPoint>, UnknownCrashPoint> {
    if value == NO_CRASH {
        Ok(None)
    } else {
        value.parse().map(Some)
    }
}

/// The step select's options, `(value, label)`, in the saga's order.
pub fn step_options() -> impl Iterator<Item = (&'static str, &'static str)> {
    STEPS.into_iter().map(|s| (s.as_str(), s.as_str()))
}

/// The transfer form's fields, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TransferDraft {
    pub transfer_id: String,
    pub from: String,
    pub to: String,
    pub amount: String,
    pub description: String,
    pub faults: FaultDraft,
}

/// The fault fields, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultDraft {
    pub reject_credit: bool,
    /// Failures before success, a whole number.
    pub transient_count: String,
    /// The step that fails.
    pub transient_step: SagaStep,
    /// Where the runner crashes, if it does.
    pub crash: Option<CrashPoint>,
}

impl Default for FaultDraft {
    fn default() -> FaultDraft {
        FaultDraft {
            reject_credit: false,
            transient_count: "0".to_owned(),
            transient_step: SagaStep::Credit,
            crash: None,
        }
    }
}

impl TransferDraft {
    /// The command and the faults the draft asks for, or what is wrong, naming the field.
    ///
    /// # Errors
    /// A message for the first field that does not read.
    pub fn parse(&self) -> Result<(TransferMoney, FaultPlan), String> {
        let transfer_id =
            TransferId::parse(&self.transfer_id).map_err(|e| format!("Transfer id: {e}"))?;
        let from_account_id =
            AccountId::parse(&self.from).map_err(|e| format!("From account: {e}"))?;
        let to_account_id = AccountId::parse(&self.to).map_err(|e| format!("To account: {e}"))?;
        let amount = Money::parse(&self.amount).map_err(|e| format!("Amount: {e}"))?;
        let plan = self.faults.parse()?;
        Ok((
            TransferMoney {
                transfer_id,
                from_account_id,
                to_account_id,
                amount,
                description: self.description.clone(),
            },
            plan,
        ))
    }
}

impl FaultDraft {
    /// The faults asked for.
    ///
    /// # Errors
    /// A message when a fault field does not read.
    pub fn parse(&self) -> Result<FaultPlan, String> {
        let failures: u32 = self.transient_count.trim().parse().map_err(|_| {
            format!("Failures before success: write a whole number from 0 to {MAX_FAILURES}")
        })?;
        if failures > MAX_FAILURES {
            return Err(format!(
                "Failures before success: at most {MAX_FAILURES} (the credit gives up at its deadline after 4 attempts, the debit and the refund after 5)"
            ));
        }
        let transient = (failures > 0).then_some((self.transient_step, failures));
        Ok(FaultPlan {
            reject_credit: self.reject_credit,
            transient,
            crash: self.crash,
        })
    }

    /// The faults chosen, as the folded fault box names them (`"(on: …)"`), or empty.
    #[must_use]
    pub fn active(&self) -> String {
        let mut on = Vec::new();
        if self.reject_credit {
            on.push("credit rejected".to_owned());
        }
        match self.transient_count.trim() {
            "" | "0" => {}
            n => on.push(format!("{n} failures of the {}", self.transient_step)),
        }
        if self.crash.is_some() {
            on.push("a crash".to_owned());
        }
        if on.is_empty() {
            String::new()
        } else {
            format!("(on: {})", on.join(", "))
        }
    }
}

/// A transfer id not yet taken: `t-N` for the first free N from the count of transfers.
#[must_use]
pub fn suggested_id(m: &ReadModels) -> String {
    let mut k = m.transfers.len() + 1;
    while TransferId::parse(&format!("t-{k}")).is_ok_and(|id| m.transfers.contains_key(&id)) {
        k += 1;
    }
    format!("t-{k}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::views::fixture::three_accounts_two_transfers;

    fn draft() -> TransferDraft {
        TransferDraft {
            transfer_id: "t-9".into(),
            from: "ann".into(),
            to: "ben".into(),
            amount: "12.50".into(),
            description: "Lunch".into(),
            faults: FaultDraft::default(),
        }
    }

    #[test]
    fn a_filled_draft_reads_as_the_command_with_no_faults() {
        let (command, plan) = draft().parse().unwrap();
        assert_eq!(command.transfer_id.as_str(), "t-9");
        assert_eq!(command.from_account_id.as_str(), "ann");
        assert_eq!(command.to_account_id.as_str(), "ben");
        assert_eq!(command.amount, Money::parse("12.50").unwrap());
        assert_eq!(command.description, "Lunch");
        assert!(plan.is_empty());
        assert_eq!(draft().faults.active(), "");
    }

    #[test]
    fn each_bad_field_is_named_in_the_message() {
        type Spoil = fn(&mut TransferDraft);
        let cases: [(Spoil, &str); 6] = [
            (|d| d.transfer_id = String::new(), "Transfer id: "),
            (|d| d.from = "no spaces".into(), "From account: "),
            (|d| d.to = String::new(), "To account: "),
            (|d| d.amount = "ten".into(), "Amount: "),
            (
                |d| d.faults.transient_count = "x".into(),
                "Failures before success: write a whole number from 0 to 8",
            ),
            (
                |d| d.faults.transient_count = "9".into(),
                "Failures before success: at most 8",
            ),
        ];
        for (spoil, expected) in cases {
            let mut d = draft();
            spoil(&mut d);
            let message = d.parse().unwrap_err();
            assert!(message.starts_with(expected), "{message}");
        }
    }

    #[test]
    fn faults_read_into_the_plan_and_are_named_in_the_summary() {
        let mut d = draft();
        d.faults = FaultDraft {
            reject_credit: true,
            transient_count: " 2 ".into(),
            transient_step: SagaStep::Debit,
            crash: Some(CrashPoint::AfterLeg(SagaStep::Refund)),
        };
        let (_, plan) = d.parse().unwrap();
        assert!(plan.reject_credit);
        assert_eq!(plan.transient, Some((SagaStep::Debit, 2)));
        assert_eq!(plan.crash, Some(CrashPoint::AfterLeg(SagaStep::Refund)));
        assert_eq!(
            d.faults.active(),
            "(on: credit rejected, 2 failures of the debit, a crash)"
        );
    }

    #[test]
    fn the_selects_offer_every_crash_point_and_step_and_read_back_what_they_offer() {
        let crashes: Vec<_> = crash_options().collect();
        assert_eq!(crashes.len(), CrashPoint::ALL.len() + 1);
        assert_eq!(crashes[0], (NO_CRASH, "no crash"));
        for (value, _) in &crashes {
            assert_eq!(crash_value(crash_choice(value).unwrap()), *value);
        }
        assert_eq!(
            crash_choice("step:credit"),
            Ok(Some(CrashPoint::AfterStep(SagaStep::Credit)))
        );
        let steps: Vec<_> = step_options().map(|(v, _)| v).collect();
        assert_eq!(steps, ["debit", "credit", "refund"]);
    }

    #[test]
    fn an_unknown_crash_point_is_refused_not_guessed() {
        assert_eq!(
            crash_choice("leg:sideways"),
            Err(UnknownCrashPoint("leg:sideways".into()))
        );
        assert!(crash_choice("").is_err());
    }

    #[test]
    fn the_suggested_id_is_the_first_free_one_after_the_count() {
        let m = three_accounts_two_transfers();
        // Two transfers, named t1 and t2: t-3 is free.
        assert_eq!(suggested_id(&m), "t-3");
        assert_eq!(suggested_id(&ReadModels::default()), "t-1");
    }
}
