//! Browser tests of the UI: run in headless Chromium by
//! `cargo test --target wasm32-unknown-unknown` (wasm-bindgen-test-runner drives
//! chromedriver; see .cargo/config.toml).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod browser_support;
use browser_support::sleep;

fn document() -> web_sys::Document {
    web_sys::window()
        .expect("a window")
        .document()
        .expect("a document")
}

/// Mounts `f` into a fresh `<div>` appended to `<body>` and returns that div. It stays
/// mounted for the rest of the test run.
fn mount_fresh<F, N>(f: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: leptos::IntoView,
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

/// Polls (up to ~5 s) until `selector` matches inside `root`.
async fn wait_for(root: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    for _ in 0..250 {
        if let Some(found) = root.query_selector(selector).expect("a valid selector") {
            return found;
        }
        sleep(20).await;
    }
    panic!(
        "nothing matched {selector} within 5 s; the page holds: {}",
        root.inner_html()
    );
}

#[wasm_bindgen_test]
async fn the_app_boots_and_shows_the_bank() {
    let root = mount_fresh(sagabank::ui::App);

    let badge = wait_for(&root, "[data-testid='store-badge']").await;
    assert!(
        badge
            .text_content()
            .unwrap_or_default()
            .contains("Events stored in"),
        "the store badge names the storage"
    );
    let heading = root.query_selector("h1").unwrap().expect("an h1");
    assert_eq!(heading.text_content().as_deref(), Some("sagabank"));
    assert!(
        root.query_selector("[data-testid='data-error']")
            .unwrap()
            .is_none(),
        "a fresh origin has no damaged data"
    );
}

/// What the panic hook shows: a dialog that says what happened, that the stored events
/// are safe, and offers a reload; the message is text, never markup.
#[wasm_bindgen_test]
fn the_panic_screen_explains_and_offers_a_reload() {
    sagabank::ui::show_fatal_error("panicked at <b>src/x.rs</b>: boom");
    let overlay = document()
        .query_selector("[data-testid='fatal-error']")
        .expect("a query")
        .expect("the overlay is shown");
    assert_eq!(
        overlay.get_attribute("role").as_deref(),
        Some("alertdialog")
    );
    let text = overlay.text_content().unwrap_or_default();
    assert!(text.contains("Your stored events are safe"), "{text}");
    assert!(text.contains("panicked at <b>src/x.rs</b>: boom"), "{text}");
    assert!(
        overlay.query_selector("b").expect("a query").is_none(),
        "no markup is made"
    );
    let button = overlay
        .query_selector("button")
        .expect("a query")
        .expect("a reload button");
    assert_eq!(button.text_content().as_deref(), Some("Reload the page"));
    overlay.remove();
}
