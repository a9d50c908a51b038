//! The JSON API: the requests of `interlock-request` over HTTP, answered
//! on the kept projection, with the same answers as the command line.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use interlock_graph::Projection;
use interlock_request::{
    CandidatesRequest, CentralityRequest, DatasetsRequest, EntityRequest, ExportRequest,
    InterlocksRequest, LinksRequest, NetworkRequest, Question, ReachRequest, RequestError,
    SearchRequest, SourceRequest, StatsRequest, StoreQuestion, TimelineRequest,
};

/// A request read from the query string; a malformed one is a 400 saying
/// which parameter, the value given and why, as the requests' own checks
/// word theirs (`limit: 'abc' is not a whole number (0, 1, 2, …)`).
/// Handlers take it whatever it holds: a malformed request is answered
/// through the same path as any other error.
pub(crate) struct Params<T>(Result<T, ApiError>);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let read = Query::<T>::from_request_parts(parts, state).await;
        let query = parts.uri.query().unwrap_or("");
        let read = read.map(|Query(request)| request);
        Ok(Params(read.map_err(|e| {
            ApiError::bad_request(query_problem(&e, query))
        })))
    }
}

fn read<T>(params: Params<T>) -> Result<T, ApiError> {
    params.0
}

/// What is wrong with a query string, in the words of the requests' own
/// checks: the parameter, the value given, and what was expected.
fn query_problem(rejection: &QueryRejection, query: &str) -> String {
    let text = rejection.body_text();
    let text = text
        .strip_prefix("Failed to deserialize query string: ")
        .unwrap_or(&text);
    if let Some(field) = text
        .strip_prefix("missing field `")
        .and_then(|t| t.strip_suffix('`'))
    {
        return format!("{field}: missing; this request needs it");
    }
    let Some((field, problem)) = text.split_once(": ") else {
        return text.to_string();
    };
    if problem.starts_with("unknown field") {
        let expected = problem
            .split_once("expected ")
            .map_or("", |(_, e)| e)
            .replace('`', "");
        return format!("unknown parameter '{field}'; expected {expected}");
    }
    let given = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == field)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    match problem {
        "invalid digit found in string" | "cannot parse integer from empty string" => {
            format!("{field}: '{given}' is not a whole number (0, 1, 2, …)")
        }
        "number too large to fit in target type" => format!("{field}: '{given}' is too large"),
        "invalid float literal" => format!("{field}: '{given}' is not a number"),
        _ => format!("{field}: '{given}': {problem}"),
    }
}

/// Runs store work off the async runtime.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
}

/// The header of an answer asked with `known_by`: how many claims it left
/// out because none of their sources has a publication date.
pub const UNDATED_LEFT_OUT: &str = "interlock-undated-left-out";

/// How many claims an answer from `projection` left out for want of a
/// dated source, when the filter asked what was known by a date.
fn left_out(filter: &interlock_graph::Filter, projection: &Projection) -> Option<usize> {
    filter.known_by.map(|_| projection.undated_left_out)
}

/// `response` with the [`UNDATED_LEFT_OUT`] header, when there is a count.
fn saying_left_out(mut response: Response, left_out: Option<usize>) -> Response {
    if let Some(n) = left_out {
        response.headers_mut().insert(
            header::HeaderName::from_static(UNDATED_LEFT_OUT),
            header::HeaderValue::from(n),
        );
    }
    response
}

/// Answers `question` on the kept projection, as JSON.
async fn answer<Q>(state: AppState, question: Result<Q, ApiError>) -> Response
where
    Q: Question + Send + 'static,
    Q::Answer: serde::Serialize + Send + 'static,
{
    let answered = async {
        let question = question?;
        let filter = question.filter()?;
        blocking(move || {
            let projection = state.projections.get(&state.store, &filter)?;
            let header = left_out(&filter, &projection);
            Ok((header, question.answer(&projection)?))
        })
        .await
    };
    match answered.await {
        Ok((left_out, answer)) => saying_left_out(Json(answer).into_response(), left_out),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/links`: every chain that linked two entities.
pub async fn links(State(state): State<AppState>, p: Params<LinksRequest>) -> Response {
    answer(state, read(p)).await
}

/// `GET /api/interlocks`: people tied to two organizations at overlapping times.
pub async fn interlocks(State(state): State<AppState>, p: Params<InterlocksRequest>) -> Response {
    answer(state, read(p)).await
}

/// `GET /api/centrality`: the most central entities.
pub async fn centrality(State(state): State<AppState>, p: Params<CentralityRequest>) -> Response {
    answer(state, read(p)).await
}

/// `GET /api/reach`: the earliest arrival at every entity reachable from one.
pub async fn reach(State(state): State<AppState>, p: Params<ReachRequest>) -> Response {
    answer(state, read(p)).await
}

/// `GET /api/stats`: the graph year by year.
pub async fn stats(State(state): State<AppState>, p: Params<StatsRequest>) -> Response {
    answer(state, read(p)).await
}

/// Answers `question` from the store itself, as JSON.
async fn answer_from_store<Q>(state: AppState, question: Result<Q, ApiError>) -> Response
where
    Q: StoreQuestion + Send + 'static,
    Q::Answer: serde::Serialize + Send + 'static,
{
    let answered = async {
        let question = question?;
        question.check()?;
        blocking(move || Ok(question.answer(&state.store)?)).await
    };
    answered.await.map(Json).into_response()
}

/// `GET /api/timeline`: events and the starts and ends of relationships in date order.
pub async fn timeline(State(state): State<AppState>, p: Params<TimelineRequest>) -> Response {
    let answered = async {
        let question = read(p)?;
        question.check()?;
        let known_by = question.known_by.is_some();
        let timeline = blocking(move || Ok(question.timeline(&state.store)?)).await?;
        Ok::<_, ApiError>((known_by, timeline))
    };
    match answered.await {
        Ok((known_by, timeline)) => saying_left_out(
            Json(timeline.entries).into_response(),
            known_by.then_some(timeline.undated_left_out),
        ),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/network`: the part of the network to draw.
pub async fn network(State(state): State<AppState>, p: Params<NetworkRequest>) -> Response {
    answer(state, read(p)).await
}

/// `GET /api/search`: entities by the words of their names, as a person types.
/// The time spent is in a `Server-Timing` header (`search`), the index's
/// build (once after each write) apart (`index`).
pub async fn search(State(state): State<AppState>, p: Params<SearchRequest>) -> Response {
    let answered = async {
        let request = read(p)?;
        request.check()?;
        blocking(move || {
            let started = std::time::Instant::now();
            let index = state.projections.index(&state.store)?;
            let built = started.elapsed();
            let found = request.answer(&index)?;
            Ok((found, built, started.elapsed() - built))
        })
        .await
    };
    match answered.await {
        Ok((found, built, searched)) => {
            let timing = format!(
                "index;dur={:.3}, search;dur={:.3}",
                built.as_secs_f64() * 1000.0,
                searched.as_secs_f64() * 1000.0
            );
            ([("server-timing", timing)], Json(found)).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// `GET /api/entity`: one entity's page, read from the store.
pub async fn entity(State(state): State<AppState>, p: Params<EntityRequest>) -> Response {
    answer_from_store(state, read(p)).await
}

/// `GET /api/candidates`: an entity's likely duplicates (or every likely
/// pair), on the whole projection, leaving out what a decision keeps apart.
pub async fn candidates(State(state): State<AppState>, p: Params<CandidatesRequest>) -> Response {
    let answered = async {
        let question = read(p)?;
        let filter = question.filter()?;
        blocking(move || {
            let projection = state.projections.get(&state.store, &filter)?;
            let apart = interlock_identity::decided_apart(&state.store)
                .map_err(|e| RequestError::Graph(e.into()))?;
            Ok(question.answer(&projection, &apart)?)
        })
        .await
    };
    match answered.await {
        Ok(found) => Json(found).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/source`: one source and the claims it supports, a page at a time.
pub async fn source(State(state): State<AppState>, p: Params<SourceRequest>) -> Response {
    answer_from_store(state, read(p)).await
}

/// `GET /api/datasets`: every dataset, with what its import read.
pub async fn datasets(State(state): State<AppState>, p: Params<DatasetsRequest>) -> Response {
    answer_from_store(state, read(p)).await
}

/// `GET /api/export/{format}`: the graph as `interlock export` writes it (csv: the edges).
pub async fn export(
    State(state): State<AppState>,
    Path(format): Path<String>,
    p: Params<ExportRequest>,
) -> Response {
    let answered = async {
        let format = ExportRequest::format(&format)?;
        let request = read(p)?;
        let filter = request.filter()?;
        let (left_out, body) = blocking(move || {
            let projection = state.projections.get(&state.store, &filter)?;
            // The part the page draws (`around`, `limit`), or the whole graph.
            let part = request.part(&projection)?;
            let mut body = Vec::new();
            ExportRequest::write(part.as_ref().unwrap_or(&projection), format, &mut body)?;
            Ok((left_out(&filter, &projection), body))
        })
        .await?;
        let response = ([(header::CONTENT_TYPE, format.media_type())], body).into_response();
        Ok::<_, ApiError>(saying_left_out(response, left_out))
    };
    match answered.await {
        Ok(body) => body.into_response(),
        Err(e) => e.into_response(),
    }
}

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> Self {
        use interlock_request::ErrorKind;
        let status = match e.kind() {
            ErrorKind::Invalid => StatusCode::BAD_REQUEST,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Failed => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.to_string())
    }
}

impl From<interlock_graph::GraphError> for ApiError {
    fn from(e: interlock_graph::GraphError) -> Self {
        RequestError::from(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only its reading is tested")]
    struct Asked {
        q: String,
        #[serde(default)]
        limit: usize,
    }

    #[test]
    fn malformed_query_strings_are_said_as_the_requests_say_theirs() {
        let table: &[(&str, &str)] = &[
            (
                "q=x&limit=abc",
                "limit: 'abc' is not a whole number (0, 1, 2, …)",
            ),
            (
                "q=x&limit=-1",
                "limit: '-1' is not a whole number (0, 1, 2, …)",
            ),
            ("q=x&limit=", "limit: '' is not a whole number (0, 1, 2, …)"),
            (
                "q=x&limit=99999999999999999999999",
                "limit: '99999999999999999999999' is too large",
            ),
            (
                "q=x&bogus=1",
                "unknown parameter 'bogus'; expected q or limit",
            ),
            ("limit=3", "q: missing; this request needs it"),
        ];
        for (query, expected) in table {
            let uri: axum::http::Uri = format!("/api/x?{query}").parse().unwrap();
            let rejection = Query::<Asked>::try_from_uri(&uri).unwrap_err();
            assert_eq!(query_problem(&rejection, query), *expected, "{query}");
        }
    }
}
