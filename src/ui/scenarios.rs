//! The scenario bar: one-click scenarios (see [`crate::app::scenario_catalog`]), each
//! loaded into a fresh database, and the reset. Both ask first when the bank has
//! events, and offer an export.

use leptos::html;
use leptos::prelude::*;

use super::action::Command;
use super::lifecycle;
use super::page::{use_page, Page};
use super::widgets::{focus_first, focus_node, on_escape, FormError};
use crate::app::scenario_catalog::{Scenario, SCENARIOS};

/// Loads a scenario into a fresh database, shows it, and moves the focus straight to
/// what there is to watch: the saga's Next step, else its timeline.
async fn load(page: Page, scenario: &Scenario) -> Result<(), String> {
    lifecycle::load_scenario(page, scenario).await?;
    focus_first(&[
        "#next-step:not([disabled])",
        "#timeline-title",
        "#accounts-title",
    ]);
    Ok(())
}

/// Downloads the log (see [`lifecycle::export`]), once at a time.
fn export(page: Page, command: Command) {
    command.run(async move {
        lifecycle::export(page).await;
        Ok(())
    });
}

/// The scenario bar's state: what is asked, what runs, and where the focus goes back.
#[derive(Clone, Copy)]
struct Bar {
    page: Page,
    /// Loading a scenario or resetting; its error is the bar's.
    load: Command,
    /// Exporting the log first.
    export: Command,
    /// The reset's question is open.
    confirming: RwSignal<bool>,
    /// A scenario asked for while the bank has events: it waits for a yes.
    pending: RwSignal<Option<usize>>,
    /// The scenario buttons, in [`SCENARIOS`] order, then the reset button.
    buttons: StoredValue<Vec<NodeRef<html::Button>>>,
    reset_button: NodeRef<html::Button>,
    confirm_button: NodeRef<html::Button>,
}

impl Bar {
    fn new(page: Page) -> Bar {
        let error = RwSignal::new(None);
        Bar {
            page,
            load: Command::new(error),
            export: Command::new(error),
            confirming: RwSignal::new(false),
            pending: RwSignal::new(None),
            buttons: StoredValue::new(SCENARIOS.iter().map(|_| NodeRef::new()).collect()),
            reset_button: NodeRef::new(),
            confirm_button: NodeRef::new(),
        }
    }

    /// Loads scenario `i`, unless one is loading.
    fn run(self, i: usize) {
        if self.load.running() {
            return;
        }
        self.pending.set(None);
        self.load.run(async move {
            match SCENARIOS.get(i) {
                Some(s) => load(self.page, s).await,
                None => Ok(()),
            }
        });
    }

    /// Scenario `i` was clicked: it loads at once into an empty bank, else asks first.
    fn ask(self, i: usize) {
        if self.page.bank.last_position() == 0 {
            self.run(i);
        } else {
            self.confirming.set(false);
            self.pending.set(Some(i));
            focus_node(self.confirm_button);
        }
    }

    /// Closes the scenario question, the focus back on the button that asked.
    fn cancel(self) {
        if let Some(button) = self
            .pending
            .get_untracked()
            .and_then(|i| self.buttons.with_value(|b| b.get(i).copied()))
        {
            focus_node(button);
        }
        self.pending.set(None);
    }

    /// Closes the reset question, the focus back on Reset.
    fn cancel_reset(self) {
        self.confirming.set(false);
        focus_node(self.reset_button);
    }

    fn reset(self) {
        if self.load.running() {
            return;
        }
        self.confirming.set(false);
        self.load.run(lifecycle::reset(self.page));
    }
}

/// The scenario buttons and the reset, each with its question.
#[component]
pub fn ScenarioBar() -> impl IntoView {
    let bar = Bar::new(use_page());
    // Escape cancels either question while it is open, wherever the focus is.
    on_escape(move || {
        if bar.pending.try_get_untracked().flatten().is_some() {
            bar.cancel();
        }
        if bar.confirming.try_get_untracked() == Some(true) {
            bar.cancel_reset();
        }
    });
    view! {
        <nav class="scenarios" aria-label="Scenarios">
            <span class="scenarios__label">"Try a scenario:"</span>
            {SCENARIOS.iter().enumerate().map(|(i, s)| view! {
                <button class="button button--chip" type="button" aria-disabled=bar.load.busy()
                    node_ref=bar.buttons.with_value(|b| b[i])
                    on:click=move |_| bar.ask(i) data-testid=format!("scenario-{}", s.key)>
                    {s.title}
                </button>
            }).collect_view()}
            <button class="button button--danger button--chip" type="button" node_ref=bar.reset_button
                on:click=move |_| {
                    bar.pending.set(None);
                    bar.confirming.set(true);
                }
                data-testid="reset">"Reset…"</button>
            <FormError error=bar.load.error test_id="scenario-error"/>
        </nav>
        <ScenarioQuestion bar=bar/>
        <ResetQuestion bar=bar/>
    }
}

/// "Load this scenario?", while one waits for a yes.
#[component]
fn ScenarioQuestion(
    /// The bar that asked.
    bar: Bar,
) -> impl IntoView {
    let Bar { page, pending, .. } = bar;
    let bank = page.bank;
    let title = move || {
        pending
            .get()
            .and_then(|i| SCENARIOS.get(i))
            .map_or("", |s| s.title)
    };
    view! {
        <div class="dialog dialog--calm" role="dialog" aria-labelledby="scenario-dialog-title" hidden=move || pending.get().is_none()
            data-testid="scenario-dialog">
            <h2 id="scenario-dialog-title">"Load “" {title} "”?"</h2>
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
                <button class="button button--secondary" type="button" on:click=move |_| export(page, bar.export)
                    aria-disabled=bar.export.busy() data-testid="scenario-export">
                    "Export the events first"
                </button>
                <button class="button" type="button" node_ref=bar.confirm_button on:click=move |_| {
                    if let Some(i) = pending.get_untracked() {
                        bar.run(i);
                    }
                } aria-disabled=bar.load.busy() data-testid="scenario-confirm">
                    "Load the scenario"
                </button>
                <button class="button button--secondary" type="button" on:click=move |_| bar.cancel()>
                    "Cancel"
                </button>
            </div>
        </div>
    }
}

/// "Reset the bank?", with an export first.
#[component]
fn ResetQuestion(
    /// The bar that asked.
    bar: Bar,
) -> impl IntoView {
    let Bar {
        page, confirming, ..
    } = bar;
    view! {
        <div class="dialog" role="dialog" aria-labelledby="reset-title" hidden=move || !confirming.get() data-testid="reset-dialog">
            <h2 id="reset-title">"Reset the bank?"</h2>
            <p>
                "Every event in this database is deleted for good. Export them first if you may want them back (Import reads the file)."
            </p>
            <div class="actions">
                <button class="button button--secondary" type="button" on:click=move |_| export(page, bar.export)
                    aria-disabled=bar.export.busy() data-testid="reset-export">
                    "Export the events first"
                </button>
                <button class="button button--danger" type="button" on:click=move |_| bar.reset()
                    aria-disabled=bar.load.busy() data-testid="reset-confirm">
                    "Delete everything and reset"
                </button>
                <button class="button button--secondary" type="button" on:click=move |_| bar.cancel_reset()>
                    "Cancel"
                </button>
            </div>
        </div>
    }
}
