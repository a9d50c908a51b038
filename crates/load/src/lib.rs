//! Inputs into validated RDF: timeline files (TOML) and RDF files, each
//! becoming the quads of one named graph, or located [`Diagnostic`]s.
//!
//! Nothing here touches a store: [`read_inputs`] either returns every
//! dataset ready to be written, or every problem found, so that a caller can
//! load all or nothing.

#![warn(missing_docs)]

mod diagnostic;
mod inputs;
pub mod rdf;
mod timeline;

pub use diagnostic::{Diagnostic, Diagnostics, line_column};
pub use inputs::{Input, InputKind, Summary, expand_paths, read_inputs};
pub use rdf::{IriBase, dataset_quads};
pub use timeline::parse_timeline;
