//! Testimonies (with their assessment and wage ledgers), coders' facts, the ledgers page, entity pages
//! (relations, sanctions matches), search, linkage review and the yente-compatible match, through the router.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use clew_model::{EntityId, Sensitivity};
use clew_service::accounts::Role;
use clew_service::entities::Schemata;

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
    assert!(told.body.contains("Это значение не подходит для"), "and said in Russian: {}", told.body);
    // Several problems at once, each at its field; still nothing written.
    let mut worse = bad;
    worse[0] = ("segment", "no-such-segment");
    worse[4] = ("replaces", "0000000000000000000000000000dead");
    let told =
        harness.post_form("/testimonies/T-DEMO-000000/facts", Some(&format!("{coder}; clew_lang=ko")), &worse).await;
    for label in ["<dt>구간</dt>", "<dt>대체하는 사실</dt>", "<dt>값</dt>"] {
        assert!(told.body.contains(label), "{label} in {}", told.body);
    }
    assert!(told.body.contains("이 증언에는 no-such-segment 구간이 없습니다"), "said in Korean: {}", told.body);
    assert!(!told.body.contains("has no segment"), "not in English: {}", told.body);
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
    // One entity twice: told in the reader's language, nothing written.
    let twice = harness
        .post_form("/review", Some(&format!("{analyst}; clew_lang=ru")), &[("a", a), ("b", a), ("verdict", "same")])
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    assert!(twice.body.contains(&format!("Вы выбрали {a} дважды")), "{}", twice.body);
    assert_eq!(
        harness.get("/api/v1/log?limit=1", Some(analyst)).await.json()["events"][0]["seq"],
        log["events"][0]["seq"]
    );
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
    let page = harness.get("/", Some(viewer)).await;
    let chart = format!("<img src=\"/estimates/{}/chart.svg\"", latest[0]["number"]);
    assert!(page.body.contains(&chart), "the latest estimates are charted on the dashboard: {}", page.body);

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

/// The drawing of an entity page's relations (its inline SVG).
fn drawing(body: &str) -> &str {
    let start = body.find("<svg").expect("the page draws its relations");
    let end = body[start..].find("</svg>").expect("the drawing ends") + start;
    &body[start..end]
}

/// The ids of the relations of an entity page's JSON twin.
fn related(view: &serde_json::Value) -> Vec<String> {
    view["relations"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

/// Text as maud writes it into a page.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Statements of a SYNTHETIC source written straight to the store: the demo has no public statement (and takes
/// no FtM file), and this test needs some, each at the sensitivity it names.
fn write_synthetic(service: &clew_service::Service, facts: &[(&str, &str, &str, &str, Sensitivity)]) {
    let source = clew_model::SourceId::new("synthetic:entity-page-test").unwrap();
    let batch = clew_store::Batch {
        recorded_by: "demo-admin".into(),
        recorded_at: "2026-01-01T00:00:00Z".into(),
        operation: "test".into(),
    };
    let mut tx = service.project().store().write(&batch).unwrap();
    let draft = clew_store::SourceDraft {
        id: source.clone(),
        kind: clew_model::SourceKind::FtmFile,
        title: "SYNTHETIC entities of the entity page test".into(),
        content_hash: "0".repeat(64),
        synthetic: true,
        withdrawn: None,
    };
    tx.put_source(&draft).unwrap();
    let statements: Vec<clew_model::Statement> = facts
        .iter()
        .map(|(entity, schema, property, value, sensitivity)| {
            let claim = clew_model::Claim {
                entity_id: EntityId::new(entity).unwrap(),
                schema,
                property,
                value: value.to_string(),
                source_id: &source,
                locator: "field:test".into(),
                generation: 1,
            };
            clew_model::Statement::new(claim, "demo-admin", "2026-01-01T00:00:00Z", 1.0, *sensitivity)
        })
        .collect();
    tx.put_statements(&statements).unwrap();
    tx.commit().unwrap();
}

#[tokio::test]
async fn an_entity_page_draws_its_relations_both_ways_as_links() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let (coder, analyst) = (&sessions[&Role::Coder], &sessions[&Role::Analyst]);
    // From the demo: a worksite and the company operating it; an employment at that company and its employee.
    let service = clew_service::Service::open(&harness.service_dir).unwrap();
    let schemata = |name: &str| Schemata::named(&[name.to_string()]).unwrap();
    let values = |id: &EntityId, property: &str| -> Vec<String> {
        let view = service.entity(id, false, Sensitivity::Restricted).unwrap();
        view.entity.as_ref().unwrap().values(property).into_iter().map(String::from).collect()
    };
    let site = service.entities(&schemata("Worksite"), None, 100).unwrap()[0].id.clone();
    let company = values(&site, "operator")[0].clone();
    let (job, employee) = service
        .entities(&schemata("Employment"), None, 200)
        .unwrap()
        .into_iter()
        .find_map(|row| {
            (values(&row.id, "employer").first() == Some(&company))
                .then(|| (row.id.to_string(), values(&row.id, "employee")[0].clone()))
        })
        .expect("an employment at the company");

    let page = harness.get(&format!("/entities/{company}"), Some(coder)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let svg = drawing(&page.body);
    for id in [site.as_str(), &employee, &job] {
        assert!(svg.contains(&format!("href=\"/entities/{id}\"")), "{id} is a link in the drawing: {svg}");
    }
    assert!(svg.contains("sans-serif") && !page.body.contains("<script"));
    let view = harness.get(&format!("/api/v1/entities/{company}"), Some(coder)).await.json();
    let relations = view["relations"].as_array().unwrap();
    let worksite = relations.iter().find(|r| r["id"] == site.as_str()).expect("its worksite");
    assert_eq!((worksite["direction"].as_str(), worksite["property"].as_str()), (Some("incoming"), Some("operator")));
    let worker = relations.iter().find(|r| r["id"] == employee.as_str()).expect("its employee, through the employment");
    assert_eq!(
        (worker["direction"].as_str(), worker["via"]["id"].as_str(), worker["via"]["schema"].as_str()),
        (Some("incoming"), Some(job.as_str()), Some("Employment")),
        "{worker}"
    );
    assert!(view["relations_total"].as_u64().unwrap() >= 2);

    // The other way: the worksite's page links to the company it names.
    let page = harness.get(&format!("/entities/{site}"), Some(coder)).await;
    assert!(drawing(&page.body).contains(&format!("href=\"/entities/{company}\"")), "{}", page.body);
    let view = harness.get(&format!("/api/v1/entities/{site}"), Some(coder)).await.json();
    let operator = view["relations"].as_array().unwrap().iter().find(|r| r["id"] == company.as_str()).unwrap().clone();
    assert_eq!((operator["direction"].as_str(), operator["property"].as_str()), (Some("outgoing"), Some("operator")));

    // The demo codes who employs whom as restricted: an analyst sees the company's worksites, not its workers.
    let view = harness.get(&format!("/api/v1/entities/{company}"), Some(analyst)).await.json();
    let ids = related(&view);
    assert!(ids.contains(&site.to_string()), "{view}");
    assert!(!ids.contains(&employee) && !ids.contains(&job), "{view}");
    let page = harness.get(&format!("/entities/{company}"), Some(analyst)).await;
    assert!(!page.body.contains(&format!("/entities/{job}")) && !page.body.contains(&format!("/entities/{employee}")));
    // Korean and Russian pages say what the drawing shows in their language.
    let korean = harness.get(&format!("/entities/{company}"), Some(&format!("{analyst}; clew_lang=ko"))).await;
    assert!(korean.body.contains("관계") && korean.body.contains("이 값을 진술한 출처 수"), "{}", korean.body);
    let russian = harness.get(&format!("/entities/{company}"), Some(&format!("{analyst}; clew_lang=ru"))).await;
    assert!(russian.body.contains("Связи") && russian.body.contains("Источников, сообщающих это"));
}

#[tokio::test]
async fn a_reader_sees_only_the_relations_their_ceiling_allows() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let service = clew_service::Service::open(&harness.service_dir).unwrap();
    use Sensitivity::{Internal, Public, Restricted};
    write_synthetic(
        &service,
        &[
            ("syn.company.public", "Company", "name", "SYNTHETIC PUBLIC LLC", Public),
            ("syn.site.public", "Worksite", "name", "SYNTHETIC PUBLIC SITE", Public),
            ("syn.site.public", "Worksite", "operator", "syn.company.public", Public),
            // A site anyone may see, whose link to the company only the team may.
            ("syn.site.quiet", "Worksite", "name", "SYNTHETIC QUIET SITE", Public),
            ("syn.site.quiet", "Worksite", "operator", "syn.company.public", Internal),
            // An employment known publicly, whose employee is restricted.
            ("syn.job.public", "Employment", "role", "SYNTHETIC welder", Public),
            ("syn.job.public", "Employment", "employer", "syn.company.public", Public),
            ("syn.job.public", "Employment", "employee", "syn.person.1", Restricted),
            ("syn.person.1", "Person", "name", "SYNTHETIC WORKER ONE", Public),
        ],
    );
    let relations = |role: Role| {
        let cookie = sessions[&role].clone();
        let harness = &harness;
        async move { related(&harness.get("/api/v1/entities/syn.company.public", Some(&cookie)).await.json()) }
    };
    let mut viewer = relations(Role::Viewer).await;
    viewer.sort();
    assert_eq!(viewer, ["syn.job.public", "syn.site.public"], "the employment itself: its other end is restricted");
    let mut analyst = relations(Role::Analyst).await;
    analyst.sort();
    assert_eq!(analyst, ["syn.job.public", "syn.site.public", "syn.site.quiet"]);
    let mut coder = relations(Role::Coder).await;
    coder.sort();
    assert_eq!(coder, ["syn.person.1", "syn.site.public", "syn.site.quiet"], "the employee, through the employment");

    let page = harness.get("/entities/syn.company.public", Some(&sessions[&Role::Viewer])).await;
    assert_eq!(page.status, StatusCode::OK);
    let svg = drawing(&page.body);
    assert!(svg.contains("href=\"/entities/syn.site.public\"") && svg.contains("SYNTHETIC PUBLIC SITE"), "{svg}");
    assert!(!page.body.contains("syn.site.quiet") && !page.body.contains("syn.person.1"), "{}", page.body);
    // The quiet site's own page shows the viewer nothing of its operator.
    let quiet = harness.get("/api/v1/entities/syn.site.quiet", Some(&sessions[&Role::Viewer])).await.json();
    assert!(related(&quiet).is_empty(), "{quiet}");
}

#[tokio::test]
async fn a_recorded_sanctions_match_shows_on_the_entity_page_with_its_explanation() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let service = clew_service::Service::open(&harness.service_dir).unwrap();
    let admin = clew_service::Actor::new("demo-admin").unwrap();
    write_synthetic(
        &service,
        &[("syn.company.public", "Company", "name", "SYNTHETIC PUBLIC TRADING LLC", Sensitivity::Public)],
    );
    let company = service.entities(&Schemata::named(&["Company".to_string()]).unwrap(), None, 1).unwrap().remove(0);
    let name = company.caption.clone().expect("a demo company has a name");
    // A list made up for this test, SYNTHETIC like the demo: its entries bear a demo company's name and the public
    // company's.
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("synthetic-test-list.csv");
    std::fs::write(
        &list,
        format!("id,name,schema\nSYNTHETIC-1,{name},Company\nSYNTHETIC-2,SYNTHETIC PUBLIC TRADING LLC,Company\n"),
    )
    .unwrap();
    service.import_list(&admin, &clew_service::ListFile::read(&list, None).unwrap()).unwrap();
    let options = clew_service::ScreenOptions::new(0.7, 5, true).unwrap();
    let report = service.screen_entities(Vec::new(), &options, Some(&admin)).unwrap();
    assert_eq!(report.queries_with_match, 2, "{:?}", report.results);

    let analyst = &sessions[&Role::Analyst];
    let view = harness.get(&format!("/api/v1/entities/{}", company.id), Some(analyst)).await.json();
    let found = view["matches"].as_array().unwrap().iter().find(|m| m["list_entry"] == "SYNTHETIC-1").unwrap().clone();
    assert_eq!(
        (found["list"].as_str(), found["matched_name"].as_str()),
        (Some("synthetic-test-list.csv"), Some(name.as_str()))
    );
    assert!(found["score"].as_f64().unwrap() > 0.9, "{found}");
    let explanation = found["explanation"].as_str().unwrap();
    assert!(explanation.starts_with("name "), "{explanation}");
    assert!(!related(&view).iter().any(|id| id.starts_with("match.")), "a match is not drawn as a relation");
    let page = harness.get(&format!("/entities/{}", company.id), Some(analyst)).await;
    assert!(page.body.contains("Sanctions list matches") && page.body.contains("synthetic-test-list.csv"));
    assert!(page.body.contains(&escaped(explanation)), "{}", page.body);

    // Match statements are internal: a viewer reads the public company's page without them.
    let public = harness.get("/api/v1/entities/syn.company.public", Some(analyst)).await.json();
    assert_eq!(public["matches"][0]["list_entry"], "SYNTHETIC-2", "{public}");
    let viewer = &sessions[&Role::Viewer];
    let public = harness.get("/api/v1/entities/syn.company.public", Some(viewer)).await.json();
    assert_eq!(public["matches"].as_array().map(Vec::len), Some(0), "{public}");
    let page = harness.get("/entities/syn.company.public", Some(viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("SYNTHETIC-2") && !page.body.contains("Sanctions list matches"));
}

#[tokio::test]
async fn the_entity_page_offers_each_role_the_dossiers_it_may_make_and_each_is_logged() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let page = "/entities/demo.company.0000";
    // The link is offered to the roles that may make one, and only to them.
    for (role, offered) in [
        (Role::Admin, true),
        (Role::Custodian, true),
        (Role::Coder, true),
        (Role::Analyst, false),
        (Role::Viewer, false),
    ] {
        let reply = harness.get(page, Some(&sessions[&role])).await;
        // Nothing about the demo's companies is public: a viewer does not find it at all.
        let expected = if role == Role::Viewer { StatusCode::NOT_FOUND } else { StatusCode::OK };
        assert_eq!(reply.status, expected, "{role:?}");
        assert_eq!(reply.body.contains("/entities/demo.company.0000/dossier"), offered, "{role:?}");
    }
    // A coder is offered the team's dossier alone; a custodian every audience.
    let offered = |body: &str, audience: &str| body.contains(&format!("name=\"audience\" value=\"{audience}\""));
    let choices = harness.get(&format!("{page}/dossier"), Some(&sessions[&Role::Coder])).await;
    assert!(offered(&choices.body, "internal") && !offered(&choices.body, "un"), "{}", choices.body);
    let fields = [("audience", "un"), ("lang", "ko")];
    let refused = harness.post_form(&format!("{page}/dossier"), Some(&sessions[&Role::Coder]), &fields).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let choices = harness.get(&format!("{page}/dossier"), Some(&sessions[&Role::Custodian])).await;
    assert!(["internal", "un", "monitors", "prosecutor", "public"].iter().all(|a| offered(&choices.body, a)));

    // The dossier itself: a file to save, in the language asked for, logged before it is sent.
    let before = harness.get("/api/v1/dashboard", Some(&sessions[&Role::Custodian])).await.json();
    // The demo of the tests is small: a UN dossier needs k = 5 witnesses at a site and month, so the team's.
    let fields = [("audience", "internal"), ("lang", "ko")];
    let dossier = harness.post_form(&format!("{page}/dossier"), Some(&sessions[&Role::Custodian]), &fields).await;
    assert_eq!(dossier.status, StatusCode::OK, "{}", dossier.body);
    let disposition = dossier.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap();
    assert_eq!(disposition, "attachment; filename=\"dossier-demo.company.0000-internal-ko.html\"");
    assert!(dossier.body.starts_with("<!DOCTYPE html>") && dossier.body.contains("<html lang=\"ko\""));
    assert!(!dossier.body.contains("SYNTHETIC-PROTECTED") && !dossier.body.contains("<script"));
    let after = harness.get("/api/v1/dashboard", Some(&sessions[&Role::Custodian])).await.json();
    let newest = &after["recent_events"][0];
    assert_eq!(newest["kind"], "dossier-export", "{after}");
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(dossier.body.as_bytes()));
    assert!(newest["detail"].as_str().unwrap().contains(&digest), "{newest}");
    assert_ne!(before["recent_events"][0]["seq"], newest["seq"]);

    // As PDF/A-2b, set in the system's fonts, logged with the PDF's hash.
    let fields = [("audience", "internal"), ("lang", "ru"), ("format", "pdf")];
    let pdf = harness.post_form(&format!("{page}/dossier"), Some(&sessions[&Role::Custodian]), &fields).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(pdf.headers.get(header::CONTENT_TYPE).unwrap(), "application/pdf");
    let disposition = pdf.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap();
    assert_eq!(disposition, "attachment; filename=\"dossier-demo.company.0000-internal-ru.pdf\"");
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let after = harness.get("/api/v1/dashboard", Some(&sessions[&Role::Custodian])).await.json();
    let newest = &after["recent_events"][0];
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&pdf.bytes));
    assert!(newest["kind"] == "dossier-export" && newest["detail"].as_str().unwrap().contains(&digest), "{newest}");
    assert!(choices.body.contains("name=\"format\" value=\"pdf\""));
}
