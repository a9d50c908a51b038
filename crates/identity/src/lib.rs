//! One entity however many datasets name it.
//!
//! Each dataset keeps its own IRIs in its own graph; which of them are one
//! entity is stated in a graph of its own, the identity graph
//! (`{base}graph/identity`: each merged entity `owl:sameAs` the one it is
//! merged into), derived again by every load from two things:
//!
//! - identifiers whose scheme names one thing
//!   ([`interlock_model::vocab::IDENTIFYING_SCHEMES`]: a Wikidata item, an
//!   LEI, a national company number): entities sharing one are one;
//! - people's decisions (`[[decision]]` in a timeline): two entities are the
//!   same, or are not, whatever identifiers say.
//!
//! [`Rederive`] is the load's appendix that writes it; [`resolve`] the rule.

#![cfg_attr(
    test,
    allow(
        unused_crate_dependencies,
        reason = "unit tests see the dev-dependencies of the integration tests"
    )
)]

mod candidates;
mod facts;
mod rederive;
mod resolve;

pub use candidates::{Candidate, candidates, candidates_of};
pub use facts::decided_apart;
pub use rederive::Rederive;
pub use resolve::{Cluster, DecisionFact, Problem, Reason, decision_name, resolve};
