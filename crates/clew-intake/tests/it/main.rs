//! Integration tests of intake: the testimony reader on good and bad input, import into a real SQLite
//! project (atomic, idempotent, retracting on change), and FollowTheMoney round trips.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod attach;
mod bad_input;
mod concurrency;
mod import;
mod json_schema;

use std::path::{Path, PathBuf};

use clew_intake::input::InputPath;
use clew_intake::{ImportOptions, ImportReport, import_testimonies};
use clew_model::Model;
use clew_store::Project;

pub fn model() -> &'static Model {
    Model::builtin().unwrap()
}

pub fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/testimony-synthetic.yaml")
}

pub fn example_text() -> String {
    std::fs::read_to_string(example_path()).unwrap()
}

/// A new project with one custodian (whose identity the project keeps for the test in `custodian.key`).
pub fn new_project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(&dir.path().join("p"), "test", true).unwrap();
    let custodian = clew_vault::new_custodian("test custodian");
    std::fs::write(dir.path().join("custodian.key"), custodian.identity_file.as_bytes()).unwrap();
    let batch = clew_store::Batch {
        recorded_by: "t".into(),
        recorded_at: "2026-01-01T00:00:00Z".into(),
        operation: "t".into(),
    };
    let mut tx = project.store().write(&batch).unwrap();
    tx.put_custodian(&custodian.key.to_string(), "test").unwrap();
    tx.commit().unwrap();
    (dir, project)
}

pub fn options() -> ImportOptions {
    ImportOptions { dry_run: false, recorded_by: "tester".into(), synthetic_only: false }
}

/// Writes files into a temporary directory and imports them.
pub fn import_files(project: Option<&Project>, files: &[(&str, &[u8])]) -> (tempfile::TempDir, ImportReport) {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        inputs.push(InputPath::File(path));
    }
    let store = project.map(|p| p.store());
    let report = import_testimonies(model(), store, &inputs, &options(), &mut |_| {}).unwrap();
    (dir, report)
}

/// The diagnostics of a report as lines without the temporary directory.
pub fn lines(report: &ImportReport) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d.file = d.file.map(|f| Path::new(&f).file_name().unwrap().to_string_lossy().to_string());
            strip_temporary_dirs(&d.to_string())
        })
        .collect()
}

/// Removes temporary directory prefixes (`/tmp/.tmpAbC123/`) from a message.
fn strip_temporary_dirs(text: &str) -> String {
    let prefix = format!("{}/.tmp", std::env::temp_dir().display());
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&prefix) {
        out.push_str(&rest[..at]);
        let after = &rest[at + prefix.len()..];
        rest = after.find('/').map_or(after, |slash| &after[slash + 1..]);
    }
    out.push_str(rest);
    out
}
