//! `interlock`: the command line. It parses arguments, calls the library
//! crates and prints what they return; it has no logic of its own.

#![cfg_attr(
    test,
    allow(
        unused_crate_dependencies,
        reason = "unit tests see the dev-dependencies of the integration tests"
    )
)]

mod address;
mod analyses;
mod commands;
mod generate;
mod import;
mod table;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// jemalloc, with its background thread returning freed pages to the system
/// within seconds: under glibc's allocator a server answering many queries on
/// many threads keeps every thread arena's high-water mark, and its RSS grows
/// for hours (issue 12, `bench/soak.py`).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's built-in options (its documented `malloc_conf` symbol; the
/// `MALLOC_CONF` variable still overrides them). One arena for all threads,
/// not four a core: each arena keeps the bookkeeping of its own largest
/// moment, so under a server's many threads every arena in turn grew to the
/// peak of a heavy query (a 10-minute soak: jemalloc's metadata 38 -> 89 MiB
/// with eight arenas, 22 -> 31 MiB with one; BENCHMARKS.md "Soak"). The
/// per-thread caches keep contention off the arena: the endpoint benchmark
/// did not move.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[unsafe(no_mangle)]
static malloc_conf: JemallocOptions = JemallocOptions(c"narenas:1".as_ptr());

/// A C string jemalloc reads once at its start; never written.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[repr(transparent)]
struct JemallocOptions(*const std::ffi::c_char);

// SAFETY: the pointer is to a static, immutable C string.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
unsafe impl Sync for JemallocOptions {}

/// A dated, sourced knowledge graph of corporate relationships.
///
/// Timelines (TOML) and RDF files are loaded into a store on disk; the
/// store answers SPARQL from the command line and over HTTP.
#[derive(Parser)]
#[command(name = "interlock", version, about, long_about = None)]
struct Cli {
    /// The store: a folder (created when missing), or a remote SPARQL 1.1
    /// store's query endpoint (http://host:8890/sparql); see docs/stores/.
    #[arg(
        long,
        global = true,
        env = "INTERLOCK_STORE",
        default_value = ".interlock"
    )]
    store: String,

    #[command(flatten)]
    remote: address::RemoteArgs,

    /// The base IRI data IRIs are minted under.
    #[arg(long, global = true, env = "INTERLOCK_BASE", default_value = interlock_model::vocab::DEFAULT_BASE)]
    base: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate timeline and RDF files without loading them.
    ///
    /// Reports every problem as file:line:column: message and exits with 1
    /// when there is any.
    Check(commands::CheckArgs),
    /// Load timeline and RDF files (or folders of them) into the store.
    ///
    /// Each file is a dataset in its own named graph and replaces what that
    /// graph held. Either every file is loaded or, on any problem, none is.
    Load(commands::LoadArgs),
    /// Import other formats: RDF into a named graph, FollowTheMoney
    /// entities, CSV through a mapping file.
    ///
    /// Same standard as load: every problem located, all or nothing.
    Import(import::ImportArgs),
    /// Run a SPARQL query against the store.
    ///
    /// The query comes as an argument, from a file (-f) or from standard
    /// input. The default graph is the union of all datasets.
    Query(commands::QueryArgs),
    /// Serve the store over HTTP: SPARQL 1.1 Protocol at /sparql, Graph
    /// Store Protocol at /store, and (with --writable) SPARQL Update.
    ///
    /// On an empty store, data/ is loaded first.
    Serve(commands::ServeArgs),
    /// Every chain of relationships (up to --max-hops) that linked two
    /// entities, with the window in which the whole chain held and its sources.
    Links(analyses::LinksArgs),
    /// People holding positions at two organizations at overlapping times.
    Interlocks(analyses::InterlocksArgs),
    /// The most central entities: degree, betweenness, closeness or PageRank
    /// on the ties that held (at least possibly) at the time asked about.
    Centrality(analyses::CentralityArgs),
    /// Export the graph of entities and relationships (those that held, at
    /// least possibly, at the time asked about) for Gephi, Cytoscape,
    /// Graphviz or networkx.
    Export(analyses::ExportArgs),
    /// Events and the starts and ends of relationships in date order, each
    /// date as stated ("2013-08", "by 2013", "~2019-01"), with sources.
    Timeline(analyses::TimelineArgs),
    /// The earliest day each entity can be reached from one, along chains
    /// whose ties are taken in time order.
    Reach(analyses::ReachArgs),
    /// Entities whose names, aliases or ids have words starting with each
    /// word given, as the page's search box finds them (an exact name first).
    Search(analyses::SearchArgs),
    /// Pairs of entities that are probably one and not yet decided (no shared identifier,
    /// no decision): the same name once spelling, word order, legal form, accents and
    /// initials are set aside, and for people boards in common and compatible dates;
    /// decide with a [[decision]] (see docs/timeline-format.md)
    Candidates(analyses::CandidatesArgs),
    /// The graph year by year: entities, relationships (possibly and
    /// definitely held), connected components and density.
    Stats(analyses::StatsArgs),
    /// Write a synthetic corporate world (companies, people, board seats
    /// with overlapping terms, agreements, payments; a few hubs, a long
    /// tail) as N-Quads or a timeline file. Deterministic for a seed.
    Generate(generate::GenerateArgs),
    /// Write every quad in the store to standard output (N-Quads or TriG).
    Dump(commands::DumpArgs),
    /// List the datasets in the store with their sizes.
    Datasets(commands::DatasetsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A query may nest up to MAX_NESTING levels, which Oxigraph's parser and
    // evaluator recurse through: the command runs on a thread with the stack
    // that takes.
    let command = std::thread::Builder::new()
        .name("interlock".into())
        .stack_size(interlock_store::STACK_SIZE)
        .spawn(move || run(cli));
    match command.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(e) => {
            eprintln!("error: cannot start the command's thread: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the command `cli` names.
fn run(cli: Cli) -> ExitCode {
    let store = match address::StoreAddress::new(&cli.store, &cli.remote, &cli.base) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    // A server logs; a command on a terminal shows its long reads move.
    let store = match cli.command {
        Command::Serve(_) => store,
        _ => store.with_read_progress(),
    };
    let result = match cli.command {
        Command::Check(args) => commands::check(&cli.base, args),
        Command::Load(args) => commands::load(&store, &cli.base, args),
        Command::Import(args) => import::import(&store, &cli.base, args),
        Command::Query(args) => commands::query(&store, args),
        Command::Serve(args) => commands::serve(&store, &cli.base, args),
        Command::Links(args) => analyses::links(&store, args),
        Command::Interlocks(args) => analyses::interlocks(&store, args),
        Command::Centrality(args) => analyses::centrality(&store, args),
        Command::Export(args) => analyses::export(&store, args),
        Command::Timeline(args) => analyses::timeline(&store, args),
        Command::Reach(args) => analyses::reach(&store, args),
        Command::Search(args) => analyses::search(&store, args),
        Command::Candidates(args) => analyses::candidates(&store, args),
        Command::Stats(args) => analyses::stats(&store, args),
        Command::Generate(args) => generate::generate(&cli.base, args),
        Command::Dump(args) => commands::dump(&store, args),
        Command::Datasets(args) => commands::datasets(&store, args),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`| head`) is no error.
        Err(e) if reader_left(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `e` comes from writing to a pipe whose reader has gone.
fn reader_left(e: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    e.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(broken)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if broken(io)))
    })
}
