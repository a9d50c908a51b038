//! The full projection kept in a file beside the store, so that a fresh
//! process (a command, a server just started) reads it in a second or two
//! instead of reading millions of quads again.
//!
//! The store writes the file and tells which state of the data it was
//! derived from ([`Store::write_derived`], [`Store::read_derived`]): a copy
//! derived from any other state is never read, and is replaced by the next
//! build. The file starts with [`FORMAT`]; a file of another format is
//! rebuilt, not read. Its body is the projection in postcard, nodes and
//! edges in index order, so that the graph read back is the graph built,
//! index for index.

use crate::GraphError;
use crate::projection::{Edge, EvidenceRef, Node, Projection};
use interlock_model::time::{DateRange, Interval};
use interlock_model::{ClaimStatus, RelationshipKind};
use interlock_store::Store;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;
use std::io::{BufRead, Write};

/// The file's name in the store's own folder.
const FILE: &str = "projection";

/// The first line of the file's body: what it is and which version of its
/// layout. Changing [`Saved`] or anything in it means a new number.
const FORMAT: &str = "interlock projection 1\n";

/// How a projection came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Read from the copy kept beside the store.
    Kept,
    /// Built from the store; `kept` says whether a copy was kept for the next process.
    Built {
        /// Whether the copy was written (only a process that holds the
        /// store for writing writes it, and only if no write came between).
        kept: bool,
    },
}

impl Projection {
    /// The full projection of the store: read from the copy kept beside it
    /// when that copy was derived from the data as it is now, else built
    /// (and kept, when this process may). The same projection either way.
    pub fn current(store: &Store) -> Result<(Projection, Origin), GraphError> {
        if let Some(kept) = store.read_derived(FILE).and_then(read) {
            return Ok((kept, Origin::Kept));
        }
        let generation = store.generation();
        let built = Projection::build(store, &crate::Filter::default())?;
        let kept = match generation {
            Some(g) => store.write_derived(FILE, g, |out| write(&built, out))?,
            None => false,
        };
        Ok((built, Origin::Built { kept }))
    }
}

/// The projection as written: strings that repeat across edges (source
/// titles, node kinds) once each, referred to by number.
#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    /// Source titles and node kinds.
    strings: Vec<String>,
    nodes: Vec<SavedNode>,
    edges: Vec<SavedEdge>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SavedNode {
    iri: String,
    id: String,
    kind: u32,
    label: String,
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
    let nodes = graph
        .node_weights()
        .map(|n| SavedNode {
            iri: n.iri.clone(),
            id: n.id.clone(),
            kind: strings.number(&n.kind),
            label: n.label.clone(),
        })
        .collect();
    let edges = graph
        .edge_indices()
        .map(|e| {
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
                        source: strings.number(&ev.source),
                        attributed_to: ev.attributed_to.as_deref().map(|a| strings.number(a)),
                        quote: ev.quote.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let saved = Saved {
        strings: strings.list,
        nodes,
        edges,
    };
    out.write_all(FORMAT.as_bytes())?;
    postcard::to_io(&saved, out).map_err(std::io::Error::other)?;
    Ok(())
}

/// The projection in `input`; `None` when the file is of another format
/// or damaged (then it is built again).
fn read(mut input: impl BufRead) -> Option<Projection> {
    let mut format = String::new();
    input.read_line(&mut format).ok()?;
    if format != FORMAT {
        return None;
    }
    let mut body = Vec::new();
    input.read_to_end(&mut body).ok()?;
    let saved: Saved = postcard::from_bytes(&body).ok()?;
    drop(body);
    restore(saved)
}

fn restore(saved: Saved) -> Option<Projection> {
    let Saved {
        strings,
        nodes,
        edges,
    } = saved;
    let string = |i: u32| strings.get(i as usize).cloned();
    let mut graph = DiGraph::with_capacity(nodes.len(), edges.len());
    for n in nodes {
        graph.add_node(Node {
            iri: n.iri,
            id: n.id,
            kind: string(n.kind)?,
            label: n.label,
        });
    }
    let count = graph.node_count();
    for e in edges {
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
        let (from, to) = (e.from as usize, e.to as usize);
        if from >= count || to >= count {
            return None;
        }
        graph.add_edge(
            NodeIndex::new(from),
            NodeIndex::new(to),
            Edge {
                id: e.id,
                kind: *RelationshipKind::ALL.get(usize::from(e.kind))?,
                interval,
                time: e.time,
                status: *ClaimStatus::ALL.get(usize::from(e.status))?,
                label: e.label,
                role: e.role,
                evidence,
            },
        );
    }
    Some(Projection::from_graph(graph))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(projection: &Projection) -> Option<Projection> {
        let mut bytes = Vec::new();
        write(projection, &mut bytes).unwrap();
        read(bytes.as_slice())
    }

    #[test]
    fn a_file_of_another_format_or_damaged_is_not_read() {
        let store = Store::in_memory();
        let empty = Projection::build(&store, &crate::Filter::default()).unwrap();
        let mut bytes = Vec::new();
        write(&empty, &mut bytes).unwrap();
        assert!(read(bytes.as_slice()).is_some());
        let other = String::from_utf8_lossy(&bytes).replacen("projection 1", "projection 0", 1);
        assert!(read(other.as_bytes()).is_none());
        assert!(read(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        assert!(read(&b""[..]).is_none());
    }

    #[test]
    fn an_edge_to_a_node_that_is_not_there_is_damage() {
        let saved = Saved {
            strings: vec![],
            nodes: vec![],
            edges: vec![SavedEdge {
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
            }],
        };
        assert!(restore(saved).is_none());
        assert!(round_trip(&Projection::from_graph(DiGraph::new())).is_some());
    }
}
