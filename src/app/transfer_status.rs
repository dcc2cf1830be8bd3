//! A transfer's status in one vocabulary, for lists, badges, the first-screen summary
//! and CSS classes: what a reader needs to know (did the money arrive, was it given
//! back, does someone have to look), not the saga's exact phase
//! ([`TransferState::label`] names that).

use std::fmt;
use std::str::FromStr;

use crate::domain::TransferState;

/// Where a transfer stands, in the words every view uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum TransferStatus {
    /// Started and not yet at an end.
    #[serde(rename = "in progress")]
    InProgress,
    /// The money arrived.
    #[serde(rename = "completed")]
    Completed,
    /// The credit was refused and the debit refunded.
    #[serde(rename = "compensated")]
    Compensated,
    /// Refused before any money moved.
    #[serde(rename = "failed")]
    Failed,
    /// The refund itself was refused: money is held and someone must look.
    #[serde(rename = "needs attention")]
    NeedsAttention,
}

impl TransferStatus {
    /// Every status, in the order a legend shows them.
    pub const ALL: [TransferStatus; 5] = [
        TransferStatus::InProgress,
        TransferStatus::Completed,
        TransferStatus::Compensated,
        TransferStatus::Failed,
        TransferStatus::NeedsAttention,
    ];

    /// The status of a saga in `state`.
    #[must_use]
    pub fn of(state: &TransferState) -> TransferStatus {
        match state {
            TransferState::Completed(_) => TransferStatus::Completed,
            TransferState::Failed { reversed: true, .. } => TransferStatus::Compensated,
            TransferState::Failed { .. } => TransferStatus::Failed,
            TransferState::CompensationFailed { .. } => TransferStatus::NeedsAttention,
            TransferState::NotStarted
            | TransferState::Initiated(_)
            | TransferState::Debited(_)
            | TransferState::CreditRejected { .. }
            | TransferState::RefundRetrying { .. } => TransferStatus::InProgress,
        }
    }

    /// The status in words, as the page shows it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TransferStatus::InProgress => "in progress",
            TransferStatus::Completed => "completed",
            TransferStatus::Compensated => "compensated",
            TransferStatus::Failed => "failed",
            TransferStatus::NeedsAttention => "needs attention",
        }
    }

    /// Whether the saga has reached an end (which may still need attention).
    #[must_use]
    pub fn is_finished(self) -> bool {
        self != TransferStatus::InProgress
    }
}

impl fmt::Display for TransferStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The words are not a status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a transfer status: {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for TransferStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<TransferStatus, UnknownStatus> {
        TransferStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_from_its_words_and_nothing_else_does() {
        for status in TransferStatus::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
            assert_eq!(status.to_string(), status.as_str());
            let json = serde_json::to_string(&status).expect("serialises");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(
            "Completed".parse::<TransferStatus>(),
            Err(UnknownStatus("Completed".into()))
        );
        assert!("".parse::<TransferStatus>().is_err());
    }

    #[test]
    fn only_an_unfinished_saga_is_in_progress() {
        assert!(!TransferStatus::of(&TransferState::NotStarted).is_finished());
        let finished: Vec<_> = TransferStatus::ALL
            .into_iter()
            .filter(|s| s.is_finished())
            .collect();
        assert_eq!(finished.len(), 4);
    }
}
