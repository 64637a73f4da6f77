//! The custody log's tree head and proofs: verified and computed from one snapshot, so that nothing committed
//! meanwhile is vouched for unverified.

use clew_intake::proofs::{Proof, ProofRequest};
use clew_vault::log::Hash;
use clew_vault::signing::{KeyFiles, SignedTreeHead};

use crate::{Error, Result, Service};

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
            clew_intake::verify::verify(&*snapshot, &self.project.blob_dir(), &self.project.list_dir(), None, None)?;
        if !checked.problems.is_empty() {
            return Err(Error::verification(&checked.problems, serde_json::to_value(&checked).ok()));
        }
        let leaves = clew_intake::proofs::log_leaves(&*snapshot)?;
        let root = clew_vault::log::root(&leaves);
        Ok(TreeHead { tree_size: leaves.len() as u64, tree_head: hex::encode(root), signed: false, root })
    }

    /// The log's tree head, verified and signed with the project's signing key (unlocked with `passphrase`).
    pub fn signed_tree_head(&self, passphrase: &str) -> Result<SignedTreeHead> {
        let keys = self.signing_keys("a signed tree head")?;
        let head = self.tree_head()?;
        let key = keys.unlock(passphrase)?;
        Ok(key.sign_head(head.tree_size, &head.root, &clew_intake::import::now_rfc3339()))
    }

    /// A proof for a partner (that an event is in the log, or that it extends an earlier head), against a head
    /// signed now, made from the snapshot that verified.
    pub fn proof(&self, passphrase: &str, request: ProofRequest) -> Result<Proof> {
        let keys = self.signing_keys("a proof")?;
        let key = keys.unlock(passphrase)?;
        let snapshot = self.project.read()?;
        let checked =
            clew_intake::verify::verify(&*snapshot, &self.project.blob_dir(), &self.project.list_dir(), None, None)?;
        if !checked.problems.is_empty() {
            return Err(Error::verification(&checked.problems, serde_json::to_value(&checked).ok()));
        }
        clew_intake::proofs::make_proof(&*snapshot, &key, request).map_err(Error::usage)
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
