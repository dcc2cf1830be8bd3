//! The read-only preview shown while the log loads: the bank as of its stored
//! [`Summary`] (see [`super::snapshot`]), with no forms. The full page replaces it
//! once the bank has been rebuilt from the log.

use std::rc::Rc;

use leptos::prelude::*;

use super::widgets::{
    AccountStatusBadge, AccountsHead, Brand, Sparkline, StatusBadge, TransfersHead,
};
use crate::app::projections::Summary;

/// How many accounts the preview lists.
const ACCOUNTS_SHOWN: usize = 100;

/// The bank as of the stored summary, marked busy until the log has loaded.
#[component]
pub fn Preview(
    /// The summary stored beside the log at the last visit.
    summary: Rc<Summary>,
) -> impl IntoView {
    // For measurements: when the preview was first shown (see README).
    Effect::new(move |_| {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("sagabank-preview");
        }
    });
    let banner = format!(
        "Showing the bank as of event {} while its history of {} events loads…",
        summary.position, summary.events
    );
    let more = summary.accounts.len().saturating_sub(ACCOUNTS_SHOWN);
    let accounts = summary
        .accounts
        .iter()
        .take(ACCOUNTS_SHOWN)
        .map(|a| {
            let status = a.status;
            let events = usize::try_from(a.statement_len).unwrap_or(usize::MAX);
            view! {
                <tr data-testid=format!("preview-account-{}", a.id)>
                    <th scope="row">{a.id.to_string()}</th>
                    <td>{a.owner.clone()}</td>
                    <td><AccountStatusBadge status=Signal::derive(move || status)/></td>
                    <td class="num" data-testid="preview-balance">{a.balance.to_string()}</td>
                    <td class="col--history"><Sparkline balances=a.sparkline.clone() events=events/></td>
                </tr>
            }
        })
        .collect_view();
    let transfers = summary
        .transfers
        .iter()
        .map(|t| {
            view! {
                <tr data-testid=format!("preview-transfer-{}", t.id)>
                    <th scope="row">{t.id.to_string()}</th>
                    <td class="ids">{format!("{} → {}", t.from, t.to)}</td>
                    <td class="num">{t.amount.to_string()}</td>
                    <td>
                        <StatusBadge status=t.status/>
                        {t.reason.clone().map(|r| view! { <span class="preview__reason">{r}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty_transfers = summary.transfers.is_empty();
    view! {
        <header class="masthead">
            <Brand/>
        </header>
        <main class="layout preview" aria-busy="true" data-testid="preview">
            <p class="banner banner--info preview__banner" role="status" data-testid="preview-banner">
                {banner}
            </p>
            <section class="panel" aria-labelledby="preview-accounts-title">
                <h2 id="preview-accounts-title">"Accounts"</h2>
                <div class="table-wrap">
                    <table class="table" data-testid="preview-accounts">
                        <caption class="visually-hidden">"Accounts and their balances (preview)"</caption>
                        <AccountsHead history=true/>
                        <tbody>{accounts}</tbody>
                    </table>
                    {(more > 0).then(|| view! { <p class="show-more">{format!("and {more} more accounts")}</p> })}
                </div>
            </section>
            <section class="panel" aria-labelledby="preview-transfers-title">
                <h2 id="preview-transfers-title">"Newest transfers"</h2>
                <div class="table-wrap">
                    <table class="table" data-testid="preview-transfers">
                        <caption class="visually-hidden">"The newest transfers (preview)"</caption>
                        <TransfersHead/>
                        <tbody>
                            {empty_transfers.then(|| view! { <tr><td colspan="4" class="empty">"No transfers yet."</td></tr> })}
                            {transfers}
                        </tbody>
                    </table>
                </div>
            </section>
        </main>
    }
}
