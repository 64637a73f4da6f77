//! What a written syllable can stand for: the sets of Hangul initials, vowels and final sounds a spelling
//! allows. A Hangul syllable allows exactly one of each; "jong" allows ㅈ/ㅊ/ㅉ, ㅓ/ㅗ and ng, because
//! romanizations differ on aspiration, voicing and ŏ/o. Two spellings can be the same syllable when their sets
//! meet in all three places.

use crate::hangul::{Coda, Syllable, initial, medial};

/// Sets of initials (bit i: [`crate::hangul::INITIALS`]`[i]`), vowels and final sounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sounds {
    /// Possible initial consonants.
    pub initials: u32,
    /// Possible vowels.
    pub medials: u32,
    /// Possible final sounds (bit = [`Coda`] as u8).
    pub codas: u8,
}

/// How far two syllables agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// Initial, vowel and final sound can all be the same.
    Same,
    /// The initial differs, only by the initial sound rule (리/이, 로/노).
    InitialRule,
    /// They differ in the initial consonant.
    Initial,
    /// They differ in the vowel.
    Vowel,
    /// They differ in the final sound.
    Final,
    /// They differ in more than one place.
    Different,
}

/// A set with one bit.
pub const fn bit(index: u8) -> u32 {
    1 << index
}

/// The set of initials written by one Latin or Cyrillic class of consonants.
pub mod initials {
    #![allow(missing_docs)]
    use super::bit;
    use crate::hangul::initial::*;
    pub const VELAR: u32 = bit(G) | bit(K) | bit(KK);
    pub const DENTAL: u32 = bit(D) | bit(T) | bit(TT);
    pub const LABIAL: u32 = bit(B) | bit(P) | bit(PP);
    pub const AFFRICATE: u32 = bit(J) | bit(CH) | bit(JJ);
    pub const SIBILANT: u32 = bit(S) | bit(SS);
    pub const LIQUID: u32 = bit(R);
    pub const NASAL_N: u32 = bit(N);
    pub const NASAL_M: u32 = bit(M);
    pub const GLOTTAL: u32 = bit(H);
    pub const SILENT: u32 = bit(NONE);
}

impl Sounds {
    /// Exactly this Hangul syllable.
    pub fn of_syllable(syllable: Syllable) -> Sounds {
        Sounds { initials: bit(syllable.initial), medials: bit(syllable.medial), codas: 1 << syllable.coda() as u8 }
    }

    /// Whether some Hangul syllable fits all three sets.
    pub fn is_possible(self) -> bool {
        self.initials != 0 && self.medials != 0 && self.codas != 0
    }

    /// The same sets with the other side of the initial sound rule added: the spellings a syllable may have
    /// at the start of a name, North or South (리 and 이, 로 and 노, 녀 and 여).
    pub fn with_initial_rule(self) -> Sounds {
        let i_or_y = bit(medial::I)
            | bit(medial::YA)
            | bit(medial::YEO)
            | bit(medial::YO)
            | bit(medial::YU)
            | bit(medial::YAE)
            | bit(medial::YE);
        let mut initials = self.initials;
        let before_i_or_y = self.medials & i_or_y != 0;
        let before_other = self.medials & !i_or_y != 0;
        if self.initials & (bit(initial::R) | bit(initial::N) | bit(initial::NONE)) != 0 {
            if before_i_or_y {
                initials |= bit(initial::R) | bit(initial::N) | bit(initial::NONE);
            }
            if before_other && self.initials & (bit(initial::R) | bit(initial::N)) != 0 {
                initials |= bit(initial::R) | bit(initial::N);
            }
        }
        Sounds { initials, ..self }
    }

    /// How far two syllables agree; `first` when both begin a name part (the initial sound rule applies).
    pub fn agreement(self, other: Sounds, first: bool) -> Agreement {
        let initial = self.initials & other.initials != 0;
        let vowel = self.medials & other.medials != 0;
        let coda = self.codas & other.codas != 0;
        match (initial, vowel, coda) {
            (true, true, true) => Agreement::Same,
            (false, true, true)
                if first && self.with_initial_rule().initials & other.with_initial_rule().initials != 0 =>
            {
                Agreement::InitialRule
            }
            (false, true, true) => Agreement::Initial,
            (true, false, true) => Agreement::Vowel,
            (true, true, false) => Agreement::Final,
            _ => Agreement::Different,
        }
    }

    /// Every Hangul syllable these sets allow, in Unicode order.
    pub fn hangul(self) -> Vec<char> {
        let mut out = Vec::new();
        for i in 0..19u8 {
            if self.initials & bit(i) == 0 {
                continue;
            }
            for m in 0..21u8 {
                if self.medials & bit(m) == 0 {
                    continue;
                }
                for coda in 0..8u8 {
                    if self.codas & (1 << coda) != 0 {
                        let final_ = CODAS[coda as usize].letter();
                        out.push(Syllable { initial: i, medial: m, final_ }.to_char());
                    }
                }
            }
        }
        out
    }
}

/// The final sounds by their bit.
pub const CODAS: [Coda; 8] = [Coda::None, Coda::K, Coda::N, Coda::T, Coda::L, Coda::M, Coda::P, Coda::Ng];

/// A set of final sounds.
pub const fn codas(list: &[Coda]) -> u8 {
    let mut set = 0;
    let mut index = 0;
    while index < list.len() {
        set |= 1 << list[index] as u8;
        index += 1;
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(c: char) -> Sounds {
        Sounds::of_syllable(Syllable::of(c).unwrap())
    }

    #[test]
    fn hangul_syllables_agree_only_with_themselves_but_for_the_initial_rule() {
        assert_eq!(of('정').agreement(of('정'), false), Agreement::Same);
        assert_eq!(of('정').agreement(of('종'), false), Agreement::Vowel);
        assert_eq!(of('형').agreement(of('명'), false), Agreement::Initial);
        assert_eq!(of('송').agreement(of('속'), false), Agreement::Final);
        assert_eq!(of('리').agreement(of('이'), true), Agreement::InitialRule);
        assert_eq!(of('리').agreement(of('이'), false), Agreement::Initial);
        assert_eq!(of('로').agreement(of('노'), true), Agreement::InitialRule);
        assert_eq!(of('로').agreement(of('오'), true), Agreement::Initial, "오 is not a Southern 로");
        assert_eq!(of('김').agreement(of('박'), false), Agreement::Different);
    }

    #[test]
    fn a_syllable_lists_itself() {
        assert_eq!(of('훈').hangul(), vec!['훈']);
        let set = Sounds {
            initials: initials::AFFRICATE,
            medials: bit(medial::EO) | bit(medial::O),
            codas: codas(&[Coda::Ng]),
        };
        assert_eq!(set.hangul(), vec!['정', '종', '쩡', '쫑', '청', '총']);
    }
}
