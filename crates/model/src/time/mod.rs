//! The time model: dates as precisely as they are known.
//!
//! A date is written in EDTF ([`Edtf`]) and denotes a range of days
//! ([`DateRange`]). A relationship holds during an [`Interval`] whose start
//! and end are each such a range. Asking whether it held at a day or during a
//! window gives a [`Certainty`]: definitely, possibly or no.

mod edtf;
mod interval;
mod range;

pub use edtf::{
    CalendarDate, DateExpr, Edtf, EdtfError, Endpoint, Precision, Qualifier, SetMember, Year,
};
pub use interval::{EndKnowledge, Interval, end_dates, end_knowledge};
pub use range::{Certainty, DateRange};
