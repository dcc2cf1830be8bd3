//! A lesson's tool, inside `#learn-tools` (the panel a task done in the lesson
//! itself points at): the rebuild of the read models, the second client, and the
//! schema-1 file.

use std::rc::Rc;

use leptos::either::EitherOf3;
use leptos::prelude::*;

use super::state::course;
use crate::app::learn::record::Rebuild;
use crate::app::learn::second_client::{
    arm_second_client, conflict_story, rebuild_broken, rebuild_equals, schema_one_upcast,
    SCHEMA_ONE_FILE,
};
use crate::app::learn::{Lesson, Tool};
use crate::domain::{AccountId, Money};
use crate::store::EventStore;
use crate::ui::service::{use_bank, BrowserBank};

/// The account the second client writes to (the seed demo's Alice).
const SECOND_CLIENT_ACCOUNT: &str = "alice-123";

/// The lesson's tool, if it has one.
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
    view! { <div id="learn-tools" class="learn__tools">{tool}</div> }
}

/// Rebuilds the read models from the stored log, with the real projections or the
/// deliberately broken one, and compares with the live view; notes the rebuild.
async fn rebuild(b: Rc<BrowserBank>, broken: bool) -> Result<(Rebuild, String), String> {
    let now = || {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    };
    let began = now();
    let log = b
        .store()
        .read_all(1)
        .await
        .map_err(|e| format!("The log could not be read: {e}"))?;
    let live = b.models();
    let (equal, differs) = if broken {
        let differs = rebuild_broken(&log, &live);
        (differs.is_empty(), differs)
    } else {
        (rebuild_equals(&log, &live), Vec::new())
    };
    // Whole microseconds: formatting a float would add its code to the download.
    let micros = ((now() - began) * 1000.0) as u64;
    let which = if broken {
        "the broken projection"
    } else {
        "the real projections"
    };
    let outcome = match (equal, broken) {
        (true, false) => "equal to the live view.".to_owned(),
        (true, true) => "the same as the live view: no withdrawal to forget yet.".to_owned(),
        (false, _) if differs.is_empty() => "it differs from the live view.".to_owned(),
        (false, _) => {
            let each: Vec<String> = differs
                .iter()
                .map(|d| format!("{} is {} live, {} rebuilt", d.account, d.live, d.rebuilt))
                .collect();
            format!("it differs from the live view: {}.", each.join("; "))
        }
    };
    let said = format!(
        "Rebuilt with {which} from {} events in {}.{} ms: {outcome}",
        log.len(),
        micros / 1000,
        micros % 1000 / 100,
    );
    let events = log.len() as u64;
    Ok((
        Rebuild {
            events,
            equal,
            micros,
            broken,
        },
        said,
    ))
}

/// Rebuilds every read model from the stored log, with the broken projection or the
/// real ones, and compares with the live ones.
#[component]
fn RebuildTool() -> impl IntoView {
    let bank = use_bank();
    let learn = course();
    let result = RwSignal::new(None::<String>);
    let run = move |broken: bool| {
        let Some(b) = bank.bank() else { return };
        let db = bank.db_name.get_untracked();
        leptos::task::spawn_local(async move {
            match rebuild(b, broken).await {
                Ok((done, said)) => {
                    learn.note(&db, |r| r.rebuilds.push(done));
                    result.set(Some(said));
                }
                Err(e) => result.set(Some(e)),
            }
        });
    };
    view! {
        <div class="learn__tool">
            <button class="button button--chip" type="button" on:click=move |_| run(true)>
                "Rebuild with the broken projection (it forgets withdrawals)"
            </button>
            <button class="button button--chip" type="button" on:click=move |_| run(false) data-testid="learn-rebuild">
                "Rebuild with the real projections"
            </button>
            <p role="status" data-testid="learn-rebuild-result">{move || result.get()}</p>
        </div>
    }
}

/// Arms a second client: it deposits into the account behind the page's back, just
/// as the page next writes there; then shows the conflict it caused, step by step.
#[component]
fn SecondClientTool() -> impl IntoView {
    let bank = use_bank();
    let learn = course();
    let result = RwSignal::new(None::<String>);
    let arm = move |_| {
        let (Some(b), Ok(account), Ok(amount)) = (
            bank.bank(),
            AccountId::parse(SECOND_CLIENT_ACCOUNT),
            Money::parse("5.00"),
        ) else {
            return;
        };
        let db = bank.db_name.get_untracked();
        let stamp = || {
            let id = format!("{}", js_sys::Date::now() as u64);
            (id, String::from(js_sys::Date::new_0().to_iso_string()))
        };
        arm_second_client(&b, account, amount, stamp, move |wrote| {
            result.set(Some(match wrote {
                Ok(events) => events.first().map_or_else(String::new, |e| format!(
                    "The second client wrote {} as version {} of {} (event #{}), after this page had read the account and before its append.",
                    e.event.event_type(), e.version, e.stream, e.position
                )),
                Err(e) => format!("The second client was refused: {e}"),
            }));
        });
        learn.note(&db, |r| r.second_client += 1);
        result.set(Some(format!(
            "The second client is ready: the moment this page next writes to {SECOND_CLIENT_ACCOUNT}, after this page has read the account and decided, it deposits 5.00 there first."
        )));
    };
    let story = move || {
        let db = bank.db_name.get();
        let record = learn
            .session
            .with(|s| s.as_ref().and_then(|s| s.record_in(&db).cloned()))?;
        bank.read(|m| conflict_story(&m.audit, &record))
    };
    view! {
        <div class="learn__tool">
            <button class="button button--chip" type="button" on:click=arm data-testid="learn-second-client">
                "Second client: deposit 5.00 into " {SECOND_CLIENT_ACCOUNT}
            </button>
            <p role="status" data-testid="learn-second-client-result">{move || result.get()}</p>
            <p data-testid="learn-read-up-to">
                {move || format!("This page has read the log up to event #{}.", bank.last_position())}
            </p>
            <ol class="learn__story" aria-label="The conflict, step by step" data-testid="learn-conflict-story">
                {move || story().unwrap_or_default().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ol>
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
