//! Testimonies (with their assessment and wage ledgers), coders' facts, the ledgers page, search, linkage review
//! and the yente-compatible match, through the router.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use clew_service::accounts::Role;

use crate::harness::Harness;

#[tokio::test]
async fn a_coder_filters_testimonies_reads_one_and_corrects_a_fact() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let coder = &sessions[&Role::Coder];
    let all = harness.get("/api/v1/testimonies", Some(coder)).await.json();
    assert_eq!(all["total"], 12, "{all}");
    let sectors = all["facets"].as_array().unwrap().iter().find(|f| f["facet"] == "sector").unwrap().clone();
    let first = &sectors["values"][0];
    let filtered = harness
        .get(&format!("/api/v1/testimonies?sector={}", first["value"].as_str().unwrap()), Some(coder))
        .await
        .json();
    assert_eq!(filtered["total"], first["count"], "the facet count is what the filter gives");
    let page = harness.get(&format!("/testimonies?sector={}", first["value"].as_str().unwrap()), Some(coder)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<select name=\"sector\">"), "filters are plain forms");

    let testimony = harness.get("/testimonies/T-DEMO-000000", Some(coder)).await;
    assert_eq!(testimony.status, StatusCode::OK);
    assert!(
        testimony.body.contains("lang=\"ko\"") && testimony.body.contains("(synthetic testimony)"),
        "original and translation"
    );
    let view = harness.get("/api/v1/testimonies/T-DEMO-000000", Some(coder)).await.json();
    let hours = view["segments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["statements"].as_array().unwrap().clone())
        .find(|s| s["property"] == "hoursPerDay")
        .expect("a coded hours-per-day statement");
    let segment = hours["locator"].as_str().unwrap().trim_start_matches("segment:").to_string();
    let fields = [
        ("segment", segment.as_str()),
        ("entity", hours["entity"].as_str().unwrap()),
        ("property", "hoursPerDay"),
        ("value", "13"),
        ("replaces", hours["id"].as_str().unwrap()),
        ("note", "the witness corrected this later in the interview"),
    ];
    // A viewer may not; nothing is written.
    let refused = harness.post_form("/testimonies/T-DEMO-000000/facts", Some(&sessions[&Role::Viewer]), &fields).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let events_before = harness.get("/api/v1/log?limit=1", Some(coder)).await.json()["events"][0]["seq"].clone();
    // A bad value is told, in the reader's language, and nothing is written.
    let mut bad = fields;
    bad[3] = ("value", "thirteen");
    let told =
        harness.post_form("/testimonies/T-DEMO-000000/facts", Some(&format!("{coder}; clew_lang=ru")), &bad).await;
    assert!(told.status.is_client_error(), "{}", told.status);
    assert!(told.body.contains("lang=\"ru\""), "{}", told.body);
    assert!(told.body.contains("<dt>Значение</dt>"), "the problem is put at its field, in Russian: {}", told.body);
    // Several problems at once, each at its field; still nothing written.
    let mut worse = bad;
    worse[0] = ("segment", "no-such-segment");
    worse[4] = ("replaces", "0000000000000000000000000000dead");
    let told =
        harness.post_form("/testimonies/T-DEMO-000000/facts", Some(&format!("{coder}; clew_lang=ko")), &worse).await;
    for label in ["<dt>구간</dt>", "<dt>대체하는 사실</dt>", "<dt>값</dt>"] {
        assert!(told.body.contains(label), "{label} in {}", told.body);
    }
    assert_eq!(harness.get("/api/v1/log?limit=1", Some(coder)).await.json()["events"][0]["seq"], events_before);

    let added = harness.post_form("/testimonies/T-DEMO-000000/facts", Some(coder), &fields).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(added.location(), format!("/testimonies/T-DEMO-000000#segment-{segment}"));
    let view = harness.get("/api/v1/testimonies/T-DEMO-000000", Some(coder)).await.json();
    let statements: Vec<serde_json::Value> =
        view["segments"].as_array().unwrap().iter().flat_map(|s| s["statements"].as_array().unwrap().clone()).collect();
    let old = statements.iter().find(|s| s["id"] == hours["id"]).unwrap();
    assert_eq!(old["status"], "superseded", "{old}");
    let new = statements.iter().find(|s| s["property"] == "hoursPerDay" && s["value"] == "13").unwrap();
    assert_eq!((new["recorded_by"].as_str(), new["status"].as_str()), (Some("demo-coder"), Some("active")));
    let log = harness.get("/api/v1/log?limit=1", Some(coder)).await.json();
    assert_eq!(log["events"][0]["kind"], "fact-add");
    assert!(
        !log["events"][0]["detail"].as_str().unwrap().contains("witness corrected"),
        "the note stays out of the log"
    );
}

#[tokio::test]
async fn an_analyst_sees_no_witness_words_beyond_the_ceiling_and_a_viewer_none() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let analyst = harness.get("/api/v1/testimonies/T-DEMO-000000", Some(&sessions[&Role::Analyst])).await.json();
    assert!(analyst["segments"][0]["words"].is_object(), "an analyst reads the witness's words (internal)");
    assert!(
        analyst["segments"].as_array().unwrap().iter().all(|s| s["statements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|st| st["sensitivity"] != "restricted"))
    );
    let viewer = harness.get("/api/v1/testimonies/T-DEMO-000000", Some(&sessions[&Role::Viewer])).await.json();
    assert!(viewer["segments"].as_array().unwrap().iter().all(|s| s["words"].is_null()), "{viewer}");
    let page = harness.get("/testimonies/T-DEMO-000000", Some(&sessions[&Role::Viewer])).await;
    assert!(page.body.contains("not shown to your role"));
}

#[tokio::test]
async fn search_finds_names_and_says_why() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let analyst = &sessions[&Role::Analyst];
    let found = harness
        .get(
            "/api/v1/search?q=%D0%A1%D0%B5%D0%B2%D0%B5%D1%80%D0%BD%D1%8B%D0%B9+%D0%9C%D0%BE%D1%81%D1%82",
            Some(analyst),
        )
        .await
        .json();
    let hits = found["hits"].as_array().unwrap();
    assert!(hits.iter().any(|h| h["entity"] == "demo.company.0000"), "{found}");
    assert!(hits.iter().all(|h| !h["explanation"].as_str().unwrap().is_empty()));
    let page = harness.get("/search?q=Severny+Most", Some(analyst)).await;
    assert!(page.body.contains("href=\"/entities/demo.company.0000\""), "{}", page.body);
    let too_long = harness.get(&format!("/api/v1/search?q={}", "a".repeat(300)), Some(analyst)).await;
    assert_eq!(too_long.json()["code"], "usage");
    let empty = harness.get("/api/v1/search?q=+", Some(analyst)).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.json()["code"], "usage", "an empty query is told, not answered with null");
    assert_eq!(harness.get("/search?q=", Some(analyst)).await.status, StatusCode::OK, "the page shows its form");
    let viewer = harness.get("/api/v1/search?q=Severny+Most", Some(&sessions[&Role::Viewer])).await.json();
    assert!(viewer["hits"].as_array().unwrap().is_empty(), "internal names are not found by a viewer");
}

#[tokio::test]
async fn a_reviewer_judges_a_pair_from_the_queue() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let analyst = &sessions[&Role::Coder];
    let queue = harness.get("/api/v1/review?schema=Person", Some(analyst)).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    let page = harness.get("/review", Some(analyst)).await;
    assert_eq!(page.status, StatusCode::OK);
    let people = harness.get("/api/v1/entities?schema=Person&limit=2", Some(analyst)).await.json();
    let (a, b) = (people["entities"][0]["id"].as_str().unwrap(), people["entities"][1]["id"].as_str().unwrap());
    let judged = harness
        .post_form("/review", Some(analyst), &[("a", a), ("b", b), ("verdict", "different"), ("schema", "Person")])
        .await;
    assert_eq!((judged.status, judged.location()), (StatusCode::SEE_OTHER, "/review?schema=Person"), "{}", judged.body);
    let log = harness.get("/api/v1/log?limit=1", Some(analyst)).await.json();
    assert_eq!(log["events"][0]["recorded_by"], "demo-coder");
    let wrong = harness.post_form("/review", Some(analyst), &[("a", a), ("b", b), ("verdict", "maybe")]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("verdict"), "{}", wrong.body);
    let viewer =
        harness.post_form("/review", Some(&sessions[&Role::Viewer]), &[("a", a), ("b", b), ("verdict", "same")]).await;
    assert_eq!(viewer.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn match_answers_yentes_request_against_the_kept_lists() {
    let harness = Harness::new();
    let service = clew_service::Service::open(&harness.service_dir).unwrap();
    let admin = clew_service::Actor::new("demo-admin").unwrap();
    let un = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../clew-screen/test_data/lists/un_sc_consolidated_2024-09-26.xml");
    service.import_list(&admin, &clew_service::ListFile::read(&un, None).unwrap()).unwrap();
    let token = service.create_token(&admin, "demo-analyst", "a yente client").unwrap();
    harness.sessions().await;
    // The request body of yente's documentation (https://www.opensanctions.org/docs/api/matching/), with a
    // listed entity's name.
    let body = serde_json::json!({"queries": {
        "q1": {"schema": "Company", "properties": {"name": ["Changgwang Sinyong Corporation"], "jurisdiction": ["kp"]}},
        "q2": {"schema": "Person", "properties": {"name": ["A Person Who Is Not Listed Anywhere"]}}
    }});
    let request = |path: &str, body: String| {
        Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", token.as_str()))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let reply = harness.send(request("/match/default?limit=3&exclude_schema=Vessel", body.to_string())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    let best = &json["responses"]["q1"]["results"][0];
    assert_eq!((best["id"].as_str(), best["match"].as_bool()), (Some("un-KPe.001"), Some(true)), "{json}");
    assert_eq!(json["responses"]["q2"]["results"].as_array().unwrap().iter().filter(|r| r["match"] == true).count(), 0);
    let unknown = harness.send(request("/match/nothing", body.to_string())).await;
    assert_eq!((unknown.status, unknown.json()["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let malformed = harness.send(request("/match/default", "{\"queries\": [".into())).await;
    assert_eq!((malformed.status, malformed.json()["code"].as_str()), (StatusCode::BAD_REQUEST, Some("usage")));
    let huge = harness
        .send(request("/match/default", format!("{{\"queries\": {{}}, \"pad\": \"{}\"}}", "x".repeat(2 << 20))))
        .await;
    assert_eq!((huge.status, huge.json()["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large")));
}

#[tokio::test]
async fn the_dashboard_charts_the_assessment_and_every_role_reads_the_estimates_kept() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let analyst = &sessions[&Role::Analyst];
    let viewer = &sessions[&Role::Viewer];
    // The counts charted are the service's own assessment of every testimony.
    let service = clew_service::Service::open(&harness.service_dir).unwrap();
    let overview = service.assessment_overview().unwrap();
    let dashboard = harness.get("/api/v1/dashboard", Some(analyst)).await.json();
    let assessment = &dashboard["assessment"];
    assert_eq!(assessment["spells"], overview.value.spells, "{assessment}");
    let forced = overview.value.icls.get("FL").copied().unwrap_or(0);
    assert!(forced > 0, "the demo has forced-labour spells");
    assert_eq!(assessment["icls"][0], serde_json::json!(["FL", forced]));
    let threats = overview.value.codes.get("IND06").copied().unwrap_or(0);
    assert_eq!(assessment["indicators"][5], serde_json::json!(["IND06", threats]));
    let page = harness.get("/", Some(&format!("{analyst}; clew_lang=ko"))).await;
    assert!(page.body.contains("<svg class=\"chart\""), "{}", page.body);
    assert!(page.body.contains("협박과 위협"), "indicators in the reader's language");
    let share = format!("{:.1}%", forced as f64 * 100.0 / overview.value.spells as f64);
    assert!(page.body.contains(&share), "the forced-labour share {share} is written beside its bar");
    // A viewer reads no counts made from restricted facts, but does read the estimates.
    let seen = harness.get("/api/v1/dashboard", Some(viewer)).await.json();
    assert!(seen["assessment"].is_null(), "{seen}");
    let latest = seen["latest_estimates"].as_array().unwrap();
    assert_eq!(latest.len(), 2, "the demo keeps a population and a revenue estimate: {seen}");
    assert_eq!(latest[0]["kind"], "population");
    assert_eq!(latest[0]["synthetic"], true);

    let kept = service.kept_estimates().unwrap();
    let listed = harness.get("/api/v1/estimates", Some(viewer)).await.json();
    assert_eq!(listed["estimates"].as_array().unwrap().len(), kept.len());
    let population = kept.iter().find(|e| e.kind == clew_service::estimate::EstimateKind::Population).unwrap();
    let page = harness.get("/estimates", Some(&format!("{viewer}; clew_lang=ru"))).await;
    assert_eq!(page.status, StatusCode::OK);
    let aic = population.headline.iter().find(|f| f.label == "aic").unwrap();
    let figure = (aic.estimate.round() as u64).to_string();
    let grouped = format!("{}\u{a0}{}", &figure[..figure.len() - 3], &figure[figure.len() - 3..]);
    assert!(page.body.contains(&grouped), "the estimate {grouped}, written the Russian way: {}", page.body);
    assert!(page.body.contains("СИНТЕТИЧЕСКИЕ ДАННЫЕ"), "the fictional estimate says so");
    let chart = harness.get(&format!("/estimates/{}/chart.svg", population.number), Some(viewer)).await;
    assert_eq!(chart.status, StatusCode::OK);
    assert!(chart.body.starts_with("<svg") && chart.body.contains("SYNTHETIC"), "{}", &chart.body[..80]);
    let one = harness.get(&format!("/api/v1/estimates/{}", population.number), Some(viewer)).await.json();
    assert_eq!(one["report"]["format"], "clew-population-v1");
    assert_eq!(harness.get("/estimates/999/chart.svg", Some(viewer)).await.status, StatusCode::NOT_FOUND);
}

/// A demo testimony with a work spell the built-in rules find to be forced labour, through a finding that
/// cites a segment, and with what the employer paid coded: found through the service, not by guessing ids.
fn forced_labour_testimony(
    service: &clew_service::Service,
) -> (clew_model::SourceId, clew_service::analysis::TestimonyAnalysis) {
    use clew_model::Sensitivity;
    use clew_service::analysis::Outcome;
    let all = clew_service::browse::TestimonyFilter::default();
    let page = service.testimonies(&all, Sensitivity::Restricted, None, 200).unwrap();
    page.testimonies
        .iter()
        .find_map(|testimony| {
            let analysis = service.testimony_analysis(&testimony.id, Sensitivity::Restricted).unwrap();
            let forced = analysis.assessment.as_ref()?.spells.iter().any(|spell| {
                spell.icls == Outcome::ForcedLabour
                    && spell.findings.iter().any(|f| f.evidence.iter().any(|e| e.locator.starts_with("segment:")))
            });
            let paid = analysis.ledgers.iter().any(|l| l.employer_paid.as_ref().is_some_and(|p| p.usd.is_some()));
            (forced && paid).then(|| (testimony.id.clone(), analysis))
        })
        .expect("a demo testimony with forced labour and a wage")
}

#[tokio::test]
async fn a_testimony_page_explains_its_assessment_and_ledger_within_the_readers_ceiling() {
    use clew_server::i18n::Lang;
    use clew_service::analysis::Outcome;
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let service = clew_service::Service::open(&harness.service_dir).unwrap();
    let (id, analysis) = forced_labour_testimony(&service);
    let assessment = analysis.assessment.as_ref().unwrap();
    let spell = assessment.spells.iter().find(|s| s.icls == Outcome::ForcedLabour).unwrap();
    let finding = spell.findings.iter().find(|f| f.evidence.iter().any(|e| e.locator.starts_with("segment:"))).unwrap();
    let fact = finding.evidence.iter().find(|e| e.locator.starts_with("segment:")).unwrap();
    let segment = fact.locator.trim_start_matches("segment:").split('#').next().unwrap();
    let code = &finding.codes[0];
    let ledger = analysis.ledgers.iter().find(|l| l.employer_paid.as_ref().is_some_and(|p| p.usd.is_some())).unwrap();
    let paid = ledger.employer_paid.as_ref().unwrap();

    let coder = &sessions[&Role::Coder];
    let page = harness.get(&format!("/testimonies/{id}"), Some(coder)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    // The outcome, side by side with ILO 2012's, and the indicator with its name and weight.
    assert!(body.contains("id=\"assessment\"") && body.contains("<strong>FL</strong> forced labour"), "{body}");
    assert!(body.contains(&format!("<strong>{}</strong>", spell.ilo_2012.code())));
    assert!(body.contains(&format!("<strong>{code}</strong> {}", analysis.codes[code].label)), "{body}");
    assert!(body.contains(&finding.summary), "the rule's own words");
    // The finding links to the segment and the statement it cites, both on the page.
    assert!(
        body.contains(&format!("href=\"#segment-{segment}\"")) && body.contains(&format!("id=\"segment-{segment}\""))
    );
    assert!(
        body.contains(&format!("href=\"#st-{}\"", fact.statement))
            && body.contains(&format!("id=\"st-{}\"", fact.statement))
    );
    // The ledger: what the employer paid, as stated and in US dollars, in the reader's language.
    assert!(body.contains(&Lang::En.money(paid.amount, &paid.currency)), "{body}");
    assert!(body.contains(&Lang::En.usd(paid.usd.unwrap())));
    let russian = harness.get(&format!("/testimonies/{id}"), Some(&format!("{coder}; clew_lang=ru"))).await;
    assert!(russian.body.contains(&Lang::Ru.money(paid.amount, &paid.currency)), "{}", russian.body);
    assert!(russian.body.contains("принудительный труд"));
    // The JSON twin carries the same, beside the testimony's own view.
    let json = harness.get(&format!("/api/v1/testimonies/{id}"), Some(coder)).await.json();
    assert!(json["segments"].is_array(), "{json}");
    let spells = json["analysis"]["assessment"]["spells"].as_array().unwrap();
    assert!(spells.iter().any(|s| s["icls"] == "FL" && s["spell"] == spell.spell.as_ref().unwrap().as_str()));
    assert_eq!(json["analysis"]["codes"][code]["label"], analysis.codes[code].label.as_str());
    let ledgers = json["analysis"]["ledgers"].as_array().unwrap();
    assert!(ledgers.iter().any(|l| l["employer_paid"]["amount"].as_f64() == Some(paid.amount)));

    // A viewer reads public facts only: no outcome, finding or wage made from the restricted ones.
    let viewer = &sessions[&Role::Viewer];
    let page = harness.get(&format!("/testimonies/{id}"), Some(viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No work spell your role may read"), "{}", page.body);
    assert!(!page.body.contains("<strong>FL</strong>") && !page.body.contains(&format!("<strong>{code}</strong>")));
    assert!(!page.body.contains(&Lang::En.money(paid.amount, &paid.currency)));
    assert!(!page.body.contains(&format!("href=\"#st-{}\"", fact.statement)));
    let json = harness.get(&format!("/api/v1/testimonies/{id}"), Some(viewer)).await.json();
    assert_eq!(json["analysis"]["assessment"]["spells"], serde_json::json!([]), "{json}");
    assert_eq!(
        (json["analysis"]["ledgers"].clone(), json["analysis"]["codes"].clone()),
        (serde_json::json!([]), serde_json::json!({}))
    );
}

#[tokio::test]
async fn the_ledgers_page_sums_what_the_service_sums_under_the_readers_ceiling() {
    use clew_server::i18n::Lang;
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let service = clew_service::Service::open(&harness.service_dir).unwrap();
    let rates = service.rates(None).unwrap().rates;
    let expected = service.ledger_summary(&rates).unwrap();
    let usd = &expected.value.usd;
    assert!(expected.synthetic && usd.employer_paid > 0.0, "{usd:?}");

    let admin = &sessions[&Role::Admin];
    let json = harness.get("/api/v1/ledgers", Some(admin)).await.json();
    assert_eq!(json["synthetic"], true);
    assert_eq!(json["summary"]["spells"], expected.value.spells, "{json}");
    assert_eq!(json["summary"]["flagged"], expected.value.flagged);
    for (field, value) in [("employer_paid", usd.employer_paid), ("received", usd.received), ("promised", usd.promised)]
    {
        assert!((json["summary"]["usd"][field].as_f64().unwrap() - value).abs() < 1e-6, "{field}: {json}");
    }
    let share = usd.share_taken().unwrap();
    assert!((json["share_taken"].as_f64().unwrap() - share).abs() < 1e-9);

    let page = harness.get("/ledgers", Some(admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains(&Lang::En.usd(usd.employer_paid)) && body.contains(&Lang::En.percent(share)), "{body}");
    for (kind, value) in &usd.deducted {
        assert!(body.contains(&Lang::En.usd(*value)), "{kind}");
    }
    assert!(body.contains("<svg") && body.contains("SYNTHETIC") && !body.contains("<script"), "{body}");
    assert!(body.contains("href=\"/ledgers\""), "in the navigation");
    let korean = harness.get("/ledgers", Some(&format!("{admin}; clew_lang=ko"))).await;
    assert!(korean.body.contains(&Lang::Ko.usd(usd.employer_paid)) && korean.body.contains("가상 데이터"));

    // A viewer's summary is made from public facts only: wages are not, so nothing is summed for them.
    let viewer = &sessions[&Role::Viewer];
    let json = harness.get("/api/v1/ledgers", Some(viewer)).await.json();
    assert_eq!(
        (json["summary"]["spells"].as_u64(), json["summary"]["usd"]["employer_paid"].as_f64()),
        (Some(0), Some(0.0))
    );
    let page = harness.get("/ledgers", Some(viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("href=\"/ledgers\"") && !page.body.contains(&Lang::En.usd(usd.employer_paid)));
}

#[tokio::test]
async fn a_testimony_withdrawn_from_every_use_says_it_is_not_analysed() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    // The repository's synthetic example, its witness having withdrawn consent to every use.
    let example = include_str!("../../../../docs/examples/testimony-synthetic.yaml")
        .replace("retention_until: 2035-03", "retention_until: 2035-03\n  withdrawal: {date: 2025-06, scope: all}");
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("withdrawn.yaml");
    std::fs::write(&path, example).unwrap();
    let service = clew_service::Service::open(&harness.service_dir).unwrap();
    let inputs = clew_service::intake::Inputs::expand(&[path.display().to_string()]).unwrap();
    let actor = clew_service::Actor::new("demo-coder").unwrap();
    let format = clew_service::intake::ImportFormat::Testimony;
    assert!(service.import(&actor, &inputs, &format, false, &mut |_| {}).unwrap().committed);

    let coder = &sessions[&Role::Coder];
    let page = harness.get("/testimonies/T-EXAMPLE-0001", Some(coder)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("this testimony is not analysed") && !page.body.contains("id=\"ledger\""),
        "{}",
        page.body
    );
    let json = harness.get("/api/v1/testimonies/T-EXAMPLE-0001", Some(coder)).await.json();
    assert_eq!((json["analysis"]["withdrawn"].as_bool(), json["analysis"]["assessment"].is_null()), (Some(true), true));
}
