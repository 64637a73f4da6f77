//! Clustering: linked pairs become entities. Pairs are joined strongest first, but two groups join only when
//! their records, taken all against all, still look like one entity on average (so A~B and B~C do not pull in
//! an A that is clearly not C), and never across a pair a reviewer judged different. Reviewers' "same"
//! judgements join first. Nothing is edited: the result is a mapping from records to entities.

use rustc_hash::FxHashSet;

use crate::predict::Scored;
use crate::records::Records;

/// A reviewer's verdict on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The same entity.
    Same,
    /// Different entities.
    Different,
    /// Cannot say: the model decides.
    Unsure,
}

impl Verdict {
    /// `same`, `different` or `unsure`, as reviewers write them and the project keeps them; anything else is no
    /// verdict (never read as `unsure`: a misspelt "different" must not let the model join a pair).
    pub fn parse(text: &str) -> Option<Verdict> {
        match text {
            "same" => Some(Verdict::Same),
            "different" => Some(Verdict::Different),
            "unsure" => Some(Verdict::Unsure),
            _ => None,
        }
    }

    /// The word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::Different => "different",
            Verdict::Unsure => "unsure",
        }
    }
}

/// A verdict is written as its word ([`Verdict::as_str`]): the one spelling of it.
impl serde::Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A judgement on a pair, for clustering.
#[derive(Debug, Clone, Copy)]
pub struct Judged {
    /// One record.
    pub a: u32,
    /// The other.
    pub b: u32,
    /// The verdict.
    pub verdict: Verdict,
}

/// Why two groups were not joined.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// A reviewer judged a pair across them different.
    JudgedDifferent {
        /// The pair that would have joined them.
        pair: (u32, u32),
        /// The pair judged different.
        judged: (u32, u32),
    },
    /// Taken all against all, their records do not reach the threshold (a chain).
    Chain {
        /// The pair that would have joined them.
        pair: (u32, u32),
        /// The mean weight across the groups.
        mean_weight: f64,
    },
    /// The groups are too large to compare all against all.
    TooLarge {
        /// The pair that would have joined them.
        pair: (u32, u32),
    },
    /// A pair across them has names that differ outright: only a reviewer's judgement joins such records.
    NamesDiffer {
        /// The pair that would have joined them.
        pair: (u32, u32),
        /// The pair across the groups whose names differ.
        differ: (u32, u32),
    },
}

/// The judgements contradict each other: `same` pairs join records that a `different` pair separates.
#[derive(Debug, Clone, PartialEq)]
pub struct Inconsistency {
    /// The "same" judgement not applied.
    pub same: (u32, u32),
    /// The "different" judgement it contradicts.
    pub different: (u32, u32),
}

/// Entities found.
#[derive(Debug, Clone)]
pub struct Clusters {
    /// Each record's entity (an index into `canonical`).
    pub entity_of: Vec<u32>,
    /// Each entity's canonical id: the smallest record id among its records (the first file's when two files
    /// use it), so it stays the same from run to run while that record stays in it.
    pub canonical: Vec<String>,
    /// Each entity's canonical record (the one whose id names it).
    pub canonical_record: Vec<u32>,
    /// Joins refused, for review.
    pub refused: Vec<Refusal>,
    /// Contradicting judgements, reported and not resolved.
    pub inconsistencies: Vec<Inconsistency>,
}

/// Groups larger than this product of sizes are not compared all against all.
const MAX_CROSS_PAIRS: usize = 10_000;

struct Groups {
    root: Vec<u32>,
    members: Vec<Vec<u32>>,
}

impl Groups {
    fn find(&self, record: u32) -> u32 {
        self.root[record as usize]
    }

    fn join(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (big, small) =
            if self.members[ra as usize].len() >= self.members[rb as usize].len() { (ra, rb) } else { (rb, ra) };
        let moved = std::mem::take(&mut self.members[small as usize]);
        for r in &moved {
            self.root[*r as usize] = big;
        }
        self.members[big as usize].extend(moved);
    }

    fn judged_apart(&self, a: u32, b: u32, different: &FxHashSet<(u32, u32)>) -> Option<(u32, u32)> {
        if different.is_empty() {
            return None;
        }
        let (ga, gb) = (&self.members[self.find(a) as usize], &self.members[self.find(b) as usize]);
        ga.iter().flat_map(|x| gb.iter().map(move |y| (*x.min(y), *x.max(y)))).find(|p| different.contains(p))
    }
}

fn pair_key(x: u32, y: u32) -> u64 {
    (u64::from(x.min(y)) << 32) | u64::from(x.max(y))
}

/// Clusters records. `edges` are the scored pairs; those at or above `threshold` that may be linked
/// ([`Scored::linkable`]) are candidates to join. `weigh` gives the weight of any pair of records and whether
/// its names differ outright: two groups are not joined when any pair across them does.
pub fn cluster(
    records: &Records,
    edges: &[Scored],
    threshold: f64,
    require_independent: bool,
    judgements: &[Judged],
    mut weigh: impl FnMut(u32, u32) -> (f64, bool),
) -> Clusters {
    let n = records.len();
    let mut groups = Groups { root: (0..n as u32).collect(), members: (0..n as u32).map(|r| vec![r]).collect() };
    let different: FxHashSet<(u32, u32)> =
        judgements.iter().filter(|j| j.verdict == Verdict::Different).map(|j| (j.a.min(j.b), j.a.max(j.b))).collect();
    let mut inconsistencies = Vec::new();
    for judged in judgements.iter().filter(|j| j.verdict == Verdict::Same) {
        if groups.find(judged.a) == groups.find(judged.b) {
            continue;
        }
        match groups.judged_apart(judged.a, judged.b, &different) {
            Some(apart) => inconsistencies.push(Inconsistency { same: (judged.a, judged.b), different: apart }),
            None => groups.join(judged.a, judged.b),
        }
    }
    let links: Vec<&Scored> = edges.iter().filter(|s| s.is_link(threshold, require_independent)).collect();
    // Ties are broken by a hash of the records' ids, so that the result does not depend on the order records
    // came in (and no strings are compared while sorting).
    let hash = |record: u32| {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        (records.source(record), records.id(record)).hash(&mut hasher);
        hasher.finish()
    };
    let mut keyed: Vec<(f32, u64, u64, &Scored)> = links
        .into_iter()
        .map(|s| {
            let (x, y) = (hash(s.a), hash(s.b));
            (s.weight, x.min(y), x.max(y), s)
        })
        .collect();
    keyed.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let links: Vec<&Scored> = keyed.into_iter().map(|(_, _, _, s)| s).collect();
    let known: rustc_hash::FxHashMap<u64, f32> = links.iter().map(|s| (pair_key(s.a, s.b), s.weight)).collect();
    let mut refused = Vec::new();
    for link in links {
        let (a, b) = (link.a, link.b);
        if groups.find(a) == groups.find(b) {
            continue;
        }
        if let Some(judged) = groups.judged_apart(a, b, &different) {
            refused.push(Refusal::JudgedDifferent { pair: (a, b), judged });
            continue;
        }
        let (ga, gb) = (&groups.members[groups.find(a) as usize], &groups.members[groups.find(b) as usize]);
        if ga.len() * gb.len() > 1 {
            if ga.len() * gb.len() > MAX_CROSS_PAIRS {
                refused.push(Refusal::TooLarge { pair: (a, b) });
                continue;
            }
            // Links are looked up (their names never differ); the other pairs are weighed now.
            let mut sum = 0.0;
            let mut differ = None;
            for x in ga {
                for y in gb {
                    let (weight, names_differ) = match known.get(&pair_key(*x, *y)) {
                        Some(weight) => (f64::from(*weight), false),
                        None => weigh(*x, *y),
                    };
                    sum += weight;
                    if names_differ && differ.is_none() {
                        differ = Some((*x, *y));
                    }
                }
            }
            if let Some(differ) = differ {
                refused.push(Refusal::NamesDiffer { pair: (a, b), differ });
                continue;
            }
            let mean_weight = sum / (ga.len() * gb.len()) as f64;
            if mean_weight < threshold {
                refused.push(Refusal::Chain { pair: (a, b), mean_weight });
                continue;
            }
        }
        groups.join(a, b);
    }
    let mut entity_of = vec![u32::MAX; n];
    let (mut canonical, mut canonical_record) = (Vec::new(), Vec::new());
    for record in 0..n as u32 {
        let root = groups.find(record);
        if entity_of[root as usize] == u32::MAX {
            let members = &groups.members[root as usize];
            // The smallest id names the entity; between two files using the same id, the first file's.
            let first = members.iter().copied().min_by_key(|m| (records.id(*m), records.source(*m))).unwrap_or(record);
            for m in members {
                entity_of[*m as usize] = canonical.len() as u32;
            }
            canonical.push(records.id(first).to_string());
            canonical_record.push(first);
        }
    }
    Clusters { entity_of, canonical, canonical_record, refused, inconsistencies }
}
