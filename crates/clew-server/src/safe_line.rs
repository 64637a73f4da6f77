//! The safe line's listener (`clew serve --safe-line-listen`): the senders' pages and nothing else. Nothing of
//! the staff application is routed here, no cookie is ever set, no request is logged, and every page is padded
//! to one of a few sizes. Pages work without JavaScript, Korean first (`/`), then Russian (`/ru`) and English
//! (`/en`). What a sender sends is sealed by the service before anything is stored (docs/safe-line.md).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{ConnectInfo, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clew_service::safe_line::{Answer, CodeForm, Pepper, ReturnCode, SenderView, Submission, SubmittedFile, WordList};
use clew_service::{Code, Service};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use zeroize::Zeroizing;

use crate::i18n::{Arg, Lang, Msg};

/// How the safe line runs.
#[derive(Debug, Clone)]
pub struct SafeLineOptions {
    /// The pepper's file (made when missing): keep it apart from the project's disk where you can.
    pub pepper: std::path::PathBuf,
    /// Where "Leave now" goes: an ordinary site.
    pub exit: String,
    /// Messages and code checks one network (an IPv4 /24, an IPv6 /48) may make in an hour.
    pub per_network_per_hour: u32,
    /// Messages and code checks the whole line takes in a minute.
    pub per_minute: u32,
    /// Bytes of messages and files the whole line takes in a day (UTC): a flood cannot fill the disk.
    pub bytes_per_day: u64,
}

/// The defaults of [`SafeLineOptions`]'s limits.
pub const PER_NETWORK_PER_HOUR: u32 = 30;
/// See [`SafeLineOptions::per_minute`].
pub const PER_MINUTE: u32 = 600;
/// See [`SafeLineOptions::bytes_per_day`]: 4 GiB.
pub const BYTES_PER_DAY: u64 = 4 << 30;

/// A form counts this many times a chunk does against the limits: a file sent in chunks (up to 86 of them)
/// costs about what sending it whole costs.
const FORM_WEIGHT: u32 = 8;
/// Forms read at once (their bodies, up to 24 MiB each without the page's script).
const READERS: usize = 64;
/// How long reading one request's body may take: a slow mobile line sending a large file whole.
const READ_SECONDS: u64 = 300;

/// The most bytes of a request: every file at its largest, and room for the form.
const BODY_LIMIT: usize = clew_service::safe_line::MAX_FILES * clew_service::safe_line::MAX_FILE_BYTES + (256 << 10);
/// The most characters the message box takes: in any script, within the message's limit in bytes.
const MAX_CHARACTERS: usize = clew_safeline::letter::MAX_TEXT / 4;
/// Code derivations (Argon2id, 32 MiB each) at once.
const DERIVATIONS: usize = 2;

/// The safe line's state.
#[derive(Clone)]
pub struct Line(Arc<Inner>);

struct Inner {
    service: Arc<Service>,
    pepper: Pepper,
    options: SafeLineOptions,
    address_key: clew_safeline::key::AddressKey,
    budget: Mutex<Budget>,
    derivations: Arc<tokio::sync::Semaphore>,
    operations: Arc<tokio::sync::Semaphore>,
    readers: tokio::sync::Semaphore,
}

impl Line {
    /// The safe line over a project's service; reads or makes the pepper.
    pub fn new(service: Arc<Service>, options: SafeLineOptions) -> Result<Line, clew_service::Error> {
        let pepper = service.safe_line_pepper(&options.pepper)?;
        Ok(Line(Arc::new(Inner {
            service,
            pepper,
            options,
            address_key: Default::default(),
            budget: Mutex::new(Budget::default()),
            derivations: Arc::new(tokio::sync::Semaphore::new(DERIVATIONS)),
            operations: Arc::new(tokio::sync::Semaphore::new(crate::OPERATIONS)),
            readers: tokio::sync::Semaphore::new(READERS),
        })))
    }
}

/// The safe line's router: its pages, and a padded "not found" for everything else.
pub fn router(line: Line) -> axum::Router {
    axum::Router::new()
        .route("/", get(home_korean).post(post_korean).fallback(not_found))
        .route("/{lang}", get(home).post(post).fallback(not_found))
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_response(headers))
        .with_state(line)
}

/// Requests counted in memory: per network (by an HMAC of its prefix, with a key of this run only) per hour,
/// for the whole line per minute, and the bytes taken per day. Bounded: a flood of networks cannot grow it
/// without end. Requests from loopback (an onion service, a reverse proxy on the machine) all come from one
/// address: they count only towards the whole line's limits.
#[derive(Default)]
struct Budget {
    hour: u64,
    networks: HashMap<[u8; 16], u32>,
    minute: u64,
    in_minute: u32,
    day: u64,
    bytes: u64,
}

/// The most networks counted in an hour; past it, new ones share one count.
const MAX_NETWORKS: usize = 100_000;
/// Where networks past [`MAX_NETWORKS`] are counted.
const OVERFLOW: [u8; 16] = [0xff; 16];

impl Budget {
    /// Counts a request of `weight` (a form: [`FORM_WEIGHT`]; a chunk: 1); `false` when a limit is reached.
    fn take(&mut self, network: Option<[u8; 16]>, weight: u32, now: u64, options: &SafeLineOptions) -> bool {
        if now / 3600 != self.hour {
            self.hour = now / 3600;
            self.networks.clear();
        }
        if now / 60 != self.minute {
            self.minute = now / 60;
            self.in_minute = 0;
        }
        if self.in_minute + weight > options.per_minute.saturating_mul(FORM_WEIGHT) {
            return false;
        }
        if let Some(network) = network {
            let key = if self.networks.len() >= MAX_NETWORKS && !self.networks.contains_key(&network) {
                OVERFLOW
            } else {
                network
            };
            let count = self.networks.entry(key).or_insert(0);
            if *count + weight > options.per_network_per_hour.saturating_mul(FORM_WEIGHT) {
                return false;
            }
            *count += weight;
        }
        self.in_minute += weight;
        true
    }

    /// Counts bytes taken; `false` when the day's are spent.
    fn take_bytes(&mut self, bytes: u64, now: u64, options: &SafeLineOptions) -> bool {
        if now / 86_400 != self.day {
            self.day = now / 86_400;
            self.bytes = 0;
        }
        if self.bytes + bytes > options.bytes_per_day {
            return false;
        }
        self.bytes += bytes;
        true
    }
}

/// The style of the pages, inline (one request per page over a slow line) and allowed by its hash.
const STYLE: &str = "*{box-sizing:border-box}:lang(ko){word-break:keep-all}body{margin:0 auto;max-width:40rem;padding:.5rem 1rem;font-family:system-ui,\"Noto Sans KR\",\"Malgun Gothic\",sans-serif;line-height:1.5;color:#1d232a}\
header{display:flex;justify-content:space-between;align-items:center;gap:1rem;border-bottom:1px solid #d5dbe0;padding-bottom:.5rem}\
.exit{background:#8c3b1f;color:#fff;padding:.4rem .8rem;border-radius:.3rem;text-decoration:none;font-weight:bold}\
nav a{margin-right:.6rem}textarea,input[type=text]{width:100%;font:inherit;padding:.4rem}textarea{min-height:9rem}\
fieldset{border:1px solid #d5dbe0;margin:1rem 0}button{font:inherit;padding:.5rem 1.2rem}\
.code{font-size:1.6rem;font-weight:bold;letter-spacing:.05em;background:#f3f6f8;padding:.6rem;word-break:break-word}\
.refused{color:#8c3b1f}.reply{background:#f3f6f8;padding:.6rem;white-space:pre-wrap}section{margin:1.2rem 0}";

/// The pages' script: not needed to use them; where it runs, it pads requests and sends files in resumable
/// chunks (`assets/safe-line.js`). Inline, allowed by its hash, without its comments and indentation (every
/// byte of a page crosses a slow mobile line).
fn script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        include_str!("../assets/safe-line.js")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// The Content-Security-Policy of every page: nothing from elsewhere; the inline style and script by their
/// hashes; requests only to this listener.
fn policy() -> &'static str {
    static POLICY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| {
        use base64::Engine;
        use sha2::Digest;
        let hash = |text: &str| {
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text)))
        };
        format!(
            "default-src 'none'; style-src {}; script-src {}; connect-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
            hash(STYLE),
            hash(script())
        )
    })
}

/// What every response of the safe line carries; no cookie ever leaves it.
async fn headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.remove(header::SET_COOKIE);
    for (name, value) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if let Ok(value) = HeaderValue::from_str(policy()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

fn lang_of(tag: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|lang| lang.tag() == tag)
}

/// The path of a language's page: Korean is the root.
fn href(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "/",
        Lang::Ru => "/ru",
        Lang::En => "/en",
    }
}

/// A page, padded to its bucket.
fn page(line: &Line, lang: Lang, status: StatusCode, body: Markup) -> Response {
    padded(line, lang, status, body, 0)
}

/// An answer to a form: always `200 OK` and always [`clew_safeline::pad::ANSWER`] bytes, whatever happened, so
/// that sending, checking a code, a right code, a wrong one and a refusal look alike on the wire.
fn answer(line: &Line, lang: Lang, body: Markup) -> Response {
    padded(line, lang, StatusCode::OK, body, clew_safeline::pad::ANSWER)
}

fn render(line: &Line, lang: Lang, body: Markup) -> String {
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta name="robots" content="noindex, nofollow";
                title { (lang.t(Msg::LineTitle)) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    nav {
                        @for other in [Lang::Ko, Lang::Ru, Lang::En] {
                            @if other == lang { strong { (other.endonym()) } " " } @else { a href=(href(other)) lang=(other.tag()) { (other.endonym()) } " " }
                        }
                    }
                    a.exit href=(line.0.options.exit) rel="noreferrer" { (lang.t(Msg::LineExit)) }
                }
                main { (body) }
                script { (PreEscaped(script())) }
            }
        }
    };
    markup.into_string()
}

fn padded(line: &Line, lang: Lang, status: StatusCode, body: Markup, least: usize) -> Response {
    let mut text = render(line, lang, body);
    clew_safeline::pad::pad_html(&mut text, least);
    let mut response = (status, text).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(lang.tag()) {
        response.headers_mut().insert(header::CONTENT_LANGUAGE, value);
    }
    response
}

/// The form that sends: a new message (no code), or more in a conversation (its code, hidden).
fn send_form(lang: Lang, code: Option<&str>) -> Markup {
    let files = lang.tr(
        Msg::LineFiles,
        &[
            ("count", Arg::Count(clew_service::safe_line::MAX_FILES as i64)),
            ("size", Arg::Count((clew_service::safe_line::MAX_FILE_BYTES >> 20) as i64)),
        ],
    );
    html! {
        form method="post" action=(href(lang)) enctype="multipart/form-data" {
            @if let Some(code) = code { input type="hidden" name="code" value=(code); }
            p { label { (lang.t(Msg::LineMessage)) br; textarea name="message" maxlength=(MAX_CHARACTERS) {} } }
            p { label { (files) br; input type="file" name="file" multiple; } }
            @if code.is_none() {
                fieldset {
                    legend { (lang.t(Msg::LineAnswer)) }
                    label { input type="radio" name="answer" value="none" checked; " " (lang.t(Msg::LineAnswerNone)) } br;
                    label { input type="radio" name="answer" value="digits"; " " (lang.t(Msg::LineAnswerDigits)) } br;
                    label { input type="radio" name="answer" value="words"; " " (lang.t(Msg::LineAnswerWords)) }
                }
            }
            p { button type="submit" { (lang.t(Msg::LineSend)) } }
            (status(lang))
        }
    }
}

/// Where the script says how sending goes (hidden without it).
fn status(lang: Lang) -> Markup {
    let sending = lang.tr(Msg::LineSending, &[("done", Arg::Text("%d")), ("total", Arg::Text("%t"))]);
    html! { p data-sending=(sending) data-failed=(lang.t(Msg::LineUnreachable)) role="status" hidden {} }
}

fn home_page(line: &Line, lang: Lang) -> Response {
    let body = html! {
        h1 { (lang.t(Msg::LineHeading)) }
        p { (lang.t(Msg::LineIntro)) }
        section {
            h2 { (lang.t(Msg::LineSafetyHeading)) }
            ul {
                li { (lang.t(Msg::LineSafetyTab)) }
                li { (lang.t(Msg::LineSafetyPhotos)) }
                li { (lang.t(Msg::LineSafetyCode)) }
                li { (lang.t(Msg::LineSafetyExit)) }
                li { (lang.t(Msg::LineSafetyTrace)) }
            }
        }
        section { (send_form(lang, None)) }
        section {
            h2 { (lang.t(Msg::LineHaveCodeHeading)) }
            p { (lang.t(Msg::LineHaveCodeIntro)) }
            form method="post" action=(href(lang)) enctype="multipart/form-data" {
                p { label { (lang.t(Msg::LineCode)) br; input type="text" name="code" autocomplete="off" autocapitalize="off" spellcheck="false"; } }
                p { button type="submit" { (lang.t(Msg::LineOpen)) } }
                (status(lang))
            }
        }
    };
    page(line, lang, StatusCode::OK, body)
}

async fn home_korean(State(line): State<Line>) -> Response {
    home_page(&line, Lang::Ko)
}

async fn home(State(line): State<Line>, Path(tag): Path<String>) -> Response {
    match lang_of(&tag) {
        Some(lang) => home_page(&line, lang),
        None => not_found_page(&line, Lang::Ko),
    }
}

async fn not_found(State(line): State<Line>) -> Response {
    not_found_page(&line, Lang::Ko)
}

fn not_found_page(line: &Line, lang: Lang) -> Response {
    page(
        line,
        lang,
        StatusCode::NOT_FOUND,
        html! { p { (lang.t(Msg::LineNotFound)) } p { a href=(href(lang)) { (lang.t(Msg::LineBack)) } } },
    )
}

async fn post_korean(State(line): State<Line>, request: Request) -> Response {
    take(line, Lang::Ko, request).await
}

async fn post(State(line): State<Line>, Path(tag): Path<String>, request: Request) -> Response {
    match lang_of(&tag) {
        Some(lang) => take(line, lang, request).await,
        None => not_found_page(&line, Lang::Ko),
    }
}

/// What a form brings.
#[derive(Default)]
struct Form {
    code: Zeroizing<String>,
    message: Zeroizing<String>,
    answer: String,
    files: Vec<SubmittedFile>,
    /// Files the page's script sent before in chunks (JSON: [`clew_service::safe_line::UploadedFile`]s).
    uploads: String,
    /// A chunk the page's script sends: the upload's token, its number of chunks, this chunk's index, its
    /// bytes.
    upload: String,
    chunks: String,
    chunk: String,
    data: Option<Zeroizing<Vec<u8>>>,
}

/// A refusal: why, in the sender's language (its answer is `200 OK` like any other: see [`answer`]).
struct Refusal {
    said: Vec<String>,
}

impl Refusal {
    fn of(lang: Lang, error: &clew_service::Error) -> Refusal {
        let mut said: Vec<String> = error
            .reasons()
            .iter()
            .filter_map(|reason| {
                let msg = crate::failure::msg_of(reason.id)?;
                let args: Vec<(&str, Arg<'_>)> = reason
                    .args
                    .iter()
                    .map(|(name, value)| (*name, value.parse::<i64>().map_or(Arg::Text(value), Arg::Count)))
                    .collect();
                Some(lang.tr(msg, &args))
            })
            .collect();
        if said.is_empty() && error.code() == Code::RateLimited {
            said.push(lang.t(Msg::LineBusy));
        }
        if said.is_empty() {
            // Failures of clew itself: nothing of their words reaches the sender (or a log line).
            eprintln!("clew serve: safe line: a message was not kept ({})", error.code().as_str());
            said.push(lang.t(Msg::LineFailed));
        }
        Refusal { said }
    }

    fn busy(lang: Lang) -> Refusal {
        Refusal { said: vec![lang.t(Msg::LineBusy)] }
    }

    fn failed(lang: Lang) -> Refusal {
        Refusal { said: vec![lang.t(Msg::LineFailed)] }
    }

    fn too_large(lang: Lang, id: &'static str, limit: usize) -> Refusal {
        let msg = crate::failure::msg_of(id).unwrap_or(Msg::LineFailed);
        Refusal { said: vec![lang.tr(msg, &[("limit", Arg::Count(limit as i64))])] }
    }
}

async fn read_form(line: &Line, lang: Lang, request: Request) -> Result<Form, Refusal> {
    let bad = || Refusal::failed(lang);
    let mut multipart = Multipart::from_request(request, line).await.map_err(|_| bad())?;
    let mut form = Form::default();
    let body_too_large =
        |_| Refusal::too_large(lang, "reason-line-file-too-large", clew_service::safe_line::MAX_FILE_BYTES >> 20);
    while let Some(mut field) = multipart.next_field().await.map_err(body_too_large)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "code" | "message" | "answer" | "uploads" | "upload" | "chunks" | "chunk" => {
                let limit = match name.as_str() {
                    "message" => clew_safeline::letter::MAX_TEXT * 4,
                    "uploads" => 4096,
                    _ => 400,
                };
                let mut bytes = Zeroizing::new(Vec::new());
                while let Some(chunk) = field.chunk().await.map_err(body_too_large)? {
                    if bytes.len() + chunk.len() > limit {
                        return Err(Refusal::too_large(
                            lang,
                            "reason-line-text-too-long",
                            clew_safeline::letter::MAX_TEXT,
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
                match name.as_str() {
                    "code" => form.code = text,
                    "message" => form.message = text,
                    "answer" => form.answer = text.to_string(),
                    "uploads" => form.uploads = text.to_string(),
                    "upload" => form.upload = text.to_string(),
                    "chunks" => form.chunks = text.to_string(),
                    _ => form.chunk = text.to_string(),
                }
            }
            "data" => {
                let mut bytes = Zeroizing::new(Vec::new());
                while let Some(chunk) = field.chunk().await.map_err(body_too_large)? {
                    if bytes.len() + chunk.len() > clew_service::safe_line::CHUNK_BYTES {
                        return Err(Refusal::too_large(
                            lang,
                            "reason-line-file-too-large",
                            clew_service::safe_line::MAX_FILE_BYTES >> 20,
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                form.data = Some(bytes);
            }
            "file" => {
                let file_name = field.file_name().unwrap_or_default().to_string();
                let media_type = field.content_type().unwrap_or("application/octet-stream").to_string();
                let mut bytes = Zeroizing::new(Vec::new());
                while let Some(chunk) = field.chunk().await.map_err(body_too_large)? {
                    if bytes.len() + chunk.len() > clew_service::safe_line::MAX_FILE_BYTES {
                        return Err(Refusal::too_large(
                            lang,
                            "reason-line-file-too-large",
                            clew_service::safe_line::MAX_FILE_BYTES >> 20,
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                // A form sends an empty part when no file was chosen.
                if bytes.is_empty() && file_name.is_empty() {
                    continue;
                }
                if form.files.len() == clew_service::safe_line::MAX_FILES {
                    return Err(Refusal::too_large(
                        lang,
                        "reason-line-too-many-files",
                        clew_service::safe_line::MAX_FILES,
                    ));
                }
                form.files.push(SubmittedFile { name: file_name, media_type, bytes });
            }
            _ => {
                // Unknown fields are read and dropped.
                while field.chunk().await.map_err(body_too_large)?.is_some() {}
            }
        }
    }
    Ok(form)
}

fn network_of(request: &Request) -> Option<std::net::IpAddr> {
    request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())
}

/// Takes a form: sends a message, opens a conversation by its code, or both; or takes a chunk of a file. Every
/// answer is `200 OK` and of one size ([`answer`]), whatever happened.
async fn take(line: Line, lang: Lang, request: Request) -> Response {
    // From loopback (an onion service, a proxy on this machine) every sender has one address: only the whole
    // line's limits apply. Without a peer address (a test) likewise.
    let network =
        network_of(&request).filter(|address| !address.is_loopback()).map(|address| line.0.address_key.prefix(address));
    // A chunk's weight first, before its body is read; a form pays the rest once it is known to be one.
    let allowed =
        line.0.budget.lock().unwrap_or_else(PoisonError::into_inner).take(network, 1, crate::now(), &line.0.options);
    if !allowed {
        return refused_page(&line, lang, Refusal::busy(lang));
    }
    let Ok(_reading) = line.0.readers.try_acquire() else {
        return refused_page(&line, lang, Refusal::busy(lang));
    };
    let read = tokio::time::timeout(std::time::Duration::from_secs(READ_SECONDS), read_form(&line, lang, request));
    let form = match read.await {
        Ok(Ok(form)) => form,
        Ok(Err(refusal)) => return refused_page(&line, lang, refusal),
        Err(_) => return refused_page(&line, lang, Refusal::failed(lang)),
    };
    drop(_reading);
    if form.upload.is_empty() {
        let allowed = line.0.budget.lock().unwrap_or_else(PoisonError::into_inner).take(
            network,
            FORM_WEIGHT - 1,
            crate::now(),
            &line.0.options,
        );
        if !allowed {
            return refused_page(&line, lang, Refusal::busy(lang));
        }
    }
    let size = form.message.len() as u64
        + form.files.iter().map(|f| f.bytes.len() as u64).sum::<u64>()
        + form.data.as_ref().map_or(0, |d| d.len() as u64);
    let within =
        line.0.budget.lock().unwrap_or_else(PoisonError::into_inner).take_bytes(size, crate::now(), &line.0.options);
    if !within {
        return refused_page(&line, lang, Refusal::busy(lang));
    }
    let outcome =
        if form.upload.is_empty() { handle(&line, lang, form).await } else { take_chunk(&line, lang, form).await };
    match outcome {
        Ok(body) => answer(&line, lang, body),
        Err(refusal) => refused_page(&line, lang, refusal),
    }
}

/// Runs a service operation on the blocking pool, holding a turn of `turns` until it ends (a sender who hangs
/// up does not free the turn while the work goes on).
async fn run<T: Send + 'static>(
    turns: &Arc<tokio::sync::Semaphore>,
    operation: impl FnOnce() -> clew_service::Result<T> + Send + 'static,
) -> clew_service::Result<T> {
    let turn = Arc::clone(turns).acquire_owned().await.ok();
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        operation()
    })
    .await
    .unwrap_or_else(|_| Err(clew_service::Error::internal("the safe line's work ended abnormally")))
}

/// Takes one chunk of a file the page's script sends in chunks; the page says how many the upload has now.
async fn take_chunk(line: &Line, lang: Lang, form: Form) -> Result<Markup, Refusal> {
    let bad = |_| Refusal::of(lang, &clew_service::Error::usage("a chunk's numbers are not numbers"));
    let chunks: u32 = form.chunks.trim().parse().map_err(bad)?;
    let chunk: u32 = form.chunk.trim().parse().map_err(bad)?;
    let data = form.data.unwrap_or_default();
    let runner = line.clone();
    let stored = run(&line.0.operations, move || runner.0.service.safe_line_chunk(&form.upload, chunks, chunk, &data))
        .await
        .map_err(|error| Refusal::of(lang, &error))?;
    Ok(html! { p #have data-have=(stored.have) data-chunks=(chunks) { (lang.t(Msg::LineSentHeading)) } })
}

fn refused_page(line: &Line, lang: Lang, refusal: Refusal) -> Response {
    let body = html! {
        h1 { (lang.t(Msg::LineRefusedHeading)) }
        @for said in &refusal.said { p.refused { (said) } }
        p { a href=(href(lang)) { (lang.t(Msg::LineBack)) } }
    };
    answer(line, lang, body)
}

async fn handle(line: &Line, lang: Lang, form: Form) -> Result<Markup, Refusal> {
    let uploads: Vec<clew_service::safe_line::UploadedFile> = if form.uploads.trim().is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(&form.uploads)
            .map_err(|_| Refusal::of(lang, &clew_service::Error::usage("the list of uploads is not one")))?
    };
    let has_message = !form.message.trim().is_empty() || !form.files.is_empty() || !uploads.is_empty();
    let code = if form.code.trim().is_empty() {
        None
    } else {
        // A code that is not one is refused like a wrong one.
        let unknown = || Refusal::of(lang, &unknown_code_error());
        Some(ReturnCode::parse(&form.code).ok_or_else(unknown)?)
    };
    let answer = match form.answer.as_str() {
        "digits" => Answer::New(CodeForm::Digits),
        "words" => Answer::New(CodeForm::Words(word_list(lang))),
        _ => Answer::None,
    };
    let submission = has_message.then(|| Submission {
        language: lang.tag().to_string(),
        text: form.message,
        files: form.files,
        uploads,
        answer,
    });
    let runner = line.clone();
    let asked = code.clone();
    // A code checked or made costs an Argon2id run: a few at a time. Anything else takes a turn of its own.
    let derives = asked.is_some() || submission.as_ref().is_some_and(|s| matches!(s.answer, Answer::New(_)));
    let turns = if derives { &line.0.derivations } else { &line.0.operations };
    let outcome = run(turns, move || -> clew_service::Result<Outcome> {
        let service = &runner.0.service;
        let pepper = &runner.0.pepper;
        match (asked, submission) {
            (Some(code), more) => Ok(Outcome::Opened(service.safe_line_open(pepper, &code, more)?)),
            (None, Some(submission)) => Ok(Outcome::Sent(service.safe_line_send(pepper, submission)?)),
            (None, None) => {
                Err(clew_service::Error::usage("the message is empty").with_reasons(vec![clew_service::Reason {
                    field: "message".into(),
                    id: "reason-line-empty",
                    args: Vec::new(),
                }]))
            }
        }
    })
    .await
    .map_err(|error| Refusal::of(lang, &error))?;
    Ok(match outcome {
        Outcome::Opened(view) => {
            let shown = code.as_ref().map(ReturnCode::display).unwrap_or_default();
            fitting_conversation(line, lang, &shown, view)
        }
        Outcome::Sent(Some(code)) => html! {
            h1 { (lang.t(Msg::LineSentHeading)) }
            h2 { (lang.t(Msg::LineCodeHeading)) }
            p.code { (code.display().as_str()) }
            p { (lang.t(Msg::LineCodeKeep)) }
            p { a href=(href(lang)) { (lang.t(Msg::LineBack)) } }
        },
        Outcome::Sent(None) => html! {
            h1 { (lang.t(Msg::LineSentHeading)) }
            p { (lang.t(Msg::LineSentNoAnswer)) }
            p { a href=(href(lang)) { (lang.t(Msg::LineBack)) } }
        },
    })
}

/// What a form did.
enum Outcome {
    /// A conversation opened by its code (after adding what was sent with it).
    Opened(SenderView),
    /// A new conversation; its code when one was asked for.
    Sent(Option<ReturnCode>),
}

fn unknown_code_error() -> clew_service::Error {
    clew_service::Error::new(Code::NotFound, "no conversation has this return code").with_reasons(vec![
        clew_service::Reason { field: "code".into(), id: "reason-line-unknown-code", args: Vec::new() },
    ])
}

/// The word list of a page's language.
fn word_list(lang: Lang) -> WordList {
    match lang {
        Lang::Ko => WordList::Korean,
        Lang::Ru => WordList::Russian,
        Lang::En => WordList::English,
    }
}

/// The conversation's page as large as an answer may be: the latest replies that fit (older ones are said to
/// be left out), a reply too long for the page cut short.
fn fitting_conversation(line: &Line, lang: Lang, code: &str, mut view: SenderView) -> Markup {
    // Room for the padding's comment.
    let room = clew_safeline::pad::ANSWER - 16;
    let mut left_out = false;
    loop {
        let body = conversation_page(lang, code, &view, left_out);
        if render(line, lang, body.clone()).len() <= room {
            return body;
        }
        if view.replies.len() > 1 {
            view.replies.remove(0);
            left_out = true;
        } else if let Some((_, text)) = view.replies.first_mut() {
            let keep = text.chars().count() * 3 / 4;
            let cut: String = text.chars().take(keep).chain(std::iter::once('…')).collect();
            *text = Zeroizing::new(cut);
        } else {
            return body;
        }
    }
}

fn conversation_page(lang: Lang, code: &str, view: &SenderView, left_out: bool) -> Markup {
    html! {
        h1 { (lang.t(Msg::LineConversationHeading)) }
        p { (lang.tr(Msg::LineConversationOpened, &[("day", Arg::Text(&lang.date(&view.opened))), ("count", Arg::Count(view.letters as i64))])) }
        @if view.replies.is_empty() {
            p { (lang.t(Msg::LineNoReplies)) }
        }
        @if left_out {
            p { (lang.t(Msg::LineOlderReplies)) }
        }
        @for (day, text) in &view.replies {
            section {
                h2 { (lang.tr(Msg::LineReplyDay, &[("day", Arg::Text(&lang.date(day)))])) }
                div.reply { (text.as_str()) }
            }
        }
        section {
            h2 { (lang.t(Msg::LineWriteMore)) }
            (send_form(lang, Some(code)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_pads_and_chunks_as_the_server_expects() {
        let [small, answer, chunk] = clew_safeline::pad::BUCKETS;
        let expected =
            format!("const SIZES = [{small}, {answer}, {chunk}], CHUNK = {}", clew_service::safe_line::CHUNK_BYTES);
        assert!(script().contains(&expected), "assets/safe-line.js must say: {expected}");
        assert!(!script().contains("//"), "no comment is sent");
        assert!(policy().contains("script-src 'sha256-"));
    }
}
