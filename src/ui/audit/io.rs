//! Export and import of the log as JSONL: the export downloads every event; an import
//! is checked (replayed through the rules), confirmed, then written into a fresh
//! database that becomes the page's log, the old one kept as a backup.

use std::rc::Rc;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::app::import::parse_log;
use crate::app::views::audit_filter::group_digits;
use crate::store::any::{AnyStore, StoreKind};
use crate::store::{EventStore, Recorded};
use crate::ui::route;
use crate::ui::service::{use_bank, BankHandle};
use crate::ui::widgets::{clear_error_on_input, on_escape, FormError};
use crate::ui::{boot, files};

/// Events written per step of an import (one IndexedDB transaction each).
const IMPORT_SLICE: usize = 2_000;

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
}

impl Import {
    fn new() -> Import {
        Import {
            phase: RwSignal::new(ImportPhase::Idle),
            error: RwSignal::new(None),
            pending: StoredValue::new_local(None),
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
        yield_to_browser().await;
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
    fn confirm(self, handle: BankHandle) {
        let Some(events) = self.pending.get_value() else {
            return;
        };
        self.pending.set_value(None);
        let kind = handle.store_kind.get_untracked();
        let old_db = handle.db_name.get_untracked();
        let total = events.len();
        let phase = self.phase;
        phase.set(ImportPhase::Writing { done: 0, total });
        leptos::task::spawn_local(async move {
            let progress = move |done| phase.set(ImportPhase::Writing { done, total });
            match replace_log(handle, kind, &old_db, events, progress).await {
                Ok(new_db) => {
                    handle.selected_position.set(None);
                    route::replace_hash(None);
                    let message = if kind.is_persistent() {
                        format!(
                            "Imported {} events into the new database {new_db}; the previous one, {old_db}, is kept as a backup.",
                            group_digits(total)
                        )
                    } else {
                        format!("Imported {} events.", group_digits(total))
                    };
                    handle.announce(message.clone());
                    phase.set(ImportPhase::Done(message));
                }
                Err(reason) => self.fail(reason),
            }
        });
    }
}

/// Downloads the installed log as JSONL, named after its database.
fn export_log(handle: BankHandle, exporting: RwSignal<bool>) {
    let Some(bank) = handle.bank() else {
        return;
    };
    exporting.set(true);
    leptos::task::spawn_local(async move {
        // A long log takes a moment to serialise: let "Preparing…" paint first.
        yield_to_browser().await;
        let (text, count) = bank.read(|m| {
            let mut text = String::new();
            for r in &m.audit {
                text.push_str(&r.to_json_line());
                text.push('\n');
            }
            (text, m.audit.len())
        });
        let db = handle.db_name.get_untracked();
        let name = if db.is_empty() {
            "sagabank.jsonl".to_owned()
        } else if db.starts_with("sagabank") {
            format!("{db}.jsonl")
        } else {
            format!("sagabank-{db}.jsonl")
        };
        files::download(&name, &text, "application/x-ndjson");
        exporting.set(false);
        handle.announce(format!("Exported {count} events as {name}"));
    });
}

/// Export the log as JSONL; import one, after checking it and asking.
#[component]
pub(super) fn ExportImport() -> impl IntoView {
    let handle = use_bank();
    let import = Import::new();
    let file_input = NodeRef::<html::Input>::new();
    let exporting = RwSignal::new(false);

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
        handle.announce("Import cancelled: the log is unchanged");
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
                    disabled=move || exporting.get()
                    on:click=move |_| export_log(handle, exporting)
                >
                    {move || {
                        if exporting.get() { "Preparing the export…" } else { "Export the log (JSONL)" }
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
            <FormError error=import.error test_id="import-error"/>
            <ImportStatus
                phase=import.phase
                on_confirm=Callback::new(move |()| import.confirm(handle))
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

/// Writes `events` into a fresh store of the same kind, checks each lands where it
/// was, then makes it the page's log. The old database is not touched. Returns the
/// new database's name.
async fn replace_log(
    handle: BankHandle,
    kind: StoreKind,
    old_db: &str,
    events: Rc<Vec<Recorded>>,
    progress: impl Fn(usize),
) -> Result<String, String> {
    let name = boot::fresh_db_name();
    let store = AnyStore::open(kind, &name)
        .await
        .map_err(|e| format!("a new database could not be opened: {e}. The log is unchanged."))?;
    // In slices, to show progress; IndexedDB writes each slice in one transaction.
    let mut done = 0;
    for slice in events.chunks(IMPORT_SLICE) {
        if let Err(e) = store.restore(slice).await {
            let _ = AnyStore::delete(kind, &name).await;
            let at = slice.first().map_or(0, |r| r.position);
            return Err(format!(
                "the events from position {at} could not be stored: {e}. Nothing was replaced: the log is unchanged."
            ));
        }
        done += slice.len();
        progress(done);
    }
    // A memory log is for this page only: the next load must not look for it.
    let persistent = kind.is_persistent();
    if persistent {
        boot::set_active_db(&name);
    }
    if let Err(failure) = boot::open_bank(handle, store, &name).await {
        if persistent {
            boot::set_active_db(old_db);
        }
        return Err(format!(
            "the imported log was written but could not be opened: {}",
            failure.reason
        ));
    }
    Ok(name)
}

/// Lets the browser paint before a long synchronous step.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 16)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
