//! The command line on the shipped data: load, check, query formats, timeouts.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{Server, interlock, interlock_ok, project, seeded_store};

#[test]
fn load_reports_what_it_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let data = project("data");
    let out = interlock_ok(dir.path(), &["load", data.to_str().unwrap()]);
    assert!(
        out.contains("loaded netflix-facebook from ")
            && out.contains(": 7 entities, 11 relationships, 2 events, 5 sources, "),
        "{out}"
    );
    assert!(out.contains("loaded ontology from "), "{out}");
    assert!(out.contains("2 datasets, "), "{out}");
    let json = interlock_ok(
        dir.path(),
        &[
            "load",
            "--json",
            data.join("netflix-facebook.toml").to_str().unwrap(),
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["dataset"], "netflix-facebook");
    assert_eq!(
        v[0]["graph"],
        "https://w3id.org/interlock/id/graph/netflix-facebook"
    );
    assert_eq!(v[0]["relationships"], 11);
}

#[test]
fn loading_again_replaces_the_dataset() {
    let store = seeded_store();
    let count = || {
        interlock_ok(
            store.path(),
            &[
                "query",
                "--format",
                "csv",
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            ],
        )
    };
    let before = count();
    interlock_ok(store.path(), &["load", project("data").to_str().unwrap()]);
    assert_eq!(count(), before);
}

#[test]
fn check_validates_without_loading() {
    let dir = tempfile::tempdir().unwrap();
    let out = interlock_ok(dir.path(), &["check", project("data").to_str().unwrap()]);
    assert!(
        out.contains(
            "netflix-facebook.toml: ok (7 entities, 11 relationships, 2 events, 5 sources"
        ),
        "{out}"
    );
    let graphs = interlock_ok(dir.path(), &["datasets", "--json"]);
    assert_eq!(graphs.trim(), "[]");
}

#[test]
fn the_interlock_query_prints_reed_hastings_2011_and_2019() {
    let store = seeded_store();
    let out = interlock_ok(
        store.path(),
        &[
            "query",
            "-f",
            project("queries/board-interlocks.rq").to_str().unwrap(),
        ],
    );
    let row = out
        .lines()
        .find(|l| l.starts_with("Reed Hastings"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.contains("2011/2019") && row.contains("2011-01-01") && row.contains("2019-12-31"),
        "{row}"
    );
    assert!(out.ends_with("(1 row)\n"), "{out}");
}

#[test]
fn query_from_stdin_and_every_format() {
    let store = seeded_store();
    let ask = "ASK { ?p <https://w3id.org/interlock/ontology#boardMemberOf> ?o }";
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_interlock"))
        .arg("--store")
        .arg(store.path())
        .arg("query")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), ask.as_bytes()).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "yes\n");

    let json = interlock_ok(store.path(), &["query", "--format", "json", ask]);
    assert_eq!(json.trim(), r#"{"head":{},"boolean":true}"#);
    let xml = interlock_ok(store.path(), &["query", "--format", "xml", ask]);
    assert!(xml.contains("<boolean>true</boolean>"), "{xml}");
    let construct = "CONSTRUCT { ?p <https://w3id.org/interlock/ontology#boardMemberOf> ?o } WHERE { ?p <https://w3id.org/interlock/ontology#boardMemberOf> ?o }";
    let nt = interlock_ok(store.path(), &["query", "--format", "ntriples", construct]);
    assert_eq!(
        nt.trim(),
        "<https://w3id.org/interlock/id/reed-hastings> <https://w3id.org/interlock/ontology#boardMemberOf> <https://w3id.org/interlock/id/facebook> ."
    );
    let out = interlock(store.path(), &["query", "--format", "csv", construct]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "gives a graph (CONSTRUCT or DESCRIBE): 'csv' does not fit; use one of turtle, ntriples"
        ),
        "{stderr}"
    );
}

#[test]
fn query_syntax_errors_and_timeouts_exit_1() {
    let store = seeded_store();
    let out = interlock(store.path(), &["query", "SELECT * WHERE { ?s ?p }"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SPARQL syntax error"));

    let started = std::time::Instant::now();
    let out = interlock(
        store.path(),
        &[
            "query",
            "--timeout",
            "1",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("time limit of 1s"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn dump_writes_every_quad_with_its_graph() {
    let store = seeded_store();
    let dump = interlock_ok(store.path(), &["dump"]);
    let lines: Vec<&str> = dump.lines().collect();
    let count = interlock_ok(
        store.path(),
        &[
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        ],
    );
    assert_eq!(
        count.lines().nth(1).unwrap().trim(),
        lines.len().to_string()
    );
    assert!(lines.contains(&"<https://w3id.org/interlock/id/reed-hastings> <https://w3id.org/interlock/ontology#boardMemberOf> <https://w3id.org/interlock/id/facebook> <https://w3id.org/interlock/id/graph/netflix-facebook> ."));
}

/// Every subcommand whose reader leaves after the first line (`| head -1`)
/// ends quietly with status 0, as Unix tools do: on a world large enough
/// that each long answer overflows the pipe, so the write really fails.
#[test]
fn every_subcommand_piped_into_head_exits_quietly() {
    use std::io::BufRead;
    let store = tempfile::tempdir().unwrap();
    let world = store.path().join("world.nq");
    let world = world.to_str().unwrap();
    let generate = ["generate", "--relationships", "3000", "-o", world];
    interlock_ok(store.path(), &generate);
    interlock_ok(store.path(), &["load", world]);
    let data = project("data");
    let data = data.to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["query", "SELECT * WHERE { ?s ?p ?o }"],
        &["query", "--format", "json", "SELECT * WHERE { ?s ?p ?o }"],
        &[
            "query",
            "--format",
            "ntriples",
            "CONSTRUCT WHERE { ?s ?p ?o }",
        ],
        &["dump"],
        &["dump", "--format", "trig"],
        &["export", "--format", "graphml"],
        &["export", "--format", "cytoscape"],
        &["timeline"],
        &["timeline", "--format", "json"],
        &["timeline", "--format", "csv"],
        &["centrality", "--top", "100000"],
        &["reach", "company-0"],
        &["links", "company-0", "company-1", "--format", "json"],
        &["interlocks"],
        &["stats"],
        &["datasets"],
        &["generate", "--relationships", "3000"],
        &["generate", "--relationships", "300", "--format", "timeline"],
        &["check", data],
    ];
    for args in commands {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_interlock"))
            .arg("--store")
            .arg(store.path())
            .args(*args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{args:?} printed nothing");
        // The reader is dropped here: the pipe closes after one line.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {}\n{stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?} printed: {stderr}");
    }
}

/// A store a server holds: reading commands answer from it, read-only;
/// writing commands refuse in one line that names the server's process.
#[test]
fn a_served_store_answers_readers_and_names_its_server_to_writers() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_in(dir.path(), &[], &[]);
    let board = interlock_ok(
        dir.path(),
        &[
            "query",
            "-f",
            project("queries/board-interlocks.rq").to_str().unwrap(),
        ],
    );
    assert!(board.contains("Reed Hastings"), "{board}");
    let datasets = interlock_ok(dir.path(), &["datasets"]);
    assert!(datasets.contains("netflix-facebook"), "{datasets}");
    let links = interlock_ok(
        dir.path(),
        &["links", "netflix", "facebook", "--at", "2013-09"],
    );
    assert!(
        links.contains("reed-hastings ->[hastings-facebook-board] facebook"),
        "{links}"
    );

    let seed = project("data/netflix-facebook.toml");
    let out = interlock(dir.path(), &["load", seed.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let holder = format!("in use by process {} (", server.pid());
    assert!(
        stderr.contains(&holder) && stderr.contains(" serve ") && stderr.contains("stop it first"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    // Refused before anything was written: the datasets are as they were.
    drop(server);
    assert_eq!(interlock_ok(dir.path(), &["datasets"]), datasets);
}
