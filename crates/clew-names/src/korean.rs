//! Korean personal names in any script: read as a surname and the syllables of a given name, and compared
//! syllable by syllable.
//!
//! A written name is read every way it can be (surname first or last; joined given names split every way);
//! two names are compared by their best pair of readings. Surnames agree when the table says they can be the
//! same surname. Given-name syllables agree when their spellings allow the same Hangul syllable: exactly
//! for Hangul (김종은 is not 김정은), loosely for Latin and Cyrillic, whose systems disagree on voicing,
//! aspiration and ŏ/o. A syllable that differs is a conflict: Koreans with one given-name syllable apart are
//! different people, however close the letters (KIM SOK CHOL is not KIM SONG CHOL).

use serde::Serialize;

use crate::hangul::Syllable;
use crate::normalize::{Script, Words, words};
use crate::sounds::{Agreement, Sounds};
use crate::spelling::{Alphabet, WrittenSyllable, splits};
use crate::surnames::Surnames;

/// Weight of the surname against one given-name syllable: the three commonest surnames are half of all
/// Koreans, so a shared surname says less than a shared given-name syllable.
pub const SURNAME_WEIGHT: f64 = 1.0;
/// Weight of each given-name syllable.
pub const GIVEN_WEIGHT: f64 = 1.5;
/// Factor applied when any syllable or the surname differs: a different syllable is a different name.
pub const CONFLICT_FACTOR: f64 = 0.75;
/// Credit for a syllable read only after repairing a typing error (a doubled, dropped or swapped letter).
pub const REPAIRED_CREDIT: f64 = 0.85;
/// Credit for a syllable that agrees only by the initial sound rule (리/이 in a given name).
pub const INITIAL_RULE_CREDIT: f64 = 0.95;
/// Most readings kept per name.
const MAX_READINGS: usize = 12;
/// Most written pieces (words and hyphenated parts) a Korean personal name is read in: a surname and a given
/// name of one to three syllables, spelled apart, need five at most. A name of more pieces is not read as
/// Korean, which also keeps the cost of reading a hostile name bounded.
pub const MAX_KOREAN_PIECES: usize = 6;

/// One given-name syllable of a reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenSyllable {
    /// As written (normalised).
    pub text: String,
    /// What it can stand for.
    pub sounds: Sounds,
    /// Whether it begins a written word or hyphenated piece (where the initial sound rule applies).
    pub first: bool,
    /// Whether it was read only after repairing a typing error.
    pub repaired: bool,
}

/// One way of reading a written name as a Korean name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The surname as written.
    pub surname: String,
    /// The surnames (ids in the table) it can be; empty when it is not in the table.
    pub surname_ids: Vec<u16>,
    /// Its syllables' sounds, for a surname the table does not know.
    pub surname_sounds: Vec<Sounds>,
    /// The given name's syllables.
    pub given: Vec<GivenSyllable>,
    /// Whether the surname was written last (Western order).
    pub surname_last: bool,
    /// The script it is written in.
    pub script: Script,
}

impl Reading {
    /// The reading as text: `KIM | JONG·UN`.
    pub fn describe(&self) -> String {
        let given: Vec<&str> = self.given.iter().map(|s| s.text.as_str()).collect();
        format!("{} | {}{}", self.surname, given.join("·"), if self.surname_last { " (surname last)" } else { "" })
    }
}

/// Every reading of a name as a Korean name; empty when it cannot be one (a word that is not Korean syllables,
/// one word only, a script other than Hangul, Latin or Cyrillic).
pub fn readings(name: &str) -> Vec<Reading> {
    if name.chars().count() > crate::MAX_NAME_CHARS {
        return Vec::new();
    }
    let written = words(name);
    if written.pieces().count() > MAX_KOREAN_PIECES {
        return Vec::new();
    }
    let table = Surnames::builtin();
    match written.script {
        Script::Hangul => hangul_readings(&written, table),
        Script::Latin => spelled_readings(&written, table, Alphabet::Latin),
        Script::Cyrillic => spelled_readings(&written, table, Alphabet::Cyrillic),
        _ => Vec::new(),
    }
}

fn hangul_readings(written: &Words, table: &Surnames) -> Vec<Reading> {
    let joined: Vec<String> = written.words.iter().map(|w| w.concat()).collect();
    let Some(all) = joined.iter().map(|w| crate::hangul::syllables(w)).collect::<Option<Vec<Vec<Syllable>>>>() else {
        return Vec::new();
    };
    let given_of = |syllables: &[Syllable], starts: &[usize]| -> Vec<GivenSyllable> {
        syllables
            .iter()
            .enumerate()
            .map(|(index, s)| GivenSyllable {
                text: s.to_char().to_string(),
                sounds: Sounds::of_syllable(*s),
                first: starts.contains(&index),
                repaired: false,
            })
            .collect()
    };
    let reading = |surname: &[Syllable], given: Vec<GivenSyllable>, surname_last| {
        let text: String = surname.iter().map(|s| s.to_char()).collect();
        Reading {
            surname_ids: table.of_hangul(&text),
            surname: text,
            surname_sounds: surname.iter().map(|s| Sounds::of_syllable(*s)).collect(),
            given,
            surname_last,
            script: Script::Hangul,
        }
    };
    let mut out = Vec::new();
    if all.len() == 1 {
        // Unspaced: 김정은, 남궁민수. A two-syllable surname is read when the name is long enough to have one,
        // and the one-syllable surname too when its first syllable is one (강전호 is 강 전호 far more often than
        // 강전 호; 남궁민수 could be 남 궁민수).
        let name = &all[0];
        if name.len() < 2 {
            return Vec::new();
        }
        let first_two: String = name.iter().take(2).map(|s| s.to_char()).collect();
        if name.len() >= 3 && table.is_two_syllable(&first_two) {
            out.push(reading(&name[..2], given_of(&name[2..], &[0]), false));
            if table.of_hangul(&name[0].to_char().to_string()).is_empty() {
                return out;
            }
        }
        out.push(reading(&name[..1], given_of(&name[1..], &[0]), false));
    } else {
        let first = &all[0];
        if first.len() <= 2 {
            let rest: Vec<Syllable> = all[1..].concat();
            let starts = word_starts(&all[1..]);
            out.push(reading(first, given_of(&rest, &starts), false));
        }
        let last = &all[all.len() - 1];
        if last.len() <= 2
            && !table.of_hangul(&joined[joined.len() - 1]).is_empty()
            && table.of_hangul(&joined[0]).is_empty()
        {
            let rest: Vec<Syllable> = all[..all.len() - 1].concat();
            let starts = word_starts(&all[..all.len() - 1]);
            out.push(reading(last, given_of(&rest, &starts), true));
        }
    }
    out
}

/// Indices at which each word starts in the words' concatenation.
fn word_starts<T>(words: &[Vec<T>]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = 0;
    for word in words {
        starts.push(at);
        at += word.len();
    }
    starts
}

fn spelled_readings(written: &Words, table: &Surnames, alphabet: Alphabet) -> Vec<Reading> {
    if written.words.len() < 2 {
        return Vec::new();
    }
    let surname_of = |word: &Vec<String>| -> Option<(String, Vec<u16>, Vec<Sounds>)> {
        let text = word.concat();
        let ids = table.candidates(&Words { script: written.script, words: vec![word.clone()] });
        let sounds: Vec<Sounds> = splits(&text, alphabet)
            .into_iter()
            .find(|s| s.len() <= 2)
            .map(|s| s.iter().map(|s| s.sounds).collect())
            .unwrap_or_default();
        // Outside Hangul, only the table says a word is a Korean surname: the syllable grammar alone would
        // read Maria or Hassan as Korean.
        if ids.is_empty() {
            return None;
        }
        Some((text, ids, sounds))
    };
    let last = written.words.len() - 1;
    let first_surname = surname_of(&written.words[0]);
    let last_surname = surname_of(&written.words[last]);
    let known = |s: &Option<(String, Vec<u16>, Vec<Sounds>)>| s.as_ref().is_some_and(|(_, ids, _)| !ids.is_empty());
    let mut orders = Vec::new();
    if known(&first_surname) {
        orders.push((first_surname, &written.words[1..], false));
    }
    if known(&last_surname) {
        orders.push((last_surname, &written.words[..last], true));
    }
    let mut out = Vec::new();
    for (surname, given_words, surname_last) in orders {
        let Some((text, ids, sounds)) = surname else { continue };
        for given in given_readings(given_words, alphabet) {
            out.push(Reading {
                surname: text.clone(),
                surname_ids: ids.clone(),
                surname_sounds: sounds.clone(),
                given,
                surname_last,
                script: written.script,
            });
            if out.len() >= MAX_READINGS {
                return out;
            }
        }
    }
    out
}

/// Every reading of the given-name words (each piece split every way it can be, repaired if it cannot).
fn given_readings(given_words: &[Vec<String>], alphabet: Alphabet) -> Vec<Vec<GivenSyllable>> {
    let mut ways: Vec<Vec<GivenSyllable>> = vec![Vec::new()];
    for piece in given_words.iter().flatten() {
        let mut piece_ways: Vec<(Vec<WrittenSyllable>, bool)> = match splits(piece, alphabet) {
            found if !found.is_empty() => found.into_iter().map(|w| (w, false)).collect(),
            _ => repairs(piece, alphabet).into_iter().map(|w| (w, true)).collect(),
        };
        // A letter typed twice (HWAAN for HWAN) may also read as a syllable of its own: read it once too.
        let collapsed = collapse_doubles(piece);
        if collapsed != *piece {
            piece_ways.extend(splits(&collapsed, alphabet).into_iter().map(|w| (w, true)));
        }
        if piece_ways.is_empty() {
            return Vec::new();
        }
        let mut next = Vec::new();
        for way in &ways {
            for (piece_way, repaired) in &piece_ways {
                let mut extended = way.clone();
                extended
                    .extend(piece_way.iter().enumerate().map(|(index, s)| given_syllable(s, index == 0, *repaired)));
                next.push(extended);
            }
        }
        next.truncate(MAX_READINGS);
        ways = next;
    }
    ways
}

/// A word with every letter typed twice in a row typed once.
fn collapse_doubles(piece: &str) -> String {
    let mut out = String::with_capacity(piece.len());
    for c in piece.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

fn given_syllable(written: &WrittenSyllable, first: bool, repaired: bool) -> GivenSyllable {
    GivenSyllable { text: written.text.clone(), sounds: written.sounds, first, repaired }
}

/// Readings of a piece that no split reads, after undoing one typing error: a letter too many (HAN YYU-RO),
/// two letters swapped (KIM SKO CHOL). Only pieces of two or more letters.
fn repairs(piece: &str, alphabet: Alphabet) -> Vec<Vec<WrittenSyllable>> {
    let chars: Vec<char> = piece.chars().collect();
    if chars.len() < 2 {
        return Vec::new();
    }
    let mut candidates: Vec<String> = Vec::new();
    for skip in 0..chars.len() {
        candidates.push(chars.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, c)| c).collect());
    }
    for swap in 0..chars.len() - 1 {
        let mut swapped = chars.clone();
        swapped.swap(swap, swap + 1);
        candidates.push(swapped.into_iter().collect());
    }
    candidates.sort();
    candidates.dedup();
    let mut out = Vec::new();
    for candidate in candidates {
        // A repair must keep the piece one syllable or more of the same length class: prefer the fewest.
        out.extend(splits(&candidate, alphabet).into_iter().filter(|w| w.len() == 1));
    }
    out.truncate(MAX_READINGS);
    out
}

/// How one part of two names compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartMatch {
    /// `surname` or `given`.
    pub part: &'static str,
    /// The left name's text for it ("" when it has none).
    pub left: String,
    /// The right name's text for it.
    pub right: String,
    /// How they agree.
    pub agreement: Option<Agreement>,
    /// Credit in [0, 1].
    pub credit: f64,
    /// Why, in words.
    pub rule: String,
}

/// The comparison of two Korean readings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KoreanMatch {
    /// Score in [0, 1].
    pub score: f64,
    /// The left reading (`KIM | JONG·UN`).
    pub left: String,
    /// The right reading.
    pub right: String,
    /// Surname, then each given-name syllable.
    pub parts: Vec<PartMatch>,
    /// Whether some part differs (the score is multiplied by [`CONFLICT_FACTOR`]).
    pub conflict: bool,
}

/// The best comparison of any two readings; `None` when either name cannot be read as Korean. Without
/// `explain`, the readings and parts are left out (screening scores many candidates and explains few).
pub fn compare(left: &[Reading], right: &[Reading], explain: bool) -> Option<KoreanMatch> {
    let mut best: Option<KoreanMatch> = None;
    for a in left {
        for b in right {
            let found = compare_readings(a, b, explain);
            if best.as_ref().is_none_or(|b| found.score > b.score) {
                best = Some(found);
            }
        }
    }
    best
}

fn compare_readings(a: &Reading, b: &Reading, explain: bool) -> KoreanMatch {
    let table = Surnames::builtin();
    let mut parts = Vec::new();
    let mut conflict = false;
    // Surname.
    let (surname_credit, surname_agreement) = if !a.surname_ids.is_empty() && !b.surname_ids.is_empty() {
        if a.surname_ids.iter().any(|id| b.surname_ids.contains(id)) {
            (1.0, Agreement::Same)
        } else {
            (0.0, Agreement::Different)
        }
    } else {
        let agreement = syllables_agreement(&a.surname_sounds, &b.surname_sounds);
        let credit = if agreement == Agreement::Same || agreement == Agreement::InitialRule { 1.0 } else { 0.0 };
        (credit, agreement)
    };
    conflict |= surname_credit == 0.0;
    if explain {
        let shared: Vec<&str> = a
            .surname_ids
            .iter()
            .filter(|id| b.surname_ids.contains(id))
            .map(|id| table.entries[*id as usize].hangul.as_str())
            .collect();
        let rule = if a.surname_ids.is_empty() || b.surname_ids.is_empty() {
            "a surname outside the table, compared by its syllables".to_string()
        } else if shared.is_empty() {
            "the surname table has no surname both can be".to_string()
        } else {
            format!("both can be the surname {}", shared.join("/"))
        };
        parts.push(PartMatch {
            part: "surname",
            left: a.surname.clone(),
            right: b.surname.clone(),
            agreement: Some(surname_agreement),
            credit: surname_credit,
            rule,
        });
    }
    // Given name: aligned syllable by syllable (a dynamic programme when the counts differ).
    let pairs = align(&a.given, &b.given);
    let mut given_credit = 0.0;
    for (left, right) in &pairs {
        let (Some(x), Some(y)) = (left, right) else {
            if explain {
                let text = |s: &Option<&GivenSyllable>| s.map_or(String::new(), |s| s.text.clone());
                parts.push(missing(&text(left), &text(right)));
            }
            continue;
        };
        let agreement = x.sounds.agreement(y.sounds, x.first && y.first);
        let mut credit = syllable_credit(agreement);
        if credit > 0.0 && (x.repaired || y.repaired) {
            credit *= REPAIRED_CREDIT;
        }
        conflict |= credit == 0.0;
        given_credit += credit;
        if explain {
            let mut rule = rule_for(agreement, x, y);
            if credit > 0.0 && (x.repaired || y.repaired) {
                rule.push_str("; read after undoing a typing error");
            }
            parts.push(PartMatch {
                part: "given",
                left: x.text.clone(),
                right: y.text.clone(),
                agreement: Some(agreement),
                credit,
                rule,
            });
        }
    }
    let given_count = a.given.len().max(b.given.len()) as f64;
    let mut score =
        (SURNAME_WEIGHT * surname_credit + GIVEN_WEIGHT * given_credit) / (SURNAME_WEIGHT + GIVEN_WEIGHT * given_count);
    if conflict {
        score *= CONFLICT_FACTOR;
    }
    let (left, right) = if explain { (a.describe(), b.describe()) } else { (String::new(), String::new()) };
    KoreanMatch { score: score.clamp(0.0, 1.0), left, right, parts, conflict }
}

fn missing(left: &str, right: &str) -> PartMatch {
    PartMatch {
        part: "given",
        left: left.to_string(),
        right: right.to_string(),
        agreement: None,
        credit: 0.0,
        rule: "a syllable only one name has".to_string(),
    }
}

fn syllable_credit(agreement: Agreement) -> f64 {
    match agreement {
        Agreement::Same => 1.0,
        Agreement::InitialRule => INITIAL_RULE_CREDIT,
        _ => 0.0,
    }
}

fn rule_for(agreement: Agreement, x: &GivenSyllable, y: &GivenSyllable) -> String {
    let both: Vec<char> = {
        let shared = Sounds {
            initials: x.sounds.initials & y.sounds.initials,
            medials: x.sounds.medials & y.sounds.medials,
            codas: x.sounds.codas & y.sounds.codas,
        };
        shared.hangul()
    };
    match agreement {
        Agreement::Same => {
            let shown: String = both.iter().take(4).collect();
            format!("both can be {shown}{}", if both.len() > 4 { "…" } else { "" })
        }
        Agreement::InitialRule => "the same syllable, North and South spelling (initial sound rule)".to_string(),
        Agreement::Initial => "different initial consonant".to_string(),
        Agreement::Vowel => "different vowel".to_string(),
        Agreement::Final => "different final consonant".to_string(),
        Agreement::Different => "different syllables".to_string(),
    }
}

/// The agreement of two syllable sequences of the same length (a surname's).
fn syllables_agreement(a: &[Sounds], b: &[Sounds]) -> Agreement {
    if a.len() != b.len() || a.is_empty() {
        return Agreement::Different;
    }
    let mut result = Agreement::Same;
    for (index, (x, y)) in a.iter().zip(b).enumerate() {
        match x.agreement(*y, index == 0) {
            Agreement::Same => {}
            Agreement::InitialRule => result = Agreement::InitialRule,
            other => return other,
        }
    }
    result
}

/// Pairs the syllables of two given names in order, leaving out on one side what the other lacks, so that
/// the most credit is kept.
fn align<'a>(
    a: &'a [GivenSyllable],
    b: &'a [GivenSyllable],
) -> Vec<(Option<&'a GivenSyllable>, Option<&'a GivenSyllable>)> {
    if a.len() == b.len() {
        return a.iter().zip(b).map(|(x, y)| (Some(x), Some(y))).collect();
    }
    let (n, m) = (a.len(), b.len());
    let mut best = vec![vec![0.0f64; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let pair =
                syllable_credit(a[i].sounds.agreement(b[j].sounds, a[i].first && b[j].first)) + best[i + 1][j + 1];
            best[i][j] = pair.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n && j < m {
        let pair = syllable_credit(a[i].sounds.agreement(b[j].sounds, a[i].first && b[j].first)) + best[i + 1][j + 1];
        if pair >= best[i + 1][j] && pair >= best[i][j + 1] {
            out.push((Some(&a[i]), Some(&b[j])));
            i += 1;
            j += 1;
        } else if best[i + 1][j] >= best[i][j + 1] {
            out.push((Some(&a[i]), None));
            i += 1;
        } else {
            out.push((None, Some(&b[j])));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|x| (Some(x), None)));
    out.extend(b[j..].iter().map(|y| (None, Some(y))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(a: &str, b: &str) -> f64 {
        compare(&readings(a), &readings(b), false).map_or(0.0, |m| m.score)
    }

    #[test]
    fn readings_find_the_surname_and_split_the_given_name() {
        let r = readings("KIM JONG UN");
        assert_eq!(r[0].describe(), "kim | jong·un");
        let r = readings("Jong-un Kim");
        assert!(r.iter().any(|r| r.surname_last && r.surname == "kim"), "{r:?}");
        let r = readings("김정은");
        assert_eq!(r[0].describe(), "김 | 정·은");
        let r = readings("남궁민수");
        assert_eq!(r[0].describe(), "남궁 | 민·수");
        // A rare two-syllable surname (강전, 소봉) must not hide the common one-syllable reading.
        let r: Vec<String> = readings("강전호").iter().map(Reading::describe).collect();
        assert_eq!(r, vec!["강전 | 호", "강 | 전·호"]);
        assert!(score("강전호", "Kang Jon Ho") > 0.9 && score("소봉명", "Со Пон Мён") > 0.9);
        assert!(readings("Vladimir Pisklin").is_empty());
        assert!(readings("Kim").is_empty());
    }

    #[test]
    fn the_same_name_across_scripts_and_systems_matches() {
        for (a, b) in [
            ("김정은", "KIM JONG UN"),
            ("김정은", "Kim Jong-un"),
            ("김정은", "Gim Jeong-eun"),
            ("김정은", "Ким Чен Ын"),
            ("김정은", "Kim Chŏng-ŭn"),
            ("김정은", "Ким Чонын"),
            ("리원호", "RI WON HO"),
            ("Ри Вон Хо", "RI WON HO"),
            ("Lee Won-ho", "RI WON HO"),
            ("박광훈", "PAK KWANG HUN"),
            ("Park Kwang Hoon", "PAK KWANG HUN"),
            ("Чвэ Чхун Ен", "CHOE CHUN YONG"),
            ("Yeon Jeong-nam", "YO'N CHO'NG NAM"),
            ("Ch’oe Ch’un-yo’ng", "CHOE CHUN YONG"),
            ("Jong Un Kim", "KIM JONG UN"),
            ("HAN YYU-RO", "HAN YU-RO"),
            ("KIM SKO CHOL", "KIM SOK CHOL"),
        ] {
            let s = score(a, b);
            assert!(s >= 0.9, "{a} ~ {b}: {s}");
            assert!((score(b, a) - s).abs() < 1e-12, "symmetric: {a} ~ {b}");
        }
    }

    #[test]
    fn one_syllable_apart_is_another_person() {
        for (a, b) in [
            ("김종은", "김정은"),
            ("이재형", "이재명"),
            ("KIM SOK CHOL", "KIM SONG CHOL"),
            ("RI SONG HYOK", "RI SONG CHOL"),
            ("KIM JONG UN", "PAK JONG UN"),
            ("RI U'N SO'NG", "RI UN SOK"),
        ] {
            let s = score(a, b);
            assert!(s < 0.7, "{a} !~ {b}: {s}");
        }
    }

    #[test]
    fn every_score_is_explained() {
        let m = compare(&readings("김정은"), &readings("KIM JONG UN"), true).unwrap();
        assert_eq!(m.parts.len(), 3);
        assert!(m.parts[0].rule.contains("김"), "{:?}", m.parts[0]);
        assert!(m.parts[1].rule.contains("정"), "{:?}", m.parts[1]);
        let m = compare(&readings("김종은"), &readings("김정은"), true).unwrap();
        assert!(m.conflict);
        assert_eq!(m.parts[1].agreement, Some(Agreement::Vowel));
    }
}
