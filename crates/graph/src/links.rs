//! Every chain of relationships that linked two entities, with the window in
//! which the whole chain held.

use crate::projection::{Edge, Projection};
use interlock_model::time::{Certainty, DateRange, Interval};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

/// When to ask whether a chain held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Ever: a chain counts if its links may all have held at one time.
    Ever,
    /// At some time during this window (a single day is a one-day window).
    During(DateRange),
}

impl When {
    /// The window asked about, if any.
    pub fn window(self) -> Option<DateRange> {
        match self {
            When::Ever => None,
            When::During(w) => Some(w),
        }
    }
}

/// One relationship along a chain, in the direction the chain walks it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Step {
    /// Where the step starts (entity id).
    pub from: String,
    /// Where it arrives (entity id).
    pub to: String,
    /// Whether the relationship runs from `from` to `to` (else it is walked backwards).
    pub forward: bool,
    /// The relationship's time in words (`at least 2011 to 2019`, `from
    /// 2013-08, end unknown`); `null`: the date is unknown.
    pub when: Option<String>,
    /// The relationship.
    #[serde(flatten)]
    pub relationship: Edge,
}

/// The window in which every link of a chain held.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Window {
    /// The first day all may have held (null: unbounded).
    pub possibly_from: Option<String>,
    /// The last day all may have held (null: unbounded).
    pub possibly_to: Option<String>,
    /// The span in which all certainly held, when there is one (null: none, or unbounded).
    pub definitely_from: Option<String>,
    /// See `definitely_from`.
    pub definitely_to: Option<String>,
}

impl Window {
    /// The window of an interval.
    pub fn of(interval: &Interval) -> Window {
        let possible = interval.possible_span();
        let definite = interval.definite_span();
        let show = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        Window {
            possibly_from: show(possible.earliest_bound()),
            possibly_to: show(possible.latest_bound()),
            definitely_from: show(definite.and_then(|d| d.earliest_bound())),
            definitely_to: show(definite.and_then(|d| d.latest_bound())),
        }
    }
}

/// A chain of relationships linking two entities.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Link {
    /// The entities along the chain, ids, from the first to the last.
    pub path: Vec<String>,
    /// Their English labels, in the same order.
    pub labels: Vec<String>,
    /// The relationships, in order.
    pub steps: Vec<Step>,
    /// When the whole chain held.
    pub window: Window,
    /// Whether it held, at the time asked about (or ever).
    pub certainty: Certainty,
    #[serde(skip)]
    interval: Interval,
}

/// Whether something over `interval` held during `when` (or ever).
pub(crate) fn certainty(interval: &Interval, when: When) -> Certainty {
    match when {
        When::Ever if interval.surely_nonempty() => Certainty::Definitely,
        When::Ever => Certainty::Possibly,
        When::During(w) => interval.during(&w),
    }
}

/// Every simple chain of at most `max_hops` relationships between `a` and
/// `b`, walked in either direction, whose links can all have held at one
/// time (during `when`); the surest first (definitely before possibly),
/// then the shortest, then by start: the order every surface shows.
pub fn links_between(
    projection: &Projection,
    a: NodeIndex,
    b: NodeIndex,
    max_hops: usize,
    when: When,
) -> Vec<Link> {
    let mut found = Vec::new();
    let mut nodes = vec![a];
    let mut edges: Vec<EdgeIndex> = Vec::new();
    walk(
        projection, b, max_hops, when, &mut nodes, &mut edges, None, &mut found,
    );
    found.sort_by(|x, y| {
        y.certainty
            .cmp(&x.certainty)
            .then(x.steps.len().cmp(&y.steps.len()))
            .then(x.interval.start.earliest.cmp(&y.interval.start.earliest))
            .then(x.interval.start.latest.cmp(&y.interval.start.latest))
            .then_with(|| {
                let ids = |l: &Link| {
                    l.steps
                        .iter()
                        .map(|s| s.relationship.id.clone())
                        .collect::<Vec<_>>()
                };
                ids(x).cmp(&ids(y))
            })
    });
    found
}

#[allow(
    clippy::too_many_arguments,
    reason = "the walk's state, passed down each recursion"
)]
fn walk(
    p: &Projection,
    target: NodeIndex,
    max_hops: usize,
    when: When,
    nodes: &mut Vec<NodeIndex>,
    edges: &mut Vec<EdgeIndex>,
    joint: Option<Interval>,
    found: &mut Vec<Link>,
) {
    let here = *nodes.last().expect("a chain starts somewhere");
    if edges.len() == max_hops {
        return;
    }
    let outgoing = p.graph.edges(here).map(|e| (e.id(), e.target()));
    let incoming = p
        .graph
        .edges_directed(here, petgraph::Direction::Incoming)
        .map(|e| (e.id(), e.source()));
    let next: Vec<(EdgeIndex, NodeIndex)> = outgoing.chain(incoming).collect();
    for (edge, other) in next {
        if other == here || nodes.contains(&other) {
            continue;
        }
        let interval = p.graph[edge].interval;
        let Some(joint) = (match joint {
            None => Some(interval),
            Some(j) => j.intersect(&interval),
        }) else {
            continue;
        };
        // Adding links never makes a chain surer, so prune as soon as it cannot hold.
        if certainty(&joint, when) == Certainty::No {
            continue;
        }
        nodes.push(other);
        edges.push(edge);
        if other == target {
            found.push(link(p, nodes, edges, joint, when));
        } else {
            walk(p, target, max_hops, when, nodes, edges, Some(joint), found);
        }
        nodes.pop();
        edges.pop();
    }
}

fn link(
    p: &Projection,
    nodes: &[NodeIndex],
    edges: &[EdgeIndex],
    joint: Interval,
    when: When,
) -> Link {
    let steps = edges
        .iter()
        .zip(nodes.windows(2))
        .map(|(e, pair)| {
            let (source, _) = p.graph.edge_endpoints(*e).expect("the edge exists");
            Step {
                from: p.graph[pair[0]].id.clone(),
                to: p.graph[pair[1]].id.clone(),
                forward: source == pair[0],
                when: p.graph[*e]
                    .time
                    .as_deref()
                    .and_then(|t| interlock_model::time::Edtf::parse(t).ok())
                    .map(|t| t.describe()),
                relationship: p.graph[*e].clone(),
            }
        })
        .collect();
    Link {
        path: nodes.iter().map(|n| p.graph[*n].id.clone()).collect(),
        labels: nodes.iter().map(|n| p.graph[*n].label.clone()).collect(),
        steps,
        window: Window::of(&joint),
        certainty: certainty(&joint, when),
        interval: joint,
    }
}
