//! The analysis half of interlock: the store projected into a petgraph
//! multigraph (built by SPARQL, so any RDF using the ontology projects), and
//! the questions SPARQL property paths answer badly — every chain that
//! linked two entities and when it held, interlocks in time.

#![cfg_attr(
    test,
    allow(
        unused_crate_dependencies,
        reason = "unit tests see the dev-dependencies of the integration tests"
    )
)]

mod centrality;
mod datasets;
mod entity;
mod export;
mod interlocks;
mod kept;
mod links;
mod names;
mod network;
mod parallel;
mod projection;
mod reach;
mod search;
mod shortest_paths;
mod source;
mod stats;
mod timeline;

pub use centrality::{Measure, Score, centrality, most_central};
pub use datasets::{DatasetSource, DatasetSummary, SOURCES_SHOWN, datasets};
pub use entity::{
    Bounds, Counterpart, EntityPage, EvidenceDetail, Identifier, MergedFrom, SourceRef, Tie,
    entity_iri, entity_page,
};
pub use export::{ExportFormat, export, write_nodes_csv};
pub use interlocks::{Interlock, interlocks};
pub use kept::Origin;
pub use links::{Link, Step, When, Window, links_between};
pub use network::{Network, NetworkEdge, NetworkNode, neighbourhood};
pub use projection::{Edge, EvidenceRef, Filter, Merged, Node, Projection};
pub use reach::{Arrival, reach};
pub use search::{EntityIndex, Found};
pub use source::{Party, SourceClaim, SourcePage, source_iri, source_page};
pub use stats::{YearStats, stats, years};
pub use timeline::{Entry, Timeline, TimelineFilter, timeline};

/// What can go wrong while analysing.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] interlock_store::StoreError),
    /// A projection query gave something unexpected.
    #[error("projection query failed: {0}")]
    Query(String),
}
