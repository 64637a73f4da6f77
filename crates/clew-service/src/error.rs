//! The one error of clew's operations: a stable code from one table (docs/errors.md), a message in words, and
//! for invalid input every problem with its place. The CLI maps a code to its exit status, the coming server
//! to an HTTP status; neither decides anything else from an error.

use clew_model::Diagnostic;

/// What kind of failure: stable strings, never renamed (scripts and the server's clients rely on them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The request itself is wrong (a missing or contradictory argument, a value of the wrong form).
    Usage,
    /// Input data (a testimony, a list, a table) has problems; every one is listed with its place.
    InvalidInput,
    /// No usable project (none there, or one written by a newer clew).
    Project,
    /// A key problem: not a key, the wrong key or passphrase, no custodian.
    Key,
    /// Verification found a problem (the custody log, a package, a proof, a signature).
    Verification,
    /// The project is busy (another writer); nothing was written: try again.
    Busy,
    /// The request contradicts what is stored (e.g. removing the last custodian).
    Conflict,
    /// What was asked for does not exist.
    NotFound,
    /// Signing in failed (a wrong name, password or code, or a disabled account: never said which), or a
    /// session is unknown or expired.
    Unauthenticated,
    /// The account signed in may not do this (its role), or the request did not come from clew's own pages.
    Forbidden,
    /// Too many attempts (signing in): wait and try again.
    RateLimited,
    /// The request is larger than clew takes.
    TooLarge,
    /// Something failed inside clew or its storage.
    Internal,
}

impl Code {
    /// Every code, in the order of the table.
    pub const ALL: [Code; 13] = [
        Code::Usage,
        Code::InvalidInput,
        Code::Project,
        Code::Key,
        Code::Verification,
        Code::Busy,
        Code::Conflict,
        Code::NotFound,
        Code::Unauthenticated,
        Code::Forbidden,
        Code::RateLimited,
        Code::TooLarge,
        Code::Internal,
    ];

    /// The stable string.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Usage => "usage",
            Code::InvalidInput => "invalid_input",
            Code::Project => "project",
            Code::Key => "key",
            Code::Verification => "verification_failed",
            Code::Busy => "busy",
            Code::Conflict => "conflict",
            Code::NotFound => "not_found",
            Code::Unauthenticated => "unauthenticated",
            Code::Forbidden => "forbidden",
            Code::RateLimited => "rate_limited",
            Code::TooLarge => "too_large",
            Code::Internal => "internal",
        }
    }

    /// The `clew` program's exit status for it.
    pub fn exit_status(self) -> u8 {
        match self {
            Code::Internal => 1,
            Code::Usage | Code::Conflict | Code::NotFound => 2,
            Code::InvalidInput | Code::TooLarge => 3,
            Code::Project => 4,
            Code::Key | Code::Unauthenticated | Code::Forbidden => 5,
            Code::Verification => 6,
            Code::Busy | Code::RateLimited => 7,
        }
    }

    /// The HTTP status the server will answer with.
    pub fn http_status(self) -> u16 {
        match self {
            Code::Usage => 400,
            Code::InvalidInput => 422,
            Code::Project => 500,
            Code::Key => 403,
            Code::Verification => 409,
            Code::Busy => 503,
            Code::Conflict => 409,
            Code::NotFound => 404,
            Code::Unauthenticated => 401,
            Code::Forbidden => 403,
            Code::RateLimited => 429,
            Code::TooLarge => 413,
            Code::Internal => 500,
        }
    }
}

/// Why an operation did not succeed.
#[derive(Debug)]
pub struct Error {
    code: Code,
    message: String,
    diagnostics: Vec<Diagnostic>,
    report: Option<serde_json::Value>,
    reasons: Vec<Reason>,
}

/// Why a request from a reader was refused, for the server to say in the reader's language: the field at fault
/// (empty for the request as a whole), the id of a message of the server's message files (`reason-...`) and its
/// arguments. The English words stay in the error's message and diagnostics; a server test checks that every id
/// the service gives ([`REASONS`]) has a message in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The field at fault.
    pub field: String,
    /// The message id.
    pub id: &'static str,
    /// The message's arguments.
    pub args: Vec<(&'static str, String)>,
}

/// Every message id a [`Reason`] may carry.
pub const REASONS: [&str; 21] = [
    "reason-no-segment",
    "reason-kind-mismatch",
    "reason-derived-id",
    "reason-kind-needed",
    "reason-kind-too-general",
    "reason-unknown-kind",
    "reason-unknown-property",
    "reason-written-by-clew",
    "reason-too-long",
    "reason-bad-value",
    "reason-no-entity",
    "reason-not-replaceable",
    "reason-one-entity",
    "reason-never-compared",
    "reason-line-empty",
    "reason-line-text-too-long",
    "reason-line-too-many-files",
    "reason-line-file-too-large",
    "reason-line-closed",
    "reason-line-unknown-code",
    "reason-line-conversation-full",
];

impl Error {
    /// An error of this code.
    pub fn new(code: Code, message: impl Into<String>) -> Error {
        Error { code, message: message.into(), diagnostics: Vec::new(), report: None, reasons: Vec::new() }
    }

    /// The request is wrong.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(Code::Usage, message)
    }

    /// Something failed inside clew.
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(Code::Internal, message)
    }

    /// Input with problems, every one with its place; nothing was written.
    pub fn invalid(diagnostics: Vec<Diagnostic>) -> Error {
        let count = diagnostics.len();
        let mut error = Error::new(
            Code::InvalidInput,
            format!("{count} problem{} found; nothing was written", if count == 1 { "" } else { "s" }),
        );
        error.diagnostics = diagnostics;
        error
    }

    /// Verification found `problems` (in words; each becomes a diagnostic without a place); `report` is the whole
    /// report, for `--json`.
    pub fn verification(problems: &[String], report: Option<serde_json::Value>) -> Error {
        let mut error = Error::new(Code::Verification, format!("verification found {} problem(s)", problems.len()));
        error.diagnostics = problems
            .iter()
            .map(|problem| Diagnostic { file: None, pos: None, path: String::new(), message: problem.clone() })
            .collect();
        error.report = report;
        error
    }

    /// The same error, with why in words a server puts in its reader's language.
    pub fn with_reasons(mut self, reasons: Vec<Reason>) -> Error {
        self.reasons = reasons;
        self
    }

    /// Why, for a server to say in its reader's language (empty when the error has only its English words).
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons
    }

    /// The same error, with a report to give with it (e.g. the import report of invalid input).
    pub fn with_report(mut self, report: serde_json::Value) -> Error {
        self.report = Some(report);
        self
    }

    /// Its code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// What went wrong, in words.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// For invalid input: every problem with its place.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// A report that goes with it, if any.
    pub fn report(&self) -> Option<&serde_json::Value> {
        self.report.as_ref()
    }

    /// Its parts, for a caller that renders them.
    pub fn into_parts(self) -> (Code, String, Vec<Diagnostic>, Option<serde_json::Value>) {
        (self.code, self.message, self.diagnostics, self.report)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<clew_files::FileError> for Error {
    fn from(error: clew_files::FileError) -> Self {
        // A file named wrongly is the caller's to fix; a disk that fails or fills is not.
        if error.is_the_paths() { Error::usage(error.to_string()) } else { Error::internal(error.to_string()) }
    }
}

impl From<clew_store::Error> for Error {
    fn from(error: clew_store::Error) -> Self {
        use clew_store::{Error as E, ErrorKind as K};
        let message = error.to_string();
        let code = match (&error, error.kind()) {
            (E::NotAProject { .. } | E::NewerSchema { .. } | E::Config { .. }, _) => Code::Project,
            (E::AlreadyAProject { .. }, _) => Code::Usage,
            (_, K::Busy) => Code::Busy,
            (_, K::Conflict) => Code::Conflict,
            (_, K::NotFound) => Code::NotFound,
            (_, K::Corrupt | K::Internal) => Code::Internal,
        };
        Error::new(code, message)
    }
}

impl From<clew_vault::Error> for Error {
    fn from(error: clew_vault::Error) -> Self {
        match error {
            clew_vault::Error::Seal(_) | clew_vault::Error::Io(_) => Error::internal(error.to_string()),
            clew_vault::Error::BadSignature(_) => Error::new(Code::Verification, error.to_string()),
            other => Error::new(Code::Key, other.to_string()),
        }
    }
}

impl From<clew_custody::WriteError> for Error {
    fn from(error: clew_custody::WriteError) -> Self {
        match error {
            clew_custody::WriteError::Store(error) => error.into(),
            clew_custody::WriteError::Vault(error) => error.into(),
            clew_custody::WriteError::Refused(message) => Error::usage(message),
            other => Error::internal(other.to_string()),
        }
    }
}

impl From<clew_intake::attach::AttachError> for Error {
    fn from(error: clew_intake::attach::AttachError) -> Self {
        match error {
            clew_intake::attach::AttachError::Write(error) => error.into(),
            other => Error::usage(other.to_string()),
        }
    }
}

impl From<clew_custody::rotate::RotateError> for Error {
    fn from(error: clew_custody::rotate::RotateError) -> Self {
        use clew_custody::rotate::RotateError as E;
        match error {
            E::Write(error) => error.into(),
            E::Vault(error) => error.into(),
            E::Needs(message) => Error::new(Code::Key, message),
        }
    }
}

impl From<clew_disclosure::package::PackageError> for Error {
    fn from(error: clew_disclosure::package::PackageError) -> Self {
        use clew_disclosure::package::PackageError as E;
        match error {
            E::Write(error) => error.into(),
            E::Vault(error) => error.into(),
            E::Nothing(message) => Error::usage(message),
            E::Io(message) => Error::internal(message),
            E::Unverified(problems) => {
                let mut error = Error::verification(&problems, Some(serde_json::json!(problems)));
                error.message = format!(
                    "the project does not verify ({} problem(s), listed), so nothing was packaged or signed",
                    problems.len()
                );
                error
            }
        }
    }
}

impl From<clew_disclosure::ftm::ExportError> for Error {
    fn from(error: clew_disclosure::ftm::ExportError) -> Self {
        match error {
            clew_disclosure::ftm::ExportError::Store(error) => error.into(),
            other => Error::internal(other.to_string()),
        }
    }
}

impl From<clew_demo::Error> for Error {
    fn from(error: clew_demo::Error) -> Self {
        match error {
            clew_demo::Error::Store(error) => error.into(),
            clew_demo::Error::Write(error) => error.into(),
            other => Error::internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table in docs/errors.md is this one: every code, its string, exit status and HTTP status.
    #[test]
    fn the_documented_table_is_the_code_table() {
        let doc = include_str!("../../../docs/errors.md");
        for code in Code::ALL {
            let row = format!("| `{}` | {} | {} |", code.as_str(), code.exit_status(), code.http_status());
            assert!(doc.contains(&row), "docs/errors.md lacks the row {row}");
        }
        let rows = doc.lines().filter(|l| l.starts_with("| `")).count();
        assert_eq!(rows, Code::ALL.len(), "docs/errors.md has a row for a code that does not exist");
    }
}
