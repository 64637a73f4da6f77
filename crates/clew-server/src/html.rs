//! The page layout: every page has the same header (navigation for what the reader's role may open, the
//! language switcher, who is signed in and a sign-out button), works without JavaScript, and loads nothing
//! but the embedded style sheet.

use axum::response::Html;
use maud::{DOCTYPE, Markup, html};

use crate::Failure;
use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Lang, Msg};
use crate::routes::Permission;

/// The navigation: where each link goes, its label, and who may follow it.
const NAVIGATION: [(&str, Msg, Permission); 10] = [
    ("/", Msg::NavDashboard, Permission::Read),
    ("/testimonies", Msg::NavTestimonies, Permission::Read),
    ("/ledgers", Msg::NavLedgers, Permission::Read),
    ("/entities", Msg::NavEntities, Permission::Read),
    ("/search", Msg::NavSearch, Permission::Read),
    ("/review", Msg::NavReview, Permission::Review),
    ("/map", Msg::NavMap, Permission::Read),
    ("/estimates", Msg::NavEstimates, Permission::Read),
    ("/log", Msg::NavLog, Permission::Audit),
    ("/verify", Msg::NavVerify, Permission::Verify),
];

/// A link to the same page in another language.
fn language_href(lang: Lang, here: &str) -> String {
    let next = crate::guard::safe_next(here).unwrap_or("/");
    format!("/language/{}?{}", lang.tag(), serde_urlencoded::to_string([("next", next)]).unwrap_or_default())
}

/// A whole page.
pub(crate) fn page(ctx: &Ctx, caller: Option<&Caller>, title: &str, body: Markup) -> Html<String> {
    let lang = ctx.lang;
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · clew" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                header.top {
                    a.brand href="/" { "clew" }
                    @if let Some(caller) = caller {
                        @if !caller.password_is_temporary {
                            nav aria-label=(lang.t(Msg::NavLabel)) {
                                ul {
                                    @for (href, msg, permission) in NAVIGATION {
                                        @if permission.allows(caller.role) {
                                            li { a href=(href) { (lang.t(msg)) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    div.tools {
                        ul.languages aria-label=(lang.t(Msg::LanguageLabel)) {
                            @for other in Lang::ALL {
                                li {
                                    @if other == lang {
                                        strong lang=(other.tag()) aria-current="true" { (other.endonym()) }
                                    } @else {
                                        a lang=(other.tag()) hreflang=(other.tag()) href=(language_href(other, &ctx.here)) { (other.endonym()) }
                                    }
                                }
                            }
                        }
                        @if let Some(caller) = caller {
                            span.who { (caller.name) " · " (lang.t(role_msg(caller.role))) }
                            a href="/account/password" { (lang.t(Msg::AccountPassword)) }
                            form.inline method="post" action="/sign-out" {
                                button type="submit" { (lang.t(Msg::SignOut)) }
                            }
                        }
                    }
                }
                main { h1 { (title) } (body) }
                footer {
                    p { (lang.t(Msg::FooterProtected)) }
                }
            }
        }
    };
    Html(markup.into_string())
}

/// The page of a failure.
pub(crate) fn failure_page(ctx: &Ctx, failure: &Failure) -> Html<String> {
    let (told, detail) = failure.told(ctx.lang, &ctx.request_id);
    let problems = failure.problems(ctx.lang);
    let body = html! {
        div.failure role="alert" {
            p { (told) }
            @if !problems.is_empty() {
                dl.problems {
                    @for (field, message) in &problems { dt { (field) } dd { (message) } }
                }
            } @else if let Some(detail) = detail { pre { (detail) } }
            p { a href="/" { (ctx.lang.t(Msg::BackHome)) } }
        }
    };
    page(ctx, None, &ctx.lang.t(Msg::ErrorTitle), body)
}

/// The word for a role.
pub(crate) fn role_msg(role: clew_service::accounts::Role) -> Msg {
    use clew_service::accounts::Role;
    match role {
        Role::Admin => Msg::RoleAdmin,
        Role::Custodian => Msg::RoleCustodian,
        Role::Coder => Msg::RoleCoder,
        Role::Analyst => Msg::RoleAnalyst,
        Role::Viewer => Msg::RoleViewer,
    }
}
