//! The special functions the estimators need, from `statrs`: ln Γ, the standard normal distribution and its
//! quantiles, and the Poisson tail the stepwise procedure tests with.

use statrs::distribution::{ContinuousCDF, Normal};
pub use statrs::function::gamma::ln_gamma;
use statrs::function::gamma::{gamma_lr, gamma_ur};

/// ln(n!) for a whole number n ≥ 0.
pub fn ln_factorial(n: f64) -> f64 {
    ln_gamma(n + 1.0)
}

/// P(Z ≤ z) for a standard normal Z.
pub fn normal_cdf(z: f64) -> f64 {
    statrs::function::erf::erfc(-z / std::f64::consts::SQRT_2) / 2.0
}

/// The z with P(Z ≤ z) = p for a standard normal Z; ±∞ at 0 and 1.
pub fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        f64::NEG_INFINITY
    } else if p >= 1.0 {
        f64::INFINITY
    } else {
        Normal::standard().inverse_cdf(p)
    }
}

/// `min(P(X ≤ n), P(X ≥ n))` for X ~ Poisson(mean): how surprising an observed count n is, in either direction.
/// P(X ≤ n) = Q(n + 1, mean) and P(X ≥ n) = P(n, mean) (the regularised incomplete gamma functions), so even
/// tails of 1e-30 come out right.
pub fn poisson_tail(n: f64, mean: f64) -> f64 {
    if mean <= 0.0 {
        return if n > 0.0 { 0.0 } else { 1.0 };
    }
    let at_most = gamma_ur(n + 1.0, mean);
    let at_least = if n <= 0.0 { 1.0 } else { gamma_lr(n, mean) };
    at_most.min(at_least).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
        assert!((ln_factorial(10.0) - 3_628_800f64.ln()).abs() < 1e-10);
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 2e-7);
        assert!((normal_cdf(-1.0) - 0.158_655_254).abs() < 2e-7);
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-8);
        assert!((normal_quantile(0.001) + 3.090_232_306).abs() < 1e-8);
        for p in [0.01, 0.2, 0.5, 0.77, 0.999] {
            assert!((normal_cdf(normal_quantile(p)) - p).abs() < 2e-7);
        }
        // Poisson(2): P(X ≤ 0) = e^-2; P(X ≥ 5) = 1 - e^-2 (1 + 2 + 2 + 4/3 + 2/3).
        assert!((poisson_tail(0.0, 2.0) - (-2f64).exp()).abs() < 1e-12);
        assert!((poisson_tail(5.0, 2.0) - (1.0 - (-2f64).exp() * 7.0)).abs() < 1e-12);
        // Far tails keep their precision: P(X ≥ 45) and P(X ≥ 60) for Poisson(10), summed exactly to 60 digits,
        // and P(X ≤ 1) for Poisson(40).
        assert!((poisson_tail(45.0, 10.0) / 4.841_770_357e-16 - 1.0).abs() < 1e-8, "{}", poisson_tail(45.0, 10.0));
        assert!((poisson_tail(60.0, 10.0) / 6.521_903_328e-27 - 1.0).abs() < 1e-8, "{}", poisson_tail(60.0, 10.0));
        let exact = (-40f64).exp() * 41.0;
        assert!((poisson_tail(1.0, 40.0) / exact - 1.0).abs() < 1e-9);
    }
}
