//! The keyboard map: a folded "Keyboard" box in the page's header that says what Tab,
//! Enter, Escape and the step and list keys do. It only describes keys other
//! components handle (the audit list, the dialogs, the step controls, native controls);
//! it handles none itself.

use leptos::prelude::*;

/// The keys of the page, each with what it does, as the map lists them.
pub const KEYS: [(&str, &str); 7] = [
    (
        "Tab, Shift+Tab",
        "move between links, fields and buttons, in reading order",
    ),
    (
        "Enter",
        "sends the form you are in (Open account, Deposit, Start transfer); on a button or link, presses it",
    ),
    (
        "Space",
        "presses the focused button (Next step, Play or Pause), ticks a box, picks a choice",
    ),
    (
        "Escape",
        "cancels an open question (Reset, Load a scenario, Replace the log), wherever the focus is; closes the glossary",
    ),
    (
        "Enter on Next step",
        "runs one step of the saga; after a scenario loads, the focus is already there",
    ),
    (
        "↑ ↓, Page Up, Page Down, Home, End",
        "in the audit trail's event list: select the previous or next event, a page up or down, the first or last",
    ),
    (
        "← →, Home, End",
        "on the time-travel slider: one event back or on, the start or the newest event",
    ),
];

/// A folded box in the header listing [`KEYS`]; its summary is reachable with Tab and
/// opens with Enter or Space, like any `<details>`.
#[component]
pub fn KeyboardMap() -> impl IntoView {
    view! {
        <details class="keyboard-map" data-testid="keyboard-map">
            <summary>"Keyboard"</summary>
            <dl class="keyboard-map__keys">
                {KEYS
                    .iter()
                    .map(|(keys, what)| view! {
                        <dt><kbd>{*keys}</kbd></dt>
                        <dd>{*what}</dd>
                    })
                    .collect_view()}
            </dl>
        </details>
    }
}
