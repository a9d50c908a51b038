//! Who may reach the server from a browser, end to end: the real binary on
//! 127.0.0.1, spoken to with the headers a browser (or a DNS-rebinding
//! page) sends. The same in a real Chromium: web/tests/page.test.mjs.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::Server;
use reqwest::blocking::{Client, Response};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST, ORIGIN};
use std::time::Duration;

const TOKEN: &str = "origins-test-token-0123456789";
const YASGUI: &str = "https://yasgui.example";
const EVIL: &str = "https://evil.example";
const INSERT: &str = "INSERT DATA { GRAPH <http://example.org/planted> { <http://example.org/a> <http://example.org/b> <http://example.org/c> } }";
const ALL_QUADS: &str = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
const COUNT_PLANTED: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/planted> { ?s ?p ?o } }";

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// A GET of `path` with `headers`.
fn get(server: &Server, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = client().get(server.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().unwrap()
}

fn header(r: &Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// A browser's preflight for a JSON POST from `origin`, asking to reach a private address.
fn preflight(server: &Server, origin: &str) -> Response {
    client()
        .request(reqwest::Method::OPTIONS, server.url("/sparql"))
        .header(ORIGIN, origin)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type, authorization",
        )
        .header("Access-Control-Request-Private-Network", "true")
        .send()
        .unwrap()
}

const READ_PATHS: &[&str] = &[
    "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
    "/api/entity?id=reed-hastings",
    "/api/links?from=netflix&to=facebook",
    "/api/search?q=hastings",
    "/api/export/gexf",
    "/api/openapi.json",
    "/",
];

#[test]
fn without_cors_no_page_elsewhere_may_read() {
    let server = Server::seeded(&[]);
    for path in READ_PATHS {
        let r = get(&server, path, &[("Origin", EVIL)]);
        // Answered (a read has no effect), but a browser keeps it from the page.
        assert_eq!(r.status(), 200, "{path}");
        for name in [
            "access-control-allow-origin",
            "access-control-allow-credentials",
        ] {
            assert_eq!(header(&r, name), None, "{path}: {name}");
        }
    }
    let r = preflight(&server, YASGUI);
    assert_eq!(header(&r, "access-control-allow-origin"), None);
    assert_eq!(header(&r, "access-control-allow-methods"), None);
    assert_eq!(header(&r, "access-control-allow-private-network"), None);
}

#[test]
fn invited_origins_read_and_others_do_not() {
    let server = Server::seeded(&["--cors", YASGUI, "http://127.0.0.2:9999/"]);
    for path in READ_PATHS {
        let r = get(&server, path, &[("Origin", YASGUI)]);
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(
            header(&r, "access-control-allow-origin").as_deref(),
            Some(YASGUI),
            "{path}"
        );
        let r = get(&server, path, &[("Origin", EVIL)]);
        assert_eq!(header(&r, "access-control-allow-origin"), None, "{path}");
    }
    let r = get(
        &server,
        READ_PATHS[0],
        &[("Origin", "http://127.0.0.2:9999")],
    );
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some("http://127.0.0.2:9999")
    );
    // Private network access is granted to the invited origin when asked, to no one else.
    let r = preflight(&server, YASGUI);
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some(YASGUI)
    );
    assert_eq!(
        header(&r, "access-control-allow-private-network").as_deref(),
        Some("true")
    );
    let allowed = header(&r, "access-control-allow-headers").unwrap_or_default();
    assert!(allowed.contains("authorization"), "{allowed}");
    let r = preflight(&server, EVIL);
    assert_eq!(header(&r, "access-control-allow-origin"), None);
    assert_eq!(header(&r, "access-control-allow-private-network"), None);
    // Without the request for it, the header is not sent even to the invited.
    let r = get(&server, READ_PATHS[0], &[("Origin", YASGUI)]);
    assert_eq!(header(&r, "access-control-allow-private-network"), None);
}

#[test]
fn cors_for_everyone_is_said_and_refused_with_writes() {
    let server = Server::seeded(&["--cors", "*"]);
    let r = get(&server, READ_PATHS[0], &[("Origin", EVIL)]);
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    drop(server);
    let store = tempfile::tempdir().unwrap();
    let out = common::interlock(store.path(), &["serve", "--writable", "--cors", "*"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--cors '*'") && err.contains("--writable"),
        "{err}"
    );
    let out = common::interlock(store.path(), &["serve", "--cors", "yasgui.example"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'yasgui.example' is not a web origin"),
        "{err}"
    );
}

#[test]
fn the_first_line_says_who_may_read() {
    use std::io::BufRead;
    let store = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (vec![], "no cross-origin access"),
        (
            vec!["--cors", YASGUI],
            "cross-origin access for https://yasgui.example",
        ),
        (vec!["--cors", "*"], "EVERY origin"),
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_interlock"))
            .arg("--store")
            .arg(store.path())
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(&args)
            .current_dir(common::root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            line.starts_with("interlock listening on http://127.0.0.1:"),
            "{line}"
        );
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}

const EVERY_PATH: &[(&str, &str)] = &[
    ("GET", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"),
    ("POST", "/sparql"),
    ("POST", "/update"),
    ("GET", "/api/links?from=netflix&to=facebook"),
    ("GET", "/api/interlocks"),
    ("GET", "/api/centrality"),
    ("GET", "/api/timeline"),
    ("GET", "/api/reach?from=netflix"),
    ("GET", "/api/stats"),
    ("GET", "/api/search?q=reed"),
    ("GET", "/api/entity?id=reed-hastings"),
    ("GET", "/api/network"),
    ("GET", "/api/queries"),
    ("GET", "/api/export/gexf"),
    ("GET", "/api/openapi.json"),
    ("GET", "/"),
    ("GET", "/assets/app.js"),
    ("GET", "/store?default"),
    ("PUT", "/store?graph=http://example.org/planted"),
    ("DELETE", "/store/some/graph"),
    ("OPTIONS", "/sparql"),
    ("GET", "/no/such/page"),
];

fn send(server: &Server, method: &str, path: &str, host: &str) -> Response {
    client()
        .request(method.parse().unwrap(), server.url(path))
        .header(HOST, host)
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(CONTENT_TYPE, "application/sparql-update")
        .body(if method == "GET" { "" } else { INSERT })
        .send()
        .unwrap()
}

#[test]
fn requests_to_other_host_names_are_refused_on_every_path() {
    let server = Server::writable(TOKEN, &["--host", "Case.Example"]);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    for host in [
        "evil.example",
        "127.0.0.1.nip.io",
        "localhost.evil.example",
        "10.1.2.3",
    ] {
        for (method, path) in EVERY_PATH {
            let r = send(&server, method, path, &format!("{host}:{port}"));
            assert_eq!(r.status(), 421, "{method} {path} to {host}");
            let text = r.text().unwrap();
            assert!(text.contains(&format!("not to '{host}:{port}'")), "{text}");
            assert!(
                text.contains("127.0.0.1, localhost, case.example"),
                "{text}"
            );
        }
    }
    let count = |host: &str| -> String {
        let r = client()
            .get(server.url("/sparql"))
            .header(HOST, host)
            .header("Accept", "text/csv")
            .query(&[("query", COUNT_PLANTED)])
            .send()
            .unwrap();
        assert_eq!(r.status(), 200, "{host}");
        r.text().unwrap().lines().nth(1).unwrap().to_string()
    };
    assert_eq!(
        count(&format!("127.0.0.1:{port}")),
        "0",
        "no refused write went through"
    );
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "case.example".to_string(),
    ] {
        assert_eq!(count(&host), "0");
        for path in ["/api/stats", "/", "/assets/app.js"] {
            assert_eq!(
                send(&server, "GET", path, &host).status(),
                200,
                "{path} to {host}"
            );
        }
    }
}

/// A write of `body` as `content_type` to `/update` with the token, from `origin`.
fn cross_origin_update(
    server: &Server,
    origin: Option<&str>,
    content_type: &str,
    body: String,
) -> Response {
    let mut request = client()
        .post(server.url("/update"))
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(CONTENT_TYPE, content_type)
        .body(body);
    if let Some(origin) = origin {
        request = request.header(ORIGIN, origin);
    }
    request.send().unwrap()
}

/// The one number a `SELECT (COUNT(*) AS ?n)` answers.
fn count(server: &Server, query: &str) -> String {
    let r = client()
        .get(server.url("/sparql"))
        .header("Accept", "text/csv")
        .query(&[("query", query)])
        .send()
        .unwrap();
    r.text().unwrap().lines().nth(1).unwrap().to_string()
}

fn planted(server: &Server) -> String {
    count(server, COUNT_PLANTED)
}

#[test]
fn a_cross_origin_write_is_refused_even_with_the_token() {
    let server = Server::writable(TOKEN, &["--cors", YASGUI]);
    let form = form(INSERT);
    let before = count(&server, ALL_QUADS);
    for (content_type, body) in [
        ("text/plain", INSERT.to_string()),
        ("application/x-www-form-urlencoded", form.clone()),
        ("application/sparql-update", INSERT.to_string()),
    ] {
        for origin in [EVIL, "null"] {
            let r = cross_origin_update(&server, Some(origin), content_type, body.clone());
            assert_eq!(r.status(), 403, "{content_type} from {origin}");
            let text = r.text().unwrap();
            assert!(
                text.contains(&format!("from a page on {origin} is refused")),
                "{text}"
            );
        }
        let r = client()
            .put(server.url("/store?graph=http://example.org/planted"))
            .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(CONTENT_TYPE, "text/plain")
            .header(ORIGIN, EVIL)
            .body("<http://example.org/a> <http://example.org/b> <http://example.org/c> .")
            .send()
            .unwrap();
        assert_eq!(r.status(), 403);
    }
    assert_eq!(planted(&server), "0");
    assert_eq!(count(&server, ALL_QUADS), before, "the store is unchanged");
    // The server's own page and the invited origin write; so does a client without an Origin.
    let own = server.base.clone();
    for origin in [Some(own.as_str()), Some(YASGUI), None] {
        let r = cross_origin_update(
            &server,
            origin,
            "application/x-www-form-urlencoded",
            form.clone(),
        );
        assert_eq!(r.status(), 204, "{origin:?}");
    }
    assert_eq!(planted(&server), "1");
}

/// `update=TEXT`, form-encoded.
fn form(text: &str) -> String {
    let mut url = reqwest::Url::parse("http://form.invalid/").unwrap();
    url.query_pairs_mut().append_pair("update", text);
    url.query().unwrap().to_string()
}
