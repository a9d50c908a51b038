//! Time-respecting reachability: the earliest day each entity can be
//! reached from a start along chains whose links are taken in time order
//! (Wu et al., "Path Problems in Temporal Graphs", VLDB 2014).
//!
//! A tie can be taken at any day it may have held (from its earliest
//! possible start to its latest possible end), in either direction, and
//! taking it costs no time: arriving on day t, a tie that ends on or after t
//! leads on at max(t, its start). Earliest arrival is then a Dijkstra-like
//! search on arrival days.

use crate::projection::Projection;
use chrono::NaiveDate;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// How an entity is first reached.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Arrival {
    /// The entity reached.
    pub id: String,
    /// The earliest day it can be reached (null: already at the start, with no date given).
    pub earliest: Option<String>,
    /// How many ties the chain takes.
    pub hops: usize,
    /// The entity it is reached from, and the relationship taken.
    pub via: Option<(String, String)>,
}

/// The earliest arrival at every entity reachable from `start`, leaving on
/// `from` (or at any time), sorted by arrival, then hops, then id.
pub fn reach(projection: &Projection, start: NodeIndex, from: Option<NaiveDate>) -> Vec<Arrival> {
    let g = &projection.graph;
    let n = g.node_count();
    let begin = from.unwrap_or(NaiveDate::MIN);
    let mut best: Vec<Option<(NaiveDate, usize)>> = vec![None; n];
    let mut via: Vec<Option<(NodeIndex, usize)>> = vec![None; n];
    let mut queue = BinaryHeap::new();
    best[start.index()] = Some((begin, 0));
    queue.push(Reverse((begin, 0usize, start.index())));
    while let Some(Reverse((t, hops, u))) = queue.pop() {
        if best[u] != Some((t, hops)) {
            continue;
        }
        let u = NodeIndex::new(u);
        let incident = g.edges(u).map(|e| (e.id(), e.target())).chain(
            g.edges_directed(u, petgraph::Direction::Incoming)
                .map(|e| (e.id(), e.source())),
        );
        for (edge, v) in incident {
            let span = g[edge].interval.possible_span();
            if span.latest < t {
                continue;
            }
            let depart = t.max(span.earliest);
            let candidate = (depart, hops + 1);
            if best[v.index()].is_none_or(|b| candidate < b) {
                best[v.index()] = Some(candidate);
                via[v.index()] = Some((u, edge.index()));
                queue.push(Reverse((depart, hops + 1, v.index())));
            }
        }
    }
    let mut out: Vec<Arrival> = g
        .node_indices()
        .filter_map(|v| {
            let (t, hops) = best[v.index()]?;
            Some(Arrival {
                id: g[v].id.clone(),
                earliest: (t != NaiveDate::MIN).then(|| t.to_string()),
                hops,
                via: via[v.index()].map(|(u, e)| {
                    (
                        g[u].id.clone(),
                        g[petgraph::graph::EdgeIndex::new(e)].id.clone(),
                    )
                }),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.earliest.is_some(), &a.earliest, a.hops, &a.id).cmp(&(
            b.earliest.is_some(),
            &b.earliest,
            b.hops,
            &b.id,
        ))
    });
    out
}
