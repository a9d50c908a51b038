//! Files and folders named on the command line, read into datasets.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::rdf::{IriBase, dataset_quads};
use crate::timeline::parse_timeline;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
    /// The graphs that loading it replaces (the dataset's graph, and for
    /// N-Quads or TriG files, the named graphs in the file).
    pub graphs: Vec<NamedNode>,
    /// The quads.
    pub quads: Vec<Quad>,
    /// What it holds.
    pub summary: Summary,
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

/// Reads and validates every file; returns all of them, or every problem in any.
pub fn read_inputs(files: &[PathBuf], base: &IriBase) -> Result<Vec<Input>, Diagnostics> {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        match read_input(path, base) {
            Ok(input) => inputs.push(input),
            Err(mut p) => problems.append(&mut p),
        }
    }
    let mut by_id: HashMap<&str, &Path> = HashMap::new();
    for input in &inputs {
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
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(Diagnostics(problems))
    }
}

fn read_input(path: &Path, base: &IriBase) -> Result<Input, Vec<Diagnostic>> {
    let kind =
        InputKind::of(path).ok_or_else(|| vec![Diagnostic::file(path, "unknown file type")])?;
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::file(path, format!("cannot read file: {e}"))])?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let byte = e.as_bytes()[valid];
            return Err(vec![Diagnostic::at_offset(
                path,
                &prefix,
                valid,
                format!(
                    "not UTF-8: byte 0x{byte:02X} does not start a valid UTF-8 character; save the file as UTF-8"
                ),
            )]);
        }
    };
    match kind {
        InputKind::Timeline => {
            let dataset = parse_timeline(path, &text)?;
            let quads = dataset_quads(&dataset, base);
            Ok(Input {
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
                quads,
            })
        }
        InputKind::Rdf(format) => read_rdf(path, &text, format, base),
    }
}

fn read_rdf(
    path: &Path,
    text: &str,
    format: RdfFormat,
    base: &IriBase,
) -> Result<Input, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::file(
            path,
            "empty file; expected RDF data",
        )]);
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let dataset_id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let graph = base.graph(&dataset_id);
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
    let mut graphs = vec![graph.clone()];
    let mut quads = Vec::new();
    for result in parser.for_slice(text.as_bytes()) {
        match result {
            Ok(quad) => {
                let quad = match &quad.graph_name {
                    GraphName::DefaultGraph => {
                        Quad::new(quad.subject, quad.predicate, quad.object, graph.clone())
                    }
                    GraphName::NamedNode(n) => {
                        if !graphs.contains(n) {
                            graphs.push(n.clone());
                        }
                        quad
                    }
                    GraphName::BlankNode(_) => quad,
                };
                quads.push(quad);
            }
            Err(e) => {
                let message = e.to_string();
                let diagnostic = match e.location() {
                    Some(loc) => Diagnostic {
                        path: path.to_path_buf(),
                        line: loc.start.line as usize + 1,
                        column: loc.start.column as usize + 1,
                        message,
                    },
                    None => Diagnostic::file(path, message),
                };
                return Err(vec![diagnostic]);
            }
        }
    }
    Ok(Input {
        path: path.to_path_buf(),
        dataset_id,
        graphs,
        summary: Summary {
            triples: quads.len(),
            ..Summary::default()
        },
        quads,
    })
}
