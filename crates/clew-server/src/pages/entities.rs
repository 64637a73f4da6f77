//! Entities: a listing by schema, and a page per entity with every property, the sources that say it, the
//! words they cite, and how many sources agree; its relations in both directions, drawn as a graph whose nodes
//! are links and listed in full; and the sanctions matches recorded for it with their explanations. A reader
//! sees only statements at or under their role's sensitivity ceiling, and only links those statements make.

use axum::Form;
use axum::Json;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use clew_model::{EntityId, Model, Sensitivity};
use clew_service::entities::{Direction, EntityRow, RELATIONS_KEPT, RecordedMatch, Relation, Schemata};
use maud::html;

use crate::frame::Ctx;
use crate::graph;
use crate::guard::Caller;
use crate::i18n::{Arg, Lang, Msg};
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

/// One relation: the entity at its other end, how the two are linked, and the label of the property linking
/// them.
#[derive(Debug, serde::Serialize)]
pub(crate) struct RelationView {
    #[serde(flatten)]
    relation: Relation,
    /// The model's label of `property`.
    property_label: String,
    /// What the other end is, for its colour in the drawing.
    #[serde(skip)]
    kind: graph::Kind,
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
    /// Its relations, the entities it names first (at most `clew_service::entities::RELATIONS_KEPT`).
    relations: Vec<RelationView>,
    /// How many relations it has in all.
    relations_total: usize,
    /// Whether more statements name it than were read: `relations_total` counts those read.
    relations_capped: bool,
    /// The sanctions matches recorded for it, best first.
    matches: Vec<RecordedMatch>,
}

/// What an entity of `schema` is, for its colour.
fn kind_of(model: &Model, schema: Option<&str>) -> graph::Kind {
    let Some(schema) = schema.and_then(|s| model.schema(s)) else { return graph::Kind::Other };
    if schema.is_a("Person") {
        graph::Kind::Person
    } else if schema.is_a("LegalEntity") {
        graph::Kind::Organisation
    } else if ["Worksite", "Accommodation", "Address"].iter().any(|place| schema.is_a(place)) {
        graph::Kind::Place
    } else {
        graph::Kind::Other
    }
}

/// The label of the property making `relation`: the entity's own (outgoing), else that of the entity naming it
/// (the relation it goes through, or the other end itself).
fn property_label(model: &Model, own_schema: &str, relation: &Relation) -> String {
    let schema = match (&relation.direction, &relation.via) {
        (Direction::Outgoing, _) => Some(own_schema),
        (Direction::Incoming, Some(via)) => Some(via.schema.as_str()),
        (Direction::Incoming, None) => relation.schema.as_deref(),
    };
    schema
        .and_then(|s| model.schema(s))
        .and_then(|s| s.properties.get(&relation.property))
        .map_or_else(|| relation.property.clone(), |p| p.label.clone())
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
        let relations = view
            .relations
            .iter()
            .map(|relation| RelationView {
                property_label: property_label(model, &entity.schema, relation),
                kind: kind_of(model, relation.schema.as_deref()),
                relation: relation.clone(),
            })
            .collect();
        Ok(EntityPage {
            id: entity.id.to_string(),
            schema: entity.schema.clone(),
            caption: entity.caption(model),
            schema_conflicts: entity.schema_conflicts.clone(),
            properties,
            relations,
            relations_total: view.relations_total,
            relations_capped: view.relations_capped,
            matches: view.matches.clone(),
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
        p.notice { (lang.t(Msg::EntitySourcesNote)) }
        (matches(lang, &view.matches))
        (relations(lang, &view))
        @if !caller.role.dossier_audiences().is_empty() {
            section aria-labelledby="dossier" {
                h2 #dossier { (lang.t(Msg::EntityDossier)) }
                p { a href={ "/entities/" (view.id) "/dossier" } { (lang.t(Msg::EntityDossierLink)) } }
            }
        }
        p.notice { (lang.t(Msg::ProtectedNotice)) }
    };
    html::page(&ctx, Some(&caller), &view.caption, body).into_response()
}

/// Relations listed on the page (the JSON has every one the view holds): the list is what a small screen reads,
/// and a dispatcher named by thousands of testimonies would make it a page of hundreds of rows.
const RELATIONS_LISTED: usize = 50;

/// What a relation's link is called on the page: the relation's schema when it goes through one (`Employment`),
/// else the property's label (`Operator`).
fn link_label(lang: Lang, relation: &RelationView) -> String {
    match &relation.relation.via {
        Some(via) => schema_label(lang, &via.schema),
        None => relation.property_label.clone(),
    }
}

/// The relations: the drawing (the first [`graph::NODES_DRAWN`] distinct neighbours) and the list of all that
/// the view holds.
fn relations(lang: Lang, view: &EntityPage) -> maud::Markup {
    let mut nodes: Vec<graph::Node> = Vec::new();
    for relation in &view.relations {
        let r = &relation.relation;
        if nodes.len() == graph::NODES_DRAWN || nodes.iter().any(|n| n.id == r.id.as_str()) {
            continue;
        }
        nodes.push(graph::Node {
            id: r.id.to_string(),
            label: r.name.clone().unwrap_or_else(|| r.id.to_string()),
            kind_label: r.schema.as_deref().map(|s| schema_label(lang, s)).unwrap_or_default(),
            kind: relation.kind,
            link: link_label(lang, relation),
            via: r.via.as_ref().map(|via| via.id.to_string()),
            incoming: r.direction == Direction::Incoming,
        });
    }
    let title = lang.tr(Msg::EntityGraphTitle, &[("name", Arg::Text(&view.caption))]);
    let listed = &view.relations[..view.relations.len().min(RELATIONS_LISTED)];
    let unlisted = view.relations_total.saturating_sub(listed.len());
    html! {
        section.relations aria-labelledby="relations" {
            h2 #relations { (lang.t(Msg::EntityRelations)) }
            @if view.relations.is_empty() {
                p { (lang.t(Msg::EntityRelationsNone)) }
            } @else {
                p { (lang.t(Msg::EntityRelationsIntro)) }
                figure.graph {
                    (graph::draw(&title, &view.caption, &nodes))
                    figcaption {
                        (lang.t(Msg::EntityGraphLegend))
                        @if view.relations_total > nodes.len() {
                            " " (lang.tr(Msg::EntityRelationsDrawn, &[("drawn", Arg::Count(nodes.len() as i64)), ("total", Arg::Count(view.relations_total as i64))]))
                        }
                    }
                }
                table.relations {
                    thead {
                        tr {
                            th scope="col" { (lang.t(Msg::ColumnName)) }
                            th scope="col" { (lang.t(Msg::ColumnSchema)) }
                            th scope="col" { (lang.t(Msg::ColumnLink)) }
                            th scope="col" { (lang.t(Msg::ColumnDirection)) }
                        }
                    }
                    tbody {
                        @for relation in listed {
                            @let r = &relation.relation;
                            tr {
                                td { a href={ "/entities/" (r.id) } { (r.name.as_deref().unwrap_or(r.id.as_str())) } }
                                td { @if let Some(schema) = &r.schema { (schema_label(lang, schema)) } }
                                td {
                                    @if let Some(via) = &r.via {
                                        a href={ "/entities/" (via.id) } { (schema_label(lang, &via.schema)) }
                                        " (" (relation.property_label) ")"
                                    } @else {
                                        (relation.property_label)
                                    }
                                }
                                td {
                                    @match (r.direction, &r.via) {
                                        (Direction::Outgoing, _) => (lang.t(Msg::EntityRelationOutgoing)),
                                        (Direction::Incoming, None) => (lang.t(Msg::EntityRelationIncoming)),
                                        (Direction::Incoming, Some(_)) => (lang.t(Msg::EntityRelationThrough)),
                                    }
                                }
                            }
                        }
                        @if unlisted > 0 {
                            tr { td colspan="4" { (lang.tr(Msg::EntityRelationsMore, &[("count", Arg::Count(unlisted as i64)), ("kept", Arg::Count(RELATIONS_KEPT as i64))])) } }
                        }
                    }
                }
                @if view.relations_capped {
                    p.notice { (lang.t(Msg::EntityRelationsCapped)) }
                }
            }
        }
    }
}

/// The sanctions matches recorded for the entity, each with its explanation; nothing when there are none.
fn matches(lang: Lang, matches: &[RecordedMatch]) -> maud::Markup {
    html! {
        @if !matches.is_empty() {
            section.matches aria-labelledby="matches" {
                h2 #matches { (lang.t(Msg::EntityMatches)) }
                p { (lang.t(Msg::EntityMatchesIntro)) }
                table {
                    thead {
                        tr {
                            th scope="col" { (lang.t(Msg::ColumnList)) }
                            th scope="col" { (lang.t(Msg::ColumnListVersion)) }
                            th scope="col" { (lang.t(Msg::SearchMatched)) }
                            th scope="col" class="n" { (lang.t(Msg::SearchScore)) }
                            th scope="col" { (lang.t(Msg::SearchWhy)) }
                        }
                    }
                    tbody {
                        @for found in matches {
                            tr {
                                td { (found.list) " " small { code { (found.list_entry) } } }
                                td { (found.list_version.as_deref().unwrap_or("")) }
                                td { a href={ "/entities/" (found.id) } { (found.matched_name) } }
                                td.n { (format!("{:.2}", found.score)) }
                                td { (found.explanation) " " small { (found.matcher_version) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct DossierFields {
    #[serde(default)]
    audience: String,
    #[serde(default)]
    lang: String,
    /// `pdf` for the PDF/A-2b; anything else the HTML file.
    #[serde(default)]
    format: String,
}

/// The dossiers the reader's role may make on the entity: a form per audience and language (making one is a
/// custody event, so it is a POST, never a link a page elsewhere could make a browser follow).
pub(crate) async fn dossier_choices(
    State(app): State<App>,
    ctx: Ctx,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let view = match entity(&app, &caller, id).await {
        Ok(view) => view,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let title = lang.tr(Msg::DossierTitle, &[("name", Arg::Text(&view.caption))]);
    let body = html! {
        p { (lang.t(Msg::EntityDossierIntro)) }
        table {
            tbody {
                @for audience in caller.role.dossier_audiences() {
                    tr {
                        th scope="row" { (lang.tr(Msg::DossierAudience, &[("audience", Arg::Text(audience.as_str()))])) }
                        @for other in Lang::ALL {
                            td {
                                @for format in ["html", "pdf"] {
                                    form.inline method="post" action={ "/entities/" (view.id) "/dossier" } {
                                        input type="hidden" name="audience" value=(audience.as_str());
                                        input type="hidden" name="lang" value=(other.tag());
                                        input type="hidden" name="format" value=(format);
                                        button type="submit" lang=(other.tag()) { (other.endonym()) " · " (format.to_uppercase()) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    html::page(&ctx, Some(&caller), &title, body).into_response()
}

/// Makes a dossier on the entity for the audience asked (one the reader's role may make) and sends it as an
/// HTML file, or a PDF/A-2b set in the system's fonts, to save (`Content-Disposition: attachment`), logged as a
/// `dossier-export` custody event before it is sent.
pub(crate) async fn dossier(
    State(app): State<App>,
    ctx: Ctx,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<Form<DossierFields>, FormRejection>,
) -> Response {
    let fields = match form {
        Ok(Form(fields)) => fields,
        Err(rejection) => return crate::pages::unreadable_form(rejection),
    };
    match dossier_response(app, &ctx, &caller, id, fields).await {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    }
}

async fn dossier_response(
    app: App,
    ctx: &Ctx,
    caller: &Caller,
    id: String,
    fields: DossierFields,
) -> Result<Response, Failure> {
    use clew_service::dossier::{Audience, DossierRequest};
    let subject = EntityId::new(&id).map_err(bad_id)?;
    let audience: Audience =
        fields.audience.parse().map_err(|_| Failure::own(clew_service::Code::Usage, Msg::ErrorPageNotFound))?;
    if !caller.role.dossier_audiences().contains(&audience) {
        return Err(Failure::own(clew_service::Code::Forbidden, Msg::ErrorForbidden));
    }
    let written_in = Lang::from_tag(&fields.lang).unwrap_or(ctx.lang);
    let actor = clew_service::Actor::new(&caller.name).map_err(Failure::from)?;
    let safe_id = subject.as_str().replace(|c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-', "_");
    let pdf = fields.format == "pdf";
    let (extension, content_type) = if pdf { ("pdf", "application/pdf") } else { ("html", "text/html; charset=utf-8") };
    let name = format!("dossier-{safe_id}-{}-{}.{extension}", audience.as_str(), written_in.tag());
    let file = name.clone();
    let bytes = app
        .run(move |service| {
            // The fonts first: a server without them says so before any work is done.
            let fonts = if pdf {
                Some(crate::dossier_pdf::system_fonts().map_err(|e| {
                    clew_service::Error::usage(format!(
                        "this server cannot make the PDF: {e}; the HTML dossier needs no fonts"
                    ))
                })?)
            } else {
                None
            };
            let request = DossierRequest { entity: subject, audience, min_witnesses: service.dossier_min_witnesses() };
            let made = service.dossier(&request)?;
            let bytes = match fonts {
                Some(fonts) => {
                    let manifest = serde_json::to_vec_pretty(&made.manifest(written_in.tag()))
                        .map_err(|e| clew_service::Error::internal(e.to_string()))?;
                    let ident = clew_model::ids::sha256_hex(&manifest);
                    crate::dossier_pdf::render_pdf(&made, written_in, fonts, &ident)
                        .map_err(clew_service::Error::internal)?
                }
                None => crate::dossier::render_html(&made, written_in).into_bytes(),
            };
            service.log_dossier(&actor, &made, &[(file.as_str(), &bytes)])?;
            Ok(bytes)
        })
        .await?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, content_type.to_string()),
        (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
    ];
    Ok((headers, bytes).into_response())
}
