//! "Predict, then act": the lesson's prediction in the panel. It renders the stage
//! [`crate::app::learn::predict::stage`] decides (the question, the locked answer,
//! or the answer beside the log) and sends the form's fields to
//! [`crate::app::learn::predict::answer_from`] and [`crate::app::learn::predict::lock`].

use leptos::prelude::*;

use super::open::open;
use super::state::{course, Learn};
use crate::app::learn::predict::{self, Comparison, Kind, Stage};
use crate::app::learn::{Lesson, LESSONS};
use crate::ui::page::use_page;
use crate::ui::service::{use_bank, BankHandle};
use crate::ui::widgets::FormError;

/// Ends the action at the learner's next click or sent form, and keeps in the
/// progress whether each compared prediction was right. Called once by the course.
pub fn watch(handle: BankHandle, learn: Learn) {
    let mark = move || {
        let db = handle.db_name.get_untracked();
        let Some(log) = handle.bank().map(|b| b.models().audit) else {
            return;
        };
        learn.note(&db, |r| predict::mark(r, &log));
    };
    // The course lives as long as the page.
    std::mem::forget(window_event_listener(leptos::ev::click, move |_| mark()));
    std::mem::forget(window_event_listener(leptos::ev::submit, move |_| mark()));
    Effect::new(move |_| {
        let db = handle.db_name.get();
        let Some((n, record)) = learn.session.with(|s| {
            s.as_ref()
                .and_then(|s| Some((s.lesson, s.record_in(&db)?.clone())))
        }) else {
            return;
        };
        let Some(lesson) = crate::app::learn::lesson(n) else {
            return;
        };
        let stage = handle.read(|m| predict::stage(&lesson.prediction, &record, m));
        if let Some(Stage::Compared(_, c)) = stage {
            let right = c.right();
            if learn
                .progress
                .with_untracked(|p| p.predictions.get(lesson.key) != Some(&right))
            {
                learn.progress.update(|p| {
                    p.predicted(lesson.key, right);
                });
            }
        }
    });
}

/// The lesson's prediction: asked, locked, or compared with the log.
#[component]
pub fn Predict(
    /// The lesson shown.
    lesson: &'static Lesson,
) -> impl IntoView {
    let n = LESSONS
        .iter()
        .position(|l| l.key == lesson.key)
        .map_or(1, |i| i + 1);
    let bank = use_bank();
    let learn = course();
    let stage = move || {
        let db = bank.db_name.get();
        let record = learn
            .session
            .with(|s| s.as_ref().and_then(|s| s.record_in(&db).cloned()))
            .unwrap_or_default();
        bank.read(|m| predict::stage(&lesson.prediction, &record, m))
            .unwrap_or(Stage::Asking)
    };
    // A memo: the form must not be rebuilt (and its choices lost) on every event.
    let asking = Memo::new(move |_| matches!(stage(), Stage::Asking));
    view! {
        <section class="learn__predict" aria-labelledby="learn-predict-title">
            <h3 id="learn-predict-title" class="learn__subtitle" tabindex="-1">"Predict, then act"</h3>
            {move || if asking.get() {
                view! { <Question lesson=lesson/> }.into_any()
            } else {
                (move || match stage() {
                    Stage::Locked(words) => view! {
                        <p>"Your prediction, locked: " <strong>{words}</strong></p>
                        <p class="hint">"Now do it in the page: what the log says appears here beside it."</p>
                    }.into_any(),
                    Stage::Compared(words, c) => view! {
                        <Compared words=words comparison=c/>
                        <TryAgain n=n/>
                    }.into_any(),
                    Stage::Followed => view! {
                        <p role="status">"You loaded this bank during the lesson: what you do in it is not compared with a prediction (a comparison made before the load counts, as All lessons shows). Try again to predict on a new practice bank."</p>
                        <TryAgain n=n/>
                    }.into_any(),
                    _ => view! {
                        <p role="status">"You acted before predicting: try again to predict first."</p>
                        <TryAgain n=n/>
                    }.into_any(),
                }).into_any()
            }}
        </section>
    }
}

/// "Try again": a new attempt on a new practice bank, with a new prediction.
#[component]
fn TryAgain(
    /// The lesson to open again (1-based).
    n: usize,
) -> impl IntoView {
    let page = use_page();
    let learn = course();
    view! {
        <button class="button button--secondary button--chip" type="button"
            disabled=move || learn.busy.get() on:click=move |_| open(page, learn, n)>
            "Try again"
        </button>
        " "
        <span class="hint">"It restarts the lesson on a new practice bank."</span>
    }
}

/// The form's fields: two per row of events, otherwise one.
fn field_count(kind: &Kind) -> usize {
    match kind {
        Kind::Events { rows, .. } => rows * 2,
        _ => 1,
    }
}

/// The question and its fields, and "Lock my prediction".
#[component]
fn Question(
    /// The lesson asking.
    lesson: &'static Lesson,
) -> impl IntoView {
    let bank = use_bank();
    let learn = course();
    let kind = &lesson.prediction.kind;
    let fields = RwSignal::new(vec![String::new(); field_count(kind)]);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let answer = match predict::answer_from(kind, &fields.get_untracked()) {
            Ok(a) => a,
            Err(e) => return error.set(Some(e)),
        };
        let Some(log) = bank.bank().map(|b| b.models().audit) else {
            return;
        };
        let mut result = Ok(());
        learn.note(&bank.db_name.get_untracked(), |r| {
            result = predict::lock(r, answer, &log);
        });
        let locked = result.is_ok();
        error.set(result.err().map(str::to_owned));
        if locked {
            // The form is gone: the keyboard stays in the prediction.
            crate::ui::widgets::focus_first(&["#learn-predict-title"]);
        }
    };
    let set = move |i: usize| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            fields.update(|f| f[i] = value);
            error.set(None);
        }
    };
    let controls = match kind {
        Kind::Events { types, streams, rows } => (0..*rows)
            .map(|r| {
                let (event, stream) = (format!("learn-predict-e{r}"), format!("learn-predict-s{r}"));
                view! {
                    <div class="learn__predict-row">
                        <span><label for=event.clone()>{format!("Event {}", r + 1)}</label>" "
                            <select id=event on:change=set(r * 2)>
                                <option value="">"(none)"</option>
                                {types.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
                            </select>
                        </span>
                        <span><label for=stream.clone()>{format!("Stream {}", r + 1)}</label>" "
                            <select id=stream on:change=set(r * 2 + 1)>
                                <option value="">"(none)"</option>
                                {streams.iter().map(|s| view! { <option value=s.stream>{s.label}</option> }).collect_view()}
                            </select>
                        </span>
                    </div>
                }
            })
            .collect_view()
            .into_any(),
        Kind::Refusal | Kind::Ending => predict::choices(kind)
            .unwrap_or_default()
            .iter()
            .map(|(key, words)| view! {
                <label class="choice">
                    <input type="radio" name="learn-outcome" value=*key on:change=set(0)/>
                    {*words}
                </label>
            })
            .collect_view()
            .into_any(),
        Kind::Balance { account } | Kind::Shown { account } => {
            let label = if matches!(kind, Kind::Shown { .. }) {
                format!("Balance the statement of {account} shows")
            } else {
                format!("Balance of {account}")
            };
            view! {
                <label class="learn__predict-row">{label}
                    <input type="text" inputmode="decimal" autocomplete="off" on:input=set(0)/>
                </label>
            }
            .into_any()
        }
        Kind::Version { stream } => view! {
            <label class="learn__predict-row">{format!("Expected version of {stream}")}
                <input type="text" inputmode="numeric" autocomplete="off" on:input=set(0)/>
            </label>
        }
        .into_any(),
        Kind::Links { transfer } => view! {
            <label class="learn__predict-row">{format!("Links from {transfer}'s TransferCompleted back to its command")}
                <input type="text" inputmode="numeric" autocomplete="off" on:input=set(0)/>
            </label>
        }
        .into_any(),
    };
    view! {
        <form class="learn__question" on:submit=submit novalidate>
            <fieldset>
                <legend>{lesson.prediction.question}</legend>
                {controls}
            </fieldset>
            <button class="button button--chip" type="submit">"Lock my prediction"</button>
            <FormError error=error test_id="learn-predict-error"/>
            <p class="hint">"One answer per attempt: it is locked before you act."</p>
        </form>
    }
}

/// The locked answer beside what the log says, one row per line, each difference
/// marked in words on a row of its own under it.
#[component]
fn Compared(
    /// The locked answer, in words.
    words: String,
    /// The comparison.
    comparison: Comparison,
) -> impl IntoView {
    let right = comparison.right();
    let wrong = comparison
        .rows
        .iter()
        .filter(|r| r.difference.is_some())
        .count();
    view! {
        <p role="status">
            <strong>{if right {
                "Your prediction matches the log.".to_owned()
            } else {
                format!("Your prediction differs from the log on {wrong} of {} lines.", comparison.rows.len())
            }}</strong>
            " You predicted: " {words}
        </p>
        // Focusable and named: on a narrow panel the table scrolls sideways, and a
        // keyboard must reach what it hides.
        <div class="table-wrap" role="region" aria-label="Your prediction beside the log, scrollable" tabindex="0">
            <table class="table learn__compare">
                <caption>"Your prediction beside the log"</caption>
                <thead>
                    <tr><th scope="col">"Line"</th><th scope="col">"You predicted"</th>
                        <th scope="col">"The log says"</th></tr>
                </thead>
                <tbody>
                    {comparison.rows.into_iter().map(|r| {
                        let verdict = if r.difference.is_some() { "✗ differs" } else { "✓ same" };
                        view! {
                            <tr class:learn__differs=r.difference.is_some()>
                                <th scope="row">{r.label}<br/>{verdict}</th>
                                <td>{r.predicted}</td>
                                <td>{r.logged}</td>
                            </tr>
                            {r.difference.map(|d| view! {
                                <tr class="learn__difference"><td colspan="3">{format!("✗ {d}")}</td></tr>
                            })}
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
