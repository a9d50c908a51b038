//! Public registers no one here wrote (../shared/external/data), imported
//! through the shipped mappings: every row the model can hold loads, the
//! report says what came in, no two people are merged, and the interlocks
//! at a date are what the rows say, worked out here from the file itself.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use chrono::NaiveDate;
use common::{interlock_ok, project, select, shared};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Imports `file` through `mapping` with a rejects file; the report (JSON)
/// and the rejects file's rows.
fn import(store: &Path, file: &Path, mapping: &str) -> (serde_json::Value, Vec<csv::StringRecord>) {
    let rejects = store.join("rejects.csv");
    let out = interlock_ok(
        store,
        &[
            "import",
            "csv",
            file.to_str().unwrap(),
            "--mapping",
            project(mapping).to_str().unwrap(),
            "--rejects",
            rejects.to_str().unwrap(),
            "--json",
        ],
    );
    let loaded: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut reader = csv::Reader::from_path(&rejects).unwrap();
    let rows = reader.records().map(Result::unwrap).collect();
    (loaded[0]["report"].clone(), rows)
}

/// The file's data rows, by column name.
fn rows(file: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(file).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(|c| c.trim().to_string()))
                .collect()
        })
        .collect()
}

/// A name as ids compare it: letters and digits of any script, lowercased,
/// every other run one `-` (docs/import.md: ids differ exactly when these do).
fn id_form(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// Every person's names (label and aliases), by entity id.
fn names_by_person(store: &Path) -> BTreeMap<String, Vec<String>> {
    let rows = select(
        store,
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT ?id ?name WHERE { ?p a il:Person ; il:entityId ?id .
           { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?name } UNION { ?p <http://www.w3.org/2004/02/skos/core#altLabel> ?name } }",
    );
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        out.entry(r[0].clone()).or_default().push(r[1].clone());
    }
    out
}

#[test]
fn the_cambodian_register_loads_whole_undated_and_merges_no_one() {
    let file = shared().join("external/data/cambodia_register/company_people.csv");
    let store = tempfile::tempdir().unwrap();
    let (report, rejects) = import(store.path(), &file, "data/mappings/cambodia_register.toml");
    let rows = rows(&file);
    assert_eq!(report["rows_read"], rows.len());
    assert_eq!(report["rows_loaded"], rows.len());
    assert_eq!(rejects.len(), 0);
    assert_eq!(
        report["relationships"],
        serde_json::json!({"dated": 0, "half_dated": 0, "undated": rows.len()})
    );
    // One entity per company id and per name as written, honorific and all.
    let companies: BTreeSet<&str> = rows.iter().map(|r| r["company_id"].as_str()).collect();
    let people: BTreeSet<String> = rows.iter().map(|r| id_form(&r["person"])).collect();
    assert_eq!(report["entities"], companies.len() + people.len());
    // Names that differ only in case or punctuation are one person, and said so.
    let mut spelled: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for r in &rows {
        spelled
            .entry(id_form(&r["person"]))
            .or_default()
            .insert(r["person"].as_str());
    }
    let differing = spelled.values().filter(|names| names.len() > 1).count();
    assert_eq!(report["ids_with_differing_names"], differing);
    // No person holds names that differ in more than that.
    for (id, names) in names_by_person(store.path()) {
        let forms: BTreeSet<String> = names.iter().map(|n| id_form(n)).collect();
        assert_eq!(forms.len(), 1, "{id} merges {names:?}");
    }
}

/// A China register date cell: the first and last day it may be.
fn days(cell: &str) -> Option<(NaiveDate, NaiveDate)> {
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y%m%d").ok();
    match cell.len() {
        8 => day(cell).map(|d| (d, d)),
        6 => {
            let first = day(&format!("{cell}01"))?;
            let next = first.checked_add_months(chrono::Months::new(1))?;
            Some((first, next.pred_opt()?))
        }
        _ => None,
    }
}

/// Whether a row's tie surely held on `at`: it began by then (or its start
/// is open, with a known end) and had not ended (or its end is open).
fn surely_held(row: &BTreeMap<String, String>, at: NaiveDate) -> bool {
    let (start, end) = (days(&row["begin_date"]), days(&row["end_date"]));
    if start.is_none() && end.is_none() {
        return false;
    }
    start.is_none_or(|(_, latest)| latest <= at) && end.is_none_or(|(earliest, _)| at <= earliest)
}

#[test]
fn the_chinese_register_loads_whole_and_its_interlocks_are_what_the_rows_say() {
    let file = shared().join("external/data/china_listed_managers/managers.csv");
    let store = tempfile::tempdir().unwrap();
    let (report, rejects) = import(
        store.path(),
        &file,
        "data/mappings/china_listed_managers.toml",
    );
    let rows = rows(&file);
    assert_eq!(report["rows_read"], rows.len());
    assert_eq!(
        (report["rows_loaded"].clone(), rejects.len()),
        (serde_json::json!(rows.len()), 0)
    );
    let dated =
        |r: &&BTreeMap<String, String>| (!r["begin_date"].is_empty(), !r["end_date"].is_empty());
    let count = |want: fn((bool, bool)) -> bool| rows.iter().filter(|r| want(dated(r))).count();
    assert_eq!(
        report["relationships"],
        serde_json::json!({
            "dated": count(|d| d == (true, true)),
            "half_dated": count(|d| d.0 != d.1),
            "undated": count(|d| d == (false, false)),
        })
    );
    // A person is a name and a birth date, or a name within one company:
    // people of one name are never merged across birth dates or companies.
    let person = |r: &BTreeMap<String, String>| match r["birthday"].as_str() {
        "" => (r["name"].clone(), format!("at {}", r["ts_code"])),
        born => (r["name"].clone(), born.to_string()),
    };
    let people: BTreeSet<_> = rows.iter().map(person).collect();
    let companies: BTreeSet<&str> = rows.iter().map(|r| r["ts_code"].as_str()).collect();
    assert_eq!(report["entities"], people.len() + companies.len());
    assert_eq!(report["ids_with_differing_names"], 0);

    // At each date, the people surely in two companies at once (every kind
    // of the register is a position), pair by pair of rows, as interlock
    // finds them: (name, company, company).
    let mut compared = 0;
    for at in ["2019-06-15", "2020-06-15", "2021-06-15", "2022-06-15"] {
        let day = NaiveDate::parse_from_str(at, "%Y-%m-%d").unwrap();
        let mut by_person: BTreeMap<_, Vec<&str>> = BTreeMap::new();
        for r in rows.iter().filter(|r| surely_held(r, day)) {
            by_person.entry(person(r)).or_default().push(&r["ts_code"]);
        }
        let mut expected = Vec::new();
        for ((name, _), held) in &by_person {
            for (i, a) in held.iter().enumerate() {
                for b in &held[i + 1..] {
                    if a != b {
                        let (a, b) = if a.to_lowercase() <= b.to_lowercase() {
                            (a, b)
                        } else {
                            (b, a)
                        };
                        expected.push((name.clone(), a.to_string(), b.to_string()));
                    }
                }
            }
        }
        expected.sort();
        let out = interlock_ok(
            store.path(),
            &["interlocks", "--at", at, "--format", "json"],
        );
        let found: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut found: Vec<(String, String, String)> = found
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["certainty"] == "definitely")
            .map(|i| {
                let label = |k: &str| i[k].as_str().unwrap().to_string();
                (label("through_label"), label("a_label"), label("b_label"))
            })
            .collect();
        found.sort();
        assert_eq!(found, expected, "at {at}");
        compared += found.len();
    }
    assert!(compared > 0, "no interlock to compare");
}

#[test]
fn a_drafted_mapping_imports_each_register_as_it_is() {
    for (file, dated) in [
        ("china_listed_managers/managers.csv", true),
        ("cambodia_register/company_people.csv", false),
        ("norway_boards/board_seats.csv", true),
        ("irish_directorates/board_membership_by_year.csv", true),
    ] {
        let file = shared().join("external/data").join(file);
        let store = tempfile::tempdir().unwrap();
        let table = file.to_str().unwrap();
        let draft = interlock_ok(store.path(), &["import", "csv", table, "--draft-mapping"]);
        assert!(draft.contains("CHECK"), "{draft}");
        assert_eq!(draft.lines().any(|l| l == "[time]"), dated, "{draft}");
        let mapping = store.path().join("draft.toml");
        std::fs::write(&mapping, &draft).unwrap();
        let out = interlock_ok(
            store.path(),
            &[
                "import",
                "csv",
                table,
                "--mapping",
                mapping.to_str().unwrap(),
                "--json",
            ],
        );
        let loaded: serde_json::Value = serde_json::from_str(&out).unwrap();
        let report = &loaded[0]["report"];
        assert_eq!(
            report["rows_loaded"],
            rows(&file).len(),
            "{}: {report}",
            file.display()
        );
        let undated = report["relationships"]["undated"].as_u64().unwrap() as usize;
        assert_eq!(
            undated == rows(&file).len(),
            !dated,
            "{}: {report}",
            file.display()
        );
    }
}

#[test]
fn norwegian_seats_cite_their_own_rows_and_names_read_as_characters() {
    let file = shared().join("external/data/norway_boards/board_seats.csv");
    let store = tempfile::tempdir().unwrap();
    import(store.path(), &file, "data/mappings/norway_boards.toml");
    // Every seat's evidence is its own line of the file (CRLF line ends),
    // verbatim, at its number.
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let cited = select(
        store.path(),
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT ?quote ?where WHERE { ?r il:evidence ?e . ?e il:quote ?quote ; il:location ?where }",
    );
    assert_eq!(cited.len(), lines.len() - 1);
    for row in &cited {
        let n: usize = row[1]
            .strip_prefix("board_seats.csv line ")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(row[0], lines[n - 1], "line {n}");
    }
    let langoy = cited
        .iter()
        .find(|r| r[0].contains("Leif Arne Langøy") && r[0].contains("AKER SOLUTIONS ASA"))
        .unwrap();
    assert_eq!(langoy[1], "board_seats.csv line 368");
    // Character references in the register's names are read as the
    // characters they stand for; the row cited keeps them as written.
    let names = select(
        store.path(),
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT ?name WHERE { ?c a il:Company ; <http://www.w3.org/2000/01/rdf-schema#label> ?name
           FILTER(CONTAINS(?name, 'FINDEN')) }",
    );
    assert_eq!(names, [["SYNNØVE FINDEN ASA"]]);
    let encoded = select(
        store.path(),
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT (COUNT(*) AS ?n) WHERE { { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?name }
           UNION { ?x <http://www.w3.org/2004/02/skos/core#altLabel> ?name } FILTER(CONTAINS(?name, '&')) }",
    );
    let ampersands = select(
        store.path(),
        "SELECT (COUNT(*) AS ?n) WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?name FILTER(REGEX(?name, '&[A-Za-z]+;')) }",
    );
    assert_eq!(ampersands, [["0"]]);
    assert!(
        encoded[0][0].parse::<usize>().unwrap() > 0,
        "'&' itself stays: {encoded:?}"
    );
    assert!(
        cited
            .iter()
            .any(|r| r[0].contains("SYNN&Oslash;VE FINDEN ASA"))
    );
}

#[test]
fn the_shipped_interlocks_query_finds_on_the_norwegian_seats_what_the_analysis_finds() {
    let file = shared().join("external/data/norway_boards/board_seats.csv");
    let store = tempfile::tempdir().unwrap();
    import(store.path(), &file, "data/mappings/norway_boards.toml");
    let query = std::fs::read_to_string(project("queries/interlocks-at-a-date.rq")).unwrap();
    assert!(query.contains(r#""2008-03-15"^^xsd:date"#));
    // (person, organization, organization, certainty) by IRI, from the query …
    let mut by_query: Vec<(String, String, String, String)> = select(store.path(), &query)
        .into_iter()
        .map(|r| (r[0].clone(), r[2].clone(), r[4].clone(), r[6].clone()))
        .collect();
    by_query.sort();
    // … and from the analysis, which reads the projection, not SPARQL.
    let out = interlock_ok(
        store.path(),
        &["interlocks", "--at", "2008-03-15", "--format", "json"],
    );
    let iri =
        |id: &serde_json::Value| format!("https://w3id.org/interlock/id/{}", id.as_str().unwrap());
    let found: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut by_analysis: Vec<(String, String, String, String)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let (a, b) = (iri(&i["a"]), iri(&i["b"]));
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            (
                iri(&i["through"]),
                a,
                b,
                i["certainty"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    by_analysis.sort();
    by_analysis.dedup();
    by_query.dedup();
    assert!(by_query.len() > 10, "{} interlocks", by_query.len());
    assert_eq!(by_query, by_analysis);
}
