//! Opening a lesson on a database of its own (filled from its scenario file, or
//! empty), returning to the learner's own bank, and picking the course up again
//! after a reload or from a `#lesson=<n>` link. The learner's own database is never
//! written: a lesson only switches the page to another one.

use leptos::prelude::*;

use super::state::{leave_behind, take_leftover, Learn, Session};
use crate::app::learn::{lesson, LearnerRecord, Start};
use crate::app::scenario_catalog;
use crate::ui::lifecycle;
use crate::ui::page::Page;
use crate::ui::route::{self, Route};
use crate::ui::service::BankHandle;

/// The log's length now.
pub fn log_len(handle: BankHandle) -> u64 {
    handle.bank().map_or(0, |b| b.read(|m| m.last_position))
}

/// Opens lesson `n` (1-based) on a fresh database, in the background.
pub fn open(page: Page, learn: Learn, n: usize) {
    if learn.busy.get_untracked() {
        return;
    }
    learn.busy.set(true);
    learn.error.set(None);
    leptos::task::spawn_local(async move {
        let result = start(page, learn, n).await;
        learn.error.set(result.err());
        learn.busy.set(false);
    });
}

async fn start(page: Page, learn: Learn, n: usize) -> Result<(), String> {
    let handle = page.bank;
    let lesson = lesson(n).ok_or_else(|| format!("There is no lesson {n}."))?;
    let old = learn.session.get_untracked();
    let home = old
        .as_ref()
        .map_or_else(|| handle.db_name.get_untracked(), |s| s.home.clone());
    let db = match lesson.start {
        Start::Empty => lifecycle::start_empty(page).await?,
        Start::Scenario(key) => {
            let scenario = scenario_catalog::find(key)
                .ok_or_else(|| format!("The scenario {key} is missing."))?;
            lifecycle::load_scenario(page, scenario).await?
        }
    };
    let base = log_len(handle);
    learn.session.set(Some(Session {
        lesson: n,
        db: db.clone(),
        home: home.clone(),
        record: LearnerRecord::starting_at(base),
        forks: Vec::new(),
    }));
    learn.action_from.set(base);
    learn.shown_from.set(base);
    learn.unwritten.set(None);
    learn.open.set(true);
    // The address bar says where the learner is (a reload or a copied link comes back).
    route::replace(&Route::Lesson(n));
    learn
        .live
        .set(format!("Lesson {n} opened: {}", lesson.title));
    crate::ui::widgets::focus_first(&["#learn-title"]);
    // The previous lesson's database is not needed any more.
    if let Some(old) = old.filter(|o| o.db != home && o.db != db) {
        let _ = lifecycle::delete_database(handle, &old.db).await;
    }
    Ok(())
}

/// Back to the learner's own bank, as it was; the lesson's database is deleted.
/// Progress is kept.
pub fn leave(page: Page, learn: Learn) {
    let handle = page.bank;
    let Some(session) = learn.session.get_untracked() else {
        return;
    };
    learn.busy.set(true);
    leptos::task::spawn_local(async move {
        match lifecycle::open_existing(page, &session.home).await {
            Ok(()) => {
                learn.session.set(None);
                route::replace(&Route::Home);
                page.notices.announce("Back to your own bank.");
                crate::ui::widgets::focus_first(&["#accounts-title"]);
                if handle.store_kind.get_untracked().is_persistent() && session.db != session.home {
                    // If it cannot be deleted now, the next start tries again.
                    leave_behind(&session.db);
                    if lifecycle::delete_database(handle, &session.db)
                        .await
                        .is_ok()
                    {
                        let _ = take_leftover();
                    }
                }
            }
            Err(e) => learn
                .error
                .set(Some(format!("Your bank could not be opened: {e}"))),
        }
        learn.busy.set(false);
    });
}

/// After the bank opened: deletes a lesson database left behind and notes the reload
/// in the lesson being taken (a `#lesson=<n>` link is followed by [`follow_link`]).
pub fn after_boot(handle: BankHandle, learn: Learn) {
    let db = handle.db_name.get_untracked();
    if let Some(old) = take_leftover().filter(|old| *old != db) {
        leptos::task::spawn_local(async move {
            let _ = lifecycle::delete_database(handle, &old).await;
        });
    }
    let at = handle.boot_position.get_untracked();
    learn.note(&db, |r| r.reloads.push(at));
    if learn
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.db == db))
    {
        learn.action_from.set(at);
        learn.shown_from.set(at);
    }
}

/// Opens lesson `n`, which a `#lesson=<n>` link names, unless it is the one being
/// taken here.
pub fn follow_link(page: Page, learn: Learn, n: usize) {
    let db = page.bank.db_name.get_untracked();
    let here = learn
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.lesson == n && s.db == db));
    learn.dismiss_welcome();
    if !here {
        open(page, learn, n);
    }
}
