//! What the app takes from the outside world: the time, fresh ids and named locks.
//! Native code and tests pass a fixed clock, a counter and in-process locks; the
//! browser passes `Date.now()`, a random prefix (so two tabs never mint the same id)
//! and the Web Locks API (so two tabs never run one transfer's step at once).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, UNIX_EPOCH};

use super::locks::{LocalLocks, Locks};

/// The clock and id source of one bank instance.
pub struct Env {
    clock: Box<dyn Fn() -> u64>,
    prefix: String,
    counter: Cell<u64>,
    /// The last millisecond formatted, and its text (many events share one).
    last_time: RefCell<(u64, String)>,
    locks: Rc<dyn Locks>,
}

impl Env {
    /// `clock` returns milliseconds since the Unix epoch; `prefix` starts every id.
    pub fn new(clock: impl Fn() -> u64 + 'static, prefix: impl Into<String>) -> Env {
        Env {
            clock: Box::new(clock),
            prefix: prefix.into(),
            counter: Cell::new(0),
            last_time: RefCell::new((u64::MAX, String::new())),
            locks: Rc::new(LocalLocks::new()),
        }
    }

    /// The same environment taking its locks from `locks` (by default each `Env` has
    /// locks of its own: give two banks the same `locks` to make them take turns).
    #[must_use]
    pub fn with_locks(mut self, locks: Rc<dyn Locks>) -> Env {
        self.locks = locks;
        self
    }

    /// Where the saga runner takes its locks.
    #[must_use]
    pub fn locks(&self) -> &dyn Locks {
        &*self.locks
    }

    /// A deterministic environment: the clock starts at 2026-11-26T14:00:00Z and
    /// advances one millisecond per reading; ids are `<prefix>-1`, `<prefix>-2`, ...
    #[must_use]
    pub fn fixed(prefix: &str) -> Env {
        let tick = Cell::new(1_795_701_600_000_u64);
        Env::new(
            move || {
                let now = tick.get();
                tick.set(now + 1);
                now
            },
            prefix,
        )
    }

    /// A fresh id, unique within this environment.
    pub fn new_id(&self) -> String {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        format!("{}-{n}", self.prefix)
    }

    /// The current time in RFC 3339 with milliseconds, e.g. `2026-11-26T14:00:00.000Z`.
    pub fn now(&self) -> String {
        let ms = (self.clock)();
        let mut last = self.last_time.borrow_mut();
        if last.0 != ms {
            let time = UNIX_EPOCH + Duration::from_millis(ms);
            *last = (ms, humantime::format_rfc3339_millis(time).to_string());
        }
        last.1.clone()
    }
}
