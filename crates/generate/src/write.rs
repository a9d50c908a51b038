//! A world written out: as N-Quads (what `interlock load` and `oxigraph
//! load` both read) or as a timeline file.

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
