//! The SQLite store: one file, WAL journal, versioned transactional migrations.

use std::path::{Path, PathBuf};

use clew_model::{EntityId, Segment, Sensitivity, Source, SourceId, SourceKind, Statement, StatementId, Translation};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::{Batch, EntityRow, Error, Result, SourceDraft, SourceOutcome, Stats, Store, WriteTx};

/// Migrations in order; the database's `user_version` is the number applied.
const MIGRATIONS: [&str; 1] = [include_str!("../migrations/sqlite/0001_statements.sql")];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Properties whose first value captions an entity in listings, in order of preference.
const CAPTION_PROPERTIES: &str = "'name','title','full','pseudonym','permitType','role'";

const STATEMENT_COLUMNS: &str = "s.id, s.entity_id, s.schema, s.property, s.value, s.source_id, s.locator, \
     b.recorded_by, b.recorded_at, s.confidence, s.sensitivity, s.retracts";

/// A store in one SQLite database file.
#[derive(Debug)]
pub struct SqliteStore {
    connection: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Creates a new database (the file must not exist) and migrates it.
    pub fn create(path: &Path) -> Result<SqliteStore> {
        if path.exists() {
            return Err(Error::Io { path: path.to_path_buf(), message: "a database already exists here".into() });
        }
        let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
            .map_err(|e| Error::Io { path: path.to_path_buf(), message: e.to_string() })?;
        // Larger pages make shallower B-trees for millions of statements; only settable before the first table.
        connection.execute_batch("PRAGMA page_size = 8192;")?;
        drop(connection);
        Self::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    /// Opens an existing database, migrating it forward if it is older than this build.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        if !path.is_file() {
            return Err(Error::Io { path: path.to_path_buf(), message: "the project database is missing".into() });
        }
        Self::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<SqliteStore> {
        let connection = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| Error::Io { path: path.to_path_buf(), message: e.to_string() })?;
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL: readers never block the writer; FULL: a commit that returned is on disk. Checkpointing every
        // 64 MiB of WAL rather than every 4 MiB writes a page changed by many commits back once, not each time.
        connection.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 8192;",
        )?;
        let mut store = SqliteStore { connection, path: path.to_path_buf() };
        store.migrate()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&mut self) -> Result<()> {
        let found: i64 = self.connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerSchema { path: self.path.clone(), found, supported: SCHEMA_VERSION });
        }
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.connection.transaction()?;
            tx.execute_batch(migration)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", index + 1))?;
            tx.commit()?;
        }
        Ok(())
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

fn id_from_blob(blob: Vec<u8>) -> std::result::Result<StatementId, String> {
    let bytes: [u8; 16] = blob.try_into().map_err(|_| "a statement id is not 16 bytes".to_string())?;
    Ok(StatementId::from_bytes(bytes))
}

/// The smallest and largest statement ids of a source.
fn source_id_range(source: &SourceId) -> ([u8; 16], [u8; 16]) {
    let prefix = StatementId::source_prefix(source);
    let mut low = [0u8; 16];
    let mut high = [0xffu8; 16];
    low[..4].copy_from_slice(&prefix);
    high[..4].copy_from_slice(&prefix);
    (low, high)
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
            id: id_from_blob(id)?,
            entity_id: EntityId::new(&entity_id)?,
            schema,
            property,
            value,
            source_id: SourceId::new(&source_id)?,
            locator,
            recorded_by,
            recorded_at,
            confidence,
            sensitivity: sensitivity_from_code(sensitivity)?,
            retracts: retracts.map(id_from_blob).transpose()?,
        })
    })())
}

fn collect_statements(rows: impl Iterator<Item = rusqlite::Result<std::result::Result<Statement, String>>>) -> Result<Vec<Statement>> {
    let mut statements = Vec::new();
    for row in rows {
        statements.push(row?.map_err(Error::Corrupt)?);
    }
    Ok(statements)
}

impl Store for SqliteStore {
    fn write(&mut self, batch: &Batch) -> Result<Box<dyn WriteTx + '_>> {
        let tx = self.connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO batch (recorded_by, recorded_at, operation) VALUES (?1, ?2, ?3)",
            params![batch.recorded_by, batch.recorded_at, batch.operation],
        )?;
        let batch_id = tx.last_insert_rowid();
        Ok(Box::new(SqliteWriteTx { tx, batch_id }))
    }

    fn source(&self, id: &SourceId) -> Result<Option<Source>> {
        let row = self
            .connection
            .query_row(
                "SELECT s.id, s.kind, s.title, s.content_hash, s.synthetic, s.generation, b.recorded_at, b.recorded_by
                 FROM source s JOIN batch b ON b.id = s.batch_id WHERE s.id = ?1",
                [id.as_str()],
                |row| {
                    Ok((
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, bool>(4)?,
                        row.get::<_, u32>(5)?,
                        row.get::<_, String>(6)?,
                        row.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((kind, title, content_hash, synthetic, generation, imported_at, imported_by)) = row else {
            return Ok(None);
        };
        let kind = SourceKind::parse(&kind).ok_or_else(|| Error::Corrupt(format!("unknown source kind `{kind}`")))?;
        Ok(Some(Source { id: id.clone(), kind, title, content_hash, synthetic, generation, imported_at, imported_by }))
    }

    fn statements_for_entity(&self, id: &EntityId) -> Result<Vec<Statement>> {
        let mut query = self.connection.prepare_cached(&format!(
            "SELECT {STATEMENT_COLUMNS} FROM statement s JOIN batch b ON b.id = s.batch_id
             WHERE s.entity_id = ?1 ORDER BY s.rowid"
        ))?;
        let rows = query.query_map([id.as_str()], statement_from_row)?;
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
                (SELECT s.value FROM statement s WHERE s.entity_id = e.id AND s.property IN ({CAPTION_PROPERTIES})
                   AND s.retracts IS NULL
                   AND NOT EXISTS (SELECT 1 FROM statement r WHERE r.retracts = s.id)
                 ORDER BY s.rowid LIMIT 1)
             FROM entity e WHERE e.id > ? {schema_filter}
               AND EXISTS (SELECT 1 FROM statement s WHERE s.entity_id = e.id AND s.retracts IS NULL
                             AND NOT EXISTS (SELECT 1 FROM statement r WHERE r.retracts = s.id))
             ORDER BY e.id LIMIT ?"
        );
        let mut query = self.connection.prepare(&sql)?;
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
        let mut query = self.connection.prepare(&format!(
            "SELECT {STATEMENT_COLUMNS} FROM statement s JOIN batch b ON b.id = s.batch_id
             ORDER BY s.entity_id, s.rowid"
        ))?;
        let mut rows = query.query_map([], statement_from_row)?;
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

    fn segment(&self, source: &SourceId, segment: &str) -> Result<Option<Segment>> {
        let mut query = self.connection.prepare_cached(
            "SELECT g.lang, g.text, g.translation_lang, g.translation_text FROM segment g
             JOIN source s ON s.id = g.source_id AND s.generation = g.generation
             WHERE g.source_id = ?1 AND g.segment_id = ?2",
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

    fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> { Ok(self.connection.query_row(sql, [], |row| row.get::<_, i64>(0))? as u64) };
        let grouped = |sql: &str| -> Result<Vec<(String, u64)>> {
            let mut query = self.connection.prepare(sql)?;
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
                "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id AND s.generation = g.generation",
            )?,
        })
    }
}

struct SqliteWriteTx<'c> {
    tx: rusqlite::Transaction<'c>,
    batch_id: i64,
}

impl WriteTx for SqliteWriteTx<'_> {
    fn put_source(&mut self, source: &SourceDraft) -> Result<SourceOutcome> {
        let existing: Option<(String, u32)> = self
            .tx
            .prepare_cached("SELECT content_hash, generation FROM source WHERE id = ?1")?
            .query_row([source.id.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let generation = match existing {
            Some((hash, _)) if hash == source.content_hash => return Ok(SourceOutcome::Unchanged),
            Some((_, generation)) => generation + 1,
            None => 1,
        };
        self.tx
            .prepare_cached(
                "INSERT INTO source (id, kind, title, content_hash, synthetic, generation, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
                   content_hash = excluded.content_hash, synthetic = excluded.synthetic,
                   generation = excluded.generation, batch_id = excluded.batch_id",
            )?
            .execute(params![
                source.id.as_str(),
                source.kind.as_str(),
                source.title,
                source.content_hash,
                source.synthetic,
                generation,
                self.batch_id
            ])?;
        if generation == 1 {
            return Ok(SourceOutcome::New { generation });
        }
        // A changed source: retract every active statement of its earlier generations.
        let active = {
            let mut query = self.tx.prepare_cached(&format!(
                "SELECT {STATEMENT_COLUMNS} FROM statement s JOIN batch b ON b.id = s.batch_id
                 WHERE s.id BETWEEN ?2 AND ?3 AND s.source_id = ?1 AND s.retracts IS NULL
                   AND NOT EXISTS (SELECT 1 FROM statement r WHERE r.retracts = s.id)
                 ORDER BY s.entity_id, s.rowid"
            ))?;
            let (low, high) = source_id_range(&source.id);
            let rows = query.query_map(params![source.id.as_str(), low, high], statement_from_row)?;
            collect_statements(rows)?
        };
        let retractions: Vec<Statement> = active.iter().map(|s| s.retraction("", "")).collect();
        self.put_statements(&retractions)?;
        let retracted = retractions.len();
        Ok(SourceOutcome::Changed { generation, retracted: retracted as u64 })
    }

    fn put_statements(&mut self, statements: &[Statement]) -> Result<()> {
        let mut insert = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO statement (id, entity_id, schema, property, value, source_id, locator, batch_id,
                                              confidence, sensitivity, retracts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        let mut entity = self.tx.prepare_cached("INSERT OR IGNORE INTO entity (id, schema) VALUES (?1, ?2)")?;
        let mut last_entity: Option<&EntityId> = None;
        for statement in statements {
            insert.execute(params![
                statement.id.to_bytes(),
                statement.entity_id.as_str(),
                statement.schema,
                statement.property,
                statement.value,
                statement.source_id.as_str(),
                statement.locator,
                self.batch_id,
                statement.confidence,
                sensitivity_code(statement.sensitivity),
                statement.retracts.as_ref().map(StatementId::to_bytes),
            ])?;
            // Statements come grouped by entity, so one entity row per run is enough.
            if last_entity != Some(&statement.entity_id) {
                entity.execute(params![statement.entity_id.as_str(), statement.schema])?;
                last_entity = Some(&statement.entity_id);
            }
        }
        Ok(())
    }

    fn put_segments(&mut self, source: &SourceId, generation: u32, segments: &[Segment]) -> Result<()> {
        let mut insert = self.tx.prepare_cached(
            "INSERT OR REPLACE INTO segment (source_id, generation, segment_id, lang, text, translation_lang,
                                             translation_text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for segment in segments {
            insert.execute(params![
                source.as_str(),
                generation,
                segment.id,
                segment.lang,
                segment.text,
                segment.translation.as_ref().map(|t| t.lang.as_str()),
                segment.translation.as_ref().map(|t| t.text.as_str()),
            ])?;
        }
        Ok(())
    }

    fn put_consent(&mut self, source: &SourceId, generation: u32, record: &str) -> Result<()> {
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO consent (source_id, generation, record) VALUES (?1, ?2, ?3)")?
            .execute(params![source.as_str(), generation, record])?;
        Ok(())
    }

    fn put_protected(&mut self, source: &SourceId, generation: u32, payload: &str) -> Result<()> {
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO protected (source_id, generation, payload) VALUES (?1, ?2, ?3)")?
            .execute(params![source.as_str(), generation, payload])?;
        Ok(())
    }

    fn commit(self: Box<Self>) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}
