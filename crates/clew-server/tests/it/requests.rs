//! Signing in and out, languages, headers, errors and bad requests.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use clew_service::accounts::Role;

use crate::harness::Harness;

#[tokio::test]
async fn a_first_sign_in_changes_the_one_time_password_then_opens_the_dashboard() {
    let harness = Harness::new();
    let reply = harness.get("/", None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/sign-in?next=%2F");

    let signed = harness.sign_in_once(Role::Coder, 0).await;
    assert_eq!(signed.location(), "/account/password");
    let cookie = signed.session_cookie().unwrap();
    let set = signed.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(set.contains(attribute), "the session cookie lacks {attribute}: {set}");
    }
    // Until the password is changed, every page sends the account to change it.
    assert_eq!(harness.get("/entities", Some(&cookie)).await.location(), "/account/password");
    let api = harness.get("/api/v1/dashboard", Some(&cookie)).await;
    assert_eq!((api.status, api.json()["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));

    let account = harness.account(Role::Coder);
    let mismatch = harness
        .post_form(
            "/account/password",
            Some(&cookie),
            &[("current", &account.password), ("new", "a long new password"), ("repeat", "another")],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("The two new passwords differ"));
    let short = harness
        .post_form(
            "/account/password",
            Some(&cookie),
            &[("current", &account.password), ("new", "short"), ("repeat", "short")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let changed = harness
        .post_form(
            "/account/password",
            Some(&cookie),
            &[("current", &account.password), ("new", "a long new password"), ("repeat", "a long new password")],
        )
        .await;
    assert_eq!((changed.status, changed.location()), (StatusCode::SEE_OTHER, "/"));
    // The session is renewed with the password: the cookie from before the change opens nothing.
    assert!(harness.get("/", Some(&cookie)).await.location().starts_with("/sign-in"));
    let cookie = changed.session_cookie().expect("a renewed session");
    let dashboard = harness.get("/", Some(&cookie)).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("<h1>Dashboard</h1>"), "{}", dashboard.body);
    assert!(dashboard.body.contains("synthetic demonstration data"), "the demo says it is synthetic");

    // Signing out ends the session: the same cookie opens nothing.
    let out = harness.post_form("/sign-out", Some(&cookie), &[]).await;
    assert_eq!((out.status, out.location()), (StatusCode::SEE_OTHER, "/sign-in"));
    assert!(harness.get("/", Some(&cookie)).await.location().starts_with("/sign-in"));
}

#[tokio::test]
async fn admins_need_their_second_factor_and_a_code_works_once() {
    let harness = Harness::new();
    let admin = harness.account(Role::Admin);
    let without = harness.post_form("/sign-in", None, &[("name", &admin.name), ("password", &admin.password)]).await;
    assert_eq!(without.status, StatusCode::UNAUTHORIZED);
    assert!(without.session_cookie().is_none());
    let code = crate::harness::totp_code(&admin.second_factor.as_ref().unwrap().secret, 0);
    let fields = [("name", admin.name.as_str()), ("password", admin.password.as_str()), ("code", code.as_str())];
    let first = harness.post_form("/sign-in", None, &fields).await;
    assert!(first.session_cookie().is_some(), "{}", first.body);
    let again = harness.post_form("/sign-in", None, &fields).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "a code is accepted once");
}

#[tokio::test]
async fn a_refused_sign_in_is_told_in_the_readers_language_and_repeated_ones_are_held_back() {
    let harness = Harness::new();
    let viewer = harness.account(Role::Viewer);
    let request = |lang: &str| {
        Request::post("/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::from(format!("name={}&password=wrong+password", viewer.name)))
            .unwrap()
    };
    let korean = harness.send(request("ko-KR,ko;q=0.9")).await;
    assert_eq!(korean.status, StatusCode::UNAUTHORIZED);
    assert!(korean.body.contains("lang=\"ko\""));
    assert!(korean.body.contains("계정 이름, 비밀번호 또는 코드가 틀렸거나"), "{}", korean.body);
    let russian = harness.send(request("ru")).await;
    assert!(russian.body.contains("Имя учётной записи, пароль или код неверны"));
    for _ in 2..5 {
        assert_eq!(harness.send(request("en")).await.status, StatusCode::UNAUTHORIZED);
    }
    let held = harness.send(request("en")).await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(held.headers.get(header::RETRY_AFTER).is_some());
    assert!(held.body.contains("Too many failed sign-ins"), "{}", held.body);
    // Held back even with the right password: the limit is on attempts, not on wrong ones.
    let right = harness.post_form("/sign-in", None, &[("name", &viewer.name), ("password", &viewer.password)]).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn forms_from_elsewhere_are_refused_and_change_nothing() {
    let harness = Harness::new();
    let viewer = harness.account(Role::Viewer);
    let body = format!("name={}&password={}", viewer.name, viewer.password);
    for (name, value) in
        [("sec-fetch-site", "cross-site"), ("sec-fetch-site", "same-site"), ("origin", "https://evil.example")]
    {
        let request = Request::post("/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:8080")
            .header(name, value)
            .body(Body::from(body.clone()))
            .unwrap();
        let reply = harness.send(request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}: {value}");
        assert!(reply.body.contains("did not come from clew"), "{}", reply.body);
        assert!(reply.session_cookie().is_none());
    }
    // Neither header: refused too (no browser since 2020 omits both on a form post).
    let bare = Request::post("/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.clone()))
        .unwrap();
    assert_eq!(harness.send(bare).await.status, StatusCode::FORBIDDEN);
    // An Origin matching the Host is this application.
    let same = Request::post("/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(harness.send(same).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let harness = Harness::new();
    for path in ["/sign-in", "/", "/api/v1/dashboard", "/no/such/page", "/assets/style.css"] {
        let reply = harness.get(path, None).await;
        let csp = reply.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(reply.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff", "{path}");
        assert_eq!(reply.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY", "{path}");
        assert_eq!(reply.headers.get(header::REFERRER_POLICY).unwrap(), "no-referrer", "{path}");
    }
    let page = harness.get("/sign-in", None).await;
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(!page.body.contains("<script") && !page.body.contains("style=\""), "nothing inline for the CSP to allow");
}

#[tokio::test]
async fn api_errors_are_code_and_message_and_pages_errors_are_pages() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let analyst = &sessions[&Role::Analyst];
    let missing = harness.get("/api/v1/entities/no.such.entity", Some(analyst)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["code"], "not_found");
    assert!(missing.json()["message"].as_str().unwrap().contains("no.such.entity"));
    let unknown = harness.get("/api/v1/nothing", Some(analyst)).await;
    assert_eq!((unknown.status, unknown.json()["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let page = harness.get("/entities/no.such.entity", Some(analyst)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("<html lang=\"en\">") && page.body.contains("Not found"), "{}", page.body);
    let malformed = harness.get("/api/v1/entities?limit=many", Some(analyst)).await;
    assert_eq!((malformed.status, malformed.json()["code"].as_str()), (StatusCode::BAD_REQUEST, Some("usage")));
    let bad_schema = harness.get("/api/v1/entities?schema=NoSuchSchema", Some(analyst)).await;
    assert_eq!(bad_schema.json()["code"], "usage", "{}", bad_schema.body);
}

#[tokio::test]
async fn an_api_token_opens_the_api_and_a_wrong_one_does_not() {
    let harness = Harness::new();
    let service = clew_service::Service::open(&harness.service_dir).unwrap();
    let admin = clew_service::Actor::new("demo-admin").unwrap();
    let token = service.create_token(&admin, "demo-analyst", "a test script").unwrap();
    let request = |token: &str| {
        Request::get("/api/v1/entities?schema=Company")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    // The analyst's one-time password is not changed yet: a token still acts only once it is.
    let reply = harness.send(request(&token)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    harness.sessions().await;
    let reply = harness.send(request(&token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(!reply.json()["entities"].as_array().unwrap().is_empty());
    let wrong = harness.send(request("clew_0000")).await;
    assert_eq!((wrong.status, wrong.json()["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
}

#[tokio::test]
async fn the_language_switcher_keeps_the_page_and_never_leaves_the_site() {
    let harness = Harness::new();
    let reply = harness.get("/language/ru?next=%2Fentities%3Fschema%3DCompany", None).await;
    assert_eq!((reply.status, reply.location()), (StatusCode::SEE_OTHER, "/entities?schema=Company"));
    let cookie = reply.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with("clew_lang=ru;"), "{cookie}");
    for evil in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
        "%2F%09%2Fevil.example",
        "%2F%0A%2Fevil.example",
        "%2F%20%2Fevil.example",
    ] {
        let reply = harness.get(&format!("/language/ko?next={evil}"), None).await;
        assert_eq!(reply.location(), "/", "{evil}");
    }
    assert_eq!(harness.get("/language/de", None).await.status, StatusCode::NOT_FOUND);
    let page = harness.get("/sign-in", Some("clew_lang=ru")).await;
    assert!(page.body.contains("<html lang=\"ru\">") && page.body.contains("Имя учётной записи"));
}

#[tokio::test]
async fn a_viewer_sees_nothing_above_their_ceiling() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    // The demo's companies are internal: analysts see them, viewers (public only) do not.
    let analyst = harness.get("/api/v1/entities/demo.company.0000", Some(&sessions[&Role::Analyst])).await;
    assert_eq!(analyst.status, StatusCode::OK, "{}", analyst.body);
    let viewer = harness.get("/api/v1/entities/demo.company.0000", Some(&sessions[&Role::Viewer])).await;
    assert_eq!(viewer.status, StatusCode::NOT_FOUND);
    let listed = harness.get("/api/v1/entities?schema=Company", Some(&sessions[&Role::Viewer])).await;
    assert!(listed.json()["entities"].as_array().unwrap().is_empty(), "{}", listed.body);
    // A work spell is restricted: coders see it, analysts do not.
    let spell = "/api/v1/entities/T-DEMO-000000.spell1";
    assert_eq!(harness.get(spell, Some(&sessions[&Role::Coder])).await.status, StatusCode::OK);
    assert_eq!(harness.get(spell, Some(&sessions[&Role::Analyst])).await.status, StatusCode::NOT_FOUND);
    let page = harness.get("/entities/T-DEMO-000000.spell1", Some(&sessions[&Role::Coder])).await;
    assert!(page.body.contains("Protected data is never shown by the server"), "{}", page.body);
}

#[tokio::test]
async fn oversized_and_malformed_requests_are_refused_in_words() {
    let harness = Harness::new();
    let big = "x".repeat(100 * 1024);
    let reply = harness.post_form("/sign-in", None, &[("name", "someone"), ("password", &big)]).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("too large"), "{}", reply.body);
    let missing = harness.post_form("/sign-in", None, &[("name", "someone")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Enter your account name and password"));
    let request = Request::post("/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(vec![0xff, 0xfe, b'=', 0x80]))
        .unwrap();
    let garbled = harness.send(request).await;
    assert!(garbled.status.is_client_error(), "{}", garbled.status);
    let long_name = "a".repeat(5000);
    let reply = harness.post_form("/sign-in", None, &[("name", &long_name), ("password", "whatever it is")]).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_map_draws_the_places_a_reader_may_see_on_the_shipped_base_map() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let analyst = harness.get("/map", Some(&sessions[&Role::Analyst])).await;
    assert_eq!(analyst.status, StatusCode::OK);
    assert!(
        analyst.body.contains("<svg") && analyst.body.contains("href=\"/entities/demo.site."),
        "{}",
        &analyst.body[..2000]
    );
    assert!(!analyst.body.contains("src=\"http") && !analyst.body.contains("href=\"http"), "nothing from elsewhere");
    let places = harness.get("/api/v1/places", Some(&sessions[&Role::Analyst])).await.json();
    let places = places["places"].as_array().unwrap();
    assert!(!places.is_empty());
    for place in places {
        let (lat, lon) = (place["lat"].as_f64().unwrap(), place["lon"].as_f64().unwrap());
        assert!((41.0..82.0).contains(&lat) && (19.0..180.0).contains(&lon), "{place}");
    }
    // The demo's sites are internal: a viewer's map has no point.
    let viewer = harness.get("/api/v1/places", Some(&sessions[&Role::Viewer])).await.json();
    assert!(viewer["places"].as_array().unwrap().is_empty());
    let korean = harness.get("/map", Some(&format!("{}; clew_lang=ko", sessions[&Role::Coder]))).await;
    assert!(korean.body.contains("작업장과 숙소 지도"));
}

#[tokio::test]
async fn a_custodian_verifies_the_log_in_the_background_and_sees_the_result() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let custodian = &sessions[&Role::Custodian];
    let idle = harness.get("/api/v1/verify", Some(custodian)).await.json();
    assert_eq!(idle["state"], "idle");
    let started = harness.post_form("/verify", Some(custodian), &[]).await;
    assert_eq!((started.status, started.location()), (StatusCode::SEE_OTHER, "/verify"));
    let mut job = serde_json::Value::Null;
    for _ in 0..200 {
        job = harness.get("/api/v1/verify", Some(custodian)).await.json();
        if job["state"] != "running" {
            break;
        }
        let page = harness.get("/verify", Some(custodian)).await;
        if page.body.contains("Started by demo-custodian") {
            assert_eq!(page.headers.get("refresh").unwrap(), "2", "a running job's page reloads itself");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["by"], "demo-custodian");
    assert!(job["report"]["problems"].as_array().unwrap().is_empty(), "{job}");
    assert!(job["report"]["events"].as_u64().unwrap() > 5);
    let page = harness.get("/verify", Some(custodian)).await;
    assert!(page.body.contains("Everything checks out"), "{}", page.body);
    assert!(page.headers.get("refresh").is_none());
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_and_nothing_else() {
    let harness = Harness::new();
    let reply = harness.get("/api/v1/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let document = reply.json();
    assert_eq!(document["openapi"], "3.1.0");
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
            let operation = &item[method];
            assert!(operation["responses"]["200"].is_object() && operation["responses"]["403"].is_object(), "{path}");
            for name in path.split('/').filter_map(|p| p.strip_prefix('{').and_then(|p| p.strip_suffix('}'))) {
                assert!(
                    operation["parameters"].as_array().unwrap().iter().any(|p| p["name"] == name && p["in"] == "path"),
                    "{path}: {name}"
                );
            }
        }
    }
    documented.sort();
    let mut routes: Vec<(String, String)> = clew_server::routes::specs()
        .into_iter()
        .filter(|s| s.path.starts_with("/api/") || s.path.starts_with("/match/"))
        .map(|s| (s.method.to_string(), s.path.to_string()))
        .collect();
    routes.sort();
    assert_eq!(documented, routes);
    let codes = document["components"]["schemas"]["Error"]["properties"]["code"]["enum"].as_array().unwrap();
    assert_eq!(codes.len(), clew_service::Code::ALL.len());
}

#[tokio::test]
async fn forms_sent_with_a_session_from_elsewhere_are_refused_on_every_route_that_changes_something() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let admin = &sessions[&Role::Admin];
    for path in ["/testimonies/T-DEMO-000000/facts", "/review", "/verify", "/account/password", "/sign-out"] {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, admin.as_str())
            .header("sec-fetch-site", "cross-site")
            .body(Body::from("a=demo.company.0000&b=demo.company.0001&verdict=same"))
            .unwrap();
        let reply = harness.send(request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(harness.get("/api/v1/verify", Some(admin)).await.json()["state"], "idle", "{path}: nothing started");
    }
    // The session still works: the refused sign-out ended nothing.
    assert_eq!(harness.get("/", Some(admin)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_viewer_is_shown_no_names_words_counts_or_log_above_their_ceiling() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let viewer = &sessions[&Role::Viewer];
    let dashboard = harness.get("/api/v1/dashboard", Some(viewer)).await.json();
    assert!(dashboard["stats"].is_null() && dashboard["recent_events"].as_array().unwrap().is_empty(), "{dashboard}");
    assert_eq!(harness.get("/api/v1/log", Some(viewer)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(harness.get("/api/v1/review", Some(&sessions[&Role::Analyst])).await.status, StatusCode::FORBIDDEN);
    // An analyst reads a worksite (internal) whose operator is a company (internal): its name is shown; the
    // words behind it are internal too. A viewer gets nothing of it.
    let analyst = harness.get("/api/v1/entities/demo.site.00000", Some(&sessions[&Role::Analyst])).await;
    if analyst.status == StatusCode::OK {
        let json = analyst.json();
        let operator =
            json["properties"].as_array().unwrap().iter().find(|p| p["property"] == "operator").unwrap().clone();
        assert!(operator["values"][0]["refers_to"].is_string(), "{operator}");
    }
    assert_eq!(harness.get("/api/v1/entities/demo.site.00000", Some(viewer)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_ended_session_is_sent_to_sign_in_and_its_forms_change_nothing() {
    let harness = Harness::new();
    let sessions = harness.sessions().await;
    let coder = &sessions[&Role::Coder];
    let admin = &sessions[&Role::Admin];
    let before = harness.get("/api/v1/log?limit=1", Some(admin)).await.json()["events"][0]["seq"].clone();
    // Every session ends (as after twelve hours).
    let database = rusqlite::Connection::open(harness.service_dir.join("clew.db")).unwrap();
    database.execute("UPDATE session SET expires_at = 1", []).unwrap();
    drop(database);
    let page = harness.get("/testimonies?sector=logging", Some(coder)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/sign-in?next=%2Ftestimonies%3Fsector%3Dlogging", "back to the page after signing in");
    let api = harness.get("/api/v1/testimonies", Some(coder)).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.json()["code"], "unauthenticated");
    let fields = [("a", "demo.company.0000"), ("b", "demo.company.0001"), ("verdict", "same")];
    let form = harness.post_form("/review", Some(&format!("{coder}; clew_lang=ko")), &fields).await;
    assert_eq!(form.status, StatusCode::UNAUTHORIZED);
    assert!(form.body.contains("먼저 로그인하십시오"), "told in Korean: {}", form.body);
    // Nothing was written: the newest custody event is the one before.
    let analyst = harness.account(Role::Analyst).name.clone();
    let signed = harness
        .post_form("/sign-in", None, &[("name", &analyst), ("password", "new password for analyst"), ("code", "")])
        .await;
    let fresh = signed.session_cookie().unwrap();
    let after = harness.get("/api/v1/log?limit=2", Some(&fresh)).await.json();
    assert_eq!(after["events"][1]["seq"], before, "only the new sign-in was logged: {after}");
}
