//! Timeline files (TOML) into a validated [`Dataset`].
//!
//! The format is documented in `docs/timeline-format.md`; `data/netflix-facebook.toml`
//! is the worked example. Syntax errors stop at the first (the TOML parser cannot go
//! on); every other problem in a file is reported, each at its `line:column`.

use crate::diagnostic::Diagnostic;
use interlock_model::time::{Edtf, EdtfError, Interval};
use interlock_model::{
    Amount, AmountPeriod, AmountQualifier, ClaimStatus, Dataset, DateValue, Decision, Entity,
    EntityKind, Event, Evidence, Labels, Relationship, RelationshipKind, Source, SourceKind,
    TimeSpan,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use toml::Spanned;

type Text = Spanned<String>;

/// Text per language as written: every key is a language tag.
type RawLabels = BTreeMap<String, String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    dataset: Spanned<RawDataset>,
    #[serde(default)]
    entity: Vec<Spanned<RawEntity>>,
    #[serde(default)]
    source: Vec<Spanned<RawSource>>,
    #[serde(default)]
    relationship: Vec<Spanned<RawRelationship>>,
    #[serde(default)]
    event: Vec<Spanned<RawEvent>>,
    #[serde(default)]
    decision: Vec<Spanned<RawDecision>>,
}

/// `[[decision]]`: exactly one of `same` and `not_same`, naming two entities.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    #[serde(default)]
    same: Option<Spanned<Vec<Text>>>,
    #[serde(default)]
    not_same: Option<Spanned<Vec<Text>>>,
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    on: Option<Text>,
    #[serde(default)]
    why: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataset {
    id: Text,
    title: Spanned<RawLabels>,
    #[serde(default)]
    description: Option<Spanned<RawLabels>>,
    #[serde(default)]
    license: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: Text,
    kind: Text,
    name: Spanned<RawLabels>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    description: Option<Spanned<RawLabels>>,
    #[serde(default)]
    ids: BTreeMap<String, Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: Text,
    kind: Text,
    title: Text,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    url: Option<Text>,
    #[serde(default)]
    published: Option<Text>,
    #[serde(default)]
    language: Option<Text>,
    #[serde(default)]
    cites: Vec<Text>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    source: Text,
    quote: Text,
    #[serde(default)]
    lang: Option<Text>,
    #[serde(default)]
    gloss: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    attributed_to: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAmount {
    value: Spanned<toml::Value>,
    #[serde(default)]
    currency: Option<Text>,
    #[serde(default)]
    period: Option<Text>,
    #[serde(default)]
    qualifier: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelationship {
    id: Text,
    kind: Text,
    subject: Text,
    object: Text,
    #[serde(default)]
    role: Option<Spanned<RawLabels>>,
    #[serde(default)]
    instrument: Option<Text>,
    #[serde(default)]
    part_of: Option<Text>,
    #[serde(default)]
    during: Option<Text>,
    #[serde(default)]
    amount: Option<Spanned<RawAmount>>,
    status: Text,
    #[serde(default)]
    label: Option<Spanned<RawLabels>>,
    #[serde(default)]
    note: Option<Spanned<RawLabels>>,
    #[serde(default)]
    evidence: Vec<Spanned<RawEvidence>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    id: Text,
    kind: Text,
    #[serde(default)]
    participants: Vec<Text>,
    date: Text,
    #[serde(default)]
    label: Option<Spanned<RawLabels>>,
    status: Text,
    #[serde(default)]
    evidence: Vec<Spanned<RawEvidence>>,
}

/// Parses and validates one timeline file's text. `path` is only used to
/// locate problems.
pub fn parse_timeline(path: &Path, text: &str) -> Result<Dataset, Vec<Diagnostic>> {
    parse_timeline_located(path, text).map(|(dataset, _)| dataset)
}

/// Where each decision of a timeline was written: `(line, column)`, in order.
pub(crate) type DecisionPositions = Vec<(usize, usize)>;

/// [`parse_timeline`], with the `(line, column)` of each of the dataset's
/// decisions, in order: whether the entities they name exist is known
/// only when the store is, and a problem found then points there.
pub(crate) fn parse_timeline_located(
    path: &Path,
    text: &str,
) -> Result<(Dataset, DecisionPositions), Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::file(
            path,
            "empty file; expected a timeline with a [dataset] table",
        )]);
    }
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        vec![Diagnostic::at_offset(
            path,
            text,
            offset,
            e.message().trim().to_string(),
        )]
    })?;
    let mut v = Validator {
        path,
        text,
        problems: Vec::new(),
    };
    let positions = raw
        .decision
        .iter()
        .map(|d| crate::diagnostic::line_column(text, d.span().start))
        .collect();
    let dataset = v.dataset(raw);
    if v.problems.is_empty() {
        Ok((dataset, positions))
    } else {
        v.problems.sort_by_key(|d| (d.line, d.column));
        Err(v.problems)
    }
}

struct Validator<'a> {
    path: &'a Path,
    text: &'a str,
    problems: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn report<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        self.problems.push(Diagnostic::at_offset(
            self.path,
            self.text,
            at.span().start,
            message,
        ));
    }

    /// Reports at a character offset inside a string value.
    fn report_inside(&mut self, at: &Text, char_offset: usize, message: impl Into<String>) {
        // The span starts at the opening quote of a basic or literal string.
        let start = at.span().start + 1;
        let inner = &self.text[start.min(self.text.len())..];
        let byte = inner
            .char_indices()
            .nth(char_offset)
            .map_or(inner.len(), |(i, _)| i);
        self.problems.push(Diagnostic::at_offset(
            self.path,
            self.text,
            start + byte,
            message,
        ));
    }

    fn slug(&mut self, id: &Text, what: &str) -> String {
        let value = id.get_ref();
        if let Some(problem) = interlock_model::slug::not_a_slug(value, &format!("{what} id")) {
            self.report(id, problem);
        }
        value.clone()
    }

    fn labels(&mut self, labels: &Spanned<RawLabels>, what: &str, required: bool) -> Labels {
        let map = labels.get_ref();
        if required && map.is_empty() {
            self.report(
                labels,
                format!("{what} needs at least one language, e.g. {{ en = \"…\" }}"),
            );
        }
        for (lang, value) in map {
            if !is_language_tag(lang) {
                self.report(
                    labels,
                    format!(
                        "'{lang}' in {what} is not a language tag; expected e.g. en, it, pt-BR"
                    ),
                );
            }
            if value.trim().is_empty() {
                self.report(labels, format!("{what} in '{lang}' is empty"));
            }
        }
        map.iter()
            .map(|(lang, value)| (Some(lang.clone()), value.clone()))
            .collect()
    }

    fn optional_labels(&mut self, labels: &Option<Spanned<RawLabels>>, what: &str) -> Labels {
        labels
            .as_ref()
            .map(|l| self.labels(l, what, false))
            .unwrap_or_default()
    }

    fn vocabulary<T>(
        &mut self,
        word: &Text,
        what: &str,
        lookup: fn(&str) -> Option<T>,
        names: fn() -> String,
    ) -> Option<T> {
        let found = lookup(word.get_ref());
        if found.is_none() {
            self.report(
                word,
                format!(
                    "unknown {what} '{}'; expected one of: {}",
                    word.get_ref(),
                    names()
                ),
            );
        }
        found
    }

    fn edtf(&mut self, text: &Text, what: &str) -> Option<Edtf> {
        match Edtf::parse(text.get_ref()) {
            Ok(value) => Some(value),
            Err(EdtfError { offset, message }) => {
                self.report_inside(
                    text,
                    offset,
                    format!("invalid EDTF {what} '{}': {message}", text.get_ref()),
                );
                None
            }
        }
    }

    fn date(&mut self, text: &Text, what: &str) -> Option<DateValue> {
        match self.edtf(text, what)? {
            Edtf::Date(expr) => Some(DateValue {
                text: text.get_ref().clone(),
                expr,
            }),
            Edtf::Interval(..) => {
                self.report(
                    text,
                    format!(
                        "{what} '{}' is an interval; expected a single date",
                        text.get_ref()
                    ),
                );
                None
            }
        }
    }

    fn dataset(&mut self, raw: RawFile) -> Dataset {
        let header = raw.dataset.get_ref();
        let id = self.slug(&header.id, "dataset");
        let title = self.labels(&header.title, "dataset title", true);
        let description = self.optional_labels(&header.description, "dataset description");
        let entities: Vec<Entity> = self
            .unique(&raw.entity, |e| &e.id, "entity")
            .filter_map(|e| self.entity(e.get_ref()))
            .collect();
        // References are checked against every declared id, valid or not,
        // so that one bad entity does not cascade into many errors.
        let declared = |ids: &mut dyn Iterator<Item = &Text>| -> HashSet<String> {
            ids.map(|id| id.get_ref().clone()).collect()
        };
        let entity_ids = declared(&mut raw.entity.iter().map(|e| &e.get_ref().id));
        let source_ids = declared(&mut raw.source.iter().map(|s| &s.get_ref().id));
        let relationship_ids = declared(&mut raw.relationship.iter().map(|r| &r.get_ref().id));
        let sources: Vec<Source> = self
            .unique(&raw.source, |s| &s.id, "source")
            .filter_map(|s| self.source(s.get_ref(), &source_ids))
            .collect();
        let source_languages: HashMap<String, Option<String>> = sources
            .iter()
            .map(|s| (s.id.clone(), s.language.clone()))
            .collect();
        let refs = References {
            entities: &entity_ids,
            sources: &source_languages,
            relationships: &relationship_ids,
        };
        let relationships = self
            .unique(&raw.relationship, |r| &r.id, "relationship")
            .filter_map(|r| self.relationship(r, &refs))
            .collect();
        let events = self
            .unique(&raw.event, |e| &e.id, "event")
            .filter_map(|e| self.event(e, &refs))
            .collect();
        let decisions = raw
            .decision
            .iter()
            .filter_map(|d| self.decision(d))
            .collect();
        Dataset {
            id,
            title,
            description,
            license: header.license.clone(),
            entities,
            sources,
            relationships,
            events,
            decisions,
        }
    }

    /// A decision, when it names two different entities by well-formed ids.
    /// Whether they exist is checked at load, against the store.
    fn decision(&mut self, raw: &Spanned<RawDecision>) -> Option<Decision> {
        let d = raw.get_ref();
        let (same, entities) = match (&d.same, &d.not_same) {
            (Some(e), None) => (true, e),
            (None, Some(e)) => (false, e),
            _ => {
                self.report(
                    raw,
                    "a decision needs exactly one of `same = [\"a\", \"b\"]` and `not_same = [\"a\", \"b\"]`",
                );
                return None;
            }
        };
        let [a, b] = entities.get_ref().as_slice() else {
            self.report(
                entities,
                format!(
                    "a decision names exactly two entities, not {}",
                    entities.get_ref().len()
                ),
            );
            return None;
        };
        let (a, b) = (self.slug(a, "entity"), self.slug(b, "entity"));
        if a == b {
            self.report(entities, format!("a decision names '{a}' twice"));
            return None;
        }
        let on = d.on.as_ref().and_then(|on| self.date(on, "decision date"));
        Some(Decision {
            same,
            entities: [a, b],
            by: d.by.clone(),
            on,
            why: d.why.clone(),
        })
    }

    /// The items whose id no earlier item has; a problem for each other one.
    fn unique<'r, R>(
        &mut self,
        items: &'r [Spanned<R>],
        id: impl Fn(&R) -> &Text,
        what: &str,
    ) -> std::vec::IntoIter<&'r Spanned<R>> {
        let mut seen = HashSet::new();
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            let id = id(item.get_ref());
            if seen.insert(id.get_ref().as_str()) {
                kept.push(item);
            } else {
                self.report(id, format!("duplicate {what} id '{}'", id.get_ref()));
            }
        }
        kept.into_iter()
    }

    fn entity(&mut self, raw: &RawEntity) -> Option<Entity> {
        let id = self.slug(&raw.id, "entity");
        let kind = self.vocabulary(
            &raw.kind,
            "entity kind",
            EntityKind::from_name,
            EntityKind::names,
        );
        let names = self.labels(&raw.name, "entity name", true);
        let description = self.optional_labels(&raw.description, "entity description");
        let mut identifiers = BTreeMap::new();
        for (scheme, value) in &raw.ids {
            let v = value.get_ref();
            let valid = match scheme.as_str() {
                "wikidata" => {
                    v.starts_with('Q') && v.len() > 1 && v[1..].chars().all(|c| c.is_ascii_digit())
                }
                "lei" => v.len() == 20 && v.chars().all(|c| c.is_ascii_alphanumeric()),
                "url" => v.starts_with("http://") || v.starts_with("https://"),
                _ => !v.trim().is_empty(),
            };
            if !valid {
                self.report(
                    value,
                    format!(
                        "'{v}' is not a valid {scheme} identifier{}",
                        match scheme.as_str() {
                            "wikidata" => " (expected Q followed by digits, e.g. Q907311)",
                            "lei" => " (expected 20 letters and digits)",
                            "url" => " (expected an http(s) URL)",
                            _ => "",
                        }
                    ),
                );
            }
            identifiers.insert(scheme.clone(), v.clone());
        }
        Some(Entity {
            id,
            kind: kind?,
            names,
            aliases: raw.aliases.clone(),
            description,
            identifiers,
        })
    }

    fn source(&mut self, raw: &RawSource, known: &HashSet<String>) -> Option<Source> {
        let id = self.slug(&raw.id, "source");
        let kind = self.vocabulary(
            &raw.kind,
            "source kind",
            SourceKind::from_name,
            SourceKind::names,
        );
        if raw.title.get_ref().trim().is_empty() {
            self.report(&raw.title, "source title is empty");
        }
        if let Some(url) = &raw.url
            && !(url.get_ref().starts_with("http://") || url.get_ref().starts_with("https://"))
        {
            self.report(
                url,
                format!("source url '{}' is not an http(s) URL", url.get_ref()),
            );
        }
        let published = raw
            .published
            .as_ref()
            .and_then(|p| self.date(p, "publication date"));
        if let Some(lang) = &raw.language
            && !is_language_tag(lang.get_ref())
        {
            self.report(
                lang,
                format!(
                    "'{}' is not a language tag; expected e.g. en, it",
                    lang.get_ref()
                ),
            );
        }
        for cited in &raw.cites {
            if !known.contains(cited.get_ref()) {
                self.report(
                    cited,
                    format!("source '{id}' cites unknown source '{}'", cited.get_ref()),
                );
            } else if cited.get_ref() == &id {
                self.report(cited, format!("source '{id}' cites itself"));
            }
        }
        Some(Source {
            id,
            kind: kind?,
            title: raw.title.get_ref().clone(),
            author: raw.author.clone(),
            publisher: raw.publisher.clone(),
            url: raw.url.as_ref().map(|u| u.get_ref().clone()),
            published,
            language: raw.language.as_ref().map(|l| l.get_ref().clone()),
            cites: raw.cites.iter().map(|c| c.get_ref().clone()).collect(),
            note: raw.note.clone(),
        })
    }

    fn entity_ref(&mut self, r: &Text, refs: &References, role: &str) -> String {
        if !refs.entities.contains(r.get_ref()) {
            self.report(
                r,
                format!("{role} '{}' is not an entity of this file", r.get_ref()),
            );
        }
        r.get_ref().clone()
    }

    fn evidence(
        &mut self,
        list: &[Spanned<RawEvidence>],
        owner: &Text,
        refs: &References,
    ) -> Vec<Evidence> {
        if list.is_empty() {
            self.report(
                owner,
                format!(
                    "'{}' has no evidence; add [[…evidence]] with a source and the quoted words",
                    owner.get_ref()
                ),
            );
        }
        let mut out = Vec::new();
        for e in list {
            let raw = e.get_ref();
            let source_language = match refs.sources.get(raw.source.get_ref()) {
                Some(lang) => lang.clone(),
                None => {
                    self.report(
                        &raw.source,
                        format!("evidence cites unknown source '{}'", raw.source.get_ref()),
                    );
                    None
                }
            };
            if raw.quote.get_ref().trim().is_empty() {
                self.report(
                    &raw.quote,
                    "evidence quote is empty; quote the source's own words",
                );
            }
            if let Some(a) = &raw.attributed_to
                && !refs.sources.contains_key(a.get_ref())
            {
                self.report(
                    a,
                    format!("evidence is attributed to unknown source '{}'", a.get_ref()),
                );
            }
            let language = match (&raw.lang, source_language) {
                (Some(l), _) => {
                    if !is_language_tag(l.get_ref()) {
                        self.report(l, format!("'{}' is not a language tag", l.get_ref()));
                    }
                    Some(l.get_ref().clone())
                }
                (None, Some(l)) => Some(l),
                (None, None) => {
                    self.report(
                        e,
                        "evidence needs lang = \"…\" (its source gives no language)",
                    );
                    None
                }
            };
            out.push(Evidence {
                source: raw.source.get_ref().clone(),
                quote: raw.quote.get_ref().clone(),
                language,
                gloss: raw.gloss.clone(),
                location: raw.location.clone(),
                attributed_to: raw.attributed_to.as_ref().map(|a| a.get_ref().clone()),
            });
        }
        out
    }

    fn amount(&mut self, raw: &Spanned<RawAmount>) -> Option<Amount> {
        let a = raw.get_ref();
        let value = match a.value.get_ref() {
            toml::Value::Integer(i) if *i >= 0 => Some(i.to_string()),
            toml::Value::Float(f) if f.is_finite() && *f >= 0.0 => Some(f.to_string()),
            toml::Value::String(s) if is_decimal(s) => Some(s.clone()),
            other => {
                self.report(
                    &a.value,
                    format!("amount value {other} is not a non-negative number; expected e.g. 150000000 or \"150000000.50\""),
                );
                None
            }
        };
        let currency = match &a.currency {
            None => {
                self.report(
                    raw,
                    "amount without currency; add currency = \"USD\" (ISO 4217)",
                );
                None
            }
            Some(c)
                if c.get_ref().len() == 3
                    && c.get_ref().chars().all(|x| x.is_ascii_uppercase()) =>
            {
                Some(c.get_ref().clone())
            }
            Some(c) => {
                self.report(c, format!("currency '{}' is not an ISO 4217 code; expected three capital letters such as USD", c.get_ref()));
                None
            }
        };
        let period = match &a.period {
            None => Some(AmountPeriod::Total),
            Some(p) => self.vocabulary(
                p,
                "amount period",
                AmountPeriod::from_name,
                AmountPeriod::names,
            ),
        };
        let qualifier = match &a.qualifier {
            None => Some(AmountQualifier::Exact),
            Some(q) => self.vocabulary(
                q,
                "amount qualifier",
                AmountQualifier::from_name,
                AmountQualifier::names,
            ),
        };
        Some(Amount {
            value: value?,
            currency: currency?,
            period: period?,
            qualifier: qualifier?,
        })
    }

    fn relationship(
        &mut self,
        spanned: &Spanned<RawRelationship>,
        refs: &References,
    ) -> Option<Relationship> {
        let raw = spanned.get_ref();
        let id = self.slug(&raw.id, "relationship");
        let kind = self.vocabulary(
            &raw.kind,
            "relationship kind",
            RelationshipKind::from_name,
            RelationshipKind::names,
        );
        let subject = self.entity_ref(&raw.subject, refs, "subject");
        let object = self.entity_ref(&raw.object, refs, "object");
        if subject == object {
            self.report(
                &raw.object,
                format!("relationship '{id}' ties '{subject}' to itself"),
            );
        }
        let instrument = raw
            .instrument
            .as_ref()
            .map(|i| self.entity_ref(i, refs, "instrument"));
        if let Some(p) = &raw.part_of
            && (!refs.relationships.contains(p.get_ref()) || p.get_ref() == &id)
        {
            self.report(
                p,
                format!(
                    "part_of '{}' is not another relationship of this file",
                    p.get_ref()
                ),
            );
        }
        let during = match &raw.during {
            None => Some(None),
            Some(text) => {
                self.edtf(text, "interval")
                    .and_then(|edtf| match Interval::from_edtf(&edtf) {
                        Ok(interval) => Some(Some(TimeSpan {
                            text: text.get_ref().clone(),
                            edtf,
                            interval,
                        })),
                        Err(e) => {
                            self.report(
                                text,
                                format!("invalid interval '{}': {}", text.get_ref(), e.message),
                            );
                            None
                        }
                    })
            }
        };
        let amount = match &raw.amount {
            None => Some(None),
            Some(a) => self.amount(a).map(Some),
        };
        let status = self.vocabulary(
            &raw.status,
            "claim status",
            ClaimStatus::from_name,
            ClaimStatus::names,
        );
        let role = self.optional_labels(&raw.role, "role");
        let label = self.optional_labels(&raw.label, "label");
        let note = self.optional_labels(&raw.note, "note");
        let evidence = self.evidence(&raw.evidence, &raw.id, refs);
        Some(Relationship {
            id,
            kind: kind?,
            subject,
            object,
            role,
            instrument,
            part_of: raw.part_of.as_ref().map(|p| p.get_ref().clone()),
            during: during?,
            amount: amount?,
            status: status?,
            label,
            note,
            evidence,
        })
    }

    fn event(&mut self, spanned: &Spanned<RawEvent>, refs: &References) -> Option<Event> {
        let raw = spanned.get_ref();
        let id = self.slug(&raw.id, "event");
        if raw.kind.get_ref().trim().is_empty() {
            self.report(
                &raw.kind,
                "event kind is empty; e.g. announcement, filing, renaming",
            );
        }
        let participants = raw
            .participants
            .iter()
            .map(|p| self.entity_ref(p, refs, "participant"))
            .collect();
        let date = self.date(&raw.date, "event date");
        let status = self.vocabulary(
            &raw.status,
            "claim status",
            ClaimStatus::from_name,
            ClaimStatus::names,
        );
        let label = self.optional_labels(&raw.label, "label");
        let evidence = self.evidence(&raw.evidence, &raw.id, refs);
        Some(Event {
            id,
            kind: raw.kind.get_ref().clone(),
            participants,
            date: date?,
            label,
            status: status?,
            evidence,
        })
    }
}

struct References<'a> {
    entities: &'a HashSet<String>,
    sources: &'a HashMap<String, Option<String>>,
    relationships: &'a HashSet<String>,
}

/// A simplified BCP 47 check: a 2–3 letter language, then subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_decimal(s: &str) -> bool {
    let mut seen_dot = false;
    !s.is_empty()
        && s.chars().all(|c| {
            if c == '.' && !seen_dot {
                seen_dot = true;
                true
            } else {
                c.is_ascii_digit()
            }
        })
        && s.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::parse_timeline;
    use std::path::Path;

    const TINY: &str = r#"[dataset]
id = "tiny"
title = { en = "Tiny" }

[[entity]]
id = "acme"
kind = "company"
name = { en = "Acme" }

[[entity]]
id = "jane"
kind = "person"
name = { en = "Jane Roe" }

[[source]]
id = "paper"
kind = "news-article"
title = "Jane joins Acme"
language = "en"

[[relationship]]
id = "jane-acme-board"
kind = "board-membership"
subject = "jane"
object = "acme"
during = "2015/2018"
status = "reported"

[[relationship.evidence]]
source = "paper"
quote = "Jane joined the board of Acme in 2015."
"#;

    #[test]
    fn the_tiny_timeline_reads() {
        let d = parse_timeline(Path::new("tiny.toml"), TINY).unwrap();
        assert_eq!((d.entities.len(), d.relationships.len()), (2, 1));
        let r = &d.relationships[0];
        assert_eq!(r.during.as_ref().unwrap().text, "2015/2018");
        assert_eq!(r.evidence[0].language.as_deref(), Some("en"));
    }

    /// Each change to TINY, and the one problem it makes: where and what.
    #[test]
    fn problems_are_located() {
        let cases: &[(&str, &str, usize, usize, &str)] = &[
            (
                "kind = \"company\"",
                "kind = \"corporation\"",
                7,
                8,
                "unknown entity kind 'corporation'",
            ),
            (
                "during = \"2015/2018\"",
                "during = \"2015-02-30/2018\"",
                26,
                11,
                "invalid EDTF interval '2015-02-30/2018'",
            ),
            (
                "status = \"reported\"",
                "status = \"maybe\"",
                27,
                10,
                "unknown claim status 'maybe'",
            ),
            (
                "subject = \"jane\"",
                "subject = \"janet\"",
                24,
                11,
                "subject 'janet' is not an entity of this file",
            ),
            (
                "id = \"jane-acme-board\"",
                "id = \"Jane-Acme\"",
                22,
                6,
                "relationship id 'Jane-Acme' is not a slug",
            ),
            (
                "source = \"paper\"",
                "source = \"papers\"\nlang = \"en\"",
                30,
                10,
                "evidence cites unknown source 'papers'",
            ),
            (
                "[[source]]",
                "[[entity]]\nid = \"jane\"\nkind = \"person\"\nname = { en = \"J\" }\n\n[[source]]",
                16,
                6,
                "duplicate entity id 'jane'",
            ),
            (
                "language = \"en\"",
                "language = \"english\"",
                19,
                12,
                "'english' is not a language tag",
            ),
            (
                "name = { en = \"Acme\" }",
                "name = { en = \"Acme\" ",
                10,
                1,
                "expected `,`",
            ),
        ];
        for (from, to, line, column, message) in cases {
            let text = TINY.replacen(from, to, 1);
            let problems = parse_timeline(Path::new("tiny.toml"), &text).unwrap_err();
            let p = &problems[0];
            assert_eq!(problems.len(), 1, "{to}: {problems:?}");
            assert_eq!((p.line, p.column), (*line, *column), "{to}: {}", p.message);
            assert!(p.message.contains(message), "{to}: {}", p.message);
        }
    }

    #[test]
    fn every_problem_in_a_file_is_reported() {
        let text = TINY
            .replacen("kind = \"company\"", "kind = \"corporation\"", 1)
            .replacen("status = \"reported\"", "status = \"maybe\"", 1);
        let problems = parse_timeline(Path::new("tiny.toml"), &text).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [7, 27]);
    }
}
