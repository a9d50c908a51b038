//! Other people's data into interlock datasets: spreadsheets of board seats
//! read through a mapping file (`csv`), and FollowTheMoney entity streams
//! from Aleph or OpenSanctions (`ftm`).
//!
//! Each importer reads a whole file and returns an [`Imported`]: one
//! [`Dataset`](interlock_model::Dataset) of every row it could hold (which
//! `interlock_load` turns into the quads of one named graph, like a
//! timeline file), the rows it could not ([`Reject`]s, each with its line,
//! reason and the row verbatim) and an [`ImportReport`]. Only a problem
//! with the mapping or the file as a whole is an error, located at
//! file:line:column. Whether rejects are acceptable is the caller's
//! decision. Nothing here touches a store.

#![cfg_attr(
    test,
    allow(
        unused_crate_dependencies,
        reason = "unit tests see the dev-dependencies of the integration tests"
    )
)]

mod dates;
mod draft;
mod ftm;
mod mapping;
mod report;
mod rows;
mod rules;
mod spells;
mod stream;
mod table;

pub use draft::{SAMPLE_ROWS, draft_mapping};
pub use ftm::{FtmOptions, parse_ftm, read_ftm};
pub use mapping::Mapping;
pub use report::{
    DIFFERING_EXAMPLES, DatedCounts, DifferingNames, ImportReport, Reject, RejectReason,
    write_rejects,
};
pub use stream::TableStream;
pub use table::{Imported, parse_csv, read_csv};
