//! interlock on a remote SPARQL 1.1 store (issue 14): the same commands give
//! the same answers on Oxigraph's own server and on Virtuoso as on the
//! embedded store, read whole or in pages (past Virtuoso's row cap too); loads are all or nothing however they fail (a store
//! answering 500 at a chunk, a store killed mid-load); credentials, an
//! unreachable store and a store that does not answer are clear errors.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::remote::{
    Act, Oxigraph, Proxy, Virtuoso, interlock_at, interlock_at_ok, interlock_at_ok_with,
    oxigraph_args,
};
use common::{Server, interlock_ok, project, shared};
use std::path::Path;
use std::sync::atomic::Ordering;

const STAGING: &str = "urn:interlock:staging:";
const TOKEN: &str = "a-remote-test-token-0123456789";

/// The seed, the Norwegian board seats and Facebook as another dataset's
/// "Meta Platforms, Inc." (merged by its Wikidata item), loaded into
/// `store_args`' store.
fn load_seed_and_norway(store_args: &[String]) {
    let data = project("data");
    interlock_at_ok(store_args, &["load", data.to_str().unwrap()]);
    let seats = shared().join("external/data/norway_boards/board_seats.csv");
    let mapping = project("data/mappings/norway_boards.toml");
    interlock_at_ok(
        store_args,
        &[
            "import",
            "csv",
            seats.to_str().unwrap(),
            "--mapping",
            mapping.to_str().unwrap(),
        ],
    );
    let meta = project("tests/data/identity/meta.json");
    interlock_at_ok(
        store_args,
        &["import", "ftm", meta.to_str().unwrap(), "--dataset", "meta"],
    );
}

/// The commands whose answers must not depend on where the data is.
fn questions() -> Vec<Vec<String>> {
    let mut questions: Vec<Vec<&str>> = vec![
        vec!["links", "netflix", "facebook", "--at", "2013-09"],
        vec!["interlocks", "--at", "2008-03"],
        vec!["timeline"],
        vec!["timeline", "--from", "2011", "--to", "2014"],
        vec!["datasets"],
        vec!["stats"],
        vec!["reach", "netflix"],
        vec!["search", "hastings"],
    ];
    for measure in ["degree", "betweenness", "closeness", "pagerank"] {
        questions.push(vec!["centrality", "--measure", measure, "--top", "25"]);
    }
    for format in ["graphml", "gexf", "cytoscape", "dot"] {
        questions.push(vec!["export", "--format", format]);
    }
    // Through the entity two datasets name: the identity graph.
    questions.push(vec!["links", "reed-hastings", "sheryl-sandberg"]);
    questions.push(vec!["timeline", "meta-platforms"]);
    let mut questions: Vec<Vec<String>> = questions
        .into_iter()
        .map(|q| q.into_iter().map(str::to_string).collect())
        .collect();
    let mut files: Vec<_> = std::fs::read_dir(project("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let file = file.to_str().unwrap().to_string();
        questions.push(vec![
            "query".into(),
            "--format".into(),
            "tsv".into(),
            "-f".into(),
            file,
        ]);
    }
    questions
}

/// An answer, with the rows of a query sorted (a query without ORDER BY
/// may list them in any order on any store).
fn answer(store_args: &[String], question: &[String]) -> String {
    let args: Vec<&str> = question.iter().map(String::as_str).collect();
    let out = interlock_at_ok(store_args, &args);
    if question[0] == "query" {
        let mut lines: Vec<&str> = out.lines().collect();
        lines[1..].sort_unstable();
        return lines.join("\n");
    }
    out
}

fn sorted_dump(store_args: &[String]) -> Vec<String> {
    let out = interlock_at_ok(store_args, &["dump"]);
    let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// Asserts that `datasets` lists the dataset `name` with `triples` triples.
fn assert_dataset(store_args: &[String], name: &str, triples: usize) {
    let datasets = interlock_at_ok(store_args, &["datasets"]);
    assert!(
        datasets
            .lines()
            .any(|l| l.contains(&format!("graph/{name} ")) && l.ends_with(&format!(" {triples}"))),
        "{datasets}"
    );
}

fn folder(dir: &Path) -> Vec<String> {
    vec!["--store".into(), dir.to_str().unwrap().into()]
}

#[test]
fn a_remote_store_answers_as_the_embedded_one_whole_or_in_pages() {
    let embedded = tempfile::tempdir().unwrap();
    let embedded = folder(embedded.path());
    load_seed_and_norway(&embedded);
    let location = tempfile::tempdir().unwrap();
    let oxigraph = Oxigraph::start(location.path());
    let remote = oxigraph.store_args();
    load_seed_and_norway(&remote);
    // Every scan of the Norwegian data takes several pages (each page is a
    // whole evaluation on the store: a page size as large as the store
    // allows is the one to use; tests/remote.rs pages the seed by 3 below).
    let mut paged = remote.clone();
    paged.extend(["--page-size".to_string(), "1999".to_string()]);

    let interlocks = answer(&remote, &questions()[1]);
    // The Norwegian seats alone give 590 of them (tests/clients/test_imports.py
    // checks each against the CSV).
    assert!(interlocks.contains("(592 rows)"), "{interlocks}");
    for question in questions() {
        let expected = answer(&embedded, &question);
        assert_eq!(answer(&remote, &question), expected, "{question:?}");
        assert_eq!(
            answer(&paged, &question),
            expected,
            "{question:?}, in pages"
        );
    }
    // Dumped whole (in pages: the seed's test below; every page of a dump
    // sorts the whole graph on the store).
    assert_eq!(sorted_dump(&remote), sorted_dump(&embedded));
    // Oxigraph's server itself holds the datasets under their own graphs.
    // (Seed, ontology, Norway, Meta, identity.)
    let graphs = oxigraph.graphs_starting("https://w3id.org/interlock/id/graph/");
    assert_eq!(graphs.len(), 5, "{graphs:?}");
    assert!(oxigraph.graphs_starting(STAGING).is_empty());
}

#[test]
fn virtuoso_answers_as_the_embedded_store_past_its_row_cap() {
    let embedded = tempfile::tempdir().unwrap();
    let embedded = folder(embedded.path());
    load_seed_and_norway(&embedded);
    // Debian's settings: answers cut at 10,000 rows, sorts of at most
    // 10,000 rows for ORDER BY … OFFSET.
    let virtuoso = Virtuoso::start(&[]);
    let remote = virtuoso.store_args();
    load_seed_and_norway(&remote);
    let mut paged = remote.clone();
    paged.extend(["--page-size".to_string(), "1999".to_string()]);
    for (number, question) in questions().into_iter().enumerate() {
        let expected = answer(&embedded, &question);
        assert_eq!(answer(&remote, &question), expected, "{question:?}");
        // In pages of 1,999 rows: past the fifth, Virtuoso sorts too many
        // rows and the pages are asked as sub-selects.
        if number % 3 == 1 {
            assert_eq!(
                answer(&paged, &question),
                expected,
                "{question:?}, in pages"
            );
        }
    }
    // 150,027 quads, though Virtuoso sends at most 10,000 rows an answer.
    let dump = sorted_dump(&remote);
    assert!(dump.len() > 100_000, "{}", dump.len());
    assert_eq!(dump, sorted_dump(&embedded));
    let graphs = virtuoso.graphs_starting("https://w3id.org/interlock/id/graph/");
    assert_eq!(graphs.len(), 5, "{graphs:?}");
    assert!(virtuoso.graphs_starting(STAGING).is_empty());

    // HTTP digest on Virtuoso's -auth endpoints (its dba account).
    let auth = vec![
        "--store".to_string(),
        format!("{}/sparql-auth", virtuoso.base),
        "--graph-store-url".into(),
        format!("{}/sparql-graph-crud-auth", virtuoso.base),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("digest.ttl");
    std::fs::write(&file, "<http://e/a> <http://e/p> \"digested\" .\n").unwrap();
    let load = ["load", file.to_str().unwrap()];
    let dba = [
        ("INTERLOCK_STORE_USER", "dba"),
        ("INTERLOCK_STORE_PASSWORD", "dba"),
    ];
    interlock_at_ok_with(&auth, &load, &dba);
    assert_dataset(&remote, "digest", 1);
    let wrong = [
        ("INTERLOCK_STORE_USER", "dba"),
        ("INTERLOCK_STORE_PASSWORD", "not-the-password"),
    ];
    for envs in [&wrong[..], &[]] {
        let out = interlock_at(&auth, &["datasets"], envs);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("refused access (401)"), "{stderr}");
    }
}

/// The shipped data loaded into an embedded store and into an Oxigraph
/// server, both living as long as this.
struct DataInBoth {
    /// The arguments that name the embedded store.
    embedded: Vec<String>,
    oxigraph: Oxigraph,
    _folders: [tempfile::TempDir; 2],
}

fn data_in_both() -> DataInBoth {
    let (embedded_folder, location) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let embedded = folder(embedded_folder.path());
    let data = project("data");
    interlock_at_ok(&embedded, &["load", data.to_str().unwrap()]);
    let oxigraph = Oxigraph::start(location.path());
    interlock_at_ok(&oxigraph.store_args(), &["load", data.to_str().unwrap()]);
    DataInBoth {
        embedded,
        oxigraph,
        _folders: [embedded_folder, location],
    }
}

#[test]
fn pages_of_three_rows_read_the_same_as_one_answer() {
    let both = data_in_both();
    let embedded = &both.embedded;
    let mut paged = both.oxigraph.store_args();
    paged.extend(["--page-size".to_string(), "3".to_string()]);
    for question in [
        &["links", "netflix", "facebook"][..],
        &["centrality", "--measure", "pagerank"],
        &["export", "--format", "graphml"],
        &["datasets"],
    ] {
        let question: Vec<String> = question.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            answer(&paged, &question),
            answer(embedded, &question),
            "{question:?}"
        );
    }
    assert_eq!(sorted_dump(&paged), sorted_dump(embedded));
}

#[test]
fn the_projection_asks_for_csv_and_answers_as_from_json() {
    let both = data_in_both();
    let embedded = &both.embedded;
    let accepts = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = accepts.clone();
    let proxy = Proxy::start(
        &both.oxigraph.base,
        move |r| {
            seen.lock().unwrap().push(r.accept.clone());
            Act::Forward
        },
        None,
    );
    let proxied = vec!["--store".to_string(), format!("{}/query", proxy.base)];
    // Each question, and how many scans at least ask for CSV: the
    // projection's, the search index's; none for a user's query.
    let labels =
        "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }";
    for (question, scans) in [
        (&["stats"][..], 20),
        (&["export", "--format", "graphml"], 20),
        (&["search", "hastings"], 9),
        (&["query", labels], 0),
    ] {
        let question: Vec<String> = question.iter().map(|s| s.to_string()).collect();
        accepts.lock().unwrap().clear();
        assert_eq!(
            answer(&proxied, &question),
            answer(embedded, &question),
            "{question:?}"
        );
        let accepts = accepts.lock().unwrap();
        let csv = accepts.iter().filter(|a| a.starts_with("text/csv")).count();
        if scans == 0 {
            // A user's query: its terms are not known, CSV would lose them.
            assert_eq!(csv, 0, "{accepts:?}");
        } else {
            assert!(csv >= scans, "{question:?}: {accepts:?}");
        }
    }
}

#[test]
fn a_sort_virtuoso_fails_now_and_then_is_asked_again_once() {
    const SR477: &str =
        "Virtuoso 22026 Error SR477: Error serializing the value into an ANY column";
    let both = data_in_both();
    // The first query fails once, or every query always.
    for always in [false, true] {
        let failed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = failed.clone();
        let proxy = Proxy::start(
            &both.oxigraph.base,
            move |r| {
                let first = seen.load(Ordering::SeqCst) == 0;
                if r.body_start.starts_with("query=") && (always || first) {
                    seen.fetch_add(1, Ordering::SeqCst);
                    return Act::FailWith(SR477);
                }
                Act::Forward
            },
            None,
        );
        let proxied = vec!["--store".to_string(), format!("{}/query", proxy.base)];
        let out = interlock_at(&proxied, &["datasets"], &[]);
        if always {
            assert!(!out.status.success());
            assert!(String::from_utf8_lossy(&out.stderr).contains("SR477"));
            assert_eq!(failed.load(Ordering::SeqCst), 2, "asked twice, no more");
        } else {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                String::from_utf8(out.stdout).unwrap(),
                interlock_at_ok(&both.embedded, &["datasets"])
            );
            assert_eq!(failed.load(Ordering::SeqCst), 1);
        }
    }
}

#[test]
fn loading_again_replaces_a_dataset_and_a_query_without_datasets_sees_none() {
    let location = tempfile::tempdir().unwrap();
    let oxigraph = Oxigraph::start(location.path());
    let remote = oxigraph.store_args();
    // Nothing of interlock's loaded: an empty answer, not the graphs of
    // other programs sharing the store (listed apart from interlock's by
    // their IRIs).
    oxigraph
        .update("INSERT DATA { GRAPH <http://other.example/g> { <http://e/x> <http://e/p> 1 } }");
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let empty = interlock_at_ok(&remote, &["query", "--format", "tsv", count]);
    assert_eq!(empty.lines().nth(1), Some("0"), "{empty}");
    let datasets = interlock_at_ok(&remote, &["datasets"]);
    assert!(!datasets.contains("other.example"), "{datasets}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tiny.ttl");
    std::fs::write(&file, "<http://e/a> <http://e/p> \"one\" .\n").unwrap();
    interlock_at_ok(&remote, &["load", file.to_str().unwrap()]);
    std::fs::write(
        &file,
        "<http://e/a> <http://e/p> \"two\" .\n<http://e/b> <http://e/p> _:x .\n",
    )
    .unwrap();
    interlock_at_ok(&remote, &["load", file.to_str().unwrap()]);
    let rows = interlock_at_ok(
        &remote,
        &[
            "query",
            "--format",
            "tsv",
            "SELECT ?o WHERE { <http://e/a> ?p ?o }",
        ],
    );
    assert_eq!(rows.lines().skip(1).collect::<Vec<_>>(), ["\"two\""]);
    assert_dataset(&remote, "tiny", 2);
}

#[test]
fn a_load_failing_at_a_chunk_leaves_every_graph_as_it_was() {
    let location = tempfile::tempdir().unwrap();
    let oxigraph = Oxigraph::start(location.path());
    let direct = oxigraph.store_args();
    let data = project("data");
    interlock_at_ok(&direct, &["load", data.to_str().unwrap()]);
    let before = sorted_dump(&direct);
    for graph_store in [true, false] {
        // The third chunk written fails.
        let writes = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = writes.clone();
        let proxy = Proxy::start(
            &oxigraph.base,
            move |r| {
                let chunk = r.content_type == "application/n-triples"
                    || r.body_start.starts_with("update=INSERT+DATA");
                if chunk && seen.fetch_add(1, Ordering::SeqCst) == 2 {
                    return Act::Fail;
                }
                Act::Forward
            },
            None,
        );
        let mut args = vec![
            "--store".to_string(),
            format!("{}/query", proxy.base),
            "--update-url".into(),
            format!("{}/update", proxy.base),
            "--chunk-size".into(),
            "50".into(),
        ];
        if graph_store {
            args.extend(["--graph-store-url".into(), format!("{}/store", proxy.base)]);
        }
        let out = interlock_at(&args, &["load", data.to_str().unwrap()], &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            stderr.contains("answered 500: injected failure"),
            "{stderr}"
        );
        assert!(stderr.contains("the store is unchanged"), "{stderr}");
        assert_eq!(sorted_dump(&direct), before, "graph store: {graph_store}");
        assert!(oxigraph.graphs_starting(STAGING).is_empty());
    }
}

#[test]
fn a_commit_the_store_does_not_confirm_is_said_to_be_unknown() {
    let location = tempfile::tempdir().unwrap();
    let oxigraph = Oxigraph::start(location.path());
    // The MOVE reaches the store, its answer never comes back.
    let proxy = Proxy::start(
        &oxigraph.base,
        |r| {
            if r.body_start.starts_with("update=MOVE") {
                Act::Vanish
            } else {
                Act::Forward
            }
        },
        None,
    );
    let args = oxigraph_args(&proxy.base);
    let data = project("data");
    let out = interlock_at(&args, &["load", data.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("did not confirm the update that puts the written graphs in place"),
        "{stderr}"
    );
    assert!(!stderr.contains("unchanged"), "{stderr}");
    // Here the store did run it: `datasets` tells.
    let datasets = interlock_at_ok(&oxigraph.store_args(), &["datasets"]);
    assert!(datasets.contains("graph/netflix-facebook "), "{datasets}");
}

#[test]
fn a_store_killed_mid_load_keeps_its_graphs_and_the_next_load_clears_the_staging() {
    let location = tempfile::tempdir().unwrap();
    let mut oxigraph = Oxigraph::start(location.path());
    let direct = oxigraph.store_args();
    let data = project("data");
    interlock_at_ok(&direct, &["load", data.to_str().unwrap()]);
    let before = sorted_dump(&direct);
    let work = tempfile::tempdir().unwrap();
    let world = work.path().join("world.nq");
    let generated = interlock_ok(
        work.path(),
        &[
            "generate",
            "--relationships",
            "3000",
            "-o",
            world.to_str().unwrap(),
        ],
    );
    drop(generated);
    // Kill the store once the load has written 5 chunks.
    let upstream = oxigraph.base.clone();
    let proxy = Proxy::start(&upstream, |_| Act::Forward, None);
    let mut args = oxigraph_args(&proxy.base);
    args.extend(["--chunk-size".into(), "200".into()]);
    let load = std::process::Command::new(env!("CARGO_BIN_EXE_interlock"))
        .args(&args)
        .args(["load", world.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while proxy.count.load(Ordering::SeqCst) < 8 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    oxigraph.kill();
    let out = load.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("the store is unchanged"), "{stderr}");
    oxigraph.restart();
    assert_eq!(sorted_dump(&direct), before);
    // What the dead load staged is still there, and the next load removes it.
    assert!(!oxigraph.graphs_starting(STAGING).is_empty());
    args.truncate(6);
    interlock_at_ok(&args, &["load", data.to_str().unwrap()]);
    assert!(oxigraph.graphs_starting(STAGING).is_empty());
    assert_eq!(sorted_dump(&direct), before);
}

#[test]
fn credentials_unreachable_stores_and_time_limits_are_clear_errors() {
    // An interlock server as the remote store, written through with its token.
    let server = Server::writable(TOKEN, &[]);
    let through = vec![
        "--store".to_string(),
        server.url("/sparql"),
        "--graph-store-url".into(),
        server.url("/store"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.ttl");
    std::fs::write(&file, "<http://e/a> <http://e/p> \"noted\" .\n").unwrap();
    let load = ["load", file.to_str().unwrap()];
    let out = interlock_at(&through, &load, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("refused access (401)"), "{stderr}");
    let out = interlock_at(
        &through,
        &load,
        &[("INTERLOCK_STORE_TOKEN", "wrong-token-0123456789")],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("refused access"));
    interlock_at_ok_with(&through, &load, &[("INTERLOCK_STORE_TOKEN", TOKEN)]);
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let mut with_file = through.clone();
    with_file.extend(["--credentials".into(), token_file.to_str().unwrap().into()]);
    interlock_at_ok(&with_file, &load);
    assert_dataset(&through, "note", 1);

    // HTTP basic, as the store's challenge asks.
    let location = tempfile::tempdir().unwrap();
    let oxigraph = Oxigraph::start(location.path());
    let expected = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_string();
    let guarded = Proxy::start(&oxigraph.base, |_| Act::Forward, Some(expected));
    let basic = vec![
        "--store".to_string(),
        format!("{}/query", guarded.base),
        "--update-url".into(),
        format!("{}/update", guarded.base),
    ];
    let user = [
        ("INTERLOCK_STORE_USER", "Aladdin"),
        ("INTERLOCK_STORE_PASSWORD", "open sesame"),
    ];
    interlock_at_ok_with(&basic, &load, &user);
    let wrong = [
        ("INTERLOCK_STORE_USER", "Aladdin"),
        ("INTERLOCK_STORE_PASSWORD", "close"),
    ];
    let out = interlock_at(&basic, &["datasets"], &wrong);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("refused access (401): who are you?"),
        "{stderr}"
    );

    // Nobody there.
    let port = common::remote::free_port();
    let nowhere = vec![
        "--store".to_string(),
        format!("http://127.0.0.1:{port}/sparql"),
    ];
    let out = interlock_at(&nowhere, &["datasets"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains(&format!(
            "cannot reach the store at http://127.0.0.1:{port}/sparql"
        )),
        "{stderr}"
    );

    // A store that says it cut an answer at its row cap (Virtuoso's
    // X-SPARQL-MaxRows), or that its answer is incomplete (Virtuoso's
    // "anytime" queries), after the first question.
    interlock_at_ok(&oxigraph.store_args(), &load);
    let marking = |header: &'static str| {
        Proxy::start(
            &oxigraph.base,
            move |r| {
                if r.number == 0 {
                    Act::Forward
                } else {
                    Act::Mark(header)
                }
            },
            None,
        )
    };
    let capped = marking("X-SPARQL-MaxRows: 2");
    let five = "SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 } }";
    let rows = interlock_at_ok(
        &["--store".to_string(), format!("{}/query", capped.base)],
        &["query", "--format", "tsv", five],
    );
    // Asked again in pages of 2: all five rows, in order.
    assert_eq!(
        rows.lines().collect::<Vec<_>>(),
        ["?x", "1", "2", "3", "4", "5"]
    );
    let partial = marking("X-SQL-State: S1TAT");
    let out = interlock_at(
        &["--store".to_string(), format!("{}/query", partial.base)],
        &["query", five],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("answered only in part (S1TAT): its own time limit for a query ran out"),
        "{stderr}"
    );

    // A store that stops answering after the first question.
    let stalling = Proxy::start(
        &oxigraph.base,
        |r| {
            if r.number == 0 {
                Act::Forward
            } else {
                Act::Stall
            }
        },
        None,
    );
    let slow = vec!["--store".to_string(), format!("{}/query", stalling.base)];
    let started = std::time::Instant::now();
    let out = interlock_at(
        &slow,
        &["query", "--timeout", "2", "SELECT * WHERE { ?s ?p ?o }"],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("time limit of 2s"), "{stderr}");
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn the_server_on_a_remote_store_answers_as_on_the_embedded_one() {
    let location = tempfile::tempdir().unwrap();
    let oxigraph = Oxigraph::start(location.path());
    let remote = oxigraph.store_args();
    let data = project("data");
    interlock_at_ok(&remote, &["load", data.to_str().unwrap()]);
    let embedded = Server::seeded(&[]);
    let on_remote = Server::start_in(
        Path::new(&format!("{}/query", oxigraph.base)),
        &[],
        &[("INTERLOCK_UPDATE_URL", &format!("{}/update", oxigraph.base))],
    );
    let client = reqwest::blocking::Client::new();
    for path in [
        "/api/links?from=netflix&to=facebook&at=2013-09",
        "/api/entity?id=reed-hastings",
        "/api/search?q=net",
        "/api/centrality?measure=betweenness",
        "/api/timeline",
        "/api/export/gexf",
        "/api/network?around=facebook",
    ] {
        let get = |server: &Server| {
            let r = client.get(server.url(path)).send().unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            r.text().unwrap()
        };
        assert_eq!(get(&on_remote), get(&embedded), "{path}");
    }
    // The SPARQL endpoint passes queries through, over the datasets.
    let ask = |server: &Server| {
        client
            .get(server.url("/sparql"))
            .query(&[("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")])
            .header("Accept", "text/tab-separated-values")
            .send()
            .unwrap()
            .text()
            .unwrap()
    };
    assert_eq!(ask(&on_remote), ask(&embedded));
}
