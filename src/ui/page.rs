//! The page's state beside the bank, in the parts components use, made once by the
//! composition root ([`super::App`], or [`super::embed::Embed`]) with
//! [`Page::provide`], each part with its accessor: [`Selection`] ([`use_selection`]),
//! what every view highlights, and [`Notices`] ([`use_notices`]), what the page says.
//! The bank itself is [`super::service::BankHandle`] ([`super::service::use_bank`]).
//! [`Page`] holds them all, for the bank's lifecycle ([`super::lifecycle`]), whose
//! every step touches each.

use std::rc::Rc;

use leptos::prelude::*;

use super::service::BankHandle;
use super::storage::{Persistence, REFRESH_EVERY};
use crate::domain::{AccountId, TransferId};

/// What is selected: one selection for every view that highlights it.
#[derive(Clone, Copy)]
pub struct Selection {
    /// The event selected in the audit trail or the time-travel scrubber.
    pub position: RwSignal<Option<u64>>,
    /// The transfer whose timeline is shown.
    pub transfer: RwSignal<Option<TransferId>>,
    /// The account the account panel details (from a link or a click).
    pub account: RwSignal<Option<AccountId>>,
}

/// The page's selection.
#[must_use]
pub fn use_selection() -> Selection {
    use_page().selection
}

/// What the page says beside the panels.
#[derive(Clone, Copy)]
pub struct Notices {
    /// A short message for screen readers and the status line.
    pub announcement: RwSignal<String>,
    /// Why the deep link in the URL shows nothing, when it names something missing.
    pub link_notice: RwSignal<Option<String>>,
    /// Why persistent storage could not be used, if it could not.
    pub storage_warning: RwSignal<Option<String>>,
    /// Transfers that were resumed after a reload.
    pub resumed: RwSignal<Vec<TransferId>>,
    /// The glossary term shown in the glossary dialog, while it is open.
    pub glossary: RwSignal<Option<&'static str>>,
}

impl Notices {
    /// Says something to screen readers (and the status line).
    pub fn announce(&self, text: impl Into<String>) {
        self.announcement.set(text.into());
    }
}

/// The page's notices.
#[must_use]
pub fn use_notices() -> Notices {
    use_page().notices
}

/// Every part of the page's state, in context as one (each context type adds code
/// to the wasm): components take the part they use through its accessor
/// ([`use_selection`], [`use_notices`], [`super::service::use_bank`]); the steps that
/// change the bank shown take it whole, since they install it, clear the selection
/// and say what happened.
#[derive(Clone, Copy)]
pub struct Page {
    pub bank: BankHandle,
    pub selection: Selection,
    pub notices: Notices,
    /// Whether the browser keeps the bank's events (see [`super::storage`]); watched
    /// only for banks the lifecycle shows, so never in an embed.
    pub persistence: StoredValue<Rc<Persistence>, LocalStorage>,
}

impl Page {
    /// The page's state around `bank`, nothing selected or said yet, in context from
    /// now on (with `bank`). Made once, by the composition root.
    pub fn provide(bank: BankHandle) -> Page {
        provide_context(bank);
        let page = Page {
            bank,
            selection: Selection {
                position: RwSignal::new(None),
                transfer: RwSignal::new(None),
                account: RwSignal::new(None),
            },
            notices: Notices {
                announcement: RwSignal::new(String::new()),
                link_notice: RwSignal::new(None),
                storage_warning: RwSignal::new(None),
                resumed: RwSignal::new(Vec::new()),
                glossary: RwSignal::new(None),
            },
            persistence: StoredValue::new_local(Persistence::new(REFRESH_EVERY)),
        };
        provide_context(page);
        page
    }
}

/// The page's state, from context (see [`Page::provide`]).
#[must_use]
pub fn use_page() -> Page {
    expect_context::<Page>()
}
