//! A synthetic corporate world for tests and benchmarks: companies, people
//! and public bodies; board seats with overlapping terms, executive roles,
//! ownership, agreements, payments and lobbying; skewed like real ones (a
//! few hub companies and busy directors, a long tail of small ones).
//!
//! The same `seed` and size give the same world, byte for byte. Dates come
//! at mixed precisions (day, month, year, approximate years, open ends,
//! "on or before") so that every part of the time model is exercised.

mod names;
mod write;

pub use write::{CSV_COLUMNS, write_csv, write_nquads, write_timeline};

use interlock_model::time::{Edtf, Interval};
use interlock_model::{
    Amount, AmountPeriod, AmountQualifier, ClaimStatus, Dataset, Entity, EntityKind, Evidence,
    Labels, Relationship, RelationshipKind, Source, SourceKind, TimeSpan,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How big a world, and which one.
#[derive(Debug, Clone, Copy)]
pub struct WorldConfig {
    /// How many relationships.
    pub relationships: usize,
    /// The seed: the same seed gives the same world.
    pub seed: u64,
}

impl Default for WorldConfig {
    /// Ten thousand relationships, seed 1: a world that loads in seconds.
    fn default() -> Self {
        WorldConfig {
            relationships: 10_000,
            seed: 1,
        }
    }
}

/// A generated world: its entities and sources are made at once, its
/// relationships one at a time ([`World::relationships`]), so a million of
/// them never sit in memory together.
#[derive(Debug, Clone)]
pub struct World {
    config: WorldConfig,
    /// The dataset without its relationships: id, title, entities, sources.
    pub header: Dataset,
    companies: usize,
    people: usize,
    bodies: usize,
}

const SOURCES: usize = 50;
const FIRST_YEAR: i32 = 1990;
const LAST_YEAR: i32 = 2025;

impl World {
    /// The world of `config`.
    pub fn new(config: WorldConfig) -> World {
        let n = config.relationships;
        let companies = (n / 6).max(20);
        let people = (n / 3).max(20);
        let bodies = (n / 1000).clamp(5, 200);
        let mut entities = Vec::with_capacity(companies + people + bodies);
        let name = |text: String| Labels::from([(Some("en".to_string()), text)]);
        for i in 0..companies {
            entities.push(entity(
                format!("company-{i}"),
                EntityKind::Company,
                name(names::company(i)),
            ));
        }
        for i in 0..people {
            entities.push(entity(
                format!("person-{i}"),
                EntityKind::Person,
                name(names::person(i)),
            ));
        }
        for i in 0..bodies {
            entities.push(entity(
                format!("body-{i}"),
                EntityKind::GovernmentBody,
                name(names::body(i)),
            ));
        }
        let sources = (0..SOURCES)
            .map(|k| Source {
                id: format!("registry-{k}"),
                kind: if k % 5 == 0 {
                    SourceKind::NewsArticle
                } else {
                    SourceKind::RegistryRecord
                },
                title: format!("Synthetic register, volume {k}"),
                author: None,
                publisher: Some("interlock generate".into()),
                url: None,
                published: None,
                language: Some("en".into()),
                cites: Vec::new(),
                note: None,
            })
            .collect();
        World {
            header: Dataset {
                id: format!("synthetic-{}-{}", n, config.seed),
                title: Labels::from([(
                    Some("en".to_string()),
                    format!(
                        "Synthetic corporate world: {n} relationships, seed {}",
                        config.seed
                    ),
                )]),
                description: Labels::new(),
                license: Some("CC0-1.0".into()),
                entities,
                sources,
                relationships: Vec::new(),
                events: Vec::new(),
                decisions: Vec::new(),
            },
            config,
            companies,
            people,
            bodies,
        }
    }

    /// Every relationship, in id order (`r0`, `r1`, …), made as they are asked for.
    pub fn relationships(&self) -> impl Iterator<Item = Relationship> + '_ {
        let mut rng = ChaCha8Rng::seed_from_u64(self.config.seed.wrapping_add(0x9e37_79b9));
        (0..self.config.relationships).map(move |i| self.relationship(i, &mut rng))
    }

    /// A company index, most often one of the first (the hubs).
    fn company(&self, rng: &mut ChaCha8Rng) -> usize {
        skewed(rng, self.companies, 2.5)
    }

    fn relationship(&self, i: usize, rng: &mut ChaCha8Rng) -> Relationship {
        let roll: f64 = rng.random();
        let (kind, subject, object, role) = if roll < 0.55 {
            let person = skewed(rng, self.people, 1.6);
            (
                RelationshipKind::BoardMembership,
                format!("person-{person}"),
                format!("company-{}", self.company(rng)),
                Some("board member"),
            )
        } else if roll < 0.62 {
            let person = rng.random_range(0..self.people);
            let role = ["CEO", "CFO", "COO", "general counsel"][rng.random_range(0..4)];
            (
                RelationshipKind::ExecutiveRole,
                format!("person-{person}"),
                format!("company-{}", self.company(rng)),
                Some(role),
            )
        } else if roll < 0.80 {
            let kind = [
                RelationshipKind::Ownership,
                RelationshipKind::Partnership,
                RelationshipKind::DataSharingAgreement,
                RelationshipKind::Integration,
                RelationshipKind::ApiAccess,
                RelationshipKind::Subsidiary,
            ][rng.random_range(0..6)];
            let (a, b) = self.two_companies(rng);
            (kind, format!("company-{a}"), format!("company-{b}"), None)
        } else if roll < 0.95 {
            let (a, b) = self.two_companies(rng);
            let kind = if rng.random_bool(0.2) {
                RelationshipKind::AdvertisingSpend
            } else {
                RelationshipKind::Payment
            };
            (kind, format!("company-{a}"), format!("company-{b}"), None)
        } else {
            let body = skewed(rng, self.bodies, 1.5);
            (
                RelationshipKind::Lobbying,
                format!("company-{}", self.company(rng)),
                format!("body-{body}"),
                None,
            )
        };
        let payment = matches!(
            kind,
            RelationshipKind::Payment | RelationshipKind::AdvertisingSpend
        );
        let text = if payment { day(rng) } else { span(rng) };
        let edtf = Edtf::parse(&text).expect("generated dates are valid EDTF");
        let interval =
            Interval::from_edtf(&edtf).expect("generated intervals end after they start");
        let amount = payment.then(|| Amount {
            value: (10f64.powf(rng.random_range(3.0..9.0)) as u64).to_string(),
            currency: ["USD", "EUR", "NOK", "GBP"][rng.random_range(0..4)].to_string(),
            period: AmountPeriod::Total,
            qualifier: if rng.random_bool(0.1) {
                AmountQualifier::Approximate
            } else {
                AmountQualifier::Exact
            },
        });
        let status = match rng.random_range(0..20) {
            0 => ClaimStatus::Alleged,
            1..=3 => ClaimStatus::Reported,
            _ => ClaimStatus::Confirmed,
        };
        let source = format!("registry-{}", rng.random_range(0..SOURCES));
        Relationship {
            id: format!("r{i}"),
            kind,
            role: role
                .map(|r| Labels::from([(Some("en".to_string()), r.to_string())]))
                .unwrap_or_default(),
            instrument: None,
            part_of: None,
            during: Some(TimeSpan {
                text,
                edtf,
                interval,
            }),
            amount,
            status,
            label: Labels::new(),
            note: Labels::new(),
            evidence: vec![Evidence {
                source,
                quote: format!("Record {i}: {subject} {} {object}.", kind.as_str()),
                language: Some("en".into()),
                gloss: None,
                location: None,
                attributed_to: None,
            }],
            subject,
            object,
        }
    }

    fn two_companies(&self, rng: &mut ChaCha8Rng) -> (usize, usize) {
        let a = self.company(rng);
        let mut b = rng.random_range(0..self.companies);
        if b == a {
            b = (a + 1) % self.companies;
        }
        (a, b)
    }
}

fn entity(id: String, kind: EntityKind, names: Labels) -> Entity {
    Entity {
        id,
        kind,
        names,
        aliases: Vec::new(),
        description: Labels::new(),
        identifiers: Default::default(),
    }
}

/// An index below `n`, `u^power` skewed towards 0: with power 2.5 the first
/// 1% of indices get about 16% of the picks.
fn skewed(rng: &mut ChaCha8Rng, n: usize, power: f64) -> usize {
    let u: f64 = rng.random();
    ((u.powf(power) * n as f64) as usize).min(n - 1)
}

/// A date at a random precision, as EDTF.
fn date(rng: &mut ChaCha8Rng, year: i32) -> String {
    let month = rng.random_range(1..=12);
    match rng.random_range(0..10) {
        0 => format!("{year:04}-{month:02}-{:02}", rng.random_range(1..=28)),
        1..=5 => format!("{year:04}-{month:02}"),
        6..=8 => format!("{year:04}"),
        _ => format!("{year:04}~"),
    }
}

/// A day, for payments.
fn day(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        rng.random_range(FIRST_YEAR..=LAST_YEAR),
        rng.random_range(1..=12),
        rng.random_range(1..=28)
    )
}

/// A term: start, then an end some years later, or still going, or an
/// unknown start ("on or before").
fn span(rng: &mut ChaCha8Rng) -> String {
    let start = rng.random_range(FIRST_YEAR..=LAST_YEAR - 1);
    let years = 1 + (rng.random::<f64>().powf(2.0) * 14.0) as i32;
    let end = start + years;
    let from = if rng.random_bool(0.05) {
        format!("[..{start:04}]")
    } else {
        date(rng, start)
    };
    let to = if end > LAST_YEAR {
        "..".to_string()
    } else {
        date(rng, end)
    };
    format!("{from}/{to}")
}
