//! The SPARQL 1.1 Service Description, answered on `GET /sparql` without a query.

use crate::AppState;
use crate::error::ApiError;
use crate::negotiate::negotiate;
use crate::sparql::endpoint_url;
use crate::stream::graph_offers;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use interlock_store::GraphFormat;
use oxigraph::io::RdfSerializer;
use oxigraph::model::{BlankNode, NamedNode, Term, Triple};

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";

fn sd(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SD}{local}"))
}

/// The description of this endpoint, in the RDF format the client prefers.
pub fn service_description(state: &AppState, headers: &HeaderMap) -> Response {
    let offers = graph_offers();
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let Some(media) = negotiate(accept, &offers) else {
        return ApiError::not_acceptable(&offers).into_response();
    };
    let format = GraphFormat::from_media_type(media).unwrap_or(GraphFormat::Turtle);

    let service = BlankNode::default();
    let dataset = BlankNode::default();
    let default_graph = BlankNode::default();
    let mut triples: Vec<Triple> = Vec::new();
    let mut add = |s: &BlankNode, p: NamedNode, o: Term| triples.push(Triple::new(s.clone(), p, o));
    let a = NamedNode::from(oxigraph::model::vocab::rdf::TYPE);
    add(&service, a.clone(), sd("Service").into());
    add(
        &service,
        sd("endpoint"),
        NamedNode::new_unchecked(endpoint_url(headers, "/sparql")).into(),
    );
    add(
        &service,
        sd("supportedLanguage"),
        sd("SPARQL11Query").into(),
    );
    if state.config.write_token.is_some() {
        add(
            &service,
            sd("supportedLanguage"),
            sd("SPARQL11Update").into(),
        );
    }
    for format in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
        "N-Quads",
        "TriG",
    ] {
        add(
            &service,
            sd("resultFormat"),
            NamedNode::new_unchecked(format!("{FORMATS}{format}")).into(),
        );
    }
    add(&service, sd("feature"), sd("UnionDefaultGraph").into());
    add(
        &service,
        sd("defaultEntailmentRegime"),
        NamedNode::new_unchecked("http://www.w3.org/ns/entailment/Simple").into(),
    );
    add(&service, sd("defaultDataset"), dataset.clone().into());
    add(&dataset, a.clone(), sd("Dataset").into());
    add(&dataset, sd("defaultGraph"), default_graph.clone().into());
    add(&default_graph, a.clone(), sd("Graph").into());
    if let Ok(graphs) = state.store.graphs() {
        for g in graphs {
            let Ok(name) = NamedNode::new(&g.graph) else {
                continue;
            };
            let named = BlankNode::default();
            add(&dataset, sd("namedGraph"), named.clone().into());
            add(&named, a.clone(), sd("NamedGraph").into());
            add(&named, sd("name"), name.into());
        }
    }

    let mut serializer = match RdfSerializer::from_format(format.rdf_format()).with_prefix("sd", SD)
    {
        Ok(s) => s.for_writer(Vec::new()),
        Err(e) => {
            return ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
                .into_response();
        }
    };
    for t in &triples {
        if let Err(e) = serializer.serialize_triple(t) {
            return ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
                .into_response();
        }
    }
    match serializer.finish() {
        Ok(body) => {
            let content_type = if media.starts_with("text/") {
                format!("{media}; charset=utf-8")
            } else {
                media.to_string()
            };
            ([(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        Err(e) => ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
            .into_response(),
    }
}
