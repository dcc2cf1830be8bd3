//! The saga timeline of the selected transfer: one span per step, in the order the
//! saga runs them, with the compensation path beside the happy path. Steps done show
//! the events they wrote (and what caused each); the next step is marked; steps to
//! come and paths not taken are faded, each with its status in words. Controls run
//! one step, play at a chosen speed, or pause.

use std::collections::HashMap;

use leptos::prelude::*;

use super::route::{self, Target};
use super::service::use_bank;
use super::transfers::crash_and_reload;
use super::widgets::{focus_first, TransferBadge};
use crate::app::projections::{TimelineEntry, TimelineKind, TransferView};
use crate::app::{BankError, StepOutcome};
use crate::domain::{SagaStep, TransferState};

/// Where a span stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanStatus {
    Done,
    Rejected,
    Next,
    ToCome,
    NotTaken,
}

impl SpanStatus {
    fn label(self) -> &'static str {
        match self {
            SpanStatus::Done => "done",
            SpanStatus::Rejected => "rejected",
            SpanStatus::Next => "next",
            SpanStatus::ToCome => "to come",
            SpanStatus::NotTaken => "not taken",
        }
    }
    fn modifier(self) -> &'static str {
        match self {
            SpanStatus::Done => "saga-timeline__step--done",
            SpanStatus::Rejected => "saga-timeline__step--rejected",
            SpanStatus::Next => "saga-timeline__step--next",
            SpanStatus::ToCome => "saga-timeline__step--to-come",
            SpanStatus::NotTaken => "saga-timeline__step--not-taken",
        }
    }
}

/// One step of the saga as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub key: &'static str,
    pub title: String,
    pub explain: String,
    pub status: SpanStatus,
    pub entries: Vec<TimelineEntry>,
}

/// The happy path and the compensation path of a transfer, as spans.
#[must_use]
pub fn spans(t: &TransferView) -> (Vec<Span>, Vec<Span>) {
    let of = |pred: &dyn Fn(TimelineKind) -> bool| -> Vec<TimelineEntry> {
        t.timeline
            .iter()
            .filter(|e| pred(e.kind))
            .cloned()
            .collect()
    };
    let pending = t.state.pending_step();
    let debit_failed = matches!(
        t.state,
        TransferState::Failed {
            reversed: false,
            ..
        }
    );
    let credit_rejected = t
        .timeline
        .iter()
        .any(|e| e.kind == TimelineKind::CreditRejected);
    let refund_failed = matches!(t.state, TransferState::CompensationFailed { .. });
    let status = |entries: &[TimelineEntry], rejected: bool, next: bool, on_path: bool| {
        if rejected {
            SpanStatus::Rejected
        } else if entries
            .iter()
            .any(|e| !matches!(e.kind, TimelineKind::Retried(_)))
        {
            SpanStatus::Done
        } else if next {
            SpanStatus::Next
        } else if on_path {
            SpanStatus::ToCome
        } else {
            SpanStatus::NotTaken
        }
    };
    let span = |key,
                title: String,
                explain: &str,
                entries: Vec<TimelineEntry>,
                rejected,
                next,
                on_path| Span {
        key,
        status: status(&entries, rejected, next, on_path),
        title,
        explain: explain.to_owned(),
        entries,
    };
    let happy_on = !debit_failed && !credit_rejected;
    let credit_explain = t
        .timeline
        .iter()
        .find_map(|e| match &e.kind {
            TimelineKind::CreditRejected => Some(format!(
                "DepositMoney on the destination was refused ({}), so nothing was credited.",
                e.summary
                    .trim_start_matches(&format!("credit of {} rejected: ", t.to_account_id))
            )),
            _ => None,
        })
        .unwrap_or_else(|| "DepositMoney on the destination.".to_owned());
    let main = vec![
        span(
            "initiated",
            "Initiated".into(),
            "TransferMoney was checked and TransferInitiated written to the transfer's own stream.",
            of(&|k| k == TimelineKind::Initiated),
            false,
            false,
            true,
        ),
        span(
            "debit",
            format!("Debit {}", t.from_account_id),
            "WithdrawMoney on the source; the transfer records TransferDebited.",
            of(&|k| {
                matches!(
                    k,
                    TimelineKind::Leg(SagaStep::Debit)
                        | TimelineKind::Debited
                        | TimelineKind::Retried(SagaStep::Debit)
                )
            }),
            debit_failed,
            pending == Some(SagaStep::Debit),
            true,
        ),
        span(
            "credit",
            format!("Credit {}", t.to_account_id),
            &credit_explain,
            of(&|k| {
                matches!(
                    k,
                    TimelineKind::Leg(SagaStep::Credit) | TimelineKind::Retried(SagaStep::Credit)
                )
            }),
            credit_rejected,
            pending == Some(SagaStep::Credit),
            !debit_failed,
        ),
        span(
            "completed",
            "Completed".into(),
            "TransferCompleted: both legs done.",
            of(&|k| k == TimelineKind::Completed),
            false,
            false,
            happy_on,
        ),
    ];
    // Until the credit is decided, the compensation path may still run.
    let compensation_on = credit_rejected
        || matches!(
            t.state,
            TransferState::Initiated(_) | TransferState::Debited(_)
        );
    let mut compensation = vec![
        span(
            "credit-rejected",
            "Credit rejected".into(),
            "The destination refused: TransferCreditRejected records why.",
            of(&|k| k == TimelineKind::CreditRejected),
            false,
            false,
            compensation_on,
        ),
        span(
            "refund",
            format!("Refund {}", t.from_account_id),
            "Compensation: DepositMoney back to the source.",
            of(&|k| {
                matches!(
                    k,
                    TimelineKind::Leg(SagaStep::Refund) | TimelineKind::Retried(SagaStep::Refund)
                )
            }),
            refund_failed,
            pending == Some(SagaStep::Refund),
            compensation_on,
        ),
    ];
    if refund_failed {
        compensation.push(span(
            "needs-attention",
            "Needs attention".into(),
            "The refund itself was rejected: the source is still debited. A person must step in.",
            of(&|k| k == TimelineKind::CompensationFailed),
            true,
            false,
            true,
        ));
    } else {
        compensation.push(span(
            "reversed",
            "Reversed".into(),
            "TransferReversed: the debit is undone.",
            of(&|k| k == TimelineKind::Reversed),
            false,
            false,
            compensation_on,
        ));
    }
    let failed = span(
        "failed",
        "Failed".into(),
        "TransferFailed, with the real reason.",
        of(&|k| k == TimelineKind::Failed),
        false,
        false,
        debit_failed || (compensation_on && !refund_failed),
    );
    if debit_failed {
        let mut main = main;
        main.pop();
        main.push(failed);
        (
            main,
            compensation
                .into_iter()
                .map(|mut s| {
                    s.status = SpanStatus::NotTaken;
                    s
                })
                .collect(),
        )
    } else {
        compensation.push(failed);
        (main, compensation)
    }
}

/// Waits `ms` milliseconds.
async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The selected transfer's saga, with its step controls.
#[component]
pub fn SagaTimeline() -> impl IntoView {
    let bank = use_bank();
    let transfer = move || {
        let id = bank.selected_transfer.get()?;
        bank.read(|m| m.transfers.get(&id).cloned()).flatten()
    };
    let playing = RwSignal::new(false);
    let speed = RwSignal::new(800_u32);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Each Play starts a new run; a run stops as soon as it is no longer the latest,
    // so Pause then Play never leaves two runs stepping.
    let run = StoredValue::new(0_u64);

    // One step of `id`; returns whether there is more to do.
    let step_once = move |id: crate::domain::TransferId| async move {
        let Some(b) = bank.bank() else {
            return false;
        };
        match b.step(&id).await {
            Ok(StepOutcome::Finished(_)) => false,
            Ok(outcome) => {
                let state = outcome.state();
                bank.announce(format!("{id}: {}", describe(state)));
                error.set(None);
                if state.is_terminal() && keyboard_on_controls() {
                    // Next step and Play are disabled now: keep the keyboard on the saga
                    // (but never take it from wherever else the user went meanwhile).
                    focus_first(&["#timeline-title"]);
                }
                !state.is_terminal()
            }
            Err(BankError::Crashed(where_)) => {
                crash_and_reload(bank, &id, &where_);
                false
            }
            Err(e) => {
                bank.note_bank_error(&e);
                error.set(Some(e.to_string()));
                false
            }
        }
    };
    let next = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(id) = bank.selected_transfer.get_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            step_once(id).await;
            busy.set(false);
        });
    };
    let play = move |_| {
        run.update_value(|r| *r += 1);
        if playing.get_untracked() {
            playing.set(false);
            return;
        }
        // The transfer shown when Play was pressed is the one played.
        let Some(id) = bank.selected_transfer.get_untracked() else {
            return;
        };
        let mine = run.get_value();
        playing.set(true);
        leptos::task::spawn_local(async move {
            let current = move || run.get_value() == mine;
            while current() {
                busy.set(true);
                let more = step_once(id.clone()).await;
                busy.set(false);
                if !more {
                    break;
                }
                sleep(speed.get_untracked()).await;
            }
            if current() {
                playing.set(false);
            }
        });
    };

    move || {
        let Some(t) = transfer() else {
            return view! {
                <p class="hint" data-testid="timeline-empty">
                    "Start a transfer, or pick one in the list, to watch its saga here step by step."
                </p>
            }
            .into_any();
        };
        let (main, compensation) = spans(&t);
        let positions: HashMap<String, u64> = t
            .timeline
            .iter()
            .map(|e| (e.event_id.clone(), e.position))
            .collect();
        let terminal = t.state.is_terminal();
        let state = t.state.clone();
        let reason = t.reason().map(str::to_owned);
        view! {
            <article class="saga-timeline" aria-labelledby="timeline-title" aria-busy=move || busy.get().to_string() data-testid="saga-timeline">
                <h3 id="timeline-title" tabindex="-1">
                    "Saga of " {t.transfer_id.to_string()} " "
                    <TransferBadge state=Signal::derive(move || state.clone())/>
                </h3>
                <p class="muted">
                    {format!("{} from {} to {}", t.amount, t.from_account_id, t.to_account_id)}
                    {(!t.description.is_empty()).then(|| format!(" · {}", t.description))}
                </p>
                {reason.map(|r| view! { <p class="saga-timeline__reason" data-testid="timeline-reason">{r}</p> })}
                <div class="saga-timeline__controls" role="group" aria-label="Step controls">
                    <button class="button" type="button" on:click=next disabled=move || terminal || playing.get()
                        data-testid="next-step">"Next step"</button>
                    <button class="button button--secondary" type="button" on:click=play disabled=terminal
                        aria-pressed=move || playing.get().to_string() data-testid="play">
                        {move || if playing.get() { "Pause" } else { "Play" }}
                    </button>
                    <label class="saga-timeline__speed">
                        "Delay between steps"
                        <input type="range" min="100" max="2000" step="100" prop:value=move || speed.get().to_string()
                            on:input=move |ev| speed.set(event_target_value(&ev).parse().unwrap_or(800))/>
                        <span>{move || seconds(speed.get())}</span>
                    </label>
                </div>
                <p class="form-error" role="alert" hidden=move || error.get().is_none()>{move || error.get().unwrap_or_default()}</p>
                <div class="saga-timeline__lanes">
                    <Lane title="Happy path" spans=main positions=positions.clone()/>
                    <Lane title="Compensation (runs only if the credit is rejected)" spans=compensation positions=positions/>
                </div>
            </article>
        }
        .into_any()
    }
}

fn describe(state: &TransferState) -> String {
    match state {
        TransferState::Initiated(_) => "initiated, the debit is next".into(),
        TransferState::Debited(d) => format!("{} debited, the credit is next", d.from_account_id),
        TransferState::CreditRejected { details, .. } => {
            format!("credit rejected, refunding {}", details.from_account_id)
        }
        TransferState::Completed(_) => "completed".into(),
        TransferState::Failed { reversed: true, .. } => {
            "compensated: the debit was reversed".into()
        }
        TransferState::Failed { reason, .. } => format!("failed: {reason}"),
        TransferState::CompensationFailed { .. } => {
            "needs attention: the refund was rejected".into()
        }
        TransferState::NotStarted => "not started".into(),
    }
}

#[component]
fn Lane(title: &'static str, spans: Vec<Span>, positions: HashMap<String, u64>) -> impl IntoView {
    view! {
        <section class="saga-timeline__lane" aria-label=title>
            <h4>{title}</h4>
            <ol class="saga-timeline__steps">
                {spans.into_iter().map(|span| {
                    // The Failed step is done when the transfer has failed: an outcome
                    // to read as a failure, not as a success.
                    let ended_failed = span.key == "failed" && span.status == SpanStatus::Done;
                    let class = format!(
                        "saga-timeline__step {}{}",
                        span.status.modifier(),
                        if ended_failed { " saga-timeline__step--ended-failed" } else { "" }
                    );
                    let label = if ended_failed { "done: the transfer failed" } else { span.status.label() };
                    view! {
                        <li class=class data-testid=format!("span-{}", span.key) data-status=span.status.label()>
                            <div class="saga-timeline__head">
                                <span class="saga-timeline__title">{span.title.clone()}</span>
                                <span class="saga-timeline__status">{label}</span>
                            </div>
                            <p class="saga-timeline__explain">{span.explain.clone()}</p>
                            <ul class="saga-timeline__events">
                                {span.entries.iter().map(|e| {
                                    let cause = positions.get(&e.causation_id).map_or_else(
                                        || view! { <span>"the command"</span> }.into_any(),
                                        |p| view! { <a href=route::href(&Target::Event(*p))>{format!("#{p}")}</a> }.into_any(),
                                    );
                                    let retry = matches!(e.kind, TimelineKind::Retried(_));
                                    view! {
                                        <li class:saga-timeline__event--retry=retry>
                                            <a href=route::href(&Target::Event(e.position))>{format!("#{}", e.position)}</a>
                                            " " <code>{e.event_type}</code>
                                            <span class="muted">{format!(" in {} v{}", e.stream, e.version)}</span>
                                            <span>{format!(" — {}", e.summary)}</span>
                                            <span class="muted">" · caused by "</span>{cause}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// Milliseconds as seconds with one decimal ("0.8 s"), without float formatting.
fn seconds(ms: u32) -> String {
    let tenths = (ms + 50) / 100;
    format!("{}.{} s", tenths / 10, tenths % 10)
}

/// Whether keyboard focus is on the step controls (or nowhere), so moving it is no
/// surprise.
fn keyboard_on_controls() -> bool {
    let Some(active) = document().active_element() else {
        return true;
    };
    let test_id = active.get_attribute("data-testid").unwrap_or_default();
    active.tag_name() == "BODY" || test_id == "next-step" || test_id == "play"
}
