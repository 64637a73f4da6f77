//! Evidence packages: exported from a project, checked offline by clew and by standard tools, refused where
//! consent does not reach, and every tampering named.

use std::path::Path;
use std::process::{Command, Output};

use super::{example, standard_tool, text};

const PASSPHRASE: &str = "clew-demo-passphrase";

/// `clew` with the passphrase in $PASS.
fn clew_pass(dir: &Path, args: &[&str]) -> Output {
    crate::clew_with_passphrase(dir, args, PASSPHRASE)
}

fn ok(run: Output) -> Output {
    assert!(run.status.success(), "{}{}", text(&run.stdout), text(&run.stderr));
    run
}

fn export(dir: &Path, project: &str, subject: &[&str], audience: &str, out: &str) -> Output {
    let mut args = vec!["--project", project, "package", "export"];
    args.extend_from_slice(subject);
    args.extend_from_slice(&["--audience", audience, "--out", out]);
    clew_pass(dir, &args)
}

fn verify(dir: &Path, package: &str) -> Output {
    clew_pass(dir, &["--json", "package", "verify", package])
}

fn run_tool(dir: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program).args(args).current_dir(dir).output().unwrap()
}

/// The demo's first testimony consents to prosecutors and has a synthetic document attached.
#[test]
fn a_demo_package_verifies_with_clew_and_with_standard_tools() {
    let dir = tempfile::tempdir().unwrap();
    ok(clew_pass(dir.path(), &["demo", "--dir", "d", "--testimonies", "20"]));
    let run = ok(export(dir.path(), "d", &["--testimony", "T-DEMO-000000"], "prosecutor", "p.tar"));
    assert!(text(&run.stdout).contains("1 attachment(s)"), "{}", text(&run.stdout));

    let run = ok(verify(dir.path(), "p.tar"));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["files"], 4, "{report}");
    // A UN package leaves the recording out, and its hash too: no attach event goes in.
    ok(export(dir.path(), "d", &["--testimony", "T-DEMO-000000"], "un", "un.tar"));
    let un = std::fs::read(dir.path().join("un.tar")).unwrap();
    assert!(!String::from_utf8_lossy(&un).contains("\"kind\": \"attach\""));
    assert!(String::from_utf8_lossy(&un).contains("\"kind\": \"demo\""));
    assert_eq!(report["synthetic"], true);
    // Pinned to the project's published key: passes; to another key: fails.
    let key = std::fs::read_to_string(dir.path().join("d/keys/signing-key.pub")).unwrap();
    ok(clew_pass(dir.path(), &["package", "verify", "p.tar", "--key", key.trim()]));
    let run = clew_pass(dir.path(), &["package", "verify", "p.tar", "--key", &"ab".repeat(32)]);
    assert_eq!(run.status.code(), Some(6));
    assert!(text(&run.stderr).contains("another key"), "{}", text(&run.stderr));

    // As the README inside says: tar, sha256sum, openssl, python3.
    let tools = [("tar", "--version"), ("sha256sum", "--version"), ("openssl", "version"), ("python3", "--version")];
    if !tools.iter().all(|(tool, arg)| standard_tool(tool, arg)) {
        return;
    }
    ok(run_tool(dir.path(), "tar", &["xf", "p.tar"]));
    let folder = dir.path().join("clew-package");
    // The project's published key, as `clew keys show --pem` prints it: what the signature is checked with.
    let run = ok(clew_pass(dir.path(), &["--project", "d", "keys", "show", "--pem"]));
    std::fs::write(folder.join("PROJECT-KEY.pem"), &run.stdout).unwrap();
    let readme = std::fs::read_to_string(folder.join("README.txt")).unwrap();
    assert!(readme.contains("sha256sum -c SHA256SUMS") && readme.contains("python3 verify-proofs.py"));
    let run = ok(run_tool(&folder, "sha256sum", &["-c", "SHA256SUMS"]));
    assert_eq!(text(&run.stdout).matches(": OK").count(), 4, "{}", text(&run.stdout));
    let openssl = [
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "PROJECT-KEY.pem",
        "-rawin",
        "-in",
        "tree-head.msg",
        "-sigfile",
        "tree-head.sig",
    ];
    ok(run_tool(&folder, "openssl", &openssl));
    let run = ok(run_tool(&folder, "python3", &["verify-proofs.py"]));
    assert!(text(&run.stdout).contains("ok    SHA256SUMS is the list the package-export event logged"));
    // The attachment is the original, byte for byte, named by its evidentiary hash.
    let attachments: Vec<_> = std::fs::read_dir(folder.join("material/attachments")).unwrap().collect();
    assert_eq!(attachments.len(), 1);
    let content = std::fs::read_to_string(attachments[0].as_ref().unwrap().path()).unwrap();
    assert!(content.starts_with("SYNTHETIC DEMO DOCUMENT"), "{content}");

    // The standard tools notice tampering too.
    let material = folder.join("material/testimony.json");
    let original = std::fs::read_to_string(&material).unwrap();
    std::fs::write(&material, original.replacen("T-DEMO-000000", "T-DEMO-000009", 1)).unwrap();
    assert!(!run_tool(&folder, "sha256sum", &["-c", "--quiet", "SHA256SUMS"]).status.success());
    let manifest = std::fs::read_to_string(folder.join("manifest.json")).unwrap();
    std::fs::write(
        folder.join("manifest.json"),
        manifest.replacen("\"recorded_by\": \"clew-demo\"", "\"recorded_by\": \"x\"", 1),
    )
    .unwrap();
    let run = run_tool(&folder, "python3", &["verify-proofs.py"]);
    assert!(!run.status.success() && text(&run.stdout).contains("FAIL"), "{}", text(&run.stdout));
    // A forger's own key in signing-key.pem, or a file slipped into material/, is named too.
    std::fs::write(folder.join("manifest.json"), &manifest).unwrap();
    std::fs::write(folder.join("material/extra.txt"), b"added").unwrap();
    let run = run_tool(&folder, "python3", &["verify-proofs.py"]);
    assert!(text(&run.stdout).contains("material/extra.txt is not listed"), "{}", text(&run.stdout));
    std::fs::remove_file(folder.join("material/extra.txt")).unwrap();
    let forged_key = clew_vault::signing::public_key_pem(&"11".repeat(32)).unwrap();
    std::fs::write(folder.join("signing-key.pem"), forged_key).unwrap();
    let run = run_tool(&folder, "python3", &["verify-proofs.py"]);
    assert!(text(&run.stdout).contains("signing-key.pem is not the key in manifest.json"), "{}", text(&run.stdout));
}

/// Rebuilds the package from the extracted folder (as someone altering it would).
fn repack(dir: &Path, package: &str) {
    ok(run_tool(dir, "tar", &["cf", package, "clew-package"]));
}

#[test]
fn a_tampered_or_truncated_package_fails_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    ok(clew_pass(dir.path(), &["demo", "--dir", "d", "--testimonies", "5"]));
    ok(export(dir.path(), "d", &["--testimony", "T-DEMO-000000"], "internal", "p.tar"));
    let package = std::fs::read(dir.path().join("p.tar")).unwrap();
    let problems = |bytes: &[u8]| {
        std::fs::write(dir.path().join("t.tar"), bytes).unwrap();
        let run = verify(dir.path(), "t.tar");
        assert_eq!(run.status.code(), Some(6), "{}{}", text(&run.stdout), text(&run.stderr));
        text(&run.stderr)
    };

    // One byte of the material.
    let name = b"clew-package/material/testimony.json\0";
    let header = package.windows(name.len()).position(|w| w == name).unwrap();
    let at = header + package[header..].windows(13).position(|w| w == b"T-DEMO-000000").unwrap();
    let mut flipped = package.clone();
    flipped[at + 12] = b'7';
    let said = problems(&flipped);
    assert!(said.contains("the file was altered"), "{said}");

    // Truncated.
    let said = problems(&package[..package.len() / 2]);
    assert!(said.contains("truncated"), "{said}");

    // Demo data passed off as real (or the reverse).
    let manifest_at = package.windows(27).position(|w| w == b"clew-package/manifest.json\0").unwrap();
    let at = manifest_at + package[manifest_at..].windows(17).position(|w| w == b"\"synthetic\": true").unwrap();
    let mut flipped = package.clone();
    flipped[at..at + 17].copy_from_slice(b"\"synthetic\":false");
    let said = problems(&flipped);
    assert!(said.contains("synthetic flag differs"), "{said}");

    // A forged event detail in the manifest (its leaf no longer matches).
    let text_package = String::from_utf8_lossy(&package).to_string();
    assert!(text_package.contains("\\\"audience\\\":\\\"internal\\\""));
    let forged = text_package.replacen("\\\"audience\\\":\\\"internal\\\"", "\\\"audience\\\":\\\"un______\\\"", 1);
    let said = problems(forged.as_bytes());
    assert!(said.contains("it was altered"), "{said}");

    // A project altered behind clew's back exports and signs nothing: a restricted statement made public
    // would otherwise leave in a package that verifies.
    let database = rusqlite::Connection::open(dir.path().join("d/clew.db")).unwrap();
    database
        .execute("UPDATE statement SET sensitivity = 0 WHERE rowid = (SELECT max(rowid) FROM statement)", [])
        .unwrap();
    drop(database);
    let run = export(dir.path(), "d", &["--testimony", "T-DEMO-000001"], "public", "x.tar");
    assert_eq!(run.status.code(), Some(6), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("nothing was packaged or signed"), "{}", text(&run.stderr));
    assert!(!dir.path().join("x.tar").exists());

    if !standard_tool("tar", "--version") {
        return;
    }
    // Altered material with SHA256SUMS and the manifest recomputed to match: the logged export still differs.
    ok(run_tool(dir.path(), "tar", &["xf", "p.tar"]));
    let folder = dir.path().join("clew-package");
    // The project's published key, as `clew keys show --pem` prints it: what the signature is checked with.
    let run = ok(clew_pass(dir.path(), &["--project", "d", "keys", "show", "--pem"]));
    std::fs::write(folder.join("PROJECT-KEY.pem"), &run.stdout).unwrap();
    let material = folder.join("material/testimony.json");
    let altered = std::fs::read_to_string(&material).unwrap().replacen("\"confidence\": 1.0", "\"confidence\": 0.1", 1);
    std::fs::write(&material, &altered).unwrap();
    let old_hash = sha256_of(&std::fs::read(dir.path().join("p.tar")).unwrap(), "material/testimony.json");
    let new_hash = {
        let run = ok(run_tool(&folder, "sha256sum", &["material/testimony.json"]));
        text(&run.stdout).split_whitespace().next().unwrap().to_string()
    };
    for name in ["SHA256SUMS", "manifest.json"] {
        let path = folder.join(name);
        let content = std::fs::read_to_string(&path).unwrap().replace(&old_hash, &new_hash);
        std::fs::write(&path, content).unwrap();
    }
    repack(dir.path(), "r.tar");
    let said = text(&verify(dir.path(), "r.tar").stderr);
    assert!(said.contains("not the list the export event logged"), "{said}");

    // A file slipped in.
    std::fs::write(&material, std::fs::read(dir.path().join("clew-package/README.txt")).unwrap()).unwrap();
    ok(run_tool(dir.path(), "tar", &["xf", "p.tar"]));
    std::fs::write(folder.join("material/extra.json"), b"{}").unwrap();
    repack(dir.path(), "a.tar");
    let said = text(&verify(dir.path(), "a.tar").stderr);
    assert!(said.contains("material/extra.json: not listed in SHA256SUMS"), "{said}");
}

/// The SHA-256 SHA256SUMS gives a file, read from the package's bytes.
fn sha256_of(package: &[u8], path: &str) -> String {
    let text = String::from_utf8_lossy(package);
    let line = text.lines().find(|l| l.len() > 66 && l.ends_with(path) && l.as_bytes()[64] == b' ').unwrap();
    line[..64].to_string()
}

#[test]
fn consent_and_sensitivity_decide_what_each_audience_receives() {
    let dir = tempfile::tempdir().unwrap();
    ok(clew_pass(dir.path(), &["init", "p"]));
    ok(clew_pass(dir.path(), &["keys", "custodian", "new", "--out", "c.key"]));
    let key = std::fs::read_to_string(dir.path().join("c.key")).unwrap();
    let key = key.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().to_string();
    ok(clew_pass(dir.path(), &["--project", "p", "keys", "custodian", "add", &key]));
    let original = std::fs::read_to_string(example()).unwrap();
    std::fs::write(dir.path().join("t.yaml"), &original).unwrap();
    ok(clew_pass(dir.path(), &["--project", "p", "import", "t.yaml"]));
    let material = |package: &str| -> serde_json::Value {
        let file = std::fs::File::open(dir.path().join(package)).unwrap();
        let mut archive = tar::Archive::new(file);
        let mut entry = archive
            .entries()
            .unwrap()
            .map(Result::unwrap)
            .find(|e| e.path().unwrap().ends_with("material/testimony.json"))
            .unwrap();
        let mut json = String::new();
        std::io::Read::read_to_string(&mut entry, &mut json).unwrap();
        serde_json::from_str(&json).unwrap()
    };

    // The team receives everything: restricted statements and the witness's words.
    ok(export(dir.path(), "p", &["--testimony", "T-EXAMPLE-0001"], "internal", "internal.tar"));
    let internal = material("internal.tar");
    let restricted = |m: &serde_json::Value| {
        m["statements"].as_array().unwrap().iter().filter(|s| s["sensitivity"] == "restricted").count()
    };
    assert!(restricted(&internal) > 0);
    assert!(!internal["segments"].as_array().unwrap().is_empty());

    // A UN body: nothing restricted, no words; what was left out is said.
    ok(export(dir.path(), "p", &["--testimony", "T-EXAMPLE-0001"], "un", "un.tar"));
    let un = material("un.tar");
    assert_eq!(restricted(&un), 0);
    assert!(un["segments"].as_array().unwrap().is_empty());
    assert!(un["left_out"].to_string().contains("witness's words"), "{}", un["left_out"]);
    assert!(!un.to_string().contains("SYNTHETIC"), "protected data never leaves in a package");

    // Journalists are not an audience the witness agreed to: a public package of nothing public is refused.
    let run = export(dir.path(), "p", &["--testimony", "T-EXAMPLE-0001"], "public", "public.tar");
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("nothing to package"), "{}", text(&run.stderr));
    assert!(!dir.path().join("public.tar").exists());

    // FtM exports follow the same rules: a testimony whose consent does not name UN bodies stays out of an
    // export for them, and nothing restricted goes to them whatever is asked.
    let no_un = original
        .replace("T-EXAMPLE-0001", "T-EXAMPLE-0002")
        .replace("W-EX-0001", "W-EX-0002")
        .replace("    un: true", "    un: false")
        .replace("Blue Hill", "Red Hill");
    std::fs::write(dir.path().join("t2.yaml"), no_un).unwrap();
    ok(clew_pass(dir.path(), &["--project", "p", "import", "t2.yaml"]));
    let ftm = |audience: &str| {
        let args =
            ["--project", "p", "export", "--audience", audience, "--max-sensitivity", "restricted", "--out", "x.ftm"];
        let run = ok(clew_pass(dir.path(), &args));
        (std::fs::read_to_string(dir.path().join("x.ftm")).unwrap(), text(&run.stderr))
    };
    let (team, _) = ftm("internal");
    assert!(team.contains("Red Hill") && team.contains("Blue Hill"));
    let (un_export, said) = ftm("un");
    assert!(un_export.contains("Blue Hill") && !un_export.contains("Red Hill"), "{un_export}");
    assert!(said.contains("1 source(s) whose consent does not cover `un` left out"), "{said}");
    assert!(!un_export.contains("Employment"), "restricted relations stay out of a UN export");

    // Withdrawn from sharing: no package for anyone outside the team; the team's still works.
    let withdrawn = original.replacen(
        "  retention_until: 2035-03\n",
        "  retention_until: 2035-03\n  withdrawal: {date: 2026-01, scope: sharing}\n",
        1,
    );
    std::fs::write(dir.path().join("t.yaml"), withdrawn).unwrap();
    ok(clew_pass(dir.path(), &["--project", "p", "import", "t.yaml"]));
    let run = export(dir.path(), "p", &["--testimony", "T-EXAMPLE-0001"], "prosecutor", "x.tar");
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("withdrew consent to sharing"), "{}", text(&run.stderr));
    ok(export(dir.path(), "p", &["--testimony", "T-EXAMPLE-0001"], "internal", "internal2.tar"));
    // An entity package draws on every source that allows it: here none does.
    let run = export(dir.path(), "p", &["--entity", "T-EXAMPLE-0001.employer"], "un", "e.tar");
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    // Every export, refused ones aside, is in the custody log, and the project still verifies.
    let run = ok(clew_pass(dir.path(), &["--project", "p", "--json", "log", "show"]));
    let events: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let exports = events.as_array().unwrap().iter().filter(|e| e["kind"] == "package-export").count();
    assert_eq!(exports, 3);
    ok(clew_pass(dir.path(), &["--project", "p", "verify"]));
}

#[test]
fn a_sealed_package_opens_only_for_its_recipients() {
    let dir = tempfile::tempdir().unwrap();
    ok(clew_pass(dir.path(), &["demo", "--dir", "d", "--testimonies", "5"]));
    let run = ok(clew_pass(dir.path(), &["--json", "keys", "custodian", "new", "--out", "partner.key"]));
    let partner: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let partner = partner["public_key"].as_str().unwrap();
    let run = clew_pass(
        dir.path(),
        &[
            "--project",
            "d",
            "package",
            "export",
            "--entity",
            "demo.company.0000",
            "--audience",
            "monitors",
            "--out",
            "s.tar.age",
            "--to",
            partner,
        ],
    );
    ok(run);
    let sealed = std::fs::read(dir.path().join("s.tar.age")).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n"));
    assert!(!sealed.windows(12).any(|w| w == b"clew-package"), "nothing readable without the key");
    let run = clew_pass(dir.path(), &["package", "verify", "s.tar.age"]);
    assert!(text(&run.stderr).contains("--identity"), "{}", text(&run.stderr));
    let run = clew_pass(dir.path(), &["package", "verify", "s.tar.age", "--identity", "d/custodian-DEMO-ONLY.key"]);
    assert_eq!(run.status.code(), Some(5), "{}", text(&run.stderr));
    ok(clew_pass(dir.path(), &["package", "verify", "s.tar.age", "--identity", "partner.key"]));
    if standard_tool("age", "--version") {
        ok(run_tool(dir.path(), "age", &["-d", "-i", "partner.key", "-o", "s.tar", "s.tar.age"]));
        ok(clew_pass(dir.path(), &["package", "verify", "s.tar"]));
    }
}

/// A custodian leaves: removed, then everything re-sealed. The old key opens nothing; the new set opens
/// everything, and the project verifies.
#[test]
fn a_key_rotation_locks_out_a_removed_custodian_and_keeps_everything_readable() {
    let dir = tempfile::tempdir().unwrap();
    ok(clew_pass(dir.path(), &["demo", "--dir", "d", "--testimonies", "10"]));
    let run = ok(clew_pass(dir.path(), &["--json", "keys", "custodian", "new", "--out", "new.key"]));
    let new: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let new = new["public_key"].as_str().unwrap();
    ok(clew_pass(dir.path(), &["--project", "d", "keys", "custodian", "add", new, "--label", "successor"]));
    let run = ok(clew_pass(dir.path(), &["--project", "d", "--json", "keys", "custodian", "list"]));
    let custodians: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let old = custodians[0]["public_key"].as_str().unwrap().to_string();
    let old_project_key = std::fs::read_to_string(dir.path().join("d/keys/project-key.pub")).unwrap();

    // A custodian added later opens nothing sealed before; a rotation (opening with a key that can) fixes that.
    let show =
        |key: &str| clew_pass(dir.path(), &["--project", "d", "protected", "show", "T-DEMO-000003", "--identity", key]);
    assert_eq!(show("new.key").status.code(), Some(5));
    ok(clew_pass(dir.path(), &["--project", "d", "keys", "rotate", "--identity", "d/custodian-DEMO-ONLY.key"]));
    ok(show("new.key"));

    // The last custodian cannot be removed; this one can.
    ok(clew_pass(dir.path(), &["--project", "d", "keys", "custodian", "remove", &old]));
    let run = clew_pass(dir.path(), &["--project", "d", "keys", "custodian", "remove", new]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    // Until the next rotation, the removed custodian still opens what was sealed to it.
    ok(show("d/custodian-DEMO-ONLY.key"));

    // Rotation needs a custodian's key to open protected data.
    let run = clew_pass(dir.path(), &["--project", "d", "keys", "rotate"]);
    assert_eq!(run.status.code(), Some(5), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("--identity"), "{}", text(&run.stderr));
    let run = ok(clew_pass(dir.path(), &["--project", "d", "--json", "keys", "rotate", "--identity", "new.key"]));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["blobs"], 3, "{report}");
    assert_eq!(report["sealed_values"], 13, "10 protected blocks and 3 file names: {report}");
    let new_project_key = std::fs::read_to_string(dir.path().join("d/keys/project-key.pub")).unwrap();
    assert_ne!(old_project_key, new_project_key);
    assert!(!dir.path().join("d/keys/project-key.next.age").exists());

    let run = show("d/custodian-DEMO-ONLY.key");
    assert_eq!(run.status.code(), Some(5), "the removed custodian is locked out: {}", text(&run.stdout));
    // A wrong passphrase changes nothing.
    let run = Command::new(env!("CARGO_BIN_EXE_clew"))
        .args(["--project", "d", "--passphrase-env", "PASS", "keys", "rotate", "--identity", "new.key"])
        .current_dir(dir.path())
        .env("PASS", "not the passphrase")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(5));
    assert_eq!(std::fs::read_to_string(dir.path().join("d/keys/project-key.pub")).unwrap(), new_project_key);
    let run = ok(show("new.key"));
    assert!(text(&run.stdout).contains("SYNTHETIC-PROTECTED-NAME-000003"));
    ok(clew_pass(dir.path(), &["--project", "d", "verify", "--identity", "new.key"]));
    let run = clew_pass(dir.path(), &["--project", "d", "verify", "--identity", "d/custodian-DEMO-ONLY.key"]);
    assert_eq!(run.status.code(), Some(6), "blobs no longer open for the removed custodian");
    // The new project key opens attachments for packages.
    let run = ok(export(dir.path(), "d", &["--testimony", "T-DEMO-000001"], "internal", "p.tar"));
    assert!(text(&run.stdout).contains("1 attachment(s)"), "{}", text(&run.stdout));
    let run = ok(clew_pass(dir.path(), &["--project", "d", "--json", "log", "show"]));
    assert!(text(&run.stdout).contains("keys-rotate") && text(&run.stdout).contains("custodian-remove"));
    // The removed custodian put back behind clew's back is named.
    let database = rusqlite::Connection::open(dir.path().join("d/clew.db")).unwrap();
    database.execute("INSERT INTO custodian (public_key, label, batch) VALUES (?1, 'back', 1)", [&old]).unwrap();
    drop(database);
    let run = clew_pass(dir.path(), &["--project", "d", "verify"]);
    assert_eq!(run.status.code(), Some(6));
    assert!(text(&run.stderr).contains("no custody event records adding it"), "{}", text(&run.stderr));
}

/// A custodian key split 2 of 3: any two shares open protected data, one alone does not.
#[test]
fn a_split_custodian_key_opens_with_enough_shares_only() {
    let dir = tempfile::tempdir().unwrap();
    ok(clew_pass(dir.path(), &["demo", "--dir", "d", "--testimonies", "3"]));
    let key = "d/custodian-DEMO-ONLY.key";
    let run = ok(clew_pass(dir.path(), &["keys", "split", key, "--shares", "3", "--threshold", "2", "--out-dir", "s"]));
    assert!(text(&run.stdout).contains("destroy"), "{}", text(&run.stdout));
    let share = |i: u8| format!("s/custodian-DEMO-ONLY.share-{i}-of-3");
    for i in 1..=3 {
        let content = std::fs::read_to_string(dir.path().join(share(i))).unwrap();
        assert!(!content.contains("AGE-SECRET-KEY"), "a share is not the key");
    }
    let show = |shares: &[String]| {
        let mut args = vec!["--project", "d", "protected", "show", "T-DEMO-000001"];
        for share in shares {
            args.extend_from_slice(&["--identity", share]);
        }
        clew_pass(dir.path(), &args)
    };
    for pair in [[1, 2], [1, 3], [3, 2]] {
        let run = ok(show(&[share(pair[0]), share(pair[1])]));
        assert!(text(&run.stdout).contains("SYNTHETIC-PROTECTED-NAME-000001"));
    }
    let run = show(&[share(2)]);
    assert_eq!(run.status.code(), Some(5));
    assert!(text(&run.stderr).contains("needs 2"), "{}", text(&run.stderr));
    let run = show(&[share(1), key.to_string()]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    // Existing share files are never replaced.
    let run = clew_pass(dir.path(), &["keys", "split", key, "--shares", "3", "--threshold", "2", "--out-dir", "s"]);
    assert!(!run.status.success());
}

/// A partner who holds an earlier signed tree head checks, offline, that the log only grew since, and that
/// an event is in it.
#[test]
fn inclusion_and_consistency_proofs_check_offline() {
    let dir = tempfile::tempdir().unwrap();
    ok(clew_pass(dir.path(), &["demo", "--dir", "d", "--testimonies", "5"]));
    let run = ok(clew_pass(dir.path(), &["--project", "d", "log", "head"]));
    std::fs::write(dir.path().join("earlier.json"), &run.stdout).unwrap();
    let earlier: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let earlier_size = earlier["tree_size"].as_u64().unwrap();
    // The log grows.
    ok(export(dir.path(), "d", &["--testimony", "T-DEMO-000001"], "internal", "p.tar"));
    ok(export(dir.path(), "d", &["--testimony", "T-DEMO-000002"], "internal", "q.tar"));

    let from = earlier_size.to_string();
    let run = ok(clew_pass(dir.path(), &["--project", "d", "log", "proof", "--from", &from]));
    std::fs::write(dir.path().join("consistency.json"), &run.stdout).unwrap();
    let run = ok(clew_pass(dir.path(), &["log", "check", "consistency.json", "--earlier", "earlier.json"]));
    assert!(text(&run.stdout).contains("its history was only appended to"), "{}", text(&run.stdout));
    let run = ok(clew_pass(dir.path(), &["--project", "d", "log", "proof", "--event", "2"]));
    std::fs::write(dir.path().join("inclusion.json"), &run.stdout).unwrap();
    let run = ok(clew_pass(dir.path(), &["log", "check", "inclusion.json"]));
    assert!(text(&run.stdout).contains("event 2 ("), "{}", text(&run.stdout));

    // Damaged proofs, a forged event, a head that is not the one the partner holds: each refused, saying why.
    let check = |name: &str, content: &str, extra: &[&str]| {
        std::fs::write(dir.path().join(name), content).unwrap();
        let mut args = vec!["log", "check", name];
        args.extend_from_slice(extra);
        let run = clew_pass(dir.path(), &args);
        assert_eq!(run.status.code(), Some(6), "{name}: {}", text(&run.stdout));
        text(&run.stderr)
    };
    let consistency: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("consistency.json")).unwrap()).unwrap();
    let mut damaged = consistency.clone();
    damaged["consistency_proof"][0] = "00".repeat(32).into();
    assert!(check("c1.json", &damaged.to_string(), &[]).contains("the consistency proof fails"));
    let mut other_start = consistency.clone();
    other_start["first_size"] = (earlier_size - 1).into();
    let said = check("c2.json", &other_start.to_string(), &["--earlier", "earlier.json"]);
    assert!(said.contains("not from the earlier tree head given"), "{said}");
    let inclusion: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("inclusion.json")).unwrap()).unwrap();
    let mut forged = inclusion.clone();
    forged["event"]["recorded_by"] = "someone else".into();
    assert!(check("i1.json", &forged.to_string(), &[]).contains("it was altered"));
    let mut resigned = inclusion.clone();
    resigned["tree_head"]["tree_size"] = 99.into();
    assert!(check("i2.json", &resigned.to_string(), &[]).contains("signature does not match"));
    let run = clew_pass(dir.path(), &["--project", "d", "log", "proof", "--from", "999"]);
    assert_eq!(run.status.code(), Some(2));
}

/// Issue 14 F7: a package whose archive would extract to something other than what was checked is refused,
/// naming the member. Above all a second copy of a file with the altered one first: clew read the last copy
/// and said "verified", while tools that keep the first copy, or print every copy (`tar -xO`), give the
/// altered text.
#[test]
fn a_package_with_a_member_twice_a_link_or_a_path_outside_is_refused() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    ok(clew_pass(dir.path(), &["demo", "--dir", "d", "--testimonies", "2"]));
    ok(export(dir.path(), "d", &["--testimony", "T-DEMO-000001"], "internal", "p.tar"));
    let package = std::fs::read(dir.path().join("p.tar")).unwrap();
    let mut members: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in tar::Archive::new(package.as_slice()).entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        members.push((entry.path().unwrap().to_string_lossy().to_string(), data));
    }
    let material = "clew-package/material/testimony.json";
    // The package's members again, with `extra` (raw tar bytes) before the material.
    let repacked = |extra: &[u8]| {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in &members {
            if name == material {
                builder.get_mut().extend_from_slice(extra);
            }
            let mut header = tar::Header::new_ustar();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            builder.append_data(&mut header, name, data.as_slice()).unwrap();
        }
        builder.into_inner().unwrap()
    };
    let raw_member = |name: &str, kind: tar::EntryType, data: &[u8]| {
        let mut header = tar::Header::new_ustar();
        header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(kind);
        if matches!(kind, tar::EntryType::Symlink | tar::EntryType::Link) {
            header.set_link_name("/etc/passwd").unwrap();
        }
        header.set_cksum();
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(data);
        bytes.resize(bytes.len().div_ceil(512) * 512, 0);
        bytes
    };
    let refused = |name: &str, bytes: Vec<u8>| {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let run = verify(dir.path(), name);
        assert_eq!(run.status.code(), Some(6), "{name}: {}{}", text(&run.stdout), text(&run.stderr));
        text(&run.stderr)
    };

    // Repacked as it was, the package still verifies.
    std::fs::write(dir.path().join("same.tar"), repacked(&[])).unwrap();
    ok(verify(dir.path(), "same.tar"));
    // The material twice, the altered copy first.
    let original = &members.iter().find(|(name, _)| name == material).unwrap().1;
    let altered = String::from_utf8_lossy(original).replacen("\"confidence\": 1.0", "\"confidence\": 0.1", 1);
    assert_ne!(altered.as_bytes(), original.as_slice());
    let said = refused("twice.tar", repacked(&raw_member(material, tar::EntryType::Regular, altered.as_bytes())));
    assert!(said.contains(&format!("member `{material}`: the archive holds it twice")), "{said}");
    if standard_tool("tar", "--version") {
        // What a recipient's tools can get out of it: the altered text.
        let run = ok(run_tool(dir.path(), "tar", &["-xOf", "twice.tar", material]));
        assert!(text(&run.stdout).contains("\"confidence\": 0.1"));
    }
    // Links, and names outside the folder.
    let cases = [
        ("clew-package/material/copy.json", tar::EntryType::Symlink, "a symbolic link, not a regular file"),
        ("clew-package/material/copy.json", tar::EntryType::Link, "a hard link, not a regular file"),
        ("clew-package/../outside.txt", tar::EntryType::Regular, "its name holds `..`"),
        ("/clew-package/outside.txt", tar::EntryType::Regular, "its name is absolute"),
    ];
    for (index, (name, kind, why)) in cases.into_iter().enumerate() {
        let said = refused(&format!("case{index}.tar"), repacked(&raw_member(name, kind, b"")));
        assert!(said.contains(&format!("member `{name}`: {why}")), "{said}");
    }
}

/// Issue 14 F16: a file that is no package is refused with its path and what it is not; its contents (the
/// tar reader quoted the bytes it could not parse) never appear.
#[test]
fn a_file_that_is_no_package_is_refused_without_showing_its_contents() {
    let dir = tempfile::tempdir().unwrap();
    let passwd = "root:x:0:0:SECRET-ROOT-LINE:/root:/bin/bash\ndaemon:x:1:1:SECRET-DAEMON:/usr/sbin\n".repeat(12);
    std::fs::write(dir.path().join("passwd"), &passwd).unwrap();
    std::fs::write(dir.path().join("short"), "SECRET-SHORT\n").unwrap();
    std::fs::write(dir.path().join("empty"), "").unwrap();
    for (name, why) in [("passwd", "not a tar archive"), ("short", "not a tar archive"), ("empty", "an empty archive")]
    {
        for json in [false, true] {
            let args = if json { vec!["--json", "package", "verify", name] } else { vec!["package", "verify", name] };
            let run = clew_pass(dir.path(), &args);
            assert_eq!(run.status.code(), Some(6), "{}", text(&run.stderr));
            let said = format!("{}{}", text(&run.stdout), text(&run.stderr));
            assert!(said.contains(&format!("{name}: not a clew package: {why}")), "{said}");
            assert!(!said.contains("SECRET") && !said.contains("root:x"), "{said}");
            assert!(!said.contains("manifest.json"), "one problem, not the consequences: {said}");
        }
    }
}
