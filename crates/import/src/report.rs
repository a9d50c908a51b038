//! What an import read: the rows it could not hold (rejects, each with its
//! line, reason and the row verbatim) and a report of what came in.

use interlock_model::Dataset;
use interlock_model::time::{EndKnowledge, end_knowledge};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why a row (an FtM entity line) could not be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectReason {
    /// The file's reader could not read it (fields unlike the header's, a
    /// line that is not a JSON entity).
    UnreadableRow,
    /// A date no format of the mapping reads, or not a date at all.
    UnreadableDate,
    /// Its end is before its start.
    EndBeforeStart,
    /// A snapshot row without the date of its snapshot.
    NoDate,
    /// Every id template of a party has an empty placeholder.
    EmptyId,
    /// Both parties are one entity.
    TiedToItself,
    /// An entity whose id an earlier line already gave (FtM).
    DuplicateId,
    /// A link to an entity the file does not hold (FtM).
    UnknownReference,
    /// An amount or currency that cannot be read (FtM).
    UnreadableAmount,
    /// A value of the kind column the mapping names no kind for.
    UnknownKind,
}

impl RejectReason {
    /// The reason in a few words, as reports and rejects files write it.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::UnreadableRow => "unreadable row",
            RejectReason::UnreadableDate => "unreadable date",
            RejectReason::EndBeforeStart => "end before start",
            RejectReason::NoDate => "no date",
            RejectReason::EmptyId => "empty id",
            RejectReason::TiedToItself => "tied to itself",
            RejectReason::DuplicateId => "duplicate id",
            RejectReason::UnknownReference => "reference to nothing",
            RejectReason::UnreadableAmount => "unreadable amount",
            RejectReason::UnknownKind => "unknown kind",
        }
    }
}

/// A row that could not be held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// Its first line in the file (1-based; the header is line 1 of a CSV).
    pub line: usize,
    /// The column (1-based, in characters) where the problem is.
    pub column: usize,
    /// Why, in one word of [`RejectReason`].
    pub reason: RejectReason,
    /// Why, in full: what was found and what was expected.
    pub message: String,
    /// The row as the file has it (all its lines, without the last line end).
    pub row: String,
}

/// How many relationships have both ends dated, one, or none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedCounts {
    /// Start and end both dated.
    pub dated: usize,
    /// One end dated, the other open or unknown.
    pub half_dated: usize,
    /// No date at all ("date unknown").
    pub undated: usize,
}

/// An id that rows gave different names: the first is its name, the others
/// its aliases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DifferingNames {
    /// The entity's id.
    pub id: String,
    /// Its names, in the order the rows gave them.
    pub names: Vec<String>,
}

/// What came in, at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Data rows (entity lines) read.
    pub rows_read: usize,
    /// Rows that became part of the dataset.
    pub rows_loaded: usize,
    /// Rows rejected, by reason ([`RejectReason::as_str`]).
    pub rejected: BTreeMap<String, usize>,
    /// Entities in the dataset.
    pub entities: usize,
    /// Relationships in the dataset, by how well they are dated.
    pub relationships: DatedCounts,
    /// How many ids rows gave more than one name.
    pub ids_with_differing_names: usize,
    /// A few of them.
    pub differing_names: Vec<DifferingNames>,
}

impl DatedCounts {
    /// Counts one relationship dated by `during` (none: undated).
    pub fn add(&mut self, during: Option<&interlock_model::TimeSpan>) {
        match during.map(|d| end_knowledge(&d.edtf)) {
            Some((EndKnowledge::Dated, EndKnowledge::Dated)) => self.dated += 1,
            Some((EndKnowledge::Dated, _) | (_, EndKnowledge::Dated)) => self.half_dated += 1,
            _ => self.undated += 1,
        }
    }

    /// The counts of `relationships`.
    pub fn of(relationships: &[interlock_model::Relationship]) -> DatedCounts {
        let mut counts = DatedCounts::default();
        for r in relationships {
            counts.add(r.during.as_ref());
        }
        counts
    }
}

/// How many ids with differing names a report shows.
pub const DIFFERING_EXAMPLES: usize = 5;

impl ImportReport {
    /// The report of `dataset`, read from `rows_read` rows of which
    /// `rejects` were not held, whose relationships are dated as
    /// `relationships` counts; `differing` lists every id given more than
    /// one name.
    pub fn new(
        dataset: &Dataset,
        rows_read: usize,
        rejects: &[Reject],
        relationships: DatedCounts,
        differing: Vec<DifferingNames>,
    ) -> ImportReport {
        let mut rejected = BTreeMap::new();
        for r in rejects {
            *rejected.entry(r.reason.as_str().to_string()).or_insert(0) += 1;
        }
        ImportReport {
            rows_read,
            rows_loaded: rows_read - rejects.len(),
            rejected,
            entities: dataset.entities.len(),
            relationships,
            ids_with_differing_names: differing.len(),
            differing_names: differing.into_iter().take(DIFFERING_EXAMPLES).collect(),
        }
    }

    /// Rows rejected, all reasons together.
    pub fn rows_rejected(&self) -> usize {
        self.rejected.values().sum()
    }
}

/// Writes `rejects` as CSV: `line,column,reason,message,row`, the row verbatim.
pub fn write_rejects(rejects: &[Reject], out: impl std::io::Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["line", "column", "reason", "message", "row"])?;
    for r in rejects {
        writer.write_record([
            r.line.to_string().as_str(),
            r.column.to_string().as_str(),
            r.reason.as_str(),
            &r.message,
            &r.row,
        ])?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_are_written_as_csv_with_the_row_verbatim() {
        let rejects = [Reject {
            line: 7,
            column: 12,
            reason: RejectReason::EndBeforeStart,
            message: "ends (2001-01-01) before it starts (2009-06-30)".into(),
            row: "Jane \"JJ\" Doe,,Acme, Inc.,2009/06/30,2001/01/01".into(),
        }];
        let mut out = Vec::new();
        write_rejects(&rejects, &mut out).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let row = reader.records().next().unwrap().unwrap();
        let fields: Vec<&str> = row.iter().collect();
        assert_eq!(
            fields,
            [
                "7",
                "12",
                "end before start",
                "ends (2001-01-01) before it starts (2009-06-30)",
                "Jane \"JJ\" Doe,,Acme, Inc.,2009/06/30,2001/01/01"
            ]
        );
    }
}
