//! FollowTheMoney entity streams (one JSON entity per line, as Aleph and
//! OpenSanctions export them) into a dataset.
//!
//! Things (Person, Company, Organization, LegalEntity, PublicBody) become
//! entities; interval schemas (Directorship, Ownership, Membership,
//! Employment, Payment, UnknownLink, Representation, Associate, Family)
//! become relationships from their subject property to their object
//! property, dated by `date` or `startDate`/`endDate` at the precision FtM
//! gives ("2013" stays a year). Other schemas (Address, Note, …) are
//! counted and left out.

use crate::report::{DatedCounts, ImportReport, Reject, RejectReason};
use crate::table::Imported;
use interlock_load::{Diagnostic, read_utf8};
use interlock_model::slug::{not_a_slug, slugify};
use interlock_model::time::{DateExpr, Edtf, Interval};
use interlock_model::{
    Amount, AmountPeriod, AmountQualifier, ClaimStatus, Dataset, Entity, EntityKind, Evidence,
    Labels, Relationship, RelationshipKind, Source, SourceKind, TimeSpan,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// How to name what an FtM file becomes.
#[derive(Debug, Clone)]
pub struct FtmOptions {
    /// The dataset id (a slug); its graph is `{base}graph/{id}`.
    pub dataset_id: String,
    /// The dataset's title (English).
    pub title: String,
}

impl FtmOptions {
    /// The options for the file at `path`: the dataset id defaults to the
    /// file's stem as a slug, the title to the file's name.
    pub fn for_file(path: &Path, dataset_id: Option<String>, title: Option<String>) -> FtmOptions {
        FtmOptions {
            dataset_id: dataset_id.unwrap_or_else(|| interlock_load::dataset_id_of(path)),
            title: title.unwrap_or_else(|| {
                path.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default()
            }),
        }
    }
}

/// The entity schemas kept, and what they become.
fn entity_kind(schema: &str) -> Option<EntityKind> {
    Some(match schema {
        "Person" => EntityKind::Person,
        "Company" => EntityKind::Company,
        "Organization" | "LegalEntity" => EntityKind::Organization,
        "PublicBody" => EntityKind::GovernmentBody,
        _ => return None,
    })
}

/// The interval schemas kept: kind, subject property, object property.
fn link_kind(schema: &str) -> Option<(RelationshipKind, &'static str, &'static str)> {
    Some(match schema {
        "Directorship" => (
            RelationshipKind::BoardMembership,
            "director",
            "organization",
        ),
        "Ownership" => (RelationshipKind::Ownership, "owner", "asset"),
        "Membership" => (RelationshipKind::Membership, "member", "organization"),
        "Employment" => (RelationshipKind::Employment, "employee", "employer"),
        "Payment" => (RelationshipKind::Payment, "payer", "beneficiary"),
        "UnknownLink" => (RelationshipKind::UnknownLink, "subject", "object"),
        "Representation" => (RelationshipKind::Representation, "agent", "client"),
        "Associate" => (RelationshipKind::UnknownLink, "person", "associate"),
        "Family" => (RelationshipKind::UnknownLink, "person", "relative"),
        _ => return None,
    })
}

/// One line of the file, parsed.
struct Line<'a> {
    number: usize,
    text: &'a str,
    id: String,
    schema: String,
    properties: serde_json::Map<String, Value>,
}

impl Line<'_> {
    fn values(&self, property: &str) -> Vec<&str> {
        match self.properties.get(property) {
            Some(Value::Array(v)) => v.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(s)) => vec![s.as_str()],
            _ => Vec::new(),
        }
    }

    fn first(&self, property: &str) -> Option<&str> {
        self.values(property)
            .into_iter()
            .find(|v| !v.trim().is_empty())
    }

    /// The line rejected for `reason`, at the first place `needle`
    /// appears in it (else its start).
    fn reject(&self, needle: &str, reason: RejectReason, message: String) -> Reject {
        let within = self.text.find(needle).unwrap_or(0);
        Reject {
            line: self.number,
            column: self.text[..within].chars().count() + 1,
            reason,
            message,
            row: self.text.to_string(),
        }
    }
}

/// Reads the FtM JSON lines at `path` into one dataset. A line that cannot
/// be held is a [`Reject`] at its line and column: a line that is not a
/// JSON entity, a date that is not an FtM date or ends before it starts,
/// an amount that is not a number, a reference to an entity the file does
/// not hold. Only an empty file or a bad dataset id is an error.
pub fn read_ftm(path: &Path, options: &FtmOptions) -> Result<Imported, Vec<Diagnostic>> {
    if let Some(problem) = not_a_slug(&options.dataset_id, "dataset id") {
        return Err(vec![Diagnostic::file(path, problem)]);
    }
    // parse_ftm checks the id again: it is public on its own.
    parse_ftm(path, &read_utf8(path)?, options)
}

/// [`read_ftm`] of `text`, already read from `path` (which only names
/// it in problems and in the dataset's source).
pub fn parse_ftm(
    path: &Path,
    text: &str,
    options: &FtmOptions,
) -> Result<Imported, Vec<Diagnostic>> {
    if let Some(problem) = not_a_slug(&options.dataset_id, "dataset id") {
        return Err(vec![Diagnostic::file(path, problem)]);
    }
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::file(
            path,
            "empty file; expected FollowTheMoney entities, one JSON object per line",
        )]);
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut reader = Reader {
        text,
        file: &file,
        source_id: slugify(&file),
        rejects: Vec::new(),
    };
    let lines = reader.lines();
    let rows_read = lines.len() + reader.rejects.len();
    let (entities, ids) = reader.entities(&lines);
    let relationships = reader.relationships(&lines, &ids);
    let Reader {
        mut rejects,
        source_id,
        ..
    } = reader;
    rejects.sort_by_key(|r| (r.line, r.column));
    let dataset = Dataset {
        id: options.dataset_id.clone(),
        title: Labels::from([(Some("en".to_string()), options.title.clone())]),
        description: Labels::new(),
        license: None,
        entities,
        sources: vec![Source {
            id: source_id,
            kind: SourceKind::Dataset,
            title: file,
            author: None,
            publisher: None,
            url: None,
            published: None,
            language: None,
            cites: Vec::new(),
            note: Some(
                "FollowTheMoney entities; each relationship's evidence is its line, verbatim"
                    .into(),
            ),
        }],
        relationships,
        events: Vec::new(),
        decisions: Vec::new(),
    };
    let counts = DatedCounts::of(&dataset.relationships);
    let report = ImportReport::new(&dataset, rows_read, &rejects, counts, Vec::new());
    Ok(Imported {
        dataset,
        relationships: None,
        rejects,
        report,
    })
}

/// One file being read, and the lines rejected so far.
struct Reader<'a> {
    text: &'a str,
    file: &'a str,
    source_id: String,
    rejects: Vec<Reject>,
}

impl<'a> Reader<'a> {
    /// The lines that are FtM entities; the others rejected.
    fn lines(&mut self) -> Vec<Line<'a>> {
        let text = self.text;
        let mut lines = Vec::new();
        for (i, raw) in text.split_inclusive('\n').enumerate() {
            let trimmed = raw.trim_end_matches(['\n', '\r']);
            if trimmed.trim().is_empty() {
                continue;
            }
            let unreadable = |column: usize, message: String| Reject {
                line: i + 1,
                column,
                reason: RejectReason::UnreadableRow,
                message,
                row: trimmed.to_string(),
            };
            let value: Value = match serde_json::from_str(trimmed) {
                Ok(v) => v,
                Err(e) => {
                    let message = format!("not a JSON entity: {e}");
                    self.rejects.push(unreadable(e.column().max(1), message));
                    continue;
                }
            };
            let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
            let (Some(id), Some(schema)) = (field("id"), field("schema")) else {
                let message = "an FtM entity needs an \"id\" and a \"schema\" (strings)";
                self.rejects.push(unreadable(1, message.to_string()));
                continue;
            };
            let properties = match value.get("properties") {
                Some(Value::Object(p)) => p.clone(),
                None => serde_json::Map::new(),
                Some(_) => {
                    let at = trimmed.find("\"properties\"").unwrap_or(0);
                    let message =
                        "\"properties\" must be an object of property name to list of values";
                    self.rejects.push(unreadable(
                        trimmed[..at].chars().count() + 1,
                        message.into(),
                    ));
                    continue;
                }
            };
            lines.push(Line {
                number: i + 1,
                text: trimmed,
                id,
                schema,
                properties,
            });
        }
        lines
    }

    /// The people and organizations, and each one's slug by its FtM id.
    fn entities<'l>(&mut self, lines: &'l [Line<'a>]) -> (Vec<Entity>, HashMap<&'l str, String>) {
        let mut entities = Vec::new();
        let mut ids: HashMap<&str, String> = HashMap::new();
        for line in lines {
            let Some(kind) = entity_kind(&line.schema) else {
                continue;
            };
            let id = slugify(&line.id);
            if id.is_empty() {
                let message = format!("id '{}' has no letters or digits", line.id);
                self.rejects
                    .push(line.reject(&line.id, RejectReason::EmptyId, message));
                continue;
            }
            if ids.contains_key(line.id.as_str()) {
                let message = format!("entity '{}' appears twice; the first is kept", line.id);
                self.rejects
                    .push(line.reject(&line.id, RejectReason::DuplicateId, message));
                continue;
            }
            ids.insert(&line.id, id.clone());
            let names = line.values("name");
            let mut labels = Labels::new();
            labels.insert(None, names.first().map_or(id.clone(), |n| n.to_string()));
            let mut identifiers = BTreeMap::from([("ftm".to_string(), line.id.clone())]);
            for (property, scheme) in [
                ("country", "country"),
                ("registrationNumber", "registration"),
                ("leiCode", "lei"),
                ("wikidataId", "wikidata"),
            ] {
                if let Some(v) = line.first(property) {
                    identifiers.insert(scheme.to_string(), v.to_string());
                }
            }
            entities.push(Entity {
                id,
                kind,
                names: labels,
                aliases: names
                    .iter()
                    .skip(1)
                    .chain(line.values("alias").iter())
                    .map(|s| s.to_string())
                    .collect(),
                description: Labels::new(),
                identifiers,
            });
        }

        (entities, ids)
    }

    /// The links between entities of the file, as relationships.
    fn relationships(
        &mut self,
        lines: &[Line<'a>],
        ids: &HashMap<&str, String>,
    ) -> Vec<Relationship> {
        let mut relationships = Vec::new();
        for line in lines {
            let Some((kind, from, to)) = link_kind(&line.schema) else {
                continue;
            };
            let party = |property: &str| -> Result<String, Reject> {
                let Some(target) = line.first(property) else {
                    let message = format!("{} has no '{property}'", line.schema);
                    return Err(line.reject(
                        "\"properties\"",
                        RejectReason::UnknownReference,
                        message,
                    ));
                };
                ids.get(target).cloned().ok_or_else(|| {
                    let message = format!("'{property}' refers to '{target}', which is not a Person, Company, Organization, LegalEntity or PublicBody in this file");
                    line.reject(target, RejectReason::UnknownReference, message)
                })
            };
            let read = party(from)
                .and_then(|subject| Ok((subject, party(to)?)))
                .and_then(|pair| {
                    let during = during(line).map_err(|(needle, reason, message)| {
                        line.reject(&needle, reason, message)
                    })?;
                    let amount = amount(line).map_err(|(needle, message)| {
                        line.reject(&needle, RejectReason::UnreadableAmount, message)
                    })?;
                    Ok((pair, during, amount))
                });
            let ((subject, object), during, amount) = match read {
                Ok(read) => read,
                Err(reject) => {
                    self.rejects.push(reject);
                    continue;
                }
            };
            let role: Labels = line
                .first("role")
                .or(line.first("relationship"))
                .map(|r| Labels::from([(None, r.to_string())]))
                .unwrap_or_default();
            let label: Labels = line
                .first("purpose")
                .or(line.first("summary"))
                .map(|r| Labels::from([(None, r.to_string())]))
                .unwrap_or_default();
            relationships.push(Relationship {
                id: slugify(&line.id),
                kind,
                subject,
                object,
                role,
                instrument: None,
                part_of: None,
                during,
                amount,
                status: ClaimStatus::Reported,
                label,
                note: Labels::new(),
                evidence: vec![Evidence {
                    source: self.source_id.clone(),
                    quote: line.text.to_string(),
                    language: None,
                    gloss: None,
                    location: Some(format!("{} line {}", self.file, line.number)),
                    attributed_to: None,
                }],
            });
        }
        relationships
    }
}

/// An FtM date (a prefix of ISO 8601: `2013`, `2013-05`, `2013-05-02`, or a
/// date-time) as EDTF at the precision given.
fn ftm_date(value: &str) -> Option<String> {
    let date = value.trim().split('T').next()?;
    DateExpr::parse(date).ok().map(|_| date.to_string())
}

type Located<T> = Result<T, (String, String)>;

/// A link's dates, or where and why they cannot be held: a date that is
/// not a date, an end before the start. One date alone leaves the other
/// side open.
fn during(line: &Line) -> Result<Option<TimeSpan>, (String, RejectReason, String)> {
    let date = |property: &str| match line.first(property) {
        None => Ok(None),
        Some(v) => ftm_date(v).map(Some).ok_or_else(|| {
            let message =
                format!("{property} '{v}' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD");
            (v.to_string(), RejectReason::UnreadableDate, message)
        }),
    };
    let text = match (date("date")?, date("startDate")?, date("endDate")?) {
        (Some(d), None, None) => d,
        (_, None, None) => return Ok(None),
        (_, start, end) => format!(
            "{}/{}",
            start.unwrap_or_else(|| "..".into()),
            end.unwrap_or_else(|| "..".into())
        ),
    };
    // Each date read on its own (above): what is left to be wrong is their order.
    let reversed = |e: &dyn std::fmt::Display| {
        let needle = line.first("endDate").unwrap_or_default().to_string();
        let message = format!("dates '{text}': {e}");
        (needle, RejectReason::EndBeforeStart, message)
    };
    let edtf = Edtf::parse(&text).map_err(|e| reversed(&e))?;
    let interval = Interval::from_edtf(&edtf).map_err(|e| reversed(&e))?;
    Ok(Some(TimeSpan {
        text,
        edtf,
        interval,
    }))
}

fn amount(line: &Line) -> Located<Option<Amount>> {
    let found = if let Some(v) = line.first("amount") {
        let currency = line
            .first("currency")
            .map(|c| c.trim().to_ascii_uppercase());
        match currency {
            Some(c) if c.len() == 3 && c.chars().all(|c| c.is_ascii_alphabetic()) => Some((v, c)),
            Some(c) => return Err((c.clone(), format!("currency '{c}' is not an ISO 4217 code"))),
            None => return Err((v.to_string(), "an amount without a currency".to_string())),
        }
    } else if let Some(v) = line.first("amountEur") {
        Some((v, "EUR".to_string()))
    } else {
        line.first("amountUsd").map(|v| (v, "USD".to_string()))
    };
    let Some((value, currency)) = found else {
        return Ok(None);
    };
    let value = value.trim();
    let decimal = !value.is_empty()
        && value
            .split_once('.')
            .map_or(value.chars().all(|c| c.is_ascii_digit()), |(i, f)| {
                !i.is_empty()
                    && i.chars().all(|c| c.is_ascii_digit())
                    && f.chars().all(|c| c.is_ascii_digit())
            });
    if !decimal {
        return Err((
            value.to_string(),
            format!(
                "amount '{value}' is not a number; expected digits with an optional decimal point"
            ),
        ));
    }
    Ok(Some(Amount {
        value: value.to_string(),
        currency,
        period: AmountPeriod::Total,
        qualifier: AmountQualifier::Exact,
    }))
}
