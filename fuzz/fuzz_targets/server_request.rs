//! The server's request handling, through the real router on an in-memory
//! store holding a few triples: any method, path and query string, content
//! type, accept header and body. Never a panic, and never a 500: a request
//! the server cannot serve is the client's (4xx) unless the server is at
//! fault, which these requests cannot cause.
//!
//! Input: byte 0 picks the method; then lines: the path with its query
//! string, the Content-Type, the Accept header, the Authorization header;
//! the rest is the body.
#![no_main]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use interlock_server::{ServerConfig, router};
use interlock_store::{Store, UpdateRequest};
use libfuzzer_sys::fuzz_target;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

const TOKEN: &str = "fuzz-token-0123456789";
const SEED: &str = "INSERT DATA { GRAPH <https://w3id.org/interlock/id/graph/fuzz> {
  <https://w3id.org/interlock/id/a> <http://www.w3.org/2000/01/rdf-schema#label> \"A\"@en .
  <https://w3id.org/interlock/id/a> <https://w3id.org/interlock/ontology#boardMemberOf> <https://w3id.org/interlock/id/b> .
} }";

/// The runtime, the app GET and HEAD requests go to (they cannot write, so
/// one store serves them all), and the app of the requests that may write.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    reading: axum::Router,
    writing: Mutex<Writing>,
}

/// The app writing requests go to, on a store set back to the seed before
/// each of them. An in-memory store keeps every version of its data, so one
/// store set back millions of times would slow each run down a little more
/// than the last; a new one every `RUNS_PER_STORE` runs keeps it small
/// without building a router (and its search index) for every run.
struct Writing {
    store: Store,
    app: axum::Router,
    runs: usize,
}

const RUNS_PER_STORE: usize = 1000;

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (_, reading) = app(&runtime);
        let (store, app) = app(&runtime);
        let writing = Mutex::new(Writing {
            store,
            app,
            runs: 0,
        });
        Fixture {
            runtime,
            reading,
            writing,
        }
    })
}

/// The router on a fresh in-memory store holding only the seed.
fn app(runtime: &tokio::runtime::Runtime) -> (Store, axum::Router) {
    let store = Store::in_memory();
    seed(&store);
    let config = ServerConfig {
        timeout: Duration::from_millis(500),
        write_token: Some(TOKEN.into()),
        ..ServerConfig::default()
    };
    let app = runtime.block_on(async { router(store.clone(), config).unwrap() });
    (store, app)
}

fn seed(store: &Store) {
    for update in ["DROP ALL", SEED] {
        store
            .update(&UpdateRequest {
                update: update.into(),
                ..UpdateRequest::default()
            })
            .unwrap();
    }
}

/// The app for a request that may write, its store holding only the seed.
fn writing_app(fixture: &Fixture) -> axum::Router {
    let mut writing = fixture.writing.lock().unwrap();
    writing.runs += 1;
    if writing.runs == RUNS_PER_STORE {
        let (store, app) = app(&fixture.runtime);
        *writing = Writing {
            store,
            app,
            runs: 0,
        };
    } else {
        seed(&writing.store);
    }
    writing.app.clone()
}

fn request(data: &[u8]) -> Option<Request<Body>> {
    let (&selector, rest) = data.split_first()?;
    let method = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::HEAD,
    ][usize::from(selector) % 5]
        .clone();
    let mut lines = rest.splitn(5, |&b| b == b'\n');
    let uri = std::str::from_utf8(lines.next()?).ok()?;
    let mut builder = Request::builder().method(method).uri(uri);
    for name in ["content-type", "accept", "authorization"] {
        let value = lines.next().unwrap_or_default();
        if !value.is_empty() {
            builder = builder.header(name, value);
        }
    }
    let body = lines.next().unwrap_or_default().to_vec();
    builder.body(Body::from(body)).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some(request) = request(data) else {
        return;
    };
    let fixture = fixture();
    let app = if [Method::GET, Method::HEAD].contains(request.method()) {
        fixture.reading.clone()
    } else {
        writing_app(fixture)
    };
    let (status, body) = fixture.runtime.block_on(async {
        let response = tower::ServiceExt::oneshot(app, request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await;
        (status, body)
    });
    assert!(
        status != StatusCode::INTERNAL_SERVER_ERROR,
        "500 for {:?}: {:?}",
        String::from_utf8_lossy(data),
        body.map(|b| String::from_utf8_lossy(&b).into_owned())
    );
});
