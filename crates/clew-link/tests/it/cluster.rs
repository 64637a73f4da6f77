//! Clustering: no chains, judgements override the model, contradicting judgements reported, canonical ids stable.

use clew_link::blocking::Mode;
use clew_link::cluster::{Judged, Refusal, Verdict, cluster};
use clew_link::model::{Model, Weights};
use clew_link::predict::{Scored, expected_best_threshold};
use clew_link::records::Records;

use crate::{PEOPLE, linkage, synthetic};

fn records(ids: &[&str]) -> Records {
    let mut records = Records::new(vec!["id".into()]);
    records.add_rows("test", ids.iter().map(|i| vec![i.to_string()]).collect());
    records
}

fn edge(a: u32, b: u32, weight: f32) -> Scored {
    Scored { a, b, weight, independent: true, names_differ: false }
}

#[test]
fn a_chain_is_not_joined_whole() {
    // a~b and b~c are strong, but a and c are clearly different: the chain stops.
    let records = records(&["a", "b", "c"]);
    let weight = |x: u32, y: u32| match (x.min(y), x.max(y)) {
        (0, 1) => 20.0,
        (1, 2) => 15.0,
        _ => -30.0,
    };
    let edges = [edge(0, 1, 20.0), edge(1, 2, 15.0)];
    let clusters = cluster(&records, &edges, 5.0, true, &[], |x, y| (weight(x, y), false));
    assert_eq!(clusters.entity_of, vec![0, 0, 1]);
    assert_eq!(clusters.canonical, vec!["a", "c"]);
    assert!(matches!(clusters.refused[0], Refusal::Chain { pair: (1, 2), mean_weight } if mean_weight < 5.0));
    // When a and c agree well enough, the three are one.
    let clusters = cluster(&records, &edges, 5.0, true, &[], |x, y| {
        if (x.min(y), x.max(y)) == (0, 2) { (8.0, false) } else { (weight(x, y), false) }
    });
    assert_eq!(clusters.entity_of, vec![0, 0, 0]);
    // Unless a and c have names that differ outright: then only a judgement joins them.
    let clusters = cluster(&records, &edges, 5.0, true, &[], |x, y| {
        if (x.min(y), x.max(y)) == (0, 2) { (8.0, true) } else { (weight(x, y), false) }
    });
    assert_eq!(clusters.entity_of, vec![0, 0, 1]);
    assert!(matches!(clusters.refused[0], Refusal::NamesDiffer { pair: (1, 2), differ: (0, 2) }));
}

#[test]
fn judgements_override_the_model_and_contradictions_are_reported() {
    let records = records(&["a", "b", "c", "d"]);
    let edges = [edge(0, 1, 20.0), edge(2, 3, -10.0)];
    let judgements = [
        Judged { a: 0, b: 1, verdict: Verdict::Different },
        Judged { a: 2, b: 3, verdict: Verdict::Same },
        Judged { a: 1, b: 2, verdict: Verdict::Same },
        Judged { a: 0, b: 2, verdict: Verdict::Same },
    ];
    let clusters = cluster(&records, &edges, 5.0, true, &judgements, |_, _| (0.0, false));
    // b, c, d are one (judged same); a stays apart, though the model links a and b.
    assert_eq!(clusters.entity_of, vec![0, 1, 1, 1]);
    assert_eq!(clusters.canonical, vec!["a", "b"]);
    // a = c contradicts a ≠ b once b = c: reported, not applied.
    assert_eq!(clusters.inconsistencies.len(), 1);
    assert_eq!((clusters.inconsistencies[0].same, clusters.inconsistencies[0].different), ((0, 2), (0, 1)));
    assert!(matches!(clusters.refused[0], Refusal::JudgedDifferent { pair: (0, 1), judged: (0, 1) }));
}

#[test]
fn without_independent_evidence_nothing_joins() {
    let records = records(&["a", "b"]);
    let edges = [Scored { a: 0, b: 1, weight: 30.0, independent: false, names_differ: false }];
    assert_eq!(cluster(&records, &edges, 5.0, true, &[], |_, _| (30.0, false)).entity_of, vec![0, 1]);
    assert_eq!(cluster(&records, &edges, 5.0, false, &[], |_, _| (30.0, false)).entity_of, vec![0, 0]);
}

/// Two records whose names differ outright are never joined by the model, however much else agrees; a
/// reviewer's "same" still joins them.
#[test]
fn names_that_differ_never_join_but_by_a_judgement() {
    let records = records(&["a", "b"]);
    let edges = [Scored { a: 0, b: 1, weight: 30.0, independent: true, names_differ: true }];
    assert_eq!(cluster(&records, &edges, 5.0, true, &[], |_, _| (30.0, false)).entity_of, vec![0, 1]);
    assert_eq!(cluster(&records, &edges, 5.0, false, &[], |_, _| (30.0, false)).entity_of, vec![0, 1]);
    let same = [Judged { a: 0, b: 1, verdict: Verdict::Same }];
    assert_eq!(cluster(&records, &edges, 5.0, true, &same, |_, _| (30.0, false)).entity_of, vec![0, 0]);
}

/// Each record's canonical entity id, with the model given (else trained).
fn entities(csv: &str, model: Option<&Model>) -> (std::collections::BTreeMap<String, String>, Model) {
    let linkage = linkage(PEOPLE, &[csv], Mode::Dedupe).unwrap();
    let model = model.cloned().unwrap_or_else(|| linkage.train(&[]).unwrap());
    let weights = Weights::new(&model);
    let scored = linkage.score(&model, &linkage.candidates()).unwrap();
    let threshold = expected_best_threshold(&scored, true);
    let clusters = cluster(&linkage.records, &scored, threshold, true, &[], linkage.weigher(&weights));
    let map = (0..linkage.records.len() as u32)
        .map(|r| {
            (linkage.records.id(r).to_string(), clusters.canonical[clusters.entity_of[r as usize] as usize].clone())
        })
        .collect();
    (map, model)
}

#[test]
fn canonical_ids_do_not_depend_on_the_order_of_records() {
    let (csv, _) = synthetic(300, 21);
    let mut lines: Vec<&str> = csv.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let reversed = format!("{header}\n{}\n", lines.join("\n"));
    let (forward, model) = entities(&csv, None);
    assert_eq!(forward, entities(&reversed, Some(&model)).0);
    assert!(forward.iter().any(|(record, entity)| record != entity), "some records were linked");
}
