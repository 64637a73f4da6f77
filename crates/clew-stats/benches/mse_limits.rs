//! How the time of each estimation method grows with the number of lists (issue 14, F3): the measurements behind
//! the limits on lists per method in `clew_stats::mse::estimate::Method::max_lists` and docs/estimation.md.
//! For each number of lists, a seeded synthetic population (heterogeneous, so that the stepwise procedures add
//! terms) is drawn; one model choice by each method is timed, and the time of a default run (1,000 bootstrap
//! replicates plus one jackknife choice per pattern with people, on every core) is projected from it; LCMCR's
//! Gibbs iterations are timed and projected to the default 4 chains × 60,000 iterations. Run:
//! `cargo bench -p clew-stats --bench mse_limits` (add a number of lists to measure only that one, and `full` to
//! time, besides, a whole default run of each method that takes that many lists, to check the projection: on a
//! machine busy with other work, compare its processor time per core, what the run would take alone).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use clew_stats::mse::estimate::{Method, Settings, estimate_population};
use clew_stats::mse::lcmcr::{LcmcrSettings, lcmcr};
use clew_stats::mse::{CaptureTable, Model, fit, stepwise_bhs, stepwise_csv};

/// `lists` lists over `people` people: 30% seen by each list with probability 0.3, the rest with 0.05, and the
/// first two lists dependent (someone on the first is on the second twice as often).
fn population(lists: usize, people: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = vec![0.0; (1 << lists) - 1];
    for _ in 0..people {
        let p: f64 = if rng.random_bool(0.3) { 0.3 } else { 0.05 };
        let mut pattern = 0usize;
        for list in 0..lists {
            let chance = if list == 1 && pattern & 1 == 1 { (2.0 * p).min(1.0) } else { p };
            if rng.random_bool(chance) {
                pattern |= 1 << list;
            }
        }
        if pattern > 0 {
            counts[pattern - 1] += 1.0;
        }
    }
    counts
}

/// Seconds one call takes (the fastest of up to three, stopping after the first when it is slow).
fn seconds<T>(run: impl Fn() -> T) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let started = Instant::now();
        std::hint::black_box(run());
        best = best.min(started.elapsed().as_secs_f64());
        if best > 1.0 {
            break;
        }
    }
    best
}

/// Seconds of processor time this process has used, where Linux tells it (/proc/self/stat, in ticks of 1/100 s):
/// on a machine shared with other work, processor time divided by the cores is what the run would take alone.
fn processor_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The counts as a capture-history table.
fn as_table(counts: &[f64], lists: usize) -> CaptureTable {
    let mut text: String = (0..lists).map(|i| format!("L{i},")).collect();
    text.push_str("count\n");
    for (index, count) in counts.iter().enumerate().filter(|(_, c)| **c > 0.0) {
        let bits: String = (0..lists).map(|i| if (index + 1) >> i & 1 == 1 { "1," } else { "0," }).collect();
        text.push_str(&format!("{bits}{count}\n"));
    }
    CaptureTable::read(&text, &[]).unwrap()
}

fn main() {
    let only: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let full = std::env::args().any(|a| a == "full");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8) as f64;
    println!("{cores} core(s); projected seconds of a default run of one method on one table");
    for lists in 5..=16 {
        if only.is_some_and(|o| o != lists) {
            continue;
        }
        let names: Vec<String> = (0..lists).map(|i| format!("L{i}")).collect();
        let counts = population(lists, 20_000, lists as u64);
        let cells = counts.iter().filter(|c| **c > 0.0).count();
        let observed: f64 = counts.iter().sum();
        // A default run: 1,000 replicates and the jackknife's one choice per pattern with people, over the cores.
        let project = |one: f64| one * (1000 + cells) as f64 / cores;
        let main = seconds(|| fit(&counts, &names, &Model::main_effects()).map(|f| f.estimate));
        let csv = seconds(|| stepwise_csv(&counts, &names, 0.02).map(|s| s.fit.model.terms.len()));
        let csv_terms = stepwise_csv(&counts, &names, 0.02).map_or(0, |s| s.fit.model.terms.len());
        // The Bales-Hesketh-Silverman stepwise fits every remaining pair at every step: past a few seconds for
        // one choice its default run is hours, and measuring more says nothing new.
        let bhs = if lists <= 13 {
            seconds(|| stepwise_bhs(&counts, &names, 0.05).map(|s| s.fit.model.terms.len()))
        } else {
            f64::NAN
        };
        let iterations = 2_000;
        let settings =
            LcmcrSettings { chains: 1, burn_in: 0, samples: 100, thinning: 20, seed: 1, ..Default::default() };
        let gibbs = seconds(|| lcmcr(&counts, lists, &settings).map(|r| r.estimate)) / iterations as f64;
        println!(
            "{lists:>2} lists, {observed:.0} seen, {cells:>5} patterns with people | main {main:.4} s → {:.0} s | \
             stepwise-csv {csv:.4} s ({csv_terms} terms) → {:.0} s | stepwise-bhs {bhs:.4} s → {:.0} s | lcmcr \
             {:.1} µs/iteration → {:.0} s",
            project(main),
            project(csv),
            project(bhs),
            gibbs * 1e6,
            gibbs * 4.0 * 60_000.0 / cores.min(4.0),
        );
        if full {
            let table = as_table(&counts, lists);
            for method in Method::ALL.into_iter().filter(|m| lists <= m.max_lists()) {
                let (started, processor) = (Instant::now(), processor_seconds());
                let report = estimate_population(&table, &[method], &Settings::default()).unwrap();
                let estimate = report.strata[0].methods[0].estimate;
                let used = processor.zip(processor_seconds()).map(|(before, after)| (after - before) / cores);
                println!(
                    "   a whole default run of {}: {:.1} s, {} (estimate {estimate:?})",
                    method.name(),
                    started.elapsed().as_secs_f64(),
                    used.map_or("processor time unknown".into(), |s| format!("{s:.1} s of processor time per core"))
                );
            }
        }
    }
}
