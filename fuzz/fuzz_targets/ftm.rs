//! The FollowTheMoney JSON lines reader of sanctions lists.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = clew_screen::lists::read_ftm("entities.ftm.json", data);
});
