//! What a first-time user met (issue 15), each pinned: commands that do all or nothing, errors that say what a
//! value should look like, words that are plural when they should be, synthetic results that say so in
//! themselves, and intervals from too few witnesses marked.

use std::path::Path;
use std::process::{Command, Output};

use super::{clew, example, text};

fn with_env(dir: &Path, args: &[&str], name: &str, value: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clew"))
        .args(args)
        .current_dir(dir)
        .env_remove("CLEW_PROJECT")
        .env("CLEW_USER", "tester")
        .env(name, value)
        .output()
        .unwrap()
}

fn said(run: &Output) -> String {
    format!("{}{}", text(&run.stdout), text(&run.stderr))
}

/// `init` creates nothing unless it completes: a short passphrase, or none without a terminal, leaves no
/// folder behind, and the next `init` starts afresh.
#[test]
fn init_leaves_nothing_when_it_fails() {
    let dir = tempfile::tempdir().unwrap();
    let run = with_env(dir.path(), &["--passphrase-env", "P", "init", "p"], "P", "short");
    assert_eq!(run.status.code(), Some(5), "{}", said(&run));
    assert!(said(&run).contains("at least 8 characters"), "{}", said(&run));
    assert!(!dir.path().join("p").exists(), "nothing is left of a failed init");

    let run = clew(dir.path(), &["init", "p"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("--no-keys"), "{}", said(&run));
    assert!(!dir.path().join("p").exists());

    // An existing empty folder stays, empty.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let run = with_env(dir.path(), &["--passphrase-env", "P", "init", "empty"], "P", "short");
    assert_eq!(run.status.code(), Some(5));
    assert_eq!(std::fs::read_dir(dir.path().join("empty")).unwrap().count(), 0);

    let run = with_env(dir.path(), &["--passphrase-env", "P", "init", "p"], "P", "a long enough passphrase");
    assert!(run.status.success(), "{}", said(&run));
    assert!(dir.path().join("p/keys").is_dir() && dir.path().join("p/clew.toml").is_file());
    let names: Vec<String> = std::fs::read_dir(dir.path().join("p"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with(".clew-init")), "no staging folder is left: {names:?}");

    // A folder already holding a name the project needs is refused before anything is made, and left as it was.
    std::fs::create_dir_all(dir.path().join("busy/keys")).unwrap();
    let run = with_env(dir.path(), &["--passphrase-env", "P", "init", "busy"], "P", "a long enough passphrase");
    assert_eq!(run.status.code(), Some(2), "{}", said(&run));
    assert!(said(&run).contains("keys exists"), "{}", said(&run));
    assert_eq!(std::fs::read_dir(dir.path().join("busy")).unwrap().count(), 1, "only keys/, as before");

    let run = clew(dir.path(), &["init", "q", "--no-keys"]);
    assert!(run.status.success(), "{}", said(&run));
    let run = clew(dir.path(), &["init", "q", "--no-keys"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("already a clew project (it has no keys yet: clew keys init)"), "{}", said(&run));
}

/// A command whose output is a file writes it whole or not at all, and fails when it cannot do what was asked.
#[test]
fn file_outputs_are_whole_or_absent_and_an_unsigned_head_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let pass = |args: &[&str]| {
        let mut all = vec!["--passphrase-env", "P", "--project", "p"];
        all.extend_from_slice(args);
        with_env(dir.path(), &all, "P", "a long enough passphrase")
    };
    assert!(pass(&["init", "p"]).status.success());
    // No passphrase: the head is not signed, and that is an error, not unsigned text that looks like a head.
    let run = clew(dir.path(), &["--project", "p", "log", "head"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("--unsigned"), "{}", said(&run));
    assert!(text(&run.stdout).is_empty());
    let run = clew(dir.path(), &["--project", "p", "log", "head", "--unsigned"]);
    assert!(run.status.success());
    assert!(text(&run.stdout).contains("tree size 2"), "{}", said(&run));

    let run = pass(&["log", "head", "--out", "head.json"]);
    assert!(run.status.success(), "{}", said(&run));
    let head = std::fs::read_to_string(dir.path().join("head.json")).unwrap();
    assert!(head.contains("\"signature\""), "{head}");
    // Something that is not a head is named for what it is, not by a JSON parser.
    std::fs::write(dir.path().join("notes.json"), "tree size 2").unwrap();
    let run = clew(dir.path(), &["--project", "p", "verify", "--head", "notes.json"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        said(&run).contains("not a signed tree head (the JSON `clew log head --out FILE` writes"),
        "{}",
        said(&run)
    );

    // A proof that cannot be made leaves no file; the earlier head can be given as its file.
    let run = pass(&["log", "proof", "--from", "99", "--out", "proof.json"]);
    assert_ne!(run.status.code(), Some(0));
    assert!(!dir.path().join("proof.json").exists());
    let run = pass(&["log", "proof", "--from", "head.json", "--out", "proof.json"]);
    assert!(run.status.success(), "{}", said(&run));
    let key = std::fs::read_to_string(dir.path().join("p/keys/signing-key.pub")).unwrap();
    let run = clew(dir.path(), &["log", "check", "proof.json", "--earlier", "head.json", "--key", key.trim()]);
    assert!(run.status.success(), "{}", said(&run));

    // `--key` taken literally: said to be no key, not "signed by another key".
    let run = clew(dir.path(), &["log", "check", "proof.json", "--key", "HEX"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("--key expects 64 hex characters"), "{}", said(&run));
    assert!(!said(&run).contains("another key"));
    // A secret key pasted there by mistake is not printed back.
    let run = clew(dir.path(), &["log", "check", "proof.json", "--key", "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQ"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!said(&run).contains("QQQQ"), "{}", said(&run));
    // The published PEM works as the key.
    let run = clew(dir.path(), &["--project", "p", "keys", "show", "--pem"]);
    std::fs::write(dir.path().join("key.pem"), &run.stdout).unwrap();
    let run = clew(dir.path(), &["log", "check", "proof.json", "--key", "key.pem"]);
    assert!(run.status.success(), "{}", said(&run));

    // An export that fails half way leaves nothing under its name (here: the folder is not there).
    let run = clew(dir.path(), &["--project", "p", "export", "--format", "ftm", "--out", "missing/out.json"]);
    assert_ne!(run.status.code(), Some(0));
    assert!(!dir.path().join("missing").exists());
}

/// Custodian keys: the public key goes to a .pub file that `custodian add` takes; a secret key file is refused
/// there, without echoing it.
#[test]
fn a_custodian_is_added_from_the_public_key_file_never_the_secret_one() {
    let dir = tempfile::tempdir().unwrap();
    assert!(clew(dir.path(), &["init", "p", "--no-keys"]).status.success());
    let run = clew(dir.path(), &["keys", "custodian", "new", "--out", "a.key"]);
    assert!(run.status.success(), "{}", said(&run));
    let public = std::fs::read_to_string(dir.path().join("a.pub")).unwrap();
    assert!(public.starts_with("age1"), "{public}");
    let run = clew(dir.path(), &["--project", "p", "keys", "custodian", "add", "a.key"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("holds a secret key"), "{}", said(&run));
    assert!(!said(&run).contains("AGE-SECRET-KEY"));
    let run = clew(dir.path(), &["--project", "p", "keys", "custodian", "add", "a.pub", "--label", "A"]);
    assert!(run.status.success(), "{}", said(&run));
    // Neither file is written over by a second `new`.
    let run = clew(dir.path(), &["keys", "custodian", "new", "--out", "a.key"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.path().join("a.pub")).unwrap(), public);
}

/// The smaller points: plural words, no "nothing was written" from a command that never writes, a schema name
/// in the wrong case, entities by name, and what was owed not called received.
#[test]
fn messages_say_what_they_mean() {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let run = clew(dir.path(), &["validate", example.to_str().unwrap()]);
    assert_eq!(text(&run.stdout).trim(), "1 record in 1 file valid");
    std::fs::write(dir.path().join("bad.yaml"), "format: clew-testimony/1\nid: T-1\n").unwrap();
    let run = clew(dir.path(), &["validate", "bad.yaml"]);
    assert_eq!(run.status.code(), Some(3));
    assert!(!said(&run).contains("nothing was written"), "{}", said(&run));
    assert!(said(&run).contains("problems found") || said(&run).contains("problem found"), "{}", said(&run));

    assert!(clew(dir.path(), &["init", "p", "--no-keys"]).status.success());
    let run = clew(dir.path(), &["--project", "p", "entity", "list", "--schema", "company"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("unknown schema `company`: did you mean `Company`?"), "{}", said(&run));

    assert!(clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "1"]).status.success());
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "1"]);
    let shown = text(&run.stdout);
    assert!(shown.contains("1 testimony →"), "{shown}");
    // The suggested commands run as printed: `clew` is this program only when the PATH says so.
    let program = std::fs::canonicalize(env!("CARGO_BIN_EXE_clew")).unwrap();
    assert!(shown.contains(&format!("{} --project d stats", program.display())), "{shown}");

    let run = clew(dir.path(), &["--project", "d", "entity", "show", "T-DEMO-000000.spell1"]);
    let shown = text(&run.stdout);
    let first = shown.lines().next().unwrap();
    assert!(first.contains("demo.company.") && first.contains("(DEMO "), "the employer by its name: {first}");
}

/// Results made from synthetic data say so in themselves; intervals from too few witnesses are marked.
#[test]
fn synthetic_results_say_so_and_small_samples_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    assert!(clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "5"]).status.success());
    let run = clew(dir.path(), &["--project", "d", "--json", "aggregate", "--resamples", "50"]);
    let rows: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(rows[0]["synthetic"], true, "{rows}");
    assert_eq!(rows[0]["forced_labour"]["small_sample"], true, "{rows}");
    let run = clew(dir.path(), &["--project", "d", "aggregate", "--resamples", "50"]);
    assert!(text(&run.stdout).contains("too few to mean much"), "{}", said(&run));
    assert!(said(&run).contains("fewer than 30 witnesses"), "{}", said(&run));
    let run = clew(dir.path(), &["--project", "d", "--json", "stats"]);
    let stats: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(stats["synthetic"], true);

    // A real project's results carry no such mark.
    assert!(clew(dir.path(), &["init", "p", "--no-keys"]).status.success());
    let run = clew(dir.path(), &["--project", "p", "--json", "stats"]);
    let stats: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(stats.get("synthetic"), None);

    // Capture histories from the demo say so, and so do the estimates made from them.
    std::fs::write(
        dir.path().join("h.csv"),
        "# SYNTHETIC DATA: made up for this test\na,b,c,count\n1,0,0,30\n0,1,0,25\n0,0,1,28\n1,1,0,9\n1,0,1,8\n0,1,1,7\n1,1,1,3\n",
    )
    .unwrap();
    let run =
        clew(dir.path(), &["estimate", "population", "h.csv", "--method", "main", "--out", "e.json", "--svg", "e.svg"]);
    assert!(run.status.success(), "{}", said(&run));
    let estimate: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("e.json")).unwrap()).unwrap();
    assert_eq!(estimate["synthetic"], true);
    assert!(std::fs::read_to_string(dir.path().join("e.svg")).unwrap().contains("SYNTHETIC DATA"));
}
