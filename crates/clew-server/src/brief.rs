//! The sanctions brief as one self-contained HTML file and as PDF/A-2b: both from the same rows, built once from
//! the [`Brief`] the service made.

use std::fmt::Write as _;

use maud::html;

use clew_service::brief::{Body, BodyRole, Brief};
use clew_service::estimate::EstimateKind;

use crate::dossier::shown_count;
use crate::dossier_pdf::{PdfFonts, compile, lit, preamble, t, table, table_of_two};
use crate::i18n::{Arg, Lang, Msg};
use crate::pages::estimates::{amount, figure_label};

fn title(lang: Lang) -> String {
    lang.t(Msg::BriefTitle)
}

fn role_word(role: BodyRole) -> &'static str {
    match role {
        BodyRole::Dispatcher => "dispatcher",
        BodyRole::Employer => "employer",
    }
}

/// What the brief says, in `lang`: every table's rows, for both renderers.
struct Said {
    /// The lines under the title: audience, log head, since, the coarsening notice.
    lead: Vec<String>,
    /// The headline counts (label, figure).
    counts: Vec<[String; 2]>,
    deadline_intro: String,
    by_year: Vec<[String; 2]>,
    by_sector: Vec<[String; 2]>,
    deadline_notes: Vec<String>,
    permits_head: Vec<String>,
    permits: Vec<Vec<String>>,
    permits_notes: Vec<String>,
    bodies_head: [String; 6],
    bodies: Vec<[String; 6]>,
    bodies_notes: Vec<String>,
    /// Each estimate: its heading and rows (basis, estimate, interval).
    revenue: Vec<(String, Vec<[String; 3]>)>,
    /// For an outside audience: the state's take per worker-month from the testimonies it may have.
    take: Option<Vec<[String; 2]>>,
    /// Each instrument: its heading, summary and source.
    legal: Vec<(String, String, String)>,
    method: Vec<String>,
}

fn lists(lang: Lang, body: &Body) -> String {
    if body.matches.is_empty() {
        return lang.t(Msg::BriefUnlisted);
    }
    body.matches
        .iter()
        .map(|(list, entry, score)| format!("{list} {entry} ({})", lang.decimal(*score, 2)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn said(brief: &Brief, lang: Lang) -> Said {
    let k = brief.min_witnesses;
    let n = |count: Option<usize>| shown_count(lang, count, k);
    let mut lead = vec![lang.tr(Msg::DossierAudience, &[("audience", Arg::Text(brief.audience.as_str()))])];
    if let Some((seq, time, _)) = &brief.made_from.log_head {
        lead.push(
            lang.tr(Msg::DossierMade, &[("seq", Arg::Text(&seq.to_string())), ("time", Arg::Text(&lang.date(time)))]),
        );
    }
    if let Some(month) = &brief.since {
        lead.push(lang.tr(Msg::BriefSince, &[("month", Arg::Text(month))]));
    }
    lead.push(if brief.coarsened {
        lang.tr(Msg::BriefCoarsened, &[("k", Arg::Count(k as i64))])
    } else {
        lang.t(Msg::BriefExact)
    });
    lead.push(lang.t(Msg::BriefIntro));
    let after = &brief.after_deadline;
    let counts = vec![
        [lang.t(Msg::BriefCountWitnesses), n(after.witnesses)],
        [lang.t(Msg::BriefCountTestimonies), lang.number(brief.testimonies as u64)],
        [lang.t(Msg::BriefCountBodies), lang.number(brief.bodies.len() as u64)],
    ];
    let mut deadline_notes = Vec::new();
    if let Some(spells) = after.spells {
        deadline_notes.push(lang.tr(Msg::BriefSpells, &[("count", Arg::Count(spells as i64))]));
    }
    if brief.spells_unplaced != Some(0) {
        deadline_notes.push(lang.tr(Msg::BriefUnplaced, &[("count", Arg::Text(&n(brief.spells_unplaced)))]));
    }
    let mut permits_head = vec![lang.t(Msg::DossierYear)];
    permits_head.extend(brief.purposes.iter().map(|(_, label)| label.clone()));
    let mut permits_notes = Vec::new();
    if brief.permits.is_empty() {
        permits_notes.push(lang.t(Msg::BriefPermitsNone));
    } else {
        permits_notes.push(lang.tr(
            Msg::BriefPermitsAfter,
            &[("date", Arg::Text(&lang.date(&brief.permits_from))), ("count", Arg::Text(&n(brief.permits_after)))],
        ));
    }
    let mut bodies_notes = Vec::new();
    if brief.bodies.is_empty() {
        bodies_notes.push(lang.t(Msg::BriefBodiesNone));
    }
    if brief.bodies_held_back > 0 {
        bodies_notes.push(lang.tr(
            Msg::BriefBodiesHeld,
            &[("count", Arg::Count(brief.bodies_held_back as i64)), ("k", Arg::Count(k as i64))],
        ));
    }
    let open = lang.t(Msg::EstimateUnbounded);
    let revenue = brief
        .revenue
        .iter()
        .map(|estimate| {
            let heading = lang.tr(
                Msg::BriefKept,
                &[
                    ("number", Arg::Text(&estimate.number.to_string())),
                    ("title", Arg::Text(&estimate.title)),
                    ("date", Arg::Text(&lang.date(&estimate.recorded_at))),
                ],
            );
            let rows = estimate
                .headline
                .iter()
                .map(|figure| {
                    let kind = EstimateKind::Revenue;
                    let interval = match figure.low {
                        Some(low) => lang.tr(
                            Msg::EstimateRange,
                            &[
                                ("low", Arg::Text(&amount(lang, kind, low))),
                                (
                                    "high",
                                    Arg::Text(&figure.high.map_or_else(|| open.clone(), |h| amount(lang, kind, h))),
                                ),
                                ("level", Arg::Text(&format!("{:.0}", figure.level * 100.0))),
                            ],
                        ),
                        None => "—".to_string(),
                    };
                    [figure_label(lang, kind, figure), amount(lang, kind, figure.estimate), interval]
                })
                .collect();
            (heading, rows)
        })
        .collect();
    let take = brief.take_per_month.map(|take| {
        let interval = lang.tr(
            Msg::EstimateRange,
            &[
                ("low", Arg::Text(&lang.usd(take.low))),
                ("high", Arg::Text(&lang.usd(take.high))),
                ("level", Arg::Text("95")),
            ],
        );
        vec![
            [lang.t(Msg::BriefTake), format!("{} ({interval})", lang.usd(take.mean))],
            [lang.t(Msg::BriefWitnesses), lang.number(take.units as u64)],
        ]
    });
    let legal = brief
        .legal
        .iter()
        .map(|i| {
            let adopted = lang.tr(Msg::DossierAdopted, &[("date", Arg::Text(&lang.date(&i.date)))]);
            (format!("{}, {}", i.title, i.reference), format!("{adopted} {}", i.summary), i.source.clone())
        })
        .collect();
    let mut method = vec![lang.tr(Msg::BriefLeftOut, &[("count", Arg::Text(&n(brief.testimonies_left_out)))])];
    method.push(format!(
        "clew {} · {} · testimonies SHA-256 {}",
        brief.made_from.clew, brief.made_from.framework, brief.made_from.testimonies_sha256
    ));
    Said {
        lead,
        counts,
        deadline_intro: lang.tr(Msg::BriefDeadlineIntro, &[("date", Arg::Text(&lang.date(&brief.deadline)))]),
        by_year: after.by_year.iter().map(|(year, count)| [year.to_string(), n(*count)]).collect(),
        by_sector: after
            .by_sector
            .iter()
            .map(|(sector, count)| {
                let label = if sector.is_empty() { lang.t(Msg::BriefSectorNone) } else { sector.clone() };
                [label, n(*count)]
            })
            .collect(),
        deadline_notes,
        permits_head,
        permits: brief
            .permits
            .iter()
            .map(|year| std::iter::once(year.year.to_string()).chain(year.counts.iter().map(|c| n(*c))).collect())
            .collect(),
        permits_notes,
        bodies_head: [
            lang.t(Msg::BriefRoleHeading),
            lang.t(Msg::BriefName),
            lang.t(Msg::BriefWitnesses),
            lang.t(Msg::BriefAfter),
            lang.t(Msg::BriefLastYear),
            lang.t(Msg::BriefLists),
        ],
        bodies: brief
            .bodies
            .iter()
            .map(|body| {
                [
                    lang.tr(Msg::BriefRole, &[("role", Arg::Text(role_word(body.role)))]),
                    match &body.id {
                        Some(id) => format!("{} ({id})", body.name),
                        None => body.name.clone(),
                    },
                    lang.number(body.witnesses as u64),
                    n(body.after_deadline),
                    body.last_year.map_or_else(String::new, |y| y.to_string()),
                    lists(lang, body),
                ]
            })
            .collect(),
        bodies_notes,
        revenue,
        take,
        legal,
        method,
    }
}

/// The brief as one HTML document in `lang`: no script, nothing loaded from elsewhere.
pub fn render_html(brief: &Brief, lang: Lang) -> String {
    let s = said(brief, lang);
    let title = title(lang);
    let two = |rows: &[[String; 2]], head: [String; 2]| {
        html! {
            table {
                thead { tr { th scope="col" { (head[0]) } th scope="col" class="n" { (head[1]) } } }
                tbody { @for [label, figure] in rows { tr { td { (label) } td.n { (figure) } } } }
            }
        }
    };
    let synthetic = brief.synthetic.then(|| lang.t(Msg::BriefSynthetic));
    let body = html! {
                @for line in &s.lead { p { (line) } }
                dl.counts {
                    @for [label, figure] in &s.counts { div { dt { (label) } dd { (figure) } } }
                }
                section id="deadline" {
                    h2 { (lang.t(Msg::BriefDeadline)) }
                    p { (s.deadline_intro) }
                    (two(&s.by_year, [lang.t(Msg::BriefByYear), lang.t(Msg::BriefWitnesses)]))
                    (two(&s.by_sector, [lang.t(Msg::BriefSector), lang.t(Msg::BriefWitnesses)]))
                    @for note in &s.deadline_notes { p { (note) } }
                }
                section id="permits" {
                    h2 { (lang.t(Msg::BriefPermits)) }
                    p { (lang.t(Msg::BriefPermitsIntro)) }
                    @if !s.permits.is_empty() {
                        table {
                            thead { tr { @for (i, cell) in s.permits_head.iter().enumerate() { th scope="col" class=[(i > 0).then_some("n")] { (cell) } } } }
                            tbody { @for row in &s.permits { tr { @for (i, cell) in row.iter().enumerate() { td class=[(i > 0).then_some("n")] { (cell) } } } } }
                        }
                    }
                    @for note in &s.permits_notes { p { (note) } }
                }
                section id="bodies" {
                    h2 { (lang.t(Msg::BriefBodies)) }
                    p { (lang.t(Msg::BriefBodiesIntro)) }
                    @if !s.bodies.is_empty() {
                        table {
                            thead { tr { @for cell in &s.bodies_head { th scope="col" { (cell) } } } }
                            tbody { @for row in &s.bodies { tr { @for cell in row { td { (cell) } } } } }
                        }
                    }
                    @for note in &s.bodies_notes { p { (note) } }
                }
                section id="revenue" {
                    h2 { (lang.t(Msg::BriefRevenue)) }
                    @if brief.coarsened {
                        p { (lang.t(Msg::BriefRevenueOutside)) }
                        @match &s.take {
                            Some(rows) => { table { tbody { @for [label, figure] in rows { tr { th scope="row" { (label) } td.n { (figure) } } } } } }
                            None => { p { (lang.t(Msg::BriefTakeNone)) } }
                        }
                    } @else if s.revenue.is_empty() {
                        p { (lang.t(Msg::BriefRevenueNone)) }
                    } @else {
                        p { (lang.t(Msg::BriefRevenueIntro)) }
                        @for (heading, rows) in &s.revenue {
                            h3 { (heading) }
                            table { tbody { @for [label, figure, interval] in rows { tr { th scope="row" { (label) } td.n { (figure) } td { (interval) } } } } }
                        }
                    }
                }
                section id="law" {
                    h2 { (lang.t(Msg::BriefLegal)) }
                    p { (lang.t(Msg::BriefLegalIntro)) }
                    @for (heading, summary, source) in &s.legal {
                        article.claim { h3 { (heading) } p { (summary) } p { a href=(source) { (source) } } }
                    }
                }
                section id="method" {
                    h2 { (lang.t(Msg::BriefMethod)) }
                    @for line in &s.method { p { (line) } }
                }
    };
    crate::dossier::document(lang, &title, synthetic, body)
}

/// The brief as PDF/A-2b in `lang`, set in `fonts`; `ident` (the manifest's SHA-256) makes its identifier. The
/// same brief, fonts and identifier give the same bytes.
pub fn render_pdf(brief: &Brief, lang: Lang, fonts: &PdfFonts, ident: &str) -> Result<Vec<u8>, String> {
    let s = said(brief, lang);
    let time = brief.made_from.log_head.as_ref().map(|(_, time, _)| time.as_str());
    let synthetic = lang.t(Msg::BriefSynthetic);
    let mut m = preamble(&title(lang), lang, fonts, time, brief.synthetic.then_some(synthetic.as_str()));
    for line in &s.lead {
        let _ = writeln!(m, "{}\n", t(line));
    }
    table_of_two(&mut m, &s.counts);
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::BriefDeadline)), t(&s.deadline_intro));
    table(&mut m, &[lang.t(Msg::BriefByYear), lang.t(Msg::BriefWitnesses)], "(1fr, auto)", &s.by_year);
    table(&mut m, &[lang.t(Msg::BriefSector), lang.t(Msg::BriefWitnesses)], "(1fr, auto)", &s.by_sector);
    for note in &s.deadline_notes {
        let _ = writeln!(m, "{}\n", t(note));
    }
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::BriefPermits)), t(&lang.t(Msg::BriefPermitsIntro)));
    if !s.permits.is_empty() {
        let _ = write!(m, "#table(columns: {}, table.header(", s.permits_head.len());
        for cell in &s.permits_head {
            let _ = write!(m, " [*{}*],", t(cell));
        }
        m.push_str("),");
        for cell in s.permits.iter().flatten() {
            let _ = write!(m, " [{}],", t(cell));
        }
        m.push_str(")\n");
    }
    for note in &s.permits_notes {
        let _ = writeln!(m, "{}\n", t(note));
    }
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::BriefBodies)), t(&lang.t(Msg::BriefBodiesIntro)));
    if !s.bodies.is_empty() {
        let _ = writeln!(m, "#set text(size: 8pt)");
        table(&mut m, &s.bodies_head, "(auto, 2fr, auto, auto, auto, 1.5fr)", &s.bodies);
        let _ = writeln!(m, "#set text(size: 10pt)");
    }
    for note in &s.bodies_notes {
        let _ = writeln!(m, "{}\n", t(note));
    }
    let _ = writeln!(m, "= {}", t(&lang.t(Msg::BriefRevenue)));
    if brief.coarsened {
        let _ = writeln!(m, "{}\n", t(&lang.t(Msg::BriefRevenueOutside)));
        match &s.take {
            Some(rows) => table_of_two(&mut m, rows),
            None => {
                let _ = writeln!(m, "{}\n", t(&lang.t(Msg::BriefTakeNone)));
            }
        }
    } else if s.revenue.is_empty() {
        let _ = writeln!(m, "{}\n", t(&lang.t(Msg::BriefRevenueNone)));
    } else {
        let _ = writeln!(m, "{}\n", t(&lang.t(Msg::BriefRevenueIntro)));
        for (heading, rows) in &s.revenue {
            let _ = writeln!(m, "== {}", t(heading));
            let head = [String::new(), String::new(), lang.t(Msg::EstimateInterval)];
            table(&mut m, &head, "(1fr, auto, auto)", rows);
        }
    }
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::BriefLegal)), t(&lang.t(Msg::BriefLegalIntro)));
    for (heading, summary, source) in &s.legal {
        let _ = writeln!(m, "== {}\n{}\n\n#link({})\n", t(heading), t(summary), lit(source));
    }
    let _ = writeln!(m, "= {}", t(&lang.t(Msg::BriefMethod)));
    for line in &s.method {
        let _ = writeln!(m, "{}\n", t(line));
    }
    compile(m, None, fonts, ident, time)
}
