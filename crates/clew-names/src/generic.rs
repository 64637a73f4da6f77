//! Names that are not Korean (Russian, Chinese, Arabic in Latin letters; companies): compared word by word
//! after folding to Latin letters, with a small budget of typing errors that grows with the word's length.
//!
//! Words are paired greedily, best pair first. Each pair earns its similarity; a query word left unpaired
//! costs more than a candidate word left unpaired (a list entry often carries more names than a query), as in
//! OpenSanctions' logic-v2. Legal forms (LLC, ООО, Co., Ltd., 회사) count little.

use serde::Serialize;

use crate::normalize::{Script, words};

/// Weight of a query word no candidate word pairs with.
pub const UNPAIRED_QUERY_WEIGHT: f64 = 0.8;
/// Weight of a candidate word no query word pairs with.
pub const UNPAIRED_CANDIDATE_WEIGHT: f64 = 0.2;
/// Weight of a legal-form or filler word (LLC, Co., of, the).
pub const FILLER_WEIGHT: f64 = 0.3;

/// Legal forms and filler words of organisation names (folded to Latin): they say little about which
/// organisation it is.
const FILLERS: &[&str] = &[
    "llc",
    "ltd",
    "limited",
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ooo",
    "zao",
    "oao",
    "pao",
    "ao",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "gmbh",
    "ag",
    "sa",
    "plc",
    "lp",
    "the",
    "of",
    "and",
    "for",
    "obshchestvo",
    "s",
    "ogranichennoy",
    "otvetstvennostyu",
    "hoesa",
    "hoisa",
    "jusikhoesa",
    "jsk",
];

/// One word of a name, folded to Latin letters.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    text: String,
    weight_factor: f64,
}

/// How two words paired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordPair {
    /// The query's word ("" when unpaired).
    pub left: String,
    /// The candidate's word ("" when unpaired).
    pub right: String,
    /// Similarity in [0, 1].
    pub similarity: f64,
    /// Its weight in the score.
    pub weight: f64,
}

/// The comparison of two names word by word.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenericMatch {
    /// Score in [0, 1].
    pub score: f64,
    /// Every pair and every unpaired word.
    pub pairs: Vec<WordPair>,
}

/// Folds a name to lower-case Latin words (Cyrillic transliterated; Hangul and Han kept as they are).
pub fn fold(name: &str) -> Vec<String> {
    let written = words(name);
    let mut out = Vec::new();
    for word in &written.words {
        for piece in word {
            let folded: String = match written.script {
                Script::Cyrillic | Script::Other => piece.chars().map(latin_of).collect(),
                _ => piece.clone(),
            };
            if !folded.is_empty() {
                out.push(folded);
            }
        }
    }
    out
}

/// A Cyrillic letter in Latin letters (a simplified BGN/PCGN: ж zh, х kh, ц ts, ч ch, ш sh, щ shch); other
/// characters as they are.
fn latin_of(c: char) -> String {
    let latin = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        other => return other.to_string(),
    };
    latin.to_string()
}

/// A name's words, folded and weighted, ready to compare many times.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared(Vec<Word>);

impl Prepared {
    /// Folds and weighs the words of a name.
    pub fn new(name: &str) -> Prepared {
        Prepared(
            fold(name)
                .into_iter()
                .map(|text| {
                    let weight_factor = if FILLERS.contains(&text.as_str()) { FILLER_WEIGHT } else { 1.0 };
                    Word { text, weight_factor }
                })
                .collect(),
        )
    }

    /// Whether it has no word.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether two names have the same words in the same order.
    pub fn same_words(&self, other: &Prepared) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| a.text == b.text)
    }
}

/// Levenshtein distance over characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Typing errors a word of this many letters may carry and still be the same word: none up to 3 letters
/// (short words differ by one letter: Li/Lu, Kim/Kin), one up to 7, two up to 12, three beyond.
pub fn error_budget(letters: usize) -> usize {
    match letters {
        0..=3 => 0,
        4..=7 => 1,
        8..=12 => 2,
        _ => 3,
    }
}

/// Similarity of two words in [0, 1]: 1 when equal, falling with each typing error within the budget of the
/// shorter word, 0 beyond it; an initial ("J") against a word it begins earns 0.5.
pub fn word_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la == 1 || lb == 1 {
        let (initial, word) = if la == 1 { (a, b) } else { (b, a) };
        return if word.starts_with(initial) { 0.5 } else { 0.0 };
    }
    let distance = levenshtein(a, b);
    if distance > error_budget(la.min(lb)) {
        return 0.0;
    }
    1.0 - distance as f64 / la.max(lb) as f64
}

/// Compares a query name with a candidate's name word by word.
pub fn compare(query: &str, candidate: &str) -> GenericMatch {
    compare_prepared(&Prepared::new(query), &Prepared::new(candidate))
}

/// Compares two prepared names word by word.
pub fn compare_prepared(query: &Prepared, candidate: &Prepared) -> GenericMatch {
    compare_words(&query.0, &candidate.0)
}

fn compare_words(q: &[Word], c: &[Word]) -> GenericMatch {
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, x) in q.iter().enumerate() {
        for (j, y) in c.iter().enumerate() {
            let similarity = word_similarity(&x.text, &y.text);
            if similarity > 0.0 {
                candidates.push((similarity, i, j));
            }
        }
    }
    // Best pairs first; ties by position, so that the result does not depend on hashing or sorting order.
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut q_used = vec![false; q.len()];
    let mut c_used = vec![false; c.len()];
    let mut pairs = Vec::new();
    for (similarity, i, j) in candidates {
        if q_used[i] || c_used[j] {
            continue;
        }
        q_used[i] = true;
        c_used[j] = true;
        let weight = (q[i].weight_factor + c[j].weight_factor) / 2.0;
        pairs.push(WordPair { left: q[i].text.clone(), right: c[j].text.clone(), similarity, weight });
    }
    for word in q.iter().zip(&q_used).filter(|(_, used)| !**used).map(|(w, _)| w) {
        pairs.push(WordPair {
            left: word.text.clone(),
            right: String::new(),
            similarity: 0.0,
            weight: UNPAIRED_QUERY_WEIGHT * word.weight_factor,
        });
    }
    for word in c.iter().zip(&c_used).filter(|(_, used)| !**used).map(|(w, _)| w) {
        pairs.push(WordPair {
            left: String::new(),
            right: word.text.clone(),
            similarity: 0.0,
            weight: UNPAIRED_CANDIDATE_WEIGHT * word.weight_factor,
        });
    }
    let total: f64 = pairs.iter().map(|p| p.weight).sum();
    let earned: f64 = pairs.iter().map(|p| p.weight * p.similarity).sum();
    let score = if total > 0.0 { (earned / total).clamp(0.0, 1.0) } else { 0.0 };
    GenericMatch { score, pairs }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_pair_regardless_of_order_and_script() {
        assert_eq!(compare("Vladimir Pisklin", "PISKLIN, Vladimir").score, 1.0);
        assert_eq!(compare("Владимир Писклин", "Vladimir Pisklin").score, 1.0);
        assert!(compare("Barac Obamt", "Barack Obama").score > 0.7);
        assert!(compare("John Smith", "Jane Smyth").score < 0.7);
    }

    #[test]
    fn short_words_tolerate_no_error() {
        assert_eq!(word_similarity("kim", "kin"), 0.0);
        assert!(word_similarity("vladimir", "vladimr") > 0.8);
        assert_eq!(word_similarity("j", "john"), 0.5);
    }

    #[test]
    fn legal_forms_count_little() {
        let with = compare("Mokran LLC", "MOKRAN OOO").score;
        assert!(with > 0.7, "{with}");
        assert!(compare("Mokran LLC", "Other LLC").score < 0.5);
    }

    #[test]
    fn unpaired_query_words_cost_more_than_unpaired_candidate_words() {
        let extra_in_candidate = compare("Kang Mun", "Kang Mun Kil").score;
        let extra_in_query = compare("Kang Mun Kil", "Kang Mun").score;
        assert!(extra_in_candidate > extra_in_query);
    }
}
