//! The transfer saga's runner: it steps a transfer until its saga ends, under the
//! transfer's run and step locks, resumes unfinished transfers after a reload, and
//! plays the injected faults (passing failures, a refused credit, crashes).

use std::rc::Rc;

use super::{Bank, BankError, StepOutcome};
use crate::app::faults::{CrashPoint, MAX_ATTEMPTS, REJECTED_CREDIT_REASON};
use crate::domain::account::{self, AccountCommand, Stamp};
use crate::domain::transfer::{TransferCommand, TransferState};
use crate::domain::{saga, RunMode, SagaStep, TransferError, TransferId};
use crate::store::{EventStore, Recorded, StoreError};

impl<S: EventStore> Bank<S> {
    /// Runs a transfer's saga until it ends. While it runs it holds the transfer's run
    /// lock, so no other runner resumes it meanwhile (see [`Bank::resume_all`]).
    pub async fn run_transfer(&self, id: &TransferId) -> Result<TransferState, BankError> {
        Ok(self.run_collecting(id).await?.1)
    }

    pub(super) async fn run_collecting(
        &self,
        id: &TransferId,
    ) -> Result<(Vec<Rc<Recorded>>, TransferState), BankError> {
        let _running = self.env.locks().acquire(&run_lock(id)).await;
        self.run_locked(id).await
    }

    /// Steps `id` until it ends; the caller holds its run lock.
    async fn run_locked(
        &self,
        id: &TransferId,
    ) -> Result<(Vec<Rc<Recorded>>, TransferState), BankError> {
        let mut events = Vec::new();
        loop {
            if let StepOutcome::Finished(state) = self.step_writing(id, None, &mut events).await? {
                return Ok((events, state));
            }
        }
    }

    /// Resumes, from the log alone, every unfinished transfer that runs by itself
    /// ([`RunMode::Auto`]), and those in `also` whatever their mode (a transfer whose
    /// simulated crash reloaded the page). A transfer stepped by hand stays paused
    /// where it stands. A transfer another runner is running now (another tab holds
    /// its run lock) is left to that runner, so each resumes once, in one tab.
    /// Every transfer is tried, even when one of them fails; the first error is
    /// returned after all were tried. Returns the transfers this call resumed.
    pub async fn resume_all(&self, also: &[TransferId]) -> Result<Vec<TransferId>, BankError> {
        self.catch_up().await?;
        let unfinished = self.read(|m| m.unfinished_transfers_by_mode(RunMode::Auto));
        let more = also.iter().filter(|id| {
            !unfinished.contains(id)
                && self.read(|m| m.transfers.get(*id).is_some_and(|t| !t.state.is_terminal()))
        });
        let candidates: Vec<TransferId> = unfinished.iter().chain(more).cloned().collect();
        let mut resumed = Vec::new();
        let mut first_error = None;
        for id in candidates {
            let Some(_running) = self.env.locks().try_acquire(&run_lock(&id)).await else {
                continue;
            };
            // It may have ended while we waited for the lock.
            self.catch_up().await?;
            if self.transfer_state(&id).await?.is_terminal() {
                continue;
            }
            self.inner.borrow_mut().resumed.insert(id.clone());
            if let Err(e) = self.run_locked(&id).await {
                first_error.get_or_insert(e);
            }
            resumed.push(id);
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(resumed),
        }
    }

    /// Executes exactly one step of a transfer's saga: one leg against an account and
    /// its outcome in the transfer's stream (or one failed attempt).
    pub async fn step(&self, id: &TransferId) -> Result<StepOutcome, BankError> {
        self.step_writing(id, None, &mut Vec::new()).await
    }

    /// [`Bank::step`] on behalf of someone who saw the transfer at stream version
    /// `seen` (the timeline's Next step): if another runner has moved it on since,
    /// nothing runs and the outcome is [`StepOutcome::Taken`].
    pub async fn step_from(&self, id: &TransferId, seen: u64) -> Result<StepOutcome, BankError> {
        self.step_writing(id, Some(seen), &mut Vec::new()).await
    }

    /// The version of the transfer's stream as this bank last saw it (0 if unknown).
    #[must_use]
    pub fn transfer_version(&self, id: &TransferId) -> u64 {
        self.inner
            .borrow()
            .transfers
            .get(id)
            .map_or(0, |t| t.version)
    }

    /// [`Bank::step`] under the transfer's step lock, on fresh state, adding the
    /// events this step wrote to `written`. Two runners (two tabs, or a double click)
    /// take turns: the second waits, then finds the step done.
    async fn step_writing(
        &self,
        id: &TransferId,
        seen: Option<u64>,
        written: &mut Vec<Rc<Recorded>>,
    ) -> Result<StepOutcome, BankError> {
        let _stepping = self.env.locks().acquire(&step_lock(id)).await;
        self.catch_up().await?;
        let state = self.transfer_state(id).await?;
        if seen.is_some_and(|seen| seen != self.transfer_version(id)) {
            return Ok(StepOutcome::Taken(state));
        }
        let Some((step, command)) = saga::next_command(&state) else {
            return Ok(StepOutcome::Finished(state));
        };
        let failed_attempts = state.details().map_or(0, |d| d.failed_attempts);
        let plan = self
            .inner
            .borrow()
            .faults
            .get(id)
            .cloned()
            .unwrap_or_default();
        let causation = self.last_event_id_of(id);

        let mut leg_event_id = None;
        let result: Result<(), String> = match plan.transient {
            Some((fault_step, failures)) if fault_step == step && failed_attempts < failures => {
                let reason = format!(
                    "{step} temporarily unavailable (injected fault: attempt {} of the {failures} set to fail)",
                    failed_attempts + 1
                );
                // The credit's deadline is the domain's to apply (it may give up and
                // compensate); the other steps count their attempts.
                if step == SagaStep::Credit || failed_attempts + 1 < MAX_ATTEMPTS {
                    return self
                        .record_failed_attempt(id, step, reason, &causation, written)
                        .await;
                }
                Err(format!("gave up after {MAX_ATTEMPTS} attempts: {reason}"))
            }
            // Two runners (two tabs) may have decided the credit differently: if the
            // credit landed after all, a refund would create money. Stop, loudly.
            _ if step == SagaStep::Refund && self.credit_landed(&state).await? => Err(format!(
                "the credit to {} landed after all (another runner applied it), so refunding would pay twice",
                state.details().map(|d| d.to_account_id.to_string()).unwrap_or_default()
            )),
            // The injected refusal stands where the destination's own rules do: after
            // its idempotency check, so a credit applied before a crash stays applied.
            _ if plan.reject_credit
                && step == SagaStep::Credit
                && !self.leg_already_applied(&command).await? =>
            {
                Err(REJECTED_CREDIT_REASON.to_owned())
            }
            _ => match self.handle_account(&command, id.as_str(), &causation).await {
                Ok(events) => {
                    leg_event_id = events.first().map(|e| e.event_id.clone());
                    written.extend(events);
                    Ok(())
                }
                Err(BankError::Account(rejection)) => Err(rejection.to_string()),
                Err(other) => return Err(other),
            },
        };

        if self.crash_due(id, CrashPoint::AfterLeg(step)) {
            return Err(BankError::Crashed(CrashPoint::AfterLeg(step)));
        }
        let record = saga::outcome(step, result);
        let cause = leg_event_id.unwrap_or(causation);
        match self.handle_transfer(id, &record, &cause).await {
            Ok(events) => written.extend(events),
            // Another runner (another tab) recorded this step first: carry on from there.
            Err(BankError::Transfer(TransferError::UnexpectedStep { .. })) => {}
            Err(e) => return Err(e),
        }
        if self.crash_due(id, CrashPoint::AfterStep(step)) {
            return Err(BankError::Crashed(CrashPoint::AfterStep(step)));
        }
        Ok(StepOutcome::Advanced(self.transfer_state(id).await?))
    }

    /// Records a failed attempt of `step`: a retry on the virtual clock, or the credit's
    /// give-up at its deadline (the domain decides which).
    async fn record_failed_attempt(
        &self,
        id: &TransferId,
        step: SagaStep,
        reason: String,
        causation: &str,
        written: &mut Vec<Rc<Recorded>>,
    ) -> Result<StepOutcome, BankError> {
        let retry = TransferCommand::RecordAttemptFailed { reason };
        match self.handle_transfer(id, &retry, causation).await {
            Ok(events) => {
                written.extend(events);
                let now = self.transfer_state(id).await?;
                Ok(if now.pending_step() == Some(step) {
                    StepOutcome::Retried(now)
                } else {
                    StepOutcome::Advanced(now)
                })
            }
            Err(BankError::Transfer(TransferError::UnexpectedStep { .. })) => {
                Ok(StepOutcome::Advanced(self.transfer_state(id).await?))
            }
            Err(e) => Err(e),
        }
    }

    /// Whether the destination already holds this transfer's credit (on fresh state).
    async fn credit_landed(&self, state: &TransferState) -> Result<bool, StoreError> {
        let Some(details) = state.details() else {
            return Ok(false);
        };
        let credit = saga::leg(SagaStep::Credit, details);
        self.leg_already_applied(&credit).await
    }

    /// Whether the account already holds this transfer leg (on fresh state).
    async fn leg_already_applied(&self, command: &AccountCommand) -> Result<bool, StoreError> {
        self.catch_up().await?;
        let inner = self.inner.borrow();
        let stamp = Stamp {
            transaction_id: String::new(),
        };
        Ok(inner
            .accounts
            .get(command.account_id())
            .is_some_and(|a| matches!(account::decide(command, &a.state, &stamp), Ok(events) if events.is_empty())))
    }

    pub(super) fn crash_due(&self, id: &TransferId, point: CrashPoint) -> bool {
        let mut inner = self.inner.borrow_mut();
        match inner.faults.get_mut(id) {
            Some(plan) if plan.crash == Some(point) => {
                plan.crash = None;
                true
            }
            _ => false,
        }
    }

    fn last_event_id_of(&self, id: &TransferId) -> String {
        self.inner
            .borrow()
            .transfers
            .get(id)
            .map(|t| t.last_event_id.clone())
            .unwrap_or_default()
    }
}

/// The lock a runner holds while it runs a transfer to its end.
fn run_lock(id: &TransferId) -> String {
    format!("{}/run", id.stream())
}

/// The lock held around one step of a transfer.
fn step_lock(id: &TransferId) -> String {
    format!("{}/step", id.stream())
}
