//! Estimates: those kept in the project (`clew estimate population|revenue --keep`, and the demo's), each with
//! its figures and its chart, newest first. An estimate is an aggregate and names no one, so every role reads
//! them. The chart is the one the run drew, served as an image of its own (`/estimates/{n}/chart.svg`): an
//! image cannot run anything, whatever the file holds.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use clew_service::Code;
use clew_service::estimate::{EstimateKind, Figure, KeptEstimate};
use maud::{Markup, html};

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Arg, Lang, Msg};
use crate::{App, Failure, html};

/// The estimates kept, newest first.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Estimates {
    estimates: Vec<KeptEstimate>,
}

/// One estimate with its whole report.
#[derive(Debug, serde::Serialize)]
pub(crate) struct OneEstimate {
    #[serde(flatten)]
    estimate: KeptEstimate,
    /// The report as the run wrote it (`clew estimate ... --json`).
    report: serde_json::Value,
}

pub(crate) async fn view(app: &App) -> Result<Vec<KeptEstimate>, Failure> {
    app.run(|service| service.kept_estimates()).await
}

async fn one(app: &App, number: &str) -> Result<KeptEstimate, Failure> {
    let not_found = || Failure::own(Code::NotFound, Msg::ErrorPageNotFound);
    let number: u64 = number.parse().map_err(|_| not_found())?;
    view(app).await?.into_iter().find(|e| e.number == number).ok_or_else(not_found)
}

pub(crate) async fn api(State(app): State<App>) -> Result<Json<Estimates>, Failure> {
    Ok(Json(Estimates { estimates: view(&app).await? }))
}

pub(crate) async fn one_api(State(app): State<App>, Path(number): Path<String>) -> Result<Json<OneEstimate>, Failure> {
    let estimate = one(&app, &number).await?;
    let report = serde_json::from_str(&estimate.report).map_err(|e| {
        Failure::from(clew_service::Error::internal(format!("kept estimate {}: its report: {e}", estimate.number)))
    })?;
    Ok(Json(OneEstimate { estimate, report }))
}

pub(crate) async fn chart(State(app): State<App>, Path(number): Path<String>) -> Response {
    match one(&app, &number).await {
        Ok(estimate) => ([(header::CONTENT_TYPE, "image/svg+xml")], estimate.chart).into_response(),
        Err(failure) => failure.into_response(),
    }
}

/// A figure: a count of people, or US dollars a year.
pub(crate) fn amount(lang: Lang, kind: EstimateKind, value: f64) -> String {
    let n = lang.number(value.max(0.0).round() as u64);
    match kind {
        EstimateKind::Population => n,
        EstimateKind::Revenue => lang.tr(Msg::EstimateUsd, &[("amount", Arg::Text(&n))]),
    }
}

pub(crate) fn figure_label(lang: Lang, kind: EstimateKind, figure: &Figure) -> String {
    match (kind, figure.label.as_str()) {
        (EstimateKind::Revenue, "quota") => lang.t(Msg::EstimateQuotaBased),
        (EstimateKind::Revenue, "wage") => lang.t(Msg::EstimateWageBased),
        // Methods keep their names (aic, bic, lcmcr...): docs/estimation.md explains each.
        _ => figure.label.clone(),
    }
}

/// One estimate's figures as a table: what, the estimate, its interval.
pub(crate) fn figures(lang: Lang, estimate: &KeptEstimate) -> Markup {
    let open = lang.t(Msg::EstimateUnbounded);
    html! {
        table.figures {
            thead {
                tr {
                    th scope="col" { (lang.t(if estimate.kind == EstimateKind::Population { Msg::EstimateMethod } else { Msg::EstimateBasis })) }
                    th scope="col" class="n" { (lang.t(Msg::EstimateFigure)) }
                    th scope="col" class="n" { (lang.t(Msg::EstimateInterval)) }
                }
            }
            tbody {
                @for figure in &estimate.headline {
                    tr {
                        th scope="row" { (figure_label(lang, estimate.kind, figure)) }
                        td.n { (amount(lang, estimate.kind, figure.estimate)) }
                        td.n {
                            @match (figure.low, figure.high) {
                                (Some(low), high) => {
                                    (lang.tr(Msg::EstimateRange, &[
                                        ("low", Arg::Text(&amount(lang, estimate.kind, low))),
                                        ("high", Arg::Text(&high.map_or_else(|| open.clone(), |h| amount(lang, estimate.kind, h)))),
                                        ("level", Arg::Text(&format!("{:.0}", figure.level * 100.0))),
                                    ]))
                                }
                                (None, _) => { "—" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn kind_msg(kind: EstimateKind) -> Msg {
    match kind {
        EstimateKind::Population => Msg::EstimateKindPopulation,
        EstimateKind::Revenue => Msg::EstimateKindRevenue,
    }
}

/// An estimate's heading line: its kind, who kept it and when.
pub(crate) fn kept_line(lang: Lang, estimate: &KeptEstimate) -> String {
    lang.tr(
        Msg::EstimateKept,
        &[
            ("kind", Arg::Text(&lang.t(kind_msg(estimate.kind)))),
            ("who", Arg::Text(&estimate.recorded_by)),
            ("when", Arg::Text(&lang.date(&estimate.recorded_at))),
        ],
    )
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller) -> Response {
    let estimates = match view(&app).await {
        Ok(view) => view,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let body = html! {
        p { (lang.t(Msg::EstimatesIntro)) }
        @if estimates.is_empty() {
            p { (lang.t(Msg::EstimatesNone)) }
        }
        @for estimate in &estimates {
            section.estimate id={ "estimate-" (estimate.number) } aria-labelledby={ "estimate-title-" (estimate.number) } {
                h2 id={ "estimate-title-" (estimate.number) } { (estimate.title) }
                @if estimate.synthetic { p.synthetic role="note" { (lang.t(Msg::EstimateSynthetic)) } }
                p.meta { (kept_line(lang, estimate)) }
                (figures(lang, estimate))
                figure.chart {
                    img src={ "/estimates/" (estimate.number) "/chart.svg" } alt=(lang.tr(Msg::EstimateChartAlt, &[("title", Arg::Text(&estimate.title))])) loading="lazy";
                }
                p { a href={ "/api/v1/estimates/" (estimate.number) } { (lang.t(Msg::EstimateReport)) } }
            }
        }
    };
    html::page(&ctx, Some(&caller), &lang.t(Msg::EstimatesTitle), body).into_response()
}
