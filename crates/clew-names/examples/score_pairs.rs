//! Scores name pairs from a CSV file with columns `schema,name1,name2` (others ignored) and prints
//! `score` per row, for benchmark scripts: `cargo run --release -p clew-names --example score_pairs -- FILE`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clew_names::{Name, NameKind, compare};

fn main() {
    let path = std::env::args().nth(1).expect("usage: score_pairs FILE.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (schema, name1, name2) = (column("schema"), column("name1"), column("name2"));
    println!("score,method");
    for record in reader.records() {
        let record = record.unwrap();
        let kind = if &record[schema] == "Person" { NameKind::Person } else { NameKind::Other };
        let found = compare(&Name::new(&record[name1], kind), &Name::new(&record[name2], kind));
        println!("{:.4},{:?}", found.score, found.method);
    }
}
