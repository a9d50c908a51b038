//! When a relationship held: a start range and an end range of days.

use super::edtf::{DateExpr, Edtf, EdtfError, Endpoint};
use super::range::{Certainty, DateRange};
use chrono::NaiveDate;

/// The time during which something held, known as a range for its start and
/// a range for its end.
///
/// Invariants (kept by every constructor): `start.earliest <= end.latest`;
/// `start.latest <= end.latest` and `end.earliest >= start.earliest`, because a
/// thing cannot end before it starts. An unknown start is the range
/// `unbounded..end.latest`, an unknown end `start.earliest..unbounded`; an
/// open (`..`) start is "since ever" (`unbounded..unbounded`) and an open end
/// "still ongoing".
///
/// A relationship's interval is certainly non-empty. The intersection of
/// several (the window in which a whole chain held) may only possibly be
/// non-empty; [`Interval::surely_nonempty`] says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    /// The days on which it may have started.
    pub start: DateRange,
    /// The days on which it may have ended.
    pub end: DateRange,
    nonempty: bool,
}

/// What is known of one end of an interval, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndKnowledge {
    /// A date or set was given.
    Dated,
    /// Nothing is known of it.
    Unknown,
    /// `..`: no bound (since ever, or still ongoing).
    Open,
}

impl Interval {
    /// The interval about which nothing is known: it held at some time.
    pub const UNKNOWN: Interval = Interval {
        start: DateRange::ALL,
        end: DateRange::ALL,
        nonempty: true,
    };

    /// The interval whose start lies in `start` and end in `end`; `None`
    /// when every possible end comes before every possible start.
    pub fn new(start: DateRange, end: DateRange) -> Option<Interval> {
        Interval::normalized(start, end, true)
    }

    /// Applies the invariants: `None` when every end comes before every
    /// start, else the ranges narrowed so no start lies after the last end
    /// and no end before the first start.
    fn normalized(start: DateRange, end: DateRange, nonempty: bool) -> Option<Interval> {
        if start.earliest > end.latest {
            return None;
        }
        Some(Interval {
            start: DateRange {
                earliest: start.earliest,
                latest: start.latest.min(end.latest),
            },
            end: DateRange {
                earliest: end.earliest.max(start.earliest),
                latest: end.latest,
            },
            nonempty,
        })
    }

    /// The interval of exactly these days, `first..=last`.
    pub fn days(first: NaiveDate, last: NaiveDate) -> Option<Interval> {
        Interval::new(DateRange::day(first), DateRange::day(last))
    }

    /// The interval an EDTF value states: an interval as written, or a
    /// single date `d` read as `d/d` (it started and ended within `d`).
    pub fn from_edtf(value: &Edtf) -> Result<Interval, EdtfError> {
        let (start, end) = match value {
            Edtf::Date(d) => (d.range(), d.range()),
            Edtf::Interval(s, e) => {
                let start = match s {
                    Endpoint::Date(d) => d.range(),
                    Endpoint::Open => DateRange {
                        earliest: NaiveDate::MIN,
                        latest: NaiveDate::MIN,
                    },
                    Endpoint::Unknown => DateRange::ALL,
                };
                let end = match e {
                    Endpoint::Date(d) => d.range(),
                    Endpoint::Open => DateRange {
                        earliest: NaiveDate::MAX,
                        latest: NaiveDate::MAX,
                    },
                    Endpoint::Unknown => DateRange::ALL,
                };
                (start, end)
            }
        };
        Interval::new(start, end).ok_or_else(|| EdtfError {
            offset: 0,
            message: format!("'{value}' ends before it starts"),
        })
    }

    /// Parses EDTF text into an interval (see [`Interval::from_edtf`]).
    pub fn parse(text: &str) -> Result<Interval, EdtfError> {
        Interval::from_edtf(&Edtf::parse(text)?)
    }

    /// Whether every reading of the dates leaves a non-empty interval
    /// (always true for one relationship; for a chain, only when no link can
    /// end before another starts).
    pub fn surely_nonempty(&self) -> bool {
        self.nonempty
    }

    /// Did it hold on `day`?
    pub fn at(&self, day: NaiveDate) -> Certainty {
        if self.start.latest <= day && day <= self.end.earliest {
            Certainty::Definitely
        } else if self.start.earliest <= day && day <= self.end.latest {
            Certainty::Possibly
        } else {
            Certainty::No
        }
    }

    /// Did it hold at some time during `window`?
    pub fn during(&self, window: &DateRange) -> Certainty {
        if self.nonempty
            && self.start.latest <= window.latest
            && self.end.earliest >= window.earliest
        {
            Certainty::Definitely
        } else if self.start.earliest <= window.latest && self.end.latest >= window.earliest {
            Certainty::Possibly
        } else {
            Certainty::No
        }
    }

    /// Did it hold on every day of `window`?
    pub fn throughout(&self, window: &DateRange) -> Certainty {
        if self.start.latest <= window.earliest && self.end.earliest >= window.latest {
            Certainty::Definitely
        } else if self.start.earliest <= window.earliest && self.end.latest >= window.latest {
            Certainty::Possibly
        } else {
            Certainty::No
        }
    }

    /// The window in which both held; `None` when they certainly never did
    /// at the same time. Commutative and associative: the window of a
    /// chain is the intersection of its links' intervals, in any order.
    pub fn intersect(&self, other: &Interval) -> Option<Interval> {
        let start = DateRange {
            earliest: self.start.earliest.max(other.start.earliest),
            latest: self.start.latest.max(other.start.latest),
        };
        let end = DateRange {
            earliest: self.end.earliest.min(other.end.earliest),
            latest: self.end.latest.min(other.end.latest),
        };
        let nonempty = self.nonempty
            && other.nonempty
            && self.start.latest <= other.end.earliest
            && other.start.latest <= self.end.earliest;
        Interval::normalized(start, end, nonempty)
    }

    /// The span in which it certainly held, when there is one: from the
    /// latest possible start to the earliest possible end.
    pub fn definite_span(&self) -> Option<DateRange> {
        if self.nonempty {
            DateRange::new(self.start.latest, self.end.earliest)
        } else {
            None
        }
    }

    /// The span in which it may have held: from the earliest possible start
    /// to the latest possible end.
    pub fn possible_span(&self) -> DateRange {
        DateRange {
            earliest: self.start.earliest,
            latest: self.end.latest,
        }
    }
}

/// What an interval written in EDTF says of its ends.
pub fn end_knowledge(value: &Edtf) -> (EndKnowledge, EndKnowledge) {
    let of = |e: &Endpoint| match e {
        Endpoint::Date(_) => EndKnowledge::Dated,
        Endpoint::Unknown => EndKnowledge::Unknown,
        Endpoint::Open => EndKnowledge::Open,
    };
    match value {
        Edtf::Date(_) => (EndKnowledge::Dated, EndKnowledge::Dated),
        Edtf::Interval(s, e) => (of(s), of(e)),
    }
}

/// The start and end date expressions of an EDTF value, when given.
pub fn end_dates(value: &Edtf) -> (Option<&DateExpr>, Option<&DateExpr>) {
    match value {
        Edtf::Date(d) => (Some(d), Some(d)),
        Edtf::Interval(s, e) => (endpoint_date(s), endpoint_date(e)),
    }
}

fn endpoint_date(e: &Endpoint) -> Option<&DateExpr> {
    match e {
        Endpoint::Date(d) => Some(d),
        _ => None,
    }
}
