//! Finding an entity as a person types its name: every word of every name,
//! alias and id, folded to lowercase ASCII ("Bjørn" is found by "bjorn"),
//! in one sorted array, so a prefix is two binary searches whatever the
//! store's size. The entities' names are kept beside the store (as the
//! projection is, `kept.rs`), so a server just started finds at once.

use crate::GraphError;
use crate::kept::{Origin, body_after, kept_or_built};
use crate::projection::{each_name, each_pair, each_typed, local, merged_into};
use interlock_model::vocab;
use interlock_store::Column;
use std::collections::HashMap;

/// An entity as a search answer shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Found {
    /// Its id.
    pub id: String,
    /// Its English label (else one in no language, else its id).
    pub label: String,
    /// Its kind's ontology term (`Company`, `Person`, …).
    pub kind: String,
    /// The name or alias the words matched, when it is not the label.
    pub matched: Option<String>,
}

struct Searchable {
    id: String,
    label: String,
    kind: &'static str,
    /// Every other name (labels in other languages, aliases), without the label.
    other_names: Vec<String>,
    /// The label, the other names and the id, folded: each name's words
    /// joined by spaces, names by newlines (so a search allocates nothing
    /// per candidate).
    folded: Box<str>,
}

/// Every entity of a store, findable by the words of its names.
pub struct EntityIndex {
    entities: Vec<Searchable>,
    /// Every folded word, once per entity it belongs to, sorted.
    words: Vec<(Box<str>, u32)>,
}

/// Lowercase ASCII words: transliterated, split at anything not a letter or digit.
pub(crate) fn words(text: &str) -> Vec<String> {
    deunicode::deunicode(text)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// How many words of one prefix are looked at, at most, when another word
/// of the query narrows less: keeps a one-letter query on a million
/// entities in milliseconds.
const SCAN_LIMIT: usize = 5_000;

/// The file of the names kept beside the store.
const FILE: &str = "search-names";

/// The kept file's first line: what it is and the version of its layout.
const FORMAT: &str = "interlock search names 1\n";

/// An entity's names as kept: its kind by its place in `EntityKind::ALL`.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedNames {
    id: String,
    label: String,
    kind: u8,
    other_names: Vec<String>,
}

impl EntityIndex {
    /// The index of the store: from the names kept beside it when they were
    /// read from the data as it is now, else read from the store (and kept,
    /// when this process may). The same index either way.
    pub fn current(store: &interlock_store::Store) -> Result<(EntityIndex, Origin), GraphError> {
        kept_or_built(store, FILE, read, || EntityIndex::build(store), write)
    }

    /// Reads every entity's id, names and aliases from the store. An entity
    /// merged into another (the identity graph) is found as that other one,
    /// by its names too.
    pub fn build(store: &interlock_store::Store) -> Result<EntityIndex, GraphError> {
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut entities: Vec<Searchable> = Vec::new();
        let merged = merged_into(store)?;
        for kind in interlock_model::EntityKind::ALL {
            each_typed(store, kind.term(), |iri| {
                if !at.contains_key(iri) && !merged.contains_key(iri) {
                    at.insert(iri.to_string(), entities.len());
                    let id = local(iri).to_string();
                    entities.push(Searchable {
                        label: id.clone(),
                        id,
                        kind: kind.term(),
                        other_names: Vec::new(),
                        folded: Box::default(),
                    });
                }
            })?;
        }
        each_pair(store, vocab::ENTITY_ID, Column::Text, "", |e, id| {
            if let Some(&i) = at.get(e) {
                entities[i].id = id.to_string();
            }
        })?;
        for (member, canonical) in &merged {
            if let Some(&i) = at.get(canonical) {
                at.insert(member.clone(), i);
            }
        }
        // Every name with its rank as a label: English, else no language,
        // else another language; aliases are never the label.
        let mut names: Vec<Vec<(u8, String)>> = Vec::new();
        names.resize_with(entities.len(), Vec::new);
        for predicate in [vocab::RDFS_LABEL, vocab::SKOS_ALT_LABEL] {
            each_name(store, predicate, "", |e, name, language| {
                let Some(&i) = at.get(e) else {
                    return;
                };
                // A merged entity's names are only other names of its entity's.
                let own = !merged.contains_key(e);
                let rank = match (predicate == vocab::RDFS_LABEL && own, language) {
                    // Stores write tags as they were given; BCP 47 ignores case.
                    (true, Some(tag)) if tag.eq_ignore_ascii_case("en") => 0,
                    (true, None) => 1,
                    (true, _) => 2,
                    (false, _) => 3,
                };
                names[i].push((rank, name.to_string()));
            })?;
        }
        for (entity, mut names) in entities.iter_mut().zip(names) {
            names.sort();
            let labelled = names.first().is_some_and(|(rank, _)| *rank < 3);
            let mut names = names.into_iter().map(|(_, n)| n);
            if labelled {
                entity.label = names.next().unwrap_or_default();
            }
            entity.other_names = names.collect();
        }
        Ok(EntityIndex::from_entities(entities))
    }

    fn from_entities(mut entities: Vec<Searchable>) -> EntityIndex {
        let mut words_of = Vec::new();
        for (i, e) in entities.iter_mut().enumerate() {
            e.other_names.retain(|n| *n != e.label);
            e.other_names.sort();
            e.other_names.dedup();
            let names = std::iter::once(&e.label)
                .chain(&e.other_names)
                .chain(std::iter::once(&e.id));
            e.folded = names
                .map(|n| words(n).join(" "))
                .collect::<Vec<_>>()
                .join("\n")
                .into_boxed_str();
            let mut own: Vec<&str> = e
                .folded
                .split(['\n', ' '])
                .filter(|w| !w.is_empty())
                .collect();
            own.sort_unstable();
            own.dedup();
            let i = u32::try_from(i).expect("fewer than 4 billion entities");
            words_of.extend(own.into_iter().map(|w| (Box::from(w), i)));
        }
        words_of.sort_unstable();
        EntityIndex {
            entities,
            words: words_of,
        }
    }

    /// How many entities can be found.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether there is no entity to find.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The words of the index that start with `prefix`.
    fn starting_with(&self, prefix: &str) -> &[(Box<str>, u32)] {
        let from = self.words.partition_point(|(w, _)| &**w < prefix);
        let to = from + self.words[from..].partition_point(|(w, _)| w.starts_with(prefix));
        &self.words[from..to]
    }

    /// At most `limit` entities whose names, aliases or id have a word
    /// starting with each word of `query`: an exact name first, then names
    /// that start with the query, then the rest; shorter names first
    /// within each.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Found> {
        let wanted = words(query);
        // Candidates come from the query word with the fewest matches.
        let Some(narrowest) = wanted
            .iter()
            .map(|w| self.starting_with(w))
            .min_by_key(|m| m.len())
        else {
            return Vec::new();
        };
        let folded_query = wanted.join(" ");
        let mut scored: Vec<(u8, usize, &str, u32, Option<&str>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for &(_, i) in narrowest.iter().take(SCAN_LIMIT) {
            if !seen.insert(i) {
                continue;
            }
            let e = &self.entities[i as usize];
            let name_of = |k: usize| match k {
                0 => &e.label,
                k if k <= e.other_names.len() => &e.other_names[k - 1],
                _ => &e.id,
            };
            let best = e
                .folded
                .split('\n')
                .enumerate()
                .filter(|(_, folded)| {
                    wanted
                        .iter()
                        .all(|w| folded.split(' ').any(|o| o.starts_with(w.as_str())))
                })
                .map(|(k, folded)| {
                    let class = if folded == folded_query {
                        0
                    } else if folded.starts_with(&folded_query) {
                        1
                    } else {
                        2
                    };
                    (class, name_of(k))
                })
                .min_by_key(|(class, name)| (*class, name.len()));
            if let Some((class, name)) = best {
                let matched = (*name != e.label).then_some(name.as_str());
                scored.push((class, e.label.len(), &e.label, i, matched));
            }
        }
        scored.sort_unstable();
        scored
            .into_iter()
            .take(limit)
            .map(|(_, _, _, i, matched)| {
                let e = &self.entities[i as usize];
                Found {
                    id: e.id.clone(),
                    label: e.label.clone(),
                    kind: e.kind.to_string(),
                    matched: matched.filter(|m| *m != e.id).map(str::to_string),
                }
            })
            .collect()
    }
}

fn write(index: &EntityIndex, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let kinds = interlock_model::EntityKind::ALL;
    let saved: Vec<SavedNames> = index
        .entities
        .iter()
        .map(|e| SavedNames {
            id: e.id.clone(),
            label: e.label.clone(),
            kind: kinds
                .iter()
                .position(|k| k.term() == e.kind)
                .and_then(|i| u8::try_from(i).ok())
                .expect("an entity kind"),
            other_names: e.other_names.clone(),
        })
        .collect();
    out.write_all(FORMAT.as_bytes())?;
    postcard::to_io(&saved, out).map_err(std::io::Error::other)?;
    Ok(())
}

/// The index from the kept names; `None` for another format or damage.
fn read(input: &mut dyn std::io::BufRead) -> Option<EntityIndex> {
    let body = body_after(input, FORMAT)?;
    let saved: Vec<SavedNames> = postcard::from_bytes(&body).ok()?;
    let mut entities = Vec::with_capacity(saved.len());
    for s in saved {
        entities.push(Searchable {
            id: s.id,
            label: s.label,
            kind: interlock_model::EntityKind::ALL
                .get(usize::from(s.kind))?
                .term(),
            other_names: s.other_names,
            folded: Box::default(),
        });
    }
    Some(EntityIndex::from_entities(entities))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(entities: &[(&str, &str, &[&str])]) -> EntityIndex {
        EntityIndex::from_entities(
            entities
                .iter()
                .map(|(id, label, others)| Searchable {
                    id: id.to_string(),
                    label: label.to_string(),
                    kind: "Person",
                    other_names: others.iter().map(|s| s.to_string()).collect(),
                    folded: Box::default(),
                })
                .collect(),
        )
    }

    #[test]
    fn finds_by_any_word_prefix_folded() {
        let idx = index(&[
            ("reed-hastings", "Reed Hastings", &[]),
            ("facebook", "Facebook", &["Meta Platforms"]),
            ("bjorn", "Bjørn Kjos", &[]),
            ("hast", "Hast AS", &[]),
        ]);
        let ids =
            |q: &str| -> Vec<String> { idx.search(q, 10).into_iter().map(|f| f.id).collect() };
        let table: &[(&str, &[&str])] = &[
            ("Hast", &["hast", "reed-hastings"]),
            ("hastings reed", &["reed-hastings"]),
            ("meta", &["facebook"]),
            ("bjorn k", &["bjorn"]),
            ("BJØRN", &["bjorn"]),
            ("reed-has", &["reed-hastings"]),
            ("nobody", &[]),
            ("  ", &[]),
        ];
        for (query, expected) in table {
            assert_eq!(ids(query), *expected, "query {query:?}");
        }
        let meta = idx.search("meta", 1);
        assert_eq!(meta[0].matched.as_deref(), Some("Meta Platforms"));
        assert_eq!(idx.search("h", 1).len(), 1);

        // Kept and read back, it finds the same.
        let mut bytes = Vec::new();
        write(&idx, &mut bytes).unwrap();
        let again = read(&mut bytes.as_slice()).unwrap();
        for (query, _) in table {
            assert_eq!(
                again.search(query, 10),
                idx.search(query, 10),
                "query {query:?}"
            );
        }
        assert!(read(&mut &bytes[..bytes.len() - 1]).is_none(), "cut short");
        assert!(read(&mut &b"interlock search names 0\n"[..]).is_none());
    }
}
