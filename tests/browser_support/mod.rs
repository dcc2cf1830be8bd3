//! What the browser test binaries (`tests/browser*.rs`) share.
#![allow(dead_code)] // each binary takes what it needs

use std::cell::Cell;

thread_local! {
    static COUNTER: Cell<u32> = const { Cell::new(0) };
}

/// A database / store name no earlier test or run has used, such as
/// `test-idb-<time>-<salt>-<n>` (letters, digits and `-` only, as localStorage names
/// require).
pub fn fresh_name(prefix: &str, what: &str) -> String {
    let n = COUNTER.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    let salt = (js_sys::Math::random() * 1e9) as u64;
    format!("{prefix}-{what}-{}-{salt}-{n}", js_sys::Date::now() as u64)
}

/// Waits `ms` milliseconds (lets other tasks, messages and IndexedDB callbacks run).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("the timer fires");
}
