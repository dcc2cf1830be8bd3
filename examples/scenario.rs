//! The scenario runner: `cargo run --example scenario -- FILE`.
//!
//! Runs a JSON array of commands on a fresh memory store. Prints the stored events
//! as JSON lines on stdout and one line per command (`ok...` or `rejected: ...`) on
//! stderr. Exits 0 when the file was read, 2 when it is missing or malformed.

use std::process::ExitCode;

use sagabank::app::{scenario, Bank, Env};
use sagabank::store::{EventStore, MemoryStore};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --example scenario -- FILE.json");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let commands = match scenario::parse(&text) {
        Ok(commands) => commands,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    futures::executor::block_on(async {
        let store = MemoryStore::new();
        let Ok(bank) = Bank::open(store.clone(), Env::fixed("e")).await else {
            eprintln!("cannot open a memory store");
            return ExitCode::from(2);
        };
        for line in scenario::run(&bank, commands).await {
            eprintln!("{line}");
        }
        match store.read_all(1).await {
            Ok(events) => {
                for event in events {
                    println!("{}", event.to_json_line());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot read the log back: {e}");
                ExitCode::from(2)
            }
        }
    })
}
