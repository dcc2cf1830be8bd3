//! The pure checks on a log, shared by the adapters and the import: a run of the
//! global log read back from storage ([`LogCheck`]), one stream read back
//! ([`StreamCheck`]), and events written onto the end of a log
//! ([`check_continues`]). Native code with native tests (the read-back checks serve
//! the browser adapters).

use std::collections::HashMap;

use super::{Recorded, StoreError};

/// Checks that `events` (an imported log's slice) can go onto the end of a log whose
/// last position is `last`: the first follows it and the rest follow each other.
pub(crate) fn check_continues(events: &[Recorded], last: u64) -> Result<(), StoreError> {
    let Some(first) = events.first() else {
        return Ok(());
    };
    // Checked sums: a slice from anywhere but the import check may hold any number.
    let in_order = events
        .windows(2)
        .all(|w| w[0].position.checked_add(1) == Some(w[1].position));
    if last.checked_add(1) == Some(first.position) && in_order {
        Ok(())
    } else {
        Err(StoreError::Discontinuous(format!(
            "it ends at position {last}; they start at position {}",
            first.position
        )))
    }
}

/// `message`, after where it happened when that is said.
fn located(at: &str, message: &str) -> String {
    if at.is_empty() {
        message.to_owned()
    } else {
        format!("{at}: {message}")
    }
}

/// Checks a run of the global log (read back from storage, or imported): positions gap-free from
/// where the read started, and each stream's versions gap-free (from 1 when the read
/// started at the beginning of the log).
pub(crate) struct LogCheck {
    next_position: u64,
    from_start: bool,
    versions: HashMap<String, u64>,
}

impl LogCheck {
    pub(crate) fn new(from_position: u64) -> LogCheck {
        let from = from_position.max(1);
        LogCheck {
            next_position: from,
            from_start: from == 1,
            versions: HashMap::new(),
        }
    }

    /// A check of the events after `last_position`, for a log whose streams stand at
    /// `versions` (every stream of it): a stream not among them must start at 1.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn continuing(
        last_position: u64,
        versions: impl IntoIterator<Item = (String, u64)>,
    ) -> LogCheck {
        LogCheck {
            next_position: last_position + 1,
            from_start: true,
            versions: versions.into_iter().collect(),
        }
    }

    /// `at` names where the event is stored, for the message (empty when the caller
    /// says where); it is only called when there is something wrong to report.
    pub(crate) fn check(
        &mut self,
        event: &Recorded,
        at: impl FnOnce() -> String,
    ) -> Result<(), StoreError> {
        if event.position != self.next_position {
            return Err(StoreError::Corrupt(located(
                &at(),
                &format!(
                    "position {} follows {}: {}",
                    event.position,
                    self.next_position - 1,
                    if event.position > self.next_position {
                        format!("position {} is missing", self.next_position)
                    } else {
                        "positions must count up, each once".to_owned()
                    }
                ),
            )));
        }
        match self.versions.get_mut(&event.stream) {
            Some(last) if event.version != *last + 1 => {
                return Err(StoreError::Corrupt(located(
                    &at(),
                    &format!(
                        "stream {} jumps from version {last} to {}",
                        event.stream, event.version
                    ),
                )));
            }
            Some(last) => *last = event.version,
            None if self.from_start && event.version != 1 => {
                return Err(StoreError::Corrupt(located(
                    &at(),
                    &format!(
                        "stream {} starts at version {} instead of 1",
                        event.stream, event.version
                    ),
                )));
            }
            None => {
                self.versions.insert(event.stream.clone(), event.version);
            }
        }
        self.next_position += 1;
        Ok(())
    }
}

/// Checks one stream read back from storage: its own events only, versions gap-free
/// from where the read started, positions increasing.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) struct StreamCheck<'a> {
    stream: &'a str,
    next_version: u64,
    last_position: u64,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl<'a> StreamCheck<'a> {
    pub(crate) fn new(stream: &'a str, from_version: u64) -> StreamCheck<'a> {
        StreamCheck {
            stream,
            next_version: from_version.max(1),
            last_position: 0,
        }
    }

    /// `at` names where the event is stored; called only for a message.
    pub(crate) fn check(
        &mut self,
        event: &Recorded,
        at: impl FnOnce() -> String,
    ) -> Result<(), StoreError> {
        if event.stream != self.stream {
            let at = at();
            return Err(StoreError::Corrupt(format!(
                "{at}: an event of stream {} is filed under stream {}",
                event.stream, self.stream
            )));
        }
        if event.version != self.next_version {
            let at = at();
            return Err(StoreError::Corrupt(format!(
                "stream {} is missing version {}: it jumps to version {} ({at})",
                self.stream, self.next_version, event.version
            )));
        }
        if event.position <= self.last_position {
            let at = at();
            return Err(StoreError::Corrupt(format!(
                "{at}: stream {} has version {} at position {}, before version {} at position {}",
                self.stream,
                event.version,
                event.position,
                event.version - 1,
                self.last_position
            )));
        }
        self.next_version += 1;
        self.last_position = event.position;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;
    use crate::store::contract::sample_event;
    use crate::store::{EventStore, MemoryStore};

    /// Event `n` of account `account`, stored at `position` as version `version`.
    fn at(account: &str, version: u64, position: u64) -> Recorded {
        let n = u32::try_from(version - 1).unwrap();
        Recorded::new(
            sample_event(account, n),
            &format!("account-{account}"),
            version,
            position,
        )
    }

    /// Given a log a1 a2 b1 a3 (positions 1 to 4).
    fn log() -> Vec<Recorded> {
        vec![at("a", 1, 1), at("a", 2, 2), at("b", 1, 3), at("a", 3, 4)]
    }

    fn run_log_check(events: &[Recorded], from: u64) -> Result<(), StoreError> {
        let mut check = LogCheck::new(from);
        events
            .iter()
            .try_for_each(|e| check.check(e, || format!("key {}", e.position)))
    }

    #[test]
    fn a_log_continued_knows_its_streams_and_a_new_one_starts_at_1() {
        let versions = || [("account-a".to_owned(), 1)];
        let mut check = LogCheck::continuing(2, versions());
        assert_eq!(check.check(&at("a", 2, 3), String::new), Ok(()));
        let mut check = LogCheck::continuing(2, versions());
        let Err(StoreError::Corrupt(message)) = check.check(&at("b", 2, 3), || "key 3".into())
        else {
            panic!("a new stream must start at 1");
        };
        assert_eq!(
            message,
            "key 3: stream account-b starts at version 2 instead of 1"
        );
        let mut check = LogCheck::continuing(2, versions());
        let Err(StoreError::Corrupt(message)) = check.check(&at("a", 2, 4), String::new) else {
            panic!("position 3 is missing");
        };
        assert_eq!(message, "position 4 follows 2: position 3 is missing");
    }

    #[test]
    fn a_gap_free_log_passes_from_its_start_or_from_anywhere() {
        assert_eq!(run_log_check(&log(), 1), Ok(()));
        assert_eq!(run_log_check(&log()[2..], 3), Ok(()));
    }

    #[test]
    fn a_missing_or_repeated_position_is_corrupt_and_named() {
        let mut gap = log();
        gap.remove(1);
        let Err(StoreError::Corrupt(message)) = run_log_check(&gap, 1) else {
            panic!("a gap must be corrupt");
        };
        assert!(message.contains("position 2 is missing"), "{message}");
        let mut back = log();
        back[2].position = 1;
        assert!(matches!(
            run_log_check(&back, 1),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn a_stream_that_skips_a_version_or_starts_late_is_corrupt() {
        let mut skip = log();
        skip[3].version = 4;
        assert!(matches!(
            run_log_check(&skip, 1),
            Err(StoreError::Corrupt(_))
        ));
        let late = vec![at("a", 2, 1)];
        assert!(matches!(
            run_log_check(&late, 1),
            Err(StoreError::Corrupt(_))
        ));
        // Read from the middle, a stream may start at any version.
        assert_eq!(run_log_check(&[at("a", 2, 5)], 5), Ok(()));
    }

    #[test]
    fn a_stream_read_back_must_be_its_own_gap_free_and_in_order() {
        let a: Vec<_> = log()
            .into_iter()
            .filter(|e| e.stream == "account-a")
            .collect();
        let check = |events: &[Recorded], from: u64| {
            let mut check = StreamCheck::new("account-a", from);
            events
                .iter()
                .try_for_each(|e| check.check(e, || "here".to_owned()))
        };
        assert_eq!(check(&a, 1), Ok(()));
        assert_eq!(check(&a[1..], 2), Ok(()));
        assert!(matches!(check(&a[1..], 1), Err(StoreError::Corrupt(_))));
        assert!(matches!(check(&log(), 1), Err(StoreError::Corrupt(_))));
        let mut backwards = a.clone();
        backwards[2].position = 1;
        assert!(matches!(check(&backwards, 1), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn only_events_that_follow_the_last_position_in_order_continue_a_log() {
        let log = log();
        assert_eq!(check_continues(&log, 0), Ok(()));
        assert_eq!(check_continues(&log[2..], 2), Ok(()));
        assert_eq!(check_continues(&[], 7), Ok(()));
        for (events, last) in [(&log[..], 1), (&log[2..], 3), (&log[1..], 0)] {
            assert!(matches!(
                check_continues(events, last),
                Err(StoreError::Discontinuous(_))
            ));
        }
        let mut gap = log.clone();
        gap.remove(2);
        assert!(matches!(
            check_continues(&gap, 0),
            Err(StoreError::Discontinuous(_))
        ));
    }

    #[test]
    fn an_import_restores_onto_a_memory_store_in_slices_and_refuses_a_gap() {
        let store = MemoryStore::new();
        let log = log();
        block_on(store.restore(&log[..2])).unwrap();
        block_on(store.restore(&log[2..])).unwrap();
        let stored = block_on(store.read_all(1)).unwrap();
        let back: Vec<Recorded> = stored.iter().map(|r| (**r).clone()).collect();
        assert_eq!(back, log);
        // Position 6 after 4: refused, and nothing written.
        let gap = at("b", 2, 6);
        assert!(matches!(
            block_on(store.restore(&[gap])),
            Err(StoreError::Discontinuous(_))
        ));
        assert_eq!(block_on(store.read_all(1)).unwrap().len(), 4);
    }
}
