//! Names that are not Korean personal names (Russian, Arabic and Chinese names in any script; companies,
//! vessels): compared word by word after folding to Latin letters.
//!
//! Folding: Cyrillic by a fixed table, other scripts clew has no rules for by `any_ascii`; legal forms to one
//! word per kind (ООО, LLC and "limited liability company" are all `llc`); number words to digits (Forty-Four,
//! 44); runs of initials to one word (A.B.C. is `abc`). Words are then paired greedily, best pair first. A pair
//! earns its similarity, which falls with the cost of the typing errors between its words (confusable letters
//! and swapped neighbours cost less) and is 0 beyond a budget that grows with the length of the word. A query
//! word left unpaired costs more than a candidate word left unpaired (a list entry often carries more names
//! than a query), as in OpenSanctions' logic-v2. When both names keep a word unpaired, or their numbers
//! differ, the names disagree somewhere and the score is lowered (Al-Tikriti is not Al-Mosuli; Fund VIII is not
//! Fund IX).

use serde::Serialize;

use crate::normalize::words;

/// The word table (`data/words.tsv`), shipped in the binary.
pub const WORDS_TABLE: &str = include_str!("../data/words.tsv");

/// The word table, loaded: legal forms, fillers, particles, abbreviations, numbers, confusable letters.
#[derive(Debug)]
pub struct Words {
    /// Each kind of legal form: its word, then its spellings (each as words).
    pub legal_forms: Vec<(String, Vec<Vec<String>>)>,
    /// Words that say little about who a name names.
    pub fillers: Vec<String>,
    /// Particles of personal names.
    pub particles: Vec<String>,
    /// Short forms and what they stand for.
    pub abbreviations: Vec<(String, String)>,
    /// Number words and their values.
    pub numbers: Vec<(String, u32)>,
    /// Which ASCII letters are confusable with which.
    confusable: Box<[[bool; 128]; 128]>,
}

impl Words {
    /// Reads a word table; every bad line is reported as `NAME:LINE: problem`.
    pub fn parse(text: &str, name: &str) -> Result<Words, Vec<String>> {
        let mut words = Words::empty();
        let mut errors = Vec::new();
        for (line, fields) in crate::table::rows(text, &["table", "word", "value"]) {
            let at = |message: String| format!("{name}:{line}: {message}");
            let fields = match fields {
                Ok(fields) => fields,
                Err(message) => {
                    errors.push(at(message));
                    continue;
                }
            };
            let [table, word, value] = fields[..] else { continue };
            let (word, value) = (word.to_string(), value.to_string());
            match table {
                "legal-form" => {
                    let mut spellings = vec![vec![word.clone()]];
                    if value != "-" {
                        spellings.extend(value.split('|').map(|s| s.split(' ').map(String::from).collect()));
                    }
                    words.legal_forms.push((word, spellings));
                }
                "filler" => words.fillers.push(word),
                "particle" => words.particles.push(word),
                "abbreviation" => words.abbreviations.push((word, value)),
                "number" => match value.parse() {
                    Ok(number) => words.numbers.push((word, number)),
                    Err(_) => errors.push(at(format!("`{value}` is not a number"))),
                },
                "confusable" => {
                    let (mut a, mut b) = (word.chars(), value.chars());
                    match (a.next(), a.next(), b.next(), b.next()) {
                        (Some(x), None, Some(y), None) if x.is_ascii() && y.is_ascii() => {
                            words.confusable[x as usize][y as usize] = true;
                            words.confusable[y as usize][x as usize] = true;
                        }
                        _ => errors.push(at("a confusable pair is two ASCII characters".to_string())),
                    }
                }
                other => errors.push(at(format!(
                    "`{other}` is not a table (legal-form, filler, particle, abbreviation, number, confusable)"
                ))),
            }
        }
        if errors.is_empty() { Ok(words) } else { Err(errors) }
    }

    /// The shipped table. Tests check that it loads, so a failure here cannot ship.
    pub fn builtin() -> &'static Words {
        static LOADED: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
        LOADED.get_or_init(|| Words::parse(WORDS_TABLE, "words.tsv").unwrap_or_else(|_| Words::empty()))
    }

    fn empty() -> Words {
        Words {
            legal_forms: Vec::new(),
            fillers: Vec::new(),
            particles: Vec::new(),
            abbreviations: Vec::new(),
            numbers: Vec::new(),
            confusable: Box::new([[false; 128]; 128]),
        }
    }

    fn is_confusable(&self, a: char, b: char) -> bool {
        a.is_ascii() && b.is_ascii() && self.confusable[a as usize][b as usize]
    }
}

/// Weight of a query word no candidate word pairs with.
pub const UNPAIRED_QUERY_WEIGHT: f64 = 0.8;
/// Weight of a candidate word no query word pairs with.
pub const UNPAIRED_CANDIDATE_WEIGHT: f64 = 0.2;
/// Weight of a legal form, title or filler word (LLC, Co., of, Mr).
pub const FILLER_WEIGHT: f64 = 0.3;
/// Weight of a name particle (al, bin, van, de).
pub const PARTICLE_WEIGHT: f64 = 0.5;
/// Factor applied when the names disagree somewhere: each keeps a word the other lacks, or numbers differ.
pub const DISAGREEMENT_FACTOR: f64 = 0.75;
/// Credit for a word that begins the other (Ben, Benjamin; Michel, Michelle).
pub const PREFIX_CREDIT: f64 = 0.75;
/// Credit for an initial against a word it begins (J, John).
pub const INITIAL_CREDIT: f64 = 0.5;

/// What a word is, for its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Name,
    Particle,
    Filler,
    LegalForm,
    Number,
}

impl Role {
    fn weight(self) -> f64 {
        match self {
            Role::Name | Role::Number => 1.0,
            Role::Particle => PARTICLE_WEIGHT,
            Role::Filler | Role::LegalForm => FILLER_WEIGHT,
        }
    }
}

/// One word of a name, folded.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    text: String,
    /// Its characters, for the edit distance.
    chars: Vec<char>,
    role: Role,
}

impl Word {
    fn new(text: String, role: Role) -> Word {
        Word { chars: text.chars().collect(), text, role }
    }
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
    /// Why the score was lowered, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
}

/// A character in Latin letters: Cyrillic by a simplified BGN/PCGN table (ж zh, х kh, ц ts, ч ch, ш sh,
/// щ shch), Latin as it is, anything else by `any_ascii`; lower case, letters and digits only.
fn fold_char(c: char, out: &mut String) {
    let cyrillic = match c {
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
        'ч' | 'ћ' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ђ' | 'џ' => "dj",
        'љ' => "lj",
        'њ' => "nj",
        'ј' => "j",
        _ => {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(
                    any_ascii::any_ascii_char(c)
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .map(|c| c.to_ascii_lowercase()),
                );
            }
            return;
        }
    };
    out.push_str(cyrillic);
}

/// Folds a name to lower-case Latin words, one per piece.
pub fn fold(name: &str) -> Vec<String> {
    let written = words(name);
    let mut out = Vec::new();
    for piece in written.pieces() {
        let mut folded = String::new();
        for c in piece.chars() {
            fold_char(c, &mut folded);
        }
        if !folded.is_empty() {
            out.push(folded);
        }
    }
    out
}

/// A name's words, folded and weighed, ready to compare many times.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    words: Vec<Word>,
    /// All its words as one.
    joined: Word,
    /// How many words are names or numbers.
    significant: usize,
    /// Whether a word is a number.
    has_number: bool,
    /// The first letters of its name and number words.
    initials: String,
    /// Its only name or number word, if it has one.
    single: Option<String>,
}

impl Prepared {
    /// Folds and weighs the words of a name.
    pub fn new(name: &str) -> Prepared {
        let mut folded = fold(name);
        join_initials(&mut folded);
        let folded = canonical_legal_forms(folded);
        let table = Words::builtin();
        let mut words: Vec<Word> = Vec::new();
        let folded_all = folded.clone();
        for (position, text) in folded.into_iter().enumerate() {
            let text =
                table.abbreviations.iter().find(|(short, _)| *short == text).map_or(text, |(_, long)| long.clone());
            if let Some(value) = number_of(&text).filter(|_| !is_roman(&text) || roman_may_count(&folded_all, position))
            {
                // Forty Four → 44: a units word after a tens word joins it.
                if let Some(last) = words.last_mut().filter(|w| w.role == Role::Number)
                    && let Ok(tens) = last.text.parse::<u32>()
                    && tens >= 20
                    && tens % 10 == 0
                    && value < 10
                {
                    *last = Word::new((tens + value).to_string(), Role::Number);
                    continue;
                }
                words.push(Word::new(value.to_string(), Role::Number));
                continue;
            }
            let role = if table.legal_forms.iter().any(|(kind, _)| *kind == text) {
                Role::LegalForm
            } else if table.fillers.contains(&text) {
                Role::Filler
            } else if table.particles.contains(&text) {
                Role::Particle
            } else {
                Role::Name
            };
            words.push(Word::new(text, role));
        }
        let significant: Vec<&Word> = words.iter().filter(|w| matches!(w.role, Role::Name | Role::Number)).collect();
        Prepared {
            joined: Word::new(words.iter().map(|w| w.text.as_str()).collect(), Role::Name),
            significant: significant.len(),
            has_number: significant.iter().any(|w| w.role == Role::Number),
            initials: significant.iter().filter_map(|w| w.text.chars().next()).collect(),
            single: if significant.len() == 1 { Some(significant[0].text.clone()) } else { None },
            words,
        }
    }

    /// Its words (folded), legal forms, fillers and particles left out.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.words.iter().filter(|w| matches!(w.role, Role::Name | Role::Number)).map(|w| w.text.as_str())
    }

    /// Whether it has no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether two names have the same letters, however spaced (LAUREN TNKUNDA, LAURENT NKUNDA).
    pub fn same_letters(&self, other: &Prepared) -> bool {
        !self.words.is_empty() && self.joined.text == other.joined.text
    }

    /// Whether two names have the same words in the same order.
    pub fn same_words(&self, other: &Prepared) -> bool {
        self.words.len() == other.words.len() && self.words.iter().zip(&other.words).all(|(a, b)| a.text == b.text)
    }
}

/// Whether a word is a Roman numeral (ii, iv, xi...).
fn is_roman(text: &str) -> bool {
    text.len() >= 2 && text.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
}

/// Whether a Roman numeral at `position` counts as a number: only after another word and with nothing but legal
/// forms after it (Fund IX L.P.), so that Xi in Wang Xi-ming stays a name.
fn roman_may_count(words: &[String], position: usize) -> bool {
    let table = Words::builtin();
    position > 0 && words[position + 1..].iter().all(|w| table.legal_forms.iter().any(|(kind, _)| kind == w))
}

/// A number written as digits, a number word, an ordinal (1st, first) or a Roman numeral of two letters or more.
fn number_of(text: &str) -> Option<u32> {
    if let Some((_, value)) = Words::builtin().numbers.iter().find(|(word, _)| word == text) {
        return Some(*value);
    }
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &text[digits.len()..];
    if !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(suffix, "" | "st" | "nd" | "rd" | "th")
    {
        return digits.parse().ok();
    }
    None
}

/// Joins runs of two or more one-letter words (A.B.C., J.-C.) into one word.
fn join_initials(words: &mut Vec<String>) {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut run = String::new();
    let mut run_length = 0;
    let flush = |out: &mut Vec<String>, run: &mut String, run_length: &mut usize| {
        // A run of one letter stays an initial; a longer run becomes one word.
        if *run_length >= 1 {
            out.push(std::mem::take(run));
        }
        run.clear();
        *run_length = 0;
    };
    for word in words.drain(..) {
        if word.chars().count() == 1 && word.chars().all(|c| c.is_ascii_alphabetic()) {
            run.push_str(&word);
            run_length += 1;
        } else {
            flush(&mut out, &mut run, &mut run_length);
            out.push(word);
        }
    }
    flush(&mut out, &mut run, &mut run_length);
    *words = out;
}

/// Replaces every spelling of a legal form (several words or one) by its kind's word.
fn canonical_legal_forms(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut at = 0;
    'words: while at < words.len() {
        for (kind, spellings) in &Words::builtin().legal_forms {
            for parts in spellings {
                if at + parts.len() <= words.len() && words[at..at + parts.len()] == parts[..] {
                    out.push(kind.clone());
                    at += parts.len();
                    continue 'words;
                }
            }
        }
        out.push(words[at].clone());
        at += 1;
    }
    out
}

/// A word's consonant skeleton: its first letter, then its consonants with confusable ones merged (c/k/q,
/// s/z, v/w, digits as the letters they stand for) and doubles collapsed. Schulze and Scholz, Donlad and Donald
/// share one.
pub fn skeleton(word: &str) -> String {
    let mut out = String::new();
    for (index, c) in word.chars().enumerate() {
        let c = match c {
            'c' | 'q' => 'k',
            'z' => 's',
            'w' => 'v',
            '5' => 's',
            '9' => 'g',
            '7' => 't',
            '8' => 'b',
            '0' | '1' | '3' | '4' => 'a',
            other => other,
        };
        if index > 0 && matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            continue;
        }
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Cost of substituting a confusable letter.
pub const CONFUSABLE_COST: f64 = 0.5;
/// Cost of dropping or adding a letter next to the same letter (Sassi, Sasi).
pub const DOUBLE_COST: f64 = 0.5;
/// Cost of swapping two neighbouring letters (Donlad, Donald).
pub const SWAP_COST: f64 = 0.6;

fn substitution_cost(words: &Words, a: char, b: char) -> f64 {
    if a == b {
        0.0
    } else if words.is_confusable(a, b) {
        CONFUSABLE_COST
    } else {
        1.0
    }
}

/// Edit cost between two words: insertions and deletions 1, substitutions 1 (confusable letters
/// [`CONFUSABLE_COST`]), swaps of neighbours [`SWAP_COST`] (optimal string alignment).
pub fn edit_cost(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_cost_chars(&a, &b, f64::INFINITY)
}

/// [`edit_cost`] over characters, rows on the stack for words of up to 63 letters (folded words are short);
/// it stops early, returning a cost above `limit`, once every alignment costs more than `limit`.
fn edit_cost_chars(a: &[char], b: &[char], limit: f64) -> f64 {
    const MAX: usize = 64;
    if b.len() >= MAX || a.len() >= MAX {
        // Rare: a very long word. Compare the first 63 letters and count the rest as insertions or deletions.
        let (a_cut, b_cut) = (a.len().min(MAX - 1), b.len().min(MAX - 1));
        let rest = ((a.len() - a_cut) + (b.len() - b_cut)) as f64;
        return edit_cost_chars(&a[..a_cut], &b[..b_cut], limit) + rest;
    }
    let table = Words::builtin();
    // Three rows used in turn: the one before the previous (for swaps), the previous, the current.
    let mut rows = [[0.0f64; MAX]; 3];
    // Row i lives in rows[i % 3]: row 0 (no letter of `a` yet) costs one insertion per letter of `b`.
    for (j, cell) in rows[0].iter_mut().take(b.len() + 1).enumerate() {
        *cell = j as f64;
    }
    let mut previous_min = 0.0f64;
    for i in 1..=a.len() {
        let (current, previous, before) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[current][0] = i as f64;
        let mut row_min = rows[current][0];
        for j in 1..=b.len() {
            // A letter typed twice (Sassi, Sasi) costs less to drop or add than any other.
            let delete = if i > 1 && a[i - 1] == a[i - 2] { DOUBLE_COST } else { 1.0 };
            let insert = if j > 1 && b[j - 1] == b[j - 2] { DOUBLE_COST } else { 1.0 };
            let mut cost = (rows[previous][j] + delete)
                .min(rows[current][j - 1] + insert)
                .min(rows[previous][j - 1] + substitution_cost(table, a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && a[i - 1] != a[i - 2] {
                cost = cost.min(rows[before][j - 2] + SWAP_COST);
            }
            rows[current][j] = cost;
            row_min = row_min.min(cost);
        }
        // A swap reaches back past this row to the one before it, so both bound what is still to come.
        if row_min > limit && previous_min + SWAP_COST > limit {
            return row_min;
        }
        previous_min = row_min;
    }
    rows[a.len() % 3][b.len()]
}

/// Typing errors a word of this many letters may carry and still be the same word: none up to 2 letters, a
/// doubled or confusable letter at 3 (short words differ by one letter: Kim/Kin), then growing with the logarithm of the length
/// (rigour's budget: log base 2.35 of the length less 2): 0.8 at 4 letters, 1.6 at 6, 2.1 at 8, 2.7 at 12.
pub fn error_budget(letters: usize) -> f64 {
    match letters {
        0..=2 => 0.0,
        // One doubled or confusable letter (Esa, Essa), never a plain substitution (Kim, Kin).
        3 => CONFUSABLE_COST,
        _ => ((letters - 2) as f64).ln() / 2.35f64.ln(),
    }
}

/// Similarity of two words in [0, 1]: 1 when equal; falling with the cost of their typing errors within the
/// budget of the shorter word, 0 beyond it; [`PREFIX_CREDIT`] when one of three letters or more begins the
/// other; [`INITIAL_CREDIT`] for an initial and a word it begins.
pub fn word_similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    similarity_chars(&a, &b)
}

fn similarity_chars(a: &[char], b: &[char]) -> f64 {
    if a == b {
        return 1.0;
    }
    let (la, lb) = (a.len(), b.len());
    if la == 0 || lb == 0 {
        return 0.0;
    }
    if la == 1 || lb == 1 {
        let (initial, word) = if la == 1 { (a, b) } else { (b, a) };
        return if word[0] == initial[0] { INITIAL_CREDIT } else { 0.0 };
    }
    // Every letter one word has more than the other costs an insertion (at least a doubled letter's): beyond
    // the budget, no alignment can help.
    let budget = error_budget(la.min(lb)) + 1e-9;
    let typed = if la.abs_diff(lb) as f64 * DOUBLE_COST <= budget {
        let cost = edit_cost_chars(a, b, budget);
        if cost <= budget { 1.0 - cost / la.max(lb) as f64 } else { 0.0 }
    } else {
        0.0
    };
    let (short, long) = if la <= lb { (a, b) } else { (b, a) };
    let prefix = if short.len() >= 3 && long.starts_with(short) { PREFIX_CREDIT } else { 0.0 };
    typed.max(prefix)
}

/// Compares a query name with a candidate's name word by word.
pub fn compare(query: &str, candidate: &str) -> GenericMatch {
    compare_prepared(&Prepared::new(query), &Prepared::new(candidate), true)
}

/// Compares two prepared names word by word; also with each name's words joined into one (SiemensAG,
/// SergeiLavrov: names typed without spaces), and a name of one short word with the initials of the other
/// (PLA, People's Liberation Army). The best comparison counts. Without `explain`, the pairs are left out
/// (screening scores many candidates and explains the few it returns).
pub fn compare_prepared(query: &Prepared, candidate: &Prepared, explain: bool) -> GenericMatch {
    let mut best = compare_words(&query.words, &candidate.words, explain);
    if query.words.is_empty() || candidate.words.is_empty() {
        return best;
    }
    // The same letters spaced differently (LAUREN TNKUNDA, LAURENT NKUNDA; SiemensAG) are the same name.
    if query.words.len() == candidate.words.len() && query.joined.text == candidate.joined.text {
        let pairs = if explain {
            vec![WordPair {
                left: query.joined.text.clone(),
                right: candidate.joined.text.clone(),
                similarity: 1.0,
                weight: 1.0,
            }]
        } else {
            Vec::new()
        };
        return GenericMatch { score: 1.0, pairs, disagreement: None };
    }
    if query.words.len() != candidate.words.len() && !query.has_number && !candidate.has_number {
        let by_joined =
            compare_words(std::slice::from_ref(&query.joined), std::slice::from_ref(&candidate.joined), explain);
        if by_joined.score > best.score {
            best = by_joined;
        }
    }
    for (short, long, short_is_query) in [(query, candidate, true), (candidate, query, false)] {
        if let Some(word) = &short.single
            && long.significant >= 2
            && *word == long.initials
            && ACRONYM_CREDIT > best.score
        {
            let pairs = if explain {
                let (left, right) = if short_is_query { (word, &long.initials) } else { (&long.initials, word) };
                vec![WordPair { left: left.clone(), right: right.clone(), similarity: ACRONYM_CREDIT, weight: 1.0 }]
            } else {
                Vec::new()
            };
            best = GenericMatch { score: ACRONYM_CREDIT, pairs, disagreement: None };
        }
    }
    best
}

/// Credit for a one-word name that is the initials of the other (PLA).
pub const ACRONYM_CREDIT: f64 = 0.9;

/// Most words of a name that are paired (names longer than this are compared on their first 64 words).
const MAX_WORDS: usize = 64;

fn compare_words(q: &[Word], c: &[Word], explain: bool) -> GenericMatch {
    let (q, c) = (&q[..q.len().min(MAX_WORDS)], &c[..c.len().min(MAX_WORDS)]);
    let mut candidates: Vec<(f64, u8, u8)> = Vec::with_capacity(q.len() * c.len());
    for (i, x) in q.iter().enumerate() {
        for (j, y) in c.iter().enumerate() {
            // Numbers pair only with numbers, and only when equal.
            if (x.role == Role::Number) != (y.role == Role::Number) {
                continue;
            }
            let similarity = if x.role == Role::Number {
                f64::from(u8::from(x.text == y.text))
            } else {
                similarity_chars(&x.chars, &y.chars)
            };
            if similarity > 0.0 {
                candidates.push((similarity, i as u8, j as u8));
            }
        }
    }
    // Best pairs first; ties by position, so that the result does not depend on sorting order.
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut q_used, mut c_used) = (0u64, 0u64);
    let (mut total, mut earned) = (0.0, 0.0);
    let mut pairs = Vec::new();
    for (similarity, i, j) in candidates {
        if q_used & (1 << i) != 0 || c_used & (1 << j) != 0 {
            continue;
        }
        q_used |= 1 << i;
        c_used |= 1 << j;
        let (x, y) = (&q[i as usize], &c[j as usize]);
        let weight = (x.role.weight() + y.role.weight()) / 2.0;
        total += weight;
        earned += weight * similarity;
        if explain {
            pairs.push(WordPair { left: x.text.clone(), right: y.text.clone(), similarity, weight });
        }
    }
    let (mut query_name_left, mut candidate_name_left, mut number_left) = (false, false, false);
    for (words, used, unpaired_weight, is_query) in
        [(q, q_used, UNPAIRED_QUERY_WEIGHT, true), (c, c_used, UNPAIRED_CANDIDATE_WEIGHT, false)]
    {
        for word in words.iter().enumerate().filter(|(index, _)| used & (1 << index) == 0).map(|(_, w)| w) {
            let weight = unpaired_weight * word.role.weight();
            total += weight;
            number_left |= word.role == Role::Number;
            if word.role == Role::Name {
                if is_query { query_name_left = true } else { candidate_name_left = true }
            }
            if explain {
                let (left, right) =
                    if is_query { (word.text.clone(), String::new()) } else { (String::new(), word.text.clone()) };
                pairs.push(WordPair { left, right, similarity: 0.0, weight });
            }
        }
    }
    let mut score = if total > 0.0 { (earned / total).clamp(0.0, 1.0) } else { 0.0 };
    let disagreement = if number_left {
        Some("a number in one name is not in the other")
    } else if query_name_left && candidate_name_left {
        Some("each name has a word the other lacks")
    } else {
        None
    };
    if disagreement.is_some() {
        score *= DISAGREEMENT_FACTOR;
    }
    GenericMatch { score, pairs, disagreement: disagreement.map(String::from) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(a: &str, b: &str) -> f64 {
        compare(a, b).score
    }

    #[test]
    fn words_pair_regardless_of_order_and_script() {
        assert_eq!(score("Vladimir Pisklin", "PISKLIN, Vladimir"), 1.0);
        assert_eq!(score("Владимир Писклин", "Vladimir Pisklin"), 1.0);
        assert!(score("Barac Obamt", "Barack Obama") > 0.7);
        assert!(score("Barack Obama", "Բարակ Օբամա") > 0.7, "Armenian, through any_ascii");
        assert!(score("John Smith", "Jane Smyth") < 0.7);
    }

    #[test]
    fn short_words_tolerate_no_error_and_long_ones_some() {
        assert_eq!(word_similarity("kim", "kin"), 0.0);
        assert!(word_similarity("vladimir", "vladimr") > 0.8);
        assert!(word_similarity("donald", "donlad") > 0.8, "neighbours swapped");
        assert!(word_similarity("schulze", "scholz") > 0.7, "o/u are confusable");
        assert!(word_similarity("sasi", "sassi") > 0.8, "a doubled letter");
        assert_eq!(word_similarity("sasi", "sami"), 0.0);
        // Letters before the start of the other word are edits too (Ali is not Wali), both ways round.
        assert_eq!(word_similarity("ali", "wali"), 0.0);
        assert_eq!(word_similarity("wali", "ali"), 0.0);
        assert_eq!(word_similarity("salim", "muslim"), 0.0);
        assert_eq!(edit_cost("", "abc"), 3.0);
        assert_eq!(word_similarity("j", "john"), INITIAL_CREDIT);
        assert_eq!(word_similarity("ben", "benjamin"), PREFIX_CREDIT);
    }

    #[test]
    fn legal_forms_numbers_and_initials_are_folded() {
        assert!(score("OAO Gazprom", "Open Joint Stock Company Gazprom") > 0.9);
        assert!(score("Siemens Aktiengesellschaft", "Siemens AG") > 0.9);
        assert!(score("Mokran LLC", "ООО Мокран") > 0.9);
        assert!(score("Mokran LLC", "Other LLC") < 0.5);
        assert!(score("Brigade Forty-Four", "Brigade 44") > 0.9);
        assert!(score("1st International Bank", "First Int'l Bank") > 0.9);
        assert!(score("ABC Co.", "A.B.C. Company") > 0.9);
        assert!(score("C.B.A. Company", "A.B.C. Company") < 0.7);
        assert!(score("PLA", "People's Liberation Army") > 0.7);
        assert_eq!(score("Wang Xi-ming", "WANG Ximing"), 1.0, "Xi is a name, not eleven");
        assert!(score("SiemensAG", "Siemens AG") > 0.9);
    }

    #[test]
    fn names_that_disagree_somewhere_score_low() {
        assert!(score("Management Company 23", "Management Company") < 0.7);
        assert!(score("Apollo Investment Fund VIII L.P.", "Apollo Investment Fund IX L.P.") < 0.7);
        assert!(score("BARZAN IBRAHIM HASSAN AL-MOSULI", "BARZAN IBRAHIM HASSAN AL-TIKRITI") < 0.7);
    }

    #[test]
    fn the_word_table_loads_and_bad_lines_are_reported() {
        let words = Words::parse(WORDS_TABLE, "words.tsv").unwrap();
        assert!(words.legal_forms.len() > 20 && words.numbers.len() > 30 && words.is_confusable('o', 'u'));
        let errors = Words::parse("number\tten\tx\nconfusable\tab\tc\nstray\tx\t-\nfiller\tof\n", "t").unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("t:1:") && errors[3].starts_with("t:4:"), "{errors:?}");
    }

    #[test]
    fn skeletons_survive_vowel_typos_and_swaps() {
        assert_eq!(skeleton("donald"), skeleton("donlad"));
        assert_eq!(skeleton("schulze"), skeleton("scholz"));
        assert_eq!(skeleton("merkel"), skeleton("merkl"));
        assert_eq!(skeleton("sech1n"), skeleton("sechin"));
    }

    #[test]
    fn unpaired_query_words_cost_more_than_unpaired_candidate_words() {
        assert!(score("Kang Mun", "Kang Mun Kil") > score("Kang Mun Kil", "Kang Mun"));
    }
}
