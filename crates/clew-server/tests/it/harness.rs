//! A demo project (synthetic data), the router over it, and signed-in sessions for each role.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{HeaderMap, Request, Response, StatusCode, header};
use clew_service::accounts::{IssuedCredentials, Role};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct Harness {
    pub router: axum::Router,
    pub service_dir: std::path::PathBuf,
    pub accounts: Vec<IssuedCredentials>,
    _dir: tempfile::TempDir,
}

/// What a request gives back, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (a PDF is no text).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The session cookie it sets, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("__Host-clew_session=") && !v.starts_with("__Host-clew_session=;"))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
    }
}

/// The current TOTP code of a base32 secret, one step ahead of `offset` steps (each code is accepted once).
pub fn totp_code(secret: &str, offset: i64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_string()).to_bytes().unwrap();
    let totp = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, None, String::new());
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    totp.generate((now + offset * 30) as u64)
}

impl Harness {
    pub fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("demo");
        let demo = clew_service::demo::build_demo(&project, 12, 7, &mut |_| {}).unwrap();
        let service = clew_service::Service::open(&project).unwrap();
        let app = clew_server::App::new(service, clew_server::Options::default());
        Harness { router: clew_server::app(app), service_dir: project, accounts: demo.accounts, _dir: dir }
    }

    pub fn account(&self, role: Role) -> &IssuedCredentials {
        self.accounts.iter().find(|a| a.role == role).unwrap()
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response: Response<Body> = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A form posted from the application's own page (the browser says so).
    pub async fn post_form(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Reply {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Signs `role`'s demo account in (its one-time password, a TOTP code `offset` steps from now when its
    /// role needs one), without changing the password.
    pub async fn sign_in_once(&self, role: Role, offset: i64) -> Reply {
        let account = self.account(role);
        let code = account.second_factor.as_ref().map(|f| totp_code(&f.secret, offset)).unwrap_or_default();
        self.post_form("/sign-in", None, &[("name", &account.name), ("password", &account.password), ("code", &code)])
            .await
    }

    /// A session cookie for each role, each account's one-time password changed to `new password for ROLE`.
    pub async fn sessions(&self) -> HashMap<Role, String> {
        let mut sessions = HashMap::new();
        for role in Role::ALL {
            let reply = self.sign_in_once(role, 0).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{role:?}: {}", reply.body);
            assert_eq!(reply.location(), "/account/password");
            let cookie = reply.session_cookie().unwrap();
            let account = self.account(role);
            let new = format!("new password for {}", role.as_str());
            let changed = self
                .post_form(
                    "/account/password",
                    Some(&cookie),
                    &[("current", &account.password), ("new", &new), ("repeat", &new)],
                )
                .await;
            assert_eq!(changed.status, StatusCode::SEE_OTHER, "{role:?}: {}", changed.body);
            // The change renews the session: the cookie of the sign-in opens nothing now.
            let renewed = changed.session_cookie().expect("a renewed session");
            assert_ne!(renewed, cookie);
            sessions.insert(role, renewed);
        }
        sessions
    }
}
