//! What was known when (issue 15): `--known-by D` on the analyses and
//! `known_by=` in the API count only claims a source had definitely
//! published by D, and say how many were left out for want of a dated
//! source. The fixture's five ties are described in its header.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{Server, interlock, interlock_ok, project, rows, select};

const FIXTURE: &str = "tests/data/record-time/record-time.toml";

fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = project(FIXTURE);
    interlock_ok(dir.path(), &["load", fixture.to_str().unwrap()]);
    dir
}

/// The relationship ids the CSV export holds, sorted, and what it said on standard error.
fn exported(store: &std::path::Path, known_by: Option<&str>) -> (Vec<String>, String) {
    let file = store.join("edges.csv");
    let mut args = vec!["export", "--format", "csv", "-o", file.to_str().unwrap()];
    args.extend(known_by.iter().flat_map(|d| ["--known-by", d]));
    let out = interlock(store, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let mut ids: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .collect();
    ids.sort();
    (ids, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn known_by_counts_only_claims_surely_published_by_then() {
    let store = store();
    let dir = store.path();
    // (date, ties kept, the note on the undated leaflet's claim)
    let cases: [(Option<&str>, &[&str], bool); 5] = [
        (None, &["ab", "ad", "bc", "bd", "cd"], false),
        // Only the 2012 article: its own claim, and the one the 2018 report attributes to it.
        (Some("2015"), &["ab", "bd"], true),
        // "2016 or before" is surely published only once 2016 is over.
        (Some("2016-06"), &["ab", "bd"], true),
        (Some("2016"), &["ab", "ad", "bd"], true),
        (Some("2011"), &[], true),
    ];
    for (known_by, expected, noted) in cases {
        let (ids, stderr) = exported(dir, known_by);
        assert_eq!(ids, expected, "--known-by {known_by:?}");
        assert_eq!(
            stderr.contains("note: 1 claim left out: none of its sources has a publication date"),
            noted,
            "{known_by:?}: {stderr}"
        );
    }
}

#[test]
fn every_analysis_takes_known_by() {
    let store = store();
    let dir = store.path();
    let chains = |from: &str, to: &str, known_by: &str| -> usize {
        let out = interlock_ok(
            dir,
            &[
                "links",
                from,
                to,
                "--known-by",
                known_by,
                "--format",
                "json",
            ],
        );
        serde_json::from_str::<Vec<serde_json::Value>>(&out)
            .unwrap()
            .len()
    };
    // Gamma's ties became public in 2018 (Beth Ames) or never surely (Delta).
    assert_eq!(chains("alpha-ltd", "gamma-plc", "2015"), 0);
    // By 2018: through Beth Ames, and through Delta (public by 2016) and her.
    assert_eq!(chains("alpha-ltd", "gamma-plc", "2018"), 2);
    let central = interlock_ok(
        dir,
        &["centrality", "--known-by", "2015", "--format", "csv"],
    );
    // Gamma is tied to no claim public by then: the least central.
    assert!(
        central.starts_with("entity,label,score\nbeth-ames,"),
        "{central}"
    );
    assert!(
        central.trim_end().ends_with("gamma-plc,Gamma plc,0.000000"),
        "{central}"
    );
    for args in [
        vec!["interlocks", "--known-by", "2015"],
        vec!["reach", "beth-ames", "--known-by", "2015"],
        vec!["stats", "--known-by", "2015"],
        vec!["timeline", "--known-by", "2015"],
    ] {
        let out = interlock(dir, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(stderr.contains("1 claim left out"), "{args:?}: {stderr}");
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("gamma"),
            "{args:?}"
        );
    }
    // A date that is not one is refused, naming the option.
    let out = interlock(dir, &["stats", "--known-by", "last year"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("known_by"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_api_answers_known_by_and_says_what_it_left_out() {
    let store = store();
    let server = Server::start_in(store.path(), &[], &[]);
    let get = |path: &str| reqwest::blocking::get(server.url(path)).unwrap();
    let answer = get("/api/links?from=beth-ames&to=delta-asa&known_by=2015");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["interlock-undated-left-out"], "1");
    let chains: Vec<serde_json::Value> = answer.json().unwrap();
    // Only her seat at Delta, public by 2012; not through Alpha (2016 or before) or Gamma.
    assert_eq!(chains.len(), 1);
    assert_eq!(chains[0]["steps"][0]["id"], "bd");

    let gexf = get("/api/export/gexf?known_by=2015");
    assert_eq!(gexf.headers()["interlock-undated-left-out"], "1");
    let gexf = gexf.text().unwrap();
    assert!(gexf.contains("id=\"bd\""), "{gexf}");
    assert!(
        !gexf.contains("id=\"bc\"") && !gexf.contains("id=\"cd\""),
        "{gexf}"
    );
    // Without known_by, nothing is left out and no header says so.
    let all = get("/api/links?from=beth-ames&to=delta-asa");
    assert!(all.headers().get("interlock-undated-left-out").is_none());
    assert_eq!(all.json::<Vec<serde_json::Value>>().unwrap().len(), 3);
    assert_eq!(get("/api/stats?known_by=soon").status(), 400);

    // The network as known by 2015: every entity is still there, only her
    // seats at Alpha and Delta tie them.
    let network = get("/api/network?around=beth-ames&known_by=2015");
    assert_eq!(network.headers()["interlock-undated-left-out"], "1");
    let network: serde_json::Value = network.json().unwrap();
    let mut ties: Vec<&str> = network["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    ties.sort();
    assert_eq!(ties, ["ab", "bd"]);
    let alone: serde_json::Value = get("/api/network?around=gamma-plc&known_by=2015")
        .json()
        .unwrap();
    assert_eq!(alone["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(alone["edges"], serde_json::json!([]));
}

#[test]
fn the_known_by_query_answers_over_plain_sparql() {
    let store = store();
    let query = std::fs::read_to_string(project("queries/known-by.rq")).unwrap();
    assert_eq!(
        select(store.path(), &query),
        rows(&[
            &["ab", "2012-03-01"],
            &["bd", "2012-03-01"],
            &["ad", "2016-12-31"],
            &["bc", "2018-12-31"],
        ])
    );
    let by_2015 = query.replace("2021-12-31", "2015-12-31");
    assert_eq!(
        select(store.path(), &by_2015),
        rows(&[&["ab", "2012-03-01"], &["bd", "2012-03-01"]])
    );
}

#[test]
fn the_timeline_shows_when_each_claim_became_public() {
    let store = store();
    let out = interlock_ok(store.path(), &["timeline", "--record", "--format", "csv"]);
    let starts: Vec<&str> = out.lines().filter(|l| l.contains(",start,")).collect();
    assert_eq!(
        starts,
        [
            "2010,2016-12-31,start,Alpha owns Delta,reported,A web page of 2016 or before",
            "2010,2012-03-01,start,Beth Ames on Alpha's board,reported,The 2012 article",
            "2010,2012-03-01,start,Beth Ames on Delta's board,reported,The 2012 article",
            "2010,2018-12-31,start,Beth Ames on Gamma's board,reported,The 2018 report",
            "2010,unknown,start,Gamma owns Delta,reported,An undated leaflet",
        ]
    );
    let server = Server::start_in(store.path(), &[], &[]);
    let entries: Vec<serde_json::Value> =
        reqwest::blocking::get(server.url("/api/timeline?entities=gamma-plc"))
            .unwrap()
            .json()
            .unwrap();
    let public: Vec<(&str, &serde_json::Value)> = entries
        .iter()
        .filter(|e| e["what"] == "start")
        .map(|e| (e["id"].as_str().unwrap(), &e["public_by"]))
        .collect();
    assert_eq!(
        public,
        [
            ("bc", &serde_json::json!("2018-12-31")),
            ("cd", &serde_json::Value::Null)
        ]
    );
}
