//! `Store::flush` writes recent writes out of memory into the store's files,
//! and a store in memory accepts it as a no-op.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

use interlock_store::{Store, UpdateRequest};
use std::path::Path;

fn table_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sst")
        })
        .count()
}

fn insert(store: &Store, n: usize) {
    let update = format!(
        "INSERT DATA {{ GRAPH <http://example.org/g> {{ <http://example.org/s{n}> <http://example.org/p> {n} }} }}"
    );
    store
        .update(&UpdateRequest {
            update,
            ..UpdateRequest::default()
        })
        .unwrap();
}

#[test]
fn a_flush_writes_recent_writes_to_the_store_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    insert(&store, 1);
    let before = table_files(dir.path());
    store.flush().unwrap();
    let after = table_files(dir.path());
    assert!(
        after > before,
        "{before} table files before the flush, {after} after"
    );
    // Nothing new written: nothing more to write out.
    store.flush().unwrap();
    assert_eq!(table_files(dir.path()), after);
    insert(&store, 2);
    store.flush().unwrap();
    assert!(table_files(dir.path()) > after);
}

#[test]
fn a_store_in_memory_has_nothing_to_flush() {
    let store = Store::in_memory();
    insert(&store, 1);
    store.flush().unwrap();
    assert!(!store.is_empty().unwrap());
}
