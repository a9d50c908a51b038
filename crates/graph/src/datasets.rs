//! The datasets a store holds, as a list to choose from: what each is
//! (title, licence, sources), how much it holds, the span of its dates, and
//! what its import read (rows, rejects by reason, ids with differing names).
//!
//! Read straight from the store by a few grouped SPARQL queries, so it
//! works on a remote store as on the embedded one and needs no projection.

use crate::GraphError;
use crate::projection::{local, select, text};
use interlock_model::vocab;
use std::collections::BTreeMap;

/// A source a dataset cites, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct DatasetSource {
    /// Its id (the IRI's last segment).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Where to read it.
    pub url: Option<String>,
}

/// One dataset: what it is, how much it holds, when its claims are dated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct DatasetSummary {
    /// Its id (the last segment of its graph's IRI).
    pub id: String,
    /// Its graph's IRI.
    pub graph: String,
    /// Its English title (or one without a language), when it has one.
    pub title: Option<String>,
    /// Its licence, as written.
    pub license: Option<String>,
    /// Its sources, by title (the first [`SOURCES_SHOWN`]).
    pub sources: Vec<DatasetSource>,
    /// How many sources it has in all.
    pub sources_total: usize,
    /// Entities it describes.
    pub entities: usize,
    /// Relationships it holds.
    pub relationships: usize,
    /// The first day any of its dates may be (ISO 8601), when any is bounded.
    pub earliest: Option<String>,
    /// The last day any of its dates may be (ISO 8601), when any is bounded.
    pub latest: Option<String>,
    /// What its import read (rows read, loaded, rejected by reason; counts;
    /// ids with differing names), for an imported dataset.
    pub report: Option<serde_json::Value>,
}

/// How many sources of a dataset the list names.
pub const SOURCES_SHOWN: usize = 10;

/// Every dataset of `store`, by id.
pub fn datasets(store: &interlock_store::Store) -> Result<Vec<DatasetSummary>, GraphError> {
    let mut found = described(store)?;
    for (graph, class, n) in counts(store)? {
        if let Some(d) = found.get_mut(&graph) {
            match class.as_str() {
                vocab::ENTITY => d.entities = n,
                vocab::RELATIONSHIP => d.relationships = n,
                _ => {}
            }
        }
    }
    for (graph, earliest, latest) in spans(store)? {
        if let Some(d) = found.get_mut(&graph) {
            (d.earliest, d.latest) = (earliest, latest);
        }
    }
    for (graph, source) in sources(store)? {
        if let Some(d) = found.get_mut(&graph) {
            d.sources_total += 1;
            if d.sources.len() < SOURCES_SHOWN {
                d.sources.push(source);
            }
        }
    }
    let mut out: Vec<DatasetSummary> = found.into_values().collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The datasets' own descriptions, by graph.
fn described(
    store: &interlock_store::Store,
) -> Result<BTreeMap<String, DatasetSummary>, GraphError> {
    let query = format!(
        "SELECT ?g ?title ?license ?report WHERE {{ GRAPH ?g {{ ?g a <{dataset}> .
           OPTIONAL {{ ?g <{title}> ?title FILTER(LANG(?title) = 'en' || LANG(?title) = '') }}
           OPTIONAL {{ ?g <{license}> ?license }}
           OPTIONAL {{ ?g <{report}> ?report }} }} }}",
        dataset = vocab::DATASET,
        title = vocab::DCTERMS_TITLE,
        license = format_args!("{}license", vocab::DCTERMS),
        report = vocab::IMPORT_REPORT,
    );
    let mut out = BTreeMap::new();
    for row in select(store, &query)? {
        let Some(graph) = text(row[0].as_ref()) else {
            continue;
        };
        let report = text(row[3].as_ref()).and_then(|r| serde_json::from_str(&r).ok());
        out.entry(graph.clone()).or_insert_with(|| DatasetSummary {
            id: local(&graph).to_string(),
            graph,
            title: text(row[1].as_ref()),
            license: text(row[2].as_ref()),
            sources: Vec::new(),
            sources_total: 0,
            entities: 0,
            relationships: 0,
            earliest: None,
            latest: None,
            report,
        });
    }
    Ok(out)
}

/// How many entities and relationships each graph types: (graph, class, count).
fn counts(store: &interlock_store::Store) -> Result<Vec<(String, String, usize)>, GraphError> {
    let query = format!(
        "SELECT ?g ?class (COUNT(?x) AS ?n) WHERE {{ VALUES ?class {{ <{}> <{}> }} GRAPH ?g {{ ?x a ?class }} }} GROUP BY ?g ?class",
        vocab::ENTITY,
        vocab::RELATIONSHIP
    );
    Ok(select(store, &query)?
        .into_iter()
        .filter_map(|row| {
            let n = text(row[2].as_ref())?.parse().ok()?;
            Some((text(row[0].as_ref())?, text(row[1].as_ref())?, n))
        })
        .collect())
}

/// A graph and the first and last bounded day of its dates.
type Span = (String, Option<String>, Option<String>);

/// The first and last bounded day of each graph's dates.
fn spans(store: &interlock_store::Store) -> Result<Vec<Span>, GraphError> {
    let terms = [vocab::START, vocab::END, vocab::EVENT_DATE]
        .iter()
        .flat_map(|t| [t.earliest, t.latest])
        .map(|t| format!("<{t}>"))
        .collect::<Vec<_>>()
        .join(" ");
    let query = format!(
        "SELECT ?g (MIN(STR(?d)) AS ?from) (MAX(STR(?d)) AS ?to) WHERE {{ VALUES ?p {{ {terms} }} GRAPH ?g {{ ?x ?p ?d }}
           FILTER(STR(?d) != '{}' && STR(?d) != '{}') }} GROUP BY ?g",
        vocab::UNBOUNDED_EARLIEST,
        vocab::UNBOUNDED_LATEST
    );
    Ok(select(store, &query)?
        .into_iter()
        .filter_map(|row| {
            Some((
                text(row[0].as_ref())?,
                text(row[1].as_ref()),
                text(row[2].as_ref()),
            ))
        })
        .collect())
}

/// Each graph's sources, by title.
fn sources(store: &interlock_store::Store) -> Result<Vec<(String, DatasetSource)>, GraphError> {
    let query = format!(
        "SELECT ?g ?s ?title ?url WHERE {{ GRAPH ?g {{ ?s a <{}> ; <{}> ?title OPTIONAL {{ ?s <{}> ?url }} }} }} ORDER BY ?g ?title",
        vocab::SOURCE_CLASS,
        vocab::DCTERMS_TITLE,
        vocab::SCHEMA_URL
    );
    let mut out: Vec<(String, DatasetSource)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for row in select(store, &query)? {
        let (Some(graph), Some(source), Some(title)) = (
            text(row[0].as_ref()),
            text(row[1].as_ref()),
            text(row[2].as_ref()),
        ) else {
            continue;
        };
        let id = local(&source).to_string();
        // A source with several titles (languages) or addresses is listed once.
        if !seen.insert((graph.clone(), id.clone())) {
            continue;
        }
        out.push((
            graph,
            DatasetSource {
                id,
                title,
                url: text(row[3].as_ref()),
            },
        ));
    }
    Ok(out)
}
