//! `interlock import`: how CSV rows and FtM entities are read (dates at
//! their precision, snapshots merged into spells), and bad input: a located
//! message, exit 1, and the store exactly as before.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{interlock, interlock_ok, seeded_store, select, snapshot};
use std::path::Path;

const MAPPING: &str = r#"[dataset]
id = "boards"
title = "Boards"

[source]
id = "register"
kind = "dataset"
title = "Board register"

[subject]
id = "p-{person}"
kind = "person"
name = "{person}"

[object]
id = "c-{company}"
kind = "company"
name = "{company}"

[relationship]
kind = "board-membership"
status = "confirmed"

[time]
start = "from"
end = "to"
format = "%Y-%m-%d"
precision = "month"
observed = "2002-05/2011-08"
end_censored = { column = "still", value = "true" }
"#;

const SEATS: &str = "person,company,from,to,still
Ann Lee,Acme ASA,2002-05-01,2004-03-01,false
Ann Lee,Bolt ASA,2003-11-01,2011-08-01,true
Bo Dahl,Acme ASA,2005-02-01,2006-07-01,false
";

const SNAPSHOT_MAPPING: &str = r#"[dataset]
id = "yearly"
title = "Year-end boards"

[source]
id = "filings"
kind = "dataset"
title = "Annual filings"

[subject]
id = "{director}"
kind = "person"
name = "{director}"

[object]
id = "{company}"
kind = "company"
name = "{company}"

[relationship]
kind = "board-membership"

[time]
snapshot = "year"
format = "%Y"
precision = "year"
snapshot_at = "end"
"#;

const YEARS: &str = "year,director,company
2003,Ann Lee,Acme
2004,Ann Lee,Acme
2006,Ann Lee,Acme
2005,Bo Dahl,Acme
2007,Bo Dahl,Acme
";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// The stated time (EDTF) of every relationship, by id.
fn times(store: &Path) -> Vec<Vec<String>> {
    select(
        store,
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT ?id ?edtf WHERE { ?r il:relationshipId ?id ; il:edtf ?edtf } ORDER BY ?id",
    )
}

fn owned(rows: &[[&str; 2]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

#[test]
fn csv_spells_keep_their_precision_and_censoring() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(dir.path(), "m.toml", MAPPING);
    let csv = write(dir.path(), "seats.csv", SEATS);
    let out = interlock_ok(dir.path(), &["import", "csv", &csv, "--mapping", &mapping]);
    assert!(out.contains("4 entities, 3 relationships"), "{out}");
    assert_eq!(
        times(dir.path()),
        owned(&[
            // Seen in the first snapshot: began then or before.
            [
                "p-ann-lee-board-membership-c-acme-asa",
                "[..2002-05]/2004-03"
            ],
            // Still held in the last snapshot: ended then or after.
            [
                "p-ann-lee-board-membership-c-bolt-asa",
                "2003-11/[2011-08..]"
            ],
            ["p-bo-dahl-board-membership-c-acme-asa", "2005-02/2006-07"],
        ])
    );
    // The row itself is the evidence, with its line.
    let evidence = select(
        dir.path(),
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT ?quote ?where WHERE { ?r il:relationshipId \"p-bo-dahl-board-membership-c-acme-asa\" ;
           il:evidence [ il:quote ?quote ; il:location ?where ] }",
    );
    assert_eq!(
        evidence,
        owned(&[[
            "Bo Dahl,Acme ASA,2005-02-01,2006-07-01,false",
            "seats.csv line 4"
        ]])
    );
    // Ann Lee sat on both boards from 2003-11 to 2004-03.
    let json: serde_json::Value = serde_json::from_str(&interlock_ok(
        dir.path(),
        &["interlocks", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json[0]["through_label"], "Ann Lee");
    assert_eq!(json[0]["window"]["possibly_from"], "2003-11-01");
    assert_eq!(json[0]["window"]["possibly_to"], "2004-03-31");
}

#[test]
fn snapshot_rows_merge_into_spells() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(dir.path(), "m.toml", SNAPSHOT_MAPPING);
    let csv = write(dir.path(), "years.csv", YEARS);
    interlock_ok(dir.path(), &["import", "csv", &csv, "--mapping", &mapping]);
    assert_eq!(
        times(dir.path()),
        owned(&[
            // 2003 and 2004: on the board at the first year end (since when, unknown),
            // gone by the end of 2005.
            [
                "ann-lee-board-membership-acme",
                "[..2003-12-31]/[2004-12-31..2005-12-30]"
            ],
            // 2006 again: joined during 2006, gone by the end of 2007.
            [
                "ann-lee-board-membership-acme-2",
                "2006/[2006-12-31..2007-12-30]"
            ],
            [
                "bo-dahl-board-membership-acme",
                "2005/[2005-12-31..2006-12-30]"
            ],
            // At the last year end: still there, for all we know.
            ["bo-dahl-board-membership-acme-2", "2007/[2007-12-31..]"],
        ])
    );
}

#[test]
fn ftm_entities_become_dated_relationships() {
    let dir = tempfile::tempdir().unwrap();
    let ftm = write(
        dir.path(),
        "leaks.ijson",
        r#"{"id": "p1", "schema": "Person", "properties": {"name": ["Ann Lee"]}}
{"id": "c1", "schema": "Company", "properties": {"name": ["Acme"], "country": ["no"]}}
{"id": "a1", "schema": "Address", "properties": {"full": ["1 Main St"]}}
{"id": "d1", "schema": "Directorship", "properties": {"director": ["p1"], "organization": ["c1"], "role": ["chair"], "startDate": ["2013"], "endDate": ["2015-06"]}}
{"id": "pay1", "schema": "Payment", "properties": {"payer": ["c1"], "beneficiary": ["p1"], "date": ["2014-02-03T10:00:00"], "amount": ["1500.50"], "currency": ["nok"]}}
"#,
    );
    let out = interlock_ok(dir.path(), &["import", "ftm", &ftm, "--json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json[0]["dataset"], "leaks");
    assert_eq!(json[0]["entities"], 2);
    assert_eq!(json[0]["relationships"], 2);
    assert_eq!(
        times(dir.path()),
        owned(&[["d1", "2013/2015-06"], ["pay1", "2014-02-03"]])
    );
    let amount = select(
        dir.path(),
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         PREFIX schema: <http://schema.org/>
         SELECT ?kind ?value ?currency WHERE { ?r il:relationshipId \"pay1\" ; a ?kind ;
           il:amount [ schema:value ?value ; schema:currency ?currency ] FILTER(?kind != il:Relationship) }",
    );
    assert_eq!(
        amount,
        vec![vec![
            "https://w3id.org/interlock/ontology#Payment".to_string(),
            "1500.5".to_string(),
            "NOK".to_string()
        ]]
    );
}

/// Runs a failing import on the seeded store: the message, exit 1, nothing changed.
fn fails(args: &[&str], expected: &str) {
    let store = seeded_store();
    let before = snapshot(store.path());
    let out = interlock(store.path(), args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected {expected:?} in:\n{stderr}"
    );
    assert!(stderr.contains("nothing was loaded"), "{stderr}");
    assert_eq!(snapshot(store.path()), before);
}

#[test]
fn a_bad_date_in_a_csv_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(dir.path(), "m.toml", MAPPING);
    let csv = write(
        dir.path(),
        "seats.csv",
        &SEATS.replace("2005-02-01", "2005-13-01"),
    );
    fails(
        &["import", "csv", &csv, "--mapping", &mapping],
        &format!("{csv}:4:18: '2005-13-01' in column from is not a date in the format %Y-%m-%d"),
    );
}

#[test]
fn a_row_with_missing_fields_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(dir.path(), "m.toml", MAPPING);
    let csv = write(
        dir.path(),
        "seats.csv",
        &format!("{SEATS}Cy Moe,Acme ASA\n"),
    );
    fails(
        &["import", "csv", &csv, "--mapping", &mapping],
        &format!("{csv}:5:1: this row has 2 fields; the header has 5"),
    );
}

#[test]
fn a_mapping_naming_a_missing_column_is_located_in_the_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(
        dir.path(),
        "m.toml",
        &MAPPING.replace("name = \"{company}\"", "name = \"{firm}\""),
    );
    let csv = write(dir.path(), "seats.csv", SEATS);
    fails(
        &["import", "csv", &csv, "--mapping", &mapping],
        &format!(
            "{mapping}:18:8: no column 'firm' in {csv}; its columns are person, company, from, to, still"
        ),
    );
}

#[test]
fn an_unknown_kind_in_a_mapping_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(
        dir.path(),
        "m.toml",
        &MAPPING.replace("kind = \"board-membership\"", "kind = \"board-seat\""),
    );
    let csv = write(dir.path(), "seats.csv", SEATS);
    fails(
        &["import", "csv", &csv, "--mapping", &mapping],
        &format!(
            "{mapping}:21:8: unknown relationship kind 'board-seat'; expected one of board-membership"
        ),
    );
}

#[test]
fn an_ftm_reference_to_a_missing_entity_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let ftm = write(
        dir.path(),
        "x.ijson",
        "{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Ann\"]}}\n\
         {\"id\": \"pay\", \"schema\": \"Payment\", \"properties\": {\"payer\": [\"p1\"], \"beneficiary\": [\"nobody\"]}}\n",
    );
    fails(
        &["import", "ftm", &ftm],
        &format!("{ftm}:2:85: 'beneficiary' refers to 'nobody', which is not a Person"),
    );
}

#[test]
fn a_dataset_id_that_is_not_a_slug_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ftm = write(
        dir.path(),
        "x.ijson",
        "{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Ann\"]}}\n",
    );
    fails(
        &["import", "ftm", &ftm, "--dataset", "Leaks 2024"],
        "dataset id 'Leaks 2024' is not a slug",
    );
    let mapping = write(
        dir.path(),
        "m.toml",
        &MAPPING.replace("id = \"boards\"", "id = \"Boards!\""),
    );
    let csv = write(dir.path(), "seats.csv", SEATS);
    fails(
        &["import", "csv", &csv, "--mapping", &mapping],
        &format!("{mapping}:2:6: dataset id 'Boards!' is not a slug"),
    );
}

#[test]
fn a_line_of_ftm_that_is_not_json_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let ftm = write(
        dir.path(),
        "x.ijson",
        "{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Ann\"]}}\n{\"id\": \"p2\", \"schema\": \n",
    );
    fails(&["import", "ftm", &ftm], &format!("{ftm}:2:"));
}

#[test]
fn an_rdf_syntax_error_after_many_good_triples_loads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut nt = String::new();
    for i in 0..20_000 {
        nt.push_str(&format!(
            "<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n"
        ));
    }
    nt.push_str("<http://example.org/s> <http://example.org/p> oops .\n");
    let file = write(dir.path(), "big.nt", &nt);
    fails(
        &["import", "rdf", &file, "--graph", "http://example.org/g"],
        &format!("{file}:20001:"),
    );
}

#[test]
fn import_rdf_puts_every_file_in_the_graph_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.ttl", "<http://e/a> <http://e/p> 1 .\n");
    let b = write(dir.path(), "b.nt", "<http://e/b> <http://e/p> \"2\" .\n");
    interlock_ok(
        dir.path(),
        &["import", "rdf", &a, &b, "--graph", "http://e/g"],
    );
    let rows = select(
        dir.path(),
        "SELECT ?s WHERE { GRAPH <http://e/g> { ?s ?p ?o } } ORDER BY ?s",
    );
    assert_eq!(
        rows,
        vec![
            vec!["http://e/a".to_string()],
            vec!["http://e/b".to_string()]
        ]
    );
}

/// The messy register fixture (tests/data/messy): its table and mapping.
fn messy() -> (String, String) {
    let dir = common::project("tests/data/messy");
    let path = |f: &str| dir.join(f).to_str().unwrap().to_string();
    (path("register.csv"), path("mapping.toml"))
}

#[test]
fn a_messy_register_without_rejects_is_refused_with_its_problems_counted() {
    let (csv, mapping) = messy();
    let store = seeded_store();
    let before = snapshot(store.path());
    let out = interlock(
        store.path(),
        &["import", "csv", &csv, "--mapping", &mapping],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for expected in [
        "1 rows: unreadable row",
        "1 rows: unreadable date",
        "1 rows: end before start",
        "1 rows: empty id",
        "1 rows: unknown kind",
        &format!("{csv}:3:57: ends (2009-06-30) before it starts (2012-05-01)"),
        &format!("{csv}:6:1: subject id: column person_key is empty"),
        &format!(
            "{csv}:7:46: '2010/13/45' in column start is not a date in the format %Y/%m/%d or %Y-%m"
        ),
        &format!("{csv}:10:1: this row has 8 fields; the header has 7"),
        &format!("{csv}:15:36: 'bookkeeper' in column role names no relationship kind"),
        "5 of 13 rows cannot be held; nothing was loaded. With --rejects FILE they are written to FILE and the other 8 rows load.",
    ] {
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in:\n{stderr}"
        );
    }
    assert_eq!(snapshot(store.path()), before);
}

#[test]
fn a_messy_register_with_rejects_loads_every_row_it_can_hold() {
    let (csv, mapping) = messy();
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects.csv");
    let rejects_arg = rejects.to_str().unwrap();
    let args = [
        "import",
        "csv",
        &csv,
        "--mapping",
        &mapping,
        "--rejects",
        rejects_arg,
        "--json",
    ];
    let out = interlock_ok(dir.path(), &args);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let report = &report[0]["report"];
    assert_eq!(report["rows_read"], 13);
    assert_eq!(report["rows_loaded"], 8);
    assert_eq!(
        report["rejected"],
        serde_json::json!({"empty id": 1, "end before start": 1, "unknown kind": 1, "unreadable date": 1, "unreadable row": 1})
    );
    assert_eq!(report["entities"], 12);
    assert_eq!(
        report["relationships"],
        serde_json::json!({"dated": 3, "half_dated": 4, "undated": 1})
    );
    assert_eq!(report["ids_with_differing_names"], 1);
    assert_eq!(
        report["differing_names"][0],
        serde_json::json!({"id": "za-person-p1", "names": ["Jane Doe", "J. Doe"]})
    );

    // Each reject: its line, column, reason, message, and the row verbatim.
    let mut reader = csv::Reader::from_path(&rejects).unwrap();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let table: Vec<[&str; 3]> = rows
        .iter()
        .map(|r| [r[0].as_str(), r[2].as_str(), r[4].as_str()])
        .collect();
    assert_eq!(
        table,
        [
            [
                "3",
                "end before start",
                "John Roe,P2,Acme Ltd,2001/000001/07,director,2012/05/01,2009/06/30"
            ],
            [
                "6",
                "empty id",
                ",,Gamma Ltd,2007/000003/07,director,2010/01/01,2011/01/01"
            ],
            [
                "7",
                "unreadable date",
                "Jane Doe,P1,Beta Ltd,2005/000002/07,director,2010/13/45,"
            ],
            [
                "10",
                "unreadable row",
                "Dan Poe,P5,Acme Ltd,2001/000001/07,director,2010/01/01,2011/01/01,extra"
            ],
            [
                "15",
                "unknown kind",
                "Hal Ray,P9,Acme Ltd,2001/000001/07,bookkeeper,2010/01/01,2011/01/01"
            ],
        ]
    );

    // Each relationship's dates as the rows say, and its evidence: its own
    // row, verbatim, at its own line (a cell over two lines moves the next).
    let held = select(
        dir.path(),
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT ?id ?edtf ?quote ?where WHERE {
           ?r il:relationshipId ?id ; il:evidence ?e . ?e il:quote ?quote ; il:location ?where
           OPTIONAL { ?r il:edtf ?edtf } } ORDER BY ?id",
    );
    let file = "register.csv";
    let expected: Vec<Vec<String>> = [
        [
            "za-person-bob-ray-board-membership-za-company-2005-000002-07",
            "2009-06-01/..",
            "Bob Ray,,Beta Ltd,2005/000002/07,director,2009/06/01,",
            "line 5",
        ],
        [
            "za-person-p1-board-membership-za-company-2001-000001-07",
            "2009-06-30/2012-01-31",
            "Jane Doe,P1,Acme Ltd,2001/000001/07,director,2009/06/30,2012/01/31",
            "line 2",
        ],
        [
            "za-person-p1-board-membership-za-company-2007-000003-07",
            "2010-02-01/2011-02-01",
            "J. Doe,P1,Gamma Ltd,2007/000003/07,director,2010/02/01,2011/02/01",
            "line 8",
        ],
        [
            "za-person-p3-employment-za-company-2005-000002-07",
            "",
            "Ann Lee,P3,Beta Ltd,2005/000002/07,secretary,,",
            "line 4",
        ],
        [
            "za-person-p4-board-membership-za-company-2001-000001-07",
            "2011-03/..",
            "\"Carol \"\"CJ\"\" King\",P4,Acme Ltd,2001/000001/07,\"director, alternate\",2011-03,",
            "line 9",
        ],
        [
            "za-person-p6-board-membership-za-company-2008-000004-07",
            "2008-01-01/2008-12-31",
            "Eve Moe,P6,\"Delta\nHoldings\",2008/000004/07,director,2008/01/01,2008/12/31",
            "line 11",
        ],
        [
            "za-person-p7-board-membership-za-company-2001-000001-07",
            "../2010-05-05",
            "Fay Noe,P7,Acme Ltd,2001/000001/07,director,,2010/05/05",
            "line 13",
        ],
        [
            "za-person-p8-board-membership-za-company-2009-000005-07",
            "2010-01-01/..",
            "Gus Oak,P8,Gus Oak,2009/000005/07,director,2010/01/01,",
            "line 14",
        ],
    ]
    .iter()
    .map(|[id, edtf, quote, line]| {
        vec![
            id.to_string(),
            edtf.to_string(),
            quote.to_string(),
            format!("{file} {line}"),
        ]
    })
    .collect();
    assert_eq!(held, expected);

    // Every quote is the file's text from the start of its line, as the
    // file has it (line numbers count every line end, also one in a cell).
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    for row in &held {
        let n: usize = row[3].rsplit(' ').next().unwrap().parse().unwrap();
        assert!(
            lines[n - 1..].join("\n").starts_with(&row[2]),
            "line {n}: {}",
            row[2]
        );
    }

    // The one id given two names keeps both.
    let names = select(
        dir.path(),
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT ?name ?alias WHERE { ?p il:entityId \"za-person-p1\" ; <http://www.w3.org/2000/01/rdf-schema#label> ?name ;
           <http://www.w3.org/2004/02/skos/core#altLabel> ?alias }",
    );
    assert_eq!(names, [["Jane Doe", "J. Doe"]]);

    // The interlocks at a date are what the rows say: Jane Doe (P1) sat on
    // Acme's and Gamma's boards in June 2010; no one else sat on two.
    let out = interlock_ok(
        dir.path(),
        &["interlocks", "--at", "2010-06", "--format", "json"],
    );
    let interlocks: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<(String, String, String)> = interlocks
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["through"].as_str().unwrap().into(),
                i["a"].as_str().unwrap().into(),
                i["b"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "za-person-p1".into(),
            "za-company-2001-000001-07".into(),
            "za-company-2007-000003-07".into()
        )]
    );
}

#[test]
fn max_rejects_refuses_past_a_count_or_a_share() {
    let (csv, mapping) = messy();
    for (limit, loads) in [("4", false), ("5", true), ("30%", false), ("40%", true)] {
        let store = seeded_store();
        let before = snapshot(store.path());
        let rejects = store.path().join("rejects.csv");
        let args = [
            "import",
            "csv",
            &csv,
            "--mapping",
            &mapping,
            "--rejects",
            rejects.to_str().unwrap(),
            "--max-rejects",
            limit,
        ];
        let out = interlock(store.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.success(), loads, "{limit}: {stderr}");
        if !loads {
            assert!(
                stderr.contains(&format!(
                    "5 of 13 rows rejected, more than --max-rejects {limit}; nothing was loaded"
                )),
                "{stderr}"
            );
            assert_eq!(snapshot(store.path()), before, "{limit}");
        }
        assert_eq!(
            std::fs::read_to_string(&rejects).unwrap().lines().count(),
            6,
            "{limit}: the rejects are written either way"
        );
    }
}

const SHEET_MAPPING: &str = r#"[dataset]
id = "sheet-boards"
title = "Boards from a spreadsheet"

[source]
id = "sheet"
kind = "dataset"
title = "A workbook"

[csv]
sheet = "Boards"

[subject]
id = "p-{person_key}"
kind = "person"
name = "{person}"

[object]
id = "c-{company}"
kind = "company"
name = "{company}"

[relationship]
kind = "board-membership"

[time]
start = "start"
end = "end"
format = ["%Y-%m-%d", "%Y-%m"]
"#;

#[test]
fn spreadsheets_and_tsv_read_with_the_same_mapping() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    // A workbook whose first sheet is notes; the boards are on the second,
    // with numbers as keys and typed date cells shown day-first.
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "not the data")
        .unwrap();
    let sheet = book.add_worksheet().set_name("Boards").unwrap();
    let day_first = Format::new().set_num_format("dd/mm/yyyy");
    for (col, name) in ["person", "person_key", "company", "start", "end"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "Jane Doe").unwrap();
    sheet.write_number(1, 1, 1.0).unwrap();
    sheet.write_string(1, 2, "Acme, Ltd").unwrap();
    let start = ExcelDateTime::from_ymd(2009, 6, 30).unwrap();
    sheet
        .write_datetime_with_format(1, 3, &start, &day_first)
        .unwrap();
    sheet.write_string(1, 4, "2012-01").unwrap();
    sheet.write_string(2, 0, "Bo Dahl").unwrap();
    sheet.write_number(2, 1, 2.0).unwrap();
    sheet.write_string(2, 2, "Bolt").unwrap();
    let xlsx = dir.path().join("boards.xlsx");
    book.save(&xlsx).unwrap();
    let tsv = write(
        dir.path(),
        "boards.tsv",
        "person\tperson_key\tcompany\tstart\tend\nJane Doe\t1\tAcme, Ltd\t2009-06-30\t2012-01\nBo Dahl\t2\tBolt\t\t\n",
    );
    let mapping = write(dir.path(), "m.toml", SHEET_MAPPING);
    let evidence = "PREFIX il: <https://w3id.org/interlock/ontology#>
        SELECT ?id ?edtf ?quote ?where WHERE { ?r il:relationshipId ?id ; il:evidence ?e .
          ?e il:quote ?quote ; il:location ?where OPTIONAL { ?r il:edtf ?edtf } } ORDER BY ?id";
    for (table, jane, bo, place) in [
        (
            xlsx.to_str().unwrap(),
            "Jane Doe,1,\"Acme, Ltd\",2009-06-30,2012-01",
            "Bo Dahl,2,Bolt,,",
            "boards.xlsx sheet 'Boards' row",
        ),
        (
            tsv.as_str(),
            "Jane Doe\t1\tAcme, Ltd\t2009-06-30\t2012-01",
            "Bo Dahl\t2\tBolt\t\t",
            "boards.tsv line",
        ),
    ] {
        let store = tempfile::tempdir().unwrap();
        interlock_ok(
            store.path(),
            &["import", "csv", table, "--mapping", &mapping],
        );
        let rows = select(store.path(), evidence);
        let expected = vec![
            vec![
                "p-1-board-membership-c-acme-ltd".to_string(),
                "2009-06-30/2012-01".into(),
                jane.into(),
                format!("{place} 2"),
            ],
            vec![
                "p-2-board-membership-c-bolt".to_string(),
                String::new(),
                bo.into(),
                format!("{place} 3"),
            ],
        ];
        assert_eq!(rows, expected, "{table}");
    }
    // A sheet that is not there is named with the sheets that are.
    let wrong = write(
        dir.path(),
        "wrong.toml",
        &SHEET_MAPPING.replace("sheet = \"Boards\"", "sheet = \"Seats\""),
    );
    fails(
        &["import", "csv", xlsx.to_str().unwrap(), "--mapping", &wrong],
        "no sheet 'Seats'; its sheets are Notes, Boards",
    );
}

#[test]
fn ftm_lines_that_cannot_be_held_are_rejected_and_the_rest_load() {
    let lines = [
        r#"{"id": "p1", "schema": "Person", "properties": {"name": ["Ann Lee"]}}"#,
        r#"{"id": "c1", "schema": "Company", "properties": {"name": ["Acme"]}}"#,
        r#"{"id": "d1", "schema": "Directorship", "properties": {"director": ["p1"], "organization": ["c1"], "startDate": ["2012-05"], "endDate": ["2009"]}}"#,
        r#"{"id": "d2", "schema": "Directorship", "properties": {"director": ["p1"], "organization": ["c1"], "startDate": ["2013-02-01"]}}"#,
        r#"{"id": "d3", "schema": "Directorship", "properties": {"director": ["p1"], "organization": ["c1"], "endDate": ["2015"]}}"#,
        r#"{"id": "m1", "schema": "Membership", "properties": {"member": ["p1"], "organization": ["nobody"]}}"#,
        r#"{"id": "pay1", "schema": "Payment", "properties": {"payer": ["c1"], "beneficiary": ["p1"], "date": ["soon"], "amount": ["10"], "currency": ["EUR"]}}"#,
        r#"{"id": "p2", "schema": "Person""#,
        r#"{"id": "u1", "schema": "UnknownLink", "properties": {"subject": ["p1"], "object": ["c1"]}}"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    let ftm = write(dir.path(), "leak.ijson", &(lines.join("\n") + "\n"));
    let rejects = dir.path().join("rejects.csv");
    let out = interlock_ok(
        dir.path(),
        &[
            "import",
            "ftm",
            &ftm,
            "--rejects",
            rejects.to_str().unwrap(),
            "--json",
        ],
    );
    let loaded: serde_json::Value = serde_json::from_str(&out).unwrap();
    let report = &loaded[0]["report"];
    assert_eq!(report["rows_read"], 9);
    assert_eq!(report["rows_loaded"], 5);
    assert_eq!(
        report["rejected"],
        serde_json::json!({"end before start": 1, "reference to nothing": 1, "unreadable date": 1, "unreadable row": 1})
    );
    assert_eq!(
        report["relationships"],
        serde_json::json!({"dated": 0, "half_dated": 2, "undated": 1})
    );
    let mut reader = csv::Reader::from_path(&rejects).unwrap();
    let got: Vec<(String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[2].to_string(), r[4].to_string())
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        (3, "end before start"),
        (6, "reference to nothing"),
        (7, "unreadable date"),
        (8, "unreadable row"),
    ]
    .iter()
    .map(|(line, why)| {
        (
            line.to_string(),
            why.to_string(),
            lines[line - 1].to_string(),
        )
    })
    .collect();
    assert_eq!(got, expected);
    assert_eq!(
        times(dir.path()),
        owned(&[["d2", "2013-02-01/.."], ["d3", "../2015"]])
    );
}

#[test]
fn a_generated_world_as_csv_imports_with_kinds_from_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("world.csv");
    let csv = csv.to_str().unwrap();
    interlock_ok(
        dir.path(),
        &[
            "generate",
            "--relationships",
            "2000",
            "--seed",
            "3",
            "--format",
            "csv",
            "-o",
            csv,
        ],
    );
    let mapping = common::project("bench/world-csv.toml");
    let out = interlock_ok(
        dir.path(),
        &[
            "import",
            "csv",
            csv,
            "--mapping",
            mapping.to_str().unwrap(),
            "--json",
        ],
    );
    let loaded: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(loaded[0]["report"]["rows_loaded"], 2000, "{out}");
    // Each entity has the kind its rows give it, as the world made it.
    let mut reader = csv::Reader::from_path(csv).unwrap();
    let mut kinds = std::collections::BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        kinds.insert(row[0].to_string(), row[2].to_string());
        kinds.insert(row[3].to_string(), row[5].to_string());
    }
    let typed = select(
        dir.path(),
        "PREFIX il: <https://w3id.org/interlock/ontology#>
         SELECT ?id ?kind WHERE { ?e il:entityId ?id ; a ?kind FILTER(?kind NOT IN (il:Entity)) } ORDER BY ?id",
    );
    assert_eq!(typed.len(), kinds.len());
    let term = |kind: &str| match kind {
        "person" => "https://w3id.org/interlock/ontology#Person",
        "company" => "https://w3id.org/interlock/ontology#Company",
        "government-body" => "https://w3id.org/interlock/ontology#GovernmentBody",
        other => panic!("a kind the world does not make: {other}"),
    };
    for row in &typed {
        assert_eq!(row[1], term(&kinds[&row[0]]), "{}", row[0]);
    }
    // A value that names no kind rejects its row.
    let text = std::fs::read_to_string(csv)
        .unwrap()
        .replacen(",person,", ",wizard,", 1);
    let bad = write(dir.path(), "bad.csv", &text);
    fails(
        &[
            "import",
            "csv",
            &bad,
            "--mapping",
            mapping.to_str().unwrap(),
        ],
        "'wizard' in column subject_kind is not an entity kind",
    );
}
