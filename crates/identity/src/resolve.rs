//! Which entities are one: shared identifiers and people's decisions,
//! resolved by union–find. A decision that two are not the same wins over
//! any identifier they (or those merged with them) share; decisions that
//! contradict one another are problems, never resolved by guessing.

use interlock_model::vocab::last_segment as local;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// A person's decision, as stored: which entities it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFact {
    /// Its IRI.
    pub iri: String,
    /// Whether the entities are one (else: they stay apart).
    pub same: bool,
    /// The IRIs of the entities it concerns (two).
    pub entities: Vec<String>,
}

/// Why two entities were found to be one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// They share this identifier (`scheme:value`).
    Identifier(String),
    /// This decision says so.
    Decision(String),
}

/// Entities that are one, merged into the first: the one with the
/// smallest IRI, so that the choice does not depend on load order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The IRIs of its entities, sorted.
    pub members: Vec<String>,
    /// Each merge that made it: the two entities joined and why.
    pub reasons: Vec<(String, String, Reason)>,
}

impl Cluster {
    /// The IRI every other member is merged into.
    pub fn canonical(&self) -> &str {
        &self.members[0]
    }
}

/// A decision that cannot stand: it names an entity no dataset has, or it
/// contradicts other decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The decision's IRI.
    pub decision: String,
    /// What is wrong, in words.
    pub message: String,
}

/// Union–find over entity IRIs, with the decisions that keep some apart.
struct Merges<'a> {
    parent: HashMap<&'a str, &'a str>,
    reasons: Vec<(&'a str, &'a str, Reason)>,
}

impl<'a> Merges<'a> {
    fn find(&mut self, x: &'a str) -> &'a str {
        let mut root = x;
        while let Some(&p) = self.parent.get(root) {
            if p == root {
                break;
            }
            root = p;
        }
        // Path compression: every node on the way points at the root.
        let mut at = x;
        while at != root {
            let next = self.parent.insert(at, root).unwrap_or(root);
            at = next;
        }
        root
    }

    /// Joins the clusters of `a` and `b` (the smaller root becomes the root).
    fn join(&mut self, a: &'a str, b: &'a str, reason: Reason) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent.insert(child, root);
            self.parent.entry(root).or_insert(root);
            self.reasons.push((a, b, reason));
        }
    }

    /// Whether joining `a` and `b` would put two entities decided apart together.
    fn kept_apart(&mut self, a: &'a str, b: &'a str, apart: &[(&'a str, &'a str)]) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        apart.iter().any(|&(x, y)| {
            let (rx, ry) = (self.find(x), self.find(y));
            (rx == ra && ry == rb) || (rx == rb && ry == ra)
        })
    }
}

/// The clusters of two or more entities that `identifiers` (entity IRI and
/// `scheme:value`, only schemes that name one thing) and `decisions` make,
/// sorted by canonical IRI; or every decision that cannot stand. `exists`
/// says whether an entity IRI is an entity of some dataset.
pub fn resolve(
    identifiers: &[(String, String)],
    decisions: &[DecisionFact],
    exists: &dyn Fn(&str) -> bool,
) -> Result<Vec<Cluster>, Vec<Problem>> {
    let mut problems = Vec::new();
    for d in decisions {
        for e in &d.entities {
            if !exists(e) {
                problems.push(Problem {
                    decision: d.iri.clone(),
                    message: format!("'{}' is not an entity of any dataset", local(e)),
                });
            }
        }
    }
    let mut merges = Merges {
        parent: HashMap::new(),
        reasons: Vec::new(),
    };
    let mut decisions: Vec<&DecisionFact> = decisions.iter().collect();
    decisions.sort_by(|a, b| a.iri.cmp(&b.iri));
    for d in decisions.iter().filter(|d| d.same) {
        if let [a, b] = d.entities.as_slice() {
            merges.join(a, b, Reason::Decision(d.iri.clone()));
        }
    }
    let mut apart = Vec::new();
    for d in decisions.iter().filter(|d| !d.same) {
        if let [a, b] = d.entities.as_slice() {
            if merges.find(a) == merges.find(b) {
                problems.push(Problem {
                    decision: d.iri.clone(),
                    message: contradiction(a, b, &decisions),
                });
            }
            apart.push((a.as_str(), b.as_str()));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut by_identifier: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (entity, identifier) in identifiers {
        by_identifier.entry(identifier).or_default().insert(entity);
    }
    for (identifier, entities) in &by_identifier {
        let mut entities = entities.iter();
        let Some(&first) = entities.next() else {
            continue;
        };
        for &other in entities {
            if !merges.kept_apart(first, other, &apart) {
                merges.join(first, other, Reason::Identifier(identifier.to_string()));
            }
        }
    }
    Ok(clusters(merges))
}

/// The clusters of the merges, each with the reasons that made it.
fn clusters(mut merges: Merges<'_>) -> Vec<Cluster> {
    let mut members: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let nodes: Vec<&str> = merges.parent.keys().copied().collect();
    for n in nodes {
        let root = merges.find(n);
        members.entry(root).or_default().insert(n);
    }
    let mut reasons: BTreeMap<&str, Vec<(String, String, Reason)>> = BTreeMap::new();
    let made = std::mem::take(&mut merges.reasons);
    for (a, b, reason) in made {
        let root = merges.find(a);
        reasons
            .entry(root)
            .or_default()
            .push((a.to_string(), b.to_string(), reason));
    }
    members
        .into_iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(root, m)| Cluster {
            members: m.into_iter().map(str::to_string).collect(),
            reasons: reasons.remove(root).unwrap_or_default(),
        })
        .collect()
}

/// Why `a` and `b`, decided apart, are already one: the same-as decisions
/// that lead from one to the other.
fn contradiction(a: &str, b: &str, decisions: &[&DecisionFact]) -> String {
    // Breadth first over the same-as decisions, from a to b.
    let mut came_from: HashMap<&str, (&str, &str)> = HashMap::new();
    let mut queue = VecDeque::from([a]);
    while let Some(at) = queue.pop_front() {
        if at == b {
            break;
        }
        for d in decisions.iter().filter(|d| d.same) {
            if let [x, y] = d.entities.as_slice() {
                for (from, to) in [(x, y), (y, x)] {
                    if from == at && to != a && !came_from.contains_key(to.as_str()) {
                        came_from.insert(to, (at, &d.iri));
                        queue.push_back(to);
                    }
                }
            }
        }
    }
    let mut steps = Vec::new();
    let mut at = b;
    while let Some(&(from, decision)) = came_from.get(at) {
        steps.push(format!(
            "'{}' = '{}' ({})",
            local(from),
            local(at),
            decision_name(decision)
        ));
        at = from;
    }
    steps.reverse();
    format!(
        "'{}' and '{}' cannot be different: other decisions make them the same: {}",
        local(a),
        local(b),
        steps.join(", ")
    )
}

/// A decision as people name it: `{dataset}/{n}` (its IRI's last two segments).
pub fn decision_name(iri: &str) -> String {
    let mut parts = iri.rsplitn(3, '/');
    let n = parts.next().unwrap_or(iri);
    match parts.next() {
        Some(dataset) => format!("decision {n} of {dataset}"),
        None => iri.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: &str = "https://example.org/";

    fn e(id: &str) -> String {
        format!("{B}{id}")
    }

    fn ids(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(x, i)| (e(x), i.to_string())).collect()
    }

    fn decision(n: usize, same: bool, a: &str, b: &str) -> DecisionFact {
        DecisionFact {
            iri: format!("{B}decision/same-as/{n}"),
            same,
            entities: vec![e(a), e(b)],
        }
    }

    fn members(clusters: &[Cluster]) -> Vec<Vec<&str>> {
        clusters
            .iter()
            .map(|c| c.members.iter().map(|m| local(m)).collect())
            .collect()
    }

    #[test]
    fn clusters_from_identifiers_and_decisions() {
        let everyone = |_: &str| true;
        // (identifiers, decisions, expected clusters)
        type Case<'a> = (Vec<(String, String)>, Vec<DecisionFact>, Vec<Vec<&'a str>>);
        let cases: Vec<Case> = vec![
            // Nothing shared: no cluster.
            (
                ids(&[("a", "wikidata:Q1"), ("b", "wikidata:Q2")]),
                vec![],
                vec![],
            ),
            // A shared identifier merges; the smallest IRI comes first.
            (
                ids(&[("meta", "wikidata:Q380"), ("facebook", "wikidata:Q380")]),
                vec![],
                vec![vec!["facebook", "meta"]],
            ),
            // Merges are transitive across schemes.
            (
                ids(&[
                    ("a", "wikidata:Q1"),
                    ("b", "wikidata:Q1"),
                    ("b", "lei:X"),
                    ("c", "lei:X"),
                ]),
                vec![],
                vec![vec!["a", "b", "c"]],
            ),
            // A same-as decision merges entities without identifiers.
            (
                vec![],
                vec![decision(1, true, "x", "y")],
                vec![vec!["x", "y"]],
            ),
            // A not-same decision undoes the merge an identifier makes.
            (
                ids(&[("a", "wikidata:Q1"), ("b", "wikidata:Q1")]),
                vec![decision(1, false, "a", "b")],
                vec![],
            ),
            // ... and keeps their clusters apart: c joins a, not b.
            (
                ids(&[
                    ("a", "wikidata:Q1"),
                    ("b", "wikidata:Q1"),
                    ("a", "lei:X"),
                    ("c", "lei:X"),
                ]),
                vec![decision(1, false, "c", "b")],
                vec![vec!["a", "c"]],
            ),
        ];
        for (identifiers, decisions, expected) in cases {
            let got = resolve(&identifiers, &decisions, &everyone).unwrap();
            assert_eq!(members(&got), expected, "{identifiers:?} {decisions:?}");
        }
    }

    #[test]
    fn a_merge_says_why() {
        let got = resolve(
            &ids(&[("meta", "wikidata:Q380"), ("facebook", "wikidata:Q380")]),
            &[],
            &|_| true,
        )
        .unwrap();
        assert_eq!(
            got[0].reasons,
            vec![(
                e("facebook"),
                e("meta"),
                Reason::Identifier("wikidata:Q380".into())
            )]
        );
    }

    #[test]
    fn contradictions_and_missing_entities_are_problems() {
        let decisions = vec![
            decision(1, true, "a", "b"),
            decision(2, true, "b", "c"),
            decision(3, false, "a", "c"),
        ];
        let problems = resolve(&[], &decisions, &|_| true).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].decision, decisions[2].iri);
        assert_eq!(
            problems[0].message,
            "'a' and 'c' cannot be different: other decisions make them the same: \
             'a' = 'b' (decision 1 of same-as), 'b' = 'c' (decision 2 of same-as)"
        );

        let problems = resolve(&[], &[decision(1, true, "a", "ghost")], &|e| {
            !e.ends_with("ghost")
        })
        .unwrap_err();
        assert_eq!(
            problems[0].message,
            "'ghost' is not an entity of any dataset"
        );
    }
}
