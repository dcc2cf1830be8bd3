//! Named locks, so that two runners never run a step of the same transfer at once.
//!
//! The saga runner takes the transfer's lock around each step and re-reads the log
//! under it, so a second runner (another tab, or a second click) waits, then sees the
//! step already done. The app only knows the [`Locks`] port; the browser passes one
//! backed by the Web Locks API (`navigator.locks`, shared by every tab of the origin),
//! native code and tests pass [`LocalLocks`], shared by the banks that hold the same
//! handle.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::LocalBoxFuture;

/// A held lock: dropping it releases the lock.
pub struct LockGuard {
    release: Option<Box<dyn FnOnce()>>,
}

impl LockGuard {
    /// A guard that calls `release` when dropped.
    pub fn new(release: impl FnOnce() + 'static) -> LockGuard {
        LockGuard {
            release: Some(Box::new(release)),
        }
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

/// A source of named, exclusive locks.
pub trait Locks {
    /// Waits for the lock `name` and holds it until the guard is dropped.
    fn acquire(&self, name: &str) -> LocalBoxFuture<'static, LockGuard>;

    /// Takes the lock `name` only if nobody holds it now (`None` otherwise).
    fn try_acquire(&self, name: &str) -> LocalBoxFuture<'static, Option<LockGuard>>;
}

/// Locks within one process (or page): every bank given a clone of the same
/// `LocalLocks` shares them. Waiters are served in the order they asked.
#[derive(Clone, Default)]
pub struct LocalLocks {
    /// For each held lock, the waiters to hand it to next.
    held: Rc<RefCell<HashMap<String, VecDeque<oneshot::Sender<LockGuard>>>>>,
}

impl LocalLocks {
    #[must_use]
    pub fn new() -> LocalLocks {
        LocalLocks::default()
    }

    /// Whether `name` is held now.
    #[must_use]
    pub fn is_held(&self, name: &str) -> bool {
        self.held.borrow().contains_key(name)
    }

    fn guard(&self, name: &str) -> LockGuard {
        let locks = self.clone();
        let name = name.to_owned();
        LockGuard::new(move || locks.release(&name))
    }

    /// Hands the lock to the next waiter still waiting, or frees it.
    fn release(&self, name: &str) {
        loop {
            let next = {
                let mut held = self.held.borrow_mut();
                let Some(waiters) = held.get_mut(name) else {
                    return;
                };
                match waiters.pop_front() {
                    Some(waiter) => waiter,
                    None => {
                        held.remove(name);
                        return;
                    }
                }
            };
            // A waiter that gave up has dropped its receiver: the guard comes back
            // (and must not release on drop), so try the next one.
            match next.send(self.guard(name)) {
                Ok(()) => return,
                Err(mut unsent) => {
                    unsent.release = None;
                }
            }
        }
    }
}

impl Locks for LocalLocks {
    fn acquire(&self, name: &str) -> LocalBoxFuture<'static, LockGuard> {
        let waiting = {
            let mut held = self.held.borrow_mut();
            match held.get_mut(name) {
                Some(waiters) => {
                    let (tx, rx) = oneshot::channel();
                    waiters.push_back(tx);
                    Some(rx)
                }
                None => {
                    held.insert(name.to_owned(), VecDeque::new());
                    None
                }
            }
        };
        let locks = self.clone();
        let name = name.to_owned();
        Box::pin(async move {
            match waiting {
                None => locks.guard(&name),
                Some(rx) => match rx.await {
                    Ok(guard) => guard,
                    // Unreachable while `locks` lives (a sender is only dropped after
                    // a send), but never hang: take the lock afresh.
                    Err(_) => locks.acquire(&name).await,
                },
            }
        })
    }

    fn try_acquire(&self, name: &str) -> LocalBoxFuture<'static, Option<LockGuard>> {
        let free = {
            let mut held = self.held.borrow_mut();
            if held.contains_key(name) {
                false
            } else {
                held.insert(name.to_owned(), VecDeque::new());
                true
            }
        };
        let guard = free.then(|| self.guard(name));
        Box::pin(async move { guard })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;

    #[test]
    fn a_second_taker_waits_until_the_first_releases() {
        let locks = LocalLocks::new();
        let order = Rc::new(RefCell::new(Vec::new()));
        let mut pool = LocalPool::new();
        let first = futures::executor::block_on(locks.acquire("t"));
        for n in 1..=2 {
            let (locks, order) = (locks.clone(), Rc::clone(&order));
            pool.spawner()
                .spawn_local(async move {
                    let _guard = locks.acquire("t").await;
                    order.borrow_mut().push(n);
                })
                .unwrap();
        }
        pool.run_until_stalled();
        assert!(order.borrow().is_empty(), "nobody gets a held lock");
        drop(first);
        pool.run_until_stalled();
        assert_eq!(*order.borrow(), [1, 2], "waiters are served in order");
        assert!(!locks.is_held("t"), "the last release frees the lock");
    }

    #[test]
    fn try_acquire_fails_while_held_and_succeeds_after() {
        let locks = LocalLocks::new();
        let held = futures::executor::block_on(locks.acquire("t"));
        assert!(futures::executor::block_on(locks.try_acquire("t")).is_none());
        assert!(futures::executor::block_on(locks.try_acquire("u")).is_some());
        drop(held);
        assert!(futures::executor::block_on(locks.try_acquire("t")).is_some());
    }

    #[test]
    fn a_waiter_that_gave_up_does_not_keep_the_lock() {
        let locks = LocalLocks::new();
        let held = futures::executor::block_on(locks.acquire("t"));
        let abandoned = locks.acquire("t");
        drop(abandoned);
        drop(held);
        assert!(!locks.is_held("t"));
        assert!(futures::executor::block_on(locks.try_acquire("t")).is_some());
    }
}
