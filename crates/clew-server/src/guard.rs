//! The one place where the server decides who may do what: every route passes through `guard` with the
//! permission the route table gives it. It finds the caller (a session cookie from the pages, or an API token
//! for scripts), refuses forms that did not come from clew's own pages, sends an account with a one-time
//! password to change it first, and checks the role against the permission.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use clew_service::Code;
use clew_service::accounts::Role;
use secret::Secret;

use crate::frame::{Ctx, cookie};
use crate::i18n::Msg;
use crate::routes::Permission;
use crate::{App, Failure};

/// The cookie that keeps a browser's session token.
pub(crate) const SESSION_COOKIE: &str = "__Host-clew_session";

/// Who is asking.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Their account's name.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// Whether their password is a one-time one still to be changed.
    pub password_is_temporary: bool,
    /// The session token, when they came with a session cookie (signing out and changing the password end or
    /// keep it).
    pub(crate) session: Option<Secret>,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, Failure> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| Failure::internal("no caller on a guarded route".into()))
    }
}

/// A caller who may or may not be signed in (public routes).
pub struct MaybeCaller(pub Option<Caller>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeCaller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<MaybeCaller, Failure> {
        Ok(MaybeCaller(parts.extensions.get::<Caller>().cloned()))
    }
}

/// Whether a request that changes something came from this application's own pages. Browsers say where a
/// request comes from (`Sec-Fetch-Site`, since 2020) and put an `Origin` on every form post; a request
/// carrying neither is refused. Works without JavaScript: it needs no token in the form.
pub(crate) fn from_own_pages(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin";
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(origin), Some(host)) => {
            let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            authority == Some(host)
        }
        _ => false,
    }
}

/// A bearer token from `Authorization`.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

/// The name of the session cookie: `__Host-` (the browser takes it only from this host, over HTTPS or
/// loopback, for the whole site, so no neighbouring site can set one) unless cookies are not `Secure`.
pub(crate) fn session_cookie(app: &App) -> &'static str {
    if app.options().secure_cookies { SESSION_COOKIE } else { "clew_session" }
}

/// The caller of a request, if signed in: by API token (scripts; no cookie is then looked at) or by session.
/// On public routes only a session is looked at: a token's every use is a custody event, and fetching the
/// style sheet is not a use.
async fn caller(app: &App, headers: &HeaderMap, public: bool) -> Result<Option<Caller>, Failure> {
    let (token, session) = match (bearer(headers).filter(|_| !public), cookie(headers, session_cookie(app))) {
        (Some(token), _) => (token, false),
        (None, Some(token)) => (token, true),
        (None, None) => return Ok(None),
    };
    // A token is at most a few dozen characters; a megabyte of cookie is not looked up.
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let secret = Secret::new(token);
    let lookup = secret.clone();
    let now = crate::now();
    let account = app
        .run(
            move |service| {
                if session { service.session(lookup.expose(), now) } else { service.token_user(lookup.expose()) }
            },
        )
        .await;
    let account = match account {
        Ok(account) => account,
        Err(failure) if failure.code() == Code::Unauthenticated => return Ok(None),
        Err(failure) => return Err(failure),
    };
    let role = Role::parse(&account.role)
        .ok_or_else(|| Failure::internal(format!("account `{}` has an unknown role", account.name)))?;
    Ok(Some(Caller {
        name: account.name,
        role,
        password_is_temporary: account.password_is_temporary,
        session: session.then_some(secret),
    }))
}

/// Where the sign-in page sends the reader back to: a path of this site, never another site.
pub(crate) fn safe_next(next: &str) -> Option<&str> {
    // Browsers drop tabs and line breaks from a URL (`/\t/evil.example` is `//evil.example`) and read `\` as
    // `/`: a path with any of them, or any space or control character, is not taken.
    let plain = !next.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\');
    (next.starts_with('/') && !next.starts_with("//") && plain && next.len() <= 2048).then_some(next)
}

/// The guard of every route (see the module's documentation).
pub(crate) async fn guard(
    State((app, permission)): State<(App, Permission)>,
    ctx: Ctx,
    mut request: Request,
    next: Next,
) -> Response {
    let found = match caller(&app, request.headers(), permission == Permission::Public).await {
        Ok(found) => found,
        Err(failure) => return failure.into_response(),
    };
    let changes = !matches!(*request.method(), Method::GET | Method::HEAD);
    let by_cookie = found.as_ref().is_some_and(|c| c.session.is_some());
    // Forms change things in the name of whoever's cookie the browser sends, and the sign-in form would sign a
    // browser into someone else's account: both must come from this application's pages.
    if changes && (by_cookie || permission == Permission::Public) && !from_own_pages(request.headers()) {
        return Failure::own(Code::Forbidden, Msg::ErrorForeignForm).into_response();
    }
    if permission != Permission::Public {
        let Some(caller) = &found else {
            if ctx.api || changes {
                return Failure::own(Code::Unauthenticated, Msg::ErrorSignInFirst).into_response();
            }
            let next = safe_next(&ctx.here).unwrap_or("/");
            let target = format!("/sign-in?{}", serde_urlencoded::to_string([("next", next)]).unwrap_or_default());
            return Redirect::to(&target).into_response();
        };
        if caller.password_is_temporary && permission != Permission::SignedIn {
            if ctx.api {
                return Failure::own(Code::Forbidden, Msg::ErrorChangePasswordFirst).into_response();
            }
            return Redirect::to("/account/password").into_response();
        }
        if !permission.allows(caller.role) {
            return Failure::own(Code::Forbidden, Msg::ErrorForbidden).into_response();
        }
    }
    if let Some(caller) = found {
        request.extensions_mut().insert(caller);
    }
    next.run(request).await
}

/// A secret string shared between the request and the blocking pool, wiped when the last copy goes.
mod secret {
    use super::Arc;

    /// A session or API token.
    #[derive(Clone)]
    pub struct Secret(Arc<zeroize::Zeroizing<String>>);

    impl Secret {
        pub(crate) fn new(text: String) -> Secret {
            Secret(Arc::new(zeroize::Zeroizing::new(text)))
        }

        pub(crate) fn expose(&self) -> &str {
            self.0.as_str()
        }
    }

    impl std::fmt::Debug for Secret {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Secret(..)")
        }
    }
}
