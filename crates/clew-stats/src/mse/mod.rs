//! Multiple systems estimation: how many people a set of overlapping lists missed. A capture-history table
//! (one 0/1 column per list and a count of the people seen on exactly that combination of lists) is fitted
//! with hierarchical Poisson log-linear models by iteratively reweighted least squares; the unobserved cell
//! (people on no list) is the model's extrapolation: N̂ = n + exp(intercept). Models are chosen by AIC, BIC or
//! a stepwise procedure, and intervals either hold the model fixed (profile likelihood) or repeat the choice
//! (BCa bootstrap). The Bayesian latent-class model (LCMCR) needs no model choice. Pure: tables come in as
//! text.

pub mod estimate;
pub mod lcmcr;
mod linear;
pub mod model;
pub mod resample;
pub mod select;
mod special;
pub mod table;

pub use model::{Fit, FitError, Interval, Model, Pair, fit, profile_interval, term_name, wald_p};
pub use resample::{Bootstrap, bca};
pub use select::{
    Criterion, Fitted, Selected, best, best_among, by_criterion, fit_all, hierarchical_models, stepwise_bhs,
    stepwise_csv,
};
pub use table::{CaptureTable, TableProblem};

/// A whole number with its thousands separated by commas (`1,000,000`), as limits are written in messages.
pub(crate) fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}
