//! The linkage review queue: the pairs of people the model is least sure are one person, each with its
//! explanation; a reviewer says same, different or unsure (a judgement, logged; the next run of linkage
//! follows it).

use std::num::NonZeroUsize;

use axum::extract::rejection::FormRejection;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use clew_model::EntityId;
use clew_service::Code;
use clew_service::linkage::{ReviewPair, Verdict};
use maud::html;

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::Msg;
use crate::pages::dashboard::schema_label;
use crate::pages::query;
use crate::{App, Failure, html};

/// The schemata clew links.
const LINKED: [&str; 3] = ["Person", "Company", "Worksite"];

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ReviewQuery {
    schema: Option<String>,
    limit: Option<usize>,
}

/// The queue.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Queue {
    schema: String,
    threshold: f64,
    pairs: Vec<ReviewPair>,
}

async fn queue(app: &App, raw: Option<String>) -> Result<Queue, Failure> {
    let asked: ReviewQuery = query(raw.as_deref())?;
    let schema = asked.schema.filter(|s| !s.is_empty()).unwrap_or_else(|| "Person".into());
    if !LINKED.contains(&schema.as_str()) {
        return Err(Failure::own(Code::NotFound, Msg::ErrorPageNotFound));
    }
    let limit =
        NonZeroUsize::new(asked.limit.unwrap_or(20).clamp(1, crate::pages::MAX_ROWS)).unwrap_or(NonZeroUsize::MIN);
    let linked = schema.clone();
    let review = app.run(move |service| service.review_queue(&linked, limit)).await?;
    Ok(Queue { schema, threshold: review.threshold, pairs: review.pairs })
}

pub(crate) async fn api(State(app): State<App>, RawQuery(raw): RawQuery) -> Result<Json<Queue>, Failure> {
    Ok(Json(queue(&app, raw).await?))
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller, RawQuery(raw): RawQuery) -> Response {
    let queue = match queue(&app, raw).await {
        Ok(queue) => queue,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let body = html! {
        p { (lang.t(Msg::ReviewIntro)) }
        nav.filters { ul { @for schema in LINKED { li { a href={ "/review?schema=" (schema) } aria-current=[(queue.schema == schema).then_some("page")] { (schema_label(lang, schema)) } } } } }
        @if queue.pairs.is_empty() { p { (lang.t(Msg::ReviewNone)) } }
        @for pair in &queue.pairs {
            section.pair {
                h2 {
                    a href={ "/entities/" (pair.entity_a) } { (pair.entity_a) } " ↔ " a href={ "/entities/" (pair.entity_b) } { (pair.entity_b) }
                }
                p { (lang.t(Msg::ReviewWeight)) " " strong { (format!("{:+.1}", pair.match_weight)) } " (" (format!("{:.0}%", pair.match_probability * 100.0)) ")" }
                table {
                    thead { tr { th scope="col" { (lang.t(Msg::ReviewComparison)) } th scope="col" { (pair.entity_a) } th scope="col" { (pair.entity_b) } th scope="col" { (lang.t(Msg::ReviewLevel)) } th scope="col" class="n" { (lang.t(Msg::ReviewPart)) } } }
                    tbody { @for part in &pair.parts { tr { td { (part.comparison) } td { (part.left) } td { (part.right) } td { (part.level) } td.n { (format!("{:+.2}", part.weight)) } } } }
                }
                form.inline-verdicts method="post" action="/review" {
                    input type="hidden" name="a" value=(pair.entity_a);
                    input type="hidden" name="b" value=(pair.entity_b);
                    input type="hidden" name="schema" value=(queue.schema);
                    label { (lang.t(Msg::FactNote)) input name="note" maxlength="2000"; }
                    button type="submit" name="verdict" value="same" { (lang.t(Msg::VerdictSame)) }
                    " " button type="submit" name="verdict" value="different" { (lang.t(Msg::VerdictDifferent)) }
                    " " button type="submit" name="verdict" value="unsure" { (lang.t(Msg::VerdictUnsure)) }
                }
            }
        }
    };
    html::page(&ctx, Some(&caller), &lang.t(Msg::ReviewTitle), body).into_response()
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct JudgeFields {
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    schema: String,
}

async fn judge(app: &App, caller: &Caller, fields: JudgeFields) -> Result<clew_service::linkage::Judgement, Failure> {
    let bad = |field: &str| Failure::own_with(Code::Usage, Msg::FactMissing, vec![("field", field.to_string())]);
    let a = EntityId::new(fields.a.trim()).map_err(|_| bad("a"))?;
    let b = EntityId::new(fields.b.trim()).map_err(|_| bad("b"))?;
    let verdict = Verdict::parse(fields.verdict.trim()).ok_or_else(|| bad("verdict"))?;
    let actor = clew_service::Actor::new(&caller.name).map_err(Failure::from)?;
    let note = fields.note;
    app.run(move |service| service.judge(&actor, &a, &b, verdict, &note)).await
}

pub(crate) async fn judge_form(
    State(app): State<App>,
    caller: Caller,
    form: Result<Form<JudgeFields>, FormRejection>,
) -> Response {
    let fields = match form {
        Ok(Form(fields)) => fields,
        Err(rejection) => return crate::pages::unreadable_form(rejection),
    };
    let schema = if LINKED.contains(&fields.schema.as_str()) { fields.schema.clone() } else { "Person".into() };
    match judge(&app, &caller, fields).await {
        Ok(_) => Redirect::to(&format!("/review?schema={schema}")).into_response(),
        Err(failure) => failure.into_response(),
    }
}

pub(crate) async fn judge_api(
    State(app): State<App>,
    caller: Caller,
    body: Result<Json<JudgeFields>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<clew_service::linkage::Judgement>, Failure> {
    let Json(fields) = body.map_err(crate::pages::unreadable_json)?;
    Ok(Json(judge(&app, &caller, fields).await?))
}
