//! What a hostile file, a careless umask or a wrong file type does to the `clew` program: a clear refusal,
//! never a hang, a crash or a file others can read.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::{clew, text};

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file and folder below `dir`, with its mode.
fn modes(dir: &Path) -> Vec<(String, u32)> {
    let mut found = vec![(dir.display().to_string(), mode(dir))];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(modes(&path));
        } else {
            found.push((path.display().to_string(), mode(&path)));
        }
    }
    found
}

#[test]
fn a_project_is_private_whatever_the_umask_and_verify_warns_when_it_is_not() {
    // clew.db and keys/*.age were 0644 and the folders 0755 under the usual umask 022. Run under umask 000,
    // where nothing but clew itself keeps a file private.
    let dir = tempfile::tempdir().unwrap();
    let run = std::process::Command::new("sh")
        .args(["-c", "umask 000 && exec \"$0\" demo --dir d --testimonies 3", env!("CARGO_BIN_EXE_clew")])
        .current_dir(dir.path())
        .env_remove("CLEW_PROJECT")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    let project = dir.path().join("d");
    let open: Vec<_> = modes(&project).into_iter().filter(|(_, mode)| mode & 0o077 != 0).collect();
    assert!(open.is_empty(), "open to others: {open:?}");
    assert!(project.join("keys/signing-key.age").is_file() && project.join("clew.db").is_file());

    let run = clew(dir.path(), &["--project", "d", "verify"]);
    assert!(run.status.success() && !text(&run.stderr).contains("warning"), "{}", text(&run.stderr));
    std::fs::set_permissions(project.join("clew.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = clew(dir.path(), &["--project", "d", "verify"]);
    assert!(run.status.success(), "a wide mode is a risk, not tampering: {}", text(&run.stderr));
    let warning = text(&run.stderr);
    assert!(warning.contains("clew.db is open to others on this machine (mode 0644)"), "{warning}");
    assert!(warning.contains("chmod 600"), "{warning}");
}

#[test]
fn a_fifo_or_device_given_as_input_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    assert!(std::process::Command::new("mkfifo").arg(dir.path().join("in.yaml")).status().unwrap().success());
    // Before, `validate` of a folder holding a FIFO waited for ever.
    std::fs::create_dir(dir.path().join("inbox")).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(dir.path().join("inbox/x.yaml")).status().unwrap().success());
    let run = clew(dir.path(), &["validate", "inbox"]);
    assert!(!run.status.success());
    assert!(text(&run.stderr).contains("no .json, .jsonl, .ndjson, .yaml or .yml file"), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["validate", "in.yaml"]);
    assert_eq!(run.status.code(), Some(3), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("not a regular file"), "{}", text(&run.stderr));
    // A key file is read with a size cap, and never from a device: /dev/zero was read until memory ran out.
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "1"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "d", "verify", "--identity", "/dev/zero"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("/dev/zero: not a regular file (it is a device)"), "{}", text(&run.stderr));
    std::fs::write(dir.path().join("big.key"), vec![b'A'; 1 << 20]).unwrap();
    let run = clew(dir.path(), &["--project", "d", "verify", "--identity", "big.key"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("clew reads at most 65536 bytes here"), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["screen", "--list", "in.yaml", "--queries", "in.yaml"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["package", "verify", "in.yaml"]);
    assert!(!run.status.success());
    assert!(text(&run.stderr).contains("not a regular file (it is a FIFO)"), "{}", text(&run.stderr));
}

#[test]
fn escape_sequences_from_a_list_are_shown_not_obeyed() {
    // A list entry could erase or recolour the MATCH line an analyst reads.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("list.csv"),
        "id,name,schema\nE-1,\"MOKRAN LLC \u{1b}[2K \r \u{1b}[32m CLEARED \u{1b}[0m \u{202e}\",Company\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("q.csv"), "full_name,schema\nMokran LLC Cleared,Company\n").unwrap();
    let run = clew(dir.path(), &["screen", "--list", "list.csv", "--queries", "q.csv"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let shown = text(&run.stdout);
    assert!(!shown.contains('\u{1b}') && !shown.contains('\r') && !shown.contains('\u{202e}'), "{shown:?}");
    assert!(shown.contains(r"MOKRAN LLC \u001b[2K \u001b[32m CLEARED"), "{shown}");
    assert!(shown.contains(r"\u202e"), "{shown}");
    // JSON stays valid, and gives the name back as the list wrote it.
    let run = clew(dir.path(), &["--json", "screen", "--list", "list.csv", "--queries", "q.csv"]);
    assert!(!text(&run.stdout).contains('\u{202e}') && !text(&run.stdout).contains('\u{1b}'));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let name = report["results"][0]["candidates"][0]["list_name"].as_str().unwrap_or_default().to_string();
    assert!(name.contains("\u{1b}[2K") && name.ends_with('\u{202e}'), "{report}");
}

#[test]
fn a_project_refuses_linking_on_names_alone() {
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "3"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let person =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../clew-link/data/person.toml")).unwrap();
    std::fs::write(
        dir.path().join("names-only.toml"),
        format!("{person}\n[clustering]\nrequire_independent = false\n"),
    )
    .unwrap();
    let run = clew(dir.path(), &["--project", "d", "link", "run", "--config", "names-only.toml"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("never linked on their names alone"), "{}", text(&run.stderr));
}

#[test]
fn verify_without_keys_names_a_blob_changed_by_one_byte() {
    // Without --identity, `clew verify` only saw that a blob was there: an auditor without keys could not
    // detect tampering with the evidence files.
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "3"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "d", "verify"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("3 attachments whose sealed files match the log"), "{}", text(&run.stdout));
    let blob = std::fs::read_dir(dir.path().join("d/blobs")).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(&blob).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&blob, bytes).unwrap();
    let run = clew(dir.path(), &["--project", "d", "verify"]);
    assert_eq!(run.status.code(), Some(6), "{}", text(&run.stdout));
    let said = format!("{}{}", text(&run.stdout), text(&run.stderr));
    let name = blob.file_name().unwrap().to_string_lossy().to_string();
    assert!(said.contains(&format!("attachment {}", name.trim_end_matches(".age"))), "{said}");
    assert!(said.contains("is not the one custody event"), "{said}");
    // With the custodian's key the content check names it too.
    let run = clew(dir.path(), &["--project", "d", "verify", "--identity", "d/custodian-DEMO-ONLY.key"]);
    assert_eq!(run.status.code(), Some(6));
    let said = format!("{}{}", text(&run.stdout), text(&run.stderr));
    assert!(said.contains("does not open to content"), "{said}");
}

/// A folder with a one-testimony demo project `d` and a list file `list.csv` beside it, not imported yet.
fn demo_and_list() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "1"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    std::fs::write(dir.path().join("list.csv"), "id,name,schema\nF-1,DEMO LISTED LLC (fictional),Company\n").unwrap();
    dir
}

#[test]
fn a_blob_or_list_name_in_the_database_that_is_not_a_sha256_names_no_file_outside_its_folder() {
    // Blob and list paths were joined from the database's strings unchecked: `../x` in the attachment table
    // named a file outside the blob folder. Now only a checked 64-digit hash names a file.
    let dir = demo_and_list();
    let run = clew(dir.path(), &["--project", "d", "lists", "import", "list.csv"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    std::fs::write(dir.path().join("outside.age"), "not a blob").unwrap();
    let database = rusqlite::Connection::open(dir.path().join("d/clew.db")).unwrap();
    database.execute("UPDATE attachment SET sha256 = '../../outside'", []).unwrap();
    database.execute("UPDATE sanctions_list SET sha256 = '../../outside.age'", []).unwrap();
    drop(database);
    let run = clew(dir.path(), &["--project", "d", "verify"]);
    assert_eq!(run.status.code(), Some(6), "{}", text(&run.stdout));
    let said = format!("{}{}", text(&run.stdout), text(&run.stderr));
    assert!(said.contains("attachment of T-DEMO-000000: `../../outside` is not a SHA-256 as clew writes it"), "{said}");
    assert!(said.contains("`../../outside.age` is not a SHA-256 as clew writes it"), "{said}");
    assert!(!said.contains("outside.age: "), "no file outside the folders was opened: {said}");
}

#[test]
fn a_project_held_by_another_writer_says_so_and_what_to_do() {
    // "database error: database is locked", with no word of what happened or what to do.
    let dir = demo_and_list();
    let holder = rusqlite::Connection::open(dir.path().join("d/clew.db")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE; CREATE TABLE held (x);").unwrap();
    let run = clew(dir.path(), &["--project", "d", "lists", "import", "list.csv"]);
    assert_eq!(run.status.code(), Some(7), "{}", text(&run.stderr));
    let said = text(&run.stderr);
    assert!(said.contains("the project is busy") && said.contains("try again"), "{said}");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    let run = clew(dir.path(), &["--project", "d", "lists", "import", "list.csv"]);
    assert!(run.status.success(), "once it is free: {}", text(&run.stderr));
}

#[test]
fn attaching_again_or_failing_to_attach_leaves_the_log_true() {
    // A blob was sealed anew on every attach of the same content, before the commit: an attach that then
    // failed (a busy project, a later file refused) left a sealed file no event logged, which keyless
    // verification took for tampering.
    let dir = tempfile::tempdir().unwrap();
    super::init_project(dir.path(), "p");
    let example = super::example();
    let run = clew(dir.path(), &["--project", "p", "import", example.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    std::fs::write(dir.path().join("scan.txt"), "SYNTHETIC SCAN (fictional)\n").unwrap();
    let attach = |dir: &Path| clew(dir, &["--project", "p", "attach", "T-EXAMPLE-0001", "scan.txt"]);
    assert!(attach(dir.path()).status.success());
    let blob = std::fs::read_dir(dir.path().join("p/blobs")).unwrap().next().unwrap().unwrap().path();
    let sealed = std::fs::read(&blob).unwrap();
    assert!(attach(dir.path()).status.success(), "attached again");
    assert_eq!(std::fs::read(&blob).unwrap(), sealed, "an intact blob is kept, not sealed anew");
    let holder = rusqlite::Connection::open(dir.path().join("p/clew.db")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE; CREATE TABLE held (x);").unwrap();
    assert_eq!(attach(dir.path()).status.code(), Some(7), "the project is busy");
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(std::fs::read(&blob).unwrap(), sealed);
    let run = clew(dir.path(), &["--project", "p", "verify"]);
    assert!(run.status.success(), "{}{}", text(&run.stdout), text(&run.stderr));
    assert!(text(&run.stdout).contains("1 attachments whose sealed files match the log"), "{}", text(&run.stdout));
}

#[test]
fn a_protected_block_replaced_behind_clews_back_is_named_and_a_rotation_is_not_taken_for_one() {
    // The log committed to where each protected block version belongs, not to its sealed bytes: anyone who
    // could write the database could put another block sealed to the (public) custodian keys in its place.
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "3"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let rotate = std::process::Command::new(env!("CARGO_BIN_EXE_clew"))
        .args([
            "--project",
            "d",
            "--passphrase-env",
            "PASS",
            "keys",
            "rotate",
            "--identity",
            "d/custodian-DEMO-ONLY.key",
        ])
        .current_dir(dir.path())
        .env("PASS", "clew-demo-passphrase")
        .output()
        .unwrap();
    assert!(rotate.status.success(), "{}", text(&rotate.stderr));
    let run = clew(dir.path(), &["--project", "d", "verify"]);
    assert!(run.status.success(), "after a rotation: {}{}", text(&run.stdout), text(&run.stderr));
    let database = rusqlite::Connection::open(dir.path().join("d/clew.db")).unwrap();
    let blocks: Vec<(i64, Vec<u8>)> = database
        .prepare("SELECT source, sealed FROM protected ORDER BY source")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    database
        .execute("UPDATE protected SET sealed = ?1 WHERE source = ?2", rusqlite::params![blocks[1].1, blocks[0].0])
        .unwrap();
    drop(database);
    let run = clew(dir.path(), &["--project", "d", "verify"]);
    assert_eq!(run.status.code(), Some(6), "{}", text(&run.stdout));
    let said = format!("{}{}", text(&run.stdout), text(&run.stderr));
    assert!(said.contains("its sealed bytes are not those custody event"), "{said}");
}
