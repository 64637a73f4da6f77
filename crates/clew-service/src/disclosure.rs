//! What leaves the project, for an audience: evidence packages (signed, logged, from one snapshot of a project
//! that verifies; verified anywhere, without the project) and the FtM export (logged before anything leaves).

use std::path::Path;

use clew_disclosure::package::{ExportOptions, ExportReport, PackageReport};
use clew_model::Sensitivity;
use clew_vault::signing::KeyFiles;
use clew_vault::{Identity, Recipient};

use crate::analysis::model;
use crate::{Actor, Error, Result, Service};

pub use clew_disclosure::package::{Audience, Subject};

/// What a package is asked to hold and who may open it.
#[derive(Debug)]
pub struct PackageRequest<'a> {
    /// A testimony or an entity.
    pub subject: Subject,
    /// Who it is for: what their consent and sensitivity allow goes in.
    pub audience: Audience,
    /// Seal the whole package to these keys; none: a plain tar file.
    pub seal_to: Vec<Recipient>,
    /// A custodian's identity to open attachments with; without one, the project key does (when the project
    /// has one), else attachments are left out.
    pub custodian: Option<&'a Identity>,
}

impl Service {
    /// Writes the graph as FtM entities for `audience` to `writer`, leaving out statements above
    /// `max_sensitivity` and sources whose consent does not cover the audience; logged (for `actor`, saying
    /// where it goes: `to`) before anything is written, like every sensitive read, and read from one snapshot.
    pub fn export_ftm(
        &self,
        actor: &Actor,
        audience: Audience,
        max_sensitivity: Sensitivity,
        to: &str,
        writer: &mut dyn std::io::Write,
    ) -> Result<clew_disclosure::ftm::ExportReport> {
        let detail = serde_json::json!({
            "format": "ftm",
            "audience": audience,
            "max_sensitivity": max_sensitivity.as_str(),
            "to": to,
        });
        self.log_event(actor, clew_custody::EventKind::Export, &detail)?;
        let store = self.project.read()?;
        Ok(clew_disclosure::ftm::export_ftm(model()?, &*store, max_sensitivity, audience, writer)?)
    }

    /// Whether the project can sign a package (it has a signing key): to check before asking for a passphrase.
    pub fn can_package(&self) -> Result<()> {
        if KeyFiles::of_project(self.dir()).exists() {
            return Ok(());
        }
        Err(Error::usage(
            "a package carries a signed tree head, and this project has no signing key yet: clew keys init",
        ))
    }

    /// Writes the package to `path` for `actor`, signed with the project's key (unlocked with `passphrase`).
    pub fn export_package(
        &self,
        actor: &Actor,
        request: PackageRequest<'_>,
        passphrase: &str,
        path: &Path,
    ) -> Result<ExportReport> {
        self.can_package()?;
        let keys = KeyFiles::of_project(self.dir());
        let signing_key = keys.unlock(passphrase)?;
        let project_identity = if request.custodian.is_none() && keys.has_project_key() {
            Some(keys.unlock_project_key(passphrase)?)
        } else {
            None
        };
        let options = ExportOptions {
            subject: request.subject,
            audience: request.audience,
            recorded_by: actor.name().to_string(),
            signing_key: &signing_key,
            identity: request.custodian.or(project_identity.as_ref()),
            seal_to: request.seal_to,
        };
        let (blob_dir, list_dir) = (self.project.blob_dir(), self.project.list_dir());
        Ok(clew_disclosure::package::export_package(self.project.store(), &blob_dir, &list_dir, &options, path)?)
    }
}

/// Verifies a package file, offline: its files against SHA256SUMS, the custody events' inclusion proofs and
/// the signed tree head, against `expected_key` when given; `identity` opens a sealed package.
pub fn verify_package(path: &Path, identity: Option<&Identity>, expected_key: Option<&str>) -> Result<PackageReport> {
    Ok(clew_disclosure::package::verify_package(path, identity, expected_key)?)
}
