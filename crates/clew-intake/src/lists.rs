//! Sanctions lists kept in a project: the file, checked by the caller, stored under its SHA-256 in the project's
//! `lists/` folder (written to a temporary file, synced, then renamed), then recorded with its custody event in
//! one transaction. A kill before the commit leaves at most an unrecorded file, which the next import of the
//! same list reuses.

use std::path::Path;

use clew_store::{Batch, ReadTx, Store, StoredList};
use serde::Serialize;

use crate::import::{WriteError, now_rfc3339, record_event};

/// What importing a list did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedList {
    /// The list as recorded.
    pub list: StoredList,
    /// Whether the project had it already (nothing was written).
    pub already_kept: bool,
}

/// Keeps a list file in the project. `bytes` must already have been read as a list (by `clew-screen`); `name`,
/// `version`, `format` and `entities` say what it is.
#[allow(clippy::too_many_arguments)]
pub fn import_list(
    store: &dyn Store,
    list_dir: &Path,
    file_name: &str,
    bytes: &[u8],
    companion: Option<&[u8]>,
    addresses: Option<&[u8]>,
    name: &str,
    version: Option<&str>,
    format: &str,
    entities: u64,
    recorded_by: &str,
) -> Result<ImportedList, WriteError> {
    let sha256 = clew_model::ids::sha256_hex(bytes);
    let companion_hash = companion.map(clew_model::ids::sha256_hex);
    let addresses_hash = addresses.map(clew_model::ids::sha256_hex);
    // Checked on a snapshot before any file is written, and again inside the transaction (another import may
    // have kept the same list meanwhile).
    let kept = |reads: &dyn ReadTx| -> Result<Option<ImportedList>, WriteError> {
        let Some(list) = reads.sanctions_lists()?.into_iter().find(|l| l.sha256 == sha256) else { return Ok(None) };
        if list.companion_sha256 != companion_hash {
            return Err(WriteError::Io(format!(
                "{file_name} is kept already, with {} aliases file; import the list's next version rather than another aliases file",
                if list.companion_sha256.is_some() { "another" } else { "no" }
            )));
        }
        if list.addresses_sha256 != addresses_hash {
            return Err(WriteError::Io(format!(
                "{file_name} is kept already, with {} addresses file; import the list's next version rather than another addresses file",
                if list.addresses_sha256.is_some() { "another" } else { "no" }
            )));
        }
        Ok(Some(ImportedList { list, already_kept: true }))
    };
    if let Some(kept) = kept(&*store.read()?)? {
        return Ok(kept);
    }
    let io = |e: clew_files::FileError| WriteError::Io(e.to_string());
    write_durably(list_dir, &sha256, bytes).map_err(io)?;
    let companion_sha256 = match companion {
        Some(companion) => {
            let hash = clew_model::ids::sha256_hex(companion);
            write_durably(list_dir, &hash, companion).map_err(io)?;
            Some(hash)
        }
        None => None,
    };
    if let Some(addresses) = addresses {
        write_durably(list_dir, addresses_hash.as_deref().unwrap_or_default(), addresses).map_err(io)?;
    }
    let batch =
        Batch { recorded_by: recorded_by.to_string(), recorded_at: now_rfc3339(), operation: "list-import".into() };
    let list = StoredList {
        sha256: sha256.clone(),
        name: name.to_string(),
        version: version.map(String::from),
        format: format.to_string(),
        file_name: file_name.to_string(),
        entities,
        companion_sha256: companion_sha256.clone(),
        addresses_sha256: addresses_hash.clone(),
        imported_by: batch.recorded_by.clone(),
        imported_at: batch.recorded_at.clone(),
    };
    let mut tx = store.write(&batch)?;
    if let Some(kept) = kept(tx.reads())? {
        return Ok(kept);
    }
    tx.put_sanctions_list(&list)?;
    let detail = serde_json::json!({
        "list": name, "version": version, "format": format, "sha256": sha256, "entities": entities,
        "companion_sha256": companion_sha256, "addresses_sha256": addresses_hash,
    });
    record_event(tx.as_mut(), &batch, "list-import", &detail)?;
    tx.commit()?;
    Ok(ImportedList { list, already_kept: false })
}

/// The path of a kept list's file.
pub fn list_path(list_dir: &Path, sha256: &str) -> std::path::PathBuf {
    list_dir.join(sha256)
}

fn write_durably(dir: &Path, sha256: &str, bytes: &[u8]) -> Result<(), clew_files::FileError> {
    clew_files::create_private_dir(dir)?;
    clew_files::write_atomic(&list_path(dir, sha256), bytes)
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

/// Reads a kept list's files back, checking each is still the file imported.
pub fn read_kept_list(list_dir: &Path, list: &StoredList) -> Result<KeptFiles, String> {
    let read = |hash: &Option<String>| hash.as_ref().map(|hash| read_kept_file(list_dir, list, hash)).transpose();
    Ok(KeptFiles {
        list: read_kept_file(list_dir, list, &list.sha256)?,
        aliases: read(&list.companion_sha256)?,
        addresses: read(&list.addresses_sha256)?,
    })
}

fn read_kept_file(list_dir: &Path, list: &StoredList, sha256: &str) -> Result<Vec<u8>, String> {
    let path = list_path(list_dir, sha256);
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("list {} ({}): {}: {e}", list.name, list.file_name, path.display()))?;
    if clew_model::ids::sha256_hex(&bytes) != sha256 {
        return Err(format!(
            "list {} ({}): {} no longer has the SHA-256 it was imported with: it was altered",
            list.name,
            list.file_name,
            path.display()
        ));
    }
    Ok(bytes)
}
