//! Entry point of the browser app: installs the panic hook and mounts the UI.

#[cfg(target_arch = "wasm32")]
fn main() {
    sagabank::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sagabank is a browser app: serve it with `scripts/serve`, or try `cargo run --example demo`.");
}
