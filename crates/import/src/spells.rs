//! Rows into relationships: one spell per row of a table of spells, runs
//! of consecutive observations per pair in a table of snapshots; each spell
//! a relationship with its dates as EDTF and its rows, verbatim, as its
//! evidence.

use crate::dates::{self, Precision};
use crate::mapping::{Kinds, Mapping, SnapshotAt};
use crate::rules::{Day, Row};
use chrono::NaiveDate;
use interlock_load::Diagnostic;
use interlock_model::time::{Edtf, Interval};
use interlock_model::{Evidence, Labels, Relationship, RelationshipKind, TimeSpan};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// A relationship to be: who, when (EDTF; empty when undated), and the rows that say so.
pub(crate) struct Spell {
    pub subject: String,
    pub object: String,
    pub kind: RelationshipKind,
    pub role: String,
    pub edtf: String,
    pub rows: Vec<(usize, String)>,
}

/// The spell of one row of a table of spells: a start in the first
/// observed period is "on or before" it, an end in the last (or a
/// censored row's) "on or after" it; a row with one date is open on its
/// other side, one with none undated.
pub(crate) fn row_spell(r: Row, observed: Option<(NaiveDate, NaiveDate)>) -> Spell {
    let start = r.first.map(|(f, p)| {
        let first_seen =
            observed.is_some_and(|(first_seen, _)| dates::period_start(f, p) <= first_seen);
        if first_seen {
            format!("[..{}]", dates::edtf(f, p))
        } else {
            dates::edtf(f, p)
        }
    });
    let end = r.last.map(|(l, p)| {
        let last_seen = r.censored
            || observed.is_some_and(|(_, last_seen)| dates::period_end(l, p) >= last_seen);
        if last_seen {
            format!("[{}..]", dates::edtf(l, p))
        } else {
            dates::edtf(l, p)
        }
    });
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
}

/// A subject, an object, a kind and a role.
type Pair = (String, String, RelationshipKind, String);
/// A pair's rows by observation number: (line, raw row).
type Observations = BTreeMap<usize, (usize, String)>;

/// The spells of a table of snapshots: per subject, object, kind and role,
/// each run of consecutive observations.
pub(crate) fn snapshot_spells(rows: Vec<Row>, at: SnapshotAt) -> Vec<Spell> {
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

/// Makes relationships of spells: their ids (`subject-kind-object`,
/// numbered from the second of a pair), roles, dates and evidence.
pub(crate) struct Relater {
    file: String,
    place: String,
    source: String,
    status: interlock_model::ClaimStatus,
    role_language: Option<String>,
    /// How many relationships each id (by its hash) was given so far.
    used: HashMap<u64, u32>,
}

impl Relater {
    /// The relater of a table at `path` whose rows are at `place` (`line`,
    /// `sheet 'Boards' row`).
    pub fn new(mapping: &Mapping, kinds: &Kinds, path: &Path, place: &str) -> Relater {
        // A role written in the mapping is English; one read from the data
        // is in the data's own language, unknown here.
        let role_language = match &mapping.relationship.role {
            Some(r) if !r.get_ref().contains('{') => Some("en".to_string()),
            _ => None,
        };
        Relater {
            file: path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            place: place.to_string(),
            source: mapping.source.id.get_ref().clone(),
            status: kinds.status,
            role_language,
            used: HashMap::new(),
        }
    }

    /// The relationship of `spell`. Its dates were read from checked rows,
    /// so a problem here is the importer's own, reported at the row.
    pub fn relationship(&mut self, spell: Spell, path: &Path) -> Result<Relationship, Diagnostic> {
        let base = format!("{}-{}-{}", spell.subject, spell.kind.as_str(), spell.object);
        let mut hasher = std::hash::DefaultHasher::new();
        base.hash(&mut hasher);
        let n = self.used.entry(hasher.finish()).or_insert(0);
        *n += 1;
        let id = if *n == 1 { base } else { format!("{base}-{n}") };
        let line = spell.rows[0].0;
        let during = if spell.edtf.is_empty() {
            None
        } else {
            Some(time_span(spell.edtf, path, line)?)
        };
        let lines: Vec<String> = spell.rows.iter().map(|r| r.0.to_string()).collect();
        let (file, place) = (&self.file, &self.place);
        let location = match lines.as_slice() {
            [one] => format!("{file} {place} {one}"),
            _ => format!("{file} {place}s {}", lines.join(", ")),
        };
        let quote = spell
            .rows
            .iter()
            .map(|r| r.1.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        Ok(Relationship {
            id,
            kind: spell.kind,
            subject: spell.subject,
            object: spell.object,
            role: if spell.role.is_empty() {
                Labels::new()
            } else {
                Labels::from([(self.role_language.clone(), spell.role)])
            },
            instrument: None,
            part_of: None,
            during,
            amount: None,
            status: self.status,
            label: Labels::new(),
            note: Labels::new(),
            evidence: vec![Evidence {
                source: self.source.clone(),
                quote,
                language: None,
                gloss: None,
                location: Some(location),
                attributed_to: None,
            }],
        })
    }
}

/// A spell's dates as written (EDTF), checked. The rows were checked
/// before, so a problem here is the importer's own, reported at the row.
pub(crate) fn time_span(text: String, path: &Path, line: usize) -> Result<TimeSpan, Diagnostic> {
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
