//! The Fellegi–Sunter model: the prior odds that two records match and, per comparison level, m (how often a
//! true match falls in it) and u (how often a non-match does). Trained without labels (the prior from rules that
//! are nearly certain, u from random pairs, m by EM over blocking rules, as Splink and fastLink do) and refined
//! by reviewers' labels. Kept as a versioned TOML file.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::blocking::{Mode, candidates, for_each_candidate};
use crate::compare::{Cache, Field, MISSING};
use crate::linkage::Linkage;
use crate::records::Records;
use crate::{Error, LINK_VERSION};

/// A trained model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// `clew-link-v1`.
    pub version: String,
    /// The probability that two records drawn at random are the same (λ).
    pub prior: f64,
    /// How it was trained, in words.
    pub trained: Vec<String>,
    /// Per comparison, in the config's order.
    #[serde(rename = "comparison")]
    pub comparisons: Vec<ComparisonModel>,
}

/// The parameters of one comparison.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ComparisonModel {
    /// The comparison's name.
    pub name: String,
    /// Its levels, best first ("missing" is not among them: it counts neither way).
    pub levels: Vec<LevelModel>,
}

/// One level's m and u.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LevelModel {
    /// What the level means.
    pub label: String,
    /// P(level | same).
    pub m: f64,
    /// P(level | different).
    pub u: f64,
}

/// A reviewer's judgement on a pair, for training.
#[derive(Debug, Clone, Copy)]
pub struct Label {
    /// One record.
    pub a: u32,
    /// The other.
    pub b: u32,
    /// Same (true) or different (false).
    pub same: bool,
}

/// The random pairs for u are taken in this many chunks...
const U_CHUNKS: usize = 10;
/// ...until each level has been seen this many times.
const U_MIN_COUNT: f64 = 100.0;

/// How strongly the unlabelled estimate of m counts against labels: as this many labelled matches.
const EM_PSEUDO_PAIRS: f64 = 20.0;

impl Model {
    /// Reads a model file.
    pub fn read(origin: &str, text: &str) -> Result<Model, Error> {
        let model: Model = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            Error::at(origin, line, e.message().to_string())
        })?;
        if model.version != LINK_VERSION {
            return Err(Error::at(origin, None, format!("version `{}` is not {LINK_VERSION}", model.version)));
        }
        Ok(model)
    }

    /// The model as TOML text.
    pub fn to_toml(&self) -> String {
        let mut text = String::from("# clew linkage model: trained parameters (m, u per comparison level).\n");
        text.push_str(&toml::to_string(self).unwrap_or_default());
        text
    }

    /// Checks that the model has the config's comparisons and levels.
    pub fn check(&self, fields: &[Field]) -> Result<(), Error> {
        if self.comparisons.len() != fields.len() {
            return Err(Error::Model(format!(
                "it has {} comparisons, the config {}",
                self.comparisons.len(),
                fields.len()
            )));
        }
        for (model, field) in self.comparisons.iter().zip(fields) {
            let labels: Vec<&str> = model.levels.iter().map(|l| l.label.as_str()).collect();
            let wanted: Vec<&str> = field.comparison.labels[1..].iter().map(String::as_str).collect();
            if model.name != field.comparison.name || labels != wanted {
                return Err(Error::Model(format!(
                    "comparison `{}` has levels {labels:?}; the config's `{}` has {wanted:?}",
                    model.name, field.comparison.name
                )));
            }
        }
        for (model, level) in self.comparisons.iter().flat_map(|c| c.levels.iter().map(move |l| (c, l))) {
            let valid = |p: f64| p.is_finite() && p > 0.0 && p <= 1.0;
            if !valid(level.m) || !valid(level.u) {
                return Err(Error::Model(format!(
                    "comparison `{}`, level `{}`: m and u must be probabilities above 0 (m {}, u {})",
                    model.name, level.label, level.m, level.u
                )));
            }
        }
        if !(self.prior > 0.0 && self.prior < 1.0) {
            return Err(Error::Model(format!("prior {} is not a probability strictly between 0 and 1", self.prior)));
        }
        Ok(())
    }
}

/// The comparison levels of many pairs, computed on all cores; `levels[i * fields + c]`.
pub fn levels_of(fields: &[Field], pairs: &[(u32, u32)]) -> Vec<u8> {
    levels_with(fields, pairs, Cache::default)
}

/// [`levels_of`] with caches made by `cache`.
fn levels_with(fields: &[Field], pairs: &[(u32, u32)], cache: impl Fn() -> Cache + Sync) -> Vec<u8> {
    let chunks = in_parallel(pairs.len(), |_, range| {
        let mut caches: Vec<Cache> = fields.iter().map(|_| cache()).collect();
        let mut out = Vec::with_capacity(range.len() * fields.len());
        for (a, b) in &pairs[range] {
            for (field, cache) in fields.iter().zip(&mut caches) {
                out.push(field.level(*a, *b, cache));
            }
        }
        out
    });
    chunks.concat()
}

/// How many pairs fall in each pattern of levels (one level per comparison), computed on all cores.
pub fn pattern_counts(fields: &[Field], pairs: &[(u32, u32)]) -> FxHashMap<Vec<u8>, f64> {
    let parts = in_parallel(pairs.len(), |_, range| {
        let mut cache: Vec<Cache> = fields.iter().map(|_| Cache::default()).collect();
        let mut counts: FxHashMap<Vec<u8>, f64> = FxHashMap::default();
        let mut pattern = vec![0u8; fields.len()];
        for (a, b) in &pairs[range] {
            for ((level, field), cache) in pattern.iter_mut().zip(fields).zip(&mut cache) {
                *level = field.level(*a, *b, cache);
            }
            match counts.get_mut(&pattern) {
                Some(count) => *count += 1.0,
                None => {
                    counts.insert(pattern.clone(), 1.0);
                }
            }
        }
        counts
    });
    let mut total: FxHashMap<Vec<u8>, f64> = FxHashMap::default();
    for part in parts {
        for (pattern, count) in part {
            *total.entry(pattern).or_insert(0.0) += count;
        }
    }
    total
}

/// The threads work is split over: one per core.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |t| t.get())
}

/// Runs `work(thread, range)` over `0..n` split into one range per core, and returns the results in order.
pub fn in_parallel<R: Send>(n: usize, work: impl Fn(usize, std::ops::Range<usize>) -> R + Sync) -> Vec<R> {
    let threads = threads().min(n.max(1));
    if threads <= 1 {
        return vec![work(0, 0..n)];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let work = &work;
                scope.spawn(move || work(t, t * n / threads..(t + 1) * n / threads))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// All pairs the records allow.
pub fn total_pairs(records: &Records, mode: Mode) -> f64 {
    let n = records.len() as f64;
    match mode {
        Mode::Dedupe => n * (n - 1.0) / 2.0,
        Mode::Link => {
            let sizes = records.source_sizes();
            let all: f64 = sizes.iter().map(|s| *s as f64).sum();
            (all * all - sizes.iter().map(|s| (*s as f64).powi(2)).sum::<f64>()) / 2.0
        }
    }
}

/// Trains a model without labels, then refines m with the labels given.
pub fn train(linkage: &Linkage, labels: &[Label]) -> Result<Model, Error> {
    let (checked, fields, records, mode) = (&linkage.checked, &linkage.fields, &linkage.records, linkage.mode);
    let spec = &checked.config.training;
    let total = total_pairs(records, mode);
    if total < 1.0 {
        return Err(Error::Training(format!("{} records make no pair to compare", records.len())));
    }
    let mut trained = Vec::new();

    // u: random pairs.
    let wanted = (spec.u_pairs as f64).min(total) as usize;
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let n = records.len() as u32;
    let mut random = Vec::with_capacity(wanted);
    let mut attempts = 0usize;
    while random.len() < wanted && attempts < wanted * 50 {
        attempts += 1;
        let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
        if a != b && (mode == Mode::Dedupe || records.source(a) != records.source(b)) {
            random.push((a.min(b), a.max(b)));
        }
    }
    // Each comparison takes the pairs in chunks, and stops once every level has been seen often enough (as Splink
    // 5 does): common levels need few pairs, and names, the costly comparisons, rarely need them all.
    let chunk = (random.len() / U_CHUNKS).max(1);
    let mut u: Vec<Vec<f64>> = Vec::new();
    let mut used = Vec::new();
    for (c, field) in fields.iter().enumerate() {
        let mut counts = vec![0f64; field.comparison.levels() + 1];
        let mut taken = 0;
        for pairs in random.chunks(chunk) {
            // Random pairs of values seldom come twice: remembering their scores costs more than it saves.
            let levels = levels_with(&fields[c..=c], pairs, Cache::forgetful);
            for level in levels {
                counts[level as usize] += 1.0;
            }
            taken += pairs.len();
            if counts[1..].iter().all(|n| *n >= U_MIN_COUNT) {
                break;
            }
        }
        used.push(format!("{} {taken}", field.comparison.name));
        u.push(shares(&counts, 0.5));
    }
    trained.push(format!(
        "u from up to {} random pairs (seed {}), each comparison stopping once it has seen each level {U_MIN_COUNT} times: {}",
        random.len(),
        spec.seed,
        used.join(", ")
    ));

    // The prior: pairs of nearly certain rules, over the share of all matches they are believed to find.
    let mut certain: f64 = 0.0;
    for_each_candidate(&linkage.prior, records, mode, |_, _| certain += 1.0);
    // With no certain pair (a small project), at least one pair in all is taken to match.
    let prior = (certain.max(1.0) / spec.prior_recall / total).clamp(1e-12, 0.5);
    trained.push(format!(
        "prior {prior:.3e} from {certain} pairs of the prior rules at an assumed recall of {}",
        spec.prior_recall
    ));

    // m: EM on each training rule, for the comparisons it does not block on; then averaged.
    let mut m_sums: Vec<Vec<f64>> = fields.iter().map(|f| vec![0.0; f.comparison.levels() + 1]).collect();
    let mut m_counts = vec![0usize; fields.len()];
    for blocker in &linkage.em {
        let rule = &blocker.rule;
        let mut pairs = candidates(std::slice::from_ref(blocker), records, mode);
        let made = pairs.len();
        if made as u64 > spec.em_max_pairs {
            // A seeded random sample: each pair kept with the same chance, decided by a hash of the pair.
            let keep = (spec.em_max_pairs as f64 / made as f64 * u64::MAX as f64) as u64;
            pairs.retain(|(a, b)| mix(spec.seed ^ (u64::from(*a) << 32 | u64::from(*b))) < keep);
        }
        if pairs.is_empty() {
            trained.push(format!("EM on `{}`: no pairs; skipped", rule.text));
            continue;
        }
        let rule_columns = rule.columns();
        let active: Vec<bool> = checked
            .config
            .comparisons
            .iter()
            .map(|c| !c.columns.iter().any(|col| rule_columns.contains(&col.as_str())))
            .collect();
        let patterns = pattern_counts(fields, &pairs);
        let (m, lambda, iterations) =
            expectation_maximisation(fields, &u, &active, &patterns, spec.em_max_iterations, spec.em_convergence);
        for (c, is_active) in active.iter().enumerate() {
            if *is_active {
                for (sum, value) in m_sums[c].iter_mut().zip(&m[c]) {
                    *sum += value;
                }
                m_counts[c] += 1;
            }
        }
        let names: Vec<&str> =
            fields.iter().zip(&active).filter(|(_, a)| **a).map(|(f, _)| f.comparison.name.as_str()).collect();
        trained.push(format!(
            "EM on `{}`: {} pairs{}, {} patterns, {iterations} iterations, match share {lambda:.4}; estimated {}",
            rule.text,
            made,
            if pairs.len() < made { format!(" ({} sampled)", pairs.len()) } else { String::new() },
            patterns.len(),
            names.join(", ")
        ));
    }
    let unestimated: Vec<&str> =
        fields.iter().zip(&m_counts).filter(|(_, n)| **n == 0).map(|(f, _)| f.comparison.name.as_str()).collect();
    if !unestimated.is_empty() {
        return Err(Error::Training(format!(
            "no training rule estimates m for {}: add an em_rule that does not block on {}",
            unestimated.join(", "),
            if unestimated.len() == 1 { "its columns" } else { "their columns" }
        )));
    }
    let mut m: Vec<Vec<f64>> =
        m_sums.iter().zip(&m_counts).map(|(s, n)| s.iter().map(|v| v / *n as f64).collect()).collect();

    // Labels: matches judged the same move m, the unlabelled estimate counting as EM_PSEUDO_PAIRS pairs.
    let same: Vec<(u32, u32)> = labels.iter().filter(|l| l.same).map(|l| (l.a, l.b)).collect();
    if !same.is_empty() {
        let levels = levels_of(fields, &same);
        for (c, m_c) in m.iter_mut().enumerate() {
            let mut counts: Vec<f64> = m_c.iter().map(|p| p * EM_PSEUDO_PAIRS).collect();
            for i in 0..same.len() {
                let level = levels[i * fields.len() + c] as usize;
                if level != MISSING as usize {
                    counts[level] += 1.0;
                }
            }
            *m_c = shares(&counts, 0.0);
        }
        trained.push(format!("m refined by {} pairs judged the same", same.len()));
    }

    Ok(Model {
        version: LINK_VERSION.to_string(),
        prior,
        trained,
        comparisons: fields
            .iter()
            .enumerate()
            .map(|(c, field)| ComparisonModel {
                name: field.comparison.name.clone(),
                levels: (1..=field.comparison.levels())
                    .map(|l| LevelModel { label: field.comparison.labels[l].clone(), m: m[c][l], u: u[c][l] })
                    .collect(),
            })
            .collect(),
    })
}

/// SplitMix64's finaliser: a well-mixed hash of a number.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Shares of the non-missing levels (index 0 stays 0), each at least a small floor so no weight is infinite.
fn shares(counts: &[f64], pseudo: f64) -> Vec<f64> {
    let total: f64 = counts[1..].iter().map(|c| c + pseudo).sum();
    let floor = 1e-6;
    let mut out = vec![0.0; counts.len()];
    for l in 1..counts.len() {
        out[l] = if total > 0.0 { ((counts[l] + pseudo) / total).max(floor) } else { 1.0 / (counts.len() - 1) as f64 };
    }
    out
}

/// EM over the patterns of one training rule, u fixed. Returns m per comparison (inactive ones untouched and not
/// used), the match share in the rule's pairs, and the iterations run.
fn expectation_maximisation(
    fields: &[Field],
    u: &[Vec<f64>],
    active: &[bool],
    patterns: &FxHashMap<Vec<u8>, f64>,
    max_iterations: u32,
    convergence: f64,
) -> (Vec<Vec<f64>>, f64, u32) {
    let mut m: Vec<Vec<f64>> = fields
        .iter()
        .map(|f| {
            let levels = f.comparison.levels();
            let mut start = vec![0.0; levels + 1];
            start[1] = 0.8;
            start[levels] += 0.05;
            for value in start.iter_mut().take(levels).skip(2) {
                *value = 0.15 / (levels - 2) as f64;
            }
            if levels == 2 {
                start[1] = 0.95;
            }
            start
        })
        .collect();
    let mut lambda: f64 = 0.1;
    let patterns: Vec<(&[u8], f64)> = patterns.iter().map(|(p, c)| (p.as_slice(), *c)).collect();
    let total: f64 = patterns.iter().map(|(_, c)| c).sum();
    let mut iterations = 0;
    for _ in 0..max_iterations {
        iterations += 1;
        let mut sums: Vec<Vec<f64>> = m.iter().map(|v| vec![0.0; v.len()]).collect();
        let mut matched = 0.0;
        for (pattern, count) in &patterns {
            let (mut log_m, mut log_u) = (lambda.ln(), (1.0 - lambda).ln());
            for (c, level) in pattern.iter().enumerate() {
                if active[c] && *level != MISSING {
                    log_m += m[c][*level as usize].ln();
                    log_u += u[c][*level as usize].ln();
                }
            }
            let p = 1.0 / (1.0 + (log_u - log_m).exp());
            matched += p * count;
            for (c, level) in pattern.iter().enumerate() {
                if active[c] {
                    sums[c][*level as usize] += p * count;
                }
            }
        }
        let mut moved: f64 = 0.0;
        for c in 0..m.len() {
            if !active[c] {
                continue;
            }
            let next = shares(&sums[c], 0.0);
            for l in 1..next.len() {
                moved = moved.max((next[l] - m[c][l]).abs());
            }
            m[c] = next;
        }
        let next_lambda = (matched / total).clamp(1e-9, 1.0 - 1e-9);
        moved = moved.max((next_lambda - lambda).abs());
        lambda = next_lambda;
        if moved < convergence {
            break;
        }
    }
    (m, lambda, iterations)
}

/// The model as weights: log2 Bayes factors per comparison and level.
#[derive(Debug, Clone)]
pub struct Weights {
    /// log2 of the prior odds.
    pub prior: f64,
    /// log2(m/u) per comparison and level (0 for "missing").
    pub levels: Vec<Vec<f64>>,
    /// m of the exact level, for term-frequency adjustment.
    pub exact_m: Vec<f64>,
}

impl Weights {
    /// The weights of a model (checked against the fields).
    pub fn new(model: &Model) -> Weights {
        Weights {
            prior: (model.prior / (1.0 - model.prior)).log2(),
            levels: model
                .comparisons
                .iter()
                .map(|c| {
                    let mut levels: Vec<f64> =
                        std::iter::once(0.0).chain(c.levels.iter().map(|l| (l.m / l.u).log2())).collect();
                    // Levels run from most to least alike, so a level never counts less than the ones after
                    // it: with few pairs (a small project) an estimate can say otherwise (an exact name seen in
                    // no training pair), and the order of the levels is surer than that estimate.
                    for l in (1..levels.len() - 1).rev() {
                        levels[l] = levels[l].max(levels[l + 1]);
                    }
                    levels
                })
                .collect(),
            exact_m: model.comparisons.iter().map(|c| c.levels.first().map_or(1.0, |l| l.m)).collect(),
        }
    }
}
