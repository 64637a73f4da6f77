//! The safe line as the user meets it: `clew serve --safe-line-listen`, a sender in a real headless
//! chromium with JavaScript off writing in Korean with a photo, a caseworker reading and answering with
//! `clew inbox` and a key kept in a folder of its own (their machine), and the sender reading the reply with the
//! return code and writing again.

use crate::browser_support::{
    Driver, LOCATION, browser, open_with_code, photo_with_location, screenshot, send_letter, text_of, tools_present,
    wait_for_text, write_again,
};
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
    send_letter(&client, "살려 주세요. SYNTHETIC 시험입니다.", Some(&photo), "digits").await;
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
    assert!(!copy.windows(LOCATION.len()).any(|w| w == LOCATION), "the reading copy has no location");
    stdout(&run(&["--project", "p", "inbox", "reply", &number, "--message", "SYNTHETIC 답장: 도와드리겠습니다."]));

    // The sender comes back with the code, reads the reply, writes again.
    client.goto(&format!("{}/", server.line)).await.unwrap();
    open_with_code(&client, &code).await;
    assert!(text_of(&client, "div.reply").await.contains("도와드리겠습니다"));
    screenshot(&client, "line-cli-reply").await;
    write_again(&client, "SYNTHETIC 고맙습니다").await;
    wait_for_text(&client, "보내신 글: 2개").await;
    client.close().await.unwrap();
    let list = stdout(&run(&["--project", "p", "inbox", "list"]));
    assert!(list.contains("letters 2 (1 unread)") && list.contains("replies 1"), "{list}");
}
