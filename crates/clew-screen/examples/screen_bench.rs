//! clew's side of `bench/screen.sh`. Prints one JSON object.
//!
//!   screen_bench yente UN.xml GOLD.csv TREATED.csv NEGATIVES.csv
//!       recall at 0.7, top-1 and negatives with a hit, by the index and by comparing with every entry;
//!       GOLD.csv (row,entity_id) names each positive's UN entry (made by the peer script, so both sides
//!       are scored against the same gold).
//!   screen_bench speed UN.xml SDN.csv QUERIES.csv
//!       against the UN and OFAC lists: pairs/s comparing every query with every entry; queries/s and
//!       the 99th-percentile time per query through the index.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use clew_screen::lists::{read_ofac_csv, read_un_xml};
use clew_screen::screen::{Options, Query, Screener, read_queries};

fn queries(path: &str) -> Vec<Query> {
    read_queries(path, &std::fs::read(path).unwrap()).unwrap().0
}

fn p99(mut latencies: Vec<f64>) -> f64 {
    latencies.sort_by(f64::total_cmp);
    latencies[((latencies.len() as f64 * 0.99) as usize).saturating_sub(1)] * 1000.0
}

fn yente(un: &str, gold: &str, treated: &str, negatives: &str) -> serde_json::Value {
    let screener = Screener::new(read_un_xml(un, &std::fs::read(un).unwrap()).unwrap().entities);
    let gold: std::collections::HashMap<usize, String> = csv::Reader::from_path(gold)
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].parse().unwrap(), r[1].to_string())
        })
        .collect();
    let (treated, negatives) = (queries(treated), queries(negatives));
    let mut report = serde_json::Map::new();
    for (mode, exhaustive) in [("index", false), ("every_entry", true)] {
        let options = Options { exhaustive, top: 10, ..Options::default() };
        let (mut mapped, mut recalled, mut top1, mut negative_hits, mut pairs) = (0, 0, 0, 0, 0usize);
        let mut latencies = Vec::new();
        let started = Instant::now();
        for (row, query) in treated.iter().enumerate() {
            let Some(gold) = gold.get(&row) else { continue };
            mapped += 1;
            let t = Instant::now();
            pairs += if exhaustive {
                screener.entities().len()
            } else {
                screener.proposals(query, options.candidates).len()
            };
            let found = screener.screen(query, &options);
            latencies.push(t.elapsed().as_secs_f64());
            recalled += usize::from(found.iter().any(|c| &c.entity_id == gold && c.matched));
            top1 += usize::from(found.first().is_some_and(|c| &c.entity_id == gold));
        }
        for query in &negatives {
            let t = Instant::now();
            pairs += if exhaustive {
                screener.entities().len()
            } else {
                screener.proposals(query, options.candidates).len()
            };
            let found = screener.screen(query, &options);
            latencies.push(t.elapsed().as_secs_f64());
            negative_hits += usize::from(found.iter().any(|c| c.matched));
        }
        let seconds = started.elapsed().as_secs_f64();
        report.insert(
            mode.to_string(),
            serde_json::json!({
                "mapped": mapped,
                "recall": recalled as f64 / mapped as f64,
                "top1": top1 as f64 / mapped as f64,
                "negatives": negatives.len(),
                "negatives_with_hit": negative_hits,
                "pairs_per_second": pairs as f64 / seconds,
                "queries_per_second": latencies.len() as f64 / seconds,
                "p99_ms": p99(latencies),
            }),
        );
    }
    serde_json::Value::Object(report)
}

fn speed(un: &str, sdn: &str, queries_path: &str) -> serde_json::Value {
    let mut entities = read_un_xml(un, &std::fs::read(un).unwrap()).unwrap().entities;
    let alt = sdn.replace("sdn", "alt");
    let (sdn_bytes, alt_bytes) = (std::fs::read(sdn).unwrap(), std::fs::read(&alt).unwrap());
    entities.extend(read_ofac_csv((sdn, &sdn_bytes), Some((&alt, &alt_bytes)), None).unwrap().entities);
    let screener = Screener::new(entities);
    let queries = queries(queries_path);
    let options = Options::default();
    let started = Instant::now();
    let sample = &queries[..queries.len().min(100)];
    for query in sample {
        screener.screen(query, &Options { exhaustive: true, ..options });
    }
    let every_entry_seconds = started.elapsed().as_secs_f64();
    let mut latencies = Vec::new();
    let started = Instant::now();
    for query in &queries {
        let t = Instant::now();
        screener.screen(query, &options);
        latencies.push(t.elapsed().as_secs_f64());
    }
    let seconds = started.elapsed().as_secs_f64();
    serde_json::json!({
        "entries": screener.entities().len(),
        "pairs_per_second": (sample.len() * screener.entities().len()) as f64 / every_entry_seconds,
        "queries": queries.len(),
        "queries_per_second": queries.len() as f64 / seconds,
        "p99_ms": p99(latencies),
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let report = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["yente", un, gold, treated, negatives] => yente(un, gold, treated, negatives),
        ["speed", un, sdn, queries] => speed(un, sdn, queries),
        _ => panic!("usage: screen_bench yente UN GOLD TREATED NEGATIVES | speed UN SDN QUERIES"),
    };
    println!("{report}");
}
