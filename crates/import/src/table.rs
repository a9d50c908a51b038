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
use crate::mapping::{Kinds, Mapping, SnapshotAt, Template, column};
use chrono::NaiveDate;
use interlock_load::{Diagnostic, read_utf8};
use interlock_model::EntityKind;
use interlock_model::slug::slugify;
use interlock_model::time::{DateExpr, Edtf, Interval};
use interlock_model::{
    Dataset, DateValue, Entity, Evidence, Labels, Relationship, Source, TimeSpan,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Reads the CSV at `path` through `mapping` into one dataset: every row a
/// relationship between two entities (snapshot rows merged into spells),
/// with the row itself, verbatim, as its evidence. Returns every problem
/// found, each at its place in the CSV or the mapping.
pub fn read_csv(path: &Path, mapping: &Mapping) -> Result<Dataset, Vec<Diagnostic>> {
    parse_csv(path, &read_utf8(path)?, mapping)
}

/// [`read_csv`] of `text`, already read from `path` (which only names it
/// in problems and in the dataset's source).
pub fn parse_csv(path: &Path, text: &str, mapping: &Mapping) -> Result<Dataset, Vec<Diagnostic>> {
    let kinds = mapping.kinds().map_err(|d| vec![d])?;
    let (mut reader, header) = open_csv(path, text, mapping)?;
    let columns = Columns::bind(mapping, &header, path)?;
    let observed = observed(mapping)?;
    let mut rows = RowReader {
        path,
        text,
        mapping,
        header: &header,
        columns: &columns,
        kinds: &kinds,
        problems: Vec::new(),
        entities: Vec::new(),
        entity_index: HashMap::new(),
        rows: Vec::new(),
    };
    rows.read_all(&mut reader);
    let RowReader {
        problems,
        entities,
        rows,
        ..
    } = rows;
    if !problems.is_empty() {
        return Err(problems);
    }
    let spells = if columns.snapshot.is_some() {
        snapshot_spells(rows, mapping.time.precision, mapping.time.snapshot_at)
    } else {
        row_spells(rows, mapping.time.precision, observed)
    };
    let relationships = relationships(spells, mapping, &kinds, path).map_err(|d| vec![d])?;
    let english = |text: &String| (Some("en".to_string()), text.clone());
    Ok(Dataset {
        id: mapping.dataset.id.get_ref().clone(),
        title: Labels::from([english(&mapping.dataset.title)]),
        description: mapping.dataset.description.iter().map(english).collect(),
        license: mapping.dataset.license.clone(),
        entities,
        sources: vec![source(mapping, &kinds)?],
        relationships,
        events: Vec::new(),
        decisions: Vec::new(),
    })
}

/// A CSV reader over a text, and the header it read.
type Opened<'t> = (csv::Reader<&'t [u8]>, Vec<String>);

/// A CSV reader over `text` with the mapping's delimiter, and its header.
fn open_csv<'t>(
    path: &Path,
    text: &'t str,
    mapping: &Mapping,
) -> Result<Opened<'t>, Vec<Diagnostic>> {
    let delimiter = match &mapping.csv.delimiter {
        None => b',',
        Some(d) if d.get_ref().len() == 1 => d.get_ref().as_bytes()[0],
        Some(d) => {
            return Err(vec![mapping.at(
                d,
                format!("delimiter '{}' is not one ASCII character", d.get_ref()),
            )]);
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            let message = format!("cannot read the header: {e}");
            return Err(vec![Diagnostic::file(path, message)]);
        }
    };
    if header.iter().all(String::is_empty) {
        return Err(vec![Diagnostic::file(
            path,
            "empty file; expected a header row and data rows",
        )]);
    }
    Ok((reader, header))
}

/// The rows of one CSV being read: the entities met so far, the rows kept,
/// every problem found.
struct RowReader<'a> {
    path: &'a Path,
    text: &'a str,
    mapping: &'a Mapping,
    header: &'a [String],
    columns: &'a Columns,
    kinds: &'a Kinds,
    problems: Vec<Diagnostic>,
    entities: Vec<Entity>,
    entity_index: HashMap<String, usize>,
    rows: Vec<Row>,
}

impl RowReader<'_> {
    /// Reads every record (stopping after 50 problems).
    fn read_all(&mut self, reader: &mut csv::Reader<&[u8]>) {
        let mut record = csv::StringRecord::new();
        while self.problems.len() < 50 {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => self.row(&record),
                Err(e) => self.problems.push(self.unreadable(&e)),
            }
        }
    }

    /// Where and why a record could not be read.
    fn unreadable(&self, e: &csv::Error) -> Diagnostic {
        let (line, message) = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                pos,
                expected_len,
                len,
            } => (
                pos.as_ref().map_or(0, |p| p.line() as usize),
                format!("this row has {len} fields; the header has {expected_len}"),
            ),
            _ => (e.position().map_or(0, |p| p.line() as usize), e.to_string()),
        };
        Diagnostic {
            path: self.path.to_path_buf(),
            line: line.max(1),
            column: 1,
            message,
        }
    }

    /// A problem at field `field` of `record`.
    fn at(&self, record: &csv::StringRecord, field: usize, message: String) -> Diagnostic {
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let offset = field_offset(self.text, start, record, field);
        Diagnostic::at_offset(self.path, self.text, offset, message)
    }

    /// One record: its two parties, its dates, kept as a row.
    fn row(&mut self, record: &csv::StringRecord) {
        let columns = self.columns;
        let (subject_kind, object_kind) = (self.kinds.subject, self.kinds.object);
        let (Some(subject), Some(object)) = (
            self.party(record, &columns.subject, "subject", subject_kind),
            self.party(record, &columns.object, "object", object_kind),
        ) else {
            return;
        };
        if subject == object {
            let message = format!("'{subject}' would be tied to itself");
            self.problems
                .push(self.at(record, columns.subject.first_column, message));
            return;
        }
        let (Ok(first), Ok(last), Ok(snapshot)) = (
            self.date(record, columns.start),
            self.date(record, columns.end),
            self.date(record, columns.snapshot),
        ) else {
            return;
        };
        if let (Some(f), Some(l)) = (first, last)
            && l < f
        {
            let message = format!("ends ({l}) before it starts ({f})");
            self.problems
                .push(self.at(record, columns.end.unwrap_or(0), message));
            return;
        }
        if columns.snapshot.is_some() && snapshot.is_none() {
            let message = "no date in the snapshot column".to_string();
            self.problems
                .push(self.at(record, columns.snapshot.unwrap_or(0), message));
            return;
        }
        let censored = columns
            .censored
            .as_ref()
            .is_some_and(|(i, yes)| record.get(*i).is_some_and(|v| v.trim() == yes));
        let start = record.position().map_or(0, |p| p.byte() as usize);
        self.rows.push(Row {
            subject,
            object,
            first,
            last,
            snapshot,
            censored,
            line: record.position().map_or(0, |p| p.line() as usize),
            raw: self.text[start..].lines().next().unwrap_or("").to_string(),
        });
    }

    /// The id of a row's party, adding the entity when it is new.
    fn party(
        &mut self,
        record: &csv::StringRecord,
        p: &PartyColumns,
        role: &str,
        kind: EntityKind,
    ) -> Option<String> {
        let id = slugify(&p.id.render(record));
        if id.is_empty() {
            let message = format!("no id for the {role}: the columns of its id are empty");
            self.problems.push(self.at(record, p.first_column, message));
            return None;
        }
        if !self.entity_index.contains_key(&id) {
            let name = p.name.render(record);
            let name = if name.is_empty() { id.clone() } else { name };
            let identifiers = p
                .identifiers
                .iter()
                .filter(|(_, t)| !t.is_blank(record))
                .map(|(scheme, t)| (scheme.clone(), t.render(record)))
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
        }
        Some(id)
    }

    /// The date in column `i` (none when no such column or an empty cell);
    /// `Err` when the cell is not a date, with the problem recorded.
    fn date(
        &mut self,
        record: &csv::StringRecord,
        i: Option<usize>,
    ) -> Result<Option<NaiveDate>, ()> {
        let Some(i) = i else { return Ok(None) };
        let cell = record.get(i).unwrap_or("").trim();
        if cell.is_empty() {
            return Ok(None);
        }
        let format = self.mapping.time.format.get_ref();
        if let Some(d) = dates::parse(cell, format) {
            return Ok(Some(d));
        }
        let message = format!(
            "'{cell}' in column {} is not a date in the format {format}",
            self.header[i]
        );
        self.problems.push(self.at(record, i, message));
        Err(())
    }
}

/// The mapping's templates and columns, bound to the header.
struct Columns {
    subject: PartyColumns,
    object: PartyColumns,
    start: Option<usize>,
    end: Option<usize>,
    snapshot: Option<usize>,
    censored: Option<(usize, String)>,
}

struct PartyColumns {
    id: Template,
    name: Template,
    identifiers: Vec<(String, Template)>,
    first_column: usize,
}

impl Columns {
    fn bind(mapping: &Mapping, header: &[String], path: &Path) -> Result<Columns, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut party = |p: &crate::mapping::Party| -> Option<PartyColumns> {
            let mut bind = |v| {
                Template::bind(mapping, v, header, path)
                    .map_err(|d| problems.push(d))
                    .ok()
            };
            let id = bind(&p.id);
            let name = bind(&p.name);
            let identifiers: Vec<_> = p
                .identifiers
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), bind(v)?)))
                .collect();
            let first_column = header
                .iter()
                .position(|h| p.id.get_ref().contains(&format!("{{{h}}}")))
                .unwrap_or(0);
            Some(PartyColumns {
                id: id?,
                name: name?,
                identifiers,
                first_column,
            })
        };
        let subject = party(&mapping.subject);
        let object = party(&mapping.object);
        let mut col = |v: &Option<toml::Spanned<String>>| -> Option<usize> {
            let v = v.as_ref()?;
            column(mapping, v, v.get_ref(), header, path)
                .map_err(|d| problems.push(d))
                .ok()
        };
        let t = &mapping.time;
        let (start, end, snapshot) = (col(&t.start), col(&t.end), col(&t.snapshot));
        let censored = t.end_censored.as_ref().and_then(|f| {
            column(mapping, &f.column, f.column.get_ref(), header, path)
                .map_err(|d| problems.push(d))
                .ok()
                .map(|i| (i, f.value.clone()))
        });
        match (subject, object) {
            (Some(subject), Some(object)) if problems.is_empty() => Ok(Columns {
                subject,
                object,
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
    let Some(text) = &mapping.time.observed else {
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
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    snapshot: Option<NaiveDate>,
    censored: bool,
    line: usize,
    raw: String,
}

/// A relationship to be: who, when (EDTF), and the rows that say so.
struct Spell {
    subject: String,
    object: String,
    edtf: String,
    rows: Vec<(usize, String)>,
}

fn row_spells(
    rows: Vec<Row>,
    precision: Precision,
    observed: Option<(NaiveDate, NaiveDate)>,
) -> Vec<Spell> {
    rows.into_iter()
        .map(|r| {
            let start = match r.first {
                None => String::new(),
                Some(f)
                    if observed.is_some_and(|(first_seen, _)| {
                        dates::period_start(f, precision) <= first_seen
                    }) =>
                {
                    format!("[..{}]", dates::edtf(f, precision))
                }
                Some(f) => dates::edtf(f, precision),
            };
            let end = match r.last {
                Some(l)
                    if r.censored
                        || observed.is_some_and(|(_, last_seen)| {
                            dates::period_end(l, precision) >= last_seen
                        }) =>
                {
                    format!("[{}..]", dates::edtf(l, precision))
                }
                Some(l) => dates::edtf(l, precision),
                None if r.censored => "..".to_string(),
                None => String::new(),
            };
            Spell {
                subject: r.subject,
                object: r.object,
                edtf: format!("{start}/{end}"),
                rows: vec![(r.line, r.raw)],
            }
        })
        .collect()
}

/// A subject and an object.
type Pair = (String, String);
/// A pair's rows by observation number: (line, raw row).
type Observations = BTreeMap<usize, (usize, String)>;

fn snapshot_spells(rows: Vec<Row>, precision: Precision, at: SnapshotAt) -> Vec<Spell> {
    let day = |d: NaiveDate| match at {
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
        let key = (r.subject, r.object);
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
    for ((subject, object), seen) in pairs {
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
) -> Result<Vec<Relationship>, Diagnostic> {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut used: HashMap<String, usize> = HashMap::new();
    let role: Labels = mapping
        .relationship
        .role
        .iter()
        .map(|r| (Some("en".to_string()), r.clone()))
        .collect();
    let mut out = Vec::with_capacity(spells.len());
    for spell in spells {
        let base = format!(
            "{}-{}-{}",
            spell.subject,
            kinds.relationship.as_str(),
            spell.object
        );
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 { base } else { format!("{base}-{n}") };
        let line = spell.rows[0].0;
        let edtf = Edtf::parse(&spell.edtf).map_err(|e| Diagnostic {
            path: path.to_path_buf(),
            line,
            column: 1,
            message: format!(
                "dates read as '{}', which is not valid EDTF: {e}",
                spell.edtf
            ),
        })?;
        let interval = Interval::from_edtf(&edtf).map_err(|e| Diagnostic {
            path: path.to_path_buf(),
            line,
            column: 1,
            message: format!(
                "dates read as '{}' do not make an interval: {e}",
                spell.edtf
            ),
        })?;
        let lines: Vec<String> = spell.rows.iter().map(|r| r.0.to_string()).collect();
        let location = if lines.len() == 1 {
            format!("{file} line {}", lines[0])
        } else {
            format!("{file} lines {}", lines.join(", "))
        };
        out.push(Relationship {
            id,
            kind: kinds.relationship,
            subject: spell.subject,
            object: spell.object,
            role: role.clone(),
            instrument: None,
            part_of: None,
            during: Some(TimeSpan {
                text: spell.edtf,
                edtf,
                interval,
            }),
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

/// The byte offset of field `index` of a record starting at `start`:
/// found by looking for each field's text in turn along the raw line, so
/// quoted fields are found too.
fn field_offset(text: &str, start: usize, record: &csv::StringRecord, index: usize) -> usize {
    let line = text[start..].lines().next().unwrap_or("");
    let mut cursor = 0;
    for (i, field) in record.iter().enumerate() {
        let found = line[cursor..].find(field).map(|p| cursor + p);
        if i == index {
            return start + found.unwrap_or(cursor);
        }
        if let Some(p) = found {
            cursor = p + field.len();
        }
    }
    start
}
