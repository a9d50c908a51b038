//! EDTF parsing, ranges, display and intervals against the specification's examples.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

use chrono::NaiveDate;
use interlock_model::time::{Certainty, DateExpr, DateRange, Edtf, Interval, Precision, Qualifier};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn range(text: &str) -> (String, String) {
    let r = DateExpr::parse(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .range();
    let show = |x: NaiveDate| {
        if x == NaiveDate::MIN || x == NaiveDate::MAX {
            "..".to_string()
        } else {
            x.to_string()
        }
    };
    (show(r.earliest), show(r.latest))
}

fn assert_range(text: &str, earliest: &str, latest: &str) {
    assert_eq!(
        range(text),
        (earliest.to_string(), latest.to_string()),
        "range of {text}"
    );
}

#[test]
fn level0_dates_span_their_precision() {
    assert_range("2013", "2013-01-01", "2013-12-31");
    assert_range("2013-08", "2013-08-01", "2013-08-31");
    assert_range("2012-02", "2012-02-01", "2012-02-29");
    assert_range("2013-08-15", "2013-08-15", "2013-08-15");
    assert_range("1985-04-12T23:20:30", "1985-04-12", "1985-04-12");
    assert_range("1985-04-12T23:20:30Z", "1985-04-12", "1985-04-12");
    assert_range("1985-04-12T23:20:30-04", "1985-04-12", "1985-04-12");
    assert_range("1985-04-12T23:20:30+04:30", "1985-04-12", "1985-04-12");
    assert_range("0000", "0000-01-01", "0000-12-31");
}

#[test]
fn level1_qualified_dates_are_widened_by_one_unit() {
    assert_range("2019-01~", "2018-12-01", "2019-02-28");
    assert_range("2013?", "2012-01-01", "2014-12-31");
    assert_range("2013-08-15~", "2013-08-14", "2013-08-16");
    assert_range("2013-08-15%", "2013-08-13", "2013-08-17");
    assert_range("2004-06-11?", "2004-06-10", "2004-06-12");
}

#[test]
fn level1_unspecified_digits_span_their_values() {
    assert_range("201X", "2010-01-01", "2019-12-31");
    assert_range("20XX", "2000-01-01", "2099-12-31");
    assert_range("2004-XX", "2004-01-01", "2004-12-31");
    assert_range("1985-04-XX", "1985-04-01", "1985-04-30");
    assert_range("1985-XX-XX", "1985-01-01", "1985-12-31");
    assert_range("2013-1X", "2013-10-01", "2013-12-31");
    assert_range("2013-XX-3X", "2013-01-30", "2013-12-31");
}

#[test]
fn level1_seasons_and_long_years() {
    assert_range("2001-21", "2001-03-01", "2001-05-31");
    assert_range("2001-22", "2001-06-01", "2001-08-31");
    assert_range("2001-23", "2001-09-01", "2001-11-30");
    assert_range("2013-24", "2013-12-01", "2014-02-28");
    assert_range("Y170000", "+170000-01-01", "+170000-12-31");
    assert_range("-1985", "-1985-01-01", "-1985-12-31");
}

#[test]
fn level2_groupings_sets_and_qualification() {
    assert_range("2019-33", "2019-01-01", "2019-03-31");
    assert_range("2019-36", "2019-10-01", "2019-12-31");
    assert_range("2019-37", "2019-01-01", "2019-04-30");
    assert_range("2019-41", "2019-07-01", "2019-12-31");
    assert_range("2019-30", "2019-12-01", "2020-02-29");
    assert_range("[..2013]", "..", "2013-12-31");
    assert_range("[2019..]", "2019-01-01", "..");
    assert_range("[1667, 1668, 1670..1672]", "1667-01-01", "1672-12-31");
    assert_range("{1960, 1961-12}", "1960-01-01", "1961-12-31");
    assert_range("[..2019-01~]", "..", "2019-02-28");
    assert_range("156X-12-25", "1560-12-25", "1569-12-25");
    assert_range("XXXX-12-XX", "0000-12-01", "9999-12-31");
    assert_range("1950S2", "1900-01-01", "1999-12-31");
    assert_range("Y-17E3", "-17000-01-01", "-17000-12-31");
    // group qualification: year and month approximate, widened by a month
    assert_range("2004-06~-11", "2004-05-11", "2004-07-11");
    // individual qualification: only the year uncertain, widened by a year
    assert_range("?2004-06-11", "2003-06-11", "2005-06-11");
    assert_range("2004-?06-11", "2004-05-11", "2004-07-11");
}

#[test]
fn precision_and_xsd_values_follow_the_stated_date() {
    let cases = [
        ("2013", Precision::Year, Some(("2013", "gYear"))),
        ("2013-08", Precision::Month, Some(("2013-08", "gYearMonth"))),
        ("2013-08-15", Precision::Day, Some(("2013-08-15", "date"))),
        (
            "2019-01~",
            Precision::Month,
            Some(("2019-01", "gYearMonth")),
        ),
        ("201X", Precision::Year, None),
        ("2013-21", Precision::SubYear, None),
        (
            "1985-04-12T23:20:30Z",
            Precision::DateTime,
            Some(("1985-04-12T23:20:30Z", "dateTime")),
        ),
    ];
    for (text, precision, xsd) in cases {
        let expr = DateExpr::parse(text).unwrap();
        let date = expr.as_calendar_date().unwrap();
        assert_eq!(date.precision(), precision, "{text}");
        let got = date.xsd_value();
        assert_eq!(
            got.as_ref().map(|(v, t)| (v.as_str(), *t)),
            xsd,
            "xsd of {text}"
        );
    }
}

#[test]
fn qualifiers_are_recorded_per_component() {
    let expr = DateExpr::parse("2004-06~-11").unwrap();
    let date = expr.as_calendar_date().unwrap();
    assert_eq!(
        date.qualifiers,
        [
            Some(Qualifier::Approximate),
            Some(Qualifier::Approximate),
            None
        ]
    );
    assert_eq!(date.to_string(), "~2004-~06-11");
    let expr = DateExpr::parse("2019-01~").unwrap();
    assert_eq!(expr.to_string(), "2019-01~");
    assert_eq!(expr.describe(), "~2019-01");
}

#[test]
fn descriptions_read_as_people_write() {
    let cases = [
        ("2013-08", "2013-08"),
        ("[..2013]", "by 2013"),
        ("[2019..]", "2019 or later"),
        ("2013?", "2013?"),
        ("[..2019-01~]", "by ~2019-01"),
        ("[2010..2012]", "between 2010 and 2012"),
    ];
    for (text, want) in cases {
        assert_eq!(DateExpr::parse(text).unwrap().describe(), want, "{text}");
    }
}

#[test]
fn invalid_dates_are_rejected_with_a_position() {
    let cases = [
        ("", 0, "empty date"),
        ("2013-13", 5, "month '13'"),
        ("2013-02-30", 0, "not a date in the calendar"),
        ("2013-00", 5, "month '00'"),
        ("2013-08-32", 8, "day '32'"),
        ("13", 2, "four-digit year"),
        ("20133", 4, "Y12345"),
        ("2013-8", 5, "two-digit month"),
        ("2013/2011", 0, "ends (2011) before it starts (2013)"),
        ("/", 0, "at least one known end"),
        ("2013~~", 5, "end of the date"),
        ("[2013", 5, "',' or ']'"),
        ("[2013, ..2014]", 0, "first member"),
        ("2013-08-15T25:00:00", 11, "time out of range"),
        ("-0000", 0, "-0000"),
        ("2013-2X", 5, "month '2X'"),
        ("Y9999999", 1, "supported range"),
        ("2013 ", 4, "end of the date"),
        ("about 2013", 0, "four-digit year"),
        // Found by fuzzing: this walked billions of years before failing.
        ("Y122010S0\u{13}E02", 9, "end of the date"),
        ("Y221100S00-02-30", 0, "not a date in the calendar"),
    ];
    for (text, offset, fragment) in cases {
        let err = Edtf::parse(text).expect_err(text);
        assert!(
            err.message.contains(fragment),
            "{text}: message {:?} lacks {fragment:?}",
            err.message
        );
        assert_eq!(err.offset, offset, "{text}: offset ({})", err.message);
    }
}

#[test]
fn intervals_have_explicit_unknown_and_open_ends() {
    let i = Interval::parse("2011/2019").unwrap();
    assert_eq!(
        i.start,
        DateRange::new(d("2011-01-01"), d("2011-12-31")).unwrap()
    );
    assert_eq!(
        i.end,
        DateRange::new(d("2019-01-01"), d("2019-12-31")).unwrap()
    );
    assert_eq!(i.at(d("2015-06-01")), Certainty::Definitely);
    assert_eq!(i.at(d("2011-06-01")), Certainty::Possibly);
    assert_eq!(i.at(d("2020-01-01")), Certainty::No);

    // unknown end: ended at some unknown time after it started
    let titan = Interval::parse("2013-08/").unwrap();
    assert_eq!(titan.end.earliest, d("2013-08-01"));
    assert_eq!(titan.end.latest, NaiveDate::MAX);
    let aug = DateRange::new(d("2013-08-01"), d("2013-08-31")).unwrap();
    let sep = DateRange::new(d("2013-09-01"), d("2013-09-30")).unwrap();
    assert_eq!(titan.during(&aug), Certainty::Definitely);
    assert_eq!(titan.during(&sep), Certainty::Possibly);
    assert_eq!(titan.at(d("2013-07-31")), Certainty::No);

    // open end: still ongoing
    let ongoing = Interval::parse("2013-08/..").unwrap();
    assert_eq!(ongoing.during(&sep), Certainty::Definitely);
    assert_eq!(ongoing.at(d("2100-01-01")), Certainty::Definitely);

    // unknown start
    let until = Interval::parse("/2019").unwrap();
    assert_eq!(until.at(d("2018-01-01")), Certainty::Possibly);
    assert_eq!(until.start.latest, d("2019-12-31"));

    // "by 2013": started in 2013 at the latest
    let by = Interval::parse("[..2013]/").unwrap();
    assert_eq!(by.at(d("2014-01-01")), Certainty::Possibly);
    assert_eq!(by.at(d("2013-12-31")), Certainty::Possibly);

    // "at least from 2011 to 2019"
    let at_least = Interval::parse("[..2011]/[2019..]").unwrap();
    assert_eq!(at_least.at(d("2011-12-31")), Certainty::Definitely);
    assert_eq!(at_least.at(d("2019-01-01")), Certainty::Definitely);
    assert_eq!(at_least.at(d("1990-01-01")), Certainty::Possibly);
    let years = DateRange::new(d("2012-01-01"), d("2018-12-31")).unwrap();
    assert_eq!(at_least.throughout(&years), Certainty::Definitely);
}

#[test]
fn a_single_date_is_an_interval_within_it() {
    let i = Interval::parse("2011").unwrap();
    let y2011 = DateRange::new(d("2011-01-01"), d("2011-12-31")).unwrap();
    assert_eq!(i.during(&y2011), Certainty::Definitely);
    assert_eq!(i.at(d("2011-06-01")), Certainty::Possibly);
    assert_eq!(i.at(d("2012-01-01")), Certainty::No);
}

#[test]
fn chains_hold_in_the_intersection() {
    let board = Interval::parse("2011/2019").unwrap();
    let titan = Interval::parse("2013-08/").unwrap();
    let joint = board.intersect(&titan).unwrap();
    assert_eq!(joint.start.earliest, d("2013-08-01"));
    assert_eq!(joint.end.latest, d("2019-12-31"));
    assert!(
        joint.surely_nonempty(),
        "the access began while the seat surely held"
    );
    let aug = DateRange::new(d("2013-08-01"), d("2013-08-31")).unwrap();
    assert_eq!(joint.during(&aug), Certainty::Definitely);

    let early = Interval::parse("2001/2003").unwrap();
    assert_eq!(early.intersect(&titan), None);

    // two links that may or may not overlap
    let a = Interval::parse("2011/2013").unwrap();
    let b = Interval::parse("2013/2015").unwrap();
    let ab = a.intersect(&b).unwrap();
    assert!(!ab.surely_nonempty());
    let y2013 = DateRange::new(d("2013-01-01"), d("2013-12-31")).unwrap();
    assert_eq!(ab.during(&y2013), Certainty::Possibly);
}

#[test]
fn values_are_described_in_words() {
    let table = [
        ("2013-08", "2013-08"),
        ("[..2013]", "by 2013"),
        ("2011/2019", "2011 to 2019"),
        ("[..2011]/[2019..]", "at least 2011 to 2019"),
        ("2013-08/", "from 2013-08, end unknown"),
        ("2013-08/..", "from 2013-08, ongoing"),
        ("/2019", "until 2019, start unknown"),
        ("../2019", "until 2019"),
        ("[..2013]/", "by 2013, end unknown"),
        ("~2019-01/2020", "~2019-01 to 2020"),
    ];
    for (text, words) in table {
        assert_eq!(Edtf::parse(text).unwrap().describe(), words, "{text}");
    }
}
