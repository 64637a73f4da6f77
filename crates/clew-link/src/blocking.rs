//! Blocking: which pairs are compared at all. Each rule gives every record one or more keys; two records are a
//! candidate pair when a key of the first equals a key of the second. The union over all rules is compared, each
//! pair once. Before anything runs, each rule's count of comparisons is known from its key groups.

use clew_names::{Name, NameKind};
use rustc_hash::FxHashMap;

use crate::config::{KeySpec, Rule};
use crate::records::{NULL, Records};

/// Which pairs count: within all records, or only across sources (files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every pair of records (deduplication).
    Dedupe,
    /// Only pairs of records from different sources (linking files).
    Link,
}

/// The keys of each record, sorted, as one flat list with offsets.
#[derive(Debug, Clone, Default)]
struct Keys {
    offsets: Vec<u32>,
    keys: Vec<u32>,
}

impl Keys {
    /// One key per record with a value: its value id.
    fn of_cells(cells: &[u32]) -> Keys {
        let mut keys = Keys { offsets: Vec::with_capacity(cells.len() + 1), keys: Vec::with_capacity(cells.len()) };
        keys.offsets.push(0);
        for cell in cells {
            if *cell != NULL {
                keys.keys.push(*cell);
            }
            keys.offsets.push(keys.keys.len() as u32);
        }
        keys
    }

    /// The keys of each record's value.
    fn of_values(cells: &[u32], per_value: &[Vec<u32>]) -> Keys {
        let mut keys = Keys { offsets: Vec::with_capacity(cells.len() + 1), keys: Vec::with_capacity(cells.len()) };
        keys.offsets.push(0);
        for cell in cells {
            keys.keys.extend(&per_value[*cell as usize]);
            keys.offsets.push(keys.keys.len() as u32);
        }
        keys
    }

    fn of(&self, record: u32) -> &[u32] {
        let r = record as usize;
        &self.keys[self.offsets[r] as usize..self.offsets[r + 1] as usize]
    }
}

/// A rule with the keys of every record.
#[derive(Debug, Clone)]
pub struct Blocker {
    /// The rule.
    pub rule: Rule,
    left: Keys,
    right: Option<Keys>,
    /// How many distinct keys (key ids run from 0).
    distinct: usize,
    /// How many records had more key combinations than are kept.
    pub truncated: usize,
}

/// At most this many keys per record and rule (the product of its parts' keys); more are dropped.
pub const MAX_KEYS_PER_RECORD: usize = 256;

impl Blocker {
    /// Computes every record's keys. The caller has checked that the rule's columns exist.
    pub fn new(rule: &Rule, records: &Records) -> Blocker {
        let symmetric = rule.parts.iter().all(|p| p.left == p.right);
        let mut strings: FxHashMap<String, u32> = FxHashMap::default();
        // Each part's keys per record: a plain column keeps its value ids when both sides read it; otherwise
        // values are numbered by their text, one numbering for the whole rule, so that two columns can meet.
        let mut part_keys = |spec: &KeySpec, shared: bool| -> Keys {
            let column = records.column(spec.column()).unwrap_or(0);
            match spec {
                KeySpec::Column(_) if shared => Keys::of_cells(records.cells(column)),
                _ => Keys::of_values(records.cells(column), &key_values(spec, records, &mut strings)),
            }
        };
        let mut sides: [Vec<Keys>; 2] = [Vec::new(), Vec::new()];
        for part in &rule.parts {
            let shared = part.left == part.right;
            let left = part_keys(&part.left, shared);
            if !symmetric {
                sides[1].push(if shared { left.clone() } else { part_keys(&part.right, false) });
            }
            sides[0].push(left);
        }
        let sides: Vec<&[Keys]> = if symmetric { vec![&sides[0]] } else { vec![&sides[0], &sides[1]] };
        let (mut keys, distinct, truncated) = number_keys(&sides, records.len());
        let right = (!symmetric).then(|| keys.pop()).flatten();
        let left = keys.pop().unwrap_or_default();
        Blocker { rule: rule.clone(), left, right, distinct, truncated }
    }

    fn right(&self) -> &Keys {
        self.right.as_ref().unwrap_or(&self.left)
    }

    /// Whether the rule pairs two records (in either order).
    pub fn covers(&self, a: u32, b: u32) -> bool {
        shares(self.left.of(a), self.right().of(b)) || shares(self.left.of(b), self.right().of(a))
    }

    /// An upper bound on the pairs the rule makes (exact for a rule on single-valued columns).
    pub fn count(&self, records: &Records, mode: Mode) -> u64 {
        let sources = records.origins().len().max(1);
        let mut left = vec![0u64; self.distinct * sources];
        let mut right = vec![0u64; if self.right.is_some() { self.distinct * sources } else { 0 }];
        for record in 0..records.len() as u32 {
            let source = records.source(record) as usize;
            for key in self.left.of(record) {
                left[*key as usize * sources + source] += 1;
            }
            if self.right.is_some() {
                for key in self.right().of(record) {
                    right[*key as usize * sources + source] += 1;
                }
            }
        }
        let mut total = 0u64;
        for key in 0..self.distinct {
            let counts = &left[key * sources..(key + 1) * sources];
            let others = if self.right.is_some() { &right[key * sources..(key + 1) * sources] } else { counts };
            for (s, count) in counts.iter().enumerate() {
                for (t, other) in others.iter().enumerate() {
                    let pairs = match (mode, self.right.is_some(), s == t) {
                        (Mode::Link, _, true) => 0,
                        (Mode::Dedupe, false, true) => count * count.saturating_sub(1) / 2,
                        (_, false, false) if s > t => 0,
                        _ => count * other,
                    };
                    total = total.saturating_add(pairs);
                }
            }
        }
        total
    }

    /// Calls `emit` with every pair (lower record first) the rule makes, each once.
    pub fn pairs(&self, records: &Records, mode: Mode, mut emit: impl FnMut(u32, u32)) {
        let mut by_key: Vec<(u32, u32)> = Vec::new();
        for record in 0..records.len() as u32 {
            by_key.extend(self.right().of(record).iter().map(|k| (*k, record)));
        }
        by_key.sort_unstable();
        let across = |a: u32, b: u32| mode == Mode::Dedupe || records.source(a) != records.source(b);
        if self.right.is_none() {
            for group in by_key.chunk_by(|x, y| x.0 == y.0) {
                let key = group[0].0;
                for (i, (_, a)) in group.iter().enumerate() {
                    for (_, b) in &group[i + 1..] {
                        // A pair sharing several keys is made at the first of them only.
                        if across(*a, *b) && first_shared(self.left.of(*a), self.left.of(*b)) == Some(key) {
                            emit(*a, *b);
                        }
                    }
                }
            }
            return;
        }
        let starts: FxHashMap<u32, (usize, usize)> = {
            let mut map = FxHashMap::default();
            for (i, group) in by_key.chunk_by(|x, y| x.0 == y.0).scan(0usize, |at, g| {
                let start = *at;
                *at += g.len();
                Some((start, g))
            }) {
                map.insert(group[0].0, (i, i + group.len()));
            }
            map
        };
        for a in 0..records.len() as u32 {
            for key in self.left.of(a) {
                let Some((start, end)) = starts.get(key) else { continue };
                for (_, b) in &by_key[*start..*end] {
                    let b = *b;
                    if a == b || !across(a, b) || first_shared(self.left.of(a), self.right().of(b)) != Some(*key) {
                        continue;
                    }
                    // The pair may also be found from b's side; make it from the lower record then.
                    if a > b && shares(self.left.of(b), self.right().of(a)) {
                        continue;
                    }
                    emit(a.min(b), a.max(b));
                }
            }
        }
    }
}

fn shares(a: &[u32], b: &[u32]) -> bool {
    first_shared(a, b).is_some()
}

/// The smallest key in both sorted lists.
fn first_shared(a: &[u32], b: &[u32]) -> Option<u32> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}

/// The keys of each distinct value of a key's column (year, prefix, name keys), numbered by their text.
fn key_values(spec: &KeySpec, records: &Records, strings: &mut FxHashMap<String, u32>) -> Vec<Vec<u32>> {
    let column = records.column(spec.column()).unwrap_or(0);
    let values = records.values(column);
    let mut intern = |text: String| -> u32 {
        let next = strings.len() as u32;
        *strings.entry(text).or_insert(next)
    };
    values
        .iter()
        .enumerate()
        .map(|(id, value)| {
            if id == NULL as usize {
                return Vec::new();
            }
            let texts: Vec<String> = match spec {
                KeySpec::Column(_) => vec![value.clone()],
                KeySpec::Year(_) => year_of(value).into_iter().collect(),
                KeySpec::Prefix(_, n) => vec![value.chars().take(*n).collect::<String>().to_lowercase()],
                KeySpec::Keys(_) => names(value).flat_map(|n| n.keys()).collect(),
                KeySpec::Surname(_) => names(value).flat_map(|n| n.keys()).filter(|k| k.starts_with("k:")).collect(),
                KeySpec::Given(_) => names(value).flat_map(|n| n.given_keys()).collect(),
            };
            let mut ids: Vec<u32> = texts.into_iter().map(&mut intern).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect()
}

/// The names a value lists, made ready.
fn names(value: &str) -> impl Iterator<Item = Name> + '_ {
    crate::compare::alternatives(value).map(|n| Name::new(n, NameKind::Person))
}

/// The year of a date written YYYY, YYYY-MM, YYYY-MM-DD or YYYYMMDD.
fn year_of(text: &str) -> Option<String> {
    let year = text.get(..4)?;
    (year.bytes().all(|b| b.is_ascii_digit()) && text[4..].chars().all(|c| c.is_ascii_digit() || c == '-'))
        .then(|| year.to_string())
}

/// At most this many parts in a rule (the config refuses more).
pub const MAX_PARTS: usize = 4;

/// Each record's rule keys on each side: every combination of its parts' keys, numbered so that equal
/// combinations (on either side) get the same number. Numbering is by sorting, not hashing: a million records
/// sort faster than they hash into a table that does not fit in the cache. Returns the keys of each side, how
/// many distinct keys there are, and how many records had combinations dropped (over MAX_KEYS_PER_RECORD).
fn number_keys(sides: &[&[Keys]], records: usize) -> (Vec<Keys>, usize, usize) {
    let mut truncated = 0;
    // (combination, slot): a slot is a place in the flat list of all sides' keys, in record order.
    let mut entries: Vec<([u32; MAX_PARTS], u32)> = Vec::with_capacity(records * sides.len());
    let mut offsets: Vec<Vec<u32>> = Vec::new();
    let mut combos: Vec<[u32; MAX_PARTS]> = Vec::new();
    for parts in sides {
        let mut side_offsets = Vec::with_capacity(records + 1);
        side_offsets.push(entries.len() as u32);
        for record in 0..records as u32 {
            combos.clear();
            if parts.iter().all(|part| !part.of(record).is_empty()) {
                combos.push([u32::MAX; MAX_PARTS]);
                for (position, part) in parts.iter().enumerate() {
                    let values = part.of(record);
                    if values.len() == 1 {
                        for combo in &mut combos {
                            combo[position] = values[0];
                        }
                        continue;
                    }
                    let mut next = Vec::with_capacity(combos.len() * values.len());
                    for combo in &combos {
                        for value in values {
                            let mut longer = *combo;
                            longer[position] = *value;
                            next.push(longer);
                        }
                    }
                    if next.len() > MAX_KEYS_PER_RECORD {
                        truncated += 1;
                        next.truncate(MAX_KEYS_PER_RECORD);
                    }
                    combos = next;
                }
            }
            for combo in &combos {
                entries.push((*combo, entries.len() as u32));
            }
            side_offsets.push(entries.len() as u32);
        }
        offsets.push(side_offsets);
    }
    let mut numbers = vec![0u32; entries.len()];
    entries.sort_unstable_by_key(|entry| entry.0);
    let mut distinct = 0u32;
    for (i, (combo, slot)) in entries.iter().enumerate() {
        if i > 0 && entries[i - 1].0 != *combo {
            distinct += 1;
        }
        numbers[*slot as usize] = distinct;
    }
    let distinct = if entries.is_empty() { 0 } else { distinct as usize + 1 };
    let keys = offsets
        .iter()
        .map(|side_offsets| {
            let mut keys = Keys { offsets: Vec::with_capacity(records + 1), keys: Vec::with_capacity(records) };
            keys.offsets.push(0);
            for window in side_offsets.windows(2) {
                let start = keys.keys.len();
                keys.keys.extend(&numbers[window[0] as usize..window[1] as usize]);
                if keys.keys.len() - start > 1 {
                    keys.keys[start..].sort_unstable();
                    let mut end = start + 1;
                    for i in start + 1..keys.keys.len() {
                        if keys.keys[end - 1] != keys.keys[i] {
                            keys.keys[end] = keys.keys[i];
                            end += 1;
                        }
                    }
                    keys.keys.truncate(end);
                }
                keys.offsets.push(keys.keys.len() as u32);
            }
            keys
        })
        .collect();
    (keys, distinct, truncated)
}

/// The candidate pairs of all rules together, each once, lower record first, with the rule that made each.
pub fn candidates(blockers: &[Blocker], records: &Records, mode: Mode) -> Vec<(u32, u32)> {
    let mut pairs = Vec::new();
    for_each_candidate(blockers, records, mode, |a, b| pairs.push((a, b)));
    pairs
}

/// Calls `emit` with each candidate pair of all rules together, once.
pub fn for_each_candidate(blockers: &[Blocker], records: &Records, mode: Mode, mut emit: impl FnMut(u32, u32)) {
    for (index, blocker) in blockers.iter().enumerate() {
        blocker.pairs(records, mode, |a, b| {
            if !blockers[..index].iter().any(|earlier| earlier.covers(a, b)) {
                emit(a, b);
            }
        });
    }
}
