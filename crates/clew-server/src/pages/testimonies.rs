//! Testimonies: the list with filters (every filter a plain GET form), and one testimony's page with its
//! segments, original and translation side by side, and beside each the facts and findings coded from it,
//! with its assessment explained and its wage ledgers above them (`pages::assessment`).
//! Coders add or correct a fact citing a segment; nothing is edited (the service writes new statements).

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use clew_model::{EntityId, SourceId, StatementId};
use clew_service::Code;
use clew_service::analysis::TestimonyAnalysis;
use clew_service::browse::{
    Facet, FindingView, NewFact, SegmentView, StatementStatus, StatementView, TestimonyFilter, TestimonyPage,
    TestimonyView,
};
use maud::{Markup, html};

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Arg, Lang, Msg};
use crate::pages::assessment::{assessment_section, ledger_section};
use crate::pages::query;
use crate::routes::Permission;
use crate::{App, Failure, html};

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ListQuery {
    sector: Option<String>,
    region: Option<String>,
    year: Option<String>,
    visa: Option<String>,
    outcome: Option<String>,
    coder: Option<String>,
    after: Option<String>,
    limit: Option<usize>,
}

fn given(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn not_found(_: impl std::fmt::Display) -> Failure {
    Failure::own(Code::NotFound, Msg::ErrorPageNotFound)
}

async fn list(app: &App, caller: &Caller, raw: Option<String>) -> Result<(TestimonyPage, TestimonyFilter), Failure> {
    let asked: ListQuery = query(raw.as_deref())?;
    let filter = TestimonyFilter {
        sector: given(asked.sector),
        region: given(asked.region),
        year: given(asked.year),
        visa: given(asked.visa),
        outcome: given(asked.outcome),
        coder: given(asked.coder),
    };
    let after = given(asked.after).map(|a| SourceId::new(&a)).transpose().map_err(not_found)?;
    let limit = crate::pages::rows(asked.limit);
    let ceiling = caller.role.ceiling();
    let shown = filter.clone();
    let page = app.run(move |service| service.testimonies(&shown, ceiling, after.as_ref(), limit)).await?;
    Ok((page, filter))
}

pub(crate) async fn list_api(
    State(app): State<App>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<TestimonyPage>, Failure> {
    Ok(Json(list(&app, &caller, raw).await?.0))
}

fn facet_msg(facet: Facet) -> Msg {
    match facet {
        Facet::Sector => Msg::FacetSector,
        Facet::Region => Msg::FacetRegion,
        Facet::Year => Msg::FacetYear,
        Facet::Visa => Msg::FacetVisa,
        Facet::Outcome => Msg::FacetOutcome,
        Facet::Coder => Msg::FacetCoder,
    }
}

pub(crate) async fn list_page(State(app): State<App>, ctx: Ctx, caller: Caller, RawQuery(raw): RawQuery) -> Response {
    let (page, filter) = match list(&app, &caller, raw).await {
        Ok(found) => found,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let next_href = page.next.as_ref().map(|next| {
        let mut query: Vec<(&str, String)> =
            Facet::ALL.iter().filter_map(|f| filter.get(*f).map(|v| (f.as_str(), v.to_string()))).collect();
        query.push(("after", next.to_string()));
        format!("/testimonies?{}", serde_urlencoded::to_string(&query).unwrap_or_default())
    });
    let body = html! {
        @if page.synthetic { p.synthetic role="note" { (lang.t(Msg::SyntheticNotice)) } }
        form.filters method="get" action="/testimonies" {
            @for counts in &page.facets {
                label {
                    (lang.t(facet_msg(counts.facet)))
                    select name=(counts.facet.as_str()) {
                        option value="" { (lang.t(Msg::FilterAny)) }
                        @for value in &counts.values {
                            option value=(value.value) selected[filter.get(counts.facet) == Some(value.value.as_str())] {
                                (value.label) " (" (lang.number(value.count)) ")"
                            }
                        }
                    }
                }
            }
            button type="submit" { (lang.t(Msg::FilterApply)) }
            " " a href="/testimonies" { (lang.t(Msg::FilterClear)) }
        }
        p { (lang.tr(Msg::TestimoniesFound, &[("count", Arg::Count(page.total as i64))])) }
        table {
            thead {
                tr {
                    th scope="col" { "id" }
                    th scope="col" { (lang.t(Msg::ColumnInterview)) }
                    th scope="col" { (lang.t(Msg::FacetSector)) }
                    th scope="col" { (lang.t(Msg::FacetRegion)) }
                    th scope="col" { (lang.t(Msg::FacetOutcome)) }
                    th scope="col" class="n" { (lang.t(Msg::CountStatementsLabel)) }
                }
            }
            tbody {
                @for testimony in &page.testimonies {
                    tr {
                        td { a href={ "/testimonies/" (testimony.id) } { (testimony.id) } }
                        td { @if let Some(date) = &testimony.interview_date { (lang.date(date)) } }
                        td { (testimony.sectors.join(", ")) }
                        td { (testimony.regions.join(", ")) }
                        td { (testimony.outcomes.join(", ")) }
                        td.n { (lang.number(testimony.statements)) }
                    }
                }
            }
        }
        @if let Some(href) = &next_href {
            p { a rel="next" href=(href) { (lang.t(Msg::PageNext)) } }
        }
    };
    html::page(&ctx, Some(&caller), &lang.t(Msg::TestimoniesTitle), body).into_response()
}

/// One testimony's page: the testimony beside its segments, and its assessment explained and wage ledgers, each
/// as the caller's sensitivity ceiling lets them see it (the service applies it to both).
#[derive(Debug, serde::Serialize)]
pub(crate) struct TestimonyPageView {
    #[serde(flatten)]
    testimony: TestimonyView,
    /// Its assessment and wage ledgers.
    analysis: TestimonyAnalysis,
}

async fn testimony(app: &App, caller: &Caller, id: String) -> Result<TestimonyPageView, Failure> {
    let id = SourceId::new(&id).map_err(not_found)?;
    let ceiling = caller.role.ceiling();
    app.run(move |service| {
        Ok(TestimonyPageView {
            testimony: service.testimony(&id, ceiling)?,
            analysis: service.testimony_analysis(&id, ceiling)?,
        })
    })
    .await
}

pub(crate) async fn api(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TestimonyPageView>, Failure> {
    Ok(Json(testimony(&app, &caller, id).await?))
}

fn statement_item(lang: Lang, testimony: &str, statement: &StatementView, can_code: bool) -> Markup {
    let superseded = matches!(statement.status, StatementStatus::Superseded { .. });
    html! {
        li.statement.superseded[superseded] id={ "st-" (statement.id) } {
            a href={ "/entities/" (statement.entity) } { (statement.entity_name.as_deref().unwrap_or(statement.entity.as_str())) }
            " · " (statement.property) ": "
            strong { (statement.value_name.as_deref().unwrap_or(&statement.value)) }
            small { " " (statement.recorded_by) ", " (lang.date(&statement.recorded_at)) " · " (statement.sensitivity.as_str()) }
            @if let StatementStatus::Superseded { by, at, .. } = &statement.status {
                small.problem { " " (lang.tr(Msg::StatementSuperseded, &[("who", Arg::Text(by)), ("when", Arg::Text(&lang.date(at)))])) }
            }
            @if can_code && !superseded {
                details {
                    summary { (lang.t(Msg::FactCorrect)) }
                    (fact_form(lang, testimony, statement.locator.split('#').next().unwrap_or("").trim_start_matches("segment:"), Some(statement)))
                }
            }
        }
    }
}

fn finding_item(finding: &FindingView) -> Markup {
    html! {
        li.finding {
            @for code in &finding.codes { strong { (code.code) } " " (code.label) "; " }
            small { (finding.summary) }
        }
    }
}

/// The form a coder adds a fact with (or corrects `replaces` with), citing `segment`.
fn fact_form(lang: Lang, testimony: &str, segment: &str, replaces: Option<&StatementView>) -> Markup {
    html! {
        form.stack.fact method="post" action={ "/testimonies/" (testimony) "/facts" } {
            input type="hidden" name="segment" value=(segment);
            @if let Some(old) = replaces {
                input type="hidden" name="replaces" value=(old.id);
                input type="hidden" name="entity" value=(old.entity);
                input type="hidden" name="property" value=(old.property);
            } @else {
                label { (lang.t(Msg::FactEntity)) input name="entity" required maxlength="200"; }
                label { (lang.t(Msg::FactSchema)) input name="schema" maxlength="64"; small { (lang.t(Msg::FactSchemaHint)) } }
                label { (lang.t(Msg::FactProperty)) input name="property" required maxlength="64"; }
            }
            label { (lang.t(Msg::FactValue)) input name="value" required maxlength="10000" value=[replaces.map(|s| s.value.as_str())]; }
            label { (lang.t(Msg::FactNote)) textarea name="note" maxlength="10000" rows="2" {} }
            button type="submit" { (lang.t(if replaces.is_some() { Msg::FactCorrect } else { Msg::FactAdd })) }
        }
    }
}

fn segment_row(lang: Lang, testimony: &str, segment: &SegmentView, can_code: bool) -> Markup {
    html! {
        tr id={ "segment-" (segment.id) } {
            th scope="row" { (segment.id) }
            @if let Some(words) = &segment.words {
                td lang=(words.lang) { (words.text) }
                td {
                    @if let Some(translation) = &words.translation { span lang=(translation.lang) { (translation.text) } }
                }
            } @else {
                td colspan="2" { small { (lang.t(Msg::SegmentHidden)) } }
            }
            td {
                ul.facts { @for statement in &segment.statements { (statement_item(lang, testimony, statement, can_code)) } }
                @if !segment.findings.is_empty() { ul.findings { @for finding in &segment.findings { (finding_item(finding)) } } }
                @if can_code {
                    details {
                        summary { (lang.t(Msg::FactAdd)) }
                        (fact_form(lang, testimony, &segment.id, None))
                    }
                }
            }
        }
    }
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller, Path(id): Path<String>) -> Response {
    let (view, analysis) = match testimony(&app, &caller, id).await {
        Ok(page) => (page.testimony, page.analysis),
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let can_code = Permission::Code.allows(caller.role);
    let body = html! {
        @if view.synthetic { p.synthetic role="note" { (lang.t(Msg::SyntheticNotice)) } }
        dl.meta {
            @if let Some(date) = &view.interview_date { dt { (lang.t(Msg::ColumnInterview)) } dd { (lang.date(date)) } }
            @if let Some(language) = &view.language { dt { (lang.t(Msg::TestimonyLanguage)) } dd { (language) } }
            dt { (lang.t(Msg::TestimonyImported)) } dd { (view.imported_by) ", " (lang.date(&view.imported_at)) " (" (view.generation) ")" }
            @if let Some(consent) = &view.consent {
                @if let Some(withdrawn) = &consent.withdrawn { dt { (lang.t(Msg::TestimonyWithdrawn)) } dd.problem { (withdrawn) } }
            }
        }
        (assessment_section(lang, &analysis))
        (ledger_section(lang, &analysis))
        h2 { (lang.t(Msg::TestimonySegments)) }
        table.segments {
            thead {
                tr {
                    th scope="col" { "#" }
                    th scope="col" { (lang.t(Msg::SegmentOriginal)) }
                    th scope="col" { (lang.t(Msg::SegmentTranslation)) }
                    th scope="col" { (lang.t(Msg::SegmentCoded)) }
                }
            }
            tbody { @for segment in &view.segments { (segment_row(lang, view.id.as_str(), segment, can_code)) } }
        }
        @if !view.apart.is_empty() || !view.findings_apart.is_empty() {
            h2 { (lang.t(Msg::TestimonyApart)) }
            ul.facts { @for statement in &view.apart { (statement_item(lang, view.id.as_str(), statement, false)) } }
            ul.findings { @for finding in &view.findings_apart { (finding_item(finding)) } }
        }
        p.notice { (lang.t(Msg::ProtectedNotice)) }
    };
    let title = view.title.clone().unwrap_or_else(|| view.id.to_string());
    html::page(&ctx, Some(&caller), &title, body).into_response()
}

/// A fact as a form or a JSON body gives it.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct FactFields {
    #[serde(default)]
    segment: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    schema: String,
    #[serde(default)]
    property: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    replaces: String,
    #[serde(default)]
    note: String,
}

async fn add(
    app: &App,
    caller: &Caller,
    id: String,
    fields: FactFields,
) -> Result<clew_service::browse::AddedFact, Failure> {
    let testimony = SourceId::new(&id).map_err(not_found)?;
    let missing = |field: &str| Failure::own_with(Code::Usage, Msg::FactMissing, vec![("field", field.to_string())]);
    if fields.segment.trim().is_empty() {
        return Err(missing("segment"));
    }
    if fields.property.trim().is_empty() {
        return Err(missing("property"));
    }
    if fields.value.trim().is_empty() {
        return Err(missing("value"));
    }
    let entity = EntityId::new(fields.entity.trim()).map_err(|_| missing("entity"))?;
    let replaces = match fields.replaces.trim() {
        "" => None,
        text => Some(StatementId::new(text).map_err(|_| missing("replaces"))?),
    };
    let fact = NewFact {
        testimony,
        segment: fields.segment.trim().to_string(),
        entity,
        schema: fields.schema.trim().to_string(),
        property: fields.property.trim().to_string(),
        value: fields.value,
        replaces,
        note: fields.note,
    };
    let actor = clew_service::Actor::new(&caller.name).map_err(Failure::from)?;
    app.run(move |service| service.add_fact(&actor, &fact)).await
}

pub(crate) async fn add_form(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<Form<FactFields>, FormRejection>,
) -> Response {
    let fields = match form {
        Ok(Form(fields)) => fields,
        Err(rejection) => return crate::pages::unreadable_form(rejection),
    };
    let segment = fields.segment.trim().to_string();
    match add(&app, &caller, id.clone(), fields).await {
        Ok(added) => {
            let anchor =
                if segment.is_empty() { format!("st-{}", added.statement) } else { format!("segment-{segment}") };
            Redirect::to(&format!("/testimonies/{id}#{anchor}")).into_response()
        }
        Err(failure) => failure.into_response(),
    }
}

pub(crate) async fn add_api(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<FactFields>, JsonRejection>,
) -> Result<Json<clew_service::browse::AddedFact>, Failure> {
    let Json(fields) = body.map_err(crate::pages::unreadable_json)?;
    Ok(Json(add(&app, &caller, id, fields).await?))
}
