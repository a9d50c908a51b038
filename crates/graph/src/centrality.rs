//! Who is central: degree, betweenness, closeness (rustworkx-core) and
//! PageRank on the entities and the ties between them.
//!
//! Centrality is about who is tied to whom, not how often or which way: the
//! measures run on the simple undirected graph with an edge wherever at
//! least one relationship (kept by the projection's filter) ties two
//! entities. They match networkx's `degree_centrality`,
//! `betweenness_centrality` (normalized, endpoints excluded),
//! `closeness_centrality` (Wasserman–Faust) and `pagerank` (alpha 0.85).

use crate::projection::Projection;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use std::collections::HashSet;

/// A centrality measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Share of the other entities tied directly.
    Degree,
    /// Share of shortest paths between other entities that pass through.
    Betweenness,
    /// Inverse mean distance to the entities reachable (Wasserman–Faust).
    Closeness,
    /// PageRank with damping 0.85.
    PageRank,
}

/// One entity's score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Score {
    /// Entity id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its kind's ontology term (`Person`, `Company`, …).
    pub kind: String,
    /// The score.
    pub score: f64,
}

/// The simple undirected graph of ties, node indices as in the projection.
fn ties(projection: &Projection) -> UnGraph<(), ()> {
    let g = &projection.graph;
    let mut out = UnGraph::with_capacity(g.node_count(), g.edge_count());
    for _ in g.node_indices() {
        out.add_node(());
    }
    let mut seen = HashSet::new();
    for e in g.edge_references() {
        let (a, b) = (e.source().index(), e.target().index());
        if a == b || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        out.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
    }
    out
}

/// PageRank by power iteration, as networkx computes it: dangling entities
/// spread their rank evenly; stops when the total change is below n·1e-12.
fn page_rank(graph: &UnGraph<(), ()>, alpha: f64) -> Vec<f64> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let degree: Vec<f64> = graph
        .node_indices()
        .map(|v| graph.neighbors(v).count() as f64)
        .collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..10_000 {
        let dangling: f64 = (0..n).filter(|&v| degree[v] == 0.0).map(|v| rank[v]).sum();
        let base = (1.0 - alpha) / n as f64 + alpha * dangling / n as f64;
        let mut next = vec![base; n];
        for v in graph.node_indices() {
            let share = alpha * rank[v.index()] / degree[v.index()];
            if degree[v.index()] > 0.0 {
                for w in graph.neighbors(v) {
                    next[w.index()] += share;
                }
            }
        }
        let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if change < n as f64 * 1e-12 {
            break;
        }
    }
    rank
}

/// Every entity's score on `measure`, highest first (ties by id).
pub fn centrality(projection: &Projection, measure: Measure) -> Vec<Score> {
    let graph = ties(projection);
    let values: Vec<f64> = match measure {
        Measure::Degree => rustworkx_core::centrality::degree_centrality(&graph, None),
        Measure::Betweenness => {
            rustworkx_core::centrality::betweenness_centrality(&graph, false, true, 50)
                .into_iter()
                .map(|v| v.unwrap_or(0.0))
                .collect()
        }
        Measure::Closeness => rustworkx_core::centrality::closeness_centrality(&graph, true, 50)
            .into_iter()
            .map(|v| v.unwrap_or(0.0))
            .collect(),
        Measure::PageRank => page_rank(&graph, 0.85),
    };
    let mut scores: Vec<Score> = projection
        .graph
        .node_indices()
        .map(|n| Score {
            id: projection.graph[n].id.clone(),
            kind: projection.graph[n].kind.clone(),
            label: projection.graph[n].label.clone(),
            score: values[n.index()],
        })
        .collect();
    scores.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    scores
}
