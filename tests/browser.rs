//! Browser tests: run in headless Chromium by `cargo test --target wasm32-unknown-unknown`
//! (wasm-bindgen-test-runner drives chromedriver; see .cargo/config.toml).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `f` into a fresh `<div>` appended to `<body>` and returns that div. The app
/// stays mounted for the rest of the test run.
fn mount_fresh<F, N>(f: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let div: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("create a div")
        .unchecked_into();
    document()
        .body()
        .expect("a body")
        .append_child(&div)
        .expect("append the div");
    leptos::mount::mount_to(div.clone(), f).forget();
    div
}

fn by_testid(root: &web_sys::HtmlElement, id: &str) -> web_sys::HtmlElement {
    root.query_selector(&format!("[data-testid='{id}']"))
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_its_button_greets() {
    let root = mount_fresh(sagabank::ui::App);

    let heading = root.query_selector("h1").unwrap().expect("an h1");
    assert_eq!(heading.text_content().as_deref(), Some("sagabank"));
    let greeting = by_testid(&root, "greeting");
    assert_eq!(greeting.text_content().as_deref(), Some("Not greeted yet."));

    by_testid(&root, "greet").click();
    // Leptos updates the DOM asynchronously: let the effects run.
    leptos::task::tick().await;

    assert_eq!(
        greeting.text_content().as_deref(),
        Some("Hello from Rust and WebAssembly!")
    );
}
