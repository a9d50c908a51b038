//! Reading answers from a remote store: one request for an answer that
//! fits the store's row cap, ordered pages for one that does not, and what
//! the store taught this process about both.
//!
//! Stores cap the rows of one answer; Virtuoso's `ResultSetMaxRows` cuts a
//! SELECT at 10,000 rows and says so only in an `X-SPARQL-MaxRows` header.
//! An answer carrying that header is never handed on: it is asked again in
//! pages of that many rows.
//! Virtuoso also sorts at most `MaxSortedTopRows` rows for
//! `ORDER BY … LIMIT … OFFSET`: a page it refuses past the first is asked
//! again as an ordered sub-select with the slice outside it, the form its
//! documentation gives, and so are all later pages. An answer the store
//! says is incomplete (its time limit ran out) is an error, never rows.

use super::http::{Call, Http};
use super::{csv_results, paging};
use crate::{Column, StoreError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, QuerySolutionIter,
    QueryTripleIter, Variable,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use ureq::http::Method;

/// What results of a SELECT or ASK are asked for in: every store of the
/// field writes JSON, and it is read as it arrives.
pub(super) const SOLUTIONS: &str =
    "application/sparql-results+json, application/sparql-results+xml;q=0.8";
/// What results of a SELECT whose columns are known are asked for in: CSV
/// first (`csv_results.rs`), else what any other SELECT is.
const SOLUTIONS_CSV_FIRST: &str =
    "text/csv, application/sparql-results+json;q=0.9, application/sparql-results+xml;q=0.8";
/// What a CONSTRUCT or DESCRIBE is asked for in.
pub(super) const TRIPLES: &str =
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5";
/// The header in which Virtuoso says it cut an answer, and at how many rows.
const ROW_CAP_HEADER: &str = "x-sparql-maxrows";
/// The error Virtuoso 7 answers a sort with now and then, not again when
/// asked again: "SR477: Error serializing the value into an ANY column".
const TRANSIENT_SORT_ERROR: &str = "SR477";
/// The header in which Virtuoso says an answer is incomplete.
const PARTIAL_HEADER: &str = "x-sql-state";
/// How many rows are read between two reports of progress.
const REPORTED_EVERY: u64 = 10_000;

/// Told how many rows this store has handed over so far, every
/// [`REPORTED_EVERY`] rows: long reads can show that they move.
#[derive(Clone)]
pub struct ReadProgress(pub Arc<dyn Fn(u64) + Send + Sync>);

impl std::fmt::Debug for ReadProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadProgress")
    }
}

/// What the store taught this process, shared by every read.
#[derive(Default)]
struct Learned {
    /// The rows the store cuts an answer at (0: none seen yet).
    row_cap: AtomicUsize,
    /// Whether pages are asked as an ordered sub-select.
    nested_pages: AtomicBool,
    /// Rows read so far.
    rows: AtomicU64,
}

/// The reading side of a remote store: its query endpoint, the client,
/// and what it learned. Clones share what they learn.
#[derive(Clone)]
pub(super) struct Reader {
    http: Http,
    url: String,
    learned: Arc<Learned>,
    progress: Option<ReadProgress>,
}

/// A SELECT to read page by page.
struct Paged {
    text: String,
    query: spargebra::Query,
    /// The variables the query projects, in order.
    projected: Arc<[Variable]>,
    columns: Vec<Column>,
    size: usize,
}

/// The solutions of one answer as they are read, whatever its format.
pub(super) struct Answer {
    pub(super) variables: Arc<[Variable]>,
    pub(super) rows: Box<dyn Iterator<Item = Result<QuerySolution, QueryEvaluationError>>>,
}

/// What the store answered a SELECT or an ASK with.
enum Answered {
    Boolean(bool),
    Solutions(Answer),
}

/// One page as the store answered it.
enum Page {
    Rows(Answer),
    /// Past the query's own `LIMIT`.
    Past,
    /// The store cut it at this many rows, fewer than asked for.
    Cut(usize),
}

impl Reader {
    /// Reads from the query endpoint `url` with `http`.
    pub(super) fn new(http: Http, url: String, progress: Option<ReadProgress>) -> Reader {
        Reader {
            http,
            url,
            learned: Arc::default(),
            progress,
        }
    }

    /// The answer to an ASK (`true`/`false`).
    pub(super) fn ask(
        &self,
        query: &str,
        params: &[(String, String)],
        timeout: Duration,
    ) -> Result<bool, StoreError> {
        let response = self.send(query, params, SOLUTIONS, timeout)?;
        match answered(&self.url, response, &[], &[])? {
            Answered::Boolean(answer) => Ok(answer),
            Answered::Solutions(_) => Err(self.refused("an ASK was answered with solutions")),
        }
    }

    /// The solutions of a SELECT (`text`, parsed as `query`, its columns
    /// holding `columns` if not empty) sent with `params` as its dataset:
    /// in pages of `page_size` rows (at most the store's row cap, once
    /// known), else whole as they stream, and in pages of the cap if the
    /// store cut it.
    #[allow(clippy::too_many_arguments, reason = "one request's parts, each named")]
    pub(super) fn select(
        &self,
        text: &str,
        query: spargebra::Query,
        columns: &[Column],
        params: &[(String, String)],
        page_size: Option<usize>,
        timeout: Duration,
        cancel: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        // A known cap does not page every SELECT: most answers (an entity's
        // ties, a search) are far below it, and a page is a sort.
        let size = page_size.map(|size| self.row_cap().map_or(size, |cap| size.min(cap)));
        let projected: Arc<[Variable]> = Arc::from(projected(&query));
        let paged = |size| Paged {
            text: text.to_string(),
            projected: projected.clone(),
            columns: columns.to_vec(),
            query,
            size,
        };
        if let Some(size) = size {
            return self.pages(paged(size), params, timeout, cancel);
        }
        let response = self.send(text, params, accept(columns), timeout)?;
        if let Some(cap) = row_cap(&response) {
            // Cut: asked again in pages, before any row was handed on.
            self.learned.row_cap.store(cap, Ordering::Relaxed);
            return self.pages(paged(cap), params, timeout, cancel);
        }
        Ok(match answered(&self.url, response, &projected, columns)? {
            Answered::Boolean(answer) => QueryResults::Boolean(answer),
            Answered::Solutions(answer) => self.counted(answer, cancel),
        })
    }

    /// The triples of a CONSTRUCT or DESCRIBE, parsed as they arrive. An
    /// answer of exactly the store's known row cap ends with an error: the
    /// store may have cut it, and says so for SELECTs only.
    pub(super) fn triples(
        &self,
        text: &str,
        params: &[(String, String)],
        timeout: Duration,
        cancel: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        let response = self.send(text, params, TRIPLES, timeout)?;
        let media_type = media_type(&response);
        let format = RdfFormat::from_media_type(&media_type).ok_or_else(|| {
            self.refused(&format!(
                "triples in '{media_type}', which is not an RDF format"
            ))
        })?;
        let cap = self.row_cap();
        let mut parsed = RdfParser::from_format(format)
            .for_reader(response.into_body().into_reader())
            .map(|q| {
                q.map(Triple::from)
                    .map_err(|e| QueryEvaluationError::Unexpected(e.into()))
            });
        let mut count = 0;
        let triples = std::iter::from_fn(move || {
            if cancel.is_cancelled() {
                return Some(Err(QueryEvaluationError::Cancelled));
            }
            match parsed.next() {
                Some(triple) => {
                    count += 1;
                    Some(triple)
                }
                None if cap == Some(count) => {
                    count = 0; // reported once
                    Some(Err(QueryEvaluationError::Unexpected(
                        format!(
                            "the store cuts answers at {} rows, and this one has as many triples: ask for them with a SELECT, which is read in pages",
                            cap.unwrap_or_default()
                        )
                        .into(),
                    )))
                }
                None => None,
            }
        });
        Ok(QueryResults::Graph(QueryTripleIter::new(triples)))
    }

    /// Hands each row of an internal SELECT to `row`.
    pub(super) fn each_row(
        &self,
        text: &str,
        params: &[(String, String)],
        page_size: Option<usize>,
        timeout: Duration,
        mut row: impl FnMut(&[Option<oxigraph::model::Term>]),
    ) -> Result<(), StoreError> {
        let query = spargebra::SparqlParser::new()
            .parse_query(text)
            .map_err(|e| StoreError::Syntax(e.to_string()))?;
        let results = self.select(
            text,
            query,
            &[],
            params,
            page_size,
            timeout,
            CancellationToken::new(),
        )?;
        let QueryResults::Solutions(solutions) = results else {
            return Ok(());
        };
        for solution in solutions {
            let solution = solution.map_err(|e| StoreError::Evaluation(e.to_string()))?;
            row(solution.values());
        }
        Ok(())
    }

    fn row_cap(&self) -> Option<usize> {
        Some(self.learned.row_cap.load(Ordering::Relaxed)).filter(|&cap| cap > 0)
    }

    /// The solutions of a SELECT read page after page, lazily.
    fn pages(
        &self,
        mut paged: Paged,
        params: &[(String, String)],
        timeout: Duration,
        cancel: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        let params = params.to_vec();
        let mut first = self.page(&paged, 0, &params, timeout)?;
        if let Page::Cut(cap) = first {
            self.learned.row_cap.store(cap, Ordering::Relaxed);
            paged.size = cap;
            first = self.page(&paged, 0, &params, timeout)?;
        }
        let mut current = match first {
            Page::Rows(rows) => Some(rows),
            Page::Past => None,
            Page::Cut(cap) => return Err(self.cut(cap)),
        };
        let variables: Arc<[Variable]> = current.as_ref().map_or_else(
            || paged.projected.clone(),
            |answer| answer.variables.clone(),
        );
        let reader = self.clone();
        let (mut number, mut in_page) = (0, 0);
        let rows = std::iter::from_fn(move || {
            loop {
                if cancel.is_cancelled() {
                    return Some(Err(QueryEvaluationError::Cancelled));
                }
                match current.as_mut()?.rows.next() {
                    Some(Ok(row)) => {
                        in_page += 1;
                        reader.read_one();
                        return Some(Ok(row));
                    }
                    Some(Err(e)) => return Some(Err(e)),
                    None if in_page < paged.size => return None,
                    None => {
                        (number, in_page) = (number + 1, 0);
                        current = match reader.page(&paged, number, &params, timeout) {
                            Ok(Page::Rows(rows)) => Some(rows),
                            Ok(Page::Past) => None,
                            Ok(Page::Cut(cap)) => {
                                return Some(Err(QueryEvaluationError::Unexpected(
                                    reader.cut(cap).into(),
                                )));
                            }
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

    /// Page `number`: the query's own text with its slice appended, or, once
    /// the store refused that and took the sub-select, as a sub-select.
    fn page(
        &self,
        paged: &Paged,
        number: usize,
        params: &[(String, String)],
        timeout: Duration,
    ) -> Result<Page, StoreError> {
        let nested = || paging::nested_page(&paged.query, number, paged.size);
        if self.learned.nested_pages.load(Ordering::Relaxed) {
            return self.fetch_page(nested(), paged, params, timeout);
        }
        let text = paging::page_text(&paged.text, &paged.query, number, paged.size);
        match self.fetch_page(text, paged, params, timeout) {
            Err(refused @ StoreError::RemoteRefused { .. }) => {
                let page = self.fetch_page(nested(), paged, params, timeout);
                if page.is_err() {
                    return Err(refused);
                }
                self.learned.nested_pages.store(true, Ordering::Relaxed);
                page
            }
            page => page,
        }
    }

    fn fetch_page(
        &self,
        text: Option<String>,
        paged: &Paged,
        params: &[(String, String)],
        timeout: Duration,
    ) -> Result<Page, StoreError> {
        let Some(text) = text else {
            return Ok(Page::Past);
        };
        let response = self.send(&text, params, accept(&paged.columns), timeout)?;
        if let Some(cap) = row_cap(&response).filter(|&cap| cap < paged.size) {
            return Ok(Page::Cut(cap));
        }
        match answered(&self.url, response, &paged.projected, &paged.columns)? {
            Answered::Solutions(answer) => Ok(Page::Rows(answer)),
            Answered::Boolean(_) => Err(self.refused("a SELECT was answered with a boolean")),
        }
    }

    /// Sends a query by POST, form-encoded (any length, every store).
    fn send(
        &self,
        query: &str,
        params: &[(String, String)],
        accept: &str,
        timeout: Duration,
    ) -> Result<ureq::http::Response<ureq::Body>, StoreError> {
        let mut form = vec![("query", query)];
        form.extend(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let body = super::form_body(&form);
        let call = Call {
            method: Method::POST,
            url: &self.url,
            params: &[],
            content_type: Some("application/x-www-form-urlencoded"),
            accept: Some(accept),
            body: body.as_bytes(),
            timeout,
            idempotent: true,
        };
        let started = std::time::Instant::now();
        let response = match self.http.send(&call) {
            // Virtuoso now and then fails an ORDER BY (a page) with SR477,
            // and answers the same query the next time (its issue 113).
            Err(StoreError::RemoteRefused {
                status: 500,
                message,
                ..
            }) if message.contains(TRANSIENT_SORT_ERROR) => {
                std::thread::sleep(Duration::from_millis(200));
                self.http.send(&call)?
            }
            sent => sent?,
        };
        // An operator finds the query a slow answer waited on (`INTERLOCK_LOG=interlock_store=debug`).
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            query,
            "the remote store answered"
        );
        match partial(&response) {
            Some(why) => Err(self.refused(&format!(
                "the store answered only in part ({why}): its own time limit for a query ran out"
            ))),
            None => Ok(response),
        }
    }

    /// Solutions counted (for progress) and stopped once `cancel` is: the
    /// caller's time limit holds while results stream in.
    fn counted(&self, answer: Answer, cancel: CancellationToken) -> QueryResults<'static> {
        let Answer { variables, rows } = answer;
        let reader = self.clone();
        let rows = rows.map(move |s| {
            if cancel.is_cancelled() {
                return Err(QueryEvaluationError::Cancelled);
            }
            reader.read_one();
            s
        });
        QueryResults::Solutions(QuerySolutionIter::new(variables, rows))
    }

    fn read_one(&self) {
        let rows = self.learned.rows.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(progress) = &self.progress
            && rows.is_multiple_of(REPORTED_EVERY)
        {
            (progress.0)(rows);
        }
    }

    fn cut(&self, cap: usize) -> StoreError {
        self.refused(&format!(
            "the store cut a page at {cap} rows: give --page-size {cap} or less"
        ))
    }

    fn refused(&self, message: &str) -> StoreError {
        StoreError::RemoteRefused {
            url: self.url.clone(),
            status: 200,
            message: message.to_string(),
        }
    }
}

/// The rows the store says it cut this answer at, if it did.
fn row_cap(response: &ureq::http::Response<ureq::Body>) -> Option<usize> {
    response
        .headers()
        .get(ROW_CAP_HEADER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|&cap| cap > 0)
}

/// Why the store answered only in part, if it says so: Virtuoso's
/// "anytime" queries stop at `MaxQueryExecutionTime` and send what they
/// found, an `X-SQL-State` header the only sign.
fn partial(response: &ureq::http::Response<ureq::Body>) -> Option<String> {
    let header = |name| response.headers().get(name)?.to_str().ok();
    let state = header(PARTIAL_HEADER)?;
    Some(match header("x-sql-message") {
        Some(message) => format!("{state}: {}", message.trim()),
        None => state.to_string(),
    })
}

/// What to ask a SELECT's answer in: CSV first when its columns are known.
fn accept(columns: &[Column]) -> &'static str {
    if columns.is_empty() {
        SOLUTIONS
    } else {
        SOLUTIONS_CSV_FIRST
    }
}

/// The answer to a SELECT (projecting `projected`, its columns holding
/// `columns`) or an ASK, parsed as it arrives, in the format the store says
/// it is in.
fn answered(
    url: &str,
    response: ureq::http::Response<ureq::Body>,
    projected: &[Variable],
    columns: &[Column],
) -> Result<Answered, StoreError> {
    let status = response.status().as_u16();
    let refused = |message: String| StoreError::RemoteRefused {
        url: url.to_string(),
        status,
        message,
    };
    let media_type = media_type(&response);
    let body = response.into_body().into_reader();
    if media_type == csv_results::MEDIA_TYPE && !columns.is_empty() {
        return csv_results::solutions(body, projected, columns)
            .map(Answered::Solutions)
            .map_err(refused);
    }
    let format = QueryResultsFormat::from_media_type(&media_type).ok_or_else(|| {
        refused(format!(
            "results in '{media_type}', which is not a SPARQL results format"
        ))
    })?;
    let parsed = QueryResultsParser::from_format(format)
        .for_reader(body)
        .map_err(|e| refused(format!("unreadable results: {e}")))?;
    Ok(match parsed {
        ReaderQueryResultsParserOutput::Boolean(answer) => Answered::Boolean(answer),
        ReaderQueryResultsParserOutput::Solutions(rows) => Answered::Solutions(Answer {
            variables: Arc::from(rows.variables()),
            rows: Box::new(
                rows.map(|row| row.map_err(|e| QueryEvaluationError::Unexpected(e.into()))),
            ),
        }),
    })
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

/// The variables a SELECT projects, for an answer with no page at all.
fn projected(query: &spargebra::Query) -> Vec<Variable> {
    match query {
        spargebra::Query::Select { pattern, .. } => paging::projected(pattern),
        _ => Vec::new(),
    }
}
