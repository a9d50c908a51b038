//! The SPARQL 1.1 Protocol: queries by GET, URL-encoded POST and direct
//! POST; updates by POST (writable servers only).

use crate::AppState;
use crate::auth::check_write;
use crate::connections::ConnectionSocket;
use crate::error::ApiError;
use crate::service_description::service_description;
use crate::stream::run_query;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use interlock_store::{QueryRequest, UpdateRequest};

/// The protocol parameters of a request, from its URL and form body.
#[derive(Debug, Default)]
pub struct Params {
    query: Vec<String>,
    update: Vec<String>,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    using_graphs: Vec<String>,
    using_named_graphs: Vec<String>,
}

impl Params {
    /// Adds the parameters of a URL-encoded string; unknown ones (such as
    /// SPARQLWrapper's `format`, `output`, `results`) are ignored.
    fn add(&mut self, encoded: &[u8]) {
        for (name, value) in form_urlencoded::parse(encoded) {
            let list = match name.as_ref() {
                "query" => &mut self.query,
                "update" => &mut self.update,
                "default-graph-uri" => &mut self.default_graphs,
                "named-graph-uri" => &mut self.named_graphs,
                "using-graph-uri" => &mut self.using_graphs,
                "using-named-graph-uri" => &mut self.using_named_graphs,
                _ => continue,
            };
            list.push(value.into_owned());
        }
    }

    fn from_uri(uri: &Uri) -> Params {
        let mut p = Params::default();
        if let Some(q) = uri.query() {
            p.add(q.as_bytes());
        }
        p
    }
}

/// The media type of a request (lowercase, without parameters) and its charset.
fn media_type(headers: &HeaderMap) -> Option<(String, Option<String>)> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mut parts = value.split(';');
    let media = parts.next()?.trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_ascii_lowercase())
    });
    Some((media, charset))
}

/// The body as UTF-8 text; 415 for a declared charset other than UTF-8,
/// 400 for bytes that are not UTF-8.
fn utf8_body(body: &Bytes, charset: Option<&str>) -> Result<String, ApiError> {
    if let Some(c) = charset
        && c != "utf-8"
        && c != "utf8"
    {
        return Err(ApiError::unsupported_media_type(format!(
            "charset '{c}' is not supported; send the request body as UTF-8"
        )));
    }
    String::from_utf8(body.to_vec()).map_err(|e| {
        ApiError::bad_request(format!(
            "the request body is not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

pub fn endpoint_url(headers: &HeaderMap, path: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}{path}")
}

fn accept(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn single(values: Vec<String>, what: &str) -> Result<String, ApiError> {
    let mut values = values;
    match values.len() {
        1 => Ok(values.remove(0)),
        0 => Err(ApiError::bad_request(format!("no {what} given"))),
        n => Err(ApiError::bad_request(format!(
            "{n} {what} parameters given; send exactly one"
        ))),
    }
}

/// The connection's socket, when the request came on a connection thread.
type Socket = Option<Extension<ConnectionSocket>>;

/// `GET /sparql`: a query, or the service description when there is none.
pub async fn get(
    State(state): State<AppState>,
    socket: Socket,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let params = Params::from_uri(&uri);
    if !params.update.is_empty() {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "updates cannot be sent with GET; POST them to /update or /sparql",
        )
        .into_response();
    }
    if params.query.is_empty() && crate::page::wants_html(&headers) {
        // A person with a browser: the page, open on its SPARQL editor.
        return crate::page::index().await;
    }
    if params.query.is_empty() {
        // No query: the service description. Graphs given anyway must still be IRIs.
        let graphs = params.default_graphs.iter().chain(&params.named_graphs);
        if let Some(Err(e)) = graphs
            .map(|g| interlock_store::graph_node(g))
            .find(Result::is_err)
        {
            return ApiError::from(e).into_response();
        }
        return service_description(&state, &headers);
    }
    query(state, socket, headers, params).await
}

async fn query(
    state: AppState,
    socket: Socket,
    headers: HeaderMap,
    mut params: Params,
) -> Response {
    let text = match single(std::mem::take(&mut params.query), "query") {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let mut request = QueryRequest::new(text);
    request.default_graphs = params.default_graphs;
    request.named_graphs = params.named_graphs;
    request.timeout = state.config.timeout;
    request.base_iri = Some(endpoint_url(&headers, "/sparql"));
    run_query(
        state.store.clone(),
        request,
        accept(&headers),
        &state.deadlines,
        socket.map(|Extension(s)| s),
    )
    .await
}

async fn update(state: AppState, headers: HeaderMap, mut params: Params) -> Response {
    if let Err(e) = check_write(&state, &headers) {
        return e.into_response();
    }
    let text = match single(std::mem::take(&mut params.update), "update") {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let request = UpdateRequest {
        update: text,
        base_iri: Some(endpoint_url(&headers, "/sparql")),
        using_graphs: params.using_graphs,
        using_named_graphs: params.using_named_graphs,
    };
    let store = state.store.clone();
    let updated = tokio::task::spawn_blocking(move || store.update(&request)).await;
    state.projections.written();
    match updated {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => ApiError::from(e).into_response(),
        Err(e) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

enum Operation {
    Query,
    Update,
}

fn read_post(
    headers: &HeaderMap,
    uri: &Uri,
    body: &Bytes,
) -> Result<(Operation, Params), ApiError> {
    let mut params = Params::from_uri(uri);
    let Some((media, charset)) = media_type(headers) else {
        return Err(ApiError::unsupported_media_type(
            "missing Content-Type; use application/sparql-query, application/sparql-update or application/x-www-form-urlencoded",
        ));
    };
    match media.as_str() {
        "application/x-www-form-urlencoded" => {
            let text = utf8_body(body, charset.as_deref())?;
            let from_url_query = params.query.len();
            let from_url_update = params.update.len();
            if from_url_query + from_url_update > 0 {
                return Err(ApiError::bad_request(
                    "with a form POST, send the query or update in the body, not the URL",
                ));
            }
            params.add(text.as_bytes());
            match (params.query.is_empty(), params.update.is_empty()) {
                (false, true) => Ok((Operation::Query, params)),
                (true, false) => Ok((Operation::Update, params)),
                (false, false) => Err(ApiError::bad_request(
                    "send either a query or an update, not both",
                )),
                (true, true) => Err(ApiError::bad_request(
                    "the form has no query= or update= parameter",
                )),
            }
        }
        "application/sparql-query" => {
            params.query = vec![utf8_body(body, charset.as_deref())?];
            Ok((Operation::Query, params))
        }
        "application/sparql-update" => {
            params.update = vec![utf8_body(body, charset.as_deref())?];
            Ok((Operation::Update, params))
        }
        other => Err(ApiError::unsupported_media_type(format!(
            "Content-Type '{other}' is not supported; use application/sparql-query, application/sparql-update or application/x-www-form-urlencoded"
        ))),
    }
}

/// `POST /sparql`: a query or an update, URL-encoded or direct.
pub async fn post(
    State(state): State<AppState>,
    socket: Socket,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    match read_post(&headers, &uri, &body) {
        Ok((Operation::Query, params)) => query(state, socket, headers, params).await,
        Ok((Operation::Update, params)) => update(state, headers, params).await,
        Err(e) => e.into_response(),
    }
}

/// `POST /update`: an update, URL-encoded or direct.
pub async fn post_update(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    match read_post(&headers, &uri, &body) {
        Ok((Operation::Update, params)) => update(state, headers, params).await,
        Ok((Operation::Query, _)) => {
            ApiError::bad_request("this endpoint takes updates; send queries to /sparql")
                .into_response()
        }
        Err(e) => e.into_response(),
    }
}
