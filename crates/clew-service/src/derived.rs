//! Assessments recorded as derived statements (`clew assess --record`), so that they can be shown, exported
//! and cited like any fact, with their provenance: each testimony's assessment is a source of its own,
//! `assess:TESTIMONY`, whose content hash covers the rules, the taxonomy and every statement it was derived
//! from. Recording again re-derives only what changed (the store retracts the earlier generation), and a
//! testimony whose consent was withdrawn passes its withdrawal on: withdrawn entirely, its derived statements
//! are all retracted. Every batch is a custody event (a judgement, in the log's words).

use clew_assess::{Rules, Taxonomy, assess, engine::SPELL_SCHEMATA};
use clew_model::{Claim, EntityId, Sensitivity, SourceId, SourceKind, Statement};
use clew_store::{SourceDraft, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};

use clew_custody::WriteError;
use clew_intake::import::{ImportRun, Written};
use clew_intake::mapping::assessment_source;

/// Testimonies recorded per transaction (each one a custody event).
const PER_BATCH: usize = 1_000;

/// What recording did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RecordReport {
    /// Testimonies considered.
    pub testimonies: u64,
    /// Assessments written anew (new or changed).
    pub recorded: u64,
    /// Assessments unchanged (same rules, taxonomy and evidence).
    pub unchanged: u64,
    /// Derived statements written.
    pub statements: u64,
    /// Derived statements retracted (evidence changed, or consent withdrawn).
    pub retracted: u64,
}

/// Records the assessment of every testimony as derived statements.
pub fn record_assessments(
    store: &dyn Store,
    rules: &Rules,
    taxonomy: &Taxonomy,
    recorded_by: &str,
) -> Result<RecordReport, WriteError> {
    let testimonies = store.read()?.sources_of_kind(SourceKind::Testimony)?;
    let mut report = RecordReport::default();
    for chunk in testimonies.chunks(PER_BATCH) {
        let mut run = ImportRun::begin(Some(store), recorded_by, clew_custody::EventKind::Assessment)?;
        let recorded_at = run.recorded_at().to_string();
        // Derive from what the chunk's own transaction reads, then write there with its custody event: a
        // testimony changed or withdrawn since the list was read is assessed as it is now, and its withdrawal
        // is the one the assessment carries.
        let Some(tx) = run.writer()? else { break };
        let reads = tx.reads();
        let mut derived = Vec::with_capacity(chunk.len());
        for (testimony, listed_withdrawal) in chunk {
            let withdrawn = match reads.consent(testimony)? {
                Some(consent) => consent.withdrawn,
                None => listed_withdrawal.clone(),
            };
            let statements: Vec<Statement> = crate::browse::testimony_statements(reads, testimony)?
                .into_iter()
                .filter(|s| SPELL_SCHEMATA.contains(&s.schema.as_str()))
                .collect();
            derived.push((testimony.clone(), withdrawn, statements));
        }
        for (testimony, withdrawn, statements) in derived {
            report.testimonies += 1;
            let id = assessment_source(&testimony).map_err(WriteError::Mapping)?;
            // The content hash covers what the result depends on: rules, taxonomy, withdrawal, evidence.
            let mut hasher = Sha256::new();
            hasher.update(format!(
                "{}\n{}\n{}\n{withdrawn:?}\n",
                clew_assess::engine::ENGINE_VERSION,
                rules.digest,
                taxonomy.version
            ));
            let mut ids: Vec<&str> = statements.iter().map(|s| s.id.as_str()).collect();
            ids.sort_unstable();
            for statement in ids {
                hasher.update(statement);
                hasher.update(b"\n");
            }
            let draft = SourceDraft {
                id: id.clone(),
                kind: SourceKind::Assessment,
                title: format!("Assessment of {testimony} (rules {}, taxonomy {})", rules.version, taxonomy.version),
                content_hash: hex::encode(hasher.finalize()),
                synthetic: statements.iter().any(|s| s.property == "synthetic" && s.value == "true"),
                withdrawn: withdrawn.clone(),
            };
            let written = write_derived(&mut run, &draft, |generation| {
                if withdrawn.as_deref() == Some("all") {
                    return Ok(Vec::new());
                }
                derived_statements(&testimony, &id, generation, &statements, rules, taxonomy, recorded_by, &recorded_at)
                    .map_err(WriteError::Mapping)
            })?;
            match written {
                None => break,
                Some(DerivedWrite::Unchanged) => report.unchanged += 1,
                Some(DerivedWrite::Written { statements, retracted }) => {
                    report.recorded += 1;
                    report.statements += statements;
                    report.retracted += retracted;
                }
            }
        }
        run.finish(false)?;
    }
    Ok(report)
}

/// What writing one derived source did.
pub enum DerivedWrite {
    /// Its content hash was the same: nothing written.
    Unchanged,
    /// Written anew: the earlier generation's statements retracted, these written.
    Written {
        /// Statements written.
        statements: u64,
        /// Statements of the earlier generation retracted.
        retracted: u64,
    },
}

/// Writes one derived source (an assessment, a screening): nothing when its content hash is unchanged;
/// otherwise the store retracts the earlier generation and `statements(generation)` are written. `None` when
/// the run has stopped writing.
pub fn write_derived(
    run: &mut ImportRun<'_>,
    draft: &SourceDraft,
    statements: impl FnOnce(u32) -> Result<Vec<Statement>, WriteError>,
) -> Result<Option<DerivedWrite>, WriteError> {
    let Some(tx) = run.writer()? else { return Ok(None) };
    let outcome = tx.put_source(draft)?;
    let (generation, retracted) = match outcome {
        clew_store::SourceOutcome::Unchanged { .. } => {
            run.written(draft, Written { outcome, statements: 0 });
            return Ok(Some(DerivedWrite::Unchanged));
        }
        clew_store::SourceOutcome::New { generation } => (generation, 0),
        clew_store::SourceOutcome::Changed { generation, retracted } => (generation, retracted),
    };
    let derived = statements(generation)?;
    let written = tx.put_statements(&derived)?;
    run.written(draft, Written { outcome, statements: written });
    Ok(Some(DerivedWrite::Written { statements: written, retracted }))
}

/// The statements of one testimony's assessment: per work spell, its two outcomes and every code found,
/// each located at the rule that found it.
#[allow(clippy::too_many_arguments)]
fn derived_statements(
    testimony: &SourceId,
    source: &SourceId,
    generation: u32,
    statements: &[Statement],
    rules: &Rules,
    taxonomy: &Taxonomy,
    recorded_by: &str,
    recorded_at: &str,
) -> Result<Vec<Statement>, String> {
    let assessment = assess(testimony, statements, rules, taxonomy);
    let mut out = Vec::new();
    let mut push = |entity: &EntityId, property: &str, value: &str, locator: String| {
        let claim = Claim {
            entity_id: entity.clone(),
            schema: "Employment",
            property,
            value: value.to_string(),
            source_id: source,
            locator,
            generation,
        };
        out.push(Statement::new(claim, recorded_by, recorded_at, 1.0, Sensitivity::Restricted));
    };
    for spell in &assessment.spells {
        let Some(entity) = &spell.spell else { continue };
        push(entity, "iclsOutcome", spell.icls.code(), "field:assessment.icls".into());
        push(entity, "ilo2012Outcome", spell.ilo_2012.code(), "field:assessment.ilo2012".into());
        for finding in &spell.findings {
            for code in &finding.codes {
                push(entity, "finding", code, format!("field:rule.{}", finding.rule));
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    Ok(out)
}
