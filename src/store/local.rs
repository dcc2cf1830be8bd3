//! The localStorage event store: small (browsers allow a few megabytes per origin) and
//! synchronous.
//!
//! # Layout
//!
//! Every key of a log starts with `sagabank/<name>/`:
//!
//! - `sagabank/<name>/event/<position>`: the event at that global position (1-based),
//!   as its JSON line ([`Recorded::to_json_line`], with its schema version);
//! - `sagabank/<name>/head`: the last committed position, in decimal. The head is the
//!   commit point: an append writes its events first and the head last;
//! - `sagabank/<name>/layout`: the version of this layout, in decimal:
//!   [`LOCAL_LAYOUT`] (1). A log written before the layout carried a version has no
//!   such key and is read as version 1; its next append writes the key. A higher
//!   version (a newer build's layout) is [`StoreError::NewerVersion`]: nothing is read
//!   or written, the data is kept as it is.
//!
//! Any other key under the prefix, an event key beyond the head, a missing event, an
//! unreadable line or a gap in a stream's versions is [`StoreError::Corrupt`] naming
//! the key, and an event of a newer schema version than this build's is
//! [`StoreError::NewerVersion`] (appends refuse too, since they read the log first);
//! nothing is ever skipped or deleted on read. Older schema versions are
//! upcast by [`Recorded::from_json_line`].
//!
//! # Atomicity and tabs
//!
//! Within a tab every append is one synchronous run of JavaScript (check the stream's
//! version, write the events, write the head), so nothing can interleave with it. If
//! the browser refuses a write (`QuotaExceededError`), the keys already written by that
//! append are removed again and the head is left as it was: nothing of the append
//! remains, and the error is [`StoreError::QuotaExceeded`].
//!
//! Across tabs, appends to one log are serialised with the Web Locks API
//! (`navigator.locks`, lock `sagabank/<name>`) where the browser has it, and an append
//! never overwrites an existing event key (it reports a conflict instead). The limit:
//! localStorage itself has no transactions, and browsers propagate one tab's writes to
//! another tab's process asynchronously, so a tab could in principle read a head that
//! is a moment old even after taking the lock. The key check catches most of that
//! window; closing it entirely needs IndexedDB, which is why IndexedDB is the default.
//!
//! Each handle keeps the events it has read, and re-reads only when the head moved, so
//! reads cost one `getItem` when nothing changed. A handle does not notice later edits
//! of keys it has already read (only a reload or another handle does).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, Storage};

use super::checks::LogCheck;
use super::js::{js_text, RawRecord};
use super::skew::{check_local_layout, unreadable_line, LOCAL_LAYOUT};
use super::{EventStore, NewEvent, Recorded, StoreError, StreamSnapshot};

/// An event log in localStorage. Cloning gives another handle sharing this one's
/// cache; open the name again for an independent handle (as another tab would have).
#[derive(Clone)]
pub struct LocalStorageStore {
    inner: Rc<Inner>,
}

struct Inner {
    name: String,
    prefix: String,
    storage: Storage,
    log: RefCell<Option<Log>>,
    /// Whether the layout key is known to be stored (else the next append writes it).
    layout_stored: std::cell::Cell<bool>,
}

/// The committed events as last read: `events[p - 1]` is position `p`.
#[derive(Default)]
struct Log {
    head: u64,
    events: Vec<Rc<Recorded>>,
    /// Indexes into `events` of each stream's events, in version order.
    streams: HashMap<String, Vec<usize>>,
}

impl LocalStorageStore {
    /// The key prefix of the log named `name`: `sagabank/<name>/`.
    #[must_use]
    pub fn prefix(name: &str) -> String {
        format!("sagabank/{name}/")
    }

    /// Opens the log named `name` (letters, digits, `-`, `_`, `.`). Nothing is read
    /// until the first call; damaged data is reported then.
    pub fn open(name: &str) -> Result<LocalStorageStore, StoreError> {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(StoreError::Unavailable(format!(
                "{name:?} is not a valid store name (use letters, digits, - _ .)"
            )));
        }
        Ok(LocalStorageStore {
            inner: Rc::new(Inner {
                name: name.to_owned(),
                prefix: Self::prefix(name),
                storage: local_storage()?,
                log: RefCell::new(None),
                layout_stored: std::cell::Cell::new(false),
            }),
        })
    }

    /// Checks that localStorage can be written at all (it may be blocked, or have a
    /// quota of zero in a private window), by writing and removing a probe key.
    pub fn probe() -> Result<(), StoreError> {
        let storage = local_storage()?;
        let key = "sagabank-probe";
        storage
            .set_item(key, "1")
            .map_err(|e| storage_error(&format!("cannot write {key}"), &e))?;
        storage
            .remove_item(key)
            .map_err(|e| storage_error(&format!("cannot remove {key}"), &e))
    }

    /// Removes every key of the log named `name`, and its snapshots, for good.
    pub fn delete(name: &str) -> Result<(), StoreError> {
        let storage = local_storage()?;
        remove_keys_under(&storage, &Self::prefix(name))?;
        remove_keys_under(&storage, &Self::snapshot_prefix(name)).map(|_| ())
    }

    /// The key prefix of the snapshots of the log named `name`:
    /// `sagabank-snapshots/<name>/`, outside the log's own prefix (where any other key
    /// counts as foreign data).
    #[must_use]
    pub fn snapshot_prefix(name: &str) -> String {
        format!("sagabank-snapshots/{name}/")
    }

    /// The name this store was opened with.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Every key of this log with its value as stored, readable or not: the head
    /// first, then the events by position, then anything else.
    pub fn raw_records(&self) -> Result<Vec<RawRecord>, StoreError> {
        let mut keys = keys_under(&self.inner.storage, &self.inner.prefix)?;
        let prefix_len = self.inner.prefix.len();
        keys.sort_by_key(|key| {
            let rest = &key[prefix_len..];
            match rest.strip_prefix("event/").and_then(parse_position) {
                _ if rest == "layout" => (0, 0, String::new()),
                _ if rest == "head" => (0, 1, String::new()),
                Some(p) => (1, p, String::new()),
                None => (2, 0, rest.to_owned()),
            }
        });
        keys.into_iter()
            .map(|key| {
                let value = self.get(&key)?.unwrap_or_default();
                Ok(RawRecord { key, value })
            })
            .collect()
    }

    fn layout_key(&self) -> String {
        format!("{}layout", self.inner.prefix)
    }

    /// Refuses a layout this build does not read (see [`check_local_layout`]).
    fn check_layout(&self) -> Result<(), StoreError> {
        let key = self.layout_key();
        let stored = self.get(&key)?;
        check_local_layout(&key, stored.as_deref())?;
        self.inner.layout_stored.set(stored.is_some());
        Ok(())
    }

    /// Stores the layout version if it is not stored yet (a new log, or one written
    /// before the layout carried a version).
    fn keep_layout(&self) -> Result<(), StoreError> {
        if self.inner.layout_stored.get() {
            return Ok(());
        }
        let key = self.layout_key();
        self.inner
            .storage
            .set_item(&key, &LOCAL_LAYOUT.to_string())
            .map_err(|e| storage_error(&format!("cannot write {key}"), &e))?;
        self.inner.layout_stored.set(true);
        Ok(())
    }

    fn head_key(&self) -> String {
        format!("{}head", self.inner.prefix)
    }

    fn event_key(&self, position: u64) -> String {
        format!("{}event/{position}", self.inner.prefix)
    }

    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.inner
            .storage
            .get_item(key)
            .map_err(|e| storage_error(&format!("cannot read {key}"), &e))
    }

    /// The committed head, `None` if the head key is missing.
    fn read_head(&self) -> Result<Option<u64>, StoreError> {
        let key = self.head_key();
        match self.get(&key)? {
            None => Ok(None),
            Some(text) => parse_position(&text)
                .or_else(|| (text == "0").then_some(0))
                .map(Some)
                .ok_or_else(|| {
                    StoreError::Corrupt(format!("key {key} holds {text:?}, not a position"))
                }),
        }
    }

    /// Brings the cached log up to the stored head, reading only what is new; a first
    /// read (or a head that went back) reads everything and checks every key.
    fn refresh(&self) -> Result<(), StoreError> {
        self.check_layout()?;
        let head = self.read_head()?;
        let mut slot = self.inner.log.borrow_mut();
        let result = match (slot.as_mut(), head) {
            (Some(log), Some(h)) if log.head == h => return Ok(()),
            (Some(log), None) if log.head == 0 => return Ok(()),
            (Some(log), Some(h)) if h > log.head => self.extend(log, h),
            _ => {
                let mut log = Log::default();
                let scanned = self
                    .scan(head)
                    .and_then(|()| self.extend(&mut log, head.unwrap_or(0)));
                scanned.map(|()| *slot = Some(log))
            }
        };
        if result.is_err() {
            // Read everything again next time, and report the damage again.
            *slot = None;
        }
        result
    }

    /// Checks that every key under the prefix is the head or a committed event.
    fn scan(&self, head: Option<u64>) -> Result<(), StoreError> {
        let mut keys = keys_under(&self.inner.storage, &self.inner.prefix)?;
        keys.sort();
        let prefix_len = self.inner.prefix.len();
        for key in keys {
            let rest = &key[prefix_len..];
            if rest == "head" || rest == "layout" {
                continue;
            }
            match (rest.strip_prefix("event/").and_then(parse_position), head) {
                (Some(p), Some(h)) if p <= h => {}
                (Some(_), None) => {
                    return Err(StoreError::Corrupt(format!(
                        "key {key} holds an event but the head key {} is missing",
                        self.head_key()
                    )))
                }
                (Some(_), Some(h)) => {
                    return Err(StoreError::Corrupt(format!(
                        "key {key} lies beyond the last committed position {h} (an append \
                         that never finished?)"
                    )))
                }
                (None, _) => {
                    return Err(StoreError::Corrupt(format!(
                        "unexpected key {key} among the keys of this log ({}): it was not \
                         written by sagabank",
                        self.inner.prefix
                    )))
                }
            }
        }
        Ok(())
    }

    /// Reads positions `log.head + 1 ..= head` into `log`, checking each continues it
    /// (see [`LogCheck`]).
    fn extend(&self, log: &mut Log, head: u64) -> Result<(), StoreError> {
        let versions = log
            .streams
            .iter()
            .map(|(stream, indexes)| (stream.clone(), indexes.len() as u64));
        let mut check = LogCheck::continuing(log.head, versions);
        for position in log.head + 1..=head {
            let key = self.event_key(position);
            let Some(line) = self.get(&key)? else {
                return Err(StoreError::Corrupt(format!(
                    "key {key} is missing (the head says {head} events are stored)"
                )));
            };
            let event = Recorded::from_json_line(&line)
                .map_err(|e| unreadable_line(&format!("key {key}"), e))?;
            check.check(&event, || format!("key {key}"))?;
            log.streams
                .entry(event.stream.clone())
                .or_default()
                .push(log.events.len());
            log.events.push(Rc::new(event));
            log.head = position;
        }
        Ok(())
    }

    /// Refreshes the cache; the first time under the cross-tab lock, so the full scan
    /// never sees another tab's append half-done.
    async fn refreshed(&self) -> Result<(), StoreError> {
        if self.inner.log.borrow().is_none() {
            let this = self.clone();
            self.locked(move || this.refresh()).await?
        } else {
            self.refresh()
        }
    }

    /// The append itself: synchronous, so nothing in this tab interleaves with it.
    fn append_now(
        &self,
        stream: &str,
        expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.refresh()?;
        let mut slot = self.inner.log.borrow_mut();
        let log = slot.get_or_insert_with(Log::default);
        let current = log.streams.get(stream).map_or(0, |v| v.len() as u64);
        let conflict = || StoreError::Conflict {
            stream: stream.to_owned(),
            expected: expected_version,
            actual: current,
        };
        if current != expected_version {
            return Err(conflict());
        }
        if events.is_empty() {
            return Ok(Vec::new());
        }
        self.keep_layout()?;
        let stored: Vec<Rc<Recorded>> = (1u64..)
            .zip(events)
            .map(|(offset, event)| {
                Rc::new(Recorded::new(
                    event,
                    stream,
                    expected_version + offset,
                    log.head + offset,
                ))
            })
            .collect();
        let keys: Vec<String> = stored.iter().map(|r| self.event_key(r.position)).collect();
        // Never overwrite: a key beyond the head is another tab's append in flight.
        for key in &keys {
            if self.get(key)?.is_some() {
                return Err(conflict());
            }
        }
        let storage = &self.inner.storage;
        let rollback = |written: &[String]| {
            for key in written {
                let _ = storage.remove_item(key);
            }
        };
        for (i, (key, event)) in keys.iter().zip(&stored).enumerate() {
            if let Err(e) = storage.set_item(key, &event.to_json_line()) {
                rollback(&keys[..i]);
                return Err(storage_error(&format!("cannot write {key}"), &e));
            }
        }
        let new_head = log.head + stored.len() as u64;
        if let Err(e) = storage.set_item(&self.head_key(), &new_head.to_string()) {
            rollback(&keys);
            return Err(storage_error(
                &format!("cannot write {}", self.head_key()),
                &e,
            ));
        }
        let versions = log.streams.entry(stream.to_owned()).or_default();
        for event in &stored {
            versions.push(log.events.len());
            log.events.push(event.clone());
        }
        log.head = new_head;
        Ok(stored)
    }

    /// Runs `f` holding the Web Lock `sagabank/<name>` (shared by every tab of this
    /// origin); without Web Locks, runs it at once.
    async fn locked<T: 'static>(&self, f: impl FnOnce() -> T + 'static) -> Result<T, StoreError> {
        let locks = Reflect::get(&js_sys::global(), &"navigator".into())
            .ok()
            .filter(JsValue::is_object)
            .and_then(|navigator| Reflect::get(&navigator, &"locks".into()).ok())
            .filter(JsValue::is_object);
        let request = locks.as_ref().and_then(|locks| {
            Reflect::get(locks, &"request".into())
                .ok()
                .and_then(|r| r.dyn_into::<Function>().ok())
        });
        let (Some(locks), Some(request)) = (locks, request) else {
            return Ok(f());
        };
        let out = Rc::new(RefCell::new(None));
        let out_in_lock = Rc::clone(&out);
        let callback = Closure::once(move |_lock: JsValue| {
            *out_in_lock.borrow_mut() = Some(f());
            JsValue::UNDEFINED
        });
        let lock_name = JsValue::from_str(&format!("sagabank/{}", self.inner.name));
        let promise = request
            .call2(&locks, &lock_name, callback.as_ref().unchecked_ref())
            .map_err(|e| StoreError::Unavailable(format!("Web Locks: {}", js_text(&e))))?;
        JsFuture::from(Promise::from(promise))
            .await
            .map_err(|e| StoreError::Unavailable(format!("Web Locks: {}", js_text(&e))))?;
        drop(callback);
        let result = out.borrow_mut().take();
        result
            .ok_or_else(|| StoreError::Unavailable("Web Locks: the lock was never granted".into()))
    }
}

impl EventStore for LocalStorageStore {
    async fn append(
        &self,
        stream: &str,
        expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        let this = self.clone();
        let stream = stream.to_owned();
        self.locked(move || this.append_now(&stream, expected_version, events))
            .await?
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_version: u64,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.refreshed().await?;
        let slot = self.inner.log.borrow();
        let Some(log) = slot.as_ref() else {
            return Ok(Vec::new());
        };
        let skip = usize::try_from(from_version.saturating_sub(1)).unwrap_or(usize::MAX);
        Ok(log.streams.get(stream).map_or_else(Vec::new, |indexes| {
            indexes
                .iter()
                .skip(skip)
                .map(|&i| Rc::clone(&log.events[i]))
                .collect()
        }))
    }

    async fn read_all(&self, from_position: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        self.refreshed().await?;
        let slot = self.inner.log.borrow();
        let Some(log) = slot.as_ref() else {
            return Ok(Vec::new());
        };
        let skip = usize::try_from(from_position.saturating_sub(1)).unwrap_or(usize::MAX);
        Ok(log.events.iter().skip(skip).cloned().collect())
    }

    async fn restore(&self, events: &[Recorded]) -> Result<(), StoreError> {
        super::restore::restore_by_append(self, events).await
    }

    async fn save_snapshot(&self, snapshot: StreamSnapshot) -> Result<(), StoreError> {
        let key = format!(
            "{}{}",
            Self::snapshot_prefix(&self.inner.name),
            snapshot.stream
        );
        self.inner
            .storage
            .set_item(&key, &snapshot.to_text())
            .map_err(|e| storage_error(&format!("cannot write {key}"), &e))
    }

    async fn load_snapshot(&self, stream: &str) -> Result<Option<StreamSnapshot>, StoreError> {
        let key = format!("{}{stream}", Self::snapshot_prefix(&self.inner.name));
        // Unreadable text is no snapshot: the reader folds the whole stream.
        Ok(self.get(&key)?.and_then(|t| StreamSnapshot::from_text(&t)))
    }

    async fn delete_snapshots(&self) -> Result<usize, StoreError> {
        let prefix = Self::snapshot_prefix(&self.inner.name);
        remove_keys_under(&self.inner.storage, &prefix)
    }
}

/// Removes every key that starts with `prefix`; returns how many there were.
fn remove_keys_under(storage: &Storage, prefix: &str) -> Result<usize, StoreError> {
    let keys = keys_under(storage, prefix)?;
    for key in &keys {
        storage
            .remove_item(key)
            .map_err(|e| storage_error(&format!("cannot remove {key}"), &e))?;
    }
    Ok(keys.len())
}

fn local_storage() -> Result<Storage, StoreError> {
    let window =
        web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".to_owned()))?;
    window
        .local_storage()
        .map_err(|e| StoreError::Unavailable(format!("localStorage is blocked: {}", js_text(&e))))?
        .ok_or_else(|| StoreError::Unavailable("localStorage is not available".to_owned()))
}

/// Every key that starts with `prefix`.
fn keys_under(storage: &Storage, prefix: &str) -> Result<Vec<String>, StoreError> {
    let count = storage
        .length()
        .map_err(|e| storage_error("cannot list localStorage", &e))?;
    let mut keys = Vec::new();
    for i in 0..count {
        if let Some(key) = storage
            .key(i)
            .map_err(|e| storage_error("cannot list localStorage", &e))?
        {
            if key.starts_with(prefix) {
                keys.push(key);
            }
        }
    }
    Ok(keys)
}

/// A positive decimal number without sign or leading zeros.
fn parse_position(text: &str) -> Option<u64> {
    let canonical =
        !text.is_empty() && !text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit());
    canonical.then(|| text.parse().ok()).flatten()
}

/// What a failed localStorage call means to the app.
fn storage_error(what: &str, e: &JsValue) -> StoreError {
    let full = e.dyn_ref::<DomException>().is_some_and(|d| {
        matches!(
            d.name().as_str(),
            "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED"
        ) || d.code() == DomException::QUOTA_EXCEEDED_ERR
    });
    if full {
        StoreError::QuotaExceeded(format!("localStorage is full: {what}"))
    } else {
        StoreError::Unavailable(format!("localStorage: {what}: {}", js_text(e)))
    }
}
