//! The Korean cross-script test set (`test_data/korean_cross_script.csv`), built from the 80 DPRK individuals of
//! the UN consolidated list, and the matcher's results on it: every rendering of a listed name matches it,
//! every near miss stays below the threshold.
//!
//! The UN list gives no Hangul, so each name's Hangul is derived: each syllable of its primary name read back
//! with clew's syllable grammar, and of the Hangul syllables the spelling allows, the first in a list of common
//! given-name syllables (else the first in Unicode order); surnames by the surname table, in the North's
//! spelling. The Hangul is therefore one plausible reading, marked `derived` in the file, not a fact about the
//! person. From it every system's rendering is written (`clew_names::romanize`), the name reversed, typing
//! errors made, and near misses made by changing one given-name syllable to another whose romanization differs.
//! Rows from the research note (`peers-sanctions-matching.md`), written by hand, are marked `attested`.
//!
//! Regenerate after a deliberate change: `CLEW_UPDATE_TEST_DATA=1 cargo test -p clew-screen korean`.

use std::fmt::Write as _;
use std::path::PathBuf;

use clew_names::hangul::Syllable;
use clew_names::normalize::words;
use clew_names::romanize::{SYSTEMS, System, write};
use clew_names::spelling::{Alphabet, splits};
use clew_names::surnames::Surnames;
use clew_names::{Name, NameKind, compare};
use clew_screen::lists::read_un_xml;

/// Common given-name syllables, the more common first: the choice among the Hangul a romanization allows.
const PREFERRED: &str = "철성영일남호수국광명혁진용민석준정희선순옥숙미경춘현동학근범봉식길원만복룡세훈기태상혜은연주창종재하인무송관택우유한의청표강윤병덕환곤배삼산로려향실애화련란금효찬규열익섭승안문신제조장고시나너노도리무보소오조추토포후흥";

/// Replacement syllables for near misses.
const REPLACEMENTS: &str = "철성영일남호수국광명혁진용민석준";

fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/lists").join(path)
}

fn test_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/korean_cross_script.csv")
}

/// The Hangul a romanized syllable most plausibly stands for.
fn given_syllable(text: &str) -> Option<Vec<Syllable>> {
    let split = splits(text, Alphabet::Latin).into_iter().next()?;
    split
        .iter()
        .map(|s| {
            let allowed = s.sounds.hangul();
            let chosen = PREFERRED.chars().find(|c| allowed.contains(c)).or_else(|| allowed.first().copied())?;
            Syllable::of(chosen)
        })
        .collect()
}

/// The derived Hangul of a romanized name: surname and given syllables; `None` when it does not read as Korean.
fn derive(name: &str) -> Option<(Vec<Syllable>, Vec<Syllable>)> {
    let written = words(name);
    let table = Surnames::builtin();
    let (first, rest) = written.words.split_first()?;
    let ids = table.candidates(&clew_names::normalize::Words { script: written.script, words: vec![first.clone()] });
    let entry = &table.entries[*ids.first()? as usize];
    let surname = clew_names::hangul::syllables(entry.north.as_deref().unwrap_or(&entry.hangul))?;
    let mut given = Vec::new();
    for piece in rest.iter().flatten() {
        given.extend(given_syllable(piece)?);
    }
    (!given.is_empty()).then_some((surname, given))
}

fn hangul(syllables: &[Syllable]) -> String {
    syllables.iter().map(|s| s.to_char()).collect()
}

/// One row: id, the name compared against, the variant, how it was made, expected, where it comes from.
struct Row {
    id: String,
    target: String,
    variant: String,
    kind: String,
    expected: &'static str,
    source: &'static str,
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

fn build() -> Vec<Row> {
    let list = read_un_xml("un", &std::fs::read(shared("un_sc_consolidated_2024-09-26.xml")).unwrap()).unwrap();
    let mut rows = Vec::new();
    for entity in list.entities.iter().filter(|e| e.id.starts_with("un-KPi.")) {
        let target = entity.names[0].text.clone();
        let Some((surname, given)) = derive(&target) else { continue };
        let full: Vec<Syllable> = surname.iter().chain(&given).copied().collect();
        let mut add = |variant: String, kind: &str, expected: &'static str, against: &str| {
            rows.push(Row {
                id: entity.id.clone(),
                target: against.to_string(),
                variant,
                kind: kind.to_string(),
                expected,
                source: "derived",
            });
        };
        add(hangul(&full), "hangul", "match", &target);
        add(format!("{} {}", hangul(&surname), hangul(&given)), "hangul-spaced", "match", &target);
        for system in SYSTEMS {
            let kind = serde_json::to_value(system).unwrap().as_str().unwrap().to_string();
            add(write(&surname, &given, system), &kind, "match", &target);
        }
        let dprk = write(&surname, &given, System::Dprk);
        let (family, rest) = dprk.split_once(' ').unwrap();
        add(format!("{rest} {family}"), "surname-last", "match", &target);
        // Typing errors in a short syllable: its first letter doubled, its two last letters swapped.
        let given_words: Vec<&str> = rest.split(' ').collect();
        let short = given_words.iter().position(|w| w.len() <= 4 && w.len() >= 2).unwrap_or(0);
        let mut doubled = given_words.clone();
        let first = doubled[short].chars().next().unwrap().to_string();
        let doubled_word = format!("{first}{}", doubled[short].to_ascii_lowercase());
        doubled[short] = &doubled_word;
        add(format!("{family} {}", doubled.join(" ")), "typo-doubled", "match", &target);
        let mut swapped_letters: Vec<char> = given_words[short].chars().collect();
        let n = swapped_letters.len();
        swapped_letters.swap(n - 2, n - 1);
        let swapped_word: String = swapped_letters.into_iter().collect();
        let mut swapped = given_words.clone();
        swapped[short] = &swapped_word;
        add(format!("{family} {}", swapped.join(" ")), "typo-swapped", "match", &target);
        // Near misses: one given-name syllable another whose DPRK romanization differs.
        let position = given.len() - 1;
        let original = write(&surname, &given, System::Dprk);
        if let Some(other) = REPLACEMENTS.chars().filter_map(Syllable::of).find(|c| {
            let mut changed = given.clone();
            changed[position] = *c;
            write(&surname, &changed, System::Dprk).to_lowercase() != original.to_lowercase()
        }) {
            let mut changed = given.clone();
            changed[position] = other;
            let changed_full: Vec<Syllable> = surname.iter().chain(&changed).copied().collect();
            add(hangul(&changed_full), "near-miss-hangul", "near-miss", &target);
            add(write(&surname, &changed, System::Dprk), "near-miss-dprk", "near-miss", &target);
            add(write(&surname, &changed, System::Kontsevich), "near-miss-kontsevich", "near-miss", &target);
            add(hangul(&changed_full), "near-miss-hangul-pair", "near-miss", &hangul(&full));
        }
    }
    // Written by hand from the research note: renderings found in the wild, and near misses.
    let attested: &[(&str, &str, &str, &'static str)] = &[
        ("probe", "KIM JONG UN", "김정은", "match"),
        ("probe", "KIM JONG UN", "김 정은", "match"),
        ("probe", "KIM JONG UN", "Ким Чен Ын", "match"),
        ("probe", "RI WON HO", "리원호", "match"),
        ("probe", "RI WON HO", "Ри Вон Хо", "match"),
        ("probe", "RI WON HO", "Lee Won-ho", "match"),
        ("probe", "PAK KWANG HUN", "박광훈", "match"),
        ("probe", "PAK KWANG HUN", "Park Kwang Hoon", "match"),
        ("probe", "CHOE CHUN YONG", "Чвэ Чхун Ен", "match"),
        ("probe", "YO'N CHO'NG NAM", "Yeon Jeong-nam", "match"),
        ("probe", "KIM SONG CHOL", "KIM SOK CHOL", "near-miss"),
        ("probe", "RI SONG CHOL", "RI SONG HYOK", "near-miss"),
        ("probe", "김정은", "김종은", "near-miss"),
        ("probe", "이재명", "이재형", "near-miss"),
    ];
    for (id, target, variant, expected) in attested {
        rows.push(Row {
            id: id.to_string(),
            target: target.to_string(),
            variant: variant.to_string(),
            kind: "attested".into(),
            expected,
            source: "attested",
        });
    }
    rows
}

fn render(rows: &[Row]) -> String {
    let mut text = String::from(
        "# Korean cross-script test set, built by crates/clew-screen/tests/it/korean.rs from the 80 DPRK individuals\n\
         # of the UN consolidated list (2024-09-26). `derived` rows: the list gives no Hangul, so the Hangul is one\n\
         # plausible reading of the romanization (see the builder), not a fact about the person. `attested` rows:\n\
         # renderings and near misses from the research note on the OpenSanctions matcher.\n\
         id,target,variant,kind,expected,source\n",
    );
    for row in rows {
        let fields = [&row.id, &row.target, &row.variant, &row.kind, row.expected, row.source];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(text, "{}", line.join(",")).unwrap();
    }
    text
}

#[test]
fn the_korean_cross_script_set_is_built_from_the_un_list_and_up_to_date() {
    let rows = build();
    let people: std::collections::HashSet<&str> =
        rows.iter().filter(|r| r.source == "derived").map(|r| r.id.as_str()).collect();
    assert!(people.len() >= 75, "{} of the 80 DPRK individuals read as Korean names", people.len());
    let text = render(&rows);
    if std::env::var("CLEW_UPDATE_TEST_DATA").is_ok() {
        std::fs::create_dir_all(test_data().parent().unwrap()).unwrap();
        std::fs::write(test_data(), &text).unwrap();
    }
    assert_eq!(std::fs::read_to_string(test_data()).unwrap(), text, "regenerate with CLEW_UPDATE_TEST_DATA=1");
}

#[test]
fn every_rendering_matches_and_every_near_miss_stays_below_the_threshold() {
    let text = std::fs::read_to_string(test_data()).unwrap();
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
    let (mut matches, mut matched, mut misses, mut kept_apart) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let (target, variant, kind, expected) = (&record[1], &record[2], &record[3], &record[4]);
        let score = compare(&Name::new(variant, NameKind::Person), &Name::new(target, NameKind::Person)).score;
        if expected == "match" {
            matches += 1;
            if score >= 0.7 {
                matched += 1;
            } else {
                failures.push(format!("missed {kind}: {variant} ~ {target} {score:.2}"));
            }
        } else {
            misses += 1;
            if score < 0.7 {
                kept_apart += 1;
            } else {
                failures.push(format!("near miss matched {kind}: {variant} ~ {target} {score:.2}"));
            }
        }
    }
    let recall = matched as f64 / matches as f64;
    assert!(recall >= 0.98, "recall {recall:.3} ({matched}/{matches}):\n{}", failures.join("\n"));
    assert_eq!(kept_apart, misses, "every near miss below the threshold:\n{}", failures.join("\n"));
}
