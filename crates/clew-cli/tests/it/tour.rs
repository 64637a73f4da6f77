//! The README's tour, run as written: the block between `<!-- tour:start -->` and `<!-- tour:end -->` of
//! README.md, step by step, in a fresh home folder outside the checkout, with the passphrase from the environment
//! (a terminal would ask it). Each step's output is checked, and no input file is written over.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{standard_tool, text};

/// The README's lines that set the tour up; the test stands in for them (the binary under test is on the PATH,
/// the sample folders are named the same way).
const SETUP: [&str; 6] = [
    "# From the folder you cloned clew into: build it, put it on the PATH, and name the sample files.",
    "cargo build --release",
    "export PATH=\"$PWD/target/release:$PATH\"",
    "tour=\"$PWD/docs/tour\"",
    "lists=\"$PWD/crates/clew-screen/test_data/lists\"",
    "cd ~",
];

/// What each step must print (standard output and error together), in order of the step.
const EXPECTED: [(u32, &[&str]); 14] = [
    (1, &["SYNTHETIC", "1000 testimonies", "Company", "spells by ICLS 2018", "work spells", "median"]),
    (2, &["Created clew project `my-project`", "Keys created", "custodian-a.pub", "Added custodian `custodian B`"]),
    (3, &["1 record in 1 file valid"]),
    (4, &["1 record in 1 file imported", "Employment T-EXAMPLE-0001.spell1", "(fictional)"]),
    (5, &["exported"]),
    (6, &["audio/wav", "image/jpeg", "stripped"]),
    (7, &["custodian-add", "wrote", "verified"]),
    (8, &["SYNTHETIC-PROTECTED-NAME-0001"]),
    (9, &["Wrote", "verified: 3 file(s) match SHA256SUMS"]),
    (10, &["wrote", "Removed custodian", "Re-sealed"]),
    (11, &["ICLS 2018: FL", "employer paid:   60000 RUB per month (≈ 853 USD)", "(n=1 witness: too few to mean much)"]),
    (12, &["MATCH ofac-19611", "MATCH ofac-30083", "inferred from"]),
    (13, &["comparisons", "20 links", "the model is least sure of", "prior", "people seen on 4 list(s)"]),
    (14, &["wrote", "extends its first", "its history was only appended to"]),
];

/// The tour block of README.md, split into its setup lines and its numbered steps.
fn tour() -> (Vec<String>, Vec<(u32, String)>) {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let block = readme.split("<!-- tour:start -->").nth(1).expect("README.md has a tour").split("<!-- tour:end -->");
    let block = block.into_iter().next().unwrap();
    let body = block.trim().strip_prefix("```sh").and_then(|b| b.strip_suffix("```")).expect("one sh block");
    let (mut setup, mut steps) = (Vec::new(), Vec::<(u32, String)>::new());
    for line in body.lines() {
        let number =
            line.strip_prefix("# ").and_then(|rest| rest.split_once('.')).and_then(|(n, _)| n.parse::<u32>().ok());
        match (number, steps.last_mut()) {
            (Some(number), _) => steps.push((number, format!("{line}\n"))),
            (None, Some((_, step))) => {
                step.push_str(line);
                step.push('\n');
            }
            (None, None) if !line.trim().is_empty() => setup.push(line.trim().to_string()),
            (None, None) => {}
        }
    }
    (setup, steps)
}

/// Every file under `dir` with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn the_readme_tour_works_as_written() {
    if !standard_tool("age", "--version") {
        return;
    }
    let (setup, steps) = tour();
    let given: Vec<&str> = setup.iter().map(String::as_str).collect();
    assert_eq!(given, SETUP, "the tour's setup changed: update SETUP in this test (in order)");
    let numbers: Vec<u32> = steps.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, (1..=14).collect::<Vec<_>>(), "the tour's steps are numbered 1 to 14");

    let repo = std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")).unwrap();
    let inputs = [repo.join("docs/tour"), repo.join("docs/examples"), repo.join("crates/clew-screen/test_data/lists")];
    let before: Vec<_> = inputs.iter().map(|dir| snapshot(dir)).collect();

    let dir = tempfile::tempdir().unwrap();
    let (home, bin, logs) = (dir.path().join("home"), dir.path().join("bin"), dir.path().join("logs"));
    for folder in [&home, &bin, &logs] {
        std::fs::create_dir(folder).unwrap();
    }
    // `clew` on the PATH is the program under test, given the passphrase as a script gives it.
    let wrapper = bin.join("clew");
    std::fs::write(
        &wrapper,
        format!("#!/bin/sh\nexec '{}' --passphrase-env CLEW_TOUR_PASSPHRASE \"$@\"\n", env!("CARGO_BIN_EXE_clew")),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    // The commands are traced to a file of their own, so that a step's checks see only what clew printed.
    let mut script = format!(
        "set -euo pipefail\nexec 9>'{}'\nBASH_XTRACEFD=9\nexport PATH='{}':\"$PATH\"\ntour='{}'\nlists='{}'\ncd ~\n",
        logs.join("commands").display(),
        bin.display(),
        repo.join("docs/tour").display(),
        repo.join("crates/clew-screen/test_data/lists").display()
    );
    for (number, step) in &steps {
        // Each step's output to a file of its own; the commands too (set -x), to say which one failed.
        script.push_str(&format!("exec >'{}' 2>&1\nset -x\n{step}set +x\n", logs.join(format!("{number}")).display()));
    }
    let run = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("HOME", &home)
        .env_remove("CLEW_PROJECT")
        .env("CLEW_USER", "tour")
        .env("CLEW_TOUR_PASSPHRASE", "a synthetic tour passphrase")
        .current_dir(&home)
        .output()
        .unwrap();
    let log = |number: u32| std::fs::read_to_string(logs.join(format!("{number}"))).unwrap_or_default();
    let last = (1..=14).rev().find(|n| logs.join(format!("{n}")).exists()).unwrap_or(0);
    let commands = std::fs::read_to_string(logs.join("commands")).unwrap_or_default();
    let tail: Vec<&str> = commands.lines().rev().take(3).collect();
    assert!(
        run.status.success(),
        "the tour stopped in step {last}, after: {tail:?}\n{}\n{}",
        log(last),
        text(&run.stderr)
    );

    if let Some(keep) = std::env::var_os("CLEW_TOUR_LOGS") {
        for number in 1..=14 {
            std::fs::write(Path::new(&keep).join(format!("step-{number}.txt")), log(number)).unwrap();
        }
    }
    for (number, needles) in EXPECTED {
        let shown = log(number);
        for needle in needles {
            assert!(shown.contains(needle), "step {number} should print `{needle}`:\n{shown}");
        }
    }
    // Nothing of the checkout was written over, and nothing was added to it.
    for (dir, before) in inputs.iter().zip(&before) {
        assert_eq!(&snapshot(dir), before, "{} changed", dir.display());
    }
    // Where things ended up: the project on its own, the keys apart, the plain-text originals gone.
    let project = home.join("projects/my-project");
    assert!(project.join("clew.toml").is_file());
    for name in ["custodian-a.key", "custodian-b.key", "officer.key", "T-0001.yaml", "interview-synthetic.wav"] {
        let found = snapshot(&project).into_keys().find(|p| p.file_name().is_some_and(|n| n == name));
        assert_eq!(found, None, "{name} is inside the project");
    }
    for gone in ["intake/T-0001.yaml", "intake/interview-synthetic.wav", "keys/custodian-a.key"] {
        assert!(!home.join(gone).exists(), "{gone} should be gone");
    }
    let head: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.join("head.json")).unwrap()).unwrap();
    assert!(head["signature"].as_str().is_some_and(|s| s.len() == 128), "{head}");
}
