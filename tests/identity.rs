//! One entity across datasets (issue 15): shared identifiers and people's
//! decisions merge entities of different datasets into one node for every
//! analysis, export and page; the identity graph says which, re-derived by
//! every load.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{Server, interlock, interlock_ok, project, select, snapshot};
use std::path::Path;

const META: &str = "tests/data/identity/meta.json";
const META_WITHOUT_WIKIDATA: &str = "tests/data/identity/meta-without-wikidata.json";

/// A store with the seed and the FtM file (as dataset `meta`), given by path.
fn seed_and(ftm: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seed = project("data/netflix-facebook.toml");
    interlock_ok(dir.path(), &["load", seed.to_str().unwrap()]);
    import_meta(dir.path(), ftm);
    dir
}

fn import_meta(store: &Path, ftm: &str) -> String {
    let path = project(ftm);
    interlock_ok(
        store,
        &["import", "ftm", path.to_str().unwrap(), "--dataset", "meta"],
    )
}

/// The identity graph's statements, as `(merged, into)` ids.
fn same_as(store: &Path) -> Vec<Vec<String>> {
    select(
        store,
        "SELECT (STRAFTER(STR(?s), \"/id/\") AS ?a) (STRAFTER(STR(?o), \"/id/\") AS ?b) \
         WHERE { GRAPH <https://w3id.org/interlock/id/graph/identity> { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o } } ORDER BY ?a",
    )
}

/// How many chains `links` finds between two entities.
fn chains(store: &Path, from: &str, to: &str) -> usize {
    let out = interlock_ok(store, &["links", from, to, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    json.as_array().expect("a list of chains").len()
}

/// The GEXF export's node ids.
fn gexf_nodes(store: &Path) -> Vec<String> {
    let gexf = interlock_ok(store, &["export", "--format", "gexf"]);
    gexf.lines()
        .filter_map(|l| l.trim().strip_prefix("<node id=\""))
        .map(|l| l.split('"').next().unwrap().to_string())
        .collect()
}

/// Writes a decisions timeline and loads it; returns the command's output.
fn decide(store: &Path, decisions: &str) -> std::process::Output {
    let file = store.join("same-as.toml");
    std::fs::write(
        &file,
        format!("[dataset]\nid = \"same-as\"\ntitle = {{ en = \"Our decisions\" }}\n\n{decisions}"),
    )
    .unwrap();
    interlock(store, &["load", file.to_str().unwrap()])
}

#[test]
fn a_shared_wikidata_item_makes_one_node_until_it_is_removed() {
    let store = seed_and(META);
    let dir = store.path();
    assert_eq!(same_as(dir), [["meta-platforms", "facebook"]]);

    // Reed Hastings sat on Facebook's board, Sheryl Sandberg on Meta's: the
    // chains run through the one node, with their joint windows.
    assert_eq!(chains(dir, "reed-hastings", "sheryl-sandberg"), 9);
    let out = interlock_ok(dir, &["links", "reed-hastings", "sheryl-sandberg"]);
    assert!(
        out.contains(
            "reed-hastings ->[hastings-facebook-board] facebook <-[sandberg-meta-board] sheryl-sandberg"
        ),
        "{out}"
    );
    assert!(out.contains("2012-06-01/2019-12-31  definitely"), "{out}");
    // Either name finds it.
    assert_eq!(
        chains(dir, "meta-platforms", "netflix"),
        chains(dir, "facebook", "netflix")
    );

    let nodes = gexf_nodes(dir);
    assert!(nodes.contains(&"facebook".to_string()), "{nodes:?}");
    assert!(!nodes.contains(&"meta-platforms".to_string()), "{nodes:?}");
    // The seed's seven entities and Sandberg.
    assert_eq!(nodes.len(), 8, "{nodes:?}");

    // Loading the FtM file again, alone, keeps the merge.
    import_meta(dir, META);
    assert_eq!(same_as(dir), [["meta-platforms", "facebook"]]);
    assert_eq!(chains(dir, "reed-hastings", "sheryl-sandberg"), 9);

    // Without Q380 they are two again: no chain, two nodes, no identity graph.
    import_meta(dir, META_WITHOUT_WIKIDATA);
    assert!(same_as(dir).is_empty());
    assert_eq!(chains(dir, "reed-hastings", "sheryl-sandberg"), 0);
    let nodes = gexf_nodes(dir);
    assert!(nodes.contains(&"meta-platforms".to_string()), "{nodes:?}");
    let datasets = interlock_ok(dir, &["datasets"]);
    assert!(!datasets.contains("graph/identity"), "{datasets}");
}

#[test]
fn the_load_says_what_it_merged() {
    let store = seed_and(META_WITHOUT_WIKIDATA);
    let out = import_meta(store.path(), META);
    assert!(
        out.contains("merged: facebook = meta-platforms (wikidata:Q380)"),
        "{out}"
    );
}

#[test]
fn the_entity_page_lists_what_it_was_merged_from() {
    let store = seed_and(META);
    let server = Server::start_in(store.path(), &[], &[]);
    for id in ["facebook", "meta-platforms"] {
        let page: serde_json::Value =
            reqwest::blocking::get(server.url(&format!("/api/entity?id={id}")))
                .unwrap()
                .json()
                .unwrap();
        assert_eq!(page["id"], "facebook", "{id}");
        assert_eq!(page["label"], "Facebook");
        assert_eq!(
            page["datasets"],
            serde_json::json!(["meta", "netflix-facebook"])
        );
        let merged: Vec<(String, String, serde_json::Value)> = page["merged_from"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["id"].as_str().unwrap().to_string(),
                    m["label"].as_str().unwrap().to_string(),
                    m["datasets"].clone(),
                )
            })
            .collect();
        assert_eq!(
            merged,
            [
                (
                    "facebook".into(),
                    "Facebook".into(),
                    serde_json::json!(["netflix-facebook"])
                ),
                (
                    "meta-platforms".into(),
                    "Meta Platforms, Inc.".into(),
                    serde_json::json!(["meta"])
                ),
            ]
        );
        // Its ties from both datasets: the seed's nine and Sandberg's seat.
        assert_eq!(page["ties_total"], 10, "{id}");
        assert!(
            page["aliases"]
                .as_array()
                .unwrap()
                .contains(&"Meta Platforms, Inc.".into())
        );
    }
    // Searching finds one entity under either name.
    let found: serde_json::Value = reqwest::blocking::get(server.url("/api/search?q=meta"))
        .unwrap()
        .json()
        .unwrap();
    let ids: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["facebook"]);
    // The network and centrality name what each node was merged from.
    let merged_into_facebook = |nodes: &serde_json::Value| {
        let facebook = nodes
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == "facebook")
            .expect("Facebook is listed")
            .clone();
        assert!(
            nodes
                .as_array()
                .unwrap()
                .iter()
                .all(|n| n["id"] != "meta-platforms")
        );
        facebook["merged"].clone()
    };
    let meta = serde_json::json!([{
        "iri": "https://w3id.org/interlock/id/meta-platforms",
        "id": "meta-platforms",
        "label": "Meta Platforms, Inc."
    }]);
    let get = |path: &str| -> serde_json::Value {
        reqwest::blocking::get(server.url(path))
            .unwrap()
            .json()
            .unwrap()
    };
    let network = get("/api/network?around=meta-platforms");
    assert_eq!(merged_into_facebook(&network["nodes"]), meta);
    assert_eq!(network["nodes"][0]["id"], "facebook");
    let central = get("/api/centrality?measure=degree&top=50");
    assert_eq!(merged_into_facebook(&central), meta);
    // An entity merged with nothing says nothing of it.
    assert!(
        network["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["id"] != "facebook")
            .all(|n| n.get("merged").is_none())
    );
}

#[test]
fn decisions_merge_and_keep_apart() {
    // No shared identifier: a decision merges them.
    let store = seed_and(META_WITHOUT_WIKIDATA);
    let dir = store.path();
    let out = decide(
        dir,
        "[[decision]]\nsame = [\"facebook\", \"meta-platforms\"]\nby = \"A. Reporter\"\non = \"2026-11-30\"\nwhy = \"Facebook, Inc. renamed itself Meta Platforms in 2021\"\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(same_as(dir), [["meta-platforms", "facebook"]]);
    assert_eq!(chains(dir, "reed-hastings", "sheryl-sandberg"), 9);
    // Who decided, when and why are in the dataset's graph.
    let said = select(
        dir,
        "SELECT ?by ?on ?why WHERE { GRAPH ?g { ?d a <https://w3id.org/interlock/ontology#SameEntityDecision> ; \
         <http://purl.org/dc/terms/creator> ?by ; <http://purl.org/dc/terms/date> ?on ; \
         <http://www.w3.org/2000/01/rdf-schema#comment> ?why } }",
    );
    assert_eq!(
        said,
        [[
            "A. Reporter",
            "2026-11-30",
            "Facebook, Inc. renamed itself Meta Platforms in 2021"
        ]]
    );

    // A shared identifier merges them; a not-same decision undoes it.
    import_meta(dir, META);
    let out = decide(
        dir,
        "[[decision]]\nnot_same = [\"facebook\", \"meta-platforms\"]\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(same_as(dir).is_empty());
    assert_eq!(chains(dir, "reed-hastings", "sheryl-sandberg"), 0);

    // Taking the decision back merges them again.
    let out = decide(dir, "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(same_as(dir), [["meta-platforms", "facebook"]]);
}

#[test]
fn decisions_that_cannot_stand_are_located_and_load_nothing() {
    let store = seed_and(META_WITHOUT_WIKIDATA);
    let dir = store.path();
    let before = snapshot(dir);
    let cases = [
        (
            "[[decision]]\nsame = [\"facebook\", \"meta-platforms\"]\n\n\
             [[decision]]\nsame = [\"meta-platforms\", \"netflix\"]\n\n\
             [[decision]]\nnot_same = [\"facebook\", \"netflix\"]\n",
            "same-as.toml:11:1: decision 3 of same-as: 'facebook' and 'netflix' cannot be different: \
             other decisions make them the same: 'facebook' = 'meta-platforms' (decision 1 of same-as), \
             'meta-platforms' = 'netflix' (decision 2 of same-as)",
        ),
        (
            "[[decision]]\nsame = [\"facebook\", \"nobody\"]\n",
            "same-as.toml:5:1: decision 1 of same-as: 'nobody' is not an entity of any dataset",
        ),
        (
            "[[decision]]\nsame = [\"facebook\"]\n",
            "same-as.toml:6:8: a decision names exactly two entities, not 1",
        ),
        (
            "[[decision]]\nsame = [\"facebook\", \"netflix\"]\nnot_same = [\"a\", \"b\"]\n",
            "same-as.toml:5:1: a decision needs exactly one of",
        ),
    ];
    for (decisions, expected) in cases {
        let out = decide(dir, decisions);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{decisions}");
        assert!(
            stderr.contains(expected),
            "{decisions}\nexpected {expected}\ngot {stderr}"
        );
        assert!(stderr.contains("nothing was loaded"), "{stderr}");
        assert_eq!(snapshot(dir), before, "{decisions}");
    }
}

#[test]
fn no_dataset_takes_the_identity_graphs_name() {
    let store = tempfile::tempdir().unwrap();
    let file = store.path().join("identity.toml");
    std::fs::write(
        &file,
        "[dataset]\nid = \"identity\"\ntitle = { en = \"Mine\" }\n",
    )
    .unwrap();
    let out = interlock(store.path(), &["load", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("identity.toml:1:1: dataset id 'identity' is reserved"),
        "{stderr}"
    );
}

#[test]
fn the_identity_query_follows_the_merge() {
    let store = seed_and(META);
    let query = std::fs::read_to_string(project("queries/same-entity.rq")).unwrap();
    let rows = select(store.path(), &query);
    assert_eq!(
        rows,
        common::rows(&[
            &[
                "https://w3id.org/interlock/id/facebook",
                "https://w3id.org/interlock/id/facebook",
                "Facebook",
                "netflix-facebook"
            ],
            &[
                "https://w3id.org/interlock/id/facebook",
                "https://w3id.org/interlock/id/meta-platforms",
                "Meta Platforms, Inc.",
                "meta"
            ],
        ])
    );
}
