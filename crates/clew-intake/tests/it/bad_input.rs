//! Every kind of bad input gets a clear error with file:line:column and field path, and writes nothing.

use expect_test::{Expect, expect};

use crate::{example_text, import_files, lines, new_project};

/// Imports `text` (as `name`) into a fresh project and checks the diagnostics; the project must stay empty.
fn check(name: &str, text: &str, expected: Expect) {
    let (_dir, project) = new_project();
    let (_files, report) = import_files(Some(&project), &[(name, text.as_bytes())]);
    assert!(!report.committed);
    let stats = project.read().unwrap().stats().unwrap();
    assert_eq!((stats.statements, stats.sources.len()), (0, 0), "bad input wrote something");
    expected.assert_debug_eq(&lines(&report));
}

/// The example with one replacement (which must apply).
fn example_with(from: &str, to: &str) -> String {
    let text = example_text();
    assert!(text.contains(from), "the example has no `{from}`");
    text.replacen(from, to, 1)
}

#[test]
fn malformed_yaml_and_json() {
    check(
        "t.yaml",
        "format: clew-testimony/1\nid: [unclosed\n",
        expect![[r#"
        [
            "t.yaml:3:1: invalid YAML: while parsing a flow sequence, expected ',' or ']'",
        ]
    "#]],
    );
    check(
        "t.json",
        "{\"format\": \"clew-testimony/1\",\n \"id\": \"T-1\",,\n}",
        expect![[r#"
        [
            "t.json:2:14: invalid JSON: key must be a string",
        ]
    "#]],
    );
}

#[test]
fn empty_file_and_invalid_utf8() {
    check(
        "t.yaml",
        "",
        expect![[r#"
        [
            "t.yaml: the file is empty",
        ]
    "#]],
    );
    let (_dir, project) = new_project();
    let mut bytes = example_text().into_bytes();
    let at = bytes.windows(7).position(|w| w == b"INT-07\n").unwrap();
    bytes[at + 2] = 0xff;
    let (_files, report) = crate::import_files(Some(&project), &[("t.yaml", &bytes)]);
    expect![[r#"
        [
            "t.yaml:12:18: invalid UTF-8: save the file as UTF-8",
        ]
    "#]]
    .assert_debug_eq(&lines(&report));
}

#[test]
fn wrong_types_unknown_fields_and_impossible_dates() {
    let text = example_with("  date: 2025-03\n  place: Seoul", "  date: 2025-02-30\n  place: [Seoul]\n  mood: calm");
    let text = text.replacen("hours_per_day: {value: 12,", "hours_per_day: {value: twelve,", 1);
    let text = text.replacen("rest_days_per_month: {value: 2,", "rest_days_per_month: {value: 45,", 1);
    let text = text.replacen("properties: {country: kp}", "properties: {country: kp, shoeSize: 44}", 1);
    let text = text.replacen("period: {start: 2019-05, end: 2021-11}", "period: {start: 2019-05-14, end: 2018-11}", 1);
    check(
        "t.yaml",
        &text,
        expect![[r#"
            [
                "t.yaml:9:9: field `interview.date`: day 30 does not exist in 2025-02 (it has 28 days)",
                "t.yaml:10:10: field `interview.place`: expected a string, found a list",
                "t.yaml:11:9: field `interview.mood`: unknown field; expected one of: date, interpreter, interviewer, language, place, setting",
                "t.yaml:79:43: field `facts.entities[1].properties.shoeSize`: schema `PublicBody` has no property `shoeSize`",
                "t.yaml:98:23: field `facts.spells[0].period.start`: give work periods to the month (YYYY-MM); exact days can identify a witness and belong in `protected`",
                "t.yaml:105:30: field `facts.spells[0].hours_per_day.value`: expected a number",
                "t.yaml:106:36: field `facts.spells[0].rest_days_per_month.value`: must be between 0 and 31",
            ]
        "#]],
    );
}

#[test]
fn missing_fields_and_broken_references() {
    let text = example_with("  interviewer: INT-07\n", "");
    let text = text.replacen("segments: [s5]", "segments: [s9]", 1);
    let text = text.replacen("employer: employer\n", "employer: site\n", 1);
    let text = text.replacen("taken_by: dispatcher", "taken_by: nobody", 1);
    check(
        "t.yaml",
        &text,
        expect![[r#"
            [
                "t.yaml:9:3: field `interview.interviewer`: required field is missing",
                "t.yaml:98:17: field `facts.spells[0].employer`: `site` is a Worksite, but a LegalEntity is needed here",
                "t.yaml:107:83: field `facts.spells[0].deductions[0].taken_by`: no entity or spell with key `nobody` in facts",
                "t.yaml:113:51: field `facts.spells[0].threats_to_family.segments[0]`: cites segment `s9`, which does not exist",
            ]
        "#]],
    );
}

#[test]
fn duplicate_ids() {
    let text = example_with("  - id: s2\n", "  - id: s1\n");
    let text = text.replacen("    - key: container\n", "    - key: site\n", 1);
    check(
        "t.yaml",
        &text,
        expect![[r#"
            [
                "t.yaml:52:9: field `segments[1].id`: duplicate segment id `s1`",
                "t.yaml:85:12: field `facts.entities[3].key`: duplicate key `site`",
                "t.yaml:104:45: field `facts.spells[0].hours_per_day.segments[0]`: cites segment `s2`, which does not exist",
                "t.yaml:105:50: field `facts.spells[0].rest_days_per_month.segments[0]`: cites segment `s2`, which does not exist",
                "t.yaml:110:49: field `facts.spells[0].housing.accommodation`: no entity or spell with key `container` in facts",
            ]
        "#]],
    );
    // The same testimony twice in one import.
    let text = example_text();
    let (_dir, project) = new_project();
    let (_files, report) = import_files(Some(&project), &[("a.yaml", text.as_bytes()), ("b.yaml", text.as_bytes())]);
    expect![[r#"
        [
            "b.yaml:3:1: field `id`: testimony `T-EXAMPLE-0001` appears twice in this import (first at a.yaml:3:1)",
        ]
    "#]]
    .assert_debug_eq(&lines(&report));
    assert_eq!(project.read().unwrap().stats().unwrap().statements, 0);
}

#[test]
fn unsupported_format_version() {
    check(
        "t.yaml",
        &example_with("format: clew-testimony/1", "format: clew-testimony/9"),
        expect![[r#"
        [
            "t.yaml:3:9: field `format`: unsupported format `clew-testimony/9`; this clew reads `clew-testimony/1`",
        ]
    "#]],
    );
}

#[test]
fn protected_values_never_appear_in_messages() {
    let text = example_with(
        "  name: SYNTHETIC-PROTECTED-NAME-0001\n",
        "  name: SYNTHETIC-PROTECTED-NAME-0001\n  name: again\n",
    );
    let (_dir, project) = new_project();
    let (_files, report) = import_files(Some(&project), &[("t.yaml", text.as_bytes())]);
    let all = lines(&report).join("\n");
    assert!(all.contains("duplicate key in the same mapping"), "{all}");
    assert!(!all.contains("SYNTHETIC-PROTECTED"), "{all}");
}

#[test]
fn one_bad_record_among_ten_thousand_writes_nothing_and_lists_every_error() {
    let example = clew_model::doc::parse(&example_text(), clew_model::doc::TextFormat::Yaml).unwrap();
    let good = example[0].to_json();
    let mut lines_out = String::new();
    for index in 0..10_000 {
        let mut record = good.clone();
        record["id"] = format!("T-BULK-{index:05}").into();
        record["witness"]["pseudonym"] = format!("W-BULK-{index:05}").into();
        if index == 6_789 {
            record["interview"]["date"] = "2025-13".into();
            record["facts"]["spells"][0]["hours_per_day"]["value"] = 30.into();
        }
        lines_out.push_str(&serde_json::to_string(&record).unwrap());
        lines_out.push('\n');
    }
    let (_dir, project) = new_project();
    let (_files, report) = import_files(Some(&project), &[("bulk.jsonl", lines_out.as_bytes())]);
    assert_eq!(report.records, 10_000);
    expect![[r#"
        [
            "bulk.jsonl:6790:2629: field `interview.date`: month 13 does not exist",
            "bulk.jsonl:6790:1931: field `facts.spells[0].hours_per_day.value`: must be between 0 and 24",
        ]
    "#]]
    .assert_debug_eq(&lines(&report));
    let stats = project.read().unwrap().stats().unwrap();
    assert_eq!((stats.statements, stats.sources.len()), (0, 0));
}

#[test]
fn keys_and_ids_that_would_make_bad_entity_ids() {
    let long = "T".repeat(81);
    let text = example_with("id: T-EXAMPLE-0001", &format!("id: {long}"));
    let text = text.replacen("    - key: container\n", "    - key: spell1.housing\n", 1);
    let text = text.replacen("segments: [s5]", "segments: [s5, s5]", 1);
    let text = text.replacen(
        "      names: [\"(fictional) Minder Kang\"]\n      properties: {nationality: kp, position: security minder}\n",
        "",
        1,
    );
    check(
        "t.yaml",
        &text,
        expect![[r#"
            [
                "t.yaml:4:5: field `id`: a testimony id may be at most 80 characters long",
                "t.yaml:85:12: field `facts.entities[3].key`: a key has at most 40 letters, digits, `_` and `-` (no spaces or dots)",
                "t.yaml:90:7: field `facts.entities[4]`: an entity needs `names` or `properties`",
                "t.yaml:108:49: field `facts.spells[0].housing.accommodation`: no entity or spell with key `container` in facts",
                "t.yaml:112:55: field `facts.spells[0].threats_to_family.segments[1]`: cites segment `s5` twice",
            ]
        "#]],
    );
}

/// Issue 14 F8: a testimony id or a coded entity id with a `:` could take an id clew derives (another
/// witness's Person `witness:...`, an assessment's source `assess:...`); each is refused where it is written.
#[test]
fn ids_clew_derives_cannot_be_taken() {
    let text = example_with("id: T-EXAMPLE-0001", "id: witness:W-EX-0001");
    let text = text.replacen("    - key: minder\n", "    - key: minder\n      id: witness:W-EX-0002\n", 1);
    let text = text.replacen("    - key: site\n", "    - key: site\n      id: assess:T-0001\n", 1);
    check(
        "t.yaml",
        &text,
        expect![[r#"
            [
                "t.yaml:4:5: field `id`: a testimony id may not begin with `witness:` (clew's id for a witness's Person), nor contain `:` anywhere: clew keeps it for the ids it derives",
                "t.yaml:81:11: field `facts.entities[2].id`: an entity id may not begin with `assess:` (clew's id for a recorded assessment), nor contain `:` anywhere: clew keeps it for the ids it derives",
                "t.yaml:92:11: field `facts.entities[4].id`: an entity id may not begin with `witness:` (clew's id for a witness's Person), nor contain `:` anywhere: clew keeps it for the ids it derives",
            ]
        "#]],
    );
    // A `:` anywhere in a testimony id, not only after a reserved prefix.
    check(
        "t.yaml",
        &example_with("id: T-EXAMPLE-0001", "id: T:EXAMPLE-0001"),
        expect![[r#"
            [
                "t.yaml:4:5: field `id`: a testimony id may not contain `:`, which clew keeps for the ids it derives (`witness:PSEUDONYM`, `assess:ID`, `screen:ID`, `ftm:FILE`)",
            ]
        "#]],
    );
}

#[test]
fn names_and_values_longer_than_the_limit_are_refused_with_their_place() {
    // One testimony with a 40 KB entity name made project screening and linkage take 1.7 GB each.
    let long = "Blue Hill ".repeat(4_000);
    check(
        "t.yaml",
        &example_with("\"(fictional) Blue Hill site\"", &format!("\"{long}\"")),
        expect![[r#"
            [
                "t.yaml:82:15: field `facts.entities[2].names[0]`: a value of 40000 characters; names and values are limited to 1000 (the witness's words belong in `segments`)",
            ]
        "#]],
    );
}

#[test]
fn an_ftm_name_longer_than_the_limit_is_refused_with_its_place() {
    use clew_intake::ftm::{FtmImportOptions, import_ftm};
    let (_dir, project) = new_project();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("e.ftm.json");
    let name = "X".repeat(40_000);
    std::fs::write(
        &path,
        format!("{{\"id\": \"c1\", \"schema\": \"Company\", \"properties\": {{\"name\": [\"{name}\"]}}}}\n"),
    )
    .unwrap();
    let options = FtmImportOptions {
        dry_run: false,
        recorded_by: "tester".into(),
        skip_unknown: false,
        sensitivity: clew_model::Sensitivity::Internal,
        source: None,
    };
    let inputs = [clew_intake::input::InputPath::File(path)];
    let report = import_ftm(crate::model(), Some(project.store()), &inputs, &options, &mut |_| {}).unwrap();
    assert!(!report.committed);
    let problems = lines(&report);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].ends_with("`properties.name[0]`: a name of 40000 characters; names are limited to 1000"),
        "{problems:?}"
    );
    assert_eq!(project.read().unwrap().stats().unwrap().statements, 0);
}

#[test]
fn a_coded_entity_may_not_take_a_testimonys_id() {
    // An entity `id: T-EXAMPLE-0001` in another testimony merged into that testimony's own entity.
    let first = example_text();
    let second = first.replacen("id: T-EXAMPLE-0001", "id: T-EXAMPLE-0002", 1).replacen(
        "    - key: employer\n",
        "    - key: employer\n      id: T-EXAMPLE-0001\n",
        1,
    );
    let (_dir, project) = new_project();
    let (_files, report) = import_files(Some(&project), &[("a.yaml", first.as_bytes()), ("b.yaml", second.as_bytes())]);
    assert!(!report.committed);
    let problems = lines(&report);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("facts.entities[0].id") && problems[0].contains("is a testimony's id"),
        "{problems:?}"
    );
    assert_eq!(project.read().unwrap().stats().unwrap().statements, 0, "nothing written");
}
