//! Files and folders named on the command line, read into datasets.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::rdf::{IriBase, dataset_quads};
use crate::timeline::parse_timeline_located;
use interlock_model::Dataset;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What kind of file an input is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A timeline (`.toml`).
    Timeline,
    /// An RDF file in the given syntax.
    Rdf(RdfFormat),
}

impl InputKind {
    /// The kind of a path, from its extension.
    pub fn of(path: &Path) -> Option<InputKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        if ext == "toml" {
            return Some(InputKind::Timeline);
        }
        let format = match ext.as_str() {
            "ttl" => RdfFormat::Turtle,
            "nt" => RdfFormat::NTriples,
            "nq" => RdfFormat::NQuads,
            "trig" => RdfFormat::TriG,
            "n3" => RdfFormat::N3,
            "rdf" | "owl" | "xml" => RdfFormat::RdfXml,
            "jsonld" => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            _ => return None,
        };
        Some(InputKind::Rdf(format))
    }
}

/// Counts of what an input holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Entities declared.
    pub entities: usize,
    /// Relationships declared.
    pub relationships: usize,
    /// Events declared.
    pub events: usize,
    /// Sources declared.
    pub sources: usize,
    /// RDF triples (quads) produced.
    pub triples: usize,
}

/// One input, read and validated: the quads to write and the graphs they replace.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file it was read from.
    pub path: PathBuf,
    /// The dataset's id (for RDF files, the file stem).
    pub dataset_id: String,
    /// The graphs that loading it replaces: the dataset's graph (for RDF
    /// files, the graph their triples go to). Named graphs found in N-Quads
    /// or TriG files are replaced too, as they are met.
    pub graphs: Vec<NamedNode>,
    /// Its quads, made or to be parsed.
    pub content: Content,
    /// What it holds (for an RDF file not yet parsed, `triples` is 0).
    pub summary: Summary,
    /// Where each of its decisions was written: the decision's IRI, line
    /// and column (a timeline's; none for other inputs).
    pub decisions: Vec<(NamedNode, usize, usize)>,
}

/// Quads made again each time they are asked for: a dataset too large to
/// hold as quads in memory makes them from its source instead.
pub trait QuadSource: std::fmt::Debug + Send + Sync {
    /// Every quad, in the same order each time.
    fn quads(&self) -> Box<dyn Iterator<Item = Quad> + '_>;
}

/// The quads of an input.
#[derive(Debug, Clone)]
pub enum Content {
    /// Quads already made (timelines, imports).
    Quads(Vec<Quad>),
    /// Quads made as they are written (a large import), by its source.
    Stream(Arc<dyn QuadSource>),
    /// An RDF file, parsed while it is written, so files far larger than
    /// memory load; triples (default-graph quads) go to `graph`.
    RdfFile {
        /// Its syntax.
        format: RdfFormat,
        /// The graph its triples go to.
        graph: NamedNode,
    },
}

impl Input {
    /// Every quad, in order; a syntax error (located at file:line:column)
    /// ends the sequence.
    pub fn quads(&self) -> Box<dyn Iterator<Item = Result<Quad, Diagnostic>> + '_> {
        match &self.content {
            Content::Quads(quads) => Box::new(quads.iter().cloned().map(Ok)),
            Content::Stream(source) => Box::new(source.quads().map(Ok)),
            Content::RdfFile { format, graph } => match std::fs::File::open(&self.path) {
                Ok(file) => Box::new(rdf_quads(
                    &self.path,
                    std::io::BufReader::with_capacity(1 << 20, file),
                    *format,
                    graph.clone(),
                )),
                Err(e) => Box::new(std::iter::once(Err(Diagnostic::file(
                    &self.path,
                    format!("cannot read file: {e}"),
                )))),
            },
        }
    }

    /// Parses an RDF file to its end to find any syntax error and count its
    /// triples (made quads are already valid).
    pub fn validate(&mut self) -> Result<(), Diagnostic> {
        if matches!(self.content, Content::RdfFile { .. }) {
            let mut n = 0;
            for quad in self.quads() {
                quad?;
                n += 1;
            }
            self.summary.triples = n;
        }
        Ok(())
    }
}

/// The files named by `paths`: files as given, folders by their direct
/// children with a known extension (`.toml` and RDF), sorted by name.
/// Folders are not descended into, so `data/` does not pick up `data/mappings/`.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = match std::fs::read_dir(path) {
                Ok(entries) => entries,
                Err(e) => {
                    problems.push(Diagnostic::file(path, format!("cannot read folder: {e}")));
                    continue;
                }
            };
            let mut children: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && InputKind::of(p).is_some())
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            children.sort();
            if children.is_empty() {
                problems.push(Diagnostic::file(
                    path,
                    "folder holds no timeline (.toml) or RDF file",
                ));
            }
            files.extend(children);
        } else if path.is_file() {
            if InputKind::of(path).is_none() {
                problems.push(Diagnostic::file(
                    path,
                    "unknown file type; expected .toml (timeline) or an RDF file (.ttl, .nt, .nq, .trig, .rdf, .jsonld)",
                ));
            } else {
                files.push(path.clone());
            }
        } else {
            problems.push(Diagnostic::file(path, "no such file or folder"));
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(Diagnostics(problems))
    }
}

/// Every value, or every problem of any: the one way inputs are read, so
/// that one run reports all that is wrong, not just the first.
pub fn all_or_problems<T>(
    results: impl IntoIterator<Item = Result<T, Vec<Diagnostic>>>,
) -> Result<Vec<T>, Diagnostics> {
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(mut p) => problems.append(&mut p),
        }
    }
    match problems.is_empty() {
        true => Ok(values),
        false => Err(Diagnostics(problems)),
    }
}

/// RDF files (or folders of them) to import, each into `graph` when given,
/// else into the graph of its stem; every problem of any.
pub fn read_rdf_inputs(
    paths: &[PathBuf],
    base: &IriBase,
    graph: Option<NamedNode>,
) -> Result<Vec<Input>, Diagnostics> {
    let files = expand_paths(paths)?;
    all_or_problems(files.iter().map(|file| match InputKind::of(file) {
        Some(InputKind::Rdf(format)) => read_rdf(file, format, base, graph.clone()),
        _ => Err(vec![Diagnostic::file(
            file,
            "not an RDF file; expected .ttl, .nt, .nq, .trig, .rdf or .jsonld (timelines are loaded, not imported)",
        )]),
    }))
}

/// Reads and validates every file; returns all of them, or every problem in
/// any (two datasets with one id included).
pub fn read_inputs(files: &[PathBuf], base: &IriBase) -> Result<Vec<Input>, Diagnostics> {
    let read: Vec<_> = files.iter().map(|path| read_input(path, base)).collect();
    let clashes = shared_ids(read.iter().filter_map(|r| r.as_ref().ok()));
    all_or_problems(
        read.into_iter()
            .chain(clashes.into_iter().map(|d| Err(vec![d]))),
    )
}

/// A problem for every input whose dataset id an earlier one has.
fn shared_ids<'a>(inputs: impl Iterator<Item = &'a Input>) -> Vec<Diagnostic> {
    let mut by_id: HashMap<&str, &Path> = HashMap::new();
    let mut problems = Vec::new();
    for input in inputs {
        if let Some(first) = by_id.insert(&input.dataset_id, &input.path) {
            problems.push(Diagnostic::file(
                &input.path,
                format!(
                    "dataset id '{}' is also the id of {}; each dataset needs its own id",
                    input.dataset_id,
                    first.display()
                ),
            ));
        }
    }
    problems
}

fn read_input(path: &Path, base: &IriBase) -> Result<Input, Vec<Diagnostic>> {
    let kind =
        InputKind::of(path).ok_or_else(|| vec![Diagnostic::file(path, "unknown file type")])?;
    match kind {
        InputKind::Timeline => {
            let text = read_utf8(path)?;
            let (dataset, positions) = parse_timeline_located(path, &text)?;
            let id = dataset.id.clone();
            let mut input = dataset_input(path, dataset, base);
            input.decisions = positions
                .into_iter()
                .enumerate()
                .map(|(n, (line, column))| (base.decision(&id, n + 1), line, column))
                .collect();
            Ok(input)
        }
        InputKind::Rdf(format) => read_rdf(path, format, base, None),
    }
}

/// The text of a file, or a located problem when it cannot be read or is
/// not UTF-8 (pointing at the first bad byte).
pub fn read_utf8(path: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::file(path, format!("cannot read file: {e}"))])?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let byte = e.as_bytes()[valid];
        vec![Diagnostic::at_offset(
            path,
            &prefix,
            valid,
            format!(
                "not UTF-8: byte 0x{byte:02X} does not start a valid UTF-8 character; save the file as UTF-8"
            ),
        )]
    })
}

/// A validated dataset read from `path`, as the quads of its named graph.
pub fn dataset_input(path: &Path, dataset: Dataset, base: &IriBase) -> Input {
    let quads = dataset_quads(&dataset, base);
    Input {
        path: path.to_path_buf(),
        graphs: vec![base.graph(&dataset.id)],
        summary: Summary {
            entities: dataset.entities.len(),
            relationships: dataset.relationships.len(),
            events: dataset.events.len(),
            sources: dataset.sources.len(),
            triples: quads.len(),
        },
        dataset_id: dataset.id,
        content: Content::Quads(quads),
        decisions: Vec::new(),
    }
}

/// The input of an imported dataset, with what its import read (`report`,
/// JSON) kept on the dataset as `il:importReport`. Its relationships are
/// the dataset's, or, for an import too large to hold them, those the
/// source in `relationships` makes as they are written (with how many it
/// makes). The dataset's entities are then written one by one too, never
/// all as quads at once.
pub fn imported_input(
    path: &Path,
    mut dataset: Dataset,
    base: &IriBase,
    report: &str,
    relationships: Option<(Arc<dyn QuadSource>, usize)>,
) -> Input {
    let graph = base.graph(&dataset.id);
    let datatype = NamedNode::new_unchecked(interlock_model::vocab::RDF_JSON);
    let report = Quad::new(
        graph.clone(),
        NamedNode::new_unchecked(interlock_model::vocab::IMPORT_REPORT),
        oxigraph::model::Literal::new_typed_literal(report, datatype),
        GraphName::NamedNode(graph.clone()),
    );
    let Some((rest, count)) = relationships else {
        let mut input = dataset_input(path, dataset, base);
        if let Content::Quads(quads) = &mut input.content {
            quads.push(report);
            input.summary.triples = quads.len();
        }
        return input;
    };
    let summary = Summary {
        entities: dataset.entities.len(),
        relationships: dataset.relationships.len() + count,
        events: dataset.events.len(),
        sources: dataset.sources.len(),
        // Counted as they are written.
        triples: 0,
    };
    let dataset_id = dataset.id.clone();
    let entities = std::mem::take(&mut dataset.entities);
    let mut head = dataset_quads(&dataset, base);
    head.push(report);
    Input {
        path: path.to_path_buf(),
        graphs: vec![graph],
        summary,
        dataset_id: dataset_id.clone(),
        content: Content::Stream(Arc::new(DatasetStream {
            head,
            entities,
            dataset_id,
            base: base.clone(),
            rest,
        })),
        decisions: Vec::new(),
    }
}

/// A dataset written part by part: the quads of its description, sources
/// and report (few, made once), its entities one at a time, then the
/// relationships `rest` makes.
#[derive(Debug)]
struct DatasetStream {
    head: Vec<Quad>,
    entities: Vec<interlock_model::Entity>,
    dataset_id: String,
    base: IriBase,
    rest: Arc<dyn QuadSource>,
}

impl QuadSource for DatasetStream {
    fn quads(&self) -> Box<dyn Iterator<Item = Quad> + '_> {
        let entities = self
            .entities
            .iter()
            .flat_map(|e| crate::rdf::entity_quads(e, &self.base, &self.dataset_id));
        Box::new(
            self.head
                .iter()
                .cloned()
                .chain(entities)
                .chain(self.rest.quads()),
        )
    }
}

/// The id of the dataset a file without one of its own becomes (an RDF or
/// FtM file): its stem as a slug ([`interlock_model::slug::slugify`]).
pub fn dataset_id_of(path: &Path) -> String {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    interlock_model::slug::slugify(&stem)
}

/// An RDF file as an input: triples (and default-graph quads) go into
/// `graph`, by default `{base}graph/{file stem}`; named graphs stay as they
/// are. The file is checked to be there and not empty; it is parsed when
/// written ([`Input::quads`]) or validated ([`Input::validate`]).
pub fn read_rdf(
    path: &Path,
    format: RdfFormat,
    base: &IriBase,
    graph: Option<NamedNode>,
) -> Result<Input, Vec<Diagnostic>> {
    let size = std::fs::metadata(path)
        .map_err(|e| vec![Diagnostic::file(path, format!("cannot read file: {e}"))])?
        .len();
    let blank = size < 4096 && read_utf8(path).is_ok_and(|t| t.trim().is_empty());
    if size == 0 || blank {
        return Err(vec![Diagnostic::file(
            path,
            "empty file; expected RDF data",
        )]);
    }
    let dataset_id = dataset_id_of(path);
    let graph = graph.unwrap_or_else(|| base.graph(&dataset_id));
    Ok(Input {
        path: path.to_path_buf(),
        dataset_id,
        graphs: vec![graph.clone()],
        content: Content::RdfFile { format, graph },
        summary: Summary::default(),
        decisions: Vec::new(),
    })
}

/// The quads of RDF read from `reader`, default-graph ones moved into
/// `graph`; relative IRIs resolve against the file's own `file:` IRI.
fn rdf_quads<'a>(
    path: &'a Path,
    reader: impl std::io::Read + 'a,
    format: RdfFormat,
    graph: NamedNode,
) -> impl Iterator<Item = Result<Quad, Diagnostic>> + 'a {
    let file_iri = format!(
        "file://{}",
        path.canonicalize().unwrap_or(path.to_path_buf()).display()
    );
    let mut parser = RdfParser::from_format(format);
    if let Ok(with_base) =
        RdfParser::from_format(format).with_base_iri(file_iri.replace(' ', "%20"))
    {
        parser = with_base;
    }
    let mut failed = false;
    parser
        .for_reader(crate::rdf_reader(reader, format))
        .map_while(move |result| {
            if failed {
                return None;
            }
            Some(match result {
                Ok(quad) => Ok(match &quad.graph_name {
                    GraphName::DefaultGraph => {
                        Quad::new(quad.subject, quad.predicate, quad.object, graph.clone())
                    }
                    _ => quad,
                }),
                Err(e) => {
                    failed = true;
                    let message = e.to_string();
                    let location = match &e {
                        oxigraph::io::RdfParseError::Syntax(s) => s.location(),
                        _ => None,
                    };
                    Err(match location {
                        Some(loc) => Diagnostic {
                            path: path.to_path_buf(),
                            line: loc.start.line as usize + 1,
                            column: loc.start.column as usize + 1,
                            message,
                        },
                        None => Diagnostic::file(path, message),
                    })
                }
            })
        })
}
