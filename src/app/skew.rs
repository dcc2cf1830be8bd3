//! What the bank remembers of a newer build's data: once a catch-up has met it
//! ([`StoreError::NewerVersion`], e.g. an event another tab's newer build wrote), every
//! later catch-up and command fails with that same error, so the running page reads
//! and writes nothing more until it is reloaded (with the newer build).

use crate::store::StoreError;

/// The newer build's error, once one was seen.
#[derive(Default)]
pub(crate) struct NewerSeen(Option<StoreError>);

impl NewerSeen {
    /// `Err` with the remembered error once a newer build's data was seen.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        self.0.clone().map_or(Ok(()), Err)
    }

    /// Remembers `error` if it is [`StoreError::NewerVersion`].
    pub(crate) fn note(&mut self, error: &StoreError) {
        if matches!(error, StoreError::NewerVersion(_)) {
            self.0 = Some(error.clone());
        }
    }
}
