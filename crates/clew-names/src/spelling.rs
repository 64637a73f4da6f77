//! Reading Latin and Cyrillic spellings of Korean syllables: every way a word splits into syllables, and
//! for each syllable the Hangul sounds its spelling allows.
//!
//! The grammars accept what people write, not one system: Revised Romanization, McCune–Reischauer with or
//! without breves and apostrophes, the DPRK system, passport and English-press spellings ("Lee", "Park",
//! "Choi", "Yoon"), Kontsevich Cyrillic and the conventional Russian forms ("Ким Чен Ын", "Цой"). Voicing and
//! aspiration are free (Kil/Gil, Tong/Dong, Chol/Jol), because the systems disagree on them; so are ŏ/o and
//! ŭ/u once breves are dropped. A word that no split can read is not Korean.

use std::sync::OnceLock;

use crate::sounds::{CODAS, Sounds, bit};

/// One syllable as written, and what it can stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenSyllable {
    /// The letters (normalised).
    pub text: String,
    /// The Hangul sounds they allow.
    pub sounds: Sounds,
}

/// The Latin spelling table, shipped in the binary.
pub const LATIN_TABLE: &str = include_str!("../data/spelling-latin.tsv");
/// The Cyrillic spelling table, shipped in the binary.
pub const CYRILLIC_TABLE: &str = include_str!("../data/spelling-cyrillic.tsv");

/// How one alphabet writes the parts of a syllable: letters and what they can stand for.
#[derive(Debug, Clone, Default)]
pub struct Grammar {
    /// Letters a syllable may begin with, and the initials (bit set) they write.
    pub onsets: Vec<(String, u32)>,
    /// Letters of a vowel, and the vowels (bit set) they write.
    pub vowels: Vec<(String, u32)>,
    /// Letters a syllable may end with, and the final sounds (bit set) they write.
    pub codas: Vec<(String, u8)>,
}

impl Grammar {
    /// Reads a spelling table; every bad line is reported as `NAME:LINE: problem`.
    pub fn parse(text: &str, name: &str) -> Result<Grammar, Vec<String>> {
        let mut grammar = Grammar::default();
        let mut errors = Vec::new();
        for (line, fields) in crate::table::rows(text, &["part", "letters", "values"]) {
            let at = |message: String| format!("{name}:{line}: {message}");
            let fields = match fields {
                Ok(fields) => fields,
                Err(message) => {
                    errors.push(at(message));
                    continue;
                }
            };
            let [part, letters, values] = fields[..] else { continue };
            let letters = if letters == "-" { String::new() } else { letters.to_string() };
            let jamo_set = |table: &[char]| -> Result<u32, String> {
                let mut set = 0u32;
                for c in values.chars().filter(|c| !c.is_whitespace()) {
                    let index = table
                        .iter()
                        .position(|j| *j == c)
                        .ok_or_else(|| format!("`{c}` is not a letter of this part"))?;
                    set |= bit(index as u8);
                }
                if set == 0 { Err("no value".to_string()) } else { Ok(set) }
            };
            let result = match part {
                "onset" => jamo_set(&crate::hangul::INITIALS).map(|set| grammar.onsets.push((letters, set))),
                "vowel" => jamo_set(&crate::hangul::MEDIALS).map(|set| grammar.vowels.push((letters, set))),
                "coda" => {
                    let mut set = 0u8;
                    let mut problem = None;
                    for value in values.split_whitespace() {
                        match CODAS.iter().find(|c| c.name() == value) {
                            Some(coda) => set |= 1 << *coda as u8,
                            None => problem = Some(format!("`{value}` is not a final sound (none k n t l m p ng)")),
                        }
                    }
                    match problem {
                        Some(problem) => Err(problem),
                        None if set == 0 => Err("no value".to_string()),
                        None => {
                            grammar.codas.push((letters, set));
                            Ok(())
                        }
                    }
                }
                other => Err(format!("`{other}` is not a part (onset, vowel, coda)")),
            };
            if let Err(message) = result {
                errors.push(at(message));
            }
        }
        if errors.is_empty() { Ok(grammar) } else { Err(errors) }
    }

    /// The shipped table of an alphabet. Tests check that both load, so a failure here cannot ship.
    pub fn builtin(alphabet: Alphabet) -> &'static Grammar {
        static LATIN: OnceLock<Grammar> = OnceLock::new();
        static CYRILLIC: OnceLock<Grammar> = OnceLock::new();
        match alphabet {
            Alphabet::Latin => {
                LATIN.get_or_init(|| Grammar::parse(LATIN_TABLE, "spelling-latin.tsv").unwrap_or_default())
            }
            Alphabet::Cyrillic => {
                CYRILLIC.get_or_init(|| Grammar::parse(CYRILLIC_TABLE, "spelling-cyrillic.tsv").unwrap_or_default())
            }
        }
    }
}

/// Which letters a word is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// Latin letters (lower case, no diacritics, no apostrophes).
    Latin,
    /// Cyrillic letters (lower case).
    Cyrillic,
}

/// Most splits of one word kept; a word of Korean syllables has a handful.
const MAX_SPLITS: usize = 16;

/// Most letters of a word read as Korean syllables: four syllables of the longest spellings (`chwaeng`,
/// `ччхвэн`) fit. A longer word is not read, so a hostile word costs nothing.
pub const MAX_SPELLED_LETTERS: usize = 32;

/// Every way a word splits into Korean syllables (at most [`MAX_SPLITS`], fewest syllables first), each
/// syllable with the sounds its letters allow; empty when the word cannot be Korean syllables (or is longer
/// than [`MAX_SPELLED_LETTERS`]).
pub fn splits(word: &str, alphabet: Alphabet) -> Vec<Vec<WrittenSyllable>> {
    let grammar = Grammar::builtin(alphabet);
    let (onsets, vowels, coda_table) = (&grammar.onsets, &grammar.vowels, &grammar.codas);
    let chars: Vec<char> = word.chars().collect();
    if chars.len() > MAX_SPELLED_LETTERS {
        return Vec::new();
    }
    // syllables_at[i]: every syllable that starts at i, with where it ends.
    let mut syllables_at: Vec<Vec<(usize, WrittenSyllable)>> = vec![Vec::new(); chars.len()];
    for (start, found) in syllables_at.iter_mut().enumerate() {
        for (onset, initial_set) in onsets {
            let Some(after_onset) = match_at(&chars, start, onset) else { continue };
            for (vowel, medial_set) in vowels {
                let Some(after_vowel) = match_at(&chars, after_onset, vowel) else { continue };
                for (coda, coda_set) in coda_table {
                    let Some(end) = match_at(&chars, after_vowel, coda) else { continue };
                    let text: String = chars[start..end].iter().collect();
                    let sounds = Sounds { initials: *initial_set, medials: *medial_set, codas: *coda_set };
                    // The same letters read two ways (e.g. "o" + "" and "oh" + "") merge into one syllable.
                    match found.iter_mut().find(|(e, s)| *e == end && s.text == text) {
                        Some((_, existing)) => {
                            existing.sounds.initials |= sounds.initials;
                            existing.sounds.medials |= sounds.medials;
                            existing.sounds.codas |= sounds.codas;
                        }
                        None => found.push((end, WrittenSyllable { text, sounds })),
                    }
                }
            }
        }
    }
    // Sound sets of the same letters read with different syllable boundaries are kept apart: split[i] holds
    // the ways to read chars[i..].
    let mut from: Vec<Vec<Vec<WrittenSyllable>>> = vec![Vec::new(); chars.len() + 1];
    from[chars.len()].push(Vec::new());
    for start in (0..chars.len()).rev() {
        let mut ways = Vec::new();
        for (end, syllable) in &syllables_at[start] {
            for rest in &from[*end] {
                let mut way = Vec::with_capacity(rest.len() + 1);
                way.push(syllable.clone());
                way.extend(rest.iter().cloned());
                ways.push(way);
            }
        }
        ways.sort_by_key(Vec::len);
        ways.truncate(MAX_SPLITS);
        from[start] = ways;
    }
    if chars.is_empty() { Vec::new() } else { std::mem::take(&mut from[0]) }
}

/// The position after `pattern` when it is at `start`.
fn match_at(chars: &[char], start: usize, pattern: &str) -> Option<usize> {
    let mut at = start;
    for c in pattern.chars() {
        if chars.get(at) != Some(&c) {
            return None;
        }
        at += 1;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(word: &str, alphabet: Alphabet) -> Vec<String> {
        splits(word, alphabet)
            .iter()
            .map(|way| {
                way.iter()
                    .map(|s| format!("{}={}", s.text, s.sounds.hangul().iter().collect::<String>()))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn the_shipped_tables_load_and_bad_lines_are_reported() {
        let latin = Grammar::parse(LATIN_TABLE, "latin").unwrap();
        let cyrillic = Grammar::parse(CYRILLIC_TABLE, "cyrillic").unwrap();
        assert!(latin.onsets.len() > 30 && latin.vowels.len() > 30 && latin.codas.len() > 10);
        assert!(cyrillic.onsets.len() > 20 && cyrillic.vowels.len() > 15);
        let errors =
            Grammar::parse("onset\tg\tㅏ\nvowel\ta\tㅏ\ncoda\tk\tq\nstress\ta\tb\nvowel\ta\n", "t").unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("t:1: `ㅏ`"), "{errors:?}");
        assert!(errors[1].starts_with("t:3:") && errors[2].starts_with("t:4:") && errors[3].starts_with("t:5:"));
    }

    #[test]
    fn latin_syllables_read_as_the_hangul_they_can_be() {
        let jong = &splits("jong", Alphabet::Latin)[0];
        assert_eq!(jong.len(), 1);
        assert_eq!(jong[0].sounds.hangul(), vec!['정', '종', '쩡', '쫑', '청', '총']);
        let un = &splits("un", Alphabet::Latin)[0][0].sounds.hangul();
        assert!(un.contains(&'은') && un.contains(&'운') && un.contains(&'언'), "{un:?}");
        assert!(splits("hyok", Alphabet::Latin)[0][0].sounds.hangul().contains(&'혁'));
        assert!(splits("kwang", Alphabet::Latin)[0][0].sounds.hangul().contains(&'광'));
    }

    #[test]
    fn joined_syllables_split_every_way_they_can() {
        let ways = read("jongun", Alphabet::Latin);
        assert!(ways.iter().any(|w| w.starts_with("jong=") && w.contains(" un=")), "{ways:?}");
        assert!(ways.iter().any(|w| w.starts_with("jon=") && w.contains(" gun=")), "{ways:?}");
        assert!(splits("gildong", Alphabet::Latin).iter().any(|w| w.len() == 2));
    }

    #[test]
    fn words_that_are_not_korean_syllables_do_not_read() {
        for word in ["vladimir", "pisklin", "xyz", "yyu", "sko", ""] {
            assert!(splits(word, Alphabet::Latin).is_empty(), "{word}");
        }
        // Syllables the grammar reads, too many of them to be a word of a name: not read at all.
        assert!(!splits(&"kim".repeat(10), Alphabet::Latin).is_empty());
        assert!(splits(&"kim".repeat(11), Alphabet::Latin).is_empty());
    }

    #[test]
    fn cyrillic_reads_kontsevich_and_the_conventional_forms() {
        assert!(splits("чен", Alphabet::Cyrillic)[0][0].sounds.hangul().contains(&'정'));
        assert!(splits("чхун", Alphabet::Cyrillic)[0][0].sounds.hangul().contains(&'춘'));
        assert!(splits("ён", Alphabet::Cyrillic)[0][0].sounds.hangul().contains(&'영'));
        assert!(splits("цой", Alphabet::Cyrillic)[0][0].sounds.hangul().contains(&'최'));
        assert!(splits("чвэ", Alphabet::Cyrillic)[0][0].sounds.hangul().contains(&'최'));
        let kontsevich = read("чонъын", Alphabet::Cyrillic);
        assert!(kontsevich.iter().any(|w| w.contains("чонъ=") && w.contains("ын=")), "{kontsevich:?}");
    }
}
