//! Pairs of entities that are probably one and not yet decided: the same
//! name once spelling, word order, legal form, accents, initials and a
//! slip of the keyboard are set aside.
//!
//! Names are compared as bags of normalized words: transliterated to ASCII
//! (`deunicode`), lower-cased, dots of abbreviations dropped, legal forms
//! (`Inc.`, `Ltd`, `ASA`, `S.p.A.`, `plc`, …) set aside (two different
//! ones lower the score: `Acme Ltd` and `Acme Inc.` are often two
//! companies). Two words match fully when equal, 0.9 when one is the other's
//! initial or one edit (a letter added, dropped, changed or two swapped)
//! apart; a pair's score is the share of words that match (Dice), the same
//! whatever their order. Only pairs that share a word are compared, and
//! only entities of one kind.
//!
//! People's ties then weigh in ([`Ties`]): neighbours in common raise the
//! score (0.1 each, at most 0.15: two directors of one name on the same
//! board are one far more often than not), and dated ties a working life
//! apart (40 years) lower it by 0.3 — the namesake in an old register is
//! someone else. Organisations' ties do not: a corporate group names its
//! companies alike and ties them to one owner, and companies outlive
//! working lives.

use chrono::Datelike;
use interlock_graph::Projection;
use interlock_model::EntityKind;
use petgraph::graph::NodeIndex;
use std::collections::{HashMap, HashSet};

/// A pair of entities that are probably one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Candidate {
    /// The score, 0 to 1: the share of their names' words that match,
    /// raised by neighbours in common, lowered by ties a working life apart.
    pub score: f64,
    /// One entity's id.
    pub a: String,
    /// Its name.
    pub a_label: String,
    /// The other's id.
    pub b: String,
    /// Its name.
    pub b_label: String,
    /// Why, in words.
    pub reason: String,
}

/// Legal forms, each with its equivalent spellings (after normalization).
const LEGAL_FORMS: &[&[&str]] = &[
    &["inc", "incorporated"],
    &["ltd", "limited"],
    &["plc"],
    &["llc"],
    &["corp", "corporation"],
    &["co", "company"],
    &["asa", "allmennaksjeselskap"],
    &["as", "aksjeselskap"],
    &["ab", "aktiebolag"],
    &["gmbh"],
    &["ag", "aktiengesellschaft"],
    &["spa", "societa per azioni"],
    &["srl"],
    &["sa"],
    &["nv"],
    &["bv"],
    &["oy", "oyj"],
];

/// A name as compared: its words without legal forms, and the legal form.
#[derive(Debug, Clone, PartialEq)]
struct Name {
    words: Vec<String>,
    form: Option<usize>,
}

/// The words of a name: ASCII, lower case, abbreviations' dots dropped.
fn words(name: &str) -> Vec<String> {
    deunicode::deunicode(name)
        .to_lowercase()
        .replace(". ", " ")
        .replace('.', "")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn name(text: &str) -> Name {
    let mut words = words(text);
    let mut form = None;
    // A legal form ends a name (one or more words: "societa per azioni").
    'forms: for (i, spellings) in LEGAL_FORMS.iter().enumerate() {
        for spelling in *spellings {
            let form_words: Vec<&str> = spelling.split(' ').collect();
            let n = form_words.len();
            if words.len() > n && words[words.len() - n..].iter().eq(&form_words) {
                words.truncate(words.len() - n);
                form = Some(i);
                break 'forms;
            }
        }
    }
    Name { words, form }
}

/// How two words match: 1 equal, 0.9 an initial or one edit apart, else 0.
fn word_match(a: &str, b: &str) -> (f64, Option<&'static str>) {
    if a == b {
        return (1.0, None);
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() == 1 && long.starts_with(short) {
        return (0.9, Some("an initial"));
    }
    if short.len() >= 4 && one_edit(a, b) {
        return (0.9, Some("a letter apart"));
    }
    (0.0, None)
}

/// Whether `a` and `b` are one insertion, deletion, substitution or swap of
/// neighbours apart, after their first letter: a different first letter
/// makes another word far more often than a slip does (Ember, Umber).
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if prefix == 0 {
        return false;
    }
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x + 1 == y => ra == &rb[1..],
        (x, y) if y + 1 == x => &ra[1..] == rb,
        _ => false,
    }
}

/// The score of two names and why.
fn compare(a: &Name, b: &Name) -> (f64, String) {
    let (short, long) = if a.words.len() <= b.words.len() {
        (a, b)
    } else {
        (b, a)
    };
    let mut used = vec![false; long.words.len()];
    let mut total = 0.0;
    let mut how: Vec<String> = Vec::new();
    let mut in_order = true;
    let mut last = None;
    let mut initials = false;
    for w in &short.words {
        let best = long
            .words
            .iter()
            .enumerate()
            .filter(|(j, _)| !used[*j])
            .map(|(j, v)| (j, v, word_match(w, v)))
            .max_by(|x, y| x.2.0.total_cmp(&y.2.0));
        if let Some((j, v, (m, kind))) = best.filter(|b| b.2.0 > 0.0) {
            used[j] = true;
            total += m;
            // In order: each word matches one further along than the last.
            in_order &= last.is_none_or(|l| j > l);
            last = Some(j);
            if let Some(kind) = kind {
                initials |= kind == "an initial";
                how.push(format!("'{w}' and '{v}' {kind}"));
            }
        }
    }
    let words = a.words.len() + b.words.len();
    let mut score = if words == 0 {
        0.0
    } else {
        2.0 * total / words as f64
    };
    if !in_order {
        how.push("the words in another order".into());
        // Initials stand for names in their order: "W. A. Fossum" is not Ada W Fossum.
        if initials {
            score -= 0.2;
        }
    }
    match (a.form, b.form) {
        (Some(x), Some(y)) if x != y => {
            score -= 0.15;
            how.push("different legal forms".into());
        }
        (Some(_), None) | (None, Some(_)) => how.push("a legal form on one side only".into()),
        _ => {}
    }
    let reason = if how.is_empty() {
        "the same name".to_string()
    } else {
        format!("the same name but {}", how.join(", "))
    };
    (score.max(0.0), reason)
}

/// Entities of one word in common beyond this many are not compared by
/// that word: it names too many to tell anything ("john", "holdings").
const COMMON_WORD: usize = 1000;

/// What one neighbour in common adds to a score, and all of them at most.
const NEIGHBOUR_BONUS: f64 = 0.1;
const NEIGHBOURS_AT_MOST: f64 = 0.15;

/// People whose dated ties are this many years apart are lowered by
/// [`LIVES_APART_PENALTY`]: a working life lies between them.
const WORKING_LIFE: i32 = 40;
const LIVES_APART_PENALTY: f64 = 0.3;

/// What an entity's ties tell about who it is: whom it is tied to, and
/// the years its dated ties name (the first and the last).
#[derive(Debug, Clone, Default, PartialEq)]
struct Ties {
    neighbours: HashSet<NodeIndex>,
    years: Option<(i32, i32)>,
}

impl Ties {
    fn of(projection: &Projection, n: NodeIndex) -> Ties {
        let graph = &projection.graph;
        let mut ties = Ties::default();
        for edge in graph
            .edges_directed(n, petgraph::Direction::Outgoing)
            .chain(graph.edges_directed(n, petgraph::Direction::Incoming))
        {
            use petgraph::visit::EdgeRef;
            let other = if edge.source() == n {
                edge.target()
            } else {
                edge.source()
            };
            ties.neighbours.insert(other);
            let i = edge.weight().interval;
            let bounds = [
                i.start.earliest_bound(),
                i.start.latest_bound(),
                i.end.earliest_bound(),
                i.end.latest_bound(),
            ];
            for year in bounds.into_iter().flatten().map(|d| d.year()) {
                ties.years = Some(match ties.years {
                    Some((first, last)) => (first.min(year), last.max(year)),
                    None => (year, year),
                });
            }
        }
        ties
    }
}

/// How the ties of two entities of `kind` change their names' score, and why.
fn weigh_ties(
    kind: &str,
    a: &Ties,
    b: &Ties,
    labels: impl Fn(NodeIndex) -> String,
) -> (f64, Vec<String>) {
    let mut change = 0.0;
    let mut how = Vec::new();
    // Corporate groups name their companies alike and tie them to each
    // other and to one owner: for organisations a neighbour in common says
    // little, and companies outlive working lives. People of one name on
    // one board are most often one.
    if kind != EntityKind::Person.term() {
        return (change, how);
    }
    let mut common: Vec<String> = a
        .neighbours
        .intersection(&b.neighbours)
        .map(|&n| labels(n))
        .collect();
    if !common.is_empty() {
        common.sort();
        change += (NEIGHBOUR_BONUS * common.len() as f64).min(NEIGHBOURS_AT_MOST);
        let n = common.len();
        common.truncate(3);
        how.push(format!(
            "{n} {} in common ({}{})",
            if n == 1 { "neighbour" } else { "neighbours" },
            common.join(", "),
            if n > 3 { ", …" } else { "" }
        ));
    }
    if let (Some((a_first, a_last)), Some((b_first, b_last))) = (a.years, b.years) {
        let (earlier_last, later_first) = if a_first <= b_first {
            (a_last, b_first)
        } else {
            (b_last, a_first)
        };
        if later_first - earlier_last >= WORKING_LIFE {
            change -= LIVES_APART_PENALTY;
            how.push(format!(
                "ties {} years apart ({earlier_last} and {later_first})",
                later_first - earlier_last
            ));
        }
    }
    (change, how)
}

/// The pairs of entities of `projection` (merged entities are one) whose
/// names and ties score at least `min_score`, best first, leaving out the
/// pairs `apart` (IRIs) a decision keeps apart.
pub fn candidates(
    projection: &Projection,
    apart: &HashSet<(String, String)>,
    min_score: f64,
) -> Vec<Candidate> {
    scored(projection, apart, min_score, None)
}

/// The pairs [`candidates`] lists that `entity` is one of, best first,
/// `entity` always as `a`: its likely duplicates, for its page.
pub fn candidates_of(
    projection: &Projection,
    apart: &HashSet<(String, String)>,
    entity: NodeIndex,
    min_score: f64,
) -> Vec<Candidate> {
    let own = &projection.graph[entity].id;
    scored(projection, apart, min_score, Some(entity))
        .into_iter()
        .map(|c| {
            if &c.a == own {
                c
            } else {
                Candidate {
                    a: c.b,
                    a_label: c.b_label,
                    b: c.a,
                    b_label: c.a_label,
                    ..c
                }
            }
        })
        .collect()
}

/// The scored pairs, of `only` when given (its name's words' blocks alone
/// are compared), of every entity otherwise.
fn scored(
    projection: &Projection,
    apart: &HashSet<(String, String)>,
    min_score: f64,
    only: Option<NodeIndex>,
) -> Vec<Candidate> {
    let graph = &projection.graph;
    let names: Vec<(NodeIndex, Name)> = graph
        .node_indices()
        .map(|n| (n, name(&graph[n].label)))
        .collect();
    let mut by_word: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, (n, name)) in names.iter().enumerate() {
        let mut seen = HashSet::new();
        for w in &name.words {
            if w.len() > 1 && seen.insert(w.as_str()) {
                by_word.entry((&graph[*n].kind, w)).or_default().push(i);
            }
        }
    }
    let mut ties: HashMap<NodeIndex, Ties> = HashMap::new();
    let mut compared = HashSet::new();
    let mut out = Vec::new();
    // Of one entity, only the blocks of its own words hold its pairs.
    let own = only.and_then(|o| names.iter().position(|(n, _)| *n == o));
    let blocks = by_word
        .values()
        .filter(|b| b.len() <= COMMON_WORD && own.is_none_or(|o| b.contains(&o)));
    for block in blocks {
        for (x, &i) in block.iter().enumerate() {
            for &j in &block[x + 1..] {
                if own.is_some_and(|o| i != o && j != o) {
                    continue;
                }
                if !compared.insert((i, j)) {
                    continue;
                }
                let (names_score, mut reason) = compare(&names[i].1, &names[j].1);
                // Ties only move a score this far: no need to look at them below.
                if names_score + NEIGHBOURS_AT_MOST < min_score {
                    continue;
                }
                let (a, b) = (names[i].0, names[j].0);
                for n in [a, b] {
                    ties.entry(n).or_insert_with(|| Ties::of(projection, n));
                }
                let (change, how) = weigh_ties(&graph[a].kind, &ties[&a], &ties[&b], |n| {
                    graph[n].label.clone()
                });
                let score = (names_score + change).clamp(0.0, 1.0);
                if !how.is_empty() {
                    reason = format!("{reason}; {}", how.join(", "));
                }
                if score >= min_score && !kept_apart(projection, a, b, apart) {
                    out.push(Candidate {
                        score: (score * 1000.0).round() / 1000.0,
                        a: graph[a].id.clone(),
                        a_label: graph[a].label.clone(),
                        b: graph[b].id.clone(),
                        b_label: graph[b].label.clone(),
                        reason,
                    });
                }
            }
        }
    }
    out.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    out
}

/// Whether a decision keeps the entities of nodes `a` and `b` apart.
fn kept_apart(
    projection: &Projection,
    a: NodeIndex,
    b: NodeIndex,
    apart: &HashSet<(String, String)>,
) -> bool {
    if apart.is_empty() {
        return false;
    }
    let iris = |n: NodeIndex| {
        let node = &projection.graph[n];
        std::iter::once(node.iri.clone()).chain(node.merged.iter().map(|m| m.iri.clone()))
    };
    iris(a).any(|x| {
        iris(b).any(|y| apart.contains(&(x.clone(), y.clone())) || apart.contains(&(y, x.clone())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_whatever_their_spelling() {
        // (a, b, score, reason)
        let cases = [
            (
                "Meta Platforms, Inc.",
                "Meta Platforms Incorporated",
                1.0,
                "the same name",
            ),
            (
                "Alder Capital ASA",
                "Alder Capital",
                1.0,
                "the same name but a legal form on one side only",
            ),
            (
                "Alder Capital ASA",
                "Alder Capital Inc.",
                0.85,
                "the same name but different legal forms",
            ),
            ("Bjørn Dahl", "Bjorn Dahl", 1.0, "the same name"),
            (
                "Hansen, Ada B",
                "Ada B Hansen",
                1.0,
                "the same name but the words in another order",
            ),
            (
                "A. B. Hansen",
                "Ada B Hansen",
                0.967,
                "the same name but 'a' and 'ada' an initial",
            ),
            (
                "Ada B Hanssen",
                "Ada B Hansen",
                0.967,
                "the same name but 'hanssen' and 'hansen' a letter apart",
            ),
            ("Enel S.p.A.", "Enel SpA", 1.0, "the same name"),
            ("Ada C Hansen", "Ada B Hansen", 0.667, "the same name"),
            (
                "Alder Energy ASA",
                "Alder Capital ASA",
                0.5,
                "the same name",
            ),
        ];
        for (a, b, score, reason) in cases {
            let (got, why) = compare(&name(a), &name(b));
            assert!((got - score).abs() < 0.001, "{a} ~ {b}: {got}");
            assert_eq!(why, reason, "{a} ~ {b}");
        }
    }

    #[test]
    fn ties_weigh_in() {
        let ties = |neighbours: &[u32], years: Option<(i32, i32)>| Ties {
            neighbours: neighbours
                .iter()
                .map(|&n| NodeIndex::new(n as usize))
                .collect(),
            years,
        };
        // (kind, a, b, change, reasons)
        let cases = [
            ("Person", ties(&[1, 2], None), ties(&[3], None), 0.0, ""),
            (
                "Person",
                ties(&[1, 2], None),
                ties(&[2], None),
                0.1,
                "1 neighbour in common (n2)",
            ),
            (
                "Person",
                ties(&[1, 2, 3, 4, 5], None),
                ties(&[2, 3, 4, 5], None),
                0.15,
                "4 neighbours in common (n2, n3, n4, …)",
            ),
            // Companies of a group share owners and names.
            ("Company", ties(&[1, 2], None), ties(&[2], None), 0.0, ""),
            (
                "Person",
                ties(&[1], Some((1931, 1948))),
                ties(&[2], Some((1990, 2004))),
                -0.3,
                "ties 42 years apart (1948 and 1990)",
            ),
            (
                "Person",
                ties(&[1], Some((1960, 1990))),
                ties(&[2], Some((1995, 2025))),
                0.0,
                "",
            ),
            (
                "Person",
                ties(&[1], Some((1990, 2004))),
                ties(&[1], None),
                0.1,
                "1 neighbour in common (n1)",
            ),
            // Companies live longer than working lives.
            (
                "Company",
                ties(&[1], Some((1900, 1910))),
                ties(&[2], Some((1990, 2004))),
                0.0,
                "",
            ),
        ];
        for (kind, a, b, change, reasons) in cases {
            let (got, how) = weigh_ties(kind, &a, &b, |n| format!("n{}", n.index()));
            assert!((got - change).abs() < 1e-9, "{a:?} {b:?}: {got}");
            assert_eq!(how.join(", "), reasons, "{a:?} {b:?}");
        }
    }

    #[test]
    fn one_edit_apart() {
        for (a, b, expected) in [
            ("hansen", "hanssen", true),
            ("hansen", "hasnen", true),
            ("hansen", "hansem", true),
            ("hansen", "ansen", false),
            ("hansen", "hanson", true),
            ("hansen", "nahsen", false),
            ("ember", "umber", false),
            ("hansen", "ahnsen", false),
            ("hansen", "hansenxx", false),
        ] {
            assert_eq!(one_edit(a, b), expected, "{a} {b}");
        }
    }
}
