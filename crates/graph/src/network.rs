//! A readable piece of the network: the neighbourhood of one entity (or,
//! with none given, the most connected entities), never more nodes than
//! asked for, so a page can draw it on a store of a million entities.

use crate::links::{When, certainty};
use crate::projection::{Merged, Projection};
use interlock_model::time::Certainty;
use interlock_model::{ClaimStatus, RelationshipKind};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::{HashMap, HashSet, VecDeque};

/// An entity of the drawn network.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct NetworkNode {
    /// Its id.
    pub id: String,
    /// Its English label, or its id.
    pub label: String,
    /// Its kind's ontology term.
    pub kind: String,
    /// How many relationships it has in the whole network asked about (not only the drawn part).
    pub degree: usize,
    /// How many relationships away from the centre it is (0: the centre).
    pub hops: usize,
    /// The other entities merged into it (their datasets name the same
    /// one); absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<Merged>,
}

/// A relationship of the drawn network.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct NetworkEdge {
    /// The relationship's id.
    pub id: String,
    /// Its subject's id.
    pub source: String,
    /// Its object's id.
    pub target: String,
    /// What kind of tie it is.
    pub kind: RelationshipKind,
    /// Its English label.
    pub label: Option<String>,
    /// How sure the sources are.
    pub status: ClaimStatus,
    /// Whether it held at the time asked about (or ever): definitely or possibly.
    pub certainty: Certainty,
    /// Its time as written (EDTF).
    pub time: Option<String>,
    /// Its time in words (`at least 2011 to 2019`), as the entity page says it.
    pub when: Option<String>,
}

/// The drawn part of the network.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Network {
    /// The entities drawn, the centre (or the most connected) first.
    pub nodes: Vec<NetworkNode>,
    /// Every relationship between two drawn entities.
    pub edges: Vec<NetworkEdge>,
    /// How many entities the neighbourhood (or the network) has in all;
    /// more than `nodes` when the answer was cut at its limit.
    pub total: usize,
}

/// At most `limit` entities within `hops` relationships of `centre` (the
/// closest first, and among equally close the most connected), or, without
/// a centre, around the most connected entity of the largest group of
/// connected entities (at any distance); with every relationship among
/// them and whether it held during `when`.
pub fn neighbourhood(
    projection: &Projection,
    centre: Option<NodeIndex>,
    hops: usize,
    limit: usize,
    when: When,
) -> Network {
    let g = &projection.graph;
    let degree = |n: NodeIndex| {
        g.edges_directed(n, petgraph::Direction::Outgoing).count()
            + g.edges_directed(n, petgraph::Direction::Incoming).count()
    };
    // Without a centre, the most connected entity of the largest group of
    // connected entities is one: the drawing opens on ties, never on a
    // grid of the network's most connected but unconnected entities.
    let (start, reach) = match centre {
        Some(c) => (Some(c), hops),
        None => (hub(g, degree), usize::MAX),
    };
    // Every entity in reach, with its distance, in breadth-first order.
    let (mut order, distance) = match start {
        Some(c) => breadth_first(g, c, reach),
        None => (Vec::new(), HashMap::new()),
    };
    let total = match centre {
        Some(_) => order.len(),
        None => g.node_count(),
    };
    // Keyed once per entity: without a centre, every entity is sorted.
    order.sort_by_cached_key(|n| (distance[n], std::cmp::Reverse(degree(*n)), g[*n].id.clone()));
    order.truncate(limit);
    let drawn: HashSet<NodeIndex> = order.iter().copied().collect();
    let nodes = order
        .iter()
        .map(|n| NetworkNode {
            id: g[*n].id.clone(),
            label: g[*n].label.clone(),
            kind: g[*n].kind.clone(),
            degree: degree(*n),
            hops: distance[n],
            merged: g[*n].merged.clone(),
        })
        .collect();
    let mut edges: Vec<NetworkEdge> = order
        .iter()
        .flat_map(|n| g.edges(*n))
        .filter(|e| drawn.contains(&e.target()))
        .map(|e| {
            let r = e.weight();
            NetworkEdge {
                id: r.id.clone(),
                source: g[e.source()].id.clone(),
                target: g[e.target()].id.clone(),
                kind: r.kind,
                label: r.label.clone(),
                status: r.status,
                certainty: certainty(&r.interval, when),
                time: r.time.clone(),
                when: r
                    .time
                    .as_deref()
                    .and_then(|t| interlock_model::time::Edtf::parse(t).ok())
                    .map(|t| t.describe()),
            }
        })
        .collect();
    edges.sort_by(|a, b| a.id.cmp(&b.id));
    Network {
        nodes,
        edges,
        total,
    }
}

type Graph = petgraph::graph::DiGraph<crate::projection::Node, crate::projection::Edge>;

/// Every entity within `hops` of `centre`, in breadth-first order, with its distance.
fn breadth_first(
    g: &Graph,
    centre: NodeIndex,
    hops: usize,
) -> (Vec<NodeIndex>, HashMap<NodeIndex, usize>) {
    let mut order = Vec::new();
    let mut distance = HashMap::from([(centre, 0)]);
    let mut queue = VecDeque::from([centre]);
    while let Some(n) = queue.pop_front() {
        order.push(n);
        let d = distance[&n];
        if d == hops {
            continue;
        }
        for m in g.neighbors_undirected(n) {
            if let std::collections::hash_map::Entry::Vacant(v) = distance.entry(m) {
                v.insert(d + 1);
                queue.push_back(m);
            }
        }
    }
    (order, distance)
}

/// The most connected entity of the largest group of connected entities
/// (ties of the largest group broken by the smallest id, so the same store
/// opens on the same entity); `None` for an empty network.
fn hub(g: &Graph, degree: impl Fn(NodeIndex) -> usize) -> Option<NodeIndex> {
    let mut sets = petgraph::unionfind::UnionFind::<usize>::new(g.node_count());
    for e in g.edge_references() {
        sets.union(e.source().index(), e.target().index());
    }
    let mut size: HashMap<usize, usize> = HashMap::new();
    for n in g.node_indices() {
        *size.entry(sets.find(n.index())).or_default() += 1;
    }
    g.node_indices().max_by(|a, b| {
        let key = |n: &NodeIndex| (size[&sets.find(n.index())], degree(*n));
        key(a).cmp(&key(b)).then_with(|| g[*b].id.cmp(&g[*a].id))
    })
}
