//! Attachments: audio, video, scans and PDFs added to a testimony. Each file is sealed to the custodians (and
//! the project key) as it streams into the project's blob folder under the SHA-256 of its plaintext; its original name (which can
//! identify a witness) is sealed too. All files of one `clew attach` are recorded in one transaction.

use std::path::{Path, PathBuf};

use clew_model::SourceId;
use clew_store::{Batch, NewAttachment, Store};
use clew_vault::Recipient;
use clew_vault::blobs::BlobStore;
use serde::Serialize;

use crate::import::{WriteError, custodian_keys, now_rfc3339};

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
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type.
    pub media_type: String,
    /// The sealed blob.
    pub blob: PathBuf,
    /// Whether the testimony already had this file.
    pub already_attached: bool,
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
        Some("tif" | "tiff") => "image/tiff",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain",
        _ => "application/octet-stream",
    }
}

/// Seals files into the blob folder and records them as attachments of a testimony, in one transaction.
/// Blobs are sealed to the custodians and, when the project has one, to the project key (which opens them
/// for packages); file names, which can identify a witness, to the custodians alone.
pub fn attach_files(
    store: &mut dyn Store,
    blob_dir: &Path,
    project_key: Option<&Recipient>,
    testimony: &SourceId,
    files: &[PathBuf],
    recorded_by: &str,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Attached>, AttachError> {
    if store.source(testimony)?.is_none() {
        return Err(AttachError::NoTestimony(testimony.to_string()));
    }
    let custodians = custodian_keys(store)?;
    if custodians.is_empty() {
        return Err(clew_vault::Error::NoCustodian.into());
    }
    let blobs = BlobStore::new(blob_dir)?;
    let blob_recipients: Vec<Recipient> = custodians.iter().chain(project_key).cloned().collect();
    let file_error = |path: &Path| {
        let path = path.to_path_buf();
        move |error: std::io::Error| AttachError::File { path: path.clone(), message: error.to_string() }
    };
    // Every file is checked before anything is sealed: a typo in the last name must not leave blobs behind.
    for path in files {
        let metadata = std::fs::metadata(path).map_err(file_error(path))?;
        if !metadata.is_file() {
            return Err(AttachError::File { path: path.clone(), message: "not a file".into() });
        }
    }
    let mut sealed = Vec::new();
    let mut done = 0;
    for path in files {
        let file = std::fs::File::open(path).map_err(file_error(path))?;
        let blob = blobs.put(&blob_recipients, file)?;
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let sealed_name = clew_vault::seal(&custodians, name.as_bytes())?;
        sealed.push((blob, media_type(path), sealed_name));
        done += 1;
        progress(done);
    }
    let batch = Batch { recorded_by: recorded_by.to_string(), recorded_at: now_rfc3339(), operation: "attach".into() };
    let mut tx = store.write(&batch)?;
    let mut attached = Vec::new();
    for (blob, media_type, sealed_name) in sealed {
        let record =
            NewAttachment { sha256: blob.sha256.clone(), size: blob.size, media_type: media_type.into(), sealed_name };
        let added = tx.put_attachment(testimony, &record)?;
        let detail = serde_json::json!({
            "testimony": testimony.as_str(),
            "sha256": blob.sha256,
            "size": blob.size,
            "media_type": media_type,
            "already_attached": !added,
        });
        crate::import::record_event(tx.as_mut(), &batch, "attach", &detail)?;
        attached.push(Attached {
            blob: blobs.path(&blob.sha256),
            sha256: blob.sha256,
            size: blob.size,
            media_type: media_type.to_string(),
            already_attached: !added,
        });
    }
    tx.commit()?;
    Ok(attached)
}
