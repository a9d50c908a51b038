//! Ranges of days and the three-valued answer to "did it hold then?".

use chrono::NaiveDate;
use std::fmt;

/// The answer to "did this hold at that time?" when dates are known only
/// to some precision.
///
/// Ordered `No < Possibly < Definitely`, so the answer for a chain of facts
/// that must all hold is the minimum of the answers for its links.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// Every reading of the dates rules it out.
    No,
    /// Some reading of the dates allows it, another rules it out.
    Possibly,
    /// Every reading of the dates allows it.
    Definitely,
}

impl Certainty {
    /// The lowercase word used in output and in RDF (`definitely`, `possibly`, `no`).
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::No => "no",
            Certainty::Possibly => "possibly",
            Certainty::Definitely => "definitely",
        }
    }
}

impl fmt::Display for Certainty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An inclusive range of days `[earliest, latest]`: every day on which
/// something dated this way may have happened.
///
/// An unbounded side is `NaiveDate::MIN` (earliest) or `NaiveDate::MAX`
/// (latest); [`DateRange::earliest_bound`] and [`DateRange::latest_bound`]
/// give `None` for them. In RDF they are written as the dates
/// [`crate::vocab::UNBOUNDED_EARLIEST`] and [`crate::vocab::UNBOUNDED_LATEST`]
/// ([`crate::vocab::write_date_bound`]), so that plain SPARQL comparisons work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// The first day it may be, or `NaiveDate::MIN` when unbounded.
    pub earliest: NaiveDate,
    /// The last day it may be, or `NaiveDate::MAX` when unbounded.
    pub latest: NaiveDate,
}

impl DateRange {
    /// Every day there is.
    pub const ALL: DateRange = DateRange {
        earliest: NaiveDate::MIN,
        latest: NaiveDate::MAX,
    };

    /// The range `[earliest, latest]`; `None` when `earliest > latest`.
    pub fn new(earliest: NaiveDate, latest: NaiveDate) -> Option<Self> {
        (earliest <= latest).then_some(DateRange { earliest, latest })
    }

    /// The range holding one day.
    pub fn day(day: NaiveDate) -> Self {
        DateRange {
            earliest: day,
            latest: day,
        }
    }

    /// The earliest day, or `None` when the range is open towards the past.
    pub fn earliest_bound(&self) -> Option<NaiveDate> {
        (self.earliest != NaiveDate::MIN).then_some(self.earliest)
    }

    /// The latest day, or `None` when the range is open towards the future.
    pub fn latest_bound(&self) -> Option<NaiveDate> {
        (self.latest != NaiveDate::MAX).then_some(self.latest)
    }

    /// Whether `day` lies in the range.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.earliest <= day && day <= self.latest
    }

    /// The smallest range covering both.
    pub fn hull(&self, other: &DateRange) -> DateRange {
        DateRange {
            earliest: self.earliest.min(other.earliest),
            latest: self.latest.max(other.latest),
        }
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.earliest_bound() {
            Some(d) => write!(f, "{d}")?,
            None => f.write_str("..")?,
        }
        f.write_str("/")?;
        match self.latest_bound() {
            Some(d) => write!(f, "{d}"),
            None => f.write_str(".."),
        }
    }
}
