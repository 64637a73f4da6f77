//! The evidence package verifier, on any bytes written as a package file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("package.tar");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let _ = clew_disclosure::package::verify_package(&path, None, None);
});
