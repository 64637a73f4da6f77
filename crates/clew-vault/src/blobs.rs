//! Content-addressed, sealed blobs: an attachment (audio, video, scan, PDF) is stored as
//! `blobs/<sha256 of the plaintext>.age`, sealed to the custodians as it streams through, so memory stays
//! constant for multi-gigabyte files. The SHA-256 of the plaintext is the evidentiary hash a court or partner
//! recomputes; the file opens with the standard `age` tool.

use std::fmt;
use std::fs;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use clew_files::{AtomicFile, NotSha256Hex, Sha256Hex};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Error, Recipient};

/// Bytes read at a time while sealing.
const CHUNK: usize = 256 * 1024;

/// The SHA-256 of an attachment's plaintext: its evidentiary hash, and the only name a [`BlobStore`] takes
/// (`blobs/<hash>.age`). Made by hashing, or by parsing exactly 64 lower-case hex digits (upper case is
/// refused, see [`Sha256Hex`]), so that no text, wherever it comes from, names a path outside the blob folder.
/// A type of its own, not a bare [`Sha256Hex`], so that the other hash of a blob (its sealed file's) or a
/// list's cannot be passed where an attachment is named. Serialized as its 64 digits, as it always was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BlobHash(Sha256Hex);

impl BlobHash {
    /// The hash of a plaintext held whole.
    pub fn of(plaintext: &[u8]) -> BlobHash {
        BlobHash(Sha256Hex::of(plaintext))
    }

    /// Checks that `text` is 64 lower-case hex digits.
    pub fn parse(text: &str) -> Result<BlobHash, NotSha256Hex> {
        Sha256Hex::parse(text).map(BlobHash)
    }

    /// The 64 digits.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for BlobHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for BlobHash {
    type Err = NotSha256Hex;
    fn from_str(text: &str) -> Result<Self, NotSha256Hex> {
        BlobHash::parse(text)
    }
}

impl TryFrom<&str> for BlobHash {
    type Error = NotSha256Hex;
    fn try_from(text: &str) -> Result<Self, NotSha256Hex> {
        BlobHash::parse(text)
    }
}

/// A stored blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRef {
    /// SHA-256 of the plaintext.
    pub sha256: BlobHash,
    /// Plaintext size in bytes.
    pub size: u64,
    /// Whether the same content was already stored (the blob was sealed anew all the same).
    pub existed: bool,
    /// SHA-256 of the sealed file as written: what `clew verify` checks without any key.
    pub sealed_sha256: Sha256Hex,
}

/// A blob sealed into a temporary file of the blob folder, not yet under its name ([`BlobStore::stage`]).
/// Dropped, it is thrown away.
#[derive(Debug)]
pub struct Staged {
    /// What it holds (its `existed` is false: nothing is known of the folder yet).
    pub blob: BlobRef,
    file: AtomicFile,
}

/// A writer that hashes what passes through it: the sealed file's SHA-256, computed as it is written.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The blob folder of a project.
#[derive(Debug, Clone)]
pub struct BlobStore {
    dir: PathBuf,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |error| Error::Io(format!("{}: {error}", path.display()))
}

fn files(error: clew_files::FileError) -> Error {
    Error::Io(error.to_string())
}

impl BlobStore {
    /// The blob folder at `dir` (created when missing; the temporary files of sealings killed half way, which
    /// hold ciphertext only, are removed).
    pub fn new(dir: &Path) -> Result<BlobStore, Error> {
        clew_files::create_private_dir(dir).map_err(files)?;
        clew_files::remove_abandoned_in(dir);
        Ok(BlobStore { dir: dir.to_path_buf() })
    }

    /// Where the blob of a hash lives: always a file of the blob folder.
    pub fn path(&self, sha256: &BlobHash) -> PathBuf {
        self.dir.join(format!("{sha256}.age"))
    }

    /// Seals what `input` yields to the custodians into the store. The blob appears under its name only when
    /// complete and on disk (temporary file, fsync, rename, fsync of the folder): a crash leaves no partial blob.
    /// A blob already under its name is sealed anew (it could be damaged or planted).
    pub fn put(&self, custodians: &[Recipient], input: impl Read) -> Result<BlobRef, Error> {
        self.put_unless_intact(custodians, input, &|_: &BlobHash| None)
    }

    /// As [`BlobStore::put`], but a blob already under its name whose sealed file still has the hash
    /// `logged_seal(plaintext sha256)` gives (the one logged when it was sealed) is kept as it is, and what was
    /// just sealed is thrown away. So attaching the same file again changes nothing on disk, and a failure or
    /// kill before the caller's commit leaves no sealed file that differs from the log.
    pub fn put_unless_intact(
        &self,
        custodians: &[Recipient],
        input: impl Read,
        logged_seal: &dyn Fn(&BlobHash) -> Option<String>,
    ) -> Result<BlobRef, Error> {
        let staged = self.stage(custodians, input)?;
        let existed = self.path(&staged.blob.sha256).exists();
        if existed && let Some(logged) = logged_seal(&staged.blob.sha256) {
            match self.sealed_sha256(&staged.blob.sha256) {
                Ok(Some(now)) if now.as_str() == logged => {
                    return Ok(BlobRef { existed, sealed_sha256: now, ..staged.blob });
                }
                Ok(_) | Err(_) => {}
            }
        }
        // A file already under this name that is not the one logged is replaced, not trusted: it could be
        // damaged or planted, and the blob just written is complete and on disk.
        let blob = BlobRef { existed, ..staged.blob.clone() };
        self.install(staged)?;
        Ok(blob)
    }

    /// Seals what `input` yields into a temporary file of the blob folder, complete and on disk, without
    /// putting it under its name: a key rotation logs every new sealed hash before any blob changes.
    pub fn stage(&self, custodians: &[Recipient], mut input: impl Read) -> Result<Staged, Error> {
        let encryptor = crate::encryptor(custodians)?;
        // Dropped on any error below, the temporary file goes with it.
        let file = AtomicFile::create_in(&self.dir).map_err(files)?;
        let hashing = Hashing { inner: file, hasher: Sha256::new() };
        let mut writer =
            encryptor.wrap_output(BufWriter::with_capacity(CHUNK, hashing)).map_err(|e| Error::Seal(e.to_string()))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buffer = vec![0u8; CHUNK];
        loop {
            let read = match input.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(Error::Io(format!("reading the attachment: {error}"))),
            };
            hasher.update(&buffer[..read]);
            writer.write_all(&buffer[..read]).map_err(io(&self.dir))?;
            size += read as u64;
        }
        let hashing = writer.finish().map_err(io(&self.dir))?;
        let mut hashing = hashing.into_inner().map_err(|e| io(&self.dir)(e.into_error()))?;
        hashing.inner.finish().map_err(files)?;
        let blob = BlobRef {
            sha256: BlobHash(Sha256Hex::from_digest(hasher.finalize().into())),
            size,
            existed: false,
            sealed_sha256: Sha256Hex::from_digest(hashing.hasher.finalize().into()),
        };
        Ok(Staged { blob, file: hashing.inner })
    }

    /// Puts a staged blob under its name (rename, fsync of the folder), replacing what was there.
    pub fn install(&self, staged: Staged) -> Result<(), Error> {
        staged.file.commit_as(&self.path(&staged.blob.sha256)).map_err(files)
    }

    /// Throws a staged blob away.
    pub fn discard(&self, staged: Staged) {
        drop(staged);
    }
}

impl BlobStore {
    /// Opens a blob with an identity (a custodian's, or the project key), streaming its plaintext.
    pub fn open(&self, identity: &crate::Identity, sha256: &BlobHash) -> Result<impl Read + use<>, Error> {
        let path = self.path(sha256);
        let file = fs::File::open(&path).map_err(io(&path))?;
        let decryptor = age::Decryptor::new(std::io::BufReader::new(file)).map_err(|_| Error::CannotOpen)?;
        let identities = identity.0.iter().map(|i| i as &dyn age::Identity);
        decryptor.decrypt(identities).map_err(|_| Error::CannotOpen)
    }

    /// SHA-256 of a blob's sealed file as it is now, read streaming; `None` when it is missing. No key is
    /// needed: compared with the hash recorded when it was sealed, it tells an altered file from an intact one.
    pub fn sealed_sha256(&self, sha256: &BlobHash) -> Result<Option<Sha256Hex>, Error> {
        let path = self.path(sha256);
        let mut file = match fs::File::open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(io(&path)(error)),
        };
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher).map_err(io(&path))?;
        Ok(Some(Sha256Hex::from_digest(hasher.finalize().into())))
    }

    /// Opens a blob, streaming, and tells whether its plaintext still has the SHA-256 it is named by.
    /// `Ok(false)` for a blob that is missing, damaged, altered or not sealed to the identity.
    pub fn check(&self, identity: &crate::Identity, sha256: &BlobHash) -> Result<bool, Error> {
        let Ok(mut reader) = self.open(identity, sha256) else { return Ok(false) };
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; CHUNK];
        loop {
            match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => hasher.update(&buffer[..read]),
                Err(_) => return Ok(false),
            }
        }
        Ok(Sha256Hex::from_digest(hasher.finalize().into()) == sha256.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Identity, new_custodian, open};

    #[test]
    fn blobs_are_sealed_content_addressed_and_deduplicated() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path()).unwrap();
        let custodian = new_custodian("test");
        let content = b"SYNTHETIC-ATTACHMENT ".repeat(50_000);
        let first = store.put(std::slice::from_ref(&custodian.key), &content[..]).unwrap();
        assert_eq!(first.sha256.as_str(), hex::encode(Sha256::digest(&content)));
        assert_eq!((first.size, first.existed), (content.len() as u64, false));
        let sealed = fs::read(store.path(&first.sha256)).unwrap();
        assert!(!sealed.windows(20).any(|w| w == b"SYNTHETIC-ATTACHMENT"));
        let identity = Identity::parse(&custodian.identity_file, "key").unwrap();
        assert_eq!(open(&identity, &sealed).unwrap().as_slice(), &content[..]);
        assert_eq!(first.sealed_sha256, Sha256Hex::of(&sealed), "the sealed hash is the file's");
        let again = store.put(std::slice::from_ref(&custodian.key), &content[..]).unwrap();
        assert!(again.existed);
        assert_ne!(again.sealed_sha256, first.sealed_sha256, "sealed anew: another file");
        let logged = again.sealed_sha256.to_string();
        let kept =
            store.put_unless_intact(std::slice::from_ref(&custodian.key), &content[..], &|_| Some(logged.clone()));
        assert_eq!(kept.unwrap().sealed_sha256, again.sealed_sha256, "intact as logged: kept, nothing written");
        let replaced = store
            .put_unless_intact(std::slice::from_ref(&custodian.key), &content[..], &|_| Some("0".repeat(64)))
            .unwrap();
        assert_ne!(replaced.sealed_sha256, again.sealed_sha256, "not as logged: sealed anew");
        assert_eq!(store.sealed_sha256(&first.sha256).unwrap(), Some(replaced.sealed_sha256));
        assert!(store.check(&identity, &first.sha256).unwrap());
        let mut altered = fs::read(store.path(&first.sha256)).unwrap();
        let middle = altered.len() / 2;
        altered[middle] ^= 1;
        fs::write(store.path(&first.sha256), altered).unwrap();
        assert!(!store.check(&identity, &first.sha256).unwrap());
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind: {names:?}");
    }

    #[test]
    fn a_failing_read_leaves_nothing() {
        struct Failing(u32);
        impl Read for Failing {
            fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
                self.0 += 1;
                if self.0 > 3 {
                    return Err(std::io::Error::other("disk gone"));
                }
                buffer[..10].fill(b'x');
                Ok(10)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path()).unwrap();
        let custodian = new_custodian("test");
        let error = store.put(std::slice::from_ref(&custodian.key), Failing(0)).unwrap_err();
        assert!(error.to_string().contains("disk gone"), "{error}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_blob_hash_is_64_lower_case_hex_digits_and_names_a_file_of_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(&dir.path().join("blobs")).unwrap();
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        for refused in [
            "../x".to_string(),
            "/etc/passwd".to_string(),
            format!("../{}", &empty[3..]),
            empty[..63].to_string(),
            format!("{empty}0"),
            empty.to_uppercase(),
            format!("{}g", &empty[..63]),
            String::new(),
        ] {
            let error = refused.parse::<BlobHash>().unwrap_err().to_string();
            assert!(error.contains("is not a SHA-256 as clew writes it"), "{refused:?}: {error}");
            assert!(BlobHash::try_from(refused.as_str()).is_err());
            assert!(serde_json::from_value::<BlobHash>(refused.clone().into()).is_err(), "{refused:?}");
        }
        let hash: BlobHash = empty.parse().unwrap();
        assert_eq!(hash, BlobHash::of(b""));
        assert_eq!((hash.as_str(), hash.to_string()), (empty, empty.to_string()));
        assert_eq!(serde_json::to_value(hash).unwrap(), serde_json::Value::from(empty), "serialized as it always was");
        let path = store.path(&hash);
        assert_eq!(path.parent(), Some(dir.path().join("blobs").as_path()));
        assert_eq!(path.file_name().unwrap().to_str(), Some(format!("{empty}.age").as_str()));
    }

    #[test]
    fn a_staged_blob_is_on_disk_apart_until_installed_and_leaves_nothing_when_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path()).unwrap();
        let custodian = new_custodian("test");
        let staged = store.stage(std::slice::from_ref(&custodian.key), &b"first"[..]).unwrap();
        assert!(!store.path(&staged.blob.sha256).exists(), "not under its name before it is installed");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "one temporary file, closed");
        store.discard(staged);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let staged = store.stage(std::slice::from_ref(&custodian.key), &b"second"[..]).unwrap();
        let blob = staged.blob.clone();
        store.install(staged).unwrap();
        assert_eq!(store.sealed_sha256(&blob.sha256).unwrap(), Some(blob.sealed_sha256));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
