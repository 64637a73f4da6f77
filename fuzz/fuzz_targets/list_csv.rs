//! The simple CSV list reader.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = clew_screen::lists::read_csv("list.csv", data);
});
