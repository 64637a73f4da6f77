//! Multiple systems estimation: how many people a set of overlapping lists missed. A capture-history table
//! (one 0/1 column per list and a count of the people seen on exactly that combination of lists) is fitted
//! with Poisson log-linear models by iteratively reweighted least squares; the unobserved cell (people on no
//! list) is the model's extrapolation: N̂ = n + exp(intercept). Pure: the table comes in as text.

use std::collections::BTreeMap;

/// One problem with a table, and where (1-based line; 0 for the table as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProblem {
    /// The line.
    pub line: usize,
    /// What is wrong, naming the column.
    pub message: String,
}

/// A capture-history table.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureTable {
    /// The lists, in column order.
    pub lists: Vec<String>,
    /// The stratum columns, if any.
    pub stratum_columns: Vec<String>,
    /// Counts by stratum (its values, in column order) and pattern (bit i: on list i).
    pub cells: BTreeMap<Vec<String>, BTreeMap<u32, f64>>,
}

impl CaptureTable {
    /// Reads a table: the `count` column, the stratum columns named, and every other column a list. Every
    /// problem is reported: a list value other than 0 or 1, a count that is negative, fractional or not a
    /// number, a pattern given twice, the all-zero pattern (nobody can be counted on no list), fewer than two
    /// lists, a list with no one on it.
    pub fn read(text: &str, strata: &[&str]) -> Result<CaptureTable, Vec<TableProblem>> {
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
        let at = |line: usize, message: String| vec![TableProblem { line, message }];
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(String::from).collect(),
            Err(e) => return Err(at(1, format!("bad CSV header: {e}"))),
        };
        let Some(count_column) = header.iter().position(|h| h == "count") else {
            return Err(at(1, format!("no `count` column (the header has: {})", header.join(", "))));
        };
        let mut problems = Vec::new();
        let mut stratum_positions = Vec::new();
        for stratum in strata {
            match header.iter().position(|h| h == stratum) {
                Some(p) => stratum_positions.push(p),
                None => problems.push(TableProblem { line: 1, message: format!("no stratum column `{stratum}`") }),
            }
        }
        let list_positions: Vec<usize> =
            (0..header.len()).filter(|i| *i != count_column && !stratum_positions.contains(i)).collect();
        if list_positions.len() < 2 {
            problems.push(TableProblem {
                line: 1,
                message: format!("{} list column(s): estimation needs at least two lists", list_positions.len()),
            });
        }
        if list_positions.len() > 16 {
            problems.push(TableProblem { line: 1, message: "more than 16 lists".into() });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut cells: BTreeMap<Vec<String>, BTreeMap<u32, f64>> = BTreeMap::new();
        let mut first_seen: BTreeMap<(Vec<String>, u32), usize> = BTreeMap::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    problems.push(TableProblem { line, message: format!("bad CSV: {e}") });
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line() as usize);
            let mut pattern = 0u32;
            let mut ok = true;
            for (bit, position) in list_positions.iter().enumerate() {
                match record.get(*position).unwrap_or("") {
                    "1" => pattern |= 1 << bit,
                    "0" => {}
                    other => {
                        ok = false;
                        problems.push(TableProblem {
                            line,
                            message: format!("`{}`: `{other}` is not 0 or 1", header[*position]),
                        });
                    }
                }
            }
            let count_text = record.get(count_column).unwrap_or("");
            let count = match count_text.parse::<f64>() {
                Ok(c) if c >= 0.0 && c.fract() == 0.0 && c.is_finite() => c,
                _ => {
                    ok = false;
                    problems.push(TableProblem {
                        line,
                        message: format!("`count`: `{count_text}` is not a whole number of people, 0 or more"),
                    });
                    0.0
                }
            };
            if !ok {
                continue;
            }
            if pattern == 0 {
                problems.push(TableProblem {
                    line,
                    message: "the all-zero pattern: people on no list cannot be counted (that is what is estimated)"
                        .into(),
                });
                continue;
            }
            let stratum: Vec<String> =
                stratum_positions.iter().map(|p| record.get(*p).unwrap_or("").to_string()).collect();
            if let Some(first) = first_seen.insert((stratum.clone(), pattern), line) {
                problems.push(TableProblem { line, message: format!("the same pattern as line {first}") });
                continue;
            }
            cells.entry(stratum).or_default().insert(pattern, count);
        }
        if problems.is_empty() {
            for (bit, position) in list_positions.iter().enumerate() {
                let on: f64 =
                    cells.values().flat_map(|c| c.iter()).filter(|(p, _)| *p & (1 << bit) != 0).map(|(_, c)| c).sum();
                if on == 0.0 {
                    problems.push(TableProblem {
                        line: 0,
                        message: format!("list `{}` has no one on it", header[*position]),
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CaptureTable {
            lists: list_positions.iter().map(|p| header[*p].clone()).collect(),
            stratum_columns: strata.iter().map(|s| s.to_string()).collect(),
            cells,
        })
    }

    /// The counts of one stratum (the table's only one when it has no stratum columns), every observable
    /// pattern present (0 when not given).
    pub fn counts(&self, stratum: &[String]) -> Vec<f64> {
        let given = self.cells.get(stratum);
        (1..(1u32 << self.lists.len())).map(|p| given.and_then(|c| c.get(&p)).copied().unwrap_or(0.0)).collect()
    }
}

/// Two lists, by index, lower first.
pub type Pair = (usize, usize);

/// A hierarchical log-linear model: every list's main effect and the two-list interactions given.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Model {
    /// Pairs of lists (by index, lower first) whose interaction is in the model.
    pub interactions: Vec<Pair>,
}

impl Model {
    /// Main effects only: lists independent.
    pub fn main_effects() -> Model {
        Model { interactions: Vec::new() }
    }

    /// The model written with the lists' names: `[A×E, D×E]`, or `[main effects]`.
    pub fn describe(&self, lists: &[String]) -> String {
        if self.interactions.is_empty() {
            return "[main effects]".into();
        }
        let terms: Vec<String> =
            self.interactions.iter().map(|(a, b)| format!("{}×{}", lists[*a], lists[*b])).collect();
        format!("[{}]", terms.join(", "))
    }
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
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
    /// Parameters estimated (interactions of lists no one is on together are left out: they are minus
    /// infinity).
    pub parameters: usize,
    /// Akaike's criterion.
    pub aic: f64,
    /// The Bayesian criterion, with the penalty log(observed) per parameter (as Rcapture and
    /// MultipleSystemsEstimation count it).
    pub bic: f64,
    /// The coefficients: intercept, main effects, interactions.
    pub coefficients: Vec<f64>,
    /// IRLS iterations.
    pub iterations: u32,
}

/// Why a model gives no estimate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    /// The design is not of full rank on the observed cells: the model is not identifiable.
    #[error("the model {0} is not identifiable from this table (its parameters cannot all be told apart)")]
    NotIdentifiable(String),
    /// Too many lists to fit every model (2 to the number of pairs of lists).
    #[error("{0} lists make 2^{1} models with two-list interactions, too many to fit all: use the stepwise method")]
    TooManyModels(usize, usize),
    /// The fit diverges: some parameter runs to infinity (sparse cells, lists that do not overlap).
    #[error(
        "the maximum-likelihood estimate of the model {0} does not exist (a parameter runs to infinity: sparse or non-overlapping lists)"
    )]
    NoEstimate(String),
}

/// Fits a model to the counts of one stratum (`counts[p - 1]` is pattern p).
pub fn fit(counts: &[f64], lists: &[String], model: &Model) -> Result<Fit, FitError> {
    let t = lists.len();
    let name = model.describe(lists);
    // Two lists no one is on together: their interaction's (extended) maximum-likelihood estimate is minus
    // infinity, so the cells on both are fitted as zero and leave the model with that parameter (Chan,
    // Silverman & Vincent 2021). What remains must be identifiable.
    let together = |a: usize, b: usize| -> f64 {
        counts
            .iter()
            .enumerate()
            .filter(|(i, _)| ((i + 1) >> a) & 1 == 1 && ((i + 1) >> b) & 1 == 1)
            .map(|(_, c)| c)
            .sum()
    };
    let (kept, apart): (Vec<Pair>, Vec<Pair>) = model.interactions.iter().partition(|(a, b)| together(*a, *b) > 0.0);
    let cells: Vec<usize> =
        (1..(1usize << t)).filter(|p| !apart.iter().any(|(a, b)| (p >> a) & 1 == 1 && (p >> b) & 1 == 1)).collect();
    let counts: Vec<f64> = cells.iter().map(|p| counts[p - 1]).collect();
    let counts = counts.as_slice();
    let columns = 1 + t + kept.len();
    let design: Vec<Vec<f64>> = cells
        .iter()
        .map(|p| {
            let on = |i: usize| ((p >> i) & 1) as f64;
            let mut row = vec![1.0];
            row.extend((0..t).map(on));
            row.extend(kept.iter().map(|(a, b)| on(*a) * on(*b)));
            row
        })
        .collect();
    // Identifiable: the design has full column rank on the cells that remain.
    let mut gram = vec![0.0; columns * columns];
    for row in &design {
        for i in 0..columns {
            for j in 0..columns {
                gram[i * columns + j] += row[i] * row[j];
            }
        }
    }
    if solve_symmetric(&gram, &vec![0.0; columns], columns).is_none() {
        return Err(FitError::NotIdentifiable(name));
    }
    let mut mu: Vec<f64> = counts.iter().map(|y| y + 0.5).collect();
    let mut eta: Vec<f64> = mu.iter().map(|m| m.ln()).collect();
    let mut beta = vec![0.0; columns];
    let deviance = |mu: &[f64]| -> f64 {
        counts.iter().zip(mu).map(|(y, m)| 2.0 * (if *y > 0.0 { y * (y / m).ln() } else { 0.0 } - (y - m))).sum()
    };
    let mut previous = deviance(&mu);
    let mut iterations = 0;
    let mut converged = false;
    for _ in 0..100 {
        iterations += 1;
        // Weighted least squares of the working response z = eta + (y - mu) / mu, weights mu.
        let mut xtwx = vec![0.0; columns * columns];
        let mut xtwz = vec![0.0; columns];
        for (row, ((y, m), e)) in design.iter().zip(counts.iter().zip(&mu).zip(&eta)) {
            let z = e + (y - m) / m;
            for i in 0..columns {
                xtwz[i] += row[i] * m * z;
                for j in 0..columns {
                    xtwx[i * columns + j] += row[i] * m * row[j];
                }
            }
        }
        let Some(next) = solve_symmetric(&xtwx, &xtwz, columns) else {
            return Err(FitError::NoEstimate(name));
        };
        beta = next;
        eta = design.iter().map(|row| row.iter().zip(&beta).map(|(x, b)| x * b).sum()).collect();
        mu = eta.iter().map(|e| e.exp()).collect();
        let current = deviance(&mu);
        if (current - previous).abs() / (current.abs() + 0.1) < 1e-10 {
            converged = true;
            break;
        }
        previous = current;
    }
    if !converged || beta.iter().any(|b| !b.is_finite() || b.abs() > 30.0) {
        return Err(FitError::NoEstimate(name));
    }
    let observed: f64 = counts.iter().sum();
    let log_likelihood: f64 = counts.iter().zip(&mu).map(|(y, m)| y * m.ln() - m - ln_factorial(*y)).sum();
    let missed = beta[0].exp();
    Ok(Fit {
        model: model.clone(),
        observed,
        missed,
        estimate: observed + missed,
        log_likelihood,
        parameters: columns,
        aic: -2.0 * log_likelihood + 2.0 * columns as f64,
        bic: -2.0 * log_likelihood + columns as f64 * observed.ln(),
        coefficients: beta,
        iterations,
    })
}

fn ln_factorial(n: f64) -> f64 {
    (1..=n as u64).map(|k| (k as f64).ln()).sum()
}

/// Solves A x = b for a symmetric positive-definite A (n×n, row-major) by Cholesky; `None` when A is not
/// positive definite (a design not of full rank).
fn solve_symmetric(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    let scale = (0..n).map(|i| a[i * n + i].abs()).fold(0.0, f64::max).max(1e-300);
    for i in 0..n {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                let d = a[i * n + i] - sum;
                if d <= 1e-12 * scale {
                    return None;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - sum) / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        y[i] = (b[i] - (0..i).map(|k| l[i * n + k] * y[k]).sum::<f64>()) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        x[i] = (y[i] - (i + 1..n).map(|k| l[k * n + i] * x[k]).sum::<f64>()) / l[i * n + i];
    }
    Some(x)
}

/// The Chan–Silverman–Vincent forward stepwise choice of model (JASA 2021; SparseMSE's `stepwise`): from main
/// effects, the pair of lists whose observed overlap is least likely under the current model (a two-sided
/// Poisson tail, `min(P(X ≤ N), P(X ≥ N))` for X ~ Poisson(fitted overlap)) joins the model while that
/// probability is below `threshold` (theirs: 0.02) and the model still fits. Returns the fits in the order
/// made, the chosen one last.
pub fn stepwise_csv(counts: &[f64], lists: &[String], threshold: f64) -> Result<Vec<Fit>, FitError> {
    let t = lists.len();
    let mut model = Model::main_effects();
    let mut fits = vec![fit(counts, lists, &model)?];
    loop {
        let current = fits.last().cloned().ok_or_else(|| FitError::NoEstimate(model.describe(lists)))?;
        let expected = fitted(counts, lists, &current);
        let mut best: Option<(f64, Pair)> = None;
        for a in 0..t {
            for b in a + 1..t {
                if model.interactions.contains(&(a, b)) {
                    continue;
                }
                let both = |p: usize| (p >> a) & 1 == 1 && (p >> b) & 1 == 1;
                let observed: f64 = (1..(1usize << t)).filter(|p| both(*p)).map(|p| counts[p - 1]).sum();
                let mean: f64 = (1..(1usize << t)).filter(|p| both(*p)).map(|p| expected[p - 1]).sum();
                let p = poisson_tail(observed, mean);
                if best.is_none_or(|(q, _)| p < q) {
                    best = Some((p, (a, b)));
                }
            }
        }
        let Some((p, pair)) = best else { break };
        if p >= threshold {
            break;
        }
        let mut next = model.clone();
        next.interactions.push(pair);
        next.interactions.sort_unstable();
        match fit(counts, lists, &next) {
            Ok(found) => {
                model = next;
                fits.push(found);
            }
            Err(_) => break,
        }
    }
    Ok(fits)
}

/// The fitted count of every observable pattern under a fit (0 for cells of lists no one is on together).
fn fitted(counts: &[f64], lists: &[String], found: &Fit) -> Vec<f64> {
    let t = lists.len();
    let observed_together = |a: usize, b: usize| -> bool {
        counts.iter().enumerate().any(|(i, c)| *c > 0.0 && ((i + 1) >> a) & 1 == 1 && ((i + 1) >> b) & 1 == 1)
    };
    let kept: Vec<Pair> = found.model.interactions.iter().copied().filter(|(a, b)| observed_together(*a, *b)).collect();
    let apart: Vec<Pair> =
        found.model.interactions.iter().copied().filter(|(a, b)| !observed_together(*a, *b)).collect();
    (1..(1usize << t))
        .map(|p| {
            if apart.iter().any(|(a, b)| (p >> a) & 1 == 1 && (p >> b) & 1 == 1) {
                return 0.0;
            }
            let on = |i: usize| ((p >> i) & 1) as f64;
            let mut eta = found.coefficients[0];
            eta += (0..t).map(|i| on(i) * found.coefficients[1 + i]).sum::<f64>();
            eta +=
                kept.iter().enumerate().map(|(k, (a, b))| on(*a) * on(*b) * found.coefficients[1 + t + k]).sum::<f64>();
            eta.exp()
        })
        .collect()
}

/// `min(P(X ≤ n), P(X ≥ n))` for X ~ Poisson(mean).
fn poisson_tail(n: f64, mean: f64) -> f64 {
    if mean <= 0.0 {
        return if n > 0.0 { 0.0 } else { 1.0 };
    }
    let probability = |k: u64| ((k as f64) * mean.ln() - mean - ln_factorial(k as f64)).exp();
    let n = n as u64;
    let at_most: f64 = (0..=n).map(probability).sum();
    let below: f64 = (0..n).map(probability).sum();
    at_most.min(1.0 - below).clamp(0.0, 1.0)
}

/// A model and its fit, or why it has none.
pub type Fitted = (Model, Result<Fit, FitError>);

/// At most this many pairs of lists (6 lists) for fitting every model.
const MAX_PAIRS_FOR_ALL: usize = 15;

/// Every hierarchical model with main effects and any set of two-list interactions, fitted: each model with
/// its fit or why it has none, main effects first.
pub fn all_two_way(counts: &[f64], lists: &[String]) -> Result<Vec<Fitted>, FitError> {
    let t = lists.len();
    let pairs: Vec<Pair> = (0..t).flat_map(|a| (a + 1..t).map(move |b| (a, b))).collect();
    if pairs.len() > MAX_PAIRS_FOR_ALL {
        return Err(FitError::TooManyModels(t, pairs.len()));
    }
    Ok((0u32..(1 << pairs.len()))
        .map(|mask| {
            let model = Model {
                interactions: pairs.iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1).map(|(_, p)| *p).collect(),
            };
            let found = fit(counts, lists, &model);
            (model, found)
        })
        .collect())
}

/// Which criterion ranks models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// Akaike's.
    Aic,
    /// The Bayesian (penalty log(observed) per parameter).
    Bic,
}

/// The fit with the lowest criterion among those that exist.
pub fn best(fits: &[Fitted], criterion: Criterion) -> Option<&Fit> {
    let score = |f: &Fit| match criterion {
        Criterion::Aic => f.aic,
        Criterion::Bic => f.bic,
    };
    fits.iter().filter_map(|(_, f)| f.as_ref().ok()).min_by(|x, y| score(x).total_cmp(&score(y)))
}
