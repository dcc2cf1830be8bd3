//! A bank as a link: the pure half. The log travels in the URL's fragment
//! (`#log=<data>`, optionally `&transfer=<id>`), which a browser never sends to a
//! server. `<data>` is the log as JSON lines (the export format), gzip-compressed by the
//! browser's own `CompressionStream` (in `ui::share`), then base64url-encoded without
//! padding. This module owns everything that needs no browser: the fragment's syntax,
//! base64url, the limits, the check of the unpacked log (the same replay as an
//! import, [`parse_log`]) and what a link holds, in numbers. gzip's CRC-32 makes a
//! damaged link fail to unpack rather than unpack into something else.

use std::collections::HashSet;

use thiserror::Error;

use super::import::{parse_log, ImportError};
use super::views::audit_filter::group_digits;
use crate::store::Recorded;

/// The most events a link may hold. A compensated transfer writes 7 events, so this is
/// a classroom's worth of accounts and transfers; a bigger bank is shared as a file
/// (Export the log).
pub const MAX_EVENTS: usize = 2_000;
/// The most characters the fragment's data may have. 2,000 events pack into about
/// 75,000 to 80,000 (measured: 37 to 40 characters per event, for 1,995 events of 395
/// transfers and for the e2e tests' generated log), so [`MAX_EVENTS`] fits; browsers
/// take URLs of 2 MB, but chat and mail tools cut long links.
pub const MAX_LINK_CHARS: usize = 100_000;
/// The most bytes a link may unpack to: 2,000 events are well under it; a link that
/// unpacks to more is not a bank this page made.
pub const MAX_UNPACKED_BYTES: usize = 4 * 1024 * 1024;

/// gzip's first two bytes: anything else is not a link this page made.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Why a bank cannot be put in a link, or a link cannot be opened. Every message is
/// whole, for the page to show as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ShareError {
    #[error("this bank has no events: there is nothing to share yet")]
    Empty,
    #[error(
        "this bank has {} events, and a link holds at most {}: share the log as a file \
         instead (Export the log, then Import a log on the other side)",
        group_digits(*events),
        group_digits(*max)
    )]
    TooManyEvents { events: usize, max: usize },
    #[error(
        "the link's data has {} characters, and a link holds at most {}: share the log as \
         a file instead (Export the log, then Import a log on the other side)",
        group_digits(*chars),
        group_digits(*max)
    )]
    TooLong { chars: usize, max: usize },
    #[error("the link is damaged: character {at} ({found:?}) cannot be in a bank link")]
    NotBase64 { at: usize, found: char },
    #[error("the link is cut short: its data ends in the middle of a character")]
    CutShort,
    #[error("the link is damaged: its data is not a bank packed by sagabank")]
    NotGzip,
    #[error("the link is damaged or cut short: its data does not unpack ({0})")]
    Unpack(String),
    #[error(
        "the link unpacks to more than {} bytes: it is not a bank shared by sagabank",
        group_digits(*max)
    )]
    TooBig { max: usize },
    #[error("the link's log is not valid UTF-8 text: it is damaged")]
    NotText,
    #[error("the link's log does not replay through the bank's rules: {0}")]
    Invalid(ImportError),
}

/// What a link (or a log) holds, in numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogSummary {
    pub events: usize,
    pub accounts: usize,
    pub transfers: usize,
}

impl LogSummary {
    /// Counts the events, and the accounts and transfers they name.
    #[must_use]
    pub fn of<R: std::borrow::Borrow<Recorded>>(events: &[R]) -> LogSummary {
        let mut accounts = HashSet::new();
        let mut transfers = HashSet::new();
        for r in events {
            let r: &Recorded = r.borrow();
            if let Some(id) = r.event.account_id() {
                accounts.insert(id.clone());
            } else if let Some(id) = r.event.transfer_id() {
                transfers.insert(id.clone());
            }
        }
        LogSummary {
            events: events.len(),
            accounts: accounts.len(),
            transfers: transfers.len(),
        }
    }
}

impl std::fmt::Display for LogSummary {
    /// "10 events, 2 accounts, 1 transfer".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |count: usize, one: &str| {
            let digits = group_digits(count);
            if count == 1 {
                format!("1 {one}")
            } else {
                format!("{digits} {one}s")
            }
        };
        write!(
            f,
            "{}, {}, {}",
            n(self.events, "event"),
            n(self.accounts, "account"),
            n(self.transfers, "transfer")
        )
    }
}

/// The parts of a share fragment: the packed log and the transfer it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment<'a> {
    pub data: &'a str,
    pub transfer: Option<&'a str>,
}

/// Reads `#log=<data>[&transfer=<id>]` (the `#` is optional). `None` when the hash is
/// not a share link at all (no `log=`), so other deep links are left alone.
#[must_use]
pub fn parse_fragment(hash: &str) -> Option<Fragment<'_>> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let mut data = None;
    let mut transfer = None;
    for part in hash.split('&') {
        match part.split_once('=') {
            Some(("log", value)) => data = Some(value),
            Some(("transfer", value)) if !value.is_empty() => transfer = Some(value),
            _ => {}
        }
    }
    data.map(|data| Fragment { data, transfer })
}

/// The fragment for `data` (and a transfer to show), with its `#`.
#[must_use]
pub fn fragment(data: &str, transfer: Option<&str>) -> String {
    match transfer {
        Some(id) => format!("#log={data}&transfer={id}"),
        None => format!("#log={data}"),
    }
}

/// The log as JSON lines, ready to pack, after checking it fits in a link.
pub fn log_text<'a>(
    events: impl ExactSizeIterator<Item = &'a Recorded>,
) -> Result<String, ShareError> {
    let count = events.len();
    if count == 0 {
        return Err(ShareError::Empty);
    }
    if count > MAX_EVENTS {
        return Err(ShareError::TooManyEvents {
            events: count,
            max: MAX_EVENTS,
        });
    }
    let mut text = String::new();
    for r in events {
        text.push_str(&r.to_json_line());
        text.push('\n');
    }
    Ok(text)
}

/// Checks the packed bytes' size once encoded; the error names the limit.
pub fn check_link_length(data: &str) -> Result<(), ShareError> {
    if data.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLong {
            chars: data.len(),
            max: MAX_LINK_CHARS,
        });
    }
    Ok(())
}

/// Decodes the fragment's data into the packed (gzip) bytes, refusing anything that is
/// too long, not base64url, cut short, or not gzip.
pub fn unwrap_data(data: &str) -> Result<Vec<u8>, ShareError> {
    check_link_length(data)?;
    let bytes = base64url_decode(data)?;
    let magic = bytes.iter().zip(GZIP_MAGIC).all(|(a, b)| *a == b);
    if bytes.is_empty() || !magic {
        return Err(ShareError::NotGzip);
    }
    // A gzip member has a 10-byte header and an 8-byte trailer at least.
    if bytes.len() < 18 {
        return Err(ShareError::CutShort);
    }
    Ok(bytes)
}

/// Checks the unpacked log as an import does (every line parses, replays through the
/// rules), and that it fits in a link.
pub fn check_unpacked(bytes: Vec<u8>) -> Result<Vec<Recorded>, ShareError> {
    if bytes.len() > MAX_UNPACKED_BYTES {
        return Err(ShareError::TooBig {
            max: MAX_UNPACKED_BYTES,
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| ShareError::NotText)?;
    let events = parse_log(&text).map_err(ShareError::Invalid)?;
    if events.is_empty() {
        return Err(ShareError::Empty);
    }
    if events.len() > MAX_EVENTS {
        return Err(ShareError::TooManyEvents {
            events: events.len(),
            max: MAX_EVENTS,
        });
    }
    Ok(events)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url (RFC 4648 §5) without padding.
#[must_use]
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// Decodes base64url without padding (a trailing `=` padding is tolerated).
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut buffer = 0_u32;
    let mut bits = 0;
    for (i, c) in text.chars().enumerate() {
        let value = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '-' => 62,
            '_' => 63,
            found => return Err(ShareError::NotBase64 { at: i + 1, found }),
        };
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    // One character left over carries 6 bits: less than a byte, so the text was cut.
    if text.len() % 4 == 1 {
        return Err(ShareError::CutShort);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length_and_byte() {
        for len in 0..70 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(!text.contains(['+', '/', '=']), "{text}");
            assert_eq!(base64url_decode(&text), Ok(bytes));
        }
        // RFC 4648's examples, without padding and in the URL alphabet.
        assert_eq!(base64url_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url_encode(b"fo"), "Zm8");
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("Zm8="), Ok(b"fo".to_vec()));
    }

    #[test]
    fn base64url_refuses_foreign_characters_and_a_cut_text() {
        assert_eq!(
            base64url_decode("Zm9v YmFy"),
            Err(ShareError::NotBase64 { at: 5, found: ' ' })
        );
        assert_eq!(
            base64url_decode("Zm9v+mFy"),
            Err(ShareError::NotBase64 { at: 5, found: '+' })
        );
        assert_eq!(base64url_decode("Zm9vY"), Err(ShareError::CutShort));
    }

    #[test]
    fn fragments_are_read_and_written() {
        assert_eq!(
            parse_fragment("#log=abc&transfer=t-1"),
            Some(Fragment {
                data: "abc",
                transfer: Some("t-1")
            })
        );
        assert_eq!(
            parse_fragment("log=abc"),
            Some(Fragment {
                data: "abc",
                transfer: None
            })
        );
        assert_eq!(parse_fragment("#transfer=t-1"), None);
        assert_eq!(parse_fragment(""), None);
        assert_eq!(fragment("abc", Some("t-1")), "#log=abc&transfer=t-1");
        assert_eq!(fragment("abc", None), "#log=abc");
    }

    #[test]
    fn data_that_is_not_gzip_or_too_long_is_refused_before_unpacking() {
        assert_eq!(
            unwrap_data(&base64url_encode(b"not a gzip stream at all")),
            Err(ShareError::NotGzip)
        );
        assert_eq!(
            unwrap_data(&base64url_encode(&[0x1f, 0x8b, 8])),
            Err(ShareError::CutShort)
        );
        let long = "A".repeat(MAX_LINK_CHARS + 4);
        assert!(matches!(
            unwrap_data(&long),
            Err(ShareError::TooLong { chars, .. }) if chars == MAX_LINK_CHARS + 4
        ));
    }

    #[test]
    fn an_unpacked_log_is_checked_by_the_import_replay() {
        let line = r#"{"position":1,"stream":"account-a","version":1,"type":"AccountOpened","schema_version":2,"event_id":"e-1","recorded_at":"2026-11-26T14:00:00.000Z","correlation_id":"c-1","causation_id":"c-1","data":{"account_id":"a","owner_name":"A","initial_balance":"10.00"}}"#;
        let events = check_unpacked(format!("{line}\n").into_bytes()).expect("valid");
        assert_eq!(
            LogSummary::of(&events),
            LogSummary {
                events: 1,
                accounts: 1,
                transfers: 0
            }
        );
        assert_eq!(
            LogSummary::of(&events).to_string(),
            "1 event, 1 account, 0 transfers"
        );
        let gap = line.replace(r#""position":1"#, r#""position":2"#);
        assert!(matches!(
            check_unpacked(gap.into_bytes()),
            Err(ShareError::Invalid(ImportError { line: 1, .. }))
        ));
        assert_eq!(check_unpacked(Vec::new()), Err(ShareError::Empty));
        assert_eq!(check_unpacked(vec![0xff, 0xfe]), Err(ShareError::NotText));
        let text = log_text(events.iter()).expect("fits");
        assert_eq!(text, format!("{}\n", events[0].to_json_line()));
        assert_eq!(log_text([].iter()), Err(ShareError::Empty));
    }
}
