//! The facts of one dataset: entities, sources, relationships and events,
//! each relationship and event with its time and its evidence.
//!
//! These types are what a timeline file means once validated: every
//! reference resolves, every date parses. They carry no file positions.

use crate::kinds::{
    AmountPeriod, AmountQualifier, ClaimStatus, EntityKind, RelationshipKind, SourceKind,
};
use crate::time::{DateExpr, Edtf, Interval};
use std::collections::BTreeMap;

/// Text in several languages, keyed by BCP 47 language tag (`en`, `it`);
/// `None` for text in no stated language (names in imported registers).
pub type Labels = BTreeMap<Option<String>, String>;

/// A dataset: the unit that is loaded, and replaced, as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Slug naming the dataset; its named graph is `{base}graph/{id}`.
    pub id: String,
    /// Title per language.
    pub title: Labels,
    /// Description per language.
    pub description: Labels,
    /// Licence of the dataset, free text or a URL.
    pub license: Option<String>,
    /// People, organizations and systems.
    pub entities: Vec<Entity>,
    /// Documents the claims come from.
    pub sources: Vec<Source>,
    /// Ties between two entities that held over time.
    pub relationships: Vec<Relationship>,
    /// Things that happened at a point in time.
    pub events: Vec<Event>,
    /// People's decisions on whether two entities are one.
    pub decisions: Vec<Decision>,
}

/// Someone's decision that two entities, of this dataset or any other, are
/// the same one or are not: it merges entities that share no identifier,
/// or keeps apart entities whose shared identifier would merge them.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Whether the two are one entity (else: two that must stay apart).
    pub same: bool,
    /// The two entities' ids.
    pub entities: [String; 2],
    /// Who decided.
    pub by: Option<String>,
    /// When it was decided.
    pub on: Option<DateValue>,
    /// Why, in the decider's words.
    pub why: Option<String>,
}

/// A person, organization, public body or product.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Slug, unique in the dataset; the last segment of the entity's IRI.
    pub id: String,
    /// What it is.
    pub kind: EntityKind,
    /// Name per language.
    pub names: Labels,
    /// Other names it goes by.
    pub aliases: Vec<String>,
    /// Short description per language.
    pub description: Labels,
    /// Identifiers in other systems, by scheme: `wikidata` (a QID), `lei`, `url`, …
    pub identifiers: BTreeMap<String, String>,
}

/// A date as written (EDTF) and as parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct DateValue {
    /// The EDTF text as the file gave it.
    pub text: String,
    /// What it says.
    pub expr: DateExpr,
}

/// When a relationship held, as written (EDTF) and as an interval.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSpan {
    /// The EDTF text as the file gave it (`2011/2019`, `2013-08/`, `[..2013]/`).
    pub text: String,
    /// What it says.
    pub edtf: Edtf,
    /// The interval of days it denotes.
    pub interval: Interval,
}

/// A document claims are taken from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Slug, unique in the dataset.
    pub id: String,
    /// What kind of document.
    pub kind: SourceKind,
    /// Its title, in its own language.
    pub title: String,
    /// Who wrote it.
    pub author: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// Where it can be read.
    pub url: Option<String>,
    /// When it was published (the record time of its claims).
    pub published: Option<DateValue>,
    /// Its language (BCP 47).
    pub language: Option<String>,
    /// The sources it reports from (ids in the same dataset).
    pub cites: Vec<String>,
    /// Anything a reader should know about the source itself.
    pub note: Option<String>,
}

/// An amount of money.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// The number, as a decimal string (`150000000`).
    pub value: String,
    /// ISO 4217 currency code (`USD`).
    pub currency: String,
    /// What period it is counted over.
    pub period: AmountPeriod,
    /// How exactly it is stated.
    pub qualifier: AmountQualifier,
}

/// The words of a source that support a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The source the words appear in.
    pub source: String,
    /// The words, verbatim.
    pub quote: String,
    /// Language of the quote (BCP 47), when known.
    pub language: Option<String>,
    /// An English rendering of the quote.
    pub gloss: Option<String>,
    /// Where in the source: `headline`, `body`, a page or paragraph.
    pub location: Option<String>,
    /// The source the quoted words attribute the claim to, when they do.
    pub attributed_to: Option<String>,
}

/// A tie between two entities that held over a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Relationship {
    /// Slug, unique in the dataset.
    pub id: String,
    /// What kind of tie.
    pub kind: RelationshipKind,
    /// The entity it goes from (the board member, the payer, the grantee).
    pub subject: String,
    /// The entity it goes to (the board, the payee, the grantor).
    pub object: String,
    /// The subject's role per language ("CEO", "membro del consiglio").
    pub role: Labels,
    /// A product or system the tie is about (an API), by entity id.
    pub instrument: Option<String>,
    /// A larger relationship this one belongs to, by id.
    pub part_of: Option<String>,
    /// When it held; `None` when nothing is known of it.
    pub during: Option<TimeSpan>,
    /// Money involved.
    pub amount: Option<Amount>,
    /// How sure the sources are.
    pub status: ClaimStatus,
    /// Label per language.
    pub label: Labels,
    /// Notes per language: caveats, how the dates were read.
    pub note: Labels,
    /// The words that support it; never empty.
    pub evidence: Vec<Evidence>,
}

impl Relationship {
    /// The interval during which it held (unknown when no time was given).
    pub fn interval(&self) -> Interval {
        self.during
            .as_ref()
            .map_or(Interval::UNKNOWN, |span| span.interval)
    }
}

/// Something that happened at a date: an announcement, a filing, a ruling.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Slug, unique in the dataset.
    pub id: String,
    /// Free-form kind word (`announcement`, `filing`, `renaming`).
    pub kind: String,
    /// Entities taking part, by id.
    pub participants: Vec<String>,
    /// When.
    pub date: DateValue,
    /// Label per language.
    pub label: Labels,
    /// How sure the sources are.
    pub status: ClaimStatus,
    /// The words that support it; never empty.
    pub evidence: Vec<Evidence>,
}
