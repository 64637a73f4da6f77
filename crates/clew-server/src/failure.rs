//! Why a request did not succeed: a code from the one code table (`clew_service::Code`, docs/errors.md), a
//! message, and where the server itself refused (sign-in throttling, a forged form, a field left empty), a
//! message of its own in the reader's language. A handler returns it; the frame renders it as a page or as
//! `{"code", "message"}`, and logs an internal one with the request id instead of showing it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use clew_service::Code;

use crate::i18n::{Arg, Lang, Msg};

/// A refused or failed request.
#[derive(Debug, Clone)]
pub struct Failure {
    code: Code,
    /// What the service or the server said (English), shown unless the code is internal.
    message: String,
    /// The server's own message, in the reader's language, with its arguments.
    own: Option<(Msg, Vec<(&'static str, String)>)>,
    /// Seconds to wait (`Retry-After`).
    pub(crate) retry_after: Option<u64>,
    /// Each problem the service named, by the field it is in: a page shows each under its field's label in the
    /// reader's language.
    problems: Vec<Problem>,
}

/// One problem of a refused request.
#[derive(Debug, Clone)]
struct Problem {
    /// The field at fault (empty for the request as a whole).
    field: String,
    /// The service's English words.
    english: String,
    /// The same in a message of the server's, with its arguments, when the service gave a reason.
    said: Option<(Msg, Vec<(&'static str, String)>)>,
}

impl Failure {
    /// A failure of the server's own, in the reader's language.
    pub(crate) fn own(code: Code, msg: Msg) -> Failure {
        Failure {
            code,
            message: Lang::En.t(msg),
            own: Some((msg, Vec::new())),
            retry_after: None,
            problems: Vec::new(),
        }
    }

    /// A failure of the server's own with arguments.
    pub(crate) fn own_with(code: Code, msg: Msg, args: Vec<(&'static str, String)>) -> Failure {
        let english = Lang::En.tr(msg, &args.iter().map(|(k, v)| (*k, Arg::Text(v))).collect::<Vec<_>>());
        Failure { code, message: english, own: Some((msg, args)), retry_after: None, problems: Vec::new() }
    }

    /// Something went wrong inside; the text is logged, never shown.
    pub(crate) fn internal(message: String) -> Failure {
        Failure { code: Code::Internal, message, own: None, retry_after: None, problems: Vec::new() }
    }

    /// Its code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// Whether its text stays in the server's log (internal errors may name paths or the database).
    pub(crate) fn is_hidden(&self) -> bool {
        matches!(self.code, Code::Internal | Code::Project | Code::Key)
    }

    /// The text logged (never shown when hidden).
    pub(crate) fn logged(&self) -> &str {
        &self.message
    }

    /// What the reader is told, in their language: the server's own message, or the code's heading and the
    /// service's words.
    pub(crate) fn told(&self, lang: Lang, request_id: &str) -> (String, Option<String>) {
        if self.is_hidden() {
            return (lang.t(Msg::ErrorInternal), Some(lang.tr(Msg::ErrorRequestId, &[("id", Arg::Text(request_id))])));
        }
        if let Some((msg, args)) = &self.own {
            let args: Vec<_> = args.iter().map(|(k, v)| (*k, Arg::Text(v))).collect();
            return (lang.tr(*msg, &args), None);
        }
        (lang.t(heading(self.code)), Some(self.message.clone()))
    }

    /// Each problem by its field, the field named in the reader's language (its own name when the server has no
    /// word for it); nothing for a hidden failure.
    pub(crate) fn problems(&self, lang: Lang) -> Vec<(String, String)> {
        if self.is_hidden() {
            return Vec::new();
        }
        self.problems
            .iter()
            .map(|problem| {
                let words = match &problem.said {
                    Some((msg, args)) => {
                        let args: Vec<_> = args.iter().map(|(k, v)| (*k, Arg::Text(v))).collect();
                        lang.tr(*msg, &args)
                    }
                    None => problem.english.clone(),
                };
                (field_label(lang, &problem.field), words)
            })
            .collect()
    }

    /// The JSON body: `{"code", "message"}` (English; the code is what scripts test).
    pub(crate) fn json(&self, request_id: &str) -> serde_json::Value {
        let message = if self.is_hidden() {
            format!("something failed inside clew; the server's log has it under request id {request_id}")
        } else {
            self.message.clone()
        };
        serde_json::json!({"code": self.code.as_str(), "message": message})
    }
}

/// The server's message of a reason's id (every id the service gives has one: a test checks).
pub(crate) fn msg_of(id: &str) -> Option<Msg> {
    Msg::ALL.iter().copied().find(|msg| msg.id() == id)
}

/// A form field's label in the reader's language.
fn field_label(lang: Lang, field: &str) -> String {
    let msg = match field {
        "segment" => Msg::FieldSegment,
        "entity" => Msg::FactEntity,
        "schema" => Msg::FactSchema,
        "property" => Msg::FactProperty,
        "value" => Msg::FactValue,
        "note" => Msg::FactNote,
        "replaces" => Msg::FieldReplaces,
        "" => Msg::FieldWhole,
        _ => return field.to_string(),
    };
    lang.t(msg)
}

/// The heading of a code, for a failure the service described in its own words.
fn heading(code: Code) -> Msg {
    match code {
        Code::Usage | Code::InvalidInput => Msg::ErrorInvalid,
        Code::NotFound => Msg::ErrorNotFound,
        Code::Unauthenticated => Msg::ErrorUnauthenticated,
        Code::Forbidden => Msg::ErrorForbidden,
        Code::Busy => Msg::ErrorBusy,
        Code::Conflict | Code::Verification => Msg::ErrorConflict,
        Code::RateLimited => Msg::ErrorRateLimited,
        Code::TooLarge => Msg::ErrorTooLarge,
        Code::Key | Code::Project | Code::Internal => Msg::ErrorInternal,
    }
}

impl From<clew_service::Error> for Failure {
    fn from(error: clew_service::Error) -> Failure {
        let code = error.code();
        let mut message = error.message().to_string();
        let mut problems: Vec<Problem> = Vec::new();
        for diagnostic in error.diagnostics().iter().take(20) {
            message.push_str(&format!("\n{diagnostic}"));
            problems.push(Problem { field: diagnostic.path.clone(), english: diagnostic.message.clone(), said: None });
        }
        // The reasons say the same as the diagnostics, one for one, when the service gives both; a reason
        // without a diagnostic is a problem of its own.
        for (index, reason) in error.reasons().iter().take(20).enumerate() {
            let said = msg_of(reason.id).map(|msg| (msg, reason.args.clone()));
            match problems.get_mut(index) {
                Some(problem) if problem.field == reason.field => problem.said = said,
                _ => problems.push(Problem { field: reason.field.clone(), english: error.message().into(), said }),
            }
        }
        Failure { code, message, own: None, retry_after: None, problems }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = status.into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        // The frame renders it in the reader's language, as a page or as JSON.
        response.extensions_mut().insert(self);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_the_service_gives_has_a_message() {
        for id in clew_service::error::REASONS {
            assert!(msg_of(id).is_some(), "no message `{id}` in i18n/*.ftl");
        }
    }
}
