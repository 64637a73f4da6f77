//! The testimony reader: YAML, JSON or JSON Lines text, split into records and each read and checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(model) = clew_model::Model::builtin() else { return };
    for name in ["t.yaml", "t.json", "t.jsonl"] {
        let Ok(records) = clew_intake::input::records(name, text) else { continue };
        for node in &records {
            let mut reader = clew_model::read::Reader::default();
            let _ = clew_intake::read_testimony(model, node, &mut reader);
        }
    }
});
