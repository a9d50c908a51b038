//! Property tests of chains on random small graphs: `links_between` finds
//! exactly the chains that can have held, and says "definitely" only when
//! every reading of every link's dates lets the whole chain hold.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

use chrono::{Days, NaiveDate};
use interlock_graph::{Edge, Node, Projection, When, links_between};
use interlock_model::time::{Certainty, DateRange, Interval};
use interlock_model::{ClaimStatus, RelationshipKind};
use petgraph::graph::{DiGraph, NodeIndex};
use proptest::prelude::*;

const NODES: usize = 5;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .checked_add_days(Days::new(offset))
        .unwrap()
}

/// An interval of day offsets whose start and end are each known to a range.
fn interval() -> impl Strategy<Value = Interval> {
    (0u64..200, 0u64..60, 0u64..200, 0u64..60).prop_filter_map(
        "end before start",
        |(s, sw, e, ew)| {
            Interval::new(
                DateRange::new(day(s), day(s + sw))?,
                DateRange::new(day(e), day(e + ew))?,
            )
        },
    )
}

fn ties() -> impl Strategy<Value = Vec<(usize, usize, Interval)>> {
    prop::collection::vec((0..NODES, 0..NODES, interval()), 0..10)
        .prop_map(|v| v.into_iter().filter(|(a, b, _)| a != b).collect())
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        Just(When::Ever),
        (0u64..260, 0u64..60)
            .prop_map(|(s, w)| When::During(DateRange::new(day(s), day(s + w)).unwrap())),
    ]
}

fn projection(ties: &[(usize, usize, Interval)]) -> Projection {
    let mut g = DiGraph::new();
    for i in 0..NODES {
        g.add_node(Node {
            iri: format!("urn:n{i}"),
            id: format!("n{i}"),
            kind: "Company".into(),
            label: format!("n{i}"),
            merged: Vec::new(),
        });
    }
    for (k, (a, b, interval)) in ties.iter().enumerate() {
        g.add_edge(
            NodeIndex::new(*a),
            NodeIndex::new(*b),
            Edge {
                id: format!("e{k}"),
                kind: RelationshipKind::Partnership,
                interval: *interval,
                time: None,
                status: ClaimStatus::Reported,
                label: None,
                role: None,
                evidence: Vec::new(),
                public_by: None,
            },
        );
    }
    Projection::from_graph(g)
}

/// Every simple chain of tie indices from `a` to `b`, ties walked either way.
fn all_chains(
    ties: &[(usize, usize, Interval)],
    a: usize,
    b: usize,
    max: usize,
) -> Vec<Vec<usize>> {
    fn go(
        ties: &[(usize, usize, Interval)],
        b: usize,
        max: usize,
        nodes: &mut Vec<usize>,
        chain: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        let here = *nodes.last().unwrap();
        if chain.len() == max {
            return;
        }
        for (k, (s, o, _)) in ties.iter().enumerate() {
            let next = if *s == here {
                *o
            } else if *o == here {
                *s
            } else {
                continue;
            };
            if nodes.contains(&next) {
                continue;
            }
            nodes.push(next);
            chain.push(k);
            if next == b {
                out.push(chain.clone());
            } else {
                go(ties, b, max, nodes, chain, out);
            }
            nodes.pop();
            chain.pop();
        }
    }
    let mut out = Vec::new();
    go(ties, b, max, &mut vec![a], &mut Vec::new(), &mut out);
    out
}

/// One concrete reading of an interval: a start day and an end day it allows.
fn reading(i: &Interval, seed: &mut u64) -> (NaiveDate, NaiveDate) {
    let mut pick = |lo: NaiveDate, hi: NaiveDate| {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let span = (hi - lo).num_days() as u64 + 1;
        lo + Days::new((*seed >> 33) % span)
    };
    let start = pick(i.start.earliest, i.start.latest);
    let end = pick(start.max(i.end.earliest), i.end.latest);
    (start, end)
}

/// Whether concrete day intervals share a day (within the window, if any).
fn held_together(days: &[(NaiveDate, NaiveDate)], when: When) -> bool {
    let mut first = days.iter().map(|d| d.0).max().unwrap();
    let mut last = days.iter().map(|d| d.1).min().unwrap();
    if let When::During(w) = when {
        first = first.max(w.earliest);
        last = last.min(w.latest);
    }
    first <= last
}

fn single(i: &Interval, when: When) -> Certainty {
    match when {
        When::Ever => Certainty::Definitely,
        When::During(w) => i.during(&w),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_chain_is_never_surer_than_its_weakest_link(ties in ties(), when in when(), hops in 1usize..4) {
        let p = projection(&ties);
        for link in links_between(&p, NodeIndex::new(0), NodeIndex::new(1), hops, when) {
            prop_assert!(link.certainty != Certainty::No);
            prop_assert!(link.steps.len() <= hops);
            let weakest = link
                .steps
                .iter()
                .map(|s| single(&s.relationship.interval, when))
                .min()
                .unwrap();
            prop_assert!(link.certainty <= weakest, "{:?} > {:?}", link.certainty, weakest);
            if link.steps.iter().any(|s| single(&s.relationship.interval, when) == Certainty::Possibly) {
                prop_assert_ne!(link.certainty, Certainty::Definitely);
            }
        }
    }

    #[test]
    fn links_are_exactly_the_chains_that_can_have_held(
        ties in ties(),
        when in when(),
        hops in 1usize..4,
        seed in any::<u64>(),
    ) {
        let p = projection(&ties);
        let found = links_between(&p, NodeIndex::new(0), NodeIndex::new(1), hops, when);
        let found_ids: Vec<Vec<String>> = found
            .iter()
            .map(|l| l.steps.iter().map(|s| s.relationship.id.clone()).collect())
            .collect();
        let mut seed = seed;
        for chain in all_chains(&ties, 0, 1, hops) {
            let ids: Vec<String> = chain.iter().map(|k| format!("e{k}")).collect();
            let position = found_ids.iter().position(|f| *f == ids);
            let samples: Vec<bool> = (0..40)
                .map(|_| {
                    let days: Vec<_> = chain.iter().map(|k| reading(&ties[*k].2, &mut seed)).collect();
                    held_together(&days, when)
                })
                .collect();
            match position {
                // Left out: no reading of the dates lets the chain hold.
                None => prop_assert!(samples.iter().all(|h| !h), "{ids:?} was left out but can hold"),
                // "Definitely": every reading does.
                Some(i) if found[i].certainty == Certainty::Definitely => {
                    prop_assert!(samples.iter().all(|h| *h), "{ids:?} is definite but a reading breaks it")
                }
                Some(_) => {}
            }
        }
        // Nothing is found twice, and nothing that is not a chain.
        let mut unique = found_ids.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), found_ids.len());
        prop_assert!(found_ids.len() <= all_chains(&ties, 0, 1, hops).len());
    }

    #[test]
    fn links_come_surest_then_shortest_first(ties in ties(), hops in 1usize..4) {
        let p = projection(&ties);
        let found = links_between(&p, NodeIndex::new(0), NodeIndex::new(1), hops, When::Ever);
        let ordered = found.windows(2).all(|w| {
            w[0].certainty > w[1].certainty
                || (w[0].certainty == w[1].certainty && w[0].steps.len() <= w[1].steps.len())
        });
        prop_assert!(ordered);
        for link in &found {
            prop_assert_eq!(link.path.first().map(String::as_str), Some("n0"));
            prop_assert_eq!(link.path.last().map(String::as_str), Some("n1"));
            prop_assert_eq!(link.path.len(), link.steps.len() + 1);
        }
    }
}
