//! The pages and their JSON twins, one module per area. Each area has a view (what the service returns,
//! shaped for reading and serialisable), a page rendering it, and an API handler returning it as JSON: the
//! two never compute anything apart.

pub(crate) mod account;
pub(crate) mod assessment;
pub(crate) mod assets;
pub(crate) mod dashboard;
pub(crate) mod entities;
pub(crate) mod estimates;
pub(crate) mod inbox;
pub(crate) mod ledgers;
pub(crate) mod log;
pub(crate) mod map;
pub(crate) mod matching;
pub(crate) mod review;
pub(crate) mod search;
pub(crate) mod testimonies;
pub(crate) mod verify;

use axum::response::{IntoResponse, Response};
use clew_service::Code;

use crate::Failure;
use crate::i18n::Msg;

/// The answer to a path no route has.
pub(crate) async fn not_found() -> Response {
    Failure::own(Code::NotFound, Msg::ErrorPageNotFound).into_response()
}

/// The most rows of one listing page.
pub(crate) const MAX_ROWS: usize = 200;
/// Rows of a listing page unless asked otherwise.
pub(crate) const DEFAULT_ROWS: usize = 50;

/// The rows of a listing page: as asked, within 1..=[`MAX_ROWS`], else [`DEFAULT_ROWS`].
pub(crate) fn rows(asked: Option<usize>) -> usize {
    asked.unwrap_or(DEFAULT_ROWS).clamp(1, MAX_ROWS)
}

/// A query string as a typed value, or the reader's language's "malformed" page.
pub(crate) fn query<T: serde::de::DeserializeOwned>(raw: Option<&str>) -> Result<T, Failure> {
    serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| Failure::own(Code::Usage, Msg::ErrorMalformed))
}

/// A form that could not be read: too large, or malformed.
pub(crate) fn unreadable_form(rejection: axum::extract::rejection::FormRejection) -> Response {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        return Failure::own(Code::TooLarge, Msg::ErrorTooLarge).into_response();
    }
    Failure::own(Code::Usage, Msg::ErrorMalformed).into_response()
}

/// A JSON body that could not be read: too large, or malformed.
pub(crate) fn unreadable_json(rejection: axum::extract::rejection::JsonRejection) -> Failure {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        return Failure::own(Code::TooLarge, Msg::ErrorTooLarge);
    }
    Failure::own_with(Code::Usage, Msg::ErrorMalformedJson, vec![("detail", rejection.body_text())])
}
