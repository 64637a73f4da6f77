//! Proofs of the custody log for people without the project: an inclusion proof (this event is in the log
//! under this signed tree head) and a consistency proof (this signed tree head extends that earlier one: the
//! history up to it was only appended to). Made by the project, checked anywhere with [`check_proof`].

use clew_store::{CustodyEvent, ReadTx};
use clew_vault::log::{
    Hash, consistency_proof, event_leaf, inclusion_proof, root, verify_consistency, verify_inclusion,
};
use clew_vault::signing::{ProjectSigningKey, SignedTreeHead};
use hex::FromHex;
use serde::{Deserialize, Serialize};

use crate::now_rfc3339;

/// A custody event as a package carries it: the fields its leaf hash is computed from, and its inclusion
/// proof in the signed tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvedEvent {
    /// Sequence number (leaf index + 1).
    pub seq: u64,
    /// When.
    pub recorded_at: String,
    /// Who.
    pub recorded_by: String,
    /// What kind.
    pub kind: String,
    /// Its detail (JSON text, hashed as it is).
    pub detail: String,
    /// Its leaf hash (hex).
    pub leaf_hash: String,
    /// The audit path to the signed tree head (hex hashes, leaf to root).
    pub inclusion_proof: Vec<String>,
}

impl ProvedEvent {
    /// An event with its inclusion proof in the tree of `leaves` (the whole log).
    pub fn prove(event: CustodyEvent, leaves: &[Hash]) -> ProvedEvent {
        ProvedEvent {
            inclusion_proof: inclusion_proof((event.seq - 1) as usize, leaves).iter().map(hex::encode).collect(),
            leaf_hash: hex::encode(event.leaf_hash),
            seq: event.seq,
            recorded_at: event.recorded_at,
            recorded_by: event.recorded_by,
            kind: event.kind,
            detail: event.detail,
        }
    }
}

/// The format of a proof file.
pub const PROOF_FORMAT: &str = "clew-proof-v1";

/// A proof file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// Always [`PROOF_FORMAT`].
    pub format: String,
    /// The signed tree head the proof leads to.
    pub tree_head: SignedTreeHead,
    /// An inclusion proof: the event, with its audit path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<ProvedEvent>,
    /// A consistency proof: from the tree of this many events...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_size: Option<u64>,
    /// ...whose head was this (hex)...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_head: Option<String>,
    /// ...to the signed tree head, by these hashes (hex; RFC 9162 §2.1.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consistency_proof: Option<Vec<String>>,
}

/// What a proof asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofRequest {
    /// That event `seq` is in the log.
    Inclusion(u64),
    /// That the log extends its first `size` events.
    Consistency(u64),
}

/// The leaf hashes of every event of the custody log, in order, as `store` (a snapshot) holds them: what a tree
/// head is computed from.
pub fn log_leaves(store: &dyn ReadTx) -> clew_store::Result<Vec<Hash>> {
    Ok(leaves_and_events(store, None)?.0)
}

fn leaves_and_events(store: &dyn ReadTx, wanted: Option<u64>) -> clew_store::Result<(Vec<Hash>, Option<CustodyEvent>)> {
    let mut leaves = Vec::new();
    let mut found = None;
    store.for_each_event(&mut |event| {
        leaves.push(event.leaf_hash);
        if Some(event.seq) == wanted {
            found = Some(event);
        }
        Ok(())
    })?;
    Ok((leaves, found))
}

/// Makes a proof against a freshly signed head of the whole log as `store` (a snapshot: the one that was
/// verified) holds it. `Err` says what is wrong with the request.
pub fn make_proof(store: &dyn ReadTx, key: &ProjectSigningKey, request: ProofRequest) -> Result<Proof, String> {
    let wanted = match request {
        ProofRequest::Inclusion(seq) => Some(seq),
        ProofRequest::Consistency(_) => None,
    };
    let (leaves, found) = leaves_and_events(store, wanted).map_err(|e| e.to_string())?;
    let size = leaves.len() as u64;
    let tree_head = key.sign_head(size, &root(&leaves), &now_rfc3339());
    let mut proof = Proof {
        format: PROOF_FORMAT.into(),
        tree_head,
        event: None,
        first_size: None,
        first_head: None,
        consistency_proof: None,
    };
    match request {
        ProofRequest::Inclusion(seq) => {
            let event = found.ok_or_else(|| format!("there is no event {seq}; the log has {size}"))?;
            proof.event = Some(ProvedEvent::prove(event, &leaves));
        }
        ProofRequest::Consistency(first) => {
            if first == 0 || first > size {
                return Err(format!(
                    "a consistency proof starts from 1 to {size} events (the log's size), not {first}"
                ));
            }
            proof.first_size = Some(first);
            proof.first_head = Some(hex::encode(root(&leaves[..first as usize])));
            proof.consistency_proof =
                Some(consistency_proof(first as usize, &leaves).iter().map(hex::encode).collect());
        }
    }
    Ok(proof)
}

/// What a checked proof shows.
#[derive(Debug, Clone, Serialize)]
pub struct ProofReport {
    /// The signed tree size.
    pub tree_size: u64,
    /// The signed tree head.
    pub tree_head: String,
    /// The key that signed it.
    pub signing_key: String,
    /// What was proved, in words.
    pub proved: String,
    /// Everything wrong; empty when the proof holds.
    pub problems: Vec<String>,
}

/// Checks a proof offline: the head's signature (by `expected_key` when given), then the inclusion or
/// consistency proof. With `earlier`, a signed head received before, a consistency proof must start from it.
pub fn check_proof(proof: &Proof, expected_key: Option<&str>, earlier: Option<&SignedTreeHead>) -> ProofReport {
    let head = &proof.tree_head;
    let mut report = ProofReport {
        tree_size: head.tree_size,
        tree_head: head.tree_head.clone(),
        signing_key: head.public_key.clone(),
        proved: String::new(),
        problems: Vec::new(),
    };
    let problems = &mut report.problems;
    if proof.format != PROOF_FORMAT {
        problems.push(format!("not a clew proof (format `{}`)", proof.format));
        return report;
    }
    if let Err(error) = head.verify(expected_key) {
        problems.push(format!("tree head: {error}"));
    }
    let Some(root_hash) = head.head() else {
        problems.push("tree head: malformed".into());
        return report;
    };
    let hashes = |list: &[String]| -> Option<Vec<Hash>> { list.iter().map(|h| Hash::from_hex(h).ok()).collect() };
    match (&proof.event, &proof.consistency_proof) {
        (Some(event), None) => {
            let leaf = event_leaf(&event.recorded_at, &event.recorded_by, &event.kind, &event.detail);
            if hex::encode(leaf) != event.leaf_hash {
                problems.push(format!("event {}: its fields do not hash to its leaf: it was altered", event.seq));
            } else if !hashes(&event.inclusion_proof).is_some_and(|path| {
                event.seq >= 1 && verify_inclusion(event.seq - 1, head.tree_size, &leaf, &path, &root_hash)
            }) {
                problems
                    .push(format!("event {}: the inclusion proof does not lead to the signed tree head", event.seq));
            } else {
                report.proved = format!(
                    "event {} ({}, {} by {}) is in the log of {} events",
                    event.seq, event.kind, event.recorded_at, event.recorded_by, head.tree_size
                );
            }
        }
        (None, Some(path)) => {
            let first = proof.first_size.unwrap_or(0);
            let first_head = proof.first_head.as_deref().and_then(|h| Hash::from_hex(h).ok());
            if let Some(earlier) = earlier {
                if let Err(error) = earlier.verify(expected_key.or(Some(&head.public_key))) {
                    problems.push(format!("the earlier tree head: {error}"));
                }
                if earlier.tree_size != first || Some(earlier.tree_head.as_str()) != proof.first_head.as_deref() {
                    problems.push(format!(
                        "the proof starts from {first} events, not from the earlier tree head given ({} events)",
                        earlier.tree_size
                    ));
                }
            }
            let holds = first_head.zip(hashes(path)).is_some_and(|(first_head, path): (Hash, Vec<Hash>)| {
                verify_consistency(first, head.tree_size, &first_head, &root_hash, &path)
            });
            if holds {
                report.proved = format!(
                    "the log of {} events extends its first {first} events unchanged: its history was only appended to",
                    head.tree_size
                );
            } else {
                problems.push(format!(
                    "the consistency proof fails: the log of {} events does not extend the tree of {first} given \
                     (its history was rewritten, or the proof is damaged)",
                    head.tree_size
                ));
            }
        }
        _ => problems.push("the proof holds neither an event nor a consistency proof".into()),
    }
    report
}
