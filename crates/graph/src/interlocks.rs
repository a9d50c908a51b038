//! Board interlocks in time: people who held positions at two organizations
//! at overlapping times.

use crate::links::Window;
use crate::projection::Projection;
use interlock_model::time::{Certainty, DateRange};
use petgraph::visit::EdgeRef;

/// One person linking two organizations through positions that overlapped.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Interlock {
    /// The person (entity id) holding both positions.
    pub through: String,
    /// The person's name.
    pub through_label: String,
    /// The first organization (entity id; the pair is ordered by id).
    pub a: String,
    /// Its name.
    pub a_label: String,
    /// The second organization.
    pub b: String,
    /// Its name.
    pub b_label: String,
    /// The position at `a` (relationship id).
    pub position_a: String,
    /// The position at `b`.
    pub position_b: String,
    /// When both positions held.
    pub window: Window,
    /// Whether they overlapped (during the window asked about, if any).
    pub certainty: Certainty,
}

/// Every interlock: pairs of positions (board seats, executive roles,
/// employment) of one entity at two different organizations whose terms
/// overlapped, at least possibly (during `window`, when given). Seats that
/// never overlapped are no interlock. Sorted by person, then organizations.
pub fn interlocks(projection: &Projection, window: Option<DateRange>) -> Vec<Interlock> {
    let g = &projection.graph;
    let mut out = Vec::new();
    for person in g.node_indices() {
        let positions: Vec<_> = g
            .edges(person)
            .filter(|e| e.weight().kind.is_position() && e.target() != person)
            .collect();
        for (i, x) in positions.iter().enumerate() {
            for y in &positions[i + 1..] {
                if x.target() == y.target() {
                    continue;
                }
                let Some(joint) = x.weight().interval.intersect(&y.weight().interval) else {
                    continue;
                };
                let certainty = match &window {
                    Some(w) => joint.during(w),
                    None if joint.surely_nonempty() => Certainty::Definitely,
                    None => Certainty::Possibly,
                };
                if certainty == Certainty::No {
                    continue;
                }
                let (x, y) = if g[x.target()].id <= g[y.target()].id {
                    (x, y)
                } else {
                    (y, x)
                };
                out.push(Interlock {
                    through: g[person].id.clone(),
                    through_label: g[person].label.clone(),
                    a: g[x.target()].id.clone(),
                    a_label: g[x.target()].label.clone(),
                    b: g[y.target()].id.clone(),
                    b_label: g[y.target()].label.clone(),
                    position_a: x.weight().id.clone(),
                    position_b: y.weight().id.clone(),
                    window: Window::of(&joint),
                    certainty,
                });
            }
        }
    }
    out.sort_by(|p, q| {
        (&p.through, &p.a, &p.b, &p.position_a).cmp(&(&q.through, &q.a, &q.b, &q.position_a))
    });
    out
}
