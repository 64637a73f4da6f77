//! Training without labels, scoring and explanations on seeded synthetic people.

use std::collections::BTreeSet;

use clew_link::blocking::Mode;
use clew_link::model::{Label, Model, Weights};
use clew_link::predict::{expected_best_threshold, explain};

use crate::{PEOPLE, linkage, synthetic};

fn f1(linkage: &clew_link::linkage::Linkage, linked: &[(u32, u32)], truth: &[(String, String)]) -> (f64, f64) {
    let truth: BTreeSet<(String, String)> = truth.iter().cloned().collect();
    let found: BTreeSet<(String, String)> =
        linked.iter().map(|(a, b)| (linkage.records.id(*a).to_string(), linkage.records.id(*b).to_string())).collect();
    let hits = found.intersection(&truth).count() as f64;
    (hits / found.len().max(1) as f64, hits / truth.len() as f64)
}

#[test]
fn training_without_labels_finds_the_duplicates() {
    let (csv, truth) = synthetic(800, 11);
    let linkage = linkage(PEOPLE, &[&csv], Mode::Dedupe).unwrap();
    let model = linkage.train(&[]).unwrap();
    for comparison in &model.comparisons {
        let exact = &comparison.levels[0];
        assert!(exact.m > 5.0 * exact.u, "{}: m {} u {}", comparison.name, exact.m, exact.u);
        let different = comparison.levels.last().unwrap();
        assert!(different.m < different.u, "{}: m {} u {}", comparison.name, different.m, different.u);
    }
    let candidates = linkage.candidates();
    let scored = linkage.score(&model, &candidates).unwrap();
    let threshold = expected_best_threshold(&scored, true);
    let linked: Vec<(u32, u32)> =
        scored.iter().filter(|s| f64::from(s.weight) >= threshold && s.independent).map(|s| (s.a, s.b)).collect();
    let (precision, recall) = f1(&linkage, &linked, &truth);
    assert!(precision > 0.95 && recall > 0.9, "precision {precision}, recall {recall}");
}

#[test]
fn the_same_seed_gives_the_same_model_and_it_reads_back() {
    let (csv, _) = synthetic(300, 12);
    let linkage = linkage(PEOPLE, &[&csv], Mode::Dedupe).unwrap();
    let model = linkage.train(&[]).unwrap();
    assert_eq!(model, linkage.train(&[]).unwrap());
    let text = model.to_toml();
    assert_eq!(Model::read("m.toml", &text).unwrap(), model);
    model.check(&linkage.fields).unwrap();

    let other = PEOPLE.replace("kind = \"edit\"", "kind = \"exact\"");
    let other = crate::linkage(&other, &[&csv], Mode::Dedupe).unwrap();
    let message = model.check(&other.fields).unwrap_err().to_string();
    assert!(message.starts_with("the model does not fit the config: comparison `passport` has levels"), "{message}");
}

#[test]
fn a_rule_must_leave_each_comparison_to_estimate() {
    let config = PEOPLE.replace("em_rules = [\"year(birth)\", \"passport\"]", "em_rules = [\"passport & birth\"]");
    let (csv, _) = synthetic(100, 13);
    let linkage = linkage(&config, &[&csv], Mode::Dedupe).unwrap();
    let message = linkage.train(&[]).unwrap_err().to_string();
    assert_eq!(
        message,
        "cannot train the model: no training rule estimates m for birth, passport: add an em_rule that does not block on their columns"
    );
}

#[test]
fn labels_refine_m() {
    let (csv, truth) = synthetic(300, 14);
    let linkage = linkage(PEOPLE, &[&csv], Mode::Dedupe).unwrap();
    let labels: Vec<Label> = truth
        .iter()
        .take(100)
        .map(|(a, b)| Label {
            a: linkage.records.find(0, a).unwrap(),
            b: linkage.records.find(0, b).unwrap(),
            same: true,
        })
        .collect();
    let plain = linkage.train(&[]).unwrap();
    let refined = linkage.train(&labels).unwrap();
    assert_eq!(refined.trained.last().unwrap(), "m refined by 100 pairs judged the same");
    assert_ne!(plain.comparisons, refined.comparisons);
    assert_eq!(
        plain.comparisons.iter().map(|c| c.levels[0].u).collect::<Vec<_>>(),
        refined.comparisons.iter().map(|c| c.levels[0].u).collect::<Vec<_>>()
    );
}

#[test]
fn every_weight_is_explained_and_a_name_alone_never_links() {
    let (csv, _) = synthetic(300, 15);
    let training = linkage(PEOPLE, &[&csv], Mode::Dedupe).unwrap();
    let model = training.train(&[]).unwrap();
    let file = "id,name,birth,city,passport\na,김정은,,,\nb,KIM JONG UN,,,\nc,Kim Jong Un,1984-01-08,Tomsk,1234567\nd,김정은,1984,Tomsk,\n";
    let linkage = crate::linkage(PEOPLE, &[file], Mode::Dedupe).unwrap();
    let weights = Weights::new(&model);
    let ab = explain(&linkage.fields, &weights, 0, 1);
    let sum: f64 = ab.prior + ab.parts.iter().map(|p| p.weight).sum::<f64>();
    assert!((sum - ab.weight).abs() < 1e-9);
    assert_eq!(ab.parts[0].level, "name score ≥ 0.92");
    assert_eq!(ab.parts[1].level, "missing");
    assert!(!ab.independent, "a and b share only a name");
    let cd = explain(&linkage.fields, &weights, 2, 3);
    assert_eq!(cd.parts[1].level, "same as far as both go");
    assert!(cd.independent);
    let scored = linkage.score(&model, &[(0, 1), (2, 3)]).unwrap();
    assert!(!scored[0].independent && scored[1].independent);
    assert!(!scored[0].names_differ && !scored[1].names_differ && !cd.names_differ);
    assert!((f64::from(scored[1].weight) - cd.weight).abs() < 1e-3);
    // Another person born the same day in the same city, with another name: the names differ outright.
    let other = "id,name,birth,city,passport\nc,Kim Jong Un,1984-01-08,Tomsk,\ne,Pak Song Chol,1984-01-08,Tomsk,\n";
    let linkage = crate::linkage(PEOPLE, &[other], Mode::Dedupe).unwrap();
    let ce = explain(&linkage.fields, &weights, 0, 1);
    assert_eq!(ce.parts[0].level, "different");
    assert!(ce.independent && ce.names_differ);
    let scored = linkage.score(&model, &[(0, 1)]).unwrap();
    assert!(scored[0].names_differ && !scored[0].linkable(true) && !scored[0].linkable(false));
}
