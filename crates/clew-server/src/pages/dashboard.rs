//! The dashboard: what the project holds and what was done to it lately.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use clew_service::entities::{CustodyEvent, Stats};
use maud::html;

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Lang, Msg};
use crate::pages::log::events_table;
use crate::routes::Permission;
use crate::{App, Failure, html};

/// The custody events the dashboard shows.
const RECENT_EVENTS: usize = 10;

/// What the dashboard shows.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Dashboard {
    /// Whether the project holds synthetic (demo) data.
    synthetic: bool,
    /// Counts, for the roles that may read the custody log (counts of restricted statements are not for
    /// viewers).
    stats: Option<Stats>,
    /// The newest custody events, newest first (for the same roles).
    recent_events: Vec<CustodyEvent>,
}

async fn view(app: &App, caller: &Caller) -> Result<Dashboard, Failure> {
    let audit = Permission::Audit.allows(caller.role);
    app.run(move |service| {
        Ok(Dashboard {
            synthetic: service.synthetic(),
            stats: if audit { Some(service.stats()?) } else { None },
            recent_events: if audit { service.recent_events(None, RECENT_EVENTS)? } else { Vec::new() },
        })
    })
    .await
}

pub(crate) async fn api(State(app): State<App>, caller: Caller) -> Result<Json<Dashboard>, Failure> {
    Ok(Json(view(&app, &caller).await?))
}

fn count_of(list: &[(String, u64)], key: &str) -> u64 {
    list.iter().find(|(k, _)| k == key).map_or(0, |(_, n)| *n)
}

fn schema_msg(schema: &str) -> Option<Msg> {
    Some(match schema {
        "Person" => Msg::SchemaPerson,
        "Company" => Msg::SchemaCompany,
        "PublicBody" => Msg::SchemaPublicBody,
        "Worksite" => Msg::SchemaWorksite,
        _ => return None,
    })
}

/// A schema's name in the reader's language (the schema's own name for those without a translation).
pub(crate) fn schema_label(lang: Lang, schema: &str) -> String {
    schema_msg(schema).map_or_else(|| schema.to_string(), |msg| lang.t(msg))
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller) -> Response {
    let view = match view(&app, &caller).await {
        Ok(view) => view,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let body = html! {
        @if view.synthetic { p.synthetic role="note" { (lang.t(Msg::SyntheticNotice)) } }
        @if let Some(stats) = &view.stats {
            @let counts = [
                (Msg::CountTestimoniesLabel, count_of(&stats.sources, "testimony")),
                (Msg::CountEntitiesLabel, stats.entities.iter().map(|(_, n)| n).sum()),
                (Msg::CountStatementsLabel, stats.statements),
                (Msg::CountSegmentsLabel, stats.segments),
            ];
            section.counts aria-labelledby="counts" {
                h2 #counts { (lang.t(Msg::DashboardCounts)) }
                dl.counts {
                    @for (msg, n) in counts {
                        div { dt { (lang.t(msg)) } dd { (lang.number(n)) } }
                    }
                }
                table {
                    caption { (lang.t(Msg::DashboardEntitiesBySchema)) }
                    thead { tr { th scope="col" { (lang.t(Msg::ColumnSchema)) } th scope="col" class="n" { (lang.t(Msg::ColumnCount)) } } }
                    tbody {
                        @for (schema, n) in &stats.entities {
                            tr {
                                td { a href={ "/entities?schema=" (schema) } { (schema_label(lang, schema)) } }
                                td.n { (lang.number(*n)) }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="recent" {
                h2 #recent { (lang.t(Msg::DashboardRecentEvents)) }
                (events_table(lang, &view.recent_events))
                p { a href="/log" { (lang.t(Msg::DashboardWholeLog)) } }
            }
        } @else {
            p { (lang.t(Msg::DashboardViewer)) }
            ul {
                li { a href="/testimonies" { (lang.t(Msg::NavTestimonies)) } }
                li { a href="/entities" { (lang.t(Msg::NavEntities)) } }
                li { a href="/search" { (lang.t(Msg::NavSearch)) } }
                li { a href="/map" { (lang.t(Msg::NavMap)) } }
            }
        }
    };
    html::page(&ctx, Some(&caller), &lang.t(Msg::DashboardTitle), body).into_response()
}
