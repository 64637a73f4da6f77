//! The population estimate as an analyst asks for it: one or more methods run on every stratum of a table,
//! each with its point estimate, intervals, chosen model, the reasons for the choice and the warnings; totals
//! across strata; and the spread between methods, because the choice of model matters more than sampling
//! error.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::lcmcr::{LcmcrError, LcmcrSettings, lcmcr_with_progress};
use super::model::{Fit, FitError, Interval, Model, fit, profile_interval, term_name};
use super::resample::{Bootstrap, bca_with_progress, jackknife_choices};
use super::select::{Criterion, Selected, best_among, by_criterion, stepwise_bhs, stepwise_csv};
use super::table::CaptureTable;
use super::thousands;

/// The version of the report's JSON.
pub const REPORT_FORMAT: &str = "clew-population-v1";

/// A way to estimate the population.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Main effects only: the lists independent.
    Main,
    /// The hierarchical model with the lowest AIC.
    Aic,
    /// The hierarchical model with the lowest BIC.
    Bic,
    /// Bales, Hesketh & Silverman's stepwise (AIC, Wald p ≤ 0.05).
    StepwiseBhs,
    /// Chan, Silverman & Vincent's stepwise (Poisson tail p < 0.02).
    StepwiseCsv,
    /// The Bayesian latent-class model (Manrique-Vallier 2016).
    Lcmcr,
}

impl Method {
    /// Every method, in the order `all` prints them.
    pub const ALL: [Method; 6] =
        [Method::Main, Method::Aic, Method::Bic, Method::StepwiseBhs, Method::StepwiseCsv, Method::Lcmcr];

    /// The method's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Method::Main => "main",
            Method::Aic => "aic",
            Method::Bic => "bic",
            Method::StepwiseBhs => "stepwise-bhs",
            Method::StepwiseCsv => "stepwise-csv",
            Method::Lcmcr => "lcmcr",
        }
    }

    /// The method of a name, if it is one.
    pub fn parse(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The most lists (with records, in one stratum) the method takes. The time of a log-linear method is
    /// 1,000 model choices for the bootstrap plus one per pattern with people for the jackknife, and a choice's
    /// time grows with the patterns (2^lists) and, for the stepwise procedures, with the pairs tried at every
    /// step. Measured on a dense synthetic table of 20,000 people (`cargo bench -p clew-stats --bench
    /// mse_limits`, 2 cores), a default run of one method on one stratum takes, at these limits and one list
    /// beyond them: main 68 s at 15 lists, 163 s at 16; stepwise-csv 38 s at 10, 146 s at 11; stepwise-bhs 27 s
    /// at 8, 140 s at 9, and over four hours at 12 (it fits every remaining pair at every step). The limits keep
    /// a default run within about two minutes there. AIC and BIC search every hierarchical model, which six
    /// lists already make 32,768 of. LCMCR's iteration grows only with the patterns that have people: 77 s for
    /// the default run at 16 lists, the most a table may have.
    pub fn max_lists(self) -> usize {
        match self {
            Method::Main => 15,
            Method::Aic | Method::Bic => 6,
            Method::StepwiseCsv => 10,
            Method::StepwiseBhs => 8,
            Method::Lcmcr => super::table::MAX_LISTS,
        }
    }
}

/// The fewest bootstrap replicates: fewer cannot place the ends of a 95% BCa interval.
pub const MIN_REPLICATES: usize = 100;

/// The most bootstrap replicates. Efron & Tibshirani (1993) ask 1,000 or more for BCa; with 10,000 the
/// probability level at which a 95% interval's end is read is off by about 0.16 percentage points (the standard
/// error of a 2.5% quantile's level, √(0.025 × 0.975 / 10,000)), far less than the choice of model moves it. The
/// time grows with every replicate, each a whole model choice: 10,000 is ten times the default, about twenty
/// minutes for the slowest method on the most lists it takes (see [`Method::max_lists`]).
pub const MAX_REPLICATES: usize = 10_000;

/// The most memory the draws kept by a run may take: 1 GiB, well under the 2 GB a modest machine can spare.
pub const MAX_DRAW_MEMORY: u64 = 1 << 30;

/// Bytes one kept draw costs at the peak of a run, rounded up: 8 in the report, 24 more while its bootstrap or
/// chains run, and its line in the JSON the command writes (about 32 characters). Measured with `clew --json
/// estimate population` on 2,000 strata by `main`: 1,000 replicates (2.0 million draws) peaked at 171 MB of
/// resident memory, 100 replicates at 52 MB, so 66 bytes a draw. At this figure [`MAX_DRAW_MEMORY`] allows
/// about 10.7 million draws: 1,190 strata by every method at the default settings.
pub const BYTES_PER_DRAW: u64 = 100;

/// A setting of [`Settings`] or its latent-class part out of its range, found before anything is run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// A setting of the log-linear methods or the report out of its range.
    #[error("settings.{field} is {value}: {requirement}")]
    OutOfRange {
        /// The name of the setting: the field of [`Settings`].
        field: &'static str,
        /// The value given.
        value: String,
        /// What the setting must be, with its limits.
        requirement: String,
    },
    /// A setting of the latent-class sampler out of its range, or a run of it too long.
    #[error(transparent)]
    Lcmcr(LcmcrError),
    /// The draws the run would keep need more memory than [`MAX_DRAW_MEMORY`].
    #[error(
        "the draws kept for {strata} stratum/strata by {methods} method(s) ({draws} numbers) would take about {} MB, \
         more than the {} MB a run may use",
        bytes.div_ceil(1 << 20),
        limit >> 20
    )]
    TooMuchMemory {
        /// Strata in the table.
        strata: usize,
        /// Methods asked for.
        methods: usize,
        /// Draws the run would keep: per stratum, the replicates of every log-linear method and the chains ×
        /// samples of LCMCR; and as many again for the totals when there are strata.
        draws: u128,
        /// Their memory, at [`BYTES_PER_DRAW`].
        bytes: u128,
        /// [`MAX_DRAW_MEMORY`].
        limit: u64,
    },
    /// A method asked for by name has more lists than it takes ([`Method::max_lists`]) in some stratum.
    #[error(
        "{} takes at most {limit} lists, and {lists} have records{}: it would not finish in reasonable time",
        method.name(),
        if stratum.is_empty() { String::new() } else { format!(" in the stratum {}", stratum.join("/")) }
    )]
    TooManyLists {
        /// The method.
        method: Method,
        /// The lists with records in the stratum.
        lists: usize,
        /// [`Method::max_lists`].
        limit: usize,
        /// The stratum (empty for a table without strata).
        stratum: Vec<String>,
    },
}

/// How to estimate.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The intervals' level (0.95: 95%).
    pub level: f64,
    /// Bootstrap replicates for the log-linear methods ([`MIN_REPLICATES`] to [`MAX_REPLICATES`]).
    pub replicates: usize,
    /// The seed of every random draw (stratum i uses seed + i·2³²).
    pub seed: u64,
    /// Chan–Silverman–Vincent's threshold.
    pub csv_threshold: f64,
    /// Bales–Hesketh–Silverman's threshold.
    pub bhs_threshold: f64,
    /// AIC and BIC: bootstrap replicates re-choose among this many of the best models on the data (0: among
    /// all of them, the full search in every replicate).
    pub top_models: usize,
    /// The latent-class sampler's settings (its seed and level are replaced by `seed` and `level`).
    pub lcmcr: LcmcrSettings,
}

impl Settings {
    /// Checks every setting against its range, the latent-class sampler's among them ([`LcmcrSettings::check`]),
    /// before anything is run.
    pub fn check(&self) -> Result<(), SettingsError> {
        let out_of_range = |field: &'static str, value: String, requirement: String| {
            Err(SettingsError::OutOfRange { field, value, requirement })
        };
        if !(self.level > 0.0 && self.level < 1.0) {
            return out_of_range("level", self.level.to_string(), "it must be between 0 and 1".into());
        }
        if !(MIN_REPLICATES..=MAX_REPLICATES).contains(&self.replicates) {
            let range = format!("it must be between {MIN_REPLICATES} and {}", thousands(MAX_REPLICATES as u64));
            return out_of_range("replicates", self.replicates.to_string(), range);
        }
        for (field, value) in [("csv_threshold", self.csv_threshold), ("bhs_threshold", self.bhs_threshold)] {
            if !(value > 0.0 && value < 1.0) {
                return out_of_range(field, value.to_string(), "it must be between 0 and 1".into());
            }
        }
        self.lcmcr.check().map(|_| ()).map_err(SettingsError::Lcmcr)
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            level: 0.95,
            replicates: 1000,
            seed: 19_481_210,
            csv_threshold: 0.02,
            bhs_threshold: 0.05,
            top_models: 20,
            lcmcr: LcmcrSettings::default(),
        }
    }
}

/// One method's estimate of one stratum.
#[derive(Debug, Clone, Serialize)]
pub struct MethodEstimate {
    /// The method.
    pub method: Method,
    /// The chosen model, in the lists' names (log-linear methods).
    pub model: Option<String>,
    /// The point estimate of the population (posterior median for LCMCR).
    pub estimate: Option<f64>,
    /// The headline interval: BCa bootstrap with the model re-chosen in every replicate, or the posterior
    /// interval.
    pub interval: Option<Interval>,
    /// What the headline interval is.
    pub interval_kind: &'static str,
    /// The profile-likelihood interval, which holds the chosen model fixed (log-linear methods).
    pub profile: Option<Interval>,
    /// AIC and BIC of the chosen model.
    pub aic: Option<f64>,
    /// See `aic`.
    pub bic: Option<f64>,
    /// Bootstrap diagnostics (its draws moved to `draws`).
    pub bootstrap: Option<Bootstrap>,
    /// LCMCR's convergence diagnostics: split R-hat of N across chains.
    pub r_hat: Option<f64>,
    /// LCMCR's effective sample size of N.
    pub effective_sample_size: Option<f64>,
    /// The replicates' or posterior draws' estimates, for totals and the revenue estimate.
    pub draws: Vec<f64>,
    /// How the model was chosen, in words.
    pub explanation: Vec<String>,
    /// What the reader must know before using the number.
    pub warnings: Vec<String>,
    /// Why there is no estimate, when there is none.
    pub not_estimable: Option<String>,
}

impl MethodEstimate {
    fn empty(method: Method) -> MethodEstimate {
        MethodEstimate {
            method,
            model: None,
            estimate: None,
            interval: None,
            interval_kind: "",
            profile: None,
            aic: None,
            bic: None,
            bootstrap: None,
            r_hat: None,
            effective_sample_size: None,
            draws: Vec::new(),
            explanation: Vec::new(),
            warnings: Vec::new(),
            not_estimable: None,
        }
    }

    fn refused(method: Method, why: String) -> MethodEstimate {
        MethodEstimate { not_estimable: Some(why), ..MethodEstimate::empty(method) }
    }
}

/// The estimates of one stratum.
#[derive(Debug, Clone, Serialize)]
pub struct StratumEstimate {
    /// The stratum's values, in the order of the stratum columns (empty for a table without strata).
    pub stratum: Vec<String>,
    /// People seen on some list.
    pub observed: f64,
    /// The lists with someone on them in this stratum: the others are left out of its models.
    pub lists_used: Vec<String>,
    /// Why the stratum cannot be estimated, when it cannot.
    pub not_estimable: Option<String>,
    /// Each method's estimate.
    pub methods: Vec<MethodEstimate>,
}

/// One method's total over the strata.
#[derive(Debug, Clone, Serialize)]
pub struct Total {
    /// The method.
    pub method: Method,
    /// The sum of the strata's estimates.
    pub estimate: Option<f64>,
    /// The percentile interval of the sums of the strata's draws (the strata are estimated independently).
    pub interval: Option<Interval>,
    /// Why there is no total.
    pub not_estimable: Option<String>,
    /// The sums of the strata's draws, for the revenue estimate.
    pub draws: Vec<f64>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct PopulationReport {
    /// `clew-population-v1`.
    pub format: &'static str,
    /// The table's lists.
    pub lists: Vec<String>,
    /// The stratum columns.
    pub stratum_columns: Vec<String>,
    /// The intervals' level.
    pub level: f64,
    /// Bootstrap replicates.
    pub replicates: usize,
    /// The seed.
    pub seed: u64,
    /// Each stratum (one, with no values, for a table without strata).
    pub strata: Vec<StratumEstimate>,
    /// Totals over the strata, by method (only for more than one stratum).
    pub totals: Vec<Total>,
    /// Warnings about the report as a whole: how far the methods disagree.
    pub warnings: Vec<String>,
}

/// At least this many lists with records for a stratum to be estimated (HRDAG's rule).
pub const MIN_LISTS_PER_STRATUM: usize = 3;

/// How far a run has got, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The stratum being estimated, from 0.
    pub stratum: usize,
    /// The strata in all.
    pub strata: usize,
    /// The method running.
    pub method: Method,
    /// Its steps done: model choices (bootstrap replicates, then the jackknife's) for a log-linear method, Gibbs
    /// iterations over all chains for LCMCR.
    pub done: u64,
    /// Its steps in all.
    pub total: u64,
}

/// Whether each method asked for by name takes as many lists as every stratum has records on
/// ([`Method::max_lists`]). A method over its limit is refused stratum by stratum in the report anyway; this
/// is for callers that want to refuse it before anything runs, as the command line does for methods named.
pub fn check_lists(table: &CaptureTable, methods: &[Method]) -> Result<(), SettingsError> {
    for stratum in table.cells.keys() {
        let lists = table.lists_with_records(stratum).len();
        if let Some(method) = methods.iter().find(|m| lists > m.max_lists()) {
            let (method, limit, stratum) = (*method, method.max_lists(), stratum.clone());
            return Err(SettingsError::TooManyLists { method, lists, limit, stratum });
        }
    }
    Ok(())
}

/// The draws a run keeps, and whether they fit in [`MAX_DRAW_MEMORY`].
fn check_memory(strata: usize, methods: &[Method], settings: &Settings) -> Result<(), SettingsError> {
    let per_stratum: u128 = methods
        .iter()
        .map(|m| match m {
            Method::Lcmcr => settings.lcmcr.chains as u128 * settings.lcmcr.samples as u128,
            _ => settings.replicates as u128,
        })
        .sum();
    let totals = if strata > 1 { per_stratum } else { 0 };
    let draws = strata as u128 * per_stratum + totals;
    let bytes = draws * u128::from(BYTES_PER_DRAW);
    if bytes > u128::from(MAX_DRAW_MEMORY) {
        return Err(SettingsError::TooMuchMemory {
            strata,
            methods: methods.len(),
            draws,
            bytes,
            limit: MAX_DRAW_MEMORY,
        });
    }
    Ok(())
}

/// Estimates every stratum of the table by every method asked for, once the settings and the memory the run
/// needs are checked. A method with more lists in a stratum than it takes ([`Method::max_lists`]) is refused
/// there, with the reason.
pub fn estimate_population(
    table: &CaptureTable,
    methods: &[Method],
    settings: &Settings,
) -> Result<PopulationReport, SettingsError> {
    estimate_population_with_progress(table, methods, settings, &|_| {})
}

/// [`estimate_population`], telling `progress` how far each method has got in each stratum (from the threads
/// that do the work).
pub fn estimate_population_with_progress(
    table: &CaptureTable,
    methods: &[Method],
    settings: &Settings,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<PopulationReport, SettingsError> {
    settings.check()?;
    check_memory(table.cells.len(), methods, settings)?;
    let stratified = !table.stratum_columns.is_empty();
    let count = table.cells.len();
    // Each stratum draws from its own seed, so that the strata's draws are independent and can be summed.
    let strata: Vec<StratumEstimate> = table
        .cells
        .keys()
        .enumerate()
        .map(|(index, stratum)| {
            let settings = Settings { seed: settings.seed.wrapping_add((index as u64) << 32), ..settings.clone() };
            let progress = |method: Method, done: u64, total: u64| {
                progress(Progress { stratum: index, strata: count, method, done, total })
            };
            estimate_stratum(table, stratum, stratified, methods, &settings, &progress)
        })
        .collect();
    let mut totals = Vec::new();
    if strata.len() > 1 {
        for (m, method) in methods.iter().enumerate() {
            totals.push(total(&strata, m, *method, settings.level));
        }
    }
    let mut warnings = Vec::new();
    for stratum in &strata {
        let estimates: Vec<(Method, f64)> =
            stratum.methods.iter().filter_map(|m| m.estimate.map(|e| (m.method, e))).collect();
        let low = estimates.iter().min_by(|a, b| a.1.total_cmp(&b.1));
        let high = estimates.iter().max_by(|a, b| a.1.total_cmp(&b.1));
        if let (Some(low), Some(high)) = (low, high)
            && estimates.len() > 1
            && high.1 > 1.25 * low.1
        {
            let place =
                if stratum.stratum.is_empty() { String::new() } else { format!("{}: ", stratum.stratum.join("/")) };
            warnings.push(format!(
                "{place}the methods disagree: from {:.0} ({}) to {:.0} ({}), a factor of {:.1}. The choice of model \
                 matters more here than sampling error; report the range, not one number",
                low.1,
                low.0.name(),
                high.1,
                high.0.name(),
                high.1 / low.1
            ));
        }
    }
    Ok(PopulationReport {
        format: REPORT_FORMAT,
        lists: table.lists.clone(),
        stratum_columns: table.stratum_columns.clone(),
        level: settings.level,
        replicates: settings.replicates,
        seed: settings.seed,
        strata,
        totals,
        warnings,
    })
}

impl PopulationReport {
    /// Whether any method gave a number for any stratum: a report without one has only reasons.
    pub fn has_estimate(&self) -> bool {
        self.strata.iter().any(|s| s.methods.iter().any(|m| m.estimate.is_some()))
    }
}

/// A method's progress in a stratum: the method, its steps done and its steps in all.
type StratumProgress<'a> = dyn Fn(Method, u64, u64) + Sync + 'a;

fn estimate_stratum(
    table: &CaptureTable,
    stratum: &[String],
    stratified: bool,
    methods: &[Method],
    settings: &Settings,
    progress: &StratumProgress,
) -> StratumEstimate {
    let all = table.counts(stratum);
    let t = table.lists.len();
    let used = table.lists_with_records(stratum);
    let lists: Vec<String> = used.iter().map(|i| table.lists[*i].clone()).collect();
    let observed: f64 = all.iter().sum();
    let mut result = StratumEstimate {
        stratum: stratum.to_vec(),
        observed,
        lists_used: lists.clone(),
        not_estimable: None,
        methods: Vec::new(),
    };
    let needed = if stratified { MIN_LISTS_PER_STRATUM } else { 2 };
    if used.len() < needed {
        let why = format!(
            "not estimable: only {} list(s) have records here ({}); a stratum needs at least {needed}",
            used.len(),
            if lists.is_empty() { "none".to_string() } else { lists.join(", ") }
        );
        result.methods = methods.iter().map(|m| MethodEstimate::refused(*m, why.clone())).collect();
        result.not_estimable = Some(why);
        return result;
    }
    // The counts over the lists used only (the lists left out have no one on them here).
    let mut counts = vec![0.0; (1 << used.len()) - 1];
    for (p, c) in all.iter().enumerate() {
        if *c > 0.0 {
            let pattern: usize = used.iter().enumerate().map(|(bit, list)| ((p + 1) >> list & 1) << bit).sum();
            counts[pattern - 1] += c;
        }
    }
    let mut stratum_warnings = Vec::new();
    if used.len() < t {
        let left_out: Vec<&str> = (0..t).filter(|i| !used.contains(i)).map(|i| table.lists[i].as_str()).collect();
        stratum_warnings.push(format!("lists with no one on them here are left out: {}", left_out.join(", ")));
    }
    if used.len() == 2 {
        stratum_warnings
            .push("with two lists the estimate rests on their independence, which two lists cannot test".to_string());
    }
    result.methods = methods
        .iter()
        .map(|method| {
            if lists.len() > method.max_lists() {
                return MethodEstimate::refused(
                    *method,
                    format!(
                        "{} takes at most {} lists, and {} have records here: it would not finish in reasonable time \
                         (docs/estimation.md, \"Limits\"); merge lists, or use a method that takes more",
                        method.name(),
                        method.max_lists(),
                        lists.len()
                    ),
                );
            }
            let done = AtomicU64::new(0);
            let mut estimate = match method {
                Method::Lcmcr => {
                    // Checked settings: at most MAX_ITERATIONS in all, so this cannot overflow.
                    let total = (settings.lcmcr.chains
                        * (settings.lcmcr.burn_in + settings.lcmcr.samples * settings.lcmcr.thinning))
                        as u64;
                    progress(*method, 0, total);
                    let step = |n: u64| progress(*method, done.fetch_add(n, Ordering::Relaxed) + n, total);
                    by_lcmcr(&counts, lists.len(), settings, &step)
                }
                _ => {
                    let total = (settings.replicates + jackknife_choices(&counts)) as u64;
                    progress(*method, 0, total);
                    let step = |n: u64| progress(*method, done.fetch_add(n, Ordering::Relaxed) + n, total);
                    by_log_linear(*method, &counts, &lists, settings, &step)
                }
            };
            estimate.warnings.splice(0..0, stratum_warnings.iter().cloned());
            estimate
        })
        .collect();
    result
}

/// A model choice repeated on a bootstrap replicate's counts: the population estimate, if any.
type Choose = Box<dyn Fn(&[f64]) -> Option<f64> + Sync>;

/// A stepwise procedure.
type Stepwise = fn(&[f64], &[String], f64) -> Result<Selected, FitError>;

fn by_log_linear(
    method: Method,
    counts: &[f64],
    lists: &[String],
    settings: &Settings,
    progress: &(dyn Fn(u64) + Sync),
) -> MethodEstimate {
    let refused = |e: FitError| MethodEstimate::refused(method, e.to_string());
    let (selected, choose): (Selected, Choose) = match method {
        Method::Main => {
            let found = match fit(counts, lists, &Model::main_effects()) {
                Ok(f) => f,
                Err(e) => return refused(e),
            };
            let lists = lists.to_vec();
            let choose = move |c: &[f64]| fit(c, &lists, &Model::main_effects()).ok().map(|f| f.estimate);
            (
                Selected { fit: found, explanation: vec!["main effects only: the lists independent".into()] },
                Box::new(choose),
            )
        }
        Method::Aic | Method::Bic => {
            let criterion = if method == Method::Aic { Criterion::Aic } else { Criterion::Bic };
            let (mut selected, fits) = match by_criterion(counts, lists, criterion) {
                Ok(s) => s,
                Err(e) => return refused(e),
            };
            let mut ranked: Vec<&Fit> = fits.iter().filter_map(|(_, f)| f.as_ref().ok()).collect();
            ranked.sort_by(|x, y| criterion.of(x).total_cmp(&criterion.of(y)));
            let keep = if settings.top_models == 0 { ranked.len() } else { settings.top_models };
            let top: Vec<Model> = ranked.iter().take(keep).map(|f| f.model.clone()).collect();
            selected.explanation.push(if top.len() == ranked.len() {
                format!("bootstrap replicates re-choose among all {} models that fit these data", top.len())
            } else {
                format!(
                    "bootstrap replicates re-choose among the {} best models by {} on these data (Silverman, Chan & \
                     Vincent 2024; --top-models 0 searches them all)",
                    top.len(),
                    criterion.name()
                )
            });
            let lists = lists.to_vec();
            let choose = move |c: &[f64]| best_among(c, &lists, &top, criterion).map(|f| f.estimate);
            (selected, Box::new(choose))
        }
        Method::StepwiseBhs | Method::StepwiseCsv => {
            let (threshold, procedure): (f64, Stepwise) = if method == Method::StepwiseBhs {
                (settings.bhs_threshold, stepwise_bhs)
            } else {
                (settings.csv_threshold, stepwise_csv)
            };
            let selected = match procedure(counts, lists, threshold) {
                Ok(s) => s,
                Err(e) => return refused(e),
            };
            let lists = lists.to_vec();
            let choose = move |c: &[f64]| procedure(c, &lists, threshold).ok().map(|s| s.fit.estimate);
            (selected, Box::new(choose))
        }
        Method::Lcmcr => unreachable!("LCMCR is not a log-linear method"),
    };
    let found = &selected.fit;
    let mut result = MethodEstimate::empty(method);
    result.model = Some(found.model.describe(lists));
    result.estimate = Some(found.estimate);
    result.aic = Some(found.aic);
    result.bic = Some(found.bic);
    result.explanation = selected.explanation.clone();
    result.warnings.extend(extended_warnings(found, lists));
    match profile_interval(counts, lists, found, settings.level) {
        Ok(profile) => {
            if profile.high.is_infinite() {
                result.warnings.push("the profile likelihood sets no upper bound on the population".into());
            }
            result.profile = Some(profile);
        }
        Err(e) => result.warnings.push(format!("no profile-likelihood interval: {e}")),
    }
    let mut bootstrap = bca_with_progress(
        counts,
        found.estimate,
        choose.as_ref(),
        settings.replicates,
        settings.seed,
        settings.level,
        progress,
    );
    result.warnings.extend(bootstrap.warnings.iter().cloned());
    result.interval = bootstrap.interval;
    result.interval_kind =
        if method == Method::Main { "BCa bootstrap" } else { "BCa bootstrap, the model re-chosen in every replicate" };
    // Moved, not copied: the bootstrap's own copy is not written out, and the draws are most of a run's memory.
    result.draws = std::mem::take(&mut bootstrap.draws);
    result.bootstrap = Some(bootstrap);
    if found.estimate > 10.0 * found.observed {
        result.warnings.push(format!(
            "the estimate is {:.0} times the number seen: the lists overlap too little for it to be more than a \
             guess",
            found.estimate / found.observed
        ));
    }
    result
}

/// What a fit that needed the extended estimate must say: which interactions are minus infinity, how many
/// empty patterns the existence check fitted as zero.
fn extended_warnings(found: &Fit, lists: &[String]) -> Vec<String> {
    let mut warnings: Vec<String> = found
        .infinite_terms
        .iter()
        .map(|term| {
            format!(
                "no one is on all of {} together: that interaction is minus infinity and those patterns are fitted \
                 as zero (the extended maximum-likelihood estimate)",
                term_name(*term, lists).replace('×', ", ")
            )
        })
        .collect();
    if !found.zero_patterns.is_empty() {
        warnings.push(format!(
            "{} empty pattern(s) are fitted as zero by the extended maximum-likelihood estimate; the number missed \
             is still determined",
            found.zero_patterns.len()
        ));
    }
    warnings
}

fn by_lcmcr(counts: &[f64], lists: usize, settings: &Settings, progress: &(dyn Fn(u64) + Sync)) -> MethodEstimate {
    let method = Method::Lcmcr;
    if lists < 3 {
        return MethodEstimate::refused(method, "the latent-class model needs at least three lists".into());
    }
    let lcmcr_settings = LcmcrSettings { seed: settings.seed, level: settings.level, ..settings.lcmcr.clone() };
    let found = match lcmcr_with_progress(counts, lists, &lcmcr_settings, progress) {
        Ok(f) => f,
        Err(e) => return MethodEstimate::refused(method, e.to_string()),
    };
    let mut result = MethodEstimate::empty(method);
    result.model = Some(format!("latent classes (at most {}), Dirichlet-process mixture", lcmcr_settings.classes));
    result.estimate = Some(found.estimate);
    result.interval = Some(Interval { low: found.low, high: found.high });
    result.interval_kind = "posterior interval";
    result.r_hat = Some(found.r_hat);
    result.effective_sample_size = Some(found.ess);
    result.explanation = vec![format!(
        "{} chains × {} kept draws (burn-in {}, thinning {}), {} Gibbs iterations in all; R-hat {:.3}, effective \
         sample size {:.0}",
        lcmcr_settings.chains,
        lcmcr_settings.samples,
        lcmcr_settings.burn_in,
        lcmcr_settings.thinning,
        found.iterations,
        found.r_hat,
        found.ess
    )];
    result.warnings = found.warnings.clone();
    result.draws = found.draws.into_iter().flatten().collect();
    result
}

fn total(strata: &[StratumEstimate], m: usize, method: Method, level: f64) -> Total {
    let missing: Vec<String> = strata
        .iter()
        .filter(|s| s.methods[m].estimate.is_none() || s.methods[m].draws.is_empty())
        .map(|s| s.stratum.join("/"))
        .collect();
    if !missing.is_empty() {
        return Total {
            method,
            estimate: None,
            interval: None,
            not_estimable: Some(format!("not estimable: no estimate for {}", missing.join(", "))),
            draws: Vec::new(),
        };
    }
    let estimate: f64 = strata.iter().filter_map(|s| s.methods[m].estimate).sum();
    let length = strata.iter().map(|s| s.methods[m].draws.len()).min().unwrap_or(0);
    let mut sums: Vec<f64> = (0..length).map(|i| strata.iter().map(|s| s.methods[m].draws[i]).sum()).collect();
    sums.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    let interval = Some(Interval { low: crate::quantile(&sums, tail), high: crate::quantile(&sums, 1.0 - tail) });
    Total { method, estimate: Some(estimate), interval, not_estimable: None, draws: sums }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table where the existence check, not an empty interaction, fits four empty patterns as zero: no one is
    /// on list A without list D, and the model [A×C, A×D] can push those patterns to zero while the number
    /// missed stays determined.
    #[test]
    fn the_extended_estimate_is_flagged() {
        let lists: Vec<String> = ["A", "B", "C", "D"].iter().map(|s| s.to_string()).collect();
        let counts = [0.0, 5.0, 0.0, 13.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 2.0, 14.0, 2.0, 6.0, 19.0];
        let found = fit(&counts, &lists, &Model { terms: vec![0b0101, 0b1001] }).unwrap();
        assert_eq!(found.zero_patterns, vec![0b0001, 0b0011, 0b0101, 0b0111]);
        assert!(found.estimate.is_finite() && found.estimate > found.observed);
        let said = extended_warnings(&found, &lists);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].starts_with("4 empty pattern(s) are fitted as zero"), "{said:?}");
    }
}
