//! Content-addressed, sealed blobs: an attachment (audio, video, scan, PDF) is stored as
//! `blobs/<sha256 of the plaintext>.age`, sealed to the custodians as it streams through, so memory stays
//! constant for multi-gigabyte files. The SHA-256 of the plaintext is the evidentiary hash a court or partner
//! recomputes; the file opens with the standard `age` tool.

use std::fs;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::{Error, Recipient};

/// Bytes read at a time while sealing.
const CHUNK: usize = 256 * 1024;

/// A stored blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRef {
    /// SHA-256 of the plaintext, hex.
    pub sha256: String,
    /// Plaintext size in bytes.
    pub size: u64,
    /// Whether the same content was already stored (the blob was sealed anew all the same).
    pub existed: bool,
    /// SHA-256 of the sealed file as written (hex): what `clew verify` checks without any key.
    pub sealed_sha256: String,
}

/// A blob sealed into a temporary file of the blob folder, not yet under its name ([`BlobStore::stage`]).
#[derive(Debug)]
pub struct Staged {
    /// What it holds (its `existed` is false: nothing is known of the folder yet).
    pub blob: BlobRef,
    temporary: PathBuf,
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

impl BlobStore {
    /// The blob folder at `dir` (created when missing).
    pub fn new(dir: &Path) -> Result<BlobStore, Error> {
        clew_files::create_private_dir(dir).map_err(|e| Error::Io(e.to_string()))?;
        Ok(BlobStore { dir: dir.to_path_buf() })
    }

    /// Where the blob of a hash lives.
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.age"))
    }

    /// Seals what `input` yields to the custodians into the store. The blob appears under its name only when
    /// complete and on disk (temporary file, fsync, rename, fsync of the folder): a crash leaves no partial blob.
    /// A blob already under its name is sealed anew (it could be damaged or planted).
    pub fn put(&self, custodians: &[Recipient], input: impl Read) -> Result<BlobRef, Error> {
        self.put_unless_intact(custodians, input, &|_: &str| None)
    }

    /// As [`BlobStore::put`], but a blob already under its name whose sealed file still has the hash
    /// `logged_seal(plaintext sha256)` gives (the one logged when it was sealed) is kept as it is, and what was
    /// just sealed is thrown away. So attaching the same file again changes nothing on disk, and a failure or
    /// kill before the caller's commit leaves no sealed file that differs from the log.
    pub fn put_unless_intact(
        &self,
        custodians: &[Recipient],
        input: impl Read,
        logged_seal: &dyn Fn(&str) -> Option<String>,
    ) -> Result<BlobRef, Error> {
        let staged = self.stage(custodians, input)?;
        let existed = self.path(&staged.blob.sha256).exists();
        if existed && let Some(logged) = logged_seal(&staged.blob.sha256) {
            match self.sealed_sha256(&staged.blob.sha256) {
                Ok(Some(now)) if now == logged => {
                    let _ = fs::remove_file(&staged.temporary);
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
        let temporary = self.dir.join(format!(".incoming-{}-{}", std::process::id(), unique()));
        let result = (|| {
            let file = clew_files::create_private_new(&temporary).map_err(|e| Error::Io(e.to_string()))?;
            let hashing = Hashing { inner: file, hasher: Sha256::new() };
            let mut writer = encryptor
                .wrap_output(BufWriter::with_capacity(CHUNK, hashing))
                .map_err(|e| Error::Seal(e.to_string()))?;
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
                writer.write_all(&buffer[..read]).map_err(io(&temporary))?;
                size += read as u64;
            }
            let file = writer.finish().map_err(io(&temporary))?;
            let hashing = file.into_inner().map_err(|e| Error::Io(format!("{}: {e}", temporary.display())))?;
            hashing.inner.sync_all().map_err(io(&temporary))?;
            Ok((hex(&hasher.finalize()), size, hex(&hashing.hasher.finalize())))
        })();
        match result {
            Ok((sha256, size, sealed_sha256)) => {
                Ok(Staged { blob: BlobRef { sha256, size, existed: false, sealed_sha256 }, temporary })
            }
            Err(error) => {
                let _ = fs::remove_file(&temporary);
                Err(error)
            }
        }
    }

    /// Puts a staged blob under its name (rename, fsync of the folder), replacing what was there.
    pub fn install(&self, staged: Staged) -> Result<(), Error> {
        let target = self.path(&staged.blob.sha256);
        if let Err(error) = fs::rename(&staged.temporary, &target) {
            let _ = fs::remove_file(&staged.temporary);
            return Err(io(&target)(error));
        }
        fs::File::open(&self.dir).and_then(|dir| dir.sync_all()).map_err(io(&self.dir))
    }

    /// Throws a staged blob away.
    pub fn discard(&self, staged: Staged) {
        let _ = fs::remove_file(&staged.temporary);
    }
}

impl BlobStore {
    /// Opens a blob with an identity (a custodian's, or the project key), streaming its plaintext.
    pub fn open(&self, identity: &crate::Identity, sha256: &str) -> Result<impl Read + use<>, Error> {
        let path = self.path(sha256);
        let file = fs::File::open(&path).map_err(io(&path))?;
        let decryptor = age::Decryptor::new(std::io::BufReader::new(file)).map_err(|_| Error::CannotOpen)?;
        let identities = identity.0.iter().map(|i| i as &dyn age::Identity);
        decryptor.decrypt(identities).map_err(|_| Error::CannotOpen)
    }

    /// SHA-256 of a blob's sealed file as it is now (hex), read streaming; `None` when it is missing. No key is
    /// needed: compared with the hash recorded when it was sealed, it tells an altered file from an intact one.
    pub fn sealed_sha256(&self, sha256: &str) -> Result<Option<String>, Error> {
        let path = self.path(sha256);
        let mut file = match fs::File::open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(io(&path)(error)),
        };
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher).map_err(io(&path))?;
        Ok(Some(hex(&hasher.finalize())))
    }

    /// Opens a blob, streaming, and tells whether its plaintext still has the SHA-256 it is named by.
    /// `Ok(false)` for a blob that is missing, damaged, altered or not sealed to the identity.
    pub fn check(&self, identity: &crate::Identity, sha256: &str) -> Result<bool, Error> {
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
        Ok(hex(&hasher.finalize()) == sha256)
    }
}

fn unique() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

/// Bytes from hex (either case); `None` unless it is whole pairs of hex digits.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
        assert_eq!(first.sha256, hex(&Sha256::digest(&content)));
        assert_eq!((first.size, first.existed), (content.len() as u64, false));
        let sealed = fs::read(store.path(&first.sha256)).unwrap();
        assert!(!sealed.windows(20).any(|w| w == b"SYNTHETIC-ATTACHMENT"));
        let identity = Identity::parse(&custodian.identity_file, "key").unwrap();
        assert_eq!(open(&identity, &sealed).unwrap().as_slice(), &content[..]);
        assert_eq!(first.sealed_sha256, hex(&Sha256::digest(&sealed)), "the sealed hash is the file's");
        let again = store.put(std::slice::from_ref(&custodian.key), &content[..]).unwrap();
        assert!(again.existed);
        assert_ne!(again.sealed_sha256, first.sealed_sha256, "sealed anew: another file");
        let logged = again.sealed_sha256.clone();
        let kept =
            store.put_unless_intact(std::slice::from_ref(&custodian.key), &content[..], &|_| Some(logged.clone()));
        assert_eq!(kept.unwrap().sealed_sha256, again.sealed_sha256, "intact as logged: kept, nothing written");
        let replaced = store
            .put_unless_intact(std::slice::from_ref(&custodian.key), &content[..], &|_| Some("0".repeat(64)))
            .unwrap();
        assert_ne!(replaced.sealed_sha256, again.sealed_sha256, "not as logged: sealed anew");
        assert_eq!(store.sealed_sha256(&first.sha256).unwrap(), Some(replaced.sealed_sha256.clone()));
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
}
