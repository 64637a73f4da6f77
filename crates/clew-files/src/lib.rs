//! `clew-files`: files as clew reads and writes them. Reading takes regular files only (a FIFO, device or
//! socket given as input would block or never end) up to a stated size, checked on the open file. Writing makes
//! what a project holds private (files 0600, folders 0700, whatever the umask) and whole or not at all
//! (a temporary file, synced, renamed over the target, the folder synced): [`write_atomic`] and [`AtomicFile`]
//! are the one way clew does that. [`Sha256Hex`] is the one spelling of the names of content-addressed files.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

mod sha256;

pub use sha256::{NotSha256Hex, Sha256Hex};

/// Mode of every file clew writes into a project or hands to a person (keys, packages, outputs).
pub const PRIVATE_FILE_MODE: u32 = 0o600;
/// Mode of every folder clew makes in a project.
pub const PRIVATE_DIR_MODE: u32 = 0o700;

/// Size limits of the files clew reads, by what they are. Each is far above any real file of its kind.
pub mod limits {
    /// A key file: an age identity, a locked project key, a key share (a few hundred bytes each).
    pub const KEY_FILE: u64 = 64 * 1024;
    /// A configuration, linkage config or trained model (TOML), a rate table, a tree head or proof (JSON).
    pub const SMALL_TEXT: u64 = 16 * 1024 * 1024;
    /// A data file: testimonies, FtM data, sanctions lists, records to link, capture tables, query lists.
    pub const DATA_FILE: u64 = 256 * 1024 * 1024;
}

/// Why a file could not be read or written. Messages name the file and never quote its contents.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Not a regular file (a folder, FIFO, device or socket).
    #[error("{}: not a regular file (it is {kind}); clew reads regular files only", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// Larger than the limit for its kind.
    #[error("{}: the file is {} bytes; clew reads at most {limit} bytes here", path.display(), size)]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size (or the bytes read before stopping).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Not UTF-8 text.
    #[error("{}: not UTF-8 text (first bad byte at offset {offset})", path.display())]
    NotUtf8 {
        /// The path.
        path: PathBuf,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The operating system refused.
    #[error("{}: {message}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The system's message.
        message: String,
        /// What kind of failure: a path that is wrong (not found, not allowed, taken) is the caller's to fix;
        /// a full disk or a failing device is not.
        kind: std::io::ErrorKind,
    },
}

impl FileError {
    /// Whether the path given is at fault (missing, not allowed, already there, of the wrong kind or too
    /// large) rather than the system (a full disk, a failing device, a bug).
    pub fn is_the_paths(&self) -> bool {
        use std::io::ErrorKind as K;
        match self {
            FileError::Io { kind, .. } => matches!(
                kind,
                K::NotFound
                    | K::PermissionDenied
                    | K::AlreadyExists
                    | K::NotADirectory
                    | K::IsADirectory
                    | K::InvalidInput
                    | K::InvalidFilename
                    | K::ReadOnlyFilesystem
            ),
            _ => true,
        }
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> FileError + '_ {
    move |error| FileError::Io { path: path.to_path_buf(), message: error.to_string(), kind: error.kind() }
}

fn kind_of(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "not a file"
    }
}

/// Opens a regular file for reading, refusing anything else without blocking (a FIFO is opened non-blocking,
/// then refused; the check is made on the open file, so the path cannot be swapped in between).
pub fn open_regular(path: &Path) -> Result<File, FileError> {
    let file = OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path).map_err(io(path))?;
    let metadata = file.metadata().map_err(io(path))?;
    if !metadata.file_type().is_file() {
        return Err(FileError::NotRegular { path: path.to_path_buf(), kind: kind_of(metadata.file_type()) });
    }
    Ok(file)
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let file = open_regular(path)?;
    let size = file.metadata().map_err(io(path))?.len();
    if size > limit {
        return Err(FileError::TooLarge { path: path.to_path_buf(), size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may grow while it is read: never read past the limit.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io(path))?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { path: path.to_path_buf(), size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// Reads a whole regular file of at most `limit` bytes as UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> Result<String, FileError> {
    String::from_utf8(read(path, limit)?)
        .map_err(|e| FileError::NotUtf8 { path: path.to_path_buf(), offset: e.utf8_error().valid_up_to() })
}

/// Creates a folder and its missing parents, each new one private (0700 whatever the umask), and makes the
/// folder itself private even when it existed (its parents, when they existed, are left as they are).
pub fn create_private_dir(path: &Path) -> Result<(), FileError> {
    std::fs::DirBuilder::new().recursive(true).mode(PRIVATE_DIR_MODE).create(path).map_err(io(path))?;
    // The umask can only take bits away; the mode asked for has none to give back, but a folder made by
    // `recursive` before us may be wider: the leaf at least is made private.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(PRIVATE_DIR_MODE)).map_err(io(path))
}

/// Creates a new private file (0600), refusing to replace one that exists (or a link).
pub fn create_private_new(path: &Path) -> Result<File, FileError> {
    OpenOptions::new().write(true).create_new(true).mode(PRIVATE_FILE_MODE).open(path).map_err(io(path))
}

/// Opens a file to write from its start, creating it or emptying it, and makes it private (0600) whether it
/// was new or not: for outputs that are streamed rather than written whole.
pub fn create_private(path: &Path) -> Result<File, FileError> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(PRIVATE_FILE_MODE)
        .open(path)
        .map_err(io(path))?;
    // The mode given applies to a new file only; an existing one keeps its own until told.
    file.set_permissions(std::fs::Permissions::from_mode(PRIVATE_FILE_MODE)).map_err(io(path))?;
    Ok(file)
}

/// Writes a file whole or not at all, private (0600): a temporary file beside it, synced, renamed over it, the
/// folder synced. A kill at any point leaves the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes).map_err(io(&file.temporary))?;
    file.commit()
}

/// A file written whole or not at all, for outputs that are streamed: written to a private (0600) temporary
/// file beside `path` under a name no one can guess, then [`commit`](AtomicFile::commit) syncs it, renames it
/// over `path` and syncs the folder. Dropped uncommitted (an error on the way), the temporary file is removed
/// and `path` is untouched; a kill leaves the old file or the new one, never a part.
///
/// A content-addressed file, named by what it holds, is started with [`create_in`](AtomicFile::create_in) and
/// named when committed ([`commit_as`](AtomicFile::commit_as)); one put in place later, with others, is synced
/// and closed first ([`finish`](AtomicFile::finish)): a key rotation logs every blob sealed anew before it puts
/// any in place.
#[derive(Debug)]
pub struct AtomicFile {
    path: Option<PathBuf>,
    dir: PathBuf,
    temporary: PathBuf,
    file: Option<File>,
}

/// The name an [`AtomicFile::create_in`] file's temporary is made from.
const UNNAMED: &str = "incoming";

impl AtomicFile {
    /// Starts writing `path`.
    pub fn create(path: &Path) -> Result<AtomicFile, FileError> {
        let dir = folder_of(path);
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        remove_abandoned(&dir, &name);
        AtomicFile::start(Some(path.to_path_buf()), dir, &name)
    }

    /// Starts writing a file of the folder `dir` whose name is known only once it is written: commit it with
    /// [`AtomicFile::commit_as`]. Unlike [`AtomicFile::create`] it does not look for the temporary files of
    /// killed writes (a content-addressed folder holds many files, and a key rotation writes one per blob):
    /// [`remove_abandoned_in`] does, once per operation.
    pub fn create_in(dir: &Path) -> Result<AtomicFile, FileError> {
        AtomicFile::start(None, dir.to_path_buf(), UNNAMED)
    }

    fn start(path: Option<PathBuf>, dir: PathBuf, name: &str) -> Result<AtomicFile, FileError> {
        // A name no one can guess or have planted (create_new refuses what exists, links included): a planted
        // file or link under a predictable name would keep its own mode, or lead the write elsewhere.
        let mut attempt = 0u32;
        loop {
            let nanos =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
            let temporary = dir.join(format!(".{name}.{}.{nanos}.{attempt}.partial", std::process::id()));
            match create_private_new(&temporary) {
                Ok(file) => return Ok(AtomicFile { path, dir, temporary, file: Some(file) }),
                Err(_) if attempt < 16 && temporary.symlink_metadata().is_ok() => attempt += 1,
                Err(error) => return Err(error),
            }
        }
    }

    /// Where the file will be once committed (`None` until [`AtomicFile::commit_as`] names it).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Syncs what was written and closes it, leaving it apart until it is committed (or dropped): for files
    /// put in place later, so that many can wait without holding a file open each.
    pub fn finish(&mut self) -> Result<(), FileError> {
        if let Some(file) = self.file.take() {
            file.sync_all().map_err(io(&self.temporary))?;
        }
        Ok(())
    }

    /// Syncs what was written, puts it in place and syncs the folder.
    pub fn commit(mut self) -> Result<(), FileError> {
        let Some(path) = self.path.take() else {
            return Err(FileError::Io {
                path: self.temporary.clone(),
                message: "the file has no name yet: commit it with commit_as".into(),
                kind: std::io::ErrorKind::Other,
            });
        };
        self.commit_as(&path)
    }

    /// Syncs what was written and puts it in place as `path`, a file of the folder it was written in; syncs
    /// the folder.
    pub fn commit_as(mut self, path: &Path) -> Result<(), FileError> {
        if folder_of(path) != self.dir {
            return Err(FileError::Io {
                path: path.to_path_buf(),
                message: format!("not in {}, the folder it was written in", self.dir.display()),
                kind: std::io::ErrorKind::Other,
            });
        }
        self.finish()?;
        rename_durably(&self.temporary, path)
    }
}

/// Writes a new folder `out` holding `files` (name, bytes), whole or not at all: they are written into a private
/// folder beside it, synced, and renamed to `out` when all are there. `out` must not exist, or be an empty
/// folder (which is replaced). The folders of earlier writes of `out` whose process was killed are removed.
pub fn write_folder_atomic(out: &Path, files: &[(String, Vec<u8>)]) -> Result<(), FileError> {
    let dir = folder_of(out);
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    // Each file a plain name in the folder: never a path leading out of it.
    for (file, _) in files {
        let plain = Path::new(file).components().count() == 1
            && matches!(Path::new(file).components().next(), Some(std::path::Component::Normal(_)));
        if !plain {
            return Err(FileError::Io {
                path: out.join(file),
                message: "not a plain file name".into(),
                kind: std::io::ErrorKind::InvalidInput,
            });
        }
    }
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    remove_abandoned(&dir, &name);
    // A new folder no one can have planted (not recursive: an existing folder, or a link to one, is refused),
    // under a name no one can guess.
    let mut attempt = 0u32;
    let partial = loop {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let partial = dir.join(format!(".{name}.{}.{nanos}{attempt}.partial", std::process::id()));
        match std::fs::DirBuilder::new().mode(PRIVATE_DIR_MODE).create(&partial) {
            Ok(()) => break partial,
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 16 => attempt += 1,
            Err(error) => return Err(io(&partial)(error)),
        }
    };
    let written = (|| {
        for (file, bytes) in files {
            let path = partial.join(file);
            let mut handle = create_private_new(&path)?;
            handle.write_all(bytes).and_then(|()| handle.sync_all()).map_err(io(&path))?;
        }
        sync_dir(&partial)?;
        // A folder renamed over an empty folder replaces it (and over one that is not empty, fails).
        rename_durably(&partial, out)
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    written
}

/// Moves a whole file (or folder) over `to` by renaming it, then syncs the folders involved, so that the move
/// survives a crash: a kill leaves the old file or the new one.
pub fn rename_durably(from: &Path, to: &Path) -> Result<(), FileError> {
    std::fs::rename(from, to).map_err(io(to))?;
    let (from_dir, to_dir) = (folder_of(from), folder_of(to));
    if from_dir != to_dir {
        sync_dir(&from_dir)?;
    }
    sync_dir(&to_dir)
}

/// The folder a path names a file of (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn sync_dir(dir: &Path) -> Result<(), FileError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// Removes the temporary files [`AtomicFile::create_in`] wrote into `dir` whose process is gone (killed before it
/// could clean up); those of running processes stay.
pub fn remove_abandoned_in(dir: &Path) {
    remove_abandoned(dir, UNNAMED);
}

/// Removes the temporary files of earlier writes of `name` in `dir` whose process is gone (killed before it
/// could clean up): an unsealed package's would hold decrypted material. Those of running processes stay.
fn remove_abandoned(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".partial")) else { continue };
        // What follows the name is numbers alone: `PID.NANOS.ATTEMPT` for a file (`AtomicFile`), `PID.NANOSATTEMPT`
        // for a folder (`write_folder_atomic`); a folder `.a.5.PID.NANOS.partial` is `a.5`'s, not `a`'s.
        let parts: Vec<&str> = rest.split('.').collect();
        if !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            continue;
        }
        let Ok(pid) = parts[0].parse::<u32>() else { continue };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if parts.len() != if is_dir { 2 } else { 3 } {
            continue;
        }
        if abandoned(pid, &entry) {
            match entry.file_type() {
                Ok(t) if t.is_file() => drop(std::fs::remove_file(entry.path())),
                Ok(t) if t.is_dir() => drop(std::fs::remove_dir_all(entry.path())),
                _ => {}
            }
        }
    }
}

/// Whether `entry`, left by process `pid`, was abandoned: its process is gone (killed before it could clean up).
/// A process is taken for gone only when /proc says so; where there is no /proc (or another PID namespace shares
/// the folder), an entry touched in the last ten minutes, or the last day without /proc, is kept.
pub fn abandoned(pid: u32, entry: &std::fs::DirEntry) -> bool {
    let age = entry.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
    let proc_known = Path::new("/proc/self").exists();
    let recent = age.is_none_or(|age| age < std::time::Duration::from_secs(if proc_known { 600 } else { 86_400 }));
    let alive = pid == std::process::id() || (proc_known && Path::new(&format!("/proc/{pid}")).exists()) || recent;
    !alive
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(file) => file.write(bytes),
            None => Err(std::io::Error::other("the file is closed (finished or committed)")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Committed, the temporary file is gone (renamed); otherwise it is removed with what it holds.
        drop(self.file.take());
        if self.temporary.symlink_metadata().is_ok() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// Permission bits wider than private: `Some(mode)` for a file readable or writable by group or others, or a
/// folder they can enter.
pub fn wider_than_private(path: &Path) -> Result<Option<u32>, FileError> {
    let metadata = std::fs::symlink_metadata(path).map_err(io(path))?;
    let mode = metadata.permissions().mode() & 0o777;
    Ok((mode & 0o077 != 0).then_some(mode))
}

/// Every file and folder in `dir` (itself included, links not followed) whose permissions are wider than
/// private, with its mode: what `clew verify` warns of.
pub fn wider_than_private_below(dir: &Path) -> Result<Vec<(PathBuf, u32)>, FileError> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let metadata = std::fs::symlink_metadata(&path).map_err(io(&path))?;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 && !metadata.file_type().is_symlink() {
            found.push((path.clone(), mode));
        }
        if metadata.is_dir() {
            for entry in std::fs::read_dir(&path).map_err(io(&path))? {
                pending.push(entry.map_err(io(&path))?.path());
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_folder_is_written_whole_under_its_name_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dossier");
        let files = vec![("a.html".to_string(), b"<p>".to_vec()), ("b.json".to_string(), b"{}".to_vec())];
        write_folder_atomic(&out, &files).unwrap();
        assert_eq!(std::fs::read(out.join("b.json")).unwrap(), b"{}");
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        // Over a folder that holds something: refused, and nothing is left beside it.
        assert!(write_folder_atomic(&out, &files).is_err());
        // An empty folder is replaced.
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        write_folder_atomic(&empty, &files).unwrap();
        assert!(empty.join("a.html").exists());
        // A name that leads out of the folder is refused before anything is made.
        let escape = vec![("../escaped".to_string(), b"x".to_vec())];
        assert!(write_folder_atomic(&dir.path().join("other"), &escape).is_err());
        assert!(!dir.path().join("escaped").exists() && !dir.path().join("other").exists());
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".partial"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        // The remains of a killed write (an old folder of a process that is gone) are removed by the next write of
        // that name, and only of that name: `.a.5.PID.N.partial` is `a.5`'s.
        let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400 * 2);
        let gone = u32::MAX - 1;
        let mine = dir.path().join(format!(".a.{gone}.1.partial"));
        let theirs = dir.path().join(format!(".a.5.{gone}.1.partial"));
        for remains in [&mine, &theirs] {
            std::fs::create_dir(remains).unwrap();
            std::fs::File::open(remains).unwrap().set_modified(day_ago).unwrap();
        }
        write_folder_atomic(&dir.path().join("a"), &files).unwrap();
        assert!(!mine.exists() && theirs.exists());
    }

    #[test]
    fn a_fifo_is_refused_at_once_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let error = read(&fifo, 10).unwrap_err().to_string();
        assert!(
            error.ends_with("pipe.yaml: not a regular file (it is a FIFO); clew reads regular files only"),
            "{error}"
        );
        let error = read(dir.path(), 10).unwrap_err().to_string();
        assert!(error.contains("it is a folder"), "{error}");
        let error = read(Path::new("/dev/zero"), limits::KEY_FILE).unwrap_err().to_string();
        assert_eq!(error, "/dev/zero: not a regular file (it is a device); clew reads regular files only");
    }

    #[test]
    fn a_file_over_its_limit_is_refused_and_its_contents_never_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.txt");
        std::fs::write(&path, "AGE-SECRET-KEY-1SECRET").unwrap();
        let error = read(&path, 5).unwrap_err().to_string();
        assert!(error.ends_with("key.txt: the file is 22 bytes; clew reads at most 5 bytes here"), "{error}");
        assert!(!error.contains("SECRET"));
        assert_eq!(read_text(&path, 22).unwrap(), "AGE-SECRET-KEY-1SECRET");
        std::fs::write(&path, b"ab\xffcd").unwrap();
        assert!(read_text(&path, 22).unwrap_err().to_string().ends_with("not UTF-8 text (first bad byte at offset 2)"));
    }

    #[test]
    fn a_streamed_file_not_committed_leaves_the_old_one_and_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"half of the new").unwrap();
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "the temporary file is gone");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let fresh = dir.path().join("fresh.json");
        drop(AtomicFile::create(&fresh).unwrap());
        assert!(!fresh.exists(), "nothing is made unless committed");
        // A write killed half way (its process gone) leaves a temporary file that the next write removes; that
        // of a running process stays.
        let dead = dir.path().join(".out.json.999999999.1.0.partial");
        let running = dir.path().join(format!(".out.json.{}.1.0.partial", std::process::id()));
        let other = dir.path().join(".out.json.1.1.0.partial");
        for file in [&dead, &running, &other] {
            std::fs::write(file, "decrypted").unwrap();
            // Written an hour ago: a file touched in the last ten minutes stays whoever wrote it.
            let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
            std::fs::File::options().write(true).open(file).unwrap().set_modified(hour_ago).unwrap();
        }
        let fresh_dead = dir.path().join(".out.json.999999998.1.0.partial");
        std::fs::write(&fresh_dead, "being written elsewhere?").unwrap();
        AtomicFile::create(&path).unwrap().commit().unwrap();
        assert!(!dead.exists(), "the abandoned one is removed");
        assert!(fresh_dead.exists(), "a file touched in the last ten minutes stays");
        assert!(other.exists(), "process 1 is running: its file stays");
        assert!(running.exists(), "this process's own stays");
    }

    #[test]
    fn a_file_named_once_written_waits_apart_and_is_put_only_in_its_own_folder() {
        let dir = tempfile::tempdir().unwrap();
        let count = || std::fs::read_dir(dir.path()).unwrap().count();
        let dead = dir.path().join(".incoming.999999999.1.0.partial");
        std::fs::write(&dead, "sealed half").unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options().write(true).open(&dead).unwrap().set_modified(hour_ago).unwrap();
        let mut file = AtomicFile::create_in(dir.path()).unwrap();
        assert!(dead.exists(), "a content-addressed folder is not searched at every file");
        remove_abandoned_in(dir.path());
        assert!(!dead.exists(), "an abandoned temporary file of a dead process is removed");
        assert_eq!(file.path(), None);
        file.write_all(b"content").unwrap();
        file.finish().unwrap();
        assert!(file.write_all(b"more").is_err(), "finished: closed, synced, waiting");
        assert_eq!(count(), 1, "the temporary file only");
        let other = tempfile::tempdir().unwrap();
        let error = file.commit_as(&other.path().join("named")).unwrap_err().to_string();
        assert!(error.contains("not in") && error.contains("the folder it was written in"), "{error}");
        assert_eq!((count(), std::fs::read_dir(other.path()).unwrap().count()), (0, 0), "nothing anywhere");
        let error = AtomicFile::create_in(dir.path()).unwrap().commit().unwrap_err().to_string();
        assert!(error.ends_with("the file has no name yet: commit it with commit_as"), "{error}");
        assert_eq!(count(), 0);
        let mut file = AtomicFile::create_in(dir.path()).unwrap();
        file.write_all(b"content").unwrap();
        file.commit_as(&dir.path().join("named")).unwrap();
        assert_eq!(std::fs::read(dir.path().join("named")).unwrap(), b"content");
        assert_eq!(wider_than_private(&dir.path().join("named")).unwrap(), None);
        assert_eq!(count(), 1);
        rename_durably(&dir.path().join("named"), &dir.path().join("renamed")).unwrap();
        assert_eq!(std::fs::read(dir.path().join("renamed")).unwrap(), b"content");
        let error = rename_durably(&dir.path().join("named"), &dir.path().join("again")).unwrap_err().to_string();
        assert!(error.contains("again: "), "the error names the target: {error}");
    }

    #[test]
    fn what_is_written_is_private_whatever_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a/b");
        create_private_dir(&folder).unwrap();
        assert_eq!(std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777, 0o700);
        let file = folder.join("out.json");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(wider_than_private(&file).unwrap(), Some(0o644));
        write_atomic(&file, b"new").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        assert_eq!(wider_than_private(&file).unwrap(), None);
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1, "no temporary file is left");
        assert!(wider_than_private_below(dir.path().join("a").as_path()).unwrap().is_empty());
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(wider_than_private_below(&folder).unwrap(), vec![(file.clone(), 0o640)]);
        create_private_new(&folder.join("new")).unwrap();
        assert!(create_private_new(&folder.join("new")).is_err(), "never replaces a file");
        assert_eq!(wider_than_private(&folder.join("new")).unwrap(), None);
    }
}
