//! The UN Security Council consolidated list reader (XML).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = clew_screen::lists::read_un_xml("un.xml", data);
});
