//! Mapping files: how to read a CSV of relationships (TOML, documented in
//! docs/import.md). Every value that names a column keeps its place in the
//! mapping, so a column missing from the CSV is reported where it is named.

use crate::dates::Precision;
use interlock_load::{Diagnostic, read_utf8};
use interlock_model::slug::not_a_slug;
use interlock_model::{ClaimStatus, EntityKind, RelationshipKind, SourceKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A mapping file, read and checked on its own (its columns are checked
/// against a CSV's header when the CSV is read).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The dataset the rows become.
    pub(crate) dataset: DatasetHeader,
    /// The document every row is evidence from.
    pub(crate) source: SourceHeader,
    /// How the CSV is written.
    #[serde(default)]
    pub(crate) csv: CsvOptions,
    /// The entity each relationship goes from (the director).
    pub(crate) subject: Party,
    /// The entity each relationship goes to (the company).
    pub(crate) object: Party,
    /// What the relationships are.
    pub(crate) relationship: RelationshipSpec,
    /// Where their dates come from.
    pub(crate) time: TimeSpec,
    #[serde(skip)]
    pub(crate) path: PathBuf,
    #[serde(skip)]
    pub(crate) text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DatasetHeader {
    pub id: Spanned<String>,
    pub title: String,
    pub description: Option<String>,
    pub license: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceHeader {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<Spanned<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CsvOptions {
    pub delimiter: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Party {
    /// Template of its id, e.g. `person-{person_id}`.
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    /// Template of its name.
    pub name: Spanned<String>,
    /// Templates of identifiers in other systems, by scheme.
    #[serde(default)]
    pub identifiers: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RelationshipSpec {
    pub kind: Spanned<String>,
    pub role: Option<String>,
    pub status: Option<Spanned<String>>,
}

/// Where a row's dates come from: a start and an end column (one
/// relationship a row), or a snapshot column (rows saying "held at this
/// date", merged into spells).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimeSpec {
    pub start: Option<Spanned<String>>,
    pub end: Option<Spanned<String>>,
    pub snapshot: Option<Spanned<String>>,
    /// strftime format of the date columns.
    pub format: Spanned<String>,
    pub precision: Precision,
    /// Where in its period a snapshot was taken (`start` or `end`).
    #[serde(default)]
    pub snapshot_at: SnapshotAt,
    /// The first and last observation (EDTF interval at `precision`): a
    /// start on the first is "on or before", an end on the last "on or after".
    pub observed: Option<Spanned<String>>,
    /// A column saying the relationship still held at the last observation.
    pub end_censored: Option<Flag>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SnapshotAt {
    #[default]
    Start,
    End,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Flag {
    pub column: Spanned<String>,
    /// The cell value meaning "yes".
    pub value: String,
}

/// The vocabulary values a mapping names, resolved.
pub(crate) struct Kinds {
    pub subject: EntityKind,
    pub object: EntityKind,
    pub relationship: RelationshipKind,
    pub status: ClaimStatus,
    pub source: SourceKind,
}

impl Mapping {
    /// Reads and checks the mapping at `path`.
    pub fn read(path: &Path) -> Result<Mapping, Vec<Diagnostic>> {
        Mapping::parse(path, read_utf8(path)?)
    }

    /// Parses and checks the mapping `text`, already read from `path`.
    pub fn parse(path: &Path, text: String) -> Result<Mapping, Vec<Diagnostic>> {
        let mut mapping: Mapping = toml::from_str(&text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            vec![Diagnostic::at_offset(path, &text, offset, e.message())]
        })?;
        mapping.path = path.to_path_buf();
        mapping.text = text;
        let mut problems = Vec::new();
        let t = &mapping.time;
        match (&t.start, &t.snapshot) {
            (Some(_), Some(s)) => problems.push(mapping.at(
                s,
                "give either start (and end) columns or a snapshot column, not both",
            )),
            (None, None) => problems.push(Diagnostic::at_offset(
                path,
                &mapping.text,
                t.format.span().start,
                "[time] needs a start column (spells) or a snapshot column (rows at a date)",
            )),
            _ => {}
        }
        if let Err(e) = mapping.kinds() {
            problems.push(e);
        }
        for (id, what) in [
            (&mapping.dataset.id, "dataset id"),
            (&mapping.source.id, "source id"),
        ] {
            if let Some(problem) = not_a_slug(id.get_ref(), what) {
                problems.push(mapping.at(id, problem));
            }
        }
        if problems.is_empty() {
            Ok(mapping)
        } else {
            Err(problems)
        }
    }

    /// A problem at a value of the mapping.
    pub(crate) fn at<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_offset(&self.path, &self.text, value.span().start, message)
    }

    pub(crate) fn kinds(&self) -> Result<Kinds, Diagnostic> {
        fn one<T>(
            m: &Mapping,
            value: &Spanned<String>,
            parse: fn(&str) -> Option<T>,
            what: &str,
            names: String,
        ) -> Result<T, Diagnostic> {
            parse(value.get_ref()).ok_or_else(|| {
                m.at(
                    value,
                    format!(
                        "unknown {what} '{}'; expected one of {names}",
                        value.get_ref()
                    ),
                )
            })
        }
        Ok(Kinds {
            subject: one(
                self,
                &self.subject.kind,
                EntityKind::from_name,
                "entity kind",
                EntityKind::names(),
            )?,
            object: one(
                self,
                &self.object.kind,
                EntityKind::from_name,
                "entity kind",
                EntityKind::names(),
            )?,
            relationship: one(
                self,
                &self.relationship.kind,
                RelationshipKind::from_name,
                "relationship kind",
                RelationshipKind::names(),
            )?,
            status: match &self.relationship.status {
                Some(s) => one(
                    self,
                    s,
                    ClaimStatus::from_name,
                    "status",
                    ClaimStatus::names(),
                )?,
                None => ClaimStatus::Reported,
            },
            source: one(
                self,
                &self.source.kind,
                SourceKind::from_name,
                "source kind",
                SourceKind::names(),
            )?,
        })
    }
}

/// A value with `{column}` placeholders, bound to a CSV header.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Column(usize),
}

impl Template {
    /// Binds `value` to the columns of `header`; a placeholder naming no
    /// column is reported at its place in the mapping.
    pub fn bind(
        mapping: &Mapping,
        value: &Spanned<String>,
        header: &[String],
        csv_path: &Path,
    ) -> Result<Template, Diagnostic> {
        let text = value.get_ref();
        let mut parts = Vec::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(mapping.at(
                    value,
                    format!("'{text}' opens a {{column}} it does not close"),
                ));
            };
            let name = &rest[open + 1..open + close];
            parts.push(Part::Column(column(
                mapping, value, name, header, csv_path,
            )?));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { parts })
    }

    /// The value for one row.
    pub fn render(&self, row: &csv::StringRecord) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Column(i) => out.push_str(row.get(*i).unwrap_or("").trim()),
            }
        }
        out
    }

    /// Whether every column it uses is empty in this row.
    pub fn is_blank(&self, row: &csv::StringRecord) -> bool {
        self.parts.iter().all(|p| match p {
            Part::Text(_) => true,
            Part::Column(i) => row.get(*i).unwrap_or("").trim().is_empty(),
        })
    }
}

/// The index of the column `name`, or a problem at `value` in the mapping.
pub(crate) fn column(
    mapping: &Mapping,
    value: &Spanned<String>,
    name: &str,
    header: &[String],
    csv_path: &Path,
) -> Result<usize, Diagnostic> {
    header.iter().position(|h| h == name).ok_or_else(|| {
        mapping.at(
            value,
            format!(
                "no column '{name}' in {}; its columns are {}",
                csv_path.display(),
                header.join(", ")
            ),
        )
    })
}
