//! The project's keys and custodians: every change a custody event, every rule checked inside the write.

use clew_store::Custodian;
use clew_vault::Recipient;
use clew_vault::signing::KeyFiles;

use crate::{Actor, Error, Result, Service, batch};

/// The project's public keys, as `clew init` and `clew keys init` report them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicKeys {
    /// The signing key (Ed25519, hex): partners check tree heads and packages against it.
    pub signing_key: String,
    /// The project key (age X25519, `age1...`): attachments are sealed to it.
    pub project_key: String,
}

impl Service {
    /// Creates whichever of the project's keys (the signing key, the X25519 key pair) it lacks, locked with
    /// `passphrase` (`work_factor`: scrypt's log2 N, age's default when `None`), each logged as a custody event.
    pub fn create_keys(&self, actor: &Actor, passphrase: &str, work_factor: Option<u8>) -> Result<PublicKeys> {
        let keys = KeyFiles::of_project(self.dir());
        if !keys.exists() {
            let public = keys.create(passphrase, work_factor)?;
            self.log_event(actor, "signing-key-created", &serde_json::json!({"public_key": public}))?;
        }
        if !keys.has_project_key() {
            let public = keys.create_project_key(passphrase, work_factor)?;
            self.log_event(actor, "project-key-created", &serde_json::json!({"public_key": public.to_string()}))?;
        }
        self.public_keys()?.ok_or_else(|| Error::internal("the project's keys were created but cannot be read"))
    }

    /// The project's public keys; `None` before `clew keys init`.
    pub fn public_keys(&self) -> Result<Option<PublicKeys>> {
        let keys = KeyFiles::of_project(self.dir());
        if !keys.exists() {
            return Ok(None);
        }
        let project_key = keys.project_recipient()?.map(|r| r.to_string()).unwrap_or_default();
        Ok(Some(PublicKeys { signing_key: keys.public_hex()?, project_key }))
    }

    /// The project's custodians.
    pub fn custodians(&self) -> Result<Vec<Custodian>> {
        Ok(self.project.read()?.custodians()?)
    }

    /// Adds a custodian, with its custody event, in one transaction; `false` when it was one already.
    pub fn add_custodian(&self, actor: &Actor, key: &Recipient, label: &str) -> Result<bool> {
        let batch = batch(actor, "custodian-add");
        let mut tx = self.project.store().write(&batch)?;
        let added = tx.put_custodian(&key.to_string(), label)?;
        let detail = serde_json::json!({"public_key": key.to_string(), "label": label, "added": added});
        clew_intake::import::record_event(tx.as_mut(), &batch, "custodian-add", &detail)?;
        tx.commit()?;
        Ok(added)
    }

    /// Removes a custodian, with its custody event: nothing new is sealed to it. The store refuses the last one
    /// (a `conflict`), counted inside the transaction; a key that is no custodian is `not_found`.
    pub fn remove_custodian(&self, actor: &Actor, key: &Recipient) -> Result<()> {
        let batch = batch(actor, "custodian-remove");
        let mut tx = self.project.store().write(&batch)?;
        if !tx.remove_custodian(&key.to_string())? {
            return Err(Error::new(crate::Code::NotFound, format!("{key} is not a custodian of this project")));
        }
        let detail = serde_json::json!({"public_key": key.to_string()});
        clew_intake::import::record_event(tx.as_mut(), &batch, "custodian-remove", &detail)?;
        tx.commit()?;
        Ok(())
    }
}
