//! View models: what a panel shows, computed from the read models as plain Rust, with
//! native tests. Components render these and dispatch commands; they compute nothing.
//!
//! - [`saga_money`]: the two accounts of a transfer beside its saga, and how each
//!   step changed their balances.
//! - [`saga_steps`]: the saga timeline's steps and where each stands.
//! - [`time_travel`]: the bank as of event N of the log, and what event N changed.

pub mod saga_money;
pub mod saga_steps;
pub mod time_travel;
