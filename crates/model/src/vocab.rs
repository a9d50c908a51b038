//! IRIs of the vocabularies interlock writes and reads.
//!
//! The interlock ontology (`data/ontology.ttl`) lives at [`IL`]; data IRIs
//! are minted under a configurable base ([`DEFAULT_BASE`] by default):
//! `{base}{entity-id}` for entities, `{base}relationship/{id}`,
//! `{base}source/{id}`, `{base}event/{id}` and `{base}graph/{dataset-id}`
//! for the named graph of a dataset.

// Each namespace is spelled once, as a macro, so that `concat!` can build
// the full IRIs of its terms as constants.
macro_rules! rdf_namespace {
    () => {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    };
}
macro_rules! rdfs_namespace {
    () => {
        "http://www.w3.org/2000/01/rdf-schema#"
    };
}
macro_rules! schema_namespace {
    () => {
        "http://schema.org/"
    };
}
macro_rules! dcterms_namespace {
    () => {
        "http://purl.org/dc/terms/"
    };
}
macro_rules! cito_namespace {
    () => {
        "http://purl.org/spar/cito/"
    };
}
macro_rules! owl_namespace {
    () => {
        "http://www.w3.org/2002/07/owl#"
    };
}
macro_rules! skos_namespace {
    () => {
        "http://www.w3.org/2004/02/skos/core#"
    };
}

/// Spells the interlock ontology namespace, for `concat!`.
macro_rules! il_namespace {
    () => {
        "https://w3id.org/interlock/ontology#"
    };
}

/// The interlock ontology namespace.
pub const IL: &str = il_namespace!();
/// The default base for data IRIs.
pub const DEFAULT_BASE: &str = "https://w3id.org/interlock/id/";
/// RDF.
pub const RDF: &str = rdf_namespace!();
/// RDF Schema.
pub const RDFS: &str = rdfs_namespace!();
/// XML Schema datatypes.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// schema.org.
pub const SCHEMA: &str = schema_namespace!();
/// Dublin Core terms.
pub const DCTERMS: &str = dcterms_namespace!();
/// PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// The W3C Organization Ontology.
pub const ORG: &str = "http://www.w3.org/ns/org#";
/// SKOS.
pub const SKOS: &str = skos_namespace!();
/// CiTO, the Citation Typing Ontology.
pub const CITO: &str = cito_namespace!();
/// Wikidata entities.
pub const WIKIDATA_ENTITY: &str = "http://www.wikidata.org/entity/";

/// Declares ontology terms as full IRIs: `NAME = namespace-macro "local"`.
macro_rules! terms {
    ($( $(#[$meta:meta])* $name:ident = $ns:ident $local:literal ),+ $(,)?) => {
        $( $(#[$meta])* pub const $name: &str = concat!($ns!(), $local); )+
    };
}

terms! {
    /// `rdf:type`.
    RDF_TYPE = rdf_namespace "type",
    /// `rdf:JSON`: the datatype of JSON text.
    RDF_JSON = rdf_namespace "JSON",
    /// `rdfs:label`: names of entities, labels of relationships and events.
    RDFS_LABEL = rdfs_namespace "label",
    /// `dcterms:title`: a dataset's or a source's title.
    DCTERMS_TITLE = dcterms_namespace "title",
    /// `schema:sameAs`: a Wikidata item the entity is.
    SCHEMA_SAME_AS = schema_namespace "sameAs",
    /// `skos:altLabel`: another name of an entity.
    SKOS_ALT_LABEL = skos_namespace "altLabel",
    /// `schema:description`: what an entity is, in a few words.
    SCHEMA_DESCRIPTION = schema_namespace "description",
    /// `schema:url`: an entity's or a source's web address.
    SCHEMA_URL = schema_namespace "url",
    /// `dcterms:identifier`: an identifier of an entity, as `scheme:value`.
    DCTERMS_IDENTIFIER = dcterms_namespace "identifier",
    /// `dcterms:publisher`: who published a source.
    DCTERMS_PUBLISHER = dcterms_namespace "publisher",
    /// `dcterms:creator`: who wrote a source.
    DCTERMS_CREATOR = dcterms_namespace "creator",
    /// `dcterms:language`: a source's language.
    DCTERMS_LANGUAGE = dcterms_namespace "language",
    /// `cito:cites`: a source another reports from.
    CITO_CITES = cito_namespace "cites",
    /// `dcterms:date`: when a decision was taken (EDTF).
    DCTERMS_DATE = dcterms_namespace "date",
    /// `rdfs:comment`: why a decision was taken.
    RDFS_COMMENT = rdfs_namespace "comment",
    /// `owl:sameAs`: in the identity graph, an entity and the one it is merged into.
    OWL_SAME_AS = owl_namespace "sameAs",
}

terms! {
    /// Class of datasets (one named graph each).
    DATASET = il_namespace "Dataset",
    /// Class of entities.
    ENTITY = il_namespace "Entity",
    /// Class of relationships.
    RELATIONSHIP = il_namespace "Relationship",
    /// Class of sources.
    SOURCE_CLASS = il_namespace "Source",
    /// Class of evidence.
    EVIDENCE_CLASS = il_namespace "Evidence",
    /// Class of events.
    EVENT = il_namespace "Event",
    /// A dataset's short id.
    DATASET_ID = il_namespace "datasetId",
    /// What an import of a dataset read (rows, rejects by reason, counts),
    /// as a JSON literal.
    IMPORT_REPORT = il_namespace "importReport",
    /// An entity's short id.
    ENTITY_ID = il_namespace "entityId",
    /// A relationship's short id.
    RELATIONSHIP_ID = il_namespace "relationshipId",
    /// An event's short id.
    EVENT_ID = il_namespace "eventId",
    /// What kind of event it was (free text).
    EVENT_KIND = il_namespace "eventKind",
    /// An entity taking part in an event.
    PARTICIPANT = il_namespace "participant",
    /// A relationship's subject.
    SUBJECT = il_namespace "subject",
    /// A relationship's object.
    OBJECT = il_namespace "object",
    /// The subject's role in a relationship.
    ROLE = il_namespace "role",
    /// What a relationship went through (an API, a product).
    INSTRUMENT = il_namespace "instrument",
    /// How sure the sources are of a claim.
    CLAIM_STATUS = il_namespace "claimStatus",
    /// Money involved in a relationship.
    AMOUNT = il_namespace "amount",
    /// How often an amount was paid.
    PERIOD = il_namespace "period",
    /// Whether an amount is exact, approximate, a minimum or a maximum.
    AMOUNT_QUALIFIER = il_namespace "amountQualifier",
    /// The evidence for a claim.
    EVIDENCE = il_namespace "evidence",
    /// The source a piece of evidence quotes.
    SOURCE = il_namespace "source",
    /// The quote, in its language.
    QUOTE = il_namespace "quote",
    /// The quote's English gloss.
    GLOSS = il_namespace "gloss",
    /// Where in the source the quote is.
    LOCATION = il_namespace "location",
    /// The source a quote attributes the claim to.
    ATTRIBUTED_TO = il_namespace "attributedTo",
    /// A relationship's or event's time as written (EDTF).
    EDTF = il_namespace "edtf",
    /// Class of decisions that two entities are one.
    SAME_DECISION = il_namespace "SameEntityDecision",
    /// Class of decisions that two entities are not one.
    NOT_SAME_DECISION = il_namespace "DistinctEntityDecision",
    /// An entity a decision is about (each decision has two).
    CONCERNS = il_namespace "concerns",
    /// Class of the identity graph: the graph that states which entities are one.
    IDENTITIES = il_namespace "Identities",
}

/// The dataset id of the identity graph (`{base}graph/identity`), which
/// interlock derives on every load from shared identifiers and decisions;
/// no dataset may take it.
pub const IDENTITY_DATASET: &str = "identity";

/// The identifier schemes whose values name one thing wherever they appear:
/// two entities with the same value of one of them are one entity. Others
/// (a registration number without its register, a URL) do not merge.
pub const IDENTIFYING_SCHEMES: &[&str] = &[
    "wikidata",
    "lei",
    "orgnr",
    "opencorporates",
    "gb-coh",
    "ie-cro",
];

/// The properties one dated thing is written with: its EDTF text, its
/// stated value at its precision, that value's qualifier, and the first
/// and last day it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTerms {
    /// The EDTF text of this date alone.
    pub edtf: &'static str,
    /// The stated value, typed `xsd:gYear`, `xsd:gYearMonth` or `xsd:date`.
    pub stated: &'static str,
    /// The qualifier of the stated value (uncertain, approximate), where the
    /// ontology has one.
    pub qualifier: Option<&'static str>,
    /// The first day it may be (`xsd:date`, [`UNBOUNDED_EARLIEST`] when unbounded).
    pub earliest: &'static str,
    /// The last day it may be (`xsd:date`, [`UNBOUNDED_LATEST`] when unbounded).
    pub latest: &'static str,
}

/// A relationship's start.
pub const START: DateTerms = DateTerms {
    edtf: concat!(il_namespace!(), "startEdtf"),
    stated: concat!(il_namespace!(), "startDate"),
    qualifier: Some(concat!(il_namespace!(), "startDateQualifier")),
    earliest: concat!(il_namespace!(), "startEarliest"),
    latest: concat!(il_namespace!(), "startLatest"),
};

/// A relationship's end.
pub const END: DateTerms = DateTerms {
    edtf: concat!(il_namespace!(), "endEdtf"),
    stated: concat!(il_namespace!(), "endDate"),
    qualifier: Some(concat!(il_namespace!(), "endDateQualifier")),
    earliest: concat!(il_namespace!(), "endEarliest"),
    latest: concat!(il_namespace!(), "endLatest"),
};

/// An event's date (its EDTF text is [`EDTF`]).
pub const EVENT_DATE: DateTerms = DateTerms {
    edtf: EDTF,
    stated: concat!(il_namespace!(), "date"),
    qualifier: Some(concat!(il_namespace!(), "dateQualifier")),
    earliest: concat!(il_namespace!(), "dateEarliest"),
    latest: concat!(il_namespace!(), "dateLatest"),
};

/// A source's publication date (its stated value is `dcterms:issued`).
pub const PUBLISHED: DateTerms = DateTerms {
    edtf: concat!(il_namespace!(), "publishedEdtf"),
    stated: concat!(dcterms_namespace!(), "issued"),
    qualifier: None,
    earliest: concat!(il_namespace!(), "publishedEarliest"),
    latest: concat!(il_namespace!(), "publishedLatest"),
};

/// The date written into RDF bounds for "no earliest bound": the first day
/// of the year 1, because shared stores keep no earlier one (Virtuoso
/// refuses or garbles every negative year and the year 0).
pub const UNBOUNDED_EARLIEST: &str = "0001-01-01";
/// The date written into RDF bounds for "no latest bound".
pub const UNBOUNDED_LATEST: &str = "9999-12-31";

/// An IRI's last segment (after its last `/` or `#`): the id of a thing
/// minted under a base (`{base}facebook` → `facebook`).
pub fn last_segment(iri: &str) -> &str {
    iri.rsplit(['/', '#']).next().unwrap_or(iri)
}

/// `il:{local}`.
pub fn il(local: &str) -> String {
    format!("{IL}{local}")
}

/// A day as an RDF date bound: `YYYY-MM-DD` for the years 1 to 9999; days
/// after them (the model's "unbounded") are written as [`UNBOUNDED_LATEST`],
/// days before the year 1 (unbounded, or BCE, which no relationship needs
/// and shared stores cannot keep) as [`UNBOUNDED_EARLIEST`], so that plain
/// SPARQL comparisons work on every store. The EDTF text keeps the exact
/// value.
pub fn write_date_bound(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match day.year() {
        y if y > 9999 => UNBOUNDED_LATEST.to_string(),
        y if y < 1 => UNBOUNDED_EARLIEST.to_string(),
        _ => day.format("%Y-%m-%d").to_string(),
    }
}

/// A day read back from an RDF date bound: the unbounded markers as the
/// model's unbounded days ([`chrono::NaiveDate::MIN`] / `MAX`). Stores
/// written before the marker was the year 1 said `-9999-01-01`: any day of
/// the year -9999 still reads as the unbounded earliest.
pub fn read_date_bound(text: &str) -> Option<chrono::NaiveDate> {
    match text {
        UNBOUNDED_EARLIEST => Some(chrono::NaiveDate::MIN),
        UNBOUNDED_LATEST => Some(chrono::NaiveDate::MAX),
        _ if text.starts_with("-9999-") => Some(chrono::NaiveDate::MIN),
        _ => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn date_bounds_read_back_as_written() {
        for (day, text) in [
            (NaiveDate::MIN, UNBOUNDED_EARLIEST),
            (NaiveDate::MAX, UNBOUNDED_LATEST),
            (NaiveDate::from_ymd_opt(2013, 8, 1).unwrap(), "2013-08-01"),
            (NaiveDate::from_ymd_opt(1, 1, 2).unwrap(), "0001-01-02"),
        ] {
            assert_eq!(write_date_bound(day), text);
            assert_eq!(read_date_bound(text), Some(day));
        }
        assert_eq!(read_date_bound("2013-02-30"), None);
        // BCE days have no bound of their own.
        let bce = NaiveDate::from_ymd_opt(-500, 6, 1).unwrap();
        assert_eq!(write_date_bound(bce), UNBOUNDED_EARLIEST);
        // The old marker, as written and as Virtuoso garbled it.
        assert_eq!(read_date_bound("-9999-01-01"), Some(NaiveDate::MIN));
        assert_eq!(read_date_bound("-9999-02-65508"), Some(NaiveDate::MIN));
    }

    #[test]
    fn terms_are_full_iris_in_their_namespace() {
        assert_eq!(ENTITY_ID, "https://w3id.org/interlock/ontology#entityId");
        assert_eq!(
            START.earliest,
            "https://w3id.org/interlock/ontology#startEarliest"
        );
        assert_eq!(PUBLISHED.stated, "http://purl.org/dc/terms/issued");
        assert_eq!(RDFS_LABEL, "http://www.w3.org/2000/01/rdf-schema#label");
    }
}
