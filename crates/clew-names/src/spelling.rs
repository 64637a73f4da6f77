//! Reading Latin and Cyrillic spellings of Korean syllables: every way a word splits into syllables, and
//! for each syllable the Hangul sounds its spelling allows.
//!
//! The grammars accept what people write, not one system: Revised Romanization, McCune–Reischauer with or
//! without breves and apostrophes, the DPRK system, passport and English-press spellings ("Lee", "Park",
//! "Choi", "Yoon"), Kontsevich Cyrillic and the conventional Russian forms ("Ким Чен Ын", "Цой"). Voicing and
//! aspiration are free (Kil/Gil, Tong/Dong, Chol/Jol), because the systems disagree on them; so are ŏ/o and
//! ŭ/u once breves are dropped. A word that no split can read is not Korean.

use crate::hangul::Coda;
use crate::hangul::medial::*;
use crate::sounds::{Sounds, bit, codas, initials};

/// One syllable as written, and what it can stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenSyllable {
    /// The letters (normalised).
    pub text: String,
    /// The Hangul sounds they allow.
    pub sounds: Sounds,
}

/// The letters a syllable may begin with, and the initials they write.
type Onsets = &'static [(&'static str, u32)];
/// The letters of a vowel, and the vowels they write.
type Vowels = &'static [(&'static str, u32)];
/// The letters a syllable may end with, and the final sounds they write.
type Codas = &'static [(&'static str, u8)];

const LATIN_ONSETS: Onsets = &[
    ("", initials::SILENT),
    ("g", initials::VELAR),
    ("k", initials::VELAR),
    ("gh", initials::VELAR),
    ("kh", initials::VELAR),
    ("kk", initials::VELAR),
    ("gg", initials::VELAR),
    ("n", initials::NASAL_N),
    ("d", initials::DENTAL),
    ("t", initials::DENTAL),
    ("th", initials::DENTAL),
    ("tt", initials::DENTAL),
    ("dd", initials::DENTAL),
    ("r", initials::LIQUID),
    ("l", initials::LIQUID),
    ("rh", initials::LIQUID),
    ("m", initials::NASAL_M),
    ("b", initials::LABIAL),
    ("p", initials::LABIAL),
    ("ph", initials::LABIAL),
    ("pp", initials::LABIAL),
    ("bb", initials::LABIAL),
    ("s", initials::SIBILANT),
    ("sh", initials::SIBILANT),
    ("ss", initials::SIBILANT),
    ("j", initials::AFFRICATE),
    ("ch", initials::AFFRICATE),
    ("tch", initials::AFFRICATE),
    ("dj", initials::AFFRICATE),
    ("jj", initials::AFFRICATE),
    ("jh", initials::AFFRICATE),
    ("ts", initials::AFFRICATE),
    ("tz", initials::AFFRICATE),
    ("z", initials::AFFRICATE),
    ("h", initials::GLOTTAL),
];

const LATIN_VOWELS: Vowels = &[
    ("a", bit(A)),
    ("ah", bit(A)),
    ("ae", bit(AE) | bit(E)),
    ("ai", bit(AE) | bit(E)),
    ("e", bit(E) | bit(AE)),
    ("eh", bit(E) | bit(AE)),
    ("ei", bit(E)),
    ("eo", bit(EO)),
    ("eu", bit(EU)),
    ("eui", bit(UI)),
    ("i", bit(I) | bit(UI)),
    ("ee", bit(I)),
    ("o", bit(O) | bit(EO)),
    ("oh", bit(O) | bit(EO)),
    ("oo", bit(U)),
    ("ou", bit(U) | bit(O) | bit(EO)),
    ("u", bit(U) | bit(EU) | bit(EO)),
    ("uh", bit(EO) | bit(U)),
    ("ui", bit(UI) | bit(WI)),
    ("ya", bit(YA)),
    ("yae", bit(YAE)),
    ("ye", bit(YE) | bit(YAE)),
    ("yeo", bit(YEO)),
    ("yo", bit(YEO) | bit(YO)),
    ("you", bit(YEO) | bit(YO) | bit(YU)),
    ("yu", bit(YU) | bit(YEO)),
    ("yoo", bit(YU)),
    ("yi", bit(I) | bit(UI)),
    ("wa", bit(WA)),
    ("wae", bit(WAE) | bit(OE) | bit(WE)),
    ("we", bit(WE) | bit(OE) | bit(WAE)),
    ("wo", bit(WO)),
    ("weo", bit(WO)),
    ("wi", bit(WI)),
    ("woo", bit(U)),
    ("wu", bit(U) | bit(WO)),
    ("oe", bit(OE) | bit(WE) | bit(WAE)),
    ("oi", bit(OE)),
    ("oy", bit(OE)),
    ("ey", bit(OE) | bit(E) | bit(AE)),
];

const LATIN_CODAS: Codas = &[
    ("", codas(&[Coda::None])),
    ("k", codas(&[Coda::K])),
    ("g", codas(&[Coda::K])),
    ("ck", codas(&[Coda::K])),
    ("n", codas(&[Coda::N])),
    ("ng", codas(&[Coda::Ng])),
    ("l", codas(&[Coda::L])),
    ("r", codas(&[Coda::L])),
    ("ll", codas(&[Coda::L])),
    ("m", codas(&[Coda::M])),
    ("p", codas(&[Coda::P])),
    ("b", codas(&[Coda::P])),
    ("t", codas(&[Coda::T])),
    ("d", codas(&[Coda::T])),
    ("s", codas(&[Coda::T])),
];

const CYRILLIC_ONSETS: Onsets = &[
    ("", initials::SILENT),
    ("к", initials::VELAR),
    ("г", initials::VELAR),
    ("кх", initials::VELAR),
    ("кк", initials::VELAR),
    ("н", initials::NASAL_N),
    ("т", initials::DENTAL),
    ("д", initials::DENTAL),
    ("тх", initials::DENTAL),
    ("тт", initials::DENTAL),
    ("р", initials::LIQUID),
    ("л", initials::LIQUID),
    ("м", initials::NASAL_M),
    ("п", initials::LABIAL),
    ("б", initials::LABIAL),
    ("пх", initials::LABIAL),
    ("пп", initials::LABIAL),
    ("с", initials::SIBILANT),
    ("сс", initials::SIBILANT),
    ("ш", initials::SIBILANT),
    ("ч", initials::AFFRICATE),
    ("чх", initials::AFFRICATE),
    ("чч", initials::AFFRICATE),
    ("дж", initials::AFFRICATE),
    ("чж", initials::AFFRICATE),
    ("ц", initials::AFFRICATE),
    ("х", initials::GLOTTAL),
];

const CYRILLIC_VOWELS: Vowels = &[
    ("а", bit(A)),
    ("я", bit(YA)),
    ("о", bit(O) | bit(EO)),
    ("ё", bit(YEO) | bit(YO)),
    ("йо", bit(YEO) | bit(YO)),
    ("у", bit(U)),
    ("ю", bit(YU)),
    ("ы", bit(EU)),
    ("и", bit(I) | bit(UI)),
    ("э", bit(AE) | bit(E)),
    // Conventional Russian forms write ㅓ and ㅕ with е as well (Ким Чен Ын, Ли Ен Хо).
    ("е", bit(E) | bit(AE) | bit(EO) | bit(YEO) | bit(YE)),
    ("йе", bit(YE) | bit(YEO)),
    ("ве", bit(OE) | bit(WE)),
    ("вэ", bit(WAE) | bit(OE) | bit(WE)),
    ("ва", bit(WA)),
    ("во", bit(WO)),
    ("ви", bit(WI)),
    ("ый", bit(UI)),
    ("ой", bit(OE)),
];

const CYRILLIC_CODAS: Codas = &[
    ("", codas(&[Coda::None])),
    ("к", codas(&[Coda::K])),
    ("г", codas(&[Coda::K])),
    // Kontsevich writes ㅇ as н too.
    ("н", codas(&[Coda::N, Coda::Ng])),
    ("нъ", codas(&[Coda::Ng])),
    ("нг", codas(&[Coda::Ng])),
    ("ль", codas(&[Coda::L])),
    ("л", codas(&[Coda::L])),
    ("р", codas(&[Coda::L])),
    ("м", codas(&[Coda::M])),
    ("п", codas(&[Coda::P])),
    ("б", codas(&[Coda::P])),
    ("т", codas(&[Coda::T])),
    ("д", codas(&[Coda::T])),
    ("с", codas(&[Coda::T])),
];

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

/// Every way a word splits into Korean syllables (at most [`MAX_SPLITS`], fewest syllables first), each
/// syllable with the sounds its letters allow; empty when the word cannot be Korean syllables.
pub fn splits(word: &str, alphabet: Alphabet) -> Vec<Vec<WrittenSyllable>> {
    let (onsets, vowels, coda_table) = match alphabet {
        Alphabet::Latin => (LATIN_ONSETS, LATIN_VOWELS, LATIN_CODAS),
        Alphabet::Cyrillic => (CYRILLIC_ONSETS, CYRILLIC_VOWELS, CYRILLIC_CODAS),
    };
    let chars: Vec<char> = word.chars().collect();
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
