//! `interlock generate`: the same seed gives the same world, the world is
//! valid input, and it is skewed like real ones.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{interlock, interlock_ok, select};
use std::collections::HashMap;

fn generate(dir: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["generate"];
    all.extend(args);
    let out = interlock(dir, &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn the_same_seed_gives_the_same_world() {
    let dir = tempfile::tempdir().unwrap();
    let a = generate(dir.path(), &["--relationships", "500", "--seed", "7"]);
    let b = generate(dir.path(), &["--relationships", "500", "--seed", "7"]);
    let c = generate(dir.path(), &["--relationships", "500", "--seed", "8"]);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a.len() > 10_000);
}

#[test]
fn a_generated_world_loads_and_is_skewed() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world.nq");
    let timeline = dir.path().join("world.toml");
    interlock_ok(
        dir.path(),
        &[
            "generate",
            "--relationships",
            "3000",
            "--seed",
            "3",
            "-o",
            world.to_str().unwrap(),
        ],
    );
    interlock_ok(
        dir.path(),
        &[
            "generate",
            "--relationships",
            "300",
            "--format",
            "timeline",
            "-o",
            timeline.to_str().unwrap(),
        ],
    );
    // The timeline is a valid timeline file: every date, kind and reference checks.
    let checked = interlock_ok(dir.path(), &["check", timeline.to_str().unwrap()]);
    assert!(checked.contains("300 relationships"), "{checked}");

    interlock_ok(dir.path(), &["load", world.to_str().unwrap()]);
    let rows = select(
        dir.path(),
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT ?o (COUNT(?r) AS ?n) WHERE { ?r a il:BoardMembership ; il:object ?o }
         GROUP BY ?o ORDER BY DESC(?n)",
    );
    let counts: Vec<usize> = rows.iter().map(|r| r[1].parse().unwrap()).collect();
    let seats: usize = counts.iter().sum();
    assert!(seats > 1200, "about 55% of 3000 are board seats: {seats}");
    // A few hubs: the biggest board has many times the median's seats.
    let median = counts[counts.len() / 2];
    assert!(counts[0] >= 20 * median.max(1), "{:?}", &counts[..5]);

    // Every analysis runs on it.
    let central: serde_json::Value = serde_json::from_str(&interlock_ok(
        dir.path(),
        &["centrality", "--top", "3", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(central[0]["id"], "company-0");
    let stats: serde_json::Value =
        serde_json::from_str(&interlock_ok(dir.path(), &["stats", "--format", "json"])).unwrap();
    let by_year: HashMap<i64, u64> = stats
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_i64().unwrap(), y["edges"].as_u64().unwrap()))
        .collect();
    assert!(by_year[&2010] > 100, "{by_year:?}");
}
