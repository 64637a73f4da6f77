//! The safe line's listener, through its router as a phone's browser meets it: what is stored (sealed, and
//! nothing that names the sender), what the wire shows (padded pages, no cookies), codes right, wrong and
//! unknown, refusals in the sender's language, limits, and that nothing of the staff application answers.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use clew_service::safe_line::{MessageKind, Opened};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::harness::Reply;

const MARKER_TEXT: &str = "SYNTHETIC-LETTER-MARKER 동무 товарищ";
const MARKER_FILE: &[u8] = crate::support::LOCATION;
const USER_AGENT: &str = "SYNTHETIC-UA/7.7 (Linux; Android 9; MARKER-PHONE)";
const ADDRESS: &str = "203.0.113.77:51234";

struct Line {
    router: axum::Router,
    service: Arc<clew_service::Service>,
    project: PathBuf,
    pepper: PathBuf,
    caseworker: clew_vault::Identity,
    _dir: tempfile::TempDir,
}

fn options(pepper: &Path, per_network: u32, per_minute: u32) -> clew_server::SafeLineOptions {
    clew_server::SafeLineOptions {
        pepper: pepper.to_path_buf(),
        exit: "https://example.org/".into(),
        per_network_per_hour: per_network,
        per_minute,
        bytes_per_day: clew_server::BYTES_PER_DAY,
    }
}

impl Line {
    fn new(per_network: u32, caseworker: bool) -> Line {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        let actor = clew_service::Actor::new("tester").unwrap();
        let (service, _) = clew_service::Service::init(&project, "line", None, &actor).unwrap();
        let pair = clew_vault::new_custodian("caseworker");
        if caseworker {
            service.add_caseworker(&actor, &pair.key, "caseworker one").unwrap();
        }
        let identity = clew_vault::Identity::parse(&pair.identity_file, "key").unwrap();
        let service = Arc::new(service);
        // The pepper apart from the project, as the guide advises.
        let pepper = dir.path().join("elsewhere").join("pepper");
        let line = clew_server::Line::new(Arc::clone(&service), options(&pepper, per_network, 10_000)).unwrap();
        Line { router: clew_server::safe_line_app(line), service, project, pepper, caseworker: identity, _dir: dir }
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// Posts a form as a browser does (multipart), from `address`.
    async fn post(&self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])], address: &str) -> Reply {
        let boundary = "----SYNTHETICboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, media_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {media_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header(header::USER_AGENT, USER_AGENT)
            .body(Body::from(body))
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(address.parse::<SocketAddr>().unwrap()));
        self.send(request).await
    }

    fn conversations(&self) -> usize {
        self.service.inbox().unwrap().len()
    }
}

/// Whether an answer is a refusal: every answer to a form is `200 OK` and one size, refused or not.
fn refused(reply: &Reply) -> bool {
    assert_eq!(reply.status, StatusCode::OK, "every answer to a form is 200");
    assert_eq!(reply.body.len(), clew_safeline::pad::ANSWER, "every answer to a form is one size");
    reply.body.contains("class=\"refused\"")
}

/// The code a "sent" page shows.
fn code_of(reply: &Reply) -> String {
    let start = reply.body.find("class=\"code\">").expect("a code on the page") + "class=\"code\">".len();
    reply.body[start..].split('<').next().unwrap().to_string()
}

/// Every file under `dir`, read whole.
fn every_file(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(every_file(&path));
        } else {
            found.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    found
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn what_a_sender_sends_is_stored_sealed_with_nothing_that_names_them() {
    let line = Line::new(100, true);
    let sent = line
        .post(
            "/",
            &[("message", MARKER_TEXT), ("answer", "digits")],
            &[("IMG_20261207_101112.jpg", "image/jpeg", &crate::support::photo_with_location())],
            ADDRESS,
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let code = code_of(&sent);
    assert_eq!(code.chars().filter(char::is_ascii_digit).count(), 16, "{code}");
    let more = line.post("/", &[("code", &code), ("message", "SYNTHETIC-SECOND-MARKER")], &[], ADDRESS).await;
    assert_eq!(more.status, StatusCode::OK);

    // Nothing plain anywhere in the project's folder: database, WAL, shared memory, pepper, config.
    let files = every_file(&line.project);
    assert!(files.iter().any(|(path, _)| path.ends_with("safe-line/safe-line.db-wal")), "the WAL is searched too");
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    for (path, bytes) in &files {
        for needle in [
            MARKER_TEXT.as_bytes(),
            "SYNTHETIC-LETTER-MARKER".as_bytes(),
            "SYNTHETIC-SECOND-MARKER".as_bytes(),
            MARKER_FILE,
            b"IMG_20261207",
            b"203.0.113",
            b"SYNTHETIC-UA",
            b"MARKER-PHONE",
            digits.as_bytes(),
            code.as_bytes(),
        ] {
            assert!(!contains(bytes, needle), "{} holds {:?}", path.display(), String::from_utf8_lossy(needle));
        }
    }
    // The day is the only time: every text value of the safe line's database is a day, a state or a key.
    let db = rusqlite::Connection::open(line.project.join("safe-line/safe-line.db")).unwrap();
    let mut texts = Vec::new();
    for (table, columns) in [("conversation", "opened, state, coalesce(reply_key, '')"), ("message", "day, kind, ''")] {
        let mut query = db.prepare(&format!("SELECT {columns} FROM {table}")).unwrap();
        let rows = query.query_map([], |row| Ok([row.get::<_, String>(0)?, row.get(1)?, row.get(2)?])).unwrap();
        texts.extend(rows.map(Result::unwrap));
    }
    assert!(!texts.is_empty());
    for [day, kind, key] in &texts {
        assert!(day.len() == 10 && day.as_bytes()[4] == b'-' && day.as_bytes()[7] == b'-', "{day}");
        assert!(["new", "letter"].contains(&kind.as_str()), "{kind}");
        assert!(key.is_empty() || key.starts_with("age1"), "{key}");
    }

    // The caseworker opens both letters with their key; the photo as sent, and a copy without its EXIF.
    let number = line.service.inbox().unwrap()[0].number;
    let messages = line.service.inbox_messages(number).unwrap();
    let opened: Vec<Opened> =
        messages.iter().map(|m| clew_service::safe_line::open_message(&line.caseworker, m).unwrap()).collect();
    let Opened::Letter { letter, .. } = &opened[0] else { panic!("{opened:?}") };
    assert_eq!(letter.text, MARKER_TEXT);
    assert_eq!(letter.language, "ko");
    assert_eq!(letter.files[0].name, "IMG_20261207_101112.jpg");
    let original = clew_service::safe_line::open_file(
        &line.caseworker,
        &line.service.inbox_file(messages[0].number, 0).unwrap(),
        letter.files[0].size,
    )
    .unwrap();
    assert_eq!(
        original.as_slice(),
        crate::support::photo_with_location().as_slice(),
        "the original is kept as sent, as evidence"
    );
    let copy = clew_service::safe_line::reading_copy(original.to_vec());
    assert!(!contains(copy.bytes.as_ref().unwrap(), MARKER_FILE) && copy.removed.contains(&"exif".to_string()));
    assert_eq!(copy.extension, "jpg");
    let Opened::Letter { letter: second, .. } = &opened[1] else { panic!("{opened:?}") };
    assert_eq!(second.text, "SYNTHETIC-SECOND-MARKER");
    // Someone else's key opens nothing.
    let stranger = clew_vault::Identity::parse(&clew_vault::new_custodian("x").identity_file, "k").unwrap();
    assert!(clew_service::safe_line::open_message(&stranger, &messages[0]).is_err());
}

#[tokio::test]
async fn a_reply_reaches_only_the_code_and_the_conversation_goes_on() {
    let line = Line::new(100, true);
    let sent = line.post("/en", &[("message", "SYNTHETIC first"), ("answer", "words")], &[], ADDRESS).await;
    let code = code_of(&sent);
    assert_eq!(code.split(' ').count(), 6, "six English words: {code}");
    let number = line.service.inbox().unwrap()[0].number;
    let keys = line.service.inbox_reply_keys(number).unwrap();
    assert_eq!(keys.len(), 2, "the conversation's key and the caseworker's");
    let sealed = clew_service::safe_line::seal_answer(MessageKind::Reply, "SYNTHETIC-REPLY-MARKER", &keys).unwrap();
    line.service.inbox_add(number, MessageKind::Reply, &sealed).unwrap();
    // The reply is sealed on disk.
    for (path, bytes) in every_file(&line.project) {
        assert!(!contains(&bytes, b"SYNTHETIC-REPLY-MARKER"), "{}", path.display());
    }
    // The sender reads it with the code, typed another way, and writes again in the same request.
    let typed = code.to_uppercase().replace(' ', "-");
    let read = line.post("/en", &[("code", &typed), ("message", "SYNTHETIC second")], &[], ADDRESS).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(read.body.contains("SYNTHETIC-REPLY-MARKER"), "{}", read.body);
    assert!(read.body.contains("Messages you sent: 2"), "{}", read.body);
    // The caseworker still reads the reply too; the sender's letters count as seen once fetched.
    let summary = &line.service.inbox().unwrap()[0];
    assert_eq!((summary.letters, summary.unseen, summary.replies), (2, 2, 1));
    let messages = line.service.inbox_messages(number).unwrap();
    let kinds: Vec<MessageKind> = messages.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [MessageKind::Letter, MessageKind::Reply, MessageKind::Letter]);
    assert!(matches!(
        clew_service::safe_line::open_message(&line.caseworker, &messages[1]).unwrap(),
        Opened::Reply { .. }
    ));
    assert_eq!(line.service.inbox().unwrap()[0].unseen, 2, "fetching is not reading");
    line.service.inbox_mark_read(number).unwrap();
    assert_eq!(line.service.inbox().unwrap()[0].unseen, 0);
    // A conversation without a code cannot be answered.
    line.post("/en", &[("message", "SYNTHETIC one-off")], &[], ADDRESS).await;
    let one_off = line.service.inbox().unwrap().into_iter().find(|c| c.number != number).unwrap();
    assert!(!one_off.answerable);
    assert!(line.service.inbox_reply_keys(one_off.number).is_err());
}

#[tokio::test]
async fn a_wrong_code_is_answered_as_an_unknown_one() {
    let line = Line::new(100, true);
    let sent = line.post("/ru", &[("message", "SYNTHETIC"), ("answer", "digits")], &[], ADDRESS).await;
    let code = code_of(&sent);
    let mut wrong: Vec<char> = code.chars().collect();
    let last = wrong.len() - 1;
    wrong[last] = if wrong[last] == '0' { '1' } else { '0' };
    let wrong: String = wrong.into_iter().collect();
    let unknown = line.post("/ru", &[("code", "9999 9999 9999 9999")], &[], ADDRESS).await;
    let near = line.post("/ru", &[("code", &wrong)], &[], ADDRESS).await;
    let malformed = line.post("/ru", &[("code", "not a code at all")], &[], ADDRESS).await;
    assert!(refused(&unknown));
    for other in [&near, &malformed] {
        assert_eq!(other.status, unknown.status);
        assert_eq!(other.body, unknown.body, "the same page, byte for byte");
    }
    assert!(unknown.body.contains("Этот код ничего не открывает"), "{}", unknown.body);
    // Sending more with a wrong code stores nothing.
    let before = line.service.inbox_messages(line.service.inbox().unwrap()[0].number).unwrap().len();
    let answer = line.post("/ru", &[("code", &wrong), ("message", "SYNTHETIC lost")], &[], ADDRESS).await;
    assert_eq!(answer.body, unknown.body);
    assert_eq!(line.service.inbox_messages(line.service.inbox().unwrap()[0].number).unwrap().len(), before);
}

#[tokio::test]
async fn every_page_is_padded_private_and_cookieless() {
    let line = Line::new(1000, true);
    let short = line.post("/en", &[("message", "x")], &[], ADDRESS).await;
    let long = line.post("/en", &[("message", &"SYNTHETIC ".repeat(1500))], &[], ADDRESS).await;
    let coded = line.post("/en", &[("message", "y"), ("answer", "digits")], &[], ADDRESS).await;
    let check = line.post("/en", &[("code", &code_of(&coded))], &[], ADDRESS).await;
    let with_more = line.post("/en", &[("code", &code_of(&coded)), ("message", &"z".repeat(9000))], &[], ADDRESS).await;
    let wrong = line.post("/en", &[("code", "1234 5678 1234 5678")], &[], ADDRESS).await;
    let pages = [
        line.get("/").await,
        line.get("/ru").await,
        line.get("/en").await,
        line.get("/nowhere").await,
        short,
        long,
        coded,
        check,
        with_more,
        wrong,
    ];
    for page in &pages {
        assert!(clew_safeline::pad::BUCKETS.contains(&page.body.len()), "{} bytes", page.body.len());
        assert!(page.body.len() < 30 * 1024, "every page under 30 KB");
        assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(page.headers[header::REFERRER_POLICY], "no-referrer");
        assert!(page.headers.get(header::SET_COOKIE).is_none());
        let policy = page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.starts_with("default-src 'none'") && policy.contains("script-src 'sha256-"), "{policy}");
        assert!(!policy.contains("unsafe") && policy.contains("connect-src 'self'"), "{policy}");
        assert!(!page.body.contains("<script src") && !page.body.contains("http://"), "nothing loaded from elsewhere");
        assert!(page.body.contains("href=\"https://example.org/\""), "the quick exit on every page");
    }
    for home in &pages[..3] {
        assert_eq!(home.body.len(), clew_safeline::pad::BUCKETS[0], "a page to open fits the smallest size");
    }
    // Check and send, short and long, right and wrong: one status, one size, the same headers.
    let sizes: Vec<usize> = pages[4..].iter().map(|p| p.body.len()).collect();
    assert!(sizes.iter().all(|s| *s == clew_safeline::pad::ANSWER), "{sizes:?}");
    let shape = |reply: &Reply| {
        let mut headers: Vec<(String, usize)> =
            reply.headers.iter().map(|(name, value)| (name.to_string(), value.len())).collect();
        headers.sort();
        (reply.status, headers)
    };
    for page in &pages[5..] {
        assert_eq!(shape(page), shape(&pages[4]), "an answer that looks otherwise on the wire");
    }
    // A conversation with long replies is cut to the latest that fit, never grown past its size.
    let number = line.service.inbox().unwrap().into_iter().find(|c| c.answerable).unwrap().number;
    let keys = line.service.inbox_reply_keys(number).unwrap();
    for i in 0..3 {
        let text = format!("SYNTHETIC reply {i} {}", "<답장> ".repeat(1800));
        let sealed = clew_service::safe_line::seal_answer(MessageKind::Reply, &text, &keys).unwrap();
        line.service.inbox_add(number, MessageKind::Reply, &sealed).unwrap();
    }
    let long_replies = line.post("/en", &[("code", &code_of(&pages[6]))], &[], ADDRESS).await;
    assert_eq!(shape(&long_replies), shape(&pages[4]));
    assert!(long_replies.body.contains("Older answers are not shown"), "{}", &long_replies.body[..2000]);
    assert!(long_replies.body.contains("SYNTHETIC reply 2"), "the latest is shown");
    // Titles are neutral in every language.
    assert!(pages[0].body.contains("<title>메모</title>") && pages[1].body.contains("<title>Заметки</title>"));
}

#[tokio::test]
async fn nothing_of_the_staff_application_answers_on_the_safe_line() {
    let line = Line::new(10_000, true);
    for spec in clew_server::routes::specs() {
        let path = spec
            .path
            .replace("{id}", "T-1")
            .replace("{number}", "1")
            .replace("{lang}", "xx")
            .replace("{message}", "1")
            .replace("{position}", "0")
            .replace("{dataset}", "default");
        let reply = match spec.method {
            "GET" => line.get(&path).await,
            _ => line.post(&path, &[("name", "admin")], &[], ADDRESS).await,
        };
        // `/` is the safe line's own page; every other staff path is not found here.
        if path == "/" {
            assert!(reply.body.contains("name=\"message\""));
            continue;
        }
        assert!(
            reply.status == StatusCode::NOT_FOUND || reply.status == StatusCode::METHOD_NOT_ALLOWED,
            "{} {path}: {}",
            spec.method,
            reply.status
        );
        assert!(!reply.body.contains("clew") && !reply.body.contains("sign-in"), "{path}");
    }
}

#[tokio::test]
async fn limits_hold_and_oversized_input_is_refused_in_the_senders_language() {
    let line = Line::new(3, true);
    for _ in 0..3 {
        assert_eq!(line.post("/", &[("message", "SYNTHETIC")], &[], ADDRESS).await.status, StatusCode::OK);
    }
    let held = line.post("/ru", &[("message", "SYNTHETIC")], &[], "203.0.113.9:1").await;
    assert!(refused(&held));
    assert!(held.body.contains("Подождите час"), "{}", held.body);
    assert_eq!(
        line.post("/", &[("message", "SYNTHETIC")], &[], "198.51.100.4:1").await.status,
        StatusCode::OK,
        "another network"
    );
    assert_eq!(line.conversations(), 4);
    // Behind an onion service every sender comes from loopback: one abuser must not close the line for all.
    for _ in 0..5 {
        assert!(!refused(&line.post("/", &[("message", "SYNTHETIC")], &[], "127.0.0.1:40000").await));
    }

    // The whole line's limits: per minute, and bytes per day.
    let dir = tempfile::tempdir().unwrap();
    let mut tight = options(&dir.path().join("pepper"), 1000, 2);
    let strict = clew_server::safe_line_app(clew_server::Line::new(Arc::clone(&line.service), tight.clone()).unwrap());
    let strict = Line { router: strict, ..line };
    for expected in [false, false, true] {
        assert_eq!(refused(&strict.post("/", &[("message", "SYNTHETIC")], &[], "127.0.0.1:1").await), expected);
    }
    tight.per_minute = 1000;
    tight.bytes_per_day = 10_000;
    let small = clew_server::safe_line_app(clew_server::Line::new(Arc::clone(&strict.service), tight).unwrap());
    let small = Line { router: small, ..strict };
    assert!(!refused(&small.post("/", &[("message", &"x".repeat(6000))], &[], ADDRESS).await));
    let spent = small.post("/", &[("message", &"x".repeat(6000))], &[], ADDRESS).await;
    assert!(refused(&spent) && spent.body.contains("지금 글이 너무 많이 오고 있습니다"), "{}", spent.body);
    drop(small);

    let line = Line::new(100, true);
    let long = "가".repeat(clew_safeline::letter::MAX_TEXT / 3 + 1);
    let answer = line.post("/", &[("message", &long)], &[], ADDRESS).await;
    assert!(refused(&answer));
    assert!(answer.body.contains("글이 너무 깁니다"), "{}", answer.body);
    let big = vec![0u8; clew_service::safe_line::MAX_FILE_BYTES + 1];
    let answer =
        line.post("/en", &[("message", "SYNTHETIC")], &[("big.bin", "application/octet-stream", &big)], ADDRESS).await;
    assert!(refused(&answer));
    assert!(answer.body.contains("A file is too large"), "{}", answer.body);
    let small: &[u8] = b"SYNTHETIC";
    let four = [
        ("a.txt", "text/plain", small),
        ("b.txt", "text/plain", small),
        ("c.txt", "text/plain", small),
        ("d.txt", "text/plain", small),
    ];
    let answer = line.post("/ru", &[("message", "SYNTHETIC")], &four, ADDRESS).await;
    assert!(refused(&answer));
    assert!(answer.body.contains("Слишком много файлов"), "{}", answer.body);
    let empty = line.post("/en", &[("message", "   ")], &[], ADDRESS).await;
    assert!(refused(&empty));
    assert_eq!(line.conversations(), 0, "nothing stored");

    // Without a caseworker nobody could read a message: it is refused, and nothing is stored.
    let closed = Line::new(100, false);
    let answer = closed.post("/en", &[("message", "SYNTHETIC")], &[], ADDRESS).await;
    assert!(refused(&answer));
    assert!(answer.body.contains("not open yet"), "{}", answer.body);
    assert_eq!(closed.conversations(), 0);
}

#[tokio::test]
async fn the_pepper_is_made_once_kept_private_and_needed() {
    let line = Line::new(100, true);
    let sent = line.post("/en", &[("message", "SYNTHETIC"), ("answer", "digits")], &[], ADDRESS).await;
    let code = code_of(&sent);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&line.pepper).unwrap().permissions().mode() & 0o777, 0o600);
    // The same pepper again: the code opens the conversation.
    let again = clew_server::safe_line_app(
        clew_server::Line::new(Arc::clone(&line.service), options(&line.pepper, 100, 100)).unwrap(),
    );
    let other = Line { router: again, ..line };
    assert_eq!(other.post("/en", &[("code", &code)], &[], ADDRESS).await.status, StatusCode::OK);
    // The pepper lost: the line refuses to start with a new one, which would make every code open nothing.
    let lost = other.pepper.with_file_name("lost-pepper");
    let refusal = clew_server::Line::new(Arc::clone(&other.service), options(&lost, 100, 100)).err().unwrap();
    assert!(refusal.message().contains("restore it"), "{}", refusal.message());
    assert!(!lost.exists());
    // Another pepper put in its place: the code opens nothing.
    std::fs::write(&lost, format!("{}\n", "ab".repeat(32))).unwrap();
    let elsewhere = clew_server::safe_line_app(
        clew_server::Line::new(Arc::clone(&other.service), options(&lost, 100, 100)).unwrap(),
    );
    let third = Line { router: elsewhere, ..other };
    assert!(refused(&third.post("/en", &[("code", &code)], &[], ADDRESS).await));
}

#[tokio::test]
async fn the_dashboard_shows_caseworkers_that_letters_wait_and_nothing_they_say() {
    let harness = crate::harness::Harness::new();
    let sessions = harness.sessions().await;
    let service = Arc::new(clew_service::Service::open(&harness.service_dir).unwrap());
    let actor = clew_service::Actor::new("tester").unwrap();
    service.add_caseworker(&actor, &clew_vault::new_custodian("c").key, "caseworker").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let line = clew_server::safe_line_app(
        clew_server::Line::new(Arc::clone(&service), options(&dir.path().join("pepper"), 100, 100)).unwrap(),
    );
    let sender = Line {
        router: line,
        service,
        project: harness.service_dir.clone(),
        pepper: dir.path().join("pepper"),
        caseworker: clew_vault::Identity::parse(&clew_vault::new_custodian("x").identity_file, "k").unwrap(),
        _dir: dir,
    };
    assert!(!refused(&sender.post("/en", &[("message", "SYNTHETIC-DASHBOARD-MARKER")], &[], ADDRESS).await));
    for role in clew_service::accounts::Role::ALL {
        let page = harness.get("/", Some(&sessions[&role])).await;
        let api = harness.get("/api/v1/dashboard", Some(&sessions[&role])).await.json();
        assert!(!page.body.contains("SYNTHETIC-DASHBOARD-MARKER"));
        let caseworker = matches!(role, clew_service::accounts::Role::Admin | clew_service::accounts::Role::Custodian);
        let at = page.body.find("safe-line").unwrap_or(0);
        assert_eq!(
            page.body.contains("One letter is unread"),
            caseworker,
            "{role:?}: {}",
            &page.body[at..(at + 600).min(page.body.len())]
        );
        assert_eq!(api["safe_line"]["unread"].as_u64(), caseworker.then_some(1), "{role:?}");
    }
}

/// A chunk's form, as the page's script sends it.
fn chunk_fields<'a>(token: &'a str, chunks: &'a str, chunk: &'a str) -> [(&'a str, &'a str); 3] {
    [("upload", token), ("chunks", chunks), ("chunk", chunk)]
}

/// The sealed chunks of uploads on their way, as stored.
fn stored_chunks(project: &Path) -> Vec<(u32, Vec<u8>)> {
    let db = rusqlite::Connection::open(project.join("safe-line/safe-line.db")).unwrap();
    let mut query = db.prepare("SELECT chunk, sealed FROM upload_chunk ORDER BY chunk").unwrap();
    query.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
}

/// Sends one chunk as the page's script does: its numbers, and its bytes as the `data` part.
async fn send_chunk(line: &Line, token: &str, chunks: u32, chunk: u32, data: &[u8]) -> Reply {
    let boundary = "----SYNTHETICchunk";
    let mut body = Vec::new();
    for (name, value) in chunk_fields(token, &chunks.to_string(), &chunk.to_string()) {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"blob\"\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = Request::post("/")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    request.extensions_mut().insert(ConnectInfo(ADDRESS.parse::<SocketAddr>().unwrap()));
    line.send(request).await
}

#[tokio::test]
async fn a_file_sent_in_chunks_resumes_after_a_dropped_connection_and_a_repeat_writes_nothing() {
    let line = Line::new(1000, true);
    let size = 2 * clew_service::safe_line::CHUNK_BYTES + 1234;
    let file: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
    let parts: Vec<&[u8]> = file.chunks(clew_service::safe_line::CHUNK_BYTES).collect();
    assert_eq!(parts.len(), 3);
    let token = "00112233445566778899aabbccddeeff";
    let first = send_chunk(&line, token, 3, 0, parts[0]).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("data-have=\"1\""), "{}", first.body);
    assert!(send_chunk(&line, token, 3, 1, parts[1]).await.body.contains("data-have=\"2\""));
    // The connection dropped before the answer came: the page sends chunk 1 again. Nothing is written twice.
    let before = stored_chunks(&line.project);
    let again = send_chunk(&line, token, 3, 1, parts[1]).await;
    assert!(again.body.contains("data-have=\"2\""), "{}", again.body);
    assert_eq!(stored_chunks(&line.project), before, "the same sealed chunks, byte for byte");
    // A letter that lists an upload not yet whole is refused, and stores nothing.
    let uploads = serde_json::json!([{
        "token": token, "name": "scan.pdf", "media_type": "application/pdf", "size": size,
        "sha256": hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&file)),
    }])
    .to_string();
    let early = line.post("/", &[("message", "SYNTHETIC with a scan"), ("uploads", &uploads)], &[], ADDRESS).await;
    assert!(refused(&early), "{}", early.body);
    assert_eq!(line.conversations(), 0);
    // The last chunk, then the letter.
    assert!(send_chunk(&line, token, 3, 2, parts[2]).await.body.contains("data-have=\"3\""));
    let sent = line.post("/", &[("message", "SYNTHETIC with a scan"), ("uploads", &uploads)], &[], ADDRESS).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(stored_chunks(&line.project).is_empty(), "the letter took its chunks");
    let number = line.service.inbox().unwrap()[0].number;
    let messages = line.service.inbox_messages(number).unwrap();
    let sealed = line.service.inbox_file(messages[0].number, 0).unwrap();
    assert_eq!(sealed.len(), 3);
    assert_eq!(&sealed[1], &before[1].1, "the chunk sealed on its first arrival is the one kept");
    let opened = clew_service::safe_line::open_file(&line.caseworker, &sealed, size as u64).unwrap();
    assert_eq!(opened.as_slice(), file.as_slice());
    let Opened::Letter { letter, .. } = clew_service::safe_line::open_message(&line.caseworker, &messages[0]).unwrap()
    else {
        panic!("a letter")
    };
    assert_eq!((letter.files[0].name.as_str(), letter.files[0].size), ("scan.pdf", size as u64));
    // Hostile chunks: too large, an index past the end, a token that is not one; none is stored.
    let big = vec![0u8; clew_service::safe_line::CHUNK_BYTES + 1];
    let answer = send_chunk(&line, "ffeeddccbbaa99887766554433221100", 100, 0, &big).await;
    assert!(refused(&answer));
    for fields in [chunk_fields(token, "3", "3"), chunk_fields("not-hex", "3", "0"), chunk_fields(token, "100000", "0")]
    {
        let answer = line.post("/", &fields, &[], ADDRESS).await;
        assert!(refused(&answer), "{fields:?}");
    }
    assert!(stored_chunks(&line.project).is_empty());
}
