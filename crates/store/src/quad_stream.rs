//! The quads of a load as one stream, whatever the store.

use crate::Appendix;
use interlock_load::{Diagnostic, Diagnostics, Input};
use oxigraph::model::{GraphName, NamedNode, Quad};

/// The quads of a load: see [`QuadStream::quads`].
pub(crate) struct LoadQuads<'a> {
    read: Box<dyn Iterator<Item = (usize, Result<Quad, Diagnostic>)> + 'a>,
    stream: &'a mut QuadStream,
    progress: &'a dyn Fn(u64),
    appendix: &'a mut dyn Appendix,
    derived: &'a mut Option<Diagnostics>,
    /// The appendix's quads, once the inputs are read.
    appended: Option<std::vec::IntoIter<Quad>>,
}

impl Iterator for LoadQuads<'_> {
    type Item = Quad;

    fn next(&mut self) -> Option<Quad> {
        loop {
            if let Some(appended) = &mut self.appended {
                return appended.next();
            }
            let Some((i, quad)) = self.read.next() else {
                let quads = self.appendix.finish().unwrap_or_else(|problems| {
                    *self.derived = Some(problems);
                    Vec::new()
                });
                self.stream.empty = self.appendix.graphs();
                self.stream.empty.retain(|g| {
                    !quads
                        .iter()
                        .any(|q| matches!(&q.graph_name, GraphName::NamedNode(n) if n == g))
                });
                self.appended = Some(quads.into_iter());
                continue;
            };
            match self.stream.take(i, quad, self.progress) {
                Some(q) if self.appendix.keep(&q) => return Some(q),
                Some(_) => {}
                None => {
                    self.appended = Some(Vec::new().into_iter());
                    return None;
                }
            }
        }
    }
}

/// The quads of a load as they stream in: counted per input, the graphs
/// they go to collected (the inputs' own and the appendix's first, then
/// those met in N-Quads or TriG), and the first malformed one kept, which
/// ends the stream.
pub(crate) struct QuadStream {
    pub(crate) graphs: Vec<NamedNode>,
    pub(crate) seen: std::collections::HashSet<NamedNode>,
    pub(crate) counts: Vec<usize>,
    pub(crate) total: usize,
    pub(crate) problem: Option<interlock_load::Diagnostic>,
    /// The appendix's graphs it gave no quad for: removed, not left empty.
    pub(crate) empty: Vec<NamedNode>,
}

impl QuadStream {
    pub(crate) fn new(inputs: &[Input], appended: Vec<NamedNode>) -> QuadStream {
        let mut stream = QuadStream {
            graphs: Vec::new(),
            seen: std::collections::HashSet::new(),
            counts: vec![0; inputs.len()],
            total: 0,
            problem: None,
            empty: Vec::new(),
        };
        for graph in inputs.iter().flat_map(|i| &i.graphs).chain(&appended) {
            stream.graph(graph);
        }
        stream
    }

    /// Every quad of `inputs` that `appendix` keeps, counted here, then
    /// the appendix's own. A malformed input quad ends the stream (kept in
    /// `problem`; the appendix is not asked then); the appendix's problems
    /// go to `derived`.
    pub(crate) fn quads<'a>(
        &'a mut self,
        inputs: &'a [Input],
        progress: &'a dyn Fn(u64),
        appendix: &'a mut dyn Appendix,
        derived: &'a mut Option<Diagnostics>,
    ) -> LoadQuads<'a> {
        LoadQuads {
            read: Box::new(
                inputs
                    .iter()
                    .enumerate()
                    .flat_map(|(i, input)| input.quads().map(move |q| (i, q))),
            ),
            stream: self,
            progress,
            appendix,
            derived,
            appended: None,
        }
    }

    fn graph(&mut self, graph: &NamedNode) {
        if self.seen.insert(graph.clone()) {
            self.graphs.push(graph.clone());
        }
    }

    /// The quad of input `i`, counted; `None` (the end) at a malformed one.
    fn take(
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

/// The load's problems, if any: a malformed input first (the appendix
/// then saw only part of the load), else what the appendix found.
pub(crate) fn problems(
    stream: &mut QuadStream,
    derived: Option<Diagnostics>,
) -> Result<(), crate::StoreError> {
    if let Some(d) = stream.problem.take() {
        return Err(crate::StoreError::Input(d));
    }
    match derived {
        Some(problems) => Err(crate::StoreError::Derived(problems)),
        None => Ok(()),
    }
}
