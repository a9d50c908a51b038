//! One entity as an investigator's page shows it: its names and
//! identifiers, and every relationship it was a party to with the four
//! bounds of its dates (so a bar can be drawn solid where it definitely held
//! and faded where it only possibly held) and its evidence, down to the
//! chain of sources each quote is attributed to.
//!
//! Read straight from the store by SPARQL, a few index lookups around one
//! entity: no projection is needed, so a page answers in milliseconds even
//! before the analyses' projection of a large store exists.

use crate::GraphError;
use crate::projection::{local, select, text};
use interlock_model::vocab;
use interlock_model::{ClaimStatus, RelationshipKind};
use oxigraph::model::{Literal, NamedNode, Term};
use std::collections::{BTreeMap, HashMap};

/// An identifier of an entity in another register.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Identifier {
    /// The register (`wikidata`, `lei`, `orgnr`, `url`, …).
    pub scheme: String,
    /// The identifier in it.
    pub value: String,
    /// Where to read it, when the register is on the web.
    pub url: Option<String>,
}

/// The other side of a relationship.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Counterpart {
    /// Its id.
    pub id: String,
    /// Its English label, or its id.
    pub label: String,
    /// Its kind's ontology term (`Company`, `Person`, …), when typed.
    pub kind: Option<String>,
}

/// A source as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct SourceRef {
    /// Its id (the IRI's last segment).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its kind's ontology term (`NewsArticle`, `CourtFiling`, …), when typed.
    pub kind: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published (EDTF).
    pub published: Option<String>,
    /// Where to read it.
    pub url: Option<String>,
}

/// The words of a source behind a relationship.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct EvidenceDetail {
    /// The quote, in its language.
    pub quote: String,
    /// The quote's language tag, when known.
    pub language: Option<String>,
    /// Its English gloss, when the quote is in another language.
    pub gloss: Option<String>,
    /// Where in the source it is.
    pub location: Option<String>,
    /// The chain of sources: the one the quote appears in, the one it
    /// attributes the claim to, and what that one cites in turn.
    pub chain: Vec<SourceRef>,
}

/// The four bounds of a relationship's dates, as ISO days; `null` where
/// unbounded (an open start or end). It definitely held from `start_latest`
/// to `end_earliest` (when that span is not empty) and possibly from
/// `start_earliest` to `end_latest`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Bounds {
    /// The first day it may have started.
    pub start_earliest: Option<String>,
    /// The last day it may have started.
    pub start_latest: Option<String>,
    /// The first day it may have ended.
    pub end_earliest: Option<String>,
    /// The last day it may have ended.
    pub end_latest: Option<String>,
}

/// One relationship of the entity.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Tie {
    /// The relationship's id.
    pub id: String,
    /// What kind of tie it is.
    pub kind: RelationshipKind,
    /// Its English label.
    pub label: Option<String>,
    /// The subject's role, in English.
    pub role: Option<String>,
    /// How sure the sources are.
    pub status: ClaimStatus,
    /// Whether the entity is the relationship's subject (else its object).
    pub subject: bool,
    /// The entity on the other side.
    pub counterpart: Counterpart,
    /// The time as written (EDTF); `null`: the date is unknown.
    pub time: Option<String>,
    /// The time in words (`at least 2011 to 2019`, `from 2013-08, end unknown`).
    pub when: Option<String>,
    /// The bounds of the time, when it is known.
    pub bounds: Option<Bounds>,
    /// The words that support it.
    pub evidence: Vec<EvidenceDetail>,
}

/// An entity's page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct EntityPage {
    /// Its id.
    pub id: String,
    /// Its IRI.
    pub iri: String,
    /// Its kind's ontology term (`Company`, `Person`, …).
    pub kind: Option<String>,
    /// Its English label, or its id.
    pub label: String,
    /// Its names by language tag (`""`: no language).
    pub names: BTreeMap<String, String>,
    /// Its other names.
    pub aliases: Vec<String>,
    /// What it is, in English.
    pub description: Option<String>,
    /// Its identifiers in other registers.
    pub identifiers: Vec<Identifier>,
    /// The datasets (named graphs' ids) that describe it.
    pub datasets: Vec<String>,
    /// When the identity graph makes several entities one (a shared
    /// identifier, a decision): each of them, this one first, with its name
    /// and the datasets that name it so; empty otherwise.
    pub merged_from: Vec<MergedFrom>,
    /// How many relationships it has in all.
    pub ties_total: usize,
    /// Its relationships, by counterpart label, then by start; at most the number asked for.
    pub ties: Vec<Tie>,
}

/// The IRI of the entity with this id (or IRI), if the store has one.
pub fn entity_iri(
    store: &interlock_store::Store,
    id_or_iri: &str,
) -> Result<Option<String>, GraphError> {
    let id = Literal::new_simple_literal(id_or_iri);
    let by_iri = NamedNode::new(id_or_iri)
        .map(|n| format!("UNION {{ BIND({n} AS ?e) ?e a <{}> }}", vocab::ENTITY))
        .unwrap_or_default();
    let rows = select(
        store,
        &format!(
            "SELECT ?e WHERE {{ {{ ?e <{}> {id} }} {by_iri} }} LIMIT 1",
            vocab::ENTITY_ID
        ),
    )?;
    Ok(rows.first().and_then(|r| text(r[0].as_ref())))
}

/// Everything said of each subject the pattern `where_` binds to `?s`:
/// `(subject, predicate, object)` rows grouped by subject.
type Described = HashMap<String, Vec<(String, Term)>>;

pub(crate) fn describe(
    store: &interlock_store::Store,
    where_: &str,
) -> Result<Described, GraphError> {
    let mut out: Described = HashMap::new();
    for row in select(
        store,
        &format!("SELECT DISTINCT ?s ?p ?o WHERE {{ {where_} ?s ?p ?o }}"),
    )? {
        if let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(o)) =
            (&row[0], &row[1], &row[2])
        {
            out.entry(s.as_str().to_string())
                .or_default()
                .push((p.as_str().to_string(), o.clone()));
        }
    }
    Ok(out)
}

/// The facts of one subject, read by predicate.
struct Facts<'a>(&'a [(String, Term)]);

impl Facts<'_> {
    fn all(&self, predicate: &str) -> impl Iterator<Item = &Term> {
        self.0
            .iter()
            .filter(move |(p, _)| p == predicate)
            .map(|(_, o)| o)
    }

    fn text(&self, predicate: &str) -> Option<String> {
        self.all(predicate).next().and_then(|o| text(Some(o)))
    }

    /// The English value of a predicate, else one in no language, else any.
    fn english(&self, predicate: &str) -> Option<String> {
        let rank = |o: &Term| match o {
            Term::Literal(l) if l.language() == Some("en") => 0,
            Term::Literal(l) if l.language().is_none() => 1,
            _ => 2,
        };
        self.all(predicate)
            .min_by_key(|o| rank(o))
            .and_then(|o| text(Some(o)))
    }

    /// The ontology class other than `generic` (the kind's term).
    fn kind(&self, generic: &str) -> Option<String> {
        self.all(vocab::RDF_TYPE)
            .filter_map(|o| match o {
                Term::NamedNode(n)
                    if n.as_str() != generic && n.as_str().starts_with(vocab::IL) =>
                {
                    Some(local(n.as_str()).to_string())
                }
                _ => None,
            })
            .min()
    }
}

/// One of the entities an entity page brings together.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct MergedFrom {
    /// Its id.
    pub id: String,
    /// Its IRI.
    pub iri: String,
    /// Its English label, or its id.
    pub label: String,
    /// The datasets that describe it.
    pub datasets: Vec<String>,
}

/// The entity `iri` is merged into (itself when none), and every entity
/// merged into that one, that one first, then in IRI order.
fn members(store: &interlock_store::Store, iri: &NamedNode) -> Result<Vec<String>, GraphError> {
    let identity = |pattern: &str| {
        format!(
            "SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?g a <{}> . {pattern} }} }} ORDER BY ?x",
            vocab::IDENTITIES
        )
    };
    let same = vocab::OWL_SAME_AS;
    let canonical = select(store, &identity(&format!("{iri} <{same}> ?x")))?
        .first()
        .and_then(|r| text(r[0].as_ref()))
        .unwrap_or_else(|| iri.as_str().to_string());
    let mut members = vec![canonical.clone()];
    let canonical_node = NamedNode::new_unchecked(canonical);
    for r in select(store, &identity(&format!("?x <{same}> {canonical_node}")))? {
        members.extend(text(r[0].as_ref()));
    }
    Ok(members)
}

/// `VALUES ?var { … }` of IRIs.
fn values(var: &str, iris: &[String]) -> String {
    let list: String = iris.iter().map(|i| format!("<{i}> ")).collect();
    format!("VALUES ?{var} {{ {list}}}")
}

/// Reads the page of the entity at `iri`, with at most `limit` of its
/// relationships (all of them are counted).
pub fn entity_page(
    store: &interlock_store::Store,
    iri: &str,
    limit: usize,
) -> Result<EntityPage, GraphError> {
    let node = NamedNode::new(iri).map_err(|e| GraphError::Query(e.to_string()))?;
    let members = members(store, &node)?;
    let iri = members[0].as_str();
    let own = describe(store, &values("s", &members))?;
    let facts_of = |m: &str| Facts(own.get(m).map_or(&[], Vec::as_slice));
    let facts = facts_of(iri);
    let mut names = BTreeMap::new();
    for o in facts.all(vocab::RDFS_LABEL) {
        if let Term::Literal(l) = o {
            names.insert(
                l.language().unwrap_or("").to_string(),
                l.value().to_string(),
            );
        }
    }
    let id_of = |m: &str| {
        facts_of(m)
            .text(vocab::ENTITY_ID)
            .unwrap_or_else(|| local(m).to_string())
    };
    let label_of = |m: &str| {
        facts_of(m)
            .english(vocab::RDFS_LABEL)
            .unwrap_or_else(|| id_of(m))
    };
    let id = id_of(iri);
    let label = label_of(iri);
    // The other members' names and aliases are this entity's other names.
    let mut aliases: Vec<String> = members
        .iter()
        .flat_map(|m| {
            let f = facts_of(m);
            let alt: Vec<String> = f
                .all(vocab::SKOS_ALT_LABEL)
                .filter_map(|o| text(Some(o)))
                .collect();
            let names = (m != iri).then(|| {
                f.all(vocab::RDFS_LABEL)
                    .filter_map(|o| text(Some(o)))
                    .collect::<Vec<_>>()
            });
            alt.into_iter().chain(names.into_iter().flatten())
        })
        .filter(|a| *a != label)
        .collect();
    aliases.sort();
    aliases.dedup();
    let datasets_of = datasets(store, &members)?;
    let mut datasets: Vec<String> = datasets_of.values().flatten().cloned().collect();
    datasets.sort();
    datasets.dedup();
    let merged_from = if members.len() > 1 {
        members
            .iter()
            .map(|m| MergedFrom {
                id: id_of(m),
                iri: m.clone(),
                label: label_of(m),
                datasets: datasets_of.get(m).cloned().unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut identifiers: Vec<Identifier> = members
        .iter()
        .flat_map(|m| identifiers(&facts_of(m)))
        .collect();
    identifiers.sort_by(|a, b| (&a.scheme, &a.value).cmp(&(&b.scheme, &b.value)));
    identifiers.dedup();
    let mut ties = ties(store, &members)?;
    let ties_total = ties.len();
    ties.truncate(limit);
    Ok(EntityPage {
        label,
        id,
        iri: iri.to_string(),
        kind: facts.kind(vocab::ENTITY),
        names,
        aliases,
        description: facts.english(vocab::SCHEMA_DESCRIPTION),
        identifiers,
        datasets,
        merged_from,
        ties_total,
        ties,
    })
}

/// The datasets (graph ids, sorted) that describe each of `members`.
fn datasets(
    store: &interlock_store::Store,
    members: &[String],
) -> Result<HashMap<String, Vec<String>>, GraphError> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let rows = select(
        store,
        &format!(
            "SELECT DISTINCT ?e ?g WHERE {{ {} GRAPH ?g {{ ?e a <{}> }} }} ORDER BY ?g",
            values("e", members),
            vocab::ENTITY
        ),
    )?;
    for r in rows {
        if let (Some(e), Some(g)) = (text(r[0].as_ref()), text(r[1].as_ref())) {
            out.entry(e).or_default().push(local(&g).to_string());
        }
    }
    Ok(out)
}

/// The identifiers an entity carries: Wikidata items it is the same as,
/// `scheme:value` identifiers, its web address.
fn identifiers(facts: &Facts) -> Vec<Identifier> {
    let mut out = Vec::new();
    for o in facts.all(vocab::SCHEMA_SAME_AS) {
        if let Some(q) = text(Some(o))
            .as_deref()
            .and_then(|t| t.strip_prefix(vocab::WIKIDATA_ENTITY))
        {
            out.push(Identifier {
                scheme: "wikidata".into(),
                value: q.to_string(),
                url: Some(format!("https://www.wikidata.org/wiki/{q}")),
            });
        }
    }
    for o in facts.all(vocab::DCTERMS_IDENTIFIER) {
        if let Some((scheme, value)) = text(Some(o)).as_deref().and_then(|t| t.split_once(':')) {
            let url = match scheme {
                "lei" => Some(format!("https://search.gleif.org/#/record/{value}")),
                _ => None,
            };
            out.push(Identifier {
                scheme: scheme.into(),
                value: value.into(),
                url,
            });
        }
    }
    for o in facts.all(vocab::SCHEMA_URL) {
        if let Some(url) = text(Some(o)) {
            out.push(Identifier {
                scheme: "url".into(),
                value: url.clone(),
                url: Some(url),
            });
        }
    }
    out
}

/// How a page lists ties: by counterpart, then by start, then by id.
fn order(t: &Tie) -> (&str, &str, Option<&Option<String>>, &str) {
    let start = t.bounds.as_ref().map(|b| &b.start_earliest);
    (&t.counterpart.label, &t.counterpart.id, start, &t.id)
}

/// The relationships of the entity (any of `members`, the entities it is
/// made of), with their counterparts and evidence.
fn ties(store: &interlock_store::Store, members: &[String]) -> Result<Vec<Tie>, GraphError> {
    let (subject, object) = (vocab::SUBJECT, vocab::OBJECT);
    // The entity's relationships first, as a sub-query every store
    // evaluates before the rest: Virtuoso plans an alternative path
    // (`subject|object`) after `?s ?p ?o` otherwise, which took 12 s for a
    // director of the Norwegian register; the sources the evidence quotes
    // are found (distinct: a register is one source) before what they cite.
    let around = format!(
        "{{ SELECT DISTINCT ?r ?x WHERE {{ {} {{ ?r <{subject}> ?x }} UNION {{ ?r <{object}> ?x }} }} }}",
        values("x", members)
    );
    let relationships = describe(store, &format!("{around} BIND(?r AS ?s)"))?;
    let counterparts = describe(
        store,
        &format!("{around} {{ ?r <{subject}> ?s }} UNION {{ ?r <{object}> ?s }} FILTER(?s != ?x)"),
    )?;
    let evidence = describe(store, &format!("{around} ?r <{}> ?s .", vocab::EVIDENCE))?;
    let sources = describe(
        store,
        &format!(
            "{{ SELECT DISTINCT ?quoted WHERE {{ {around} ?r <{}> ?ev . {{ ?ev <{}> ?quoted }} UNION {{ ?ev <{}> ?quoted }} }} }} \
             ?quoted <{}>* ?s .",
            vocab::EVIDENCE,
            vocab::SOURCE,
            vocab::ATTRIBUTED_TO,
            vocab::CITO_CITES
        ),
    )?;
    let read = Reader {
        evidence: &evidence,
        sources: &sources,
        counterparts: &counterparts,
    };
    let mut out: Vec<Tie> = relationships
        .iter()
        .filter_map(|(iri, facts)| read.tie(iri, &Facts(facts), members))
        .collect();
    out.sort_by(|a, b| order(a).cmp(&order(b)));
    Ok(out)
}

/// What the page's relationships refer to, read once for all of them.
struct Reader<'a> {
    evidence: &'a Described,
    sources: &'a Described,
    counterparts: &'a Described,
}

impl Reader<'_> {
    fn tie(&self, iri: &str, facts: &Facts, entity: &[String]) -> Option<Tie> {
        let kind = RelationshipKind::from_term(&facts.kind(vocab::RELATIONSHIP)?)?;
        let subject = facts.text(vocab::SUBJECT)?;
        let object = facts.text(vocab::OBJECT)?;
        let is_subject = entity.contains(&subject);
        let other = if is_subject { object } else { subject };
        let time = facts.text(vocab::EDTF).or_else(|| {
            // A relationship with only a start or only an end states it alone.
            let start = facts.text(vocab::START.edtf);
            let end = facts.text(vocab::END.edtf);
            (start.is_some() || end.is_some())
                .then(|| format!("{}/{}", start.unwrap_or_default(), end.unwrap_or_default()))
        });
        // Unbounded ends are stored as the calendar's first and last days: null here.
        let bound = |p: &str| {
            facts
                .text(p)
                .and_then(|t| vocab::read_date_bound(&t))
                .filter(|d| *d != chrono::NaiveDate::MIN && *d != chrono::NaiveDate::MAX)
                .map(|d| d.to_string())
        };
        let bounds = time.as_ref().map(|_| Bounds {
            start_earliest: bound(vocab::START.earliest),
            start_latest: bound(vocab::START.latest),
            end_earliest: bound(vocab::END.earliest),
            end_latest: bound(vocab::END.latest),
        });
        let mut evidence: Vec<(String, EvidenceDetail)> = facts
            .all(vocab::EVIDENCE)
            .filter_map(|e| text(Some(e)))
            .filter_map(|e| Some((e.clone(), self.evidence_detail(self.evidence.get(&e)?)?)))
            .collect();
        evidence.sort_by(|a, b| a.0.cmp(&b.0));
        Some(Tie {
            id: facts
                .text(vocab::RELATIONSHIP_ID)
                .unwrap_or_else(|| local(iri).to_string()),
            kind,
            label: facts.english(vocab::RDFS_LABEL),
            role: facts.english(vocab::ROLE),
            status: facts
                .text(vocab::CLAIM_STATUS)
                .and_then(|s| ClaimStatus::from_term(local(&s)))
                .unwrap_or(ClaimStatus::Reported),
            subject: is_subject,
            counterpart: self.counterpart(&other),
            when: time
                .as_deref()
                .and_then(|t| interlock_model::time::Edtf::parse(t).ok())
                .map(|e| e.describe()),
            time,
            bounds,
            evidence: evidence.into_iter().map(|(_, e)| e).collect(),
        })
    }

    fn counterpart(&self, iri: &str) -> Counterpart {
        let facts = Facts(self.counterparts.get(iri).map_or(&[], Vec::as_slice));
        let id = facts
            .text(vocab::ENTITY_ID)
            .unwrap_or_else(|| local(iri).to_string());
        Counterpart {
            label: facts
                .english(vocab::RDFS_LABEL)
                .unwrap_or_else(|| id.clone()),
            id,
            kind: facts.kind(vocab::ENTITY),
        }
    }

    fn evidence_detail(&self, facts: &[(String, Term)]) -> Option<EvidenceDetail> {
        let facts = Facts(facts);
        let quote = facts.all(vocab::QUOTE).find_map(|o| match o {
            Term::Literal(l) => Some(l.clone()),
            _ => None,
        })?;
        let mut chain = Vec::new();
        let first = facts.text(vocab::SOURCE)?;
        chain.push(first);
        // Then the source the quote attributes the claim to, and what that
        // one cites in turn (breadth first, once each). Without an
        // attribution the quote is the source's own word: nothing follows.
        let mut next = chain.len();
        if let Some(attributed) = facts.text(vocab::ATTRIBUTED_TO) {
            chain.push(attributed);
        }
        while next < chain.len() {
            let cited: Vec<String> = self
                .sources
                .get(&chain[next])
                .map(|f| {
                    Facts(f)
                        .all(vocab::CITO_CITES)
                        .filter_map(|o| text(Some(o)))
                        .collect()
                })
                .unwrap_or_default();
            for c in cited {
                if !chain.contains(&c) {
                    chain.push(c);
                }
            }
            next += 1;
        }
        Some(EvidenceDetail {
            language: quote.language().map(str::to_string),
            quote: quote.value().to_string(),
            gloss: facts.text(vocab::GLOSS),
            location: facts.text(vocab::LOCATION),
            chain: chain.iter().map(|s| self.source(s)).collect(),
        })
    }

    fn source(&self, iri: &str) -> SourceRef {
        source_ref(iri, self.sources.get(iri).map_or(&[], Vec::as_slice))
    }
}

/// The source at `iri` as the page shows it, from everything said of it
/// (as [`describe`] reads it).
pub(crate) fn source_ref(iri: &str, facts: &[(String, Term)]) -> SourceRef {
    let facts = Facts(facts);
    SourceRef {
        id: local(iri).to_string(),
        title: facts
            .text(vocab::DCTERMS_TITLE)
            .unwrap_or_else(|| local(iri).to_string()),
        kind: facts.kind(vocab::SOURCE_CLASS),
        publisher: facts.text(vocab::DCTERMS_PUBLISHER),
        published: facts.text(vocab::PUBLISHED.edtf),
        url: facts.text(vocab::SCHEMA_URL),
    }
}
