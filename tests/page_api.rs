//! What the page reads: entity search, entity pages, network neighbourhoods,
//! the shipped queries, and the page itself, from a real server on the seed.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::Server;
use serde_json::Value;

fn get(server: &Server, path: &str) -> reqwest::blocking::Response {
    reqwest::blocking::Client::new()
        .get(server.url(path))
        .send()
        .expect("the server answers")
}

fn json(server: &Server, path: &str) -> Value {
    let response = get(server, path);
    assert_eq!(response.status(), 200, "{path}");
    response.json().expect("JSON")
}

fn ids(found: &Value) -> Vec<&str> {
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect()
}

#[test]
fn search_answers_as_a_person_types() {
    let server = Server::seeded(&[]);
    let table: &[(&str, &[&str])] = &[
        ("Hast", &["reed-hastings"]),
        ("reed", &["reed-hastings"]),
        ("meta", &["facebook"]),
        ("Titan", &["titan-api"]),
        ("congres", &["us-congress"]),
        ("api", &["inbox-api", "titan-api", "facebook-extended-api"]),
        ("nobody-at-all", &[]),
    ];
    for (q, expected) in table {
        let found = json(&server, &format!("/api/search?q={q}"));
        assert_eq!(ids(&found), *expected, "q={q}");
    }
    let meta = json(&server, "/api/search?q=meta");
    assert_eq!(meta[0]["matched"], "Meta Platforms");
    let response = get(&server, "/api/search?q=Hast");
    let timing = response.headers()["server-timing"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(timing.contains("search;dur="), "{timing}");
    for bad in [
        "/api/search",
        "/api/search?q=",
        "/api/search?q=a&limit=0",
        "/api/search?q=a&limit=101",
    ] {
        let response = get(&server, bad);
        assert_eq!(response.status(), 400, "{bad}");
    }
}

#[test]
fn an_entity_page_has_every_tie_with_its_bounds_and_evidence() {
    let server = Server::seeded(&[]);
    let page = json(&server, "/api/entity?id=reed-hastings");
    assert_eq!(page["label"], "Reed Hastings");
    assert_eq!(page["kind"], "Person");
    assert_eq!(page["ties_total"], 2);
    let ties = page["ties"].as_array().unwrap();
    let by_id = |id: &str| ties.iter().find(|t| t["id"] == id).unwrap().clone();
    let board = by_id("hastings-facebook-board");
    assert_eq!(board["counterpart"]["id"], "facebook");
    assert_eq!(board["when"], "2011 to 2019");
    assert_eq!(
        board["bounds"],
        serde_json::json!({"start_earliest": "2011-01-01", "start_latest": "2011-12-31",
                           "end_earliest": "2019-01-01", "end_latest": "2019-12-31"})
    );
    let ceo = by_id("hastings-netflix-ceo");
    assert_eq!(ceo["when"], "at least 2011 to 2019");
    assert_eq!(ceo["bounds"]["start_earliest"], Value::Null);
    assert_eq!(ceo["bounds"]["end_latest"], Value::Null);
    assert_eq!(ceo["bounds"]["start_latest"], "2011-12-31");

    let netflix = json(&server, "/api/entity?id=netflix");
    assert_eq!(
        netflix["identifiers"][0]["url"],
        "https://www.wikidata.org/wiki/Q907311"
    );
    let ties = netflix["ties"].as_array().unwrap();
    let titan = ties.iter().find(|t| t["id"] == "titan-api-access").unwrap();
    let evidence = &titan["evidence"][0];
    assert_eq!(evidence["language"], "it");
    assert!(evidence["gloss"].as_str().unwrap().contains("Titan"));
    let chain: Vec<&str> = evidence["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        chain.first(),
        Some(
            &"Netflix ha pagato 100 milioni di dollari per accedere ai messaggi privati di Facebook"
        )
    );
    assert!(chain.contains(&"Court documents"), "{chain:?}");
    // Undated claims have no bounds: the page lists them apart.
    let undated = ties
        .iter()
        .find(|t| t["id"] == "netflix-facebook-private-data-exchange")
        .unwrap();
    assert_eq!(undated["bounds"], Value::Null);
    assert_eq!(undated["time"], Value::Null);
    // The X post's chain: article → document shared on X → court documents.
    let chain: Vec<&str> = undated["evidence"][0]["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(chain, ["beready-article", "x-post", "court-documents"]);

    let limited = json(&server, "/api/entity?id=netflix&limit=2");
    assert_eq!(limited["ties"].as_array().unwrap().len(), 2);
    assert!(limited["ties_total"].as_u64().unwrap() > 2);
    let missing = get(&server, "/api/entity?id=nobody");
    assert_eq!(missing.status(), 404);
    assert!(missing.text().unwrap().contains("no entity 'nobody'"));
}

#[test]
fn the_network_follows_the_date() {
    let server = Server::seeded(&[]);
    let edge_ids = |net: &Value| -> Vec<String> {
        net["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    let in_2015 = json(&server, "/api/network?at=2015");
    let board = in_2015["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "hastings-facebook-board")
        .expect("the board seat held in 2015");
    assert_eq!(board["certainty"], "definitely");
    let in_2021 = json(&server, "/api/network?at=2021");
    assert!(!edge_ids(&in_2021).contains(&"hastings-facebook-board".to_string()));
    // Around one entity, the centre first; the limit cuts and says so.
    let around = json(&server, "/api/network?around=reed-hastings&hops=1");
    assert_eq!(around["nodes"][0]["id"], "reed-hastings");
    assert_eq!(around["nodes"].as_array().unwrap().len(), 3);
    let cut = json(&server, "/api/network?limit=2");
    assert_eq!(cut["nodes"].as_array().unwrap().len(), 2);
    assert!(cut["total"].as_u64().unwrap() > 2);
    // Tied to nothing then (the Inbox API is only an instrument): the centre alone, not an error.
    let alone = json(&server, "/api/network?around=inbox-api&at=2015");
    assert_eq!(alone["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(get(&server, "/api/network?around=nobody").status(), 404);
    assert_eq!(
        get(&server, "/api/network?at=2015&during=2011/2013").status(),
        400
    );
    assert_eq!(get(&server, "/api/network?limit=5000").status(), 400);
}

#[test]
fn the_page_and_its_queries_are_served() {
    let server = Server::seeded(&[]);
    let queries = json(&server, "/api/queries");
    let names: Vec<&str> = queries
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"board-interlocks"), "{names:?}");
    assert!(queries[0]["query"].as_str().unwrap().contains("SELECT"));
    let page = get(&server, "/");
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().unwrap().contains("/assets/app.js"));
    let script = get(&server, "/assets/app.js");
    assert_eq!(script.status(), 200);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(get(&server, "/assets/nothing.js").status(), 404);
    // A browser on /sparql gets the page; a SPARQL client, the service description.
    let browser = reqwest::blocking::Client::new()
        .get(server.url("/sparql"))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .unwrap();
    assert!(browser.text().unwrap().contains("/assets/app.js"));
    let client = reqwest::blocking::Client::new()
        .get(server.url("/sparql"))
        .header("accept", "text/turtle")
        .send()
        .unwrap();
    let description = client.text().unwrap();
    assert!(
        description.contains("sparql-service-description#"),
        "{description}"
    );
    assert!(!description.contains("/assets/app.js"));
}

#[test]
fn search_on_the_command_line_answers_as_the_api() {
    let store = common::seeded_store();
    let cli: Value = serde_json::from_str(&common::interlock_ok(
        store.path(),
        &["search", "Hast", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(ids(&cli), ["reed-hastings"]);
    let server = Server::start_in(store.path(), &[], &[]);
    assert_eq!(json(&server, "/api/search?q=Hast"), cli);
    let refused = common::interlock(store.path(), &["search", "Hast", "--limit", "0"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("limit must be from 1 to 100"));
}

#[test]
fn an_unknown_page_and_an_unknown_timeline_entity_say_so() {
    let server = Server::seeded(&[]);
    let browser = reqwest::blocking::Client::new()
        .get(server.url("/no/such/page"))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .unwrap();
    assert_eq!(browser.status(), 404);
    assert!(
        browser.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        browser.text().unwrap().contains("/assets/app.js"),
        "the page, which says so"
    );
    let client = get(&server, "/no/such/page");
    assert_eq!(client.status(), 404);
    let text = client.text().unwrap();
    assert!(text.starts_with("nothing at /no/such/page: "), "{text}");
    assert!(text.contains("/api/openapi.json"), "{text}");
    let timeline = get(&server, "/api/timeline?entities=reed-hastings,nobody");
    assert_eq!(timeline.status(), 404);
    assert!(timeline.text().unwrap().contains("no entity 'nobody'"));
    assert_eq!(
        get(&server, "/api/timeline?entities=reed-hastings").status(),
        200
    );
    let store = common::seeded_store();
    let out = common::interlock(store.path(), &["timeline", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no entity 'nobody'"), "{err}");
}

#[test]
fn a_source_page_lists_every_claim_it_supports_a_page_at_a_time() {
    let server = Server::seeded(&[]);
    // What the store says the court documents support: every relationship
    // with evidence quoted in them or attributed to them.
    let counted = reqwest::blocking::Client::new()
        .post(server.url("/sparql"))
        .header("content-type", "application/sparql-query")
        .header("accept", "application/sparql-results+json")
        .body(
            "PREFIX il: <https://w3id.org/interlock/ontology#>
             SELECT DISTINCT ?id WHERE {
               { ?ev il:source ?s } UNION { ?ev il:attributedTo ?s }
               FILTER(?s = <https://w3id.org/interlock/id/source/court-documents>)
               ?r il:evidence ?ev ; il:relationshipId ?id } ORDER BY ?id",
        )
        .send()
        .unwrap()
        .json::<Value>()
        .unwrap();
    let mut expected: Vec<&str> = counted["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"]["value"].as_str().unwrap())
        .collect();
    expected.sort();
    assert!(expected.len() >= 5, "{expected:?}");
    let page = json(&server, "/api/source?id=court-documents");
    assert_eq!(page["source"]["title"], "Court documents");
    assert_eq!(page["claims_total"], expected.len());
    let mut listed: Vec<&str> = page["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    listed.sort();
    assert_eq!(listed, expected);
    let lobbying = page["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "netflix-lobbies-congress")
        .unwrap();
    assert_eq!(lobbying["subject"]["label"], "Netflix");
    assert!(
        lobbying["sentence"]
            .as_str()
            .unwrap()
            .starts_with("Netflix — lobbies — "),
        "{lobbying}"
    );
    assert!(
        lobbying["quote"]
            .as_str()
            .unwrap()
            .contains("pressioni al Congresso"),
        "{lobbying}"
    );
    assert_eq!(lobbying["location"], "body, paragraph 2");
    // Pages in a fixed order: two pages of two are the first four.
    let first = json(&server, "/api/source?id=court-documents&limit=2");
    let second = json(&server, "/api/source?id=court-documents&limit=2&offset=2");
    let whole = json(&server, "/api/source?id=court-documents&limit=4");
    let ids = |v: &Value| -> Vec<String> {
        v["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!([ids(&first), ids(&second)].concat(), ids(&whole));
    // By IRI too; an unknown source is a 404 that names it.
    let by_iri = json(
        &server,
        "/api/source?id=https%3A%2F%2Fw3id.org%2Finterlock%2Fid%2Fsource%2Fcourt-documents&limit=1",
    );
    assert_eq!(by_iri["claims_total"], expected.len());
    let unknown = get(&server, "/api/source?id=nobody");
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().unwrap().contains("no source 'nobody'"));
    assert_eq!(
        get(&server, "/api/source?id=court-documents&limit=0").status(),
        400
    );
}

#[test]
fn an_export_of_what_the_page_draws_holds_the_drawn_entities() {
    let server = Server::seeded(&[]);
    for query in [
        "at=2015&around=netflix&limit=5",
        "at=2015&limit=4",
        "around=reed-hastings&hops=1",
    ] {
        let drawn = json(&server, &format!("/api/network?{query}"));
        let mut want: Vec<&str> = drawn["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap())
            .collect();
        want.sort();
        let cytoscape = json(&server, &format!("/api/export/cytoscape?{query}"));
        let mut got: Vec<&str> = cytoscape["elements"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["data"]["id"].as_str().unwrap())
            .collect();
        got.sort();
        assert_eq!(got, want, "{query}");
        let edges = cytoscape["elements"]["edges"].as_array().unwrap().len();
        assert_eq!(edges, drawn["edges"].as_array().unwrap().len(), "{query}");
    }
    // Without a part asked for, the whole graph, as before.
    let whole = json(&server, "/api/export/cytoscape?at=2015");
    let part = json(&server, "/api/export/cytoscape?at=2015&limit=2");
    assert!(
        whole["elements"]["nodes"].as_array().unwrap().len()
            > part["elements"]["nodes"].as_array().unwrap().len()
    );
    assert_eq!(
        get(&server, "/api/export/cytoscape?around=nobody").status(),
        404
    );
}
