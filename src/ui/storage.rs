//! Whether the browser keeps the bank's events, and how much room they take.
//!
//! IndexedDB and localStorage are "best-effort" by default: under storage pressure, or
//! when the user clears the site's data, the browser may delete them. A page can ask
//! for persistent storage with `navigator.storage.persist()`; some browsers grant it
//! silently (Chromium, by engagement), some ask the user (Firefox). So sagabank asks
//! once per page load, on the first write to a persistent store (a command that wrote
//! events, a scenario or an import that filled a new database), never on first paint,
//! never for the memory store, and not at all when `persisted()` already says yes.
//!
//! [`Persistence`] holds that decision and what the page knows (durability, usage and
//! quota from `navigator.storage.estimate()`, refreshed after writes at most once per
//! [`REFRESH_EVERY`]), hooked to each bank shown by [`Persistence::watch`];
//! [`StorageStatus`] shows it next to the store badge. Without a storage manager (old
//! browsers, a page not served over HTTPS) nothing breaks: the status says
//! "persistence unknown". The estimate does not count localStorage, which has a small
//! limit of its own: for a bank on `?store=local` the status counts what this site
//! keeps there instead ([`crate::app::views::local_use`]).
//!
//! Sizes are formatted with integer arithmetic ([`format_bytes`]): float formatting
//! would add kilobytes to the download.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{StorageEstimate, StorageManager};

use super::service::BrowserBank;
use crate::app::views::local_use;
use crate::store::any::StoreKind;

/// The least time between two refreshes of the usage figure after writes.
pub const REFRESH_EVERY: Duration = Duration::from_millis(1500);

/// What the page knows about whether the browser keeps its stored events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Not known yet: the browser has not answered.
    Checking,
    /// The browser has no storage manager here (old browser, insecure context).
    Unknown,
    /// Kept until the user clears the site's data.
    Persisted,
    /// Best-effort: the browser may clear it under storage pressure. `asked` says
    /// whether this page asked for persistence (and was refused) or has not asked yet.
    BestEffort { asked: bool },
}

/// What the page knows about its storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub durability: Durability,
    /// The latest usage and quota, once known.
    pub estimate: Option<Estimate>,
    /// For a bank on localStorage: the characters of every key and value this site keeps
    /// there, once counted (the quota estimate does not count localStorage).
    pub local_chars: Option<u64>,
}

/// How much the origin stores, and how much it may store, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    pub usage: u64,
    /// Zero when the browser did not say.
    pub quota: u64,
}

impl Estimate {
    /// "12 KB of 2 GB used", or "12 KB used" when the quota is unknown.
    #[must_use]
    pub fn describe(&self) -> String {
        if self.quota == 0 {
            format!("{} used", format_bytes(self.usage))
        } else {
            format!(
                "{} of {} used",
                format_bytes(self.usage),
                format_bytes(self.quota)
            )
        }
    }
}

/// A size in bytes for people: "0 bytes", "1 byte", "812 bytes", "1.5 KB", "12 KB",
/// "2 GB" (binary units, one decimal below ten, rounded to nearest; ".0" dropped).
/// Integer arithmetic only.
#[must_use]
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    if bytes < 1024 {
        return if bytes == 1 {
            "1 byte".to_owned()
        } else {
            format!("{bytes} bytes")
        };
    }
    let mut index = 0;
    let mut unit: u64 = 1024;
    while index + 1 < UNITS.len() && bytes / 1024 >= unit {
        unit *= 1024;
        index += 1;
    }
    // u64 throughout (u128 division would add code): the remainder is below 2^50, so
    // ten times it fits.
    let (whole, rest) = (bytes / unit, bytes % unit);
    let tenths = whole * 10 + (rest * 10 + unit / 2) / unit;
    if tenths < 100 {
        return match tenths % 10 {
            0 => format!("{} {}", tenths / 10, UNITS[index]),
            d => format!("{}.{d} {}", tenths / 10, UNITS[index]),
        };
    }
    let whole = whole + u64::from(rest >= unit - rest);
    if whole >= 1024 && index + 1 < UNITS.len() {
        // 1023.6 KB rounds to 1024 KB: that is 1 MB.
        return format!("1 {}", UNITS[index + 1]);
    }
    format!("{whole} {}", UNITS[index])
}

/// What [`Persistence::settle`] does before it reads the estimate.
enum First {
    /// Ask for persistence (the first write).
    Ask,
    /// Read whether the data is kept, asking nothing (the status's first render).
    Check,
    /// Nothing (later writes).
    Nothing,
}

/// Waits `delay` (a browser timer).
async fn wait(delay: Duration) {
    let ms = i32::try_from(delay.as_millis()).unwrap_or(i32::MAX);
    let promise = Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The page's storage manager, if the browser has one here with the methods we use.
fn storage_manager() -> Option<StorageManager> {
    let navigator = web_sys::window()?.navigator();
    let storage = Reflect::get(&navigator, &JsValue::from_str("storage")).ok()?;
    if storage.is_undefined() || storage.is_null() {
        return None;
    }
    let has = |name: &str| {
        Reflect::get(&storage, &JsValue::from_str(name))
            .is_ok_and(|f| f.is_instance_of::<Function>())
    };
    (has("persist") && has("persisted") && has("estimate")).then(|| storage.unchecked_into())
}

/// Awaits a promise-returning call, as a boolean (`None` if it threw or rejected).
async fn ask_bool(call: Result<Promise, JsValue>) -> Option<bool> {
    let value = JsFuture::from(call.ok()?).await.ok()?;
    value.as_bool()
}

/// The persistence decision of one page load and what the page knows about its
/// storage. The page has one ([`super::page::Page`]); tests make their own.
pub struct Persistence {
    /// Whether the first write of a persistent store was seen (so the question was
    /// asked, or found unneeded). Set at once, before the browser answers.
    asked: Cell<bool>,
    /// Whether a refresh of the estimate is already scheduled.
    refresh_pending: Cell<bool>,
    /// Whether the bank runs on localStorage: its use is counted, not estimated.
    local: Cell<bool>,
    /// What the page knows, in one signal (each signal type adds code to the wasm).
    pub status: ArcRwSignal<Status>,
    refresh_every: Duration,
}

impl Persistence {
    /// A page load's state: nothing asked yet, nothing known.
    #[must_use]
    pub fn new(refresh_every: Duration) -> Rc<Persistence> {
        Rc::new(Persistence {
            asked: Cell::new(false),
            refresh_pending: Cell::new(false),
            local: Cell::new(false),
            status: ArcRwSignal::new(Status {
                durability: Durability::Checking,
                estimate: None,
                local_chars: None,
            }),
            refresh_every,
        })
    }

    /// What the browser said about keeping the data (not tracked).
    #[must_use]
    pub fn durability(&self) -> Durability {
        self.status.with_untracked(|s| s.durability)
    }

    /// The latest usage and quota, once known (not tracked).
    #[must_use]
    pub fn estimate(&self) -> Option<Estimate> {
        self.status.with_untracked(|s| s.estimate)
    }

    fn set_durability(&self, durability: Durability) {
        self.status.update(|s| s.durability = durability);
    }

    /// Whether the first write was seen and persistence asked for (or found granted).
    #[must_use]
    pub fn asked(&self) -> bool {
        self.asked.get()
    }

    /// To call on every write to a store of `kind`: on the first write to a persistent
    /// store, asks for persistence (once); after every write, refreshes the estimate, at
    /// most once per `refresh_every`. Writes to the memory store change nothing.
    pub fn on_write(self: &Rc<Self>, kind: StoreKind) {
        if !kind.is_persistent() {
            return;
        }
        // The first write asks; it is also the first to schedule a refresh.
        let first = if self.asked.replace(true) {
            First::Nothing
        } else {
            First::Ask
        };
        if self.refresh_pending.replace(true) && matches!(first, First::Nothing) {
            return;
        }
        leptos::task::spawn_local(Rc::clone(self).settle(first, self.refresh_every));
    }

    /// Does `first`, waits `delay`, then reads usage and quota: the page's one task
    /// (one future type keeps the wasm small).
    async fn settle(self: Rc<Self>, first: First, delay: Duration) {
        match first {
            First::Ask => {
                self.ask().await;
            }
            First::Check => self.check().await,
            First::Nothing => {}
        }
        if !delay.is_zero() {
            wait(delay).await;
        }
        if !matches!(first, First::Check) {
            // Writes from now on schedule the next refresh.
            self.refresh_pending.set(false);
        }
        self.refresh().await;
    }

    /// Asks the browser to keep the origin's data, once: a second call (or a call after
    /// the first write) returns what is known without asking again. Does not ask when
    /// `persisted()` already says yes, or when the browser has no storage manager.
    pub async fn request(&self) -> Durability {
        if self.asked.replace(true) {
            return self.durability();
        }
        self.ask().await
    }

    /// Asks the browser, unless `persisted()` says yes already; shows the answer.
    async fn ask(&self) -> Durability {
        let Some(storage) = storage_manager() else {
            self.set_durability(Durability::Unknown);
            return Durability::Unknown;
        };
        let durability = match ask_bool(storage.persisted()).await {
            Some(true) => Durability::Persisted,
            _ => match ask_bool(storage.persist()).await {
                Some(true) => Durability::Persisted,
                Some(false) => Durability::BestEffort { asked: true },
                None => Durability::Unknown,
            },
        };
        self.set_durability(durability);
        durability
    }

    /// Reads whether the data is kept already, without asking for anything (for the
    /// status shown before the first write). Leaves a known answer alone.
    pub async fn check(&self) {
        let Some(storage) = storage_manager() else {
            self.set_durability(Durability::Unknown);
            return;
        };
        let known = ask_bool(storage.persisted()).await;
        if self.durability() != Durability::Checking {
            return;
        }
        self.set_durability(match known {
            Some(true) => Durability::Persisted,
            Some(false) => Durability::BestEffort { asked: false },
            None => Durability::Unknown,
        });
    }

    /// Counts localStorage (a bank on localStorage) or reads usage and quota, now.
    pub async fn refresh(&self) {
        if self.local.get() {
            let chars = local_storage_chars();
            self.status.update(|s| s.local_chars = chars);
            return;
        }
        let Some(storage) = storage_manager() else {
            return;
        };
        let Ok(promise) = storage.estimate() else {
            return;
        };
        let Ok(value) = JsFuture::from(promise).await else {
            return;
        };
        let estimate: StorageEstimate = value.unchecked_into();
        // JS numbers of bytes: whole, and far below 2^53.
        let bytes = |n: Option<f64>| n.map_or(0, |n| n.max(0.0) as u64);
        let estimate = Estimate {
            usage: bytes(estimate.get_usage()),
            quota: bytes(estimate.get_quota()),
        };
        self.status.update(|s| s.estimate = Some(estimate));
    }

    /// Reads the figures again soon (say, after an import that wrote and removed a
    /// database), whether or not the shown bank wrote anything.
    pub fn reread(self: &Rc<Self>) {
        leptos::task::spawn_local(Rc::clone(self).settle(First::Nothing, Duration::ZERO));
    }

    /// Calls [`Persistence::on_write`] on every batch of `bank`'s new events. When
    /// `filled` (a scenario or an import wrote the new database before it was shown)
    /// and the bank holds events, that counts as a write now.
    pub fn watch(self: &Rc<Self>, bank: &BrowserBank, filled: bool) {
        let kind = bank.store().kind();
        let this = Rc::clone(self);
        bank.subscribe(move |_| this.on_write(kind));
        if filled && bank.read(|m| m.last_position) > 0 {
            self.on_write(kind);
        }
    }
}

/// The characters (UTF-16 code units) of every key and value in this site's
/// localStorage: what its limit counts.
fn local_storage_chars() -> Option<u64> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let mut chars = 0;
    for i in 0..storage.length().ok()? {
        let Some(key) = storage.key(i).ok()? else {
            continue;
        };
        let value = storage.get_item(&key).ok()?.unwrap_or_default();
        chars += key.encode_utf16().chain(value.encode_utf16()).count() as u64;
    }
    Some(chars)
}

/// The words for a durability: the short label and the explanation under it.
fn words(durability: Durability) -> (&'static str, &'static str) {
    match durability {
        Durability::Checking => ("checking…", "Asking the browser whether it keeps the data."),
        Durability::Unknown => (
            "persistence unknown",
            "This browser does not say whether it keeps the data (an old browser, or a page not \
             served over HTTPS). Nothing breaks; export the log to keep a copy.",
        ),
        Durability::Persisted => (
            "kept until you clear it",
            "The browser will not clear these events on its own. Clearing this site's data still \
             deletes them: export the log to keep a copy.",
        ),
        Durability::BestEffort { asked: true } => (
            "best-effort",
            "The browser may clear these events under storage pressure, or when you clear this \
             site's data. sagabank asked it to keep them; it did not agree. Export the log to \
             keep a copy.",
        ),
        Durability::BestEffort { asked: false } => (
            "best-effort",
            "The browser may clear these events under storage pressure, or when you clear this \
             site's data. sagabank asks it to keep them on the first write. Export the log to \
             keep a copy.",
        ),
    }
}

/// Whether the browser keeps the stored events, and how much of the quota they use: a
/// disclosure whose summary is one short line ("best-effort · 12 KB of 2 GB used") and
/// whose body explains it. Shows nothing for the memory store (its badge says that
/// nothing persists). Reads the page's [`Persistence`]; reads, never asks.
///
/// The disclosure is made once; only its words follow the status, so a refreshed figure
/// neither closes it nor moves focus. Few, small reactive pieces: each adds code.
#[component]
pub fn StorageStatus(
    /// The kind of store the bank runs on (a page keeps its kind: scenarios and
    /// imports open the same kind).
    kind: StoreKind,
    /// The page's [`Persistence`].
    persistence: Rc<Persistence>,
) -> impl IntoView {
    kind.is_persistent().then(|| {
        let local = kind == StoreKind::LocalStorage;
        persistence.local.set(local);
        leptos::task::spawn_local(Rc::clone(&persistence).settle(First::Check, Duration::ZERO));
        let status = persistence.status.clone();
        let (s1, s2, s3, s4) = (status.clone(), status.clone(), status.clone(), status);
        view! {
            <details class="storage-status" data-testid="storage-status"
                data-durability=move || durability_key(s1.with(|s| s.durability))>
                <summary>
                    <span data-testid="storage-durability">{move || words(s2.with(|s| s.durability)).0}</span>
                    // Empty (and hidden, with its separator) until the browser answers.
                    <span class="storage-status__usage" data-testid="storage-usage">
                        {move || s3.with(|s| usage(s, local))}
                    </span>
                </summary>
                <p class="storage-status__more">{move || s4.with(|s| more(s, local))}</p>
            </details>
        }
    })
}

/// The usage line: localStorage counted for a bank on it, else the quota estimate;
/// empty until known.
fn usage(status: &Status, local: bool) -> String {
    if local {
        status.local_chars.map(local_use::summary)
    } else {
        status.estimate.map(|e| e.describe())
    }
    .unwrap_or_default()
}

/// The explanation: what the durability means, then (for localStorage) what it holds.
fn more(status: &Status, local: bool) -> String {
    let mut text = words(status.durability).1.to_owned();
    if let Some(chars) = status.local_chars.filter(|_| local) {
        text.push(' ');
        text.push_str(&local_use::details(chars));
    }
    text
}

/// A stable name of a durability, for tests and styling.
fn durability_key(durability: Durability) -> &'static str {
    match durability {
        Durability::Checking => "checking",
        Durability::Unknown => "unknown",
        Durability::Persisted => "persisted",
        Durability::BestEffort { .. } => "best-effort",
    }
}
