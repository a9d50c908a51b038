//! A remote SPARQL 1.1 store (Oxigraph's server, Virtuoso, Fuseki, …),
//! spoken to only through the standards: the SPARQL 1.1 Protocol for
//! queries and updates, the Graph Store Protocol (when the store has one)
//! for writing graphs.
//!
//! What differs between stores is decided here, once:
//! - **The default graph.** Stores disagree on what a query without a
//!   dataset sees (Virtuoso: every graph; Oxigraph's server, Fuseki: the
//!   store's own default graph). A query without one is sent with the
//!   interlock datasets' graphs as both `default-graph-uri` and
//!   `named-graph-uri`, so it means what it means on the embedded store,
//!   joins and property paths across datasets included; other people's
//!   graphs in a shared store (and Virtuoso's own) are left out.
//! - **Result formats.** JSON (or XML) for every answer, except a SELECT
//!   whose caller said what each column holds: CSV, the fastest for stores
//!   to write (`csv_results.rs`).
//! - **Row caps.** With a page size, or once the store said it cut an
//!   answer, SELECTs are read in ordered pages (`read.rs`).
//! - **Writes** go to a staging graph in chunks and are moved over their
//!   graph with one `MOVE` per dataset, in one request (`staging.rs`).

mod csv_results;
mod http;
mod paging;
mod read;
mod staging;

pub use read::ReadProgress;

use crate::{GraphInfo, LoadReport, QueryRequest, StoreError, UpdateRequest, local};
use http::{Call, Http};
use interlock_load::Input;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::QueryResults;
use spargebra::SparqlParser;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use ureq::http::Method;

/// How long the library's own reads (the projection's scans, dumps) may
/// take before the store begins to answer.
const READ_TIMEOUT: Duration = Duration::from_secs(600);

/// How to reach a remote store.
#[derive(Debug, Clone)]
pub struct RemoteConfig {
    /// The SPARQL query endpoint (`http://host:8890/sparql`).
    pub query_url: String,
    /// The SPARQL update endpoint; the query endpoint when `None`.
    pub update_url: Option<String>,
    /// The Graph Store Protocol endpoint; when `None`, graphs are written
    /// with SPARQL Update (`INSERT DATA`).
    pub graph_store_url: Option<String>,
    /// What to answer the store's authentication challenge with.
    pub credentials: Option<Credentials>,
    /// What every graph of an interlock dataset starts with (`{base}graph/`):
    /// other graphs in the store are not interlock's, and no analysis reads them.
    pub datasets: String,
    /// Rows per page for long reads, at most the store's row cap; `None`
    /// reads every answer in one piece, as it streams.
    pub page_size: Option<usize>,
    /// Triples per write request.
    pub chunk_size: usize,
    /// Write requests in flight at once: stores insert concurrent requests
    /// on several threads, but Virtuoso 7.2 may refuse one of two that
    /// bring the same new language tag at once (`SR197: Non unique primary
    /// key on DB.DBA.RDF_LANGUAGE`), so one unless asked.
    pub connections: usize,
    /// Told of the rows read so far, on long reads.
    pub progress: Option<ReadProgress>,
}

impl RemoteConfig {
    /// The store at `query_url`, updates and graphs written through the same
    /// address, no credentials, no paging, chunks of 10,000 triples, one
    /// at a time.
    pub fn new(query_url: impl Into<String>, datasets: impl Into<String>) -> RemoteConfig {
        RemoteConfig {
            query_url: query_url.into(),
            update_url: None,
            graph_store_url: None,
            credentials: None,
            datasets: datasets.into(),
            page_size: None,
            chunk_size: 10_000,
            connections: 1,
            progress: None,
        }
    }
}

/// Credentials for a remote store. Never printed: `Debug` hides the secret.
#[derive(Clone)]
pub enum Credentials {
    /// Sent as `Authorization: Bearer …` (an interlock server's token).
    Bearer(String),
    /// A user and password, sent as HTTP basic or digest, as the store asks.
    Password {
        /// The user.
        user: String,
        /// The password.
        password: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Bearer(_) => f.write_str("Bearer(…)"),
            Credentials::Password { user, .. } => write!(f, "Password({user}, …)"),
        }
    }
}

/// How long the update that puts a write in place may take: as long as
/// the store's own transaction takes, within reason.
const COMMIT_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// How long a list of the datasets is used before the store is asked again
/// (others may add or drop datasets at any time).
const DATASETS_KEPT: Duration = Duration::from_secs(10);

/// A remote store and the client that speaks to it.
pub(crate) struct Remote {
    config: RemoteConfig,
    http: Http,
    reader: read::Reader,
    /// The datasets last listed, and when.
    datasets: std::sync::Mutex<Option<(std::time::Instant, Vec<String>)>>,
    /// Whether graphs are listed by the triples they hold (`GRAPH ?g {}`
    /// found none where they did).
    graphs_by_triples: AtomicBool,
}

impl Remote {
    /// Connects and checks that the store answers `ASK {}`.
    pub(crate) fn connect(config: RemoteConfig) -> Result<Remote, StoreError> {
        let http = Http::new(config.credentials.clone());
        let reader = read::Reader::new(
            http.clone(),
            config.query_url.clone(),
            config.progress.clone(),
        );
        let remote = Remote {
            http,
            reader,
            config,
            datasets: std::sync::Mutex::new(None),
            graphs_by_triples: AtomicBool::new(false),
        };
        if remote.reader.ask("ASK {}", &[], READ_TIMEOUT)? {
            Ok(remote)
        } else {
            Err(StoreError::RemoteRefused {
                url: remote.config.query_url.clone(),
                status: 200,
                message: "ASK {} was not answered true: is this a SPARQL endpoint?".into(),
            })
        }
    }

    /// The interlock datasets' graphs in the store, sorted; listed again
    /// after a write through this process, or once [`DATASETS_KEPT`] passed.
    pub(crate) fn datasets(&self) -> Result<Vec<String>, StoreError> {
        let mut kept = self.datasets.lock().expect("never poisoned");
        if let Some((listed, datasets)) = kept.as_ref()
            && listed.elapsed() < DATASETS_KEPT
        {
            return Ok(datasets.clone());
        }
        let datasets = self.graph_names(&self.config.datasets)?;
        *kept = Some((std::time::Instant::now(), datasets.clone()));
        Ok(datasets)
    }

    /// Forgets the list of datasets: this process wrote to the store.
    pub(crate) fn written(&self) {
        *self.datasets.lock().expect("never poisoned") = None;
    }

    /// The store's graphs whose IRI starts with `prefix`, sorted. Oxigraph's
    /// server lists its graphs for `GRAPH ?g {}`, Virtuoso does not: it is
    /// asked which graphs hold a triple, and once that found graphs the
    /// other did not, only that is asked. Asked as a `GROUP BY` with the
    /// prefix kept here: Virtuoso then lists its graphs from an index in a
    /// blink, where `DISTINCT` calls its list of known graphs (14 s at 2.4M
    /// quads written by SPARQL) and a `FILTER` on the graph reads every
    /// quad (35 s at 24M).
    fn graph_names(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let by_triples = self.graphs_by_triples.load(Ordering::Relaxed);
        let patterns: &[&str] = if by_triples {
            &["?s ?p ?o"]
        } else {
            &["", "?s ?p ?o"]
        };
        let mut graphs = Vec::new();
        for (tried, pattern) in patterns.iter().enumerate() {
            let query = format!("SELECT ?g WHERE {{ GRAPH ?g {{ {pattern} }} }} GROUP BY ?g");
            self.each_row(&query, |row| {
                if let Some(Term::NamedNode(g)) = &row[0]
                    && g.as_str().starts_with(prefix)
                {
                    graphs.push(g.as_str().to_string());
                }
            })?;
            if !graphs.is_empty() {
                if tried > 0 {
                    self.graphs_by_triples.store(true, Ordering::Relaxed);
                }
                break;
            }
        }
        graphs.sort();
        Ok(graphs)
    }

    /// The datasets' graphs with their sizes, sorted by IRI: counted one
    /// graph at a time, so that a shared store's other graphs are not read.
    pub(crate) fn graphs(&self) -> Result<Vec<GraphInfo>, StoreError> {
        let mut graphs = Vec::new();
        for graph in self.datasets()? {
            let query =
                format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}");
            let mut triples = 0;
            self.each_row(&query, |row| {
                if let Some(Term::Literal(n)) = &row[0] {
                    triples = n.value().parse().unwrap_or(0);
                }
            })?;
            graphs.push(GraphInfo { graph, triples });
        }
        Ok(graphs)
    }

    /// Evaluates a query on the store, with the datasets as its dataset
    /// when neither the request nor the query names one.
    pub(crate) fn query(
        &self,
        request: &QueryRequest,
    ) -> Result<QueryResults<'static>, StoreError> {
        let mut parser = SparqlParser::new();
        if let Some(base) = &request.base_iri {
            parser = parser
                .with_base_iri(base)
                .map_err(|e| StoreError::Syntax(format!("invalid base IRI '{base}': {e}")))?;
        }
        let parsed = parser
            .parse_query(&request.query)
            .map_err(|e| StoreError::Syntax(e.to_string()))?;
        let (default, named) =
            if !request.default_graphs.is_empty() || !request.named_graphs.is_empty() {
                (request.default_graphs.clone(), request.named_graphs.clone())
            } else if has_dataset(&parsed) {
                (Vec::new(), Vec::new())
            } else {
                let datasets = self.datasets()?;
                if datasets.is_empty() {
                    // No dataset: the answer over an empty dataset, which no
                    // store can be asked for by name.
                    return local::Local::in_memory().query(request);
                }
                (datasets.clone(), datasets)
            };
        let params: Vec<(String, String)> = default
            .into_iter()
            .map(|g| ("default-graph-uri".to_string(), g))
            .chain(
                named
                    .into_iter()
                    .map(|g| ("named-graph-uri".to_string(), g)),
            )
            .collect();
        let (text, timeout, cancel) = (&request.query, request.timeout, request.cancel.clone());
        match parsed {
            spargebra::Query::Select { .. } => {
                let size = self.config.page_size;
                self.reader.select(
                    text,
                    parsed,
                    &request.columns,
                    &params,
                    size,
                    timeout,
                    cancel,
                )
            }
            spargebra::Query::Ask { .. } => Ok(QueryResults::Boolean(
                self.reader.ask(text, &params, timeout)?,
            )),
            _ => self.reader.triples(text, &params, timeout, cancel),
        }
    }

    /// Runs an update on the store, as one request.
    pub(crate) fn update(&self, request: &UpdateRequest) -> Result<(), StoreError> {
        let mut form = vec![("update", request.update.as_str())];
        form.extend(
            request
                .using_graphs
                .iter()
                .map(|g| ("using-graph-uri", g.as_str())),
        );
        form.extend(
            request
                .using_named_graphs
                .iter()
                .map(|g| ("using-named-graph-uri", g.as_str())),
        );
        self.send_update(&form, false, READ_TIMEOUT)
    }

    /// Writes every quad of the datasets' graphs.
    pub(crate) fn dump(
        &self,
        format: RdfFormat,
        out: impl std::io::Write,
    ) -> Result<(), StoreError> {
        let mut writer = RdfSerializer::from_format(format).for_writer(out);
        for graph in self.datasets()? {
            let name = GraphName::NamedNode(crate::graph_node(&graph)?);
            let mut failed = None;
            self.graph_rows(Some(&graph), |triple| {
                if failed.is_none() {
                    let quad = Quad::new(
                        triple.subject,
                        triple.predicate,
                        triple.object,
                        name.clone(),
                    );
                    failed = writer.serialize_quad(&quad).err();
                }
            })?;
            if let Some(e) = failed {
                return Err(StoreError::Io(e));
            }
        }
        writer.finish()?;
        Ok(())
    }

    /// Replaces the graphs of every input: see `staging.rs`.
    pub(crate) fn replace(
        &self,
        inputs: &[Input],
        progress: &dyn Fn(u64),
        appendix: &mut dyn crate::Appendix,
    ) -> Result<LoadReport, StoreError> {
        staging::replace(self, inputs, progress, appendix)
    }

    /// Writes `triples` into one graph, replacing it or adding to it, all
    /// or nothing (see `staging.rs`).
    pub(crate) fn write_graph(
        &self,
        target: &crate::GraphTarget,
        triples: Vec<Triple>,
        replace: bool,
    ) -> Result<(), StoreError> {
        staging::write_graph(self, target, triples, replace)
    }

    /// Runs one update of interlock's own (`idempotent`: see `send_update`).
    pub(crate) fn run_update(&self, update: &str, idempotent: bool) -> Result<(), StoreError> {
        self.send_update(&[("update", update)], idempotent, READ_TIMEOUT)
    }

    /// Hands each triple of `graph` (the store's default graph for `None`)
    /// to `triple`.
    pub(crate) fn graph_rows(
        &self,
        graph: Option<&str>,
        mut triple: impl FnMut(Triple),
    ) -> Result<(), StoreError> {
        let query = match graph {
            Some(graph) => format!("SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
            None => "SELECT ?s ?p ?o WHERE { ?s ?p ?o }".to_string(),
        };
        self.each_row(&query, |row| {
            if let (Some(s), Some(Term::NamedNode(p)), Some(o)) = (&row[0], &row[1], &row[2]) {
                let subject = match s {
                    Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
                    Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
                    _ => return,
                };
                triple(Triple::new(subject, p.clone(), o.clone()));
            }
        })
    }

    /// Whether a graph holds any triple (stores do not all keep empty graphs).
    pub(crate) fn graph_has_triples(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        let query = format!("ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}");
        self.reader.ask(&query, &[], READ_TIMEOUT)
    }

    /// Hands each row of an internal SELECT (over the whole store) to `row`.
    fn each_row(&self, query: &str, row: impl FnMut(&[Option<Term>])) -> Result<(), StoreError> {
        let size = self.config.page_size;
        self.reader.each_row(query, &[], size, READ_TIMEOUT, row)
    }

    /// Sends the update that puts a write in place (`MOVE`s), once, and
    /// waits for it as long as the store works on it (a `MOVE` of millions
    /// of triples takes Virtuoso many minutes). No answer is an unknown
    /// outcome, not a failure: the request may have arrived.
    pub(crate) fn commit_update(&self, update: &str) -> Result<(), StoreError> {
        let sent = self.send_update(&[("update", update)], false, COMMIT_TIMEOUT);
        let url = self.update_url().to_string();
        match sent {
            Ok(_) => Ok(()),
            Err(StoreError::Timeout(_)) => Err(StoreError::CommitUnknown {
                url,
                reason: "no answer".into(),
            }),
            Err(StoreError::Unreachable { reason, .. }) => {
                Err(StoreError::CommitUnknown { url, reason })
            }
            Err(e) => Err(e),
        }
    }

    /// Sends an update form to the update endpoint; retried after a failed
    /// connection when `idempotent` (running it twice does what once does).
    fn send_update(
        &self,
        form: &[(&str, &str)],
        idempotent: bool,
        timeout: Duration,
    ) -> Result<(), StoreError> {
        let url = self.update_url();
        let body = form_body(form);
        let sent = self.http.send(&Call {
            method: Method::POST,
            url,
            params: &[],
            content_type: Some("application/x-www-form-urlencoded"),
            accept: None,
            body: body.as_bytes(),
            timeout,
            idempotent,
        });
        // Forgotten once the write is done, whatever its outcome: a list
        // made while it ran may be out of date.
        self.written();
        sent.map(drop)
    }

    fn update_url(&self) -> &str {
        self.config
            .update_url
            .as_deref()
            .unwrap_or(&self.config.query_url)
    }
}

/// Whether a query names its own dataset (`FROM`, `FROM NAMED`).
fn has_dataset(query: &spargebra::Query) -> bool {
    match query {
        spargebra::Query::Select { dataset, .. }
        | spargebra::Query::Construct { dataset, .. }
        | spargebra::Query::Describe { dataset, .. }
        | spargebra::Query::Ask { dataset, .. } => dataset.is_some(),
    }
}

pub(super) fn form_body(form: &[(&str, &str)]) -> String {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form {
        body.append_pair(k, v);
    }
    body.finish()
}
