//! Tables as rows of cells, each with its place in the file and its text
//! verbatim: CSV and TSV files (a delimiter), read whatever their line
//! ends, and spreadsheets (`.xlsx`, `.xls`, `.ods`, read by calamine), whose
//! typed cells are read as what they are: a date cell is a date, the
//! number 1 is "1".

use crate::report::{Reject, RejectReason};
use calamine::{Data, DataType, Reader};
use chrono::NaiveDate;
use interlock_load::Diagnostic;
use std::path::Path;

/// One data row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceRow {
    /// Its first line in the file (1-based).
    pub line: usize,
    /// Its cells, as read (not trimmed).
    pub cells: Vec<String>,
    /// The row as the file has it, without its line end; a spreadsheet's
    /// row as a CSV line of its cells.
    pub raw: String,
    /// The dates of a spreadsheet's date cells, by column (empty for text files).
    pub dates: Vec<Option<NaiveDate>>,
}

/// A row of a table, or the reject of a row its reader could not read.
pub(crate) type TableRow = Result<SourceRow, Reject>;

/// A table: its header (cells trimmed) and its rows, read as they are asked for.
pub(crate) struct Table<'t> {
    pub header: Vec<String>,
    pub rows: Box<dyn Iterator<Item = TableRow> + 't>,
    /// Where a row is in the file, before its number: `line` in a text
    /// file, `sheet 'Boards' row` in a spreadsheet.
    pub place: String,
}

/// Whether `path` names a spreadsheet (by its extension).
pub(crate) fn is_spreadsheet(path: &Path) -> bool {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(
        extension.as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
    )
}

/// Reads the sheet `sheet` (by default the first) of the spreadsheet at
/// `path`; its first non-empty row is the header.
pub(crate) fn spreadsheet(path: &Path, sheet: Option<&str>) -> Result<Table<'static>, Diagnostic> {
    let mut workbook = calamine::open_workbook_auto(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read the spreadsheet: {e}")))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                let message = format!("no sheet '{wanted}'; its sheets are {}", names.join(", "));
                Diagnostic::file(path, message)
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Diagnostic::file(path, "the spreadsheet has no sheet"))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| Diagnostic::file(path, format!("cannot read sheet '{name}': {e}")))?;
    // Row numbers as the spreadsheet shows them: the range may start below row 1.
    let first_row = range.start().map_or(0, |(row, _)| row as usize) + 1;
    let mut rows = range
        .rows()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((_, header)) = rows.next() else {
        return Err(Diagnostic::file(
            path,
            format!("sheet '{name}' is empty; expected a header row and data rows"),
        ));
    };
    let header: Vec<String> = header
        .iter()
        .map(|c| cell_text(c).trim().to_string())
        .collect();
    let rows: Vec<TableRow> = rows
        .map(|(i, cells)| {
            let texts: Vec<String> = cells.iter().map(cell_text).collect();
            let dates = cells.iter().map(cell_date).collect();
            Ok(SourceRow {
                line: first_row + i,
                raw: csv_line(&texts),
                cells: texts,
                dates,
            })
        })
        .collect();
    Ok(Table {
        header,
        rows: Box::new(rows.into_iter()),
        place: format!("sheet '{name}' row"),
    })
}

/// A cell as text: numbers as they read (`1`, not `1.0`), dates as ISO 8601.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) => match (cell.as_date(), cell.as_datetime()) {
            (Some(d), Some(t)) if t.time() == chrono::NaiveTime::MIN => {
                d.format("%Y-%m-%d").to_string()
            }
            (_, Some(t)) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            _ => cell.to_string(),
        },
    }
}

/// The date of a date cell; none for any other.
fn cell_date(cell: &Data) -> Option<NaiveDate> {
    match cell {
        Data::DateTime(_) | Data::DateTimeIso(_) => cell.as_date(),
        _ => None,
    }
}

/// Cells as one CSV line (quoted where they need it).
fn csv_line(cells: &[String]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(cells);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

/// Reads `text` as delimited rows; the header is its first row. Only an
/// empty file or an unreadable header is a problem: an unreadable row is
/// that row's reject.
pub(crate) fn delimited<'t>(
    path: &Path,
    text: &'t str,
    delimiter: u8,
) -> Result<Table<'t>, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|c| c.trim_start_matches('\u{feff}').trim().to_string())
            .collect(),
        Err(e) => {
            return Err(Diagnostic::file(
                path,
                format!("cannot read the header: {e}"),
            ));
        }
    };
    if header.iter().all(String::is_empty) {
        return Err(Diagnostic::file(
            path,
            "empty file; expected a header row and data rows",
        ));
    }
    let rows = DelimitedRows {
        text,
        reader,
        lines: LineCounter::default(),
        record: csv::StringRecord::new(),
    };
    Ok(Table {
        header,
        rows: Box::new(rows),
        place: "line".to_string(),
    })
}

/// The data rows of a delimited text, one at a time.
struct DelimitedRows<'t> {
    text: &'t str,
    reader: csv::Reader<&'t [u8]>,
    lines: LineCounter,
    record: csv::StringRecord,
}

impl Iterator for DelimitedRows<'_> {
    type Item = TableRow;

    fn next(&mut self) -> Option<TableRow> {
        let read = self.reader.read_record(&mut self.record);
        let end = self.reader.position().byte() as usize;
        match read {
            Ok(false) => None,
            Ok(true) => {
                let start = self.record.position().map_or(0, |p| p.byte() as usize);
                let (line, raw) = self.lines.locate(self.text, start, end);
                let cells = self.record.iter().map(str::to_string).collect();
                Some(Ok(SourceRow {
                    line,
                    cells,
                    raw,
                    dates: Vec::new(),
                }))
            }
            Err(e) => {
                let start = error_start(&e).unwrap_or(end);
                let (line, raw) = self.lines.locate(self.text, start.min(end), end);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("this row has {len} fields; the header has {expected_len}"),
                    _ => e.to_string(),
                };
                Some(Err(Reject {
                    line,
                    column: 1,
                    reason: RejectReason::UnreadableRow,
                    message,
                    row: raw,
                }))
            }
        }
    }
}

/// Where the record a reading error is about starts.
fn error_start(e: &csv::Error) -> Option<usize> {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { pos, .. } => pos.as_ref().map(|p| p.byte() as usize),
        _ => e.position().map(|p| p.byte() as usize),
    }
}

/// Line numbers of byte offsets met in increasing order, counted once.
#[derive(Default)]
struct LineCounter {
    /// Bytes counted so far.
    counted: usize,
    /// Line ends among them.
    newlines: usize,
}

impl LineCounter {
    /// The line a record found at `start..end` begins on, and its text.
    /// The csv reader places a record after a `\r\n` line end at the `\n`
    /// (it ends the record at `\r`), so line ends at its start are skipped.
    fn locate(&mut self, text: &str, start: usize, end: usize) -> (usize, String) {
        let bytes = text.as_bytes();
        let mut start = start;
        while start < end && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted {
            self.newlines += bytecount(&bytes[self.counted..start]);
            self.counted = start;
        }
        let raw = text[start..end].trim_end_matches(['\r', '\n']).to_string();
        (self.newlines + 1, raw)
    }
}

fn bytecount(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(usize, String)> {
        let table = delimited(Path::new("t.csv"), text, b',').unwrap();
        table
            .rows
            .map(|r| match r {
                Ok(row) => (row.line, row.raw),
                Err(reject) => (reject.line, format!("REJECT {}", reject.row)),
            })
            .collect()
    }

    #[test]
    fn rows_keep_their_own_lines_and_text_whatever_the_line_ends() {
        let expected = vec![
            (2, "a,1".to_string()),
            (3, "b,\"two\nlines\"".to_string()),
            (5, "c,3".to_string()),
        ];
        let lf = "h,v\na,1\nb,\"two\nlines\"\nc,3\n";
        assert_eq!(read(lf), expected);
        let crlf = "h,v\r\na,1\r\nb,\"two\nlines\"\r\nc,3\r\n";
        assert_eq!(read(crlf), expected);
        let no_final_end = "h,v\r\na,1\r\nb,\"two\nlines\"\r\nc,3";
        assert_eq!(read(no_final_end), expected);
    }

    #[test]
    fn a_row_of_the_wrong_width_is_its_own_reject() {
        let rows = read("h,v\r\na,1\r\nb\r\nc,3,4\r\nd,4\r\n");
        assert_eq!(
            rows,
            vec![
                (2, "a,1".to_string()),
                (3, "REJECT b".to_string()),
                (4, "REJECT c,3,4".to_string()),
                (5, "d,4".to_string()),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_header() {
        let table = delimited(Path::new("t.csv"), "\u{feff}h,v\na,1\n", b',').unwrap();
        assert_eq!(table.header, ["h", "v"]);
    }
}
