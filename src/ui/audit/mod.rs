//! The audit trail: every stored event in global order, filtered by account, transfer,
//! type and free text, with the selected event's whole envelope and the links that
//! follow its correlation and causation; export and import of the JSONL log.
//!
//! It stays smooth with 100,000 events: the list renders only the rows in view (a
//! fixed-height scroller, fixed row height, a spacer for the rest), and the filtered
//! index (the view model [`crate::app::views::audit_filter`]) is a memo rebuilt only
//! when a filter or the log changes, and then extended rather than rebuilt when the
//! log only grew. Free-text search runs over a lowercase copy of the JSON lines kept
//! beside the log, built the first time someone searches.
//!
//! It reads the read models' audit list through the [`BankHandle`]; it never folds
//! events itself. The selection is the page's [`crate::ui::page::Selection`], shared with time
//! travel and the `#event=N` deep link.
//!
//! One concern per file: [`filters`] (the controls), [`list`] (the virtual list),
//! [`details`] (the selected event) and [`io`] (export and import). The filter engine
//! and the details are view models in [`crate::app::views`].

mod details;
mod filters;
mod io;
mod list;

use std::rc::{Rc, Weak};

use leptos::prelude::*;

use crate::app::views::audit_filter::{Filtered, SearchIndex};
use crate::ui::service::{use_bank, BankHandle, BrowserBank};
use details::Details;
use filters::{FilterSignals, Filters};
use io::ExportImport;
use list::EventList;

/// The audit trail panel: filters, the virtualised event list, the selected event's
/// details, and export / import.
#[component]
pub fn AuditPanel() -> impl IntoView {
    let handle = use_bank();
    let filters = FilterSignals::new();
    // The free-text index of the log it was built for (reset for another log).
    let search_index: StoredValue<(Weak<BrowserBank>, SearchIndex), LocalStorage> =
        StoredValue::new_local((Weak::new(), SearchIndex::default()));

    let identity = LogIdentity::new();
    let filter_values = Memo::new(move |_| filters.values());
    let filtered = Memo::new(move |prev: Option<&Filtered>| {
        let values = filter_values.get();
        let log = identity.current(&handle);
        let Some(bank) = handle.bank() else {
            return Filtered::default();
        };
        handle.read(|_| ());
        bank.read(|m| {
            search_index
                .try_update_value(|(of, index)| {
                    if !of.upgrade().is_some_and(|b| Rc::ptr_eq(&b, &bank)) {
                        *of = Rc::downgrade(&bank);
                        *index = SearchIndex::default();
                    }
                    Filtered::build(prev, values, log, m, index)
                })
                .unwrap_or_default()
        })
    });

    view! {
        <section class="panel panel--audit audit" aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit trail"</h2>
            <p class="audit__lead">
                "Every event in the order it was stored. Select one to see its whole envelope; time travel follows."
            </p>
            <Filters filters=filters/>
            <EventList filtered=filtered filter_values=filter_values/>
            <Details filtered=filtered filters=filters/>
            <ExportImport/>
        </section>
    }
}

/// Which log the page shows: the installed bank's address. A scenario or an import
/// installs a new bank, so anything cached for the old log is dropped. It keeps a weak
/// reference to the bank it saw last, so that address cannot be reused by a later
/// bank while it is still being compared against.
#[derive(Clone, Copy)]
pub(super) struct LogIdentity(StoredValue<Weak<BrowserBank>, LocalStorage>);

impl LogIdentity {
    pub(super) fn new() -> LogIdentity {
        LogIdentity(StoredValue::new_local(Weak::new()))
    }

    /// The current log's identity (0 when no bank is installed). Not tracked.
    pub(super) fn current(&self, handle: &BankHandle) -> usize {
        let Some(bank) = handle.bank() else {
            return 0;
        };
        self.0.set_value(Rc::downgrade(&bank));
        Rc::as_ptr(&bank) as usize
    }
}
