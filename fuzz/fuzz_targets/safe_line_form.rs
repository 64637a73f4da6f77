//! The safe line's listener on any request body: a form (multipart) to the Korean, Russian or English page,
//! over a project with a caseworker. Whatever comes, the answer is `200 OK` and one size: refusals look like
//! anything else on the wire, and nothing panics.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct Fixture {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    _dir: tempfile::TempDir,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary folder: {e}"));
        let actor = clew_service::Actor::new("fuzz").unwrap_or_else(|e| panic!("{e:?}"));
        let (service, _) = clew_service::Service::init(&dir.path().join("p"), "fuzz", None, &actor)
            .unwrap_or_else(|e| panic!("a project: {e:?}"));
        let caseworker = clew_vault::new_custodian("fuzz caseworker");
        service.add_caseworker(&actor, &caseworker.key, "fuzz").unwrap_or_else(|e| panic!("{e:?}"));
        let options = clew_server::SafeLineOptions {
            pepper: dir.path().join("pepper"),
            exit: "https://example.org/".into(),
            per_network_per_hour: u32::MAX / 16,
            per_minute: u32::MAX / 16,
            bytes_per_day: u64::MAX / 2,
        };
        let line = clew_server::Line::new(Arc::new(service), options).unwrap_or_else(|e| panic!("{e:?}"));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        Fixture { runtime, router: clew_server::safe_line_app(line), _dir: dir }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else { return };
    let path = ["/", "/ru", "/en"][usize::from(first % 3)];
    let fixture = fixture();
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
        .body(Body::from(body.to_vec()))
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, length) = fixture.runtime.block_on(async {
        let response = fixture.router.clone().oneshot(request).await.unwrap_or_else(|e| match e {});
        let status = response.status();
        let bytes = response.into_body().collect().await.map(|b| b.to_bytes().len()).unwrap_or(0);
        (status, bytes)
    });
    assert_eq!(status, StatusCode::OK);
    assert_eq!(length, clew_safeline::pad::ANSWER);
});
