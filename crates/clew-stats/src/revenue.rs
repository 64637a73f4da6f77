//! The annual revenue of the DPRK state from its workers in Russia, by two methods (docs/background.md §5):
//! - quota-based: workers × months worked a year × the quota or loyalty fee taken per worker-month;
//! - wage-based: workers × months × what employers pay per worker-month × the share of it that never
//!   reaches the worker.
//!
//! Each input is a distribution; a seeded Monte Carlo gives the median and 90% and 95% intervals of each
//! method, and a sensitivity table says which input moves the result most.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::distribution::Distribution;
use crate::{quantile, spearman};

/// The inputs of the revenue model. Money is in US dollars per worker-month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevenueInputs {
    /// Number of DPRK workers in Russia.
    pub workers: Distribution,
    /// Months worked a year.
    pub months: Distribution,
    /// Quota or loyalty fee taken per worker-month (quota-based method).
    pub quota: Distribution,
    /// What employers pay per worker-month (wage-based method).
    pub employer_paid: Distribution,
    /// Share of the employer's payment that never reaches the worker, 0 to 1 (wage-based method).
    pub state_share: Distribution,
    /// Number of draws.
    pub draws: usize,
    /// Seed: the same seed gives the same result.
    pub seed: u64,
}

/// The distribution of one method's result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Median.
    pub median: f64,
    /// Mean.
    pub mean: f64,
    /// 5th percentile (the 90% interval's lower end).
    pub p5: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 2.5th percentile (the 95% interval's lower end).
    pub p2_5: f64,
    /// 97.5th percentile.
    pub p97_5: f64,
}

impl Summary {
    fn of(sorted: &[f64]) -> Summary {
        Summary {
            median: quantile(sorted, 0.5),
            mean: sorted.iter().sum::<f64>() / sorted.len().max(1) as f64,
            p5: quantile(sorted, 0.05),
            p95: quantile(sorted, 0.95),
            p2_5: quantile(sorted, 0.025),
            p97_5: quantile(sorted, 0.975),
        }
    }
}

/// How much one input moves one method's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The method (`quota` or `wage`).
    pub method: &'static str,
    /// The input.
    pub input: &'static str,
    /// Spearman's rank correlation of the input's draws with the result's.
    pub rank_correlation: f64,
    /// The result with this input at its 5th percentile and every other at its median.
    pub low: f64,
    /// The same with the input at its 95th percentile.
    pub high: f64,
}

/// What the estimate gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevenueReport {
    /// Quota-based, US dollars a year.
    pub quota_based: Summary,
    /// Wage-based, US dollars a year.
    pub wage_based: Summary,
    /// Which input moves each result most, largest first.
    pub sensitivity: Vec<Sensitivity>,
    /// The inputs, in words.
    pub inputs: Vec<(&'static str, String)>,
    /// Draws.
    pub draws: usize,
    /// Seed.
    pub seed: u64,
    /// The draws of each method, sorted (for charts and CSV; not in JSON).
    #[serde(skip)]
    pub samples: [Vec<f64>; 2],
}

/// The quota-based result of one set of inputs.
pub fn quota_based(workers: f64, months: f64, quota: f64) -> f64 {
    workers.max(0.0) * months.clamp(0.0, 12.0) * quota.max(0.0)
}

/// The wage-based result of one set of inputs.
pub fn wage_based(workers: f64, months: f64, employer_paid: f64, state_share: f64) -> f64 {
    workers.max(0.0) * months.clamp(0.0, 12.0) * employer_paid.max(0.0) * state_share.clamp(0.0, 1.0)
}

/// Draws used for the rank correlations: enough for two decimals, few enough to stay fast.
const SENSITIVITY_DRAWS: usize = 100_000;

const NAMES: [&str; 5] = ["workers", "months", "quota", "employer_paid", "state_share"];

/// Runs the model. Fails only on an input that cannot be drawn from.
pub fn estimate_revenue(inputs: &RevenueInputs) -> Result<RevenueReport, String> {
    let distributions = [&inputs.workers, &inputs.months, &inputs.quota, &inputs.employer_paid, &inputs.state_share];
    let samplers = distributions
        .iter()
        .zip(NAMES)
        .map(|(d, name)| d.sampler().map_err(|e| format!("{name}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let draws = inputs.draws.max(1);
    let kept = draws.min(SENSITIVITY_DRAWS);
    let mut rng = ChaCha8Rng::seed_from_u64(inputs.seed);
    let mut quota = Vec::with_capacity(draws);
    let mut wage = Vec::with_capacity(draws);
    let mut drawn: [Vec<f64>; 5] = std::array::from_fn(|_| Vec::with_capacity(kept));
    for index in 0..draws {
        let mut x = [0.0; 5];
        for (value, sampler) in x.iter_mut().zip(&samplers) {
            *value = sampler.draw(&mut rng);
        }
        quota.push(quota_based(x[0], x[1], x[2]));
        wage.push(wage_based(x[0], x[1], x[3], x[4]));
        if index < kept {
            for (column, value) in drawn.iter_mut().zip(x) {
                column.push(value);
            }
        }
    }
    let mut sensitivity = Vec::new();
    let medians: Vec<f64> = drawn.iter().map(|column| median_of(column)).collect();
    let percentile = |column: &[f64], q: f64| {
        let mut sorted = column.to_vec();
        sorted.sort_by(f64::total_cmp);
        quantile(&sorted, q)
    };
    for (method, inputs_used, results) in [("quota", [0usize, 1, 2].as_slice(), &quota), ("wage", &[0, 1, 3, 4], &wage)]
    {
        for &input in inputs_used {
            let at = |q: f64| {
                let mut x = medians.clone();
                x[input] = percentile(&drawn[input], q);
                if method == "quota" { quota_based(x[0], x[1], x[2]) } else { wage_based(x[0], x[1], x[3], x[4]) }
            };
            sensitivity.push(Sensitivity {
                method,
                input: NAMES[input],
                rank_correlation: spearman(&drawn[input], &results[..kept]),
                low: at(0.05),
                high: at(0.95),
            });
        }
    }
    sensitivity.sort_by(|a, b| a.method.cmp(b.method).then((b.high - b.low).abs().total_cmp(&(a.high - a.low).abs())));
    quota.sort_by(f64::total_cmp);
    wage.sort_by(f64::total_cmp);
    Ok(RevenueReport {
        quota_based: Summary::of(&quota),
        wage_based: Summary::of(&wage),
        sensitivity,
        inputs: NAMES.iter().zip(distributions).map(|(name, d)| (*name, d.describe())).collect(),
        draws,
        seed: inputs.seed,
        samples: [quota, wage],
    })
}

fn median_of(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantile(&sorted, 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn inputs(seed: u64, draws: usize) -> RevenueInputs {
        RevenueInputs {
            workers: "lognormal(median=15000, p95=40000)".parse().unwrap(),
            months: "fixed(12)".parse().unwrap(),
            quota: "lognormal(median=600, p95=900)".parse().unwrap(),
            employer_paid: "uniform(min=700, max=1100)".parse().unwrap(),
            state_share: "triangular(min=0.6, mode=0.75, max=0.9)".parse().unwrap(),
            draws,
            seed,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_result_and_intervals_contain_the_median() {
        let a = estimate_revenue(&inputs(7, 20_000)).unwrap();
        let b = estimate_revenue(&inputs(7, 20_000)).unwrap();
        assert_eq!(a, b);
        let c = estimate_revenue(&inputs(8, 20_000)).unwrap();
        assert_ne!(a.quota_based, c.quota_based);
        for s in [a.quota_based, a.wage_based] {
            assert!(s.p2_5 <= s.p5 && s.p5 <= s.median && s.median <= s.p95 && s.p95 <= s.p97_5, "{s:?}");
        }
        // The number of workers, the widest input, moves both results most.
        let top_quota = a.sensitivity.iter().find(|s| s.method == "quota").unwrap();
        assert_eq!(top_quota.input, "workers");
        assert!(top_quota.rank_correlation > 0.8, "{top_quota:?}");
    }

    /// A product of log-normals is log-normal: the Monte Carlo must agree with the closed form.
    #[test]
    fn the_monte_carlo_agrees_with_the_closed_form() {
        let mut given = inputs(2397, 400_000);
        given.workers = "lognormal(median=10000, p95=30000)".parse().unwrap();
        given.quota = "lognormal(median=500, p95=800)".parse().unwrap();
        let report = estimate_revenue(&given).unwrap();
        let z = 1.644_853_626_951_472_2_f64;
        let (s1, s2) = ((3.0f64).ln() / z, (1.6f64).ln() / z);
        let median = 12.0 * 10000.0 * 500.0;
        let p95 = median * (z * (s1 * s1 + s2 * s2).sqrt()).exp();
        let mean = median * ((s1 * s1 + s2 * s2) / 2.0).exp();
        let close = |got: f64, want: f64| (got / want - 1.0).abs() < 0.02;
        assert!(close(report.quota_based.median, median), "{} vs {median}", report.quota_based.median);
        assert!(close(report.quota_based.p95, p95), "{} vs {p95}", report.quota_based.p95);
        assert!(close(report.quota_based.mean, mean), "{} vs {mean}", report.quota_based.mean);
    }

    #[test]
    fn an_input_that_cannot_be_drawn_is_named() {
        let mut given = inputs(1, 10);
        given.state_share = Distribution::Empirical { values: vec![] };
        assert!(estimate_revenue(&given).unwrap_err().starts_with("state_share: "));
    }

    proptest! {
        /// More confiscated, or more workers: never less revenue.
        #[test]
        fn revenue_never_falls_as_the_share_or_the_workforce_grows(
            workers in 0.0f64..1e6, more_workers in 0.0f64..1e6, months in 0.0f64..12.0,
            paid in 0.0f64..5000.0, share in 0.0f64..1.0, more_share in 0.0f64..1.0, quota in 0.0f64..5000.0,
        ) {
            prop_assert!(wage_based(workers, months, paid, share) <= wage_based(workers, months, paid, share + more_share) + 1e-6);
            prop_assert!(wage_based(workers, months, paid, share) <= wage_based(workers + more_workers, months, paid, share) + 1e-6);
            prop_assert!(quota_based(workers, months, quota) <= quota_based(workers + more_workers, months, quota) + 1e-6);
        }
    }
}
