//! Bootstrap intervals of a mean (or a proportion: the mean of 0s and 1s): resample with replacement,
//! seeded, and take the 2.5th and 97.5th percentiles of the resampled means.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::quantile;

/// Below this many independent units (witnesses, when values come in clusters), an interval is marked
/// `small_sample`: a percentile bootstrap from so few gives intervals too narrow to mean much (one witness gives
/// a single point, `100% [100–100%]`), and a share can swing by tens of points with one more testimony.
pub const SMALL_SAMPLE: usize = 30;

/// A mean with its 95% bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// How many values.
    pub n: usize,
    /// How many independent units they come from (witnesses; `n` when values are not clustered).
    pub units: usize,
    /// Fewer than [`SMALL_SAMPLE`] units: the interval means little.
    pub small_sample: bool,
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
    let means: Vec<f64> =
        (0..resamples.max(1)).map(|_| (0..n).map(|_| values[rng.random_range(0..n)]).sum::<f64>() / n as f64).collect();
    Some(interval(n, n, mean, means))
}

/// The interval of `n` values from `units` independent units, from the resampled means.
fn interval(n: usize, units: usize, mean: f64, mut means: Vec<f64>) -> Interval {
    means.sort_by(f64::total_cmp);
    Interval {
        n,
        units,
        small_sample: units < SMALL_SAMPLE,
        mean,
        low: quantile(&means, 0.025),
        high: quantile(&means, 0.975),
    }
}

/// The mean of values that come in clusters (the spells of one witness, who may have been interviewed more
/// than once), with a 95% interval from resampling whole clusters: values of one cluster are not counted as
/// independent evidence. `None` when there is no value.
pub fn bootstrap_mean_clustered(clusters: &[Vec<f64>], resamples: usize, seed: u64) -> Option<Interval> {
    let clusters: Vec<(f64, usize)> =
        clusters.iter().filter(|c| !c.is_empty()).map(|c| (c.iter().sum::<f64>(), c.len())).collect();
    let n: usize = clusters.iter().map(|(_, len)| len).sum();
    if n == 0 {
        return None;
    }
    let mean = clusters.iter().map(|(sum, _)| sum).sum::<f64>() / n as f64;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let k = clusters.len();
    let means: Vec<f64> = (0..resamples.max(1))
        .map(|_| {
            let (mut sum, mut count) = (0.0, 0usize);
            for _ in 0..k {
                let (s, len) = clusters[rng.random_range(0..k)];
                sum += s;
                count += len;
            }
            sum / count as f64
        })
        .collect();
    Some(interval(n, k, mean, means))
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

    /// One witness counted ten times is one witness: the interval is as wide as for the distinct witnesses.
    #[test]
    fn a_cluster_counts_once() {
        let singles: Vec<Vec<f64>> = (0..40).map(|i| vec![f64::from(i % 2)]).collect();
        let mut repeated: Vec<Vec<f64>> = singles.clone();
        repeated[0] = vec![0.0; 10];
        let independent: Vec<f64> = repeated.iter().flatten().copied().collect();
        let naive = bootstrap_mean(&independent, 2000, 3).unwrap();
        let clustered = bootstrap_mean_clustered(&repeated, 2000, 3).unwrap();
        assert_eq!(naive.n, clustered.n);
        assert!((naive.mean - clustered.mean).abs() < 1e-12);
        assert!(clustered.high - clustered.low > (naive.high - naive.low) * 1.05, "{naive:?} {clustered:?}");
        assert_eq!(bootstrap_mean_clustered(&[vec![], vec![]], 10, 1), None);
    }

    /// Too few witnesses is said, counting witnesses, not their spells.
    #[test]
    fn an_interval_from_fewer_than_thirty_witnesses_is_marked_small() {
        let one = bootstrap_mean_clustered(&[vec![1.0, 1.0, 1.0]], 100, 1).unwrap();
        assert_eq!((one.n, one.units, one.small_sample), (3, 1, true));
        let witnesses: Vec<Vec<f64>> = (0..SMALL_SAMPLE).map(|i| vec![f64::from(i as u8 % 2); 2]).collect();
        let enough = bootstrap_mean_clustered(&witnesses, 100, 1).unwrap();
        assert_eq!((enough.units, enough.small_sample), (SMALL_SAMPLE, false));
        assert!(bootstrap_mean_clustered(&witnesses[1..], 100, 1).unwrap().small_sample);
        assert!(bootstrap_mean(&[0.5; 29], 100, 1).unwrap().small_sample);
    }
}
