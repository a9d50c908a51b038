//! CSV rows into a dataset, read through a [`Mapping`].
//!
//! Two shapes of table are common in board data, and both are read:
//! - spells: one row per relationship, with first and last dates (and
//!   perhaps a flag saying it still held when observation stopped);
//! - snapshots: one row per relationship per observation ("on the board at
//!   the end of 2005"). Rows of the same pair at consecutive observations
//!   merge into one spell, which began after the previous observation (or,
//!   at the first, on or before it) and ended before the next one (or, at
//!   the last, on or after it).

use crate::dates::{self, Precision};
use crate::mapping::{KindRule, Kinds, Mapping, SnapshotAt, Template, cell, column};
use crate::report::{DifferingNames, ImportReport, Reject, RejectReason};
use crate::rows::{SourceRow, Table};
use chrono::NaiveDate;
use interlock_load::{Diagnostic, read_utf8};
use interlock_model::slug::slugify;
use interlock_model::time::{DateExpr, Edtf, Interval};
use interlock_model::{
    Dataset, DateValue, Entity, Evidence, Labels, Relationship, Source, TimeSpan,
};
use interlock_model::{EntityKind, RelationshipKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// What an import read: the dataset of every row it could hold, the rows
/// it could not (in file order), and what came in.
#[derive(Debug)]
pub struct Imported {
    /// The dataset of the rows held.
    pub dataset: Dataset,
    /// The rows not held, each with its line and reason.
    pub rejects: Vec<Reject>,
    /// Counts of what came in.
    pub report: ImportReport,
}

/// Reads the table at `path` through `mapping` into one dataset: every row
/// a relationship between two entities (snapshot rows merged into spells),
/// with the row itself, verbatim, as its evidence. A row that cannot be
/// held is a [`Reject`]; only a problem with the mapping or the file as a
/// whole (a column the mapping names missing, no header) is an error,
/// located in the mapping or the file.
///
/// A `.tsv` file is read with tabs between cells, a spreadsheet (`.xlsx`,
/// `.xls`, `.ods`) from its sheet `[csv] sheet` (default: the first).
pub fn read_csv(path: &Path, mapping: &Mapping) -> Result<Imported, Vec<Diagnostic>> {
    if crate::rows::is_spreadsheet(path) {
        let sheet = mapping.csv.sheet.as_deref();
        let table = crate::rows::spreadsheet(path, sheet).map_err(|d| vec![d])?;
        return read_table(path, table, mapping);
    }
    parse_csv(path, &read_utf8(path)?, mapping)
}

/// [`read_csv`] of `text`, already read from `path` (which only names it
/// in problems and in the dataset's source).
pub fn parse_csv(path: &Path, text: &str, mapping: &Mapping) -> Result<Imported, Vec<Diagnostic>> {
    let delimiter = delimiter(path, mapping)?;
    let table = crate::rows::delimited(path, text, delimiter).map_err(|d| vec![d])?;
    read_table(path, table, mapping)
}

/// The mapping's delimiter; by default a tab for `.tsv` files, else a comma.
fn delimiter(path: &Path, mapping: &Mapping) -> Result<u8, Vec<Diagnostic>> {
    match &mapping.csv.delimiter {
        None if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv")) =>
        {
            Ok(b'\t')
        }
        None => Ok(b','),
        Some(d) if d.get_ref().len() == 1 => Ok(d.get_ref().as_bytes()[0]),
        Some(d) => Err(vec![mapping.at(
            d,
            format!("delimiter '{}' is not one ASCII character", d.get_ref()),
        )]),
    }
}

/// A table's rows through `mapping`.
pub(crate) fn read_table(
    path: &Path,
    table: Table,
    mapping: &Mapping,
) -> Result<Imported, Vec<Diagnostic>> {
    let kinds = mapping.kinds().map_err(|d| vec![d])?;
    let columns = Columns::bind(mapping, &table.header, path)?;
    let observed = observed(mapping)?;
    let mut reader = RowReader {
        mapping,
        header: &table.header,
        columns: &columns,
        kinds: &kinds,
        rejects: Vec::new(),
        entities: Vec::new(),
        entity_index: HashMap::new(),
        rows: Vec::new(),
    };
    let rows_read = table.rows.len();
    let place = table.place;
    for row in table.rows {
        match row {
            Ok(row) => reader.row(row),
            Err(reject) => reader.rejects.push(reject),
        }
    }
    let RowReader {
        mut rejects,
        mut entities,
        rows,
        ..
    } = reader;
    let differing = differing_names(&mut entities);
    let spells = if columns.snapshot.is_some() {
        snapshot_spells(
            rows,
            mapping
                .time
                .as_ref()
                .map_or(SnapshotAt::Start, |t| t.snapshot_at),
        )
    } else {
        row_spells(rows, observed)
    };
    let relationships =
        relationships(spells, mapping, &kinds, path, &place).map_err(|d| vec![d])?;
    rejects.sort_by_key(|r| r.line);
    let english = |text: &String| (Some("en".to_string()), text.clone());
    let dataset = Dataset {
        id: mapping.dataset.id.get_ref().clone(),
        title: Labels::from([english(&mapping.dataset.title)]),
        description: mapping.dataset.description.iter().map(english).collect(),
        license: mapping.dataset.license.clone(),
        entities,
        sources: vec![source(mapping, &kinds)?],
        relationships,
        events: Vec::new(),
        decisions: Vec::new(),
    };
    let report = ImportReport::new(&dataset, rows_read, &rejects, differing);
    Ok(Imported {
        dataset,
        rejects,
        report,
    })
}

/// The ids rows gave more than one name, in the order first met; the
/// names after the first become the entity's aliases.
fn differing_names(entities: &mut [Entity]) -> Vec<DifferingNames> {
    entities
        .iter()
        .filter(|e| !e.aliases.is_empty())
        .map(|e| DifferingNames {
            id: e.id.clone(),
            names: e
                .names
                .values()
                .cloned()
                .chain(e.aliases.iter().cloned())
                .collect(),
        })
        .collect()
}

/// The rows of one table being read: the entities met so far, the rows
/// kept, the rows rejected.
struct RowReader<'a> {
    mapping: &'a Mapping,
    header: &'a [String],
    columns: &'a Columns,
    kinds: &'a Kinds,
    rejects: Vec<Reject>,
    entities: Vec<Entity>,
    entity_index: HashMap<String, usize>,
    rows: Vec<Row>,
}

/// A date read, and how precisely it is known.
type Day = (NaiveDate, Precision);

impl RowReader<'_> {
    /// A reject of `row`, at cell `field`.
    fn reject(
        &mut self,
        row: &SourceRow,
        field: Option<usize>,
        reason: RejectReason,
        message: String,
    ) {
        let column = field.map_or(1, |i| column_of(row, i));
        self.rejects.push(Reject {
            line: row.line,
            column,
            reason,
            message,
            row: row.raw.clone(),
        });
    }

    /// One row: its two parties and its dates, kept as a row, or rejected.
    fn row(&mut self, row: SourceRow) {
        let columns = self.columns;
        let Some(subject) = self.party_id(&row, &columns.subject, "subject") else {
            return;
        };
        let Some(object) = self.party_id(&row, &columns.object, "object") else {
            return;
        };
        if subject == object {
            let message = format!("'{subject}' would be tied to itself");
            let field = columns.subject.id.first().and_then(Template::first_column);
            self.reject(&row, field, RejectReason::TiedToItself, message);
            return;
        }
        let Some(kind) = self.kind(&row) else {
            return;
        };
        let (Ok(first), Ok(last), Ok(snapshot)) = (
            self.date(&row, columns.start),
            self.date(&row, columns.end),
            self.date(&row, columns.snapshot),
        ) else {
            return;
        };
        if let (Some((f, _)), Some((l, _))) = (first, last)
            && l < f
        {
            let message = format!("ends ({l}) before it starts ({f})");
            self.reject(&row, columns.end, RejectReason::EndBeforeStart, message);
            return;
        }
        if columns.snapshot.is_some() && snapshot.is_none() {
            let message = "no date in the snapshot column".to_string();
            self.reject(&row, columns.snapshot, RejectReason::NoDate, message);
            return;
        }
        let censored = columns
            .censored
            .as_ref()
            .is_some_and(|(i, yes)| cell(&row.cells, *i) == yes);
        let subject = self.entity(&row, &columns.subject, subject, self.kinds.subject);
        let object = self.entity(&row, &columns.object, object, self.kinds.object);
        let role = columns
            .role
            .as_ref()
            .map(|t| t.render(&row.cells))
            .unwrap_or_default();
        self.rows.push(Row {
            subject,
            object,
            kind,
            role,
            first,
            last,
            snapshot,
            censored,
            line: row.line,
            raw: row.raw,
        });
    }

    /// The kind of a row's relationship: the mapping's, or the one its
    /// value names; none (the row rejected) for a value the mapping does not name.
    fn kind(&mut self, row: &SourceRow) -> Option<RelationshipKind> {
        let (i, rule) = match (&self.kinds.relationship, &self.columns.kind) {
            (KindRule::Fixed(kind), _) => return Some(*kind),
            (_, Some((i, rule))) => (*i, rule),
            (_, None) => return None,
        };
        let KindRule::ByColumn {
            values, default, ..
        } = rule
        else {
            return None;
        };
        let value = cell(&row.cells, i);
        if let Some(kind) = values.get(value).or(default.as_ref()) {
            return Some(*kind);
        }
        let named: Vec<&str> = values.keys().map(String::as_str).collect();
        let message = format!(
            "'{value}' in column {} names no relationship kind in the mapping (it names {}) and there is no default",
            self.header[i],
            named.join(", ")
        );
        self.reject(row, Some(i), RejectReason::UnknownKind, message);
        None
    }

    /// The id of a row's party: from the first of its templates whose
    /// placeholders are all filled, made into a slug. None (with the row
    /// rejected) when no template can be filled.
    fn party_id(&mut self, row: &SourceRow, p: &PartyColumns, role: &str) -> Option<String> {
        let mut first_empty = None;
        for template in &p.id {
            match template.fill(&row.cells) {
                Ok(text) => {
                    let id = slugify(&text);
                    if !id.is_empty() {
                        return Some(id);
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
        let why = first_empty.unwrap_or_default();
        let message = format!("{role} id: {why}");
        let field = p.id.first().and_then(Template::first_column);
        self.reject(row, field, RejectReason::EmptyId, message);
        None
    }

    /// The entity `id` of a held row: added when new; a name it was not
    /// yet known by becomes an alias.
    fn entity(
        &mut self,
        row: &SourceRow,
        p: &PartyColumns,
        id: String,
        kind: EntityKind,
    ) -> String {
        let name = p.name.render(&row.cells);
        if let Some(&i) = self.entity_index.get(&id) {
            let entity = &mut self.entities[i];
            let known = entity.names.values().any(|n| *n == name) || entity.aliases.contains(&name);
            if !name.is_empty() && !known {
                entity.aliases.push(name);
            }
            return id;
        }
        let name = if name.is_empty() { id.clone() } else { name };
        let identifiers = p
            .identifiers
            .iter()
            .filter_map(|(scheme, t)| Some((scheme.clone(), t.fill(&row.cells).ok()?)))
            .collect();
        self.entity_index.insert(id.clone(), self.entities.len());
        self.entities.push(Entity {
            id: id.clone(),
            kind,
            names: Labels::from([(None, name)]),
            aliases: Vec::new(),
            description: Labels::new(),
            identifiers,
        });
        id
    }

    /// The date in column `i` (none when no such column or an empty cell);
    /// `Err` when the cell is not a date, with the row rejected.
    fn date(&mut self, row: &SourceRow, i: Option<usize>) -> Result<Option<Day>, ()> {
        let Some(i) = i else { return Ok(None) };
        let value = cell(&row.cells, i);
        if value.is_empty() {
            return Ok(None);
        }
        let Some(time) = &self.mapping.time else {
            return Ok(None);
        };
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
        self.reject(row, Some(i), RejectReason::UnreadableDate, message);
        Err(())
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
struct Columns {
    subject: PartyColumns,
    object: PartyColumns,
    role: Option<Template>,
    /// The column that names each row's kind, with the kinds its values name.
    kind: Option<(usize, KindRule)>,
    start: Option<usize>,
    end: Option<usize>,
    snapshot: Option<usize>,
    censored: Option<(usize, String)>,
}

struct PartyColumns {
    /// Its id templates, tried in order.
    id: Vec<Template>,
    name: Template,
    identifiers: Vec<(String, Template)>,
}

impl Columns {
    fn bind(mapping: &Mapping, header: &[String], path: &Path) -> Result<Columns, Vec<Diagnostic>> {
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
        let subject = party(&mapping.subject);
        let object = party(&mapping.object);
        let role = mapping.relationship.role.as_ref().and_then(|r| {
            Template::bind(mapping, r.span().start, r.get_ref(), header, path)
                .map_err(|d| problems.push(d))
                .ok()
        });
        let kind = match &mapping.kinds() {
            Ok(
                kinds @ Kinds {
                    relationship: KindRule::ByColumn { column: name, .. },
                    ..
                },
            ) => column(
                mapping,
                mapping.relationship.kind.span().start,
                name,
                header,
                path,
            )
            .map_err(|d| problems.push(d))
            .ok()
            .map(|i| (i, kinds.relationship.clone())),
            _ => None,
        };
        let mut col = |v: &Option<toml::Spanned<String>>| -> Option<usize> {
            let v = v.as_ref()?;
            column(mapping, v.span().start, v.get_ref(), header, path)
                .map_err(|d| problems.push(d))
                .ok()
        };
        let none = None;
        let (start, end, snapshot, censored) = match &mapping.time {
            Some(t) => (
                col(&t.start),
                col(&t.end),
                col(&t.snapshot),
                &t.end_censored,
            ),
            None => (None, None, None, &none),
        };
        let censored = censored.as_ref().and_then(|f| {
            column(
                mapping,
                f.column.span().start,
                f.column.get_ref(),
                header,
                path,
            )
            .map_err(|d| problems.push(d))
            .ok()
            .map(|i| (i, f.value.clone()))
        });
        match (subject, object) {
            (Some(subject), Some(object)) if problems.is_empty() => Ok(Columns {
                subject,
                object,
                role,
                kind,
                start,
                end,
                snapshot,
                censored,
            }),
            _ => Err(problems),
        }
    }
}

/// The first and last observation days, from `[time] observed`.
fn observed(mapping: &Mapping) -> Result<Option<(NaiveDate, NaiveDate)>, Vec<Diagnostic>> {
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

/// One data row, read.
struct Row {
    subject: String,
    object: String,
    kind: RelationshipKind,
    role: String,
    first: Option<Day>,
    last: Option<Day>,
    snapshot: Option<Day>,
    censored: bool,
    line: usize,
    raw: String,
}

/// A relationship to be: who, when (EDTF; empty when undated), and the rows that say so.
struct Spell {
    subject: String,
    object: String,
    kind: RelationshipKind,
    role: String,
    edtf: String,
    rows: Vec<(usize, String)>,
}

/// One spell per row: a start in the first observed period is "on or
/// before" it, an end in the last (or a censored row's) "on or after" it; a
/// row with one date is open on its other side, one with none undated.
fn row_spells(rows: Vec<Row>, observed: Option<(NaiveDate, NaiveDate)>) -> Vec<Spell> {
    rows.into_iter()
        .map(|r| {
            let start = match r.first {
                None => None,
                Some((f, p))
                    if observed
                        .is_some_and(|(first_seen, _)| dates::period_start(f, p) <= first_seen) =>
                {
                    Some(format!("[..{}]", dates::edtf(f, p)))
                }
                Some((f, p)) => Some(dates::edtf(f, p)),
            };
            let end = match r.last {
                Some((l, p))
                    if r.censored
                        || observed
                            .is_some_and(|(_, last_seen)| dates::period_end(l, p) >= last_seen) =>
                {
                    Some(format!("[{}..]", dates::edtf(l, p)))
                }
                Some((l, p)) => Some(dates::edtf(l, p)),
                None => None,
            };
            let edtf = match (start, end) {
                (None, None) => String::new(),
                (start, end) => format!(
                    "{}/{}",
                    start.unwrap_or_else(|| "..".into()),
                    end.unwrap_or_else(|| "..".into())
                ),
            };
            Spell {
                subject: r.subject,
                object: r.object,
                kind: r.kind,
                role: r.role,
                edtf,
                rows: vec![(r.line, r.raw)],
            }
        })
        .collect()
}

/// A subject and an object.
/// A subject, an object, a kind and a role.
type Pair = (String, String, RelationshipKind, String);
/// A pair's rows by observation number: (line, raw row).
type Observations = BTreeMap<usize, (usize, String)>;

fn snapshot_spells(rows: Vec<Row>, at: SnapshotAt) -> Vec<Spell> {
    let day = |(d, precision): Day| match at {
        SnapshotAt::Start => dates::period_start(d, precision),
        SnapshotAt::End => dates::period_end(d, precision),
    };
    let calendar: Vec<NaiveDate> = rows
        .iter()
        .filter_map(|r| r.snapshot.map(day))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let position: HashMap<NaiveDate, usize> =
        calendar.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    // Pairs in order of first appearance, each with its observations.
    let mut pairs: Vec<(Pair, Observations)> = Vec::new();
    let mut pair_index: HashMap<Pair, usize> = HashMap::new();
    for r in rows {
        let Some(snapshot) = r.snapshot else { continue };
        let key = (r.subject, r.object, r.kind, r.role);
        let i = *pair_index.entry(key.clone()).or_insert_with(|| {
            pairs.push((key, BTreeMap::new()));
            pairs.len() - 1
        });
        pairs[i]
            .1
            .entry(position[&day(snapshot)])
            .or_insert((r.line, r.raw));
    }
    let mut spells = Vec::new();
    for ((subject, object, kind, role), seen) in pairs {
        let mut run: Vec<(usize, (usize, String))> = Vec::new();
        let mut flush = |run: &mut Vec<(usize, (usize, String))>| {
            let (Some(first), Some(last)) = (run.first().map(|r| r.0), run.last().map(|r| r.0))
            else {
                return;
            };
            let start = if first == 0 {
                format!("[..{}]", dates::edtf(calendar[0], Precision::Day))
            } else {
                dates::edtf_range(dates::next_day(calendar[first - 1]), calendar[first])
            };
            let end = if last + 1 == calendar.len() {
                format!("[{}..]", dates::edtf(calendar[last], Precision::Day))
            } else {
                dates::edtf_range(
                    calendar[last],
                    calendar[last + 1].pred_opt().unwrap_or(calendar[last + 1]),
                )
            };
            spells.push(Spell {
                subject: subject.clone(),
                object: object.clone(),
                kind,
                role: role.clone(),
                edtf: format!("{start}/{end}"),
                rows: run.drain(..).map(|r| r.1).collect(),
            });
        };
        for (i, row) in seen {
            if run.last().is_some_and(|r| r.0 + 1 != i) {
                flush(&mut run);
            }
            run.push((i, row));
        }
        flush(&mut run);
    }
    spells
}

fn relationships(
    spells: Vec<Spell>,
    mapping: &Mapping,
    kinds: &Kinds,
    path: &Path,
    place: &str,
) -> Result<Vec<Relationship>, Diagnostic> {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut used: HashMap<String, usize> = HashMap::new();
    // A role written in the mapping is English; one read from the data is
    // in the data's own language, unknown here.
    let language = match &mapping.relationship.role {
        Some(r) if !r.get_ref().contains('{') => Some("en".to_string()),
        _ => None,
    };
    let mut out = Vec::with_capacity(spells.len());
    for spell in spells {
        let base = format!("{}-{}-{}", spell.subject, spell.kind.as_str(), spell.object);
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 { base } else { format!("{base}-{n}") };
        let line = spell.rows[0].0;
        let during = if spell.edtf.is_empty() {
            None
        } else {
            Some(time_span(spell.edtf, path, line)?)
        };
        let lines: Vec<String> = spell.rows.iter().map(|r| r.0.to_string()).collect();
        let location = if lines.len() == 1 {
            format!("{file} {place} {}", lines[0])
        } else {
            format!("{file} {place}s {}", lines.join(", "))
        };
        out.push(Relationship {
            id,
            kind: spell.kind,
            subject: spell.subject,
            object: spell.object,
            role: if spell.role.is_empty() {
                Labels::new()
            } else {
                Labels::from([(language.clone(), spell.role)])
            },
            instrument: None,
            part_of: None,
            during,
            amount: None,
            status: kinds.status,
            label: Labels::new(),
            note: Labels::new(),
            evidence: vec![Evidence {
                source: mapping.source.id.get_ref().clone(),
                quote: spell
                    .rows
                    .iter()
                    .map(|r| r.1.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
                language: None,
                gloss: None,
                location: Some(location),
                attributed_to: None,
            }],
        });
    }
    Ok(out)
}

/// A spell's dates as written (EDTF), checked. The rows were checked
/// before, so a problem here is the importer's own, reported at the row.
fn time_span(text: String, path: &Path, line: usize) -> Result<TimeSpan, Diagnostic> {
    let problem = |message: String| Diagnostic {
        path: path.to_path_buf(),
        line,
        column: 1,
        message,
    };
    let edtf = Edtf::parse(&text).map_err(|e| {
        problem(format!(
            "dates read as '{text}', which is not valid EDTF: {e}"
        ))
    })?;
    let interval = Interval::from_edtf(&edtf).map_err(|e| {
        problem(format!(
            "dates read as '{text}' do not make an interval: {e}"
        ))
    })?;
    Ok(TimeSpan {
        text,
        edtf,
        interval,
    })
}

fn source(mapping: &Mapping, kinds: &Kinds) -> Result<Source, Vec<Diagnostic>> {
    let s = &mapping.source;
    let published = match &s.published {
        None => None,
        Some(p) => Some(DateValue {
            text: p.get_ref().clone(),
            expr: DateExpr::parse(p.get_ref()).map_err(|e| {
                vec![mapping.at(
                    p,
                    format!("published '{}' is not an EDTF date: {e}", p.get_ref()),
                )]
            })?,
        }),
    };
    let id = s.id.get_ref();
    Ok(Source {
        id: id.clone(),
        kind: kinds.source,
        title: s.title.clone(),
        author: s.author.clone(),
        publisher: s.publisher.clone(),
        url: s.url.clone(),
        published,
        language: None,
        cites: Vec::new(),
        note: s.note.clone(),
    })
}
