//! The two estimates: the population of workers from overlapping lists (multiple systems estimation over a
//! capture-history table), and the state's revenue from them, with the files each writes (a chart, a table, the
//! full result) labelled synthetic when fictional data went in.

use std::path::Path;

use clew_model::Diagnostic;
use clew_model::doc::Pos;
use clew_stats::mse::CaptureTable;
use clew_stats::mse::estimate::{
    Method, PopulationReport, Progress, REPORT_FORMAT, Settings, SettingsError, check_lists,
    estimate_population_with_progress,
};
use clew_stats::{Distribution, RevenueInputs, RevenueReport};

use crate::{Actor, Error, LedgerInputs, Result, Service};

/// Why a population estimate was refused: a setting out of its limits (named by its field, for the caller to
/// name by its own option), or any other failure.
#[derive(Debug)]
pub enum PopulationRefusal {
    /// A setting, or a method named for a table with more lists than it takes.
    Setting(SettingsError),
    /// Anything else: the table, a method's name, no estimate at all.
    Failed(Error),
}

impl From<Error> for PopulationRefusal {
    fn from(error: Error) -> Self {
        PopulationRefusal::Failed(error)
    }
}

/// A population estimate and whether its table said it is synthetic.
#[derive(Debug)]
pub struct PopulationEstimate {
    /// The report, every method side by side per stratum.
    pub report: PopulationReport,
    /// Whether the table is synthetic: every file made from it says so.
    pub synthetic: bool,
}

/// The methods named (`all` for every one), each once in the order given. The methods named one by one, not
/// through `all`, must run on the table or be refused; they are the second list.
pub fn population_methods(names: &[String]) -> Result<(Vec<Method>, Vec<Method>)> {
    let mut methods = Vec::new();
    let mut named = Vec::new();
    for name in names {
        if name == "all" {
            methods.extend(Method::ALL);
        } else {
            let method = Method::parse(name).ok_or_else(|| {
                Error::usage(format!(
                    "--method: `{name}` is not a method (main, aic, bic, stepwise-bhs, stepwise-csv, lcmcr, all)"
                ))
            })?;
            methods.push(method);
            named.push(method);
        }
    }
    let mut seen = Vec::new();
    methods.retain(|m| {
        let first = !seen.contains(m);
        seen.push(*m);
        first
    });
    Ok((methods, named))
}

/// Estimates the population from the capture-history table in `file` (strata by the columns named), by the
/// methods named, with `settings`; `progress` hears each method's steps. Settings out of their limits, and
/// methods named that take fewer lists than the table has, are refused before anything runs; a table with a
/// bad row is refused with every bad row; so is a table from which no method gives an estimate.
pub fn estimate_population(
    file: &Path,
    strata: &[String],
    methods: &[String],
    settings: &Settings,
    progress: &(dyn Fn(Progress) + Sync),
) -> std::result::Result<PopulationEstimate, PopulationRefusal> {
    let (methods, named) = population_methods(methods)?;
    if !(0.5..1.0).contains(&settings.level) {
        return Err(Error::usage(format!("--level: {} is not between 0.5 and 1", settings.level)).into());
    }
    settings.check().map_err(PopulationRefusal::Setting)?;
    let name = file.display().to_string();
    // A regular file of at most 256 MiB (docs/limits.md): a FIFO would block, and a larger table is no table.
    let text = clew_files::read_text(file, clew_files::limits::DATA_FILE).map_err(Error::from)?;
    let strata: Vec<&str> = strata.iter().map(String::as_str).collect();
    let table = CaptureTable::read(&text, &strata).map_err(|problems| {
        Error::invalid(
            problems
                .into_iter()
                .map(|p| Diagnostic {
                    file: Some(name.clone()),
                    // A problem with the whole row is put at its first column.
                    pos: (p.line > 0).then_some(Pos { line: p.line as u32, column: p.column.max(1) as u32 }),
                    path: String::new(),
                    message: p.message,
                })
                .collect(),
        )
    })?;
    check_lists(&table, &named).map_err(PopulationRefusal::Setting)?;
    let report =
        estimate_population_with_progress(&table, &methods, settings, progress).map_err(PopulationRefusal::Setting)?;
    if !report.has_estimate() {
        return Err(no_estimate(&report, &name).into());
    }
    Ok(PopulationEstimate { report, synthetic: table.synthetic() })
}

/// The failure of a run in which no method gave an estimate for any stratum: the reasons, one per method (or
/// per stratum when the whole stratum is not estimable), with the report.
fn no_estimate(report: &PopulationReport, file: &str) -> Error {
    let diagnostic =
        |message: String| Diagnostic { file: Some(file.to_string()), pos: None, path: String::new(), message };
    let names: Vec<&str> =
        report.strata.first().map_or(Vec::new(), |s| s.methods.iter().map(|m| m.method.name()).collect());
    let mut diagnostics = vec![diagnostic(format!(
        "no method gave an estimate from this table ({}); the reasons follow",
        names.join(", ")
    ))];
    for stratum in &report.strata {
        let place =
            if stratum.stratum.is_empty() { String::new() } else { format!("stratum {}: ", stratum.stratum.join("/")) };
        if let Some(why) = &stratum.not_estimable {
            diagnostics.push(diagnostic(format!("{place}{why}")));
            continue;
        }
        for method in &stratum.methods {
            let why = method.not_estimable.as_deref().unwrap_or("no estimate");
            diagnostics.push(diagnostic(format!("{place}{}: {why}", method.method.name())));
        }
    }
    let error = Error::invalid(diagnostics);
    match serde_json::to_value(report) {
        Ok(value) => error.with_report(value),
        Err(_) => error,
    }
}

impl PopulationEstimate {
    /// The chart of the estimates and intervals (SVG), titled from the table's file name `from`.
    pub fn svg(&self, from: &str) -> String {
        let title = if self.synthetic {
            format!("SYNTHETIC DATA (fictional demo): population estimates from {from}")
        } else {
            format!("Population estimates from {from}")
        };
        clew_stats::chart::population_svg(&self.report, &title)
    }

    /// The full result as JSON, with the draws `estimate revenue --workers-from` reads; `"synthetic": true` in
    /// every object when the table was synthetic.
    pub fn json(&self) -> Result<Vec<u8>> {
        let mut value = serde_json::to_value(&self.report).map_err(|e| Error::internal(e.to_string()))?;
        if self.synthetic {
            crate::label_synthetic(&mut value);
        }
        serde_json::to_vec_pretty(&value).map_err(|e| Error::internal(e.to_string()))
    }
}

/// The number of workers taken from a population estimate's result.
#[derive(Debug, Clone)]
pub struct WorkersFrom {
    /// The draws of the method chosen, as a distribution.
    pub workers: Distribution,
    /// The method.
    pub method: String,
    /// Whether the estimate was made from synthetic data.
    pub synthetic: bool,
}

/// The number of workers as a distribution, from a `clew estimate population` result in `file`: the draws of
/// one method (the total over strata when the result has strata), so the revenue estimate carries the
/// population estimate's uncertainty. With several methods, `method` must choose.
pub fn workers_from(file: &Path, method: Option<&str>) -> Result<WorkersFrom> {
    let name = file.display().to_string();
    // A result's draws make it large (tens of bytes a draw), so it is read as a data file, not a small one.
    let text = clew_files::read_text(file, clew_files::limits::DATA_FILE)?;
    let report: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::usage(format!("{name}: not JSON: {e}")))?;
    workers_from_report(&report, &name, method)
}

/// The number of workers as a distribution, from a population estimate's JSON result `report` (named `name` in
/// messages): see [`workers_from`].
pub fn workers_from_report(report: &serde_json::Value, name: &str, method: Option<&str>) -> Result<WorkersFrom> {
    if report.get("format").and_then(|f| f.as_str()) != Some(REPORT_FORMAT) {
        return Err(Error::usage(format!(
            "{name}: not a `clew estimate population` result (no \"format\": \"{REPORT_FORMAT}\")"
        )));
    }
    let synthetic = report["synthetic"] == true;
    let strata = report["strata"].as_array().cloned().unwrap_or_default();
    let rows: Vec<serde_json::Value> = if strata.len() > 1 {
        report["totals"].as_array().cloned().unwrap_or_default()
    } else {
        strata.first().and_then(|s| s["methods"].as_array().cloned()).unwrap_or_default()
    };
    let with_draws: Vec<&serde_json::Value> =
        rows.iter().filter(|r| r["draws"].as_array().is_some_and(|d| !d.is_empty())).collect();
    let names: Vec<&str> = with_draws.iter().filter_map(|r| r["method"].as_str()).collect();
    if with_draws.is_empty() {
        return Err(Error::usage(format!(
            "{name} has no estimate with draws to take the number of workers from (every method or total there is \
             not estimable)"
        )));
    }
    let chosen = match method {
        Some(m) => with_draws.iter().find(|r| r["method"].as_str() == Some(m)).ok_or_else(|| {
            Error::usage(format!("{name}: no estimate by `{m}` (this result has: {})", names.join(", ")))
        })?,
        None if with_draws.len() == 1 => with_draws[0],
        None => {
            return Err(Error::usage(format!(
                "{name} has estimates by several methods ({}): choose one with --workers-method",
                names.join(", ")
            )));
        }
    };
    let values: Vec<f64> = chosen["draws"]
        .as_array()
        .map(|d| d.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    let method = chosen["method"].as_str().unwrap_or("").to_string();
    Ok(WorkersFrom { workers: Distribution::Empirical { values }, method, synthetic })
}

/// What the revenue estimate is asked: the inputs given; those not given are resampled from the project's wage
/// ledgers.
#[derive(Debug, Clone)]
pub struct RevenueRequest {
    /// Number of workers.
    pub workers: Distribution,
    /// Months worked a year.
    pub months: Distribution,
    /// Quota taken per worker-month, US dollars.
    pub quota: Option<Distribution>,
    /// What the employer pays per worker-month, US dollars.
    pub employer_paid: Option<Distribution>,
    /// The share not reaching the worker.
    pub state_share: Option<Distribution>,
    /// Draws.
    pub draws: usize,
    /// Seed: the same seed gives the same result.
    pub seed: u64,
    /// Whether the workers were taken from a synthetic estimate.
    pub synthetic_workers: bool,
}

impl RevenueRequest {
    /// Whether an input must come from the project's wage ledgers (and so a rate table is needed).
    pub fn needs_ledgers(&self) -> bool {
        self.quota.is_none() || self.employer_paid.is_none() || self.state_share.is_none()
    }
}

/// A revenue estimate, with what the ledgers gave it.
#[derive(Debug)]
pub struct RevenueEstimate {
    /// The estimate.
    pub report: RevenueReport,
    /// What the ledgers gave (empty when every input was given).
    pub ledgers: LedgerInputs,
    /// Whether fictional data went into it (synthetic ledgers or a synthetic worker estimate, or a demo project).
    pub synthetic: bool,
}

/// Whether a revenue estimate rests on too few ledgers: some, but fewer than the small-sample rule's 30.
pub fn revenue_small_sample(spells: u64) -> bool {
    spells > 0 && spells < clew_stats::bootstrap::SMALL_SAMPLE as u64
}

/// The revenue estimate. The inputs not given come from `ledgers`, the project's wage ledgers
/// ([`Service::ledger_inputs`], needed when [`RevenueRequest::needs_ledgers`]).
pub fn estimate_revenue(request: &RevenueRequest, ledgers: LedgerInputs) -> Result<RevenueEstimate> {
    let pick = |given: &Option<Distribution>, observed: &Vec<f64>, what: &str| {
        given.clone().map(Ok).unwrap_or_else(|| {
            if observed.is_empty() {
                Err(Error::usage(format!(
                    "no wage ledger of the project gives {what} in US dollars: give it as a distribution, or give \
                     --rates to convert the ledgers"
                )))
            } else {
                Ok(Distribution::Empirical { values: observed.clone() })
            }
        })
    };
    let inputs = RevenueInputs {
        workers: request.workers.clone(),
        months: request.months.clone(),
        quota: pick(&request.quota, &ledgers.quota, "the quota taken per worker-month (--quota)")?,
        employer_paid: pick(
            &request.employer_paid,
            &ledgers.employer_paid,
            "the employer's payment (--employer-paid)",
        )?,
        state_share: pick(
            &request.state_share,
            &ledgers.state_share,
            "the share not reaching the worker (--state-share)",
        )?,
        draws: request.draws,
        seed: request.seed,
    };
    let report = clew_stats::estimate_revenue(&inputs).map_err(Error::usage)?;
    let synthetic = ledgers.synthetic_spells > 0 || ledgers.synthetic_project || request.synthetic_workers;
    Ok(RevenueEstimate { report, ledgers, synthetic })
}

impl RevenueEstimate {
    /// The chart (SVG), its title saying when the estimate is fictional.
    pub fn svg(&self) -> String {
        let title = if self.synthetic {
            "SYNTHETIC DATA (fictional demo): DPRK state revenue from workers in Russia (estimate)"
        } else {
            "DPRK state revenue from workers in Russia (estimate)"
        };
        clew_stats::chart::revenue_svg(&self.report, title)
    }

    /// The estimate as CSV: one row per method, then one per sensitivity entry; a first comment line when it
    /// is fictional.
    pub fn csv(&self) -> String {
        let report = &self.report;
        let mut csv = String::new();
        if self.synthetic {
            csv.push_str("# SYNTHETIC DATA: estimated from the fictional ledgers of a clew demo\n");
        }
        csv.push_str("table,method,input,median,mean,p5,p95,p2_5,p97_5,low,high,rank_correlation\n");
        for (method, s) in [("quota", &report.quota_based), ("wage", &report.wage_based)] {
            csv.push_str(&format!(
                "estimate,{method},,{},{},{},{},{},{},,,\n",
                s.median, s.mean, s.p5, s.p95, s.p2_5, s.p97_5
            ));
        }
        for s in &report.sensitivity {
            csv.push_str(&format!(
                "sensitivity,{},{},,,,,,,{},{},{}\n",
                s.method, s.input, s.low, s.high, s.rank_correlation
            ));
        }
        csv
    }

    /// The JSON result: the report, with the number of ledger spells and whether they are too few.
    pub fn json(&self) -> Result<serde_json::Value> {
        let mut value = serde_json::to_value(&self.report).map_err(|e| Error::internal(e.to_string()))?;
        value["ledger_spells"] = self.ledgers.spells.into();
        value["small_sample"] = revenue_small_sample(self.ledgers.spells).into();
        Ok(value)
    }
}

/// What a kept estimate estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EstimateKind {
    /// How many people (multiple systems estimation).
    Population,
    /// The state's revenue, US dollars a year.
    Revenue,
}

impl EstimateKind {
    /// Its word in the store and the custody log.
    pub fn as_str(self) -> &'static str {
        match self {
            EstimateKind::Population => "population",
            EstimateKind::Revenue => "revenue",
        }
    }

    fn parse(text: &str) -> Option<EstimateKind> {
        [EstimateKind::Population, EstimateKind::Revenue].into_iter().find(|k| k.as_str() == text)
    }
}

/// One figure of an estimate's headline: one method (population) or one basis (revenue), its point estimate
/// and interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Figure {
    /// The method (`aic`, `lcmcr`...) or the basis (`quota`, `wage`).
    pub label: String,
    /// The point estimate (the median for revenue and LCMCR).
    pub estimate: f64,
    /// The interval's lower end, when there is one.
    pub low: Option<f64>,
    /// Its upper end; `None` also when the data put no upper bound on it.
    pub high: Option<f64>,
    /// The interval's level (0.95).
    pub level: f64,
}

/// An estimate ready to keep: what it estimates, its title, its figures, its whole report and its chart.
#[derive(Debug, Clone)]
pub struct NewEstimate {
    kind: EstimateKind,
    title: String,
    synthetic: bool,
    headline: Vec<Figure>,
    report: String,
    chart: String,
}

/// The most characters an estimate's title may have.
pub const TITLE_CHARS: usize = 200;

/// A kept estimate's title, trimmed: one line of at most [`TITLE_CHARS`] characters.
pub fn checked_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::usage("--keep: give the estimate a title (what it estimates, from what)"));
    }
    if title.chars().count() > TITLE_CHARS {
        return Err(Error::usage(format!("--keep: a title is at most {TITLE_CHARS} characters")));
    }
    if title.chars().any(char::is_control) {
        return Err(Error::usage("--keep: a title is one line, without control characters"));
    }
    Ok(title.to_string())
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

impl PopulationEstimate {
    /// This estimate, to keep in a project under `title`: a figure per method (the totals when the table has
    /// strata), the JSON result and the chart.
    pub fn to_keep(&self, title: &str, from: &str) -> Result<NewEstimate> {
        let title = checked_title(title)?;
        // One figure per method: the totals when the table has strata, else the one stratum's estimates.
        let figure = |method: Method, estimate: Option<f64>, interval: Option<clew_stats::mse::Interval>| {
            Some(Figure {
                label: method.name().to_string(),
                estimate: finite(estimate?)?,
                low: interval.and_then(|i| finite(i.low)),
                high: interval.and_then(|i| finite(i.high)),
                level: self.report.level,
            })
        };
        let headline: Vec<Figure> = if self.report.strata.len() > 1 {
            self.report.totals.iter().filter_map(|t| figure(t.method, t.estimate, t.interval)).collect()
        } else {
            let methods = self.report.strata.iter().flat_map(|s| s.methods.iter());
            methods.filter_map(|m| figure(m.method, m.estimate, m.interval)).collect()
        };
        Ok(NewEstimate {
            kind: EstimateKind::Population,
            title,
            synthetic: self.synthetic,
            headline,
            report: String::from_utf8(self.json()?).map_err(|e| Error::internal(e.to_string()))?,
            chart: self.svg(from),
        })
    }
}

impl RevenueEstimate {
    /// This estimate, to keep in a project under `title`: the quota-based and wage-based medians with their
    /// 95% intervals, the JSON result and the chart.
    pub fn to_keep(&self, title: &str) -> Result<NewEstimate> {
        let title = checked_title(title)?;
        let figure = |label: &str, s: &clew_stats::revenue::Summary| Figure {
            label: label.to_string(),
            estimate: s.median,
            low: finite(s.p2_5),
            high: finite(s.p97_5),
            level: 0.95,
        };
        let mut report = self.json()?;
        if self.synthetic {
            crate::label_synthetic(&mut report);
        }
        Ok(NewEstimate {
            kind: EstimateKind::Revenue,
            title,
            synthetic: self.synthetic,
            headline: vec![figure("quota", &self.report.quota_based), figure("wage", &self.report.wage_based)],
            report: serde_json::to_string_pretty(&report).map_err(|e| Error::internal(e.to_string()))?,
            chart: self.svg(),
        })
    }
}

/// An estimate kept in the project.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KeptEstimate {
    /// Its number in the project (1 for the first kept).
    pub number: u64,
    /// What it estimates.
    pub kind: EstimateKind,
    /// Its title.
    pub title: String,
    /// Whether fictional (demo) data went into it.
    pub synthetic: bool,
    /// Its figures.
    pub headline: Vec<Figure>,
    /// Who kept it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub recorded_at: String,
    /// The whole report (JSON text).
    #[serde(skip)]
    pub report: String,
    /// Its chart (SVG).
    #[serde(skip)]
    pub chart: String,
}

impl KeptEstimate {
    fn of(stored: clew_store::StoredEstimate) -> Result<KeptEstimate> {
        let kind = EstimateKind::parse(&stored.kind)
            .ok_or_else(|| Error::internal(format!("a kept estimate of an unknown kind `{}`", stored.kind)))?;
        let headline = serde_json::from_str(&stored.headline)
            .map_err(|e| Error::internal(format!("kept estimate {}: its headline: {e}", stored.number)))?;
        Ok(KeptEstimate {
            number: stored.number,
            kind,
            title: stored.title,
            synthetic: stored.synthetic,
            headline,
            recorded_by: stored.recorded_by,
            recorded_at: stored.recorded_at,
            report: stored.report,
            chart: stored.chart,
        })
    }
}

impl Service {
    /// Keeps an estimate in the project, logged with the SHA-256 of its figures, report and chart (which
    /// `clew verify` checks). Nothing in it names anyone: it is an aggregate.
    pub fn keep_estimate(&self, actor: &Actor, estimate: &NewEstimate) -> Result<KeptEstimate> {
        let headline = serde_json::to_string(&estimate.headline).map_err(|e| Error::internal(e.to_string()))?;
        let batch = crate::batch(actor, clew_custody::EventKind::EstimateKeep.as_str());
        let stored = clew_store::StoredEstimate {
            number: 0,
            kind: estimate.kind.as_str().to_string(),
            title: estimate.title.clone(),
            synthetic: estimate.synthetic,
            headline,
            report: estimate.report.clone(),
            chart: estimate.chart.clone(),
            recorded_by: batch.recorded_by.clone(),
            recorded_at: batch.recorded_at.clone(),
            batch: None,
        };
        let [kind, title, headline_sha256, report_sha256, chart_sha256] =
            clew_custody::verify::estimate_digests(&stored);
        let detail = serde_json::json!({
            "kind": kind, "title": title, "synthetic": estimate.synthetic, "headline_sha256": headline_sha256,
            "report_sha256": report_sha256, "chart_sha256": chart_sha256,
        });
        let mut tx = self.project.store().write(&batch)?;
        let number = tx.put_estimate(&stored)?;
        clew_custody::record_event(tx.as_mut(), &batch, clew_custody::EventKind::EstimateKeep, &detail)?;
        tx.commit()?;
        KeptEstimate::of(clew_store::StoredEstimate { number, ..stored })
    }

    /// The estimates kept in the project, newest first.
    pub fn kept_estimates(&self) -> Result<Vec<KeptEstimate>> {
        self.project.read()?.estimates()?.into_iter().map(KeptEstimate::of).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_demo_without_ledgers_keeps_its_population_estimate_only() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("demo");
        crate::demo::build_demo(&project, 0, 7, &mut |_| {}).unwrap();
        let kept = Service::open(&project).unwrap().kept_estimates().unwrap();
        assert_eq!(kept.iter().map(|e| e.kind).collect::<Vec<_>>(), [EstimateKind::Population]);
        assert!(kept[0].headline.iter().any(|f| f.label == "aic" && f.low.is_some()), "{:?}", kept[0].headline);
    }

    #[test]
    fn methods_are_taken_once_and_those_named_alone_are_kept_apart() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (methods, named) = population_methods(&names(&["lcmcr", "all", "lcmcr"])).unwrap();
        assert_eq!(methods.len(), Method::ALL.len());
        assert_eq!(methods[0], Method::Lcmcr);
        assert_eq!(named, vec![Method::Lcmcr, Method::Lcmcr]);
        let error = population_methods(&names(&["petersen"])).unwrap_err();
        assert_eq!(error.code(), crate::Code::Usage);
        assert!(error.message().contains("`petersen` is not a method"), "{error}");
    }

    #[test]
    fn a_revenue_estimate_from_fictional_ledgers_says_so_in_its_files() {
        let given = |value: f64| Some(Distribution::Empirical { values: vec![value, value * 1.1] });
        let request = RevenueRequest {
            workers: Distribution::Empirical { values: vec![1000.0, 1200.0] },
            months: Distribution::Empirical { values: vec![11.0, 12.0] },
            quota: given(500.0),
            employer_paid: given(700.0),
            state_share: given(0.7),
            draws: 1000,
            seed: 1,
            synthetic_workers: false,
        };
        assert!(!request.needs_ledgers());
        let real = estimate_revenue(&request, LedgerInputs::default()).unwrap();
        assert!(!real.synthetic);
        assert!(real.csv().starts_with("table,method"));
        assert!(!real.svg().contains("SYNTHETIC"));
        let ledgers = LedgerInputs { synthetic_project: true, ..LedgerInputs::default() };
        let fictional = estimate_revenue(&request, ledgers).unwrap();
        assert!(fictional.csv().starts_with("# SYNTHETIC DATA"));
        assert!(fictional.svg().contains("SYNTHETIC DATA"));
        assert_eq!(fictional.json().unwrap()["small_sample"], false);
    }

    #[test]
    fn missing_inputs_without_ledgers_are_refused_by_name() {
        let request = RevenueRequest {
            workers: Distribution::Empirical { values: vec![1000.0] },
            months: Distribution::Empirical { values: vec![12.0] },
            quota: None,
            employer_paid: None,
            state_share: None,
            draws: 100,
            seed: 1,
            synthetic_workers: false,
        };
        assert!(request.needs_ledgers());
        let error = estimate_revenue(&request, LedgerInputs::default()).unwrap_err();
        assert!(error.message().contains("--quota"), "{error}");
    }
}
