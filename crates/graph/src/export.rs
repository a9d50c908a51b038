//! The projection in the formats visualization tools open: GraphML (typed
//! keys), GEXF 1.3 in dynamic mode (edges carry their dates, so Gephi's
//! timeline plays the graph), Cytoscape.js JSON, Graphviz DOT, and CSV
//! (nodes and edges).
//!
//! Every format carries the same attributes: nodes `label`, `kind`; edges
//! `relationship`, `kind`, `status`, `time` (EDTF as stated), `start` and
//! `end` (the first and last day the relationship may have held; absent when
//! unbounded). In GEXF, nodes also carry spells: the days any of their
//! relationships may have held, so entities appear and leave with their ties.

use crate::projection::{Edge, Projection};
use interlock_model::time::DateRange;
use petgraph::visit::EdgeRef;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io::Write;

crate::names::named! {
    /// An export format.
    ExportFormat {
        /// GraphML with declared, typed keys (yEd, Cytoscape, networkx).
        GraphMl = "graphml",
        /// GEXF 1.3, dynamic: Gephi's timeline plays it.
        Gexf = "gexf",
        /// Cytoscape.js `elements` JSON.
        Cytoscape = "cytoscape",
        /// Graphviz DOT.
        Dot = "dot",
        /// CSV of the edges (the nodes come from [`write_nodes_csv`]).
        Csv = "csv",
    }
}

impl ExportFormat {
    /// The media type of what [`export`] writes in this format.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::GraphMl => "application/graphml+xml",
            ExportFormat::Gexf => "application/gexf+xml",
            ExportFormat::Cytoscape => "application/json",
            ExportFormat::Dot => "text/vnd.graphviz; charset=utf-8",
            ExportFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    /// Whether the format is written as two files (edges, then nodes
    /// beside them by [`write_nodes_csv`]).
    pub fn has_nodes_file(self) -> bool {
        self == ExportFormat::Csv
    }
}

/// The names of the edge attributes every format carries.
const EDGE_FIELDS: [&str; 6] = ["relationship", "kind", "status", "time", "start", "end"];

/// The edge attributes, named as in [`EDGE_FIELDS`], as text (`None` when absent).
fn edge_fields(e: &Edge) -> [(&'static str, Option<String>); 6] {
    let possible = e.interval.possible_span();
    let values = [
        Some(e.id.clone()),
        Some(e.kind.to_string()),
        Some(e.status.to_string()),
        e.time.clone(),
        possible.earliest_bound().map(|d| d.to_string()),
        possible.latest_bound().map(|d| d.to_string()),
    ];
    let mut fields = values.map(|v| ("", v));
    for (field, name) in fields.iter_mut().zip(EDGE_FIELDS) {
        field.0 = name;
    }
    fields
}

/// When a node is in the graph, for Gephi's timeline: the days any of its
/// relationships may have held, merged into spells (first, last; `None`
/// unbounded). Empty when it is there at all times: no relationships, or
/// one unbounded on both sides.
fn node_spells(
    p: &Projection,
    n: petgraph::graph::NodeIndex,
) -> Vec<(Option<String>, Option<String>)> {
    let mut spans: Vec<DateRange> = p
        .graph
        .edges_directed(n, petgraph::Direction::Outgoing)
        .chain(p.graph.edges_directed(n, petgraph::Direction::Incoming))
        .map(|e| e.weight().interval.possible_span())
        .collect();
    spans.sort_by_key(|s| (s.earliest, s.latest));
    let mut merged: Vec<DateRange> = Vec::new();
    for span in spans {
        match merged.last_mut() {
            Some(m) if span.earliest <= m.latest.succ_opt().unwrap_or(m.latest) => {
                *m = m.hull(&span)
            }
            _ => merged.push(span),
        }
    }
    if merged.contains(&DateRange::ALL) {
        return Vec::new();
    }
    merged
        .into_iter()
        .map(|s| {
            (
                s.earliest_bound().map(|d| d.to_string()),
                s.latest_bound().map(|d| d.to_string()),
            )
        })
        .collect()
}

/// Writes the projection in `format`.
pub fn export(p: &Projection, format: ExportFormat, out: impl Write) -> std::io::Result<()> {
    match format {
        ExportFormat::GraphMl => graphml(p, out),
        ExportFormat::Gexf => gexf(p, out),
        ExportFormat::Cytoscape => cytoscape(p, out),
        ExportFormat::Dot => dot(p, out),
        ExportFormat::Csv => edges_csv(p, out),
    }
}

fn graphml(p: &Projection, out: impl Write) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("graphml")
        .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
        .write_inner_content(|w| {
            for (id, target) in [("label", "node"), ("kind", "node")] {
                key(w, &format!("n_{id}"), target, id)?;
            }
            for id in EDGE_FIELDS {
                key(w, &format!("e_{id}"), "edge", id)?;
            }
            w.create_element("graph")
                .with_attributes([("id", "interlock"), ("edgedefault", "directed")])
                .write_inner_content(|w| {
                    for n in p.graph.node_indices() {
                        let node = &p.graph[n];
                        w.create_element("node")
                            .with_attribute(("id", node.id.as_str()))
                            .write_inner_content(|w| {
                                data(w, "n_label", &node.label)?;
                                data(w, "n_kind", &node.kind)
                            })?;
                    }
                    for e in p.graph.edge_references() {
                        w.create_element("edge")
                            .with_attributes([
                                ("id", e.weight().id.as_str()),
                                ("source", p.graph[e.source()].id.as_str()),
                                ("target", p.graph[e.target()].id.as_str()),
                            ])
                            .write_inner_content(|w| {
                                for (name, value) in edge_fields(e.weight()) {
                                    if let Some(v) = value {
                                        data(w, &format!("e_{name}"), &v)?;
                                    }
                                }
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

fn key<W: Write>(w: &mut Writer<W>, id: &str, target: &str, name: &str) -> std::io::Result<()> {
    w.create_element("key")
        .with_attributes([
            ("id", id),
            ("for", target),
            ("attr.name", name),
            ("attr.type", "string"),
        ])
        .write_empty()?;
    Ok(())
}

fn data<W: Write>(w: &mut Writer<W>, key: &str, value: &str) -> std::io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn gexf(p: &Projection, out: impl Write) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("gexf")
        .with_attributes([
            ("xmlns", "http://gexf.net/1.3"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            ),
            ("version", "1.3"),
        ])
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(BytesText::new("interlock"))?;
                Ok(())
            })?;
            w.create_element("graph")
                .with_attributes([
                    ("mode", "dynamic"),
                    ("defaultedgetype", "directed"),
                    ("timeformat", "date"),
                ])
                .write_inner_content(|w| {
                    gexf_attributes(w, "node", &["kind"])?;
                    gexf_attributes(w, "edge", &["relationship", "kind", "status", "time"])?;
                    w.create_element("nodes")
                        .write_inner_content(|w| gexf_nodes(p, w))?;
                    w.create_element("edges")
                        .write_inner_content(|w| gexf_edges(p, w))?;
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

/// The declaration of the string attributes `names` of `class` (node, edge).
fn gexf_attributes<W: Write>(
    w: &mut Writer<W>,
    class: &str,
    names: &[&str],
) -> std::io::Result<()> {
    w.create_element("attributes")
        .with_attribute(("class", class))
        .write_inner_content(|w| {
            for name in names {
                w.create_element("attribute")
                    .with_attributes([("id", *name), ("title", *name), ("type", "string")])
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

/// Every node with its kind and the spells in which its ties may have held.
fn gexf_nodes<W: Write>(p: &Projection, w: &mut Writer<W>) -> std::io::Result<()> {
    for n in p.graph.node_indices() {
        let node = &p.graph[n];
        w.create_element("node")
            .with_attributes([("id", node.id.as_str()), ("label", node.label.as_str())])
            .write_inner_content(|w| {
                w.create_element("attvalues")
                    .write_inner_content(|w| attvalue(w, "kind", &node.kind))?;
                let spells = node_spells(p, n);
                if spells.is_empty() {
                    return Ok(());
                }
                w.create_element("spells").write_inner_content(|w| {
                    for (start, end) in &spells {
                        let mut spell = w.create_element("spell");
                        if let Some(s) = start {
                            spell = spell.with_attribute(("start", s.as_str()));
                        }
                        if let Some(e) = end {
                            spell = spell.with_attribute(("end", e.as_str()));
                        }
                        spell.write_empty()?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
    }
    Ok(())
}

/// Every edge with its attributes, its first and last possible days as its spell.
fn gexf_edges<W: Write>(p: &Projection, w: &mut Writer<W>) -> std::io::Result<()> {
    for e in p.graph.edge_references() {
        let fields = edge_fields(e.weight());
        let mut attrs = vec![
            ("id", e.weight().id.clone()),
            ("source", p.graph[e.source()].id.clone()),
            ("target", p.graph[e.target()].id.clone()),
        ];
        for (name, value) in &fields[4..] {
            if let Some(v) = value {
                attrs.push((*name, v.clone()));
            }
        }
        w.create_element("edge")
            .with_attributes(attrs.iter().map(|(k, v)| (*k, v.as_str())))
            .write_inner_content(|w| {
                w.create_element("attvalues").write_inner_content(|w| {
                    for (name, value) in &fields[..4] {
                        if let Some(v) = value {
                            attvalue(w, name, v)?;
                        }
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
    }
    Ok(())
}

fn attvalue<W: Write>(w: &mut Writer<W>, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element("attvalue")
        .with_attributes([("for", name), ("value", value)])
        .write_empty()?;
    Ok(())
}

fn cytoscape(p: &Projection, out: impl Write) -> std::io::Result<()> {
    let nodes: Vec<_> = p
        .graph
        .node_indices()
        .map(|n| {
            let node = &p.graph[n];
            // `value` and `name` are what networkx's cytoscape_graph reads.
            serde_json::json!({ "data": {
                "id": node.id, "value": node.id, "name": node.label, "label": node.label, "kind": node.kind
            } })
        })
        .collect();
    let edges: Vec<_> = p
        .graph
        .edge_references()
        .map(|e| {
            let mut data = serde_json::Map::new();
            data.insert("id".into(), e.weight().id.clone().into());
            // networkx keeps parallel edges apart by `key`.
            data.insert("key".into(), e.weight().id.clone().into());
            data.insert("source".into(), p.graph[e.source()].id.clone().into());
            data.insert("target".into(), p.graph[e.target()].id.clone().into());
            for (name, value) in edge_fields(e.weight()) {
                if let Some(v) = value {
                    data.insert(name.into(), v.into());
                }
            }
            serde_json::json!({ "data": data })
        })
        .collect();
    let doc = serde_json::json!({
        "data": {},
        "directed": true,
        "multigraph": true,
        "elements": { "nodes": nodes, "edges": edges },
    });
    serde_json::to_writer_pretty(out, &doc).map_err(std::io::Error::from)
}

/// A DOT identifier: always quoted, quotes and backslashes escaped.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn dot(p: &Projection, mut out: impl Write) -> std::io::Result<()> {
    writeln!(out, "digraph interlock {{")?;
    for n in p.graph.node_indices() {
        let node = &p.graph[n];
        let shape = if node.kind == "Person" {
            "ellipse"
        } else {
            "box"
        };
        writeln!(
            out,
            "  {} [label={}, kind={}, shape={shape}];",
            quoted(&node.id),
            quoted(&node.label),
            quoted(&node.kind)
        )?;
    }
    for e in p.graph.edge_references() {
        let attrs: Vec<String> = edge_fields(e.weight())
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k}={}", quoted(&v))))
            .chain(std::iter::once(format!(
                "label={}",
                quoted(
                    format!(
                        "{} {}",
                        e.weight().kind,
                        e.weight().time.as_deref().unwrap_or("")
                    )
                    .trim()
                )
            )))
            .collect();
        writeln!(
            out,
            "  {} -> {} [{}];",
            quoted(&p.graph[e.source()].id),
            quoted(&p.graph[e.target()].id),
            attrs.join(", ")
        )?;
    }
    writeln!(out, "}}")
}

fn edges_csv(p: &Projection, out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "source",
        "target",
        "relationship",
        "kind",
        "status",
        "time",
        "start",
        "end",
    ])?;
    for e in p.graph.edge_references() {
        let mut row = vec![
            p.graph[e.source()].id.clone(),
            p.graph[e.target()].id.clone(),
        ];
        row.extend(
            edge_fields(e.weight())
                .into_iter()
                .map(|(_, v)| v.unwrap_or_default()),
        );
        w.write_record(row)?;
    }
    w.flush()
}

/// The nodes as CSV (`id,label,kind`), the companion of [`ExportFormat::Csv`].
pub fn write_nodes_csv(p: &Projection, out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id", "label", "kind"])?;
    for n in p.graph.node_indices() {
        let node = &p.graph[n];
        w.write_record([&node.id, &node.label, &node.kind])?;
    }
    w.flush()
}
