//! Practice forks: a bank made from the first N events of another (the learner tries
//! another path from event N, their own bank untouched). This module holds the list
//! of forks the page keeps (names, where each came from), the rules for their names,
//! and [`fork_bank`], which writes the copied events into a fresh store and opens a
//! bank on it. Which database a fork lives in, and where the list is kept, is the
//! UI's business.

use std::rc::Rc;

use super::{Bank, Env};
use crate::store::{EventStore, Recorded, StoreError};

/// The longest name a fork may have, in characters.
pub const NAME_MAX: usize = 64;

/// One fork: a bank of its own, made from the first `at` events of `base`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fork {
    /// The fork's database.
    pub db: String,
    /// What the learner calls it.
    pub name: String,
    /// The database it was made from.
    pub base: String,
    /// The last event copied from `base` (the fork point).
    pub at: u64,
    /// The kind of store both live in (`idb`, `local`).
    pub store: String,
}

/// The forks the page keeps, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Forks(pub Vec<Fork>);

/// A name, checked: trimmed, not empty, at most [`NAME_MAX`] characters.
///
/// # Errors
/// What is wrong with it, in words a learner reads.
pub fn check_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    let length = name.chars().count();
    if name.chars().any(char::is_control) {
        Err("A fork's name cannot hold tabs or line breaks.".to_owned())
    } else if name.is_empty() {
        Err("A fork needs a name: type one, or keep the old one with Cancel.".to_owned())
    } else if length > NAME_MAX {
        Err(format!(
            "A fork's name is at most {NAME_MAX} characters; this one has {length}."
        ))
    } else {
        Ok(name.to_owned())
    }
}

/// The name a new fork gets until it is renamed.
#[must_use]
pub fn default_name(at: u64) -> String {
    format!("Fork at event {at}")
}

impl Forks {
    /// Reads a kept list (one fork a line: database, base, fork point, store, name,
    /// separated by tabs); a line it cannot read is left out (that fork's database
    /// stays stored, only its entry is lost).
    #[must_use]
    pub fn parse(text: &str) -> Forks {
        let read = |line: &str| {
            let mut f = line.splitn(5, '\t');
            let (db, base, at, store, name) =
                (f.next()?, f.next()?, f.next()?, f.next()?, f.next()?);
            Some(Fork {
                db: db.to_owned(),
                name: name.to_owned(),
                base: base.to_owned(),
                at: at.parse().ok()?,
                store: store.to_owned(),
            })
        };
        Forks(text.lines().filter_map(read).collect())
    }

    /// The list as kept (see [`Forks::parse`]).
    #[must_use]
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|f| format!("{}\t{}\t{}\t{}\t{}\n", f.db, f.base, f.at, f.store, f.name))
            .collect()
    }

    /// Adds `fork` first.
    pub fn add(&mut self, fork: Fork) {
        self.0.retain(|f| f.db != fork.db);
        self.0.insert(0, fork);
    }

    /// The fork living in database `db`.
    #[must_use]
    pub fn find(&self, db: &str) -> Option<&Fork> {
        self.0.iter().find(|f| f.db == db)
    }

    /// Renames the fork in `db` to `name` (checked with [`check_name`]).
    ///
    /// # Errors
    /// The name is not allowed, or there is no such fork; nothing changed.
    pub fn rename(&mut self, db: &str, name: &str) -> Result<(), String> {
        let name = check_name(name)?;
        let fork = self
            .0
            .iter_mut()
            .find(|f| f.db == db)
            .ok_or("That fork is no longer in the list.")?;
        fork.name = name;
        Ok(())
    }

    /// Takes the fork in `db` out of the list; returns it.
    pub fn remove(&mut self, db: &str) -> Option<Fork> {
        let index = self.0.iter().position(|f| f.db == db)?;
        Some(self.0.remove(index))
    }

    /// The forks kept in this kind of store.
    pub fn in_store<'a>(&'a self, store: &'a str) -> impl Iterator<Item = &'a Fork> + 'a {
        self.0.iter().filter(move |f| f.store == store)
    }
}

/// What the banner over a fork says of it: a copy of the first events of the bank it
/// came from, named truly: the learner's own bank, or the lesson's bank when it was
/// forked inside a lesson (`lesson_db`, the lesson's database, is its base).
#[must_use]
pub fn banner(fork: &Fork, lesson_db: Option<&str>) -> String {
    let (base, own) = if lesson_db == Some(fork.base.as_str()) {
        ("the lesson's bank", "the lesson's bank")
    } else {
        ("your bank", "your own bank")
    };
    format!(
        "A copy of the first {} events of {base}, to try another path from there. What you \
         do here stays here: {own} is untouched.",
        fork.at
    )
}

/// What the page says once a fork of the bank in `base` is shown.
#[must_use]
pub fn made(name: &str, at: u64, base: &str, lesson_db: Option<&str>) -> String {
    let of = if lesson_db == Some(base) {
        "the lesson's bank"
    } else {
        "your bank"
    };
    format!("You are in the practice bank {name}: events 1 to {at} of {of}, which is untouched.")
}

/// The forks a lesson made that ended with it: those in `before` (the databases of
/// the forks of the lesson's bank, as the lesson last knew them) that are no longer
/// in `now` (the lesson was left, or opened again on a fresh bank).
#[must_use]
pub fn ended(before: &[String], now: &[String]) -> Vec<String> {
    before
        .iter()
        .filter(|db| !now.contains(db))
        .cloned()
        .collect()
}

/// Writes `prefix` (the first events of another log, in order) into the empty
/// `store` in one bulk write ([`EventStore::restore`]) and opens a bank on it, folding
/// the events written from memory rather than reading them back
/// ([`Bank::open_written`]; a reload of the fork reads them from its store).
///
/// # Errors
/// The store refused the events (full, or not empty), or cannot be read past them.
pub async fn fork_bank<S: EventStore>(
    store: S,
    env: Env,
    prefix: &[Rc<Recorded>],
) -> Result<Bank<S>, StoreError> {
    let events: Vec<Recorded> = prefix.iter().map(|r| Recorded::clone(r)).collect();
    store.restore(&events).await?;
    drop(events);
    Bank::open_written(store, env, prefix).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fork(db: &str, store: &str) -> Fork {
        Fork {
            db: db.into(),
            name: default_name(2),
            base: "sagabank".into(),
            at: 2,
            store: store.into(),
        }
    }

    #[test]
    fn a_name_is_trimmed_and_must_be_neither_empty_nor_over_64_characters() {
        assert_eq!(
            check_name("  try a closed account "),
            Ok("try a closed account".into())
        );
        assert!(check_name("   ").unwrap_err().contains("needs a name"));
        assert_eq!(check_name(&"é".repeat(64)), Ok("é".repeat(64)));
        assert_eq!(
            check_name(&"x".repeat(65)).unwrap_err(),
            "A fork's name is at most 64 characters; this one has 65."
        );
    }

    #[test]
    fn forks_are_added_first_renamed_removed_and_read_back_from_their_json() {
        let mut forks = Forks::default();
        forks.add(fork("a", "idb"));
        forks.add(fork("b", "local"));
        assert_eq!(forks.0[0].db, "b");
        forks.rename("a", " closed ").unwrap();
        assert!(forks.rename("a", "").is_err());
        assert!(forks.rename("zz", "x").is_err());
        assert_eq!(forks.find("a").unwrap().name, "closed");
        let back = Forks::parse(&forks.to_text());
        assert_eq!(back, forks);
        assert_eq!(back.in_store("idb").count(), 1);
        assert_eq!(forks.remove("a").unwrap().db, "a");
        assert_eq!(forks.find("a"), None);
        assert_eq!(Forks::parse("not a fork\n"), Forks::default());
        assert!(check_name("a\tb").unwrap_err().contains("tabs"));
    }

    #[test]
    fn the_banner_names_the_lesson_s_bank_when_the_fork_was_made_in_a_lesson() {
        let f = fork("f", "idb");
        let own = banner(&f, None);
        assert!(own.contains("first 2 events of your bank"), "{own}");
        assert!(own.contains("your own bank is untouched"), "{own}");
        assert_eq!(banner(&f, Some("lesson-db")), own, "another lesson's bank");
        let lesson = banner(&f, Some("sagabank"));
        assert!(
            lesson.contains("first 2 events of the lesson's bank"),
            "{lesson}"
        );
        assert!(
            lesson.contains("the lesson's bank is untouched"),
            "{lesson}"
        );
        assert!(!lesson.contains("your"), "{lesson}");
        assert!(made("F", 2, "sagabank", Some("sagabank")).contains("of the lesson's bank"));
        assert!(made("F", 2, "sagabank", None).contains("of your bank"));
    }

    #[test]
    fn the_forks_of_an_ended_lesson_are_those_it_no_longer_lists() {
        let dbs = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(ended(&dbs(&["a", "b"]), &dbs(&[])), dbs(&["a", "b"]));
        assert_eq!(ended(&dbs(&["a"]), &dbs(&["a", "b"])), dbs(&[]));
        assert_eq!(ended(&dbs(&[]), &dbs(&["a"])), dbs(&[]));
    }

    #[test]
    fn a_fork_bank_holds_exactly_the_prefix_and_the_base_is_untouched() {
        use crate::app::views::fixture;
        use crate::store::MemoryStore;
        use futures::executor::block_on;
        let log = fixture::three_accounts_two_transfers().audit;
        let fork = block_on(fork_bank(MemoryStore::new(), Env::fixed("f"), &log[..4])).unwrap();
        assert_eq!(fork.read(|m| m.last_position), 4);
        assert_eq!(fork.read(|m| m.audit.clone()), log[..4].to_vec());
        // A store that is not empty refuses the copy.
        let full = MemoryStore::from_recorded(log.clone());
        assert!(block_on(fork_bank(full, Env::fixed("f"), &log[..4])).is_err());
    }

    #[test]
    fn a_fork_folded_from_memory_equals_its_reload_and_goes_on_from_the_copied_versions() {
        use crate::app::views::fixture::{self, id, money};
        use crate::domain::account::DepositMoney;
        use crate::domain::BankCommand;
        use crate::store::MemoryStore;
        use futures::executor::block_on;
        let log = fixture::three_accounts_two_transfers().audit;
        let store = MemoryStore::new();
        let fork = block_on(fork_bank(store.clone(), Env::fixed("f"), &log)).unwrap();
        let reload = block_on(Bank::open(store.clone(), Env::fixed("r"))).unwrap();
        assert!(fork.models() == reload.models());
        // Ann's stream state was folded too: a deposit goes on from its copied version.
        let deposit = BankCommand::DepositMoney(DepositMoney {
            account_id: id("ann"),
            amount: money("1.00"),
            description: String::new(),
            transfer_id: None,
        });
        block_on(fork.execute(deposit)).unwrap();
        assert_eq!(fork.conflicts(), 0);
        let after = block_on(Bank::open(store, Env::fixed("a"))).unwrap();
        assert!(fork.models() == after.models());
    }
}
