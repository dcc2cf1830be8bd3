//! The operator's fix, shown in the saga of a transfer that needs attention: choose the
//! account the refund goes into and give a reason, then retry the refund. The choices
//! and the words come from [`OperatorFix`]; this only renders them and sends the fix.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::action::Command;
use super::page::use_notices;
use super::service::use_bank;
use super::widgets::{clear_error_on_input, FormError};
use crate::app::views::operator_fix::{fix_draft, OperatorFix};

/// The fix of one transfer that needs attention: what the money is doing, and (when
/// an account can take the refund) the form that retries it.
#[component]
pub fn OperatorFixForm(
    /// The transfer's fix, as the view model offers it.
    fix: OperatorFix,
) -> impl IntoView {
    let (bank, notices) = (use_bank(), use_notices());
    let command = Command::new(RwSignal::new(None));
    let error = command.error;
    let choices = fix.choices.clone();
    let to = RwSignal::new(choices.first().map(ToString::to_string).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let id = fix.transfer_id.clone();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if command.running() {
            return;
        }
        // Checked here: a refusal is shown beside the fields, which keep what was typed.
        let (account, why) = match fix_draft(&to.get_untracked(), &reason.get_untracked()) {
            Ok(draft) => draft,
            Err(e) => return error.set(Some(e)),
        };
        let id = id.clone();
        command.run(async move {
            bank.retry_refund(id.clone(), account.clone(), why).await?;
            notices.announce(format!("{id}: the refund is retried into {account}"));
            // The form is gone with the fix: the keyboard goes on to the saga's next step.
            request_animation_frame(|| {
                let next = document().get_element_by_id("next-step");
                if let Some(next) = next.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = next.focus();
                }
            });
            Ok(())
        });
    };
    let form = (!choices.is_empty()).then(|| view! {
        <form class="form form--inline" on:submit=send on:input=clear_error_on_input(error)
            aria-label="Retry the refund" data-testid="operator-fix-form">
            <label>
                "Refund into "
                <select name="refund-to" on:change=move |ev| to.set(event_target_value(&ev))>
                    {choices.iter().map(|a| view! { <option value=a.to_string()>{a.to_string()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Reason " <span class="form__eg">"e.g. Source closed; refund to savings"</span>
                <input name="reason" autocomplete="off"
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <button class="button" type="submit" aria-disabled=command.busy()>"Retry the refund"</button>
            <FormError error=error test_id="operator-fix-error"/>
        </form>
    });
    view! {
        <section class="operator-fix" aria-labelledby="operator-fix-title" data-testid="operator-fix">
            <h4 id="operator-fix-title">"Operator's fix"</h4>
            {fix.words.into_iter().map(|w| view! { <p>{w}</p> }).collect_view()}
            {form}
        </section>
    }
    .into_any()
}
