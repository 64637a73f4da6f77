//! A headless chromium driven through chromedriver (WebDriver), for the tests that use a real browser: the
//! server's (`tests/browser.rs`) and the CLI's safe-line round trip (`clew-cli/tests/it/line_browser.rs`), which
//! include this one file. Without chromium and chromedriver a test fails, unless `CLEW_SKIP_MISSING_TOOLS=1`
//! says to skip it (`.ci/run` installs them). Screenshots go to `target/browser-artefacts/` (or
//! `$CLEW_ARTEFACTS`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether chromium and chromedriver are there; panics when they are not, unless skipping was asked for.
pub fn tools_present() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present && std::env::var("CLEW_SKIP_MISSING_TOOLS").as_deref() != Ok("1") {
        panic!("{CHROMIUM} and {CHROMEDRIVER} are needed (Debian packages chromium, chromium-driver)");
    }
    present
}

/// chromedriver on a free port, stopped when dropped.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Driver {
    pub fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Dropped (and so stopped) if it never answers.
        let driver = Driver { child, port };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return driver;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("chromedriver did not start on port {port}");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn artefacts() -> PathBuf {
    let dir = std::env::var_os("CLEW_ARTEFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-artefacts"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A headless chromium, JavaScript on or off, with a fresh profile.
pub async fn browser(driver: &Driver, profile: &Path, javascript: bool) -> Client {
    let mut chrome = serde_json::json!({
        "binary": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,900", format!("--user-data-dir={}", profile.display()),
        ],
    });
    if !javascript {
        chrome["prefs"] = serde_json::json!({"profile.managed_default_content_settings.javascript": 2});
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), chrome);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap()
}

pub async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(artefacts().join(format!("{name}.png")), png).unwrap();
}

/// Waits (up to ten seconds) until the page holds `text`.
pub async fn wait_for_text(client: &Client, text: &str) {
    for _ in 0..100 {
        if client.source().await.unwrap().contains(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no “{text}” on {}", client.current_url().await.unwrap());
}

/// Waits until the page has an element matching `css`, and gives its text.
pub async fn text_of(client: &Client, css: &str) -> String {
    for _ in 0..100 {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            return element.text().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no {css} on {}", client.current_url().await.unwrap());
}

/// What a phone would write as the photo's GPS position: a marker to look for.
pub const LOCATION: &[u8] = b"SYNTHETIC-GPS-MARKER-43.1N-131.9E";

/// A valid 8×8 grey JPEG whose EXIF segment holds [`LOCATION`] where a phone writes its GPS position.
pub fn photo_with_location() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    let mut segment = |marker: u8, contents: &[u8]| {
        jpeg.extend_from_slice(&[0xFF, marker]);
        jpeg.extend_from_slice(&((contents.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(contents);
    };
    segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    segment(0xE1, &[b"Exif\0\0MM\0*".as_slice(), LOCATION].concat());
    segment(0xDB, &[[0u8].as_slice(), &[1u8; 64]].concat());
    segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
    let table = |class: u8| [[class].as_slice(), &[1], &[0u8; 15], &[0]].concat();
    segment(0xC4, &table(0x00));
    segment(0xC4, &table(0x10));
    segment(0xDA, &[1, 1, 0, 0, 63, 0]);
    jpeg.extend_from_slice(&[0x3F, 0xFF, 0xD9]);
    jpeg
}

/// On the safe line's page, sends a letter through the form with a message box: `text`, a file, and the return
/// code asked for (`none`, `digits` or `words`).
pub async fn send_letter(client: &Client, text: &str, file: Option<&Path>, answer: &str) {
    let send = "form:has(textarea)";
    client.find(Locator::Css(&format!("{send} textarea"))).await.unwrap().send_keys(text).await.unwrap();
    if let Some(file) = file {
        let input = client.find(Locator::Css(&format!("{send} input[type='file']"))).await.unwrap();
        input.send_keys(&file.display().to_string()).await.unwrap();
    }
    client.find(Locator::Css(&format!("{send} input[value='{answer}']"))).await.unwrap().click().await.unwrap();
    client.find(Locator::Css(&format!("{send} button"))).await.unwrap().click().await.unwrap();
}

/// On the safe line's page, opens the conversation of `code` through the form without a message box.
pub async fn open_with_code(client: &Client, code: &str) {
    let open = "form:not(:has(textarea))";
    client.find(Locator::Css(&format!("{open} input[name='code']"))).await.unwrap().send_keys(code).await.unwrap();
    client.find(Locator::Css(&format!("{open} button"))).await.unwrap().click().await.unwrap();
}

/// On a conversation's page, writes again.
pub async fn write_again(client: &Client, text: &str) {
    client.find(Locator::Css("form textarea")).await.unwrap().send_keys(text).await.unwrap();
    client.find(Locator::Css("form button")).await.unwrap().click().await.unwrap();
}
