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

/// Most characters in one name that readers of outside data accept ([`check_length`]). The longest names on
/// the UN and OFAC lists are a few hundred characters; a longer one is a broken or hostile file. Names are
/// also safe to prepare past it (their cost grows linearly), but they are refused where they come in.
pub const MAX_NAME_CHARS: usize = 1_000;

/// Words of up to this many letters also stand, in blocking keys, for themselves with any one letter dropped
/// (a key per letter: the cost grows with the square of the word's length, so longer words get none).
pub const MAX_DROPPED_LETTER_WORD: usize = 32;

/// `Err` with the reason when a name is longer than [`MAX_NAME_CHARS`].
pub fn check_length(text: &str) -> Result<(), String> {
    let length = text.chars().count();
    if length > MAX_NAME_CHARS {
        return Err(format!("a name of {length} characters; names are limited to {MAX_NAME_CHARS}"));
    }
    Ok(())
}

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
            // Past MAX_DROPPED_LETTER_WORD letters no word of a real name is typed that way.
            if (5..=MAX_DROPPED_LETTER_WORD).contains(&letters.len()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hostile_name_costs_what_its_length_does() {
        // Before the bound, a 30,000-letter word made 30,000 keys of 30,000 letters each (about 1 GB).
        let word = "abcdefghij".repeat(10_000);
        let name = Name::new(&format!("{word} kim {word}"), NameKind::Person);
        let keys = name.keys();
        assert!(keys.len() <= 6, "{}", keys.len());
        assert!(!name.is_korean());
        assert!(name.given_keys().is_empty());
        // A long name of many short words is prepared too, and not read as Korean.
        let many = "kim ".repeat(50_000);
        assert!(!Name::new(&many, NameKind::Person).is_korean());
        assert!(score(&Name::new(&many, NameKind::Person), &Name::new("kim jong un", NameKind::Person)) < 1.0);
        // Words of a real name still get their dropped-letter keys.
        assert!(Name::new("Hafiz Awlijan", NameKind::Other).keys().contains(&"w:afiz".to_string()));
    }

    #[test]
    fn names_longer_than_the_limit_are_refused_with_their_length() {
        assert!(check_length(&"a".repeat(MAX_NAME_CHARS)).is_ok());
        assert_eq!(
            check_length(&"가".repeat(MAX_NAME_CHARS + 1)).unwrap_err(),
            "a name of 1001 characters; names are limited to 1000"
        );
    }
}
