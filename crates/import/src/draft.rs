//! A first mapping for a table no mapping was written for: guessed from its
//! header and a sample of its rows, written as commented TOML for a person
//! to check. Dates: the columns whose values read as dates, with the
//! formats that read them (start, end or snapshot by their names); parties:
//! the columns that name people and organizations, and the columns that
//! identify them.

use crate::dates;
use crate::rows::{SourceRow, Table};
use interlock_load::{Diagnostic, read_utf8};
use interlock_model::slug::slugify;
use std::fmt::Write;
use std::path::Path;

/// How many rows the guess looks at.
pub const SAMPLE_ROWS: usize = 1000;

/// Formats tried on date-like columns, most specific first.
const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y%m%d", "%Y-%m", "%Y/%m", "%Y%m",
    "%Y",
];

/// Words in a header that say what a column holds.
const START_WORDS: &[&str] = &[
    "start", "begin", "from", "first", "appoint", "since", "join", "entry",
];
const END_WORDS: &[&str] = &[
    "end", "until", "last", "resign", "cease", "left", "exit", "terminat", "to_date",
];
const PERSON_WORDS: &[&str] = &[
    "person",
    "director",
    "officer",
    "manager",
    "member",
    "individual",
    "people",
];
const ORG_WORDS: &[&str] = &[
    "company", "organi", "firm", "entity", "issuer", "corp", "business", "ts_code", "org",
];
const ID_WORDS: &[&str] = &["id", "key", "code", "number", "no", "nr", "reg"];
const ROLE_WORDS: &[&str] = &["role", "title", "position", "function", "capacity"];

/// A draft mapping for the table at `path` (CSV, TSV or a spreadsheet), as
/// commented TOML.
pub fn draft_mapping(path: &Path, sheet: Option<&str>) -> Result<String, Diagnostic> {
    if crate::rows::is_spreadsheet(path) {
        let table = crate::rows::spreadsheet(path, sheet)?;
        return Ok(Draft::of(table).write(path, None));
    }
    let text = read_utf8(path).map_err(|problems| {
        let first = problems.into_iter().next();
        first.unwrap_or_else(|| Diagnostic::file(path, "cannot read the file"))
    })?;
    let delimiter = sniff_delimiter(path, &text);
    let table = crate::rows::delimited(path, &text, delimiter)?;
    Ok(Draft::of(table).write(path, Some(delimiter)))
}

/// The delimiter of a text table: a tab for `.tsv`, else the one of `,`,
/// `;`, tab and `|` its header line has most of.
fn sniff_delimiter(path: &Path, text: &str) -> u8 {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
    {
        return b'\t';
    }
    let header = text.lines().next().unwrap_or("");
    [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| (header.bytes().filter(|b| b == d).count(), *d == b','))
        .unwrap_or(b',')
}

/// What one column seems to hold.
struct ColumnGuess {
    name: String,
    /// The formats that read its values, when they are dates.
    formats: Vec<&'static str>,
    /// Share of its sampled values that are not empty.
    filled: f64,
    /// Share of its filled values that are mostly letters.
    wordy: f64,
}

impl ColumnGuess {
    fn of(name: &str, values: &[&str]) -> ColumnGuess {
        let filled: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
        let share = |n: usize| {
            if filled.is_empty() {
                0.0
            } else {
                n as f64 / filled.len() as f64
            }
        };
        let wordy = filled
            .iter()
            .filter(|v| v.chars().filter(|c| c.is_alphabetic()).count() * 2 > v.chars().count())
            .count();
        ColumnGuess {
            name: name.to_string(),
            formats: date_formats(name, &filled),
            filled: if values.is_empty() {
                0.0
            } else {
                filled.len() as f64 / values.len() as f64
            },
            wordy: share(wordy),
        }
    }

    fn says(&self, words: &[&str]) -> bool {
        let name = self.name.to_lowercase();
        words.iter().any(|w| name.contains(w))
    }

    fn is_date(&self) -> bool {
        !self.formats.is_empty()
    }
}

/// The formats that together read every filled value of a column (in the
/// order of [`DATE_FORMATS`]), when they do and the years are plausible;
/// a column of bare years or compact numbers only when its name says date.
fn date_formats(name: &str, filled: &[&str]) -> Vec<&'static str> {
    if filled.is_empty() {
        return Vec::new();
    }
    let lower = name.to_lowercase();
    let named_as_date = [
        "date", "year", "start", "end", "begin", "from", "until", "birth", "seen", "since",
        "appoint", "resign",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let mut chosen = Vec::new();
    let mut unread: Vec<&str> = filled.to_vec();
    for format in DATE_FORMATS {
        let compact = !format.contains(['-', '/', '.']);
        if compact && !named_as_date {
            continue;
        }
        let before = unread.len();
        unread.retain(|v| {
            !dates::parse(v, format).is_some_and(|d| {
                (1800..=2100).contains(&chrono::Datelike::year(&d))
                    && v.len() == format_width(format)
            })
        });
        if unread.len() < before {
            chosen.push(*format);
        }
    }
    if unread.is_empty() {
        chosen
    } else {
        Vec::new()
    }
}

/// How many characters a value of `format` has when its numbers are zero-padded.
fn format_width(format: &str) -> usize {
    format
        .replace("%Y", "yyyy")
        .replace("%m", "mm")
        .replace("%d", "dd")
        .len()
}

/// The guess for a whole table.
struct Draft {
    columns: Vec<ColumnGuess>,
    rows: usize,
}

impl Draft {
    fn of(table: Table<'_>) -> Draft {
        let sample: Vec<SourceRow> = table
            .rows
            .filter_map(Result::ok)
            .take(SAMPLE_ROWS)
            .collect();
        let columns = table
            .header
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let values: Vec<&str> = sample
                    .iter()
                    .map(|r| crate::mapping::cell(&r.cells, i))
                    .collect();
                ColumnGuess::of(name, &values)
            })
            .collect();
        Draft {
            columns,
            rows: sample.len(),
        }
    }

    /// The first column not yet taken that `fits`.
    fn pick(&self, taken: &[&str], fits: impl Fn(&ColumnGuess) -> bool) -> Option<&ColumnGuess> {
        self.columns
            .iter()
            .find(|c| !taken.contains(&c.name.as_str()) && fits(c))
    }

    /// The column that names a party: said by its header (and not by the
    /// other party's words), mostly words; for people, a bare `name` too.
    fn name_column(&self, taken: &[&str], words: &[&str], others: &[&str]) -> Option<&ColumnGuess> {
        let named = |c: &ColumnGuess, words: &[&str]| {
            c.says(words) && !c.says(others) && !c.is_date() && !self.is_id(c)
        };
        self.pick(taken, |c| named(c, words) && c.wordy > 0.5)
            .or_else(|| {
                self.pick(taken, |c| {
                    words == PERSON_WORDS && named(c, &["name"]) && c.wordy > 0.5
                })
            })
            .or_else(|| self.pick(taken, |c| named(c, words)))
    }

    /// Whether a column's header says it holds identifiers (`person_id`, `orgnr`, `ts_code`).
    fn is_id(&self, c: &ColumnGuess) -> bool {
        let lower = c.name.to_lowercase();
        let parts: Vec<&str> = lower.split(['_', ' ', '-', '.']).collect();
        ID_WORDS
            .iter()
            .any(|w| parts.contains(w) || (lower.ends_with(w) && lower.len() > w.len() + 2))
    }

    /// The column that identifies a party named in `name`: its header has
    /// the name's first word (or the party's words) and an id word.
    fn id_column(
        &self,
        taken: &[&str],
        name: &ColumnGuess,
        words: &[&str],
    ) -> Option<&ColumnGuess> {
        let stem = name.name.to_lowercase();
        let stem = stem.split(['_', ' ', '-']).next().unwrap_or("").to_string();
        let ids = |c: &ColumnGuess| !c.is_date() && c.filled > 0.0 && self.is_id(c);
        self.pick(taken, |c| {
            ids(c) && (!stem.is_empty() && c.name.to_lowercase().starts_with(&stem))
        })
        .or_else(|| self.pick(taken, |c| ids(c) && c.says(words)))
    }

    fn write(&self, path: &Path, delimiter: Option<u8>) -> String {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dataset = slugify(&stem);
        let dataset = if dataset.is_empty() {
            "imported".to_string()
        } else {
            dataset
        };
        let mut taken: Vec<&str> = Vec::new();
        let person = self.name_column(&taken, PERSON_WORDS, ORG_WORDS);
        if let Some(p) = person {
            taken.push(&p.name);
        }
        let org = self
            .name_column(&taken, ORG_WORDS, PERSON_WORDS)
            .or_else(|| self.pick(&taken, |c| c.says(ORG_WORDS)));
        if let Some(o) = org {
            taken.push(&o.name);
        }
        let person_id = person.and_then(|p| self.id_column(&taken, p, PERSON_WORDS));
        if let Some(c) = person_id {
            taken.push(&c.name);
        }
        let org_id = org.and_then(|o| self.id_column(&taken, o, ORG_WORDS));
        if let Some(c) = org_id {
            taken.push(&c.name);
        }
        let birth = self.pick(&taken, |c| c.says(&["birth", "born"]));
        let role = self.pick(&taken, |c| {
            c.says(ROLE_WORDS) && !c.is_date() && c.filled > 0.0
        });
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# A first mapping for {file}, guessed from its header and {} rows by",
            self.rows
        );
        let _ = writeln!(
            out,
            "# `interlock import csv {file} --draft-mapping`. Check each line marked CHECK;"
        );
        let _ = writeln!(out, "# docs/import.md says what every field means.");
        let header: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
        let _ = writeln!(out, "# Columns: {}\n", header.join(", "));
        let _ = writeln!(
            out,
            "[dataset]\nid = {}\ntitle = {}   # CHECK: what the data is, in English\n",
            quote(&dataset),
            quote(&file)
        );
        let _ = writeln!(
            out,
            "[source]\nid = {}\nkind = \"dataset\"\ntitle = {}   # CHECK: who published it; add url, author, published\n",
            quote(&format!("{dataset}-source")),
            quote(&file)
        );
        if delimiter.is_some_and(|d| {
            d != b','
                && !path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
        }) {
            let _ = writeln!(
                out,
                "[csv]\ndelimiter = {}\n",
                quote(&(delimiter.unwrap_or(b',') as char).to_string())
            );
        }
        self.write_party(
            &mut out, "subject", "person", &dataset, person, person_id, birth,
        );
        self.write_party(&mut out, "object", "company", &dataset, org, org_id, None);
        let _ = writeln!(
            out,
            "[relationship]\nkind = \"board-membership\"   # CHECK: the relationship kind (interlock check lists them)"
        );
        match role {
            Some(r) => {
                let _ = writeln!(out, "role = {}", quote(&format!("{{{}}}", r.name)));
            }
            None => {
                let _ = writeln!(
                    out,
                    "# role = \"director\"   # English text, or a {{column}}"
                );
            }
        }
        let _ = writeln!(out, "status = \"reported\"\n");
        self.write_time(&mut out, &taken);
        out
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one party's guessed columns, written once for each side"
    )]
    fn write_party(
        &self,
        out: &mut String,
        side: &str,
        kind: &str,
        dataset: &str,
        name: Option<&ColumnGuess>,
        id: Option<&ColumnGuess>,
        birth: Option<&ColumnGuess>,
    ) {
        let prefix = format!("{dataset}-{kind}");
        let Some(name) = name else {
            let _ = writeln!(
                out,
                "[{side}]   # CHECK: no column seemed to name the {side}; name one\nid = {}\nkind = {}\nname = \"{{COLUMN}}\"\n",
                quote(&format!("{prefix}-{{COLUMN}}")),
                quote(kind)
            );
            return;
        };
        let by_name = format!("{prefix}-{{{}}}", name.name);
        let (ids, note) = match (id, birth) {
            (Some(id), _) => (
                vec![format!("{prefix}-{{{}}}", id.name), by_name],
                format!("by {}; rows without one fall back to the name", id.name),
            ),
            (None, Some(b)) => (
                vec![
                    format!("{prefix}-{{{}}}-{{{}}}", name.name, b.name),
                    by_name,
                ],
                format!(
                    "no id column: by name and {}, else by name alone (namesakes become one)",
                    b.name
                ),
            ),
            (None, None) => (
                vec![by_name],
                "no id column: by name (namesakes become one)".to_string(),
            ),
        };
        let list: Vec<String> = ids.iter().map(|i| quote(i)).collect();
        let _ = writeln!(
            out,
            "[{side}]\nid = [{}]   # CHECK: {note}\nkind = {}   # CHECK: person, company, organization, …\nname = {}\n",
            list.join(", "),
            quote(kind),
            quote(&format!("{{{}}}", name.name))
        );
    }

    fn write_time(&self, out: &mut String, taken: &[&str]) {
        let dates: Vec<&ColumnGuess> = self
            .columns
            .iter()
            .filter(|c| c.is_date() && !taken.contains(&c.name.as_str()))
            .filter(|c| !c.says(&["birth", "born", "ann_"]))
            .collect();
        if dates.is_empty() {
            let _ = writeln!(
                out,
                "# No column seemed to hold dates: without [time], every relationship is"
            );
            let _ = writeln!(
                out,
                "# undated (\"date unknown\"). Add [time] with start and end columns, or a"
            );
            let _ = writeln!(out, "# snapshot column, if the table has dates.");
            return;
        }
        let start = dates.iter().find(|c| c.says(START_WORDS)).copied();
        let end = dates
            .iter()
            .find(|c| c.says(END_WORDS) && Some(c.name.as_str()) != start.map(|s| s.name.as_str()))
            .copied();
        let yearly = |c: &&ColumnGuess| c.says(&["year", "snapshot", "as_of", "period"]);
        let snapshot = match (start, end) {
            (None, None) => dates
                .iter()
                .copied()
                .find(yearly)
                .or(dates.first().copied()),
            (None, Some(e)) if dates.len() == 1 && yearly(&e) => Some(e),
            _ => None,
        };
        let _ = writeln!(out, "[time]");
        let used: Vec<&ColumnGuess> = match snapshot {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "snapshot = {}   # CHECK: each row says the tie held at this date",
                    quote(&s.name)
                );
                if s.says(END_WORDS) {
                    let _ = writeln!(
                        out,
                        "snapshot_at = \"end\"   # the date is the end of its period"
                    );
                }
                vec![s]
            }
            None => [("start", start), ("end", end)]
                .into_iter()
                .filter_map(|(field, column)| {
                    let c = column?;
                    let _ = writeln!(out, "{field} = {}", quote(&c.name));
                    Some(c)
                })
                .collect(),
        };
        let formats: Vec<String> = DATE_FORMATS
            .iter()
            .filter(|f| used.iter().any(|c| c.formats.contains(f)))
            .map(|f| quote(f))
            .collect();
        let _ = writeln!(
            out,
            "format = [{}]   # each value at the precision of the format that reads it",
            formats.join(", ")
        );
        let others: Vec<&str> = self
            .columns
            .iter()
            .filter(|c| c.is_date() && !used.iter().any(|u| u.name == c.name))
            .map(|c| c.name.as_str())
            .collect();
        if !others.is_empty() {
            let _ = writeln!(out, "# Also date-like, not used: {}", others.join(", "));
        }
    }
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_columns_get_the_formats_that_read_them() {
        let table: &[(&str, &[&str], &[&str])] = &[
            ("begin_date", &["202010", "20200715"], &["%Y%m%d", "%Y%m"]),
            ("start", &["2009/06/30", "2010/01/02"], &["%Y/%m/%d"]),
            (
                "resolution_date",
                &["10.05.2010", "22.04.2010"],
                &["%d.%m.%Y"],
            ),
            ("year_end", &["2003", "2004"], &["%Y"]),
            ("person_id", &["2003", "2004"], &[]),
            ("company_id", &["20200715"], &[]),
            ("name", &["Ann", "Bob"], &[]),
            ("start", &["2009/06/30", "soon"], &[]),
        ];
        for (name, values, formats) in table {
            assert_eq!(date_formats(name, values), *formats, "{name}: {values:?}");
        }
    }

    #[test]
    fn toml_strings_are_quoted() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }
}
