//! `clew link` as a user runs it: a file deduplicated and two files linked, pairs and clusters written and
//! explained, judgements applied, a saved model reused, and bad configs, files and judgements refused with
//! their place and nothing written.

use std::path::Path;

use crate::{clew, text};

const CONFIG: &str = r#"version = "clew-link-v1"
id = "id"

[[comparison]]
name = "name"
kind = "person-name"
columns = ["name"]

[[comparison]]
name = "birth"
kind = "date"
columns = ["birth"]

[[comparison]]
name = "passport"
kind = "edit"
columns = ["passport"]

[blocking]
rules = ["surname(name)", "passport"]

[training]
prior_rules = ["passport"]
prior_recall = 0.5
em_rules = ["surname(name)", "year(birth)"]
u_pairs = 1000
"#;

/// Fictional workers (synthetic), some recorded twice in other scripts or with typing errors.
const PEOPLE: &str = "id,name,birth,passport
r1,Kim Chol Su,1975-03-02,836101
r2,김철수,1975-03-02,836101
r3,Ким Чхоль Су,1975,
r4,Ri Nam Hui,1980-11-20,745002
r5,Ri Nam Hui,1980-11-20,745020
r6,Pak Song Il,1969-06-01,612003
r7,Pak Song Il,,
r8,Choe Yong Ho,1990-01-15,590004
r9,Han Myong Ok,1985-07-07,501005
r10,Kim Jong Nam,1971-05-10,440006
r11,Kim Jong Nam,1971-05-10,440006
r12,O Su Gyong,1992-02-22,330007
";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("link.toml"), CONFIG).unwrap();
    std::fs::write(dir.path().join("people.csv"), PEOPLE).unwrap();
    dir
}

/// The rows of a CSV clew wrote, header first; a `# SYNTHETIC DATA` note line (from a demo project) is skipped.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).from_path(path).unwrap();
    let mut rows = vec![reader.headers().unwrap().iter().map(String::from).collect()];
    rows.extend(reader.records().map(|r| r.unwrap().iter().map(String::from).collect()));
    rows
}

#[test]
fn a_file_is_deduplicated_with_explained_pairs_and_clusters() {
    let dir = setup();
    let args = ["--json", "link", "dedupe", "people.csv", "--config", "link.toml", "--pairs", "pairs.csv", "--explain"];
    let run = clew(
        dir.path(),
        &[&args[..], &["--clusters", "clusters.csv", "--save-model", "model.toml", "--min-weight", "-50"]].concat(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["records"], 12);
    assert_eq!(report["blocking"][1]["rule"], "passport");
    assert_eq!(report["blocking"][1]["comparisons"], 2);

    let pairs = csv_rows(&dir.path().join("pairs.csv"));
    assert_eq!(
        pairs[0][..11],
        [
            "id_l",
            "id_r",
            "match_weight",
            "match_probability",
            "independent",
            "names_differ",
            "linked",
            "name_l",
            "name_r",
            "name_level",
            "name_weight"
        ]
    );
    let pair =
        |a: &str, b: &str| pairs.iter().find(|r| r[0] == a && r[1] == b).unwrap_or_else(|| panic!("no pair {a} {b}"));
    // 김철수 is Kim Chol Su; the birth date and the passport are the evidence beyond the name.
    let hangul = pair("r1", "r2");
    assert_eq!(
        (hangul[5].as_str(), hangul[6].as_str(), hangul[9].as_str(), hangul[13].as_str()),
        ("false", "true", "name score ≥ 0.92", "exact")
    );
    // Pak Song Il twice, with nothing but the name: never linked.
    let name_only = pair("r6", "r7");
    assert_eq!((name_only[4].as_str(), name_only[6].as_str()), ("false", "false"));

    let clusters = csv_rows(&dir.path().join("clusters.csv"));
    assert_eq!(clusters[0], ["file", "id", "entity_file", "entity", "size"]);
    let entity = |id: &str| clusters.iter().find(|r| r[1] == id).unwrap()[3].clone();
    assert_eq!(entity("r2"), "r1");
    assert_eq!(entity("r11"), "r10");
    assert_eq!(entity("r7"), "r7");
    assert_ne!(entity("r10"), entity("r1"), "Kim Jong Nam is not Kim Chol Su");

    // The saved model gives the same pairs without training.
    let again = clew(
        dir.path(),
        &[
            "link",
            "dedupe",
            "people.csv",
            "--config",
            "link.toml",
            "--model",
            "model.toml",
            "--pairs",
            "again.csv",
            "--explain",
            "--min-weight",
            "-50",
        ],
    );
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(csv_rows(&dir.path().join("again.csv")), pairs);
    assert!(std::fs::read_to_string(dir.path().join("model.toml")).unwrap().contains("version = \"clew-link-v1\""));
}

#[test]
fn judgements_override_the_model() {
    let dir = setup();
    std::fs::write(dir.path().join("judged.csv"), "id_l,id_r,verdict\nr1,r2,different\nr6,r7,same\n").unwrap();
    let run = clew(
        dir.path(),
        &[
            "link",
            "dedupe",
            "people.csv",
            "--config",
            "link.toml",
            "--judgements",
            "judged.csv",
            "--clusters",
            "clusters.csv",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let clusters = csv_rows(&dir.path().join("clusters.csv"));
    let entity = |id: &str| clusters.iter().find(|r| r[1] == id).unwrap()[3].clone();
    assert_ne!(entity("r1"), entity("r2"));
    assert_eq!(entity("r7"), "r6");
    assert!(text(&run.stdout).contains("2 across a pair judged different"), "{}", text(&run.stdout));
}

#[test]
fn two_files_are_linked_across_only() {
    let dir = setup();
    let (head, rest) = PEOPLE.split_once('\n').unwrap();
    let lines: Vec<&str> = rest.lines().collect();
    let pick = |parity: usize| {
        lines.iter().enumerate().filter(|(i, _)| i % 2 == parity).map(|(_, r)| *r).collect::<Vec<_>>().join("\n")
    };
    std::fs::write(dir.path().join("a.csv"), format!("{head}\n{}\n", pick(0))).unwrap();
    std::fs::write(dir.path().join("b.csv"), format!("{head}\n{}\n", pick(1))).unwrap();
    let run = clew(
        dir.path(),
        &["link", "pair", "a.csv", "b.csv", "--config", "link.toml", "--pairs", "pairs.csv", "--min-weight", "-50"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let pairs = csv_rows(&dir.path().join("pairs.csv"));
    let in_a = |id: &str| id[1..].parse::<u32>().unwrap() % 2 == 1;
    assert!(pairs.len() > 1);
    assert!(pairs[1..].iter().all(|p| in_a(&p[0]) != in_a(&p[1])), "{pairs:?}");
}

#[test]
fn plan_prints_the_comparisons_per_rule_and_stops() {
    let dir = setup();
    let run =
        clew(dir.path(), &["link", "dedupe", "people.csv", "--config", "link.toml", "--plan", "--pairs", "pairs.csv"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("  passport: 2 comparisons"), "{}", text(&run.stdout));
    assert!(!dir.path().join("pairs.csv").exists());
}

#[test]
fn bad_configs_files_and_judgements_are_refused_and_nothing_is_written() {
    let dir = setup();
    let outputs = ["--pairs", "pairs.csv", "--clusters", "clusters.csv", "--save-model", "model.toml"];
    let refused = |args: &[&str], code: i32| {
        let run = clew(dir.path(), &[args, &outputs[..]].concat());
        assert_eq!(run.status.code(), Some(code), "{}", text(&run.stdout));
        for file in ["pairs.csv", "clusters.csv", "model.toml"] {
            assert!(!dir.path().join(file).exists(), "{file} written");
        }
        text(&run.stderr)
    };
    std::fs::write(dir.path().join("bad.toml"), CONFIG.replace("kind = \"edit\"", "kind = \"fuzzy\"")).unwrap();
    let message = refused(&["link", "dedupe", "people.csv", "--config", "bad.toml"], 3);
    assert!(message.contains("bad.toml:16"), "{message}");
    assert!(message.contains("unknown variant `fuzzy`"), "{message}");

    std::fs::write(dir.path().join("short.csv"), "id,name,birth\nr1,Kim,1970\n").unwrap();
    let message = refused(&["link", "dedupe", "short.csv", "--config", "link.toml"], 3);
    assert!(message.contains("short.csv:1") && message.contains("no column `passport`"), "{message}");

    std::fs::write(dir.path().join("judged.csv"), "id_l,id_r,verdict\nr1,r99,same\nr1,r2,maybe\n").unwrap();
    let message = refused(&["link", "dedupe", "people.csv", "--config", "link.toml", "--judgements", "judged.csv"], 3);
    assert!(
        message.contains("judged.csv:2") && message.contains("no record of people.csv has the id `r99`"),
        "{message}"
    );
    assert!(
        message.contains("judged.csv:3") && message.contains("`maybe` is not same, different or unsure"),
        "{message}"
    );

    std::fs::write(dir.path().join("tight.toml"), CONFIG.replace("[blocking]", "[blocking]\nmax_comparisons = 3"))
        .unwrap();
    let message = refused(&["link", "dedupe", "people.csv", "--config", "tight.toml"], 2);
    assert!(message.contains("more than the limit of 3"), "{message}");
}

/// A project with the fictional people (synthetic) of clew-service's test_data/people: a roster and case files.
fn project_with_people(dir: &Path) {
    crate::init_project(dir, "p");
    for file in ["roster.jsonl", "cases.jsonl"] {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../clew-service/test_data/people").join(file);
        std::fs::copy(fixture, dir.join(file)).unwrap();
        let run = clew(dir, &["--project", "p", "import", file, "--format", "ftm"]);
        assert!(run.status.success(), "{}", text(&run.stderr));
    }
}

#[test]
fn a_project_is_linked_reviewed_and_judged_without_changing_it() {
    let dir = tempfile::tempdir().unwrap();
    project_with_people(dir.path());
    let before = clew(dir.path(), &["--project", "p", "--json", "stats"]);
    let link = |extra: &[&str]| {
        let run = clew(
            dir.path(),
            &[&["--project", "p", "--json", "link", "run", "--clusters", "clusters.csv"][..], extra].concat(),
        );
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        let clusters = csv_rows(&dir.path().join("clusters.csv"));
        move |id: &str| clusters.iter().find(|r| r[1] == id).unwrap()[3].clone()
    };
    let entity = link(&[]);
    assert_eq!(entity("roster.1"), entity("case.1"), "김철수 / Kim Chol Su is Ким Чхоль Су, born 1975");
    assert_eq!(entity("roster.2"), entity("case.2"), "Ri Nam Hui is 리남희, born the same day");
    assert_ne!(entity("roster.3"), entity("case.3"), "the same name and nothing else: never linked");

    // The model's least certain pairs, for a reviewer.
    let run = clew(dir.path(), &["--project", "p", "--json", "link", "review", "--limit", "3"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let pairs: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(!pairs.as_array().unwrap().is_empty());
    assert!(pairs[0]["parts"][0]["comparison"] == "name");

    // A reviewer knows more: case.3 is roster.3, and case.1 is not roster.1 after all. The verdicts override.
    for (a, b, verdict) in [("roster.3", "case.3", "same"), ("roster.1", "case.1", "different")] {
        let run = clew(dir.path(), &["--project", "p", "link", "judge", a, b, verdict, "--note", "checked the roster"]);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    }
    let entity = link(&[]);
    assert_eq!(entity("roster.3"), entity("case.3"));
    assert_ne!(entity("roster.1"), entity("case.1"));
    // Reversible: a later verdict on the pair counts, and the earlier one stays in the log.
    let run = clew(dir.path(), &["--project", "p", "link", "judge", "roster.1", "case.1", "unsure"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let entity = link(&[]);
    assert_eq!(entity("roster.1"), entity("case.1"));

    let log = clew(dir.path(), &["--project", "p", "--json", "log", "show"]);
    let log = text(&log.stdout);
    assert_eq!(log.matches("link-judgement").count(), 3, "{log}");
    assert!(!log.contains("checked the roster"), "the note stays out of the log");
    let verify = clew(dir.path(), &["--project", "p", "verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    // Linking changed no statement.
    let after = clew(dir.path(), &["--project", "p", "--json", "stats"]);
    let count = |run: &std::process::Output| {
        serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap()["statements"].clone()
    };
    assert_eq!(count(&before), count(&after));

    // A judgement changed behind clew's back is caught.
    let database = std::fs::read_dir(dir.path().join("p"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "db"))
        .unwrap();
    let connection = rusqlite::Connection::open(&database).unwrap();
    connection.execute("UPDATE link_judgement SET verdict = 'different' WHERE key = 1", []).unwrap();
    // Who and when are the batch's: moving a judgement to another batch (another reviewer) is caught too.
    connection.execute("UPDATE link_judgement SET batch = (SELECT min(id) FROM batch) WHERE key = 2", []).unwrap();
    drop(connection);
    let verify = clew(dir.path(), &["--project", "p", "verify"]);
    let said = text(&verify.stdout) + &text(&verify.stderr);
    assert_eq!(verify.status.code(), Some(6), "{said}");
    assert!(said.contains("linkage judgement 1 (roster.3 and case.3): it no longer matches event"), "{said}");
    assert!(said.contains("linkage judgement 2 (roster.1 and case.1): no event logged it"), "{said}");
    assert!(said.contains("logged by event") && said.contains("it is gone"), "{said}");

    // Bad verdicts and unknown entities are refused.
    let run = clew(dir.path(), &["--project", "p", "link", "judge", "roster.1", "case.1", "maybe"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("`maybe` is not same, different or unsure"), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "p", "link", "judge", "roster.1", "nobody.9", "same"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("no entity nobody.9 in the project"), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "p", "link", "judge", "roster.1", "roster.c1", "same"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("they are never compared"), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "p", "link", "review", "--limit", "0"]);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn capture_histories_come_out_ready_for_estimation() {
    let dir = tempfile::tempdir().unwrap();
    project_with_people(dir.path());
    let args = ["--project", "p", "link", "histories", "--list", "roster=ftm:roster", "--list", "cases=ftm:cases"];
    let run = clew(dir.path(), &[&args[..], &["--stratum", "nationality", "--out", "histories.csv"]].concat());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("6 linked entities"), "{}", text(&run.stdout));
    // Kim Chol Su and Ri Nam Hui are on both lists; two people on each alone.
    expect_test::expect![[r#"
        roster,cases,nationality,count
        1,1,kp,2
        1,0,kp,2
        0,1,kp,2
    "#]]
    .assert_eq(&std::fs::read_to_string(dir.path().join("histories.csv")).unwrap());
    // Without --out, the table goes to standard output.
    let run = clew(dir.path(), &args);
    assert_eq!(text(&run.stdout), "roster,cases,count\n1,1,2\n1,0,2\n0,1,2\n");
    // The table is what `clew estimate population` reads: two lists give Lincoln-Petersen's 4 × 4 / 2 = 8;
    // by nationality, a stratum with two lists is not estimable.
    std::fs::write(dir.path().join("two.csv"), &run.stdout).unwrap();
    let run =
        clew(dir.path(), &["--json", "estimate", "population", "two.csv", "--method", "main", "--replicates", "100"]);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!((report["strata"][0]["methods"][0]["estimate"].as_f64().unwrap() - 8.0).abs() < 1e-6, "{report}");
    // No stratum estimable: the command fails (exit 3), its report under `report`.
    let run = clew(dir.path(), &["--json", "estimate", "population", "histories.csv", "--stratum", "nationality"]);
    assert_eq!(run.status.code(), Some(3));
    let failure: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let reason = failure["report"]["strata"][0]["not_estimable"].as_str().unwrap();
    assert!(reason.contains("a stratum needs at least 3"), "{failure}");

    let run = clew(dir.path(), &["--project", "p", "link", "histories", "--list", "roster=ftm:roster"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("at least two --list"), "{}", text(&run.stderr));
    // Lists must not overlap: a source on two lists would make them overlap by construction.
    let refused = |args: &[&str], message: &str| {
        let run = clew(dir.path(), &[&["--project", "p", "link", "histories"][..], args].concat());
        assert_eq!(run.status.code(), Some(2), "{}", text(&run.stdout));
        assert!(text(&run.stderr).contains(message), "{}", text(&run.stderr));
    };
    refused(&["--list", "all=ftm:", "--list", "cases=ftm:cases"], "is on the lists all and cases");
    refused(&["--list", "a=", "--list", "cases=ftm:cases"], "the prefix is empty");
    refused(
        &["--list", "nationality=ftm:roster", "--list", "cases=ftm:cases", "--stratum", "nationality"],
        "other than `count` and the stratum",
    );
    refused(
        &["--list", "roster=ftm:roster", "--list", "cases=ftm:cases", "--stratum", "gender"],
        "no linked entity has a value",
    );
}

#[test]
fn the_demo_projects_minders_named_in_several_testimonies_are_linked() {
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "80"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "d", "--json", "link", "run", "--pairs", "pairs.csv"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(report["entities_with_several_records"].as_u64().unwrap() >= 3, "{report}");
    let written = std::fs::read_to_string(dir.path().join("pairs.csv")).unwrap();
    assert!(written.starts_with("# SYNTHETIC DATA"), "a demo's pairs say they are synthetic");
    // Every link rests on more than the name: here, the year of birth witnesses gave.
    let pairs = csv_rows(&dir.path().join("pairs.csv"));
    assert!(pairs.len() > 3);
    assert!(pairs[1..].iter().all(|p| p[4] == "true" && p[5] == "false" && p[6] == "true"), "{pairs:?}");
    let run = clew(dir.path(), &["--project", "d", "link", "review", "--limit", "2"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("security officer"), "{}", text(&run.stdout));
}
