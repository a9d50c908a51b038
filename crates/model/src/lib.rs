//! The interlock domain model: what a dated, sourced fact about corporate
//! relationships is, independent of files, stores and servers.
//!
//! - [`time`]: EDTF dates, ranges of days, intervals and the three-valued
//!   [`time::Certainty`] of "did it hold then?".
//! - [`kinds`]: the closed vocabularies (entity, source and relationship
//!   kinds, claim statuses, amounts).
//! - [`dataset`]: entities, sources, relationships, events and evidence,
//!   as a validated timeline holds them.
//! - [`vocab`]: the IRIs these map to in RDF.

#![cfg_attr(
    test,
    allow(
        unused_crate_dependencies,
        reason = "unit tests see the dev-dependencies of the integration tests"
    )
)]

pub mod dataset;
pub mod kinds;
pub mod sentence;
pub mod slug;
pub mod time;
pub mod vocab;

pub use dataset::{
    Amount, Dataset, DateValue, Decision, Entity, Event, Evidence, Labels, Relationship, Source,
    TimeSpan,
};
pub use kinds::{
    AmountPeriod, AmountQualifier, ClaimStatus, EntityKind, RelationshipKind, SourceKind,
};
pub use time::{Certainty, DateExpr, DateRange, Edtf, Interval};
