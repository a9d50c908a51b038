//! The timeline: events and the starts and ends of relationships in date
//! order, each date as stated ("2013-08", "by 2013", "~2019-01"), with sources.

use crate::GraphError;
use crate::projection::{select, text};
use interlock_model::kinds::RelationshipKind;
use interlock_model::sentence::{Moment, relationship_sentence};
use interlock_model::time::{DateExpr, DateRange};
use interlock_model::vocab;
use std::collections::BTreeMap;

/// One dated entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Entry {
    /// The date as stated, for people (`2013-08`, `by 2013`, `~2019-01`), or `date unknown`.
    pub date: String,
    /// The EDTF text, when dated.
    pub edtf: Option<String>,
    /// `start` or `end` (of a relationship), `undated` (a relationship with no date), or `event`.
    pub what: String,
    /// The relationship's or event's id.
    pub id: String,
    /// Its English label.
    pub label: String,
    /// The relationship told as a sentence naming both parties and the
    /// role at this moment ("Leif Arne Langøy joins the board of Aker
    /// ASA"); an event's label.
    pub sentence: String,
    /// How sure the sources are.
    pub status: String,
    /// The sources its evidence quotes, or attributes it to.
    pub sources: Vec<String>,
    /// The first day the date may be (null: unbounded, or undated).
    pub earliest: Option<String>,
    /// The last day the date may be (null: unbounded, or undated).
    pub latest: Option<String>,
    /// Record time: the first day it was surely public, the last day on
    /// which the earliest source supporting it (the one a quote is in, or
    /// the one it attributes the claim to) may have been published; null
    /// when no such source has a date.
    pub public_by: Option<String>,
    #[serde(skip)]
    range: Option<DateRange>,
}

/// Which entries a timeline shows.
#[derive(Debug, Clone, Default)]
pub struct TimelineFilter {
    /// Only entries about these entities (ids); all when empty.
    pub entities: Vec<String>,
    /// Only entries that may fall in this window; undated ones are kept only without a window.
    pub window: Option<DateRange>,
    /// Only the claims a source had surely published by this day.
    pub known_by: Option<chrono::NaiveDate>,
}

/// A timeline: its entries, and with `known_by`, how many relationships
/// and events it left out because none of their sources has a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The entries, in date order, undated ones last.
    pub entries: Vec<Entry>,
    /// Relationships and events left out for want of a dated source.
    pub undated_left_out: usize,
}

/// The query: relationships and events with their stated dates, status,
/// English label and sources, every term from [`vocab`]; only those with
/// one of `entities` (ids) as a party when any are given, so that a
/// timeline of one entity reads only its items.
fn query(entities: &[String]) -> String {
    use vocab::{
        ATTRIBUTED_TO, CLAIM_STATUS, DCTERMS_TITLE, EDTF, ENTITY_ID, EVENT, EVENT_ID, EVIDENCE,
        OBJECT, PARTICIPANT, RDFS_LABEL, RELATIONSHIP, RELATIONSHIP_ID, ROLE, SOURCE, SUBJECT,
    };
    let published = vocab::PUBLISHED.latest;
    let (start, end) = (vocab::START.edtf, vocab::END.edtf);
    let only = match entities {
        [] => String::new(),
        ids => {
            let ids: Vec<String> = ids
                .iter()
                .map(|id| oxigraph::model::Literal::new_simple_literal(id).to_string())
                .collect();
            // A sub-query, which Oxigraph evaluates first: the items of
            // these entities, before any pattern over every item.
            format!(
                "{{ SELECT DISTINCT ?item WHERE {{ VALUES ?wanted {{ {} }} ?e <{ENTITY_ID}> ?wanted . \
                 {{ ?item <{SUBJECT}> ?e }} UNION {{ ?item <{OBJECT}> ?e }} UNION {{ ?item <{PARTICIPANT}> ?e }} }} }}",
                ids.join(" ")
            )
        }
    };
    format!(
        "SELECT ?item ?id ?kind ?startEdtf ?endEdtf ?edtf ?status (SAMPLE(?l) AS ?label)
       (GROUP_CONCAT(DISTINCT ?party; separator=\" \") AS ?parties)
       (GROUP_CONCAT(DISTINCT ?source; separator=\"\\u001f\") AS ?sources)
       (MIN(?published) AS ?publicBy) (SAMPLE(?class) AS ?kindClass) (SAMPLE(?r) AS ?role)
       (SAMPLE(?sl) AS ?subjectLabel) (SAMPLE(?ol) AS ?objectLabel) (SAMPLE(?sid) AS ?subjectId) (SAMPLE(?oid) AS ?objectId)
WHERE {{
  {{ {only} ?item a <{RELATIONSHIP}> ; <{RELATIONSHIP_ID}> ?id . BIND(\"relationship\" AS ?kind)
    {{ ?item <{SUBJECT}>/<{ENTITY_ID}> ?party }} UNION {{ ?item <{OBJECT}>/<{ENTITY_ID}> ?party }}
    OPTIONAL {{ ?item <{start}> ?startEdtf }} OPTIONAL {{ ?item <{end}> ?endEdtf }}
    OPTIONAL {{ ?item a ?class FILTER(?class != <{RELATIONSHIP}>) }}
    OPTIONAL {{ ?item <{ROLE}> ?r FILTER(LANGMATCHES(LANG(?r), \"en\") || LANG(?r) = \"\") }}
    OPTIONAL {{ ?item <{SUBJECT}> ?s . ?s <{ENTITY_ID}> ?sid OPTIONAL {{ ?s <{RDFS_LABEL}> ?sl FILTER(LANGMATCHES(LANG(?sl), \"en\") || LANG(?sl) = \"\") }} }}
    OPTIONAL {{ ?item <{OBJECT}> ?o . ?o <{ENTITY_ID}> ?oid OPTIONAL {{ ?o <{RDFS_LABEL}> ?ol FILTER(LANGMATCHES(LANG(?ol), \"en\") || LANG(?ol) = \"\") }} }} }}
  UNION
  {{ {only} ?item a <{EVENT}> ; <{EVENT_ID}> ?id ; <{EDTF}> ?edtf . BIND(\"event\" AS ?kind)
    OPTIONAL {{ ?item <{PARTICIPANT}>/<{ENTITY_ID}> ?party }} }}
  OPTIONAL {{ ?item <{CLAIM_STATUS}> ?status }}
  OPTIONAL {{ ?item <{RDFS_LABEL}> ?l . FILTER(LANGMATCHES(LANG(?l), \"en\")) }}
  OPTIONAL {{ ?item <{EVIDENCE}> ?ev . {{ ?ev <{ATTRIBUTED_TO}>/<{DCTERMS_TITLE}> ?source }}
             UNION {{ ?ev <{SOURCE}>/<{DCTERMS_TITLE}> ?source . FILTER NOT EXISTS {{ ?ev <{ATTRIBUTED_TO}> ?a }} }} }}
  OPTIONAL {{ ?item <{EVIDENCE}> ?pev . {{ ?pev <{SOURCE}> ?ps }} UNION {{ ?pev <{ATTRIBUTED_TO}> ?ps }}
             ?ps <{published}> ?published }}
}}
GROUP BY ?item ?id ?kind ?startEdtf ?endEdtf ?edtf ?status"
    )
}

/// The ids of `ids`' entities and of every entity merged with one of them
/// (the identity graph), sorted.
fn with_merged(store: &interlock_store::Store, ids: &[String]) -> Result<Vec<String>, GraphError> {
    let merged = crate::projection::merged_into(store)?;
    if ids.is_empty() || merged.is_empty() {
        return Ok(ids.to_vec());
    }
    let literals = |ids: &[String]| -> String {
        ids.iter()
            .map(|id| oxigraph::model::Literal::new_simple_literal(id).to_string() + " ")
            .collect()
    };
    let iris = select(
        store,
        &format!(
            "SELECT DISTINCT ?e WHERE {{ VALUES ?id {{ {}}} ?e <{}> ?id }}",
            literals(ids),
            vocab::ENTITY_ID
        ),
    )?;
    let canonical: Vec<String> = iris
        .iter()
        .filter_map(|r| text(r[0].as_ref()))
        .map(|e| merged.get(&e).cloned().unwrap_or(e))
        .collect();
    let members: String = merged
        .iter()
        .filter(|(_, c)| canonical.contains(c))
        .map(|(m, _)| m)
        .chain(&canonical)
        .map(|e| format!("<{e}> "))
        .collect();
    let rows = select(
        store,
        &format!(
            "SELECT DISTINCT ?id WHERE {{ VALUES ?e {{ {members}}} ?e <{}> ?id }}",
            vocab::ENTITY_ID
        ),
    )?;
    let mut out: Vec<String> = ids.to_vec();
    out.extend(rows.iter().filter_map(|r| text(r[0].as_ref())));
    out.sort();
    out.dedup();
    Ok(out)
}

/// A relationship row of [`query`] told at `moment`, when its kind and
/// both parties are known; a party without a name is called by its id.
fn told(row: &[Option<oxigraph::model::Term>], moment: Moment) -> Option<String> {
    let get = |i: usize| text(row[i].as_ref());
    let kind = get(11)?;
    let kind = RelationshipKind::from_term(kind.strip_prefix(vocab::IL)?)?;
    let subject = get(13).or_else(|| get(15))?;
    let object = get(14).or_else(|| get(16))?;
    Some(relationship_sentence(
        kind,
        moment,
        &subject,
        &object,
        get(12).as_deref(),
    ))
}

fn dated(text: &str) -> Option<(String, DateRange)> {
    let expr = DateExpr::parse(text).ok()?;
    Some((expr.describe(), expr.range()))
}

/// The entries `filter` keeps, in date order (by the earliest day each may
/// be; open-ended "by" dates by their latest), undated ones last.
pub fn timeline(
    store: &interlock_store::Store,
    filter: &TimelineFilter,
) -> Result<Timeline, GraphError> {
    let mut entries = Vec::new();
    let wanted = with_merged(store, &filter.entities)?;
    for row in select(store, &query(&wanted))? {
        let get = |i: usize| text(row[i].as_ref());
        let parties: Vec<String> = get(8)
            .unwrap_or_default()
            .split(' ')
            .map(str::to_string)
            .collect();
        if !wanted.is_empty() && !wanted.iter().any(|e| parties.contains(e)) {
            continue;
        }
        let mut sources: Vec<String> = get(9)
            .unwrap_or_default()
            .split('\u{1f}')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        sources.sort();
        let id = get(1).unwrap_or_default();
        let label = get(7).unwrap_or_default();
        let told = |moment| told(&row, moment).unwrap_or_else(|| label.clone());
        let base = Entry {
            date: "date unknown".into(),
            edtf: None,
            what: String::new(),
            sentence: label.clone(),
            id,
            label: label.clone(),
            status: get(6)
                .map(|s| s.rsplit('#').next().unwrap_or("").to_lowercase())
                .unwrap_or_default(),
            sources,
            earliest: None,
            latest: None,
            public_by: get(10),
            range: None,
        };
        let mut add = |what: &str, sentence: String, stated: Option<String>| {
            let dated_value = stated.as_deref().and_then(dated);
            entries.push(Entry {
                what: what.into(),
                sentence,
                date: dated_value
                    .as_ref()
                    .map_or("date unknown".into(), |d| d.0.clone()),
                edtf: stated.filter(|_| dated_value.is_some()),
                earliest: dated_value
                    .as_ref()
                    .and_then(|d| d.1.earliest_bound())
                    .map(|d| d.to_string()),
                latest: dated_value
                    .as_ref()
                    .and_then(|d| d.1.latest_bound())
                    .map(|d| d.to_string()),
                range: dated_value.map(|d| d.1),
                ..base.clone()
            });
        };
        if get(2).as_deref() == Some("event") {
            add("event", label.clone(), get(5));
        } else {
            let (start, end) = (get(3), get(4));
            if start.is_none() && end.is_none() {
                add("undated", told(Moment::Held), None);
            }
            if start.is_some() {
                add("start", told(Moment::Start), start);
            }
            if end.is_some() {
                add("end", told(Moment::End), end);
            }
        }
    }
    entries.retain(|e| match (&filter.window, &e.range) {
        (None, _) => true,
        (Some(w), Some(r)) => r.earliest <= w.latest && r.latest >= w.earliest,
        (Some(_), None) => false,
    });
    let mut undated: Vec<&str> = Vec::new();
    if filter.known_by.is_some() {
        undated = entries
            .iter()
            .filter(|e| e.public_by.is_none())
            .map(|e| e.id.as_str())
            .collect();
        undated.sort_unstable();
        undated.dedup();
    }
    let undated_left_out = undated.len();
    if let Some(day) = filter.known_by {
        entries.retain(|e| {
            e.public_by
                .as_deref()
                .and_then(vocab::read_date_bound)
                .is_some_and(|p| p <= day)
        });
    }
    let key = |e: &Entry| match e.range {
        None => (1, chrono::NaiveDate::MAX),
        Some(r) if r.earliest_bound().is_none() => (0, r.latest),
        Some(r) => (0, r.earliest),
    };
    let order = BTreeMap::from([("start", 0), ("event", 1), ("end", 2), ("undated", 3)]);
    entries.sort_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then(order[a.what.as_str()].cmp(&order[b.what.as_str()]))
            .then(a.label.cmp(&b.label))
            // A total order: the same store answers in the same order
            // wherever it is kept (a remote store returns rows in its own order).
            .then(a.sentence.cmp(&b.sentence))
            .then(a.id.cmp(&b.id))
    });
    Ok(Timeline {
        entries,
        undated_left_out,
    })
}
