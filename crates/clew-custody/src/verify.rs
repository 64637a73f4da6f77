//! `clew verify`: recomputes the custody log (every event's leaf hash from its content, the sequence without
//! gaps, the tree head), the statements, records and protected block versions every import committed to, and
//! checks every attachment's blob: that it is there, and, given a custodian's key, that its plaintext still
//! has the SHA-256 it is recorded under. Names exactly what is wrong and where. The kept sanctions lists' files
//! are checked against the SHA-256 they were imported with here, by the one reader that screening uses too.

use std::path::{Path, PathBuf};

use clew_files::Sha256Hex;
use clew_model::Statement;
use clew_store::{BatchId, CustodyEvent, ReadTx, StoredList};
use clew_vault::Identity;
use clew_vault::blobs::{BlobHash, BlobStore};
use clew_vault::log::{Hash, event_leaf, root};
use serde::Serialize;

use crate::{EventKind, WriteError};

/// What verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Events in the custody log.
    pub events: u64,
    /// The log's tree head (hex), recomputed from the events.
    pub tree_head: String,
    /// Attachments checked.
    pub attachments: u64,
    /// Whether attachment contents were checked (a custodian key was given).
    pub contents_checked: bool,
    /// Attachments whose sealed file was checked against the hash logged when it was sealed (no key needed).
    pub seals_checked: u64,
    /// Attachments sealed before clew logged sealed files' hashes: without a key, only their presence is
    /// checked.
    pub seals_not_logged: u64,
    /// Everything wrong, each naming where.
    pub problems: Vec<String>,
}

/// A tree head recorded earlier (published, or sent to a partner): the log must still begin with exactly
/// that history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// Tree size then.
    pub size: u64,
    /// Tree head then.
    pub head: Hash,
}

impl std::str::FromStr for Anchor {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{text}` is not a tree head: give a file from `clew log head --out FILE`, or SIZE:HEX as `clew log head --unsigned` prints them"
            )
        };
        let (size, head) = text.split_once(':').ok_or_else(bad)?;
        let size = size.parse().map_err(|_| bad())?;
        let bytes = <Hash as hex::FromHex>::from_hex(head).map_err(|_| bad())?;
        Ok(Anchor { size, head: bytes })
    }
}

/// The records digest of a batch that wrote no segments or consent records.
fn records_of_nothing() -> String {
    clew_model::ids::sha256_hex(&[])
}

/// Names the statements of a batch whose content no longer matches their id (a content hash): a statement
/// recomputes to its id for one of its source's generations; a retraction carries what it retracts.
fn altered_statements(store: &dyn ReadTx, batch: BatchId) -> Result<Vec<String>, clew_store::Error> {
    let mut problems = Vec::new();
    let statements = store.batch_statements(batch)?;
    let mut generations = std::collections::HashMap::new();
    for statement in &statements {
        let generation = match generations.get(&statement.source_id) {
            Some(generation) => *generation,
            None => {
                let generation = store.source(&statement.source_id)?.map_or(1, |s| s.generation);
                generations.insert(statement.source_id.clone(), generation);
                generation
            }
        };
        let matches = match &statement.retracts {
            Some(retracted) => {
                clew_model::StatementId::derive(&statement.source_id, &["retract", retracted.as_str()]) == statement.id
            }
            None => (1..=generation.max(1)).any(|g| {
                Statement::compute_id(
                    &statement.entity_id,
                    &statement.schema,
                    &statement.property,
                    &statement.value,
                    &statement.source_id,
                    &statement.locator,
                    g,
                ) == statement.id
            }),
        };
        if !matches {
            problems.push(format!(
                "statement {} ({} {} of {}, from {}): its content no longer hashes to its id: it was altered",
                statement.id, statement.entity_id, statement.property, statement.schema, statement.source_id
            ));
        }
    }
    Ok(problems)
}

/// The sealed file hashes an event logs, by plaintext hash: an attach event's one, a key rotation's every one.
fn seals_logged_by(event: &CustodyEvent) -> Vec<(String, String)> {
    let kind = EventKind::parse(&event.kind);
    if !matches!(kind, Some(EventKind::Attach | EventKind::KeysRotate)) {
        return Vec::new();
    }
    let Ok(detail) = serde_json::from_str::<serde_json::Value>(&event.detail) else { return Vec::new() };
    let text = |value: &serde_json::Value| value.as_str().map(String::from);
    match (detail.get("sha256").and_then(text), detail.get("sealed_sha256")) {
        (Some(blob), Some(sealed)) if kind == Some(EventKind::Attach) => {
            text(sealed).map(|s| (blob, s)).into_iter().collect()
        }
        (None, Some(serde_json::Value::Object(sealed))) => {
            sealed.iter().filter_map(|(blob, sealed)| Some((blob.clone(), text(sealed)?))).collect()
        }
        _ => Vec::new(),
    }
}

/// Each blob's sealed file hash as last logged (by its attach event, or a rotation that sealed it anew).
pub fn logged_seals(store: &dyn ReadTx) -> Result<std::collections::HashMap<String, String>, clew_store::Error> {
    let mut seals = std::collections::HashMap::new();
    store.for_each_event(&mut |event: CustodyEvent| {
        seals.extend(seals_logged_by(&event));
        Ok(())
    })?;
    Ok(seals)
}

/// The digest of a linkage judgement's note its custody event carries: SHA-256 of the salt and the note, so that
/// the log cannot be used to test guesses of what a note says. The judgement's writer (clew-service) and this
/// check share it.
pub fn note_digest(salt: &str, note: &str) -> String {
    clew_model::ids::sha256_hex(format!("{salt}\n{note}").as_bytes())
}

/// Recomputes and checks; with an anchor, also that the log still extends that earlier tree head. Everything
/// is read from `store`, one snapshot: a write committed meanwhile is neither half seen nor taken for tampering.
pub fn verify(
    store: &dyn ReadTx,
    blob_dir: &Path,
    list_dir: &Path,
    identity: Option<&Identity>,
    anchor: Option<Anchor>,
) -> Result<VerifyReport, WriteError> {
    verify_reporting(store, blob_dir, list_dir, identity, anchor, &mut |_| {})
}

/// How far a verification has come, for a reader waiting on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "step")]
pub enum VerifyStep {
    /// Reading the custody log: events read so far.
    Events {
        /// Events read.
        read: u64,
    },
    /// Recomputing what each write committed to (statements, records, protected blocks).
    Records,
    /// Checking attachments' sealed files.
    Attachments,
    /// Checking judgements and kept lists.
    Lists,
}

/// [`verify`], telling `progress` where it is (every thousand events, and at each later step).
pub fn verify_reporting(
    store: &dyn ReadTx,
    blob_dir: &Path,
    list_dir: &Path,
    identity: Option<&Identity>,
    anchor: Option<Anchor>,
    progress: &mut dyn FnMut(VerifyStep),
) -> Result<VerifyReport, WriteError> {
    let mut report = VerifyReport { contents_checked: identity.is_some(), ..VerifyReport::default() };
    let mut leaves: Vec<Hash> = Vec::new();
    // Events that committed to statements: (seq, batch, kind, time, logged digest).
    let mut statement_checks: Vec<(u64, BatchId, String, String, String)> = Vec::new();
    // Events that committed to segments and consent records: (seq, batch, kind, logged digest).
    let mut record_checks: Vec<(u64, BatchId, String, String)> = Vec::new();
    // Events that committed to the protected block versions they stored: batch → (seq, kind, logged digest).
    let mut protected_checks: std::collections::BTreeMap<BatchId, (u64, String, String)> = Default::default();
    let mut logged_custodians = std::collections::HashSet::new();
    let mut logged_caseworkers = std::collections::HashSet::new();
    // Reviewers' linkage judgements as logged, by the batch that wrote each (one judgement a batch):
    // (seq, [entity_a, entity_b, verdict, note digest]).
    let mut logged_judgements: std::collections::BTreeMap<BatchId, (u64, [String; 4])> = Default::default();
    // Estimates kept, as logged, by the batch that kept each: (seq, [kind, title, headline, report, chart
    // digests]).
    let mut logged_estimates: std::collections::BTreeMap<BatchId, (u64, [String; 5])> = Default::default();
    let mut event_batches = std::collections::HashSet::new();
    // Each blob's sealed file hash as last logged (by its attach event, or a rotation that sealed it anew).
    let mut logged_seals: std::collections::HashMap<String, (u64, String)> = Default::default();
    let mut pending_seals: std::collections::HashMap<String, Vec<String>> = Default::default();
    // Each protected block version's sealed bytes as last logged, by place (`SOURCE/GENERATION/VERSION`), and
    // the place of each logged hash (a rotation logs old hash → new hash).
    let mut logged_protected: std::collections::HashMap<String, (u64, String)> = Default::default();
    let mut protected_place_of: std::collections::HashMap<String, String> = Default::default();
    let mut expected = 1;
    store.for_each_event(&mut |event: CustodyEvent| {
        if event.seq.is_multiple_of(1000) {
            progress(VerifyStep::Events { read: event.seq });
        }
        if event.seq != expected {
            report.problems.push(if event.seq > expected {
                format!(
                    "custody log: events {expected} to {} are missing (deleted after they were logged)",
                    event.seq - 1
                )
            } else {
                format!("custody log: event {} is out of order (renumbered after it was logged)", event.seq)
            });
        }
        expected = event.seq + 1;
        event_batches.insert(event.batch);
        let leaf = event_leaf(&event.recorded_at, &event.recorded_by, &event.kind, &event.detail);
        if leaf != event.leaf_hash {
            report.problems.push(format!(
                "custody log: event {} ({}) does not match the hash recorded when it was logged: it was altered",
                event.seq, event.kind
            ));
        }
        leaves.push(event.leaf_hash);
        let logged = serde_json::from_str::<serde_json::Value>(&event.detail)
            .ok()
            .and_then(|detail| detail.get("statements_sha256").and_then(|v| v.as_str().map(String::from)));
        if let Some(logged) = logged {
            statement_checks.push((event.seq, event.batch, event.kind.clone(), event.recorded_at.clone(), logged));
        }
        let records = serde_json::from_str::<serde_json::Value>(&event.detail)
            .ok()
            .and_then(|detail| detail.get("records_sha256").and_then(|v| v.as_str().map(String::from)));
        if let Some(records) = records {
            record_checks.push((event.seq, event.batch, event.kind.clone(), records));
        }
        let protected = serde_json::from_str::<serde_json::Value>(&event.detail)
            .ok()
            .and_then(|detail| detail.get("protected_sha256").and_then(|v| v.as_str().map(String::from)));
        if let Some(protected) = protected {
            protected_checks.insert(event.batch, (event.seq, event.kind.clone(), protected));
        }
        for (blob, sealed) in seals_logged_by(&event) {
            pending_seals.remove(&blob);
            logged_seals.insert(blob, (event.seq, sealed));
        }
        // A rotation logs the blobs' new sealed files before it puts them in place, and again when it is
        // done: in between (a rotation killed midway), the old file and the new one are both what the
        // log knows.
        match EventKind::parse(&event.kind) {
            Some(EventKind::KeysRotate) => pending_seals.clear(),
            Some(EventKind::KeysRotateBegin) => {
                let detail = serde_json::from_str::<serde_json::Value>(&event.detail).unwrap_or_default();
                if let Some(sealed) = detail.get("sealed_sha256").and_then(|v| v.as_object()) {
                    for (blob, sealed) in sealed {
                        if let Some(sealed) = sealed.as_str() {
                            pending_seals.entry(blob.clone()).or_default().push(sealed.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
        if let Ok(detail) = serde_json::from_str::<serde_json::Value>(&event.detail) {
            let pairs = |key: &str| -> Vec<(String, String)> {
                detail
                    .get(key)
                    .and_then(|v| v.as_object())
                    .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
                    .unwrap_or_default()
            };
            for (place, sealed) in pairs("protected_sealed_sha256") {
                protected_place_of.insert(sealed.clone(), place.clone());
                logged_protected.insert(place, (event.seq, sealed));
            }
            for (old, new) in pairs("protected_resealed") {
                if let Some(place) = protected_place_of.get(&old).cloned() {
                    protected_place_of.insert(new.clone(), place.clone());
                    logged_protected.insert(place, (event.seq, new));
                }
            }
        }
        if EventKind::parse(&event.kind) == Some(EventKind::LinkJudgement)
            && let Ok(detail) = serde_json::from_str::<serde_json::Value>(&event.detail)
        {
            let field = |key: &str| detail.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            logged_judgements.insert(
                event.batch,
                (event.seq, [field("entity_a"), field("entity_b"), field("verdict"), field("note_sha256")]),
            );
        }
        if EventKind::parse(&event.kind) == Some(EventKind::EstimateKeep)
            && let Ok(detail) = serde_json::from_str::<serde_json::Value>(&event.detail)
        {
            let field = |key: &str| detail.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            logged_estimates.insert(
                event.batch,
                (
                    event.seq,
                    [
                        field("kind"),
                        field("title"),
                        field("headline_sha256"),
                        field("report_sha256"),
                        field("chart_sha256"),
                    ],
                ),
            );
        }
        let custodian = serde_json::from_str::<serde_json::Value>(&event.detail)
            .ok()
            .and_then(|d| d.get("public_key").and_then(|k| k.as_str().map(String::from)));
        if let Some(key) = custodian {
            match EventKind::parse(&event.kind) {
                Some(EventKind::CustodianAdd) => {
                    logged_custodians.insert(key);
                }
                Some(EventKind::CustodianRemove) => {
                    logged_custodians.remove(&key);
                }
                Some(EventKind::CaseworkerAdd) => {
                    logged_caseworkers.insert(key);
                }
                Some(EventKind::CaseworkerRemove) => {
                    logged_caseworkers.remove(&key);
                }
                _ => {}
            }
        }
        Ok(())
    })?;
    progress(VerifyStep::Records);
    // The statements each import committed to, recomputed from the statements now stored.
    // Statements written by a batch that no event vouches for were added behind clew's back.
    let vouched: std::collections::HashSet<BatchId> = statement_checks.iter().map(|check| check.1).collect();
    for batch in store.statement_batches()? {
        if !vouched.contains(&batch) {
            report.problems.push(format!(
                "statements: some were written by batch {batch}, which no custody event records (added behind clew's back)"
            ));
        }
    }
    // A custodian nobody logged adding would receive every protected block sealed from then on.
    for custodian in store.custodians()? {
        if !logged_custodians.contains(&custodian.public_key) {
            report.problems.push(format!(
                "custodians: {} (`{}`) is in the project, but no custody event records adding it",
                custodian.public_key, custodian.label
            ));
        }
    }
    // Likewise a caseworker: every sender's words would be sealed to them.
    for caseworker in store.caseworkers()? {
        if !logged_caseworkers.contains(&caseworker.public_key) {
            report.problems.push(format!(
                "caseworkers: {} (`{}`) is in the project, but no custody event records adding it",
                caseworker.public_key, caseworker.label
            ));
        }
    }
    // Every source's current version was written by a logged batch; a batch that committed to its records
    // wrote all of them.
    let records_batches: std::collections::HashSet<BatchId> = record_checks.iter().map(|check| check.1).collect();
    for source in store.source_batches()? {
        if !event_batches.contains(&source.batch) {
            report.problems.push(format!(
                "source {}: no custody event records writing its current version (added behind clew's back)",
                source.source
            ));
        } else if source.unbatched_records && records_batches.contains(&source.batch) {
            report.problems.push(format!(
                "source {}: it has segments or consent records its import did not write (added behind clew's back)",
                source.source
            ));
        }
    }
    // A withdrawal is recorded twice: in the consent record (which the log covers) and in a column the
    // queries filter on. They must agree, or withdrawn testimony could come back into outputs.
    for (source, record) in store.consent_records()? {
        let own = serde_json::from_str::<serde_json::Value>(&record.record)
            .ok()
            .and_then(|r| r.get("withdrawal").and_then(|w| w.get("scope")).and_then(|s| s.as_str().map(String::from)));
        if own != record.withdrawn {
            report.problems.push(format!(
                "consent of {source}: the withdrawal in force ({}) is not the one its consent record says ({}): \
                 it was changed behind clew's back",
                record.withdrawn.as_deref().unwrap_or("none"),
                own.as_deref().unwrap_or("none")
            ));
        }
    }
    // Analyses hand a testimony over once they have read its newest statement; a wrong record of which that
    // is would split or drop testimonies.
    for source in store.stale_last_statements()? {
        report.problems.push(format!(
            "source {source}: its record of its newest statement is wrong (changed behind clew's back); \
             analyses would read its statements wrongly"
        ));
    }
    // The witness's words and consent records, recomputed the same way.
    let mut records = store.records_digests()?;
    let empty = records_of_nothing();
    for (seq, batch, kind, logged) in record_checks {
        if records.remove(&batch).unwrap_or_else(|| empty.clone()) != logged {
            report.problems.push(format!(
                "segments or consent records: those written by event {seq} ({kind}) no longer match what was \
                 logged: the witness's words or consent were altered, added or deleted"
            ));
        }
    }
    let mut unvouched: Vec<BatchId> = records.into_keys().collect();
    unvouched.sort_unstable();
    for batch in unvouched {
        report.problems.push(format!(
            "segments or consent records: some were written by batch {batch}, which no custody event records \
             (added behind clew's back)"
        ));
    }
    // Protected blocks: every version an import logged is still there, and none was added behind clew's
    // back (versions from before schema version 8 carry no batch, and no event committed to them).
    let mut versions: std::collections::BTreeMap<BatchId, Vec<clew_store::ProtectedVersion>> = Default::default();
    for version in store.protected_versions()? {
        // The sealed bytes must be those the log last gave this place: a block sealed to the (public)
        // custodian keys by someone else, put in its place, would otherwise open as if it were the witness's.
        let place = crate::protected_place(&version);
        if let Some((seq, logged)) = logged_protected.get(&place)
            && *logged != version.sealed_sha256
        {
            report.problems.push(format!(
                "protected block of {} (generation {}, version {}): its sealed bytes are not those custody event \
                 {seq} logged: it was replaced behind clew's back",
                version.source, version.generation, version.version
            ));
        }
        if version.batch.is_none() && version.version > 1 {
            report.problems.push(format!(
                "protected block of {} (generation {}, version {}): no batch wrote it, yet only the first version \
                 can predate clew's logging of versions (added behind clew's back)",
                version.source, version.generation, version.version
            ));
        }
        match version.batch {
            Some(batch) if protected_checks.contains_key(&batch) => versions.entry(batch).or_default().push(version),
            Some(batch) => report.problems.push(format!(
                "protected block of {} (generation {}, version {}): written by batch {batch}, and no custody \
                 event commits to it (added behind clew's back)",
                version.source, version.generation, version.version
            )),
            None => {}
        }
    }
    for (batch, (seq, kind, logged)) in &protected_checks {
        let stored = versions.remove(batch).unwrap_or_default();
        if crate::protected_digest(&stored) != *logged {
            report.problems.push(format!(
                "protected blocks: the versions stored by event {seq} ({kind}) are not the ones it logged: a \
                 version was deleted, added or moved"
            ));
        }
    }
    for (seq, batch, kind, recorded_at, logged) in statement_checks {
        if store.batch_digest(batch)? != logged {
            report.problems.push(format!(
                "statements: those written by event {seq} ({kind} at {recorded_at}) no longer match what was \
                 logged: a statement was altered, added or deleted"
            ));
            report.problems.extend(altered_statements(store, batch)?);
        }
    }
    report.events = leaves.len() as u64;
    report.tree_head = hex::encode(root(&leaves));
    if let Some(anchor) = anchor {
        if (leaves.len() as u64) < anchor.size {
            report.problems.push(format!(
                "custody log: it has {} events, but the tree head given was for {}: the log was truncated",
                leaves.len(),
                anchor.size
            ));
        } else if root(&leaves[..anchor.size as usize]) != anchor.head {
            report.problems.push(format!(
                "custody log: its first {} events no longer hash to the tree head given: the history was rewritten",
                anchor.size
            ));
        }
    }
    let blobs = BlobStore::new(blob_dir)?;
    progress(VerifyStep::Attachments);
    for (source, recorded) in store.all_attachments()? {
        report.attachments += 1;
        let sha256 = match BlobHash::parse(&recorded) {
            Ok(sha256) => sha256,
            Err(error) => {
                report.problems.push(format!("attachment of {source}: {error}: the database was altered"));
                continue;
            }
        };
        let path = blobs.path(&sha256);
        if !path.is_file() {
            report.problems.push(format!("attachment {sha256} of {source}: its blob {} is missing", path.display()));
            continue;
        }
        let content_intact = match identity {
            Some(identity) => {
                let intact = blobs.check(identity, &sha256)?;
                if !intact {
                    report.problems.push(format!(
                        "attachment {sha256} of {source}: the blob {} does not open to content with that SHA-256 \
                         (altered, damaged, or not sealed to this key)",
                        path.display()
                    ));
                }
                Some(intact)
            }
            None => None,
        };
        // Without any key: the sealed file must still be the one whose hash was logged when it was sealed.
        match logged_seals.get(sha256.as_str()) {
            None => report.seals_not_logged += 1,
            Some((seq, logged)) => {
                report.seals_checked += 1;
                let now = blobs.sealed_sha256(&sha256)?.map(String::from).unwrap_or_default();
                // With a key, an intact plaintext outranks the file's hash: a blob sealed anew by an
                // unfinished rotation (or a re-attach killed before its commit) holds the same evidence.
                let pending = pending_seals.get(sha256.as_str()).is_some_and(|p| p.contains(&now));
                if now != *logged && !pending && content_intact != Some(true) {
                    report.problems.push(format!(
                        "attachment {sha256} of {source}: the sealed file {} is not the one custody event {seq} \
                         logged (its SHA-256 is {now}, logged {logged}): altered or damaged",
                        path.display(),
                    ));
                }
            }
        }
    }
    progress(VerifyStep::Lists);
    // Linkage judgements and kept estimates: each as its event logged it (who and when are its batch's, which
    // the event shares), none added or deleted behind clew's back.
    let judgements: Vec<Logged<4>> = store
        .link_judgements()?
        .iter()
        .enumerate()
        .map(|(index, judgement)| Logged {
            batch: judgement.batch,
            name: format!("linkage judgement {} ({} and {})", index + 1, judgement.entity_a, judgement.entity_b),
            now: [
                judgement.entity_a.clone(),
                judgement.entity_b.clone(),
                judgement.verdict.clone(),
                note_digest(&judgement.salt, &judgement.note),
            ],
        })
        .collect();
    check_as_logged(&mut report.problems, &judgements, &logged_judgements, |logged| {
        format!("linkage judgement of {} and {}", logged[0], logged[1])
    });
    let estimates: Vec<Logged<5>> = store
        .estimates()?
        .iter()
        .map(|estimate| Logged {
            batch: estimate.batch,
            name: format!("estimate \"{}\" ({})", estimate.title, estimate.kind),
            now: estimate_digests(estimate),
        })
        .collect();
    check_as_logged(&mut report.problems, &estimates, &logged_estimates, |logged| {
        format!("estimate \"{}\" ({})", logged[1], logged[0])
    });
    // Sanctions lists kept for screening: each file still the one imported.
    for list in store.sanctions_lists()? {
        if let Err(problem) = read_kept_list(list_dir, &list) {
            report.problems.push(problem);
        }
    }
    Ok(report)
}

/// A record the store keeps, one per batch, that the batch's custody event logged: what it is now.
struct Logged<const N: usize> {
    batch: Option<BatchId>,
    /// How a problem names it.
    name: String,
    /// What its event would say of it now.
    now: [String; N],
}

/// Checks records against the events that logged them (by batch): each as logged, none added or moved to
/// another batch, none gone. `gone` names a record from what its event logged.
fn check_as_logged<const N: usize>(
    problems: &mut Vec<String>,
    kept: &[Logged<N>],
    logged: &std::collections::BTreeMap<BatchId, (u64, [String; N])>,
    gone: impl Fn(&[String; N]) -> String,
) {
    let mut seen = std::collections::HashSet::new();
    for record in kept {
        let name = &record.name;
        match record.batch.and_then(|batch| logged.get(&batch)) {
            Some((_, was)) if *was == record.now && seen.insert(record.batch) => {}
            Some((seq, _)) => {
                problems.push(format!("{name}: it no longer matches event {seq} that logged it: it was altered"))
            }
            None => problems.push(format!("{name}: no event logged it (added behind clew's back)")),
        }
    }
    for (batch, (seq, was)) in logged {
        if !kept.iter().any(|record| record.batch == Some(*batch)) {
            problems.push(format!("{} logged by event {seq}: it is gone (deleted behind clew's back)", gone(was)));
        }
    }
}

/// What the custody event that keeps an estimate commits to: its kind and title, and the SHA-256 of its
/// headline, report and chart. The writer (clew-service) and this check share it, so they cannot drift.
pub fn estimate_digests(estimate: &clew_store::StoredEstimate) -> [String; 5] {
    [
        estimate.kind.clone(),
        estimate.title.clone(),
        Sha256Hex::of(estimate.headline.as_bytes()).to_string(),
        Sha256Hex::of(estimate.report.as_bytes()).to_string(),
        Sha256Hex::of(estimate.chart.as_bytes()).to_string(),
    ]
}

/// The path of a kept sanctions list's file (its aliases or addresses file too): always a file of `list_dir`, as
/// it is made from a checked [`Sha256Hex`] only; a hash read from the database, or given by anyone, cannot name
/// a file outside it.
pub fn list_path(list_dir: &Path, sha256: &Sha256Hex) -> PathBuf {
    list_dir.join(sha256.as_str())
}

/// A kept list's files, read back.
#[derive(Debug, Clone)]
pub struct KeptFiles {
    /// The list's file.
    pub list: Vec<u8>,
    /// Its aliases file (OFAC's `alt.csv`), if it has one.
    pub aliases: Option<Vec<u8>>,
    /// Its addresses file (OFAC's `add.csv`), if it has one.
    pub addresses: Option<Vec<u8>>,
}

/// Reads a kept list's files back, checking each is still the file imported: `clew verify` names one that is
/// not, and screening refuses it.
pub fn read_kept_list(list_dir: &Path, list: &StoredList) -> Result<KeptFiles, String> {
    let read = |hash: &Option<String>| hash.as_ref().map(|hash| read_kept_file(list_dir, list, hash)).transpose();
    Ok(KeptFiles {
        list: read_kept_file(list_dir, list, &list.sha256)?,
        aliases: read(&list.companion_sha256)?,
        addresses: read(&list.addresses_sha256)?,
    })
}

fn read_kept_file(list_dir: &Path, list: &StoredList, recorded: &str) -> Result<Vec<u8>, String> {
    let sha256 = Sha256Hex::parse(recorded)
        .map_err(|e| format!("list {} ({}): {e}: the database was altered", list.name, list.file_name))?;
    let path = list_path(list_dir, &sha256);
    // Read as any list file is (a regular file, up to the data file limit): a FIFO put in its place must not
    // hold `clew verify` up.
    let bytes = clew_files::read(&path, clew_files::limits::DATA_FILE)
        .map_err(|e| format!("list {} ({}): {e}", list.name, list.file_name))?;
    if Sha256Hex::of(&bytes) != sha256 {
        return Err(format!(
            "list {} ({}): {} no longer has the SHA-256 it was imported with: it was altered",
            list.name,
            list.file_name,
            path.display()
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn kept(sha256: &str, companion: Option<&str>) -> StoredList {
        StoredList {
            sha256: sha256.into(),
            name: "UN SC consolidated list".into(),
            version: None,
            format: "un-xml".into(),
            file_name: "consolidated.xml".into(),
            entities: 1,
            companion_sha256: companion.map(String::from),
            addresses_sha256: None,
            imported_by: "test".into(),
            imported_at: "2025-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn a_kept_list_is_read_only_under_a_checked_hash_in_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let lists = dir.path().join("lists");
        let bytes = b"<CONSOLIDATED_LIST/>";
        let hash = Sha256Hex::of(bytes);
        clew_files::create_private_dir(&lists).unwrap();
        clew_files::write_atomic(&list_path(&lists, &hash), bytes).unwrap();
        assert_eq!(list_path(&lists, &hash).parent(), Some(lists.as_path()));
        std::fs::write(dir.path().join("outside"), "not a list").unwrap();
        assert_eq!(read_kept_list(&lists, &kept(hash.as_str(), None)).unwrap().list, bytes);
        for (sha256, companion) in [
            ("../outside", None),
            ("/etc/passwd", None),
            (hash.as_str(), Some("../outside")),
            (&hash.as_str()[1..], None),
        ] {
            let error = read_kept_list(&lists, &kept(sha256, companion)).unwrap_err();
            assert!(
                error.starts_with("list UN SC consolidated list (consolidated.xml): `")
                    && error.contains("is not a SHA-256 as clew writes it")
                    && error.ends_with("the database was altered"),
                "{error}"
            );
        }
        std::fs::write(list_path(&lists, &hash), b"<CONSOLIDATED_LIST>altered").unwrap();
        let error = read_kept_list(&lists, &kept(hash.as_str(), None)).unwrap_err();
        assert!(error.ends_with("no longer has the SHA-256 it was imported with: it was altered"), "{error}");
    }
}
