//! Screens the yente fixtures against the UN consolidated list and prints recall at the threshold, top-1,
//! negatives with a hit, and speed. The gold entry of each treated positive is the UN entry whose name, as a
//! set of words, is the untreated row's name. Used by `bench/screen.sh`.
//!
//!   cargo run --release -p clew-screen --example yente_eval -- UN.xml UNTREATED.csv TREATED.csv NEGATIVES.csv
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashMap;
use std::time::Instant;

use clew_screen::lists::read_un_xml;

use clew_screen::screen::{Options, Screener, read_queries};

fn words(text: &str) -> Vec<String> {
    let mut w: Vec<String> = clew_names::generic::fold(text);
    w.sort();
    w
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [un, untreated, treated, negatives] = &args[..] else {
        panic!("usage: yente_eval UN.xml UNTREATED TREATED NEGATIVES")
    };
    let list = read_un_xml(un, &std::fs::read(un).unwrap()).unwrap();
    let mut by_words: HashMap<Vec<String>, Vec<String>> = HashMap::new();
    for entity in &list.entities {
        for name in &entity.names {
            by_words.entry(words(&name.text)).or_default().push(entity.id.clone());
        }
    }
    let mut entities = list.entities;
    // With OFAC=sdn.csv (alt.csv beside it), the OFAC SDN list is screened too.
    if let Ok(sdn) = std::env::var("OFAC") {
        let alt = sdn.replace("sdn", "alt");
        let (sdn_bytes, alt_bytes) = (std::fs::read(&sdn).unwrap(), std::fs::read(&alt).unwrap());
        entities
            .extend(clew_screen::lists::read_ofac_csv((&sdn, &sdn_bytes), Some((&alt, &alt_bytes))).unwrap().entities);
    }
    let screener = Screener::new(entities);
    let untreated = read_queries(untreated, &std::fs::read(untreated).unwrap()).unwrap().0;
    let treated = read_queries(treated, &std::fs::read(treated).unwrap()).unwrap().0;
    let negatives = read_queries(negatives, &std::fs::read(negatives).unwrap()).unwrap().0;
    let exhaustive = std::env::var("EXHAUSTIVE").is_ok();
    let options = Options { exhaustive, top: 10, ..Options::default() };
    let (mut mapped, mut recalled, mut top1) = (0, 0, 0);
    let started = Instant::now();
    let mut pairs = 0usize;
    let mut latencies = Vec::new();
    for (plain, query) in untreated.iter().zip(&treated) {
        let Some(gold) = by_words.get(&words(&plain.names[0].text)).filter(|g| g.len() == 1).map(|g| g[0].clone())
        else {
            continue;
        };
        mapped += 1;
        let t = Instant::now();
        pairs +=
            if exhaustive { screener.entities().len() } else { screener.proposals(query, options.candidates).len() };
        let found = screener.screen(query, &options);
        latencies.push(t.elapsed().as_secs_f64());
        if found.iter().any(|c| c.entity_id == gold && c.matched) {
            recalled += 1;
        }
        if found.first().is_some_and(|c| c.entity_id == gold) {
            top1 += 1;
        }
        if std::env::var("SHOW").is_ok()
            && (!found.iter().any(|c| c.entity_id == gold && c.matched)
                || found.first().is_some_and(|c| c.entity_id != gold))
        {
            let proposed = screener
                .proposals(query, options.candidates)
                .iter()
                .any(|p| screener.entities()[*p as usize].id == gold);
            eprintln!(
                "missed {gold}: {} (proposed by index: {proposed}); top: {:?}",
                query.names[0].text,
                found.first().map(|c| (&c.entity_id, &c.list_name, c.score))
            );
        }
    }
    let mut negative_hits = 0;
    for query in &negatives {
        let t = Instant::now();
        pairs +=
            if exhaustive { screener.entities().len() } else { screener.proposals(query, options.candidates).len() };
        let found = screener.screen(query, &options);
        latencies.push(t.elapsed().as_secs_f64());
        if found.iter().any(|c| c.matched) {
            negative_hits += 1;
            if std::env::var("SHOW").is_ok() {
                eprintln!("negative hit: {} ~ {} {:.3}", query.names[0].text, found[0].list_name, found[0].score);
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let p99 = latencies[(latencies.len() as f64 * 0.99) as usize - 1];
    println!(
        "mapped {mapped} recall@0.7 {:.3} top1 {:.3} negatives_with_hit {negative_hits}/{} queries/s {:.0} pairs/s {:.0} p99_ms {:.2}",
        recalled as f64 / mapped as f64,
        top1 as f64 / mapped as f64,
        negatives.len(),
        latencies.len() as f64 / seconds,
        pairs as f64 / seconds,
        p99 * 1000.0
    );
}
