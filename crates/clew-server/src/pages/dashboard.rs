//! The dashboard: what the project holds and what was done to it lately.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use clew_service::entities::{CustodyEvent, Stats};
use clew_service::estimate::{EstimateKind, KeptEstimate};
use maud::html;

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Arg, Lang, Msg};
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
    /// What the assessment of every testimony found (for the same roles: it is counted from restricted facts).
    assessment: Option<Prevalence>,
    /// The newest estimate kept of each kind (aggregates: every role reads them).
    latest_estimates: Vec<KeptEstimate>,
    /// The safe line's conversations by state and its unread letters, for caseworkers (custodians and admins):
    /// that new letters exist, never what they say.
    safe_line: Option<clew_service::safe_line::SafeLineOverview>,
}

/// What the assessment of every testimony found: how many work spells meet each ICLS 2018 outcome, and how
/// many show each of the ILO's eleven indicators.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Prevalence {
    /// Testimonies assessed (those whose witness withdrew consent to every use are not).
    testimonies: u64,
    /// Work spells assessed.
    spells: u64,
    /// Spells by ICLS 2018 outcome code (`FL`, `INV_ONLY`, `COE_ONLY`, `NONE`, `UNDETERMINED`).
    icls: Vec<(String, u64)>,
    /// Spells showing each ILO indicator (`IND01` ... `IND11`), in the ILO's order.
    indicators: Vec<(String, u64)>,
    /// Whether synthetic (demo) testimonies went into it.
    synthetic: bool,
}

/// The ICLS 2018 outcomes, in the order shown.
const OUTCOMES: [&str; 5] = ["FL", "INV_ONLY", "COE_ONLY", "NONE", "UNDETERMINED"];

fn prevalence(service: &clew_service::Service) -> Result<Prevalence, clew_service::Error> {
    let overview = service.assessment_overview()?;
    let summary = &overview.value;
    let indicators = (1..=11)
        .map(|n| {
            let code = format!("IND{n:02}");
            let count = summary.codes.get(&code).copied().unwrap_or(0);
            (code, count)
        })
        .collect();
    Ok(Prevalence {
        testimonies: summary.testimonies,
        spells: summary.spells,
        icls: OUTCOMES.iter().map(|o| (o.to_string(), summary.icls.get(o).copied().unwrap_or(0))).collect(),
        indicators,
        synthetic: overview.synthetic,
    })
}

async fn view(app: &App, caller: &Caller) -> Result<Dashboard, Failure> {
    let audit = Permission::Audit.allows(caller.role);
    let casework = Permission::Casework.allows(caller.role);
    app.run(move |service| {
        Ok(Dashboard {
            synthetic: service.synthetic(),
            stats: if audit { Some(service.stats()?) } else { None },
            recent_events: if audit { service.recent_events(None, RECENT_EVENTS)? } else { Vec::new() },
            assessment: if audit { Some(prevalence(service)?) } else { None },
            latest_estimates: {
                let kept = service.kept_estimates()?;
                [EstimateKind::Population, EstimateKind::Revenue]
                    .into_iter()
                    .filter_map(|kind| kept.iter().find(|e| e.kind == kind).cloned())
                    .collect()
            },
            safe_line: if casework { service.safe_line_overview()? } else { None },
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
        "Employment" => Msg::SchemaEmployment,
        "Dispatch" => Msg::SchemaDispatch,
        "Supervision" => Msg::SchemaSupervision,
        "Payment" => Msg::SchemaPayment,
        "Deduction" => Msg::SchemaDeduction,
        "Housing" => Msg::SchemaHousing,
        "Permit" => Msg::SchemaPermit,
        "Accommodation" => Msg::SchemaAccommodation,
        "Testimony" => Msg::SchemaTestimony,
        "SanctionsMatch" => Msg::SchemaSanctionsMatch,
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
        @if let Some(line) = &view.safe_line {
            section aria-labelledby="safe-line" {
                h2 #safe-line { (lang.t(Msg::DashboardSafeLine)) }
                p { (lang.tr(Msg::DashboardSafeLineUnread, &[("count", Arg::Count(line.unread as i64))])) }
                dl.counts {
                    @for state in clew_service::safe_line::STATES {
                        div { dt { (state) } dd { (lang.number(count_of(&line.states, state))) } }
                    }
                }
                p.meta { (lang.t(Msg::DashboardSafeLineHow)) }
            }
        }
        @if let Some(prevalence) = &view.assessment { (assessment_charts(lang, prevalence)) }
        @if !view.latest_estimates.is_empty() {
            section aria-labelledby="estimates" {
                h2 #estimates { (lang.t(Msg::DashboardEstimates)) }
                @for estimate in &view.latest_estimates {
                    h3 { a href={ "/estimates#estimate-" (estimate.number) } { (estimate.title) } }
                    p.meta { (crate::pages::estimates::kept_line(lang, estimate)) }
                    (crate::pages::estimates::figures(lang, estimate))
                    figure.chart {
                        img src={ "/estimates/" (estimate.number) "/chart.svg" } alt=(lang.tr(Msg::EstimateChartAlt, &[("title", Arg::Text(&estimate.title))])) loading="lazy";
                    }
                }
                p { a href="/estimates" { (lang.t(Msg::DashboardAllEstimates)) } }
            }
        }
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
                li { a href="/estimates" { (lang.t(Msg::NavEstimates)) } }
            }
        }
    };
    html::page(&ctx, Some(&caller), &lang.t(Msg::DashboardTitle), body).into_response()
}

/// An ICLS 2018 outcome in the reader's language (the words the testimony page uses too).
pub(crate) fn outcome_label(lang: Lang, code: &str) -> String {
    lang.tr(Msg::OutcomeLabel, &[("code", Arg::Text(code))])
}

/// One of the ILO's eleven indicators of forced labour in the reader's language (its code for any other).
pub(crate) fn indicator_label(lang: Lang, code: &str) -> String {
    let msg = match code {
        "IND01" => Msg::IndicatorVulnerability,
        "IND02" => Msg::IndicatorDeception,
        "IND03" => Msg::IndicatorMovement,
        "IND04" => Msg::IndicatorIsolation,
        "IND05" => Msg::IndicatorViolence,
        "IND06" => Msg::IndicatorThreats,
        "IND07" => Msg::IndicatorDocuments,
        "IND08" => Msg::IndicatorWages,
        "IND09" => Msg::IndicatorDebt,
        "IND10" => Msg::IndicatorConditions,
        "IND11" => Msg::IndicatorOvertime,
        _ => return code.to_string(),
    };
    lang.t(msg)
}

/// The two charts of what the assessment found: spells by ICLS outcome, and each indicator's prevalence.
fn assessment_charts(lang: Lang, prevalence: &Prevalence) -> maud::Markup {
    let of = |n: u64| if prevalence.spells == 0 { 0.0 } else { n as f64 / prevalence.spells as f64 };
    let bar = |label: String, n: u64, href: Option<String>| crate::chart::Bar {
        label,
        share: of(n),
        figure: format!("{} ({})", lang.percent(of(n)), lang.number(n)),
        href,
    };
    let outcomes: Vec<crate::chart::Bar> = prevalence
        .icls
        .iter()
        .map(|(code, n)| {
            let href = (code == "FL").then(|| "/testimonies?outcome=FL".to_string());
            bar(outcome_label(lang, code), *n, href)
        })
        .collect();
    let indicators: Vec<crate::chart::Bar> =
        prevalence.indicators.iter().map(|(code, n)| bar(indicator_label(lang, code), *n, None)).collect();
    let counted = lang.tr(
        Msg::DashboardAssessed,
        &[("spells", Arg::Count(prevalence.spells as i64)), ("testimonies", Arg::Count(prevalence.testimonies as i64))],
    );
    html! {
        section aria-labelledby="assessment" {
            h2 #assessment { (lang.t(Msg::DashboardAssessment)) }
            p { (counted) }
            @if prevalence.synthetic { p.synthetic role="note" { (lang.t(Msg::EstimateSynthetic)) } }
            figure {
                (crate::chart::bars(&lang.t(Msg::DashboardOutcomes), &outcomes))
                figcaption { (lang.t(Msg::DashboardOutcomes)) }
            }
            figure {
                (crate::chart::bars(&lang.t(Msg::DashboardIndicators), &indicators))
                figcaption { (lang.t(Msg::DashboardIndicators)) }
            }
        }
    }
}
