//! What every request and response goes through, whatever the route: a request id, the reader's language, a
//! time limit, the security headers, and errors rendered the one way (a page in the reader's language, or
//! `{"code", "message"}` under `/api/`), with internal ones logged by request id and never shown.

use std::time::Duration;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{StatusCode, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use clew_service::Code;
use rand::Rng;

use crate::i18n::{Lang, Msg};
use crate::{App, Failure};

/// The cookie that keeps the language a reader chose.
pub(crate) const LANG_COOKIE: &str = "clew_lang";

/// How long a request may take before the reader is told the server is busy (a verify job runs in the
/// background and is not held to it).
const REQUEST_SECONDS: u64 = 30;

/// The Content-Security-Policy of every response: nothing from elsewhere, no inline script or style, no
/// framing, forms posted only here.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What a handler knows of the request besides its arguments.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The reader's language.
    pub lang: Lang,
    /// The id this request is logged under.
    pub request_id: String,
    /// Whether it is a JSON API request (under `/api/`, or for the yente-compatible `/match/`).
    pub api: bool,
    /// The path and query asked for (where the language switcher and sign-in come back to).
    pub here: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ctx, Failure> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| Failure::internal("no request context".into()))
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// The reader's language: the one they chose (cookie), else the browser's preference.
fn language(headers: &HeaderMap) -> Lang {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(|tag| Lang::from_tag(&tag)) {
        return lang;
    }
    headers.get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok()).map(Lang::negotiate).unwrap_or(Lang::En)
}

/// The frame around every request.
pub(crate) async fn frame(State(_app): State<App>, mut request: Request, next: Next) -> Response {
    let request_id = hex::encode(rand::rng().random::<[u8; 8]>());
    let path = request.uri().path().to_string();
    let api = crate::openapi::is_api(&path);
    let here = request.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let ctx = Ctx { lang: language(request.headers()), request_id, api, here };
    request.extensions_mut().insert(ctx.clone());
    let mut response = match tokio::time::timeout(Duration::from_secs(REQUEST_SECONDS), next.run(request)).await {
        Ok(response) => response,
        Err(_) => Failure::own(Code::Busy, Msg::ErrorTimeout).into_response(),
    };
    // A handler that answers a failure with its own page (a form shown again with what was wrong) keeps it.
    let own_page = response.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let failed = response.status().is_client_error() || response.status().is_server_error();
    if response.extensions().get::<Failure>().is_some() || (failed && !own_page) {
        response = render_failure(&ctx, response);
    }
    secure(response.headers_mut(), &path);
    response
}

/// A failure as the reader gets it. Responses of axum's own (an unknown route, a wrong method, a body too
/// large, a malformed form) have no `Failure` and are given one by their status.
fn render_failure(ctx: &Ctx, response: Response) -> Response {
    let status = response.status();
    let (mut parts, _) = response.into_parts();
    let failure = parts.extensions.remove::<Failure>().unwrap_or_else(|| match status {
        StatusCode::NOT_FOUND => Failure::own(Code::NotFound, Msg::ErrorPageNotFound),
        StatusCode::PAYLOAD_TOO_LARGE => Failure::own(Code::TooLarge, Msg::ErrorTooLarge),
        StatusCode::METHOD_NOT_ALLOWED => Failure::own(Code::Usage, Msg::ErrorMethod),
        status if status.is_server_error() => Failure::internal(format!("HTTP {status} without a failure")),
        _ => Failure::own(Code::Usage, Msg::ErrorMalformed),
    });
    if failure.is_hidden() {
        // The request id ties the reader's report to this line; no witness data reaches a message (house rule).
        eprintln!("clew serve: request {}: {}: {}", ctx.request_id, failure.code().as_str(), failure.logged());
    }
    let keep = [header::LOCATION, header::RETRY_AFTER, header::SET_COOKIE, header::WWW_AUTHENTICATE];
    let mut kept = HeaderMap::new();
    for name in keep {
        for value in parts.headers.get_all(&name) {
            kept.append(name.clone(), value.clone());
        }
    }
    let mut rendered = if ctx.api {
        (status, axum::Json(failure.json(&ctx.request_id))).into_response()
    } else {
        (status, crate::html::failure_page(ctx, &failure)).into_response()
    };
    rendered.headers_mut().extend(kept);
    rendered
}

/// The security headers of every response.
fn secure(headers: &mut HeaderMap, path: &str) {
    let set = |headers: &mut HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(headers, HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    set(headers, HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()");
    if !path.starts_with("/assets/") {
        // Pages carry what only a signed-in reader may see: no cache keeps them.
        set(headers, header::CACHE_CONTROL, "no-store");
    }
}
