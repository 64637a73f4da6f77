//! A dossier's manifest as `clew dossier --diff` reads it (the file may come from anyone): parsed, or refused
//! with where it is wrong; one that parses differs from itself in nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(manifest) = clew_service::dossier::parse_manifest(data, "manifest.json") {
        assert!(clew_service::dossier::diff_manifests(&manifest, &manifest).is_empty());
    }
});
