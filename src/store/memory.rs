//! The in-memory event store: for native tests, the benchmark, and the browser when
//! no persistent storage is available. Clones share one log, as two tabs share one
//! database, so concurrency tests can race two handles.
//!
//! Reads check each event's schema version: an event recorded by a newer build
//! ([`MemoryStore::push_recorded`] can hold one, as another build sharing the log would
//! write it) is [`StoreError::NewerVersion`], never returned.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::skew::check_schema;
use super::{EventStore, NewEvent, Recorded, StoreError, StreamSnapshot};

#[derive(Default)]
struct Log {
    events: Vec<Rc<Recorded>>,
    /// Positions (0-based indexes into `events`) of each stream's events, in order.
    streams: HashMap<String, Vec<usize>>,
    /// The latest snapshot of each stream (a cache, not part of the log).
    snapshots: HashMap<String, StreamSnapshot>,
}

/// A log held in memory. Cloning gives another handle on the same log.
#[derive(Clone, Default)]
pub struct MemoryStore {
    log: Rc<RefCell<Log>>,
}

impl MemoryStore {
    #[must_use]
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// A store holding `events` as they are, e.g. an imported log.
    #[must_use]
    pub fn from_recorded(events: Vec<Rc<Recorded>>) -> MemoryStore {
        let mut log = Log::default();
        for (index, event) in events.iter().enumerate() {
            log.streams
                .entry(event.stream.clone())
                .or_default()
                .push(index);
        }
        log.events = events;
        MemoryStore {
            log: Rc::new(RefCell::new(log)),
        }
    }

    /// How many events the log holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.log.borrow().events.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stores one event exactly as it was recorded elsewhere, its schema version
    /// included, as another build sharing this log would write it. It must be the next
    /// position of the log and the next version of its stream; otherwise nothing is
    /// stored and the error is a [`StoreError::Conflict`].
    pub fn push_recorded(&self, event: Recorded) -> Result<Rc<Recorded>, StoreError> {
        let mut log = self.log.borrow_mut();
        let log = &mut *log;
        let current = log.streams.get(&event.stream).map_or(0, Vec::len) as u64;
        if event.version != current + 1 || event.position != log.events.len() as u64 + 1 {
            return Err(StoreError::Conflict {
                stream: event.stream,
                expected: event.version.saturating_sub(1),
                actual: current,
            });
        }
        let index = log.events.len();
        log.streams
            .entry(event.stream.clone())
            .or_default()
            .push(index);
        let event = Rc::new(event);
        log.events.push(Rc::clone(&event));
        Ok(event)
    }
}

impl EventStore for MemoryStore {
    async fn append(
        &self,
        stream: &str,
        expected_version: u64,
        events: Vec<NewEvent>,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        let mut log = self.log.borrow_mut();
        let log = &mut *log;
        let current = log.streams.get(stream).map_or(0, |s| s.len() as u64);
        if current != expected_version {
            return Err(StoreError::Conflict {
                stream: stream.to_owned(),
                expected: expected_version,
                actual: current,
            });
        }
        let mut stored = Vec::with_capacity(events.len());
        if !log.streams.contains_key(stream) {
            log.streams.insert(stream.to_owned(), Vec::new());
        }
        let Some(indexes) = log.streams.get_mut(stream) else {
            return Ok(stored);
        };
        for (offset, event) in events.into_iter().enumerate() {
            let index = log.events.len();
            let recorded = Rc::new(Recorded::new(
                event,
                stream,
                current + 1 + offset as u64,
                index as u64 + 1,
            ));
            indexes.push(index);
            log.events.push(Rc::clone(&recorded));
            stored.push(recorded);
        }
        Ok(stored)
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_version: u64,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        let log = self.log.borrow();
        let skip = from_version.saturating_sub(1) as usize;
        log.streams.get(stream).map_or_else(
            || Ok(Vec::new()),
            |indexes| {
                indexes
                    .iter()
                    .skip(skip)
                    .map(|&i| {
                        check_schema(&log.events[i])?;
                        Ok(Rc::clone(&log.events[i]))
                    })
                    .collect()
            },
        )
    }

    async fn read_all(&self, from_position: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        let log = self.log.borrow();
        let skip = from_position.saturating_sub(1) as usize;
        log.events
            .iter()
            .skip(skip)
            .map(|event| check_schema(event).map(|()| Rc::clone(event)))
            .collect()
    }

    async fn restore(&self, events: &[Recorded]) -> Result<(), StoreError> {
        super::restore::restore_by_append(self, events).await
    }

    async fn save_snapshot(&self, snapshot: StreamSnapshot) -> Result<(), StoreError> {
        let mut log = self.log.borrow_mut();
        log.snapshots.insert(snapshot.stream.clone(), snapshot);
        Ok(())
    }

    async fn load_snapshot(&self, stream: &str) -> Result<Option<StreamSnapshot>, StoreError> {
        Ok(self.log.borrow().snapshots.get(stream).cloned())
    }

    async fn delete_snapshots(&self) -> Result<usize, StoreError> {
        let mut log = self.log.borrow_mut();
        let count = log.snapshots.len();
        log.snapshots.clear();
        Ok(count)
    }
}
