//! The questions interlock answers, each as one typed request that owns its
//! defaults, its validation and its errors. Every surface (the command line,
//! the HTTP API, the page) fills a request and prints or sends its answer;
//! none parses a date, defaults a parameter or words an error of its own.
//!
//! Requests deserialize from a query string (serde) and describe themselves
//! as JSON Schema (schemars), from which the server writes its OpenAPI
//! document: a parameter, its default and its constraints exist once, here.
//!
//! A question on the graph is answered in two steps ([`Question`]): which
//! projection it needs ([`Question::filter`], which also validates), then
//! the answer on that projection ([`Question::answer`]). A surface gets the
//! projection its own way: the command line reads the copy kept beside
//! the store or builds it ([`PerProcess`]), the server keeps it between
//! requests.

#![cfg_attr(
    test,
    allow(
        unused_crate_dependencies,
        reason = "unit tests see the dev-dependencies of the integration tests"
    )
)]

mod analyses;
mod candidates;
mod dates;
mod error;
mod explore;
mod fields;

pub use analyses::{
    CentralityRequest, DEFAULT_MAX_HOPS, DEFAULT_MEASURE, DEFAULT_TOP, ExportRequest, FIRST_YEAR,
    InterlocksRequest, LAST_YEAR, LinksRequest, MAX_HOPS, ReachRequest, StatsRequest,
    TimelineRequest,
};
pub use candidates::{CandidatesRequest, DEFAULT_MIN_SCORE};
pub use dates::{DATE_PATTERN, WINDOW_PATTERN, parse_date, parse_window, span, when};
pub use error::{ErrorKind, RequestError};
pub use explore::{
    DEFAULT_NETWORK_HOPS, DEFAULT_NETWORK_LIMIT, DEFAULT_SEARCH_LIMIT, DEFAULT_SOURCE_LIMIT,
    DEFAULT_TIES_LIMIT, DatasetsRequest, EntityRequest, MAX_NETWORK_HOPS, MAX_NETWORK_LIMIT,
    MAX_SEARCH_LIMIT, MAX_SOURCE_LIMIT, MAX_TIES_LIMIT, NetworkRequest, SearchRequest,
    SourceRequest,
};

use interlock_graph::{Filter, GraphError, Origin, Projection};
use interlock_store::Store;
use std::sync::Arc;

/// A question answered on a projection of the store (for one read from
/// the store itself, see [`StoreQuestion`]).
pub trait Question {
    /// What the answer is.
    type Answer;

    /// Which projection the question needs; refuses a malformed request
    /// before any work is done.
    fn filter(&self) -> Result<Filter, RequestError>;

    /// The answer on `projection`, which was made with [`Self::filter`].
    fn answer(&self, projection: &Projection) -> Result<Self::Answer, RequestError>;
}

/// A question answered by reading the store itself, not a projection
/// (a timeline shows undated claims and events; an entity page reads one
/// entity's neighbourhood).
pub trait StoreQuestion {
    /// What the answer is.
    type Answer;

    /// Refuses a malformed request before the store is opened.
    fn check(&self) -> Result<(), RequestError>;

    /// The answer, read from `store`.
    fn answer(&self, store: &Store) -> Result<Self::Answer, RequestError>;
}

/// Where requests find projections of the store.
pub trait Projections {
    /// The store's projection with `filter`.
    fn projection(&self, filter: &Filter) -> Result<Arc<Projection>, GraphError>;
}

/// The projections of a process that asks one question, as on the command
/// line: the full projection read from the copy kept beside the store (or
/// built, and kept for the next process), then narrowed to the filter.
pub struct PerProcess<'a> {
    store: &'a Store,
    origin: std::cell::Cell<Option<Origin>>,
}

impl<'a> PerProcess<'a> {
    /// The projections of `store`.
    pub fn new(store: &'a Store) -> PerProcess<'a> {
        PerProcess {
            store,
            origin: std::cell::Cell::new(None),
        }
    }

    /// How the last projection asked for came to be.
    pub fn origin(&self) -> Option<Origin> {
        self.origin.get()
    }
}

impl Projections for PerProcess<'_> {
    fn projection(&self, filter: &Filter) -> Result<Arc<Projection>, GraphError> {
        let (full, origin) = Projection::current(self.store)?;
        self.origin.set(Some(origin));
        Ok(Arc::new(if filter.keeps_everything() {
            full
        } else {
            full.filtered(filter)
        }))
    }
}

/// Answers `question` on a projection from `projections`.
pub fn ask<Q: Question>(
    question: &Q,
    projections: &impl Projections,
) -> Result<Q::Answer, RequestError> {
    let filter = question.filter()?;
    let projection = projections.projection(&filter)?;
    question.answer(&projection)
}
