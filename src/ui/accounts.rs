//! The accounts panel: open an account, the list with balances and their history,
//! and for the selected account its actions and its statement.

use leptos::html;
use leptos::prelude::*;

use super::account_load::LoadFromStorage;
use super::action::Command;
use super::lazy::{Lazy, Start};
use super::page::{use_notices, use_selection};
use super::route::{self, Route};
use super::service::use_bank;
use super::widgets::{
    clear_error_on_input, clear_if_unchanged, focus_node, id_cut, sparkline_points,
    AccountStatusBadge, AccountsHead, FormError, ShowMore, Sparkline,
};
use crate::app::account_draft::{
    money_command, open_account, status_command, status_hint, MoneyMove, StatusChange,
};
use crate::app::projections::StatementLine;
use crate::app::views::as_of;
use crate::domain::{AccountId, AccountStatus, BankCommand, Money};
use crate::split_view;

/// Accounts: the open form, the list, the selected account.
#[component]
pub fn AccountsPanel() -> impl IntoView {
    view! {
        <section class="panel panel--accounts" aria-labelledby="accounts-title">
            <h2 id="accounts-title" tabindex="-1">"Accounts"</h2>
            <OpenAccountForm/>
            <super::delivery::DeliveryControl/>
            <AccountList/>
            <AccountDetail/>
        </section>
    }
}

/// The form that opens an account.
#[component]
fn OpenAccountForm() -> impl IntoView {
    let bank = use_bank();
    let notices = use_notices();
    let id = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let initial = RwSignal::new(String::from("0.00"));
    let error = RwSignal::new(None::<String>);
    let command = Command::new(error);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if command.running() {
            return;
        }
        // What was submitted: the fields are cleared only if they still hold it, so
        // what the user typed meanwhile (the next account) is never lost.
        let sent = (
            id.get_untracked(),
            owner.get_untracked(),
            initial.get_untracked(),
        );
        let open = match open_account(&sent.0, &sent.1, &sent.2) {
            Ok(c) => c,
            Err(e) => return error.set(Some(e)),
        };
        command.run(async move {
            let opened = open.account_id.clone();
            bank.execute(BankCommand::OpenAccount(open)).await?;
            clear_if_unchanged(id, &sent.0, "");
            clear_if_unchanged(owner, &sent.1, "");
            clear_if_unchanged(initial, &sent.2, "0.00");
            notices.announce(format!("Account {opened} opened"));
            Ok(())
        });
    };
    view! {
        <form class="form form--inline" on:submit=submit on:input=clear_error_on_input(error)
            aria-labelledby="open-title" data-testid="open-account-form">
            <h3 id="open-title">"Open an account"</h3>
            <label>
                "Account id " <span class="form__eg">"e.g. alice-123"</span>
                <input name="account_id" autocomplete="off"
                    prop:value=move || id.get() on:input=move |ev| id.set(event_target_value(&ev))/>
            </label>
            <label>
                "Owner name " <span class="form__eg">"e.g. Alice"</span>
                <input name="owner_name" autocomplete="off"
                    prop:value=move || owner.get() on:input=move |ev| owner.set(event_target_value(&ev))/>
            </label>
            <label>
                "Initial balance"
                <input name="initial_balance" inputmode="decimal" autocomplete="off"
                    prop:value=move || initial.get() on:input=move |ev| initial.set(event_target_value(&ev))/>
            </label>
            <button class="button" type="submit" aria-disabled=command.busy()>"Open account"</button>
            <FormError error=error test_id="open-account-error"/>
        </form>
    }
}

/// How many rows a long list shows at first (and adds per "show more").
const PAGE: usize = 100;

/// What the selected account's card shows above its statement.
#[derive(Clone, PartialEq)]
struct Header {
    owner_name: String,
    status: AccountStatus,
    balance: Money,
    version: u64,
}

/// What a row of the account list shows.
struct Row {
    account_id: AccountId,
    owner_name: String,
    status: AccountStatus,
    balance: Money,
    history: Vec<Money>,
    events: usize,
}

/// Every account with its status, balance and balance history.
#[component]
fn AccountList() -> impl IntoView {
    let bank = use_bank();
    let selected = use_selection().account;
    let at = use_selection().position;
    let limit = RwSignal::new(PAGE);
    let total = Signal::derive(move || bank.read_shown(|m| m.accounts.len()).unwrap_or(0));
    let shown = Signal::derive(move || total.get().min(limit.get()));
    // Only what a row shows: cloning whole statements would grow with the history.
    let accounts = move || {
        bank.read_shown(|m| {
            m.accounts
                .values()
                .take(limit.get())
                .map(|a| Row {
                    account_id: a.account_id.clone(),
                    owner_name: a.owner_name.clone(),
                    status: a.status,
                    balance: a.balance,
                    history: sparkline_points(&a.statement),
                    events: a.statement.len(),
                })
                .collect::<Vec<Row>>()
        })
        .unwrap_or_default()
    };
    view! {
        <div class="table-wrap">
            <p class="hint" data-testid="balances-as-of">{move || as_of::balances_words(at.get())}</p>
            <table class="table" data-testid="account-list">
                <caption class="visually-hidden">"Accounts and their balances"</caption>
                <AccountsHead history=true/>
                <tbody>
                    {move || {
                        let rows = accounts();
                        if rows.is_empty() {
                            return view! {
                                <tr><td colspan="5" class="empty">"No accounts yet: open one above, or load a scenario."</td></tr>
                            }.into_any();
                        }
                        rows.into_iter().map(|a| {
                            let id = a.account_id.clone();
                            let is_selected = {
                                let id = id.clone();
                                move || selected.get().as_ref() == Some(&id)
                            };
                            let status = a.status;
                            view! {
                                <tr class:row--selected=is_selected data-testid=format!("account-row-{id}")>
                                    <th scope="row">
                                        {id_cut(id.to_string(), Some(route::href(&Route::Account(id.clone()))))}
                                    </th>
                                    <td>{a.owner_name.clone()}</td>
                                    <td><AccountStatusBadge status=Signal::derive(move || status)/></td>
                                    <td class="num" data-testid="balance">{a.balance.to_string()}</td>
                                    <td class="col--history"><Sparkline balances=a.history events=a.events/></td>
                                </tr>
                            }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
            <ShowMore shown=shown total=total limit=limit step=PAGE what="accounts"/>
        </div>
    }
}

/// The selected account: money in and out, lifecycle, and its statement.
#[component]
fn AccountDetail() -> impl IntoView {
    let bank = use_bank();
    let selected = use_selection().account;
    // Re-create the card only when another account is chosen (or one appears), so
    // what is typed in its forms survives updates from this tab or others.
    let shown = Memo::new(move |_| {
        let id = selected.get()?;
        bank.read_shown(|m| m.accounts.contains_key(&id))
            .unwrap_or(false)
            .then_some(id)
    });
    move || {
        match shown.get() {
        Some(id) => {
            let load = move || account_card(id.clone());
            view! { <Lazy what="the account" frame=card_frame load start=Start::Now/> }.into_any()
        }
        None => view! {
            <p class="hint">"Select an account to deposit, withdraw, change its status and read its statement."</p>
        }
        .into_any(),
    }
    }
}

split_view!(
    /// The account card, from the `selected` chunk (see `timeline::saga_body`, whose
    /// `preload_selected` fetches it once the first screen is idle).
    fn account_card(id: AccountId) in selected => view! { <AccountCard id/> }
);

/// The account card's place while its code loads.
fn card_frame(line: AnyView) -> AnyView {
    view! { <div class="card-frame">{line}</div> }.into_any()
}

/// The selected account: its header, the money form, the status actions and its
/// statement.
#[component]
fn AccountCard(
    /// The account shown.
    id: AccountId,
) -> impl IntoView {
    let bank = use_bank();
    let account = {
        let id = id.clone();
        // The card's header only: the statement reads its own lines.
        Memo::new(move |_| {
            bank.read_shown(|m| {
                m.accounts.get(&id).map(|a| Header {
                    owner_name: a.owner_name.clone(),
                    status: a.status,
                    balance: a.balance,
                    version: a.version,
                })
            })
            .flatten()
        })
    };
    let error = RwSignal::new(None::<String>);
    // One command at a time on the card: money and status alike.
    let command = Command::new(error);
    let status = Signal::derive(move || account.get().map_or(AccountStatus::Closed, |a| a.status));
    let owner = move || account.get().map(|a| a.owner_name).unwrap_or_default();
    let balance = move || {
        account
            .get()
            .map(|a| a.balance.to_string())
            .unwrap_or_default()
    };
    let version = move || account.get().map_or(0, |a| a.version);
    let selected_event = use_selection().position;
    let title = id.to_string();
    view! {
        <article class="card" aria-labelledby="account-detail-title" data-testid="account-detail">
            <h3 id="account-detail-title">
                {title} " · " {owner} " "
                <AccountStatusBadge status=status/>
            </h3>
            // The card acts now; while an event is selected, it says so (its statement
            // shows that event's moment).
            <p class="card__balance">"Balance " {move || selected_event.get().map(|_| "now ")}
                <strong data-testid="detail-balance">{balance}</strong>
                <span class="muted">{move || format!(" · version {}", version())}</span>
            </p>
            <LoadFromStorage id=id.clone() version=Signal::derive(version)/>
            <MoneyForm id=id.clone() command=command/>
            <p class="hint" data-testid="status-hint">{move || status_hint(status.get())}</p>
            <StatusActions id=id.clone() command=command/>
            <FormError error=error test_id="account-error"/>
            <Statement id=id.clone()/>
        </article>
    }
}

/// Deposit into or withdraw from one account. One at a time: a double click must not
/// move money twice. A refused amount stays in the field to be fixed.
#[component]
fn MoneyForm(
    /// The account the money moves on.
    id: AccountId,
    /// The card's command: it shows why a command was refused, and runs one at a time.
    command: Command,
) -> impl IntoView {
    let (bank, notices) = (use_bank(), use_notices());
    let error = command.error;
    let amount = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let send = move |way: MoneyMove| {
        if command.running() {
            return;
        }
        let sent = (amount.get_untracked(), description.get_untracked());
        let (money, said) = match money_command(&id, way, &sent.0, &sent.1) {
            Ok(c) => c,
            Err(e) => return error.set(Some(e)),
        };
        command.run(async move {
            bank.execute(money).await?;
            // Cleared only once stored, and only if unchanged since.
            clear_if_unchanged(amount, &sent.0, "");
            clear_if_unchanged(description, &sent.1, "");
            notices.announce(said);
            Ok(())
        });
    };
    let send = StoredValue::new(send);
    let deposit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.with_value(|send| send(MoneyMove::Deposit));
    };
    let withdraw = move |_| send.with_value(|send| send(MoneyMove::Withdraw));
    view! {
        <form class="form form--inline" on:submit=deposit on:input=clear_error_on_input(error)
            aria-label="Move money" data-testid="money-form">
            <label>
                "Amount " <span class="form__eg">"e.g. 25.00"</span>
                <input name="amount" inputmode="decimal" autocomplete="off"
                    prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
            </label>
            <label>
                "Description " <span class="form__eg">"e.g. Salary"</span>
                <input name="description" autocomplete="off"
                    prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
            </label>
            <button class="button" type="submit" aria-disabled=command.busy()>"Deposit"</button>
            <button class="button button--secondary" type="button" on:click=withdraw aria-disabled=command.busy()>"Withdraw"</button>
        </form>
    }
}

/// Suspend (with a reason), reactivate, and close: closing cannot be undone, so it
/// asks once more, the focus moving to "Keep it open" and back.
#[component]
fn StatusActions(
    /// The account whose status changes.
    id: AccountId,
    /// The card's command: it shows why a command was refused, and runs one at a time.
    command: Command,
) -> impl IntoView {
    let (bank, notices) = (use_bank(), use_notices());
    let error = command.error;
    let reason = RwSignal::new(String::new());
    let closing = RwSignal::new(false);
    let close_button = NodeRef::<html::Button>::new();
    let keep_button = NodeRef::<html::Button>::new();
    let question =
        format!("Close {id} for good? A closed account takes no money and cannot be reopened.");
    let change = move |change: StatusChange| {
        if command.running() {
            return;
        }
        closing.set(false);
        let (status, said) = status_command(&id, change, &reason.get_untracked());
        command.run(async move {
            bank.execute(status).await?;
            notices.announce(said);
            Ok(())
        });
    };
    let change = StoredValue::new(change);
    let run = move |c: StatusChange| change.with_value(|change| change(c));
    view! {
        <div class="form form--inline" role="group" aria-label="Account status" on:input=clear_error_on_input(error)>
            <label>
                "Reason to suspend " <span class="form__eg">"e.g. Fraud check"</span>
                <input name="reason" autocomplete="off"
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <button class="button button--secondary" type="button" on:click=move |_| run(StatusChange::Suspend) aria-disabled=command.busy()>"Suspend"</button>
            <button class="button button--secondary" type="button" on:click=move |_| run(StatusChange::Reactivate) aria-disabled=command.busy()>"Reactivate"</button>
            <button class="button button--danger" type="button" data-testid="close-account" node_ref=close_button
                on:click=move |_| {
                    closing.set(true);
                    focus_node(keep_button);
                }
                hidden=move || closing.get()>"Close account"</button>
        </div>
        <div class="confirm" role="group" aria-label="Confirm closing" hidden=move || !closing.get() data-testid="close-confirm">
            <p>{question}</p>
            <button class="button button--danger" type="button" on:click=move |_| run(StatusChange::Close) aria-disabled=command.busy()>"Close for good"</button>
            <button class="button button--secondary" type="button" data-testid="close-keep" node_ref=keep_button
                on:click=move |_| {
                    closing.set(false);
                    focus_node(close_button);
                }>"Keep it open"</button>
        </div>
    }
}

/// An account's statement: each event with the running balance; transfer lines link
/// to their transfer's saga timeline.
#[component]
fn Statement(
    /// The account whose statement is shown.
    id: AccountId,
) -> impl IntoView {
    let bank = use_bank();
    let selected_event = use_selection().position;
    let limit = RwSignal::new(PAGE);
    let total = {
        let id = id.clone();
        Signal::derive(move || {
            bank.read_shown(|m| m.accounts.get(&id).map_or(0, |a| a.statement.len()))
                .unwrap_or(0)
        })
    };
    let shown = Signal::derive(move || total.get().min(limit.get()));
    let caption = {
        let id = id.clone();
        move || as_of::statement_words(id.as_str(), selected_event.get())
    };
    // The newest lines first, and only as many as are shown.
    let lines = move || {
        bank.read_shown(|m| {
            m.accounts.get(&id).map(|a| {
                a.statement
                    .iter()
                    .rev()
                    .take(limit.get())
                    .cloned()
                    .collect::<Vec<StatementLine>>()
            })
        })
        .flatten()
        .unwrap_or_default()
    };
    view! {
        <div class="table-wrap">
            <table class="table table--compact" data-testid="statement">
                <caption data-testid="statement-as-of">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="col--position">"#"</th>
                        <th scope="col" class="col--event">"Event"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col" class="num">"Amount"</th>
                        <th scope="col" class="num">"Balance"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || lines().into_iter().map(|line| {
                        let transfer = line.transfer_id.clone().map(|t| view! {
                            " " <a href=route::href(&Route::Transfer(t.clone())) data-testid="statement-transfer-link">
                                {format!("transfer {t}")}
                            </a>
                        });
                        let position = line.position;
                        view! {
                            <tr class:event--selected=move || selected_event.get() == Some(position)
                                class:event--later=move || selected_event.get().is_some_and(|n| position > n)>
                                <td class="col--position"><a href=route::href(&Route::Event(line.position))>{line.position}</a></td>
                                <td class="col--event">{line.event_type}</td>
                                <td>{line.description.clone()} {transfer}</td>
                                <td class="num">{if line.amount.is_zero() { String::new() } else { line.amount.to_string() }}</td>
                                <td class="num">{line.balance_after.to_string()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <ShowMore shown=shown total=total limit=limit step=PAGE what="lines"/>
    }
}
