//! One source as an investigator's page shows it: what it is (title,
//! publisher, date, address) and every claim it supports, a page at a
//! time: each relationship told as a sentence, with the words the source
//! gives for it (an article's quote, a register's row) and where they are.
//!
//! Read straight from the store by SPARQL, as the entity page is: a
//! register of a million rows is one source, so its claims come in pages.

use crate::GraphError;
use crate::entity::{SourceRef, describe, source_ref};
use crate::projection::{local, select, text};
use interlock_model::kinds::RelationshipKind;
use interlock_model::sentence::{Moment, relationship_sentence};
use interlock_model::{ClaimStatus, vocab};
use oxigraph::model::{Literal, NamedNode};
use std::collections::HashSet;

/// A party of a claim.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Party {
    /// Its id.
    pub id: String,
    /// Its English label, or its id.
    pub label: String,
}

/// One claim a source supports.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct SourceClaim {
    /// The relationship's id.
    pub id: String,
    /// What kind of tie it is.
    pub kind: RelationshipKind,
    /// The claim told as a sentence naming both parties ("Leif Arne Langøy
    /// sits on the board of Aker ASA").
    pub sentence: String,
    /// The subject.
    pub subject: Party,
    /// The object.
    pub object: Party,
    /// Its time in words (`2009-02 to 2009-10`); `null`: the date is unknown.
    pub when: Option<String>,
    /// How sure the sources are.
    pub status: ClaimStatus,
    /// The words this source gives for it, verbatim (a register's row).
    pub quote: Option<String>,
    /// Where in the source they are (`board_seats.csv line 368`).
    pub location: Option<String>,
}

/// A source's page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct SourcePage {
    /// The source.
    pub source: SourceRef,
    /// Its IRI.
    pub iri: String,
    /// How many relationships it supports in all (quoted in it, or
    /// attributed to it); the events it dates are on the timeline.
    pub claims_total: usize,
    /// Where this page of claims starts (from 0), in the order of their ids.
    pub offset: usize,
    /// The claims of this page.
    pub claims: Vec<SourceClaim>,
}

/// The IRI of the source with this id (its IRI's last segment) or IRI, if
/// the store has one.
pub fn source_iri(
    store: &interlock_store::Store,
    id_or_iri: &str,
) -> Result<Option<String>, GraphError> {
    let class = vocab::SOURCE_CLASS;
    let by_iri = NamedNode::new(id_or_iri)
        .map(|n| format!("{{ BIND({n} AS ?s) ?s a <{class}> }} UNION"))
        .unwrap_or_default();
    let suffix = Literal::new_simple_literal(format!("/source/{id_or_iri}"));
    let rows = select(
        store,
        &format!(
            "SELECT ?s WHERE {{ {by_iri} {{ ?s a <{class}> FILTER(STRENDS(STR(?s), {suffix})) }} }} LIMIT 1"
        ),
    )?;
    Ok(rows.first().and_then(|r| text(r[0].as_ref())))
}

/// The page of the source at `iri`: what it is, how many claims it
/// supports, and `limit` of them from `offset` in the order of their IRIs.
pub fn source_page(
    store: &interlock_store::Store,
    iri: &str,
    offset: usize,
    limit: usize,
) -> Result<SourcePage, GraphError> {
    let node = NamedNode::new(iri).map_err(|e| GraphError::Query(e.to_string()))?;
    // Everything said of the source, read once, as the entity page reads
    // the sources of its evidence.
    let about = describe(store, &format!("BIND({node} AS ?s)"))?;
    let source = source_ref(iri, about.get(iri).map_or(&[], Vec::as_slice));
    let quoting = format!(
        "{{ ?ev <{}> {node} }} UNION {{ ?ev <{}> {node} }} ?r <{}> ?ev . ?r a <{}> .",
        vocab::SOURCE,
        vocab::ATTRIBUTED_TO,
        vocab::EVIDENCE,
        vocab::RELATIONSHIP
    );
    let total = select(
        store,
        &format!("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {quoting} }}"),
    )?;
    let claims_total = total
        .first()
        .and_then(|r| text(r[0].as_ref()))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Ok(SourcePage {
        source,
        iri: iri.to_string(),
        claims_total,
        offset,
        claims: claims(store, &node, &quoting, offset, limit)?,
    })
}

/// The claims of one page: the relationships `quoting` binds to `?r`, in
/// the order of their IRIs, each once.
fn claims(
    store: &interlock_store::Store,
    node: &NamedNode,
    quoting: &str,
    offset: usize,
    limit: usize,
) -> Result<Vec<SourceClaim>, GraphError> {
    use vocab::{
        CLAIM_STATUS, EDTF, ENTITY_ID, EVIDENCE, LOCATION, OBJECT, QUOTE, RDFS_LABEL, RELATIONSHIP,
        RELATIONSHIP_ID, ROLE, SUBJECT,
    };
    let english = |v: &str| format!("FILTER(LANGMATCHES(LANG(?{v}), \"en\") || LANG(?{v}) = \"\")");
    let (source, attributed) = (vocab::SOURCE, vocab::ATTRIBUTED_TO);
    let rows = select(
        store,
        &format!(
            "SELECT ?id ?class ?status ?edtf ?role ?sid ?sl ?oid ?ol ?quote ?location WHERE {{
  {{ SELECT DISTINCT ?r WHERE {{ {quoting} }} ORDER BY ?r LIMIT {limit} OFFSET {offset} }}
  ?r <{RELATIONSHIP_ID}> ?id ; <{SUBJECT}> ?s ; <{OBJECT}> ?o .
  ?s <{ENTITY_ID}> ?sid . ?o <{ENTITY_ID}> ?oid .
  OPTIONAL {{ ?r a ?class FILTER(?class != <{RELATIONSHIP}>) }}
  OPTIONAL {{ ?r <{CLAIM_STATUS}> ?status }} OPTIONAL {{ ?r <{EDTF}> ?edtf }}
  OPTIONAL {{ ?r <{ROLE}> ?role {} }}
  OPTIONAL {{ ?s <{RDFS_LABEL}> ?sl {} }} OPTIONAL {{ ?o <{RDFS_LABEL}> ?ol {} }}
  OPTIONAL {{ ?r <{EVIDENCE}> ?here . {{ ?here <{source}> {node} }} UNION {{ ?here <{attributed}> {node} }}
             ?here <{QUOTE}> ?quote OPTIONAL {{ ?here <{LOCATION}> ?location }} }}
}} ORDER BY ?r",
            english("role"),
            english("sl"),
            english("ol"),
        ),
    )?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for row in rows {
        let get = |i: usize| text(row[i].as_ref());
        let Some(id) = get(0).filter(|id| seen.insert(id.clone())) else {
            continue;
        };
        let kind = get(1)
            .and_then(|k| RelationshipKind::from_term(local(&k)))
            .unwrap_or(RelationshipKind::UnknownLink);
        let party = |id: usize, label: usize| {
            let id = get(id).unwrap_or_default();
            Party {
                label: get(label).unwrap_or_else(|| id.clone()),
                id,
            }
        };
        let (subject, object) = (party(5, 6), party(7, 8));
        out.push(SourceClaim {
            sentence: relationship_sentence(
                kind,
                Moment::Held,
                &subject.label,
                &object.label,
                get(4).as_deref(),
            ),
            id,
            kind,
            subject,
            object,
            when: get(3)
                .as_deref()
                .and_then(|t| interlock_model::time::Edtf::parse(t).ok())
                .map(|t| t.describe()),
            status: get(2)
                .and_then(|s| ClaimStatus::from_term(local(&s)))
                .unwrap_or(ClaimStatus::Reported),
            quote: get(9),
            location: get(10),
        });
    }
    Ok(out)
}
