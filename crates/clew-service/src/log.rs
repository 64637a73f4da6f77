//! The custody log's tree head and proofs: verified and computed from one snapshot, so that nothing committed
//! meanwhile is vouched for unverified.

use std::path::Path;

use clew_custody::proofs::{Proof, ProofReport};
use clew_custody::verify::Anchor;
use clew_vault::log::Hash;
use clew_vault::signing::{KeyFiles, SignedTreeHead};

use crate::{Error, Result, Service};

pub use clew_custody::proofs::ProofRequest;

/// The log's size and root, as verified.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TreeHead {
    /// How many events.
    pub tree_size: u64,
    /// The Merkle tree head (hex).
    pub tree_head: String,
    /// Whether it is signed (an unsigned head is given as SIZE:HEX).
    pub signed: bool,
    #[serde(skip)]
    root: Hash,
}

impl Service {
    /// The log's tree head, after the log verified from the same snapshot (never vouch for a log that does not
    /// check out: a problem is a `verification_failed` error with the report).
    pub fn tree_head(&self) -> Result<TreeHead> {
        let snapshot = self.project.read()?;
        let checked =
            clew_custody::verify::verify(&*snapshot, &self.project.blob_dir(), &self.project.list_dir(), None, None)?;
        if !checked.problems.is_empty() {
            return Err(Error::verification(&checked.problems, serde_json::to_value(&checked).ok()));
        }
        let leaves = clew_custody::proofs::log_leaves(&*snapshot)?;
        let root = clew_vault::log::root(&leaves);
        Ok(TreeHead { tree_size: leaves.len() as u64, tree_head: hex::encode(root), signed: false, root })
    }

    /// The log's tree head, verified and signed with the project's signing key (unlocked with `passphrase`).
    pub fn signed_tree_head(&self, passphrase: &str) -> Result<SignedTreeHead> {
        let keys = self.signing_keys("a signed tree head")?;
        let head = self.tree_head()?;
        let key = keys.unlock(passphrase)?;
        Ok(key.sign_head(head.tree_size, &head.root, &clew_custody::now_rfc3339()))
    }

    /// A proof for a partner (that an event is in the log, or that it extends an earlier head), against a head
    /// signed now, made from the snapshot that verified.
    pub fn proof(&self, passphrase: &str, request: ProofRequest) -> Result<Proof> {
        let keys = self.signing_keys("a proof")?;
        let key = keys.unlock(passphrase)?;
        let snapshot = self.project.read()?;
        let checked =
            clew_custody::verify::verify(&*snapshot, &self.project.blob_dir(), &self.project.list_dir(), None, None)?;
        if !checked.problems.is_empty() {
            return Err(Error::verification(&checked.problems, serde_json::to_value(&checked).ok()));
        }
        clew_custody::proofs::make_proof(&*snapshot, &key, request).map_err(Error::usage)
    }

    /// Whether `passphrase` unlocks the project's signing key (for `what`): to check before long work that ends
    /// in a signature.
    pub fn check_signing_passphrase(&self, what: &str, passphrase: &str) -> Result<()> {
        self.signing_keys(what)?.unlock(passphrase).map(drop).map_err(Error::from)
    }

    /// Whether the project can sign (it has a signing key), for `what`: to check before asking for a
    /// passphrase.
    pub fn can_sign(&self, what: &str) -> Result<()> {
        self.signing_keys(what).map(drop)
    }

    /// The project's key files, when it has a signing key; `what` needs one.
    fn signing_keys(&self, what: &str) -> Result<KeyFiles> {
        let keys = KeyFiles::of_project(self.dir());
        if keys.exists() {
            Ok(keys)
        } else {
            Err(Error::usage(format!(
                "{what} needs the project's signing key, which it does not have yet: clew keys init"
            )))
        }
    }
}

/// Reads a signed tree head file (the JSON `clew log head --out FILE` writes). `what_else` says what the
/// caller could give instead, for the message when the file is not one.
pub fn read_signed_head(path: &Path, what_else: Option<&str>) -> Result<SignedTreeHead> {
    let text = clew_files::read_text(path, clew_files::limits::SMALL_TEXT)?;
    serde_json::from_str(&text).map_err(|e| {
        let (line, column, kind) = (e.line(), e.column(), json_error_kind(&e));
        Error::usage(match what_else {
            Some(what_else) => format!(
                "{}: not a signed tree head (the JSON `clew log head --out FILE` writes; {what_else}): line {line}, \
                 column {column}: {kind}",
                path.display()
            ),
            None => format!("{}: not a signed tree head (line {line}, column {column}: {kind})", path.display()),
        })
    })
}

/// What kind of problem a JSON file has, in words, without quoting any of it.
pub fn json_error_kind(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Syntax => "this is not JSON",
        serde_json::error::Category::Data => "JSON, but not the fields expected",
        serde_json::error::Category::Eof => "the file ends too early",
        serde_json::error::Category::Io => "it could not be read",
    }
}

/// The size of an earlier tree head (`--from`): a number, or read from a signed tree head file.
pub fn earlier_size(from: &str) -> Result<u64> {
    if let Ok(size) = from.parse() {
        return Ok(size);
    }
    let path = Path::new(from);
    if !path.is_file() {
        return Err(Error::usage(format!(
            "--from: `{}` is neither a size nor a signed tree head file",
            crate::printable(from)
        )));
    }
    Ok(read_signed_head(path, None)?.tree_size)
}

/// Checks a proof file offline (against `expected_key` when given, and extending the signed head in
/// `earlier` when given).
pub fn check_proof(file: &Path, earlier: Option<&Path>, expected_key: Option<&str>) -> Result<ProofReport> {
    let text = clew_files::read_text(file, clew_files::limits::SMALL_TEXT)?;
    let proof: Proof =
        serde_json::from_str(&text).map_err(|e| Error::usage(format!("{}: not a clew proof: {e}", file.display())))?;
    let earlier = earlier
        .map(|path| {
            let text = clew_files::read_text(path, clew_files::limits::SMALL_TEXT)?;
            serde_json::from_str::<SignedTreeHead>(&text)
                .map_err(|e| Error::usage(format!("{}: not a signed tree head: {e}", path.display())))
        })
        .transpose()?;
    Ok(clew_custody::proofs::check_proof(&proof, expected_key, earlier.as_ref()))
}

impl Service {
    /// A tree head to verify against (`--head`): a signed tree head file (its signature checked against the
    /// project's key), or SIZE:HEX.
    pub fn anchor(&self, head: &str) -> Result<Anchor> {
        let path = Path::new(head);
        if !path.is_file() {
            return head.parse().map_err(Error::usage);
        }
        let signed = read_signed_head(path, Some("for an unsigned head give --head SIZE:HEX"))?;
        let keys = KeyFiles::of_project(self.dir());
        let expected = if keys.exists() { Some(keys.public_hex()?) } else { None };
        signed.verify(expected.as_deref())?;
        let head = signed.head().ok_or_else(|| Error::usage(format!("{}: malformed tree head", path.display())))?;
        Ok(Anchor { size: signed.tree_size, head })
    }
}
