//! `clew screen` on the real UN and OFAC lists: matches across scripts with explanations, near misses kept
//! below the threshold, and lists or queries that cannot be read refused with their place.

use std::path::PathBuf;

use crate::{clew, text};

fn shared(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../clew-screen/test_data/lists").join(path).display().to_string()
}

#[test]
fn korean_names_are_screened_across_scripts_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    // Public figures of the UN and OFAC lists, written as a Russian or South Korean document might.
    std::fs::write(
        dir.path().join("queries.csv"),
        "full_name,date_of_birth,nationality\n\
         Чвэ Чхун Ен,,\n\
         Yeon Jeong-nam,,\n\
         KIM SONG CHOL,,\n\
         Patricia Lucas Wheeler,2002-07-14,Ethiopia\n",
    )
    .unwrap();
    let un = shared("un_sc_consolidated_2024-09-26.xml");
    let run = clew(dir.path(), &["--json", "screen", "--list", &un, "--queries", "queries.csv", "--top", "3"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["lists"][0]["version"], "2024-09-26T00:00:07.514Z");
    assert_eq!(report["matcher"], "clew-names-v1");
    let results = report["results"].as_array().unwrap();
    let top = |i: usize| &results[i]["candidates"][0];
    assert_eq!(top(0)["entity_id"], "un-KPi.054");
    assert_eq!(top(0)["matched"], true);
    assert_eq!(top(0)["name_match"]["method"], "korean");
    assert!(top(0)["name_match"]["korean"]["parts"][0]["rule"].as_str().unwrap().contains("최"));
    assert_eq!(top(1)["entity_id"], "un-KPi.010");
    // KIM SONG CHOL is listed; KIM SOK CHOL, a syllable apart, is another listed person and no match for it.
    let third: Vec<(&str, bool)> = results[2]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["list_name"].as_str().unwrap(), c["matched"].as_bool().unwrap()))
        .collect();
    assert_eq!(third[0], ("KIM SONG CHOL", true), "{third:?}");
    assert!(third.iter().all(|(name, matched)| *name != "KIM SOK CHOL" || !matched), "{third:?}");
    assert_eq!(report["queries_with_match"], 3, "the synthetic negative has no match");

    // Text output names the rule of each part.
    let run = clew(dir.path(), &["screen", "--list", &un, "--queries", "queries.csv", "--matches-only"]);
    let shown = text(&run.stdout);
    assert!(shown.contains("MATCH un-KPi.054") && shown.contains("both can be the surname 최"), "{shown}");
    assert!(!shown.contains("Patricia"), "--matches-only leaves out queries without a match:\n{shown}");
}

#[test]
fn ofac_lists_bring_their_aliases_and_organisations_match_by_legal_form() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("orgs.csv"), "full_name,schema\nООО Мокран,Company\n").unwrap();
    let sdn = shared("ofac_sdn_2022-01.csv");
    let run = clew(dir.path(), &["--json", "screen", "--list", &sdn, "--queries", "orgs.csv"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let top = &report["results"][0]["candidates"][0];
    assert_eq!((top["entity_id"].as_str(), top["matched"].as_bool()), (Some("ofac-30083"), Some(true)), "{top}");
}

#[test]
fn companies_are_found_without_a_schema_column_and_the_report_says_how_each_kind_was_chosen() {
    // Issue 15: a new user's file has no `schema` column; every row was screened as a person, and the first
    // two found nothing (OFAC 19611 word for word) or only a person (SAAB MORAN, Alex at 0.51).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("q.csv"),
        "full_name,date_of_birth,nationality\n\
         Korea General Corporation for External Construction,,\n\
         Mokran LLC,,Russia\n\
         ООО «Мокран»,,\n\
         Черноморнефтегаз,,\n\
         KIM SONG CHOL,,\n\
         Patricia Lucas Wheeler,2002-07-14,Ethiopia\n",
    )
    .unwrap();
    let (un, sdn) = (shared("un_sc_consolidated_2024-09-26.xml"), shared("ofac_sdn_2022-01.csv"));
    let run = clew(dir.path(), &["--json", "screen", "--list", &un, "--list", &sdn, "--queries", "q.csv"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let results = report["results"].as_array().unwrap();
    let expected = [
        ("ofac-19611", "Organization", serde_json::json!({"how": "inferred", "word": "Corporation"})),
        ("ofac-30083", "Organization", serde_json::json!({"how": "inferred", "word": "LLC"})),
        ("ofac-30083", "Organization", serde_json::json!({"how": "inferred", "word": "ООО"})),
        ("ofac-16736", "", serde_json::json!({"how": "both_tried"})),
        ("ofac-19531", "", serde_json::json!({"how": "both_tried"})),
    ];
    for (result, (entity, schema, kind)) in results.iter().zip(expected) {
        let top = &result["candidates"][0];
        assert_eq!(top["entity_id"], entity, "{result}");
        assert!(top["score"].as_f64().unwrap() >= 0.9, "{result}");
        assert_eq!(result["kind"], kind, "{result}");
        assert_eq!(result["schema"].as_str().unwrap_or_default(), schema, "{result}");
    }
    // A date of birth weighs on people's scores but does not hide organisations.
    assert_eq!(results[5]["kind"], serde_json::json!({"how": "both_tried"}));
    assert_eq!(results[5]["schema"], serde_json::Value::Null);
    assert_eq!(report["queries_with_match"], 5, "the synthetic person has no match");

    let run = clew(dir.path(), &["screen", "--list", &un, "--list", &sdn, "--queries", "q.csv"]);
    let shown = text(&run.stdout);
    for line in [
        "screened as Organization: inferred from \"Corporation\"",
        "screened as Organization: inferred from \"ООО\"",
        "screened as every kind: both tried",
        "1.00 MATCH ofac-19611 `KOREA GENERAL CORPORATION FOR EXTERNAL CONSTRUCTION`",
    ] {
        assert!(shown.contains(line), "{line}\n{shown}");
    }
}

#[test]
fn lists_and_queries_that_cannot_be_read_are_refused_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("q.csv"), "full_name\nKIM SONG CHOL\n").unwrap();
    let full = std::fs::read(shared("un_sc_consolidated_2024-09-26.xml")).unwrap();
    std::fs::write(dir.path().join("cut.xml"), &full[..full.len() / 3]).unwrap();
    let run = clew(dir.path(), &["screen", "--list", "cut.xml", "--queries", "q.csv"]);
    assert_eq!(run.status.code(), Some(3));
    let problem = text(&run.stderr);
    assert!(problem.contains("cut.xml:") && problem.contains("end of input"), "{problem}");
    assert!(run.stdout.is_empty(), "a partly read list is never used");

    std::fs::write(dir.path().join("list.bin"), [0u8, 1, 2]).unwrap();
    let run = clew(dir.path(), &["screen", "--list", "list.bin", "--queries", "q.csv"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("--format"), "{}", text(&run.stderr));

    std::fs::write(dir.path().join("list.csv"), "id,name\nS-1,SYNTHETIC TRADING LLC\n").unwrap();
    std::fs::write(dir.path().join("bad.csv"), "full_name,date_of_birth\nKIM SONG CHOL,19xx\n").unwrap();
    let run = clew(dir.path(), &["screen", "--list", "list.csv", "--queries", "bad.csv"]);
    assert_eq!(run.status.code(), Some(3));
    assert!(text(&run.stderr).contains("bad.csv:2:2"), "{}", text(&run.stderr));
    std::fs::write(dir.path().join("empty.csv"), "full_name\n\"\"\n").unwrap();
    let run = clew(dir.path(), &["screen", "--list", "list.csv", "--queries", "empty.csv"]);
    assert!(text(&run.stderr).contains("empty `full_name`"), "{}", text(&run.stderr));
}

#[test]
fn a_project_keeps_lists_and_screens_its_entities_against_them() {
    let dir = tempfile::tempdir().unwrap();
    let run = clew(dir.path(), &["demo", "--dir", "d", "--testimonies", "5"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "d", "--json", "entity", "show", "demo.company.0000"]);
    let company: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let name = company["caption"].as_str().unwrap().to_string();
    // A synthetic list whose one entry bears the synthetic demo company's name.
    std::fs::write(
        dir.path().join("synthetic-list.csv"),
        format!(
            "id,name,schema,program\nSYN-1,\"{name}\",Company,SYNTHETIC\nSYN-2,Nobody Of That Name,Person,SYNTHETIC\n"
        ),
    )
    .unwrap();
    let run = clew(dir.path(), &["--project", "d", "lists", "import", "synthetic-list.csv"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("2 listed entities"), "{}", text(&run.stdout));
    let run = clew(dir.path(), &["--project", "d", "lists", "import", "synthetic-list.csv"]);
    assert!(text(&run.stdout).contains("kept already"), "{}", text(&run.stdout));
    let run = clew(dir.path(), &["--project", "d", "--json", "lists", "list"]);
    let lists: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(lists.as_array().unwrap().len(), 1);
    let run = clew(dir.path(), &["--project", "d", "--json", "log", "show"]);
    assert!(text(&run.stdout).contains("list-import"), "the import is logged");

    let run = clew(dir.path(), &["--project", "d", "--json", "screen", "--matches-only"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let results = report["results"].as_array().unwrap();
    let company = results.iter().find(|r| r["query"] == "demo.company.0000").unwrap();
    assert_eq!(company["candidates"][0]["entity_id"], "SYN-1");
    assert_eq!(report["lists"][0]["format"], "csv");

    // Recorded: one SanctionsMatch with its provenance, logged; recording again changes nothing.
    let run = clew(dir.path(), &["--project", "d", "screen", "--record"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("recorded:"), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "d", "--json", "entity", "list", "--schema", "SanctionsMatch"]);
    let matches: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let matches = matches.as_array().unwrap();
    assert_eq!(matches.len(), 1, "{matches:?}");
    let id = matches[0]["id"].as_str().unwrap();
    let run = clew(dir.path(), &["--project", "d", "--json", "entity", "show", id]);
    let shown: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let value = |p: &str| shown["properties"][p][0]["statement"]["value"].as_str().unwrap_or_default().to_string();
    assert_eq!(value("subject"), "demo.company.0000");
    assert_eq!(value("listEntry"), "SYN-1");
    assert_eq!(value("listSha256"), lists[0]["sha256"].as_str().unwrap());
    assert!(value("matcherVersion").starts_with("clew-names-v1"), "{}", value("matcherVersion"));
    assert!(value("explanation").contains("name 1.00"), "{}", value("explanation"));
    let run = clew(dir.path(), &["--project", "d", "screen", "--record"]);
    assert!(
        text(&run.stderr).contains("written anew: 0") || text(&run.stderr).contains("matches of 0 written anew"),
        "{}",
        text(&run.stderr)
    );
    let run = clew(dir.path(), &["--project", "d", "verify"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "d", "--json", "log", "show"]);
    assert!(text(&run.stdout).contains("\"screening\""), "the recording is logged");

    // An OFAC list (synthetic, in OFAC's format) is kept with its aliases' file: the match is by an alias.
    std::fs::write(
        dir.path().join("synthetic-sdn.csv"),
        "99001,\"SYNTHETIC PRIMARY NAME CO.\",-0- ,SYNTHETIC,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
    )
    .unwrap();
    std::fs::write(dir.path().join("synthetic-alt.csv"), format!("99001,1,aka,\"{name}\",-0- \n")).unwrap();
    std::fs::write(dir.path().join("synthetic-add.csv"), "99001,1,-0- ,\"Vladivostok\",\"Russia\",-0- \n").unwrap();
    let run = clew(dir.path(), &["--project", "d", "--json", "lists", "import", "synthetic-sdn.csv"]);
    let kept: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(kept["list"]["companion_sha256"].is_string(), "{kept}");
    assert!(kept["list"]["addresses_sha256"].is_string(), "the addresses file is kept too: {kept}");
    std::fs::remove_file(dir.path().join("synthetic-alt.csv")).unwrap();
    std::fs::remove_file(dir.path().join("synthetic-add.csv")).unwrap();
    let run = clew(dir.path(), &["--project", "d", "--json", "screen", "--matches-only"]);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let company = report["results"].as_array().unwrap().iter().find(|r| r["query"] == "demo.company.0000").unwrap();
    let ids: Vec<&str> =
        company["candidates"].as_array().unwrap().iter().map(|c| c["entity_id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"ofac-99001"), "{ids:?}");

    // The same list kept again with another aliases file is refused, not silently half-kept.
    let run = clew(dir.path(), &["--project", "d", "lists", "import", "synthetic-sdn.csv"]);
    assert!(!run.status.success() && text(&run.stderr).contains("aliases file"), "{}", text(&run.stderr));
    // A newer version of a kept list replaces the older one in screening: SYN-1 was delisted.
    std::fs::write(dir.path().join("synthetic-list.csv"), "id,name,schema\nSYN-3,Nobody Else,Company\n").unwrap();
    let run = clew(dir.path(), &["--project", "d", "lists", "import", "synthetic-list.csv"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let run = clew(dir.path(), &["--project", "d", "--json", "screen"]);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(!text(&run.stdout).contains("\"SYN-1\""), "the older version is not screened against");
    assert_eq!(report["lists"].as_array().unwrap().len(), 2, "the newest of each list");

    // A kept list altered behind clew's back is named by `clew verify`.
    let sha = lists[0]["sha256"].as_str().unwrap();
    let kept = dir.path().join("d/lists").join(sha);
    let mut bytes = std::fs::read(&kept).unwrap();
    bytes.push(b'\n');
    std::fs::write(&kept, bytes).unwrap();
    let run = clew(dir.path(), &["--project", "d", "verify"]);
    assert_eq!(run.status.code(), Some(6));
    assert!(text(&run.stderr).contains("no longer has the SHA-256 it was imported with"), "{}", text(&run.stderr));
}
