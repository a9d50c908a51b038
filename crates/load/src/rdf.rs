//! A validated [`Dataset`] as RDF quads in its own named graph.
//!
//! The shape (documented in `data/ontology.ttl`): every relationship is a
//! node of its own with its kind, parties, role, time, amount, status and
//! evidence, plus one direct triple from subject to object (Wikidata's
//! "truthy" statement). Times keep the stated value at its precision
//! (`xsd:gYear`, `xsd:gYearMonth`, `xsd:date`), the EDTF text, and four
//! `xsd:date` bounds that plain SPARQL filters can compare; unbounded sides
//! are written as `-9999-01-01` and `9999-12-31`.

use interlock_model::time::{CalendarDate, DateExpr, DateRange, Interval, end_dates};
use interlock_model::vocab::{self, CITO, DCTERMS, PROV, RDF, RDFS, SCHEMA, SKOS, XSD};
use interlock_model::{Amount, Dataset, DateValue, Event, Evidence, Labels, Relationship, Source};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

/// The LoC datatype for EDTF strings.
pub const EDTF_DATATYPE: &str = "http://id.loc.gov/datatypes/edtf/EDTF";

/// Where data IRIs are minted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IriBase(String);

impl IriBase {
    /// A base that must be an absolute IRI ending in `/` or `#`.
    pub fn new(base: &str) -> Result<IriBase, String> {
        if !(base.ends_with('/') || base.ends_with('#')) {
            return Err(format!("base IRI '{base}' must end with '/' or '#'"));
        }
        NamedNode::new(format!("{base}x"))
            .map_err(|e| format!("base IRI '{base}' is not an absolute IRI: {e}"))?;
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

fn typed(value: &str, xsd_type: &str) -> Literal {
    Literal::new_typed_literal(value, iri(XSD, xsd_type))
}

fn date_literal(day: chrono::NaiveDate) -> Literal {
    use chrono::Datelike;
    let text = if day.year() > 9999 {
        vocab::UNBOUNDED_LATEST.to_string()
    } else if day.year() < -9999 {
        vocab::UNBOUNDED_EARLIEST.to_string()
    } else {
        day.format("%Y-%m-%d").to_string()
    };
    typed(&text, "date")
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
            // Language tags were validated while loading; "" is a name in no
            // particular language (imports), written as a plain literal.
            if lang.is_empty() {
                self.add(s, p.clone(), Literal::new_simple_literal(text));
            } else if let Ok(l) = Literal::new_language_tagged_literal(text, lang) {
                self.add(s, p.clone(), l);
            }
        }
    }

    fn text(&mut self, s: &NamedNode, p: NamedNode, text: &str, lang: Option<&str>) {
        let literal = lang
            .and_then(|l| Literal::new_language_tagged_literal(text, l).ok())
            .unwrap_or_else(|| Literal::new_simple_literal(text));
        self.add(s, p, literal);
    }

    /// The bounds of a range under `{prefix}Earliest` / `{prefix}Latest`.
    fn bounds(&mut self, s: &NamedNode, prefix: &str, range: &DateRange) {
        self.add(
            s,
            il(&format!("{prefix}Earliest")),
            date_literal(range.earliest),
        );
        self.add(
            s,
            il(&format!("{prefix}Latest")),
            date_literal(range.latest),
        );
    }

    /// The stated value of a date, typed at its precision, and its qualifier.
    fn stated(&mut self, s: &NamedNode, property: &str, expr: &DateExpr) {
        let Some(date) = expr.as_calendar_date() else {
            return;
        };
        if let Some((value, xsd_type)) = date.xsd_value() {
            self.add(s, il(property), typed(&value, xsd_type));
        }
        self.qualifier(s, property, date);
    }

    fn qualifier(&mut self, s: &NamedNode, property: &str, date: &CalendarDate) {
        if let Some(q) = date.any_qualifier() {
            self.add(s, il(&format!("{property}Qualifier")), il(q.term()));
        }
    }

    fn edtf(&mut self, s: &NamedNode, property: &str, text: &str) {
        self.add(
            s,
            il(property),
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
    w.add(&graph, iri(RDF, "type"), il("Dataset"));
    w.add(
        &graph,
        il("datasetId"),
        Literal::new_simple_literal(&dataset.id),
    );
    w.labels(&graph, &iri(DCTERMS, "title"), &dataset.title);
    w.labels(&graph, &iri(DCTERMS, "description"), &dataset.description);
    if let Some(license) = &dataset.license {
        w.text(&graph, iri(DCTERMS, "license"), license, None);
    }
    for e in &dataset.entities {
        let node = base.entity(&e.id);
        w.add(&node, iri(RDF, "type"), il("Entity"));
        w.add(&node, iri(RDF, "type"), il(e.kind.term()));
        w.add(&node, il("entityId"), Literal::new_simple_literal(&e.id));
        w.labels(&node, &iri(RDFS, "label"), &e.names);
        w.labels(&node, &iri(SCHEMA, "description"), &e.description);
        for alias in &e.aliases {
            w.text(&node, iri(SKOS, "altLabel"), alias, None);
        }
        for (scheme, value) in &e.identifiers {
            match scheme.as_str() {
                "wikidata" => w.add(
                    &node,
                    iri(SCHEMA, "sameAs"),
                    iri(vocab::WIKIDATA_ENTITY, value),
                ),
                "url" => match NamedNode::new(value) {
                    Ok(url) => w.add(&node, iri(SCHEMA, "url"), url),
                    Err(_) => w.text(&node, iri(SCHEMA, "url"), value, None),
                },
                _ => w.text(
                    &node,
                    iri(DCTERMS, "identifier"),
                    &format!("{scheme}:{value}"),
                    None,
                ),
            }
        }
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
    w.quads
}

/// The quads of one relationship of dataset `dataset_id`: what
/// [`dataset_quads`] writes for it, for writers that stream relationships
/// one at a time (the generator) instead of holding a whole dataset.
pub fn relationship_quads(r: &Relationship, base: &IriBase, dataset_id: &str) -> Vec<Quad> {
    let mut w = GraphWriter {
        graph: GraphName::NamedNode(base.graph(dataset_id)),
        quads: Vec::new(),
    };
    relationship(&mut w, base, r);
    w.quads
}

fn source(w: &mut GraphWriter, base: &IriBase, s: &Source) {
    let node = base.source(&s.id);
    w.add(&node, iri(RDF, "type"), il("Source"));
    w.add(&node, iri(RDF, "type"), il(s.kind.term()));
    w.text(
        &node,
        iri(DCTERMS, "title"),
        &s.title,
        s.language.as_deref(),
    );
    if let Some(a) = &s.author {
        w.text(&node, iri(DCTERMS, "creator"), a, None);
    }
    if let Some(p) = &s.publisher {
        w.text(&node, iri(DCTERMS, "publisher"), p, None);
    }
    if let Some(url) = &s.url {
        match NamedNode::new(url) {
            Ok(u) => w.add(&node, iri(SCHEMA, "url"), u),
            Err(_) => w.text(&node, iri(SCHEMA, "url"), url, None),
        }
    }
    if let Some(lang) = &s.language {
        w.text(&node, iri(DCTERMS, "language"), lang, None);
    }
    if let Some(DateValue { text, expr }) = &s.published {
        if let Some(date) = expr.as_calendar_date()
            && let Some((value, t)) = date.xsd_value()
        {
            w.add(&node, iri(DCTERMS, "issued"), typed(&value, t));
        }
        w.edtf(&node, "publishedEdtf", text);
        w.bounds(&node, "published", &expr.range());
    }
    for cited in &s.cites {
        w.add(&node, iri(CITO, "cites"), base.source(cited));
    }
    if let Some(note) = &s.note {
        w.text(&node, iri(SKOS, "note"), note, Some("en"));
    }
}

fn evidence(w: &mut GraphWriter, base: &IriBase, owner: &NamedNode, list: &[Evidence]) {
    for (i, e) in list.iter().enumerate() {
        let node = NamedNode::new_unchecked(format!("{}/evidence/{}", owner.as_str(), i + 1));
        w.add(owner, il("evidence"), node.clone());
        w.add(owner, iri(PROV, "wasDerivedFrom"), base.source(&e.source));
        w.add(&node, iri(RDF, "type"), il("Evidence"));
        w.add(&node, il("source"), base.source(&e.source));
        w.text(&node, il("quote"), &e.quote, Some(&e.language));
        if let Some(g) = &e.gloss {
            w.text(&node, il("gloss"), g, Some("en"));
        }
        if let Some(l) = &e.location {
            w.text(&node, il("location"), l, None);
        }
        if let Some(a) = &e.attributed_to {
            w.add(&node, il("attributedTo"), base.source(a));
        }
    }
}

fn amount(w: &mut GraphWriter, owner: &NamedNode, a: &Amount) {
    let node = NamedNode::new_unchecked(format!("{}/amount", owner.as_str()));
    w.add(owner, il("amount"), node.clone());
    w.add(&node, iri(RDF, "type"), iri(SCHEMA, "MonetaryAmount"));
    let value = typed(&a.value, "decimal");
    w.add(&node, iri(SCHEMA, "value"), value.clone());
    match a.qualifier.as_str() {
        "at-least" => w.add(&node, iri(SCHEMA, "minValue"), value),
        "at-most" => w.add(&node, iri(SCHEMA, "maxValue"), value),
        _ => {}
    }
    w.text(&node, iri(SCHEMA, "currency"), &a.currency, None);
    w.add(&node, il("period"), il(a.period.term()));
    w.add(&node, il("amountQualifier"), il(a.qualifier.term()));
}

fn interval(w: &mut GraphWriter, node: &NamedNode, r: &Relationship) {
    let i: Interval = r.interval();
    if let Some(span) = &r.during {
        w.edtf(node, "edtf", &span.text);
        let (start, end) = end_dates(&span.edtf);
        if let Some(start) = start {
            w.edtf(node, "startEdtf", &start.to_string());
            w.stated(node, "startDate", start);
        }
        if let Some(end) = end {
            w.edtf(node, "endEdtf", &end.to_string());
            w.stated(node, "endDate", end);
        }
    }
    w.bounds(node, "start", &i.start);
    w.bounds(node, "end", &i.end);
}

fn relationship(w: &mut GraphWriter, base: &IriBase, r: &Relationship) {
    let node = base.relationship(&r.id);
    let subject = base.entity(&r.subject);
    let object = base.entity(&r.object);
    w.add(&node, iri(RDF, "type"), il("Relationship"));
    w.add(&node, iri(RDF, "type"), il(r.kind.term()));
    w.add(
        &node,
        il("relationshipId"),
        Literal::new_simple_literal(&r.id),
    );
    w.add(&node, il("subject"), subject.clone());
    w.add(&node, il("object"), object.clone());
    w.labels(&node, &il("role"), &r.role);
    w.labels(&node, &iri(RDFS, "label"), &r.label);
    w.labels(&node, &iri(SKOS, "note"), &r.note);
    if let Some(i) = &r.instrument {
        w.add(&node, il("instrument"), base.entity(i));
    }
    if let Some(p) = &r.part_of {
        w.add(&node, iri(DCTERMS, "isPartOf"), base.relationship(p));
    }
    w.add(&node, il("claimStatus"), il(r.status.term()));
    interval(w, &node, r);
    if let Some(a) = &r.amount {
        amount(w, &node, a);
    }
    evidence(w, base, &node, &r.evidence);
    w.add(&subject, il(r.kind.direct_property()), object);
}

fn event(w: &mut GraphWriter, base: &IriBase, e: &Event) {
    let node = base.event(&e.id);
    w.add(&node, iri(RDF, "type"), il("Event"));
    w.add(&node, il("eventId"), Literal::new_simple_literal(&e.id));
    w.text(&node, il("eventKind"), &e.kind, None);
    for p in &e.participants {
        w.add(&node, il("participant"), base.entity(p));
    }
    w.labels(&node, &iri(RDFS, "label"), &e.label);
    w.add(&node, il("claimStatus"), il(e.status.term()));
    w.edtf(&node, "edtf", &e.date.text);
    w.stated(&node, "date", &e.date.expr);
    w.bounds(&node, "date", &e.date.expr.range());
    evidence(w, base, &node, &e.evidence);
}
