//! Inputs into validated RDF: timeline files (TOML) and RDF files, each
//! becoming the quads of one named graph, or located [`Diagnostic`]s.
//!
//! Nothing here touches a store: [`read_inputs`] either returns every
//! dataset ready to be written, or every problem found, so that a caller can
//! load all or nothing.

mod diagnostic;
mod inputs;
mod json_nesting;
pub mod rdf;
mod timeline;

pub use diagnostic::{Diagnostic, Diagnostics, line_column};
pub use inputs::{
    Content, Input, InputKind, QuadSource, Summary, all_or_problems, dataset_id_of, dataset_input,
    expand_paths, imported_input, read_inputs, read_rdf, read_rdf_inputs, read_utf8,
};
pub use json_nesting::{JsonNestingLimit, MAX_JSON_LD_NESTING, rdf_reader};
pub use rdf::{BadBase, IriBase, dataset_quads, entity_quads, relationship_quads};
pub use timeline::parse_timeline;
