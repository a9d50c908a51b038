//! Extended Date/Time Format (EDTF, ISO 8601-2) dates, parsed into what
//! they say and the range of days they allow.
//!
//! Supported: all of level 0 and level 1, and from level 2 the parts a
//! timeline needs — sets (`[..2013]`, `[2019..]`, `{2011, 2013}`),
//! group and individual qualification (`2004-06~-11`, `?2004-06-~11`),
//! unspecified digits anywhere (`156X-12-25`), sub-year groupings 25–41
//! (quarters, quadrimesters, semesters, hemisphere seasons), exponential
//! years (`Y-17E7`) and significant digits (`1950S2`).
//!
//! # From a date to a range of days
//! - `2013` is 2013-01-01..2013-12-31, `2013-08` is 2013-08-01..2013-08-31.
//! - Unspecified digits span every value they may take: `201X` is
//!   2010-01-01..2019-12-31, `2013-XX-1X` is 2013-01-10..2013-12-19.
//! - Seasons follow the meteorological seasons of the northern hemisphere for
//!   21–24 and 25–28 (spring = March–May, summer = June–August,
//!   autumn = September–November, winter = December–February of the next
//!   year); 29–32 are the southern ones; 33–36 quarters, 37–39 four-month
//!   periods, 40–41 halves.
//! - A qualified date is widened by one unit of the qualified precision on
//!   each side for `~` (approximate) and `?` (uncertain), and by two units for
//!   `%` (both): `2019-01~` is 2018-12-01..2019-02-28, `2013?` is
//!   2012-01-01..2014-12-31, `2013-08-15%` is 2013-08-13..2013-08-17. With
//!   group or individual qualification, each run of qualified components is
//!   widened by the unit of its finest component, and the widest run wins.
//! - A set spans from its earliest to its latest member: `[..2013]` ("2013
//!   or before", i.e. *by 2013*) is unbounded..2013-12-31, `[2019..]` is
//!   2019-01-01..unbounded.
//! - A time of day keeps the calendar day as written.
//!
//! Years are limited to what `chrono` represents (±262,142).

use super::range::DateRange;
use chrono::{Datelike, Months, NaiveDate};
use std::fmt;

/// Why a text is not an EDTF date, and where (a character offset into the text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at character {}", .offset + 1)]
pub struct EdtfError {
    /// Zero-based character offset of the problem in the parsed text.
    pub offset: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

/// How a date (or one of its components) is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Qualifier {
    /// `?`: the source is not sure of it.
    Uncertain,
    /// `~`: the source gives it as roughly this.
    Approximate,
    /// `%`: both uncertain and approximate.
    UncertainApproximate,
}

impl Qualifier {
    fn symbol(self) -> char {
        match self {
            Qualifier::Uncertain => '?',
            Qualifier::Approximate => '~',
            Qualifier::UncertainApproximate => '%',
        }
    }

    fn from_symbol(c: char) -> Option<Self> {
        match c {
            '?' => Some(Qualifier::Uncertain),
            '~' => Some(Qualifier::Approximate),
            '%' => Some(Qualifier::UncertainApproximate),
            _ => None,
        }
    }

    /// How many units of its precision the date is widened by on each side.
    fn widening(self) -> u32 {
        match self {
            Qualifier::Uncertain | Qualifier::Approximate => 1,
            Qualifier::UncertainApproximate => 2,
        }
    }

    /// The local name of its term in the interlock ontology.
    pub fn term(self) -> &'static str {
        match self {
            Qualifier::Uncertain => "Uncertain",
            Qualifier::Approximate => "Approximate",
            Qualifier::UncertainApproximate => "UncertainApproximate",
        }
    }

    /// The vocabulary word: `uncertain`, `approximate` or `uncertain-approximate`.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Uncertain => "uncertain",
            Qualifier::Approximate => "approximate",
            Qualifier::UncertainApproximate => "uncertain-approximate",
        }
    }
}

/// How a year is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Year {
    /// Four digits (or `X` for an unspecified digit), optionally negative: `2013`, `-0044`, `201X`.
    Digits {
        /// Whether the year is before year 0.
        negative: bool,
        /// Exactly four characters, each a digit or `X`.
        digits: String,
    },
    /// A year of any length after `Y`: `Y170000002`, `Y-20000`.
    Long(i64),
    /// `Y` with an exponent: `Y-17E7` is -170000000.
    Exponential {
        /// The digits before `E`, with their sign.
        base: i64,
        /// The power of ten.
        exponent: u32,
    },
}

/// The precision a date is stated at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    /// A year (or a set of years by unspecified digits).
    Year,
    /// A season, quarter or other sub-year grouping.
    SubYear,
    /// A month.
    Month,
    /// A day.
    Day,
    /// A day with a time of day.
    DateTime,
}

/// One calendar date as written in EDTF, with its qualifications.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CalendarDate {
    /// The year.
    pub year: Year,
    /// Significant digits (`1950S2`): only the first N digits of the year are known.
    pub significant_digits: Option<u32>,
    /// Two characters, digits or `X`: a month `01`–`12` or a sub-year grouping `21`–`41`.
    pub month: Option<String>,
    /// Two characters, digits or `X`.
    pub day: Option<String>,
    /// The time of day as written after `T`, e.g. `23:20:30Z`.
    pub time: Option<String>,
    /// Qualification of the year, month and day components.
    pub qualifiers: [Option<Qualifier>; 3],
}

/// One member of an EDTF set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SetMember {
    /// A single date.
    Date(CalendarDate),
    /// `a..b`: every date from a to b.
    Range(CalendarDate, CalendarDate),
    /// `..b`: b or any earlier date (first member only).
    OnOrBefore(CalendarDate),
    /// `a..`: a or any later date (last member only).
    OnOrAfter(CalendarDate),
}

/// A date expression: a calendar date or a level-2 set of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DateExpr {
    /// A single calendar date.
    Date(CalendarDate),
    /// `[a, b..c]`: exactly one of the members (the usual way to say "by 2013": `[..2013]`).
    OneOf(Vec<SetMember>),
    /// `{a, b}`: all of the members.
    AllOf(Vec<SetMember>),
}

/// One end of an EDTF interval.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// Empty: the end exists but is not known.
    Unknown,
    /// `..`: no bound — since ever at the start, still ongoing at the end.
    Open,
    /// A date expression.
    Date(DateExpr),
}

/// A parsed EDTF value: one date, or an interval.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Edtf {
    /// A date or set.
    Date(DateExpr),
    /// `start/end`.
    Interval(Endpoint, Endpoint),
}

impl Edtf {
    /// Parses an EDTF string; the error gives the character offset of the problem.
    pub fn parse(text: &str) -> Result<Edtf, EdtfError> {
        let mut p = Parser::new(text);
        let value = if text.contains('/') {
            let start = p.endpoint(true)?;
            p.expect('/')?;
            let end = p.endpoint(false)?;
            if start == Endpoint::Unknown && end == Endpoint::Unknown {
                return Err(p.error_at(0, "an interval needs at least one known end"));
            }
            Edtf::Interval(start, end)
        } else {
            if text.is_empty() {
                return Err(p.error_at(0, "empty date; expected an EDTF date such as 2013-08"));
            }
            Edtf::Date(p.expr()?)
        };
        p.end()?;
        if let Edtf::Interval(Endpoint::Date(a), Endpoint::Date(b)) = &value
            && a.range().earliest > b.range().latest
        {
            return Err(EdtfError {
                offset: 0,
                message: format!("interval ends ({b}) before it starts ({a})"),
            });
        }
        Ok(value)
    }
}

impl Edtf {
    /// The value in words, for people: `2011 to 2019`, `at least 2011 to
    /// 2019` (`[..2011]/[2019..]`), `from 2013-08, end unknown`, `by 2013`.
    pub fn describe(&self) -> String {
        fn one(m: &DateExpr) -> Option<&SetMember> {
            match m {
                DateExpr::OneOf(members) if members.len() == 1 => Some(&members[0]),
                _ => None,
            }
        }
        // A start known only as "by 2013" reads as such, not "from by 2013".
        let since = |a: &DateExpr| match one(a) {
            Some(SetMember::OnOrBefore(x)) => format!("by {}", x.describe()),
            _ => format!("from {}", a.describe()),
        };
        match self {
            Edtf::Date(d) => d.describe(),
            Edtf::Interval(Endpoint::Date(a), Endpoint::Date(b)) => match (one(a), one(b)) {
                (Some(SetMember::OnOrBefore(x)), Some(SetMember::OnOrAfter(y))) => {
                    format!("at least {} to {}", x.describe(), y.describe())
                }
                _ => format!("{} to {}", a.describe(), b.describe()),
            },
            Edtf::Interval(Endpoint::Date(a), Endpoint::Unknown) => {
                format!("{}, end unknown", since(a))
            }
            Edtf::Interval(Endpoint::Date(a), Endpoint::Open) => format!("{}, ongoing", since(a)),
            Edtf::Interval(Endpoint::Unknown, Endpoint::Date(b)) => {
                format!("until {}, start unknown", b.describe())
            }
            Edtf::Interval(Endpoint::Open, Endpoint::Date(b)) => format!("until {}", b.describe()),
            Edtf::Interval(_, _) => "date unknown".to_string(),
        }
    }
}

impl DateExpr {
    /// Parses a single date or set (no interval).
    pub fn parse(text: &str) -> Result<DateExpr, EdtfError> {
        match Edtf::parse(text)? {
            Edtf::Date(d) => Ok(d),
            Edtf::Interval(..) => Err(EdtfError {
                offset: text.find('/').unwrap_or(0),
                message: "expected a single date, found an interval".into(),
            }),
        }
    }

    /// Every day this may denote.
    pub fn range(&self) -> DateRange {
        match self {
            DateExpr::Date(d) => d.range(),
            DateExpr::OneOf(members) | DateExpr::AllOf(members) => members
                .iter()
                .map(SetMember::range)
                .reduce(|a, b| a.hull(&b))
                .unwrap_or(DateRange::ALL),
        }
    }

    /// The calendar date when this is one (not a set).
    pub fn as_calendar_date(&self) -> Option<&CalendarDate> {
        match self {
            DateExpr::Date(d) => Some(d),
            _ => None,
        }
    }

    /// A short reading for people: `2013-08`, `~2019-01`, `by 2013`, `2019 or later`.
    pub fn describe(&self) -> String {
        match self {
            DateExpr::Date(d) => d.describe(),
            DateExpr::OneOf(m) if m.len() == 1 => match &m[0] {
                SetMember::OnOrBefore(d) => format!("by {}", d.describe()),
                SetMember::OnOrAfter(d) => format!("{} or later", d.describe()),
                SetMember::Range(a, b) => format!("between {} and {}", a.describe(), b.describe()),
                SetMember::Date(d) => d.describe(),
            },
            DateExpr::OneOf(_) => format!("one of {self}"),
            DateExpr::AllOf(_) => format!("all of {self}"),
        }
    }
}

impl SetMember {
    fn range(&self) -> DateRange {
        match self {
            SetMember::Date(d) => d.range(),
            SetMember::Range(a, b) => a.range().hull(&b.range()),
            SetMember::OnOrBefore(d) => DateRange {
                earliest: NaiveDate::MIN,
                latest: d.range().latest,
            },
            SetMember::OnOrAfter(d) => DateRange {
                earliest: d.range().earliest,
                latest: NaiveDate::MAX,
            },
        }
    }
}

impl CalendarDate {
    /// The precision the date is stated at.
    pub fn precision(&self) -> Precision {
        if self.time.is_some() {
            Precision::DateTime
        } else if self.day.is_some() {
            Precision::Day
        } else if let Some(m) = &self.month {
            if sub_year_group(m).is_some() {
                Precision::SubYear
            } else {
                Precision::Month
            }
        } else {
            Precision::Year
        }
    }

    /// Whether any digit is unspecified (`X`) or only significant digits are known.
    pub fn has_unspecified(&self) -> bool {
        let year_x = matches!(&self.year, Year::Digits { digits, .. } if digits.contains('X'));
        year_x
            || self.significant_digits.is_some()
            || self.month.as_deref().is_some_and(|m| m.contains('X'))
            || self.day.as_deref().is_some_and(|d| d.contains('X'))
    }

    /// The qualifier of the whole date, when every stated component carries the same one.
    pub fn uniform_qualifier(&self) -> Option<Qualifier> {
        let n = self.component_count();
        let first = self.qualifiers[0]?;
        self.qualifiers[..n]
            .iter()
            .all(|q| *q == Some(first))
            .then_some(first)
    }

    /// The strongest qualifier on any component.
    pub fn any_qualifier(&self) -> Option<Qualifier> {
        self.qualifiers.iter().flatten().copied().max()
    }

    fn component_count(&self) -> usize {
        1 + usize::from(self.month.is_some()) + usize::from(self.day.is_some())
    }

    fn year_bounds(&self) -> (i64, i64) {
        match &self.year {
            Year::Digits { negative, digits } => {
                let lo: i64 = digits.replace('X', "0").parse().unwrap_or(0);
                let hi: i64 = digits.replace('X', "9").parse().unwrap_or(0);
                let (lo, hi) = match self.significant_digits {
                    Some(s) => significant_bounds(lo, digits.len() as u32, s),
                    None => (lo, hi),
                };
                if *negative { (-hi, -lo) } else { (lo, hi) }
            }
            Year::Long(y) => match self.significant_digits {
                Some(s) => {
                    let len = y.unsigned_abs().to_string().len() as u32;
                    let (lo, hi) = significant_bounds(y.abs(), len, s);
                    if *y < 0 { (-hi, -lo) } else { (lo, hi) }
                }
                None => (*y, *y),
            },
            Year::Exponential { base, exponent } => {
                let y = base.saturating_mul(10i64.saturating_pow(*exponent));
                (y, y)
            }
        }
    }

    /// Every day this date may denote, widened for its qualification.
    pub fn range(&self) -> DateRange {
        // Parsing validated that the unwidened range exists.
        let base = self.unqualified_range().unwrap_or(DateRange::ALL);
        self.widen(base)
    }

    fn unqualified_range(&self) -> Option<DateRange> {
        let (ylo, yhi) = self.year_bounds();
        // Years past what a calendar date can hold never match: without
        // this bound, `Y122010S0` walked billions of them.
        let (min, max) = (
            i64::from(NaiveDate::MIN.year()),
            i64::from(NaiveDate::MAX.year()),
        );
        let years_up = ylo.max(min)..=yhi.min(max);
        // A month and day that no year has (02-30) would walk every year of
        // a wide range: a leap year and the year before it hold every
        // month and day there is (months past 12 fall in the next year).
        if self.first_day_in_year(1999).is_none() && self.first_day_in_year(2000).is_none() {
            return None;
        }
        let first = years_up
            .clone()
            .filter(|y| self.year_matches(*y))
            .find_map(|y| self.first_day_in_year(y as i32))?;
        let last = years_up
            .rev()
            .filter(|y| self.year_matches(*y))
            .find_map(|y| self.last_day_in_year(y as i32))?;
        DateRange::new(first, last)
    }

    fn year_matches(&self, y: i64) -> bool {
        match (&self.year, self.significant_digits) {
            (Year::Digits { negative, digits }, None) => {
                if (y < 0) != *negative && y != 0 {
                    return false;
                }
                let text = format!("{:04}", y.unsigned_abs());
                text.len() == digits.len()
                    && digits
                        .bytes()
                        .zip(text.bytes())
                        .all(|(p, c)| p == b'X' || p == c)
            }
            _ => true,
        }
    }

    fn months(&self) -> Vec<(u32, u32)> {
        // (first month, last month) spans, with months > 12 meaning the next year.
        match &self.month {
            None => vec![(1, 12)],
            Some(m) => match sub_year_group(m) {
                Some(span) => vec![span],
                None => (1..=12)
                    .filter(|v| pattern_matches(m, *v))
                    .map(|v| (v, v))
                    .collect(),
            },
        }
    }

    fn days(&self) -> Vec<u32> {
        match &self.day {
            None => (1..=31).collect(),
            Some(d) => (1..=31).filter(|v| pattern_matches(d, *v)).collect(),
        }
    }

    fn first_day_in_year(&self, y: i32) -> Option<NaiveDate> {
        let days = self.days();
        for (m0, _) in self.months() {
            let (yy, mm) = month_of(y, m0);
            if let Some(d) = days
                .iter()
                .find_map(|d| NaiveDate::from_ymd_opt(yy, mm, *d))
            {
                return Some(d);
            }
        }
        None
    }

    fn last_day_in_year(&self, y: i32) -> Option<NaiveDate> {
        let days = self.days();
        for (_, m1) in self.months().into_iter().rev() {
            let (yy, mm) = month_of(y, m1);
            if let Some(d) = days
                .iter()
                .rev()
                .find_map(|d| NaiveDate::from_ymd_opt(yy, mm, *d))
            {
                return Some(d);
            }
        }
        None
    }

    fn widen(&self, base: DateRange) -> DateRange {
        let n = self.component_count();
        let mut widest: Option<(usize, u32)> = None; // (component index of the run's unit, units)
        let mut i = 0;
        while i < n {
            if self.qualifiers[i].is_none() {
                i += 1;
                continue;
            }
            let mut amount = 0;
            let mut j = i;
            while j < n && self.qualifiers[j].is_some() {
                amount = amount.max(self.qualifiers[j].map_or(0, Qualifier::widening));
                j += 1;
            }
            let unit = j - 1;
            if widest.is_none_or(|(u, a)| unit < u || (unit == u && amount > a)) {
                widest = Some((unit, amount));
            }
            i = j;
        }
        let Some((unit, amount)) = widest else {
            return base;
        };
        let (earliest, latest) = match unit {
            0 => (
                base.earliest.checked_sub_months(Months::new(12 * amount)),
                base.latest.checked_add_months(Months::new(12 * amount)),
            ),
            1 => (
                base.earliest.checked_sub_months(Months::new(amount)),
                base.latest
                    .checked_add_months(Months::new(amount))
                    .map(|d| {
                        if self.day.is_none() {
                            end_of_month(d)
                        } else {
                            d
                        }
                    }),
            ),
            _ => (
                base.earliest
                    .checked_sub_days(chrono::Days::new(amount.into())),
                base.latest
                    .checked_add_days(chrono::Days::new(amount.into())),
            ),
        };
        DateRange {
            earliest: earliest.unwrap_or(NaiveDate::MIN),
            latest: latest.unwrap_or(NaiveDate::MAX),
        }
    }

    /// A short reading for people: the date at its precision, `~` in front
    /// when approximate, `?` behind when uncertain.
    pub fn describe(&self) -> String {
        let plain = CalendarDate {
            qualifiers: [None; 3],
            ..self.clone()
        }
        .to_string();
        match self.any_qualifier() {
            None => plain,
            Some(Qualifier::Approximate) => format!("~{plain}"),
            Some(Qualifier::Uncertain) => format!("{plain}?"),
            Some(Qualifier::UncertainApproximate) => format!("~{plain}?"),
        }
    }

    /// The stated value as an XML Schema literal at its precision
    /// (`xsd:gYear`, `xsd:gYearMonth`, `xsd:date`, `xsd:dateTime`), when the
    /// date is a plain calendar value without unspecified digits.
    pub fn xsd_value(&self) -> Option<(String, &'static str)> {
        if self.has_unspecified() {
            return None;
        }
        let Year::Digits { negative, digits } = &self.year else {
            return None;
        };
        let year = format!("{}{digits}", if *negative { "-" } else { "" });
        match self.precision() {
            Precision::Year => Some((year, "gYear")),
            Precision::Month => Some((format!("{year}-{}", self.month.as_deref()?), "gYearMonth")),
            Precision::Day => Some((
                format!("{year}-{}-{}", self.month.as_deref()?, self.day.as_deref()?),
                "date",
            )),
            Precision::DateTime => Some((
                format!(
                    "{year}-{}-{}T{}",
                    self.month.as_deref()?,
                    self.day.as_deref()?,
                    self.time.as_deref()?
                ),
                "dateTime",
            )),
            Precision::SubYear => None,
        }
    }
}

fn significant_bounds(value: i64, len: u32, significant: u32) -> (i64, i64) {
    let drop = len.saturating_sub(significant);
    let unit = 10i64.saturating_pow(drop);
    let lo = value / unit * unit;
    (lo, lo.saturating_add(unit - 1))
}

fn end_of_month(d: NaiveDate) -> NaiveDate {
    let next = d
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)));
    next.and_then(|n| n.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// The span of months (13+ = next year) of a sub-year grouping code.
fn sub_year_group(code: &str) -> Option<(u32, u32)> {
    let n: u32 = code.parse().ok()?;
    Some(match n {
        21 | 25 => (3, 5),
        22 | 26 => (6, 8),
        23 | 27 => (9, 11),
        24 | 28 => (12, 14),
        29 => (9, 11),
        30 => (12, 14),
        31 => (3, 5),
        32 => (6, 8),
        33..=36 => {
            let q = (n - 33) * 3;
            (q + 1, q + 3)
        }
        37..=39 => {
            let q = (n - 37) * 4;
            (q + 1, q + 4)
        }
        40 | 41 => {
            let h = (n - 40) * 6;
            (h + 1, h + 6)
        }
        _ => return None,
    })
}

fn month_of(year: i32, month: u32) -> (i32, u32) {
    if month > 12 {
        (year + 1, month - 12)
    } else {
        (year, month)
    }
}

fn pattern_matches(pattern: &str, value: u32) -> bool {
    let text = format!("{value:02}");
    pattern
        .bytes()
        .zip(text.bytes())
        .all(|(p, c)| p == b'X' || p == c)
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let uniform = self.uniform_qualifier();
        let prefix = |i: usize| match (uniform, self.qualifiers[i]) {
            (None, Some(q)) => q.symbol().to_string(),
            _ => String::new(),
        };
        f.write_str(&prefix(0))?;
        match &self.year {
            Year::Digits { negative, digits } => {
                write!(f, "{}{digits}", if *negative { "-" } else { "" })?
            }
            Year::Long(y) => write!(f, "Y{y}")?,
            Year::Exponential { base, exponent } => write!(f, "Y{base}E{exponent}")?,
        }
        if let Some(s) = self.significant_digits {
            write!(f, "S{s}")?;
        }
        if let Some(m) = &self.month {
            write!(f, "-{}{m}", prefix(1))?;
        }
        if let Some(d) = &self.day {
            write!(f, "-{}{d}", prefix(2))?;
        }
        if let Some(t) = &self.time {
            write!(f, "T{t}")?;
        }
        if let Some(q) = uniform {
            write!(f, "{}", q.symbol())?;
        }
        Ok(())
    }
}

impl fmt::Display for SetMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetMember::Date(d) => write!(f, "{d}"),
            SetMember::Range(a, b) => write!(f, "{a}..{b}"),
            SetMember::OnOrBefore(d) => write!(f, "..{d}"),
            SetMember::OnOrAfter(d) => write!(f, "{d}.."),
        }
    }
}

impl fmt::Display for DateExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (open, close, members) = match self {
            DateExpr::Date(d) => return write!(f, "{d}"),
            DateExpr::OneOf(m) => ('[', ']', m),
            DateExpr::AllOf(m) => ('{', '}', m),
        };
        write!(f, "{open}")?;
        for (i, m) in members.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{m}")?;
        }
        write!(f, "{close}")
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Unknown => Ok(()),
            Endpoint::Open => f.write_str(".."),
            Endpoint::Date(d) => write!(f, "{d}"),
        }
    }
}

impl fmt::Display for Edtf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edtf::Date(d) => write!(f, "{d}"),
            Edtf::Interval(a, b) => write!(f, "{a}/{b}"),
        }
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    _text: &'a str,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            chars: text.chars().collect(),
            pos: 0,
            _text: text,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn error_at(&self, offset: usize, message: impl Into<String>) -> EdtfError {
        EdtfError {
            offset,
            message: message.into(),
        }
    }

    fn error(&self, expected: &str) -> EdtfError {
        let found = match self.peek() {
            Some(c) => format!("'{c}'"),
            None => "the end".to_string(),
        };
        self.error_at(self.pos, format!("expected {expected}, found {found}"))
    }

    fn expect(&mut self, c: char) -> Result<(), EdtfError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("'{c}'")))
        }
    }

    fn end(&self) -> Result<(), EdtfError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("the end of the date")),
        }
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn endpoint(&mut self, is_start: bool) -> Result<Endpoint, EdtfError> {
        match self.peek() {
            Some('/') if is_start => Ok(Endpoint::Unknown),
            None if !is_start => Ok(Endpoint::Unknown),
            Some('.') if self.starts_with("..") => {
                let save = self.pos;
                self.pos += 2;
                if matches!(self.peek(), Some('/') | None) {
                    Ok(Endpoint::Open)
                } else {
                    self.pos = save;
                    Err(self.error("'..' alone for an open end, or a date"))
                }
            }
            _ => Ok(Endpoint::Date(self.expr()?)),
        }
    }

    fn expr(&mut self) -> Result<DateExpr, EdtfError> {
        match self.peek() {
            Some('[') => Ok(DateExpr::OneOf(self.set('[', ']')?)),
            Some('{') => Ok(DateExpr::AllOf(self.set('{', '}')?)),
            _ => Ok(DateExpr::Date(self.date()?)),
        }
    }

    fn set(&mut self, open: char, close: char) -> Result<Vec<SetMember>, EdtfError> {
        let start = self.pos;
        self.expect(open)?;
        let mut members = Vec::new();
        loop {
            self.skip_spaces();
            let member_start = self.pos;
            let member = if self.starts_with("..") {
                self.pos += 2;
                SetMember::OnOrBefore(self.date()?)
            } else {
                let first = self.date()?;
                if self.starts_with("..") {
                    self.pos += 2;
                    if matches!(self.peek(), Some(',' | ' ')) || self.peek() == Some(close) {
                        SetMember::OnOrAfter(first)
                    } else {
                        let second = self.date()?;
                        if first.range().earliest > second.range().latest {
                            return Err(self.error_at(
                                member_start,
                                format!("set range {first}..{second} runs backwards"),
                            ));
                        }
                        SetMember::Range(first, second)
                    }
                } else {
                    SetMember::Date(first)
                }
            };
            members.push(member);
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(c) if c == close => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error(&format!("',' or '{close}'"))),
            }
        }
        let last = members.len() - 1;
        for (i, m) in members.iter().enumerate() {
            let misplaced = matches!(m, SetMember::OnOrBefore(_)) && i != 0
                || matches!(m, SetMember::OnOrAfter(_)) && i != last;
            if misplaced {
                return Err(self.error_at(
                    start,
                    "'..' may open only the first member of a set and close only the last",
                ));
            }
        }
        Ok(members)
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(' ') {
            self.pos += 1;
        }
    }

    fn qualifier(&mut self) -> Option<Qualifier> {
        let q = self.peek().and_then(Qualifier::from_symbol)?;
        self.pos += 1;
        Some(q)
    }

    fn date(&mut self) -> Result<CalendarDate, EdtfError> {
        let start = self.pos;
        let mut qualifiers = [None; 3];
        qualifiers[0] = self.qualifier();
        let year = self.year()?;
        let significant_digits = if self.peek() == Some('S') {
            self.pos += 1;
            let s = self.number()?;
            Some(
                u32::try_from(s)
                    .map_err(|_| self.error_at(self.pos, "too many significant digits"))?,
            )
        } else {
            None
        };
        let mut date = CalendarDate {
            year,
            significant_digits,
            month: None,
            day: None,
            time: None,
            qualifiers,
        };
        // Postfix qualification applies to the component before it and all to its left.
        if let Some(q) = self.qualifier() {
            date.qualifiers[0] = Some(q);
        }
        if self.peek() == Some('-') {
            self.pos += 1;
            date.qualifiers[1] = self.qualifier();
            let month_at = self.pos;
            let month = self.two_digits("a two-digit month (01-12) or season (21-41)")?;
            let valid = if month.contains('X') {
                (1..=12).any(|m| pattern_matches(&month, m))
            } else {
                month
                    .parse::<u32>()
                    .is_ok_and(|m| (1..=12).contains(&m) || (21..=41).contains(&m))
            };
            if !valid {
                return Err(self.error_at(
                    month_at,
                    format!("month '{month}' is not 01-12 or a season/quarter code 21-41"),
                ));
            }
            date.month = Some(month);
            if let Some(q) = self.qualifier() {
                date.qualifiers[0] = Some(q);
                date.qualifiers[1] = Some(q);
            }
            let is_group = sub_year_group(date.month.as_deref().unwrap_or("")).is_some();
            if self.peek() == Some('-') && !is_group {
                self.pos += 1;
                date.qualifiers[2] = self.qualifier();
                let day_at = self.pos;
                let day = self.two_digits("a two-digit day")?;
                if !(1..=31).any(|d| pattern_matches(&day, d)) {
                    return Err(self.error_at(day_at, format!("day '{day}' is not 01-31")));
                }
                date.day = Some(day);
                if let Some(q) = self.qualifier() {
                    date.qualifiers = [Some(q); 3];
                }
                if self.peek() == Some('T') {
                    if date.has_unspecified() || date.any_qualifier().is_some() {
                        return Err(self.error("no time after an unspecified or qualified date"));
                    }
                    self.pos += 1;
                    date.time = Some(self.time()?);
                }
            }
        }
        if date.unqualified_range().is_none() {
            let shown = self.chars[start..self.pos].iter().collect::<String>();
            return Err(self.error_at(start, format!("'{shown}' is not a date in the calendar")));
        }
        Ok(date)
    }

    fn year(&mut self) -> Result<Year, EdtfError> {
        if self.peek() == Some('Y') {
            self.pos += 1;
            let negative = self.peek() == Some('-');
            if negative {
                self.pos += 1;
            }
            let at = self.pos;
            let mut value = self.number()?;
            if negative {
                value = -value;
            }
            let year = if self.peek() == Some('E') {
                self.pos += 1;
                let e = self.number()?;
                Year::Exponential {
                    base: value,
                    exponent: u32::try_from(e)
                        .map_err(|_| self.error_at(at, "exponent too large"))?,
                }
            } else {
                Year::Long(value)
            };
            let probe = CalendarDate {
                year: year.clone(),
                significant_digits: None,
                month: None,
                day: None,
                time: None,
                qualifiers: [None; 3],
            };
            let (lo, hi) = probe.year_bounds();
            if lo < -262_000 || hi > 262_000 {
                return Err(self.error_at(at, "year beyond the supported range of -262000..262000"));
            }
            return Ok(year);
        }
        let negative = self.peek() == Some('-');
        if negative {
            self.pos += 1;
        }
        let mut digits = String::new();
        for _ in 0..4 {
            match self.peek() {
                Some(c @ ('0'..='9' | 'X')) => {
                    digits.push(c);
                    self.pos += 1;
                }
                _ => return Err(self.error("a four-digit year (digits or X)")),
            }
        }
        if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Err(self.error("a four-digit year; write longer years as Y12345"));
        }
        if negative && digits == "0000" {
            return Err(self.error_at(self.pos - 5, "year -0000 is not allowed; write 0000"));
        }
        Ok(Year::Digits { negative, digits })
    }

    fn number(&mut self) -> Result<i64, EdtfError> {
        let at = self.pos;
        let mut text = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            text.push(c);
            self.pos += 1;
        }
        if text.is_empty() {
            return Err(self.error("digits"));
        }
        text.parse()
            .map_err(|_| self.error_at(at, format!("number {text} is too large")))
    }

    fn two_digits(&mut self, expected: &str) -> Result<String, EdtfError> {
        let at = self.pos;
        let s: String = self.chars[at..].iter().take(2).collect();
        if s.len() == 2 && s.chars().all(|c| c.is_ascii_digit() || c == 'X') {
            self.pos += 2;
            Ok(s)
        } else {
            let found = if s.is_empty() {
                "the end".to_string()
            } else {
                format!("'{s}'")
            };
            Err(self.error_at(at, format!("expected {expected}, found {found}")))
        }
    }

    fn time(&mut self) -> Result<String, EdtfError> {
        let at = self.pos;
        let mut parts = Vec::new();
        for i in 0..3 {
            if i > 0 {
                self.expect(':')?;
            }
            let v: u32 = self
                .two_digits("two digits of the time hh:mm:ss")?
                .parse()
                .map_err(|_| self.error_at(self.pos - 2, "no X in a time"))?;
            parts.push(v);
        }
        if parts[0] > 23 || parts[1] > 59 || parts[2] > 59 {
            return Err(self.error_at(at, "time out of range (hh 00-23, mm and ss 00-59)"));
        }
        match self.peek() {
            Some('Z') => self.pos += 1,
            Some('+' | '-') => {
                self.pos += 1;
                let h: u32 = self
                    .two_digits("a time zone offset hh or hh:mm")?
                    .parse()
                    .map_err(|_| self.error_at(self.pos - 2, "no X in a time zone"))?;
                if h > 14 {
                    return Err(self.error_at(self.pos - 2, "time zone offset beyond 14 hours"));
                }
                if self.peek() == Some(':') {
                    self.pos += 1;
                    self.two_digits("time zone minutes")?;
                }
            }
            _ => {}
        }
        Ok(self.chars[at..self.pos].iter().collect())
    }
}
