//! Key rotation: every sealed value and blob sealed anew to the project's current custodians and a new
//! project key, so a removed custodian or an old project key opens nothing sealed from then on, and
//! everything stays readable to the new set.
//!
//! Order, so that a crash at any point loses nothing: the new project key is written first (beside the old
//! one, `project-key.next.age`); blobs are re-sealed one by one (each replaced whole, by rename), readable
//! throughout by the custodians and by the old-or-next project key; the sealed values in the database are
//! replaced in one transaction with the custody event; only then does the new key replace the old. Running
//! the rotation again after a crash finishes it with the same next key.
//!
//! What is re-sealed is read from one snapshot, and the transaction that puts it in place checks that the
//! project still holds exactly that (the same custodians, sealed values and attachments): anything sealed or
//! attached meanwhile stops the rotation before its end, and running it again takes it in.

use std::collections::BTreeSet;
use std::path::Path;

use clew_model::ids::sha256_hex;
use clew_store::{Batch, Store};
use clew_vault::blobs::{BlobHash, BlobStore};
use clew_vault::signing::KeyFiles;
use clew_vault::{Identity, Recipient};
use serde::Serialize;

use crate::{EventKind, WriteError, custodian_keys, now_rfc3339, record_event};

/// What a rotation re-sealed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RotateReport {
    /// Custodians everything is now sealed to.
    pub custodians: usize,
    /// Protected blocks and attachment names re-sealed.
    pub sealed_values: usize,
    /// Blobs re-sealed.
    pub blobs: usize,
    /// The new project key.
    pub project_key: String,
}

/// Why a rotation stopped. Whatever was re-sealed before it stopped stays readable; running it again
/// finishes it.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    /// A storage or logging failure.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A key failure.
    #[error(transparent)]
    Vault(#[from] clew_vault::Error),
    /// Something needed is missing.
    #[error("{0}")]
    Needs(String),
}

impl From<clew_store::Error> for RotateError {
    fn from(error: clew_store::Error) -> Self {
        RotateError::Write(error.into())
    }
}

/// Re-seals everything to the current custodians and a new project key. `custodian` opens protected data
/// (needed when there is any); the passphrase unlocks the project key, which opens the blobs.
pub fn rotate(
    store: &dyn Store,
    blob_dir: &Path,
    keys: &KeyFiles,
    passphrase: &str,
    custodian: Option<&Identity>,
    recorded_by: &str,
    work_factor: Option<u8>,
) -> Result<RotateReport, RotateError> {
    let snapshot = store.read()?;
    let custodians = custodian_keys(&*snapshot)?;
    if custodians.is_empty() {
        return Err(clew_vault::Error::NoCustodian.into());
    }
    if !keys.has_project_key() {
        return Err(RotateError::Needs("this project has no key pair to rotate yet: clew keys init".into()));
    }
    let old = keys.unlock_project_key(passphrase)?;
    // Every sealed value opened and sealed anew before anything changes: a wrong or missing custodian key
    // stops the rotation here, with nothing touched.
    let values = snapshot.sealed_values()?;
    let attachments = snapshot.all_attachments()?;
    // Opening and sealing takes a while: no snapshot is held open meanwhile.
    drop(snapshot);
    let originals = &values;
    let mut resealed = Vec::with_capacity(values.len());
    if !values.is_empty() {
        let custodian = custodian.ok_or_else(|| {
            RotateError::Needs(
                "re-sealing protected data needs a custodian's key to open it: give --identity KEYFILE".into(),
            )
        })?;
        for (place, sealed) in &values {
            let plaintext = clew_vault::open(custodian, sealed)?;
            resealed.push((*place, clew_vault::seal(&custodians, &plaintext)?));
        }
    }
    let next = keys.begin_rotation(passphrase, work_factor)?;
    let opener = match custodian {
        Some(custodian) => old.and(custodian),
        None => old,
    };
    let blob_recipients: Vec<Recipient> = custodians.iter().cloned().chain(std::iter::once(next.clone())).collect();
    let blobs = BlobStore::new(blob_dir)?;
    let hashes = attachments
        .iter()
        .map(|(source, sha256)| {
            BlobHash::parse(sha256).map_err(|e| clew_store::Error::Corrupt(format!("attachment of {source}: {e}")))
        })
        .collect::<Result<BTreeSet<BlobHash>, _>>()?;
    // Each blob sealed anew beside the old one, its new sealed hash logged (`keys-rotate-begin`) before any
    // blob changes, then put in place: `clew verify` without keys accepts the old or the logged new file
    // while a rotation is unfinished, so a kill at any step leaves no sealed file the log does not know.
    let mut sealed_files = serde_json::Map::new();
    let mut staged = Vec::with_capacity(hashes.len());
    let staging = (|| -> Result<(), RotateError> {
        for sha256 in &hashes {
            let reader = blobs.open(&opener, sha256).map_err(|_| {
                RotateError::Needs(format!(
                    "blob {sha256} opens with neither the project key nor the custodian key given (run `clew verify`)"
                ))
            })?;
            let written = blobs.stage(&blob_recipients, reader)?;
            let opened = written.blob.sha256;
            sealed_files.insert(sha256.to_string(), written.blob.sealed_sha256.as_str().into());
            staged.push(written);
            if opened != *sha256 {
                return Err(RotateError::Needs(format!(
                    "blob {sha256} no longer holds what was attached (it opens to {opened}): run `clew verify`"
                )));
            }
        }
        Ok(())
    })();
    if let Err(error) = staging {
        staged.into_iter().for_each(|s| blobs.discard(s));
        return Err(error);
    }
    if !staged.is_empty() {
        let begin = Batch {
            recorded_by: recorded_by.to_string(),
            recorded_at: now_rfc3339(),
            operation: EventKind::KeysRotateBegin.as_str().into(),
        };
        let logged = (|| -> Result<(), RotateError> {
            let mut tx = store.write(&begin)?;
            let detail = serde_json::json!({ "project_key": next.to_string(), "sealed_sha256": sealed_files });
            record_event(tx.as_mut(), &begin, EventKind::KeysRotateBegin, &detail)?;
            tx.commit()?;
            Ok(())
        })();
        if let Err(error) = logged {
            staged.into_iter().for_each(|s| blobs.discard(s));
            return Err(error);
        }
    }
    for blob in staged {
        blobs.install(blob)?;
    }
    let batch = Batch {
        recorded_by: recorded_by.to_string(),
        recorded_at: now_rfc3339(),
        operation: EventKind::KeysRotate.as_str().into(),
    };
    let mut tx = store.write(&batch)?;
    crate::check_sealed_to(tx.as_ref(), &custodians)?;
    if tx.reads().sealed_values()? != values || tx.reads().all_attachments()? != attachments {
        return Err(clew_store::Error::Conflict(
            "something was sealed or attached while the rotation ran, and it is not re-sealed yet: nothing of the \
             rotation's end was written; run `clew keys rotate` again to finish it"
                .into(),
        )
        .into());
    }
    // Each protected block's sealed bytes, before and after, so that `clew verify` follows them from the
    // hash its import logged (attachments' sealed names are not in the log).
    let mut protected_resealed = serde_json::Map::new();
    for ((place, sealed), (old_place, old)) in resealed.iter().zip(originals) {
        debug_assert_eq!(place, old_place);
        if place.is_protected() {
            protected_resealed.insert(sha256_hex(old), sha256_hex(sealed).into());
        }
        tx.reseal(place, sealed)?;
    }
    let detail = serde_json::json!({
        "custodians": custodians.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "project_key": next.to_string(),
        "sealed_values": resealed.len(),
        "blobs": hashes.len(),
        "sealed_sha256": sealed_files,
        "protected_resealed": protected_resealed,
    });
    record_event(tx.as_mut(), &batch, EventKind::KeysRotate, &detail)?;
    tx.commit()?;
    keys.finish_rotation()?;
    Ok(RotateReport {
        custodians: custodians.len(),
        sealed_values: resealed.len(),
        blobs: hashes.len(),
        project_key: next.to_string(),
    })
}
