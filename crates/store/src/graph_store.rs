//! Whole-graph operations for the Graph Store Protocol: read, replace,
//! merge and delete one graph, each in one transaction.

use crate::local::Local;
use crate::remote::Remote;
use crate::{Backend, Store, StoreError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad, Triple};

/// The graph a Graph Store Protocol request is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphTarget {
    /// The store's real default graph (not the union the query endpoint shows).
    Default,
    /// A named graph.
    Named(NamedNode),
}

impl GraphTarget {
    fn name(&self) -> GraphNameRef<'_> {
        match self {
            GraphTarget::Default => GraphNameRef::DefaultGraph,
            GraphTarget::Named(n) => n.as_ref().into(),
        }
    }
}

impl Store {
    /// Whether the graph exists (the default graph always does; on a
    /// remote store, a named graph exists when it holds a triple).
    pub fn graph_exists(&self, target: &GraphTarget) -> Result<bool, StoreError> {
        match (&self.backend, target) {
            (_, GraphTarget::Default) => Ok(true),
            (Backend::Local(l), GraphTarget::Named(n)) => l.graph_exists(n),
            (Backend::Remote(r), GraphTarget::Named(n)) => r.graph_has_triples(n),
        }
    }

    /// The triples of a graph.
    pub fn graph_triples(&self, target: &GraphTarget) -> Result<Vec<Triple>, StoreError> {
        match &self.backend {
            Backend::Local(l) => l.graph_triples(target),
            Backend::Remote(r) => {
                let mut triples = Vec::new();
                r.graph_rows(remote_graph(target).as_deref(), |t| triples.push(t))?;
                Ok(triples)
            }
        }
    }

    /// Parses `payload` and writes it into the graph, replacing what the
    /// graph held when `replace` is true and adding to it otherwise. Returns
    /// whether the graph was created. Nothing is written when parsing fails.
    pub fn write_graph(
        &self,
        target: &GraphTarget,
        payloads: &[(&[u8], RdfFormat)],
        base_iri: &str,
        replace: bool,
    ) -> Result<bool, StoreError> {
        let triples = parse_payloads(payloads, base_iri)?;
        let created = !self.graph_exists(target)?;
        match &self.backend {
            Backend::Local(l) => l.write_graph(target, &triples, replace)?,
            Backend::Remote(r) => r.write_graph(target, triples, replace)?,
        }
        Ok(created)
    }

    /// Deletes a named graph, or empties the default graph. Returns whether it existed.
    pub fn delete_graph(&self, target: &GraphTarget) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Local(l) => l.delete_graph(target),
            Backend::Remote(r) => r.delete_graph(target),
        }
    }
}

/// The graph a remote read names: `None` for the store's default graph.
fn remote_graph(target: &GraphTarget) -> Option<String> {
    match target {
        GraphTarget::Default => None,
        GraphTarget::Named(n) => Some(n.as_str().to_string()),
    }
}

/// The triples of every payload, or the first syntax error.
fn parse_payloads(
    payloads: &[(&[u8], RdfFormat)],
    base_iri: &str,
) -> Result<Vec<Triple>, StoreError> {
    let mut triples = Vec::new();
    for (payload, format) in payloads {
        let parser = RdfParser::from_format(*format)
            .with_base_iri(base_iri)
            .map_err(|e| StoreError::Syntax(format!("invalid base IRI: {e}")))?
            .without_named_graphs()
            .rename_blank_nodes();
        // JSON-LD is read through a nesting limit (see interlock_load).
        for quad in parser.for_reader(interlock_load::rdf_reader(*payload, *format)) {
            triples.push(Triple::from(
                quad.map_err(|e| StoreError::Syntax(e.to_string()))?,
            ));
        }
    }
    Ok(triples)
}

impl Local {
    fn graph_exists(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self.inner.contains_named_graph(graph)?)
    }

    fn graph_triples(&self, target: &GraphTarget) -> Result<Vec<Triple>, StoreError> {
        self.inner
            .quads_for_pattern(None, None, None, Some(target.name()))
            .map(|q| q.map(Triple::from).map_err(StoreError::from))
            .collect()
    }

    /// Writes `triples` into the graph in one transaction.
    fn write_graph(
        &self,
        target: &GraphTarget,
        triples: &[Triple],
        replace: bool,
    ) -> Result<(), StoreError> {
        let graph = match target {
            GraphTarget::Default => GraphName::DefaultGraph,
            GraphTarget::Named(n) => GraphName::NamedNode(n.clone()),
        };
        let _writing = self.generations.write()?;
        let mut tx = self.inner.start_transaction()?;
        if replace {
            tx.clear_graph(target.name())?;
        }
        if let GraphTarget::Named(n) = target {
            tx.insert_named_graph(n);
        }
        for t in triples {
            tx.insert(&Quad::new(
                t.subject.clone(),
                t.predicate.clone(),
                t.object.clone(),
                graph.clone(),
            ));
        }
        tx.commit()?;
        Ok(())
    }

    fn delete_graph(&self, target: &GraphTarget) -> Result<bool, StoreError> {
        match target {
            GraphTarget::Default => {
                let _writing = self.generations.write()?;
                self.inner.clear_graph(GraphNameRef::DefaultGraph)?;
                Ok(true)
            }
            GraphTarget::Named(n) => {
                // Deleting what is not there changes nothing, not even the generation.
                if !self.inner.contains_named_graph(n)? {
                    return Ok(false);
                }
                let _writing = self.generations.write()?;
                self.inner.remove_named_graph(n)?;
                Ok(true)
            }
        }
    }
}

impl Remote {
    fn delete_graph(&self, target: &GraphTarget) -> Result<bool, StoreError> {
        let update = match target {
            GraphTarget::Default => "CLEAR SILENT DEFAULT".to_string(),
            GraphTarget::Named(n) => {
                if !self.graph_has_triples(n)? {
                    return Ok(false);
                }
                format!("DROP SILENT GRAPH {n}")
            }
        };
        self.run_update(&update, true)?;
        Ok(true)
    }
}
