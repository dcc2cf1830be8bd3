//! The seed's demo, in Rust: `cargo run --example demo`.
//!
//! Alice (alice-123, 1000.00) pays Bob (bob-456, 500.00) 250.00; Bob then tries to
//! send 10000.00 and fails at the debit. Finally a transfer to a closed account shows
//! the saga's compensation: debited, credit rejected, refunded, reported.

use sagabank::app::{Bank, Env, ReadModels};
use sagabank::domain::account::{CloseAccount, OpenAccount};
use sagabank::domain::{AccountId, BankCommand, Money, TransferId, TransferMoney};
use sagabank::store::MemoryStore;

fn id(text: &str) -> AccountId {
    AccountId::parse(text).expect("demo ids are valid")
}

fn money(text: &str) -> Money {
    Money::parse(text).expect("demo amounts are valid")
}

fn open(account: &str, owner: &str, balance: &str) -> BankCommand {
    BankCommand::OpenAccount(OpenAccount {
        account_id: id(account),
        owner_name: owner.into(),
        initial_balance: money(balance),
    })
}

fn transfer(t: &str, from: &str, to: &str, amount: &str, description: &str) -> BankCommand {
    BankCommand::TransferMoney(TransferMoney {
        transfer_id: TransferId::parse(t).expect("demo ids are valid"),
        from_account_id: id(from),
        to_account_id: id(to),
        amount: money(amount),
        description: description.into(),
    })
}

fn print_accounts(models: &ReadModels) {
    for account in models.accounts.values() {
        println!(
            "  {:<10} {:<6} {:>10}  {:?}",
            account.account_id,
            account.owner_name,
            account.balance.to_string(),
            account.status
        );
        for line in &account.statement {
            let link = line
                .transfer_id
                .as_ref()
                .map(|t| format!("  [{t}]"))
                .unwrap_or_default();
            println!(
                "      #{:<3} {:<16} {:>10} -> {:>10}  {}{link}",
                line.position,
                line.event_type,
                line.amount.to_string(),
                line.balance_after.to_string(),
                line.description
            );
        }
    }
}

fn main() {
    futures::executor::block_on(async {
        let bank = Bank::open(MemoryStore::new(), Env::fixed("demo"))
            .await
            .expect("a memory store opens");
        let run = |command: BankCommand| {
            let name = command.name();
            let bank = &bank;
            async move {
                let line = sagabank::app::scenario::report(&bank.execute(command).await);
                println!("{name}: {line}");
            }
        };

        println!("== The seed's demo ==");
        run(open("alice-123", "Alice", "1000.00")).await;
        run(open("bob-456", "Bob", "500.00")).await;
        run(transfer(
            "transfer-789",
            "alice-123",
            "bob-456",
            "250.00",
            "Payment for services",
        ))
        .await;
        run(transfer(
            "transfer-999",
            "bob-456",
            "alice-123",
            "10000.00",
            "Too much",
        ))
        .await;
        println!();
        bank.read(print_accounts);

        println!("\n== Compensation: a transfer to a closed account ==");
        run(open("carol-789", "Carol", "0.00")).await;
        run(BankCommand::CloseAccount(CloseAccount {
            account_id: id("carol-789"),
        }))
        .await;
        run(transfer(
            "transfer-1000",
            "alice-123",
            "carol-789",
            "100.00",
            "To a closed account",
        ))
        .await;
        bank.read(|models| {
            if let Some(t) = models
                .transfers
                .values()
                .find(|t| t.transfer_id.as_str() == "transfer-1000")
            {
                println!(
                    "\n  saga timeline of {} ({}):",
                    t.transfer_id,
                    t.state.label()
                );
                for entry in &t.timeline {
                    println!(
                        "    #{:<3} {:<24} {:<22} {}",
                        entry.position, entry.event_type, entry.stream, entry.summary
                    );
                }
            }
            println!();
            print_accounts(models);
            println!(
                "\n  total money in the bank: {:.2} (1500.00 at the start)",
                models.total_balance()
            );
        });
    });
}
