//! What can be wrong with a request, and what kind of wrong it is, so that
//! each surface answers the same error its own way (a 404 over HTTP and exit
//! status 1 on the command line for an unknown entity).

use interlock_graph::GraphError;
use interlock_store::StoreError;

/// A request that could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// A request field that must name something is empty.
    #[error("{field} is empty; give an entity id (e.g. netflix) or IRI")]
    Empty {
        /// The field.
        field: &'static str,
    },
    /// A date or window that is not one.
    #[error("{field}: '{text}' is not a date: {reason}")]
    BadDate {
        /// The field it was given in.
        field: &'static str,
        /// What was given.
        text: String,
        /// Why it is not a date.
        reason: String,
    },
    /// Both a date and a window were given.
    #[error("give a date (at) or a window (during), not both")]
    AtAndDuring,
    /// A number outside the range the request accepts.
    #[error("{field} must be from {min} to {max}, not {given}")]
    OutOfRange {
        /// The field.
        field: &'static str,
        /// What was given.
        given: i64,
        /// The smallest accepted.
        min: i64,
        /// The largest accepted.
        max: i64,
    },
    /// A score outside 0 to 1.
    #[error("min_score must be from 0 to 1, not {0}")]
    ScoreOutOfRange(f64),
    /// An entity named in the request is not in the store.
    #[error("no entity '{0}' in the store")]
    UnknownEntity(String),
    /// A source named in the request is not in the store.
    #[error("no source '{0}' in the store")]
    UnknownSource(String),
    /// An export format that does not exist.
    #[error("unknown export format '{given}'; expected one of {expected}")]
    UnknownExportFormat {
        /// What was given.
        given: String,
        /// The formats there are.
        expected: String,
    },
    /// The store or the projection failed.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// Writing the answer failed (a reader that went away, a full disk).
    #[error("cannot write the answer: {0}")]
    Io(#[from] std::io::Error),
}

/// What kind of failure an error is, for a surface to map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is malformed: the asker can fix it (HTTP 400).
    Invalid,
    /// Something the request names does not exist (HTTP 404).
    NotFound,
    /// The query ran past its time limit (HTTP 503).
    Timeout,
    /// The request was fine; answering it failed (HTTP 500).
    Failed,
}

impl RequestError {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            RequestError::Empty { .. }
            | RequestError::BadDate { .. }
            | RequestError::AtAndDuring
            | RequestError::OutOfRange { .. }
            | RequestError::ScoreOutOfRange(_) => ErrorKind::Invalid,
            RequestError::UnknownEntity(_)
            | RequestError::UnknownSource(_)
            | RequestError::UnknownExportFormat { .. } => ErrorKind::NotFound,
            RequestError::Graph(GraphError::Store(StoreError::Timeout(_))) => ErrorKind::Timeout,
            RequestError::Graph(_) | RequestError::Io(_) => ErrorKind::Failed,
        }
    }
}

impl From<StoreError> for RequestError {
    fn from(e: StoreError) -> Self {
        RequestError::Graph(GraphError::Store(e))
    }
}
