//! The interlock HTTP server: a SPARQL 1.1 Protocol endpoint, SPARQL
//! Update and the Graph Store Protocol (only when started writable, behind a
//! bearer token), over the interlock store.
//!
//! Routes:
//! - `GET|POST /sparql` — queries (and `update=` when writable); a service
//!   description on `GET` without a query.
//! - `POST /update` — SPARQL Update (writable only).
//! - `GET /api/links`, `/api/interlocks`, `/api/centrality`, `/api/timeline`, `/api/reach`,
//!   `/api/stats` — the analyses, as JSON, on the store's projection (built
//!   once, kept until the next write through this server);
//!   `GET /api/export/{format}` — the graph for Gephi, Cytoscape, Graphviz, networkx;
//!   `GET /api/openapi.json` — the OpenAPI 3.1 document of these endpoints;
//!   `GET /api/datasets` — every dataset with what its import read.
//! - `GET|HEAD|PUT|POST|DELETE /store` and `/store/{path}` — Graph Store
//!   Protocol, indirect (`?graph=`, `?default`) and direct identification
//!   (writes only when writable).
//!
//! Each connection is served on a thread of its own, where its queries are
//! evaluated; large results stream; a query past its timeout is cancelled,
//! however far it got. Requests addressed to a host name the server was not
//! given are refused, and pages on other origins may use it only when
//! invited (see [`origins`]); responses are gzip-compressed when the client
//! asks.

mod api;
mod auth;
mod bodies;
mod connections;
mod deadlines;
mod error;
mod flush;
mod gsp;
mod negotiate;
mod openapi;
pub mod origins;
mod page;
mod projections;
mod service_description;
mod sparql;
mod stream;

pub use bodies::BODY_DEADLINE;
pub use connections::{HEAD_DEADLINE, MAX_CONNECTIONS, serve};
pub use flush::FLUSH_INTERVAL;
pub use negotiate::negotiate;
pub use origins::{CrossOrigin, Origin, OriginError};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use interlock_store::Store;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;

/// Where the server listens unless told otherwise.
pub const DEFAULT_BIND: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 7878));

/// The largest request body accepted unless told otherwise: 64 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The address to listen on (port 0 picks a free port).
    pub bind: SocketAddr,
    /// How long one query may run before it is stopped.
    pub timeout: Duration,
    /// The bearer token writes need; `None` makes the server read-only.
    pub write_token: Option<String>,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Host names the server answers to besides its address and `localhost`.
    pub host_names: Vec<String>,
    /// Which pages on other origins may read and write.
    pub cross_origin: CrossOrigin,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: DEFAULT_BIND,
            timeout: interlock_store::DEFAULT_TIMEOUT,
            write_token: None,
            body_limit: DEFAULT_BODY_LIMIT,
            host_names: Vec::new(),
            cross_origin: CrossOrigin::Closed,
        }
    }
}

/// Serves `store` with `config` until SIGINT or SIGTERM: starts the
/// runtime and the request log (filtered by `INTERLOCK_LOG`, default
/// `info`, on standard error), listens, calls `listening` with the address
/// once clients can connect, and on a signal lets running queries finish
/// (at most their timeout and a second) before it returns.
pub fn run(
    store: Store,
    config: ServerConfig,
    listening: impl FnOnce(SocketAddr) + Send,
) -> std::io::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("INTERLOCK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Already set (a second server in one process) is fine: keep that one.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    let runtime = tokio::runtime::Runtime::new()?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|e| {
                std::io::Error::new(e.kind(), format!("cannot listen on {}: {e}", config.bind))
            })?;
        let shutdown = shutdown_signal()?;
        listening(listener.local_addr()?);
        let grace = config.timeout + Duration::from_secs(1);
        let app = router(store, config)?;
        serve(listener, app, shutdown, grace).await
    });
    // A query still deep in evaluation past its deadline must not hold the exit up.
    runtime.shutdown_timeout(Duration::from_secs(2));
    served
}

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    pub store: Store,
    pub config: Arc<ServerConfig>,
    pub deadlines: deadlines::Deadlines,
    pub projections: Arc<projections::Projections>,
}

/// The application: every route, with the host and origin guard, CORS for
/// invited origins, compression, body limit and one log line per request. Fails only if the thread that keeps query
/// deadlines cannot be started. Call it within a tokio runtime: the search
/// index is built on its blocking pool.
pub fn router(store: Store, config: ServerConfig) -> std::io::Result<Router> {
    let body_limit = config.body_limit;
    let guard = origins::Guard::new(config.bind, &config.host_names, config.cross_origin.clone());
    let state = AppState {
        store,
        config: Arc::new(config),
        deadlines: deadlines::Deadlines::start()?,
        projections: Arc::default(),
    };
    // The search index is built at once, in the background: the first
    // person to type in the page's search box should not wait for it. On
    // the runtime's blocking pool, so that shutting the runtime down waits
    // for it as for a query: a process that exits while a thread still reads
    // RocksDB can abort in RocksDB's exit handlers.
    let (store, projections) = (state.store.clone(), state.projections.clone());
    tokio::task::spawn_blocking(move || {
        if let Err(e) = projections.index(&store) {
            tracing::warn!("building the search index failed: {e}");
        }
    });
    if state.config.write_token.is_some() && !state.store.is_in_memory() {
        let store = state.store.clone();
        flush::flush_after_writes(&state.projections, FLUSH_INTERVAL, move || store.flush());
    }
    let graph_store = get(gsp::handle)
        .head(gsp::handle)
        .put(gsp::handle)
        .post(gsp::handle)
        .delete(gsp::handle);
    let routes = Router::new()
        .route("/sparql", get(sparql::get).post(sparql::post))
        .route("/update", post(sparql::post_update))
        .route("/api/links", get(api::links))
        .route("/api/interlocks", get(api::interlocks))
        .route("/api/centrality", get(api::centrality))
        .route("/api/export/{format}", get(api::export))
        .route("/api/timeline", get(api::timeline))
        .route("/api/reach", get(api::reach))
        .route("/api/stats", get(api::stats))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/search", get(api::search))
        .route("/api/entity", get(api::entity))
        .route("/api/network", get(api::network))
        .route("/api/datasets", get(api::datasets))
        .route("/api/source", get(api::source))
        .route("/api/candidates", get(api::candidates))
        .route("/api/queries", get(page::queries))
        .route("/", get(page::index))
        .route("/assets/{*path}", get(page::asset))
        .route("/store", graph_store.clone())
        .route("/store/{*path}", graph_store)
        .fallback(page::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CompressionLayer::new());
    Ok(origins::guarded(routes, guard).layer(axum::middleware::from_fn(log_request)))
}

/// Logs one line per request: method, path, status, duration.
async fn log_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// A future that completes on SIGINT (Ctrl-C) or SIGTERM. The handlers are
/// installed when this is called, so call it before announcing the server:
/// a signal that comes before then ends the process the default way.
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
