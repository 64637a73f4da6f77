//! Country names and codes (`data/countries.tsv`): lists write "Democratic People's Republic of Korea",
//! "Korea, North" or `kp`; screening compares codes.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The table's text, shipped in the binary.
pub const TABLE: &str = include_str!("../data/countries.tsv");

fn key(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn index() -> &'static HashMap<String, String> {
    static INDEX: OnceLock<HashMap<String, String>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = HashMap::new();
        for line in TABLE.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            let [code, alpha3, names] = fields[..] else { continue };
            index.insert(key(code), code.to_string());
            if alpha3 != "-" {
                index.insert(key(alpha3), code.to_string());
            }
            for name in names.split('|') {
                index.entry(key(name)).or_insert_with(|| code.to_string());
            }
        }
        index
    })
}

/// The ISO 3166-1 alpha-2 code (lower case) of a country written as a code or a name; `None` when unknown.
pub fn code_of(text: &str) -> Option<String> {
    let key = key(text);
    if key.is_empty() {
        return None;
    }
    index().get(&key).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_spellings_of_a_country_give_its_code() {
        for text in
            ["kp", "KP", "PRK", "Democratic People's Republic of Korea", "Korea, North", "North Korea", "КНДР", "북한"]
        {
            assert_eq!(code_of(text).as_deref(), Some("kp"), "{text}");
        }
        assert_eq!(code_of("Russian Federation").as_deref(), Some("ru"));
        assert_eq!(code_of("Iraq").as_deref(), Some("iq"));
        assert_eq!(code_of("Korea, South").as_deref(), Some("kr"));
        assert_eq!(code_of("Atlantis"), None);
        assert_eq!(code_of(""), None);
    }

    #[test]
    fn every_line_of_the_table_has_three_columns() {
        for (number, line) in TABLE.lines().enumerate().filter(|(_, l)| !l.starts_with('#')) {
            assert_eq!(line.split('\t').count(), 3, "countries.tsv:{}", number + 1);
        }
    }
}
