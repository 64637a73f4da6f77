//! What a query is when its file does not say: an organisation when its name has a legal form or an
//! organisation's word (in Latin, Cyrillic, Hangul or Chinese characters). Any other name is screened against
//! entries of every kind, the best candidates kept; the query's other fields may still make it a person
//! (`crate::screen::infer_kind`).
//!
//! Inferring a kind wrongly hides every entry of the other kinds, silently; trying both costs a little time.
//! So the words below are only those no personal name has: the integration test `listed_names_keep_their_kind`
//! runs every name of the UN and OFAC lists through [`infer_from_name`], and no listed person is taken for an
//! organisation. For the same reason a name that reads as a Korean personal name is not taken for a person:
//! on those lists 57 names of vessels and organisations do (the DPRK's vessels CHONG BONG, MI RIM, RYO MYONG
//! bear Korean place names), and each would be missed.

use clew_names::hangul;
use clew_names::normalize::words;
use serde::Serialize;

use crate::entity::EntityKind;

/// Legal forms and the words for a company, as whole words (lower case, without diacritics; separated by
/// white space): in Latin letters, then Cyrillic, then English as Russian writes it. A run of three initials
/// or more is read as one word (L.L.C.). Looked for first, so that the report names the legal form
/// (`Severny Bereg Construction LLC`: "LLC"). Left out here and from [`ORGANISATION_WORDS`], because people
/// are named so: `co` (the Chinese Filipino surname Co), `pao` (OFAC lists four people PAO), `doo` (the
/// Korean surname Doo), `tov` (Siman Tov; Russian тов. is "comrade"), `cia`, `holding` (George Holding, a US
/// congressman), `marine` (a French given name), `general`; `sa`, `as`, `ab`, `ag`, `se` (initials, and the
/// Korean surname Sa); `ип` (a sole trader is a person in law).
pub const LEGAL_FORMS: &str = "
    llc ltd limited company companies corp corporation inc incorporated jsc ojsc cjsc pjsc ooo oao zao gmbh plc llp
    sarl srl spa bv nv pte pvt bhd sdn fze fzco fzc fzllc ltda kft sro wll hoesa hoisa chusikhoesa chonghoesa
    ооо оао ао зао пао нао гуп фгуп муп ано нко тоо лтд компания корпорация общество товарищество
    корпорейшн корпорейшен компани лимитед
";

/// Other whole words that make a name an organisation's: what companies, banks, ministries and armed groups
/// are named with, in Latin letters, then Cyrillic, then English as Russian writes it (Намчонган Трейдинг).
pub const ORGANISATION_WORDS: &str = "
    bank banking banque banco trading trade traders group holdings industries industry industrial enterprise
    enterprises shipping maritime navigation airlines airways aviation logistics transport services solutions
    technology technologies systems investment investments capital finance financial fund foundation association
    institute university academy ministry department bureau committee agency office organization organisation
    council commission party army brigade battalion regiment corps movement union federation centre center factory
    works mining petroleum energy chemical chemicals electronics machinery engineering construction development
    exchange partners partnership hotel import export cooperative associates consulting management directorate
    authority administration charity hospital insurance commercial cargo freight establishment muyok muyeok unhaeng
    банк фирма предприятие завод комбинат холдинг группа объединение кооператив трест концерн фонд ассоциация
    министерство управление комитет агентство институт университет центр бюро
    трейдинг шиппинг групп бэнк холдингс
";

/// Word endings, in Hangul or Chinese characters, that make a name an organisation's: Korean and Chinese
/// names of organisations are written without spaces (조선광선은행). An ending counts only when the name has
/// at least two more characters: a Korean or Chinese personal name has two to four, so 김은행 or 이상사 stays a
/// name, and a personal name of four characters ending so (a two-syllable surname and a given name 은행) is
/// not one anyone has. Korean, then Chinese and Japanese. Left out: single characters (부, 성, 국, 당: also surnames and given-name syllables),
/// 연구원 (also "researcher"), 지사 (also "governor").
pub const ORGANISATION_ENDINGS: &str = "
    회사 총회사 무역 은행 공사 련합 연합 상사 총국 위원회 기업소 기업 공장 그룹 협회 재단 센터 상회 해운
    합영 대학 연구소 광산
    公司 银行 銀行 集团 集團 贸易 貿易 会社 會社
";

/// Word endings in Latin or Cyrillic letters (Sberbank, Газпромбанк), counted on words of at least six letters.
pub const ORGANISATION_WORD_ENDINGS: &str = "bank банк";

/// Quotation marks that set off a company's name in Russian and Ukrainian (ООО «Мокран»).
const ORGANISATION_QUOTES: &[char] = &['«', '»', '„'];

/// Why a query's kind was inferred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// A word of its name, as written (`LLC`, `ООО`, `Газпромбанк`), an ending (`은행`), or a quotation mark (`«`).
    Word(String),
    /// A field only a person has (`date_of_birth`, `gender`, `first_name`...).
    Field(&'static str),
}

/// How a query's kind was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum KindChoice {
    /// Given: the queries file's `schema` column, or the project entity's schema.
    Given,
    /// Inferred from the query's name or fields.
    Inferred {
        /// What it was inferred from.
        #[serde(flatten)]
        evidence: Evidence,
    },
    /// Neither given nor clear: screened against entries of every kind, the best candidates kept.
    BothTried,
}

impl KindChoice {
    /// In words: `given`, `inferred from "LLC"`, `inferred from date_of_birth`, `both tried`.
    pub fn describe(&self) -> String {
        match self {
            KindChoice::Given => "given".into(),
            KindChoice::Inferred { evidence: Evidence::Word(word) } => format!("inferred from \"{word}\""),
            KindChoice::Inferred { evidence: Evidence::Field(field) } => format!("inferred from {field}"),
            KindChoice::BothTried => "both tried".into(),
        }
    }
}

/// One word of a name as written, and folded for comparing.
struct Token<'a> {
    written: &'a str,
    folded: String,
}

/// The words of a name: runs of letters and digits (apostrophes inside a word kept), everything else a
/// boundary; runs of three or more single letters joined (L.L.C. is `llc`).
fn tokens(name: &str) -> Vec<Token<'_>> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (at, c) in name.char_indices() {
        let inside = c.is_alphanumeric() || (start.is_some() && matches!(c, '\'' | '’' | 'ʼ'));
        match (inside, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                spans.push((from, at));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        spans.push((from, name.len()));
    }
    let fold = |text: &str| words(text).pieces().collect::<String>();
    let single = |(from, to): (usize, usize)| name[from..to].chars().count() == 1;
    let mut out = Vec::new();
    let mut at = 0;
    while at < spans.len() {
        let run = spans[at..].iter().take_while(|s| single(**s)).count();
        if run >= 3 {
            let (from, to) = (spans[at].0, spans[at + run - 1].1);
            let folded: String = spans[at..at + run].iter().map(|(f, t)| fold(&name[*f..*t])).collect();
            out.push(Token { written: &name[from..to], folded });
            at += run;
        } else {
            let (from, to) = spans[at];
            out.push(Token { written: &name[from..to], folded: fold(&name[from..to]) });
            at += 1;
        }
    }
    out
}

fn is_hangul_or_han(c: char) -> bool {
    hangul::is_syllable(c) || ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// The kind a name makes clear, and why: an organisation's word or ending, or «quotes»; `None` when the name
/// does not say.
pub fn infer_from_name(name: &str) -> Option<(EntityKind, Evidence)> {
    let tokens = tokens(name);
    let organisation = |word: &str| Some((EntityKind::Organization, Evidence::Word(word.to_string())));
    for table in [LEGAL_FORMS, ORGANISATION_WORDS] {
        if let Some(token) = tokens.iter().find(|t| table.split_whitespace().any(|w| w == t.folded)) {
            return organisation(token.written);
        }
    }
    for token in &tokens {
        let letters = token.folded.chars().count();
        if letters >= 6 && ORGANISATION_WORD_ENDINGS.split_whitespace().any(|e| token.folded.ends_with(e)) {
            return organisation(token.written);
        }
    }
    let characters = name.chars().filter(|c| is_hangul_or_han(*c)).count();
    for token in &tokens {
        if let Some(ending) = ORGANISATION_ENDINGS.split_whitespace().find(|e| token.written.ends_with(e))
            && characters >= ending.chars().count() + 2
        {
            return organisation(ending);
        }
    }
    let quote = name.chars().find(|c| ORGANISATION_QUOTES.contains(c))?;
    organisation(&quote.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str) -> String {
        match infer_from_name(name) {
            Some((kind, evidence)) => format!("{} {}", kind.schema(), KindChoice::Inferred { evidence }.describe()),
            None => "both tried".into(),
        }
    }

    #[test]
    fn organisations_are_told_by_their_words_in_any_script() {
        assert_eq!(check("Mokran LLC"), "Organization inferred from \"LLC\"");
        assert_eq!(check("MOKRAN, L.L.C."), "Organization inferred from \"L.L.C\"");
        assert_eq!(
            check("Korea General Corporation for External Construction"),
            "Organization inferred from \"Corporation\""
        );
        assert_eq!(check("ООО «Мокран»"), "Organization inferred from \"ООО\"");
        assert_eq!(check("«Мокран»"), "Organization inferred from \"«\"");
        assert_eq!(check("Газпромбанк"), "Organization inferred from \"Газпромбанк\"");
        assert_eq!(check("Société Générale Banque"), "Organization inferred from \"Banque\"");
        assert_eq!(check("조선광선은행"), "Organization inferred from \"은행\"");
        assert_eq!(check("주식회사 대성"), "Organization inferred from \"회사\"");
        assert_eq!(check("中国银行"), "Organization inferred from \"银行\"");
    }

    #[test]
    fn personal_names_are_not_taken_for_organisations() {
        // Korean and Chinese personal names of two or three characters, even ending like an organisation.
        for name in ["김철", "김은행", "이상사", "박공사", "김 은행", "王公司"] {
            assert!(!check(name).starts_with("Organization"), "{name}: {}", check(name));
        }
        // Initials are not legal forms (S.A., A.G.); two of them are not joined. Words that are also personal
        // names are no evidence.
        for name in
            ["KHAN, S. A.", "Patricia Lucas Wheeler", "George Holding", "Marine Durand", "Zaldy Co", "PAO, Yu Yi"]
        {
            assert_eq!(check(name), "both tried", "{name}");
        }
        // A Korean personal name is not taken for a person: DPRK vessels bear such names (CHONG BONG).
        for name in ["김철", "KIM, Jong Un", "Ким Чен Ын", "CHONG BONG"] {
            assert_eq!(check(name), "both tried", "{name}");
        }
        assert_eq!(check("Черноморнефтегаз"), "both tried");
        // A long Hangul name that is no personal name and has no organisation's word.
        assert_eq!(check("조선광선"), "both tried");
    }
}
