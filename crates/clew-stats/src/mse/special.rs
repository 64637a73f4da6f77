//! Special functions the estimators need: ln Γ, the standard normal distribution and its quantiles, and
//! the Poisson tail.

/// ln Γ(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15).
pub fn ln_gamma(x: f64) -> f64 {
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 - x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// ln(n!) for a whole number n ≥ 0.
pub fn ln_factorial(n: f64) -> f64 {
    ln_gamma(n + 1.0)
}

/// P(Z ≤ z) for a standard normal Z (the complementary error function by Numerical Recipes' Chebyshev fit
/// `erfcc`; fractional error below 1.2e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let y = t
        * (-x * x - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    let erfc = if x >= 0.0 { y } else { 2.0 - y };
    0.5 * erfc
}

/// The z with P(Z ≤ z) = p for a standard normal Z (Acklam's algorithm, relative error 1.2e-9); ±∞ at 0 and 1.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.024_25 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.024_25 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The regularised incomplete gamma functions (P(a, x), Q(a, x) = 1 - P(a, x)), each of the pair computed
/// where it is accurate: the series for P when x < a + 1, the continued fraction (Lentz) for Q otherwise, so a
/// tail far below 1e-16 keeps its relative precision (Numerical Recipes §6.2).
fn incomplete_gamma(a: f64, x: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    let ln_front = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        let (mut term, mut sum, mut denominator) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000_000 {
            denominator += 1.0;
            term *= x / denominator;
            sum += term;
            if term < sum * 1e-17 {
                break;
            }
        }
        let p = (ln_front + sum.ln()).exp().min(1.0);
        (p, 1.0 - p)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000_000 {
            let step = -f64::from(i) * (f64::from(i) - a);
            b += 2.0;
            d = step * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + step / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let change = d * c;
            h *= change;
            if (change - 1.0).abs() < 1e-16 {
                break;
            }
        }
        let q = (ln_front + h.ln()).exp().min(1.0);
        (1.0 - q, q)
    }
}

/// `min(P(X ≤ n), P(X ≥ n))` for X ~ Poisson(mean): how surprising an observed count n is, in either direction.
/// P(X ≤ n) = Q(n + 1, mean) and P(X ≥ n) = P(n, mean), so even tails of 1e-30 come out right.
pub fn poisson_tail(n: f64, mean: f64) -> f64 {
    if mean <= 0.0 {
        return if n > 0.0 { 0.0 } else { 1.0 };
    }
    let at_most = incomplete_gamma(n + 1.0, mean).1;
    let at_least = if n <= 0.0 { 1.0 } else { incomplete_gamma(n, mean).0 };
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
