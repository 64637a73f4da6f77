//! The SQLite store: one file, WAL journal, versioned transactional migrations, and a small pool of
//! connections so that many can read and one can write at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use clew_model::{
    EntityId, Name, Segment, Sensitivity, Source, SourceId, SourceKind, Statement, StatementId, Translation,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::{
    Account, Attachment, Batch, BatchId, Caseworker, ConsentRecord, Credentials, Custodian, CustodyEvent, EntityRow,
    Error, ListedSource, NewAccount, NewAttachment, NewSession, Original, ProtectedVersion, ReadTx, Result,
    SealedPlace, SealedRef, SourceBatch, SourceDraft, SourceOutcome, Stats, Store, StoredEstimate, StoredJudgement,
    StoredList, WriteTx,
};

/// Migrations in order; the database's `user_version` is the number applied.
const MIGRATIONS: [&str; 13] = [
    include_str!("../migrations/sqlite/0001_statements.sql"),
    include_str!("../migrations/sqlite/0002_attachments.sql"),
    include_str!("../migrations/sqlite/0003_stripped_attachments.sql"),
    include_str!("../migrations/sqlite/0004_record_batches.sql"),
    include_str!("../migrations/sqlite/0005_last_statement.sql"),
    include_str!("../migrations/sqlite/0006_sanctions_lists.sql"),
    include_str!("../migrations/sqlite/0007_link_judgements.sql"),
    include_str!("../migrations/sqlite/0008_protected_versions.sql"),
    include_str!("../migrations/sqlite/0009_list_addresses.sql"),
    include_str!("../migrations/sqlite/0010_accounts.sql"),
    include_str!("../migrations/sqlite/0011_estimates.sql"),
    include_str!("../migrations/sqlite/0012_statement_references.sql"),
    include_str!("../migrations/sqlite/0013_caseworkers.sql"),
];

/// An account as listed: the columns [`account_row`] reads (`a` the account, `c` and `b` its first and last batch).
const ACCOUNT_COLUMNS: &str = "SELECT a.name, a.role, a.totp_secret IS NOT NULL, a.password_is_temporary, a.disabled,
        c.recorded_by, c.recorded_at, b.recorded_by, b.recorded_at
    FROM account a JOIN batch c ON c.id = a.created_batch JOIN batch b ON b.id = a.batch";

/// An account from a row of [`ACCOUNT_COLUMNS`].
fn account_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        name: row.get(0)?,
        role: row.get(1)?,
        second_factor: row.get(2)?,
        password_is_temporary: row.get(3)?,
        disabled: row.get(4)?,
        created_by: row.get(5)?,
        created_at: row.get(6)?,
        changed_by: row.get(7)?,
        changed_at: row.get(8)?,
    })
}

/// Properties whose first value captions an entity in listings.
const CAPTION_PROPERTIES: &str = "'name','title','full','pseudonym','permitType','role'";

/// The columns `statement_from_row` reads, and the joins that give them.
const STATEMENT_SELECT: &str = "SELECT s.id, e.id, p.schema, p.name, s.value, src.id, s.locator, \
     b.recorded_by, b.recorded_at, s.confidence, s.sensitivity, s.retracts
     FROM statement s JOIN entity e ON e.key = s.entity JOIN property p ON p.key = s.property
     JOIN source src ON src.key = s.source JOIN batch b ON b.id = s.batch";

/// An active statement: neither a retraction nor retracted.
const ACTIVE: &str = "s.retracts IS NULL AND NOT EXISTS (SELECT 1 FROM statement r WHERE r.retracts = s.id)";

/// A statement whose source's consent was not withdrawn entirely.
const CONSENTED: &str = "NOT EXISTS (SELECT 1 FROM source w WHERE w.key = s.source AND w.withdrawn = 'all')";

/// The properties whose values are entity ids in clew's schema: their statements are marked (`reference`) and
/// indexed by value (`statement_reference`, migration 12, which marks the rows written before it with this same
/// list). A test checks it against the schema and the migration; sorted, for a binary search.
const REFERENCE_PROPERTIES: [&str; 27] = [
    "accommodation",
    "addressEntity",
    "asset",
    "beneficiary",
    "director",
    "dispatcher",
    "documentsHeldBy",
    "employee",
    "employer",
    "employment",
    "holder",
    "intermediary",
    "object",
    "operator",
    "organization",
    "owner",
    "payer",
    "permit",
    "person",
    "place",
    "resident",
    "subject",
    "supervisor",
    "traveller",
    "witness",
    "worker",
    "worksite",
];

/// Whether a statement of `property` names an entity (and is marked so).
fn is_reference(property: &str) -> bool {
    REFERENCE_PROPERTIES.binary_search(&property).is_ok()
}

/// The active statements of entity-valued properties whose value is an entity's id (`?1`), at most `?2`, in
/// the order recorded: found through the index of references (`statement_reference`), then each checked for a
/// retraction through `statement_retracts`.
fn statements_naming_sql() -> String {
    format!(
        "{STATEMENT_SELECT} WHERE s.value = ?1 AND s.reference = 1 AND {ACTIVE} AND src.withdrawn IS NOT 'all' \
         ORDER BY s.rowid LIMIT ?2"
    )
}

/// A store in one SQLite database file, shared by every thread that uses it.
///
/// Each snapshot and each write transaction takes a connection of its own from a small pool (opened when
/// none is idle, kept for the next when given back), so readers never wait for one another, and SQLite's
/// WAL lets them read while one writer writes. Every connection is set up alike (see [`connect`]).
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    /// Connections not in use, outside any transaction.
    idle: Mutex<Vec<Connection>>,
}

/// Idle connections kept for reuse; more can be open at once, the rest are closed when given back. A server
/// runs a few operations at once (clew-server's `OPERATIONS`), each of which may hold a snapshot and a write:
/// each should find a connection open, its page cache warm, rather than open one (and read the schema) for
/// every request.
const IDLE_CONNECTIONS: usize = 16;

/// How long an operation waits for another's write to finish before it gives up ([`Error::Busy`]).
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Opens one connection with the settings every connection of the store has.
pub(crate) fn connect(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let connection = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| Error::Io { path: path.to_path_buf(), message: e.to_string() })?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.set_prepared_statement_cache_capacity(ROWS_PER_INSERT + 32);
    // WAL: readers never block the writer; FULL: a commit that returned is on disk. Checkpointing every
    // 32 MiB of WAL rather than every 4 MiB writes a page changed by many commits back once, not each time.
    connection.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192;",
    )?;
    Ok(connection)
}

impl SqliteStore {
    /// Creates a new database (the file must not exist) and migrates it.
    pub fn create(path: &Path) -> Result<SqliteStore> {
        if path.exists() {
            return Err(Error::Io { path: path.to_path_buf(), message: "a database already exists here".into() });
        }
        // Made private (0600) before SQLite opens it, whatever the umask: it holds the witnesses' words and
        // consent. SQLite gives its WAL and shared-memory files the database file's mode.
        drop(
            clew_files::create_private_new(path)
                .map_err(|e| Error::Io { path: path.to_path_buf(), message: e.to_string() })?,
        );
        Self::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Opens an existing database, migrating it forward if it is older than this build.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        if !path.is_file() {
            return Err(Error::Io { path: path.to_path_buf(), message: "the project database is missing".into() });
        }
        Self::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<SqliteStore> {
        let mut connection = connect(path, flags)?;
        migrate(&mut connection, path, &MIGRATIONS)?;
        Ok(SqliteStore { path: path.to_path_buf(), idle: Mutex::new(vec![connection]) })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A connection of the pool (a new one when none is idle), outside any transaction.
    fn take(&self) -> Result<PooledConnection<'_>> {
        // The list is only pushed to and popped from: a panic elsewhere cannot leave it half changed.
        let idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let connection = match idle {
            Some(connection) => connection,
            None => connect(&self.path, OpenFlags::SQLITE_OPEN_READ_WRITE)?,
        };
        Ok(PooledConnection { store: self, connection: Some(connection), snapshot: false })
    }

    /// Takes a connection back, unless enough are idle already.
    fn give_back(&self, connection: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < IDLE_CONNECTIONS {
            idle.push(connection);
        }
    }
}

/// Brings the database to this build's schema version, one migration per transaction. Each takes the write
/// lock first and reads the version under it, so two programs opening an old project at once migrate it once.
pub(crate) fn migrate(connection: &mut Connection, path: &Path, migrations: &[&str]) -> Result<()> {
    let newest = migrations.len() as i64;
    // Current already (nearly always): nothing to lock, so opening never waits for another's write.
    let found: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found == newest {
        return Ok(());
    }
    loop {
        let tx = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if found > newest {
            return Err(Error::NewerSchema { path: path.to_path_buf(), found, supported: newest });
        }
        let Some(migration) = migrations.get(found as usize) else { return Ok(()) };
        tx.execute_batch(migration)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", found + 1))?;
        tx.commit()?;
    }
}

/// A connection taken from the pool: a snapshot ([`Store::read`]) or the connection of a write transaction.
/// Dropped, it ends whatever transaction is still open (rolled back) and goes back to the pool; one that
/// cannot end its transaction is closed instead.
struct PooledConnection<'s> {
    store: &'s SqliteStore,
    /// Always there until dropped.
    connection: Option<Connection>,
    /// It holds a snapshot (a read transaction), not a write transaction.
    snapshot: bool,
}

impl PooledConnection<'_> {
    fn db(&self) -> &Connection {
        #[allow(clippy::expect_used, reason = "the connection is taken out only when the guard drops")]
        self.connection.as_ref().expect("a pooled connection is there until dropped")
    }
}

impl Drop for PooledConnection<'_> {
    fn drop(&mut self) {
        let Some(connection) = self.connection.take() else { return };
        if !connection.is_autocommit() {
            let _ = connection.execute_batch("ROLLBACK");
        }
        if connection.is_autocommit() {
            self.store.give_back(connection);
        }
    }
}

impl rusqlite::ToSql for BatchId {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl rusqlite::types::FromSql for BatchId {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        i64::column_result(value).map(BatchId)
    }
}

fn sensitivity_code(sensitivity: Sensitivity) -> i64 {
    match sensitivity {
        Sensitivity::Public => 0,
        Sensitivity::Internal => 1,
        Sensitivity::Restricted => 2,
    }
}

fn sensitivity_from_code(code: i64) -> std::result::Result<Sensitivity, String> {
    match code {
        0 => Ok(Sensitivity::Public),
        1 => Ok(Sensitivity::Internal),
        2 => Ok(Sensitivity::Restricted),
        _ => Err(format!("unknown sensitivity code {code}")),
    }
}

fn id_from_blob(blob: &[u8]) -> std::result::Result<StatementId, String> {
    let bytes: [u8; 16] = blob.try_into().map_err(|_| "a statement id is not 16 bytes".to_string())?;
    Ok(StatementId::from_bytes(bytes))
}

const EVENT_SELECT: &str = "SELECT e.seq, b.recorded_at, b.recorded_by, e.kind, e.detail, e.leaf_hash, e.batch
     FROM custody_event e JOIN batch b ON b.id = e.batch";

/// Adds one statement to a batch digest, each field separated.
fn hash_statement(
    hasher: &mut sha2::Sha256,
    id: &[u8],
    texts: [&str; 6],
    confidence: f64,
    sensitivity: i64,
    retracts: Option<&[u8]>,
) {
    use sha2::Digest;
    hasher.update(id);
    for text in texts {
        hasher.update(text.as_bytes());
        hasher.update([0x1f]);
    }
    // `+ 0.0` turns -0.0 into 0.0, as the database does.
    hasher.update((confidence + 0.0).to_be_bytes());
    hasher.update(sensitivity.to_be_bytes());
    hasher.update(retracts.unwrap_or_default());
    hasher.update([0x1e]);
}

/// What a hasher has taken so far, as lower-case hex.
fn hex_digest(hasher: &sha2::Sha256) -> String {
    use sha2::Digest;
    hex::encode(hasher.clone().finalize())
}

/// How much of the database file a scan maps (a limit, not an allocation: pages are the page cache's).
const SCAN_MMAP_BYTES: i64 = 1 << 40;

/// The database file memory-mapped for the length of a whole-table scan in a snapshot: the scan then reads pages
/// in place instead of copying each one (about a fifth faster). SQLite maps for reading only; writes still go
/// through the journal, so the mapping changes nothing about durability. Only scans map: other reads would
/// count the file's pages they touch as the program's memory.
struct ScanMapping<'c> {
    connection: Option<&'c Connection>,
}

impl<'c> ScanMapping<'c> {
    fn begin(connection: &'c PooledConnection<'_>) -> Result<ScanMapping<'c>> {
        // Inside a write transaction nothing is mapped (as before there were snapshots).
        if !connection.snapshot {
            return Ok(ScanMapping { connection: None });
        }
        connection.db().execute_batch(&format!("PRAGMA mmap_size = {SCAN_MMAP_BYTES}"))?;
        Ok(ScanMapping { connection: Some(connection.db()) })
    }
}

impl Drop for ScanMapping<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection {
            let _ = connection.execute_batch("PRAGMA mmap_size = 0");
        }
    }
}

/// Adds text fields to a hash, each length-prefixed (`None` is distinct from any text).
fn hash_fields(hasher: &mut sha2::Sha256, fields: &[Option<&str>]) {
    use sha2::Digest;
    for field in fields {
        match field {
            Some(text) => {
                hasher.update([1]);
                hasher.update((text.len() as u64).to_be_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update([0]),
        }
    }
}

/// The digests of one source generation's records: its segments (in id order) and its consent record.
#[derive(Default, Clone)]
struct RecordDigests {
    segments: sha2::Sha256,
    consent: sha2::Sha256,
}

/// SHA-256 (hex) over the records of a batch: for each source generation, in order of source key and
/// generation, its key, generation, and the digests of its segments and consent.
fn records_digest(records: &std::collections::BTreeMap<(i64, i64), RecordDigests>) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    for ((source, generation), digests) in records {
        hasher.update(source.to_be_bytes());
        hasher.update(generation.to_be_bytes());
        hasher.update(digests.segments.clone().finalize());
        hasher.update(digests.consent.clone().finalize());
    }
    hex_digest(&hasher)
}

/// SHA-256 (hex) over the statements of a batch, recomputed from the table, in the order written.
fn batch_digest(connection: &Connection, batch: BatchId) -> Result<String> {
    use sha2::Sha256;
    let mut query = connection.prepare_cached(
        "SELECT s.id, e.id, p.schema, p.name, s.value, src.id, s.locator, s.confidence, s.sensitivity, s.retracts
         FROM statement s JOIN entity e ON e.key = s.entity JOIN property p ON p.key = s.property
         JOIN source src ON src.key = s.source WHERE s.batch = ?1 ORDER BY s.rowid",
    )?;
    let mut rows = query.query([batch])?;
    let mut hasher = <Sha256 as sha2::Digest>::new();
    while let Some(row) = rows.next()? {
        let id: Vec<u8> = row.get(0)?;
        let text = |index| row.get_ref(index).map(|v| v.as_str().unwrap_or(""));
        let texts = [text(1)?, text(2)?, text(3)?, text(4)?, text(5)?, text(6)?];
        let retracts: Option<Vec<u8>> = row.get(9)?;
        hash_statement(&mut hasher, &id, texts, row.get(7)?, row.get(8)?, retracts.as_deref());
    }
    Ok(hex_digest(&hasher))
}

fn event_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<std::result::Result<CustodyEvent, String>> {
    let leaf: Vec<u8> = row.get(5)?;
    let Ok(leaf_hash) = <[u8; 32]>::try_from(leaf) else {
        return Ok(Err("a custody event's leaf hash is not 32 bytes".to_string()));
    };
    Ok(Ok(CustodyEvent {
        seq: row.get::<_, i64>(0)? as u64,
        recorded_at: row.get(1)?,
        recorded_by: row.get(2)?,
        kind: row.get(3)?,
        detail: row.get(4)?,
        leaf_hash,
        batch: row.get(6)?,
    }))
}

fn statement_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<std::result::Result<Statement, String>> {
    let id: Vec<u8> = row.get(0)?;
    let entity_id: String = row.get(1)?;
    let source_id: String = row.get(5)?;
    let sensitivity: i64 = row.get(10)?;
    let retracts: Option<Vec<u8>> = row.get(11)?;
    let schema: String = row.get(2)?;
    let property: String = row.get(3)?;
    let value: String = row.get(4)?;
    let locator: String = row.get(6)?;
    let recorded_by: String = row.get(7)?;
    let recorded_at: String = row.get(8)?;
    let confidence: f64 = row.get(9)?;
    Ok((|| {
        Ok(Statement {
            id: id_from_blob(&id)?,
            entity_id: EntityId::new(&entity_id)?,
            schema: schema.into(),
            property: property.into(),
            value,
            source_id: SourceId::new(&source_id)?,
            locator,
            recorded_by,
            recorded_at,
            confidence,
            sensitivity: sensitivity_from_code(sensitivity)?,
            retracts: retracts.as_deref().map(id_from_blob).transpose()?,
        })
    })())
}

/// Hands `visit` each entity's statements, from rows in entity order.
fn visit_by_entity(
    mut rows: impl Iterator<Item = rusqlite::Result<std::result::Result<Statement, String>>>,
    visit: &mut dyn FnMut(EntityId, Vec<Statement>) -> Result<()>,
) -> Result<()> {
    let mut current: Option<EntityId> = None;
    let mut group = Vec::new();
    loop {
        let next = rows.next().transpose()?.map(|r| r.map_err(Error::Corrupt)).transpose()?;
        let boundary = match (&next, &current) {
            (Some(statement), Some(id)) => statement.entity_id != *id,
            (None, Some(_)) => true,
            _ => false,
        };
        if boundary && let Some(id) = current.take() {
            visit(id, std::mem::take(&mut group))?;
        }
        match next {
            Some(statement) => {
                current = Some(statement.entity_id.clone());
                group.push(statement);
            }
            None => return Ok(()),
        }
    }
}

fn collect_statements(
    rows: impl Iterator<Item = rusqlite::Result<std::result::Result<Statement, String>>>,
) -> Result<Vec<Statement>> {
    let mut statements = Vec::new();
    for row in rows {
        statements.push(row?.map_err(Error::Corrupt)?);
    }
    Ok(statements)
}

impl Store for SqliteStore {
    fn write(&self, batch: &Batch) -> Result<Box<dyn WriteTx + '_>> {
        let connection = self.take()?;
        // IMMEDIATE: the write lock is taken now (waiting up to the busy timeout), not at the first write, so a
        // transaction never fails midway because another began writing after it began reading.
        connection.db().execute_batch("BEGIN IMMEDIATE")?;
        let tx = connection.db();
        tx.execute(
            "INSERT INTO batch (recorded_by, recorded_at, operation) VALUES (?1, ?2, ?3)",
            params![batch.recorded_by, batch.recorded_at, batch.operation],
        )?;
        let batch_id = BatchId(tx.last_insert_rowid());
        let mut properties = HashMap::new();
        {
            let mut query = tx.prepare("SELECT key, schema, name FROM property")?;
            let rows = query
                .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?)))?;
            for row in rows {
                let (key, schema, name) = row?;
                properties.insert((schema, name), key);
            }
        }
        Ok(Box::new(SqliteWriteTx {
            connection,
            batch_id,
            properties,
            sources: HashMap::new(),
            touched: std::collections::HashSet::new(),
            entities: HashMap::new(),
            digest: <sha2::Sha256 as sha2::Digest>::new(),
            records: std::collections::BTreeMap::new(),
            protected: Vec::new(),
        }))
    }

    fn read(&self) -> Result<Box<dyn ReadTx + '_>> {
        let mut connection = self.take()?;
        connection.snapshot = true;
        connection.db().execute_batch("BEGIN DEFERRED")?;
        // A deferred transaction takes its snapshot at its first read, not at BEGIN: read now, so that the
        // snapshot is the project as it is when `read` returns.
        connection.db().query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
        Ok(Box::new(connection))
    }
}

impl ReadTx for PooledConnection<'_> {
    fn source(&self, id: &SourceId) -> Result<Option<Source>> {
        let row = self
            .db()
            .prepare_cached(
                "SELECT s.id, s.kind, s.title, s.content_hash, s.synthetic, s.generation, b.recorded_at, b.recorded_by
                 FROM source s JOIN batch b ON b.id = s.batch WHERE s.id = ?1",
            )?
            .query_row([id.as_str()], |row| {
                Ok((
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, bool>(4)?,
                    row.get::<_, u32>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, String>(7)?,
                ))
            })
            .optional()?;
        let Some((kind, title, content_hash, synthetic, generation, imported_at, imported_by)) = row else {
            return Ok(None);
        };
        let kind = SourceKind::parse(&kind).ok_or_else(|| Error::Corrupt(format!("unknown source kind `{kind}`")))?;
        Ok(Some(Source { id: id.clone(), kind, title, content_hash, synthetic, generation, imported_at, imported_by }))
    }

    fn statements_for_entity(&self, id: &EntityId) -> Result<Vec<Statement>> {
        let mut query = self.db().prepare_cached(&format!(
            "{STATEMENT_SELECT} WHERE e.id = ?1 AND src.withdrawn IS NOT 'all' ORDER BY s.rowid"
        ))?;
        let rows = query.query_map([id.as_str()], statement_from_row)?;
        collect_statements(rows)
    }

    fn statements_naming(&self, id: &EntityId, limit: usize) -> Result<Vec<Statement>> {
        let mut query = self.db().prepare_cached(&statements_naming_sql())?;
        let limit = limit.min(i64::MAX as usize) as i64;
        let rows = query.query_map(params![id.as_str(), limit], statement_from_row)?;
        collect_statements(rows)
    }

    fn list_entities(&self, schemata: &[String], after: Option<&EntityId>, limit: usize) -> Result<Vec<EntityRow>> {
        let schema_filter = if schemata.is_empty() {
            String::new()
        } else {
            format!("AND e.schema IN ({})", vec!["?"; schemata.len()].join(","))
        };
        let sql = format!(
            "SELECT e.id, e.schema,
                (SELECT s.value FROM statement s WHERE s.entity = e.key AND {ACTIVE} AND {CONSENTED}
                   AND s.property IN (SELECT key FROM property WHERE name IN ({CAPTION_PROPERTIES}))
                 ORDER BY s.rowid LIMIT 1)
             FROM entity e WHERE e.id > ? {schema_filter}
               AND EXISTS (SELECT 1 FROM statement s WHERE s.entity = e.key AND {ACTIVE} AND {CONSENTED})
             ORDER BY e.id LIMIT ?"
        );
        let mut query = self.db().prepare(&sql)?;
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::new();
        let after = after.map(EntityId::as_str).unwrap_or("");
        values.push(&after);
        for schema in schemata {
            values.push(schema);
        }
        let limit = limit.min(i64::MAX as usize) as i64;
        values.push(&limit);
        let rows = query.query_map(values.as_slice(), |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, Option<String>>(2)?))
        })?;
        let mut entities = Vec::new();
        for row in rows {
            let (id, schema, caption) = row?;
            entities.push(EntityRow { id: EntityId::new(&id).map_err(Error::Corrupt)?, schema, caption });
        }
        Ok(entities)
    }

    fn for_each_entity(&self, visit: &mut dyn FnMut(EntityId, Vec<Statement>) -> Result<()>) -> Result<()> {
        // In the order entities were first recorded: the entity index gives it without sorting in memory.
        let mut query =
            self.db().prepare(&format!("{STATEMENT_SELECT} WHERE src.withdrawn IS NULL ORDER BY s.entity, s.rowid"))?;
        visit_by_entity(query.query_map([], statement_from_row)?, visit)
    }

    fn for_each_entity_with(
        &self,
        properties: &[&str],
        visit: &mut dyn FnMut(EntityId, Vec<Statement>) -> Result<()>,
    ) -> Result<()> {
        let places = vec!["?"; properties.len()].join(", ");
        let mut query = self.db().prepare(&format!(
            "{STATEMENT_SELECT} WHERE src.withdrawn IS NULL AND p.name IN ({places}) ORDER BY s.entity, s.rowid"
        ))?;
        visit_by_entity(query.query_map(rusqlite::params_from_iter(properties), statement_from_row)?, visit)
    }

    fn segment(&self, source: &SourceId, segment: &str) -> Result<Option<Segment>> {
        let mut query = self.db().prepare_cached(
            "SELECT g.lang, g.text, g.translation_lang, g.translation_text FROM segment g
             JOIN source s ON s.key = g.source AND s.generation = g.generation
             WHERE s.id = ?1 AND g.id = ?2",
        )?;
        let found = query
            .query_row(params![source.as_str(), segment], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                ))
            })
            .optional()?;
        Ok(found.map(|(lang, text, translation_lang, translation_text)| Segment {
            id: segment.to_string(),
            lang,
            text,
            translation: match (translation_lang, translation_text) {
                (Some(lang), Some(text)) => Some(Translation { lang, text }),
                _ => None,
            },
        }))
    }

    fn sanctions_lists(&self) -> Result<Vec<StoredList>> {
        let mut query = self.db().prepare(
            "SELECT l.sha256, l.name, l.version, l.format, l.file_name, l.entities, b.recorded_by, b.recorded_at,
                    l.companion_sha256, l.addresses_sha256
             FROM sanctions_list l JOIN batch b ON b.id = l.batch ORDER BY l.key",
        )?;
        let rows = query.query_map([], |row| {
            Ok(StoredList {
                sha256: row.get(0)?,
                name: row.get(1)?,
                version: row.get(2)?,
                format: row.get(3)?,
                file_name: row.get(4)?,
                entities: row.get::<_, i64>(5)? as u64,
                imported_by: row.get(6)?,
                imported_at: row.get(7)?,
                companion_sha256: row.get(8)?,
                addresses_sha256: row.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn estimates(&self) -> Result<Vec<StoredEstimate>> {
        let mut query = self.db().prepare(
            "SELECT e.kind, e.title, e.synthetic, e.headline, e.report, e.chart, b.recorded_by, b.recorded_at, e.batch,
                    e.key
             FROM estimate e JOIN batch b ON b.id = e.batch ORDER BY e.key DESC",
        )?;
        let rows = query.query_map([], |row| {
            Ok(StoredEstimate {
                number: row.get::<_, i64>(9)? as u64,
                kind: row.get(0)?,
                title: row.get(1)?,
                synthetic: row.get(2)?,
                headline: row.get(3)?,
                report: row.get(4)?,
                chart: row.get(5)?,
                recorded_by: row.get(6)?,
                recorded_at: row.get(7)?,
                batch: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn link_judgements(&self) -> Result<Vec<StoredJudgement>> {
        let mut query = self.db().prepare(
            "SELECT j.entity_a, j.entity_b, j.verdict, j.note, b.recorded_by, b.recorded_at, j.salt, j.batch
             FROM link_judgement j JOIN batch b ON b.id = j.batch ORDER BY j.key",
        )?;
        let rows = query.query_map([], |row| {
            Ok(StoredJudgement {
                entity_a: row.get(0)?,
                entity_b: row.get(1)?,
                verdict: row.get(2)?,
                note: row.get(3)?,
                recorded_by: row.get(4)?,
                recorded_at: row.get(5)?,
                salt: row.get(6)?,
                batch: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn custodians(&self) -> Result<Vec<Custodian>> {
        key_holders(self.db(), KeyTable::Custodian)
    }

    fn caseworkers(&self) -> Result<Vec<Caseworker>> {
        key_holders(self.db(), KeyTable::Caseworker)
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        let mut query = self.db().prepare(&format!("{ACCOUNT_COLUMNS} ORDER BY a.name"))?;
        let rows = query.query_map([], account_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn account_credentials(&self, name: &str) -> Result<Option<(Account, Credentials)>> {
        let found = self
            .db()
            .query_row(
                "SELECT a.password_hash, a.password_is_temporary, a.totp_secret FROM account a WHERE a.name = ?1",
                [name],
                |row| {
                    Ok(Credentials {
                        password_hash: row.get(0)?,
                        password_is_temporary: row.get(1)?,
                        totp_secret: row.get(2)?,
                    })
                },
            )
            .optional()?;
        let Some(credentials) = found else { return Ok(None) };
        let account = self.db().query_row(&format!("{ACCOUNT_COLUMNS} WHERE a.name = ?1"), [name], account_row)?;
        Ok(Some((account, credentials)))
    }

    fn api_token_account(&self, token_sha256: &str) -> Result<Option<Account>> {
        Ok(self
            .db()
            .query_row(
                &format!("{ACCOUNT_COLUMNS} JOIN api_token t ON t.account = a.name WHERE t.token_sha256 = ?1 AND t.revoked = 0"),
                [token_sha256],
                account_row,
            )
            .optional()?)
    }

    fn session_account(&self, token_sha256: &str, now: u64) -> Result<Option<Account>> {
        Ok(self
            .db()
            .query_row(
                &format!(
                    "{ACCOUNT_COLUMNS} JOIN session s ON s.account = a.name WHERE s.token_sha256 = ?1 AND s.expires_at > ?2"
                ),
                params![token_sha256, i64::try_from(now).unwrap_or(i64::MAX)],
                account_row,
            )
            .optional()?)
    }

    fn all_attachments(&self) -> Result<Vec<(SourceId, String)>> {
        let mut query = self
            .db()
            .prepare("SELECT s.id, a.sha256 FROM attachment a JOIN source s ON s.key = a.source ORDER BY a.key")?;
        let rows = query.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
        let mut all = Vec::new();
        for row in rows {
            let (source, sha256) = row?;
            all.push((SourceId::new(&source).map_err(Error::Corrupt)?, sha256));
        }
        Ok(all)
    }

    fn batch_digest(&self, batch: BatchId) -> Result<String> {
        batch_digest(self.db(), batch)
    }

    fn statement_batches(&self) -> Result<Vec<BatchId>> {
        let mut query = self.db().prepare("SELECT DISTINCT batch FROM statement ORDER BY batch")?;
        let rows = query.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<BatchId>>>()?)
    }

    fn events(&self, after: u64, limit: usize) -> Result<Vec<CustodyEvent>> {
        let mut events = Vec::new();
        let mut query = self.db().prepare(&format!("{EVENT_SELECT} WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2"))?;
        let limit = limit.min(i64::MAX as usize) as i64;
        // Sequence numbers are SQLite integers: nothing lies past i64::MAX, and `as` would wrap to negative.
        let after = after.min(i64::MAX as u64) as i64;
        let rows = query.query_map(params![after, limit], event_from_row)?;
        for row in rows {
            events.push(row?.map_err(Error::Corrupt)?);
        }
        Ok(events)
    }

    fn events_newest_first(&self, before: Option<u64>, limit: usize) -> Result<Vec<CustodyEvent>> {
        let mut events = Vec::new();
        let mut query = self.db().prepare(&format!("{EVENT_SELECT} WHERE e.seq < ?1 ORDER BY e.seq DESC LIMIT ?2"))?;
        let limit = limit.min(i64::MAX as usize) as i64;
        let before = before.map_or(i64::MAX, |b| b.min(i64::MAX as u64) as i64);
        let rows = query.query_map(params![before, limit], event_from_row)?;
        for row in rows {
            events.push(row?.map_err(Error::Corrupt)?);
        }
        Ok(events)
    }

    fn for_each_event(&self, visit: &mut dyn FnMut(CustodyEvent) -> Result<()>) -> Result<()> {
        let mut query = self.db().prepare(&format!("{EVENT_SELECT} ORDER BY e.seq"))?;
        let rows = query.query_map([], event_from_row)?;
        for row in rows {
            visit(row?.map_err(Error::Corrupt)?)?;
        }
        Ok(())
    }

    fn source_statements(&self, source: &SourceId) -> Result<Vec<Statement>> {
        let mut query =
            self.db().prepare_cached(&format!("{STATEMENT_SELECT} WHERE src.id = ?1 AND {ACTIVE} ORDER BY s.rowid"))?;
        let rows = query.query_map([source.as_str()], statement_from_row)?;
        collect_statements(rows)
    }

    fn segments(&self, source: &SourceId) -> Result<Vec<Segment>> {
        let mut query = self.db().prepare_cached(
            "SELECT g.id, g.lang, g.text, g.translation_lang, g.translation_text FROM segment g
             JOIN source s ON s.key = g.source AND s.generation = g.generation
             WHERE s.id = ?1 ORDER BY g.id",
        )?;
        let rows = query.query_map([source.as_str()], |row| {
            let translation = match (row.get::<_, Option<String>>(3)?, row.get::<_, Option<String>>(4)?) {
                (Some(lang), Some(text)) => Some(Translation { lang, text }),
                _ => None,
            };
            Ok(Segment { id: row.get(0)?, lang: row.get(1)?, text: row.get(2)?, translation })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn consent(&self, source: &SourceId) -> Result<Option<ConsentRecord>> {
        Ok(self
            .db()
            .prepare_cached(
                "SELECT c.record, s.withdrawn FROM consent c
                 JOIN source s ON s.key = c.source AND s.generation = c.generation WHERE s.id = ?1",
            )?
            .query_row([source.as_str()], |row| Ok(ConsentRecord { record: row.get(0)?, withdrawn: row.get(1)? }))
            .optional()?)
    }

    fn source_batches(&self) -> Result<Vec<SourceBatch>> {
        let mut query = self.db().prepare(
            "SELECT s.id, s.batch,
                 EXISTS (SELECT 1 FROM segment g WHERE g.source = s.key AND g.generation = s.generation
                         AND g.batch IS NULL)
                 OR EXISTS (SELECT 1 FROM consent c WHERE c.source = s.key AND c.generation = s.generation
                         AND c.batch IS NULL)
             FROM source s ORDER BY s.key",
        )?;
        let rows = query.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?)))?;
        let mut sources = Vec::new();
        for row in rows {
            let (id, batch, unbatched_records) = row?;
            sources.push(SourceBatch { source: SourceId::new(&id).map_err(Error::Corrupt)?, batch, unbatched_records });
        }
        Ok(sources)
    }

    fn sources_of_kind(&self, kind: SourceKind) -> Result<Vec<(SourceId, Option<String>)>> {
        let mut query = self.db().prepare("SELECT id, withdrawn FROM source WHERE kind = ?1 ORDER BY key")?;
        let rows = query.query_map([kind.as_str()], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?;
        let mut sources = Vec::new();
        for row in rows {
            let (id, withdrawn) = row?;
            sources.push((SourceId::new(&id).map_err(Error::Corrupt)?, withdrawn));
        }
        Ok(sources)
    }

    fn consent_records(&self) -> Result<Vec<(SourceId, ConsentRecord)>> {
        let mut query = self.db().prepare(
            "SELECT s.id, c.record, s.withdrawn FROM consent c
             JOIN source s ON s.key = c.source AND s.generation = c.generation ORDER BY s.key",
        )?;
        let rows = query.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, ConsentRecord { record: row.get(1)?, withdrawn: row.get(2)? }))
        })?;
        let mut records = Vec::new();
        for row in rows {
            let (id, record) = row?;
            records.push((SourceId::new(&id).map_err(Error::Corrupt)?, record));
        }
        Ok(records)
    }

    fn source_events(&self, source: &SourceId) -> Result<Vec<CustodyEvent>> {
        let mut query = self.db().prepare_cached(&format!(
            "{EVENT_SELECT} WHERE e.batch IN (
                 SELECT DISTINCT st.batch FROM statement st JOIN source s ON s.key = st.source WHERE s.id = ?1
                 UNION SELECT a.batch FROM attachment a JOIN source s ON s.key = a.source WHERE s.id = ?1)
             ORDER BY e.seq"
        ))?;
        let rows = query.query_map([source.as_str()], event_from_row)?;
        let mut events = Vec::new();
        for row in rows {
            events.push(row?.map_err(Error::Corrupt)?);
        }
        Ok(events)
    }

    fn records_digests(&self) -> Result<HashMap<BatchId, String>> {
        let mut by_batch: HashMap<BatchId, std::collections::BTreeMap<(i64, i64), RecordDigests>> = HashMap::new();
        let mut query = self.db().prepare(
            "SELECT batch, source, generation, id, lang, text, translation_lang, translation_text FROM segment
             WHERE batch IS NOT NULL ORDER BY source, generation, id",
        )?;
        let mut rows = query.query([])?;
        while let Some(row) = rows.next()? {
            let text = |index| row.get_ref(index).map(|v| v.as_str().ok());
            let digests = by_batch.entry(row.get(0)?).or_default().entry((row.get(1)?, row.get(2)?)).or_default();
            hash_fields(&mut digests.segments, &[text(3)?, text(4)?, text(5)?, text(6)?, text(7)?]);
        }
        let mut query =
            self.db().prepare("SELECT batch, source, generation, record FROM consent WHERE batch IS NOT NULL")?;
        let mut rows = query.query([])?;
        while let Some(row) = rows.next()? {
            let record = row.get_ref(3)?.as_str().ok();
            let digests = by_batch.entry(row.get(0)?).or_default().entry((row.get(1)?, row.get(2)?)).or_default();
            hash_fields(&mut digests.consent, &[record]);
        }
        Ok(by_batch.into_iter().map(|(batch, records)| (batch, records_digest(&records))).collect())
    }

    fn for_each_testimony(
        &self,
        schemata: &[&str],
        visit: &mut dyn FnMut(SourceId, Vec<Statement>) -> Result<()>,
    ) -> Result<()> {
        // One pass over the statement table in its own order (sequential pages, no index lookups), with
        // each testimony's statements gathered until the pass is beyond the last of them (`last_statement`).
        // The queries read one snapshot: a write committed meanwhile cannot split a testimony.
        let _mapping = ScanMapping::begin(self)?;
        // Source key → (id until handed over, rowid of its last statement).
        let mut testimonies: HashMap<i64, (Option<SourceId>, i64)> = HashMap::new();
        {
            let mut query = self.db().prepare(
                "SELECT key, id, last_statement FROM source
                 WHERE kind = 'testimony' AND withdrawn IS NOT 'all' AND last_statement IS NOT NULL",
            )?;
            let rows = query.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get(2)?)))?;
            for row in rows {
                let (key, id, last) = row?;
                testimonies.insert(key, (Some(SourceId::new(&id).map_err(Error::Corrupt)?), last));
            }
        }
        // Property key → (schema, name), for the schemata asked for (all when none are named).
        let mut properties: HashMap<i64, (Name, Name)> = HashMap::new();
        {
            let mut query = self.db().prepare("SELECT key, schema, name FROM property")?;
            let rows = query.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?)))?;
            for row in rows {
                let (key, schema, name): (i64, String, String) = row?;
                if schemata.is_empty() || schemata.contains(&schema.as_str()) {
                    properties.insert(key, (schema.into(), name.into()));
                }
            }
        }
        let filter = if schemata.is_empty() {
            String::new()
        } else {
            let keys: Vec<String> = properties.keys().map(i64::to_string).collect();
            format!("WHERE s.property IN ({})", keys.join(","))
        };
        // What coders added to or retracted in a testimony (its `code:` source: few statements, read apart)
        // goes with the testimony's own statements, so that a coder's correction counts wherever they do.
        let mut coded: HashMap<SourceId, Vec<Statement>> = HashMap::new();
        {
            let mut sources = self.db().prepare("SELECT key, id FROM source WHERE kind = 'coding'")?;
            let sources = sources
                .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // Source by source, through the (source, id) index: a join on the source's kind would scan every
            // statement.
            let mut query = self.db().prepare(&format!("{STATEMENT_SELECT} WHERE s.source = ?1 ORDER BY s.rowid"))?;
            for (key, id) in sources {
                let Some(testimony) = id.strip_prefix("code:") else { continue };
                let testimony = SourceId::new(testimony).map_err(Error::Corrupt)?;
                let rows = query.query_map([key], statement_from_row)?;
                for statement in collect_statements(rows)? {
                    if !schemata.is_empty() && !schemata.contains(&statement.schema.as_str()) {
                        continue;
                    }
                    coded.entry(testimony.clone()).or_default().push(Statement {
                        recorded_by: String::new(),
                        recorded_at: String::new(),
                        ..statement
                    });
                }
            }
        }
        let mut query = self.db().prepare(&format!(
            "SELECT s.rowid, s.source, s.id, s.entity, e.id, s.property, s.value, s.locator, s.confidence,
                    s.sensitivity, s.retracts
             FROM statement s JOIN entity e ON e.key = s.entity {filter} ORDER BY s.rowid"
        ))?;
        let mut rows = query.query([])?;
        // The statements gathered so far of testimonies the scan has not passed the end of; the current
        // source's are kept apart (consecutive rows mostly share a source, so this saves a lookup per row).
        let mut open: HashMap<i64, Vec<Statement>> = HashMap::new();
        let mut current: Option<(i64, SourceId, i64, Vec<Statement>)> = None;
        let mut closing: std::collections::BinaryHeap<std::cmp::Reverse<(i64, i64)>> =
            std::collections::BinaryHeap::new();
        let mut emit = |id: SourceId, mut group: Vec<Statement>| -> Result<()> {
            if let Some(coders) = coded.remove(&id) {
                group.extend(coders);
            }
            let retracted: std::collections::HashSet<StatementId> =
                group.iter().filter_map(|s| s.retracts.clone()).collect();
            let active: Vec<Statement> =
                group.into_iter().filter(|s| s.retracts.is_none() && !retracted.contains(&s.id)).collect();
            visit(id, active)
        };
        let corrupt = |rowid: i64, what: &str| Error::Corrupt(format!("statement {rowid}: {what}"));
        let behind = |rowid| corrupt(rowid, "its source's `last_statement` is behind it (run `clew verify`)");
        // The entity of the previous row: a testimony's statements come grouped by entity.
        let mut entity: Option<(i64, EntityId)> = None;
        loop {
            // The rowid the scan has reached (past every row at the end), after taking in this row.
            let reached = match rows.next()? {
                None => i64::MAX,
                Some(row) => {
                    let rowid: i64 = row.get(0)?;
                    let source: i64 = row.get(1)?;
                    if current.as_ref().is_none_or(|(key, ..)| *key != source) {
                        if let Some((key, _, _, group)) = current.take() {
                            open.insert(key, group);
                        }
                        if let Some((id, last)) = testimonies.get(&source) {
                            let id = id.clone().filter(|_| rowid <= *last).ok_or_else(|| behind(rowid))?;
                            let group = open.remove(&source).unwrap_or_else(|| {
                                closing.push(std::cmp::Reverse((*last, source)));
                                Vec::with_capacity(64)
                            });
                            current = Some((source, id, *last, group));
                        }
                    }
                    if let Some((_, source_id, last, group)) = current.as_mut().filter(|(key, ..)| *key == source) {
                        if rowid > *last {
                            return Err(behind(rowid));
                        }
                        let entity_key: i64 = row.get(3)?;
                        let entity_id = match &entity {
                            Some((key, id)) if *key == entity_key => id.clone(),
                            _ => {
                                let text = row.get_ref(4)?.as_str().map_err(|e| corrupt(rowid, &e.to_string()))?;
                                let id = EntityId::new(text).map_err(|e| corrupt(rowid, &e))?;
                                entity = Some((entity_key, id.clone()));
                                id
                            }
                        };
                        let property_key: i64 = row.get(5)?;
                        let (schema, property) =
                            properties.get(&property_key).ok_or_else(|| corrupt(rowid, "unknown property"))?;
                        let text = |index| row.get_ref(index).map(|v| v.as_str().unwrap_or("").to_string());
                        let blob = |index| row.get_ref(index).map(|v| v.as_blob_or_null().ok().flatten());
                        group.push(Statement {
                            id: id_from_blob(blob(2)?.unwrap_or_default()).map_err(|e| corrupt(rowid, &e))?,
                            entity_id,
                            schema: schema.clone(),
                            property: property.clone(),
                            value: text(6)?,
                            source_id: source_id.clone(),
                            locator: text(7)?,
                            recorded_by: String::new(),
                            recorded_at: String::new(),
                            confidence: row.get(8)?,
                            sensitivity: sensitivity_from_code(row.get(9)?).map_err(Error::Corrupt)?,
                            retracts: blob(10)?.map(id_from_blob).transpose().map_err(|e| corrupt(rowid, &e))?,
                        });
                    }
                    rowid
                }
            };
            while closing.peek().is_some_and(|std::cmp::Reverse((end, _))| *end <= reached) {
                let Some(std::cmp::Reverse((_, done))) = closing.pop() else { break };
                let group = if current.as_ref().is_some_and(|(key, ..)| *key == done) {
                    current.take().map(|(.., group)| group)
                } else {
                    open.remove(&done)
                };
                // Handed over: any later statement of this source is one `last_statement` missed.
                let id = testimonies.get_mut(&done).and_then(|(id, _)| id.take());
                if let (Some(group), Some(id)) = (group, id) {
                    emit(id, group)?;
                }
            }
            if reached == i64::MAX {
                return Ok(());
            }
        }
    }

    fn stale_last_statements(&self) -> Result<Vec<SourceId>> {
        let mut query = self.db().prepare(
            "SELECT id FROM source WHERE last_statement IS NOT (SELECT max(rowid) FROM statement WHERE source = key)
             ORDER BY id",
        )?;
        let rows = query.query_map([], |row| row.get::<_, String>(0))?;
        rows.map(|id| SourceId::new(&id?).map_err(Error::Corrupt)).collect()
    }

    fn batch_statements(&self, batch: BatchId) -> Result<Vec<Statement>> {
        let mut query = self.db().prepare(&format!("{STATEMENT_SELECT} WHERE s.batch = ?1 ORDER BY s.rowid"))?;
        let rows = query.query_map([batch], statement_from_row)?;
        collect_statements(rows)
    }

    fn sealed_values(&self) -> Result<Vec<(SealedRef, Vec<u8>)>> {
        let mut values = Vec::new();
        let mut query = self.db().prepare(
            "SELECT source, generation, version, sealed FROM protected ORDER BY source, generation, version",
        )?;
        for row in query.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))? {
            let (source, generation, version, sealed) = row?;
            values.push((SealedRef(SealedPlace::Protected(source, generation, version)), sealed));
        }
        let mut query = self.db().prepare("SELECT key, sealed_name FROM attachment ORDER BY key")?;
        for row in query.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))? {
            let (key, sealed) = row?;
            values.push((SealedRef(SealedPlace::AttachmentName(key)), sealed));
        }
        Ok(values)
    }

    fn attachments(&self, source: &SourceId) -> Result<Vec<Attachment>> {
        let mut query = self.db().prepare_cached(
            "SELECT a.sha256, a.size, a.media_type, a.sealed_name, b.recorded_by, b.recorded_at,
                    a.original_sha256, a.original_size, a.stripped
             FROM attachment a JOIN source s ON s.key = a.source JOIN batch b ON b.id = a.batch
             WHERE s.id = ?1 ORDER BY a.key",
        )?;
        let rows = query.query_map([source.as_str()], |row| {
            Ok(Attachment {
                sha256: row.get(0)?,
                size: row.get(1)?,
                media_type: row.get(2)?,
                sealed_name: row.get(3)?,
                added_by: row.get(4)?,
                added_at: row.get(5)?,
                original: match (row.get::<_, Option<String>>(6)?, row.get::<_, Option<u64>>(7)?) {
                    (Some(sha256), Some(size)) => Some(Original {
                        sha256,
                        size,
                        stripped: row
                            .get::<_, Option<String>>(8)?
                            .map(|s| s.split(',').filter(|p| !p.is_empty()).map(String::from).collect())
                            .unwrap_or_default(),
                    }),
                    _ => None,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn protected(&self, source: &SourceId) -> Result<Option<Vec<u8>>> {
        Ok(self
            .db()
            .query_row(
                "SELECT p.sealed FROM protected p JOIN source s ON s.key = p.source AND s.generation = p.generation
                 WHERE s.id = ?1 ORDER BY p.version DESC LIMIT 1",
                [source.as_str()],
                |row| row.get(0),
            )
            .optional()?)
    }

    fn protected_versions(&self) -> Result<Vec<ProtectedVersion>> {
        let mut query = self.db().prepare(
            "SELECT s.id, p.generation, p.version, p.batch, p.sealed FROM protected p JOIN source s ON s.key = p.source
             ORDER BY p.source, p.generation, p.version",
        )?;
        let rows = query.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get::<_, Vec<u8>>(4)?))
        })?;
        let mut versions = Vec::new();
        for row in rows {
            let (id, generation, version, batch, sealed) = row?;
            versions.push(ProtectedVersion {
                source: SourceId::new(&id).map_err(Error::Corrupt)?,
                generation,
                version,
                batch,
                sealed_sha256: clew_model::ids::sha256_hex(&sealed),
            });
        }
        Ok(versions)
    }

    fn source_history(&self, source: &SourceId) -> Result<Vec<(BatchId, Statement)>> {
        let mut query = self.db().prepare_cached(
            "SELECT s.id, e.id, p.schema, p.name, s.value, src.id, s.locator, b.recorded_by, b.recorded_at,
                    s.confidence, s.sensitivity, s.retracts, s.batch
             FROM statement s JOIN entity e ON e.key = s.entity JOIN property p ON p.key = s.property
             JOIN source src ON src.key = s.source JOIN batch b ON b.id = s.batch
             WHERE src.id = ?1 ORDER BY s.rowid",
        )?;
        let rows =
            query.query_map([source.as_str()], |row| Ok((row.get::<_, BatchId>(12)?, statement_from_row(row)?)))?;
        let mut history = Vec::new();
        for row in rows {
            let (batch, statement) = row?;
            history.push((batch, statement.map_err(Error::Corrupt)?));
        }
        Ok(history)
    }

    fn source_listing(&self, kind: SourceKind) -> Result<Vec<ListedSource>> {
        let mut query = self.db().prepare(
            "SELECT s.id, s.title, s.content_hash, s.synthetic, s.generation, b.recorded_at, b.recorded_by,
                    s.withdrawn,
                    (SELECT count(*) FROM segment g WHERE g.source = s.key AND g.generation = s.generation)
             FROM source s JOIN batch b ON b.id = s.batch WHERE s.kind = ?1 ORDER BY s.id",
        )?;
        let mut rows = query.query([kind.as_str()])?;
        let mut listed = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let source = Source {
                id: SourceId::new(&id).map_err(Error::Corrupt)?,
                kind,
                title: row.get(1)?,
                content_hash: row.get(2)?,
                synthetic: row.get(3)?,
                generation: row.get(4)?,
                imported_at: row.get(5)?,
                imported_by: row.get(6)?,
            };
            let segments: i64 = row.get(8)?;
            listed.push(ListedSource { source, withdrawn: row.get(7)?, segments: segments.max(0) as u64 });
        }
        Ok(listed)
    }

    fn sources_written_since(&self, version: u64) -> Result<Vec<(SourceId, SourceKind)>> {
        let after = i64::try_from(version).unwrap_or(i64::MAX);
        let mut query = self.db().prepare_cached(
            // By rowid (the newest statements), never by scanning an index of every statement.
            "SELECT id, kind FROM source
             WHERE key IN (SELECT DISTINCT source FROM statement NOT INDEXED WHERE rowid > ?1) ORDER BY id",
        )?;
        let rows = query.query_map([after], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
        let mut sources = Vec::new();
        for row in rows {
            let (id, kind) = row?;
            let kind =
                SourceKind::parse(&kind).ok_or_else(|| Error::Corrupt(format!("unknown source kind `{kind}`")))?;
            sources.push((SourceId::new(&id).map_err(Error::Corrupt)?, kind));
        }
        Ok(sources)
    }

    fn statements_version(&self) -> Result<u64> {
        let newest: Option<i64> =
            self.db().prepare_cached("SELECT max(rowid) FROM statement")?.query_row([], |row| row.get(0))?;
        Ok(newest.unwrap_or(0) as u64)
    }

    fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> { Ok(self.db().query_row(sql, [], |row| row.get::<_, i64>(0))? as u64) };
        let grouped = |sql: &str| -> Result<Vec<(String, u64)>> {
            let mut query = self.db().prepare(sql)?;
            let rows = query.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        };
        Ok(Stats {
            sources: grouped("SELECT kind, count(*) FROM source GROUP BY kind ORDER BY kind")?,
            synthetic_sources: count("SELECT count(*) FROM source WHERE synthetic")?,
            statements: count("SELECT count(*) FROM statement")?,
            retractions: count("SELECT count(*) FROM statement WHERE retracts IS NOT NULL")?,
            entities: grouped("SELECT schema, count(*) FROM entity GROUP BY schema ORDER BY schema")?,
            segments: count(
                "SELECT count(*) FROM segment g JOIN source s ON s.key = g.source AND s.generation = g.generation",
            )?,
        })
    }
}

/// A write transaction on a connection of its own (`BEGIN IMMEDIATE` ... `COMMIT`; rolled back when dropped
/// uncommitted).
struct SqliteWriteTx<'s> {
    connection: PooledConnection<'s>,
    batch_id: BatchId,
    /// (schema, property) → key, all of them (the table is small).
    properties: HashMap<(String, String), i64>,
    /// Source id → key, for the sources of this transaction.
    sources: HashMap<SourceId, i64>,
    /// Keys of the sources this transaction wrote statements for (their `last_statement` is set at commit).
    touched: std::collections::HashSet<i64>,
    /// Entity id → key, a bounded cache.
    entities: HashMap<EntityId, i64>,
    /// Digest of the statements this batch wrote, hashed as they are written (see `batch_digest`).
    digest: sha2::Sha256,
    /// Digests of the segments and consent records this batch wrote, by source key and generation.
    records: std::collections::BTreeMap<(i64, i64), RecordDigests>,
    /// The protected block versions this batch wrote.
    protected: Vec<ProtectedVersion>,
}

/// Statement rows written by one INSERT.
const ROWS_PER_INSERT: usize = 64;

/// `INSERT OR IGNORE INTO statement ... VALUES (...), (...)` for `rows` rows.
fn insert_statements_sql(rows: usize) -> String {
    let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    format!(
        "INSERT OR IGNORE INTO statement (id, entity, property, value, source, locator, batch, confidence,
                                          sensitivity, retracts, reference) VALUES {}",
        vec![row; rows].join(", ")
    )
}

/// Entity keys cached per transaction before the cache is emptied (memory stays flat on huge imports).
const ENTITY_CACHE: usize = 50_000;

impl SqliteWriteTx<'_> {
    fn property_key(&mut self, schema: &str, name: &str) -> Result<i64> {
        if let Some(key) = self.properties.get(&(schema.to_string(), name.to_string())) {
            return Ok(*key);
        }
        self.connection.db().execute("INSERT INTO property (schema, name) VALUES (?1, ?2)", params![schema, name])?;
        let key = self.connection.db().last_insert_rowid();
        self.properties.insert((schema.to_string(), name.to_string()), key);
        Ok(key)
    }

    fn source_key(&mut self, source: &SourceId) -> Result<i64> {
        if let Some(key) = self.sources.get(source) {
            return Ok(*key);
        }
        let key: Option<i64> = self
            .connection
            .db()
            .prepare_cached("SELECT key FROM source WHERE id = ?1")?
            .query_row([source.as_str()], |row| row.get(0))
            .optional()?;
        let key = key.ok_or_else(|| Error::internal(format!("statements for unregistered source `{source}`")))?;
        self.sources.insert(source.clone(), key);
        Ok(key)
    }

    fn entity_key(&mut self, entity: &EntityId, schema: &str) -> Result<i64> {
        if let Some(key) = self.entities.get(entity) {
            return Ok(*key);
        }
        if self.entities.len() >= ENTITY_CACHE {
            self.entities.clear();
        }
        let found: Option<i64> = self
            .connection
            .db()
            .prepare_cached("SELECT key FROM entity WHERE id = ?1")?
            .query_row([entity.as_str()], |row| row.get(0))
            .optional()?;
        let key = match found {
            Some(key) => key,
            None => {
                self.connection
                    .db()
                    .prepare_cached("INSERT INTO entity (id, schema) VALUES (?1, ?2)")?
                    .execute(params![entity.as_str(), schema])?;
                self.connection.db().last_insert_rowid()
            }
        };
        self.entities.insert(entity.clone(), key);
        Ok(key)
    }
}

impl WriteTx for SqliteWriteTx<'_> {
    fn reads(&self) -> &dyn ReadTx {
        &self.connection
    }

    fn batch(&self) -> BatchId {
        self.batch_id
    }

    fn put_source(&mut self, source: &SourceDraft) -> Result<SourceOutcome> {
        let existing: Option<(i64, String, u32, String)> = self
            .connection
            .db()
            .prepare_cached("SELECT key, content_hash, generation, kind FROM source WHERE id = ?1")?
            .query_row([source.id.as_str()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
            .optional()?;
        if let Some((_, _, _, kind)) = &existing
            && kind != source.kind.as_str()
        {
            return Err(Error::Conflict(format!(
                "source `{}` is a {kind}; it cannot be written as a {}",
                source.id,
                source.kind.as_str()
            )));
        }
        // A testimony's withdrawal applies at once to its recorded assessment and to its coders' facts too.
        if source.kind == SourceKind::Testimony {
            self.connection
                .db()
                .prepare_cached("UPDATE source SET withdrawn = ?2 WHERE id = 'assess:' || ?1 AND kind = 'assessment'")?
                .execute(params![source.id.as_str(), source.withdrawn])?;
            self.connection
                .db()
                .prepare_cached("UPDATE source SET withdrawn = ?2 WHERE id = 'code:' || ?1 AND kind = 'coding'")?
                .execute(params![source.id.as_str(), source.withdrawn])?;
        }
        let existing = existing.map(|(key, hash, generation, _)| (key, hash, generation));
        let (key, generation) =
            match existing {
                Some((key, hash, generation)) if hash == source.content_hash => {
                    self.sources.insert(source.id.clone(), key);
                    return Ok(SourceOutcome::Unchanged { generation });
                }
                Some((key, _, generation)) => {
                    self.connection.db()
                    .prepare_cached(
                        "UPDATE source SET kind = ?2, title = ?3, content_hash = ?4, synthetic = ?5, generation = ?6,
                           batch = ?7, withdrawn = ?8 WHERE key = ?1",
                    )?
                    .execute(params![
                        key,
                        source.kind.as_str(),
                        source.title,
                        source.content_hash,
                        source.synthetic,
                        generation + 1,
                        self.batch_id,
                        source.withdrawn
                    ])?;
                    (key, generation + 1)
                }
                None => {
                    self.connection.db()
                    .prepare_cached(
                        "INSERT INTO source (id, kind, title, content_hash, synthetic, generation, batch, withdrawn)
                         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7)",
                    )?
                    .execute(params![
                        source.id.as_str(),
                        source.kind.as_str(),
                        source.title,
                        source.content_hash,
                        source.synthetic,
                        self.batch_id,
                        source.withdrawn
                    ])?;
                    (self.connection.db().last_insert_rowid(), 1)
                }
            };
        self.sources.insert(source.id.clone(), key);
        if generation == 1 {
            return Ok(SourceOutcome::New { generation });
        }
        // A changed source: retract every active statement of its earlier generations.
        let active = {
            let mut query = self.connection.db().prepare_cached(&format!(
                "{STATEMENT_SELECT} WHERE s.source = ?1 AND {ACTIVE} ORDER BY e.id, s.rowid"
            ))?;
            let rows = query.query_map(params![key], statement_from_row)?;
            collect_statements(rows)?
        };
        let retractions: Vec<Statement> = active.iter().map(|s| s.retraction("", "")).collect();
        let retracted = self.put_statements(&retractions)?;
        Ok(SourceOutcome::Changed { generation, retracted })
    }

    fn put_statements(&mut self, statements: &[Statement]) -> Result<u64> {
        // Keys first (statements come grouped by entity and source, so one lookup per run is enough)...
        let mut keys = Vec::with_capacity(statements.len());
        let mut last_entity: Option<(&EntityId, i64)> = None;
        let mut last_property: Option<(&str, &str, i64)> = None;
        let mut last_source: Option<(&SourceId, i64)> = None;
        for statement in statements {
            let entity = match last_entity {
                Some((id, key)) if id == &statement.entity_id => key,
                _ => self.entity_key(&statement.entity_id, &statement.schema)?,
            };
            last_entity = Some((&statement.entity_id, entity));
            let property = match last_property {
                Some((schema, name, key)) if schema == statement.schema && name == statement.property => key,
                _ => self.property_key(&statement.schema, &statement.property)?,
            };
            last_property = Some((&statement.schema, &statement.property, property));
            let source = match last_source {
                Some((id, key)) if id == &statement.source_id => key,
                _ => self.source_key(&statement.source_id)?,
            };
            last_source = Some((&statement.source_id, source));
            self.touched.insert(source);
            keys.push((entity, property, source));
        }
        // ...then the rows, many per INSERT: the per-call overhead of SQLite is paid once per chunk.
        let mut rows = statements.iter().zip(&keys).peekable();
        let mut inserted = 0;
        while rows.peek().is_some() {
            let chunk: Vec<_> = rows.by_ref().take(ROWS_PER_INSERT).collect();
            let mut insert = self.connection.db().prepare_cached(&insert_statements_sql(chunk.len()))?;
            let ids: Vec<[u8; 16]> = chunk.iter().map(|(s, _)| s.id.to_bytes()).collect();
            let retracts: Vec<Option<[u8; 16]>> =
                chunk.iter().map(|(s, _)| s.retracts.as_ref().map(StatementId::to_bytes)).collect();
            let sensitivities: Vec<i64> = chunk.iter().map(|(s, _)| sensitivity_code(s.sensitivity)).collect();
            let references: Vec<i64> = chunk.iter().map(|(s, _)| i64::from(is_reference(&s.property))).collect();
            let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 11);
            for (index, (statement, (entity, property, source))) in chunk.iter().enumerate() {
                values.extend_from_slice(&[
                    &ids[index] as &dyn rusqlite::ToSql,
                    entity,
                    property,
                    &statement.value,
                    source,
                    &statement.locator,
                    &self.batch_id,
                    &statement.confidence,
                    &sensitivities[index],
                    &retracts[index],
                    &references[index],
                ]);
            }
            let added = insert.execute(values.as_slice())?;
            drop(insert);
            inserted += added as u64;
            // Into the batch digest go exactly the rows this INSERT wrote, in rowid order. When some rows were
            // there already, a row was written here if its rowid is among the `added` newest.
            let newest = self.connection.db().last_insert_rowid();
            let written_here = (newest - added as i64 + 1)..=newest;
            let mut hashed = std::collections::HashSet::new();
            for (index, (statement, (_, _, source))) in chunk.iter().enumerate() {
                if added < chunk.len() {
                    let rowid: i64 = self
                        .connection
                        .db()
                        .prepare_cached("SELECT rowid FROM statement WHERE source = ?1 AND id = ?2")?
                        .query_row(params![source, &ids[index][..]], |row| row.get(0))?;
                    if !written_here.contains(&rowid) || !hashed.insert(rowid) {
                        continue;
                    }
                }
                let texts = [
                    statement.entity_id.as_str(),
                    statement.schema.as_str(),
                    statement.property.as_str(),
                    statement.value.as_str(),
                    statement.source_id.as_str(),
                    statement.locator.as_str(),
                ];
                let retracts = retracts[index].as_ref().map(|r| &r[..]);
                hash_statement(
                    &mut self.digest,
                    &ids[index],
                    texts,
                    statement.confidence,
                    sensitivities[index],
                    retracts,
                );
            }
        }
        Ok(inserted)
    }

    fn put_segments(&mut self, source: &SourceId, generation: u32, segments: &[Segment]) -> Result<()> {
        let key = self.source_key(source)?;
        let mut insert = self.connection.db().prepare_cached(
            "INSERT OR REPLACE INTO segment
                 (source, generation, id, lang, text, translation_lang, translation_text, batch)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut sorted: Vec<&Segment> = segments.iter().collect();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        sorted.dedup_by(|a, b| a.id == b.id);
        let digests = self.records.entry((key, i64::from(generation))).or_default();
        // A repeated call replaces the rows, so the digest starts over too.
        digests.segments = <sha2::Sha256 as sha2::Digest>::new();
        for segment in sorted {
            let translation = segment.translation.as_ref();
            let fields = [
                Some(segment.id.as_str()),
                Some(segment.lang.as_str()),
                Some(segment.text.as_str()),
                translation.map(|t| t.lang.as_str()),
                translation.map(|t| t.text.as_str()),
            ];
            hash_fields(&mut digests.segments, &fields);
            insert.execute(params![
                key,
                generation,
                fields[0],
                fields[1],
                fields[2],
                fields[3],
                fields[4],
                self.batch_id
            ])?;
        }
        Ok(())
    }

    fn put_consent(&mut self, source: &SourceId, generation: u32, record: &str) -> Result<()> {
        let key = self.source_key(source)?;
        self.connection
            .db()
            .prepare_cached(
                "INSERT OR REPLACE INTO consent (source, generation, record, batch) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![key, generation, record, self.batch_id])?;
        let digests = self.records.entry((key, i64::from(generation))).or_default();
        digests.consent = <sha2::Sha256 as sha2::Digest>::new();
        hash_fields(&mut digests.consent, &[Some(record)]);
        Ok(())
    }

    fn put_protected(&mut self, source: &SourceId, generation: u32, sealed: &[u8]) -> Result<u32> {
        let key = self.source_key(source)?;
        // A plain INSERT: should the version ever be taken, the write fails rather than replace a block.
        let version: u32 = self
            .connection
            .db()
            .prepare_cached(
                "INSERT INTO protected (source, generation, version, sealed, batch)
                 SELECT ?1, ?2, coalesce(max(version), 0) + 1, ?3, ?4 FROM protected
                 WHERE source = ?1 AND generation = ?2
                 RETURNING version",
            )?
            .query_row(params![key, generation, sealed, self.batch_id], |row| row.get(0))?;
        self.protected.push(ProtectedVersion {
            source: source.clone(),
            generation,
            version,
            batch: Some(self.batch_id),
            sealed_sha256: clew_model::ids::sha256_hex(sealed),
        });
        Ok(version)
    }

    fn put_attachment(&mut self, source: &SourceId, attachment: &NewAttachment) -> Result<bool> {
        let key = self.source_key(source)?;
        let added = self.connection.db().execute(
            "INSERT OR IGNORE INTO attachment
                 (source, sha256, size, media_type, sealed_name, batch, original_sha256, original_size, stripped)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                key,
                attachment.sha256,
                attachment.size,
                attachment.media_type,
                attachment.sealed_name,
                self.batch_id,
                attachment.original.as_ref().map(|o| &o.sha256),
                attachment.original.as_ref().map(|o| o.size),
                attachment.original.as_ref().map(|o| o.stripped.join(",")),
            ],
        )?;
        Ok(added == 1)
    }

    fn records_digest(&mut self) -> Result<String> {
        Ok(records_digest(&self.records))
    }

    fn batch_digest(&mut self) -> Result<String> {
        // Hashed as the rows were written (reading them back would cost an import a tenth of its speed); the
        // test `batch_digest_matches_what_verify_recomputes` holds the two ways of hashing together.
        Ok(hex_digest(&self.digest))
    }

    fn protected_written(&mut self) -> Result<Vec<ProtectedVersion>> {
        Ok(self.protected.clone())
    }

    fn append_event(&mut self, kind: &str, detail: &str, leaf_hash: &[u8; 32]) -> Result<u64> {
        self.connection
            .db()
            .prepare_cached("INSERT INTO custody_event (batch, kind, detail, leaf_hash) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![self.batch_id, kind, detail, &leaf_hash[..]])?;
        Ok(self.connection.db().last_insert_rowid() as u64)
    }

    fn remove_custodian(&mut self, public_key: &str) -> Result<bool> {
        // Counted here, under the write lock: two removals at once cannot each see another custodian left.
        let (listed, custodians): (bool, i64) = self.connection.db().query_row(
            "SELECT EXISTS (SELECT 1 FROM custodian WHERE public_key = ?1), (SELECT count(*) FROM custodian)",
            [public_key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if !listed {
            return Ok(false);
        }
        if custodians <= 1 {
            return Err(Error::Conflict(crate::LAST_CUSTODIAN.into()));
        }
        Ok(self.connection.db().execute("DELETE FROM custodian WHERE public_key = ?1", [public_key])? == 1)
    }

    fn put_account(&mut self, account: &NewAccount) -> Result<bool> {
        let added = self.connection.db().execute(
            "INSERT OR IGNORE INTO account
                 (name, role, password_hash, password_is_temporary, totp_secret, created_batch, batch)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![
                account.name,
                account.role,
                account.credentials.password_hash,
                account.credentials.password_is_temporary,
                account.credentials.totp_secret,
                self.batch_id
            ],
        )?;
        Ok(added == 1)
    }

    fn set_account_credentials(&mut self, name: &str, credentials: &Credentials) -> Result<bool> {
        let changed = self.connection.db().execute(
            "UPDATE account SET password_hash = ?2, password_is_temporary = ?3, totp_secret = ?4, batch = ?5
             WHERE name = ?1",
            params![
                name,
                credentials.password_hash,
                credentials.password_is_temporary,
                credentials.totp_secret,
                self.batch_id
            ],
        )?;
        // Whoever held the old credentials is signed out with them.
        self.connection.db().execute("DELETE FROM session WHERE account = ?1", [name])?;
        Ok(changed == 1)
    }

    fn change_account_password(&mut self, name: &str, checked_hash: &str, new_hash: &str) -> Result<bool> {
        let changed = self.connection.db().execute(
            "UPDATE account SET password_hash = ?3, password_is_temporary = 0, batch = ?4
             WHERE name = ?1 AND password_hash = ?2 AND disabled = 0",
            params![name, checked_hash, new_hash, self.batch_id],
        )?;
        Ok(changed == 1)
    }

    fn accept_totp_step(&mut self, name: &str, checked_secret: &str, step: u64) -> Result<bool> {
        let changed = self.connection.db().execute(
            "UPDATE account SET totp_last_step = ?3 WHERE name = ?1 AND totp_secret = ?2 AND totp_last_step < ?3",
            params![name, checked_secret, i64::try_from(step).unwrap_or(i64::MAX)],
        )?;
        Ok(changed == 1)
    }

    fn put_session(&mut self, session: &NewSession<'_>) -> Result<bool> {
        let time = |t: u64| i64::try_from(t).unwrap_or(i64::MAX);
        let added = self.connection.db().execute(
            "INSERT INTO session (token_sha256, account, expires_at, batch)
             SELECT ?1, name, ?4, ?5 FROM account WHERE name = ?2 AND password_hash = ?3 AND disabled = 0",
            params![
                session.token_sha256,
                session.account,
                session.checked_hash,
                time(session.expires_at),
                self.batch_id
            ],
        )?;
        // Expired sessions go as new ones come.
        self.connection.db().execute("DELETE FROM session WHERE expires_at <= ?1", [time(session.now)])?;
        Ok(added == 1)
    }

    fn put_api_token(&mut self, token_sha256: &str, account: &str, label: &str) -> Result<bool> {
        let added = self.connection.db().execute(
            "INSERT INTO api_token (token_sha256, account, label, batch)
             SELECT ?1, name, ?3, ?4 FROM account WHERE name = ?2 AND disabled = 0",
            params![token_sha256, account, label, self.batch_id],
        )?;
        Ok(added == 1)
    }

    fn revoke_api_tokens(&mut self, account: &str) -> Result<u64> {
        let revoked = self
            .connection
            .db()
            .execute("UPDATE api_token SET revoked = 1 WHERE account = ?1 AND revoked = 0", [account])?;
        Ok(revoked as u64)
    }

    fn end_other_sessions(&mut self, account: &str, keep: &str) -> Result<()> {
        self.connection
            .db()
            .execute("DELETE FROM session WHERE account = ?1 AND token_sha256 <> ?2", [account, keep])?;
        Ok(())
    }

    fn end_session(&mut self, token_sha256: &str) -> Result<bool> {
        Ok(self.connection.db().execute("DELETE FROM session WHERE token_sha256 = ?1", [token_sha256])? == 1)
    }

    fn set_account_role(&mut self, name: &str, role: &str) -> Result<bool> {
        // Counted here, under the write lock, as for disabling: two admins demoting each other at once cannot
        // leave none.
        let (current, enabled_admins): (Option<String>, i64) = self.connection.db().query_row(
            "SELECT (SELECT role FROM account WHERE name = ?1 AND disabled = 0),
                    (SELECT count(*) FROM account WHERE role = 'admin' AND disabled = 0)",
            [name],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if current.as_deref() == Some("admin") && role != "admin" && enabled_admins <= 1 {
            return Err(Error::Conflict(crate::LAST_ADMIN.into()));
        }
        let changed = self
            .connection
            .db()
            .execute("UPDATE account SET role = ?2, batch = ?3 WHERE name = ?1", params![name, role, self.batch_id])?;
        self.connection.db().execute("DELETE FROM session WHERE account = ?1", [name])?;
        Ok(changed == 1)
    }

    fn set_account_disabled(&mut self, name: &str, disabled: bool) -> Result<bool> {
        // Counted here, under the write lock: two admins disabling each other at once cannot leave none.
        let (role, enabled_admins): (Option<String>, i64) = self.connection.db().query_row(
            "SELECT (SELECT role FROM account WHERE name = ?1 AND disabled = 0),
                    (SELECT count(*) FROM account WHERE role = 'admin' AND disabled = 0)",
            [name],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if disabled && role.as_deref() == Some("admin") && enabled_admins <= 1 {
            return Err(Error::Conflict(crate::LAST_ADMIN.into()));
        }
        let changed = self.connection.db().execute(
            "UPDATE account SET disabled = ?2, batch = ?3 WHERE name = ?1",
            params![name, disabled, self.batch_id],
        )?;
        if disabled {
            self.connection.db().execute("DELETE FROM session WHERE account = ?1", [name])?;
        }
        Ok(changed == 1)
    }

    fn reseal(&mut self, value: &SealedRef, sealed: &[u8]) -> Result<()> {
        let changed = match value.0 {
            SealedPlace::Protected(source, generation, version) => self.connection.db().execute(
                "UPDATE protected SET sealed = ?4 WHERE source = ?1 AND generation = ?2 AND version = ?3",
                params![source, generation, version, sealed],
            )?,
            SealedPlace::AttachmentName(key) => self
                .connection
                .db()
                .execute("UPDATE attachment SET sealed_name = ?2 WHERE key = ?1", params![key, sealed])?,
        };
        if changed != 1 {
            return Err(Error::Corrupt(format!("{value:?}: no such sealed value to re-seal")));
        }
        Ok(())
    }

    fn put_sanctions_list(&mut self, list: &StoredList) -> Result<bool> {
        let added = self.connection.db().execute(
            "INSERT OR IGNORE INTO sanctions_list
                 (sha256, name, version, format, file_name, entities, batch, companion_sha256, addresses_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                list.sha256,
                list.name,
                list.version,
                list.format,
                list.file_name,
                list.entities as i64,
                self.batch_id,
                list.companion_sha256,
                list.addresses_sha256
            ],
        )?;
        Ok(added == 1)
    }

    fn put_estimate(&mut self, estimate: &StoredEstimate) -> Result<u64> {
        let db = self.connection.db();
        db.execute(
            "INSERT INTO estimate (kind, title, synthetic, headline, report, chart, batch)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                estimate.kind,
                estimate.title,
                estimate.synthetic,
                estimate.headline,
                estimate.report,
                estimate.chart,
                self.batch_id
            ],
        )?;
        Ok(db.last_insert_rowid() as u64)
    }

    fn put_link_judgement(&mut self, judgement: &StoredJudgement) -> Result<()> {
        self.connection.db().execute(
            "INSERT INTO link_judgement (entity_a, entity_b, verdict, note, salt, batch) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                judgement.entity_a,
                judgement.entity_b,
                judgement.verdict,
                judgement.note,
                judgement.salt,
                self.batch_id
            ],
        )?;
        Ok(())
    }

    fn put_custodian(&mut self, public_key: &str, label: &str) -> Result<bool> {
        put_key_holder(self.connection.db(), KeyTable::Custodian, public_key, label, self.batch_id)
    }

    fn put_caseworker(&mut self, public_key: &str, label: &str) -> Result<bool> {
        put_key_holder(self.connection.db(), KeyTable::Caseworker, public_key, label, self.batch_id)
    }

    fn remove_caseworker(&mut self, public_key: &str) -> Result<bool> {
        Ok(self.connection.db().execute("DELETE FROM caseworker WHERE public_key = ?1", [public_key])? == 1)
    }

    fn commit(self: Box<Self>) -> Result<()> {
        {
            let mut update = self.connection.db().prepare(
                "UPDATE source SET last_statement = (SELECT max(rowid) FROM statement WHERE source = ?1) WHERE key = ?1",
            )?;
            for key in &self.touched {
                update.execute([key])?;
            }
        }
        self.connection.db().execute_batch("COMMIT")?;
        Ok(())
    }
}

/// The tables of key holders: the public keys something is sealed to.
#[derive(Clone, Copy)]
enum KeyTable {
    Custodian,
    Caseworker,
}

impl KeyTable {
    fn name(self) -> &'static str {
        match self {
            KeyTable::Custodian => "custodian",
            KeyTable::Caseworker => "caseworker",
        }
    }
}

fn key_holders(db: &Connection, table: KeyTable) -> Result<Vec<Custodian>> {
    let mut query = db.prepare(&format!(
        "SELECT c.public_key, c.label, b.recorded_by, b.recorded_at FROM {} c JOIN batch b ON b.id = c.batch
         ORDER BY c.key",
        table.name()
    ))?;
    let rows = query.query_map([], |row| {
        Ok(Custodian { public_key: row.get(0)?, label: row.get(1)?, added_by: row.get(2)?, added_at: row.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn put_key_holder(db: &Connection, table: KeyTable, public_key: &str, label: &str, batch: BatchId) -> Result<bool> {
    let added = db.execute(
        &format!("INSERT OR IGNORE INTO {} (public_key, label, batch) VALUES (?1, ?2, ?3)", table.name()),
        params![public_key, label, batch],
    )?;
    Ok(added == 1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The plan SQLite chooses for a query of the store's (its `EXPLAIN QUERY PLAN` lines), on an empty project.
    fn plan(sql: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clew.db");
        drop(SqliteStore::create(&path).unwrap());
        let connection = Connection::open(&path).unwrap();
        let mut query = connection.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = query.query_map(params!["syn.company.1", 10], |row| row.get::<_, String>(3)).unwrap();
        rows.map(|row| row.unwrap()).collect()
    }

    #[test]
    fn the_indexed_references_are_the_entity_valued_properties_of_the_schema() {
        let model = clew_model::Model::builtin().unwrap();
        let mut names: Vec<String> = model
            .schemata
            .values()
            .flat_map(|schema| schema.properties.iter())
            .filter(|(_, property)| property.kind == clew_model::value::PropertyType::Entity)
            .map(|(name, _)| format!("'{name}'"))
            .collect();
        names.sort();
        names.dedup();
        let listed: Vec<String> = REFERENCE_PROPERTIES.iter().map(|name| format!("'{name}'")).collect();
        assert_eq!(listed, names, "a new entity-valued property needs a migration that marks its statements");
        assert!(REFERENCE_PROPERTIES.is_sorted());
        let migration = include_str!("../migrations/sqlite/0012_statement_references.sql");
        assert!(migration.contains(&format!("WHERE name IN ({}));", listed.join(","))), "{migration}");
    }

    #[test]
    fn statements_naming_an_entity_are_found_by_index_lookups() {
        // An entity page reads them on a project of ten million statements: a scan would take seconds.
        let plan = plan(&statements_naming_sql());
        assert!(plan.iter().any(|step| step.contains("INDEX statement_reference (value=?)")), "{plan:#?}");
        assert!(plan.iter().any(|step| step.contains("INDEX statement_retracts (retracts=?)")), "{plan:#?}");
        assert!(!plan.iter().any(|step| step.starts_with("SCAN") || step.contains("TEMP B-TREE")), "{plan:#?}");
    }
}
