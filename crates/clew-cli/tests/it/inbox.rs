//! The safe line end to end with real processes: `clew caseworker`, `clew serve --safe-line-listen`, a sender
//! over HTTP, and `clew inbox` both against the server (`--server`, a custodian's API token, the key in
//! another folder as on another machine) and on the project itself (`--project`).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::clew;

/// `clew serve` with the safe line, on free ports; killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) staff: String,
    pub(crate) line: String,
}

impl Server {
    pub(crate) fn start(dir: &Path) -> Server {
        Server::start_on(dir, "127.0.0.1:0")
    }

    /// `clew serve` with the safe line on `line` (an address, or `unix:PATH`).
    pub(crate) fn start_on(dir: &Path, line: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clew"))
            .args(["--project", "p", "serve", "--listen", "127.0.0.1:0", "--safe-line-listen", line])
            .current_dir(dir)
            .env_remove("CLEW_PROJECT")
            // The pepper's default place is the user's configuration folder: here, the test's own.
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut address = |marker: &str| loop {
            let line = lines.next().expect("clew serve said where it listens").unwrap();
            if let Some(rest) = line.split_once(marker) {
                break rest.1.split([' ', ',']).next().unwrap().to_string();
            }
        };
        let staff = address("listening on ");
        let line = address("the safe line is on ");
        // The rest of its standard error is drained, so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, staff, line }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Posts a form to the safe line as a browser does (multipart); the page.
fn post(url: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (u16, String) {
    let boundary = "SYNTHETICboundary42";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = agent
        .post(url)
        .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
        .send(&body[..])
        .unwrap();
    (response.status().as_u16(), response.body_mut().read_to_string().unwrap())
}

fn stdout(output: &std::process::Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A JPEG with an EXIF marker (not a valid picture beyond its segments: clew strips by segment).
fn photo() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    let exif = b"Exif\0\0MM\0*SYNTHETIC-GPS-MARKER";
    jpeg.extend_from_slice(&[0xFF, 0xE1]);
    jpeg.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(exif);
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x3F, 0xFF, 0xD9]);
    jpeg
}

#[test]
fn a_caseworker_answers_the_safe_line_from_another_machine_with_clew_inbox() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| clew(dir.path(), args);
    stdout(&run(&["init", "p", "--no-keys"]));
    // The caseworker's key is made in a folder of its own, standing for their machine.
    std::fs::create_dir(dir.path().join("laptop")).unwrap();
    stdout(&run(&["caseworker", "new", "--out", "laptop/caseworker.key"]));
    stdout(&run(&["--project", "p", "caseworker", "add", "laptop/caseworker.pub", "--label", "caseworker one"]));
    let listed = stdout(&run(&["--project", "p", "caseworker", "list"]));
    assert!(listed.contains("caseworker one") && listed.contains("age1"), "{listed}");

    // A custodian's API token: signed in once, the one-time password changed, then the token made.
    let added: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["--json", "--project", "p", "user", "add", "kim", "--role", "custodian"])))
            .unwrap();
    let service = clew_service::Service::open(&dir.path().join("p")).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let secret = added["second_factor"]["secret"].as_str().unwrap();
    let totp = totp_rs::TOTP::new_unchecked(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        totp_rs::Secret::Encoded(secret.into()).to_bytes().unwrap(),
        None,
        String::new(),
    );
    let password = added["password"].as_str().unwrap();
    let session = service.sign_in("kim", password, Some(&totp.generate(now)), now).unwrap();
    service.change_password(&session.token, password, "a caseworker's own password", now).unwrap();
    drop(service);
    let token: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["--json", "--project", "p", "user", "token", "kim", "--label", "inbox"])))
            .unwrap();
    std::fs::write(dir.path().join("laptop/token"), token["token"].as_str().unwrap()).unwrap();

    // A pepper inside the project protects nothing: refused.
    let refused =
        run(&["--project", "p", "serve", "--safe-line-listen", "127.0.0.1:0", "--safe-line-pepper", "p/pepper"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("apart from the project"));
    let server = Server::start(dir.path());
    // A sender writes, with a photo, and asks for a code.
    let (status, page) = post(
        &format!("{}/ru", server.line),
        &[("message", "SYNTHETIC-HELP-MARKER"), ("answer", "digits")],
        Some(("IMG_1.jpg", &photo())),
    );
    assert_eq!(status, 200, "{page}");
    let start = page.find("class=\"code\">").unwrap() + "class=\"code\">".len();
    let code = page[start..].split('<').next().unwrap().to_string();

    let remote = |args: &[&str]| {
        let mut all = vec!["inbox", "--server", &server.staff, "--token-file", "laptop/token"];
        all.extend_from_slice(args);
        clew(dir.path(), &all)
    };
    let list: serde_json::Value = serde_json::from_str(&stdout(&remote(&["list", "--json"]))).unwrap();
    let number = list[0]["number"].as_u64().unwrap().to_string();
    assert_eq!(list[0]["unseen"], 1);
    // Without the key nothing opens; with it, the letter and the photo (stripped for reading).
    let wrong = clew(dir.path(), &["caseworker", "new", "--out", "other.key"]);
    stdout(&wrong);
    let refused = remote(&["read", &number, "--identity", "other.key"]);
    assert!(!refused.status.success());
    assert!(!String::from_utf8_lossy(&refused.stdout).contains("SYNTHETIC-HELP-MARKER"));
    let read = stdout(&remote(&[
        "read",
        &number,
        "--identity",
        "laptop/caseworker.key",
        "--files",
        "laptop/files",
        "--originals",
    ]));
    assert!(
        read.contains("SYNTHETIC-HELP-MARKER") && read.contains("written in ru") && read.contains("IMG_1.jpg"),
        "{read}"
    );
    let copy = std::fs::read(dir.path().join("laptop/files/letter-1-file-1.jpg")).unwrap();
    let original = std::fs::read(dir.path().join("laptop/files/letter-1-file-1-original.jpg")).unwrap();
    // The pepper was made in the configuration folder, private, and not in the project.
    let peppers: Vec<_> = std::fs::read_dir(dir.path().join("config/clew/safe-line")).unwrap().collect();
    assert_eq!(peppers.len(), 1);
    assert!(!dir.path().join("p/safe-line/pepper").exists());
    assert_eq!(original, photo());
    assert!(!copy.windows(13).any(|w| w == b"SYNTHETIC-GPS"), "the reading copy has no location");
    stdout(&remote(&["reply", &number, "--message", "SYNTHETIC-REPLY-MARKER: мы поможем"]));
    stdout(&remote(&["note", &number, "--message", "SYNTHETIC-NOTE-MARKER: referred to a lawyer"]));
    stdout(&remote(&["status", &number, "referred"]));

    // The sender reads the reply with the code and writes again; the note is not shown to them.
    let (status, page) =
        post(&format!("{}/ru", server.line), &[("code", &code), ("message", "SYNTHETIC second")], None);
    assert_eq!(status, 200);
    assert!(page.contains("SYNTHETIC-REPLY-MARKER: мы поможем"), "{page}");
    assert!(!page.contains("SYNTHETIC-NOTE-MARKER"));
    drop(server);

    // On the project itself (`--project`), the same conversation: two letters, a reply, referred.
    let list = stdout(&run(&["--project", "p", "inbox", "list"]));
    assert!(list.contains("referred") && list.contains("letters 2 (1 unread)") && list.contains("replies 1"), "{list}");
    let read = stdout(&run(&["--project", "p", "inbox", "read", &number, "--identity", "laptop/caseworker.key"]));
    assert!(read.contains("SYNTHETIC second") && read.contains("SYNTHETIC-NOTE-MARKER"), "{read}");
    // Nothing said is in the project's files; the caseworker's additions are in its custody log.
    for entry in walk(&dir.path().join("p")) {
        let bytes = std::fs::read(&entry).unwrap();
        for marker in [b"SYNTHETIC-HELP-MARKER".as_slice(), b"SYNTHETIC-REPLY-MARKER", b"SYNTHETIC-NOTE-MARKER"] {
            assert!(!bytes.windows(marker.len()).any(|w| w == marker), "{}", entry.display());
        }
    }
    // A testimony draft: valid format v1 but for its consent, which is asked for separately.
    stdout(&run(&[
        "--project",
        "p",
        "inbox",
        "draft",
        &number,
        "--identity",
        "laptop/caseworker.key",
        "--out",
        "laptop/draft.yaml",
    ]));
    let refused = run(&["validate", "laptop/draft.yaml"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stdout).contains("consent")
            || String::from_utf8_lossy(&refused.stderr).contains("consent")
    );
    let draft = std::fs::read_to_string(dir.path().join("laptop/draft.yaml")).unwrap();
    assert!(
        draft.contains("SYNTHETIC-HELP-MARKER")
            && draft.contains("SYNTHETIC second")
            && !draft.contains("SYNTHETIC-REPLY-MARKER")
    );
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/examples/testimony-synthetic.yaml"))
            .unwrap();
    let consent = &example[example.find("\nconsent:").unwrap() + 1..example.find("\nsegments:").unwrap() + 1];
    std::fs::write(dir.path().join("laptop/draft.yaml"), format!("{draft}synthetic: true\n{consent}")).unwrap();
    stdout(&run(&["validate", "laptop/draft.yaml"]));

    let log = stdout(&run(&["--project", "p", "log", "show"]));
    assert!(log.contains("caseworker-add"), "{log}");
    stdout(&run(&["--project", "p", "verify"]));
    stdout(&run(&["--project", "p", "caseworker", "remove", "laptop/caseworker.pub"]));
    assert!(stdout(&run(&["--project", "p", "log", "show"])).contains("caseworker-remove"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { found.extend(walk(&path)) } else { found.push(path) }
    }
    found
}

#[test]
fn the_safe_line_listens_on_a_unix_socket_for_an_onion_service() {
    use std::io::{Read, Write};
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| clew(dir.path(), args);
    stdout(&run(&["init", "p", "--no-keys"]));
    stdout(&run(&["caseworker", "new", "--out", "caseworker.key"]));
    stdout(&run(&["--project", "p", "caseworker", "add", "caseworker.pub"]));
    let socket = dir.path().join("line.sock");
    let ask = |request: &[u8]| {
        let mut stream = std::os::unix::net::UnixStream::connect(&socket).unwrap();
        stream.write_all(request).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        String::from_utf8_lossy(&answer).into_owned()
    };
    for _ in 0..2 {
        // The second start replaces the socket the first one left.
        let server = Server::start_on(dir.path(), &format!("unix:{}", socket.display()));
        assert_eq!(server.line, format!("unix:{}", socket.display()));
        assert_eq!(std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777, 0o660);
        let page = ask(b"GET /en HTTP/1.1\r\nHost: line.onion\r\nConnection: close\r\n\r\n");
        assert!(page.starts_with("HTTP/1.1 200 OK") && page.contains("content-length: 10240"), "{page}");
        let body =
            "--B\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nSYNTHETIC through the onion\r\n--B--\r\n";
        let post = format!(
            "POST /en HTTP/1.1\r\nHost: line.onion\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let answer = ask(post.as_bytes());
        assert!(answer.starts_with("HTTP/1.1 200 OK") && answer.contains("Your message arrived"), "{answer}");
        drop(server);
    }
    let list = stdout(&run(&["--project", "p", "inbox", "list"]));
    assert_eq!(list.lines().count(), 2, "{list}");
    // Any other file in the socket's place is left alone, and the server does not start.
    let other = dir.path().join("not-a-socket");
    std::fs::write(&other, "SYNTHETIC").unwrap();
    let refused = run(&[
        "--project",
        "p",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--safe-line-listen",
        &format!("unix:{}", other.display()),
    ]);
    assert!(!refused.status.success());
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "SYNTHETIC");
}
