//! OFAC's legacy CSV reader: the primary file, its aliases file and its addresses file, split where the input
//! has form feeds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0x0c);
    let sdn = parts.next().unwrap_or_default();
    let alt = parts.next();
    let add = parts.next();
    let _ = clew_screen::lists::read_ofac_csv(("sdn.csv", sdn), alt.map(|a| ("alt.csv", a)), add.map(|a| ("add.csv", a)));
});
