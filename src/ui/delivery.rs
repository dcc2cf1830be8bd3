//! The read models' delivery control: where the log and the page's read models
//! stand, pause and resume delivery, deliver the next event by hand, deliver each
//! event twice, and read your own write by waiting for its position. What it shows
//! is [`crate::app::delivery::DeliveryView`]; it decides nothing.

use leptos::prelude::*;

use super::service::use_bank;
use super::widgets::id_cut;
use crate::app::delivery::{DeliveryView, TwiceRow};

/// The control, near the balances and statements it governs.
#[component]
pub fn DeliveryControl() -> AnyView {
    let bank = use_bank();
    let view = Memo::new(move |_| bank.delivery_view());
    let get = move |f: fn(&DeliveryView) -> bool| view.with(|v| v.as_ref().is_some_and(f));
    let paused = move || get(|v| v.paused);
    let positions = move || view.with(|v| v.as_ref().map(|v| v.positions.clone()));
    let read = move || view.with(|v| v.as_ref().and_then(|v| v.read.clone()));
    let toggle = move |_| {
        let pause = !paused();
        bank.with_delivery(|d, log| if pause { d.pause(log) } else { d.resume(log) });
    };
    let next = move |_| {
        bank.with_delivery(|d, log| d.deliver_next(log));
    };
    let twice = move |ev| {
        let on = event_target_checked(&ev);
        bank.with_delivery(|d, log| d.set_twice(on, log));
    };
    let wait = move |_| {
        bank.with_delivery(|d, log| d.wait_for_my_write(log));
    };
    view! {
        <div class="delivery" role="group" aria-labelledby="delivery-title" data-testid="delivery">
            <h3 id="delivery-title">"Read models "
                <span class="badge" class:badge--warn=paused>{move || if paused() { "paused" } else { "live" }}</span>
            </h3>
            <p role="status" class:delivery--behind=move || get(|v| v.behind) data-testid="delivery-positions">{positions}</p>
            <div class="delivery__actions">
                <button class="button button--secondary button--chip" type="button" on:click=toggle>
                    {move || if paused() { "Resume delivery" } else { "Pause delivery" }}
                </button>
                <button class="button button--secondary button--chip" type="button" on:click=next
                    aria-disabled=move || (!get(|v| v.behind)).then_some("true")>"Deliver next event"</button>
                <button class="button button--secondary button--chip" type="button" on:click=wait>
                    "Read my last write (wait for it)"
                </button>
                <label class="choice">
                    <input type="checkbox" name="deliver_twice" prop:checked=move || get(|v| v.twice) on:change=twice/>
                    "Deliver each event twice"
                </label>
            </div>
            <p role="status" data-testid="delivery-read">{move || read().unwrap_or_else(|| "Nothing read yet: deposit or withdraw, then read it back with Read my last write.".into())}</p>
            {move || view.with(|v| v.as_ref().filter(|v| v.twice).map(|v| twice_table(&v.twice_rows, v.ignored.clone())))}
        </div>
    }
    .into_any()
}

/// Each account as the naive projection (counts every delivery) and the read models
/// (track the last position applied) see it.
fn twice_table(rows: &[TwiceRow], ignored: Option<String>) -> AnyView {
    let rows = rows
        .iter()
        .map(|r| {
            view! {
                <tr class:row--selected=r.differs>
                    <th scope="row">{id_cut(r.account.clone(), None)}</th>
                    <td class="num">{r.naive.clone()}</td>
                    <td class="num">{r.tracked.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" aria-label="Two projections, scrollable" tabindex="0">
            <table class="table table--compact" data-testid="delivery-twice">
                <caption>"Each event delivered twice: the naive projection adds every delivery; the read models track the last position they applied"</caption>
                <thead><tr>
                    <th scope="col">"Account"</th>
                    <th scope="col" class="num">"Naive"</th>
                    <th scope="col" class="num">"Read models"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="hint" data-testid="delivery-ignored">{ignored}</p>
    }
    .into_any()
}
