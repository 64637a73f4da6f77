//! Simulation coverage of the population intervals (issue 7): populations of known size with known list
//! dependence or heterogeneity are drawn, estimated, and the share of intervals that cover the truth is
//! counted. Reported in docs/estimation.md. Run: `cargo bench -p clew-stats --bench mse_coverage`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use clew_stats::mse::lcmcr::{LcmcrSettings, lcmcr};
use clew_stats::mse::{Model, bca, fit, profile_interval, stepwise_csv};

const TRUTH: usize = 2000;

/// Four lists; people on list A are more often on list B (the model [A×B] is exactly right).
fn dependent(seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = vec![0.0; 15];
    for _ in 0..TRUTH {
        let a = rng.random_bool(0.2);
        let b = rng.random_bool(if a { 0.5 } else { 0.15 });
        let c = rng.random_bool(0.25);
        let d = rng.random_bool(0.1);
        let pattern = usize::from(a) | usize::from(b) << 1 | usize::from(c) << 2 | usize::from(d) << 3;
        if pattern > 0 {
            counts[pattern - 1] += 1.0;
        }
    }
    counts
}

/// Five lists, two hidden kinds of people: a share `easy` of them seen by each list with probability `p_easy`,
/// the others with `p_hard`.
fn heterogeneous(seed: u64, easy: f64, p_easy: f64, p_hard: f64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = vec![0.0; 31];
    for _ in 0..TRUTH {
        let p = if rng.random_bool(easy) { p_easy } else { p_hard };
        let pattern: usize = (0..5).map(|i| usize::from(rng.random_bool(p)) << i).sum();
        if pattern > 0 {
            counts[pattern - 1] += 1.0;
        }
    }
    counts
}

fn report(what: &str, covered: usize, runs: usize, widths: &[f64]) {
    let rate = covered as f64 / runs as f64;
    let se = (rate * (1.0 - rate) / runs as f64).sqrt();
    let mut sorted = widths.to_vec();
    sorted.sort_by(f64::total_cmp);
    println!(
        "{what}: {covered}/{runs} = {rate:.3} (± {se:.3}); median width {:.0}",
        sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
    );
}

fn main() {
    let names = |n: usize| -> Vec<String> { (0..n).map(|i| char::from(b'A' + i as u8).to_string()).collect() };
    let truth = TRUTH as f64;
    let four = names(4);
    for (label, model) in [
        ("[A×B], the right model", Model::with_pairs(&[(0, 1)])),
        ("main effects, the wrong model", Model::main_effects()),
    ] {
        let (mut covered, mut widths, runs) = (0, Vec::new(), 1000);
        for seed in 0..runs {
            let counts = dependent(seed);
            let found = fit(&counts, &four, &model).unwrap();
            let i = profile_interval(&counts, &four, &found, 0.95).unwrap();
            covered += usize::from(i.low <= truth && truth <= i.high);
            widths.push(i.high - i.low);
        }
        report(&format!("95% profile interval, {label}, 4 lists, A and B dependent"), covered, runs as usize, &widths);
    }
    let (mut covered, mut widths, runs) = (0, Vec::new(), 200);
    for seed in 0..runs {
        let counts = dependent(10_000 + seed);
        let choose = |c: &[f64]| stepwise_csv(c, &four, 0.02).ok().map(|s| s.fit.estimate);
        let b = bca(&counts, choose(&counts).unwrap(), &choose, 1000, seed, 0.95);
        if let Some(i) = b.interval {
            covered += usize::from(i.low <= truth && truth <= i.high);
            widths.push(i.high - i.low);
        }
    }
    report(
        "95% BCa, Chan-Silverman-Vincent stepwise re-run in 1,000 replicates, 4 lists, A and B dependent",
        covered,
        runs as usize,
        &widths,
    );
    let five = names(5);
    for (easy, p_easy, p_hard) in [(0.0, 0.2, 0.2), (0.3, 0.5, 0.15), (0.3, 0.4, 0.08)] {
        let (mut covered, mut covered_main, mut widths, mut widths_main, runs) = (0, 0, Vec::new(), Vec::new(), 100);
        for seed in 0..runs {
            let counts = heterogeneous(20_000 + seed, easy, p_easy, p_hard);
            let settings =
                LcmcrSettings { chains: 2, burn_in: 5_000, samples: 500, thinning: 20, seed, ..Default::default() };
            let r = lcmcr(&counts, 5, &settings).unwrap();
            covered += usize::from(r.low <= truth && truth <= r.high);
            widths.push(r.high - r.low);
            let found = fit(&counts, &five, &Model::main_effects()).unwrap();
            let i = profile_interval(&counts, &five, &found, 0.95).unwrap();
            covered_main += usize::from(i.low <= truth && truth <= i.high);
            widths_main.push(i.high - i.low);
        }
        let people = if easy == 0.0 {
            format!("everyone seen by each list with probability {p_easy}")
        } else {
            format!("{:.0}% seen by each list with probability {p_easy}, the rest {p_hard}", easy * 100.0)
        };
        report(&format!("95% LCMCR posterior interval, 5 lists, {people}"), covered, runs as usize, &widths);
        report("95% profile interval, main effects, the same populations", covered_main, runs as usize, &widths_main);
    }
}
