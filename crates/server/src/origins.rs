//! Who may reach the server from a browser: the host names it answers to
//! (against DNS rebinding) and the web pages on other origins it invites
//! (CORS).
//!
//! A browser lets any page it shows send requests to `127.0.0.1`; two
//! things keep such a page from reading or changing what this server holds:
//! - the `Host` a request names must be one the server is meant to be
//!   reached by (its address, `localhost`, the names it was given): a page
//!   whose own name was made to resolve to 127.0.0.1 names itself, and is
//!   refused before any work;
//! - a page on another origin gets no CORS headers (so cannot read an
//!   answer) and cannot send anything but a read (so cannot write, even
//!   with a form or a `text/plain` body that needs no preflight) unless its
//!   origin is invited.
//!
//! The server's own page is same-origin and needs neither.

use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use thiserror::Error;
use tower_http::cors::{AllowHeaders, AllowOrigin, AllowPrivateNetwork, CorsLayer, ExposeHeaders};

/// Which web pages on other origins may use the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CrossOrigin {
    /// None: a page elsewhere can neither read an answer nor write.
    #[default]
    Closed,
    /// These origins (`scheme://host[:port]`, as [`Origin::parse`] reads
    /// them) may read and, with the token, write.
    Invited(Vec<Origin>),
    /// Every origin may read and, with the token, write: only for a server
    /// that holds nothing private.
    Everyone,
}

impl CrossOrigin {
    /// Whether a page served from `origin` (the `Origin` header's value) is invited.
    pub fn invites(&self, origin: &[u8]) -> bool {
        match self {
            CrossOrigin::Closed => false,
            CrossOrigin::Everyone => true,
            CrossOrigin::Invited(origins) => origins.iter().any(|o| o.matches(origin)),
        }
    }

    /// One line for the server's first log line: what other origins may do.
    pub fn describe(&self) -> String {
        match self {
            CrossOrigin::Closed => "no cross-origin access".to_string(),
            CrossOrigin::Invited(origins) => {
                let names: Vec<&str> = origins.iter().map(|o| o.0.as_str()).collect();
                format!("cross-origin access for {}", names.join(", "))
            }
            CrossOrigin::Everyone => {
                "cross-origin access for EVERY origin: any web page a visitor opens can read all it serves"
                    .to_string()
            }
        }
    }

    /// The CORS layer for this policy; `None` when no origin is invited
    /// (no CORS header is then ever sent).
    fn layer(&self) -> Option<CorsLayer> {
        let allow_origin = match self {
            CrossOrigin::Closed => return None,
            CrossOrigin::Everyone => AllowOrigin::any(),
            CrossOrigin::Invited(_) => {
                let policy = self.clone();
                AllowOrigin::predicate(move |origin, _| policy.invites(origin.as_bytes()))
            }
        };
        let policy = self.clone();
        Some(
            CorsLayer::new()
                .allow_origin(allow_origin)
                .allow_methods([
                    Method::GET,
                    Method::HEAD,
                    Method::POST,
                    Method::PUT,
                    Method::DELETE,
                    Method::OPTIONS,
                ])
                .allow_headers(AllowHeaders::mirror_request())
                .expose_headers(ExposeHeaders::any())
                // Chrome asks before a public page reaches a private address;
                // only an invited origin is told yes.
                .allow_private_network(AllowPrivateNetwork::predicate(move |origin, _| {
                    policy.invites(origin.as_bytes())
                })),
        )
    }
}

/// A web origin, `scheme://host[:port]`, in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(String);

/// Why an origin or a host name was not taken.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum OriginError {
    /// An origin that is not `http(s)://host[:port]`.
    #[error(
        "'{0}' is not a web origin: write it as the browser's address bar shows the site, scheme://host[:port], with no path (e.g. https://yasgui.example)"
    )]
    NotAnOrigin(String),
    /// A host name with a port, a path or a space.
    #[error(
        "'{0}' is not a host name: give the name alone (e.g. interlock.newsroom.example), without scheme, port or path"
    )]
    NotAHostName(String),
}

impl Origin {
    /// Reads `scheme://host[:port]` (a trailing `/` is dropped).
    pub fn parse(text: &str) -> Result<Origin, OriginError> {
        let wrong = || OriginError::NotAnOrigin(text.to_string());
        let lower = text.trim().trim_end_matches('/').to_ascii_lowercase();
        let rest = lower
            .strip_prefix("http://")
            .or_else(|| lower.strip_prefix("https://"))
            .ok_or_else(wrong)?;
        let bad = |c: char| c.is_whitespace() || "/?#@\\".contains(c);
        if rest.is_empty() || rest.contains(bad) || HeaderValue::from_str(&lower).is_err() {
            return Err(wrong());
        }
        Ok(Origin(lower))
    }

    fn matches(&self, origin: &[u8]) -> bool {
        origin.eq_ignore_ascii_case(self.0.as_bytes())
    }
}

/// Checks a host name given to the server (no scheme, port or path) and
/// returns it in lower case.
pub fn host_name(text: &str) -> Result<String, OriginError> {
    let name = text.trim().trim_end_matches('.').to_ascii_lowercase();
    let bad = |c: char| c.is_whitespace() || "/:?#@\\[]".contains(c);
    if name.is_empty() || name.contains(bad) {
        return Err(OriginError::NotAHostName(text.to_string()));
    }
    Ok(name)
}

/// What the guard knows: the address listened on, the extra host names, the
/// cross-origin policy.
#[derive(Debug)]
pub(crate) struct Guard {
    bound: IpAddr,
    names: Vec<String>,
    cross_origin: CrossOrigin,
}

impl Guard {
    pub(crate) fn new(bind: SocketAddr, names: &[String], cross_origin: CrossOrigin) -> Guard {
        Guard {
            bound: bind.ip(),
            names: names.to_vec(),
            cross_origin,
        }
    }

    /// Whether a request addressed to `host` (the `Host` header, port
    /// included or not) is meant for this server: its own address (any
    /// address literal when it listens on all of them: a literal cannot be
    /// rebound), `localhost`, or a name it was given.
    fn answers_to(&self, host: &str) -> bool {
        let name = host_without_port(host)
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if name == "localhost" || self.names.contains(&name) {
            return true;
        }
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        match literal.parse::<IpAddr>() {
            Ok(ip) => ip == self.bound || self.bound.is_unspecified(),
            Err(_) => false,
        }
    }

    /// The names this server answers to, for the refusal's message.
    fn known_names(&self) -> String {
        let mut names = vec![self.bound.to_string(), "localhost".to_string()];
        names.extend(self.names.iter().cloned());
        names.join(", ")
    }
}

/// `host:port` → `host`; `[::1]:7878` → `[::1]`.
fn host_without_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// Whether `origin` is the server's own as reached through `host`.
fn same_origin(origin: &[u8], host: Option<&[u8]>) -> bool {
    let Some(host) = host else { return false };
    let strip = |scheme: &[u8]| {
        origin
            .strip_prefix(scheme)
            .map(|o| o.eq_ignore_ascii_case(host))
    };
    strip(b"http://")
        .or_else(|| strip(b"https://"))
        .unwrap_or(false)
}

/// Adds the CORS layer (if any origin is invited) and the guard around `router`.
pub(crate) fn guarded(router: axum::Router, guard: Guard) -> axum::Router {
    let router = match guard.cross_origin.layer() {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router.layer(axum::middleware::from_fn_with_state(Arc::new(guard), check))
}

/// Refuses, before any work, a request addressed to a name the server is
/// not meant to be reached by, and a request other than a read from a page
/// on an origin that is neither the server's own nor invited.
async fn check(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .map(HeaderValue::as_bytes)
        .or_else(|| request.uri().authority().map(|a| a.as_str().as_bytes()));
    if let Some(host) = host {
        let text = String::from_utf8_lossy(host);
        if !guard.answers_to(&text) {
            return ApiError::new(
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "this server answers to {} only, not to '{text}': a page whose own name resolves to this address may not use it; a server meant to be reached by another name must be told that name",
                    guard.known_names()
                ),
            )
            .into_response();
        }
    }
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if let Some(origin) = headers.get(header::ORIGIN).map(HeaderValue::as_bytes)
        && !reads
        && !same_origin(origin, host)
        && !guard.cross_origin.invites(origin)
    {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "a {} from a page on {} is refused: that origin is not invited to use this server",
                request.method(),
                String::from_utf8_lossy(origin)
            ),
        )
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_read_as_browsers_write_them() {
        let table: &[(&str, Option<&str>)] = &[
            ("https://yasgui.example", Some("https://yasgui.example")),
            ("HTTP://127.0.0.2:8080/", Some("http://127.0.0.2:8080")),
            ("http://[::1]:7878", Some("http://[::1]:7878")),
            ("yasgui.example", None),
            ("https://yasgui.example/sparql", None),
            ("https://", None),
            ("ftp://yasgui.example", None),
            ("https://a b", None),
            ("*", None),
        ];
        for (text, expected) in table {
            let read = Origin::parse(text).ok().map(|o| o.0);
            assert_eq!(read.as_deref(), *expected, "{text}");
        }
    }

    #[test]
    fn host_names_are_names_alone() {
        assert_eq!(
            host_name("Interlock.Example.").unwrap(),
            "interlock.example"
        );
        for wrong in ["", "a.example:7878", "https://a.example", "a b", "a/b"] {
            assert!(host_name(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn the_server_answers_to_its_address_localhost_and_given_names() {
        let local = Guard::new(
            "127.0.0.1:7878".parse().unwrap(),
            &["case.example".into()],
            CrossOrigin::Closed,
        );
        let everywhere = Guard::new("0.0.0.0:7878".parse().unwrap(), &[], CrossOrigin::Closed);
        let v6 = Guard::new("[::1]:7878".parse().unwrap(), &[], CrossOrigin::Closed);
        let table: &[(&Guard, &str, bool)] = &[
            (&local, "127.0.0.1:7878", true),
            (&local, "127.0.0.1", true),
            (&local, "localhost:7878", true),
            (&local, "LOCALHOST", true),
            (&local, "case.example:443", true),
            (&local, "evil.example:7878", false),
            (&local, "127.0.0.1.nip.io:7878", false),
            (&local, "10.0.0.5:7878", false),
            (&local, "localhost.evil.example", false),
            (&everywhere, "10.0.0.5:7878", true),
            (&everywhere, "evil.example", false),
            (&v6, "[::1]:7878", true),
            (&v6, "[::2]:7878", false),
        ];
        for (guard, host, expected) in table {
            assert_eq!(
                guard.answers_to(host),
                *expected,
                "{host} to {:?}",
                guard.bound
            );
        }
    }

    #[test]
    fn same_origin_is_the_host_under_either_scheme() {
        let host = Some(&b"127.0.0.1:7878"[..]);
        assert!(same_origin(b"http://127.0.0.1:7878", host));
        assert!(same_origin(b"https://127.0.0.1:7878", host));
        assert!(!same_origin(b"http://127.0.0.1:7879", host));
        assert!(!same_origin(b"null", host));
        assert!(!same_origin(b"http://127.0.0.1:7878", None));
    }

    #[test]
    fn only_invited_origins_are_invited() {
        let invited = CrossOrigin::Invited(vec![Origin::parse("https://yasgui.example").unwrap()]);
        assert!(invited.invites(b"https://yasgui.example"));
        assert!(invited.invites(b"HTTPS://YASGUI.EXAMPLE"));
        assert!(!invited.invites(b"https://evil.example"));
        assert!(!invited.invites(b"null"));
        assert!(!CrossOrigin::Closed.invites(b"https://yasgui.example"));
        assert!(CrossOrigin::Everyone.invites(b"https://evil.example"));
    }
}
