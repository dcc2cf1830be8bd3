//! The transfers panel: the transfer form (run at once or step by step, with faults
//! to inject), the list of transfers with their status, and the selected transfer's
//! saga timeline.

use leptos::prelude::*;

use super::action::Command;
use super::crash::crash_and_reload;
use super::learn::Learn;
use super::page::{use_notices, use_selection, Notices};
use super::route::{self, Route};
use super::service::{use_bank, BankHandle, BrowserBank};
use super::timeline::SagaTimeline;
use super::widgets::{
    clear_error_on_input, clear_if_unchanged, id_cut, FormError, ShowMore, TransferBadge,
    TransfersHead,
};
use crate::app::faults::MAX_FAILURES;
use crate::app::transfer_draft::{self, FaultDraft, TransferDraft};
use crate::app::views::moments::refusal_words;
use crate::app::{BankError, CrashPoint, FaultPlan};
use crate::domain::{AccountId, Money, RunMode, SagaStep, TransferId, TransferMoney};

/// Transfers: the form, the list, the timeline.
#[component]
pub fn TransfersPanel() -> impl IntoView {
    view! {
        <section class="panel panel--transfers" aria-labelledby="transfers-title">
            <h2 id="transfers-title">"Transfers"</h2>
            <TransferForm/>
            <TransferList/>
            <SagaTimeline/>
        </section>
    }
}

/// The fault fields' values.
#[derive(Clone, Copy)]
struct FaultSignals {
    reject_credit: RwSignal<bool>,
    transient_count: RwSignal<String>,
    transient_step: RwSignal<SagaStep>,
    crash: RwSignal<Option<CrashPoint>>,
}

impl FaultSignals {
    fn new() -> FaultSignals {
        let d = FaultDraft::default();
        FaultSignals {
            reject_credit: RwSignal::new(d.reject_credit),
            transient_count: RwSignal::new(d.transient_count),
            transient_step: RwSignal::new(d.transient_step),
            crash: RwSignal::new(d.crash),
        }
    }

    /// The fields as typed (tracked).
    fn draft(&self) -> FaultDraft {
        FaultDraft {
            reject_credit: self.reject_credit.get(),
            transient_count: self.transient_count.get(),
            transient_step: self.transient_step.get(),
            crash: self.crash.get(),
        }
    }

    /// For a new bank: no fault chosen (the step that fails stays as chosen).
    fn clear(&self) {
        let d = FaultDraft::default();
        self.reject_credit.set(d.reject_credit);
        self.transient_count.set(d.transient_count);
        self.crash.set(d.crash);
    }

    /// A fault is for the transfer it was chosen for, never the next one (unless it
    /// was changed meanwhile, for the next one).
    fn clear_if_unchanged(&self, sent: &FaultDraft) {
        if self.reject_credit.try_get_untracked() == Some(sent.reject_credit) {
            self.reject_credit.set(false);
        }
        clear_if_unchanged(self.transient_count, &sent.transient_count, "0");
        if self.crash.try_get_untracked() == Some(sent.crash) {
            self.crash.set(None);
        }
    }
}

/// The transfer form's fields, as typed.
#[derive(Clone, Copy)]
struct TransferFields {
    id: RwSignal<String>,
    /// Whether the user typed an id; if not, the suggestion follows the transfers.
    id_touched: RwSignal<bool>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    amount: RwSignal<String>,
    description: RwSignal<String>,
    /// Step by step (or all at once).
    stepwise: RwSignal<bool>,
    faults: FaultSignals,
}

impl TransferFields {
    /// Empty fields, the id following the suggestion, all emptied when the page's bank
    /// is replaced (a scenario, an import, a reset): nothing typed for the old one
    /// stays.
    fn new(bank: BankHandle, error: RwSignal<Option<String>>) -> TransferFields {
        let fields = TransferFields {
            id: RwSignal::new(String::new()),
            id_touched: RwSignal::new(false),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            amount: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            stepwise: RwSignal::new(true),
            faults: FaultSignals::new(),
        };
        // (Emptied in place: a form rebuilt while the page runs lost its fault options'
        // inputs in Chromium, which left them unrendered inside the <details>.)
        Effect::new(move |first: Option<()>| {
            bank.db_name.track();
            if first.is_some() {
                for field in [fields.from, fields.to, fields.amount, fields.description] {
                    field.set(String::new());
                }
                fields.faults.clear();
                error.set(None);
                fields.id_touched.set(false);
            }
        });
        // Keep a fresh suggestion in an id field the user has not typed in.
        Effect::new(move |_| {
            let next = suggested_id(bank);
            if !fields.id_touched.get_untracked() {
                fields.id.set(next);
            }
        });
        fields
    }

    /// The fields as typed, an empty id standing for the suggested one.
    fn draft(self, bank: BankHandle) -> TransferDraft {
        untrack(|| TransferDraft {
            transfer_id: if self.id.get().trim().is_empty() {
                suggested_id(bank)
            } else {
                self.id.get()
            },
            from: self.from.get(),
            to: self.to.get(),
            amount: self.amount.get(),
            description: self.description.get(),
            faults: self.faults.draft(),
        })
    }

    /// Once `sent` is stored: the fields that still hold what was sent are emptied
    /// (the accounts stay, for the next transfer), and the id moves on to a fresh
    /// suggestion.
    fn clear_sent(self, bank: BankHandle, sent: &TransferDraft, sent_id: &str, started: bool) {
        clear_if_unchanged(self.amount, &sent.amount, "");
        clear_if_unchanged(self.description, &sent.description, "");
        if started {
            self.faults.clear_if_unchanged(&sent.faults);
        }
        if self.id.try_get_untracked().as_deref() == Some(sent_id) {
            self.id_touched.set(false);
            self.id.set(suggested_id(bank));
        }
    }
}

/// The next free transfer id, as the form suggests it.
fn suggested_id(bank: BankHandle) -> String {
    bank.read(transfer_draft::suggested_id)
        .unwrap_or_else(|| "t-1".to_owned())
}

/// Reads the form and starts its transfer; says what happened (in `notices`, and to
/// the lesson being taken in `course`), or why not. A transfer sent again with the
/// same details is answered with the existing one: `answered` names it.
fn send(
    bank: BankHandle,
    notices: Notices,
    course: Option<Learn>,
    fields: TransferFields,
    command: Command,
    (crashed, answered): (RwSignal<Option<String>>, RwSignal<Option<TransferId>>),
) {
    if command.running() {
        return;
    }
    answered.set(None);
    let draft = fields.draft(bank);
    let (transfer, plan) = match draft.parse() {
        Ok(p) => p,
        Err(e) => return command.error.set(Some(e)),
    };
    let Some(b) = bank.bank() else { return };
    let transfer_id = transfer.transfer_id.clone();
    let step_mode = fields.stepwise.get_untracked();
    let sent_id = fields.id.get_untracked();
    command.run(async move {
        let started = match start_transfer(&b, transfer, plan, step_mode).await {
            Ok(started) => started,
            Err(BankError::Crashed(point)) => {
                crashed.set(Some(format!("Simulated crash {point}.")));
                crash_and_reload(bank, notices, &transfer_id, point);
                route::go(&Route::Transfer(transfer_id));
                return Ok(());
            }
            Err(e) => {
                bank.note_bank_error(&e);
                return Err(refusal_words(&e, untrack(|| bank.last_position())));
            }
        };
        fields.clear_sent(bank, &draft, &sent_id, started);
        if !started {
            answered.set(Some(transfer_id.clone()));
        }
        if let (false, Some(course)) = (started, course) {
            super::learn::note_repeat(bank, course, &transfer_id);
        }
        notices.announce(if started {
            format!("Transfer {transfer_id} started")
        } else {
            format!(
                "Transfer {transfer_id} already exists with these details: nothing new was written"
            )
        });
        route::go(&Route::Transfer(transfer_id));
        Ok(())
    });
}

/// The form that starts a transfer.
#[component]
fn TransferForm() -> impl IntoView {
    let bank = use_bank();
    let notices = use_notices();
    let course = use_context::<Learn>();
    let error = RwSignal::new(None::<String>);
    let crashed = RwSignal::new(None::<String>);
    let answered = RwSignal::new(None::<TransferId>);
    let command = Command::new(error);
    let fields = TransferFields::new(bank, error);
    let TransferFields {
        id,
        id_touched,
        from,
        to,
        amount,
        description,
        stepwise,
        faults,
    } = fields;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(bank, notices, course, fields, command, (crashed, answered));
    };

    let account_options = move || account_options(bank);
    let unknown_accounts = unknown_accounts(bank, from, to);

    view! {
        // novalidate: every check is ours, with a message next to the form; the
        // browser's own would block a submit silently when the field is folded away.
        <form class="form" novalidate on:submit=submit on:input=move |ev| {
                clear_error_on_input(error)(ev);
                answered.set(None);
            }
            aria-labelledby="transfer-title" data-testid="transfer-form">
            <h3 id="transfer-title">"Send money"</h3>
            <datalist id="account-ids">
                {move || account_options().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
            </datalist>
            <div class="form__row">
                <label>
                    "Transfer id"
                    <input name="transfer_id" autocomplete="off" prop:value=move || id.get()
                        on:input=move |ev| {
                            id_touched.set(true);
                            id.set(event_target_value(&ev));
                        }/>
                </label>
                <label>
                    "From account " <span class="form__eg">"e.g. alice-123"</span>
                    <input name="from_account_id" list="account-ids" autocomplete="off"
                        prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </label>
                <label>
                    "To account " <span class="form__eg">"e.g. bob-456"</span>
                    <input name="to_account_id" list="account-ids" autocomplete="off"
                        prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                </label>
            </div>
            <div class="form__row">
                <label>
                    "Amount " <span class="form__eg">"e.g. 12.50"</span>
                    <input name="amount" inputmode="decimal" autocomplete="off"
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                </label>
                <label class="form__grow">
                    "Description " <span class="form__eg">"e.g. Rent for May"</span>
                    <input name="description" autocomplete="off"
                        prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
                </label>
            </div>
            <fieldset class="form__choices">
                <legend>"How to run the saga"</legend>
                <label class="choice">
                    <input type="radio" name="mode" prop:checked=move || stepwise.get() on:change=move |_| stepwise.set(true)/>
                    "Step by step (use Next step below)"
                </label>
                <label class="choice">
                    <input type="radio" name="mode" prop:checked=move || !stepwise.get() on:change=move |_| stepwise.set(false)/>
                    "All at once"
                </label>
            </fieldset>
            <FaultFields faults=faults/>
            <p class="hint hint--warning" hidden=move || unknown_accounts.with(Option::is_none) data-testid="transfer-unknown-account">
                {move || unknown_accounts.get().unwrap_or_default()}
            </p>
            <button class="button" type="submit" aria-disabled=command.busy()>"Start transfer"</button>
            <FormError error=error test_id="transfer-error"/>
            {move || answered.get().map(|t| view! { <Answered transfer=t/> })}
            <p class="banner banner--warning" role="status" hidden=move || crashed.get().is_none() data-testid="crash-notice">
                {move || crashed.get().unwrap_or_default()} " The page reloads now; the saga resumes from the log."
            </p>
        </form>
    }
}

/// The answer to a transfer sent again with the same id and details: the existing
/// transfer, linked, and that nothing was written.
#[component]
fn Answered(
    /// The existing transfer the bank answered with.
    transfer: TransferId,
) -> impl IntoView {
    view! {
        <p class="form-answer" data-testid="transfer-answered">
            "The bank answered with the existing transfer "
            <a href=route::href(&Route::Transfer(transfer.clone()))>{transfer.to_string()}</a>
            ": it has this id and these details, so nothing was sent again. 0 events written."
        </p>
    }
}

/// Starts the transfer (and runs it to its end unless `step_mode`): `Ok(false)` when
/// it already existed with these details and nothing was written. Faults are
/// attached only if this really starts the transfer.
async fn start_transfer(
    b: &BrowserBank,
    command: TransferMoney,
    plan: FaultPlan,
    step_mode: bool,
) -> Result<bool, BankError> {
    let transfer_id = command.transfer_id.clone();
    let mode = if step_mode {
        RunMode::Step
    } else {
        RunMode::Auto
    };
    match b.start_transfer_with(command, plan, mode).await {
        Ok(started) if started.events.is_empty() => Ok(false),
        Ok(_) if step_mode => Ok(true),
        Ok(_) => b.run_transfer(&transfer_id).await.map(|_| true),
        Err(e) => Err(e),
    }
}

/// The accounts to suggest: id, and owner with balance.
fn account_options(bank: BankHandle) -> Vec<(String, String)> {
    bank.read(|m| {
        m.accounts
            .values()
            .map(|a| {
                (
                    a.account_id.to_string(),
                    format!("{} ({})", a.owner_name, a.balance),
                )
            })
            .collect::<Vec<_>>()
    })
    .unwrap_or_default()
}

/// Accounts that do not exist are allowed (the saga shows what happens), but said.
/// A memo: the hint's text and its `hidden` read it on every keystroke.
fn unknown_accounts(
    bank: BankHandle,
    from: RwSignal<String>,
    to: RwSignal<String>,
) -> Memo<Option<String>> {
    Memo::new(move |_| {
        let missing = |text: String| {
            let id = AccountId::parse(&text).ok()?;
            let known = bank.read(|m| m.accounts.contains_key(&id)).unwrap_or(true);
            (!known).then_some(id)
        };
        match (missing(from.get()), missing(to.get())) {
            (Some(f), _) => Some(format!(
                "There is no account {f}: the transfer would fail at its debit, and nothing would move."
            )),
            (None, Some(t)) => Some(format!(
                "There is no account {t}: the credit would be refused and the debit refunded (a compensation)."
            )),
            (None, None) => None,
        }
    })
}

/// The folded fault box of the transfer form; its summary names the faults chosen.
#[component]
fn FaultFields(
    /// The fault fields' values, which the form reads when it is sent.
    faults: FaultSignals,
) -> impl IntoView {
    let FaultSignals {
        reject_credit,
        transient_count,
        transient_step,
        crash,
    } = faults;
    // The faults chosen, named in the folded summary so none is forgotten there.
    let active_faults = move || faults.draft().active();
    view! {
        <details class="faults">
            <summary>"Inject a fault " <span class="faults__active" data-testid="faults-active">{active_faults}</span></summary>
            <p class="hint">
                "Faults are played by the app, never by the bank's rules: a refused credit makes the saga compensate; "
                "passing failures are retried after a backoff wait on the saga's virtual clock, each failed attempt written as an event (the credit gives up when its next retry would start after its 1000 ms deadline, and the saga compensates; the debit and the refund count as refused after 5 attempts); "
                "a crash stops the page at that point, and after the reload the saga resumes from the log alone."
            </p>
            <label class="choice">
                <input type="checkbox" name="reject_credit" prop:checked=move || reject_credit.get()
                    on:change=move |ev| reject_credit.set(event_target_checked(&ev))/>
                "The destination rejects the credit (the saga must compensate)"
            </label>
            <div class="form__row">
                <label>
                    "Failures before success"
                    <input name="transient_count" type="number" min="0" max=MAX_FAILURES.to_string() prop:value=move || transient_count.get()
                        on:input=move |ev| transient_count.set(event_target_value(&ev))/>
                </label>
                <label>
                    "…of the step"
                    <select name="transient_step" on:change=move |ev| {
                        // The options are the steps' own names, so this always reads.
                        if let Ok(step) = event_target_value(&ev).parse() {
                            transient_step.set(step);
                        }
                    }>
                        {transfer_draft::step_options()
                            .map(|(value, label)| view! {
                                <option value=value prop:selected=move || transient_step.get().as_str() == value>
                                    {label}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Crash"
                    <select name="crash" on:change=move |ev| {
                        // The options are made from the crash points, so this always reads.
                        if let Ok(choice) = transfer_draft::crash_choice(&event_target_value(&ev)) {
                            crash.set(choice);
                        }
                    }>
                        {transfer_draft::crash_options()
                            .map(|(value, label)| view! {
                                <option value=value prop:selected=move || transfer_draft::crash_value(crash.get()) == value>
                                    {label}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
        </details>
    }
}

/// How many transfers the list shows at first (and adds per "show more").
const PAGE: usize = 50;

/// What a row of the transfer list shows.
struct Row {
    transfer_id: TransferId,
    from_account_id: AccountId,
    to_account_id: AccountId,
    amount: Money,
    state: crate::domain::TransferState,
}

/// The transfers, newest first, with their status.
#[component]
fn TransferList() -> impl IntoView {
    let bank = use_bank();
    let (selection, notices) = (use_selection(), use_notices());
    let limit = RwSignal::new(PAGE);
    let total = Signal::derive(move || bank.read_shown(|m| m.transfers.len()).unwrap_or(0));
    let shown = Signal::derive(move || total.get().min(limit.get()));
    // The newest first, and only as many as are shown (timelines are not copied).
    let rows = move || {
        bank.read_shown(|m| {
            m.transfer_order
                .iter()
                .rev()
                .take(limit.get())
                .filter_map(|id| m.transfers.get(id))
                .map(|t| Row {
                    transfer_id: t.transfer_id.clone(),
                    from_account_id: t.from_account_id.clone(),
                    to_account_id: t.to_account_id.clone(),
                    amount: t.amount,
                    state: t.state.clone(),
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="transfer-list">
                <caption class="visually-hidden">"Transfers and their status"</caption>
                <TransfersHead/>
                <tbody>
                    {move || {
                        let rows = rows();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="4" class="empty">"No transfers yet."</td></tr> }.into_any();
                        }
                        rows.into_iter().map(|t| {
                            let id = t.transfer_id.clone();
                            let selected = {
                                let id = id.clone();
                                move || selection.transfer.get().as_ref() == Some(&id)
                            };
                            let resumed = {
                                let id = id.clone();
                                move || notices.resumed.get().contains(&id)
                            };
                            let state = t.state.clone();
                            view! {
                                <tr class:row--selected=selected data-testid=format!("transfer-row-{id}")>
                                    <th scope="row">{id_cut(id.to_string(), Some(route::href(&Route::Transfer(id.clone()))))}</th>
                                    <td class="ids">
                                        {id_cut(t.from_account_id.to_string(), None)}
                                        " "
                                        // The arrow stays with the destination when the
                                        // cell needs two lines.
                                        <span class="ids__to">"→ " {id_cut(t.to_account_id.to_string(), None)}</span>
                                    </td>
                                    <td class="num">{t.amount.to_string()}</td>
                                    <td>
                                        <TransferBadge state=Signal::derive(move || state.clone())/>
                                        {move || resumed().then(|| view! { <span class="badge badge--info">"resumed after reload"</span> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
            <ShowMore shown=shown total=total limit=limit step=PAGE what="transfers"/>
        </div>
    }
}
