//! sagabank: an event-sourced bank with a transfer saga, for learning.
//!
//! # Layout
//!
//! - [`domain`]: the bank's rules as pure deciders (money, ids, accounts, transfers,
//!   the saga's reactions). No I/O, no clock, no browser.
//! - [`store`]: the append-only event log port ([`store::EventStore`]), the event
//!   envelope, and the memory adapter (browser adapters live beside it on wasm32).
//! - [`app`]: command handling (one decide-and-append with the conflict retry), the
//!   saga runner with fault injection, projections, import checks, the forms' drafts
//!   ([`app::account_draft`], [`app::transfer_draft`]), the scenario catalog, one
//!   [`app::TransferStatus`], and the view models ([`app::views`]): what each panel
//!   shows, as plain Rust with native tests.
//! - `ui` (wasm32 only): Leptos components that render the view models and dispatch
//!   commands. `ui::lifecycle` is the one home of the bank's lifecycle (start-up,
//!   scenario, import, reset, return, export): it and the composition root
//!   (`ui::service`) are the only UI modules that name the store's concrete type.
//!   `ui::audit` holds one file per concern of the audit trail.

pub mod app;
pub mod domain;
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;

// The README's Rust examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
