//! The clew store: the [`Store`] trait that every backend implements, its SQLite implementation, and clew
//! project directories. This is the only crate that talks SQL.
//!
//! A store is shared by everyone who uses a project at once (`Send + Sync`). Each operation reads through one
//! snapshot ([`Store::read`], a [`ReadTx`]) or writes in one transaction ([`Store::write`], a [`WriteTx`],
//! which reads what it has written so far through [`WriteTx::reads`]): rules that span reads and writes are
//! checked inside the write transaction, never before it.

pub mod project;
pub mod safe_line;
mod sqlite;

use std::path::PathBuf;

use clew_model::{EntityId, Segment, Source, SourceId, SourceKind, Statement};

pub use project::{DossierConfig, Project, ProjectConfig};
pub use safe_line::SafeLineStore;
pub use sqlite::SqliteStore;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The directory holds no clew project.
    #[error("{} is not a clew project (it has no clew.toml); create one with `clew init {}`", .dir.display(), .dir.display())]
    NotAProject {
        /// The directory.
        dir: PathBuf,
    },
    /// `init` on a directory that already is a project.
    #[error("{} is already a clew project", .dir.display())]
    AlreadyAProject {
        /// The directory.
        dir: PathBuf,
    },
    /// The project's `clew.toml` is not valid.
    #[error("{}: {message}", .path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The database was written by a newer clew.
    #[error(
        "the database {} has schema version {found}, but this clew knows versions up to {supported}; upgrade clew",
        .path.display()
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Its version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// A file could not be read or written.
    #[error("{}: {message}", .path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// Stored data does not have the shape clew writes (damaged or edited by hand).
    #[error("the database holds data clew cannot read: {0}")]
    Corrupt(String),
    /// The database engine refused or failed; `kind` says which way (a constraint is a conflict, a damaged
    /// file is corrupt, anything else internal).
    #[error("database error: {message}")]
    Database {
        /// What kind of failure.
        kind: ErrorKind,
        /// The engine's message.
        message: String,
    },
    /// Another program holds the project's database (a write in progress) longer than clew waits for it.
    #[error(
        "the project is busy: another clew command (or another program) is writing to its database, and did not \
         finish within the 10 seconds clew waits; nothing was written: try again when it has finished"
    )]
    Busy,
    /// A write that contradicts what is stored (e.g. a source written as another kind than it is).
    #[error("{0}")]
    Conflict(String),
}

/// What kind of failure an [`Error`] is, for callers that answer differently to each (a server: 404, 409,
/// retry later, 500).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// What was asked for is not there (no project in the directory).
    NotFound,
    /// The request contradicts what is stored (a source of another kind, the last custodian, a constraint).
    Conflict,
    /// Someone else holds the database for longer than the store waits: nothing was done; try again.
    Busy,
    /// Stored data does not have the shape clew writes (damaged, or edited behind clew's back).
    Corrupt,
    /// Anything else: a file that cannot be written, a database from a newer clew, a failure of the engine.
    Internal,
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotAProject { .. } => ErrorKind::NotFound,
            Error::AlreadyAProject { .. } | Error::Conflict(_) => ErrorKind::Conflict,
            Error::Config { .. } | Error::Corrupt(_) => ErrorKind::Corrupt,
            Error::NewerSchema { .. } | Error::Io { .. } => ErrorKind::Internal,
            Error::Database { kind, .. } => *kind,
            Error::Busy => ErrorKind::Busy,
        }
    }

    /// An internal failure with its message (shown as a database error, as the engine's own are).
    pub fn internal(message: impl Into<String>) -> Error {
        Error::Database { kind: ErrorKind::Internal, message: message.into() }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as Code;
        let kind = match error.sqlite_error_code() {
            Some(Code::DatabaseBusy | Code::DatabaseLocked) => return Error::Busy,
            // A constraint the schema enforces failing means a bug or a damaged database, not a request to retry.
            Some(Code::ConstraintViolation) => ErrorKind::Internal,
            Some(Code::DatabaseCorrupt | Code::NotADatabase) => ErrorKind::Corrupt,
            // A value of another type than clew writes: a row changed behind clew's back.
            None if matches!(
                error,
                rusqlite::Error::InvalidColumnType(..)
                    | rusqlite::Error::FromSqlConversionFailure(..)
                    | rusqlite::Error::IntegralValueOutOfRange(..)
            ) =>
            {
                ErrorKind::Corrupt
            }
            _ => ErrorKind::Internal,
        };
        Error::Database { kind, message: error.to_string() }
    }
}

/// Why the last custodian cannot be removed ([`WriteTx::remove_custodian`]).
pub(crate) const LAST_CUSTODIAN: &str =
    "that is the project's last custodian: add another first, or protected data could be sealed to no one";

/// Result with the store's error.
pub type Result<T> = std::result::Result<T, Error>;

/// Who writes and why: shared by every statement a write transaction adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Who (a user name or pseudonym, or a tool).
    pub recorded_by: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
    /// What operation (e.g. `import`, `demo`).
    pub operation: String,
}

/// What the store already knew of a source that is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceOutcome {
    /// First time seen: write its statements with this generation.
    New {
        /// Generation to use.
        generation: u32,
    },
    /// Same content as stored: no statement to write.
    Unchanged {
        /// The stored generation.
        generation: u32,
    },
    /// Changed content: the statements of earlier generations were retracted; write the new ones with this
    /// generation.
    Changed {
        /// Generation to use.
        generation: u32,
        /// How many statements were retracted.
        retracted: u64,
    },
}

/// The data of a source to be written (the store assigns generation, time and who).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDraft {
    /// Id.
    pub id: SourceId,
    /// Kind.
    pub kind: SourceKind,
    /// Title.
    pub title: String,
    /// SHA-256 of the canonical content.
    pub content_hash: String,
    /// Fictional demo or test data.
    pub synthetic: bool,
    /// Consent withdrawn, and how far: `all` (out of every output) or `publication` / `sharing` (out of exports).
    pub withdrawn: Option<String>,
}

/// A write transaction. Nothing is visible to others until [`WriteTx::commit`]; dropping it rolls back.
/// One write transaction at a time holds a project: another waits for it (up to the store's busy timeout,
/// then [`Error::Busy`]), and readers keep reading their snapshots meanwhile.
pub trait WriteTx {
    /// Reads inside this transaction: what is committed, and what this transaction has written so far. A rule
    /// that spans reads and writes is checked through these, so nothing can commit in between.
    fn reads(&self) -> &dyn ReadTx;
    /// The batch this transaction writes (custody events and everything it writes carry it).
    fn batch(&self) -> BatchId;
    /// Registers a source. A changed source has its earlier statements retracted here.
    fn put_source(&mut self, source: &SourceDraft) -> Result<SourceOutcome>;
    /// Adds statements (their `recorded_by`/`recorded_at` are the batch's). Statements already stored are
    /// left as they are. Returns how many were added.
    fn put_statements(&mut self, statements: &[Statement]) -> Result<u64>;
    /// Stores the narrative segments of a source generation.
    fn put_segments(&mut self, source: &SourceId, generation: u32, segments: &[Segment]) -> Result<()>;
    /// Stores the consent record (JSON) of a source generation.
    fn put_consent(&mut self, source: &SourceId, generation: u32, record: &str) -> Result<()>;
    /// Stores the protected block of a source generation, already sealed to the custodians, as its next
    /// version; returns the version (from 1). An earlier version is never replaced: sealed blocks cannot be
    /// compared without a custodian's key, so a block imported again is kept beside the earlier ones.
    fn put_protected(&mut self, source: &SourceId, generation: u32, sealed: &[u8]) -> Result<u32>;
    /// Records an attachment of a source (its sealed blob is already in the blob folder); `false` when the
    /// source already had it.
    fn put_attachment(&mut self, source: &SourceId, attachment: &NewAttachment) -> Result<bool>;
    /// Records a sanctions list whose file is in place; `false` when a list with its SHA-256 is there already.
    fn put_sanctions_list(&mut self, list: &StoredList) -> Result<bool>;
    /// Appends a reviewer's judgement on a pair of entities (who and when are the batch's).
    fn put_link_judgement(&mut self, judgement: &StoredJudgement) -> Result<()>;
    /// Keeps an estimate (its `recorded_by`, `recorded_at` and `batch` are this transaction's); returns its number.
    fn put_estimate(&mut self, estimate: &StoredEstimate) -> Result<u64>;
    /// Adds a custodian's public key; `false` when it was there already.
    fn put_custodian(&mut self, public_key: &str, label: &str) -> Result<bool>;
    /// Removes a custodian: nothing is sealed to it from now on (what was sealed before stays open to it until
    /// a key rotation re-seals it). `false` when it was not a custodian. Refused ([`Error::Conflict`]) when it
    /// is the last one, counted inside this transaction: protected data must always have someone to be sealed to.
    fn remove_custodian(&mut self, public_key: &str) -> Result<bool>;
    /// Adds a caseworker of the safe line (what senders write is sealed to them); `false` when it was one
    /// already.
    fn put_caseworker(&mut self, public_key: &str, label: &str) -> Result<bool>;
    /// Removes a caseworker: nothing new is sealed to it. `false` when it was not one. The last may go: the
    /// safe line then refuses what senders write, since nobody could read it.
    fn remove_caseworker(&mut self, public_key: &str) -> Result<bool>;
    /// Adds an account; `false` when one of that name exists (enabled or disabled).
    fn put_account(&mut self, account: &NewAccount) -> Result<bool>;
    /// Gives an account new credentials (a one-time password's hash, and a new second factor or none), and
    /// ends its sessions; `false` when there is no such account.
    fn set_account_credentials(&mut self, name: &str, credentials: &Credentials) -> Result<bool>;
    /// Replaces an account's password by its owner's choice, if its hash is still `checked_hash` (the one the
    /// caller checked) and the account is enabled; `false` otherwise (it was reset or disabled meanwhile).
    fn change_account_password(&mut self, name: &str, checked_hash: &str, new_hash: &str) -> Result<bool>;
    /// Records that a second-factor code of `step` (a TOTP time step) was accepted, checked against
    /// `checked_secret`: `false` when the account's secret is no longer that one (reset meanwhile) or the step is
    /// not later than the last one accepted (a code used again), checked inside this transaction.
    fn accept_totp_step(&mut self, name: &str, checked_secret: &str, step: u64) -> Result<bool>;
    /// Starts a session if its account is enabled and its password hash is still the one checked: `false`
    /// otherwise. Sessions expired at its start are deleted.
    fn put_session(&mut self, session: &NewSession<'_>) -> Result<bool>;
    /// Adds an API token (the SHA-256 of its token) for an enabled account, with what it is for; `false` when
    /// there is no such enabled account.
    fn put_api_token(&mut self, token_sha256: &str, account: &str, label: &str) -> Result<bool>;
    /// Revokes every API token of an account; how many.
    fn revoke_api_tokens(&mut self, account: &str) -> Result<u64>;
    /// Ends every session of an account but the one whose token's SHA-256 is `keep`.
    fn end_other_sessions(&mut self, account: &str, keep: &str) -> Result<()>;
    /// Ends a session; `false` when there was none.
    fn end_session(&mut self, token_sha256: &str) -> Result<bool>;
    /// Disables or enables an account (disabling ends its sessions); `false` when there is no such account. Disabling the last enabled
    /// admin is refused ([`Error::Conflict`]), counted inside this transaction: someone must be able to manage
    /// the accounts.
    fn set_account_disabled(&mut self, name: &str, disabled: bool) -> Result<bool>;
    /// Gives an account another role and ends its sessions; `false` if there is no such account. The last
    /// enabled admin keeps its role (a conflict).
    fn set_account_role(&mut self, name: &str, role: &str) -> Result<bool>;
    /// Replaces a sealed value with the same plaintext sealed anew (a key rotation).
    fn reseal(&mut self, value: &SealedRef, sealed: &[u8]) -> Result<()>;
    /// SHA-256 (hex) over every statement this transaction's batch has written so far, in the order written.
    fn batch_digest(&mut self) -> Result<String>;
    /// The protected block versions this transaction has written so far.
    fn protected_written(&mut self) -> Result<Vec<ProtectedVersion>>;
    /// SHA-256 (hex) over the segments and consent records this transaction's batch has written, by source
    /// generation (see [`ReadTx::records_digests`]).
    fn records_digest(&mut self) -> Result<String>;
    /// Appends an event to the custody log (its leaf hash computed by the caller from the batch's time and
    /// author, the kind and the detail); returns its sequence number (from 1).
    fn append_event(&mut self, kind: &str, detail: &str, leaf_hash: &[u8; 32]) -> Result<u64>;
    /// Makes everything written durable and visible.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// An entity as listed: id, schema and a caption.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EntityRow {
    /// Id.
    pub id: EntityId,
    /// Schema.
    pub schema: String,
    /// A name to show (the first active name-like value), when there is one.
    pub caption: Option<String>,
}

/// Counts for `clew stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Sources by kind.
    pub sources: Vec<(String, u64)>,
    /// Sources marked synthetic.
    pub synthetic_sources: u64,
    /// All statements, retractions included.
    pub statements: u64,
    /// Retractions.
    pub retractions: u64,
    /// Entities by schema.
    pub entities: Vec<(String, u64)>,
    /// Narrative segments (current generations).
    pub segments: u64,
}

/// A clew store. Implementations: [`SqliteStore`]; PostgreSQL comes later behind the same trait.
///
/// Shared by every thread (and, through the database, every process) that uses the project at once. It is
/// synchronous: a server calls it from a blocking pool.
pub trait Store: Send + Sync {
    /// Begins a write transaction for one operation; waits while another holds the project (up to the
    /// store's busy timeout, then [`Error::Busy`]).
    fn write(&self, batch: &Batch) -> Result<Box<dyn WriteTx + '_>>;
    /// Opens a snapshot: every read through it sees the project as it was when it was opened, whatever commits
    /// meanwhile. One operation reads through one snapshot, so that what it checks is what it uses (verify
    /// and sign, gather and package). Dropping it ends it.
    fn read(&self) -> Result<Box<dyn ReadTx + '_>>;
}

/// Reads of a project, all from one snapshot: a [`Store::read`], or the inside of a write transaction
/// ([`WriteTx::reads`]).
pub trait ReadTx {
    /// A source by id.
    fn source(&self, id: &SourceId) -> Result<Option<Source>>;
    /// Every statement about an entity (retractions included), in the order recorded; statements of sources
    /// whose consent was withdrawn entirely are left out.
    fn statements_for_entity(&self, id: &EntityId) -> Result<Vec<Statement>>;
    /// The active statements whose value is `id` (neither retractions nor retracted), in the order recorded, at
    /// most `limit`: the references other entities make to it (a worksite's operator, an Employment's employer, a
    /// sanctions match's subject). The store does not know which properties hold entity ids: the caller keeps
    /// those its model says are entity-valued. Statements of sources whose consent was withdrawn entirely are left
    /// out, as [`ReadTx::statements_for_entity`] leaves them out. An index lookup, whatever the project's size.
    fn statements_naming(&self, id: &EntityId, limit: usize) -> Result<Vec<Statement>>;
    /// Lists entities of some schemata (all when empty), ordered by id, after `after`, at most `limit`.
    fn list_entities(&self, schemata: &[String], after: Option<&EntityId>, limit: usize) -> Result<Vec<EntityRow>>;
    /// Calls `visit` with every entity's statements (retractions included), entities in the order they were
    /// first recorded, for exports: statements of sources with any withdrawal of consent are left out.
    fn for_each_entity(&self, visit: &mut dyn FnMut(EntityId, Vec<Statement>) -> Result<()>) -> Result<()>;
    /// As [`ReadTx::for_each_entity`], with only the statements of these properties (their retractions
    /// included), and only the entities that have some: for an index of a few properties (names and captions),
    /// which need not build every statement of the project.
    fn for_each_entity_with(
        &self,
        properties: &[&str],
        visit: &mut dyn FnMut(EntityId, Vec<Statement>) -> Result<()>,
    ) -> Result<()>;
    /// A narrative segment of the current generation of a source.
    fn segment(&self, source: &SourceId, segment: &str) -> Result<Option<Segment>>;
    /// Counts.
    fn stats(&self) -> Result<Stats>;
    /// The custodians protected data is sealed to, in the order added.
    fn custodians(&self) -> Result<Vec<Custodian>>;
    /// The safe line's caseworkers, in the order added.
    fn caseworkers(&self) -> Result<Vec<Caseworker>>;
    /// The accounts, by name (never their credentials).
    fn accounts(&self) -> Result<Vec<Account>>;
    /// An account's role, credentials and whether it is disabled, to sign it in.
    fn account_credentials(&self, name: &str) -> Result<Option<(Account, Credentials)>>;
    /// The account of an API token that is not revoked, by the token's SHA-256.
    fn api_token_account(&self, token_sha256: &str) -> Result<Option<Account>>;
    /// The account of a session that has not expired at `now` (Unix seconds), by its token's SHA-256.
    fn session_account(&self, token_sha256: &str, now: u64) -> Result<Option<Account>>;
    /// The sanctions lists kept in the project, oldest first.
    fn sanctions_lists(&self) -> Result<Vec<StoredList>>;
    /// Reviewers' judgements on pairs of entities, oldest first.
    fn link_judgements(&self) -> Result<Vec<StoredJudgement>>;
    /// The estimates kept, newest first.
    fn estimates(&self) -> Result<Vec<StoredEstimate>>;
    /// The sealed protected block of the current generation of a source (its newest version), if it has one.
    fn protected(&self, source: &SourceId) -> Result<Option<Vec<u8>>>;
    /// Every stored version of every protected block (never their contents), for verification.
    fn protected_versions(&self) -> Result<Vec<ProtectedVersion>>;
    /// The attachments of a source, in the order added.
    fn attachments(&self, source: &SourceId) -> Result<Vec<Attachment>>;
    /// Every attachment of every source, for verification: (source id, sha256).
    fn all_attachments(&self) -> Result<Vec<(SourceId, String)>>;
    /// SHA-256 (hex) over every statement a batch wrote, in the order written (see [`WriteTx::batch_digest`]).
    fn batch_digest(&self, batch: BatchId) -> Result<String>;
    /// The batches that wrote statements.
    fn statement_batches(&self) -> Result<Vec<BatchId>>;
    /// Custody events after sequence number `after`, at most `limit`.
    fn events(&self, after: u64, limit: usize) -> Result<Vec<CustodyEvent>>;
    /// Calls `visit` with every custody event in order.
    fn for_each_event(&self, visit: &mut dyn FnMut(CustodyEvent) -> Result<()>) -> Result<()>;
    /// The active statements a source makes now (neither retractions nor retracted), in the order recorded,
    /// whatever its consent says: the caller decides what consent allows.
    fn source_statements(&self, source: &SourceId) -> Result<Vec<Statement>>;
    /// The narrative segments of the current generation of a source, in id order.
    fn segments(&self, source: &SourceId) -> Result<Vec<Segment>>;
    /// The consent record (JSON) of the current generation of a source, and its withdrawal scope if any.
    fn consent(&self, source: &SourceId) -> Result<Option<ConsentRecord>>;
    /// Every source with the batch that wrote its current generation, and whether that generation has
    /// segments or consent records no batch wrote; for verification.
    fn source_batches(&self) -> Result<Vec<SourceBatch>>;
    /// The sources of a kind, in the order first recorded, with the withdrawal in force.
    fn sources_of_kind(&self, kind: SourceKind) -> Result<Vec<(SourceId, Option<String>)>>;
    /// Every source's current consent record and withdrawal column, for verification.
    fn consent_records(&self) -> Result<Vec<(SourceId, ConsentRecord)>>;
    /// The custody events of the batches that wrote a source's statements or attachments, in order.
    fn source_events(&self, source: &SourceId) -> Result<Vec<CustodyEvent>>;
    /// The digest of the segments and consent records of every batch that wrote some, recomputed from the
    /// tables (see [`WriteTx::records_digest`]).
    fn records_digests(&self) -> Result<std::collections::HashMap<BatchId, String>>;
    /// Calls `visit` with each testimony and its active statements (neither retractions nor retracted) about
    /// entities of these schemata (all when empty), for analyses; testimonies whose consent was withdrawn
    /// entirely are left out. A testimony's statements include those its coders added (its `code:` source,
    /// after the testimony's own), and leave out those they retracted. The statements carry no
    /// `recorded_by`/`recorded_at` (analyses do not need them, and leaving them out makes the pass faster).
    fn for_each_testimony(
        &self,
        schemata: &[&str],
        visit: &mut dyn FnMut(SourceId, Vec<Statement>) -> Result<()>,
    ) -> Result<()>;
    /// Sources whose recorded newest statement (which [`ReadTx::for_each_testimony`] relies on to hand a
    /// testimony over) is not their newest statement: only a change behind clew's back does that.
    fn stale_last_statements(&self) -> Result<Vec<SourceId>>;
    /// Every statement a batch wrote (retractions included), in the order written.
    fn batch_statements(&self, batch: BatchId) -> Result<Vec<Statement>>;
    /// Every value sealed to the custodians: protected blocks (every generation) and attachments' file names.
    fn sealed_values(&self) -> Result<Vec<(SealedRef, Vec<u8>)>>;
    /// Every statement of a source, of every generation, retractions and retracted ones included, in the order
    /// recorded, each with the batch that wrote it (what one write added together), whatever its consent says:
    /// the caller decides what consent allows.
    fn source_history(&self, source: &SourceId) -> Result<Vec<(BatchId, Statement)>>;
    /// The sources of a kind in id order, each with the withdrawal in force and how many segments its current
    /// generation has: a listing of every source in one read.
    fn source_listing(&self, kind: SourceKind) -> Result<Vec<ListedSource>>;
    /// The sources a statement was added to after `version` (a [`ReadTx::statements_version`]), with their
    /// kinds, in id order: what a cache built at that version must look at again.
    fn sources_written_since(&self, version: u64) -> Result<Vec<(SourceId, SourceKind)>>;
    /// A number that grows whenever a statement is added and never otherwise (statements are never changed or
    /// deleted), so that a cache of what statements say is known to be current by one cheap read.
    fn statements_version(&self) -> Result<u64>;
    /// The newest custody events first: at most `limit`, those before sequence number `before` when given.
    fn events_newest_first(&self, before: Option<u64>, limit: usize) -> Result<Vec<CustodyEvent>>;
}

/// Which write (batch) stored something: what custody events and the rows they vouch for share. Only the store
/// makes one, so a count or a sequence number cannot be taken for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct BatchId(pub(crate) i64);

impl std::fmt::Display for BatchId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a sealed value is stored, for [`WriteTx::reseal`]: opaque, as [`ReadTx::sealed_values`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedRef(pub(crate) SealedPlace);

/// The places sealed values are stored in (row keys stay inside the store).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SealedPlace {
    /// A version of the protected block of a source generation (the source's row key, the generation, the
    /// version).
    Protected(i64, i64, i64),
    /// An attachment's original file name (the attachment's row key).
    AttachmentName(i64),
}

impl SealedRef {
    /// Whether it is a version of a protected block (otherwise an attachment's original file name).
    pub fn is_protected(&self) -> bool {
        matches!(self.0, SealedPlace::Protected(..))
    }
}

/// One stored version of a protected block: where it belongs and which write added it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProtectedVersion {
    /// The source.
    pub source: SourceId,
    /// The source generation.
    pub generation: u32,
    /// The version (from 1).
    pub version: u32,
    /// The batch that wrote it; `None` for versions written before schema version 8.
    pub batch: Option<BatchId>,
    /// SHA-256 of its sealed bytes as stored now (hex): what the custody log's events commit to.
    pub sealed_sha256: String,
}

/// A source, the batch that wrote its current generation, and whether some of that generation's segments
/// or consent records carry no batch (written before schema version 4, or behind clew's back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceBatch {
    /// The source.
    pub source: SourceId,
    /// The batch.
    pub batch: BatchId,
    /// Whether some segments or consent records of the generation carry no batch.
    pub unbatched_records: bool,
}

/// A source as listed ([`ReadTx::source_listing`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ListedSource {
    /// The source.
    pub source: Source,
    /// The withdrawal of consent in force (`all`, `publication`, `sharing`), if any.
    pub withdrawn: Option<String>,
    /// Segments of its current generation.
    pub segments: u64,
}

/// A source's consent, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsentRecord {
    /// The consent block of the current generation (JSON).
    pub record: String,
    /// The withdrawal in force (`all`, `publication`, `sharing`), if any.
    pub withdrawn: Option<String>,
}

/// One event of the custody log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustodyEvent {
    /// Sequence number, from 1 (the Merkle leaf index is one less).
    pub seq: u64,
    /// When (RFC 3339).
    pub recorded_at: String,
    /// Who.
    pub recorded_by: String,
    /// What kind of event (`import`, `attach`, `protected-read`, ...).
    pub kind: String,
    /// What it concerned (JSON; never witness data).
    pub detail: String,
    /// The leaf hash recorded when it was appended (hex in JSON).
    #[serde(serialize_with = "hex_hash")]
    pub leaf_hash: [u8; 32],
    /// The write operation (batch) it belongs to.
    pub batch: BatchId,
}

fn hex_hash<S: serde::Serializer>(hash: &[u8; 32], serializer: S) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(&hex::encode(hash))
}

/// An attachment to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// SHA-256 of the plaintext (hex): the evidentiary hash, and the blob's name.
    pub sha256: String,
    /// Plaintext size in bytes.
    pub size: u64,
    /// Media type, e.g. `audio/mpeg`.
    pub media_type: String,
    /// The original file name, sealed to the custodians.
    pub sealed_name: Vec<u8>,
    /// When metadata was stripped on ingest: the original's hash and size, and what was removed.
    pub original: Option<Original>,
}

/// The original of an attachment stripped of metadata on ingest (the blob holds the stripped file).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Original {
    /// SHA-256 of the original file (hex).
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// What was removed (`exif`, `xmp`, `iptc`, `comment`, `text`, ...).
    pub stripped: Vec<String>,
}

/// A recorded attachment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attachment {
    /// SHA-256 of the plaintext (hex).
    pub sha256: String,
    /// Plaintext size in bytes.
    pub size: u64,
    /// Media type.
    pub media_type: String,
    /// The original file name, sealed to the custodians.
    #[serde(skip)]
    pub sealed_name: Vec<u8>,
    /// Who attached it.
    pub added_by: String,
    /// When (RFC 3339).
    pub added_at: String,
    /// When metadata was stripped on ingest: the original's hash and size, and what was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<Original>,
}

/// A sanctions list kept in the project (its file is in the project's `lists/` folder under its SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredList {
    /// SHA-256 of the file (hex).
    pub sha256: String,
    /// The list's name (`UN SC consolidated list`, `OFAC SDN`, or the file's name).
    pub name: String,
    /// Its own date or version, when it gives one.
    pub version: Option<String>,
    /// The format it is read in (`un-xml`, `ofac-csv`, `ftm`, `csv`).
    pub format: String,
    /// The file's name when imported.
    pub file_name: String,
    /// How many listed entities it has.
    pub entities: u64,
    /// SHA-256 of a second file read with it (OFAC's aliases file), kept beside it.
    pub companion_sha256: Option<String>,
    /// SHA-256 of a third file read with it (OFAC's addresses file), kept beside it.
    pub addresses_sha256: Option<String>,
    /// Who imported it and when.
    pub imported_by: String,
    /// When (RFC 3339).
    pub imported_at: String,
}

/// An estimate kept in the project: what a run of `clew estimate` (or the demo) gave, as it gave it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredEstimate {
    /// Its number in the project (1 for the first kept; 0 in one not kept yet).
    pub number: u64,
    /// `population` or `revenue`.
    pub kind: String,
    /// What it estimates, in the words of whoever kept it.
    pub title: String,
    /// Whether fictional (demo) data went into it.
    pub synthetic: bool,
    /// The figures shown without the report (JSON).
    pub headline: String,
    /// The whole report (JSON).
    pub report: String,
    /// Its chart (SVG).
    pub chart: String,
    /// Who kept it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub recorded_at: String,
    /// The batch that kept it (its custody event's); `None` in one not kept yet.
    #[serde(skip)]
    pub batch: Option<BatchId>,
}

/// A reviewer's judgement on a pair of entities.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredJudgement {
    /// One entity.
    pub entity_a: String,
    /// The other.
    pub entity_b: String,
    /// `same`, `different` or `unsure`.
    pub verdict: String,
    /// Why (may be empty).
    pub note: String,
    /// Who judged.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub recorded_at: String,
    /// The note's salt (hex), for the digest its custody event carries.
    #[serde(skip)]
    pub salt: String,
    /// The batch that wrote it (its custody event's); `None` in a judgement not yet written.
    #[serde(skip)]
    pub batch: Option<BatchId>,
}

/// An account of someone who uses the project through `clew serve`, as listed (never its credentials).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    /// The name they sign in with.
    pub name: String,
    /// `admin`, `custodian`, `coder`, `analyst` or `viewer`.
    pub role: String,
    /// Whether it has a second factor (TOTP).
    pub second_factor: bool,
    /// Whether its password is a one-time password still to be changed.
    pub password_is_temporary: bool,
    /// Whether it is disabled.
    pub disabled: bool,
    /// Who made it, and when (RFC 3339).
    pub created_by: String,
    /// When it was made.
    pub created_at: String,
    /// Who last changed it, and when.
    pub changed_by: String,
    /// When it was last changed.
    pub changed_at: String,
}

/// What signs an account in: a password's Argon2id hash (PHC string), whether that password is a one-time
/// one, and the second factor's TOTP secret (base32) if it has one.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The password's Argon2id hash.
    pub password_hash: String,
    /// Whether the password must be changed at the first sign-in.
    pub password_is_temporary: bool,
    /// The TOTP secret (base32), for the roles that need a second factor.
    pub totp_secret: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never printed, not even a hash: debug output reaches logs.
        f.write_str("Credentials { .. }")
    }
}

/// An account to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// The name they sign in with.
    pub name: String,
    /// Its role.
    pub role: String,
    /// Its first credentials.
    pub credentials: Credentials,
}

/// A session to start.
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    /// The SHA-256 (hex) of its token.
    pub token_sha256: &'a str,
    /// Whose.
    pub account: &'a str,
    /// The password hash that was checked (a reset or disabling since then refuses the session).
    pub checked_hash: &'a str,
    /// Its start (Unix seconds).
    pub now: u64,
    /// Its end (Unix seconds).
    pub expires_at: u64,
}

/// Why disabling an account was refused ([`WriteTx::set_account_disabled`]).
pub(crate) const LAST_ADMIN: &str =
    "this is the last enabled admin: enable or add another admin first (someone must be able to manage accounts)";

/// A caseworker of the safe line, recorded as a custodian is: a public key, a label, who added it and when.
pub type Caseworker = Custodian;

/// A custodian as the store records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Custodian {
    /// The age public key (`age1...`).
    pub public_key: String,
    /// Who it is, in words the team understands (never a witness's name).
    pub label: String,
    /// Who added it.
    pub added_by: String,
    /// When (RFC 3339).
    pub added_at: String,
}
