//! The Korean surname table (`data/surnames.tsv`): which Hangul surnames a written surname can be.
//!
//! Surnames are decided by this closed table, never by transliteration alone (docs/korean-names.md §7, rule
//! 4): "Lee", "Yi", "Rhee", "Ri" and "Ли" are all 이/리, "Park" is 박, "Tsoi" and "Цой" are 최. Regular
//! spellings are read by the syllable grammars of [`crate::spelling`] and checked against each surname's
//! Hangul; the table lists only the spellings no rule produces.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::hangul::{Syllable, syllables};
use crate::normalize::{Script, Words};
use crate::sounds::{Agreement, Sounds};
use crate::spelling::{Alphabet, splits};

/// The table's text, shipped in the binary.
pub const TABLE: &str = include_str!("../data/surnames.tsv");

/// One surname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surname {
    /// In Hangul, as the South writes it.
    pub hangul: String,
    /// As the North writes it, when the initial sound rule makes it differ.
    pub north: Option<String>,
    /// Usual hanja (several for surnames of several clans).
    pub hanja: Vec<String>,
    /// Syllables of the South's and (if different) the North's spelling.
    forms: Vec<Vec<Syllable>>,
    /// Spellings no rule produces (lower case).
    pub variants: Vec<String>,
}

/// The loaded table.
#[derive(Debug)]
pub struct Surnames {
    /// Every surname, in table order (an index into it is a surname's id).
    pub entries: Vec<Surname>,
    /// Written form (Hangul, or a listed variant in lower case) → ids.
    by_form: HashMap<String, Vec<u16>>,
}

/// A problem with the table, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "surnames.tsv:{}: {}", self.line, self.message)
    }
}

impl Surnames {
    /// The table shipped with clew. It is checked by tests, so it always loads.
    pub fn builtin() -> &'static Surnames {
        static TABLE_LOADED: OnceLock<Surnames> = OnceLock::new();
        TABLE_LOADED.get_or_init(|| {
            Surnames::parse(TABLE).unwrap_or_else(|_| Surnames { entries: Vec::new(), by_form: HashMap::new() })
        })
    }

    /// Reads a table; every bad line is reported.
    pub fn parse(text: &str) -> Result<Surnames, Vec<TableError>> {
        let mut entries = Vec::new();
        let mut errors = Vec::new();
        let mut seen = HashMap::new();
        for (number, fields) in crate::table::rows(text, &["hangul", "north", "hanja", "latin", "cyrillic"]) {
            let mut error = |message: String| errors.push(TableError { line: number, message });
            let fields = match fields {
                Ok(fields) => fields,
                Err(message) => {
                    error(message);
                    continue;
                }
            };
            let list = |field: &str| -> Vec<String> {
                if field == "-" { Vec::new() } else { field.split(',').map(|v| v.trim().to_string()).collect() }
            };
            let Some(south) = syllables(fields[0]).filter(|s| (1..=2).contains(&s.len())) else {
                error(format!("`{}` is not one or two Hangul syllables", fields[0]));
                continue;
            };
            let mut forms = vec![south];
            let north = if fields[1] == "-" { None } else { Some(fields[1].to_string()) };
            if let Some(north) = &north {
                match syllables(north) {
                    Some(form) if form.len() == forms[0].len() && form[0].south_initial() == forms[0][0] => {
                        forms.push(form)
                    }
                    _ => {
                        error(format!("`{north}` is not the North's spelling of `{}` (initial sound rule)", fields[0]));
                        continue;
                    }
                }
            }
            if let Some(line) = seen.insert(fields[0].to_string(), number) {
                error(format!("`{}` is listed twice (also line {line})", fields[0]));
                continue;
            }
            let mut variants = Vec::new();
            for variant in list(fields[3]).into_iter().chain(list(fields[4])) {
                let folded = crate::normalize::words(variant.trim_end_matches('†'));
                if folded.words.len() != 1 || !matches!(folded.script, Script::Latin | Script::Cyrillic) {
                    error(format!("variant `{variant}` is not one Latin or Cyrillic word"));
                    continue;
                }
                variants.push(folded.words[0].concat());
            }
            entries.push(Surname { hangul: fields[0].to_string(), north, hanja: list(fields[2]), forms, variants });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut by_form: HashMap<String, Vec<u16>> = HashMap::new();
        for (id, entry) in entries.iter().enumerate() {
            let id = id as u16;
            let mut forms: Vec<String> = entry.variants.clone();
            forms.push(entry.hangul.clone());
            forms.extend(entry.north.clone());
            for form in forms {
                let ids = by_form.entry(form).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        Ok(Surnames { entries, by_form })
    }

    /// The surnames a written word (one word of a name, normalised by [`crate::normalize::words`]) can be:
    /// listed spellings, Hangul spellings, and spellings whose syllables read as a surname's Hangul.
    pub fn candidates(&self, word: &Words) -> Vec<u16> {
        let joined = word.words.iter().flatten().map(String::as_str).collect::<String>();
        let mut ids: Vec<u16> = self.by_form.get(&joined).cloned().unwrap_or_default();
        let alphabet = match word.script {
            Script::Latin => Alphabet::Latin,
            Script::Cyrillic => Alphabet::Cyrillic,
            _ => return ids,
        };
        for split in splits(&joined, alphabet) {
            let sounds: Vec<Sounds> = split.iter().map(|s| s.sounds).collect();
            for (id, entry) in self.entries.iter().enumerate() {
                if !ids.contains(&(id as u16)) && entry.read_as(&sounds) {
                    ids.push(id as u16);
                }
            }
        }
        ids.sort_unstable();
        ids
    }

    /// The surname written in Hangul as these syllables (South or North spelling).
    pub fn of_hangul(&self, hangul: &str) -> Vec<u16> {
        self.by_form.get(hangul).cloned().unwrap_or_default()
    }

    /// Whether the first one or two syllables of a Hangul name are a two-syllable surname.
    pub fn is_two_syllable(&self, first_two: &str) -> bool {
        self.of_hangul(first_two).iter().any(|id| self.entries[*id as usize].forms[0].len() == 2)
    }
}

impl Surname {
    /// Whether syllables read from a spelling can be this surname.
    fn read_as(&self, sounds: &[Sounds]) -> bool {
        self.forms.iter().any(|form| {
            form.len() == sounds.len()
                && form.iter().zip(sounds).enumerate().all(|(index, (syllable, read))| {
                    // The initial sound rule: 류 is written Yu in the South, 유 may be Ryu in the North.
                    matches!(
                        Sounds::of_syllable(*syllable).agreement(*read, index == 0),
                        Agreement::Same | Agreement::InitialRule
                    )
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::words;

    fn hangul_of(written: &str) -> Vec<String> {
        let table = Surnames::builtin();
        table.candidates(&words(written)).iter().map(|id| table.entries[*id as usize].hangul.clone()).collect()
    }

    #[test]
    fn the_shipped_table_loads_without_a_problem() {
        let table = Surnames::parse(TABLE).unwrap();
        assert!(table.entries.len() >= 170, "{}", table.entries.len());
        assert!(table.entries.iter().filter(|e| e.forms[0].len() == 2).count() >= 8);
    }

    #[test]
    fn bad_lines_are_reported_with_their_numbers() {
        let errors = Surnames::parse("김\t-\t金\t-\t-\nxx\t-\t-\t-\t-\n이\t기\t-\t-\t-\n김\t-\t-\t-\t-\n박\t-\t-\n")
            .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5], "{errors:?}");
        assert!(errors[2].to_string().contains("listed twice"));
    }

    /// docs/korean-names.md §4.2: every Latin and Cyrillic spelling in the table resolves to its surname.
    #[test]
    fn the_spellings_of_domain_table_5_2_resolve() {
        let cases: &[(&str, &[&str])] = &[
            ("김", &["Kim", "Gim", "Ghim", "Ким"]),
            ("이", &["Lee", "Yi", "Rhee", "Ri", "Li", "I", "Rhie", "Ли", "Ри", "И"]),
            ("박", &["Park", "Pak", "Bak", "Bahk", "Пак"]),
            ("최", &["Choi", "Choe", "Chey", "Choy", "Chwe", "Tsoi", "Чхве", "Цой", "Чой"]),
            ("정", &["Jung", "Jeong", "Chung", "Cheong", "Jong", "Joung", "Чон", "Чжон", "Чен", "Тен"]),
            ("강", &["Kang", "Gang", "Кан"]),
            ("조", &["Cho", "Jo", "Joe", "Jho", "Chough", "Чо", "Чжо", "Тё"]),
            ("윤", &["Yoon", "Yun", "Youn", "Юн"]),
            ("장", &["Jang", "Chang", "Чан", "Чжан", "Тян"]),
            ("임", &["Lim", "Im", "Yim", "Rim", "Lym", "Им", "Рим", "Лим"]),
            ("한", &["Han", "Hahn", "Хан"]),
            ("오", &["Oh", "O", "Auh", "О", "Огай"]),
            ("서", &["Suh", "Seo", "Seoh", "So", "Со"]),
            ("신", &["Shin", "Sin", "Shinn", "Син", "Шин"]),
            ("권", &["Kwon", "Kwun", "Gwon", "Квон"]),
            ("황", &["Hwang", "Whang", "Хван"]),
            ("안", &["Ahn", "An", "Ан"]),
            ("송", &["Song", "Сон"]),
            ("류", &["Ryu", "Yoo", "Yu", "Rhyu", "You", "Ю", "Рю", "Лю"]),
            ("홍", &["Hong", "Хон"]),
            ("전", &["Jeon", "Jun", "Chun", "Chon", "Чон"]),
            ("고", &["Ko", "Koh", "Go", "Ко", "Когай"]),
            ("문", &["Moon", "Mun", "Мун"]),
            ("양", &["Yang", "Ryang", "Ян", "Рян", "Лян"]),
            ("손", &["Son", "Sohn", "Сон"]),
            ("배", &["Bae", "Pae", "Bai", "Пэ"]),
            ("백", &["Baek", "Paik", "Paek", "Back", "Пэк"]),
            ("허", &["Heo", "Huh", "Hur", "Her", "Хо", "Хегай"]),
            ("노", &["Roh", "Noh", "No", "Rho", "Ro", "Но", "Ро"]),
            ("남", &["Nam", "Нам"]),
            ("주", &["Joo", "Ju", "Chu", "Чу"]),
            ("태", &["Tae", "Thae", "Тхэ"]),
            ("천", &["Chun", "Cheon", "Chon", "Чхон"]),
            ("엄", &["Um", "Eom", "Uhm", "Ом"]),
            ("현", &["Hyun", "Hyeon", "Hyon", "Хён"]),
            ("남궁", &["Namgung", "Namkoong", "Namkung", "Намгун"]),
            ("황보", &["Hwangbo", "Хванбо"]),
        ];
        for (hangul, spellings) in cases {
            assert!(hangul_of(hangul).contains(&hangul.to_string()), "{hangul}");
            for spelling in *spellings {
                let found = hangul_of(spelling);
                assert!(found.contains(&hangul.to_string()), "{spelling} → {found:?}, expected {hangul}");
            }
        }
    }

    #[test]
    fn a_spelling_is_not_every_surname() {
        assert!(!hangul_of("Kim").contains(&"박".to_string()));
        assert!(!hangul_of("Choe").contains(&"조".to_string()));
        assert!(hangul_of("Vladimir").is_empty());
        assert!(hangul_of("Pisklin").is_empty());
    }
}
