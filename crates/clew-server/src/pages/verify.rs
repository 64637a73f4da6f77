//! Verifying the custody log from the browser: a custodian or admin starts it; it runs in the background (a
//! large project takes minutes) while the page, refreshed every two seconds by the browser (no JavaScript),
//! shows how far it has come, then what it found.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use clew_service::{VerifyReport, VerifyStep};
use maud::html;

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Arg, Msg};
use crate::{App, html};

/// The verification job of this server (one at a time).
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub(crate) enum Job {
    /// Never run since the server started.
    #[default]
    Idle,
    /// Running.
    Running {
        /// Who started it.
        by: String,
        /// When (RFC 3339).
        started_at: String,
        /// Seconds since it started (Unix seconds then, for the elapsed time).
        #[serde(skip)]
        started: u64,
        /// How far it has come.
        step: Option<VerifyStep>,
    },
    /// Finished.
    Done {
        by: String,
        started_at: String,
        finished_at: String,
        report: VerifyReport,
        /// Files or folders of the project that others on the server's machine may read or write.
        open_to_others: usize,
    },
    /// Could not run to the end.
    Failed { by: String, started_at: String, code: &'static str, message: String },
}

/// The job, shared by the request that starts it, the thread that runs it and the pages that show it.
pub(crate) type Shared = Arc<Mutex<Job>>;

fn lock(job: &Shared) -> std::sync::MutexGuard<'_, Job> {
    job.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) async fn api(State(app): State<App>) -> Json<Job> {
    Json(lock(app.verify_job()).clone())
}

/// Starts a verification unless one is running; back to the page either way.
pub(crate) async fn start(State(app): State<App>, ctx: Ctx, caller: Caller) -> Response {
    let job = Arc::clone(app.verify_job());
    let started_at = clew_service::now_rfc3339();
    let started = crate::now();
    {
        let mut current = lock(&job);
        if !matches!(*current, Job::Running { .. }) {
            *current = Job::Running { by: caller.name.clone(), started_at: started_at.clone(), started, step: None };
            let progress = Arc::clone(&job);
            let by = caller.name.clone();
            // Not awaited: the request returns at once and the job goes on.
            let app = app.clone();
            tokio::spawn(async move {
                let running = Arc::clone(&progress);
                let result = app
                    .run(move |service| {
                        service.verify_reporting(None, None, &mut |step| {
                            if let Job::Running { step: current, .. } = &mut *lock(&running) {
                                *current = Some(step);
                            }
                        })
                    })
                    .await;
                let finished_at = clew_service::now_rfc3339();
                *lock(&progress) = match result {
                    Ok(verified) => Job::Done {
                        by,
                        started_at,
                        finished_at,
                        report: verified.report,
                        open_to_others: verified.open_to_others.len(),
                    },
                    Err(failure) => {
                        let message = if failure.is_hidden() { String::new() } else { failure.logged().to_string() };
                        Job::Failed { by, started_at, code: failure.code().as_str(), message }
                    }
                };
            });
        }
    }
    if ctx.api { Json(lock(&job).clone()).into_response() } else { Redirect::to("/verify").into_response() }
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller) -> Response {
    let job = lock(app.verify_job()).clone();
    let running = matches!(job, Job::Running { .. });
    let body = job_body(ctx.lang, &job, crate::now());
    let mut response = html::page(&ctx, Some(&caller), &ctx.lang.t(Msg::VerifyTitle), body).into_response();
    if running {
        // The browser reloads the page itself: progress without JavaScript.
        response.headers_mut().insert(HeaderName::from_static("refresh"), HeaderValue::from_static("2"));
    }
    response
}

/// What the page says of the job at `now` (Unix seconds).
fn job_body(lang: crate::i18n::Lang, job: &Job, now: u64) -> maud::Markup {
    let running = matches!(job, Job::Running { .. });
    html! {
        p { (lang.t(Msg::VerifyIntro)) }
        @match job {
            Job::Idle => { p { (lang.t(Msg::VerifyNever)) } }
            Job::Running { by, started, step, .. } => {
                p.notice role="status" {
                    (lang.tr(Msg::VerifyRunning, &[("who", Arg::Text(by)), ("seconds", Arg::Count(now.saturating_sub(*started) as i64))]))
                    " "
                    @match step {
                        Some(VerifyStep::Events { read }) => { (lang.tr(Msg::VerifyStepEvents, &[("count", Arg::Count(*read as i64))])) }
                        Some(VerifyStep::Records) => { (lang.t(Msg::VerifyStepRecords)) }
                        Some(VerifyStep::Attachments) => { (lang.t(Msg::VerifyStepAttachments)) }
                        Some(VerifyStep::Lists) => { (lang.t(Msg::VerifyStepLists)) }
                        None => {}
                    }
                }
            }
            Job::Done { by, finished_at, report, open_to_others, .. } => {
                @let when = lang.time(finished_at);
                @if report.problems.is_empty() {
                    p.notice role="status" { (lang.tr(Msg::VerifyClean, &[("who", Arg::Text(by)), ("when", Arg::Text(&when)), ("events", Arg::Count(report.events as i64))])) }
                } @else {
                    p.problem role="alert" { (lang.tr(Msg::VerifyProblems, &[("who", Arg::Text(by)), ("when", Arg::Text(&when)), ("count", Arg::Count(report.problems.len() as i64))])) }
                    ul { @for problem in &report.problems { li { (problem) } } }
                }
                dl {
                    dt { (lang.t(Msg::VerifyTreeHead)) } dd { code { (report.tree_head) } }
                    dt { (lang.t(Msg::VerifyAttachments)) } dd { (lang.number(report.attachments)) }
                }
                @if *open_to_others > 0 { p.problem { (lang.tr(Msg::VerifyOpenToOthers, &[("count", Arg::Count(*open_to_others as i64))])) } }
            }
            Job::Failed { by, code, message, .. } => {
                p.problem role="alert" { (lang.tr(Msg::VerifyFailed, &[("who", Arg::Text(by))])) " " code { (code) } " " (message) }
            }
        }
        @if !running {
            form method="post" action="/verify" { button type="submit" { (lang.t(Msg::VerifyStart)) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_running_job_says_who_started_it_how_long_ago_and_how_far_it_is() {
        let job = Job::Running {
            by: "demo-custodian".into(),
            started_at: "2026-12-06T10:00:00Z".into(),
            started: 1_000,
            step: Some(VerifyStep::Events { read: 3000 }),
        };
        let english = job_body(Lang::En, &job, 1_042).into_string();
        assert!(english.contains("Started by demo-custodian"), "{english}");
        assert!(english.contains("42"), "seconds running: {english}");
        assert!(english.contains("3000") || english.contains("3,000"), "events read: {english}");
        assert!(!english.contains("action=\"/verify\""), "no second start while one runs: {english}");
        let korean = job_body(Lang::Ko, &job, 1_042).into_string();
        assert_ne!(korean, english);
        let idle = job_body(Lang::En, &Job::Idle, 1_042).into_string();
        assert!(idle.contains("action=\"/verify\""), "{idle}");
    }
}
