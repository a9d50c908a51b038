//! Plausible names for generated entities, the same for the same index.

const STEMS: &[&str] = &[
    "Alder", "Birch", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
    "Kestrel", "Lumen", "Meridian", "Nordic", "Orchid", "Pioneer", "Quartz", "Raven", "Summit",
    "Tidal", "Umber", "Vantage", "Willow", "Xenon", "Yarrow", "Zenith",
];
const TRADES: &[&str] = &[
    "Capital",
    "Energy",
    "Shipping",
    "Media",
    "Systems",
    "Holdings",
    "Foods",
    "Pharma",
    "Data",
    "Logistics",
    "Telecom",
    "Mining",
];
const FORMS: &[&str] = &["ASA", "Inc.", "plc", "GmbH", "S.p.A.", "AB", "Ltd"];
const GIVEN: &[&str] = &[
    "Ada", "Bjørn", "Chiara", "Dmitri", "Elena", "Farid", "Grete", "Hiro", "Ines", "Jonas", "Kari",
    "Luca", "Maja", "Nils", "Olga", "Pietro", "Quinn", "Rosa", "Sven", "Tove", "Ugo", "Vera",
    "Wenche", "Yusuf",
];
const FAMILY: &[&str] = &[
    "Andersen",
    "Bianchi",
    "Carlsen",
    "Dahl",
    "Esposito",
    "Fossum",
    "Greco",
    "Hansen",
    "Iversen",
    "Johansen",
    "Kristiansen",
    "Larsen",
    "Moretti",
    "Nilsen",
    "Olsen",
    "Pedersen",
    "Ricci",
    "Solberg",
    "Tanaka",
    "Urbani",
    "Vik",
    "Wang",
];

fn pick(list: &[&'static str], i: usize) -> &'static str {
    list[i % list.len()]
}

/// The name of company `i`.
pub fn company(i: usize) -> String {
    format!(
        "{} {} {}",
        pick(STEMS, i),
        pick(TRADES, i / STEMS.len()),
        pick(FORMS, i / (STEMS.len() * TRADES.len()))
    )
}

/// The name of person `i`.
pub fn person(i: usize) -> String {
    format!(
        "{} {} {}",
        pick(GIVEN, i),
        pick(GIVEN, i / GIVEN.len() + 7)
            .chars()
            .next()
            .unwrap_or('A'),
        pick(FAMILY, i / (GIVEN.len() * 3))
    )
}

/// The name of public body `i`.
pub fn body(i: usize) -> String {
    format!("Committee on {} {}", pick(TRADES, i), i / TRADES.len() + 1)
}
