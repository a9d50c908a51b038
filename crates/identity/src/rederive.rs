//! The identity graph, derived again by every load: a load's
//! [`Appendix`], so that it is written with the load, all or nothing, from
//! the load's quads and what the store keeps of the other datasets.

use crate::facts::{Facts, existing};
use crate::resolve::{Cluster, Problem, decision_name, resolve};
use interlock_load::{Diagnostic, Diagnostics, Input, IriBase};
use interlock_model::vocab;
use interlock_store::{Appendix, Store};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Derives the identity graph (`{base}graph/identity`) for a load: which
/// entities of all datasets, the loaded ones and those kept, are one.
pub struct Rederive<'s> {
    store: &'s Store,
    graph: NamedNode,
    /// The graphs the load writes: their old facts in the store are left out.
    written: HashSet<String>,
    /// The graph of the last quad seen (quads come in runs of one graph).
    last_graph: Option<NamedNode>,
    /// What the load's quads say.
    loaded: Facts,
    /// The file behind each input graph, and where each decision was written.
    files: HashMap<String, PathBuf>,
    positions: HashMap<String, (PathBuf, usize, usize)>,
    /// An input that takes the identity graph's name.
    reserved: Vec<Diagnostic>,
    /// The clusters written, once the load's quads were read.
    clusters: Vec<Cluster>,
}

impl<'s> Rederive<'s> {
    /// The identity graph of `store` as it will be once `inputs` are loaded.
    pub fn new(store: &'s Store, base: &IriBase, inputs: &[Input]) -> Rederive<'s> {
        let graph = base.graph(vocab::IDENTITY_DATASET);
        let mut files = HashMap::new();
        let mut positions = HashMap::new();
        let mut reserved = Vec::new();
        for input in inputs {
            for g in &input.graphs {
                files.insert(g.as_str().to_string(), input.path.clone());
                if *g == graph {
                    reserved.push(Diagnostic::file(
                        &input.path,
                        format!(
                            "dataset id '{}' is reserved: interlock derives that graph ({graph}) from identifiers and decisions; give the dataset another id",
                            vocab::IDENTITY_DATASET
                        ),
                    ));
                }
            }
            for (decision, line, column) in &input.decisions {
                positions.insert(
                    decision.as_str().to_string(),
                    (input.path.clone(), *line, *column),
                );
            }
        }
        Rederive {
            store,
            written: files.keys().cloned().collect(),
            graph,
            last_graph: None,
            loaded: Facts::default(),
            files,
            positions,
            reserved,
            clusters: Vec::new(),
        }
    }

    /// The clusters the load wrote (after it ran).
    pub fn clusters(&self) -> &[Cluster] {
        &self.clusters
    }

    /// A problem of a decision, where the decision was written.
    fn located(&self, problem: Problem, graphs: &HashMap<String, String>) -> Diagnostic {
        let message = format!("{}: {}", decision_name(&problem.decision), problem.message);
        if let Some((path, line, column)) = self.positions.get(&problem.decision) {
            return Diagnostic {
                path: path.clone(),
                line: *line,
                column: *column,
                message,
            };
        }
        let graph = graphs.get(&problem.decision).cloned().unwrap_or_default();
        let path = self.files.get(&graph).cloned().unwrap_or_else(|| {
            // A decision kept in the store from an earlier load.
            PathBuf::from(format!("(the store's graph {graph})"))
        });
        Diagnostic::file(&path, message)
    }

    /// The quads stating `clusters`: each member but the first `owl:sameAs`
    /// the first, and the graph typed `il:Identities`.
    fn quads(&self) -> Vec<Quad> {
        let mut quads = Vec::new();
        if self.clusters.is_empty() {
            return quads;
        }
        let g = GraphName::NamedNode(self.graph.clone());
        quads.push(Quad::new(
            self.graph.clone(),
            NamedNode::new_unchecked(vocab::RDF_TYPE),
            NamedNode::new_unchecked(vocab::IDENTITIES),
            g.clone(),
        ));
        for cluster in &self.clusters {
            let canonical = NamedNode::new_unchecked(cluster.canonical());
            for m in &cluster.members[1..] {
                quads.push(Quad::new(
                    NamedNode::new_unchecked(m),
                    NamedNode::new_unchecked(vocab::OWL_SAME_AS),
                    canonical.clone(),
                    g.clone(),
                ));
            }
        }
        quads
    }
}

impl Appendix for Rederive<'_> {
    fn graphs(&self) -> Vec<NamedNode> {
        vec![self.graph.clone()]
    }

    fn keep(&mut self, quad: &Quad) -> bool {
        let GraphName::NamedNode(g) = &quad.graph_name else {
            return true;
        };
        if *g == self.graph {
            return false;
        }
        if self.last_graph.as_ref() != Some(g) {
            self.written.insert(g.as_str().to_string());
            self.last_graph = Some(g.clone());
        }
        self.loaded.see(g.as_str(), quad);
        true
    }

    fn finish(&mut self) -> Result<Vec<Quad>, Diagnostics> {
        if !self.reserved.is_empty() {
            return Err(Diagnostics(std::mem::take(&mut self.reserved)));
        }
        let store_error = |e: interlock_store::StoreError| {
            Diagnostics(vec![Diagnostic::file(
                &PathBuf::from("(the store)"),
                format!("cannot read identifiers and decisions from the store: {e}"),
            )])
        };
        let mut skip = self.written.clone();
        skip.insert(self.graph.as_str().to_string());
        let kept = Facts::of_store(self.store, &skip).map_err(store_error)?;
        let mut graphs = HashMap::new();
        let mut decisions = Vec::new();
        for (iri, (graph, d)) in kept
            .decisions
            .into_iter()
            .chain(std::mem::take(&mut self.loaded.decisions))
        {
            graphs.insert(iri, graph);
            decisions.push(d);
        }
        let mut unseen: Vec<&str> = decisions
            .iter()
            .flat_map(|d| &d.entities)
            .map(String::as_str)
            .filter(|e| !self.loaded.entities.contains(*e))
            .collect();
        unseen.sort_unstable();
        unseen.dedup();
        let found = existing(self.store, &unseen, &skip).map_err(store_error)?;
        let exists = |e: &str| self.loaded.entities.contains(e) || found.contains(e);
        let identifiers: Vec<(String, String)> = kept
            .identifiers
            .into_iter()
            .chain(std::mem::take(&mut self.loaded.identifiers))
            .map(|(_, entity, id)| (entity, id))
            .collect();
        match resolve(&identifiers, &decisions, &exists) {
            Ok(clusters) => {
                self.clusters = clusters;
                Ok(self.quads())
            }
            Err(problems) => Err(Diagnostics(
                problems
                    .into_iter()
                    .map(|p| self.located(p, &graphs))
                    .collect(),
            )),
        }
    }
}
