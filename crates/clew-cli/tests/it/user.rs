//! `clew user`: accounts for the web application, with one-time passwords and second factors, in the custody log.

use crate::{clew, init_project, text};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn accounts_are_added_listed_disabled_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    init_project(dir, "p");
    let admin = json(&clew(dir, &["--project", "p", "--json", "user", "add", "admin-1", "--role", "admin"]));
    let password = admin["password"].as_str().unwrap().to_string();
    assert_eq!(password.len(), 23);
    assert!(admin["second_factor"]["uri"].as_str().unwrap().starts_with("otpauth://totp/"));
    let coder = json(&clew(dir, &["--project", "p", "--json", "user", "add", "김코더", "--role", "coder"]));
    assert!(coder["second_factor"].is_null());

    let listed = clew(dir, &["--project", "p", "--json", "user", "list"]);
    let accounts = json(&listed);
    assert_eq!(accounts.as_array().unwrap().len(), 2);
    assert!(!text(&listed.stdout).contains(&password), "a listing never shows a password");

    // The last admin stays; a coder can be disabled, and is listed so.
    let refused = clew(dir, &["--project", "p", "user", "disable", "admin-1"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("last enabled admin"));
    assert!(clew(dir, &["--project", "p", "user", "disable", "김코더"]).status.success());
    let accounts = json(&clew(dir, &["--project", "p", "--json", "user", "list"]));
    assert_eq!(accounts[1]["name"], "김코더");
    assert_eq!(accounts[1]["disabled"], true);

    let token =
        json(&clew(dir, &["--project", "p", "--json", "user", "token", "admin-1", "--label", "nightly export"]));
    let token = token["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("clew_") && token.len() == 69, "{token}");
    let reset = json(&clew(dir, &["--project", "p", "--json", "user", "reset", "admin-1"]));
    assert_ne!(reset["password"].as_str().unwrap(), password);
    // Another role: the last admin keeps its own; made a custodian, the coder gets a second factor.
    let refused = clew(dir, &["--project", "p", "user", "role", "admin-1", "--role", "viewer"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    let promoted = json(&clew(dir, &["--project", "p", "--json", "user", "role", "김코더", "--role", "custodian"]));
    assert_eq!(promoted["role"], "custodian");
    assert!(promoted["second_factor"]["secret"].is_string(), "{promoted}");
    for bad in [&["user", "add", "two words", "--role", "viewer"][..], &["user", "reset", "nobody"]] {
        let run = clew(dir, &[&["--project", "p"][..], bad].concat());
        assert_eq!(run.status.code(), Some(2), "{bad:?}: {}", text(&run.stderr));
    }

    // Every change is a custody event, without a password; the project still verifies.
    let log = clew(dir, &["--project", "p", "log", "show"]);
    let log_text = text(&log.stdout);
    for kind in ["account-add", "account-disable", "account-reset", "account-role", "token-create"] {
        assert!(log_text.contains(kind), "{log_text}");
    }
    assert!(!log_text.contains(&password) && !log_text.contains(&token));
    let verified = clew(dir, &["--project", "p", "verify"]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
}
