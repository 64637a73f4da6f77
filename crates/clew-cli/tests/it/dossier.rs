//! `clew dossier` as a user runs it on a demo project: the HTML and the manifest written into a new folder,
//! each audience shown only what it may see, in three languages, the export logged with the files' hashes,
//! and `--diff` saying what changed.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::{clew, text};

/// A demo project of 600 synthetic testimonies, in `dir/d`.
fn demo(dir: &Path) {
    let run = clew(dir, &["demo", "--dir", "d", "--testimonies", "600", "--seed", "11"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
}

fn dossier(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--project", "d", "--json", "dossier"];
    all.extend_from_slice(args);
    crate::clew_with_passphrase(dir, &all, "clew-demo-passphrase")
}

/// Runs a dossier's `verify-proofs.py` on its folder: whether it passed, and what it said.
fn verify_proofs(folder: &Path) -> (bool, String) {
    let run = std::process::Command::new("python3").arg(folder.join("verify-proofs.py")).arg(folder).output().unwrap();
    (run.status.success(), format!("{}{}", text(&run.stdout), text(&run.stderr)))
}

/// What a run said, on either stream (`--json` puts a failure on standard output).
fn said(run: &std::process::Output) -> String {
    format!("{}{}", text(&run.stdout), text(&run.stderr))
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn a_dossier_is_written_for_each_audience_in_each_language_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let company = "demo.company.0000";
    let mut written = Vec::new();
    for (audience, lang, heading) in [
        ("internal", "en", "Exhibits"),
        ("un", "ko", "증거물 목록"),
        ("monitors", "ru", "Доказательства"),
        ("prosecutor", "en", "Exhibits"),
    ] {
        let out = format!("out-{audience}-{lang}");
        let run = dossier(dir.path(), &[company, "--audience", audience, "--lang", lang, "--out", &out]);
        assert!(run.status.success(), "{audience}: {}", text(&run.stderr));
        let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let html = std::fs::read_to_string(dir.path().join(&out).join("dossier.html")).unwrap();
        let manifest = std::fs::read(dir.path().join(&out).join("manifest.json")).unwrap();
        // One self-contained file: nothing loaded from elsewhere, no script.
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains(&format!("<html lang=\"{lang}\"")));
        for loader in ["<script", "<link", " src=", "@import", "url("] {
            assert!(!html.contains(loader), "{audience}: the dossier loads something: {loader}");
        }
        assert!(html.contains(heading) && html.contains("DEMO Severny Most 0000"), "{audience}");
        assert!(html.contains("SYNTHETIC") || html.contains("가상") || html.contains("СИНТЕТИЧЕСКИЕ"), "{audience}");
        // Every exhibit's hash is in it, and the manifest names the same exhibits.
        let manifest_json: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
        let exhibits = manifest_json["made_from"]["exhibits"].as_array().unwrap();
        assert_eq!(exhibits.len() as u64, report["exhibits"].as_u64().unwrap(), "{audience}");
        assert!(!exhibits.is_empty(), "{audience}");
        for exhibit in exhibits {
            if let Some(hash) = exhibit[1].as_str() {
                assert!(html.contains(hash), "{audience}: exhibit hash {hash} missing");
            }
        }
        // Its structure: every section, in order; one row per exhibit, one article per allegation, and the counts
        // at the top the command's own.
        let sections = [
            "entity",
            "claims",
            "matrix",
            "timeline",
            "sites",
            "network",
            "ledger",
            "law",
            "held-back",
            "exhibits",
            "made-from",
        ];
        let at: Vec<usize> = sections
            .iter()
            .map(|id| {
                html.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("{audience}: no section {id}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{audience}: sections out of order");
        let claims = report["claims"].as_u64().unwrap() as usize;
        assert_eq!(html.matches("<tr id=\"E-").count(), exhibits.len(), "{audience}");
        assert_eq!(html.matches("id=\"claim-").count(), claims, "{audience}");
        let counts = format!("<dd>{}</dd></div><div><dt>", claims);
        assert!(html.contains(&counts), "{audience}: the allegations' count");
        // Pseudonyms for the team alone; protected data for no one.
        assert!(!html.contains("SYNTHETIC-PROTECTED"), "{audience}");
        assert_eq!(html.contains("W-DEMO-"), audience == "internal", "{audience}: pseudonyms");
        // The files the command reports are the files written: the HTML, the manifest and the PDF.
        let files = report["files"].as_array().unwrap();
        assert_eq!(files[0][1].as_str().unwrap(), sha256(html.as_bytes()));
        assert_eq!(files[1][1].as_str().unwrap(), sha256(&manifest));
        let pdf = std::fs::read(dir.path().join(&out).join("dossier.pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{audience}");
        assert_eq!(
            (files[2][0].as_str().unwrap(), files[2][1].as_str().unwrap()),
            ("dossier.pdf", sha256(&pdf).as_str())
        );
        // The proofs: every exhibit's events and the export, in the log under a signed head; verify-proofs.py
        // checks them and every file offline.
        let proofs: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(&out).join("proofs.json")).unwrap()).unwrap();
        let proved: Vec<u64> =
            proofs["events"].as_array().unwrap().iter().map(|e| e["seq"].as_u64().unwrap()).collect();
        assert_eq!(proved.last(), report["event"].as_u64().as_ref(), "{audience}: the export is proved last");
        assert_eq!(proofs["tree_head"]["tree_size"].as_u64(), report["event"].as_u64(), "{audience}");
        assert!(proved.len() >= 2, "{audience}: {proved:?}");
        for seq in &proved[..proved.len() - 1] {
            assert!(html.contains(&format!("#{seq}")), "{audience}: proved event {seq} is no exhibit's");
        }
        let (ok, said_by) = verify_proofs(&dir.path().join(&out));
        assert!(ok && said_by.contains("dossier.pdf is the file"), "{audience}: {said_by}");
        written.push((audience, sha256(html.as_bytes()), report["event"].as_u64().unwrap()));
    }

    // A file changed after the export no longer checks out.
    let tampered = dir.path().join("out-un-ko");
    std::fs::write(tampered.join("manifest.json"), b"{}").unwrap();
    let (ok, said_by) = verify_proofs(&tampered);
    assert!(!ok && said_by.contains("manifest.json is not the file the dossier-export event logged"), "{said_by}");

    // Each export is a custody event naming the files' hashes (and nothing about a witness).
    let log: serde_json::Value =
        serde_json::from_slice(&clew(dir.path(), &["--project", "d", "--json", "log", "show"]).stdout).unwrap();
    for (audience, html_hash, seq) in &written {
        let event = log.as_array().unwrap().iter().find(|e| e["seq"].as_u64() == Some(*seq)).unwrap();
        assert_eq!(event["kind"], "dossier-export");
        let detail = event["detail"].as_str().unwrap();
        assert!(detail.contains(html_hash) && detail.contains(&format!("\"audience\":\"{audience}\"")), "{detail}");
        assert!(!detail.contains("W-DEMO-"), "{detail}");
    }

    // The same evidence, the same dossier; --diff says nothing changed, and names a changed audience.
    let again = dossier(
        dir.path(),
        &[company, "--audience", "internal", "--out", "again", "--diff", "out-internal-en/manifest.json"],
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["changes"], serde_json::json!([]), "{report}");
    // Made from the same evidence: the manifests differ only in the custody log's head (later exports were
    // logged in between).
    let without_head = |path: &str| {
        let mut manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(path)).unwrap()).unwrap();
        manifest["made_from"]["log_head"] = serde_json::Value::Null;
        manifest
    };
    assert_eq!(without_head("out-internal-en/manifest.json"), without_head("again/manifest.json"));
    let changed = dossier(
        dir.path(),
        &[company, "--audience", "un", "--out", "un-again", "--diff", "out-internal-en/manifest.json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&changed.stdout).unwrap();
    let changes = report["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c.as_str().unwrap().starts_with("the audience: internal")), "{changes:?}");
    assert!(changes.iter().any(|c| c.as_str().unwrap().starts_with("exhibit gone")), "{changes:?}");

    // A folder that holds something is never written into; a bad manifest is named with where it is wrong.
    let refused = dossier(dir.path(), &[company, "--audience", "un", "--out", "out-un-ko"]);
    assert!(!refused.status.success());
    assert!(said(&refused).contains("not an empty folder"), "{}", said(&refused));
    std::fs::write(dir.path().join("bad.json"), "{\n  \"format\": 7\n}\n").unwrap();
    let bad = dossier(dir.path(), &[company, "--audience", "un", "--out", "x", "--diff", "bad.json"]);
    assert!(!bad.status.success() && !dir.path().join("x").exists());
    assert!(said(&bad).contains("bad.json:2:"), "{}", said(&bad));
    // Without the fonts a PDF needs, the missing one is named and nothing is written; --no-pdf writes the rest.
    let fonts = tempfile::tempdir().unwrap();
    let missing =
        dossier(dir.path(), &[company, "--audience", "un", "--out", "y", "--fonts", fonts.path().to_str().unwrap()]);
    assert!(!missing.status.success() && !dir.path().join("y").exists());
    assert!(
        said(&missing).contains("no font for Latin and Cyrillic") && said(&missing).contains("--no-pdf"),
        "{}",
        said(&missing)
    );
    let html_only = dossier(dir.path(), &[company, "--audience", "un", "--out", "y", "--no-pdf", "--no-proofs"]);
    assert!(html_only.status.success(), "{}", said(&html_only));
    assert!(dir.path().join("y/dossier.html").exists() && !dir.path().join("y/dossier.pdf").exists());
    assert!(!dir.path().join("y/proofs.json").exists());
    // A wrong passphrase is refused before the dossier is made.
    let wrong = crate::clew_with_passphrase(
        dir.path(),
        &["--project", "d", "dossier", company, "--audience", "un", "--out", "wrong"],
        "not the passphrase",
    );
    assert!(!wrong.status.success() && !dir.path().join("wrong").exists(), "{}", said(&wrong));
    // Proofs need the passphrase: without one (no terminal), refused before anything is written.
    let run = clew(dir.path(), &["--project", "d", "dossier", company, "--audience", "un", "--out", "z"]);
    assert!(!run.status.success() && !dir.path().join("z").exists());
    assert!(said(&run).contains("--no-proofs"), "{}", said(&run));
    // Nothing half written is left beside the folders.
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A witness is never the subject of a dossier.
    let witness = dossier(dir.path(), &["witness:W-DEMO-000000", "--audience", "internal", "--out", "w"]);
    assert!(!witness.status.success(), "{}", text(&witness.stdout));
    assert!(said(&witness).contains("is a witness"), "{}", said(&witness));
}

#[test]
fn a_sanctions_brief_is_written_for_an_outside_audience_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let brief = |args: &[&str]| {
        let mut all = vec!["--project", "d", "--json", "brief", "sanctions"];
        all.extend_from_slice(args);
        clew(dir.path(), &all)
    };
    let run = brief(&["--audience", "monitors", "--lang", "ko", "--since", "2022-01", "--out", "b"]);
    assert!(run.status.success(), "{}", said(&run));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let html = std::fs::read_to_string(dir.path().join("b/brief.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"ko\""));
    for loader in ["<script", "<link", " src=", "@import", "url("] {
        assert!(!html.contains(loader), "the brief loads something: {loader}");
    }
    let sections = ["deadline", "permits", "bodies", "revenue", "law", "method"];
    let at: Vec<usize> = sections.iter().map(|id| html.find(&format!("<section id=\"{id}\"")).expect(id)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "sections out of order");
    assert!(html.contains("제재 브리핑") && html.contains("가상 데이터") && html.contains("2022-01"));
    let witnesses = report["witnesses_after_deadline"].as_u64().unwrap();
    assert!(witnesses >= 5 && html.contains(&format!("<dd>{witnesses}</dd>")), "{report}");
    assert!(report["testimonies_left_out"].as_u64().unwrap() > 0, "consent leaves some out for monitors");
    assert!(!html.contains("W-DEMO-") && !html.contains("T-DEMO-") && !html.contains("SYNTHETIC-PROTECTED"));
    assert!(html.contains("DEMO Korea") && html.contains("demo.dprk-entity."), "dispatching bodies named");
    let pdf = std::fs::read(dir.path().join("b/brief.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("b/manifest.json")).unwrap()).unwrap();
    assert_eq!((manifest["audience"].as_str(), manifest["since"].as_str()), (Some("monitors"), Some("2022-01")));
    // Logged, with the files' hashes.
    let log: serde_json::Value =
        serde_json::from_slice(&clew(dir.path(), &["--project", "d", "--json", "log", "show"]).stdout).unwrap();
    let seq = report["event"].as_u64().unwrap();
    let event = log.as_array().unwrap().iter().find(|e| e["seq"].as_u64() == Some(seq)).unwrap();
    assert_eq!(event["kind"], "brief-export");
    assert!(event["detail"].as_str().unwrap().contains(&sha256(&pdf)));
    // Refused, with nothing written: a folder in use, a date that is none, k below 3 outside.
    let occupied = brief(&["--audience", "un", "--out", "b"]);
    assert!(!occupied.status.success() && said(&occupied).contains("not an empty folder"), "{}", said(&occupied));
    let bad = brief(&["--audience", "un", "--since", "soon", "--out", "c"]);
    assert!(!bad.status.success() && said(&bad).contains("--since") && !dir.path().join("c").exists());
    let thin = brief(&["--audience", "public", "--min-witnesses", "2", "--out", "c", "--no-pdf"]);
    assert!(!thin.status.success() && said(&thin).contains("at least 3") && !dir.path().join("c").exists());
}
