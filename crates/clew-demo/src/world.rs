//! The fictional world the demo's witnesses worked in: places, sectors, the Russian companies (each with one
//! sector and one city), their worksites, the DPRK trading companies that dispatch workers to them, each
//! site's security minder, and Korean names. A company's sector and city, and a site's company, follow from
//! their numbers and the seed alone, so every testimony that names them agrees.

use std::sync::LazyLock;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::rates::Month;

/// A city where workers are sent: region, names (Korean, English, Russian), how its pay compares with the
/// Far East's (Moscow and St Petersburg pay more), and where it is.
pub(crate) struct Place {
    pub(crate) region: &'static str,
    pub(crate) ko: &'static str,
    pub(crate) en: &'static str,
    pub(crate) ru: &'static str,
    pub(crate) pay: f64,
    /// The city's latitude and longitude, degrees north and east (public geography, to 0.01 degree), for the
    /// map of worksites: each site is placed near its city's centre.
    pub(crate) lat: f64,
    /// See `lat`.
    pub(crate) lon: f64,
}

pub(crate) const PLACES: [Place; 14] = [
    Place {
        region: "Primorsky Krai",
        ko: "블라디보스토크",
        en: "Vladivostok",
        ru: "Владивосток",
        pay: 1.0,
        lat: 43.12,
        lon: 131.89,
    },
    Place {
        region: "Primorsky Krai",
        ko: "우수리스크",
        en: "Ussuriysk",
        ru: "Уссурийск",
        pay: 0.95,
        lat: 43.8,
        lon: 131.95,
    },
    Place {
        region: "Primorsky Krai", ko: "나홋카", en: "Nakhodka", ru: "Находка", pay: 0.95, lat: 42.82, lon: 132.89
    },
    Place {
        region: "Khabarovsk Krai",
        ko: "하바롭스크",
        en: "Khabarovsk",
        ru: "Хабаровск",
        pay: 1.0,
        lat: 48.48,
        lon: 135.07,
    },
    Place {
        region: "Khabarovsk Krai",
        ko: "체그도민",
        en: "Chegdomyn",
        ru: "Чегдомын",
        pay: 0.9,
        lat: 51.12,
        lon: 133.02,
    },
    Place { region: "Amur Oblast", ko: "틴다", en: "Tynda", ru: "Тында", pay: 0.9, lat: 55.15, lon: 124.73 },
    Place {
        region: "Amur Oblast",
        ko: "블라고베셴스크",
        en: "Blagoveshchensk",
        ru: "Благовещенск",
        pay: 0.9,
        lat: 50.29,
        lon: 127.53,
    },
    Place { region: "Moscow", ko: "모스크바", en: "Moscow", ru: "Москва", pay: 1.3, lat: 55.76, lon: 37.62 },
    Place {
        region: "Saint Petersburg",
        ko: "상트페테르부르크",
        en: "St Petersburg",
        ru: "Санкт-Петербург",
        pay: 1.2,
        lat: 59.94,
        lon: 30.31,
    },
    Place {
        region: "Sakhalin Oblast",
        ko: "유즈노사할린스크",
        en: "Yuzhno-Sakhalinsk",
        ru: "Южно-Сахалинск",
        pay: 1.1,
        lat: 46.96,
        lon: 142.74,
    },
    Place {
        region: "Novosibirsk Oblast",
        ko: "노보시비르스크",
        en: "Novosibirsk",
        ru: "Новосибирск",
        pay: 0.95,
        lat: 55.03,
        lon: 82.92,
    },
    Place {
        region: "Kursk Oblast", ko: "쿠르스크", en: "Kursk", ru: "Курск", pay: 1.05, lat: 51.73, lon: 36.19
    },
    Place {
        region: "Republic of Tatarstan",
        ko: "옐라부가",
        en: "Yelabuga",
        ru: "Елабуга",
        pay: 1.0,
        lat: 55.76,
        lon: 52.05,
    },
    Place {
        region: "Primorsky Krai", ko: "아르툠", en: "Artyom", ru: "Артём", pay: 0.95, lat: 43.36, lon: 132.19
    },
];

// Indices into PLACES, for the sectors' lists below.
const VLADIVOSTOK: usize = 0;
const USSURIYSK: usize = 1;
const NAKHODKA: usize = 2;
const KHABAROVSK: usize = 3;
const CHEGDOMYN: usize = 4;
const TYNDA: usize = 5;
const BLAGOVESHCHENSK: usize = 6;
const MOSCOW: usize = 7;
const ST_PETERSBURG: usize = 8;
const SAKHALIN: usize = 9;
const NOVOSIBIRSK: usize = 10;
const KURSK: usize = 11;
const YELABUGA: usize = 12;
const ARTYOM: usize = 13;

/// A sector: its code, words (Korean, English; Russian for a site), its share of the companies, how its pay
/// compares with construction's, and the cities its companies are in (with weights). Construction is
/// everywhere, with the Far East first; logging is in the old camps of Amur and Khabarovsk; fishing, seafood
/// and ship repair in the ports; services and IT in the big cities; military construction and demining in
/// Kursk.
pub(crate) struct Sector {
    pub(crate) code: &'static str,
    pub(crate) ko: &'static str,
    pub(crate) en: &'static str,
    pub(crate) ru_site: &'static str,
    pub(crate) company_weight: u32,
    pub(crate) pay: f64,
    pub(crate) places: &'static [(usize, u32)],
    /// Work in this sector began only in this month (military construction after the Kursk fighting).
    pub(crate) from: Month,
}

pub(crate) const CONSTRUCTION: usize = 0;
pub(crate) const LOGGING: usize = 1;
pub(crate) const MILITARY_CONSTRUCTION: usize = 9;
pub(crate) const DEMINING: usize = 10;

pub(crate) const SECTORS: [Sector; 11] = [
    Sector {
        code: "construction",
        ko: "건설",
        en: "construction",
        ru_site: "стройплощадка",
        company_weight: 50,
        pay: 1.0,
        places: &[
            (VLADIVOSTOK, 30),
            (USSURIYSK, 5),
            (ARTYOM, 3),
            (KHABAROVSK, 10),
            (BLAGOVESHCHENSK, 4),
            (TYNDA, 2),
            (MOSCOW, 17),
            (ST_PETERSBURG, 9),
            (SAKHALIN, 6),
            (NOVOSIBIRSK, 8),
            (YELABUGA, 2),
        ],
        from: 0,
    },
    Sector {
        code: "logging",
        ko: "벌목",
        en: "logging",
        ru_site: "лесоучасток",
        company_weight: 10,
        pay: 0.85,
        places: &[(TYNDA, 45), (CHEGDOMYN, 45), (KHABAROVSK, 10)],
        from: 0,
    },
    Sector {
        code: "agriculture",
        ko: "농업",
        en: "farm",
        ru_site: "ферма",
        company_weight: 5,
        pay: 0.75,
        places: &[(USSURIYSK, 40), (BLAGOVESHCHENSK, 30), (KHABAROVSK, 20), (ARTYOM, 10)],
        from: 0,
    },
    Sector {
        code: "seafood_processing",
        ko: "수산물 가공",
        en: "seafood processing",
        ru_site: "рыбозавод",
        company_weight: 6,
        pay: 0.8,
        places: &[(NAKHODKA, 40), (VLADIVOSTOK, 30), (SAKHALIN, 30)],
        from: 0,
    },
    Sector {
        code: "fishing",
        ko: "어업",
        en: "fishing",
        ru_site: "судно",
        company_weight: 3,
        pay: 0.95,
        places: &[(NAKHODKA, 40), (VLADIVOSTOK, 30), (SAKHALIN, 30)],
        from: 0,
    },
    Sector {
        code: "shipbuilding",
        ko: "선박 수리",
        en: "ship repair",
        ru_site: "верфь",
        company_weight: 3,
        pay: 1.05,
        places: &[(VLADIVOSTOK, 60), (NAKHODKA, 40)],
        from: 0,
    },
    Sector {
        code: "services",
        ko: "봉사",
        en: "service",
        ru_site: "объект обслуживания",
        company_weight: 8,
        pay: 0.8,
        places: &[(MOSCOW, 35), (ST_PETERSBURG, 20), (VLADIVOSTOK, 35), (KHABAROVSK, 10)],
        from: 0,
    },
    Sector {
        code: "manufacturing",
        ko: "공장",
        en: "factory",
        ru_site: "цех",
        company_weight: 7,
        pay: 0.9,
        places: &[(YELABUGA, 30), (VLADIVOSTOK, 25), (MOSCOW, 25), (NOVOSIBIRSK, 20)],
        from: 0,
    },
    Sector {
        code: "it",
        ko: "IT",
        en: "IT",
        ru_site: "офис",
        company_weight: 4,
        pay: 1.6,
        places: &[(MOSCOW, 50), (ST_PETERSBURG, 25), (VLADIVOSTOK, 25)],
        from: 0,
    },
    Sector {
        code: "military_construction",
        ko: "군사 건설",
        en: "military construction",
        ru_site: "военный объект",
        company_weight: 3,
        pay: 1.1,
        places: &[(KURSK, 100)],
        from: crate::rates::month_of(2024, 9),
    },
    Sector {
        code: "demining",
        ko: "지뢰 제거",
        en: "demining",
        ru_site: "участок разминирования",
        company_weight: 1,
        pay: 1.3,
        places: &[(KURSK, 100)],
        from: crate::rates::month_of(2025, 1),
    },
];

/// Korean surnames (Hangul, DPRK-style romanization) with rough weights.
const SURNAMES: [(&str, &str, u32); 10] = [
    ("김", "Kim", 22),
    ("리", "Ri", 15),
    ("박", "Pak", 9),
    ("최", "Choe", 5),
    ("정", "Jong", 5),
    ("강", "Kang", 3),
    ("조", "Jo", 2),
    ("윤", "Yun", 2),
    ("장", "Jang", 2),
    ("한", "Han", 2),
];

/// Given-name syllables (Hangul, romanization).
const SYLLABLES: [(&str, &str); 14] = [
    ("철", "Chol"),
    ("명", "Myong"),
    ("수", "Su"),
    ("호", "Ho"),
    ("일", "Il"),
    ("남", "Nam"),
    ("혁", "Hyok"),
    ("성", "Song"),
    ("광", "Kwang"),
    ("영", "Yong"),
    ("진", "Jin"),
    ("국", "Kuk"),
    ("룡", "Ryong"),
    ("학", "Hak"),
];

/// Words for invented company names (Latin transliteration, Russian).
pub(crate) const COMPANY_WORDS: [(&str, &str); 12] = [
    ("Severny Most", "Северный Мост"),
    ("Vostok Kamen", "Восток Камень"),
    ("Zolotaya Dolina", "Золотая Долина"),
    ("Sinyaya Gora", "Синяя Гора"),
    ("Tikhy Bereg", "Тихий Берег"),
    ("Krasny Les", "Красный Лес"),
    ("Beloye More", "Белое Море"),
    ("Novy Dom", "Новый Дом"),
    ("Yasny Put", "Ясный Путь"),
    ("Dalny Svet", "Дальний Свет"),
    ("Stalnaya Reka", "Стальная Река"),
    ("Tayozhny Kray", "Таёжный Край"),
];

/// Words for invented DPRK trading companies (romanized, Hangul).
pub(crate) const DPRK_WORDS: [(&str, &str); 8] = [
    ("Ryonghung", "룡흥"),
    ("Pyolbit", "별빛"),
    ("Chongsong", "청송"),
    ("Manpung", "만풍"),
    ("Sinhung", "신흥"),
    ("Taedong", "대동"),
    ("Unha", "은하"),
    ("Mirae", "미래"),
];

pub(crate) const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How many worksites each company has.
pub(crate) const SITES_PER_COMPANY: u64 = 3;

/// How many companies and DPRK entities a demo of `n` testimonies shares among its testimonies (each
/// company has [`SITES_PER_COMPANY`] sites).
pub(crate) fn pool_sizes(n: u64) -> (u64, u64) {
    ((n / 25).max(3), (n / 400).clamp(3, 40))
}

/// The random generator of one testimony (or of another stream, with the seed changed).
pub(crate) fn rng_for(seed: u64, index: u64) -> ChaCha8Rng {
    use rand::SeedableRng;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

/// One of `items`, by weight; with no allocation (the generator makes millions of choices).
pub(crate) fn pick<'a, T>(rng: &mut impl Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    if total == 0 {
        return &items[0];
    }
    let mut draw = rng.random_range(0..total);
    for item in items {
        let w = weight(item);
        if draw < w {
            return item;
        }
        draw -= w;
    }
    &items[items.len() - 1]
}

/// A value from a list of (value, weight).
pub(crate) fn choose<T: Copy>(rng: &mut impl Rng, items: &[(T, u32)]) -> T {
    pick(rng, items, |item| item.1).0
}

/// A number in [0, 1) that depends only on its arguments (for what must be the same in every testimony: a
/// company's city, a company's dispatcher).
fn unit(seed: u64, purpose: u64, n: u64) -> f64 {
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    (mix(seed ^ mix(purpose ^ mix(n))) >> 11) as f64 / (1u64 << 53) as f64
}

/// The sector of each of 100 company numbers (a company's sector is that of its number modulo 100), spread
/// by smooth weighted round robin so that the first few companies of a small demo already differ.
static SECTOR_SLOTS: LazyLock<[u8; 100]> = LazyLock::new(|| {
    let total: i64 = SECTORS.iter().map(|s| i64::from(s.company_weight)).sum();
    let mut current = [0i64; SECTORS.len()];
    let mut slots = [0u8; 100];
    for slot in slots.iter_mut() {
        for (value, sector) in current.iter_mut().zip(&SECTORS) {
            *value += i64::from(sector.company_weight);
        }
        let best = (0..SECTORS.len()).max_by_key(|&i| (current[i], std::cmp::Reverse(i))).unwrap_or(0);
        current[best] -= total;
        *slot = best as u8;
    }
    slots
});

/// For each sector, the slots (company numbers modulo 100) of its companies.
static SLOTS_OF_SECTOR: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    (0..SECTORS.len())
        .map(|sector| (0..100u8).filter(|&slot| usize::from(SECTOR_SLOTS[usize::from(slot)]) == sector).collect())
        .collect()
});

/// A company's sector (an index into [`SECTORS`]).
pub(crate) fn company_sector(company: u64) -> usize {
    usize::from(SECTOR_SLOTS[(company % 100) as usize])
}

/// A company's city (an index into [`PLACES`]), one of its sector's cities.
pub(crate) fn company_place(seed: u64, company: u64) -> usize {
    let places = SECTORS[company_sector(company)].places;
    let total: u32 = places.iter().map(|p| p.1).sum();
    let mut draw = (unit(seed, 0x0070_6c61_6365, company) * f64::from(total)) as u32;
    for &(place, weight) in places {
        if draw < weight {
            return place;
        }
        draw -= weight;
    }
    places[places.len() - 1].0
}

/// The DPRK entity that supplies a company with workers.
pub(crate) fn company_dispatcher(seed: u64, company: u64, dprk_entities: u64) -> u64 {
    (unit(seed, 0x6469_7370_6174_6368, company) * dprk_entities as f64) as u64 % dprk_entities.max(1)
}

/// A company employing in `sector`, chosen so that the first companies of each sector employ more workers
/// than the last; `None` when a demo this small has no company in the sector.
pub(crate) fn company_in_sector(rng: &mut impl Rng, sector: usize, companies: u64) -> Option<u64> {
    let slots = &SLOTS_OF_SECTOR[sector];
    if slots.is_empty() {
        return None;
    }
    let blocks = companies.div_ceil(100);
    for _ in 0..8 {
        let slot = u64::from(slots[rng.random_range(0..slots.len())]);
        let skewed: f64 = rng.random::<f64>().powf(1.5);
        let block = ((skewed * blocks as f64) as u64).min(blocks - 1);
        let company = block * 100 + slot;
        if company < companies {
            return Some(company);
        }
    }
    // A small demo: its few companies, in order.
    slots.iter().map(|&slot| u64::from(slot)).find(|&company| company < companies)
}

/// Any company whose sector already existed in `month` (military construction did not before the Kursk
/// fighting).
pub(crate) fn company_open_in(rng: &mut impl Rng, month: Month, companies: u64) -> u64 {
    for _ in 0..16 {
        let company = rng.random_range(0..companies);
        if SECTORS[company_sector(company)].from <= month {
            return company;
        }
    }
    // Company 0 is in construction, which is always open.
    0
}

/// Names the demo never gives anyone: those of the syllables above that are names of real people on the UN and
/// OFAC lists (as shipped for tests in `crates/clew-screen/test_data/lists/`) or of DPRK public figures. A demo
/// minder "watches the workers": that must never be said of a real person, even by chance. `tests/field.rs`
/// checks every name the demo can make against those lists.
pub const NEVER_GENERATED: [&str; 34] = [
    "최성일",
    "최성남",
    "장명진",
    "장성철",
    "조철성",
    "정영수",
    "조영철",
    "강철학",
    "강철수",
    "강명철",
    "강성남",
    "김철남",
    "김학성",
    "김혁철",
    "김일남",
    "김광혁",
    "김광일",
    "김성철",
    "김수일",
    "김수광",
    "김영철",
    "김영남",
    "김영수",
    "박철남",
    "박진혁",
    "박광호",
    "리호남",
    "리명수",
    "리성철",
    "리성혁",
    "리수영",
    "리영철",
    "리영호",
    "윤호진",
];

/// A Korean name in Hangul and in Latin letters, never one of [`NEVER_GENERATED`].
pub(crate) fn korean_name(rng: &mut impl Rng) -> (String, String) {
    loop {
        let (surname_ko, surname_en, _) = *pick(rng, &SURNAMES, |s| s.2);
        let first = SYLLABLES[rng.random_range(0..SYLLABLES.len())];
        let second = SYLLABLES[rng.random_range(0..SYLLABLES.len())];
        let hangul = format!("{surname_ko}{}{}", first.0, second.0);
        if NEVER_GENERATED.contains(&hangul.as_str()) {
            continue;
        }
        let latin = format!("{surname_en} {}{}", first.1, second.1.to_lowercase());
        return (hangul, latin);
    }
}

/// Every name [`korean_name`] can make, Hangul and Latin (for tests).
pub fn possible_korean_names() -> Vec<(String, String)> {
    let mut names = Vec::new();
    for (surname_ko, surname_en, _) in SURNAMES {
        for first in SYLLABLES {
            for second in SYLLABLES {
                let hangul = format!("{surname_ko}{}{}", first.0, second.0);
                if !NEVER_GENERATED.contains(&hangul.as_str()) {
                    names.push((hangul, format!("{surname_en} {}{}", first.1, second.1.to_lowercase())));
                }
            }
        }
    }
    names
}

/// The security minder of a site: the same (fictional) person in every testimony from the site, so that the
/// demo holds people named in several testimonies for linkage to find; with the year of birth witnesses give.
pub(crate) fn site_minder(seed: u64, site: u64) -> (String, String, u16) {
    // A stream of its own, apart from the testimonies' (which are numbered from 0 up).
    let mut rng = rng_for(seed ^ 0x6d69_6e64_6572, site);
    let (hangul, latin) = korean_name(&mut rng);
    (hangul, latin, rng.random_range(1965..=1990))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sector_has_companies_and_small_demos_mix_sectors() {
        for sector in 0..SECTORS.len() {
            assert!(!SLOTS_OF_SECTOR[sector].is_empty(), "{}", SECTORS[sector].code);
        }
        assert_eq!(company_sector(0), CONSTRUCTION, "company 0, which the tour shows, builds");
        let first: std::collections::BTreeSet<usize> = (0..6).map(company_sector).collect();
        assert!(first.len() >= 3, "{first:?}");
        for company in 0..500 {
            let place = company_place(7, company);
            assert!(SECTORS[company_sector(company)].places.iter().any(|p| p.0 == place));
        }
    }

    #[test]
    fn every_place_is_in_russia() {
        // Russia's bounding box west of 180 (Kaliningrad to the Bering Strait, the Caucasus to the Arctic).
        for place in &PLACES {
            assert!((41.1..=82.0).contains(&place.lat), "{}: {}", place.en, place.lat);
            assert!((19.6..=180.0).contains(&place.lon), "{}: {}", place.en, place.lon);
        }
        // The Far East is east of Moscow, St Petersburg north of it; Vladivostok the southernmost but Nakhodka.
        let at = |en: &str| PLACES.iter().find(|p| p.en == en).map(|p| (p.lat, p.lon)).unwrap();
        assert!(at("Vladivostok").1 > at("Novosibirsk").1 && at("Novosibirsk").1 > at("Moscow").1);
        assert!(at("St Petersburg").0 > at("Moscow").0);
        let southernmost = PLACES.iter().min_by(|a, b| a.lat.total_cmp(&b.lat)).map(|p| p.en);
        assert_eq!(southernmost, Some("Nakhodka"));
    }
}
