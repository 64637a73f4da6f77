//! What comes in: testimonies and FtM entity files (checked, or imported all or nothing), and documents
//! attached to a testimony (sealed).

use std::path::PathBuf;

pub use clew_intake::TESTIMONY_JSON_SCHEMA;
use clew_intake::attach::{AttachOptions, Attached, attach_files};
use clew_intake::ftm::{FtmImportOptions, import_ftm};
pub use clew_intake::import::ImportReport;
use clew_intake::import::{ImportOptions, import_testimonies};
use clew_intake::input::{InputPath, expand};
use clew_model::{Sensitivity, SourceId};
use clew_store::Attachment;
use clew_vault::blobs::{BlobHash, BlobStore};
use clew_vault::signing::KeyFiles;

use crate::analysis::model;
use crate::{Actor, Error, Result, Service};

/// What the files to import are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportFormat {
    /// Testimonies (JSON or YAML, one or many a file).
    Testimony,
    /// FtM entities (JSON lines, a JSON list, or YAML), one source per file.
    Ftm {
        /// Skip (with a warning) entities of schemata and properties clew does not model, instead of failing.
        skip_unknown: bool,
        /// Sensitivity of the statements (those of sensitive properties are always restricted).
        sensitivity: Sensitivity,
        /// The source id to record (one input only); default `ftm:` and the file name.
        source: Option<SourceId>,
    },
}

/// Input files as named: `-` is standard input, a folder stands for the files in it.
#[derive(Debug, Clone)]
pub struct Inputs(Vec<InputPath>);

impl Inputs {
    /// The files named, each checked to exist (a missing one is refused before any project is read).
    pub fn expand(files: &[String]) -> Result<Inputs> {
        Ok(Inputs(expand(files).map_err(|d| Error::invalid(vec![d]))?))
    }
}

/// Checks testimony files without a project: the report lists every problem with its place, and nothing is
/// written.
pub fn validate(inputs: &Inputs, progress: &mut dyn FnMut(u64)) -> Result<ImportReport> {
    let options = ImportOptions { dry_run: true, recorded_by: String::new(), synthetic_only: false };
    Ok(import_testimonies(model()?, None, &inputs.0, &options, progress)?)
}

/// The project's attachments of a testimony, each with the path of its sealed file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AttachmentFile {
    /// The attachment.
    #[serde(flatten)]
    pub attachment: Attachment,
    /// Its sealed file (made from a checked hash only, never from the database's text).
    #[serde(skip)]
    pub sealed_file: PathBuf,
}

impl Service {
    /// Imports files in one transaction for `actor`: all or
    /// nothing. With `dry_run`, everything is checked and counted and nothing written. A demo project takes
    /// synthetic testimonies only, and no FtM file.
    pub fn import(
        &self,
        actor: &Actor,
        inputs: &Inputs,
        format: &ImportFormat,
        dry_run: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportReport> {
        let model = model()?;
        let inputs = &inputs.0;
        let synthetic_only = self.synthetic();
        let store = Some(self.project.store());
        let recorded_by = actor.name().to_string();
        Ok(match format {
            ImportFormat::Testimony => {
                let options = ImportOptions { dry_run, recorded_by, synthetic_only };
                import_testimonies(model, store, inputs, &options, progress)?
            }
            ImportFormat::Ftm { .. } if synthetic_only => {
                return Err(Error::usage(
                    "this is a synthetic demo project: import real data into a project of its own (`clew init`)",
                ));
            }
            ImportFormat::Ftm { skip_unknown, sensitivity, source } => {
                let options = FtmImportOptions {
                    dry_run,
                    recorded_by,
                    skip_unknown: *skip_unknown,
                    sensitivity: *sensitivity,
                    source: source.clone(),
                };
                import_ftm(model, store, inputs, &options, progress)?
            }
        })
    }

    /// Seals files and records them as attachments of `testimony`, in one transaction, for `actor`; with
    /// `strip_metadata`, images lose their metadata first. Refused in a demo project, whose custodian key lies
    /// inside it.
    pub fn attach(
        &self,
        actor: &Actor,
        testimony: &SourceId,
        files: &[PathBuf],
        strip_metadata: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Vec<Attached>> {
        if self.synthetic() {
            return Err(Error::usage(
                "this is a synthetic demo project, whose custodian key is inside it: attach real files in a project \
                 of its own (`clew init`)",
            ));
        }
        self.attach_unchecked(actor, testimony, files, strip_metadata, progress)
    }

    /// [`Service::attach`] without the demo check: the demo attaches its synthetic documents so.
    pub(crate) fn attach_unchecked(
        &self,
        actor: &Actor,
        testimony: &SourceId,
        files: &[PathBuf],
        strip_metadata: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Vec<Attached>> {
        let key_files = KeyFiles::of_project(self.dir());
        let options = AttachOptions { key_files: &key_files, strip_metadata, recorded_by: actor.name() };
        let blob_dir = self.project.blob_dir();
        Ok(attach_files(self.project.store(), &blob_dir, testimony, files, &options, progress)?)
    }

    /// The attachments of `testimony`.
    pub fn attachments(&self, testimony: &SourceId) -> Result<Vec<AttachmentFile>> {
        let attachments = self.project.read()?.attachments(testimony)?;
        let blobs = BlobStore::new(&self.project.blob_dir())?;
        attachments
            .into_iter()
            .map(|attachment| {
                let blob = BlobHash::parse(&attachment.sha256).map_err(|e| {
                    Error::internal(format!(
                        "attachment of {testimony}: {e}: the database was altered (run `clew verify`)"
                    ))
                })?;
                Ok(AttachmentFile { sealed_file: blobs.path(&blob), attachment })
            })
            .collect()
    }

    /// The folder of sealed files.
    pub fn blob_dir(&self) -> PathBuf {
        self.project.blob_dir()
    }
}
