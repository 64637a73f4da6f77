//! `clew link`: entity resolution on CSV files: train (or load) a linkage model, score the candidate pairs,
//! cluster them, and write pairs and clusters with their explanations.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clew_link::blocking::Mode;
use clew_link::cluster::{Clusters, Judged, Refusal, Verdict, cluster};
use clew_link::linkage::Linkage;
use clew_link::model::{Label, Model, Weights};
use clew_link::predict::{Scored, expected_best_threshold, explain, probability};
use clew_link::records::Records;
use clew_link::{Error, config};
use clew_model::Diagnostic;
use serde::Serialize;

use crate::output::{Failure, Output};

/// What every linkage command takes besides its files.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The linkage config (TOML): id column, comparisons, blocking rules, training.
    #[arg(long, value_name = "FILE.toml")]
    pub config: PathBuf,
    /// Use this trained model (written by --save-model) instead of training.
    #[arg(long, value_name = "FILE.toml")]
    pub model: Option<PathBuf>,
    /// Write the trained model (a text file: m and u per comparison level).
    #[arg(long, value_name = "FILE.toml")]
    pub save_model: Option<PathBuf>,
    /// Write the scored pairs as CSV: id_l, id_r, match_weight, match_probability, independent (whether
    /// evidence other than the name agrees), linked.
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
    /// Reviewers' judgements (CSV: id_l, id_r, verdict = same | different | unsure; linking two files, id_l is
    /// of the first): they override the model in clustering and refine its m.
    #[arg(long, value_name = "FILE.csv")]
    pub judgements: Option<PathBuf>,
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
    joins_refused: Refused,
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

#[derive(Debug, Default, Serialize)]
struct Refused {
    judged_different: usize,
    chain: usize,
    too_large: usize,
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

/// A linkage error as the CLI reports it.
fn failure(error: Error) -> Failure {
    match error {
        Error::Input(problems) => Failure::invalid(
            problems
                .into_iter()
                .map(|p| Diagnostic {
                    file: Some(p.origin),
                    pos: p.line.map(|line| clew_model::doc::Pos { line: line as u32, column: 1 }),
                    path: String::new(),
                    message: p.message,
                })
                .collect(),
        ),
        other => Failure::usage(other.to_string()),
    }
}

/// `clew link dedupe` (one file) and `clew link pair` (two files).
pub fn run(files: &[PathBuf], mode: Mode, args: &RunArgs, out: &mut Output) -> Result<(), Failure> {
    let started = Instant::now();
    let config_origin = args.config.display().to_string();
    let config_text = String::from_utf8(read(&args.config)?)
        .map_err(|_| Failure::usage(format!("{config_origin}: not UTF-8 text")))?;
    let checked = config::read(&config_origin, &config_text).map_err(failure)?;
    let mut records = Records::new(checked.columns());
    let mut problems = Vec::new();
    for file in files {
        if let Err(Error::Input(found)) = records.add_csv(&file.display().to_string(), &read(file)?) {
            problems.extend(found);
        }
    }
    if !problems.is_empty() {
        return Err(failure(Error::Input(problems)));
    }
    let mut steps = Vec::new();
    let mut lap = started;
    let mut step = |name: &'static str| {
        steps.push((name, lap.elapsed().as_secs_f64()));
        lap = Instant::now();
    };
    step("read");
    let threshold_config = checked.config.clustering.threshold;
    let require_independent = checked.config.clustering.require_independent;
    let linkage = Linkage::new(checked, records, mode).map_err(failure)?;
    for warning in &linkage.warnings {
        out.note(&format!("warning: {warning}"))?;
    }
    step("prepare");
    if args.threshold.is_some_and(|t| !t.is_finite()) {
        return Err(Failure::usage("--threshold: a finite match weight".into()));
    }
    let plan = linkage.plan().map_err(failure)?;
    let counts = |rules: &[(String, u64)]| -> Vec<RuleCount> {
        rules.iter().map(|(rule, comparisons)| RuleCount { rule: rule.clone(), comparisons: *comparisons }).collect()
    };
    let (blocking, training) = (counts(&plan.rules), counts(&plan.training));
    if args.plan {
        let report = PlanReport { records: linkage.records.len(), blocking, training };
        return out.value(&report, |out| {
            out.line(&format!(
                "{} records; blocking makes at most {} comparisons:",
                linkage.records.len(),
                plan.total
            ))?;
            out.line(&plan.describe())
        });
    }
    let judgements = match &args.judgements {
        Some(path) => read_judgements(path, &linkage.records, mode)?,
        None => Vec::new(),
    };
    let model = match &args.model {
        Some(path) => {
            let origin = path.display().to_string();
            let text =
                String::from_utf8(read(path)?).map_err(|_| Failure::usage(format!("{origin}: not UTF-8 text")))?;
            let model = Model::read(&origin, &text).map_err(failure)?;
            model.check(&linkage.fields).map_err(failure)?;
            model
        }
        None => {
            let labels: Vec<Label> = judgements
                .iter()
                .filter(|j| j.verdict != Verdict::Unsure)
                .map(|j| Label { a: j.a, b: j.b, same: j.verdict == Verdict::Same })
                .collect();
            linkage.train(&labels).map_err(failure)?
        }
    };
    step("train");
    let candidates = linkage.candidates();
    step("block");
    let scored = linkage.score(&model, &candidates).map_err(failure)?;
    step("score");
    let weights = Weights::new(&model);
    let (threshold, chosen_by) = match (args.threshold, threshold_config) {
        (Some(t), _) => (t, "--threshold"),
        (None, Some(t)) => (t, "config"),
        (None, None) => (expected_best_threshold(&scored, require_independent), "the model's expected F1"),
    };
    let clusters =
        cluster(&linkage.records, &scored, threshold, require_independent, &judgements, linkage.weigher(&weights));
    let links = scored.iter().filter(|s| is_link(s, threshold, require_independent)).count();
    step("cluster");

    if let Some(path) = &args.save_model {
        write_atomically(path, model.to_toml().as_bytes())?;
    }
    if let Some(path) = &args.pairs {
        let min_weight = args.min_weight.unwrap_or(threshold);
        let text = pairs_csv(&linkage, &weights, &scored, min_weight, threshold, require_independent, args.explain);
        write_atomically(path, &text)?;
    }
    if let Some(path) = &args.clusters {
        write_atomically(path, &clusters_csv(&linkage.records, &clusters))?;
    }
    step("write");
    let mut refused = Refused::default();
    for refusal in &clusters.refused {
        match refusal {
            Refusal::JudgedDifferent { .. } => refused.judged_different += 1,
            Refusal::Chain { .. } => refused.chain += 1,
            Refusal::TooLarge { .. } => refused.too_large += 1,
        }
    }
    let id = |r: u32| linkage.records.id(r).to_string();
    let mut sizes = vec![0usize; clusters.canonical.len()];
    for e in &clusters.entity_of {
        sizes[*e as usize] += 1;
    }
    let report = Report {
        records: linkage.records.len(),
        blocking,
        candidate_pairs: candidates.len(),
        trained: model.trained.clone(),
        threshold,
        threshold_chosen_by: chosen_by,
        links,
        entities: clusters.canonical.len(),
        entities_with_several_records: sizes.iter().filter(|s| **s > 1).count(),
        joins_refused: refused,
        inconsistent_judgements: clusters
            .inconsistencies
            .iter()
            .map(|i| (id(i.same.0), id(i.same.1), id(i.different.0), id(i.different.1)))
            .collect(),
        warnings: linkage.warnings.clone(),
        seconds: started.elapsed().as_secs_f64(),
        steps,
    };
    out.value(&report, |out| print_report(out, &report))
}

fn is_link(s: &Scored, threshold: f64, require_independent: bool) -> bool {
    f64::from(s.weight) >= threshold && (s.independent || !require_independent)
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
    if r.judged_different + r.chain + r.too_large > 0 {
        out.line(&format!(
            "joins refused: {} across a pair judged different, {} chains (the groups do not match as a whole), {} too large to check",
            r.judged_different, r.chain, r.too_large
        ))?;
    }
    for (a, b, c, d) in &report.inconsistent_judgements {
        out.line(&format!("inconsistent judgements: {a} = {b} is not applied, because {c} ≠ {d}"))?;
    }
    let steps: Vec<String> = report.steps.iter().map(|(name, s)| format!("{name} {s:.2}")).collect();
    out.line(&format!("{:.2} s ({})", report.seconds, steps.join(", ")))
}

fn pairs_csv(
    linkage: &Linkage,
    weights: &Weights,
    scored: &[Scored],
    min_weight: f64,
    threshold: f64,
    require_independent: bool,
    with_explanation: bool,
) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "id_l".to_string(),
        "id_r".into(),
        "match_weight".into(),
        "match_probability".into(),
        "independent".into(),
        "linked".into(),
    ];
    if with_explanation {
        for field in &linkage.fields {
            let name = &field.comparison.name;
            header.extend([
                format!("{name}_l"),
                format!("{name}_r"),
                format!("{name}_level"),
                format!("{name}_weight"),
            ]);
        }
    }
    let _ = writer.write_record(&header);
    let mut chosen: Vec<&Scored> = scored.iter().filter(|s| f64::from(s.weight) >= min_weight).collect();
    chosen.sort_by(|x, y| y.weight.total_cmp(&x.weight).then((x.a, x.b).cmp(&(y.a, y.b))));
    for s in chosen {
        let mut row = vec![
            linkage.records.id(s.a).to_string(),
            linkage.records.id(s.b).to_string(),
            format!("{:.4}", s.weight),
            format!("{:.6}", probability(f64::from(s.weight))),
            s.independent.to_string(),
            is_link(s, threshold, require_independent).to_string(),
        ];
        if with_explanation {
            for part in explain(&linkage.fields, weights, s.a, s.b).parts {
                row.extend([part.left, part.right, part.level, format!("{:.4}", part.weight)]);
            }
        }
        let _ = writer.write_record(&row);
    }
    writer.into_inner().unwrap_or_default()
}

fn clusters_csv(records: &Records, clusters: &Clusters) -> Vec<u8> {
    let mut sizes = vec![0usize; clusters.canonical.len()];
    for e in &clusters.entity_of {
        sizes[*e as usize] += 1;
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["file", "id", "entity_file", "entity", "size"]);
    let file = |record: u32| records.origins()[records.source(record) as usize].as_str();
    for (record, entity) in clusters.entity_of.iter().enumerate() {
        let _ = writer.write_record([
            file(record as u32),
            records.id(record as u32),
            file(clusters.canonical_record[*entity as usize]),
            &clusters.canonical[*entity as usize],
            &sizes[*entity as usize].to_string(),
        ]);
    }
    writer.into_inner().unwrap_or_default()
}

/// Reads judgements: a CSV with id_l, id_r, verdict (same, different, unsure) and optionally note. Every bad
/// row is reported.
fn read_judgements(path: &Path, records: &Records, mode: Mode) -> Result<Vec<Judged>, Failure> {
    let origin = path.display().to_string();
    let bytes = read(path)?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Failure::usage(format!("{origin}: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let position = |name: &str| header.iter().position(|h| h == name);
    let (Some(left), Some(right), Some(verdict)) = (position("id_l"), position("id_r"), position("verdict")) else {
        return Err(failure(Error::at(&origin, Some(1), "the header needs id_l, id_r and verdict")));
    };
    let mut judged = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Failure::usage(format!("{origin}: {e}")))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let mut problem =
            |message: String| problems.push(clew_link::Problem { origin: origin.clone(), line: Some(line), message });
        // Linking two files, id_l is of the first and id_r of the second.
        let source = |i: usize| u16::from(i == right && mode == Mode::Link);
        let find = |i: usize| records.find(source(i), field(i));
        let verdict = match field(verdict) {
            "same" => Some(Verdict::Same),
            "different" => Some(Verdict::Different),
            "unsure" => Some(Verdict::Unsure),
            other => {
                problem(format!("verdict: `{other}` is not same, different or unsure"));
                None
            }
        };
        match (find(left), find(right), verdict) {
            (Some(a), Some(b), Some(verdict)) if a != b => judged.push(Judged { a, b, verdict }),
            (Some(_), Some(_), Some(_)) => problem("id_l and id_r are the same record".into()),
            (a, b, _) => {
                for (found, column) in [(a, left), (b, right)] {
                    if found.is_none() {
                        let file = &records.origins()[usize::from(source(column))];
                        problem(format!("{}: no record of {file} has the id `{}`", header[column], field(column)));
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(failure(Error::Input(problems)));
    }
    Ok(judged)
}

/// Writes a file whole or not at all: into a temporary file beside it, synced, then renamed over it.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let failed = |e: std::io::Error| Failure::internal(format!("{}: {e}", path.display()));
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    let partial = path.with_file_name(name);
    let mut file = std::fs::File::create(&partial).map_err(failed)?;
    file.write_all(bytes).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    std::fs::rename(&partial, path).map_err(failed)
}
