//! `links` and `interlocks` on the seed, from the CLI and from the JSON API.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{Server, interlock, interlock_ok, seeded_store};

fn chains(json: &serde_json::Value) -> Vec<(Vec<String>, String, String, String)> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let ids = l["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap().to_string())
                .collect();
            let w = &l["window"];
            let side = |v: &serde_json::Value| v.as_str().unwrap_or("..").to_string();
            (
                ids,
                format!("{}/{}", side(&w["possibly_from"]), side(&w["possibly_to"])),
                format!(
                    "{}/{}",
                    side(&w["definitely_from"]),
                    side(&w["definitely_to"])
                ),
                l["certainty"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn links_netflix_facebook_gives_every_chain_with_its_window() {
    let store = seeded_store();
    let out = interlock_ok(
        store.path(),
        &["links", "netflix", "facebook", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got = chains(&json);
    // Shortest first, then by start: undated and open-started ties, then 2011, then 2013-08.
    let ids: Vec<String> = got.iter().map(|c| c.0.join("+")).collect();
    assert_eq!(
        ids,
        [
            "facebook-extended-api-agreements",
            "inbox-api-agreement",
            "netflix-facebook-ad-spend",
            "netflix-facebook-close-relationship",
            "netflix-facebook-private-data-exchange",
            "netflix-paid-facebook-100m",
            "netflix-facebook-integration-2011",
            "titan-api-access",
            "hastings-netflix-ceo+hastings-facebook-board",
        ]
    );
    // A single relationship always held at some time; its window is its own interval.
    assert!(got[..8].iter().all(|c| c.3 == "definitely"));
    assert_eq!(
        (got[6].1.as_str(), got[6].2.as_str()),
        ("2011-01-01/..", "../..")
    );
    assert_eq!(got[7].1, "2013-08-01/..");
    // The board interlock through Reed Hastings, while he was Netflix's CEO.
    assert_eq!(
        (got[8].1.as_str(), got[8].2.as_str(), got[8].3.as_str()),
        (
            "2011-01-01/2019-12-31",
            "2011-12-31/2019-01-01",
            "definitely"
        )
    );
    // Evidence comes along: the Hastings chain cites the Forbes report.
    let hastings = &json[8]["steps"];
    assert_eq!(hastings[0]["from"], "netflix");
    assert_eq!(hastings[0]["forward"], false);
    assert_eq!(hastings[0]["role"], "CEO");
    assert_eq!(hastings[1]["evidence"][0]["attributed_to"], "Forbes report");
    assert_eq!(hastings[1]["time"], "2011/2019");

    let table = interlock_ok(store.path(), &["links", "netflix", "facebook"]);
    assert!(
        table.contains(
            "netflix <-[hastings-netflix-ceo] reed-hastings ->[hastings-facebook-board] facebook"
        ),
        "{table}"
    );
    assert!(table.trim_end().ends_with("(9 rows)"), "{table}");
}

#[test]
fn links_at_a_date_say_what_definitely_held_then() {
    let store = seeded_store();
    let out = interlock_ok(
        store.path(),
        &[
            "links", "netflix", "facebook", "--at", "2013-09", "--format", "json",
        ],
    );
    let got = chains(&serde_json::from_str(&out).unwrap());
    let certainty: Vec<(String, String)> =
        got.iter().map(|c| (c.0.join("+"), c.3.clone())).collect();
    assert_eq!(certainty.iter().filter(|c| c.1 == "possibly").count(), 8);
    // The surest chain first, though it is longer than the direct ties.
    assert_eq!(
        certainty[0],
        (
            "hastings-netflix-ceo+hastings-facebook-board".to_string(),
            "definitely".to_string()
        )
    );

    // In 2005 only the undated or open-started ties may have held; the integration (2011) could not.
    let out = interlock_ok(
        store.path(),
        &[
            "links", "netflix", "facebook", "--at", "2005", "--format", "json",
        ],
    );
    let ids: Vec<String> = chains(&serde_json::from_str(&out).unwrap())
        .into_iter()
        .map(|c| c.0.join("+"))
        .collect();
    assert!(
        !ids.contains(&"netflix-facebook-integration-2011".to_string()),
        "{ids:?}"
    );
    assert!(!ids.contains(&"titan-api-access".to_string()));
    assert!(!ids.contains(&"hastings-netflix-ceo+hastings-facebook-board".to_string()));

    let out = interlock(store.path(), &["links", "netflix", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no entity 'nobody'"));
    let out = interlock(
        store.path(),
        &["links", "netflix", "facebook", "--at", "2013-13"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at: '2013-13' is not a date"));
}

#[test]
fn interlocks_need_overlapping_seats() {
    let store = seeded_store();
    let out = interlock_ok(store.path(), &["interlocks", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    let i = &json[0];
    assert_eq!(i["through"], "reed-hastings");
    assert_eq!(
        (i["a"].as_str(), i["b"].as_str()),
        (Some("facebook"), Some("netflix"))
    );
    assert_eq!(i["position_a"], "hastings-facebook-board");
    assert_eq!(i["window"]["possibly_from"], "2011-01-01");
    assert_eq!(i["window"]["possibly_to"], "2019-12-31");
    assert_eq!(i["certainty"], "definitely");
    // After 2019 the board seat had ended: no interlock.
    let out = interlock_ok(
        store.path(),
        &["interlocks", "--at", "2021", "--format", "json"],
    );
    assert_eq!(out.trim(), "[]");
    let csv = interlock_ok(store.path(), &["interlocks", "--format", "csv"]);
    assert_eq!(
        csv.lines().nth(1).unwrap(),
        "Reed Hastings,Facebook,Netflix,2011-01-01/2019-12-31,definitely,reed-hastings,facebook,netflix,hastings-facebook-board,hastings-netflix-ceo"
    );
}

#[test]
fn the_api_gives_the_same_answers_as_the_cli() {
    let store = seeded_store();
    let cli_links: serde_json::Value = serde_json::from_str(&interlock_ok(
        store.path(),
        &[
            "links", "netflix", "facebook", "--at", "2013-09", "--format", "json",
        ],
    ))
    .unwrap();
    let cli_interlocks: serde_json::Value = serde_json::from_str(&interlock_ok(
        store.path(),
        &["interlocks", "--format", "json"],
    ))
    .unwrap();
    let cli_centrality: serde_json::Value = serde_json::from_str(&interlock_ok(
        store.path(),
        &[
            "centrality",
            "--measure",
            "pagerank",
            "--top",
            "5",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let cli_gexf = interlock_ok(
        store.path(),
        &["export", "--format", "gexf", "--at", "2013-09"],
    );
    let server = Server::start_in(store.path(), &[], &[]);
    let c = reqwest::blocking::Client::new();
    let api_links: serde_json::Value = c
        .get(server.url("/api/links"))
        .query(&[("from", "netflix"), ("to", "facebook"), ("at", "2013-09")])
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(api_links, cli_links);
    let api_interlocks: serde_json::Value = c
        .get(server.url("/api/interlocks"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(api_interlocks, cli_interlocks);
    let api_centrality: serde_json::Value = c
        .get(server.url("/api/centrality"))
        .query(&[("measure", "pagerank"), ("top", "5")])
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(api_centrality, cli_centrality);
    let r = c
        .get(server.url("/api/export/gexf"))
        .query(&[("at", "2013-09")])
        .send()
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/gexf+xml");
    assert_eq!(r.text().unwrap(), cli_gexf);
    let r = c.get(server.url("/api/export/pdf")).send().unwrap();
    assert_eq!(r.status(), 404);
    let r = c
        .get(server.url("/api/centrality"))
        .query(&[("measure", "fame")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = c
        .get(server.url("/api/links"))
        .query(&[("from", "netflix"), ("to", "nobody")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = c
        .get(server.url("/api/links"))
        .query(&[("from", "netflix"), ("to", "facebook"), ("at", "someday")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[test]
fn centrality_on_the_seed() {
    let store = seeded_store();
    let scores = |measure: &str| -> Vec<(String, f64)> {
        let out = interlock_ok(
            store.path(),
            &[
                "centrality",
                "--measure",
                measure,
                "--top",
                "3",
                "--format",
                "json",
            ],
        );
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["id"].as_str().unwrap().to_string(),
                    s["score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    // Seven entities; ties: netflix–facebook, netflix–reed-hastings,
    // reed-hastings–facebook, netflix–us-congress; the three APIs stand alone.
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let degree = scores("degree");
    assert_eq!(degree[0].0, "netflix");
    assert!(close(degree[0].1, 3.0 / 6.0));
    assert!(close(degree[1].1, 2.0 / 6.0) && degree[1].0 == "facebook");
    let betweenness = scores("betweenness");
    assert_eq!(betweenness[0].0, "netflix");
    assert!(close(betweenness[0].1, 2.0 / 15.0), "{betweenness:?}");
    // In 2021 the board seat (2011/2019) is over; the CEO role ("at least to
    // 2019") may go on, so Reed Hastings keeps one tie of three possible: the
    // snapshot holds only the four entities still (possibly) tied.
    let out = interlock_ok(
        store.path(),
        &["centrality", "--at", "2021", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hastings = json
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "reed-hastings")
        .unwrap();
    assert!(
        close(hastings["score"].as_f64().unwrap(), 1.0 / 3.0),
        "{hastings}"
    );
}

#[test]
fn timeline_shows_dates_as_stated_in_order() {
    let store = seeded_store();
    let out = interlock_ok(
        store.path(),
        &["timeline", "netflix", "facebook", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows: Vec<(String, String, String)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["date"].as_str().unwrap().to_string(),
                e["what"].as_str().unwrap().to_string(),
                e["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("2011", "start", "netflix-facebook-integration-2011"),
        ("2011", "start", "hastings-facebook-board"),
        ("2011", "event", "netflix-announces-facebook-integration"),
        ("by 2011", "start", "hastings-netflix-ceo"),
        ("2013-08", "start", "titan-api-access"),
        ("by 2013", "start", "facebook-extended-api-agreements"),
        ("by 2013", "start", "inbox-api-agreement"),
        ("2019", "end", "hastings-facebook-board"),
        ("2019 or later", "end", "hastings-netflix-ceo"),
        ("by ~2019-01", "start", "netflix-facebook-ad-spend"),
        ("2021-10-28", "event", "facebook-renamed-meta"),
        (
            "date unknown",
            "undated",
            "netflix-facebook-close-relationship",
        ),
        (
            "date unknown",
            "undated",
            "netflix-facebook-private-data-exchange",
        ),
        ("date unknown", "undated", "netflix-lobbies-congress"),
        ("date unknown", "undated", "netflix-paid-facebook-100m"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(rows, want);
    assert_eq!(json[3]["sources"][0], "Forbes report");

    // A window keeps what may fall in it: "by ~2019-01" may be 2013 too.
    let out = interlock_ok(
        store.path(),
        &[
            "timeline", "--from", "2013", "--to", "2013", "--format", "json",
        ],
    );
    let ids: Vec<String> = serde_json::from_str::<serde_json::Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "titan-api-access",
            "facebook-extended-api-agreements",
            "inbox-api-agreement",
            "netflix-facebook-ad-spend"
        ]
    );

    let server = Server::start_in(store.path(), &[], &[]);
    let api: serde_json::Value = reqwest::blocking::Client::new()
        .get(server.url("/api/timeline"))
        .query(&[("entities", "netflix,facebook")])
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(api, json);
}

#[test]
fn the_openapi_document_describes_every_api_route() {
    let store = seeded_store();
    let server = Server::start_in(store.path(), &[], &[]);
    let c = reqwest::blocking::Client::new();
    let doc: serde_json::Value = c
        .get(server.url("/api/openapi.json"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/links",
        "/api/interlocks",
        "/api/centrality",
        "/api/timeline",
        "/api/reach",
        "/api/stats",
        "/api/export/{format}",
        "/sparql",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is not described"
        );
        // …and the route answers.
        let url = server.url(&path.replace("{format}", "dot"));
        let query: &[(&str, &str)] = match path {
            "/api/links" => &[("from", "netflix"), ("to", "facebook")],
            "/api/reach" => &[("start", "netflix")],
            _ => &[],
        };
        let r = c.get(url).query(query).send().unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
}

/// a –[2010/2011]– b –[2012/2013]– c –[2005/2006]– d, and a –[2011?/2012]– d
/// (started 2010, 2011 or 2012: only possibly held before 2012).
fn chain_store() -> tempfile::TempDir {
    let store = tempfile::tempdir().unwrap();
    let mut toml = String::from("[dataset]\nid = \"chain\"\ntitle = { en = \"chain\" }\n\n");
    for e in ["a", "b", "c", "d"] {
        toml.push_str(&format!(
            "[[entity]]\nid = \"{e}\"\nkind = \"company\"\nname = {{ en = \"{e}\" }}\n\n"
        ));
    }
    toml.push_str(
        "[[source]]\nid = \"s\"\nkind = \"report\"\ntitle = \"t\"\nlanguage = \"en\"\n\n",
    );
    for (id, s, o, during) in [
        ("ab", "a", "b", "2010/2011"),
        ("bc", "b", "c", "2012/2013"),
        ("cd", "c", "d", "2005/2006"),
        ("ad", "a", "d", "2011?/2012"),
    ] {
        toml.push_str(&format!(
            "[[relationship]]\nid = \"{id}\"\nkind = \"partnership\"\nsubject = \"{s}\"\nobject = \"{o}\"\nduring = \"{during}\"\nstatus = \"reported\"\n\n[[relationship.evidence]]\nsource = \"s\"\nquote = \"q\"\n\n"
        ));
    }
    let path = store.path().join("chain.toml");
    std::fs::write(&path, toml).unwrap();
    interlock_ok(store.path(), &["load", path.to_str().unwrap()]);
    store
}

#[test]
fn reach_follows_ties_in_time_order() {
    let store = chain_store();
    let reach = |args: &[&str]| -> Vec<(String, String, u64)> {
        let mut all = vec!["reach"];
        all.extend(args);
        all.extend(["--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&interlock_ok(store.path(), &all)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["id"].as_str().unwrap().to_string(),
                    a["earliest"].as_str().unwrap_or("any time").to_string(),
                    a["hops"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let owned = |v: &[(&str, &str, u64)]| -> Vec<(String, String, u64)> {
        v.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
            .collect()
    };
    assert_eq!(
        reach(&["a", "--from", "2009"]),
        owned(&[
            ("a", "2009-01-01", 0),
            ("b", "2010-01-01", 1),
            ("d", "2010-01-01", 1),
            ("c", "2012-01-01", 2)
        ])
    );
    // Backwards in time is no path: from c in 2012, a's tie with b had ended.
    assert_eq!(
        reach(&["c", "--from", "2012-06"]),
        owned(&[("c", "2012-06-01", 0), ("b", "2012-06-01", 1)])
    );
    // With no start date, d is reached through its own (early) tie.
    assert!(
        reach(&["c"])
            .iter()
            .any(|r| r.0 == "d" && r.1 == "2005-01-01")
    );
}

#[test]
fn stats_count_each_year_what_held_in_it() {
    let store = chain_store();
    let json: serde_json::Value =
        serde_json::from_str(&interlock_ok(store.path(), &["stats", "--format", "json"])).unwrap();
    let rows: Vec<(i64, u64, u64, u64, u64, f64)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["year"].as_i64().unwrap(),
                y["nodes"].as_u64().unwrap(),
                y["edges"].as_u64().unwrap(),
                y["definite_edges"].as_u64().unwrap(),
                y["components"].as_u64().unwrap(),
                y["density"].as_f64().unwrap(),
            )
        })
        .collect();
    // Counted by hand from the four ties of chain_store().
    let expected = vec![
        (2005, 2, 1, 1, 1, 1.0),
        (2006, 2, 1, 1, 1, 1.0),
        (2007, 0, 0, 0, 0, 0.0),
        (2008, 0, 0, 0, 0, 0.0),
        (2009, 0, 0, 0, 0, 0.0),
        // ab certainly; ad possibly (it may have started in 2010).
        (2010, 3, 2, 1, 1, 2.0 / 3.0),
        (2011, 3, 2, 1, 1, 2.0 / 3.0),
        // bc, and ad which ended in 2012 whenever it began: a-d and b-c apart.
        (2012, 4, 2, 2, 2, 2.0 / 6.0),
        (2013, 2, 1, 1, 1, 1.0),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:?}");
    for (got, want) in rows.iter().zip(&expected) {
        assert_eq!(got.0, want.0);
        assert_eq!(
            (got.1, got.2, got.3, got.4),
            (want.1, want.2, want.3, want.4),
            "{}",
            got.0
        );
        assert!(
            (got.5 - want.5).abs() < 1e-12,
            "{} density {}",
            got.0,
            got.5
        );
    }

    let table = interlock_ok(store.path(), &["stats", "--from", "2012", "--to", "2012"]);
    assert!(
        table.contains("2012  4      2      2               2           0.333333"),
        "{table}"
    );
    // A span that ends before it starts holds no year, as the API's
    // document says (any two years in range are a valid request).
    let out = interlock_ok(store.path(), &["stats", "--from", "2013", "--to", "2012"]);
    assert!(out.contains("(0 rows)"), "{out}");

    let cli_reach: serde_json::Value = serde_json::from_str(&interlock_ok(
        store.path(),
        &["reach", "a", "--from", "2009", "--format", "json"],
    ))
    .unwrap();
    let server = Server::start_in(store.path(), &[], &[]);
    let c = reqwest::blocking::Client::new();
    let api: serde_json::Value = c
        .get(server.url("/api/stats"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(api, json);
    let r = c
        .get(server.url("/api/stats"))
        .query(&[("from", "0"), ("to", "10000")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .unwrap()
            .contains("to must be from -9999 to 9999, not 10000")
    );
    let api_reach: serde_json::Value = c
        .get(server.url("/api/reach"))
        .query(&[("start", "a"), ("from", "2009")])
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(api_reach, cli_reach);
    let r = c
        .get(server.url("/api/reach"))
        .query(&[("start", "z")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[test]
fn the_api_keeps_its_projection_until_a_write() {
    // The projection is built once and kept; a write through the server
    // (Graph Store Protocol or SPARQL Update) makes the next answer fresh.
    let token = "a-test-token-0123456789";
    let server = Server::writable(token, &[]);
    let c = reqwest::blocking::Client::new();
    let people = |c: &reqwest::blocking::Client| -> Vec<String> {
        let v: serde_json::Value = c
            .get(server.url("/api/centrality"))
            .query(&[("measure", "degree"), ("kind", "person")])
            .send()
            .unwrap()
            .json()
            .unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    let before = people(&c);
    assert!(before.contains(&"reed-hastings".to_string()), "{before:?}");
    assert_eq!(people(&c), before, "the kept projection answers the same");
    // A new director on Facebook's board, written with SPARQL Update.
    let insert = "PREFIX il: <https://w3id.org/interlock/ontology#>
PREFIX id: <https://w3id.org/interlock/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA { GRAPH <http://example.org/extra> {
  id:jane-doe a il:Person ; rdfs:label \"Jane Doe\" .
  id:jane-seat a il:BoardMembership ; il:subject id:jane-doe ; il:object id:facebook ;
    il:startEarliest \"2015-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> ;
    il:startLatest \"2015-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> ;
    il:endEarliest \"2016-12-31\"^^<http://www.w3.org/2001/XMLSchema#date> ;
    il:endLatest \"2016-12-31\"^^<http://www.w3.org/2001/XMLSchema#date> .
} }";
    let r = c
        .post(server.url("/update"))
        .bearer_auth(token)
        .header("Content-Type", "application/sparql-update")
        .body(insert)
        .send()
        .unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().unwrap());
    let after = people(&c);
    assert!(after.contains(&"jane-doe".to_string()), "{after:?}");
    // The seed's graph deleted with the Graph Store Protocol: Hastings goes.
    let r = c
        .delete(server.url("/store"))
        .query(&[(
            "graph",
            "https://w3id.org/interlock/id/graph/netflix-facebook",
        )])
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(r.status(), 204);
    let last = people(&c);
    assert_eq!(last, vec!["jane-doe".to_string()], "{last:?}");
}

#[test]
fn windowed_answers_from_the_kept_projection_match_the_cli() {
    // The API derives windowed projections from the full one it keeps; the
    // CLI builds each from the store. Same answers, window by window.
    let store = seeded_store();
    let windows = ["2011", "2013-08/2013-12", "2019-06", "2021"];
    let cli: Vec<String> = windows
        .iter()
        .map(|w| {
            interlock_ok(
                store.path(),
                &[
                    "centrality",
                    "--measure",
                    "betweenness",
                    "--during",
                    w,
                    "--format",
                    "json",
                ],
            )
        })
        .collect();
    let server = Server::start_in(store.path(), &[], &[]);
    let c = reqwest::blocking::Client::new();
    for (w, cli) in windows.iter().zip(cli) {
        let api: serde_json::Value = c
            .get(server.url("/api/centrality"))
            .query(&[("measure", "betweenness"), ("during", w)])
            .send()
            .unwrap()
            .json()
            .unwrap();
        let cli: serde_json::Value = serde_json::from_str(&cli).unwrap();
        assert_eq!(api, cli, "during {w}");
    }
}
