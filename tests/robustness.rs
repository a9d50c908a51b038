//! No client can take the server down: deep queries, hostile bodies, slow
//! clients and refused operations, tried against the real server on
//! 127.0.0.1 (and the CLI), each followed by a check that the server still
//! answers.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::Server;
use reqwest::StatusCode;
use reqwest::blocking::Client;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const TOKEN: &str = "robustness-token-0123456789";

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

fn nested(open: &str, inner: &str, close: &str, n: usize) -> String {
    format!("{}{inner}{}", open.repeat(n), close.repeat(n))
}

fn chained(item: &str, separator: &str, n: usize) -> String {
    vec![item; n].join(separator)
}

/// A query of some shape, as deep as asked.
type DeepQuery = Box<dyn Fn(usize) -> String>;

/// Deep queries of every shape, as a function of their depth.
fn deep_queries() -> Vec<(&'static str, DeepQuery)> {
    vec![
        (
            "groups",
            Box::new(|n| format!("SELECT * WHERE {}", nested("{", "?s ?p ?o", "}", n))),
        ),
        (
            "parentheses",
            Box::new(|n| format!("ASK {{ FILTER({}) }}", nested("(", "true", ")", n))),
        ),
        (
            "path groups",
            Box::new(|n| format!("ASK {{ ?s {} ?o }}", nested("(", "<http://e/p>", ")", n))),
        ),
        (
            "sub-queries",
            Box::new(|n| {
                format!(
                    "SELECT * WHERE {}",
                    nested("{ SELECT * WHERE ", "{ ?s ?p ?o }", "}", n)
                )
            }),
        ),
        (
            "exists",
            Box::new(|n| {
                format!(
                    "ASK {{ {} }}",
                    nested("FILTER(EXISTS {", "?s ?p ?o", "})", n)
                )
            }),
        ),
        (
            "unions",
            Box::new(|n| format!("ASK {{ {} }}", chained("{ ?s ?p ?o }", " UNION ", n))),
        ),
        (
            "additions",
            Box::new(|n| format!("ASK {{ FILTER({} > 0) }}", chained("1", " + ", n))),
        ),
        (
            "disjunctions",
            Box::new(|n| format!("ASK {{ FILTER({}) }}", chained("false", " || ", n))),
        ),
        (
            "binds",
            Box::new(|n| {
                format!(
                    "ASK {{ {} }}",
                    (0..n)
                        .map(|i| format!("BIND({i} AS ?x{i})"))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }),
        ),
        (
            "blank nodes",
            Box::new(|n| {
                format!(
                    "ASK {{ ?s <http://e/p> {} }}",
                    nested("[ <http://e/p> ", "?o", " ]", n)
                )
            }),
        ),
        (
            "collections",
            Box::new(|n| format!("ASK {{ ?s <http://e/p> {} }}", nested("( ", "?o", " )", n))),
        ),
        (
            "path sequences",
            Box::new(|n| format!("ASK {{ ?s {} ?o }}", chained("<http://e/p>", "/", n))),
        ),
        (
            "optionals",
            Box::new(|n| {
                format!(
                    "ASK {{ ?s ?p ?o {} }}",
                    chained("OPTIONAL { ?s ?p ?o }", " ", n)
                )
            }),
        ),
        (
            "joined groups",
            Box::new(|n| format!("ASK {{ {} }}", chained("{ ?s ?p ?o }", " ", n))),
        ),
    ]
}

fn post_query(client: &Client, server: &Server, query: &str) -> (StatusCode, String) {
    let response = client
        .post(server.url("/sparql"))
        .header(CONTENT_TYPE, "application/sparql-query")
        .body(query.to_string())
        .send()
        .expect("the server answers");
    (response.status(), response.text().unwrap_or_default())
}

/// Posts `update` to `/update` with the token; its status and text.
fn post_update(client: &Client, server: &Server, update: &str) -> (StatusCode, String) {
    let response = client
        .post(server.url("/update"))
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(CONTENT_TYPE, "application/sparql-update")
        .body(update.to_string())
        .send()
        .expect("the server answers");
    (response.status(), response.text().unwrap_or_default())
}

/// Sends `request` on a new connection; what the server answers, as text.
fn raw(server: &Server, request: &[u8]) -> String {
    let address = server.base.trim_start_matches("http://");
    let mut tcp = TcpStream::connect(address).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    tcp.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn assert_alive(client: &Client, server: &Server, after: &str) {
    let (status, body) = post_query(client, server, "ASK { ?s ?p ?o }");
    assert_eq!(status, StatusCode::OK, "after {after}: {body}");
}

#[test]
fn deep_queries_are_answered_or_refused_and_never_crash_the_server() {
    let server = Server::seeded(&[]);
    let client = client();
    // 1,000 nested groups aborted the whole process (Oxigraph's server dies at 3,000).
    for (name, query) in deep_queries().iter().take(4) {
        let (status, body) = post_query(&client, &server, &query(1_000));
        assert_eq!(status, StatusCode::OK, "{name} nested 1,000 deep: {body}");
    }
    for (name, query) in deep_queries() {
        for depth in [10_000, 200_000] {
            let (status, body) = post_query(&client, &server, &query(depth));
            assert_eq!(status, StatusCode::BAD_REQUEST, "{name} × {depth}: {body}");
            assert!(
                body.contains("nests deeper than the limit of 2000 levels at line 1, column"),
                "{name} × {depth}: {body}"
            );
        }
        assert_alive(&client, &server, name);
    }
}

#[test]
fn deep_updates_and_graph_store_bodies_never_crash_the_server() {
    let server = Server::writable(TOKEN, &[]);
    let client = client();
    let auth = format!("Bearer {TOKEN}");
    let n = 200_000;
    let updates = [
        format!(
            "DELETE {{ ?s ?p ?o }} WHERE {}",
            nested("{", "?s ?p ?o", "}", n)
        ),
        format!(
            "INSERT DATA {{ <http://e/s> <http://e/p> {} }}",
            nested("[ <http://e/p> ", "1", " ]", n)
        ),
        format!(
            "INSERT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER({}) }}",
            chained("1", "*", n)
        ),
    ];
    for update in &updates {
        let (status, body) = post_update(&client, &server, update);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}: {body}", &update[..30]);
        assert!(body.contains("nests deeper than the limit"), "{body}");
    }
    // RDF parsers keep their own stacks on the heap: deep bodies load or are refused.
    let n = 50_000;
    let bodies = [
        (
            "text/turtle",
            format!(
                "<http://e/s> <http://e/p> {} .",
                nested("[ <http://e/p> ", "1", " ]", n)
            ),
        ),
        (
            "text/turtle",
            format!("<http://e/s> <http://e/p> {} .", nested("( ", "1", " )", n)),
        ),
        (
            "application/ld+json",
            format!(
                "{{\"@id\": \"http://e/s\", \"http://e/p\": {}}}",
                nested("{\"http://e/p\": ", "1", "}", n)
            ),
        ),
        (
            "application/rdf+xml",
            format!(
                "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"http://e/\"><rdf:Description rdf:about=\"http://e/s\">{}</rdf:Description></rdf:RDF>",
                nested(
                    "<e:p><rdf:Description>",
                    "<e:p>1</e:p>",
                    "</rdf:Description></e:p>",
                    n
                )
            ),
        ),
    ];
    for (i, (media_type, body)) in bodies.iter().enumerate() {
        let response = client
            .put(server.url(&format!("/store?graph=http://e/deep-{i}")))
            .header(AUTHORIZATION, &auth)
            .header(CONTENT_TYPE, *media_type)
            .body(body.clone())
            .send()
            .unwrap();
        let status = response.status();
        let text = response.text().unwrap();
        if *media_type == "application/ld+json" {
            // Oxigraph's JSON-LD parser is quadratic in depth (10,000 levels: 36 s, 19 GB).
            assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
            assert!(
                text.contains("JSON-LD nests deeper than the limit of 256 levels"),
                "{text}"
            );
        } else {
            assert!(
                status.is_success(),
                "{media_type} nested {n} deep: {status} {text}"
            );
        }
        assert_alive(&client, &server, media_type);
    }
}

#[test]
fn the_command_line_refuses_deep_json_ld_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deep.jsonld");
    let n = 20_000;
    std::fs::write(
        &file,
        format!(
            "{{\"@id\": \"http://e/s\", \"http://e/p\": {}}}",
            nested("{\"http://e/p\": ", "1", "}", n)
        ),
    )
    .unwrap();
    let store = dir.path().join("store");
    let out = common::interlock(&store, &["load", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "deep.jsonld:1:1: JSON-LD nests deeper than the limit of 256 levels at byte 3862"
        ),
        "{stderr}"
    );
}

#[test]
fn the_command_line_refuses_deep_queries_with_exit_1() {
    let store = common::seeded_store();
    let deep = store.path().join("deep.rq");
    std::fs::write(
        &deep,
        format!("SELECT * WHERE {}", nested("{", "?s ?p ?o", "}", 100_000)),
    )
    .unwrap();
    let out = common::interlock(store.path(), &["query", "--file", deep.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nests deeper than the limit of 2000 levels"),
        "{stderr}"
    );
    let fine = format!("ASK {}", nested("{", "?s ?p ?o", "}", 1_000));
    let out = common::interlock_ok(store.path(), &["query", "--format", "json", &fine]);
    assert!(out.contains("\"boolean\":true"), "{out}");
}

#[test]
fn refusals_are_4xx_with_a_reason() {
    let server = Server::writable(TOKEN, &[]);
    let client = client();
    let (status, body) = post_query(
        &client,
        &server,
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    );
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body.contains("SERVICE at line 1, column 18 is refused: federation is off"),
        "{body}"
    );
    let update = |text: &str| post_update(&client, &server, text);
    for load in [
        "LOAD <file:///etc/passwd>",
        "LOAD SILENT <http://127.0.0.1:1/x> INTO GRAPH <http://e/g>",
    ] {
        let (status, body) = update(load);
        assert_eq!(status, StatusCode::FORBIDDEN, "{load}: {body}");
        assert!(
            body.contains("LOAD at line 1, column 1 is refused"),
            "{body}"
        );
    }
    let (status, body) = update("DROP GRAPH <http://example.org/no-such-graph>");
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("does not exist"), "{body}");
    let (status, body) =
        update("CREATE GRAPH <https://w3id.org/interlock/id/graph/netflix-facebook>");
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // Media types, bodies and URLs the server does not take.
    let response = client
        .post(server.url("/sparql"))
        .header(CONTENT_TYPE, "text/weird")
        .body("ASK {}")
        .send()
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let response = client
        .post(server.url("/sparql"))
        .header(CONTENT_TYPE, "application/sparql-query")
        .body(vec![0xff, 0xfe, 0x00])
        .send()
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().unwrap().contains("not UTF-8"));
    let long = format!(
        "GET /sparql?query=ASK%20%7B%7D%23{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "x".repeat(100_000)
    );
    assert!(raw(&server, long.as_bytes()).starts_with("HTTP/1.1 414 "));
    assert_alive(&client, &server, "the refusals");
}

#[test]
fn slow_and_idle_clients_cannot_lock_out_a_well_behaved_one() {
    let server = Server::seeded(&[]);
    let address = server.base.trim_start_matches("http://").to_string();
    let ask = "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\nAccept: application/sparql-results+json\r\n";
    // More connections than the server serves at once (512): half idle
    // between requests, half never finishing a request's head.
    let mut held = Vec::new();
    for i in 0..600 {
        let mut tcp = TcpStream::connect(&address).unwrap();
        if i % 2 == 0 {
            tcp.write_all(format!("{ask}\r\n").as_bytes()).unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut answer = [0u8; 12];
            tcp.read_exact(&mut answer).unwrap();
            assert_eq!(&answer, b"HTTP/1.1 200", "keep-alive request {i}");
        } else {
            tcp.write_all(ask.as_bytes()).unwrap();
        }
        held.push(tcp);
    }
    std::thread::sleep(Duration::from_millis(300));
    for attempt in 0..3 {
        let started = Instant::now();
        let answer = raw(
            &server,
            format!("{ask}Connection: close\r\n\r\n").as_bytes(),
        );
        let took = started.elapsed();
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "attempt {attempt}: {answer}"
        );
        assert!(
            took < Duration::from_secs(1),
            "attempt {attempt} took {took:?}"
        );
    }
    // A head that never ends is cut at the deadline.
    let last = held.last_mut().unwrap();
    last.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = last.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(12),
        "the head deadline did not close it ({waited:?})"
    );
    drop(held);
    assert_alive(&client(), &server, "the slow clients");
}

/// The binary's memory stays flat under a long load only with jemalloc in
/// one arena and its background thread returning freed pages (BENCHMARKS.md
/// "Soak"): the options it is built with, as jemalloc itself reports them.
#[cfg(target_os = "linux")]
#[test]
fn the_allocator_runs_in_one_arena_with_its_background_thread() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_interlock"))
        .arg("--version")
        .env("MALLOC_CONF", "stats_print:true")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stats = String::from_utf8_lossy(&out.stderr);
    for option in [
        "opt.narenas: 1\n",
        "opt.background_thread: true",
        "opt.tcache: true\n",
    ] {
        assert!(
            stats.contains(option),
            "{option:?} not in jemalloc's report:\n{stats}"
        );
    }
}
