//! The application layer: wires the pure domain to an event store. It loads state,
//! decides, appends with the expected version, keeps the read models up to date,
//! publishes new events to subscribers, and drives the transfer saga (with faults
//! injected here, for teaching and tests, never in the domain).
//!
//! Generic over [`crate::store::EventStore`]: the same code runs on the memory store
//! in native tests and on IndexedDB in the browser. It knows nothing of the UI.

pub mod account_draft;
pub mod account_snapshots;
pub mod aggregate;
pub mod bank;
pub mod delivery;
pub mod env;
pub mod faults;
pub mod fork;
pub mod glossary;
pub mod import;
pub mod learn;
pub mod locks;
pub mod projections;
pub mod route;
pub mod scenario;
pub mod scenario_catalog;
pub mod share;
mod skew;
pub mod transfer_draft;
pub mod transfer_status;
pub mod views;

pub use bank::{Bank, BankError, Conflict, Executed, StepOutcome};
pub use delivery::Delivery;
pub use env::Env;
pub use faults::{CrashPoint, FaultPlan};
pub use locks::{LocalLocks, LockGuard, Locks};
pub use projections::ReadModels;
pub use transfer_status::TransferStatus;
