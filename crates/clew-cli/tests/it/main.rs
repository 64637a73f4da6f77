//! End-to-end tests of the `clew` program as a user runs it: real processes, real project directories.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod architecture;
#[path = "../../../clew-server/tests/support/browser.rs"]
mod browser_support;
mod concurrency;
mod dossier;
mod estimate;
mod first_hour;
mod hardening;
mod inbox;
mod kill;
mod line_browser;
mod link;
mod package;
mod screen;
mod tour;
mod user;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn clew(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clew"))
        .args(args)
        .current_dir(dir)
        .env_remove("CLEW_PROJECT")
        .env("CLEW_USER", "tester")
        .output()
        .unwrap()
}

/// `clew ARGS` with the passphrase of the project's keys in `$PASS`, as a script gives it.
fn clew_with_passphrase(dir: &Path, args: &[&str], passphrase: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clew"))
        .args(["--passphrase-env", "PASS"])
        .args(args)
        .current_dir(dir)
        .env_remove("CLEW_PROJECT")
        .env("CLEW_USER", "tester")
        .env("PASS", passphrase)
        .output()
        .unwrap()
}

/// `clew init NAME`, then a custodian key made (`NAME.key`) and added, as a team would set up a project.
fn init_project(dir: &Path, name: &str) {
    for args in [vec!["init", name, "--no-keys"], vec!["keys", "custodian", "new", "--out", &format!("{name}.key")]] {
        let run = clew(dir, &args);
        assert!(run.status.success(), "{}", text(&run.stderr));
    }
    let run = clew(dir, &["--json", "keys", "custodian", "new", "--out", &format!("{name}-second.key")]);
    let second: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let first = std::fs::read_to_string(dir.join(format!("{name}.key"))).unwrap();
    let first = first.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().to_string();
    for key in [first.as_str(), second["public_key"].as_str().unwrap()] {
        let run = clew(dir, &["--project", name, "keys", "custodian", "add", key, "--label", "test custodian"]);
        assert!(run.status.success(), "{}", text(&run.stderr));
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/testimony-synthetic.yaml")
}

#[test]
fn init_import_show_stats_export() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let example = example();
    let run = clew(dir.path(), &["--project", "p", "import", example.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("1 new"), "{}", text(&run.stdout));

    let run = clew(dir.path(), &["--project", "p", "entity", "show", "T-EXAMPLE-0001.spell1"]);
    let shown = text(&run.stdout);
    assert!(run.status.success(), "{}", text(&run.stderr));
    // Each property with its testimony and segment, and the witness's words.
    assert!(shown.contains("Hours worked per day (hoursPerDay)"), "{shown}");
    assert!(shown.contains("← T-EXAMPLE-0001 segment:s2 · tester"), "{shown}");
    assert!(shown.contains("I worked 12 hours a day"), "{shown}");

    let run = clew(dir.path(), &["--project", "p", "--json", "entity", "show", "T-EXAMPLE-0001.spell1"]);
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json["schema"], "Employment");
    assert_eq!(json["properties"]["hoursPerDay"][0]["statement"]["locator"], "segment:s2");
    assert!(json["properties"]["hoursPerDay"][0]["segment_text"].as_str().unwrap().contains("12 hours"));

    let run = clew(dir.path(), &["--project", "p", "--json", "entity", "list", "--schema", "LegalEntity"]);
    let rows: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let schemata: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["schema"].as_str().unwrap()).collect();
    assert!(
        schemata.contains(&"Company") && schemata.contains(&"PublicBody") && schemata.contains(&"Person"),
        "{schemata:?}"
    );

    let run = clew(dir.path(), &["--project", "p", "--json", "stats"]);
    let stats: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(stats["sources"][0], serde_json::json!(["testimony", 1]));

    let run = clew(dir.path(), &["--project", "p", "export", "--format", "ftm"]);
    assert!(run.status.success());
    let exported = text(&run.stdout);
    assert!(exported.lines().all(|line| serde_json::from_str::<serde_json::Value>(line).is_ok()));
    assert!(!exported.contains("witness:"), "restricted statements stay out by default");
    assert!(!exported.contains("SYNTHETIC-PROTECTED"));
}

#[test]
fn invalid_input_exits_3_lists_every_problem_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let bad = std::fs::read_to_string(example())
        .unwrap()
        .replacen("date: 2025-03\n", "date: 2025-02-30\n", 1)
        .replacen("segments: [s5]", "segments: [s9]", 1);
    std::fs::write(dir.path().join("bad.yaml"), bad).unwrap();
    let run = clew(dir.path(), &["--project", "p", "import", "bad.yaml"]);
    assert_eq!(run.status.code(), Some(3));
    let errors = text(&run.stderr);
    assert!(errors.contains("bad.yaml:9:9: field `interview.date`: day 30 does not exist"), "{errors}");
    assert!(errors.contains("cites segment `s9`, which does not exist"), "{errors}");
    assert!(errors.contains("2 problems found; nothing was written"), "{errors}");
    let run = clew(dir.path(), &["--project", "p", "--json", "stats"]);
    let stats: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(stats["statements"], 0);

    // `validate` needs no project and says the same.
    let run = clew(dir.path(), &["--json", "validate", "bad.yaml"]);
    assert_eq!(run.status.code(), Some(3));
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json["error"]["code"], "invalid_input");
    assert_eq!(json["error"]["diagnostics"].as_array().unwrap().len(), 2);
    assert_eq!(json["error"]["diagnostics"][0]["pos"]["line"], 9);
}

#[test]
fn standard_input_and_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let mut child = Command::new(env!("CARGO_BIN_EXE_clew"))
        .args(["--project", "p", "import", "--dry-run", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), std::fs::read(example()).unwrap().as_slice()).unwrap();
    let run = child.wait_with_output().unwrap();
    assert!(run.status.success());
    assert!(text(&run.stdout).contains("dry run, nothing written"), "{}", text(&run.stdout));
    let run = clew(dir.path(), &["--project", "p", "--json", "stats"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap()["statements"], 0);
}

#[test]
fn not_a_project_exits_4_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["stats"]);
    assert_eq!(run.status.code(), Some(4));
    assert!(text(&run.stderr).contains("is not a clew project"), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("clew init"));
}

#[test]
fn demo_creates_a_synthetic_project_and_replaces_only_a_demo() {
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "30", "--seed", "7"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("SYNTHETIC"));
    let first = clew(dir.path(), &["--project", "d", "--json", "entity", "show", "T-DEMO-000000.spell1"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let spell: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(spell["properties"]["synthetic"][0]["statement"]["value"], "true");
    assert_eq!(spell["properties"]["employee"][0]["statement"]["sensitivity"], "restricted");
    // Running the demo again with the same seed replaces it with the same data.
    let listing =
        |dir: &Path| clew(dir, &["--project", "d", "--json", "entity", "show", "T-DEMO-000029.spell1"]).stdout;
    let before = listing(dir.path());
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "30", "--seed", "7"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let values = |bytes: &[u8]| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        json["properties"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|v| v.as_array().unwrap().clone())
            .map(|s| format!("{} {}", s["statement"]["id"], s["statement"]["value"]))
            .collect()
    };
    assert_eq!(values(&listing(dir.path())), values(&before));
    let other_seed = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "30", "--seed", "8"]);
    assert!(other_seed.status.success());
    assert_ne!(values(&listing(dir.path())), values(&before));
    // A directory that is not a demo project is never replaced.
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/notes.txt"), "keep me").unwrap();
    let run = clew(dir.path(), &["demo", "--dir", "mine", "--testimonies", "3"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.path().join("mine/notes.txt")).unwrap(), "keep me");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "50"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_clew"))
        .args(["--project", "d", "entity", "list", "--limit", "100000"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let run = child.wait_with_output().unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stderr).is_empty(), "{}", text(&run.stderr));
}

#[test]
fn schema_testimony_prints_the_json_schema_and_help_lists_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["schema", "testimony"]);
    let schema: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(schema["properties"]["format"]["const"], "clew-testimony/1");
    let run = clew(dir.path(), &["--help"]);
    let help = text(&run.stdout);
    assert!(help.contains("Exit codes:") && help.contains("3  invalid input"), "{help}");
}

/// Starts clew, kills it (SIGKILL) after `delay_ms`, and tells whether it had finished successfully first.
fn run_then_kill(dir: &Path, args: &[&str], delay_ms: u64) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clew"))
        .args(args)
        .current_dir(dir)
        .env("CLEW_USER", "tester")
        .env("PASS", "clew-demo-passphrase")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(delay_ms));
    child.kill().unwrap();
    child.wait().unwrap().success()
}

/// Many copies of the example testimony as JSON Lines, each with its own id (`PREFIX-00000`, ...).
fn bulk_jsonl(prefix: &str, count: usize) -> String {
    let example = std::fs::read_to_string(example()).unwrap();
    let template = clew_model::doc::parse(&example, clew_model::doc::TextFormat::Yaml).unwrap()[0].to_json();
    let mut out = String::new();
    for index in 0..count {
        let mut record = template.clone();
        record["id"] = format!("{prefix}-{index:05}").into();
        record["witness"]["pseudonym"] = format!("W-{prefix}-{index:05}").into();
        out.push_str(&record.to_string());
        out.push('\n');
    }
    out
}

#[test]
fn a_huge_file_is_refused_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    // 1 GiB, sparse: nothing is written to disk, and clew must not read it.
    std::fs::File::create(dir.path().join("huge.json")).unwrap().set_len(1 << 30).unwrap();
    let run = clew(dir.path(), &["--project", "p", "import", "huge.json"]);
    assert_eq!(run.status.code(), Some(3));
    assert!(
        text(&run.stderr).contains("huge.json: the file is 1024 MiB; clew reads files up to 256 MiB"),
        "{}",
        text(&run.stderr)
    );
}

#[test]
fn a_corrected_testimony_keeps_its_history() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let original = std::fs::read_to_string(example()).unwrap();
    std::fs::write(dir.path().join("t.yaml"), &original).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    std::fs::write(
        dir.path().join("t.yaml"),
        original.replacen("hours_per_day: {value: 12,", "hours_per_day: {value: 14,", 1),
    )
    .unwrap();
    let run = clew(dir.path(), &["--project", "p", "import", "t.yaml"]);
    assert!(text(&run.stdout).contains("1 changed"), "{}", text(&run.stdout));
    let run = clew(dir.path(), &["--project", "p", "entity", "show", "T-EXAMPLE-0001.spell1", "--history"]);
    let shown = text(&run.stdout);
    assert!(shown.contains("retracted  hoursPerDay = 12"), "{shown}");
    assert!(shown.contains("retraction hoursPerDay = 12"), "{shown}");
    assert!(shown.contains("active     hoursPerDay = 14"), "{shown}");
}

#[test]
fn protected_data_opens_only_with_a_custodian_key() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let run = clew(dir.path(), &["--project", "p", "import", example().to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    for key in ["p.key", "p-second.key"] {
        let run = clew(dir.path(), &["--project", "p", "protected", "show", "T-EXAMPLE-0001", "--identity", key]);
        assert!(run.status.success(), "{}", text(&run.stderr));
        assert!(text(&run.stdout).contains("SYNTHETIC-PROTECTED-NAME-0001"));
    }
    let run = clew(dir.path(), &["--json", "keys", "custodian", "list", "--project", "p"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap().as_array().unwrap().len(), 2);

    // Someone else's key, a file that is no key, a public key pasted in the wrong place.
    clew(dir.path(), &["keys", "custodian", "new", "--out", "stranger.key"]);
    std::fs::write(dir.path().join("notes.txt"), "not a key").unwrap();
    for (key, message) in [
        ("stranger.key", "cannot open the protected data with this key"),
        ("notes.txt", "notes.txt holds no age secret key"),
    ] {
        let run = clew(dir.path(), &["--project", "p", "protected", "show", "T-EXAMPLE-0001", "--identity", key]);
        assert_eq!(run.status.code(), Some(5), "{}", text(&run.stderr));
        assert!(text(&run.stderr).contains(message), "{}", text(&run.stderr));
        assert!(!text(&run.stdout).contains("SYNTHETIC-PROTECTED"));
    }
    let run = clew(dir.path(), &["--project", "p", "keys", "custodian", "add", "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQ"]);
    assert_eq!(run.status.code(), Some(5));
    assert!(!text(&run.stderr).contains("QQQQQQQQQQQQQQQQ"), "a secret pasted by mistake is not echoed whole");
    // An existing key file is never overwritten.
    let before = std::fs::read(dir.path().join("p.key")).unwrap();
    let run = clew(dir.path(), &["keys", "custodian", "new", "--out", "p.key"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read(dir.path().join("p.key")).unwrap(), before);
}

#[test]
fn no_protected_plaintext_anywhere_in_a_demo_project() {
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "200"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    // Every byte of every file the project holds (database, WAL, config), except the demo custodian's key.
    let mut searched = 0;
    let mut stack = vec![dir.path().join("d")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if !path.ends_with("custodian-DEMO-ONLY.key") {
            let bytes = std::fs::read(&path).unwrap();
            assert!(!bytes.windows(19).any(|w| w == b"SYNTHETIC-PROTECTED"), "plaintext in {}", path.display());
            searched += bytes.len();
        }
    }
    assert!(searched > 100_000, "the search read the project ({searched} bytes)");
    // ...and the custodian can still read it.
    let run = clew(
        dir.path(),
        &["--project", "d", "protected", "show", "T-DEMO-000199", "--identity", "d/custodian-DEMO-ONLY.key"],
    );
    assert!(text(&run.stdout).contains("SYNTHETIC-PROTECTED-NAME-000199"), "{}", text(&run.stderr));
}

/// Whether a standard tool (age, openssl, python3, sha256sum, tar) runs here. Tests that show clew's output
/// checks out without clew need them, so a missing tool fails the test: only an explicit
/// `CLEW_SKIP_MISSING_TOOLS=1` (never set by `.ci/run`, which installs the tools) skips it, and says so.
fn standard_tool(name: &str, version_arg: &str) -> bool {
    let present = Command::new(name).arg(version_arg).output().is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CLEW_SKIP_MISSING_TOOLS").is_some(),
            "`{name}` is not installed: install it (apt-get install {name}) or set CLEW_SKIP_MISSING_TOOLS=1 to skip"
        );
        eprintln!("skipped (CLEW_SKIP_MISSING_TOOLS): `{name}` is not installed");
    }
    present
}

/// A custodian can open sealed data with the standard `age` tool, without clew.
#[test]
fn the_standard_age_tool_opens_sealed_data() {
    if !standard_tool("age", "--version") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    assert!(clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "3"]).status.success());
    std::fs::write(dir.path().join("p.age"), first_sealed_block(&dir.path().join("d/clew.db"))).unwrap();
    let run = Command::new("age")
        .args(["-d", "-i", "d/custodian-DEMO-ONLY.key", "p.age"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("SYNTHETIC-PROTECTED-NAME-"), "{}", text(&run.stdout));
}

/// The first sealed protected block in a project database (read with SQL: the CLI offers no command that
/// exports sealed data, by design).
fn first_sealed_block(database: &Path) -> Vec<u8> {
    let connection = rusqlite::Connection::open(database).unwrap();
    connection.query_row("SELECT sealed FROM protected LIMIT 1", [], |row| row.get(0)).unwrap()
}

#[test]
fn attachments_are_sealed_content_addressed_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    assert!(clew(dir.path(), &["--project", "p", "import", example().to_str().unwrap()]).status.success());
    let content = b"SYNTHETIC-RECORDING ".repeat(10_000);
    std::fs::write(dir.path().join("W-SYNTHETIC-NAME-interview.mp3"), &content).unwrap();
    let run =
        clew(dir.path(), &["--project", "p", "--json", "attach", "T-EXAMPLE-0001", "W-SYNTHETIC-NAME-interview.mp3"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let attached: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let sha256 = attached[0]["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha256, sha256sum::hex(&content));
    assert_eq!(attached[0]["media_type"], "audio/mpeg");

    let run = clew(dir.path(), &["--project", "p", "--json", "attachment", "list", "T-EXAMPLE-0001"]);
    let listed: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(listed[0]["sha256"], sha256.as_str());
    assert_eq!(listed[0]["size"], content.len());
    // Neither the recording nor its file name (which can name a witness) is anywhere in the project in clear.
    let mut stack = vec![dir.path().join("p")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            for secret in [&b"SYNTHETIC-RECORDING"[..], b"W-SYNTHETIC-NAME"] {
                assert!(!bytes.windows(secret.len()).any(|w| w == secret), "clear text in {}", path.display());
            }
        }
    }
    // Attaching again changes nothing; a missing file or testimony is refused with nothing sealed.
    let run = clew(dir.path(), &["--project", "p", "attach", "T-EXAMPLE-0001", "W-SYNTHETIC-NAME-interview.mp3"]);
    assert!(text(&run.stdout).contains("(already attached)"), "{}", text(&run.stdout));
    let blobs = || std::fs::read_dir(dir.path().join("p/blobs")).unwrap().count();
    let before = blobs();
    std::fs::write(dir.path().join("other.pdf"), b"another synthetic file").unwrap();
    let run = clew(dir.path(), &["--project", "p", "attach", "T-EXAMPLE-0001", "other.pdf", "missing.pdf"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("missing.pdf"), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "p", "attach", "T-NOPE", "other.pdf"]);
    assert!(text(&run.stderr).contains("testimony `T-NOPE` is not in this project"), "{}", text(&run.stderr));
    assert_eq!(blobs(), before);
}

/// `--strip-metadata`: the GPS position and device data of a photo never reach the vault; the original's
/// hash is recorded; an image clew cannot strip is refused with nothing attached.
#[test]
fn metadata_is_stripped_from_images_on_request_and_the_original_hash_kept() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    assert!(clew(dir.path(), &["--project", "p", "import", example().to_str().unwrap()]).status.success());
    let photo = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/synthetic-gps.jpg");
    let original = std::fs::read(&photo).unwrap();
    std::fs::copy(&photo, dir.path().join("photo.jpg")).unwrap();
    std::fs::write(dir.path().join("scan.pdf"), b"%PDF synthetic").unwrap();
    let run = clew(
        dir.path(),
        &["--project", "p", "--json", "attach", "T-EXAMPLE-0001", "photo.jpg", "scan.pdf", "--strip-metadata"],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let attached: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(attached[0]["original"]["sha256"], sha256sum::hex(&original).as_str());
    assert_eq!(attached[0]["original"]["stripped"], serde_json::json!(["exif", "xmp"]));
    assert_ne!(attached[0]["sha256"], attached[0]["original"]["sha256"]);
    assert_eq!(attached[1]["metadata_kept"], true, "a PDF is attached whole, and the user told so");
    let listed = clew(dir.path(), &["--project", "p", "attachment", "list", "T-EXAMPLE-0001"]);
    assert!(text(&listed.stdout).contains("metadata stripped: exif, xmp"), "{}", text(&listed.stdout));

    // The custodian opens the stripped photo: the picture is there, the position is not.
    let sha256 = attached[0]["sha256"].as_str().unwrap();
    let sealed = std::fs::read(dir.path().join(format!("p/blobs/{sha256}.age"))).unwrap();
    let key = std::fs::read_to_string(dir.path().join("p.key")).unwrap();
    let stripped = clew_vault::open(&clew_vault::Identity::parse(&key, "p.key").unwrap(), &sealed).unwrap();
    assert!(!stripped.windows(13).any(|w| w == b"SYNTHETIC-GPS"));
    assert!(!stripped.windows(13).any(|w| w == b"SYNTHETIC-XMP"));
    assert!(stripped.starts_with(&[0xFF, 0xD8]) && stripped.ends_with(&[0xFF, 0xD9]));
    assert_eq!(
        stripped.len(),
        original.len() - 40 - 76,
        "exactly the two metadata segments (40 and 76 bytes) are gone"
    );

    // An image clew cannot strip: refused, nothing sealed.
    let blobs = std::fs::read_dir(dir.path().join("p/blobs")).unwrap().count();
    std::fs::write(dir.path().join("photo.heic"), b"synthetic heic").unwrap();
    let run = clew(dir.path(), &["--project", "p", "attach", "T-EXAMPLE-0001", "photo.heic", "--strip-metadata"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("cannot strip metadata from image/heic"), "{}", text(&run.stderr));
    assert_eq!(std::fs::read_dir(dir.path().join("p/blobs")).unwrap().count(), blobs);
    assert!(clew(dir.path(), &["--project", "p", "verify", "--identity", "p.key"]).status.success());
}

/// SHA-256 by the standard `sha256sum` tool (coreutils), independent of clew's own hashing.
mod sha256sum {
    pub fn hex(bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("content");
        std::fs::write(&path, bytes).unwrap();
        let run = std::process::Command::new("sha256sum").arg(&path).output().unwrap();
        String::from_utf8(run.stdout).unwrap()[..64].to_string()
    }
}

#[test]
fn the_custody_log_records_writes_and_sensitive_reads_and_verify_names_tampering() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    assert!(clew(dir.path(), &["--project", "p", "import", example().to_str().unwrap()]).status.success());
    std::fs::write(dir.path().join("scan.pdf"), b"a synthetic scan").unwrap();
    assert!(clew(dir.path(), &["--project", "p", "attach", "T-EXAMPLE-0001", "scan.pdf"]).status.success());
    let run = clew(dir.path(), &["--project", "p", "protected", "show", "T-EXAMPLE-0001", "--identity", "p.key"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(clew(dir.path(), &["--project", "p", "export", "--out", "x.json"]).status.success());

    let run = clew(dir.path(), &["--project", "p", "--json", "log", "show"]);
    let events: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["custodian-add", "custodian-add", "import", "attach", "protected-read", "export"]);
    assert_eq!(events[4]["detail"], r#"{"testimony":"T-EXAMPLE-0001"}"#);
    assert_eq!(events[4]["recorded_by"], "tester");

    let run = clew(dir.path(), &["--project", "p", "--json", "verify", "--identity", "p.key"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let verified: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let run = clew(dir.path(), &["--project", "p", "--json", "log", "head", "--unsigned"]);
    let head: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(head["tree_head"], verified["tree_head"]);
    assert_eq!(head["tree_size"], 6);

    // A log cut back to fewer events than a tree head given earlier, or rewritten before it, is caught.
    let anchor = format!("{}:{}", head["tree_size"], head["tree_head"].as_str().unwrap());
    assert!(clew(dir.path(), &["--project", "p", "verify", "--head", &anchor]).status.success());
    let database = rusqlite::Connection::open(dir.path().join("p/clew.db")).unwrap();
    database.execute("DELETE FROM custody_event WHERE seq = 6", []).unwrap();
    let run = clew(dir.path(), &["--project", "p", "verify", "--head", &anchor]);
    assert_eq!(run.status.code(), Some(6));
    assert!(text(&run.stderr).contains("it has 5 events, but the tree head given was for 6: the log was truncated"));
    let run = clew(
        dir.path(),
        &["--project", "p", "verify", "--head", "3:0000000000000000000000000000000000000000000000000000000000000000"],
    );
    assert!(
        text(&run.stderr).contains("first 3 events no longer hash to the tree head given"),
        "{}",
        text(&run.stderr)
    );

    // Tampering, each named: an altered statement, an altered event, a deleted event, an altered blob, a
    // missing blob.
    assert_eq!(database.execute("UPDATE statement SET value = '9' WHERE value = '12'", []).unwrap(), 1);
    assert_eq!(
        database.execute("UPDATE segment SET text = text || '!' WHERE id = (SELECT min(id) FROM segment)", []).unwrap(),
        1
    );
    database
        .execute(
            "INSERT INTO segment (source, generation, id, lang, text) SELECT source, generation, 'planted', 'en', \
             'words never said' FROM segment LIMIT 1",
            [],
        )
        .unwrap();
    database.execute("UPDATE source SET withdrawn = 'publication'", []).unwrap();
    database
        .execute("INSERT INTO custodian (public_key, label, batch) VALUES ('age1planted', 'planted', 1)", [])
        .unwrap();
    database.execute("INSERT INTO batch (recorded_by, recorded_at, operation) VALUES ('x', 'y', 'z')", []).unwrap();
    database
        .execute(
            "INSERT INTO statement SELECT randomblob(16), entity, property, 'planted', source, locator, \
             (SELECT max(id) FROM batch), confidence, sensitivity, NULL, reference FROM statement LIMIT 1",
            [],
        )
        .unwrap();
    database.execute("UPDATE custody_event SET detail = '{\"testimony\":\"T-OTHER\"}' WHERE seq = 5", []).unwrap();
    database.execute("DELETE FROM custody_event WHERE seq = 2", []).unwrap();
    drop(database);
    let run = clew(dir.path(), &["--project", "p", "--json", "attachment", "list", "T-EXAMPLE-0001"]);
    let listed: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let sha = listed[0]["sha256"].as_str().unwrap().to_string();
    let blob = dir.path().join(format!("p/blobs/{sha}.age"));
    let mut sealed = std::fs::read(&blob).unwrap();
    let last = sealed.len() - 1;
    sealed[last] ^= 1;
    std::fs::write(&blob, sealed).unwrap();
    let run = clew(dir.path(), &["--project", "p", "verify", "--identity", "p.key"]);
    assert_eq!(run.status.code(), Some(6));
    let problems = text(&run.stderr);
    assert!(problems.contains("events 2 to 2 are missing"), "{problems}");
    assert!(problems.contains("statements: those written by event 3 (import at"), "{problems}");
    assert!(problems.contains("segments or consent records: those written by event 3 (import)"), "{problems}");
    assert!(problems.contains("it has segments or consent records its import did not write"), "{problems}");
    assert!(
        problems.contains("the withdrawal in force (publication) is not the one its consent record says (none)"),
        "{problems}"
    );
    // ...and the altered row itself, by its id.
    let altered = problems.lines().find(|l| l.contains("its content no longer hashes to its id")).unwrap_or_default();
    assert!(altered.starts_with("statement ") && altered.contains("from T-EXAMPLE-0001"), "{problems}");
    assert_eq!(problems.matches("its content no longer hashes to its id").count(), 1, "{problems}");
    assert!(
        problems.contains("age1planted (`planted`) is in the project, but no custody event records adding it"),
        "{problems}"
    );
    assert!(problems.contains("which no custody event records (added behind clew's back)"), "{problems}");
    // The planted statement is newer than the one its source records as its newest.
    assert!(problems.contains("its record of its newest statement is wrong"), "{problems}");
    assert!(problems.contains("event 5 (protected-read) does not match the hash recorded"), "{problems}");
    assert!(problems.contains(&format!("attachment {sha} of T-EXAMPLE-0001: the blob")), "{problems}");
    std::fs::remove_file(&blob).unwrap();
    let run = clew(dir.path(), &["--project", "p", "verify"]);
    assert!(text(&run.stderr).contains("is missing"), "{}", text(&run.stderr));
}

#[test]
fn signed_tree_heads_anchor_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let with_passphrase = |args: &[&str], passphrase: &str| {
        Command::new(env!("CARGO_BIN_EXE_clew"))
            .args(args)
            .current_dir(dir.path())
            .env("CLEW_USER", "tester")
            .env("PASS", passphrase)
            .output()
            .unwrap()
    };
    let run = with_passphrase(&["--passphrase-env", "PASS", "init", "p"], "a long synthetic passphrase");
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("Keys created"));
    clew(dir.path(), &["--project", "p", "keys", "custodian", "new", "--out", "c.key"]);
    let key = std::fs::read_to_string(dir.path().join("c.key")).unwrap();
    let key = key.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().to_string();
    assert!(clew(dir.path(), &["--project", "p", "keys", "custodian", "add", &key]).status.success());

    let run =
        with_passphrase(&["--project", "p", "--passphrase-env", "PASS", "log", "head"], "a long synthetic passphrase");
    assert!(run.status.success(), "{}", text(&run.stderr));
    std::fs::write(dir.path().join("head.json"), &run.stdout).unwrap();
    let signed: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(signed["tree_size"], 3, "key creations (2) and a custodian");
    assert_eq!(signed["signature"].as_str().unwrap().len(), 128);
    assert!(clew(dir.path(), &["--project", "p", "verify", "--head", "head.json"]).status.success());

    // The wrong passphrase, a damaged key file.
    let run = with_passphrase(&["--project", "p", "--passphrase-env", "PASS", "log", "head"], "not the passphrase");
    assert_eq!(run.status.code(), Some(5));
    assert!(text(&run.stderr).contains("wrong passphrase"), "{}", text(&run.stderr));
    let locked = std::fs::read(dir.path().join("p/keys/signing-key.age")).unwrap();
    std::fs::write(dir.path().join("p/keys/signing-key.age"), b"damaged").unwrap();
    let run =
        with_passphrase(&["--project", "p", "--passphrase-env", "PASS", "log", "head"], "a long synthetic passphrase");
    assert_eq!(run.status.code(), Some(5));
    assert!(text(&run.stderr).contains("is damaged"), "{}", text(&run.stderr));
    std::fs::write(dir.path().join("p/keys/signing-key.age"), locked).unwrap();
    // More history is fine; rewritten history is not.
    assert!(clew(dir.path(), &["--project", "p", "import", example().to_str().unwrap()]).status.success());
    assert!(clew(dir.path(), &["--project", "p", "verify", "--head", "head.json"]).status.success());
    let database = rusqlite::Connection::open(dir.path().join("p/clew.db")).unwrap();
    database.execute("UPDATE custody_event SET leaf_hash = zeroblob(32) WHERE seq = 1", []).unwrap();
    drop(database);
    let run = clew(dir.path(), &["--project", "p", "verify", "--head", "head.json"]);
    assert_eq!(run.status.code(), Some(6));
    assert!(
        text(&run.stderr).contains("first 3 events no longer hash to the tree head given"),
        "{}",
        text(&run.stderr)
    );

    // A forged head; and a tampered log is never signed.
    let mut forged = signed.clone();
    forged["tree_size"] = 1.into();
    std::fs::write(dir.path().join("forged.json"), forged.to_string()).unwrap();
    let run = clew(dir.path(), &["--project", "p", "verify", "--head", "forged.json"]);
    assert_eq!(run.status.code(), Some(6));
    assert!(text(&run.stderr).contains("the signature does not match"), "{}", text(&run.stderr));
}

#[test]
fn a_demo_project_refuses_real_data_and_a_changed_protected_block_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    assert!(clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "2"]).status.success());
    let real = std::fs::read_to_string(example()).unwrap().replacen("synthetic: true", "synthetic: false", 1);
    std::fs::write(dir.path().join("real.yaml"), &real).unwrap();
    let run = clew(dir.path(), &["--project", "d", "import", "real.yaml"]);
    assert_eq!(run.status.code(), Some(3));
    assert!(text(&run.stderr).contains("this is a synthetic demo project"), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "d", "attach", "T-DEMO-000000", "real.yaml"]);
    assert_eq!(run.status.code(), Some(2));

    // In a real project, a testimony whose protected block alone changed writes no statement, but the
    // new block is what a custodian reads.
    init_project(dir.path(), "p");
    std::fs::write(dir.path().join("t.yaml"), &real).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    let changed = real.replacen("SYNTHETIC-PROTECTED-NAME-0001", "SYNTHETIC-PROTECTED-NAME-0002", 1);
    std::fs::write(dir.path().join("t.yaml"), changed).unwrap();
    let run = clew(dir.path(), &["--project", "p", "import", "t.yaml"]);
    assert!(text(&run.stdout).contains("1 unchanged"), "{}", text(&run.stdout));
    let run = clew(dir.path(), &["--project", "p", "protected", "show", "T-EXAMPLE-0001", "--identity", "p.key"]);
    assert!(text(&run.stdout).contains("SYNTHETIC-PROTECTED-NAME-0002"), "{}", text(&run.stdout));
    assert!(clew(dir.path(), &["--project", "p", "verify"]).status.success());
}

#[test]
fn withdrawn_consent_keeps_a_testimony_out_of_outputs() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let original = std::fs::read_to_string(example()).unwrap();
    std::fs::write(dir.path().join("t.yaml"), &original).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    let exported = |dir: &Path| {
        assert!(clew(dir, &["--project", "p", "export", "--out", "x.json"]).status.success());
        std::fs::read_to_string(dir.join("x.json")).unwrap()
    };
    assert!(exported(dir.path()).contains("Blue Hill Construction"));

    // Withdrawn from publication and sharing: still there for the team, out of every export.
    let withdraw = |scope: &str| {
        original.replacen(
            "  retention_until: 2035-03\n",
            &format!("  retention_until: 2035-03\n  withdrawal: {{date: 2026-01, scope: {scope}}}\n"),
            1,
        )
    };
    std::fs::write(dir.path().join("t.yaml"), withdraw("sharing")).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    assert!(!exported(dir.path()).contains("Blue Hill Construction"));
    assert!(clew(dir.path(), &["--project", "p", "entity", "show", "T-EXAMPLE-0001.employer"]).status.success());

    // Withdrawn entirely: out of every output; the statements stay in the store, and the custody log records it.
    std::fs::write(dir.path().join("t.yaml"), withdraw("all")).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    let run = clew(dir.path(), &["--project", "p", "entity", "show", "T-EXAMPLE-0001.employer"]);
    assert_eq!(run.status.code(), Some(2));
    let run = clew(dir.path(), &["--project", "p", "--json", "entity", "list"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap(), serde_json::json!([]));
    assert!(!exported(dir.path()).contains("Blue Hill Construction"));
    assert!(clew(dir.path(), &["--project", "p", "verify"]).status.success());
}

/// `clew assess`: a testimony's classification explained down to the witness's words; the whole project
/// summarised; a bad rules file refused with where.
#[test]
fn assess_explains_each_finding_down_to_the_words() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    assert!(clew(dir.path(), &["--project", "p", "import", example().to_str().unwrap()]).status.success());
    let run = clew(dir.path(), &["--project", "p", "assess", "--testimony", "T-EXAMPLE-0001"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let shown = text(&run.stdout);
    assert!(shown.contains("ICLS 2018: FL"), "{shown}");
    assert!(shown.contains("COE05 withholding_valuable_documents"), "{shown}");
    assert!(shown.contains("documentsConfiscated = true  (segment:s4)"), "{shown}");
    assert!(shown.contains("s4: \"(fictional) Eight of us slept in a container"), "{shown}");

    let run = clew(dir.path(), &["--project", "p", "--json", "assess", "--testimony", "T-EXAMPLE-0001"]);
    let assessment: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(assessment["spells"][0]["icls"], "FL");
    let findings = assessment["spells"][0]["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| !f["evidence"].as_array().unwrap().is_empty()));

    let run = clew(dir.path(), &["--project", "p", "--json", "assess"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(summary["testimonies"], 1);
    assert_eq!(summary["icls"]["FL"], 1);
    let run = clew(dir.path(), &["--project", "p", "assess"]);
    assert!(text(&run.stderr).contains("not a random sample"), "{}", text(&run.stderr));

    // A user's rules file with a mistake: refused, with file, line and column.
    let rules =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/assessment-rules.yaml"))
            .unwrap()
            .replace("codes: [COE01, IND05]", "codes: [COE01, IND55]");
    std::fs::write(dir.path().join("rules.yaml"), rules).unwrap();
    let run = clew(dir.path(), &["--project", "p", "assess", "--rules", "rules.yaml"]);
    assert_eq!(run.status.code(), Some(3));
    assert!(text(&run.stderr).contains("rules.yaml:"), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("unknown code `IND55`"), "{}", text(&run.stderr));
    // Withdrawn entirely: the testimony is no longer assessed.
    let original = std::fs::read_to_string(example()).unwrap();
    let withdrawn = original.replacen(
        "  retention_until: 2035-03\n",
        "  retention_until: 2035-03\n  withdrawal: {date: 2026-01, scope: all}\n",
        1,
    );
    std::fs::write(dir.path().join("t.yaml"), withdrawn).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    let run = clew(dir.path(), &["--project", "p", "--json", "assess"]);
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(summary["testimonies"], 0);
    let run = clew(dir.path(), &["--project", "p", "assess", "--testimony", "T-EXAMPLE-0001"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("withdrew consent"), "{}", text(&run.stderr));
}

/// `clew ledger`: a spell's wage ledger, in US dollars with a rate table that names its sources; a missing
/// rate or a bad table is an error saying where.
#[test]
fn ledger_shows_the_money_and_refuses_a_missing_rate() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    assert!(clew(dir.path(), &["--project", "p", "import", example().to_str().unwrap()]).status.success());
    let run = clew(dir.path(), &["--project", "p", "ledger", "--testimony", "T-EXAMPLE-0001"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let shown = text(&run.stdout);
    // Entities by name and id; what was owed is not called received.
    // In US dollars by the table clew ships (the ECB's monthly means, 2019-05 to 2021-11), each month at its rate.
    assert!(
        shown.contains(
            "employer paid:   60000 RUB per month (≈ 853 USD), to (fictional) Example General Trading Corporation \
             (T-EXAMPLE-0001.dispatcher)"
        ),
        "{shown}"
    );
    assert!(shown.contains("deducted:        loyalty_fee 45000 RUB per month (≈ 640 USD)"), "{shown}");
    assert!(
        shown.contains("worker was owed: 15000 RUB per month (≈ 213 USD), to be paid only on return home"),
        "{shown}"
    );
    assert!(text(&run.stderr).contains("Rates: the table clew ships"), "{}", text(&run.stderr));

    // A table of one's own comes first; the shipped one fills what it lacks.
    std::fs::write(
        dir.path().join("rates.csv"),
        "period,currency,usd_per_unit,source\n2019,RUB,0.0155,synthetic test rate\n2020,RUB,0.0155,synthetic test \
         rate\n2021,RUB,0.0155,synthetic test rate\n",
    )
    .unwrap();
    let run = clew(
        dir.path(),
        &["--project", "p", "--json", "ledger", "--testimony", "T-EXAMPLE-0001", "--rates", "rates.csv"],
    );
    let ledgers: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!((ledgers[0]["employer_paid"]["usd"].as_f64().unwrap() - 930.0).abs() < 1e-6, "{ledgers}");
    std::fs::write(dir.path().join("eur.csv"), "period,currency,usd_per_unit,source\n2019,EUR,1.1,synthetic\n")
        .unwrap();
    std::fs::write(dir.path().join("p/rates.csv"), "period,currency,usd_per_unit,source\n").unwrap();
    let run = clew(dir.path(), &["--project", "p", "ledger", "--testimony", "T-EXAMPLE-0001", "--rates", "eur.csv"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("employer paid:   60000 RUB per month (≈ 853 USD)"),
        "the shipped table fills in"
    );
    let run = clew(dir.path(), &["--project", "p", "--json", "ledger", "--testimony", "T-EXAMPLE-0001"]);
    assert!(text(&run.stderr).contains("Rates: p/rates.csv, then the table clew ships"), "{}", text(&run.stderr));
    std::fs::write(dir.path().join("bad.csv"), "period,currency,usd_per_unit,source\n2019,RUB,zero,x\n").unwrap();
    let run = clew(dir.path(), &["--project", "p", "ledger", "--rates", "bad.csv"]);
    assert_eq!(run.status.code(), Some(3));
    assert!(text(&run.stderr).contains("bad.csv:2:1: usd_per_unit `zero`"), "{}", text(&run.stderr));
}

/// `clew estimate revenue`: both methods with intervals and a sensitivity table, reproducible by seed, with
/// inputs resampled from the ledgers (converted by a sourced rate table) or given as distributions.
#[test]
fn estimate_revenue_gives_intervals_and_sensitivity() {
    let dir = tempfile::tempdir().unwrap();
    assert!(clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "60"]).status.success());
    let mut rates = String::from("period,currency,usd_per_unit,source\n");
    for year in 2010..=2026 {
        rates.push_str(&format!("{year},RUB,0.0125,synthetic test rate (not an official figure)\n"));
    }
    std::fs::write(dir.path().join("rates.csv"), rates).unwrap();
    let run_with = |extra: &[&str]| {
        let mut args =
            vec!["--project", "d", "--json", "estimate", "revenue", "--workers", "lognormal(median=15000, p95=40000)"];
        args.extend_from_slice(extra);
        clew(dir.path(), &args)
    };
    let run = run_with(&["--rates", "rates.csv", "--draws", "20000", "--svg", "r.svg", "--csv", "r.csv"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let shown = clew(
        dir.path(),
        &["--project", "d", "estimate", "revenue", "--workers", "20000", "--rates", "rates.csv", "--draws", "1000"],
    );
    assert!(text(&shown.stdout).contains("90% interval"), "{}", text(&shown.stdout));
    assert!(text(&shown.stderr).contains("synthetic demo data: this estimate is fictional"), "{}", text(&shown.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    for method in ["quota_based", "wage_based"] {
        let s = &report[method];
        let (p5, median, p95) = (s["p5"].as_f64().unwrap(), s["median"].as_f64().unwrap(), s["p95"].as_f64().unwrap());
        assert!(0.0 < p5 && p5 < median && median < p95, "{s}");
    }
    assert_eq!(report["sensitivity"][0]["input"], "workers");
    assert!(std::fs::read_to_string(dir.path().join("r.svg")).unwrap().starts_with("<svg"));
    let table = std::fs::read_to_string(dir.path().join("r.csv")).unwrap();
    assert!(table.starts_with("# SYNTHETIC DATA"), "{table}");
    assert!(table.lines().nth(1).unwrap().starts_with("table,method,input,median"), "{table}");
    // The same seed, the same numbers.
    let again = run_with(&["--rates", "rates.csv", "--draws", "20000"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&again.stdout).unwrap()["quota_based"],
        report["quota_based"]
    );

    // Every input given: no ledger needed. A distribution that makes no sense, or ledgers with no rate: refused.
    let given = ["--quota", "600", "--employer-paid", "uniform(min=700, max=1100)", "--state-share", "0.75"];
    assert!(run_with(&given).status.success());
    let said = |run: &Output| format!("{}{}", text(&run.stdout), text(&run.stderr));
    let run = run_with(&["--quota", "lognormal(median=600, p95=500)"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("p95 above the median"), "{}", said(&run));
    // The demo's own synthetic table converts its ledgers out of the box, and the files say they are synthetic.
    let run = run_with(&["--draws", "1000", "--svg", "demo.svg", "--csv", "demo.csv"]);
    assert!(run.status.success(), "{}", said(&run));
    assert!(said(&run).contains("Rates: d/rates.csv"), "{}", said(&run));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap()["synthetic"], true);
    assert!(std::fs::read_to_string(dir.path().join("demo.svg")).unwrap().contains("SYNTHETIC DATA"));
    assert!(std::fs::read_to_string(dir.path().join("demo.csv")).unwrap().starts_with("# SYNTHETIC DATA"));
    // Without it, the shipped table has no rouble after February 2022: refused, summarised by currency, rather
    // than estimated from the earlier ledgers alone.
    std::fs::remove_file(dir.path().join("d/rates.csv")).unwrap();
    let run = run_with(&[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("no rate for RUB in"), "{}", said(&run));
    assert!(said(&run).contains("months, 2022-03 to 20"), "{}", said(&run));
    assert!(said(&run).lines().filter(|l| l.starts_with("no rate for")).count() <= 4, "{}", said(&run));
}

/// `clew aggregate`: overall and by group, each figure with a 95% bootstrap interval that holds its mean,
/// the same for the same seed.
#[test]
fn aggregates_have_bootstrap_intervals_by_group() {
    let dir = tempfile::tempdir().unwrap();
    assert!(clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "80"]).status.success());
    let rows = |by: &[&str]| {
        let mut args = vec!["--project", "d", "--json", "aggregate", "--resamples", "200"];
        args.extend_from_slice(by);
        let run = clew(dir.path(), &args);
        assert!(run.status.success(), "{}", text(&run.stderr));
        serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap()
    };
    let all = rows(&[]);
    assert_eq!(all[0]["group"], "all");
    let spells = all[0]["spells"].as_u64().unwrap();
    assert!(spells >= 80, "80 testimonies, some with several spells: {spells}");
    for figure in ["forced_labour", "state_share", "hours_per_week", "rest_days"] {
        let i = &all[0][figure];
        let (low, mean, high) = (i["low"].as_f64().unwrap(), i["mean"].as_f64().unwrap(), i["high"].as_f64().unwrap());
        assert!(low <= mean && mean <= high, "{figure}: {i}");
    }
    let by_sector = rows(&["--by", "sector"]);
    let total: u64 = by_sector.as_array().unwrap().iter().map(|r| r["spells"].as_u64().unwrap()).sum();
    assert_eq!(total, spells, "every spell in one group");
    assert_eq!(rows(&["--by", "sector"]), by_sector, "the same seed, the same intervals");
    let run = clew(dir.path(), &["--project", "d", "aggregate", "--by", "visa"]);
    assert!(text(&run.stderr).contains("not a random sample"));
}

/// A coder records a finding by hand, citing the witness's words: it is kept as a statement, counts in the
/// classification, and an unknown code is refused where it stands.
#[test]
fn a_finding_coded_by_hand_counts_and_a_wrong_code_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let original = std::fs::read_to_string(example()).unwrap();
    let with = |code: &str| {
        original.replacen(
            "      threats_to_family: {value: true, segments: [s5]}\n",
            &format!("      threats_to_family: {{value: true, segments: [s5]}}\n      findings:\n        - {{code: {code}, segments: [s1]}}\n"),
            1,
        )
    };
    std::fs::write(dir.path().join("bad.yaml"), with("INV42")).unwrap();
    let run = clew(dir.path(), &["--project", "p", "import", "bad.yaml"]);
    assert_eq!(run.status.code(), Some(3));
    let said = text(&run.stderr);
    assert!(said.contains("facts.spells[0].findings[0].code") && said.contains("`INV42` is not a code"), "{said}");

    std::fs::write(dir.path().join("t.yaml"), with("INV02")).unwrap();
    let run = clew(dir.path(), &["--project", "p", "import", "t.yaml"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "p", "--json", "assess", "--testimony", "T-EXAMPLE-0001"]);
    let assessment: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let spell = &assessment["spells"][0];
    assert!(spell["involuntariness"].as_array().unwrap().contains(&"INV02".into()), "{spell}");
    let by_hand = spell["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "coded-by-hand").unwrap();
    assert_eq!(by_hand["evidence"][0]["locator"], "segment:s1");
}

/// `clew assess --record`: outcomes and findings stored as derived statements with their provenance,
/// re-derived when the evidence changes, retracted when consent is withdrawn, and every run logged.
#[test]
fn recorded_assessments_follow_the_evidence_and_the_consent() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let original = std::fs::read_to_string(example()).unwrap();
    std::fs::write(dir.path().join("t.yaml"), &original).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    let record = || {
        let run = clew(dir.path(), &["--project", "p", "--json", "assess", "--record"]);
        assert!(run.status.success(), "{}", text(&run.stderr));
        serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap()
    };
    let first = record();
    assert_eq!(first["recorded"], 1);
    let outcome = || {
        let run = clew(dir.path(), &["--project", "p", "--json", "entity", "show", "T-EXAMPLE-0001.spell1"]);
        let entity: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let values = &entity["properties"]["iclsOutcome"];
        values
            .as_array()
            .map(|v| v.iter().map(|s| s["statement"]["value"].as_str().unwrap().to_string()).collect::<Vec<_>>())
    };
    assert_eq!(outcome(), Some(vec!["FL".to_string()]));
    assert_eq!(record()["unchanged"], 1, "nothing changed, nothing re-derived");

    // The evidence changes: no coercion left; the assessment follows.
    let milder = original
        .replace("      document_confiscation: {value: true, held_by: minder, segments: [s4]}\n", "")
        .replace("      movement_restriction: {value: true, segments: [s4]}\n", "")
        .replace("      threats_to_family: {value: true, segments: [s5]}\n", "")
        .replace("      worker_received: {amount: 15000, currency: RUB, per: month, when: on_return, segments: [s3]}\n", "")
        .replace("      deductions:\n        - {kind: loyalty_fee, amount: 45000, currency: RUB, per: month, taken_by: dispatcher, segments: [s3]}\n", "")
        .replace("      surveillance: {value: true, by: minder, role: security_minder, segments: [s4]}\n", "")
        .replace("      permit: {type: visa, purpose: study, segments: [s1]}\n", "");
    assert_ne!(milder, original);
    std::fs::write(dir.path().join("t.yaml"), &milder).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    let second = record();
    assert_eq!(second["recorded"], 1);
    assert!(second["retracted"].as_u64().unwrap() > 0, "{second}");
    assert_eq!(outcome(), Some(vec!["INV_ONLY".to_string()]));

    // Consent withdrawn entirely: every derived statement is retracted.
    let withdrawn = milder.replacen(
        "  retention_until: 2035-03\n",
        "  retention_until: 2035-03\n  withdrawal: {date: 2026-01, scope: all}\n",
        1,
    );
    std::fs::write(dir.path().join("t.yaml"), withdrawn).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    // At once, before any re-recording: the derived statements leave every output with their testimony.
    let run = clew(dir.path(), &["--project", "p", "entity", "show", "T-EXAMPLE-0001.spell1"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stdout));
    let third = record();
    assert_eq!(third["statements"], 0);
    let database = rusqlite::Connection::open(dir.path().join("p/clew.db")).unwrap();
    let active: i64 = database
        .query_row(
            "SELECT count(*) FROM statement s JOIN source src ON src.key = s.source WHERE src.id = 'assess:T-EXAMPLE-0001' \
             AND s.retracts IS NULL AND NOT EXISTS (SELECT 1 FROM statement r WHERE r.retracts = s.id)",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(active, 0);
    drop(database);
    let run = clew(dir.path(), &["--project", "p", "--json", "log", "show"]);
    assert_eq!(text(&run.stdout).matches("\"assessment\"").count(), 4);
    assert!(clew(dir.path(), &["--project", "p", "verify"]).status.success());

    // `assess:` names assessments: no testimony may take such an id.
    std::fs::write(dir.path().join("x.yaml"), original.replacen("id: T-EXAMPLE-0001", "id: assess:T-EXAMPLE-0001", 1))
        .unwrap();
    let run = clew(dir.path(), &["--project", "p", "import", "x.yaml"]);
    assert_eq!(run.status.code(), Some(3));
    assert!(text(&run.stderr).contains("may not begin with `assess:`"), "{}", text(&run.stderr));
}

/// Issue 14 F14: `--since` at or above 2^63 wrapped to a negative sequence number and listed every event.
/// Nothing comes after it.
#[test]
fn log_show_since_beyond_any_sequence_number_lists_nothing() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let listed = |since: &str| {
        let run = clew(dir.path(), &["--project", "p", "--json", "log", "show", "--since", since]);
        assert!(run.status.success(), "{}", text(&run.stderr));
        serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap().as_array().unwrap().len()
    };
    assert_eq!(listed("0"), 2, "two custodians added");
    assert_eq!(listed("1"), 1);
    for since in ["9223372036854775807", "9223372036854775808", "18446744073709551615"] {
        assert_eq!(listed(since), 0, "--since {since}");
    }
}

/// Issue 14 F9: a testimony imported again with a changed protected block keeps the earlier block as it was
/// (a new version is added, never written over) and logs it; a version deleted behind clew's back is named.
#[test]
fn a_changed_protected_block_is_appended_and_a_deleted_version_is_named() {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path(), "p");
    let original = std::fs::read_to_string(example()).unwrap();
    std::fs::write(dir.path().join("t.yaml"), &original).unwrap();
    assert!(clew(dir.path(), &["--project", "p", "import", "t.yaml"]).status.success());
    let changed = original.replacen("SYNTHETIC-PROTECTED-NAME-0001", "SYNTHETIC-PROTECTED-NAME-0002", 1);
    std::fs::write(dir.path().join("t.yaml"), changed).unwrap();
    let run = clew(dir.path(), &["--project", "p", "import", "t.yaml"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("kept as a new version"), "{}", text(&run.stderr));
    let database = dir.path().join("p/clew.db");
    let sealed: Vec<Vec<u8>> = {
        let connection = rusqlite::Connection::open(&database).unwrap();
        let mut query = connection.prepare("SELECT sealed FROM protected ORDER BY version").unwrap();
        query.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(sealed.len(), 2, "the earlier block is kept");
    let run = clew(dir.path(), &["--json", "--project", "p", "log", "show"]);
    let events: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let last = events.as_array().unwrap().last().unwrap();
    assert!(last["detail"].as_str().unwrap().contains("\"protected_versions\":1"), "{last}");
    assert!(clew(dir.path(), &["--project", "p", "verify"]).status.success());
    let run = clew(dir.path(), &["--project", "p", "protected", "show", "T-EXAMPLE-0001", "--identity", "p.key"]);
    assert!(text(&run.stdout).contains("SYNTHETIC-PROTECTED-NAME-0002"), "{}", text(&run.stdout));

    let connection = rusqlite::Connection::open(&database).unwrap();
    connection.execute("DELETE FROM protected WHERE version = 1", []).unwrap();
    drop(connection);
    let run = clew(dir.path(), &["--project", "p", "verify"]);
    assert_eq!(run.status.code(), Some(6));
    assert!(text(&run.stderr).contains("protected blocks: the versions stored by event"), "{}", text(&run.stderr));
}
