//! Normalising a written name: which script it is in, lower case, Latin diacritics and apostrophes dropped
//! (ŏ → o, CHO'NG → chong), and its words, with the hyphenated pieces of each word kept apart
//! (Jong-un: one word of two pieces).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The script a name is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    /// Hangul syllables.
    Hangul,
    /// Latin letters.
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// Chinese characters (hanja, hanzi).
    Han,
    /// Anything else (Arabic, Greek, ...), or several scripts at once.
    Other,
}

/// A name cut into words, each into pieces, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// The script of its letters.
    pub script: Script,
    /// Words (separated by spaces, commas, dots, slashes), each as its hyphenated pieces.
    pub words: Vec<Vec<String>>,
}

impl Words {
    /// Every piece of every word, in order.
    pub fn pieces(&self) -> impl Iterator<Item = &str> {
        self.words.iter().flatten().map(String::as_str)
    }
}

/// Apostrophes and modifier letters: McCune–Reischauer's aspiration marks, and the breve written as an
/// apostrophe (CHO'NG for chŏng). Dropped.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´' | 'ʹ' | '′')
}

fn script_of(c: char) -> Option<Script> {
    if crate::hangul::is_syllable(c) {
        Some(Script::Hangul)
    } else if c.is_ascii_alphabetic()
        || ('\u{00C0}'..='\u{024F}').contains(&c)
        || ('\u{1E00}'..='\u{1EFF}').contains(&c)
    {
        Some(Script::Latin)
    } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
        Some(Script::Cyrillic)
    } else if ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || ('\u{3400}'..='\u{4DBF}').contains(&c)
        || ('\u{F900}'..='\u{FAFF}').contains(&c)
    {
        Some(Script::Han)
    } else if c.is_alphabetic() {
        Some(Script::Other)
    } else {
        None
    }
}

/// Normalises a name and cuts it into words and pieces.
pub fn words(name: &str) -> Words {
    let mut script: Option<Script> = None;
    let mut words: Vec<Vec<String>> = Vec::new();
    let mut word: Vec<String> = Vec::new();
    let mut piece = String::new();
    let end_piece = |piece: &mut String, word: &mut Vec<String>| {
        if !piece.is_empty() {
            word.push(std::mem::take(piece));
        }
    };
    for c in name.chars() {
        if is_apostrophe(c) {
            continue;
        }
        if c == '-' || c == '‐' || c == '‑' || c == '–' {
            end_piece(&mut piece, &mut word);
            continue;
        }
        if c.is_ascii_digit() {
            // Digits belong to words (Brigade 44, 1st) but say nothing about the script.
            piece.push(c);
            continue;
        }
        let Some(kind) = script_of(c) else {
            // Spaces, punctuation, digits: a word boundary.
            end_piece(&mut piece, &mut word);
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        };
        script = match script {
            None => Some(kind),
            Some(seen) if seen == kind => Some(seen),
            Some(_) => Some(Script::Other),
        };
        match kind {
            Script::Latin => {
                for d in c.to_string().nfkd().filter(|d| !is_combining_mark(*d)) {
                    piece.extend(d.to_lowercase());
                }
            }
            _ => piece.extend(c.to_lowercase()),
        }
    }
    end_piece(&mut piece, &mut word);
    if !word.is_empty() {
        words.push(word);
    }
    Words { script: script.unwrap_or(Script::Other), words }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_and_folded() {
        let w = words("YO'N CHO'NG NAM");
        assert_eq!(w.script, Script::Latin);
        assert_eq!(w.words, vec![vec!["yon"], vec!["chong"], vec!["nam"]]);
        assert_eq!(words("Kim Chŏng-ŭn").words, vec![vec!["kim".to_string()], vec!["chong".into(), "un".into()]]);
        assert_eq!(
            words("Ch’oe Ch’un-yo’ng").words,
            vec![vec!["choe".to_string()], vec!["chun".into(), "yong".into()]]
        );
        let c = words("Ким Чен Ын");
        assert_eq!((c.script, c.words.len()), (Script::Cyrillic, 3));
        assert_eq!(words("김정은").script, Script::Hangul);
        assert_eq!(words("Jin Tiesan (金铁三)").script, Script::Other);
        assert_eq!(words("金铁三").script, Script::Han);
        assert!(words(" - ").words.is_empty());
        assert_eq!(words("Brigade 44").words, vec![vec!["brigade".to_string()], vec!["44".into()]]);
    }
}
