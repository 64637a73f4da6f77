//! The capture-history table reader of multiple systems estimation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = clew_stats::mse::CaptureTable::read(text, &[]);
    let _ = clew_stats::mse::CaptureTable::read(text, &["stratum"]);
});
