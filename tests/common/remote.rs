//! Remote stores for the end-to-end tests: Oxigraph's own server
//! (`oxigraph serve`, from PyPI) on 127.0.0.1, and a proxy in front of a
//! store that fails, stalls or asks for credentials when a test says so.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The Oxigraph CLI: `$INTERLOCK_OXIGRAPH`, the test virtual environment's
/// (`scripts/test` installs it there), or one on the PATH.
pub fn oxigraph_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("INTERLOCK_OXIGRAPH") {
        return PathBuf::from(bin);
    }
    let venv = super::root().join(".venv/bin/oxigraph");
    if venv.exists() {
        return venv;
    }
    let found = Command::new("sh")
        .args(["-c", "command -v oxigraph"])
        .output()
        .expect("sh runs");
    let path = String::from_utf8_lossy(&found.stdout).trim().to_string();
    assert!(
        !path.is_empty(),
        "the remote-store tests need Oxigraph's server: `pip install oxigraph` in .venv \
         (scripts/test does), or set INTERLOCK_OXIGRAPH"
    );
    PathBuf::from(path)
}

/// A free port on 127.0.0.1 (free when asked; taken by whoever binds first).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// `oxigraph serve` on a folder; killed when dropped.
pub struct Oxigraph {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    port: u16,
    location: PathBuf,
}

impl Oxigraph {
    /// Serves the store in `location` on a free port, once it answers.
    pub fn start(location: &Path) -> Oxigraph {
        Oxigraph::start_on(location, free_port())
    }

    /// Serves the store in `location` on `port`, once it answers.
    pub fn start_on(location: &Path, port: u16) -> Oxigraph {
        let child = Command::new(oxigraph_bin())
            .args(["serve", "--location"])
            .arg(location)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("oxigraph serve starts");
        let server = Oxigraph {
            child,
            base: format!("http://127.0.0.1:{port}"),
            port,
            location: location.to_path_buf(),
        };
        wait_until_answering(port);
        server
    }

    /// Kills the server (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The same store served again on the same port.
    pub fn restart(&mut self) {
        self.kill();
        *self = Oxigraph::start_on(&self.location.clone(), self.port);
    }

    /// The options that point interlock at this server.
    pub fn store_args(&self) -> Vec<String> {
        oxigraph_args(&self.base)
    }

    /// The graphs of the store whose IRI starts with `prefix`, asked of
    /// the server directly (not through interlock).
    pub fn graphs_starting(&self, prefix: &str) -> Vec<String> {
        graphs_starting(&format!("{}/query", self.base), "", prefix)
    }

    /// Runs `update` on the server directly (not through interlock), as
    /// another program sharing the store would.
    pub fn update(&self, update: &str) {
        let response = reqwest::blocking::Client::new()
            .post(format!("{}/update", self.base))
            .form(&[("update", update)])
            .send()
            .expect("the store answers");
        assert!(response.status().is_success(), "{update}: {response:?}");
    }
}

impl Drop for Oxigraph {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Virtuoso open source (Debian's `virtuoso-opensource`), started by
/// `scripts/virtuoso` with its files in a folder of its own and its ports
/// free ones on 127.0.0.1; stopped when dropped.
pub struct Virtuoso {
    script: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    _files: tempfile::TempDir,
}

impl Virtuoso {
    /// Starts Virtuoso with Debian's settings (a row cap of 10,000),
    /// `settings` (`Key=Value`) replacing some; returns once it answers and
    /// anonymous SPARQL may write.
    pub fn start(settings: &[&str]) -> Virtuoso {
        let files = tempfile::tempdir().expect("a folder for Virtuoso");
        let http = free_port();
        let mut script = Command::new(super::root().join("scripts/virtuoso"))
            .arg(files.path())
            .arg(http.to_string())
            .arg(free_port().to_string())
            .args(settings)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("scripts/virtuoso starts");
        let mut ready = String::new();
        let stdout = script.stdout.take().expect("piped");
        BufReader::new(stdout)
            .read_line(&mut ready)
            .expect("scripts/virtuoso writes");
        assert_eq!(
            ready.trim(),
            "ready",
            "Virtuoso did not start: the remote-store tests need Debian's virtuoso-opensource (scripts/test installs it)"
        );
        Virtuoso {
            script,
            base: format!("http://127.0.0.1:{http}"),
            _files: files,
        }
    }

    /// The options that point interlock at it: SPARQL and the Graph Store
    /// at their open addresses.
    pub fn store_args(&self) -> Vec<String> {
        vec![
            "--store".into(),
            format!("{}/sparql", self.base),
            "--graph-store-url".into(),
            format!("{}/sparql-graph-crud", self.base),
        ]
    }

    /// The graphs holding a triple whose IRI starts with `prefix`, asked of
    /// Virtuoso directly (it lists no graph for `GRAPH ?g {}`).
    pub fn graphs_starting(&self, prefix: &str) -> Vec<String> {
        graphs_starting(&format!("{}/sparql", self.base), "?s ?p ?o", prefix)
    }
}

/// The graphs matching `GRAPH ?g { pattern }` whose IRI starts with
/// `prefix`, asked of the SPARQL endpoint `url` directly.
fn graphs_starting(url: &str, pattern: &str, prefix: &str) -> Vec<String> {
    let query = format!(
        "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {pattern} }} FILTER(STRSTARTS(STR(?g), \"{prefix}\")) }}"
    );
    let answer = reqwest::blocking::Client::new()
        .post(url)
        .form(&[("query", query.as_str())])
        .header("Accept", "application/sparql-results+json")
        .send()
        .expect("the store answers")
        .text()
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&answer).expect("JSON results");
    json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["g"]["value"].as_str().unwrap().to_string())
        .collect()
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        // SIGTERM: the script stops Virtuoso before it exits.
        let _ = Command::new("kill")
            .arg(self.script.id().to_string())
            .status();
        let _ = self.script.wait();
    }
}

fn wait_until_answering(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the server on {port} never answered"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs `interlock STORE_ARGS… ARGS…` with `envs`.
pub fn interlock_at(store_args: &[String], args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_interlock"));
    cmd.args(store_args)
        .args(args)
        .current_dir(super::root())
        .env_remove("INTERLOCK_STORE")
        .env_remove("INTERLOCK_BASE")
        .env_remove("INTERLOCK_STORE_TOKEN")
        .env_remove("INTERLOCK_STORE_USER")
        .env_remove("INTERLOCK_STORE_PASSWORD");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("the interlock binary runs")
}

/// Like [`interlock_at`] with no variables, asserting success; standard output.
pub fn interlock_at_ok(store_args: &[String], args: &[&str]) -> String {
    interlock_at_ok_with(store_args, args, &[])
}

/// Like [`interlock_at`], asserting success; standard output.
pub fn interlock_at_ok_with(store_args: &[String], args: &[&str], envs: &[(&str, &str)]) -> String {
    let out = interlock_at(store_args, args, envs);
    assert!(
        out.status.success(),
        "interlock {store_args:?} {args:?} failed with {}:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

/// What the proxy does with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// Passes it on and its answer back.
    Forward,
    /// Answers 500 itself.
    Fail,
    /// Answers 500 itself, with this body.
    FailWith(&'static str),
    /// Never answers.
    Stall,
    /// Passes it on and its answer back with this header line added.
    Mark(&'static str),
    /// Passes it on, waits for its answer, and closes the connection
    /// without passing the answer back.
    Vanish,
}

/// A request as the proxy saw it.
pub struct Seen<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// Its `Content-Type`, lower case.
    pub content_type: String,
    /// Its `Accept`, lower case.
    pub accept: String,
    /// Its `Authorization` header, if any.
    pub authorization: Option<String>,
    /// How many requests came before it.
    pub number: usize,
    /// The start of its body.
    pub body_start: String,
}

type Decide = dyn Fn(&Seen<'_>) -> Act + Send + Sync;

/// An HTTP proxy on 127.0.0.1 in front of `upstream`, deciding for each
/// request what to do; one request per connection. Stops with the test.
pub struct Proxy {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Requests seen so far.
    pub count: Arc<AtomicUsize>,
}

impl Proxy {
    /// Starts a proxy before `upstream` (`http://127.0.0.1:PORT`). A
    /// request `challenge` rejects gets a 401 asking for basic credentials.
    pub fn start(
        upstream: &str,
        decide: impl Fn(&Seen<'_>) -> Act + Send + Sync + 'static,
        challenge: Option<String>,
    ) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_string();
        let count = Arc::new(AtomicUsize::new(0));
        let decide: Arc<Decide> = Arc::new(decide);
        let stalled = Arc::new(Mutex::new(Vec::new()));
        let counter = count.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (upstream, decide, counter) =
                    (upstream.clone(), decide.clone(), counter.clone());
                let (challenge, stalled) = (challenge.clone(), stalled.clone());
                std::thread::spawn(move || {
                    let _ = relay(
                        stream,
                        &upstream,
                        &*decide,
                        &counter,
                        challenge.as_deref(),
                        &stalled,
                    );
                });
            }
        });
        Proxy { base, count }
    }
}

fn relay(
    mut client: TcpStream,
    upstream: &str,
    decide: &Decide,
    counter: &AtomicUsize,
    challenge: Option<&str>,
    stalled: &Mutex<Vec<TcpStream>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = Vec::new();
    let mut length = 0usize;
    let (mut content_type, mut accept, mut authorization) = (String::new(), String::new(), None);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if let Some(v) = lower.strip_prefix("content-type:") {
            content_type = v.trim().to_string();
        }
        if let Some(v) = lower.strip_prefix("accept:") {
            accept = v.trim().to_string();
        }
        if lower.starts_with("authorization:") {
            authorization = Some(line["authorization:".len()..].trim().to_string());
        }
        // One request per connection: the upstream closes after answering.
        if !lower.starts_with("connection:") {
            head.push(line);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let number = counter.fetch_add(1, Ordering::SeqCst);
    let method = head[0].split_whitespace().next().unwrap_or("").to_string();
    if let Some(expected) = challenge
        && authorization.as_deref() != Some(expected)
    {
        return client.write_all(
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"test\"\r\nContent-Length: 13\r\nConnection: close\r\n\r\nwho are you?\n",
        );
    }
    let seen = Seen {
        method: &method,
        content_type,
        accept,
        authorization,
        number,
        body_start: String::from_utf8_lossy(&body[..body.len().min(64)]).into_owned(),
    };
    let act = decide(&seen);
    match act {
        Act::FailWith(body) => client.write_all(
            format!(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        ),
        Act::Fail => client.write_all(
            b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 18\r\nConnection: close\r\n\r\ninjected failure.\n",
        ),
        Act::Stall => {
            stalled.lock().unwrap().push(client);
            Ok(())
        }
        Act::Forward | Act::Mark(_) | Act::Vanish => {
            let mut server = match TcpStream::connect(upstream) {
                Ok(s) => s,
                Err(_) => {
                    return client.write_all(
                        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 4\r\nConnection: close\r\n\r\ngone",
                    );
                }
            };
            for line in &head {
                server.write_all(line.as_bytes())?;
            }
            server.write_all(b"Connection: close\r\n\r\n")?;
            server.write_all(&body)?;
            if act == Act::Vanish {
                std::io::copy(&mut server, &mut std::io::sink())?;
                return Ok(());
            }
            // The answer's head says the connection closes, as it does.
            let mut answer = BufReader::new(server);
            loop {
                let mut line = String::new();
                if answer.read_line(&mut line)? == 0 || line == "\r\n" {
                    break;
                }
                if !line.to_ascii_lowercase().starts_with("connection:") {
                    client.write_all(line.as_bytes())?;
                }
            }
            if let Act::Mark(header) = act {
                client.write_all(format!("{header}\r\n").as_bytes())?;
            }
            client.write_all(b"Connection: close\r\n\r\n")?;
            std::io::copy(&mut answer, &mut client)?;
            Ok(())
        }
    }
}

/// The options that point interlock at an Oxigraph server (or a proxy in
/// front of one) at `base`: its query, update and Graph Store endpoints.
pub fn oxigraph_args(base: &str) -> Vec<String> {
    vec![
        "--store".into(),
        format!("{base}/query"),
        "--update-url".into(),
        format!("{base}/update"),
        "--graph-store-url".into(),
        format!("{base}/store"),
    ]
}
