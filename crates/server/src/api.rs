//! The JSON API: the CLI's analyses over HTTP, with the same answers.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use interlock_graph::{
    ExportFormat, Filter, Measure, Projection, export, interlocks, links_between, most_central,
    parse_entity_kind, parse_when,
};

/// Parameters of `GET /api/links`.
#[derive(serde::Deserialize)]
pub struct LinksParams {
    from: String,
    to: String,
    at: Option<String>,
    during: Option<String>,
    max_hops: Option<usize>,
}

/// Parameters of `GET /api/centrality`.
#[derive(serde::Deserialize)]
pub struct CentralityParams {
    measure: Option<String>,
    kind: Option<String>,
    at: Option<String>,
    during: Option<String>,
    top: Option<usize>,
}

/// Parameters of `GET /api/export/{format}`.
#[derive(serde::Deserialize)]
pub struct ExportParams {
    at: Option<String>,
    during: Option<String>,
}

/// Parameters of `GET /api/timeline`.
#[derive(serde::Deserialize)]
pub struct TimelineParams {
    entities: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// Parameters of `GET /api/reach`.
#[derive(serde::Deserialize)]
pub struct ReachParams {
    start: String,
    from: Option<String>,
}

/// Parameters of `GET /api/stats`.
#[derive(serde::Deserialize)]
pub struct StatsParams {
    from: Option<i32>,
    to: Option<i32>,
}

/// Parameters of `GET /api/interlocks`.
#[derive(serde::Deserialize)]
pub struct InterlocksParams {
    at: Option<String>,
    during: Option<String>,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

/// Runs store work off the async runtime.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(internal)?
}

/// Runs `work` on the store's projection with `filter` (kept between
/// requests until a write), off the runtime.
async fn with_projection<T: Send + 'static>(
    state: &AppState,
    filter: Filter,
    work: impl FnOnce(&Projection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let state = state.clone();
    blocking(move || {
        let projection = state
            .projections
            .get(&state.store, &filter)
            .map_err(internal)?;
        work(&projection)
    })
    .await
}

/// [`with_projection`], answered as JSON.
async fn on_projection<T: serde::Serialize + Send + 'static>(
    state: &AppState,
    filter: Filter,
    work: impl FnOnce(&Projection) -> Result<T, ApiError> + Send + 'static,
) -> Response {
    match with_projection(state, filter, work).await {
        Ok(value) => Json(value).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/links?from=A&to=B[&at=D|&during=I][&max_hops=K]`: every chain
/// that linked A and B, as `interlock links --format json` gives it.
pub async fn links(State(state): State<AppState>, Query(p): Query<LinksParams>) -> Response {
    let when = match parse_when(p.at.as_deref(), p.during.as_deref()) {
        Ok(w) => w,
        Err(e) => return ApiError::bad_request(e).into_response(),
    };
    on_projection(&state, Filter::default(), move |projection| {
        let node = |id: &str| {
            projection.node(id).ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("no entity '{id}' in the store"),
                )
            })
        };
        let (a, b) = (node(&p.from)?, node(&p.to)?);
        Ok(links_between(
            projection,
            a,
            b,
            p.max_hops.unwrap_or(3),
            when,
        ))
    })
    .await
}

/// `GET /api/interlocks[?at=D|?during=I]`: people tied to two organizations
/// at overlapping times, as `interlock interlocks --format json` gives it.
pub async fn interlocks_handler(
    State(state): State<AppState>,
    Query(p): Query<InterlocksParams>,
) -> Response {
    let window = match parse_when(p.at.as_deref(), p.during.as_deref()) {
        Ok(when) => when.window(),
        Err(e) => return ApiError::bad_request(e).into_response(),
    };
    on_projection(&state, Filter::default(), move |projection| {
        Ok(interlocks(projection, window))
    })
    .await
}

/// `GET /api/centrality[?measure=degree|betweenness|closeness|pagerank][&at=D|&during=I][&top=N]`:
/// the most central entities, as `interlock centrality --format json` gives them.
pub async fn centrality_handler(
    State(state): State<AppState>,
    Query(p): Query<CentralityParams>,
) -> Response {
    let measure = match p.measure.as_deref().unwrap_or("degree") {
        "degree" => Measure::Degree,
        "betweenness" => Measure::Betweenness,
        "closeness" => Measure::Closeness,
        "pagerank" => Measure::PageRank,
        other => {
            return ApiError::bad_request(format!(
                "unknown measure '{other}'; expected degree, betweenness, closeness or pagerank"
            ))
            .into_response();
        }
    };
    let window = match parse_when(p.at.as_deref(), p.during.as_deref()) {
        Ok(when) => when.window(),
        Err(e) => return ApiError::bad_request(e).into_response(),
    };
    let top = p.top.unwrap_or(20);
    let kind = match p.kind.as_deref().map(parse_entity_kind).transpose() {
        Ok(k) => k,
        Err(e) => return ApiError::bad_request(e).into_response(),
    };
    let filter = Filter::window(window);
    on_projection(&state, filter, move |projection| {
        Ok(most_central(projection, measure, kind, top))
    })
    .await
}

/// `GET /api/export/{graphml|gexf|cytoscape|dot|csv}[?at=D|?during=I]`: the
/// graph as `interlock export` writes it (csv: the edges).
pub async fn export_handler(
    State(state): State<AppState>,
    axum::extract::Path(format): axum::extract::Path<String>,
    Query(p): Query<ExportParams>,
) -> Response {
    let (format, media) = match format.as_str() {
        "graphml" => (ExportFormat::GraphMl, "application/graphml+xml"),
        "gexf" => (ExportFormat::Gexf, "application/gexf+xml"),
        "cytoscape" => (ExportFormat::Cytoscape, "application/json"),
        "dot" => (ExportFormat::Dot, "text/vnd.graphviz; charset=utf-8"),
        "csv" => (ExportFormat::Csv, "text/csv; charset=utf-8"),
        other => {
            return ApiError::new(
                StatusCode::NOT_FOUND,
                format!(
                    "unknown export format '{other}'; expected graphml, gexf, cytoscape, dot or csv"
                ),
            )
            .into_response();
        }
    };
    let window = match parse_when(p.at.as_deref(), p.during.as_deref()) {
        Ok(when) => when.window(),
        Err(e) => return ApiError::bad_request(e).into_response(),
    };
    let body = with_projection(&state, Filter::window(window), move |projection| {
        let mut body = Vec::new();
        export(projection, format, &mut body).map_err(internal)?;
        Ok(body)
    })
    .await;
    match body {
        Ok(body) => ([(axum::http::header::CONTENT_TYPE, media)], body).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/timeline[?entities=a,b][&from=D][&to=D]`: the timeline, as
/// `interlock timeline --format json` gives it.
pub async fn timeline_handler(
    State(state): State<AppState>,
    Query(p): Query<TimelineParams>,
) -> Response {
    let window = match interlock_graph::parse_span(p.from.as_deref(), p.to.as_deref()) {
        Ok(w) => w,
        Err(e) => return ApiError::bad_request(e).into_response(),
    };
    let filter = interlock_graph::TimelineFilter {
        entities: p
            .entities
            .as_deref()
            .map(|e| {
                e.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        window,
    };
    let store = state.store.clone();
    match blocking(move || interlock_graph::timeline(&store, &filter).map_err(internal)).await {
        Ok(entries) => Json(entries).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/reach?start=A[&from=D]`: the earliest arrival at every entity
/// reachable from A, as `interlock reach --format json` gives it.
pub async fn reach_handler(
    State(state): State<AppState>,
    Query(p): Query<ReachParams>,
) -> Response {
    let from = match p
        .from
        .as_deref()
        .map(interlock_graph::parse_window)
        .transpose()
    {
        Ok(w) => w.map(|w| w.earliest),
        Err(e) => return ApiError::bad_request(e).into_response(),
    };
    on_projection(&state, Filter::default(), move |projection| {
        let start = projection.node(&p.start).ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no entity '{}' in the store", p.start),
            )
        })?;
        Ok(interlock_graph::reach(projection, start, from))
    })
    .await
}

/// `GET /api/stats[?from=YEAR][&to=YEAR]`: the graph year by year, as
/// `interlock stats --format json` gives it.
pub async fn stats_handler(
    State(state): State<AppState>,
    Query(p): Query<StatsParams>,
) -> Response {
    on_projection(&state, Filter::default(), move |projection| {
        interlock_graph::stats_between(projection, p.from, p.to).map_err(ApiError::bad_request)
    })
    .await
}

/// `GET /api/openapi.json`: the OpenAPI 3.1 document of the API.
pub async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
}
