//! What is sealed: a sender's letter, a caseworker's reply, a caseworker's note. Each is JSON inside an age
//! file; the server sees them only as sealed bytes, except a letter while it seals it and a reply while it
//! shows it to the sender who gave the code.

use serde::{Deserialize, Serialize};

/// What a sender wrote, sealed to the caseworkers. Its files are stored beside it, sealed each on its own, in
/// the order listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    /// The language of the page it was written on (`ko`, `ru`, `en`).
    pub language: String,
    /// The message.
    pub text: String,
    /// The files sent with it, each sealed on its own.
    pub files: Vec<FileNote>,
}

/// A file a sender sent: what the sender's phone said of it. Its bytes are sealed apart, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileNote {
    /// The file's name on the sender's phone.
    pub name: String,
    /// Its media type as the browser gave it.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its bytes, hex.
    pub sha256: String,
}

/// A caseworker's answer, sealed to the conversation's key and to the caseworkers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// The answer.
    pub text: String,
}

/// A caseworker's note on a conversation (a referral, what was done), sealed to the caseworkers only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The note.
    pub text: String,
}

/// The most bytes of a letter's, a reply's or a note's text.
pub const MAX_TEXT: usize = 20_000;
