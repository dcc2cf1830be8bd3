//! The browser UI (wasm32 only): Leptos components that dispatch commands through the
//! [`service::BankHandle`] and render the app's read models. Nothing here decides a
//! rule or computes a balance.
//!
//! - [`boot`]: choosing and opening the store, resuming sagas, the error screen's data.
//! - [`service`]: the bank handle in context and the signals components track.
//! - [`action`]: a command a user sends: busy while it runs, sent once, its error shown.
//! - [`page`]: the rest of the page's state in context: the selection, the notices.
//! - [`accounts`], [`transfers`], [`timeline`]: the bank's panels and the saga view;
//!   [`operator_fix`]: the fix of a transfer that needs attention, in the saga view.
//!   [`causation`]: the chain of causes drawn under the saga view.
//! - [`audit`], [`timetravel`]: the event log and the state as of any event.
//! - [`fork`]: practice forks made at an event, their banner, list and comparison.
//! - [`snapshot`], [`preview`]: the stored summary and the preview shown while the log loads.
//! - [`scenarios`]: one-click teaching scenarios and reset.
//! - [`spec`]: given / when / then, a spec of an account's rules run in the page.
//! - [`newer`]: the page shown when a newer build of sagabank wrote the bank.
//! - [`storage`]: asking the browser to keep the data, and how much room it takes.
//! - [`route`]: the page's address (the one module that touches `location`);
//!   [`links`]: what the page does with a link.
//! - [`files`], [`widgets`]: downloads, small shared pieces.
//! - [`keyboard`]: the keyboard map in the header.
//! - [`lazy`]: the parts whose code loads on demand, their loading and failure lines.
//! - [`share`]: a bank as a link (`#log=…`): copying one, and opening one.
//! - [`embed`]: `?embed=saga`, one transfer's saga for an `<iframe>`, on its own memory store.
//! - [`learn`]: the course: the welcome, the lesson panel, each lesson on its own database.
//! - [`shell`]: the static shell of `index.html`; every mode mounts through [`shell::mount`],
//!   which takes it away once the mode shows something of its own.

mod account_load;
pub mod accounts;
pub mod action;
pub mod audit;
pub mod boot;
pub mod causation;
pub mod crash;
pub mod delivery;
pub mod diagram;
pub mod embed;
pub mod files;
pub mod fork;
pub mod glossary;
pub mod keyboard;
pub mod lazy;
pub mod learn;
pub mod lifecycle;
pub mod links;
pub mod locks;
pub mod newer;
pub mod operator_fix;
pub mod page;
pub mod preview;
pub mod retry_axis;
pub mod route;
pub mod scenarios;
pub mod service;
pub mod share;
pub mod shell;
pub mod snapshot;
pub mod spec;
pub mod storage;
pub mod timeline;
pub mod timetravel;
pub mod transfers;
pub mod widgets;

use std::rc::Rc;

use leptos::prelude::*;

use crate::app::projections::Summary;
use crate::split_view;
use crate::store::any::StoreKind;
use lazy::{Lazy, Start};
use lifecycle::BootFailure;
use page::{use_notices, use_page, Page};
use service::{use_bank, BankHandle};

/// Installs the panic hook and mounts [`App`] on `<body>` (or [`embed::Embed`] for
/// `?embed=saga`), in place of `index.html`'s shell ([`shell::mount`]).
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal_error(&info.to_string());
    }));
    if embed::requested() {
        shell::mount(embed::Embed);
    } else {
        shell::mount(App);
    }
}

/// A last-resort message for a panic: the page's code has stopped, so this is plain
/// DOM, with a way to reload. Stored data is untouched.
pub fn show_fatal_error(message: &str) {
    // Nothing is loading any more: the shell's "Loading the bank…" would not be true.
    shell::remove();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(overlay) = document.create_element("div") else {
        return;
    };
    overlay.set_class_name("fatal");
    let _ = overlay.set_attribute("role", "alertdialog");
    let _ = overlay.set_attribute("aria-labelledby", "fatal-title");
    let _ = overlay.set_attribute("data-testid", "fatal-error");
    let title = document.create_element("h2");
    let text = document.create_element("p");
    let detail = document.create_element("pre");
    let button = document.create_element("button");
    if let (Ok(title), Ok(text), Ok(detail), Ok(button)) = (title, text, detail, button) {
        title.set_id("fatal-title");
        title.set_text_content(Some("Something went wrong in sagabank"));
        text.set_text_content(Some(
            "The page hit an internal error and stopped. Your stored events are safe: reload to continue.",
        ));
        detail.set_text_content(Some(message));
        button.set_text_content(Some("Reload the page"));
        let _ = button.set_attribute("onclick", "location.reload()");
        let _ = overlay.append_child(&title);
        let _ = overlay.append_child(&text);
        let _ = overlay.append_child(&button);
        let _ = overlay.append_child(&detail);
    }
    if let Some(body) = document.body() {
        let _ = body.append_child(&overlay);
    }
}

#[derive(Clone)]
enum Phase {
    Loading,
    /// The stored summary, shown while the log loads.
    Preview(Rc<Summary>),
    Ready,
    Failed(BootFailure),
}

/// The root component: makes the page's state and puts each part in context, boots
/// the bank, then shows the bank or the data error screen.
#[component]
pub fn App() -> impl IntoView {
    let handle = BankHandle::new();
    let page = Page::provide(handle);
    // Before the store is opened: a stored summary to show while the log loads.
    let stored = (boot::requested_kind() == StoreKind::IndexedDb)
        .then(|| snapshot::load(&boot::active_db()))
        .flatten();
    let phase = RwSignal::new_local(stored.map_or(Phase::Loading, |s| Phase::Preview(Rc::new(s))));
    snapshot::save_when_hidden(handle);
    newer::check_when_visible(handle);
    let course = learn::provide();
    learn::note_refusals(handle, course);
    leptos::task::spawn_local(async move {
        match lifecycle::boot(page).await {
            Ok(()) => {
                phase.set(Phase::Ready);
                learn::after_boot(handle, course);
                links::follow(page, course);
                // For measurements: when the bank was first shown (see README).
                if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                    let _ = performance.mark("sagabank-ready");
                }
            }
            Err(failure) => phase.set(Phase::Failed(failure)),
        }
    });
    // index.html's shell stays until the app has something of its own to show.
    shell::keep_while(move || {
        handle.newer_version.get().is_none() && matches!(phase.get(), Phase::Loading)
    });
    view! {
        {move || match phase.get() {
            // Before anything else: a newer build's data stops the page, at boot or later.
            _ if handle.newer_version.get().is_some() => {
                let what = handle.newer_version.get().unwrap_or_default();
                view! { <newer::NewerVersion what=what/> }.into_any()
            }
            Phase::Loading => view! {
                <main class="app app--loading" aria-busy="true">
                    <p class="loading">"Opening the bank…"</p>
                </main>
            }
            .into_any(),
            Phase::Preview(summary) => view! { <preview::Preview summary=summary/> }.into_any(),
            Phase::Ready => view! { <Bank/> }.into_any(),
            Phase::Failed(failure) => view! { <DataError failure=failure/> }.into_any(),
        }}
    }
}

/// The bank's page: header, panels, and the live region.
#[component]
fn Bank() -> impl IntoView {
    let notices = use_notices();
    fork::provide(use_page());
    view! {
        <header class="masthead">
            <widgets::Brand/>
            <widgets::StoreBadge/>
            <keyboard::KeyboardMap/>
            <learn::CourseButton/>
            <glossary::GlossaryButton/>
        </header>
        <glossary::GlossaryDialog/>
        <fork::ForkBanner/>
        <learn::Course/>
        {move || {
            notices.storage_warning
                .get()
                .map(|warning| {
                    view! {
                        <p class="banner banner--warning" role="status" data-testid="storage-warning">
                            {warning}
                        </p>
                    }
                })
        }}
        {move || {
            notices.link_notice
                .get()
                .map(|notice| {
                    view! {
                        <p class="banner banner--warning" role="status" id="link-notice" data-testid="link-notice">
                            {notice}
                        </p>
                    }
                })
        }}
        <MovedNotice/>
        <ReopenedNotice/>
        <share::SharedBankOffer/>
        <crash::CrashBanner/>
        {move || {
            let resumed = notices.resumed.get();
            (!resumed.is_empty()).then(|| {
                let names: Vec<String> = resumed.iter().map(ToString::to_string).collect();
                view! {
                    <p class="banner banner--info" role="status" data-testid="resumed-banner">
                        "Resumed after the reload, from the log alone: " {names.join(", ")}
                    </p>
                }
            })
        }}
        <scenarios::ScenarioBar/>
        <main class="layout">
            <accounts::AccountsPanel/>
            <transfers::TransfersPanel/>
            <Lazy what="the audit trail" frame=audit_frame load=audit_panel start=Start::Idle/>
            <Lazy what="time travel" frame=timetravel_frame load=history_panels start=Start::Idle/>
            <Lazy what="given / when / then" frame=spec_frame load=spec_panel start=Start::Idle/>
        </main>
        <p class="visually-hidden" aria-live="polite" data-testid="announcer">
            {move || notices.announcement.get()}
        </p>
    }
}

// The panels lower on the page, each loaded from a chunk of its own once the browser
// is idle (issue 24, `lazy`); time travel and the forks made in it are one part.
split_view!(fn audit_panel() in audit => view! { <audit::AuditPanel/> });
split_view!(fn history_panels() in history => view! { <timetravel::TimeTravelPanel/> <fork::ForksPanel/> });
split_view!(fn spec_panel() in spec => view! { <spec::SpecPanel/> });

/// The audit trail's frame while its code loads: its panel and heading.
fn audit_frame(line: AnyView) -> AnyView {
    view! {
        <section class="panel panel--audit audit lazy" aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit trail"</h2>
            {line}
        </section>
    }
    .into_any()
}

/// Time travel's frame while its code loads: its panel and heading.
fn timetravel_frame(line: AnyView) -> AnyView {
    view! {
        <section class="panel panel--timetravel timetravel lazy" aria-labelledby="timetravel-title">
            <h2 id="timetravel-title">"Time travel"</h2>
            {line}
        </section>
    }
    .into_any()
}

/// Given / when / then's frame while its code loads: its panel and heading.
fn spec_frame(line: AnyView) -> AnyView {
    view! {
        <section class="panel spec lazy" aria-labelledby="spec-title">
            <h2 id="spec-title">"Given / when / then"</h2>
            {line}
        </section>
    }
    .into_any()
}

/// Says that another tab on this bank's database moved to another one (a scenario, an
/// import, a reset), and offers to follow it there or to stay on this one. Staying
/// pins this tab's database in its URL, so a reload keeps it too. Reads the handle's
/// `moved_to`; shows nothing while it is empty.
#[component]
fn MovedNotice() -> impl IntoView {
    let page = use_page();
    let bank = page.bank;
    let follow = move |_| {
        if let Some(db) = bank.moved_to.get_untracked() {
            lifecycle::follow(&db);
        }
    };
    let stay = move |_| lifecycle::stay(page);
    move || {
        bank.moved_to.get().map(|db| {
            view! {
                <div class="banner banner--info" role="status" data-testid="moved-notice">
                    <p>
                        "Another tab moved to a new bank (database " <code class="id">{db}</code>
                        "). This tab still shows the one it had; nothing here changes unless you choose."
                    </p>
                    <div class="actions">
                        <button class="button" type="button" on:click=follow data-testid="moved-follow">
                            "Follow it (reload on the new bank)"
                        </button>
                        <button class="button button--secondary" type="button" on:click=stay data-testid="moved-stay">
                            "Stay on this bank"
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// Says that this tab reopened on another bank because another tab deleted the one
/// it showed. Reads the handle's `reopened`; shows nothing while it is empty.
#[component]
fn ReopenedNotice() -> impl IntoView {
    let bank = use_bank();
    move || {
        bank.reopened.get().map(|said| {
            view! {
                <p class="banner banner--info" role="status" data-testid="reopened-notice">{said}</p>
            }
        })
    }
}

/// Shown when stored data cannot be read: names the problem, offers the raw data
/// and a fresh start that keeps the old database as a backup. Never deletes anything.
#[component]
fn DataError(
    /// Why the stored data could not be read, and where it is.
    failure: BootFailure,
) -> impl IntoView {
    let held = failure.clone();
    let download = move |_| {
        let failure = held.clone();
        leptos::task::spawn_local(async move {
            let text = failure.raw_records().await;
            files::download(&format!("{}-raw.txt", failure.db_name), &text, "text/plain");
        });
    };
    let start_fresh = move |_| lifecycle::start_fresh_after_failure();
    view! {
        <main class="app data-error" data-testid="data-error">
            // The page's one main landmark; what went wrong is announced at once.
            <div role="alert">
                <h1>"The stored events cannot be read"</h1>
                <p>"sagabank stopped before changing anything. What is wrong:"</p>
                <pre class="data-error__reason" data-testid="data-error-reason">{failure.reason.clone()}</pre>
            </div>
            <p>
                "Database " <code>{failure.db_name.clone()}</code> " in " {failure.kind.to_string()}
                ". You can download its raw records, then start with an empty bank: the old database is kept, untouched, as a backup."
            </p>
            <div class="actions">
                <button class="button" on:click=download data-testid="download-raw">
                    "Download the raw data"
                </button>
                <button class="button button--secondary" on:click=start_fresh data-testid="start-fresh">
                    "Start fresh (keep the old data as a backup)"
                </button>
            </div>
        </main>
    }
}
