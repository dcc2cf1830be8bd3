//! What an IndexedDB failure means to the app, and how a message names a record: shared
//! by the store and its child modules (a leaf, so none of them depends on another
//! through it).

use wasm_bindgen::JsCast;
use web_sys::DomException;

use crate::store::skew::connection_closed;
use crate::store::StoreError;

/// Where an event record is, for messages.
pub(super) fn at(position: u64) -> String {
    format!("event at position {position}")
}

/// What an IndexedDB failure on an open connection means to the app.
/// `QuotaExceededError` is [`StoreError::QuotaExceeded`]; a closed connection
/// (`InvalidStateError`) and everything else is [`StoreError::Unavailable`].
#[must_use]
pub fn error_from_dom(what: &str, e: &DomException) -> StoreError {
    match e.name().as_str() {
        "QuotaExceededError" => StoreError::QuotaExceeded(format!("{what}: {}", e.message())),
        "InvalidStateError" => connection_closed(what, &e.message()),
        name => StoreError::Unavailable(format!("{what}: {name}: {}", e.message())),
    }
}

/// The DOMException inside an `idb` error, if any.
pub(super) fn dom_exception(e: &::idb::Error) -> Option<DomException> {
    use ::idb::Error as E;
    match e {
        E::DomException(d) => Some(d.clone()),
        E::AddFailed(v)
        | E::CountFailed(v)
        | E::GetAllFailed(v)
        | E::GetAllKeysFailed(v)
        | E::GetFailed(v)
        | E::IndexedDbDeleteFailed(v)
        | E::IndexedDbNotFound(v)
        | E::IndexedDbOpenFailed(v)
        | E::IndexNotFound(v)
        | E::ObjectStoreNotFound(v)
        | E::OpenCursorFailed(v)
        | E::OpenKeyCursorFailed(v)
        | E::TransactionOpenFailed(v)
        | E::UpdateFailed(v) => v.dyn_ref::<DomException>().cloned(),
        _ => None,
    }
}

pub(super) fn failed(what: &str, e: &::idb::Error) -> StoreError {
    match dom_exception(e) {
        Some(d) => error_from_dom(what, &d),
        None => StoreError::Unavailable(format!("{what}: {e}")),
    }
}
