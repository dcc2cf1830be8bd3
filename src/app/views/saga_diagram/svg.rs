//! The diagram as SVG markup: one string the UI puts in the page, so the page carries
//! no code per element. Every text in it is the domain's (phase and event names) or
//! a number, never a user's, so nothing needs escaping.

use std::fmt::Write;

use super::{Diagram, Edge, Node};

impl Diagram {
    /// The SVG of the diagram. `links`: the arrows that events took are links to their
    /// last event (`data-position`); `selected`: the selected event, whose arrow is
    /// marked.
    #[must_use]
    pub fn svg(&self, links: bool, selected: Option<u64>) -> String {
        let entry = self.entry.0;
        let mut s = format!(
            "<svg class=\"saga-diagram__svg\" viewBox=\"0 0 {} {}\" role=\"group\" \
             aria-label=\"The transfer saga's states; the current one is lit\">\
             <defs><marker id=\"saga-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
             markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" \
             orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" \
             class=\"saga-diagram__head\"/></marker></defs>\
             <path class=\"saga-diagram__edge saga-diagram__edge--entry\" d=\"M{},4 L{},{}\" \
             marker-end=\"url(#saga-arrow)\"/>\
             <text class=\"saga-diagram__label\" x=\"{entry}\" y=\"14\">TransferInitiated</text>",
            self.width,
            self.height,
            entry - 6,
            entry - 6,
            self.nodes.first().map_or(0, |n| n.y),
        );
        for e in &self.edges {
            arrow(&mut s, e, links, selected);
        }
        for n in &self.nodes {
            state_box(&mut s, n);
        }
        s.push_str("</svg>");
        s
    }
}

fn arrow(s: &mut String, e: &Edge, links: bool, selected: Option<u64>) {
    let last = e.positions.last().filter(|_| links);
    let chosen = selected.is_some_and(|p| e.positions.contains(&p));
    let events = e.events.join(" + ");
    let _ = write!(
        s,
        "<g class=\"saga-diagram__arrow saga-diagram__arrow--{}{}\" data-edge=\"{}\" data-mark=\"{}\"",
        e.mark.word(),
        if chosen { " saga-diagram__arrow--selected" } else { "" },
        e.key,
        e.mark.word()
    );
    if let Some(p) = last {
        let _ = write!(s, " data-position=\"{p}\"");
    }
    let _ = write!(s, "><title>{events}</title><path class=\"saga-diagram__edge\" d=\"{}\" marker-end=\"url(#saga-arrow)\"", e.d);
    if let Some(p) = last {
        // The arrow is the link; its label's text is said in its name.
        let _ = write!(
            s,
            " tabindex=\"0\" role=\"link\" aria-label=\"{events}, event #{p}: select it\""
        );
    }
    let (x, y, anchor) = e.label;
    let _ = write!(
        s,
        "/><text class=\"saga-diagram__label\" x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\">"
    );
    for (i, line) in e.lines.iter().enumerate() {
        let dy = if i == 0 { 0 } else { 12 };
        let _ = write!(s, "<tspan x=\"{x}\" dy=\"{dy}\">{line}</tspan>");
    }
    s.push_str("</text></g>");
}

fn state_box(s: &mut String, n: &Node) {
    let mark = n.mark.word();
    let _ = write!(
        s,
        "<g class=\"saga-diagram__node saga-diagram__node--{mark}\" tabindex=\"0\" role=\"img\" \
         data-mark=\"{mark}\" data-phase=\"{name}\" aria-label=\"{name}: {sentence}\">\
         <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"8\"/>\
         <text x=\"{cx}\" y=\"{cy}\" text-anchor=\"middle\">{name}</text></g>",
        name = n.name,
        sentence = n.mark.sentence(),
        x = n.x,
        y = n.y,
        w = n.w,
        h = n.h,
        cx = n.x + n.w / 2,
        cy = n.y + n.h / 2 + 4,
    );
}
