//! `clew screen`: names screened against sanctions lists, each candidate with its score and explanation.

use std::path::{Path, PathBuf};

use clew_model::Diagnostic;
use clew_screen::entity::ListInfo;
use clew_screen::lists::{Format, List, LoadError, read_csv, read_ftm, read_ofac_csv, read_un_xml};
use clew_screen::screen::{Candidate, Options, Screener, read_queries};
use serde::Serialize;

use crate::output::{Failure, Output};

/// A list or query file that could not be read, as a diagnostic (file, line, column).
fn diagnostic(error: &LoadError) -> Diagnostic {
    let (file, pos, message) = match error {
        LoadError::Encoding { origin, .. } | LoadError::File { origin, .. } => {
            (origin.clone(), None, error.to_string())
        }
        LoadError::At { origin, line, column, message } => {
            (origin.clone(), Some(clew_model::doc::Pos { line: *line as u32, column: *column as u32 }), message.clone())
        }
    };
    let message = match error {
        LoadError::At { .. } => message,
        _ => message.trim_start_matches(&format!("{file}: ")).to_string(),
    };
    Diagnostic { file: Some(file), pos, path: String::new(), message }
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

/// Reads one list file, its format given or detected. An OFAC `sdn` file brings its `alt` file (aliases) when
/// one lies beside it under the same name with `alt` for `sdn`.
pub fn read_list(path: &Path, format: Option<Format>) -> Result<List, Failure> {
    let bytes = read(path)?;
    let origin = path.display().to_string();
    let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let format = match format.or_else(|| Format::detect(&file_name, &bytes)) {
        Some(format) => format,
        None => {
            return Err(Failure::usage(format!(
                "{origin}: cannot tell the list's format; give --format un-xml, ofac-csv, ftm or csv"
            )));
        }
    };
    let result = match format {
        Format::UnXml => read_un_xml(&origin, &bytes),
        Format::Ftm => read_ftm(&origin, &bytes),
        Format::Csv => read_csv(&origin, &bytes),
        Format::OfacCsv => {
            let alt = file_name.contains("sdn").then(|| path.with_file_name(file_name.replacen("sdn", "alt", 1)));
            match alt.filter(|p| p.exists()) {
                Some(alt_path) => {
                    let alt_bytes = read(&alt_path)?;
                    read_ofac_csv((&origin, &bytes), Some((&alt_path.display().to_string(), &alt_bytes)))
                }
                None => read_ofac_csv((&origin, &bytes), None),
            }
        }
    };
    result.map_err(|e| Failure::invalid(vec![diagnostic(&e)]))
}

/// One query's result.
#[derive(Serialize)]
struct QueryResult {
    query: String,
    name: String,
    candidates: Vec<Candidate>,
}

/// The whole report.
#[derive(Serialize)]
struct Report {
    matcher: &'static str,
    scorer: &'static str,
    threshold: f64,
    lists: Vec<ListInfo>,
    queries: usize,
    queries_with_match: usize,
    results: Vec<QueryResult>,
    warnings: Vec<String>,
}

/// How `clew screen` was asked to run.
pub struct ScreenArgs {
    /// List files.
    pub lists: Vec<PathBuf>,
    /// Their format, when not detected.
    pub format: Option<Format>,
    /// The queries file.
    pub queries: PathBuf,
    /// Match threshold.
    pub threshold: f64,
    /// Candidates per query.
    pub top: usize,
    /// Only queries with a match, and only their matching candidates.
    pub matches_only: bool,
}

/// Runs `clew screen` on files.
pub fn screen(args: ScreenArgs, out: &mut Output) -> Result<(), Failure> {
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(Failure::usage(format!("--threshold {} is not between 0 and 1", args.threshold)));
    }
    let mut entities = Vec::new();
    let mut infos = Vec::new();
    let mut warnings = Vec::new();
    for path in &args.lists {
        let list = read_list(path, args.format)?;
        infos.push((*list.info).clone());
        warnings.extend(list.warnings);
        entities.extend(list.entities);
    }
    let bytes = read(&args.queries)?;
    let (queries, query_warnings) = read_queries(&args.queries.display().to_string(), &bytes)
        .map_err(|e| Failure::invalid(vec![diagnostic(&e)]))?;
    warnings.extend(query_warnings);
    let screener = Screener::new(entities);
    let options = Options { threshold: args.threshold, top: args.top, ..Options::default() };
    let mut results = Vec::with_capacity(queries.len());
    for query in &queries {
        let mut candidates = screener.screen(query, &options);
        if args.matches_only {
            candidates.retain(|c| c.matched);
            if candidates.is_empty() {
                continue;
            }
        }
        results.push(QueryResult {
            query: query.id.clone(),
            name: query.names.first().map(|n| n.text.clone()).unwrap_or_default(),
            candidates,
        });
    }
    let report = Report {
        matcher: clew_names::MATCHER_VERSION,
        scorer: clew_screen::screen::SCORER_VERSION,
        threshold: args.threshold,
        lists: infos,
        queries: queries.len(),
        queries_with_match: results.iter().filter(|r| r.candidates.iter().any(|c| c.matched)).count(),
        results,
        warnings,
    };
    for warning in &report.warnings {
        out.note(&format!("warning: {warning}"))?;
    }
    out.value(&report, |out| print_report(out, &report))
}

fn print_report(out: &mut Output, report: &Report) -> Result<(), Failure> {
    for list in &report.lists {
        out.line(&format!(
            "list: {} ({}{}) sha256 {}",
            list.name,
            list.format,
            list.version.as_ref().map(|v| format!(", {v}")).unwrap_or_default(),
            &list.sha256[..16]
        ))?;
    }
    for result in &report.results {
        out.line(&format!("\n{}  {}", result.query, result.name))?;
        if result.candidates.is_empty() {
            out.line("  no candidate")?;
        }
        for candidate in &result.candidates {
            out.line(&format!(
                "  {:.2} {} {} `{}`{} [{}]",
                candidate.score,
                if candidate.matched { "MATCH" } else { "     " },
                candidate.entity_id,
                candidate.list_name,
                if candidate.weak_alias { " (weak alias)" } else { "" },
                candidate.list
            ))?;
            out.line(&format!("       {}", explain_name(candidate)))?;
            for qualifier in &candidate.qualifiers {
                out.line(&format!("       {} {:+.2} ({})", qualifier.feature, qualifier.effect, qualifier.detail))?;
            }
        }
    }
    out.line(&format!(
        "\n{} queries, {} with a match at {:.2} ({}, {})",
        report.queries, report.queries_with_match, report.threshold, report.matcher, report.scorer
    ))
}

/// One line saying how the names compared.
fn explain_name(candidate: &Candidate) -> String {
    let found = &candidate.name_match;
    if let Some(korean) = &found.korean {
        let parts: Vec<String> = korean
            .parts
            .iter()
            .map(|p| {
                format!(
                    "{}~{}: {}",
                    if p.left.is_empty() { "-" } else { &p.left },
                    if p.right.is_empty() { "-" } else { &p.right },
                    p.rule
                )
            })
            .collect();
        return format!("name {:.2}, Korean: {}", found.score, parts.join("; "));
    }
    if let Some(generic) = &found.generic {
        let parts: Vec<String> = generic
            .pairs
            .iter()
            .map(|p| {
                format!(
                    "{}~{} {:.2}",
                    if p.left.is_empty() { "-" } else { &p.left },
                    if p.right.is_empty() { "-" } else { &p.right },
                    p.similarity
                )
            })
            .collect();
        let disagreement = generic.disagreement.as_ref().map(|d| format!("; {d}")).unwrap_or_default();
        return format!("name {:.2}, word by word: {}{disagreement}", found.score, parts.join(", "));
    }
    format!("name {:.2}, the same words", found.score)
}
