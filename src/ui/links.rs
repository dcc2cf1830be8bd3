//! What the page does with a link (`#account=`, `#transfer=`, `#event=`, `#lesson=`,
//! `#glossary=`), once the bank is open and on every change after: selects what it
//! names, scrolls it into view, or opens the lesson or the glossary. A link the page cannot follow, or that names
//! something this bank does not have, gets a notice at the top of the page, in view,
//! and changes nothing. Only the composition root ([`super::App`]) uses this module:
//! it wires [`super::route`] to the course and the panels, so neither knows the other.

use leptos::prelude::*;

use super::learn::{self, Learn};
use super::page::Page;
use super::route::{self, BadLink, Route};

/// Follows the page's link now (the bank is open) and every link after it: it selects
/// in the page's selection, or opens a lesson of `course`.
pub fn follow(page: Page, course: Learn) {
    apply(page, course, route::current(), true);
    let listener = route::watch(move |link| apply(page, course, link, false));
    // The page lives as long as the app; keep listening.
    std::mem::forget(listener);
}

/// Follows `link`; `reveal`: scroll what it names into view (a link opened in a new
/// tab, where the page would otherwise start at its top).
fn apply(page: Page, course: Learn, link: Result<Route, BadLink>, reveal: bool) {
    let Page {
        bank,
        selection,
        notices,
        ..
    } = page;
    let route = match link {
        Ok(route) => route,
        Err(BadLink(text)) => return notice(notices.link_notice, text),
    };
    if let Some(text) = bank.read(|m| route.missing_in(m)).flatten() {
        return notice(notices.link_notice, text);
    }
    notices.link_notice.set(None);
    let heading = match route {
        Route::Account(id) => {
            selection.account.set(Some(id));
            "#account-detail-title"
        }
        Route::Transfer(id) => {
            selection.transfer.set(Some(id));
            "#timeline-title"
        }
        Route::Event(position) => {
            selection.position.set(Some(position));
            "#audit-details-title"
        }
        Route::Lesson(n) => return learn::follow_link(page, course, n),
        Route::Glossary(key) => return super::glossary::open(notices, key),
        // A shared bank is offered by `share::SharedBankOffer`.
        Route::Home | Route::Shared { .. } => return,
    };
    if reveal {
        // The headings of the panels that show each (element ids, not test hooks).
        scroll_to(heading);
    }
}

/// Shows `text` as the page's link notice, and brings it into view.
fn notice(link_notice: RwSignal<Option<String>>, text: String) {
    link_notice.set(Some(text));
    scroll_to("#link-notice");
}

/// Scrolls the element `selector` names into view once it is rendered, unless it is
/// in view already. The element may be in a part whose code is still loading
/// ([`super::lazy`]): it is looked for again at each frame, for up to 20 s.
fn scroll_to(selector: &'static str) {
    scroll_when_rendered(selector, 20 * 60);
}

/// [`scroll_to`], looking for the element for at most `frames` more frames.
fn scroll_when_rendered(selector: &'static str, frames: u32) {
    request_animation_frame(move || {
        let Ok(Some(element)) = document().query_selector(selector) else {
            if frames > 0 {
                scroll_when_rendered(selector, frames - 1);
            }
            return;
        };
        let rect = element.get_bounding_client_rect();
        let height = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        // A pixel of leeway: an element scrolled to the top may sit half a pixel above.
        if rect.top() < -1.0 || rect.bottom() > height + 1.0 {
            element.scroll_into_view();
        }
    });
}
