//! The W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description
//! test manifests (`../shared/external/w3c-sparql11/`), run against a real
//! `interlock serve --writable` on a scratch store.
//!
//! The manifests are read with Oxigraph; each test's HTTP requests are sent
//! in order and their responses checked as the manifests say. Prints
//! `N passed, N failed` per manifest; CONFORMANCE.md explains our reading
//! of tests that leave room for it.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{Server, shared};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, NamedOrBlankNodeRef, Term, TermRef};
use oxigraph::store::Store;
use reqwest::blocking::Client;
use std::path::{Path, PathBuf};

const TOKEN: &str = "w3c-conformance-token-0123456789";
const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const HT: &str = "http://www.w3.org/2011/http#";
const CNT: &str = "http://www.w3.org/2011/content#";
const HTS: &str = "http://www.w3.org/2011/http-statusCodes#";
const UT: &str = "http://www.w3.org/2009/sparql/tests/test-update#";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const SD: &str = "http://www.w3.org/ns/sparql-service-description#";

fn manifests_dir() -> PathBuf {
    let dir = shared().join("external/w3c-sparql11");
    assert!(
        dir.is_dir(),
        "{} is missing: the W3C manifests come from shared/ beside the project",
        dir.display()
    );
    dir
}

fn iri(ns: &str, local: &str) -> NamedNode {
    NamedNode::new(format!("{ns}{local}")).unwrap()
}

/// A manifest loaded for reading.
struct Manifest {
    store: Store,
}

impl Manifest {
    fn load(path: &Path) -> Manifest {
        let store = Store::new().unwrap();
        let base = format!("file://{}", path.canonicalize().unwrap().display());
        let text = std::fs::read(path).unwrap();
        let parser = RdfParser::from_format(RdfFormat::Turtle)
            .with_base_iri(base)
            .unwrap();
        store.load_from_slice(parser, &text).unwrap();
        Manifest { store }
    }

    fn objects(&self, s: &Term, p: &NamedNode) -> Vec<Term> {
        let subject: NamedOrBlankNodeRef<'_> = match s {
            Term::NamedNode(n) => n.into(),
            Term::BlankNode(b) => b.into(),
            _ => return Vec::new(),
        };
        self.store
            .quads_for_pattern(Some(subject), Some(p.as_ref()), None, None)
            .map(|q| q.unwrap().object)
            .collect()
    }

    fn object(&self, s: &Term, p: &NamedNode) -> Option<Term> {
        self.objects(s, p).into_iter().next()
    }

    fn text(&self, s: &Term, p: &NamedNode) -> Option<String> {
        match self.object(s, p)? {
            Term::Literal(l) => Some(l.value().to_string()),
            Term::NamedNode(n) => Some(n.as_str().to_string()),
            _ => None,
        }
    }

    fn list(&self, head: &Term) -> Vec<Term> {
        let mut out = Vec::new();
        let mut node = head.clone();
        let nil = iri(RDF, "nil");
        while node != Term::NamedNode(nil.clone()) {
            match self.object(&node, &iri(RDF, "first")) {
                Some(first) => out.push(first),
                None => break,
            }
            match self.object(&node, &iri(RDF, "rest")) {
                Some(rest) => node = rest,
                None => break,
            }
        }
        out
    }

    /// Tests of `kind`: the listed entries first, then any defined but not listed.
    fn tests(&self, kind: &str) -> (Vec<Term>, usize) {
        let mut listed = Vec::new();
        for q in self
            .store
            .quads_for_pattern(None, Some(iri(MF, "entries").as_ref()), None, None)
        {
            listed.extend(self.list(&q.unwrap().object));
        }
        let listed_count = listed.len();
        for q in self.store.quads_for_pattern(
            None,
            Some(iri(RDF, "type").as_ref()),
            Some(iri(MF, kind).as_ref().into()),
            None,
        ) {
            let t: Term = q.unwrap().subject.into();
            if !listed.contains(&t) {
                listed.push(t);
            }
        }
        (listed, listed_count)
    }
}

struct Runner {
    server: Server,
    client: Client,
}

fn status_matches(code: u16, expected: &Term) -> bool {
    let Term::NamedNode(n) = expected else {
        return false;
    };
    let local = n.as_str().strip_prefix(HTS).unwrap_or("");
    if let Some(class) = local
        .strip_prefix("StatusCode")
        .and_then(|c| c.strip_suffix("xx"))
    {
        return class.parse::<u16>().is_ok_and(|c| code / 100 == c);
    }
    let named = match local {
        "OK" => 200,
        "Created" => 201,
        "NoContent" => 204,
        "NotFound" => 404,
        "BadRequest" => 400,
        _ => 0,
    };
    named == code
}

fn media(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn parse_graph(body: &[u8], content_type: &str, base: &str) -> Result<Graph, String> {
    let format = RdfFormat::from_media_type(&media(content_type))
        .ok_or_else(|| format!("not an RDF media type: {content_type}"))?;
    let mut graph = Graph::new();
    let parser = RdfParser::from_format(format)
        .with_base_iri(base)
        .map_err(|e| e.to_string())?
        .without_named_graphs();
    for q in parser.for_slice(body) {
        let q = q.map_err(|e| e.to_string())?;
        graph.insert(&oxigraph::model::Triple::new(
            q.subject,
            q.predicate,
            q.object,
        ));
    }
    graph.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    Ok(graph)
}

impl Runner {
    fn start() -> Runner {
        Runner {
            server: Server::writable(TOKEN, &["--timeout", "10"]),
            client: Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .unwrap(),
        }
    }

    fn reset(&self, m: &Manifest, test: &Term) -> Result<(), String> {
        let r = self
            .client
            .post(self.server.url("/update"))
            .header("Authorization", format!("Bearer {TOKEN}"))
            .header("Content-Type", "application/sparql-update")
            .body("DROP ALL")
            .send()
            .map_err(|e| e.to_string())?;
        if !r.status().is_success() {
            return Err(format!("DROP ALL failed: {}", r.status()));
        }
        for data in m.objects(test, &iri(UT, "graphData")) {
            let file = m
                .text(&data, &iri(UT, "graph"))
                .ok_or("graphData without ut:graph")?;
            let name = m
                .text(&data, &iri(RDFS, "label"))
                .ok_or("graphData without label")?;
            let path = file
                .strip_prefix("file://")
                .ok_or("graph file is not a file IRI")?;
            let body = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
            let r = self
                .client
                .put(self.server.url("/store"))
                .query(&[("graph", name.as_str())])
                .header("Authorization", format!("Bearer {TOKEN}"))
                .header("Content-Type", "application/n-triples")
                .body(body)
                .send()
                .map_err(|e| e.to_string())?;
            if !r.status().is_success() {
                return Err(format!("loading {name} failed: {}", r.status()));
            }
        }
        Ok(())
    }

    /// Runs one test's requests in order; `Err` says what did not match.
    fn run(&self, m: &Manifest, test: &Term, path_prefix: (&str, &str)) -> Result<(), String> {
        self.reset(m, test)?;
        let action = m.object(test, &iri(MF, "action")).ok_or("no mf:action")?;
        let requests = m
            .object(&action, &iri(HT, "requests"))
            .map(|l| m.list(&l))
            .ok_or("no ht:requests")?;
        let mut location: Option<String> = None;
        for (i, request) in requests.iter().enumerate() {
            let substitute = |s: String| match &location {
                Some(l) => s.replace("$LOCATION$", l),
                None => s,
            };
            let path = substitute(m.text(request, &iri(HT, "absolutePath")).ok_or("no path")?);
            let path = match path.strip_prefix(path_prefix.0) {
                Some(rest) => format!("{}{rest}", path_prefix.1),
                None => path,
            };
            let method = m.text(request, &iri(HT, "methodName")).ok_or("no method")?;
            let mut builder = self.client.request(
                reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?,
                self.server.url(&path),
            );
            let mut has_auth = false;
            if let Some(headers) = m.object(request, &iri(HT, "headers")) {
                for h in m.list(&headers) {
                    let name = m.text(&h, &iri(HT, "fieldName")).unwrap_or_default();
                    let value = m.text(&h, &iri(HT, "fieldValue")).unwrap_or_default();
                    has_auth |= name.eq_ignore_ascii_case("authorization");
                    builder = builder.header(name, value);
                }
            }
            if !has_auth {
                builder = builder.header("Authorization", format!("Bearer {TOKEN}"));
            }
            if let Some(body) = m.object(request, &iri(HT, "body")) {
                let chars = substitute(m.text(&body, &iri(CNT, "chars")).unwrap_or_default());
                let encoding = m
                    .text(&body, &iri(CNT, "characterEncoding"))
                    .unwrap_or_else(|| "UTF-8".into());
                let bytes: Vec<u8> = if encoding.eq_ignore_ascii_case("UTF-16") {
                    let mut b = vec![0xFF, 0xFE];
                    b.extend(chars.encode_utf16().flat_map(u16::to_le_bytes));
                    b
                } else {
                    chars.into_bytes()
                };
                builder = builder.body(bytes);
            }
            let response = builder.send().map_err(|e| format!("request {i}: {e}"))?;
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let response_location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = response.bytes().map_err(|e| e.to_string())?;
            let expected = m.object(request, &iri(HT, "resp")).ok_or(format!(
                "request {i} has no ht:resp: the manifest was misread"
            ))?;
            let statuses = m.objects(&expected, &iri(MF, "expectedStatus"));
            if statuses.is_empty() {
                return Err(format!(
                    "request {i} has no mf:expectedStatus: the manifest was misread"
                ));
            }
            if !statuses.iter().any(|s| status_matches(status, s)) {
                return Err(format!(
                    "request {i} ({method} {path}): status {status}, expected {statuses:?}; body: {}",
                    String::from_utf8_lossy(&body)
                ));
            }
            if m.object(&expected, &iri(MF, "expectedLocation")).is_some() {
                location =
                    Some(response_location.ok_or(format!("request {i}: no Location header"))?);
            }
            if let Some(format) = m.text(&expected, &iri(MF, "expectedFormat")) {
                let media = media(&content_type);
                let ok = match format.as_str() {
                    "boolean" => matches!(
                        media.as_str(),
                        "application/sparql-results+json" | "application/sparql-results+xml"
                    ),
                    "tabular" => matches!(
                        media.as_str(),
                        "application/sparql-results+json"
                            | "application/sparql-results+xml"
                            | "text/csv"
                            | "text/tab-separated-values"
                    ),
                    "RDF" => matches!(
                        media.as_str(),
                        "application/rdf+xml"
                            | "text/turtle"
                            | "application/n-triples"
                            | "text/html"
                    ),
                    _ => false,
                };
                if !ok {
                    return Err(format!(
                        "request {i}: content type {content_type} is not {format}"
                    ));
                }
            }
            if let Some(Term::Literal(b)) = m.object(&expected, &iri(MF, "expectedBoolean")) {
                let text = String::from_utf8_lossy(&body);
                let got = if media(&content_type) == "application/sparql-results+json" {
                    serde_json::from_str::<serde_json::Value>(&text).map_err(|e| e.to_string())?["boolean"].as_bool()
                } else {
                    Some(text.contains("<boolean>true</boolean>"))
                };
                if got != Some(b.value() == "true") {
                    return Err(format!(
                        "request {i}: boolean {got:?}, expected {}",
                        b.value()
                    ));
                }
            }
            if let Some(headers) = m.object(&expected, &iri(HT, "headers")) {
                for h in m.list(&headers) {
                    let name = m.text(&h, &iri(HT, "fieldName")).unwrap_or_default();
                    let value = m.text(&h, &iri(HT, "fieldValue")).unwrap_or_default();
                    if name.eq_ignore_ascii_case("content-type")
                        && media(&value) != media(&content_type)
                    {
                        return Err(format!(
                            "request {i}: content type {content_type}, expected {value}"
                        ));
                    }
                }
            }
            if let Some(expected_body) = m.object(&expected, &iri(HT, "body")) {
                let chars = m
                    .text(&expected_body, &iri(CNT, "chars"))
                    .unwrap_or_default();
                let base = self.server.url(&path);
                let want = parse_graph(chars.as_bytes(), "text/turtle", &base)?;
                let got = parse_graph(&body, &content_type, &base)?;
                if want != got {
                    return Err(format!(
                        "request {i}: graph differs; got:\n{}",
                        String::from_utf8_lossy(&body)
                    ));
                }
            }
        }
        Ok(())
    }
}

fn report(name: &str, results: &[(String, Result<(), String>)]) -> usize {
    let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    for (test, r) in &failed {
        if let Err(e) = r {
            println!("FAILED {name} {test}: {e}");
        }
    }
    println!(
        "{name}: {} passed, {} failed",
        results.len() - failed.len(),
        failed.len()
    );
    failed.len()
}

fn local_name(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => n.as_str().rsplit('#').next().unwrap_or("").to_string(),
        other => other.to_string(),
    }
}

#[test]
fn w3c_sparql11_protocol() {
    let m = Manifest::load(&manifests_dir().join("protocol/manifest.ttl"));
    let runner = Runner::start();
    let (tests, listed) = m.tests("ProtocolTest");
    assert_eq!(listed, 34);
    let results: Vec<_> = tests
        .iter()
        .map(|t| (local_name(t), runner.run(&m, t, ("/sparql/", "/sparql"))))
        .collect();
    assert_eq!(report("protocol", &results), 0);
}

#[test]
fn w3c_graph_store_protocol() {
    let mut results = Vec::new();
    let runner = Runner::start();
    let mut listed_total = 0;
    for file in ["manifest-direct.ttl", "manifest-indirect.ttl"] {
        let m = Manifest::load(&manifests_dir().join("graph-store-protocol").join(file));
        let (tests, listed) = m.tests("GraphStoreProtocolTest");
        listed_total += listed;
        for t in &tests {
            results.push((local_name(t), runner.run(&m, t, ("/gsp", "/store"))));
        }
    }
    assert_eq!(listed_total, 13);
    assert_eq!(
        results.len(),
        14,
        "13 listed and head_non_existing_direct, defined but not listed"
    );
    assert_eq!(report("graph-store-protocol", &results), 0);
}

#[test]
fn w3c_service_description() {
    let m = Manifest::load(&manifests_dir().join("service-description.manifest.ttl"));
    let (tests, listed) = m.tests("ServiceDescriptionTest");
    assert_eq!(listed, 3);
    let runner = Runner::start();
    let endpoint = runner.server.url("/sparql");
    let response = runner.client.get(&endpoint).send().unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = response.bytes().unwrap();
    let graph = parse_graph(&body, &content_type, &endpoint);
    let a = iri(RDF, "type");
    let results: Vec<_> = tests
        .iter()
        .map(|t| {
            let name = local_name(t);
            let outcome = match name.as_str() {
                "returns-rdf" => match &graph {
                    Ok(g) if status == 200 && !g.is_empty() => Ok(()),
                    Ok(_) => Err(format!("status {status} or empty description")),
                    Err(e) => Err(e.clone()),
                },
                "has-endpoint-triple" => {
                    let endpoint_node = NamedNode::new(&endpoint).unwrap();
                    match &graph {
                        Ok(g) if g
                            .triples_for_predicate(iri(SD, "endpoint").as_ref())
                            .any(|t| t.object == TermRef::from(endpoint_node.as_ref())) =>
                        {
                            Ok(())
                        }
                        Ok(_) => Err(format!("no sd:endpoint <{endpoint}>")),
                        Err(e) => Err(e.clone()),
                    }
                }
                "conforms-to-schema" => match &graph {
                    Ok(g) => {
                        let services: Vec<_> = g
                            .subjects_for_predicate_object(a.as_ref(), iri(SD, "Service").as_ref())
                            .collect();
                        let languages = [iri(SD, "SPARQL10Query"), iri(SD, "SPARQL11Query"), iri(SD, "SPARQL11Update")];
                        let ok = services.len() == 1
                            && g.object_for_subject_predicate(services[0], iri(SD, "endpoint").as_ref()).is_some()
                            && g.objects_for_subject_predicate(services[0], iri(SD, "supportedLanguage").as_ref())
                                .all(|l| languages.iter().any(|x| TermRef::from(x.as_ref()) == l))
                            && g.object_for_subject_predicate(services[0], iri(SD, "supportedLanguage").as_ref()).is_some();
                        if ok { Ok(()) } else { Err("not one sd:Service with sd:endpoint and known sd:supportedLanguage".into()) }
                    }
                    Err(e) => Err(e.clone()),
                },
                other => Err(format!("unknown test {other}")),
            };
            (name, outcome)
        })
        .collect();
    assert_eq!(report("service-description", &results), 0);
}
