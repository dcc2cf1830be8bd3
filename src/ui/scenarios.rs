//! The scenario bar: one-click scenarios (see [`crate::app::scenario_catalog`]), each
//! loaded into a fresh database, and the reset. Both ask first when the bank has
//! events, and offer an export.

use leptos::prelude::*;

use super::lifecycle;
use super::service::{use_bank, BankHandle};
use super::widgets::{focus_first, on_escape, FormError};
use crate::app::scenario_catalog::{Scenario, SCENARIOS};

/// Loads a scenario into a fresh database, shows it, and moves the focus straight to
/// what there is to watch: the saga's Next step, else its timeline.
async fn load(handle: BankHandle, scenario: &Scenario) -> Result<(), String> {
    lifecycle::load_scenario(handle, scenario).await?;
    focus_first(&[
        "[data-testid=next-step]:not([disabled])",
        "#timeline-title",
        "#accounts-title",
    ]);
    Ok(())
}

/// Downloads the log (see [`lifecycle::export`]).
fn export(handle: BankHandle) {
    leptos::task::spawn_local(lifecycle::export(handle));
}

/// The scenario buttons and the reset, with its confirmation.
#[component]
pub fn ScenarioBar() -> impl IntoView {
    let bank = use_bank();
    let error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    // A scenario asked for while the bank has events: it waits for a yes.
    let pending = RwSignal::new(None::<usize>);
    let busy = RwSignal::new(false);
    let run = move |i: usize| {
        if busy.get_untracked() {
            return;
        }
        pending.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match SCENARIOS.get(i) {
                Some(s) => load(bank, s).await,
                None => Ok(()),
            };
            error.set(result.err());
            busy.set(false);
        });
    };
    let do_reset = move |_| {
        confirming.set(false);
        leptos::task::spawn_local(async move {
            error.set(lifecycle::reset(bank).await.err());
        });
    };
    let ask = move |i: usize| {
        if bank.last_position() == 0 {
            run(i);
        } else {
            confirming.set(false);
            pending.set(Some(i));
            focus_first(&["[data-testid=scenario-confirm]"]);
        }
    };
    // Back to the button that asked.
    let cancel = move || {
        if let Some(s) = pending.get_untracked().and_then(|i| SCENARIOS.get(i)) {
            focus_first(&[&format!("[data-testid=scenario-{}]", s.key)]);
        }
        pending.set(None);
    };
    // Escape cancels either question while it is open, wherever the focus is.
    on_escape(move || {
        if pending.try_get_untracked().flatten().is_some() {
            cancel();
        }
        if confirming.try_get_untracked() == Some(true) {
            confirming.set(false);
            focus_first(&["[data-testid=reset]"]);
        }
    });
    let pending_title = move || {
        pending
            .get()
            .and_then(|i| SCENARIOS.get(i))
            .map_or("", |s| s.title)
    };
    view! {
        <nav class="scenarios" aria-label="Scenarios">
            <span class="scenarios__label">"Try a scenario:"</span>
            {SCENARIOS.iter().enumerate().map(|(i, s)| view! {
                <button class="button button--chip" type="button" disabled=move || busy.get()
                    on:click=move |_| ask(i) data-testid=format!("scenario-{}", s.key)>
                    {s.title}
                </button>
            }).collect_view()}
            <button class="button button--danger button--chip" type="button"
                on:click=move |_| {
                    pending.set(None);
                    confirming.set(true);
                }
                data-testid="reset">"Reset…"</button>
            <FormError error=error test_id="scenario-error"/>
        </nav>
        <div class="dialog dialog--calm" role="dialog" aria-labelledby="scenario-dialog-title" hidden=move || pending.get().is_none()
            data-testid="scenario-dialog">
            <h2 id="scenario-dialog-title">"Load “" {pending_title} "”?"</h2>
            <p>
                "A scenario starts in a new, empty bank. The bank you have now ("
                {move || match bank.last_position() {
                    1 => "1 event".to_owned(),
                    n => format!("{n} events"),
                }}
                {move || if bank.store_kind.get().is_persistent() {
                    ") stays stored in this browser but is no longer shown: export it first to keep a file you can import again."
                } else {
                    ") lives in memory only and will be gone: export it first to keep it."
                }}
            </p>
            <div class="actions">
                <button class="button button--secondary" type="button" on:click=move |_| export(bank) data-testid="scenario-export">
                    "Export the events first"
                </button>
                <button class="button" type="button" on:click=move |_| {
                    if let Some(i) = pending.get_untracked() {
                        run(i);
                    }
                } data-testid="scenario-confirm">
                    "Load the scenario"
                </button>
                <button class="button button--secondary" type="button" on:click=move |_| cancel()>
                    "Cancel"
                </button>
            </div>
        </div>
        <div class="dialog" role="dialog" aria-labelledby="reset-title" hidden=move || !confirming.get() data-testid="reset-dialog">
            <h2 id="reset-title">"Reset the bank?"</h2>
            <p>
                "Every event in this database is deleted for good. Export them first if you may want them back (Import reads the file)."
            </p>
            <div class="actions">
                <button class="button button--secondary" type="button" on:click=move |_| export(bank) data-testid="reset-export">
                    "Export the events first"
                </button>
                <button class="button button--danger" type="button" on:click=do_reset data-testid="reset-confirm">
                    "Delete everything and reset"
                </button>
                <button class="button button--secondary" type="button" on:click=move |_| confirming.set(false)>
                    "Cancel"
                </button>
            </div>
        </div>
    }
}
