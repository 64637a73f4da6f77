//! OFAC's legacy CSV reader: the primary file and its aliases file, split where the input has a form feed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0x0c);
    let sdn = parts.next().unwrap_or_default();
    let alt = parts.next();
    let _ = clew_screen::lists::read_ofac_csv(("sdn.csv", sdn), alt.map(|a| ("alt.csv", a)), None);
});
