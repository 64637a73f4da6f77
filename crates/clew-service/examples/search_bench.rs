//! Times search over a project's names, and the match against kept lists. Prints one JSON object.
//!
//!   search_bench search DIR [TESTIMONIES]
//!       the synthetic demo of TESTIMONIES testimonies (default 100,000) is built in DIR unless DIR is a project
//!       already; then the search index is built (timed), and queries of people (three scripts), companies,
//!       sites and common words are searched at each ceiling, 20 times each: the 50th and 99th percentile and
//!       the slowest time per query.
//!   search_bench match DIR LIST...
//!       the lists are kept in a new project in DIR; the screeners' build is timed, then one request of 100
//!       queries (names from the first list, and invented ones) per run, 10 runs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::time::Instant;

use clew_model::Sensitivity;
use clew_service::entities::Schemata;
use clew_service::matching::{MatchParams, MatchRequest};
use clew_service::{Actor, ListFile, Service};

fn percentile(latencies: &mut [f64], p: f64) -> f64 {
    latencies.sort_by(f64::total_cmp);
    latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1] * 1000.0
}

const QUERIES: [&str; 16] = [
    "김철호",
    "Kim Chol Ho",
    "Ким Чхоль Хо",
    "Pak Myong Su",
    "리광일",
    "Jong Song Hak",
    "Severny Most",
    "Северный Мост",
    "DEMO Severny Most 0001 LLC",
    "General Trading Corporation",
    "조선",
    "DEMO",
    "DEMO site 00012",
    "dormitory",
    "qwxz",
    "Kim Ri Pak Choe Jong Kang Jo Yun Jang Han DEMO site LLC Corporation Trading General Korea Severny Most \
     Северный Мост ООО ДЕМО 김 리 박 최 정 강 조 윤 장 한 dormitory container flat Vladivostok Khabarovsk Moscow",
];

fn search(dir: &Path, testimonies: u64) -> serde_json::Value {
    if !dir.join("clew.toml").exists() {
        let started = Instant::now();
        clew_service::demo::build_demo(dir, testimonies, 1, &mut |_| {}).unwrap();
        eprintln!("demo of {testimonies} testimonies built in {:.1} s", started.elapsed().as_secs_f64());
    }
    let service = Service::open(dir).unwrap();
    let info = service.search_index_info().unwrap();
    let all = Schemata::default();
    let mut latencies = Vec::new();
    let mut per_query = Vec::new();
    for query in QUERIES {
        for ceiling in [Sensitivity::Public, Sensitivity::Internal, Sensitivity::Restricted] {
            let mut times = Vec::new();
            let mut hits = 0;
            let mut total = 0;
            for _ in 0..20 {
                let started = Instant::now();
                let results = service.search(query, &all, ceiling, 20).unwrap();
                times.push(started.elapsed().as_secs_f64());
                hits = results.hits.len();
                total = results.total;
            }
            let first = service.search(query, &all, ceiling, 3).unwrap();
            let best: Vec<String> =
                first.hits.iter().map(|h| format!("{} {:.2} {}", h.entity, h.score, h.matched_name)).collect();
            per_query.push(serde_json::json!({
                "query": query, "ceiling": ceiling, "hits": hits, "total": total, "best": best,
                "p50_ms": percentile(&mut times.clone(), 0.5), "max_ms": percentile(&mut times.clone(), 1.0),
            }));
            latencies.extend(times);
        }
    }
    serde_json::json!({
        "index": info,
        "searches": latencies.len(),
        "p50_ms": percentile(&mut latencies, 0.5),
        "p99_ms": percentile(&mut latencies, 0.99),
        "max_ms": percentile(&mut latencies, 1.0),
        "queries": per_query,
    })
}

fn matching(dir: &Path, lists: &[String]) -> serde_json::Value {
    let actor = Actor::new("bench").unwrap();
    let (service, _) = Service::init(dir, "bench", None, &actor).unwrap();
    let mut names = Vec::new();
    for list in lists {
        let file = ListFile::read(Path::new(list), None).unwrap();
        if names.is_empty() {
            names.extend(file.list().entities.iter().take(50).filter_map(|e| e.names.first().map(|n| n.text.clone())));
        }
        service.import_list(&actor, &file).unwrap();
    }
    names.extend((0..50).map(|i| format!("Invented Person Number {i}")));
    let queries: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (format!("q{i}"), serde_json::json!({"schema": "LegalEntity", "properties": {"name": [name]}}))
        })
        .collect();
    let request: MatchRequest = serde_json::from_value(serde_json::json!({ "queries": queries })).unwrap();
    let params = MatchParams::default();
    let started = Instant::now();
    let first = service.match_queries("default", &request, &params).unwrap();
    let first_seconds = started.elapsed().as_secs_f64();
    let mut times = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        service.match_queries("default", &request, &params).unwrap();
        times.push(started.elapsed().as_secs_f64());
    }
    let matched = first.responses.values().filter(|r| r.results.first().is_some_and(|r| r.is_match)).count();
    serde_json::json!({
        "queries_per_request": request.queries.len(),
        "queries_with_a_match": matched,
        "first_request_s (screeners built)": first_seconds,
        "request_p50_ms": percentile(&mut times.clone(), 0.5),
        "request_max_ms": percentile(&mut times, 1.0),
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let report = match args.first().map(String::as_str) {
        Some("search") => search(Path::new(&args[1]), args.get(2).map_or(100_000, |n| n.parse().unwrap())),
        Some("match") => matching(Path::new(&args[1]), &args[2..]),
        _ => panic!("usage: search_bench search DIR [TESTIMONIES] | match DIR LIST..."),
    };
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
}
