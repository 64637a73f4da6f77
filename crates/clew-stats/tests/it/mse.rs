//! Log-linear fits reproduce the published estimates; bad tables are refused whole, with every problem.

use clew_stats::mse::{CaptureTable, FitError, Model, fit};

fn table(name: &str) -> CaptureTable {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/mse").join(name);
    CaptureTable::read(&std::fs::read_to_string(path).unwrap(), &[]).unwrap()
}

fn pair(table: &CaptureTable, a: &str, b: &str) -> (usize, usize) {
    let index = |name: &str| table.lists.iter().position(|l| l == name).unwrap();
    (index(a), index(b))
}

fn estimate(table: &CaptureTable, interactions: &[(&str, &str)]) -> Result<f64, FitError> {
    let model = Model { interactions: interactions.iter().map(|(a, b)| pair(table, a, b)).collect() };
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
    let no_count = CaptureTable::read("A,B,n\n1,0,5\n", &[]).unwrap_err();
    assert_eq!(no_count[0].message, "no `count` column (the header has: A, B, n)");
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
        let fits = clew_stats::mse::stepwise_csv(&table.counts(&[]), &table.lists, 0.02).unwrap();
        let chosen = fits.last().unwrap();
        assert_eq!(chosen.model.describe(&table.lists), model, "{name}");
        assert_eq!(chosen.estimate.round(), published, "{name}");
    }
}

#[test]
fn every_two_way_model_is_fitted_and_ranked() {
    let western = table("western_us_5list.csv");
    let fits = clew_stats::mse::all_two_way(&western.counts(&[]), &western.lists).unwrap();
    assert_eq!(fits.len(), 1 << 10);
    let by_aic = clew_stats::mse::best(&fits, clew_stats::mse::Criterion::Aic).unwrap();
    let by_bic = clew_stats::mse::best(&fits, clew_stats::mse::Criterion::Bic).unwrap();
    // BIC's heavier penalty never prefers more parameters than AIC's choice needs.
    assert!(by_bic.parameters <= by_aic.parameters);
    assert!(fits.iter().filter_map(|(_, f)| f.as_ref().ok()).all(|f| f.bic >= by_bic.bic && f.aic >= by_aic.aic));
    let eight = table("new_orleans_8list_v2019.csv");
    assert!(matches!(
        clew_stats::mse::all_two_way(&eight.counts(&[]), &eight.lists),
        Err(FitError::TooManyModels(8, 28))
    ));
}
