//! One request per question on the graph, each with its defaults and checks.

use crate::dates::{span, when};
use crate::fields::comma_list;
use crate::{Question, RequestError, StoreQuestion};
use interlock_graph::{
    Arrival, Entry, ExportFormat, Filter, Interlock, Link, Measure, Projection, Score, Timeline,
    TimelineFilter, When, YearStats,
};
use interlock_model::EntityKind;
use interlock_store::Store;
use petgraph::graph::NodeIndex;
use schemars::JsonSchema;
use serde::Deserialize;
use std::io::Write;

/// The longest chain `links` walks unless asked otherwise.
pub const DEFAULT_MAX_HOPS: usize = 3;
/// The longest chain `links` walks at all: chains grow with the graph's
/// degree to this power, so past it one request could keep a server busy.
pub const MAX_HOPS: usize = 6;
/// The measure `centrality` uses unless asked otherwise.
pub const DEFAULT_MEASURE: Measure = Measure::Degree;
/// How many entities `centrality` shows unless asked otherwise.
pub const DEFAULT_TOP: u32 = 20;
/// The first year `stats` accepts: the date model reads four-digit years.
pub const FIRST_YEAR: i32 = -9999;
/// The last year `stats` accepts.
pub const LAST_YEAR: i32 = 9999;

fn default_max_hops() -> usize {
    DEFAULT_MAX_HOPS
}

fn default_top() -> u32 {
    DEFAULT_TOP
}

/// The entity `id_or_iri` names in `projection`.
fn entity(projection: &Projection, id_or_iri: &str) -> Result<NodeIndex, RequestError> {
    projection
        .node(id_or_iri)
        .ok_or_else(|| RequestError::UnknownEntity(id_or_iri.to_string()))
}

/// The projection of what held (at least possibly) at `at` or during
/// `during`, of the claims public by `known_by`: the filter of every
/// windowed question.
fn window_filter(
    at: &Option<String>,
    during: &Option<String>,
    known_by: &Option<String>,
) -> Result<Filter, RequestError> {
    Ok(Filter {
        window: when(at.as_deref(), during.as_deref())?.window(),
        ..public_filter(known_by)?
    })
}

/// The projection of every claim public by `known_by` (its last day), or
/// of every claim.
pub(crate) fn public_filter(known_by: &Option<String>) -> Result<Filter, RequestError> {
    let known_by = match known_by {
        Some(day) => Some(crate::dates::parse_date("known_by", day)?.latest),
        None => None,
    };
    Ok(Filter {
        known_by,
        ..Filter::default()
    })
}

/// Refuses an empty entity name before any work.
fn named(field: &'static str, value: &str) -> Result<(), RequestError> {
    match value.is_empty() {
        true => Err(RequestError::Empty { field }),
        false => Ok(()),
    }
}

/// Every chain of relationships (up to `max_hops`) that linked two
/// entities, with the window in which the whole chain held and its sources.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = { "required": ["at", "during"] }))]
pub struct LinksRequest {
    /// One entity: its id (e.g. `netflix`) or IRI.
    #[schemars(length(min = 1), extend("examples" = ["netflix"]))]
    pub from: String,
    /// The other entity: its id or IRI.
    #[schemars(length(min = 1), extend("examples" = ["facebook"]))]
    pub to: String,
    /// A date (`2013`, `2013-09` or `2013-09-15`): only chains that held, at least
    /// possibly, then. Absent: at any time.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub at: Option<String>,
    /// A window (`2011/2013`, `2013-08/..`, `../2019`) or a date: only chains that held, at least
    /// possibly, at some time in it. Not together with `at`.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::WINDOW_PATTERN))]
    pub during: Option<String>,
    /// A date (`2015`, `2015-06` or `2015-06-30`): only claims a source
    /// supporting them had definitely published by then (its last day);
    /// claims whose sources have no date are left out, and counted in the
    /// answer's `Interlock-Undated-Left-Out` header.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub known_by: Option<String>,
    /// The longest chain, in relationships.
    #[serde(default = "default_max_hops")]
    #[schemars(range(min = 1, max = MAX_HOPS))]
    pub max_hops: usize,
}

impl LinksRequest {
    fn when(&self) -> Result<When, RequestError> {
        when(self.at.as_deref(), self.during.as_deref())
    }
}

impl Question for LinksRequest {
    type Answer = Vec<Link>;

    fn filter(&self) -> Result<Filter, RequestError> {
        named("from", &self.from)?;
        named("to", &self.to)?;
        self.when()?;
        if !(1..=MAX_HOPS).contains(&self.max_hops) {
            return Err(RequestError::OutOfRange {
                field: "max_hops",
                given: self.max_hops.try_into().unwrap_or(i64::MAX),
                min: 1,
                max: MAX_HOPS as i64,
            });
        }
        public_filter(&self.known_by)
    }

    fn answer(&self, projection: &Projection) -> Result<Vec<Link>, RequestError> {
        let (a, b) = (
            entity(projection, &self.from)?,
            entity(projection, &self.to)?,
        );
        Ok(interlock_graph::links_between(
            projection,
            a,
            b,
            self.max_hops,
            self.when()?,
        ))
    }
}

/// People holding positions at two organizations at overlapping times.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = { "required": ["at", "during"] }))]
pub struct InterlocksRequest {
    /// A date (`2013`, `2013-09` or `2013-09-15`): only positions that overlapped, at least possibly, then.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub at: Option<String>,
    /// A window (`2011/2013`, `2013-08/..`, `../2019`) or a date: only positions that overlapped at some time in it.
    /// Not together with `at`.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::WINDOW_PATTERN))]
    pub during: Option<String>,
    /// A date (`2015`, `2015-06` or `2015-06-30`): only claims a source
    /// supporting them had definitely published by then (its last day);
    /// claims whose sources have no date are left out, and counted in the
    /// answer's `Interlock-Undated-Left-Out` header.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub known_by: Option<String>,
}

impl Question for InterlocksRequest {
    type Answer = Vec<Interlock>;

    fn filter(&self) -> Result<Filter, RequestError> {
        when(self.at.as_deref(), self.during.as_deref())?;
        public_filter(&self.known_by)
    }

    fn answer(&self, projection: &Projection) -> Result<Vec<Interlock>, RequestError> {
        let window = when(self.at.as_deref(), self.during.as_deref())?.window();
        Ok(interlock_graph::interlocks(projection, window))
    }
}

/// The most central entities on the ties that held (at least possibly) at
/// the time asked about.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = { "required": ["at", "during"] }))]
pub struct CentralityRequest {
    /// Which measure (values match networkx's).
    #[serde(default = "default_measure")]
    pub measure: Measure,
    /// Show only entities of this kind; scores are still computed on the whole graph.
    #[serde(default)]
    pub kind: Option<EntityKind>,
    /// A date (`2013`, `2013-09` or `2013-09-15`): only the ties that held, at least possibly, then.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub at: Option<String>,
    /// A window (`2011/2013`, `2013-08/..`, `../2019`) or a date: only the ties that held at some time in it. Not
    /// together with `at`.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::WINDOW_PATTERN))]
    pub during: Option<String>,
    /// A date (`2015`, `2015-06` or `2015-06-30`): only claims a source
    /// supporting them had definitely published by then (its last day);
    /// claims whose sources have no date are left out, and counted in the
    /// answer's `Interlock-Undated-Left-Out` header.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub known_by: Option<String>,
    /// Show only this many entities, the most central first.
    #[serde(default = "default_top")]
    #[schemars(range(max = u32::MAX))]
    pub top: u32,
}

fn default_measure() -> Measure {
    DEFAULT_MEASURE
}

impl Question for CentralityRequest {
    type Answer = Vec<Score>;

    fn filter(&self) -> Result<Filter, RequestError> {
        window_filter(&self.at, &self.during, &self.known_by)
    }

    fn answer(&self, projection: &Projection) -> Result<Vec<Score>, RequestError> {
        Ok(interlock_graph::most_central(
            projection,
            self.measure,
            self.kind,
            self.top.try_into().unwrap_or(usize::MAX),
        ))
    }
}

/// The graph of entities and relationships that held (at least possibly)
/// at the time asked about, for Gephi, Cytoscape, Graphviz or networkx.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = { "required": ["at", "during"] }))]
pub struct ExportRequest {
    /// A date (`2013`, `2013-09` or `2013-09-15`): only the relationships that held, at least possibly, then.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub at: Option<String>,
    /// A window (`2011/2013`, `2013-08/..`, `../2019`) or a date: only the relationships that held at some time in
    /// it. Not together with `at`.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::WINDOW_PATTERN))]
    pub during: Option<String>,
    /// A date (`2015`, `2015-06` or `2015-06-30`): only claims a source
    /// supporting them had definitely published by then (its last day);
    /// claims whose sources have no date are left out, and counted in the
    /// answer's `Interlock-Undated-Left-Out` header.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub known_by: Option<String>,
    /// Only the part the page draws around this entity (its id or IRI), as
    /// `/api/network` answers it with the same `hops` and `limit`. Absent
    /// (and no `limit`): the whole graph.
    #[serde(default)]
    #[schemars(length(min = 1), extend("examples" = ["netflix"]))]
    pub around: Option<String>,
    /// With `around`: how many relationships away from it.
    #[serde(default)]
    #[schemars(range(min = 1, max = crate::MAX_NETWORK_HOPS))]
    pub hops: Option<usize>,
    /// How many entities at most, as `/api/network` draws them (around an
    /// entity, the closest first; else around the most connected of the
    /// largest connected group). Absent without `around`: every entity.
    #[serde(default)]
    #[schemars(range(min = 1, max = crate::MAX_NETWORK_LIMIT))]
    pub limit: Option<usize>,
}

impl ExportRequest {
    /// The part of `projection` (made with [`Self::filter`]) asked for, as
    /// the page draws it; `None` when the whole graph is.
    pub fn part(&self, projection: &Projection) -> Result<Option<Projection>, RequestError> {
        if self.around.is_none() && self.limit.is_none() {
            return Ok(None);
        }
        let hops = self.hops.unwrap_or(crate::DEFAULT_NETWORK_HOPS);
        let limit = self.limit.unwrap_or(crate::DEFAULT_NETWORK_LIMIT);
        crate::explore::within("hops", hops, 1, crate::MAX_NETWORK_HOPS)?;
        crate::explore::within("limit", limit, 1, crate::MAX_NETWORK_LIMIT)?;
        let centre = match &self.around {
            None => None,
            Some(id) => match projection.node(id) {
                Some(n) => Some(n),
                // Unknown to the whole graph: not found.
                None if self.at.is_none() && self.during.is_none() => {
                    return Err(RequestError::UnknownEntity(id.clone()));
                }
                // Tied to nothing at the time asked about (a snapshot holds
                // only tied entities): the part is empty, as the page draws
                // the centre alone.
                None => return Ok(Some(projection.restricted_to(&Default::default()))),
            },
        };
        let when = when(self.at.as_deref(), self.during.as_deref())?;
        let drawn = interlock_graph::neighbourhood(projection, centre, hops, limit, when);
        let ids = drawn.nodes.into_iter().map(|n| n.id).collect();
        Ok(Some(projection.restricted_to(&ids)))
    }

    /// The format named `name`.
    pub fn format(name: &str) -> Result<ExportFormat, RequestError> {
        ExportFormat::from_name(name).ok_or_else(|| RequestError::UnknownExportFormat {
            given: name.to_string(),
            expected: ExportFormat::NAMES.join(", "),
        })
    }

    /// Which projection to export; refuses a malformed request.
    pub fn filter(&self) -> Result<Filter, RequestError> {
        window_filter(&self.at, &self.during, &self.known_by)
    }

    /// Writes `projection` (made with [`Self::filter`]) in `format` to
    /// `out`; for CSV, the edges ([`Self::write_nodes`] writes the nodes).
    pub fn write(
        projection: &Projection,
        format: ExportFormat,
        out: impl Write,
    ) -> Result<(), RequestError> {
        Ok(interlock_graph::export(projection, format, out)?)
    }

    /// Writes the nodes of a CSV export to `out`.
    pub fn write_nodes(projection: &Projection, out: impl Write) -> Result<(), RequestError> {
        Ok(interlock_graph::write_nodes_csv(projection, out)?)
    }
}

/// Events and the starts and ends of relationships in date order, each
/// date as stated, with sources. Read from the store, not a projection:
/// it shows events and undated claims too.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineRequest {
    /// Only what concerns these entities: ids, comma-separated. Empty or absent: everything.
    #[serde(default, deserialize_with = "comma_list")]
    #[schemars(with = "Option<String>")]
    pub entities: Vec<String>,
    /// Only from this date (`2013`, `2013-09` or `2013-09-15`) on (its first day).
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub from: Option<String>,
    /// Only up to this date (`2013`, `2013-09` or `2013-09-15`) (its last day).
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub to: Option<String>,
    /// A date (`2015`, `2015-06` or `2015-06-30`): only claims a source
    /// supporting them had definitely published by then (its last day);
    /// claims whose sources have no date are left out, and counted in the
    /// answer's `Interlock-Undated-Left-Out` header.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub known_by: Option<String>,
}

impl TimelineRequest {
    fn window(&self) -> Result<Option<interlock_model::time::DateRange>, RequestError> {
        span(self.from.as_deref(), self.to.as_deref())
    }

    /// The timeline, with how many claims `known_by` left out for want of a
    /// dated source. An entity the store does not hold is an error, as in
    /// every question naming one, never an empty timeline.
    pub fn timeline(&self, store: &Store) -> Result<Timeline, RequestError> {
        for id in &self.entities {
            interlock_graph::entity_iri(store, id)?
                .ok_or_else(|| RequestError::UnknownEntity(id.clone()))?;
        }
        let filter = TimelineFilter {
            entities: self.entities.clone(),
            window: self.window()?,
            known_by: public_filter(&self.known_by)?.known_by,
        };
        Ok(interlock_graph::timeline(store, &filter)?)
    }
}

impl StoreQuestion for TimelineRequest {
    /// The entries, in date order, undated ones last.
    type Answer = Vec<Entry>;

    fn check(&self) -> Result<(), RequestError> {
        public_filter(&self.known_by)?;
        self.window().map(drop)
    }

    fn answer(&self, store: &Store) -> Result<Vec<Entry>, RequestError> {
        Ok(self.timeline(store)?.entries)
    }
}

/// The earliest day each entity can be reached from one, along chains
/// whose ties are taken in time order.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReachRequest {
    /// The entity to start from: its id or IRI.
    #[schemars(length(min = 1), extend("examples" = ["netflix"]))]
    pub start: String,
    /// Leave on this date (`2013`, `2013-09` or `2013-09-15`) (its first day). Absent: at any time.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub from: Option<String>,
    /// A date (`2015`, `2015-06` or `2015-06-30`): only claims a source
    /// supporting them had definitely published by then (its last day);
    /// claims whose sources have no date are left out, and counted in the
    /// answer's `Interlock-Undated-Left-Out` header.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub known_by: Option<String>,
}

impl Question for ReachRequest {
    type Answer = Vec<Arrival>;

    fn filter(&self) -> Result<Filter, RequestError> {
        named("start", &self.start)?;
        span(self.from.as_deref(), None)?;
        public_filter(&self.known_by)
    }

    fn answer(&self, projection: &Projection) -> Result<Vec<Arrival>, RequestError> {
        let start = entity(projection, &self.start)?;
        let from = span(self.from.as_deref(), None)?.map(|w| w.earliest);
        Ok(interlock_graph::reach(projection, start, from))
    }
}

/// The graph year by year: entities, relationships (possibly and
/// definitely held), connected components and density.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatsRequest {
    /// The first year. Absent: the first year of any stated date.
    #[serde(default)]
    #[schemars(range(min = FIRST_YEAR, max = LAST_YEAR))]
    pub from: Option<i32>,
    /// The last year. Absent: the last year of any stated date. Before the
    /// first year: no years.
    #[serde(default)]
    #[schemars(range(min = FIRST_YEAR, max = LAST_YEAR))]
    pub to: Option<i32>,
    /// A date (`2015`, `2015-06` or `2015-06-30`): only claims a source
    /// supporting them had definitely published by then (its last day);
    /// claims whose sources have no date are left out, and counted in the
    /// answer's `Interlock-Undated-Left-Out` header.
    #[serde(default)]
    #[schemars(regex(pattern = crate::dates::DATE_PATTERN))]
    pub known_by: Option<String>,
}

impl Question for StatsRequest {
    type Answer = Vec<YearStats>;

    fn filter(&self) -> Result<Filter, RequestError> {
        for (field, year) in [("from", self.from), ("to", self.to)] {
            if let Some(given) = year.filter(|y| !(FIRST_YEAR..=LAST_YEAR).contains(y)) {
                return Err(RequestError::OutOfRange {
                    field,
                    given: given.into(),
                    min: FIRST_YEAR.into(),
                    max: LAST_YEAR.into(),
                });
            }
        }
        public_filter(&self.known_by)
    }

    fn answer(&self, projection: &Projection) -> Result<Vec<YearStats>, RequestError> {
        let span = interlock_graph::years(projection);
        let first = self.from.or(span.map(|s| s.0));
        let last = self.to.or(span.map(|s| s.1));
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(Vec::new());
        };
        Ok(interlock_graph::stats(projection, first, last))
    }
}
