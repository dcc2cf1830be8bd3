//! The transfers panel: the transfer form (run at once or step by step, with faults
//! to inject), the list of transfers with their status, and the selected transfer's
//! saga timeline.

use leptos::prelude::*;

use super::crash::crash_and_reload;
use super::route::{self, Target};
use super::service::use_bank;
use super::timeline::SagaTimeline;
use super::widgets::{
    clear_error_on_input, clear_if_unchanged, FormError, ShowMore, TransferBadge, TransfersHead,
};
use crate::app::faults::MAX_ATTEMPTS;
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

/// Reads the crash select's value.
fn crash_point(value: &str) -> Option<CrashPoint> {
    let step = |s: &str| match s {
        "debit" => Some(SagaStep::Debit),
        "credit" => Some(SagaStep::Credit),
        "refund" => Some(SagaStep::Refund),
        _ => None,
    };
    match value.split_once(':') {
        Some(("leg", s)) => step(s).map(CrashPoint::AfterLeg),
        Some(("step", s)) => step(s).map(CrashPoint::AfterStep),
        _ if value == "initiated" => Some(CrashPoint::AfterInitiated),
        _ => None,
    }
}

fn step_of(value: &str) -> SagaStep {
    match value {
        "debit" => SagaStep::Debit,
        "refund" => SagaStep::Refund,
        _ => SagaStep::Credit,
    }
}

/// The form that starts a transfer.
#[component]
fn TransferForm() -> impl IntoView {
    let bank = use_bank();
    let suggested = move || {
        let n = bank.read(|m| m.transfers.len()).unwrap_or(0);
        let mut k = n + 1;
        while bank
            .read(|m| {
                TransferId::parse(&format!("t-{k}"))
                    .map(|id| m.transfers.contains_key(&id))
                    .unwrap_or(false)
            })
            .unwrap_or(false)
        {
            k += 1;
        }
        format!("t-{k}")
    };
    let id = RwSignal::new(String::new());
    // Whether the user typed an id; if not, the suggestion follows the transfers.
    let id_touched = RwSignal::new(false);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let stepwise = RwSignal::new(true);
    let reject_credit = RwSignal::new(false);
    let transient_count = RwSignal::new(String::from("0"));
    let transient_step = RwSignal::new(String::from("credit"));
    let crash = RwSignal::new(String::from("none"));
    let error = RwSignal::new(None::<String>);
    let crashed = RwSignal::new(None::<String>);
    // A new bank (a scenario, an import, a reset): nothing typed for the old one stays.
    // (Emptied in place: a form rebuilt while the page runs lost its fault options'
    // inputs in Chromium, which left them unrendered inside the <details>.)
    Effect::new(move |first: Option<()>| {
        bank.db_name.track();
        if first.is_some() {
            for field in [from, to, amount, description] {
                field.set(String::new());
            }
            reject_credit.set(false);
            transient_count.set("0".into());
            crash.set("none".into());
            error.set(None);
            id_touched.set(false);
        }
    });
    Effect::new(move |_| {
        // Keep a fresh suggestion in an id field the user has not typed in.
        let next = suggested();
        if !id_touched.get_untracked() {
            id.set(next);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id_text = if id.get_untracked().trim().is_empty() {
            suggested()
        } else {
            id.get_untracked()
        };
        let parsed = (|| -> Result<(TransferMoney, FaultPlan), String> {
            let transfer_id =
                TransferId::parse(&id_text).map_err(|e| format!("Transfer id: {e}"))?;
            let from_account_id = AccountId::parse(&from.get_untracked())
                .map_err(|e| format!("From account: {e}"))?;
            let to_account_id =
                AccountId::parse(&to.get_untracked()).map_err(|e| format!("To account: {e}"))?;
            let amount =
                Money::parse(&amount.get_untracked()).map_err(|e| format!("Amount: {e}"))?;
            let failures: u32 = transient_count
                .get_untracked()
                .trim()
                .parse()
                .map_err(|_| {
                    format!(
                        "Failures before success: write a whole number from 0 to {}",
                        MAX_ATTEMPTS - 1
                    )
                })?;
            // One more would use up every attempt: the step would count as refused.
            if failures >= MAX_ATTEMPTS {
                return Err(format!(
                    "Failures before success: at most {} (after {MAX_ATTEMPTS} failed attempts a step counts as refused)",
                    MAX_ATTEMPTS - 1
                ));
            }
            let plan = FaultPlan {
                reject_credit: reject_credit.get_untracked(),
                transient: (failures > 0)
                    .then(|| (step_of(&transient_step.get_untracked()), failures)),
                crash: crash_point(&crash.get_untracked()),
            };
            Ok((
                TransferMoney {
                    transfer_id,
                    from_account_id,
                    to_account_id,
                    amount,
                    description: description.get_untracked(),
                },
                plan,
            ))
        })();
        let (command, plan) = match parsed {
            Ok(p) => p,
            Err(e) => return error.set(Some(e)),
        };
        let Some(b) = bank.bank() else { return };
        let transfer_id = command.transfer_id.clone();
        let step_mode = stepwise.get_untracked();
        let plan_rejects = plan.reject_credit;
        let sent = (
            amount.get_untracked(),
            description.get_untracked(),
            id.get_untracked(),
            transient_count.get_untracked(),
            crash.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            // Faults are attached only if this really starts the transfer.
            let mode = if step_mode {
                RunMode::Step
            } else {
                RunMode::Auto
            };
            let result = match b.start_transfer_with(command, plan, mode).await {
                Ok(started) if started.events.is_empty() => Ok(false),
                Ok(_) if step_mode => Ok(true),
                Ok(_) => b.run_transfer(&transfer_id).await.map(|_| true),
                Err(e) => Err(e),
            };
            if let Err(e) = &result {
                bank.note_bank_error(e);
            }
            match result {
                Ok(started) => {
                    error.set(None);
                    clear_if_unchanged(amount, &sent.0, "");
                    clear_if_unchanged(description, &sent.1, "");
                    // A fault is for the transfer it was chosen for, never the next one
                    // (unless it was changed meanwhile, for the next one).
                    if started {
                        if reject_credit.try_get_untracked() == Some(plan_rejects) {
                            reject_credit.set(false);
                        }
                        clear_if_unchanged(transient_count, &sent.3, "0");
                        clear_if_unchanged(crash, &sent.4, "none");
                    }
                    if id.try_get_untracked().as_deref() == Some(sent.2.as_str()) {
                        id_touched.set(false);
                        id.set(suggested());
                    }
                    bank.announce(if started {
                        format!("Transfer {transfer_id} started")
                    } else {
                        format!("Transfer {transfer_id} already exists with these details: nothing new was written")
                    });
                    route::go(&Target::Transfer(transfer_id));
                }
                Err(BankError::Crashed(where_)) => {
                    crashed.set(Some(format!("Simulated crash {where_}.")));
                    crash_and_reload(bank, &transfer_id, &where_);
                    route::go(&Target::Transfer(transfer_id));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };

    let account_options = move || {
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
    };

    // The faults chosen, named in the folded summary so none is forgotten there.
    let active_faults = move || {
        let mut on = Vec::new();
        if reject_credit.get() {
            on.push("credit rejected".to_owned());
        }
        match transient_count.get().trim() {
            "" | "0" => {}
            n => on.push(format!("{n} failures of the {}", transient_step.get())),
        }
        if crash.get() != "none" {
            on.push("a crash".to_owned());
        }
        if on.is_empty() {
            String::new()
        } else {
            format!("(on: {})", on.join(", "))
        }
    };
    // Accounts that do not exist are allowed (the saga shows what happens), but said.
    // A memo: the hint's text and its `hidden` read it on every keystroke.
    let unknown_accounts = Memo::new(move |_| {
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
    });

    view! {
        // novalidate: every check is ours, with a message next to the form; the
        // browser's own would block a submit silently when the field is folded away.
        <form class="form" novalidate on:submit=submit on:input=clear_error_on_input(error)
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
                    "From account"
                    <input name="from_account_id" list="account-ids" autocomplete="off" placeholder="alice-123"
                        prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </label>
                <label>
                    "To account"
                    <input name="to_account_id" list="account-ids" autocomplete="off" placeholder="bob-456"
                        prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                </label>
            </div>
            <div class="form__row">
                <label>
                    "Amount"
                    <input name="amount" inputmode="decimal" autocomplete="off" placeholder="250.00"
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                </label>
                <label class="form__grow">
                    "Description"
                    <input name="description" autocomplete="off" placeholder="Payment for services"
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
            <details class="faults">
                <summary>"Inject a fault " <span class="faults__active" data-testid="faults-active">{active_faults}</span></summary>
                <p class="hint">
                    "Faults are played by the app, never by the bank's rules: a refused credit makes the saga compensate; "
                    "passing failures are retried, each attempt written as an event (after 5 the step counts as refused); "
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
                        <input name="transient_count" type="number" min="0" max=(MAX_ATTEMPTS - 1).to_string() prop:value=move || transient_count.get()
                            on:input=move |ev| transient_count.set(event_target_value(&ev))/>
                    </label>
                    <label>
                        "…of the step"
                        <select name="transient_step" prop:value=move || transient_step.get()
                            on:change=move |ev| transient_step.set(event_target_value(&ev))>
                            <option value="debit">"debit"</option>
                            <option value="credit">"credit"</option>
                            <option value="refund">"refund"</option>
                        </select>
                    </label>
                    <label>
                        "Crash"
                        <select name="crash" prop:value=move || crash.get() on:change=move |ev| crash.set(event_target_value(&ev))>
                            <option value="none">"no crash"</option>
                            <option value="initiated">"after the transfer is initiated"</option>
                            <option value="leg:debit">"after the debit, before it is recorded"</option>
                            <option value="step:debit">"after the debit step"</option>
                            <option value="leg:credit">"after the credit, before it is recorded"</option>
                            <option value="step:credit">"after the credit step"</option>
                            <option value="leg:refund">"after the refund, before it is recorded"</option>
                            <option value="step:refund">"after the refund step"</option>
                        </select>
                    </label>
                </div>
            </details>
            <p class="hint hint--warning" hidden=move || unknown_accounts.with(Option::is_none) data-testid="transfer-unknown-account">
                {move || unknown_accounts.get().unwrap_or_default()}
            </p>
            <button class="button" type="submit">"Start transfer"</button>
            <FormError error=error test_id="transfer-error"/>
            <p class="banner banner--warning" role="status" hidden=move || crashed.get().is_none() data-testid="crash-notice">
                {move || crashed.get().unwrap_or_default()} " The page reloads now; the saga resumes from the log."
            </p>
        </form>
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
    let limit = RwSignal::new(PAGE);
    let total = Signal::derive(move || bank.read(|m| m.transfers.len()).unwrap_or(0));
    let shown = Signal::derive(move || total.get().min(limit.get()));
    // The newest first, and only as many as are shown (timelines are not copied).
    let rows = move || {
        bank.read(|m| {
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
                                move || bank.selected_transfer.get().as_ref() == Some(&id)
                            };
                            let resumed = {
                                let id = id.clone();
                                move || bank.resumed.get().contains(&id)
                            };
                            let state = t.state.clone();
                            view! {
                                <tr class:row--selected=selected data-testid=format!("transfer-row-{id}")>
                                    <th scope="row"><a class="id-cut" href=route::href(&Target::Transfer(id.clone())) title=id.to_string()>{id.to_string()}</a></th>
                                    <td class="ids">
                                        <span class="id-cut" title=t.from_account_id.to_string()>{t.from_account_id.to_string()}</span>
                                        " → "
                                        <span class="id-cut" title=t.to_account_id.to_string()>{t.to_account_id.to_string()}</span>
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
