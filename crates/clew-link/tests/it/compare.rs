//! Comparison levels: dates by precision, typing errors and distance; identifiers by edits; names across
//! scripts; places by distance.

use clew_link::blocking::Mode;
use clew_link::compare::{Cache, Comparison, Field, osa_within, within_one_edit};
use clew_link::config::{ComparisonSpec, Kind};
use clew_link::records::Records;
use proptest::prelude::*;

fn levels(kind: Kind, thresholds: Option<Vec<f64>>, pairs: &[(&str, &str)]) -> Vec<String> {
    let spec =
        ComparisonSpec { name: "x".into(), kind, columns: vec!["x".into()], tf: false, thresholds, independent: None };
    let mut records = Records::new(vec!["id".into(), "x".into()]);
    let rows = pairs
        .iter()
        .enumerate()
        .flat_map(|(i, (a, b))| [vec![format!("{i}a"), a.to_string()], vec![format!("{i}b"), b.to_string()]])
        .collect();
    records.add_rows("test", rows);
    let comparison = Comparison::new(&spec);
    let (field, _) = Field::prepare(comparison.clone(), &records, &[1]);
    let mut cache = Cache::default();
    (0..pairs.len() as u32)
        .map(|i| comparison.labels[field.level(2 * i, 2 * i + 1, &mut cache) as usize].clone())
        .collect()
}

#[test]
fn dates_keep_their_precision() {
    let found = levels(
        Kind::Date,
        None,
        &[
            ("1970-03-12", "19700312"),
            ("1970", "1970-03-12"),
            ("1970-03", "1970-04-01"),
            ("19700312", "19700321"),
            ("1970-03-12", "1970-04-02"),
            ("1970-03-12", "1970-11-30"),
            ("1970-03-12", "1975-01-01"),
            ("1970-03-12", "1995-07-01"),
            ("1970-03-12", ""),
            ("1970-02-30", "1970-02-28"),
        ],
    );
    expect_test::expect![[r#"
        [
            "exact",
            "same as far as both go",
            "within a month",
            "one digit wrong or two swapped",
            "within a month",
            "within a year",
            "within ten years",
            "different",
            "missing",
            "missing",
        ]
    "#]]
    .assert_debug_eq(&found);
}

#[test]
fn identifiers_by_edits_and_names_across_scripts() {
    let found =
        levels(Kind::Edit, Some(vec![1.0, 2.0]), &[("654321", "654312"), ("654321", "653421x"), ("654321", "123456")]);
    assert_eq!(found, vec!["≤ 1 edits", "≤ 2 edits", "different"]);
    let found = levels(
        Kind::PersonName,
        None,
        &[("김정은", "KIM JONG UN"), ("Ким Чен Ын", "Kim Jong-un"), ("김종은", "김정은"), ("Kim Chol", "Pak Nam")],
    );
    assert_eq!(found, vec!["name score ≥ 0.92", "name score ≥ 0.92", "different", "different"]);
}

#[test]
fn places_by_distance() {
    let spec = ComparisonSpec {
        name: "site".into(),
        kind: Kind::Geo,
        columns: vec!["lat".into(), "lon".into()],
        tf: false,
        thresholds: None,
        independent: None,
    };
    let mut records = Records::new(vec!["id".into(), "lat".into(), "lon".into()]);
    let rows = [
        ("a", "43.1155", "131.8855"), // Vladivostok
        ("b", "43.1200", "131.8900"), // 600 m away
        ("c", "42.8240", "132.8925"), // Nakhodka, about 88 km
        ("d", "north", "131.8855"),
    ];
    records.add_rows("test", rows.iter().map(|(i, a, b)| vec![i.to_string(), a.to_string(), b.to_string()]).collect());
    let comparison = Comparison::new(&spec);
    let (field, unreadable) = Field::prepare(comparison.clone(), &records, &[1, 2]);
    assert_eq!(unreadable, 1);
    let mut cache = Cache::default();
    let label = |a: u32, b: u32, cache: &mut Cache| comparison.labels[field.level(a, b, cache) as usize].clone();
    assert_eq!(label(0, 1, &mut cache), "within 1 km");
    assert_eq!(label(0, 2, &mut cache), "different");
    assert_eq!(label(0, 3, &mut cache), "missing");
    let _ = Mode::Dedupe;
}

/// The textbook optimal-string-alignment distance, to check the banded one against.
fn osa(a: &[char], b: &[char]) -> usize {
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

proptest! {
    #[test]
    fn edit_distance_is_the_textbook_one_capped(a in "[abc]{0,8}", b in "[abc]{0,8}", max in 0usize..4) {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        prop_assert_eq!(osa_within(&a, &b, max), osa(&a, &b).min(max + 1));
        prop_assert_eq!(osa_within(&a, &b, max), osa_within(&b, &a, max));
        prop_assert_eq!(within_one_edit(&a, &b), osa(&a, &b) <= 1);
    }
}
