//! How full localStorage is, in words, for the header's storage status when the bank
//! runs on `?store=local`. The browser's quota estimate (`navigator.storage.estimate()`)
//! does not count localStorage, which has a small limit of its own: browsers count the
//! characters of every key and value of the site (UTF-16 code units), not bytes.
//! Chromium and Firefox allow 5 Mi of them (5,242,880); other browsers differ, so the
//! limit is always said to be "about".

use super::audit_filter::group_digits;

/// The characters of keys and values a site may keep in localStorage in Chromium and
/// Firefox (5 MiB counted as one byte per character).
pub const LIMIT_CHARS: u64 = 5 * 1024 * 1024;

/// The short line: "localStorage about 24% full", "localStorage under 1% full",
/// "localStorage empty", "localStorage full".
#[must_use]
pub fn summary(chars: u64) -> String {
    if chars == 0 {
        return "localStorage empty".to_owned();
    }
    let percent = chars.saturating_mul(100) / LIMIT_CHARS;
    match percent {
        0 => "localStorage under 1% full".to_owned(),
        100.. => "localStorage full".to_owned(),
        p => format!("localStorage about {p}% full"),
    }
}

/// The explanation under it, with the exact count.
#[must_use]
pub fn details(chars: u64) -> String {
    format!(
        "This site's localStorage holds {} characters (keys and values: browsers count \
         characters, not bytes). Chromium and Firefox allow each site about 5.2 million; \
         other browsers differ. A write that does not fit is refused and nothing of it is \
         kept. The browser's storage estimate does not count localStorage.",
        group_digits(usize::try_from(chars).unwrap_or(usize::MAX))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_how_full_localstorage_is_against_about_its_limit() {
        assert_eq!(summary(0), "localStorage empty");
        assert_eq!(summary(120), "localStorage under 1% full");
        assert_eq!(summary(LIMIT_CHARS / 100 + 1), "localStorage about 1% full");
        assert_eq!(summary(1 << 20), "localStorage about 20% full");
        assert_eq!(summary(LIMIT_CHARS - 1), "localStorage about 99% full");
        assert_eq!(summary(LIMIT_CHARS), "localStorage full");
        assert_eq!(summary(u64::MAX), "localStorage full");
    }

    #[test]
    fn the_details_give_the_exact_count_and_say_the_limit_is_approximate() {
        let text = details(1_254_310);
        assert!(text.contains("holds 1,254,310 characters"), "{text}");
        assert!(text.contains("about 5.2 million"), "{text}");
    }
}
