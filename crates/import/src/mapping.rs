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
#[derive(Debug, Clone, Deserialize)]
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
    /// Where their dates come from; absent, every relationship is undated.
    pub(crate) time: Option<TimeSpec>,
    #[serde(skip)]
    pub(crate) path: PathBuf,
    #[serde(skip)]
    pub(crate) text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DatasetHeader {
    pub id: Spanned<String>,
    pub title: String,
    pub description: Option<String>,
    pub license: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CsvOptions {
    /// The delimiter of a text file (default: `,`, or a tab for `.tsv`).
    pub delimiter: Option<Spanned<String>>,
    /// The sheet of a spreadsheet (default: its first).
    pub sheet: Option<String>,
}

/// One value or a list of them: a mapping may write either.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMore {
    One(String),
    More(Vec<String>),
}

impl OneOrMore {
    /// The values, in the order written.
    pub fn values(&self) -> &[String] {
        match self {
            OneOrMore::One(v) => std::slice::from_ref(v),
            OneOrMore::More(v) => v,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Party {
    /// Templates of its id, e.g. `person-{person_id}`: the first whose
    /// placeholders are all filled in a row gives the row's id.
    pub id: Spanned<OneOrMore>,
    pub kind: Spanned<String>,
    /// Template of its name.
    pub name: Spanned<String>,
    /// Templates of identifiers in other systems, by scheme.
    #[serde(default)]
    pub identifiers: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RelationshipSpec {
    /// One kind for every row, or the kind each row's value of a column names.
    pub kind: Spanned<KindSpec>,
    /// The role: English text, or a template (`{role}`) of a column's
    /// value, in the data's own language.
    pub role: Option<Spanned<String>>,
    pub status: Option<Spanned<String>>,
}

/// What kind of relationship rows are: one kind, or by a column's value
/// (`{ column = "lev", values = { "董事会成员" = "board-membership" }, default = "membership" }`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum KindSpec {
    One(String),
    ByColumn {
        column: String,
        values: BTreeMap<String, String>,
        default: Option<String>,
    },
}

/// The kind of a party: the mapping's, or the kind a column names in each
/// row (`kind = "{subject_kind}"`).
#[derive(Debug, Clone)]
pub(crate) enum EntityKindRule {
    Fixed(EntityKind),
    Column(String),
}

/// The kind of each row's relationship, resolved.
#[derive(Debug, Clone)]
pub(crate) enum KindRule {
    /// Every row's.
    Fixed(RelationshipKind),
    /// By the value of `column` (trimmed), else `default`.
    ByColumn {
        column: String,
        values: BTreeMap<String, RelationshipKind>,
        default: Option<RelationshipKind>,
    },
}

/// Where a row's dates come from: a start and an end column (one
/// relationship a row), or a snapshot column (rows saying "held at this
/// date", merged into spells).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimeSpec {
    pub start: Option<Spanned<String>>,
    pub end: Option<Spanned<String>>,
    pub snapshot: Option<Spanned<String>>,
    /// strftime formats of the date columns, tried in order.
    pub format: Spanned<OneOrMore>,
    /// How well the dates are known; by default, as well as the format
    /// that read each value says (`%Y-%m` a month).
    pub precision: Option<Precision>,
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Flag {
    pub column: Spanned<String>,
    /// The cell value meaning "yes".
    pub value: String,
}

/// The vocabulary values a mapping names, resolved.
pub(crate) struct Kinds {
    pub subject: EntityKindRule,
    pub object: EntityKindRule,
    pub relationship: KindRule,
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
        if let Some(t) = &mapping.time {
            match (&t.start.as_ref().or(t.end.as_ref()), &t.snapshot) {
                (Some(_), Some(s)) => problems.push(mapping.at(
                    s,
                    "give either start and end columns or a snapshot column, not both",
                )),
                (None, None) => problems.push(mapping.at(
                    &t.format,
                    "[time] needs a start or end column (spells) or a snapshot column (rows at a date); leave [time] out when the table has no dates",
                )),
                _ => {}
            }
            if t.format.get_ref().values().is_empty() {
                problems.push(mapping.at(&t.format, "format: give at least one strftime format"));
            }
        }
        if let Err(e) = mapping.kinds() {
            problems.push(e);
        }
        for (value, what) in [
            (&mapping.subject.id, "subject id"),
            (&mapping.object.id, "object id"),
        ] {
            if value.get_ref().values().is_empty() {
                problems.push(mapping.at(value, format!("{what}: give at least one template")));
            }
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
        self.at_offset(value.span().start, message)
    }

    /// A problem at byte `offset` of the mapping.
    pub(crate) fn at_offset(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_offset(&self.path, &self.text, offset, message)
    }

    pub(crate) fn kinds(&self) -> Result<Kinds, Diagnostic> {
        fn named<T, S>(
            m: &Mapping,
            at: &Spanned<S>,
            name: &str,
            parse: fn(&str) -> Option<T>,
            what: &str,
            names: String,
        ) -> Result<T, Diagnostic> {
            parse(name).ok_or_else(|| {
                m.at(
                    at,
                    format!("unknown {what} '{name}'; expected one of {names}"),
                )
            })
        }
        fn one<T>(
            m: &Mapping,
            value: &Spanned<String>,
            parse: fn(&str) -> Option<T>,
            what: &str,
            names: String,
        ) -> Result<T, Diagnostic> {
            named(m, value, value.get_ref(), parse, what, names)
        }
        let kind = &self.relationship.kind;
        let relationship_kind = |name: &str| {
            named(
                self,
                kind,
                name,
                RelationshipKind::from_name,
                "relationship kind",
                RelationshipKind::names(),
            )
        };
        let relationship = match kind.get_ref() {
            KindSpec::One(name) => KindRule::Fixed(relationship_kind(name)?),
            KindSpec::ByColumn {
                column,
                values,
                default,
            } => KindRule::ByColumn {
                column: column.clone(),
                values: values
                    .iter()
                    .map(|(value, name)| Ok((value.trim().to_string(), relationship_kind(name)?)))
                    .collect::<Result<_, Diagnostic>>()?,
                default: default.as_deref().map(relationship_kind).transpose()?,
            },
        };
        let entity_kind = |value: &Spanned<String>| {
            let text = value.get_ref().trim();
            match text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                Some(column) => Ok(EntityKindRule::Column(column.to_string())),
                None => one(
                    self,
                    value,
                    EntityKind::from_name,
                    "entity kind",
                    EntityKind::names(),
                )
                .map(EntityKindRule::Fixed),
            }
        };
        Ok(Kinds {
            subject: entity_kind(&self.subject.kind)?,
            object: entity_kind(&self.object.kind)?,
            relationship,
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
    /// A column's index and name.
    Column(usize, String),
}

impl Template {
    /// Binds `value` to the columns of `header`; a placeholder naming no
    /// column is reported at its place in the mapping.
    pub fn bind(
        mapping: &Mapping,
        offset: usize,
        text: &str,
        header: &[String],
        csv_path: &Path,
    ) -> Result<Template, Diagnostic> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(mapping.at_offset(
                    offset,
                    format!("'{text}' opens a {{column}} it does not close"),
                ));
            };
            let name = &rest[open + 1..open + close];
            let index = column(mapping, offset, name, header, csv_path)?;
            parts.push(Part::Column(index, name.to_string()));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { parts })
    }

    /// The value for one row, an empty column giving nothing. HTML and XML
    /// character references in cells (`SYNN&Oslash;VE`, `&amp;`, `&#216;`,
    /// left by registers published through web pages) are decoded: names,
    /// roles and ids read as the characters they stand for (the row kept
    /// as evidence stays verbatim).
    pub fn render(&self, row: &[String]) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Column(i, _) => {
                    out.push_str(&html_escape::decode_html_entities(cell(row, *i)))
                }
            }
        }
        out
    }

    /// The value for one row when every column it names has a value in
    /// it; else the names of the empty columns.
    pub fn fill(&self, row: &[String]) -> Result<String, Vec<&str>> {
        let empty: Vec<&str> = self
            .parts
            .iter()
            .filter_map(|p| match p {
                Part::Column(i, name) if cell(row, *i).is_empty() => Some(name.as_str()),
                _ => None,
            })
            .collect();
        if empty.is_empty() {
            Ok(self.render(row))
        } else {
            Err(empty)
        }
    }

    /// The index of the first column it names.
    pub fn first_column(&self) -> Option<usize> {
        self.parts.iter().find_map(|p| match p {
            Part::Column(i, _) => Some(*i),
            Part::Text(_) => None,
        })
    }
}

/// Cell `i` of `row`, trimmed; empty when the row is shorter.
pub(crate) fn cell(row: &[String], i: usize) -> &str {
    row.get(i).map_or("", |c| c.trim())
}

/// The index of the column `name`, or a problem at `value` in the mapping.
pub(crate) fn column(
    mapping: &Mapping,
    offset: usize,
    name: &str,
    header: &[String],
    csv_path: &Path,
) -> Result<usize, Diagnostic> {
    header.iter().position(|h| h == name).ok_or_else(|| {
        mapping.at_offset(
            offset,
            format!(
                "no column '{name}' in {}; its columns are {}",
                csv_path.display(),
                header.join(", ")
            ),
        )
    })
}
