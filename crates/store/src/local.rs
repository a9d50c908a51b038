//! The embedded store: Oxigraph on disk (RocksDB) or in memory, in this
//! process.

use crate::quad_stream::{QuadStream, problems};
use crate::{
    Appendix, Generation, GraphInfo, LoadReport, QueryRequest, StoreError, UpdateRequest,
    generation, graph_node,
};
use interlock_load::Input;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
#[cfg(feature = "rocksdb")]
use std::path::Path;

/// Memory the bulk loader may use for its batches (both threads together):
/// keeps a load of millions of quads well under 2 GiB.
const BULK_LOAD_MEMORY_MB: usize = 400;

/// The Oxigraph store of this process.
#[derive(Clone)]
pub(crate) struct Local {
    pub(crate) inner: oxigraph::store::Store,
    /// Oxigraph's bulk loader holds an in-memory store's write lock until it
    /// commits, so an in-memory store is loaded in one transaction instead.
    in_memory: bool,
    /// Which state the data is in, for what is derived from it.
    pub(crate) generations: generation::Generations,
}

impl Local {
    /// See [`crate::Store::open`].
    #[cfg(feature = "rocksdb")]
    pub(crate) fn open(dir: &Path) -> Result<Local, StoreError> {
        match oxigraph::store::Store::open(dir) {
            Ok(inner) => Ok(Local {
                inner,
                in_memory: false,
                generations: generation::Generations::writer(dir)?,
            }),
            Err(e) => Err(match crate::in_use::holder(dir) {
                Some(holder) => StoreError::InUse {
                    holder: Some(holder),
                },
                // RocksDB's own words, where the system names no process.
                None if e.to_string().contains("While lock file") => {
                    StoreError::InUse { holder: None }
                }
                None => e.into(),
            }),
        }
    }

    /// See [`crate::Store::open_read_only`].
    #[cfg(feature = "rocksdb")]
    pub(crate) fn open_read_only(dir: &Path) -> Result<Local, StoreError> {
        Ok(Local {
            inner: oxigraph::store::Store::open_read_only(dir)?,
            in_memory: false,
            generations: generation::Generations::reader(dir),
        })
    }

    /// A store in memory, gone when dropped.
    pub(crate) fn in_memory() -> Local {
        Local {
            inner: oxigraph::store::Store::new().expect("an in-memory store always opens"),
            in_memory: true,
            generations: generation::Generations::in_memory(),
        }
    }

    /// See [`crate::Store::generation`].
    pub(crate) fn generation(&self) -> Option<Generation> {
        self.generations.current()
    }

    /// See [`crate::Store::read_derived`].
    pub(crate) fn read_derived(&self, name: &str) -> Option<std::io::BufReader<std::fs::File>> {
        self.generations.read_derived(name)
    }

    /// See [`crate::Store::write_derived`].
    pub(crate) fn write_derived(
        &self,
        name: &str,
        generation: Generation,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<bool, StoreError> {
        Ok(self.generations.write_derived(name, generation, write)?)
    }

    /// See [`crate::Store::is_in_memory`].
    pub(crate) fn is_in_memory(&self) -> bool {
        self.in_memory
    }

    /// See [`crate::Store::flush`].
    pub(crate) fn flush(&self) -> Result<(), StoreError> {
        #[cfg(feature = "rocksdb")]
        if !self.in_memory {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// Whether the store holds no quad at all.
    pub(crate) fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.inner.is_empty()?)
    }

    /// Replaces the graphs of every input with its quads: all inputs are
    /// written, or none. `progress` is called with the number of quads
    /// read so far.
    ///
    /// Quads go through Oxigraph's bulk loader, which writes sorted files
    /// aside and adds them to the store only at the end, so a syntax error
    /// anywhere (an RDF file is parsed as it is written) leaves the store as
    /// it was, and memory stays bounded however large the input. Just
    /// before that last step, the graphs being replaced are cleared in one
    /// transaction; only an I/O failure between the two could leave them empty.
    pub(crate) fn replace(
        &self,
        inputs: &[Input],
        progress: &dyn Fn(u64),
        appendix: &mut dyn Appendix,
    ) -> Result<LoadReport, StoreError> {
        let mut stream = QuadStream::new(inputs, appendix.graphs());
        let mut derived = None;
        let quads = stream.quads(inputs, progress, appendix, &mut derived);
        // One stream for all inputs: the loader cuts it into batches, each
        // written as one sorted file per index. One stream per input would
        // leave a file per input and index, and every range scan afterwards
        // would merge them all.
        if self.in_memory {
            let quads: Vec<Quad> = quads.collect();
            problems(&mut stream, derived)?;
            let _writing = self.generations.write()?;
            let mut tx = cleared(&self.inner, &stream.graphs, &stream.empty)?;
            tx.extend(&quads);
            tx.commit()?;
        } else {
            let mut loader = self
                .inner
                .bulk_loader()
                .with_max_memory_size_in_megabytes(BULK_LOAD_MEMORY_MB);
            loader.load_quads(quads)?;
            // Dropping the loader on a problem discards what it wrote aside.
            problems(&mut stream, derived)?;
            let _writing = self.generations.write()?;
            cleared(&self.inner, &stream.graphs, &stream.empty)?.commit()?;
            loader.commit()?;
        }
        progress(stream.total as u64);
        Ok(LoadReport {
            graphs: stream.graphs.len(),
            quads: stream.total,
            per_input: stream.counts,
        })
    }

    /// Writes every quad of the store in a dataset format (N-Quads, TriG).
    pub(crate) fn dump(
        &self,
        format: oxigraph::io::RdfFormat,
        out: impl std::io::Write,
    ) -> Result<(), StoreError> {
        self.inner
            .dump_to_writer(oxigraph::io::RdfSerializer::from_format(format), out)
            .map_err(|e| match e {
                oxigraph::store::SerializerError::Io(e) => StoreError::Io(e),
                oxigraph::store::SerializerError::Storage(e) => StoreError::Storage(e),
                other => StoreError::Evaluation(format!("cannot dump the store: {other}")),
            })?;
        Ok(())
    }

    /// The named graphs with their sizes, sorted by IRI.
    pub(crate) fn graphs(&self) -> Result<Vec<GraphInfo>, StoreError> {
        let mut out = Vec::new();
        for graph in self.inner.named_graphs() {
            let graph = graph?;
            let name: GraphNameRef<'_> = match &graph {
                NamedOrBlankNode::NamedNode(n) => n.as_ref().into(),
                NamedOrBlankNode::BlankNode(b) => b.as_ref().into(),
            };
            let triples = self
                .inner
                .quads_for_pattern(None, None, None, Some(name))
                .count();
            out.push(GraphInfo {
                graph: match &graph {
                    NamedOrBlankNode::NamedNode(n) => n.as_str().to_string(),
                    NamedOrBlankNode::BlankNode(b) => b.to_string(),
                },
                triples,
            });
        }
        out.sort_by(|a, b| a.graph.cmp(&b.graph));
        Ok(out)
    }

    /// Evaluates a query. The results stream from the store; reading them
    /// after `request.cancel` is cancelled yields [`StoreError::Timeout`].
    pub(crate) fn query(
        &self,
        request: &QueryRequest,
    ) -> Result<QueryResults<'static>, StoreError> {
        let mut prepared = evaluator(request.base_iri.as_deref())?
            .with_cancellation_token(request.cancel.clone())
            .parse_query(&request.query)
            .map_err(|e| StoreError::Syntax(e.to_string()))?;
        let dataset = prepared.dataset_mut();
        if !request.default_graphs.is_empty() || !request.named_graphs.is_empty() {
            let (default, named) =
                protocol_dataset(&request.default_graphs, &request.named_graphs)?;
            // The protocol's dataset is exactly what the request names.
            dataset.set_default_graph(default);
            dataset.set_available_named_graphs(named);
        } else if dataset.is_default_dataset() {
            dataset.set_default_graph_as_union();
        }
        prepared
            .on_store(&self.inner)
            .execute()
            .map_err(|e| StoreError::from_evaluation(e, request.timeout))
    }

    /// Runs a SPARQL update in one transaction: all of it applies, or none.
    pub(crate) fn update(&self, request: &UpdateRequest) -> Result<(), StoreError> {
        let mut prepared = evaluator(request.base_iri.as_deref())?
            .parse_update(&request.update)
            .map_err(|e| StoreError::Syntax(e.to_string()))?;
        if !request.using_graphs.is_empty() || !request.using_named_graphs.is_empty() {
            let (default, named) =
                protocol_dataset(&request.using_graphs, &request.using_named_graphs)?;
            for dataset in prepared.using_datasets_mut() {
                if !dataset.is_default_dataset() {
                    return Err(StoreError::DatasetConflict);
                }
                dataset.set_default_graph(default.clone());
                dataset.set_available_named_graphs(named.clone());
            }
        }
        let _writing = self.generations.write()?;
        prepared
            .on_store(&self.inner)
            .execute()
            .map_err(StoreError::from_update)
    }
}

/// A transaction in which `graphs` (those a load replaces) are empty (and
/// named, so that a dataset with no quad left is still listed).
fn cleared<'s>(
    store: &'s oxigraph::store::Store,
    graphs: &[NamedNode],
    removed: &[NamedNode],
) -> Result<oxigraph::store::Transaction<'s>, StoreError> {
    let mut tx = store.start_transaction()?;
    for graph in graphs {
        if removed.contains(graph) {
            tx.remove_named_graph(graph)?;
        } else {
            tx.clear_graph(graph)?;
            tx.insert_named_graph(graph);
        }
    }
    Ok(tx)
}

fn evaluator(base_iri: Option<&str>) -> Result<SparqlEvaluator, StoreError> {
    let evaluator = SparqlEvaluator::new();
    match base_iri {
        Some(base) => evaluator
            .with_base_iri(base)
            .map_err(|e| StoreError::Syntax(format!("invalid base IRI '{base}': {e}"))),
        None => Ok(evaluator),
    }
}

/// The default and named graphs of a dataset given through the protocol.
fn protocol_dataset(
    default: &[String],
    named: &[String],
) -> Result<(Vec<GraphName>, Vec<NamedOrBlankNode>), StoreError> {
    let default = default
        .iter()
        .map(|g| graph_node(g).map(GraphName::NamedNode))
        .collect::<Result<_, _>>()?;
    let named = named
        .iter()
        .map(|g| graph_node(g).map(NamedOrBlankNode::NamedNode))
        .collect::<Result<_, _>>()?;
    Ok((default, named))
}
