//! The analysis subcommands: each fills a request of `interlock-request`
//! from its arguments, asks it, and prints the answer as a table, JSON or CSV.

use crate::address::StoreAddress;
use crate::table;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use interlock_graph::{ExportFormat, Filter, GraphError, Measure, Origin, Projection, Window};
use interlock_model::EntityKind;
use interlock_request::{
    CentralityRequest, DEFAULT_MAX_HOPS, DEFAULT_TOP, ExportRequest, InterlocksRequest,
    LinksRequest, PerProcess, Projections, Question, ReachRequest, StatsRequest, StoreQuestion,
    TimelineRequest,
};
use interlock_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

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

/// A parser of one of `names` into the value the library reads from it
/// (clap lists the names in the help and in its errors).
fn one_of<T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static>(
    names: impl IntoIterator<Item = &'static str>,
) -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::TypedValueParser;
    use serde::de::IntoDeserializer;
    clap::builder::PossibleValuesParser::new(names).map(|name: String| {
        let name: serde::de::value::StrDeserializer<serde::de::value::Error> =
            name.as_str().into_deserializer();
        T::deserialize(name).expect("clap accepted one of the library's names")
    })
}

/// Time options shared by the analyses.
#[derive(Args)]
pub struct TimeArgs {
    /// Only what held (at least possibly) on this date (2008, 2013-09 or 2013-09-15).
    #[arg(long, conflicts_with = "during")]
    at: Option<String>,
    /// Only what held (at least possibly) at some time in this window (2011/2013, 2013-08/.., ../2019) or date.
    #[arg(long)]
    during: Option<String>,
    #[command(flatten)]
    known: KnownArgs,
}

/// What the public could have known: the record-time option of the analyses.
#[derive(Args)]
pub struct KnownArgs {
    /// Only claims a source had definitely published by this date (2015, 2015-06 or
    /// 2015-06-30); claims whose sources have no date are left out, and counted.
    #[arg(long)]
    known_by: Option<String>,
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
    #[arg(long, default_value_t = DEFAULT_MAX_HOPS)]
    max_hops: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Arguments of `centrality`.
#[derive(Args)]
pub struct CentralityArgs {
    /// Which measure.
    #[arg(long, value_parser = one_of::<Measure>(Measure::NAMES.iter().copied()), default_value_t = interlock_request::DEFAULT_MEASURE)]
    measure: Measure,
    #[command(flatten)]
    time: TimeArgs,
    /// Show only the N most central entities.
    #[arg(long, default_value_t = DEFAULT_TOP)]
    top: u32,
    /// Show only entities of this kind; scores are still computed on the
    /// whole graph.
    #[arg(long, value_parser = one_of::<EntityKind>(EntityKind::ALL.iter().map(|k| k.as_str())))]
    kind: Option<EntityKind>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Arguments of `export`.
#[derive(Args)]
pub struct ExportArgs {
    /// Format (csv: edges to -o FILE, nodes beside it as FILE's stem + .nodes.csv).
    #[arg(long, value_parser = one_of::<ExportFormat>(ExportFormat::NAMES.iter().copied()))]
    format: ExportFormat,
    #[command(flatten)]
    time: TimeArgs,
    /// Write here instead of standard output (required for csv).
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
}

/// Arguments of `candidates`.
#[derive(Args)]
pub struct CandidatesArgs {
    /// Only pairs scoring at least this (0 to 1: the share of their names' words that
    /// match; for people, raised by neighbours in common, lowered by ties 40 years apart).
    #[arg(long, default_value_t = interlock_request::DEFAULT_MIN_SCORE)]
    min_score: f64,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Arguments of `timeline`.
#[derive(Args)]
pub struct TimelineArgs {
    /// Only what concerns these entities (ids); everything when none.
    entities: Vec<String>,
    /// Only from this date on (2013, 2013-08 or 2013-08-15).
    #[arg(long)]
    from: Option<String>,
    /// Only up to this date (2013, 2013-08 or 2013-08-15).
    #[arg(long)]
    to: Option<String>,
    #[command(flatten)]
    known: KnownArgs,
    /// Record time: beside when each claim happened, when it became public (the
    /// first day a source supporting it was surely published).
    #[arg(long)]
    record: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Arguments of `search`.
#[derive(Args)]
pub struct SearchArgs {
    /// The words, as typed (case and accents do not matter).
    #[arg(required = true)]
    words: Vec<String>,
    /// How many entities at most.
    #[arg(long, default_value_t = interlock_request::DEFAULT_SEARCH_LIMIT)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Arguments of `reach`.
#[derive(Args)]
pub struct ReachArgs {
    /// The entity to start from (id or IRI).
    start: String,
    /// Leave on this date (its first day); any time when absent.
    #[arg(long)]
    from: Option<String>,
    #[command(flatten)]
    known: KnownArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Arguments of `stats`.
#[derive(Args)]
pub struct StatsArgs {
    /// First year (default: the first year of any stated date).
    #[arg(long, allow_negative_numbers = true)]
    from: Option<i32>,
    /// Last year (default: the last year of any stated date).
    #[arg(long, allow_negative_numbers = true)]
    to: Option<i32>,
    #[command(flatten)]
    known: KnownArgs,
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

/// The process's projections, timed; the timing says whether the
/// projection was read from the copy kept beside the store or built.
struct Timed<'a>(PerProcess<'a>);

impl Projections for Timed<'_> {
    fn projection(&self, filter: &Filter) -> Result<Arc<Projection>, GraphError> {
        let started = std::time::Instant::now();
        let projection = self.0.projection(filter);
        print_timing("projection", started, self.0.origin());
        projection
    }
}

/// With `INTERLOCK_TIMINGS` set, prints how long `what` took since
/// `started` and how it came to be (`timing projection 1.234 s (read from
/// the kept copy)`), for the benchmarks and tests.
fn print_timing(what: &str, started: std::time::Instant, origin: Option<Origin>) {
    if std::env::var_os("INTERLOCK_TIMINGS").is_some() {
        let how = match origin {
            Some(Origin::Kept) => "read from the kept copy",
            Some(Origin::Built { kept: true }) => "built, copy kept",
            Some(Origin::Built { kept: false }) => "built, no copy kept",
            None => "failed",
        };
        let seconds = started.elapsed().as_secs_f64();
        eprintln!("timing {what} {seconds:.3} s ({how})");
    }
}

/// Opens the store and answers `question`, timing the answer as `phase`.
fn ask<Q: Question>(store: &StoreAddress, phase: &str, question: &Q) -> Result<Q::Answer> {
    let filter = question.filter()?;
    let store = store.open_to_read()?;
    let projection = Timed(PerProcess::new(&store)).projection(&filter)?;
    say_left_out(&projection);
    Ok(timed(phase, || question.answer(&projection))?)
}

/// Says how many claims a `--known-by` left out for want of a dated source.
fn say_left_out(projection: &Projection) {
    say_undated_left_out(projection.undated_left_out);
}

fn say_undated_left_out(n: usize) {
    match n {
        0 => {}
        n => eprintln!(
            "note: {n} claim{} left out: none of {} sources has a publication date",
            if n == 1 { "" } else { "s" },
            if n == 1 { "its" } else { "their" }
        ),
    }
}

fn window_text(w: &Window) -> String {
    let side = |d: &Option<String>| d.clone().unwrap_or_else(|| "..".into());
    format!("{}/{}", side(&w.possibly_from), side(&w.possibly_to))
}

/// Writes the answer: `json` as JSON, or `rows` under `header` as a table or CSV.
fn print(
    format: Format,
    header: &[&str],
    rows: Vec<Vec<String>>,
    json: &impl serde::Serialize,
) -> Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, json).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Table => {
            table::print(header, &rows, &mut out)?;
            let plural = if rows.len() == 1 { "" } else { "s" };
            writeln!(out, "({} row{plural})", rows.len())?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(header)?;
            for r in rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn joined<T>(items: &[T], show: impl Fn(&T) -> String, separator: &str) -> String {
    items.iter().map(show).collect::<Vec<_>>().join(separator)
}

pub fn links(store: &StoreAddress, args: LinksArgs) -> Result<ExitCode> {
    let request = LinksRequest {
        from: args.from,
        to: args.to,
        at: args.time.at,
        during: args.time.during,
        known_by: args.time.known.known_by,
        max_hops: args.max_hops,
    };
    let found = ask(store, "links", &request)?;
    let rows = found
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut chain = l.path[0].clone();
            for s in &l.steps {
                let arrow = if s.forward { "->" } else { "<-" };
                chain.push_str(&format!(" {arrow}[{}] {}", s.relationship.id, s.to));
            }
            let mut sources: Vec<String> = l
                .steps
                .iter()
                .flat_map(|s| s.relationship.evidence.iter())
                .map(|e| e.attributed_to.clone().unwrap_or_else(|| e.source.clone()))
                .collect();
            sources.sort();
            sources.dedup();
            vec![
                (i + 1).to_string(),
                chain,
                joined(&l.steps, |s| s.relationship.kind.to_string(), " + "),
                joined(
                    &l.steps,
                    |s| s.relationship.time.clone().unwrap_or_else(|| "?".into()),
                    " + ",
                ),
                window_text(&l.window),
                l.certainty.to_string(),
                joined(&l.steps, |s| s.relationship.status.to_string(), " + "),
                sources.join("; "),
            ]
        })
        .collect();
    let header = [
        "#",
        "chain",
        "kinds",
        "stated",
        "window",
        "certainty",
        "status",
        "according to",
    ];
    print(args.format, &header, rows, &found)
}

pub fn interlocks(store: &StoreAddress, args: InterlocksArgs) -> Result<ExitCode> {
    let request = InterlocksRequest {
        at: args.time.at,
        during: args.time.during,
        known_by: args.time.known.known_by,
    };
    let found = ask(store, "interlocks", &request)?;
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
    let header = [
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
    ];
    print(args.format, &header, rows, &found)
}

pub fn centrality(store: &StoreAddress, args: CentralityArgs) -> Result<ExitCode> {
    let request = CentralityRequest {
        measure: args.measure,
        kind: args.kind,
        at: args.time.at,
        during: args.time.during,
        known_by: args.time.known.known_by,
        top: args.top,
    };
    let scores = ask(store, "centrality", &request)?;
    let rows = scores
        .iter()
        .map(|s| vec![s.id.clone(), s.label.clone(), format!("{:.6}", s.score)])
        .collect();
    print(args.format, &["entity", "label", "score"], rows, &scores)
}

fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(std::io::BufWriter::new(file))
}

pub fn export(store: &StoreAddress, args: ExportArgs) -> Result<ExitCode> {
    let request = ExportRequest {
        at: args.time.at,
        during: args.time.during,
        known_by: args.time.known.known_by,
        ..ExportRequest::default()
    };
    let filter = request.filter()?;
    if args.output.is_none() && args.format.has_nodes_file() {
        anyhow::bail!(
            "{} writes two files (edges and nodes): give -o FILE",
            args.format
        );
    }
    let store: Store = store.open_to_read()?;
    let projection = Timed(PerProcess::new(&store)).projection(&filter)?;
    say_left_out(&projection);
    match &args.output {
        Some(path) => {
            let mut out = create(path)?;
            ExportRequest::write(&projection, args.format, &mut out)?;
            out.flush()?;
            if args.format.has_nodes_file() {
                let mut out = create(&path.with_extension("nodes.csv"))?;
                ExportRequest::write_nodes(&projection, &mut out)?;
                out.flush()?;
            }
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            ExportRequest::write(&projection, args.format, &mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn timeline(store: &StoreAddress, args: TimelineArgs) -> Result<ExitCode> {
    let request = TimelineRequest {
        entities: args.entities,
        from: args.from,
        to: args.to,
        known_by: args.known.known_by,
    };
    request.check()?;
    let timeline = request.timeline(&store.open_to_read()?)?;
    say_undated_left_out(timeline.undated_left_out);
    let entries = timeline.entries;
    let rows = entries
        .iter()
        .map(|e| {
            let mut row = vec![e.date.clone()];
            if args.record {
                row.push(e.public_by.clone().unwrap_or_else(|| "unknown".into()));
            }
            row.extend([
                e.what.clone(),
                // An imported claim has no label of its own: its sentence
                // names the parties instead of an id.
                if e.label.is_empty() {
                    e.sentence.clone()
                } else {
                    e.label.clone()
                },
                e.status.clone(),
                e.sources.join("; "),
            ]);
            row
        })
        .collect();
    let header: &[&str] = if args.record {
        &[
            "date",
            "public by",
            "what",
            "label",
            "status",
            "according to",
        ]
    } else {
        &["date", "what", "label", "status", "according to"]
    };
    print(args.format, header, rows, &entries)
}

pub fn search(store: &StoreAddress, args: SearchArgs) -> Result<ExitCode> {
    let request = interlock_request::SearchRequest {
        q: args.words.join(" "),
        limit: args.limit,
    };
    request.check()?;
    let store = store.open_to_read()?;
    let started = std::time::Instant::now();
    let (index, origin) = interlock_graph::EntityIndex::current(&store)?;
    print_timing("search index", started, Some(origin));
    let found = request.answer(&index)?;
    let rows = found
        .iter()
        .map(|f| {
            vec![
                f.id.clone(),
                f.label.clone(),
                f.kind.clone(),
                f.matched.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print(
        args.format,
        &["id", "label", "kind", "matched"],
        rows,
        &found,
    )
}

pub fn reach(store: &StoreAddress, args: ReachArgs) -> Result<ExitCode> {
    let request = ReachRequest {
        start: args.start,
        from: args.from,
        known_by: args.known.known_by,
    };
    let arrivals = ask(store, "reach", &request)?;
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
    let header = ["entity", "earliest arrival", "hops", "via"];
    print(args.format, &header, rows, &arrivals)
}

pub fn stats(store: &StoreAddress, args: StatsArgs) -> Result<ExitCode> {
    let request = StatsRequest {
        from: args.from,
        to: args.to,
        known_by: args.known.known_by,
    };
    let years = ask(store, "stats", &request)?;
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
    let header = [
        "year",
        "nodes",
        "edges",
        "definite edges",
        "components",
        "density",
    ];
    print(args.format, &header, rows, &years)
}

pub fn candidates(store: &StoreAddress, args: CandidatesArgs) -> Result<ExitCode> {
    let request = interlock_request::CandidatesRequest {
        entity: None,
        min_score: args.min_score,
    };
    if request.check().is_err() {
        anyhow::bail!("--min-score {} is not between 0 and 1", args.min_score);
    }
    let store = store.open_to_read()?;
    let projection = Timed(PerProcess::new(&store)).projection(&request.filter()?)?;
    let apart = interlock_identity::decided_apart(&store)?;
    let found = timed("candidates", || request.answer(&projection, &apart))?;
    let rows = found
        .iter()
        .map(|c| {
            vec![
                format!("{:.3}", c.score),
                c.a.clone(),
                c.a_label.clone(),
                c.b.clone(),
                c.b_label.clone(),
                c.reason.clone(),
            ]
        })
        .collect();
    let header = ["score", "a", "a name", "b", "b name", "why"];
    print(args.format, &header, rows, &found)
}
