//! The SPARQL endpoint, end to end: the real binary on 127.0.0.1, spoken to over HTTP.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::Server;
use reqwest::blocking::Client;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use std::process::Command;
use std::time::{Duration, Instant};

const HASTINGS_SELECT: &str = "PREFIX il: <https://w3id.org/interlock/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name ?time WHERE {
  ?r a il:BoardMembership ; il:subject ?p ; il:edtf ?time .
  ?p rdfs:label ?name . FILTER(LANG(?name) = \"en\")
}";

const TITAN_ASK: &str = "PREFIX il: <https://w3id.org/interlock/ontology#>
PREFIX id: <https://w3id.org/interlock/id/>
ASK { id:netflix il:hasApiAccessTo id:facebook }";

const BOARD_CONSTRUCT: &str = "PREFIX il: <https://w3id.org/interlock/ontology#>
CONSTRUCT { ?p il:boardMemberOf ?o } WHERE { ?p il:boardMemberOf ?o }";

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

fn curl(args: &[&str]) -> (String, String) {
    let out = Command::new("curl")
        .args(["-sS", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs");
    let text = String::from_utf8(out.stdout).unwrap();
    let (body, code) = text.rsplit_once('\n').unwrap();
    (body.to_string(), code.to_string())
}

#[test]
fn curl_select_ask_construct_on_the_seed() {
    let server = Server::seeded(&[]);
    let sparql = server.url("/sparql");

    let (body, code) = curl(&[
        "-G",
        &sparql,
        "-H",
        "Accept: application/sparql-results+json",
        "--data-urlencode",
        &format!("query={HASTINGS_SELECT}"),
    ]);
    assert_eq!(code, "200", "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let b = &json["results"]["bindings"];
    assert_eq!(b.as_array().unwrap().len(), 1, "{body}");
    assert_eq!(b[0]["name"]["value"], "Reed Hastings");
    assert_eq!(b[0]["time"]["value"], "2011/2019");

    let (body, code) = curl(&[
        &sparql,
        "-H",
        "Accept: application/sparql-results+json",
        "--data-urlencode",
        &format!("query={TITAN_ASK}"),
    ]);
    assert_eq!(code, "200");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["boolean"],
        true
    );

    let (body, code) = curl(&[
        &sparql,
        "-H",
        "Accept: application/n-triples",
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        BOARD_CONSTRUCT,
    ]);
    assert_eq!(code, "200");
    assert_eq!(
        body.trim(),
        "<https://w3id.org/interlock/id/reed-hastings> <https://w3id.org/interlock/ontology#boardMemberOf> <https://w3id.org/interlock/id/facebook> ."
    );
}

#[test]
fn results_in_every_format_by_content_negotiation() {
    let server = Server::seeded(&[]);
    let c = client();
    let get = |accept: &str, query: &str| {
        c.get(server.url("/sparql"))
            .query(&[("query", query)])
            .header(ACCEPT, accept)
            .send()
            .unwrap()
    };
    let r = get("application/sparql-results+xml", HASTINGS_SELECT);
    assert_eq!(r.headers()[CONTENT_TYPE], "application/sparql-results+xml");
    assert!(r.text().unwrap().contains(">2011/2019</literal>"));

    let r = get("text/csv", HASTINGS_SELECT);
    assert_eq!(r.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        r.text().unwrap(),
        "name,time\r\nReed Hastings,2011/2019\r\n"
    );

    let r = get("text/tab-separated-values", HASTINGS_SELECT);
    assert_eq!(
        r.text().unwrap(),
        "?name\t?time\n\"Reed Hastings\"@en\t\"2011/2019\"^^<http://id.loc.gov/datatypes/edtf/EDTF>\n"
    );

    // q-values: XML preferred over JSON
    let r = get(
        "application/sparql-results+json;q=0.5, application/sparql-results+xml;q=0.9",
        TITAN_ASK,
    );
    assert_eq!(r.headers()[CONTENT_TYPE], "application/sparql-results+xml");

    // rdflib's Accept for a SELECT: the results format it can read wins
    let r = get(
        "application/sparql-results+xml, application/rdf+xml",
        HASTINGS_SELECT,
    );
    assert_eq!(r.headers()[CONTENT_TYPE], "application/sparql-results+xml");

    // */* gives our default: JSON for solutions, Turtle for graphs
    let r = get("*/*", TITAN_ASK);
    assert_eq!(r.headers()[CONTENT_TYPE], "application/sparql-results+json");
    let r = get("*/*", BOARD_CONSTRUCT);
    assert_eq!(r.headers()[CONTENT_TYPE], "text/turtle; charset=utf-8");

    for (accept, media) in [
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-quads", "application/n-quads"),
        ("application/trig", "application/trig"),
    ] {
        let r = get(accept, BOARD_CONSTRUCT);
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()[CONTENT_TYPE], media);
        assert!(r.text().unwrap().contains("reed-hastings"));
    }

    let r = get("image/png", HASTINGS_SELECT);
    assert_eq!(r.status(), 406);
    assert!(
        r.text()
            .unwrap()
            .contains("application/sparql-results+json")
    );
}

#[test]
fn protocol_errors_are_4xx_with_a_message() {
    let server = Server::seeded(&[]);
    let c = client();
    let r = c
        .get(server.url("/sparql"))
        .query(&[("query", "SELECT * WHERE { ?s ?p }")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().unwrap().contains("SPARQL syntax error"));

    let r = c
        .post(server.url("/sparql"))
        .header(CONTENT_TYPE, "text/plain")
        .body("ASK {}")
        .send()
        .unwrap();
    assert_eq!(r.status(), 415);

    let r = c
        .post(server.url("/sparql"))
        .header(CONTENT_TYPE, "application/sparql-query")
        .body(vec![b'A', b'S', b'K', 0xFF, b'{', b'}'])
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().unwrap().contains("not UTF-8"));

    let r = c
        .get(server.url("/sparql"))
        .query(&[("query", "ASK {}"), ("query", "ASK {}")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);

    let r = c.put(server.url("/sparql")).body("ASK {}").send().unwrap();
    assert_eq!(r.status(), 405);
}

#[test]
fn sparqlwrapper_parameters_are_ignored_and_datasets_honoured() {
    let server = Server::seeded(&[]);
    let c = client();
    let count = |params: &[(&str, &str)]| -> i64 {
        let r = c
            .get(server.url("/sparql"))
            .query(params)
            .header(ACCEPT, "application/sparql-results+json")
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
        let json: serde_json::Value = r.json().unwrap();
        json["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let q =
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/interlock/ontology#Relationship> }";
    assert_eq!(
        count(&[
            ("query", q),
            ("format", "json"),
            ("output", "json"),
            ("results", "json")
        ]),
        11
    );
    let seed = "https://w3id.org/interlock/id/graph/netflix-facebook";
    assert_eq!(count(&[("query", q), ("default-graph-uri", seed)]), 11);
    let ontology = "https://w3id.org/interlock/id/graph/ontology";
    assert_eq!(count(&[("query", q), ("default-graph-uri", ontology)]), 0);
}

#[test]
fn service_description_on_get_without_query() {
    let server = Server::seeded(&[]);
    let r = client()
        .get(server.url("/sparql"))
        .header(ACCEPT, "text/turtle")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()[CONTENT_TYPE], "text/turtle; charset=utf-8");
    let body = r.text().unwrap();
    assert!(
        body.contains(&format!("sd:endpoint <{}>", server.url("/sparql"))),
        "{body}"
    );
    assert!(body.contains("sd:SPARQL11Query"), "{body}");
    assert!(!body.contains("sd:SPARQL11Update"), "read-only: {body}");
}

#[test]
fn gzip_on_reads() {
    let server = Server::seeded(&[]);
    let r = client()
        .get(server.url("/sparql"))
        .query(&[("query", HASTINGS_SELECT)])
        .header("Accept-Encoding", "gzip")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "gzip");
}

fn runaway_is_stopped(runaway: &'static str, check_cpu: bool) {
    let server = Server::seeded(&["--timeout", "2"]);
    let url = server.url("/sparql");
    let started = Instant::now();
    let slow = std::thread::spawn({
        let url = url.clone();
        move || {
            let r = client()
                .get(&url)
                .query(&[("query", runaway)])
                .send()
                .unwrap();
            (r.status().as_u16(), r.text().unwrap(), started.elapsed())
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    // Meanwhile, other queries are answered promptly.
    for _ in 0..5 {
        let t = Instant::now();
        let r = client()
            .get(&url)
            .query(&[("query", TITAN_ASK)])
            .header(ACCEPT, "application/sparql-results+json")
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "took {:?}",
            t.elapsed()
        );
    }
    let (status, body, elapsed) = slow.join().unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("time limit of 2s"), "{body}");
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(4),
        "{elapsed:?}"
    );
    if check_cpu {
        // The evaluation itself has stopped: the server is idle again.
        std::thread::sleep(Duration::from_millis(500));
        let before = server.cpu_seconds();
        std::thread::sleep(Duration::from_secs(2));
        let used = server.cpu_seconds() - before;
        assert!(
            used < 0.5,
            "the server used {used}s of CPU after the timeout"
        );
    }
    // And afterwards.
    let r = client()
        .get(&url)
        .query(&[("query", TITAN_ASK)])
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn a_runaway_query_is_stopped_while_others_are_answered() {
    runaway_is_stopped(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        true,
    );
}

#[test]
fn a_deeper_runaway_is_answered_at_the_deadline() {
    // Five-way cross product: Oxigraph may run on inside the in-memory join
    // past the deadline (see CONFORMANCE.md), but the client is answered on time.
    runaway_is_stopped(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }",
        false,
    );
}

#[test]
fn a_streaming_query_is_cut_at_the_timeout() {
    let server = Server::seeded(&["--timeout", "2"]);
    let endless = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let started = Instant::now();
    let r = client()
        .get(server.url("/sparql"))
        .query(&[("query", endless)])
        .header(ACCEPT, "text/tab-separated-values")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200, "results start streaming at once");
    let mut r = r;
    let mut buffer = vec![0u8; 1 << 16];
    let mut received = 0usize;
    let ended = loop {
        match std::io::Read::read(&mut r, &mut buffer) {
            Ok(0) => break "complete",
            Ok(n) => received += n,
            Err(_) => break "broken off",
        }
    };
    assert_eq!(ended, "broken off", "after {received} bytes");
    assert!(received > 0);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_result_larger_than_a_chunk_arrives_whole() {
    // Every triple as JSON is a few hundred KiB: more than the first chunk,
    // so the evaluation starts again on a thread it can stream from.
    let server = Server::seeded(&[]);
    let c = client();
    let count = c
        .get(server.url("/sparql"))
        .query(&[("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")])
        .header(ACCEPT, "application/sparql-results+json")
        .send()
        .unwrap()
        .json::<serde_json::Value>()
        .unwrap()["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse::<usize>()
        .unwrap();
    assert!(count > 1000, "{count}");
    let r = c
        .get(server.url("/sparql"))
        .query(&[("query", "SELECT * WHERE { ?s ?p ?o }")])
        .header(ACCEPT, "application/sparql-results+json")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("content-length").is_none(), "streamed");
    let body = r.text().unwrap();
    assert!(body.len() > 64 * 1024, "{}", body.len());
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let rows = json["results"]["bindings"].as_array().unwrap();
    assert_eq!(rows.len(), count);
    let distinct: std::collections::HashSet<String> =
        rows.iter().map(|row| row.to_string()).collect();
    assert_eq!(distinct.len(), count, "no row twice after the restart");
}

#[test]
fn many_keep_alive_connections_are_served_at_once() {
    // Each connection has a thread of its own: 40 clients on keep-alive
    // connections, each asking 10 times, all get the right answers.
    let server = Server::seeded(&[]);
    let url = server.url("/sparql");
    let clients: Vec<_> = (0..40)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let c = client();
                for _ in 0..10 {
                    let r = c
                        .get(&url)
                        .query(&[("query", HASTINGS_SELECT)])
                        .header(ACCEPT, "application/sparql-results+json")
                        .send()
                        .unwrap();
                    assert_eq!(r.status(), 200);
                    let json: serde_json::Value = r.json().unwrap();
                    assert_eq!(
                        json["results"]["bindings"][0]["name"]["value"],
                        "Reed Hastings"
                    );
                }
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
}

const TOKEN: &str = "a-test-token-0123456789";
const INSERT: &str = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> \"new\" } }";
const ASK_NEW: &str = "ASK { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> \"new\" } }";

fn ask(c: &Client, server: &Server, q: &str) -> bool {
    let r = c
        .get(server.url("/sparql"))
        .query(&[("query", q)])
        .header(ACCEPT, "application/sparql-results+json")
        .send()
        .unwrap();
    r.json::<serde_json::Value>().unwrap()["boolean"]
        .as_bool()
        .unwrap()
}

#[test]
fn writes_need_the_token_and_change_nothing_without_it() {
    let server = Server::writable(TOKEN, &[]);
    let c = client();
    let post = |auth: Option<&str>, path: &str| {
        let mut req = c
            .post(server.url(path))
            .header(CONTENT_TYPE, "application/sparql-update")
            .body(INSERT);
        if let Some(a) = auth {
            req = req.header(AUTHORIZATION, a);
        }
        req.send().unwrap()
    };
    let r = post(None, "/update");
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    assert!(!ask(&c, &server, ASK_NEW));
    let r = post(Some("Bearer wrong-token-wrong-token"), "/sparql");
    assert_eq!(r.status(), 403);
    assert!(!ask(&c, &server, ASK_NEW));
    let r = c
        .put(server.url("/store?graph=http://example.org/g"))
        .header(CONTENT_TYPE, "text/turtle")
        .body("<http://example.org/s> <http://example.org/p> \"new\" .")
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(!ask(&c, &server, ASK_NEW));

    let r = post(Some(&format!("Bearer {TOKEN}")), "/update");
    assert_eq!(r.status(), 204);
    assert!(ask(&c, &server, ASK_NEW));
}

#[test]
fn a_read_only_server_refuses_every_write() {
    let server = Server::seeded(&[]);
    let c = client();
    let r = c
        .post(server.url("/update"))
        .header(CONTENT_TYPE, "application/sparql-update")
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(INSERT)
        .send()
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().unwrap().contains("read-only"));
    let r = c
        .post(server.url("/sparql"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("update={}", "CLEAR%20ALL"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(ask(&c, &server, TITAN_ASK), "the seed is still there");
}

#[test]
fn graph_store_protocol_reads_datasets() {
    let server = Server::seeded(&[]);
    let r = client()
        .get(server.url("/store"))
        .query(&[(
            "graph",
            "https://w3id.org/interlock/id/graph/netflix-facebook",
        )])
        .header(ACCEPT, "application/n-triples")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().unwrap();
    assert!(body.contains("<https://w3id.org/interlock/id/reed-hastings> <https://w3id.org/interlock/ontology#boardMemberOf> <https://w3id.org/interlock/id/facebook> ."));
    let r = client()
        .get(server.url("/store"))
        .query(&[("graph", "http://example.org/missing")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[test]
fn sigterm_shuts_down_gracefully() {
    let server = Server::seeded(&[]);
    let status = server.terminate();
    assert!(status.success(), "{status:?}");
}

#[test]
fn request_bodies_over_the_limit_are_refused() {
    let server = Server::seeded(&["--body-limit", "1000"]);
    let big_query = format!("ASK {{}} # {}", "x".repeat(2000));
    let r = client()
        .post(server.url("/sparql"))
        .header(CONTENT_TYPE, "application/sparql-query")
        .body(big_query)
        .send()
        .unwrap();
    assert_eq!(r.status(), 413);
    let r = client()
        .post(server.url("/sparql"))
        .header(CONTENT_TYPE, "application/sparql-query")
        .header(ACCEPT, "application/sparql-results+json")
        .body("ASK {}")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
}
