//! `clew link`: entity resolution on CSV files or on a project's entities (`clew_service::linkage` does it):
//! the arguments, the warnings and timings on the way, the pairs, clusters, model and capture histories
//! written where asked, and the reports in text or JSON.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clew_link::blocking::Mode;
use clew_link::cluster::Verdict;
use clew_link::predict::probability;
use clew_service::linkage::{CaptureList, CaptureLists, Linking, RefusedJoins, ThresholdFrom};
use clew_service::{Actor, Service};
use serde::Serialize;

use crate::output::{Failure, Output};

/// `clew link dedupe` and `clew link pair`: a config and, optionally, judgements, besides the files.
#[derive(Debug, clap::Args)]
pub struct FileArgs {
    /// The linkage config (TOML): id column, comparisons, blocking rules, training (docs/linkage.md).
    #[arg(long, value_name = "FILE.toml")]
    pub config: PathBuf,
    /// Reviewers' judgements (CSV: id_l, id_r, verdict = same | different | unsure; linking two files, id_l is
    /// of the first): they override the model in clustering and refine its m.
    #[arg(long, value_name = "FILE.csv")]
    pub judgements: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
}

/// `clew link run`: which entities of the project, and the config if not clew's own.
#[derive(Debug, clap::Args)]
pub struct ProjectArgs {
    /// Which entities: Person, Company (with organisations and public bodies) or Worksite.
    #[arg(long, default_value = "Person")]
    pub schema: String,
    /// A linkage config instead of clew's own for the schema (its columns: see docs/linkage.md).
    #[arg(long, value_name = "FILE.toml")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
}

/// What every linkage run takes: the model, the threshold and what to write.
#[derive(Debug, Default, clap::Args)]
pub struct RunArgs {
    /// Use this trained model (written by --save-model) instead of training.
    #[arg(long, value_name = "FILE.toml")]
    pub model: Option<PathBuf>,
    /// Write the trained model (a text file: m and u per comparison level).
    #[arg(long, value_name = "FILE.toml")]
    pub save_model: Option<PathBuf>,
    /// Write the scored pairs as CSV: id_l, id_r, match_weight, match_probability, independent (whether
    /// evidence other than the name agrees), names_differ (the config's one name comparison "different":
    /// never linked but by a judgement), linked.
    #[arg(long, value_name = "FILE.csv")]
    pub pairs: Option<PathBuf>,
    /// With --pairs: also each comparison's values, level and weight.
    #[arg(long)]
    pub explain: bool,
    /// With --pairs: write the pairs from this match weight [default: the threshold].
    #[arg(long, value_name = "WEIGHT", allow_hyphen_values = true)]
    pub min_weight: Option<f64>,
    /// Write the clusters as CSV: file, id, entity_file, entity (the canonical id: the smallest record id in
    /// it), size.
    #[arg(long, value_name = "FILE.csv")]
    pub clusters: Option<PathBuf>,
    /// The match weight (log2 odds) from which a pair is a link [default: the config's, else the weight that
    /// maximises the model's own expected F1].
    #[arg(long, value_name = "WEIGHT", allow_hyphen_values = true)]
    pub threshold: Option<f64>,
    /// Print how many comparisons each blocking rule makes, and stop.
    #[arg(long)]
    pub plan: bool,
}

/// What a run reports.
#[derive(Debug, Serialize)]
struct Report {
    records: usize,
    blocking: Vec<RuleCount>,
    candidate_pairs: usize,
    trained: Vec<String>,
    threshold: f64,
    threshold_chosen_by: &'static str,
    links: usize,
    entities: usize,
    entities_with_several_records: usize,
    joins_refused: RefusedJoins,
    inconsistent_judgements: Vec<(String, String, String, String)>,
    warnings: Vec<String>,
    seconds: f64,
    /// Seconds per step: read, prepare (comparisons and keys), train, block, score, cluster, write.
    steps: Vec<(&'static str, f64)>,
}

#[derive(Debug, Serialize)]
struct PlanReport {
    records: usize,
    blocking: Vec<RuleCount>,
    training: Vec<RuleCount>,
}

#[derive(Debug, Serialize)]
struct RuleCount {
    rule: String,
    comparisons: u64,
}

/// `clew link dedupe` (one file) and `clew link pair` (two files).
pub fn run(files: &[PathBuf], mode: Mode, args: &FileArgs, out: &mut Output) -> Result<(), Failure> {
    let started = Instant::now();
    let mut linking = Linking::from_files(files, mode, &args.config)?;
    warn(&linking, out)?;
    if let Some(path) = &args.judgements {
        linking.read_judgements(path)?;
    }
    execute(&linking, &args.run, started, out)
}

/// `clew link run`: the project's entities of a schema, with the judgements recorded in it.
pub fn run_project(service: &Service, args: &ProjectArgs, out: &mut Output) -> Result<(), Failure> {
    let started = Instant::now();
    let linking = entities(service, &args.schema, args.config.as_deref(), None, out)?;
    execute(&linking, &args.run, started, out)
}

/// Prints what the user should know of the records, before the run goes on.
fn warn(linking: &Linking, out: &mut Output) -> Result<(), Failure> {
    for warning in linking.warnings() {
        out.note(&format!("warning: {warning}"))?;
    }
    Ok(())
}

/// The project's entities of a schema, ready to link with the config given or clew's own for the schema.
fn entities(
    service: &Service,
    schema: &str,
    config: Option<&Path>,
    stratum: Option<&str>,
    out: &mut Output,
) -> Result<Linking, Failure> {
    let linking = service.link_entities(schema, config, stratum)?;
    warn(&linking, out)?;
    Ok(linking)
}

/// Trains (or loads) the model, scores the candidates, clusters and writes what was asked.
fn execute(linking: &Linking, args: &RunArgs, started: Instant, out: &mut Output) -> Result<(), Failure> {
    let mut steps = Vec::new();
    let mut lap = started;
    let mut step = |name: &'static str| {
        steps.push((name, lap.elapsed().as_secs_f64()));
        lap = Instant::now();
    };
    step("read");
    let counts = |rules: &[(String, u64)]| -> Vec<RuleCount> {
        rules.iter().map(|(rule, comparisons)| RuleCount { rule: rule.clone(), comparisons: *comparisons }).collect()
    };
    if args.plan {
        let plan = linking.plan(args.threshold)?;
        let report =
            PlanReport { records: linking.records(), blocking: counts(&plan.rules), training: counts(&plan.training) };
        return out.value(&report, |out| {
            out.line(&format!("{} records; blocking makes at most {} comparisons:", linking.records(), plan.total))?;
            out.line(&plan.describe())
        });
    }
    let scoring = linking.score(args.model.as_deref(), args.threshold)?;
    step("train and score");
    let clustering = linking.cluster(&scoring);
    step("cluster");

    if let Some(path) = &args.save_model {
        clew_files::write_atomic(path, scoring.model.to_toml().as_bytes())?;
    }
    if let Some(path) = &args.pairs {
        clew_files::write_atomic(path, &linking.pairs_table(&scoring, args.min_weight, args.explain))?;
    }
    if let Some(path) = &args.clusters {
        clew_files::write_atomic(path, &linking.clusters_table(&clustering))?;
    }
    step("write");
    let report = Report {
        records: linking.records(),
        blocking: counts(&scoring.plan.rules),
        candidate_pairs: scoring.candidates,
        trained: scoring.model.trained.clone(),
        threshold: scoring.threshold,
        threshold_chosen_by: match scoring.threshold_from {
            ThresholdFrom::Given => "--threshold",
            ThresholdFrom::Config => "config",
            ThresholdFrom::ExpectedF1 => "the model's expected F1",
        },
        links: clustering.links,
        entities: clustering.entities,
        entities_with_several_records: clustering.entities_with_several_records,
        joins_refused: clustering.refused,
        inconsistent_judgements: clustering.inconsistent_judgements,
        warnings: linking.warnings().to_vec(),
        seconds: started.elapsed().as_secs_f64(),
        steps,
    };
    out.value(&report, |out| print_report(out, &report))
}

fn print_report(out: &mut Output, report: &Report) -> Result<(), Failure> {
    out.line(&format!("{} records; blocking:", report.records))?;
    for rule in &report.blocking {
        out.line(&format!("  {}: {} comparisons", rule.rule, rule.comparisons))?;
    }
    out.line(&format!("{} candidate pairs compared", report.candidate_pairs))?;
    out.line("model:")?;
    for line in &report.trained {
        out.line(&format!("  {line}"))?;
    }
    out.line(&format!(
        "threshold: match weight {:.2} (probability {:.3}), from {}",
        report.threshold,
        probability(report.threshold),
        report.threshold_chosen_by
    ))?;
    out.line(&format!(
        "{} links; {} entities, {} of them with several records",
        report.links, report.entities, report.entities_with_several_records
    ))?;
    let r = &report.joins_refused;
    if r.judged_different + r.chain + r.too_large + r.names_differ > 0 {
        out.line(&format!(
            "joins refused: {} across a pair judged different, {} across names that differ outright, {} chains (the \
             groups do not match as a whole), {} too large to check",
            r.judged_different, r.names_differ, r.chain, r.too_large
        ))?;
    }
    for (a, b, c, d) in &report.inconsistent_judgements {
        out.line(&format!("inconsistent judgements: {a} = {b} is not applied, because {c} ≠ {d}"))?;
    }
    let steps: Vec<String> = report.steps.iter().map(|(name, s)| format!("{name} {s:.2}")).collect();
    out.line(&format!("{:.2} s ({})", report.seconds, steps.join(", ")))
}

/// `clew link review`: the pairs not yet judged whose weight is nearest the threshold, each explained.
pub fn review(
    service: &Service,
    schema: &str,
    config: Option<&Path>,
    limit: usize,
    out: &mut Output,
) -> Result<(), Failure> {
    let Some(limit) = NonZeroUsize::new(limit) else {
        return Err(Failure::usage("--limit: at least 1".into()));
    };
    let linking = entities(service, schema, config, None, out)?;
    let review = linking.review(limit)?;
    let (pairs, threshold) = (&review.pairs, review.threshold);
    out.value(pairs, |out| {
        if pairs.is_empty() {
            return out.line("nothing to review: every candidate pair is judged");
        }
        out.line(&format!(
            "{} pairs the model is least sure of (threshold {threshold:.2}); judge with `clew link judge A B same|different|unsure --note ...`:",
            pairs.len()
        ))?;
        for pair in pairs {
            out.line(&format!(
                "\n{}  {}  weight {:.2} (probability {:.2}){}",
                pair.entity_a,
                pair.entity_b,
                pair.match_weight,
                pair.match_probability,
                match (pair.independent, pair.names_differ) {
                    (_, true) => "; the names differ outright: only a judgement joins them",
                    (false, _) => "; nothing but the name agrees",
                    _ => "",
                }
            ))?;
            out.line(&format!("  {:<12} before any comparison ({:+.2})", "prior", pair.prior_weight))?;
            for part in &pair.parts {
                out.line(&format!(
                    "  {:<12} {} / {}: {} ({:+.2})",
                    part.comparison,
                    if part.left.is_empty() { "-" } else { &part.left },
                    if part.right.is_empty() { "-" } else { &part.right },
                    part.level,
                    part.weight
                ))?;
            }
        }
        Ok(())
    })
}

/// `clew link judge`: a reviewer's verdict on two entities, appended with its custody event.
pub fn judge(
    service: &Service,
    a: &str,
    b: &str,
    verdict: &str,
    note: &str,
    actor: &Actor,
    out: &mut Output,
) -> Result<(), Failure> {
    let id = |text: &str| clew_model::EntityId::new(text).map_err(|e| Failure::usage(format!("`{text}`: {e}")));
    let (a, b) = (id(a)?, id(b)?);
    let verdict = Verdict::parse(verdict)
        .ok_or_else(|| Failure::usage(format!("`{verdict}` is not same, different or unsure")))?;
    let judgement = service.judge(actor, &a, &b, verdict, note)?;
    out.value(&judgement, |out| {
        out.line(&format!(
            "recorded: {} and {} are {} (by {}, {})",
            judgement.entity_a,
            judgement.entity_b,
            match judgement.verdict {
                Verdict::Same => "the same",
                Verdict::Different => "different",
                Verdict::Unsure => "not known to be the same or different",
            },
            judgement.recorded_by,
            judgement.recorded_at
        ))
    })
}

/// `clew link histories`: which lists (groups of sources) each linked entity is on.
pub struct HistoryArgs<'a> {
    /// Which entities.
    pub schema: &'a str,
    /// A config instead of clew's own.
    pub config: Option<&'a Path>,
    /// Each list as NAME=PREFIX: the sources whose id begins with PREFIX.
    pub lists: &'a [String],
    /// A property whose value makes the stratum.
    pub stratum: Option<&'a str>,
    /// Where to write the table (standard output when absent).
    pub out: Option<&'a Path>,
}

#[derive(Debug, Serialize)]
struct HistoryReport {
    entities: usize,
    on_no_list: usize,
    per_list: Vec<(String, usize)>,
    strata_in_conflict: usize,
    patterns: usize,
    threshold: f64,
    written_to: Option<String>,
}

/// The capture-history table of the project's linked entities, written to the file asked for or to standard
/// output (what to know about it then goes to standard error).
pub fn histories(service: &Service, args: &HistoryArgs, out: &mut Output) -> Result<(), Failure> {
    let lists = args.lists.iter().map(|spec| CaptureList::parse(spec)).collect::<Result<Vec<_>, _>>()?;
    let lists = CaptureLists::new(lists, args.stratum)?;
    let linking = entities(service, args.schema, args.config, lists.stratum(), out)?;
    let histories = linking.histories(&lists)?;
    let report = HistoryReport {
        entities: histories.entities,
        on_no_list: histories.on_no_list,
        per_list: histories.per_list,
        strata_in_conflict: histories.strata_in_conflict,
        patterns: histories.patterns,
        threshold: histories.threshold,
        written_to: args.out.map(|p| p.display().to_string()),
    };
    let mut lines = vec![format!(
        "{} linked entities (threshold {:.2}); {} on no list; {} capture histories written to {}",
        report.entities,
        report.threshold,
        report.on_no_list,
        report.patterns,
        report.written_to.as_deref().unwrap_or("standard output")
    )];
    lines.extend(report.per_list.iter().map(|(name, count)| format!("  {name}: {count}")));
    if report.strata_in_conflict > 0 {
        lines.push(format!(
            "{} entities have records that disagree on the stratum; each is counted under the first value found",
            report.strata_in_conflict
        ));
    }
    if histories.without_stratum > 0 {
        lines.push(format!(
            "{} capture histories are of entities without a stratum (an empty value)",
            histories.without_stratum
        ));
    }
    match args.out {
        Some(path) => {
            clew_files::write_atomic(path, &histories.table)?;
            out.value(&report, |out| lines.iter().try_for_each(|line| out.line(line)))
        }
        None => {
            // The table goes to standard output; what to know about it, to standard error.
            for line in &lines {
                out.note(line)?;
            }
            out.raw(&String::from_utf8_lossy(&histories.table))
        }
    }
}
