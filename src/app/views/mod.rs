//! View models: what a panel shows, computed from the read models as plain Rust, with
//! native tests. Components render these and dispatch commands; they compute nothing.
//!
//! - [`as_of`]: the words that say which moment a view shows ("now", "as of #N").
//! - [`audit_filter`]: which events of the log pass the audit trail's filters, and
//!   its free-text search index.
//! - [`causation`]: one transfer's events as a chain of causes, back to the command
//!   that began it.
//! - [`compare`]: a bank and its practice fork side by side from the fork point:
//!   both histories and where their read models differ.
//! - [`event_details`]: the audit trail's selected event, its cause and effects.
//! - [`id_cut`]: where a long id is cut in a table (in the middle, both ends shown).
//! - [`list_window`]: a virtual list's rendered rows, keyboard moves and scrolling.
//! - [`local_use`]: how full localStorage is, in words.
//! - [`retry_axis`]: a transfer's retries on a time axis: each attempt, its backoff
//!   wait, the credit's deadline.
//! - [`saga_diagram`]: the saga's state diagram for one transfer (generated from the
//!   domain's state machine), laid out, as of an event or now.
//! - [`moments`]: a refusal's "0 events written", and what one saga step wrote.
//! - [`operator_fix`]: what a person can do for a transfer that needs attention.
//! - [`saga_money`]: the two accounts of a transfer beside its saga, and how each
//!   step changed their balances.
//! - [`saga_steps`]: the saga timeline's steps and where each stands.
//! - [`spec`]: given / when / then in the page, run against the account's decider.
//! - [`time_travel`]: the bank as of event N of the log, and what event N changed.

pub mod as_of;
pub mod audit_filter;
pub mod causation;
pub mod compare;
pub mod event_details;
#[cfg(test)]
pub(crate) mod fixture;
pub mod id_cut;
pub mod list_window;
pub mod local_use;
pub mod moments;
pub mod operator_fix;
pub mod retry_axis;
pub mod saga_diagram;
pub mod saga_money;
pub mod saga_steps;
pub mod spec;
pub mod time_travel;
