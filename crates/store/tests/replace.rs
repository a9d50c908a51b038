//! `Store::replace` is all or nothing: an input that turns out malformed
//! while it streams in leaves the store exactly as it was.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

use interlock_load::{IriBase, read_inputs};
use interlock_store::{QueryRequest, Store, StoreError};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::path::PathBuf;

fn count(store: &Store) -> usize {
    let q = QueryRequest::new("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }");
    let QueryResults::Solutions(mut rows) = store.query(&q).unwrap() else {
        panic!("solutions")
    };
    let row = rows.next().unwrap().unwrap();
    match row.get("n") {
        Some(Term::Literal(n)) => n.value().parse().unwrap(),
        other => panic!("a count, not {other:?}"),
    }
}

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_failed_load_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let base = IriBase::new("http://example.org/").unwrap();
    let store = Store::in_memory();
    let first = file(
        &dir,
        "a.ttl",
        "<http://example.org/a> <http://example.org/p> 1 .\n",
    );
    store
        .replace(
            &read_inputs(std::slice::from_ref(&first), &base).unwrap(),
            &|_| {},
        )
        .unwrap();
    assert_eq!(count(&store), 1);

    // A new version of a.ttl, and b.ttl whose third line is broken: the
    // error is found only while b streams in, after a was written aside.
    let a = file(
        &dir,
        "a.ttl",
        "<http://example.org/a> <http://example.org/p> 2, 3, 4 .\n",
    );
    let mut good = String::new();
    for i in 0..2 {
        good.push_str(&format!(
            "<http://example.org/b{i}> <http://example.org/p> {i} .\n"
        ));
    }
    let b = file(
        &dir,
        "b.ttl",
        &format!("{good}<http://example.org/c> <broken\n"),
    );
    let inputs = read_inputs(&[a, b.clone()], &base).unwrap();
    match store.replace(&inputs, &|_| {}) {
        Err(StoreError::Input(d)) => {
            assert_eq!(d.path, b);
            assert_eq!(d.line, 3);
        }
        other => panic!("expected the broken line, got {other:?}"),
    }
    assert_eq!(count(&store), 1, "nothing of the failed load is left");

    // The same load without the broken file replaces a's graph.
    let inputs = read_inputs(&[first], &base).unwrap();
    let report = store.replace(&inputs, &|_| {}).unwrap();
    assert_eq!((report.graphs, report.quads), (1, 3));
    assert_eq!(count(&store), 3);
}
