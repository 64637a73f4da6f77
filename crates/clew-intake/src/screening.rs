//! Screening results recorded as derived statements (`clew screen --record`). Each screened entity's matches
//! are a source of their own, `screen:ENTITY`, whose content hash covers the matching rules' versions, the
//! threshold, the lists (by SHA-256) and every match. Recording again writes only what changed (the store
//! retracts the earlier generation), and an entity no longer screened (its statements withdrawn or retracted)
//! has its matches retracted. Each match is an entity of schema `SanctionsMatch` carrying the list, its
//! version and hash, the name that matched, the score, the rules' versions and why. Every batch is a custody
//! event.

use clew_model::{Claim, EntityId, Sensitivity, SourceId, SourceKind, Statement};
use clew_store::{SourceDraft, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::derived::{DerivedWrite, write_derived};
use crate::import::{ImportRun, WriteError};

/// Entities recorded per transaction (each one a custody event).
const PER_BATCH: usize = 1_000;

/// One match found for an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningMatch {
    /// The list entry's id (`un-KPi.049`).
    pub list_entry: String,
    /// The list's name.
    pub list_name: String,
    /// The list's version, when it gives one.
    pub list_version: Option<String>,
    /// SHA-256 of the list's file.
    pub list_sha256: String,
    /// The entry's name that matched.
    pub matched_name: String,
    /// The score.
    pub score: f64,
    /// Why, in words.
    pub explanation: String,
}

/// One screened entity and what was found for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenedEntity {
    /// The entity of the project.
    pub entity: EntityId,
    /// Whether it is synthetic (demo) data.
    pub synthetic: bool,
    /// The matches (candidates at or above the threshold).
    pub matches: Vec<ScreeningMatch>,
}

/// What recording did.
#[derive(Debug, Clone, Default, Serialize)]
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

/// The source id of an entity's recorded screening.
pub fn screening_source(entity: &EntityId) -> Result<SourceId, String> {
    SourceId::new(&format!("screen:{entity}"))
}

/// Records every screened entity's matches; `basis` names what the results depend on besides the matches
/// (rules' versions, threshold, the lists' hashes).
pub fn record_screening(
    store: &dyn Store,
    screened: &[ScreenedEntity],
    basis: &str,
    matcher_version: &str,
    recorded_by: &str,
) -> Result<ScreeningRecordReport, WriteError> {
    let mut report = ScreeningRecordReport::default();
    let now_screened: std::collections::HashSet<SourceId> =
        screened.iter().filter_map(|s| screening_source(&s.entity).ok()).collect();
    // Entities screened before but not now: an empty result retracts their matches.
    let stale: Vec<ScreenedEntity> = store
        .read()?
        .sources_of_kind(SourceKind::Screening)?
        .into_iter()
        .filter(|(id, _)| !now_screened.contains(id))
        .filter_map(|(id, _)| id.as_str().strip_prefix("screen:").and_then(|e| EntityId::new(e).ok()))
        .map(|entity| ScreenedEntity { entity, synthetic: false, matches: Vec::new() })
        .collect();
    let all: Vec<(&ScreenedEntity, bool)> =
        screened.iter().map(|s| (s, false)).chain(stale.iter().map(|s| (s, true))).collect();
    for chunk in all.chunks(PER_BATCH) {
        let mut run = ImportRun::begin(Some(store), recorded_by, "screening")?;
        let recorded_at = run.recorded_at().to_string();
        for (entity, is_stale) in chunk {
            let id = screening_source(&entity.entity).map_err(WriteError::Mapping)?;
            let mut hasher = Sha256::new();
            if *is_stale {
                hasher.update(b"no longer screened\n");
            } else {
                report.entities += 1;
                hasher.update(format!("{basis}\n"));
                // Everything stored is hashed, the explanation too: a changed explanation (new rules giving the
                // same score for other reasons) is re-derived, never left standing beside the new rules.
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
                match_statements(entity, &id, generation, matcher_version, recorded_by, &recorded_at)
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

/// The statements of one entity's matches: one `SanctionsMatch` entity per match.
fn match_statements(
    screened: &ScreenedEntity,
    source: &SourceId,
    generation: u32,
    matcher_version: &str,
    recorded_by: &str,
    recorded_at: &str,
) -> Result<Vec<Statement>, String> {
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
