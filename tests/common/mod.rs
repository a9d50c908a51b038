//! Helpers shared by the end-to-end tests: run the real binary on a store in
//! a temporary folder.
#![allow(dead_code, reason = "each test file uses some of the helpers")]

pub mod remote;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared folder beside the project (`$INTERLOCK_SHARED`, else `../shared`).
pub fn shared() -> PathBuf {
    std::env::var_os("INTERLOCK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"))
}

/// A path under the project's root.
pub fn project(path: &str) -> PathBuf {
    root().join(path)
}

/// Runs `interlock --store STORE ARGS…` and returns what it did.
pub fn interlock(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interlock"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("INTERLOCK_STORE")
        .env_remove("INTERLOCK_BASE")
        .output()
        .expect("the interlock binary runs")
}

/// Runs interlock and asserts it succeeded; returns standard output.
pub fn interlock_ok(store: &Path, args: &[&str]) -> String {
    let out = interlock(store, args);
    assert!(
        out.status.success(),
        "interlock {args:?} failed with {}:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

/// A new store holding the shipped data (`data/`).
pub fn seeded_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let data = project("data");
    interlock_ok(dir.path(), &["load", data.to_str().unwrap()]);
    dir
}

/// The rows of a SELECT as strings (unbound values as ""), in result order.
pub fn select(store: &Path, query: &str) -> Vec<Vec<String>> {
    let out = interlock_ok(store, &["query", "--format", "json", query]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("SPARQL JSON results");
    let vars: Vec<String> = json["head"]["vars"]
        .as_array()
        .expect("head.vars")
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    json["results"]["bindings"]
        .as_array()
        .expect("results.bindings")
        .iter()
        .map(|b| {
            vars.iter()
                .map(|v| b[v]["value"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .collect()
}

/// Everything in the store, graph by graph, as sorted lines: for "nothing changed" checks.
pub fn snapshot(store: &Path) -> Vec<String> {
    let out = interlock_ok(
        store,
        &[
            "query",
            "--format",
            "tsv",
            "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
        ],
    );
    let mut lines: Vec<String> = out.lines().skip(1).map(str::to_string).collect();
    lines.sort();
    lines
}

/// Turns a table of &str into owned rows.
pub fn rows(table: &[&[&str]]) -> Vec<Vec<String>> {
    table
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// A running `interlock serve` on 127.0.0.1 with a free port; stopped when dropped.
pub struct Server {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    _store: Option<tempfile::TempDir>,
}

impl Server {
    /// Serves `store` (a folder) with extra `serve` arguments; `envs` are set for the process.
    pub fn start_in(store: &Path, args: &[&str], envs: &[(&str, &str)]) -> Server {
        use std::io::BufRead;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_interlock"));
        cmd.arg("--store")
            .arg(store)
            .arg("serve")
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .current_dir(root())
            .env_remove("INTERLOCK_TOKEN")
            .env("INTERLOCK_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("interlock serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("interlock serve prints its address");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let base = url.trim_end_matches("/sparql").to_string();
        Server {
            child,
            base,
            _store: None,
        }
    }

    /// Serves a new store holding the shipped data (loaded from data/ because the store is empty).
    pub fn seeded(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut server = Server::start_in(dir.path(), args, &[]);
        server._store = Some(dir);
        server
    }

    /// Serves a new store with the shipped data, writable with `token`.
    pub fn writable(token: &str, args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut all = vec!["--writable"];
        all.extend(args);
        let mut server = Server::start_in(dir.path(), &all, &[("INTERLOCK_TOKEN", token)]);
        server._store = Some(dir);
        server
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// CPU time the server process has used so far, in seconds (Linux).
    pub fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
            .expect("/proc/PID/stat is readable");
        // Fields after the command name (which is in parentheses): utime is 14th, stime 15th.
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
        ticks / 100.0
    }

    /// Sends SIGTERM and waits for the process; returns its exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        self.child.wait().expect("the server exits")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
