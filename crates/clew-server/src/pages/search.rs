//! Search across entities by name, in any script: `Ким Чен Ын`, `Kim Jong Un` and `김정은` find one another
//! (clew-names' keys), each hit with its explanation.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use clew_service::entities::Schemata;
use clew_service::search::{MAX_SEARCH_CHARS, SearchResults};
use maud::html;

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Arg, Msg};
use crate::pages::dashboard::schema_label;
use crate::pages::query;
use crate::{App, Failure, html};

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct SearchQuery {
    #[serde(default)]
    q: String,
    schema: Option<String>,
    limit: Option<usize>,
}

async fn search(app: &App, caller: &Caller, raw: Option<String>) -> Result<Option<SearchResults>, Failure> {
    let asked: SearchQuery = query(raw.as_deref())?;
    if asked.q.trim().is_empty() {
        return Ok(None);
    }
    let schema: Vec<String> = asked.schema.into_iter().filter(|s| !s.is_empty()).collect();
    let schemata = Schemata::named(&schema).map_err(Failure::from)?;
    let limit = asked.limit.unwrap_or(crate::pages::DEFAULT_ROWS).clamp(1, clew_service::search::MAX_SEARCH_LIMIT);
    let ceiling = caller.role.ceiling();
    Ok(Some(app.run(move |service| service.search(&asked.q, &schemata, ceiling, limit)).await?))
}

/// The API answers an empty query with a usage error (the page shows its empty form instead).
pub(crate) async fn api(
    State(app): State<App>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResults>, Failure> {
    match search(&app, &caller, raw).await? {
        Some(results) => Ok(Json(results)),
        None => Err(Failure::own(clew_service::Code::Usage, Msg::SearchEmptyQuery)),
    }
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller, RawQuery(raw): RawQuery) -> Response {
    let results = match search(&app, &caller, raw).await {
        Ok(results) => results,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let asked = results.as_ref().map(|r| r.query.as_str()).unwrap_or("");
    let body = html! {
        form.search method="get" action="/search" role="search" {
            label { (lang.t(Msg::SearchLabel)) input type="search" name="q" value=(asked) maxlength=(MAX_SEARCH_CHARS) autofocus; }
            button type="submit" { (lang.t(Msg::SearchButton)) }
            small { (lang.t(Msg::SearchHint)) }
        }
        @if let Some(results) = &results {
            @if results.synthetic { p.synthetic role="note" { (lang.t(Msg::SyntheticNotice)) } }
            p { (lang.tr(Msg::SearchFound, &[("count", Arg::Count(results.total as i64))])) }
            table {
                thead { tr { th scope="col" { (lang.t(Msg::ColumnName)) } th scope="col" { (lang.t(Msg::ColumnSchema)) } th scope="col" { (lang.t(Msg::SearchMatched)) } th scope="col" class="n" { (lang.t(Msg::SearchScore)) } th scope="col" { (lang.t(Msg::SearchWhy)) } } }
                tbody {
                    @for hit in &results.hits {
                        tr {
                            td { a href={ "/entities/" (hit.entity) } { (hit.caption) } }
                            td { (schema_label(lang, &hit.schema)) }
                            td { (hit.matched_name) }
                            td.n { (format!("{:.2}", hit.score)) }
                            td { small { (hit.explanation) } }
                        }
                    }
                }
            }
        }
    };
    html::page(&ctx, Some(&caller), &lang.t(Msg::SearchTitle), body).into_response()
}
