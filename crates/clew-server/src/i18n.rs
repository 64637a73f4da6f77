//! The application's languages: English, Korean and Russian. Messages come from Project Fluent files embedded
//! in the binary (`i18n/*.ftl`); their ids are the `Msg` enum made by build.rs, so a missing message does not
//! compile. Numbers and dates are written the way each language writes them.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// A language of the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    En,
    /// Korean.
    Ko,
    /// Russian.
    Ru,
}

const SOURCES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../i18n/en.ftl")),
    (Lang::Ko, include_str!("../i18n/ko.ftl")),
    (Lang::Ru, include_str!("../i18n/ru.ftl")),
];

impl Lang {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ko, Lang::Ru];

    /// Its BCP 47 tag (`lang` attributes, cookies, URLs).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
            Lang::Ru => "ru",
        }
    }

    /// The language a tag names (`ko`, `ru-RU`, `EN`), if it is one of clew's.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }

    /// Its own name for itself (what the switcher shows, whatever the page's language).
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ko => "한국어",
            Lang::Ru => "Русский",
        }
    }

    /// The language a browser's `Accept-Language` prefers among clew's (highest quality first, the first listed
    /// on a tie), or English.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for item in accept_language.split(',').take(32) {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else { continue };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .filter(|q| q.is_finite())
                .unwrap_or(1.0);
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang).unwrap_or(Lang::En)
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();
        let bundles = BUNDLES.get_or_init(|| {
            SOURCES
                .iter()
                .map(|(lang, text)| {
                    let tag: unic_langid::LanguageIdentifier =
                        lang.tag().parse().unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
                    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
                    // The pages are left to right in all three languages; isolation marks would show in titles.
                    bundle.set_use_isolating(false);
                    // A syntax error is caught by the test that formats every message; keep what parsed.
                    let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, _)| partial);
                    let _ = bundle.add_resource(resource);
                    bundle
                })
                .collect()
        });
        &bundles[Lang::ALL.iter().position(|l| *l == self).unwrap_or(0)]
    }

    /// A message in this language.
    pub fn t(self, msg: Msg) -> String {
        self.format(msg, None)
    }

    /// A message with arguments (`$name` in the Fluent text); numbers given as `i64` choose plural forms.
    pub fn tr(self, msg: Msg, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent.set(*name, FluentValue::from(*text)),
                Arg::Count(n) => fluent.set(*name, FluentValue::from(*n)),
            }
        }
        self.format(msg, Some(&fluent))
    }

    fn format(self, msg: Msg, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(msg.id()).and_then(|m| m.value()) else {
            return msg.id().to_string();
        };
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// A count written as the language writes it: `12,345` in English and Korean, `12 345` in Russian.
    pub fn number(self, n: u64) -> String {
        let digits = n.to_string();
        let separator = match self {
            Lang::En | Lang::Ko => ",",
            Lang::Ru => "\u{a0}",
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(c);
        }
        out
    }

    /// A number with `places` decimals, its digits grouped as [`Lang::number`] groups them and the decimal
    /// mark the language's (`1,234.5`, `1 234,5`).
    pub fn decimal(self, value: f64, places: usize) -> String {
        if !value.is_finite() {
            return value.to_string();
        }
        let text = format!("{:.*}", places, value.abs());
        let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
        let grouped = whole.parse::<u64>().map_or_else(|_| whole.to_string(), |n| self.number(n));
        // No minus before a value that rounds to zero.
        let sign = if value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') { "-" } else { "" };
        let mark = match self {
            Lang::En | Lang::Ko => ".",
            Lang::Ru => ",",
        };
        match fraction {
            Some(fraction) => format!("{sign}{grouped}{mark}{fraction}"),
            None => format!("{sign}{grouped}"),
        }
    }

    /// An amount of money with its ISO 4217 currency: in whole units, or with cents when it has them
    /// (`45,000 RUB`, `312.50 USD`, `45 000 RUB`).
    pub fn money(self, amount: f64, currency: &str) -> String {
        let places = if (amount - amount.round()).abs() < 0.005 { 0 } else { 2 };
        format!("{}\u{a0}{currency}", self.decimal(amount, places))
    }

    /// A sum in US dollars, to the dollar: what converted amounts are shown as (their rates are monthly means).
    pub fn usd(self, amount: f64) -> String {
        self.money(amount.round(), "USD")
    }

    /// A share (0..=1) as a percentage with one decimal (`12.5%`, `12,5 %`).
    pub fn percent(self, share: f64) -> String {
        let text = format!("{:.1}", share * 100.0);
        match self {
            Lang::En | Lang::Ko => format!("{text}%"),
            Lang::Ru => format!("{}\u{a0}%", text.replace('.', ",")),
        }
    }

    /// A date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`, or the date part of an RFC 3339 time) as the language writes
    /// it; anything else is returned as it is.
    pub fn date(self, text: &str) -> String {
        let date = text.get(..10).filter(|_| text.len() > 10 && text.as_bytes()[10] == b'T').unwrap_or(text);
        let parts: Vec<&str> = date.split('-').collect();
        let number = |s: &str| s.parse::<u32>().ok();
        let (year, month, day) = match parts.as_slice() {
            [y] => (number(y), None, None),
            [y, m] => (number(y), number(m), None),
            [y, m, d] => (number(y), number(m), number(d)),
            _ => return text.to_string(),
        };
        let Some(year) = year.filter(|_| parts[0].len() == 4) else { return text.to_string() };
        let month = match month {
            Some(m @ 1..=12) => Some(m as usize),
            Some(_) => return text.to_string(),
            None => None,
        };
        let day = match day {
            Some(d @ 1..=31) => Some(d),
            Some(_) => return text.to_string(),
            None => None,
        };
        const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        const RU_GENITIVE: [&str; 12] = [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ];
        const RU: [&str; 12] = [
            "январь",
            "февраль",
            "март",
            "апрель",
            "май",
            "июнь",
            "июль",
            "август",
            "сентябрь",
            "октябрь",
            "ноябрь",
            "декабрь",
        ];
        match (self, month, day) {
            (Lang::En, Some(m), Some(d)) => format!("{d} {} {year}", EN[m - 1]),
            (Lang::En, Some(m), None) => format!("{} {year}", EN[m - 1]),
            (Lang::Ko, Some(m), Some(d)) => format!("{year}년 {m}월 {d}일"),
            (Lang::Ko, Some(m), None) => format!("{year}년 {m}월"),
            (Lang::Ko, None, _) => format!("{year}년"),
            (Lang::Ru, Some(m), Some(d)) => format!("{d} {} {year}\u{a0}г.", RU_GENITIVE[m - 1]),
            (Lang::Ru, Some(m), None) => format!("{} {year}\u{a0}г.", RU[m - 1]),
            (Lang::Ru, None, _) => format!("{year}\u{a0}г."),
            (Lang::En, None, _) => year.to_string(),
        }
    }

    /// An RFC 3339 time as a date and the time of day (UTC, minutes).
    pub fn time(self, text: &str) -> String {
        match text.get(11..16) {
            Some(clock) if text.len() >= 16 && text.as_bytes()[10] == b'T' => {
                format!("{} {clock} UTC", self.date(text))
            }
            _ => self.date(text),
        }
    }
}

/// A value for a message's placeable.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// Text, inserted as it is (HTML escaping happens where the message is put into a page).
    Text(&'a str),
    /// A number, which also chooses a plural form.
    Count(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_and_formats_in_every_language() {
        for (lang, text) in SOURCES {
            let parsed = FluentResource::try_new(text.to_string());
            assert!(parsed.is_ok(), "i18n/{}.ftl has syntax errors: {:?}", lang.tag(), parsed.err().map(|e| e.1));
            for msg in Msg::ALL {
                let bundle = lang.bundle();
                let message = bundle.get_message(msg.id());
                assert!(message.and_then(|m| m.value()).is_some(), "{}: `{}` has no value", lang.tag(), msg.id());
            }
        }
    }

    #[test]
    fn every_message_uses_the_same_variables_in_every_language() {
        fn variables(text: &str, id: &str) -> std::collections::BTreeSet<String> {
            let start = text.lines().position(|l| l.split('=').next().map(str::trim_end) == Some(id));
            let Some(start) = start else { return Default::default() };
            let mut body = String::new();
            for (i, line) in text.lines().enumerate().skip(start) {
                if i > start && !line.starts_with(' ') && !line.starts_with('}') && !line.is_empty() {
                    break;
                }
                body.push_str(line);
            }
            body.split('$')
                .skip(1)
                .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect())
                .collect()
        }
        for msg in Msg::ALL {
            let english = variables(SOURCES[0].1, msg.id());
            for (lang, text) in &SOURCES[1..] {
                assert_eq!(variables(text, msg.id()), english, "{}: `{}`", lang.tag(), msg.id());
            }
        }
    }

    #[test]
    fn the_browser_language_is_honoured() {
        assert_eq!(Lang::negotiate("ko-KR,ko;q=0.9,en-US;q=0.8"), Lang::Ko);
        assert_eq!(Lang::negotiate("de-DE,ru;q=0.7,en;q=0.5"), Lang::Ru);
        assert_eq!(Lang::negotiate("en;q=0.2, ru;q=0.9"), Lang::Ru);
        assert_eq!(Lang::negotiate("fr, de"), Lang::En);
        assert_eq!(Lang::negotiate("ko;q=0"), Lang::En);
        assert_eq!(Lang::negotiate(""), Lang::En);
    }

    #[test]
    fn numbers_and_dates_are_written_per_language() {
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::Ru.number(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(Lang::Ko.number(999), "999");
        assert_eq!(Lang::En.date("2019-03-07"), "7 Mar 2019");
        assert_eq!(Lang::Ko.date("2019-03-07"), "2019년 3월 7일");
        assert_eq!(Lang::Ru.date("2019-03-07"), "7 марта 2019\u{a0}г.");
        assert_eq!(Lang::Ru.date("2019-03"), "март 2019\u{a0}г.");
        assert_eq!(Lang::Ko.time("2026-12-06T19:04:49Z"), "2026년 12월 6일 19:04 UTC");
        assert_eq!(Lang::En.date("not a date"), "not a date");
        assert_eq!(Lang::En.date("2019-13-01"), "2019-13-01");
        assert_eq!(Lang::Ru.percent(0.125), "12,5\u{a0}%");
        assert_eq!(Lang::En.decimal(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(Lang::Ru.decimal(-1_234.5, 1), "-1\u{a0}234,5");
        assert_eq!(Lang::En.decimal(-0.001, 1), "0.0");
        assert_eq!(Lang::En.money(45_000.0, "RUB"), "45,000\u{a0}RUB");
        assert_eq!(Lang::Ru.money(312.5, "USD"), "312,50\u{a0}USD");
        assert_eq!(Lang::Ko.usd(1_234_567.6), "1,234,568\u{a0}USD");
    }

    #[test]
    fn plural_forms_follow_the_language() {
        let one = Lang::Ru.tr(Msg::CountTestimonies, &[("count", Arg::Count(1))]);
        let few = Lang::Ru.tr(Msg::CountTestimonies, &[("count", Arg::Count(3))]);
        let many = Lang::Ru.tr(Msg::CountTestimonies, &[("count", Arg::Count(5))]);
        assert!(one != few && few != many, "{one} / {few} / {many}");
    }
}
