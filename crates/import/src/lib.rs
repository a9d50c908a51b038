//! Other people's data into interlock datasets: spreadsheets of board seats
//! read through a mapping file (`csv`), and FollowTheMoney entity streams
//! from Aleph or OpenSanctions (`ftm`).
//!
//! Each importer reads a whole file, validates it, and returns either one
//! [`Dataset`](interlock_model::Dataset) (which `interlock_load` turns into
//! the quads of one named graph, like a timeline file) or every problem
//! found, located at file:line:column. Nothing here touches a store.

#![cfg_attr(
    test,
    allow(
        unused_crate_dependencies,
        reason = "unit tests see the dev-dependencies of the integration tests"
    )
)]

mod dates;
mod ftm;
mod mapping;
mod table;

pub use ftm::{FtmOptions, parse_ftm, read_ftm};
pub use mapping::Mapping;
pub use table::{parse_csv, read_csv};
