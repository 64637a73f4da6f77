//! The custody log, newest first: who did what and when (the details name accounts, files and counts; never
//! witness data).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use clew_service::entities::CustodyEvent;
use maud::{Markup, html};

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Lang, Msg};
use crate::pages::query;
use crate::{App, Failure, html};

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct LogQuery {
    /// Events before this sequence number.
    before: Option<u64>,
    limit: Option<usize>,
}

/// A page of the log.
#[derive(Debug, serde::Serialize)]
pub(crate) struct LogPage {
    /// Newest first.
    events: Vec<CustodyEvent>,
    /// The `before` of the next (older) page, if there is one.
    older: Option<u64>,
}

async fn view(app: &App, raw: Option<String>) -> Result<LogPage, Failure> {
    let asked: LogQuery = query(raw.as_deref())?;
    let limit = crate::pages::rows(asked.limit);
    let events = app.run(move |service| service.recent_events(asked.before, limit)).await?;
    let older = (events.len() == limit).then(|| events.last().map(|e| e.seq)).flatten();
    Ok(LogPage { events, older })
}

pub(crate) async fn api(State(app): State<App>, RawQuery(raw): RawQuery) -> Result<Json<LogPage>, Failure> {
    Ok(Json(view(&app, raw).await?))
}

/// A table of custody events.
pub(crate) fn events_table(lang: Lang, events: &[CustodyEvent]) -> Markup {
    html! {
        table.events {
            thead {
                tr {
                    th scope="col" class="n" { "#" }
                    th scope="col" { (lang.t(Msg::ColumnWhen)) }
                    th scope="col" { (lang.t(Msg::ColumnWho)) }
                    th scope="col" { (lang.t(Msg::ColumnWhat)) }
                    th scope="col" { (lang.t(Msg::ColumnDetail)) }
                }
            }
            tbody {
                @for event in events {
                    tr {
                        td.n { (event.seq) }
                        td { time datetime=(event.recorded_at) { (lang.time(&event.recorded_at)) } }
                        td { (event.recorded_by) }
                        td { code { (event.kind) } }
                        td { code.detail { (event.detail) } }
                    }
                }
            }
        }
    }
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller, RawQuery(raw): RawQuery) -> Response {
    let view = match view(&app, raw).await {
        Ok(view) => view,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let body = html! {
        p { (lang.t(Msg::LogIntro)) }
        (events_table(lang, &view.events))
        @if let Some(older) = view.older {
            p { a rel="next" href={ "/log?before=" (older) } { (lang.t(Msg::PageOlder)) } }
        }
    };
    html::page(&ctx, Some(&caller), &lang.t(Msg::LogTitle), body).into_response()
}
