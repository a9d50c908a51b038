//! The projection kept beside the store (issue 13): a fresh process reads
//! it instead of building it, answers exactly as a projection built from
//! scratch would, and never answers from a copy the store no longer
//! supports — after `load`, `import`, a SPARQL Update and a Graph Store PUT
//! through the server, a load killed half-way, a write cut short, a copy
//! of another format and a store from before the copy existed.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{Server, interlock_ok};
use reqwest::blocking::Client;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use std::path::{Path, PathBuf};
use std::process::Command;

const TOKEN: &str = "a-test-token-0123456789";
/// The graph of the world `generate --relationships 1500 --seed 3` writes.
const WORLD_GRAPH: &str = "https://w3id.org/interlock/id/graph/synthetic-1500-3";

/// Runs an analysis with `INTERLOCK_TIMINGS`; its output and how the
/// projection came to be (the words of `timing projection … (…)`).
fn analysis(store: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_interlock"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env("INTERLOCK_TIMINGS", "1")
        .env_remove("INTERLOCK_STORE")
        .output()
        .expect("the interlock binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "interlock {args:?}: {stderr}");
    let origin = stderr
        .lines()
        .filter(|l| l.starts_with("timing projection ") || l.starts_with("timing search index "))
        .find_map(|l| Some(l.split_once('(')?.1.trim_end_matches(')').to_string()))
        .unwrap_or_else(|| panic!("no projection or index timing in {stderr}"));
    (String::from_utf8(out.stdout).unwrap(), origin)
}

/// Every analysis and every export of the store, then a search, and how
/// each projection (the search index, last) came to be.
fn answers(store: &Path, exports: &Path) -> (Vec<String>, Vec<String>) {
    let mut out = Vec::new();
    let mut origins = Vec::new();
    let mut run = |args: &[&str]| {
        let (text, origin) = analysis(store, args);
        out.push(format!("{args:?}\n{text}"));
        origins.push(origin);
    };
    run(&["links", "company-0", "company-1", "--format", "json"]);
    run(&["links", "netflix", "facebook", "--at", "2013-09"]);
    run(&["interlocks", "--at", "2005", "--format", "json"]);
    for measure in ["degree", "betweenness", "closeness", "pagerank"] {
        run(&[
            "centrality",
            "--measure",
            measure,
            "--top",
            "30",
            "--format",
            "json",
        ]);
    }
    run(&["centrality", "--measure", "degree", "--during", "2000/2010"]);
    run(&[
        "reach",
        "company-0",
        "--from",
        "1990-01-01",
        "--format",
        "json",
    ]);
    run(&["stats", "--format", "json"]);
    for format in ["graphml", "gexf", "cytoscape", "dot", "csv"] {
        let file = exports.join(format!("export.{format}"));
        let (_, origin) = analysis(
            store,
            &["export", "--format", format, "-o", file.to_str().unwrap()],
        );
        origins.push(origin);
        out.push(format!(
            "{format}\n{}",
            std::fs::read_to_string(&file).unwrap()
        ));
        if format == "csv" {
            let nodes = exports.join("export.nodes.csv");
            out.push(std::fs::read_to_string(nodes).unwrap());
        }
    }
    for words in [&["capital"][..], &["hastings"], &["wenche", "dahl"]] {
        let mut args = vec!["search", "--limit", "50"];
        args.extend(words);
        let (text, origin) = analysis(store, &args);
        out.push(format!("{args:?}\n{text}"));
        if words[0] == "capital" {
            origins.push(origin);
        }
    }
    (out, origins)
}

/// Asserts `a` and `b` are the same answers, showing the first line that differs.
fn same(a: &[String], b: &[String], after: &str) {
    assert_eq!(a.len(), b.len(), "after {after}");
    for (x, y) in a.iter().zip(b) {
        if let Some((n, (l, r))) = x
            .lines()
            .zip(y.lines())
            .enumerate()
            .find(|(_, (l, r))| l != r)
        {
            panic!(
                "after {after}: {} line {n}: {l:?} != {r:?}",
                x.lines().next().unwrap_or("")
            );
        }
        assert_eq!(
            x.lines().count(),
            y.lines().count(),
            "after {after}: {}",
            x.lines().next().unwrap_or("")
        );
    }
}

/// The kept copy of the projection.
fn kept_file(store: &Path) -> PathBuf {
    store.join("interlock").join("projection")
}

/// The answers from scratch: the kept copies of the projection and of the
/// search index removed first.
fn from_scratch(store: &Path, exports: &Path) -> Vec<String> {
    std::fs::remove_file(kept_file(store)).ok();
    std::fs::remove_file(store.join("interlock").join("search-names")).ok();
    let (out, origins) = answers(store, exports);
    assert_eq!(origins[0], "built, copy kept");
    assert_eq!(origins.last().unwrap(), "built, copy kept");
    out
}

/// Whether the projection was built once and then read, and the search
/// index built (the copies were stale or missing).
fn built_then_read(origins: &[String]) -> bool {
    let (index, projections) = origins.split_last().unwrap();
    index == "built, copy kept"
        && projections[0] == "built, copy kept"
        && projections[1..]
            .iter()
            .all(|o| o == "read from the kept copy")
}

/// Asserts that the store's answers, as a fresh process gives them, are a
/// from-scratch build's, and that they were built (the copy was stale);
/// returns them.
fn rebuilt_and_right(store: &Path, exports: &Path, after: &str) -> Vec<String> {
    let (now, origins) = answers(store, exports);
    assert!(built_then_read(&origins), "after {after}: {origins:?}");
    same(&now, &from_scratch(store, exports), after);
    now
}

fn generate(dir: &Path, name: &str, relationships: &str, seed: &str) -> String {
    let file = dir.join(name);
    interlock_ok(
        dir,
        &[
            "generate",
            "--relationships",
            relationships,
            "--seed",
            seed,
            "-o",
            file.to_str().unwrap(),
        ],
    );
    file.to_str().unwrap().to_string()
}

/// A store with the shipped data and a generated world ([`WORLD_GRAPH`]).
fn store_with_a_world() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    let world = generate(dir.path(), "world.nq", "1500", "3");
    let data = common::project("data");
    interlock_ok(&store, &["load", data.to_str().unwrap(), &world]);
    (dir, store, exports)
}

#[test]
fn a_kept_projection_answers_exactly_as_a_built_one() {
    let (_dir, store, exports) = store_with_a_world();
    let (built, origins) = answers(&store, &exports);
    assert!(built_then_read(&origins), "{origins:?}");
    // The world has chains, interlocks and ranks to compare.
    assert!(built[0].contains("\"steps\""), "{}", built[0]);
    assert!(built[2].len() > 100, "{}", built[2]);
    let (again, origins) = answers(&store, &exports);
    assert!(
        origins.iter().all(|o| o == "read from the kept copy"),
        "{origins:?}"
    );
    same(&again, &built, "reading the kept copies");
    assert!(
        built.last().unwrap().contains("person-238"),
        "{}",
        built.last().unwrap()
    );
    same(&from_scratch(&store, &exports), &built, "building again");
}

#[test]
fn loads_and_imports_make_the_kept_projection_stale() {
    let (dir, store, exports) = store_with_a_world();
    let before = rebuilt_and_right(&store, &exports, "the first load");

    let more = generate(dir.path(), "more.nq", "400", "5");
    interlock_ok(&store, &["load", &more]);
    let loaded = rebuilt_and_right(&store, &exports, "a load");
    assert_ne!(loaded, before, "the load changes the answers");

    let ftm = dir.path().join("leaks.ijson");
    std::fs::write(
        &ftm,
        r#"{"id": "p1", "schema": "Person", "properties": {"name": ["Ann Lee"]}}
{"id": "c1", "schema": "Company", "properties": {"name": ["Acme"]}}
{"id": "d1", "schema": "Directorship", "properties": {"director": ["p1"], "organization": ["c1"], "startDate": ["2003"], "endDate": ["2007-06"]}}
"#,
    )
    .unwrap();
    interlock_ok(&store, &["import", "ftm", ftm.to_str().unwrap()]);
    let imported = rebuilt_and_right(&store, &exports, "an import");
    assert_ne!(imported, loaded, "the import changes the answers");

    // A load that fails changes nothing, and keeps the copy current.
    let bad = dir.path().join("world.nq");
    std::fs::write(&bad, "<urn:a> <urn:b> .\n").unwrap();
    let failed = common::interlock(&store, &["load", bad.to_str().unwrap()]);
    assert!(!failed.status.success());
    let (after, origins) = answers(&store, &exports);
    same(&after, &imported, "a failed load");
    assert!(
        origins.iter().all(|o| o == "read from the kept copy"),
        "{origins:?}"
    );
}

#[test]
fn writes_through_the_server_make_the_kept_projection_stale() {
    let (_dir, store, exports) = store_with_a_world();
    let before = rebuilt_and_right(&store, &exports, "the first load");
    let world = interlock_ok(
        &store,
        &[
            "query",
            "--format",
            "ntriples",
            &format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{WORLD_GRAPH}> {{ ?s ?p ?o }} }}"),
        ],
    );
    assert!(world.lines().count() > 30_000, "{}", world.len());
    let client = Client::new();

    let server = Server::start_in(&store, &["--writable"], &[("INTERLOCK_TOKEN", TOKEN)]);
    // Person 238's ties (one of them on a chain between company-0 and company-1) go.
    let update = "PREFIX il: <https://w3id.org/interlock/ontology#>
         DELETE { GRAPH ?g { ?r ?p ?o } }
         WHERE { GRAPH ?g { ?r il:subject <https://w3id.org/interlock/id/person-238> ; ?p ?o } }";
    let dropped = client
        .post(server.url("/update"))
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(CONTENT_TYPE, "application/sparql-update")
        .body(update)
        .send()
        .unwrap();
    assert_eq!(dropped.status(), 204);
    // A reader beside the server does not read the copy the write made
    // stale; it builds from the store and keeps nothing (the server holds it).
    let (_, origin) = analysis(&store, &["stats"]);
    assert_eq!(origin, "built, no copy kept");
    assert!(server.terminate().success());
    let dropped = rebuilt_and_right(&store, &exports, "a SPARQL Update");
    assert!(before[0].contains("person-238") && !dropped[0].contains("person-238"));

    let server = Server::start_in(&store, &["--writable"], &[("INTERLOCK_TOKEN", TOKEN)]);
    let put = client
        .put(server.url(&format!("/store?graph={WORLD_GRAPH}")))
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(CONTENT_TYPE, "application/n-triples")
        .body(world)
        .send()
        .unwrap();
    assert_eq!(put.status(), 204, "the graph was there");
    assert!(server.terminate().success());
    let restored = rebuilt_and_right(&store, &exports, "a Graph Store PUT");
    same(
        &restored,
        &before,
        "a Graph Store PUT of the world as it was",
    );
}

#[test]
fn a_load_killed_half_way_leaves_answers_true_to_the_store() {
    let (dir, store, exports) = store_with_a_world();
    let before = rebuilt_and_right(&store, &exports, "the first load");
    // Another world: were it written, the answers would change.
    let other = generate(dir.path(), "other.nq", "60000", "9");
    let mut load = Command::new(env!("CARGO_BIN_EXE_interlock"))
        .arg("--store")
        .arg(&store)
        .args(["load", &other])
        .env_remove("INTERLOCK_STORE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    load.kill().unwrap();
    let status = load.wait().unwrap();
    assert!(!status.success(), "the load was still reading when killed");
    let (after, _) = answers(&store, &exports);
    same(&after, &from_scratch(&store, &exports), "a killed load");
    same(&after, &before, "a killed load, which wrote nothing");
}

/// Turns the format line `line` (ending in its version) of `file` into version 0.
fn older_format(file: &Path, line: &str) {
    let mut bytes = std::fs::read(file).unwrap();
    let at = bytes
        .windows(line.len())
        .position(|w| w == line.as_bytes())
        .expect("the format line");
    bytes[at + line.len() - 1] = b'0';
    std::fs::write(file, bytes).unwrap();
}

#[test]
fn a_write_cut_short_an_older_format_or_an_older_store_is_rebuilt() {
    let (_dir, store, exports) = store_with_a_world();
    let built = rebuilt_and_right(&store, &exports, "the first load");
    let generation = store.join("interlock").join("generation");

    // What a process killed while committing a write leaves behind.
    std::fs::write(&generation, "writing").unwrap();
    assert_eq!(
        rebuilt_and_right(&store, &exports, "a write cut short"),
        built
    );

    // Copies in a format this version does not read.
    let file = kept_file(&store);
    let names = store.join("interlock").join("search-names");
    older_format(&file, "interlock projection 2");
    older_format(&names, "interlock search names 1");
    same(
        &rebuilt_and_right(&store, &exports, "an older format"),
        &built,
        "an older format",
    );
    let now = std::fs::read(&file).unwrap();
    assert!(now.windows(22).any(|w| w == b"interlock projection 2"));

    // A store from before the copy existed: no folder of interlock's own.
    std::fs::remove_dir_all(store.join("interlock")).unwrap();
    same(
        &rebuilt_and_right(&store, &exports, "an older store"),
        &built,
        "an older store",
    );
}

#[test]
fn a_store_whose_generation_cannot_be_written_is_refused_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let data = common::project("data");
    interlock_ok(&store, &["load", data.to_str().unwrap()]);
    let before = common::snapshot(&store);
    // Where the generation's folder should be, a file.
    std::fs::remove_dir_all(store.join("interlock")).unwrap();
    std::fs::write(store.join("interlock"), "in the way").unwrap();
    let out = common::interlock(&store, &["load", data.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.contains("interlock/generation"),
        "{stderr}"
    );
    std::fs::remove_file(store.join("interlock")).unwrap();
    assert_eq!(common::snapshot(&store), before);
}
