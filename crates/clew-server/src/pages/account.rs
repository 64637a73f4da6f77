//! Signing in and out, changing one's password, choosing the language.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, extract::rejection::FormRejection};
use clew_service::Code;
use maud::{Markup, html};

use crate::frame::{Ctx, LANG_COOKIE};
use crate::guard::{Caller, MaybeCaller, safe_next, session_cookie};
use crate::i18n::{Arg, Lang, Msg};
use crate::limiter::Key;
use crate::{App, Failure, html};

/// The client's address, when the server knows it (tests that call the router directly have none).
pub(crate) struct ClientAddress(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())))
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Next {
    next: Option<String>,
}

/// The sign-in form's fields (each optional here, so that a missing one is told in words, not refused whole).
#[derive(Default, serde::Deserialize)]
pub(crate) struct SignInFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: zeroize::Zeroizing<String>,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

fn sign_in_body(lang: Lang, name: &str, next: &str, problem: Option<&str>) -> Markup {
    html! {
        @if let Some(problem) = problem { p.problem role="alert" { (problem) } }
        form.stack method="post" action="/sign-in" {
            input type="hidden" name="next" value=(next);
            label { (lang.t(Msg::SignInName)) input name="name" value=(name) autocomplete="username" required autofocus; }
            label { (lang.t(Msg::SignInPassword)) input type="password" name="password" autocomplete="current-password" required; }
            label {
                (lang.t(Msg::SignInCode))
                input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,8}" maxlength="8";
                small { (lang.t(Msg::SignInCodeHint)) }
            }
            button type="submit" { (lang.t(Msg::SignIn)) }
        }
    }
}

fn sign_in_page(ctx: &Ctx, status: StatusCode, name: &str, next: &str, problem: Option<&str>) -> Response {
    let body = sign_in_body(ctx.lang, name, next, problem);
    (status, html::page(ctx, None, &ctx.lang.t(Msg::SignInTitle), body)).into_response()
}

pub(crate) async fn sign_in_form(ctx: Ctx, MaybeCaller(caller): MaybeCaller, RawQuery(raw): RawQuery) -> Response {
    let next: Next = crate::pages::query(raw.as_deref()).unwrap_or_default();
    let next = next.next.as_deref().and_then(safe_next).unwrap_or("/").to_string();
    if caller.is_some() {
        return Redirect::to(&next).into_response();
    }
    sign_in_page(&ctx, StatusCode::OK, "", &next, None)
}

/// A `Set-Cookie` value.
fn cookie(app: &App, name: &str, value: &str, max_age: u64, http_only: bool) -> HeaderValue {
    let secure = if app.options().secure_cookies { "; Secure" } else { "" };
    let http_only = if http_only { "; HttpOnly" } else { "" };
    let text = format!("{name}={value}; Path=/; Max-Age={max_age}; SameSite=Lax{http_only}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("clew_invalid=; Max-Age=0"))
}

pub(crate) async fn sign_in(
    State(app): State<App>,
    ctx: Ctx,
    ClientAddress(address): ClientAddress,
    form: Result<Form<SignInFields>, FormRejection>,
) -> Response {
    let fields = match form {
        Ok(Form(fields)) => fields,
        Err(rejection) => return crate::pages::unreadable_form(rejection),
    };
    let next = safe_next(&fields.next).unwrap_or("/").to_string();
    let name = clew_service::accounts::normal_user_name(&fields.name);
    if name.is_empty() || fields.password.is_empty() {
        let problem = ctx.lang.t(Msg::SignInMissing);
        return sign_in_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &fields.name, &next, Some(&problem));
    }
    let now = crate::now();
    // A name no account can have is counted by address only (and never kept: it may be 64 KiB long).
    let mut keys = Vec::new();
    if clew_service::accounts::check_user_name(&name).is_ok() {
        keys.push(Key::Name(&name));
    }
    keys.extend(address.map(Key::Address));
    {
        // Checked and counted at once, before the password is: parallel attempts cannot all pass the check.
        let mut limiter = app.limiter();
        if let Err(wait) = limiter.check(&keys, now) {
            let minutes = wait.div_ceil(60).to_string();
            let mut failure =
                Failure::own_with(Code::RateLimited, Msg::ErrorRateLimitedFor, vec![("minutes", minutes)]);
            failure.retry_after = Some(wait);
            return failure.into_response();
        }
        limiter.failed(&keys, now);
    }
    let password = fields.password.clone();
    let code = fields.code.trim().to_string();
    let tried = name.clone();
    let result = app
        .run_password_check(move |service| {
            service.sign_in(&tried, &password, (!code.is_empty()).then_some(code.as_str()), now)
        })
        .await;
    match result {
        Ok(session) => {
            app.limiter().succeeded(&keys, now);
            let target = if session.account.password_is_temporary { "/account/password" } else { next.as_str() };
            let mut response = Redirect::to(target).into_response();
            let max_age = session.expires_at.saturating_sub(now);
            response
                .headers_mut()
                .append(header::SET_COOKIE, cookie(&app, session_cookie(&app), &session.token, max_age, true));
            response
        }
        Err(failure) if failure.code() == Code::Unauthenticated => {
            let problem = ctx.lang.t(Msg::SignInRefused);
            sign_in_page(&ctx, StatusCode::UNAUTHORIZED, &fields.name, &next, Some(&problem))
        }
        Err(failure) => failure.into_response(),
    }
}

pub(crate) async fn sign_out(State(app): State<App>, caller: Caller) -> Response {
    if let Some(session) = caller.session.clone() {
        let ended = app.run(move |service| service.sign_out(session.expose())).await;
        if let Err(failure) = ended
            && failure.code() != Code::Unauthenticated
        {
            return failure.into_response();
        }
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie(&app, session_cookie(&app), "", 0, true));
    response
}

#[derive(Default, serde::Deserialize)]
pub(crate) struct PasswordFields {
    #[serde(default)]
    current: zeroize::Zeroizing<String>,
    #[serde(default)]
    new: zeroize::Zeroizing<String>,
    #[serde(default)]
    repeat: zeroize::Zeroizing<String>,
}

fn password_page(ctx: &Ctx, caller: &Caller, status: StatusCode, problem: Option<&str>) -> Response {
    let lang = ctx.lang;
    let body = html! {
        @if caller.password_is_temporary { p.notice { (lang.t(Msg::PasswordTemporary)) } }
        @if let Some(problem) = problem { p.problem role="alert" { (problem) } }
        form.stack method="post" action="/account/password" {
            label { (lang.t(Msg::PasswordCurrent)) input type="password" name="current" autocomplete="current-password" required; }
            label {
                (lang.t(Msg::PasswordNew))
                input type="password" name="new" autocomplete="new-password" minlength="12" maxlength="1024" required;
                small { (lang.tr(Msg::PasswordRule, &[("min", Arg::Count(clew_service::accounts::MIN_PASSWORD_CHARS as i64))])) }
            }
            label { (lang.t(Msg::PasswordRepeat)) input type="password" name="repeat" autocomplete="new-password" required; }
            button type="submit" { (lang.t(Msg::PasswordChange)) }
        }
    };
    (status, html::page(ctx, Some(caller), &lang.t(Msg::AccountPassword), body)).into_response()
}

pub(crate) async fn password_form(ctx: Ctx, caller: Caller) -> Response {
    password_page(&ctx, &caller, StatusCode::OK, None)
}

pub(crate) async fn change_password(
    State(app): State<App>,
    ctx: Ctx,
    caller: Caller,
    form: Result<Form<PasswordFields>, FormRejection>,
) -> Response {
    let fields = match form {
        Ok(Form(fields)) => fields,
        Err(rejection) => return crate::pages::unreadable_form(rejection),
    };
    let Some(session) = caller.session.clone() else {
        return Failure::own(Code::Usage, Msg::PasswordNeedsSession).into_response();
    };
    if *fields.new != *fields.repeat {
        let problem = ctx.lang.t(Msg::PasswordMismatch);
        return password_page(&ctx, &caller, StatusCode::UNPROCESSABLE_ENTITY, Some(&problem));
    }
    let now = crate::now();
    let changed = app
        .run_password_check(move |service| service.change_password(session.expose(), &fields.current, &fields.new, now))
        .await;
    match changed {
        // The session is renewed: the cookie of before opens nothing now.
        Ok(session) => {
            let mut response = Redirect::to("/").into_response();
            let max_age = session.expires_at.saturating_sub(now);
            response
                .headers_mut()
                .append(header::SET_COOKIE, cookie(&app, session_cookie(&app), &session.token, max_age, true));
            response
        }
        Err(failure) if matches!(failure.code(), Code::Usage | Code::Unauthenticated) => {
            let problem =
                ctx.lang.t(if failure.code() == Code::Usage { Msg::PasswordRefused } else { Msg::PasswordWrong });
            password_page(&ctx, &caller, StatusCode::UNPROCESSABLE_ENTITY, Some(&problem))
        }
        Err(failure) => failure.into_response(),
    }
}

pub(crate) async fn language(State(app): State<App>, Path(tag): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let Some(lang) = Lang::from_tag(&tag).filter(|lang| lang.tag() == tag) else {
        return Failure::own(Code::NotFound, Msg::ErrorPageNotFound).into_response();
    };
    let next: Next = crate::pages::query(raw.as_deref()).unwrap_or_default();
    let next = next.next.as_deref().and_then(safe_next).unwrap_or("/");
    let mut response = Redirect::to(next).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie(&app, LANG_COOKIE, lang.tag(), 365 * 24 * 3600, false));
    response
}
