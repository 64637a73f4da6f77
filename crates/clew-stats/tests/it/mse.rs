//! Log-linear fits reproduce the published estimates; bad tables are refused whole, with every problem.

use std::sync::Mutex;

use clew_stats::mse::estimate::{
    MAX_DRAW_MEMORY, Method, PopulationReport, Progress, Settings, SettingsError, check_lists, estimate_population,
    estimate_population_with_progress,
};
use clew_stats::mse::lcmcr::{LcmcrError, LcmcrSettings, lcmcr};
use clew_stats::mse::{CaptureTable, Criterion, FitError, Model, fit};

fn table(name: &str) -> CaptureTable {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/mse").join(name);
    CaptureTable::read(&std::fs::read_to_string(path).unwrap(), &[]).unwrap()
}

fn pair(table: &CaptureTable, a: &str, b: &str) -> (usize, usize) {
    let index = |name: &str| table.lists.iter().position(|l| l == name).unwrap();
    (index(a), index(b))
}

fn estimate(table: &CaptureTable, interactions: &[(&str, &str)]) -> Result<f64, FitError> {
    let pairs: Vec<(usize, usize)> = interactions.iter().map(|(a, b)| pair(table, a, b)).collect();
    let model = Model::with_pairs(&pairs);
    fit(&table.counts(&[]), &table.lists, &model).map(|f| f.estimate)
}

#[test]
fn the_published_estimates_are_reproduced() {
    // Chan, Silverman & Vincent (JASA 2021): New Orleans, main effects 997; their stepwise model D×E 1,184.
    let new_orleans = table("new_orleans_8list_v2019.csv");
    assert_eq!(estimate(&new_orleans, &[]).unwrap().round(), 997.0);
    assert_eq!(estimate(&new_orleans, &[("D", "E")]).unwrap().round(), 1184.0);
    // The western US site, model with A×E: 2,483.
    let western = table("western_us_5list.csv");
    assert_eq!(estimate(&western, &[("A", "E")]).unwrap().round(), 2483.0);
}

#[test]
fn existence_and_identifiability_on_the_artificial_table() {
    // The same paper's Tables 2-3: [AB, AC, BC] is not identifiable; [AB] has no (extended) MLE; [AC, BC] fits.
    let artificial = table("artificial_3list.csv");
    assert!(matches!(estimate(&artificial, &[("A", "B"), ("A", "C"), ("B", "C")]), Err(FitError::NotIdentifiable(_))));
    assert!(matches!(estimate(&artificial, &[("A", "B")]), Err(FitError::NoEstimate(_))));
    assert!(estimate(&artificial, &[("A", "C"), ("B", "C")]).is_ok());
}

#[test]
fn bad_tables_are_refused_with_every_problem() {
    let text = "A,B,C,count\n1,0,0,10\n0,1,0,-2\n0,0,2,3\n1,1,0,2.5\n1,0,0,4\n0,0,0,7\n";
    let problems = CaptureTable::read(text, &[]).unwrap_err();
    let said: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.line, p.message)).collect();
    assert_eq!(
        said,
        vec![
            "3: `count`: `-2` is not a whole number of people, 0 or more",
            "4: `C`: `2` is not 0 or 1",
            "5: `count`: `2.5` is not a whole number of people, 0 or more",
            "6: the same pattern as line 2",
            "7: the all-zero pattern: people on no list cannot be counted (that is what is estimated)",
        ]
    );
    let one_list = CaptureTable::read("A,count\n1,5\n", &[]).unwrap_err();
    assert_eq!(one_list[0].message, "1 list column(s): estimation needs at least two lists");
    let empty_list = CaptureTable::read("A,B,count\n1,0,5\n", &[]).unwrap_err();
    assert_eq!(empty_list[0].message, "list `B` has no one on it");
    let no_count = CaptureTable::read("A,B,n,A\n1,0,5,1\n", &["region"]).unwrap_err();
    let said: Vec<&str> = no_count.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        said,
        vec![
            "no `count` column (the header has: A, B, n, A)",
            "the column `A` is named twice",
            "no stratum column `region`"
        ]
    );
}

/// Counts of 10^18 and more once passed, and every log-linear fit then failed with "no maximum-likelihood
/// estimate". A count is refused above a billion, at its line and column (the column where the field starts,
/// after the blanks the reader trims); a count at the limit passes, and a table scaled up to near it is fitted as
/// well as the table itself.
#[test]
fn counts_beyond_the_limit_are_refused_at_their_line_and_column() {
    let text = "A,B,C,count\n1,0,0,1e18\n0,1,0, 1e300\n0,0,2,5\n0,0,1,1000000001\n1,1,0,1000000000\n";
    let problems = CaptureTable::read(text, &[]).unwrap_err();
    let said: Vec<String> = problems.iter().map(|p| format!("{}:{}: {}", p.line, p.column, p.message)).collect();
    assert_eq!(
        said,
        vec![
            "2:7: `count`: `1e18` is more than 1,000,000,000, the most people a row may count",
            "3:8: `count`: `1e300` is more than 1,000,000,000, the most people a row may count",
            "4:5: `C`: `2` is not 0 or 1",
            "5:7: `count`: `1000000001` is more than 1,000,000,000, the most people a row may count",
        ]
    );
    let western = table("western_us_5list.csv");
    let (a, e) = pair(&western, "A", "E");
    let scale = 5e6;
    let scaled = western.counts(&[]).iter().map(|c| c * scale).collect::<Vec<f64>>();
    assert!(scaled.iter().all(|c| *c <= clew_stats::mse::table::MAX_COUNT));
    let found = fit(&scaled, &western.lists, &Model::with_pairs(&[(a, e)])).unwrap();
    let published = estimate(&western, &[("A", "E")]).unwrap();
    assert!((found.estimate / scale - published).abs() < 1e-6 * published, "{}", found.estimate / scale);
}

/// Notes before the header (`# ...`) are kept, not read as rows, and every line keeps its number: a table made
/// from synthetic data says so, and what is estimated from it can say so too.
#[test]
fn notes_before_the_header_are_kept_and_lines_keep_their_numbers() {
    let text = "# SYNTHETIC DATA: from a clew demo\n# second note\nA,B,count\n1,0,5\n0,1,x\n1,1,2\n";
    let problems = CaptureTable::read(text, &[]).unwrap_err();
    let said: Vec<String> = problems.iter().map(|p| format!("{}:{}: {}", p.line, p.column, p.message)).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].starts_with("5:5: `count`"), "{said:?}");
    let table = CaptureTable::read(&text.replace(",x", ",3"), &[]).unwrap();
    assert!(table.synthetic());
    assert_eq!(table.notes, ["SYNTHETIC DATA: from a clew demo", "second note"]);
    let problems = CaptureTable::read("# note\nA,A,count\n1,0,1\n", &[]).unwrap_err();
    assert_eq!((problems[0].line, problems[0].column), (2, 3), "{problems:?}");
    assert!(!CaptureTable::read("A,B,count\n1,0,5\n0,1,3\n1,1,2\n", &[]).unwrap().synthetic());
    assert!(!CaptureTable::read("# not synthetic\nA,B,count\n1,0,5\n0,1,3\n1,1,2\n", &[]).unwrap().synthetic());
}

/// A twelve-list table with `stepwise-bhs` once ran for more than five minutes with no output. Each method takes
/// at most the lists it can finish with in reasonable time: beyond them it is refused in the report with the
/// reason, or before anything runs when the caller asks `check_lists`.
#[test]
fn methods_refuse_more_lists_than_they_can_finish_with() {
    let twelve = |stratum: &str| {
        let mut rows = String::new();
        for list in 0..12 {
            for (pattern, count) in [(1u32 << list, 20 + list), ((1 << list) | (1 << ((list + 1) % 12)), 3)] {
                let bits: Vec<String> = (0..12).map(|i| (pattern >> i & 1).to_string()).collect();
                rows.push_str(&format!("{},{stratum}{count}\n", bits.join(",")));
            }
        }
        rows
    };
    let header: Vec<String> = (0..12).map(|i| format!("L{i}")).collect();
    let text = format!("{},count\n{}", header.join(","), twelve(""));
    let table = CaptureTable::read(&text, &[]).unwrap();
    let settings = Settings { replicates: 100, ..Settings::default() };
    let report = estimate_population(&table, &[Method::StepwiseBhs, Method::Main], &settings).unwrap();
    let bhs = &report.strata[0].methods[0];
    let reason = bhs.not_estimable.as_deref().unwrap();
    assert!(reason.starts_with("stepwise-bhs takes at most 8 lists, and 12 have records here"), "{reason}");
    assert!(bhs.draws.is_empty());
    assert!(report.strata[0].methods[1].estimate.is_some(), "main takes 12 lists");
    assert_eq!(
        check_lists(&table, &[Method::Main, Method::StepwiseBhs]),
        Err(SettingsError::TooManyLists { method: Method::StepwiseBhs, lists: 12, limit: 8, stratum: vec![] })
    );
    assert_eq!(check_lists(&table, &[Method::Main, Method::Lcmcr]), Ok(()));
    // With strata, the lists that have records in each stratum count: the west has 12, the east 3.
    let text = format!("{},site,count\n{}{}", header.join(","), twelve("west,"), {
        let mut east = String::new();
        for pattern in [0b1u32, 0b10, 0b100, 0b11, 0b110] {
            let bits: Vec<String> = (0..12).map(|i| (pattern >> i & 1).to_string()).collect();
            east.push_str(&format!("{},east,4\n", bits.join(",")));
        }
        east
    });
    let table = CaptureTable::read(&text, &["site"]).unwrap();
    let error = check_lists(&table, &[Method::StepwiseCsv]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "stepwise-csv takes at most 10 lists, and 12 have records in the stratum west: it would not finish in \
         reasonable time"
    );
}

/// `--replicates 9223372036854775808` once panicked ("capacity overflow") and a billion asked for 8 GB at once;
/// a billion LCMCR samples ran without bound; a burn-in too large to count was blamed on `samples`. Every setting
/// is now checked against its limit before anything is allocated or run, and the error names the setting at
/// fault, its value and the limit.
#[test]
fn settings_beyond_their_limits_are_refused_before_anything_runs() {
    let western = table("western_us_5list.csv");
    let run = |settings: Settings| estimate_population(&western, &[Method::Main, Method::Lcmcr], &settings);
    assert_eq!(
        run(Settings { replicates: 9_223_372_036_854_775_808, ..Settings::default() }).unwrap_err(),
        SettingsError::OutOfRange {
            field: "replicates",
            value: "9223372036854775808".into(),
            requirement: "it must be between 100 and 10,000".into()
        }
    );
    let error = run(Settings { replicates: 1_000_000_000, ..Settings::default() }).unwrap_err();
    assert_eq!(error.to_string(), "settings.replicates is 1000000000: it must be between 100 and 10,000");
    let lcmcr_settings = |lcmcr: LcmcrSettings| Settings { lcmcr, ..Settings::default() };
    for (settings, field, requirement) in [
        (
            LcmcrSettings { samples: 1_000_000_000, ..Default::default() },
            "samples",
            "it must be between 10 and 100,000",
        ),
        (LcmcrSettings { burn_in: usize::MAX, ..Default::default() }, "burn_in", "it must be at most 10,000,000"),
        (LcmcrSettings { thinning: 1 << 40, ..Default::default() }, "thinning", "it must be between 1 and 10,000"),
        (LcmcrSettings { chains: 17, ..Default::default() }, "chains", "it must be between 1 and 16"),
    ] {
        match run(lcmcr_settings(settings.clone())) {
            Err(SettingsError::Lcmcr(LcmcrError::InvalidSetting { field: f, requirement: r, .. })) => {
                assert_eq!((f, r.as_str()), (field, requirement), "{settings:?}")
            }
            other => panic!("{settings:?}: {other:?}"),
        }
        // The sampler checks the same when it is called alone.
        let alone = lcmcr(&[5.0, 5.0, 1.0], 2, &settings);
        assert!(matches!(&alone, Err(LcmcrError::InvalidSetting { field: f, .. }) if *f == field), "{alone:?}");
    }
    // Each setting within its limit, the run as a whole too long: every term named.
    let long = LcmcrSettings { samples: 100_000, thinning: 100, ..Default::default() };
    let error = run(lcmcr_settings(long)).unwrap_err();
    assert_eq!(
        error,
        SettingsError::Lcmcr(LcmcrError::TooManyIterations {
            chains: 4,
            burn_in: 10_000,
            samples: 100_000,
            thinning: 100,
            iterations: 40_040_000,
            limit: 10_000_000
        })
    );
    // A run at the limit is allowed.
    let at_limit = LcmcrSettings { chains: 2, burn_in: 0, samples: 50_000, thinning: 100, ..Default::default() };
    assert_eq!(at_limit.check(), Ok(5_000_000));
}

/// The memory a run's draws need is worked out before anything runs: 200 strata by every method at 10,000
/// replicates would keep 10.85 million draws, more than a gigabyte.
#[test]
fn a_run_whose_draws_would_not_fit_in_memory_is_refused() {
    let mut text = String::from("A,B,C,site,count\n");
    for site in 0..200 {
        for (pattern, count) in [("1,0,0", 30), ("0,1,0", 20), ("0,0,1", 25), ("1,1,0", 5), ("0,1,1", 4), ("1,0,1", 3)]
        {
            text.push_str(&format!("{pattern},{site},{count}\n"));
        }
    }
    let table = CaptureTable::read(&text, &["site"]).unwrap();
    let settings = Settings { replicates: 10_000, ..Settings::default() };
    let error = estimate_population(&table, &Method::ALL, &settings).unwrap_err();
    // Per stratum 5 log-linear methods × 10,000 replicates and LCMCR's 4 chains × 1,000 draws; and the totals.
    let draws = 200 * 54_000 + 54_000;
    assert_eq!(
        error,
        SettingsError::TooMuchMemory { strata: 200, methods: 6, draws, bytes: draws * 100, limit: MAX_DRAW_MEMORY }
    );
    assert!(error.to_string().contains("would take about 1036 MB, more than the 1024 MB"), "{error}");
}

/// Progress is reported for each method up to its whole: bootstrap replicates and one jackknife choice per
/// pattern with people, or Gibbs iterations over all chains.
#[test]
fn progress_reaches_the_end_of_every_method() {
    let western = table("western_us_5list.csv");
    let settings = Settings {
        replicates: 200,
        lcmcr: LcmcrSettings { chains: 2, burn_in: 500, samples: 50, thinning: 30, ..Default::default() },
        ..Settings::default()
    };
    let seen: Mutex<Vec<Progress>> = Mutex::new(Vec::new());
    let methods = [Method::StepwiseCsv, Method::Lcmcr];
    estimate_population_with_progress(&western, &methods, &settings, &|p| seen.lock().unwrap().push(p)).unwrap();
    let seen = seen.into_inner().unwrap();
    for (method, total) in [(Method::StepwiseCsv, 200 + 13), (Method::Lcmcr, 2 * (500 + 50 * 30))] {
        let steps: Vec<&Progress> = seen.iter().filter(|p| p.method == method).collect();
        assert!(steps.iter().all(|p| p.total == total && p.done <= total && p.strata == 1), "{method:?}");
        assert_eq!(steps.iter().map(|p| p.done).max(), Some(total), "{method:?}");
        assert_eq!(steps[0].done, 0, "the bar appears before the work starts");
    }
}

#[test]
fn the_stepwise_procedure_chooses_the_published_models() {
    // Chan, Silverman & Vincent (2021), threshold 0.02: New Orleans gets D×E (1,184); the western US site A×E
    // (2,483). Silverman, Chan & Vincent (2024): the New Orleans table as revised, 1,110.
    for (name, model, published) in [
        ("new_orleans_8list_v2019.csv", "[D×E]", 1184.0),
        ("western_us_5list.csv", "[A×E]", 2483.0),
        ("new_orleans_8list_v2024.csv", "[D×E]", 1110.0),
    ] {
        let table = table(name);
        let selected = clew_stats::mse::stepwise_csv(&table.counts(&[]), &table.lists, 0.02).unwrap();
        let chosen = &selected.fit;
        assert_eq!(chosen.model.describe(&table.lists), model, "{name}");
        assert_eq!(chosen.estimate.round(), published, "{name}");
    }
}

#[test]
fn every_hierarchical_model_is_enumerated() {
    let models = clew_stats::mse::hierarchical_models(5).unwrap();
    // Five lists: every set of the 10 pairs, and with each the hierarchical sets of three-list terms.
    assert_eq!(models.len(), 6212);
    assert!(models.iter().all(Model::is_hierarchical));
    assert!(models.iter().any(|m| m.terms.iter().any(|t| t.count_ones() == 3)));
    // Four lists: 64 sets of pairs, 113 models with the three-list terms they allow (as the independent script
    // below counts them); six: two-list models only; eight: refused.
    assert_eq!(clew_stats::mse::hierarchical_models(4).unwrap().len(), 113);
    assert_eq!(clew_stats::mse::hierarchical_models(6).unwrap().len(), 1 << 15);
    assert_eq!(clew_stats::mse::hierarchical_models(3).unwrap().len(), 8);
    assert!(matches!(clew_stats::mse::hierarchical_models(8), Err(FitError::TooManyModels(8, _))));
}

/// The models AIC and BIC choose on the Kosovo table, their criteria and estimates, against an independent
/// computation: `test_data/mse/kosovo_bic.py` fits all 113 hierarchical models by Newton's method in plain
/// Python (its own design matrices, log-likelihood with log y!, and penalties) and ranks them. BIC's best and
/// runner-up are 0.08 apart, so a wrong log-likelihood, parameter count or penalty swaps them.
#[test]
fn aic_and_bic_choose_as_an_independent_fit_of_every_model_does() {
    let kosovo = table("kosovo_4list.csv");
    let counts = kosovo.counts(&[]);
    let check = |criterion: Criterion, expected: &[(&str, usize, f64, f64, f64)]| {
        let (chosen, fits) = clew_stats::mse::by_criterion(&counts, &kosovo.lists, criterion).unwrap();
        let mut ranked: Vec<&clew_stats::mse::Fit> = fits.iter().filter_map(|(_, f)| f.as_ref().ok()).collect();
        assert_eq!(ranked.len(), 113, "every model fits: every pattern has people");
        ranked.sort_by(|x, y| criterion.of(x).total_cmp(&criterion.of(y)));
        assert_eq!(chosen.fit.model, ranked[0].model);
        for (found, (model, parameters, bic, aic, estimate)) in ranked.iter().zip(expected) {
            assert_eq!(found.model.describe(&kosovo.lists), *model);
            assert_eq!(found.parameters, *parameters, "{model}");
            assert!((found.bic - bic).abs() < 1e-4, "{model}: BIC {} against {bic}", found.bic);
            assert!((found.aic - aic).abs() < 1e-4, "{model}: AIC {} against {aic}", found.aic);
            assert!((found.estimate - estimate).abs() < 1e-2, "{model}: {} against {estimate}", found.estimate);
        }
    };
    let ball = "[EXH×ABA, EXH×OSCE, EXH×HRW, ABA×OSCE, OSCE×HRW, EXH×ABA×OSCE]";
    let with_hrw = "[EXH×ABA, EXH×OSCE, EXH×HRW, ABA×OSCE, OSCE×HRW, EXH×ABA×OSCE, EXH×OSCE×HRW]";
    check(
        Criterion::Bic,
        &[
            (ball, 11, 203.029_633, 132.746_675, 10_356.519_0),
            (with_hrw, 12, 203.113_377, 126.441_059, 12_740.967_7),
            (
                "[EXH×ABA, EXH×OSCE, EXH×HRW, ABA×OSCE, OSCE×HRW, EXH×OSCE×HRW]",
                11,
                203.957_282,
                133.674_324,
                18_393.306_1,
            ),
        ],
    );
    check(
        Criterion::Aic,
        &[
            (with_hrw, 12, 203.113_377, 126.441_059, 12_740.967_7),
            (
                "[EXH×ABA, EXH×OSCE, EXH×HRW, ABA×OSCE, ABA×HRW, OSCE×HRW, EXH×ABA×OSCE, EXH×OSCE×HRW]",
                13,
                211.495_807,
                128.434_129,
                12_840.705_1,
            ),
        ],
    );
}

#[test]
fn a_three_way_model_with_three_lists_is_not_identifiable() {
    let lists: Vec<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
    let counts = [40.0, 30.0, 6.0, 20.0, 5.0, 4.0, 2.0];
    let pairs = Model::with_pairs(&[(0, 1), (0, 2), (1, 2)]);
    assert!(fit(&counts, &lists, &pairs).is_ok());
    assert!(matches!(fit(&counts, &lists, &pairs.with(0b111)), Err(FitError::NotIdentifiable(_))));
}

/// The linear-programming check finds a missing estimate in advance, and keeps an extended one that exists.
#[test]
fn the_existence_check_tells_a_missing_estimate_from_an_extended_one() {
    let lists: Vec<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
    // Patterns A, B, AB, C, AC, BC, ABC (bit 0 = A). No one is on C with anyone else, and no one on A and B
    // only: [A×B] with empty AC, BC, ABC has no estimate (the artificial table's case).
    let artificial = [40.0, 30.0, 6.0, 20.0, 0.0, 0.0, 0.0];
    assert!(matches!(fit(&artificial, &lists, &Model::with_pairs(&[(0, 1)])), Err(FitError::NoEstimate(_))));
    // A table where only the three-list pattern is empty: the main-effects fit exists in the ordinary sense.
    let dense = [40.0, 30.0, 6.0, 20.0, 5.0, 4.0, 0.0];
    let found = fit(&dense, &lists, &Model::main_effects()).unwrap();
    assert!(found.zero_patterns.is_empty());
    // Empty overlaps A×C and B×C in the model: an extended estimate, those interactions at minus infinity.
    let extended = fit(&artificial, &lists, &Model::with_pairs(&[(0, 2), (1, 2)])).unwrap();
    assert_eq!(extended.infinite_terms, vec![0b101, 0b110]);
    assert_eq!(extended.model.describe(&lists), "[A×C, B×C]");
    assert!(extended.estimate.is_finite() && extended.estimate > 96.0);
}

#[test]
fn the_bales_hesketh_silverman_stepwise_adds_by_aic_and_stops_on_wald() {
    let uk = table("uk2013_6list.csv");
    let selected = clew_stats::mse::stepwise_bhs(&uk.counts(&[]), &uk.lists, 0.05).unwrap();
    // Every added term lowered AIC and was significant; the explanation says why it stopped.
    assert!(selected.explanation.last().unwrap().starts_with("stopped"), "{:?}", selected.explanation);
    let added = selected.explanation.iter().filter(|e| e.starts_with("added")).count();
    assert_eq!(added, selected.fit.model.terms.len());
    // What it chooses on the UK 2013 table (a regression check: no published figure to compare with).
    assert_eq!(selected.fit.model.describe(&uk.lists), "[LA×NG, LA×PF, NG×GO, NG×GP, PF×GP, PF×NCA, GO×GP]");
    assert_eq!(selected.fit.estimate.round(), 11418.0);
    for term in &selected.fit.model.terms {
        assert!(clew_stats::mse::wald_p(&uk.counts(&[]), &uk.lists, &selected.fit, *term).unwrap() <= 0.05);
    }
}

#[test]
fn profile_likelihood_intervals_hold_the_estimate() {
    let western = table("western_us_5list.csv");
    let counts = western.counts(&[]);
    let (a, e) = pair(&western, "A", "E");
    let found = fit(&counts, &western.lists, &Model::with_pairs(&[(a, e)])).unwrap();
    let interval = clew_stats::mse::profile_interval(&counts, &western.lists, &found, 0.95).unwrap();
    assert!(interval.low < found.estimate && found.estimate < interval.high, "{interval:?}");
    assert!(interval.low >= found.observed);
    // Rcapture's multinomial profile with Cormack's correction, computed independently (in Python): (1,681, 3,928).
    assert_eq!((interval.low.round(), interval.high.round()), (1681.0, 3928.0));
    let narrow = clew_stats::mse::profile_interval(&counts, &western.lists, &found, 0.80).unwrap();
    assert!(interval.low < narrow.low && narrow.high < interval.high);
}

/// The published BCa intervals come from one seed of R's generator; another generator's 1,000 replicates
/// land near them, not on them.
#[test]
fn the_bca_bootstrap_lands_near_the_published_intervals() {
    for (name, published, low, high) in
        [("western_us_5list.csv", 2483.0, 1293.0, 3670.0), ("new_orleans_8list_v2019.csv", 1184.0, 717.0, 1657.0)]
    {
        let table = table(name);
        let lists = table.lists.clone();
        let choose =
            move |counts: &[f64]| clew_stats::mse::stepwise_csv(counts, &lists, 0.02).ok().map(|s| s.fit.estimate);
        let counts = table.counts(&[]);
        let bootstrap = clew_stats::mse::bca(&counts, published, &choose, 1000, 7, 0.95);
        let interval = bootstrap.interval.unwrap();
        assert!((interval.low - low).abs() < 0.15 * low, "{name}: {interval:?}");
        assert!((interval.high - high).abs() < 0.15 * high, "{name}: {interval:?}");
        assert_eq!(bootstrap.draws.len() + bootstrap.failed, 1000);
    }
}

/// Populations of known size with a known dependence (people on list A are more often on list B): the
/// correct model's 95% profile-likelihood interval covers the truth in about 95% of populations, while the
/// main-effects model, which ignores the dependence, misses it far more often.
#[test]
fn simulated_populations_are_covered_at_about_the_nominal_rate() {
    use rand::{Rng, SeedableRng};
    let lists: Vec<String> = ["A", "B", "C", "D"].iter().map(|s| s.to_string()).collect();
    let truth = 2000.0;
    let (mut covered, mut covered_by_main, runs) = (0, 0, 300);
    for seed in 0..runs {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut counts = [0.0; 15];
        for _ in 0..truth as usize {
            let a = rng.random_bool(0.2);
            let b = rng.random_bool(if a { 0.5 } else { 0.15 });
            let c = rng.random_bool(0.25);
            let d = rng.random_bool(0.1);
            let pattern = usize::from(a) | usize::from(b) << 1 | usize::from(c) << 2 | usize::from(d) << 3;
            if pattern > 0 {
                counts[pattern - 1] += 1.0;
            }
        }
        for (model, hits) in
            [(Model::with_pairs(&[(0, 1)]), &mut covered), (Model::main_effects(), &mut covered_by_main)]
        {
            let found = fit(&counts, &lists, &model).unwrap();
            let interval = clew_stats::mse::profile_interval(&counts, &lists, &found, 0.95).unwrap();
            if interval.low <= truth && truth <= interval.high {
                *hits += 1;
            }
        }
    }
    let rate = f64::from(covered) / runs as f64;
    let rate_main = f64::from(covered_by_main) / runs as f64;
    eprintln!("profile 95% coverage over {runs} populations: correct model {rate:.3}, main effects {rate_main:.3}");
    assert!((0.92..=0.98).contains(&rate), "coverage {rate}");
    assert!(rate_main < 0.6, "main effects coverage {rate_main}");
}

fn report(text: &str, strata: &[&str], methods: &[Method]) -> PopulationReport {
    let table = CaptureTable::read(text, strata).unwrap();
    let settings = Settings { replicates: 200, ..Settings::default() };
    estimate_population(&table, methods, &settings).unwrap()
}

fn warnings(report: &PopulationReport) -> Vec<String> {
    let mut all = report.warnings.clone();
    for stratum in &report.strata {
        for method in &stratum.methods {
            all.extend(method.warnings.iter().cloned());
        }
    }
    all
}

/// The report's warnings fire when they should: on sparse tables, disagreeing methods, two lists, and strata
/// that lack a list.
#[test]
fn the_report_warns_where_the_numbers_are_weak() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/mse/netherlands_6list.csv");
    let sparse =
        report(&std::fs::read_to_string(path).unwrap(), &[], &[Method::Main, Method::StepwiseCsv, Method::StepwiseBhs]);
    let said = warnings(&sparse);
    assert!(said.iter().any(|w| w.contains("the methods disagree")), "{said:?}");
    assert!(said.iter().any(|w| w.contains("together: that interaction is minus infinity")), "{said:?}");
    let csv = &sparse.strata[0].methods[1];
    assert!(csv.explanation.iter().any(|e| e.starts_with("added")), "{:?}", csv.explanation);

    let two = report("A,B,count\n1,0,50\n0,1,40\n1,1,10\n", &[], &[Method::Main, Method::Lcmcr]);
    let main = &two.strata[0].methods[0];
    // Lincoln-Petersen: 60 × 50 / 10 = 300.
    assert!((main.estimate.unwrap() - 300.0).abs() < 1e-6, "{main:?}");
    assert!(main.warnings.iter().any(|w| w.contains("with two lists the estimate rests on their independence")));
    assert!(two.strata[0].methods[1].not_estimable.as_deref().unwrap().contains("at least three lists"));

    let mut text = String::from("A,B,C,D,site,count\n");
    for (pattern, count) in [
        ("1,0,0,0", 30),
        ("0,1,0,0", 25),
        ("0,0,1,0", 20),
        ("1,1,0,0", 6),
        ("1,0,1,0", 5),
        ("0,1,1,0", 4),
        ("1,1,1,0", 2),
    ] {
        text.push_str(&format!("{pattern},north,{count}\n"));
    }
    for (pattern, count) in
        [("1,0,0,0", 30), ("0,0,0,1", 25), ("0,1,0,0", 20), ("1,0,0,1", 6), ("1,1,0,0", 5), ("0,1,0,1", 4)]
    {
        text.push_str(&format!("{pattern},south,{count}\n"));
    }
    let stratified = report(&text, &["site"], &[Method::Main]);
    let north = &stratified.strata[0];
    assert_eq!(north.stratum, vec!["north".to_string()]);
    assert_eq!(north.lists_used, vec!["A", "B", "C"]);
    assert!(north.methods[0].warnings.iter().any(|w| w == "lists with no one on them here are left out: D"));
    let total = &stratified.totals[0];
    let sum: f64 = stratified.strata.iter().map(|s| s.methods[0].estimate.unwrap()).sum();
    assert!((total.estimate.unwrap() - sum).abs() < 1e-9);
    assert_eq!(total.draws.len(), 200);
}

/// Many lists, very sparse: the existence check stays small (patterns it cannot move are left out, patterns it
/// moves alike counted once), so it answers at once instead of building a program of 65,000 rows.
#[test]
fn the_existence_check_stays_small_on_sixteen_sparse_lists() {
    let lists: Vec<String> = (0..16).map(|i| format!("L{i}")).collect();
    let mut counts = vec![0.0; (1 << 16) - 1];
    for i in 0..16 {
        counts[(1 << i) - 1] = 5.0 + f64::from(i);
    }
    // No one on two lists: nothing says how many are on none.
    assert!(matches!(fit(&counts, &lists, &Model::main_effects()), Err(FitError::NoEstimate(_))));
    // Some overlaps: an estimate.
    counts[0b11 - 1] = 3.0;
    counts[0b110 - 1] = 2.0;
    counts[0b1000_0000_0001 - 1] = 1.0;
    let found = fit(&counts, &lists, &Model::main_effects()).unwrap();
    assert!(found.estimate > found.observed);
}

/// Kosovo, March–June 1999: BIC's model gives 10,357, beside the 10,356 of Ball et al. (2002).
#[test]
fn kosovo_by_bic_lands_on_ball_et_al() {
    let kosovo = table("kosovo_4list.csv");
    let (chosen, _) = clew_stats::mse::by_criterion(&kosovo.counts(&[]), &kosovo.lists, Criterion::Bic).unwrap();
    assert_eq!(chosen.fit.estimate.round(), 10357.0);
    assert_eq!(
        chosen.fit.model.describe(&kosovo.lists),
        "[EXH×ABA, EXH×OSCE, EXH×HRW, ABA×OSCE, OSCE×HRW, EXH×ABA×OSCE]"
    );
}

/// Weak numbers are flagged: lists that barely overlap give an estimate many times the number seen;
/// resampling the one shared person away leaves replicates with no estimate, and the rest all above the
/// estimate, so no BCa interval; lists that share no one give no estimate; short LCMCR chains on the sparse UK
/// table disagree.
#[test]
fn weak_numbers_are_flagged() {
    let barely = report("A,B,C,count\n1,0,0,100\n0,1,0,100\n0,0,1,100\n1,1,0,1\n", &[], &[Method::Main]);
    let said = warnings(&barely);
    assert!(said.iter().any(|w| w.contains("times the number seen")), "{said:?}");
    assert!(said.iter().any(|w| w.contains("all fall on one side of the estimate")), "{said:?}");
    assert!(barely.strata[0].methods[0].interval.is_none());
    assert!(said.iter().any(|w| w.contains("bootstrap replicates gave no estimate")), "{said:?}");
    let apart = report("A,B,C,count\n1,0,0,10\n0,1,0,10\n0,0,1,10\n", &[], &[Method::Main]);
    let reason = apart.strata[0].methods[0].not_estimable.as_deref().unwrap();
    assert!(reason.contains("the maximum-likelihood estimate of the model [main effects] does not exist"), "{reason}");

    let uk = table("uk2013_6list.csv");
    let settings = LcmcrSettings { chains: 4, burn_in: 500, samples: 100, thinning: 5, seed: 3, ..Default::default() };
    let short = lcmcr(&uk.counts(&[]), uk.lists.len(), &settings).unwrap();
    assert!(short.r_hat > 1.05, "R-hat {}", short.r_hat);
    assert!(short.warnings.iter().any(|w| w.starts_with("the chains disagree")), "{:?}", short.warnings);
}
