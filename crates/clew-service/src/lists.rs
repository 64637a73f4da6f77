//! Sanctions lists: a list file read and checked (its format given or detected; an OFAC list with its aliases
//! and addresses files), kept in a project, the lists kept, and the newest version of each loaded back for
//! screening.
//!
//! A kept list is stored under its SHA-256 in the project's `lists/` folder (`clew_files::write_atomic`: a
//! temporary file, synced, then renamed), then recorded with its custody event in one transaction. A kill before
//! the commit leaves at most an unrecorded file, which the next import of the same list reuses. A kept file's
//! path is made from a checked `Sha256Hex` only (`clew_custody::verify::list_path`), and it is read back through
//! the check `clew verify` makes (`clew_custody::verify::read_kept_list`): a hash read from the database cannot
//! name a file outside `lists/`, and a file altered since its import is never screened against.

use std::path::Path;

use clew_custody::verify::{list_path, read_kept_list};
use clew_files::Sha256Hex;
use clew_model::Diagnostic;
use clew_screen::lists::{Format, List, LoadError, read_csv, read_ftm, read_ofac_csv, read_un_xml};
use clew_screen::ofac_xml::read_ofac_xml;
use clew_store::{ReadTx, StoredList};
use serde::Serialize;

use crate::{Actor, Code, Error, Result, Service, batch};

/// A list or query file that could not be read, as a diagnostic (file, line, column).
pub(crate) fn diagnostic(error: &LoadError) -> Diagnostic {
    let (file, pos, message) = match error {
        LoadError::Encoding { origin, .. } | LoadError::File { origin, .. } => {
            (origin.clone(), None, error.to_string())
        }
        LoadError::At { origin, line, column, message } => {
            (origin.clone(), Some(clew_model::doc::Pos { line: *line as u32, column: *column as u32 }), message.clone())
        }
    };
    let message = match error {
        LoadError::At { .. } => message,
        _ => message.trim_start_matches(&format!("{file}: ")).to_string(),
    };
    Diagnostic { file: Some(file), pos, path: String::new(), message }
}

/// A list file read and checked: the list, with the file's bytes and its companions' (OFAC's aliases and
/// addresses), as a project keeps them. Made only by reading the list, so that what is kept is what was read.
#[derive(Debug, Clone)]
pub struct ListFile {
    list: List,
    file_name: String,
    bytes: Vec<u8>,
    aliases: Option<Vec<u8>>,
    addresses: Option<Vec<u8>>,
}

impl ListFile {
    /// Reads one list file, its format given or detected. An OFAC legacy CSV file brings its aliases and
    /// addresses files when they lie beside it (`sdn.csv` with `alt.csv` and `add.csv`, `cons_prim.csv` with
    /// `cons_alt.csv` and `cons_add.csv`: `clew_screen::lists::ofac_companion_names`); a project keeps them
    /// together. A list that cannot be read is invalid input, with its place; a format that cannot be told is a
    /// usage error.
    pub fn read(path: &Path, format: Option<Format>) -> Result<ListFile> {
        let bytes = crate::read_data_file(path)?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let beside = |name: String| -> Result<Option<(String, Vec<u8>)>> {
            let path = path.with_file_name(name);
            if path.exists() { Ok(Some((path.display().to_string(), crate::read_data_file(&path)?))) } else { Ok(None) }
        };
        let (alt, add) = match clew_screen::lists::ofac_companion_names(&file_name) {
            Some((alt, add)) => (beside(alt)?, beside(add)?),
            None => (None, None),
        };
        let list = parse_list(path, &bytes, format, borrowed(&alt), borrowed(&add))?;
        // The aliases and addresses files count only for an OFAC list.
        let ofac = list.info.format == Format::OfacCsv.name();
        let aliases = alt.filter(|_| ofac).map(|(_, b)| b);
        let addresses = add.filter(|_| ofac).map(|(_, b)| b);
        Ok(ListFile { list, file_name, bytes, aliases, addresses })
    }

    /// The list.
    pub fn list(&self) -> &List {
        &self.list
    }

    /// The list, for screening.
    pub fn into_list(self) -> List {
        self.list
    }

    /// The file's name (without its folder), as a project records it.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }
}

fn borrowed(file: &Option<(String, Vec<u8>)>) -> Option<(&str, &[u8])> {
    file.as_ref().map(|(origin, bytes)| (origin.as_str(), bytes.as_slice()))
}

/// Reads a list from its bytes (an OFAC legacy CSV file with its aliases and addresses files, when given).
fn parse_list(
    path: &Path,
    bytes: &[u8],
    format: Option<Format>,
    alt: Option<(&str, &[u8])>,
    add: Option<(&str, &[u8])>,
) -> Result<List> {
    let origin = path.display().to_string();
    let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let Some(format) = format.or_else(|| Format::detect(&file_name, bytes)) else {
        return Err(Error::usage(format!(
            "{origin}: cannot tell the list's format; give --format un-xml, ofac-csv, ftm or csv"
        )));
    };
    let result = match format {
        Format::UnXml => read_un_xml(&origin, bytes),
        Format::Ftm => read_ftm(&origin, bytes),
        Format::Csv => read_csv(&origin, bytes),
        Format::OfacCsv => read_ofac_csv((&origin, bytes), alt, add),
        Format::OfacXml => read_ofac_xml(&origin, bytes),
    };
    result.map_err(|e| Error::invalid(vec![diagnostic(&e)]))
}

/// What importing a list did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedList {
    /// The list as recorded.
    pub list: StoredList,
    /// Whether the project had it already (nothing was written).
    pub already_kept: bool,
}

impl Service {
    /// Keeps a list file in the project, with its aliases and addresses files, logged as a custody event; a list
    /// kept already is not written again. The same list with another aliases or addresses file is a `conflict`:
    /// its next version is imported instead, never a half of another.
    pub fn import_list(&self, actor: &Actor, file: &ListFile) -> Result<ImportedList> {
        let list_dir = self.project.list_dir();
        let sha256 = Sha256Hex::of(&file.bytes);
        let aliases_hash = file.aliases.as_deref().map(Sha256Hex::of);
        let addresses_hash = file.addresses.as_deref().map(Sha256Hex::of);
        let recorded = |hash: Option<Sha256Hex>| hash.map(String::from);
        let file_name = file.file_name.as_str();
        // Checked on a snapshot before any file is written, and again inside the transaction (another import may
        // have kept the same list meanwhile).
        let kept = |reads: &dyn ReadTx| -> Result<Option<ImportedList>> {
            let Some(list) = reads.sanctions_lists()?.into_iter().find(|l| l.sha256 == sha256.as_str()) else {
                return Ok(None);
            };
            for (what, kept, given) in [
                ("aliases", &list.companion_sha256, recorded(aliases_hash)),
                ("addresses", &list.addresses_sha256, recorded(addresses_hash)),
            ] {
                if *kept != given {
                    return Err(Error::new(
                        Code::Conflict,
                        format!(
                            "{file_name} is kept already, with {} {what} file; import the list's next version rather than another {what} file",
                            if kept.is_some() { "another" } else { "no" }
                        ),
                    ));
                }
            }
            Ok(Some(ImportedList { list, already_kept: true }))
        };
        if let Some(kept) = kept(&*self.project.read()?)? {
            return Ok(kept);
        }
        let keep = |hash: &Sha256Hex, bytes: &[u8]| {
            clew_files::create_private_dir(&list_dir)
                .and_then(|()| clew_files::write_atomic(&list_path(&list_dir, hash), bytes))
                .map_err(|e| Error::internal(e.to_string()))
        };
        keep(&sha256, &file.bytes)?;
        for (bytes, hash) in [(&file.aliases, aliases_hash), (&file.addresses, addresses_hash)] {
            if let (Some(bytes), Some(hash)) = (bytes, hash) {
                keep(&hash, bytes)?;
            }
        }
        let batch = batch(actor, clew_custody::EventKind::ListImport.as_str());
        let info = &file.list.info;
        let list = StoredList {
            sha256: sha256.to_string(),
            name: info.name.clone(),
            version: info.version.clone(),
            format: info.format.to_string(),
            file_name: file_name.to_string(),
            entities: file.list.entities.len() as u64,
            companion_sha256: recorded(aliases_hash),
            addresses_sha256: recorded(addresses_hash),
            imported_by: batch.recorded_by.clone(),
            imported_at: batch.recorded_at.clone(),
        };
        let mut tx = self.project.store().write(&batch)?;
        if let Some(kept) = kept(tx.reads())? {
            return Ok(kept);
        }
        tx.put_sanctions_list(&list)?;
        let detail = serde_json::json!({
            "list": list.name, "version": list.version, "format": list.format, "sha256": sha256,
            "entities": list.entities, "companion_sha256": aliases_hash, "addresses_sha256": addresses_hash,
        });
        clew_custody::record_event(tx.as_mut(), &batch, clew_custody::EventKind::ListImport, &detail)?;
        tx.commit()?;
        Ok(ImportedList { list, already_kept: false })
    }

    /// The lists kept in the project, every version, in the order they were imported.
    pub fn lists(&self) -> Result<Vec<StoredList>> {
        Ok(self.project.read()?.sanctions_lists()?)
    }

    /// The newest kept version of each list (by name and format: an older one would bring back entries since
    /// delisted), read back and checked against the SHA-256 it was imported with. A file missing or altered is
    /// an internal error naming it.
    pub fn kept_lists(&self) -> Result<Vec<List>> {
        self.read_kept_lists(&newest_kept(self.lists()?))
    }

    /// Reads back these kept lists, each checked against the SHA-256 it was imported with.
    pub(crate) fn read_kept_lists(&self, newest: &[StoredList]) -> Result<Vec<List>> {
        let list_dir = self.project.list_dir();
        let mut lists = Vec::with_capacity(newest.len());
        for kept in newest {
            let files = read_kept_list(&list_dir, kept).map_err(Error::internal)?;
            let format = Format::parse(&kept.format)
                .ok_or_else(|| Error::internal(format!("unknown list format {}", kept.format)))?;
            let alt = files.aliases.as_deref().map(|b| ("aliases", b));
            let add = files.addresses.as_deref().map(|b| ("addresses", b));
            lists.push(parse_list(Path::new(&kept.file_name), &files.list, Some(format), alt, add)?);
        }
        Ok(lists)
    }
}

/// The newest of each list kept (by name and format), in the order imported: what is screened against.
pub(crate) fn newest_kept(kept: Vec<StoredList>) -> Vec<StoredList> {
    let mut newest: Vec<StoredList> = Vec::new();
    for list in kept {
        newest.retain(|n| !(n.name == list.name && n.format == list.format));
        newest.push(list);
    }
    newest
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use crate::tests::project;

    #[test]
    fn a_list_is_kept_once_with_its_event_and_its_newest_version_is_screened() {
        let (dir, service, actor) = project();
        let path = dir.path().join("list.csv");
        std::fs::write(&path, "id,name\nS-1,SYNTHETIC TRADING LLC\n").unwrap();
        let file = ListFile::read(&path, None).unwrap();
        assert_eq!((file.file_name(), file.list().info.format), ("list.csv", "csv"));
        let imported = service.import_list(&actor, &file).unwrap();
        assert!(!imported.already_kept);
        assert_eq!((imported.list.entities, imported.list.imported_by.as_str()), (1, "tester"));
        assert!(service.import_list(&actor, &file).unwrap().already_kept);
        let events = service.project().read().unwrap().events(0, 100).unwrap();
        assert_eq!(events.iter().filter(|e| e.kind == "list-import").count(), 1);

        std::fs::write(&path, "id,name\nS-2,ANOTHER SYNTHETIC LLC\n").unwrap();
        let newer = ListFile::read(&path, None).unwrap();
        service.import_list(&actor, &newer).unwrap();
        assert_eq!(service.lists().unwrap().len(), 2);
        let kept = service.kept_lists().unwrap();
        assert_eq!(kept.len(), 1, "the newest version of the list only");
        assert_eq!(kept[0].entities[0].id, "S-2");

        // A kept file altered behind clew's back is never screened against.
        let stored = list_path(&service.project().list_dir(), &Sha256Hex::of(&newer.bytes));
        std::fs::write(&stored, "id,name\nS-3,SLIPPED IN LLC\n").unwrap();
        let error = service.kept_lists().unwrap_err();
        assert_eq!(error.code(), Code::Internal, "{error}");
        assert!(error.message().ends_with("no longer has the SHA-256 it was imported with: it was altered"), "{error}");
    }

    #[test]
    fn the_same_list_with_another_aliases_file_is_a_conflict() {
        let (dir, service, actor) = project();
        let sdn = dir.path().join("sdn.csv");
        std::fs::write(
            &sdn,
            "99001,\"SYNTHETIC PRIMARY NAME CO.\",-0- ,SYNTHETIC,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
        )
        .unwrap();
        let imported = service.import_list(&actor, &ListFile::read(&sdn, None).unwrap()).unwrap();
        assert_eq!((imported.list.companion_sha256, imported.list.addresses_sha256), (None, None));
        std::fs::write(dir.path().join("alt.csv"), "99001,1,aka,\"SYNTHETIC ALIAS CO.\",-0- \n").unwrap();
        let error = service.import_list(&actor, &ListFile::read(&sdn, None).unwrap()).unwrap_err();
        assert_eq!(error.code(), Code::Conflict);
        assert!(error.message().contains("kept already, with no aliases file"), "{error}");
    }

    #[test]
    fn a_list_that_cannot_be_read_is_refused_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        std::fs::write(&path, "id,alias\nS-1,NO NAME COLUMN\n").unwrap();
        let error = ListFile::read(&path, None).unwrap_err();
        assert_eq!(error.code(), Code::InvalidInput);
        let place = &error.diagnostics()[0];
        assert_eq!(place.file.as_deref(), Some(path.display().to_string().as_str()));
        assert_eq!(place.pos.map(|p| p.line), Some(1), "{place:?}");
        std::fs::write(dir.path().join("list.bin"), [0u8, 1, 2]).unwrap();
        let error = ListFile::read(&dir.path().join("list.bin"), None).unwrap_err();
        assert_eq!(error.code(), Code::Usage);
        assert!(error.message().contains("--format"), "{error}");
    }
}
