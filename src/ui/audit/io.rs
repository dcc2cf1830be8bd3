//! Export and import of the log as JSONL: the export downloads every event; an import
//! is checked (replayed through the rules), confirmed, then written into a fresh
//! database that becomes the page's log, the old one kept as a backup.

use std::rc::Rc;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::import::parse_log;
use crate::app::views::audit_filter::group_digits;
use crate::store::Recorded;
use crate::ui::action::Command;
use crate::ui::page::{use_page, Page};
use crate::ui::service::BankHandle;
use crate::ui::widgets::{clear_error_on_input, on_escape, FormError};
use crate::ui::{files, lifecycle};

/// Where an import stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ImportPhase {
    Idle,
    /// Reading and checking the chosen file.
    Checking,
    /// The file is valid: waiting for the user to confirm the replacement.
    Confirm {
        current: usize,
        incoming: usize,
        persistent: bool,
    },
    Writing {
        done: usize,
        total: usize,
    },
    Done(String),
}

/// An import's state: where it stands, why it was refused, and the checked events
/// waiting for the user's answer.
#[derive(Clone, Copy)]
struct Import {
    phase: RwSignal<ImportPhase>,
    error: RwSignal<Option<String>>,
    pending: StoredValue<Option<Rc<Vec<Recorded>>>, LocalStorage>,
    /// Writing the confirmed events.
    write: Command,
}

impl Import {
    fn new() -> Import {
        let error = RwSignal::new(None);
        Import {
            phase: RwSignal::new(ImportPhase::Idle),
            error,
            pending: StoredValue::new_local(None),
            write: Command::new(error),
        }
    }

    /// Gives up with `reason`: the log is unchanged.
    fn fail(self, reason: String) {
        self.error.set(Some(reason));
        self.phase.set(ImportPhase::Idle);
    }

    /// Reads and checks the file chosen in `input`, then asks for confirmation.
    async fn check(self, handle: BankHandle, input: web_sys::HtmlInputElement) {
        // A refusal names the file: the input is emptied below, the file is what to fix.
        let name = input
            .files()
            .and_then(|files| files.get(0))
            .map(|file| file.name())
            .unwrap_or_default();
        let refuse = move |reason: String| {
            self.fail(if name.is_empty() {
                reason
            } else {
                format!("{name}: {reason}")
            });
        };
        let text = files::read_chosen_file(&input).await;
        // Choosing the same file again must trigger another check.
        input.set_value("");
        let text = match text {
            Ok(text) => text,
            Err(reason) => return refuse(reason),
        };
        // Let "Checking…" paint before a long log is replayed.
        files::yield_to_browser().await;
        match parse_log(&text) {
            Ok(events) if events.is_empty() => {
                refuse("the file holds no events: nothing to import".to_owned());
            }
            Ok(events) => {
                let incoming = events.len();
                self.pending.set_value(Some(Rc::new(events)));
                let current = handle.bank().map_or(0, |bank| bank.read(|m| m.audit.len()));
                self.phase.set(ImportPhase::Confirm {
                    current,
                    incoming,
                    persistent: handle.store_kind.get_untracked().is_persistent(),
                });
            }
            Err(e) => refuse(e.to_string()),
        }
    }

    /// Writes the confirmed events as the page's new log.
    fn confirm(self, page: Page) {
        let handle = page.bank;
        if self.write.running() {
            return;
        }
        let Some(events) = self.pending.get_value() else {
            return;
        };
        self.pending.set_value(None);
        let kind = handle.store_kind.get_untracked();
        let old_db = handle.db_name.get_untracked();
        let total = events.len();
        let phase = self.phase;
        phase.set(ImportPhase::Writing { done: 0, total });
        self.write.run(async move {
            let progress = move |done| phase.set(ImportPhase::Writing { done, total });
            match lifecycle::import(page, events, progress).await {
                Ok(new_db) => {
                    let message = if kind.is_persistent() {
                        format!(
                            "Imported {} events into the new database {new_db}; the previous one, {old_db}, is kept as a backup.",
                            group_digits(total)
                        )
                    } else {
                        format!("Imported {} events.", group_digits(total))
                    };
                    page.notices.announce(message.clone());
                    phase.set(ImportPhase::Done(message));
                    Ok(())
                }
                Err(reason) => {
                    phase.set(ImportPhase::Idle);
                    Err(reason)
                }
            }
        });
    }
}

/// Downloads the log, "Preparing…" showing meanwhile.
fn export_log(page: Page, exporting: Command) {
    exporting.run(async move {
        lifecycle::export(page).await;
        Ok(())
    });
}

/// Export the log as JSONL; import one, after checking it and asking.
#[component]
pub(super) fn ExportImport() -> impl IntoView {
    let page = use_page();
    let handle = page.bank;
    let import = Import::new();
    let file_input = NodeRef::<html::Input>::new();
    let exporting = Command::new(import.error);

    let on_file = move |ev: ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        import.pending.set_value(None);
        import.phase.set(ImportPhase::Checking);
        leptos::task::spawn_local(import.check(handle, input));
    };

    let cancel = move || {
        import.pending.set_value(None);
        import.phase.set(ImportPhase::Idle);
        page.notices
            .announce("Import cancelled: the log is unchanged");
        // The dialog is gone: give focus back to where the import started.
        if let Some(input) = file_input.get_untracked() {
            let _ = input.focus();
        }
    };

    // Escape cancels while the question is open, wherever the focus is (it may not
    // have reached the dialog yet).
    on_escape(move || {
        if import
            .pending
            .try_with_value(Option::is_some)
            .unwrap_or(false)
        {
            cancel();
        }
    });

    let busy = move || {
        matches!(
            import.phase.get(),
            ImportPhase::Checking | ImportPhase::Writing { .. }
        )
    };

    view! {
        <div class="audit__io" aria-labelledby="audit-io-title" on:input=clear_error_on_input(import.error)>
            <h3 id="audit-io-title">"Export and import"</h3>
            <div class="audit__io-controls">
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="audit-export"
                    aria-disabled=exporting.busy()
                    on:click=move |_| export_log(page, exporting)
                >
                    {move || {
                        if exporting.pending() { "Preparing the export…" } else { "Export the log (JSONL)" }
                    }}
                </button>
                <label class="audit__import" for="audit-import-file">
                    "Import a log (JSONL)"
                    <input
                        id="audit-import-file"
                        type="file"
                        accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson,application/json,text/plain"
                        data-testid="audit-import"
                        node_ref=file_input
                        disabled=busy
                        on:change=on_file
                    />
                </label>
            </div>
            <crate::ui::share::ShareLink/>
            <FormError error=import.error test_id="import-error"/>
            <ImportStatus
                phase=import.phase
                on_confirm=Callback::new(move |()| import.confirm(page))
                on_cancel=Callback::new(move |()| cancel())
            />
        </div>
    }
}

/// What the import is doing, and the question before it replaces the log.
#[component]
fn ImportStatus(
    /// Where the import stands.
    phase: RwSignal<ImportPhase>,
    /// The user confirmed the replacement.
    on_confirm: Callback<()>,
    /// The user cancelled it.
    on_cancel: Callback<()>,
) -> impl IntoView {
    move || {
        match phase.get() {
        ImportPhase::Idle => None,
        ImportPhase::Checking => Some(view! {
            <p class="audit__status" role="status">"Checking the file: replaying every event through the rules…"</p>
        }.into_any()),
        ImportPhase::Writing { done, total } => Some(view! {
            <p class="audit__status" role="status">
                {format!("Writing the imported events: {} of {}…", group_digits(done), group_digits(total))}
            </p>
        }.into_any()),
        ImportPhase::Done(message) => Some(view! {
            <p class="audit__status audit__status--ok" role="status" data-testid="import-done">{message}</p>
        }.into_any()),
        ImportPhase::Confirm { current, incoming, persistent } => Some(
            view! {
                <ConfirmImport
                    current=current
                    incoming=incoming
                    persistent=persistent
                    on_confirm=on_confirm
                    on_cancel=on_cancel
                />
            }
            .into_any(),
        ),
    }
    }
}

/// The question before an import replaces the log; it takes the focus.
#[component]
fn ConfirmImport(
    /// How many events the current log holds.
    current: usize,
    /// How many the imported one holds.
    incoming: usize,
    /// The current log is kept (a persistent database) rather than gone (memory).
    persistent: bool,
    /// The user confirmed the replacement.
    on_confirm: Callback<()>,
    /// The user cancelled it.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let keep = if persistent {
        "The current database is kept as a backup."
    } else {
        "The current log lives in memory only and will be gone: export it first to keep it."
    };
    let replace = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = replace.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div
            class="audit__confirm"
            role="alertdialog"
            aria-labelledby="import-confirm-title"
            aria-describedby="import-confirm-text"
            data-testid="import-confirm"
        >
            <h4 id="import-confirm-title">"Replace the log?"</h4>
            <p id="import-confirm-text">
                {format!(
                    "Replace the current log ({} events) with the imported one ({} events)? {keep}",
                    group_digits(current),
                    group_digits(incoming)
                )}
            </p>
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    data-testid="import-replace"
                    node_ref=replace
                    on:click=move |_| on_confirm.run(())
                >
                    "Replace the log"
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="import-cancel"
                    on:click=move |_| on_cancel.run(())
                >
                    "Cancel"
                </button>
            </div>
        </div>
    }
}
