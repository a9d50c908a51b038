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

use crate::mapping::{Kinds, Mapping};
use crate::report::{DatedCounts, DifferingNames, ImportReport, Reject};
use crate::rows::{SourceRow, Table};
use crate::rules::{PartyColumns, Row, Rules, observed};
use crate::spells::{Relater, row_spell, snapshot_spells, time_span};
use crate::stream::TableStream;
use interlock_load::{Diagnostic, read_utf8};
use interlock_model::time::DateExpr;
use interlock_model::{Dataset, DateValue, Entity, EntityKind, Labels, Source};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// What an import read: the dataset of every row it could hold, the rows
/// it could not (in file order), and what came in.
#[derive(Debug)]
pub struct Imported {
    /// The dataset of the rows held; for a large table of spells, without
    /// its relationships, which [`Imported::relationships`] makes.
    pub dataset: Dataset,
    /// The relationships of a table read twice: once to check it (here),
    /// once to write them as they are made, so that they never all sit in
    /// memory.
    pub relationships: Option<TableStream>,
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
/// `.xls`, `.ods`) from its sheet `[csv] sheet` (default: the first). A
/// text table of spells keeps its text and makes its relationships as they
/// are written ([`Imported::relationships`]).
pub fn read_csv(path: &Path, mapping: &Mapping) -> Result<Imported, Vec<Diagnostic>> {
    if crate::rows::is_spreadsheet(path) {
        let sheet = mapping.csv.sheet.as_deref();
        let table = crate::rows::spreadsheet(path, sheet).map_err(|d| vec![d])?;
        return read_table(path, table, mapping, None);
    }
    let text: Arc<str> = read_utf8(path)?.into();
    let delimiter = delimiter(path, mapping)?;
    let table = crate::rows::delimited(path, &text, delimiter).map_err(|d| vec![d])?;
    let streamed = mapping.time.as_ref().is_none_or(|t| t.snapshot.is_none());
    let stream = streamed.then(|| (text.clone(), delimiter));
    read_table(path, table, mapping, stream)
}

/// [`read_csv`] of `text`, already read from `path` (which only names it
/// in problems and in the dataset's source); its relationships are made at
/// once, in the dataset.
pub fn parse_csv(path: &Path, text: &str, mapping: &Mapping) -> Result<Imported, Vec<Diagnostic>> {
    let delimiter = delimiter(path, mapping)?;
    let table = crate::rows::delimited(path, text, delimiter).map_err(|d| vec![d])?;
    read_table(path, table, mapping, None)
}

/// The mapping's delimiter; by default a tab for `.tsv` files, else a comma.
pub(crate) fn delimiter(path: &Path, mapping: &Mapping) -> Result<u8, Vec<Diagnostic>> {
    let tsv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    match &mapping.csv.delimiter {
        None if tsv => Ok(b'\t'),
        None => Ok(b','),
        Some(d) if d.get_ref().len() == 1 => Ok(d.get_ref().as_bytes()[0]),
        Some(d) => Err(vec![mapping.at(
            d,
            format!("delimiter '{}' is not one ASCII character", d.get_ref()),
        )]),
    }
}

/// A table's rows through `mapping`: every row checked, its parties
/// gathered as entities; its relationships made here, or, given the text
/// and delimiter to read it again by (`stream`), as they are written.
fn read_table(
    path: &Path,
    table: Table<'_>,
    mapping: &Mapping,
    stream: Option<(Arc<str>, u8)>,
) -> Result<Imported, Vec<Diagnostic>> {
    let rules = Rules::bind(Arc::new(mapping.clone()), table.header, path)?;
    let observed = observed(mapping)?;
    let relater = Relater::new(mapping, &rules.kinds, path, &table.place);
    let mut entities = Entities::default();
    let (mut rejects, mut held, mut counts) = (Vec::new(), Vec::new(), DatedCounts::default());
    let mut rows_read = 0;
    for row in table.rows {
        rows_read += 1;
        let read = row.and_then(|row| {
            let read = rules.read(&row)?;
            entities.add(
                &row,
                &rules.columns.subject,
                &read.subject,
                read.subject_kind,
            );
            entities.add(&row, &rules.columns.object, &read.object, read.object_kind);
            Ok(read)
        });
        match read {
            Err(reject) => rejects.push(reject),
            // Checked and counted now; made again as it is written.
            Ok(row) if stream.is_some() => {
                let (line, spell) = (row.line, row_spell(row, observed));
                let during = (!spell.edtf.is_empty())
                    .then(|| time_span(spell.edtf, path, line))
                    .transpose()
                    .map_err(|d| vec![d])?;
                counts.add(during.as_ref());
            }
            Ok(row) => held.push(row),
        }
    }
    let relationships = match &stream {
        Some(_) => Vec::new(),
        None => relationships(held, mapping, observed, relater, path)?,
    };
    for r in &relationships {
        counts.add(r.during.as_ref());
    }
    rejects.sort_by_key(|r| r.line);
    let held_rows = rows_read - rejects.len();
    let dataset = dataset(mapping, &rules.kinds, entities.list, relationships)?;
    let differing = differing_names(&dataset.entities);
    let report = ImportReport::new(&dataset, rows_read, &rejects, counts, differing);
    let relationships = stream.map(|(text, delimiter)| {
        TableStream::new(path, text, delimiter, rules.mapping.clone(), held_rows)
    });
    Ok(Imported {
        dataset,
        relationships,
        rejects,
        report,
    })
}

/// The relationships of rows held in memory: one per row, or per run of
/// snapshots.
fn relationships(
    rows: Vec<Row>,
    mapping: &Mapping,
    observed: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    mut relater: Relater,
    path: &Path,
) -> Result<Vec<interlock_model::Relationship>, Vec<Diagnostic>> {
    let snapshots = mapping.time.as_ref().filter(|t| t.snapshot.is_some());
    let spells = match snapshots {
        Some(t) => snapshot_spells(rows, t.snapshot_at),
        None => rows.into_iter().map(|r| row_spell(r, observed)).collect(),
    };
    spells
        .into_iter()
        .map(|s| relater.relationship(s, path).map_err(|d| vec![d]))
        .collect()
}

/// The dataset of `entities` and `relationships`, as the mapping describes it.
fn dataset(
    mapping: &Mapping,
    kinds: &Kinds,
    entities: Vec<Entity>,
    relationships: Vec<interlock_model::Relationship>,
) -> Result<Dataset, Vec<Diagnostic>> {
    let english = |text: &String| (Some("en".to_string()), text.clone());
    Ok(Dataset {
        id: mapping.dataset.id.get_ref().clone(),
        title: Labels::from([english(&mapping.dataset.title)]),
        description: mapping.dataset.description.iter().map(english).collect(),
        license: mapping.dataset.license.clone(),
        entities,
        sources: vec![source(mapping, kinds)?],
        relationships,
        events: Vec::new(),
        decisions: Vec::new(),
    })
}

/// The entities rows name, in the order first met.
#[derive(Default)]
struct Entities {
    list: Vec<Entity>,
    index: HashMap<String, usize>,
}

impl Entities {
    /// The party `id` of a held row: added when new; a name it was not yet
    /// known by becomes an alias.
    fn add(&mut self, row: &SourceRow, p: &PartyColumns, id: &str, kind: EntityKind) {
        let name = p.name.render(&row.cells);
        if let Some(&i) = self.index.get(id) {
            let entity = &mut self.list[i];
            let known = entity.names.values().any(|n| *n == name) || entity.aliases.contains(&name);
            if !name.is_empty() && !known {
                entity.aliases.push(name);
            }
            return;
        }
        let name = if name.is_empty() {
            id.to_string()
        } else {
            name
        };
        let identifiers = p
            .identifiers
            .iter()
            .filter_map(|(scheme, t)| Some((scheme.clone(), t.fill(&row.cells).ok()?)))
            .collect();
        self.index.insert(id.to_string(), self.list.len());
        self.list.push(Entity {
            id: id.to_string(),
            kind,
            names: Labels::from([(None, name)]),
            aliases: Vec::new(),
            description: Labels::new(),
            identifiers,
        });
    }
}

/// The ids rows gave more than one name, in the order first met: the first
/// name is the entity's, the others its aliases.
fn differing_names(entities: &[Entity]) -> Vec<DifferingNames> {
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
