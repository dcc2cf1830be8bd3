//! The values a transfer's saga events carry: its three legs (`TransferStepRetried`
//! names one) and who drives it (`TransferInitiated`'s run mode). In a file of their
//! own, so that the events do not depend on the saga that reacts to them.

use serde::{Deserialize, Serialize};

/// The three legs a transfer can run against accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SagaStep {
    /// Withdraw from the source.
    Debit,
    /// Deposit into the destination.
    Credit,
    /// Compensation: deposit back into the source.
    Refund,
}

impl SagaStep {
    /// The step's name as stored and shown: `"debit"`, `"credit"` or `"refund"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SagaStep::Debit => "debit",
            SagaStep::Credit => "credit",
            SagaStep::Refund => "refund",
        }
    }
}

impl std::fmt::Display for SagaStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that names no saga step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStep(pub String);

impl std::fmt::Display for UnknownStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no saga step is called {:?}", self.0)
    }
}

impl std::str::FromStr for SagaStep {
    type Err = UnknownStep;

    /// The step [`SagaStep::as_str`] names.
    fn from_str(s: &str) -> Result<SagaStep, UnknownStep> {
        [SagaStep::Debit, SagaStep::Credit, SagaStep::Refund]
            .into_iter()
            .find(|step| step.as_str() == s)
            .ok_or_else(|| UnknownStep(s.to_owned()))
    }
}

/// Who drives a transfer's saga: the runner on its own, or the learner step by step.
/// Recorded in `TransferInitiated`, so every tab and every reload knows whether to
/// resume an unfinished transfer by itself or leave it paused where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RunMode {
    /// Runs to its end by itself, and is resumed after a reload.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// Advanced by hand (Next step, Play); after a reload it waits, paused.
    #[serde(rename = "step")]
    Step,
}

impl RunMode {
    /// Whether this is [`RunMode::Auto`] (the default, left out of stored data).
    #[must_use]
    pub fn is_auto(&self) -> bool {
        *self == RunMode::Auto
    }
}
