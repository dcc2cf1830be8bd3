//! A bank as a link, in headless Chromium with the browser's own `CompressionStream`:
//! a log packed into a link unpacks to the very same log (every line byte for byte,
//! the same as the export); a link with a changed character, cut short, or from
//! another program is refused with its reason; a bank over the limit gets no link.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test browser_share`.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use sagabank::app::share::{self, LogSummary, ShareError, MAX_EVENTS};
use sagabank::app::{scenario, Bank, Env};
use sagabank::store::{MemoryStore, Recorded};
use sagabank::ui::share::pack;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The compensation scenario's bank, its transfer run to the end: 10 events.
async fn compensated_log() -> Vec<Rc<Recorded>> {
    let bank = Bank::open(MemoryStore::new(), Env::new(|| 1_764_000_000_000, "t"))
        .await
        .expect("a memory bank opens");
    let commands = scenario::parse(include_str!("../scenarios/compensation.json"))
        .expect("the scenario parses");
    scenario::run(&bank, commands).await;
    bank.read(|m| m.audit.clone())
}

fn jsonl(events: &[Rc<Recorded>]) -> Vec<String> {
    events.iter().map(|r| r.to_json_line()).collect()
}

/// The data of a link made by the page.
fn data_of(link: &str) -> String {
    let fragment = &link[link.find('#').expect("the link has a fragment")..];
    share::parse_fragment(fragment)
        .expect("a share fragment")
        .data
        .to_owned()
}

#[wasm_bindgen_test]
async fn a_log_packed_into_a_link_unpacks_to_the_same_log() {
    let events = compensated_log().await;
    assert_eq!(events.len(), 10);
    let link = pack::link_for(&events, Some("t1")).await.expect("it fits");
    assert!(link.starts_with(&pack::page_url()), "{link}");
    assert!(link.ends_with("&transfer=t1"), "{link}");
    let data = data_of(&link);
    assert!(data
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    // Packed: well under the JSON lines' own size.
    let text_len: usize = jsonl(&events).iter().map(|l| l.len() + 1).sum();
    assert!(
        data.len() * 2 < text_len,
        "{} characters for {text_len} bytes of log",
        data.len()
    );

    let back = pack::events_from(&data).await.expect("the link opens");
    let back: Vec<Rc<Recorded>> = back.into_iter().map(Rc::new).collect();
    assert_eq!(jsonl(&back), jsonl(&events));
    assert_eq!(
        LogSummary::of(&back),
        LogSummary {
            events: 10,
            accounts: 2,
            transfers: 1
        }
    );
}

#[wasm_bindgen_test]
async fn a_damaged_or_cut_link_is_refused_with_its_reason() {
    let events = compensated_log().await;
    let data = data_of(&pack::link_for(&events, None).await.expect("it fits"));

    // One character changed in the middle: gzip's checks catch it.
    let middle = data.len() / 2;
    let other = if &data[middle..=middle] == "A" {
        "B"
    } else {
        "A"
    };
    let changed = format!("{}{other}{}", &data[..middle], &data[middle + 1..]);
    match pack::events_from(&changed).await {
        Err(ShareError::Unpack(_) | ShareError::Invalid(_) | ShareError::NotText) => {}
        other => panic!("a changed link must be refused, got {other:?}"),
    }
    // Cut short, by a little and by a lot.
    for cut in [1, 12, data.len() / 2] {
        let short = &data[..data.len() - cut];
        let result = pack::events_from(short).await;
        assert!(
            matches!(result, Err(ShareError::Unpack(_) | ShareError::CutShort)),
            "cut by {cut}: {result:?}"
        );
        let message = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("cut short"), "{message}");
    }
    // Not base64url, not gzip.
    assert_eq!(
        pack::events_from("H4sI!AAA").await.err(),
        Some(ShareError::NotBase64 { at: 5, found: '!' })
    );
    assert_eq!(
        pack::events_from(&share::base64url_encode(b"a plain text, not a packed bank"))
            .await
            .err(),
        Some(ShareError::NotGzip)
    );
}

#[wasm_bindgen_test]
async fn a_bank_over_the_limit_gets_no_link() {
    let events = compensated_log().await;
    let many: Vec<Rc<Recorded>> = events
        .iter()
        .cycle()
        .take(MAX_EVENTS + 1)
        .cloned()
        .collect();
    assert_eq!(
        pack::link_for(&many, None).await.err(),
        Some(ShareError::TooManyEvents {
            events: MAX_EVENTS + 1,
            max: MAX_EVENTS
        })
    );
    assert_eq!(
        pack::link_for(&[], None).await.err(),
        Some(ShareError::Empty)
    );
}
