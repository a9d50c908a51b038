//! Likely duplicates: the pairs `interlock candidates` lists, for one
//! entity's page or for the whole store, with the same default score.

use crate::RequestError;
use interlock_graph::{Filter, Projection};
use interlock_identity::Candidate;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::HashSet;

/// The score a pair needs to be listed unless asked otherwise: precise
/// enough that a list is worth reading (tests/candidates.rs measures it).
pub const DEFAULT_MIN_SCORE: f64 = 0.9;

fn default_min_score() -> f64 {
    DEFAULT_MIN_SCORE
}

/// The entities that are probably the same as one entity (its likely
/// duplicates), or every such pair: scored on names and ties, best first,
/// leaving out the pairs a decision keeps apart.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidatesRequest {
    /// Only the pairs of this entity (its id or IRI), as `a`. Absent: every pair.
    #[serde(default)]
    #[schemars(length(min = 1), extend("examples" = ["reed-hastings"]))]
    pub entity: Option<String>,
    /// The lowest score listed, 0 to 1.
    #[serde(default = "default_min_score")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub min_score: f64,
}

impl CandidatesRequest {
    /// Refuses a malformed request before any work is done.
    pub fn check(&self) -> Result<(), RequestError> {
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(RequestError::ScoreOutOfRange(self.min_score));
        }
        if self.entity.as_deref() == Some("") {
            return Err(RequestError::Empty { field: "entity" });
        }
        Ok(())
    }

    /// Which projection the pairs are found in: all of it (merged entities are one).
    pub fn filter(&self) -> Result<Filter, RequestError> {
        self.check()?;
        Ok(Filter::default())
    }

    /// The pairs on `projection`, leaving out those `apart` (IRIs) keeps apart.
    pub fn answer(
        &self,
        projection: &Projection,
        apart: &HashSet<(String, String)>,
    ) -> Result<Vec<Candidate>, RequestError> {
        self.check()?;
        Ok(match &self.entity {
            None => interlock_identity::candidates(projection, apart, self.min_score),
            Some(id) => {
                let node = projection
                    .node(id)
                    .ok_or_else(|| RequestError::UnknownEntity(id.clone()))?;
                interlock_identity::candidates_of(projection, apart, node, self.min_score)
            }
        })
    }
}
