//! Reading what users give on the command line and in API requests: dates
//! and entity kinds.

use crate::links::When;
use interlock_model::EntityKind;
use interlock_model::time::{DateRange, Edtf, Interval};

/// An entity kind by its name (`person`, `company`, …), or a message listing the names.
pub fn parse_entity_kind(name: &str) -> Result<EntityKind, String> {
    EntityKind::from_name(name).ok_or_else(|| {
        format!(
            "unknown entity kind '{name}'; expected one of {}",
            EntityKind::names()
        )
    })
}

/// The window an EDTF text names: a date (`2013-09`, `2008`) is its range of
/// days; an interval (`2011/2013`) is from the earliest possible start to
/// the latest possible end.
pub fn parse_window(text: &str) -> Result<DateRange, String> {
    let edtf =
        Edtf::parse(text).map_err(|e| format!("'{text}' is not an EDTF date or interval: {e}"))?;
    let interval = Interval::from_edtf(&edtf).map_err(|e| e.message)?;
    Ok(interval.possible_span())
}

/// `--at DATE` or `--during INTERVAL` (at most one), as a [`When`].
pub fn parse_when(at: Option<&str>, during: Option<&str>) -> Result<When, String> {
    match (at, during) {
        (Some(_), Some(_)) => Err("give --at or --during, not both".into()),
        (Some(t), None) | (None, Some(t)) => Ok(When::During(parse_window(t)?)),
        (None, None) => Ok(When::Ever),
    }
}

/// `--from D` / `--to D` (either, both or none), as one window: from the
/// first day of `from` to the last day of `to`, open where one is missing.
pub fn parse_span(from: Option<&str>, to: Option<&str>) -> Result<Option<DateRange>, String> {
    let from = from.map(parse_window).transpose()?;
    let to = to.map(parse_window).transpose()?;
    Ok((from.is_some() || to.is_some()).then(|| DateRange {
        earliest: from.map_or(chrono::NaiveDate::MIN, |r| r.earliest),
        latest: to.map_or(chrono::NaiveDate::MAX, |r| r.latest),
    }))
}
