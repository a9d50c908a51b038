//! The interlock store: an Oxigraph store on disk (RocksDB) or in memory,
//! or a remote SPARQL 1.1 store, loaded atomically dataset by dataset,
//! queried with SPARQL under a time limit, all behind one [`Store`].
//!
//! Invariants:
//! - Each dataset lives in its own named graph. An embedded load writes
//!   every input through Oxigraph's bulk loader, which keeps what it writes
//!   aside until its commit; the graphs being replaced are cleared in one
//!   transaction just before that. A remote load writes staging graphs and
//!   moves them over their graphs in one update. A load that fails while
//!   reading or writing changes nothing.
//! - With no dataset in the request or the query, the SPARQL default graph
//!   is the union of the datasets' graphs, on every kind of store.
//! - A query stops with [`StoreError::Timeout`] once its time is up, however
//!   far evaluation got.

#![cfg_attr(
    test,
    allow(
        unused_crate_dependencies,
        reason = "unit tests see the dev-dependencies of the integration tests"
    )
)]

// A store on disk (feature `rocksdb`) is the one that keeps generations
// and may be held by another process; built without it (the fuzz targets)
// only the in-memory parts are used.
#[cfg_attr(
    not(feature = "rocksdb"),
    allow(dead_code, reason = "only a store on disk uses all of it")
)]
mod generation;
mod graph_store;
#[cfg_attr(
    not(feature = "rocksdb"),
    allow(dead_code, reason = "only a store on disk can be in use")
)]
mod in_use;
mod local;
mod quad_stream;
mod remote;
mod results;
mod screen;

pub use generation::{Generation, OWN_FOLDER};
pub use graph_store::GraphTarget;
pub use in_use::Holder;
pub use remote::{Credentials, ReadProgress, RemoteConfig};
pub use screen::{MAX_NESTING, STACK_SIZE};

pub use results::{
    GraphFormat, ResultsFormat, SolutionFormat, write_boolean, write_results, write_solutions,
    write_triples,
};

use interlock_load::Input;
use oxigraph::model::{NamedNode, Quad};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, UpdateEvaluationError,
};
use oxigraph::store::StorageError;
#[cfg(feature = "rocksdb")]
use std::path::Path;
use std::time::Duration;

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
    /// A remote store could not be reached (no answer, a refused
    /// connection, a name that does not resolve).
    #[error("cannot reach the store at {url}: {reason}")]
    Unreachable {
        /// The address tried.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// A remote store refused the credentials given, or asked for some
    /// when none were given.
    #[error("the store at {url} refused access ({status}): {message}")]
    Unauthorized {
        /// The address.
        url: String,
        /// 401 or 403.
        status: u16,
        /// What the store said.
        message: String,
    },
    /// A remote store answered with an error, or with something that is
    /// not what was asked for.
    #[error("the store at {url} answered {status}: {message}")]
    RemoteRefused {
        /// The address.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What the store said (the start of its answer).
        message: String,
    },
    /// A write to a remote store names a graph that is not an interlock
    /// dataset's: interlock reads only its own graphs there.
    #[error(
        "{graph} is not an interlock dataset's graph on this remote store (they all start with {datasets}); nothing was written"
    )]
    OutsideDatasets {
        /// The graph.
        graph: String,
        /// What datasets' graphs start with.
        datasets: String,
    },
    /// A remote write failed and its staging graphs could not be removed
    /// either; the store's graphs are unchanged, and the next load removes
    /// the staging graphs.
    #[error(
        "{error}; its staging graphs could not be removed ({cleanup}): {}; the next load removes them",
        graphs.join(", ")
    )]
    StagingLeft {
        /// Why the write failed.
        error: Box<StoreError>,
        /// The staging graphs left.
        graphs: Vec<String>,
        /// Why they could not be removed.
        cleanup: Box<StoreError>,
    },
    /// A remote store did not confirm the update that puts a write in
    /// place (it stopped answering, or the connection broke): the store
    /// ran it whole or not at all, and which cannot be known here.
    #[error(
        "the store at {url} did not confirm the update that puts the written graphs in place ({reason}): they are either all replaced or all as they were; `interlock datasets` tells which"
    )]
    CommitUnknown {
        /// The update endpoint.
        url: String,
        /// What happened to the request.
        reason: String,
    },
    /// Another process has the store open for writing (RocksDB lets one at
    /// a time); `holder` names it when the system says which.
    #[error(
        "it is in use by {}",
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
    /// What a load's [`Appendix`] derives found problems in the inputs
    /// (taken with the store); nothing was written.
    #[error("{0}")]
    Derived(interlock_load::Diagnostics),
}

/// What a load writes besides its inputs, derived from them and from the
/// store as it was: it sees every quad of the load as it streams, and
/// gives its own quads after the last one, before anything is committed,
/// so that they are written with the load, all or nothing.
pub trait Appendix {
    /// The graphs the appendix writes: replaced by every load, even when
    /// it gives no quad for them.
    fn graphs(&self) -> Vec<NamedNode>;
    /// Sees a quad of the load; `false` leaves it out (a quad of one of
    /// the appendix's own graphs, which it derives again).
    fn keep(&mut self, quad: &Quad) -> bool;
    /// The appendix's quads, once every input was read; problems end the
    /// load with nothing written.
    fn finish(&mut self) -> Result<Vec<Quad>, interlock_load::Diagnostics>;
}

/// The appendix of a load that writes nothing but its inputs.
pub struct NoAppendix;

impl Appendix for NoAppendix {
    fn graphs(&self) -> Vec<NamedNode> {
        Vec::new()
    }

    fn keep(&mut self, _: &Quad) -> bool {
        true
    }

    fn finish(&mut self) -> Result<Vec<Quad>, interlock_load::Diagnostics> {
        Ok(Vec::new())
    }
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
    /// What each variable a SELECT projects holds in every solution, in
    /// the order it projects them, when the caller knows (its `FILTER`s
    /// make sure); empty when it does not. With it, a remote store may
    /// answer in CSV, which its store writes several times faster than
    /// JSON but which carries no datatypes or language tags: the terms
    /// read are then IRIs and simple literals of the same text.
    pub columns: Vec<Column>,
}

/// What a column of a SELECT holds in every row (see [`QueryRequest::columns`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// An IRI, or nothing (the variable unbound).
    Iri,
    /// A literal, read as its text only; always bound.
    Text,
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
            columns: Vec::new(),
        }
    }

    /// This query, its columns holding what `columns` says (see
    /// [`QueryRequest::columns`]).
    #[must_use]
    pub fn with_columns(mut self, columns: &[Column]) -> Self {
        self.columns = columns.to_vec();
        self
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

/// The store: embedded (Oxigraph in this process, on disk or in memory) or
/// remote (any SPARQL 1.1 store, over the Protocol and the Graph Store
/// Protocol). Every caller sees the same operations and the same answers.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Local(local::Local),
    Remote(std::sync::Arc<remote::Remote>),
}

impl Store {
    /// Opens (or creates) the store in `dir`, on disk, for reading and
    /// writing. [`StoreError::InUse`] when another process has it open so.
    #[cfg(feature = "rocksdb")]
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Ok(Store::from(local::Local::open(dir)?))
    }

    /// Opens the store in `dir` for reading only, as it is at that moment,
    /// also while another process has it open for writing. Meant for short
    /// reads: Oxigraph calls reading while another process writes undefined
    /// behaviour (RocksDB may remove files this store still reads).
    #[cfg(feature = "rocksdb")]
    pub fn open_read_only(dir: &Path) -> Result<Store, StoreError> {
        Ok(Store::from(local::Local::open_read_only(dir)?))
    }

    /// A store in memory, gone when dropped.
    pub fn in_memory() -> Store {
        Store::from(local::Local::in_memory())
    }

    /// A remote SPARQL 1.1 store, checked to answer (`ASK {}`) before this
    /// returns: an unreachable store, refused credentials or an endpoint
    /// that is not SPARQL fail here, with what the store said.
    pub fn remote(config: RemoteConfig) -> Result<Store, StoreError> {
        Ok(Store {
            backend: Backend::Remote(std::sync::Arc::new(remote::Remote::connect(config)?)),
        })
    }

    /// Whether the data lives elsewhere, in a remote store.
    pub fn is_remote(&self) -> bool {
        matches!(self.backend, Backend::Remote(_))
    }

    /// The state the data is in now: equal generations mean equal data.
    /// `None` for a store in memory, while a write is under way, after a
    /// write was cut short until the store is next opened for writing, and
    /// for a remote store (others may write to it at any time).
    pub fn generation(&self) -> Option<Generation> {
        match &self.backend {
            Backend::Local(l) => l.generation(),
            Backend::Remote(_) => None,
        }
    }

    /// A file derived from the data, kept in the store's folder as `name`
    /// by [`Store::write_derived`]: a reader past the generation line, only
    /// when it was derived from the data in the state it is in now.
    pub fn read_derived(&self, name: &str) -> Option<std::io::BufReader<std::fs::File>> {
        match &self.backend {
            Backend::Local(l) => l.read_derived(name),
            Backend::Remote(_) => None,
        }
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
        match &self.backend {
            Backend::Local(l) => l.write_derived(name, generation, write),
            Backend::Remote(_) => Ok(false),
        }
    }

    /// Whether the store lives in memory only (then [`Store::flush`] has
    /// nothing to do).
    pub fn is_in_memory(&self) -> bool {
        match &self.backend {
            Backend::Local(l) => l.is_in_memory(),
            Backend::Remote(_) => false,
        }
    }

    /// Writes out what the store keeps in memory of recent writes (RocksDB's
    /// write buffers, up to 128 MiB for each of its tables before RocksDB
    /// writes them itself) and frees it. Writes are durable without it; a
    /// long-running process that keeps writing a little calls it now and then
    /// so that its memory stays flat. Nothing to do for a store in memory or
    /// a remote one.
    pub fn flush(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Local(l) => l.flush(),
            Backend::Remote(_) => Ok(()),
        }
    }

    /// Whether the store holds no dataset at all.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Local(l) => l.is_empty(),
            Backend::Remote(r) => Ok(r.datasets()?.is_empty()),
        }
    }

    /// Replaces the graphs of every input with its quads: all inputs are
    /// written, or none. `progress` is called with the number of quads
    /// read so far.
    ///
    /// Embedded, quads go through Oxigraph's bulk loader, which writes
    /// sorted files aside and adds them to the store only at the end, so a
    /// syntax error anywhere (an RDF file is parsed as it is written) leaves
    /// the store as it was, and memory stays bounded however large the
    /// input; just before that last step, the graphs being replaced are
    /// cleared in one transaction. Remote, each graph is written to a
    /// staging graph in chunks and moved over its graph with one `MOVE`
    /// once every input has been read; a failure before that removes the
    /// staging graphs and leaves the store's graphs as they were.
    pub fn replace(
        &self,
        inputs: &[Input],
        progress: &dyn Fn(u64),
    ) -> Result<LoadReport, StoreError> {
        self.replace_with(inputs, progress, &mut NoAppendix)
    }

    /// [`Store::replace`], writing with the inputs what `appendix` derives
    /// from them (its graphs replaced too), in the same all-or-nothing write.
    pub fn replace_with(
        &self,
        inputs: &[Input],
        progress: &dyn Fn(u64),
        appendix: &mut dyn Appendix,
    ) -> Result<LoadReport, StoreError> {
        match &self.backend {
            Backend::Local(l) => l.replace(inputs, progress, appendix),
            Backend::Remote(r) => r.replace(inputs, progress, appendix),
        }
    }

    /// Writes every quad of the store's datasets in a dataset format
    /// (N-Quads, TriG).
    pub fn dump(
        &self,
        format: oxigraph::io::RdfFormat,
        out: impl std::io::Write,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Local(l) => l.dump(format, out),
            Backend::Remote(r) => r.dump(format, out),
        }
    }

    /// The datasets' graphs with their sizes, sorted by IRI.
    pub fn graphs(&self) -> Result<Vec<GraphInfo>, StoreError> {
        match &self.backend {
            Backend::Local(l) => l.graphs(),
            Backend::Remote(r) => r.graphs(),
        }
    }

    /// Evaluates a query. With no dataset in the request or the query, the
    /// default graph is the union of the datasets' graphs and `GRAPH` sees
    /// each of them, on every kind of store. The results stream from the
    /// store; reading them after `request.cancel` is cancelled yields
    /// [`StoreError::Timeout`].
    pub fn query(&self, request: &QueryRequest) -> Result<QueryResults<'static>, StoreError> {
        if let Some(refused) = screen::screen(&request.query)?.service_refused() {
            return Err(refused);
        }
        match &self.backend {
            Backend::Local(l) => l.query(request),
            Backend::Remote(r) => r.query(request),
        }
    }

    /// Runs a SPARQL update: all of it applies, or none (embedded, in one
    /// transaction; remote, as the store runs one request).
    pub fn update(&self, request: &UpdateRequest) -> Result<(), StoreError> {
        let found = screen::screen(&request.update)?;
        if let Some(refused) = found.load_refused().or_else(|| found.service_refused()) {
            return Err(refused);
        }
        match &self.backend {
            Backend::Local(l) => l.update(request),
            Backend::Remote(r) => r.update(request),
        }
    }
}

impl From<local::Local> for Store {
    fn from(local: local::Local) -> Store {
        Store {
            backend: Backend::Local(local),
        }
    }
}

/// The graph named `iri`, or [`StoreError::InvalidGraph`] when it is not an IRI.
pub fn graph_node(iri: &str) -> Result<NamedNode, StoreError> {
    NamedNode::new(iri).map_err(|_| StoreError::InvalidGraph(iri.to_string()))
}
