//! The store as a petgraph multigraph: entities as nodes, relationships as
//! edges, built by SPARQL so that any RDF using the ontology projects.

use crate::GraphError;
use interlock_model::time::{DateRange, Interval};
use interlock_model::vocab;
use interlock_model::{ClaimStatus, RelationshipKind};
use interlock_store::{Column, QueryRequest, Store};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

/// An entity in the projection.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Node {
    /// Its IRI.
    pub iri: String,
    /// Its short id (the IRI's last segment when it has no `il:entityId`).
    pub id: String,
    /// Its kind's ontology term (`Company`, `Person`, …).
    pub kind: String,
    /// Its English label, or its id.
    pub label: String,
    /// The other entities merged into it (the identity graph says they are
    /// one), by IRI order; empty for most.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<Merged>,
}

/// An entity merged into another: another dataset's name for the same one.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Merged {
    /// Its IRI.
    pub iri: String,
    /// Its id.
    pub id: String,
    /// Its English label, or its id.
    pub label: String,
}

/// The words of a source behind an edge.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct EvidenceRef {
    /// Title of the source the quote appears in.
    pub source: String,
    /// Title of the source the quote attributes the claim to, if any.
    pub attributed_to: Option<String>,
    /// The quote, in its language.
    pub quote: String,
}

/// A relationship in the projection, from its subject to its object.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
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
    /// The day by which it was definitely public: the earliest of the last
    /// days on which a source supporting it (the one a quote is in, or the
    /// one it attributes the claim to) may have been published; `None` when
    /// no such source has a publication date.
    #[serde(skip)]
    pub public_by: Option<chrono::NaiveDate>,
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
    /// Only relationships that were definitely public on this day: a source
    /// supporting them was published, for certain, on or before it.
    pub known_by: Option<chrono::NaiveDate>,
}

impl Filter {
    /// Every kind, only what held (at least possibly) in `window` when given.
    pub fn window(window: Option<DateRange>) -> Filter {
        Filter {
            window,
            ..Filter::default()
        }
    }

    /// Whether this filter keeps every relationship (every kind, all time).
    pub fn keeps_everything(&self) -> bool {
        self.kinds.is_empty() && self.window.is_none() && self.known_by.is_none()
    }

    /// Whether the projection is a snapshot, without the entities none of
    /// the kept relationships ties: with kinds or a window. (Only what was
    /// public by a day keeps every entity: one with no tie known then is
    /// still asked about, and has none.)
    pub fn is_snapshot(&self) -> bool {
        !self.kinds.is_empty() || self.window.is_some()
    }

    /// Whether a relationship public from `public_by` on is kept.
    pub fn keeps_public(&self, public_by: Option<chrono::NaiveDate>) -> bool {
        self.known_by
            .is_none_or(|day| public_by.is_some_and(|p| p <= day))
    }

    /// Whether an edge is kept: its kind, its time, when it was public.
    fn keeps(&self, edge: &Edge) -> bool {
        self.keeps_kind(edge.kind)
            && self.keeps_interval(&edge.interval)
            && self.keeps_public(edge.public_by)
    }

    /// Whether an edge the filter leaves out only because no source of it
    /// has a publication date.
    fn undated_out(&self, edge: &Edge) -> bool {
        self.known_by.is_some()
            && edge.public_by.is_none()
            && self.keeps_kind(edge.kind)
            && self.keeps_interval(&edge.interval)
    }

    /// Whether relationships of this kind are kept.
    pub fn keeps_kind(&self, kind: RelationshipKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// Whether a relationship over `interval` is kept: it held, at least
    /// possibly, at some time in the window.
    pub fn keeps_interval(&self, interval: &Interval) -> bool {
        self.window
            .as_ref()
            .is_none_or(|w| interval.during(w) != interlock_model::Certainty::No)
    }
}

/// Entities and relationships as a directed multigraph.
#[derive(Debug, Clone)]
pub struct Projection {
    /// The graph: node weights are entities, edge weights relationships.
    pub graph: DiGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
    /// With a filter's `known_by`: how many relationships it left out
    /// because none of their sources has a publication date (they may
    /// have been public, or not).
    pub undated_left_out: usize,
}

/// A term's text: a literal's value or an IRI.
pub(crate) fn text(term: Option<&Term>) -> Option<String> {
    term.and_then(text_of).map(str::to_string)
}

/// A term's text, borrowed: a literal's value or an IRI.
fn text_of(term: &Term) -> Option<&str> {
    match term {
        Term::Literal(l) => Some(l.value()),
        Term::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }
}

/// An IRI's last segment (after its last `/` or `#`): the id of a thing
/// that has no id of its own.
pub(crate) fn local(iri: &str) -> &str {
    vocab::last_segment(iri)
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

/// How long one scan may take: it reads every use of a predicate, which
/// on a remote store of millions of relationships, busy with the other
/// scans, takes minutes (a user's query has [`interlock_store::DEFAULT_TIMEOUT`]).
const SCAN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3600);

/// Runs a SELECT whose columns hold `columns` and hands each solution's
/// values to `row`, without collecting them: the projection reads millions
/// of rows this way. A remote store may send such an answer as CSV, so
/// `row` reads only IRIs and literals' text.
fn each_row(
    store: &Store,
    query: &str,
    columns: &[Column],
    mut row: impl FnMut(&[Option<Term>]),
) -> Result<(), GraphError> {
    let mut request = QueryRequest::new(query).with_columns(columns);
    request.timeout = SCAN_TIMEOUT;
    let results = store.query(&request)?;
    let QueryResults::Solutions(solutions) = results else {
        return Err(GraphError::Query("expected solutions".into()));
    };
    for s in solutions {
        let s = s.map_err(|e| GraphError::Query(e.to_string()))?;
        row(s.values());
    }
    Ok(())
}

/// Every `(subject, object)` of one predicate whose subject is an IRI and
/// whose object is what `object` says (an IRI, or a literal read as its
/// text), as text: one index scan.
pub(crate) fn each_pair(
    store: &Store,
    predicate: &str,
    object: Column,
    filter: &str,
    mut pair: impl FnMut(&str, &str),
) -> Result<(), GraphError> {
    let kind = match object {
        Column::Iri => "isIRI",
        Column::Text => "isLiteral",
    };
    each_row(
        store,
        &format!(
            "SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o FILTER(isIRI(?s) && {kind}(?o)) {filter} }}"
        ),
        &[Column::Iri, object],
        |row| {
            if let (Some(Term::NamedNode(s)), Some(o)) =
                (&row[0], row[1].as_ref().and_then(text_of))
            {
                pair(s.as_str(), o);
            }
        },
    )
}

/// Every name (a literal object of `predicate`) of an IRI, with its
/// language tag, if it has one.
pub(crate) fn each_name(
    store: &Store,
    predicate: &str,
    filter: &str,
    mut name: impl FnMut(&str, &str, Option<&str>),
) -> Result<(), GraphError> {
    each_row(
        store,
        &format!(
            "SELECT ?s ?o (LANG(?o) AS ?lang) WHERE {{ ?s <{predicate}> ?o FILTER(isIRI(?s) && isLiteral(?o)) {filter} }}"
        ),
        &[Column::Iri, Column::Text, Column::Text],
        |row| {
            let (s, o) = (&row[0], row[1].as_ref().and_then(text_of));
            if let (Some(Term::NamedNode(s)), Some(o), Some(lang)) = (s, o, &row[2]) {
                let lang = text_of(lang).filter(|l| !l.is_empty());
                name(s.as_str(), o, lang);
            }
        },
    )
}

/// Every IRI typed with the ontology class `class`.
pub(crate) fn each_typed(
    store: &Store,
    class: &str,
    mut f: impl FnMut(&str),
) -> Result<(), GraphError> {
    each_row(
        store,
        &format!(
            "SELECT DISTINCT ?s WHERE {{ ?s a <{}> FILTER(isIRI(?s)) }}",
            vocab::il(class)
        ),
        &[Column::Iri],
        |row| {
            if let Some(Term::NamedNode(s)) = &row[0] {
                f(s.as_str());
            }
        },
    )
}

/// A scan that fills one column of relationship attributes.
type Scan<'a> = Box<dyn FnOnce() -> Result<(), GraphError> + Send + 'a>;

/// How a column scan reads objects: which kind it takes, and into what.
struct Reading<T> {
    object: Column,
    convert: fn(&str) -> Option<T>,
}

/// IRIs, as text.
const IRI: Reading<String> = Reading {
    object: Column::Iri,
    convert: owned,
};
/// Literals, as their text.
const TEXT: Reading<String> = Reading {
    object: Column::Text,
    convert: owned,
};
/// Literals holding a date bound (`xsd:date`).
const DATE: Reading<chrono::NaiveDate> = Reading {
    object: Column::Text,
    convert: vocab::read_date_bound,
};

fn owned(text: &str) -> Option<String> {
    Some(text.to_string())
}

/// Scans `predicate` and sets, for every relationship in `at`, its entry of
/// `column` to the object as `reading` reads it (the last one read wins).
fn column_scan<'a, T: Send>(
    store: &'a Store,
    at: &'a HashMap<&str, usize>,
    predicate: &'static str,
    filter: &'static str,
    column: &'a mut [Option<T>],
    reading: Reading<T>,
) -> Scan<'a> {
    Box::new(move || {
        each_pair(store, predicate, reading.object, filter, |r, o| {
            if let Some(&i) = at.get(r) {
                column[i] = (reading.convert)(o);
            }
        })
    })
}

/// Runs `scans` on as many threads as there are cores.
fn run_scans(scans: Vec<Scan<'_>>) -> Result<(), GraphError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, scans.len().max(1));
    let queue = std::sync::Mutex::new(scans);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    loop {
                        let next = queue
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .pop();
                        match next {
                            Some(scan) => scan()?,
                            None => return Ok(()),
                        }
                    }
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

const ENGLISH: &str = "FILTER(LANGMATCHES(LANG(?o), \"en\") || LANG(?o) = \"\")";

/// What is known of one relationship while the projection is read.
struct Partial {
    id: Option<String>,
    subject: Option<String>,
    object: Option<String>,
    bounds: [Option<chrono::NaiveDate>; 4],
    edtf: Option<String>,
    status: Option<ClaimStatus>,
    label: Option<String>,
    role: Option<String>,
    evidence: Vec<EvidenceRef>,
    public_by: Option<chrono::NaiveDate>,
}

/// The entities as nodes, and each node by its entity's IRI.
type Entities = (DiGraph<Node, Edge>, HashMap<String, NodeIndex>);

/// The entities (in IRI order, by kind) as nodes, with their ids and
/// labels, and the index from IRI to node. Entities the identity graph
/// merges into another are one node, the other's: their IRIs lead to it
/// and they are listed in its `merged`.
fn read_entities(store: &Store) -> Result<Entities, GraphError> {
    // Entities, in IRI order, by kind.
    let mut entities: Vec<(String, &'static str)> = Vec::new();
    for kind in interlock_model::EntityKind::ALL {
        each_typed(store, kind.term(), |e| {
            entities.push((e.to_string(), kind.term()))
        })?;
    }
    entities.sort();
    entities.dedup_by(|a, b| a.0 == b.0);
    let mut merged_into = merged_into(store)?;
    merged_into.retain(|_, canonical| {
        entities
            .binary_search_by(|(e, _)| e.as_str().cmp(canonical))
            .is_ok()
    });
    let mut graph = DiGraph::with_capacity(entities.len(), 0);
    let mut index: HashMap<String, NodeIndex> = HashMap::with_capacity(entities.len());
    let mut members = Vec::new();
    for (iri, kind) in entities {
        if merged_into.contains_key(&iri) {
            members.push(iri);
            continue;
        }
        let id = local(&iri).to_string();
        let n = graph.add_node(Node {
            iri: iri.clone(),
            label: id.clone(),
            id,
            kind: kind.to_string(),
            merged: Vec::new(),
        });
        index.insert(iri, n);
    }
    // Members in IRI order, so that each node lists them in that order.
    let mut merged: HashMap<String, (NodeIndex, usize)> = HashMap::with_capacity(members.len());
    for iri in members {
        let n = index[&merged_into[&iri]];
        let id = local(&iri).to_string();
        merged.insert(iri.clone(), (n, graph[n].merged.len()));
        graph[n].merged.push(Merged {
            iri,
            label: id.clone(),
            id,
        });
    }
    name_entities(store, &mut graph, &index, &merged)?;
    for (iri, (n, _)) in merged {
        index.insert(iri, n);
    }
    Ok((graph, index))
}

/// Each entity the identity graph merges into another, and that other.
pub(crate) fn merged_into(store: &Store) -> Result<HashMap<String, String>, GraphError> {
    let mut out = HashMap::new();
    each_row(
        store,
        &format!(
            "SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?g a <{}> . ?s <{}> ?o FILTER(isIRI(?s) && isIRI(?o)) }} }}",
            vocab::IDENTITIES,
            vocab::OWL_SAME_AS
        ),
        &[Column::Iri, Column::Iri],
        |row| {
            if let (Some(Term::NamedNode(s)), Some(Term::NamedNode(o))) = (&row[0], &row[1]) {
                out.insert(s.as_str().to_string(), o.as_str().to_string());
            }
        },
    )?;
    Ok(out)
}

/// Sets the ids and labels of the nodes and of the entities merged into them.
fn name_entities(
    store: &Store,
    graph: &mut DiGraph<Node, Edge>,
    index: &HashMap<String, NodeIndex>,
    merged: &HashMap<String, (NodeIndex, usize)>,
) -> Result<(), GraphError> {
    each_pair(store, vocab::ENTITY_ID, Column::Text, "", |e, id| {
        if let Some(&n) = index.get(e) {
            graph[n].id = id.to_string();
        } else if let Some(&(n, m)) = merged.get(e) {
            graph[n].merged[m].id = id.to_string();
        }
    })?;
    // An English label wins over one in no language, which wins over the id.
    let mut rank = vec![0u8; graph.node_count()];
    let mut merged_rank = vec![0u8; merged.len()];
    let mut merged_at: HashMap<(NodeIndex, usize), usize> = HashMap::new();
    each_name(store, vocab::RDFS_LABEL, ENGLISH, |e, label, language| {
        let this = if language.is_some() { 2 } else { 1 };
        if let Some(&n) = index.get(e) {
            if this > rank[n.index()] {
                rank[n.index()] = this;
                graph[n].label = label.to_string();
            }
        } else if let Some(&(n, m)) = merged.get(e) {
            let next = merged_at.len();
            let r = &mut merged_rank[*merged_at.entry((n, m)).or_insert(next)];
            if this > *r {
                *r = this;
                graph[n].merged[m].label = label.to_string();
            }
        }
    })?;
    Ok(())
}

/// The IRIs of the relationships of the kinds `filter` keeps, in IRI order.
fn relationship_iris(
    store: &Store,
    filter: &Filter,
) -> Result<Vec<(String, RelationshipKind)>, GraphError> {
    // Relationships, in IRI order, by kind.
    let mut iris: Vec<(String, RelationshipKind)> = Vec::new();
    for kind in RelationshipKind::ALL {
        if !filter.keeps_kind(*kind) {
            continue;
        }
        each_typed(store, kind.term(), |r| iris.push((r.to_string(), *kind)))?;
    }
    iris.sort();
    iris.dedup_by(|a, b| a.0 == b.0);
    Ok(iris)
}

/// The attributes of the relationships at `at`, one [`Partial`] each.
fn read_relationships(
    store: &Store,
    at: &HashMap<&str, usize>,
) -> Result<Vec<Partial>, GraphError> {
    // Each attribute in a column of its own, filled by its own scan; the
    // scans are independent (an index scan, and a store lookup per term
    // read), so they run on every core.
    let n = at.len();
    let mut ids = vec![None; n];
    let mut subjects = vec![None; n];
    let mut objects = vec![None; n];
    let mut bounds: [Vec<Option<chrono::NaiveDate>>; 4] = std::array::from_fn(|_| vec![None; n]);
    let mut edtfs = vec![None; n];
    let mut statuses = vec![None; n];
    let mut labels = vec![None; n];
    let mut roles = vec![None; n];
    {
        let [start_earliest, start_latest, end_earliest, end_latest] = &mut bounds;
        run_scans(vec![
            column_scan(store, at, vocab::RELATIONSHIP_ID, "", &mut ids, TEXT),
            column_scan(store, at, vocab::SUBJECT, "", &mut subjects, IRI),
            column_scan(store, at, vocab::OBJECT, "", &mut objects, IRI),
            column_scan(store, at, vocab::START.earliest, "", start_earliest, DATE),
            column_scan(store, at, vocab::START.latest, "", start_latest, DATE),
            column_scan(store, at, vocab::END.earliest, "", end_earliest, DATE),
            column_scan(store, at, vocab::END.latest, "", end_latest, DATE),
            column_scan(store, at, vocab::EDTF, "", &mut edtfs, TEXT),
            column_scan(
                store,
                at,
                vocab::CLAIM_STATUS,
                "",
                &mut statuses,
                Reading {
                    object: Column::Iri,
                    convert: |o| ClaimStatus::from_term(local(o)),
                },
            ),
            column_scan(store, at, vocab::RDFS_LABEL, ENGLISH, &mut labels, TEXT),
            column_scan(store, at, vocab::ROLE, ENGLISH, &mut roles, TEXT),
        ])?;
    }
    Ok((0..n)
        .map(|i| Partial {
            id: ids[i].take(),
            subject: subjects[i].take(),
            object: objects[i].take(),
            bounds: std::array::from_fn(|b| bounds[b][i]),
            edtf: edtfs[i].take(),
            status: statuses[i],
            label: labels[i].take(),
            role: roles[i].take(),
            evidence: Vec::new(),
            public_by: None,
        })
        .collect())
}

/// The evidence of the relationships at `at`, added to their [`Partial`]s.
fn read_evidence(
    store: &Store,
    at: &HashMap<&str, usize>,
    parts: &mut [Partial],
) -> Result<(), GraphError> {
    // Evidence: the words, the source they are in, whom they attribute it
    // to. First which evidence nodes belong to which relationship, and
    // every title; then, per evidence node, its quote, source and
    // attribution, each a column as above.
    let mut evidence_pairs: Vec<(String, usize)> = Vec::new();
    let mut titles: HashMap<String, String> = HashMap::new();
    let mut published: HashMap<String, chrono::NaiveDate> = HashMap::new();
    {
        let (pairs, titles, published) = (&mut evidence_pairs, &mut titles, &mut published);
        run_scans(vec![
            Box::new(move || {
                each_pair(store, vocab::PUBLISHED.latest, Column::Text, "", |s, o| {
                    if let Some(day) = vocab::read_date_bound(o) {
                        published.insert(s.to_string(), day);
                    }
                })
            }),
            Box::new(move || {
                each_pair(store, vocab::EVIDENCE, Column::Iri, "", |r, ev| {
                    if let Some(&i) = at.get(r) {
                        pairs.push((ev.to_string(), i));
                    }
                })
            }),
            Box::new(move || {
                each_pair(store, vocab::DCTERMS_TITLE, Column::Text, "", |s, t| {
                    titles.entry(s.to_string()).or_insert_with(|| t.to_string());
                })
            }),
        ])?;
    }
    // An evidence node named by two relationships belongs to the last one read.
    let evidence_of: HashMap<String, usize> = evidence_pairs.into_iter().collect();
    let mut evidence_nodes: Vec<(&str, usize)> = evidence_of
        .iter()
        .map(|(ev, &i)| (ev.as_str(), i))
        .collect();
    evidence_nodes.sort_unstable();
    let node_at: HashMap<&str, usize> = evidence_nodes
        .iter()
        .enumerate()
        .map(|(e, (ev, _))| (*ev, e))
        .collect();
    let m = evidence_nodes.len();
    let mut quotes = vec![None; m];
    let mut sources = vec![None; m];
    let mut attributions = vec![None; m];
    run_scans(vec![
        column_scan(store, &node_at, vocab::QUOTE, "", &mut quotes, TEXT),
        column_scan(store, &node_at, vocab::SOURCE, "", &mut sources, IRI),
        column_scan(
            store,
            &node_at,
            vocab::ATTRIBUTED_TO,
            "",
            &mut attributions,
            IRI,
        ),
    ])?;
    let title = |iri: Option<String>| iri.and_then(|iri| titles.get(&iri).cloned());
    for (e, (_, i)) in evidence_nodes.iter().enumerate() {
        // Public once the source the quote is in, or the one it attributes
        // the claim to, was published.
        let public = [&sources[e], &attributions[e]]
            .into_iter()
            .filter_map(|s| published.get(s.as_ref()?).copied())
            .min();
        if let Some(day) = public {
            let by = &mut parts[*i].public_by;
            *by = Some(by.map_or(day, |b| b.min(day)));
        }
        if let (Some(quote), Some(source)) = (quotes[e].take(), title(sources[e].take())) {
            parts[*i].evidence.push(EvidenceRef {
                source,
                attributed_to: title(attributions[e].take()),
                quote,
            });
        }
    }
    Ok(())
}

impl Partial {
    /// The edge, when the relationship has all four bounds and they make an interval.
    fn into_edge(self, iri: &str, kind: RelationshipKind) -> Option<Edge> {
        let [Some(se), Some(sl), Some(ee), Some(el)] = self.bounds else {
            return None;
        };
        let interval = Interval::new(DateRange::new(se, sl)?, DateRange::new(ee, el)?)?;
        Some(Edge {
            id: self.id.unwrap_or_else(|| local(iri).to_string()),
            kind,
            interval,
            time: self.edtf,
            status: self.status.unwrap_or(ClaimStatus::Reported),
            label: self.label,
            role: self.role,
            evidence: self.evidence,
            public_by: self.public_by,
        })
    }
}

impl Projection {
    /// Builds the projection of everything in the store that `filter` keeps.
    ///
    /// It is read by SPARQL, one triple pattern at a time (each an index
    /// scan in Oxigraph), and joined here: a single query joining a dozen
    /// patterns with OPTIONALs is far slower at a million relationships.
    pub fn build(store: &Store, filter: &Filter) -> Result<Projection, GraphError> {
        let (mut graph, index) = read_entities(store)?;
        let iris = relationship_iris(store, filter)?;
        let at: HashMap<&str, usize> = iris
            .iter()
            .enumerate()
            .map(|(i, (iri, _))| (iri.as_str(), i))
            .collect();
        let mut parts = read_relationships(store, &at)?;
        read_evidence(store, &at, &mut parts)?;
        let mut undated_left_out = 0;
        for ((iri, kind), p) in iris.iter().zip(parts) {
            let (Some(&s), Some(&o)) = (
                p.subject.as_deref().and_then(|s| index.get(s)),
                p.object.as_deref().and_then(|o| index.get(o)),
            ) else {
                continue;
            };
            let Some(edge) = p.into_edge(iri, *kind) else {
                continue;
            };
            if filter.keeps(&edge) {
                graph.add_edge(s, o, edge);
            } else if filter.undated_out(&edge) {
                undated_left_out += 1;
            }
        }
        if !filter.keeps_everything() {
            if filter.is_snapshot() {
                // A snapshot holds the entities tied at that time, not everyone ever seen.
                graph.retain_nodes(|g, n| g.neighbors_undirected(n).next().is_some());
            }
            let mut snapshot = Projection::from_graph(graph);
            snapshot.undated_left_out = undated_left_out;
            return Ok(snapshot);
        }
        Ok(Projection {
            graph,
            index,
            undated_left_out,
        })
    }

    /// What [`Projection::build`] gives with `filter`, derived from this
    /// projection (built with the default filter) without reading the store
    /// again: the same nodes and edges, in the same order.
    pub fn filtered(&self, filter: &Filter) -> Projection {
        if filter.keeps_everything() {
            return self.clone();
        }
        let mut graph = self.graph.filter_map(
            |_, node| Some(node.clone()),
            |_, edge| filter.keeps(edge).then(|| edge.clone()),
        );
        // As in `build`: a snapshot holds the entities tied at that time.
        if filter.is_snapshot() {
            graph.retain_nodes(|g, n| g.neighbors_undirected(n).next().is_some());
        }
        let mut snapshot = Projection::from_graph(graph);
        snapshot.undated_left_out = self
            .graph
            .edge_weights()
            .filter(|e| filter.undated_out(e))
            .count();
        snapshot
    }

    /// The part of this projection between the entities whose ids are
    /// `ids`: those entities and every relationship among them.
    pub fn restricted_to(&self, ids: &std::collections::HashSet<String>) -> Projection {
        let graph = self.graph.filter_map(
            |_, node| ids.contains(&node.id).then(|| node.clone()),
            |_, edge| Some(edge.clone()),
        );
        Projection::from_graph(graph)
    }

    /// A projection of a graph built elsewhere (a generator, a test):
    /// entities are found by their IRI and id as in a built one.
    pub fn from_graph(graph: DiGraph<Node, Edge>) -> Projection {
        let index = graph
            .node_indices()
            .flat_map(|n| {
                let merged = graph[n].merged.iter().map(move |m| (m.iri.clone(), n));
                std::iter::once((graph[n].iri.clone(), n)).chain(merged)
            })
            .collect();
        Projection {
            graph,
            index,
            undated_left_out: 0,
        }
    }

    /// The node of the entity with this id (or IRI), or of the one it is
    /// merged into.
    pub fn node(&self, id_or_iri: &str) -> Option<NodeIndex> {
        self.index.get(id_or_iri).copied().or_else(|| {
            self.graph.node_indices().find(|n| {
                let node = &self.graph[*n];
                node.id == id_or_iri || node.merged.iter().any(|m| m.id == id_or_iri)
            })
        })
    }
}
