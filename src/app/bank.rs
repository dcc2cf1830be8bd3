//! The seed's `BankingCommandHandlers`: one entry point for every command, and one
//! decide-and-append with the conflict retry. The transfer saga's runner is in
//! [`saga_runner`]; the faults it injects in [`super::faults`].
//!
//! Each stream's state is kept in memory after its first load, so a command costs the
//! same however long the account's history is. A stale cache (another tab appended)
//! shows up as a version conflict: the stream is re-read from where the cache stood,
//! the command decided again on fresh state, and appended once more.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use thiserror::Error;

use super::account_snapshots;
use super::env::Env;
use super::faults::{CrashPoint, FaultPlan};
use super::projections::ReadModels;
use crate::domain::account::{Account, AccountCommand, AccountState, Stamp, Stamped};
use crate::domain::events::EventKind;
use crate::domain::transfer::{self, Transfer, TransferCommand, TransferState};
use crate::domain::{
    AccountError, AccountId, BankCommand, Decider, Event, RunMode, TransferError, TransferId,
    TransferMoney,
};
use crate::store::{EventStore, NewEvent, Recorded, StoreError};

mod operator;
mod saga_runner;
mod snapshots;

/// Why a command did not go through.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BankError {
    /// The account's rules said no; nothing was written.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// The transfer's rules said no; nothing was written.
    #[error(transparent)]
    Transfer(#[from] TransferError),
    /// Storage failed or refused; nothing of this command was written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An injected crash stopped the runner; the log is as it was at that point.
    #[error("simulated crash {0}")]
    Crashed(CrashPoint),
}

/// What a successful command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    /// The events this command (and the saga it ran) appended.
    pub events: Vec<Rc<Recorded>>,
    /// For a transfer, where its saga stands now.
    pub transfer: Option<TransferState>,
}

/// What one saga step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    /// A step ran; the transfer is now in this state.
    Advanced(TransferState),
    /// The step failed for a passing reason; the attempt was recorded.
    Retried(TransferState),
    /// Nothing to do: the transfer had already ended.
    Finished(TransferState),
    /// Nothing run: another runner (another tab) took the step the caller saw as next;
    /// the transfer is now in this state.
    Taken(TransferState),
}

impl StepOutcome {
    #[must_use]
    pub fn state(&self) -> &TransferState {
        match self {
            StepOutcome::Advanced(s)
            | StepOutcome::Retried(s)
            | StepOutcome::Finished(s)
            | StepOutcome::Taken(s) => s,
        }
    }
}

struct Loaded<T> {
    version: u64,
    state: T,
    last_event_id: String,
}

#[derive(Default)]
struct Inner {
    accounts: HashMap<AccountId, Loaded<AccountState>>,
    transfers: HashMap<TransferId, Loaded<TransferState>>,
    models: ReadModels,
    faults: HashMap<TransferId, FaultPlan>,
    resumed: HashSet<TransferId>,
    /// A newer build's data, once met: every later catch-up and command fails with it.
    newer: super::skew::NewerSeen,
}

/// How often a command is decided again after losing a race for its stream.
const CONFLICT_RETRIES: u32 = 3;

type Listener = Rc<dyn Fn(&[Rc<Recorded>])>;

/// A write someone else makes at a chosen moment (see [`Bank::before_next_append`]).
type Interleave = (String, Box<dyn FnOnce() -> LocalBoxFuture<'static, ()>>);

/// A version conflict met by an append, before the command was decided again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub stream: String,
    /// The version the append expected: the one this bank had read.
    pub expected: u64,
    /// The version the stream was at instead.
    pub actual: u64,
    /// The log position this bank had read up to when the append was refused.
    pub read_up_to: u64,
}

/// The bank: command handling, projections and the saga runner over one store.
pub struct Bank<S: EventStore> {
    store: S,
    env: Env,
    inner: RefCell<Inner>,
    listeners: RefCell<Vec<Listener>>,
    /// Version conflicts met and decided again since this bank was opened.
    conflicts: RefCell<Vec<Conflict>>,
    /// A write to make just before this bank's next append to a stream.
    interleave: RefCell<Option<Interleave>>,
    /// Take an account snapshot every this many events of its stream (`None`: off).
    snapshot_every: std::cell::Cell<Option<u64>>,
}

impl<S: EventStore> Bank<S> {
    /// Opens a bank on `store`: reads the whole log once to build the read models and
    /// the per-stream states. Unfinished transfers are left for [`Bank::resume_all`].
    pub async fn open(store: S, env: Env) -> Result<Bank<S>, StoreError> {
        let bank = Bank {
            store,
            env,
            inner: RefCell::new(Inner::default()),
            listeners: RefCell::new(Vec::new()),
            conflicts: RefCell::new(Vec::new()),
            interleave: RefCell::new(None),
            snapshot_every: std::cell::Cell::new(None),
        };
        bank.catch_up().await?;
        Ok(bank)
    }

    /// Opens a bank on `store` whose log is exactly `log` (events this code has just
    /// written there, as [`super::fork::fork_bank`] does): folds them as they are in
    /// memory instead of reading them back, then catches up on anything stored after
    /// them. A later [`Bank::open`] of the same store reads them from the store.
    ///
    /// # Errors
    /// The store cannot be read past `log`.
    pub async fn open_written(
        store: S,
        env: Env,
        log: &[Rc<Recorded>],
    ) -> Result<Bank<S>, StoreError> {
        let bank = Bank {
            store,
            env,
            inner: RefCell::new(Inner::default()),
            listeners: RefCell::new(Vec::new()),
            conflicts: RefCell::new(Vec::new()),
            interleave: RefCell::new(None),
            snapshot_every: std::cell::Cell::new(None),
        };
        bank.absorb(log);
        bank.catch_up().await?;
        Ok(bank)
    }

    /// The store underneath.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// How many appends lost a race for their stream (a version conflict) and were
    /// decided again on fresh state since this bank was opened.
    #[must_use]
    pub fn conflicts(&self) -> u32 {
        u32::try_from(self.conflicts.borrow().len()).unwrap_or(u32::MAX)
    }

    /// Each version conflict met since this bank was opened, in order.
    #[must_use]
    pub fn conflicts_met(&self) -> Vec<Conflict> {
        self.conflicts.borrow().clone()
    }

    /// Makes `write` run once, just before this bank's next append to `stream`: after
    /// it decided on the state it had read, before its append. A second writer placed
    /// there (the concurrency lesson's) makes that append meet a version conflict
    /// whatever this bank read meanwhile. A later call replaces an unused one.
    pub fn before_next_append(
        &self,
        stream: &str,
        write: impl FnOnce() -> LocalBoxFuture<'static, ()> + 'static,
    ) {
        *self.interleave.borrow_mut() = Some((stream.to_owned(), Box::new(write)));
    }

    /// Reads the read models.
    pub fn read<R>(&self, f: impl FnOnce(&ReadModels) -> R) -> R {
        f(&self.inner.borrow().models)
    }

    /// A copy of every read model.
    #[must_use]
    pub fn models(&self) -> ReadModels {
        self.inner.borrow().models.clone()
    }

    /// Calls `listener` with every batch of new events, in global order, once each.
    pub fn subscribe(&self, listener: impl Fn(&[Rc<Recorded>]) + 'static) {
        self.listeners.borrow_mut().push(Rc::new(listener));
    }

    /// Plans faults for a transfer (before it starts, or while it runs).
    pub fn inject(&self, transfer_id: &TransferId, plan: FaultPlan) {
        self.inner
            .borrow_mut()
            .faults
            .insert(transfer_id.clone(), plan);
    }

    /// The transfers this bank resumed after a restart.
    #[must_use]
    pub fn resumed(&self) -> HashSet<TransferId> {
        self.inner.borrow().resumed.clone()
    }

    /// Reads events that are in the store but not yet in the read models (written by
    /// another tab, or skipped past) and applies them. Returns how many were new.
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        self.inner.borrow().newer.check()?;
        let from = self.inner.borrow().models.last_position + 1;
        let read = self.store.read_all(from).await;
        let fresh = read.inspect_err(|e| self.inner.borrow_mut().newer.note(e))?;
        self.absorb(&fresh);
        Ok(fresh.len())
    }

    /// Applies new events to the stream states and read models, then tells subscribers.
    fn absorb(&self, fresh: &[Rc<Recorded>]) {
        if fresh.is_empty() {
            return;
        }
        let mut applied = Vec::with_capacity(fresh.len());
        {
            let mut inner = self.inner.borrow_mut();
            for recorded in fresh {
                // Two catch-ups may race (a command and a hint from another tab):
                // each event is applied, and announced, once.
                if recorded.position != inner.models.last_position + 1 {
                    continue;
                }
                inner.models.apply(recorded);
                fold_stream(&mut inner, recorded);
                applied.push(Rc::clone(recorded));
            }
        }
        if applied.is_empty() {
            return;
        }
        // A copy, so a listener may subscribe another without a double borrow.
        let listeners: Vec<Listener> = self.listeners.borrow().clone();
        for listener in &listeners {
            listener(&applied);
        }
    }

    /// Takes in events just appended: in order if they follow what we have, else by
    /// catching up (another tab wrote in between). The append has happened, so this
    /// cannot fail the command: if the catch-up fails, the next one brings them in.
    async fn record(&self, appended: Vec<Rc<Recorded>>) -> Vec<Rc<Recorded>> {
        let next = self.inner.borrow().models.last_position + 1;
        match appended.first() {
            Some(first) if first.position == next => self.absorb(&appended),
            Some(_) => {
                let _ = self.catch_up().await;
            }
            None => {}
        }
        appended
    }

    /// Executes any of the seed's seven commands. A transfer's saga runs to its end
    /// (or to an injected crash).
    pub async fn execute(&self, command: BankCommand) -> Result<Executed, BankError> {
        match command.into_account_command() {
            Ok(account_command) => {
                let command_id = self.env.new_id();
                let events = self
                    .handle_account(&account_command, &command_id, &command_id)
                    .await?;
                Ok(Executed {
                    events,
                    transfer: None,
                })
            }
            Err(transfer) => {
                let id = transfer.transfer_id.clone();
                let mut executed = self
                    .start_transfer_with(transfer, FaultPlan::default(), RunMode::Auto)
                    .await?;
                let (more, state) = self.run_collecting(&id).await?;
                executed.events.extend(more);
                executed.transfer = Some(state);
                Ok(executed)
            }
        }
    }

    /// Validates and records `TransferMoney` without running the saga, to be stepped
    /// by hand ([`RunMode::Step`]: after a reload it waits, paused). A repeated id with
    /// the same details answers with the existing transfer and writes nothing; with
    /// different details it is rejected.
    pub async fn start_transfer(&self, command: TransferMoney) -> Result<Executed, BankError> {
        self.start_transfer_with(command, FaultPlan::default(), RunMode::Step)
            .await
    }

    /// Records `TransferMoney` with faults for this transfer and the given run mode,
    /// without running the saga. The faults are kept only if this command really
    /// started it: a rejected or repeated `TransferMoney` leaves an existing transfer's
    /// faults (and mode) as they were.
    pub async fn start_transfer_with(
        &self,
        command: TransferMoney,
        faults: FaultPlan,
        mode: RunMode,
    ) -> Result<Executed, BankError> {
        transfer::validate(&command)?;
        let id = command.transfer_id.clone();
        let command_id = self.env.new_id();
        let decision = TransferCommand::Initiate(command, mode);
        let events = self.handle_transfer(&id, &decision, &command_id).await?;
        if !events.is_empty() && !faults.is_empty() {
            self.inject(&id, faults);
        }
        let state = self.transfer_state(&id).await?;
        if !events.is_empty() && self.crash_due(&id, CrashPoint::AfterInitiated) {
            return Err(BankError::Crashed(CrashPoint::AfterInitiated));
        }
        Ok(Executed {
            events,
            transfer: Some(state),
        })
    }

    /// A transfer's current state (loading its stream on first use).
    pub async fn transfer_state(&self, id: &TransferId) -> Result<TransferState, BankError> {
        if let Some(loaded) = self.inner.borrow().transfers.get(id) {
            return Ok(loaded.state.clone());
        }
        self.catch_up().await?;
        Ok(self
            .inner
            .borrow()
            .transfers
            .get(id)
            .map(|t| t.state.clone())
            .unwrap_or_default())
    }

    /// Decides and appends an account command. A rejection is only final once it
    /// holds on fresh state (another tab may have written).
    async fn handle_account(
        &self,
        command: &AccountCommand,
        correlation: &str,
        causation: &str,
    ) -> Result<Vec<Rc<Recorded>>, BankError> {
        let stamped = || Stamped {
            command: command.clone(),
            stamp: Stamp {
                transaction_id: self.env.new_id(),
            },
        };
        let at = Target {
            id: command.account_id(),
            stream: &command.account_id().stream(),
            correlation,
            causation,
        };
        let events = self.decide_and_append::<Account>(at, true, stamped).await?;
        if let Some(first) = events.first() {
            let before = first.version - 1;
            if account_snapshots::due(
                self.snapshot_every.get(),
                before,
                before + events.len() as u64,
            ) {
                // A cache: failing to write one costs the next load time, nothing else.
                let _ = self.snapshot_account(command.account_id()).await;
            }
        }
        Ok(events)
    }

    /// Decides and appends a transfer command, with the same conflict handling.
    async fn handle_transfer(
        &self,
        id: &TransferId,
        command: &TransferCommand,
        causation: &str,
    ) -> Result<Vec<Rc<Recorded>>, BankError> {
        let at = Target {
            id,
            stream: &id.stream(),
            correlation: id.as_str(),
            causation,
        };
        self.decide_and_append::<Transfer>(at, false, || command.clone())
            .await
    }

    /// Decides `command()` on the cached state of `at`'s stream and appends the events
    /// expecting its version. On a version conflict (another tab wrote first) it
    /// catches up and decides once more on the fresh state, up to
    /// [`CONFLICT_RETRIES`] times. With `recheck`, a rejection also catches up once
    /// and decides again before it counts. `command` is asked again for each decision
    /// (an account command gets a fresh transaction id).
    async fn decide_and_append<D: Streams>(
        &self,
        at: Target<'_, D::Id>,
        recheck: bool,
        command: impl Fn() -> D::Command,
    ) -> Result<Vec<Rc<Recorded>>, BankError> {
        self.inner.borrow().newer.check()?;
        let mut rechecked = !recheck;
        let mut conflicts = 0;
        loop {
            let decided = D::decide_loaded(&self.inner.borrow(), at.id, &command());
            let (version, events) = match decided {
                Ok(decided) => decided,
                // Our view may be stale (another tab wrote): a rejection is only final
                // once it holds on fresh state.
                Err(rejection) if !rechecked => {
                    rechecked = true;
                    if self.catch_up().await? == 0 {
                        return Err(rejection);
                    }
                    continue;
                }
                Err(rejection) => return Err(rejection),
            };
            if events.is_empty() {
                return Ok(Vec::new());
            }
            let new = self.envelopes(events, at.correlation, at.causation);
            let due = self
                .interleave
                .borrow_mut()
                .take_if(|(s, _)| s == at.stream);
            if let Some((_, write)) = due {
                write().await;
            }
            match self.store.append(at.stream, version, new).await {
                Ok(appended) => return Ok(self.record(appended).await),
                Err(StoreError::Conflict {
                    stream,
                    expected,
                    actual,
                }) if conflicts < CONFLICT_RETRIES => {
                    conflicts += 1;
                    let read_up_to = self.inner.borrow().models.last_position;
                    self.conflicts.borrow_mut().push(Conflict {
                        stream,
                        expected,
                        actual,
                        read_up_to,
                    });
                    self.catch_up().await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn envelopes(&self, events: Vec<Event>, correlation: &str, causation: &str) -> Vec<NewEvent> {
        let recorded_at = self.env.now();
        let mut cause = causation.to_owned();
        events
            .into_iter()
            .map(|event| {
                let event_id = self.env.new_id();
                NewEvent {
                    event,
                    event_id: event_id.clone(),
                    recorded_at: recorded_at.clone(),
                    correlation_id: correlation.to_owned(),
                    causation_id: std::mem::replace(&mut cause, event_id),
                }
            })
            .collect()
    }
}

/// Folds an event into the cached state of its stream. The event names its own
/// account or transfer, so the stream name need not be parsed.
fn fold_stream(inner: &mut Inner, recorded: &Recorded) {
    match recorded.event.kind() {
        EventKind::Account(e) => {
            fold_into::<Account>(&mut inner.accounts, e.account_id(), recorded);
        }
        EventKind::Transfer(e) => {
            fold_into::<Transfer>(&mut inner.transfers, e.transfer_id(), recorded);
        }
    }
}

fn fold_into<D: Streams>(
    streams: &mut HashMap<D::Id, Loaded<D::State>>,
    id: &D::Id,
    recorded: &Recorded,
) {
    if !streams.contains_key(id) {
        let loaded = Loaded {
            version: 0,
            state: D::initial_state(),
            last_event_id: String::new(),
        };
        streams.insert(id.clone(), loaded);
    }
    if let Some(entry) = streams.get_mut(id) {
        entry.state = D::evolve(std::mem::take(&mut entry.state), &recorded.event);
        entry.version = recorded.version;
        entry.last_event_id.clone_from(&recorded.event_id);
    }
}

/// Where a command's events go: the stream of `id`, and the envelope's correlation
/// and causation.
struct Target<'a, Id> {
    id: &'a Id,
    stream: &'a str,
    correlation: &'a str,
    causation: &'a str,
}

/// A decider whose streams the bank keeps loaded in memory, by id.
trait Streams: Decider<State: Default, Error: Into<BankError>> {
    type Id: Clone + Eq + std::hash::Hash;

    fn streams(inner: &Inner) -> &HashMap<Self::Id, Loaded<Self::State>>;

    /// The stream's version and the events `command` records on its cached state.
    fn decide_loaded(
        inner: &Inner,
        id: &Self::Id,
        command: &Self::Command,
    ) -> Result<(u64, Vec<Event>), BankError> {
        let decided = match Self::streams(inner).get(id) {
            Some(loaded) => Self::decide(command, &loaded.state).map(|e| (loaded.version, e)),
            None => Self::decide(command, &Self::initial_state()).map(|e| (0, e)),
        };
        decided.map_err(Into::into)
    }
}

impl Streams for Account {
    type Id = AccountId;

    fn streams(inner: &Inner) -> &HashMap<AccountId, Loaded<AccountState>> {
        &inner.accounts
    }
}

impl Streams for Transfer {
    type Id = TransferId;

    fn streams(inner: &Inner) -> &HashMap<TransferId, Loaded<TransferState>> {
        &inner.transfers
    }
}
