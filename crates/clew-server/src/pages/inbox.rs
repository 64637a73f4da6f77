//! The safe line's inbox for caseworkers, as JSON only (`clew inbox --server`): the conversations with their
//! counts and states, their messages sealed (base64), the keys a reply is sealed to, and the sealed replies and
//! notes caseworkers post. Nothing here is ever opened: caseworkers open and seal on their own machines. The
//! dashboard shows only that new letters exist, and the states.

use axum::Json;
use axum::extract::{Path, State};
use clew_service::safe_line::{ConversationSummary, InboxMessage, MessageKind};

use crate::{App, Failure};

#[derive(Debug, serde::Serialize)]
pub(crate) struct Conversations {
    conversations: Vec<ConversationSummary>,
}

#[derive(Debug, serde::Serialize)]
pub(crate) struct Messages {
    conversation: u64,
    messages: Vec<InboxMessage>,
}

#[derive(Debug, serde::Serialize)]
pub(crate) struct Keys {
    keys: Vec<String>,
}

#[derive(Debug, serde::Serialize)]
pub(crate) struct SealedFile {
    /// The file's chunks in order, each an age file in base64.
    chunks: Vec<String>,
}

#[derive(Debug, serde::Serialize)]
pub(crate) struct Added {
    number: u64,
}

#[derive(Debug, serde::Serialize)]
pub(crate) struct StateSet {
    conversation: u64,
    state: String,
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct NewMessage {
    kind: MessageKind,
    sealed: String,
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct NewState {
    state: String,
}

fn number(text: &str) -> Result<u64, Failure> {
    text.parse().map_err(|_| Failure::from(clew_service::Error::usage(format!("`{text}` is not a number"))))
}

pub(crate) async fn list(State(app): State<App>) -> Result<Json<Conversations>, Failure> {
    Ok(Json(Conversations { conversations: app.run(|service| service.inbox()).await? }))
}

pub(crate) async fn messages(
    State(app): State<App>,
    Path(conversation): Path<String>,
) -> Result<Json<Messages>, Failure> {
    let conversation = number(&conversation)?;
    let messages = app.run(move |service| service.inbox_messages(conversation)).await?;
    Ok(Json(Messages { conversation, messages: messages.iter().map(InboxMessage::from).collect() }))
}

pub(crate) async fn keys(State(app): State<App>, Path(conversation): Path<String>) -> Result<Json<Keys>, Failure> {
    let conversation = number(&conversation)?;
    let keys = app.run(move |service| service.inbox_reply_keys(conversation)).await?;
    Ok(Json(Keys { keys: keys.iter().map(ToString::to_string).collect() }))
}

pub(crate) async fn caseworker_keys(State(app): State<App>) -> Result<Json<Keys>, Failure> {
    let caseworkers = app.run(|service| service.caseworkers()).await?;
    Ok(Json(Keys { keys: caseworkers.into_iter().map(|c| c.public_key).collect() }))
}

pub(crate) async fn file(
    State(app): State<App>,
    Path((message, position)): Path<(String, String)>,
) -> Result<Json<SealedFile>, Failure> {
    use base64::Engine;
    let (message, position) = (number(&message)?, number(&position)?);
    let chunks = app.run(move |service| service.inbox_file(message, position)).await?;
    Ok(Json(SealedFile {
        chunks: chunks.iter().map(|chunk| base64::engine::general_purpose::STANDARD.encode(chunk)).collect(),
    }))
}

pub(crate) async fn add(
    State(app): State<App>,
    Path(conversation): Path<String>,
    body: Result<Json<NewMessage>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Added>, Failure> {
    let Json(fields) = body.map_err(crate::pages::unreadable_json)?;
    let conversation = number(&conversation)?;
    let sealed = clew_service::safe_line::decode_sealed(&fields.sealed)?;
    let number = app.run(move |service| service.inbox_add(conversation, fields.kind, &sealed)).await?;
    Ok(Json(Added { number }))
}

pub(crate) async fn mark_read(
    State(app): State<App>,
    Path(conversation): Path<String>,
) -> Result<Json<StateSet>, Failure> {
    let conversation = number(&conversation)?;
    app.run(move |service| service.inbox_mark_read(conversation)).await?;
    let state = app
        .run(move |service| service.inbox())
        .await?
        .into_iter()
        .find(|c| c.number == conversation)
        .map(|c| c.state)
        .unwrap_or_default();
    Ok(Json(StateSet { conversation, state }))
}

pub(crate) async fn set_state(
    State(app): State<App>,
    Path(conversation): Path<String>,
    body: Result<Json<NewState>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<StateSet>, Failure> {
    let Json(fields) = body.map_err(crate::pages::unreadable_json)?;
    let conversation = number(&conversation)?;
    let state = fields.state.clone();
    app.run(move |service| service.inbox_set_state(conversation, &state)).await?;
    Ok(Json(StateSet { conversation, state: fields.state }))
}
