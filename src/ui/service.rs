//! The bank as the UI holds it: one [`BankHandle`] in context (see [`use_bank`]),
//! wrapping the app-layer `Bank` over whichever browser store was opened, plus what
//! the page knows about that store. Components dispatch commands through it and read
//! the read models through it; they never compute a balance themselves. What is
//! selected and what the page says are beside it, in [`super::page`].

use std::rc::Rc;

use leptos::prelude::*;

use crate::app::delivery::DeliveryView;
use crate::app::views::moments::refusal_words;
use crate::app::{Bank, BankError, Delivery, Env, ReadModels};
use crate::domain::BankCommand;
use crate::store::any::{AnyStore, ChangeNotifier, Notice, StoreKind};

/// Where delivery stands, for the course's notes (see [`BankHandle::delivery_state`]).
pub struct DeliveryState {
    pub log: u64,
    pub shown: u64,
    pub waited: Option<crate::app::delivery::Waited>,
    pub ignored: Vec<u64>,
}

/// The bank the page runs on.
pub type BrowserBank = Bank<AnyStore>;

/// What hears of each command the rules refused, with the command when the page knew
/// it (see [`BankHandle::on_refusal`]).
type RefusalListener = Box<dyn Fn(&BankError, Option<&BankCommand>)>;

/// Where the page's bank lives and what the page knows about its store.
#[derive(Clone, Copy)]
pub struct BankHandle {
    bank: StoredValue<Option<Rc<BrowserBank>>, LocalStorage>,
    /// Bumped whenever the read models change; components track it.
    tick: RwSignal<u64>,
    /// Which storage backs the bank, and its database name.
    pub store_kind: RwSignal<StoreKind>,
    pub db_name: RwSignal<String>,
    /// Tells other tabs on the same database about our appends, and us about theirs.
    notifier: StoredValue<Option<ChangeNotifier>, LocalStorage>,
    /// The global position the page started at (events after it were made here).
    pub boot_position: RwSignal<u64>,
    /// The database another tab on ours moved to (a scenario, an import, a reset),
    /// until this tab follows it or chooses to stay.
    pub moved_to: RwSignal<Option<String>>,
    /// What a newer build wrote, once met: the page shows [`super::newer`] instead.
    pub newer_version: RwSignal<Option<String>>,
    /// Why this tab reloaded on another bank (another tab deleted the one it showed),
    /// until the page shows another bank again.
    pub reopened: RwSignal<Option<String>>,
    /// Told of each command the rules refused (the course notes them).
    on_refusal: StoredValue<Option<RefusalListener>, LocalStorage>,
    /// How the log's events reach the read models the page shows (live by default).
    delivery: StoredValue<Delivery, LocalStorage>,
    /// Bumped whenever the delivery changes what the page's read models show.
    delivered: RwSignal<u64>,
}

impl BankHandle {
    /// A handle with no bank yet.
    #[must_use]
    pub fn new() -> BankHandle {
        BankHandle {
            bank: StoredValue::new_local(None),
            notifier: StoredValue::new_local(None),
            tick: RwSignal::new(0),
            store_kind: RwSignal::new(StoreKind::Memory),
            db_name: RwSignal::new(String::new()),
            boot_position: RwSignal::new(0),
            moved_to: RwSignal::new(None),
            newer_version: RwSignal::new(None),
            reopened: RwSignal::new(None),
            on_refusal: StoredValue::new_local(None),
            delivery: StoredValue::new_local(Delivery::live()),
            delivered: RwSignal::new(0),
        }
    }

    /// Puts `bank` behind the handle (at start-up, or when a scenario or import
    /// replaces the store) and keeps the page in step with its events, and with other
    /// tabs on the same database.
    pub fn install(&self, bank: BrowserBank, db_name: &str) {
        let tick = self.tick;
        let notifier = self.notifier;
        let handle = *self;
        bank.subscribe(move |events| {
            handle.deliver(events);
            if let Some(last) = events.last() {
                tick.set(last.position);
                notifier.with_value(|n| {
                    if let Some(n) = n {
                        n.post(last.position);
                    }
                });
            }
        });
        let new_notifier = if bank.store().kind().is_persistent() {
            ChangeNotifier::new(db_name).ok()
        } else {
            None
        };
        if let Some(n) = &new_notifier {
            let handle = *self;
            n.on_message(move |notice| match notice {
                Notice::Appended(position) if position > handle.last_position_untracked() => {
                    if let Some(bank) = handle.bank() {
                        leptos::task::spawn_local(async move {
                            if let Err(e) = bank.catch_up().await {
                                handle.note_store_error(&e);
                            }
                        });
                    }
                }
                Notice::Appended(_) => {}
                Notice::Moved(db) => handle.moved_to.set(Some(db)),
            });
        }
        // The tabs still on the old database hear that this one moved on.
        let old_db = self.db_name.get_untracked();
        let kept = bank.store().kind().is_persistent();
        self.notifier.with_value(|old| {
            if let Some(old) = old {
                if kept && old_db != db_name {
                    old.post_moved(db_name);
                }
            }
        });
        self.moved_to.set(None);
        self.reopened.set(None);
        self.notifier.set_value(new_notifier);
        self.db_name.set(db_name.to_owned());
        self.store_kind.set(bank.store().kind());
        let position = bank.read(|m| m.last_position);
        self.boot_position.set(position);
        self.bank.set_value(Some(Rc::new(bank)));
        // A new bank starts live: its read models are its log's.
        self.delivery.set_value(Delivery::live());
        self.delivered.update(|n| *n += 1);
        // `set` notifies even when the position is unchanged: a new bank is news.
        self.tick.set(position);
    }

    /// The bank, if one is installed.
    #[must_use]
    pub fn bank(&self) -> Option<Rc<BrowserBank>> {
        self.bank.get_value()
    }

    /// Reads the read models, tracking changes (call it inside reactive closures).
    pub fn read<R>(&self, f: impl FnOnce(&ReadModels) -> R) -> Option<R> {
        self.tick.track();
        self.bank
            .with_value(|bank| bank.as_ref().map(|b| b.read(f)))
    }

    /// Reads the read models the page shows (balances, statements, transfers), as far
    /// as delivery has brought them: the bank's own when live. Tracked.
    pub fn read_shown<R>(&self, f: impl FnOnce(&ReadModels) -> R) -> Option<R> {
        self.delivered.track();
        let delivery = self.delivery;
        self.read(|log| delivery.with_value(|d| f(d.models(log))))
    }

    /// What the delivery control shows (tracked).
    #[must_use]
    pub fn delivery_view(&self) -> Option<DeliveryView> {
        self.delivered.track();
        let delivery = self.delivery;
        self.read(|log| delivery.with_value(|d| d.view(log)))
    }

    /// The log's position, the read models' (as delivered), the last read of the
    /// page's write that had to wait, and the positions whose second delivery the
    /// read models ignored (tracked).
    #[must_use]
    pub fn delivery_state(&self) -> Option<DeliveryState> {
        self.delivered.track();
        let delivery = self.delivery;
        self.read(|log| {
            delivery.with_value(|d| DeliveryState {
                log: log.last_position,
                shown: d.position(log),
                waited: d.waited(),
                ignored: d.ignored().to_vec(),
            })
        })
    }

    /// Changes the delivery (pause, resume, deliver next, deliver twice, wait for a
    /// write) against the bank's log; returns what `f` says.
    pub fn with_delivery<R>(&self, f: impl FnOnce(&mut Delivery, &ReadModels) -> R) -> Option<R> {
        let bank = self.bank()?;
        let out = bank.read(|log| {
            let mut out = None;
            self.delivery.update_value(|d| out = Some(f(d, log)));
            out
        });
        self.delivered.update(|n| *n += 1);
        out
    }

    /// Passes the bank's new events to the delivery (nothing to do when live).
    fn deliver(&self, events: &[std::rc::Rc<crate::store::Recorded>]) {
        let live = self
            .delivery
            .with_value(|d| !d.is_paused() && !d.is_twice());
        if !live {
            self.with_delivery(|d, log| d.appended(events, log));
        }
    }

    fn last_position_untracked(&self) -> u64 {
        self.bank
            .with_value(|bank| bank.as_ref().map(|b| b.read(|m| m.last_position)))
            .unwrap_or(0)
    }

    /// The position of the newest event (tracked).
    #[must_use]
    pub fn last_position(&self) -> u64 {
        self.read(|m| m.last_position).unwrap_or(0)
    }

    /// Calls `f` with each error a command meets from now on (see
    /// [`BankHandle::note_bank_error`]).
    pub fn on_refusal(&self, f: impl Fn(&BankError, Option<&BankCommand>) + 'static) {
        self.on_refusal.set_value(Some(Box::new(f)));
    }

    /// Tells the listener set by [`BankHandle::on_refusal`], if any, of `error` (met by
    /// `command`, when known).
    pub fn tell_refusal(&self, error: &BankError, command: Option<&BankCommand>) {
        self.on_refusal.with_value(|f| {
            if let Some(f) = f {
                f(error, command);
            }
        });
    }
}

impl Default for BankHandle {
    fn default() -> Self {
        BankHandle::new()
    }
}

/// The page's bank handle.
#[must_use]
pub fn use_bank() -> BankHandle {
    expect_context::<BankHandle>()
}

/// The browser's clock, an id prefix random enough that two tabs never collide, and
/// the Web Locks of the bank on database `db_name` (shared by every tab on it).
#[must_use]
pub fn browser_env(db_name: &str) -> Env {
    let random = (js_sys::Math::random() * 2_176_782_336.0) as u64; // 36^6
    Env::new(|| js_sys::Date::now() as u64, to_base36(random))
        .with_locks(super::locks::WebLocks::for_db(db_name))
}

fn to_base36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl BankHandle {
    /// Runs a command on the bank (for a [`super::action::Command`]); the error's text
    /// is the domain's own message, and for a refusal "0 events written" and where the
    /// log still stands.
    ///
    /// # Errors
    /// Why the bank refused or failed the command.
    pub async fn execute(
        self,
        command: crate::domain::BankCommand,
    ) -> Result<crate::app::Executed, String> {
        let bank = self.bank().ok_or("The bank is not open yet.")?;
        let about = command.clone();
        let executed = bank.execute(command).await.map_err(|e| {
            self.note_command_error(&e, Some(&about));
            refusal_words(&e, untrack(|| self.last_position()))
        })?;
        // Read-your-writes: the command's log position, for a read that waits for it.
        if let Some(last) = executed.events.last() {
            let position = last.position;
            self.delivery.update_value(|d| d.wrote(position));
        }
        Ok(executed)
    }

    /// An operator's retry of transfer `id`'s refused refund into `to`, because of
    /// `reason` (see [`crate::app::Bank::retry_refund`]); errors as for
    /// [`BankHandle::execute`].
    ///
    /// # Errors
    /// Why the bank refused or failed the fix.
    pub async fn retry_refund(
        self,
        id: crate::domain::TransferId,
        to: crate::domain::AccountId,
        reason: String,
    ) -> Result<crate::app::Executed, String> {
        let bank = self.bank().ok_or("The bank is not open yet.")?;
        bank.retry_refund(&id, &to, &reason).await.map_err(|e| {
            self.note_command_error(&e, None);
            refusal_words(&e, untrack(|| self.last_position()))
        })
    }
}
