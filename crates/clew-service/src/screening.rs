//! Screening: names (a queries file's, or a project's people and organisations) screened against sanctions
//! lists, each candidate with its score and its explanation; and a project's matches recorded as derived
//! statements (`clew screen --record`).
//!
//! A project's entities are screened by the properties a FollowTheMoney list's entities are read by
//! (`clew_screen::lists::FTM_NAME_PROPERTIES` and the others): one mapping from schema to screening.
//!
//! Recorded, each screened entity's matches are a source of their own, `screen:ENTITY`, whose content hash covers
//! the matching rules' versions, the threshold, the lists (by SHA-256) and every match, its explanation too (the
//! words built here, [`explain_candidate`]): a changed explanation is recorded again, never left standing as the
//! provenance of new rules. Recording again writes only what changed (the store retracts the earlier
//! generation), and an entity no longer screened (its statements withdrawn or retracted) has its matches
//! retracted. Each match is an entity of schema `SanctionsMatch` carrying the list, its version and hash, the
//! name that matched, the score, the rules' versions and why. Every batch is a custody event.

use std::collections::HashSet;
use std::path::Path;

use crate::derived::{DerivedWrite, write_derived};
use clew_custody::WriteError;
use clew_intake::import::ImportRun;
use clew_intake::mapping::{screened_entity, screening_source};
use clew_model::{Claim, EntityId, Sensitivity, SourceId, SourceKind, Statement};
use clew_screen::entity::{EntityKind, Gender, ListInfo, normalize_identifier};
use clew_screen::kinds::KindChoice;
use clew_screen::lists::{FTM_COUNTRY_PROPERTIES, FTM_IDENTIFIER_PROPERTIES, FTM_NAME_PROPERTIES, List};
use clew_screen::screen::{Candidate, Options, Query, SCORER_VERSION, Screener};
use clew_store::SourceDraft;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::lists::diagnostic;
use crate::read_data_file;
use crate::{Actor, Error, Result, Service};

/// Entities recorded per transaction (each one a custody event).
const PER_BATCH: usize = 1_000;

/// How to screen, checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenOptions {
    threshold: f64,
    top: usize,
    matches_only: bool,
}

impl ScreenOptions {
    /// Candidates from `threshold` (between 0 and 1) are matches; at most `top` per query; with `matches_only`,
    /// only the queries with a match are reported, with only their matching candidates (recording takes every
    /// match either way).
    pub fn new(threshold: f64, top: usize, matches_only: bool) -> Result<ScreenOptions> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::usage(format!("--threshold {threshold} is not between 0 and 1")));
        }
        Ok(ScreenOptions { threshold, top, matches_only })
    }

    /// The match threshold.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }
}

/// A queries file read: the names to screen, and what was read but could not be fully used.
#[derive(Debug, Clone)]
pub struct QueryFile {
    queries: Vec<Query>,
    warnings: Vec<String>,
}

impl QueryFile {
    /// Reads a queries file (a CSV with `full_name`, see `clew_screen::screen::read_queries`), at most
    /// `clew_files::limits::DATA_FILE` bytes; a file that cannot be read is invalid input, with its place.
    pub fn read(path: &Path) -> Result<QueryFile> {
        let bytes = read_data_file(path)?;
        let (queries, warnings) = clew_screen::screen::read_queries(&path.display().to_string(), &bytes)
            .map_err(|e| Error::invalid(vec![diagnostic(&e)]))?;
        Ok(QueryFile { queries, warnings })
    }
}

/// One query's result.
#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    /// The query: its place in the queries file, or the project's entity.
    pub query: String,
    /// Its first name.
    pub name: String,
    /// The schema it was screened as; `None` when every kind was tried.
    pub schema: Option<&'static str>,
    /// How that was chosen: given, inferred (and from what), or both tried.
    pub kind: KindChoice,
    /// The candidates, best first.
    pub candidates: Vec<Candidate>,
}

/// What screening found.
#[derive(Debug, Clone, Serialize)]
pub struct ScreeningReport {
    /// The name matcher's version.
    pub matcher: &'static str,
    /// The scorer's version.
    pub scorer: &'static str,
    /// The match threshold.
    pub threshold: f64,
    /// The lists screened against.
    pub lists: Vec<ListInfo>,
    /// Queries screened.
    pub queries: usize,
    /// Of them, those with a match.
    pub queries_with_match: usize,
    /// Per query (only those with a match, when asked), its candidates.
    pub results: Vec<QueryResult>,
    /// What the lists and queries held that could not be fully used.
    pub warnings: Vec<String>,
    /// What recording did, when the matches were recorded.
    #[serde(skip)]
    pub recorded: Option<ScreeningRecordReport>,
}

/// What recording did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScreeningRecordReport {
    /// Entities screened.
    pub entities: u64,
    /// Entities whose matches were written anew (new or changed).
    pub recorded: u64,
    /// Entities whose matches were unchanged.
    pub unchanged: u64,
    /// Entities screened before and not now: their matches retracted.
    pub no_longer_screened: u64,
    /// Derived statements written.
    pub statements: u64,
    /// Derived statements retracted.
    pub retracted: u64,
}

/// Screens a queries file's names against `lists` (no project needed).
pub fn screen_queries(lists: Vec<List>, queries: QueryFile, options: &ScreenOptions) -> Result<ScreeningReport> {
    let Screening { report, .. } = screen(lists, queries.queries, queries.warnings, options, None)?;
    Ok(report)
}

impl Service {
    /// Screens the project's people and organisations against `lists` and the newest version of each list the
    /// project keeps (after them, in the report). With `record`, every match is recorded as derived statements by
    /// that actor, whatever `matches_only` leaves in the report.
    pub fn screen_entities(
        &self,
        mut lists: Vec<List>,
        options: &ScreenOptions,
        record: Option<&Actor>,
    ) -> Result<ScreeningReport> {
        lists.extend(self.kept_lists()?);
        let (queries, synthetic) = self.screening_queries()?;
        let Screening { mut report, screened } =
            screen(lists, queries, Vec::new(), options, record.map(|_| &synthetic))?;
        if let Some(actor) = record {
            let mut hashes: Vec<&str> = report.lists.iter().map(|i| i.sha256.as_str()).collect();
            hashes.sort_unstable();
            let basis = format!(
                "{} {} threshold {:.4} lists {}",
                clew_names::MATCHER_VERSION,
                SCORER_VERSION,
                options.threshold,
                hashes.join(",")
            );
            report.recorded = Some(self.record_screening(actor, &screened, &basis)?);
        }
        Ok(report)
    }

    /// The project's people and organisations as queries: names (by the list mapping's name properties, and
    /// first with last name), dates of birth, countries, gender, identifiers; with the ids of the synthetic ones.
    fn screening_queries(&self) -> Result<(Vec<Query>, HashSet<String>)> {
        let model = crate::analysis::model()?;
        let mut queries = Vec::new();
        let mut synthetic = HashSet::new();
        self.project.read()?.for_each_entity(&mut |id, statements| {
            let Some(entity) = clew_model::Entity::assemble(model, &id, statements) else { return Ok(()) };
            let kind = match EntityKind::of_schema(&entity.schema) {
                kind @ (EntityKind::Person | EntityKind::Organization) => kind,
                _ => return Ok(()),
            };
            let mut names: Vec<String> =
                FTM_NAME_PROPERTIES.iter().flat_map(|p| entity.values(p)).map(String::from).collect();
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
            let birth_dates = entity
                .values("birthDate")
                .iter()
                .filter_map(|d| clew_screen::screen::parse_birth_date(d).ok())
                .collect();
            let countries = FTM_COUNTRY_PROPERTIES
                .iter()
                .flat_map(|p| entity.values(p))
                .filter_map(clew_screen::countries::code_of)
                .collect();
            let identifiers = FTM_IDENTIFIER_PROPERTIES
                .iter()
                .flat_map(|p| entity.values(p))
                .map(normalize_identifier)
                .filter(|i| !i.is_empty())
                .collect();
            queries.push(Query {
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
}

/// A screening's report, and (when recording) every query's matches.
struct Screening {
    report: ScreeningReport,
    screened: Vec<ScreenedEntity>,
}

/// Screens `queries` against `lists`; with `recording` (the synthetic entities' ids), every query is a project's
/// entity whose matches are kept for recording.
fn screen(
    lists: Vec<List>,
    queries: Vec<Query>,
    query_warnings: Vec<String>,
    options: &ScreenOptions,
    recording: Option<&HashSet<String>>,
) -> Result<Screening> {
    let mut entities = Vec::new();
    let mut infos = Vec::with_capacity(lists.len());
    let mut warnings = Vec::new();
    for list in lists {
        infos.push((*list.info).clone());
        warnings.extend(list.warnings);
        entities.extend(list.entities);
    }
    warnings.extend(query_warnings);
    if entities.is_empty() {
        return Err(Error::usage("no list to screen against: give --list FILE, or keep one with `clew lists import`"));
    }
    let screener = Screener::new(entities);
    let screening = Options { threshold: options.threshold, top: options.top, ..Options::default() };
    let mut results = Vec::with_capacity(queries.len());
    let mut screened = Vec::new();
    for query in &queries {
        let mut candidates = screener.screen(query, &screening);
        if let Some(synthetic) = recording {
            let matches = candidates.iter().filter(|c| c.matched).map(ScreeningMatch::of).collect();
            let entity = EntityId::new(&query.id).map_err(Error::internal)?;
            screened.push(ScreenedEntity { synthetic: synthetic.contains(&query.id), entity, matches });
        }
        if options.matches_only {
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
    let report = ScreeningReport {
        matcher: clew_names::MATCHER_VERSION,
        scorer: SCORER_VERSION,
        threshold: options.threshold,
        lists: infos,
        queries: queries.len(),
        queries_with_match: results.iter().filter(|r| r.candidates.iter().any(|c| c.matched)).count(),
        results,
        warnings,
        recorded: None,
    };
    Ok(Screening { report, screened })
}

/// A candidate's explanation in one line: the name comparison and what the qualifiers took off. Recorded as
/// the `explanation` of a match (and covered by its content hash).
pub fn explain_candidate(candidate: &Candidate) -> String {
    let mut text = explain_name(candidate);
    for qualifier in &candidate.qualifiers {
        text.push_str(&format!("; {} {:+.2} ({})", qualifier.feature, qualifier.effect, qualifier.detail));
    }
    text
}

/// One line saying how the names compared: part by part for Korean names (with each part's rule), word by word
/// otherwise.
pub fn explain_name(candidate: &Candidate) -> String {
    explain_name_match(&candidate.name_match)
}

/// How two names compared, in one line (what [`explain_name`] says of a candidate's; search says it of a hit).
pub(crate) fn explain_name_match(found: &clew_names::NameMatch) -> String {
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

/// One match found for an entity, as recorded.
#[derive(Debug, Clone, PartialEq)]
struct ScreeningMatch {
    /// The list entry's id (`un-KPi.049`).
    list_entry: String,
    /// The list's name.
    list_name: String,
    /// The list's version, when it gives one.
    list_version: Option<String>,
    /// SHA-256 of the list's file.
    list_sha256: String,
    /// The entry's name that matched.
    matched_name: String,
    /// The score.
    score: f64,
    /// Why, in words ([`explain_candidate`]).
    explanation: String,
}

impl ScreeningMatch {
    /// A matching candidate, as recorded.
    fn of(candidate: &Candidate) -> ScreeningMatch {
        ScreeningMatch {
            list_entry: candidate.entity_id.clone(),
            list_name: candidate.list.clone(),
            list_version: candidate.list_version.clone(),
            list_sha256: candidate.list_sha256.clone(),
            matched_name: candidate.list_name.clone(),
            score: candidate.score,
            explanation: explain_candidate(candidate),
        }
    }
}

/// One screened entity and what was found for it.
#[derive(Debug, Clone, PartialEq)]
struct ScreenedEntity {
    /// The entity of the project.
    entity: EntityId,
    /// Whether it is synthetic (demo) data.
    synthetic: bool,
    /// The matches (candidates at or above the threshold).
    matches: Vec<ScreeningMatch>,
}

impl Service {
    /// Records every screened entity's matches, by `actor`; `basis` names what the results depend on besides the
    /// matches (the rules' versions, the threshold, the lists' hashes).
    fn record_screening(
        &self,
        actor: &Actor,
        screened: &[ScreenedEntity],
        basis: &str,
    ) -> Result<ScreeningRecordReport> {
        let store = self.project.store();
        let matcher_version = format!("{} {}", clew_names::MATCHER_VERSION, SCORER_VERSION);
        let mut report = ScreeningRecordReport::default();
        let now_screened: HashSet<SourceId> =
            screened.iter().filter_map(|s| screening_source(&s.entity).ok()).collect();
        // Entities screened before but not now: an empty result retracts their matches.
        let stale: Vec<ScreenedEntity> = store
            .read()?
            .sources_of_kind(SourceKind::Screening)?
            .into_iter()
            .filter(|(id, _)| !now_screened.contains(id))
            .filter_map(|(id, _)| screened_entity(&id))
            .map(|entity| ScreenedEntity { entity, synthetic: false, matches: Vec::new() })
            .collect();
        let all: Vec<(&ScreenedEntity, bool)> =
            screened.iter().map(|s| (s, false)).chain(stale.iter().map(|s| (s, true))).collect();
        for chunk in all.chunks(PER_BATCH) {
            let mut run = ImportRun::begin(Some(store), actor.name(), clew_custody::EventKind::Screening)?;
            let recorded_at = run.recorded_at().to_string();
            for (entity, is_stale) in chunk {
                let id = screening_source(&entity.entity).map_err(Error::internal)?;
                let mut hasher = Sha256::new();
                if *is_stale {
                    hasher.update(b"no longer screened\n");
                } else {
                    report.entities += 1;
                    hasher.update(format!("{basis}\n"));
                    // Everything stored is hashed, the explanation too: a changed explanation (new rules giving
                    // the same score for other reasons) is re-derived, never left standing beside the new rules.
                    // Each match as a JSON array: no two different matches hash alike, whatever their text holds.
                    for found in &entity.matches {
                        let fields = serde_json::json!([
                            found.list_sha256,
                            found.list_name,
                            found.list_version,
                            found.list_entry,
                            format!("{:.4}", found.score),
                            found.matched_name,
                            found.explanation,
                        ]);
                        hasher.update(format!("{fields}\n"));
                    }
                }
                let draft = SourceDraft {
                    id: id.clone(),
                    kind: SourceKind::Screening,
                    title: format!("Sanctions screening of {} ({matcher_version})", entity.entity),
                    content_hash: hex::encode(hasher.finalize()),
                    synthetic: entity.synthetic,
                    withdrawn: None,
                };
                let written = write_derived(&mut run, &draft, |generation| {
                    match_statements(entity, &id, generation, &matcher_version, actor.name(), &recorded_at)
                        .map_err(WriteError::Mapping)
                })?;
                match written {
                    None => break,
                    Some(DerivedWrite::Unchanged) if !is_stale => report.unchanged += 1,
                    Some(DerivedWrite::Unchanged) => {}
                    Some(DerivedWrite::Written { statements, retracted }) => {
                        if *is_stale {
                            report.no_longer_screened += 1;
                        } else {
                            report.recorded += 1;
                        }
                        report.statements += statements;
                        report.retracted += retracted;
                    }
                }
            }
            run.finish(false)?;
        }
        Ok(report)
    }
}

/// The statements of one entity's matches: one `SanctionsMatch` entity per match.
fn match_statements(
    screened: &ScreenedEntity,
    source: &SourceId,
    generation: u32,
    matcher_version: &str,
    recorded_by: &str,
    recorded_at: &str,
) -> std::result::Result<Vec<Statement>, String> {
    let mut out = Vec::new();
    for found in &screened.matches {
        let key = clew_model::ids::sha256_hex(
            format!("{}\n{}\n{}", screened.entity, found.list_sha256, found.list_entry).as_bytes(),
        );
        let match_id = EntityId::new(&format!("match.{}", &key[..24]))?;
        let mut push = |property: &str, value: String| {
            let claim = Claim {
                entity_id: match_id.clone(),
                schema: "SanctionsMatch",
                property,
                value,
                source_id: source,
                locator: "field:screening".into(),
                generation,
            };
            out.push(Statement::new(claim, recorded_by, recorded_at, 1.0, Sensitivity::Internal));
        };
        push("subject", screened.entity.to_string());
        push("listEntry", found.list_entry.clone());
        push("listName", found.list_name.clone());
        if let Some(version) = &found.list_version {
            push("listVersion", version.clone());
        }
        push("listSha256", found.list_sha256.clone());
        push("matchedName", found.matched_name.clone());
        push("score", clew_model::value::canonical_number((found.score * 10_000.0).round() / 10_000.0));
        push("matcherVersion", matcher_version.to_string());
        push("explanation", found.explanation.clone());
        if screened.synthetic {
            push("synthetic", "true".into());
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use crate::tests::project;

    /// The explanations stated by an entity's recorded screening.
    fn stated_explanations(service: &Service, entity: &EntityId) -> Vec<(String, String)> {
        let source = screening_source(entity).unwrap();
        let statements = service.project().read().unwrap().source_statements(&source).unwrap();
        statements.into_iter().filter(|s| s.property == "explanation").map(|s| (s.id.to_string(), s.value)).collect()
    }

    #[test]
    fn a_recorded_explanation_is_hashed_so_another_one_is_stated_anew() {
        // The hash once left the stored explanation out: new rules giving the same score for other reasons were
        // never re-derived, and the old explanation stood as provenance.
        let (_dir, service, actor) = project();
        let entity = EntityId::new("demo.company.0001").unwrap();
        let found = ScreeningMatch {
            list_entry: "F-1".into(),
            list_name: "fictional list".into(),
            list_version: Some("2026-01-01".into()),
            list_sha256: "ab".repeat(32),
            matched_name: "DEMO TRADING LLC".into(),
            score: 0.91,
            explanation: "name 0.91, word by word".into(),
        };
        let record = |found: &ScreeningMatch| {
            let screened = [ScreenedEntity { entity: entity.clone(), synthetic: true, matches: vec![found.clone()] }];
            service.record_screening(&actor, &screened, "basis").unwrap()
        };
        assert_eq!(record(&found).recorded, 1);
        assert_eq!(record(&found).unchanged, 1);
        let first = stated_explanations(&service, &entity);
        assert_eq!(first.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["name 0.91, word by word"]);

        let explained_otherwise = ScreeningMatch { explanation: "name 0.91, Korean syllables".into(), ..found.clone() };
        let again = record(&explained_otherwise);
        assert_eq!((again.recorded, again.unchanged, again.retracted), (1, 0, again.statements));
        let second = stated_explanations(&service, &entity);
        assert_eq!(second.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["name 0.91, Korean syllables"]);
        assert_ne!(first[0].0, second[0].0, "two explanations are two statements");

        let renamed_list = ScreeningMatch { list_name: "another list".into(), ..explained_otherwise };
        assert_eq!(record(&renamed_list).recorded, 1);
        // Not screened any more: its matches are retracted.
        let report = service.record_screening(&actor, &[], "basis").unwrap();
        assert_eq!(report.no_longer_screened, 1);
        assert!(stated_explanations(&service, &entity).is_empty());
    }

    #[test]
    fn a_project_entity_is_screened_by_the_lists_mapping_and_its_explanation_recorded() {
        let (dir, service, actor) = project();
        // A previous name is a name a list reads (FTM_NAME_PROPERTIES): the project's entity is screened by it.
        let entities = dir.path().join("entities.ftm.json");
        std::fs::write(
            &entities,
            r#"{"id": "syn.company.1", "schema": "Company", "properties": {"name": ["NEW SYNTHETIC NAME LLC"], "previousName": ["OLD SYNTHETIC TRADING LLC"]}}"#,
        )
        .unwrap();
        let options = clew_intake::ftm::FtmImportOptions {
            dry_run: false,
            recorded_by: actor.name().into(),
            skip_unknown: false,
            sensitivity: Sensitivity::Internal,
            source: None,
        };
        let input = clew_intake::input::InputPath::File(entities);
        let model = clew_model::Model::builtin().unwrap();
        let imported =
            clew_intake::ftm::import_ftm(model, Some(service.project().store()), &[input], &options, &mut |_| {})
                .unwrap();
        assert!(imported.diagnostics.is_empty(), "{:?}", imported.diagnostics);
        let list = dir.path().join("list.csv");
        std::fs::write(&list, "id,name,schema\nS-1,OLD SYNTHETIC TRADING LLC,Company\n").unwrap();
        let lists = vec![crate::ListFile::read(&list, None).unwrap().into_list()];

        let options = ScreenOptions::new(0.7, 5, true).unwrap();
        let report = service.screen_entities(lists.clone(), &options, Some(&actor)).unwrap();
        assert_eq!((report.queries, report.queries_with_match), (1, 1));
        let result = &report.results[0];
        assert_eq!((result.query.as_str(), result.name.as_str()), ("syn.company.1", "NEW SYNTHETIC NAME LLC"));
        let candidate = &result.candidates[0];
        assert_eq!((candidate.entity_id.as_str(), candidate.matched), ("S-1", true));
        assert_eq!(candidate.query_name, "OLD SYNTHETIC TRADING LLC", "matched by its previous name");
        assert_eq!(report.recorded.as_ref().map(|r| (r.entities, r.recorded)), Some((1, 1)));
        let entity = EntityId::new("syn.company.1").unwrap();
        let stated = stated_explanations(&service, &entity);
        assert_eq!(stated.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(), [explain_candidate(candidate)]);

        let report = service.screen_entities(lists, &options, Some(&actor)).unwrap();
        assert_eq!(report.recorded.map(|r| (r.recorded, r.unchanged)), Some((0, 1)));
        let report = service.screen_entities(Vec::new(), &options, None).unwrap_err();
        assert!(report.message().starts_with("no list to screen against"), "{report}");
    }

    #[test]
    fn a_threshold_outside_zero_to_one_is_refused() {
        assert_eq!(ScreenOptions::new(1.5, 5, false).unwrap_err().code(), crate::Code::Usage);
        assert_eq!(ScreenOptions::new(0.7, 5, false).unwrap().threshold(), 0.7);
    }
}
