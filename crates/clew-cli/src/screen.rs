//! `clew screen`: names screened against sanctions lists, each candidate with its score and explanation; and
//! `clew lists`: the lists a project keeps. What is screened, kept and recorded is clew-service's; this is the
//! command line's side of it (arguments in, text or JSON out).

use std::path::PathBuf;

use clew_screen::lists::Format;
use clew_service::{Actor, ListFile, QueryFile, ScreenOptions, ScreeningReport, Service, explain_name};

use crate::output::{Failure, Output};

/// How `clew screen` was asked to run.
pub struct ScreenArgs {
    /// List files.
    pub lists: Vec<PathBuf>,
    /// Their format, when not detected.
    pub format: Option<Format>,
    /// The queries file; without it, the project's entities are screened against its kept lists.
    pub queries: Option<PathBuf>,
    /// Match threshold.
    pub threshold: f64,
    /// Candidates per query.
    pub top: usize,
    /// Only queries with a match, and only their matching candidates.
    pub matches_only: bool,
    /// Record the project's matches as derived statements.
    pub record: bool,
}

/// Runs `clew screen`: on a queries file, or (without one) on the project's entities.
pub fn screen(args: ScreenArgs, service: Option<&Service>, actor: &Actor, out: &mut Output) -> Result<(), Failure> {
    let options = ScreenOptions::new(args.threshold, args.top, args.matches_only)?;
    let lists = args
        .lists
        .iter()
        .map(|path| Ok(ListFile::read(path, args.format)?.into_list()))
        .collect::<Result<Vec<_>, Failure>>()?;
    if args.record && args.queries.is_some() {
        return Err(Failure::usage("--record records a project's screening: leave out --queries".into()));
    }
    let report = match (&args.queries, service) {
        (Some(path), _) => clew_service::screen_queries(lists, QueryFile::read(path)?, &options)?,
        (None, Some(service)) => service.screen_entities(lists, &options, args.record.then_some(actor))?,
        (None, None) => {
            return Err(Failure::usage("give --queries FILE.csv, or run in a project to screen its entities".into()));
        }
    };
    if let Some(recorded) = &report.recorded {
        out.note(&format!(
            "recorded: {} entities screened; matches of {} written anew, {} unchanged, {} no longer screened; {} statements written, {} retracted",
            recorded.entities, recorded.recorded, recorded.unchanged, recorded.no_longer_screened, recorded.statements, recorded.retracted
        ))?;
    }
    for warning in &report.warnings {
        out.note(&format!("warning: {warning}"))?;
    }
    out.value(&report, |out| print_report(out, &report))
}

fn print_report(out: &mut Output, report: &ScreeningReport) -> Result<(), Failure> {
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
        out.line(&format!("  screened as {}: {}", result.schema.unwrap_or("every kind"), result.kind.describe()))?;
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

/// `clew lists import FILE`: checks a list and keeps it in the project, logged.
pub fn import_list(
    service: &Service,
    path: &std::path::Path,
    format: Option<Format>,
    actor: &Actor,
    out: &mut Output,
) -> Result<(), Failure> {
    let file = ListFile::read(path, format)?;
    let imported = service.import_list(actor, &file)?;
    for warning in &file.list().warnings {
        out.note(&format!("warning: {warning}"))?;
    }
    out.value(&imported, |out| {
        let kept = &imported.list;
        out.line(&if imported.already_kept {
            format!("{} ({}) is kept already: sha256 {}", kept.name, kept.file_name, kept.sha256)
        } else {
            format!(
                "kept {} ({}{}): {} listed entities, sha256 {}",
                kept.name,
                kept.format,
                kept.version.as_ref().map(|v| format!(", {v}")).unwrap_or_default(),
                kept.entities,
                kept.sha256
            )
        })
    })
}

/// `clew lists list`: the lists kept in the project.
pub fn list_lists(service: &Service, out: &mut Output) -> Result<(), Failure> {
    let lists = service.lists()?;
    out.value(&lists, |out| {
        if lists.is_empty() {
            return out.line("no list kept: `clew lists import FILE`");
        }
        for list in &lists {
            out.line(&format!(
                "{} ({}{}) {} entities, imported {} by {}, sha256 {}",
                list.name,
                list.format,
                list.version.as_ref().map(|v| format!(", {v}")).unwrap_or_default(),
                list.entities,
                list.imported_at,
                list.imported_by,
                &list.sha256[..16]
            ))?;
        }
        Ok(())
    })
}
