//! Hangul syllables and their letters (jamo): decomposition, composition, and the North/South difference
//! in word-initial ㄹ and ㄴ (the initial sound rule, 두음법칙).

/// The 19 initial consonants, in Unicode order (ㅇ is the silent initial).
pub const INITIALS: [char; 19] =
    ['ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];

/// The 21 vowels (medials), in Unicode order.
pub const MEDIALS: [char; 21] = [
    'ㅏ', 'ㅐ', 'ㅑ', 'ㅒ', 'ㅓ', 'ㅔ', 'ㅕ', 'ㅖ', 'ㅗ', 'ㅘ', 'ㅙ', 'ㅚ', 'ㅛ', 'ㅜ', 'ㅝ', 'ㅞ', 'ㅟ', 'ㅠ', 'ㅡ',
    'ㅢ', 'ㅣ',
];

/// The 27 final consonants after "none", in Unicode order.
pub const FINALS: [char; 28] = [
    ' ', 'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ', 'ㅀ', 'ㅁ', 'ㅂ', 'ㅄ',
    'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
];

/// Index of an initial consonant in [`INITIALS`].
pub mod initial {
    #![allow(missing_docs)]
    pub const G: u8 = 0;
    pub const KK: u8 = 1;
    pub const N: u8 = 2;
    pub const D: u8 = 3;
    pub const TT: u8 = 4;
    pub const R: u8 = 5;
    pub const M: u8 = 6;
    pub const B: u8 = 7;
    pub const PP: u8 = 8;
    pub const S: u8 = 9;
    pub const SS: u8 = 10;
    pub const NONE: u8 = 11;
    pub const J: u8 = 12;
    pub const JJ: u8 = 13;
    pub const CH: u8 = 14;
    pub const K: u8 = 15;
    pub const T: u8 = 16;
    pub const P: u8 = 17;
    pub const H: u8 = 18;
}

/// Index of a vowel in [`MEDIALS`].
pub mod medial {
    #![allow(missing_docs)]
    pub const A: u8 = 0;
    pub const AE: u8 = 1;
    pub const YA: u8 = 2;
    pub const YAE: u8 = 3;
    pub const EO: u8 = 4;
    pub const E: u8 = 5;
    pub const YEO: u8 = 6;
    pub const YE: u8 = 7;
    pub const O: u8 = 8;
    pub const WA: u8 = 9;
    pub const WAE: u8 = 10;
    pub const OE: u8 = 11;
    pub const YO: u8 = 12;
    pub const U: u8 = 13;
    pub const WO: u8 = 14;
    pub const WE: u8 = 15;
    pub const WI: u8 = 16;
    pub const YU: u8 = 17;
    pub const EU: u8 = 18;
    pub const UI: u8 = 19;
    pub const I: u8 = 20;
}

/// How a final consonant sounds at the end of a syllable: the seven sounds every final reduces to, and none.
/// Romanizations write the sound, not the letter (옷 is "ot"), so finals are compared by sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Coda {
    /// No final consonant.
    None = 0,
    /// k (ㄱ ㄲ ㅋ ㄳ ㄺ).
    K = 1,
    /// n (ㄴ ㄵ ㄶ).
    N = 2,
    /// t (ㄷ ㅅ ㅆ ㅈ ㅊ ㅌ ㅎ).
    T = 3,
    /// l (ㄹ ㄼ ㄽ ㄾ ㅀ).
    L = 4,
    /// m (ㅁ ㄻ).
    M = 5,
    /// p (ㅂ ㅍ ㅄ ㄿ).
    P = 6,
    /// ng (ㅇ).
    Ng = 7,
}

impl Coda {
    /// The sound of a final consonant, by its index in [`FINALS`].
    pub fn of_final(index: u8) -> Coda {
        match index {
            0 => Coda::None,
            1 | 2 | 3 | 9 | 24 => Coda::K,
            4..=6 => Coda::N,
            7 | 19 | 20 | 22 | 23 | 25 | 27 => Coda::T,
            8 | 11..=13 | 15 => Coda::L,
            10 | 16 => Coda::M,
            14 | 17 | 18 | 26 => Coda::P,
            _ => Coda::Ng,
        }
    }

    /// Its name in the spelling tables: none, k, n, t, l, m, p, ng.
    pub fn name(self) -> &'static str {
        match self {
            Coda::None => "none",
            Coda::K => "k",
            Coda::N => "n",
            Coda::T => "t",
            Coda::L => "l",
            Coda::M => "m",
            Coda::P => "p",
            Coda::Ng => "ng",
        }
    }

    /// The final letter that writes this sound (the first of [`FINALS`] that sounds so).
    pub fn letter(self) -> u8 {
        match self {
            Coda::None => 0,
            Coda::K => 1,
            Coda::N => 4,
            Coda::T => 7,
            Coda::L => 8,
            Coda::M => 16,
            Coda::P => 17,
            Coda::Ng => 21,
        }
    }
}

/// One Hangul syllable as its three letters: indices into [`INITIALS`], [`MEDIALS`] and [`FINALS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Syllable {
    /// Initial consonant.
    pub initial: u8,
    /// Vowel.
    pub medial: u8,
    /// Final consonant (0: none).
    pub final_: u8,
}

const FIRST: u32 = 0xAC00;
const LAST: u32 = 0xD7A3;

impl Syllable {
    /// The letters of a precomposed Hangul syllable (가..힣); `None` for any other character.
    pub fn of(c: char) -> Option<Syllable> {
        let code = c as u32;
        if !(FIRST..=LAST).contains(&code) {
            return None;
        }
        let index = code - FIRST;
        Some(Syllable {
            initial: (index / (21 * 28)) as u8,
            medial: (index / 28 % 21) as u8,
            final_: (index % 28) as u8,
        })
    }

    /// The precomposed syllable.
    pub fn to_char(self) -> char {
        let code = FIRST + (self.initial as u32 * 21 + self.medial as u32) * 28 + self.final_ as u32;
        char::from_u32(code).unwrap_or('\u{FFFD}')
    }

    /// The sound of its final consonant.
    pub fn coda(self) -> Coda {
        Coda::of_final(self.final_)
    }

    /// Whether the vowel starts with an i or y sound (ㅣ ㅑ ㅕ ㅛ ㅠ ㅒ ㅖ), before which the South drops or
    /// changes a word-initial ㄹ or ㄴ.
    pub fn i_or_y(self) -> bool {
        matches!(self.medial, medial::I | medial::YA | medial::YEO | medial::YO | medial::YU | medial::YAE | medial::YE)
    }

    /// The syllable as the South writes it at the start of a word (리 → 이, 로 → 노, 녀 → 여); itself when the
    /// rule does not apply.
    pub fn south_initial(self) -> Syllable {
        match self.initial {
            initial::R if self.i_or_y() => Syllable { initial: initial::NONE, ..self },
            initial::R => Syllable { initial: initial::N, ..self },
            initial::N if self.i_or_y() => Syllable { initial: initial::NONE, ..self },
            _ => self,
        }
    }

    /// The North's forms that the South writes this way at the start of a word (이 → 리 and 니, 노 → 로):
    /// every syllable whose [`Syllable::south_initial`] is this one, itself included.
    pub fn north_initials(self) -> Vec<Syllable> {
        let mut forms = vec![self];
        match self.initial {
            initial::NONE if self.i_or_y() => {
                forms.push(Syllable { initial: initial::R, ..self });
                forms.push(Syllable { initial: initial::N, ..self });
            }
            initial::N if !self.i_or_y() => forms.push(Syllable { initial: initial::R, ..self }),
            _ => {}
        }
        forms
    }
}

/// Whether a character is a precomposed Hangul syllable.
pub fn is_syllable(c: char) -> bool {
    (FIRST..=LAST).contains(&(c as u32))
}

/// The syllables of a Hangul word; `None` when any character is not a Hangul syllable.
pub fn syllables(word: &str) -> Option<Vec<Syllable>> {
    word.chars().map(Syllable::of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposition_round_trips_every_syllable() {
        for code in FIRST..=LAST {
            let c = char::from_u32(code).unwrap();
            let syllable = Syllable::of(c).unwrap();
            assert_eq!(syllable.to_char(), c);
        }
        assert_eq!(Syllable::of('A'), None);
        let kim = Syllable::of('김').unwrap();
        assert_eq!(
            (INITIALS[kim.initial as usize], MEDIALS[kim.medial as usize], FINALS[kim.final_ as usize]),
            ('ㄱ', 'ㅣ', 'ㅁ')
        );
    }

    #[test]
    fn the_initial_sound_rule_goes_both_ways() {
        let of = |c| Syllable::of(c).unwrap();
        for (north, south) in [
            ('리', '이'),
            ('림', '임'),
            ('류', '유'),
            ('량', '양'),
            ('로', '노'),
            ('녀', '여'),
            ('력', '역'),
            ('룡', '용'),
        ] {
            assert_eq!(of(north).south_initial(), of(south), "{north} → {south}");
            assert!(of(south).north_initials().contains(&of(north)), "{south} ← {north}");
        }
        assert_eq!(of('김').south_initial(), of('김'));
        assert_eq!(of('김').north_initials(), vec![of('김')]);
    }

    #[test]
    fn finals_reduce_to_seven_sounds() {
        let coda = |c| Syllable::of(c).unwrap().coda();
        assert_eq!(coda('옷'), Coda::T);
        assert_eq!(coda('엌'), Coda::K);
        assert_eq!(coda('값'), Coda::P);
        assert_eq!(coda('닭'), Coda::K);
        assert_eq!(coda('삶'), Coda::M);
        assert_eq!(coda('정'), Coda::Ng);
        assert_eq!(coda('가'), Coda::None);
        for index in 0..28u8 {
            assert_eq!(Coda::of_final(Coda::of_final(index).letter()), Coda::of_final(index));
        }
    }
}
