//! A lesson's question or tool, inside `#learn-tools` (the panel a task done in the
//! lesson itself points at): the question's choices, the rebuild of the read
//! models, the second client, and the schema-1 file.

use std::collections::BTreeSet;

use leptos::either::EitherOf3;
use leptos::prelude::*;

use super::open::log_len;
use super::state::course;
use crate::app::learn::record::Rebuild;
use crate::app::learn::second_client::{
    rebuild_equals, schema_one_upcast, second_client_deposit, SCHEMA_ONE_FILE,
};
use crate::app::learn::{Facts, Lesson, Panel, Question, Tool};
use crate::domain::{AccountId, Money};
use crate::store::EventStore;
use crate::ui::action::Command;
use crate::ui::service::use_bank;

/// The account the second client writes to (the seed demo's Alice).
const SECOND_CLIENT_ACCOUNT: &str = "alice-123";

/// The lesson's question and tool, if it has them.
#[component]
pub fn LessonTools(
    /// The lesson shown.
    lesson: &'static Lesson,
) -> impl IntoView {
    let tool = lesson.tool.map(|t| match t {
        Tool::Rebuild => EitherOf3::A(view! { <RebuildTool/> }),
        Tool::SecondClient => EitherOf3::B(view! { <SecondClientTool/> }),
        Tool::SchemaOne => EitherOf3::C(view! { <SchemaOneTool/> }),
    });
    let question = lesson
        .question
        .as_ref()
        .map(|q| view! { <QuestionForm lesson=lesson question=q/> });
    view! { <div id="learn-tools" class="learn__tools">{question}{tool}</div> }
}

/// A question: tick the options that apply, then "Check my answer".
#[component]
fn QuestionForm(
    /// The lesson the question belongs to (its tasks judge the answer).
    lesson: &'static Lesson,
    /// The question.
    question: &'static Question,
) -> impl IntoView {
    let bank = use_bank();
    let learn = course();
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let verdict = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let answer = chosen.get_untracked();
        let db = bank.db_name.get_untracked();
        learn.note(&db, |r| {
            r.answers.insert(question.key.to_owned(), answer);
        });
        let record = learn
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.record.clone()))
            .unwrap_or_default();
        let right = bank
            .bank()
            .map(|b| {
                b.read(|m| {
                    let facts = Facts::new(m, &record);
                    lesson
                        .tasks
                        .iter()
                        .filter(|t| t.panel == Panel::Lesson)
                        .any(|t| (t.check)(&facts))
                })
            })
            .unwrap_or(false);
        verdict.set(Some(if right {
            "Right: those are exactly the events the step wrote.".into()
        } else {
            "Not that set. Run the step first, then read its events in the saga's timeline.".into()
        }));
    };
    view! {
        <form class="learn__question" on:submit=submit data-testid="learn-question">
            <fieldset>
                <legend>{question.text}</legend>
                {question.options.iter().map(|o| {
                    let option = (*o).to_owned();
                    let key = option.clone();
                    view! {
                        <label class="choice">
                            <input type="checkbox" name="answer" value=option.clone()
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        if on { c.insert(key.clone()); } else { c.remove(&key); }
                                    });
                                }/>
                            <code>{option}</code>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button class="button button--chip" type="submit">"Check my answer"</button>
            <p role="status" data-testid="learn-verdict">{move || verdict.get()}</p>
        </form>
    }
}

/// Rebuilds every read model from the stored log and compares with the live ones.
#[component]
fn RebuildTool() -> impl IntoView {
    let bank = use_bank();
    let learn = course();
    let result = RwSignal::new(None::<String>);
    let rebuild = move |_| {
        let Some(b) = bank.bank() else { return };
        let db = bank.db_name.get_untracked();
        leptos::task::spawn_local(async move {
            let now = || {
                web_sys::window()
                    .and_then(|w| w.performance())
                    .map_or(0.0, |p| p.now())
            };
            let began = now();
            let log = match b.store().read_all(1).await {
                Ok(log) => log,
                Err(e) => return result.set(Some(format!("The log could not be read: {e}"))),
            };
            let equal = rebuild_equals(&log, &b.models());
            // Whole microseconds: formatting a float would add its code to the download.
            let micros = ((now() - began) * 1000.0) as u64;
            learn.note(&db, |r| {
                r.rebuilds.push(Rebuild {
                    events: log.len() as u64,
                    equal,
                    micros,
                });
            });
            result.set(Some(format!(
                "Rebuilt from {} events in {}.{} ms: {}",
                log.len(),
                micros / 1000,
                micros % 1000 / 100,
                if equal {
                    "equal to the live view."
                } else {
                    "it differs from the live view."
                }
            )));
        });
    };
    view! {
        <div class="learn__tool">
            <button class="button button--chip" type="button" on:click=rebuild data-testid="learn-rebuild">
                "Rebuild the read models from the log"
            </button>
            <p role="status" data-testid="learn-rebuild-result">{move || result.get()}</p>
        </div>
    }
}

/// Writes a deposit behind the page's back, as a second client would.
#[component]
fn SecondClientTool() -> impl IntoView {
    let bank = use_bank();
    let learn = course();
    let result = RwSignal::new(None::<String>);
    // Its refusal is shown in `result` too, with the outcome.
    let writing = Command::new(RwSignal::new(None));
    let write = move |_| {
        let Some(b) = bank.bank() else { return };
        writing.run(async move {
            let (Ok(account), Ok(amount)) = (
                AccountId::parse(SECOND_CLIENT_ACCOUNT),
                Money::parse("5.00"),
            ) else {
                return Ok(());
            };
            let id = format!("{}", js_sys::Date::now() as u64);
            let at = String::from(js_sys::Date::new_0().to_iso_string());
            let seen = log_len(bank);
            let db = bank.db_name.get_untracked();
            let events = second_client_deposit(b.store(), &account, amount, &id, &at)
                .await
                .map_err(|e| {
                    let said = format!("The second client was refused: {e}");
                    result.set(Some(said.clone()));
                    said
                })?;
            learn.note(&db, |r| r.second_client += 1);
            result.set(events.first().map(|e| format!(
                "The second client wrote {} as version {} of {} (event #{}). This page has read up to event #{seen} only: it still shows the old balance.",
                e.event.event_type(), e.version, e.stream, e.position
            )));
            Ok(())
        });
    };
    view! {
        <div class="learn__tool">
            <button class="button button--chip" type="button" on:click=write
                aria-disabled=writing.busy() data-testid="learn-second-client">
                "Second client: deposit 5.00 into " {SECOND_CLIENT_ACCOUNT}
            </button>
            <p role="status" data-testid="learn-second-client-result">{move || result.get()}</p>
        </div>
    }
}

/// The schema-1 file: each line beside how this version reads it, and a download.
#[component]
fn SchemaOneTool() -> impl IntoView {
    let pairs = schema_one_upcast();
    view! {
        <div class="learn__tool">
            <button class="button button--chip" type="button" data-testid="learn-schema1-download"
                on:click=move |_| crate::ui::files::download("schema-1.jsonl", SCHEMA_ONE_FILE, "application/jsonl")>
                "Download the schema-1 file"
            </button>
            {pairs.into_iter().map(|(old, new)| view! {
                <p class="learn__label">"Stored (schema 1):"</p>
                <pre class="learn__code" tabindex="0">{old}</pre>
                <p class="learn__label">"Read as:"</p>
                <pre class="learn__code" tabindex="0">{new}</pre>
            }).collect_view()}
        </div>
    }
}
