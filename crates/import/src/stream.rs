//! The second reading of a large table: its relationships made again, row
//! by row, as the store writes them, so that a table of millions of rows
//! never holds its relationships, or their quads, in memory at once. The
//! first reading ([`crate::read_csv`]) checked every row, gathered the
//! entities and counted; rows read alike both times (reading a row changes
//! nothing), so the relationships made here are those it counted.

use crate::mapping::Mapping;
use crate::rows::delimited;
use crate::rules::{Rules, observed};
use crate::spells::{Relater, row_spell};
use interlock_load::{IriBase, QuadSource, relationship_quads};
use oxigraph::model::Quad;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The relationships of a table of spells, to be made as they are written.
#[derive(Debug, Clone)]
pub struct TableStream {
    path: PathBuf,
    text: Arc<str>,
    delimiter: u8,
    mapping: Arc<Mapping>,
    count: usize,
}

impl TableStream {
    pub(crate) fn new(
        path: &Path,
        text: Arc<str>,
        delimiter: u8,
        mapping: Arc<Mapping>,
        count: usize,
    ) -> TableStream {
        TableStream {
            path: path.to_path_buf(),
            text,
            delimiter,
            mapping,
            count,
        }
    }

    /// How many relationships it makes.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The quads of its relationships, with data IRIs minted under `base`.
    pub fn source(self, base: &IriBase) -> Arc<dyn QuadSource> {
        Arc::new(TableQuads {
            stream: self,
            base: base.clone(),
        })
    }
}

/// A [`TableStream`] with the base its IRIs are minted under.
#[derive(Debug)]
struct TableQuads {
    stream: TableStream,
    base: IriBase,
}

impl QuadSource for TableQuads {
    fn quads(&self) -> Box<dyn Iterator<Item = Quad> + '_> {
        let s = &self.stream;
        // The first reading bound the mapping and read the header: neither
        // can fail now; if one did, nothing would be made.
        let Ok(table) = delimited(&s.path, &s.text, s.delimiter) else {
            return Box::new(std::iter::empty());
        };
        let (Ok(rules), Ok(observed)) = (
            Rules::bind(s.mapping.clone(), table.header, &s.path),
            observed(&s.mapping),
        ) else {
            return Box::new(std::iter::empty());
        };
        let mut relater = Relater::new(&s.mapping, &rules.kinds, &s.path, &table.place);
        let dataset = s.mapping.dataset.id.get_ref().clone();
        let path = s.path.clone();
        Box::new(
            table
                .rows
                .filter_map(move |row| rules.read(&row.ok()?).ok())
                .filter_map(move |row| relater.relationship(row_spell(row, observed), &path).ok())
                .flat_map(move |r| relationship_quads(&r, &self.base, &dataset)),
        )
    }
}
