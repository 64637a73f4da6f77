//! Attachments: audio, video, scans and PDFs added to a testimony. Each file is sealed to the custodians (and
//! the project key) as it streams into the project's blob folder under the SHA-256 of its plaintext; its original name (which can
//! identify a witness) is sealed too. All files of one `clew attach` are recorded in one transaction.

use std::path::{Path, PathBuf};

use clew_model::SourceId;
use clew_store::{Batch, NewAttachment, Original, Store};
use clew_vault::Recipient;
use clew_vault::blobs::{BlobHash, BlobStore};
use clew_vault::signing::KeyFiles;
use serde::Serialize;

use crate::strip;
use clew_custody::{EventKind, WriteError, custodian_keys, now_rfc3339};

/// Why attaching failed; nothing was recorded.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    /// The testimony is not in the project.
    #[error("testimony `{0}` is not in this project; import it first")]
    NoTestimony(String),
    /// A file cannot be read.
    #[error("{}: {message}", .path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// Sealing or the store failed.
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl From<clew_store::Error> for AttachError {
    fn from(error: clew_store::Error) -> Self {
        AttachError::Write(WriteError::Store(error))
    }
}

impl From<clew_vault::Error> for AttachError {
    fn from(error: clew_vault::Error) -> Self {
        AttachError::Write(WriteError::Vault(error))
    }
}

/// One attached file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attached {
    /// SHA-256 of the plaintext (hex): recompute it to check the evidence.
    pub sha256: BlobHash,
    /// Size in bytes.
    pub size: u64,
    /// Media type.
    pub media_type: String,
    /// The sealed blob.
    pub blob: PathBuf,
    /// Whether the testimony already had this file.
    pub already_attached: bool,
    /// When metadata was stripped: the original's hash and size, and what was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<Original>,
    /// Stripping was asked for, but this is not an image: it was attached whole, metadata and all.
    pub metadata_kept: bool,
}

/// A media type from a file name's extension.
pub fn media_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("mp3") => "audio/mpeg",
        Some("m4a") => "audio/mp4",
        Some("wav") => "audio/wav",
        Some("ogg" | "oga" | "opus") => "audio/ogg",
        Some("mp4" | "m4v") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("webm") => "video/webm",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("heic" | "heif") => "image/heic",
        Some("gif") => "image/gif",
        Some("tif" | "tiff") => "image/tiff",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain",
        _ => "application/octet-stream",
    }
}

/// How to attach.
#[derive(Debug, Clone, Copy)]
pub struct AttachOptions<'a> {
    /// The project's key files: blobs are sealed to the project key (and during a rotation the next one) as
    /// well as to the custodians, so that packages can open them.
    pub key_files: &'a KeyFiles,
    /// Strip metadata (EXIF/GPS, XMP, IPTC, comments) from JPEG, PNG and WebP images before sealing; the
    /// original's SHA-256 and size are recorded. Other images are refused (nothing is attached); other files
    /// are attached whole, and the result says so.
    pub strip_metadata: bool,
    /// Who attaches.
    pub recorded_by: &'a str,
}

/// Seals files into the blob folder and records them as attachments of a testimony, in one transaction.
/// Blobs are sealed to the custodians and, when the project has one, to the project key (which opens them
/// for packages); file names, which can identify a witness, to the custodians alone.
pub fn attach_files(
    store: &dyn Store,
    blob_dir: &Path,
    testimony: &SourceId,
    files: &[PathBuf],
    options: &AttachOptions<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Attached>, AttachError> {
    let snapshot = store.read()?;
    if snapshot.source(testimony)?.is_none() {
        return Err(AttachError::NoTestimony(testimony.to_string()));
    }
    let custodians = custodian_keys(&*snapshot)?;
    let project_keys = options.key_files.project_recipients()?;
    if custodians.is_empty() {
        return Err(clew_vault::Error::NoCustodian.into());
    }
    let blobs = BlobStore::new(blob_dir)?;
    let blob_recipients: Vec<Recipient> = custodians.iter().chain(&project_keys).cloned().collect();
    let file_error = |path: &Path| {
        let path = path.to_path_buf();
        move |error: std::io::Error| AttachError::File { path: path.clone(), message: error.to_string() }
    };
    let files_error = |path: &Path| {
        let path = path.to_path_buf();
        move |error: clew_files::FileError| AttachError::File {
            path: path.clone(),
            message: error.to_string().trim_start_matches(&format!("{}: ", path.display())).to_string(),
        }
    };
    // Every file is checked before anything is sealed: a typo in the last name, or an image clew cannot
    // strip, must not leave blobs behind.
    for path in files {
        let metadata = std::fs::metadata(path).map_err(file_error(path))?;
        if !metadata.is_file() {
            return Err(AttachError::File { path: path.clone(), message: "not a file".into() });
        }
        let kind = media_type(path);
        if options.strip_metadata && kind.starts_with("image/") {
            if !strip::strippable(kind) {
                return Err(AttachError::File {
                    path: path.clone(),
                    message: format!(
                        "clew cannot strip metadata from {kind} images (it strips JPEG, PNG and WebP): convert it, \
                         or attach it without --strip-metadata"
                    ),
                });
            }
            if metadata.len() > strip::STRIP_LIMIT {
                return Err(AttachError::File {
                    path: path.clone(),
                    message: format!("an image to strip may have at most {} MiB", strip::STRIP_LIMIT >> 20),
                });
            }
        }
    }
    // A blob already sealed as its attach event logged is kept, not sealed anew: the file on disk changes only
    // with an event that logs it (a failure or kill before the commit below leaves the log true).
    let seals = clew_custody::verify::logged_seals(&*snapshot)?;
    // Sealing takes a while: no snapshot is held open meanwhile.
    drop(snapshot);
    let logged_seal = |sha256: &BlobHash| seals.get(sha256.as_str()).cloned();
    let mut sealed = Vec::new();
    let mut done = 0;
    for path in files {
        let kind = media_type(path);
        let (blob, original) = if options.strip_metadata && strip::strippable(kind) {
            let bytes = clew_files::read(path, strip::STRIP_LIMIT).map_err(files_error(path))?;
            let original_sha256 = clew_model::ids::sha256_hex(&bytes);
            let original_size = bytes.len() as u64;
            let (stripped, removed) =
                strip::strip(kind, bytes).map_err(|message| AttachError::File { path: path.clone(), message })?;
            let blob = blobs.put_unless_intact(&blob_recipients, stripped.as_slice(), &logged_seal)?;
            (blob, Some(Original { sha256: original_sha256, size: original_size, stripped: removed }))
        } else {
            let file = clew_files::open_regular(path).map_err(files_error(path))?;
            (blobs.put_unless_intact(&blob_recipients, file, &logged_seal)?, None)
        };
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let sealed_name = clew_vault::seal(&custodians, name.as_bytes())?;
        sealed.push((blob, kind, sealed_name, original));
        done += 1;
        progress(done);
    }
    let batch = Batch {
        recorded_by: options.recorded_by.to_string(),
        recorded_at: now_rfc3339(),
        operation: EventKind::Attach.as_str().into(),
    };
    let mut tx = store.write(&batch)?;
    // Names were sealed to the custodians read above: they must still be the project's. So must the project
    // keys the blobs were sealed to: a rotation that began (its next key written) or ended while the files
    // were sealed would leave these blobs closed to the key that packages open them with.
    clew_custody::check_sealed_to(tx.as_ref(), &custodians)?;
    let sealed_to: Vec<String> = project_keys.iter().map(ToString::to_string).collect();
    if options.key_files.project_recipients()?.iter().any(|key| !sealed_to.contains(&key.to_string())) {
        return Err(WriteError::from(clew_store::Error::Conflict(
            "the project key was rotated while the files were being sealed: nothing was attached; attach them again"
                .into(),
        ))
        .into());
    }
    let mut attached = Vec::new();
    for (blob, media_type, sealed_name, original) in sealed {
        let record = NewAttachment {
            sha256: blob.sha256.to_string(),
            size: blob.size,
            media_type: media_type.into(),
            sealed_name,
            original: original.clone(),
        };
        let added = tx.put_attachment(testimony, &record)?;
        let mut detail = serde_json::json!({
            "testimony": testimony.as_str(),
            "sha256": blob.sha256,
            "size": blob.size,
            "media_type": media_type,
            "already_attached": !added,
            "sealed_sha256": blob.sealed_sha256,
        });
        if let Some(original) = &original {
            detail["original_sha256"] = original.sha256.clone().into();
            detail["original_size"] = original.size.into();
            detail["stripped"] = original.stripped.clone().into();
        }
        clew_custody::record_event(tx.as_mut(), &batch, EventKind::Attach, &detail)?;
        attached.push(Attached {
            blob: blobs.path(&blob.sha256),
            sha256: blob.sha256,
            size: blob.size,
            media_type: media_type.to_string(),
            already_attached: !added,
            original,
            metadata_kept: options.strip_metadata && !strip::strippable(media_type),
        });
    }
    tx.commit()?;
    Ok(attached)
}
