//! OFAC's advanced XML reader.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = clew_screen::ofac_xml::read_ofac_xml("sdn_advanced.xml", data);
});
