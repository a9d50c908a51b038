//! The RDF shape is a contract between the writer (`interlock-load`) and
//! the reader (the projection): a dataset written as quads into a store and
//! projected gives back its entities, relationships, intervals and evidence.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

use interlock_graph::{Filter, Projection};
use interlock_load::{IriBase, dataset_input, parse_timeline};
use interlock_model::Dataset;
use interlock_store::Store;
use std::path::Path;

fn seed() -> Dataset {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/netflix-facebook.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    parse_timeline(&path, &text).unwrap()
}

fn projected(dataset: &Dataset) -> Projection {
    let base = IriBase::new(interlock_model::vocab::DEFAULT_BASE).unwrap();
    let store = Store::in_memory();
    let input = dataset_input(Path::new("seed.toml"), dataset.clone(), &base);
    store.replace(&[input], &|_| {}).unwrap();
    Projection::build(&store, &Filter::default()).unwrap()
}

#[test]
fn a_dataset_projects_back_to_itself() {
    let dataset = seed();
    let p = projected(&dataset);

    assert_eq!(p.graph.node_count(), dataset.entities.len());
    for e in &dataset.entities {
        let node = &p.graph[p.node(&e.id).unwrap_or_else(|| panic!("{}", e.id))];
        assert_eq!(node.kind, e.kind.term(), "{}", e.id);
        assert_eq!(
            Some(&node.label),
            e.names.get(&Some("en".into())),
            "{}",
            e.id
        );
    }

    let titles = |id: &str| {
        let s = dataset.sources.iter().find(|s| s.id == id).unwrap();
        s.title.clone()
    };
    // Every relationship is an edge (an undated one with an unbounded interval).
    assert_eq!(p.graph.edge_count(), dataset.relationships.len());
    for r in &dataset.relationships {
        let edge = p
            .graph
            .edge_indices()
            .find(|&e| p.graph[e].id == r.id)
            .unwrap_or_else(|| panic!("relationship {} is projected", r.id));
        let (s, o) = p.graph.edge_endpoints(edge).unwrap();
        assert_eq!(
            (p.graph[s].id.as_str(), p.graph[o].id.as_str()),
            (r.subject.as_str(), r.object.as_str())
        );
        let e = &p.graph[edge];
        assert_eq!(e.kind, r.kind, "{}", r.id);
        assert_eq!(e.status, r.status, "{}", r.id);
        assert_eq!(e.interval, r.interval(), "{}", r.id);
        assert_eq!(
            e.time,
            r.during.as_ref().map(|d| d.text.clone()),
            "{}",
            r.id
        );
        let mut want: Vec<(String, Option<String>, String)> = r
            .evidence
            .iter()
            .map(|v| {
                (
                    titles(&v.source),
                    v.attributed_to.as_deref().map(titles),
                    v.quote.clone(),
                )
            })
            .collect();
        let mut got: Vec<(String, Option<String>, String)> = e
            .evidence
            .iter()
            .map(|v| (v.source.clone(), v.attributed_to.clone(), v.quote.clone()))
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{}", r.id);
    }
}

#[test]
fn a_windowed_projection_is_a_snapshot_of_the_full_one() {
    let dataset = seed();
    let p = projected(&dataset);
    let window = interlock_model::time::DateRange::new(
        chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2021, 12, 31).unwrap(),
    );
    let snapshot = p.filtered(&Filter::window(window));
    assert!(snapshot.graph.edge_count() < p.graph.edge_count());
    for e in snapshot.graph.edge_weights() {
        assert!(
            Filter::window(window).keeps_interval(&e.interval),
            "{}",
            e.id
        );
    }
    // Only entities with a tie in the window are left.
    for n in snapshot.graph.node_indices() {
        assert!(snapshot.graph.neighbors_undirected(n).next().is_some());
    }
}
