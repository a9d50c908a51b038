//! The FollowTheMoney reader, on any text: a dataset or located problems,
//! never a panic.
#![no_main]

use interlock_import::{FtmOptions, parse_ftm};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = FtmOptions {
        dataset_id: "fuzz".into(),
        title: "Fuzz".into(),
    };
    let _ = parse_ftm(Path::new("fuzz.ftm.json"), text, &options);
});
