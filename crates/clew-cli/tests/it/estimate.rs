//! `clew estimate population` as an analyst runs it: the published western US figures reproduced with every
//! method side by side and explained, strata estimated and totalled with the small ones "not estimable", bad
//! tables refused with their lines, and the result feeding `clew estimate revenue --workers-from`.

use std::path::{Path, PathBuf};

use crate::{clew, text};

fn shared(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../clew-stats/test_data/mse").join(name);
    path.canonicalize().unwrap().display().to_string()
}

fn json(run: &std::process::Output) -> serde_json::Value {
    assert!(run.status.success(), "{}", text(&run.stderr));
    serde_json::from_slice(&run.stdout).unwrap()
}

fn method<'a>(stratum: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    stratum["methods"].as_array().unwrap().iter().find(|m| m["method"] == name).unwrap()
}

#[test]
fn the_western_us_table_gives_the_published_figures_with_every_method() {
    let dir = tempfile::tempdir().unwrap();
    let file = shared("western_us_5list.csv");
    let run = clew(dir.path(), &["estimate", "population", &file, "--method", "all", "--svg", "chart.svg"]);
    let shown = text(&run.stdout);
    assert!(run.status.success(), "{}", text(&run.stderr));
    // Chan, Silverman & Vincent (2021): the stepwise model A×E, 2,483; the side-by-side table and the reasons.
    for expected in ["stepwise-csv  [A×E]", "2,483", "added A×E", "lcmcr", "stepwise-bhs", "How each model was chosen"]
    {
        assert!(shown.contains(expected), "{expected} missing from:\n{shown}");
    }
    // Every method gives a number on this table.
    for name in ["main", "aic", "bic", "stepwise-bhs", "stepwise-csv", "lcmcr"] {
        let row = shown.lines().find(|l| l.trim_start().starts_with(&format!("{name} "))).unwrap();
        assert!(row.chars().any(|c| c.is_ascii_digit()) && !row.contains("not"), "{row}");
    }
    let svg = std::fs::read_to_string(dir.path().join("chart.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("stepwise-csv") && svg.trim_end().ends_with("</svg>"));

    let report = json(&clew(dir.path(), &["--json", "estimate", "population", &file, "--method", "stepwise-csv,main"]));
    let stratum = &report["strata"][0];
    let csv = method(stratum, "stepwise-csv");
    assert_eq!(csv["model"], "[A×E]");
    assert_eq!(csv["estimate"].as_f64().unwrap().round(), 2483.0);
    let (low, high) = (csv["interval"]["low"].as_f64().unwrap(), csv["interval"]["high"].as_f64().unwrap());
    // The published BCa interval is (1,293, 3,670), from one seed of R's generator.
    assert!(low > 900.0 && low < 1500.0 && high > 3000.0 && high < 4500.0, "{low} {high}");
    assert_eq!(csv["draws"].as_array().unwrap().len(), 1000);
    assert!(csv["profile"]["low"].as_f64().unwrap() < 2483.0 && csv["profile"]["high"].as_f64().unwrap() > 2483.0);
    assert_eq!(method(stratum, "main")["estimate"].as_f64().unwrap().round(), 2007.0);
    // The same seed, the same result.
    let again = json(&clew(dir.path(), &["--json", "estimate", "population", &file, "--method", "stepwise-csv,main"]));
    assert_eq!(report, again);
}

#[test]
fn strata_are_estimated_apart_and_small_ones_are_not_estimable() {
    let dir = tempfile::tempdir().unwrap();
    // Two fictional regions: the east seen by three lists, the west by two only.
    let mut table = String::from("A,B,C,region,count\n");
    for (pattern, count) in
        [("1,0,0", 60), ("0,1,0", 50), ("0,0,1", 40), ("1,1,0", 12), ("1,0,1", 9), ("0,1,1", 8), ("1,1,1", 3)]
    {
        table.push_str(&format!("{pattern},east,{count}\n"));
    }
    for (pattern, count) in [("1,0,0", 30), ("0,1,0", 20), ("1,1,0", 6)] {
        table.push_str(&format!("{pattern},west,{count}\n"));
    }
    std::fs::write(dir.path().join("regions.csv"), &table).unwrap();
    let args = ["--json", "estimate", "population", "regions.csv", "--stratum", "region", "--method", "main,lcmcr"];
    let report = json(&clew(dir.path(), &args));
    let strata = report["strata"].as_array().unwrap();
    assert_eq!(strata.len(), 2);
    // The east under independence: 419 (182 seen); its three lists used.
    assert_eq!(method(&strata[0], "main")["estimate"].as_f64().unwrap().round(), 419.0);
    assert_eq!(strata[0]["lists_used"], serde_json::json!(["A", "B", "C"]));
    assert!(strata[1]["not_estimable"].as_str().unwrap().contains("only 2 list(s) have records here"));
    assert!(method(&strata[1], "main")["estimate"].is_null());
    for total in report["totals"].as_array().unwrap() {
        assert!(total["not_estimable"].as_str().unwrap().contains("west"), "{total}");
    }
    // With the west merged into three lists' worth of records, the total is the sum of the strata.
    table.push_str("0,0,1,west,5\n");
    std::fs::write(dir.path().join("regions.csv"), &table).unwrap();
    let report = json(&clew(dir.path(), &args[..args.len() - 2]));
    let sum: f64 =
        report["strata"].as_array().unwrap().iter().map(|s| method(s, "main")["estimate"].as_f64().unwrap()).sum();
    let total = report["totals"].as_array().unwrap().iter().find(|t| t["method"] == "main").unwrap();
    assert!((total["estimate"].as_f64().unwrap() - sum).abs() < 1e-6);
    assert!(total["interval"]["low"].as_f64().unwrap() < sum && sum < total["interval"]["high"].as_f64().unwrap());
}

#[test]
fn bad_tables_and_methods_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.csv"), "A,B,count\n1,0,5\n1,0,3\n0,1,-1\n").unwrap();
    let run = clew(dir.path(), &["estimate", "population", "bad.csv"]);
    assert_eq!(run.status.code(), Some(3));
    let said = text(&run.stderr);
    assert!(said.contains("bad.csv:3:1: the same pattern as line 2"), "{said}");
    assert!(said.contains("bad.csv:4:5: `count`: `-1` is not a whole number"), "{said}");
    let run = clew(dir.path(), &["estimate", "population", &shared("western_us_5list.csv"), "--method", "guess"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("`guess` is not a method"));
    let run = clew(dir.path(), &["estimate", "population", &shared("western_us_5list.csv"), "--chains", "0"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("--chains: 0 is out of range: it must be between 1 and 16"),
        "{}",
        text(&run.stderr)
    );
}

/// Counts of 10^18 to 10^300 once passed the reader, and then every log-linear method said "no maximum-likelihood
/// estimate" and the command exited 0. They are refused at their line and column (exit 3).
#[test]
fn counts_too_large_to_be_people_are_refused_at_their_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("huge.csv"), "A,B,C,count\n1,0,0,1e18\n0,1,0,40\n0,0,1,1e300\n1,1,0,5\n").unwrap();
    let run = clew(dir.path(), &["estimate", "population", "huge.csv", "--method", "main"]);
    assert_eq!(run.status.code(), Some(3), "{}", text(&run.stderr));
    let said = text(&run.stderr);
    let limit = "is more than 1,000,000,000, the most people a row may count";
    assert!(said.contains(&format!("huge.csv:2:7: `count`: `1e18` {limit}")), "{said}");
    assert!(said.contains(&format!("huge.csv:4:7: `count`: `1e300` {limit}")), "{said}");
    assert!(said.contains("2 problems found; nothing was written"), "{said}");
}

/// When no method gives an estimate the command once exited 0, as if it had one. It exits 3, says that no
/// method gave an estimate and why each did not, and writes no file; `--json` has the reasons and the report.
#[test]
fn a_table_no_method_can_estimate_fails() {
    let dir = tempfile::tempdir().unwrap();
    // Lists that share no one: nothing says how many are on neither.
    std::fs::write(dir.path().join("apart.csv"), "A,B,count\n1,0,5\n0,1,5\n").unwrap();
    let args = ["estimate", "population", "apart.csv", "--method", "main,lcmcr", "--out", "result.json"];
    let run = clew(dir.path(), &args);
    assert_eq!(run.status.code(), Some(3), "{}", text(&run.stderr));
    let said = text(&run.stderr);
    assert!(said.contains("apart.csv: no method gave an estimate from this table (main, lcmcr)"), "{said}");
    assert!(
        said.contains("apart.csv: main: the maximum-likelihood estimate of the model [main effects] does not exist")
    );
    assert!(said.contains("apart.csv: lcmcr: the latent-class model needs at least three lists"), "{said}");
    assert!(!dir.path().join("result.json").exists());
    let mut json = vec!["--json"];
    json.extend(&args[..5]);
    let run = clew(dir.path(), &json);
    assert_eq!(run.status.code(), Some(3));
    let failure: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(failure["error"]["code"], "invalid_input");
    assert!(failure["error"]["diagnostics"][0]["message"].as_str().unwrap().starts_with("no method gave an estimate"));
    assert!(failure["report"]["strata"][0]["methods"][0]["estimate"].is_null());
    // One method with a number is enough for the command to succeed.
    let run = clew(dir.path(), &["estimate", "population", &shared("western_us_5list.csv"), "--method", "main"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
}

/// Settings beyond their limits once panicked (`--replicates 9223372036854775808`: "capacity overflow"), asked
/// for 8 GB at once (`--replicates 1000000000`), or ran without bound (`--samples 1000000000`); a burn-in too large
/// to count was blamed on `--samples`. Each is refused at once with exit 2, naming the option, the value and the
/// limit.
#[test]
fn settings_beyond_their_limits_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = shared("western_us_5list.csv");
    for (option, value, expected) in [
        (
            "--replicates",
            "9223372036854775808",
            "--replicates: 9223372036854775808 is out of range: it must be between 100 and 10,000",
        ),
        ("--replicates", "1000000000", "--replicates: 1000000000 is out of range: it must be between 100 and 10,000"),
        ("--samples", "1000000000", "--samples: 1000000000 is out of range: it must be between 10 and 100,000"),
        (
            "--burn-in",
            "18446744073709551615",
            "--burn-in: 18446744073709551615 is out of range: it must be at most 10,000,000",
        ),
        ("--thinning", "100000", "--thinning: 100000 is out of range: it must be between 1 and 10,000"),
        ("--chains", "17", "--chains: 17 is out of range: it must be between 1 and 16"),
    ] {
        let started = std::time::Instant::now();
        let run = clew(dir.path(), &["estimate", "population", &file, option, value]);
        assert_eq!(run.status.code(), Some(2), "{option} {value}: {}", text(&run.stderr));
        assert!(text(&run.stderr).contains(expected), "{option} {value}: {}", text(&run.stderr));
        assert!(started.elapsed().as_secs() < 10, "{option} {value} was not refused at once");
    }
    // Each within its limit, but the run as a whole too long.
    let run = clew(dir.path(), &["estimate", "population", &file, "--samples", "100000", "--thinning", "100"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains(
            "--chains 4 × (--burn-in 10000 + --samples 100000 × --thinning 100) is 40,040,000 Gibbs iterations, more \
             than the 10,000,000 a run may take"
        ),
        "{}",
        text(&run.stderr)
    );
}

/// Twelve lists with `stepwise-bhs` once ran for more than five minutes with no output: a method named that
/// takes fewer lists than the table has is refused at once (exit 2); with `all`, it is "not estimable" in the
/// report and the other methods run. A run whose draws would need more than a gigabyte is refused too.
#[test]
fn runs_too_long_or_too_large_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..12).map(|i| format!("L{i}")).collect();
    let mut table = format!("{},count\n", names.join(","));
    for list in 0..12 {
        for (pattern, count) in [(1u32 << list, 20 + list), ((1 << list) | (1 << ((list + 1) % 12)), 3)] {
            let bits: Vec<String> = (0..12).map(|i| (pattern >> i & 1).to_string()).collect();
            table.push_str(&format!("{},{count}\n", bits.join(",")));
        }
    }
    std::fs::write(dir.path().join("twelve.csv"), &table).unwrap();
    let started = std::time::Instant::now();
    let run = clew(dir.path(), &["estimate", "population", "twelve.csv", "--method", "stepwise-bhs"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(
        text(&run.stderr).contains("--method stepwise-bhs: stepwise-bhs takes at most 8 lists, and 12 have records"),
        "{}",
        text(&run.stderr)
    );
    assert!(started.elapsed().as_secs() < 10);
    let args = ["--json", "estimate", "population", "twelve.csv", "--method", "all", "--replicates", "100"];
    let lcmcr = ["--samples", "20", "--burn-in", "200", "--thinning", "5", "--chains", "2"];
    let report = json(&clew(dir.path(), &[&args[..], &lcmcr[..]].concat()));
    let stratum = &report["strata"][0];
    for (name, limit) in [("aic", 6), ("bic", 6), ("stepwise-bhs", 8), ("stepwise-csv", 10)] {
        let why = method(stratum, name)["not_estimable"].as_str().unwrap();
        assert!(why.starts_with(&format!("{name} takes at most {limit} lists, and 12 have records here")), "{why}");
    }
    assert!(method(stratum, "main")["estimate"].as_f64().is_some());
    assert!(method(stratum, "lcmcr")["estimate"].as_f64().is_some());

    let mut strata = String::from("A,B,C,site,count\n");
    for site in 0..200 {
        for (pattern, count) in [("1,0,0", 30), ("0,1,0", 20), ("0,0,1", 25), ("1,1,0", 5), ("0,1,1", 4)] {
            strata.push_str(&format!("{pattern},{site},{count}\n"));
        }
    }
    std::fs::write(dir.path().join("strata.csv"), strata).unwrap();
    let run = clew(dir.path(), &["estimate", "population", "strata.csv", "--stratum", "site", "--replicates", "10000"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    let said = text(&run.stderr);
    assert!(said.contains("would take about 1036 MB, more than the 1024 MB a run may use"), "{said}");
    assert!(said.contains("lower --replicates"), "{said}");
}

#[test]
fn a_population_estimate_feeds_the_revenue_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let result: PathBuf = dir.path().join("western.json");
    let file = shared("western_us_5list.csv");
    let run =
        clew(dir.path(), &["estimate", "population", &file, "--method", "bic,stepwise-csv", "--out", "western.json"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(result.exists());
    let revenue = [
        "--json",
        "estimate",
        "revenue",
        "--workers-from",
        "western.json",
        "--quota",
        "fixed(100)",
        "--employer-paid",
        "fixed(800)",
        "--state-share",
        "fixed(0.5)",
        "--draws",
        "2000",
    ];
    // Two methods in the result: the analyst must say which.
    let run = clew(dir.path(), &revenue);
    assert_eq!(run.status.code(), Some(2));
    let said = format!("{}{}", text(&run.stdout), text(&run.stderr));
    assert!(said.contains("choose one with --workers-method"), "{said}");
    let mut chosen = revenue.to_vec();
    chosen.extend(["--workers-method", "stepwise-csv"]);
    let report = json(&clew(dir.path(), &chosen));
    // 12 months × 100 USD × about 2,483 workers: the median lands near 3 million.
    let median = report["quota_based"]["median"].as_f64().unwrap();
    assert!(median > 2.0e6 && median < 4.5e6, "{median}");
}

/// A result written by the first version of the format (`clew-population-v1`, kept in test_data) still feeds
/// the revenue estimate.
#[test]
fn a_version_one_result_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/population-v1.json");
    let fixture = fixture.display().to_string();
    let args = [
        "--json",
        "estimate",
        "revenue",
        "--workers-from",
        &fixture,
        "--workers-method",
        "main",
        "--quota",
        "fixed(100)",
        "--employer-paid",
        "fixed(800)",
        "--state-share",
        "fixed(0.5)",
        "--draws",
        "1000",
    ];
    let report = json(&clew(dir.path(), &args));
    assert!(report["quota_based"]["median"].as_f64().unwrap() > 12.0 * 100.0 * 182.0);
    std::fs::write(dir.path().join("other.json"), "{\"format\": \"something-else\"}").unwrap();
    let run = clew(dir.path(), &["estimate", "revenue", "--workers-from", "other.json"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("not a `clew estimate population` result"), "{}", text(&run.stderr));
}

/// An estimate kept in a project is logged, listed with its figures, and checked by `clew verify`: one altered
/// or deleted behind clew's back is named.
#[test]
fn an_estimate_kept_in_a_project_is_logged_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    crate::init_project(dir.path(), "p");
    let file = shared("western_us_5list.csv");
    // A title that will not do is refused before anything runs.
    let run = clew(dir.path(), &["--project", "p", "estimate", "population", &file, "--method", "bic", "--keep", " "]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("--keep: give the estimate a title"), "{}", text(&run.stderr));
    let keep =
        ["--project", "p", "estimate", "population", &file, "--method", "bic", "--keep", "Western US, five lists"];
    let run = clew(dir.path(), &keep);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("Kept in the project as estimate 1."), "{}", text(&run.stderr));
    let log = text(&clew(dir.path(), &["--project", "p", "--json", "log", "show"]).stdout);
    assert_eq!(log.matches("estimate-keep").count(), 1, "{log}");
    let verify = clew(dir.path(), &["--project", "p", "verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    let listed = text(&clew(dir.path(), &["--project", "p", "estimate", "list"]).stdout);
    assert!(listed.starts_with("1. Western US, five lists [population]"), "{listed}");
    assert!(listed.contains("bic") && listed.contains("95% interval"), "{listed}");

    let database = dir.path().join("p").join("clew.db");
    let connection = rusqlite::Connection::open(&database).unwrap();
    let headline: String = connection.query_row("SELECT headline FROM estimate", [], |row| row.get(0)).unwrap();
    assert!(headline.contains("\"label\":\"bic\""), "{headline}");
    connection
        .execute("UPDATE estimate SET headline = replace(headline, '\"estimate\":', '\"estimate\":1')", [])
        .unwrap();
    drop(connection);
    let verify = clew(dir.path(), &["--project", "p", "verify"]);
    let said = text(&verify.stdout) + &text(&verify.stderr);
    assert_eq!(verify.status.code(), Some(6), "{said}");
    assert!(said.contains("estimate \"Western US, five lists\" (population): it no longer matches event"), "{said}");
    let connection = rusqlite::Connection::open(&database).unwrap();
    connection.execute("DELETE FROM estimate", []).unwrap();
    drop(connection);
    let verify = clew(dir.path(), &["--project", "p", "verify"]);
    let said = text(&verify.stdout) + &text(&verify.stderr);
    assert!(said.contains("logged by event") && said.contains("it is gone (deleted behind clew's back)"), "{said}");
}
