//! Evidence packages: one tar archive holding material for one audience (what its consent and sensitivity
//! allow), a manifest (every file's SHA-256, the custody events behind the material with inclusion proofs,
//! the signed tree head) and a README on how to check it all with standard tools. A package is verified
//! offline, with no project at hand ([`verify_package`]); optionally it is sealed (age) to its recipients.
//!
//! How the parts hold together: `SHA256SUMS` lists every file of the material. Its SHA-256 is in the custody
//! event `package-export`, logged before the package was written; that event, and the import and attach
//! events of the material, are proved to be in the log by inclusion proofs to a tree head signed with the
//! project key. Change one byte anywhere and one of these checks fails.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{Read, Write};
use std::path::Path;

use clew_model::ids::sha256_hex;
use clew_model::{EntityId, Sensitivity, SourceId, SourceKind, Statement};
use clew_store::{Batch, CustodyEvent, ReadTx, Store};
use clew_vault::blobs::{BlobHash, BlobStore};
use clew_vault::log::{Hash, event_leaf, root, verify_inclusion};
use clew_vault::signing::{ProjectSigningKey, SignedTreeHead};
use clew_vault::{Identity, Recipient};
use hex::FromHex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use clew_custody::proofs::ProvedEvent;
use clew_custody::{EventKind, WriteError, now_rfc3339, record_event};
use clew_intake::testimony::Consent;

/// The package format.
pub const PACKAGE_FORMAT: &str = "clew-package-v1";

/// The folder every file of a package is in.
const ROOT: &str = "clew-package";

/// The README in every package.
const README: &str = include_str!("package/README.txt");

/// The proof checker in every package (Python 3, standard library only).
pub const VERIFY_PROOFS: &str = include_str!("package/verify-proofs.py");

/// Largest manifest or small file a verifier reads into memory.
const SMALL_FILE_LIMIT: u64 = 256 << 20;

/// Who a package is for. Each audience has the consent use it needs, the highest sensitivity it receives,
/// and whether it receives the witness's words and attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// The team itself (consent: internal analysis).
    Internal,
    /// UN bodies and OHCHR (consent: `un`).
    Un,
    /// Sanctions monitors, e.g. MSMT member states (consent: `sanctions_monitors`).
    Monitors,
    /// Prosecutors and courts (consent: `prosecutors`).
    Prosecutor,
    /// Publication (consent: `publication`; the witness's words only with `quotation`).
    Public,
}

impl Audience {
    /// Every audience.
    pub const ALL: [Audience; 5] =
        [Audience::Internal, Audience::Un, Audience::Monitors, Audience::Prosecutor, Audience::Public];

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Internal => "internal",
            Audience::Un => "un",
            Audience::Monitors => "monitors",
            Audience::Prosecutor => "prosecutor",
            Audience::Public => "public",
        }
    }

    /// The highest sensitivity it receives: restricted statements (which can re-identify a witness) go only
    /// to the team and to prosecutors.
    pub fn max_sensitivity(self) -> Sensitivity {
        match self {
            Audience::Internal | Audience::Prosecutor => Sensitivity::Restricted,
            Audience::Un | Audience::Monitors => Sensitivity::Internal,
            Audience::Public => Sensitivity::Public,
        }
    }

    /// Whether it receives attachments (decrypted): voices, faces and handwriting identify, so only the team
    /// and prosecutors do.
    pub fn receives_attachments(self) -> bool {
        matches!(self, Audience::Internal | Audience::Prosecutor)
    }

    /// Why a testimony's consent does not cover this audience; `None` when it does.
    pub fn refusal(self, consent: &Consent, withdrawn: Option<&str>) -> Option<String> {
        match (withdrawn, self) {
            (Some("all"), _) => return Some("the witness withdrew consent to every use".into()),
            (Some("sharing"), audience) if audience != Audience::Internal => {
                return Some("the witness withdrew consent to sharing".into());
            }
            (Some("publication"), Audience::Public) => {
                return Some("the witness withdrew consent to publication".into());
            }
            _ => {}
        }
        let (agreed, use_name) = match self {
            Audience::Internal => (consent.uses.internal_analysis, "internal_analysis"),
            Audience::Un => (consent.uses.un, "un"),
            Audience::Monitors => (consent.uses.sanctions_monitors, "sanctions_monitors"),
            Audience::Prosecutor => (consent.uses.prosecutors, "prosecutors"),
            Audience::Public => (consent.uses.publication, "publication"),
        };
        (!agreed).then(|| format!("the consent does not cover this use (uses.{use_name} is false)"))
    }

    /// Why nothing from a source may go to this audience; `None` when it may. `consent` is the source's
    /// consent record and withdrawal; a testimony without one goes nowhere, other sources (documents, FtM
    /// data) carry no consent and are limited by sensitivity alone.
    pub fn refusal_of(self, source: &clew_model::Source, consent: Option<(&Consent, Option<&str>)>) -> Option<String> {
        match (consent, &source.kind) {
            (Some((consent, withdrawn)), _) => self.refusal(consent, withdrawn),
            (None, SourceKind::Testimony | SourceKind::Assessment | SourceKind::Coding) => {
                Some("it has no consent record".into())
            }
            (None, _) => None,
        }
    }

    /// Whether it receives the witness's words (segments). They tell the witness's own story (where, when,
    /// for whom), which can re-identify them like restricted statements do, so only the audiences that
    /// receive those do.
    pub fn receives_words(self) -> bool {
        self.max_sensitivity() == Sensitivity::Restricted
    }

    /// Whether a dossier for this audience may quote the witness whose consent is `consent` (the consent
    /// covering the audience already checked): the audiences that receive the words may; any other only when
    /// the witness agreed to be quoted.
    pub fn may_quote(self, consent: &Consent) -> bool {
        self.receives_words() || consent.quotation
    }
}

impl std::str::FromStr for Audience {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        Audience::ALL.into_iter().find(|a| a.as_str() == text).ok_or_else(|| {
            let names: Vec<&str> = Audience::ALL.iter().map(|a| a.as_str()).collect();
            format!("unknown audience `{text}`; one of {}", names.join(", "))
        })
    }
}

/// What a package is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    /// One testimony: its statements, words and attachments.
    Testimony(SourceId),
    /// One entity: every statement about it, from every source whose consent allows.
    Entity(EntityId),
}

/// What a package export needs besides the store.
pub struct ExportOptions<'a> {
    /// What the package is about.
    pub subject: Subject,
    /// Who it is for.
    pub audience: Audience,
    /// Who exports (recorded in the custody event).
    pub recorded_by: String,
    /// Signs the tree head.
    pub signing_key: &'a ProjectSigningKey,
    /// Opens attachments (the project key, or a custodian's); without it, attachments are left out.
    pub identity: Option<&'a Identity>,
    /// Seal the whole package to these recipients (age); empty: a plain tar file.
    pub seal_to: Vec<Recipient>,
}

/// What went into a package.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportReport {
    /// Statements included.
    pub statements: usize,
    /// Segments (the witness's words) included.
    pub segments: usize,
    /// Attachments included.
    pub attachments: usize,
    /// Custody events included, with their inclusion proofs.
    pub events: usize,
    /// What was left out, and why.
    pub left_out: Vec<String>,
    /// The signed tree head's size.
    pub tree_size: u64,
    /// The signed tree head (hex).
    pub tree_head: String,
    /// The custody event of the export.
    pub export_event: u64,
}

/// Why a package could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// Nothing to package: no such testimony or entity, or nothing its consent allows.
    #[error("{0}")]
    Nothing(String),
    /// A storage or logging failure.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A key or sealing failure.
    #[error(transparent)]
    Vault(#[from] clew_vault::Error),
    /// Writing or reading the package file failed.
    #[error("{0}")]
    Io(String),
    /// The project does not verify: nothing is packaged or signed until it does.
    #[error("the project does not verify, so nothing is packaged or signed: {}", .0.join("; "))]
    Unverified(Vec<String>),
}

impl From<clew_store::Error> for PackageError {
    fn from(error: clew_store::Error) -> Self {
        PackageError::Write(error.into())
    }
}

/// One file of the material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackagedFile {
    /// Path inside the package folder.
    pub path: String,
    /// SHA-256 (hex).
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`PACKAGE_FORMAT`].
    pub format: String,
    /// What it is about.
    pub subject: Subject,
    /// Who it is for.
    pub audience: Audience,
    /// Whether the material is synthetic (fictional demo data).
    pub synthetic: bool,
    /// The files of the material, as `SHA256SUMS` lists them.
    pub files: Vec<PackagedFile>,
    /// The custody events behind the material, the export event last.
    pub events: Vec<ProvedEvent>,
    /// The signed tree head the proofs lead to.
    pub tree_head: SignedTreeHead,
}

/// The material's main file.
#[derive(Debug, Serialize)]
struct Material<'a> {
    format: &'static str,
    synthetic: bool,
    subject: &'a Subject,
    audience: Audience,
    sources: Vec<MaterialSource>,
    statements: Vec<Statement>,
    segments: Vec<MaterialSegment>,
    attachments: Vec<MaterialAttachment>,
    left_out: &'a [String],
}

#[derive(Debug, Serialize)]
struct MaterialSource {
    id: SourceId,
    kind: &'static str,
    synthetic: bool,
    imported_at: String,
    /// What the witness agreed to (testimonies only): uses and the flags that bear on them, no notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    consent: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
struct MaterialSegment {
    source: SourceId,
    #[serde(flatten)]
    segment: clew_model::Segment,
}

#[derive(Debug, Clone, Serialize)]
struct MaterialAttachment {
    source: SourceId,
    sha256: BlobHash,
    size: u64,
    media_type: String,
    file: String,
}

/// The material of a subject for an audience, and what was left out.
struct Gathered {
    sources: Vec<MaterialSource>,
    statements: Vec<Statement>,
    segments: Vec<MaterialSegment>,
    attachments: Vec<MaterialAttachment>,
    left_out: Vec<String>,
}

/// Gathers the material of a subject for an audience.
fn gather(
    store: &dyn ReadTx,
    subject: &Subject,
    audience: Audience,
    can_open_attachments: bool,
) -> Result<Gathered, PackageError> {
    let mut left_out = Vec::new();
    let (statements, segment_filter): (Vec<Statement>, Option<HashSet<(SourceId, String)>>) = match subject {
        Subject::Testimony(id) => {
            if store.source(id)?.is_none() {
                return Err(PackageError::Nothing(format!("there is no testimony `{id}` in this project")));
            }
            // What its coders added or corrected goes with it (their retractions already left out what they
            // replaced).
            let mut statements = store.source_statements(id)?;
            if let Ok(coding) = clew_intake::mapping::coding_source(id) {
                statements.extend(store.source_statements(&coding)?);
            }
            (statements, None)
        }
        Subject::Entity(id) => {
            let all = store.statements_for_entity(id)?;
            if all.is_empty() {
                return Err(PackageError::Nothing(format!("there is no entity `{id}` in this project")));
            }
            let retracted: HashSet<_> = all.iter().filter_map(|s| s.retracts.clone()).collect();
            let active: Vec<Statement> =
                all.into_iter().filter(|s| s.retracts.is_none() && !retracted.contains(&s.id)).collect();
            // An entity package carries the words behind its statements, not whole testimonies.
            let cited = active
                .iter()
                .filter_map(|s| {
                    let segment = s.locator.strip_prefix("segment:")?;
                    Some((s.source_id.clone(), segment.split('#').next().unwrap_or(segment).to_string()))
                })
                .collect();
            (active, Some(cited))
        }
    };
    let limit = audience.max_sensitivity();
    let mut sources = Vec::new();
    let mut allowed: BTreeMap<SourceId, bool> = BTreeMap::new();
    let mut words_allowed: HashSet<SourceId> = HashSet::new();
    let mut omitted: BTreeMap<String, Vec<SourceId>> = BTreeMap::new();
    let source_ids: BTreeSet<SourceId> = statements.iter().map(|s| s.source_id.clone()).collect();
    let source_ids = match subject {
        Subject::Testimony(id) => {
            let mut ids = BTreeSet::from([id.clone()]);
            ids.extend(
                source_ids.into_iter().filter(|s| clew_intake::mapping::coded_testimony(s).as_ref() == Some(id)),
            );
            ids
        }
        Subject::Entity(_) => source_ids,
    };
    for id in &source_ids {
        let Some(source) = store.source(id)? else { continue };
        let consent = source_consent(store, id)?;
        let refusal = audience.refusal_of(&source, consent.as_ref().map(|(c, w)| (c, w.as_deref())));
        let summary = consent.as_ref().map(|(parsed, withdrawn)| {
            serde_json::json!({
                "version": parsed.version,
                "date": parsed.date,
                "uses": parsed.uses,
                "quotation": parsed.quotation,
                "pseudonym_publication": parsed.pseudonym_publication,
                "audio": parsed.audio,
                "video": parsed.video,
                "withdrawn": withdrawn,
            })
        });
        // Documents and FtM data carry no consent and no witness's words; a testimony's words go only to
        // the audiences that receive restricted statements.
        if consent.is_none() || audience.receives_words() {
            words_allowed.insert(id.clone());
        } else if refusal.is_none() {
            omitted
                .entry("the witness's words (they can re-identify; this audience receives coded statements)".into())
                .or_default()
                .push(id.clone());
        }
        if let Some(why) = &refusal {
            omitted.entry(format!("everything from it ({why})")).or_default().push(id.clone());
        }
        allowed.insert(id.clone(), refusal.is_none());
        if refusal.is_none() {
            sources.push(MaterialSource {
                id: id.clone(),
                kind: source.kind.as_str(),
                synthetic: source.synthetic,
                imported_at: source.imported_at.clone(),
                consent: summary,
            });
        }
    }
    // Outside the team, an entity package does not say which testimonies mention the entity but were left
    // out: only how many, and why.
    let name_sources = matches!(subject, Subject::Testimony(_)) || audience == Audience::Internal;
    for (why, ids) in omitted {
        if name_sources {
            left_out.extend(ids.iter().map(|id| format!("`{id}`: {why}")));
        } else {
            left_out.push(format!("{} testimonies: {why}", ids.len()));
        }
    }
    let mut above = 0;
    let statements: Vec<Statement> = statements
        .into_iter()
        .filter(|s| allowed.get(&s.source_id).copied().unwrap_or(false))
        .filter(|s| {
            let keep = s.sensitivity <= limit;
            above += usize::from(!keep);
            keep
        })
        .collect();
    if above > 0 {
        left_out.push(format!(
            "{above} statement(s) above `{}`, the highest sensitivity this audience receives",
            limit.as_str()
        ));
    }
    let mut segments = Vec::new();
    let mut attachments = Vec::new();
    for source in &sources {
        if words_allowed.contains(&source.id) {
            for segment in store.segments(&source.id)? {
                if segment_filter.as_ref().is_none_or(|cited| cited.contains(&(source.id.clone(), segment.id.clone())))
                {
                    segments.push(MaterialSegment { source: source.id.clone(), segment });
                }
            }
        }
        if matches!(subject, Subject::Testimony(_)) {
            let stored = store.attachments(&source.id)?;
            if stored.is_empty() {
                continue;
            }
            if !audience.receives_attachments() {
                left_out.push(format!(
                    "`{}`: {} attachment(s) (voices, faces and handwriting identify; this audience receives none)",
                    source.id,
                    stored.len()
                ));
                continue;
            }
            if !can_open_attachments {
                left_out.push(format!(
                    "`{}`: {} attachment(s) (no key to open them: the project has no key pair, and no \
                     custodian key was given)",
                    source.id,
                    stored.len()
                ));
                continue;
            }
            for attachment in stored {
                let sha256 = BlobHash::parse(&attachment.sha256)
                    .map_err(|e| clew_store::Error::Corrupt(format!("attachment of {}: {e}", source.id)))?;
                let consented = source.consent.as_ref().is_none_or(|c| {
                    let flag = |name: &str| c.get(name).and_then(|v| v.as_bool()).unwrap_or(false);
                    if attachment.media_type.starts_with("audio/") {
                        flag("audio")
                    } else if attachment.media_type.starts_with("video/") || attachment.media_type.starts_with("image/")
                    {
                        flag("video")
                    } else {
                        true
                    }
                });
                if !consented {
                    left_out.push(format!(
                        "`{}`: attachment {} ({}: no consent to such recordings)",
                        source.id, sha256, attachment.media_type
                    ));
                    continue;
                }
                attachments.push(MaterialAttachment {
                    source: source.id.clone(),
                    file: format!("material/attachments/{sha256}{}", extension(&attachment.media_type)),
                    sha256,
                    size: attachment.size,
                    media_type: attachment.media_type,
                });
            }
        }
    }
    if statements.is_empty() && segments.is_empty() && attachments.is_empty() {
        return Err(PackageError::Nothing(format!(
            "nothing to package for audience `{}`: {}",
            audience.as_str(),
            if left_out.is_empty() { "no material".to_string() } else { left_out.join("; ") }
        )));
    }
    Ok(Gathered { sources, statements, segments, attachments, left_out })
}

/// A source's consent record, read, and the withdrawal in force; `None` for a source without one. The
/// withdrawal is the stricter of the record's own (which the custody log covers) and the store's column.
pub fn source_consent(store: &dyn ReadTx, id: &SourceId) -> Result<Option<(Consent, Option<String>)>, PackageError> {
    // A recorded assessment, and what coders added to a testimony, are bound by the testimony's consent.
    let kind = store.source(id)?.map(|s| s.kind);
    let id = &match kind {
        Some(SourceKind::Assessment) => clew_intake::mapping::assessed_testimony(id).unwrap_or_else(|| id.clone()),
        Some(SourceKind::Coding) => clew_intake::mapping::coded_testimony(id).unwrap_or_else(|| id.clone()),
        _ => id.clone(),
    };
    let Some(record) = store.consent(id)? else { return Ok(None) };
    let parsed: Consent = serde_json::from_str(&record.record)
        .map_err(|e| PackageError::Io(format!("the consent record of `{id}` is unreadable: {e}")))?;
    let own = parsed.withdrawal.as_ref().map(|w| w.scope.clone());
    let withdrawn = stricter_withdrawal(own, record.withdrawn);
    Ok(Some((parsed, withdrawn)))
}

/// The stricter of two withdrawals: `all` over `sharing` over `publication` over none.
fn stricter_withdrawal(a: Option<String>, b: Option<String>) -> Option<String> {
    let rank = |w: &Option<String>| match w.as_deref() {
        Some("all") => 3,
        Some("sharing") => 2,
        Some(_) => 1,
        None => 0,
    };
    if rank(&a) >= rank(&b) { a } else { b }
}

/// A file name extension for a media type (the original name is sealed; it can identify a witness).
fn extension(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => ".pdf",
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/tiff" => ".tif",
        "image/webp" => ".webp",
        "audio/mpeg" => ".mp3",
        "audio/ogg" => ".ogg",
        "audio/wav" => ".wav",
        "audio/mp4" => ".m4a",
        "video/mp4" => ".mp4",
        "video/webm" => ".webm",
        "text/plain" => ".txt",
        _ => ".bin",
    }
}

/// The line `sha256sum -c` reads.
fn sums_line(file: &PackagedFile) -> String {
    format!("{}  {}\n", file.sha256, file.path)
}

/// Everything a package holds, read from one snapshot of the project, and the custody log of that snapshot.
struct Prepared {
    material_json: Vec<u8>,
    material_name: &'static str,
    synthetic: bool,
    statements: usize,
    segments: usize,
    attachments: Vec<MaterialAttachment>,
    left_out: Vec<String>,
    /// The files whose hashes the export event commits to, in the order they are written.
    files: Vec<PackagedFile>,
    /// Their `SHA256SUMS`.
    sums: String,
    /// The leaves of the custody log the snapshot holds (it verified).
    leaves: Vec<Hash>,
    /// The events behind the material, in order.
    chosen: Vec<CustodyEvent>,
}

/// Verifies the project and gathers the material of a package, all from `reads` (one snapshot).
fn prepare(
    reads: &dyn ReadTx,
    blob_dir: &Path,
    list_dir: &Path,
    options: &ExportOptions<'_>,
) -> Result<Prepared, PackageError> {
    // Never sign what does not check out: a statement lowered to `public` or a consent record edited behind
    // clew's back would otherwise leave in a package that verifies.
    let checked = clew_custody::verify::verify(reads, blob_dir, list_dir, None, None)?;
    if !checked.problems.is_empty() {
        return Err(PackageError::Unverified(checked.problems));
    }
    let MaterialFile {
        name: material_name,
        json: material_json,
        synthetic,
        sources,
        statements,
        segments,
        attachments,
        left_out,
    } = material(reads, &options.subject, options.audience, options.identity.is_some())?;
    let mut files = vec![
        PackagedFile { path: "README.txt".into(), sha256: sha256_hex(README.as_bytes()), size: README.len() as u64 },
        PackagedFile {
            path: "verify-proofs.py".into(),
            sha256: sha256_hex(VERIFY_PROOFS.as_bytes()),
            size: VERIFY_PROOFS.len() as u64,
        },
        PackagedFile {
            path: material_name.into(),
            sha256: sha256_hex(&material_json),
            size: material_json.len() as u64,
        },
    ];
    files.extend(attachments.iter().map(|a| PackagedFile {
        path: a.file.clone(),
        sha256: a.sha256.to_string(),
        size: a.size,
    }));
    let sums: String = files.iter().map(sums_line).collect();

    // The events behind the material (the export's own is added when it is logged).
    let included: HashSet<&str> = attachments.iter().map(|a| a.sha256.as_str()).collect();
    let wanted: BTreeSet<u64> = material_events(reads, &sources, &included)?.into_iter().map(|e| e.seq).collect();
    let mut leaves: Vec<Hash> = Vec::new();
    let mut chosen: Vec<CustodyEvent> = Vec::new();
    reads.for_each_event(&mut |event| {
        leaves.push(event.leaf_hash);
        if wanted.contains(&event.seq) {
            chosen.push(event);
        }
        Ok(())
    })?;
    Ok(Prepared {
        material_json,
        material_name,
        synthetic,
        statements,
        segments,
        attachments,
        left_out,
        files,
        sums,
        leaves,
        chosen,
    })
}

/// The custody events behind the material of `sources`, in order. Attach events carry a file's hash: only those
/// of the attachments `included` (by SHA-256) go in, so that nobody holding a photo or a recording can match it to
/// a testimony through a package (or a dossier) that left it out.
pub fn material_events(
    reads: &dyn ReadTx,
    sources: &[SourceId],
    included: &HashSet<&str>,
) -> Result<Vec<CustodyEvent>, PackageError> {
    let mut wanted: BTreeMap<u64, CustodyEvent> = BTreeMap::new();
    for source in sources {
        for event in reads.source_events(source)? {
            let hash = serde_json::from_str::<serde_json::Value>(&event.detail)
                .ok()
                .and_then(|d| d.get("sha256").and_then(|h| h.as_str().map(String::from)));
            if EventKind::parse(&event.kind) != Some(EventKind::Attach)
                || hash.is_some_and(|h| included.contains(h.as_str()))
            {
                wanted.insert(event.seq, event);
            }
        }
    }
    Ok(wanted.into_values().collect())
}

/// The copies of a signed tree head for standard tools, as a package and a dossier's proofs carry them:
/// `tree-head.json`, `tree-head.msg` (the signed message), `tree-head.sig` (the Ed25519 signature) and
/// `signing-key.pem` (the public key).
pub fn tree_head_files(head: &SignedTreeHead) -> Result<[(&'static str, Vec<u8>); 4], PackageError> {
    Ok([
        ("tree-head.json", serde_json::to_vec_pretty(head).map_err(|e| PackageError::Io(e.to_string()))?),
        ("tree-head.msg", head.message()),
        ("tree-head.sig", hex::decode(&head.signature).unwrap_or_default()),
        ("signing-key.pem", clew_vault::signing::public_key_pem(&head.public_key).unwrap_or_default().into_bytes()),
    ])
}

/// A package's material file: its name, its bytes, and what went into it.
#[derive(Debug, Clone)]
pub struct MaterialFile {
    /// Its path in the package (`material/testimony.json`, `material/entity.json`).
    pub name: &'static str,
    /// Its bytes: the same for the same project, subject, audience and keys, so that a dossier can name the
    /// SHA-256 a package of the same exhibit will have.
    pub json: Vec<u8>,
    /// Whether the material is synthetic (fictional demo data).
    pub synthetic: bool,
    /// The sources it holds material of.
    pub sources: Vec<SourceId>,
    /// Statements included.
    pub statements: usize,
    /// Segments included.
    pub segments: usize,
    /// The attachments it lists (their bytes go beside it).
    attachments: Vec<MaterialAttachment>,
    /// What was left out, and why.
    pub left_out: Vec<String>,
}

/// The material file of a package of `subject` for `audience` (attachments listed only when
/// `can_open_attachments`), read from `reads`.
pub fn material(
    reads: &dyn ReadTx,
    subject: &Subject,
    audience: Audience,
    can_open_attachments: bool,
) -> Result<MaterialFile, PackageError> {
    let Gathered { sources, statements, segments, attachments, left_out } =
        gather(reads, subject, audience, can_open_attachments)?;
    let synthetic = !sources.is_empty() && sources.iter().all(|s| s.synthetic);
    let (statement_count, segment_count) = (statements.len(), segments.len());
    let material = Material {
        format: PACKAGE_FORMAT,
        synthetic,
        subject,
        audience,
        sources,
        statements,
        segments,
        attachments: attachments.clone(),
        left_out: &left_out,
    };
    let json = serde_json::to_vec_pretty(&material).map_err(|e| PackageError::Io(e.to_string()))?;
    let name = match subject {
        Subject::Testimony(_) => "material/testimony.json",
        Subject::Entity(_) => "material/entity.json",
    };
    let sources = material.sources.into_iter().map(|s| s.id).collect();
    Ok(MaterialFile {
        name,
        json,
        synthetic,
        sources,
        statements: statement_count,
        segments: segment_count,
        attachments,
        left_out,
    })
}

/// Snapshots a package export reads before it verifies and gathers inside its write transaction instead.
const EXPORT_ATTEMPTS: usize = 3;

/// Writes an evidence package to `out` (a temporary file beside it, renamed when whole). The export is
/// logged first (a custody event committing to the material's SHA256SUMS), then the tree head including it
/// is signed and every event behind the material is proved against it.
///
/// The project is verified, the material gathered and the log read from one snapshot; the export event is
/// appended only if nothing was logged since (checked inside its transaction), so the signed head covers
/// exactly the log that verified and the export. When something was, it starts again from a new snapshot; after
/// [`EXPORT_ATTEMPTS`] it verifies and gathers inside the write transaction itself (others' writes wait).
pub fn export_package(
    store: &dyn Store,
    blob_dir: &Path,
    list_dir: &Path,
    options: &ExportOptions<'_>,
    out: &Path,
) -> Result<ExportReport, PackageError> {
    let blobs = BlobStore::new(blob_dir)?;
    let mut attempt = 0;
    let (prepared, export) = loop {
        attempt += 1;
        let under_lock = attempt > EXPORT_ATTEMPTS;
        let batch = Batch {
            recorded_by: options.recorded_by.clone(),
            recorded_at: now_rfc3339(),
            operation: EventKind::PackageExport.as_str().into(),
        };
        let (prepared, mut tx) = if under_lock {
            let tx = store.write(&batch)?;
            (prepare(tx.reads(), blob_dir, list_dir, options)?, tx)
        } else {
            let prepared = prepare(&*store.read()?, blob_dir, list_dir, options)?;
            (prepared, store.write(&batch)?)
        };
        let size = prepared.leaves.len() as u64;
        if !tx.reads().events(size, 1)?.is_empty() {
            // Logged since the snapshot, so not verified: dropped (rolled back), and done again.
            continue;
        }
        // Logged before anything is written: the event names the package and commits to its files.
        let detail = serde_json::json!({
            "format": PACKAGE_FORMAT,
            "subject": options.subject,
            "audience": options.audience,
            "files_sha256": sha256_hex(prepared.sums.as_bytes()),
            "files": prepared.files.len(),
            "synthetic": prepared.synthetic,
            "sealed": !options.seal_to.is_empty(),
        });
        record_event(tx.as_mut(), &batch, clew_custody::EventKind::PackageExport, &detail)?;
        let export = tx.reads().events(size, 1)?.into_iter().next().ok_or_else(|| {
            PackageError::from(clew_store::Error::internal("the export event is not in the log it was appended to"))
        })?;
        tx.commit()?;
        break (prepared, export);
    };
    let Prepared {
        material_json,
        material_name,
        synthetic,
        statements,
        segments,
        attachments,
        left_out,
        files,
        sums,
        mut leaves,
        mut chosen,
    } = prepared;
    let export_seq = export.seq;
    leaves.push(export.leaf_hash);
    chosen.push(export);
    // Proved against a freshly signed head of the log that verified, and the export.
    let head = root(&leaves);
    let signed = options.signing_key.sign_head(leaves.len() as u64, &head, &now_rfc3339());
    let events: Vec<ProvedEvent> = chosen.into_iter().map(|event| ProvedEvent::prove(event, &leaves)).collect();
    let manifest = Manifest {
        format: PACKAGE_FORMAT.into(),
        subject: options.subject.clone(),
        audience: options.audience,
        synthetic,
        files,
        events,
        tree_head: signed.clone(),
    };
    let report = ExportReport {
        statements,
        segments,
        attachments: attachments.len(),
        events: manifest.events.len(),
        left_out,
        tree_size: signed.tree_size,
        tree_head: signed.tree_head.clone(),
        export_event: export_seq,
    };

    // Whole or not at all: a package half written is never left under its name. One killed while written leaves
    // its temporary file beside it (0600), which the next export to the same place removes.
    let mut file = clew_files::AtomicFile::create(out).map_err(|e| PackageError::Io(e.to_string()))?;
    write_archive(&mut file, &manifest, &sums, &material_json, material_name, &attachments, &blobs, options)?;
    file.commit().map_err(|e| PackageError::Io(e.to_string()))?;
    Ok(report)
}

/// Writes the archive (sealed to the recipients when there are any) to `file`.
#[allow(clippy::too_many_arguments)]
fn write_archive(
    file: &mut clew_files::AtomicFile,
    manifest: &Manifest,
    sums: &str,
    material_json: &[u8],
    material_name: &str,
    attachments: &[MaterialAttachment],
    blobs: &BlobStore,
    options: &ExportOptions<'_>,
) -> Result<(), PackageError> {
    let io = |e: std::io::Error| PackageError::Io(format!("writing the package: {e}"));
    // AtomicFile makes it readable by its owner only: an unsealed package holds decrypted material.
    let sink = std::io::BufWriter::with_capacity(1 << 20, file);
    let parts = Parts { manifest, sums, material_json, material_name, attachments, blobs, identity: options.identity };
    let sink = if options.seal_to.is_empty() {
        write_tar(sink, &parts)?
    } else {
        let sealed = clew_vault::SealingWriter::new(&options.seal_to, sink)?;
        write_tar(sealed, &parts)?.finish()?
    };
    sink.into_inner().map_err(|e| io(e.into_error()))?;
    Ok(())
}

struct Parts<'a> {
    manifest: &'a Manifest,
    sums: &'a str,
    material_json: &'a [u8],
    material_name: &'a str,
    attachments: &'a [MaterialAttachment],
    blobs: &'a BlobStore,
    identity: Option<&'a Identity>,
}

/// A tar header for a regular file: owner-readable, no owner names, the tree head's time.
fn header(size: u64, mtime: u64) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(mtime);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

fn write_tar<W: Write>(writer: W, parts: &Parts<'_>) -> Result<W, PackageError> {
    let io = |e: std::io::Error| PackageError::Io(format!("writing the package: {e}"));
    let manifest = parts.manifest;
    let mtime = humantime::parse_rfc3339(&manifest.tree_head.timestamp)
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let manifest_json = serde_json::to_vec_pretty(manifest).map_err(|e| PackageError::Io(e.to_string()))?;
    let [json, msg, sig, pem] = tree_head_files(&manifest.tree_head)?;
    let small: [(&str, &[u8]); 9] = [
        ("README.txt", README.as_bytes()),
        ("verify-proofs.py", VERIFY_PROOFS.as_bytes()),
        ("manifest.json", &manifest_json),
        ("SHA256SUMS", parts.sums.as_bytes()),
        (json.0, &json.1),
        (msg.0, &msg.1),
        (sig.0, &sig.1),
        (pem.0, &pem.1),
        (parts.material_name, parts.material_json),
    ];
    let mut builder = tar::Builder::new(writer);
    for (name, bytes) in small {
        let mut header = header(bytes.len() as u64, mtime);
        builder.append_data(&mut header, format!("{ROOT}/{name}"), bytes).map_err(io)?;
    }
    for attachment in parts.attachments {
        let identity = parts.identity.ok_or_else(|| PackageError::Io("no key to open attachments".into()))?;
        let reader = parts.blobs.open(identity, &attachment.sha256)?;
        let mut hashing = HashingReader { inner: reader.take(attachment.size), hasher: Sha256::new(), read: 0 };
        let mut header = header(attachment.size, mtime);
        builder.append_data(&mut header, format!("{ROOT}/{}", attachment.file), &mut hashing).map_err(io)?;
        if hashing.read != attachment.size || hex::encode(hashing.hasher.finalize()) != attachment.sha256.as_str() {
            return Err(PackageError::Io(format!(
                "attachment {} does not open to what was recorded (its blob was altered or damaged): run `clew verify`",
                attachment.sha256
            )));
        }
    }
    builder.into_inner().map_err(io)
}

/// Hashes and counts what passes through.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    read: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buffer)?;
        self.hasher.update(&buffer[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

/// What checking a package found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PackageReport {
    /// What it is about.
    pub subject: Option<Subject>,
    /// Who it is for.
    pub audience: Option<Audience>,
    /// Whether its material is synthetic.
    pub synthetic: bool,
    /// Whether it was sealed (age).
    pub sealed: bool,
    /// Files of the material checked against SHA256SUMS.
    pub files: usize,
    /// Custody events whose inclusion proofs were checked.
    pub events: usize,
    /// The signed tree head's size.
    pub tree_size: u64,
    /// The signed tree head (hex).
    pub tree_head: String,
    /// The key that signed it (hex): compare it with the one the project published.
    pub signing_key: String,
    /// When the head was signed.
    pub signed_at: String,
    /// Everything wrong, each saying what and where; empty when the package checks out.
    pub problems: Vec<String>,
}

/// The files a package holds besides its material.
const PACKAGE_FILES: [&str; 6] =
    ["manifest.json", "SHA256SUMS", "tree-head.json", "tree-head.msg", "tree-head.sig", "signing-key.pem"];

/// Checks a package offline: every file against SHA256SUMS, SHA256SUMS against the export event, every event
/// against its leaf hash and its inclusion proof, the tree head's signature (and that it is by
/// `expected_key`, when given). A sealed package needs an identity it was sealed to.
///
/// A package whose archive could extract to something other than what was checked is refused, naming the
/// member: one name twice (tools disagree on which copy wins), a name that is absolute, holds `..` or `.`,
/// or a member that is neither a regular file nor a directory (links, devices). Problems never quote the
/// file's bytes: a file that is not a package may be anything, and its contents stay off the screen.
pub fn verify_package(
    path: &Path,
    identity: Option<&Identity>,
    expected_key: Option<&str>,
) -> Result<PackageReport, PackageError> {
    let io = |e: std::io::Error| PackageError::Io(format!("{}: {e}", path.display()));
    // A regular file only: a FIFO given as a package would block for ever.
    let regular = clew_files::open_regular(path).map_err(|e| PackageError::Io(e.to_string()))?;
    let mut file = std::io::BufReader::new(regular);
    let sealed = clew_vault::is_sealed(std::io::BufRead::fill_buf(&mut file).map_err(io)?);
    let mut report = PackageReport { sealed, ..PackageReport::default() };
    let reader: Box<dyn Read + '_> = if sealed {
        let identity = identity.ok_or_else(|| {
            PackageError::Io(format!(
                "{} is sealed (age): give the key it was sealed to with --identity",
                path.display()
            ))
        })?;
        Box::new(clew_vault::open_stream(identity, file)?)
    } else {
        Box::new(file)
    };
    match read_entries(reader, &mut report.problems) {
        Ok((small, hashed)) => check_package(&small, &hashed, expected_key, &mut report),
        Err(why) => report.problems.push(format!("{}: not a clew package: {why}", path.display())),
    }
    Ok(report)
}

/// A package's own files (by name, their bytes), and its material (by path, SHA-256 and size).
type Entries = (BTreeMap<String, Vec<u8>>, BTreeMap<String, (String, u64)>);

/// A member's name as a problem shows it: control characters and quotes escaped, so that a hostile name
/// cannot rewrite the terminal or pass for another message.
fn shown_name(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).escape_debug().to_string()
}

/// The name a member has inside the package folder (`README.txt`, `material/testimony.json`; empty for
/// the folder itself), or why it is refused. `directory` allows the one trailing `/` directories carry.
fn member_name(raw: &[u8], directory: bool) -> Result<String, String> {
    let Ok(name) = std::str::from_utf8(raw) else {
        return Err("its name is not UTF-8".into());
    };
    if name.starts_with('/') {
        return Err("its name is absolute".into());
    }
    let trimmed = if directory { name.strip_suffix('/').unwrap_or(name) } else { name };
    let parts: Vec<&str> = trimmed.split('/').collect();
    if parts.contains(&"..") {
        return Err("its name holds `..` (it would extract outside the folder)".into());
    }
    // `a//b` and `a/./b` extract to `a/b`: two spellings of one file would evade the check for duplicates.
    if parts.iter().any(|part| part.is_empty() || *part == ".") {
        return Err("its name is not in canonical form (an empty or `.` part)".into());
    }
    match parts.split_first() {
        Some((&ROOT, rest)) => Ok(rest.join("/")),
        _ => Err(format!("it is outside the package folder `{ROOT}/` (added)")),
    }
}

/// What a member is, for a refusal: anything but a regular file or a directory.
fn member_kind(kind: tar::EntryType) -> Option<&'static str> {
    use tar::EntryType;
    match kind {
        EntryType::Regular | EntryType::Directory => None,
        EntryType::Link => Some("a hard link"),
        EntryType::Symlink => Some("a symbolic link"),
        EntryType::Char | EntryType::Block => Some("a device"),
        EntryType::Fifo => Some("a named pipe"),
        _ => Some("neither a regular file nor a directory"),
    }
}

/// Reads every entry: the package's own files into memory, the material hashed as it streams. Members that
/// could extract to something other than what is checked are refused (listed in `problems`, not read).
/// `Err` says why the file is no package at all.
fn read_entries(reader: Box<dyn Read + '_>, problems: &mut Vec<String>) -> Result<Entries, String> {
    let mut small = BTreeMap::new();
    let mut hashed = BTreeMap::new();
    // Every member's name, directories included: a second member of one name is refused.
    let mut names: HashSet<String> = HashSet::new();
    // The last member read, to say where a damaged archive stops.
    let mut last: Option<String> = None;
    let mut archive = tar::Archive::new(reader);
    // The tar crate's errors quote the header they could not parse, which for a file that is no package is
    // its contents: they are never shown, only where reading stopped.
    let entries = archive.entries().map_err(|_| "not a tar archive".to_string())?;
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(_) => match &last {
                None => return Err("not a tar archive".into()),
                Some(last) => {
                    problems.push(format!("the package is truncated or damaged after member `{last}`"));
                    break;
                }
            },
        };
        let raw = entry.path_bytes().into_owned();
        let shown = shown_name(&raw);
        last = Some(shown.clone());
        let kind = entry.header().entry_type();
        if let Some(kind) = member_kind(kind) {
            problems.push(format!("member `{shown}`: {kind}, not a regular file or directory: refused"));
            continue;
        }
        let name = match member_name(&raw, kind == tar::EntryType::Directory) {
            Ok(name) => name,
            Err(why) => {
                problems.push(format!("member `{shown}`: {why}: refused"));
                continue;
            }
        };
        if !names.insert(name.clone()) {
            problems.push(format!(
                "member `{shown}`: the archive holds it twice (extracting would keep a copy that was not \
                 checked): refused"
            ));
            continue;
        }
        if kind == tar::EntryType::Directory {
            continue;
        }
        // The size the reader goes by (a pax header may override the one in the header block).
        let expected = entry.size();
        if PACKAGE_FILES.contains(&name.as_str()) {
            if expected > SMALL_FILE_LIMIT {
                problems.push(format!("{name}: {expected} bytes, far larger than any package writes"));
                continue;
            }
            let mut bytes = Vec::new();
            match entry.read_to_end(&mut bytes) {
                Ok(read) if read as u64 == expected => {
                    small.insert(name, bytes);
                }
                Ok(_) | Err(_) => {
                    problems.push(format!("{name}: cut short: the package is truncated"));
                    break;
                }
            }
        } else {
            let mut hashing = HashingReader { inner: &mut entry, hasher: Sha256::new(), read: 0 };
            match std::io::copy(&mut hashing, &mut std::io::sink()) {
                Ok(read) if read == expected => {
                    hashed.insert(name, (hex::encode(hashing.hasher.finalize()), read));
                }
                Ok(_) | Err(_) => {
                    problems.push(format!("{}: cut short: the package is truncated", shown_name(name.as_bytes())));
                    break;
                }
            }
        }
    }
    if last.is_none() {
        return Err("an empty archive".into());
    }
    Ok((small, hashed))
}

fn check_package(
    small: &BTreeMap<String, Vec<u8>>,
    hashed: &BTreeMap<String, (String, u64)>,
    expected_key: Option<&str>,
    report: &mut PackageReport,
) {
    let problems = &mut report.problems;
    let Some(manifest) = small.get("manifest.json") else {
        problems.push("manifest.json is missing".into());
        return;
    };
    let manifest: Manifest = match serde_json::from_slice(manifest) {
        Ok(manifest) => manifest,
        Err(error) => {
            // serde's message can quote the value it did not expect: say only what kind of problem and where.
            let what = match error.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Io => "not JSON",
                serde_json::error::Category::Eof => "cut short",
                serde_json::error::Category::Data => "not in the manifest's format",
            };
            problems.push(format!(
                "manifest.json: not a package manifest: {what} (line {}, column {})",
                error.line(),
                error.column()
            ));
            return;
        }
    };
    if manifest.format != PACKAGE_FORMAT {
        problems.push(format!("manifest.json: not format `{PACKAGE_FORMAT}`"));
        return;
    }
    report.subject = Some(manifest.subject.clone());
    report.audience = Some(manifest.audience);
    report.synthetic = manifest.synthetic;
    let head = &manifest.tree_head;
    report.tree_size = head.tree_size;
    report.tree_head = head.tree_head.clone();
    report.signing_key = head.public_key.clone();
    report.signed_at = head.timestamp.clone();

    // 1. The material against SHA256SUMS, and SHA256SUMS against the manifest.
    let sums = small.get("SHA256SUMS").cloned().unwrap_or_default();
    if !small.contains_key("SHA256SUMS") {
        problems.push("SHA256SUMS is missing".into());
    }
    let listed: String = manifest.files.iter().map(sums_line).collect();
    if listed.as_bytes() != sums.as_slice() {
        problems.push("SHA256SUMS does not list the files manifest.json lists: one of them was altered".into());
    }
    for file in &manifest.files {
        match hashed.get(&file.path) {
            None => problems.push(format!("{}: missing (SHA256SUMS lists it)", shown_name(file.path.as_bytes()))),
            Some((sha256, size)) if *sha256 != file.sha256 || *size != file.size => problems.push(format!(
                "{}: its SHA-256 is {sha256}, but SHA256SUMS says {}: the file was altered",
                shown_name(file.path.as_bytes()),
                shown_name(file.sha256.as_bytes())
            )),
            Some(_) => report.files += 1,
        }
    }
    for name in hashed.keys() {
        if !manifest.files.iter().any(|f| &f.path == name) {
            problems
                .push(format!("{}: not listed in SHA256SUMS (added after the export)", shown_name(name.as_bytes())));
        }
    }

    // 2. The signed tree head, and its copies for standard tools.
    if let Err(error) = head.verify(expected_key) {
        problems.push(format!("tree head: {error}"));
    }
    let copies: [(&str, Option<Vec<u8>>); 3] = [
        ("tree-head.msg", Some(head.message())),
        ("tree-head.sig", hex::decode(&head.signature).ok()),
        ("signing-key.pem", clew_vault::signing::public_key_pem(&head.public_key).map(String::into_bytes)),
    ];
    for (name, expected) in copies {
        if small.get(name) != expected.as_ref() {
            problems.push(format!("{name}: does not match the signed tree head in manifest.json"));
        }
    }
    match small.get("tree-head.json").map(|b| serde_json::from_slice::<SignedTreeHead>(b)) {
        Some(Ok(copy)) if copy == *head => {}
        _ => problems.push("tree-head.json: does not match the signed tree head in manifest.json".into()),
    }

    // 3. Every event: its leaf hash from its fields, and its inclusion proof to the signed head.
    let Some(root_hash) = head.head() else {
        problems.push("tree head: malformed".into());
        return;
    };
    for event in &manifest.events {
        let leaf = event_leaf(&event.recorded_at, &event.recorded_by, &event.kind, &event.detail);
        if hex::encode(leaf) != event.leaf_hash {
            problems.push(format!(
                "event {} ({}): its fields do not hash to its leaf: it was altered",
                event.seq, event.kind
            ));
            continue;
        }
        let proof: Option<Vec<Hash>> = event.inclusion_proof.iter().map(|h| Hash::from_hex(h).ok()).collect();
        let included = event.seq >= 1
            && proof.is_some_and(|proof| verify_inclusion(event.seq - 1, head.tree_size, &leaf, &proof, &root_hash));
        if included {
            report.events += 1;
        } else {
            problems.push(format!(
                "event {} ({}): its inclusion proof does not lead to the signed tree head",
                event.seq, event.kind
            ));
        }
    }

    // 4. The export event commits to SHA256SUMS, the subject and the audience.
    let detail = |event: &ProvedEvent| serde_json::from_str::<serde_json::Value>(&event.detail).ok();
    match manifest
        .events
        .last()
        .filter(|e| EventKind::parse(&e.kind) == Some(EventKind::PackageExport))
        .and_then(detail)
    {
        None => problems.push("manifest.json: the package-export event is missing".into()),
        Some(export) => {
            if export.get("files_sha256").and_then(|v| v.as_str()) != Some(&sha256_hex(&sums)) {
                problems.push("SHA256SUMS: it is not the list the export event logged: the package was altered".into());
            }
            if export.get("subject") != serde_json::to_value(&manifest.subject).ok().as_ref()
                || export.get("audience") != serde_json::to_value(manifest.audience).ok().as_ref()
                || export.get("synthetic").and_then(|v| v.as_bool()) != Some(manifest.synthetic)
            {
                problems.push(
                    "manifest.json: its subject, audience or synthetic flag differs from the export event's".into(),
                );
            }
        }
    }

    // 5. Each attachment was logged, with this hash, when it was attached.
    let attached: HashSet<String> = manifest
        .events
        .iter()
        .filter(|e| EventKind::parse(&e.kind) == Some(EventKind::Attach))
        .filter_map(|e| detail(e)?.get("sha256")?.as_str().map(String::from))
        .collect();
    for file in manifest.files.iter().filter(|f| f.path.starts_with("material/attachments/")) {
        if !attached.contains(&file.sha256) {
            problems.push(format!(
                "{}: no attach event in the package records this hash",
                shown_name(file.path.as_bytes())
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A tar member with its name written as given (the tar crate's builder refuses `..` and absolute names).
    fn member(name: &[u8], kind: tar::EntryType, data: &[u8]) -> Vec<u8> {
        let mut header = tar::Header::new_ustar();
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(kind);
        if kind == tar::EntryType::Symlink || kind == tar::EntryType::Link {
            header.set_link_name("clew-package/README.txt").unwrap();
        }
        header.set_cksum();
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(data);
        bytes.resize(bytes.len().div_ceil(512) * 512, 0);
        bytes
    }

    /// What reading an archive of these members finds.
    fn read(members: &[Vec<u8>]) -> (Result<Entries, String>, Vec<String>) {
        let mut archive = members.concat();
        archive.extend_from_slice(&[0; 1024]);
        let mut problems = Vec::new();
        let entries = read_entries(Box::new(std::io::Cursor::new(archive)), &mut problems);
        (entries, problems)
    }

    #[test]
    fn members_that_could_extract_elsewhere_are_refused_by_name() {
        use tar::EntryType::{Block, Directory, Fifo, Link, Regular, Symlink};
        let cases: [(&[u8], tar::EntryType, &str); 11] = [
            (b"clew-package/material/x.json", Symlink, "a symbolic link"),
            (b"clew-package/material/x.json", Link, "a hard link"),
            (b"clew-package/dev", Block, "a device"),
            (b"clew-package/pipe", Fifo, "a named pipe"),
            (b"/clew-package/README.txt", Regular, "its name is absolute"),
            (b"clew-package/../README.txt", Regular, "holds `..`"),
            (b"clew-package/material/../../x", Directory, "holds `..`"),
            (b"clew-package//README.txt", Regular, "not in canonical form"),
            (b"clew-package/./README.txt", Regular, "not in canonical form"),
            (b"clew-package/README.txt/", Regular, "not in canonical form"),
            (b"elsewhere/README.txt", Regular, "outside the package folder"),
        ];
        for (name, kind, why) in cases {
            let (entries, problems) = read(&[member(b"clew-package/", Directory, b""), member(name, kind, b"x")]);
            let (_, hashed) = entries.unwrap();
            assert!(hashed.is_empty(), "{}: read anyway", shown_name(name));
            let expected = format!("member `{}`: ", shown_name(name));
            assert!(
                problems.len() == 1 && problems[0].starts_with(&expected) && problems[0].contains(why),
                "{problems:?}"
            );
        }
    }

    #[test]
    fn a_member_twice_is_refused_whichever_copy_comes_first() {
        let name = b"clew-package/material/testimony.json";
        let (entries, problems) = read(&[
            member(name, tar::EntryType::Regular, b"altered"),
            member(b"clew-package/material/", tar::EntryType::Directory, b""),
            member(name, tar::EntryType::Regular, b"original"),
        ]);
        assert_eq!(
            problems,
            ["member `clew-package/material/testimony.json`: the archive holds it twice (extracting would keep a \
              copy that was not checked): refused"]
        );
        // A directory and a file of one name are two members of one name too.
        let (_, problems) = read(&[
            member(b"clew-package/material", tar::EntryType::Regular, b"x"),
            member(b"clew-package/material/", tar::EntryType::Directory, b""),
        ]);
        assert!(problems.len() == 1 && problems[0].contains("holds it twice"), "{problems:?}");
        assert_eq!(entries.unwrap().1.len(), 1);
    }

    #[test]
    fn names_are_shown_escaped_and_contents_never() {
        let (_, problems) = read(&[member(b"clew-package/a\x1b[2Jb\n", tar::EntryType::Symlink, b"")]);
        assert!(problems[0].starts_with("member `clew-package/a\\u{1b}[2Jb\\n`"), "{problems:?}");
        let text = "root:x:0:0:SECRET-LINE:/root:/bin/bash\n".repeat(30);
        for bytes in [text.as_bytes(), &text.as_bytes()[..100], b""] {
            let mut problems = Vec::new();
            let read = read_entries(Box::new(std::io::Cursor::new(bytes.to_vec())), &mut problems);
            let why = read.err().unwrap();
            assert!(why == "not a tar archive" || why == "an empty archive", "{why}");
            assert!(problems.is_empty(), "{problems:?}");
        }
    }
}
