//! Many `clew` processes on one project at once: importers, `clew verify` and `clew log head` in loops,
//! custodian removals racing. Nothing false is reported, nothing acknowledged is lost, nothing unverified is
//! signed, and a project never loses its last custodian.

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};

use crate::{clew, example, init_project, text};

const PASSPHRASE: &str = "a long synthetic passphrase";

/// `clew` with the passphrase in `PASS`.
fn clew_pass(dir: &Path, args: &[&str]) -> Output {
    crate::clew_with_passphrase(dir, args, PASSPHRASE)
}

/// A project `p` with keys (a signing key for heads) and two custodians.
fn project_with_keys(dir: &Path) {
    init_project(dir, "p");
    let run = clew_pass(dir, &["--project", "p", "keys", "init"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
}

/// The example testimony as another witness's: its own testimony id, pseudonym and entities.
fn testimony(dir: &Path, name: &str) -> String {
    let original = std::fs::read_to_string(example()).unwrap();
    let id = format!("T-{name}");
    let file = format!("{name}.yaml");
    let text = original.replace("T-EXAMPLE-0001", &id).replace("W-EX-0001", &format!("W-{name}"));
    std::fs::write(dir.join(&file), text).unwrap();
    file
}

#[test]
fn importers_verify_log_head_and_package_export_at_once() {
    const IMPORTERS: usize = 4;
    const FILES: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    project_with_keys(dir);
    // A testimony to package while the others come in.
    let run = clew(dir, &["--project", "p", "import", example().to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let files: Vec<Vec<String>> =
        (0..IMPORTERS).map(|i| (0..FILES).map(|f| testimony(dir, &format!("C{i}-{f}"))).collect()).collect();
    let importing = Arc::new(AtomicBool::new(true));
    std::thread::scope(|scope| {
        let verifier = scope.spawn(|| {
            let mut runs = 0;
            while importing.load(Ordering::Relaxed) || runs < 2 {
                let run = clew(dir, &["--project", "p", "--json", "verify"]);
                // A commit during verification is not tampering: verify reads one snapshot.
                assert!(run.status.success(), "verify reported a problem that is none: {}", text(&run.stderr));
                runs += 1;
            }
            runs
        });
        let signer = scope.spawn(|| {
            let mut heads = Vec::new();
            while importing.load(Ordering::Relaxed) || heads.len() < 2 {
                let file = format!("head-{}.json", heads.len());
                let run = clew_pass(dir, &["--project", "p", "log", "head", "--out", &file]);
                assert!(run.status.success(), "log head: {}", text(&run.stderr));
                heads.push(file);
            }
            heads
        });
        let exporter = scope.spawn(|| {
            let mut packages = Vec::new();
            while importing.load(Ordering::Relaxed) || packages.is_empty() {
                let file = format!("package-{}.tar", packages.len());
                let args = ["--project", "p", "package", "export", "--testimony", "T-EXAMPLE-0001"];
                let run = clew_pass(dir, &[&args[..], &["--audience", "internal", "--out", &file]].concat());
                assert!(run.status.success(), "package export: {}", text(&run.stderr));
                packages.push(file);
            }
            packages
        });
        let importers: Vec<_> = files
            .iter()
            .map(|files| {
                scope.spawn(move || {
                    let mut acknowledged = Vec::new();
                    for file in files {
                        let run = clew(dir, &["--project", "p", "import", file]);
                        // Busy (exit 7) is an answer too: nothing was written, try again. Anything else is not.
                        match run.status.code() {
                            Some(0) => acknowledged.push(file.trim_end_matches(".yaml").to_string()),
                            Some(7) => {}
                            _ => panic!("import {file}: {}", text(&run.stderr)),
                        }
                    }
                    acknowledged
                })
            })
            .collect();
        let acknowledged: Vec<String> = importers.into_iter().flat_map(|i| i.join().unwrap()).collect();
        importing.store(false, Ordering::Relaxed);
        assert!(verifier.join().unwrap() >= 2);
        let heads = signer.join().unwrap();
        let packages = exporter.join().unwrap();
        assert!(!acknowledged.is_empty(), "no import got through");

        // Every acknowledged import is there, whole.
        for name in &acknowledged {
            let run = clew(dir, &["--project", "p", "--json", "entity", "show", &format!("T-{name}.spell1")]);
            assert!(run.status.success(), "{name} was acknowledged but is missing: {}", text(&run.stderr));
        }
        let run = clew(dir, &["--project", "p", "--json", "stats"]);
        let stats: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        // The example, and every acknowledged import.
        assert_eq!(stats["sources"][0], serde_json::json!(["testimony", acknowledged.len() + 1]), "{stats}");
        // Each head signed during the imports is one the final log extends, and the final log verifies.
        for head in &heads {
            let run = clew(dir, &["--project", "p", "verify", "--head", head]);
            assert!(run.status.success(), "{head}: {}", text(&run.stderr));
        }
        // So is the head each package carries (the log that verified, and the export's own event), and each
        // package checks out.
        for package in &packages {
            let run = clew_pass(dir, &["--json", "package", "verify", package]);
            assert!(run.status.success(), "{package}: {}", text(&run.stderr));
            let checked: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
            let head = format!("{}:{}", checked["tree_size"], checked["tree_head"].as_str().unwrap());
            let run = clew(dir, &["--project", "p", "verify", "--head", &head]);
            assert!(run.status.success(), "{package}: {}", text(&run.stderr));
        }
    });
}

/// A custody event slipped in behind clew's back while heads are signed: no head may cover it, as every head
/// is signed from the snapshot that verified.
#[test]
fn log_head_never_signs_what_it_did_not_verify() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    project_with_keys(dir);
    let tampered = Arc::new(AtomicBool::new(false));
    std::thread::scope(|scope| {
        let signer = scope.spawn(|| {
            let mut sizes = Vec::new();
            for attempt in 0..6 {
                let file = format!("head-{attempt}.json");
                let run = clew_pass(dir, &["--project", "p", "log", "head", "--out", &file]);
                if run.status.success() {
                    let head: serde_json::Value =
                        serde_json::from_str(&std::fs::read_to_string(dir.join(&file)).unwrap()).unwrap();
                    sizes.push(head["tree_size"].as_u64().unwrap());
                } else {
                    // Refused once the false event is there: a log that does not verify is never signed.
                    assert_eq!(run.status.code(), Some(6), "{}", text(&run.stderr));
                    assert!(tampered.load(Ordering::Relaxed));
                }
            }
            sizes
        });
        // Once a head was signed, so that there is one to check.
        while !dir.join("head-0.json").exists() && !signer.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        let database = rusqlite::Connection::open(dir.join("p/clew.db")).unwrap();
        database.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
        let seq: u64 = database
            .query_row(
                "INSERT INTO custody_event (batch, kind, detail, leaf_hash)
                 VALUES ((SELECT max(id) FROM batch), 'import', '{}', zeroblob(32)) RETURNING seq",
                [],
                |row| row.get(0),
            )
            .unwrap();
        tampered.store(true, Ordering::Relaxed);
        let sizes = signer.join().unwrap();
        assert!(!sizes.is_empty(), "no head was signed before the false event");
        assert!(sizes.iter().all(|size| *size < seq), "a head covers the false event {seq}: {sizes:?}");
    });
}

/// Two `clew keys custodian remove` at once, each of a different one of the project's two custodians: one
/// goes, the other is refused, and one custodian is left.
#[test]
fn two_custodian_removals_at_once_leave_one() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    init_project(dir, "p");
    let run = clew(dir, &["--project", "p", "--json", "keys", "custodian", "list"]);
    let custodians: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let keys: Vec<String> =
        custodians.as_array().unwrap().iter().map(|c| c["public_key"].as_str().unwrap().to_string()).collect();
    assert_eq!(keys.len(), 2);
    for round in 0..3 {
        let barrier = Barrier::new(2);
        let outcomes: Vec<Output> = std::thread::scope(|scope| {
            let removals: Vec<_> = keys
                .iter()
                .map(|key| {
                    let barrier = &barrier;
                    scope.spawn(move || {
                        barrier.wait();
                        clew(dir, &["--project", "p", "keys", "custodian", "remove", key])
                    })
                })
                .collect();
            removals.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let codes: Vec<Option<i32>> = outcomes.iter().map(|o| o.status.code()).collect();
        let refused = outcomes.iter().find(|o| !o.status.success()).expect("one removal is refused");
        assert!(codes.contains(&Some(0)) && codes.contains(&Some(2)), "round {round}: {codes:?}");
        assert!(text(&refused.stderr).contains("that is the project's last custodian"), "{}", text(&refused.stderr));
        let run = clew(dir, &["--project", "p", "--json", "keys", "custodian", "list"]);
        let left: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(left.as_array().unwrap().len(), 1, "round {round}: {left}");
        // The removed one comes back for the next round; the log stays true throughout.
        let removed = keys.iter().find(|k| *k != left[0]["public_key"].as_str().unwrap()).unwrap();
        let run = clew(dir, &["--project", "p", "keys", "custodian", "add", removed, "--label", "again"]);
        assert!(run.status.success(), "{}", text(&run.stderr));
    }
    let run = clew(dir, &["--project", "p", "verify"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
}
