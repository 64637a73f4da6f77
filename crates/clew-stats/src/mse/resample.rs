//! Bootstrap intervals that repeat the model choice (Chan, Silverman & Vincent 2021, §3.3; SparseMSE's
//! `estimatepopulation`): the observed people are resampled (multinomial, the total fixed), the whole choice of
//! model is made again on every replicate, and the interval is BCa — bias-corrected by how many replicates
//! fall below the estimate, and accelerated by a jackknife that leaves out one person at a time.

use std::sync::atomic::{AtomicUsize, Ordering};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};
use serde::Serialize;

use super::model::Interval;
use super::special::{normal_cdf, normal_quantile};

/// A BCa bootstrap's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bootstrap {
    /// The interval, when it can be formed.
    pub interval: Option<Interval>,
    /// The replicates' estimates, in replicate order, those with no estimate left out.
    #[serde(skip)]
    pub draws: Vec<f64>,
    /// Replicates run.
    pub replicates: usize,
    /// Replicates whose model choice gave no estimate.
    pub failed: usize,
    /// The bias correction z₀.
    pub bias_correction: f64,
    /// The jackknife acceleration a.
    pub acceleration: f64,
    /// What the reader should know: failed replicates, a degenerate bootstrap.
    pub warnings: Vec<String>,
}

/// Resamples `observed` people over the patterns with probabilities proportional to `counts`.
fn multinomial(counts: &[f64], rng: &mut ChaCha8Rng) -> Vec<f64> {
    let total: f64 = counts.iter().sum();
    let mut left = total as u64;
    let mut mass = total;
    counts
        .iter()
        .map(|c| {
            if left == 0 || mass <= 0.0 || *c <= 0.0 {
                return 0.0;
            }
            let p = (c / mass).clamp(0.0, 1.0);
            let drawn = Binomial::new(left, p).map_or(left, |b| b.sample(rng));
            left -= drawn;
            mass -= c;
            drawn as f64
        })
        .collect()
}

/// Sample quantile, Hyndman & Fan's type 8 (median-unbiased; R's `quantile(type = 8)`, as SparseMSE uses).
fn quantile_type8(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len() as f64;
    let h = n * p + (p + 1.0) / 3.0;
    let j = h.floor();
    let g = h - j;
    let at = |k: f64| sorted[(k.clamp(1.0, n) as usize) - 1];
    (1.0 - g) * at(j) + g * at(j + 1.0)
}

/// The BCa interval at `level` for `estimate`, computed on `counts` by `choose` (which must repeat the whole
/// model choice and return the population estimate, or `None`). Replicate r uses stream r of the seeded
/// generator, so the result does not depend on how many threads run. The caller bounds `replicates`
/// (`estimate_population` refuses more than `MAX_REPLICATES`): each takes a model choice and 16 bytes.
pub fn bca(
    counts: &[f64],
    estimate: f64,
    choose: &(dyn Fn(&[f64]) -> Option<f64> + Sync),
    replicates: usize,
    seed: u64,
    level: f64,
) -> Bootstrap {
    bca_with_progress(counts, estimate, choose, replicates, seed, level, &|_| {})
}

/// Runs `work(i)` for i in `0..tasks` on as many threads as the machine has (at most 8), and gives the results in
/// order of i, whatever the threads' timing. Each thread takes the next task when it is free: model choices
/// differ in cost (a stepwise may add one term or twenty), and fixed shares would leave a core idle.
fn in_parallel<T: Send>(tasks: usize, work: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8).min(tasks.max(1));
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let task = next.fetch_add(1, Ordering::Relaxed);
                        if task >= tasks {
                            return done;
                        }
                        done.push((task, work(task)));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_unstable_by_key(|(task, _)| *task);
    done.into_iter().map(|(_, result)| result).collect()
}

/// The patterns with people, whose jackknife choices [`bca`] makes: one per pattern, since people with the same
/// pattern give the same estimate. A run of [`bca_with_progress`] takes `replicates` plus this many choices.
pub fn jackknife_choices(counts: &[f64]) -> usize {
    counts.iter().filter(|c| **c > 0.0).count()
}

/// [`bca`], calling `progress(1)` after each model choice (from any thread), for a progress display: the
/// replicates, then the jackknife's [`jackknife_choices`].
pub fn bca_with_progress(
    counts: &[f64],
    estimate: f64,
    choose: &(dyn Fn(&[f64]) -> Option<f64> + Sync),
    replicates: usize,
    seed: u64,
    level: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> Bootstrap {
    let results: Vec<Option<f64>> = in_parallel(replicates, &|r| {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(r as u64);
        let chosen = choose(&multinomial(counts, &mut rng));
        progress(1);
        chosen
    });
    let draws: Vec<f64> = results.iter().flatten().copied().filter(|d| d.is_finite()).collect();
    let failed = replicates - draws.len();
    let mut warnings = Vec::new();
    if failed > 0 {
        warnings.push(format!(
            "{failed} of {replicates} bootstrap replicates gave no estimate (no model could be fitted): the interval \
             leaves them out, so it is too narrow"
        ));
    }
    // The jackknife: each person left out in turn; people with the same pattern give the same estimate. With
    // many lists there are thousands of such patterns, each a whole model choice, so they share the threads too.
    let with_people: Vec<usize> = (0..counts.len()).filter(|p| counts[*p] > 0.0).collect();
    let jackknife: Vec<(f64, f64)> = in_parallel(with_people.len(), &|i| {
        let p = with_people[i];
        let mut fewer = counts.to_vec();
        fewer[p] -= 1.0;
        let chosen = choose(&fewer).map(|e| (counts[p], e));
        progress(1);
        chosen
    })
    .into_iter()
    .flatten()
    .collect();
    let weight: f64 = jackknife.iter().map(|(c, _)| c).sum();
    let mean = jackknife.iter().map(|(c, e)| c * e).sum::<f64>() / weight;
    let (mut cubes, mut squares) = (0.0, 0.0);
    for (c, e) in &jackknife {
        let d = mean - e;
        cubes += c * d * d * d;
        squares += c * d * d;
    }
    let acceleration = if squares > 0.0 { cubes / (6.0 * squares.powf(1.5)) } else { 0.0 };
    let below = draws.iter().filter(|d| **d < estimate).count() as f64;
    let bias_correction = normal_quantile(below / draws.len().max(1) as f64);
    let mut sorted = draws.clone();
    sorted.sort_by(f64::total_cmp);
    let interval = if sorted.is_empty() || !bias_correction.is_finite() {
        warnings.push(
            "the bootstrap replicates all fall on one side of the estimate: no BCa interval can be formed".into(),
        );
        None
    } else {
        let adjusted = |alpha: f64| {
            let z = normal_quantile(alpha);
            let shifted = bias_correction + z;
            normal_cdf(bias_correction + shifted / (1.0 - acceleration * shifted))
        };
        let tail = (1.0 - level) / 2.0;
        Some(Interval {
            low: quantile_type8(&sorted, adjusted(tail)),
            high: quantile_type8(&sorted, adjusted(1.0 - tail)),
        })
    };
    Bootstrap { interval, draws, replicates, failed, bias_correction, acceleration, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resampling_keeps_the_total_and_type8_matches_r() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let counts = [5.0, 0.0, 10.0, 85.0];
        let drawn = multinomial(&counts, &mut rng);
        assert_eq!(drawn.iter().sum::<f64>(), 100.0);
        assert_eq!(drawn[1], 0.0);
        // R: quantile(1:10, c(0.1, 0.5, 0.975), type = 8) = 1.366667 5.5 10.
        let sorted: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((quantile_type8(&sorted, 0.1) - 1.366_666_7).abs() < 1e-6);
        assert!((quantile_type8(&sorted, 0.5) - 5.5).abs() < 1e-12);
        assert_eq!(quantile_type8(&sorted, 0.975), 10.0);
    }
}
