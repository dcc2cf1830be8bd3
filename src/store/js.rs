//! What the browser adapters share: the raw record of "download the raw data", and
//! reading JS values (positions, thrown errors) as Rust ones.

use wasm_bindgen::{JsCast, JsValue};

/// One record exactly as it is stored, readable or not: for "download the raw data"
/// before starting fresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    /// Where it is stored: the global position for IndexedDB, the key for
    /// localStorage.
    pub key: String,
    /// The stored text: the event's JSON line when there is one, otherwise the stored
    /// value as JSON.
    pub value: String,
}

/// A JS number that is a whole, positive position.
pub(crate) fn js_position(value: &JsValue) -> Option<u64> {
    let n = value.as_f64()?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = n as u64;
    #[allow(clippy::cast_precision_loss)]
    let exact = (1.0..=9_007_199_254_740_991.0).contains(&n) && whole as f64 == n;
    exact.then_some(whole)
}

/// A thrown JS value as text: a DOMException's `name: message`, else its string form.
pub(crate) fn js_text(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return String::from(e.to_string());
    }
    value
        .as_string()
        .unwrap_or_else(|| js_sys::JSON::stringify(value).map_or_else(|_| "?".into(), String::from))
}
