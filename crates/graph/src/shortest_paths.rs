//! Betweenness and closeness: a breadth-first search from every entity over
//! the simple undirected graph of ties, laid out flat ([`Rows`]).
//!
//! rustworkx-core has both, and they are the reference these are tested
//! against, but neither fits here as it is: its betweenness adds each
//! source's share to the total under a lock in whatever order its threads
//! finish, so the last bits of a score (and the order of near ties) changed
//! from run to run, where interlock promises the same answer every time; its
//! closeness keeps each search's distances in a hash map, which was most of
//! its time (1.3 s for 5,000 entities, where networkx took 43 s: 33×). Here
//! each search reuses flat arrays, the sources are cut into a fixed number
//! of blocks (whatever the number of cores) that run in parallel, and the
//! blocks' sums are added in block order.

/// Into how many blocks the sources are cut: enough to keep every core busy,
/// few enough that a block's sums (one number per entity) stay small.
const BLOCKS: usize = 32;

/// A graph's neighbours laid out flat: those of `v` are
/// `neighbours[start[v]..start[v + 1]]`.
pub(crate) struct Rows {
    start: Vec<usize>,
    neighbours: Vec<u32>,
}

impl Rows {
    /// The rows of a graph of `n` nodes where `around(v)` lists the neighbours of `v`.
    pub fn new<I: Iterator<Item = usize>>(n: usize, around: impl Fn(usize) -> I) -> Rows {
        let mut start = Vec::with_capacity(n + 1);
        let mut neighbours = Vec::new();
        for v in 0..n {
            start.push(neighbours.len());
            neighbours.extend(around(v).map(|w| u32::try_from(w).expect("32-bit node indices")));
        }
        start.push(neighbours.len());
        Rows { start, neighbours }
    }

    /// How many nodes.
    pub fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// The neighbours of `v`.
    pub fn of(&self, v: usize) -> &[u32] {
        &self.neighbours[self.start[v]..self.start[v + 1]]
    }
}

/// One breadth-first search's arrays, reused from one source to the next.
struct Search {
    /// Hops from the source; `u32::MAX` where not reached.
    distance: Vec<u32>,
    /// Shortest paths from the source.
    paths: Vec<f64>,
    /// Each node's share of the source's paths through it (betweenness).
    share: Vec<f64>,
    /// The nodes reached, in the order reached.
    order: Vec<u32>,
}

impl Search {
    fn new(n: usize) -> Search {
        Search {
            distance: vec![u32::MAX; n],
            paths: vec![0.0; n],
            share: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }

    /// Searches from `source`, leaving `order` and `distance` filled, and
    /// `paths` when `PATHS` (closeness needs no paths).
    fn run<const PATHS: bool>(&mut self, rows: &Rows, source: usize) {
        // Borrowed apart, so that the loop keeps them in registers rather
        // than reading them through `self` at every step.
        let Search {
            distance,
            paths,
            share,
            order,
        } = self;
        for &v in order.iter() {
            distance[v as usize] = u32::MAX;
            paths[v as usize] = 0.0;
            share[v as usize] = 0.0;
        }
        order.clear();
        distance[source] = 0;
        paths[source] = 1.0;
        order.push(source as u32);
        let mut next = 0;
        while let Some(&v) = order.get(next) {
            next += 1;
            let v = v as usize;
            let (d, through) = (distance[v] + 1, paths[v]);
            for &w in rows.of(v) {
                let w = w as usize;
                if distance[w] == u32::MAX {
                    distance[w] = d;
                    order.push(w as u32);
                    if PATHS {
                        paths[w] = through;
                    }
                } else if PATHS && distance[w] == d {
                    paths[w] += through;
                }
            }
        }
    }
}

/// Runs `work` on every block of `0..n` (at most [`BLOCKS`], in order of
/// their first index) on every core, each with a [`Search`]; the results in
/// block order.
fn per_block<T: Send>(
    n: usize,
    work: impl Fn(std::ops::Range<usize>, &mut Search) -> T + Sync,
) -> Vec<T> {
    let size = n.div_ceil(BLOCKS).max(1);
    crate::parallel::map_in_order(
        n.div_ceil(size),
        || Search::new(n),
        |b, search| work(b * size..((b + 1) * size).min(n), search),
    )
}

/// Betweenness (Brandes), normalized by `(n - 1)(n - 2)`, endpoints
/// excluded: networkx's and rustworkx's `betweenness_centrality`.
pub(crate) fn betweenness(rows: &Rows) -> Vec<f64> {
    let n = rows.len();
    let sums = per_block(n, |sources, search| {
        let mut sum = vec![0.0; n];
        for s in sources {
            search.run::<true>(rows, s);
            // Back from the farthest: each node passes its share on to the
            // nodes one hop nearer the source, in proportion to their paths.
            for &w in search.order.iter().rev() {
                let w = w as usize;
                let factor = (1.0 + search.share[w]) / search.paths[w];
                let nearer = search.distance[w].wrapping_sub(1);
                for &v in rows.of(w) {
                    let v = v as usize;
                    if search.distance[v] == nearer {
                        search.share[v] += search.paths[v] * factor;
                    }
                }
                if w != s {
                    sum[w] += search.share[w];
                }
            }
        }
        sum
    });
    let mut total = vec![0.0; n];
    for sum in sums {
        for (t, s) in total.iter_mut().zip(sum) {
            *t += s;
        }
    }
    if n > 2 {
        let scale = 1.0 / ((n - 1) * (n - 2)) as f64;
        total.iter_mut().for_each(|t| *t *= scale);
    }
    total
}

/// Closeness (Wasserman–Faust): the inverse mean distance to the entities
/// reachable, times the share of the others reachable; networkx's and
/// rustworkx's `closeness_centrality` with `wf_improved`.
pub(crate) fn closeness(rows: &Rows) -> Vec<f64> {
    let n = rows.len();
    per_block(n, |sources, search| {
        sources
            .map(|s| {
                search.run::<false>(rows, s);
                let reached = search.order.len();
                if reached <= 1 {
                    return 0.0;
                }
                let distances: u64 = search
                    .order
                    .iter()
                    .map(|&v| u64::from(search.distance[v as usize]))
                    .sum();
                let c = (reached - 1) as f64 / distances as f64;
                c * (reached - 1) as f64 / (n - 1) as f64
            })
            .collect::<Vec<f64>>()
    })
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::graph::UnGraph;

    fn rows(graph: &UnGraph<(), ()>) -> Rows {
        Rows::new(graph.node_count(), |v| {
            graph
                .neighbors(petgraph::graph::NodeIndex::new(v))
                .map(|w| w.index())
        })
    }

    /// A graph of `n` nodes where node `i` is tied to the nodes of `ties`.
    fn graph(n: usize, ties: &[(u32, u32)]) -> UnGraph<(), ()> {
        let mut g = UnGraph::new_undirected();
        for _ in 0..n {
            g.add_node(());
        }
        g.extend_with_edges(ties);
        g
    }

    /// A skewed graph of `n` nodes, as real ties are: a few hubs, many
    /// nodes with a tie or two, some alone, some in small islands.
    fn skewed(n: u32) -> UnGraph<(), ()> {
        let mut ties = Vec::new();
        let mut x: u64 = 7;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u32
        };
        for v in 10..n - 20 {
            let hub = next() % (1 + next() % 10);
            ties.push((v, hub));
            if next() % 3 == 0 {
                ties.push((v, 10 + next() % (n - 30)));
            }
        }
        for v in n - 20..n - 10 {
            ties.push((v, v + 1));
        }
        graph(n as usize, &ties)
    }

    fn close(ours: &[f64], theirs: Vec<Option<f64>>) {
        assert_eq!(ours.len(), theirs.len());
        for (v, (a, b)) in ours.iter().zip(theirs).enumerate() {
            let b = b.unwrap_or(0.0);
            assert!(
                (a - b).abs() <= 1e-12 * b.abs().max(1e-300),
                "node {v}: {a} vs {b}"
            );
        }
    }

    #[test]
    fn the_same_as_rustworkx_on_small_and_skewed_graphs() {
        let cases = [
            graph(0, &[]),
            graph(1, &[]),
            graph(2, &[(0, 1)]),
            graph(3, &[(0, 1), (1, 2)]),
            graph(5, &[(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)]),
            graph(6, &[(0, 1), (1, 2), (3, 4)]),
            graph(7, &[(0, 1), (0, 2), (0, 3), (1, 4), (2, 4), (3, 4), (4, 5)]),
            skewed(400),
            skewed(3000),
        ];
        for g in &cases {
            let r = rows(g);
            close(
                &betweenness(&r),
                rustworkx_core::centrality::betweenness_centrality(g, false, true, usize::MAX),
            );
            close(
                &closeness(&r),
                rustworkx_core::centrality::closeness_centrality(g, true, usize::MAX),
            );
        }
    }

    #[test]
    fn the_same_answer_every_time() {
        let g = skewed(3000);
        let r = rows(&g);
        let first = betweenness(&r);
        assert!(first.iter().any(|&b| b > 0.01), "hubs lie between others");
        for _ in 0..3 {
            assert_eq!(betweenness(&r), first);
        }
    }

    #[test]
    fn a_path_has_its_known_scores() {
        // 0 - 1 - 2 - 3: the inner nodes lie on 2 of the 3 pairs of the others.
        let r = rows(&graph(4, &[(0, 1), (1, 2), (2, 3)]));
        assert_eq!(betweenness(&r), [0.0, 2.0 / 3.0, 2.0 / 3.0, 0.0]);
        // Node 0: distances 1, 2, 3 to the three others.
        assert_eq!(closeness(&r)[0], 3.0 / 6.0);
        assert_eq!(closeness(&r)[1], 3.0 / 4.0);
    }
}
