//! Waiting for an IndexedDB transaction to commit or abort, whatever its requests did.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DomException, IdbTransaction};

/// Waits for a transaction to commit or abort, whatever its requests did.
pub(super) struct TxDone {
    tx: IdbTransaction,
    receiver: oneshot::Receiver<bool>,
    _on_complete: Closure<dyn FnMut(web_sys::Event)>,
    _on_abort: Closure<dyn FnMut(web_sys::Event)>,
}

impl TxDone {
    pub(super) fn watch(tx: IdbTransaction) -> TxDone {
        let (sender, receiver) = oneshot::channel();
        let sender = Rc::new(RefCell::new(Some(sender)));
        let on_complete_sender = Rc::clone(&sender);
        let on_complete = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Some(s) = on_complete_sender.borrow_mut().take() {
                let _ = s.send(true);
            }
        });
        let on_abort = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Some(s) = sender.borrow_mut().take() {
                let _ = s.send(false);
            }
        });
        tx.set_oncomplete(Some(on_complete.as_ref().unchecked_ref()));
        tx.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
        TxDone {
            tx,
            receiver,
            _on_complete: on_complete,
            _on_abort: on_abort,
        }
    }

    /// `Ok` once committed; the transaction's error (if it has one) once aborted.
    pub(super) async fn wait(mut self) -> Result<(), Option<DomException>> {
        if (&mut self.receiver).await.unwrap_or(false) {
            Ok(())
        } else {
            Err(self.tx.error())
        }
    }
}

impl Drop for TxDone {
    fn drop(&mut self) {
        self.tx.set_oncomplete(None);
        self.tx.set_onabort(None);
    }
}
