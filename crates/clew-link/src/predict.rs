//! Scoring pairs: the match weight (log2 odds) of each candidate pair, whether evidence other than the name
//! agrees, and on request the explanation, comparison by comparison.

use serde::Serialize;

use crate::compare::{Cache, EXACT, Field};
use crate::config::Kind;
use crate::model::Weights;

/// A scored pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// The lower record.
    pub a: u32,
    /// The higher record.
    pub b: u32,
    /// The match weight: log2 of the odds that the two are the same.
    pub weight: f32,
    /// Whether a comparison independent of the name agrees (positive weight).
    pub independent: bool,
    /// Whether the names differ outright: the config's one person-name comparison at its "different" level.
    pub names_differ: bool,
}

impl Scored {
    /// Whether the pair may be linked: evidence beyond the name agrees (when that is required:
    /// docs/korean-names.md §7, rule 8), and the names do not differ outright, the converse (two people with different names are not merged
    /// on a shared birth date and worksite; a reviewer's judgement can still join them).
    pub fn linkable(&self, require_independent: bool) -> bool {
        (self.independent || !require_independent) && !self.names_differ
    }

    /// Whether the pair is a link: its weight reaches the threshold and it may be linked ([`Scored::linkable`]).
    pub fn is_link(&self, threshold: f64, require_independent: bool) -> bool {
        f64::from(self.weight) >= threshold && self.linkable(require_independent)
    }
}

/// The least weight (in bits: the odds at least doubled) an agreement needs to count as evidence beyond the
/// name. Agreeing on what nearly everyone shares (a nationality in a project about one country) is not.
pub const MIN_EVIDENCE: f64 = 1.0;

/// The probability of a match weight.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// One comparison's part in a pair's weight.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// The comparison.
    pub comparison: String,
    /// The first record's value (empty when missing).
    pub left: String,
    /// The second record's.
    pub right: String,
    /// The level it fell in.
    pub level: String,
    /// Its weight (log2 Bayes factor), with the term-frequency adjustment.
    pub weight: f64,
    /// The term-frequency adjustment alone, when one was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency_adjustment: Option<f64>,
}

/// A pair's weight, explained.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The prior's weight.
    pub prior: f64,
    /// Each comparison's.
    pub parts: Vec<Part>,
    /// The sum.
    pub weight: f64,
    /// As a probability.
    pub probability: f64,
    /// Whether evidence other than the name agrees.
    pub independent: bool,
    /// Whether the names differ outright.
    pub names_differ: bool,
}

/// The weight of one comparison at a level, with its term-frequency adjustment.
fn part_weight(field: &Field, weights: &Weights, c: usize, level: u8, (a, b): (u32, u32)) -> (f64, Option<f64>) {
    let base = weights.levels[c][level as usize];
    if level == EXACT && field.comparison.tf {
        // Two spellings of one value (a date as 20200101 and 2020-01-01) are exact too: the commoner counts,
        // so that the weight is the same both ways round.
        let frequency = |r: u32| field.frequency[field.cells[r as usize] as usize];
        let frequency = frequency(a).max(frequency(b)).max(1e-9);
        let u_exact = (weights.exact_m[c] / base.exp2()).max(1e-12);
        let adjustment = (u_exact / frequency).log2();
        return (base + adjustment, Some(adjustment));
    }
    (base, None)
}

/// The person-name comparisons of a pair, and how many of them are at their "different" level.
struct NameVerdicts {
    names: usize,
    different: usize,
}

impl NameVerdicts {
    fn new() -> NameVerdicts {
        NameVerdicts { names: 0, different: 0 }
    }

    fn note(&mut self, field: &Field, level: u8) {
        // Only a person's whole name read in any script and order: an organisation's names in two scripts, or
        // renamed, fall at "different" without being two organisations.
        if field.comparison.kind == Kind::PersonName && !field.comparison.independent {
            self.names += 1;
            self.different += usize::from(level == field.comparison.levels() as u8);
        }
    }

    /// Only a config whose whole name is one comparison can say so: a person-name comparison reads a name in
    /// any order and script, while a name split over given-name and surname columns may be swapped between
    /// them, and then every part differs for one and the same person.
    fn differ(&self) -> bool {
        self.names == 1 && self.different == 1
    }
}

/// The weight of a pair, whether independent evidence agrees, and whether the names differ outright.
pub fn weigh(fields: &[Field], weights: &Weights, a: u32, b: u32, caches: &mut [Cache]) -> (f64, bool, bool) {
    let mut total = weights.prior;
    let mut independent = false;
    let mut names = NameVerdicts::new();
    for (c, (field, cache)) in fields.iter().zip(caches.iter_mut()).enumerate() {
        let level = field.level(a, b, cache);
        let (weight, _) = part_weight(field, weights, c, level, (a, b));
        total += weight;
        independent |= field.comparison.independent && weight >= MIN_EVIDENCE;
        names.note(field, level);
    }
    (total, independent, names.differ())
}

/// Scores pairs on all cores, each thread writing its share of the result in place.
pub fn score(fields: &[Field], weights: &Weights, pairs: &[(u32, u32)]) -> Vec<Scored> {
    let mut scored = vec![Scored { a: 0, b: 0, weight: 0.0, independent: false, names_differ: false }; pairs.len()];
    let threads = crate::model::threads().min(pairs.len().max(1));
    let size = pairs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for (out, pairs) in scored.chunks_mut(size).zip(pairs.chunks(size)) {
            scope.spawn(move || {
                let mut caches: Vec<Cache> = fields.iter().map(|_| Cache::default()).collect();
                for (slot, (a, b)) in out.iter_mut().zip(pairs) {
                    let (weight, independent, names_differ) = weigh(fields, weights, *a, *b, &mut caches);
                    *slot = Scored { a: *a, b: *b, weight: weight as f32, independent, names_differ };
                }
            });
        }
    });
    scored
}

/// Explains a pair's weight.
pub fn explain(fields: &[Field], weights: &Weights, a: u32, b: u32) -> Explanation {
    let mut parts = Vec::new();
    let mut total = weights.prior;
    let mut independent = false;
    let mut names = NameVerdicts::new();
    for (c, field) in fields.iter().enumerate() {
        let level = field.level(a, b, &mut Cache::default());
        let (weight, frequency_adjustment) = part_weight(field, weights, c, level, (a, b));
        total += weight;
        independent |= field.comparison.independent && weight >= MIN_EVIDENCE;
        names.note(field, level);
        let value = |r: u32| field.values[field.cells[r as usize] as usize].clone();
        parts.push(Part {
            comparison: field.comparison.name.clone(),
            left: value(a),
            right: value(b),
            level: field.comparison.labels[level as usize].clone(),
            weight,
            frequency_adjustment,
        });
    }
    Explanation {
        prior: weights.prior,
        parts,
        weight: total,
        probability: probability(total),
        independent,
        names_differ: names.differ(),
    }
}

/// The threshold chosen without the truth: the weight that maximises the F1 the model itself expects, taking
/// each pair's probability as its chance of being a true match. Only pairs that may be linked count
/// ([`Scored::linkable`]).
pub fn expected_best_threshold(scored: &[Scored], require_independent: bool) -> f64 {
    let mut eligible: Vec<f64> =
        scored.iter().filter(|s| s.linkable(require_independent)).map(|s| f64::from(s.weight)).collect();
    if eligible.is_empty() {
        return 0.0;
    }
    eligible.sort_unstable_by(|x, y| y.total_cmp(x));
    let expected_matches: f64 = eligible.iter().map(|w| probability(*w)).sum();
    let (mut true_positives, mut chosen, mut best) = (0.0, eligible[0], f64::MIN);
    for (i, weight) in eligible.iter().enumerate() {
        true_positives += probability(*weight);
        let predicted = (i + 1) as f64;
        let f1 = 2.0 * true_positives / (predicted + expected_matches);
        // Only cut between distinct weights.
        if f1 > best && eligible.get(i + 1).is_none_or(|next| next < weight) {
            best = f1;
            chosen = *weight;
        }
    }
    chosen
}
