//! Multiple systems estimation timings (issue 7; targets on this machine: every hierarchical model of a 6-list
//! table fitted and ranked in under 1 s, a BCa bootstrap of 1,000 replicates with the model re-chosen in each in
//! under 30 s, LCMCR's 100,000 Gibbs iterations on a 6-list table in under 10 s). Each is run three times; the
//! tables are the public ones in test_data/mse. Run: `cargo bench -p clew-stats --bench mse`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use clew_stats::mse::lcmcr::{LcmcrSettings, lcmcr};
use clew_stats::mse::{CaptureTable, Criterion, bca, best_among, by_criterion, stepwise_bhs, stepwise_csv};

fn table(name: &str) -> CaptureTable {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/mse").join(name);
    CaptureTable::read(&std::fs::read_to_string(path).unwrap(), &[]).unwrap()
}

fn timed<T>(what: &str, run: impl Fn() -> T, describe: impl Fn(&T) -> String) {
    for attempt in 1..=3 {
        let started = Instant::now();
        let result = run();
        println!("{what}, run {attempt}: {:.3} s ({})", started.elapsed().as_secs_f64(), describe(&result));
    }
}

fn main() {
    for name in ["uk2013_6list.csv", "netherlands_6list.csv"] {
        let t = table(name);
        let counts = t.counts(&[]);
        timed(
            &format!("all hierarchical models, {name}"),
            || by_criterion(&counts, &t.lists, Criterion::Aic).unwrap(),
            |(chosen, fits)| {
                format!(
                    "{} models; AIC chooses {}, {:.0}",
                    fits.len(),
                    chosen.fit.model.describe(&t.lists),
                    chosen.fit.estimate
                )
            },
        );
    }
    let new_orleans = table("new_orleans_8list_v2019.csv");
    let counts = new_orleans.counts(&[]);
    let lists = new_orleans.lists.clone();
    let choose = |c: &[f64]| stepwise_csv(c, &lists, 0.02).ok().map(|s| s.fit.estimate);
    timed(
        "BCa, 1,000 replicates, Chan-Silverman-Vincent stepwise re-run in each, New Orleans 8 lists",
        || bca(&counts, choose(&counts).unwrap(), &choose, 1000, 1, 0.95),
        |b| format!("{:?}, {} failed", b.interval.map(|i| (i.low.round(), i.high.round())), b.failed),
    );
    let uk = table("uk2013_6list.csv");
    let counts = uk.counts(&[]);
    let lists = uk.lists.clone();
    let choose = |c: &[f64]| stepwise_bhs(c, &lists, 0.05).ok().map(|s| s.fit.estimate);
    timed(
        "BCa, 1,000 replicates, Bales-Hesketh-Silverman stepwise re-run in each, UK 2013 6 lists",
        || bca(&counts, choose(&counts).unwrap(), &choose, 1000, 1, 0.95),
        |b| format!("{:?}, {} failed", b.interval.map(|i| (i.low.round(), i.high.round())), b.failed),
    );
    timed(
        "BCa, 1,000 replicates, all 32,768 models fitted, then each replicate re-chooses among the 20 best by AIC, UK 2013 6 lists",
        || {
            let (chosen, fits) = by_criterion(&counts, &lists, Criterion::Aic).unwrap();
            let mut ranked: Vec<_> = fits.iter().filter_map(|(_, f)| f.as_ref().ok()).collect();
            ranked.sort_by(|x, y| x.aic.total_cmp(&y.aic));
            let top: Vec<_> = ranked.iter().take(20).map(|f| f.model.clone()).collect();
            let choose = |c: &[f64]| best_among(c, &lists, &top, Criterion::Aic).map(|f| f.estimate);
            bca(&counts, chosen.fit.estimate, &choose, 1000, 1, 0.95)
        },
        |b| format!("{:?}, {} failed", b.interval.map(|i| (i.low.round(), i.high.round())), b.failed),
    );
    for (chains, iterations) in [(1, 100_000), (4, 25_000)] {
        let settings = LcmcrSettings {
            chains,
            burn_in: iterations / 2,
            samples: iterations / 2 / 10,
            thinning: 10,
            seed: 1,
            ..Default::default()
        };
        timed(
            &format!("LCMCR, {chains} chain(s) × {iterations} iterations, UK 2013 6 lists"),
            || lcmcr(&counts, uk.lists.len(), &settings).unwrap(),
            |r| {
                format!(
                    "{} iterations; N {:.0} ({:.0}–{:.0}), R-hat {:.3}, ESS {:.0}",
                    r.iterations, r.estimate, r.low, r.high, r.r_hat, r.ess
                )
            },
        );
    }
}
