//! A clew project: a directory holding `clew.toml`, the database and (with the vault) a folder for blobs.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{Error, ReadTx, Result, SqliteStore, Store};

/// The project file's name.
pub const CONFIG_FILE: &str = "clew.toml";

/// The project format this build writes.
pub const PROJECT_FORMAT: u32 = 1;

/// The contents of `clew.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    /// Project format version.
    pub format: u32,
    /// A name for the project.
    pub name: String,
    /// Which store backend; only `sqlite` so far.
    #[serde(default = "default_backend")]
    pub backend: String,
    /// The SQLite database file, relative to the project directory.
    #[serde(default = "default_database")]
    pub database: String,
    /// Whether the project holds synthetic (fictional) data only, as the demo does.
    #[serde(default)]
    pub synthetic: bool,
    /// Dossiers' settings (`[dossier]`).
    #[serde(default, skip_serializing_if = "DossierConfig::is_default")]
    pub dossier: DossierConfig,
}

/// `[dossier]` in `clew.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DossierConfig {
    /// The fewest witnesses at one site in one month a claim may rest on in a dossier for an audience outside
    /// the team and the courts (`un`, `monitors`, `public`).
    #[serde(default = "default_min_witnesses")]
    pub min_witnesses: usize,
}

impl Default for DossierConfig {
    fn default() -> Self {
        DossierConfig { min_witnesses: default_min_witnesses() }
    }
}

impl DossierConfig {
    fn is_default(&self) -> bool {
        *self == DossierConfig::default()
    }
}

fn default_min_witnesses() -> usize {
    5
}

fn default_backend() -> String {
    "sqlite".to_string()
}

fn default_database() -> String {
    "clew.db".to_string()
}

/// An open project. `Send + Sync`: one open project can serve many threads at once (share it behind an `Arc`).
#[derive(Debug)]
pub struct Project {
    /// Its directory.
    pub dir: PathBuf,
    /// Its configuration.
    pub config: ProjectConfig,
    store: SqliteStore,
}

fn files(error: clew_files::FileError) -> Error {
    match error {
        clew_files::FileError::Io { path, message, .. } => Error::Io { path, message },
        other => Error::Io { path: PathBuf::new(), message: other.to_string() },
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |error| Error::Io { path: path.to_path_buf(), message: error.to_string() }
}

impl Project {
    /// Creates a project in `dir` (created if missing; it must not already be a project).
    pub fn init(dir: &Path, name: &str, synthetic: bool) -> Result<Project> {
        let config_path = dir.join(CONFIG_FILE);
        if config_path.exists() {
            return Err(Error::AlreadyAProject { dir: dir.to_path_buf() });
        }
        // Private whatever the umask: the database holds the witnesses' words and consent.
        clew_files::create_private_dir(dir).map_err(files)?;
        let config = ProjectConfig {
            format: PROJECT_FORMAT,
            name: name.to_string(),
            backend: default_backend(),
            database: default_database(),
            synthetic,
            dossier: DossierConfig::default(),
        };
        let store = SqliteStore::create(&dir.join(&config.database))?;
        clew_files::create_private_dir(&dir.join("blobs")).map_err(files)?;
        let text = format!(
            "# A clew project. See `clew --help`.\n{}",
            toml::to_string(&config)
                .map_err(|e| Error::Config { path: config_path.clone(), message: e.to_string() })?
        );
        // Written last and atomically: a directory is a project only once everything else exists.
        clew_files::write_atomic(&config_path, text.as_bytes()).map_err(files)?;
        Ok(Project { dir: dir.to_path_buf(), config, store })
    }

    /// Opens the project in `dir`.
    pub fn open(dir: &Path) -> Result<Project> {
        let config_path = dir.join(CONFIG_FILE);
        if !config_path.is_file() {
            return Err(Error::NotAProject { dir: dir.to_path_buf() });
        }
        let text = fs::read_to_string(&config_path).map_err(io(&config_path))?;
        let config: ProjectConfig =
            toml::from_str(&text).map_err(|e| Error::Config { path: config_path.clone(), message: e.to_string() })?;
        if config.format > PROJECT_FORMAT {
            return Err(Error::Config {
                path: config_path,
                message: format!(
                    "project format {} is newer than this clew supports ({PROJECT_FORMAT}); upgrade clew",
                    config.format
                ),
            });
        }
        if config.backend != "sqlite" {
            return Err(Error::Config {
                path: config_path,
                message: format!("unknown backend `{}`; this clew supports `sqlite`", config.backend),
            });
        }
        let store = SqliteStore::open(&dir.join(&config.database))?;
        Ok(Project { dir: dir.to_path_buf(), config, store })
    }

    /// The project's store.
    pub fn store(&self) -> &dyn Store {
        &self.store
    }

    /// A snapshot of the project's store, for the reads of one operation (see [`Store::read`]).
    pub fn read(&self) -> Result<Box<dyn ReadTx + '_>> {
        self.store.read()
    }

    /// The folder of sealed attachment blobs.
    pub fn blob_dir(&self) -> PathBuf {
        self.dir.join("blobs")
    }

    /// Where the project keeps its sanctions lists (files named by their SHA-256).
    pub fn list_dir(&self) -> PathBuf {
        self.dir.join("lists")
    }

    /// The safe line's folder: its database (`safe-line.db`). Its pepper is never kept here.
    pub fn safe_line_dir(&self) -> PathBuf {
        self.dir.join("safe-line")
    }
}
