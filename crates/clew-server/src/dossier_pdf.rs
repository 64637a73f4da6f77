//! A dossier as a PDF/A-2b file, typeset by typst used as a library: the same [`Dossier`] and the same words
//! as the HTML file, written as typst markup in which every text from the evidence is a string literal (it can
//! never be read as markup), compiled in a world of clew's own: no package is fetched, no system font is
//! discovered, and the only files are the markup and the map. Fonts come from folders clew is given; a font
//! it needs and does not find is named, never replaced. The same evidence and fonts give the same bytes: the
//! document's date is the custody log's time, and its identifier is derived from the manifest.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clew_service::dossier::{Audience, Dossier, HeldBackReason};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::dossier::{MATRIX_COLUMNS, exhibit_list, family_word, legal_count, link_word, map_svg, shown_count};
use crate::i18n::{Arg, Lang, Msg};
use crate::pages::assessment::code_label;
use crate::pages::dashboard::schema_label;

/// Where Debian puts fonts: the default folder to look in.
pub const DEFAULT_FONT_DIR: &str = "/usr/share/fonts";

/// Families for Latin and Cyrillic text, in order of preference (Debian `fonts-noto-core`, else
/// `fonts-dejavu-core`).
const TEXT_FAMILIES: [&str; 4] = ["Noto Serif", "Noto Sans", "DejaVu Serif", "DejaVu Sans"];

/// Families for Korean, in order of preference (Debian `fonts-noto-cjk`, else `fonts-nanum`).
const KOREAN_FAMILIES: [&str; 4] = ["Noto Serif CJK KR", "Noto Sans CJK KR", "NanumMyeongjo", "NanumGothic"];

/// The most font files looked at, and the largest read.
const FONT_FILES: usize = 5_000;
const FONT_BYTES: u64 = 64 << 20;

/// The fonts a dossier is set in: one family for Latin and Cyrillic, one for Korean, each with every face
/// found (regular, bold, italic).
#[derive(Clone)]
pub struct PdfFonts {
    fonts: Vec<Font>,
    text: String,
    korean: String,
}

impl std::fmt::Debug for PdfFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PdfFonts({} and {}, {} faces)", self.text, self.korean, self.fonts.len())
    }
}

impl PdfFonts {
    /// Finds the fonts in `dirs` (and the folders below them, in name order): the first of
    /// [`TEXT_FAMILIES`] and of [`KOREAN_FAMILIES`] that is there. Refuses, naming what is missing, when
    /// either has no face.
    pub fn load(dirs: &[PathBuf]) -> Result<PdfFonts, String> {
        let mut files = Vec::new();
        for dir in dirs {
            collect_font_files(dir, 0, &mut files);
        }
        files.sort();
        files.dedup();
        let wanted = |family: &str| TEXT_FAMILIES.contains(&family) || KOREAN_FAMILIES.contains(&family);
        let mut faces: Vec<Font> = Vec::new();
        for path in files.iter().take(FONT_FILES) {
            let Ok(bytes) = clew_files::read(path, FONT_BYTES) else { continue };
            faces.extend(Font::iter(Bytes::new(bytes)).filter(|font| wanted(&font.info().family)));
        }
        let first = |families: &[&str]| {
            families.iter().find(|family| faces.iter().any(|f| f.info().family == **family)).map(|f| f.to_string())
        };
        let shown: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        let text = first(&TEXT_FAMILIES).ok_or_else(|| {
            format!(
                "no font for Latin and Cyrillic text in {}: install Debian's fonts-noto-core (or fonts-dejavu-core), \
                 or give --fonts DIR holding one of: {}",
                shown.join(", "),
                TEXT_FAMILIES.join(", ")
            )
        })?;
        let korean = first(&KOREAN_FAMILIES).ok_or_else(|| {
            format!(
                "no font for Korean in {}: install Debian's fonts-nanum (or fonts-noto-cjk), or give --fonts DIR \
                 holding one of: {}",
                shown.join(", "),
                KOREAN_FAMILIES.join(", ")
            )
        })?;
        faces.retain(|font| font.info().family == text || font.info().family == korean);
        Ok(PdfFonts { fonts: faces, text, korean })
    }

    /// The two families, as a reader would name them.
    pub fn families(&self) -> (&str, &str) {
        (&self.text, &self.korean)
    }
}

fn collect_font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 6 || out.len() >= FONT_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        if meta.is_dir() {
            collect_font_files(&path, depth + 1, out);
        } else if meta.is_file() {
            let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            if matches!(extension.as_deref(), Some("ttf" | "otf" | "ttc" | "otc")) {
                out.push(path);
            }
        }
    }
}

/// A text as a typst string literal: whatever it holds, it stays text.
pub(crate) fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text in markup: `#"..."`.
pub(crate) fn t(text: &str) -> String {
    format!("#{}", lit(text))
}

/// The most rows of a long table (the sites; each kind of link of the network) the PDF prints: the HTML holds
/// them all.
const ROWS_PRINTED: usize = 40;

/// Says how many rows of `total` the PDF left to the HTML, when it left some.
fn more_in_html(m: &mut String, lang: Lang, total: usize) {
    if total > ROWS_PRINTED {
        let more = (total - ROWS_PRINTED) as i64;
        let _ = writeln!(m, "{}\n", t(&lang.tr(Msg::DossierPdfMore, &[("count", Arg::Count(more))])));
    }
}

/// A table of labels and figures, the figures to the right.
pub(crate) fn table_of_two(m: &mut String, rows: &[[String; 2]]) {
    m.push_str("#table(columns: (1fr, auto), align: (left, right),");
    for [label, figure] in rows {
        let _ = write!(m, " [{}], [{}],", t(label), t(figure));
    }
    m.push_str(")\n");
}

/// The typst markup of a dossier in `lang`, set in `fonts`.
/// The start of a document's markup: its metadata (`time`, the custody log's, as its date), fonts, page, the
/// notice that it is made of fictional data when `synthetic` says so, and its title.
pub(crate) fn preamble(
    title: &str,
    lang: Lang,
    fonts: &PdfFonts,
    time: Option<&str>,
    synthetic: Option<&str>,
) -> String {
    let mut m = String::with_capacity(64 * 1024);
    let date = time.and_then(typst_datetime);
    let _ = writeln!(
        m,
        "#set document(title: {}, author: \"clew\", date: {})",
        lit(title),
        date.map_or_else(
            || "none".to_string(),
            |(y, mo, d, h, mi, s)| format!(
                "datetime(year: {y}, month: {mo}, day: {d}, hour: {h}, minute: {mi}, second: {s})"
            )
        )
    );
    let _ = writeln!(
        m,
        "#set text(font: ({}, {}), size: 10pt, lang: {})",
        lit(&fonts.text),
        lit(&fonts.korean),
        lit(lang.tag())
    );
    let _ = writeln!(
        m,
        "#set page(paper: \"a4\", margin: (x: 2cm, y: 2.2cm), numbering: \"1 / 1\", header: align(right, text(size: 8pt, {})))",
        lit(title)
    );
    m.push_str("#set par(leading: 0.6em)\n#set table(stroke: 0.4pt + luma(180), inset: 4pt)\n");
    m.push_str("#show heading: set block(above: 1.2em, below: 0.6em)\n");
    if let Some(notice) = synthetic {
        let _ = writeln!(
            m,
            "#block(fill: luma(235), stroke: 1pt + rgb(\"#8c3b1f\"), inset: 8pt, width: 100%, strong({}))",
            lit(notice)
        );
    }
    let _ = writeln!(m, "#text(size: 18pt, weight: \"bold\", {})\n", lit(title));
    m
}

fn markup(dossier: &Dossier, lang: Lang, fonts: &PdfFonts, has_map: bool) -> String {
    let title = lang.tr(Msg::DossierTitle, &[("name", Arg::Text(&dossier.entity.caption))]);
    let synthetic = lang.t(Msg::DossierSynthetic);
    let time = dossier.made_from.log_head.as_ref().map(|(_, time, _)| time.as_str());
    let mut m = preamble(&title, lang, fonts, time, dossier.synthetic.then_some(synthetic.as_str()));
    let _ =
        writeln!(m, "{}\n", t(&lang.tr(Msg::DossierAudience, &[("audience", Arg::Text(dossier.audience.as_str()))])));
    if let Some((seq, time, _)) = &dossier.made_from.log_head {
        let made =
            lang.tr(Msg::DossierMade, &[("seq", Arg::Text(&seq.to_string())), ("time", Arg::Text(&lang.date(time)))]);
        let _ = writeln!(m, "{}\n", t(&made));
    }
    let mut notice = if dossier.coarsened {
        lang.tr(Msg::DossierCoarsened, &[("k", Arg::Count(dossier.min_witnesses as i64))])
    } else {
        lang.t(Msg::DossierExact)
    };
    if dossier.audience == Audience::Internal {
        notice.push(' ');
        notice.push_str(&lang.t(Msg::DossierPseudonyms));
    }
    let _ = writeln!(m, "#block(fill: luma(240), inset: 8pt, width: 100%, {})\n", lit(&notice));
    let _ = writeln!(
        m,
        "#table(columns: (1fr, 1fr, 1fr), stroke: none, [{}\\ #text(size: 16pt, {})], [{}\\ #text(size: 16pt, {})], [{}\\ #text(size: 16pt, {})])\n",
        t(&lang.t(Msg::DossierCountClaims)),
        lit(&lang.number(dossier.claims.len() as u64)),
        t(&lang.t(Msg::DossierCountExhibits)),
        lit(&lang.number(dossier.exhibits.len() as u64)),
        t(&lang.t(Msg::DossierCountHeld)),
        lit(&lang.number(dossier.testimonies_left_out as u64)),
    );
    let _ = writeln!(m, "#outline(title: {}, depth: 1)\n#pagebreak()", lit(&lang.t(Msg::DossierContents)));

    // The entity.
    let entity = &dossier.entity;
    let _ = writeln!(m, "= {}", t(&lang.t(Msg::DossierEntity)));
    let _ = writeln!(
        m,
        "*{}* · {}: {}\n",
        t(&entity.caption),
        t(&lang.t(Msg::DossierKind)),
        t(&schema_label(lang, &entity.schema))
    );
    for (heading, rows) in [(Msg::DossierNames, &entity.names), (Msg::DossierIdentifiers, &entity.identifiers)] {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(m, "=== {}", t(&lang.t(heading)));
        let cells: Vec<[String; 2]> = rows.iter().map(|r| [r.value.clone(), lang.number(r.sources as u64)]).collect();
        table(&mut m, &[lang.t(Msg::DossierValue), lang.t(Msg::DossierSources)], "(1fr, auto)", &cells);
    }
    let _ = writeln!(m, "=== {}", t(&lang.t(Msg::DossierMatches)));
    if entity.matches.is_empty() {
        let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierMatchesNone)));
    } else {
        let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierMatchesIntro)));
        let cells: Vec<[String; 5]> = entity
            .matches
            .iter()
            .map(|found| {
                [
                    format!(
                        "{}{}",
                        found.list,
                        found.list_version.as_deref().map(|v| format!(" ({v})")).unwrap_or_default()
                    ),
                    found.list_entry.clone(),
                    found.matched_name.clone(),
                    lang.decimal(found.score, 2),
                    found.explanation.clone(),
                ]
            })
            .collect();
        let head = [
            lang.t(Msg::DossierMatchList),
            lang.t(Msg::DossierMatchEntry),
            lang.t(Msg::DossierMatchName),
            lang.t(Msg::DossierMatchScore),
            lang.t(Msg::DossierMatchWhy),
        ];
        table(&mut m, &head, "(auto, auto, auto, auto, 1fr)", &cells);
    }

    // Allegations.
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::DossierClaims)), t(&lang.t(Msg::DossierClaimsIntro)));
    if dossier.claims.is_empty() {
        let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierClaimsNone)));
    }
    let mut family_shown = "";
    for claim in &dossier.claims {
        let family = family_word(&claim.code);
        if family != family_shown {
            let _ = writeln!(m, "== {}", t(&lang.tr(Msg::DossierFamily, &[("family", Arg::Text(family))])));
            family_shown = family;
        }
        let mut line = lang.tr(Msg::DossierWitnesses, &[("count", Arg::Count(claim.witnesses as i64))]);
        if claim.single_source() {
            line.push_str(" · ");
            line.push_str(&lang.t(Msg::DossierSingleSource));
        }
        line.push_str(" · ");
        line.push_str(
            &lang.tr(Msg::DossierExhibitsCited, &[("list", Arg::Text(&exhibit_list(lang, &claim.exhibits)))]),
        );
        let _ = writeln!(
            m,
            "#block(stroke: (left: 2pt + {}), inset: (left: 8pt, y: 4pt), width: 100%)[*{}*\\ {}",
            if claim.code.strength == Some(clew_service::analysis::Strength::Strong) {
                "rgb(\"#8c3b1f\")"
            } else {
                "luma(180)"
            },
            t(&format!("{} {}", claim.code.code, code_label(lang, &claim.code))),
            t(&line)
        );
        for quote in &claim.quotes {
            let _ = write!(
                m,
                "\n#quote(block: true)[#text(lang: {}, {})",
                lit(&quote.lang),
                lit(&format!("E-{}: {}", quote.exhibit, quote.text))
            );
            if let Some((translation_lang, translation)) = &quote.translation {
                let _ = write!(
                    m,
                    "\\ #text(size: 8.5pt, lang: {}, {})",
                    lit(translation_lang),
                    lit(&format!("{} ({translation_lang}): {translation}", lang.t(Msg::DossierTranslation)))
                );
            }
            m.push(']');
        }
        m.push_str("]\n");
    }

    // Corroboration.
    let _ = writeln!(m, "= {}", t(&lang.t(Msg::DossierMatrix)));
    let count = dossier.exhibits.len();
    if count > MATRIX_COLUMNS / 2 {
        let _ = writeln!(m, "{}\n", t(&lang.tr(Msg::DossierMatrixTooWide, &[("count", Arg::Count(count as i64))])));
    } else if !dossier.claims.is_empty() {
        let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierMatrixIntro)));
        let _ = write!(m, "#text(size: 7pt, table(columns: {}, [],", count + 2);
        for exhibit in &dossier.exhibits {
            let _ = write!(m, " [{}],", t(&format!("E-{}", exhibit.number)));
        }
        m.push_str(" [Σ],");
        for claim in &dossier.claims {
            let _ = write!(m, " [{}],", t(&claim.code.code));
            for exhibit in &dossier.exhibits {
                m.push_str(if claim.exhibits.binary_search(&exhibit.number).is_ok() { " [●]," } else { " []," });
            }
            let _ = write!(m, " [{}],", claim.exhibits.len());
        }
        m.push_str("))\n");
    }

    // Timeline.
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::DossierTimeline)), t(&lang.t(Msg::DossierTimelineIntro)));
    for bearing in &dossier.legal {
        if let Some(date) = bearing.instrument.date_of_bearing.as_deref() {
            let marker = lang.tr(
                Msg::DossierMarker,
                &[
                    ("date", Arg::Text(&lang.date(date))),
                    ("instrument", Arg::Text(&bearing.instrument.title)),
                    ("reference", Arg::Text(&bearing.instrument.reference)),
                ],
            );
            let _ = writeln!(m, "- {}", t(&marker));
        }
    }
    let cells: Vec<[String; 3]> = dossier
        .timeline
        .iter()
        .map(|y| {
            [
                y.year.to_string(),
                shown_count(lang, y.working, dossier.min_witnesses),
                shown_count(lang, y.permits, dossier.min_witnesses),
            ]
        })
        .collect();
    table(
        &mut m,
        &[lang.t(Msg::DossierYear), lang.t(Msg::DossierWorking), lang.t(Msg::DossierPermits)],
        "(auto, 1fr, 1fr)",
        &cells,
    );

    // Sites.
    let sites_note = if dossier.coarsened { Msg::DossierSitesCoarsened } else { Msg::DossierSitesExact };
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::DossierSites)), t(&lang.t(sites_note)));
    if has_map {
        m.push_str("#image(\"/map.svg\", width: 100%)\n\n");
    }
    let witnesses = |n: usize| lang.tr(Msg::DossierWitnesses, &[("count", Arg::Count(n as i64))]);
    // The places most witnesses worked at; a long tail is left to the HTML (a printed table of hundreds of rows
    // reads as no one's report, and is most of a large dossier's typesetting).
    let mut sites: Vec<&clew_service::dossier::Site> = dossier.sites.iter().collect();
    sites.sort_by(|a, b| b.witnesses.cmp(&a.witnesses).then_with(|| a.label.cmp(&b.label)));
    let cells: Vec<[String; 2]> =
        sites.iter().take(ROWS_PRINTED).map(|s| [s.label.clone(), witnesses(s.witnesses)]).collect();
    table(&mut m, &[lang.t(Msg::DossierPlace), lang.t(Msg::DossierWitness)], "(1fr, auto)", &cells);
    more_in_html(&mut m, lang, sites.len());
    let _ = writeln!(m, "#text(size: 8pt, {})\n", lit(&lang.t(Msg::MapSource)));

    // Network.
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::DossierNetwork)), t(&lang.t(Msg::DossierNetworkIntro)));
    let withheld = lang.t(Msg::DossierWithheld);
    // Each kind of link's strongest (the network is ordered by kind, then witnesses).
    let mut shown_of_kind: std::collections::BTreeMap<_, usize> = std::collections::BTreeMap::new();
    let printed: Vec<&clew_service::dossier::Link> = dossier
        .network
        .iter()
        .filter(|link| {
            let shown = shown_of_kind.entry(link.kind).or_insert(0);
            *shown += 1;
            *shown <= ROWS_PRINTED
        })
        .collect();
    let cells: Vec<[String; 4]> = printed
        .iter()
        .map(|link| {
            [
                link.from.clone().unwrap_or_else(|| withheld.clone()),
                lang.tr(Msg::DossierLink, &[("kind", Arg::Text(link_word(link.kind)))]),
                link.to.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| withheld.clone()),
                witnesses(link.witnesses),
            ]
        })
        .collect();
    if !cells.is_empty() {
        let _ = write!(m, "#table(columns: (1fr, auto, 1fr, auto),");
        for row in &cells {
            for cell in row {
                let _ = write!(m, " [{}],", t(cell));
            }
        }
        m.push_str(")\n");
    }
    if dossier.network.len() > printed.len() {
        let more = dossier.network.len() - printed.len();
        let _ = writeln!(m, "{}\n", t(&lang.tr(Msg::DossierPdfMore, &[("count", Arg::Count(more as i64))])));
    }

    // Wages.
    let _ = writeln!(m, "= {}", t(&lang.t(Msg::DossierLedger)));
    match &dossier.ledger {
        None => {
            let _ = writeln!(
                m,
                "{}\n",
                t(&lang.tr(Msg::DossierLedgerHeld, &[("k", Arg::Count(dossier.min_witnesses as i64))]))
            );
        }
        Some(totals) if totals.spells == 0 => {
            let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierLedgerNone)));
        }
        Some(totals) => {
            let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierLedgerIntro)));
            let mut rows = vec![
                [lang.t(Msg::LedgersConverted), lang.number(totals.spells)],
                [lang.t(Msg::LedgerPromised), lang.usd(totals.promised)],
                [lang.t(Msg::LedgerEmployerPaid), lang.usd(totals.employer_paid)],
            ];
            for (kind, amount) in &totals.deducted {
                let kind = lang.tr(Msg::DeductionKind, &[("kind", Arg::Text(kind))]);
                rows.push([lang.tr(Msg::LedgerDeducted, &[("kind", Arg::Text(&kind))]), lang.usd(*amount)]);
            }
            rows.push([lang.t(Msg::LedgerReceived), lang.usd(totals.received)]);
            rows.push([lang.t(Msg::LedgersOwedOnReturn), lang.usd(totals.owed_on_return)]);
            rows.push([lang.t(Msg::LedgersNeverPaid), lang.usd(totals.never_paid)]);
            if let Some(share) = totals.share_taken() {
                rows.push([lang.t(Msg::LedgersShareTaken), lang.percent(share)]);
            }
            table_of_two(&mut m, &rows);
            let _ = writeln!(m, "== {}", t(&lang.t(Msg::DossierRevenue)));
            match &dossier.revenue {
                None => {
                    let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierRevenueNone)));
                }
                Some(revenue) => {
                    let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierRevenueIntro)));
                    table_of_two(&mut m, &crate::dossier::revenue_rows(revenue, lang));
                    if revenue.per_month.small_sample {
                        let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierRevenueSmall)));
                    }
                }
            }
        }
    }

    // The law.
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::DossierLegal)), t(&lang.t(Msg::DossierLegalIntro)));
    for bearing in &dossier.legal {
        let instrument = &bearing.instrument;
        let _ = writeln!(m, "== {}", t(&format!("{}, {}", instrument.title, instrument.reference)));
        let _ = writeln!(
            m,
            "{} {}\n",
            t(&lang.tr(Msg::DossierAdopted, &[("date", Arg::Text(&lang.date(&instrument.date)))])),
            t(&instrument.summary)
        );
        let mut bears = legal_count(lang, bearing.exhibits, dossier.min_witnesses);
        if !bearing.codes.is_empty() {
            bears.push(' ');
            bears.push_str(&lang.tr(Msg::DossierLegalCodes, &[("codes", Arg::Text(&bearing.codes.join(", ")))]));
        }
        let _ = writeln!(m, "{}\n\n#link({})\n", t(&bears), lit(&instrument.source));
    }

    // Held back.
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::DossierHeld)), t(&lang.t(Msg::DossierHeldIntro)));
    if dossier.held_back.is_empty() {
        let _ = writeln!(m, "{}\n", t(&lang.t(Msg::DossierHeldNone)));
    }
    let k = Arg::Count(dossier.min_witnesses as i64);
    for held in &dossier.held_back {
        let count = Arg::Count(held.testimonies as i64);
        let line = match (held.reason, &held.code) {
            (HeldBackReason::Consent, _) => lang.tr(Msg::DossierHeldConsent, &[("count", count)]),
            (HeldBackReason::FewLedgers, _) => lang.tr(Msg::DossierHeldLedger, &[("count", count), ("k", k)]),
            (HeldBackReason::FewLinks, _) => lang.tr(Msg::DossierHeldLinks, &[("count", count), ("k", k)]),
            (HeldBackReason::FewPlaces, _) => lang.tr(Msg::DossierHeldPlaces, &[("count", count), ("k", k)]),
            (HeldBackReason::FewWitnesses, None) => lang.tr(Msg::DossierHeldFewTotal, &[("count", count), ("k", k)]),
            (HeldBackReason::FewWitnesses, Some(code)) => {
                let claim = format!("{} {}", code.code, code_label(lang, code));
                lang.tr(Msg::DossierHeldFew, &[("count", count), ("claim", Arg::Text(&claim)), ("k", k)])
            }
        };
        let _ = writeln!(m, "- {}", t(&line));
    }

    // Exhibits: one short paragraph each, its fields labelled, its hash on a line of its own (a table of thousands
    // of rows is most of a large dossier's typesetting time and memory).
    let _ = writeln!(m, "\n= {}\n{}\n", t(&lang.t(Msg::DossierExhibitList)), t(&lang.t(Msg::DossierExhibitIntro)));
    let no_material = lang.t(Msg::DossierNoMaterial);
    let (period_word, place_word, events_word) =
        (lang.t(Msg::DossierPeriod), lang.t(Msg::DossierPlace), lang.t(Msg::DossierEvents));
    m.push_str("#set par(spacing: 0.5em)\n#text(size: 8pt)[\n");
    for exhibit in &dossier.exhibits {
        let mut parts = Vec::new();
        if let Some(testimony) = &exhibit.testimony {
            parts.push(testimony.to_string());
        }
        if let Some(witness) = &exhibit.witness {
            parts.push(format!("{}: {witness}", lang.t(Msg::DossierWitness)));
        }
        if !exhibit.periods.is_empty() {
            let periods: Vec<String> = exhibit
                .periods
                .iter()
                .map(|(first, last)| format!("{}–{}", lang.date(first), lang.date(last)))
                .collect();
            parts.push(format!("{period_word}: {}", periods.join("; ")));
        }
        if !exhibit.places.is_empty() {
            parts.push(format!("{place_word}: {}", exhibit.places.join("; ")));
        }
        let events: Vec<String> = exhibit.events.iter().map(|e| format!("#{e}")).collect();
        parts.push(format!("{events_word}: {}", events.join(" ")));
        let hash = exhibit.sha256.clone().unwrap_or_else(|| no_material.clone());
        let _ = writeln!(
            m,
            "*{}* · {}\\ SHA-256: {}\n",
            t(&format!("E-{}", exhibit.number)),
            t(&parts.join(" · ")),
            t(&hash)
        );
    }
    m.push_str("]\n#set par(spacing: 1.2em)\n");

    // How it was made.
    let made = &dossier.made_from;
    let _ = writeln!(m, "= {}\n{}\n", t(&lang.t(Msg::DossierMadeFrom)), t(&lang.t(Msg::DossierMadeFromIntro)));
    let mut rows = vec![
        [lang.t(Msg::DossierMadeVersion), format!("clew {}", made.clew)],
        ["engine".to_string(), made.engine.clone()],
        ["rules".to_string(), made.rules.clone()],
        ["taxonomy".to_string(), made.taxonomy.clone()],
        ["legal framework".to_string(), made.framework.clone()],
    ];
    if let Some((seq, time, leaf)) = &made.log_head {
        rows.push(["custody log".to_string(), format!("#{seq} · {time} · {leaf}")]);
    }
    rows.push([
        lang.t(Msg::DossierMadeStatements),
        format!("{} · {}", lang.number(made.statements as u64), made.statements_sha256),
    ]);
    let _ = write!(m, "#text(size: 8pt, table(columns: (auto, 1fr),");
    for [label, value] in &rows {
        let _ = write!(m, " [{}], [{}],", t(label), t(value));
    }
    m.push_str("))\n");
    m
}

/// A table with a header row.
pub(crate) fn table<const N: usize>(m: &mut String, head: &[String], columns: &str, rows: &[[String; N]]) {
    let _ = write!(m, "#table(columns: {columns}, table.header(");
    for cell in head {
        let _ = write!(m, " [*{}*],", t(cell));
    }
    m.push_str("),");
    for row in rows {
        for cell in row {
            let _ = write!(m, " [{}],", t(cell));
        }
    }
    m.push_str(")\n");
}

/// An RFC 3339 time (`2026-12-07T03:56:43Z`) as typst's datetime fields.
fn typst_datetime(time: &str) -> Option<(i32, u8, u8, u8, u8, u8)> {
    let number = |range: std::ops::Range<usize>| time.get(range)?.parse::<u16>().ok();
    Some((
        i32::from(number(0..4)?),
        u8::try_from(number(5..7)?).ok()?,
        u8::try_from(number(8..10)?).ok()?,
        u8::try_from(number(11..13)?).ok()?,
        u8::try_from(number(14..16)?).ok()?,
        u8::try_from(number(17..19)?).ok()?,
    ))
}

/// clew's world: the markup, the map, the fonts; nothing else.
struct DossierWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    map: Option<(FileId, Bytes)>,
    today: Option<Datetime>,
}

fn file_id(path: &str) -> Result<FileId, String> {
    let path = VirtualPath::new(path).map_err(|e| format!("{path}: {e:?}"))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, path)))
}

impl World for DossierWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotFound(PathBuf::new())) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match &self.map {
            Some((map, bytes)) if *map == id => Ok(bytes.clone()),
            _ => Err(FileError::NotFound(PathBuf::new())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn diagnostics(problems: &[SourceDiagnostic]) -> String {
    problems.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")
}

/// The fonts in [`DEFAULT_FONT_DIR`], loaded once for the process (the web application's PDFs); what is
/// missing, when something is.
pub fn system_fonts() -> Result<&'static PdfFonts, String> {
    static FONTS: std::sync::OnceLock<Result<PdfFonts, String>> = std::sync::OnceLock::new();
    FONTS.get_or_init(|| PdfFonts::load(&[PathBuf::from(DEFAULT_FONT_DIR)])).as_ref().map_err(Clone::clone)
}

/// The dossier as PDF/A-2b in `lang`, set in `fonts`; `ident` (the manifest's SHA-256) makes the document's
/// identifier. The same dossier, fonts and identifier give the same bytes.
pub fn render_pdf(dossier: &Dossier, lang: Lang, fonts: &PdfFonts, ident: &str) -> Result<Vec<u8>, String> {
    let map = map_svg(dossier, lang);
    let source = markup(dossier, lang, fonts, map.is_some());
    let time = dossier.made_from.log_head.as_ref().map(|(_, time, _)| time.as_str());
    compile(source, map, fonts, ident, time)
}

/// Typesets `source` (with `map`, an SVG it reads as `/map.svg`) as PDF/A-2b, dated `time` (RFC 3339); `ident`
/// makes the document's identifier. The same input gives the same bytes.
pub(crate) fn compile(
    source: String,
    map: Option<String>,
    fonts: &PdfFonts,
    ident: &str,
    time: Option<&str>,
) -> Result<Vec<u8>, String> {
    let map = match map {
        Some(svg) => Some((file_id("/map.svg")?, Bytes::new(svg.into_bytes()))),
        None => None,
    };
    let today =
        time.and_then(typst_datetime).and_then(|(y, mo, d, h, mi, s)| Datetime::from_ymd_hms(y, mo, d, h, mi, s));
    let world = DossierWorld {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts.fonts)),
        fonts: fonts.fonts.clone(),
        main: Source::new(file_id("/main.typ")?, source),
        map,
        today,
    };
    let document = typst::compile::<typst_layout::PagedDocument>(&world)
        .output
        .map_err(|errors| format!("typesetting failed: {}", diagnostics(&errors)))?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("clew {}", env!("CARGO_PKG_VERSION")))),
        timestamp: today.map(typst_pdf::Timestamp::new_utc),
        standards: typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
            .map_err(|e| format!("PDF/A-2b: {}", e.message()))?,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| format!("writing the PDF failed: {}", diagnostics(&errors)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_from_the_evidence_is_always_a_string_literal() {
        assert_eq!(lit("plain"), "\"plain\"");
        assert_eq!(lit("a \"quote\" \\ #set page() ]["), "\"a \\\"quote\\\" \\\\ #set page() ][\"");
        assert_eq!(lit("line\nnext\u{7}"), "\"line\\nnext\\u{7}\"");
        assert_eq!(typst_datetime("2026-12-07T03:56:43Z"), Some((2026, 12, 7, 3, 56, 43)));
        assert_eq!(typst_datetime("yesterday"), None);
    }
}
