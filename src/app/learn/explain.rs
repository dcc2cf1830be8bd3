//! "What just happened": the events the learner's last action wrote, each with one
//! sentence on why it exists.

use std::rc::Rc;

use crate::store::Recorded;

/// One event of the last action, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub position: u64,
    pub stream: String,
    pub version: u64,
    pub event_type: &'static str,
    /// The transfer whose saga wrote it, to link to its timeline.
    pub transfer: Option<String>,
    /// Why an event of this type exists ([`crate::domain::events::EventType::why`]).
    pub why: &'static str,
}

/// The events of `log` after position `after`: what the last action wrote.
#[must_use]
pub fn what_happened(log: &[Rc<Recorded>], after: u64) -> Vec<Explained> {
    log.iter()
        .filter(|r| r.position > after)
        .map(|r| {
            let event_type = r.event.event_type();
            Explained {
                position: r.position,
                stream: r.stream.clone(),
                version: r.version,
                event_type,
                transfer: r.event.transfer_id().map(ToString::to_string),
                why: r.event.ty().why(),
            }
        })
        .collect()
}
