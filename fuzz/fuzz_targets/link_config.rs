//! The linkage config reader (TOML).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = clew_link::config::read("linkage.toml", text);
});
