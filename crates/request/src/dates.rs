//! Dates as people give them in requests: a day, a month or a year
//! (`2013-09-15`, `2013-09`, `2013`), and windows between two of them
//! (`2011/2013`, `2013-08/..`, `../2019`).
//!
//! The syntax is regular and spelled once, as the patterns below: the
//! OpenAPI document gives them to clients, and requests are checked against
//! the same patterns, so that what the document calls valid is exactly what
//! is accepted. The patterns know the calendar (no 2013-02-29, but
//! 2012-02-29), so every date they admit is a real day, month or year.

use crate::RequestError;
use chrono::NaiveDate;
use interlock_graph::When;
use interlock_model::time::{DateExpr, DateRange};
use std::sync::LazyLock;

/// One date: a year, a month or a day of the (proleptic Gregorian) calendar.
macro_rules! date_pattern {
    () => {
        concat!(
            "(?:[0-9]{4}",
            "|[0-9]{4}-(?:0[1-9]|1[0-2])",
            "|[0-9]{4}-(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
            "|[0-9]{4}-(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
            "|[0-9]{4}-02-(?:0[1-9]|1[0-9]|2[0-8])",
            "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
        )
    };
}

/// A date.
pub const DATE_PATTERN: &str = concat!("^", date_pattern!(), "$");

/// A date, or a window: two dates, or one and `..` for an open side.
pub const WINDOW_PATTERN: &str = concat!(
    "^(?:",
    date_pattern!(),
    "|",
    date_pattern!(),
    "/",
    date_pattern!(),
    "|",
    date_pattern!(),
    "/\\.\\.|\\.\\./",
    date_pattern!(),
    ")$"
);

static DATE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(DATE_PATTERN).expect("the date pattern is valid"));
static WINDOW: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(WINDOW_PATTERN).expect("the window pattern is valid"));

/// The days one date names (it matched the date pattern, so it is a date
/// the model's EDTF reader reads).
fn days(text: &str) -> DateRange {
    DateExpr::parse(text)
        .expect("the date pattern admits only dates of the calendar")
        .range()
}

fn bad(field: &'static str, text: &str, expected: &str) -> RequestError {
    RequestError::BadDate {
        field,
        text: text.to_string(),
        reason: expected.to_string(),
    }
}

/// The days a date names: a day, a month or a year. `field` names where it
/// was given, for errors.
pub fn parse_date(field: &'static str, text: &str) -> Result<DateRange, RequestError> {
    if !DATE.is_match(text) {
        return Err(bad(
            field,
            text,
            "expected a date of the calendar: YYYY, YYYY-MM or YYYY-MM-DD",
        ));
    }
    Ok(days(text))
}

/// The days a window names: one date's days, or from the first day of one
/// date to the last of another (in either order), open where a side is `..`.
pub fn parse_window(field: &'static str, text: &str) -> Result<DateRange, RequestError> {
    if !WINDOW.is_match(text) {
        return Err(bad(
            field,
            text,
            "expected a date (YYYY, YYYY-MM or YYYY-MM-DD) or a window (2011/2013, 2013-08/.., ../2019)",
        ));
    }
    let Some((start, end)) = text.split_once('/') else {
        return Ok(days(text));
    };
    let side = |t: &str| (t != "..").then(|| days(t));
    Ok(match (side(start), side(end)) {
        (Some(a), Some(b)) => a.hull(&b),
        (Some(a), None) => DateRange {
            latest: NaiveDate::MAX,
            ..a
        },
        (None, Some(b)) => DateRange {
            earliest: NaiveDate::MIN,
            ..b
        },
        (None, None) => unreachable!("the window pattern has a date on one side at least"),
    })
}

/// A date (`at`) or a window (`during`), at most one, as a [`When`].
pub fn when(at: Option<&str>, during: Option<&str>) -> Result<When, RequestError> {
    match (at, during) {
        (Some(_), Some(_)) => Err(RequestError::AtAndDuring),
        (Some(t), None) => Ok(When::During(parse_date("at", t)?)),
        (None, Some(t)) => Ok(When::During(parse_window("during", t)?)),
        (None, None) => Ok(When::Ever),
    }
}

/// `from` and `to` (either, both or none) as one window: from the first day
/// of `from` to the last day of `to`, open where one is missing.
pub fn span(from: Option<&str>, to: Option<&str>) -> Result<Option<DateRange>, RequestError> {
    let from = from.map(|t| parse_date("from", t)).transpose()?;
    let to = to.map(|t| parse_date("to", t)).transpose()?;
    Ok((from.is_some() || to.is_some()).then(|| DateRange {
        earliest: from.map_or(NaiveDate::MIN, |r| r.earliest),
        latest: to.map_or(NaiveDate::MAX, |r| r.latest),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn windows_are_the_days_a_text_names() {
        for (text, first, last) in [
            ("2013-09", "2013-09-01", "2013-09-30"),
            ("2008", "2008-01-01", "2008-12-31"),
            ("2013-09-15", "2013-09-15", "2013-09-15"),
            ("2011/2013", "2011-01-01", "2013-12-31"),
            ("2013/2011", "2011-01-01", "2013-12-31"),
            ("2024-02", "2024-02-01", "2024-02-29"),
            ("2023-02", "2023-02-01", "2023-02-28"),
            ("2013-12", "2013-12-01", "2013-12-31"),
            ("2000-02-29", "2000-02-29", "2000-02-29"),
        ] {
            let w = parse_window("during", text).unwrap();
            assert_eq!((w.earliest, w.latest), (day(first), day(last)), "{text}");
        }
        let open = parse_window("during", "2013-08/..").unwrap();
        assert_eq!(
            (open.earliest, open.latest),
            (day("2013-08-01"), NaiveDate::MAX)
        );
        let open = parse_window("during", "../2019").unwrap();
        assert_eq!(
            (open.earliest, open.latest),
            (NaiveDate::MIN, day("2019-12-31"))
        );
    }

    #[test]
    fn the_patterns_admit_real_dates_only() {
        for (text, ok) in [
            ("2013", true),
            ("2013-02-28", true),
            ("2012-02-29", true),
            ("2000-02-29", true),
            ("1900-02-29", false),
            ("2013-02-29", false),
            ("2013-04-31", false),
            ("2013-13", false),
            ("13", false),
            ("2013-9", false),
            ("2013~", false),
            ("soon", false),
        ] {
            assert_eq!(parse_date("at", text).is_ok(), ok, "{text}");
        }
        // Every day of four years, leap and not, against the calendar.
        let mut d = day("1899-01-01");
        while d < day("1905-01-01") {
            let text = d.format("%Y-%m-%d").to_string();
            assert_eq!(
                parse_date("at", &text).map(|r| r.earliest).ok(),
                Some(d),
                "{text}"
            );
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn bad_dates_say_which_field_and_what() {
        for (at, during, message) in [
            (Some("2013-13"), None, "at: '2013-13' is not a date"),
            (None, Some("soon"), "during: 'soon' is not a date"),
            (
                Some("2013"),
                Some("2014"),
                "give a date (at) or a window (during)",
            ),
        ] {
            let e = when(at, during).unwrap_err();
            assert!(e.to_string().contains(message), "{e}");
            assert_eq!(e.kind(), crate::ErrorKind::Invalid);
        }
    }

    #[test]
    fn a_span_is_open_where_a_side_is_missing() {
        assert_eq!(span(None, None).unwrap(), None);
        let s = span(Some("2012"), None).unwrap().unwrap();
        assert_eq!((s.earliest, s.latest), (day("2012-01-01"), NaiveDate::MAX));
        let s = span(None, Some("2013-08")).unwrap().unwrap();
        assert_eq!((s.earliest, s.latest), (NaiveDate::MIN, day("2013-08-31")));
        assert!(
            span(Some("2012"), Some("x"))
                .unwrap_err()
                .to_string()
                .starts_with("to: ")
        );
    }
}
