use futures::executor::block_on;

use super::*;
use crate::app::scenario_catalog::{prepare, SCENARIOS};
use crate::app::views::fixture::{three_accounts_two_transfers, tid};
use crate::app::{Bank, Env, ReadModels};
use crate::domain::transfer::evolve;
use crate::domain::transfer_machine::transition_of;
use crate::domain::TransferState;
use crate::store::MemoryStore;

fn marks(d: &Diagram) -> Vec<(String, &'static str)> {
    d.edges
        .iter()
        .map(|e| (e.key.clone(), e.mark.word()))
        .collect()
}

fn edge<'a>(d: &'a Diagram, key: &str) -> &'a Edge {
    d.edges.iter().find(|e| e.key == key).unwrap()
}

fn node(d: &Diagram, phase: Phase) -> Mark {
    d.nodes.iter().find(|n| n.phase == phase).unwrap().mark
}

#[test]
fn every_phase_is_a_box_and_every_transition_an_arrow_inside_the_picture() {
    let models = three_accounts_two_transfers();
    let d = Diagram::of(&models.transfers[&tid("t1")], None);
    assert_eq!(d.nodes.len(), Phase::ALL.len());
    assert_eq!(d.edges.len(), TRANSITIONS.len());
    for (i, e) in d.edges.iter().enumerate() {
        assert!(
            d.edges[..i].iter().all(|o| o.key != e.key),
            "{} twice",
            e.key
        );
        assert_eq!(e.events, event_names(&TRANSITIONS[i]));
    }
    for (i, a) in d.nodes.iter().enumerate() {
        assert!(a.x >= 0 && a.y >= 0 && a.x + a.w <= d.width && a.y + a.h <= d.height);
        for b in &d.nodes[..i] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(apart, "{:?} overlaps {:?}", a.phase, b.phase);
        }
    }
    for e in &d.edges {
        // Each label line, at about 6 units a character, stays inside the picture.
        let (x, _, anchor) = e.label;
        let widest = e
            .lines
            .iter()
            .map(|l| l.chars().count() as i32 * 6)
            .max()
            .unwrap_or(0);
        let (left, right) = match anchor {
            "start" => (x, x + widest),
            "end" => (x - widest, x),
            _ => (x - widest / 2, x + widest / 2),
        };
        assert!(left >= 0 && right <= d.width, "{}: {left}..{right}", e.key);
        let (_, y, _) = e.label;
        let bottom = y + 12 * (e.lines.len() as i32 - 1);
        assert!(y >= 10 && bottom <= d.height, "{}: {y}..{bottom}", e.key);
    }
}

#[test]
fn a_completed_transfer_lights_completed_with_its_path_and_positions() {
    let models = three_accounts_two_transfers();
    let t1 = &models.transfers[&tid("t1")];
    let d = Diagram::of(t1, None);
    assert_eq!(d.current, Some(Phase::Completed));
    assert_eq!(node(&d, Phase::Completed), Mark::Current);
    assert_eq!(node(&d, Phase::Initiated), Mark::Taken);
    assert_eq!(node(&d, Phase::CreditRejected), Mark::Idle);
    let debited = edge(&d, "initiated-debited");
    assert_eq!(debited.mark, Mark::Taken);
    assert_eq!(debited.positions.len(), 1);
    assert_eq!(
        debited.lines.last(),
        Some(&format!("#{}", debited.positions[0]))
    );
    assert_eq!(edge(&d, "debited-completed").mark, Mark::Taken);
    assert!(marks(&d)
        .iter()
        .filter(|(k, _)| k != "initiated-debited" && k != "debited-completed")
        .all(|(_, m)| *m == "idle"));
    let path: Vec<_> = d.path.iter().map(|(p, _)| *p).collect();
    assert_eq!(path, [Phase::Initiated, Phase::Debited, Phase::Completed]);
    assert_eq!(
        d.words(),
        [
            "Now: completed.".to_owned(),
            format!(
                "Path taken: initiated (#{}) → debited (#{}) → completed (#{}).",
                d.path[0].1, d.path[1].1, d.path[2].1
            ),
            "The saga has ended.".to_owned(),
        ]
    );
}

#[test]
fn as_of_its_debit_the_rest_is_ahead_and_the_compensation_branch_shows() {
    let models = three_accounts_two_transfers();
    let t1 = &models.transfers[&tid("t1")];
    let debit = edge(&Diagram::of(t1, None), "initiated-debited").positions[0];
    let d = Diagram::of(t1, Some(debit));
    assert_eq!(d.current, Some(Phase::Debited));
    assert_eq!(node(&d, Phase::Completed), Mark::Ahead);
    assert_eq!(node(&d, Phase::CreditRejected), Mark::Branch);
    assert_eq!(node(&d, Phase::Refunded), Mark::Branch);
    assert_eq!(node(&d, Phase::Failed), Mark::Idle);
    assert_eq!(edge(&d, "debited-completed").mark, Mark::Ahead);
    assert_eq!(edge(&d, "debited-credit-rejected").mark, Mark::Branch);
    assert_eq!(
        edge(&d, "credit-rejected-failed-refunded").mark,
        Mark::Branch
    );
    assert_eq!(edge(&d, "debited-retry").mark, Mark::Branch);
    assert_eq!(edge(&d, "initiated-failed-no-refund").mark, Mark::Idle);
    assert!(d.words()[2]
        .starts_with("Can go next to: completed (TransferCompleted) or credit rejected"));
    assert_eq!(Diagram::of(t1, Some(0)).words(), ["Not started yet."]);
}

/// Every scenario of the page, its teaching transfer stepped to its end.
fn every_scenario() -> Vec<ReadModels> {
    SCENARIOS
        .iter()
        .map(|s| {
            let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("v"))).unwrap();
            if let Some(id) = block_on(prepare(&bank, s)).unwrap() {
                while !bank.read(|m| m.transfers[&id].state.is_terminal()) {
                    block_on(bank.step(&id)).unwrap();
                }
            }
            bank.read(Clone::clone)
        })
        .collect()
}

#[test]
fn every_move_of_every_scenario_is_in_the_table_and_the_diagram_follows_it() {
    let mut seen = Vec::new();
    for models in every_scenario() {
        let mut state: std::collections::BTreeMap<String, TransferState> = Default::default();
        for recorded in &models.audit {
            if !recorded.stream.starts_with("transfer-") {
                continue;
            }
            let before = state.remove(&recorded.stream).unwrap_or_default();
            let from = before.phase();
            let after = evolve(before, &recorded.event);
            if let (Some(from), Some(to)) = (from, after.phase()) {
                let i = transition_of(from, recorded.event.ty(), to);
                assert!(
                    i.is_some(),
                    "{from:?} --{}--> {to:?} is not drawn",
                    recorded.event_type()
                );
                seen.extend(i);
            }
            state.insert(recorded.stream.clone(), after);
        }
        for (id, view) in &models.transfers {
            for entry in &view.timeline {
                let then = models.as_of(entry.position);
                let d = Diagram::of(view, Some(entry.position));
                assert_eq!(
                    d.current,
                    then.transfers[id].state.phase(),
                    "{id} as of #{}",
                    entry.position
                );
            }
            assert_eq!(Diagram::of(view, None).current, view.state.phase());
        }
    }
    // The scenarios take the happy path, the failed debit, the refund and the retries.
    let d = Diagram::of(&three_accounts_two_transfers().transfers[&tid("t1")], None);
    for key in [
        "initiated-debited",
        "initiated-failed-no-refund",
        "credit-rejected-failed-refunded",
        "debited-retry",
        "credit-rejected-compensation-failed",
    ] {
        let i = d.edges.iter().position(|e| e.key == key).unwrap();
        assert!(seen.contains(&i), "{key} is never taken by a scenario");
    }
}

#[test]
fn the_svg_draws_every_box_and_links_only_the_arrows_taken() {
    let models = three_accounts_two_transfers();
    let d = Diagram::of(&models.transfers[&tid("t1")], None);
    let debit = edge(&d, "initiated-debited").positions[0];
    let svg = d.svg(true, Some(debit));
    for phase in Phase::ALL {
        assert!(
            svg.contains(&format!("data-phase=\"{}\"", phase.name())),
            "{phase:?}"
        );
    }
    assert_eq!(svg.matches("role=\"link\"").count(), 2);
    assert!(svg.contains(&format!("data-position=\"{debit}\"")));
    assert_eq!(svg.matches("saga-diagram__arrow--selected").count(), 1);
    assert_eq!(
        svg.matches("<g ").count(),
        Phase::ALL.len() + TRANSITIONS.len()
    );
    let embedded = d.svg(false, None);
    assert_eq!(embedded.matches("role=\"link\"").count(), 0);
    assert!(!embedded.contains("data-position"));
}

#[test]
fn a_transfer_that_needs_attention_shows_the_operators_fix_ahead_and_then_takes_it() {
    let bank = block_on(Bank::open(MemoryStore::new(), Env::fixed("v"))).unwrap();
    let scenario = crate::app::scenario_catalog::find("needs-attention").unwrap();
    let id = block_on(prepare(&bank, scenario)).unwrap().unwrap();
    block_on(bank.run_transfer(&id)).unwrap();
    let d = bank.read(|m| Diagram::of(&m.transfers[&id], None));
    assert_eq!(d.current, Some(Phase::CompensationFailed));
    let fix = edge(&d, "compensation-failed-retried-by-operator");
    assert_eq!(fix.mark, Mark::Branch);
    assert_eq!(fix.events, ["TransferRefundRetried"]);
    assert_eq!(node(&d, Phase::RefundRetried), Mark::Branch);
    assert_eq!(
        d.words()[2],
        "Can go next to: retried by operator (TransferRefundRetried)."
    );
    let from = d
        .nodes
        .iter()
        .find(|n| n.phase == Phase::CompensationFailed)
        .unwrap();
    let to = d
        .nodes
        .iter()
        .find(|n| n.phase == Phase::RefundRetried)
        .unwrap();
    // Down from the bottom of "compensation failed" to the top of the retry's box,
    // its label between the two rows.
    assert!(
        fix.d
            .starts_with(&format!("M{},{}", from.x + 10, from.y + from.h)),
        "{}",
        fix.d
    );
    assert!(fix.d.ends_with(&format!(",{}", to.y)), "{}", fix.d);
    assert!(fix.label.1 > from.y + from.h && fix.label.1 < to.y);

    let savings = crate::domain::AccountId::parse("alice-savings").unwrap();
    block_on(bank.retry_refund(&id, &savings, "alice was closed")).unwrap();
    block_on(bank.run_transfer(&id)).unwrap();
    let d = bank.read(|m| Diagram::of(&m.transfers[&id], None));
    assert_eq!(d.current, Some(Phase::Refunded));
    let path: Vec<_> = d.path.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        path,
        [
            Phase::Initiated,
            Phase::Debited,
            Phase::CreditRejected,
            Phase::CompensationFailed,
            Phase::RefundRetried,
            Phase::Refunded
        ]
    );
    assert_eq!(
        edge(&d, "compensation-failed-retried-by-operator").mark,
        Mark::Taken
    );
    assert_eq!(
        edge(&d, "retried-by-operator-failed-refunded").mark,
        Mark::Taken
    );
}
