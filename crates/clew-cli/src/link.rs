//! `clew link`: entity resolution on CSV files or on a project's entities: train (or load) a linkage model,
//! score the candidate pairs, cluster them, and write pairs and clusters with their explanations; in a project,
//! reviewers' judgements (`clew link judge`) on the pairs `clew link review` finds least certain.

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
    names_differ: usize,
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    crate::output::read_file(path, clew_files::limits::DATA_FILE)
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
pub fn run(files: &[PathBuf], mode: Mode, args: &FileArgs, out: &mut Output) -> Result<(), Failure> {
    let started = Instant::now();
    let checked = read_config(&args.config)?;
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
    let linkage = prepare(checked, records, mode, out)?;
    let judgements = match &args.judgements {
        Some(path) => read_judgements(path, &linkage.records, mode)?,
        None => Vec::new(),
    };
    execute(&linkage, &judgements, &args.run, started, out)
}

/// `clew link run`: the project's entities of a schema, with the judgements recorded in it.
pub fn run_project(project: &clew_store::Project, args: &ProjectArgs, out: &mut Output) -> Result<(), Failure> {
    let started = Instant::now();
    let (linkage, _) = project_linkage(project, &args.schema, args.config.as_deref(), None, out)?;
    let judgements = stored_judgements(project, &linkage.records)?;
    execute(&linkage, &judgements, &args.run, started, out)
}

fn read_config(path: &Path) -> Result<config::Checked, Failure> {
    let origin = path.display().to_string();
    let text = String::from_utf8(read(path)?).map_err(|_| Failure::usage(format!("{origin}: not UTF-8 text")))?;
    config::read(&origin, &text).map_err(failure)
}

fn prepare(checked: config::Checked, records: Records, mode: Mode, out: &mut Output) -> Result<Linkage, Failure> {
    let linkage = Linkage::new(checked, records, mode).map_err(failure)?;
    for warning in &linkage.warnings {
        out.note(&format!("warning: {warning}"))?;
    }
    Ok(linkage)
}

/// The project's entities of a schema, ready to link with the config given or clew's own for the schema.
fn project_linkage(
    project: &clew_store::Project,
    schema: &str,
    config_path: Option<&Path>,
    stratum: Option<&str>,
    out: &mut Output,
) -> Result<(Linkage, clew_intake::linkage::EntityRows), Failure> {
    let checked = match config_path {
        Some(path) => read_config(path)?,
        None => {
            let Some((name, text)) = config::builtin(schema) else {
                return Err(Failure::usage(format!("--schema {schema}: clew links Person, Company and Worksite")));
            };
            config::read(name, text).map_err(failure)?
        }
    };
    if checked.config.id != "id" {
        return Err(Failure::usage(format!(
            "the config's id column is `{}`; a project's entities are named by `id`",
            checked.config.id
        )));
    }
    // An invariant of a project (ARCHITECTURE.md): its people are never linked on their names alone.
    if !checked.config.clustering.require_independent {
        return Err(Failure::usage(
            "the config says require_independent = false: a project's entities are never linked on their names \
             alone; remove the line"
                .to_string(),
        ));
    }
    let rows = clew_intake::linkage::entity_rows(&*project.read()?, schema, stratum)?;
    let mut positions = Vec::new();
    for column in checked.columns() {
        match rows.columns.iter().position(|c| *c == column) {
            Some(p) => positions.push(p),
            None => {
                return Err(Failure::usage(format!(
                    "the config reads `{column}`; a project's {schema} entities have {}",
                    rows.columns.join(", ")
                )));
            }
        }
    }
    let mut records = Records::new(checked.columns());
    records
        .add_rows("project", rows.rows.iter().map(|row| positions.iter().map(|p| row[*p].clone()).collect()).collect());
    Ok((prepare(checked, records, Mode::Dedupe, out)?, rows))
}

/// The judgements recorded in the project on entities being linked; the latest on a pair counts.
fn stored_judgements(project: &clew_store::Project, records: &Records) -> Result<Vec<Judged>, Failure> {
    let mut latest: std::collections::BTreeMap<(u32, u32), Verdict> = std::collections::BTreeMap::new();
    for judgement in project.read()?.link_judgements()? {
        let (Some(a), Some(b)) = (records.find(0, &judgement.entity_a), records.find(0, &judgement.entity_b)) else {
            continue;
        };
        // A stored verdict clew did not write is damage, never read as "unsure".
        let verdict = Verdict::parse(&judgement.verdict).ok_or_else(|| {
            Failure::internal(format!(
                "the project's judgement on {} and {} has the verdict `{}`, which clew never writes: the database was \
                 altered (run `clew verify`)",
                judgement.entity_a,
                judgement.entity_b,
                crate::output::printable(&judgement.verdict)
            ))
        })?;
        latest.insert((a.min(b), a.max(b)), verdict);
    }
    Ok(latest.into_iter().map(|((a, b), verdict)| Judged { a, b, verdict }).collect())
}

/// Trains (or loads) the model, scores the candidates, clusters and writes what was asked.
fn execute(
    linkage: &Linkage,
    judgements: &[Judged],
    args: &RunArgs,
    started: Instant,
    out: &mut Output,
) -> Result<(), Failure> {
    let mut steps = Vec::new();
    let mut lap = started;
    let mut step = |name: &'static str| {
        steps.push((name, lap.elapsed().as_secs_f64()));
        lap = Instant::now();
    };
    step("read");
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
    let (model, scored, candidates, threshold, chosen_by) = score_all(linkage, judgements, args)?;
    step("train and score");
    let require_independent = linkage.checked.config.clustering.require_independent;
    let weights = Weights::new(&model);
    let clusters =
        cluster(&linkage.records, &scored, threshold, require_independent, judgements, linkage.weigher(&weights));
    let links = scored.iter().filter(|s| is_link(s, threshold, require_independent)).count();
    step("cluster");

    if let Some(path) = &args.save_model {
        write_atomically(path, model.to_toml().as_bytes())?;
    }
    // Made from a synthetic (demo) project, the tables say so on their first line.
    let labelled = |mut table: Vec<u8>| {
        if crate::output::SYNTHETIC.load(std::sync::atomic::Ordering::Relaxed) {
            table.splice(0..0, b"# SYNTHETIC DATA: linked from a clew demo's fictional testimonies\n".iter().copied());
        }
        table
    };
    if let Some(path) = &args.pairs {
        let min_weight = args.min_weight.unwrap_or(threshold);
        let text = pairs_csv(linkage, &weights, &scored, min_weight, threshold, require_independent, args.explain);
        write_atomically(path, &labelled(text))?;
    }
    if let Some(path) = &args.clusters {
        write_atomically(path, &labelled(clusters_csv(&linkage.records, &clusters)))?;
    }
    step("write");
    let mut refused = Refused::default();
    for refusal in &clusters.refused {
        match refusal {
            Refusal::JudgedDifferent { .. } => refused.judged_different += 1,
            Refusal::Chain { .. } => refused.chain += 1,
            Refusal::TooLarge { .. } => refused.too_large += 1,
            Refusal::NamesDiffer { .. } => refused.names_differ += 1,
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

/// The model (loaded or trained, judgements as labels), the scored candidates, and the threshold with how it was
/// chosen.
#[allow(clippy::type_complexity)]
fn score_all(
    linkage: &Linkage,
    judgements: &[Judged],
    args: &RunArgs,
) -> Result<(Model, Vec<Scored>, Vec<(u32, u32)>, f64, &'static str), Failure> {
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
    let candidates = linkage.candidates();
    let scored = linkage.score(&model, &candidates).map_err(failure)?;
    let clustering = &linkage.checked.config.clustering;
    let (threshold, chosen_by) = match (args.threshold, clustering.threshold) {
        (Some(t), _) => (t, "--threshold"),
        (None, Some(t)) => (t, "config"),
        (None, None) => (expected_best_threshold(&scored, clustering.require_independent), "the model's expected F1"),
    };
    Ok((model, scored, candidates, threshold, chosen_by))
}

fn is_link(s: &Scored, threshold: f64, require_independent: bool) -> bool {
    f64::from(s.weight) >= threshold && s.linkable(require_independent)
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
        "names_differ".into(),
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
            s.names_differ.to_string(),
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
    let (Some(left), Some(right), Some(verdict_column)) = (position("id_l"), position("id_r"), position("verdict"))
    else {
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
        let verdict = Verdict::parse(field(verdict_column));
        if verdict.is_none() {
            problem(format!("verdict: `{}` is not same, different or unsure", field(verdict_column)));
        }
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

/// Writes a file whole or not at all, private (0600): `clew_files::write_atomic`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    clew_files::write_atomic(path, bytes).map_err(|e| Failure::internal(e.to_string()))
}

/// A pair put to a reviewer.
#[derive(Debug, Serialize)]
struct ReviewPair {
    entity_a: String,
    entity_b: String,
    match_weight: f64,
    match_probability: f64,
    independent: bool,
    names_differ: bool,
    /// The prior's weight: where every pair starts before any comparison (the weights of the parts add to it).
    prior_weight: f64,
    parts: Vec<clew_link::predict::Part>,
}

/// `clew link review`: the pairs not yet judged whose weight is nearest the threshold (the model is least sure
/// of them, and a verdict on them teaches it most), each explained.
pub fn review(
    project: &clew_store::Project,
    schema: &str,
    config_path: Option<&Path>,
    limit: usize,
    out: &mut Output,
) -> Result<(), Failure> {
    if limit == 0 {
        return Err(Failure::usage("--limit: at least 1".into()));
    }
    let (linkage, _) = project_linkage(project, schema, config_path, None, out)?;
    linkage.plan().map_err(failure)?;
    let judgements = stored_judgements(project, &linkage.records)?;
    // A pair judged unsure is left to the model, and may come back for review.
    let judged: std::collections::HashSet<(u32, u32)> =
        judgements.iter().filter(|j| j.verdict != Verdict::Unsure).map(|j| (j.a, j.b)).collect();
    let args = RunArgs::default();
    let (model, scored, _, threshold, _) = score_all(&linkage, &judgements, &args)?;
    let weights = Weights::new(&model);
    let mut open: Vec<&Scored> = scored.iter().filter(|s| !judged.contains(&(s.a, s.b))).collect();
    let distance = |s: &Scored| (f64::from(s.weight) - threshold).abs();
    open.sort_by(|x, y| distance(x).total_cmp(&distance(y)).then((x.a, x.b).cmp(&(y.a, y.b))));
    let pairs: Vec<ReviewPair> = open
        .into_iter()
        .take(limit)
        .map(|s| {
            let explained = explain(&linkage.fields, &weights, s.a, s.b);
            ReviewPair {
                entity_a: linkage.records.id(s.a).to_string(),
                entity_b: linkage.records.id(s.b).to_string(),
                match_weight: f64::from(s.weight),
                match_probability: probability(f64::from(s.weight)),
                independent: s.independent,
                names_differ: s.names_differ,
                prior_weight: explained.prior,
                parts: explained.parts,
            }
        })
        .collect();
    out.value(&pairs, |out| {
        if pairs.is_empty() {
            return out.line("nothing to review: every candidate pair is judged");
        }
        out.line(&format!(
            "{} pairs the model is least sure of (threshold {threshold:.2}); judge with `clew link judge A B same|different|unsure --note ...`:",
            pairs.len()
        ))?;
        for pair in &pairs {
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
    project: &clew_store::Project,
    a: &str,
    b: &str,
    verdict: &str,
    note: &str,
    user: &str,
    out: &mut Output,
) -> Result<(), Failure> {
    let id = |text: &str| clew_model::EntityId::new(text).map_err(|e| Failure::usage(format!("`{text}`: {e}")));
    let judgement = clew_intake::linkage::record_judgement(project.store(), &id(a)?, &id(b)?, verdict, note, user)?;
    out.value(&judgement, |out| {
        out.line(&format!(
            "recorded: {} and {} are {} (by {}, {})",
            judgement.entity_a,
            judgement.entity_b,
            match judgement.verdict.as_str() {
                "same" => "the same",
                "different" => "different",
                _ => "not known to be the same or different",
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

/// The capture-history table of the project's linked entities: one 0/1 column per list, the stratum when
/// asked, and the count of entities with that history. Entities on no list are counted apart (they are not
/// observable in this table).
pub fn histories(project: &clew_store::Project, args: &HistoryArgs, out: &mut Output) -> Result<(), Failure> {
    let mut lists: Vec<(String, String)> = Vec::new();
    for spec in args.lists {
        let Some((name, prefix)) = spec.split_once('=') else {
            return Err(Failure::usage(format!(
                "--list {spec}: give NAME=PREFIX (the sources whose id begins with PREFIX)"
            )));
        };
        let (name, prefix) = (name.trim(), prefix.trim());
        let clash = name == "count" || Some(name) == args.stratum || lists.iter().any(|(n, _)| n == name);
        if name.is_empty() || name.contains([',', '"']) || clash {
            return Err(Failure::usage(format!(
                "--list {spec}: each list needs its own name, without commas or quotes, other than `count` and the stratum"
            )));
        }
        if prefix.is_empty() {
            return Err(Failure::usage(format!("--list {spec}: the prefix is empty, so every source would be on it")));
        }
        lists.push((name.to_string(), prefix.to_string()));
    }
    if args.stratum == Some("count") {
        return Err(Failure::usage("--stratum count: `count` is the table's count column".into()));
    }
    if lists.len() < 2 {
        return Err(Failure::usage("give at least two --list NAME=PREFIX: estimation needs overlapping lists".into()));
    }
    let (linkage, rows) = project_linkage(project, args.schema, args.config, args.stratum, out)?;
    linkage.plan().map_err(failure)?;
    let judgements = stored_judgements(project, &linkage.records)?;
    let run = RunArgs::default();
    let (model, scored, _, threshold, _) = score_all(&linkage, &judgements, &run)?;
    let weights = Weights::new(&model);
    let require_independent = linkage.checked.config.clustering.require_independent;
    let clusters =
        cluster(&linkage.records, &scored, threshold, require_independent, &judgements, linkage.weigher(&weights));
    // Per entity: the lists its records' sources are on, and its stratum.
    let entities = clusters.canonical.len();
    let mut on = vec![vec![false; lists.len()]; entities];
    let mut strata: Vec<Option<String>> = vec![None; entities];
    let mut conflicts = std::collections::BTreeSet::new();
    // A source is on one list at most: overlapping prefixes would make the lists overlap by construction, and
    // the estimate too small.
    let mut ambiguous = std::collections::BTreeMap::new();
    for (record, entity) in clusters.entity_of.iter().enumerate() {
        let entity = *entity as usize;
        for source in &rows.sources[record] {
            let matching: Vec<usize> = (0..lists.len()).filter(|i| source.starts_with(lists[*i].1.as_str())).collect();
            if matching.len() > 1 {
                ambiguous.insert(source.clone(), matching.iter().map(|i| lists[*i].0.clone()).collect::<Vec<_>>());
            }
            for i in matching {
                on[entity][i] = true;
            }
        }
        let value = &rows.strata[record];
        if !value.is_empty() {
            match &strata[entity] {
                None => strata[entity] = Some(value.clone()),
                Some(kept) if kept != value => {
                    conflicts.insert(entity);
                }
                Some(_) => {}
            }
        }
    }
    if let Some((source, names)) = ambiguous.iter().next() {
        return Err(Failure::usage(format!(
            "the source {source} is on the lists {} ({} sources are on several lists): give prefixes that do not overlap",
            names.join(" and "),
            ambiguous.len()
        )));
    }
    if let Some(stratum) = args.stratum
        && strata.iter().all(Option::is_none)
    {
        return Err(Failure::usage(format!("--stratum {stratum}: no linked entity has a value of it")));
    }
    let mut patterns: std::collections::BTreeMap<(Vec<bool>, String), u64> = std::collections::BTreeMap::new();
    let mut on_no_list = 0;
    for (entity, bits) in on.iter().enumerate() {
        if !bits.contains(&true) {
            on_no_list += 1;
            continue;
        }
        let stratum = strata[entity].clone().unwrap_or_default();
        *patterns.entry((bits.clone(), stratum)).or_insert(0) += 1;
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = lists.iter().map(|(n, _)| n.clone()).collect();
    if let Some(stratum) = args.stratum {
        header.push(stratum.to_string());
    }
    header.push("count".into());
    let _ = writer.write_record(&header);
    for ((bits, stratum), count) in patterns.iter().rev() {
        let mut row: Vec<String> = bits.iter().map(|b| u8::from(*b).to_string()).collect();
        if args.stratum.is_some() {
            row.push(stratum.clone());
        }
        row.push(count.to_string());
        let _ = writer.write_record(&row);
    }
    let mut table = writer.into_inner().unwrap_or_default();
    if project.config.synthetic {
        // Made from fictional testimonies: the table says so, and estimates made from it say so in turn.
        let note = b"# SYNTHETIC DATA: capture histories of the people a clew demo's fictional testimonies name\n";
        table.splice(0..0, note.iter().copied());
    }
    let report = HistoryReport {
        entities,
        on_no_list,
        per_list: lists.iter().enumerate().map(|(i, (n, _))| (n.clone(), on.iter().filter(|b| b[i]).count())).collect(),
        strata_in_conflict: conflicts.len(),
        patterns: patterns.len(),
        threshold,
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
    let without = patterns.keys().filter(|(_, stratum)| stratum.is_empty()).count();
    if args.stratum.is_some() && without > 0 {
        lines.push(format!("{without} capture histories are of entities without a stratum (an empty value)"));
    }
    match args.out {
        Some(path) => {
            write_atomically(path, &table)?;
            out.value(&report, |out| lines.iter().try_for_each(|line| out.line(line)))
        }
        None => {
            // The table goes to standard output; what to know about it, to standard error.
            for line in &lines {
                out.note(line)?;
            }
            out.raw(&String::from_utf8_lossy(&table))
        }
    }
}
