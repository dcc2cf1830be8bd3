//! The IndexedDB store's chunks: derived, append-only copies of the log in big
//! records, so a cold start reads a few large strings rather than one object per
//! event (the layout is in the parent module's `# Layout`).
//!
//! The events are the truth; chunks are a cache (except a copied prefix's). `read_all` reads every chunk (one
//! `getAll`; they are few), uses those that cover the positions wanted, and reads the
//! event records of any gap between them and after the last one, all in one
//! transaction, then checks the whole run with the same [`LogCheck`]. A chunk that does
//! not read back as exactly its positions (a bad line, wrong or missing positions) is
//! not an error and is not deleted: the event records of its range are read instead.
//! After a `read_all(1)` that read [`CHUNK`] or more event records past the last chunk
//! (a cold start), the full chunks of those records, read and checked, are written in
//! one transaction of their own, best effort (`add`, so none is ever replaced). Appends,
//! `read_stream` and [`IndexedDbStore::raw_records`] use the events only, and the
//! chunks of a copied prefix ([`super::prefix`]), which are not a cache: a gap in them
//! or one that cannot be read is damage.

use std::future::IntoFuture;
use std::rc::Rc;

use ::idb::{KeyRange, ObjectStore, Query, TransactionMode};
use futures::future::LocalBoxFuture;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use super::fail::{at, failed};
use super::prefix::{all_chunks, prefix_damaged, Prefix, PREFIX_KEY};
use super::records::decode;
use super::{IndexedDbStore, CHUNK, CHUNKS_STORE};
use crate::store::checks::LogCheck;
use crate::store::js::js_position;
use crate::store::Recorded;
use crate::store::StoreError;

impl IndexedDbStore {
    /// [`EventStore::read_all`]: from the chunks that cover the positions wanted and
    /// the event records of the gaps, writing the chunks of a long tail read.
    pub(super) async fn read_all_chunked(
        &self,
        from_position: u64,
    ) -> Result<Vec<Rc<Recorded>>, StoreError> {
        let from = from_position.max(1);
        if !self.inner.raw.object_store_names().contains(CHUNKS_STORE) {
            // A database this connection found without chunks: the events alone.
            let (_tx, store, _) = self.begin(TransactionMode::ReadOnly)?;
            let mut check = LogCheck::new(from_position);
            let mut out = Vec::new();
            let request = events_request(&store, from, None)?;
            append_part(Part::Events(request), &mut check, &mut out).await?;
            return Ok(out);
        }
        let (tx, events, Some(chunks)) = self.begin(TransactionMode::ReadOnly)? else {
            return Err(StoreError::Unavailable(
                "the chunks store went missing".into(),
            ));
        };
        let copied = self.prefix_in(Some(&chunks)).await?.map_or(0, |p| p.last);
        // Chunks are few: read them all. Any that cannot be read is left out, and its
        // range comes from the events (unless it holds copied events: see [`prefix`]).
        let stored = chunks
            .get_all(Some(all_chunks()?), None)
            .map_err(|e| failed("cannot read the chunks", &e))?
            .await
            .unwrap_or_default();

        let (plan, tail_from) = plan_reads(&events, &stored, from, copied)?;
        let tail = events_request(&events, tail_from, None)?;
        let parts = decode_chunks(&events, plan, copied)?;

        let mut check = LogCheck::new(from_position);
        let mut out = Vec::new();
        for part in parts {
            append_part(part, &mut check, &mut out).await?;
        }
        let values = tail.await.map_err(read_failed)?;
        #[allow(clippy::cast_possible_truncation)]
        let write = from == 1 && values.len() >= self.inner.chunk as usize;
        let mut lines = Vec::new();
        for value in &values {
            let (event, line) = decode(value)?;
            check.check(&event, || at(event.position))?;
            if write {
                lines.push(line);
            }
            out.push(Rc::new(event));
        }
        drop(tx);
        if write {
            self.write_chunks(tail_from, &lines);
        }
        Ok(out)
    }
}

/// A chunk as stored: `{first, last, lines}`, keyed by `first`, where `lines` is the
/// JSON lines of positions `first..=last` joined by `'\n'`.
#[derive(Clone, Copy)]
struct ChunkMeta<'a> {
    first: u64,
    last: u64,
    value: &'a JsValue,
}

impl<'a> ChunkMeta<'a> {
    /// Its range, if it has a sensible one.
    fn read(value: &'a JsValue) -> Option<ChunkMeta<'a>> {
        let field = |name: &str| Reflect::get(value, &name.into()).ok();
        let first = js_position(&field("first")?)?;
        let last = js_position(&field("last")?)?;
        (last >= first).then_some(ChunkMeta { first, last, value })
    }

    /// Its events, if every line reads and they are exactly positions
    /// `first..=last`, in order.
    fn decode(&self) -> Option<Vec<Recorded>> {
        let lines = Reflect::get(self.value, &"lines".into())
            .ok()?
            .as_string()?;
        #[allow(clippy::cast_possible_truncation)]
        let mut decoded = Vec::with_capacity((self.last - self.first + 1).min(CHUNK) as usize);
        let mut expected = self.first;
        for line in lines.split('\n') {
            let event = Recorded::from_json_line(line).ok()?;
            if event.position != expected || expected > self.last {
                return None;
            }
            expected += 1;
            decoded.push(event);
        }
        (expected == self.last + 1).then_some(decoded)
    }
}

type EventsRequest = LocalBoxFuture<'static, Result<Vec<JsValue>, ::idb::Error>>;

/// One part of a read of the log, in position order.
enum Part<'a> {
    /// A chunk to decode, and the first position wanted of it.
    Chunk(ChunkMeta<'a>, u64),
    /// A chunk's events, decoded.
    Decoded(Vec<Recorded>),
    /// A read of event records under way.
    Events(EventsRequest),
}

/// The reads of the log from `from`, in position order: chunks where they cover it,
/// event records in the gaps; and where the events after the last chunk start. Every
/// event read is queued now, so IndexedDB reads them while the chunks are decoded.
/// Positions up to `copied` (a copied prefix) have no event records: a gap there is
/// damage.
fn plan_reads<'a>(
    events: &ObjectStore,
    stored: &'a [JsValue],
    from: u64,
    copied: u64,
) -> Result<(Vec<Part<'a>>, u64), StoreError> {
    let mut plan = Vec::new();
    let mut next = from;
    for value in stored {
        let Some(chunk) = ChunkMeta::read(value) else {
            continue;
        };
        if chunk.last < next {
            continue;
        }
        if chunk.first > next {
            if next <= copied {
                return Err(prefix_damaged(next));
            }
            plan.push(Part::Events(events_request(
                events,
                next,
                Some(chunk.first - 1),
            )?));
        }
        plan.push(Part::Chunk(chunk, next));
        next = chunk.last + 1;
    }
    if next <= copied {
        return Err(prefix_damaged(next));
    }
    Ok((plan, next))
}

/// Decodes the planned chunks; one that cannot be read as it is gives way to the
/// events of its range, unless it holds copied events (up to `copied`), which have no
/// records: then it is damage.
fn decode_chunks<'a>(
    events: &ObjectStore,
    plan: Vec<Part<'a>>,
    copied: u64,
) -> Result<Vec<Part<'a>>, StoreError> {
    plan.into_iter()
        .map(|part| {
            Ok(match part {
                Part::Chunk(chunk, skip_below) => match chunk.decode() {
                    Some(mut decoded) => {
                        decoded.retain(|e| e.position >= skip_below);
                        Part::Decoded(decoded)
                    }
                    None if chunk.first <= copied => return Err(prefix_damaged(chunk.first)),
                    None => Part::Events(events_request(events, skip_below, Some(chunk.last))?),
                },
                other => other,
            })
        })
        .collect()
}

/// Appends the events of a decoded chunk or of a finished read to `out`, each
/// checked to continue the log.
async fn append_part(
    part: Part<'_>,
    check: &mut LogCheck,
    out: &mut Vec<Rc<Recorded>>,
) -> Result<(), StoreError> {
    match part {
        Part::Decoded(decoded) => {
            for event in decoded {
                check.check(&event, || {
                    format!("event at position {} (from a chunk)", event.position)
                })?;
                out.push(Rc::new(event));
            }
        }
        Part::Events(request) => {
            for value in request.await.map_err(read_failed)? {
                let (event, _) = decode(&value)?;
                check.check(&event, || at(event.position))?;
                out.push(Rc::new(event));
            }
        }
        Part::Chunk(..) => unreachable!("every chunk was decoded or replaced before"),
    }
    Ok(())
}

/// Queues the read of the event records at positions `from..=to` (to the end if
/// `to` is `None`).
fn events_request(
    store: &ObjectStore,
    from: u64,
    to: Option<u64>,
) -> Result<EventsRequest, StoreError> {
    #[allow(clippy::cast_precision_loss)]
    let lower = JsValue::from_f64(from as f64);
    let range = match to {
        #[allow(clippy::cast_precision_loss)]
        Some(to) => KeyRange::bound(
            &lower,
            &JsValue::from_f64(to as f64),
            Some(false),
            Some(false),
        ),
        None => KeyRange::lower_bound(&lower, Some(false)),
    }
    .map_err(|e| failed("bad range", &e))?;
    let request = store
        .get_all(Some(Query::KeyRange(range)), None)
        .map_err(|e| failed("cannot read the log", &e))?
        .into_future();
    Ok(Box::pin(request))
}

fn read_failed(e: ::idb::Error) -> StoreError {
    failed("cannot read the log", &e)
}

impl IndexedDbStore {
    /// Stores the full chunks of `lines` (the JSON lines of positions `first..`, all
    /// read back and checked, as the JS strings read), in one transaction of their
    /// own. Best effort: the chunks are a cache, so a failure (a full disk, another
    /// tab that wrote them first) only leaves them to a later read.
    pub(super) fn write_chunks(&self, first: u64, lines: &[JsValue]) {
        let Ok(tx) = self
            .inner
            .db
            .transaction(&[CHUNKS_STORE], TransactionMode::ReadWrite)
        else {
            return;
        };
        let Ok(store) = tx.object_store(CHUNKS_STORE) else {
            return;
        };
        let chunk = self.inner.chunk;
        #[allow(clippy::cast_possible_truncation)]
        for (start, group) in (first..)
            .step_by(chunk as usize)
            .zip(lines.chunks_exact(chunk as usize))
        {
            let object = Object::new();
            #[allow(clippy::cast_precision_loss)]
            let fields = [
                ("first", JsValue::from_f64(start as f64)),
                ("last", JsValue::from_f64((start + chunk - 1) as f64)),
                // Joined in JS: the lines never leave JS strings.
                ("lines", group.iter().collect::<Array>().join("\n").into()),
            ];
            for (key, value) in fields {
                let _ = Reflect::set(&object, &key.into(), &value);
            }
            // `add` never overwrites: a chunk already there stays, and this
            // transaction aborts, which is fine.
            if store.add(&object, None).is_err() {
                let _ = tx.abort();
                return;
            }
        }
        // Not awaited: it commits on its own, and later transactions on the chunks
        // store wait for it.
    }
}

impl IndexedDbStore {
    /// The database's copied prefix, if it has one, read in `chunks`'s transaction
    /// (`None` when the database has no chunks store). Once found it is kept: a
    /// prefix is written once, into an empty log, and never changes.
    pub(super) async fn prefix_in(
        &self,
        chunks: Option<&ObjectStore>,
    ) -> Result<Option<Rc<Prefix>>, StoreError> {
        if let Some(known) = self.inner.prefix.borrow().clone() {
            return Ok(Some(known));
        }
        let Some(chunks) = chunks else {
            return Ok(None);
        };
        let value = chunks
            .get(JsValue::from_str(PREFIX_KEY))
            .map_err(|e| failed("cannot read the copied events' record", &e))?
            .await
            .map_err(|e| failed("cannot read the copied events' record", &e))?;
        let Some(value) = value else { return Ok(None) };
        let prefix = Rc::new(Prefix::read(&value)?);
        *self.inner.prefix.borrow_mut() = Some(Rc::clone(&prefix));
        Ok(Some(prefix))
    }

    /// Queues the write of `events` (a whole log from position 1, checked) as a
    /// prefix into `chunks`: its chunks and its record. Returns the prefix, to keep
    /// once the transaction commits.
    pub(super) fn write_prefix(
        &self,
        chunks: &ObjectStore,
        events: &[Recorded],
    ) -> Result<Prefix, StoreError> {
        #[allow(clippy::cast_possible_truncation)]
        let size = self.inner.chunk as usize;
        for group in events.chunks(size) {
            let mut lines = String::new();
            for (i, r) in group.iter().enumerate() {
                if i > 0 {
                    lines.push('\n');
                }
                lines.push_str(&r.to_json_line());
            }
            let object = Object::new();
            #[allow(clippy::cast_precision_loss)]
            let fields = [
                ("first", JsValue::from_f64(group[0].position as f64)),
                (
                    "last",
                    JsValue::from_f64(group[group.len() - 1].position as f64),
                ),
                ("lines", JsValue::from_str(&lines)),
            ];
            for (key, value) in fields {
                let _ = Reflect::set(&object, &key.into(), &value);
            }
            chunks
                .add(&object.into(), None)
                .map_err(|e| failed("cannot store the copied events", &e))?;
        }
        let prefix = Prefix::of(events);
        chunks
            .add(&prefix.value(), None)
            .map_err(|e| failed("cannot store the copied events", &e))?;
        Ok(prefix)
    }

    /// Keeps `prefix` as this database's, once its transaction has committed.
    pub(super) fn keep_prefix(&self, prefix: Prefix) {
        *self.inner.prefix.borrow_mut() = Some(Rc::new(prefix));
    }
}
