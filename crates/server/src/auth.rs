//! Bearer-token checks for writes.

use crate::AppState;
use crate::error::ApiError;
use axum::http::{HeaderMap, StatusCode, header};

/// Allows a write only on a writable server with the right bearer token:
/// 403 when read-only, 401 without a token, 403 with a wrong one.
pub fn check_write(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = &state.config.write_token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this server is read-only: it was started without writes (and the token they need)",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    match given {
        None => Err(ApiError {
            www_authenticate: true,
            ..ApiError::new(
                StatusCode::UNAUTHORIZED,
                "writes need an `Authorization: Bearer <token>` header",
            )
        }),
        Some(token) if constant_time_eq(token.trim().as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::FORBIDDEN, "wrong bearer token")),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
