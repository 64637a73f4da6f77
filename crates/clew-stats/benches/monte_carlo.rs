//! 1,000,000 Monte Carlo draws of the revenue model (issue 4: target under 1 s on this machine), with the
//! summary and the sensitivity table. Run: `cargo bench -p clew-stats --bench monte_carlo`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use clew_stats::{RevenueInputs, estimate_revenue};

fn main() {
    let inputs = RevenueInputs {
        workers: "lognormal(median=15000, p95=40000)".parse().unwrap(),
        months: "uniform(min=10, max=12)".parse().unwrap(),
        quota: "lognormal(median=600, p95=900)".parse().unwrap(),
        employer_paid: "uniform(min=700, max=1100)".parse().unwrap(),
        state_share: "triangular(min=0.6, mode=0.75, max=0.9)".parse().unwrap(),
        draws: 1_000_000,
        seed: 2397,
    };
    for run in 1..=3 {
        let started = Instant::now();
        let report = estimate_revenue(&inputs).unwrap();
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "run {run}: 1,000,000 draws in {seconds:.3} s (quota-based median {:.0} USD/year, wage-based {:.0})",
            report.quota_based.median, report.wage_based.median
        );
    }
}
