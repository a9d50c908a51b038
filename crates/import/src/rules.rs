//! One row through a mapping: the mapping's columns bound to a table's
//! header, and each row read into its parties' ids, its kind, role and
//! dates — or the reason it cannot be held. Reading a row changes nothing,
//! so a table can be read twice (once to check it, once to write it) and
//! give the same rows.

use crate::dates::{self, Precision};
use crate::mapping::{EntityKindRule, KindRule, Kinds, Mapping, Template, cell, column};
use crate::report::{Reject, RejectReason};
use crate::rows::SourceRow;
use chrono::NaiveDate;
use interlock_load::Diagnostic;
use interlock_model::slug::slugify;
use interlock_model::time::Interval;
use interlock_model::{EntityKind, RelationshipKind};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// A date read, and how precisely it is known.
pub(crate) type Day = (NaiveDate, Precision);

/// One data row, read.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub subject: String,
    pub subject_kind: EntityKind,
    pub object: String,
    pub object_kind: EntityKind,
    pub kind: RelationshipKind,
    pub role: String,
    pub first: Option<Day>,
    pub last: Option<Day>,
    pub snapshot: Option<Day>,
    pub censored: bool,
    pub line: usize,
    pub raw: String,
}

/// How rows are read: the mapping, bound to a header.
pub(crate) struct Rules {
    pub mapping: Arc<Mapping>,
    pub header: Vec<String>,
    pub columns: Columns,
    pub kinds: Kinds,
}

/// A reject of `row` for `reason`, at cell `field`.
fn reject(row: &SourceRow, field: Option<usize>, reason: RejectReason, message: String) -> Reject {
    Reject {
        line: row.line,
        column: field.map_or(1, |i| column_of(row, i)),
        reason,
        message,
        row: row.raw.clone(),
    }
}

impl Rules {
    /// The mapping bound to `header`; a column it names that the header
    /// lacks is a problem located in the mapping.
    pub fn bind(
        mapping: Arc<Mapping>,
        header: Vec<String>,
        path: &Path,
    ) -> Result<Rules, Vec<Diagnostic>> {
        let kinds = mapping.kinds().map_err(|d| vec![d])?;
        let columns = Columns::bind(&mapping, &kinds, &header, path)?;
        Ok(Rules {
            mapping,
            header,
            columns,
            kinds,
        })
    }

    /// One row: its two parties, kind, role and dates, or why it cannot be held.
    pub fn read(&self, row: &SourceRow) -> Result<Row, Reject> {
        let columns = &self.columns;
        let subject = self.party_id(row, &columns.subject, "subject")?;
        let object = self.party_id(row, &columns.object, "object")?;
        if subject == object {
            let message = format!("'{subject}' would be tied to itself");
            let field = columns.subject.id.first().and_then(Template::first_column);
            return Err(reject(row, field, RejectReason::TiedToItself, message));
        }
        let subject_kind = self.entity_kind(row, &columns.subject_kind)?;
        let object_kind = self.entity_kind(row, &columns.object_kind)?;
        let kind = self.kind(row)?;
        let first = self.date(row, columns.start)?;
        let last = self.date(row, columns.end)?;
        let snapshot = self.date(row, columns.snapshot)?;
        if let (Some((f, _)), Some((l, _))) = (first, last)
            && l < f
        {
            let message = format!("ends ({l}) before it starts ({f})");
            return Err(reject(
                row,
                columns.end,
                RejectReason::EndBeforeStart,
                message,
            ));
        }
        if columns.snapshot.is_some() && snapshot.is_none() {
            let message = "no date in the snapshot column".to_string();
            return Err(reject(row, columns.snapshot, RejectReason::NoDate, message));
        }
        let censored = columns
            .censored
            .as_ref()
            .is_some_and(|(i, yes)| cell(&row.cells, *i) == yes);
        let role = columns
            .role
            .as_ref()
            .map(|t| t.render(&row.cells))
            .unwrap_or_default();
        Ok(Row {
            subject,
            subject_kind,
            object,
            object_kind,
            kind,
            role,
            first,
            last,
            snapshot,
            censored,
            line: row.line,
            raw: row.raw.clone(),
        })
    }

    /// The kind of a row's relationship: the mapping's, or the one its
    /// value names; a value the mapping does not name rejects the row.
    fn kind(&self, row: &SourceRow) -> Result<RelationshipKind, Reject> {
        let (i, values, default) = match &self.columns.kind {
            BoundKind::Fixed(kind) => return Ok(*kind),
            BoundKind::Column {
                index,
                values,
                default,
            } => (*index, values, default),
        };
        let value = cell(&row.cells, i);
        if let Some(kind) = values.get(value).or(default.as_ref()) {
            return Ok(*kind);
        }
        let named: Vec<&str> = values.keys().map(String::as_str).collect();
        let message = format!(
            "'{value}' in column {} names no relationship kind in the mapping (it names {}) and there is no default",
            self.header[i],
            named.join(", ")
        );
        Err(reject(row, Some(i), RejectReason::UnknownKind, message))
    }

    /// The kind of a row's party: the mapping's, or the one its column
    /// names; a value that names no kind rejects the row.
    fn entity_kind(&self, row: &SourceRow, bound: &BoundEntityKind) -> Result<EntityKind, Reject> {
        let i = match bound {
            BoundEntityKind::Fixed(kind) => return Ok(*kind),
            BoundEntityKind::Column(i) => *i,
        };
        let value = cell(&row.cells, i);
        EntityKind::from_name(value).ok_or_else(|| {
            let message = format!(
                "'{value}' in column {} is not an entity kind; expected one of {}",
                self.header[i],
                EntityKind::names()
            );
            reject(row, Some(i), RejectReason::UnknownKind, message)
        })
    }

    /// The id of a row's party: from the first of its templates whose
    /// placeholders are all filled, made into a slug; no template that can
    /// be filled rejects the row.
    fn party_id(&self, row: &SourceRow, p: &PartyColumns, role: &str) -> Result<String, Reject> {
        let mut first_empty = None;
        for template in &p.id {
            match template.fill(&row.cells) {
                Ok(text) => {
                    let id = slugify(&text);
                    if !id.is_empty() {
                        return Ok(id);
                    }
                    first_empty.get_or_insert_with(|| format!("'{text}' makes no id"));
                }
                Err(empty) => {
                    let columns = empty.join(", ");
                    let is = if empty.len() == 1 {
                        "column {} is empty"
                    } else {
                        "columns {} are empty"
                    };
                    first_empty.get_or_insert_with(|| is.replace("{}", &columns));
                }
            }
        }
        let message = format!("{role} id: {}", first_empty.unwrap_or_default());
        let field = p.id.first().and_then(Template::first_column);
        Err(reject(row, field, RejectReason::EmptyId, message))
    }

    /// The date in column `i` (none when no such column or an empty cell);
    /// a cell that is not a date rejects the row.
    fn date(&self, row: &SourceRow, i: Option<usize>) -> Result<Option<Day>, Reject> {
        let (Some(i), Some(time)) = (i, &self.mapping.time) else {
            return Ok(None);
        };
        let value = cell(&row.cells, i);
        if value.is_empty() {
            return Ok(None);
        }
        if let Some(Some(day)) = row.dates.get(i) {
            return Ok(Some((*day, time.precision.unwrap_or(Precision::Day))));
        }
        let formats = time.format.get_ref().values();
        if let Some(day) = dates::parse_first(value, formats, time.precision) {
            return Ok(Some(day));
        }
        let message = format!(
            "'{value}' in column {} is not a date in the format {}",
            self.header[i],
            formats.join(" or ")
        );
        Err(reject(row, Some(i), RejectReason::UnreadableDate, message))
    }
}

/// The column (1-based, in characters) where cell `index` of `row` starts
/// in its raw text: each cell's text is looked for in turn, so quoted cells
/// are found too.
fn column_of(row: &SourceRow, index: usize) -> usize {
    let line = row.raw.lines().next().unwrap_or("");
    let mut cursor = 0;
    for (i, field) in row.cells.iter().enumerate() {
        let found = line[cursor..].find(field.as_str()).map(|p| cursor + p);
        if i == index {
            let at = found.unwrap_or(cursor);
            return line[..at].chars().count() + 1;
        }
        if let Some(p) = found {
            cursor = p + field.len();
        }
    }
    1
}

/// The mapping's templates and columns, bound to the header.
pub(crate) struct Columns {
    pub subject: PartyColumns,
    pub object: PartyColumns,
    subject_kind: BoundEntityKind,
    object_kind: BoundEntityKind,
    role: Option<Template>,
    kind: BoundKind,
    start: Option<usize>,
    end: Option<usize>,
    pub snapshot: Option<usize>,
    censored: Option<(usize, String)>,
}

pub(crate) struct PartyColumns {
    /// Its id templates, tried in order.
    pub id: Vec<Template>,
    pub name: Template,
    pub identifiers: Vec<(String, Template)>,
}

/// How a row's relationship kind is found: the mapping's own, or by the
/// value of the column at `index`.
enum BoundKind {
    Fixed(RelationshipKind),
    Column {
        index: usize,
        values: BTreeMap<String, RelationshipKind>,
        default: Option<RelationshipKind>,
    },
}

/// How a row's party kind is found: the mapping's own, or named by the
/// column at this index.
enum BoundEntityKind {
    Fixed(EntityKind),
    Column(usize),
}

impl Columns {
    fn bind(
        mapping: &Mapping,
        kinds: &Kinds,
        header: &[String],
        path: &Path,
    ) -> Result<Columns, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut party = |p: &crate::mapping::Party| -> Option<PartyColumns> {
            let mut bind = |offset: usize, text: &str| {
                Template::bind(mapping, offset, text, header, path)
                    .map_err(|d| problems.push(d))
                    .ok()
            };
            let id: Vec<Option<Template>> =
                p.id.get_ref()
                    .values()
                    .iter()
                    .map(|t| bind(p.id.span().start, t))
                    .collect();
            let name = bind(p.name.span().start, p.name.get_ref());
            let identifiers: Vec<_> = p
                .identifiers
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), bind(v.span().start, v.get_ref())?)))
                .collect();
            Some(PartyColumns {
                id: id.into_iter().collect::<Option<_>>()?,
                name: name?,
                identifiers,
            })
        };
        let (subject, object) = (party(&mapping.subject), party(&mapping.object));
        let role = mapping.relationship.role.as_ref().and_then(|r| {
            Template::bind(mapping, r.span().start, r.get_ref(), header, path)
                .map_err(|d| problems.push(d))
                .ok()
        });
        // The column `name`, written at byte `at` of the mapping.
        let mut find = |at: usize, name: &str| {
            column(mapping, at, name, header, path)
                .map_err(|d| problems.push(d))
                .ok()
        };
        let mut entity_kind = |rule: &EntityKindRule, at: usize| match rule {
            EntityKindRule::Fixed(kind) => Some(BoundEntityKind::Fixed(*kind)),
            EntityKindRule::Column(name) => find(at, name).map(BoundEntityKind::Column),
        };
        let subject_kind = entity_kind(&kinds.subject, mapping.subject.kind.span().start);
        let object_kind = entity_kind(&kinds.object, mapping.object.kind.span().start);
        let kind = match &kinds.relationship {
            KindRule::Fixed(kind) => Some(BoundKind::Fixed(*kind)),
            KindRule::ByColumn {
                column,
                values,
                default,
            } => find(mapping.relationship.kind.span().start, column).map(|index| {
                BoundKind::Column {
                    index,
                    values: values.clone(),
                    default: *default,
                }
            }),
        };
        let mut col = |v: &Option<toml::Spanned<String>>| {
            let v = v.as_ref()?;
            find(v.span().start, v.get_ref())
        };
        let (start, end, snapshot, censored) = match &mapping.time {
            Some(t) => (
                col(&t.start),
                col(&t.end),
                col(&t.snapshot),
                t.end_censored.as_ref(),
            ),
            None => (None, None, None, None),
        };
        let censored = censored.and_then(|f| {
            let i = find(f.column.span().start, f.column.get_ref())?;
            Some((i, f.value.clone()))
        });
        let (Some(subject), Some(object), Some(subject_kind), Some(object_kind), Some(kind)) =
            (subject, object, subject_kind, object_kind, kind)
        else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Columns {
            subject,
            object,
            subject_kind,
            object_kind,
            role,
            kind,
            start,
            end,
            snapshot,
            censored,
        })
    }
}

/// The first and last observation days, from `[time] observed`.
pub(crate) fn observed(
    mapping: &Mapping,
) -> Result<Option<(NaiveDate, NaiveDate)>, Vec<Diagnostic>> {
    let Some(text) = mapping.time.as_ref().and_then(|t| t.observed.as_ref()) else {
        return Ok(None);
    };
    let interval = Interval::parse(text.get_ref()).map_err(|e| {
        vec![mapping.at(
            text,
            format!("observed '{}' is not an EDTF interval: {e}", text.get_ref()),
        )]
    })?;
    Ok(Some((interval.start.latest, interval.end.earliest)))
}
