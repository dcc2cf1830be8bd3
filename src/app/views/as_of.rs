//! Which moment a view shows, in the same words everywhere: the diagram shows the
//! selected transfer "as of #N" (or "now"); the balances and the statement, where the
//! learner acts, show now and say so, the statement dimming its lines after #N.

/// Which moment a view shows: "now", or "as of #N" while event N is selected.
#[must_use]
pub fn when(selected: Option<u64>) -> String {
    selected.map_or_else(|| "now".to_owned(), |n| format!("as of #{n}"))
}

/// What the balances panel says it shows: the balances now, also while an event is
/// selected (the learner acts on now; the diagram and time travel show that event).
#[must_use]
pub fn balances_words(selected: Option<u64>) -> String {
    match selected {
        None => "Balances now.".to_owned(),
        Some(n) => format!(
            "Balances now, not as of #{n}: the diagram and time travel show the bank as of #{n}, the event selected."
        ),
    }
}

/// What an account's statement says it shows: every line now, and while event N is
/// selected, that the lines after it are dimmed (they had not happened as of #N).
#[must_use]
pub fn statement_words(account: &str, selected: Option<u64>) -> String {
    match selected {
        None => format!("Statement of {account}, now"),
        Some(n) => format!(
            "Statement of {account}, now: the lines after #{n}, the event selected, are dimmed"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_say_which_moment_is_shown() {
        assert_eq!(when(None), "now");
        assert_eq!(when(Some(7)), "as of #7");
        assert_eq!(balances_words(None), "Balances now.");
        assert!(balances_words(Some(7)).starts_with("Balances now, not as of #7"));
        assert_eq!(statement_words("ann", None), "Statement of ann, now");
        assert!(
            statement_words("ann", Some(7)).contains("after #7, the event selected, are dimmed")
        );
    }
}
