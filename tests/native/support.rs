//! The harness the scenarios are written in: given / when / then for the two deciders,
//! builders for commands and events, and a bank on a memory store driven by
//! `block_on`, with helpers that read balances and streams back.

#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::executor::block_on;
use pretty_assertions::assert_eq;
use sagabank::app::{Bank, BankError, CrashPoint, Env, Executed, FaultPlan, ReadModels};
use sagabank::domain::account::{
    self, AccountCommand, AccountState, CloseAccount, DepositMoney, OpenAccount, ReactivateAccount,
    Stamp, SuspendAccount, WithdrawMoney,
};
use sagabank::domain::events::{
    AccountClosed, AccountOpened, AccountReactivated, AccountSuspended, MoneyDeposited,
    MoneyWithdrawn, TransferCompleted, TransferDebited, TransferInitiated,
};
use sagabank::domain::{
    AccountId, AccountStatus, BankCommand, Event, Money, RunMode, SagaStep, TransferId,
    TransferMoney,
};
use sagabank::store::{EventStore, MemoryStore, NewEvent, Recorded, StoreError};

// ---------------------------------------------------------------------------------
// Values

/// An amount, e.g. `money("100.00")`; panics on text that is not one.
#[track_caller]
pub fn money(text: &str) -> Money {
    match Money::parse(text) {
        Ok(m) => m,
        Err(e) => panic!("bad amount in test: {e}"),
    }
}

#[track_caller]
pub fn acct(id: &str) -> AccountId {
    match AccountId::parse(id) {
        Ok(id) => id,
        Err(e) => panic!("bad account id in test: {e}"),
    }
}

#[track_caller]
pub fn tid(id: &str) -> TransferId {
    match TransferId::parse(id) {
        Ok(id) => id,
        Err(e) => panic!("bad transfer id in test: {e}"),
    }
}

pub fn account_stream(id: &str) -> String {
    format!("account-{id}")
}

pub fn transfer_stream(id: &str) -> String {
    format!("transfer-{id}")
}

// ---------------------------------------------------------------------------------
// Commands

pub fn open(id: &str, owner: &str, initial_balance: &str) -> AccountCommand {
    AccountCommand::OpenAccount(OpenAccount {
        account_id: acct(id),
        owner_name: owner.into(),
        initial_balance: money(initial_balance),
    })
}

pub fn deposit(id: &str, amount: &str, description: &str) -> AccountCommand {
    AccountCommand::DepositMoney(DepositMoney {
        account_id: acct(id),
        amount: money(amount),
        description: description.into(),
        transfer_id: None,
    })
}

pub fn withdraw(id: &str, amount: &str, description: &str) -> AccountCommand {
    AccountCommand::WithdrawMoney(WithdrawMoney {
        account_id: acct(id),
        amount: money(amount),
        description: description.into(),
        transfer_id: None,
    })
}

/// A transfer's leg as the saga sends it: a deposit carrying the transfer's id.
pub fn deposit_for(id: &str, amount: &str, transfer: &str) -> AccountCommand {
    AccountCommand::DepositMoney(DepositMoney {
        account_id: acct(id),
        amount: money(amount),
        description: String::new(),
        transfer_id: Some(tid(transfer)),
    })
}

/// A transfer's debit as the saga sends it: a withdrawal carrying the transfer's id.
pub fn withdraw_for(id: &str, amount: &str, transfer: &str) -> AccountCommand {
    AccountCommand::WithdrawMoney(WithdrawMoney {
        account_id: acct(id),
        amount: money(amount),
        description: String::new(),
        transfer_id: Some(tid(transfer)),
    })
}

pub fn suspend(id: &str, reason: &str) -> AccountCommand {
    AccountCommand::SuspendAccount(SuspendAccount {
        account_id: acct(id),
        reason: reason.into(),
    })
}

pub fn reactivate(id: &str) -> AccountCommand {
    AccountCommand::ReactivateAccount(ReactivateAccount {
        account_id: acct(id),
    })
}

pub fn close(id: &str) -> AccountCommand {
    AccountCommand::CloseAccount(CloseAccount {
        account_id: acct(id),
    })
}

pub fn transfer(id: &str, from: &str, to: &str, amount: &str, description: &str) -> TransferMoney {
    TransferMoney {
        transfer_id: tid(id),
        from_account_id: acct(from),
        to_account_id: acct(to),
        amount: money(amount),
        description: description.into(),
    }
}

/// Anything the bank's `execute` takes.
pub trait Cmd {
    fn into_bank(self) -> BankCommand;
}

impl Cmd for BankCommand {
    fn into_bank(self) -> BankCommand {
        self
    }
}

impl Cmd for AccountCommand {
    fn into_bank(self) -> BankCommand {
        BankCommand::from(self)
    }
}

impl Cmd for TransferMoney {
    fn into_bank(self) -> BankCommand {
        BankCommand::TransferMoney(self)
    }
}

// ---------------------------------------------------------------------------------
// Events

/// The transaction id the account harness stamps on every movement.
pub const TX: &str = "tx-1";

pub fn opened(id: &str, owner: &str, initial_balance: &str) -> Event {
    Event::AccountOpened(AccountOpened {
        account_id: acct(id),
        owner_name: owner.into(),
        initial_balance: money(initial_balance),
    })
}

pub fn deposited(id: &str, amount: &str, description: &str) -> Event {
    Event::MoneyDeposited(MoneyDeposited {
        account_id: acct(id),
        amount: money(amount),
        transaction_id: TX.into(),
        description: description.into(),
        transfer_id: None,
    })
}

pub fn withdrawn(id: &str, amount: &str, description: &str) -> Event {
    Event::MoneyWithdrawn(MoneyWithdrawn {
        account_id: acct(id),
        amount: money(amount),
        transaction_id: TX.into(),
        description: description.into(),
        transfer_id: None,
    })
}

pub fn deposited_for(id: &str, amount: &str, transfer: &str) -> Event {
    Event::MoneyDeposited(MoneyDeposited {
        account_id: acct(id),
        amount: money(amount),
        transaction_id: TX.into(),
        description: String::new(),
        transfer_id: Some(tid(transfer)),
    })
}

pub fn withdrawn_for(id: &str, amount: &str, transfer: &str) -> Event {
    Event::MoneyWithdrawn(MoneyWithdrawn {
        account_id: acct(id),
        amount: money(amount),
        transaction_id: TX.into(),
        description: String::new(),
        transfer_id: Some(tid(transfer)),
    })
}

pub fn suspended(id: &str, reason: &str) -> Event {
    Event::AccountSuspended(AccountSuspended {
        account_id: acct(id),
        reason: reason.into(),
    })
}

pub fn reactivated(id: &str) -> Event {
    Event::AccountReactivated(AccountReactivated {
        account_id: acct(id),
    })
}

pub fn closed(id: &str, final_balance: &str) -> Event {
    Event::AccountClosed(AccountClosed {
        account_id: acct(id),
        final_balance: money(final_balance),
    })
}

pub fn initiated(id: &str, from: &str, to: &str, amount: &str, description: &str) -> Event {
    Event::TransferInitiated(TransferInitiated {
        transfer_id: tid(id),
        from_account_id: acct(from),
        to_account_id: acct(to),
        amount: money(amount),
        description: description.into(),
        run_mode: RunMode::Auto,
    })
}

pub fn debited(id: &str, from: &str, to: &str, amount: &str) -> Event {
    Event::TransferDebited(TransferDebited {
        transfer_id: tid(id),
        from_account_id: acct(from),
        to_account_id: acct(to),
        amount: money(amount),
    })
}

pub fn completed(id: &str, from: &str, to: &str, amount: &str) -> Event {
    Event::TransferCompleted(TransferCompleted {
        transfer_id: tid(id),
        from_account_id: acct(from),
        to_account_id: acct(to),
        amount: money(amount),
    })
}

// ---------------------------------------------------------------------------------
// Given / when / then for the account decider

pub mod accounts {
    use super::*;
    use pretty_assertions::assert_eq;
    use sagabank::domain::AccountError;

    /// An account with a history.
    pub struct Given {
        state: AccountState,
    }

    /// Folds `history` into an account, as the app does when it loads a stream.
    pub fn given(history: impl IntoIterator<Item = Event>) -> Given {
        let state = history
            .into_iter()
            .fold(account::initial_state(), |s, e| account::evolve(s, &e));
        Given { state }
    }

    impl Given {
        pub fn state(&self) -> &AccountState {
            &self.state
        }

        pub fn when(self, command: AccountCommand) -> When {
            let stamp = Stamp {
                transaction_id: TX.into(),
            };
            let result = account::decide(&command, &self.state, &stamp);
            When {
                state: self.state,
                result,
            }
        }
    }

    /// What the decider answered.
    pub struct When {
        state: AccountState,
        result: Result<Vec<Event>, AccountError>,
    }

    impl When {
        /// Asserts exactly these events, in order; returns the state they lead to.
        #[track_caller]
        pub fn then(self, expected: impl IntoIterator<Item = Event>) -> AccountState {
            let expected: Vec<Event> = expected.into_iter().collect();
            match self.result {
                Ok(events) => {
                    assert_eq!(events, expected, "the decided events");
                    events.iter().fold(self.state, account::evolve)
                }
                Err(e) => panic!("expected events {expected:?}, the command was rejected: {e}"),
            }
        }

        /// Asserts the command is rejected with exactly this error; returns its message.
        #[track_caller]
        pub fn then_err(self, expected: AccountError) -> String {
            match self.result {
                Ok(events) => panic!("expected rejection {expected:?}, got events {events:?}"),
                Err(e) => {
                    assert_eq!(e, expected, "the rejection");
                    e.to_string()
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Given / when / then for the transfer decider

pub mod transfers {
    use super::*;
    use pretty_assertions::assert_eq;
    use sagabank::domain::transfer::{self, TransferCommand, TransferState};
    use sagabank::domain::TransferError;

    pub struct Given {
        state: TransferState,
    }

    pub fn given(history: impl IntoIterator<Item = Event>) -> Given {
        let state = history
            .into_iter()
            .fold(transfer::initial_state(), |s, e| transfer::evolve(s, &e));
        Given { state }
    }

    impl Given {
        pub fn state(&self) -> &TransferState {
            &self.state
        }

        pub fn when(self, command: TransferCommand) -> When {
            let result = transfer::decide(&command, &self.state);
            When {
                state: self.state,
                result,
            }
        }
    }

    pub struct When {
        state: TransferState,
        result: Result<Vec<Event>, TransferError>,
    }

    impl When {
        /// Asserts exactly these events, in order; returns the state they lead to.
        #[track_caller]
        pub fn then(self, expected: impl IntoIterator<Item = Event>) -> TransferState {
            let expected: Vec<Event> = expected.into_iter().collect();
            match self.result {
                Ok(events) => {
                    assert_eq!(events, expected, "the decided events");
                    events.iter().fold(self.state, transfer::evolve)
                }
                Err(e) => panic!("expected events {expected:?}, the command was rejected: {e}"),
            }
        }

        /// The decided events, for checks on single fields (e.g. a reason's wording).
        #[track_caller]
        pub fn events(self) -> Vec<Event> {
            match self.result {
                Ok(events) => events,
                Err(e) => panic!("expected events, the command was rejected: {e}"),
            }
        }

        #[track_caller]
        pub fn then_err(self, expected: TransferError) -> String {
            match self.result {
                Ok(events) => panic!("expected rejection {expected:?}, got events {events:?}"),
                Err(e) => {
                    assert_eq!(e, expected, "the rejection");
                    e.to_string()
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// A bank on a memory store

pub type TestBank = Bank<MemoryStore>;

/// A bank on a new, empty memory store, with the fixed clock and ids `t-1`, `t-2`...
pub fn new_bank() -> TestBank {
    bank_on(&MemoryStore::new(), "t")
}

/// Another bank (another tab, or the app after a reload) on the same log.
/// `prefix` keeps its ids apart from the first bank's.
pub fn bank_on(store: &MemoryStore, prefix: &str) -> TestBank {
    block_on(Bank::open(store.clone(), Env::fixed(prefix))).expect("a bank opens on memory")
}

/// A new bank with these accounts opened: `(id, owner, initial balance)`.
#[track_caller]
pub fn bank_with(accounts: &[(&str, &str, &str)]) -> TestBank {
    let bank = new_bank();
    for (id, owner, balance) in accounts {
        ok(&bank, open(id, owner, balance));
    }
    bank
}

pub fn exec<S: EventStore>(bank: &Bank<S>, command: impl Cmd) -> Result<Executed, BankError> {
    block_on(bank.execute(command.into_bank()))
}

/// Executes a command that must succeed.
#[track_caller]
pub fn ok<S: EventStore>(bank: &Bank<S>, command: impl Cmd) -> Executed {
    let command = command.into_bank();
    let name = command.name();
    match block_on(bank.execute(command)) {
        Ok(done) => done,
        Err(e) => panic!("{name} was rejected: {e}"),
    }
}

/// Executes a command that must be rejected, and checks nothing was written.
#[track_caller]
pub fn rejected(bank: &TestBank, command: impl Cmd) -> BankError {
    let before = bank.store().len();
    let models_before = bank.models();
    let command = command.into_bank();
    let name = command.name();
    let error = match block_on(bank.execute(command)) {
        Ok(done) => panic!("{name} should be rejected, it wrote {:?}", types(&done)),
        Err(e) => e,
    };
    assert_eq!(
        bank.store().len(),
        before,
        "a rejected {name} writes nothing"
    );
    assert_eq!(
        bank.models(),
        models_before,
        "a rejected {name} changes no view"
    );
    error
}

/// The event types a command appended, in order.
pub fn types(executed: &Executed) -> Vec<&'static str> {
    executed.events.iter().map(|r| r.event_type()).collect()
}

/// Every stored event, in commit order.
pub fn log(store: &MemoryStore) -> Vec<Rc<Recorded>> {
    block_on(store.read_all(1)).expect("memory reads")
}

/// The whole log as the read models take it.
pub fn log_rc(store: &MemoryStore) -> Vec<Rc<Recorded>> {
    log(store)
}

/// `(stream, type)` of every stored event, in commit order.
pub fn log_types(store: &MemoryStore) -> Vec<(String, &'static str)> {
    log(store)
        .iter()
        .map(|r| (r.stream.clone(), r.event_type()))
        .collect()
}

pub fn recorded_of(store: &MemoryStore, stream: &str) -> Vec<Rc<Recorded>> {
    block_on(store.read_stream(stream, 1)).expect("memory reads")
}

/// The events of one stream.
pub fn stream_events(store: &MemoryStore, stream: &str) -> Vec<Event> {
    recorded_of(store, stream)
        .into_iter()
        .map(|r| r.event.clone())
        .collect()
}

/// The event types of one stream, e.g. `["TransferInitiated", "TransferDebited"]`.
pub fn events_of(store: &MemoryStore, stream: &str) -> Vec<&'static str> {
    recorded_of(store, stream)
        .iter()
        .map(|r| r.event_type())
        .collect()
}

pub fn stream_exists(store: &MemoryStore, stream: &str) -> bool {
    !recorded_of(store, stream).is_empty()
}

/// An account's state folded straight from its stream by the domain's `evolve`.
pub fn folded(store: &MemoryStore, id: &str) -> AccountState {
    stream_events(store, &account_stream(id))
        .iter()
        .fold(account::initial_state(), account::evolve)
}

/// An account's balance as the bank shows it, e.g. `"100.00"`. Also checks it equals
/// the balance folded from the stored stream.
#[track_caller]
pub fn balance(bank: &TestBank, id: &str) -> String {
    let shown = bank
        .read(|m| m.accounts.get(&acct(id)).map(|a| a.balance))
        .expect_in_models(id);
    assert_eq!(
        shown,
        folded(bank.store(), id).balance(),
        "the read model and the stream disagree on {id}'s balance"
    );
    shown.to_string()
}

/// An account's status as the bank shows it (checked against the stream's fold).
#[track_caller]
pub fn status(bank: &TestBank, id: &str) -> AccountStatus {
    let shown = bank
        .read(|m| m.accounts.get(&acct(id)).map(|a| a.status))
        .expect_in_models(id);
    assert_eq!(
        Some(shown),
        folded(bank.store(), id).status(),
        "the read model and the stream disagree on {id}'s status"
    );
    shown
}

/// An account's version as the bank shows it (checked against the stream's length).
#[track_caller]
pub fn version(bank: &TestBank, id: &str) -> u64 {
    let shown = bank
        .read(|m| m.accounts.get(&acct(id)).map(|a| a.version))
        .expect_in_models(id);
    let stored = recorded_of(bank.store(), &account_stream(id));
    assert_eq!(
        shown,
        stored.last().map_or(0, |r| r.version),
        "the read model and the stream disagree on {id}'s version"
    );
    assert_eq!(shown, stored.len() as u64, "stream versions are gap-free");
    shown
}

/// A transfer's state as the bank knows it.
pub fn transfer_state(bank: &TestBank, id: &str) -> sagabank::domain::transfer::TransferState {
    block_on(bank.transfer_state(&tid(id))).expect("transfer state loads")
}

/// A transfer's label as the read models show it, e.g. `"completed"`.
#[track_caller]
pub fn transfer_label(bank: &TestBank, id: &str) -> &'static str {
    bank.read(|m| m.transfers.get(&tid(id)).map(|t| t.state.label()))
        .expect_in_models(id)
}

/// The live read models equal a rebuild from the whole log.
#[track_caller]
pub fn assert_models_match_log(bank: &TestBank) {
    let rebuilt = ReadModels::rebuild(&log_rc(bank.store()));
    assert_eq!(
        bank.models(),
        rebuilt,
        "live read models == rebuilt read models"
    );
}

/// A bank put through every kind of event: the seed demo, plain movements, a whole
/// account lifecycle, a compensation, retries, a crash resumed, step mode, rejections.
pub fn busy(bank: &TestBank) {
    ok(bank, open("alice-123", "Alice", "1000.00"));
    ok(bank, open("bob-456", "Bob", "500.00"));
    ok(bank, open("carol", "Carol", "0.00"));
    ok(
        bank,
        transfer(
            "transfer-789",
            "alice-123",
            "bob-456",
            "250.00",
            "Payment for services",
        ),
    );
    ok(
        bank,
        transfer("transfer-999", "bob-456", "alice-123", "10000.00", ""),
    );
    ok(bank, deposit("alice-123", "40.00", "salary"));
    ok(bank, withdraw("bob-456", "15.00", "cash"));
    rejected(bank, withdraw("bob-456", "100000.00", "too much"));
    rejected(bank, transfer("t-self", "bob-456", "bob-456", "1.00", ""));
    ok(bank, suspend("carol", "moving abroad"));
    ok(bank, reactivate("carol"));
    ok(bank, close("carol"));
    ok(
        bank,
        transfer("t-closed", "alice-123", "carol", "100.00", "to the void"),
    );
    bank.inject(
        &tid("t-flaky"),
        FaultPlan {
            transient: Some((SagaStep::Credit, 2)),
            ..FaultPlan::default()
        },
    );
    ok(
        bank,
        transfer("t-flaky", "bob-456", "alice-123", "5.00", ""),
    );
    bank.inject(
        &tid("t-crash"),
        FaultPlan {
            crash: Some(CrashPoint::AfterLeg(SagaStep::Debit)),
            ..FaultPlan::default()
        },
    );
    assert!(exec(
        bank,
        transfer("t-crash", "alice-123", "bob-456", "30.00", "")
    )
    .is_err());
    block_on(bank.run_transfer(&tid("t-crash"))).unwrap();
    block_on(bank.start_transfer(transfer("t-step", "bob-456", "alice-123", "1.00", ""))).unwrap();
    block_on(bank.step(&tid("t-step"))).unwrap();
    block_on(bank.step(&tid("t-step"))).unwrap();
}

// ---------------------------------------------------------------------------------
// Store wrappers

/// A store that pauses once before every append, so two banks joined in one task both
/// decide before either writes: a real interleaving of two tabs.
#[derive(Clone)]
pub struct Yielding<S>(pub S);

/// Two banks ("tab1", "tab2") on the log in `store`, through [`Yielding`], so commands
/// joined in one task interleave like two tabs.
pub fn yielding_tabs<S: EventStore + Clone>(store: &S) -> (Bank<Yielding<S>>, Bank<Yielding<S>>) {
    let tab = |name| {
        block_on(Bank::open(Yielding(store.clone()), Env::fixed(name))).expect("a bank opens")
    };
    (tab("tab1"), tab("tab2"))
}

/// A future that is pending once, then ready: lets joined tasks interleave.
pub struct YieldOnce(pub bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl<S: EventStore> EventStore for Yielding<S> {
    async fn append(
        &self,
        stream: &str,
        expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        YieldOnce(false).await;
        self.0.append(stream, expected_version, events).await
    }

    async fn read_stream(&self, stream: &str, from: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.read_stream(stream, from).await
    }

    async fn read_all(&self, from: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.read_all(from).await
    }

    async fn restore(&self, events: &[Recorded]) -> Result<(), StoreError> {
        sagabank::store::restore::restore_by_append(self, events).await
    }
}

/// A broken store that ignores `expected_version` and always appends at the end of
/// the stream: the reference's missing optimistic concurrency.
#[derive(Clone, Default)]
pub struct Careless(pub MemoryStore);

impl EventStore for Careless {
    async fn append(
        &self,
        stream: &str,
        _expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        let current = self.0.read_stream(stream, 1).await?.len() as u64;
        self.0.append(stream, current, events).await
    }

    async fn read_stream(&self, stream: &str, from: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.read_stream(stream, from).await
    }

    async fn read_all(&self, from: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.0.read_all(from).await
    }

    async fn restore(&self, events: &[Recorded]) -> Result<(), StoreError> {
        sagabank::store::restore::restore_by_append(self, events).await
    }
}

/// `Option::expect` with a message naming the id, reported at the test's line.
trait ExpectInModels<T> {
    fn expect_in_models(self, id: &str) -> T;
}

impl<T> ExpectInModels<T> for Option<T> {
    #[track_caller]
    fn expect_in_models(self, id: &str) -> T {
        match self {
            Some(v) => v,
            None => panic!("{id} is not in the read models"),
        }
    }
}
