//! CSV through a mapping, at the crate: year-end snapshots merged into
//! spells, spells with censored ends, and located problems.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

use interlock_import::{Mapping, read_csv};
use std::path::PathBuf;

/// A mapping and a CSV written to a temporary folder.
fn files(mapping: &str, csv: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("mapping.toml");
    let c = dir.path().join("rows.csv");
    std::fs::write(&m, mapping).unwrap();
    std::fs::write(&c, csv).unwrap();
    (dir, m, c)
}

const SNAPSHOTS: &str = r#"
[dataset]
id = "boards"
title = "Boards"

[source]
id = "register"
kind = "dataset"
title = "The register"

[subject]
id = "p-{director}"
kind = "person"
name = "{director}"

[object]
id = "c-{company}"
kind = "company"
name = "{company}"

[relationship]
kind = "board-membership"
status = "confirmed"

[time]
snapshot = "year_end"
format = "%Y"
precision = "year"
snapshot_at = "end"
"#;

/// The spells read from `csv`, as (subject, object, EDTF), sorted.
fn spells(mapping: &str, csv: &str) -> Vec<(String, String, String)> {
    let (_dir, m, c) = files(mapping, csv);
    let mapping = Mapping::read(&m).unwrap();
    let dataset = read_csv(&c, &mapping).unwrap().dataset;
    let mut out: Vec<_> = dataset
        .relationships
        .iter()
        .map(|r| {
            let during = r
                .during
                .as_ref()
                .map(|d| d.text.clone())
                .unwrap_or_default();
            (r.subject.clone(), r.object.clone(), during)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn year_end_snapshots_merge_into_spells() {
    // Observed at the ends of 2003, 2004 and 2005: Ann sat through all of
    // them (began on or before the first, ended on or after the last); Bob
    // left after 2003 and came back in 2005 (two seats); Cy joined in 2004.
    let csv = "year_end,director,company\n\
               2003,Ann,Acme\n2004,Ann,Acme\n2005,Ann,Acme\n\
               2003,Bob,Acme\n2005,Bob,Acme\n\
               2004,Cy,Acme\n2005,Cy,Acme\n";
    let got = spells(SNAPSHOTS, csv);
    let row = |s: &str, edtf: &str| (s.to_string(), "c-acme".to_string(), edtf.to_string());
    assert_eq!(
        got,
        vec![
            row("p-ann", "[..2003-12-31]/[2005-12-31..]"),
            // Began in 2005 (after the end of 2004, by the end of 2005).
            row("p-bob", "2005/[2005-12-31..]"),
            row("p-bob", "[..2003-12-31]/[2003-12-31..2004-12-30]"),
            row("p-cy", "2004/[2005-12-31..]"),
        ]
    );
}

#[test]
fn rows_are_rejected_and_mapping_problems_located() {
    let csv = "year_end,director,company\n2003,Ann,Acme\nsoon,Bob,Acme\n";
    let (_dir, m, c) = files(SNAPSHOTS, csv);
    let mapping = Mapping::read(&m).unwrap();
    let imported = read_csv(&c, &mapping).unwrap();
    assert_eq!(imported.rejects.len(), 1, "{:?}", imported.rejects);
    let reject = &imported.rejects[0];
    assert_eq!((reject.line, reject.column), (3, 1));
    assert_eq!(
        reject.reason,
        interlock_import::RejectReason::UnreadableDate
    );
    assert_eq!(reject.row, "soon,Bob,Acme");
    assert!(
        reject.message.contains("'soon' in column year_end"),
        "{}",
        reject.message
    );
    assert_eq!(imported.dataset.relationships.len(), 1);

    let bad = SNAPSHOTS.replace("id = \"boards\"", "id = \"Boards!\"");
    let (_dir, m, _) = files(&bad, csv);
    let problems = Mapping::read(&m).unwrap_err();
    assert_eq!((problems[0].line, problems[0].column), (3, 6));
    assert!(
        problems[0]
            .message
            .contains("dataset id 'Boards!' is not a slug")
    );
}

#[test]
fn a_streamed_table_makes_the_quads_of_one_read_at_once() {
    use interlock_load::{Input, IriBase, imported_input};
    let messy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/messy");
    let (csv, mapping) = (messy.join("register.csv"), messy.join("mapping.toml"));
    let mapping = Mapping::read(&mapping).unwrap();
    let streamed = read_csv(&csv, &mapping).unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    let whole = interlock_import::parse_csv(&csv, &text, &mapping).unwrap();
    assert!(streamed.relationships.is_some() && whole.relationships.is_none());
    assert_eq!(streamed.report, whole.report);
    assert_eq!(streamed.rejects, whole.rejects);
    let base = IriBase::default();
    let relationships = streamed.relationships.map(|s| {
        let n = s.count();
        (s.source(&base), n)
    });
    let a = imported_input(&csv, streamed.dataset, &base, "{}", relationships);
    let b = imported_input(&csv, whole.dataset, &base, "{}", None);
    let quads = |i: &Input| {
        let mut q: Vec<String> = i.quads().map(|q| q.unwrap().to_string()).collect();
        q.sort();
        q
    };
    let (a, b) = (quads(&a), quads(&b));
    assert!(a.len() > 200, "{}", a.len());
    assert_eq!(a, b);
}
