//! Errors as HTTP responses: a status and a plain-text message saying what
//! was wrong and what was expected.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use interlock_store::StoreError;

/// An error answered with `status` and `message` as text/plain.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub www_authenticate: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            www_authenticate: false,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message)
    }

    pub fn not_acceptable(offers: &[&str]) -> Self {
        Self::new(
            StatusCode::NOT_ACCEPTABLE,
            format!(
                "no acceptable format; this resource is available as: {}",
                offers.join(", ")
            ),
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let status = match &e {
            StoreError::Syntax(_)
            | StoreError::InvalidGraph(_)
            | StoreError::DatasetConflict
            | StoreError::WrongFormat { .. }
            | StoreError::Input(_)
            | StoreError::Derived(_)
            | StoreError::TooDeep { .. } => StatusCode::BAD_REQUEST,
            StoreError::Refused { .. } => StatusCode::FORBIDDEN,
            StoreError::OutsideDatasets { .. } => StatusCode::BAD_REQUEST,
            StoreError::Unreachable { .. }
            | StoreError::Unauthorized { .. }
            | StoreError::RemoteRefused { .. }
            | StoreError::StagingLeft { .. }
            | StoreError::CommitUnknown { .. } => StatusCode::BAD_GATEWAY,
            StoreError::Conflict(_) => StatusCode::CONFLICT,
            StoreError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            // A server opens its store once, at start: never met here.
            StoreError::Storage(_)
            | StoreError::Evaluation(_)
            | StoreError::Io(_)
            | StoreError::Generation { .. }
            | StoreError::InUse { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // A 4xx is the client's to fix; a 5xx is ours, and goes in the log with its cause.
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(cause = %self.message, "request stopped");
        } else if self.status.is_server_error() {
            tracing::error!(status = self.status.as_u16(), cause = %self.message, "request failed");
        }
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{}\n", self.message),
        )
            .into_response();
        if self.www_authenticate {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"interlock\""),
            );
        }
        response
    }
}
