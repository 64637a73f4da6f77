//! The safe line: what senders write, sealed to the caseworkers on receipt; return codes to come back; what
//! caseworkers fetch (sealed), answer (sealed on their own machines) and sort. The design and threat model are
//! docs/safe-line.md. The server's part is clew-server's `safe_line`; the caseworkers' is `clew inbox`.
//!
//! Nothing here writes a sender's words, an address, a browser or a time finer than the day: a letter is sealed
//! in memory before it reaches the safe line's database, and that database is not the project's store (whose
//! batches carry full times).

use std::path::Path;

use clew_safeline::letter::{FileNote, Letter, MAX_TEXT, Note, Reply};
pub use clew_safeline::{CodeForm, Pepper, ReturnCode, WordList};
use clew_store::safe_line::{ChunkStored, LetterFile};
pub use clew_store::safe_line::{ConversationSummary, MessageKind, STATES, SealedMessage};
use clew_vault::Recipient;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{Actor, Code, Error, Reason, Result, Service};

/// The most files a letter carries.
pub const MAX_FILES: usize = 3;
/// The most bytes of one file.
pub const MAX_FILE_BYTES: usize = 8 << 20;
/// The most sealed bytes one conversation holds (its letters, files, replies and notes).
pub const MAX_CONVERSATION_BYTES: u64 = 64 << 20;
/// The most bytes of a file's name as the sender's phone gave it.
const MAX_NAME: usize = 255;
/// The bytes of a file in each chunk the page's script sends (the last may be shorter): with the form's other
/// fields and its padding, a chunk's request fills the largest bucket (128 KiB).
pub const CHUNK_BYTES: usize = 96 << 10;
/// The most chunks of one file.
pub const MAX_CHUNKS: u32 = MAX_FILE_BYTES.div_ceil(CHUNK_BYTES) as u32;
/// The most uploads on their way at once, from everyone: a flood of half uploads cannot fill the disk.
pub const MAX_UPLOADS_IN_FLIGHT: u64 = 2_000;

/// What a sender sends.
pub struct Submission {
    /// The language of the page (`ko`, `ru`, `en`).
    pub language: String,
    /// The message (wiped when dropped).
    pub text: Zeroizing<String>,
    /// Files sent with it, whole.
    pub files: Vec<SubmittedFile>,
    /// Files sent before it in chunks ([`Service::safe_line_chunk`]).
    pub uploads: Vec<UploadedFile>,
    /// Whether and how the sender comes back.
    pub answer: Answer,
}

/// A file a sender sends.
pub struct SubmittedFile {
    /// Its name on the sender's phone.
    pub name: String,
    /// Its media type, as the browser said.
    pub media_type: String,
    /// Its bytes (wiped when dropped).
    pub bytes: Zeroizing<Vec<u8>>,
}

/// A file a sender's page sent in chunks, as the page describes it in the letter that lists it. The server
/// cannot check the description (it never holds the file whole): `clew inbox read` checks the SHA-256.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadedFile {
    /// The upload's token (32 hex digits).
    pub token: String,
    /// Its name on the sender's phone.
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, hex, as the page computed it.
    pub sha256: String,
}

/// An upload's token from its hex, or the refusal of one that is not.
fn upload_token(text: &str) -> Result<[u8; 16]> {
    hex::decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; 16]>::try_from(bytes).ok())
        .ok_or_else(|| Error::usage("an upload's token is 32 hex digits"))
}

/// How a sender comes back.
pub enum Answer {
    /// Not at all: a one-off message.
    None,
    /// With a new return code of this form.
    New(CodeForm),
}

/// What the staff application shows of the safe line: nothing anyone wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SafeLineOverview {
    /// Conversations by triage state.
    pub states: Vec<(String, u64)>,
    /// Letters no caseworker has read yet.
    pub unread: u64,
}

/// What a sender with the right code sees: the replies, opened for this request only.
#[derive(Debug)]
pub struct SenderView {
    /// The day the conversation was opened.
    pub opened: String,
    /// How many letters the sender has sent.
    pub letters: u64,
    /// The replies, oldest first: the day and the text.
    pub replies: Vec<(String, Zeroizing<String>)>,
}

impl Service {
    /// The safe line's pepper: read from its file, or made there (private) when the safe line has no
    /// conversation with a return code yet. A pepper missing once codes exist is refused rather than replaced:
    /// a new one would silently make every sender's code open nothing.
    pub fn safe_line_pepper(&self, path: &Path) -> Result<Pepper> {
        if std::fs::symlink_metadata(path).is_err() && self.safe_line_store()?.has_codes()? {
            return Err(Error::new(
                Code::Key,
                format!(
                    "{}: the safe line's pepper is not there, but senders hold return codes made with it: restore it \
                     from its backup (a new pepper would make every code open nothing)",
                    path.display()
                ),
            ));
        }
        load_or_create_pepper(path)
    }
}

/// Reads the safe line's pepper from its file, or makes one there (private) when there is none yet.
fn load_or_create_pepper(path: &Path) -> Result<Pepper> {
    const HEADER: &str = "# clew safe-line pepper: keep it apart from the project's database, and backed up\n";
    match std::fs::symlink_metadata(path) {
        Ok(_) => {
            let text =
                Zeroizing::new(clew_files::read_text(path, 4096).map_err(|e| Error::new(Code::Key, e.to_string()))?);
            let line = text.lines().map(str::trim).find(|line| !line.is_empty() && !line.starts_with('#'));
            let bytes = line
                .and_then(|line| hex::decode(line).ok())
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .ok_or_else(|| {
                    Error::new(Code::Key, format!("{}: not a safe-line pepper (64 hex digits)", path.display()))
                })?;
            Ok(Pepper::from_bytes(bytes))
        }
        Err(_) => {
            if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty() && !dir.exists()) {
                clew_files::create_private_dir(dir).map_err(|e| Error::internal(e.to_string()))?;
            }
            let pepper = Pepper::generate();
            let text = Zeroizing::new(format!("{HEADER}{}\n", hex::encode(pepper.as_bytes())));
            crate::keys::write_secret_file(path, &text)?;
            Ok(pepper)
        }
    }
}

impl Service {
    /// Where the safe line's pepper is kept unless the operator says otherwise: outside the project's folder
    /// (so a copy or backup of the project carries no pepper), in the user's configuration folder, under a name
    /// from this safe line's salt (so a project moved elsewhere finds it again).
    pub fn default_pepper_path(&self) -> Result<std::path::PathBuf> {
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|dir| !dir.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").filter(|d| !d.is_empty()).map(|home| Path::new(&home).join(".config")))
            .ok_or_else(|| Error::usage("neither XDG_CONFIG_HOME nor HOME is set: give --safe-line-pepper FILE"))?;
        let id = hex::encode(&self.safe_line_salt()?[..8]);
        Ok(config.join("clew").join("safe-line").join(format!("{id}.pepper")))
    }

    /// Refuses a pepper inside the project's folder: beside the database, it would protect nothing.
    pub fn check_pepper_path(&self, path: &Path) -> Result<()> {
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let project = absolute(&self.project.dir);
        if absolute(path).starts_with(&project) {
            return Err(Error::usage(format!(
                "{}: the safe line's pepper must be kept apart from the project (it is inside {}): whoever copies \
                 the project would get it too",
                path.display(),
                project.display()
            )));
        }
        Ok(())
    }
}

/// Today in UTC, as the safe line records days.
fn today() -> String {
    clew_custody::now_rfc3339().chars().take(10).collect()
}

fn refused(code: Code, field: &str, id: &'static str, args: Vec<(&'static str, String)>, words: &str) -> Error {
    Error::new(code, words).with_reasons(vec![Reason { field: field.to_string(), id, args }])
}

/// The refusal of a code that opens nothing: one answer for a wrong code and an unknown one.
fn unknown_code() -> Error {
    refused(Code::NotFound, "code", "reason-line-unknown-code", Vec::new(), "no conversation has this return code")
}

impl Service {
    fn safe_line(&self) -> Result<&(clew_store::SafeLineStore, [u8; 16])> {
        use rand::Rng;
        if let Some(opened) = self.safe_line.get() {
            return Ok(opened);
        }
        let store = clew_store::SafeLineStore::open(&self.project.safe_line_dir().join("safe-line.db"))?;
        let salt = store.salt(rand::rng().random())?;
        Ok(self.safe_line.get_or_init(|| (store, salt)))
    }

    fn safe_line_store(&self) -> Result<&clew_store::SafeLineStore> {
        Ok(&self.safe_line()?.0)
    }

    fn safe_line_salt(&self) -> Result<[u8; 16]> {
        Ok(self.safe_line()?.1)
    }

    /// The caseworkers, as keys to seal to.
    fn caseworker_keys(&self) -> Result<Vec<Recipient>> {
        let caseworkers = self.project.read()?.caseworkers()?;
        caseworkers
            .iter()
            .map(|c| c.public_key.parse::<Recipient>().map_err(|e| Error::internal(format!("caseworker key: {e}"))))
            .collect()
    }

    /// Checks what a sender sends and seals it in memory to the caseworkers: the sealed letter and files, and
    /// their size.
    fn seal_submission(&self, submission: &Submission) -> Result<(Vec<u8>, Vec<LetterFile>, u64)> {
        let text = submission.text.trim();
        let file_count = submission.files.len() + submission.uploads.len();
        if text.is_empty() && file_count == 0 {
            return Err(refused(Code::Usage, "message", "reason-line-empty", Vec::new(), "the message is empty"));
        }
        if text.len() > MAX_TEXT {
            return Err(refused(
                Code::TooLarge,
                "message",
                "reason-line-text-too-long",
                vec![("limit", MAX_TEXT.to_string())],
                &format!("the message is longer than {MAX_TEXT} bytes"),
            ));
        }
        if file_count > MAX_FILES {
            return Err(refused(
                Code::TooLarge,
                "files",
                "reason-line-too-many-files",
                vec![("limit", MAX_FILES.to_string())],
                &format!("more than {MAX_FILES} files"),
            ));
        }
        if submission.files.iter().any(|file| file.bytes.len() > MAX_FILE_BYTES)
            || submission.uploads.iter().any(|file| file.size > MAX_FILE_BYTES as u64)
        {
            return Err(refused(
                Code::TooLarge,
                "files",
                "reason-line-file-too-large",
                vec![("limit", (MAX_FILE_BYTES >> 20).to_string())],
                &format!("a file is larger than {} MiB", MAX_FILE_BYTES >> 20),
            ));
        }
        let caseworkers = self.open_caseworker_keys()?;
        let mut sealed_files = Vec::with_capacity(file_count);
        let mut notes = Vec::with_capacity(file_count);
        let mut size = 0u64;
        for file in &submission.files {
            let mut padded = Zeroizing::new(file.bytes.to_vec());
            clew_safeline::pad::pad_plaintext(&mut padded, CHUNK_BYTES, 0);
            let sealed = clew_vault::seal(&caseworkers, &padded)?;
            size += sealed.len() as u64;
            sealed_files.push(LetterFile::Whole(sealed));
            notes.push(FileNote {
                name: file.name.chars().take(MAX_NAME).collect(),
                media_type: file.media_type.chars().take(MAX_NAME).collect(),
                size: file.bytes.len() as u64,
                sha256: hex::encode(Sha256::digest(&file.bytes[..])),
            });
        }
        for file in &submission.uploads {
            sealed_files.push(LetterFile::Upload(upload_token(&file.token)?));
            size += file.size;
            notes.push(FileNote {
                name: file.name.chars().take(MAX_NAME).collect(),
                media_type: file.media_type.chars().take(MAX_NAME).collect(),
                size: file.size,
                sha256: file.sha256.chars().take(64).collect(),
            });
        }
        let letter = Letter { language: submission.language.clone(), text: text.to_string(), files: notes };
        let mut plaintext = Zeroizing::new(serde_json::to_vec(&letter).map_err(|e| Error::internal(e.to_string()))?);
        drop(Zeroizing::new(letter.text));
        clew_safeline::pad::pad_plaintext(&mut plaintext, clew_safeline::pad::TEXT_UNIT, b' ');
        let sealed = clew_vault::seal(&caseworkers, &plaintext)?;
        let size = size + sealed.len() as u64;
        Ok((sealed, sealed_files, size))
    }

    /// The caseworkers' keys, or the refusal of a line nobody could read.
    fn open_caseworker_keys(&self) -> Result<Vec<Recipient>> {
        let caseworkers = self.caseworker_keys()?;
        if caseworkers.is_empty() {
            return Err(refused(
                Code::Conflict,
                "",
                "reason-line-closed",
                Vec::new(),
                "the safe line has no caseworker yet: nobody could read the message (add one with `clew caseworker add`)",
            ));
        }
        Ok(caseworkers)
    }

    /// Takes one chunk of a file a sender's page sends in chunks: sealed to the caseworkers in memory, then
    /// stored under the upload's token. A chunk stored already is not written again (a page that lost the
    /// answer sends it again). Uploads no letter took are forgotten after a day.
    pub fn safe_line_chunk(&self, token: &str, chunks: u32, chunk: u32, bytes: &[u8]) -> Result<ChunkStored> {
        let token = upload_token(token)?;
        if chunks == 0 || chunks > MAX_CHUNKS || chunk >= chunks {
            return Err(refused(
                Code::TooLarge,
                "files",
                "reason-line-file-too-large",
                vec![("limit", (MAX_FILE_BYTES >> 20).to_string())],
                &format!("chunk {chunk} of {chunks}: a file has at most {MAX_CHUNKS} chunks"),
            ));
        }
        if bytes.len() > CHUNK_BYTES || bytes.is_empty() {
            return Err(Error::usage(format!("a chunk holds 1 to {CHUNK_BYTES} bytes")));
        }
        let caseworkers = self.open_caseworker_keys()?;
        let store = self.safe_line_store()?;
        if chunk == 0 {
            let yesterday = humantime::format_rfc3339_seconds(
                std::time::SystemTime::now() - std::time::Duration::from_secs(24 * 3600),
            )
            .to_string();
            store.forget_uploads_before(&yesterday[..10])?;
            if store.uploads_in_flight()? >= MAX_UPLOADS_IN_FLIGHT {
                return Err(Error::new(Code::RateLimited, "too many uploads are on their way; try again later"));
            }
        }
        let mut padded = Zeroizing::new(bytes.to_vec());
        clew_safeline::pad::pad_plaintext(&mut padded, CHUNK_BYTES, 0);
        let sealed = clew_vault::seal(&caseworkers, &padded)?;
        Ok(store.put_chunk(&token, chunks, chunk, &today(), &sealed)?)
    }

    /// Opens a conversation with what a sender sends: checks it, seals it in memory to the caseworkers, and
    /// stores only the sealed bytes and the day. A new code is derived here (one Argon2id run) and given back,
    /// once: it is kept nowhere.
    pub fn safe_line_send(&self, pepper: &Pepper, submission: Submission) -> Result<Option<ReturnCode>> {
        let (sealed, sealed_files, _) = self.seal_submission(&submission)?;
        let store = self.safe_line_store()?;
        match submission.answer {
            Answer::New(form) => {
                let code = ReturnCode::generate(form);
                let keys = clew_safeline::key::derive(&code, &self.safe_line_salt()?, pepper);
                let reply_key = keys.recipient().to_string();
                store.open_conversation(Some((&keys.lookup, &reply_key)), &today(), &sealed, &sealed_files)?;
                Ok(Some(code))
            }
            Answer::None => {
                store.open_conversation(None, &today(), &sealed, &sealed_files)?;
                Ok(None)
            }
        }
    }

    /// What a sender with a code sees, after adding what they send now (if anything; its `answer` is not
    /// used): the replies, opened in memory with the conversation's key. One Argon2id run either way. A wrong
    /// code and an unknown one are the same refusal, after the same work, and store nothing.
    pub fn safe_line_open(&self, pepper: &Pepper, code: &ReturnCode, more: Option<Submission>) -> Result<SenderView> {
        let keys = clew_safeline::key::derive(code, &self.safe_line_salt()?, pepper);
        let store = self.safe_line_store()?;
        let conversation = store.find(&keys.lookup)?.ok_or_else(unknown_code)?;
        if let Some(more) = more {
            let (sealed, sealed_files, size) = self.seal_submission(&more)?;
            if conversation.bytes + size > MAX_CONVERSATION_BYTES {
                return Err(refused(
                    Code::TooLarge,
                    "",
                    "reason-line-conversation-full",
                    Vec::new(),
                    "this conversation holds as much as the safe line keeps for one",
                ));
            }
            store.add_letter(conversation.number, &today(), &sealed, &sealed_files)?;
        }
        let messages = store.messages(conversation.number, &[MessageKind::Letter, MessageKind::Reply])?;
        let letters = messages.iter().filter(|m| m.kind == MessageKind::Letter).count() as u64;
        let mut replies = Vec::new();
        for message in messages.into_iter().filter(|m| m.kind == MessageKind::Reply) {
            // A reply not sealed to this conversation's key (a caseworker's mistake, or one planted) is left out
            // rather than keeping the sender from the rest.
            let Ok(plaintext) = clew_vault::open(&keys.identity, &message.sealed) else { continue };
            let Ok(reply) = serde_json::from_slice::<Reply>(&plaintext) else { continue };
            replies.push((message.day, Zeroizing::new(reply.text)));
        }
        Ok(SenderView { opened: conversation.opened, letters, replies })
    }

    /// The safe line's caseworkers.
    pub fn caseworkers(&self) -> Result<Vec<clew_store::Caseworker>> {
        Ok(self.project.read()?.caseworkers()?)
    }

    /// Adds a caseworker, with its custody event; `false` when it was one already.
    pub fn add_caseworker(&self, actor: &Actor, key: &Recipient, label: &str) -> Result<bool> {
        let batch = crate::batch(actor, clew_custody::EventKind::CaseworkerAdd.as_str());
        let mut tx = self.project.store().write(&batch)?;
        let added = tx.put_caseworker(&key.to_string(), label)?;
        let detail = serde_json::json!({"public_key": key.to_string(), "label": label, "added": added});
        clew_custody::record_event(tx.as_mut(), &batch, clew_custody::EventKind::CaseworkerAdd, &detail)?;
        tx.commit()?;
        Ok(added)
    }

    /// Removes a caseworker, with its custody event: nothing new is sealed to it.
    pub fn remove_caseworker(&self, actor: &Actor, key: &Recipient) -> Result<()> {
        let batch = crate::batch(actor, clew_custody::EventKind::CaseworkerRemove.as_str());
        let mut tx = self.project.store().write(&batch)?;
        if !tx.remove_caseworker(&key.to_string())? {
            return Err(Error::new(Code::NotFound, format!("{key} is not a caseworker of this project")));
        }
        let detail = serde_json::json!({"public_key": key.to_string()});
        clew_custody::record_event(tx.as_mut(), &batch, clew_custody::EventKind::CaseworkerRemove, &detail)?;
        tx.commit()?;
        Ok(())
    }

    /// What the staff application shows of the safe line: conversations by triage state, and how many letters
    /// no caseworker has read yet; `None` when the project has no safe line (its database is not made for
    /// asking).
    pub fn safe_line_overview(&self) -> Result<Option<SafeLineOverview>> {
        if self.safe_line.get().is_none() && !self.project.safe_line_dir().join("safe-line.db").exists() {
            return Ok(None);
        }
        let (states, unread) = self.safe_line_store()?.overview()?;
        Ok(Some(SafeLineOverview { states, unread }))
    }

    /// The safe line's conversations, newest first: numbers, days, states and counts (nothing said).
    pub fn inbox(&self) -> Result<Vec<ConversationSummary>> {
        Ok(self.safe_line_store()?.conversations()?)
    }

    /// A conversation's messages, sealed (letters, replies and notes), for a caseworker to open on their own
    /// machine.
    pub fn inbox_messages(&self, conversation: u64) -> Result<Vec<SealedMessage>> {
        let store = self.safe_line_store()?;
        if store.conversation(conversation)?.is_none() {
            return Err(no_conversation(conversation));
        }
        Ok(store.messages(conversation, &[MessageKind::Letter, MessageKind::Reply, MessageKind::Note])?)
    }

    /// Marks a conversation's letters as read by a caseworker (`clew inbox read` does, once it has opened them).
    pub fn inbox_mark_read(&self, conversation: u64) -> Result<()> {
        let store = self.safe_line_store()?;
        if store.conversation(conversation)?.is_none() {
            return Err(no_conversation(conversation));
        }
        Ok(store.mark_seen(conversation)?)
    }

    /// A letter's file as sent: its chunks, each sealed ([`open_file`] joins them).
    pub fn inbox_file(&self, message: u64, position: u64) -> Result<Vec<Vec<u8>>> {
        self.safe_line_store()?
            .file(message, position)?
            .ok_or_else(|| Error::new(Code::NotFound, format!("message {message} has no file {position}")))
    }

    /// The keys a reply to a conversation is sealed to: the conversation's own and every caseworker's.
    pub fn inbox_reply_keys(&self, conversation: u64) -> Result<Vec<Recipient>> {
        let found = self.safe_line_store()?.conversation(conversation)?.ok_or_else(|| no_conversation(conversation))?;
        let Some(key) = found.reply_key else {
            return Err(Error::new(
                Code::Conflict,
                format!("conversation {conversation} cannot be answered: its sender asked for no return code"),
            ));
        };
        let mut keys = vec![key.parse::<Recipient>().map_err(|e| Error::internal(e.to_string()))?];
        keys.extend(self.caseworker_keys()?);
        Ok(keys)
    }

    /// Stores a caseworker's reply or note, sealed on the caseworker's machine (a reply to
    /// [`Service::inbox_reply_keys`], a note to the caseworkers). The bytes must be an age file.
    pub fn inbox_add(&self, conversation: u64, kind: MessageKind, sealed: &[u8]) -> Result<u64> {
        if kind == MessageKind::Letter || !clew_vault::is_sealed(sealed) {
            return Err(Error::usage("a reply or note must be sealed (an age file) before it is stored"));
        }
        if sealed.len() > 2 * MAX_TEXT + 4096 {
            return Err(Error::new(
                Code::TooLarge,
                format!("a sealed reply or note is at most {} bytes", 2 * MAX_TEXT + 4096),
            ));
        }
        let store = self.safe_line_store()?;
        store.add_sealed(conversation, kind, &today(), sealed)?.ok_or_else(|| {
            if kind == MessageKind::Reply {
                Error::new(Code::Conflict, format!("conversation {conversation} does not exist or cannot be answered"))
            } else {
                no_conversation(conversation)
            }
        })
    }

    /// Sets a conversation's triage state (`new`, `in-contact`, `referred`, `closed`).
    pub fn inbox_set_state(&self, conversation: u64, state: &str) -> Result<()> {
        if !clew_store::safe_line::STATES.contains(&state) {
            return Err(Error::usage(format!(
                "`{state}` is not a state: one of {}",
                clew_store::safe_line::STATES.join(", ")
            )));
        }
        if !self.safe_line_store()?.set_state(conversation, state)? {
            return Err(no_conversation(conversation));
        }
        Ok(())
    }
}

/// A sealed message as the staff API carries it (`clew inbox --server`): its sealed bytes in base64.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InboxMessage {
    /// Its number.
    pub number: u64,
    /// Its place in its conversation.
    pub seq: u64,
    /// letter, reply or note.
    pub kind: MessageKind,
    /// The day it was written.
    pub day: String,
    /// How many files it has.
    pub files: u64,
    /// Its sealed bytes (an age file), base64.
    pub sealed: String,
}

impl From<&SealedMessage> for InboxMessage {
    fn from(message: &SealedMessage) -> InboxMessage {
        use base64::Engine;
        InboxMessage {
            number: message.number,
            seq: message.seq,
            kind: message.kind,
            day: message.day.clone(),
            files: message.files,
            sealed: base64::engine::general_purpose::STANDARD.encode(&message.sealed),
        }
    }
}

impl InboxMessage {
    /// The message with its sealed bytes decoded.
    pub fn sealed(&self) -> Result<SealedMessage> {
        Ok(SealedMessage {
            number: self.number,
            seq: self.seq,
            kind: self.kind,
            day: self.day.clone(),
            files: self.files,
            sealed: decode_sealed(&self.sealed)?,
        })
    }
}

/// Sealed bytes from base64, as the staff API carries them.
pub fn decode_sealed(text: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text.trim()).map_err(|_| Error::usage("`sealed` is not base64"))
}

fn no_conversation(number: u64) -> Error {
    Error::new(Code::NotFound, format!("the safe line has no conversation {number}"))
}

/// A message opened on a caseworker's machine.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Opened {
    /// A sender's letter.
    Letter {
        /// Its number.
        number: u64,
        /// Its place in the conversation.
        seq: u64,
        /// Its day.
        day: String,
        /// What was sent.
        letter: Letter,
    },
    /// A caseworker's reply.
    Reply {
        /// Its number.
        number: u64,
        /// Its place in the conversation.
        seq: u64,
        /// Its day.
        day: String,
        /// The reply.
        reply: Reply,
    },
    /// A caseworker's note.
    Note {
        /// Its number.
        number: u64,
        /// Its place in the conversation.
        seq: u64,
        /// Its day.
        day: String,
        /// The note.
        note: Note,
    },
}

/// Opens a sealed message with a caseworker's identity (on the caseworker's machine).
pub fn open_message(identity: &clew_vault::Identity, message: &SealedMessage) -> Result<Opened> {
    let plaintext = clew_vault::open(identity, &message.sealed)?;
    let damaged = |_| Error::new(Code::Verification, format!("message {} is not what clew seals", message.number));
    let (number, seq, day) = (message.number, message.seq, message.day.clone());
    // What is sealed is padded with spaces after its JSON (see `pad_plaintext`).
    Ok(match message.kind {
        MessageKind::Letter => {
            Opened::Letter { number, seq, day, letter: serde_json::from_slice(&plaintext).map_err(damaged)? }
        }
        MessageKind::Reply => {
            Opened::Reply { number, seq, day, reply: serde_json::from_slice(&plaintext).map_err(damaged)? }
        }
        MessageKind::Note => {
            Opened::Note { number, seq, day, note: serde_json::from_slice(&plaintext).map_err(damaged)? }
        }
    })
}

/// Opens a sent file's sealed chunks with a caseworker's identity and joins them: the file as sent, `size`
/// bytes (each chunk was padded to [`CHUNK_BYTES`] before it was sealed).
pub fn open_file(identity: &clew_vault::Identity, chunks: &[Vec<u8>], size: u64) -> Result<Zeroizing<Vec<u8>>> {
    let mut file = Zeroizing::new(Vec::new());
    for chunk in chunks {
        file.extend_from_slice(&clew_vault::open(identity, chunk)?);
    }
    file.truncate(usize::try_from(size).unwrap_or(usize::MAX));
    Ok(file)
}

/// Seals a caseworker's reply or note (on the caseworker's machine) to `keys`.
pub fn seal_answer(kind: MessageKind, text: &str, keys: &[Recipient]) -> Result<Vec<u8>> {
    if text.trim().is_empty() {
        return Err(Error::usage("the reply or note is empty"));
    }
    if text.len() > MAX_TEXT {
        return Err(Error::new(Code::TooLarge, format!("a reply or note is at most {MAX_TEXT} bytes")));
    }
    let mut plaintext = Zeroizing::new(
        match kind {
            MessageKind::Reply => serde_json::to_vec(&Reply { text: text.to_string() }),
            MessageKind::Note => serde_json::to_vec(&Note { text: text.to_string() }),
            MessageKind::Letter => return Err(Error::usage("caseworkers write replies and notes, not letters")),
        }
        .map_err(|e| Error::internal(e.to_string()))?,
    );
    clew_safeline::pad::pad_plaintext(&mut plaintext, clew_safeline::pad::TEXT_UNIT, b' ');
    Ok(clew_vault::seal(keys, &plaintext)?)
}

/// A conversation as a testimony draft (format v1, YAML), made on the caseworker's machine: each letter is a
/// segment in its own language, the sender a pseudonym (`line-NUMBER`), the interview the day the conversation
/// opened. It has no consent block: consent is asked of the sender separately, and `clew validate` and
/// `clew import` refuse the draft until a caseworker has written one in. Replies and notes stay out (they are
/// not the witness's words); files are attached afterwards (`clew attach`).
pub fn testimony_draft(conversation: u64, opened: &str, messages: &[Opened], interviewer: &str) -> Result<String> {
    let letters: Vec<(u64, &str, &Letter)> = messages
        .iter()
        .filter_map(|m| match m {
            Opened::Letter { seq, day, letter, .. } => Some((*seq, day.as_str(), letter)),
            _ => None,
        })
        .filter(|(_, _, letter)| !letter.text.trim().is_empty())
        .collect();
    let Some((_, _, first)) = letters.first() else {
        return Err(Error::usage(format!("conversation {conversation} has no letter with words to draft from")));
    };
    // Strings are written as JSON strings, which YAML reads as double-quoted scalars: any text is safe.
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string());
    let mut yaml = String::new();
    yaml.push_str(&format!(
        "# A DRAFT testimony from safe-line conversation {conversation}, made by `clew inbox draft`.\n\
         # It has no consent block, and `clew validate` and `clew import` refuse it until it has one. Ask the sender\n\
         # for consent separately (docs/testimony-format.md, `consent`), then write what they agreed to here.\n\
         # Check every segment: a sender may have written names of people who are still inside; what identifies\n\
         # anyone goes in `protected`, never in a segment. Files: `clew inbox read --files`, then `clew attach`.\n"
    ));
    yaml.push_str("format: clew-testimony/1\n");
    yaml.push_str(&format!("id: line-{conversation}\n"));
    yaml.push_str(&format!("title: {}\n", quote(&format!("Safe line conversation {conversation} (draft)"))));
    yaml.push_str("interview:\n");
    yaml.push_str(&format!("  date: {opened}\n"));
    yaml.push_str(&format!("  language: {}\n", quote(&first.language)));
    yaml.push_str(&format!("  interviewer: {}\n", quote(interviewer)));
    yaml.push_str("witness:\n");
    yaml.push_str(&format!("  pseudonym: line-{conversation}\n"));
    yaml.push_str("segments:\n");
    for (seq, day, letter) in &letters {
        yaml.push_str(&format!("  # letter {seq}, {day}\n"));
        yaml.push_str(&format!("  - id: l{seq}\n"));
        yaml.push_str(&format!("    lang: {}\n", quote(&letter.language)));
        yaml.push_str(&format!("    text: {}\n", quote(letter.text.trim())));
    }
    Ok(yaml)
}

/// A sent file's copy for reading, made on the caseworker's machine.
#[derive(Debug)]
pub struct ReadingCopy {
    /// What the file is by its first bytes, whatever the sender's phone called it.
    pub media_type: &'static str,
    /// The extension it is written with: `.bin` for a kind clew does not know, never the sender's own (an
    /// `.html` or `.desktop` file opened on the caseworker's machine could run or call out).
    pub extension: &'static str,
    /// The copy: a picture without its metadata (place, device, time), another file as it is; `None` for a
    /// picture clew could not read to strip (its original must then be opened with care).
    pub bytes: Option<Vec<u8>>,
    /// What was removed.
    pub removed: Vec<String>,
}

/// What a file is by its first bytes: its media type and the extension clew writes it with.
fn sniff(bytes: &[u8]) -> (&'static str, &'static str) {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("image/jpeg", "jpg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ("image/png", "png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        ("image/webp", "webp")
    } else if bytes.starts_with(b"%PDF-") {
        ("application/pdf", "pdf")
    } else {
        ("application/octet-stream", "bin")
    }
}

/// A copy of a sent file for reading. The original stays sealed as evidence.
pub fn reading_copy(bytes: Vec<u8>) -> ReadingCopy {
    let (media_type, extension) = sniff(&bytes);
    if !clew_intake::strip::strippable(media_type) {
        return ReadingCopy { media_type, extension, bytes: Some(bytes), removed: Vec::new() };
    }
    match clew_intake::strip::strip(media_type, bytes) {
        Ok((stripped, removed)) => ReadingCopy { media_type, extension, bytes: Some(stripped), removed },
        Err(_) => ReadingCopy { media_type, extension, bytes: None, removed: Vec::new() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_copy_goes_by_the_bytes_not_the_name() {
        let pdf = reading_copy(b"%PDF-1.7 SYNTHETIC".to_vec());
        assert_eq!((pdf.media_type, pdf.extension), ("application/pdf", "pdf"));
        let page = reading_copy(b"<html><script>SYNTHETIC</script>".to_vec());
        assert_eq!(page.extension, "bin", "never .html");
        let broken = reading_copy(vec![0xFF, 0xD8, 0xFF, 0x00]);
        assert_eq!(broken.media_type, "image/jpeg");
        assert!(broken.bytes.is_none(), "a picture clew cannot strip has no reading copy");
    }
}
