//! Where a long id is cut when a table has no room for all of it: in the middle, so
//! both ends stay in view ("transf…789", "transf…999"). Ids that differ only at
//! their end (`transfer-789`, `transfer-999`) or only at their start stay apart; the
//! page shows the head shortened with an ellipsis and the tail whole (the CSS does
//! the shortening, since only the browser knows the room), and the whole id stays
//! in the title and the accessible name.

/// How many characters of an id's end are always shown.
pub const TAIL_CHARS: usize = 3;

/// Ids of at most this many characters are never cut (all tail): a head of one or two
/// characters would show little more than its ellipsis.
pub const WHOLE_CHARS: usize = 8;

/// Splits `id` into the head, which may be shortened, and the tail, always shown: the
/// last [`TAIL_CHARS`] characters, or all of an id of at most [`WHOLE_CHARS`]. The two
/// put together are `id`.
#[must_use]
pub fn split(id: &str) -> (&str, &str) {
    if id.chars().count() <= WHOLE_CHARS {
        return ("", id);
    }
    let cut = id
        .char_indices()
        .rev()
        .nth(TAIL_CHARS - 1)
        .map_or(0, |(i, _)| i);
    id.split_at(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_is_the_last_three_characters() {
        assert_eq!(split("transfer-789"), ("transfer-", "789"));
        assert_eq!(split("alice-1234"), ("alice-1", "234"));
    }

    #[test]
    fn ids_that_differ_only_at_their_end_keep_different_tails() {
        assert_ne!(split("transfer-789").1, split("transfer-999").1);
        let a = format!("t{}", "W".repeat(62) + "1");
        let b = format!("t{}", "W".repeat(62) + "2");
        assert_ne!(split(&a).1, split(&b).1);
    }

    #[test]
    fn a_short_id_is_never_cut() {
        assert_eq!(split("t1"), ("", "t1"));
        assert_eq!(split("bob-456"), ("", "bob-456"));
        assert_eq!(split("alice-12"), ("", "alice-12"));
        assert_eq!(split(""), ("", ""));
        assert_eq!(split("alice-123"), ("alice-", "123"));
    }

    #[test]
    fn the_two_parts_are_the_whole_id_even_with_wide_characters() {
        for id in ["x", "éclair-ünïcode", &"W".repeat(64), "ab-€€€€"] {
            let (head, tail) = split(id);
            assert_eq!(format!("{head}{tail}"), id);
            if id.chars().count() > WHOLE_CHARS {
                assert_eq!(tail.chars().count(), TAIL_CHARS);
            } else {
                assert_eq!(head, "");
            }
        }
    }
}
