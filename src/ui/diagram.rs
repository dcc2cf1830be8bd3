//! The live state diagram of the selected transfer's saga: it puts the view model's
//! SVG ([`crate::app::views::saga_diagram`], generated from the domain's state machine)
//! in the page, with the diagram in words below it. It shows the transfer as of the
//! selected event, if one is selected; an arrow that events took selects its last one
//! (a click, or Enter on it). One string rather than a component per element keeps
//! the page's code small; the newly lit state fades in (not under
//! `prefers-reduced-motion`). A new string replaces every element, so keyboard focus on
//! a state or an arrow is put back on the same one after each redraw (a step in this
//! tab or another).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::page::use_selection;
use super::route::{self, Route};
use super::service::use_bank;
use crate::app::views::saga_diagram::Diagram;

/// The state diagram of the selected transfer (the selection's `transfer`), as of the
/// selected event (the selection's `position`) or now; nothing when none is selected.
#[component]
pub fn SagaDiagram(
    /// The arrows select nothing: for an embed, which has no other view to select in.
    #[prop(optional)]
    no_links: bool,
) -> impl IntoView {
    let bank = use_bank();
    let selected = use_selection().position;
    let transfer = use_selection().transfer;
    let diagram = Memo::new(move |_| {
        let id = transfer.get()?;
        let as_of = selected.get();
        bank.read(|m| m.transfers.get(&id).map(|t| Diagram::of(t, as_of)))
            .flatten()
    });
    let svg = move || diagram.with(|d| d.as_ref().map(|d| d.svg(!no_links, selected.get())));
    let words = move || diagram.with(|d| d.as_ref().map(Diagram::words).unwrap_or_default());
    let as_of = move || crate::app::views::as_of::when(selected.get());
    let holder = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let markup = svg().unwrap_or_default();
        if let Some(div) = holder.get() {
            redraw(&div, &markup);
        }
    });
    let pick = move |target: Option<web_sys::EventTarget>| {
        let position = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-position]").ok().flatten())
            .and_then(|e| e.get_attribute("data-position"))
            .and_then(|p| p.parse().ok());
        if let Some(p) = position {
            route::go(&Route::Event(p));
        }
    };
    view! {
        <figure class="saga-diagram" aria-labelledby="saga-diagram-title" hidden=move || diagram.with(Option::is_none)>
            <figcaption id="saga-diagram-title" class="saga-diagram__title">
                "State diagram, " <span data-testid="diagram-as-of">{as_of}</span>
            </figcaption>
            <div node_ref=holder on:click=move |ev| pick(ev.target())
                on:keydown=move |ev| if ev.key() == "Enter" { pick(ev.target()) }/>
            <ul class="saga-diagram__words" data-testid="diagram-words">
                {move || words().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
            </ul>
        </figure>
    }
    .into_any()
}

/// Puts `markup` in `holder`; if keyboard focus was on a state or an arrow in it, puts
/// it back on the same one (found by its phase or its arrow key) in the new markup.
fn redraw(holder: &web_sys::HtmlDivElement, markup: &str) {
    let focused = leptos::prelude::document()
        .active_element()
        .filter(|e| holder.contains(Some(e)))
        .and_then(|e| {
            let keyed = e.closest("[data-phase], [data-edge]").ok().flatten()?;
            let (name, value) = match keyed.get_attribute("data-phase") {
                Some(phase) => ("data-phase", phase),
                None => ("data-edge", keyed.get_attribute("data-edge")?),
            };
            // The arrow's focusable part is its path; a state is its group.
            let part = if name == "data-edge" {
                " path[tabindex]"
            } else {
                ""
            };
            Some(format!("[{name}=\"{value}\"]{part}"))
        });
    holder.set_inner_html(markup);
    let again = focused.and_then(|selector| holder.query_selector(&selector).ok().flatten());
    if let Some(element) = again {
        // SVG and HTML elements both have `focus()`.
        if let Ok(focus) = js_sys::Reflect::get(&element, &"focus".into()) {
            if let Ok(focus) = focus.dyn_into::<js_sys::Function>() {
                let _ = focus.call0(&element);
            }
        }
    }
}
