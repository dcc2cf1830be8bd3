//! "Given / when / then": a small spec of an account's rules, built from choices and
//! run against the real decider ([`crate::app::views::spec`]), pass or fail shown
//! with what the decider did. It reads and writes no bank.

use leptos::prelude::*;

use crate::app::views::spec::{needs_amount, run, Line, Verdict, GIVEN, THEN, WHEN};

/// The spec form and its verdict.
#[component]
pub fn SpecPanel() -> impl IntoView {
    let start = [
        ("AccountOpened", "10.00"),
        ("MoneyWithdrawn", "4.00"),
        ("", ""),
    ];
    let given: Vec<RwSignal<Line>> = start
        .iter()
        .map(|(n, a)| {
            RwSignal::new(Line {
                name: (*n).into(),
                amount: (*a).into(),
            })
        })
        .collect();
    let when = RwSignal::new(Line {
        name: "WithdrawMoney".into(),
        amount: "7.00".into(),
    });
    let then = RwSignal::new("InsufficientBalance".to_owned());
    let verdict: RwSignal<Option<Result<Verdict, String>>> = RwSignal::new(None);
    let rows = given.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lines: Vec<Line> = rows
            .iter()
            .map(|r| r.get_untracked())
            .filter(|l| !l.name.is_empty())
            .collect();
        verdict.set(Some(run(
            &lines,
            &when.get_untracked(),
            &then.get_untracked(),
        )));
    };
    let given_rows = given
        .into_iter()
        .enumerate()
        .map(|(i, line)| line_row(format!("Given {}", i + 1), &GIVEN, line, verdict))
        .collect_view();
    view! {
        <section class="panel spec" aria-labelledby="spec-title">
            <h2 id="spec-title">"Given / when / then"</h2>
            <p class="hint">"A test of an account's rules: given some events, when a command, then an event or a refusal. Run it against the real decider; nothing is stored."</p>
            <form class="spec__form" on:submit=submit novalidate>
                {given_rows}
                {line_row("When".to_owned(), &WHEN, when, verdict)}
                <label class="spec__row">"Then"
                    <select on:change=move |ev| { then.set(event_target_value(&ev)); verdict.set(None); }
                        prop:value=move || then.get()>
                        {THEN.iter().map(|(k, w)| view! { <option value=*k>{*w}</option> }).collect_view()}
                    </select>
                </label>
                <button class="button" type="submit">"Run the spec"</button>
            </form>
            <p class="spec__verdict" role="status" class:spec__verdict--pass=move || matches!(verdict.get(), Some(Ok(v)) if v.passed)>
                {move || verdict.get().map(|v| match v {
                    Ok(v) if v.passed => format!("Pass: expected {}; the decider: {}.", v.expected, v.actual),
                    Ok(v) => format!("Fail: expected {}, but the decider: {}.", v.expected, v.actual),
                    Err(e) => e,
                })}
            </p>
        </section>
    }
    .into_any()
}

/// One line of the spec: a choice among `names` (or none, for a given event) and the
/// amount beside it, when the choice takes one. Any change clears the verdict.
fn line_row(
    label: String,
    names: &'static [&'static str],
    line: RwSignal<Line>,
    verdict: RwSignal<Option<Result<Verdict, String>>>,
) -> AnyView {
    let amount_label = format!("{label} amount");
    let given = label.starts_with("Given");
    view! {
        <div class="spec__row">
            <label>{label}" "
                <select
                    prop:value=move || line.with(|l| l.name.clone())
                    on:change=move |ev| { line.update(|l| l.name = event_target_value(&ev)); verdict.set(None); }
                >
                    {given.then(|| view! { <option value="">"(none)"</option> })}
                    {names.iter().map(|n| view! { <option value=*n>{*n}</option> }).collect_view()}
                </select>
            </label>
            <label hidden=move || !line.with(|l| needs_amount(&l.name))>{amount_label}" "
                <input type="text" inputmode="decimal" autocomplete="off" size="8"
                    prop:value=move || line.with(|l| l.amount.clone())
                    on:input=move |ev| { line.update(|l| l.amount = event_target_value(&ev)); verdict.set(None); }/>
            </label>
        </div>
    }
    .into_any()
}
