//! Every address the page understands, as one [`Route`] (the URL's fragment) and one
//! [`Query`] (its query string): parsed here (and links formatted), with no browser,
//! so each form and each malformed link is tested natively. `ui::route` alone reads and
//! writes the page's `location`; what the page does with a route (select, open a
//! lesson, offer a shared bank) is the composition root's business.
//!
//! The fragment (a browser never sends it to a server, so links work on any static
//! host and survive a reload):
//!
//! - `#account=<id>`, `#transfer=<id>`, `#event=<position>`: a place in the bank;
//! - `#lesson=<n>`: a lesson of the course, 1-based;
//! - `#glossary=<term>`: a word of the field, explained ([`super::glossary`]);
//! - `#log=<data>[&transfer=<id>]`: a bank in a link (see [`super::share`]);
//! - nothing (or a bare anchor such as `#top`): the bank as it is.
//!
//! The query: `?store=idb|local|memory`, `?db=<name>`, and the embed's
//! `?embed=saga&scenario=<key>`.

use std::fmt;

use super::glossary;
use super::learn::LESSONS;
use super::projections::ReadModels;
use super::share;
use crate::domain::{AccountId, TransferId};

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// No link: the bank as it is.
    Home,
    Account(AccountId),
    Transfer(TransferId),
    /// An event, by its global position (1-based).
    Event(u64),
    /// A lesson of the course, 1-based and one of [`LESSONS`].
    Lesson(usize),
    /// A glossary entry, by its key (one of [`glossary::GLOSSARY`]).
    Glossary(&'static str),
    /// A bank in a link: the packed log, and the transfer to show (unchecked text:
    /// the bank it names is checked once unpacked).
    Shared {
        data: String,
        transfer: Option<String>,
    },
}

/// Why a link cannot be followed; its text is whole, for the page to show as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLink(pub String);

impl fmt::Display for BadLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the page says after every notice about a link.
const UNTOUCHED: &str = "Nothing was changed.";

impl Route {
    /// Reads a fragment such as `#transfer=t-1` (the `#` is optional).
    ///
    /// # Errors
    ///
    /// [`BadLink`] for a key the page does not know, a value that is not an id or a
    /// number, or a lesson the course does not have.
    pub fn parse(hash: &str) -> Result<Route, BadLink> {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        // A bare anchor (no `=`) is not a link of ours: the page's own business.
        if !hash.contains('=') {
            return Ok(Route::Home);
        }
        if let Some(fragment) = share::parse_fragment(hash) {
            return Ok(Route::Shared {
                data: fragment.data.to_owned(),
                transfer: fragment.transfer.map(str::to_owned),
            });
        }
        let (key, raw) = hash.split_once('=').unwrap_or((hash, ""));
        let shown = format!("#{}", decode(hash).unwrap_or_else(|| hash.to_owned()));
        let value = decode(raw).ok_or_else(|| bad(&shown, "its text is not valid"))?;
        match key {
            "account" => AccountId::parse(&value)
                .map(Route::Account)
                .map_err(|e| bad(&shown, &e.to_string())),
            "transfer" => TransferId::parse(&value)
                .map(Route::Transfer)
                .map_err(|e| bad(&shown, &e.to_string())),
            "event" => match value.parse::<u64>() {
                Ok(position) => Ok(Route::Event(position)),
                Err(_) => Err(bad(&shown, "an event is named by its number, as in #event=12")),
            },
            "lesson" => match value.parse::<usize>() {
                Ok(n) if (1..=LESSONS.len()).contains(&n) => Ok(Route::Lesson(n)),
                _ => Err(BadLink(format!(
                    "The link {shown} names no lesson of the course: its lessons are numbered 1 to {}. {UNTOUCHED}",
                    LESSONS.len()
                ))),
            },
            "glossary" => glossary::term(&value)
                .map(|t| Route::Glossary(t.key))
                .ok_or_else(|| {
                    bad(
                        &shown,
                        &format!("the glossary has no term \"{value}\" (its terms are listed under Glossary at the top of the page)"),
                    )
                }),
            _ => Err(bad(
                &shown,
                "sagabank understands #account=, #transfer=, #event=, #lesson=, #glossary= and #log=",
            )),
        }
    }

    /// The fragment that links here, with its `#` (empty for [`Route::Home`]).
    #[must_use]
    pub fn href(&self) -> String {
        match self {
            Route::Home => String::new(),
            // Ids are letters, digits, '-', '_' and '.': nothing to escape (the browser
            // escapes a non-ASCII letter itself, and `parse` reads it back).
            Route::Account(id) => format!("#account={id}"),
            Route::Transfer(id) => format!("#transfer={id}"),
            Route::Event(position) => format!("#event={position}"),
            Route::Lesson(n) => format!("#lesson={n}"),
            Route::Glossary(key) => format!("#glossary={key}"),
            Route::Shared { data, transfer } => share::fragment(data, transfer.as_deref()),
        }
    }

    /// What the page says when this route names a place `bank` does not have (a link
    /// from another browser, or from before a reset); `None` when it has it, or when
    /// the route names no place in the bank.
    #[must_use]
    pub fn missing_in(&self, bank: &ReadModels) -> Option<String> {
        let what = match self {
            Route::Account(id) => {
                (!bank.accounts.contains_key(id)).then(|| format!("account {id}"))
            }
            Route::Transfer(id) => {
                (!bank.transfers.contains_key(id)).then(|| format!("transfer {id}"))
            }
            Route::Event(position) => (*position == 0 || *position > bank.last_position)
                .then(|| format!("event #{position}")),
            Route::Home | Route::Lesson(_) | Route::Glossary(_) | Route::Shared { .. } => None,
        }?;
        Some(format!(
            "The link points at {what}, which this bank does not have (it may come from another browser, or from before a reset). {UNTOUCHED}"
        ))
    }
}

fn bad(shown: &str, why: &str) -> BadLink {
    BadLink(format!(
        "The link {shown} is not one sagabank can follow: {why}. {UNTOUCHED}"
    ))
}

/// The page's query string, as the app reads it (`?store=`, `?db=`, `?embed=`,
/// `?scenario=`). Unknown parameters are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The store kind asked for, as written (`idb`, `local`, `memory`).
    pub store: Option<String>,
    /// The database asked for.
    pub db: Option<String>,
    /// The embed mode asked for (`saga`).
    pub embed: Option<String>,
    /// The scenario an embed shows.
    pub scenario: Option<String>,
}

impl Query {
    /// Reads `?a=b&c=d` (the `?` is optional); the first of a repeated name wins, as
    /// with `URLSearchParams.get`.
    #[must_use]
    pub fn parse(search: &str) -> Query {
        let mut query = Query::default();
        for (name, value) in pairs(search) {
            let slot = match name.as_str() {
                "store" => &mut query.store,
                "db" => &mut query.db,
                "embed" => &mut query.embed,
                "scenario" => &mut query.scenario,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        query
    }

    /// Whether the page is an embed of one saga (`?embed=saga`).
    #[must_use]
    pub fn is_embed(&self) -> bool {
        self.embed.as_deref() == Some("saga")
    }
}

/// The name-value pairs of a query string, decoded as a form (`+` is a space).
fn pairs(search: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let search = search.strip_prefix('?').unwrap_or(search);
    search.split('&').filter(|p| !p.is_empty()).map(|part| {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let text = |s: &str| decode_form(s).unwrap_or_else(|| s.to_owned());
        (text(name), text(value))
    })
}

fn decode_form(text: &str) -> Option<String> {
    decode(&text.replace('+', " "))
}

/// Percent-decodes `text` as UTF-8; `None` for a broken escape or bytes that are not
/// UTF-8.
#[must_use]
pub fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str) -> Route {
        Route::Account(AccountId::parse(id).unwrap())
    }

    #[test]
    fn reads_each_place_in_the_bank() {
        assert_eq!(Route::parse("#account=alice-123"), Ok(account("alice-123")));
        assert_eq!(
            Route::parse("transfer=t.1"),
            Ok(Route::Transfer(TransferId::parse("t.1").unwrap()))
        );
        assert_eq!(Route::parse("#event=12"), Ok(Route::Event(12)));
        assert_eq!(Route::parse("#lesson=4"), Ok(Route::Lesson(4)));
        assert_eq!(Route::parse("#account=%C3%A9lise"), Ok(account("élise")));
    }

    #[test]
    fn no_link_and_bare_anchors_are_home() {
        assert_eq!(Route::parse(""), Ok(Route::Home));
        assert_eq!(Route::parse("#"), Ok(Route::Home));
        assert_eq!(Route::parse("#accounts-title"), Ok(Route::Home));
    }

    #[test]
    fn reads_share_links_with_and_without_their_transfer() {
        assert_eq!(
            Route::parse("#log=H4sI&transfer=t-1"),
            Ok(Route::Shared {
                data: "H4sI".into(),
                transfer: Some("t-1".into())
            })
        );
        assert_eq!(
            Route::parse("#transfer=t-1&log=H4sI"),
            Ok(Route::Shared {
                data: "H4sI".into(),
                transfer: Some("t-1".into())
            })
        );
        assert_eq!(
            Route::parse("#log="),
            Ok(Route::Shared {
                data: String::new(),
                transfer: None
            })
        );
    }

    #[test]
    fn every_route_reads_back_from_its_href() {
        let routes = [
            Route::Home,
            account("alice-123"),
            account("élise"),
            account(&"a".repeat(64)),
            Route::Transfer(TransferId::parse("transfer-789").unwrap()),
            Route::Event(1),
            Route::Event(u64::MAX),
            Route::Lesson(1),
            Route::Lesson(LESSONS.len()),
            Route::Shared {
                data: "H4sIAAAA-_".into(),
                transfer: Some("t-1".into()),
            },
            Route::Shared {
                data: "H4sI".into(),
                transfer: None,
            },
        ];
        for route in routes {
            assert_eq!(
                Route::parse(&route.href()),
                Ok(route.clone()),
                "{}",
                route.href()
            );
        }
        assert_eq!(account("alice-123").href(), "#account=alice-123");
        assert_eq!(Route::Lesson(4).href(), "#lesson=4");
    }

    fn refused(hash: &str) -> String {
        match Route::parse(hash) {
            Err(BadLink(text)) => text,
            Ok(route) => panic!("{hash} was read as {route:?}"),
        }
    }

    #[test]
    fn malformed_events_are_refused_with_a_message() {
        for hash in [
            "#event=abc",
            "#event=-1",
            "#event=",
            "#event=1.5",
            "#event=99999999999999999999",
        ] {
            let text = refused(hash);
            assert!(
                text.contains("an event is named by its number"),
                "{hash}: {text}"
            );
            assert!(text.ends_with("Nothing was changed."), "{text}");
        }
        assert!(refused("#event=abc").starts_with("The link #event=abc is not one"));
    }

    #[test]
    fn lessons_the_course_does_not_have_are_refused() {
        let last = LESSONS.len();
        for hash in [
            "#lesson=0",
            &format!("#lesson={}", last + 1),
            "#lesson=-1",
            "#lesson=two",
        ] {
            let text = refused(hash);
            assert!(
                text.contains(&format!("its lessons are numbered 1 to {last}")),
                "{hash}: {text}"
            );
        }
        let past = format!("#lesson={}", last + 1);
        assert!(refused(&past).starts_with(&format!("The link {past} names no lesson")));
    }

    #[test]
    fn glossary_terms_are_read_and_linked_and_unknown_ones_refused() {
        for t in &crate::app::glossary::GLOSSARY {
            let route = Route::Glossary(t.key);
            assert_eq!(Route::parse(&route.href()), Ok(route.clone()), "{}", t.key);
            assert_eq!(route.missing_in(&ReadModels::default()), None);
        }
        assert_eq!(Route::parse("#glossary=saga"), Ok(Route::Glossary("saga")));
        let text = refused("#glossary=monad");
        assert!(
            text.starts_with("The link #glossary=monad is not one"),
            "{text}"
        );
        assert!(
            text.contains("the glossary has no term \"monad\""),
            "{text}"
        );
        assert!(refused("#glossary=").contains("no term"));
    }

    #[test]
    fn bad_ids_unknown_keys_and_broken_escapes_are_refused() {
        assert!(refused("#account=").contains("account id is empty"));
        assert!(refused("#account=a%20b").contains("may only use letters"));
        assert!(refused(&format!("#transfer={}", "t".repeat(65))).contains("longer than 64"));
        assert!(refused("#page=2").contains("sagabank understands #account="));
        assert!(refused("#account=%E9").contains("its text is not valid"));
        assert!(refused("#account=%zz").contains("its text is not valid"));
    }

    #[test]
    fn names_places_the_bank_does_not_have() {
        let bank = ReadModels {
            last_position: 10,
            ..ReadModels::default()
        };
        for route in [
            Route::Event(0),
            Route::Event(11),
            Route::Event(99_999),
            account("nobody"),
        ] {
            let text = route.missing_in(&bank).unwrap();
            assert!(text.contains("which this bank does not have"), "{text}");
        }
        assert!(Route::Event(0)
            .missing_in(&bank)
            .unwrap()
            .contains("event #0"));
        for route in [
            Route::Event(1),
            Route::Event(10),
            Route::Home,
            Route::Lesson(2),
        ] {
            assert_eq!(route.missing_in(&bank), None, "{route:?}");
        }
    }

    #[test]
    fn reads_the_query() {
        let query = Query::parse("?embed=saga&scenario=compensation&db=my+bank&store=local&x=1");
        assert_eq!(
            query,
            Query {
                store: Some("local".into()),
                db: Some("my bank".into()),
                embed: Some("saga".into()),
                scenario: Some("compensation".into()),
            }
        );
        assert!(query.is_embed());
        assert!(!Query::parse("?embed=full").is_embed());
        assert_eq!(Query::parse(""), Query::default());
        assert_eq!(Query::parse("?db=a&db=b").db.as_deref(), Some("a"));
        assert_eq!(Query::parse("?db=%E9").db.as_deref(), Some("%E9"));
    }
}
