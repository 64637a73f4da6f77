//! Bayesian latent-class multiple systems estimation (LCMCR; Manrique-Vallier 2016, "Bayesian population size
//! estimation using Dirichlet process mixtures", Biometrics 72(4); the R package LCMCR). People differ in how
//! easily lists find them: the model lets them fall into up to K latent classes, each with its own chance of
//! appearing on each list, and lets the data decide how many classes matter (a truncated Dirichlet process
//! mixture). A Gibbs sampler draws from the posterior of the total number of people, N = observed + missed, with
//! a prior on N proportional to 1/N. Seeded: the same seed gives the same result, whatever the thread scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution, Poisson, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::quantile;

/// The most lists a table may have.
const MAX_LISTS: usize = super::table::MAX_LISTS;
/// The most chains: more than 16 adds nothing R-hat needs, and each chain is a thread's whole run.
pub const MAX_CHAINS: usize = 16;
/// The most draws kept per chain. A 95% interval's ends are as sharp as the chains' autocorrelation allows long
/// before 100,000 draws, and 16 chains of them keep 1.6 million numbers (about 13 MB a copy).
pub const MAX_SAMPLES: usize = 100_000;
/// The most iterations per kept draw. Draws of N stay alike for several hundred iterations on the published
/// tables (600 to 800 on Kosovo), so 10,000 leaves ample room; beyond it the draws are as good as independent.
pub const MAX_THINNING: usize = 10_000;
/// The most Gibbs iterations of a run, over all chains (burn-in included): forty times the default's 240,000. An
/// iteration takes from about 40 µs (5 lists, 31 patterns with people) to 650 µs (16 lists, 4,658 patterns) on
/// one core of the 2-core machine the limits were measured on (`cargo bench -p clew-stats --bench mse_limits`),
/// so a run at the limit takes from about 3 minutes (5 lists, chains on both cores) to under two hours (16
/// lists, one chain) there, not days; the burn-in alone may take the whole of it.
pub const MAX_ITERATIONS: usize = 10_000_000;
/// Iterations between two reports of progress.
const PROGRESS_EVERY: usize = 1_000;
/// The largest count accepted in one cell, and the ceiling on the number of people missed that the sampler will
/// draw: 10^15 keeps every total exactly representable.
const MAX_PEOPLE: f64 = 1e15;
/// Above this many people, a cell's class counts are drawn by sequential binomials rather than person by person.
const PER_PERSON_LIMIT: u64 = 24;
/// R-hat above this means the chains have not agreed on the posterior.
const R_HAT_LIMIT: f64 = 1.05;
/// An effective sample size below this leaves the interval's end quantiles imprecise.
const ESS_LIMIT: f64 = 400.0;
/// An upper end of the interval above this many times the number observed means the data barely bound N.
const IMPLAUSIBLE_RATIO: f64 = 100.0;

/// How the sampler runs: the model's prior, how long the chains run and which draws are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LcmcrSettings {
    /// The most latent classes of people the model can use (2 to 50; default 10). The data decide how many are
    /// actually filled; more than the data need costs only time.
    pub classes: usize,
    /// Shape of the Gamma prior on the concentration alpha, which sets how readily people are spread over many
    /// classes (default 0.25, as in LCMCR).
    pub alpha_shape: f64,
    /// Rate of the Gamma prior on alpha (default 0.25, as in LCMCR).
    pub alpha_rate: f64,
    /// Iterations run and thrown away at the start of each chain, while it forgets where it started (default
    /// 10,000; at most [`MAX_ITERATIONS`], with the rest of the run).
    pub burn_in: usize,
    /// Draws of N kept per chain after the burn-in (10 to [`MAX_SAMPLES`]; default 1,000).
    pub samples: usize,
    /// Keep one iteration in this many after the burn-in (1 to [`MAX_THINNING`]; default 50): neighbouring
    /// iterations are alike, so thinning keeps the memory small without losing much information. Draws of N can
    /// stay alike for hundreds of iterations (about 600 to 800 on the Kosovo table), so less thinning leaves the
    /// effective sample size below 400.
    pub thinning: usize,
    /// Independent chains, started from different places and run in parallel (1 to [`MAX_CHAINS`]; default 4).
    /// Agreement between them is what R-hat checks.
    pub chains: usize,
    /// Seed of the random numbers: chain c uses seed + c.
    pub seed: u64,
    /// The posterior interval's level (default 0.95: the 2.5% and 97.5% quantiles).
    pub level: f64,
}

impl Default for LcmcrSettings {
    fn default() -> Self {
        LcmcrSettings {
            classes: 10,
            alpha_shape: 0.25,
            alpha_rate: 0.25,
            burn_in: 10_000,
            samples: 1_000,
            thinning: 50,
            chains: 4,
            seed: 0,
            level: 0.95,
        }
    }
}

/// The posterior of the total number of people, N (those on at least one list plus those on none), with the
/// diagnostics that say whether to trust it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LcmcrResult {
    /// The number of people on at least one list.
    pub observed: f64,
    /// The kept draws of N, one vector per chain, in the order they were drawn.
    pub draws: Vec<Vec<f64>>,
    /// The posterior median of N over all chains: the central estimate.
    pub estimate: f64,
    /// The lower end of the posterior interval of N at the settings' level (the 2.5% quantile at 0.95).
    pub low: f64,
    /// The upper end of the posterior interval (the 97.5% quantile at 0.95).
    pub high: f64,
    /// Split R-hat of N (Gelman et al., Bayesian Data Analysis, 3rd ed.): near 1 when the chains, each cut in
    /// halves, agree; above 1.05 the chains have not yet settled on one posterior.
    pub r_hat: f64,
    /// How many independent draws the kept draws of N are worth, allowing for their autocorrelation (the Stan
    /// estimator with Geyer's initial positive sequence, over the split chains).
    pub ess: f64,
    /// The Gibbs iterations run, over all chains.
    pub iterations: usize,
    /// Reasons to doubt the result, in plain words; empty when none was found.
    pub warnings: Vec<String>,
}

/// Why a table or settings cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LcmcrError {
    /// Fewer than two lists: with one list there is no overlap to learn from.
    #[error("{lists} list(s): estimation needs at least two lists")]
    TooFewLists {
        /// The number of lists given.
        lists: usize,
    },
    /// More lists than the sampler supports.
    #[error("{lists} lists: at most 16 are supported")]
    TooManyLists {
        /// The number of lists given.
        lists: usize,
    },
    /// The counts do not have one entry per capture pattern.
    #[error(
        "{found} counts for {lists} lists: expected {expected}, one per capture pattern (2^lists - 1, \
         leaving out the pattern of people on no list)"
    )]
    WrongCountLength {
        /// The number of lists given.
        lists: usize,
        /// The number of counts needed.
        expected: usize,
        /// The number of counts given.
        found: usize,
    },
    /// A count below zero.
    #[error(
        "the count at position {index} (capture pattern {pattern}, list 1 first) is {value}: a count must be 0 or more"
    )]
    NegativeCount {
        /// Position in the counts (pattern number - 1).
        index: usize,
        /// The pattern as 0/1 digits, list 1 first.
        pattern: String,
        /// The count given.
        value: f64,
    },
    /// A count that is not a whole number.
    #[error(
        "the count at position {index} (capture pattern {pattern}, list 1 first) is {value}: a count must be a \
         whole number of people"
    )]
    FractionalCount {
        /// Position in the counts (pattern number - 1).
        index: usize,
        /// The pattern as 0/1 digits, list 1 first.
        pattern: String,
        /// The count given.
        value: f64,
    },
    /// A count that is infinite or not a number.
    #[error(
        "the count at position {index} (capture pattern {pattern}, list 1 first) is {value}: a count must be a finite number"
    )]
    NonFiniteCount {
        /// Position in the counts (pattern number - 1).
        index: usize,
        /// The pattern as 0/1 digits, list 1 first.
        pattern: String,
        /// The count given.
        value: f64,
    },
    /// A count too large to be a number of people.
    #[error(
        "the count at position {index} (capture pattern {pattern}, list 1 first) is {value}: counts above 10^15 are not supported"
    )]
    CountTooLarge {
        /// Position in the counts (pattern number - 1).
        index: usize,
        /// The pattern as 0/1 digits, list 1 first.
        pattern: String,
        /// The count given.
        value: f64,
    },
    /// More people observed in all than the sampler can count.
    #[error("{observed} people observed in all: totals above 10^15 are not supported")]
    TooManyObserved {
        /// The total of the counts.
        observed: f64,
    },
    /// Every count is zero.
    #[error("every count is 0: with no one observed there is nothing to estimate from")]
    NobodyObserved,
    /// A setting outside its allowed range.
    #[error("settings.{field} is {value}: {requirement}")]
    InvalidSetting {
        /// The name of the setting: the field of [`LcmcrSettings`].
        field: &'static str,
        /// The value given.
        value: String,
        /// What the setting must be, with its limits.
        requirement: String,
    },
    /// Each setting within its range, but together more Gibbs iterations than a run may take.
    #[error(
        "settings: chains × (burn_in + samples × thinning) = {chains} × ({burn_in} + {samples} × {thinning}) is \
         {iterations} Gibbs iterations, more than the {limit} a run may take"
    )]
    TooManyIterations {
        /// Chains.
        chains: usize,
        /// Burn-in per chain.
        burn_in: usize,
        /// Draws kept per chain.
        samples: usize,
        /// Iterations per kept draw.
        thinning: usize,
        /// The iterations these settings ask for over all chains.
        iterations: u128,
        /// [`MAX_ITERATIONS`].
        limit: usize,
    },
}

/// Estimates the total number of people from a capture-history table with the LCMCR model.
///
/// `counts[p - 1]` is the number of people seen on exactly the lists whose bits are set in pattern `p` (bit j set:
/// on list j, list 1 being bit 0), for p from 1 to 2^`lists` - 1. The people on no list are what is estimated.
/// Chains run in parallel; the same settings and seed give the same result.
pub fn lcmcr(counts: &[f64], lists: usize, settings: &LcmcrSettings) -> Result<LcmcrResult, LcmcrError> {
    lcmcr_with_progress(counts, lists, settings, &|_| {})
}

/// [`lcmcr`], calling `progress` with the number of Gibbs iterations done since its last call (from any chain's
/// thread, every thousand iterations or so), for a progress display: a run takes `chains × (burn_in + samples ×
/// thinning)` iterations in all.
pub fn lcmcr_with_progress(
    counts: &[f64],
    lists: usize,
    settings: &LcmcrSettings,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LcmcrResult, LcmcrError> {
    let iterations_per_chain = settings.check()?;
    let table = Table::new(counts, lists)?;
    let runs = run_chains(&table, settings, iterations_per_chain, progress);
    let capped_chains = runs.iter().filter(|run| run.capped).count();
    let draws: Vec<Vec<f64>> = runs.into_iter().map(|run| run.draws).collect();

    let mut pooled: Vec<f64> = draws.iter().flatten().copied().collect();
    pooled.sort_by(f64::total_cmp);
    let observed = table.observed as f64;
    let estimate = quantile(&pooled, 0.5);
    let tail = (1.0 - settings.level) / 2.0;
    let low = quantile(&pooled, tail);
    let high = quantile(&pooled, 1.0 - tail);
    let r_hat = split_r_hat(&draws);
    let ess = effective_sample_size(&draws);

    let warnings = warnings_for(observed, high, r_hat, ess, capped_chains);

    Ok(LcmcrResult {
        observed,
        draws,
        estimate,
        low,
        high,
        r_hat,
        ess,
        iterations: iterations_per_chain * settings.chains,
        warnings,
    })
}

/// The reasons to doubt a result: chains that disagree, too few effective draws, a total the data barely bound,
/// chains whose number missed hit the ceiling.
fn warnings_for(observed: f64, high: f64, r_hat: f64, ess: f64, capped_chains: usize) -> Vec<String> {
    let mut warnings = Vec::new();
    if r_hat.is_nan() {
        warnings.push("R-hat could not be computed: too few draws to check that the chains agree".to_string());
    } else if r_hat > R_HAT_LIMIT {
        warnings.push(format!("the chains disagree (R-hat {r_hat:.2} > {R_HAT_LIMIT}): run longer"));
    }
    if ess.is_nan() || ess < ESS_LIMIT {
        warnings.push(format!("effective sample size {ess:.0} < {ESS_LIMIT}: the interval's ends are imprecise"));
    }
    if high > IMPLAUSIBLE_RATIO * observed {
        warnings.push(format!(
            "the data say little about the people missed: the upper end of the interval ({high:.0}) is more than \
             {IMPLAUSIBLE_RATIO} times the number observed ({observed:.0})"
        ));
    }
    if capped_chains > 0 {
        warnings.push(format!(
            "in {capped_chains} chain(s) the number of people missed reached the sampler's ceiling of 10^15: the \
             data cannot bound the total and the estimate means nothing"
        ));
    }
    warnings
}

impl LcmcrSettings {
    /// Checks every setting against its range and the run against [`MAX_ITERATIONS`], and gives the number of
    /// iterations each chain runs. Each setting is checked alone first, so that the one at fault is the one
    /// named; the total is then computed with checked arithmetic, so that no choice of settings can overflow it.
    pub fn check(&self) -> Result<usize, LcmcrError> {
        let invalid = |field: &'static str, value: String, requirement: String| {
            Err(LcmcrError::InvalidSetting { field, value, requirement })
        };
        let thousands = |n: usize| super::thousands(n as u64);
        if !(2..=50).contains(&self.classes) {
            return invalid("classes", self.classes.to_string(), "it must be between 2 and 50".into());
        }
        if !(self.alpha_shape.is_finite() && self.alpha_shape > 0.0) {
            return invalid("alpha_shape", self.alpha_shape.to_string(), "it must be a positive number".into());
        }
        if !(self.alpha_rate.is_finite() && self.alpha_rate > 0.0) {
            return invalid("alpha_rate", self.alpha_rate.to_string(), "it must be a positive number".into());
        }
        if !(1..=MAX_CHAINS).contains(&self.chains) {
            return invalid("chains", self.chains.to_string(), format!("it must be between 1 and {MAX_CHAINS}"));
        }
        if !(10..=MAX_SAMPLES).contains(&self.samples) {
            let range = format!("it must be between 10 and {}", thousands(MAX_SAMPLES));
            return invalid("samples", self.samples.to_string(), range);
        }
        if !(1..=MAX_THINNING).contains(&self.thinning) {
            let range = format!("it must be between 1 and {}", thousands(MAX_THINNING));
            return invalid("thinning", self.thinning.to_string(), range);
        }
        if self.burn_in > MAX_ITERATIONS {
            let range = format!("it must be at most {}", thousands(MAX_ITERATIONS));
            return invalid("burn_in", self.burn_in.to_string(), range);
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return invalid("level", self.level.to_string(), "it must be between 0 and 1".into());
        }
        let per_chain = self.samples.checked_mul(self.thinning).and_then(|kept| kept.checked_add(self.burn_in));
        let total = per_chain.and_then(|per_chain| per_chain.checked_mul(self.chains));
        match (per_chain, total) {
            (Some(per_chain), Some(total)) if total <= MAX_ITERATIONS => Ok(per_chain),
            _ => Err(LcmcrError::TooManyIterations {
                chains: self.chains,
                burn_in: self.burn_in,
                samples: self.samples,
                thinning: self.thinning,
                // In 128 bits: each factor is below 2^64 and the chains are at most 16, so this cannot overflow.
                iterations: self.chains as u128 * (self.burn_in as u128 + self.samples as u128 * self.thinning as u128),
                limit: MAX_ITERATIONS,
            }),
        }
    }
}

/// The observed part of a capture-history table, as the sampler uses it.
struct Table {
    /// The number of lists.
    lists: usize,
    /// The capture patterns seen at least once, each with its count.
    cells: Vec<Cell>,
    /// The number of people on at least one list.
    observed: u64,
}

/// One capture pattern with at least one person.
struct Cell {
    /// Bit j set: on list j.
    pattern: u32,
    /// The people with exactly this pattern.
    count: u64,
}

impl Table {
    /// Checks the counts and keeps the patterns with people.
    fn new(counts: &[f64], lists: usize) -> Result<Table, LcmcrError> {
        if lists < 2 {
            return Err(LcmcrError::TooFewLists { lists });
        }
        if lists > MAX_LISTS {
            return Err(LcmcrError::TooManyLists { lists });
        }
        let expected = (1usize << lists) - 1;
        if counts.len() != expected {
            return Err(LcmcrError::WrongCountLength { lists, expected, found: counts.len() });
        }
        let mut cells = Vec::new();
        let mut observed = 0u64;
        for (index, &value) in counts.iter().enumerate() {
            let pattern = pattern_digits(index + 1, lists);
            if !value.is_finite() {
                return Err(LcmcrError::NonFiniteCount { index, pattern, value });
            }
            if value < 0.0 {
                return Err(LcmcrError::NegativeCount { index, pattern, value });
            }
            if value.fract() != 0.0 {
                return Err(LcmcrError::FractionalCount { index, pattern, value });
            }
            if value > MAX_PEOPLE {
                return Err(LcmcrError::CountTooLarge { index, pattern, value });
            }
            if value > 0.0 {
                let count = value as u64;
                cells.push(Cell { pattern: (index + 1) as u32, count });
                observed = observed.saturating_add(count);
            }
        }
        if observed == 0 {
            return Err(LcmcrError::NobodyObserved);
        }
        if observed as f64 > MAX_PEOPLE {
            return Err(LcmcrError::TooManyObserved { observed: observed as f64 });
        }
        Ok(Table { lists, cells, observed })
    }
}

/// A capture pattern as 0/1 digits, list 1 first.
fn pattern_digits(pattern: usize, lists: usize) -> String {
    (0..lists).map(|list| if pattern >> list & 1 == 1 { '1' } else { '0' }).collect()
}

/// What one chain produced.
struct ChainRun {
    /// The kept draws of N, in order.
    draws: Vec<f64>,
    /// Whether the number missed ever hit the ceiling `MAX_PEOPLE`.
    capped: bool,
}

/// Runs the chains in parallel, at most as many at once as there are processors, and returns them in chain order.
fn run_chains(
    table: &Table,
    settings: &LcmcrSettings,
    iterations_per_chain: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<ChainRun> {
    let workers = std::thread::available_parallelism().map_or(1, |cores| cores.get()).min(settings.chains);
    let next_chain = AtomicUsize::new(0);
    let mut runs: Vec<(usize, ChainRun)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let chain = next_chain.fetch_add(1, Ordering::Relaxed);
                        if chain >= settings.chains {
                            return done;
                        }
                        done.push((chain, run_chain(table, settings, chain, iterations_per_chain, progress)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    runs.sort_by_key(|(chain, _)| *chain);
    runs.into_iter().map(|(_, run)| run).collect()
}

/// Runs one chain: burn-in, then keeps every `thinning`-th draw of N.
fn run_chain(
    table: &Table,
    settings: &LcmcrSettings,
    chain: usize,
    iterations: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> ChainRun {
    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed.wrapping_add(chain as u64));
    let mut sampler = Sampler::new(table, settings, chain, &mut rng);
    // Checked settings keep `samples` at most MAX_SAMPLES, so this asks for at most 800 kB.
    let mut draws = Vec::with_capacity(settings.samples);
    for iteration in 0..iterations {
        sampler.iterate(&mut rng);
        if iteration >= settings.burn_in && (iteration - settings.burn_in + 1).is_multiple_of(settings.thinning) {
            draws.push((table.observed + sampler.missed) as f64);
        }
        if (iteration + 1).is_multiple_of(PROGRESS_EVERY) {
            progress(PROGRESS_EVERY as u64);
        }
    }
    progress((iterations % PROGRESS_EVERY) as u64);
    ChainRun { draws, capped: sampler.capped }
}

/// The state of one Gibbs chain, with scratch space so that an iteration allocates nothing.
///
/// Class k's chance of being on list j is lambda\[j\]\[k\]; the sampler keeps only the logarithms it needs.
struct Sampler<'a> {
    table: &'a Table,
    classes: usize,
    alpha_shape: f64,
    alpha_rate: f64,
    /// The Dirichlet process concentration: small alpha puts nearly everyone in a few classes.
    alpha: f64,
    /// ln pi\[k\]: the log share of the population in class k.
    ln_share: Vec<f64>,
    /// ln prod_j (1 - lambda\[j\]\[k\]): the log chance that a member of class k is on no list.
    ln_on_no_list: Vec<f64>,
    /// ln lambda - ln(1 - lambda), indexed class * lists + list: what being on list j adds to the log chance of a
    /// pattern for class k.
    ln_odds: Vec<f64>,
    /// Observed people in each class.
    observed_in_class: Vec<u64>,
    /// Observed people in each class on each list, indexed class * lists + list.
    on_list_in_class: Vec<u64>,
    /// Missed people (on no list) in each class.
    missed_in_class: Vec<u64>,
    /// The number of people on no list.
    missed: u64,
    /// Whether `missed` ever hit the ceiling `MAX_PEOPLE`.
    capped: bool,
    /// Scratch: unnormalised class probabilities.
    weights: Vec<f64>,
    /// Scratch: sums of `weights` used by the multinomial draw.
    sums: Vec<f64>,
    /// Scratch: class counts drawn by the multinomial.
    allocation: Vec<u64>,
}

impl<'a> Sampler<'a> {
    /// A chain's starting point: list chances and class shares drawn from the prior (alpha at its prior mean), the
    /// observed people put in classes given those, and a number missed that differs from chain to chain (0.25, 0.75,
    /// 2.25, 6.75 times the number observed, then again), so that the chains start at different totals.
    fn new(table: &'a Table, settings: &LcmcrSettings, chain: usize, rng: &mut ChaCha8Rng) -> Self {
        let classes = settings.classes;
        let lists = table.lists;
        let mut sampler = Sampler {
            table,
            classes,
            alpha_shape: settings.alpha_shape,
            alpha_rate: settings.alpha_rate,
            alpha: settings.alpha_shape / settings.alpha_rate,
            ln_share: vec![0.0; classes],
            ln_on_no_list: vec![0.0; classes],
            ln_odds: vec![0.0; classes * lists],
            observed_in_class: vec![0; classes],
            on_list_in_class: vec![0; classes * lists],
            missed_in_class: vec![0; classes],
            missed: 0,
            capped: false,
            weights: vec![0.0; classes],
            sums: vec![0.0; classes],
            allocation: vec![0; classes],
        };
        // With every class empty, the updates below are draws from the prior.
        sampler.update_list_chances(rng);
        sampler.update_shares(rng);
        sampler.assign_observed(rng);
        let start_ratio = 0.25 * 3f64.powi((chain % 4) as i32);
        sampler.missed = (start_ratio * table.observed as f64).round() as u64;
        sampler.assign_missed(rng);
        sampler
    }

    /// One Gibbs sweep. The order (list chances, class shares, alpha, then the observed people's classes, the
    /// number missed and the missed people's classes) is the cycle of Manrique-Vallier (2016) entered at the list
    /// chances, so that each chain's starting number missed shapes its first draws.
    fn iterate(&mut self, rng: &mut ChaCha8Rng) {
        self.update_list_chances(rng);
        let sum_ln_unbroken = self.update_shares(rng);
        self.update_alpha(rng, sum_ln_unbroken);
        self.assign_observed(rng);
        self.update_missed(rng);
        self.assign_missed(rng);
    }

    /// lambda\[j\]\[k\] ~ Beta(1 + people of class k on list j, 1 + people of class k not on list j), the missed
    /// people counting as on no list. Drawn as X / (X + Y) from two Gamma draws, in logs.
    fn update_list_chances(&mut self, rng: &mut ChaCha8Rng) {
        let lists = self.table.lists;
        for class in 0..self.classes {
            let class_size = self.observed_in_class[class] + self.missed_in_class[class];
            let mut ln_on_no_list = 0.0;
            for list in 0..lists {
                let on = self.on_list_in_class[class * lists + list];
                let ln_x = ln_gamma_draw(rng, 1.0 + on as f64);
                let ln_y = ln_gamma_draw(rng, 1.0 + (class_size - on) as f64);
                ln_on_no_list += ln_y - ln_add_exp(ln_x, ln_y);
                self.ln_odds[class * lists + list] = ln_x - ln_y;
            }
            self.ln_on_no_list[class] = ln_on_no_list;
        }
    }

    /// Stick-breaking shares: V_k ~ Beta(1 + n_k, alpha + sum over l > k of n_l) for k < K, V_K = 1, and
    /// pi_k = V_k prod over l < k of (1 - V_l). Returns sum over k < K of ln(1 - V_k), which alpha's update needs.
    fn update_shares(&mut self, rng: &mut ChaCha8Rng) -> f64 {
        let last = self.classes - 1;
        let mut after: u64 =
            (0..self.classes).map(|class| self.observed_in_class[class] + self.missed_in_class[class]).sum();
        let mut ln_unbroken = 0.0;
        for class in 0..last {
            let size = self.observed_in_class[class] + self.missed_in_class[class];
            after -= size;
            let ln_x = ln_gamma_draw(rng, 1.0 + size as f64);
            let ln_y = ln_gamma_draw(rng, self.alpha + after as f64);
            let ln_total = ln_add_exp(ln_x, ln_y);
            self.ln_share[class] = ln_unbroken + ln_x - ln_total;
            ln_unbroken += ln_y - ln_total;
        }
        self.ln_share[last] = ln_unbroken;
        ln_unbroken
    }

    /// alpha ~ Gamma(shape a + K - 1, rate b - sum over k < K of ln(1 - V_k)).
    fn update_alpha(&mut self, rng: &mut ChaCha8Rng, sum_ln_unbroken: f64) {
        let rate = (self.alpha_rate - sum_ln_unbroken).min(f64::MAX);
        let shape = self.alpha_shape + (self.classes - 1) as f64;
        // Kept above zero so that the next stick draws have a valid shape.
        self.alpha = (ln_gamma_draw(rng, shape).exp() / rate).max(f64::MIN_POSITIVE);
    }

    /// Puts the people of each observed pattern in classes: Multinomial(count, q) with q_k proportional to
    /// pi_k prod_j lambda_jk^x_j (1 - lambda_jk)^(1 - x_j), and tallies the classes' list memberships.
    fn assign_observed(&mut self, rng: &mut ChaCha8Rng) {
        let lists = self.table.lists;
        self.observed_in_class.fill(0);
        self.on_list_in_class.fill(0);
        for cell in &self.table.cells {
            let mut highest = f64::NEG_INFINITY;
            for class in 0..self.classes {
                let odds = &self.ln_odds[class * lists..(class + 1) * lists];
                let mut ln_weight = self.ln_share[class] + self.ln_on_no_list[class];
                let mut remaining = cell.pattern;
                while remaining != 0 {
                    ln_weight += odds[remaining.trailing_zeros() as usize];
                    remaining &= remaining - 1;
                }
                self.weights[class] = ln_weight;
                highest = highest.max(ln_weight);
            }
            for weight in &mut self.weights {
                *weight = (*weight - highest).exp();
            }
            draw_multinomial(rng, cell.count, &self.weights, &mut self.sums, &mut self.allocation);
            for class in 0..self.classes {
                let people = self.allocation[class];
                if people == 0 {
                    continue;
                }
                self.observed_in_class[class] += people;
                let mut remaining = cell.pattern;
                while remaining != 0 {
                    self.on_list_in_class[class * lists + remaining.trailing_zeros() as usize] += people;
                    remaining &= remaining - 1;
                }
            }
        }
    }

    /// The number missed given the model: NegativeBinomial(n, 1 - p0), p0 = sum_k pi_k prod_j (1 - lambda_jk).
    fn update_missed(&mut self, rng: &mut ChaCha8Rng) {
        let mut highest = f64::NEG_INFINITY;
        for class in 0..self.classes {
            highest = highest.max(self.ln_share[class] + self.ln_on_no_list[class]);
        }
        let sum: f64 =
            (0..self.classes).map(|class| (self.ln_share[class] + self.ln_on_no_list[class] - highest).exp()).sum();
        let ln_missed_chance = highest + sum.ln();
        let (missed, capped) = draw_missed(rng, self.table.observed, ln_missed_chance);
        self.missed = missed;
        self.capped |= capped;
    }

    /// Puts the missed people in classes: Multinomial(missed, pi_k prod_j (1 - lambda_jk) / p0).
    fn assign_missed(&mut self, rng: &mut ChaCha8Rng) {
        let mut highest = f64::NEG_INFINITY;
        for class in 0..self.classes {
            self.weights[class] = self.ln_share[class] + self.ln_on_no_list[class];
            highest = highest.max(self.weights[class]);
        }
        for weight in &mut self.weights {
            *weight = (*weight - highest).exp();
        }
        draw_multinomial(rng, self.missed, &self.weights, &mut self.sums, &mut self.missed_in_class);
    }
}

/// Draws the number of people missed, n0, from P(n0) proportional to C(n + n0 - 1, n0) p0^n0 (1 - p0)^n, where n is
/// the number observed and p0 = exp(`ln_missed_chance`) the chance of being on no list: a negative binomial, drawn
/// as Poisson(theta) with theta ~ Gamma(shape n, scale p0 / (1 - p0)), whose mean is n p0 / (1 - p0). Returns the
/// draw and whether it hit the ceiling `MAX_PEOPLE`.
fn draw_missed(rng: &mut ChaCha8Rng, observed: u64, ln_missed_chance: f64) -> (u64, bool) {
    let ln_missed_chance = ln_missed_chance.min(0.0);
    let seen_chance = -ln_missed_chance.exp_m1();
    if seen_chance <= 0.0 {
        return (MAX_PEOPLE as u64, true);
    }
    let ln_scale = ln_missed_chance - seen_chance.ln();
    let theta = (ln_gamma_draw(rng, observed as f64) + ln_scale).exp();
    if theta.is_nan() || theta > MAX_PEOPLE {
        return (MAX_PEOPLE as u64, true);
    }
    if theta <= 0.0 {
        return (0, false);
    }
    match Poisson::new(theta) {
        Ok(poisson) => {
            let draw: f64 = poisson.sample(rng);
            if draw >= MAX_PEOPLE { (MAX_PEOPLE as u64, true) } else { (draw as u64, false) }
        }
        Err(_) => (MAX_PEOPLE as u64, true),
    }
}

/// Draws class counts for `count` people, each falling in class k with chance proportional to `weights[k]`
/// (non-negative, at least one positive), into `allocation`. Few people are placed one by one; many by sequential
/// binomials (class k takes Binomial(people left, weight k / weight of classes k and after)). `sums` is scratch.
fn draw_multinomial(rng: &mut ChaCha8Rng, count: u64, weights: &[f64], sums: &mut [f64], allocation: &mut [u64]) {
    allocation.fill(0);
    let classes = weights.len();
    if count == 0 {
        return;
    }
    if count <= PER_PERSON_LIMIT {
        let mut running = 0.0;
        let mut last_positive = 0;
        for (class, weight) in weights.iter().enumerate() {
            running += weight;
            sums[class] = running;
            if *weight > 0.0 {
                last_positive = class;
            }
        }
        for _ in 0..count {
            let target = rng.random::<f64>() * running;
            let class = sums[..last_positive].iter().position(|sum| target < *sum).unwrap_or(last_positive);
            allocation[class] += 1;
        }
        return;
    }
    let mut running = 0.0;
    for class in (0..classes).rev() {
        running += weights[class];
        sums[class] = running;
    }
    let mut left = count;
    for class in 0..classes {
        if class + 1 == classes || sums[class + 1] <= 0.0 {
            allocation[class] = left;
            return;
        }
        let chance = (weights[class] / sums[class]).clamp(0.0, 1.0);
        let drawn = Binomial::new(left, chance).map_or(0, |binomial| binomial.sample(rng));
        allocation[class] = drawn;
        left -= drawn;
        if left == 0 {
            return;
        }
    }
}

/// The natural logarithm of a draw from Gamma(shape, 1) (Marsaglia and Tsang 2000). Returning the logarithm keeps
/// draws with a tiny shape, which can fall below the smallest positive f64, usable.
fn ln_gamma_draw(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        // Gamma(shape) is Gamma(shape + 1) times U^(1 / shape).
        let uniform = 1.0 - rng.random::<f64>();
        return ln_gamma_draw(rng, shape + 1.0) + uniform.ln() / shape;
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let normal: f64 = rng.sample(StandardNormal);
        let v = 1.0 + c * normal;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let uniform = 1.0 - rng.random::<f64>();
        let squared = normal * normal;
        if uniform < 1.0 - 0.0331 * squared * squared {
            return d.ln() + v.ln();
        }
        let ln_v = v.ln();
        if uniform.ln() < 0.5 * squared + d * (1.0 - v + ln_v) {
            return d.ln() + ln_v;
        }
    }
}

/// ln(exp(a) + exp(b)) without overflow or underflow.
fn ln_add_exp(a: f64, b: f64) -> f64 {
    let (high, low) = if a >= b { (a, b) } else { (b, a) };
    high + (low - high).exp().ln_1p()
}

/// Each chain cut into a first and a second half (the middle draw of an odd-length chain left out), all halves of
/// the shortest chain's half length so that they can be compared.
fn split_halves(chains: &[Vec<f64>]) -> Vec<&[f64]> {
    let half = chains.iter().map(|chain| chain.len() / 2).min().unwrap_or(0);
    let mut halves = Vec::with_capacity(2 * chains.len());
    for chain in chains {
        halves.push(&chain[..half]);
        halves.push(&chain[chain.len() - half..]);
    }
    halves
}

/// Mean and sample variance (divisor n - 1).
fn mean_and_variance(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|value| (value - mean) * (value - mean)).sum::<f64>() / (n - 1.0);
    (mean, variance)
}

/// Split R-hat (Gelman et al., Bayesian Data Analysis, 3rd ed., section 11.4): each chain is cut in halves and the
/// spread between the halves' means is compared with the spread within them; sqrt(var+ / W), near 1 when they
/// agree. 1 when every draw is the same; NaN with fewer than two draws per half.
pub(crate) fn split_r_hat(chains: &[Vec<f64>]) -> f64 {
    let halves = split_halves(chains);
    let length = halves.first().map_or(0, |half| half.len());
    if length < 2 {
        return f64::NAN;
    }
    let n = length as f64;
    let summaries: Vec<(f64, f64)> = halves.iter().map(|half| mean_and_variance(half)).collect();
    let means: Vec<f64> = summaries.iter().map(|(mean, _)| *mean).collect();
    let within = summaries.iter().map(|(_, variance)| variance).sum::<f64>() / summaries.len() as f64;
    let between = n * mean_and_variance(&means).1;
    let pooled = (n - 1.0) / n * within + between / n;
    if within == 0.0 {
        return if between == 0.0 { 1.0 } else { f64::INFINITY };
    }
    (pooled / within).sqrt()
}

/// Effective sample size over all chains (Bayesian Data Analysis, 3rd ed., section 11.5, as computed by Stan): on
/// the split chains, autocorrelations are combined across chains as rho_t = 1 - (W - mean autocovariance at lag t)
/// / var+, summed in pairs while the pairs stay positive (Geyer's initial positive sequence, made monotone), and the
/// total number of draws is divided by 1 + 2 sum rho_t. The number of draws when every draw is the same; NaN with
/// fewer than two draws per half.
pub(crate) fn effective_sample_size(chains: &[Vec<f64>]) -> f64 {
    let halves = split_halves(chains);
    let length = halves.first().map_or(0, |half| half.len());
    if length < 2 {
        return f64::NAN;
    }
    let n = length as f64;
    let total = n * halves.len() as f64;
    let summaries: Vec<(f64, f64)> = halves.iter().map(|half| mean_and_variance(half)).collect();
    let mean_variance = summaries.iter().map(|(_, variance)| variance).sum::<f64>() / summaries.len() as f64;
    let mut pooled = mean_variance * (n - 1.0) / n;
    if halves.len() > 1 {
        let means: Vec<f64> = summaries.iter().map(|(mean, _)| *mean).collect();
        pooled += mean_and_variance(&means).1;
    }
    if pooled <= 0.0 {
        return total;
    }
    // Autocorrelation at `lag`, combined across the halves, from autocovariances with divisor n.
    let combined = |lag: usize| {
        let mean_autocovariance = halves
            .iter()
            .zip(&summaries)
            .map(|(half, (mean, _))| {
                half[..length - lag].iter().zip(&half[lag..]).map(|(a, b)| (a - mean) * (b - mean)).sum::<f64>() / n
            })
            .sum::<f64>()
            / halves.len() as f64;
        1.0 - (mean_variance - mean_autocovariance) / pooled
    };
    let mut rho = vec![0.0; length + 1];
    rho[0] = 1.0;
    let mut even = 1.0;
    let mut odd = combined(1);
    rho[1] = odd;
    let mut lag = 1;
    while lag + 4 < length && even + odd > 0.0 {
        even = combined(lag + 1);
        odd = combined(lag + 2);
        if even + odd >= 0.0 {
            rho[lag + 1] = even;
            rho[lag + 2] = odd;
        }
        lag += 2;
    }
    let max_lag = lag;
    if even > 0.0 {
        rho[max_lag + 1] = even;
    }
    // Geyer's initial monotone sequence: each pair no larger than the one before.
    let mut pair = 1;
    while pair + 3 <= max_lag {
        if rho[pair + 1] + rho[pair + 2] > rho[pair - 1] + rho[pair] {
            rho[pair + 1] = (rho[pair - 1] + rho[pair]) / 2.0;
            rho[pair + 2] = rho[pair + 1];
        }
        pair += 2;
    }
    let tau = -1.0 + 2.0 * rho[..max_lag].iter().sum::<f64>() + rho[max_lag + 1];
    if tau <= 0.0 {
        return total * total.log10();
    }
    (total / tau).min(total * total.log10())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Simulates a population of `sizes[c]` people in class c, each on list j with chance `chances[c][j]`, and
    /// returns the counts of the observed patterns.
    fn simulate(sizes: &[usize], chances: &[Vec<f64>], seed: u64) -> Vec<f64> {
        let lists = chances[0].len();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut counts = vec![0.0; (1 << lists) - 1];
        for (size, class_chances) in sizes.iter().zip(chances) {
            for _ in 0..*size {
                let mut pattern = 0usize;
                for (list, chance) in class_chances.iter().enumerate() {
                    if rng.random::<f64>() < *chance {
                        pattern |= 1 << list;
                    }
                }
                if pattern > 0 {
                    counts[pattern - 1] += 1.0;
                }
            }
        }
        counts
    }

    /// The two-class population of the recovery test: 600 easy to see (0.5 per list), 1,400 hard (0.1), 5 lists.
    fn heterogeneous_table() -> Vec<f64> {
        simulate(&[600, 1400], &[vec![0.5; 5], vec![0.1; 5]], 20_260_101)
    }

    fn short_settings(seed: u64) -> LcmcrSettings {
        LcmcrSettings { burn_in: 200, samples: 50, thinning: 2, chains: 2, seed, ..LcmcrSettings::default() }
    }

    #[test]
    fn same_seed_same_draws_other_seed_other_draws() {
        let counts = heterogeneous_table();
        let first = lcmcr(&counts, 5, &short_settings(7)).unwrap();
        let again = lcmcr(&counts, 5, &short_settings(7)).unwrap();
        let other = lcmcr(&counts, 5, &short_settings(8)).unwrap();
        assert_eq!(first, again);
        assert_ne!(first.draws, other.draws);
        assert_eq!(first.draws.len(), 2);
        assert!(first.draws.iter().all(|chain| chain.len() == 50));
        assert_eq!(first.iterations, 2 * (200 + 50 * 2));
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let settings = LcmcrSettings::default();
        assert_eq!(lcmcr(&[5.0], 1, &settings), Err(LcmcrError::TooFewLists { lists: 1 }));
        assert_eq!(
            lcmcr(&[1.0, 2.0], 2, &settings),
            Err(LcmcrError::WrongCountLength { lists: 2, expected: 3, found: 2 })
        );
        assert!(matches!(
            lcmcr(&[1.0, -2.0, 3.0], 2, &settings),
            Err(LcmcrError::NegativeCount { index: 1, value: -2.0, .. })
        ));
        let fractional = lcmcr(&[1.0, 2.0, 3.5], 2, &settings).unwrap_err();
        assert!(matches!(fractional, LcmcrError::FractionalCount { index: 2, .. }));
        assert!(fractional.to_string().contains("pattern 11"), "{fractional}");
        assert!(matches!(lcmcr(&[1.0, f64::NAN, 3.0], 2, &settings), Err(LcmcrError::NonFiniteCount { .. })));
        assert_eq!(lcmcr(&[0.0, 0.0, 0.0], 2, &settings), Err(LcmcrError::NobodyObserved));
        let one_class = LcmcrSettings { classes: 1, ..LcmcrSettings::default() };
        let error = lcmcr(&[1.0, 2.0, 3.0], 2, &one_class).unwrap_err();
        assert!(matches!(error, LcmcrError::InvalidSetting { field: "classes", .. }));
        assert!(error.to_string().contains("settings.classes is 1"), "{error}");
        for bad in [
            LcmcrSettings { samples: 9, ..LcmcrSettings::default() },
            LcmcrSettings { chains: 0, ..LcmcrSettings::default() },
            LcmcrSettings { chains: 17, ..LcmcrSettings::default() },
            LcmcrSettings { thinning: 0, ..LcmcrSettings::default() },
            LcmcrSettings { classes: 51, ..LcmcrSettings::default() },
            LcmcrSettings { alpha_rate: 0.0, ..LcmcrSettings::default() },
            LcmcrSettings { samples: usize::MAX, ..LcmcrSettings::default() },
        ] {
            assert!(matches!(lcmcr(&[1.0, 2.0, 3.0], 2, &bad), Err(LcmcrError::InvalidSetting { .. })), "{bad:?}");
        }
    }

    #[test]
    fn gamma_draws_have_the_right_mean_and_variance() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for shape in [0.05, 0.3, 1.0, 4.5, 1000.0] {
            let draws: Vec<f64> = (0..200_000).map(|_| ln_gamma_draw(&mut rng, shape).exp()).collect();
            let (mean, variance) = mean_and_variance(&draws);
            assert!((mean / shape - 1.0).abs() < 0.03, "shape {shape}: mean {mean}");
            assert!((variance / shape - 1.0).abs() < 0.1, "shape {shape}: variance {variance}");
        }
    }

    #[test]
    fn missed_draws_follow_the_negative_binomial() {
        // Mean n p0 / (1 - p0), variance n p0 / (1 - p0)^2.
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        for (observed, missed_chance) in [(1000u64, 0.6f64), (50, 0.1), (3, 0.9)] {
            let draws: Vec<f64> =
                (0..200_000).map(|_| draw_missed(&mut rng, observed, missed_chance.ln()).0 as f64).collect();
            let (mean, variance) = mean_and_variance(&draws);
            let n = observed as f64;
            let expected_mean = n * missed_chance / (1.0 - missed_chance);
            let expected_variance = expected_mean / (1.0 - missed_chance);
            assert!((mean / expected_mean - 1.0).abs() < 0.02, "{observed}, {missed_chance}: mean {mean}");
            assert!((variance / expected_variance - 1.0).abs() < 0.05, "{observed}, {missed_chance}: {variance}");
        }
    }

    #[test]
    fn multinomial_draws_have_the_right_means() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let weights = [0.0, 3.0, 1.0, 0.0, 6.0, 0.0];
        let mut sums = [0.0; 6];
        let mut allocation = [0u64; 6];
        for count in [7u64, 500] {
            let mut totals = [0.0; 6];
            let rounds = 20_000;
            for _ in 0..rounds {
                draw_multinomial(&mut rng, count, &weights, &mut sums, &mut allocation);
                assert_eq!(allocation.iter().sum::<u64>(), count);
                for (total, people) in totals.iter_mut().zip(&allocation) {
                    *total += *people as f64;
                }
            }
            for (class, weight) in weights.iter().enumerate() {
                let expected = count as f64 * weight / 10.0;
                let mean = totals[class] / rounds as f64;
                if expected == 0.0 {
                    assert_eq!(mean, 0.0, "class {class}");
                } else {
                    assert!((mean / expected - 1.0).abs() < 0.02, "count {count}, class {class}: {mean}");
                }
            }
        }
    }

    #[test]
    fn recovers_a_heterogeneous_population_that_independence_underestimates() {
        let counts = heterogeneous_table();
        let observed: f64 = counts.iter().sum();
        // Lincoln-Petersen on lists 1 and 2 assumes everyone is equally easy to see: far below the true 2,000.
        let on_list = |list: usize| (1..=31usize).filter(|p| p >> list & 1 == 1).map(|p| counts[p - 1]).sum::<f64>();
        let on_both = (1..=31usize).filter(|p| p & 3 == 3).map(|p| counts[p - 1]).sum::<f64>();
        let lincoln_petersen = on_list(0) * on_list(1) / on_both;
        assert!(lincoln_petersen < 1500.0, "Lincoln-Petersen {lincoln_petersen}");

        let settings = LcmcrSettings { burn_in: 5_000, samples: 1_500, thinning: 10, seed: 11, ..Default::default() };
        let result = lcmcr(&counts, 5, &settings).unwrap();
        eprintln!(
            "observed {observed}, Lincoln-Petersen {lincoln_petersen:.0}, LCMCR {:.0} ({:.0}-{:.0}), R-hat {:.3}, \
             ESS {:.0}, warnings {:?}",
            result.estimate, result.low, result.high, result.r_hat, result.ess, result.warnings
        );
        assert_eq!(result.observed, observed);
        assert!(result.low <= 2000.0 && 2000.0 <= result.high, "{} to {}", result.low, result.high);
        assert!(result.r_hat < 1.1, "R-hat {}", result.r_hat);
    }

    #[test]
    fn kosovo_estimate_is_near_the_published_one() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/mse/kosovo_4list.csv");
        let table = crate::mse::CaptureTable::read(&std::fs::read_to_string(path).unwrap(), &[]).unwrap();
        let (counts, lists) = (table.counts(&[]), table.lists.len());
        assert_eq!(lists, 4);
        let result = lcmcr(&counts, lists, &LcmcrSettings { seed: 1999, ..Default::default() }).unwrap();
        eprintln!(
            "Kosovo: observed {}, estimate {:.0} ({:.0}-{:.0}), R-hat {:.3}, ESS {:.0}, warnings {:?}",
            result.observed, result.estimate, result.low, result.high, result.r_hat, result.ess, result.warnings
        );
        assert_eq!(result.observed, 4400.0);
        assert!((8_000.0..=14_000.0).contains(&result.estimate), "estimate {}", result.estimate);
        assert!(result.low < result.estimate && result.estimate < result.high);
    }

    #[test]
    fn too_short_a_run_is_warned_about() {
        let counts = heterogeneous_table();
        let settings = LcmcrSettings { burn_in: 0, samples: 10, thinning: 1, chains: 1, ..Default::default() };
        let result = lcmcr(&counts, 5, &settings).unwrap();
        assert!(result.ess <= 10.0, "ESS {}", result.ess);
        assert!(
            result.warnings.iter().any(|warning| warning.starts_with("effective sample size")),
            "{:?}",
            result.warnings
        );
    }

    #[test]
    fn warnings_name_each_problem() {
        assert!(warnings_for(1000.0, 3000.0, 1.01, 2000.0, 0).is_empty());
        let all = warnings_for(1000.0, 200_000.0, 1.12, 212.0, 1);
        assert_eq!(all.len(), 4, "{all:?}");
        assert_eq!(all[0], "the chains disagree (R-hat 1.12 > 1.05): run longer");
        assert_eq!(all[1], "effective sample size 212 < 400: the interval's ends are imprecise");
        assert!(all[2].starts_with("the data say little about the people missed"), "{}", all[2]);
        assert!(all[3].contains("ceiling"), "{}", all[3]);
        assert_eq!(warnings_for(1000.0, 3000.0, f64::NAN, 2000.0, 0).len(), 1);
    }

    fn normal_chains(chains: usize, length: usize, means: &[f64], seed: u64) -> Vec<Vec<f64>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..chains)
            .map(|chain| (0..length).map(|_| means[chain] + rng.sample::<f64, _>(StandardNormal)).collect())
            .collect()
    }

    #[test]
    fn diagnostics_on_independent_draws() {
        let chains = normal_chains(4, 1000, &[0.0; 4], 12);
        let r_hat = split_r_hat(&chains);
        let ess = effective_sample_size(&chains);
        assert!((r_hat - 1.0).abs() < 0.01, "R-hat {r_hat}");
        assert!((ess / 4000.0 - 1.0).abs() < 0.15, "ESS {ess}");
    }

    #[test]
    fn diagnostics_on_chains_that_disagree() {
        let chains = normal_chains(4, 1000, &[0.0, 0.0, 0.0, 3.0], 13);
        let r_hat = split_r_hat(&chains);
        assert!(r_hat > 1.3, "R-hat {r_hat}");
        // A chain that drifts disagrees with itself.
        let drifting = vec![(0..1000).map(|i| i as f64 / 100.0).collect::<Vec<f64>>()];
        assert!(split_r_hat(&drifting) > 1.5);
        assert_eq!(split_r_hat(&[vec![2.0; 20]]), 1.0);
    }

    #[test]
    fn effective_sample_size_of_an_autoregressive_chain() {
        let rho: f64 = 0.9;
        let mut rng = ChaCha8Rng::seed_from_u64(14);
        let chains: Vec<Vec<f64>> = (0..4)
            .map(|_| {
                let mut value: f64 = rng.sample(StandardNormal);
                (0..10_000)
                    .map(|_| {
                        value = rho * value + (1.0 - rho * rho).sqrt() * rng.sample::<f64, _>(StandardNormal);
                        value
                    })
                    .collect()
            })
            .collect();
        let expected = 40_000.0 * (1.0 - rho) / (1.0 + rho);
        let ess = effective_sample_size(&chains);
        assert!((ess / expected - 1.0).abs() < 0.3, "ESS {ess}, expected {expected}");
        assert!(split_r_hat(&chains) < 1.05);
    }
}
