//! Entities: a listing by schema, and a page per entity with every property, the sources that say it, the
//! words they cite, and how many sources agree. A reader sees only statements at or under their role's
//! sensitivity ceiling.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use clew_model::{EntityId, Sensitivity};
use clew_service::entities::{EntityRow, Schemata};
use maud::html;

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Arg, Msg};
use crate::pages::dashboard::schema_label;
use crate::pages::query;
use crate::{App, Failure, html};

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ListQuery {
    /// One schema (`Person`, `Company`, ...), or every one.
    schema: Option<String>,
    after: Option<String>,
    limit: Option<usize>,
}

/// A page of the listing.
#[derive(Debug, serde::Serialize)]
pub(crate) struct EntityList {
    schema: Option<String>,
    entities: Vec<EntityRow>,
    /// The `after` of the next page, if there may be one.
    next: Option<String>,
}

fn bad_id(_: impl std::fmt::Display) -> Failure {
    Failure::own(clew_service::Code::NotFound, Msg::ErrorPageNotFound)
}

async fn list(app: &App, caller: &Caller, raw: Option<String>) -> Result<EntityList, Failure> {
    let asked: ListQuery = query(raw.as_deref())?;
    let schema = asked.schema.filter(|s| !s.is_empty());
    let schemata = Schemata::named(schema.as_slice()).map_err(Failure::from)?;
    let after = asked.after.filter(|a| !a.is_empty()).map(|a| EntityId::new(&a)).transpose().map_err(bad_id)?;
    let limit = crate::pages::rows(asked.limit);
    let ceiling = caller.role.ceiling();
    let page = app.run(move |service| service.entities_within(&schemata, after.as_ref(), limit, ceiling)).await?;
    Ok(EntityList { schema, entities: page.rows, next: page.next.map(|id| id.to_string()) })
}

pub(crate) async fn list_api(
    State(app): State<App>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<EntityList>, Failure> {
    Ok(Json(list(&app, &caller, raw).await?))
}

pub(crate) async fn list_page(State(app): State<App>, ctx: Ctx, caller: Caller, RawQuery(raw): RawQuery) -> Response {
    let view = match list(&app, &caller, raw).await {
        Ok(view) => view,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let schemata = ["Person", "Company", "PublicBody", "Worksite"];
    let body = html! {
        nav.filters aria-label=(lang.t(Msg::ColumnSchema)) {
            ul {
                li { a href="/entities" aria-current=[view.schema.is_none().then_some("page")] { (lang.t(Msg::EntitiesAll)) } }
                @for schema in schemata {
                    li {
                        a href={ "/entities?schema=" (schema) } aria-current=[(view.schema.as_deref() == Some(schema)).then_some("page")] {
                            (schema_label(lang, schema))
                        }
                    }
                }
            }
        }
        @if view.entities.is_empty() {
            p { (lang.t(Msg::EntitiesNone)) }
        } @else {
            table {
                thead { tr { th scope="col" { (lang.t(Msg::ColumnName)) } th scope="col" { (lang.t(Msg::ColumnSchema)) } th scope="col" { "id" } } }
                tbody {
                    @for row in &view.entities {
                        tr {
                            td { a href={ "/entities/" (row.id) } { (row.caption.as_deref().unwrap_or(row.id.as_str())) } }
                            td { (schema_label(lang, &row.schema)) }
                            td { code { (row.id) } }
                        }
                    }
                }
            }
        }
        @if let Some(next) = &view.next {
            p {
                a rel="next" href={ "/entities?" (serde_urlencoded::to_string([("schema", view.schema.as_deref().unwrap_or("")), ("after", next)]).unwrap_or_default()) } {
                    (lang.t(Msg::PageNext))
                }
            }
        }
    };
    html::page(&ctx, Some(&caller), &lang.t(Msg::EntitiesTitle), body).into_response()
}

/// Statements shown under each value on the page (the JSON has them all): a company named in thousands of
/// testimonies would otherwise make a page of megabytes.
const EVIDENCE_SHOWN: usize = 3;

/// One statement behind a value.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Support {
    statement: String,
    source: String,
    locator: String,
    /// The words of the segment it cites (the translation when there is one).
    words: Option<String>,
    recorded_by: String,
    recorded_at: String,
    confidence: f64,
    sensitivity: Sensitivity,
}

/// One value of a property.
#[derive(Debug, serde::Serialize)]
pub(crate) struct ValueView {
    value: String,
    /// The name of the entity the value refers to, for references.
    refers_to: Option<String>,
    /// How many sources say it.
    sources: usize,
    statements: Vec<Support>,
}

/// One property.
#[derive(Debug, serde::Serialize)]
pub(crate) struct PropertyView {
    property: String,
    label: String,
    /// Whether its values are entities (links).
    reference: bool,
    values: Vec<ValueView>,
}

/// An entity as a reader sees it.
#[derive(Debug, serde::Serialize)]
pub(crate) struct EntityPage {
    id: String,
    schema: String,
    caption: String,
    /// Schemata its statements gave that do not fit together.
    schema_conflicts: Vec<String>,
    properties: Vec<PropertyView>,
}

async fn entity(app: &App, caller: &Caller, id: String) -> Result<EntityPage, Failure> {
    let id = EntityId::new(&id).map_err(bad_id)?;
    let ceiling = caller.role.ceiling();
    app.run(move |service| {
        let view = service.entity(&id, false, ceiling)?;
        let model = clew_service::analysis::model()?;
        let Some(entity) = &view.entity else {
            return Err(clew_service::Error::new(clew_service::Code::NotFound, format!("no entity `{id}`")));
        };
        let schema = model.schema(&entity.schema);
        let mut properties = Vec::new();
        for (name, statements) in &entity.properties {
            let property = schema.and_then(|s| s.properties.get(name));
            let reference = property.is_some_and(|p| p.kind == clew_model::value::PropertyType::Entity);
            let mut values: Vec<ValueView> = Vec::new();
            for statement in statements {
                let support = Support {
                    statement: statement.id.to_string(),
                    source: statement.source_id.to_string(),
                    locator: statement.locator.clone(),
                    words: view.words(&statement.source_id, &statement.locator).map(str::to_string),
                    recorded_by: statement.recorded_by.clone(),
                    recorded_at: statement.recorded_at.clone(),
                    confidence: statement.confidence,
                    sensitivity: statement.sensitivity,
                };
                match values.iter_mut().find(|v| v.value == statement.value) {
                    Some(value) => value.statements.push(support),
                    None => values.push(ValueView {
                        value: statement.value.clone(),
                        refers_to: reference.then(|| view.name(&statement.value).map(str::to_string)).flatten(),
                        sources: view.sources_saying(name, &statement.value),
                        statements: vec![support],
                    }),
                }
            }
            properties.push(PropertyView {
                property: name.clone(),
                label: property.map_or_else(|| name.clone(), |p| p.label.clone()),
                reference,
                values,
            });
        }
        Ok(EntityPage {
            id: entity.id.to_string(),
            schema: entity.schema.clone(),
            caption: entity.caption(model),
            schema_conflicts: entity.schema_conflicts.clone(),
            properties,
        })
    })
    .await
}

pub(crate) async fn api(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<EntityPage>, Failure> {
    Ok(Json(entity(&app, &caller, id).await?))
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller, Path(id): Path<String>) -> Response {
    let view = match entity(&app, &caller, id).await {
        Ok(view) => view,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let body = html! {
        p.meta { (schema_label(lang, &view.schema)) " · " code { (view.id) } }
        @if !view.schema_conflicts.is_empty() {
            p.problem { (lang.t(Msg::EntitySchemaConflicts)) " " (view.schema_conflicts.join(", ")) }
        }
        table.properties {
            thead {
                tr {
                    th scope="col" { (lang.t(Msg::ColumnProperty)) }
                    th scope="col" { (lang.t(Msg::ColumnValue)) }
                    th scope="col" class="n" { (lang.t(Msg::ColumnSources)) }
                    th scope="col" { (lang.t(Msg::ColumnEvidence)) }
                }
            }
            tbody {
                @for property in &view.properties {
                    @for (i, value) in property.values.iter().enumerate() {
                        tr {
                            @if i == 0 { th scope="row" rowspan=(property.values.len()) { (property.label) } }
                            td {
                                @if property.reference {
                                    a href={ "/entities/" (value.value) } { (value.refers_to.as_deref().unwrap_or(&value.value)) }
                                } @else {
                                    (value.value)
                                }
                            }
                            td.n { (value.sources) }
                            td {
                                ul.evidence {
                                    @for support in value.statements.iter().take(EVIDENCE_SHOWN) {
                                        li {
                                            code { (support.source) } " " (support.locator)
                                            @if let Some(words) = &support.words { blockquote { (words) } }
                                            small { (support.recorded_by) ", " (lang.date(&support.recorded_at)) }
                                        }
                                    }
                                    @if value.statements.len() > EVIDENCE_SHOWN {
                                        li { (lang.tr(Msg::EntityMoreEvidence, &[("count", Arg::Count((value.statements.len() - EVIDENCE_SHOWN) as i64))])) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        p.notice { (lang.t(Msg::ProtectedNotice)) }
    };
    html::page(&ctx, Some(&caller), &view.caption, body).into_response()
}
