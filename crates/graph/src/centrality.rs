//! Who is central: degree (rustworkx-core), betweenness and closeness
//! (`shortest_paths.rs`) and PageRank on the entities and the ties between them.
//!
//! Centrality is about who is tied to whom, not how often or which way: the
//! measures run on the simple undirected graph with an edge wherever at
//! least one relationship (kept by the projection's filter) ties two
//! entities. They match networkx's `degree_centrality`,
//! `betweenness_centrality` (normalized, endpoints excluded),
//! `closeness_centrality` (Wasserman–Faust) and `pagerank` (alpha 0.85).

use crate::projection::{Merged, Projection};
use crate::shortest_paths::{self, Rows};
use interlock_model::EntityKind;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

crate::names::named! {
    /// A centrality measure.
    Measure {
        /// Share of the other entities tied directly.
        Degree = "degree",
        /// Share of shortest paths between other entities that pass through.
        Betweenness = "betweenness",
        /// Inverse mean distance to the entities reachable (Wasserman–Faust).
        Closeness = "closeness",
        /// PageRank with damping 0.85.
        PageRank = "pagerank",
    }
}

/// One entity's score.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Score {
    /// Entity id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its kind's ontology term (`Person`, `Company`, …).
    pub kind: String,
    /// The score.
    pub score: f64,
    /// The other entities merged into it (their datasets name the same
    /// one); absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<Merged>,
}

/// The simple undirected graph of ties, node indices as in the projection.
fn ties(projection: &Projection) -> UnGraph<(), ()> {
    let g = &projection.graph;
    let mut pairs: Vec<(u32, u32)> = g
        .edge_references()
        .map(|e| (e.source().index() as u32, e.target().index() as u32))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.min(b), a.max(b)))
        .collect();
    // Sorted, so the graph is the same whatever order the edges came in.
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = UnGraph::with_capacity(g.node_count(), pairs.len());
    for _ in g.node_indices() {
        out.add_node(());
    }
    out.extend_with_edges(pairs);
    out
}

/// PageRank by power iteration, as networkx computes it: dangling entities
/// spread their rank evenly; stops when the total change is below n·1e-12.
/// On the neighbours laid out flat: each iteration is one pass over two arrays.
fn page_rank(rows: &Rows, alpha: f64) -> Vec<f64> {
    let n = rows.len();
    if n == 0 {
        return Vec::new();
    }
    let dangling: Vec<usize> = (0..n).filter(|&v| rows.of(v).is_empty()).collect();
    let mut rank = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..10_000 {
        let lost: f64 = dangling.iter().map(|&v| rank[v]).sum();
        let base = (1.0 - alpha) / n as f64 + alpha * lost / n as f64;
        next.fill(base);
        for (v, r) in rank.iter().enumerate() {
            let around = rows.of(v);
            if around.is_empty() {
                continue;
            }
            let share = alpha * r / around.len() as f64;
            for &w in around {
                next[w as usize] += share;
            }
        }
        let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < n as f64 * 1e-12 {
            break;
        }
    }
    rank
}

/// The `top` highest scores on `measure` (ties by id, then by place in the
/// projection), of entities of `kind` only when given (scores are computed
/// on the whole graph either way).
pub fn most_central(
    projection: &Projection,
    measure: Measure,
    kind: Option<EntityKind>,
    top: usize,
) -> Vec<Score> {
    let values = values(projection, measure);
    let g = &projection.graph;
    let node = |v: usize| &g[NodeIndex::new(v)];
    let mut chosen: Vec<usize> = (0..values.len())
        .filter(|&v| kind.is_none_or(|k| node(v).kind == k.term()))
        .collect();
    let order = |a: &usize, b: &usize| {
        values[*b]
            .total_cmp(&values[*a])
            .then_with(|| node(*a).id.cmp(&node(*b).id))
            .then(a.cmp(b))
    };
    // Only the first `top` are put in order: ranking 50,000 entities to
    // show 10 took longer than PageRank itself.
    if top < chosen.len() {
        chosen.select_nth_unstable_by(top, order);
        chosen.truncate(top);
    }
    chosen.sort_unstable_by(order);
    chosen
        .into_iter()
        .map(|v| Score {
            id: node(v).id.clone(),
            kind: node(v).kind.clone(),
            label: node(v).label.clone(),
            score: values[v],
            merged: node(v).merged.clone(),
        })
        .collect()
}

/// Every entity's score on `measure`, highest first (ties by id).
pub fn centrality(projection: &Projection, measure: Measure) -> Vec<Score> {
    most_central(projection, measure, None, usize::MAX)
}

/// Every entity's score on `measure`, by node index.
fn values(projection: &Projection, measure: Measure) -> Vec<f64> {
    let graph = ties(projection);
    let rows = || {
        Rows::new(graph.node_count(), |v| {
            graph.neighbors(NodeIndex::new(v)).map(|w| w.index())
        })
    };
    match measure {
        Measure::Degree => rustworkx_core::centrality::degree_centrality(&graph, None),
        Measure::Betweenness => shortest_paths::betweenness(&rows()),
        Measure::Closeness => shortest_paths::closeness(&rows()),
        Measure::PageRank => page_rank(&rows(), 0.85),
    }
}
