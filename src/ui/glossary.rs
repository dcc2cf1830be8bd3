//! The glossary in the page: a modal `<dialog>` with one term's entry and the list of
//! every term, opened from the header's Glossary button, from a term linked in a
//! lesson's text ([`LinkedText`]), or by a `#glossary=<term>` link ([`super::links`]).
//! Escape closes it (the browser's own), and the focus returns to what opened it. The
//! terms and the lessons' link marks are [`crate::app::glossary`]'s.

use leptos::prelude::*;

use super::page::{use_notices, Notices};
use super::route::{self, Route};
use crate::app::glossary::{segments, term, Segment, GLOSSARY};

/// Opens the glossary at `key` (or moves an open one there).
pub fn open(notices: Notices, key: &'static str) {
    notices.glossary.set(Some(key));
}

/// A lesson paragraph's words, its `[[term]]` marks shown as links to the glossary.
#[component]
pub fn LinkedText(
    /// The paragraph, with its marks.
    text: &'static str,
) -> impl IntoView {
    let notices = use_notices();
    segments(text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(words) => words.into_any(),
            Segment::Term { key, shown } => {
                let key = term(key).map_or(key, |t| t.key);
                let go = move |ev: leptos::ev::MouseEvent| {
                    ev.prevent_default();
                    open(notices, key);
                };
                view! {
                    <a class="term" href=route::href(&Route::Glossary(key)) on:click=go>
                        {shown.replace('-', " ")}
                        <span class="visually-hidden">" (glossary)"</span>
                    </a>
                }
                .into_any()
            }
        })
        .collect_view()
}

/// The header's way into the glossary: opens it at its first term.
#[component]
pub fn GlossaryButton() -> impl IntoView {
    let notices = use_notices();
    view! {
        <button class="button button--secondary button--chip" type="button"
            on:click=move |_| open(notices, GLOSSARY[0].key)>
            "Glossary"
        </button>
    }
    .into_any()
}

/// The glossary dialog, modal while open. No props: it reads the page's notices.
#[component]
pub fn GlossaryDialog() -> impl IntoView {
    let notices = use_notices();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    // What had the focus, and the address, before the dialog opened: both come back.
    let before = StoredValue::new_local(None::<(Option<web_sys::HtmlElement>, String)>);
    Effect::new(move |_| {
        let key = notices.glossary.get();
        let Some(d) = dialog.get() else { return };
        match key {
            Some(key) => {
                if !d.open() {
                    let here = route::current()
                        .ok()
                        .filter(|r| !matches!(r, Route::Glossary(_)));
                    before.set_value(Some((active_element(), here.unwrap_or(Route::Home).href())));
                    let _ = d.show_modal();
                }
                route::replace(&Route::Glossary(key));
            }
            None if d.open() => d.close(),
            None => {}
        }
    });
    let closed = move |_| {
        notices.glossary.set(None);
        let (opener, address) = before
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_default();
        route::replace(&Route::parse(&address).unwrap_or(Route::Home));
        if let Some(element) = opener.filter(|e| e.is_connected()) {
            let _ = element.focus();
        }
    };
    let close = move |_| {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    view! {
        <dialog class="glossary" node_ref=dialog aria-labelledby="glossary-kicker glossary-title" on:close=closed>
            <div class="glossary__head">
                <p class="glossary__kicker" id="glossary-kicker">"Glossary"</p>
                <button class="button button--secondary button--chip" type="button" on:click=close>"Close"</button>
            </div>
            {move || notices.glossary.get().and_then(term).map(|t| view! {
                <h2 id="glossary-title">{t.name}</h2>
                <p>{t.definition}</p>
                <p><strong>"In this app: "</strong>{t.here}</p>
                <p><strong>"Read more: "</strong><cite>{t.read_more}</cite></p>
            })}
            <nav aria-label="Every term">
                <ul class="glossary__terms">
                    {GLOSSARY.iter().map(|t| view! {
                        <li>
                            <a href=route::href(&Route::Glossary(t.key))
                                on:click=move |ev: leptos::ev::MouseEvent| {
                                    ev.prevent_default();
                                    open(notices, t.key);
                                }>
                                {t.name}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
        </dialog>
    }
    .into_any()
}

/// The element that has the focus now, if any.
fn active_element() -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    document().active_element()?.dyn_into().ok()
}
