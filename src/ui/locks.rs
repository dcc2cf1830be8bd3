//! The app's [`Locks`] port on the browser's Web Locks API (`navigator.locks`): one
//! lock per name across every tab of the origin, released when the guard is dropped or
//! the tab goes away. Where the API is missing (an insecure context, an old browser)
//! the page falls back to locks of its own, which still order the steps of this tab.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::LocalBoxFuture;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::app::{LocalLocks, LockGuard, Locks};

/// Web Locks, with names scoped to one database so two banks never share a lock.
pub struct WebLocks {
    manager: Object,
    request: Function,
    scope: String,
}

impl WebLocks {
    /// Locks for the bank on database `db_name`: Web Locks if the browser has them,
    /// else this page's own.
    #[must_use]
    pub fn for_db(db_name: &str) -> Rc<dyn Locks> {
        match WebLocks::new(db_name) {
            Some(locks) => Rc::new(locks),
            None => Rc::new(LocalLocks::new()),
        }
    }

    /// Web Locks scoped to `db_name`, or `None` where `navigator.locks` is missing.
    #[must_use]
    pub fn new(db_name: &str) -> Option<WebLocks> {
        // Through Reflect: `LockManager` is behind web-sys' unstable APIs.
        let window: JsValue = web_sys::window()?.into();
        let navigator = Reflect::get(&window, &"navigator".into()).ok()?;
        let manager = Reflect::get(&navigator, &"locks".into()).ok()?;
        let manager: Object = manager.dyn_into().ok()?;
        let request: Function = Reflect::get(&manager, &"request".into())
            .ok()?
            .dyn_into()
            .ok()?;
        Some(WebLocks {
            manager,
            request,
            scope: format!("sagabank/{db_name}/"),
        })
    }

    /// Asks for the lock; the future gives the guard once granted (`None` when
    /// `if_available` was set and someone else holds it, or the request failed).
    fn ask(&self, name: &str, if_available: bool) -> LocalBoxFuture<'static, Option<LockGuard>> {
        let (granted_tx, granted_rx) = oneshot::channel::<Option<Function>>();
        // Taken by whichever comes first: the browser's call with the lock, or the
        // request's failure (a framed page with third-party storage blocked is refused
        // with a SecurityError before any call). Without the second, such a refusal
        // would leave the step waiting for ever.
        let granted_tx = Rc::new(RefCell::new(Some(granted_tx)));
        let on_failure = Rc::clone(&granted_tx);
        // Called by the browser with the lock (or null); the lock is held until the
        // promise it returns settles, which the guard's drop does.
        let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
            let Some(granted_tx) = granted_tx.borrow_mut().take() else {
                return Promise::resolve(&JsValue::UNDEFINED);
            };
            if lock.is_null() || lock.is_undefined() {
                let _ = granted_tx.send(None);
                return Promise::resolve(&JsValue::UNDEFINED);
            }
            let mut release = None;
            let held = Promise::new(&mut |resolve, _reject| release = Some(resolve));
            if let Err(Some(unwanted)) = granted_tx.send(release) {
                // Nobody waits any more: let go at once.
                let _ = unwanted.call0(&JsValue::UNDEFINED);
            }
            held
        });
        let options = Object::new();
        let _ = Reflect::set(&options, &"ifAvailable".into(), &if_available.into());
        let full_name = JsValue::from_str(&format!("{}{name}", self.scope));
        let asked = self
            .request
            .call3(&self.manager, &full_name, &options, &callback);
        match asked.ok().and_then(|p| p.dyn_into::<Promise>().ok()) {
            Some(promise) => {
                // The request's own promise settles when the lock is let go. A
                // rejection before the lock was granted is a refusal: no lock.
                wasm_bindgen_futures::spawn_local(async move {
                    if wasm_bindgen_futures::JsFuture::from(promise).await.is_err() {
                        if let Some(granted_tx) = on_failure.borrow_mut().take() {
                            let _ = granted_tx.send(None);
                        }
                    }
                });
            }
            None => return Box::pin(async { None }),
        }
        Box::pin(async move {
            let release = granted_rx.await.ok().flatten()?;
            Some(LockGuard::new(move || {
                let _ = release.call0(&JsValue::UNDEFINED);
            }))
        })
    }
}

impl Locks for WebLocks {
    fn acquire(&self, name: &str) -> LocalBoxFuture<'static, LockGuard> {
        let asked = self.ask(name, false);
        Box::pin(async move {
            // Without `ifAvailable` the browser grants or the request fails; a failed
            // request leaves the step unlocked rather than never run.
            asked.await.unwrap_or_else(|| LockGuard::new(|| {}))
        })
    }

    fn try_acquire(&self, name: &str) -> LocalBoxFuture<'static, Option<LockGuard>> {
        self.ask(name, true)
    }
}
