//! The dossier as PDF/A-2b: typeset from the same dossier as the HTML, byte for byte the same when made again
//! from the same evidence, its text (read back with pdftotext, Debian's poppler-utils) holding every exhibit's
//! hash, and its first pages rendered to PNG (pdftoppm) and kept as test artefacts.

use std::path::{Path, PathBuf};
use std::process::Command;

use clew_server::dossier_pdf::{DEFAULT_FONT_DIR, PdfFonts, render_pdf};
use clew_server::i18n::Lang;
use clew_service::Service;
use clew_service::brief::BriefRequest;
use clew_service::dossier::{Audience, DossierRequest};

/// Where the rendered pages are kept (beside the browser tests' screenshots).
fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/dossier-artefacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tool(name: &str, args: &[&str]) -> std::process::Output {
    let run = Command::new(name).args(args).output();
    let run = run.unwrap_or_else(|e| panic!("{name} is needed (Debian poppler-utils; .ci/run installs it): {e}"));
    assert!(run.status.success(), "{name}: {}", String::from_utf8_lossy(&run.stderr));
    run
}

#[test]
fn a_dossier_and_a_brief_pdf_are_the_same_bytes_for_the_same_evidence_and_hold_their_figures() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("demo");
    clew_service::demo::build_demo(&project, 600, 11, &mut |_| {}).unwrap();
    let service = Service::open(&project).unwrap();
    let fonts = PdfFonts::load(&[PathBuf::from(DEFAULT_FONT_DIR)]).unwrap();
    let entity = clew_model::EntityId::new("demo.company.0000").unwrap();
    for (audience, lang, heading) in [
        (Audience::Un, Lang::En, "Exhibits"),
        (Audience::Internal, Lang::Ko, "증거물 목록"),
        (Audience::Monitors, Lang::Ru, "Доказательства"),
    ] {
        let request = DossierRequest { entity: entity.clone(), audience, min_witnesses: 5 };
        let dossier = service.dossier(&request).unwrap();
        let ident = format!("test-{}", audience.as_str());
        let pdf = render_pdf(&dossier, lang, &fonts, &ident).unwrap();
        let again = render_pdf(&service.dossier(&request).unwrap(), lang, &fonts, &ident).unwrap();
        assert!(pdf == again, "{audience:?}: the same evidence gave different PDFs");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("pdfaid:part") && text.contains("pdfaid:conformance"), "{audience:?}: no PDF/A mark");

        let name = format!("dossier-{}-{}", audience.as_str(), lang.tag());
        let file = artefacts().join(format!("{name}.pdf"));
        std::fs::write(&file, &pdf).unwrap();
        let words = String::from_utf8(tool("pdftotext", &["-layout", file.to_str().unwrap(), "-"]).stdout).unwrap();
        assert!(!dossier.exhibits.is_empty(), "{audience:?}");
        for exhibit in &dossier.exhibits {
            if let Some(hash) = &exhibit.sha256 {
                assert!(
                    words.contains(hash.as_str()),
                    "{audience:?}: E-{} hash {hash} is not in the PDF's text",
                    exhibit.number
                );
            }
        }
        assert!(words.contains(heading), "{audience:?}: {heading}");
        assert!(words.contains(&dossier.entity.caption), "{audience:?}");
        // Long tables (sites, each kind of link) print their 40 strongest rows and say the rest are in the HTML.
        let mut of_kind = std::collections::BTreeMap::new();
        for link in &dossier.network {
            *of_kind.entry(link.kind).or_insert(0usize) += 1;
        }
        let long = dossier.sites.len() > 40 || of_kind.values().any(|n| *n > 40);
        assert_eq!(
            words.contains("dossier.html"),
            long,
            "{audience:?}: {} sites, links {of_kind:?}",
            dossier.sites.len()
        );

        assert_eq!(words.contains("W-DEMO-"), audience == Audience::Internal, "{audience:?}: pseudonyms");
        assert!(!words.contains("SYNTHETIC-PROTECTED"));
        let prefix = artefacts().join(&name);
        tool("pdftoppm", &["-png", "-r", "60", "-f", "1", "-l", "3", file.to_str().unwrap(), prefix.to_str().unwrap()]);
    }

    // The team's dossier on a dispatching body has a long network: its PDF prints each kind's strongest links.
    let body = clew_model::EntityId::new("demo.dprk-entity.001").unwrap();
    let dossier =
        service.dossier(&DossierRequest { entity: body, audience: Audience::Internal, min_witnesses: 5 }).unwrap();
    let minded = dossier.network.iter().filter(|l| l.kind == clew_service::dossier::LinkKind::Minded).count();
    assert!(minded > 40, "{minded}");
    let file = artefacts().join("dossier-internal-body.pdf");
    std::fs::write(&file, render_pdf(&dossier, Lang::En, &fonts, "test-body").unwrap()).unwrap();
    let words = String::from_utf8(tool("pdftotext", &[file.to_str().unwrap(), "-"]).stdout).unwrap();
    assert!(
        words.contains("more rows, each with fewer witnesses, are in dossier.html"),
        "the tail is said to be in the HTML"
    );

    // The sanctions brief, from the same project: the same bytes again, its counts in its text.
    for (audience, lang, heading) in
        [(Audience::Monitors, Lang::En, "Permits by declared purpose"), (Audience::Un, Lang::Ko, "신고된 목적별 허가")]
    {
        let request = BriefRequest { audience, min_witnesses: 5, since: None };
        let brief = service.brief(&request).unwrap();
        let pdf = clew_server::brief::render_pdf(&brief, lang, &fonts, "test-brief").unwrap();
        let again =
            clew_server::brief::render_pdf(&service.brief(&request).unwrap(), lang, &fonts, "test-brief").unwrap();
        assert!(pdf == again, "{audience:?}: the same evidence gave different briefs");
        let name = format!("brief-{}-{}", audience.as_str(), lang.tag());
        let file = artefacts().join(format!("{name}.pdf"));
        std::fs::write(&file, &pdf).unwrap();
        let words = String::from_utf8(tool("pdftotext", &["-layout", file.to_str().unwrap(), "-"]).stdout).unwrap();
        assert!(words.contains(heading), "{audience:?}: {heading}");
        let witnesses = brief.after_deadline.witnesses.unwrap();
        assert!(witnesses > 0 && words.contains(&witnesses.to_string()), "{audience:?}");
        let body = &brief.bodies[0];
        let start: String = body.name.chars().take(12).collect();
        assert!(words.contains(&start), "{audience:?}: {}", body.name);
        assert!(!words.contains("W-DEMO-") && !words.contains("T-DEMO-"), "{audience:?}");
        let prefix = artefacts().join(&name);
        tool("pdftoppm", &["-png", "-r", "60", "-f", "1", "-l", "2", file.to_str().unwrap(), prefix.to_str().unwrap()]);
    }
}

#[test]
fn a_missing_font_is_named_never_replaced() {
    let empty = tempfile::tempdir().unwrap();
    let error = PdfFonts::load(&[empty.path().to_path_buf()]).unwrap_err();
    assert!(error.contains("Latin and Cyrillic") && error.contains("Noto Serif"), "{error}");
}
