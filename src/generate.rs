//! `generate`: a synthetic world, written as N-Quads or a timeline file.

use crate::commands::iri_base;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use interlock_generate::{World, WorldConfig, write_csv, write_nquads, write_timeline};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `generate`.
#[derive(Args)]
pub struct GenerateArgs {
    /// How many relationships.
    #[arg(long, default_value_t = WorldConfig::default().relationships)]
    relationships: usize,
    /// The seed: the same seed and size give the same world.
    #[arg(long, default_value_t = WorldConfig::default().seed)]
    seed: u64,
    /// What to write.
    #[arg(long, value_enum, default_value = "nquads")]
    format: GenerateFormat,
    /// Where to write (standard output when absent).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Output formats of `generate`.
#[derive(Clone, Copy, ValueEnum)]
pub enum GenerateFormat {
    /// N-Quads, streamed: any size.
    Nquads,
    /// A timeline file (TOML), built in memory: for small worlds.
    Timeline,
    /// A CSV table, one row per relationship, streamed: what `import csv`
    /// reads through bench/world-csv.toml.
    Csv,
}

pub fn generate(base: &str, args: GenerateArgs) -> Result<ExitCode> {
    let base = iri_base(base)?;
    let world = World::new(WorldConfig {
        relationships: args.relationships,
        seed: args.seed,
    });
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let out = BufWriter::with_capacity(1 << 20, out);
    match args.format {
        GenerateFormat::Nquads => {
            let quads = write_nquads(&world, &base, out)?;
            if let Some(path) = &args.output {
                eprintln!(
                    "wrote {} entities, {} relationships, {quads} quads to {}",
                    world.header.entities.len(),
                    args.relationships,
                    path.display()
                );
            }
        }
        GenerateFormat::Timeline => write_timeline(&world, out)?,
        GenerateFormat::Csv => {
            let rows = write_csv(&world, out)?;
            if let Some(path) = &args.output {
                eprintln!("wrote {rows} relationships as rows to {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
