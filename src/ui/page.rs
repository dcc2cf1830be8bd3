//! The page's state beside the bank, in the parts components use, each made once by
//! the composition root ([`super::App`], or [`super::embed::Embed`]) and put in
//! context with its accessor: [`Selection`] ([`use_selection`]), what every view
//! highlights, and [`Notices`] ([`use_notices`]), what the page says. The bank itself
//! is [`super::service::BankHandle`] ([`super::service::use_bank`]). [`Page`] holds
//! them all, for the bank's lifecycle ([`super::lifecycle`]), whose every step
//! touches each.

use std::rc::Rc;

use leptos::prelude::*;

use super::service::{use_bank, BankHandle};
use super::storage::{use_persistence, Persistence};
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

impl Selection {
    /// Nothing selected, in context from now on.
    pub fn provide() -> Selection {
        let selection = Selection {
            position: RwSignal::new(None),
            transfer: RwSignal::new(None),
            account: RwSignal::new(None),
        };
        provide_context(selection);
        selection
    }
}

/// The page's selection.
#[must_use]
pub fn use_selection() -> Selection {
    expect_context::<Selection>()
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
}

impl Notices {
    /// Nothing said yet, in context from now on.
    pub fn provide() -> Notices {
        let notices = Notices {
            announcement: RwSignal::new(String::new()),
            link_notice: RwSignal::new(None),
            storage_warning: RwSignal::new(None),
            resumed: RwSignal::new(Vec::new()),
        };
        provide_context(notices);
        notices
    }

    /// Says something to screen readers (and the status line).
    pub fn announce(&self, text: impl Into<String>) {
        self.announcement.set(text.into());
    }
}

/// The page's notices.
#[must_use]
pub fn use_notices() -> Notices {
    expect_context::<Notices>()
}

/// Every part of the app's page, for the steps that change the bank shown: they
/// install it, clear the selection and say what happened.
#[derive(Clone, Copy)]
pub struct Page {
    pub bank: BankHandle,
    pub selection: Selection,
    pub notices: Notices,
    /// Whether the browser keeps the bank's events (see [`super::storage`]).
    pub persistence: StoredValue<Rc<Persistence>, LocalStorage>,
}

/// The app's page, from context (see [`super::App`]).
#[must_use]
pub fn use_page() -> Page {
    Page {
        bank: use_bank(),
        selection: use_selection(),
        notices: use_notices(),
        persistence: use_persistence(),
    }
}
