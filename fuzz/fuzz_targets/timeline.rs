//! The timeline reader, on any text: a dataset or located problems, never a
//! panic; a dataset it accepts maps to RDF quads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(dataset) = interlock_load::parse_timeline(Path::new("fuzz.toml"), text) {
        let base = interlock_load::IriBase::default();
        let _ = interlock_load::dataset_quads(&dataset, &base);
    }
});
