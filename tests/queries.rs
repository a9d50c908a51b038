//! Every query in `queries/` run on the loaded seed, checked against its exact answer.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{project, rows, seeded_store, select};

fn query_file(name: &str) -> String {
    std::fs::read_to_string(project(&format!("queries/{name}"))).expect("the query file exists")
}

const ARTICLE: &str =
    "Netflix ha pagato 100 milioni di dollari per accedere ai messaggi privati di Facebook";

#[test]
fn board_interlocks_finds_reed_hastings_2011_to_2019() {
    let store = seeded_store();
    let got = select(store.path(), &query_file("board-interlocks.rq"));
    assert_eq!(
        got,
        rows(&[&[
            "Reed Hastings",
            "CEO",
            "[..2011]/[2019..]",
            "member of the board of directors",
            "2011/2019",
            "2011-01-01",
            "2019-12-31",
            "definitely",
        ]])
    );
}

#[test]
fn data_access_in_september_2013_is_only_possibly_in_force() {
    let store = seeded_store();
    let got = select(store.path(), &query_file("data-access-in-force.rq"));
    assert_eq!(
        got,
        rows(&[
            &[
                "possibly",
                "facebook-extended-api-agreements",
                "'Facebook Extended API' agreements",
                "[..2013]/",
                "alleged"
            ],
            &[
                "possibly",
                "inbox-api-agreement",
                "'Inbox API' agreement",
                "[..2013]/",
                "alleged"
            ],
            &[
                "possibly",
                "netflix-facebook-integration-2011",
                "Integration with Facebook to share user data internationally",
                "2011/",
                "alleged"
            ],
            &[
                "possibly",
                "netflix-facebook-private-data-exchange",
                "Netflix and Facebook exchanged users' private information",
                "unknown",
                "alleged"
            ],
            &[
                "possibly",
                "titan-api-access",
                "Access to the 'Titan API'",
                "2013-08/",
                "alleged"
            ],
        ])
    );
}

#[test]
fn data_access_in_august_2013_has_the_titan_api_definitely() {
    let store = seeded_store();
    let query = query_file("data-access-in-force.rq").replace(
        r#"("2013-09-01"^^xsd:date "2013-09-30"^^xsd:date)"#,
        r#"("2013-08-01"^^xsd:date "2013-08-31"^^xsd:date)"#,
    );
    let got = select(store.path(), &query);
    let certainty: Vec<(String, String)> = got
        .into_iter()
        .map(|r| (r[1].clone(), r[0].clone()))
        .collect();
    assert_eq!(
        certainty,
        vec![
            ("titan-api-access".to_string(), "definitely".to_string()),
            (
                "facebook-extended-api-agreements".to_string(),
                "possibly".to_string()
            ),
            ("inbox-api-agreement".to_string(), "possibly".to_string()),
            (
                "netflix-facebook-integration-2011".to_string(),
                "possibly".to_string()
            ),
            (
                "netflix-facebook-private-data-exchange".to_string(),
                "possibly".to_string()
            ),
        ]
    );
    // Before anything started, only the undated claim remains possible.
    let query = query_file("data-access-in-force.rq").replace(
        r#"("2013-09-01"^^xsd:date "2013-09-30"^^xsd:date)"#,
        r#"("2005-01-01"^^xsd:date "2005-12-31"^^xsd:date)"#,
    );
    let ids: Vec<String> = select(store.path(), &query)
        .into_iter()
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(
        ids,
        vec![
            "facebook-extended-api-agreements",
            "inbox-api-agreement",
            "netflix-facebook-private-data-exchange"
        ]
    );
}

#[test]
fn timeline_is_in_date_order_at_stated_precision() {
    let store = seeded_store();
    let got = select(store.path(), &query_file("netflix-facebook-timeline.rq"));
    let court = "Court documents";
    let forbes = "Forbes report";
    let x = "Document shared by a user on X";
    assert_eq!(
        got,
        rows(&[
            &[
                "2011/",
                "Integration with Facebook to share user data internationally",
                "alleged",
                ARTICLE,
                court
            ],
            &[
                "2011",
                "Netflix announces an integration with Facebook",
                "alleged",
                ARTICLE,
                court
            ],
            &[
                "2011/2019",
                "Reed Hastings on Facebook's board",
                "reported",
                ARTICLE,
                forbes
            ],
            &[
                "[..2011]/[2019..]",
                "Reed Hastings, CEO of Netflix",
                "reported",
                ARTICLE,
                forbes
            ],
            &[
                "2013-08/",
                "Access to the 'Titan API'",
                "alleged",
                ARTICLE,
                court
            ],
            &[
                "[..2013]/",
                "'Facebook Extended API' agreements",
                "alleged",
                ARTICLE,
                court
            ],
            &[
                "[..2013]/",
                "'Inbox API' agreement",
                "alleged",
                ARTICLE,
                court
            ],
            &[
                "[..2019-01~]/",
                "Netflix's advertising spend on Facebook, about $150M a year",
                "reported",
                ARTICLE,
                forbes
            ],
            &[
                "2021-10-28",
                "Facebook, Inc. becomes Meta Platforms",
                "confirmed",
                "Introducing Meta: A Social Technology Company",
                ""
            ],
            &[
                "date unknown",
                "Close relationship for almost a decade",
                "alleged",
                ARTICLE,
                court
            ],
            &[
                "date unknown",
                "Netflix and Facebook exchanged users' private information",
                "alleged",
                ARTICLE,
                x
            ],
            &[
                "date unknown",
                "Netflix lobbied Congress to allow such data sharing in the US",
                "alleged",
                ARTICLE,
                court
            ],
            &[
                "date unknown",
                "Netflix paid Facebook over $100M",
                "alleged",
                ARTICLE,
                x
            ],
        ])
    );
}

#[test]
fn alleged_claims_come_with_their_source_chain() {
    let store = seeded_store();
    let got = select(store.path(), &query_file("alleged-claims.rq"));
    let court = "Court documents";
    let x = "Document shared by a user on X";
    assert_eq!(
        got,
        rows(&[
            &[
                "'Facebook Extended API' agreements",
                "body, paragraph 3",
                ARTICLE,
                court,
                ""
            ],
            &[
                "'Inbox API' agreement",
                "body, paragraph 3",
                ARTICLE,
                court,
                ""
            ],
            &[
                "Access to the 'Titan API'",
                "body, paragraph 4",
                ARTICLE,
                court,
                ""
            ],
            &[
                "Close relationship for almost a decade",
                "body, after 'Fonte: Forbes'",
                ARTICLE,
                court,
                ""
            ],
            &[
                "Integration with Facebook to share user data internationally",
                "body, paragraph 2",
                ARTICLE,
                court,
                ""
            ],
            &[
                "Netflix and Facebook exchanged users' private information",
                "body, paragraph 1",
                ARTICLE,
                x,
                court
            ],
            &[
                "Netflix announces an integration with Facebook",
                "body, paragraph 2",
                ARTICLE,
                court,
                ""
            ],
            &[
                "Netflix lobbied Congress to allow such data sharing in the US",
                "body, paragraph 2",
                ARTICLE,
                court,
                ""
            ],
            &[
                "Netflix paid Facebook over $100M",
                "body, paragraph 1",
                ARTICLE,
                x,
                court
            ],
            &[
                "Netflix paid Facebook over $100M",
                "headline",
                ARTICLE,
                "",
                ""
            ],
        ])
    );
}

#[test]
fn payments_have_amounts_and_periods() {
    let store = seeded_store();
    let got = select(store.path(), &query_file("netflix-payments-to-facebook.rq"));
    assert_eq!(
        got,
        rows(&[
            &[
                "Netflix's advertising spend on Facebook, about $150M a year",
                "150000000",
                "USD",
                "per year",
                "approximate",
                "[..2019-01~]/",
                "reported"
            ],
            &[
                "Netflix paid Facebook over $100M",
                "100000000",
                "USD",
                "total",
                "at least",
                "unknown",
                "alleged"
            ],
        ])
    );
}
