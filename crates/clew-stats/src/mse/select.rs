//! Choosing a model: every hierarchical model ranked by AIC or BIC, and the two stepwise procedures used in
//! the modern-slavery literature (Bales, Hesketh & Silverman 2015; Chan, Silverman & Vincent 2021). Each
//! choice comes with the reasons for it, in words.

use super::model::{Fit, FitError, Model, fit, term_name, wald_p};
use super::special::poisson_tail;

/// A model and its fit, or why it has none.
pub type Fitted = (Model, Result<Fit, FitError>);

/// A chosen model's fit, and how it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Selected {
    /// The fit of the chosen model.
    pub fit: Fit,
    /// The steps of the choice, in words.
    pub explanation: Vec<String>,
}

/// Which criterion ranks models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// Akaike's.
    Aic,
    /// The Bayesian (penalty log(observed) per parameter).
    Bic,
}

impl Criterion {
    /// The criterion's value for a fit.
    pub fn of(self, found: &Fit) -> f64 {
        match self {
            Criterion::Aic => found.aic,
            Criterion::Bic => found.bic,
        }
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Criterion::Aic => "AIC",
            Criterion::Bic => "BIC",
        }
    }
}

/// The hierarchical models searched for a table of t lists: all sets of two-list interactions, and for four
/// or five lists also every hierarchical set of three-list interactions (a three-list term only with its three
/// two-list terms). With three lists a three-list term would leave the model unidentifiable; with six, the
/// three-list models number in the millions, so only two-list models are searched; seven or more lists are
/// refused (use a stepwise method).
pub fn hierarchical_models(t: usize) -> Result<Vec<Model>, FitError> {
    let pairs: Vec<u32> = (0..t).flat_map(|a| (a + 1..t).map(move |b| (1u32 << a) | (1 << b))).collect();
    if t > 6 {
        return Err(FitError::TooManyModels(t, format!("2^{}", pairs.len())));
    }
    let triples: Vec<u32> =
        if (4..=5).contains(&t) { (0..1u32 << t).filter(|m| m.count_ones() == 3).collect() } else { Vec::new() };
    let mut models = Vec::new();
    for mask in 0u32..(1 << pairs.len()) {
        let chosen: Vec<u32> = pairs.iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1).map(|(_, p)| *p).collect();
        let allowed: Vec<u32> = triples
            .iter()
            .copied()
            .filter(|triple| chosen.iter().filter(|pair| *pair & triple == **pair).count() == 3)
            .collect();
        for sub in 0u32..(1 << allowed.len()) {
            let mut terms = chosen.clone();
            terms.extend(allowed.iter().enumerate().filter(|(i, _)| sub >> i & 1 == 1).map(|(_, t)| *t));
            models.push(Model { terms });
        }
    }
    Ok(models)
}

/// Fits every model given, on as many threads as the machine has (at most 8).
pub fn fit_all(counts: &[f64], lists: &[String], models: &[Model]) -> Vec<Fitted> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = models.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = models
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().map(|m| (m.clone(), fit(counts, lists, m))).collect::<Vec<Fitted>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

/// The fit with the lowest criterion among those that exist (the first on a tie).
pub fn best(fits: &[Fitted], criterion: Criterion) -> Option<&Fit> {
    fits.iter().filter_map(|(_, f)| f.as_ref().ok()).min_by(|x, y| criterion.of(x).total_cmp(&criterion.of(y)))
}

/// Every hierarchical model fitted (see [`hierarchical_models`]) and the best by the criterion, explained.
pub fn by_criterion(
    counts: &[f64],
    lists: &[String],
    criterion: Criterion,
) -> Result<(Selected, Vec<Fitted>), FitError> {
    let t = lists.len();
    // A three-list term only where someone is on all three lists: a three-list effect of minus infinity would
    // say no one can be on them together, which a table this sparse cannot show.
    let on_all = |term: u32| (1..(1u32 << t)).any(|p| p & term == term && counts[p as usize - 1] > 0.0);
    let models: Vec<Model> = hierarchical_models(t)?
        .into_iter()
        .filter(|m| m.terms.iter().all(|term| term.count_ones() < 3 || on_all(*term)))
        .collect();
    let fits = fit_all(counts, lists, &models);
    let name = criterion.name();
    let chosen = best(&fits, criterion)
        .cloned()
        .ok_or_else(|| FitError::NoEstimate(format!("(every one of the {} models)", models.len())))?;
    let failed = fits.iter().filter(|(_, f)| f.is_err()).count();
    let mut ranked: Vec<&Fit> = fits.iter().filter_map(|(_, f)| f.as_ref().ok()).collect();
    ranked.sort_by(|x, y| criterion.of(x).total_cmp(&criterion.of(y)));
    let mut explanation = vec![format!(
        "{} hierarchical models fitted ({} gave no estimate: not identifiable or no maximum-likelihood estimate; \
         three-list terms only for lists someone is on together); the lowest {name}: {}",
        models.len(),
        failed,
        chosen.model.describe(lists)
    )];
    if let Some(runner_up) = ranked.get(1) {
        explanation.push(format!(
            "{name} {:.1} against {:.1} for the next best, {} (estimate {:.0})",
            criterion.of(&chosen),
            criterion.of(runner_up),
            runner_up.model.describe(lists),
            runner_up.estimate
        ));
    }
    Ok((Selected { fit: chosen, explanation }, fits))
}

/// The best by the criterion among the models given (for bootstrap replicates, which re-choose among the
/// original data's best models, as Silverman, Chan & Vincent 2024 do).
pub fn best_among(counts: &[f64], lists: &[String], models: &[Model], criterion: Criterion) -> Option<Fit> {
    models.iter().filter_map(|m| fit(counts, lists, m).ok()).min_by(|x, y| criterion.of(x).total_cmp(&criterion.of(y)))
}

/// The Chan–Silverman–Vincent forward stepwise choice (JASA 2021; SparseMSE's `stepwisefit`): from main
/// effects, the pair of lists whose observed overlap is least likely under the current model (the Poisson tail
/// `min(P(X ≤ N), P(X ≥ N))`, X ~ Poisson(fitted overlap)) joins the model while that probability is below
/// `threshold` (theirs: 0.02). A pair whose model would have no estimate, need the extended estimate for more
/// than pairs no one is on together, or not be identifiable is passed over, as SparseMSE's check does.
pub fn stepwise_csv(counts: &[f64], lists: &[String], threshold: f64) -> Result<Selected, FitError> {
    let t = lists.len();
    let mut current = fit(counts, lists, &Model::main_effects())?;
    let mut explanation = vec!["started from main effects (lists independent)".to_string()];
    let pairs: Vec<u32> = (0..t).flat_map(|a| (a + 1..t).map(move |b| (1u32 << a) | (1 << b))).collect();
    let overlap = |term: u32, values: &[f64]| -> f64 {
        (1..(1u32 << t)).filter(|p| p & term == term).map(|p| values[p as usize - 1]).sum()
    };
    let mut passed_over = Vec::new();
    loop {
        let mut candidates: Vec<(f64, u32)> = pairs
            .iter()
            .filter(|p| !current.model.terms.contains(p))
            .map(|p| (poisson_tail(overlap(*p, counts), overlap(*p, &current.fitted)), *p))
            .collect();
        candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut added = false;
        for (p, pair) in candidates.iter().filter(|(p, _)| *p < threshold) {
            // As SparseMSE's check: beyond pairs no one is on together, the estimate must exist in the ordinary
            // sense, with no further empty pattern fitted as zero.
            let tried = fit(counts, lists, &current.model.with(*pair)).and_then(|next| {
                if next.zero_patterns.is_empty() {
                    Ok(next)
                } else {
                    Err(FitError::NoEstimate(next.model.describe(lists)))
                }
            });
            match tried {
                Ok(next) => {
                    explanation.push(format!(
                        "added {}: its overlap ({}) has Poisson tail p = {:.2e} under the model, below {threshold}",
                        term_name(*pair, lists),
                        match overlap(*pair, counts) {
                            1.0 => "1 person".to_string(),
                            n => format!("{n:.0} people"),
                        },
                        p
                    ));
                    current = next;
                    added = true;
                    break;
                }
                Err(e) => {
                    if !passed_over.contains(pair) {
                        passed_over.push(*pair);
                        explanation.push(format!("passed over {} (p = {p:.2e}): {e}", term_name(*pair, lists)));
                    }
                }
            }
        }
        if !added {
            let smallest = candidates.first().map_or(1.0, |c| c.0);
            let which = if current.model.terms.is_empty() { "no pair's" } else { "no other pair's" };
            explanation.push(format!("stopped: {which} overlap has p below {threshold} (smallest {smallest:.3})"));
            return Ok(Selected { fit: current, explanation });
        }
    }
}

/// The Bales–Hesketh–Silverman stepwise choice (UK modern slavery 2013; modslavmse's `MSEfit`): from main
/// effects, add the two-list interaction that lowers AIC most, as long as one lowers it and the new term's
/// Wald p-value is at most `threshold` (theirs: 0.05).
pub fn stepwise_bhs(counts: &[f64], lists: &[String], threshold: f64) -> Result<Selected, FitError> {
    let t = lists.len();
    let mut current = fit(counts, lists, &Model::main_effects())?;
    let mut explanation = vec!["started from main effects (lists independent)".to_string()];
    let pairs: Vec<u32> = (0..t).flat_map(|a| (a + 1..t).map(move |b| (1u32 << a) | (1 << b))).collect();
    loop {
        let best = pairs
            .iter()
            .filter(|p| !current.model.terms.contains(p))
            .filter_map(|p| fit(counts, lists, &current.model.with(*p)).ok().map(|f| (*p, f)))
            .min_by(|a, b| a.1.aic.total_cmp(&b.1.aic));
        let Some((pair, next)) = best else {
            explanation.push("stopped: no pair of lists left to add".into());
            return Ok(Selected { fit: current, explanation });
        };
        let name = term_name(pair, lists);
        if next.aic >= current.aic {
            explanation.push(format!(
                "stopped: no interaction lowers AIC (best, {name}, gives {:.1} against {:.1})",
                next.aic, current.aic
            ));
            return Ok(Selected { fit: current, explanation });
        }
        let Some(p) = wald_p(counts, lists, &next, pair) else {
            let why = if next.infinite_terms.contains(&pair) {
                "no one is on both lists"
            } else {
                "its coefficient is not estimable in the extended fit"
            };
            explanation
                .push(format!("stopped: {name} would lower AIC to {:.1}, but {why}, so it has no Wald test", next.aic));
            return Ok(Selected { fit: current, explanation });
        };
        if p > threshold {
            explanation.push(format!(
                "stopped: {name} would lower AIC to {:.1}, but its Wald p = {p:.3} is above {threshold}",
                next.aic
            ));
            return Ok(Selected { fit: current, explanation });
        }
        explanation.push(format!("added {name}: AIC {:.1} → {:.1}, Wald p = {p:.2e}", current.aic, next.aic));
        current = next;
    }
}
