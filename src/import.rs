//! `import`: other formats into the store, to the same standard as `load`
//! (every problem located, all or nothing). Rows a table or entity stream
//! cannot hold refuse the import unless `--rejects` asks for them to be
//! set aside.

use crate::address::StoreAddress;
use crate::commands::{iri_base, report_problems, write_inputs};
use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand};
use interlock_import::{ImportReport, Imported, Reject};
use interlock_load::{Input, IriBase, imported_input};
use oxigraph::model::NamedNode;
use std::collections::BTreeMap;
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
        #[command(flatten)]
        rejects: RejectOptions,
    },
    /// A table of relationships (CSV, TSV, or a spreadsheet: .xlsx, .xls,
    /// .ods), read through a mapping file (TOML; see docs/import.md and
    /// data/mappings/).
    Csv {
        /// The table.
        path: PathBuf,
        /// The mapping file.
        #[arg(long, required_unless_present = "draft_mapping")]
        mapping: Option<PathBuf>,
        /// Print a first mapping for the table, guessed from its header
        /// and a sample of its rows (date columns and their formats, the
        /// columns naming and identifying people and companies), and load
        /// nothing.
        #[arg(long, conflicts_with = "mapping")]
        draft_mapping: bool,
        /// With --draft-mapping: the sheet of a spreadsheet (default: the first).
        #[arg(long, requires = "draft_mapping")]
        sheet: Option<String>,
        #[command(flatten)]
        rejects: RejectOptions,
    },
}

/// What to do with rows that cannot be held.
#[derive(Args)]
struct RejectOptions {
    /// Write rows that cannot be held (end before start, an unreadable
    /// date, an empty id, a reference to nothing, …) to FILE as CSV (line,
    /// column, reason, message, the row verbatim) and load the rest.
    /// Without it, any such row refuses the whole import.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// With --rejects: refuse the whole import (nothing loaded) when more
    /// rows than this are rejected: a count (100) or a share of the rows
    /// read (5%).
    #[arg(long, value_name = "N|P%", requires = "rejects", value_parser = reject_limit)]
    max_rejects: Option<RejectLimit>,
}

/// How many rejects an import may have.
#[derive(Clone, Copy, Debug)]
enum RejectLimit {
    Count(usize),
    Percent(f64),
}

impl RejectLimit {
    fn allows(self, rejected: usize, read: usize) -> bool {
        match self {
            RejectLimit::Count(n) => rejected <= n,
            RejectLimit::Percent(p) => rejected as f64 <= p / 100.0 * read as f64,
        }
    }
}

impl std::fmt::Display for RejectLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RejectLimit::Count(n) => write!(f, "{n}"),
            RejectLimit::Percent(p) => write!(f, "{p}%"),
        }
    }
}

fn reject_limit(text: &str) -> Result<RejectLimit, String> {
    let wrong = || format!("'{text}' is neither a count (100) nor a share of the rows (5%)");
    match text.trim().strip_suffix('%') {
        Some(p) => match p.trim().parse::<f64>() {
            Ok(p) if (0.0..=100.0).contains(&p) => Ok(RejectLimit::Percent(p)),
            _ => Err(wrong()),
        },
        None => text
            .trim()
            .parse()
            .map(RejectLimit::Count)
            .map_err(|_| wrong()),
    }
}

pub fn import(store: &StoreAddress, base: &str, args: ImportArgs) -> Result<ExitCode> {
    let base = iri_base(base)?;
    let (path, imported, options) = match args.format {
        ImportFormat::Rdf { paths, graph } => {
            let graph = graph
                .as_deref()
                .map(|g| NamedNode::new(g).map_err(|e| anyhow!("--graph '{g}' is not an IRI: {e}")))
                .transpose()?;
            return match interlock_load::read_rdf_inputs(&paths, &base, graph) {
                Ok(inputs) => write_inputs(store, &base, &inputs, args.json, None),
                Err(problems) => {
                    report_problems(&problems.0);
                    Ok(ExitCode::FAILURE)
                }
            };
        }
        ImportFormat::Ftm {
            path,
            dataset,
            title,
            rejects,
        } => {
            let options = interlock_import::FtmOptions::for_file(&path, dataset, title);
            let imported = interlock_import::read_ftm(&path, &options);
            (path, imported, rejects)
        }
        ImportFormat::Csv {
            path,
            mapping: None,
            sheet,
            ..
        } => {
            return match interlock_import::draft_mapping(&path, sheet.as_deref()) {
                Ok(draft) => {
                    print!("{draft}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(problem) => {
                    eprintln!("{problem}");
                    Ok(ExitCode::FAILURE)
                }
            };
        }
        ImportFormat::Csv {
            path,
            mapping: Some(mapping),
            rejects,
            ..
        } => {
            let imported = interlock_import::Mapping::read(&mapping)
                .and_then(|m| interlock_import::read_csv(&path, &m));
            (path, imported, rejects)
        }
    };
    let imported = match imported {
        Ok(imported) => imported,
        Err(problems) => {
            report_problems(&problems);
            return Ok(ExitCode::FAILURE);
        }
    };
    let Some((input, report)) = held(&path, imported, &options, &base)? else {
        return Ok(ExitCode::FAILURE);
    };
    write_inputs(store, &base, &[input], args.json, Some(&report))
}

/// The input of the rows held, with its report; `None` (every reason
/// printed) when rejects refuse the import. Rejects are written out first
/// when asked for, also when they refuse it.
fn held(
    path: &Path,
    imported: Imported,
    options: &RejectOptions,
    base: &IriBase,
) -> Result<Option<(Input, ImportReport)>> {
    let Imported {
        dataset,
        relationships,
        rejects,
        report,
    } = imported;
    if let Some(file) = &options.rejects {
        let out = std::fs::File::create(file)
            .with_context(|| format!("cannot write the rejects to {}", file.display()))?;
        interlock_import::write_rejects(&rejects, std::io::BufWriter::new(out))
            .with_context(|| format!("cannot write the rejects to {}", file.display()))?;
    }
    if !rejects.is_empty() {
        let limit = options.max_rejects;
        match (&options.rejects, limit) {
            (None, _) => {
                print_rejects(path, &rejects);
                eprintln!(
                    "{} of {} rows cannot be held; nothing was loaded. With --rejects FILE they are written to FILE and the other {} rows load.",
                    rejects.len(),
                    report.rows_read,
                    report.rows_loaded
                );
                return Ok(None);
            }
            (Some(file), Some(limit)) if !limit.allows(rejects.len(), report.rows_read) => {
                print_rejects(path, &rejects);
                eprintln!(
                    "{} of {} rows rejected, more than --max-rejects {limit}; nothing was loaded (the rejects are in {})",
                    rejects.len(),
                    report.rows_read,
                    file.display()
                );
                return Ok(None);
            }
            _ => {}
        }
    }
    let json = serde_json::to_string(&report).context("writing the import report")?;
    let relationships = relationships.map(|stream| {
        let count = stream.count();
        (stream.source(base), count)
    });
    let input = imported_input(path, dataset, base, &json, relationships);
    Ok(Some((input, report)))
}

/// How many rows are rejected for each reason, and the first few of each.
fn print_rejects(path: &Path, rejects: &[Reject]) {
    const SHOWN: usize = 3;
    let mut by_reason: BTreeMap<_, Vec<&Reject>> = BTreeMap::new();
    for r in rejects {
        by_reason.entry(r.reason).or_default().push(r);
    }
    for (reason, all) in &by_reason {
        eprintln!("{} rows: {}", all.len(), reason.as_str());
        for r in all.iter().take(SHOWN) {
            eprintln!(
                "  {}:{}:{}: {}",
                path.display(),
                r.line,
                r.column,
                r.message
            );
        }
        if all.len() > SHOWN {
            eprintln!("  … and {} more", all.len() - SHOWN);
        }
    }
}
