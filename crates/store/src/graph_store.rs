//! Whole-graph operations for the Graph Store Protocol: read, replace,
//! merge and delete one graph, each in one transaction.

use crate::{Store, StoreError};
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
    /// Whether the graph exists (the default graph always does).
    pub fn graph_exists(&self, target: &GraphTarget) -> Result<bool, StoreError> {
        match target {
            GraphTarget::Default => Ok(true),
            GraphTarget::Named(n) => Ok(self.inner.contains_named_graph(n)?),
        }
    }

    /// The triples of a graph.
    pub fn graph_triples(&self, target: &GraphTarget) -> Result<Vec<Triple>, StoreError> {
        self.inner
            .quads_for_pattern(None, None, None, Some(target.name()))
            .map(|q| q.map(Triple::from).map_err(StoreError::from))
            .collect()
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
        let graph = match target {
            GraphTarget::Default => GraphName::DefaultGraph,
            GraphTarget::Named(n) => GraphName::NamedNode(n.clone()),
        };
        let mut quads = Vec::new();
        for (payload, format) in payloads {
            let parser = RdfParser::from_format(*format)
                .with_base_iri(base_iri)
                .map_err(|e| StoreError::Syntax(format!("invalid base IRI: {e}")))?
                .without_named_graphs()
                .rename_blank_nodes();
            // JSON-LD is read through a nesting limit (see interlock_load).
            for triple in parser.for_reader(interlock_load::rdf_reader(*payload, *format)) {
                let quad = triple.map_err(|e| StoreError::Syntax(e.to_string()))?;
                quads.push(Quad::new(
                    quad.subject,
                    quad.predicate,
                    quad.object,
                    graph.clone(),
                ));
            }
        }
        let created = !self.graph_exists(target)?;
        let _writing = self.generations.write()?;
        let mut tx = self.inner.start_transaction()?;
        if replace {
            tx.clear_graph(target.name())?;
        }
        if let GraphTarget::Named(n) = target {
            tx.insert_named_graph(n);
        }
        for q in &quads {
            tx.insert(q);
        }
        tx.commit()?;
        Ok(created)
    }

    /// Deletes a named graph, or empties the default graph. Returns whether it existed.
    pub fn delete_graph(&self, target: &GraphTarget) -> Result<bool, StoreError> {
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
