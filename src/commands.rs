//! One function per subcommand: arguments in, library calls, output out.

use crate::address::StoreAddress;
use crate::table;
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use interlock_load::{Content, Diagnostics, Input, IriBase, Summary, expand_paths, read_inputs};
use interlock_server::origins::host_name;
use interlock_server::{CrossOrigin, Origin};
use interlock_store::{DEFAULT_TIMEOUT, QueryRequest, ResultsFormat, StoreError, write_results};
use oxigraph::io::RdfFormat;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
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

/// What `query` writes: a readable table, or a standard results format.
#[derive(Clone, Copy)]
pub enum QueryOutput {
    /// A readable table (SELECT), yes/no (ASK), Turtle (CONSTRUCT).
    Table,
    /// A standard format, by its name.
    Results(ResultsFormat),
}

/// `table`, or the name of a results format (clap lists them all).
fn query_output() -> impl clap::builder::TypedValueParser<Value = QueryOutput> {
    use clap::builder::TypedValueParser;
    let names = std::iter::once("table").chain(ResultsFormat::all().map(ResultsFormat::name));
    clap::builder::PossibleValuesParser::new(names).map(|name| {
        ResultsFormat::from_name(&name).map_or(QueryOutput::Table, QueryOutput::Results)
    })
}

/// Arguments of `query`.
#[derive(Args)]
pub struct QueryArgs {
    /// The SPARQL query; read from standard input when neither it nor -f is given.
    query: Option<String>,
    /// Read the query from this file.
    #[arg(short = 'f', long = "file", conflicts_with = "query")]
    file: Option<PathBuf>,
    /// Output format: a table, or a standard format for solutions (SELECT,
    /// ASK) or for graphs (CONSTRUCT, DESCRIBE).
    #[arg(long, value_parser = query_output(), default_value = "table")]
    format: QueryOutput,
    /// Stop the query after this many seconds.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT.as_secs())]
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
    #[arg(long, default_value_t = interlock_server::DEFAULT_BIND)]
    bind: std::net::SocketAddr,
    /// Load these files or folders before serving (replacing their datasets).
    /// With none given and an empty store, data/ is loaded.
    #[arg(long = "load", value_name = "PATH")]
    load: Vec<PathBuf>,
    /// Stop each query after this many seconds.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT.as_secs())]
    timeout: u64,
    /// Accept SPARQL Update and Graph Store writes (with a bearer token).
    #[arg(long)]
    writable: bool,
    /// File holding the bearer token writes need (or env INTERLOCK_TOKEN).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = interlock_server::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// Let pages on these origins (scheme://host[:port], e.g. a hosted
    /// YASGUI) read this server and, with the token, write; '*' lets every
    /// web page read it (only for a server that holds nothing private).
    /// Without it, no page elsewhere can read or write.
    #[arg(long = "cors", value_name = "ORIGIN", num_args = 1..)]
    cors: Vec<String>,
    /// Answer requests addressed to these host names too (besides the bound
    /// address and localhost): the names a proxy or DNS gives this server.
    #[arg(long = "host", value_name = "NAME", num_args = 1..)]
    hosts: Vec<String>,
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
    Ok(IriBase::new(base)?)
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
    let mut out = std::io::stdout().lock();
    for input in &inputs {
        let path = input.path.display();
        writeln!(out, "{path}: ok ({})", describe(input.summary))?;
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

pub fn load(store: &StoreAddress, base: &str, args: LoadArgs) -> Result<ExitCode> {
    let base = iri_base(base)?;
    let Some(inputs) = read_all(&args.paths, &base) else {
        return Ok(ExitCode::FAILURE);
    };
    write_inputs(store, &base, &inputs, args.json, None)
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

/// A progress bar on a terminal for a load of `inputs` large enough to wait for.
fn load_progress(inputs: &[Input]) -> Option<ProgressBar> {
    let made: usize = inputs
        .iter()
        .map(|i| match &i.content {
            Content::Quads(q) => q.len(),
            Content::RdfFile { .. } | Content::Stream(_) => 0,
        })
        .sum();
    let parsed_while_written = inputs
        .iter()
        .any(|i| matches!(i.content, Content::RdfFile { .. } | Content::Stream(_)));
    if !(made > 50_000 || parsed_while_written) || !std::io::stderr().is_terminal() {
        return None;
    }
    // RDF files are counted as they are parsed: no total to show.
    let (bar, template) = if parsed_while_written {
        (
            ProgressBar::new_spinner(),
            "{spinner} loading {human_pos} triples ({per_sec}) {elapsed}",
        )
    } else {
        (
            ProgressBar::new(made as u64),
            "{spinner} loading {pos}/{len} triples {wide_bar} {eta}",
        )
    };
    bar.set_style(ProgressStyle::with_template(template).expect("the template is valid"));
    Some(bar)
}

/// A failed load's error: the store is unchanged, unless a remote store
/// did not confirm the update that puts it in place (the error says so).
fn load_failed(e: StoreError) -> anyhow::Error {
    match e {
        e @ StoreError::CommitUnknown { .. } => anyhow::Error::new(e).context("loading failed"),
        e => anyhow::Error::new(e).context("loading failed; the store is unchanged"),
    }
}

/// Writes validated inputs into the store (all or nothing) and prints what was loaded.
pub fn write_inputs(
    address: &StoreAddress,
    base: &IriBase,
    inputs: &[Input],
    json: bool,
    report: Option<&interlock_import::ImportReport>,
) -> Result<ExitCode> {
    let store = address.open()?;
    // Which entities are one is derived again with every load.
    let mut identity = interlock_identity::Rederive::new(&store, base, inputs);
    let bar = load_progress(inputs);
    let progress = |n: u64| {
        if let Some(bar) = &bar {
            bar.set_position(n);
        }
    };
    let loaded = store.replace_with(inputs, &progress, &mut identity);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let loaded_report = match loaded {
        Ok(report) => report,
        Err(StoreError::Input(problem)) => {
            report_problems(&[problem]);
            return Ok(ExitCode::FAILURE);
        }
        Err(StoreError::Derived(Diagnostics(problems))) => {
            report_problems(&problems);
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(load_failed(e)),
    };
    print_loaded(address, inputs, &loaded_report, json, report)?;
    if !json {
        print_merged(identity.clusters())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints what each input loaded, as lines or JSON, with what an import read.
fn print_loaded(
    store: &StoreAddress,
    inputs: &[Input],
    report: &interlock_store::LoadReport,
    json: bool,
    imported: Option<&interlock_import::ImportReport>,
) -> Result<()> {
    // RDF files are counted as they are written.
    let loaded: Vec<(&Input, Summary)> = inputs
        .iter()
        .zip(&report.per_input)
        .map(|(i, n)| {
            let summary = Summary {
                triples: *n,
                ..i.summary
            };
            (i, summary)
        })
        .collect();
    let mut out = std::io::stdout().lock();
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
                    "report": imported,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&datasets)?)?;
        return Ok(());
    }
    for (input, summary) in &loaded {
        let (id, path) = (&input.dataset_id, input.path.display());
        writeln!(out, "loaded {id} from {path}: {}", describe(*summary))?;
    }
    if let Some(imported) = imported {
        print_import_report(imported, &mut out)?;
    }
    let plural = if inputs.len() == 1 { "" } else { "s" };
    writeln!(
        out,
        "{} dataset{plural}, {} triples, into {}",
        inputs.len(),
        report.quads,
        store
    )?;
    Ok(())
}

/// What an import read, in three lines.
fn print_import_report(r: &interlock_import::ImportReport, out: &mut impl Write) -> Result<()> {
    let reasons: Vec<String> = r
        .rejected
        .iter()
        .map(|(why, n)| format!("{n} {why}"))
        .collect();
    let rejected = if reasons.is_empty() {
        "none rejected".to_string()
    } else {
        format!("{} rejected: {}", r.rows_rejected(), reasons.join(", "))
    };
    writeln!(
        out,
        "rows: {} read, {} loaded, {rejected}",
        r.rows_read, r.rows_loaded
    )?;
    let d = &r.relationships;
    writeln!(
        out,
        "{} entities; relationships: {} dated, {} half-dated, {} undated",
        r.entities, d.dated, d.half_dated, d.undated
    )?;
    if r.ids_with_differing_names > 0 {
        let examples: Vec<String> = r
            .differing_names
            .iter()
            .map(|e| format!("{} ({})", e.id, e.names.join(" | ")))
            .collect();
        writeln!(
            out,
            "{} ids were given differing names (the first kept as the name, the others as aliases), e.g. {}",
            r.ids_with_differing_names,
            examples.join("; ")
        )?;
    }
    Ok(())
}

/// Says which entities the store now holds as one (the identity graph), and why.
fn print_merged(clusters: &[interlock_identity::Cluster]) -> Result<()> {
    const SHOWN: usize = 10;
    let mut out = std::io::stdout().lock();
    for cluster in clusters.iter().take(SHOWN) {
        let ids: Vec<&str> = cluster
            .members
            .iter()
            .map(|m| interlock_model::vocab::last_segment(m))
            .collect();
        let why: Vec<String> = cluster
            .reasons
            .iter()
            .map(|(_, _, reason)| match reason {
                interlock_identity::Reason::Identifier(id) => id.clone(),
                interlock_identity::Reason::Decision(d) => interlock_identity::decision_name(d),
            })
            .collect();
        writeln!(out, "merged: {} ({})", ids.join(" = "), why.join(", "))?;
    }
    if clusters.len() > SHOWN {
        writeln!(
            out,
            "… and {} more merged entities (queries/same-entity.rq lists them all)",
            clusters.len() - SHOWN
        )?;
    }
    Ok(())
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

pub fn query(store: &StoreAddress, args: QueryArgs) -> Result<ExitCode> {
    let text = read_query(&args)?;
    let store = store.open_to_read()?;
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
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        QueryOutput::Table => table::write_query_results(results, &mut out, timeout)?,
        QueryOutput::Results(format) => write_results(results, format, &mut out, timeout)?,
    }
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

pub fn dump(store: &StoreAddress, args: DumpArgs) -> Result<ExitCode> {
    let store = store.open_to_read()?;
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

pub fn datasets(store: &StoreAddress, args: DatasetsArgs) -> Result<ExitCode> {
    let store = store.open_to_read()?;
    let graphs = store.graphs()?;
    if args.json {
        writeln!(
            std::io::stdout(),
            "{}",
            serde_json::to_string_pretty(&graphs)?
        )?;
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

/// The cross-origin policy `--cors` asks for; '*' is refused on a writable
/// server (a case being written is private by nature).
fn cross_origin(args: &ServeArgs) -> Result<CrossOrigin> {
    if args.cors.is_empty() {
        return Ok(CrossOrigin::Closed);
    }
    if args.cors.iter().any(|o| o.trim() == "*") {
        if args.cors.len() > 1 {
            bail!("--cors '*' already invites every origin: give it alone");
        }
        if args.writable {
            bail!(
                "--cors '*' lets every web page read this server; it cannot be combined with --writable: name the origins to invite"
            );
        }
        return Ok(CrossOrigin::Everyone);
    }
    let origins = args
        .cors
        .iter()
        .map(|o| Origin::parse(o))
        .collect::<Result<_, _>>();
    Ok(CrossOrigin::Invited(origins.context("--cors")?))
}

pub fn serve(store: &StoreAddress, base: &str, args: ServeArgs) -> Result<ExitCode> {
    let cross_origin = cross_origin(&args)?;
    let token = write_token(&args)?;
    let host_names = args
        .hosts
        .iter()
        .map(|h| host_name(h))
        .collect::<Result<_, _>>();
    let host_names = host_names.context("--host")?;
    let base = iri_base(base)?;
    let store = store.open()?;
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
        let report = store.replace(&inputs, &|_| {}).map_err(load_failed)?;
        eprintln!("loaded {} graphs, {} triples", report.graphs, report.quads);
    }
    let config = interlock_server::ServerConfig {
        bind: args.bind,
        timeout: Duration::from_secs(args.timeout),
        write_token: token,
        body_limit: args.body_limit,
        host_names,
        cross_origin,
    };
    let mode = if config.write_token.is_some() {
        "writable"
    } else {
        "read-only"
    };
    let access = config.cross_origin.describe();
    if config.cross_origin == CrossOrigin::Everyone {
        eprintln!("warning: {access}");
    }
    interlock_server::run(store, config, |addr| {
        println!("interlock listening on http://{addr}/sparql ({mode}; {access})");
        let _ = std::io::stdout().flush();
    })?;
    eprintln!("interlock stopped");
    Ok(ExitCode::SUCCESS)
}
