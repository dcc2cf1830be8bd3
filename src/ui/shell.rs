//! The page's shell: the header, what sagabank is and a welcome block, written in
//! `index.html` (styled by `style/shell.css`) so a phone shows something meaningful
//! before the wasm has downloaded and started. Every mode of the page (the app, an
//! embed, an error page, any mode to come) is mounted through [`mount`], which takes
//! the shell away as the mode mounts, unless the mode asks to keep it while it loads
//! ([`keep_while`]; the app does, until it shows the preview, the bank or an error
//! page). An embed never paints the shell: a line of script in `index.html` hides it
//! before the first frame when the address has `?embed=saga`.

use leptos::prelude::*;

/// The id of the shell's element in `index.html`.
pub const SHELL_ID: &str = "shell";
/// The attribute [`keep_while`] puts on the shell.
const KEPT: &str = "data-kept";

/// Mounts `root` on `<body>` in the shell's place: the shell is removed before the
/// root's first frame, unless the root called [`keep_while`] while it was built.
pub fn mount<F, N>(root: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    leptos::mount::mount_to_body(move || {
        let view = root();
        if shell().is_some_and(|s| !s.has_attribute(KEPT)) {
            remove();
        }
        view
    });
}

/// Keeps the shell on the page while `loading()` is true, then removes it: for a mode
/// that has nothing of its own to show yet. Call it while the root is built (see
/// [`mount`]).
pub fn keep_while(loading: impl Fn() -> bool + 'static) {
    if let Some(shell) = shell() {
        let _ = shell.set_attribute(KEPT, "");
    }
    Effect::new(move |_| {
        if !loading() {
            remove();
        }
    });
}

/// Removes the shell from the page, if it is still there.
pub fn remove() {
    if let Some(shell) = shell() {
        shell.remove();
    }
}

fn shell() -> Option<web_sys::Element> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(SHELL_ID))
}
