//! What identity is derived from: identifiers that name one thing, which
//! entities exist, people's decisions; read from a load's quads as they
//! stream and from the store by SPARQL.

use crate::resolve::DecisionFact;
use interlock_model::vocab;
use interlock_store::{QueryRequest, Store, StoreError};
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::QueryResults;
use std::collections::{BTreeMap, HashSet};

/// The facts identity is derived from, each with the graph it is in.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// `(graph, entity, scheme:value)` for the [`vocab::IDENTIFYING_SCHEMES`].
    pub(crate) identifiers: Vec<(String, String, String)>,
    /// Entities typed `il:Entity`.
    pub(crate) entities: HashSet<String>,
    /// Decisions by IRI, with the graph each is in.
    pub(crate) decisions: BTreeMap<String, (String, DecisionFact)>,
}

impl Facts {
    /// Takes what matters of one quad.
    pub(crate) fn see(&mut self, graph: &str, quad: &Quad) {
        let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
            return;
        };
        let subject = subject.as_str();
        match (quad.predicate.as_str(), &quad.object) {
            (vocab::RDF_TYPE, Term::NamedNode(class)) => match class.as_str() {
                vocab::ENTITY => {
                    self.entities.insert(subject.to_string());
                }
                vocab::SAME_DECISION | vocab::NOT_SAME_DECISION => {
                    self.decision(graph, subject).1.same = class.as_str() == vocab::SAME_DECISION;
                }
                _ => {}
            },
            (vocab::CONCERNS, Term::NamedNode(e)) => {
                self.decision(graph, subject)
                    .1
                    .entities
                    .push(e.as_str().to_string());
            }
            (vocab::DCTERMS_IDENTIFIER, Term::Literal(l)) => {
                if let Some(id) = identifying(l.value()) {
                    self.identifiers
                        .push((graph.to_string(), subject.to_string(), id));
                }
            }
            (vocab::SCHEMA_SAME_AS, Term::NamedNode(item)) => {
                if let Some(q) = item.as_str().strip_prefix(vocab::WIKIDATA_ENTITY) {
                    self.identifiers.push((
                        graph.to_string(),
                        subject.to_string(),
                        format!("wikidata:{q}"),
                    ));
                }
            }
            _ => {}
        }
    }

    fn decision(&mut self, graph: &str, iri: &str) -> &mut (String, DecisionFact) {
        self.decisions.entry(iri.to_string()).or_insert_with(|| {
            (
                graph.to_string(),
                DecisionFact {
                    iri: iri.to_string(),
                    same: false,
                    entities: Vec::new(),
                },
            )
        })
    }

    /// The identifiers and decisions of the store's graphs that `skip`
    /// does not name (those a load replaces), read by SPARQL.
    pub(crate) fn of_store(store: &Store, skip: &HashSet<String>) -> Result<Facts, StoreError> {
        let mut facts = Facts::default();
        let query = format!(
            "SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ <{}> <{}> <{}> }} }}",
            vocab::DCTERMS_IDENTIFIER,
            vocab::SCHEMA_SAME_AS,
            vocab::CONCERNS,
        );
        let decisions = format!(
            "SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES (?p ?o) {{ (<{t}> <{}>) (<{t}> <{}>) }} }}",
            vocab::SAME_DECISION,
            vocab::NOT_SAME_DECISION,
            t = vocab::RDF_TYPE,
        );
        for q in [query, decisions] {
            each_quad(store, &q, |quad, graph| {
                if !skip.contains(graph) {
                    facts.see(graph, &quad);
                }
            })?;
        }
        Ok(facts)
    }
}

/// `scheme:value` of an identifier whose scheme names one thing, with the
/// value as registers compare it (LEIs in capitals, no surrounding space).
fn identifying(identifier: &str) -> Option<String> {
    let (scheme, value) = identifier.split_once(':')?;
    if !vocab::IDENTIFYING_SCHEMES.contains(&scheme) {
        return None;
    }
    let value = value.trim();
    (!value.is_empty()).then(|| format!("{scheme}:{}", value.to_uppercase()))
}

/// Runs a SELECT of `?g ?s ?p ?o` and hands each row on as a quad and its graph.
pub(crate) fn each_quad(
    store: &Store,
    query: &str,
    mut row: impl FnMut(Quad, &str),
) -> Result<(), StoreError> {
    let QueryResults::Solutions(solutions) = store.query(&QueryRequest::new(query))? else {
        return Err(StoreError::Evaluation("expected solutions".into()));
    };
    for s in solutions {
        let s = s.map_err(|e| StoreError::Evaluation(e.to_string()))?;
        let values = s.values();
        if let (
            Some(Term::NamedNode(g)),
            Some(Term::NamedNode(subject)),
            Some(Term::NamedNode(p)),
            Some(o),
        ) = (&values[0], &values[1], &values[2], &values[3])
        {
            let quad = Quad::new(subject.clone(), p.clone(), o.clone(), g.clone());
            row(quad, g.as_str());
        }
    }
    Ok(())
}

/// The pairs of entities (IRIs) a decision in the store keeps apart.
pub fn decided_apart(store: &Store) -> Result<HashSet<(String, String)>, StoreError> {
    let query = format!(
        "SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?d a <{}> ; <{}> ?s, ?o }} BIND(<{}> AS ?p) FILTER(STR(?s) < STR(?o)) }}",
        vocab::NOT_SAME_DECISION,
        vocab::CONCERNS,
        vocab::CONCERNS,
    );
    let mut apart = HashSet::new();
    each_quad(store, &query, |quad, _| {
        if let (NamedOrBlankNode::NamedNode(a), Term::NamedNode(b)) = (&quad.subject, &quad.object)
        {
            apart.insert((a.as_str().to_string(), b.as_str().to_string()));
        }
    })?;
    Ok(apart)
}

/// Which of `entities` the store's graphs not in `skip` type `il:Entity`.
pub(crate) fn existing(
    store: &Store,
    entities: &[&str],
    skip: &HashSet<String>,
) -> Result<HashSet<String>, StoreError> {
    let mut found = HashSet::new();
    if entities.is_empty() {
        return Ok(found);
    }
    let values: String = entities.iter().map(|e| format!("<{e}> ")).collect();
    let query = format!(
        "SELECT ?g ?s ?p ?o WHERE {{ VALUES ?s {{ {values}}} BIND(<{}> AS ?p) BIND(<{}> AS ?o) GRAPH ?g {{ ?s ?p ?o }} }}",
        vocab::RDF_TYPE,
        vocab::ENTITY
    );
    each_quad(store, &query, |quad, graph| {
        if let (false, NamedOrBlankNode::NamedNode(e)) = (skip.contains(graph), &quad.subject) {
            found.insert(e.as_str().to_string());
        }
    })?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn only_schemes_that_name_one_thing_identify() {
        for (identifier, expected) in [
            ("wikidata:Q380", Some("wikidata:Q380")),
            ("lei:5493001kjtiigc8y1r12", Some("lei:5493001KJTIIGC8Y1R12")),
            ("orgnr: 981276957 ", Some("orgnr:981276957")),
            ("registration:12345", None),
            ("ftm:meta-platforms", None),
            ("country:us", None),
            ("orgnr:", None),
            ("no scheme", None),
        ] {
            assert_eq!(identifying(identifier).as_deref(), expected, "{identifier}");
        }
    }

    #[test]
    fn a_loads_quads_give_identifiers_entities_and_decisions() {
        let g = "https://example.org/graph/d";
        let quad = |s: &str, p: &str, o: Term| {
            Quad::new(
                NamedNode::new_unchecked(s),
                NamedNode::new_unchecked(p),
                o,
                NamedNode::new_unchecked(g),
            )
        };
        let iri = |i: &str| Term::NamedNode(NamedNode::new_unchecked(i));
        let mut facts = Facts::default();
        for q in [
            quad("urn:e:fb", vocab::RDF_TYPE, iri(vocab::ENTITY)),
            quad(
                "urn:e:fb",
                vocab::SCHEMA_SAME_AS,
                iri("http://www.wikidata.org/entity/Q380"),
            ),
            quad(
                "urn:e:fb",
                vocab::DCTERMS_IDENTIFIER,
                Literal::new_simple_literal("lei:x1").into(),
            ),
            quad(
                "urn:e:fb",
                vocab::RDFS_LABEL,
                Literal::new_simple_literal("Facebook").into(),
            ),
            quad("urn:d:1", vocab::RDF_TYPE, iri(vocab::NOT_SAME_DECISION)),
            quad("urn:d:1", vocab::CONCERNS, iri("urn:e:fb")),
            quad("urn:d:1", vocab::CONCERNS, iri("urn:e:meta")),
        ] {
            facts.see(g, &q);
        }
        assert_eq!(
            facts.identifiers,
            [
                (
                    g.to_string(),
                    "urn:e:fb".to_string(),
                    "wikidata:Q380".to_string()
                ),
                (g.to_string(), "urn:e:fb".to_string(), "lei:X1".to_string()),
            ]
        );
        assert_eq!(facts.entities, HashSet::from(["urn:e:fb".to_string()]));
        let (graph, decision) = &facts.decisions["urn:d:1"];
        assert_eq!(graph, g);
        assert!(!decision.same);
        assert_eq!(decision.entities, ["urn:e:fb", "urn:e:meta"]);
    }
}
