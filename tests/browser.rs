//! Browser tests of the UI: run in headless Chromium by
//! `cargo test --target wasm32-unknown-unknown` (wasm-bindgen-test-runner drives
//! chromedriver; see .cargo/config.toml).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod browser_support;
use browser_support::sleep;

fn document() -> web_sys::Document {
    web_sys::window()
        .expect("a window")
        .document()
        .expect("a document")
}

/// Mounts `f` into a fresh `<div>` appended to `<body>` and returns that div. It stays
/// mounted for the rest of the test run.
fn mount_fresh<F, N>(f: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: leptos::IntoView,
{
    let div: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("create a div")
        .unchecked_into();
    document()
        .body()
        .expect("a body")
        .append_child(&div)
        .expect("append the div");
    leptos::mount::mount_to(div.clone(), f).forget();
    div
}

/// Polls (up to ~30 s: a busy machine is slow) until `selector` matches inside `root`.
async fn wait_for(root: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    for _ in 0..1_500 {
        if let Some(found) = root.query_selector(selector).expect("a valid selector") {
            return found;
        }
        sleep(20).await;
    }
    panic!(
        "nothing matched {selector} within 30 s; the page holds: {}",
        root.inner_html()
    );
}

#[wasm_bindgen_test]
async fn the_app_boots_and_shows_the_bank() {
    let root = mount_fresh(sagabank::ui::App);

    let badge = wait_for(&root, "[data-testid='store-badge']").await;
    assert!(
        badge
            .text_content()
            .unwrap_or_default()
            .contains("Events stored in"),
        "the store badge names the storage"
    );
    let heading = root.query_selector("h1").unwrap().expect("an h1");
    assert_eq!(heading.text_content().as_deref(), Some("sagabank"));
    assert!(
        root.query_selector("[data-testid='data-error']")
            .unwrap()
            .is_none(),
        "a fresh origin has no damaged data"
    );
}

/// What the panic hook shows: a dialog that says what happened, that the stored events
/// are safe, and offers a reload; the message is text, never markup.
#[wasm_bindgen_test]
fn the_panic_screen_explains_and_offers_a_reload() {
    sagabank::ui::show_fatal_error("panicked at <b>src/x.rs</b>: boom");
    let overlay = document()
        .query_selector("[data-testid='fatal-error']")
        .expect("a query")
        .expect("the overlay is shown");
    assert_eq!(
        overlay.get_attribute("role").as_deref(),
        Some("alertdialog")
    );
    let text = overlay.text_content().unwrap_or_default();
    assert!(text.contains("Your stored events are safe"), "{text}");
    assert!(text.contains("panicked at <b>src/x.rs</b>: boom"), "{text}");
    assert!(
        overlay.query_selector("b").expect("a query").is_none(),
        "no markup is made"
    );
    let button = overlay
        .query_selector("button")
        .expect("a query")
        .expect("a reload button");
    assert_eq!(button.text_content().as_deref(), Some("Reload the page"));
    overlay.remove();
}

// ---------------------------------------------------------------------------------
// Two tabs stepping one transfer: Web Locks make them take turns

/// A bank on its own IndexedDB connection to database `name` (as another tab would
/// open it), taking its locks from `navigator.locks`.
async fn tab_on(name: &str, tab: &str) -> sagabank::app::Bank<sagabank::store::any::AnyStore> {
    use sagabank::store::any::{AnyStore, StoreKind};
    let store = AnyStore::open(StoreKind::IndexedDb, name)
        .await
        .expect("IndexedDB opens");
    let env =
        sagabank::app::Env::fixed(tab).with_locks(sagabank::ui::locks::WebLocks::for_db(name));
    sagabank::app::Bank::open(store, env)
        .await
        .expect("a bank opens")
}

/// Presses Next step five times after `delay` milliseconds.
async fn five_steps(
    bank: &sagabank::app::Bank<sagabank::store::any::AnyStore>,
    t: &sagabank::domain::TransferId,
    delay: i32,
) {
    sleep(delay).await;
    for _ in 0..5 {
        bank.step(t)
            .await
            .expect("a step runs or finds nothing to do");
    }
}

#[wasm_bindgen_test]
async fn web_locks_are_used_and_hand_a_lock_to_one_holder_at_a_time() {
    use sagabank::app::Locks;
    let locks = sagabank::ui::locks::WebLocks::new(&browser_support::fresh_name("test", "locks"))
        .expect("this browser has navigator.locks");
    let held = locks.acquire("x").await;
    assert!(
        locks.try_acquire("x").await.is_none(),
        "held elsewhere: not available"
    );
    assert!(
        locks.try_acquire("y").await.is_some(),
        "another name is free"
    );
    drop(held);
    // The browser lets go once the held promise settles, a task later: wait for it.
    let mut again = None;
    for _ in 0..1_000 {
        again = locks.try_acquire("x").await;
        if again.is_some() {
            break;
        }
        sleep(5).await;
    }
    assert!(again.is_some(), "released on drop");
}

#[wasm_bindgen_test]
async fn a_refused_lock_request_does_not_leave_the_step_waiting() {
    use sagabank::app::Locks;
    // As in a page framed by another site with third-party storage blocked: every
    // request is refused with a SecurityError before any lock is granted.
    let window: wasm_bindgen::JsValue = web_sys::window().expect("a window").into();
    let navigator = js_sys::Reflect::get(&window, &"navigator".into()).expect("navigator");
    let manager = js_sys::Reflect::get(&navigator, &"locks".into()).expect("navigator.locks");
    let refuse = js_sys::Function::new_no_args(
        "return Promise.reject(new DOMException('refused in a test', 'SecurityError'));",
    );
    js_sys::Reflect::set(&manager, &"request".into(), &refuse).expect("a stand-in request");
    let locks = sagabank::ui::locks::WebLocks::new(&browser_support::fresh_name("test", "refused"));
    // The stand-in goes before any assertion, so a failure leaves the others unharmed.
    let manager_object: js_sys::Object = manager.unchecked_into();
    js_sys::Reflect::delete_property(&manager_object, &"request".into()).expect("restored");
    let locks = locks.expect("navigator.locks is there");
    let waited = futures::future::select(
        Box::pin(async {
            let guard = locks.acquire("x").await;
            drop(guard);
            locks.try_acquire("y").await.is_none()
        }),
        Box::pin(sleep(10_000)),
    )
    .await;
    match waited {
        futures::future::Either::Left((refused, _)) => {
            assert!(refused, "a refused try gives no lock");
        }
        futures::future::Either::Right(_) => {
            panic!("a refused lock request was still waiting after 10 s")
        }
    }
}

#[wasm_bindgen_test]
async fn two_tabs_stepping_one_transfer_with_different_fault_plans_end_once_and_conserve_money() {
    use sagabank::app::FaultPlan;
    use sagabank::domain::{AccountId, BankCommand, Money, RunMode, TransferId, TransferMoney};
    let parse = |s: &str| AccountId::parse(s).expect("an id");
    let mut seen = std::collections::BTreeSet::new();
    for round in 0..8 {
        let name = browser_support::fresh_name("test", "two-tabs");
        let tab1 = tab_on(&name, "tab1").await;
        for (id, balance) in [("a", "100.00"), ("b", "0.00")] {
            tab1.execute(BankCommand::OpenAccount(
                sagabank::domain::account::OpenAccount {
                    account_id: parse(id),
                    owner_name: id.to_uppercase(),
                    initial_balance: Money::parse(balance).expect("money"),
                },
            ))
            .await
            .expect("opened");
        }
        let t = TransferId::parse("t").expect("an id");
        let refused = FaultPlan {
            reject_credit: true,
            ..FaultPlan::default()
        };
        let command = TransferMoney {
            transfer_id: t.clone(),
            from_account_id: parse("a"),
            to_account_id: parse("b"),
            amount: Money::parse("100.00").expect("money"),
            description: String::new(),
        };
        tab1.start_transfer_with(command, refused, RunMode::Step)
            .await
            .expect("started");
        let tab2 = tab_on(&name, "tab2").await;
        // Round 0: tab 1 takes the credit (refused: compensated); round 1: tab 2 does
        // (completed). The other rounds race from the start, tab 2 `round` ms later.
        let first = match round {
            0 => Some(&tab1),
            1 => Some(&tab2),
            _ => None,
        };
        if let Some(tab) = first {
            for _ in 0..2 {
                tab.step(&t).await.expect("a step runs");
            }
        }
        futures::join!(five_steps(&tab1, &t, 0), five_steps(&tab2, &t, round));
        let after = tab_on(&name, "check").await;
        let (label, ends, lost, cents) = after.read(|m| {
            let view = &m.transfers[&t];
            let types: Vec<&str> = view.timeline.iter().map(|e| e.event_type).collect();
            (
                view.state.label(),
                types
                    .iter()
                    .filter(|t| **t == "TransferCompleted" || **t == "TransferFailed")
                    .count(),
                types.contains(&"TransferCompensationFailed"),
                m.accounts.values().map(|a| a.balance.cents()).sum::<i64>(),
            )
        });
        let what = format!("round {round}: {label}");
        assert!(label == "completed" || label == "compensated", "{what}");
        assert_eq!(ends, 1, "{what}: ended once");
        assert!(!lost, "{what}: no refund was refused");
        assert_eq!(cents, 10_000, "{what}: money conserved");
        seen.insert(label);
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        ["compensated", "completed"],
        "whoever takes the credit decides it"
    );
}

// ---------------------------------------------------------------------------------
// Persistent storage (src/ui/storage.rs): asked once, on the first write, never before.

use js_sys::{Function, Reflect};
use leptos::prelude::Update;
use sagabank::app::{Bank, Env};
use sagabank::domain::account::{DepositMoney, OpenAccount};
use sagabank::domain::{AccountId, BankCommand, Money};
use sagabank::store::any::{AnyStore, StoreKind};
use sagabank::ui::storage::{format_bytes, Durability, Estimate, Persistence};
use wasm_bindgen::JsValue;

/// Replaces `navigator.storage.persist` and `.persisted` with stubs while it lives:
/// `persist` counts its calls and answers `grant`, `persisted` answers `already`.
/// Dropping it puts the browser's own methods back.
struct StorageStub {
    storage: JsValue,
}

const CALLS: &str = "__sagabankPersistCalls";

impl StorageStub {
    fn install(already: bool, grant: bool) -> StorageStub {
        let navigator = web_sys::window().expect("a window").navigator();
        let storage = Reflect::get(&navigator, &"storage".into()).expect("navigator.storage");
        assert!(
            !storage.is_undefined(),
            "the test browser has a storage manager"
        );
        let window = web_sys::window().expect("a window");
        Reflect::set(&window, &CALLS.into(), &0.into()).expect("reset the count");
        let persist = Function::new_no_args(&format!(
            "window.{CALLS} += 1; return Promise.resolve({grant});"
        ));
        let persisted = Function::new_no_args(&format!("return Promise.resolve({already});"));
        Reflect::set(&storage, &"persist".into(), &persist).expect("stub persist");
        Reflect::set(&storage, &"persisted".into(), &persisted).expect("stub persisted");
        StorageStub { storage }
    }

    /// How many times `persist()` was called since the stub was installed.
    fn calls(&self) -> u32 {
        let window = web_sys::window().expect("a window");
        Reflect::get(&window, &CALLS.into())
            .ok()
            .and_then(|v| v.as_f64())
            .expect("the count") as u32
    }
}

impl Drop for StorageStub {
    fn drop(&mut self) {
        let storage: &js_sys::Object = self.storage.unchecked_ref();
        let _ = Reflect::delete_property(storage, &"persist".into());
        let _ = Reflect::delete_property(storage, &"persisted".into());
    }
}

/// Waits (up to ~5 s) until `done()` holds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..250 {
        if done() {
            return;
        }
        sleep(20).await;
    }
    panic!("{what}: not within 5 s");
}

fn open_account(id: &str) -> BankCommand {
    BankCommand::OpenAccount(OpenAccount {
        account_id: AccountId::parse(id).expect("an id"),
        owner_name: "Alice".to_owned(),
        initial_balance: Money::parse("10.00").expect("an amount"),
    })
}

fn deposit(id: &str) -> BankCommand {
    BankCommand::DepositMoney(DepositMoney {
        account_id: AccountId::parse(id).expect("an id"),
        amount: Money::parse("2.50").expect("an amount"),
        description: String::new(),
        transfer_id: None,
    })
}

async fn bank_on(kind: StoreKind) -> (Bank<AnyStore>, String) {
    let name = browser_support::fresh_name("test", "persist");
    let store = AnyStore::open(kind, &name).await.expect("a store");
    let bank = Bank::open(store, Env::fixed("t")).await.expect("a bank");
    (bank, name)
}

#[wasm_bindgen_test]
async fn persistence_is_asked_once_per_page_load() {
    let stub = StorageStub::install(false, false);
    let persistence = Persistence::new(std::time::Duration::from_millis(10));
    assert!(!persistence.asked());
    assert_eq!(
        persistence.request().await,
        Durability::BestEffort { asked: true }
    );
    assert_eq!(stub.calls(), 1, "the first request asks the browser");
    assert_eq!(
        persistence.request().await,
        Durability::BestEffort { asked: true }
    );
    assert_eq!(stub.calls(), 1, "a second request does not ask again");
    assert_eq!(
        persistence.durability(),
        Durability::BestEffort { asked: true },
        "the refusal is what the badge shows"
    );
}

#[wasm_bindgen_test]
async fn persistence_is_asked_on_the_first_write_and_not_before() {
    let stub = StorageStub::install(false, true);
    let persistence = Persistence::new(std::time::Duration::from_millis(10));
    let (bank, name) = bank_on(StoreKind::IndexedDb).await;
    persistence.watch(&bank, false);
    // The status may be read (it asks for nothing) before any write.
    persistence.check().await;
    assert_eq!(
        persistence.durability(),
        Durability::BestEffort { asked: false }
    );
    assert!(!persistence.asked(), "opening the bank is not a write");
    assert_eq!(stub.calls(), 0, "nothing is asked before the first write");

    bank.execute(open_account("alice")).await.expect("opened");
    assert!(persistence.asked(), "the first write asks");
    until("persist() was called", || stub.calls() == 1).await;
    until("the grant is shown", || {
        persistence.durability() == Durability::Persisted
    })
    .await;
    until("the usage is read after the write", || {
        persistence.estimate().is_some()
    })
    .await;

    persistence.status.update(|s| s.estimate = None);
    bank.execute(deposit("alice")).await.expect("deposited");
    bank.execute(deposit("alice")).await.expect("deposited");
    // The refresh runs on a timer after the writes: anything they started before it
    // (a question to the browser, which answers at once) has run by then.
    until("the usage is read again after the later writes", || {
        persistence.estimate().is_some()
    })
    .await;
    assert_eq!(stub.calls(), 1, "later writes do not ask again");
    AnyStore::delete(StoreKind::IndexedDb, &name)
        .await
        .expect("deleted");
}

#[wasm_bindgen_test]
async fn persistence_is_not_asked_for_memory_or_when_already_kept() {
    let stub = StorageStub::install(true, true);
    let (memory, _) = bank_on(StoreKind::Memory).await;
    let persistence = Persistence::new(std::time::Duration::from_millis(10));
    persistence.watch(&memory, true);
    memory.execute(open_account("bob")).await.expect("opened");
    assert!(!persistence.asked(), "a write to memory asks nothing");

    // A scenario or import fills a new database before it is shown: that is a write.
    let (filled, name) = bank_on(StoreKind::LocalStorage).await;
    filled.execute(open_account("carol")).await.expect("opened");
    persistence.watch(&filled, true);
    assert!(
        persistence.asked(),
        "a filled database counts as the first write"
    );
    until("the browser's answer is shown", || {
        persistence.durability() == Durability::Persisted
    })
    .await;
    assert_eq!(
        stub.calls(),
        0,
        "persisted() said yes: persist() is not called"
    );
    AnyStore::delete(StoreKind::LocalStorage, &name)
        .await
        .expect("deleted");
}

#[wasm_bindgen_test]
fn storage_sizes_are_formatted_in_binary_units_with_integers() {
    let cases = [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (10 * 1024 - 52, "9.9 KB"),
        (10 * 1024 - 51, "10 KB"),
        (12 * 1024 + 300, "12 KB"),
        (1024 * 1024 - 1, "1 MB"),
        (5 * 1024 * 1024 / 2, "2.5 MB"),
        (2 * 1024 * 1024 * 1024, "2 GB"),
        (300 * 1024 * 1024 * 1024, "300 GB"),
        (u64::MAX, "16384 PB"),
    ];
    for (bytes, text) in cases {
        assert_eq!(format_bytes(bytes), text, "{bytes} bytes");
    }
    let estimate = Estimate {
        usage: 12 * 1024,
        quota: 2 * 1024 * 1024 * 1024,
    };
    assert_eq!(estimate.describe(), "12 KB of 2 GB used");
    assert_eq!(
        Estimate {
            usage: 700,
            quota: 0
        }
        .describe(),
        "700 bytes used"
    );
}

// ---------------------------------------------------------------------------------
// The saga's state diagram keeps keyboard focus when another tab steps

/// Keyboard focus on a state of the diagram stays on that state when another tab
/// steps the saga: the step reaches this tab as a notice, the bank catches up, and the
/// diagram's markup is replaced (its state moves on; the focused box is the one it
/// started in).
#[wasm_bindgen_test]
async fn the_diagram_keeps_focus_on_its_state_when_another_tab_steps() {
    use leptos::prelude::*;
    use sagabank::app::FaultPlan;
    use sagabank::domain::{RunMode, TransferId, TransferMoney};
    use sagabank::store::any::ChangeNotifier;
    use sagabank::ui::{diagram::SagaDiagram, page::Page, service::BankHandle};
    let name = browser_support::fresh_name("test", "diagram-focus");
    let other = tab_on(&name, "other").await;
    for id in ["ann", "ben"] {
        other.execute(open_account(id)).await.expect("opened");
    }
    let t = TransferId::parse("t").expect("an id");
    let command = TransferMoney {
        transfer_id: t.clone(),
        from_account_id: AccountId::parse("ann").expect("an id"),
        to_account_id: AccountId::parse("ben").expect("an id"),
        amount: Money::parse("1.00").expect("money"),
        description: String::new(),
    };
    other
        .start_transfer_with(command, FaultPlan::default(), RunMode::Step)
        .await
        .expect("started");
    let shown = tab_on(&name, "shown").await;
    let (db, selected) = (name.clone(), t.clone());
    let root = mount_fresh(move || {
        let handle = BankHandle::new();
        let page = Page::provide(handle);
        handle.install(shown, &db);
        page.selection.transfer.set(Some(selected));
        view! { <SagaDiagram/> }
    });
    let node = wait_for(&root, "[data-phase][data-mark='current']").await;
    let phase = node.get_attribute("data-phase").expect("a phase");
    let focus: Function = Reflect::get(&node, &"focus".into())
        .expect("focus")
        .unchecked_into();
    focus.call0(&node).expect("focuses");
    let focused = || {
        document()
            .active_element()
            .and_then(|e| e.get_attribute("data-phase"))
    };
    assert_eq!(focused(), Some(phase.clone()), "the state has focus");

    let notifier = ChangeNotifier::new(&name).expect("a channel");
    let before = other.read(|m| m.last_position);
    other.step(&t).await.expect("a step runs");
    let after = other.read(|m| m.last_position);
    assert!(after > before, "the other tab stepped");
    notifier.post(after);
    until("the diagram shows the step", || {
        root.query_selector("[data-phase][data-mark='current']")
            .ok()
            .flatten()
            .and_then(|n| n.get_attribute("data-phase"))
            .is_some_and(|p| p != phase)
    })
    .await;
    assert_eq!(focused(), Some(phase), "focus stays on the same state");
}

mod lazy_part {
    //! `ui::lazy::Lazy`: a part whose code loads on demand, with a loader that fails
    //! once, as a chunk does when the connection drops (issue 24).
    use std::sync::atomic::{AtomicU32, Ordering};

    use leptos::prelude::*;
    use sagabank::ui::lazy::{ChunkFailed, Lazy, Loaded, Part, Start};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::{mount_fresh, wait_for};

    static CALLS: AtomicU32 = AtomicU32::new(0);

    /// Fails on its first call, then gives the part.
    fn flaky() -> std::future::Ready<Loaded> {
        let call = CALLS.fetch_add(1, Ordering::SeqCst);
        std::future::ready(if call == 0 {
            Err(ChunkFailed)
        } else {
            Ok(Part::new(|| {
                view! { <p class="the-part">"the part"</p> }.into_any()
            }))
        })
    }

    fn frame(line: AnyView) -> AnyView {
        view! { <section class="the-frame">{line}</section> }.into_any()
    }

    #[wasm_bindgen_test]
    async fn a_part_that_fails_to_load_says_so_in_its_frame_and_loads_on_try_again() {
        let root = mount_fresh(|| {
            view! { <Lazy what="the part" frame=frame load=flaky start=Start::Idle/> }
        });
        // Until the browser is idle: the loading line, in the part's frame.
        let line = root
            .query_selector(".the-frame [data-testid=lazy-loading]")
            .expect("a valid selector")
            .expect("the loading line before the load starts");
        assert_eq!(line.text_content().as_deref(), Some("Loading the part…"));
        assert_eq!(
            CALLS.load(Ordering::SeqCst),
            0,
            "nothing loaded before idle"
        );

        let failed = wait_for(&root, ".the-frame [data-testid=lazy-failed]").await;
        let text = failed.text_content().unwrap_or_default();
        assert!(text.starts_with("Could not load the part: "), "{text}");
        assert!(root
            .query_selector(".the-part")
            .expect("a valid selector")
            .is_none());

        let retry: web_sys::HtmlElement = failed
            .query_selector("[data-testid=lazy-retry]")
            .expect("a valid selector")
            .expect("a Try again button")
            .unchecked_into();
        assert_eq!(retry.text_content().as_deref(), Some("Try again"));
        retry.click();
        wait_for(&root, ".the-part").await;
        assert!(
            root.query_selector(".the-frame")
                .expect("a valid selector")
                .is_none(),
            "the frame gave way to the part"
        );
        assert_eq!(
            CALLS.load(Ordering::SeqCst),
            2,
            "one failed load, one retry"
        );
    }

    static GONE_CALLS: AtomicU32 = AtomicU32::new(0);

    fn counted() -> std::future::Ready<Loaded> {
        GONE_CALLS.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(Part::new(|| view! { <p>"never shown"</p> }.into_any())))
    }

    #[wasm_bindgen_test]
    async fn a_part_gone_before_the_browser_is_idle_is_not_loaded_and_nothing_breaks() {
        let shown = RwSignal::new(true);
        let root = mount_fresh(move || {
            move || {
                shown.get().then(|| {
                    view! { <Lazy what="the part" frame=frame load=counted start=Start::Idle/> }
                })
            }
        });
        assert!(root
            .query_selector("[data-testid=lazy-loading]")
            .expect("a valid selector")
            .is_some());
        // A new bank re-renders the page: the part goes before its idle callback runs.
        shown.set(false);
        // Idle callbacks run in the order they were asked for: once this one has run,
        // the part's has too.
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        let tx = std::cell::Cell::new(Some(tx));
        leptos::prelude::request_idle_callback(move || {
            if let Some(tx) = tx.take() {
                let _ = tx.send(());
            }
        });
        rx.await.expect("the idle callback ran");
        assert_eq!(
            GONE_CALLS.load(Ordering::SeqCst),
            0,
            "a part that is gone is not loaded"
        );
        assert!(root
            .query_selector("[data-testid^=lazy]")
            .expect("a valid selector")
            .is_none());
    }
}
