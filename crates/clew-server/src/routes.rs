//! Every route of the application, with who may use it: this table is the role × route matrix (docs/web.md
//! prints it and a test checks the two agree), and `guard` enforces it in one place for every route.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, get, post};
use clew_service::accounts::Role;

use crate::{App, pages};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anyone, signed in or not: signing in, the language switcher, the style sheet.
    Public,
    /// Any signed-in account, even one whose one-time password is still to be changed: signing out and
    /// changing the password.
    SignedIn,
    /// Reading what the role's sensitivity ceiling allows: every role.
    Read,
    /// Reading the custody log and the project's counts: every role but viewers (the log names accounts,
    /// entities and statements of every sensitivity).
    Audit,
    /// Adding and correcting coded facts: coders and admins.
    Code,
    /// Judging linkage pairs: coders and admins (pairs are compared on restricted facts: birth dates,
    /// positions).
    Review,
    /// Running the custody log's verification: custodians and admins.
    Verify,
    /// The safe line's inbox (sealed conversations, sealed replies and notes, triage states): custodians and
    /// admins, who answer it with `clew inbox --server` and their own caseworker key.
    Casework,
    /// Making dossiers: coders (for the team only), custodians and admins (for every audience; the page
    /// offers each role its own, `Role::dossier_audiences`).
    Dossier,
    /// Managing accounts: admins.
    Administer,
}

impl Permission {
    /// Every permission, in the order of docs/web.md.
    pub const ALL: [Permission; 10] = [
        Permission::Public,
        Permission::SignedIn,
        Permission::Read,
        Permission::Audit,
        Permission::Code,
        Permission::Review,
        Permission::Verify,
        Permission::Casework,
        Permission::Dossier,
        Permission::Administer,
    ];

    /// Whether an account of `role` may use a route that needs this (the matrix).
    pub fn allows(self, role: Role) -> bool {
        match self {
            Permission::Public | Permission::SignedIn | Permission::Read => true,
            Permission::Audit => role != Role::Viewer,
            Permission::Code => matches!(role, Role::Coder | Role::Admin),
            Permission::Review => matches!(role, Role::Coder | Role::Admin),
            Permission::Verify | Permission::Casework => matches!(role, Role::Custodian | Role::Admin),
            Permission::Dossier => !role.dossier_audiences().is_empty(),
            Permission::Administer => role == Role::Admin,
        }
    }

    /// Its word in docs/web.md.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Public => "public",
            Permission::SignedIn => "signed-in",
            Permission::Read => "read",
            Permission::Audit => "audit",
            Permission::Code => "code",
            Permission::Review => "review",
            Permission::Verify => "verify",
            Permission::Casework => "casework",
            Permission::Dossier => "dossier",
            Permission::Administer => "administer",
        }
    }
}

/// A route: method, path (axum's `{name}` for a parameter), who may use it, and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path.
    pub path: &'static str,
    /// Who may use it.
    pub permission: Permission,
    /// What it does, in a few words (docs and the OpenAPI document).
    pub summary: &'static str,
}

struct Route {
    spec: RouteSpec,
    handler: MethodRouter<App>,
}

fn route(method: &'static str, path: &'static str, permission: Permission, summary: &'static str) -> RouteSpec {
    RouteSpec { method, path, permission, summary }
}

/// The table. Pages and their JSON twins under `/api/v1` share one view each (see `pages`).
fn table() -> Vec<Route> {
    use Permission::*;
    let r = |spec: RouteSpec, handler: MethodRouter<App>| Route { spec, handler };
    vec![
        r(route("GET", "/assets/style.css", Public, "The style sheet"), get(pages::assets::style)),
        r(route("GET", "/sign-in", Public, "The sign-in form"), get(pages::account::sign_in_form)),
        r(route("POST", "/sign-in", Public, "Sign in"), post(pages::account::sign_in)),
        r(route("GET", "/language/{lang}", Public, "Choose the language"), get(pages::account::language)),
        r(route("GET", "/api/v1/openapi.json", Public, "This API's OpenAPI document"), get(crate::openapi::serve)),
        r(route("POST", "/sign-out", SignedIn, "Sign out"), post(pages::account::sign_out)),
        r(route("GET", "/account/password", SignedIn, "The password form"), get(pages::account::password_form)),
        r(route("POST", "/account/password", SignedIn, "Change the password"), post(pages::account::change_password)),
        r(route("GET", "/", Read, "The dashboard"), get(pages::dashboard::page)),
        r(route("GET", "/api/v1/dashboard", Read, "Counts and recent custody events"), get(pages::dashboard::api)),
        r(route("GET", "/entities", Read, "Entities by schema"), get(pages::entities::list_page)),
        r(route("GET", "/api/v1/entities", Read, "Entities by schema"), get(pages::entities::list_api)),
        r(route("GET", "/entities/{id}", Read, "One entity with its sources"), get(pages::entities::page)),
        r(route("GET", "/api/v1/entities/{id}", Read, "One entity with its sources"), get(pages::entities::api)),
        r(
            route("GET", "/entities/{id}/dossier", Dossier, "The dossiers the reader's role may make on the entity"),
            get(pages::entities::dossier_choices),
        ),
        r(
            route("POST", "/entities/{id}/dossier", Dossier, "Make a dossier on the entity for an audience (logged)"),
            post(pages::entities::dossier),
        ),
        r(route("GET", "/testimonies", Read, "Testimonies, filtered"), get(pages::testimonies::list_page)),
        r(
            route("GET", "/api/v1/testimonies", Read, "Testimonies, filtered, with facet counts"),
            get(pages::testimonies::list_api),
        ),
        r(
            route("GET", "/testimonies/{id}", Read, "One testimony: segments with the facts and findings citing them"),
            get(pages::testimonies::page),
        ),
        r(
            route(
                "GET",
                "/api/v1/testimonies/{id}",
                Read,
                "One testimony: segments with the facts and findings citing them",
            ),
            get(pages::testimonies::api),
        ),
        r(
            route("POST", "/testimonies/{id}/facts", Code, "Add or correct a fact citing a segment"),
            post(pages::testimonies::add_form),
        ),
        r(
            route("POST", "/api/v1/testimonies/{id}/facts", Code, "Add or correct a fact citing a segment"),
            post(pages::testimonies::add_api),
        ),
        r(route("GET", "/estimates", Read, "The estimates kept, with their charts"), get(pages::estimates::page)),
        r(route("GET", "/api/v1/estimates", Read, "The estimates kept"), get(pages::estimates::api)),
        r(
            route("GET", "/api/v1/estimates/{number}", Read, "One estimate kept, with its whole report"),
            get(pages::estimates::one_api),
        ),
        r(
            route("GET", "/estimates/{number}/chart.svg", Read, "The chart of an estimate kept (SVG)"),
            get(pages::estimates::chart),
        ),
        r(
            route("GET", "/ledgers", Read, "The wage ledgers summarised, in US dollars, under the reader's ceiling"),
            get(pages::ledgers::page),
        ),
        r(
            route(
                "GET",
                "/api/v1/ledgers",
                Read,
                "The wage ledgers summarised, in US dollars, under the reader's ceiling",
            ),
            get(pages::ledgers::api),
        ),
        r(route("GET", "/search", Read, "Search names in any script"), get(pages::search::page)),
        r(route("GET", "/api/v1/search", Read, "Search names in any script"), get(pages::search::api)),
        r(route("GET", "/review", Review, "The linkage review queue"), get(pages::review::page)),
        r(route("GET", "/api/v1/review", Review, "The linkage review queue"), get(pages::review::api)),
        r(route("POST", "/review", Review, "Judge a pair: same, different or unsure"), post(pages::review::judge_form)),
        r(
            route("POST", "/api/v1/review", Review, "Judge a pair: same, different or unsure"),
            post(pages::review::judge_api),
        ),
        r(
            route("POST", "/match/{dataset}", Read, "Screen entities against the kept lists (yente's API)"),
            post(pages::matching::post),
        ),
        r(route("GET", "/map", Read, "The map of worksites and accommodation"), get(pages::map::page)),
        r(route("GET", "/api/v1/places", Read, "Places with coordinates"), get(pages::map::api)),
        r(route("GET", "/log", Audit, "The custody log"), get(pages::log::page)),
        r(route("GET", "/api/v1/log", Audit, "The custody log"), get(pages::log::api)),
        r(route("GET", "/verify", Verify, "The custody log's verification"), get(pages::verify::page)),
        r(route("POST", "/verify", Verify, "Start verifying the custody log"), post(pages::verify::start)),
        r(route("GET", "/api/v1/verify", Verify, "The verification job"), get(pages::verify::api)),
        r(route("POST", "/api/v1/verify", Verify, "Start verifying the custody log"), post(pages::verify::start)),
        r(
            route("GET", "/api/v1/inbox", Casework, "The safe line's conversations: days, states and counts"),
            get(pages::inbox::list),
        ),
        r(
            route("GET", "/api/v1/inbox/{number}", Casework, "A conversation's messages, sealed"),
            get(pages::inbox::messages),
        ),
        r(
            route("GET", "/api/v1/inbox/{number}/keys", Casework, "The keys a reply to a conversation is sealed to"),
            get(pages::inbox::keys),
        ),
        r(
            route("POST", "/api/v1/inbox/{number}/messages", Casework, "Store a reply or note, sealed by its writer"),
            post(pages::inbox::add),
        ),
        r(
            route("POST", "/api/v1/inbox/{number}/state", Casework, "Set a conversation's triage state"),
            post(pages::inbox::set_state),
        ),
        r(
            route("POST", "/api/v1/inbox/{number}/read", Casework, "Mark a conversation's letters as read"),
            post(pages::inbox::mark_read),
        ),
        r(
            route("GET", "/api/v1/inbox/files/{message}/{position}", Casework, "A letter's file, sealed as sent"),
            get(pages::inbox::file),
        ),
        r(
            route("GET", "/api/v1/caseworkers", Casework, "The caseworkers' public keys"),
            get(pages::inbox::caseworker_keys),
        ),
    ]
}

/// Every route's spec, in the table's order.
pub fn specs() -> Vec<RouteSpec> {
    table().into_iter().map(|route| route.spec).collect()
}

/// Forms are small; API bodies (a `/match` request of many queries) larger.
pub(crate) const FORM_BYTES: usize = 64 * 1024;
/// The largest API body.
pub(crate) const API_BYTES: usize = 1024 * 1024;

pub(crate) fn router(app: App) -> Router {
    let mut router = Router::new();
    for Route { spec, handler } in table() {
        let limit =
            if spec.path.starts_with("/api/") || spec.path.starts_with("/match/") { API_BYTES } else { FORM_BYTES };
        let guarded = handler
            .route_layer(from_fn_with_state((app.clone(), spec.permission), crate::guard::guard))
            .layer(DefaultBodyLimit::max(limit));
        router = router.route(spec.path, guarded);
    }
    router.fallback(pages::not_found).layer(from_fn_with_state(app.clone(), crate::frame::frame)).with_state(app)
}
