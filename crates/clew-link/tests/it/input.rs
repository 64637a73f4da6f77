//! Bad configs and bad files: every problem reported with its place; nothing runs.

use clew_link::blocking::Mode;
use clew_link::config;

use crate::{PEOPLE, linkage};

fn error(config_text: &str, files: &[&str], mode: Mode) -> String {
    match linkage(config_text, files, mode) {
        Ok(_) => "accepted".to_string(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn config_errors_name_the_key_and_the_line() {
    let bad_kind = PEOPLE.replace("kind = \"date\"", "kind = \"calendar\"");
    let message = config::read("c.toml", &bad_kind).unwrap_err().to_string();
    assert!(message.starts_with("c.toml:12: "), "{message}");
    assert!(message.contains("calendar"), "{message}");

    let several = PEOPLE
        .replace("version = \"clew-link-v1\"", "version = \"clew-link-v0\"")
        .replace("rules = [\"keys(name) & year(birth)\"", "rules = [\"kees(name) & year(birth)\"")
        .replace("columns = [\"passport\"]", "columns = [\"passport\"]\nthresholds = [2, 1]");
    let message = config::read("c.toml", &several).unwrap_err().to_string();
    expect_test::expect![[r#"
        c.toml: version: `clew-link-v0` is not clew-link-v1
        c.toml: comparison 4 (`passport`): thresholds: whole numbers of edits from 1 to 10, smallest first
        c.toml: blocking.rules[1]: `kees(name)`: `kees` takes other arguments or is not a key function (year(c), prefix(c, n), keys(c), surname(c), given(c))"#]]
    .assert_eq(&message);
}

#[test]
fn a_column_the_config_reads_must_be_in_the_file() {
    let message = error(PEOPLE, &["id,name,birth,town,passport\na,Kim Chol,1970,Tomsk,1\n"], Mode::Dedupe);
    expect_test::expect![[
        r#"file1.csv:1: no column `city`, which the config reads (the header has: id, name, birth, town, passport)"#
    ]]
    .assert_eq(&message);
}

#[test]
fn every_bad_row_is_reported() {
    let file = "id,name,birth,city,passport\na,Kim Chol,1970,Tomsk,1\na,Ri Nam,1971,Tomsk,2\n,Pak Su,1972,Tomsk,3\nb,Han,1973\n";
    expect_test::expect![[r#"
        file1.csv:3: `id`: `a` is used again (first on line 2)
        file1.csv:4: `id`: empty; every record needs an id
        file1.csv:5: 3 fields where the header has 5"#]]
    .assert_eq(&error(PEOPLE, &[file], Mode::Dedupe));
}

#[test]
fn empty_and_single_inputs_are_refused() {
    let header = "id,name,birth,city,passport\n";
    assert_eq!(error(PEOPLE, &[header], Mode::Dedupe), "file1.csv: no records");
    let one = format!("{header}a,Kim Chol,1970,Tomsk,1\n");
    assert_eq!(error(PEOPLE, &[&one], Mode::Dedupe), "file1.csv: one record: there is nothing to link it with");
    assert_eq!(error(PEOPLE, &[&one], Mode::Link), "link: linking needs two files");
    let other = format!("{header}b,Kim Chol,1970,Tomsk,1\n");
    assert_eq!(error(PEOPLE, &[&one, &other], Mode::Link), "accepted");
    // Two files may number their records alike; each id names a record of its own file.
    let same_id = format!("{header}a,Kim Chol,1970,Tomsk,1\n");
    let linkage = linkage(PEOPLE, &[&one, &same_id], Mode::Link).unwrap();
    assert_eq!((linkage.records.find(0, "a"), linkage.records.find(1, "a")), (Some(0), Some(1)));
}

#[test]
fn the_id_column_is_not_compared_and_limits_are_checked() {
    let bad = PEOPLE
        .replace("columns = [\"passport\"]\n", "columns = [\"id\"]\nthresholds = [1, 200]\n")
        .replace("u_pairs = 20000", "u_pairs = 1000000000");
    expect_test::expect![[r#"
        c.toml: comparison 4 (`passport`): thresholds: whole numbers of edits from 1 to 10, smallest first
        c.toml: training.u_pairs: from 1000 to 100000000 random pairs
        c.toml: id: the id column `id` cannot also be compared or blocked on"#]]
    .assert_eq(&config::read("c.toml", &bad).unwrap_err().to_string());
}

#[test]
fn not_utf8_is_refused_with_its_line() {
    let checked = config::read("c.toml", PEOPLE).unwrap();
    let mut records = clew_link::records::Records::new(checked.columns());
    let bytes = b"id,name,birth,city,passport\na,Kim,1970,Tomsk,1\nb,K\xefm,1970,Tomsk,1\n";
    let message = records.add_csv("f.csv", bytes).unwrap_err().to_string();
    assert_eq!(message, "f.csv:3: not UTF-8 text; save the file as UTF-8");
    assert!(records.is_empty());
}

#[test]
fn too_many_comparisons_are_refused_before_anything_runs() {
    let (csv, _) = crate::synthetic(200, 1);
    let strict = PEOPLE.replace("[blocking]", "[blocking]\nmax_comparisons = 500").replace(
        "rules = [\"keys(name) & year(birth)\", \"passport\", \"city & year(birth)\"]",
        "rules = [\"passport\", \"city\"]",
    );
    let linkage = linkage(&strict, &[&csv], Mode::Dedupe).unwrap();
    let message = linkage.plan().unwrap_err().to_string();
    assert!(message.starts_with("the rules would create up to "), "{message}");
    assert!(message.contains("more than the limit of 500"), "{message}");
    assert!(message.contains("  city: "), "{message}");
    // A training rule counts too: here the blocking rule is small, but EM on birth years is not.
    let training = strict.replace("rules = [\"passport\", \"city\"]", "rules = [\"passport\"]");
    let linkage = crate::linkage(&training, &[&csv], Mode::Dedupe).unwrap();
    let message = linkage.plan().unwrap_err().to_string();
    assert!(message.contains("  training, EM rule year(birth): "), "{message}");
}

#[test]
fn unreadable_dates_count_as_missing_with_a_warning() {
    let file = "id,name,birth,city,passport\na,Kim Chol,1970-02-31,Tomsk,1\nb,Kim Chol,sometime,Tomsk,1\nc,Ri Nam,1970,Tomsk,2\n";
    let linkage = linkage(PEOPLE, &[file], Mode::Dedupe).unwrap();
    assert_eq!(linkage.warnings, vec!["comparison `birth`: 2 values could not be read as dates and count as missing"]);
}

#[test]
fn a_value_longer_than_the_limit_is_refused_with_its_row() {
    // A 40 KB name made linkage take 1.7 GB (blocking keys grew with the square of its length).
    let long = "Kim".repeat(20_000);
    let file = format!("id,name,birth,city,passport\na,Kim Chol,1970,Tomsk,1\nb,{long},1971,Tomsk,2\n");
    expect_test::expect![[r#"file1.csv:3: `name`: a value of 60000 characters; values are limited to 1000"#]]
        .assert_eq(&error(PEOPLE, &[&file], Mode::Dedupe));
}

#[test]
fn switching_off_the_names_alone_rule_is_warned_of() {
    let file = "id,name,birth,city,passport\na,Kim Chol,1970,Tomsk,1\nb,Ri Nam,1971,Tomsk,2\n";
    let plain = linkage(PEOPLE, &[file], Mode::Dedupe).unwrap();
    assert!(!plain.warnings.iter().any(|w| w.contains("require_independent")), "{:?}", plain.warnings);
    let names_only = format!("{PEOPLE}\n[clustering]\nrequire_independent = false\n");
    let warned = linkage(&names_only, &[file], Mode::Dedupe).unwrap();
    assert!(warned.warnings.iter().any(|w| w.contains("linked on their names alone")), "{:?}", warned.warnings);
}
