//! The live state diagram of the selected transfer's saga: it draws the view model
//! [`crate::app::views::saga_diagram`] (generated from the domain's state machine) as
//! inline SVG, with the diagram in words beside it. Its elements are made once and only
//! their marks and labels change, so a step moves the light with a short CSS transition
//! (none under `prefers-reduced-motion`). It shows the transfer as of the selected
//! event, if one is selected; an arrow that events took selects its last one.

use leptos::prelude::*;

use super::page::use_selection;
use super::route::{self, Route};
use super::service::use_bank;
use crate::app::views::saga_diagram::{Diagram, Edge, Mark, Node};

/// The state diagram of the selected transfer (the selection's `transfer`), as of the
/// selected event (the selection's `position`) or now; nothing when none is selected.
#[component]
pub fn SagaDiagram(
    /// The arrows select nothing: for an embed, which has no other view to select in.
    #[prop(optional)]
    no_links: bool,
) -> impl IntoView {
    let bank = use_bank();
    let selection = use_selection();
    let diagram = Memo::new(move |_| {
        let id = selection.transfer.get()?;
        let as_of = selection.position.get();
        bank.read(|m| m.transfers.get(&id).map(|t| Diagram::of(t, as_of)))
            .flatten()
    });
    let shown = move || diagram.with(Option::is_some);
    view! {
        <Show when=shown>
            {move || diagram.get_untracked().map(|d| view! { <Drawing first=d diagram no_links/> })}
        </Show>
    }
    .into_any()
}

/// The drawing: its geometry from `first`, its marks and labels from `diagram`.
#[component]
fn Drawing(
    /// The diagram when first drawn: its boxes and arrows stay where they are.
    first: Diagram,
    /// The diagram now.
    diagram: Memo<Option<Diagram>>,
    /// The arrows select nothing (see [`SagaDiagram`]).
    no_links: bool,
) -> impl IntoView {
    let selected = use_selection().position;
    let as_of = move || match selected.get() {
        Some(n) => format!("as of #{n}"),
        None => "now".to_owned(),
    };
    let words = move || diagram.with(|d| d.as_ref().map(Diagram::words).unwrap_or_default());
    let entry = first.entry.0;
    view! {
        <figure class="saga-diagram" aria-labelledby="saga-diagram-title">
            <figcaption id="saga-diagram-title" class="saga-diagram__title">
                "State diagram, " <span data-testid="diagram-as-of">{as_of}</span>
            </figcaption>
            <svg class="saga-diagram__svg" viewBox=format!("0 0 {} {}", first.width, first.height)
                role="group" aria-label="The transfer saga's states; the current one is lit">
                <defs>
                    <marker id="saga-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="saga-diagram__head"/>
                    </marker>
                </defs>
                <path class="saga-diagram__edge saga-diagram__edge--taken" d=format!("M{},4 L{},{}", entry - 6, entry - 6, first.nodes[0].y) marker-end="url(#saga-arrow)"/>
                <text class="saga-diagram__label" x=entry y="14">"TransferInitiated"</text>
                {first.edges.iter().enumerate().map(|(i, e)| view! { <Arrow i edge=e.clone() diagram no_links/> }).collect_view()}
                {first.nodes.iter().enumerate().map(|(i, n)| view! { <StateBox i node=n.clone() diagram/> }).collect_view()}
            </svg>
            <ul class="saga-diagram__words" data-testid="diagram-words">
                {move || words().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
            </ul>
        </figure>
    }
    .into_any()
}

/// One phase: a box that takes the keyboard, lit when the transfer is in it.
#[component]
fn StateBox(
    /// Its index in the diagram's nodes.
    i: usize,
    /// Its geometry.
    node: Node,
    /// The diagram now.
    diagram: Memo<Option<Diagram>>,
) -> impl IntoView {
    let mark = move || diagram.with(|d| d.as_ref().map_or(Mark::Idle, |d| d.nodes[i].mark));
    let name = node.name;
    view! {
        <g class=move || format!("saga-diagram__node saga-diagram__node--{}", mark().word())
            tabindex="0" role="img" data-mark=move || mark().word() data-phase=name
            aria-label=move || format!("{name}: {}", mark().sentence())>
            <rect x=node.x y=node.y width=node.w height=node.h rx="8"/>
            <text x=node.x + node.w / 2 y=node.y + node.h / 2 + 4 text-anchor="middle">{name}</text>
        </g>
    }
    .into_any()
}

/// One transition: its arrow, its events and the positions that took it.
#[component]
fn Arrow(
    /// Its index in the diagram's edges.
    i: usize,
    /// Its geometry.
    edge: Edge,
    /// The diagram now.
    diagram: Memo<Option<Diagram>>,
    /// It selects nothing (see [`SagaDiagram`]).
    no_links: bool,
) -> impl IntoView {
    let selected = use_selection().position;
    let now = move |f: &dyn Fn(&Edge) -> String| {
        diagram.with(|d| d.as_ref().map(|d| f(&d.edges[i])).unwrap_or_default())
    };
    let mark = move || now(&|e| e.mark.word().to_owned());
    let last = move || {
        diagram.with(|d| {
            d.as_ref()
                .and_then(|d| d.edges[i].positions.last().copied())
        })
    };
    let is_selected = move || {
        let p = selected.get();
        p.is_some()
            && diagram.with(|d| {
                d.as_ref()
                    .is_some_and(|d| d.edges[i].positions.contains(&p.unwrap_or(0)))
            })
    };
    let select = move || {
        if let Some(p) = last().filter(|_| !no_links) {
            route::go(&Route::Event(p));
        }
    };
    let (x, y, anchor) = edge.label;
    let events = edge.events.join(" + ");
    view! {
        <g class=move || format!("saga-diagram__arrow saga-diagram__arrow--{}", mark())
            class:saga-diagram__arrow--selected=is_selected data-edge=edge.key.clone() data-mark=mark
            on:click=move |_| select()>
            <title>{edge.events.join(" + ")}</title>
            // The arrow is the link (its label's text is said in its name).
            <path class="saga-diagram__edge" d=edge.d.clone() marker-end="url(#saga-arrow)"
                tabindex=move || (last().is_some() && !no_links).then_some("0")
                role=move || (last().is_some() && !no_links).then_some("link")
                aria-label=move || last().map(|p| format!("{events}, event #{p}: select it"))
                on:keydown=move |ev| if ev.key() == "Enter" { select() }/>
            <text class="saga-diagram__label" x=x y=y text-anchor=anchor>
                {move || now(&|e| e.lines.join("\n")).lines().enumerate().map(|(n, line)| view! {
                    <tspan x=x dy=if n == 0 { "0" } else { "12" }>{line.to_owned()}</tspan>
                }).collect_view()}
            </text>
        </g>
    }
    .into_any()
}
