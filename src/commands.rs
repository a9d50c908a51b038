//! One function per subcommand: arguments in, library calls, output out.

use crate::table;
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use interlock_load::{Content, Diagnostics, Input, IriBase, Summary, expand_paths, read_inputs};
use interlock_store::{
    GraphFormat, QueryRequest, ResultFormat, SolutionFormat, Store, StoreError, write_results,
};
use oxigraph::io::RdfFormat;
use oxigraph::sparql::QueryResults;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Timeline (.toml) or RDF files, or folders of them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// Arguments of `load`.
#[derive(Args)]
pub struct LoadArgs {
    /// Timeline (.toml) or RDF files, or folders of them (not descended into).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// Output formats of `query`.
#[derive(Clone, Copy, ValueEnum)]
pub enum QueryFormat {
    /// A readable table (SELECT), yes/no (ASK), Turtle (CONSTRUCT).
    Table,
    /// SPARQL results JSON.
    Json,
    /// SPARQL results XML.
    Xml,
    /// SPARQL results CSV.
    Csv,
    /// SPARQL results TSV.
    Tsv,
    /// Turtle (CONSTRUCT/DESCRIBE).
    Turtle,
    /// N-Triples (CONSTRUCT/DESCRIBE).
    Ntriples,
    /// N-Quads (CONSTRUCT/DESCRIBE).
    Nquads,
    /// TriG (CONSTRUCT/DESCRIBE).
    Trig,
    /// RDF/XML (CONSTRUCT/DESCRIBE).
    Rdfxml,
    /// JSON-LD (CONSTRUCT/DESCRIBE).
    Jsonld,
}

/// Arguments of `query`.
#[derive(Args)]
pub struct QueryArgs {
    /// The SPARQL query; read from standard input when neither it nor -f is given.
    query: Option<String>,
    /// Read the query from this file.
    #[arg(short = 'f', long = "file", conflicts_with = "query")]
    file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: QueryFormat,
    /// Stop the query after this many seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Use these graphs' union as the default graph (repeatable).
    #[arg(long = "default-graph")]
    default_graphs: Vec<String>,
    /// Make these graphs available to GRAPH (repeatable).
    #[arg(long = "named-graph")]
    named_graphs: Vec<String>,
}

/// Arguments of `serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:7878")]
    bind: std::net::SocketAddr,
    /// Load these files or folders before serving (replacing their datasets).
    /// With none given and an empty store, data/ is loaded.
    #[arg(long = "load", value_name = "PATH")]
    load: Vec<PathBuf>,
    /// Stop each query after this many seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Accept SPARQL Update and Graph Store writes (with a bearer token).
    #[arg(long)]
    writable: bool,
    /// File holding the bearer token writes need (or env INTERLOCK_TOKEN).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    body_limit: usize,
}

/// Arguments of `dump`.
#[derive(Args)]
pub struct DumpArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "nquads")]
    format: DumpFormat,
}

/// Formats of `dump`: those that keep named graphs.
#[derive(Clone, Copy, ValueEnum)]
pub enum DumpFormat {
    /// N-Quads.
    Nquads,
    /// TriG.
    Trig,
}

/// Arguments of `datasets`.
#[derive(Args)]
pub struct DatasetsArgs {
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

pub fn iri_base(base: &str) -> Result<IriBase> {
    IriBase::new(base).map_err(anyhow::Error::msg)
}

/// Reads and validates inputs, printing every diagnostic; `None` when any was found.
fn read_all(paths: &[PathBuf], base: &IriBase) -> Option<Vec<Input>> {
    let result = expand_paths(paths).and_then(|files| read_inputs(&files, base));
    match result {
        Ok(inputs) => Some(inputs),
        Err(Diagnostics(problems)) => {
            report_problems(&problems);
            None
        }
    }
}

pub fn check(base: &str, args: CheckArgs) -> Result<ExitCode> {
    let base = iri_base(base)?;
    let Some(mut inputs) = read_all(&args.paths, &base) else {
        return Ok(ExitCode::FAILURE);
    };
    let problems: Vec<_> = inputs
        .iter_mut()
        .filter_map(|i| i.validate().err())
        .collect();
    if !problems.is_empty() {
        report_problems(&problems);
        return Ok(ExitCode::FAILURE);
    }
    for input in &inputs {
        println!("{}: ok ({})", input.path.display(), describe(input.summary));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn describe(s: Summary) -> String {
    if s.entities + s.relationships + s.events + s.sources == 0 {
        format!("{} triples", s.triples)
    } else {
        format!(
            "{} entities, {} relationships, {} events, {} sources, {} triples",
            s.entities, s.relationships, s.events, s.sources, s.triples
        )
    }
}

pub fn open_store(dir: &Path) -> Result<Store> {
    Store::open(dir).with_context(|| format!("cannot open the store at {}", dir.display()))
}

pub fn load(store_dir: &Path, base: &str, args: LoadArgs) -> Result<ExitCode> {
    let base = iri_base(base)?;
    let Some(inputs) = read_all(&args.paths, &base) else {
        return Ok(ExitCode::FAILURE);
    };
    write_inputs(store_dir, &inputs, args.json)
}

/// Prints located problems and how many; nothing was written.
pub fn report_problems(problems: &[interlock_load::Diagnostic]) {
    for p in problems {
        eprintln!("{p}");
    }
    eprintln!(
        "{} problem{} found; nothing was loaded",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
}

/// Writes validated inputs into the store (all or nothing) and prints what was loaded.
pub fn write_inputs(store_dir: &Path, inputs: &[Input], json: bool) -> Result<ExitCode> {
    let store = open_store(store_dir)?;
    let made: usize = inputs
        .iter()
        .map(|i| match &i.content {
            Content::Quads(q) => q.len(),
            Content::RdfFile { .. } => 0,
        })
        .sum();
    let parsed_while_written = inputs
        .iter()
        .any(|i| matches!(i.content, Content::RdfFile { .. }));
    let bar = if (made > 50_000 || parsed_while_written) && std::io::stderr().is_terminal() {
        let bar = if parsed_while_written {
            ProgressBar::new_spinner()
        } else {
            ProgressBar::new(made as u64)
        };
        bar.set_style(
            ProgressStyle::with_template(if parsed_while_written {
                "{spinner} loading {human_pos} triples ({per_sec}) {elapsed}"
            } else {
                "{spinner} loading {pos}/{len} triples {wide_bar} {eta}"
            })
            .expect("the template is valid"),
        );
        Some(bar)
    } else {
        None
    };
    let progress = |n: u64| {
        if let Some(bar) = &bar {
            bar.set_position(n);
        }
    };
    let report = match store.replace(inputs, &progress) {
        Ok(report) => report,
        Err(StoreError::Input(problem)) => {
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            report_problems(&[problem]);
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context("loading failed; the store is unchanged"));
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // RDF files are counted as they are written.
    let loaded: Vec<(&Input, Summary)> = inputs
        .iter()
        .zip(&report.per_input)
        .map(|(i, n)| {
            (
                i,
                Summary {
                    triples: *n,
                    ..i.summary
                },
            )
        })
        .collect();
    if json {
        let datasets: Vec<_> = loaded
            .iter()
            .map(|(i, s)| {
                serde_json::json!({
                    "dataset": i.dataset_id,
                    "path": i.path.display().to_string(),
                    "graph": i.graphs[0].as_str(),
                    "entities": s.entities,
                    "relationships": s.relationships,
                    "events": s.events,
                    "sources": s.sources,
                    "triples": s.triples,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&datasets)?);
    } else {
        for (input, summary) in &loaded {
            println!(
                "loaded {} from {}: {}",
                input.dataset_id,
                input.path.display(),
                describe(*summary)
            );
        }
        println!(
            "{} dataset{}, {} triples, into {}",
            inputs.len(),
            if inputs.len() == 1 { "" } else { "s" },
            report.quads,
            store_dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn read_query(args: &QueryArgs) -> Result<String> {
    if let Some(q) = &args.query {
        return Ok(q.clone());
    }
    if let Some(f) = &args.file {
        return std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()));
    }
    if std::io::stdin().is_terminal() {
        bail!("no query given: pass it as an argument, with -f FILE, or on standard input");
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read the query from standard input")?;
    Ok(text)
}

pub fn query(store_dir: &Path, args: QueryArgs) -> Result<ExitCode> {
    let text = read_query(&args)?;
    let store = open_store(store_dir)?;
    let timeout = Duration::from_secs(args.timeout);
    let mut request = QueryRequest::new(text);
    request.timeout = timeout;
    request.default_graphs = args.default_graphs.clone();
    request.named_graphs = args.named_graphs.clone();
    watchdog(request.cancel.clone(), timeout);
    let results = match store.query(&request) {
        Ok(r) => r,
        Err(e @ StoreError::Syntax(_)) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let solutions = |f| ResultFormat {
        solutions: f,
        graph: GraphFormat(RdfFormat::Turtle),
    };
    let graph = |f| ResultFormat {
        solutions: SolutionFormat::Json,
        graph: GraphFormat(f),
    };
    let format = match args.format {
        QueryFormat::Table => {
            table::write_query_results(results, &mut out, timeout)?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        QueryFormat::Json => solutions(SolutionFormat::Json),
        QueryFormat::Xml => solutions(SolutionFormat::Xml),
        QueryFormat::Csv => solutions(SolutionFormat::Csv),
        QueryFormat::Tsv => solutions(SolutionFormat::Tsv),
        QueryFormat::Turtle => graph(RdfFormat::Turtle),
        QueryFormat::Ntriples => graph(RdfFormat::NTriples),
        QueryFormat::Nquads => graph(RdfFormat::NQuads),
        QueryFormat::Trig => graph(RdfFormat::TriG),
        QueryFormat::Rdfxml => graph(RdfFormat::RdfXml),
        QueryFormat::Jsonld => graph(GraphFormat::ALL[3].0),
    };
    if matches!(results, QueryResults::Graph(_))
        && matches!(
            args.format,
            QueryFormat::Json | QueryFormat::Xml | QueryFormat::Csv | QueryFormat::Tsv
        )
    {
        bail!(
            "a CONSTRUCT or DESCRIBE query gives a graph: use --format turtle, ntriples, nquads, trig, rdfxml or jsonld"
        );
    }
    if !matches!(results, QueryResults::Graph(_))
        && matches!(
            args.format,
            QueryFormat::Turtle
                | QueryFormat::Ntriples
                | QueryFormat::Nquads
                | QueryFormat::Trig
                | QueryFormat::Rdfxml
                | QueryFormat::Jsonld
        )
    {
        bail!("a SELECT or ASK query gives solutions: use --format table, json, xml, csv or tsv");
    }
    write_results(results, format, &mut out, timeout)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Cancels the query at its timeout. Oxigraph notices at its next read from
/// the store; should it still be running a second later (deep inside an
/// in-memory join), the process ends with the same error.
fn watchdog(cancel: oxigraph::sparql::CancellationToken, timeout: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(timeout);
        cancel.cancel();
        std::thread::sleep(Duration::from_secs(1));
        eprintln!("error: {}", StoreError::Timeout(timeout));
        std::process::exit(1);
    });
}

pub fn dump(store_dir: &Path, args: DumpArgs) -> Result<ExitCode> {
    let store = open_store(store_dir)?;
    let format = match args.format {
        DumpFormat::Nquads => RdfFormat::NQuads,
        DumpFormat::Trig => RdfFormat::TriG,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    store.dump(format, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn datasets(store_dir: &Path, args: DatasetsArgs) -> Result<ExitCode> {
    let store = open_store(store_dir)?;
    let graphs = store.graphs()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&graphs)?);
    } else {
        let rows: Vec<Vec<String>> = graphs
            .iter()
            .map(|g| vec![g.graph.clone(), g.triples.to_string()])
            .collect();
        table::print(&["graph", "triples"], &rows, &mut std::io::stdout())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_token(args: &ServeArgs) -> Result<Option<String>> {
    if !args.writable {
        return Ok(None);
    }
    let token = match &args.token_file {
        Some(f) => std::fs::read_to_string(f)
            .with_context(|| format!("cannot read the token file {}", f.display()))?
            .trim()
            .to_string(),
        None => std::env::var("INTERLOCK_TOKEN")
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    if token.len() < 16 {
        bail!(
            "--writable needs a token of at least 16 characters: --token-file FILE or env INTERLOCK_TOKEN"
        );
    }
    Ok(Some(token))
}

pub fn serve(store_dir: &Path, base: &str, args: ServeArgs) -> Result<ExitCode> {
    let token = write_token(&args)?;
    let base = iri_base(base)?;
    let store = open_store(store_dir)?;
    let mut to_load = args.load.clone();
    if to_load.is_empty() && store.is_empty()? {
        let data = PathBuf::from("data");
        if data.is_dir() {
            eprintln!("the store is empty: loading {}", data.display());
            to_load.push(data);
        } else {
            eprintln!(
                "the store is empty and there is no data/ folder here; serving an empty store"
            );
        }
    }
    if !to_load.is_empty() {
        let Some(inputs) = read_all(&to_load, &base) else {
            return Ok(ExitCode::FAILURE);
        };
        let report = store
            .replace(&inputs, &|_| {})
            .context("loading failed; the store is unchanged")?;
        eprintln!("loaded {} graphs, {} triples", report.graphs, report.quads);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("INTERLOCK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = interlock_server::ServerConfig {
        timeout: Duration::from_secs(args.timeout),
        write_token: token,
        body_limit: args.body_limit,
    };
    let writable = config.write_token.is_some();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        let addr = listener.local_addr()?;
        let shutdown = interlock_server::shutdown_signal()?;
        println!(
            "interlock listening on http://{addr}/sparql ({})",
            if writable { "writable" } else { "read-only" }
        );
        std::io::stdout().flush()?;
        let grace = config.timeout + Duration::from_secs(1);
        let app = interlock_server::router(store, config)
            .context("cannot start the thread that keeps query deadlines")?;
        interlock_server::serve(listener, app, shutdown, grace).await?;
        anyhow::Ok(())
    });
    // A query still deep in evaluation past its deadline must not hold the exit up.
    runtime.shutdown_timeout(Duration::from_secs(2));
    served?;
    eprintln!("interlock stopped");
    Ok(ExitCode::SUCCESS)
}
