//! Custody events: what every write to a project appends to its log (in the write's own transaction), the
//! custodians what is protected is sealed to, and the one error of writing to a project.

use clew_store::{Batch, ProtectedVersion, ReadTx, WriteTx};
use clew_vault::Recipient;

/// What a custody event records: one spelling each, as the log stores it (and its leaf hash covers it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// Testimonies imported.
    Import,
    /// FtM entity files imported.
    ImportFtm,
    /// Synthetic demo testimonies written.
    Demo,
    /// Assessments recorded as derived statements.
    Assessment,
    /// Screening results recorded as derived statements.
    Screening,
    /// Files attached to a testimony (sealed).
    Attach,
    /// A custodian added.
    CustodianAdd,
    /// A custodian removed.
    CustodianRemove,
    /// The project's signing key created.
    SigningKeyCreated,
    /// The project's key pair created.
    ProjectKeyCreated,
    /// A key rotation begun: the files it will re-seal, by their new hashes.
    KeysRotateBegin,
    /// A key rotation ended: everything sealed anew.
    KeysRotate,
    /// An FtM export.
    Export,
    /// An evidence package exported.
    PackageExport,
    /// A testimony's protected data read.
    ProtectedRead,
    /// A sanctions list kept.
    ListImport,
    /// A reviewer's judgement on two entities.
    LinkJudgement,
    /// An account added (its name and role; never a password).
    AccountAdd,
    /// An account disabled.
    AccountDisable,
    /// An account enabled again.
    AccountEnable,
    /// An account given a new one-time password (and second factor).
    AccountReset,
    /// An account given another role (from, to; and whether new credentials were issued with it).
    AccountRole,
    /// Someone signed in.
    SignIn,
    /// A sign-in refused (the account named when there is one, and why; never what was typed).
    SignInFailed,
    /// Someone signed out.
    SignOut,
    /// An account's password changed by its owner.
    PasswordChange,
    /// An API token made for an account (what it is for; never the token).
    TokenCreate,
    /// An API token used.
    TokenUse,
    /// A coder added a fact citing a testimony's segment, or corrected one (the statements' ids; never their
    /// values).
    FactAdd,
    /// An estimate kept in the project (its kind, title and the SHA-256 of its headline, report and chart).
    EstimateKeep,
    /// A caseworker of the safe line added (their public key and label).
    CaseworkerAdd,
    /// A caseworker of the safe line removed.
    CaseworkerRemove,
    /// A dossier made (its entity, audience and the SHA-256 of each of its files).
    DossierExport,
    /// A sanctions brief made (its audience, the month it starts from and the SHA-256 of each of its files).
    BriefExport,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 34] = [
        EventKind::Import,
        EventKind::ImportFtm,
        EventKind::Demo,
        EventKind::Assessment,
        EventKind::Screening,
        EventKind::Attach,
        EventKind::CustodianAdd,
        EventKind::CustodianRemove,
        EventKind::SigningKeyCreated,
        EventKind::ProjectKeyCreated,
        EventKind::KeysRotateBegin,
        EventKind::KeysRotate,
        EventKind::Export,
        EventKind::PackageExport,
        EventKind::ProtectedRead,
        EventKind::ListImport,
        EventKind::LinkJudgement,
        EventKind::AccountAdd,
        EventKind::AccountDisable,
        EventKind::AccountEnable,
        EventKind::AccountReset,
        EventKind::AccountRole,
        EventKind::SignIn,
        EventKind::SignInFailed,
        EventKind::SignOut,
        EventKind::PasswordChange,
        EventKind::TokenCreate,
        EventKind::TokenUse,
        EventKind::FactAdd,
        EventKind::EstimateKeep,
        EventKind::CaseworkerAdd,
        EventKind::CaseworkerRemove,
        EventKind::DossierExport,
        EventKind::BriefExport,
    ];

    /// The word the log stores.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Import => "import",
            EventKind::ImportFtm => "import-ftm",
            EventKind::Demo => "demo",
            EventKind::Assessment => "assessment",
            EventKind::Screening => "screening",
            EventKind::Attach => "attach",
            EventKind::CustodianAdd => "custodian-add",
            EventKind::CustodianRemove => "custodian-remove",
            EventKind::SigningKeyCreated => "signing-key-created",
            EventKind::ProjectKeyCreated => "project-key-created",
            EventKind::KeysRotateBegin => "keys-rotate-begin",
            EventKind::KeysRotate => "keys-rotate",
            EventKind::Export => "export",
            EventKind::PackageExport => "package-export",
            EventKind::ProtectedRead => "protected-read",
            EventKind::ListImport => "list-import",
            EventKind::LinkJudgement => "link-judgement",
            EventKind::AccountAdd => "account-add",
            EventKind::AccountDisable => "account-disable",
            EventKind::AccountEnable => "account-enable",
            EventKind::AccountReset => "account-reset",
            EventKind::AccountRole => "account-role",
            EventKind::SignIn => "sign-in",
            EventKind::SignInFailed => "sign-in-failed",
            EventKind::SignOut => "sign-out",
            EventKind::PasswordChange => "password-change",
            EventKind::TokenCreate => "token-create",
            EventKind::TokenUse => "token-use",
            EventKind::FactAdd => "fact-add",
            EventKind::EstimateKeep => "estimate-keep",
            EventKind::CaseworkerAdd => "caseworker-add",
            EventKind::CaseworkerRemove => "caseworker-remove",
            EventKind::DossierExport => "dossier-export",
            EventKind::BriefExport => "brief-export",
        }
    }

    /// The kind of a stored word; `None` for one this clew does not know (an event is kept and hashed whatever
    /// its kind).
    pub fn parse(text: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// The project's custodians as keys to seal to.
pub fn custodian_keys(store: &dyn ReadTx) -> Result<Vec<Recipient>, WriteError> {
    store
        .custodians()?
        .iter()
        .map(|c| c.public_key.parse().map_err(|e: clew_vault::Error| WriteError::BadCustodian(e.to_string())))
        .collect()
}

/// Checks, inside a write transaction, that the project's custodians are still those something was sealed to
/// before it began (sealing is slow, so it happens outside): a custodian added or removed in between would
/// otherwise be left out of, or given, what this write stores.
pub fn check_sealed_to(tx: &dyn WriteTx, sealed_to: &[Recipient]) -> Result<(), WriteError> {
    let now: Vec<String> = custodian_keys(tx.reads())?.iter().map(ToString::to_string).collect();
    let then: Vec<String> = sealed_to.iter().map(ToString::to_string).collect();
    if now != then {
        return Err(clew_store::Error::Conflict(
            "the project's custodians changed while this was being prepared (protected data was sealed to the \
             earlier ones): nothing was written; run it again"
                .into(),
        )
        .into());
    }
    Ok(())
}

/// Appends an event to the custody log in the transaction of `batch` (whose time and author it carries).
/// `detail` must never hold witness data: ids, counts, hashes. When the transaction stored protected block
/// versions, the event commits to them (`protected_versions`, `protected_sha256`), whoever wrote them.
pub fn record_event(
    tx: &mut dyn WriteTx,
    batch: &Batch,
    kind: EventKind,
    detail: &serde_json::Value,
) -> Result<u64, WriteError> {
    let kind = kind.as_str();
    let protected = tx.protected_written()?;
    let mut detail = detail.clone();
    // Only events of writes that sealed protected data say so, so that every other event keeps its fields.
    if !protected.is_empty()
        && let Some(fields) = detail.as_object_mut()
    {
        fields.insert("protected_versions".into(), protected.len().into());
        fields.insert("protected_sha256".into(), protected_digest(&protected).into());
        // The sealed bytes of each, apart from where they belong: a key rotation seals them anew (and logs the
        // new hashes), while `protected_sha256` stays true of where every version belongs.
        let sealed: serde_json::Map<String, serde_json::Value> =
            protected.iter().map(|v| (protected_place(v), v.sealed_sha256.clone().into())).collect();
        fields.insert("protected_sealed_sha256".into(), sealed.into());
    }
    // serde_json keeps object keys sorted, so the same detail is always the same text and the same hash.
    let detail = detail.to_string();
    let leaf = clew_vault::log::event_leaf(&batch.recorded_at, &batch.recorded_by, kind, &detail);
    Ok(tx.append_event(kind, &detail, &leaf)?)
}

/// Current time in RFC 3339 (UTC, seconds).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Why a checked record could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] clew_store::Error),
    /// A checked record still did not map (a bug: the reader should have refused it).
    #[error("internal error mapping a checked record: {0}")]
    Mapping(String),
    /// Protected data could not be sealed (no custodian, or the encryption failed).
    #[error(transparent)]
    Vault(#[from] clew_vault::Error),
    /// A custodian key in the project is not a valid public key (the database was changed by hand).
    #[error("the project's custodian list holds an invalid key: {0}")]
    BadCustodian(String),
    /// A file of the project could not be written.
    #[error("{0}")]
    Io(String),
    /// The request itself is wrong (an unknown entity, a verdict that is none of the three); nothing was
    /// written.
    #[error("{0}")]
    Refused(String),
}

/// Where a protected block version belongs, as the custody log names it: `SOURCE/GENERATION/VERSION`.
pub fn protected_place(version: &ProtectedVersion) -> String {
    format!("{}/{}/{}", version.source, version.generation, version.version)
}

/// SHA-256 (hex) over protected block versions: where each belongs (source, generation, version), not its
/// sealed bytes, which a key rotation re-seals in place (those are logged apart, by place:
/// `protected_sealed_sha256`). What an import's custody event commits to (`protected_sha256`) and
/// `clew verify` recomputes from the versions stored.
pub fn protected_digest(versions: &[ProtectedVersion]) -> String {
    let mut lines: Vec<String> =
        versions.iter().map(|v| format!("{}\t{}\t{}\n", v.source, v.generation, v.version)).collect();
    lines.sort_unstable();
    clew_model::ids::sha256_hex(lines.concat().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_one_spelling_and_reads_back() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        let words: std::collections::HashSet<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(words.len(), EventKind::ALL.len(), "two kinds share a word");
        assert_eq!(EventKind::parse("Attach"), None);
        assert_eq!(EventKind::parse("tampered"), None);
    }
}
