//! An in-memory index of documents by blocking keys (`clew_names::Name::keys`, identifiers): which documents
//! share a key with a query, ranked by how rare the keys they share are. One piece of code for every name
//! search clew makes: the screener's list entries ([`crate::screen::Screener`]) and a project's names (the
//! service's search).

use std::collections::HashMap;

/// Documents (numbered from 0, in the order added) by the keys they have.
#[derive(Debug, Default)]
pub struct KeyIndex {
    postings: HashMap<String, Vec<u32>>,
    documents: usize,
}

impl KeyIndex {
    /// An empty index.
    pub fn new() -> KeyIndex {
        KeyIndex::default()
    }

    /// Adds document `document` under each of `keys`. Documents are added in increasing order (the numbers
    /// are positions in the caller's own table); a key given twice for one document counts once.
    pub fn insert(&mut self, document: u32, keys: impl IntoIterator<Item = String>) {
        self.documents = self.documents.max(document as usize + 1);
        for key in keys {
            let bucket = self.postings.entry(key).or_default();
            if bucket.last() != Some(&document) {
                bucket.push(document);
            }
        }
    }

    /// How many documents the index numbers.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// How many distinct keys it holds.
    pub fn keys(&self) -> usize {
        self.postings.len()
    }

    /// Documents sharing a key with `keys` that `keep` accepts, ranked by the rarity of the keys they share
    /// (the sum of each key's inverse document frequency, `ln(N / n) + 1`), best first (ties by number), at most
    /// `limit`.
    ///
    /// At most `budget` postings are read, the rarest keys' first: the work of a query is bounded whatever it
    /// holds, and what a spent budget leaves unread is the commonest keys', which weigh least (a key most
    /// documents share tells them apart least).
    pub fn proposals(
        &self,
        keys: &[String],
        limit: usize,
        budget: usize,
        mut keep: impl FnMut(u32) -> bool,
    ) -> Vec<(u32, f64)> {
        let total = self.documents.max(1) as f64;
        let mut buckets: Vec<&Vec<u32>> = {
            let mut keys: Vec<&String> = keys.iter().collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().filter_map(|key| self.postings.get(key)).collect()
        };
        buckets.sort_by_key(|bucket| bucket.len());
        let mut weights: HashMap<u32, f64> = HashMap::new();
        let mut left = budget;
        for bucket in buckets {
            if left == 0 {
                break;
            }
            let rarity = (total / bucket.len() as f64).ln() + 1.0;
            let read = bucket.len().min(left);
            left -= read;
            for &document in &bucket[..read] {
                if keep(document) {
                    *weights.entry(document).or_default() += rarity;
                }
            }
        }
        let mut ranked: Vec<(u32, f64)> = weights.into_iter().collect();
        let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > limit {
            if limit == 0 {
                return Vec::new();
            }
            ranked.select_nth_unstable_by(limit - 1, order);
            ranked.truncate(limit);
        }
        ranked.sort_by(order);
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn the_rarest_shared_keys_rank_first_and_the_budget_reads_them_first() {
        let mut index = KeyIndex::new();
        index.insert(0, keys(&["w:common", "w:rare"]));
        index.insert(1, keys(&["w:common"]));
        index.insert(2, keys(&["w:common", "w:common"]));
        assert_eq!(index.documents(), 3);
        let query = keys(&["w:common", "w:rare", "w:absent"]);
        let ranked: Vec<u32> = index.proposals(&query, 10, usize::MAX, |_| true).into_iter().map(|p| p.0).collect();
        assert_eq!(ranked, [0, 1, 2]);
        assert_eq!(index.proposals(&query, 2, usize::MAX, |_| true).len(), 2);
        assert!(index.proposals(&query, 0, usize::MAX, |_| true).is_empty());
        // What `keep` refuses is never proposed.
        let kept: Vec<u32> = index.proposals(&query, 10, usize::MAX, |d| d != 0).into_iter().map(|p| p.0).collect();
        assert_eq!(kept, [1, 2]);
        // A budget of one posting reads the rare key's only.
        let budgeted: Vec<u32> = index.proposals(&query, 10, 1, |_| true).into_iter().map(|p| p.0).collect();
        assert_eq!(budgeted, [0]);
    }
}
