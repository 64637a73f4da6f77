//! The import driver: reads every input, checks every record, and writes all of them in one transaction,
//! or nothing at all when anything is wrong.

use std::collections::{HashMap, HashSet};

use clew_model::read::Reader;
use clew_model::{Diagnostic, Model, SourceKind};
use clew_store::{Batch, ReadTx, SourceDraft, SourceOutcome, Store, WriteTx};
use clew_vault::Recipient;
use serde::Serialize;
use sha2::{Digest, Sha256};

use clew_model::doc::Node;

use clew_custody::{EventKind, WriteError, check_sealed_to, custodian_keys, now_rfc3339, record_event};

use crate::input::{InputPath, read_text, records};
use crate::mapping::{DERIVED_ID_MARK, Fact, content_hash, testimony_facts};
use crate::testimony::{Testimony, read_testimony_in_project};

/// How to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// Check and count, write nothing.
    pub dry_run: bool,
    /// Who imports (recorded on the batch).
    pub recorded_by: String,
    /// The project holds synthetic data only (a demo): a testimony not marked synthetic is refused.
    pub synthetic_only: bool,
}

/// What an import did (or, with errors or `--dry-run`, would have done).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// Input files read.
    pub files: u64,
    /// Records (testimonies or FtM entities) read.
    pub records: u64,
    /// Sources new to the project.
    pub new_sources: u64,
    /// Sources whose content changed (earlier statements retracted).
    pub changed_sources: u64,
    /// Sources already imported with the same content.
    pub unchanged_sources: u64,
    /// Statements written.
    pub statements: u64,
    /// Statements retracted because their source changed.
    pub retracted: u64,
    /// Protected blocks sealed and stored, each as a new version beside any earlier ones (none is replaced).
    pub protected_versions: u64,
    /// Records skipped on request (`--skip-unknown`), and protected blocks stored as a new version of an
    /// unchanged testimony, with why.
    pub warnings: Vec<Diagnostic>,
    /// Everything wrong; when not empty, nothing was written.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the transaction was committed.
    pub committed: bool,
}

/// Counts of one source write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// What the store knew of the source.
    pub outcome: SourceOutcome,
    /// Statements written.
    pub statements: u64,
}

/// A checked testimony turned into what the store needs, before its source generation is known.
/// Preparing is independent of the store, so it can run on another thread while the store writes.
#[derive(Debug, Clone)]
pub struct PreparedTestimony<'m> {
    /// The source to register.
    pub source: SourceDraft,
    /// Its facts.
    pub facts: Vec<Fact<'m>>,
    /// Its narrative segments.
    pub segments: Vec<clew_model::Segment>,
    /// The consent record (JSON).
    pub consent: String,
    /// The protected block, sealed to the custodians (absent when there is none, or when only checking).
    pub sealed_protected: Option<Vec<u8>>,
}

/// Maps a checked testimony to its facts and records, and seals its protected block to the custodians.
/// `custodians` is `None` when only checking: nothing is sealed then, as nothing will be written.
pub fn prepare_testimony<'m>(
    model: &'m Model,
    testimony: Testimony,
    custodians: Option<&[Recipient]>,
) -> Result<PreparedTestimony<'m>, WriteError> {
    let facts = testimony_facts(model, &testimony).map_err(WriteError::Mapping)?;
    let source = SourceDraft {
        id: testimony.id.clone(),
        kind: SourceKind::Testimony,
        title: testimony.title.clone().unwrap_or_else(|| format!("Testimony {}", testimony.id)),
        content_hash: content_hash(&testimony).map_err(WriteError::Mapping)?,
        synthetic: testimony.synthetic,
        withdrawn: testimony.consent.withdrawal.as_ref().map(|w| w.scope.clone()),
    };
    let consent = serde_json::to_string(&testimony.consent).map_err(|e| WriteError::Mapping(e.to_string()))?;
    let sealed_protected = match (&testimony.protected, custodians) {
        (Some(protected), Some(custodians)) => {
            let plaintext = zeroize::Zeroizing::new(protected.0.to_string().into_bytes());
            Some(clew_vault::seal(custodians, &plaintext)?)
        }
        _ => None,
    };
    Ok(PreparedTestimony { source, facts, segments: testimony.segments, consent, sealed_protected })
}

/// Writes a prepared testimony: its source, statements, segments, consent and protected block. A testimony
/// already stored with the same content writes nothing.
pub fn write_prepared(
    tx: &mut dyn WriteTx,
    prepared: PreparedTestimony<'_>,
    recorded_by: &str,
    recorded_at: &str,
) -> Result<Written, WriteError> {
    let outcome = tx.put_source(&prepared.source)?;
    let generation = match outcome {
        SourceOutcome::Unchanged { generation } => {
            // The content hash leaves the protected block out (it would let anyone holding the database test
            // guesses of a witness's name), and sealed blocks cannot be compared without a custodian's key: a
            // block that may have changed alone is kept as a new version beside the earlier ones, which stay,
            // and the import's custody event commits to it.
            if let Some(sealed) = &prepared.sealed_protected {
                tx.put_protected(&prepared.source.id, generation, sealed)?;
            }
            return Ok(Written { outcome, statements: 0 });
        }
        SourceOutcome::New { generation } | SourceOutcome::Changed { generation, .. } => generation,
    };
    let id = &prepared.source.id;
    let statements: Vec<_> =
        prepared.facts.into_iter().map(|fact| fact.into_statement(id, generation, recorded_by, recorded_at)).collect();
    let inserted = tx.put_statements(&statements)?;
    tx.put_segments(id, generation, &prepared.segments)?;
    tx.put_consent(id, generation, &prepared.consent)?;
    if let Some(sealed) = &prepared.sealed_protected {
        tx.put_protected(id, generation, sealed)?;
    }
    Ok(Written { outcome, statements: inserted })
}

/// Adds a write's counts to a report.
pub fn count(report: &mut ImportReport, written: Written) {
    report.statements += written.statements;
    match written.outcome {
        SourceOutcome::New { .. } => report.new_sources += 1,
        SourceOutcome::Unchanged { .. } => report.unchanged_sources += 1,
        SourceOutcome::Changed { retracted, .. } => {
            report.changed_sources += 1;
            report.retracted += retracted;
        }
    }
}

/// One import run: its transaction (absent when only checking), its report, and its time.
/// Writing stops at the first problem (nothing will be committed) while checking goes on to the end.
/// The transaction (and with it the store's write lock) begins at the first record to write. Protected blocks
/// are sealed to the custodians read when the run began; when it stored any, that they are still the
/// project's custodians is checked inside the transaction before it commits.
pub struct ImportRun<'s> {
    store: Option<&'s dyn Store>,
    /// The custodians protected data is sealed to (`None` when only checking).
    custodians: Option<Vec<Recipient>>,
    batch: Batch,
    /// What its custody event records.
    kind: EventKind,
    tx: Option<Box<dyn WriteTx + 's>>,
    /// SHA-256 over the id and content hash of every source written, for the custody log.
    sources: Sha256,
    /// What the run found and did.
    pub report: ImportReport,
}

impl<'s> ImportRun<'s> {
    /// Starts a run; with a store, it will write to it.
    pub fn begin(store: Option<&'s dyn Store>, recorded_by: &str, kind: EventKind) -> Result<Self, WriteError> {
        let batch =
            Batch { recorded_by: recorded_by.to_string(), recorded_at: now_rfc3339(), operation: kind.as_str().into() };
        let custodians = match &store {
            Some(store) => Some(custodian_keys(&*store.read()?)?),
            None => None,
        };
        Ok(ImportRun {
            store,
            custodians,
            batch,
            kind,
            tx: None,
            sources: Sha256::new(),
            report: ImportReport::default(),
        })
    }

    /// The custodians protected data is sealed to (`None` when only checking).
    pub fn custodians(&self) -> Option<&[Recipient]> {
        self.custodians.as_deref()
    }

    /// Who runs it.
    pub fn recorded_by(&self) -> &str {
        &self.batch.recorded_by
    }

    /// When it started (RFC 3339), recorded with its statements.
    pub fn recorded_at(&self) -> &str {
        &self.batch.recorded_at
    }

    /// Reads an input and splits it into records; a problem is recorded and gives `None`. The text is wiped
    /// from memory when dropped: a testimony file holds its protected block in the clear.
    pub fn read(&mut self, input: &InputPath) -> Option<(String, zeroize::Zeroizing<String>, Vec<Node>)> {
        self.report.files += 1;
        let name = input.display_name();
        let text = match read_text(input) {
            Ok(text) => zeroize::Zeroizing::new(text),
            Err(diagnostic) => {
                self.report.diagnostics.push(diagnostic);
                return None;
            }
        };
        match records(&name, &text) {
            Ok(nodes) => Some((name, text, nodes)),
            Err(diagnostic) => {
                self.report.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// Records the problems a reader found in a file.
    pub fn problems(&mut self, file: &str, diagnostics: Vec<Diagnostic>) {
        self.report.diagnostics.extend(diagnostics.into_iter().map(|mut d| {
            d.file = Some(file.to_string());
            d
        }));
    }

    /// The transaction to write to, while nothing is wrong and there is a store.
    pub fn writer(&mut self) -> Result<Option<&mut (dyn WriteTx + 's)>, WriteError> {
        if !self.report.diagnostics.is_empty() {
            return Ok(None);
        }
        if self.tx.is_none()
            && let Some(store) = self.store.take()
        {
            self.tx = Some(store.write(&self.batch)?);
        }
        Ok(self.tx.as_deref_mut())
    }

    /// Reads inside the run's transaction, once it has begun: what checks against the project use, so that
    /// nothing can commit between the check and the write.
    pub fn reads(&self) -> Option<&dyn ReadTx> {
        self.tx.as_deref().map(|tx| tx.reads())
    }

    /// Counts a source written, and remembers it for the custody log.
    pub fn written(&mut self, source: &SourceDraft, written: Written) {
        count(&mut self.report, written);
        self.sources.update(format!("{}:{}\n", source.id, source.content_hash));
    }

    /// Commits when nothing is wrong and this is not a dry run, with an event in the custody log; otherwise
    /// everything is rolled back.
    pub fn finish(mut self, dry_run: bool) -> Result<ImportReport, WriteError> {
        if let Some(tx) = self.tx.as_mut() {
            self.report.protected_versions = tx.protected_written()?.len() as u64;
            if self.report.protected_versions > 0
                && let Some(custodians) = &self.custodians
            {
                check_sealed_to(tx.as_ref(), custodians)?;
            }
        }
        if self.report.diagnostics.is_empty()
            && !dry_run
            && let Some(mut tx) = self.tx.take()
        {
            let report = &self.report;
            let detail = serde_json::json!({
                "files": report.files,
                "records": report.records,
                "new_sources": report.new_sources,
                "changed_sources": report.changed_sources,
                "unchanged_sources": report.unchanged_sources,
                "statements": report.statements,
                "retracted": report.retracted,
                "sources_sha256": hex::encode(self.sources.clone().finalize()),
                "statements_sha256": tx.batch_digest()?,
                "records_sha256": tx.records_digest()?,
            });
            record_event(tx.as_mut(), &self.batch, self.kind, &detail)?;
            tx.commit()?;
            self.report.committed = true;
        }
        Ok(self.report)
    }
}

/// Checks testimonies, and, given a store, imports them in one transaction. Without a store (`clew
/// validate`) only checks. `progress` is called after each record with the number read so far.
pub fn import_testimonies(
    model: &Model,
    store: Option<&dyn Store>,
    inputs: &[InputPath],
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, WriteError> {
    // Testimonies imported before ids with a `:` were refused can still be corrected or withdrawn.
    let project_testimonies: HashSet<String> = match &store {
        Some(store) => {
            store.read()?.sources_of_kind(SourceKind::Testimony)?.into_iter().map(|(id, _)| id.to_string()).collect()
        }
        None => HashSet::new(),
    };
    let earlier_ids: HashSet<String> =
        project_testimonies.iter().filter(|id| id.contains(DERIVED_ID_MARK)).cloned().collect();
    let mut run = ImportRun::begin(store, &options.recorded_by, clew_custody::EventKind::Import)?;
    // Where each testimony id was first seen in this run, to refuse the same id twice.
    let mut seen: HashMap<String, String> = HashMap::new();
    // A testimony's own entity has the testimony's id: a coded entity may not take it (nor another testimony's
    // in the project or in this import), or its statements would merge into that testimony's entity.
    let mut coded_ids: Vec<(String, clew_model::doc::Pos, usize, String)> = Vec::new();
    for input in inputs {
        let Some((name, _, mut nodes)) = run.read(input) else { continue };
        for node in &nodes {
            run.report.records += 1;
            progress(run.report.records);
            let mut reader = Reader::default();
            let testimony = read_testimony_in_project(model, node, &mut reader, &earlier_ids);
            run.problems(&name, reader.diagnostics);
            let Some(testimony) = testimony else { continue };
            if options.synthetic_only && !testimony.synthetic {
                let message = "this is a synthetic demo project (its custodian key is inside it, and `clew demo` \
                               replaces it): import real testimonies into a project of their own (`clew init`)"
                    .to_string();
                let problem = Diagnostic { file: None, pos: Some(node.pos), path: "synthetic".into(), message };
                run.problems(&name, vec![problem]);
                continue;
            }
            if let Some(first) = seen.insert(testimony.id.to_string(), format!("{name}:{}", node.pos)) {
                let message = format!("testimony `{}` appears twice in this import (first at {first})", testimony.id);
                let problem = Diagnostic { file: None, pos: Some(node.pos), path: "id".into(), message };
                run.problems(&name, vec![problem]);
                continue;
            }
            for (index, entity) in testimony.facts.entities.iter().enumerate() {
                if let Some(id) = &entity.id {
                    coded_ids.push((name.clone(), node.pos, index, id.to_string()));
                }
            }
            // Mapping is part of checking: `validate` must refuse what `import` could not write.
            let prepared = match prepare_testimony(model, testimony, run.custodians()) {
                Ok(prepared) => prepared,
                Err(WriteError::Vault(clew_vault::Error::NoCustodian)) => {
                    let message = "has protected data, but the project has no custodian to seal it to; add one \
                                   with `clew keys custodian add age1...` (nothing was written)"
                        .to_string();
                    let problem = Diagnostic { file: None, pos: Some(node.pos), path: "protected".into(), message };
                    run.problems(&name, vec![problem]);
                    continue;
                }
                Err(WriteError::Mapping(message)) => {
                    let message = format!("cannot be turned into statements: {message}");
                    run.problems(
                        &name,
                        vec![Diagnostic { file: None, pos: Some(node.pos), path: String::new(), message }],
                    );
                    continue;
                }
                Err(error) => return Err(error),
            };
            let (recorded_by, recorded_at) = (run.recorded_by().to_string(), run.recorded_at().to_string());
            let source = prepared.source.clone();
            let has_protected = prepared.sealed_protected.is_some();
            if let Some(tx) = run.writer()? {
                let written = write_prepared(tx, prepared, &recorded_by, &recorded_at)?;
                if has_protected && matches!(written.outcome, SourceOutcome::Unchanged { .. }) {
                    let message = "testimony unchanged, but its protected block was sealed and kept as a new \
                                   version beside the earlier ones (clew cannot compare sealed blocks without a \
                                   custodian's key; none is replaced)"
                        .to_string();
                    let note = Diagnostic { file: None, pos: Some(node.pos), path: "protected".into(), message };
                    run.report.warnings.push(Diagnostic { file: Some(name.clone()), ..note });
                }
                run.written(&source, written);
            }
        }
        // The parsed tree holds the protected blocks in the clear: wiped once the file's records are read.
        nodes.iter_mut().for_each(clew_model::doc::Node::wipe);
    }
    for (name, pos, index, id) in coded_ids {
        // Inside the transaction when writing: a testimony someone else imported meanwhile counts too.
        let a_testimony = match run.reads() {
            Some(reads) => match clew_model::SourceId::new(&id) {
                Ok(source) => reads.source(&source)?.is_some_and(|s| s.kind == SourceKind::Testimony),
                Err(_) => false,
            },
            None => project_testimonies.contains(&id),
        };
        if seen.contains_key(&id) || a_testimony {
            let message = format!(
                "`{id}` is a testimony's id (its own entity's): a coded entity may not take it, or its statements \
                 would merge into that testimony"
            );
            let path = format!("facts.entities[{index}].id");
            run.problems(&name, vec![Diagnostic { file: None, pos: Some(pos), path, message }]);
        }
    }
    run.finish(options.dry_run)
}
