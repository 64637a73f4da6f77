//! End to end in a real browser: Debian's chromium, headless, driven through chromedriver (WebDriver) against
//! `clew serve` on loopback over a synthetic demo project. A screenshot of each page goes to
//! `target/browser-artefacts/` (or `$CLEW_ARTEFACTS`). Without chromium and chromedriver the test fails, unless
//! `CLEW_SKIP_MISSING_TOOLS=1` says to skip it (`.ci/run` installs them).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/browser.rs"]
mod support;

use std::net::SocketAddr;
use std::time::Duration;

use clew_service::accounts::{IssuedCredentials, Role};
use fantoccini::{Client, Locator};
use support::{
    Driver, LOCATION, browser, open_with_code, photo_with_location, screenshot, send_letter, text_of, tools_present,
    wait_for_text, write_again,
};

/// The demo project served on loopback.
struct Served {
    base: String,
    accounts: Vec<IssuedCredentials>,
    _dir: tempfile::TempDir,
}

async fn serve() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("demo");
    let demo = clew_service::demo::build_demo(&project, 12, 7, &mut |_| {}).unwrap();
    let service = clew_service::Service::open(&project).unwrap();
    let app = clew_server::App::new(service, clew_server::Options::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(clew_server::serve(app, listener));
    Served { base: format!("http://{address}"), accounts: demo.accounts, _dir: dir }
}

fn totp_now(secret: &str) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_string()).to_bytes().unwrap();
    let totp = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, None, String::new());
    totp.generate_current().unwrap()
}

async fn fill(client: &Client, name: &str, value: &str) {
    let field = client.find(Locator::Css(&format!("input[name='{name}']"))).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn submit(client: &Client, form_action: &str) {
    let button =
        client.find(Locator::Css(&format!("form[action='{form_action}'] button[type='submit']"))).await.unwrap();
    button.click().await.unwrap();
}

/// Waits (up to ten seconds) until the browser is at a path starting with `path` (exactly `/` for `/`): a
/// click returns before the page it leads to has loaded.
async fn arrive(client: &Client, path: &str) {
    for _ in 0..100 {
        let url = client.current_url().await.unwrap();
        let there = if path == "/" { url.path() == "/" } else { url.path().starts_with(path) };
        if there && client.find(Locator::Css("footer")).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the browser did not reach {path}: it is at {}", client.current_url().await.unwrap());
}

/// Waits until the page is in language `tag`.
async fn wait_for_lang(client: &Client, tag: &str) {
    for _ in 0..100 {
        let lang = client.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap();
        if lang.as_deref() == Some(tag) && client.find(Locator::Css("footer")).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page did not turn {tag}");
}

async fn heading(client: &Client) -> String {
    client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap()
}

/// Signs an account in through the form, changing its one-time password.
async fn sign_in(client: &Client, served: &Served, account: &IssuedCredentials) {
    client.goto(&format!("{}/", served.base)).await.unwrap();
    assert!(client.current_url().await.unwrap().path().starts_with("/sign-in"));
    fill(client, "name", &account.name).await;
    fill(client, "password", &account.password).await;
    if let Some(factor) = &account.second_factor {
        fill(client, "code", &totp_now(&factor.secret)).await;
    }
    submit(client, "/sign-in").await;
    // Signed in, and sent to change the one-time password.
    arrive(client, "/account/password").await;
    fill(client, "current", &account.password).await;
    fill(client, "new", "a browser-chosen password").await;
    fill(client, "repeat", "a browser-chosen password").await;
    submit(client, "/account/password").await;
    arrive(client, "/").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_signs_in_with_a_second_factor_and_works_in_three_languages() {
    if !tools_present() {
        return;
    }
    let served = serve().await;
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path(), true).await;
    let admin = served.accounts.iter().find(|a| a.role == Role::Admin).unwrap();
    client.goto(&format!("{}/", served.base)).await.unwrap();
    screenshot(&client, "sign-in").await;
    sign_in(&client, &served, admin).await;
    assert_eq!(heading(&client).await, "Dashboard");
    screenshot(&client, "dashboard").await;

    client.goto(&format!("{}/entities/demo.company.0000", served.base)).await.unwrap();
    assert!(heading(&client).await.contains("DEMO"), "an entity page");
    screenshot(&client, "entity").await;

    client.find(Locator::LinkText("한국어")).await.unwrap().click().await.unwrap();
    // The same page, in Korean.
    arrive(&client, "/entities/demo.company.0000").await;
    wait_for_lang(&client, "ko").await;
    let text = client.find(Locator::Css("table.properties thead")).await.unwrap().text().await.unwrap();
    assert!(text.contains("속성"), "{text}");
    screenshot(&client, "entity-ko").await;

    client.goto(&format!("{}/map", served.base)).await.unwrap();
    assert_eq!(heading(&client).await, "작업장과 숙소 지도");
    assert!(client.find(Locator::Css("figure.map svg")).await.is_ok());
    screenshot(&client, "map-ko").await;

    client.find(Locator::LinkText("Русский")).await.unwrap().click().await.unwrap();
    wait_for_lang(&client, "ru").await;
    assert_eq!(heading(&client).await, "Карта объектов работ и мест проживания");
    screenshot(&client, "map-ru").await;

    client.goto(&format!("{}/log", served.base)).await.unwrap();
    assert_eq!(heading(&client).await, "Журнал хранения");
    let log = client.find(Locator::Css("table.events")).await.unwrap().text().await.unwrap();
    assert!(log.contains("sign-in") && log.contains("password-change"), "the log shows the sign-in");
    screenshot(&client, "log-ru").await;

    submit(&client, "/sign-out").await;
    arrive(&client, "/sign-in").await;
    client.close().await.unwrap();
}

/// A demo served, a browser on it, and an account of `role` signed in (its one-time password changed); `None`
/// when the tools are missing and skipping was asked for.
/// (The driver and profile are bound to names by the tests, so they live as long as the test.)
struct Run {
    served: Served,
    client: Client,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

async fn signed_in(role: Role, javascript: bool) -> Option<Run> {
    if !tools_present() {
        return None;
    }
    let served = serve().await;
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path(), javascript).await;
    let account = served.accounts.iter().find(|a| a.role == role).unwrap();
    sign_in(&client, &served, account).await;
    Some(Run { served, client, _driver: driver, _profile: profile })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_work_with_javascript_disabled() {
    let Some(Run { served, client, _driver, _profile }) = signed_in(Role::Coder, false).await else { return };
    client.goto(&format!("{}/entities?schema=Company", served.base)).await.unwrap();
    client.find(Locator::Css("table tbody a")).await.unwrap().click().await.unwrap();
    arrive(&client, "/entities/demo.company.").await;
    screenshot(&client, "entity-no-javascript").await;
    submit(&client, "/sign-out").await;
    arrive(&client, "/sign-in").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coder_corrects_a_fact_and_judges_a_pair() {
    let Some(Run { served, client, _driver, _profile }) = signed_in(Role::Coder, true).await else { return };
    client.goto(&format!("{}/testimonies", served.base)).await.unwrap();
    screenshot(&client, "testimonies").await;
    client.find(Locator::LinkText("T-DEMO-000000")).await.unwrap().click().await.unwrap();
    arrive(&client, "/testimonies/T-DEMO-000000").await;
    screenshot(&client, "testimony").await;

    // The hours a day, corrected: a new statement, the old one shown as replaced.
    let fact =
        client.find(Locator::XPath("//li[contains(@class, 'statement')][contains(., 'hoursPerDay')]")).await.unwrap();
    fact.find(Locator::Css("details > summary")).await.unwrap().click().await.unwrap();
    let value = fact.find(Locator::Css("input[name='value']")).await.unwrap();
    value.clear().await.unwrap();
    value.send_keys("13").await.unwrap();
    fact.find(Locator::Css("textarea[name='note']")).await.unwrap().send_keys("a later answer").await.unwrap();
    fact.find(Locator::Css("form button[type='submit']")).await.unwrap().click().await.unwrap();
    for _ in 0..100 {
        if client.current_url().await.unwrap().fragment().is_some_and(|f| f.starts_with("segment-")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    arrive(&client, "/testimonies/T-DEMO-000000").await;
    let replaced = client.find(Locator::Css("li.statement.superseded")).await.unwrap().text().await.unwrap();
    assert!(replaced.contains("hoursPerDay") && replaced.contains("demo-coder"), "{replaced}");
    let source = client.source().await.unwrap();
    assert!(source.contains("hoursPerDay: <strong>13</strong>"), "the correction is shown");
    screenshot(&client, "testimony-corrected").await;

    client.goto(&format!("{}/review", served.base)).await.unwrap();
    assert_eq!(heading(&client).await, "Linkage review");
    screenshot(&client, "review").await;
    // The demo's people give the queue pairs (its minders are named in several testimonies).
    let first = client.find(Locator::Css("section.pair h2")).await.unwrap().text().await.unwrap();
    client.find(Locator::Css("section.pair button[value='different']")).await.unwrap().click().await.unwrap();
    arrive(&client, "/review").await;
    let next = client.find(Locator::Css("section.pair h2")).await;
    if let Ok(next) = next {
        assert_ne!(next.text().await.unwrap(), first, "a judged pair leaves the queue");
    }
    client.goto(&format!("{}/log", served.base)).await.unwrap();
    let log = client.find(Locator::Css("table.events")).await.unwrap().text().await.unwrap();
    assert!(log.contains("fact-add") && log.contains("link-judgement"), "{log}");
    client.close().await.unwrap();
}

/// A new project in `dir` with one caseworker, and its safe line. The caseworker's key is made "on another
/// machine": only its public half reaches the project.
fn safe_line(
    dir: &std::path::Path,
) -> (std::sync::Arc<clew_service::Service>, clew_vault::NewCustodian, clew_server::Line) {
    let actor = clew_service::Actor::new("tester").unwrap();
    let (service, _) = clew_service::Service::init(&dir.join("p"), "line", None, &actor).unwrap();
    let caseworker = clew_vault::new_custodian("caseworker");
    service.add_caseworker(&actor, &caseworker.key, "caseworker one").unwrap();
    let service = std::sync::Arc::new(service);
    let options = clew_server::SafeLineOptions {
        pepper: dir.join("pepper"),
        exit: "https://example.org/".into(),
        per_network_per_hour: 100,
        per_minute: 100,
        bytes_per_day: clew_server::BYTES_PER_DAY,
    };
    let line = clew_server::Line::new(std::sync::Arc::clone(&service), options).unwrap();
    (service, caseworker, line)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_writes_in_korean_with_a_photo_and_reads_the_reply_with_javascript_off() {
    if !tools_present() {
        return;
    }
    use clew_service::safe_line::{MessageKind, Opened};
    let dir = tempfile::tempdir().unwrap();
    let (service, caseworker, line) = safe_line(dir.path());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(clew_server::serve_safe_line(line, listener));
    let photo = dir.path().join("photo.jpg");
    std::fs::write(&photo, photo_with_location()).unwrap();

    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path(), false).await;
    client.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(client.title().await.unwrap(), "메모", "a neutral title");
    screenshot(&client, "safe-line-ko").await;
    send_letter(&client, "도와주세요. SYNTHETIC 시험 글입니다.", Some(&photo), "digits").await;
    let code = text_of(&client, "p.code").await;
    assert_eq!(code.chars().filter(char::is_ascii_digit).count(), 16, "{code}");
    screenshot(&client, "safe-line-code").await;

    // The caseworker reads it with their key (what `clew inbox read` does) and answers (`clew inbox reply`).
    let identity = clew_vault::Identity::parse(&caseworker.identity_file, "key").unwrap();
    let number = service.inbox().unwrap()[0].number;
    let messages = service.inbox_messages(number).unwrap();
    let Opened::Letter { letter, .. } = clew_service::safe_line::open_message(&identity, &messages[0]).unwrap() else {
        panic!("a letter first")
    };
    assert!(letter.text.contains("도와주세요"), "{}", letter.text);
    assert_eq!((letter.language.as_str(), letter.files.len()), ("ko", 1));
    let original = clew_service::safe_line::open_file(
        &identity,
        &service.inbox_file(messages[0].number, 0).unwrap(),
        letter.files[0].size,
    )
    .unwrap();
    assert_eq!(original.as_slice(), photo_with_location().as_slice());
    let copy = clew_service::safe_line::reading_copy(original.to_vec()).bytes.unwrap();
    assert!(!copy.windows(LOCATION.len()).any(|w| w == LOCATION), "the reading copy has no location");
    let keys = service.inbox_reply_keys(number).unwrap();
    let sealed =
        clew_service::safe_line::seal_answer(MessageKind::Reply, "SYNTHETIC 답장: 저희가 돕겠습니다.", &keys).unwrap();
    service.inbox_add(number, MessageKind::Reply, &sealed).unwrap();

    // The sender comes back with the code, reads the reply, and writes again.
    client.goto(&format!("{base}/")).await.unwrap();
    open_with_code(&client, &code).await;
    let reply = text_of(&client, "div.reply").await;
    assert!(reply.contains("저희가 돕겠습니다"), "{reply}");
    screenshot(&client, "safe-line-reply").await;
    write_again(&client, "SYNTHETIC 두 번째 글").await;
    wait_for_text(&client, "보내신 글: 2개").await;
    assert_eq!(service.inbox().unwrap()[0].letters, 2);
    // A wrong code opens nothing.
    client.goto(&format!("{base}/")).await.unwrap();
    open_with_code(&client, "1234 5678 1234 5678").await;
    assert!(text_of(&client, "p.refused").await.contains("이 번호로 열리는 글이 없습니다"));
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_a_file_goes_in_padded_resumable_chunks() {
    if !tools_present() {
        return;
    }
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let (service, caseworker, line) = safe_line(dir.path());
    // Every request's size, as the network would see it.
    let sizes: Arc<Mutex<Vec<(String, u64)>>> = Arc::default();
    let seen = Arc::clone(&sizes);
    let router = clew_server::safe_line_app(line).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let length = request
                .headers()
                .get(axum::http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.parse().ok())
                .unwrap_or(0);
            seen.lock().unwrap().push((request.method().to_string(), length));
            next.run(request)
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    let scan: Vec<u8> = (0..250_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let path = dir.path().join("scan.bin");
    std::fs::write(&path, &scan).unwrap();

    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path(), true).await;
    client.goto(&format!("{base}/en")).await.unwrap();
    send_letter(&client, "SYNTHETIC with a scan", Some(&path), "digits").await;
    let code = text_of(&client, "p.code").await;
    assert_eq!(code.chars().filter(char::is_ascii_digit).count(), 16, "{code}");
    screenshot(&client, "safe-line-js-code").await;

    // Three chunks and the letter, each request exactly one of the sizes.
    let posts: Vec<u64> = sizes.lock().unwrap().iter().filter(|(m, _)| m == "POST").map(|(_, n)| *n).collect();
    assert_eq!(posts.len(), 4, "{posts:?}");
    for size in &posts {
        assert!(clew_safeline::pad::BUCKETS.contains(&(*size as usize)), "a request of {size} bytes: {posts:?}");
    }
    // The caseworker gets the file whole, from its chunks, as sent.
    let identity = clew_vault::Identity::parse(&caseworker.identity_file, "key").unwrap();
    let number = service.inbox().unwrap()[0].number;
    let messages = service.inbox_messages(number).unwrap();
    let clew_service::safe_line::Opened::Letter { letter, .. } =
        clew_service::safe_line::open_message(&identity, &messages[0]).unwrap()
    else {
        panic!("a letter")
    };
    assert_eq!((letter.files[0].name.as_str(), letter.files[0].size), ("scan.bin", 250_000));
    let chunks = service.inbox_file(messages[0].number, 0).unwrap();
    assert_eq!(chunks.len(), 3);
    let opened = clew_service::safe_line::open_file(&identity, &chunks, letter.files[0].size).unwrap();
    assert_eq!(opened.as_slice(), scan.as_slice());
    assert_eq!(letter.files[0].sha256, hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&scan)));

    // Checking the code goes padded too, and reads like any answer.
    client.goto(&format!("{base}/en")).await.unwrap();
    open_with_code(&client, &code).await;
    wait_for_text(&client, "Messages you sent: 1").await;
    let last = sizes.lock().unwrap().iter().rev().find(|(m, _)| m == "POST").unwrap().1;
    assert_eq!(last as usize, clew_safeline::pad::BUCKETS[0], "a code check is padded to the smallest size");
    client.close().await.unwrap();
}
