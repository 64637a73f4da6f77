//! The safe line's readers of a sender's words that are not sealed whole: a return code as typed, the list of
//! uploads a page's script sends with a letter, and the padding of any page.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(code) = clew_safeline::ReturnCode::parse(text) {
        // A code read back is itself.
        assert_eq!(clew_safeline::ReturnCode::parse(&code.display()), Some(code));
    }
    let _ = serde_json::from_str::<Vec<clew_service::safe_line::UploadedFile>>(text);
    let mut page = text.to_string();
    if clew_safeline::pad::pad_html(&mut page, 0) {
        assert!(clew_safeline::pad::BUCKETS.contains(&page.len()));
    }
});
