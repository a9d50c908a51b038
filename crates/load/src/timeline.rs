//! Timeline files (TOML) into a validated [`Dataset`].
//!
//! The format is documented in `docs/timeline-format.md`; `data/netflix-facebook.toml`
//! is the worked example. Syntax errors stop at the first (the TOML parser cannot go
//! on); every other problem in a file is reported, each at its `line:column`.

use crate::diagnostic::Diagnostic;
use interlock_model::time::{Edtf, EdtfError, Interval};
use interlock_model::{
    Amount, AmountPeriod, AmountQualifier, ClaimStatus, Dataset, DateValue, Entity, EntityKind,
    Event, Evidence, Labels, Relationship, RelationshipKind, Source, SourceKind, TimeSpan,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use toml::Spanned;

type Text = Spanned<String>;

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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataset {
    id: Text,
    title: Spanned<Labels>,
    #[serde(default)]
    description: Option<Spanned<Labels>>,
    #[serde(default)]
    license: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: Text,
    kind: Text,
    name: Spanned<Labels>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    description: Option<Spanned<Labels>>,
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
    role: Option<Spanned<Labels>>,
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
    label: Option<Spanned<Labels>>,
    #[serde(default)]
    note: Option<Spanned<Labels>>,
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
    label: Option<Spanned<Labels>>,
    status: Text,
    #[serde(default)]
    evidence: Vec<Spanned<RawEvidence>>,
}

/// Parses and validates one timeline file's text. `path` is only used to
/// locate problems.
pub fn parse_timeline(path: &Path, text: &str) -> Result<Dataset, Vec<Diagnostic>> {
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
    let dataset = v.dataset(raw);
    if v.problems.is_empty() {
        Ok(dataset)
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
        let ok = !value.is_empty()
            && value.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
            })
            && value
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if !ok {
            self.report(
                id,
                format!(
                    "{what} id '{value}' is not a slug; expected lowercase letters, digits, '-', '_' or '.', starting with a letter or digit"
                ),
            );
        }
        value.clone()
    }

    fn labels(&mut self, labels: &Spanned<Labels>, what: &str, required: bool) -> Labels {
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
        map.clone()
    }

    fn optional_labels(&mut self, labels: &Option<Spanned<Labels>>, what: &str) -> Labels {
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
        let license = header.license.clone();

        let mut seen = HashSet::new();
        let mut entities = Vec::new();
        for e in &raw.entity {
            if let Some(entity) = self.entity(e.get_ref()) {
                if !seen.insert(entity.id.clone()) {
                    self.report(
                        &e.get_ref().id,
                        format!("duplicate entity id '{}'", entity.id),
                    );
                    continue;
                }
                entities.push(entity);
            }
        }
        // References are checked against every declared id, valid or not,
        // so that one bad entity does not cascade into many errors.
        let entity_ids: HashSet<String> = raw
            .entity
            .iter()
            .map(|e| e.get_ref().id.get_ref().clone())
            .collect();

        let source_ids: HashSet<String> = raw
            .source
            .iter()
            .map(|s| s.get_ref().id.get_ref().clone())
            .collect();
        let mut seen = HashSet::new();
        let mut sources = Vec::new();
        for s in &raw.source {
            let r = s.get_ref();
            if !seen.insert(r.id.get_ref().clone()) {
                self.report(&r.id, format!("duplicate source id '{}'", r.id.get_ref()));
                continue;
            }
            if let Some(source) = self.source(r, &source_ids) {
                sources.push(source);
            }
        }
        let source_languages: HashMap<String, Option<String>> = sources
            .iter()
            .map(|s| (s.id.clone(), s.language.clone()))
            .collect();

        let relationship_ids: HashSet<String> = raw
            .relationship
            .iter()
            .map(|r| r.get_ref().id.get_ref().clone())
            .collect();
        let mut seen = HashSet::new();
        let mut relationships = Vec::new();
        for r in &raw.relationship {
            let raw_rel = r.get_ref();
            if !seen.insert(raw_rel.id.get_ref().clone()) {
                self.report(
                    &raw_rel.id,
                    format!("duplicate relationship id '{}'", raw_rel.id.get_ref()),
                );
                continue;
            }
            let refs = References {
                entities: &entity_ids,
                sources: &source_languages,
                relationships: &relationship_ids,
            };
            if let Some(rel) = self.relationship(r, &refs) {
                relationships.push(rel);
            }
        }

        let mut seen = HashSet::new();
        let mut events = Vec::new();
        for e in &raw.event {
            let raw_event = e.get_ref();
            if !seen.insert(raw_event.id.get_ref().clone()) {
                self.report(
                    &raw_event.id,
                    format!("duplicate event id '{}'", raw_event.id.get_ref()),
                );
                continue;
            }
            let refs = References {
                entities: &entity_ids,
                sources: &source_languages,
                relationships: &relationship_ids,
            };
            if let Some(event) = self.event(e, &refs) {
                events.push(event);
            }
        }

        Dataset {
            id,
            title,
            description,
            license,
            entities,
            sources,
            relationships,
            events,
        }
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
                    l.get_ref().clone()
                }
                (None, Some(l)) => l,
                (None, None) => {
                    self.report(
                        e,
                        "evidence needs lang = \"…\" (its source gives no language)",
                    );
                    String::new()
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
