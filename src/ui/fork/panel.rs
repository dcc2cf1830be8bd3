//! The forks' components: the banner over a practice bank ([`ForkBanner`]), the button
//! in time travel ([`ForkHere`]) and the list of forks with their comparison
//! ([`ForksPanel`]). They render [`super::ForkState`] and call its commands.

use leptos::prelude::*;

use super::compare::CompareView;
use super::use_forks;
use crate::app::fork::{banner, Fork};
use crate::ui::action::Command;

/// Over a practice bank: which bank this is, that the learner's own is untouched, and
/// the ways to compare and to go back. Nothing on any other bank.
#[component]
pub fn ForkBanner() -> impl IntoView {
    let forks = use_forks();
    let lesson_db = move || forks.lesson_db();
    move || {
        forks.current().map(|fork| {
            let (back, compare) = (fork.base.clone(), fork.clone());
            view! {
                <section class="banner banner--fork" aria-labelledby="fork-banner-title">
                    <h2 id="fork-banner-title" tabindex="-1">"Practice bank: " {fork.name.clone()}</h2>
                    <p>
                        {banner(&fork, lesson_db().as_deref())}
                    </p>
                    <div class="actions">
                        <button class="button" type="button" aria-disabled=forks.command.busy()
                            on:click=move |_| forks.compare(compare.clone())>
                            "Compare with my bank"
                        </button>
                        <button class="button button--secondary" type="button" aria-disabled=forks.command.busy()
                            on:click=move |_| forks.open(back.clone(), "Back to your own bank.")>
                            "Back to my bank"
                        </button>
                    </div>
                </section>
            }
        })
    }
}

/// Time travel's way into a fork: a practice bank of events 1..=`at`.
#[component]
pub fn ForkHere(
    /// The event time travel shows (the fork point).
    #[prop(into)]
    at: Signal<u64>,
) -> impl IntoView {
    let forks = use_forks();
    view! {
        <div class="fork-here">
            <button class="button button--secondary" type="button" aria-disabled=forks.forking.busy()
                on:click=move |_| forks.start(at.get_untracked())>
                "Try another path from here"
            </button>
            <span class="fork-here__note">
                {move || format!("A practice bank of events 1 to {}; this bank stays as it is.", at.get())}
            </span>
            <Failure command=forks.forking/>
        </div>
    }
    .into_any()
}

/// Why the last run of `command` failed, if it did.
#[component]
fn Failure(
    /// The command.
    command: Command,
) -> impl IntoView {
    move || {
        command
            .error
            .get()
            .map(|e| view! { <p class="form-error" role="alert">{e}</p> })
    }
}

/// Every fork of this kind of store: open, compare, rename, delete; and the last
/// comparison. Hidden while there are none and nothing was compared.
#[component]
pub fn ForksPanel() -> impl IntoView {
    let forks = use_forks();
    let store = forks.page.bank.store_kind;
    let mine = Memo::new(move |_| {
        let kind = store.get();
        forks
            .list
            .with(|l| l.in_store(kind.as_str()).cloned().collect::<Vec<_>>())
    });
    let editing = RwSignal::new(None::<(String, bool)>);
    view! {
        <section class="panel panel--forks forks" aria-labelledby="forks-title"
            hidden=move || mine.with(Vec::is_empty) && forks.shown.with(Option::is_none)>
            <h2 id="forks-title" tabindex="-1">"Practice forks"</h2>
            <p class="forks__lead">"Each fork is a bank of its own, made in Time travel from the first events of another."</p>
            <ul class="forks__list">
                {move || mine.get().into_iter().map(|fork| view! { <ForkItem fork=fork editing=editing/> }).collect_view()}
            </ul>
            <Failure command=forks.command/>
            {move || forks.shown.get().map(|(name, c)| view! { <CompareView name=name c=c/> })}
        </section>
    }
    .into_any()
}

/// One fork of the list, with its buttons, or its rename form or delete question.
#[component]
fn ForkItem(
    /// The fork.
    fork: Fork,
    /// The fork being renamed (`false`) or asked about deleting (`true`), by database.
    editing: RwSignal<Option<(String, bool)>>,
) -> impl IntoView {
    let forks = use_forks();
    let db = fork.db.clone();
    let shown = {
        let db = db.clone();
        Memo::new(move |_| forks.page.bank.db_name.with(|d| *d == db))
    };
    let mode = {
        let db = db.clone();
        move || {
            editing.with(|e| {
                e.as_ref()
                    .filter(|(d, _)| *d == db)
                    .map(|(_, delete)| *delete)
            })
        }
    };
    let (name, at) = (fork.name.clone(), fork.at);
    let (f1, f2, f3) = (fork.clone(), fork.clone(), fork.clone());
    let (d1, d2) = (db.clone(), db.clone());
    view! {
        <li class="forks__item">
            <p class="forks__name">
                <strong>{name.clone()}</strong>
                {format!(" · from event {at} of {}", fork.base)}
                {move || shown.get().then_some(" · shown now")}
            </p>
            {move || match mode() {
                Some(false) => view! { <RenameForm fork=f1.clone() editing=editing/> }.into_any(),
                Some(true) => view! {
                    <p>"Delete " {f2.name.clone()} " and its events for good?"
                        <button class="button button--danger" type="button"
                            on:click={let f = f2.clone(); move |_| { editing.set(None); forks.delete(f.clone()); }}>
                            "Delete for good"
                        </button>
                        <button class="button button--secondary" type="button" on:click=move |_| editing.set(None)>
                            "Keep it"
                        </button>
                    </p>
                }.into_any(),
                None => view! {
                    <div class="actions">
                        <button class="button button--secondary button--chip" type="button" hidden=shown
                            on:click={let d = d1.clone(); move |_| forks.open(d.clone(), "You are in a practice bank.")}>
                            "Open" <span class="visually-hidden">" " {name.clone()}</span>
                        </button>
                        <button class="button button--secondary button--chip" type="button"
                            on:click={let f = f3.clone(); move |_| forks.compare(f.clone())}>
                            "Compare" <span class="visually-hidden">" " {name.clone()}</span>
                        </button>
                        <button class="button button--secondary button--chip" type="button"
                            on:click={let d = d2.clone(); move |_| editing.set(Some((d.clone(), false)))}>
                            "Rename" <span class="visually-hidden">" " {name.clone()}</span>
                        </button>
                        <button class="button button--secondary button--chip" type="button"
                            on:click={let d = d2.clone(); move |_| editing.set(Some((d.clone(), true)))}>
                            "Delete" <span class="visually-hidden">" " {name.clone()}</span>
                        </button>
                    </div>
                }.into_any(),
            }}
        </li>
    }
    .into_any()
}

/// Renames a fork: its new name, checked, or why not.
#[component]
fn RenameForm(
    /// The fork renamed.
    fork: Fork,
    /// Cleared when done.
    editing: RwSignal<Option<(String, bool)>>,
) -> impl IntoView {
    let forks = use_forks();
    let text = RwSignal::new(fork.name.clone());
    let error = RwSignal::new(None::<String>);
    let input_id = format!("fork-name-{}", fork.db);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match forks.rename(&fork.db, &text.get_untracked()) {
            Ok(()) => editing.set(None),
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <form class="forks__rename" on:submit=save>
            <label for=input_id.clone()>"New name for " {fork.name.clone()}</label>
            <input id=input_id type="text" autocomplete="off" prop:value=text
                on:input=move |ev| text.set(event_target_value(&ev))
                aria-invalid=move || error.with(Option::is_some).then_some("true")/>
            <button class="button" type="submit">"Save the name"</button>
            <button class="button button--secondary" type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </form>
    }
    .into_any()
}
