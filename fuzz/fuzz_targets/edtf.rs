//! The EDTF parser, on any text: an `Edtf` or an error, never a panic; what
//! parses describes itself and bounds an interval without panicking.
#![no_main]

use interlock_model::{Edtf, Interval};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(edtf) = Edtf::parse(text) {
        let _ = edtf.describe();
    }
    let _ = Interval::parse(text);
});
