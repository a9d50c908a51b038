//! The analysis subcommands: `links` and `interlocks`. Each calls the graph
//! crate and prints its answer as a table, JSON or CSV.

use crate::commands::open_store;
use crate::table;
use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use interlock_graph::{Filter, Projection, When, links_between, parse_when};
use std::path::Path;
use std::process::ExitCode;

/// Output formats of the analyses.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// JSON, the same as the HTTP API answers.
    Json,
    /// CSV, one row per line of the table.
    Csv,
}

/// Time options shared by the analyses.
#[derive(Args)]
pub struct TimeArgs {
    /// Only what held (at least possibly) on this date (EDTF: 2013-09, 2013-09-15, 2008).
    #[arg(long, conflicts_with = "during")]
    at: Option<String>,
    /// Only what held (at least possibly) at some time in this window (EDTF: 2011/2013).
    #[arg(long)]
    during: Option<String>,
}

impl TimeArgs {
    fn when(&self) -> Result<When> {
        parse_when(self.at.as_deref(), self.during.as_deref()).map_err(|e| anyhow!(e))
    }
}

/// Arguments of `links`.
#[derive(Args)]
pub struct LinksArgs {
    /// One entity (id, e.g. netflix, or IRI).
    from: String,
    /// The other entity.
    to: String,
    #[command(flatten)]
    time: TimeArgs,
    /// Longest chain, in relationships.
    #[arg(long, default_value_t = 3)]
    max_hops: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Centrality measures on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum MeasureArg {
    /// Share of the other entities tied directly.
    Degree,
    /// Share of shortest paths between others that pass through.
    Betweenness,
    /// Inverse mean distance to the reachable entities.
    Closeness,
    /// PageRank, damping 0.85.
    Pagerank,
}

impl From<MeasureArg> for interlock_graph::Measure {
    fn from(m: MeasureArg) -> Self {
        match m {
            MeasureArg::Degree => interlock_graph::Measure::Degree,
            MeasureArg::Betweenness => interlock_graph::Measure::Betweenness,
            MeasureArg::Closeness => interlock_graph::Measure::Closeness,
            MeasureArg::Pagerank => interlock_graph::Measure::PageRank,
        }
    }
}

/// Arguments of `centrality`.
#[derive(Args)]
pub struct CentralityArgs {
    /// Which measure.
    #[arg(long, value_enum, default_value = "degree")]
    measure: MeasureArg,
    #[command(flatten)]
    time: TimeArgs,
    /// Show only the N most central entities.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Show only entities of this kind (person, company, organization, …);
    /// scores are still computed on the whole graph.
    #[arg(long)]
    kind: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Export formats on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExportArg {
    /// GraphML, typed keys (yEd, Cytoscape, networkx).
    Graphml,
    /// GEXF 1.3, dynamic: Gephi's timeline plays it.
    Gexf,
    /// Cytoscape.js JSON.
    Cytoscape,
    /// Graphviz DOT.
    Dot,
    /// CSV: edges to -o FILE, nodes beside it as FILE's stem + .nodes.csv.
    Csv,
}

/// Arguments of `export`.
#[derive(Args)]
pub struct ExportArgs {
    /// Format.
    #[arg(long, value_enum)]
    format: ExportArg,
    #[command(flatten)]
    time: TimeArgs,
    /// Write here instead of standard output (required for csv).
    #[arg(short = 'o', long)]
    output: Option<std::path::PathBuf>,
}

/// Arguments of `timeline`.
#[derive(Args)]
pub struct TimelineArgs {
    /// Only what concerns these entities (ids); everything when none.
    entities: Vec<String>,
    /// Only from this date on (EDTF).
    #[arg(long)]
    from: Option<String>,
    /// Only up to this date (EDTF).
    #[arg(long)]
    to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Arguments of `reach`.
#[derive(Args)]
pub struct ReachArgs {
    /// The entity to start from (id or IRI).
    start: String,
    /// Leave on this date (EDTF; its first day); any time when absent.
    #[arg(long)]
    from: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Arguments of `stats`.
#[derive(Args)]
pub struct StatsArgs {
    /// First year (default: the first year of any stated date).
    #[arg(long)]
    from: Option<i32>,
    /// Last year (default: the last year of any stated date).
    #[arg(long)]
    to: Option<i32>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Arguments of `interlocks`.
#[derive(Args)]
pub struct InterlocksArgs {
    #[command(flatten)]
    time: TimeArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Runs `work`; with `INTERLOCK_TIMINGS` set, prints how long it took on
/// standard error (`timing projection 1.234 s`), for the benchmarks.
fn timed<T>(phase: &str, work: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let out = work();
    if std::env::var_os("INTERLOCK_TIMINGS").is_some() {
        eprintln!("timing {phase} {:.3} s", started.elapsed().as_secs_f64());
    }
    out
}

fn window_text(w: &interlock_graph::Window) -> String {
    let side = |d: &Option<String>| d.clone().unwrap_or_else(|| "..".into());
    format!("{}/{}", side(&w.possibly_from), side(&w.possibly_to))
}

fn print(
    format: Format,
    header: &[&str],
    rows: Vec<Vec<String>>,
    json: serde_json::Value,
) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&json)?),
        Format::Table => {
            table::print(header, &rows, &mut out)?;
            println!(
                "({} row{})",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            );
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header)?;
            for r in rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn links(store_dir: &Path, args: LinksArgs) -> Result<ExitCode> {
    let when = args.time.when()?;
    let store = open_store(store_dir)?;
    let projection = timed("projection", || {
        Projection::build(&store, &Filter::default())
    })?;
    let node = |id: &str| {
        projection
            .node(id)
            .ok_or_else(|| anyhow!("no entity '{id}' in the store"))
    };
    let (a, b) = (node(&args.from)?, node(&args.to)?);
    let found = timed("links", || {
        links_between(&projection, a, b, args.max_hops, when)
    });
    let rows = found
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut chain = l.path[0].clone();
            for s in &l.steps {
                let arrow = if s.forward { "->" } else { "<-" };
                chain.push_str(&format!(" {arrow}[{}] {}", s.relationship.id, s.to));
            }
            let times: Vec<String> = l
                .steps
                .iter()
                .map(|s| s.relationship.time.clone().unwrap_or_else(|| "?".into()))
                .collect();
            let mut sources: Vec<String> = l
                .steps
                .iter()
                .flat_map(|s| s.relationship.evidence.iter())
                .map(|e| e.attributed_to.clone().unwrap_or_else(|| e.source.clone()))
                .collect();
            sources.sort();
            sources.dedup();
            let kinds: Vec<String> = l
                .steps
                .iter()
                .map(|s| s.relationship.kind.to_string())
                .collect();
            vec![
                (i + 1).to_string(),
                chain,
                kinds.join(" + "),
                times.join(" + "),
                window_text(&l.window),
                l.certainty.to_string(),
                l.steps
                    .iter()
                    .map(|s| s.relationship.status.to_string())
                    .collect::<Vec<_>>()
                    .join(" + "),
                sources.join("; "),
            ]
        })
        .collect();
    print(
        args.format,
        &[
            "#",
            "chain",
            "kinds",
            "stated",
            "window",
            "certainty",
            "status",
            "according to",
        ],
        rows,
        serde_json::to_value(&found)?,
    )
}

pub fn interlocks(store_dir: &Path, args: InterlocksArgs) -> Result<ExitCode> {
    let window = args.time.when()?.window();
    let store = open_store(store_dir)?;
    let projection = timed("projection", || {
        Projection::build(&store, &Filter::default())
    })?;
    let found = interlock_graph::interlocks(&projection, window);
    let rows = found
        .iter()
        .map(|i| {
            vec![
                i.through_label.clone(),
                i.a_label.clone(),
                i.b_label.clone(),
                window_text(&i.window),
                i.certainty.to_string(),
                i.through.clone(),
                i.a.clone(),
                i.b.clone(),
                i.position_a.clone(),
                i.position_b.clone(),
            ]
        })
        .collect();
    print(
        args.format,
        &[
            "through",
            "organization",
            "organization",
            "overlap",
            "certainty",
            "person id",
            "id",
            "id",
            "position",
            "position",
        ],
        rows,
        serde_json::to_value(&found)?,
    )
}

pub fn centrality(store_dir: &Path, args: CentralityArgs) -> Result<ExitCode> {
    let window = args.time.when()?.window();
    let store = open_store(store_dir)?;
    let projection = timed("projection", || {
        Projection::build(&store, &Filter::window(window))
    })?;
    let kind = args
        .kind
        .as_deref()
        .map(interlock_graph::parse_entity_kind)
        .transpose()
        .map_err(|e| anyhow!(e))?;
    let scores = timed("centrality", || {
        interlock_graph::most_central(&projection, args.measure.into(), kind, args.top)
    });
    let rows = scores
        .iter()
        .map(|s| vec![s.id.clone(), s.label.clone(), format!("{:.6}", s.score)])
        .collect();
    print(
        args.format,
        &["entity", "label", "score"],
        rows,
        serde_json::to_value(&scores)?,
    )
}

pub fn export(store_dir: &Path, args: ExportArgs) -> Result<ExitCode> {
    use interlock_graph::ExportFormat;
    let window = args.time.when()?.window();
    let format = match args.format {
        ExportArg::Graphml => ExportFormat::GraphMl,
        ExportArg::Gexf => ExportFormat::Gexf,
        ExportArg::Cytoscape => ExportFormat::Cytoscape,
        ExportArg::Dot => ExportFormat::Dot,
        ExportArg::Csv => ExportFormat::Csv,
    };
    let store = open_store(store_dir)?;
    let projection = timed("projection", || {
        Projection::build(&store, &Filter::window(window))
    })?;
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
            interlock_graph::export(&projection, format, std::io::BufWriter::new(file))?;
            if matches!(args.format, ExportArg::Csv) {
                let nodes = path.with_extension("nodes.csv");
                let file = std::fs::File::create(&nodes)
                    .map_err(|e| anyhow!("cannot write {}: {e}", nodes.display()))?;
                interlock_graph::write_nodes_csv(&projection, std::io::BufWriter::new(file))?;
            }
        }
        None if matches!(args.format, ExportArg::Csv) => {
            anyhow::bail!("csv writes two files (edges and nodes): give -o FILE")
        }
        None => interlock_graph::export(&projection, format, std::io::stdout().lock())?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn timeline(store_dir: &Path, args: TimelineArgs) -> Result<ExitCode> {
    let window = interlock_graph::parse_span(args.from.as_deref(), args.to.as_deref())
        .map_err(|e| anyhow!(e))?;
    let store = open_store(store_dir)?;
    let filter = interlock_graph::TimelineFilter {
        entities: args.entities.clone(),
        window,
    };
    let entries = interlock_graph::timeline(&store, &filter)?;
    let rows = entries
        .iter()
        .map(|e| {
            vec![
                e.date.clone(),
                e.what.clone(),
                e.label.clone(),
                e.status.clone(),
                e.sources.join("; "),
            ]
        })
        .collect();
    print(
        args.format,
        &["date", "what", "label", "status", "according to"],
        rows,
        serde_json::to_value(&entries)?,
    )
}

pub fn reach(store_dir: &Path, args: ReachArgs) -> Result<ExitCode> {
    let from = args
        .from
        .as_deref()
        .map(interlock_graph::parse_window)
        .transpose()
        .map_err(|e| anyhow!(e))?
        .map(|w| w.earliest);
    let store = open_store(store_dir)?;
    let projection = timed("projection", || {
        Projection::build(&store, &Filter::default())
    })?;
    let start = projection
        .node(&args.start)
        .ok_or_else(|| anyhow!("no entity '{}' in the store", args.start))?;
    let arrivals = timed("reach", || interlock_graph::reach(&projection, start, from));
    let rows = arrivals
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.earliest.clone().unwrap_or_else(|| "any time".into()),
                a.hops.to_string(),
                a.via
                    .as_ref()
                    .map(|(from, rel)| format!("{from} [{rel}]"))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print(
        args.format,
        &["entity", "earliest arrival", "hops", "via"],
        rows,
        serde_json::to_value(&arrivals)?,
    )
}

pub fn stats(store_dir: &Path, args: StatsArgs) -> Result<ExitCode> {
    let store = open_store(store_dir)?;
    let projection = timed("projection", || {
        Projection::build(&store, &Filter::default())
    })?;
    let years =
        interlock_graph::stats_between(&projection, args.from, args.to).map_err(|e| anyhow!(e))?;
    let rows = years
        .iter()
        .map(|y| {
            vec![
                y.year.to_string(),
                y.nodes.to_string(),
                y.edges.to_string(),
                y.definite_edges.to_string(),
                y.components.to_string(),
                format!("{:.6}", y.density),
            ]
        })
        .collect();
    print(
        args.format,
        &[
            "year",
            "nodes",
            "edges",
            "definite edges",
            "components",
            "density",
        ],
        rows,
        serde_json::to_value(&years)?,
    )
}
