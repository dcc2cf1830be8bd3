//! Writing an imported log (checked by [`crate::app::import::parse_log`]) onto the end
//! of a store by plain appends, keeping every event's position, version and ids: how
//! the memory and localStorage stores take an import (IndexedDB writes it in one
//! transaction of its own, with the same [`check_continues`]). The memory and
//! localStorage stores' [`EventStore::restore`] call it. Native code, so the
//! import's write path is tested natively too.

use super::checks::check_continues;
use super::{EventStore, NewEvent, Recorded, StoreError};

/// Appends `events` (recorded elsewhere) to `store`, one append per run of a stream,
/// and fails if an event would land anywhere but where it was recorded. Everything is
/// checked before the first append, so a refusal writes nothing.
pub async fn restore_by_append<S: EventStore>(
    store: &S,
    events: &[Recorded],
) -> Result<(), StoreError> {
    let Some(first) = events.first() else {
        return Ok(());
    };
    let tail = store.read_all(first.position.saturating_sub(1)).await?;
    check_continues(events, tail.last().map_or(0, |r| r.position))?;
    for run in
        events.chunk_by(|a, b| a.stream == b.stream && a.version.checked_add(1) == Some(b.version))
    {
        let Some(first) = run.first() else {
            continue;
        };
        let batch = run.iter().map(NewEvent::from).collect();
        // A version stored already is a conflict here, and nothing of the run lands.
        let stored = store
            .append(&first.stream, first.version.saturating_sub(1), batch)
            .await?;
        // Only another writer appending meanwhile could move an event.
        let moved = stored
            .iter()
            .zip(run)
            .find(|(s, r)| s.position != r.position);
        if let Some((s, r)) = moved {
            return Err(StoreError::Discontinuous(format!(
                "event {} was stored at position {} (written meanwhile by another tab?)",
                r.position, s.position
            )));
        }
    }
    Ok(())
}
