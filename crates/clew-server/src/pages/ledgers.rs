//! The project's wage ledgers summarised: how many work spells, what was promised, what the employers paid,
//! what reached the workers and what was deducted, in US dollars, with a bar chart of where the employers'
//! payments went (drawn by the server as SVG: no script), the ledgers that do not add up, and the months the
//! rate table lacks. What `clew ledger` prints without `--testimony`, made by the service from the statements
//! the reader may read and kept by it until a statement is added.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use clew_service::analysis::{LedgerSummary, MissingCurrency};
use maud::{Markup, html};

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Arg, Lang, Msg};
use crate::{App, Failure, html};

/// How many of the flagged spells the page lists (the command line's JSON lists them all).
const FLAGGED_SHOWN: usize = 50;

/// The ledgers page's view.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Ledgers {
    /// Whether synthetic testimonies went into it: the page and its chart say so.
    synthetic: bool,
    /// The summary, with at most [`FLAGGED_SHOWN`] of the flagged spells (`flagged` counts them all).
    summary: LedgerSummary,
    /// The share of what the employers paid that deductions took.
    share_taken: Option<f64>,
    /// The months the rate table lacks, by currency.
    missing_rates: Vec<MissingCurrency>,
}

async fn view(app: &App, caller: &Caller) -> Result<Ledgers, Failure> {
    let ceiling = caller.role.ceiling();
    let summary = app.run(move |service| service.ledger_summary_for(ceiling, FLAGGED_SHOWN)).await?;
    Ok(Ledgers {
        synthetic: summary.synthetic,
        share_taken: summary.value.usd.share_taken(),
        missing_rates: summary.value.missing.currencies(),
        summary: summary.value,
    })
}

pub(crate) async fn api(State(app): State<App>, caller: Caller) -> Result<Json<Ledgers>, Failure> {
    Ok(Json(view(&app, &caller).await?))
}

/// What a bar of the chart stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Paid,
    Worker,
    Owed,
    Taken,
}

impl Part {
    fn fill(self) -> &'static str {
        match self {
            Part::Paid => "#1f5d8c",
            Part::Worker => "#2e7d32",
            Part::Owed => "#b8860b",
            Part::Taken => "#8c3b1f",
        }
    }
}

/// The chart's bars: what the employers paid, then where it went (to the workers, owed to them, each kind of
/// deduction, largest first); bars of nothing are left out.
fn bars(lang: Lang, summary: &LedgerSummary) -> Vec<(String, f64, Part)> {
    let usd = &summary.usd;
    let mut bars = vec![
        (lang.t(Msg::LedgerEmployerPaid), usd.employer_paid, Part::Paid),
        (lang.t(Msg::LedgerReceived), usd.received, Part::Worker),
        (lang.t(Msg::LedgersOwedOnReturn), usd.owed_on_return, Part::Owed),
        (lang.t(Msg::LedgersNeverPaid), usd.never_paid, Part::Owed),
    ];
    bars.extend(
        largest_first(&usd.deducted).into_iter().map(|(kind, value)| (deducted_label(lang, kind), value, Part::Taken)),
    );
    bars.retain(|(_, value, part)| *value > 0.0 || *part == Part::Paid);
    bars
}

/// The deductions by kind, the largest first.
fn largest_first(deducted: &std::collections::BTreeMap<String, f64>) -> Vec<(&str, f64)> {
    let mut kinds: Vec<(&str, f64)> = deducted.iter().map(|(kind, value)| (kind.as_str(), *value)).collect();
    kinds.sort_by(|a, b| b.1.total_cmp(&a.1));
    kinds
}

/// "Deducted: " and a kind of deduction, in the reader's language.
pub(crate) fn deducted_label(lang: Lang, kind: &str) -> String {
    let kind = lang.tr(Msg::DeductionKind, &[("kind", Arg::Text(kind))]);
    lang.tr(Msg::LedgerDeducted, &[("kind", Arg::Text(&kind))])
}

/// The share of what the employers paid, when they paid anything counted.
fn share_of_paid(lang: Lang, value: f64, paid: f64) -> String {
    if paid > 0.0 { lang.percent(value / paid) } else { String::new() }
}

/// A horizontal bar chart, each bar's label above it and its sum beside it, scaled to the largest.
fn chart(lang: Lang, bars: &[(String, f64, Part)], paid: f64, synthetic: bool) -> Markup {
    const WIDTH: f64 = 640.0;
    const BAR_SPACE: f64 = 420.0;
    const ROW: f64 = 40.0;
    const TOP: f64 = 28.0;
    let largest = bars.iter().map(|(_, value, _)| *value).fold(0.0, f64::max);
    let height = TOP + ROW * bars.len() as f64;
    let title = lang.t(Msg::LedgersChart);
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="ledgers-chart-title"
            viewBox={ "0 0 " (WIDTH) " " (height) } width=(WIDTH) height=(height) font-family="system-ui, sans-serif" {
            title #ledgers-chart-title { (title) @if synthetic { " (" (lang.t(Msg::LedgersSynthetic)) ")" } }
            text x="0" y="16" font-size="14" font-weight="600" fill="#1d232a" { (title) }
            @if synthetic {
                text x=(WIDTH - 4.0) y="16" text-anchor="end" font-size="14" font-weight="700" fill="#8c3b1f" { (lang.t(Msg::LedgersSynthetic)) }
            }
            @for (index, (label, value, part)) in bars.iter().enumerate() {
                @let y = TOP + ROW * index as f64;
                @let width = if largest > 0.0 { (value / largest * BAR_SPACE).max(1.0) } else { 1.0 };
                text x="0" y=(y + 12.0) font-size="12" fill="#1d232a" { (label) }
                rect x="0" y=(y + 16.0) width=(format!("{width:.1}")) height="16" fill=(part.fill()) {}
                text x=(format!("{:.1}", width + 6.0)) y=(y + 29.0) font-size="12" fill="#5b6670" {
                    (lang.usd(*value))
                    @if *part != Part::Paid && paid > 0.0 { " · " (share_of_paid(lang, *value, paid)) }
                }
            }
        }
    }
}

fn totals(lang: Lang, view: &Ledgers) -> Markup {
    let summary = &view.summary;
    let usd = &summary.usd;
    let paid = usd.employer_paid;
    let counts = [
        (Msg::LedgersSpells, summary.spells),
        (Msg::LedgersConverted, usd.spells),
        (Msg::LedgersFlaggedCount, summary.flagged),
    ];
    let deducted = largest_first(&usd.deducted);
    let rows = [
        (lang.t(Msg::LedgerPromised), usd.promised),
        (lang.t(Msg::LedgerEmployerPaid), paid),
        (lang.t(Msg::LedgerReceived), usd.received),
        (lang.t(Msg::LedgersOwedOnReturn), usd.owed_on_return),
        (lang.t(Msg::LedgersNeverPaid), usd.never_paid),
    ];
    html! {
        dl.counts {
            @for (msg, n) in counts { div { dt { (lang.t(msg)) } dd { (lang.number(n)) } } }
            @if let Some(share) = view.share_taken {
                div { dt { (lang.t(Msg::LedgersShareTaken)) } dd { (lang.percent(share)) } }
            }
        }
        table.totals {
            thead {
                tr {
                    th scope="col" { (lang.t(Msg::LedgerItem)) }
                    th scope="col" class="n" { (lang.t(Msg::LedgerUsd)) }
                    th scope="col" class="n" { (lang.t(Msg::ColumnShare)) }
                }
            }
            tbody {
                @for (label, value) in &rows {
                    tr { th scope="row" { (label) } td.n { (lang.usd(*value)) } td.n { (share_of_paid(lang, *value, paid)) } }
                }
                @for (kind, value) in &deducted {
                    tr.deduction {
                        th scope="row" { (deducted_label(lang, kind)) }
                        td.n { (lang.usd(*value)) }
                        td.n { (share_of_paid(lang, *value, paid)) }
                    }
                }
            }
        }
        @if usd.unconverted > 0 {
            p.notice { (lang.tr(Msg::LedgersUnconverted, &[("count", Arg::Count(i64::try_from(usd.unconverted).unwrap_or(i64::MAX)))])) }
        }
    }
}

fn flagged(lang: Lang, summary: &LedgerSummary) -> Markup {
    html! {
        @if summary.flagged > 0 {
            section aria-labelledby="ledgers-flags" {
                h2 #ledgers-flags { (lang.t(Msg::LedgersFlags)) }
                table {
                    thead { tr { th scope="col" { (lang.t(Msg::ColumnWhat)) } th scope="col" class="n" { (lang.t(Msg::ColumnCount)) } } }
                    tbody { @for (flag, n) in &summary.flags { tr { td { (flag) } td.n { (lang.number(*n)) } } } }
                }
                table {
                    caption { (lang.t(Msg::LedgersFlagged)) }
                    thead { tr { th scope="col" { (lang.t(Msg::AssessmentSpell)) } th scope="col" { (lang.t(Msg::ColumnWhat)) } } }
                    tbody {
                        @for (spell, flags) in &summary.flagged_spells {
                            tr { td { a href={ "/entities/" (spell) } { (spell) } } td { (flags.join("; ")) } }
                        }
                    }
                }
                @if summary.flagged > summary.flagged_spells.len() as u64 {
                    p { small { (lang.tr(Msg::LedgersMoreFlagged, &[
                        ("shown", Arg::Count(summary.flagged_spells.len() as i64)),
                        ("count", Arg::Count(i64::try_from(summary.flagged).unwrap_or(i64::MAX))),
                    ])) } }
                }
            }
        }
    }
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller) -> Response {
    let view = match view(&app, &caller).await {
        Ok(view) => view,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let summary = &view.summary;
    let bars = bars(lang, summary);
    let body = html! {
        @if view.synthetic {
            p.synthetic role="note" { strong { (lang.t(Msg::LedgersSynthetic)) } " " (lang.t(Msg::SyntheticNotice)) }
        }
        p { (lang.t(Msg::LedgersIntro)) }
        @if summary.spells == 0 {
            p { (lang.t(Msg::LedgersNone)) }
        } @else {
            (totals(lang, &view))
            @if summary.usd.employer_paid > 0.0 || bars.len() > 1 {
                figure.chart { (chart(lang, &bars, summary.usd.employer_paid, view.synthetic)) }
            }
            (flagged(lang, summary))
        }
        @if !view.missing_rates.is_empty() {
            section aria-labelledby="ledgers-missing" {
                h2 #ledgers-missing { (lang.t(Msg::LedgersMissing)) }
                table {
                    thead {
                        tr {
                            th scope="col" { (lang.t(Msg::ColumnCurrency)) }
                            th scope="col" { (lang.t(Msg::ColumnFrom)) }
                            th scope="col" { (lang.t(Msg::ColumnTo)) }
                            th scope="col" class="n" { (lang.t(Msg::ColumnMonths)) }
                        }
                    }
                    tbody {
                        @for missing in &view.missing_rates {
                            tr {
                                td { (missing.currency) }
                                td { (lang.date(&missing.first)) }
                                td { (lang.date(&missing.last)) }
                                td.n { (lang.number(missing.months as u64)) }
                            }
                        }
                    }
                }
            }
        }
        p.notice { (lang.t(Msg::ProtectedNotice)) }
    };
    html::page(&ctx, Some(&caller), &lang.t(Msg::LedgersTitle), body).into_response()
}
