//! Time travel: a scrubber over the global log showing every account as it was after
//! event N, and what event N changed. It follows the selection shared with the audit
//! trail (the page's [`super::page::Selection`]) and sets it, both ways, without a feedback loop: the
//! selection only ever flows into a local "committed position", and only the user's
//! own moves write the selection.
//!
//! The state as of N comes from the view model [`crate::app::views::time_travel`]. It
//! is computed in a memo that depends only on N and on which log is shown, never on
//! the log merely growing, and the fold is cached per log: moving forward (the ▶
//! button, the arrow keys, following new events) applies just the events in between;
//! moving backward refolds from the start. While the slider is dragged over a long log the
//! state is recomputed when the thumb is released (`change`), not on every `input`;
//! short logs follow the thumb live.
//!
//! It renders read models and never computes a balance itself.

use std::rc::{Rc, Weak};

use leptos::html;
use leptos::prelude::*;

use super::audit::LogIdentity;
use super::page::use_selection;
use super::route::{self, Route};
use super::service::{use_bank, BankHandle, BrowserBank};
use super::widgets::{id_cut, AccountStatusBadge, AccountsHead};
use crate::app::views::time_travel::{EventDiff, Snapshot, Subject, TimeFold};

/// Logs up to this long recompute while the thumb is dragged; longer ones on release.
const LIVE_LIMIT: u64 = 5_000;

/// A cached fold of the log of one bank.
struct Fold {
    /// The bank whose log this folds.
    bank: Weak<BrowserBank>,
    fold: Option<TimeFold>,
}

/// The time-travel panel.
#[component]
pub fn TimeTravelPanel() -> impl IntoView {
    let handle = use_bank();
    let fold: StoredValue<Option<Fold>, LocalStorage> = StoredValue::new_local(None);
    let slider = NodeRef::<html::Input>::new();

    // The position the panel shows; `None` follows the newest event.
    let committed = RwSignal::new(None::<u64>);
    // Where the thumb is (differs from `committed` while a long log is dragged).
    let scrub = RwSignal::new(0_u64);

    let identity = LogIdentity::new();
    let log_id = Memo::new(move |_| {
        handle.read(|_| ());
        identity.current(&handle)
    });
    let last = Memo::new(move |_| handle.last_position());
    let target = Memo::new(move |_| {
        let last = last.get();
        committed.get().map_or(last, |n| n.min(last))
    });
    let snapshot = Memo::new(move |_| {
        log_id.track();
        snapshot_at(&handle, fold, target.get())
    });

    let scrubber = Scrubber {
        handle,
        selected: use_selection().position,
        committed,
        scrub,
        last,
    };
    scrubber.follow(log_id, target, slider);
    view! {
        <section class="panel panel--timetravel timetravel" aria-labelledby="timetravel-title">
            <h2 id="timetravel-title">"Time travel"</h2>
            <p class="timetravel__lead">
                "Every account as it was after any event, and what that event changed. Follows the audit trail's selection."
            </p>
            <Controls scrubber=scrubber slider=slider target=target/>
            <super::fork::ForkHere at=target/>
            <div class="timetravel__body">
                <Diff snapshot=snapshot/>
                <Accounts snapshot=snapshot/>
            </div>
        </section>
    }
}

/// The scrubber's state: where the panel is, and the user's moves.
#[derive(Clone, Copy)]
struct Scrubber {
    handle: BankHandle,
    /// The selected event, shared with the audit trail.
    selected: RwSignal<Option<u64>>,
    /// The position the panel shows; `None` follows the newest event.
    committed: RwSignal<Option<u64>>,
    /// Where the thumb is (differs from `committed` while a long log is dragged).
    scrub: RwSignal<u64>,
    /// The log's last position.
    last: Memo<u64>,
}

impl Scrubber {
    /// The selection flows in (from the audit trail or a deep link), a new log starts
    /// by following its newest event, and the thumb follows the target.
    fn follow(self, log_id: Memo<usize>, target: Memo<u64>, slider: NodeRef<html::Input>) {
        let Scrubber {
            selected,
            committed,
            scrub,
            last,
            ..
        } = self;
        // One selection: a selected event is shown, and letting it go (a step of a
        // saga) follows the newest again, unless the start (0) is shown.
        Effect::new(move |_| match selected.get() {
            Some(position) => committed.set(Some(position)),
            None if committed.get_untracked() != Some(0) => committed.set(None),
            None => {}
        });
        // A new log (a scenario, an import) starts by following its newest event.
        Effect::new(move |seen: Option<usize>| {
            let log = log_id.get();
            if seen.is_some_and(|seen| seen != log) {
                committed.set(None);
            }
            log
        });
        Effect::new(move |_| scrub.set(target.get()));
        // …and the thumb follows. `max` and `value` are set together, so a value is
        // never clamped by a stale maximum.
        Effect::new(move |_| {
            let (max, value) = (last.get(), scrub.get());
            if let Some(input) = slider.get() {
                input.set_max(&max.to_string());
                input.set_value(&value.to_string());
            }
        });
    }

    /// The user's moves flow out: the panel shows `n`, and it is the selection.
    fn commit(self, n: u64) {
        self.committed.set(Some(n));
        if n == 0 {
            self.selected.set(None);
            route::replace(&Route::Home);
        } else {
            self.selected.set(Some(n));
            route::replace(&Route::Event(n));
        }
    }

    /// The thumb moved (`released`: let go); a long log is shown once released.
    fn moved(self, ev: &leptos::ev::Event, released: bool) {
        if let Ok(n) = event_target_value(ev).parse::<u64>() {
            self.scrub.set(n);
            if released || self.last.get_untracked() <= LIVE_LIMIT {
                self.commit(n);
            }
        }
    }

    /// One event forward or back.
    fn step(self, forward: bool) {
        let n = self.scrub.get_untracked();
        let n = if forward {
            (n + 1).min(self.last.get_untracked())
        } else {
            n.saturating_sub(1)
        };
        self.scrub.set(n);
        self.commit(n);
    }

    /// Back to following the newest event.
    fn follow_latest(self) {
        self.committed.set(None);
        self.selected.set(None);
        route::replace(&Route::Home);
    }

    /// Event `n` in words, for the slider's value text.
    fn event_label(self, n: u64) -> String {
        let what = self
            .handle
            .read(|m| {
                let index = usize::try_from(n.checked_sub(1)?).ok()?;
                m.audit
                    .get(index)
                    .map(|r| format!("{} in {}", r.event_type(), r.stream))
            })
            .flatten();
        match what {
            Some(what) => format!("event {n} of {}: {what}", self.last.get()),
            None => format!("the start, before event 1 of {}", self.last.get()),
        }
    }
}

/// What event N changed.
#[component]
fn Diff(
    /// The bank as of the event shown.
    snapshot: Memo<Snapshot>,
) -> impl IntoView {
    view! {
        <div class="timetravel__diff" data-testid="timetravel-diff">
            {move || match snapshot.with(|s| s.diff.clone()) {
                None => view! {
                    <h3>"Before the first event"</h3>
                    <p class="timetravel__summary">"Nothing has happened yet: no accounts, no transfers."</p>
                }
                .into_any(),
                Some(d) => view! { <DiffBody d=d/> }.into_any(),
            }}
        </div>
    }
}

/// The event's header, subject, changes and summary.
#[component]
fn DiffBody(
    /// What the event changed.
    d: EventDiff,
) -> impl IntoView {
    let subject = d.subject.clone().map(|subject| match subject {
        Subject::Account { id, owner } => view! {
            "Account "
            <a href=route::href(&Route::Account(id.clone()))>{id.to_string()}</a>
            {format!(" ({owner})")}
        }
        .into_any(),
        Subject::Transfer(id) => view! {
            "Transfer "
            <a href=route::href(&Route::Transfer(id.clone()))>{id.to_string()}</a>
        }
        .into_any(),
    });
    let part_of = d.part_of.clone().map(|id| {
        view! {
            <p class="timetravel__part-of">
                "A step of transfer "
                <a href=route::href(&Route::Transfer(id.clone()))>{id.to_string()}</a>
            </p>
        }
    });
    let changes = if d.changes.is_empty() {
        view! { <p class="timetravel__summary">"No balance, status or transfer state changed."</p> }
            .into_any()
    } else {
        view! {
            <ul class="timetravel__changes">
                {d
                    .changes
                    .iter()
                    .map(|c| {
                        view! {
                            <li>
                                <span class="timetravel__what">{c.what}</span>
                                ": "
                                <span class="timetravel__before">{c.before.clone()}</span>
                                <span class="timetravel__arrow" aria-hidden="true">" → "</span>
                                <span class="visually-hidden">" becomes "</span>
                                <span class="timetravel__after">{c.after.clone()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h3>
            "Event "
            <a href=route::href(&Route::Event(d.position))>{format!("#{}", d.position)}</a>
            {format!(": {}", d.event_type)}
        </h3>
        <p class="timetravel__meta">{d.stream.clone()} " · " <time datetime=d.recorded_at.clone()>{d.recorded_at.clone()}</time></p>
        {subject.map(|s| view! { <p class="timetravel__subject">{s}</p> })}
        {changes}
        {d.summary.clone().map(|s| view! { <p class="timetravel__summary">{s}</p> })}
        {part_of}
    }
}

/// Every account as of event N.
#[component]
fn Accounts(
    /// The bank as of the event shown.
    snapshot: Memo<Snapshot>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table timetravel__accounts" data-testid="timetravel-accounts">
                <caption>
                    {move || {
                        snapshot.with(|s| {
                            format!(
                                "Accounts as of event {}: total {}, {} transfer{}",
                                s.position,
                                s.total,
                                s.transfers,
                                if s.transfers == 1 { "" } else { "s" }
                            )
                        })
                    }}
                </caption>
                <AccountsHead history=false/>
                <tbody>
                    {move || {
                        let rows = snapshot.with(|s| s.accounts.clone());
                        if rows.is_empty() {
                            return view! {
                                <tr><td colspan="4" class="empty">"No accounts at this point."</td></tr>
                            }
                            .into_any();
                        }
                        rows.into_iter()
                            .map(|a| {
                                let status = a.status;
                                view! {
                                    <tr
                                        class:timetravel__row--changed=a.changed
                                        data-testid=format!("timetravel-account-{}", a.id)
                                    >
                                        <th scope="row">
                                            {id_cut(a.id.to_string(), None)}
                                            {a.changed.then(|| view! {
                                                <span class="timetravel__marker">" (changed)"</span>
                                            })}
                                        </th>
                                        <td>{a.owner.clone()}</td>
                                        <td><AccountStatusBadge status=Signal::derive(move || status)/></td>
                                        <td class="num" data-testid="timetravel-balance">{a.balance.to_string()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// The bank as of event `n` of the installed log, from the cached fold when it is
/// this bank's (the view model moves it forward or refolds).
fn snapshot_at(
    handle: &BankHandle,
    fold: StoredValue<Option<Fold>, LocalStorage>,
    n: u64,
) -> Snapshot {
    let Some(bank) = handle.bank() else {
        return Snapshot::default();
    };
    bank.read(|m| {
        fold.try_update_value(|slot| {
            let mine = slot
                .as_ref()
                .is_some_and(|f| f.bank.upgrade().is_some_and(|b| Rc::ptr_eq(&b, &bank)));
            if !mine {
                *slot = Some(Fold {
                    bank: Rc::downgrade(&bank),
                    fold: None,
                });
            }
            slot.as_mut().map(|f| TimeFold::snapshot(&mut f.fold, m, n))
        })
        .flatten()
    })
    .unwrap_or_default()
}

/// The scrubber's controls: previous and next event, the slider, where it stands,
/// and "Follow the newest event" once the user moved away from it.
#[component]
fn Controls(
    /// The scrubber's state and moves.
    scrubber: Scrubber,
    /// The slider, which the scrubber keeps in step with the log.
    slider: NodeRef<html::Input>,
    /// The position the panel shows.
    target: Memo<u64>,
) -> impl IntoView {
    let Scrubber {
        committed,
        scrub,
        last,
        ..
    } = scrubber;
    let on_input = move |ev: leptos::ev::Event| scrubber.moved(&ev, false);
    let on_change = move |ev: leptos::ev::Event| scrubber.moved(&ev, true);
    let step = move |forward: bool| scrubber.step(forward);
    let follow_latest = move |_| scrubber.follow_latest();
    let event_label = move |n: u64| scrubber.event_label(n);
    let dragging = move || scrub.get() != target.get();
    view! {
        <div class="timetravel__controls">
            <label class="timetravel__label" for="timetravel-slider">"Show the bank as of event"</label>
            <div class="timetravel__scrubber">
                <button
                    type="button"
                    class="button button--secondary button--chip"
                    aria-label="Previous event"
                    data-testid="timetravel-prev"
                    disabled=move || scrub.get() == 0
                    on:click=move |_| step(false)
                >
                    <span aria-hidden="true">"◀"</span>
                </button>
                <input
                    id="timetravel-slider"
                    class="timetravel__slider"
                    type="range"
                    min="0"
                    step="1"
                    node_ref=slider
                    data-testid="timetravel-slider"
                    aria-valuetext=move || event_label(scrub.get())
                    on:input=on_input
                    on:change=on_change
                />
                <button
                    type="button"
                    class="button button--secondary button--chip"
                    aria-label="Next event"
                    data-testid="timetravel-next"
                    disabled=move || { scrub.get() >= last.get() }
                    on:click=move |_| step(true)
                >
                    <span aria-hidden="true">"▶"</span>
                </button>
            </div>
            <div class="timetravel__where">
                <output for="timetravel-slider" class="timetravel__position" data-testid="timetravel-position">
                    {move || format!("Event {} of {}", scrub.get(), last.get())}
                </output>
                {move || {
                    if committed.get().is_none() {
                        view! { <span class="timetravel__mode">"following the newest event"</span> }.into_any()
                    } else {
                        view! {
                            <button
                                type="button"
                                class="button button--secondary button--chip"
                                data-testid="timetravel-latest"
                                on:click=follow_latest
                            >
                                "Follow the newest event"
                            </button>
                        }
                        .into_any()
                    }
                }}
            </div>
            <p class="timetravel__pending" role="status">
                {move || dragging().then(|| format!("Release to show {}.", event_label(scrub.get())))}
            </p>
        </div>
    }
}
