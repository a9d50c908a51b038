//! Dates in other people's files: read with a strftime format, written as
//! EDTF at the precision the data really has.

use chrono::{Datelike, Days, NaiveDate};

/// How precisely a column's dates are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// To the day.
    Day,
    /// To the month.
    Month,
    /// To the year.
    Year,
}

/// Reads `value` with the strftime `format`; fields the format lacks
/// (a day, a month) default to the first. Years outside 0001–9999 (which
/// strftime reads, EDTF's four digits do not write) are not dates.
pub fn parse(value: &str, format: &str) -> Option<NaiveDate> {
    let mut parsed = chrono::format::Parsed::new();
    chrono::format::parse(
        &mut parsed,
        value.trim(),
        chrono::format::StrftimeItems::new(format),
    )
    .ok()?;
    let year = parsed.year().filter(|y| (1..=9999).contains(y))?;
    NaiveDate::from_ymd_opt(year, parsed.month().unwrap_or(1), parsed.day().unwrap_or(1))
}

/// How precisely a strftime `format` writes a date: to the day when it has
/// a day, to the month when it has a month, else to the year.
pub fn precision_of(format: &str) -> Precision {
    let has = |fields: &[&str]| fields.iter().any(|f| format.contains(f));
    if has(&["%d", "%e", "%j", "%F", "%D", "%x", "%-d"]) {
        Precision::Day
    } else if has(&["%m", "%b", "%B", "%h", "%-m"]) {
        Precision::Month
    } else {
        Precision::Year
    }
}

/// Reads `value` with the first of `formats` that reads all of it, and
/// says how precisely: `precision` when given, else the format's own.
pub fn parse_first(
    value: &str,
    formats: &[String],
    precision: Option<Precision>,
) -> Option<(NaiveDate, Precision)> {
    formats.iter().find_map(|format| {
        let day = parse(value, format)?;
        Some((day, precision.unwrap_or_else(|| precision_of(format))))
    })
}

/// The first day of the period at `precision` that `day` falls in.
pub fn period_start(day: NaiveDate, precision: Precision) -> NaiveDate {
    match precision {
        Precision::Day => day,
        Precision::Month => day.with_day(1).unwrap_or(day),
        Precision::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
    }
}

/// The last day of the period at `precision` that `day` falls in.
pub fn period_end(day: NaiveDate, precision: Precision) -> NaiveDate {
    match precision {
        Precision::Day => day,
        Precision::Month => {
            let first = period_start(day, Precision::Month);
            first
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(day)
        }
        Precision::Year => NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day),
    }
}

/// `day` as EDTF at `precision`: `2005`, `2005-03` or `2005-03-02`.
pub fn edtf(day: NaiveDate, precision: Precision) -> String {
    match precision {
        Precision::Day => day.format("%Y-%m-%d").to_string(),
        Precision::Month => day.format("%Y-%m").to_string(),
        Precision::Year => format!("{:04}", day.year()),
    }
}

/// The days `first..=last` as EDTF: a whole year or month by its name, one
/// day as itself, anything else as the set "one of the days between"
/// (`[2005-12-31..2006-12-30]`).
pub fn edtf_range(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        return edtf(first, Precision::Day);
    }
    for precision in [Precision::Month, Precision::Year] {
        if period_start(first, precision) == first && period_end(first, precision) == last {
            return edtf(first, precision);
        }
    }
    format!(
        "[{}..{}]",
        edtf(first, Precision::Day),
        edtf(last, Precision::Day)
    )
}

/// The day after `day`.
pub fn next_day(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_partial_formats() {
        assert_eq!(parse("2003", "%Y"), Some(d(2003, 1, 1)));
        assert_eq!(parse("2006-02-01", "%Y-%m-%d"), Some(d(2006, 2, 1)));
        assert_eq!(parse("02/2006", "%m/%Y"), Some(d(2006, 2, 1)));
        assert_eq!(parse("2006-13-01", "%Y-%m-%d"), None);
        assert_eq!(parse("soon", "%Y"), None);
        assert_eq!(parse("-262143-01-01", "%Y-%m-%d"), None);
        assert_eq!(parse("12345-01-01", "%Y-%m-%d"), None);
        assert_eq!(parse("0000-01-01", "%Y-%m-%d"), None);
    }

    #[test]
    fn reads_compact_and_listed_formats_at_their_own_precision() {
        let formats: Vec<String> = ["%Y%m%d", "%Y%m", "%Y"].map(String::from).to_vec();
        let table: &[(&str, Option<(NaiveDate, Precision)>)] = &[
            ("20200715", Some((d(2020, 7, 15), Precision::Day))),
            ("202010", Some((d(2020, 10, 1), Precision::Month))),
            ("1981", Some((d(1981, 1, 1), Precision::Year))),
            ("202013", None),
            ("2020-10", None),
        ];
        for (value, expected) in table {
            assert_eq!(parse_first(value, &formats, None), *expected, "{value}");
        }
        let slashed: Vec<String> = ["%Y/%m/%d", "%d.%m.%Y"].map(String::from).to_vec();
        assert_eq!(
            parse_first("2009/06/30", &slashed, None),
            Some((d(2009, 6, 30), Precision::Day))
        );
        assert_eq!(
            parse_first("10.05.2010", &slashed, None),
            Some((d(2010, 5, 10), Precision::Day))
        );
        assert_eq!(
            parse_first("2009/06/30", &slashed, Some(Precision::Month)),
            Some((d(2009, 6, 30), Precision::Month))
        );
        assert_eq!(precision_of("%b %Y"), Precision::Month);
    }

    #[test]
    fn writes_ranges_by_their_names() {
        assert_eq!(edtf_range(d(2005, 1, 1), d(2005, 12, 31)), "2005");
        assert_eq!(edtf_range(d(2008, 2, 1), d(2008, 2, 29)), "2008-02");
        assert_eq!(edtf_range(d(2008, 2, 3), d(2008, 2, 3)), "2008-02-03");
        assert_eq!(
            edtf_range(d(2005, 12, 31), d(2006, 12, 30)),
            "[2005-12-31..2006-12-30]"
        );
        assert_eq!(period_end(d(2008, 2, 10), Precision::Month), d(2008, 2, 29));
    }
}
