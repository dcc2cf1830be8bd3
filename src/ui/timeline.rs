//! The saga timeline of the selected transfer: one span per step, in the order the
//! saga runs them, with the compensation path beside the happy path. Steps done show
//! the events they wrote (and what caused each); the next step is marked; steps to
//! come and paths not taken are faded, each with its status in words. Controls run
//! one step, play at a chosen speed, or pause.

use std::collections::HashMap;
use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;

use super::action::Command;
use super::causation::CausationChain;
use super::crash::crash_and_reload;
use super::diagram::SagaDiagram;
use super::lazy::{preload_when_idle, Lazy, Start};
use super::operator_fix::OperatorFixForm;
use super::page::{use_notices, use_selection, Notices, Selection};
use super::route::{self, Route};
use super::service::{use_bank, BankHandle, BrowserBank};
use super::widgets::{focus_node, TransferBadge};
use crate::app::projections::{TimelineKind, TransferView};
use crate::app::views::moments::{press_writes, PressWrites};
use crate::app::views::operator_fix::OperatorFix;
use crate::app::views::saga_money::{AccountMoney, SagaMoney};
use crate::app::views::saga_steps::{describe_state, spans, Span, SpanStatus};
use crate::app::{BankError, StepOutcome};
use crate::domain::TransferId;
use crate::split_view;

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

/// The saga of the selected transfer (the selection's `transfer`), or a hint when
/// none is selected.
#[component]
pub fn SagaTimeline(
    /// Accounts and events as plain text, not links to the app's panels: for an embed,
    /// which has none of them.
    #[prop(optional)]
    no_links: bool,
) -> impl IntoView {
    let bank = use_bank();
    let selection = use_selection();
    let stepper = Stepper::new(bank, selection, use_notices());
    // The saga view's code is a chunk of its own (issue 24): fetched once the first
    // screen is idle, so the first transfer selected shows at once.
    preload_when_idle(preload_selected);
    // Whether a saga is shown; its code is asked for when this turns true, and the
    // view it gives follows the transfer from then on.
    let shown = Memo::new(move |_| shown_transfer(bank, selection, no_links).is_some());
    move || {
        if shown.get() {
            let load = move || saga_body(stepper, no_links);
            view! { <Lazy what="the saga" frame=saga_frame load start=Start::Now/> }.into_any()
        } else {
            view! {
                <p class="hint" data-testid="timeline-empty">
                    "Start a transfer, or pick one in the list, to watch its saga here step by step."
                </p>
            }
            .into_any()
        }
    }
}

/// The selected transfer, the money beside it and the operator's fix when it needs
/// one, from one read of the models; `None` when no transfer is selected.
fn shown_transfer(
    bank: BankHandle,
    selection: Selection,
    no_links: bool,
) -> Option<(TransferView, SagaMoney, Option<OperatorFix>)> {
    let id = selection.transfer.get()?;
    bank.read(|m| {
        let fix = OperatorFix::of(m, &id).filter(|_| !no_links);
        Some((m.transfers.get(&id)?.clone(), SagaMoney::of(m, &id)?, fix))
    })
    .flatten()
}

split_view!(
    /// The saga of the selected transfer, from the `selected` chunk (what a selection
    /// shows: the saga and the account card).
    fn saga_body(stepper: Stepper, no_links: bool) in selected, preload preload_selected
        => move || {
            shown_transfer(stepper.bank, stepper.selection, no_links)
                .map(|(transfer, money, fix)| view! { <SagaView transfer money fix stepper no_links/> })
        }
);

/// The saga's place while its code loads.
fn saga_frame(line: AnyView) -> AnyView {
    view! { <div class="saga-frame">{line}</div> }.into_any()
}

/// The step controls' state, and what they do: one step, play and pause, the delay.
#[derive(Clone, Copy)]
struct Stepper {
    bank: BankHandle,
    /// Whose saga is shown.
    selection: Selection,
    /// Where each step is announced.
    notices: Notices,
    playing: RwSignal<bool>,
    /// The delay between two steps of Play, in milliseconds.
    speed: RwSignal<u32>,
    /// Next step, and where a step's error is shown (Play's too).
    step: Command,
    /// A step of Play is running.
    busy: RwSignal<bool>,
    /// Each Play starts a new run; a run stops as soon as it is no longer the latest,
    /// so Pause then Play never leaves two runs stepping.
    run: StoredValue<u64>,
    /// The saga's heading, where the keyboard goes when the saga ends.
    title: NodeRef<html::H3>,
    /// The course, which notes each press of Next step.
    course: Option<super::learn::Learn>,
    /// The transfer last stepped here and where the log stood before that step: what
    /// the step wrote is shown (see [`press_writes`]).
    pressed: RwSignal<Option<(TransferId, u64)>>,
}

impl Stepper {
    fn new(bank: BankHandle, selection: Selection, notices: Notices) -> Stepper {
        let stepper = Stepper {
            bank,
            selection,
            notices,
            playing: RwSignal::new(false),
            speed: RwSignal::new(800),
            step: Command::new(RwSignal::new(None)),
            busy: RwSignal::new(false),
            run: StoredValue::new(0),
            title: NodeRef::new(),
            course: use_context(),
            pressed: RwSignal::new(None),
        };
        // A new bank (a scenario, an import, a reset) stops Play: it belongs to the
        // transfer of the bank it was pressed on.
        Effect::new(move |first: Option<()>| {
            bank.db_name.track();
            if first.is_some() {
                stepper.run.update_value(|r| *r += 1);
                stepper.playing.set(false);
                stepper.pressed.set(None);
            }
        });
        stepper
    }

    /// One step of `id` on `b`, from the version this page shows; returns whether
    /// there is more to do. Another tab may have taken that step meanwhile: then
    /// nothing runs, and the timeline shows where the transfer stands now.
    async fn step_once(self, b: Rc<BrowserBank>, id: TransferId) -> Result<bool, String> {
        let bank = self.bank;
        let seen = b.transfer_version(&id);
        self.pressed
            .set(Some((id.clone(), untrack(|| bank.last_position()))));
        let state = match b.step_from(&id, seen).await {
            Ok(StepOutcome::Finished(_)) => return Ok(false),
            Ok(StepOutcome::Taken(state)) => {
                self.notices.announce(format!(
                    "{id}: another tab ran this step first; now {}",
                    describe_state(&state)
                ));
                state
            }
            Ok(outcome) => {
                let state = outcome.state().clone();
                self.notices
                    .announce(format!("{id}: {}", describe_state(&state)));
                if state.is_terminal() && keyboard_on_controls() {
                    // Next step and Play are disabled now: keep the keyboard on the saga
                    // (but never take it from wherever else the user went meanwhile).
                    focus_node(self.title);
                }
                state
            }
            Err(BankError::Crashed(point)) => {
                crash_and_reload(bank, self.notices, &id, point);
                return Ok(false);
            }
            Err(e) => {
                bank.note_bank_error(&e);
                return Err(e.to_string());
            }
        };
        Ok(!state.is_terminal())
    }

    /// A step is news: a selected event is let go, so every view (the diagram, time
    /// travel) follows the newest event again, and the address names the transfer.
    fn follow_newest(self, id: &TransferId) {
        if self.selection.position.get_untracked().is_some() {
            self.selection.position.set(None);
            route::replace(&Route::Transfer(id.clone()));
        }
    }

    /// Next step: one step of the selected transfer, unless one is running.
    fn next(self) {
        if self.busy.get_untracked() {
            return;
        }
        let (Some(id), Some(b)) = (self.selection.transfer.get_untracked(), self.bank.bank())
        else {
            return;
        };
        self.follow_newest(&id);
        self.step.run(async move {
            let from = b.read(|m| m.last_position);
            let stepped = self.step_once(b, id.clone()).await.map(|_| ());
            if let Some(course) = self.course {
                super::learn::note_step(self.bank, course, &id, from);
            }
            stepped
        });
    }

    /// Play, or Pause while playing. The transfer shown when Play was pressed is the
    /// one played; it stops when paused, played again, or the page's bank is replaced.
    fn play(self) {
        self.run.update_value(|r| *r += 1);
        if self.playing.get_untracked() {
            self.playing.set(false);
            return;
        }
        let (Some(id), Some(b)) = (self.selection.transfer.get_untracked(), self.bank.bank())
        else {
            return;
        };
        let mine = self.run.get_value();
        self.follow_newest(&id);
        self.playing.set(true);
        leptos::task::spawn_local(async move {
            let current = {
                let b = Rc::clone(&b);
                move || {
                    self.run.get_value() == mine
                        && self.bank.bank().is_some_and(|now| Rc::ptr_eq(&now, &b))
                }
            };
            while current() {
                self.busy.set(true);
                let more = self.step_once(Rc::clone(&b), id.clone()).await;
                self.busy.set(false);
                let _ = self.step.error.try_set(more.clone().err());
                if more != Ok(true) {
                    break;
                }
                sleep(self.speed.get_untracked()).await;
            }
            if current() {
                self.playing.set(false);
            }
        });
    }
}

/// One transfer's saga: its heading and status, the step controls, the money beside
/// it, and both lanes of steps.
#[component]
fn SagaView(
    /// The transfer shown.
    transfer: TransferView,
    /// Its two accounts beside the saga.
    money: SagaMoney,
    /// What a person can do, when the transfer needs attention.
    fix: Option<OperatorFix>,
    /// The step controls.
    stepper: Stepper,
    /// Accounts and events as plain text (see [`SagaTimeline`]).
    no_links: bool,
) -> impl IntoView {
    let t = transfer;
    let Stepper {
        playing,
        speed,
        step,
        busy,
        ..
    } = stepper;
    let error = step.error;
    let (main, compensation) = spans(&t);
    let money = Rc::new(money);
    let positions: HashMap<String, u64> = t
        .timeline
        .iter()
        .map(|e| (e.event_id.clone(), e.position))
        .collect();
    let terminal = t.state.is_terminal();
    let paused = !terminal
        && t.state
            .details()
            .is_some_and(|d| d.run_mode == crate::domain::RunMode::Step);
    let state = t.state.clone();
    let reason = t.reason().map(str::to_owned);
    let wrote = stepper
        .pressed
        .get_untracked()
        .filter(|(id, _)| *id == t.transfer_id)
        .and_then(|(_, from)| press_writes(&t, from));
    let just = Rc::new(
        wrote
            .as_ref()
            .map(|w| w.positions.clone())
            .unwrap_or_default(),
    );
    view! {
        <article class="saga-timeline" aria-labelledby="timeline-title" aria-busy=move || (busy.get() || step.pending()).to_string() data-testid="saga-timeline">
            <h3 id="timeline-title" tabindex="-1" node_ref=stepper.title>
                "Saga of " {t.transfer_id.to_string()} " "
                <TransferBadge state=Signal::derive(move || state.clone())/>
            </h3>
            <p class="muted">
                {format!("{} from {} to {}", t.amount, t.from_account_id, t.to_account_id)}
                {(!t.description.is_empty()).then(|| format!(" · {}", t.description))}
            </p>
            {reason.map(|r| view! { <p class="saga-timeline__reason" data-testid="timeline-reason">{r}</p> })}
            {fix.map(|fix| view! { <OperatorFixForm fix/> })}
            {paused.then(|| view! {
                <p class="hint" data-testid="timeline-paused">
                    "Stepped by hand: it waits for Next step or Play, in this tab, in any other, and after a reload."
                </p>
            })}
            <div class="saga-timeline__controls" role="group" aria-label="Step controls">
                <button class="button" type="button" id="next-step" on:click=move |_| stepper.next() disabled=move || terminal || playing.get()
                    aria-disabled=step.busy() data-testid="next-step">"Next step"</button>
                <button class="button button--secondary" type="button" on:click=move |_| stepper.play() disabled=terminal
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
            {wrote.map(|w| view! { <PressWrote wrote=w/> })}
            // The balances stay pinned while the diagram and the steps scroll by, and
            // no further: the causation chain below is not covered by them.
            <div class="saga-timeline__pinned">
                <MoneyStrip money=Rc::clone(&money) no_links/>
                <SagaDiagram no_links/>
                <super::retry_axis::RetryAxes/>
                <div class="saga-timeline__lanes">
                    <Lane title="Happy path" spans=main positions=positions.clone() money=Rc::clone(&money) just=Rc::clone(&just) no_links/>
                    <Lane title="Compensation (runs only if the credit is rejected or times out)" spans=compensation positions=positions money=money just=just no_links/>
                </div>
            </div>
            {(!no_links).then(|| view! { <CausationChain transfer=t.clone()/> })}
        </article>
    }
}

/// What the last press of Next step (or step of Play) wrote: the step's effect and
/// its record, two appends, and whether it also ended the saga.
#[component]
fn PressWrote(
    /// The press's events, in words.
    wrote: PressWrites,
) -> impl IntoView {
    view! {
        <div class="saga-timeline__wrote" data-testid="step-wrote">
            <p><strong>{wrote.summary}</strong></p>
            <ul>{wrote.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            {wrote.ended.map(|e| view! { <p class="saga-timeline__ended" data-testid="step-ended">{e}</p> })}
        </div>
    }
}

/// The transfer's two accounts, each after the saga's latest step on it (before any,
/// at the transfer's start), with the change that step made and, apart, the account
/// now if it has moved on since: pinned above the steps, so stepping shows the money
/// move, and an old transfer never passes today's balance off as the saga's.
#[component]
fn MoneyStrip(
    /// The money of the transfer shown.
    money: std::rc::Rc<SagaMoney>,
    /// The account ids as plain text (see [`SagaTimeline`]).
    no_links: bool,
) -> impl IntoView {
    view! {
        <div class="saga-money" role="group" aria-label="The two accounts' balances at the saga's steps" data-testid="saga-money">
            <MoneyCard role="from" account=money.from.clone() no_links/>
            <MoneyCard role="to" account=money.to.clone() no_links/>
        </div>
    }
}

/// One account of the [`MoneyStrip`].
#[component]
fn MoneyCard(
    /// "from" or "to".
    role: &'static str,
    /// The account beside the saga.
    account: AccountMoney,
    /// The account id as plain text (see [`SagaTimeline`]).
    no_links: bool,
) -> impl IntoView {
    let id = account.account_id.to_string();
    let (balance, status) = match (&account.owner, account.then) {
        (Some(_), Some(then)) => (then.balance.to_string(), then.status.to_string()),
        (Some(_), None) => ("—".to_owned(), "not opened yet".to_owned()),
        (None, _) => ("—".to_owned(), "no such account".to_owned()),
    };
    view! {
        <div class="saga-money__account" data-testid=format!("saga-money-{role}")>
            <span class="saga-money__role">{role}</span>
            <a class="saga-money__id id" href=link_to(Route::Account(account.account_id.clone()), no_links)
                title=id.clone()>{id.clone()}</a>
            <span class="muted">{account.owner.clone().unwrap_or_default()}</span>
            <strong class="saga-money__balance num" data-testid=format!("saga-money-{role}-balance")>{balance}</strong>
            <span class="saga-money__status">{status}</span>
            <span class="saga-money__change" data-testid=format!("saga-money-{role}-change")>
                {format!("{}: {}", account.moment(), account.change())}
            </span>
            {account.now_words().map(|now| view! {
                <span class="saga-money__now" data-testid=format!("saga-money-{role}-now")>{now}</span>
            })}
        </div>
    }
}

/// One lane of the saga (the happy path, or the compensation) with its steps.
#[component]
fn Lane(
    /// The lane's heading.
    title: &'static str,
    /// Its steps, in the order the saga runs them.
    spans: Vec<Span>,
    /// The global position of each event id, to link a cause to its event.
    positions: HashMap<String, u64>,
    /// What each leg did to its account's balance.
    money: std::rc::Rc<SagaMoney>,
    /// The positions the last press wrote: the steps holding them are marked.
    just: Rc<Vec<u64>>,
    /// The event numbers as plain text (see [`SagaTimeline`]).
    no_links: bool,
) -> impl IntoView {
    let selected = use_selection().position;
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
                    let pressed = span.entries.iter().any(|e| just.contains(&e.position));
                    view! {
                        <li class=class class:saga-timeline__step--pressed=pressed
                            data-testid=format!("span-{}", span.key) data-status=span.status.label()>
                            <div class="saga-timeline__head">
                                <span class="saga-timeline__title">{span.title.clone()}</span>
                                {pressed.then(|| view! { <span class="badge badge--info" data-testid="span-pressed">"written by this press"</span> })}
                                <span class="saga-timeline__status">{label}</span>
                            </div>
                            <p class="saga-timeline__explain">{span.explain.clone()}</p>
                            <ul class="saga-timeline__events">
                                {span.entries.iter().map(|e| {
                                    let cause = positions.get(&e.causation_id).map_or_else(
                                        || view! { <span>"the command"</span> }.into_any(),
                                        |p| view! { <a href=link_to(Route::Event(*p), no_links)>{format!("#{p}")}</a> }.into_any(),
                                    );
                                    let retry = matches!(e.kind, TimelineKind::Retried(_));
                                    let position = e.position;
                                    let moved = money.leg_at(e.position).map(|leg| view! {
                                        <span class="saga-timeline__money" data-testid="leg-money">
                                            {format!(" · {}: {} → {}", leg.account_id, leg.before, leg.after)}
                                        </span>
                                    });
                                    view! {
                                        <li class:saga-timeline__event--retry=retry
                                            class:event--selected=move || selected.get() == Some(position)>
                                            <a href=link_to(Route::Event(e.position), no_links)>{format!("#{}", e.position)}</a>
                                            " " <code>{e.event_type}</code>
                                            <span class="muted">{format!(" in {} v{}", e.stream, e.version)}</span>
                                            <span>{format!(" — {}", e.summary)}</span>
                                            {moved}
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

/// The address of `target` in the app's panels; none when `no_links`, which leaves an
/// `<a>` as plain text (HTML's placeholder for a link: no role, no focus).
fn link_to(target: Route, no_links: bool) -> Option<String> {
    (!no_links).then(|| route::href(&target))
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
