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
//! - **Row caps.** With a page size, long SELECTs are read in ordered pages.
//! - **Writes** go to a staging graph in chunks and are moved over their
//!   graph with one `MOVE` per dataset, in one request (`staging.rs`).

mod http;
mod paging;
mod staging;

use crate::{GraphInfo, LoadReport, QueryRequest, StoreError, UpdateRequest, local};
use http::{Call, Http};
use interlock_load::Input;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput, ReaderSolutionsParser,
};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolutionIter, QueryTripleIter,
    Variable,
};
use spargebra::SparqlParser;
use std::sync::Arc;
use std::time::Duration;
use ureq::http::Method;

/// What results of a SELECT or ASK are asked for in: every store of the
/// field writes JSON, and it is read as it arrives.
const SOLUTIONS: &str = "application/sparql-results+json, application/sparql-results+xml;q=0.8";
/// What a CONSTRUCT or DESCRIBE is asked for in.
const TRIPLES: &str = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5";
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
}

impl RemoteConfig {
    /// The store at `query_url`, updates and graphs written through the same
    /// address, no credentials, no paging, chunks of 10,000 triples.
    pub fn new(query_url: impl Into<String>, datasets: impl Into<String>) -> RemoteConfig {
        RemoteConfig {
            query_url: query_url.into(),
            update_url: None,
            graph_store_url: None,
            credentials: None,
            datasets: datasets.into(),
            page_size: None,
            chunk_size: 10_000,
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

/// How long a list of the datasets is used before the store is asked again
/// (others may add or drop datasets at any time).
const DATASETS_KEPT: Duration = Duration::from_secs(10);

/// A remote store and the client that speaks to it.
pub(crate) struct Remote {
    config: RemoteConfig,
    http: Http,
    /// The datasets last listed, and when.
    datasets: std::sync::Mutex<Option<(std::time::Instant, Vec<String>)>>,
}

/// A SELECT to read page by page when the store caps its answers.
struct Paged {
    text: String,
    query: spargebra::Query,
    size: usize,
}

impl Remote {
    /// Connects and checks that the store answers `ASK {}`.
    pub(crate) fn connect(config: RemoteConfig) -> Result<Remote, StoreError> {
        let remote = Remote {
            http: Http::new(config.credentials.clone()),
            config,
            datasets: std::sync::Mutex::new(None),
        };
        let text = "ASK {}";
        let results = remote.send_query(text, &[], SOLUTIONS, READ_TIMEOUT)?;
        match results_of(&remote.config.query_url, results)? {
            ReaderQueryResultsParserOutput::Boolean(true) => Ok(remote),
            _ => Err(StoreError::RemoteRefused {
                url: remote.config.query_url.clone(),
                status: 200,
                message: "ASK {} was not answered true: is this a SPARQL endpoint?".into(),
            }),
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
    /// asked which graphs hold a triple.
    fn graph_names(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let mut graphs = Vec::new();
        for pattern in ["", "?s ?p ?o"] {
            let query = format!(
                "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {pattern} }} FILTER(STRSTARTS(STR(?g), {})) }}",
                string_literal(prefix)
            );
            self.each_row(&query, &[], |row| {
                if let Some(Term::NamedNode(g)) = &row[0] {
                    graphs.push(g.as_str().to_string());
                }
            })?;
            if !graphs.is_empty() {
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
            self.each_row(&query, &[], |row| {
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
        let mut params: Vec<(&str, &str)> = Vec::new();
        params.extend(default.iter().map(|g| ("default-graph-uri", g.as_str())));
        params.extend(named.iter().map(|g| ("named-graph-uri", g.as_str())));
        let params: Vec<(String, String)> = params
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match (&parsed, self.config.page_size) {
            (spargebra::Query::Select { .. }, Some(size)) => {
                let paged = Paged {
                    text: request.query.clone(),
                    query: parsed,
                    size,
                };
                self.pages(paged, params, request.timeout, request.cancel.clone())
            }
            (spargebra::Query::Select { .. } | spargebra::Query::Ask { .. }, _) => {
                let params = borrowed(&params);
                let response =
                    self.send_query(&request.query, &params, SOLUTIONS, request.timeout)?;
                Ok(cancellable(
                    results_of(&self.config.query_url, response)?.into(),
                    request.cancel.clone(),
                ))
            }
            _ => {
                let params = borrowed(&params);
                let response =
                    self.send_query(&request.query, &params, TRIPLES, request.timeout)?;
                triples_of(&self.config.query_url, response, request.cancel.clone())
            }
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
        self.send_update(&form, false)
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
    ) -> Result<LoadReport, StoreError> {
        staging::replace(self, inputs, progress)
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
        self.send_update(&[("update", update)], idempotent)
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
        self.each_row(&query, &[], |row| {
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
        let response = self.send_query(&query, &[], SOLUTIONS, READ_TIMEOUT)?;
        match results_of(&self.config.query_url, response)? {
            ReaderQueryResultsParserOutput::Boolean(b) => Ok(b),
            ReaderQueryResultsParserOutput::Solutions(_) => Err(StoreError::RemoteRefused {
                url: self.config.query_url.clone(),
                status: 200,
                message: "an ASK was answered with solutions".into(),
            }),
        }
    }

    /// Hands each row of an internal SELECT (sent with `params` as its
    /// dataset) to `row`, page by page when the store caps answers.
    fn each_row(
        &self,
        query: &str,
        params: &[(String, String)],
        mut row: impl FnMut(&[Option<Term>]),
    ) -> Result<(), StoreError> {
        let results = match self.config.page_size {
            Some(size) => {
                let parsed = SparqlParser::new()
                    .parse_query(query)
                    .map_err(|e| StoreError::Syntax(e.to_string()))?;
                let paged = Paged {
                    text: query.to_string(),
                    query: parsed,
                    size,
                };
                self.pages(
                    paged,
                    params.to_vec(),
                    READ_TIMEOUT,
                    CancellationToken::new(),
                )?
            }
            None => {
                let response =
                    self.send_query(query, &borrowed(params), SOLUTIONS, READ_TIMEOUT)?;
                results_of(&self.config.query_url, response)?.into()
            }
        };
        let QueryResults::Solutions(solutions) = results else {
            return Ok(());
        };
        for solution in solutions {
            let solution = solution.map_err(|e| StoreError::Evaluation(e.to_string()))?;
            row(solution.values());
        }
        Ok(())
    }

    /// The solutions of a SELECT read page after page, lazily.
    fn pages(
        &self,
        paged: Paged,
        params: Vec<(String, String)>,
        timeout: Duration,
        cancel: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        let first = self.page(&paged, 0, &params, timeout)?;
        let variables: Arc<[Variable]> = first.as_ref().map_or_else(
            || Arc::from(projected(&paged.query)),
            |p| Arc::from(p.variables()),
        );
        let http = self.http.clone();
        let url = self.config.query_url.clone();
        let mut current = first;
        let mut number = 0;
        let mut in_page = 0;
        let rows = std::iter::from_fn(move || {
            loop {
                if cancel.is_cancelled() {
                    return Some(Err(QueryEvaluationError::Cancelled));
                }
                let page = current.as_mut()?;
                match page.next() {
                    Some(Ok(row)) => {
                        in_page += 1;
                        return Some(Ok(row));
                    }
                    Some(Err(e)) => return Some(Err(QueryEvaluationError::Unexpected(e.into()))),
                    None if in_page < paged.size => return None,
                    None => {
                        number += 1;
                        in_page = 0;
                        let page = fetch_page(&http, &url, &paged, number, &params, timeout);
                        current = match page {
                            Ok(page) => page,
                            Err(e) => return Some(Err(QueryEvaluationError::Unexpected(e.into()))),
                        };
                    }
                }
            }
        });
        Ok(QueryResults::Solutions(QuerySolutionIter::new(
            variables, rows,
        )))
    }

    fn page(
        &self,
        paged: &Paged,
        number: usize,
        params: &[(String, String)],
        timeout: Duration,
    ) -> Result<Option<ReaderSolutionsParser<ureq::BodyReader<'static>>>, StoreError> {
        fetch_page(
            &self.http,
            &self.config.query_url,
            paged,
            number,
            params,
            timeout,
        )
    }

    /// Sends a query by POST, form-encoded (any length, every store).
    fn send_query(
        &self,
        query: &str,
        dataset: &[(&str, &str)],
        accept: &str,
        timeout: Duration,
    ) -> Result<ureq::http::Response<ureq::Body>, StoreError> {
        send_query(
            &self.http,
            &self.config.query_url,
            query,
            dataset,
            accept,
            timeout,
        )
    }

    /// Sends an update form to the update endpoint; retried after a failed
    /// connection when `idempotent` (running it twice does what once does).
    fn send_update(&self, form: &[(&str, &str)], idempotent: bool) -> Result<(), StoreError> {
        let url = self.update_url();
        let body = form_body(form);
        let sent = self.http.send(&Call {
            method: Method::POST,
            url,
            params: &[],
            content_type: Some("application/x-www-form-urlencoded"),
            accept: None,
            body: body.as_bytes(),
            timeout: READ_TIMEOUT,
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

/// Page `number` of a paged SELECT: `None` past the query's own `LIMIT`.
fn fetch_page(
    http: &Http,
    url: &str,
    paged: &Paged,
    number: usize,
    params: &[(String, String)],
    timeout: Duration,
) -> Result<Option<ReaderSolutionsParser<ureq::BodyReader<'static>>>, StoreError> {
    let Some(query) = paging::page_text(&paged.text, &paged.query, number, paged.size) else {
        return Ok(None);
    };
    let response = send_query(http, url, &query, &borrowed(params), SOLUTIONS, timeout)?;
    match results_of(url, response)? {
        ReaderQueryResultsParserOutput::Solutions(s) => Ok(Some(s)),
        ReaderQueryResultsParserOutput::Boolean(_) => Err(StoreError::RemoteRefused {
            url: url.to_string(),
            status: 200,
            message: "a SELECT was answered with a boolean".into(),
        }),
    }
}

fn send_query(
    http: &Http,
    url: &str,
    query: &str,
    dataset: &[(&str, &str)],
    accept: &str,
    timeout: Duration,
) -> Result<ureq::http::Response<ureq::Body>, StoreError> {
    let mut form = vec![("query", query)];
    form.extend_from_slice(dataset);
    let body = form_body(&form);
    http.send(&Call {
        method: Method::POST,
        url,
        params: &[],
        content_type: Some("application/x-www-form-urlencoded"),
        accept: Some(accept),
        body: body.as_bytes(),
        timeout,
        idempotent: true,
    })
}

/// The answer to a SELECT or ASK, parsed as it arrives, in the format the
/// store says it is in.
fn results_of(
    url: &str,
    response: ureq::http::Response<ureq::Body>,
) -> Result<ReaderQueryResultsParserOutput<ureq::BodyReader<'static>>, StoreError> {
    let media_type = media_type(&response);
    let format = QueryResultsFormat::from_media_type(&media_type).ok_or_else(|| {
        StoreError::RemoteRefused {
            url: url.to_string(),
            status: response.status().as_u16(),
            message: format!("results in '{media_type}', which is not a SPARQL results format"),
        }
    })?;
    QueryResultsParser::from_format(format)
        .for_reader(response.into_body().into_reader())
        .map_err(|e| StoreError::RemoteRefused {
            url: url.to_string(),
            status: 200,
            message: format!("unreadable results: {e}"),
        })
}

/// The triples of a CONSTRUCT or DESCRIBE, parsed as they arrive.
fn triples_of(
    url: &str,
    response: ureq::http::Response<ureq::Body>,
    cancel: CancellationToken,
) -> Result<QueryResults<'static>, StoreError> {
    let media_type = media_type(&response);
    let format =
        RdfFormat::from_media_type(&media_type).ok_or_else(|| StoreError::RemoteRefused {
            url: url.to_string(),
            status: response.status().as_u16(),
            message: format!("triples in '{media_type}', which is not an RDF format"),
        })?;
    let triples = RdfParser::from_format(format)
        .for_reader(response.into_body().into_reader())
        .map(move |q| {
            if cancel.is_cancelled() {
                return Err(QueryEvaluationError::Cancelled);
            }
            q.map(Triple::from)
                .map_err(|e| QueryEvaluationError::Unexpected(e.into()))
        });
    Ok(QueryResults::Graph(QueryTripleIter::new(triples)))
}

/// Solutions that stop with [`QueryEvaluationError::Cancelled`] once
/// `cancel` is: the caller's time limit holds while results stream in.
fn cancellable(results: QueryResults<'static>, cancel: CancellationToken) -> QueryResults<'static> {
    match results {
        QueryResults::Solutions(solutions) => {
            let variables: Arc<[Variable]> = Arc::from(solutions.variables());
            let rows = solutions.map(move |s| {
                if cancel.is_cancelled() {
                    return Err(QueryEvaluationError::Cancelled);
                }
                s
            });
            QueryResults::Solutions(QuerySolutionIter::new(variables, rows))
        }
        other => other,
    }
}

fn media_type(response: &ureq::http::Response<ureq::Body>) -> String {
    response
        .headers()
        .get(ureq::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
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

/// The variables a SELECT projects, for an answer with no page at all.
fn projected(query: &spargebra::Query) -> Vec<Variable> {
    match query {
        spargebra::Query::Select { pattern, .. } => paging::projected(pattern),
        _ => Vec::new(),
    }
}

fn borrowed(params: &[(String, String)]) -> Vec<(&str, &str)> {
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn form_body(form: &[(&str, &str)]) -> String {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form {
        body.append_pair(k, v);
    }
    body.finish()
}

/// `text` as a SPARQL string literal.
fn string_literal(text: &str) -> String {
    oxigraph::model::Literal::new_simple_literal(text).to_string()
}
