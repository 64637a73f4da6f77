//! Bootstrap intervals of a mean (or a proportion: the mean of 0s and 1s): resample with replacement,
//! seeded, and take the 2.5th and 97.5th percentiles of the resampled means.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::quantile;

/// A mean with its 95% bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// How many values.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// The mean of `values` with a 95% percentile-bootstrap interval from `resamples` resamples; `None` for no
/// values.
pub fn bootstrap_mean(values: &[f64], resamples: usize, seed: u64) -> Option<Interval> {
    if values.is_empty() {
        return None;
    }
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut means: Vec<f64> =
        (0..resamples.max(1)).map(|_| (0..n).map(|_| values[rng.random_range(0..n)]).sum::<f64>() / n as f64).collect();
    means.sort_by(f64::total_cmp);
    Some(Interval { n, mean, low: quantile(&means, 0.025), high: quantile(&means, 0.975) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_holds_the_mean_narrows_with_more_data_and_repeats_by_seed() {
        let small: Vec<f64> = (0..40).map(|i| f64::from(i % 2)).collect();
        let large: Vec<f64> = (0..4000).map(|i| f64::from(i % 2)).collect();
        let a = bootstrap_mean(&small, 1000, 1).unwrap();
        let b = bootstrap_mean(&large, 1000, 1).unwrap();
        assert!(a.low < 0.5 && 0.5 < a.high, "{a:?}");
        assert!(b.high - b.low < (a.high - a.low) / 5.0, "{a:?} {b:?}");
        // For a proportion the normal approximation is close: ±1.96·sqrt(p(1-p)/n).
        let half = 1.96 * (0.25f64 / 4000.0).sqrt();
        assert!(((b.high - b.low) / 2.0 - half).abs() < half * 0.15, "{b:?} vs ±{half}");
        assert_eq!(bootstrap_mean(&small, 1000, 1), Some(a));
        assert_eq!(bootstrap_mean(&[], 10, 1), None);
    }
}
