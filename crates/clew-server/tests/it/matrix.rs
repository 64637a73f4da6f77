//! The role × route matrix: every route, every role, allowed or refused as the route table says, and
//! docs/web.md says the same.

use axum::http::StatusCode;
use clew_server::routes::{Permission, specs};
use clew_service::accounts::Role;

use crate::harness::Harness;

/// Who may use a route needing `permission`, written out here rather than asked of the server (a wrong
/// `Permission::allows` must fail this test, not agree with itself).
fn expected(permission: Permission, role: Role) -> bool {
    use Role::*;
    let allowed: &[Role] = match permission {
        Permission::Public | Permission::SignedIn | Permission::Read => &[Admin, Custodian, Coder, Analyst, Viewer],
        Permission::Audit => &[Admin, Custodian, Coder, Analyst],
        Permission::Code | Permission::Review => &[Admin, Coder],
        Permission::Verify | Permission::Casework => &[Admin, Custodian],
        Permission::Dossier => &[Admin, Custodian, Coder],
        Permission::Administer => &[Admin],
    };
    allowed.contains(&role)
}

/// A path with its parameters filled in with things the demo has.
fn concrete(path: &str) -> String {
    path.replace("{id}", "demo.company.0000")
        .replace("{lang}", "ko")
        .replace("{dataset}", "default")
        .replace("{number}", "1")
        .replace("{message}", "1")
        .replace("{position}", "0")
}

#[tokio::test]
async fn every_role_reaches_exactly_the_routes_the_table_gives_it() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let mut checked = 0;
    // Signing out ends the session the rest of the table needs: it goes last.
    let mut table = specs();
    table.sort_by_key(|spec| spec.path == "/sign-out");
    for spec in table {
        let path = concrete(spec.path);
        for role in Role::ALL {
            let cookie = &sessions[&role];
            let reply = match spec.method {
                "GET" => harness.get(&path, Some(cookie)).await,
                "POST" => harness.post_form(&path, Some(cookie), &[]).await,
                other => panic!("a route with method {other}"),
            };
            let refused = reply.status == StatusCode::FORBIDDEN || reply.status == StatusCode::UNAUTHORIZED;
            assert_eq!(spec.permission.allows(role), expected(spec.permission, role), "{role:?} {}", spec.path);
            if expected(spec.permission, role) {
                assert!(!refused, "{role:?} was refused {} {path}: {} {}", spec.method, reply.status, reply.body);
                assert!(!reply.location().starts_with("/sign-in?"), "{role:?} sent to sign in from {path}");
            } else {
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role:?} reached {} {path}", spec.method);
            }
            checked += 1;
        }
    }
    assert!(checked > 20);
}

#[tokio::test]
async fn without_a_session_only_public_routes_answer() {
    let harness = Harness::new();
    for spec in specs() {
        let path = concrete(spec.path);
        let reply = match spec.method {
            "GET" => harness.get(&path, None).await,
            _ => harness.post_form(&path, None, &[]).await,
        };
        if spec.permission == Permission::Public {
            assert!(reply.status != StatusCode::UNAUTHORIZED && reply.status != StatusCode::FORBIDDEN, "{path}");
        } else if spec.method == "GET" && !path.starts_with("/api/") {
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
            assert!(reply.location().starts_with("/sign-in?next="), "{path}: {}", reply.location());
        } else {
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{} {path}: {}", spec.method, reply.body);
        }
    }
}

/// The matrix as docs/web.md prints it.
fn matrix_rows() -> Vec<String> {
    let mut rows = vec![
        "| method | path | needs | admin | custodian | coder | analyst | viewer |".to_string(),
        "|---|---|---|---|---|---|---|---|".to_string(),
    ];
    for spec in specs() {
        let cells: Vec<&str> = Role::ALL
            .iter()
            .map(|role| match spec.permission {
                Permission::Public => "anyone",
                p if expected(p, *role) => "yes",
                _ => "no",
            })
            .collect();
        rows.push(format!(
            "| {} | `{}` | {} | {} |",
            spec.method,
            spec.path,
            spec.permission.as_str(),
            cells.join(" | ")
        ));
    }
    rows
}

#[test]
fn docs_web_md_prints_the_matrix_the_server_enforces() {
    let doc = include_str!("../../../../docs/web.md");
    let start = doc.find("<!-- matrix -->").expect("docs/web.md has a <!-- matrix --> marker");
    let end = doc.find("<!-- /matrix -->").expect("docs/web.md has a <!-- /matrix --> marker");
    let printed: Vec<&str> = doc[start..end].lines().skip(1).filter(|l| l.starts_with('|')).collect();
    let expected = matrix_rows();
    assert_eq!(
        printed,
        expected,
        "docs/web.md's matrix differs from the route table; it should read:\n{}",
        expected.join("\n")
    );
}
