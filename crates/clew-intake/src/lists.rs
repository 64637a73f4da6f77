//! Sanctions lists kept in a project: the file, checked by the caller, stored under its SHA-256 in the project's
//! `lists/` folder (`clew_files::write_atomic`: a temporary file, synced, then renamed), then recorded with its
//! custody event in one transaction. A kill before the commit leaves at most an unrecorded file, which the next
//! import of the same list reuses. A kept file's path is made from a checked [`Sha256Hex`] only, as a blob's is
//! from a `BlobHash`: a hash read from the database, or given by anyone, cannot name a file outside `lists/`.

use std::path::{Path, PathBuf};

use clew_files::Sha256Hex;
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
    let sha256 = Sha256Hex::of(bytes);
    let companion_hash = companion.map(Sha256Hex::of);
    let addresses_hash = addresses.map(Sha256Hex::of);
    let recorded = |hash: Option<Sha256Hex>| hash.map(String::from);
    // Checked on a snapshot before any file is written, and again inside the transaction (another import may
    // have kept the same list meanwhile).
    let kept = |reads: &dyn ReadTx| -> Result<Option<ImportedList>, WriteError> {
        let Some(list) = reads.sanctions_lists()?.into_iter().find(|l| l.sha256 == sha256.as_str()) else {
            return Ok(None);
        };
        if list.companion_sha256 != recorded(companion_hash) {
            return Err(WriteError::Io(format!(
                "{file_name} is kept already, with {} aliases file; import the list's next version rather than another aliases file",
                if list.companion_sha256.is_some() { "another" } else { "no" }
            )));
        }
        if list.addresses_sha256 != recorded(addresses_hash) {
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
    for (bytes, hash) in [(companion, companion_hash), (addresses, addresses_hash)] {
        if let (Some(bytes), Some(hash)) = (bytes, hash) {
            write_durably(list_dir, &hash, bytes).map_err(io)?;
        }
    }
    let batch =
        Batch { recorded_by: recorded_by.to_string(), recorded_at: now_rfc3339(), operation: "list-import".into() };
    let list = StoredList {
        sha256: sha256.to_string(),
        name: name.to_string(),
        version: version.map(String::from),
        format: format.to_string(),
        file_name: file_name.to_string(),
        entities,
        companion_sha256: recorded(companion_hash),
        addresses_sha256: recorded(addresses_hash),
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
        "companion_sha256": companion_hash, "addresses_sha256": addresses_hash,
    });
    record_event(tx.as_mut(), &batch, "list-import", &detail)?;
    tx.commit()?;
    Ok(ImportedList { list, already_kept: false })
}

/// The path of a kept list's file: always a file of `list_dir`.
pub fn list_path(list_dir: &Path, sha256: &Sha256Hex) -> PathBuf {
    list_dir.join(sha256.as_str())
}

fn write_durably(dir: &Path, sha256: &Sha256Hex, bytes: &[u8]) -> Result<(), clew_files::FileError> {
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
        write_durably(&lists, &hash, bytes).unwrap();
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
