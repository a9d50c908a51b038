//! `GET /api/openapi.json`: the OpenAPI 3.1 document of the API, written
//! from the request and answer types themselves, so that a parameter, its
//! default, its names and its constraints exist once (in
//! `interlock-request`) and the document cannot drift from what the server
//! accepts and answers.

use crate::page::ShippedQuery;
use axum::Json;
use axum::response::{IntoResponse, Response};
use interlock_graph::{
    Arrival, DatasetSummary, EntityPage, Entry, ExportFormat, Found, Interlock, Link, Network,
    Score, SourcePage, YearStats,
};
use interlock_identity::Candidate;
use interlock_request::{
    CandidatesRequest, CentralityRequest, DatasetsRequest, EntityRequest, ExportRequest,
    InterlocksRequest, LinksRequest, NetworkRequest, ReachRequest, SearchRequest, SourceRequest,
    StatsRequest, TimelineRequest,
};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};
use std::sync::LazyLock;

/// `GET /api/openapi.json`.
pub async fn document() -> Response {
    static DOCUMENT: LazyLock<Value> = LazyLock::new(openapi);
    Json(DOCUMENT.clone()).into_response()
}

const MALFORMED: &str = "a parameter is malformed (the message says which and why)";

/// One `GET` operation answering JSON: its parameters from `Request`, its
/// answer's schema from `Answer`, its summary from `Request`'s doc comment.
fn operation<Request: JsonSchema, Answer: JsonSchema>(
    g: &mut SchemaGenerator,
    answer: &str,
    not_found: Option<&str>,
) -> Value {
    let (summary, parameters) = query_parameters::<Request>(g);
    let mut responses = json!({
        "200": {
            "description": answer,
            "content": { "application/json": { "schema": g.subschema_for::<Answer>() } }
        },
        "400": { "description": MALFORMED, "content": { "text/plain": {} } },
        "503": { "description": "the store took longer than the time limit", "content": { "text/plain": {} } },
    });
    if let Some(why) = not_found {
        responses["404"] = json!({ "description": why, "content": { "text/plain": {} } });
    }
    json!({ "get": { "summary": summary, "parameters": parameters, "responses": responses } })
}

/// The query parameters a request type reads, as one exploded `form`
/// object parameter whose schema is the request type's own (so that its
/// constraints across fields, such as `at` and `during` not both, hold),
/// and the type's description.
fn query_parameters<T: JsonSchema>(g: &mut SchemaGenerator) -> (String, Vec<Value>) {
    let mut schema = T::json_schema(g).to_value();
    let summary = schema
        .as_object_mut()
        .and_then(|s| s.remove("description"))
        .and_then(|d| d.as_str().map(|d| d.replace('\n', " ")))
        .unwrap_or_default();
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for property in properties.values_mut() {
            if let Value::Object(p) = property {
                *property = without_null(std::mem::take(p));
            }
        }
    }
    let required = schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty());
    let name = T::schema_name().to_string();
    let parameter = json!({
        "name": name,
        "in": "query",
        "style": "form",
        "explode": true,
        "required": required,
        "schema": schema,
    });
    (summary, vec![parameter])
}

/// A query parameter is given or not; it is never JSON `null`: an
/// optional field's schema without its `null` alternative.
fn without_null(mut schema: Map<String, Value>) -> Value {
    if schema.get("default") == Some(&Value::Null) {
        schema.remove("default");
    }
    if let Some(Value::Array(types)) = schema.get("type") {
        let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        schema.insert("type".into(), kept.first().cloned().unwrap_or_default());
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(options)) = schema.get(key) {
            let kept: Vec<Value> = options
                .iter()
                .filter(|o| o.get("type").is_none_or(|t| t != "null"))
                .cloned()
                .collect();
            if let [only] = kept.as_slice() {
                let only = only.clone();
                schema.remove(key);
                if let Value::Object(o) = only {
                    schema.extend(o);
                }
            }
        }
    }
    Value::Object(schema)
}

/// The whole document.
fn openapi() -> Value {
    let mut g = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    let mut export = operation::<ExportRequest, ()>(&mut g, "the graph", Some("unknown format"));
    let formats: Vec<&str> = ExportFormat::NAMES.to_vec();
    if let Some(parameters) = export["get"]["parameters"].as_array_mut() {
        parameters.insert(
            0,
            json!({ "name": "format", "in": "path", "required": true,
                    "schema": { "type": "string", "enum": formats } }),
        );
    }
    let media: Map<String, Value> = ExportFormat::ALL
        .iter()
        .map(|f| (f.media_type().to_string(), json!({})))
        .collect();
    export["get"]["responses"]["200"]["content"] = Value::Object(media);
    let paths = json!({
        "/api/links": operation::<LinksRequest, Vec<Link>>(
            &mut g, "chains, the surest first, then the shortest, then by start", Some("no such entity")),
        "/api/interlocks": operation::<InterlocksRequest, Vec<Interlock>>(&mut g, "interlocks", None),
        "/api/centrality": operation::<CentralityRequest, Vec<Score>>(&mut g, "scores, highest first", None),
        "/api/timeline": operation::<TimelineRequest, Vec<Entry>>(&mut g, "entries, in date order", Some("no such entity")),
        "/api/export/{format}": export,
        "/api/reach": operation::<ReachRequest, Vec<Arrival>>(
            &mut g, "arrivals, earliest first, then fewest hops", Some("no such entity")),
        "/api/stats": operation::<StatsRequest, Vec<YearStats>>(&mut g, "one entry per year, in order", None),
        "/api/search": operation::<SearchRequest, Vec<Found>>(
            &mut g, "entities found, an exact name first (Server-Timing gives the time spent)", None),
        "/api/entity": operation::<EntityRequest, EntityPage>(
            &mut g, "the entity's page", Some("no such entity")),
        "/api/network": operation::<NetworkRequest, Network>(
            &mut g, "the entities and ties to draw", Some("no such entity")),
        "/api/candidates": operation::<CandidatesRequest, Vec<Candidate>>(
            &mut g, "pairs of entities that are probably one, best first (of one entity: it is always `a`)", Some("no such entity")),
        "/api/source": operation::<SourceRequest, SourcePage>(
            &mut g, "the source and one page of the claims it supports, in the order of their IRIs", Some("no such source")),
        "/api/datasets": operation::<DatasetsRequest, Vec<DatasetSummary>>(
            &mut g, "every dataset, by id, with what its import read", None),
        "/api/queries": {
            "get": {
                "summary": "The SPARQL queries shipped in queries/, for the page's editor.",
                "responses": { "200": {
                    "description": "the queries, by name",
                    "content": { "application/json": { "schema": g.subschema_for::<Vec<ShippedQuery>>() } },
                } },
            },
        },
        "/sparql": sparql(),
    });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "interlock",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Dated, sourced corporate relationships: the analyses of the `interlock` CLI over HTTP. Every answer is the JSON `interlock <command> --format json` prints. SPARQL 1.1 Protocol at /sparql, Graph Store Protocol at /store.",
        },
        "paths": paths,
        "components": { "schemas": g.take_definitions(true) },
    })
}

/// `GET` and `POST /sparql`: the SPARQL 1.1 Protocol's parameters, as the
/// W3C defines them (a query is written in SPARQL: the custom format
/// `sparql-query`; graphs are absolute IRIs).
fn sparql() -> Value {
    let graphs = json!({ "type": "array", "items": { "type": "string", "format": "iri" } });
    let query = json!({ "type": "string", "minLength": 1, "format": "sparql-query" });
    let responses = json!({
        "200": { "description": "results by content negotiation" },
        "400": { "description": MALFORMED, "content": { "text/plain": {} } },
        "403": { "description": "an update on a read-only server", "content": { "text/plain": {} } },
        "406": { "description": "no acceptable format" },
        "415": { "description": "a body of another media type", "content": { "text/plain": {} } },
        "503": { "description": "the query ran past its time limit" },
    });
    let graph_parameters = json!([
        { "name": "default-graph-uri", "in": "query", "required": false, "schema": graphs },
        { "name": "named-graph-uri", "in": "query", "required": false, "schema": graphs },
    ]);
    let mut get_parameters = vec![json!({
        "name": "query", "in": "query", "required": false, "schema": query,
        "description": "the SPARQL query; absent: the service description" })];
    get_parameters.extend(graph_parameters.as_array().cloned().unwrap_or_default());
    json!({
        "get": {
            "summary": "SPARQL 1.1 Protocol query (the service description without a query)",
            "parameters": get_parameters,
            "responses": responses,
        },
        "post": {
            "summary": "SPARQL 1.1 Protocol query, by POST: form-encoded or directly",
            "parameters": graph_parameters,
            "requestBody": {
                "required": true,
                "content": {
                    "application/sparql-query": { "schema": query },
                    "application/x-www-form-urlencoded": { "schema": {
                        "type": "object",
                        "properties": { "query": query },
                        "required": ["query"],
                    } },
                },
            },
            "responses": responses,
        },
    })
}
