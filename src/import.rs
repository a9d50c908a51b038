//! `import`: other formats into the store, to the same standard as `load`
//! (every problem located, all or nothing).

use crate::address::StoreAddress;
use crate::commands::{iri_base, report_problems, write_inputs};
use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use interlock_load::{Diagnostic, Input, dataset_input};
use oxigraph::model::NamedNode;
use std::path::PathBuf;
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

pub fn import(store: &StoreAddress, base: &str, args: ImportArgs) -> Result<ExitCode> {
    let base = iri_base(base)?;
    let inputs: Result<Vec<Input>, Vec<Diagnostic>> = match args.format {
        ImportFormat::Rdf { paths, graph } => {
            let graph = graph
                .as_deref()
                .map(|g| NamedNode::new(g).map_err(|e| anyhow!("--graph '{g}' is not an IRI: {e}")))
                .transpose()?;
            interlock_load::read_rdf_inputs(&paths, &base, graph).map_err(|d| d.0)
        }
        ImportFormat::Ftm {
            path,
            dataset,
            title,
        } => {
            let options = interlock_import::FtmOptions::for_file(&path, dataset, title);
            interlock_import::read_ftm(&path, &options)
                .map(|d| vec![dataset_input(&path, d, &base)])
        }
        ImportFormat::Csv { path, mapping } => interlock_import::Mapping::read(&mapping)
            .and_then(|m| interlock_import::read_csv(&path, &m))
            .map(|d| vec![dataset_input(&path, d, &base)]),
    };
    match inputs {
        Ok(inputs) => write_inputs(store, &base, &inputs, args.json),
        Err(problems) => {
            report_problems(&problems);
            Ok(ExitCode::FAILURE)
        }
    }
}
