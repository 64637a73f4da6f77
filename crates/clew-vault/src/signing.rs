//! The project's own keys, both stored only locked with the passphrase (age, scrypt) in `keys/` and unlocked
//! for the one command that needs them:
//! - the signing key (Ed25519, `signing-key.age`, public key in `signing-key.pub`) signs tree heads. A signed
//!   tree head commits the project to its custody log's history up to that size: send it to a partner or
//!   publish it;
//! - the project key pair (age X25519, `project-key.age`, public key `project-key.pub`): attachments are
//!   sealed to it as well as to the custodians, so the team can package evidence without a custodian, while
//!   protected identity data stays sealed to the custodians alone.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use hex::FromHex;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use std::str::FromStr;

use crate::log::Hash;
use crate::{Error, Identity, Recipient};

/// The format of a signed tree head.
pub const TREE_HEAD_FORMAT: &str = "clew-tree-head-v1";

/// The project's signing key, unlocked. Wiped when dropped.
pub struct ProjectSigningKey(SigningKey);

/// A signed tree head: the custody log's size and head at a time, signed by the project key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTreeHead {
    /// Always [`TREE_HEAD_FORMAT`].
    pub format: String,
    /// Number of events.
    pub tree_size: u64,
    /// Merkle tree head (hex).
    pub tree_head: String,
    /// When it was signed (RFC 3339).
    pub timestamp: String,
    /// The project's public signing key (hex).
    pub public_key: String,
    /// Ed25519 signature over [`SignedTreeHead::message`] (hex).
    pub signature: String,
}

impl SignedTreeHead {
    /// The bytes signed: format, size, head and time, one a line.
    pub fn message(&self) -> Vec<u8> {
        format!("{}\n{}\n{}\n{}\n", self.format, self.tree_size, self.tree_head, self.timestamp).into_bytes()
    }

    /// The tree head as bytes.
    pub fn head(&self) -> Option<Hash> {
        Hash::from_hex(&self.tree_head).ok()
    }

    /// Checks the signature, and that it is by `expected_key` (hex) when given.
    pub fn verify(&self, expected_key: Option<&str>) -> Result<(), Error> {
        let bad = |why: &str| Error::BadSignature(why.to_string());
        if self.format != TREE_HEAD_FORMAT {
            return Err(bad("unknown tree head format"));
        }
        if let Some(expected) = expected_key
            && expected != self.public_key
        {
            return Err(bad("it is signed by another key than this project's"));
        }
        let key = <[u8; 32]>::from_hex(&self.public_key)
            .ok()
            .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok())
            .ok_or_else(|| bad("the public key is malformed"))?;
        let signature = <[u8; 64]>::from_hex(&self.signature)
            .ok()
            .map(|b| Signature::from_bytes(&b))
            .ok_or_else(|| bad("malformed signature"))?;
        key.verify_strict(&self.message(), &signature).map_err(|_| bad("the signature does not match the tree head"))
    }
}

impl ProjectSigningKey {
    /// A new random key.
    pub fn generate() -> ProjectSigningKey {
        let seed = Zeroizing::new(rand::random::<[u8; 32]>());
        ProjectSigningKey(SigningKey::from_bytes(&seed))
    }

    /// The public key (hex).
    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().as_bytes())
    }

    /// Signs a tree head.
    pub fn sign_head(&self, tree_size: u64, head: &Hash, timestamp: &str) -> SignedTreeHead {
        let mut signed = SignedTreeHead {
            format: TREE_HEAD_FORMAT.to_string(),
            tree_size,
            tree_head: hex::encode(head),
            timestamp: timestamp.to_string(),
            public_key: self.public_hex(),
            signature: String::new(),
        };
        signed.signature = hex::encode(self.0.sign(&signed.message()).to_bytes());
        signed
    }
}

/// Where a project keeps its keys: `keys/signing-key.age` and `keys/project-key.age` (locked), and their
/// public halves `keys/signing-key.pub` and `keys/project-key.pub`. During a rotation the new project key
/// is `keys/project-key.next.age` until every sealed blob opens with it.
#[derive(Debug, Clone)]
pub struct KeyFiles {
    dir: PathBuf,
}

impl KeyFiles {
    /// The key folder of a project directory.
    pub fn of_project(project_dir: &Path) -> KeyFiles {
        KeyFiles { dir: project_dir.join("keys") }
    }

    fn locked(&self) -> PathBuf {
        self.dir.join("signing-key.age")
    }

    fn public(&self) -> PathBuf {
        self.dir.join("signing-key.pub")
    }

    fn project_locked(&self) -> PathBuf {
        self.dir.join("project-key.age")
    }

    fn project_public(&self) -> PathBuf {
        self.dir.join("project-key.pub")
    }

    fn next_locked(&self) -> PathBuf {
        self.dir.join("project-key.next.age")
    }

    fn next_public(&self) -> PathBuf {
        self.dir.join("project-key.next.pub")
    }

    /// Whether the project has a signing key.
    pub fn exists(&self) -> bool {
        self.locked().is_file()
    }

    /// Whether the project has its X25519 key pair.
    pub fn has_project_key(&self) -> bool {
        self.project_locked().is_file()
    }

    /// The project's public key (age1...); `None` when it has none yet.
    pub fn project_recipient(&self) -> Result<Option<Recipient>, Error> {
        if !self.has_project_key() {
            return Ok(None);
        }
        read_recipient(&self.project_public()).map(Some)
    }

    /// The keys to seal attachments to: the project key and, while a rotation is unfinished, the next one,
    /// so that whichever survives the rotation opens them.
    pub fn project_recipients(&self) -> Result<Vec<Recipient>, Error> {
        let mut recipients: Vec<Recipient> = self.project_recipient()?.into_iter().collect();
        if self.next_public().is_file() {
            recipients.push(read_recipient(&self.next_public())?);
        }
        Ok(recipients)
    }

    /// Makes the project key pair, locked with the passphrase; refuses to replace one. Returns the public key.
    pub fn create_project_key(&self, passphrase: &str, work_factor: Option<u8>) -> Result<Recipient, Error> {
        if self.has_project_key() {
            return Err(Error::Io(format!(
                "{} exists: this project already has a key pair",
                self.project_locked().display()
            )));
        }
        self.write_project_key(passphrase, work_factor, &self.project_locked(), &self.project_public())
    }

    fn write_project_key(
        &self,
        passphrase: &str,
        work_factor: Option<u8>,
        locked: &Path,
        public: &Path,
    ) -> Result<Recipient, Error> {
        use age::secrecy::ExposeSecret;
        check_passphrase(passphrase)?;
        let identity = age::x25519::Identity::generate();
        let recipient = Recipient(identity.to_public());
        let secret = identity.to_string();
        let sealed = lock(secret.expose_secret().as_bytes(), passphrase, work_factor)?;
        clew_files::create_private_dir(&self.dir).map_err(|e| Error::Io(e.to_string()))?;
        // The project key: its public half first, so a key counts as there only once both are whole. The
        // next key of a rotation: its locked half first, so that a next public key without its locked key
        // can only mean a rotation was finishing (see `complete_finishing`).
        if locked == self.next_locked() {
            write_durably(locked, &sealed)?;
            write_durably(public, format!("{recipient}\n").as_bytes())?;
        } else {
            write_durably(public, format!("{recipient}\n").as_bytes())?;
            write_durably(locked, &sealed)?;
        }
        Ok(recipient)
    }

    /// Unlocks the project key with the passphrase. While a rotation is unfinished, the identity holds the
    /// new key as well, so blobs already sealed to it open too.
    pub fn unlock_project_key(&self, passphrase: &str) -> Result<Identity, Error> {
        // Each locked key must be the secret of one of the public keys present: a rotation interrupted while
        // finishing leaves the new key locked as the project key and its public key still as the next one.
        let mut publics = Vec::new();
        for public in [self.project_public(), self.next_public()] {
            if public.is_file() {
                publics.push(read_recipient(&public)?.to_string());
            }
        }
        let mut keys = Vec::new();
        for (locked, public) in
            [(self.project_locked(), self.project_public()), (self.next_locked(), self.next_public())]
        {
            // A next key whose public half was never written (a rotation killed as it began) sealed nothing.
            if !locked.is_file() || (locked == self.next_locked() && !public.is_file()) {
                continue;
            }
            let secret = unlock_file(&locked, passphrase)?;
            let text = std::str::from_utf8(&secret).map_err(|_| Error::CorruptKey(locked.display().to_string()))?;
            let identity = age::x25519::Identity::from_str(text.trim())
                .map_err(|_| Error::CorruptKey(locked.display().to_string()))?;
            if !publics.contains(&identity.to_public().to_string()) {
                return Err(Error::CorruptKey(format!("{} does not match the public key beside it", locked.display())));
            }
            keys.push(identity);
        }
        if keys.is_empty() {
            return Err(Error::Io(format!(
                "{} is missing: this project has no key pair yet (clew keys init)",
                self.project_locked().display()
            )));
        }
        Ok(Identity(keys))
    }

    /// Begins a rotation of the project key pair: makes the next key (kept beside the current one until
    /// [`KeyFiles::finish_rotation`]) and returns its public key. An unfinished earlier rotation's next key
    /// is reused, so that blobs it already sealed stay readable.
    pub fn begin_rotation(&self, passphrase: &str, work_factor: Option<u8>) -> Result<Recipient, Error> {
        self.complete_finishing()?;
        if self.next_locked().is_file() && !self.next_public().is_file() {
            // Killed as it began: nothing was sealed to this key; start over.
            fs::remove_file(self.next_locked())
                .map_err(|e| Error::Io(format!("{}: {e}", self.next_locked().display())))?;
        }
        if self.next_locked().is_file() {
            // The passphrase must open it: a rotation must not go on with a key nobody can unlock.
            unlock_file(&self.next_locked(), passphrase)?;
            return read_recipient(&self.next_public());
        }
        self.write_project_key(passphrase, work_factor, &self.next_locked(), &self.next_public())
    }

    /// Ends a rotation: the next key becomes the project key, and the old one is gone. Each step is a rename;
    /// a crash between them leaves a state [`KeyFiles::unlock_project_key`] opens and the next rotation
    /// completes.
    pub fn finish_rotation(&self) -> Result<(), Error> {
        clew_files::rename_durably(&self.next_locked(), &self.project_locked())
            .map_err(|e| Error::Io(e.to_string()))?;
        self.complete_finishing()
    }

    /// Completes a finishing step a crash interrupted: the new key is locked in place, its public key still
    /// carries the next key's name.
    fn complete_finishing(&self) -> Result<(), Error> {
        if self.next_public().is_file() && !self.next_locked().is_file() {
            clew_files::rename_durably(&self.next_public(), &self.project_public())
                .map_err(|e| Error::Io(e.to_string()))?;
        }
        Ok(())
    }

    /// Makes and stores a new signing key, locked with the passphrase; refuses to replace one. The scrypt
    /// work factor (log2 of N) defaults to age's, about a second of work; a demo whose passphrase is public
    /// anyway may ask for less.
    pub fn create(&self, passphrase: &str, work_factor: Option<u8>) -> Result<String, Error> {
        if self.exists() {
            return Err(Error::Io(format!(
                "{} exists: this project already has a signing key",
                self.locked().display()
            )));
        }
        check_passphrase(passphrase)?;
        let key = ProjectSigningKey::generate();
        let locked = lock(key.0.as_bytes(), passphrase, work_factor)?;
        clew_files::create_private_dir(&self.dir).map_err(|e| Error::Io(e.to_string()))?;
        let public = key.public_hex();
        // The public key first, the locked key last: a key counts as there only once both are whole on disk.
        write_durably(&self.public(), format!("{public}\n").as_bytes())?;
        write_durably(&self.locked(), &locked)?;
        Ok(public)
    }

    /// The public key (hex).
    pub fn public_hex(&self) -> Result<String, Error> {
        fs::read_to_string(self.public())
            .map(|text| text.trim().to_string())
            .map_err(|e| Error::Io(format!("{}: {e}", self.public().display())))
    }

    /// Unlocks the signing key with the passphrase.
    pub fn unlock(&self, passphrase: &str) -> Result<ProjectSigningKey, Error> {
        let seed = unlock_file(&self.locked(), passphrase)?;
        let corrupt = || Error::CorruptKey(self.locked().display().to_string());
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(seed.as_slice().try_into().map_err(|_| corrupt())?);
        let key = ProjectSigningKey(SigningKey::from_bytes(&seed));
        if key.public_hex() != self.public_hex()? {
            return Err(Error::CorruptKey(format!(
                "{} does not match {}",
                self.locked().display(),
                self.public().display()
            )));
        }
        Ok(key)
    }
}

/// The Ed25519 public key (hex) as an SPKI PEM file, for `openssl pkeyutl -verify`.
pub fn public_key_pem(public_hex: &str) -> Option<String> {
    let der = public_key_der(public_hex)?;
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(der);
    Some(format!("-----BEGIN PUBLIC KEY-----\n{encoded}\n-----END PUBLIC KEY-----\n"))
}

/// The signing key (hex) in a PEM file as `public_key_pem` writes it (`clew keys show --pem`); `None` when the
/// text is not such a file.
pub fn public_key_from_pem(pem: &str) -> Option<String> {
    use base64::Engine;
    let body: String = pem
        .trim()
        .strip_prefix("-----BEGIN PUBLIC KEY-----")?
        .strip_suffix("-----END PUBLIC KEY-----")?
        .split_whitespace()
        .collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body).ok()?;
    let key = der.get(12..).filter(|key| key.len() == 32)?;
    let public_hex = hex::encode(key);
    (public_key_der(&public_hex)? == der).then_some(public_hex)
}

/// A signing key typed as 64 hex digits (either case, spaces around allowed), in the spelling clew writes (lower
/// case); `None` when it is not that.
pub fn public_key_from_hex(text: &str) -> Option<String> {
    <[u8; 32]>::from_hex(text.trim()).ok().map(hex::encode)
}

/// DER of SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 }, BIT STRING key } (RFC 8410).
fn public_key_der(public_hex: &str) -> Option<Vec<u8>> {
    let key = <[u8; 32]>::from_hex(public_hex).ok()?;
    let mut der = vec![0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
    der.extend_from_slice(&key);
    Some(der)
}

/// Reads a public key file (age1...).
fn read_recipient(path: &Path) -> Result<Recipient, Error> {
    let text = fs::read_to_string(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    text.parse().map_err(|_| Error::CorruptKey(path.display().to_string()))
}

/// Refuses a passphrase too short to protect a key (fewer than 8 characters).
pub fn check_passphrase(passphrase: &str) -> Result<(), Error> {
    if passphrase.chars().count() < 8 {
        return Err(Error::WeakPassphrase);
    }
    Ok(())
}

/// Locks a secret with a passphrase (age, scrypt). The work factor (log2 of N) defaults to age's.
fn lock(secret: &[u8], passphrase: &str, work_factor: Option<u8>) -> Result<Vec<u8>, Error> {
    let mut recipient = age::scrypt::Recipient::new(age::secrecy::SecretString::from(passphrase.to_string()));
    if let Some(log_n) = work_factor {
        recipient.set_work_factor(log_n);
    }
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| Error::Seal(e.to_string()))?;
    let mut locked = Vec::new();
    let mut writer = encryptor.wrap_output(&mut locked).map_err(|e| Error::Seal(e.to_string()))?;
    writer.write_all(secret).map_err(|e| Error::Seal(e.to_string()))?;
    writer.finish().map_err(|e| Error::Seal(e.to_string()))?;
    Ok(locked)
}

/// Opens a key file locked with a passphrase.
fn unlock_file(path: &Path, passphrase: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let locked = fs::read(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    let corrupt = || Error::CorruptKey(path.display().to_string());
    let decryptor = age::Decryptor::new(&locked[..]).map_err(|_| corrupt())?;
    if !decryptor.is_scrypt() {
        return Err(corrupt());
    }
    let identity = age::scrypt::Identity::new(age::secrecy::SecretString::from(passphrase.to_string()));
    let mut reader =
        decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|_| Error::WrongPassphrase)?;
    let mut secret = Zeroizing::new(Vec::new());
    reader.read_to_end(&mut secret).map_err(|_| corrupt())?;
    Ok(secret)
}

/// Writes a key file whole or not at all, private (0600).
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    clew_files::write_atomic(path, bytes).map_err(|e| Error::Io(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_pem_gives_back_the_signing_key() {
        let public = ProjectSigningKey::generate().public_hex();
        let pem = public_key_pem(&public).unwrap();
        assert_eq!(public_key_from_pem(&pem).as_deref(), Some(public.as_str()));
        assert_eq!(public_key_from_pem(&pem.replace("\n", "\r\n")).as_deref(), Some(public.as_str()));
        assert_eq!(public_key_from_pem("not a pem"), None);
        // Another algorithm's key of the same length is not taken for an Ed25519 key.
        let x25519 = pem.replace("MCowBQYDK2Vw", "MCowBQYDK2Vu");
        assert_eq!(public_key_from_pem(&x25519), None);
        assert_eq!(public_key_from_hex(&format!(" {}\n", public.to_uppercase())).as_deref(), Some(public.as_str()));
        assert_eq!(public_key_from_hex(&public[1..]), None);
        assert_eq!(public_key_from_hex(&format!("{}g", &public[1..])), None);
    }

    #[test]
    fn keys_lock_unlock_and_sign() {
        let dir = tempfile::tempdir().unwrap();
        let files = KeyFiles::of_project(dir.path());
        assert!(matches!(files.create("short", None), Err(Error::WeakPassphrase)));
        let public = files.create("correct horse battery", Some(12)).unwrap();
        assert!(files.create("correct horse battery", Some(12)).is_err(), "a key is never replaced");
        assert!(matches!(files.unlock("wrong passphrase!"), Err(Error::WrongPassphrase)));
        let key = files.unlock("correct horse battery").unwrap();
        assert_eq!(key.public_hex(), public);

        let head = crate::log::root(&[crate::log::leaf_hash(b"event")]);
        let signed = key.sign_head(1, &head, "2026-01-01T00:00:00Z");
        signed.verify(Some(&public)).unwrap();
        assert_eq!(signed.head(), Some(head));
        let mut forged = signed.clone();
        forged.tree_size = 2;
        assert!(forged.verify(Some(&public)).is_err());
        let other = ProjectSigningKey::generate().sign_head(1, &head, "2026-01-01T00:00:00Z");
        other.verify(None).unwrap();
        assert!(other.verify(Some(&public)).unwrap_err().to_string().contains("another key"));

        fs::write(dir.path().join("keys/signing-key.age"), b"not an age file").unwrap();
        assert!(matches!(files.unlock("correct horse battery"), Err(Error::CorruptKey(_))));
    }

    /// Every state a crash can leave a rotation in opens, and the next rotation completes it.
    #[test]
    fn a_rotation_interrupted_at_any_step_keeps_the_keys_usable() {
        let dir = tempfile::tempdir().unwrap();
        let files = KeyFiles::of_project(dir.path());
        let pass = "correct horse battery";
        let old = files.create_project_key(pass, Some(10)).unwrap();
        let sealed_old = crate::seal(std::slice::from_ref(&old), b"old").unwrap();
        // Begun: both keys open, attachments are sealed to both.
        let next = files.begin_rotation(pass, Some(10)).unwrap();
        assert_eq!(files.begin_rotation(pass, Some(10)).unwrap().to_string(), next.to_string(), "reused");
        assert_eq!(files.project_recipients().unwrap().len(), 2);
        let sealed_new = crate::seal(std::slice::from_ref(&next), b"new").unwrap();
        let both = files.unlock_project_key(pass).unwrap();
        assert!(crate::open(&both, &sealed_old).is_ok() && crate::open(&both, &sealed_new).is_ok());
        // Killed as a rotation began, its next key locked but not yet published: ignored, then replaced.
        let files2 = KeyFiles::of_project(&dir.path().join("other"));
        files2.create_project_key(pass, Some(10)).unwrap();
        files2.begin_rotation(pass, Some(10)).unwrap();
        fs::remove_file(dir.path().join("other/keys/project-key.next.pub")).unwrap();
        assert_eq!(files2.unlock_project_key(pass).unwrap().recipients().len(), 1);
        assert_eq!(files2.project_recipients().unwrap().len(), 1);
        files2.begin_rotation(pass, Some(10)).unwrap();
        assert_eq!(files2.unlock_project_key(pass).unwrap().recipients().len(), 2);
        // Killed between the two renames of finishing: the new key is in place under the old name.
        fs::rename(dir.path().join("keys/project-key.next.age"), dir.path().join("keys/project-key.age")).unwrap();
        let identity = files.unlock_project_key(pass).unwrap();
        assert!(crate::open(&identity, &sealed_new).is_ok());
        assert!(files.project_recipients().unwrap().iter().any(|r| r.to_string() == next.to_string()));
        // The next rotation completes the interrupted one, then begins anew.
        let third = files.begin_rotation(pass, Some(10)).unwrap();
        assert_eq!(files.project_recipient().unwrap().unwrap().to_string(), next.to_string());
        files.finish_rotation().unwrap();
        assert_eq!(files.project_recipient().unwrap().unwrap().to_string(), third.to_string());
        assert_eq!(files.project_recipients().unwrap().len(), 1);
        assert!(crate::open(&files.unlock_project_key(pass).unwrap(), &sealed_new).is_err(), "the old key is gone");
        assert!(matches!(files.unlock_project_key("wrong passphrase"), Err(Error::WrongPassphrase)));
        // A locked key that belongs to no public key beside it is refused.
        fs::write(dir.path().join("keys/project-key.pub"), format!("{old}\n")).unwrap();
        assert!(matches!(files.unlock_project_key(pass), Err(Error::CorruptKey(_))));
    }
}
