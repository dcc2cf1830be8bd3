//! Account snapshots on the account's card ([`crate::app::account_snapshots`]): the
//! line that says how the account loads from storage ("snapshot at v40 + 3 events" or
//! "43 events folded"), the "snapshot every N events" setting, and the buttons that
//! take a snapshot now and delete them all. The setting is kept in localStorage
//! (`sagabank-snapshot-every`) for every bank this browser opens; off by default.
//!
//! (The read-model summary shown while a long log loads is `super::snapshot`.)

use leptos::prelude::*;

use super::action::Command;
use super::learn::state::Learn;
use super::service::use_bank;
use super::widgets::{clear_error_on_input, FormError};
use crate::app::account_snapshots::{load_line, parse_every};
use crate::app::learn::record::LoadSeen;
use crate::domain::AccountId;

const SETTING_KEY: &str = "sagabank-snapshot-every";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored "snapshot every N events" setting (`None`: off, the default).
#[must_use]
pub fn stored_every() -> Option<u64> {
    let text = storage()?.get_item(SETTING_KEY).ok()??;
    parse_every(&text).ok()?
}

fn store_every(every: Option<u64>) {
    if let Some(storage) = storage() {
        let _ = match every {
            Some(n) => storage.set_item(SETTING_KEY, &n.to_string()),
            None => storage.remove_item(SETTING_KEY),
        };
    }
}

/// How the account loads from storage, and the snapshot controls.
#[component]
pub fn LoadFromStorage(
    /// The account shown.
    id: AccountId,
    /// Its stream version (tracked): the line is read again when it moves.
    #[prop(into)]
    version: Signal<u64>,
) -> impl IntoView {
    let bank = use_bank();
    let learn = use_context::<Learn>();
    let line = RwSignal::new(String::new());
    // Bumped when the snapshots change without a new event (taken, deleted).
    let refresh = RwSignal::new(0u32);
    let asked = StoredValue::new(0u32);
    let load_id = id.clone();
    Effect::new(move |_| {
        version.track();
        refresh.track();
        let db = bank.db_name.get_untracked();
        let (Some(bank), id) = (bank.bank(), load_id.clone()) else {
            return;
        };
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        leptos::task::spawn_local(async move {
            let load = bank.load_account(&id).await;
            // A slower, older load must not overwrite a newer one.
            if asked.try_get_value() != Some(this) {
                return;
            }
            let text = match load {
                Ok(load) => {
                    if let Some(learn) = learn {
                        learn.note(&db, |r| r.loads.push(LoadSeen::of(id.as_str(), &load)));
                    }
                    load_line(&load)
                }
                Err(e) => format!("This account cannot be loaded from storage: {e}"),
            };
            let _ = line.try_set(text);
        });
    });
    view! {
        <p class="muted">{move || line.get()}</p>
        <SnapshotControls id=id refresh=refresh/>
    }
}

/// The interval field and the take / delete buttons.
#[component]
fn SnapshotControls(
    /// The account "Take a snapshot now" snapshots.
    id: AccountId,
    /// Bumped after a snapshot is taken or deleted, so the line is read again.
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let bank = use_bank();
    let error = RwSignal::new(None::<String>);
    let command = Command::new(error);
    let every = RwSignal::new(stored_every().map_or(String::new(), |n| n.to_string()));
    let set = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match parse_every(&every.get_untracked()) {
            Ok(n) => {
                store_every(n);
                if let Some(b) = bank.bank() {
                    b.set_snapshot_every(n);
                }
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let take = move |_| {
        let id = id.clone();
        command.run(async move {
            let b = bank.bank().ok_or_else(|| "No bank is open.".to_owned())?;
            b.snapshot_account(&id).await.map_err(|e| e.to_string())?;
            refresh.update(|n| *n += 1);
            Ok(())
        });
    };
    let learn = use_context::<Learn>();
    let delete = move |_| {
        if let Some(learn) = learn {
            let len = |r: &mut crate::app::learn::record::LearnerRecord| {
                let loads = r.loads.len();
                r.snapshots_deleted.push(loads);
            };
            learn.note(&bank.db_name.get_untracked(), len);
        }
        command.run(async move {
            let b = bank.bank().ok_or_else(|| "No bank is open.".to_owned())?;
            b.delete_snapshots().await.map_err(|e| e.to_string())?;
            refresh.update(|n| *n += 1);
            Ok(())
        });
    };
    view! {
        <form class="form form--inline" on:submit=set on:input=clear_error_on_input(error)
            aria-label="Snapshots">
            <label>
                "Snapshot every " <span class="form__eg">"events, all accounts; empty: off"</span>
                <input name="snapshot-every" inputmode="numeric" autocomplete="off" size="6"
                    prop:value=move || every.get() on:input=move |ev| every.set(event_target_value(&ev))/>
            </label>
            <button class="button button--secondary" type="submit">"Set"</button>
            <button class="button button--secondary" type="button" on:click=take aria-disabled=command.busy()>"Take a snapshot now"</button>
            <button class="button button--secondary" type="button" on:click=delete aria-disabled=command.busy()>"Delete all snapshots"</button>
        </form>
        <FormError error=error test_id="snapshot-error"/>
    }
}
