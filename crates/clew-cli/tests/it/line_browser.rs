//! The safe line as the user meets it: `clew serve --safe-line-listen`, a sender in a real headless
//! chromium with JavaScript off writing in Korean with a photo, a caseworker reading and answering with
//! `clew inbox` and a key kept in a folder of its own (their machine), and the sender reading the reply with the
//! return code and writing again.

use fantoccini::Locator;

use crate::browser_support::{Driver, browser, photo_with_location, screenshot, text_of, tools_present, wait_for_text};
use crate::clew;
use crate::inbox::Server;

fn stdout(output: &std::process::Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_without_javascript_and_a_caseworker_with_clew_inbox_hold_a_conversation() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| clew(dir.path(), args);
    stdout(&run(&["init", "p", "--no-keys"]));
    std::fs::create_dir(dir.path().join("laptop")).unwrap();
    stdout(&run(&["caseworker", "new", "--out", "laptop/caseworker.key"]));
    stdout(&run(&["--project", "p", "caseworker", "add", "laptop/caseworker.pub"]));
    let server = Server::start(dir.path());
    let photo = dir.path().join("photo.jpg");
    std::fs::write(&photo, photo_with_location()).unwrap();

    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path(), false).await;
    client.goto(&format!("{}/", server.line)).await.unwrap();
    let send = "form:has(textarea)";
    client
        .find(Locator::Css(&format!("{send} textarea")))
        .await
        .unwrap()
        .send_keys("살려 주세요. SYNTHETIC 시험입니다.")
        .await
        .unwrap();
    client
        .find(Locator::Css(&format!("{send} input[type='file']")))
        .await
        .unwrap()
        .send_keys(&photo.display().to_string())
        .await
        .unwrap();
    client.find(Locator::Css(&format!("{send} input[value='digits']"))).await.unwrap().click().await.unwrap();
    client.find(Locator::Css(&format!("{send} button"))).await.unwrap().click().await.unwrap();
    let code = text_of(&client, "p.code").await;
    screenshot(&client, "line-cli-code").await;

    // The caseworker, with their own key.
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["--project", "p", "--json", "inbox", "list"]))).unwrap();
    let number = list[0]["number"].as_u64().unwrap().to_string();
    let read = stdout(&run(&[
        "--project",
        "p",
        "inbox",
        "read",
        &number,
        "--identity",
        "laptop/caseworker.key",
        "--files",
        "laptop/files",
    ]));
    assert!(read.contains("살려 주세요") && read.contains("written in ko") && read.contains("photo.jpg"), "{read}");
    let copy = std::fs::read(dir.path().join("laptop/files/letter-1-file-1.jpg")).unwrap();
    assert!(!copy.windows(13).any(|w| w == b"SYNTHETIC-GPS"), "the reading copy has no location");
    stdout(&run(&["--project", "p", "inbox", "reply", &number, "--message", "SYNTHETIC 답장: 도와드리겠습니다."]));

    // The sender comes back with the code, reads the reply, writes again.
    client.goto(&format!("{}/", server.line)).await.unwrap();
    let open = "form:not(:has(textarea))";
    client.find(Locator::Css(&format!("{open} input[name='code']"))).await.unwrap().send_keys(&code).await.unwrap();
    client.find(Locator::Css(&format!("{open} button"))).await.unwrap().click().await.unwrap();
    assert!(text_of(&client, "div.reply").await.contains("도와드리겠습니다"));
    screenshot(&client, "line-cli-reply").await;
    client.find(Locator::Css("form textarea")).await.unwrap().send_keys("SYNTHETIC 고맙습니다").await.unwrap();
    client.find(Locator::Css("form button")).await.unwrap().click().await.unwrap();
    wait_for_text(&client, "보내신 글: 2개").await;
    client.close().await.unwrap();
    let list = stdout(&run(&["--project", "p", "inbox", "list"]));
    assert!(list.contains("letters 2 (1 unread)") && list.contains("replies 1"), "{list}");
}
