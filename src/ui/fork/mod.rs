//! Practice forks in the page: "Try another path from here" in time travel makes a
//! bank of events 1..N in a database of its own ([`super::lifecycle::fork`]), a banner
//! says which bank is shown and leads back, and the forks panel lists the forks (open,
//! compare, rename, delete). The list ([`crate::app::fork::Forks`]) is kept in
//! localStorage; each fork's events live in its own database, like any bank. What a
//! comparison shows is [`crate::app::views::compare`].
//!
//! - [`panel`]: the banner, the button in time travel and the forks panel.
//! - [`compare`]: the comparison, rendered.

pub mod compare;
pub mod panel;

use gloo_storage::Storage as _;
use leptos::prelude::*;

use super::action::Command;
use super::learn::state::Learn;
use super::lifecycle;
use super::page::Page;
use super::route::{self, Route};
use crate::app::fork::{self, default_name, ended, Fork, Forks};
use crate::app::learn::record::transfer_after;
use crate::app::views::compare::Comparison;

pub use panel::{ForkBanner, ForkHere, ForksPanel};

/// Where the list of forks is kept (names and fork points; the events are in each
/// fork's database).
const FORKS_KEY: &str = "sagabank/forks";

/// The forks' state, in context (see [`provide`]).
#[derive(Clone, Copy)]
pub struct ForkState {
    page: Page,
    /// Every fork kept in this browser.
    pub list: RwSignal<Forks>,
    /// Forking, its error shown beside its button in time travel.
    pub forking: Command,
    /// Opening, comparing, deleting: one at a time, its error shown in the panel.
    pub command: Command,
    /// The last comparison made, and the name of the fork it was made with.
    pub shown: RwSignal<Option<(String, Comparison)>>,
    /// The course, told of each fork and comparison (a lesson follows the learner
    /// into a fork of its bank).
    learn: Option<Learn>,
}

/// Makes the forks' state (the list read back from localStorage) and puts it in
/// context for [`use_forks`].
pub fn provide(page: Page) -> ForkState {
    let list = gloo_storage::LocalStorage::raw()
        .get_item(FORKS_KEY)
        .ok()
        .flatten()
        .map(|text| Forks::parse(&text))
        .unwrap_or_default();
    let state = ForkState {
        page,
        list: RwSignal::new(list),
        forking: Command::new(RwSignal::new(None)),
        command: Command::new(RwSignal::new(None)),
        shown: RwSignal::new(None),
        learn: use_context::<Learn>(),
    };
    if let Some(learn) = state.learn {
        // The forks a lesson made end with it (it is left, or opened again afresh).
        Effect::new(move |before: Option<Vec<String>>| {
            let now: Vec<String> = learn.session.with(|s| {
                s.as_ref()
                    .map(|s| s.forks.iter().map(|(db, _)| db.clone()).collect())
                    .unwrap_or_default()
            });
            if let Some(before) = before {
                state.forget(ended(&before, &now));
            }
            now
        });
    }
    provide_context(state);
    state
}

/// The forks' state.
#[must_use]
pub fn use_forks() -> ForkState {
    expect_context::<ForkState>()
}

impl ForkState {
    /// The fork shown now, if the bank shown is one (tracked).
    #[must_use]
    pub fn current(self) -> Option<Fork> {
        let db = self.page.bank.db_name.get();
        self.list.with(|l| l.find(&db).cloned())
    }

    /// The lesson's database, if a lesson is being taken (tracked).
    #[must_use]
    pub fn lesson_db(self) -> Option<String> {
        self.learn
            .and_then(|l| l.session.with(|s| s.as_ref().map(|s| s.db.clone())))
    }

    /// Deletes the forks in databases `dbs`, and their entries, in the background;
    /// one that is shown, or cannot be deleted now, stays listed.
    fn forget(self, dbs: Vec<String>) {
        if dbs.is_empty() {
            return;
        }
        let page = self.page;
        leptos::task::spawn_local(async move {
            for db in dbs {
                if page.bank.db_name.get_untracked() != db
                    && lifecycle::delete_database(page.bank, &db).await.is_ok()
                {
                    let gone = self.change(|l| l.remove(&db)).flatten();
                    // Its comparison goes too.
                    if gone.is_some_and(|f| {
                        self.shown
                            .with_untracked(|s| s.as_ref().is_some_and(|(n, _)| *n == f.name))
                    }) {
                        self.shown.set(None);
                    }
                }
            }
        });
    }

    /// Changes the list and keeps it (`None`: the page is gone).
    fn change<R>(self, f: impl FnOnce(&mut Forks) -> R) -> Option<R> {
        let result = self.list.try_update(f);
        let text = self.list.with_untracked(Forks::to_text);
        let _ = gloo_storage::LocalStorage::raw().set_item(FORKS_KEY, &text);
        result
    }

    /// A fork of the bank shown made of its events 1..=`n`, shown from now on.
    pub fn start(self, n: u64) {
        let page = self.page;
        self.forking.run(async move {
            let handle = page.bank;
            let kind = handle.store_kind.get_untracked();
            if !kind.is_persistent() {
                return Err("This bank is kept in memory only, so a fork could not be kept or left: open the page with IndexedDB or localStorage to fork.".to_owned());
            }
            let bank = handle.bank().ok_or("The bank is not open yet.")?;
            let (prefix, before) = bank.read(|m| {
                let end = (n as usize).min(m.audit.len());
                (m.audit[..end].to_vec(), transfer_after(&m.audit, n))
            });
            let base = handle.db_name.get_untracked();
            // The course must not take the fork for a bank of another lesson.
            let learn = self.learn.filter(|l| !l.busy.get_untracked());
            learn.inspect(|l| l.busy.set(true));
            let made = lifecycle::fork(page, &prefix).await;
            learn.inspect(|l| l.busy.set(false));
            let db = made?;
            if let Some(l) = learn {
                l.forked(&base, &db, before, n);
            }
            let name = default_name(n);
            let base_of_fork = base.clone();
            self.change(|l| {
                l.add(Fork {
                    db,
                    name: name.clone(),
                    base,
                    at: n,
                    store: kind.as_str().to_owned(),
                });
            });
            self.shown.set(None);
            route::replace(&Route::Home);
            let lesson_db = self.learn.and_then(|l| {
                l.session
                    .with_untracked(|s| s.as_ref().map(|s| s.db.clone()))
            });
            page.notices
                .announce(fork::made(&name, n, &base_of_fork, lesson_db.as_deref()));
            super::widgets::focus_first(&["#fork-banner-title"]);
            Ok(())
        });
    }

    /// Shows the bank in database `db` (a fork, or the bank a fork came from).
    pub fn open(self, db: String, said: &'static str) {
        let page = self.page;
        self.command.run(async move {
            lifecycle::open_existing(page, &db).await?;
            route::replace(&Route::Home);
            page.notices.announce(said);
            super::widgets::focus_first(&["#fork-banner-title", "#forks-title"]);
            Ok(())
        });
    }

    /// Compares `fork` with the bank it came from, reading whichever is not shown.
    pub fn compare(self, fork: Fork) {
        let page = self.page;
        self.command.run(async move {
            let handle = page.bank;
            let shown = handle.db_name.get_untracked();
            let bank = handle.bank().ok_or("The bank is not open yet.")?;
            let base_shown = shown == fork.base;
            let other = if base_shown { &fork.db } else { &fork.base };
            let other = lifecycle::read_models(handle, other).await?;
            let (comparison, fork_len) = if shown == fork.db || base_shown {
                bank.read(|m| {
                    let (base, forked) = if base_shown { (m, &other) } else { (&other, m) };
                    let c = crate::app::views::compare::compare(base, forked, fork.at);
                    (c, forked.last_position)
                })
            } else {
                let forked = lifecycle::read_models(handle, &fork.db).await?;
                let c = crate::app::views::compare::compare(&other, &forked, fork.at);
                (c, forked.last_position)
            };
            if let Some(l) = self.learn {
                l.note(&fork.db, |r| r.compared.push(fork_len));
            }
            self.shown.set(Some((fork.name.clone(), comparison)));
            page.notices
                .announce(format!("Compared your bank with {}.", fork.name));
            super::widgets::focus_first(&["#compare-title"]);
            Ok(())
        });
    }

    /// Renames the fork in `db`.
    ///
    /// # Errors
    /// The name is empty or too long; nothing changed.
    pub fn rename(self, db: &str, name: &str) -> Result<(), String> {
        self.change(|l| l.rename(db, name)).unwrap_or(Ok(()))?;
        if let Some(f) = self.list.with_untracked(|l| l.find(db).cloned()) {
            self.page
                .notices
                .announce(format!("The fork is now called {}.", f.name));
        }
        Ok(())
    }

    /// Deletes the fork `fork` for good (back to the bank it came from first, if it is
    /// shown).
    pub fn delete(self, fork: Fork) {
        let page = self.page;
        self.command.run(async move {
            if page.bank.db_name.get_untracked() == fork.db {
                lifecycle::open_existing(page, &fork.base).await?;
                route::replace(&Route::Home);
            }
            lifecycle::delete_database(page.bank, &fork.db).await?;
            self.change(|l| l.remove(&fork.db));
            if self
                .shown
                .with_untracked(|s| s.as_ref().is_some_and(|(n, _)| *n == fork.name))
            {
                self.shown.set(None);
            }
            page.notices
                .announce(format!("The fork {} was deleted.", fork.name));
            Ok(())
        });
    }
}
