//! clew's one application layer. The `clew` program (and the coming server) parse requests and render results;
//! what clew *does* is here: each operation over a project ([`Service`]), for someone ([`Actor`]), failing with
//! one [`Error`] whose [`Code`] is stable (docs/errors.md).
//!
//! Every operation clew offers is here: creating a project and the demo, keys and custodians, custody events,
//! verification, protected reads, tree heads and proofs, intake and attachments, entity reads, packages and the
//! FtM export, assessments, ledgers, aggregates, the revenue and population estimates, lists and screening,
//! record linkage, search of the project's names, and the yente-compatible match of queries against the kept
//! lists. Each result made from synthetic data says so.

pub mod accounts;
pub mod analysis;
pub mod brief;
pub mod browse;
mod cache;
mod custody;
pub mod demo;
mod derived;
pub mod disclosure;
pub mod dossier;
pub mod entities;
pub mod error;
pub mod estimate;
pub mod intake;
pub mod keys;
pub mod linkage;
mod lists;
pub mod log;
pub mod matching;
pub mod places;
mod revenue;
pub mod safe_line;
mod screening;
pub mod search;

use std::path::{Path, PathBuf};

use clew_store::Project;

pub use analysis::Analysed;
pub use clew_custody::now_rfc3339;
pub use custody::{Verified, VerifyReport, VerifyStep};
pub use entities::EntityView;
pub use error::{Code, Error, Reason};
pub use keys::PublicKeys;
pub use lists::{ImportedList, ListFile};
pub use log::TreeHead;
pub use revenue::{LedgerInputs, PROJECT_RATES_FILE, RateTable, RatesInForce};
pub use screening::{
    QueryFile, QueryResult, ScreenOptions, ScreeningRecordReport, ScreeningReport, explain_candidate, explain_name,
    screen_queries,
};

/// Result with the service's error.
pub type Result<T> = std::result::Result<T, Error>;

/// Who acts: recorded with every write and custody event. Given by the caller (the CLI's `--user`, `$CLEW_USER`
/// or `$USER`; the server's signed-in account), never read from the environment here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    name: String,
}

/// The longest actor name taken: a name or a pseudonym, not a text.
pub const MAX_ACTOR_CHARS: usize = 200;

impl Actor {
    /// An actor by name: not empty, at most [`MAX_ACTOR_CHARS`] characters, no control characters (it is written
    /// into the custody log and printed).
    pub fn new(name: &str) -> Result<Actor> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::usage("who acts must be named (a user name or pseudonym)"));
        }
        if name.chars().count() > MAX_ACTOR_CHARS || name.chars().any(char::is_control) {
            return Err(Error::usage(format!(
                "a user name is at most {MAX_ACTOR_CHARS} characters without control characters"
            )));
        }
        Ok(Actor { name: name.to_string() })
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Text as it may reach a terminal: control characters (escape sequences that could erase or recolour what an
/// analyst reads, carriage returns that overwrite a line) and the bidirectional overrides that reorder it are
/// shown as `\uXXXX` escapes. Line breaks and tabs stay. Every line clew prints goes through it, since names
/// and narratives come from strangers' files. The escapes are JSON's own and every such character is in the
/// Basic Multilingual Plane, so JSON output stays valid and decodes to the same text (serde_json writes the
/// C0 controls escaped already; DEL, the C1 controls and the overrides it leaves raw).
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Reads a data file the caller gave (a list, a table, a queries or records file): a regular file up to the
/// data limit.
pub(crate) fn read_data_file(path: &Path) -> Result<Vec<u8>> {
    Ok(clew_files::read(path, clew_files::limits::DATA_FILE)?)
}

/// Marks a JSON result made from synthetic data, keeping its shape: an object gains `"synthetic": true`, and so
/// does each object of an array.
pub fn label_synthetic(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.insert("synthetic".into(), serde_json::Value::Bool(true));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(label_synthetic),
        _ => {}
    }
}

/// A project and the operations on it. Shared by every thread of a program (`Send + Sync`): what it keeps between
/// operations (the search index, the kept lists' screeners) is behind locks and rebuilt when the project changed.
#[derive(Debug)]
pub struct Service {
    project: Project,
    /// The map's places, per state of the project.
    places: cache::Cached<Vec<places::Place>>,
    /// Entity views read since the last statement was added.
    entity_views: cache::CachedMap<(clew_model::EntityId, bool, clew_model::Sensitivity), EntityView>,
    /// The names [`Service::search`] searches, kept while no statement is added.
    search_index: search::IndexCache,
    /// The kept lists [`Service::match_queries`] screens against, kept while the lists kept are the same.
    kept_screeners: matching::ScreenerCache,
    /// The testimonies' summaries, kept between requests (see [`browse`]).
    browse: browse::IndexCache,
    /// Review queues by schema and number of judgements, per state of the project.
    review_queues: cache::CachedMap<(String, usize), linkage::Review>,
    /// Every testimony's assessment under the built-in rules, counted, per state of the project.
    assessment_overview: cache::Cached<analysis::Analysed<analysis::AssessmentSummary>>,
    /// The project's ledgers summarised under each ceiling, per state of the project and rate table.
    ledger_summaries: cache::Cached<analysis::LedgerSummaries>,
    /// The safe line's database and its salt, opened the first time the safe line is used.
    safe_line: std::sync::OnceLock<(clew_store::SafeLineStore, [u8; 16])>,
}

impl Service {
    /// Opens the project in `dir`.
    pub fn open(dir: &Path) -> Result<Service> {
        Ok(Service::from_project(Project::open(dir)?))
    }

    /// A service over a project already open.
    pub fn from_project(project: Project) -> Service {
        Service {
            project,
            places: cache::Cached::default(),
            entity_views: cache::CachedMap::new(entities::ENTITY_VIEWS_KEPT),
            search_index: Default::default(),
            kept_screeners: Default::default(),
            browse: browse::IndexCache::default(),
            assessment_overview: cache::Cached::default(),
            review_queues: cache::CachedMap::new(8),
            ledger_summaries: cache::Cached::default(),
            safe_line: std::sync::OnceLock::new(),
        }
    }

    /// The project.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The project's folder.
    pub fn dir(&self) -> &Path {
        &self.project.dir
    }

    /// Whether the project holds synthetic (demo) data only.
    pub fn synthetic(&self) -> bool {
        self.project.config.synthetic
    }

    /// Appends one event to the custody log, in a transaction of its own; its sequence number.
    pub fn log_event(&self, actor: &Actor, kind: clew_custody::EventKind, detail: &serde_json::Value) -> Result<u64> {
        let batch = batch(actor, kind.as_str());
        let mut tx = self.project.store().write(&batch)?;
        let seq = clew_custody::record_event(tx.as_mut(), &batch, kind, detail)?;
        tx.commit()?;
        Ok(seq)
    }
}

/// The batch of one write by `actor`, now.
fn batch(actor: &Actor, operation: &str) -> clew_store::Batch {
    clew_store::Batch {
        recorded_by: actor.name().to_string(),
        recorded_at: clew_custody::now_rfc3339(),
        operation: operation.to_string(),
    }
}

/// What `init` puts in a project's folder: a folder holding any of them is refused before anything is made.
const PROJECT_ENTRIES: [&str; 7] =
    [clew_store::project::CONFIG_FILE, "clew.db", "clew.db-wal", "clew.db-shm", "blobs", "keys", "lists"];

impl Service {
    /// Whether a project can be made in `dir` (to check before asking for a passphrase): not one already, and
    /// none of the names a project needs taken.
    pub fn can_init(dir: &Path) -> Result<()> {
        if dir.join(clew_store::project::CONFIG_FILE).exists() {
            let keyless = !clew_vault::signing::KeyFiles::of_project(dir).exists();
            let hint = if keyless { " (it has no keys yet: clew keys init)" } else { "" };
            return Err(Error::usage(format!("{} is already a clew project{hint}", dir.display())));
        }
        if let Some(taken) = PROJECT_ENTRIES.iter().map(|n| dir.join(n)).find(|p| std::fs::symlink_metadata(p).is_ok())
        {
            return Err(Error::usage(format!(
                "{} exists: a project needs that name; init writes over nothing (choose another folder)",
                taken.display()
            )));
        }
        Ok(())
    }

    /// Creates a project in `dir` (made if missing) named `name`, with its keys locked with `passphrase` unless
    /// it is `None`. All or nothing: the project is built in a hidden folder inside `dir` and its entries moved
    /// into place at the end, `clew.toml` last (a folder is a project only once it has one); a failure (a short
    /// passphrase, a full disk, a name already taken) leaves `dir` as it was.
    pub fn init(
        dir: &Path,
        name: &str,
        passphrase: Option<&str>,
        actor: &Actor,
    ) -> Result<(Service, Option<PublicKeys>)> {
        Service::can_init(dir)?;
        if let Some(passphrase) = passphrase {
            clew_vault::signing::check_passphrase(passphrase)?;
        }
        let created = !dir.exists();
        clew_files::create_private_dir(dir)?;
        clear_earlier_inits(dir)?;
        // A name of this run alone (process and time): an earlier run's leftover, killed half way, is never
        // taken for it, nor removed with it.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let staging = dir.join(format!("{INIT_STAGING}{}-{nanos}", std::process::id()));
        if std::fs::symlink_metadata(&staging).is_ok() {
            return Err(Error::internal(format!("{} exists: run init again", staging.display())));
        }
        let built = (|| {
            let project = Project::init(&staging, name, false)?;
            let service = Service::from_project(project);
            let keys = passphrase.map(|p| service.create_keys(actor, p, None)).transpose()?;
            drop(service);
            move_entries_into(&staging, dir)?;
            Ok::<_, Error>(keys)
        })();
        match built {
            Ok(keys) => Ok((Service::open(dir)?, keys)),
            Err(error) => {
                let _ = std::fs::remove_dir_all(&staging);
                if created {
                    let _ = std::fs::remove_dir(dir);
                }
                Err(error)
            }
        }
    }
}

/// The start of the name of the folder `init` builds a project in, inside the project's folder; the rest is the
/// process id and the time.
const INIT_STAGING: &str = ".clew-init-";

/// Removes what earlier runs of `init` in `dir` left when they were killed half way; refuses while another
/// run is building a project there.
fn clear_earlier_inits(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::internal(format!("{}: {e}", dir.display())))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = name.strip_prefix(INIT_STAGING).and_then(|rest| rest.split('-').next()?.parse::<u32>().ok())
        else {
            continue;
        };
        // An init runs for seconds, and its folder is this project's alone: where /proc says the process is gone,
        // its leftovers go whatever their age (a run interrupted a moment ago is retried at once).
        let gone = Path::new("/proc/self").exists()
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists();
        if !gone && !clew_files::abandoned(pid, &entry) {
            return Err(Error::new(
                Code::Conflict,
                format!("another `clew init` (process {pid}) is making a project in {}: wait for it", dir.display()),
            ));
        }
        std::fs::remove_dir_all(entry.path())
            .map_err(|e| Error::internal(format!("{}: an earlier init's leftovers: {e}", entry.path().display())))?;
    }
    Ok(())
}

/// Moves what `from` holds into `to` (the same file system), `clew.toml` last, then removes `from`. Every target
/// is checked before anything moves; a move that fails puts back the ones before it.
fn move_entries_into(from: &Path, to: &Path) -> Result<()> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |e: std::io::Error| Error::internal(format!("{}: {e}", path.display()))
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(from)
        .map_err(failed(from))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::result::Result<_, _>>()
        .map_err(failed(from))?;
    entries.sort_by_key(|path| path.file_name() == Some(std::ffi::OsStr::new(clew_store::project::CONFIG_FILE)));
    let moves: Vec<(PathBuf, PathBuf)> =
        entries.into_iter().filter_map(|entry| Some((to.join(entry.file_name()?), entry))).collect();
    if let Some((target, _)) = moves.iter().find(|(target, _)| std::fs::symlink_metadata(target).is_ok()) {
        return Err(Error::usage(format!("{} exists: init writes over nothing", target.display())));
    }
    for (done, (target, entry)) in moves.iter().enumerate() {
        if let Err(error) = std::fs::rename(entry, target) {
            for (target, entry) in &moves[..done] {
                let _ = std::fs::rename(target, entry);
            }
            return Err(failed(target)(error));
        }
    }
    std::fs::remove_dir(from).map_err(failed(from))
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Every event of the project's custody log, in order.
    pub(crate) fn events(service: &Service) -> Vec<clew_store::CustodyEvent> {
        service.events(0, usize::MAX).unwrap()
    }

    /// A new project without keys, in a temporary folder, and who acts in it.
    pub(crate) fn project() -> (tempfile::TempDir, Service, Actor) {
        let dir = tempfile::tempdir().unwrap();
        let actor = Actor::new("tester").unwrap();
        let (service, _) = Service::init(&dir.path().join("p"), "p", None, &actor).unwrap();
        (dir, service, actor)
    }

    #[test]
    fn an_actor_is_named_plainly() {
        assert_eq!(Actor::new("  coder-7 ").unwrap().name(), "coder-7");
        assert_eq!(Actor::new("").unwrap_err().code(), Code::Usage);
        assert_eq!(Actor::new("a\u{1b}[2Jb").unwrap_err().code(), Code::Usage);
        assert_eq!(Actor::new(&"x".repeat(MAX_ACTOR_CHARS + 1)).unwrap_err().code(), Code::Usage);
    }

    #[test]
    fn init_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let actor = Actor::new("tester").unwrap();
        let target = dir.path().join("p");
        let error = Service::init(&target, "p", Some("short"), &actor).unwrap_err();
        assert_eq!(error.code(), Code::Key);
        assert!(!target.exists());
        std::fs::create_dir_all(target.join("blobs")).unwrap();
        let error = Service::init(&target, "p", None, &actor).unwrap_err();
        assert!(error.message().contains("blobs exists"), "{error}");
        assert_eq!(std::fs::read_dir(&target).unwrap().count(), 1);
        std::fs::remove_dir(target.join("blobs")).unwrap();
        let (service, keys) = Service::init(&target, "p", None, &actor).unwrap();
        assert!(keys.is_none());
        assert_eq!(service.project().config.name, "p");
        let names: Vec<String> =
            std::fs::read_dir(&target).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert!(!names.iter().any(|n| n.starts_with(".clew-init")), "{names:?}");
    }

    #[test]
    fn each_key_creation_is_logged_once_and_a_retry_completes_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let actor = Actor::new("tester").unwrap();
        let (service, _) = Service::init(&dir.path().join("p"), "p", None, &actor).unwrap();
        // A run that made the signing key and stopped before logging it (a busy project, a kill).
        clew_vault::signing::KeyFiles::of_project(service.dir())
            .create("correct horse battery staple", Some(10))
            .unwrap();
        let created = |service: &Service| {
            events(service).into_iter().map(|e| e.kind).filter(|k| k.ends_with("-key-created")).collect::<Vec<_>>()
        };
        service.create_keys(&actor, "correct horse battery staple", Some(10)).unwrap();
        assert_eq!(created(&service), ["signing-key-created", "project-key-created"]);
        service.create_keys(&actor, "correct horse battery staple", Some(10)).unwrap();
        assert_eq!(created(&service).len(), 2, "a second run logs nothing new");
        // A project key made by a rotation is logged by the rotation, not taken for one created later.
        let custodian = clew_vault::new_custodian("test");
        service.add_custodian(&actor, &custodian.key, "test").unwrap();
        service.rotate(&actor, "correct horse battery staple", None).unwrap();
        service.create_keys(&actor, "correct horse battery staple", Some(10)).unwrap();
        assert_eq!(created(&service).len(), 2, "{:?}", created(&service));
    }

    #[test]
    fn an_earlier_init_killed_half_way_is_cleared_and_a_running_one_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let actor = Actor::new("tester").unwrap();
        let target = dir.path().join("p");
        std::fs::create_dir(&target).unwrap();
        // A run still going (this process) is not disturbed.
        let running = target.join(format!("{INIT_STAGING}{}-1", std::process::id()));
        std::fs::create_dir(&running).unwrap();
        let error = Service::init(&target, "p", None, &actor).unwrap_err();
        assert_eq!(error.code(), Code::Conflict, "{error}");
        assert!(running.exists());
        std::fs::remove_dir(&running).unwrap();
        // One of a process gone a moment ago is removed, with what it held.
        let killed = target.join(format!("{INIT_STAGING}{}-1", u32::MAX - 1));
        std::fs::create_dir(&killed).unwrap();
        std::fs::write(killed.join("clew.db"), b"half a database").unwrap();
        Service::init(&target, "p", None, &actor).unwrap();
        assert!(!killed.exists());
    }
}
