//! One-click scenarios and the reset. Each scenario loads into a fresh store of the
//! same kind, runs its setup commands (the same JSON files the scenario runner
//! reads), and starts its teaching transfer step by step so it can be watched.
//! Reset asks first and offers an export.

use leptos::prelude::*;

use super::boot::{fresh_db_name, set_active_db};
use super::route::{self, Target};
use super::service::{browser_env, use_bank, BankHandle};
use super::widgets::{focus_first, on_escape, FormError};
use crate::app::{scenario, Bank, FaultPlan};
use crate::domain::{BankCommand, RunMode, SagaStep};
use crate::store::any::AnyStore;
use crate::store::EventStore;

/// A scenario the page can load.
pub struct Scenario {
    pub key: &'static str,
    pub title: &'static str,
    pub json: &'static str,
    /// Start the file's last transfer step by step (with these faults) instead of
    /// running it.
    pub step_last_transfer: Option<FaultPlan>,
}

/// Every scenario, in the order the bar shows them.
pub const SCENARIOS: [Scenario; 6] = [
    Scenario {
        key: "seed-demo",
        title: "The seed demo",
        json: include_str!("../../scenarios/seed-demo.json"),
        step_last_transfer: None,
    },
    Scenario {
        key: "happy-transfer",
        title: "A happy transfer",
        json: include_str!("../../scenarios/happy-transfer.json"),
        step_last_transfer: Some(FaultPlan {
            reject_credit: false,
            transient: None,
            crash: None,
        }),
    },
    Scenario {
        key: "insufficient-funds",
        title: "Insufficient funds",
        json: include_str!("../../scenarios/insufficient-funds.json"),
        step_last_transfer: Some(FaultPlan {
            reject_credit: false,
            transient: None,
            crash: None,
        }),
    },
    Scenario {
        key: "compensation",
        title: "Compensation (closed destination)",
        json: include_str!("../../scenarios/compensation.json"),
        step_last_transfer: Some(FaultPlan {
            reject_credit: false,
            transient: None,
            crash: None,
        }),
    },
    Scenario {
        key: "transient-failure",
        title: "A transient failure with retries",
        json: include_str!("../../scenarios/happy-transfer.json"),
        step_last_transfer: Some(FaultPlan {
            reject_credit: false,
            transient: Some((SagaStep::Credit, 2)),
            crash: None,
        }),
    },
    Scenario {
        key: "account-lifecycle",
        title: "The account lifecycle",
        json: include_str!("../../scenarios/account-lifecycle.json"),
        step_last_transfer: None,
    },
];

/// A bank on a new, empty database of the kind the page uses, and its name.
async fn fresh_bank(handle: BankHandle) -> Result<(Bank<AnyStore>, String), String> {
    let kind = handle.store_kind.get_untracked();
    let name = fresh_db_name();
    let store = AnyStore::open(kind, &name)
        .await
        .map_err(|e| e.to_string())?;
    let bank = Bank::open(store, browser_env(&name))
        .await
        .map_err(|e| e.to_string())?;
    Ok((bank, name))
}

/// Shows `bank` from now on, and uses its database after a reload too.
fn switch_to(handle: BankHandle, bank: Bank<AnyStore>, name: &str) {
    if bank.store().kind().is_persistent() {
        set_active_db(name);
    }
    handle.resumed.set(Vec::new());
    handle.install(bank, name);
    handle.selected_position.set(None);
}

/// Loads a scenario into a fresh store and shows it.
pub async fn load(handle: BankHandle, scenario: &Scenario) -> Result<(), String> {
    let (bank, name) = fresh_bank(handle).await?;
    let mut commands = scenario::parse(scenario.json).map_err(|e| e.to_string())?;
    let stepped = match &scenario.step_last_transfer {
        Some(plan) => match commands.pop() {
            Some(Ok(BankCommand::TransferMoney(t))) => Some((t, plan.clone())),
            other => {
                commands.extend(other);
                None
            }
        },
        None => None,
    };
    scenario::run(&bank, commands).await;
    let mut selected = bank.read(|m| m.transfers.keys().next().cloned());
    if let Some((transfer, plan)) = stepped {
        selected = Some(transfer.transfer_id.clone());
        bank.start_transfer_with(transfer, plan, RunMode::Step)
            .await
            .map_err(|e| e.to_string())?;
    }
    switch_to(handle, bank, &name);
    if let Some(id) = selected {
        handle.selected_transfer.set(Some(id.clone()));
        route::go(&Target::Transfer(id));
    }
    handle.announce(format!("Scenario loaded: {}", scenario.title));
    // Straight to what there is to watch: the saga's Next step, else its timeline.
    focus_first(&[
        "[data-testid=next-step]:not([disabled])",
        "#timeline-title",
        "#accounts-title",
    ]);
    Ok(())
}

/// Empties the bank: a fresh store, the old database deleted.
async fn reset(handle: BankHandle) -> Result<(), String> {
    let kind = handle.store_kind.get_untracked();
    let old = handle.db_name.get_untracked();
    let (bank, name) = fresh_bank(handle).await?;
    switch_to(handle, bank, &name);
    handle.selected_transfer.set(None);
    if kind.is_persistent() && old != name {
        AnyStore::delete(kind, &old)
            .await
            .map_err(|e| e.to_string())?;
    }
    handle.announce("The bank was reset: no events.");
    Ok(())
}

/// Downloads the whole log as JSON lines.
pub fn export(handle: BankHandle) {
    let Some(bank) = handle.bank() else { return };
    let name = handle.db_name.get_untracked();
    leptos::task::spawn_local(async move {
        if let Ok(events) = bank.store().read_all(1).await {
            let text: String = events.iter().map(|e| e.to_json_line() + "\n").collect();
            super::files::download(&format!("{name}.jsonl"), &text, "application/jsonl");
        }
    });
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
            error.set(reset(bank).await.err());
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
