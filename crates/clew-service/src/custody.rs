//! Checking the project, and the reads of protected data that the custody log records.

use std::path::PathBuf;

pub use clew_custody::verify::{Anchor, VerifyReport, VerifyStep};
use clew_model::SourceId;
use clew_vault::Identity;
use zeroize::Zeroizing;

use crate::{Actor, Code, Error, Result, Service};

/// What `verify` found, and what is open to others on this machine.
#[derive(Debug)]
pub struct Verified {
    /// The report: every problem in words (empty when all checks out).
    pub report: VerifyReport,
    /// Files and folders of the project readable or writable by others, with their modes: not tampering, but a
    /// risk (others on the machine could read the witnesses' words or the keys).
    pub open_to_others: Vec<(PathBuf, u32)>,
    /// Why the permissions could not all be read, if they could not.
    pub permissions_unread: Option<String>,
}

impl Service {
    /// Recomputes the custody log, every statement, segment and consent record and every attachment (opened and
    /// hashed with `identity`), from one snapshot, and checks the log still extends `anchor`.
    pub fn verify(&self, identity: Option<&Identity>, anchor: Option<Anchor>) -> Result<Verified> {
        self.verify_reporting(identity, anchor, &mut |_| {})
    }

    /// [`Service::verify`], telling `progress` how far it has come (the server's verification job).
    pub fn verify_reporting(
        &self,
        identity: Option<&Identity>,
        anchor: Option<Anchor>,
        progress: &mut dyn FnMut(VerifyStep),
    ) -> Result<Verified> {
        let report = clew_custody::verify::verify_reporting(
            &*self.project.read()?,
            &self.project.blob_dir(),
            &self.project.list_dir(),
            identity,
            anchor,
            progress,
        )?;
        let (open_to_others, permissions_unread) = match clew_files::wider_than_private_below(self.dir()) {
            Ok(open) => (open, None),
            Err(error) => (Vec::new(), Some(error.to_string())),
        };
        Ok(Verified { report, open_to_others, permissions_unread })
    }

    /// A testimony's protected block, opened with a custodian's `identity`. The read is a custody event (who,
    /// when, which testimony), written before the bytes are handed over; the bytes are wiped from memory when
    /// the caller drops them.
    pub fn read_protected(
        &self,
        actor: &Actor,
        testimony: &SourceId,
        identity: &Identity,
    ) -> Result<Zeroizing<Vec<u8>>> {
        let Some(sealed) = self.project.read()?.protected(testimony)? else {
            return Err(Error::new(
                Code::NotFound,
                format!("testimony `{testimony}` has no protected data in this project"),
            ));
        };
        let plaintext = clew_vault::open(identity, &sealed)?;
        self.log_event(
            actor,
            clew_custody::EventKind::ProtectedRead,
            &serde_json::json!({"testimony": testimony.as_str()}),
        )?;
        Ok(plaintext)
    }
}
