//! The safe line's database: a SQLite file of its own (`safe-line/safe-line.db` in a project), apart from the
//! project's store, so that what senders write never mixes with the custody log's timed batches, and a flood
//! of senders never waits for the project's write lock. It holds sealed bytes and what caseworkers need to sort
//! them; see its schema (migrations/safe-line).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::{Error, Result};

const MIGRATIONS: [&str; 1] = [include_str!("../migrations/safe-line/0001_conversations.sql")];

/// The numbers conversations get (seven digits, at random).
const CONVERSATION_NUMBERS: std::ops::Range<i64> = 1_000_000..10_000_000;

/// The triage states of a conversation.
pub const STATES: [&str; 4] = ["new", "in-contact", "referred", "closed"];

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    /// A sender's letter, sealed to the caseworkers.
    Letter,
    /// A caseworker's reply, sealed to the conversation's key and the caseworkers.
    Reply,
    /// A caseworker's note, sealed to the caseworkers.
    Note,
}

impl MessageKind {
    /// The word the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Letter => "letter",
            MessageKind::Reply => "reply",
            MessageKind::Note => "note",
        }
    }

    fn parse(text: &str) -> Option<MessageKind> {
        [MessageKind::Letter, MessageKind::Reply, MessageKind::Note].into_iter().find(|kind| kind.as_str() == text)
    }
}

/// A conversation as a code finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    /// Its number.
    pub number: u64,
    /// The public key replies are sealed to; `None` when the sender wanted no answer.
    pub reply_key: Option<String>,
    /// The day it was opened.
    pub opened: String,
    /// Its triage state.
    pub state: String,
    /// The sealed bytes it holds (letters, files, replies and notes).
    pub bytes: u64,
}

/// A conversation as caseworkers list them: counts and days, nothing said.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConversationSummary {
    /// Its number.
    pub number: u64,
    /// The day it was opened.
    pub opened: String,
    /// The day of its latest message.
    pub last_day: String,
    /// Its triage state.
    pub state: String,
    /// Whether the sender can be answered.
    pub answerable: bool,
    /// Letters from the sender.
    pub letters: u64,
    /// Letters no caseworker has fetched yet.
    pub unseen: u64,
    /// Replies sent.
    pub replies: u64,
}

/// A message as stored: sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedMessage {
    /// Its number (random).
    pub number: u64,
    /// Its place in its conversation (1, 2, 3...).
    pub seq: u64,
    /// What it is.
    pub kind: MessageKind,
    /// The day it was written.
    pub day: String,
    /// Its sealed bytes.
    pub sealed: Vec<u8>,
    /// How many files it has.
    pub files: u64,
}

/// A file of a letter, as it reaches the store: sealed whole, or the token of an upload whose chunks are
/// stored already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterFile {
    /// Sealed whole (one chunk).
    Whole(Vec<u8>),
    /// Sent in chunks under this token.
    Upload([u8; 16]),
}

/// What storing a chunk did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkStored {
    /// Whether it was written (a chunk stored already is never written again).
    pub written: bool,
    /// How many of the upload's chunks are stored now.
    pub have: u32,
}

/// The safe line's database, shared by every thread of a server.
#[derive(Debug)]
pub struct SafeLineStore {
    path: PathBuf,
    /// One connection: every operation is short (the slow work, sealing and key derivation, is done before).
    db: Mutex<Connection>,
}

impl SafeLineStore {
    /// Opens the database, creating it (private to its owner) when it does not exist yet.
    pub fn open(path: &Path) -> Result<SafeLineStore> {
        if !path.exists() {
            if let Some(dir) = path.parent().filter(|dir| !dir.exists()) {
                clew_files::create_private_dir(dir)
                    .map_err(|e| Error::Io { path: dir.to_path_buf(), message: e.to_string() })?;
            }
            drop(
                clew_files::create_private_new(path)
                    .map_err(|e| Error::Io { path: path.to_path_buf(), message: e.to_string() })?,
            );
        }
        let mut connection = crate::sqlite::connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        // Deleted rows are overwritten, not left in free pages; the WAL is checkpointed often and truncated
        // after, so it does not keep a long history of writes in the order they came.
        connection.execute_batch(
            "PRAGMA secure_delete = ON; PRAGMA wal_autocheckpoint = 64; PRAGMA journal_size_limit = 0;",
        )?;
        crate::sqlite::migrate(&mut connection, path, &MIGRATIONS)?;
        Ok(SafeLineStore { path: path.to_path_buf(), db: Mutex::new(connection) })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding it left no transaction open (each ends before the guard drops, or rolls back).
        self.db.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The salt of key derivation: made (16 random bytes) the first time it is asked for.
    pub fn salt(&self, fresh: [u8; 16]) -> Result<[u8; 16]> {
        let db = self.db();
        db.execute("INSERT OR IGNORE INTO setting (name, value) VALUES ('salt', ?1)", [&fresh[..]])?;
        let salt: Vec<u8> = db.query_row("SELECT value FROM setting WHERE name = 'salt'", [], |row| row.get(0))?;
        salt.try_into().map_err(|_| Error::Corrupt("the safe line's salt is not 16 bytes".into()))
    }

    /// Opens a conversation with its first letter and the letter's files, in one transaction; its number.
    pub fn open_conversation(
        &self,
        answer: Option<(&[u8; 32], &str)>,
        day: &str,
        letter: &[u8],
        files: &[LetterFile],
    ) -> Result<u64> {
        let mut db = self.db();
        let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (lookup, key) = match answer {
            Some((lookup, key)) => (Some(&lookup[..]), Some(key)),
            None => (None, None),
        };
        if let Some(lookup) = lookup {
            let taken: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM conversation WHERE lookup = ?1)", [lookup], |row| {
                    row.get(0)
                })?;
            if taken {
                return Err(Error::Conflict("a conversation with this return code exists already".into()));
            }
        }
        let mut number = None;
        for _ in 0..16 {
            let candidate: i64 = rand::random_range(CONVERSATION_NUMBERS);
            let added = tx.execute(
                "INSERT OR IGNORE INTO conversation (number, lookup, reply_key, opened) VALUES (?1, ?2, ?3, ?4)",
                params![candidate, lookup, key, day],
            )?;
            if added == 1 {
                number = Some(candidate as u64);
                break;
            }
        }
        let number = number.ok_or_else(|| Error::Conflict("no free conversation number: try again".into()))?;
        insert_letter(&tx, number, day, letter, files)?;
        tx.commit()?;
        Ok(number)
    }

    /// Whether any conversation has a return code (so a pepper was used).
    pub fn has_codes(&self) -> Result<bool> {
        Ok(self
            .db()
            .query_row("SELECT EXISTS (SELECT 1 FROM conversation WHERE lookup IS NOT NULL)", [], |row| row.get(0))?)
    }

    /// Counts for the staff application: conversations by state, and letters no caseworker has read yet.
    pub fn overview(&self) -> Result<(Vec<(String, u64)>, u64)> {
        let db = self.db();
        let mut query = db.prepare_cached("SELECT state, count(*) FROM conversation GROUP BY state")?;
        let states = query
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let unread: i64 =
            db.query_row("SELECT count(*) FROM message WHERE kind = 'letter' AND seen = 0", [], |row| row.get(0))?;
        Ok((states, unread as u64))
    }

    /// The conversation a code's lookup finds.
    pub fn find(&self, lookup: &[u8; 32]) -> Result<Option<Conversation>> {
        self.conversation_where("c.lookup = ?1", &lookup[..])
    }

    /// A conversation by its number.
    pub fn conversation(&self, number: u64) -> Result<Option<Conversation>> {
        self.conversation_where("c.number = ?1", number as i64)
    }

    fn conversation_where(&self, condition: &str, value: impl rusqlite::ToSql) -> Result<Option<Conversation>> {
        let db = self.db();
        let found = db
            .prepare_cached(&format!(
                "SELECT c.number, c.reply_key, c.opened, c.state,
                    coalesce((SELECT sum(length(m.sealed)) FROM message m WHERE m.conversation = c.number), 0)
                    + coalesce((SELECT sum(length(f.sealed)) FROM message m JOIN file f ON f.message = m.number
                                WHERE m.conversation = c.number), 0)
                 FROM conversation c WHERE {condition}"
            ))?
            .query_row([value], |row| {
                Ok(Conversation {
                    number: row.get::<_, i64>(0)? as u64,
                    reply_key: row.get(1)?,
                    opened: row.get(2)?,
                    state: row.get(3)?,
                    bytes: row.get::<_, i64>(4)? as u64,
                })
            })
            .optional()?;
        Ok(found)
    }

    /// Adds a sender's letter (and its files) to a conversation; its number.
    pub fn add_letter(&self, conversation: u64, day: &str, letter: &[u8], files: &[LetterFile]) -> Result<u64> {
        let mut db = self.db();
        let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let number = insert_letter(&tx, conversation, day, letter, files)?;
        tx.commit()?;
        Ok(number)
    }

    /// Adds a caseworker's reply or note, already sealed; its number. `None` when there is no such
    /// conversation, or a reply to one that cannot be answered.
    pub fn add_sealed(&self, conversation: u64, kind: MessageKind, day: &str, sealed: &[u8]) -> Result<Option<u64>> {
        let db = self.db();
        let condition = if kind == MessageKind::Reply { "reply_key IS NOT NULL" } else { "1" };
        let exists: bool = db.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM conversation WHERE number = ?1 AND {condition})"),
            [conversation as i64],
            |row| row.get(0),
        )?;
        if !exists || kind == MessageKind::Letter {
            return Ok(None);
        }
        Ok(Some(insert_message(&db, conversation, kind, day, sealed, true)?))
    }

    /// Every conversation, the latest written to first, with its counts.
    pub fn conversations(&self) -> Result<Vec<ConversationSummary>> {
        let db = self.db();
        let mut query = db.prepare_cached(
            "SELECT c.number, c.opened, c.state, c.reply_key IS NOT NULL,
                coalesce(max(m.day), c.opened),
                count(*) FILTER (WHERE m.kind = 'letter'),
                count(*) FILTER (WHERE m.kind = 'letter' AND m.seen = 0),
                count(*) FILTER (WHERE m.kind = 'reply')
             FROM conversation c LEFT JOIN message m ON m.conversation = c.number
             GROUP BY c.number ORDER BY 5 DESC, c.opened DESC, c.number",
        )?;
        let rows = query.query_map([], |row| {
            Ok(ConversationSummary {
                number: row.get::<_, i64>(0)? as u64,
                opened: row.get(1)?,
                state: row.get(2)?,
                answerable: row.get(3)?,
                last_day: row.get(4)?,
                letters: row.get::<_, i64>(5)? as u64,
                unseen: row.get::<_, i64>(6)? as u64,
                replies: row.get::<_, i64>(7)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// A conversation's messages of the kinds asked for, in order.
    pub fn messages(&self, conversation: u64, kinds: &[MessageKind]) -> Result<Vec<SealedMessage>> {
        let db = self.db();
        let mut query = db.prepare_cached(
            "SELECT m.number, m.seq, m.kind, m.day, m.sealed,
                (SELECT count(DISTINCT f.position) FROM file f WHERE f.message = m.number)
             FROM message m WHERE m.conversation = ?1 ORDER BY m.seq",
        )?;
        let rows = query.query_map([conversation as i64], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get::<_, i64>(5)?,
            ))
        })?;
        let mut messages = Vec::new();
        for row in rows {
            let (number, seq, kind, day, sealed, files) = row?;
            let kind = MessageKind::parse(&kind).ok_or_else(|| Error::Corrupt(format!("message kind `{kind}`")))?;
            if kinds.contains(&kind) {
                messages.push(SealedMessage {
                    number: number as u64,
                    seq: seq as u64,
                    kind,
                    day,
                    sealed,
                    files: files as u64,
                });
            }
        }
        Ok(messages)
    }

    /// A letter's file as sent: its chunks in order, each sealed (one for a file sent whole); `None` when
    /// the letter has no such file.
    pub fn file(&self, message: u64, position: u64) -> Result<Option<Vec<Vec<u8>>>> {
        let db = self.db();
        let mut query =
            db.prepare_cached("SELECT sealed FROM file WHERE message = ?1 AND position = ?2 ORDER BY chunk")?;
        let chunks = query
            .query_map([message as i64, position as i64], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<Vec<u8>>>>()?;
        Ok(if chunks.is_empty() { None } else { Some(chunks) })
    }

    /// Stores one sealed chunk of an upload of `chunks` chunks. A chunk stored already is left as it is (a
    /// repeated request writes nothing); an upload first seen is registered with its day. Refused
    /// ([`Error::Conflict`]) when the upload was registered with another number of chunks.
    pub fn put_chunk(
        &self,
        token: &[u8; 16],
        chunks: u32,
        chunk: u32,
        day: &str,
        sealed: &[u8],
    ) -> Result<ChunkStored> {
        let mut db = self.db();
        let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.prepare_cached("INSERT OR IGNORE INTO upload (token, day, chunks) VALUES (?1, ?2, ?3)")?
            .execute(params![&token[..], day, chunks])?;
        let registered: u32 =
            tx.query_row("SELECT chunks FROM upload WHERE token = ?1", [&token[..]], |row| row.get(0))?;
        if registered != chunks {
            return Err(Error::Conflict(format!("this upload has {registered} chunks, not {chunks}")));
        }
        let written = tx
            .prepare_cached("INSERT OR IGNORE INTO upload_chunk (token, chunk, sealed) VALUES (?1, ?2, ?3)")?
            .execute(params![&token[..], chunk, sealed])?
            == 1;
        let have: u32 =
            tx.query_row("SELECT count(*) FROM upload_chunk WHERE token = ?1", [&token[..]], |row| row.get(0))?;
        tx.commit()?;
        Ok(ChunkStored { written, have })
    }

    /// How many uploads are on their way (not yet taken by a letter).
    pub fn uploads_in_flight(&self) -> Result<u64> {
        let count: i64 = self.db().query_row("SELECT count(*) FROM upload", [], |row| row.get(0))?;
        Ok(count as u64)
    }

    /// Forgets the uploads no letter took that began before `day`; how many.
    pub fn forget_uploads_before(&self, day: &str) -> Result<u64> {
        let mut db = self.db();
        let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM upload_chunk WHERE token IN (SELECT token FROM upload WHERE day < ?1)", [day])?;
        let forgotten = tx.execute("DELETE FROM upload WHERE day < ?1", [day])?;
        tx.commit()?;
        Ok(forgotten as u64)
    }

    /// Marks a conversation's letters as fetched by a caseworker.
    pub fn mark_seen(&self, conversation: u64) -> Result<()> {
        self.db().execute("UPDATE message SET seen = 1 WHERE conversation = ?1 AND seen = 0", [conversation as i64])?;
        Ok(())
    }

    /// Sets a conversation's triage state (one of [`STATES`]); `false` when there is no such conversation.
    pub fn set_state(&self, conversation: u64, state: &str) -> Result<bool> {
        if !STATES.contains(&state) {
            return Err(Error::Conflict(format!("`{state}` is not a state (one of {})", STATES.join(", "))));
        }
        let changed = self
            .db()
            .execute("UPDATE conversation SET state = ?2 WHERE number = ?1", params![conversation as i64, state])?;
        Ok(changed == 1)
    }
}

fn insert_letter(
    tx: &rusqlite::Transaction<'_>,
    conversation: u64,
    day: &str,
    letter: &[u8],
    files: &[LetterFile],
) -> Result<u64> {
    let number = insert_message(tx, conversation, MessageKind::Letter, day, letter, false)? as i64;
    for (position, file) in files.iter().enumerate() {
        match file {
            LetterFile::Whole(sealed) => {
                tx.prepare_cached("INSERT INTO file (message, position, chunk, sealed) VALUES (?1, ?2, 0, ?3)")?
                    .execute(params![number, position as i64, sealed])?;
            }
            LetterFile::Upload(token) => {
                // Every chunk must be there: a letter never lists a file it does not hold whole.
                let (chunks, have): (Option<i64>, i64) = tx.query_row(
                    "SELECT (SELECT chunks FROM upload WHERE token = ?1),
                            (SELECT count(*) FROM upload_chunk WHERE token = ?1)",
                    [&token[..]],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?;
                if chunks != Some(have) {
                    return Err(Error::Conflict(format!(
                        "an upload is not complete: {have} of {} chunks",
                        chunks.map_or_else(|| "?".to_string(), |c| c.to_string())
                    )));
                }
                tx.prepare_cached(
                    "INSERT INTO file (message, position, chunk, sealed)
                     SELECT ?1, ?2, chunk, sealed FROM upload_chunk WHERE token = ?3",
                )?
                .execute(params![number, position as i64, &token[..]])?;
                tx.prepare_cached("DELETE FROM upload_chunk WHERE token = ?1")?.execute([&token[..]])?;
                tx.prepare_cached("DELETE FROM upload WHERE token = ?1")?.execute([&token[..]])?;
            }
        }
    }
    Ok(number as u64)
}

/// Adds a message at the end of its conversation, under a random number; its number.
fn insert_message(
    db: &Connection,
    conversation: u64,
    kind: MessageKind,
    day: &str,
    sealed: &[u8],
    seen: bool,
) -> Result<u64> {
    let seq: i64 = db.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM message WHERE conversation = ?1",
        [conversation as i64],
        |row| row.get(0),
    )?;
    for _ in 0..16 {
        let number: i64 = rand::random_range(1..i64::MAX);
        let added = db
            .prepare_cached(
                "INSERT OR IGNORE INTO message (number, conversation, seq, kind, day, sealed, seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![number, conversation as i64, seq, kind.as_str(), day, sealed, seen])?;
        if added == 1 {
            return Ok(number as u64);
        }
    }
    Err(Error::Conflict("no free message number: try again".into()))
}
