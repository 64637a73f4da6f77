//! `clew-names`: names across scripts. Hangul syllables and their letters; the Latin and Cyrillic spellings of
//! Korean syllables read back to the Hangul they can stand for; the Korean surname table; Korean personal names
//! compared syllable by syllable, with an explanation of every score. Pure: no IO.

pub mod hangul;
pub mod korean;
pub mod normalize;
pub mod romanize;
pub mod sounds;
pub mod spelling;
pub mod surnames;
mod table;

/// The version of the matching rules; recorded with every stored screening result.
pub const MATCHER_VERSION: &str = "clew-names-v1";

pub mod generic;

use serde::Serialize;

/// What kind of thing a name names: Korean name rules apply to people only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// A person.
    Person,
    /// A company, organisation, vessel or anything else.
    Other,
}

/// A name made ready for comparing many times: its Korean readings and its folded words.
#[derive(Debug, Clone)]
pub struct Name {
    /// As given.
    pub text: String,
    /// Person or other.
    pub kind: NameKind,
    words: generic::Prepared,
    readings: Vec<korean::Reading>,
}

impl Name {
    /// Prepares a name.
    pub fn new(text: &str, kind: NameKind) -> Name {
        let readings = if kind == NameKind::Person { korean::readings(text) } else { Vec::new() };
        Name { text: text.to_string(), kind, words: generic::Prepared::new(text), readings }
    }

    /// Whether it reads as a Korean name.
    pub fn is_korean(&self) -> bool {
        !self.readings.is_empty()
    }

    /// Blocking keys: a candidate worth comparing with this name shares at least one. Each word (`w:`; a long
    /// word also with each letter dropped), each word's consonant skeleton (`s:`, which survives vowel typos and swaps: Donlad/Donald, Schloz/Scholz), and
    /// for a Korean reading its surname (`k:`, which joins 김정은, KIM JONG UN and Ким Чен Ын).
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        for word in self.words.texts() {
            let letters: Vec<char> = word.chars().collect();
            if letters.len() >= 2 {
                keys.push(format!("w:{word}"));
                keys.push(format!("s:{}", generic::skeleton(word)));
            }
            // A word of five letters or more also stands for itself with any one letter dropped, so that a
            // letter missing, added or moved at the start (Afiz/Hafiz, Awlijan/Walijan) still meets it.
            if letters.len() >= 5 {
                for skip in 0..letters.len() {
                    let shorter: String =
                        letters.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, c)| c).collect();
                    keys.push(format!("w:{shorter}"));
                }
            }
        }
        for reading in &self.readings {
            for id in &reading.surname_ids {
                keys.push(format!("k:{id}"));
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }
}

impl Name {
    /// Keys of how the given name sounds, for blocking Korean names across scripts: for each reading, the class
    /// of each given-name syllable's first consonant (velar, dental, labial, affricate, sibilant, h, m, and one
    /// class for ㄹ, ㄴ and none, which the initial sound rule and the scripts confuse). 정은, JONG UN and
    /// Чен Ын share `g:ZV`; vowels and final sounds, where spellings disagree most, are left out. Empty for a
    /// name that does not read as Korean.
    pub fn given_keys(&self) -> Vec<String> {
        use sounds::initials::*;
        const CLASSES: [(u32, char); 8] = [
            (VELAR, 'K'),
            (DENTAL, 'T'),
            (LABIAL, 'P'),
            (AFFRICATE, 'Z'),
            (SIBILANT, 'S'),
            (GLOTTAL, 'H'),
            (NASAL_M, 'M'),
            (LIQUID | NASAL_N | SILENT, 'V'),
        ];
        let mut keys: Vec<String> = Vec::new();
        for reading in &self.readings {
            let mut combos = vec![String::from("g:")];
            for syllable in &reading.given {
                let classes: Vec<char> = CLASSES
                    .iter()
                    .filter(|(set, _)| syllable.sounds.initials & set != 0)
                    .map(|(_, class)| *class)
                    .collect();
                combos = combos.iter().flat_map(|c| classes.iter().map(move |k| format!("{c}{k}"))).take(16).collect();
            }
            keys.extend(combos.into_iter().filter(|k| k.len() > 2));
        }
        keys.sort();
        keys.dedup();
        keys
    }
}

/// Which rules gave a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The same words once folded.
    Literal,
    /// Both are Korean personal names: surname table and syllables.
    Korean,
    /// Word by word.
    Generic,
}

/// A score in [0, 1] and how it came about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameMatch {
    /// The score.
    pub score: f64,
    /// Which rules gave it.
    pub method: Method,
    /// The syllable-by-syllable comparison, for Korean names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub korean: Option<korean::KoreanMatch>,
    /// The word-by-word comparison, otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generic: Option<generic::GenericMatch>,
}

/// Compares a query name with a candidate's. Korean personal names (both readable as Korean) are compared by
/// the Korean rules, whose verdict stands even when the letters look alike; other names word by word.
pub fn compare(query: &Name, candidate: &Name) -> NameMatch {
    compare_explained(query, candidate, true)
}

/// The score of [`compare`] alone, without building its explanation (for scoring many candidates).
pub fn score(query: &Name, candidate: &Name) -> f64 {
    compare_explained(query, candidate, false).score
}

fn compare_explained(query: &Name, candidate: &Name, explain: bool) -> NameMatch {
    // The same letters, however spaced or hyphenated (CHANG MYONGC-HIN), are the same name in any script.
    if query.words.same_letters(&candidate.words) {
        return NameMatch { score: 1.0, method: Method::Literal, korean: None, generic: None };
    }
    if let Some(found) = korean::compare(&query.readings, &candidate.readings, explain) {
        return NameMatch {
            score: found.score,
            method: Method::Korean,
            korean: explain.then_some(found),
            generic: None,
        };
    }
    let found = generic::compare_prepared(&query.words, &candidate.words, explain);
    NameMatch { score: found.score, method: Method::Generic, korean: None, generic: explain.then_some(found) }
}
