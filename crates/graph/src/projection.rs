//! The store as a petgraph multigraph: entities as nodes, relationships as
//! edges, built by SPARQL so that any RDF using the ontology projects.

use crate::GraphError;
use interlock_model::time::{DateRange, Interval};
use interlock_model::vocab;
use interlock_model::{ClaimStatus, RelationshipKind};
use interlock_store::{QueryRequest, Store};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

/// An entity in the projection.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Node {
    /// Its IRI.
    pub iri: String,
    /// Its short id (the IRI's last segment when it has no `il:entityId`).
    pub id: String,
    /// Its kind's ontology term (`Company`, `Person`, …).
    pub kind: String,
    /// Its English label, or its id.
    pub label: String,
}

/// The words of a source behind an edge.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EvidenceRef {
    /// Title of the source the quote appears in.
    pub source: String,
    /// Title of the source the quote attributes the claim to, if any.
    pub attributed_to: Option<String>,
    /// The quote, in its language.
    pub quote: String,
}

/// A relationship in the projection, from its subject to its object.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Edge {
    /// The relationship's id.
    pub id: String,
    /// What kind of tie it is.
    pub kind: RelationshipKind,
    /// When it held.
    #[serde(skip)]
    pub interval: Interval,
    /// The time as written (EDTF), when given.
    pub time: Option<String>,
    /// How sure the sources are.
    pub status: ClaimStatus,
    /// English label.
    pub label: Option<String>,
    /// The subject's role, in English.
    pub role: Option<String>,
    /// The words that support it.
    pub evidence: Vec<EvidenceRef>,
}

/// Which relationships a projection keeps. When it keeps only some, the
/// projection is a snapshot: entities none of the kept relationships ties
/// are left out.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only these kinds (all when empty).
    pub kinds: Vec<RelationshipKind>,
    /// Only relationships that held (at least possibly) at some time in this window.
    pub window: Option<DateRange>,
}

impl Filter {
    /// Every kind, only what held (at least possibly) in `window` when given.
    pub fn window(window: Option<DateRange>) -> Filter {
        Filter {
            window,
            ..Filter::default()
        }
    }
}

/// Entities and relationships as a directed multigraph.
#[derive(Debug, Clone)]
pub struct Projection {
    /// The graph: node weights are entities, edge weights relationships.
    pub graph: DiGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
}

/// A term's text: a literal's value or an IRI.
pub(crate) fn text(term: Option<&Term>) -> Option<String> {
    match term? {
        Term::Literal(l) => Some(l.value().to_string()),
        Term::NamedNode(n) => Some(n.as_str().to_string()),
        _ => None,
    }
}

fn local(iri: &str) -> &str {
    iri.rsplit(['/', '#']).next().unwrap_or(iri)
}

fn date(term: Option<&Term>) -> Option<chrono::NaiveDate> {
    let t = text(term)?;
    if t == vocab::UNBOUNDED_EARLIEST {
        return Some(chrono::NaiveDate::MIN);
    }
    if t == vocab::UNBOUNDED_LATEST {
        return Some(chrono::NaiveDate::MAX);
    }
    chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok()
}

/// The rows of a SELECT on the store.
pub(crate) fn select(store: &Store, query: &str) -> Result<Vec<Vec<Option<Term>>>, GraphError> {
    let results = store.query(&QueryRequest::new(query))?;
    let QueryResults::Solutions(solutions) = results else {
        return Err(GraphError::Query("expected solutions".into()));
    };
    let mut rows = Vec::new();
    for s in solutions {
        let s = s.map_err(|e| GraphError::Query(e.to_string()))?;
        rows.push(s.values().to_vec());
    }
    Ok(rows)
}

const PREFIXES: &str = "PREFIX il: <https://w3id.org/interlock/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
";

impl Projection {
    /// Builds the projection of everything in the store that `filter` keeps.
    pub fn build(store: &Store, filter: &Filter) -> Result<Projection, GraphError> {
        let mut graph = DiGraph::new();
        let mut index = HashMap::new();
        let entities = select(
            store,
            &format!(
                "{PREFIXES}SELECT ?e ?id ?kind (SAMPLE(?l) AS ?label) WHERE {{
                  ?e a il:Entity ; a ?kind . FILTER(?kind != il:Entity && STRSTARTS(STR(?kind), STR(il:)))
                  OPTIONAL {{ ?e il:entityId ?id }}
                  OPTIONAL {{ ?e rdfs:label ?l . FILTER(LANGMATCHES(LANG(?l), \"en\") || LANG(?l) = \"\") }}
                }} GROUP BY ?e ?id ?kind ORDER BY ?e"
            ),
        )?;
        for row in entities {
            let iri = text(row[0].as_ref()).unwrap_or_default();
            if index.contains_key(&iri) {
                continue;
            }
            let id = text(row[1].as_ref()).unwrap_or_else(|| local(&iri).to_string());
            let kind = local(&text(row[2].as_ref()).unwrap_or_default()).to_string();
            let label = text(row[3].as_ref()).unwrap_or_else(|| id.clone());
            let n = graph.add_node(Node {
                iri: iri.clone(),
                id,
                kind,
                label,
            });
            index.insert(iri, n);
        }

        let mut evidence: HashMap<String, Vec<EvidenceRef>> = HashMap::new();
        for row in select(
            store,
            &format!(
                "{PREFIXES}SELECT ?r ?source ?attributed ?quote WHERE {{
                  ?r a il:Relationship ; il:evidence ?ev .
                  ?ev il:source/dcterms:title ?source ; il:quote ?quote .
                  OPTIONAL {{ ?ev il:attributedTo/dcterms:title ?attributed }}
                }} ORDER BY ?r ?ev"
            ),
        )? {
            evidence
                .entry(text(row[0].as_ref()).unwrap_or_default())
                .or_default()
                .push(EvidenceRef {
                    source: text(row[1].as_ref()).unwrap_or_default(),
                    attributed_to: text(row[2].as_ref()),
                    quote: text(row[3].as_ref()).unwrap_or_default(),
                });
        }

        let relationships = select(
            store,
            &format!(
                "{PREFIXES}SELECT ?r ?id ?kind ?s ?o ?se ?sl ?ee ?el ?edtf ?status
                   (SAMPLE(?l) AS ?label) (SAMPLE(?ro) AS ?role) WHERE {{
                  ?r a il:Relationship ; a ?kind ; il:subject ?s ; il:object ?o ;
                     il:startEarliest ?se ; il:startLatest ?sl ; il:endEarliest ?ee ; il:endLatest ?el .
                  FILTER(?kind != il:Relationship && STRSTARTS(STR(?kind), STR(il:)))
                  OPTIONAL {{ ?r il:relationshipId ?id }}
                  OPTIONAL {{ ?r il:edtf ?edtf }}
                  OPTIONAL {{ ?r il:claimStatus ?status }}
                  OPTIONAL {{ ?r rdfs:label ?l . FILTER(LANGMATCHES(LANG(?l), \"en\")) }}
                  OPTIONAL {{ ?r il:role ?ro . FILTER(LANGMATCHES(LANG(?ro), \"en\")) }}
                }} GROUP BY ?r ?id ?kind ?s ?o ?se ?sl ?ee ?el ?edtf ?status ORDER BY ?r"
            ),
        )?;
        for row in relationships {
            let iri = text(row[0].as_ref()).unwrap_or_default();
            let Some(kind) =
                RelationshipKind::from_term(local(&text(row[2].as_ref()).unwrap_or_default()))
            else {
                continue;
            };
            if !filter.kinds.is_empty() && !filter.kinds.contains(&kind) {
                continue;
            }
            let (Some(&s), Some(&o)) = (
                index.get(&text(row[3].as_ref()).unwrap_or_default()),
                index.get(&text(row[4].as_ref()).unwrap_or_default()),
            ) else {
                continue;
            };
            let bounds = (
                date(row[5].as_ref()),
                date(row[6].as_ref()),
                date(row[7].as_ref()),
                date(row[8].as_ref()),
            );
            let (Some(se), Some(sl), Some(ee), Some(el)) = bounds else {
                continue;
            };
            let (Some(start), Some(end)) = (DateRange::new(se, sl), DateRange::new(ee, el)) else {
                continue;
            };
            let Some(interval) = Interval::new(start, end) else {
                continue;
            };
            if let Some(w) = &filter.window
                && interval.during(w) == interlock_model::Certainty::No
            {
                continue;
            }
            let status = text(row[10].as_ref())
                .and_then(|t| ClaimStatus::from_term(local(&t)))
                .unwrap_or(ClaimStatus::Reported);
            let edge = Edge {
                id: text(row[1].as_ref()).unwrap_or_else(|| local(&iri).to_string()),
                kind,
                interval,
                time: text(row[9].as_ref()),
                status,
                label: text(row[11].as_ref()),
                role: text(row[12].as_ref()),
                evidence: evidence.remove(&iri).unwrap_or_default(),
            };
            graph.add_edge(s, o, edge);
        }
        if filter.window.is_some() || !filter.kinds.is_empty() {
            // A snapshot holds the entities tied at that time, not everyone ever seen.
            graph.retain_nodes(|g, n| g.neighbors_undirected(n).next().is_some());
            index = graph
                .node_indices()
                .map(|n| (graph[n].iri.clone(), n))
                .collect();
        }
        Ok(Projection { graph, index })
    }

    /// A projection of a graph built elsewhere (a generator, a test):
    /// entities are found by their IRI and id as in a built one.
    pub fn from_graph(graph: DiGraph<Node, Edge>) -> Projection {
        let index = graph
            .node_indices()
            .map(|n| (graph[n].iri.clone(), n))
            .collect();
        Projection { graph, index }
    }

    /// The node of the entity with this id (or IRI).
    pub fn node(&self, id_or_iri: &str) -> Option<NodeIndex> {
        self.index.get(id_or_iri).copied().or_else(|| {
            self.graph
                .node_indices()
                .find(|n| self.graph[*n].id == id_or_iri)
        })
    }
}
