//! Faults to inject into a transfer's saga, for teaching and for tests. They live in
//! the app layer (the domain never hears of them) and in memory only: a reload
//! forgets them, as a real transient fault would be gone.

use crate::domain::SagaStep;

/// Where a simulated crash stops the saga runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// Right after `TransferInitiated` was written.
    AfterInitiated,
    /// After the leg's account event was written, before the transfer recorded it.
    AfterLeg(SagaStep),
    /// After the step was recorded in the transfer's stream.
    AfterStep(SagaStep),
}

/// What should go wrong with one transfer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultPlan {
    /// The destination refuses the credit, so the saga must compensate.
    pub reject_credit: bool,
    /// This step fails this many times with a passing error, then succeeds.
    pub transient: Option<(SagaStep, u32)>,
    /// The runner "crashes" here once; a new runner must resume the saga.
    pub crash: Option<CrashPoint>,
}

impl FaultPlan {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == FaultPlan::default()
    }
}

/// The reason a rejected-credit fault gives.
pub const REJECTED_CREDIT_REASON: &str = "the destination refused the credit (injected fault)";

/// How many attempts a step gets before a passing failure counts as a rejection.
pub const MAX_ATTEMPTS: u32 = 5;
