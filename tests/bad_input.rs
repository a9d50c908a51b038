//! Bad input: each case gets a located message (`file:line:column: …`), exit
//! code 1, and leaves the store answering exactly as before.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

mod common;

use common::{interlock, seeded_store, snapshot};
use std::path::{Path, PathBuf};

const TINY: &str = r#"[dataset]
id = "tiny"
title = { en = "Tiny" }

[[entity]]
id = "acme"
kind = "company"
name = { en = "Acme" }

[[entity]]
id = "jane"
kind = "person"
name = { en = "Jane Roe" }

[[source]]
id = "paper"
kind = "news-article"
title = "Jane joins Acme"
language = "en"
url = "https://example.org/jane"

[[relationship]]
id = "jane-acme-board"
kind = "board-membership"
subject = "jane"
object = "acme"
during = "2015/2018"
status = "reported"
amount = { value = 1000, currency = "EUR", period = "per-year" }

[[relationship.evidence]]
source = "paper"
quote = "Jane joined the board of Acme in 2015."
"#;

/// TINY with the first occurrence of `from` replaced by `to`.
fn tiny_with(from: &str, to: &str) -> String {
    assert!(TINY.contains(from), "TINY contains {from:?}");
    TINY.replacen(from, to, 1)
}

/// 1-based line and column (in characters) of the first `needle` in `text`, plus `shift` characters.
fn position(text: &str, needle: &str, shift: usize) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1
        + shift;
    (line, col)
}

struct Case {
    _dir: tempfile::TempDir,
    store: tempfile::TempDir,
    before: Vec<String>,
}

impl Case {
    fn new() -> Case {
        let store = seeded_store();
        let before = snapshot(store.path());
        assert!(before.len() > 100, "the seed is loaded");
        Case {
            _dir: tempfile::tempdir().unwrap(),
            store,
            before,
        }
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self._dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Loads `paths`, expects failure with every message in `expected`,
    /// checks `check` says the same, and that the store is unchanged.
    fn fails(&self, paths: &[&Path], expected: &[String]) -> String {
        let args: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap()).collect();
        let mut load_args = vec!["load"];
        load_args.extend(&args);
        let out = interlock(self.store.path(), &load_args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(1),
            "load should fail with 1; stderr:\n{stderr}"
        );
        for e in expected {
            assert!(stderr.contains(e.as_str()), "stderr lacks {e:?}:\n{stderr}");
        }
        assert!(stderr.contains("nothing was loaded"), "{stderr}");
        assert_eq!(
            snapshot(self.store.path()),
            self.before,
            "the store changed"
        );

        let mut check_args = vec!["check"];
        check_args.extend(&args);
        let out = interlock(self.store.path(), &check_args);
        let check_err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "check should fail with 1");
        for e in expected {
            assert!(
                check_err.contains(e.as_str()),
                "check stderr lacks {e:?}:\n{check_err}"
            );
        }
        stderr
    }

    /// A timeline file whose first `from` is replaced by `to`; expects `message` at the
    /// position of `needle` (+ `shift` characters) in the new text.
    fn timeline_fails(&self, from: &str, to: &str, needle: &str, shift: usize, message: &str) {
        let text = tiny_with(from, to);
        let path = self.file("tiny.toml", &text);
        let (line, col) = position(&text, needle, shift);
        self.fails(
            &[&path],
            &[format!("{}:{line}:{col}: {message}", path.display())],
        );
    }
}

#[test]
fn the_tiny_timeline_itself_loads() {
    let case = Case::new();
    let path = case.file("tiny.toml", TINY);
    let out = interlock(case.store.path(), &["load", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(snapshot(case.store.path()), case.before);
}

#[test]
fn toml_syntax_error() {
    Case::new().timeline_fails("id = \"acme\"", "id = \"acme", "id = \"acme", 10, "");
}

#[test]
fn unknown_entity_reference() {
    Case::new().timeline_fails(
        "subject = \"jane\"",
        "subject = \"nobody\"",
        "\"nobody\"",
        0,
        "subject 'nobody' is not an entity of this file",
    );
}

#[test]
fn duplicate_entity_id() {
    Case::new().timeline_fails(
        "id = \"jane\"",
        "id = \"acme\"",
        "id = \"acme\"\nkind = \"person\"",
        5,
        "duplicate entity id 'acme'",
    );
}

#[test]
fn invalid_edtf_date() {
    // The column points at the month inside the string.
    Case::new().timeline_fails(
        "during = \"2015/2018\"",
        "during = \"2013-13/2018\"",
        "2013-13/2018",
        5,
        "invalid EDTF interval '2013-13/2018': month '13' is not 01-12 or a season/quarter code 21-41",
    );
}

#[test]
fn end_before_start() {
    Case::new().timeline_fails(
        "during = \"2015/2018\"",
        "during = \"2019/2011\"",
        "2019/2011",
        0,
        "invalid EDTF interval '2019/2011': interval ends (2011) before it starts (2019)",
    );
}

#[test]
fn unknown_relationship_kind() {
    Case::new().timeline_fails(
        "kind = \"board-membership\"",
        "kind = \"friendship\"",
        "\"friendship\"",
        0,
        "unknown relationship kind 'friendship'; expected one of: board-membership, executive-role",
    );
}

#[test]
fn evidence_without_source() {
    Case::new().timeline_fails(
        "source = \"paper\"\n",
        "",
        "[[relationship.evidence]]",
        0,
        "missing field `source`",
    );
}

#[test]
fn evidence_citing_an_unknown_source() {
    Case::new().timeline_fails(
        "source = \"paper\"\n",
        "source = \"blog\"\n",
        "\"blog\"",
        0,
        "evidence cites unknown source 'blog'",
    );
}

#[test]
fn amount_without_currency() {
    Case::new().timeline_fails(
        "currency = \"EUR\", ",
        "",
        "{ value = 1000",
        0,
        "amount without currency; add currency = \"USD\" (ISO 4217)",
    );
}

#[test]
fn amount_with_a_bad_currency_and_value() {
    let case = Case::new();
    let text = tiny_with(
        "value = 1000, currency = \"EUR\"",
        "value = -5, currency = \"euro\"",
    );
    let path = case.file("tiny.toml", &text);
    let (l1, c1) = position(&text, "-5", 0);
    let (l2, c2) = position(&text, "\"euro\"", 0);
    case.fails(
        &[&path],
        &[
            format!(
                "{}:{l1}:{c1}: amount value -5 is not a non-negative number",
                path.display()
            ),
            format!(
                "{}:{l2}:{c2}: currency 'euro' is not an ISO 4217 code",
                path.display()
            ),
        ],
    );
}

#[test]
fn not_utf8() {
    let case = Case::new();
    let mut bytes = TINY.as_bytes().to_vec();
    let at = TINY.find("Jane Roe").unwrap() + 5;
    bytes[at] = 0xFF;
    let path = case.file("latin1.toml", &bytes);
    let (line, col) = position(TINY, "Jane Roe", 5);
    case.fails(
        &[&path],
        &[format!(
            "{}:{line}:{col}: not UTF-8: byte 0xFF does not start a valid UTF-8 character",
            path.display()
        )],
    );
}

#[test]
fn empty_file() {
    let case = Case::new();
    let path = case.file("empty.toml", "  \n\n");
    case.fails(
        &[&path],
        &[format!(
            "{}:1:1: empty file; expected a timeline with a [dataset] table",
            path.display()
        )],
    );
}

#[test]
fn a_large_file_of_junk() {
    let case = Case::new();
    let mut junk = String::with_capacity(2_000_000);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while junk.len() < 2_000_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let c = (b' ' + (x % 95) as u8) as char;
        junk.push(c);
        if x.is_multiple_of(61) {
            junk.push('\n');
        }
    }
    let path = case.file("junk.toml", &junk);
    let stderr = case.fails(&[&path], &[format!("{}:1:", path.display())]);
    assert!(
        stderr.lines().count() < 10,
        "one located error, not a flood: {stderr}"
    );
}

#[test]
fn a_folder_with_one_bad_file_among_good_ones() {
    let case = Case::new();
    let folder = case._dir.path().join("many");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a-good.toml"), TINY).unwrap();
    std::fs::write(
        folder.join("c-good.toml"),
        TINY.replace("id = \"tiny\"", "id = \"tiny-2\""),
    )
    .unwrap();
    let bad = tiny_with("id = \"tiny\"", "id = \"tiny-3\"")
        .replace("status = \"reported\"", "status = \"rumoured\"");
    std::fs::write(folder.join("b-bad.toml"), &bad).unwrap();
    let (line, col) = position(&bad, "\"rumoured\"", 0);
    case.fails(
        &[&folder],
        &[format!(
            "{}:{line}:{col}: unknown claim status 'rumoured'; expected one of: alleged, reported, confirmed, disputed, unsupported",
            folder.join("b-bad.toml").display()
        )],
    );
}

#[test]
fn misspelt_field() {
    Case::new().timeline_fails(
        "subject = ",
        "subjet = ",
        "subjet",
        0,
        "unknown field `subjet`",
    );
}

#[test]
fn missing_dataset_table() {
    let case = Case::new();
    let text = TINY.replacen(
        "[dataset]\nid = \"tiny\"\ntitle = { en = \"Tiny\" }\n",
        "",
        1,
    );
    let path = case.file("nodataset.toml", &text);
    case.fails(
        &[&path],
        &[format!("{}:1:1: missing field `dataset`", path.display())],
    );
}

#[test]
fn relationship_without_evidence() {
    let case = Case::new();
    let cut = TINY.find("[[relationship.evidence]]").unwrap();
    let text = &TINY[..cut];
    let path = case.file("noevidence.toml", text);
    let (line, col) = position(text, "\"jane-acme-board\"", 0);
    case.fails(
        &[&path],
        &[format!(
            "{}:{line}:{col}: 'jane-acme-board' has no evidence",
            path.display()
        )],
    );
}

#[test]
fn invalid_language_tag() {
    Case::new().timeline_fails(
        "name = { en = \"Acme\" }",
        "name = { english = \"Acme\" }",
        "{ english",
        0,
        "'english' in entity name is not a language tag",
    );
}

#[test]
fn invalid_wikidata_id() {
    Case::new().timeline_fails(
        "name = { en = \"Acme\" }",
        "name = { en = \"Acme\" }\nids = { wikidata = \"907311\" }",
        "\"907311\"",
        0,
        "'907311' is not a valid wikidata identifier (expected Q followed by digits, e.g. Q907311)",
    );
}

#[test]
fn invalid_source_url() {
    Case::new().timeline_fails(
        "url = \"https://example.org/jane\"",
        "url = \"example.org/jane\"",
        "\"example.org/jane\"",
        0,
        "source url 'example.org/jane' is not an http(s) URL",
    );
}

#[test]
fn relationship_to_itself() {
    Case::new().timeline_fails(
        "object = \"acme\"",
        "object = \"jane\"",
        "object = \"jane\"",
        9,
        "relationship 'jane-acme-board' ties 'jane' to itself",
    );
}

#[test]
fn duplicate_dataset_ids_across_files() {
    let case = Case::new();
    let a = case.file("a.toml", TINY);
    let b = case.file("b.toml", TINY);
    case.fails(
        &[&a, &b],
        &[format!(
            "{}:1:1: dataset id 'tiny' is also the id of {}",
            b.display(),
            a.display()
        )],
    );
}

#[test]
fn missing_path_and_unknown_extension() {
    let case = Case::new();
    let missing = case._dir.path().join("nowhere.toml");
    let odd = case.file("notes.txt", "hello");
    case.fails(
        &[&missing, &odd],
        &[
            format!("{}:1:1: no such file or folder", missing.display()),
            format!("{}:1:1: unknown file type", odd.display()),
        ],
    );
}

#[test]
fn rdf_syntax_error_is_located() {
    let case = Case::new();
    let path = case.file(
        "broken.ttl",
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e \"unterminated .\n",
    );
    case.fails(&[&path], &[format!("{}:3:", path.display())]);
}

#[test]
fn every_problem_in_a_file_is_reported() {
    let case = Case::new();
    let text = TINY
        .replacen("kind = \"company\"", "kind = \"corporation\"", 1)
        .replacen("during = \"2015/2018\"", "during = \"2015-02-30/2018\"", 1)
        .replacen("status = \"reported\"", "status = \"maybe\"", 1);
    let path = case.file("many.toml", &text);
    let stderr = case.fails(
        &[&path],
        &[
            "unknown entity kind 'corporation'".to_string(),
            "invalid EDTF interval '2015-02-30/2018'".to_string(),
            "unknown claim status 'maybe'".to_string(),
        ],
    );
    assert!(
        stderr.contains("3 problems found; nothing was loaded"),
        "{stderr}"
    );
}
