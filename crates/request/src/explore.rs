//! The requests an investigator's browsing makes: finding an entity by
//! name, an entity's page, and a drawable neighbourhood of the network.

use crate::dates::when;
use crate::{Question, RequestError, StoreQuestion};
use interlock_graph::{
    EntityIndex, EntityPage, Filter, Found, Network, NetworkNode, Projection, SourcePage,
};
use interlock_store::Store;
use schemars::JsonSchema;
use serde::Deserialize;

/// How many entities a search answers unless asked otherwise.
pub const DEFAULT_SEARCH_LIMIT: usize = 10;
/// The most entities a search answers.
pub const MAX_SEARCH_LIMIT: usize = 100;
/// How many relationships an entity page lists unless asked otherwise.
pub const DEFAULT_TIES_LIMIT: usize = 200;
/// The most relationships an entity page lists.
pub const MAX_TIES_LIMIT: usize = 10_000;
/// How far from its centre a network reaches unless asked otherwise.
pub const DEFAULT_NETWORK_HOPS: usize = 2;
/// The farthest a network reaches from its centre.
pub const MAX_NETWORK_HOPS: usize = 4;
/// How many entities a network draws unless asked otherwise.
pub const DEFAULT_NETWORK_LIMIT: usize = 60;
/// The most entities a network draws: past it a picture is a hairball.
pub const MAX_NETWORK_LIMIT: usize = 2_000;

fn default_search_limit() -> usize {
    DEFAULT_SEARCH_LIMIT
}
fn default_ties_limit() -> usize {
    DEFAULT_TIES_LIMIT
}
fn default_network_hops() -> usize {
    DEFAULT_NETWORK_HOPS
}
fn default_network_limit() -> usize {
    DEFAULT_NETWORK_LIMIT
}

/// Refuses a count outside `min..=max`.
pub(crate) fn within(
    field: &'static str,
    given: usize,
    min: usize,
    max: usize,
) -> Result<(), RequestError> {
    if (min..=max).contains(&given) {
        return Ok(());
    }
    Err(RequestError::OutOfRange {
        field,
        given: given.try_into().unwrap_or(i64::MAX),
        min: min.try_into().unwrap_or(i64::MAX),
        max: max.try_into().unwrap_or(i64::MAX),
    })
}

/// Entities whose names, aliases or id have words starting with each word
/// of `q`, as a person types: an exact name first.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    /// The words typed (case and accents do not matter); not only spaces.
    #[schemars(length(min = 1), regex(pattern = r"\S"), extend("examples" = ["Hast"]))]
    pub q: String,
    /// How many entities to answer at most.
    #[serde(default = "default_search_limit")]
    #[schemars(range(min = 1, max = MAX_SEARCH_LIMIT))]
    pub limit: usize,
}

impl SearchRequest {
    /// Refuses a malformed request before any work.
    pub fn check(&self) -> Result<(), RequestError> {
        if self.q.trim().is_empty() {
            return Err(RequestError::Empty { field: "q" });
        }
        within("limit", self.limit, 1, MAX_SEARCH_LIMIT)
    }

    /// The entities found in `index`.
    pub fn answer(&self, index: &EntityIndex) -> Result<Vec<Found>, RequestError> {
        self.check()?;
        Ok(index.search(&self.q, self.limit))
    }
}

/// One entity's page: its names and identifiers, and its relationships
/// with their dates' bounds and evidence.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityRequest {
    /// The entity: its id (e.g. `reed-hastings`) or IRI.
    #[schemars(length(min = 1), extend("examples" = ["reed-hastings"]))]
    pub id: String,
    /// How many of its relationships to list at most (all are counted).
    #[serde(default = "default_ties_limit")]
    #[schemars(range(min = 1, max = MAX_TIES_LIMIT))]
    pub limit: usize,
}

impl StoreQuestion for EntityRequest {
    /// The page, read from the store.
    type Answer = EntityPage;

    fn check(&self) -> Result<(), RequestError> {
        if self.id.is_empty() {
            return Err(RequestError::Empty { field: "id" });
        }
        within("limit", self.limit, 1, MAX_TIES_LIMIT)
    }

    fn answer(&self, store: &Store) -> Result<EntityPage, RequestError> {
        self.check()?;
        let iri = interlock_graph::entity_iri(store, &self.id)?
            .ok_or_else(|| RequestError::UnknownEntity(self.id.clone()))?;
        Ok(interlock_graph::entity_page(store, &iri, self.limit)?)
    }
}

/// One source's page: what it is and the claims it supports, a page at a
/// time (a register is one source of a million claims).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRequest {
    /// The source: its id (the last segment of its IRI, e.g. `court-documents`) or IRI.
    #[schemars(length(min = 1), extend("examples" = ["court-documents"]))]
    pub id: String,
    /// The first claim to list (from 0), in the order of their IRIs.
    #[serde(default)]
    #[schemars(range(max = u32::MAX))]
    pub offset: usize,
    /// How many claims to list at most (all are counted).
    #[serde(default = "default_source_limit")]
    #[schemars(range(min = 1, max = MAX_SOURCE_LIMIT))]
    pub limit: usize,
}

/// How many of a source's claims a page lists unless asked otherwise.
pub const DEFAULT_SOURCE_LIMIT: usize = 50;
/// The most claims one page of a source lists.
pub const MAX_SOURCE_LIMIT: usize = 1000;

fn default_source_limit() -> usize {
    DEFAULT_SOURCE_LIMIT
}

impl StoreQuestion for SourceRequest {
    /// The page, read from the store.
    type Answer = SourcePage;

    fn check(&self) -> Result<(), RequestError> {
        if self.id.is_empty() {
            return Err(RequestError::Empty { field: "id" });
        }
        within("limit", self.limit, 1, MAX_SOURCE_LIMIT)
    }

    fn answer(&self, store: &Store) -> Result<SourcePage, RequestError> {
        self.check()?;
        let iri = interlock_graph::source_iri(store, &self.id)?
            .ok_or_else(|| RequestError::UnknownSource(self.id.clone()))?;
        Ok(interlock_graph::source_page(
            store,
            &iri,
            self.offset,
            self.limit,
        )?)
    }
}

/// Every dataset the store holds: title, licence, sources, counts, the
/// span of its dates, and what its import read.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetsRequest {}

impl StoreQuestion for DatasetsRequest {
    /// The datasets, by id.
    type Answer = Vec<interlock_graph::DatasetSummary>;

    fn check(&self) -> Result<(), RequestError> {
        Ok(())
    }

    fn answer(&self, store: &Store) -> Result<Self::Answer, RequestError> {
        Ok(interlock_graph::datasets(store)?)
    }
}

/// The part of the network to draw: the neighbourhood of `around` (or the
/// most connected entities), with whether each tie held at the time asked
/// about, definitely or possibly.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = { "required": ["at", "during"] }))]
pub struct NetworkRequest {
    /// The entity at the centre: its id or IRI. Absent: the most connected entities.
    #[serde(default)]
    #[schemars(length(min = 1), extend("examples" = ["netflix"]))]
    pub around: Option<String>,
    /// A date (`2013`, `2013-09` or `2013-09-15`): only the ties that held, at least possibly, then.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub at: Option<String>,
    /// A window (`2011/2013`, `2013-08/..`, `../2019`) or a date: only the ties that held at some time in it.
    /// Not together with `at`.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::WINDOW_PATTERN))]
    pub during: Option<String>,
    /// How many relationships away from the centre to reach.
    #[serde(default = "default_network_hops")]
    #[schemars(range(min = 1, max = MAX_NETWORK_HOPS))]
    pub hops: usize,
    /// How many entities to draw at most: the closest first, then the most connected.
    #[serde(default = "default_network_limit")]
    #[schemars(range(min = 1, max = MAX_NETWORK_LIMIT))]
    pub limit: usize,
    /// A date (`2015`, `2015-06` or `2015-06-30`): only the ties a source
    /// supporting them had definitely published by then (its last day);
    /// ties whose sources have no date are left out, and counted in the
    /// answer's `Interlock-Undated-Left-Out` header.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub known_by: Option<String>,
}

impl Question for NetworkRequest {
    type Answer = Network;

    /// The whole projection (with `known_by`, of what was public then, which
    /// keeps every entity): an entity with no tie at the time asked about
    /// is still known (an empty neighbourhood, not an unknown entity).
    fn filter(&self) -> Result<Filter, RequestError> {
        if self.around.as_deref() == Some("") {
            return Err(RequestError::Empty { field: "around" });
        }
        when(self.at.as_deref(), self.during.as_deref())?;
        within("hops", self.hops, 1, MAX_NETWORK_HOPS)?;
        within("limit", self.limit, 1, MAX_NETWORK_LIMIT)?;
        crate::analyses::public_filter(&self.known_by)
    }

    fn answer(&self, projection: &Projection) -> Result<Network, RequestError> {
        let when = when(self.at.as_deref(), self.during.as_deref())?;
        let centre = match &self.around {
            Some(id) => Some(
                projection
                    .node(id)
                    .ok_or_else(|| RequestError::UnknownEntity(id.clone()))?,
            ),
            None => None,
        };
        let snapshot;
        let held = match when.window() {
            None => projection,
            Some(window) => {
                snapshot = projection.filtered(&Filter::window(Some(window)));
                &snapshot
            }
        };
        let draw =
            |centre| interlock_graph::neighbourhood(held, centre, self.hops, self.limit, when);
        Ok(match centre {
            None => draw(None),
            Some(c) => match held.node(&projection.graph[c].iri) {
                Some(c) => draw(Some(c)),
                // Tied to nothing at that time: the centre alone.
                None => Network {
                    nodes: vec![NetworkNode {
                        id: projection.graph[c].id.clone(),
                        label: projection.graph[c].label.clone(),
                        kind: projection.graph[c].kind.clone(),
                        degree: 0,
                        hops: 0,
                        merged: projection.graph[c].merged.clone(),
                    }],
                    edges: Vec::new(),
                    total: 1,
                },
            },
        })
    }
}
