//! Hierarchical Poisson log-linear models of a capture-history table, fitted by iteratively reweighted least
//! squares, with the checks that say when a model gives no number: identifiability (the rank of the design)
//! and existence of the maximum-likelihood estimate (Fienberg & Rinaldo's linear program). Also the
//! profile-likelihood interval of the population and Wald tests of single terms.

use serde::Serialize;

use super::linear::{cholesky, cholesky_solve, echelon, simplex_max};
use super::special::{ln_factorial, ln_gamma, normal_cdf, normal_quantile};

/// Two lists, by index, lower first.
pub type Pair = (usize, usize);

/// A hierarchical log-linear model: the intercept, every list's main effect, and interaction terms. A term is
/// a set of two or more lists (bit i: list i); people on all of a term's lists share its effect.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Model {
    /// The interaction terms, two-list terms first, each a set of lists as bits.
    pub terms: Vec<u32>,
}

impl Model {
    /// Main effects only: lists independent.
    pub fn main_effects() -> Model {
        Model { terms: Vec::new() }
    }

    /// A model with the two-list interactions given.
    pub fn with_pairs(pairs: &[Pair]) -> Model {
        let mut model = Model::main_effects();
        for (a, b) in pairs {
            model = model.with((1 << a) | (1 << b));
        }
        model
    }

    /// This model with one more term (kept in order: by size, then by lists).
    pub fn with(&self, term: u32) -> Model {
        let mut terms = self.terms.clone();
        if !terms.contains(&term) {
            terms.push(term);
        }
        terms.sort_unstable_by_key(|t| (t.count_ones(), std::cmp::Reverse(t.reverse_bits())));
        Model { terms }
    }

    /// Whether every interaction's smaller interactions are in the model too (A×B×C needs A×B, A×C, B×C).
    pub fn is_hierarchical(&self) -> bool {
        self.terms.iter().all(|term| {
            (0..32).filter(|i| term >> i & 1 == 1).all(|i| {
                let smaller = term & !(1 << i);
                smaller.count_ones() < 2 || self.terms.contains(&smaller)
            })
        })
    }

    /// The model written with the lists' names: `[A×E, D×E]`, or `[main effects]`.
    pub fn describe(&self, lists: &[String]) -> String {
        if self.terms.is_empty() {
            return "[main effects]".into();
        }
        let terms: Vec<String> = self.terms.iter().map(|t| term_name(*t, lists)).collect();
        format!("[{}]", terms.join(", "))
    }
}

/// A term's name: its lists joined by ×.
pub fn term_name(term: u32, lists: &[String]) -> String {
    let names: Vec<&str> =
        lists.iter().enumerate().filter(|(i, _)| term >> i & 1 == 1).map(|(_, l)| l.as_str()).collect();
    names.join("×")
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// The model.
    pub model: Model,
    /// People seen on some list.
    pub observed: f64,
    /// People on no list, as the model extrapolates.
    pub missed: f64,
    /// The population estimate: observed + missed.
    pub estimate: f64,
    /// The Poisson log-likelihood.
    pub log_likelihood: f64,
    /// Parameters in the model (intercept, main effects, interactions), counting those whose estimate is minus
    /// infinity, as SparseMSE counts them for AIC.
    pub parameters: usize,
    /// Akaike's criterion.
    pub aic: f64,
    /// The Bayesian criterion, with the penalty log(observed) per parameter (as Rcapture and
    /// MultipleSystemsEstimation count it).
    pub bic: f64,
    /// The fitted count of every observable pattern (index p - 1 for pattern p).
    #[serde(skip)]
    pub fitted: Vec<f64>,
    /// Interactions of lists no one is on together: their (extended) estimate is minus infinity, and the
    /// patterns with all their lists are fitted as zero (Chan, Silverman & Vincent 2021).
    pub infinite_terms: Vec<u32>,
    /// Further patterns with no one that the extended maximum-likelihood estimate fits as zero (found by the
    /// existence check), the number missed still being determined.
    pub zero_patterns: Vec<u32>,
    /// The coefficients by term (0: the intercept, one bit: a main effect).
    #[serde(skip)]
    pub coefficients: Vec<(u32, f64)>,
    /// IRLS iterations.
    pub iterations: u32,
}

/// Why a model gives no estimate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    /// The design is not of full rank on the patterns that remain: the model is not identifiable.
    #[error("the model {0} is not identifiable from this table (its parameters cannot all be told apart)")]
    NotIdentifiable(String),
    /// Too many lists to fit every model.
    #[error("{0} lists make too many models ({1}) to fit them all: use a stepwise method")]
    TooManyModels(usize, String),
    /// The table is too sparse for the existence check to finish (the number of distinct ways its empty
    /// patterns can move).
    #[error("the model {0} cannot be checked for existence: {1} distinct ways its empty patterns can move is too many")]
    TooSparse(String, usize),
    /// The maximum-likelihood estimate does not exist, even in the extended sense, for the number missed.
    #[error(
        "the maximum-likelihood estimate of the model {0} does not exist (the linear-programming check: patterns no one is on push a parameter to infinity and leave the number missed undetermined)"
    )]
    NoEstimate(String),
}

/// A design: the patterns fitted, their counts, and the model's columns (each a term; 0 is the intercept).
struct Design {
    cells: Vec<u32>,
    y: Vec<f64>,
    columns: Vec<u32>,
    /// Per row, the columns that are 1 (every design entry is 0 or 1), flattened.
    nonzero: Vec<u8>,
    offsets: Vec<usize>,
    /// Per row, the places (i·c + j, i ≤ j) of X'WX its weight adds to, flattened.
    products: Vec<u16>,
    product_offsets: Vec<usize>,
}

impl Design {
    fn new(cells: Vec<u32>, y: Vec<f64>, columns: Vec<u32>) -> Design {
        let c = columns.len();
        let mut nonzero = Vec::with_capacity(cells.len() * 4);
        let mut offsets = Vec::with_capacity(cells.len() + 1);
        let mut products = Vec::with_capacity(cells.len() * 10);
        let mut product_offsets = Vec::with_capacity(cells.len() + 1);
        offsets.push(0);
        product_offsets.push(0);
        for cell in &cells {
            let start = nonzero.len();
            for (k, column) in columns.iter().enumerate() {
                if cell & column == *column {
                    nonzero.push(k as u8);
                }
            }
            for (a, i) in nonzero[start..].iter().enumerate() {
                for j in &nonzero[start + a..] {
                    products.push((usize::from(*i) * c + usize::from(*j)) as u16);
                }
            }
            offsets.push(nonzero.len());
            product_offsets.push(products.len());
        }
        Design { cells, y, columns, nonzero, offsets, products, product_offsets }
    }

    fn row(&self, r: usize) -> &[u8] {
        &self.nonzero[self.offsets[r]..self.offsets[r + 1]]
    }

    fn dense_rows(&self, which: impl Fn(usize) -> bool) -> Vec<Vec<f64>> {
        (0..self.cells.len())
            .filter(|r| which(*r))
            .map(|r| {
                let mut row = vec![0.0; self.columns.len()];
                for k in self.row(r) {
                    row[*k as usize] = 1.0;
                }
                row
            })
            .collect()
    }

    /// X'WX for weights w, row-major.
    fn weighted_gram(&self, weights: &[f64]) -> Vec<f64> {
        let c = self.columns.len();
        let mut gram = vec![0.0; c * c];
        for (r, w) in weights.iter().enumerate() {
            for place in &self.products[self.product_offsets[r]..self.product_offsets[r + 1]] {
                gram[usize::from(*place)] += w;
            }
        }
        for i in 0..c {
            for j in 0..i {
                gram[i * c + j] = gram[j * c + i];
            }
        }
        gram
    }

    fn linear_predictor(&self, beta: &[f64]) -> Vec<f64> {
        (0..self.cells.len()).map(|r| self.row(r).iter().map(|k| beta[*k as usize]).sum()).collect()
    }

    /// Poisson IRLS; `None` when it diverges (a parameter runs off to infinity).
    fn irls(&self, start: Option<&[f64]>) -> Option<(Vec<f64>, Vec<f64>, u32)> {
        let c = self.columns.len();
        let (mut eta, mut mu): (Vec<f64>, Vec<f64>) = match start {
            Some(beta) => {
                let eta = self.linear_predictor(beta);
                let mu = eta.iter().map(|e| e.exp()).collect();
                (eta, mu)
            }
            None => {
                let mu: Vec<f64> = self.y.iter().map(|y| y + 0.5).collect();
                (mu.iter().map(|m| m.ln()).collect(), mu)
            }
        };
        let mut beta = start.map_or_else(|| vec![f64::INFINITY; c], <[f64]>::to_vec);
        for iteration in 1..=100 {
            let gram = self.weighted_gram(&mu);
            let mut right = vec![0.0; c];
            for (r, ((y, m), e)) in self.y.iter().zip(&mu).zip(&eta).enumerate() {
                let z = m * e + (y - m);
                for k in self.row(r) {
                    right[*k as usize] += z;
                }
            }
            let l = cholesky(&gram, c)?;
            let next = cholesky_solve(&l, &right, c);
            if next.iter().any(|b| !b.is_finite() || b.abs() > 40.0) {
                return None;
            }
            // Converged when no coefficient (a log of fitted counts) moves by more than 1e-9.
            let change = next.iter().zip(&beta).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
            beta = next;
            eta = self.linear_predictor(&beta);
            mu = eta.iter().map(|e| e.exp()).collect();
            if change < 1e-9 {
                return Some((beta, mu, iteration));
            }
        }
        None
    }
}

/// A model made ready to fit: empty terms dropped with their patterns, identifiability and existence checked.
struct Prepared {
    design: Design,
    infinite_terms: Vec<u32>,
    zero_patterns: Vec<u32>,
}

fn prepare(counts: &[f64], lists: &[String], model: &Model) -> Result<Prepared, FitError> {
    let t = lists.len();
    let margin =
        |term: u32| -> f64 { (1..(1u32 << t)).filter(|p| p & term == term).map(|p| counts[p as usize - 1]).sum() };
    // A term no one is on all the lists of (a list with no one on it, or lists no one is on together): its
    // extended estimate is minus infinity, and the patterns with all its lists are fitted as zero.
    let candidates: Vec<u32> = (0..t).map(|i| 1u32 << i).chain(model.terms.iter().copied()).collect();
    let (kept, empty): (Vec<u32>, Vec<u32>) = candidates.into_iter().partition(|term| margin(*term) > 0.0);
    let cells: Vec<u32> = (1..(1u32 << t)).filter(|p| !empty.iter().any(|e| p & e == *e)).collect();
    let y: Vec<f64> = cells.iter().map(|p| counts[*p as usize - 1]).collect();
    let columns: Vec<u32> = std::iter::once(0).chain(kept).collect();
    let infinite_terms: Vec<u32> = empty.into_iter().filter(|e| e.count_ones() >= 2).collect();
    let design = Design::new(cells, y, columns);
    let c = design.columns.len();
    // The usual case, quickly: the patterns with people alone fix every parameter. Then the design has full
    // rank and no direction can push an empty pattern to zero.
    let positive: Vec<f64> = design.y.iter().map(|y| if *y > 0.0 { 1.0 } else { 0.0 }).collect();
    if cholesky(&design.weighted_gram(&positive), c).is_some() {
        return Ok(Prepared { design, infinite_terms, zero_patterns: Vec::new() });
    }
    if design.cells.len() < c || cholesky(&design.weighted_gram(&vec![1.0; design.cells.len()]), c).is_none() {
        return Err(FitError::NotIdentifiable(model.describe(lists)));
    }
    // Existence (Fienberg & Rinaldo 2012): a direction d in parameter space that is zero on every pattern
    // with people and non-negative on the empty ones would raise the likelihood without end by pushing those
    // empty patterns' fitted counts to zero. The directions that do not change the positive patterns are the
    // null space of their design rows; a linear program finds every empty pattern some such direction
    // reaches.
    let empty_rows: Vec<usize> = (0..design.cells.len()).filter(|r| design.y[*r] == 0.0).collect();
    if empty_rows.is_empty() {
        return Ok(Prepared { design, infinite_terms, zero_patterns: Vec::new() });
    }
    let null = echelon(&design.dense_rows(|r| design.y[r] > 0.0), c).null_space;
    if null.is_empty() {
        return Ok(Prepared { design, infinite_terms, zero_patterns: Vec::new() });
    }
    let empty_dense = design.dense_rows(|r| design.y[r] == 0.0);
    // How far each direction of the null space moves each empty pattern. Patterns it does not move cannot be
    // pushed to zero; patterns it moves alike are one constraint. That keeps the program small however sparse
    // the table.
    let reach: Vec<Vec<f64>> = empty_dense
        .iter()
        .map(|row| null.iter().map(|v| row.iter().zip(v).map(|(a, b)| a * b).sum()).collect())
        .collect();
    let moved = |row: &Vec<f64>| row.iter().any(|x| x.abs() > 1e-9);
    let mut distinct: Vec<Vec<f64>> = Vec::new();
    for row in reach.iter().filter(|row| moved(row)) {
        if !distinct.iter().any(|d| d.iter().zip(row).all(|(a, b)| (a - b).abs() <= 1e-9)) {
            distinct.push(row.clone());
        }
    }
    let reached: Vec<Vec<f64>> = match distinct_reached(&distinct, null.len()) {
        Some(r) => r,
        None => return Err(FitError::TooSparse(model.describe(lists), distinct.len())),
    };
    let forced: Vec<usize> = reach
        .iter()
        .zip(&empty_rows)
        .filter(|(row, _)| reached.iter().any(|d| d.iter().zip(row.iter()).all(|(a, b)| (a - b).abs() <= 1e-9)))
        .map(|(_, r)| *r)
        .collect();
    if forced.is_empty() {
        return Ok(Prepared { design, infinite_terms, zero_patterns: Vec::new() });
    }
    // The extended estimate fits those patterns as zero. The number missed is still determined if the
    // intercept is fixed by the other patterns: no direction of their null space moves it.
    let rest: Vec<usize> = (0..design.cells.len()).filter(|r| !forced.contains(r)).collect();
    let reduced = echelon(&design.dense_rows(|r| !forced.contains(&r)), c);
    if reduced.null_space.iter().any(|v| v[0].abs() > 1e-9) {
        return Err(FitError::NoEstimate(model.describe(lists)));
    }
    let zero_patterns: Vec<u32> = forced.iter().map(|r| design.cells[*r]).collect();
    let columns: Vec<u32> = reduced.pivots.iter().map(|k| design.columns[*k]).collect();
    let cells: Vec<u32> = rest.iter().map(|r| design.cells[*r]).collect();
    let y: Vec<f64> = rest.iter().map(|r| design.y[*r]).collect();
    Ok(Prepared { design: Design::new(cells, y, columns), infinite_terms, zero_patterns })
}

/// At most this many distinct ways empty patterns can move for the existence check's linear program.
const MAX_EXISTENCE_ROWS: usize = 2000;

/// Of the rows A_i (how a direction w of the null space moves empty pattern i), those some w with A w ≥ 0
/// everywhere makes strictly positive; `None` when there are too many to check. One direction: a sign check.
/// More: the linear program max Σ s subject to s_i ≤ A_i w and s_i ≤ 1, whose optimum sets s_i = 1 exactly on
/// the rows some such direction reaches (their directions add up).
fn distinct_reached(rows: &[Vec<f64>], dimensions: usize) -> Option<Vec<Vec<f64>>> {
    if rows.is_empty() {
        return Some(Vec::new());
    }
    if dimensions == 1 {
        let all_up = rows.iter().all(|r| r[0] >= 0.0);
        let all_down = rows.iter().all(|r| r[0] <= 0.0);
        return Some(if all_up || all_down { rows.to_vec() } else { Vec::new() });
    }
    if rows.len() > MAX_EXISTENCE_ROWS {
        return None;
    }
    let (z, r) = (rows.len(), dimensions);
    // Variables: u, v (the direction u - v), then s.
    let mut constraints = Vec::with_capacity(2 * z);
    for (i, row) in rows.iter().enumerate() {
        let mut reaching = vec![0.0; 2 * r + z];
        for k in 0..r {
            reaching[k] = -row[k];
            reaching[r + k] = row[k];
        }
        reaching[2 * r + i] = 1.0;
        constraints.push(reaching);
        let mut capped = vec![0.0; 2 * r + z];
        capped[2 * r + i] = 1.0;
        constraints.push(capped);
    }
    let bounds: Vec<f64> = (0..2 * z).map(|k| if k % 2 == 0 { 0.0 } else { 1.0 }).collect();
    let objective: Vec<f64> = (0..2 * r + z).map(|k| if k >= 2 * r { 1.0 } else { 0.0 }).collect();
    let solution = simplex_max(&constraints, &bounds, &objective)?;
    Some(rows.iter().enumerate().filter(|(i, _)| solution[2 * r + i] > 0.5).map(|(_, row)| row.clone()).collect())
}

/// Fits a model to the counts of one stratum (`counts[p - 1]` is pattern p).
pub fn fit(counts: &[f64], lists: &[String], model: &Model) -> Result<Fit, FitError> {
    let t = lists.len();
    let prepared = prepare(counts, lists, model)?;
    let design = &prepared.design;
    let (beta, mu, iterations) = design.irls(None).ok_or_else(|| FitError::NoEstimate(model.describe(lists)))?;
    let mut fitted = vec![0.0; (1 << t) - 1];
    for (cell, m) in design.cells.iter().zip(&mu) {
        fitted[*cell as usize - 1] = *m;
    }
    let observed: f64 = counts.iter().sum();
    let log_likelihood: f64 = design.y.iter().zip(&mu).map(|(y, m)| y * m.ln() - m - ln_factorial(*y)).sum();
    let missed = beta[0].exp();
    let parameters = 1 + t + model.terms.len();
    Ok(Fit {
        model: model.clone(),
        observed,
        missed,
        estimate: observed + missed,
        log_likelihood,
        parameters,
        aic: -2.0 * log_likelihood + 2.0 * parameters as f64,
        bic: -2.0 * log_likelihood + parameters as f64 * observed.ln(),
        fitted,
        infinite_terms: prepared.infinite_terms,
        zero_patterns: prepared.zero_patterns,
        coefficients: design.columns.iter().copied().zip(beta).collect(),
        iterations,
    })
}

/// The two-sided Wald p-value of one interaction term of a fit (`None` when the term is not estimated: not in
/// the model, or minus infinity).
pub fn wald_p(counts: &[f64], lists: &[String], found: &Fit, term: u32) -> Option<f64> {
    let prepared = prepare(counts, lists, &found.model).ok()?;
    let design = &prepared.design;
    let column = design.columns.iter().position(|c| *c == term)?;
    let coefficient = found.coefficients.iter().find(|(c, _)| *c == term)?.1;
    let mu: Vec<f64> = design.cells.iter().map(|p| found.fitted[*p as usize - 1]).collect();
    let c = design.columns.len();
    let l = cholesky(&design.weighted_gram(&mu), c)?;
    let mut unit = vec![0.0; c];
    unit[column] = 1.0;
    let variance = cholesky_solve(&l, &unit, c)[column];
    let z = coefficient / variance.sqrt();
    Some(2.0 * (1.0 - normal_cdf(z.abs())))
}

/// An interval for the population.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// The lower end.
    pub low: f64,
    /// The upper end (infinite when the data put no upper bound on it).
    pub high: f64,
}

/// The profile-likelihood interval of the population under one model, as Rcapture's `closedpCI.t` gives it
/// (Cormack 1992): the number missed n₀ is put in the table as if counted, the model refitted to the whole
/// table, and the multinomial log-likelihood of the complete table, ln N! - Σ ln y! + Σ y ln(μ/N), profiled
/// over n₀. The interval is every N whose profile is within χ²₁(level)/2 of its maximum. It holds the model
/// fixed: it says nothing of the uncertainty of choosing it. The upper end is infinite when the data set no
/// bound (written `null` in JSON).
pub fn profile_interval(counts: &[f64], lists: &[String], found: &Fit, level: f64) -> Result<Interval, FitError> {
    let prepared = prepare(counts, lists, &found.model)?;
    let base = &prepared.design;
    let mut cells = base.cells.clone();
    cells.push(0);
    let columns = base.columns.clone();
    let observed = found.observed;
    let no_estimate = || FitError::NoEstimate(found.model.describe(lists));
    let mut start: Option<Vec<f64>> = None;
    // The profile, up to a constant (the observed counts' ln y! are left out).
    let mut profile = |missed: f64| -> Result<f64, FitError> {
        let mut y = base.y.clone();
        y.push(missed);
        let design = Design::new(cells.clone(), y, columns.clone());
        let (beta, mu, _) = design.irls(start.as_deref()).or_else(|| design.irls(None)).ok_or_else(no_estimate)?;
        start = Some(beta);
        let total = observed + missed;
        let fitted: f64 = design.y.iter().zip(&mu).map(|(y, m)| if *y > 0.0 { y * m.ln() } else { 0.0 }).sum();
        Ok(fitted - total * total.ln() + ln_gamma(total + 1.0) - ln_gamma(missed + 1.0))
    };
    let z = normal_quantile(0.5 + level / 2.0);
    let critical = z * z / 2.0;
    let ceiling = 1e4 * (observed + found.missed).max(1.0);
    // Bracket the maximum: double until the profile falls, then golden-section search.
    let mut high = found.missed.max(1.0) * 2.0;
    while profile(high)? >= profile(high / 2.0)? {
        high *= 2.0;
        if high > ceiling {
            return Ok(Interval { low: observed, high: f64::INFINITY });
        }
    }
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (0.0, high);
    while b - a > 1e-3 * (1.0 + a) {
        let (left, right) = (b - ratio * (b - a), a + ratio * (b - a));
        if profile(left)? < profile(right)? { a = left } else { b = right }
    }
    let peak = (a + b) / 2.0;
    let best = profile(peak)?.max(profile(found.missed)?);
    let outside = |value: f64| best - value > critical;
    let low = if !outside(profile(0.0)?) {
        0.0
    } else {
        let (mut inside, mut beyond) = (peak, 0.0);
        while inside - beyond > 0.01 {
            let middle = (inside + beyond) / 2.0;
            if outside(profile(middle)?) { beyond = middle } else { inside = middle }
        }
        inside
    };
    let mut far = peak.max(1.0) * 2.0;
    while !outside(profile(far)?) {
        far *= 2.0;
        if far > ceiling {
            return Ok(Interval { low: observed + low, high: f64::INFINITY });
        }
    }
    let (mut inside, mut beyond) = (peak, far);
    while beyond - inside > 0.01 {
        let middle = (inside + beyond) / 2.0;
        if outside(profile(middle)?) { beyond = middle } else { inside = middle }
    }
    Ok(Interval { low: observed + low, high: observed + inside })
}
