//! `clew screen`: names screened against sanctions lists, each candidate with its score and explanation.

use std::path::{Path, PathBuf};

use clew_model::Diagnostic;
use clew_screen::entity::ListInfo;
use clew_screen::kinds::KindChoice;
use clew_screen::lists::{Format, List, LoadError, read_csv, read_ftm, read_ofac_csv, read_un_xml};
use clew_screen::ofac_xml::read_ofac_xml;
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
    crate::output::read_file(path, clew_files::limits::DATA_FILE)
}

/// Reads one list file, its format given or detected; returns the list and the file's bytes. An OFAC legacy CSV
/// file brings its aliases and addresses files when they lie beside it (`sdn.csv` with `alt.csv` and `add.csv`,
/// `cons_prim.csv` with `cons_alt.csv` and `cons_add.csv`: `clew_screen::lists::ofac_companion_names`); a
/// project keeps them together.
pub fn read_list(path: &Path, format: Option<Format>) -> Result<ListFile, Failure> {
    let bytes = read(path)?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let beside = |name: String| -> Result<Option<(String, Vec<u8>)>, Failure> {
        let path = path.with_file_name(name);
        if path.exists() { Ok(Some((path.display().to_string(), read(&path)?))) } else { Ok(None) }
    };
    let (alt, add) = match clew_screen::lists::ofac_companion_names(&file_name) {
        Some((alt, add)) => (beside(alt)?, beside(add)?),
        None => (None, None),
    };
    let list = parse_list(path, &bytes, format, borrowed(&alt), borrowed(&add))?;
    // The aliases and addresses files count only for an OFAC list.
    let ofac = list.info.format == Format::OfacCsv.name();
    let companion = alt.filter(|_| ofac).map(|(_, b)| b);
    let addresses = add.filter(|_| ofac).map(|(_, b)| b);
    Ok(ListFile { list, bytes, companion, addresses })
}

fn borrowed(file: &Option<(String, Vec<u8>)>) -> Option<(&str, &[u8])> {
    file.as_ref().map(|(origin, bytes)| (origin.as_str(), bytes.as_slice()))
}

/// A list read from a file, with the file's bytes and its companions' (OFAC's aliases and addresses).
pub struct ListFile {
    /// The list.
    pub list: List,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The aliases file's bytes, for an OFAC list that has one beside it.
    pub companion: Option<Vec<u8>>,
    /// The addresses file's bytes, for an OFAC list that has one beside it.
    pub addresses: Option<Vec<u8>>,
}

/// Reads a list from its bytes (an OFAC legacy CSV file with its aliases and addresses files, when given).
fn parse_list(
    path: &Path,
    bytes: &[u8],
    format: Option<Format>,
    alt: Option<(&str, &[u8])>,
    add: Option<(&str, &[u8])>,
) -> Result<List, Failure> {
    let origin = path.display().to_string();
    let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let format = match format.or_else(|| Format::detect(&file_name, bytes)) {
        Some(format) => format,
        None => {
            return Err(Failure::usage(format!(
                "{origin}: cannot tell the list's format; give --format un-xml, ofac-csv, ftm or csv"
            )));
        }
    };
    let result = match format {
        Format::UnXml => read_un_xml(&origin, bytes),
        Format::Ftm => read_ftm(&origin, bytes),
        Format::Csv => read_csv(&origin, bytes),
        Format::OfacCsv => read_ofac_csv((&origin, bytes), alt, add),
        Format::OfacXml => read_ofac_xml(&origin, bytes),
    };
    result.map_err(|e| Failure::invalid(vec![diagnostic(&e)]))
}

/// One query's result.
#[derive(Serialize)]
struct QueryResult {
    query: String,
    name: String,
    /// The schema it was screened as; `None` when every kind was tried.
    schema: Option<&'static str>,
    /// How that was chosen: given, inferred (and from what), or both tried.
    kind: KindChoice,
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
pub fn screen(
    args: ScreenArgs,
    project_for_record: Option<&clew_store::Project>,
    user: &str,
    out: &mut Output,
) -> Result<(), Failure> {
    let project = project_for_record;
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(Failure::usage(format!("--threshold {} is not between 0 and 1", args.threshold)));
    }
    let mut entities = Vec::new();
    let mut infos = Vec::new();
    let mut warnings = Vec::new();
    for path in &args.lists {
        let list = read_list(path, args.format)?.list;
        infos.push((*list.info).clone());
        warnings.extend(list.warnings);
        entities.extend(list.entities);
    }
    let mut synthetic_entities = std::collections::HashSet::new();
    if args.record && args.queries.is_some() {
        return Err(Failure::usage("--record records a project's screening: leave out --queries".into()));
    }
    let queries = match &args.queries {
        Some(path) => {
            let bytes = read(path)?;
            let (queries, query_warnings) = read_queries(&path.display().to_string(), &bytes)
                .map_err(|e| Failure::invalid(vec![diagnostic(&e)]))?;
            warnings.extend(query_warnings);
            queries
        }
        None => {
            let Some(project) = project else {
                return Err(Failure::usage(
                    "give --queries FILE.csv, or run in a project to screen its entities".into(),
                ));
            };
            // The newest kept version of each list: an older one would bring back entries since delisted.
            let mut newest: Vec<clew_store::StoredList> = Vec::new();
            for kept in project.read()?.sanctions_lists()? {
                newest.retain(|n| !(n.name == kept.name && n.format == kept.format));
                newest.push(kept);
            }
            for kept in newest {
                let files =
                    clew_intake::lists::read_kept_list(&project.list_dir(), &kept).map_err(Failure::internal)?;
                let format = Format::parse(&kept.format)
                    .ok_or_else(|| Failure::internal(format!("unknown list format {}", kept.format)))?;
                let alt = files.aliases.as_deref().map(|b| ("aliases", b));
                let add = files.addresses.as_deref().map(|b| ("addresses", b));
                let list = parse_list(Path::new(&kept.file_name), &files.list, Some(format), alt, add)?;
                infos.push((*list.info).clone());
                warnings.extend(list.warnings);
                entities.extend(list.entities);
            }
            let (queries, synthetic) = project_queries(project)?;
            synthetic_entities = synthetic;
            queries
        }
    };
    if entities.is_empty() {
        return Err(Failure::usage(
            "no list to screen against: give --list FILE, or keep one with `clew lists import`".into(),
        ));
    }
    let screener = Screener::new(entities);
    let options = Options { threshold: args.threshold, top: args.top, ..Options::default() };
    let mut results = Vec::with_capacity(queries.len());
    let mut screened = Vec::new();
    for query in &queries {
        let mut candidates = screener.screen(query, &options);
        if args.record {
            let matches = candidates
                .iter()
                .filter(|c| c.matched)
                .map(|c| clew_intake::screening::ScreeningMatch {
                    list_entry: c.entity_id.clone(),
                    list_name: c.list.clone(),
                    list_version: c.list_version.clone(),
                    list_sha256: c.list_sha256.clone(),
                    matched_name: c.list_name.clone(),
                    score: c.score,
                    explanation: explain_candidate(c),
                })
                .collect();
            let entity = clew_model::EntityId::new(&query.id).map_err(Failure::internal)?;
            screened.push(clew_intake::screening::ScreenedEntity {
                synthetic: synthetic_entities.contains(&query.id),
                entity,
                matches,
            });
        }
        if args.matches_only {
            candidates.retain(|c| c.matched);
            if candidates.is_empty() {
                continue;
            }
        }
        results.push(QueryResult {
            query: query.id.clone(),
            name: query.names.first().map(|n| n.text.clone()).unwrap_or_default(),
            schema: query.kind.map(|k| k.schema()),
            kind: query.kind_choice.clone(),
            candidates,
        });
    }
    let recorded = match (args.record, project_for_record) {
        (true, Some(project)) => {
            let mut hashes: Vec<&str> = infos.iter().map(|i| i.sha256.as_str()).collect();
            hashes.sort_unstable();
            let basis = format!(
                "{} {} threshold {:.4} lists {}",
                clew_names::MATCHER_VERSION,
                clew_screen::screen::SCORER_VERSION,
                args.threshold,
                hashes.join(",")
            );
            let matcher = format!("{} {}", clew_names::MATCHER_VERSION, clew_screen::screen::SCORER_VERSION);
            Some(clew_intake::screening::record_screening(project.store(), &screened, &basis, &matcher, user)?)
        }
        _ => None,
    };
    if let Some(recorded) = &recorded {
        out.note(&format!(
            "recorded: {} entities screened; matches of {} written anew, {} unchanged, {} no longer screened; {} statements written, {} retracted",
            recorded.entities, recorded.recorded, recorded.unchanged, recorded.no_longer_screened, recorded.statements, recorded.retracted
        ))?;
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

/// A candidate's explanation in one line: the name comparison and what the qualifiers took off.
fn explain_candidate(candidate: &Candidate) -> String {
    let mut text = explain_name(candidate);
    for qualifier in &candidate.qualifiers {
        text.push_str(&format!("; {} {:+.2} ({})", qualifier.feature, qualifier.effect, qualifier.detail));
    }
    text
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

/// The project's people and organisations as queries: names (name, alias, weakAlias, first and last name),
/// dates of birth, nationalities and countries, gender, identifiers.
fn project_queries(
    project: &clew_store::Project,
) -> Result<(Vec<clew_screen::screen::Query>, std::collections::HashSet<String>), Failure> {
    use clew_screen::entity::{EntityKind, Gender, normalize_identifier};
    let model = clew_model::Model::builtin().map_err(|_| Failure::internal("the built-in schema is invalid".into()))?;
    let mut queries = Vec::new();
    let mut synthetic = std::collections::HashSet::new();
    project.read()?.for_each_entity(&mut |id, statements| {
        let Some(entity) = clew_model::Entity::assemble(model, &id, statements) else { return Ok(()) };
        let kind = match entity.schema.as_str() {
            "Person" => EntityKind::Person,
            "Organization" | "Company" | "PublicBody" | "LegalEntity" => EntityKind::Organization,
            _ => return Ok(()),
        };
        let mut names: Vec<String> =
            ["name", "alias", "weakAlias"].iter().flat_map(|p| entity.values(p)).map(String::from).collect();
        let (first, last) = (entity.values("firstName"), entity.values("lastName"));
        if let (Some(first), Some(last)) = (first.first(), last.first()) {
            names.push(format!("{first} {last}"));
        }
        if names.is_empty() {
            return Ok(());
        }
        if entity.values("synthetic").contains(&"true") {
            synthetic.insert(id.to_string());
        }
        let birth_dates =
            entity.values("birthDate").iter().filter_map(|d| clew_screen::screen::parse_birth_date(d).ok()).collect();
        let countries = ["nationality", "country", "jurisdiction"]
            .iter()
            .flat_map(|p| entity.values(p))
            .filter_map(clew_screen::countries::code_of)
            .collect();
        let identifiers = ["registrationNumber", "innCode", "ogrnCode", "idNumber", "passportNumber"]
            .iter()
            .flat_map(|p| entity.values(p))
            .map(normalize_identifier)
            .filter(|i| !i.is_empty())
            .collect();
        queries.push(clew_screen::screen::Query {
            id: id.to_string(),
            kind: Some(kind),
            kind_choice: KindChoice::Given,
            names: names.iter().map(|n| clew_names::Name::new(n, kind.name_kind())).collect(),
            birth_dates,
            countries,
            gender: entity.values("gender").first().and_then(|g| Gender::parse(g)),
            identifiers,
        });
        Ok(())
    })?;
    Ok((queries, synthetic))
}

/// `clew lists import FILE`: checks a list and keeps it in the project, logged.
pub fn import_list(
    project: &clew_store::Project,
    path: &Path,
    format: Option<Format>,
    user: &str,
    out: &mut Output,
) -> Result<(), Failure> {
    let ListFile { list, bytes, companion, addresses } = read_list(path, format)?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let list_dir = project.list_dir();
    let imported = clew_intake::lists::import_list(
        project.store(),
        &list_dir,
        &file_name,
        &bytes,
        companion.as_deref(),
        addresses.as_deref(),
        &list.info.name,
        list.info.version.as_deref(),
        list.info.format,
        list.entities.len() as u64,
        user,
    )?;
    for warning in &list.warnings {
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
pub fn list_lists(project: &clew_store::Project, out: &mut Output) -> Result<(), Failure> {
    let lists = project.read()?.sanctions_lists()?;
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
