//! One HTTP exchange with a remote store: credentials as its challenge asks
//! (bearer token, or a password for HTTP basic or digest), retries with
//! backoff where repeating cannot change the outcome, and every failure as
//! a [`StoreError`] naming the address and what the store said.

use super::Credentials;
use crate::StoreError;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use ureq::http::{self, Response, StatusCode};

/// How many times an idempotent request is tried in all.
const ATTEMPTS: u32 = 4;
/// The wait before the first retry; doubled before each next one.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How much of an error answer's body is quoted.
const QUOTED: usize = 600;

/// One request to send.
pub(crate) struct Call<'a> {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: http::Method,
    /// The endpoint.
    pub url: &'a str,
    /// Query string parameters, encoded here.
    pub params: &'a [(&'a str, &'a str)],
    /// The body's media type, if there is a body.
    pub content_type: Option<&'a str>,
    /// What the answer may be.
    pub accept: Option<&'a str>,
    /// The body (empty for none).
    pub body: &'a [u8],
    /// How long the store may take to begin its answer.
    pub timeout: Duration,
    /// Whether sending it twice does what sending it once does.
    pub idempotent: bool,
}

/// The client: one connection pool, and what the store's last digest
/// challenge asked, answered without a new challenge next time. Clones
/// share both.
#[derive(Clone)]
pub(crate) struct Http {
    agent: ureq::Agent,
    credentials: Option<Credentials>,
    digest: Arc<Mutex<Option<digest_auth::WwwAuthenticateHeader>>>,
}

impl Http {
    /// A client sending `credentials` when the store asks for them.
    pub(crate) fn new(credentials: Option<Credentials>) -> Http {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .user_agent(concat!("interlock/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Http {
            agent,
            credentials,
            digest: Arc::new(Mutex::new(None)),
        }
    }

    /// Sends `call`, answering an authentication challenge once, retrying
    /// an idempotent call after a failed connection or a 502/503/504. A
    /// 2xx answer is returned; any other is an error quoting its body.
    pub(crate) fn send(&self, call: &Call<'_>) -> Result<Response<ureq::Body>, StoreError> {
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let outcome = self.authenticated(call);
            let retry = call.idempotent
                && attempt < ATTEMPTS
                && match &outcome {
                    Ok(r) => matches!(r.status().as_u16(), 502..=504),
                    Err(e) => matches!(e, ureq::Error::ConnectionFailed | ureq::Error::Io(_)),
                };
            if !retry {
                return answer(call, outcome);
            }
            std::thread::sleep(backoff);
            backoff *= 2;
            attempt += 1;
        }
    }

    /// The call, with credentials: a token always; a password as the
    /// store's challenge asks (sent at once once a challenge is known).
    fn authenticated(&self, call: &Call<'_>) -> Result<Response<ureq::Body>, ureq::Error> {
        let first = self.authorization(call);
        let response = self.once(call, first.as_deref())?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let Some(Credentials::Password { user, password }) = &self.credentials else {
            return Ok(response);
        };
        let challenge = response
            .headers()
            .get_all(http::header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect::<Vec<_>>();
        if let Some(digest) = challenge.iter().find(|c| c.starts_with("Digest ")) {
            if let Ok(prompt) = digest_auth::parse(digest) {
                *self.digest.lock().expect("never poisoned") = Some(prompt);
            }
        } else if challenge.iter().any(|c| c.starts_with("Basic")) {
            let basic = basic(user, password);
            return self.once(call, Some(&basic));
        }
        match self.authorization(call) {
            Some(header) if first.as_deref() != Some(&header) => self.once(call, Some(&header)),
            _ => Ok(response),
        }
    }

    /// The `Authorization` header to send before any challenge.
    fn authorization(&self, call: &Call<'_>) -> Option<String> {
        match self.credentials.as_ref()? {
            Credentials::Bearer(token) => Some(format!("Bearer {token}")),
            Credentials::Password { user, password } => {
                let mut digest = self.digest.lock().expect("never poisoned");
                let prompt = digest.as_mut()?;
                let path = http::Uri::try_from(call.url)
                    .ok()
                    .map_or_else(|| "/".to_string(), |u| u.path().to_string());
                let path = with_params(&path, call.params);
                let context = digest_auth::AuthContext::new_with_method(
                    user.as_str(),
                    password.as_str(),
                    path,
                    Some(call.body),
                    digest_auth::HttpMethod(call.method.as_str().to_string().into()),
                );
                prompt.respond(&context).ok().map(|h| h.to_header_string())
            }
        }
    }

    fn once(
        &self,
        call: &Call<'_>,
        authorization: Option<&str>,
    ) -> Result<Response<ureq::Body>, ureq::Error> {
        let mut request = http::Request::builder()
            .method(call.method.clone())
            .uri(with_params(call.url, call.params));
        if let Some(accept) = call.accept {
            request = request.header(http::header::ACCEPT, accept);
        }
        if let Some(content_type) = call.content_type {
            request = request.header(http::header::CONTENT_TYPE, content_type);
        }
        if let Some(authorization) = authorization {
            request = request.header(http::header::AUTHORIZATION, authorization);
        }
        let request = request.body(call.body).map_err(ureq::Error::from)?;
        let request = self
            .agent
            .configure_request(request)
            .timeout_recv_response(Some(call.timeout))
            .build();
        self.agent.run(request)
    }
}

/// The outcome of a call as the store's answer or a [`StoreError`].
fn answer(
    call: &Call<'_>,
    outcome: Result<Response<ureq::Body>, ureq::Error>,
) -> Result<Response<ureq::Body>, StoreError> {
    let url = call.url.to_string();
    let response = match outcome {
        Ok(r) => r,
        Err(ureq::Error::Timeout(_)) => return Err(StoreError::Timeout(call.timeout)),
        Err(e) => {
            return Err(StoreError::Unreachable {
                url,
                reason: e.to_string(),
            });
        }
    };
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let message = quoted_body(response);
    Err(match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => StoreError::Unauthorized {
            url,
            status: status.as_u16(),
            message,
        },
        _ => StoreError::RemoteRefused {
            url,
            status: status.as_u16(),
            message,
        },
    })
}

/// The start of an error answer's body, on one line.
fn quoted_body(response: Response<ureq::Body>) -> String {
    let mut body = String::new();
    let _ = std::io::Read::read_to_string(
        &mut std::io::Read::take(response.into_body().into_reader(), QUOTED as u64 * 4),
        &mut body,
    );
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if body.is_empty() {
        return "no reason given".to_string();
    }
    match body.char_indices().nth(QUOTED) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body,
    }
}

/// `url` with `params` form-encoded after a `?` (or an `&`).
fn with_params(url: &str, params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        return url.to_string();
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        query.append_pair(k, v);
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{}", query.finish())
}

/// An HTTP basic `Authorization` header.
fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_headers_are_rfc_7617() {
        // RFC 7617's own example.
        assert_eq!(
            basic("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn parameters_are_form_encoded() {
        assert_eq!(
            with_params("http://h/sparql", &[("graph", "http://e/g#1 x")]),
            "http://h/sparql?graph=http%3A%2F%2Fe%2Fg%231+x"
        );
        assert_eq!(
            with_params("http://h/s?a=1", &[("b", "2")]),
            "http://h/s?a=1&b=2"
        );
        assert_eq!(with_params("http://h/s", &[]), "http://h/s");
    }
}
