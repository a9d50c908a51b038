//! The full projection (and, through [`kept_or_built`], the search index)
//! kept in a file beside the store, so that a fresh process (a command, a
//! server just started) reads it in a second or two instead of reading
//! millions of quads again.
//!
//! The store writes the file and tells which state of the data it was
//! derived from ([`Store::write_derived`], [`Store::read_derived`]): a copy
//! derived from any other state is never read, and is replaced by the next
//! build. The file starts with [`FORMAT`]; a file of another format is
//! rebuilt, not read. Its body is the projection in postcard frames (each
//! its length, then its bytes): the strings that repeat, the counts, then
//! the nodes and the edges in index order, [`CHUNK`] a frame, so that the
//! graph read back is the graph built, index for index, and the frames are
//! decoded on every core.

use crate::GraphError;
use crate::projection::{Edge, EvidenceRef, Merged, Node, Projection};
use interlock_model::time::{DateRange, Interval};
use interlock_model::{ClaimStatus, RelationshipKind};
use interlock_store::Store;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;
use std::io::{BufRead, Write};

/// The file's name in the store's own folder.
const FILE: &str = "projection";

/// The first line of the file's body: what it is and which version of its
/// layout. Changing the frames or anything in them means a new number.
const FORMAT: &str = "interlock projection 2\n";

/// Nodes or edges in one frame.
const CHUNK: usize = 1 << 15;

/// How a projection came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Read from the copy kept beside the store.
    Kept,
    /// Built from the store; `kept` says whether a copy was kept for the next process.
    Built {
        /// Whether the copy was written (only a process that holds the
        /// store for writing writes it, only if no write came between, and
        /// not when the disk refuses it).
        kept: bool,
    },
}

impl Projection {
    /// The full projection of the store: read from the copy kept beside it
    /// when that copy was derived from the data as it is now, else built
    /// (and kept, when this process may). The same projection either way.
    pub fn current(store: &Store) -> Result<(Projection, Origin), GraphError> {
        kept_or_built(
            store,
            FILE,
            read,
            || Projection::build(store, &crate::Filter::default()),
            write,
        )
    }
}

/// What `read` reads from the file `name` kept beside the store, when it
/// was derived from the data as it is now (and `read` recognises it); else
/// what `build` builds, kept in `name` by `write` when this process may.
pub(crate) fn kept_or_built<T>(
    store: &Store,
    name: &str,
    read: fn(&mut dyn BufRead) -> Option<T>,
    build: impl FnOnce() -> Result<T, GraphError>,
    write: fn(&T, &mut dyn Write) -> std::io::Result<()>,
) -> Result<(T, Origin), GraphError> {
    if let Some(kept) = store.read_derived(name).and_then(|mut r| read(&mut r)) {
        return Ok((kept, Origin::Kept));
    }
    let generation = store.generation();
    let built = build()?;
    // A copy that cannot be written (a full disk) costs the next process
    // a build, not this one its answer.
    let kept = generation.is_some_and(|g| {
        store
            .write_derived(name, g, |out| write(&built, out))
            .unwrap_or(false)
    });
    Ok((built, Origin::Built { kept }))
}

/// Writes one frame: the length of `value` in postcard, then its bytes.
fn frame(out: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    let bytes = postcard::to_stdvec(value).map_err(std::io::Error::other)?;
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(&bytes)
}

/// The body of `input` after its first line, when that line is `format`.
pub(crate) fn body_after(input: &mut dyn BufRead, format: &str) -> Option<Vec<u8>> {
    let mut first = String::new();
    input.read_line(&mut first).ok()?;
    if first != format {
        return None;
    }
    let mut body = Vec::new();
    input.read_to_end(&mut body).ok()?;
    Some(body)
}

/// How many nodes and edges the frames after the strings hold.
#[derive(serde::Serialize, serde::Deserialize)]
struct Counts {
    nodes: u64,
    edges: u64,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SavedNode {
    iri: String,
    id: String,
    kind: u32,
    label: String,
    merged: Vec<Merged>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SavedEdge {
    from: u32,
    to: u32,
    id: String,
    /// Its place in [`RelationshipKind::ALL`].
    kind: u8,
    /// Start earliest, start latest, end earliest, end latest, in days from 1 CE.
    bounds: [i32; 4],
    time: Option<String>,
    /// Its place in [`ClaimStatus::ALL`].
    status: u8,
    label: Option<String>,
    role: Option<String>,
    evidence: Vec<SavedEvidence>,
    /// The day it was definitely public by, in days from 1 CE.
    public_by: Option<i32>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SavedEvidence {
    source: u32,
    attributed_to: Option<u32>,
    quote: String,
}

/// Numbers each distinct string in the order first met.
#[derive(Default)]
struct Strings<'a> {
    numbers: HashMap<&'a str, u32>,
    list: Vec<String>,
}

impl<'a> Strings<'a> {
    fn number(&mut self, s: &'a str) -> u32 {
        *self.numbers.entry(s).or_insert_with(|| {
            self.list.push(s.to_string());
            u32::try_from(self.list.len() - 1).expect("fewer than 2^32 distinct strings")
        })
    }
}

fn place<T: PartialEq>(all: &[T], value: &T) -> u8 {
    let i = all
        .iter()
        .position(|v| v == value)
        .expect("a value of the vocabulary");
    u8::try_from(i).expect("vocabularies are short")
}

fn index(n: NodeIndex) -> u32 {
    u32::try_from(n.index()).expect("petgraph's indices are 32-bit")
}

fn write(projection: &Projection, out: &mut dyn Write) -> std::io::Result<()> {
    let graph = &projection.graph;
    let mut strings = Strings::default();
    for n in graph.node_weights() {
        strings.number(&n.kind);
    }
    for e in graph.edge_weights() {
        for ev in &e.evidence {
            strings.number(&ev.source);
            if let Some(a) = &ev.attributed_to {
                strings.number(a);
            }
        }
    }
    out.write_all(FORMAT.as_bytes())?;
    frame(out, &strings.list)?;
    let counts = Counts {
        nodes: graph.node_count() as u64,
        edges: graph.edge_count() as u64,
    };
    frame(out, &counts)?;
    let nodes: Vec<NodeIndex> = graph.node_indices().collect();
    for chunk in nodes.chunks(CHUNK) {
        let saved: Vec<SavedNode> = chunk
            .iter()
            .map(|&n| SavedNode {
                iri: graph[n].iri.clone(),
                id: graph[n].id.clone(),
                kind: strings.numbers[graph[n].kind.as_str()],
                label: graph[n].label.clone(),
                merged: graph[n].merged.clone(),
            })
            .collect();
        frame(out, &saved)?;
    }
    let edges: Vec<_> = graph.edge_indices().collect();
    for chunk in edges.chunks(CHUNK) {
        let saved: Vec<SavedEdge> = chunk
            .iter()
            .map(|&e| saved_edge(projection, e, &strings.numbers))
            .collect();
        frame(out, &saved)?;
    }
    Ok(())
}

fn saved_edge(
    projection: &Projection,
    e: petgraph::graph::EdgeIndex,
    numbers: &HashMap<&str, u32>,
) -> SavedEdge {
    let graph = &projection.graph;
    let (from, to) = graph.edge_endpoints(e).expect("an edge of the graph");
    let edge = &graph[e];
    let i = &edge.interval;
    SavedEdge {
        from: index(from),
        to: index(to),
        id: edge.id.clone(),
        kind: place(RelationshipKind::ALL, &edge.kind),
        bounds: [
            i.start.earliest,
            i.start.latest,
            i.end.earliest,
            i.end.latest,
        ]
        .map(|d| chrono::Datelike::num_days_from_ce(&d)),
        time: edge.time.clone(),
        status: place(ClaimStatus::ALL, &edge.status),
        label: edge.label.clone(),
        role: edge.role.clone(),
        evidence: edge
            .evidence
            .iter()
            .map(|ev| SavedEvidence {
                source: numbers[ev.source.as_str()],
                attributed_to: ev.attributed_to.as_deref().map(|a| numbers[a]),
                quote: ev.quote.clone(),
            })
            .collect(),
        public_by: edge
            .public_by
            .map(|d| chrono::Datelike::num_days_from_ce(&d)),
    }
}

/// The frames of `body`; `None` when one is cut short.
fn frames(mut body: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    while !body.is_empty() {
        let (length, rest) = body.split_first_chunk::<8>()?;
        let length = usize::try_from(u64::from_le_bytes(*length)).ok()?;
        if rest.len() < length {
            return None;
        }
        let (frame, rest) = rest.split_at(length);
        out.push(frame);
        body = rest;
    }
    Some(out)
}

/// The projection in `input`; `None` when the file is of another format
/// or damaged (then it is built again).
fn read(input: &mut dyn BufRead) -> Option<Projection> {
    let body = body_after(input, FORMAT)?;
    let frames = frames(&body)?;
    let [strings, counts, rest @ ..] = frames.as_slice() else {
        return None;
    };
    let strings: Vec<String> = postcard::from_bytes(strings).ok()?;
    let counts: Counts = postcard::from_bytes(counts).ok()?;
    let node_frames = usize::try_from(counts.nodes).ok()?.div_ceil(CHUNK);
    if rest.len() != node_frames + usize::try_from(counts.edges).ok()?.div_ceil(CHUNK) {
        return None;
    }
    let (node_frames, edge_frames) = rest.split_at(node_frames);
    let nodes = decode(node_frames, &strings, node);
    let edges = decode(edge_frames, &strings, edge);
    drop(body);
    let mut graph = DiGraph::with_capacity(
        usize::try_from(counts.nodes).ok()?,
        usize::try_from(counts.edges).ok()?,
    );
    for chunk in nodes {
        for n in chunk? {
            graph.add_node(n);
        }
    }
    let count = graph.node_count();
    for chunk in edges {
        for (from, to, e) in chunk? {
            if from >= count || to >= count {
                return None;
            }
            graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), e);
        }
    }
    (graph.node_count() as u64 == counts.nodes).then(|| Projection::from_graph(graph))
}

/// Each frame of saved items turned into what they stand for by `turn`,
/// decoded on every core; `None` for a frame that is damaged.
fn decode<S: serde::de::DeserializeOwned, T: Send>(
    frames: &[&[u8]],
    strings: &[String],
    turn: fn(S, &[String]) -> Option<T>,
) -> Vec<Option<Vec<T>>> {
    crate::parallel::map_in_order(
        frames.len(),
        || (),
        |i, ()| {
            let saved: Vec<S> = postcard::from_bytes(frames[i]).ok()?;
            saved.into_iter().map(|s| turn(s, strings)).collect()
        },
    )
}

fn node(n: SavedNode, strings: &[String]) -> Option<Node> {
    Some(Node {
        iri: n.iri,
        id: n.id,
        kind: strings.get(n.kind as usize)?.clone(),
        label: n.label,
        merged: n.merged,
    })
}

/// An edge as read: its ends' indices and its weight.
fn edge(e: SavedEdge, strings: &[String]) -> Option<(usize, usize, Edge)> {
    let string = |i: u32| strings.get(i as usize).cloned();
    let [se, sl, ee, el] = e.bounds.map(chrono::NaiveDate::from_num_days_from_ce_opt);
    let interval = Interval::new(DateRange::new(se?, sl?)?, DateRange::new(ee?, el?)?)?;
    let mut evidence = Vec::with_capacity(e.evidence.len());
    for ev in e.evidence {
        evidence.push(EvidenceRef {
            source: string(ev.source)?,
            attributed_to: match ev.attributed_to {
                Some(a) => Some(string(a)?),
                None => None,
            },
            quote: ev.quote,
        });
    }
    let weight = Edge {
        id: e.id,
        kind: *RelationshipKind::ALL.get(usize::from(e.kind))?,
        interval,
        time: e.time,
        status: *ClaimStatus::ALL.get(usize::from(e.status))?,
        label: e.label,
        role: e.role,
        evidence,
        public_by: match e.public_by {
            Some(days) => Some(chrono::NaiveDate::from_num_days_from_ce_opt(days)?),
            None => None,
        },
    };
    Some((e.from as usize, e.to as usize, weight))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(projection: &Projection) -> Option<Projection> {
        let mut bytes = Vec::new();
        write(projection, &mut bytes).unwrap();
        read(&mut bytes.as_slice())
    }

    #[test]
    fn a_file_of_another_format_or_damaged_is_not_read() {
        let store = Store::in_memory();
        let empty = Projection::build(&store, &crate::Filter::default()).unwrap();
        let mut bytes = Vec::new();
        write(&empty, &mut bytes).unwrap();
        assert!(read(&mut bytes.as_slice()).is_some());
        let other = String::from_utf8_lossy(&bytes).replacen(FORMAT, "interlock projection 0\n", 1);
        assert!(read(&mut other.as_bytes()).is_none());
        assert!(read(&mut &bytes[..bytes.len() - 1]).is_none(), "cut short");
        assert!(read(&mut &b""[..]).is_none());
    }

    /// A projection of `nodes` entities and `edges` relationships, every
    /// field set, some evidence attributed.
    fn sample(nodes: usize, edges: usize) -> Projection {
        let mut graph = DiGraph::new();
        for i in 0..nodes {
            graph.add_node(Node {
                iri: format!("urn:e{i}"),
                id: format!("e{i}"),
                kind: ["Company", "Person"][i % 2].to_string(),
                label: format!("Entity {i}"),
                merged: Vec::new(),
            });
        }
        for i in 0..edges {
            let day = |d: usize| {
                chrono::NaiveDate::from_num_days_from_ce_opt(730_000 + d as i32).unwrap()
            };
            let interval = Interval::new(
                DateRange::new(day(i % 400), day(i % 400 + 30)).unwrap(),
                DateRange::new(day(i % 400 + 500), day(i % 400 + 900)).unwrap(),
            )
            .unwrap();
            graph.add_edge(
                NodeIndex::new(i % nodes),
                NodeIndex::new((i * 7 + 1) % nodes),
                Edge {
                    id: format!("r{i}"),
                    kind: RelationshipKind::ALL[i % RelationshipKind::ALL.len()],
                    interval: if i % 5 == 0 {
                        Interval::UNKNOWN
                    } else {
                        interval
                    },
                    time: (i % 3 == 0).then(|| format!("{}/..", 1990 + i % 30)),
                    status: ClaimStatus::ALL[i % ClaimStatus::ALL.len()],
                    label: (i % 4 == 0).then(|| format!("tie {i}")),
                    role: (i % 6 == 0).then(|| "chair".to_string()),
                    evidence: (0..i % 3)
                        .map(|k| EvidenceRef {
                            source: format!("Register volume {}", (i + k) % 50),
                            attributed_to: (k == 1).then(|| "A court".to_string()),
                            quote: format!("Record {i}."),
                        })
                        .collect(),
                    public_by: (i % 4 == 1).then(|| day(i % 700)),
                },
            );
        }
        Projection::from_graph(graph)
    }

    #[test]
    fn a_projection_reads_back_as_it_was_written_over_many_frames() {
        let written = sample(50_000, 3 * CHUNK + 5);
        let read = round_trip(&written).unwrap();
        assert!(read.graph.node_weights().eq(written.graph.node_weights()));
        assert!(read.graph.edge_weights().eq(written.graph.edge_weights()));
        let ends = |p: &Projection| -> Vec<_> {
            p.graph
                .edge_indices()
                .map(|e| p.graph.edge_endpoints(e))
                .collect()
        };
        assert_eq!(ends(&read), ends(&written));
        assert_eq!(read.node("e7"), written.node("e7"));
        assert_eq!(read.node("urn:e9"), Some(NodeIndex::new(9)));
    }

    #[test]
    fn an_edge_to_a_node_that_is_not_there_is_damage() {
        let mut bytes = FORMAT.as_bytes().to_vec();
        frame(&mut bytes, &Vec::<String>::new()).unwrap();
        frame(&mut bytes, &Counts { nodes: 0, edges: 1 }).unwrap();
        let edge = SavedEdge {
            from: 0,
            to: 1,
            id: "r".into(),
            kind: 0,
            bounds: [1, 2, 3, 4],
            time: None,
            status: 0,
            label: None,
            role: None,
            evidence: vec![],
            public_by: None,
        };
        frame(&mut bytes, &vec![edge]).unwrap();
        assert!(read(&mut bytes.as_slice()).is_none());
        assert!(round_trip(&Projection::from_graph(DiGraph::new())).is_some());
    }
}
