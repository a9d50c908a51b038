//! Requests as the surfaces fill them: read from query strings with their
//! defaults and checks, and answered on the seed.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

use interlock_graph::{ExportFormat, Measure};
use interlock_load::{IriBase, dataset_input, parse_timeline};
use interlock_model::{Certainty, EntityKind};
use interlock_request::{
    CentralityRequest, ErrorKind, ExportRequest, LinksRequest, PerProcess, Question, ReachRequest,
    StatsRequest, StoreQuestion, TimelineRequest, ask,
};
use interlock_store::Store;
use std::path::Path;

fn read<T: serde::de::DeserializeOwned>(query: &str) -> Result<T, String> {
    serde_urlencoded::from_str(query).map_err(|e| e.to_string())
}

#[test]
fn requests_read_from_query_strings_with_their_defaults() {
    let links: LinksRequest = read("from=netflix&to=facebook").unwrap();
    assert_eq!((links.max_hops, links.at, links.during), (3, None, None));
    let links: LinksRequest = read("from=a&to=b&during=2011/2013&max_hops=2").unwrap();
    assert_eq!(links.at, None);
    assert_eq!(links.during.as_deref(), Some("2011/2013"));
    assert_eq!(links.max_hops, 2);

    let c: CentralityRequest = read("").unwrap();
    assert_eq!((c.measure, c.kind, c.top), (Measure::Degree, None, 20));
    let c: CentralityRequest = read("measure=pagerank&kind=person&top=5").unwrap();
    assert_eq!(
        (c.measure, c.kind, c.top),
        (Measure::PageRank, Some(EntityKind::Person), 5)
    );

    let t: TimelineRequest = read("entities=netflix,,facebook&from=2013").unwrap();
    assert_eq!(t.entities, ["netflix", "facebook"]);

    for (query, message) in [
        (
            "measure=fame",
            "unknown measure 'fame'; expected one of degree, betweenness, closeness, pagerank",
        ),
        (
            "kind=corporation",
            "unknown entity kind 'corporation'; expected one of company,",
        ),
        ("top=many", "invalid digit"),
    ] {
        let e = read::<CentralityRequest>(query).unwrap_err();
        assert!(e.contains(message), "{query}: {e}");
    }
    assert!(
        read::<LinksRequest>("to=b")
            .unwrap_err()
            .contains("missing field `from`")
    );
}

#[test]
fn malformed_requests_are_refused_before_any_work() {
    let links = |q: &str| read::<LinksRequest>(q).unwrap().filter().unwrap_err();
    for (query, message) in [
        (
            "from=a&to=b&at=2013&during=2014",
            "give a date (at) or a window (during), not both",
        ),
        (
            "from=a&to=b&at=2013-13",
            "at: '2013-13' is not a date: expected a date of the calendar",
        ),
        (
            "from=a&to=b&max_hops=0",
            "max_hops must be from 1 to 6, not 0",
        ),
        (
            "from=a&to=b&max_hops=7",
            "max_hops must be from 1 to 6, not 7",
        ),
        ("from=&to=b", "from is empty"),
        ("from=a&to=b&at=", "at: '' is not a date"),
        (
            "from=a&to=b&at=&during=",
            "give a date (at) or a window (during), not both",
        ),
    ] {
        let e = links(query);
        assert_eq!(e.kind(), ErrorKind::Invalid, "{query}");
        assert!(e.to_string().contains(message), "{query}: {e}");
    }
    let e = read::<StatsRequest>("from=10000")
        .unwrap()
        .filter()
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("from must be from -9999 to 9999, not 10000"),
        "{e}"
    );
    let e = ExportRequest::format("svg").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(ExportRequest::format("gexf").unwrap(), ExportFormat::Gexf);
}

fn seed() -> Store {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/netflix-facebook.toml");
    let dataset = parse_timeline(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let base = IriBase::new(interlock_model::vocab::DEFAULT_BASE).unwrap();
    let store = Store::in_memory();
    store
        .replace(&[dataset_input(&path, dataset, &base)], &|_| {})
        .unwrap();
    store
}

#[test]
fn questions_are_answered_on_the_seed() {
    let store = seed();
    let links: LinksRequest = read("from=netflix&to=facebook&at=2013-09").unwrap();
    let chains = ask(&links, &PerProcess::new(&store)).unwrap();
    let through_hastings = chains
        .iter()
        .find(|c| c.path == ["netflix", "reed-hastings", "facebook"])
        .expect("the Hastings chain");
    assert_eq!(through_hastings.certainty, Certainty::Definitely);
    assert!(
        chains
            .iter()
            .any(|c| c.steps.len() == 1 && c.certainty == Certainty::Possibly)
    );

    let nobody: ReachRequest = read("start=nobody").unwrap();
    let e = ask(&nobody, &PerProcess::new(&store)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.to_string(), "no entity 'nobody' in the store");

    let entries = read::<TimelineRequest>("entities=netflix&from=2013&to=2013")
        .unwrap()
        .answer(&store)
        .unwrap();
    let dates: Vec<&str> = entries.iter().map(|e| e.date.as_str()).collect();
    assert_eq!(dates, ["2013-08", "by 2013", "by 2013", "by ~2019-01"]);
}

#[test]
fn years_beyond_the_data_are_answered_without_reading_them_one_by_one() {
    let store = seed();
    // The seed's dates lie within 2011–2021: a span far beyond on both sides.
    let request: StatsRequest = read("from=1000&to=3000").unwrap();
    let years = ask(&request, &PerProcess::new(&store)).unwrap();
    assert_eq!(years.len(), 2001);
    assert_eq!((years[0].year, years[2000].year), (1000, 3000));
    // Each year is what asking for it alone gives.
    for y in [1000, 1500, 2010, 2011, 2013, 2019, 2022, 2500, 3000] {
        let alone: StatsRequest = read(&format!("from={y}&to={y}")).unwrap();
        let alone = ask(&alone, &PerProcess::new(&store)).unwrap();
        assert_eq!(alone, [years[(y - 1000) as usize].clone()], "{y}");
    }
    let backwards: StatsRequest = read("from=2019&to=2011").unwrap();
    assert!(
        ask(&backwards, &PerProcess::new(&store))
            .unwrap()
            .is_empty()
    );
}
