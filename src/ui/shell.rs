//! The page's shell: the header, what sagabank is and a welcome block, written in
//! `index.html` (styled by `style/shell.css`) so a phone shows something meaningful
//! before the wasm has downloaded and started. The app removes it once it shows
//! something of its own (the preview, the bank, or an error page); until then the
//! app's own loading line stays hidden behind it.

/// The id of the shell's element in `index.html`.
pub const SHELL_ID: &str = "shell";

/// Removes the shell from the page, if it is still there.
pub fn remove() {
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(SHELL_ID))
    {
        shell.remove();
    }
}
