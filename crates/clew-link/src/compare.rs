//! Comparisons: each field of a pair of records falls into one level (missing, exact, close, ..., different).
//! Names go through `clew-names` (so 김정은, KIM JONG UN and Ким Чен Ын are one name), dates keep their
//! precision, identifiers are compared by edits and places by distance.

use clew_names::{Name, NameKind};
use rustc_hash::FxHashMap;

use crate::config::{ComparisonSpec, Kind};
use crate::records::{NULL, Records};

/// What separates the names a value lists (`김정은 | KIM JONG UN`): a person known by several.
pub const ALTERNATIVES: &str = " | ";

/// The names a value lists.
pub fn alternatives(value: &str) -> impl Iterator<Item = &str> {
    value.split(ALTERNATIVES).map(str::trim).filter(|n| !n.is_empty())
}

/// Level 0 of every comparison: a value is missing on one side (it counts neither way).
pub const MISSING: u8 = 0;
/// Level 1 of every comparison: the same value.
pub const EXACT: u8 = 1;

/// A comparison with its levels.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// Term-frequency adjustment on an exact match.
    pub tf: bool,
    /// Evidence beyond the name.
    pub independent: bool,
    thresholds: Vec<f64>,
    /// The label of each level; index 0 is "missing".
    pub labels: Vec<String>,
}

impl Comparison {
    /// A comparison as configured.
    pub fn new(spec: &ComparisonSpec) -> Comparison {
        let thresholds = spec.thresholds.clone().unwrap_or_else(|| match spec.kind {
            Kind::PersonName | Kind::Name => vec![0.92, 0.8, 0.7],
            Kind::Edit => vec![1.0, 2.0],
            Kind::Geo => vec![1.0, 10.0, 50.0],
            Kind::Date | Kind::Exact => Vec::new(),
        });
        // Places have no "exact" level: the same place need not be written the same way, so level 1 is the
        // nearest distance band.
        let mut labels = vec!["missing".to_string()];
        if spec.kind != Kind::Geo {
            labels.push("exact".to_string());
        }
        match spec.kind {
            Kind::PersonName | Kind::Name => {
                labels.extend(thresholds.iter().map(|t| format!("name score ≥ {t}")));
                labels.push("one letter apart".to_string());
            }
            Kind::Edit => labels.extend(thresholds.iter().map(|t| format!("≤ {t} edits"))),
            Kind::Geo => labels.extend(thresholds.iter().map(|t| format!("within {t} km"))),
            Kind::Date => labels.extend(
                [
                    "same as far as both go",
                    "one digit wrong or two swapped",
                    "within a month",
                    "within a year",
                    "within ten years",
                ]
                .map(String::from),
            ),
            Kind::Exact => {}
        }
        labels.push("different".to_string());
        Comparison {
            name: spec.name.clone(),
            kind: spec.kind,
            tf: spec.tf,
            independent: spec.independent.unwrap_or(!spec.kind.is_name()),
            thresholds,
            labels,
        }
    }

    /// How many levels besides "missing".
    pub fn levels(&self) -> usize {
        self.labels.len() - 1
    }
}

/// A comparison's values made ready: one value id per record, and per distinct value what comparing needs.
#[derive(Debug)]
pub struct Field {
    /// The comparison.
    pub comparison: Comparison,
    /// The value id of each record (0: missing or unreadable).
    pub cells: Vec<u32>,
    /// The values by id, as read (joined with spaces when several columns are read together).
    pub values: Vec<String>,
    /// Per value id, the share of records that have it (term frequency); empty unless `tf`.
    pub frequency: Vec<f64>,
    data: Data,
}

#[derive(Debug)]
enum Data {
    /// Each value's names made ready (several when the value lists them, `a | b`), and their letters in lower
    /// case.
    Names(Vec<Vec<Name>>, Vec<Vec<Vec<char>>>),
    Dates(Vec<Option<DateValue>>),
    Text(Vec<Vec<char>>),
    Points(Vec<Option<(f64, f64)>>),
    Plain,
}

/// A date with the precision it was given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DateValue {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
    /// YYYYMMDD (zeros for a missing month or day), for typing errors.
    digits: [u8; 8],
}

impl DateValue {
    fn parse(text: &str) -> Option<DateValue> {
        if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
            let iso = format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]);
            return DateValue::parse(&iso);
        }
        let date: clew_model::value::PartialDate = text.parse().ok()?;
        let text = format!("{:04}{:02}{:02}", date.year, date.month.unwrap_or(0), date.day.unwrap_or(0));
        let mut digits = [0u8; 8];
        digits.copy_from_slice(&text.as_bytes()[..8]);
        Some(DateValue { year: i32::from(date.year), month: date.month, day: date.day, digits })
    }

    /// Days since 1970-01-01 (missing month and day taken as the middle of the year or month).
    fn days(&self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month.unwrap_or(7)),
            i64::from(self.day.unwrap_or(if self.month.is_some() { 15 } else { 1 })),
        );
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn complete(&self) -> bool {
        self.day.is_some()
    }

    /// Equal in every part both have.
    fn agrees_as_far_as_both_go(&self, other: &DateValue) -> bool {
        self.year == other.year
            && (self.month.is_none() || other.month.is_none() || self.month == other.month)
            && (self.day.is_none() || other.day.is_none() || self.day == other.day)
    }
}

impl Field {
    /// Prepares a comparison over records. `columns` are the positions of its columns in the records. Values
    /// that cannot be read (a date that is not a date, a place that is not two numbers) count as missing;
    /// how many there were is returned with the field.
    pub fn prepare(comparison: Comparison, records: &Records, columns: &[usize]) -> (Field, usize) {
        let (cells, values) = if columns.len() == 1 {
            (records.cells(columns[0]).to_vec(), records.values(columns[0]).to_vec())
        } else {
            join_columns(records, columns)
        };
        let mut unreadable = vec![false; values.len()];
        let data = match comparison.kind {
            Kind::PersonName | Kind::Name => {
                let kind = if comparison.kind == Kind::PersonName { NameKind::Person } else { NameKind::Other };
                Data::Names(
                    values.iter().map(|v| alternatives(v).map(|n| Name::new(n, kind)).collect()).collect(),
                    values
                        .iter()
                        .map(|v| alternatives(v).map(|n| n.to_lowercase().chars().collect()).collect())
                        .collect(),
                )
            }
            Kind::Date => Data::Dates(
                values
                    .iter()
                    .enumerate()
                    .map(|(id, v)| {
                        let date = DateValue::parse(v);
                        unreadable[id] = id != NULL as usize && date.is_none();
                        date
                    })
                    .collect(),
            ),
            Kind::Edit => Data::Text(values.iter().map(|v| v.chars().collect()).collect()),
            Kind::Geo => Data::Points(
                values
                    .iter()
                    .enumerate()
                    .map(|(id, v)| {
                        let mut parts = v.split_whitespace().map(str::parse::<f64>);
                        let point = match (parts.next(), parts.next(), parts.next()) {
                            (Some(Ok(lat)), Some(Ok(lon)), None) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => {
                                Some((lat, lon))
                            }
                            _ => None,
                        };
                        unreadable[id] = id != NULL as usize && point.is_none();
                        point
                    })
                    .collect(),
            ),
            Kind::Exact => Data::Plain,
        };
        let mut cells = cells;
        let mut bad = 0;
        for cell in &mut cells {
            if unreadable[*cell as usize] {
                *cell = NULL;
                bad += 1;
            }
        }
        let frequency = if comparison.tf {
            let mut counts = vec![0u64; values.len()];
            for cell in &cells {
                counts[*cell as usize] += 1;
            }
            let present = (cells.len() as u64 - counts[NULL as usize]).max(1) as f64;
            counts.iter().map(|c| *c as f64 / present).collect()
        } else {
            Vec::new()
        };
        (Field { comparison, cells, values, frequency, data }, bad)
    }

    /// The level of a pair of records. Name scores are cached by value pair.
    pub fn level(&self, a: u32, b: u32, cache: &mut Cache) -> u8 {
        let (x, y) = (self.cells[a as usize], self.cells[b as usize]);
        if x == NULL || y == NULL {
            return MISSING;
        }
        if x == y {
            return EXACT;
        }
        self.level_of_values(x, y, cache)
    }

    fn level_of_values(&self, x: u32, y: u32, cache: &mut Cache) -> u8 {
        let different = self.comparison.levels() as u8;
        match &self.data {
            Data::Names(names, letters) => {
                let key = if x < y { (u64::from(x) << 32) | u64::from(y) } else { (u64::from(y) << 32) | u64::from(x) };
                if let Some(level) = cache.names.get(&key) {
                    return *level;
                }
                // A value may list several names: the best-matching pair decides.
                let mut level = different;
                for (i, p) in names[x as usize].iter().enumerate() {
                    for (j, q) in names[y as usize].iter().enumerate() {
                        let score = clew_names::score(p, q);
                        let mut found = self.threshold_level(|t| score >= t, different);
                        // The name rules are strict with short words (a screening hit on a typo must be earned),
                        // but in linkage other fields decide: one letter apart is a level of its own, weighed by
                        // the model. Not for two Korean names, where one letter is one syllable and the rules'
                        // verdict stands.
                        if found == different && !(p.is_korean() && q.is_korean()) {
                            let (a, b) = (&letters[x as usize][i], &letters[y as usize][j]);
                            if a.len().min(b.len()) >= 3 && within_one_edit(a, b) {
                                found = different - 1;
                            }
                        }
                        level = level.min(found);
                    }
                }
                if !cache.forget {
                    if cache.names.len() >= CACHE_LIMIT {
                        cache.names.clear();
                    }
                    cache.names.insert(key, level);
                }
                level
            }
            Data::Text(texts) => {
                let max = self.comparison.thresholds.last().copied().unwrap_or(0.0) as usize;
                let (a, b) = (&texts[x as usize], &texts[y as usize]);
                let edits = if max == 1 {
                    if within_one_edit(a, b) { 1 } else { 2 }
                } else {
                    osa_in(a, b, max, &mut cache.rows)
                };
                self.threshold_level(|t| edits <= t as usize, different)
            }
            Data::Points(points) => match (points[x as usize], points[y as usize]) {
                (Some(p), Some(q)) => {
                    let km = haversine_km(p, q);
                    self.comparison.thresholds.iter().position(|t| km <= *t).map_or(different, |i| i as u8 + 1)
                }
                _ => MISSING,
            },
            Data::Dates(dates) => match (dates[x as usize], dates[y as usize]) {
                (Some(p), Some(q)) => date_level(&p, &q),
                _ => MISSING,
            },
            Data::Plain => different,
        }
    }

    /// Level 2 onwards by the first threshold met, else "different".
    fn threshold_level(&self, meets: impl Fn(f64) -> bool, different: u8) -> u8 {
        self.comparison.thresholds.iter().position(|t| meets(*t)).map_or(different, |i| i as u8 + 2)
    }
}

const CACHE_LIMIT: usize = 4_000_000;

/// What one thread remembers between pairs: name scores by value pair, and room for edit distances.
#[derive(Debug, Default)]
pub struct Cache {
    names: FxHashMap<u64, u8>,
    rows: [Vec<usize>; 3],
    forget: bool,
}

impl Cache {
    /// A cache that remembers no name score (for pairs that seldom repeat).
    pub fn forgetful() -> Cache {
        Cache { forget: true, ..Cache::default() }
    }
}

fn join_columns(records: &Records, columns: &[usize]) -> (Vec<u32>, Vec<String>) {
    let mut values = vec![String::new()];
    let mut index: FxHashMap<String, u32> = FxHashMap::default();
    let cells = (0..records.len() as u32)
        .map(|record| {
            let parts: Vec<&str> = columns.iter().filter_map(|c| records.value(*c, record)).collect();
            if parts.is_empty() {
                return NULL;
            }
            let joined = parts.join(" ");
            *index.entry(joined).or_insert_with_key(|v| {
                values.push(v.clone());
                (values.len() - 1) as u32
            })
        })
        .collect();
    (cells, values)
}

fn date_level(p: &DateValue, q: &DateValue) -> u8 {
    if p == q {
        return EXACT;
    }
    if !(p.complete() && q.complete()) && p.agrees_as_far_as_both_go(q) {
        return 2;
    }
    if p.complete() && q.complete() && within_one_edit(&p.digits, &q.digits) {
        return 3;
    }
    match (p.days() - q.days()).abs() {
        0..=31 => 4,
        32..=366 => 5,
        367..=3653 => 6,
        _ => 7,
    }
}

/// The optimal-string-alignment distance (edits, with two neighbours swapped as one), or `max + 1` when it is
/// over `max`.
pub fn osa_within(a: &[char], b: &[char], max: usize) -> usize {
    osa_in(a, b, max, &mut Default::default())
}

/// [`osa_within`] in rows kept between calls.
fn osa_in(a: &[char], b: &[char], max: usize, rows: &mut [Vec<usize>; 3]) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    // Each edit removes at most one letter of one word from the other's letters, so the letters of `a` that `b`
    // lacks (counted with repeats) are a lower bound: most pairs of identifiers fail it at once.
    if a.iter().chain(b).all(char::is_ascii) {
        let mut counts = [0i32; 128];
        for c in a {
            counts[*c as usize] += 1;
        }
        for c in b {
            counts[*c as usize] -= 1;
        }
        let only_in_a: i32 = counts.iter().filter(|n| **n > 0).sum();
        let only_in_b: i32 = -counts.iter().filter(|n| **n < 0).sum::<i32>();
        if only_in_a.max(only_in_b) as usize > max {
            return max + 1;
        }
    }
    let n = b.len();
    for row in rows.iter_mut() {
        row.clear();
        row.resize(n + 1, 0);
    }
    let [before_last, last, current] = rows;
    for (j, cell) in last.iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        let mut best = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (last[j] + 1).min(current[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before_last[j - 2] + 1);
            }
            current[j] = value;
            best = best.min(value);
        }
        if best > max {
            return max + 1;
        }
        std::mem::swap(before_last, last);
        std::mem::swap(last, current);
    }
    last[n].min(max + 1)
}

/// Whether two sequences are at most one edit apart (a letter added, dropped or changed, or two neighbours
/// swapped): [`osa_within`] with `max` 1, in one pass.
pub fn within_one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let start = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if start == short.len() {
        return true;
    }
    if short.len() == long.len() {
        let rest = start + 1;
        // One letter changed, or two neighbours swapped.
        short[rest..] == long[rest..]
            || (rest < short.len()
                && short[start] == long[rest]
                && short[rest] == long[start]
                && short[rest + 1..] == long[rest + 1..])
    } else {
        // One letter dropped from the longer.
        short[start..] == long[start + 1..]
    }
}

/// Great-circle distance.
fn haversine_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}
