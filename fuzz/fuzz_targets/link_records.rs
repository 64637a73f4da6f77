//! The linkage records reader (CSV) with clew's own Person config, then blocking and comparing what was read.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((name, text)) = clew_link::config::builtin("Person") else { return };
    let Ok(checked) = clew_link::config::read(name, text) else { return };
    let mut records = clew_link::records::Records::new(checked.columns());
    if records.add_csv("records.csv", data).is_err() {
        return;
    }
    let _ = clew_link::linkage::Linkage::new(checked, records, clew_link::blocking::Mode::Dedupe);
});
