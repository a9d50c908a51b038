//! The graph year by year: how many entities were tied, by how many
//! relationships, in how many separate clusters, and how dense it was.

use crate::projection::Projection;
use chrono::{Datelike, NaiveDate};
use interlock_model::Certainty;
use interlock_model::time::DateRange;
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use std::collections::HashSet;

/// The graph of one year: the relationships that held (at least possibly)
/// at some time in it, and the entities they tie.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct YearStats {
    /// The calendar year.
    pub year: i32,
    /// Entities with at least one relationship that year.
    pub nodes: usize,
    /// Relationships that held, at least possibly, at some time that year.
    pub edges: usize,
    /// Of those, the ones that certainly held at some time that year.
    pub definite_edges: usize,
    /// Weakly connected components among those entities.
    pub components: usize,
    /// Tied pairs over possible pairs, ties taken undirected and once per
    /// pair (networkx's `density` of the simple undirected graph); 0 below two nodes.
    pub density: f64,
}

/// The years that some bounded date of the projection falls in, first to last.
pub fn years(projection: &Projection) -> Option<(i32, i32)> {
    let mut span: Option<(i32, i32)> = None;
    for e in projection.graph.edge_weights() {
        let i = &e.interval;
        for d in [
            i.start.earliest,
            i.start.latest,
            i.end.earliest,
            i.end.latest,
        ] {
            if d == NaiveDate::MIN || d == NaiveDate::MAX {
                continue;
            }
            let y = d.year();
            span = Some(span.map_or((y, y), |(a, b)| (a.min(y), b.max(y))));
        }
    }
    span
}

/// Figures for every year from `first` to `last` (both included; none when
/// `last` is before `first`).
///
/// Years before the first bounded date of the projection all look alike
/// (every bound compares the same way with each of them), and so do the
/// years after the last: each side is computed once, so any span costs no
/// more than the years the data covers.
pub fn stats(projection: &Projection, first: i32, last: i32) -> Vec<YearStats> {
    let dated = years(projection);
    let mut before: Option<YearStats> = None;
    let mut after: Option<YearStats> = None;
    let mut out = Vec::new();
    for year in first..=last {
        let alike = match dated {
            None => &mut before,
            Some((a, _)) if year < a => &mut before,
            Some((_, b)) if year > b => &mut after,
            Some(_) => {
                out.extend(one_year(projection, year));
                continue;
            }
        };
        if let Some(seen) = alike {
            out.push(YearStats {
                year,
                ..seen.clone()
            });
        } else if let Some(computed) = one_year(projection, year) {
            *alike = Some(computed.clone());
            out.push(computed);
        }
    }
    out
}

fn one_year(projection: &Projection, year: i32) -> Option<YearStats> {
    let window = DateRange::new(
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    )?;
    Some(year_stats(projection, year, &window))
}

fn year_stats(projection: &Projection, year: i32, window: &DateRange) -> YearStats {
    let g = &projection.graph;
    let mut touched = vec![false; g.node_count()];
    let mut clusters = UnionFind::<usize>::new(g.node_count());
    let mut pairs = HashSet::new();
    let (mut edges, mut definite_edges) = (0, 0);
    for e in g.edge_references() {
        let certainty = e.weight().interval.during(window);
        if certainty == Certainty::No {
            continue;
        }
        edges += 1;
        if certainty == Certainty::Definitely {
            definite_edges += 1;
        }
        let (a, b) = (e.source().index(), e.target().index());
        touched[a] = true;
        touched[b] = true;
        clusters.union(a, b);
        pairs.insert((a.min(b), a.max(b)));
    }
    let nodes = touched.iter().filter(|t| **t).count();
    let components = (0..g.node_count())
        .filter(|&n| touched[n])
        .map(|n| clusters.find(n))
        .collect::<HashSet<_>>()
        .len();
    let density = if nodes < 2 {
        0.0
    } else {
        pairs.len() as f64 / (nodes as f64 * (nodes as f64 - 1.0) / 2.0)
    };
    YearStats {
        year,
        nodes,
        edges,
        definite_edges,
        components,
        density,
    }
}
