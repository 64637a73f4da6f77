//! Parameter distributions, written as users write them: `lognormal(median=15000, p95=40000)`,
//! `normal(mean=500, sd=100)`, `uniform(min=0.6, max=0.9)`, `triangular(min=.., mode=.., max=..)`,
//! `fixed(12)` or a bare number; or observations resampled with replacement (`Empirical`).

use rand::Rng;
use rand_distr::Distribution as _;
use serde::Serialize;

/// The 95th percentile of the standard normal distribution.
const Z95: f64 = 1.644_853_626_951_472_2;

/// A distribution to draw a parameter from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Distribution {
    /// Always this value.
    Fixed {
        /// The value.
        value: f64,
    },
    /// Normal.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Log-normal, given by its median and 95th percentile.
    Lognormal {
        /// Median.
        median: f64,
        /// 95th percentile.
        p95: f64,
    },
    /// Uniform.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Triangular.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// Observations, resampled with replacement (a bootstrap of what testimonies report).
    Empirical {
        /// The observations.
        values: Vec<f64>,
    },
}

/// A distribution ready to draw from.
pub enum Sampler<'a> {
    /// A constant.
    Fixed(f64),
    /// Normal.
    Normal(rand_distr::Normal<f64>),
    /// Log-normal.
    Lognormal(rand_distr::LogNormal<f64>),
    /// Uniform.
    Uniform(rand_distr::Uniform<f64>),
    /// Triangular.
    Triangular(rand_distr::Triangular<f64>),
    /// Resampling.
    Empirical(&'a [f64]),
}

impl Sampler<'_> {
    /// One draw.
    pub fn draw(&self, rng: &mut impl Rng) -> f64 {
        match self {
            Sampler::Fixed(value) => *value,
            Sampler::Normal(d) => d.sample(rng),
            Sampler::Lognormal(d) => d.sample(rng),
            Sampler::Uniform(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Empirical(values) => values[rng.random_range(0..values.len())],
        }
    }
}

impl Distribution {
    /// Checks the parameters and prepares to draw.
    pub fn sampler(&self) -> Result<Sampler<'_>, String> {
        let finite = |values: &[f64]| values.iter().all(|v| v.is_finite());
        match self {
            Distribution::Fixed { value } if finite(&[*value]) => Ok(Sampler::Fixed(*value)),
            Distribution::Normal { mean, sd } if finite(&[*mean, *sd]) && *sd >= 0.0 => {
                rand_distr::Normal::new(*mean, *sd).map(Sampler::Normal).map_err(|e| e.to_string())
            }
            Distribution::Normal { .. } => Err("normal: sd must be zero or more".into()),
            Distribution::Lognormal { median, p95 } if finite(&[*median, *p95]) && *median > 0.0 && p95 > median => {
                let mu = median.ln();
                let sigma = (p95.ln() - mu) / Z95;
                rand_distr::LogNormal::new(mu, sigma).map(Sampler::Lognormal).map_err(|e| e.to_string())
            }
            Distribution::Lognormal { .. } => Err("lognormal: median must be above 0 and p95 above the median".into()),
            Distribution::Uniform { min, max } if finite(&[*min, *max]) && min < max => {
                rand_distr::Uniform::new(*min, *max).map(Sampler::Uniform).map_err(|e| e.to_string())
            }
            Distribution::Uniform { .. } => Err("uniform: min must be below max".into()),
            Distribution::Triangular { min, mode, max }
                if finite(&[*min, *mode, *max]) && min < max && (min..=max).contains(&mode) =>
            {
                rand_distr::Triangular::new(*min, *max, *mode).map(Sampler::Triangular).map_err(|e| e.to_string())
            }
            Distribution::Triangular { .. } => Err("triangular: needs min < max and min <= mode <= max".into()),
            Distribution::Empirical { values } if !values.is_empty() && finite(values) => {
                Ok(Sampler::Empirical(values))
            }
            Distribution::Empirical { .. } => Err("no observations to resample".into()),
            Distribution::Fixed { .. } => Err("fixed: the value must be a finite number".into()),
        }
    }

    /// The median, where it is known in closed form (for the one-at-a-time sensitivity).
    pub fn describe(&self) -> String {
        match self {
            Distribution::Fixed { value } => format!("fixed({value})"),
            Distribution::Normal { mean, sd } => format!("normal(mean={mean}, sd={sd})"),
            Distribution::Lognormal { median, p95 } => format!("lognormal(median={median}, p95={p95})"),
            Distribution::Uniform { min, max } => format!("uniform(min={min}, max={max})"),
            Distribution::Triangular { min, mode, max } => format!("triangular(min={min}, mode={mode}, max={max})"),
            Distribution::Empirical { values } => format!("resampled from {} observations", values.len()),
        }
    }
}

impl std::str::FromStr for Distribution {
    type Err = String;

    /// Parses `name(key=value, ...)`, `fixed(value)` or a bare number, and checks the parameters.
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(value) = text.parse::<f64>() {
            let fixed = Distribution::Fixed { value };
            fixed.sampler()?;
            return Ok(fixed);
        }
        let usage = "write a distribution as lognormal(median=M, p95=P), normal(mean=M, sd=S), \
                     uniform(min=A, max=B), triangular(min=A, mode=M, max=B), fixed(V) or a number";
        let (name, rest) = text.split_once('(').ok_or_else(|| format!("`{text}`: {usage}"))?;
        let body = rest.strip_suffix(')').ok_or_else(|| format!("`{text}`: missing `)`; {usage}"))?;
        let mut params = std::collections::BTreeMap::new();
        for part in body.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').unwrap_or(("value", part));
            let value: f64 =
                value.trim().parse().map_err(|_| format!("`{text}`: `{}` is not a number", value.trim()))?;
            if params.insert(key.trim().to_string(), value).is_some() {
                return Err(format!("`{text}`: `{}` given twice", key.trim()));
            }
        }
        let mut take = |key: &str| params.remove(key).ok_or_else(|| format!("`{text}`: {} needs `{key}`", name.trim()));
        let distribution = match name.trim() {
            "fixed" => Distribution::Fixed { value: take("value")? },
            "normal" => Distribution::Normal { mean: take("mean")?, sd: take("sd")? },
            "lognormal" => Distribution::Lognormal { median: take("median")?, p95: take("p95")? },
            "uniform" => Distribution::Uniform { min: take("min")?, max: take("max")? },
            "triangular" => Distribution::Triangular { min: take("min")?, mode: take("mode")?, max: take("max")? },
            other => return Err(format!("`{text}`: unknown distribution `{other}`; {usage}")),
        };
        if let Some(extra) = params.keys().next() {
            return Err(format!("`{text}`: unknown parameter `{extra}`"));
        }
        distribution.sampler().map_err(|e| format!("`{text}`: {e}"))?;
        Ok(distribution)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_parse_check_and_refuse_what_makes_no_sense() {
        let lognormal: Distribution = "lognormal(median=15000, p95=40000)".parse().unwrap();
        assert_eq!(lognormal, Distribution::Lognormal { median: 15000.0, p95: 40000.0 });
        assert_eq!("12".parse::<Distribution>().unwrap(), Distribution::Fixed { value: 12.0 });
        assert_eq!("fixed(3)".parse::<Distribution>().unwrap(), Distribution::Fixed { value: 3.0 });
        for (bad, says) in [
            ("lognormal(median=15000, p95=10000)", "p95 above the median"),
            ("normal(mean=1, sd=-2)", "sd must be zero or more"),
            ("uniform(min=2, max=1)", "min must be below max"),
            ("triangular(min=0, mode=5, max=2)", "min <= mode <= max"),
            ("lognormal(median=15000)", "needs `p95`"),
            ("lognormal(median=1, p95=2, p99=3)", "unknown parameter `p99`"),
            ("gamma(shape=2)", "unknown distribution `gamma`"),
            ("normal(mean=x, sd=1)", "`x` is not a number"),
            ("normal(mean=1, sd=1", "missing `)`"),
        ] {
            let error = bad.parse::<Distribution>().unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }
}
