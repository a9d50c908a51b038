//! A world written out: as N-Quads (what `interlock load` and `oxigraph
//! load` both read), as a timeline file, or as a table of one row per
//! relationship (what `interlock import csv` reads through
//! `bench/world-csv.toml`).

use crate::World;
use interlock_load::{IriBase, dataset_quads, relationship_quads};
use interlock_model::Labels;
use oxigraph::io::{RdfFormat, RdfSerializer};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// Writes the world as N-Quads, all in the graph `{base}graph/{dataset id}`,
/// one relationship at a time. Returns the number of quads written.
pub fn write_nquads(world: &World, base: &IriBase, out: impl Write) -> std::io::Result<u64> {
    let mut writer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(out);
    let mut count = 0u64;
    for quad in dataset_quads(&world.header, base) {
        writer.serialize_quad(&quad)?;
        count += 1;
    }
    for r in world.relationships() {
        for quad in relationship_quads(&r, base, &world.header.id) {
            writer.serialize_quad(&quad)?;
            count += 1;
        }
    }
    writer.finish()?.flush()?;
    Ok(count)
}

/// The columns of [`write_csv`]'s table.
pub const CSV_COLUMNS: [&str; 10] = [
    "subject",
    "subject_name",
    "subject_kind",
    "object",
    "object_name",
    "object_kind",
    "kind",
    "role",
    "start",
    "end",
];

/// Writes the world's relationships as CSV, one row each, streamed: its
/// parties' ids, names and kinds, its kind and role, and the first day it
/// may have started and the last it may have ended where those are known
/// (a start or end left open or unknown is an empty cell). Returns the
/// number of rows written.
pub fn write_csv(world: &World, out: impl Write) -> csv::Result<u64> {
    let entities: std::collections::HashMap<&str, &interlock_model::Entity> = world
        .header
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let name = |id: &str| {
        let e = entities.get(id);
        let label = e
            .and_then(|e| e.names.values().next())
            .map_or(id, String::as_str);
        (
            label.to_string(),
            e.map_or("", |e| e.kind.as_str()).to_string(),
        )
    };
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    let mut rows = 0;
    for r in world.relationships() {
        let (subject_name, subject_kind) = name(&r.subject);
        let (object_name, object_kind) = name(&r.object);
        let (start, end) = match &r.during {
            Some(d) => {
                use interlock_model::time::{EndKnowledge, end_knowledge};
                let (s, e) = end_knowledge(&d.edtf);
                // An end dated only as "on or before" (or after) a day has
                // no first (or last) day to write.
                let day = |known: EndKnowledge, day: chrono::NaiveDate| match known {
                    EndKnowledge::Dated if (1..=9999).contains(&chrono::Datelike::year(&day)) => {
                        day.format("%Y-%m-%d").to_string()
                    }
                    _ => String::new(),
                };
                (
                    day(s, d.interval.start.earliest),
                    day(e, d.interval.end.latest),
                )
            }
            None => (String::new(), String::new()),
        };
        let role = r.role.values().next().cloned().unwrap_or_default();
        writer.write_record([
            r.subject.as_str(),
            &subject_name,
            &subject_kind,
            &r.object,
            &object_name,
            &object_kind,
            r.kind.as_str(),
            &role,
            &start,
            &end,
        ])?;
        rows += 1;
    }
    writer.flush()?;
    Ok(rows)
}

#[derive(Serialize)]
struct Timeline {
    dataset: DatasetOut,
    entity: Vec<EntityOut>,
    source: Vec<SourceOut>,
    relationship: Vec<RelationshipOut>,
}

#[derive(Serialize)]
struct DatasetOut {
    id: String,
    title: BTreeMap<String, String>,
    license: Option<String>,
}

#[derive(Serialize)]
struct EntityOut {
    id: String,
    kind: &'static str,
    name: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct SourceOut {
    id: String,
    kind: &'static str,
    title: String,
    publisher: Option<String>,
    language: Option<String>,
}

#[derive(Serialize)]
struct RelationshipOut {
    id: String,
    kind: &'static str,
    subject: String,
    object: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    role: BTreeMap<String, String>,
    during: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<AmountOut>,
    evidence: Vec<EvidenceOut>,
}

#[derive(Serialize)]
struct AmountOut {
    value: u64,
    currency: String,
    period: &'static str,
    qualifier: &'static str,
}

#[derive(Serialize)]
struct EvidenceOut {
    source: String,
    quote: String,
}

/// Writes the world as a timeline file (TOML, docs/timeline-format.md).
/// It holds the whole world in memory: meant for small worlds.
pub fn write_timeline(world: &World, mut out: impl Write) -> std::io::Result<()> {
    let h = &world.header;
    let timeline = Timeline {
        dataset: DatasetOut {
            id: h.id.clone(),
            title: tagged(&h.title),
            license: h.license.clone(),
        },
        entity: h
            .entities
            .iter()
            .map(|e| EntityOut {
                id: e.id.clone(),
                kind: e.kind.as_str(),
                name: tagged(&e.names),
            })
            .collect(),
        source: h
            .sources
            .iter()
            .map(|s| SourceOut {
                id: s.id.clone(),
                kind: s.kind.as_str(),
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                language: s.language.clone(),
            })
            .collect(),
        relationship: world
            .relationships()
            .map(|r| RelationshipOut {
                id: r.id,
                kind: r.kind.as_str(),
                subject: r.subject,
                object: r.object,
                role: tagged(&r.role),
                during: r.during.map(|d| d.text),
                status: r.status.as_str(),
                amount: r.amount.map(|a| AmountOut {
                    value: a.value.parse().unwrap_or(0),
                    currency: a.currency,
                    period: a.period.as_str(),
                    qualifier: a.qualifier.as_str(),
                }),
                evidence: r
                    .evidence
                    .into_iter()
                    .map(|e| EvidenceOut {
                        source: e.source,
                        quote: e.quote,
                    })
                    .collect(),
            })
            .collect(),
    };
    let text = toml::to_string(&timeline).map_err(std::io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Labels as a timeline writes them: by language tag. A timeline has no
/// place for text in no stated language, and a generated world has none.
fn tagged(labels: &Labels) -> BTreeMap<String, String> {
    labels
        .iter()
        .filter_map(|(lang, text)| Some((lang.clone()?, text.clone())))
        .collect()
}
