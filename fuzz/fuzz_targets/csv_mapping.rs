//! A CSV mapping and a CSV read through it, on any text: the input is the
//! mapping (TOML), a line `----`, then the CSV. A mapping or located
//! problems, then a dataset or located problems; never a panic.
#![no_main]

use interlock_import::{Mapping, parse_csv};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (mapping, csv) = text.split_once("\n----\n").unwrap_or((text, ""));
    if let Ok(mapping) = Mapping::parse(Path::new("fuzz.toml"), mapping.to_string()) {
        let _ = parse_csv(Path::new("fuzz.csv"), csv, &mapping);
    }
});
