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

/// The steps a fault can name, in the saga's order: the form's options are made
/// from this list.
pub const STEPS: [SagaStep; 3] = [SagaStep::Debit, SagaStep::Credit, SagaStep::Refund];

impl CrashPoint {
    /// Every crash point, in the order the saga meets them: the form's options (and
    /// anything else that lists them) are made from this list, never typed out.
    pub const ALL: [CrashPoint; 7] = [
        CrashPoint::AfterInitiated,
        CrashPoint::AfterLeg(SagaStep::Debit),
        CrashPoint::AfterStep(SagaStep::Debit),
        CrashPoint::AfterLeg(SagaStep::Credit),
        CrashPoint::AfterStep(SagaStep::Credit),
        CrashPoint::AfterLeg(SagaStep::Refund),
        CrashPoint::AfterStep(SagaStep::Refund),
    ];

    /// Where the crash happens, as the form offers it: "after the debit step".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            CrashPoint::AfterInitiated => "after the transfer is initiated",
            CrashPoint::AfterLeg(SagaStep::Debit) => "after the debit, before it is recorded",
            CrashPoint::AfterLeg(SagaStep::Credit) => "after the credit, before it is recorded",
            CrashPoint::AfterLeg(SagaStep::Refund) => "after the refund, before it is recorded",
            CrashPoint::AfterStep(SagaStep::Debit) => "after the debit step",
            CrashPoint::AfterStep(SagaStep::Credit) => "after the credit step",
            CrashPoint::AfterStep(SagaStep::Refund) => "after the refund step",
        }
    }

    /// The crash point as a short name: `"initiated"`, `"leg:debit"`, `"step:credit"`…
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CrashPoint::AfterInitiated => "initiated",
            CrashPoint::AfterLeg(SagaStep::Debit) => "leg:debit",
            CrashPoint::AfterLeg(SagaStep::Credit) => "leg:credit",
            CrashPoint::AfterLeg(SagaStep::Refund) => "leg:refund",
            CrashPoint::AfterStep(SagaStep::Debit) => "step:debit",
            CrashPoint::AfterStep(SagaStep::Credit) => "step:credit",
            CrashPoint::AfterStep(SagaStep::Refund) => "step:refund",
        }
    }
}

/// Where the crash happened, as a sentence ends: "after the debit leg, before it was
/// recorded". [`crate::app::BankError::Crashed`] and the crash notes say it so.
impl std::fmt::Display for CrashPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CrashPoint::AfterInitiated => f.write_str("after the transfer was initiated"),
            CrashPoint::AfterLeg(step) => write!(f, "after the {step} leg, before it was recorded"),
            CrashPoint::AfterStep(step) => write!(f, "after the {step} step"),
        }
    }
}

/// A text that names no crash point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCrashPoint(pub String);

impl std::fmt::Display for UnknownCrashPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no crash point is called {:?}", self.0)
    }
}

impl std::str::FromStr for CrashPoint {
    type Err = UnknownCrashPoint;

    /// The crash point [`CrashPoint::as_str`] names.
    fn from_str(s: &str) -> Result<CrashPoint, UnknownCrashPoint> {
        let unknown = || UnknownCrashPoint(s.to_owned());
        match s.split_once(':') {
            None if s == "initiated" => Ok(CrashPoint::AfterInitiated),
            Some(("leg", step)) => step
                .parse()
                .map(CrashPoint::AfterLeg)
                .map_err(|_| unknown()),
            Some(("step", step)) => step
                .parse()
                .map(CrashPoint::AfterStep)
                .map_err(|_| unknown()),
            _ => Err(unknown()),
        }
    }
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

/// How many attempts the debit or the refund gets before a passing failure counts as
/// a rejection (the credit stops at its deadline instead: `domain::retry`).
pub const MAX_ATTEMPTS: u32 = 5;

/// The most passing failures the form lets a learner ask for: enough for each step to
/// run out of attempts (the debit and the refund) or past its deadline (the credit).
pub const MAX_FAILURES: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crash_point_and_step_reads_back_from_its_name_and_others_are_refused() {
        for step in STEPS {
            assert_eq!(step.as_str().parse::<SagaStep>(), Ok(step));
        }
        let points = std::iter::once(CrashPoint::AfterInitiated)
            .chain(STEPS.map(CrashPoint::AfterLeg))
            .chain(STEPS.map(CrashPoint::AfterStep));
        for point in points {
            assert_eq!(point.as_str().parse::<CrashPoint>(), Ok(point));
            assert!(CrashPoint::ALL.contains(&point), "{point:?} is listed");
        }
        let mut names: Vec<_> = CrashPoint::ALL.iter().map(|p| p.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CrashPoint::ALL.len(), "each listed once");
        assert_eq!(
            "leg:debit".parse(),
            Ok(CrashPoint::AfterLeg(SagaStep::Debit))
        );
        for bad in [
            "",
            "none",
            "leg:",
            "leg:sideways",
            "initiated:debit",
            "Step:debit",
        ] {
            assert_eq!(
                bad.parse::<CrashPoint>(),
                Err(UnknownCrashPoint(bad.to_owned()))
            );
        }
        assert!("Credit".parse::<SagaStep>().is_err());
    }

    #[test]
    fn a_crash_point_reads_as_where_the_saga_stopped() {
        assert_eq!(
            CrashPoint::AfterLeg(SagaStep::Debit).to_string(),
            "after the debit leg, before it was recorded"
        );
        assert_eq!(
            CrashPoint::AfterStep(SagaStep::Refund).to_string(),
            "after the refund step"
        );
        assert_eq!(
            CrashPoint::AfterInitiated.to_string(),
            "after the transfer was initiated"
        );
    }
}
