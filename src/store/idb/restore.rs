//! The check a restore (a fork's or an import's copy) passes before anything is
//! written: the events continue the log and each stream its stored version.

use std::collections::HashMap;

use ::idb::ObjectStore;

use super::prefix::Prefix;
use super::IndexedDbStore;
use crate::store::checks::check_continues;
use crate::store::{Recorded, StoreError};

impl IndexedDbStore {
    /// Checks that `events` continue a log whose last position is `last`, and each
    /// stream its stored version, without gaps.
    pub(super) async fn check_restore(
        store: &ObjectStore,
        prefix: Option<&Prefix>,
        events: &[Recorded],
        last: u64,
    ) -> Result<(), StoreError> {
        check_continues(events, last)?;
        // An empty log has no streams: nothing to look up (a fork of 100,000 events
        // has tens of thousands of streams).
        let mut next_version: HashMap<&str, u64> = HashMap::new();
        for r in events {
            let expected = match next_version.get(r.stream.as_str()) {
                Some(&v) => v,
                None if last == 0 => 1,
                None => Self::last_version(store, &r.stream, prefix).await? + 1,
            };
            if r.version != expected {
                return Err(StoreError::Discontinuous(format!(
                    "event {} is version {} of {}, which needs version {expected} next",
                    r.position, r.version, r.stream
                )));
            }
            next_version.insert(&r.stream, expected + 1);
        }
        Ok(())
    }
}
