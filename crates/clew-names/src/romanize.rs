//! Writing a Korean name (surname and given-name syllables in Hangul) in each system people use: Revised
//! Romanization, McCune–Reischauer (with breves, with the apostrophes the UN list uses for them, or plain
//! ASCII), the DPRK system as KCNA writes it, South Korean passport style, Kontsevich Cyrillic and the
//! conventional Russian-media style. Used to build test sets and to show users what a name may look like
//! elsewhere; matching does not depend on it (it reads spellings back with `spelling`).
//!
//! Simplifications, stated: sound changes across syllables are limited to voicing of ㄱ ㄷ ㅂ ㅈ after a vowel
//! or a nasal or liquid inside the given name (McCune–Reischauer, DPRK, Kontsevich), ㄹ as r or l, and ㅇ as
//! нъ before a vowel in Kontsevich; nasal assimilation and the other rules are not applied (personal names
//! are mostly written without them).

use crate::hangul::{Coda, Syllable, initial, medial};

/// A system of writing Korean names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum System {
    /// Revised Romanization: surname, space, given name joined (Gim Jeongeun).
    Revised,
    /// Revised Romanization with a hyphenated given name (Gim Jeong-eun).
    RevisedHyphen,
    /// McCune–Reischauer with breves and apostrophes (Kim Chŏng-ŭn).
    McCuneReischauer,
    /// McCune–Reischauer with apostrophes for breves, as the UN list writes it (KIM CHO'NG-U'N).
    McCuneReischauerApostrophe,
    /// McCune–Reischauer in plain ASCII (Kim Chong-un).
    McCuneReischauerAscii,
    /// The DPRK system as KCNA writes it: every syllable apart, no breves (Kim Jong Un).
    Dprk,
    /// South Korean passport style: capitals, the usual surname spelling, given name joined (KIM JEONGEUN).
    Passport,
    /// Kontsevich Cyrillic: surname, space, given name joined (Ким Чонын).
    Kontsevich,
    /// Russian media: every syllable apart, the usual surname spelling (Ким Чон Ын).
    RussianMedia,
}

/// Every system, in order.
pub const SYSTEMS: [System; 9] = [
    System::Revised,
    System::RevisedHyphen,
    System::McCuneReischauer,
    System::McCuneReischauerApostrophe,
    System::McCuneReischauerAscii,
    System::Dprk,
    System::Passport,
    System::Kontsevich,
    System::RussianMedia,
];

const RR_INITIALS: [&str; 19] =
    ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"];
const RR_MEDIALS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu",
    "ui", "i",
];
const MR_MEDIALS: [&str; 21] = [
    "a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we", "wi", "yu", "ŭ", "ŭi",
    "i",
];
const KONTSEVICH_MEDIALS: [&str; 21] =
    ["а", "э", "я", "йя", "о", "е", "ё", "йе", "о", "ва", "вэ", "ве", "ё", "у", "во", "ве", "ви", "ю", "ы", "ый", "и"];

/// A final sound in Latin letters: its name in the spelling tables, nothing for none.
fn coda_latin(coda: Coda) -> &'static str {
    if coda == Coda::None { "" } else { coda.name() }
}

/// Whether a syllable's initial is voiced after the syllable before it (a vowel, or a nasal or liquid).
fn voiced_after(before: Option<Syllable>) -> bool {
    before.is_some_and(|b| matches!(b.coda(), Coda::None | Coda::N | Coda::M | Coda::Ng | Coda::L))
}

/// ㄱ ㄷ ㅂ as McCune–Reischauer and the DPRK write them: voiceless, or voiced between voiced sounds.
fn plain_stop(index: u8, voiced: bool) -> Option<&'static str> {
    Some(match (index, voiced) {
        (initial::G, false) => "k",
        (initial::G, true) => "g",
        (initial::D, false) => "t",
        (initial::D, true) => "d",
        (initial::B, false) => "p",
        (initial::B, true) => "b",
        _ => return None,
    })
}

/// McCune–Reischauer initial; `voiced` between voiced sounds.
fn mr_initial(index: u8, voiced: bool, next_medial: u8) -> &'static str {
    if let Some(stop) = plain_stop(index, voiced) {
        return stop;
    }
    match (index, voiced) {
        (initial::J, false) => "ch",
        (initial::J, true) => "j",
        (initial::CH, _) => "ch'",
        (initial::K, _) => "k'",
        (initial::T, _) => "t'",
        (initial::P, _) => "p'",
        (initial::S, _) if matches!(next_medial, medial::I | medial::WI) => "sh",
        (initial::JJ, _) => "tch",
        (initial::R, _) => "r",
        (other, _) => RR_INITIALS[other as usize],
    }
}

/// DPRK initial: like McCune–Reischauer, with ㅈ as j, aspirates as kh th ph, ㅊ as ch.
fn dprk_initial(index: u8, voiced: bool) -> &'static str {
    if let Some(stop) = plain_stop(index, voiced) {
        return stop;
    }
    match (index, voiced) {
        (initial::J, _) => "j",
        (initial::CH, _) => "ch",
        (initial::K, _) => "kh",
        (initial::T, _) => "th",
        (initial::P, _) => "ph",
        (initial::JJ, _) => "jj",
        (other, _) => RR_INITIALS[other as usize],
    }
}

fn kontsevich_initial(index: u8, voiced: bool) -> &'static str {
    match (index, voiced) {
        (initial::G, false) => "к",
        (initial::G, true) => "г",
        (initial::KK, _) => "кк",
        (initial::N, _) => "н",
        (initial::D, false) => "т",
        (initial::D, true) => "д",
        (initial::TT, _) => "тт",
        (initial::R, _) => "р",
        (initial::M, _) => "м",
        (initial::B, false) => "п",
        (initial::B, true) => "б",
        (initial::PP, _) => "пп",
        (initial::S, _) => "с",
        (initial::SS, _) => "сс",
        (initial::J, false) => "ч",
        (initial::J, true) => "дж",
        (initial::JJ, _) => "чч",
        (initial::CH, _) => "чх",
        (initial::K, _) => "кх",
        (initial::T, _) => "тх",
        (initial::P, _) => "пх",
        (initial::H, _) => "х",
        _ => "",
    }
}

fn kontsevich_coda(coda: Coda, vowel_follows: bool) -> &'static str {
    match coda {
        Coda::None => "",
        Coda::K => "к",
        Coda::N => "н",
        Coda::T => "т",
        Coda::L if vowel_follows => "р",
        Coda::L => "ль",
        Coda::M => "м",
        Coda::P => "п",
        Coda::Ng if vowel_follows => "нъ",
        Coda::Ng => "н",
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One syllable in a Latin system; `before` is the syllable before it in the same word (voicing).
fn latin_syllable(syllable: Syllable, before: Option<Syllable>, system: System) -> String {
    let voiced = voiced_after(before);
    let ending = coda_latin(syllable.coda());
    match system {
        System::Revised | System::RevisedHyphen | System::Passport => {
            let start = if syllable.initial == initial::R && before.is_none() {
                "r"
            } else {
                RR_INITIALS[syllable.initial as usize]
            };
            let start =
                if syllable.initial == initial::R && before.is_some_and(|b| b.coda() == Coda::L) { "l" } else { start };
            format!(
                "{start}{}{}",
                RR_MEDIALS[syllable.medial as usize],
                if syllable.coda() == Coda::K { "k" } else { ending }
            )
        }
        System::McCuneReischauer | System::McCuneReischauerApostrophe | System::McCuneReischauerAscii => {
            let start = mr_initial(syllable.initial, voiced, syllable.medial);
            let start =
                if syllable.initial == initial::R && before.is_some_and(|b| b.coda() == Coda::L) { "l" } else { start };
            let text = format!("{start}{}{ending}", MR_MEDIALS[syllable.medial as usize]);
            match system {
                System::McCuneReischauerApostrophe => text.replace('ŏ', "o'").replace('ŭ', "u'"),
                System::McCuneReischauerAscii => text.replace('ŏ', "o").replace('ŭ', "u").replace('\'', ""),
                _ => text,
            }
        }
        System::Dprk => {
            let start = dprk_initial(syllable.initial, voiced);
            let vowel = MR_MEDIALS[syllable.medial as usize].replace('ŏ', "o").replace('ŭ', "u");
            format!("{start}{vowel}{ending}")
        }
        System::Kontsevich | System::RussianMedia => String::new(),
    }
}

/// A surname in a Latin system: by rule in Revised Romanization (Gim, I, Bak); otherwise the usual spelling of
/// the commonest surnames (Kim, Lee or Ri, Pak or Park, Choe or Choi) and the rule for the rest.
fn latin_surname(surname: &[Syllable], system: System) -> String {
    let hangul: String = surname.iter().map(|s| s.to_char()).collect();
    let usual = match hangul.as_str() {
        "이" | "리" => Some(if system == System::Dprk { "Ri" } else { "Lee" }),
        "박" => Some(if matches!(system, System::Passport) { "Park" } else { "Pak" }),
        "최" => Some(if matches!(system, System::Passport) { "Choi" } else { "Choe" }),
        "김" => Some("Kim"),
        _ => None,
    };
    if let Some(usual) = usual.filter(|_| !matches!(system, System::Revised | System::RevisedHyphen)) {
        return usual.to_string();
    }
    let mut text = String::new();
    let mut before = None;
    for syllable in surname {
        text.push_str(&latin_syllable(*syllable, before, system));
        before = Some(*syllable);
    }
    capitalize(&text)
}

fn cyrillic_surname(surname: &[Syllable], system: System) -> String {
    let hangul: String = surname.iter().map(|s| s.to_char()).collect();
    let usual = match hangul.as_str() {
        "이" | "리" => Some("Ли"),
        "최" if system == System::RussianMedia => Some("Цой"),
        "임" | "림" => Some("Лим"),
        "류" | "유" if system == System::RussianMedia => Some("Лю"),
        "양" | "량" if system == System::RussianMedia => Some("Лян"),
        _ => None,
    };
    if let Some(usual) = usual {
        return usual.to_string();
    }
    capitalize(&kontsevich_word(surname))
}

/// Syllables written joined in Kontsevich.
fn kontsevich_word(syllables: &[Syllable]) -> String {
    let mut text = String::new();
    for (index, syllable) in syllables.iter().enumerate() {
        let before = index.checked_sub(1).map(|i| syllables[i]);
        let voiced = voiced_after(before);
        text.push_str(kontsevich_initial(syllable.initial, voiced));
        text.push_str(KONTSEVICH_MEDIALS[syllable.medial as usize]);
        let vowel_follows = syllables.get(index + 1).is_some_and(|next| next.initial == initial::NONE);
        text.push_str(kontsevich_coda(syllable.coda(), vowel_follows));
    }
    text
}

/// A name (surname and given-name syllables in Hangul) written in a system.
pub fn write(surname: &[Syllable], given: &[Syllable], system: System) -> String {
    match system {
        System::Kontsevich => format!("{} {}", cyrillic_surname(surname, system), capitalize(&kontsevich_word(given))),
        System::RussianMedia => {
            let parts: Vec<String> =
                given.iter().map(|s| capitalize(&kontsevich_word(std::slice::from_ref(s)))).collect();
            format!("{} {}", cyrillic_surname(surname, system), parts.join(" "))
        }
        _ => {
            let mut syllables = Vec::new();
            for (index, syllable) in given.iter().enumerate() {
                // DPRK: the first given-name syllable is voiceless; later ones voice after a voiced sound.
                let before = index.checked_sub(1).map(|i| given[i]);
                syllables.push(latin_syllable(*syllable, before, system));
            }
            let surname = latin_surname(surname, system);
            let name = match system {
                System::Revised | System::Passport => capitalize(&syllables.concat()),
                System::Dprk => syllables.iter().map(|s| capitalize(s)).collect::<Vec<_>>().join(" "),
                _ => capitalize(&syllables.join("-")),
            };
            let full = format!("{surname} {name}");
            if system == System::Passport { full.to_uppercase() } else { full }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hangul::syllables;

    fn name(text: &str, system: System) -> String {
        let all = syllables(text).unwrap();
        write(&all[..1], &all[1..], system)
    }

    #[test]
    fn kim_jong_un_in_every_system() {
        assert_eq!(name("김정은", System::Revised), "Gim Jeongeun");
        assert_eq!(name("김정은", System::RevisedHyphen), "Gim Jeong-eun");
        assert_eq!(name("김정은", System::McCuneReischauer), "Kim Chŏng-ŭn");
        assert_eq!(name("김정은", System::McCuneReischauerApostrophe), "Kim Cho'ng-u'n");
        assert_eq!(name("김정은", System::McCuneReischauerAscii), "Kim Chong-un");
        assert_eq!(name("김정은", System::Dprk), "Kim Jong Un");
        assert_eq!(name("김정은", System::Passport), "KIM JEONGEUN");
        assert_eq!(name("김정은", System::Kontsevich), "Ким Чонъын");
        assert_eq!(name("김정은", System::RussianMedia), "Ким Чон Ын");
    }

    #[test]
    fn others_follow_the_rules() {
        // Tensing (길동 said 길똥, MR Kil-tong) is not applied: see the module's simplifications.
        assert_eq!(name("홍길동", System::McCuneReischauerAscii), "Hong Kil-dong");
        assert_eq!(name("홍길동", System::Dprk), "Hong Kil Dong");
        assert_eq!(name("박광훈", System::Passport), "PARK GWANGHUN");
        assert_eq!(name("최춘영", System::RussianMedia), "Цой Чхун Ён");
        assert_eq!(name("리원호", System::Dprk), "Ri Won Ho");
    }
}
