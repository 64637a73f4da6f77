//! The project's keys and custodians: every change a custody event, every rule checked inside the write.

use std::path::{Path, PathBuf};

use clew_custody::EventKind;
use clew_store::Custodian;
use clew_vault::signing::KeyFiles;
use clew_vault::{Identity, Recipient};
use zeroize::Zeroizing;

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
            keys.create(passphrase, work_factor)?;
        }
        if !keys.has_project_key() {
            keys.create_project_key(passphrase, work_factor)?;
        }
        let public =
            self.public_keys()?.ok_or_else(|| Error::internal("the project's keys were created but cannot be read"))?;
        // Each key's creation is logged once: also when an earlier run made the key and failed before its event
        // was written (a busy project, a kill), so that a retry completes the log. A project key made by a
        // rotation is logged by its `keys-rotate` event. Checked and appended in one transaction, so that two
        // runs at once log it once.
        let batch = batch(actor, "keys-init");
        let mut tx = self.project.store().write(&batch)?;
        let mut logged = std::collections::HashSet::new();
        tx.reads().for_each_event(&mut |event| {
            let field = match EventKind::parse(&event.kind) {
                Some(EventKind::SigningKeyCreated | EventKind::ProjectKeyCreated) => "public_key",
                Some(EventKind::KeysRotate) => "project_key",
                _ => return Ok(()),
            };
            if let Ok(detail) = serde_json::from_str::<serde_json::Value>(&event.detail)
                && let Some(key) = detail[field].as_str()
            {
                logged.insert(key.to_string());
            }
            Ok(())
        })?;
        let mut wrote = false;
        let keys =
            [(EventKind::SigningKeyCreated, &public.signing_key), (EventKind::ProjectKeyCreated, &public.project_key)];
        for (kind, key) in keys {
            if !logged.contains(key.as_str()) {
                clew_custody::record_event(tx.as_mut(), &batch, kind, &serde_json::json!({"public_key": key}))?;
                wrote = true;
            }
        }
        // Nothing to log: the transaction is dropped (rolled back), leaving no empty batch behind.
        if wrote {
            tx.commit()?;
        }
        Ok(public)
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
        let batch = batch(actor, EventKind::CustodianAdd.as_str());
        let mut tx = self.project.store().write(&batch)?;
        let added = tx.put_custodian(&key.to_string(), label)?;
        let detail = serde_json::json!({"public_key": key.to_string(), "label": label, "added": added});
        clew_custody::record_event(tx.as_mut(), &batch, EventKind::CustodianAdd, &detail)?;
        tx.commit()?;
        Ok(added)
    }

    /// Removes a custodian, with its custody event: nothing new is sealed to it. The store refuses the last one
    /// (a `conflict`), counted inside the transaction; a key that is no custodian is `not_found`.
    pub fn remove_custodian(&self, actor: &Actor, key: &Recipient) -> Result<()> {
        let batch = batch(actor, EventKind::CustodianRemove.as_str());
        let mut tx = self.project.store().write(&batch)?;
        if !tx.remove_custodian(&key.to_string())? {
            return Err(Error::new(crate::Code::NotFound, format!("{key} is not a custodian of this project")));
        }
        let detail = serde_json::json!({"public_key": key.to_string()});
        clew_custody::record_event(tx.as_mut(), &batch, EventKind::CustodianRemove, &detail)?;
        tx.commit()?;
        Ok(())
    }
}

/// A new custodian's key files.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewCustodian {
    /// The public key (`age1...`), to add to projects.
    pub public_key: String,
    /// The secret key's file: it stays with the custodian.
    pub secret_key_file: PathBuf,
    /// The public key's file, beside it (`.pub`).
    pub public_key_file: PathBuf,
}

/// Creates a custodian's key pair: the secret key in `path`, the public key in `path` with `.pub`. Neither file
/// may exist; nothing is written unless both can be.
pub fn new_custodian_files(path: &Path, comment: &str) -> Result<NewCustodian> {
    let public_path = path.with_extension("pub");
    if public_path == path {
        return Err(Error::usage(format!(
            "{}: name the secret key file otherwise (e.g. custodian.key): its public key goes to a .pub file beside \
             it",
            path.display()
        )));
    }
    for existing in [path, &public_path] {
        if std::fs::symlink_metadata(existing).is_ok() {
            return Err(Error::usage(format!("{} exists: a key file is never overwritten", existing.display())));
        }
    }
    let pair = clew_vault::new_custodian(comment);
    let key = pair.key.to_string();
    write_secret_file(path, &pair.identity_file)?;
    if let Err(error) = write_secret_file(&public_path, &format!("{key}\n")) {
        let _ = std::fs::remove_file(path);
        return Err(error);
    }
    Ok(NewCustodian { public_key: key, secret_key_file: path.to_path_buf(), public_key_file: public_path })
}

/// Writes a new private file (0600) that must not exist yet (a key file is never overwritten); a write that
/// fails part way leaves nothing.
pub fn write_secret_file(path: &Path, secret: &str) -> Result<()> {
    use std::io::Write;
    let mut file = clew_files::create_private_new(path)?;
    let written = file.write_all(secret.as_bytes()).and_then(|()| file.sync_all());
    written.map_err(|e| {
        let _ = std::fs::remove_file(path);
        Error::internal(format!("{}: {e}", path.display()))
    })
}

/// Splits the secret key file `keyfile` into `shares` shares, any `threshold` of which rebuild it, written as new
/// private files in `out_dir` (made if missing); their paths.
pub fn split_key(keyfile: &Path, threshold: u8, shares: u8, out_dir: &Path) -> Result<Vec<PathBuf>> {
    let text = Zeroizing::new(clew_files::read_text(keyfile, clew_files::limits::KEY_FILE)?);
    let parts = clew_vault::shares::split(&text, &keyfile.display().to_string(), threshold, shares)?;
    clew_files::create_private_dir(out_dir)?;
    let stem = keyfile.file_stem().map_or("custodian".into(), |s| s.to_string_lossy().to_string());
    let mut written = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let path = out_dir.join(format!("{stem}.share-{}-of-{shares}", index + 1));
        write_secret_file(&path, part)?;
        written.push(path);
    }
    Ok(written)
}

/// A custodian's identity from secret key files (several keys, or enough shares of a split key, rebuilt in
/// memory); `None` when none is given. The files' text is wiped from memory once parsed.
pub fn read_identity(paths: &[PathBuf]) -> Result<Option<Identity>> {
    let mut files = Vec::new();
    for path in paths {
        let text = Zeroizing::new(clew_files::read_text(path, clew_files::limits::KEY_FILE)?);
        files.push((path.display().to_string(), text));
    }
    let shares = files.iter().filter(|(_, text)| clew_vault::shares::is_share(text)).count();
    if shares > 0 {
        if shares < files.len() {
            return Err(Error::usage("give either key files or shares of one key, not both"));
        }
        return Ok(Some(clew_vault::shares::combine(&files)?));
    }
    let mut identity: Option<Identity> = None;
    for (name, text) in &files {
        let next = Identity::parse(text, name)?;
        identity = Some(match identity {
            Some(identity) => identity.and(&next),
            None => next,
        });
    }
    Ok(identity)
}

/// A public key (recipient): `age1...` itself, or a file holding one (the `.pub` file
/// [`new_custodian_files`] writes). A secret key file is refused: it must not travel.
pub fn recipient(text: &str) -> Result<Recipient> {
    let path = Path::new(text);
    if text.starts_with("age1") || !path.is_file() {
        // Not echoed: a secret key pasted by mistake must not be printed back.
        return Ok(text.parse()?);
    }
    let content = Zeroizing::new(clew_files::read_text(path, clew_files::limits::KEY_FILE)?);
    if content.contains("AGE-SECRET-KEY-") {
        return Err(Error::usage(format!(
            "{} holds a secret key: give the public key (the .pub file beside it, or its age1... line); a secret key \
             file stays with its custodian",
            path.display()
        )));
    }
    let key = content
        .lines()
        .map(|line| line.trim().trim_start_matches("# public key:").trim())
        .find(|line| line.starts_with("age1"))
        .ok_or_else(|| Error::usage(format!("{}: no public key (age1...) in it", path.display())))?;
    Ok(key.parse()?)
}

/// A project's signing key as given to check against (`--key`): 64 hex characters in either case, or a file
/// holding them or the PEM `clew keys show --pem` writes. The text is never said back: a secret key pasted
/// there by mistake must not reach a terminal's history or a log.
pub fn signing_key(text: &str) -> Result<String> {
    let hex = clew_vault::signing::public_key_from_hex;
    if let Some(key) = hex(text) {
        return Ok(key);
    }
    let path = Path::new(text);
    if path.is_file() {
        let content = Zeroizing::new(clew_files::read_text(path, clew_files::limits::KEY_FILE)?);
        return hex(&content).or_else(|| clew_vault::signing::public_key_from_pem(&content)).ok_or_else(|| {
            Error::usage(format!(
                "--key {}: expected the project's signing key, as `clew keys show --pem` writes it or as 64 hex \
                 characters",
                path.display()
            ))
        });
    }
    Err(Error::usage(format!(
        "--key expects 64 hex characters (0-9, a-f), the project's signing key as `clew keys show` prints it, or a \
         file holding it (`clew keys show --pem`); this has {} character(s){}",
        text.chars().count(),
        if text.bytes().all(|b| b.is_ascii_hexdigit()) { "" } else { ", not all of them hex digits" }
    )))
}

impl PublicKeys {
    /// The signing key as PEM (SubjectPublicKeyInfo), for tools such as openssl.
    pub fn signing_key_pem(&self) -> Result<String> {
        clew_vault::signing::public_key_pem(&self.signing_key)
            .ok_or_else(|| Error::internal("the signing key's public file is damaged"))
    }
}

impl Service {
    /// The project's public keys, refused (`usage`) before `clew keys init`.
    pub fn required_public_keys(&self, why: &str) -> Result<PublicKeys> {
        self.public_keys()?.ok_or_else(|| Error::usage(why.to_string()))
    }

    /// Rotates the project key: a new one is made (locked with `passphrase`), and every protected value and
    /// sealed file is opened (with `identity`, or the old project key for files) and sealed anew to the
    /// custodians of today and the new key, for `actor`.
    pub fn rotate(
        &self,
        actor: &Actor,
        passphrase: &str,
        identity: Option<&Identity>,
    ) -> Result<clew_custody::rotate::RotateReport> {
        let keys = KeyFiles::of_project(self.dir());
        // The demo's light work factor stays light; a real project gets age's default.
        let work_factor = self.synthetic().then_some(10);
        let blob_dir = self.project.blob_dir();
        Ok(clew_custody::rotate::rotate(
            self.project.store(),
            &blob_dir,
            &keys,
            passphrase,
            identity,
            actor.name(),
            work_factor,
        )?)
    }
}
