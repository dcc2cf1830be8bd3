//! The in-memory event store: for native tests, the benchmark, and the browser when
//! no persistent storage is available. Clones share one log, as two tabs share one
//! database, so concurrency tests can race two handles.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::{EventStore, NewEvent, Recorded, StoreError};

#[derive(Default)]
struct Log {
    events: Vec<Rc<Recorded>>,
    /// Positions (0-based indexes into `events`) of each stream's events, in order.
    streams: HashMap<String, Vec<usize>>,
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
        Ok(log.streams.get(stream).map_or_else(Vec::new, |indexes| {
            indexes
                .iter()
                .skip(skip)
                .map(|&i| Rc::clone(&log.events[i]))
                .collect()
        }))
    }

    async fn read_all(&self, from_position: u64) -> Result<Vec<Rc<Recorded>>, StoreError> {
        let log = self.log.borrow();
        let skip = from_position.saturating_sub(1) as usize;
        Ok(log.events.iter().skip(skip).cloned().collect())
    }
}
