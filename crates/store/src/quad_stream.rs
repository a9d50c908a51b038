//! The quads of a load as one stream, whatever the store.

use interlock_load::Input;
use oxigraph::model::{GraphName, NamedNode, Quad};

/// The quads of a load as they stream in: counted per input, the graphs
/// they go to collected (the inputs' own first, then those met in N-Quads
/// or TriG), and the first malformed one kept, which ends the stream.
pub(crate) struct QuadStream {
    pub(crate) graphs: Vec<NamedNode>,
    pub(crate) seen: std::collections::HashSet<NamedNode>,
    pub(crate) counts: Vec<usize>,
    pub(crate) total: usize,
    pub(crate) problem: Option<interlock_load::Diagnostic>,
}

impl QuadStream {
    pub(crate) fn new(inputs: &[Input]) -> QuadStream {
        let mut stream = QuadStream {
            graphs: Vec::new(),
            seen: std::collections::HashSet::new(),
            counts: vec![0; inputs.len()],
            total: 0,
            problem: None,
        };
        for graph in inputs.iter().flat_map(|i| &i.graphs) {
            stream.graph(graph);
        }
        stream
    }

    fn graph(&mut self, graph: &NamedNode) {
        if self.seen.insert(graph.clone()) {
            self.graphs.push(graph.clone());
        }
    }

    /// The quad of input `i`, counted; `None` (the end) at a malformed one.
    pub(crate) fn take(
        &mut self,
        i: usize,
        quad: Result<Quad, interlock_load::Diagnostic>,
        progress: &dyn Fn(u64),
    ) -> Option<Quad> {
        match quad {
            Ok(q) => {
                if let GraphName::NamedNode(g) = &q.graph_name {
                    self.graph(g);
                }
                self.counts[i] += 1;
                self.total += 1;
                if self.total.is_multiple_of(100_000) {
                    progress(self.total as u64);
                }
                Some(q)
            }
            Err(d) => {
                self.problem = Some(d);
                None
            }
        }
    }
}
