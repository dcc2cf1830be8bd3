//! The transfer saga's state diagram, generated from the domain's state machine
//! ([`Phase::ALL`], [`TRANSITIONS`]): one node per phase, one edge per transition
//! labelled with the events that cause it, retries as a loop on the step they repeat.
//! For one transfer, as of an event or now: the current phase lit, the path taken with
//! the event positions on it, the rest of the happy path ahead, and the compensation
//! branch where it would leave. Layout is computed here (a vertical layout that fits a
//! phone); the UI only draws it. Pure: a transfer's own timeline, never the whole log.

use crate::app::projections::{TimelineKind, TransferView};
use crate::domain::events::EventType;
use crate::domain::transfer_machine::{Phase, Transition, ENTRY, TRANSITIONS};

/// Node size and spacing, in the SVG's own units.
const NODE_W: i32 = 128;
const NODE_H: i32 = 44;
const GAP_X: i32 = 104;
const PITCH_Y: i32 = 108;
const LEFT: i32 = 22;
const TOP: i32 = 34;
/// Where an edge that skips a row runs, right of the second column.
const ROUTE_X: i32 = LEFT + 2 * NODE_W + GAP_X + 14;

/// How a node or an edge stands for the transfer shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The transfer is in this phase.
    Current,
    /// On the path taken.
    Taken,
    /// On the rest of the happy path.
    Ahead,
    /// The compensation (or failure) branch, where it would leave.
    Branch,
    /// Not reachable from where the transfer stands.
    Idle,
}

impl Mark {
    /// The mark in words (also its `data-mark` and CSS modifier).
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Mark::Current => "current",
            Mark::Taken => "taken",
            Mark::Ahead => "ahead",
            Mark::Branch => "branch",
            Mark::Idle => "idle",
        }
    }

    /// What the mark means for a box, for its accessible name.
    #[must_use]
    pub fn sentence(self) -> &'static str {
        match self {
            Mark::Current => "the transfer is here now",
            Mark::Taken => "passed through",
            Mark::Ahead => "still ahead on the happy path",
            Mark::Branch => "where compensation or failure would lead",
            Mark::Idle => "not reachable from here",
        }
    }
}

/// A phase drawn as a box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub phase: Phase,
    pub name: &'static str,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub mark: Mark,
}

/// A transition drawn as an arrow (a loop for a retry), with its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// `from-to` (`-retry` for a loop), unique.
    pub key: String,
    /// The SVG path.
    pub d: String,
    /// The events that cause it.
    pub events: Vec<&'static str>,
    /// Its label's lines: the events (split where the gap is narrow), then the
    /// positions of the events that took it.
    pub lines: Vec<String>,
    /// Where its label's first line is, and its anchor (`start`, `middle` or `end`).
    pub label: (i32, i32, &'static str),
    /// The positions of the events that took it, for this transfer.
    pub positions: Vec<u64>,
    pub mark: Mark,
}

/// The diagram of one transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    pub width: i32,
    pub height: i32,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// The entry arrow's label position and the position of the transfer's start.
    pub entry: (i32, Option<u64>),
    /// The phase the transfer is in (none before it started).
    pub current: Option<Phase>,
    /// The phases it went through, in order, with the event that led to each.
    pub path: Vec<(Phase, u64)>,
}

/// The column and row of a phase: the happy path down the left, the failures and the
/// compensation down the right.
fn cell(phase: Phase) -> (i32, i32) {
    match phase {
        Phase::Initiated => (0, 0),
        Phase::Debited => (0, 1),
        Phase::Completed => (0, 2),
        Phase::Failed => (1, 0),
        Phase::CreditRejected => (1, 1),
        Phase::Refunded => (1, 2),
        Phase::CompensationFailed => (1, 3),
        Phase::TimedOut => (0, 3),
        Phase::RefundRetried => (0, 4),
    }
}

fn place(phase: Phase) -> (i32, i32) {
    let (col, row) = cell(phase);
    (LEFT + col * (NODE_W + GAP_X), TOP + row * PITCH_Y)
}

impl Diagram {
    /// The diagram of `transfer` as of event `as_of` (`None`: now).
    #[must_use]
    pub fn of(transfer: &TransferView, as_of: Option<u64>) -> Diagram {
        let walk = Walk::of(transfer, as_of);
        let reach = Reach::from(walk.current, &walk.taken);
        let nodes = Phase::ALL
            .into_iter()
            .map(|phase| {
                let (x, y) = place(phase);
                Node {
                    phase,
                    name: phase.name(),
                    x,
                    y,
                    w: NODE_W,
                    h: NODE_H,
                    mark: reach.node(phase, walk.current),
                }
            })
            .collect();
        let edges = TRANSITIONS
            .iter()
            .enumerate()
            .map(|(i, t)| edge(t, walk.taken[i].clone(), reach.edge(t, &walk.taken[i])))
            .collect::<Vec<Edge>>();
        let rows = Phase::ALL.into_iter().map(|p| cell(p).1).max().unwrap_or(0);
        // The picture ends below its last row of boxes, or of labels if one is lower.
        let labels = edges.iter().map(|e| e.label.1 + 12 * e.lines.len() as i32);
        Diagram {
            width: ROUTE_X + 20,
            height: labels.fold(TOP + rows * PITCH_Y + NODE_H + 8, i32::max),
            nodes,
            edges,
            entry: (LEFT + NODE_W / 2 + 6, walk.start),
            current: walk.current,
            path: walk.path,
        }
    }

    /// The diagram in words, for the text alternative: where the transfer is, the
    /// path it took, and what can come next.
    #[must_use]
    pub fn words(&self) -> Vec<String> {
        let Some(current) = self.current else {
            return vec!["Not started yet.".into()];
        };
        let path: Vec<String> = self
            .path
            .iter()
            .map(|(p, n)| format!("{} (#{n})", p.name()))
            .collect();
        let mut lines = vec![
            format!("Now: {}.", current.name()),
            format!("Path taken: {}.", path.join(" → ")),
        ];
        let next: Vec<String> = TRANSITIONS
            .iter()
            .filter(|t| t.from == current && !t.is_retry())
            .map(|t| format!("{} ({})", t.to.name(), event_names(t).join(" + ")))
            .collect();
        lines.push(if next.is_empty() {
            "The saga has ended.".into()
        } else {
            format!("Can go next to: {}.", next.join(" or "))
        });
        lines
    }
}

fn event_names(t: &Transition) -> Vec<&'static str> {
    t.events.iter().map(|e| e.name()).collect()
}

/// A transfer's timeline walked through the state machine.
struct Walk {
    current: Option<Phase>,
    /// Positions on each transition of [`TRANSITIONS`].
    taken: Vec<Vec<u64>>,
    path: Vec<(Phase, u64)>,
    start: Option<u64>,
}

impl Walk {
    fn of(transfer: &TransferView, as_of: Option<u64>) -> Walk {
        let mut walk = Walk {
            current: None,
            taken: vec![Vec::new(); TRANSITIONS.len()],
            path: Vec::new(),
            start: None,
        };
        let entries = transfer
            .timeline
            .iter()
            .filter(|e| !matches!(e.kind, TimelineKind::Leg(_)))
            .filter(|e| as_of.is_none_or(|n| e.position <= n));
        for entry in entries {
            if let Some(ty) = EventType::named(entry.event_type) {
                walk.step(ty, entry.position);
            }
        }
        walk
    }

    fn step(&mut self, ty: EventType, position: u64) {
        let Some(from) = self.current else {
            if ty == ENTRY {
                self.current = Some(Phase::Initiated);
                self.start = Some(position);
                self.path.push((Phase::Initiated, position));
            }
            return;
        };
        let Some(i) = TRANSITIONS
            .iter()
            .position(|t| t.from == from && t.events.contains(&ty))
        else {
            return;
        };
        let t = &TRANSITIONS[i];
        self.taken[i].push(position);
        if t.events.last() == Some(&ty) && !t.is_retry() {
            self.current = Some(t.to);
            self.path.push((t.to, position));
        }
    }
}

/// What is still reachable from where the transfer stands.
struct Reach {
    visited: Vec<Phase>,
    ahead: Vec<Phase>,
    branch: Vec<Phase>,
}

impl Reach {
    fn from(current: Option<Phase>, taken: &[Vec<u64>]) -> Reach {
        let mut visited: Vec<Phase> = TRANSITIONS
            .iter()
            .zip(taken)
            .filter(|(_, p)| !p.is_empty())
            .flat_map(|(t, _)| [t.from, t.to])
            .collect();
        visited.extend(current);
        let (mut ahead, mut branch) = (Vec::new(), Vec::new());
        let mut open: Vec<(Phase, bool)> = current.map(|c| (c, true)).into_iter().collect();
        while let Some((from, happy)) = open.pop() {
            for t in TRANSITIONS
                .iter()
                .filter(|t| t.from == from && !t.is_retry())
            {
                let stays_happy = happy && t.is_happy();
                let list = if stays_happy { &mut ahead } else { &mut branch };
                if !list.contains(&t.to) {
                    list.push(t.to);
                    open.push((t.to, stays_happy));
                }
            }
        }
        Reach {
            visited,
            ahead,
            branch,
        }
    }

    fn node(&self, phase: Phase, current: Option<Phase>) -> Mark {
        if current == Some(phase) {
            Mark::Current
        } else if self.visited.contains(&phase) {
            Mark::Taken
        } else if self.ahead.contains(&phase) {
            Mark::Ahead
        } else if self.branch.contains(&phase) {
            Mark::Branch
        } else {
            Mark::Idle
        }
    }

    fn edge(&self, t: &Transition, positions: &[u64]) -> Mark {
        let reachable = |p: Phase| {
            self.visited.last() == Some(&p) || self.ahead.contains(&p) || self.branch.contains(&p)
        };
        if !positions.is_empty() {
            Mark::Taken
        } else if t.is_happy() && !t.is_retry() && self.ahead.contains(&t.to) {
            Mark::Ahead
        } else if reachable(t.from) && (t.is_retry() || self.branch.contains(&t.to)) {
            Mark::Branch
        } else {
            Mark::Idle
        }
    }
}

/// The arrow of transition `t`: straight down or across between neighbours, a loop on
/// the left of a retried step, or routed right of the second column past a row.
fn edge(t: &Transition, positions: Vec<u64>, mark: Mark) -> Edge {
    let (fx, fy) = place(t.from);
    let (tx, ty) = place(t.to);
    let events = event_names(t);
    let numbers = positions
        .iter()
        .map(|p| format!("#{p}"))
        .collect::<Vec<_>>()
        .join(" ");
    let (d, label, key, mut lines) = if t.is_retry() {
        let (y0, y1) = (fy + 26, fy + 40);
        let lines = if numbers.is_empty() {
            vec![]
        } else {
            vec![format!("↻ {numbers}")]
        };
        (
            format!("M{fx},{y0} C{},{y0} {},{y1} {fx},{y1}", fx - 20, fx - 20),
            (fx + 8, fy + NODE_H - 6, "start"),
            format!("{}-retry", key_of(t.from)),
            lines,
        )
    } else {
        let operator = operator_arrow(t.from, t.to);
        let narrow = fy == ty || operator.as_ref().is_some_and(|(_, _, narrow)| *narrow);
        let (d, label) = operator.map_or_else(|| arrow(fx, fy, tx, ty), |(d, l, _)| (d, l));
        let lines = label_lines(&events, narrow);
        (
            d,
            label,
            format!("{}-{}", key_of(t.from), key_of(t.to)),
            lines,
        )
    };
    if !t.is_retry() && !numbers.is_empty() {
        lines.push(numbers);
    }
    let mut label = label;
    if fy == ty && tx > fx && !t.is_retry() {
        // Every line above the arrow across, the last just clear of it.
        label.1 = fy + NODE_H / 2 - 5 - 12 * (lines.len() as i32 - 1);
    }
    Edge {
        key,
        d,
        events,
        lines,
        label,
        positions,
        mark,
    }
}

/// The events as label lines; `narrow`: between two boxes side by side, where each
/// name is split after its `Transfer`.
fn label_lines(events: &[&'static str], narrow: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, name) in events.iter().enumerate() {
        let plus = if i == 0 { "" } else { "+ " };
        match name.strip_prefix("Transfer").filter(|_| narrow) {
            // A name too wide for the gap is split once more, before its last word.
            Some(rest) if rest.len() > 16 => {
                let cut = rest.rfind(char::is_uppercase).unwrap_or(0);
                let (a, b) = rest.split_at(cut);
                lines.extend([format!("{plus}Transfer"), a.to_owned(), b.to_owned()]);
            }
            Some(rest) => lines.extend([format!("{plus}Transfer"), rest.to_owned()]),
            None => lines.push(format!("{plus}{name}")),
        }
    }
    lines
}

/// The path and label anchor of an arrow between the boxes at (fx, fy) and (tx, ty).
fn arrow(fx: i32, fy: i32, tx: i32, ty: i32) -> (String, (i32, i32, &'static str)) {
    let (cx, tcx) = (fx + NODE_W / 2, tx + NODE_W / 2);
    if fy == ty {
        let y = fy + NODE_H / 2;
        let d = format!("M{},{y} L{tx},{y}", fx + NODE_W);
        return (d, ((fx + NODE_W + tx) / 2, y - 16, "middle"));
    }
    if fx == tx && ty - fy == PITCH_Y {
        let d = format!("M{cx},{} L{tcx},{ty}", fy + NODE_H);
        let (x, anchor) = if fx == LEFT {
            (cx + 6, "start")
        } else {
            (cx - 6, "end")
        };
        return (d, (x, fy + NODE_H + 16, anchor));
    }
    if fx == LEFT && tx == LEFT {
        // Down the left column past a row (the credit's deadline): left of the boxes,
        // above the loop of a retry.
        let (x, y0, y1) = (LEFT - 14, fy + 10, ty + 12);
        let d = format!("M{fx},{y0} L{x},{y0} L{x},{y1} L{tx},{y1}");
        return (d, (LEFT + 4, ty - 16, "start"));
    }
    if fx < tx && ty < fy {
        // Up and across to the next column (from the deadline to the refund).
        let d = format!("M{},{fy} L{tx},{}", fx + NODE_W - 24, ty + NODE_H);
        // Its label under the first column's box, left of the line.
        return (d, (LEFT + NODE_W / 2 + 6, ty + NODE_H + 14, "start"));
    }
    let (y0, y1) = (fy + NODE_H / 2 + 8, ty + NODE_H / 2);
    let right = fx + NODE_W;
    let d = format!("M{right},{y0} L{ROUTE_X},{y0} L{ROUTE_X},{y1} L{right},{y1}");
    (d, (ROUTE_X - 6, ty - 34, "end"))
}

/// The arrows in and out of an operator's retry (the bottom row, below the credit's
/// deadline), drawn apart from the rest: down from "compensation failed" to it, back
/// up when the retried refund is refused again, and round the right edge to the
/// refund. Each with its label and whether the label is split narrow.
fn operator_arrow(from: Phase, to: Phase) -> Option<(String, (i32, i32, &'static str), bool)> {
    let (fx, fy) = place(from);
    let (tx, ty) = place(to);
    match (from, to) {
        (Phase::CompensationFailed, Phase::RefundRetried) => Some((
            format!("M{},{} L{},{ty}", fx + 10, fy + NODE_H, tx + NODE_W - 10),
            (tx + NODE_W + 40, fy + NODE_H + 26, "end"),
            false,
        )),
        (Phase::RefundRetried, Phase::CompensationFailed) => Some((
            format!("M{},{} L{},{}", fx + NODE_W, fy + 14, tx + 46, ty + NODE_H),
            (tx + 4, ty + NODE_H + 38, "start"),
            true,
        )),
        (Phase::RefundRetried, Phase::Refunded) => {
            let (x, y0, y1) = (ROUTE_X + 12, fy + NODE_H - 10, ty + NODE_H - 12);
            Some((
                format!(
                    "M{},{y0} L{x},{y0} L{x},{y1} L{},{y1}",
                    fx + NODE_W,
                    tx + NODE_W
                ),
                (x - 6, y0 + 16, "end"),
                false,
            ))
        }
        _ => None,
    }
}

fn key_of(phase: Phase) -> String {
    phase.name().replace([' ', ','], "-").replace("--", "-")
}

mod svg;
#[cfg(test)]
mod tests;
