//! The native test suite: the behaviours of `design/scenarios.md`, one test each,
//! plus the store contract, the projections and scenario files. One binary with
//! modules, so it links once.

#![cfg(not(target_arch = "wasm32"))]

mod accounts;
mod operator_fix;
mod projections;
mod saga;
mod scenario_files;
mod skew;
mod snapshots;
mod store_contract;
mod summary;
mod support;
mod tabs;
mod transfers;
