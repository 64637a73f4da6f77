//! `clew caseworker` and `clew inbox`: the caseworkers of the safe line, and what they do with what senders
//! write. Everything is opened and sealed here, on the caseworker's machine, with their own key: the server
//! (or the project) only ever holds sealed bytes.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use clew_service::Service;
use clew_service::safe_line::{ConversationSummary, MessageKind, Opened, SealedMessage};

use crate::output::{Failure, Output};

#[derive(Debug, Subcommand)]
pub enum CaseworkerCommand {
    /// Make a new caseworker key pair: the secret key goes to FILE (for the caseworker alone, on their own
    /// machine), the public key to FILE with the extension .pub (to add to the project). No project needed.
    New {
        /// Where to write the secret key; an existing file is never overwritten.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// A note written into the key file.
        #[arg(long, default_value = "clew caseworker key")]
        comment: String,
    },
    /// Add a caseworker's public key: what senders write from now on is sealed to it too. A custody event.
    Add {
        /// The public key: age1..., or the .pub file `clew caseworker new` wrote.
        public_key: String,
        /// Who holds it, in words the team understands.
        #[arg(long, default_value = "caseworker")]
        label: String,
    },
    /// List the safe line's caseworkers.
    List,
    /// Remove a caseworker: nothing new is sealed to it. A custody event.
    Remove {
        /// The public key: age1..., or a .pub file holding it.
        public_key: String,
    },
}

/// `clew inbox`: where the conversations are, and what to do.
#[derive(Debug, clap::Args)]
pub struct InboxArgs {
    /// A clew server's address (https://..., or http:// on this machine or an onion address): work through its
    /// API with your API token (`clew user token`) instead of a project on this machine. Only sealed bytes go
    /// over the wire; your key never leaves this machine.
    #[arg(long, value_name = "URL", global = true)]
    pub server: Option<String>,
    /// The file holding your API token (with --server) [default: $CLEW_TOKEN].
    #[arg(long, value_name = "FILE", global = true, requires = "server")]
    pub token_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: InboxCommand,
}

#[derive(Debug, Subcommand)]
pub enum InboxCommand {
    /// The conversations, newest first: number, days, state, letters (unread ones) and replies. Nothing said is
    /// shown, so no key is needed.
    List,
    /// Open a conversation with your key: every letter, reply and note, in order. Its letters count as read.
    Read {
        /// The conversation's number.
        conversation: u64,
        /// Your secret key file (a caseworker's).
        #[arg(long, value_name = "KEYFILE", required = true)]
        identity: Vec<PathBuf>,
        /// Write the files senders sent into DIR, for reading: images without their metadata (place, device,
        /// time). The originals stay sealed in the project as evidence.
        #[arg(long, value_name = "DIR")]
        files: Option<PathBuf>,
        /// With --files, also write each original as sent (metadata and all), beside the reading copy.
        #[arg(long, requires = "files")]
        originals: bool,
    },
    /// Answer a sender: the reply is sealed here, to the conversation's key (the sender opens it with their
    /// code) and to every caseworker.
    Reply {
        /// The conversation's number.
        conversation: u64,
        /// The reply.
        #[arg(long, conflicts_with = "message_file", required_unless_present = "message_file")]
        message: Option<String>,
        /// The reply, from a file (UTF-8).
        #[arg(long, value_name = "FILE")]
        message_file: Option<PathBuf>,
    },
    /// Add a note for the caseworkers (what was done, a referral), sealed to the caseworkers only.
    Note {
        /// The conversation's number.
        conversation: u64,
        /// The note.
        #[arg(long, conflicts_with = "message_file", required_unless_present = "message_file")]
        message: Option<String>,
        /// The note, from a file (UTF-8).
        #[arg(long, value_name = "FILE")]
        message_file: Option<PathBuf>,
    },
    /// Turn a conversation into a testimony draft (format v1, YAML) on this machine: each letter a segment, the
    /// sender a pseudonym. It has no consent block: ask the sender for consent separately and write it in;
    /// until then `clew validate` and `clew import` refuse it.
    Draft {
        /// The conversation's number.
        conversation: u64,
        /// Your secret key file (a caseworker's).
        #[arg(long, value_name = "KEYFILE", required = true)]
        identity: Vec<PathBuf>,
        /// Where to write the draft (a new file, private to you).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Your pseudonym, recorded as the interviewer.
        #[arg(long, default_value = "caseworker")]
        interviewer: String,
    },
    /// Set a conversation's triage state: new, in-contact, referred or closed.
    Status {
        /// The conversation's number.
        conversation: u64,
        /// The state.
        #[arg(value_parser = clew_service::safe_line::STATES)]
        state: String,
    },
}

pub fn caseworker(
    service: impl FnOnce() -> Result<Service, Failure>,
    command: CaseworkerCommand,
    actor: impl FnOnce() -> Result<clew_service::Actor, Failure>,
    out: &mut Output,
) -> Result<(), Failure> {
    match command {
        CaseworkerCommand::New { out: path, comment } => {
            let made = clew_service::keys::new_custodian_files(&path, &comment)?;
            let value = serde_json::to_value(&made).map_err(|e| Failure::internal(e.to_string()))?;
            out.value(&value, |out| {
                out.line(&format!(
                    "Secret key written to {}: it stays with the caseworker, on their own machine, never on the server.",
                    path.display()
                ))?;
                out.line(&format!("Public key: {} (also in {})", made.public_key, made.public_key_file.display()))?;
                out.line(&format!("Add it to the project: clew caseworker add {} --label NAME", made.public_key_file.display()))
            })
        }
        CaseworkerCommand::Add { public_key, label } => {
            let key = clew_service::keys::recipient(&public_key)?;
            let added = service()?.add_caseworker(&actor()?, &key, &label)?;
            out.line(&if added {
                format!("Added caseworker `{label}`: what senders write from now on is sealed to it too.")
            } else {
                "That key is already a caseworker of this project.".to_string()
            })
        }
        CaseworkerCommand::Remove { public_key } => {
            let key = clew_service::keys::recipient(&public_key)?;
            service()?.remove_caseworker(&actor()?, &key)?;
            out.line(&format!(
                "Removed caseworker {key}: nothing new is sealed to it. What was sealed before stays open to that key."
            ))
        }
        CaseworkerCommand::List => crate::key_holders(
            out,
            &service()?.caseworkers()?,
            "No caseworkers yet: the safe line refuses messages until one is added (`clew caseworker add age1...`).",
        ),
    }
}

/// Where the sealed conversations are: a project on this machine (or, later, a server).
pub trait Inbox {
    /// The conversations.
    fn conversations(&self) -> Result<Vec<ConversationSummary>, Failure>;
    /// A conversation's sealed messages (its letters count as read).
    fn messages(&self, conversation: u64) -> Result<Vec<SealedMessage>, Failure>;
    /// A letter's file: its chunks, each sealed.
    fn file(&self, message: u64, position: u64) -> Result<Vec<Vec<u8>>, Failure>;
    /// The keys a reply is sealed to.
    fn reply_keys(&self, conversation: u64) -> Result<Vec<clew_vault::Recipient>, Failure>;
    /// The keys a note is sealed to: the caseworkers'.
    fn note_keys(&self) -> Result<Vec<clew_vault::Recipient>, Failure>;
    /// Stores a sealed reply or note.
    fn add(&self, conversation: u64, kind: MessageKind, sealed: &[u8]) -> Result<u64, Failure>;
    /// Sets a triage state.
    fn set_state(&self, conversation: u64, state: &str) -> Result<(), Failure>;
    /// Marks a conversation's letters as read.
    fn mark_read(&self, conversation: u64) -> Result<(), Failure>;
}

impl Inbox for Service {
    fn conversations(&self) -> Result<Vec<ConversationSummary>, Failure> {
        Ok(self.inbox()?)
    }
    fn messages(&self, conversation: u64) -> Result<Vec<SealedMessage>, Failure> {
        Ok(self.inbox_messages(conversation)?)
    }
    fn file(&self, message: u64, position: u64) -> Result<Vec<Vec<u8>>, Failure> {
        Ok(self.inbox_file(message, position)?)
    }
    fn reply_keys(&self, conversation: u64) -> Result<Vec<clew_vault::Recipient>, Failure> {
        Ok(self.inbox_reply_keys(conversation)?)
    }
    fn note_keys(&self) -> Result<Vec<clew_vault::Recipient>, Failure> {
        self.caseworkers()?.iter().map(|c| Ok(clew_service::keys::recipient(&c.public_key)?)).collect()
    }
    fn add(&self, conversation: u64, kind: MessageKind, sealed: &[u8]) -> Result<u64, Failure> {
        Ok(self.inbox_add(conversation, kind, sealed)?)
    }
    fn set_state(&self, conversation: u64, state: &str) -> Result<(), Failure> {
        Ok(self.inbox_set_state(conversation, state)?)
    }
    fn mark_read(&self, conversation: u64) -> Result<(), Failure> {
        Ok(self.inbox_mark_read(conversation)?)
    }
}

/// A clew server's staff API, with a caseworker's token.
pub struct Remote {
    agent: ureq::Agent,
    base: String,
    token: zeroize::Zeroizing<String>,
}

impl Remote {
    /// The server at `url`, with the token from `token_file` or `$CLEW_TOKEN`.
    pub fn new(url: &str, token_file: Option<&Path>) -> Result<Remote, Failure> {
        let base = url.trim_end_matches('/').to_string();
        let host = base
            .split_once("://")
            .map(|(_, rest)| rest.split(['/', ':']).next().unwrap_or_default().to_string())
            .unwrap_or_default();
        let local =
            ["localhost", "127.0.0.1", "[", "::1"].iter().any(|h| host.starts_with(h)) || host.ends_with(".onion");
        if !(base.starts_with("https://") || (base.starts_with("http://") && local)) {
            return Err(Failure::usage(format!(
                "--server {url}: give an https:// address (plain http:// only on this machine or an onion address): \
                 your token would otherwise cross the network readable"
            )));
        }
        let token = match token_file {
            Some(path) => clew_files::read_text(path, 4096).map_err(|e| Failure::usage(e.to_string()))?,
            None => std::env::var("CLEW_TOKEN").map_err(|_| {
                Failure::usage("give --token-file FILE or set CLEW_TOKEN (an API token: clew user token)".into())
            })?,
        };
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .http_status_as_error(false)
            .build();
        Ok(Remote { agent: config.into(), base, token: zeroize::Zeroizing::new(token.trim().to_string()) })
    }

    fn answer<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, Failure> {
        let mut response = response.map_err(|e| Failure::usage(format!("{}{path}: {e}", self.base)))?;
        let status = response.status();
        let body: serde_json::Value = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_json()
            .map_err(|e| Failure::internal(format!("{}{path}: answered {status} without JSON: {e}", self.base)))?;
        if !status.is_success() {
            let code = body.get("code").and_then(|c| c.as_str()).unwrap_or("internal");
            let message = body.get("message").and_then(|m| m.as_str()).unwrap_or("no message");
            let code = clew_service::Code::ALL
                .into_iter()
                .find(|c| c.as_str() == code)
                .unwrap_or(clew_service::Code::Internal);
            return Err(clew_service::Error::new(code, format!("the server refused: {message}")).into());
        }
        serde_json::from_value(body)
            .map_err(|e| Failure::internal(format!("{}{path}: an answer clew does not read: {e}", self.base)))
    }

    fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        let request = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.token.as_str()));
        self.answer(path, request.call())
    }

    fn post<T: serde::de::DeserializeOwned>(&self, path: &str, body: &serde_json::Value) -> Result<T, Failure> {
        let request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.token.as_str()));
        self.answer(path, request.send_json(body))
    }
}

#[derive(serde::Deserialize)]
struct Conversations {
    conversations: Vec<ConversationSummary>,
}

#[derive(serde::Deserialize)]
struct Messages {
    messages: Vec<clew_service::safe_line::InboxMessage>,
}

#[derive(serde::Deserialize)]
struct Keys {
    keys: Vec<String>,
}

#[derive(serde::Deserialize)]
struct SealedFile {
    chunks: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Added {
    number: u64,
}

fn recipients(keys: Keys) -> Result<Vec<clew_vault::Recipient>, Failure> {
    keys.keys.iter().map(|key| Ok(clew_service::keys::recipient(key)?)).collect()
}

impl Inbox for Remote {
    fn conversations(&self) -> Result<Vec<ConversationSummary>, Failure> {
        Ok(self.get::<Conversations>("/api/v1/inbox")?.conversations)
    }
    fn messages(&self, conversation: u64) -> Result<Vec<SealedMessage>, Failure> {
        let messages = self.get::<Messages>(&format!("/api/v1/inbox/{conversation}"))?.messages;
        messages.iter().map(|m| Ok(m.sealed()?)).collect()
    }
    fn file(&self, message: u64, position: u64) -> Result<Vec<Vec<u8>>, Failure> {
        let file = self.get::<SealedFile>(&format!("/api/v1/inbox/files/{message}/{position}"))?;
        file.chunks.iter().map(|chunk| Ok(clew_service::safe_line::decode_sealed(chunk)?)).collect()
    }
    fn reply_keys(&self, conversation: u64) -> Result<Vec<clew_vault::Recipient>, Failure> {
        recipients(self.get(&format!("/api/v1/inbox/{conversation}/keys"))?)
    }
    fn note_keys(&self) -> Result<Vec<clew_vault::Recipient>, Failure> {
        recipients(self.get("/api/v1/caseworkers")?)
    }
    fn add(&self, conversation: u64, kind: MessageKind, sealed: &[u8]) -> Result<u64, Failure> {
        use base64::Engine;
        let body =
            serde_json::json!({"kind": kind, "sealed": base64::engine::general_purpose::STANDARD.encode(sealed)});
        Ok(self.post::<Added>(&format!("/api/v1/inbox/{conversation}/messages"), &body)?.number)
    }
    fn set_state(&self, conversation: u64, state: &str) -> Result<(), Failure> {
        self.post::<serde_json::Value>(
            &format!("/api/v1/inbox/{conversation}/state"),
            &serde_json::json!({"state": state}),
        )?;
        Ok(())
    }
    fn mark_read(&self, conversation: u64) -> Result<(), Failure> {
        self.post::<serde_json::Value>(&format!("/api/v1/inbox/{conversation}/read"), &serde_json::json!({}))?;
        Ok(())
    }
}

fn text_argument(message: Option<String>, file: Option<PathBuf>) -> Result<zeroize::Zeroizing<String>, Failure> {
    match (message, file) {
        (Some(message), _) => Ok(zeroize::Zeroizing::new(message)),
        (None, Some(path)) => Ok(zeroize::Zeroizing::new(
            clew_files::read_text(&path, clew_safeline::letter::MAX_TEXT as u64 + 1)
                .map_err(|e| Failure::usage(e.to_string()))?,
        )),
        (None, None) => Err(Failure::usage("give --message or --message-file".to_string())),
    }
}

pub fn inbox(inbox: &dyn Inbox, command: InboxCommand, out: &mut Output) -> Result<(), Failure> {
    match command {
        InboxCommand::List => {
            let conversations = inbox.conversations()?;
            out.value(&conversations, |out| {
                if conversations.is_empty() {
                    out.line("No conversations yet.")?;
                }
                for c in &conversations {
                    out.line(&format!(
                        "#{}  opened {}  last {}  {}  letters {} ({} unread)  replies {}{}",
                        c.number,
                        c.opened,
                        c.last_day,
                        c.state,
                        c.letters,
                        c.unseen,
                        c.replies,
                        if c.answerable { "" } else { "  (no return code: cannot be answered)" }
                    ))?;
                }
                Ok(())
            })
        }
        InboxCommand::Read { conversation, identity, files, originals } => {
            let identity = clew_service::keys::read_identity(&identity)?
                .ok_or_else(|| Failure::usage("give --identity".to_string()))?;
            let sealed = inbox.messages(conversation)?;
            // A message this key cannot open (sealed before this caseworker was added, or not by clew) is
            // named and passed over: it does not keep the rest from being read.
            let mut opened = Vec::with_capacity(sealed.len());
            let mut closed = Vec::new();
            for message in &sealed {
                match clew_service::safe_line::open_message(&identity, message) {
                    Ok(open) => opened.push((message, open)),
                    Err(_) => closed.push(message.seq),
                }
            }
            if opened.is_empty() && !sealed.is_empty() {
                return Err(clew_service::Error::new(
                    clew_service::Code::Key,
                    format!("none of the {} messages of conversation {conversation} is sealed to this key: is it a caseworker's of this project?", sealed.len()),
                )
                .into());
            }
            let mut written = Vec::new();
            if let Some(dir) = &files {
                for (message, open) in &opened {
                    let Opened::Letter { letter, .. } = open else { continue };
                    for (position, note) in letter.files.iter().enumerate() {
                        let chunks = inbox.file(message.number, position as u64)?;
                        let plaintext = clew_service::safe_line::open_file(&identity, &chunks, note.size)?;
                        // The page's script computed the hash of a file it sent in chunks: checked here.
                        let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&plaintext[..]));
                        if sha256 != note.sha256 {
                            out.note(&format!(
                                "warning: letter {} file {}: its SHA-256 is {sha256}, not {} as its letter says: it \
                                 may be incomplete",
                                message.seq,
                                position + 1,
                                note.sha256
                            ))?;
                        }
                        let file = write_file(dir, message.seq, position, note, plaintext.to_vec(), originals)?;
                        if let Some(warning) = &file.warning {
                            out.note(warning)?;
                        }
                        written.extend(file.paths);
                    }
                }
            }
            if !opened.is_empty() {
                inbox.mark_read(conversation)?;
            }
            let messages: Vec<&Opened> = opened.iter().map(|(_, open)| open).collect();
            let value = serde_json::json!({
                "conversation": conversation, "messages": messages, "not_sealed_to_this_key": closed,
                "files_written": written,
            });
            out.value(&value, |out| {
                for open in &messages {
                    match open {
                        Opened::Letter { seq, day, letter, .. } => {
                            out.line(&format!("── {seq}. letter, {day}, written in {} ──", letter.language))?;
                            out.line(&letter.text)?;
                            for file in &letter.files {
                                out.line(&format!(
                                    "[file: {} ({}, {} bytes, SHA-256 {})]",
                                    file.name, file.media_type, file.size, file.sha256
                                ))?;
                            }
                        }
                        Opened::Reply { seq, day, reply, .. } => {
                            out.line(&format!("── {seq}. reply, {day} ──"))?;
                            out.line(&reply.text)?;
                        }
                        Opened::Note { seq, day, note, .. } => {
                            out.line(&format!("── {seq}. note, {day} (caseworkers only) ──"))?;
                            out.line(&note.text)?;
                        }
                    }
                }
                for seq in &closed {
                    out.note(&format!("message {seq} is not sealed to this key: it was left out"))?;
                }
                for path in &written {
                    out.note(&format!("wrote {path}"))?;
                }
                Ok(())
            })
        }
        InboxCommand::Reply { conversation, message, message_file } => {
            let text = text_argument(message, message_file)?;
            let keys = inbox.reply_keys(conversation)?;
            let sealed = clew_service::safe_line::seal_answer(MessageKind::Reply, &text, &keys)?;
            let number = inbox.add(conversation, MessageKind::Reply, &sealed)?;
            out.line(&format!(
                "Reply {number} sealed to the sender's code and to {} caseworker(s); the sender reads it with their code.",
                keys.len() - 1
            ))
        }
        InboxCommand::Note { conversation, message, message_file } => {
            let text = text_argument(message, message_file)?;
            let keys = inbox.note_keys()?;
            let sealed = clew_service::safe_line::seal_answer(MessageKind::Note, &text, &keys)?;
            let number = inbox.add(conversation, MessageKind::Note, &sealed)?;
            out.line(&format!("Note {number} sealed to the {} caseworker(s).", keys.len()))
        }
        InboxCommand::Draft { conversation, identity, out: path, interviewer } => {
            let identity = clew_service::keys::read_identity(&identity)?
                .ok_or_else(|| Failure::usage("give --identity".to_string()))?;
            let opened_day = inbox
                .conversations()?
                .into_iter()
                .find(|c| c.number == conversation)
                .map(|c| c.opened)
                .ok_or_else(|| Failure::usage(format!("there is no conversation {conversation}")))?;
            let messages: Vec<Opened> = inbox
                .messages(conversation)?
                .iter()
                .filter_map(|m| clew_service::safe_line::open_message(&identity, m).ok())
                .collect();
            let draft = clew_service::safe_line::testimony_draft(conversation, &opened_day, &messages, &interviewer)?;
            write_new(&path, draft.as_bytes())?;
            out.line(&format!(
                "Draft written to {}: ask the sender for consent separately and write it in before `clew import`.",
                path.display()
            ))
        }
        InboxCommand::Status { conversation, state } => {
            inbox.set_state(conversation, &state)?;
            out.line(&format!("Conversation {conversation} is now {state}."))
        }
    }
}

/// What writing a sent file did.
struct Written {
    paths: Vec<String>,
    /// Said to the caseworker: a picture that kept its metadata.
    warning: Option<String>,
}

/// Writes a sent file for reading (metadata stripped from pictures, recognised by their bytes) and, when asked,
/// the original; the paths.
fn write_file(
    dir: &Path,
    letter: u64,
    position: usize,
    note: &clew_safeline::letter::FileNote,
    bytes: Vec<u8>,
    originals: bool,
) -> Result<Written, Failure> {
    clew_files::create_private_dir(dir).map_err(|e| Failure::usage(e.to_string()))?;
    let mut paths = Vec::new();
    let original = originals.then(|| bytes.clone());
    let copy = clew_service::safe_line::reading_copy(bytes);
    let name = |suffix: &str| format!("letter-{letter}-file-{}{suffix}.{}", position + 1, copy.extension);
    if let Some(original) = original {
        let path = dir.join(name("-original"));
        write_new(&path, &original)?;
        paths.push(path.display().to_string());
    }
    let Some(bytes) = &copy.bytes else {
        let warning = format!(
            "warning: letter {letter} file {} ({}) looks like a picture but could not be read to remove its \
             metadata: no reading copy was written; open the original only on a machine you trust",
            position + 1,
            note.name
        );
        return Ok(Written { paths, warning: Some(warning) });
    };
    let path = dir.join(name(""));
    write_new(&path, bytes)?;
    paths.push(path.display().to_string());
    Ok(Written { paths, warning: None })
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut file = clew_files::create_private_new(path)
        .map_err(|e| Failure::usage(format!("{e} (files are never overwritten)")))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure::internal(format!("{}: {e}", path.display())))
}
