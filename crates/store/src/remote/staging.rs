//! Writes to a remote store, all or nothing per dataset: each graph's
//! triples go to a staging graph of their own in chunks (Graph Store
//! Protocol POSTs, or `INSERT DATA` where the store has no Graph Store
//! endpoint), then one update moves every staging graph over its graph
//! (`MOVE`, one request, so one transaction where the store makes a request
//! one). A failure before that drops the staging graphs: the store's graphs
//! are as they were. Staging graphs a dead load left behind (the store went
//! away, the process was killed) are dropped by the next load.
//!
//! A blank node cannot span requests (each chunk is a document of its own),
//! so blank nodes are written as skolem IRIs (RDF 1.1 Concepts §3.5),
//! `urn:interlock:genid:{load}:{label}`.

use super::{READ_TIMEOUT, Remote};
use crate::Appendix;
use crate::quad_stream::{QuadStream, problems};
use crate::{GraphTarget, LoadReport, StoreError};
use interlock_load::Input;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{Scope, ScopedJoinHandle};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use ureq::http::Method;

/// What every staging graph's IRI starts with.
const STAGING: &str = "urn:interlock:staging:";
/// A staging graph older than this is a dead load's, whoever made it.
const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Replaces the graphs of every input (see the module's description).
pub(super) fn replace(
    remote: &Remote,
    inputs: &[Input],
    progress: &dyn Fn(u64),
    appendix: &mut dyn Appendix,
) -> Result<LoadReport, StoreError> {
    remove_leftovers(remote)?;
    let mut stream = QuadStream::new(inputs, appendix.graphs());
    std::thread::scope(|scope| {
        let mut staging = Staging::new(remote, scope);
        let mut written = Ok(());
        let mut derived = None;
        for quad in stream.quads(inputs, progress, appendix, &mut derived) {
            written = within_datasets(remote, &quad.graph_name).and_then(|()| staging.add(quad));
            if written.is_err() {
                break;
            }
        }
        written
            .and_then(|()| problems(&mut stream, derived))
            .and_then(|()| staging.flush())
            .and_then(|()| staging.commit(&stream.graphs, Commit::Replace))
            .map_err(|e| staging.abandon(e))
    })?;
    progress(stream.total as u64);
    Ok(LoadReport {
        graphs: stream.graphs.len(),
        quads: stream.total,
        per_input: stream.counts,
    })
}

/// A load writes only datasets' graphs: on a shared store, a graph outside
/// them would be written and then never read.
fn within_datasets(remote: &Remote, graph: &GraphName) -> Result<(), StoreError> {
    match graph {
        GraphName::NamedNode(g) if g.as_str().starts_with(&remote.config.datasets) => Ok(()),
        other => Err(StoreError::OutsideDatasets {
            graph: match other {
                GraphName::DefaultGraph => "the default graph".into(),
                g => g.to_string(),
            },
            datasets: remote.config.datasets.clone(),
        }),
    }
}

/// Writes `triples` into one graph (a Graph Store Protocol PUT or POST),
/// replacing it or adding to it, all or nothing.
pub(super) fn write_graph(
    remote: &Remote,
    target: &GraphTarget,
    triples: Vec<Triple>,
    replace: bool,
) -> Result<(), StoreError> {
    std::thread::scope(|scope| write_graph_in(remote, target, triples, replace, scope))
}

fn write_graph_in<'r, 's>(
    remote: &'r Remote,
    target: &GraphTarget,
    triples: Vec<Triple>,
    replace: bool,
    scope: &'s Scope<'s, 'r>,
) -> Result<(), StoreError> {
    let mut staging = Staging::new(remote, scope);
    let graph = match target {
        GraphTarget::Default => None,
        GraphTarget::Named(n) => Some(n.clone()),
    };
    let key = graph
        .clone()
        .unwrap_or_else(|| NamedNode::new_unchecked(DEFAULT_KEY));
    let mut written = Ok(());
    for t in triples {
        written = staging.add(Quad::new(t.subject, t.predicate, t.object, key.clone()));
        if written.is_err() {
            break;
        }
    }
    let commit = if replace {
        Commit::Replace
    } else {
        Commit::Add
    };
    let written = written
        .and_then(|()| staging.flush())
        .and_then(|()| staging.commit(std::slice::from_ref(&key), commit));
    written.map_err(|e| staging.abandon(e))
}

/// The key standing for the store's default graph among the staged graphs.
const DEFAULT_KEY: &str = "urn:interlock:default-graph";

/// How staged triples reach their graph.
#[derive(Clone, Copy)]
enum Commit {
    /// Over it (`MOVE`): the graph holds the staged triples only.
    Replace,
    /// Into it (`ADD`), then the staging graph is dropped.
    Add,
}

/// The staging graphs of one load.
struct Staging<'r, 's> {
    remote: &'r Remote,
    /// This load's part of every staging IRI.
    load: String,
    /// For each graph written: its staging graph and the chunk being filled.
    staged: HashMap<NamedNode, Staged>,
    /// Staging graphs written to at least once.
    sent: Vec<String>,
    /// The threads sending full chunks, started with the first.
    senders: Option<Senders<'s>>,
    scope: &'s Scope<'s, 'r>,
}

/// Threads that send chunks (staging graph, N-Triples) from one queue,
/// [`RemoteConfig::connections`](super::RemoteConfig::connections) at once.
/// The first to fail stops the others; its error is the load's.
struct Senders<'s> {
    queue: SyncSender<(String, String)>,
    failed: Arc<AtomicBool>,
    threads: Vec<ScopedJoinHandle<'s, Result<(), StoreError>>>,
}

impl<'s> Senders<'s> {
    fn start<'r>(remote: &'r Remote, scope: &'s Scope<'s, 'r>) -> Senders<'s> {
        let connections = remote.config.connections.max(1);
        let (queue, chunks) = sync_channel::<(String, String)>(connections);
        let chunks = Arc::new(Mutex::new(chunks));
        let failed = Arc::new(AtomicBool::new(false));
        let threads = (0..connections)
            .map(|_| {
                let (chunks, failed) = (chunks.clone(), failed.clone());
                scope.spawn(move || {
                    loop {
                        let next = chunks.lock().unwrap_or_else(PoisonError::into_inner).recv();
                        let Ok((staging, chunk)) = next else {
                            return Ok(());
                        };
                        if failed.load(Ordering::Relaxed) {
                            return Ok(());
                        }
                        if let Err(e) = send(remote, &staging, &chunk) {
                            failed.store(true, Ordering::Relaxed);
                            return Err(e);
                        }
                    }
                })
            })
            .collect();
        Senders {
            queue,
            failed,
            threads,
        }
    }

    /// Waits for every chunk queued to be sent; the first error, if any.
    fn finish(self) -> Result<(), StoreError> {
        drop(self.queue);
        let mut outcome = Ok(());
        for thread in self.threads {
            let sent = thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if outcome.is_ok() {
                outcome = sent;
            }
        }
        outcome
    }
}

struct Staged {
    iri: String,
    chunk: String,
    triples: usize,
}

impl<'r, 's> Staging<'r, 's> {
    fn new(remote: &'r Remote, scope: &'s Scope<'s, 'r>) -> Staging<'r, 's> {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let load = format!(
            "{started}:{}:{}:{:032x}",
            host(),
            std::process::id(),
            rand::random::<u128>()
        );
        Staging {
            remote,
            load,
            staged: HashMap::new(),
            sent: Vec::new(),
            senders: None,
            scope,
        }
    }

    /// Adds a quad to its graph's chunk, sending the chunk once full.
    fn add(&mut self, quad: Quad) -> Result<(), StoreError> {
        let graph = match quad.graph_name {
            GraphName::NamedNode(graph) => graph,
            _ => NamedNode::new_unchecked(DEFAULT_KEY),
        };
        let number = self.staged.len();
        let load = &self.load;
        let staged = self.staged.entry(graph).or_insert_with(|| Staged {
            iri: format!("{STAGING}{load}:{number}"),
            chunk: String::new(),
            triples: 0,
        });
        let line = ntriple(
            &Triple::new(quad.subject, quad.predicate, quad.object),
            &self.load,
        );
        staged.chunk.push_str(&line);
        staged.triples += 1;
        if staged.triples >= self.remote.config.chunk_size {
            let (iri, chunk) = (staged.iri.clone(), std::mem::take(&mut staged.chunk));
            staged.triples = 0;
            self.queue(iri, chunk)?;
        }
        Ok(())
    }

    /// Sends every chunk not sent yet.
    fn flush(&mut self) -> Result<(), StoreError> {
        let pending: Vec<(String, String)> = self
            .staged
            .values_mut()
            .filter(|s| s.triples > 0)
            .map(|s| {
                s.triples = 0;
                (s.iri.clone(), std::mem::take(&mut s.chunk))
            })
            .collect();
        for (iri, chunk) in pending {
            self.queue(iri, chunk)?;
        }
        self.stop_sending()
    }

    /// Hands a chunk to the senders; a sender's error ends the load.
    fn queue(&mut self, staging: String, chunk: String) -> Result<(), StoreError> {
        if !self.sent.contains(&staging) {
            self.sent.push(staging.clone());
        }
        let senders = self
            .senders
            .get_or_insert_with(|| Senders::start(self.remote, self.scope));
        if senders.failed.load(Ordering::Relaxed) || senders.queue.send((staging, chunk)).is_err() {
            return self.stop_sending();
        }
        Ok(())
    }

    /// Waits for the chunks queued; the first sender's error, if any.
    fn stop_sending(&mut self) -> Result<(), StoreError> {
        self.senders.take().map_or(Ok(()), Senders::finish)
    }

    /// Moves (or adds) each graph's staging graph over it, in one update;
    /// graphs of a load with no triple become empty.
    fn commit(&mut self, graphs: &[NamedNode], how: Commit) -> Result<(), StoreError> {
        let mut update = String::new();
        for graph in graphs {
            let target = if graph.as_str() == DEFAULT_KEY {
                "DEFAULT".to_string()
            } else {
                format!("GRAPH {graph}")
            };
            let staged = self.staged.get(graph).map(|s| &s.iri);
            let _ = match (staged, how) {
                (Some(s), Commit::Replace) => writeln!(update, "MOVE GRAPH <{s}> TO {target} ;"),
                (Some(s), Commit::Add) => writeln!(
                    update,
                    "ADD GRAPH <{s}> TO {target} ; DROP SILENT GRAPH <{s}> ;"
                ),
                (None, Commit::Replace) if target == "DEFAULT" => {
                    writeln!(update, "CLEAR SILENT DEFAULT ;")
                }
                (None, Commit::Replace) => writeln!(update, "DROP SILENT {target} ;"),
                (None, Commit::Add) => Ok(()),
            };
        }
        if update.is_empty() {
            return Ok(());
        }
        self.remote
            .commit_update(update.trim_end().trim_end_matches(';'))?;
        self.sent.clear();
        Ok(())
    }

    /// Drops the staging graphs written so far, and returns `error` (with
    /// the staging graphs left behind, if they could not be dropped); after
    /// an unconfirmed commit, leaves them.
    fn abandon(&mut self, error: StoreError) -> StoreError {
        // No chunk may land in a staging graph after it was dropped.
        let _ = self.stop_sending();
        if let StoreError::CommitUnknown { .. } = error {
            // The store may be moving them still; the next load removes
            // what is left once this process is gone.
            return error;
        }
        match drop_graphs(self.remote, &self.sent) {
            Ok(()) => error,
            Err(cleanup) => StoreError::StagingLeft {
                error: Box::new(error),
                graphs: self.sent.clone(),
                cleanup: Box::new(cleanup),
            },
        }
    }
}

/// Writes one chunk of N-Triples into a staging graph. Sending a chunk
/// twice adds nothing the first did not, so it is retried.
fn send(remote: &Remote, staging: &str, chunk: &str) -> Result<(), StoreError> {
    match &remote.config.graph_store_url {
        Some(url) => {
            remote.http.send(&super::Call {
                method: Method::POST,
                url,
                params: &[("graph", staging)],
                content_type: Some("application/n-triples"),
                accept: None,
                body: chunk.as_bytes(),
                timeout: READ_TIMEOUT,
                idempotent: true,
            })?;
        }
        None => {
            let update = format!("INSERT DATA {{ GRAPH <{staging}> {{\n{chunk}}} }}");
            remote.run_update(&update, true)?;
        }
    }
    Ok(())
}

/// Drops staging graphs that loads no longer running left behind: those of
/// processes of this host that are gone, and any over a day old.
fn remove_leftovers(remote: &Remote) -> Result<(), StoreError> {
    let leftovers: Vec<String> = remote
        .graph_names(STAGING)?
        .into_iter()
        .filter(|g| abandoned(g))
        .collect();
    drop_graphs(remote, &leftovers)
}

fn abandoned(staging: &str) -> bool {
    let mut parts = staging.trim_start_matches(STAGING).split(':');
    let started = parts.next().and_then(|s| s.parse::<u64>().ok());
    let (made_on, pid) = (parts.next(), parts.next());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let old = started.is_none_or(|s| now.saturating_sub(s) > ABANDONED_AFTER.as_secs());
    let gone = made_on == Some(host().as_str())
        && pid.is_some_and(|pid| !std::path::Path::new("/proc").join(pid).exists());
    old || gone
}

fn drop_graphs(remote: &Remote, graphs: &[String]) -> Result<(), StoreError> {
    if graphs.is_empty() {
        return Ok(());
    }
    let update = graphs
        .iter()
        .map(|g| format!("DROP SILENT GRAPH <{g}>"))
        .collect::<Vec<_>>()
        .join(" ;\n");
    remote.run_update(&update, true)
}

/// This machine's name, as it may appear in an IRI's path.
fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// A triple as one line of N-Triples (also valid in `INSERT DATA`), blank
/// nodes as this load's skolem IRIs.
fn ntriple(triple: &Triple, load: &str) -> String {
    let subject = match &triple.subject {
        NamedOrBlankNode::BlankNode(b) => skolem(b.as_str(), load),
        other => other.to_string(),
    };
    let object = match &triple.object {
        Term::BlankNode(b) => skolem(b.as_str(), load),
        other => other.to_string(),
    };
    format!("{subject} {} {object} .\n", triple.predicate)
}

fn skolem(label: &str, load: &str) -> String {
    format!("<urn:interlock:genid:{load}:{label}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_graphs_of_dead_or_old_loads_are_leftovers() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let here = host();
        let me = std::process::id();
        let cases = [
            (format!("{STAGING}{now}:{here}:{me}:ab:0"), false),
            (format!("{STAGING}{now}:{here}:4294967295:ab:0"), true),
            (format!("{STAGING}{now}:elsewhere:4294967295:ab:0"), false),
            (
                format!("{STAGING}{}:elsewhere:1:ab:0", now - 2 * 86_400),
                true,
            ),
            (format!("{STAGING}garbage"), true),
        ];
        for (iri, expected) in cases {
            assert_eq!(abandoned(&iri), expected, "{iri}");
        }
    }

    #[test]
    fn lines_are_n_triples_with_skolem_iris() {
        let s = oxigraph::model::BlankNode::new("b1").unwrap();
        let p = NamedNode::new("http://e/p").unwrap();
        let o = oxigraph::model::Literal::new_language_tagged_literal("a \"b\"\n", "en").unwrap();
        assert_eq!(
            ntriple(&Triple::new(s, p, o), "L"),
            "<urn:interlock:genid:L:b1> <http://e/p> \"a \\\"b\\\"\\n\"@en .\n"
        );
    }
}
