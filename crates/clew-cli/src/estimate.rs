//! `clew estimate population`: multiple systems estimation from a capture-history table (clew-service runs
//! it), printed for an analyst (every method side by side, how each chose its model, the warnings) or as JSON,
//! with a chart.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::Args;
use clew_service::estimate::PopulationRefusal;
use clew_stats::mse::Interval;
use clew_stats::mse::estimate::{
    Method, MethodEstimate, PopulationReport, Progress as RunProgress, Settings, SettingsError,
};
use clew_stats::mse::lcmcr::LcmcrError;

use crate::output::{Failure, Output, Progress};

/// What `clew estimate population` takes.
#[derive(Debug, Args)]
pub struct PopulationArgs {
    /// The capture-history table (CSV): one 0/1 column per list, a `count` column (people seen on exactly
    /// that combination of lists), and any stratum columns named by --stratum.
    pub file: PathBuf,
    /// main, aic, bic, stepwise-bhs, stepwise-csv, lcmcr, or all (every method side by side); several may be
    /// given, comma-separated.
    #[arg(long, default_value = "all", value_delimiter = ',')]
    pub method: Vec<String>,
    /// A column that divides the table into strata, each estimated apart and then totalled (repeatable).
    #[arg(long = "stratum", value_name = "COLUMN")]
    pub strata: Vec<String>,
    /// The intervals' level, from 0.5 up to (not including) 1.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    /// Bootstrap replicates for the log-linear methods' BCa intervals (100 to 10,000).
    #[arg(long, default_value_t = 1000)]
    pub replicates: usize,
    /// Seed: the same seed gives the same result.
    #[arg(long, default_value_t = 19_481_210)]
    pub seed: u64,
    /// aic and bic: bootstrap replicates re-choose among this many of the best models on the data; 0 searches
    /// every model in every replicate (slow with five or six lists).
    #[arg(long, default_value_t = 20)]
    pub top_models: usize,
    /// LCMCR: chains run (1 to 16; their agreement is checked). Chains × (burn-in + samples × thinning) may be at
    /// most 10,000,000 iterations.
    #[arg(long, default_value_t = 4)]
    pub chains: usize,
    /// LCMCR: draws kept per chain (10 to 100,000).
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
    /// LCMCR: iterations discarded at the start of each chain (at most 10,000,000).
    #[arg(long, default_value_t = 10_000)]
    pub burn_in: usize,
    /// LCMCR: iterations per kept draw (1 to 10,000).
    #[arg(long, default_value_t = 50)]
    pub thinning: usize,
    /// Also write a chart of the estimates and intervals here (SVG).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Also write the full result here (JSON, with the draws `clew estimate revenue --workers-from` reads).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Keep the result in the project under this title (logged; shown on the web application's estimates
    /// page and dashboard).
    #[arg(long, value_name = "TITLE")]
    pub keep: Option<String>,
}

/// Runs `clew estimate population`. Settings out of their limits, and methods named that take fewer lists than
/// the table has, are refused before anything runs (exit 2); a table with a bad row is refused with every bad row
/// (exit 3); so is a table from which no method gives an estimate, and then nothing is written.
pub fn population(args: &PopulationArgs, project: &Option<PathBuf>, out: &mut Output) -> Result<(), Failure> {
    // The project is found, and the title checked, before the estimate runs for minutes.
    let keeping = match &args.keep {
        Some(title) => {
            clew_service::estimate::checked_title(title)?;
            Some((crate::service(project)?, crate::actor(None)?))
        }
        None => None,
    };
    let settings = Settings {
        level: args.level,
        replicates: args.replicates,
        seed: args.seed,
        top_models: args.top_models,
        lcmcr: clew_stats::mse::lcmcr::LcmcrSettings {
            chains: args.chains,
            samples: args.samples,
            burn_in: args.burn_in,
            thinning: args.thinning,
            ..Default::default()
        },
        ..Settings::default()
    };
    let estimate = with_progress(out, |progress| {
        clew_service::estimate::estimate_population(&args.file, &args.strata, &args.method, &settings, progress)
    })
    .map_err(|refusal| match refusal {
        PopulationRefusal::Setting(error) => refused(error),
        PopulationRefusal::Failed(error) => error.into(),
    })?;
    // A table that says it is synthetic gives results that say so, in every file made from it.
    crate::output::mark_synthetic(estimate.synthetic);
    if let Some(path) = &args.svg {
        clew_files::write_atomic(path, estimate.svg(&file_name(&args.file)).as_bytes())?;
    }
    if let Some(path) = &args.out {
        clew_files::write_atomic(path, &estimate.json()?)?;
    }
    if let (Some(title), Some((service, actor))) = (&args.keep, &keeping) {
        let kept = service.keep_estimate(actor, &estimate.to_keep(title, &file_name(&args.file))?)?;
        out.note(&format!("Kept in the project as estimate {}.", kept.number))?;
    }
    let report = &estimate.report;
    out.value(report, |out| print(out, report, &file_name(&args.file)))
}

/// Runs `run` with a progress bar on standard error (when it is a terminal) for each method in each stratum:
/// bootstrap replicates and jackknife choices, or Gibbs iterations, are what take the time.
fn with_progress<T>(out: &Output, run: impl FnOnce(&(dyn Fn(RunProgress) + Sync)) -> T) -> T {
    let current: Mutex<Option<((usize, Method), Progress)>> = Mutex::new(None);
    let show = |step: RunProgress| {
        // A poisoned lock means a worker panicked, and that panic ends the run anyway: the bar can go.
        let Ok(mut current) = current.lock() else { return };
        let key = (step.stratum, step.method);
        if current.as_ref().is_none_or(|(shown, _)| *shown != key) {
            if let Some((_, mut bar)) = current.take() {
                bar.finish();
            }
            *current = Some((key, out.bar(step.total, progress_label(step.method))));
        }
        if let Some((_, bar)) = current.as_mut() {
            bar.set(step.done);
        }
    };
    let result = run(&show);
    if let Ok(mut current) = current.lock()
        && let Some((_, mut bar)) = current.take()
    {
        bar.finish();
    }
    result
}

/// What a method's progress bar counts.
fn progress_label(method: Method) -> &'static str {
    match method {
        Method::Main => "main: bootstrap replicates and jackknife fits",
        Method::Aic => "aic: bootstrap replicates and jackknife choices",
        Method::Bic => "bic: bootstrap replicates and jackknife choices",
        Method::StepwiseBhs => "stepwise-bhs: bootstrap replicates and jackknife choices",
        Method::StepwiseCsv => "stepwise-csv: bootstrap replicates and jackknife choices",
        Method::Lcmcr => "lcmcr: Gibbs iterations over all chains",
    }
}

/// The command-line option of a setting that the library names by its field.
fn option(field: &str) -> String {
    format!("--{}", field.replace('_', "-"))
}

/// A setting out of its limits, as the person who typed the command line needs to hear it: the option, the
/// value and the limit (exit 2).
fn refused(error: SettingsError) -> Failure {
    let limits = "docs/estimation.md, \"Limits\", says why";
    match error {
        SettingsError::OutOfRange { field, value, requirement }
        | SettingsError::Lcmcr(LcmcrError::InvalidSetting { field, value, requirement }) => {
            Failure::usage(format!("{}: {value} is out of range: {requirement} ({limits})", option(field)))
        }
        SettingsError::Lcmcr(LcmcrError::TooManyIterations {
            chains,
            burn_in,
            samples,
            thinning,
            iterations,
            limit,
        }) => Failure::usage(format!(
            "--chains {chains} × (--burn-in {burn_in} + --samples {samples} × --thinning {thinning}) is {} Gibbs \
                 iterations, more than the {} a run may take ({limits}): lower one of them",
            people(iterations as f64),
            people(limit as f64)
        )),
        error @ SettingsError::TooManyLists { method, .. } => Failure::usage(format!(
            "--method {}: {error} ({limits}); merge lists, or choose a method that takes more",
            method.name()
        )),
        error @ SettingsError::TooMuchMemory { .. } => Failure::usage(format!(
            "{error} ({limits}): lower --replicates (or --samples or --chains for lcmcr), or estimate fewer methods \
             or strata"
        )),
        SettingsError::Lcmcr(error) => Failure::usage(error.to_string()),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// A number of people, with thousands separated.
fn people(value: f64) -> String {
    if value.is_infinite() {
        return "no bound".into();
    }
    let digits = format!("{:.0}", value.max(0.0));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

fn range(interval: Option<Interval>) -> String {
    interval.map_or_else(|| "—".into(), |i| format!("{} – {}", people(i.low), people(i.high)))
}

fn print(out: &mut Output, report: &PopulationReport, file: &str) -> Result<(), Failure> {
    let percent = format!("{:.0}%", report.level * 100.0);
    out.line(&format!(
        "Population estimates from {file}: {} lists ({}).",
        report.lists.len(),
        report.lists.join(", ")
    ))?;
    out.line(&format!(
        "Intervals are {percent}. \"Re-chosen\": BCa bootstrap ({} replicates, seed {}), the model chosen again in every \
         replicate. \"Model fixed\": profile likelihood, the chosen model taken as true.",
        report.replicates, report.seed
    ))?;
    for stratum in &report.strata {
        out.line("")?;
        let place = if stratum.stratum.is_empty() {
            String::new()
        } else {
            format!(
                "Stratum {}: ",
                report
                    .stratum_columns
                    .iter()
                    .zip(&stratum.stratum)
                    .map(|(c, v)| format!("{c} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.line(&format!(
            "{place}{} people seen on {} list(s) ({}).",
            people(stratum.observed),
            stratum.lists_used.len(),
            stratum.lists_used.join(", ")
        ))?;
        if let Some(why) = &stratum.not_estimable {
            out.line(&format!("  {why}"))?;
            continue;
        }
        out.line(&format!(
            "  {:<13} {:<28} {:>9}  {:<21} {:<21}",
            "method", "model", "estimate", "interval (re-chosen)", "model fixed"
        ))?;
        for m in &stratum.methods {
            print_row(out, m)?;
        }
        out.line("  How each model was chosen:")?;
        for m in &stratum.methods {
            for (i, line) in m.explanation.iter().enumerate() {
                let label = if i == 0 { m.method.name() } else { "" };
                out.line(&format!("    {label:<13} {line}"))?;
            }
        }
        let warned: Vec<&MethodEstimate> = stratum.methods.iter().filter(|m| !m.warnings.is_empty()).collect();
        if !warned.is_empty() {
            out.line("  Warnings:")?;
            for m in warned {
                for line in &m.warnings {
                    out.line(&format!("    {:<13} {line}", m.method.name()))?;
                }
            }
        }
    }
    if !report.totals.is_empty() {
        out.line("")?;
        out.line(&format!("Totals over the strata (intervals: {percent} of the sums of the strata's draws):"))?;
        for total in &report.totals {
            match (&total.estimate, &total.not_estimable) {
                (Some(e), _) => {
                    out.line(&format!("  {:<13} {:>9}  {}", total.method.name(), people(*e), range(total.interval)))?
                }
                (None, why) => out.line(&format!("  {:<13} {}", total.method.name(), why.as_deref().unwrap_or("")))?,
            }
        }
    }
    for warning in &report.warnings {
        out.line("")?;
        out.line(&format!("Note: {warning}."))?;
    }
    out.line("")?;
    out.line(
        "These estimates assume a closed population, perfect linkage of the lists, and that the model captures how \
         the lists depend on each other; docs/estimation.md says what each warning means and what not to conclude.",
    )
}

fn print_row(out: &mut Output, m: &MethodEstimate) -> Result<(), Failure> {
    let name = m.method.name();
    match (&m.estimate, &m.not_estimable) {
        (Some(estimate), _) => {
            let mut model = m.model.clone().unwrap_or_default();
            if model.chars().count() > 28 {
                model = format!("{}…", model.chars().take(27).collect::<String>());
            }
            out.line(&format!(
                "  {name:<13} {model:<28} {:>9}  {:<21} {:<21}",
                people(*estimate),
                range(m.interval),
                if m.method == Method::Lcmcr { "(posterior)".into() } else { range(m.profile) }
            ))
        }
        (None, why) => out.line(&format!("  {name:<13} {}", why.as_deref().unwrap_or("no estimate"))),
    }
}

/// Runs `clew estimate list`: the estimates kept in the project, newest first, with their figures.
pub fn list(service: &clew_service::Service, out: &mut Output) -> Result<(), Failure> {
    let kept = service.kept_estimates()?;
    out.value(&kept, |out| {
        if kept.is_empty() {
            return out.line("no estimate kept: `clew estimate population ... --keep TITLE` keeps one");
        }
        for estimate in &kept {
            let synthetic = if estimate.synthetic { " (SYNTHETIC: fictional data)" } else { "" };
            out.line(&format!(
                "{}. {} [{}]{synthetic}, kept {} by {}",
                estimate.number,
                estimate.title,
                estimate.kind.as_str(),
                estimate.recorded_at,
                estimate.recorded_by
            ))?;
            for figure in &estimate.headline {
                let bound = |v: Option<f64>| v.map_or_else(|| "unbounded".to_string(), |v| format!("{v:.0}"));
                out.line(&format!(
                    "   {:<8} {:>14.0}   {:.0}% interval {} to {}",
                    figure.label,
                    figure.estimate,
                    figure.level * 100.0,
                    bound(figure.low),
                    bound(figure.high)
                ))?;
            }
        }
        Ok(())
    })
}
