//! The custody log's Merkle tree, as Certificate Transparency defines it (RFC 6962 / RFC 9162 §2.1): leaf
//! hashes, the tree head of any size, inclusion proofs and consistency proofs, and their verification.
//! Anyone can check a proof with a few lines of code and SHA-256; nothing here needs clew.

use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The hash of a leaf: SHA-256(0x00 ‖ data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0]);
    hasher.update(data);
    hasher.finalize().into()
}

/// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([1]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// The leaf hash of a custody event: each field length-prefixed (8 bytes, big-endian), so no field can be
/// made to look like two.
pub fn event_leaf(recorded_at: &str, recorded_by: &str, kind: &str, detail: &str) -> Hash {
    let mut data = b"clew-custody-event-v1".to_vec();
    for field in [recorded_at, recorded_by, kind, detail] {
        data.extend_from_slice(&(field.len() as u64).to_be_bytes());
        data.extend_from_slice(field.as_bytes());
    }
    leaf_hash(&data)
}

/// The largest power of two smaller than `n` (n ≥ 2).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

/// The tree head (Merkle tree hash) of the given leaf hashes; SHA-256 of nothing for an empty tree.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The inclusion proof (audit path) of leaf `index` in the tree of `leaves`.
pub fn inclusion_proof(index: usize, leaves: &[Hash]) -> Vec<Hash> {
    let n = leaves.len();
    if n <= 1 || index >= n {
        return Vec::new();
    }
    let k = split(n);
    let (mut path, sibling) = if index < k {
        (inclusion_proof(index, &leaves[..k]), root(&leaves[k..]))
    } else {
        (inclusion_proof(index - k, &leaves[k..]), root(&leaves[..k]))
    };
    path.push(sibling);
    path
}

/// Checks that a leaf is at `index` of the tree of `size` leaves whose head is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// The consistency proof between the tree of the first `first` leaves and the tree of all `leaves`.
pub fn consistency_proof(first: usize, leaves: &[Hash]) -> Vec<Hash> {
    fn subproof(m: usize, leaves: &[Hash], complete: bool) -> Vec<Hash> {
        let n = leaves.len();
        if m == n {
            return if complete { Vec::new() } else { vec![root(leaves)] };
        }
        let k = split(n);
        let (mut proof, other) = if m <= k {
            (subproof(m, &leaves[..k], complete), root(&leaves[k..]))
        } else {
            (subproof(m - k, &leaves[k..], false), root(&leaves[..k]))
        };
        proof.push(other);
        proof
    }
    if first == 0 || first > leaves.len() {
        return Vec::new();
    }
    subproof(first, leaves, true)
}

/// Checks that the tree of `second` leaves (head `second_root`) extends the tree of `first` leaves (head
/// `first_root`) (RFC 9162 §2.1.4.2).
pub fn verify_consistency(first: u64, second: u64, first_root: &Hash, second_root: &Hash, proof: &[Hash]) -> bool {
    if first == 0 || first > second {
        return false;
    }
    if first == second {
        return proof.is_empty() && first_root == second_root;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if first.is_power_of_two() {
        path.push(*first_root);
    }
    path.extend_from_slice(proof);
    let Some((start, rest)) = path.split_first() else { return false };
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*start, *start);
    for c in rest {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    fr == *first_root && sr == *second_root && s == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(format!("event {i}").as_bytes())).collect()
    }

    #[test]
    fn known_values() {
        // SHA-256 of nothing, and a one-leaf tree is its leaf (RFC 9162 §2.1.1).
        assert_eq!(hex::encode(root(&[])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let one = leaves(1);
        assert_eq!(root(&one), one[0]);
        // An empty leaf: SHA-256(0x00), as in the Certificate Transparency test vectors.
        assert_eq!(hex::encode(leaf_hash(b"")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        let three = leaves(3);
        assert_eq!(root(&three), node_hash(&node_hash(&three[0], &three[1]), &three[2]));
    }

    #[test]
    fn every_inclusion_proof_verifies_and_a_wrong_one_does_not() {
        for n in 1..=40 {
            let all = leaves(n);
            let head = root(&all);
            for index in 0..n {
                let proof = inclusion_proof(index, &all);
                assert!(verify_inclusion(index as u64, n as u64, &all[index], &proof, &head), "n={n} i={index}");
                let other = leaf_hash(b"forged");
                assert!(!verify_inclusion(index as u64, n as u64, &other, &proof, &head));
                if n > 1 {
                    assert!(!verify_inclusion(((index + 1) % n) as u64, n as u64, &all[index], &proof, &head));
                }
            }
        }
    }

    #[test]
    fn every_consistency_proof_verifies_and_a_rewritten_history_does_not() {
        for n in 1..=40 {
            let all = leaves(n);
            let head = root(&all);
            for m in 1..=n {
                let proof = consistency_proof(m, &all);
                let old = root(&all[..m]);
                assert!(verify_consistency(m as u64, n as u64, &old, &head, &proof), "m={m} n={n}");
                // The same new tree against an old head whose first leaf was changed.
                let mut rewritten = all[..m].to_vec();
                rewritten[0] = leaf_hash(b"rewritten");
                assert!(!verify_consistency(m as u64, n as u64, &root(&rewritten), &head, &proof), "m={m} n={n}");
            }
        }
    }
}
