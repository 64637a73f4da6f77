//! Return codes: what a sender keeps to come back to a conversation. Either sixteen digits (53 bits; it passes
//! as a phone number in a contact list) or six words from the Korean, Russian or English list (66 bits). A
//! code is read back forgivingly: spaces, dashes and dots anywhere, full-width digits, any case, Hangul typed
//! as syllables or as jamo, `ё` for `е`.

use rand::Rng;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// Digits in a digit code.
pub const DIGITS: usize = 16;
/// Words in a word code.
pub const WORDS: usize = 6;

/// A word list of the codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordList {
    /// The BIP-39 Korean list.
    Korean,
    /// A Russian list of 2,048 words.
    Russian,
    /// The BIP-39 English list.
    English,
}

const KOREAN: &str = include_str!("../wordlists/ko.txt");
const RUSSIAN: &str = include_str!("../wordlists/ru.txt");
const ENGLISH: &str = include_str!("../wordlists/en.txt");

impl WordList {
    /// Every list.
    pub const ALL: [WordList; 3] = [WordList::Korean, WordList::Russian, WordList::English];

    /// Its language's BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            WordList::Korean => "ko",
            WordList::Russian => "ru",
            WordList::English => "en",
        }
    }

    /// The list a language tag names.
    pub fn from_tag(tag: &str) -> Option<WordList> {
        WordList::ALL.into_iter().find(|list| list.tag() == tag)
    }

    /// Its 2,048 words, in order.
    pub fn words(self) -> impl Iterator<Item = &'static str> {
        let text = match self {
            WordList::Korean => KOREAN,
            WordList::Russian => RUSSIAN,
            WordList::English => ENGLISH,
        };
        text.lines()
    }

    fn index_of(self, word: &str) -> Option<usize> {
        self.words().position(|candidate| candidate == word)
    }
}

/// What form a new code takes: the sender's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeForm {
    /// Sixteen digits.
    Digits,
    /// Six words of a list.
    Words(WordList),
}

/// A return code, in its canonical form (what keys are derived from). Wiped when dropped; never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct ReturnCode {
    form: CodeForm,
    /// Digits, or the words' positions in their list.
    parts: Zeroizing<Vec<u16>>,
}

impl std::fmt::Debug for ReturnCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReturnCode({:?}, <secret>)", self.form)
    }
}

impl ReturnCode {
    /// A new random code of the form asked for (the operating system's generator).
    pub fn generate(form: CodeForm) -> ReturnCode {
        let mut rng = rand::rng();
        let parts = match form {
            CodeForm::Digits => (0..DIGITS).map(|_| rng.random_range(0..10u16)).collect(),
            CodeForm::Words(_) => (0..WORDS).map(|_| rng.random_range(0..2048u16)).collect(),
        };
        ReturnCode { form, parts: Zeroizing::new(parts) }
    }

    /// Reads a code as a sender typed it; `None` when it is not one (a wrong count of digits or words, a word
    /// of no list, words of two lists).
    pub fn parse(typed: &str) -> Option<ReturnCode> {
        if typed.len() > 400 {
            return None;
        }
        // NFKC: full-width digits become ASCII; jamo typed one by one compose into syllables.
        let text: Zeroizing<String> =
            Zeroizing::new(typed.nfkc().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect());
        let compact: Zeroizing<String> = Zeroizing::new(text.chars().filter(|c| !is_separator(*c)).collect());
        if !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit()) {
            if compact.len() != DIGITS {
                return None;
            }
            let parts = compact.bytes().map(|b| u16::from(b - b'0')).collect();
            return Some(ReturnCode { form: CodeForm::Digits, parts: Zeroizing::new(parts) });
        }
        let words: Vec<&str> = text.split(is_separator).filter(|w| !w.is_empty()).collect();
        if words.len() != WORDS {
            return None;
        }
        let list = WordList::ALL.into_iter().find(|list| list.index_of(words[0]).is_some())?;
        let parts = words
            .iter()
            .map(|word| list.index_of(word).and_then(|i| u16::try_from(i).ok()))
            .collect::<Option<Vec<u16>>>()?;
        Some(ReturnCode { form: CodeForm::Words(list), parts: Zeroizing::new(parts) })
    }

    /// Its form.
    pub fn form(&self) -> CodeForm {
        self.form
    }

    /// The code as the sender is shown it: digits in groups of four, or the words with spaces.
    pub fn display(&self) -> Zeroizing<String> {
        match self.form {
            CodeForm::Digits => {
                let mut shown = String::with_capacity(DIGITS + DIGITS / 4);
                for (i, digit) in self.parts.iter().enumerate() {
                    if i > 0 && i % 4 == 0 {
                        shown.push(' ');
                    }
                    shown.push(char::from(b'0' + *digit as u8));
                }
                Zeroizing::new(shown)
            }
            CodeForm::Words(list) => {
                let words: Vec<&str> = list.words().collect();
                Zeroizing::new(self.parts.iter().map(|i| words[usize::from(*i)]).collect::<Vec<_>>().join(" "))
            }
        }
    }

    /// The bytes keys are derived from: the form and the parts, so that one code has one spelling.
    pub(crate) fn canonical(&self) -> Zeroizing<Vec<u8>> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(4 + 2 * self.parts.len()));
        match self.form {
            CodeForm::Digits => bytes.extend_from_slice(b"d:"),
            CodeForm::Words(list) => {
                bytes.extend_from_slice(b"w:");
                bytes.extend_from_slice(list.tag().as_bytes());
                bytes.push(b':');
            }
        }
        for part in self.parts.iter() {
            bytes.extend_from_slice(&part.to_be_bytes());
        }
        bytes
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '.' | ',' | '+' | '(' | ')' | '/' | '·' | '_' | '–' | '—')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_have_2048_distinct_words() {
        for list in WordList::ALL {
            let words: Vec<&str> = list.words().collect();
            assert_eq!(words.len(), 2048, "{list:?}");
            let distinct: std::collections::HashSet<&str> = words.iter().copied().collect();
            assert_eq!(distinct.len(), 2048, "{list:?}");
            assert!(words.iter().all(|w| !w.is_empty() && w.chars().all(char::is_alphabetic)), "{list:?}");
        }
        // Spelled as people type it (composed syllables), whatever the source's form.
        assert_eq!(WordList::Korean.words().next(), Some("가격"));
    }

    #[test]
    fn a_new_code_reads_back_as_itself_in_every_form() {
        for form in [
            CodeForm::Digits,
            CodeForm::Words(WordList::Korean),
            CodeForm::Words(WordList::Russian),
            CodeForm::Words(WordList::English),
        ] {
            for _ in 0..50 {
                let code = ReturnCode::generate(form);
                let shown = code.display();
                assert_eq!(ReturnCode::parse(&shown), Some(code.clone()), "{form:?}");
            }
        }
    }

    #[test]
    fn codes_are_read_forgivingly_and_strictly() {
        let code = ReturnCode::parse("1234 5678-9012.3456").unwrap();
        assert_eq!(code.form(), CodeForm::Digits);
        assert_eq!(code.display().as_str(), "1234 5678 9012 3456");
        // Full-width digits, a leading plus.
        assert_eq!(ReturnCode::parse("+１２３４５６７８９０１２３４５６"), Some(code.clone()));
        assert_eq!(ReturnCode::parse("123456789012345"), None, "fifteen digits");
        assert_eq!(ReturnCode::parse("12345678901234567"), None, "seventeen digits");
        let words = ReturnCode::parse("Abandon ability ABLE about above absent").unwrap();
        assert_eq!(words.form(), CodeForm::Words(WordList::English));
        assert_eq!(ReturnCode::parse("abandon ability able about above"), None, "five words");
        assert_eq!(ReturnCode::parse("abandon ability able about above zzzz"), None, "a word of no list");
        assert_eq!(ReturnCode::parse("abandon ability able about above 가격"), None, "two lists");
        // Hangul as separate jamo (NFD) reads as the syllables.
        let korean = "가격 가끔 가난 가능 가득 가격";
        let decomposed: String = korean.nfd().collect();
        assert_eq!(ReturnCode::parse(&decomposed), ReturnCode::parse(korean));
        assert!(ReturnCode::parse(korean).is_some());
        // ё typed for е, and the other way round, is the same word.
        let russian: Vec<&str> = WordList::Russian.words().filter(|w| w.contains('е')).take(6).collect();
        let with_yo = russian.join(" ").replacen('е', "ё", 1);
        assert_eq!(ReturnCode::parse(&with_yo), ReturnCode::parse(&russian.join(" ")));
        assert!(ReturnCode::parse(&russian.join(" ")).is_some());
        assert_eq!(ReturnCode::parse(""), None);
        assert_eq!(ReturnCode::parse(&"1".repeat(1000)), None);
    }

    #[test]
    fn one_code_has_one_canonical_spelling_and_codes_differ() {
        let a = ReturnCode::parse("1111 2222 3333 4444").unwrap();
        let b = ReturnCode::parse("1111222233334444").unwrap();
        assert_eq!(a.canonical(), b.canonical());
        let c = ReturnCode::parse("1111 2222 3333 4445").unwrap();
        assert_ne!(a.canonical(), c.canonical());
        assert!(!format!("{a:?}").contains("1111"));
    }

    proptest::proptest! {
        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,80}") {
            let _ = ReturnCode::parse(&text);
        }
    }
}
