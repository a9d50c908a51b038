//! `import`: other formats into the store, to the same standard as `load`
//! (every problem located, all or nothing).

use crate::commands::{iri_base, report_problems, write_inputs};
use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use interlock_load::{Diagnostic, Input, InputKind, dataset_id_of, dataset_input, read_rdf};
use oxigraph::model::NamedNode;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `import`.
#[derive(Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    format: ImportFormat,
    /// Print the summary as JSON.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum ImportFormat {
    /// RDF (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; by extension)
    /// into a named graph: --graph, or {base}graph/{file stem}. Folders are
    /// read by their direct children.
    Rdf {
        /// RDF files or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The graph to put triples in (one IRI for every file).
        #[arg(long)]
        graph: Option<String>,
    },
    /// FollowTheMoney entities, one JSON object per line (Aleph,
    /// OpenSanctions): people and organizations become entities;
    /// Directorship, Ownership, Membership, Employment, Payment,
    /// UnknownLink, Representation, … become dated relationships.
    Ftm {
        /// The .ijson / .jsonl file.
        path: PathBuf,
        /// The dataset id (default: the file stem, as a slug).
        #[arg(long)]
        dataset: Option<String>,
        /// The dataset title (default: the file name).
        #[arg(long)]
        title: Option<String>,
    },
    /// A CSV of relationships, read through a mapping file (TOML; see
    /// docs/import.md and data/mappings/).
    Csv {
        /// The CSV file.
        path: PathBuf,
        /// The mapping file.
        #[arg(long)]
        mapping: PathBuf,
    },
}

pub fn import(store_dir: &Path, base: &str, args: ImportArgs) -> Result<ExitCode> {
    let base = iri_base(base)?;
    let inputs: Result<Vec<Input>, Vec<Diagnostic>> = match &args.format {
        ImportFormat::Rdf { paths, graph } => {
            let graph = graph
                .as_deref()
                .map(|g| NamedNode::new(g).map_err(|e| anyhow!("--graph '{g}' is not an IRI: {e}")))
                .transpose()?;
            rdf_inputs(paths, &base, graph)
        }
        ImportFormat::Ftm {
            path,
            dataset,
            title,
        } => {
            let options = interlock_import::FtmOptions {
                dataset_id: dataset.clone().unwrap_or_else(|| dataset_id_of(path)),
                title: title.clone().unwrap_or_else(|| {
                    path.file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default()
                }),
            };
            interlock_import::read_ftm(path, &options).map(|d| vec![dataset_input(path, d, &base)])
        }
        ImportFormat::Csv { path, mapping } => interlock_import::Mapping::read(mapping)
            .and_then(|m| interlock_import::read_csv(path, &m))
            .map(|d| vec![dataset_input(path, d, &base)]),
    };
    match inputs {
        Ok(inputs) => write_inputs(store_dir, &inputs, args.json),
        Err(problems) => {
            report_problems(&problems);
            Ok(ExitCode::FAILURE)
        }
    }
}

fn rdf_inputs(
    paths: &[PathBuf],
    base: &interlock_load::IriBase,
    graph: Option<NamedNode>,
) -> Result<Vec<Input>, Vec<Diagnostic>> {
    let files = interlock_load::expand_paths(paths).map_err(|d| d.0)?;
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let Some(InputKind::Rdf(format)) = InputKind::of(&file) else {
            problems.push(Diagnostic::file(
                &file,
                "not an RDF file; expected .ttl, .nt, .nq, .trig, .rdf or .jsonld (timelines go through `load`)",
            ));
            continue;
        };
        match read_rdf(&file, format, base, graph.clone()) {
            Ok(input) => inputs.push(input),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(problems)
    }
}
