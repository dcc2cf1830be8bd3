//! The browser UI (wasm32 only). A placeholder for now: a heading and one button,
//! enough for the browser and end-to-end test tiers to mount, click and assert.

use leptos::prelude::*;

/// Installs the panic hook and mounts [`App`] on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let (greeted, set_greeted) = signal(false);
    view! {
        <main class="app">
            <h1>"sagabank"</h1>
            <p class="lead">"An event-sourced bank with a transfer saga, in your browser."</p>
            <button
                class="button"
                data-testid="greet"
                on:click=move |_| set_greeted.set(true)
            >
                "Say hello"
            </button>
            <p data-testid="greeting" aria-live="polite">
                {move || if greeted.get() { "Hello from Rust and WebAssembly!" } else { "Not greeted yet." }}
            </p>
        </main>
    }
}
