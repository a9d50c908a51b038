//! A validated [`Dataset`] as RDF quads in its own named graph.
//!
//! The shape (documented in `data/ontology.ttl`): every relationship is a
//! node of its own with its kind, parties, role, time, amount, status and
//! evidence, plus one direct triple from subject to object (Wikidata's
//! "truthy" statement). Times keep the stated value at its precision
//! (`xsd:gYear`, `xsd:gYearMonth`, `xsd:date`), the EDTF text, and four
//! `xsd:date` bounds that plain SPARQL filters can compare; unbounded sides
//! are written as `0001-01-01` and `9999-12-31`.

use interlock_model::time::{DateExpr, DateRange, Interval, end_dates};
use interlock_model::vocab::{self, DCTERMS, DateTerms, PROV, SCHEMA, SKOS, XSD};
use interlock_model::{
    Amount, Dataset, DateValue, Decision, Entity, Event, Evidence, Labels, Relationship, Source,
};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

/// The LoC datatype for EDTF strings.
pub const EDTF_DATATYPE: &str = "http://id.loc.gov/datatypes/edtf/EDTF";

/// Where data IRIs are minted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IriBase(String);

/// Why a text cannot be the base of data IRIs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadBase {
    /// Ids are appended to the base, so it must end a path or a fragment.
    #[error("base IRI '{0}' must end with '/' or '#'")]
    Unterminated(String),
    /// The base is not an absolute IRI.
    #[error("base IRI '{base}' is not an absolute IRI: {reason}")]
    NotAnIri {
        /// The base given.
        base: String,
        /// What the IRI parser said.
        reason: String,
    },
}

impl IriBase {
    /// A base that must be an absolute IRI ending in `/` or `#`.
    pub fn new(base: &str) -> Result<IriBase, BadBase> {
        if !(base.ends_with('/') || base.ends_with('#')) {
            return Err(BadBase::Unterminated(base.to_string()));
        }
        NamedNode::new(format!("{base}x")).map_err(|e| BadBase::NotAnIri {
            base: base.to_string(),
            reason: e.to_string(),
        })?;
        Ok(IriBase(base.to_string()))
    }

    /// The base as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The IRI of an entity: the base followed by its id.
    pub fn entity(&self, id: &str) -> NamedNode {
        self.node("", id)
    }

    /// The IRI of a relationship.
    pub fn relationship(&self, id: &str) -> NamedNode {
        self.node("relationship/", id)
    }

    /// The IRI of a source.
    pub fn source(&self, id: &str) -> NamedNode {
        self.node("source/", id)
    }

    /// The IRI of an event.
    pub fn event(&self, id: &str) -> NamedNode {
        self.node("event/", id)
    }

    /// The IRI of the `n`th decision (from 1) of a dataset.
    pub fn decision(&self, dataset_id: &str, n: usize) -> NamedNode {
        self.node("decision/", &format!("{dataset_id}/{n}"))
    }

    /// The named graph a dataset is loaded into.
    pub fn graph(&self, dataset_id: &str) -> NamedNode {
        self.node("graph/", dataset_id)
    }

    fn node(&self, prefix: &str, id: &str) -> NamedNode {
        // Ids are validated slugs, so the IRI is always valid.
        NamedNode::new_unchecked(format!("{}{prefix}{id}", self.0))
    }
}

impl Default for IriBase {
    fn default() -> Self {
        IriBase(vocab::DEFAULT_BASE.to_string())
    }
}

fn iri(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

fn il(local: &str) -> NamedNode {
    iri(vocab::IL, local)
}

/// A term of [`vocab`], spelled there.
fn term(iri: &'static str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn typed(value: &str, xsd_type: &str) -> Literal {
    Literal::new_typed_literal(value, iri(XSD, xsd_type))
}

fn date_literal(day: chrono::NaiveDate) -> Literal {
    typed(&vocab::write_date_bound(day), "date")
}

/// Collects the quads of one named graph.
struct GraphWriter {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl GraphWriter {
    fn add(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(
            NamedOrBlankNode::from(s.clone()),
            p,
            o,
            self.graph.clone(),
        ));
    }

    fn labels(&mut self, s: &NamedNode, p: &NamedNode, labels: &Labels) {
        for (lang, text) in labels {
            // Language tags were validated while loading; text in no stated
            // language (imports) is a plain literal.
            self.text(s, p.clone(), text, lang.as_deref());
        }
    }

    fn text(&mut self, s: &NamedNode, p: NamedNode, text: &str, lang: Option<&str>) {
        let literal = lang
            .and_then(|l| Literal::new_language_tagged_literal(text, l).ok())
            .unwrap_or_else(|| Literal::new_simple_literal(text));
        self.add(s, p, literal);
    }

    /// The first and last day of a range, under its terms.
    fn bounds(&mut self, s: &NamedNode, terms: DateTerms, range: &DateRange) {
        self.add(s, term(terms.earliest), date_literal(range.earliest));
        self.add(s, term(terms.latest), date_literal(range.latest));
    }

    /// The stated value of a date, typed at its precision, and its qualifier.
    fn stated(&mut self, s: &NamedNode, terms: DateTerms, expr: &DateExpr) {
        let Some(date) = expr.as_calendar_date() else {
            return;
        };
        if let Some((value, xsd_type)) = date.xsd_value() {
            self.add(s, term(terms.stated), typed(&value, xsd_type));
        }
        if let (Some(property), Some(q)) = (terms.qualifier, date.any_qualifier()) {
            self.add(s, term(property), il(q.term()));
        }
    }

    fn edtf(&mut self, s: &NamedNode, property: &'static str, text: &str) {
        self.add(
            s,
            term(property),
            Literal::new_typed_literal(text, NamedNode::new_unchecked(EDTF_DATATYPE)),
        );
    }
}

/// The quads of a dataset, all in the dataset's named graph.
pub fn dataset_quads(dataset: &Dataset, base: &IriBase) -> Vec<Quad> {
    let graph = base.graph(&dataset.id);
    let mut w = GraphWriter {
        graph: GraphName::NamedNode(graph.clone()),
        quads: Vec::new(),
    };
    w.add(&graph, term(vocab::RDF_TYPE), term(vocab::DATASET));
    w.add(
        &graph,
        term(vocab::DATASET_ID),
        Literal::new_simple_literal(&dataset.id),
    );
    w.labels(&graph, &term(vocab::DCTERMS_TITLE), &dataset.title);
    w.labels(&graph, &iri(DCTERMS, "description"), &dataset.description);
    if let Some(license) = &dataset.license {
        w.text(&graph, iri(DCTERMS, "license"), license, None);
    }
    for e in &dataset.entities {
        entity(&mut w, base, e);
    }
    for s in &dataset.sources {
        source(&mut w, base, s);
    }
    for r in &dataset.relationships {
        relationship(&mut w, base, r);
    }
    for e in &dataset.events {
        event(&mut w, base, e);
    }
    for (n, d) in dataset.decisions.iter().enumerate() {
        decision(&mut w, &base.decision(&dataset.id, n + 1), base, d);
    }
    w.quads
}

fn decision(w: &mut GraphWriter, node: &NamedNode, base: &IriBase, d: &Decision) {
    let class = if d.same {
        vocab::SAME_DECISION
    } else {
        vocab::NOT_SAME_DECISION
    };
    w.add(node, term(vocab::RDF_TYPE), term(class));
    for e in &d.entities {
        w.add(node, term(vocab::CONCERNS), base.entity(e));
    }
    if let Some(by) = &d.by {
        w.text(node, term(vocab::DCTERMS_CREATOR), by, None);
    }
    if let Some(on) = &d.on {
        w.edtf(node, vocab::DCTERMS_DATE, &on.text);
    }
    if let Some(why) = &d.why {
        w.text(node, term(vocab::RDFS_COMMENT), why, None);
    }
}

fn entity(w: &mut GraphWriter, base: &IriBase, e: &Entity) {
    let node = base.entity(&e.id);
    w.add(&node, term(vocab::RDF_TYPE), term(vocab::ENTITY));
    w.add(&node, term(vocab::RDF_TYPE), il(e.kind.term()));
    w.add(
        &node,
        term(vocab::ENTITY_ID),
        Literal::new_simple_literal(&e.id),
    );
    w.labels(&node, &term(vocab::RDFS_LABEL), &e.names);
    w.labels(&node, &term(vocab::SCHEMA_DESCRIPTION), &e.description);
    for alias in &e.aliases {
        w.text(&node, term(vocab::SKOS_ALT_LABEL), alias, None);
    }
    for (scheme, value) in &e.identifiers {
        match scheme.as_str() {
            "wikidata" => w.add(
                &node,
                term(vocab::SCHEMA_SAME_AS),
                iri(vocab::WIKIDATA_ENTITY, value),
            ),
            "url" => match NamedNode::new(value) {
                Ok(url) => w.add(&node, term(vocab::SCHEMA_URL), url),
                Err(_) => w.text(&node, term(vocab::SCHEMA_URL), value, None),
            },
            _ => w.text(
                &node,
                term(vocab::DCTERMS_IDENTIFIER),
                &format!("{scheme}:{value}"),
                None,
            ),
        }
    }
}

/// The quads of one entity of dataset `dataset_id`: what [`dataset_quads`]
/// writes for it, for writers that stream a dataset's parts.
pub fn entity_quads(e: &Entity, base: &IriBase, dataset_id: &str) -> Vec<Quad> {
    part_quads(base, dataset_id, |w| entity(w, base, e))
}

/// The quads of one relationship of dataset `dataset_id`: what
/// [`dataset_quads`] writes for it, for writers that stream relationships
/// one at a time (the generator) instead of holding a whole dataset.
pub fn relationship_quads(r: &Relationship, base: &IriBase, dataset_id: &str) -> Vec<Quad> {
    part_quads(base, dataset_id, |w| relationship(w, base, r))
}

/// The quads `write` writes into the graph of dataset `dataset_id`.
fn part_quads(base: &IriBase, dataset_id: &str, write: impl FnOnce(&mut GraphWriter)) -> Vec<Quad> {
    let mut w = GraphWriter {
        graph: GraphName::NamedNode(base.graph(dataset_id)),
        quads: Vec::new(),
    };
    write(&mut w);
    w.quads
}

fn source(w: &mut GraphWriter, base: &IriBase, s: &Source) {
    let node = base.source(&s.id);
    w.add(&node, term(vocab::RDF_TYPE), term(vocab::SOURCE_CLASS));
    w.add(&node, term(vocab::RDF_TYPE), il(s.kind.term()));
    w.text(
        &node,
        term(vocab::DCTERMS_TITLE),
        &s.title,
        s.language.as_deref(),
    );
    if let Some(a) = &s.author {
        w.text(&node, term(vocab::DCTERMS_CREATOR), a, None);
    }
    if let Some(p) = &s.publisher {
        w.text(&node, term(vocab::DCTERMS_PUBLISHER), p, None);
    }
    if let Some(url) = &s.url {
        match NamedNode::new(url) {
            Ok(u) => w.add(&node, term(vocab::SCHEMA_URL), u),
            Err(_) => w.text(&node, term(vocab::SCHEMA_URL), url, None),
        }
    }
    if let Some(lang) = &s.language {
        w.text(&node, term(vocab::DCTERMS_LANGUAGE), lang, None);
    }
    if let Some(DateValue { text, expr }) = &s.published {
        w.stated(&node, vocab::PUBLISHED, expr);
        w.edtf(&node, vocab::PUBLISHED.edtf, text);
        w.bounds(&node, vocab::PUBLISHED, &expr.range());
    }
    for cited in &s.cites {
        w.add(&node, term(vocab::CITO_CITES), base.source(cited));
    }
    if let Some(note) = &s.note {
        w.text(&node, iri(SKOS, "note"), note, Some("en"));
    }
}

fn evidence(w: &mut GraphWriter, base: &IriBase, owner: &NamedNode, list: &[Evidence]) {
    for (i, e) in list.iter().enumerate() {
        let node = NamedNode::new_unchecked(format!("{}/evidence/{}", owner.as_str(), i + 1));
        w.add(owner, term(vocab::EVIDENCE), node.clone());
        w.add(owner, iri(PROV, "wasDerivedFrom"), base.source(&e.source));
        w.add(&node, term(vocab::RDF_TYPE), term(vocab::EVIDENCE_CLASS));
        w.add(&node, term(vocab::SOURCE), base.source(&e.source));
        w.text(&node, term(vocab::QUOTE), &e.quote, e.language.as_deref());
        if let Some(g) = &e.gloss {
            w.text(&node, term(vocab::GLOSS), g, Some("en"));
        }
        if let Some(l) = &e.location {
            w.text(&node, term(vocab::LOCATION), l, None);
        }
        if let Some(a) = &e.attributed_to {
            w.add(&node, term(vocab::ATTRIBUTED_TO), base.source(a));
        }
    }
}

fn amount(w: &mut GraphWriter, owner: &NamedNode, a: &Amount) {
    let node = NamedNode::new_unchecked(format!("{}/amount", owner.as_str()));
    w.add(owner, term(vocab::AMOUNT), node.clone());
    w.add(&node, term(vocab::RDF_TYPE), iri(SCHEMA, "MonetaryAmount"));
    let value = typed(&a.value, "decimal");
    w.add(&node, iri(SCHEMA, "value"), value.clone());
    match a.qualifier.as_str() {
        "at-least" => w.add(&node, iri(SCHEMA, "minValue"), value),
        "at-most" => w.add(&node, iri(SCHEMA, "maxValue"), value),
        _ => {}
    }
    w.text(&node, iri(SCHEMA, "currency"), &a.currency, None);
    w.add(&node, term(vocab::PERIOD), il(a.period.term()));
    w.add(&node, term(vocab::AMOUNT_QUALIFIER), il(a.qualifier.term()));
}

fn interval(w: &mut GraphWriter, node: &NamedNode, r: &Relationship) {
    let i: Interval = r.interval();
    if let Some(span) = &r.during {
        w.edtf(node, vocab::EDTF, &span.text);
        let (start, end) = end_dates(&span.edtf);
        if let Some(start) = start {
            w.edtf(node, vocab::START.edtf, &start.to_string());
            w.stated(node, vocab::START, start);
        }
        if let Some(end) = end {
            w.edtf(node, vocab::END.edtf, &end.to_string());
            w.stated(node, vocab::END, end);
        }
    }
    w.bounds(node, vocab::START, &i.start);
    w.bounds(node, vocab::END, &i.end);
}

fn relationship(w: &mut GraphWriter, base: &IriBase, r: &Relationship) {
    let node = base.relationship(&r.id);
    let subject = base.entity(&r.subject);
    let object = base.entity(&r.object);
    w.add(&node, term(vocab::RDF_TYPE), term(vocab::RELATIONSHIP));
    w.add(&node, term(vocab::RDF_TYPE), il(r.kind.term()));
    w.add(
        &node,
        term(vocab::RELATIONSHIP_ID),
        Literal::new_simple_literal(&r.id),
    );
    w.add(&node, term(vocab::SUBJECT), subject.clone());
    w.add(&node, term(vocab::OBJECT), object.clone());
    w.labels(&node, &term(vocab::ROLE), &r.role);
    w.labels(&node, &term(vocab::RDFS_LABEL), &r.label);
    w.labels(&node, &iri(SKOS, "note"), &r.note);
    if let Some(i) = &r.instrument {
        w.add(&node, term(vocab::INSTRUMENT), base.entity(i));
    }
    if let Some(p) = &r.part_of {
        w.add(&node, iri(DCTERMS, "isPartOf"), base.relationship(p));
    }
    w.add(&node, term(vocab::CLAIM_STATUS), il(r.status.term()));
    interval(w, &node, r);
    if let Some(a) = &r.amount {
        amount(w, &node, a);
    }
    evidence(w, base, &node, &r.evidence);
    w.add(&subject, il(r.kind.direct_property()), object);
}

fn event(w: &mut GraphWriter, base: &IriBase, e: &Event) {
    let node = base.event(&e.id);
    w.add(&node, term(vocab::RDF_TYPE), term(vocab::EVENT));
    w.add(
        &node,
        term(vocab::EVENT_ID),
        Literal::new_simple_literal(&e.id),
    );
    w.text(&node, term(vocab::EVENT_KIND), &e.kind, None);
    for p in &e.participants {
        w.add(&node, term(vocab::PARTICIPANT), base.entity(p));
    }
    w.labels(&node, &term(vocab::RDFS_LABEL), &e.label);
    w.add(&node, term(vocab::CLAIM_STATUS), il(e.status.term()));
    w.edtf(&node, vocab::EVENT_DATE.edtf, &e.date.text);
    w.stated(&node, vocab::EVENT_DATE, &e.date.expr);
    w.bounds(&node, vocab::EVENT_DATE, &e.date.expr.range());
    evidence(w, base, &node, &e.evidence);
}
