//! The investigator's page: its files, built from `web/` by `npm run
//! build` and compiled into the binary, so `interlock serve` is the only
//! server and nothing comes from the internet; and the shipped queries of
//! `queries/`, which the page's SPARQL editor offers.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `web/dist`, as the build left it. Missing when the page was not built:
/// the server still runs, and `/` says how to build the page.
#[derive(rust_embed::RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Assets;

/// The SPARQL queries shipped in `queries/`.
#[derive(rust_embed::RustEmbed)]
#[folder = "../../queries"]
#[include = "*.rq"]
struct Queries;

/// One shipped query.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ShippedQuery {
    /// Its file name, without `.rq`.
    pub name: String,
    /// The first line of its leading comment: what it answers.
    pub title: String,
    /// The query text.
    pub query: String,
}

/// Every shipped query, by name.
pub fn shipped_queries() -> Vec<ShippedQuery> {
    let mut out: Vec<ShippedQuery> = Queries::iter()
        .filter_map(|file| {
            let text = String::from_utf8(Queries::get(&file)?.data.into_owned()).ok()?;
            let title = text
                .lines()
                .map_while(|l| l.strip_prefix('#'))
                .map(str::trim)
                .take_while(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            Some(ShippedQuery {
                name: file.trim_end_matches(".rq").to_string(),
                title,
                query: text,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// `GET /api/queries`: the shipped queries.
pub async fn queries() -> Response {
    axum::Json(shipped_queries()).into_response()
}

/// Whether a request without a query comes from a browser: it asks for
/// HTML before anything else (as every browser's navigation does).
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|first| first.trim().starts_with("text/html"))
}

/// `GET /` (and `/sparql` from a browser): the page.
pub async fn index() -> Response {
    file("index.html")
}

/// Any other path: 404. A browser gets the page, which says there is
/// nothing here and leads back; other clients a line saying where the API
/// and the endpoint are.
pub async fn not_found(uri: axum::http::Uri, headers: HeaderMap) -> Response {
    let browser = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if browser && Assets::get("index.html").is_some() {
        let mut page = file("index.html");
        *page.status_mut() = StatusCode::NOT_FOUND;
        page.headers_mut().remove(header::ETAG);
        return page;
    }
    let message = format!(
        "nothing at {}: the page is at /, the JSON API is described at /api/openapi.json, SPARQL is at /sparql\n",
        uri.path()
    );
    (StatusCode::NOT_FOUND, message).into_response()
}

/// `GET /assets/{file}`: one of the page's files.
pub async fn asset(Path(path): Path<String>) -> Response {
    file(&path)
}

fn file(path: &str) -> Response {
    let Some(found) = Assets::get(path) else {
        if Assets::get("index.html").is_none() {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "The page was not built into this binary: run scripts/serve, or \
                 `npm ci && npm run build` in web/ and build interlock again.\n",
            )
                .into_response();
        }
        return (
            StatusCode::NOT_FOUND,
            format!("no file '{path}' in the page\n"),
        )
            .into_response();
    };
    let etag = format!("\"{}\"", hex(&found.metadata.sha256_hash()));
    let mut response = found.data.into_owned().into_response();
    let headers = response.headers_mut();
    let media = found.metadata.mimetype();
    if let Ok(v) = HeaderValue::from_str(media) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    // Revalidated each time: the page changes with the binary, not its names.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
