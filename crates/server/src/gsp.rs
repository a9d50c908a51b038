//! The SPARQL 1.1 Graph Store HTTP Protocol at `/store`: indirect
//! identification (`?graph=IRI`, `?default`) and direct identification
//! (`/store/some/path` is the graph `http://{host}/store/some/path`).
//! Reads are open; writes need a writable server and its bearer token.

use crate::AppState;
use crate::auth::check_write;
use crate::error::ApiError;
use crate::negotiate::negotiate;
use crate::sparql::endpoint_url;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use interlock_store::{GraphTarget, StoreError};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::NamedNode;

/// Formats a graph can be read as, our preference first.
const READ_FORMATS: [RdfFormat; 4] = [
    RdfFormat::Turtle,
    RdfFormat::NTriples,
    RdfFormat::RdfXml,
    RdfFormat::NQuads,
];

enum Target {
    Graph(GraphTarget),
    /// The graph store itself: POST creates a new graph.
    Store,
}

fn target(request: &Request) -> Result<Target, ApiError> {
    let path = request.uri().path();
    if path != "/store" {
        let iri = endpoint_url(request.headers(), path);
        return NamedNode::new(&iri)
            .map(|n| Target::Graph(GraphTarget::Named(n)))
            .map_err(|e| ApiError::bad_request(format!("'{iri}' is not a valid graph IRI: {e}")));
    }
    let mut graph = None;
    let mut default = false;
    if let Some(q) = request.uri().query() {
        for (name, value) in form_urlencoded::parse(q.as_bytes()) {
            match name.as_ref() {
                "graph" => graph = Some(value.into_owned()),
                "default" => default = true,
                _ => {}
            }
        }
    }
    match (graph, default) {
        (Some(_), true) => Err(ApiError::bad_request(
            "give either ?graph=IRI or ?default, not both",
        )),
        (Some(g), false) => NamedNode::new(&g)
            .map(|n| Target::Graph(GraphTarget::Named(n)))
            .map_err(|e| ApiError::bad_request(format!("graph '{g}' is not an absolute IRI: {e}"))),
        (None, true) => Ok(Target::Graph(GraphTarget::Default)),
        (None, false) => Ok(Target::Store),
    }
}

fn rdf_format_of(content_type: &str) -> Option<RdfFormat> {
    let media = content_type.split(';').next()?.trim().to_ascii_lowercase();
    match media.as_str() {
        "text/plain" => Some(RdfFormat::NTriples),
        "application/xml" => Some(RdfFormat::RdfXml),
        _ => RdfFormat::from_media_type(&media),
    }
}

fn unsupported(ct: &str) -> ApiError {
    ApiError::unsupported_media_type(format!(
        "Content-Type '{ct}' is not an RDF format; use text/turtle, application/n-triples, application/rdf+xml, application/ld+json or multipart/form-data"
    ))
}

/// Every method of the Graph Store Protocol.
pub async fn handle(State(state): State<AppState>, request: Request) -> Response {
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
    let response = match dispatch(state.clone(), request).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    if writes {
        state.projections.written();
    }
    response
}

async fn dispatch(state: AppState, request: Request) -> Result<Response, ApiError> {
    let target = target(&request)?;
    let method = request.method().clone();
    let headers = request.headers().clone();
    if method == Method::GET || method == Method::HEAD {
        let Target::Graph(graph) = target else {
            return Err(ApiError::bad_request(
                "name the graph to read with ?graph=IRI or ?default",
            ));
        };
        return read(&state, &headers, &graph, method == Method::HEAD).await;
    }
    check_write(&state, &headers)?;
    let base = endpoint_url(&headers, request.uri().path());
    match method {
        Method::PUT | Method::POST => {
            let (graph, created_location) = match target {
                Target::Graph(g) => (g, None),
                Target::Store if method == Method::POST => {
                    let id = format!(
                        "{:x}",
                        std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map(|d| d.as_nanos())
                            .unwrap_or_default()
                    );
                    let iri = endpoint_url(&headers, &format!("/store/{id}"));
                    let node = NamedNode::new(&iri).map_err(|e| {
                        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
                    })?;
                    (GraphTarget::Named(node), Some(iri))
                }
                Target::Store => {
                    return Err(ApiError::bad_request(
                        "name the graph to write with ?graph=IRI or ?default",
                    ));
                }
            };
            let payloads = payloads(request).await?;
            let store = state.store.clone();
            let replace = method == Method::PUT;
            let created = tokio::task::spawn_blocking(move || {
                let refs: Vec<(&[u8], RdfFormat)> =
                    payloads.iter().map(|(b, f)| (b.as_ref(), *f)).collect();
                store.write_graph(&graph, &refs, &base, replace)
            })
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
            .map_err(ApiError::from)?;
            Ok(match created_location {
                Some(location) => {
                    (StatusCode::CREATED, [(header::LOCATION, location)]).into_response()
                }
                None if created => StatusCode::CREATED.into_response(),
                None => StatusCode::NO_CONTENT.into_response(),
            })
        }
        Method::DELETE => {
            let Target::Graph(graph) = target else {
                return Err(ApiError::bad_request(
                    "name the graph to delete with ?graph=IRI or ?default",
                ));
            };
            let existed = state.store.delete_graph(&graph).map_err(ApiError::from)?;
            if existed {
                Ok(StatusCode::NO_CONTENT.into_response())
            } else {
                Err(ApiError::new(StatusCode::NOT_FOUND, "no such graph"))
            }
        }
        _ => Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "use GET, HEAD, PUT, POST or DELETE",
        )),
    }
}

/// The RDF documents of a write: the body, or each part of a multipart form.
async fn payloads(request: Request) -> Result<Vec<(Bytes, RdfFormat)>, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        let mut multipart = Multipart::from_request(request, &())
            .await
            .map_err(|e| ApiError::bad_request(format!("invalid multipart body: {e}")))?;
        let mut out = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| ApiError::bad_request(format!("invalid multipart body: {e}")))?
        {
            let format = field
                .content_type()
                .and_then(rdf_format_of)
                .or_else(|| {
                    let name = field.file_name()?;
                    let ext = name.rsplit_once('.')?.1;
                    RdfFormat::from_extension(ext)
                })
                .ok_or_else(|| unsupported(field.content_type().unwrap_or("(none)")))?;
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::bad_request(format!("invalid multipart body: {e}")))?;
            out.push((bytes, format));
        }
        return Ok(out);
    }
    let format = rdf_format_of(&content_type).ok_or_else(|| unsupported(&content_type))?;
    let bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .map_err(|e| ApiError::bad_request(format!("cannot read the body: {e}")))?;
    Ok(vec![(bytes, format)])
}

async fn read(
    state: &AppState,
    headers: &HeaderMap,
    graph: &GraphTarget,
    head: bool,
) -> Result<Response, ApiError> {
    let offers: Vec<&str> = READ_FORMATS.iter().map(|f| f.media_type()).collect();
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let media = negotiate(accept, &offers).ok_or_else(|| ApiError::not_acceptable(&offers))?;
    let format = READ_FORMATS
        .into_iter()
        .find(|f| f.media_type() == media)
        .unwrap_or(RdfFormat::Turtle);
    let store = state.store.clone();
    let graph = graph.clone();
    let body = tokio::task::spawn_blocking(move || -> Result<Option<Vec<u8>>, StoreError> {
        if !store.graph_exists(&graph)? {
            return Ok(None);
        }
        let mut serializer = RdfSerializer::from_format(format).for_writer(Vec::new());
        for t in store.graph_triples(&graph)? {
            serializer.serialize_triple(&t)?;
        }
        Ok(Some(serializer.finish()?))
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(ApiError::from)?;
    let Some(body) = body else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "no such graph"));
    };
    let content_type = if media.starts_with("text/") {
        format!("{media}; charset=utf-8")
    } else {
        media.to_string()
    };
    let len = body.len();
    let mut response = (
        [(header::CONTENT_TYPE, content_type)],
        if head { Vec::new() } else { body },
    )
        .into_response();
    if head {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, axum::http::HeaderValue::from(len));
    }
    Ok(response)
}
