//! IRIs of the vocabularies interlock writes and reads.
//!
//! The interlock ontology (`data/ontology.ttl`) lives at [`IL`]; data IRIs
//! are minted under a configurable base ([`DEFAULT_BASE`] by default):
//! `{base}{entity-id}` for entities, `{base}relationship/{id}`,
//! `{base}source/{id}`, `{base}event/{id}` and `{base}graph/{dataset-id}`
//! for the named graph of a dataset.

/// The interlock ontology namespace.
pub const IL: &str = "https://w3id.org/interlock/ontology#";
/// The default base for data IRIs.
pub const DEFAULT_BASE: &str = "https://w3id.org/interlock/id/";
/// RDF.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// RDF Schema.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// XML Schema datatypes.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// schema.org.
pub const SCHEMA: &str = "http://schema.org/";
/// Dublin Core terms.
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
/// PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// The W3C Organization Ontology.
pub const ORG: &str = "http://www.w3.org/ns/org#";
/// SKOS.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// CiTO, the Citation Typing Ontology.
pub const CITO: &str = "http://purl.org/spar/cito/";
/// Wikidata entities.
pub const WIKIDATA_ENTITY: &str = "http://www.wikidata.org/entity/";

/// The date written into RDF bounds for "no earliest bound".
pub const UNBOUNDED_EARLIEST: &str = "-9999-01-01";
/// The date written into RDF bounds for "no latest bound".
pub const UNBOUNDED_LATEST: &str = "9999-12-31";

/// `il:{local}`.
pub fn il(local: &str) -> String {
    format!("{IL}{local}")
}
