//! sagabank: an event-sourced bank with a transfer saga, for learning.
//!
//! # Layout
//!
//! - [`domain`]: the bank's rules as pure deciders (money, ids, accounts, transfers,
//!   one [`domain::Decider`] trait, the saga's reactions). No I/O, no clock, no
//!   browser. [`domain::events`] is the one home of every event: its type, JSON
//!   shape, explanation and stream; every `match` over events lists them all.
//! - [`store`]: the append-only event log port ([`store::EventStore`]), the event
//!   envelope, and the memory adapter (browser adapters live beside it on wasm32).
//! - [`app`]: command handling (one decide-and-append with the conflict retry), the
//!   saga runner with fault injection, projections, import checks, the forms' drafts
//!   ([`app::account_draft`], [`app::transfer_draft`]), the scenario catalog, every
//!   address the page understands ([`app::route`]), the glossary ([`app::glossary`]), one [`app::TransferStatus`], and the view models ([`app::views`]): what each panel
//!   shows, as plain Rust with native tests.
//! - `ui` (wasm32 only): Leptos components that render the view models and dispatch
//!   commands. `ui::lifecycle` is the one home of the bank's lifecycle (start-up,
//!   scenario, import, reset, return, export): it and the composition root
//!   (`ui::service`) are the only UI modules that name the store's concrete type.
//!   `ui::audit` holds one file per concern of the audit trail.
//!
//! No two files use each other, directly or around a circle (`scripts/cycles`).
//!
//! # Adding an event
//!
//! Three places (four files), and the compiler names every place in them that must
//! decide:
//!
//! 1. `domain/events/`: in `mod.rs` the struct and its line in `events!` (its `Event`
//!    variant and persisted name); the compiler then asks for its `AccountEvent` or
//!    `TransferEvent` variant (`Event::kind`) and its sentence (`EventType::why`); in
//!    `json.rs` its fields (`EventType::fields`) and how the flat reader builds it
//!    (`EventType::build`). Raise `SCHEMA_VERSION`, so an older build that meets it
//!    asks for a reload.
//! 2. `domain/account.rs` or `domain/transfer.rs`, the decider of its stream:
//!    `decide` writes it; the compiler asks for `evolve` and `replay` (and, for a
//!    transfer, `accepts`, `leg_recorded` and `ends`).
//! 3. `app/projections.rs`: its place in the read models.

pub mod app;
pub mod domain;
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;

// The README's Rust examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
