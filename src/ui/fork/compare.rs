//! A comparison rendered ([`crate::app::views::compare`] decides it): both histories
//! after the fork point side by side, then the accounts and transfers that differ,
//! one line per value, each cell that differs marked in words ("differs"), not by
//! colour alone.

use leptos::prelude::*;

use crate::app::views::compare::{Comparison, History, Table};

/// A bank and its fork, compared.
#[component]
pub fn CompareView(
    /// The fork's name.
    name: String,
    /// What differs.
    c: Comparison,
) -> impl IntoView {
    let at = c.at;
    view! {
        <div class="compare" data-testid="compare">
            <h3 id="compare-title" tabindex="-1">{format!("Your bank and {name}, from event {at} on")}</h3>
            <div class="compare__histories">
                <Events title="Your bank".to_owned() h=c.base at=at/>
                <Events title=name h=c.fork at=at/>
            </div>
            <Differences title="Accounts" what=&["Balance", "Status"] t=c.accounts/>
            <Differences title="Transfers" what=&["From → to", "Amount", "Status"] t=c.transfers/>
        </div>
    }
    .into_any()
}

/// One bank's events after the fork point.
#[component]
fn Events(
    /// Whose events.
    title: String,
    /// The events.
    h: History,
    /// The fork point.
    at: u64,
) -> impl IntoView {
    let more = h.total - h.lines.len();
    view! {
        <div class="compare__history">
            <h4>{format!("{title}: {} event{} after #{at}", h.total, if h.total == 1 { "" } else { "s" })}</h4>
            {(h.total > 0).then(|| view! {
                <ol class="compare__events" tabindex="0" aria-label=format!("{title}: the events after #{at}")>
                    {h.lines.into_iter().map(|l| view! {
                        <li><span class="num">{format!("#{}", l.position)}</span> " " {l.event_type} " · " {l.stream}</li>
                    }).collect_view()}
                </ol>
            })}
            {(more > 0).then(|| view! { <p>{format!("…and {more} more.")}</p> })}
        </div>
    }
    .into_any()
}

/// The rows of a table that differ, one line per value, and how many are the same.
#[component]
fn Differences(
    /// Accounts or transfers.
    title: &'static str,
    /// What each cell of a row is.
    what: &'static [&'static str],
    /// The rows.
    t: Table,
) -> impl IntoView {
    let same = t.total - t.changed;
    let caption = format!(
        "{title}: {} of {} differ{}",
        t.changed,
        t.total,
        if same > 0 {
            format!("; {same} the same in both, not listed")
        } else {
            String::new()
        }
    );
    let lines = t.rows.into_iter().filter(|r| r.changed()).flat_map(|row| {
        let id = row.id;
        row.cells.into_iter().zip(what).map(move |(cell, what)| {
            view! {
                <tr class:compare__row--changed=cell.changed>
                    <th scope="row" class="id">{id.clone()}</th>
                    <td>{*what}</td>
                    <td>{cell.base}</td>
                    <td>
                        {cell.fork}
                        {cell.changed.then(|| view! { <strong class="compare__mark">" differs"</strong> })}
                    </td>
                </tr>
            }
        }).collect::<Vec<_>>()
    }).collect_view();
    view! {
        <div class="table-wrap">
            <table class="table compare__table">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">"Id"</th><th scope="col">"Value"</th><th scope="col">"Your bank"</th><th scope="col">"Fork"</th></tr></thead>
                <tbody>{lines}</tbody>
            </table>
        </div>
    }
    .into_any()
}
