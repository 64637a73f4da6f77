//! A dossier as one self-contained HTML file: the service's [`Dossier`] shown in a reader's language, with its
//! style inline, its map and charts as SVG, no script and nothing loaded from elsewhere, so that it opens
//! offline and prints. It decides nothing: every claim, count and redaction is the service's.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use clew_service::analysis::{CodeMeaning, Family, Strength};
use clew_service::dossier::{Attributable, Audience, Dossier, HeldBackReason, LinkKind};

use crate::i18n::{Arg, Lang, Msg};
use crate::map::{MapPoint, PointKind, render_map};
use crate::pages::assessment::code_label;
use crate::pages::dashboard::schema_label;

/// The most exhibits the corroboration table has columns for.
pub const MATRIX_COLUMNS: usize = 60;

/// The most exhibit numbers listed under a claim before "and N more".
const EXHIBITS_LISTED: usize = 40;

/// The application's style sheet, and what a printed report needs besides.
const STYLE: &str = concat!(
    include_str!("../assets/style.css"),
    "\nbody { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; }\n",
    "section { break-inside: auto; } h2 { border-bottom: 1px solid var(--line); padding-bottom: .2rem; }\n",
    "article.claim { border-left: 4px solid var(--line); padding: .25rem .75rem; margin: .75rem 0; }\n",
    "article.claim.strong { border-left-color: var(--warn); }\n",
    ".single { color: var(--warn); font-weight: 600; }\n",
    "table.matrix td, table.matrix th { padding: .1rem .2rem; text-align: center; font-size: .8rem; }\n",
    "code.hash { font-size: .75rem; word-break: break-all; }\n",
    "svg.chart .bar { fill: var(--accent); } svg.chart text { font-size: 12px; fill: var(--ink); }\n",
    "@media print { a { color: inherit; text-decoration: none; } .synthetic { border: 2px solid var(--warn); } }\n",
);

/// The audience's name in Fluent (`dossier-audience`).
fn audience_word(audience: Audience) -> &'static str {
    audience.as_str()
}

pub(crate) fn family_word(meaning: &CodeMeaning) -> &'static str {
    match meaning.family {
        Family::Involuntariness => "involuntariness",
        Family::Coercion => "coercion",
        Family::Indicator => "indicator",
    }
}

pub(crate) fn exhibit_list(lang: Lang, numbers: &[usize]) -> String {
    let mut listed: Vec<String> = numbers.iter().take(EXHIBITS_LISTED).map(|n| format!("E-{n}")).collect();
    if numbers.len() > EXHIBITS_LISTED {
        listed.push(lang.tr(Msg::DossierMore, &[("count", Arg::Count((numbers.len() - EXHIBITS_LISTED) as i64))]));
    }
    listed.join(", ")
}

/// A report as one self-contained HTML document in `lang` (inline style, no script, nothing loaded from
/// elsewhere): its title, the notice that it is made of fictional data when there is one, then `body`.
pub(crate) fn document(lang: Lang, title: &str, synthetic: Option<String>, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta name="generator" content={ "clew " (env!("CARGO_PKG_VERSION")) };
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                @if let Some(notice) = synthetic { p.synthetic role="note" { strong { (notice) } } }
                h1 { (title) }
                (body)
            }
        }
    }
    .into_string()
}

/// The dossier as one HTML document in `lang`.
pub fn render_html(dossier: &Dossier, lang: Lang) -> String {
    let title = lang.tr(Msg::DossierTitle, &[("name", Arg::Text(&dossier.entity.caption))]);
    let synthetic = dossier.synthetic.then(|| lang.t(Msg::DossierSynthetic));
    let body = html! {
                p { (lang.tr(Msg::DossierAudience, &[("audience", Arg::Text(audience_word(dossier.audience)))])) }
                @if let Some((seq, time, _)) = &dossier.made_from.log_head {
                    p { (lang.tr(Msg::DossierMade, &[("seq", Arg::Text(&seq.to_string())), ("time", Arg::Text(&lang.date(time)))])) }
                }
                p.notice {
                    @if dossier.coarsened {
                        (lang.tr(Msg::DossierCoarsened, &[("k", Arg::Count(dossier.min_witnesses as i64))]))
                    } @else {
                        (lang.t(Msg::DossierExact))
                    }
                    @if dossier.audience == Audience::Internal { " " (lang.t(Msg::DossierPseudonyms)) }
                }
                dl.counts {
                    div { dt { (lang.t(Msg::DossierCountClaims)) } dd { (lang.number(dossier.claims.len() as u64)) } }
                    div { dt { (lang.t(Msg::DossierCountExhibits)) } dd { (lang.number(dossier.exhibits.len() as u64)) } }
                    div { dt { (lang.t(Msg::DossierCountHeld)) } dd { (lang.number(dossier.testimonies_left_out as u64)) } }
                }
                nav aria-label=(lang.t(Msg::DossierContents)) {
                    h2 { (lang.t(Msg::DossierContents)) }
                    ol {
                        @for (anchor, msg) in SECTIONS { li { a href={ "#" (anchor) } { (lang.t(msg)) } } }
                    }
                }
                (entity(dossier, lang))
                (claims(dossier, lang))
                (matrix(dossier, lang))
                (timeline(dossier, lang))
                (sites(dossier, lang))
                (network(dossier, lang))
                (ledger(dossier, lang))
                (legal(dossier, lang))
                (held_back(dossier, lang))
                (exhibits(dossier, lang))
                (made_from(dossier, lang))
    };
    document(lang, &title, synthetic, body)
}

/// The sections, in order: their anchors and headings.
const SECTIONS: [(&str, Msg); 11] = [
    ("entity", Msg::DossierEntity),
    ("claims", Msg::DossierClaims),
    ("matrix", Msg::DossierMatrix),
    ("timeline", Msg::DossierTimeline),
    ("sites", Msg::DossierSites),
    ("network", Msg::DossierNetwork),
    ("ledger", Msg::DossierLedger),
    ("law", Msg::DossierLegal),
    ("held-back", Msg::DossierHeld),
    ("exhibits", Msg::DossierExhibitList),
    ("made-from", Msg::DossierMadeFrom),
];

fn entity(dossier: &Dossier, lang: Lang) -> Markup {
    let entity = &dossier.entity;
    html! {
        section id="entity" {
            h2 { (lang.t(Msg::DossierEntity)) }
            p { strong { (entity.caption) } " · " (lang.t(Msg::DossierKind)) ": " (schema_label(lang, &entity.schema)) }
            @for (heading, rows) in [(Msg::DossierNames, &entity.names), (Msg::DossierIdentifiers, &entity.identifiers)] {
                @if !rows.is_empty() {
                    table {
                        caption { (lang.t(heading)) }
                        thead { tr { th scope="col" { (lang.t(Msg::DossierValue)) } th scope="col" class="n" { (lang.t(Msg::DossierSources)) } } }
                        tbody {
                            @for row in rows.iter() { tr { td { (row.value) } td.n { (lang.number(row.sources as u64)) } } }
                        }
                    }
                }
            }
            h3 { (lang.t(Msg::DossierMatches)) }
            @if entity.matches.is_empty() {
                p { (lang.t(Msg::DossierMatchesNone)) }
            } @else {
                p { (lang.t(Msg::DossierMatchesIntro)) }
                table {
                    thead { tr {
                        th scope="col" { (lang.t(Msg::DossierMatchList)) }
                        th scope="col" { (lang.t(Msg::DossierMatchEntry)) }
                        th scope="col" { (lang.t(Msg::DossierMatchName)) }
                        th scope="col" class="n" { (lang.t(Msg::DossierMatchScore)) }
                        th scope="col" { (lang.t(Msg::DossierMatchWhy)) }
                    } }
                    tbody {
                        @for found in &entity.matches {
                            tr {
                                td { (found.list) @if let Some(version) = &found.list_version { " (" (version) ")" } }
                                td { (found.list_entry) }
                                td { (found.matched_name) }
                                td.n { (lang.decimal(found.score, 2)) }
                                td { (found.explanation) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn claims(dossier: &Dossier, lang: Lang) -> Markup {
    let families: Vec<&str> = {
        let mut seen = Vec::new();
        for claim in &dossier.claims {
            let word = family_word(&claim.code);
            if !seen.contains(&word) {
                seen.push(word);
            }
        }
        seen
    };
    html! {
        section id="claims" {
            h2 { (lang.t(Msg::DossierClaims)) }
            p { (lang.t(Msg::DossierClaimsIntro)) }
            @if dossier.claims.is_empty() { p { (lang.t(Msg::DossierClaimsNone)) } }
            @for family in families {
                h3 { (lang.tr(Msg::DossierFamily, &[("family", Arg::Text(family))])) }
                @for claim in dossier.claims.iter().filter(|c| family_word(&c.code) == family) {
                    article.claim.strong[claim.code.strength == Some(Strength::Strong)] id={ "claim-" (claim.code.code) } {
                        h4 { (claim.code.code) " " (code_label(lang, &claim.code)) }
                        p {
                            (lang.tr(Msg::DossierWitnesses, &[("count", Arg::Count(claim.witnesses as i64))]))
                            @if claim.single_source() { " · " span.single { (lang.t(Msg::DossierSingleSource)) } }
                            " · " (lang.tr(Msg::DossierExhibitsCited, &[("list", Arg::Text(&exhibit_list(lang, &claim.exhibits)))]))
                        }
                        @for quote in &claim.quotes {
                            blockquote lang=(quote.lang) {
                                "E-" (quote.exhibit) ": " (quote.text)
                                @if let Some((translation_lang, translation)) = &quote.translation {
                                    br;
                                    small lang=(translation_lang) { (lang.t(Msg::DossierTranslation)) " (" (translation_lang) "): " (translation) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn matrix(dossier: &Dossier, lang: Lang) -> Markup {
    let count = dossier.exhibits.len();
    html! {
        section id="matrix" {
            h2 { (lang.t(Msg::DossierMatrix)) }
            @if count > MATRIX_COLUMNS {
                p { (lang.tr(Msg::DossierMatrixTooWide, &[("count", Arg::Count(count as i64))])) }
            } @else if !dossier.claims.is_empty() {
                p { (lang.t(Msg::DossierMatrixIntro)) }
                table.matrix {
                    thead { tr {
                        th scope="col" {}
                        @for exhibit in &dossier.exhibits { th scope="col" { "E-" (exhibit.number) } }
                        th scope="col" class="n" { "Σ" }
                    } }
                    tbody {
                        @for claim in &dossier.claims {
                            tr {
                                th scope="row" { (claim.code.code) }
                                @for exhibit in &dossier.exhibits {
                                    td { @if claim.exhibits.binary_search(&exhibit.number).is_ok() { "●" } }
                                }
                                td.n { (claim.exhibits.len()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn timeline(dossier: &Dossier, lang: Lang) -> Markup {
    let most = dossier.timeline.iter().filter_map(|y| y.working).max().unwrap_or(0).max(1) as f64;
    let bars: Vec<crate::chart::Bar> = dossier
        .timeline
        .iter()
        .map(|year| crate::chart::Bar {
            label: year.year.to_string(),
            share: year.working.unwrap_or(0) as f64 / most,
            figure: shown_count(lang, year.working, dossier.min_witnesses),
            href: None,
        })
        .collect();
    let markers: Vec<String> = dossier
        .legal
        .iter()
        .filter_map(|bearing| {
            let date = bearing.instrument.date_of_bearing.as_deref()?;
            Some(lang.tr(
                Msg::DossierMarker,
                &[
                    ("date", Arg::Text(&lang.date(date))),
                    ("instrument", Arg::Text(&bearing.instrument.title)),
                    ("reference", Arg::Text(&bearing.instrument.reference)),
                ],
            ))
        })
        .collect();
    html! {
        section id="timeline" {
            h2 { (lang.t(Msg::DossierTimeline)) }
            p { (lang.t(Msg::DossierTimelineIntro)) }
            @if !bars.is_empty() { (crate::chart::bars(&lang.t(Msg::DossierWorking), &bars)) }
            @if !markers.is_empty() { ul { @for marker in &markers { li { (marker) } } } }
            table {
                thead { tr {
                    th scope="col" { (lang.t(Msg::DossierYear)) }
                    th scope="col" class="n" { (lang.t(Msg::DossierWorking)) }
                    th scope="col" class="n" { (lang.t(Msg::DossierPermits)) }
                } }
                tbody {
                    @for year in &dossier.timeline {
                        tr {
                            td { (year.year) }
                            td.n { (shown_count(lang, year.working, dossier.min_witnesses)) }
                            td.n { (shown_count(lang, year.permits, dossier.min_witnesses)) }
                        }
                    }
                }
            }
        }
    }
}

/// A count as the dossier may show it: `None` (coarsened, between 1 and k − 1) is "fewer than k".
pub(crate) fn shown_count(lang: Lang, count: Option<usize>, k: usize) -> String {
    match count {
        Some(n) => lang.number(n as u64),
        None => format!("< {k}"),
    }
}

/// How many exhibits bear on an instrument, as the dossier may say it.
pub(crate) fn legal_count(lang: Lang, count: Option<usize>, k: usize) -> String {
    match count {
        Some(n) => lang.tr(Msg::DossierLegalExhibits, &[("count", Arg::Count(n as i64))]),
        None => lang.tr(Msg::DossierLegalFew, &[("k", Arg::Count(k as i64))]),
    }
}

/// A link's kind in Fluent (`dossier-link`).
pub(crate) fn link_word(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Dispatched => "dispatched",
        LinkKind::EmployedAt => "employed_at",
        LinkKind::Minded => "minded",
    }
}

/// The map of the sites with a position, as an SVG document in `lang`; `None` when no site has one.
pub(crate) fn map_svg(dossier: &Dossier, lang: Lang) -> Option<String> {
    let points: Vec<MapPoint> = dossier
        .sites
        .iter()
        .filter_map(|site| {
            let (lat, lon) = site.position?;
            Some(MapPoint { lat, lon, label: site.label.clone(), href: None, kind: PointKind::Worksite })
        })
        .collect();
    let labels = crate::pages::map::map_labels(lang);
    // `render_map` escapes every text it draws.
    (!points.is_empty()).then(|| render_map(&points, &lang.t(Msg::DossierSites), &labels))
}

fn sites(dossier: &Dossier, lang: Lang) -> Markup {
    let heading = lang.t(Msg::DossierSites);
    let map = map_svg(dossier, lang);
    html! {
        section id="sites" {
            h2 { (heading) }
            p { (lang.t(if dossier.coarsened { Msg::DossierSitesCoarsened } else { Msg::DossierSitesExact })) }
            @if let Some(svg) = &map { figure.map { (PreEscaped(svg)) } }
            table {
                thead { tr { th scope="col" { (lang.t(Msg::DossierPlace)) } th scope="col" class="n" { (lang.t(Msg::DossierWitness)) } } }
                tbody {
                    @for site in &dossier.sites {
                        tr { td { (site.label) } td.n { (lang.tr(Msg::DossierWitnesses, &[("count", Arg::Count(site.witnesses as i64))])) } }
                    }
                }
            }
            p.notice { (lang.t(Msg::MapSource)) }
        }
    }
}

fn network(dossier: &Dossier, lang: Lang) -> Markup {
    let withheld = lang.t(Msg::DossierWithheld);
    let kind = link_word;
    html! {
        section id="network" {
            h2 { (lang.t(Msg::DossierNetwork)) }
            p { (lang.t(Msg::DossierNetworkIntro)) }
            table {
                tbody {
                    @for link in &dossier.network {
                        tr {
                            td { (link.from.as_deref().unwrap_or(&withheld)) }
                            td { (lang.tr(Msg::DossierLink, &[("kind", Arg::Text(kind(link.kind)))])) }
                            td { (link.to.as_deref().filter(|t| !t.is_empty()).unwrap_or(&withheld)) }
                            td.n { (lang.tr(Msg::DossierWitnesses, &[("count", Arg::Count(link.witnesses as i64))])) }
                        }
                    }
                }
            }
        }
    }
}

fn ledger(dossier: &Dossier, lang: Lang) -> Markup {
    html! {
        section id="ledger" {
            h2 { (lang.t(Msg::DossierLedger)) }
            @match &dossier.ledger {
                None => { p { (lang.tr(Msg::DossierLedgerHeld, &[("k", Arg::Count(dossier.min_witnesses as i64))])) } }
                Some(totals) if totals.spells == 0 => { p { (lang.t(Msg::DossierLedgerNone)) } }
                Some(totals) => {
                    p { (lang.t(Msg::DossierLedgerIntro)) }
                    table {
                        tbody {
                            tr { th scope="row" { (lang.t(Msg::LedgersConverted)) } td.n { (lang.number(totals.spells)) } }
                            tr { th scope="row" { (lang.t(Msg::LedgerPromised)) } td.n { (lang.usd(totals.promised)) } }
                            tr { th scope="row" { (lang.t(Msg::LedgerEmployerPaid)) } td.n { (lang.usd(totals.employer_paid)) } }
                            @for (kind, amount) in &totals.deducted {
                                @let kind = lang.tr(Msg::DeductionKind, &[("kind", Arg::Text(kind))]);
                                tr { th scope="row" { (lang.tr(Msg::LedgerDeducted, &[("kind", Arg::Text(&kind))])) } td.n { (lang.usd(*amount)) } }
                            }
                            tr { th scope="row" { (lang.t(Msg::LedgerReceived)) } td.n { (lang.usd(totals.received)) } }
                            tr { th scope="row" { (lang.t(Msg::LedgersOwedOnReturn)) } td.n { (lang.usd(totals.owed_on_return)) } }
                            tr { th scope="row" { (lang.t(Msg::LedgersNeverPaid)) } td.n { (lang.usd(totals.never_paid)) } }
                            @if let Some(share) = totals.share_taken() {
                                tr { th scope="row" { (lang.t(Msg::LedgersShareTaken)) } td.n { (lang.percent(share)) } }
                            }
                        }
                    }
                    h3 { (lang.t(Msg::DossierRevenue)) }
                    @match &dossier.revenue {
                        None => { p { (lang.t(Msg::DossierRevenueNone)) } }
                        Some(revenue) => {
                            p { (lang.t(Msg::DossierRevenueIntro)) }
                            table {
                                tbody {
                                    @for [label, figure] in revenue_rows(revenue, lang) {
                                        tr { th scope="row" { (label) } td.n { (figure) } }
                                    }
                                }
                            }
                            @if revenue.per_month.small_sample { p { (lang.t(Msg::DossierRevenueSmall)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The revenue attributable, as rows of a table (label, figure): shared by the HTML and the PDF.
pub(crate) fn revenue_rows(revenue: &Attributable, lang: Lang) -> Vec<[String; 2]> {
    let range = |mean: f64, low: f64, high: f64| {
        let interval = lang.tr(
            Msg::EstimateRange,
            &[("low", Arg::Text(&lang.usd(low))), ("high", Arg::Text(&lang.usd(high))), ("level", Arg::Text("95"))],
        );
        format!("{} ({interval})", lang.usd(mean))
    };
    let per_month = &revenue.per_month;
    let (mean, low, high) = revenue.total;
    vec![
        [lang.t(Msg::DossierRevenueMonths), lang.number(revenue.worker_months)],
        [lang.t(Msg::DossierRevenuePerMonth), range(per_month.mean, per_month.low, per_month.high)],
        [lang.t(Msg::DossierRevenueTotal), range(mean, low, high)],
    ]
}

fn legal(dossier: &Dossier, lang: Lang) -> Markup {
    html! {
        section id="law" {
            h2 { (lang.t(Msg::DossierLegal)) }
            p { (lang.t(Msg::DossierLegalIntro)) }
            @for bearing in &dossier.legal {
                @let instrument = &bearing.instrument;
                article.claim {
                    h3 { (instrument.title) ", " (instrument.reference) }
                    p { (lang.tr(Msg::DossierAdopted, &[("date", Arg::Text(&lang.date(&instrument.date)))])) " " (instrument.summary) }
                    p {
                        (legal_count(lang, bearing.exhibits, dossier.min_witnesses))
                        @if !bearing.codes.is_empty() {
                            " " (lang.tr(Msg::DossierLegalCodes, &[("codes", Arg::Text(&bearing.codes.join(", ")))]))
                        }
                    }
                    p { a href=(instrument.source) { (instrument.source) } }
                }
            }
        }
    }
}

fn held_back(dossier: &Dossier, lang: Lang) -> Markup {
    let k = Arg::Count(dossier.min_witnesses as i64);
    html! {
        section id="held-back" {
            h2 { (lang.t(Msg::DossierHeld)) }
            p { (lang.t(Msg::DossierHeldIntro)) }
            @if dossier.held_back.is_empty() { p { (lang.t(Msg::DossierHeldNone)) } }
            ul {
                @for held in &dossier.held_back {
                    @let count = Arg::Count(held.testimonies as i64);
                    li {
                        @match (held.reason, &held.code) {
                            (HeldBackReason::Consent, _) => { (lang.tr(Msg::DossierHeldConsent, &[("count", count)])) }
                            (HeldBackReason::FewLedgers, _) => { (lang.tr(Msg::DossierHeldLedger, &[("count", count), ("k", k)])) }
                            (HeldBackReason::FewLinks, _) => { (lang.tr(Msg::DossierHeldLinks, &[("count", count), ("k", k)])) }
                            (HeldBackReason::FewPlaces, _) => { (lang.tr(Msg::DossierHeldPlaces, &[("count", count), ("k", k)])) }
                            (HeldBackReason::FewWitnesses, None) => { (lang.tr(Msg::DossierHeldFewTotal, &[("count", count), ("k", k)])) }
                            (HeldBackReason::FewWitnesses, Some(code)) => {
                                @let claim = format!("{} {}", code.code, code_label(lang, code));
                                (lang.tr(Msg::DossierHeldFew, &[("count", count), ("claim", Arg::Text(&claim)), ("k", k)]))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn exhibits(dossier: &Dossier, lang: Lang) -> Markup {
    let internal = dossier.audience == Audience::Internal;
    let named = !dossier.coarsened;
    html! {
        section id="exhibits" {
            h2 { (lang.t(Msg::DossierExhibitList)) }
            p { (lang.t(Msg::DossierExhibitIntro)) }
            table {
                thead { tr {
                    th scope="col" { (lang.t(Msg::DossierExhibit)) }
                    @if named { th scope="col" { (lang.t(Msg::DossierTestimony)) } }
                    @if internal { th scope="col" { (lang.t(Msg::DossierWitness)) } }
                    @if named { th scope="col" { (lang.t(Msg::DossierPeriod)) } }
                    th scope="col" { (lang.t(Msg::DossierPlace)) }
                    th scope="col" { "SHA-256" }
                    th scope="col" { (lang.t(Msg::DossierEvents)) }
                } }
                tbody {
                    @for exhibit in &dossier.exhibits {
                        tr id={ "E-" (exhibit.number) } {
                            th scope="row" { "E-" (exhibit.number) }
                            @if let Some(testimony) = &exhibit.testimony { td { (testimony) } }
                            @if internal { td { (exhibit.witness.as_deref().unwrap_or("")) } }
                            @if named { td { @for (first, last) in &exhibit.periods { (lang.date(first)) "–" (lang.date(last)) br; } } }
                            td { (exhibit.places.join("; ")) }
                            td { @match &exhibit.sha256 { Some(hash) => { code.hash { (hash) } } None => { small { (lang.t(Msg::DossierNoMaterial)) } } } }
                            td { (exhibit.events.iter().map(|e| format!("#{e}")).collect::<Vec<_>>().join(" ")) }
                        }
                    }
                }
            }
        }
    }
}

fn made_from(dossier: &Dossier, lang: Lang) -> Markup {
    let made = &dossier.made_from;
    html! {
        section id="made-from" {
            h2 { (lang.t(Msg::DossierMadeFrom)) }
            p { (lang.t(Msg::DossierMadeFromIntro)) }
            table {
                tbody {
                    tr { th scope="row" { (lang.t(Msg::DossierMadeVersion)) } td { "clew " (made.clew) } }
                    tr { th scope="row" { "engine" } td { (made.engine) } }
                    tr { th scope="row" { "rules" } td { code.hash { (made.rules) } } }
                    tr { th scope="row" { "taxonomy" } td { (made.taxonomy) } }
                    tr { th scope="row" { "legal framework" } td { (made.framework) } }
                    @if let Some((seq, time, leaf)) = &made.log_head {
                        tr { th scope="row" { "custody log" } td { "#" (seq) " · " (time) " · " code.hash { (leaf) } } }
                    }
                    tr { th scope="row" { (lang.t(Msg::DossierMadeStatements)) } td { (lang.number(made.statements as u64)) " · " code.hash { (made.statements_sha256) } } }
                }
            }
        }
    }
}
