//! The interlock store: an Oxigraph store on disk (RocksDB) or in memory,
//! loaded atomically dataset by dataset, queried with SPARQL under a time limit.
//!
//! Invariants:
//! - Each dataset lives in its own named graph. A load writes every input
//!   through Oxigraph's bulk loader, which keeps what it writes aside until
//!   its commit; the graphs being replaced are cleared in one transaction
//!   just before that. A load that fails while reading changes nothing.
//! - With no dataset in the request, the SPARQL default graph is the union
//!   of all named graphs.
//! - A query stops with [`StoreError::Timeout`] once its time is up, however
//!   far evaluation got.

#![cfg_attr(
    test,
    allow(
        unused_crate_dependencies,
        reason = "unit tests see the dev-dependencies of the integration tests"
    )
)]

mod generation;
mod graph_store;
mod in_use;
mod results;
mod screen;

pub use generation::{Generation, OWN_FOLDER};
pub use graph_store::GraphTarget;
pub use in_use::Holder;
pub use screen::{MAX_NESTING, STACK_SIZE};

pub use results::{
    GraphFormat, ResultsFormat, SolutionFormat, write_boolean, write_results, write_solutions,
    write_triples,
};

use interlock_load::Input;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator, UpdateEvaluationError,
};
use oxigraph::store::StorageError;
#[cfg(feature = "rocksdb")]
use std::path::Path;
use std::time::Duration;

/// Memory the bulk loader may use for its batches (both threads together):
/// keeps a load of millions of quads well under 2 GiB.
const BULK_LOAD_MEMORY_MB: usize = 400;

/// The default time a query may run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store on disk could not be opened or written.
    #[error("storage error: {0}")]
    Storage(#[from] StorageError),
    /// The query or update is not valid SPARQL.
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    /// The query or update nests deeper than [`MAX_NESTING`] levels.
    #[error(
        "the request nests deeper than the limit of {limit} levels at line {line}, column {column} (each open bracket counts, and so does each UNION, OPTIONAL, MINUS, FILTER, BIND, VALUES, GRAPH, operator or path step chained at one level)"
    )]
    TooDeep {
        /// [`MAX_NESTING`].
        limit: usize,
        /// Where the limit was passed: 1-based line…
        line: usize,
        /// …and column, in characters.
        column: usize,
    },
    /// The request asks for something this store will not do (fetch a
    /// document, call another endpoint); nothing was done.
    #[error("{operation} at line {line}, column {column} is refused: {reason}")]
    Refused {
        /// The SPARQL keyword refused.
        operation: &'static str,
        /// 1-based line…
        line: usize,
        /// …and column of the keyword.
        column: usize,
        /// Why, in words for the client.
        reason: &'static str,
    },
    /// The update cannot apply to the store as it is (a graph that must not
    /// exist does, or one that must does not); nothing was changed.
    #[error("the update cannot apply: {0}")]
    Conflict(String),
    /// The query failed while being evaluated.
    #[error("query evaluation failed: {0}")]
    Evaluation(String),
    /// Writing results failed (a reader that went away, a full disk).
    #[error("cannot write results: {0}")]
    Io(#[from] std::io::Error),
    /// Results asked for in a format of the other kind.
    #[error("the query gives {results}: '{given}' does not fit; use one of {expected}")]
    WrongFormat {
        /// What the query gives.
        results: &'static str,
        /// The format asked for.
        given: &'static str,
        /// The formats that fit.
        expected: String,
    },
    /// The query ran past its time limit and was stopped.
    #[error("query stopped after its time limit of {0:?}")]
    Timeout(Duration),
    /// A graph IRI in the request is not an IRI.
    #[error("invalid graph IRI '{0}'")]
    InvalidGraph(String),
    /// The request gives a dataset both in the protocol and in the update (USING/WITH).
    #[error(
        "the update names its dataset with USING or WITH; it cannot also be given as using-graph-uri or using-named-graph-uri"
    )]
    DatasetConflict,
    /// Another process has the store open for writing (RocksDB lets one at
    /// a time); `holder` names it when the system says which.
    #[error(
        "it is in use by {}; stop it first, or write through it if it is an interlock server started with --writable (its /update and /store endpoints, with its token)",
        .holder.as_ref().map_or_else(|| "another process".to_string(), Holder::to_string)
    )]
    InUse {
        /// The process holding the store.
        holder: Option<Holder>,
    },
    /// The file that marks the state of the store's data could not be
    /// written (a full disk, a folder without write permission); nothing
    /// was written to the store.
    #[error("cannot write {}: {reason}", .file.display())]
    Generation {
        /// The generation file.
        file: std::path::PathBuf,
        /// Why.
        reason: std::io::Error,
    },
    /// An input turned out to be malformed while it was being written
    /// (an RDF file is parsed then); nothing was written.
    #[error("{0}")]
    Input(interlock_load::Diagnostic),
}

impl StoreError {
    /// Maps an evaluation error, recognising cancellation as a timeout.
    pub fn from_evaluation(e: QueryEvaluationError, timeout: Duration) -> StoreError {
        match e {
            QueryEvaluationError::Cancelled => StoreError::Timeout(timeout),
            other => StoreError::Evaluation(other.to_string()),
        }
    }

    /// Maps an update's error: the state of the store it does not fit is
    /// the client's to fix, not a fault.
    fn from_update(e: UpdateEvaluationError) -> StoreError {
        match e {
            UpdateEvaluationError::Storage(e) => StoreError::Storage(e),
            e @ (UpdateEvaluationError::GraphAlreadyExists(_)
            | UpdateEvaluationError::GraphDoesNotExist(_)) => StoreError::Conflict(e.to_string()),
            other => StoreError::Evaluation(other.to_string()),
        }
    }
}

/// A SPARQL query with its dataset and limits.
#[derive(Clone)]
pub struct QueryRequest {
    /// The query text.
    pub query: String,
    /// Graphs whose union is the default graph (`default-graph-uri`); empty
    /// means the query's own `FROM`, or else the union of all named graphs.
    pub default_graphs: Vec<String>,
    /// Graphs available to `GRAPH` (`named-graph-uri`).
    pub named_graphs: Vec<String>,
    /// The base IRI relative IRIs in the query resolve against.
    pub base_iri: Option<String>,
    /// How long evaluation may take.
    pub timeout: Duration,
    /// Cancelled by whoever enforces the timeout (or gives up waiting).
    pub cancel: CancellationToken,
}

impl QueryRequest {
    /// A query on the default dataset with the default timeout.
    pub fn new(query: impl Into<String>) -> Self {
        QueryRequest {
            query: query.into(),
            default_graphs: Vec::new(),
            named_graphs: Vec::new(),
            base_iri: None,
            timeout: DEFAULT_TIMEOUT,
            cancel: CancellationToken::new(),
        }
    }
}

/// A SPARQL update with its protocol dataset.
#[derive(Debug, Clone, Default)]
pub struct UpdateRequest {
    /// The update text.
    pub update: String,
    /// The base IRI relative IRIs resolve against.
    pub base_iri: Option<String>,
    /// `using-graph-uri`: the default graph of the update's WHERE clauses.
    pub using_graphs: Vec<String>,
    /// `using-named-graph-uri`: the named graphs of its WHERE clauses.
    pub using_named_graphs: Vec<String>,
}

/// One dataset in the store: its graph and size.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GraphInfo {
    /// The named graph's IRI.
    pub graph: String,
    /// How many triples it holds.
    pub triples: usize,
}

/// What a load wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Graphs replaced.
    pub graphs: usize,
    /// Quads read (duplicates are stored once).
    pub quads: usize,
    /// Quads read from each input, in order.
    pub per_input: Vec<usize>,
}

/// The store.
#[derive(Clone)]
pub struct Store {
    inner: oxigraph::store::Store,
    /// Oxigraph's bulk loader holds an in-memory store's write lock until it
    /// commits, so an in-memory store is loaded in one transaction instead.
    in_memory: bool,
    /// Which state the data is in, for what is derived from it.
    generations: generation::Generations,
}

impl Store {
    /// Opens (or creates) the store in `dir`, on disk, for reading and
    /// writing. [`StoreError::InUse`] when another process has it open so.
    #[cfg(feature = "rocksdb")]
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        match oxigraph::store::Store::open(dir) {
            Ok(inner) => Ok(Store {
                inner,
                in_memory: false,
                generations: generation::Generations::writer(dir)?,
            }),
            Err(e) => Err(match in_use::holder(dir) {
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

    /// Opens the store in `dir` for reading only, as it is at that moment,
    /// also while another process has it open for writing. Meant for short
    /// reads: Oxigraph calls reading while another process writes undefined
    /// behaviour (RocksDB may remove files this store still reads).
    #[cfg(feature = "rocksdb")]
    pub fn open_read_only(dir: &Path) -> Result<Store, StoreError> {
        Ok(Store {
            inner: oxigraph::store::Store::open_read_only(dir)?,
            in_memory: false,
            generations: generation::Generations::reader(dir),
        })
    }

    /// A store in memory, gone when dropped.
    pub fn in_memory() -> Store {
        Store {
            inner: oxigraph::store::Store::new().expect("an in-memory store always opens"),
            in_memory: true,
            generations: generation::Generations::in_memory(),
        }
    }

    /// The state the data is in now: equal generations mean equal data.
    /// `None` for a store in memory, while a write is under way, and after
    /// a write was cut short until the store is next opened for writing.
    pub fn generation(&self) -> Option<Generation> {
        self.generations.current()
    }

    /// A file derived from the data, kept in the store's folder as `name`
    /// by [`Store::write_derived`]: a reader past the generation line, only
    /// when it was derived from the data in the state it is in now.
    pub fn read_derived(&self, name: &str) -> Option<impl std::io::BufRead + use<>> {
        self.generations.read_derived(name)
    }

    /// Keeps a file derived from the data in `generation` (read with
    /// [`Store::generation`] before deriving it) as `name`, written by
    /// `write`. Kept only when this process holds the store for writing and
    /// the data is still in `generation`; returns whether it was kept.
    pub fn write_derived(
        &self,
        name: &str,
        generation: Generation,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<bool, StoreError> {
        Ok(self.generations.write_derived(name, generation, write)?)
    }

    /// Whether the store lives in memory only (then [`Store::flush`] has
    /// nothing to do).
    pub fn is_in_memory(&self) -> bool {
        self.in_memory
    }

    /// Writes out what the store keeps in memory of recent writes (RocksDB's
    /// write buffers, up to 128 MiB for each of its tables before RocksDB
    /// writes them itself) and frees it. Writes are durable without it; a
    /// long-running process that keeps writing a little calls it now and then
    /// so that its memory stays flat. Nothing to do for a store in memory.
    pub fn flush(&self) -> Result<(), StoreError> {
        #[cfg(feature = "rocksdb")]
        if !self.in_memory {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// Whether the store holds no quad at all.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
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
    pub fn replace(
        &self,
        inputs: &[Input],
        progress: &dyn Fn(u64),
    ) -> Result<LoadReport, StoreError> {
        let mut stream = QuadStream::new(inputs);
        let quads = inputs
            .iter()
            .enumerate()
            .flat_map(|(i, input)| input.quads().map(move |q| (i, q)))
            .map_while(|(i, q)| stream.take(i, q, progress));
        // One stream for all inputs: the loader cuts it into batches, each
        // written as one sorted file per index. One stream per input would
        // leave a file per input and index, and every range scan afterwards
        // would merge them all.
        if self.in_memory {
            let quads: Vec<Quad> = quads.collect();
            if let Some(d) = stream.problem.take() {
                return Err(StoreError::Input(d));
            }
            let _writing = self.generations.write()?;
            let mut tx = stream.cleared(&self.inner)?;
            tx.extend(&quads);
            tx.commit()?;
        } else {
            let mut loader = self
                .inner
                .bulk_loader()
                .with_max_memory_size_in_megabytes(BULK_LOAD_MEMORY_MB);
            loader.load_quads(quads)?;
            if let Some(d) = stream.problem.take() {
                // Dropping the loader discards what it wrote aside.
                return Err(StoreError::Input(d));
            }
            let _writing = self.generations.write()?;
            stream.cleared(&self.inner)?.commit()?;
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
    pub fn dump(
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
    pub fn graphs(&self) -> Result<Vec<GraphInfo>, StoreError> {
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
    pub fn query(&self, request: &QueryRequest) -> Result<QueryResults<'static>, StoreError> {
        if let Some(refused) = screen::screen(&request.query)?.service_refused() {
            return Err(refused);
        }
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
    pub fn update(&self, request: &UpdateRequest) -> Result<(), StoreError> {
        let found = screen::screen(&request.update)?;
        if let Some(refused) = found.load_refused().or_else(|| found.service_refused()) {
            return Err(refused);
        }
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

/// The quads of a load as they stream in: counted per input, the graphs
/// they go to collected (the inputs' own first, then those met in N-Quads
/// or TriG), and the first malformed one kept, which ends the stream.
struct QuadStream {
    graphs: Vec<NamedNode>,
    seen: std::collections::HashSet<NamedNode>,
    counts: Vec<usize>,
    total: usize,
    problem: Option<interlock_load::Diagnostic>,
}

impl QuadStream {
    fn new(inputs: &[Input]) -> QuadStream {
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

    /// A transaction in which the graphs the load replaces are empty (and
    /// named, so that a dataset with no quad left is still listed).
    fn cleared<'s>(
        &self,
        store: &'s oxigraph::store::Store,
    ) -> Result<oxigraph::store::Transaction<'s>, StoreError> {
        let mut tx = store.start_transaction()?;
        for graph in &self.graphs {
            tx.clear_graph(graph)?;
            tx.insert_named_graph(graph);
        }
        Ok(tx)
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

fn evaluator(base_iri: Option<&str>) -> Result<SparqlEvaluator, StoreError> {
    let evaluator = SparqlEvaluator::new();
    match base_iri {
        Some(base) => evaluator
            .with_base_iri(base)
            .map_err(|e| StoreError::Syntax(format!("invalid base IRI '{base}': {e}"))),
        None => Ok(evaluator),
    }
}

/// The graph named `iri`, or [`StoreError::InvalidGraph`] when it is not an IRI.
pub fn graph_node(iri: &str) -> Result<NamedNode, StoreError> {
    NamedNode::new(iri).map_err(|_| StoreError::InvalidGraph(iri.to_string()))
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
