//! Synthetic, fictional demo data. Every testimony, person, company and worksite here is invented and marked
//! `synthetic`; company and worksite names carry the word DEMO. The distributions follow what public reporting
//! says of DPRK workers in Russia (sectors, regions, the post-2019 "study" visa channel, wages, deduction
//! shares, hours), so
//! that analyses give plausible shapes, not findings about anyone real.
//!
//! Generation is deterministic: testimony `i` of seed `s` depends only on `(s, i)`.

use std::collections::BTreeMap;

use clew_intake::testimony::{
    Amount, ConfiscationFact, Consent, ConsentUses, DeductionFact, EmployerPaid, Facts, Flag, HousingFact, InformedOf,
    Interview, NamedEntity, Period, PermitFact, Quantity, Setting, Spell, SurveillanceFact, Testimony, Witness,
    WorkerReceived,
};
use clew_intake::{FORMAT_V1, ImportReport};
use clew_model::{EntityId, Model, PartialDate, Segment, SourceId, Translation};
use clew_store::{Batch, Store};
use rand::distr::weighted::WeightedIndex;
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;

/// Testimonies written per transaction: large enough to amortise commits, small enough to bound the WAL.
pub const TESTIMONIES_PER_COMMIT: u64 = 2_000;

/// What can stop a demo run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] clew_intake::import::WriteError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] clew_store::Error),
    /// The generating thread ended before making every testimony (a bug).
    #[error("internal error: the synthetic data generator stopped early")]
    GeneratorStopped,
}

/// Sector, weight, Korean and English words. Construction dominates; logging, seafood and the rest follow
/// (DOMAIN.md §4.2).
const SECTORS: [(&str, u32, &str, &str); 9] = [
    ("construction", 60, "건설", "construction"),
    ("logging", 12, "벌목", "logging"),
    ("agriculture", 5, "농업", "farm"),
    ("seafood_processing", 6, "수산물 가공", "seafood processing"),
    ("fishing", 3, "어업", "fishing"),
    ("shipbuilding", 3, "선박 수리", "ship repair"),
    ("services", 3, "봉사", "service"),
    ("manufacturing", 4, "공장", "factory"),
    ("it", 1, "IT", "IT"),
];

/// Region, city (Korean, English, Russian), weight (DOMAIN.md §4.2: the Far East first).
const PLACES: [(&str, &str, &str, &str, u32); 10] = [
    ("Primorsky Krai", "블라디보스토크", "Vladivostok", "Владивосток", 30),
    ("Primorsky Krai", "우수리스크", "Ussuriysk", "Уссурийск", 8),
    ("Khabarovsk Krai", "하바롭스크", "Khabarovsk", "Хабаровск", 10),
    ("Amur Oblast", "틴다", "Tynda", "Тында", 8),
    ("Moscow", "모스크바", "Moscow", "Москва", 14),
    ("Saint Petersburg", "상트페테르부르크", "St Petersburg", "Санкт-Петербург", 8),
    ("Sakhalin Oblast", "유즈노사할린스크", "Yuzhno-Sakhalinsk", "Южно-Сахалинск", 6),
    ("Novosibirsk Oblast", "노보시비르스크", "Novosibirsk", "Новосибирск", 6),
    ("Kursk Oblast", "쿠르스크", "Kursk", "Курск", 3),
    ("Republic of Tatarstan", "옐라부가", "Yelabuga", "Елабуга", 2),
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
const COMPANY_WORDS: [(&str, &str); 12] = [
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
const DPRK_WORDS: [(&str, &str); 8] = [
    ("Ryonghung", "룡흥"),
    ("Pyolbit", "별빛"),
    ("Chongsong", "청송"),
    ("Manpung", "만풍"),
    ("Sinhung", "신흥"),
    ("Taedong", "대동"),
    ("Unha", "은하"),
    ("Mirae", "미래"),
];

const MONTHS_EN: [&str; 12] = [
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

/// The random generator of one testimony.
fn rng_for(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let weights: Vec<u32> = items.iter().map(weight).collect();
    match WeightedIndex::new(&weights) {
        Ok(distribution) => &items[distribution.sample(rng)],
        Err(_) => &items[0],
    }
}

fn korean_name(rng: &mut ChaCha8Rng) -> (String, String) {
    let (surname_ko, surname_en, _) = *pick(rng, &SURNAMES, |s| s.2);
    let first = SYLLABLES[rng.random_range(0..SYLLABLES.len())];
    let second = SYLLABLES[rng.random_range(0..SYLLABLES.len())];
    let hangul = format!("{surname_ko}{}{}", first.0, second.0);
    let latin = format!("{surname_en} {}{}", first.1, second.1.to_lowercase());
    (hangul, latin)
}

/// The security minder of a site: the same (fictional) person in every testimony from the site, so that the
/// demo holds people named in several testimonies for linkage to find; with the year of birth witnesses give.
fn site_minder(seed: u64, site: u64) -> (String, String, u16) {
    // A stream of its own, apart from the testimonies' (which are numbered from 0 up).
    let mut rng = rng_for(seed ^ 0x6d69_6e64_6572, site);
    let (hangul, latin) = korean_name(&mut rng);
    (hangul, latin, rng.random_range(1965..=1990))
}

fn date(year: u16, month: u8) -> PartialDate {
    PartialDate { year, month: Some(month), day: None }
}

fn segment(id: &str, ko: String, en: String) -> Segment {
    Segment {
        id: id.to_string(),
        lang: "ko".to_string(),
        text: format!("(가상 증언) {ko}"),
        translation: Some(Translation { lang: "en".to_string(), text: format!("(synthetic testimony) {en}") }),
    }
}

fn flag(value: bool, segment: &str) -> Option<Flag> {
    Some(Flag { value, segments: vec![segment.to_string()] })
}

/// The rouble price of a US dollar, roughly, by year (for plausible synthetic amounts only).
fn roubles_per_dollar(year: u16) -> f64 {
    match year {
        ..=2014 => 40.0,
        2015..=2019 => 65.0,
        2020..=2021 => 73.0,
        2022 => 68.0,
        2023 => 85.0,
        _ => 92.0,
    }
}

fn round_to(value: f64, step: f64) -> f64 {
    (value / step).round() * step
}

/// How many companies, DPRK entities and worksites a demo of `n` testimonies shares among its testimonies.
fn pool_sizes(n: u64) -> (u64, u64, u64) {
    ((n / 25).max(3), (n / 400).clamp(3, 40), (n / 10).max(3))
}

/// Generates testimony `index` of a demo of `total` testimonies with `seed`.
pub fn generate(seed: u64, index: u64, total: u64) -> Testimony {
    let mut rng = rng_for(seed, index);
    let (companies, dprk_entities, sites) = pool_sizes(total);
    let id = SourceId::new(&format!("T-DEMO-{index:06}")).unwrap_or_else(|_| unreachable!("demo ids are valid"));

    // The work spell: 2015 to 2025; after 2019 most arrive on "study" visas (DOMAIN.md §4.1).
    let start_year: u16 =
        *pick(&mut rng, &[2015u16, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025], |y| match y {
            2015..=2017 => 10,
            2018 => 9,
            2019 => 7,
            2020..=2022 => 3,
            2023 => 6,
            2024 => 14,
            _ => 10,
        });
    let start_month: u8 = rng.random_range(1..=12);
    let months = rng.random_range(4..=36u16);
    let end_index = (start_year as u32 * 12 + start_month as u32 - 1 + months as u32).min(2026 * 12 + 8);
    let (end_year, end_month) = ((end_index / 12) as u16, (end_index % 12 + 1) as u8);
    let study = start_year >= 2019 && rng.random_bool(0.75);
    let (visa_ko, visa_en, permit_type, purpose) =
        if study { ("학생", "student", "visa", "study") } else { ("노동", "work", "work_permit", "work") };

    let sector = *pick(&mut rng, &SECTORS, |s| s.1);
    let sector = if start_year >= 2025 && rng.random_bool(0.2) {
        ("military_construction", 0, "군사 건설", "military construction")
    } else {
        sector
    };
    let place = *pick(&mut rng, &PLACES, |p| p.4);

    let company = rng.random_range(0..companies);
    let (company_en, company_ru) = COMPANY_WORDS[(company % COMPANY_WORDS.len() as u64) as usize];
    let dprk = rng.random_range(0..dprk_entities);
    let (dprk_en, dprk_ko) = DPRK_WORDS[(dprk % DPRK_WORDS.len() as u64) as usize];
    let site = rng.random_range(0..sites);

    let employer_names =
        vec![format!("DEMO {company_en} {company:04} LLC"), format!("ООО «ДЕМО {company_ru} {company:04}»")];
    let dispatcher_names = vec![
        format!("DEMO Korea {dprk_en} General Trading Corporation No. {dprk}"),
        format!("데모 조선{dprk_ko}무역총회사 {dprk}호"),
    ];
    let site_names =
        vec![format!("DEMO site {site:05}, {}", place.2), format!("ДЕМО стройплощадка {site:05}, {}", place.3)];

    // Conditions (shares in the spirit of DOMAIN.md §4.3 and the escapee reports).
    let hours = *pick(&mut rng, &[10u8, 11, 12, 13, 14, 15, 16], |h| match h {
        12 => 40,
        13 | 14 => 18,
        10 | 11 => 10,
        _ => 4,
    });
    let rest_days = *pick(&mut rng, &[0u8, 1, 2, 3, 4], |d| match d {
        1 | 2 => 35,
        0 => 15,
        _ => 8,
    });
    let rate = roubles_per_dollar(start_year);
    let dollars = rng.random_range(700.0..1_100.0);
    let paid = round_to(dollars * rate, 1_000.0);
    let fee_share = rng.random_range(0.6..0.9);
    let fee = round_to(paid * fee_share, 1_000.0);
    let lodging = if rng.random_bool(0.4) { round_to(paid * 0.05, 500.0) } else { 0.0 };
    let kept = (paid - fee - lodging).max(0.0);
    let when = *pick(
        &mut rng,
        &[
            ("on_return", "귀국할 때 준다고 했습니다", "was to be paid on return"),
            ("monthly", "매달 받았습니다", "I received every month"),
            ("never", "끝내 받지 못했습니다", "I never received"),
        ],
        |w| match w.0 {
            "on_return" => 70,
            "monthly" => 20,
            _ => 10,
        },
    );
    let housing = *pick(
        &mut rng,
        &[
            ("container", "컨테이너", "a container"),
            ("dormitory", "합숙소", "a dormitory"),
            ("on_site_shed", "현장 가건물", "a shed on the site"),
            ("apartment", "아파트", "an apartment"),
        ],
        |h| match h.0 {
            "container" => 40,
            "dormitory" => 40,
            "on_site_shed" => 15,
            _ => 5,
        },
    );
    let occupants = rng.random_range(4..=12u8);
    let minder = site_minder(seed, site);
    // Witnesses name the minder as they knew them: in Hangul, in Latin letters, or both; some know the year of
    // birth.
    let minder_names = match rng.random_range(0..10) {
        0..=3 => vec![minder.0.clone(), minder.1.clone()],
        4..=6 => vec![minder.0.clone()],
        _ => vec![minder.1.clone()],
    };
    let minder_born = rng.random_bool(0.6).then(|| minder.2.to_string());
    let surveillance = rng.random_bool(0.85);
    let confiscation = rng.random_bool(0.75);
    let restricted = rng.random_bool(0.8);
    let threats = rng.random_bool(0.6);
    let violence = rng.random_bool(0.2);
    let escaped = rng.random_bool(0.3);

    let mut segments = vec![
        segment(
            "s1",
            format!(
                "{start_year}년 {start_month}월에 {visa_ko} 비자로 {}에 갔습니다. {}의 {}에서 {} 일을 했습니다. {}에서 보냈습니다.",
                place.1, employer_names[1], site_names[1], sector.2, dispatcher_names[1]
            ),
            format!(
                "In {} {start_year} I went to {} on a {visa_en} visa. I did {} work at {} of {}. {} sent me.",
                MONTHS_EN[start_month as usize - 1],
                place.2,
                sector.3,
                site_names[0],
                employer_names[0],
                dispatcher_names[0]
            ),
        ),
        segment(
            "s2",
            format!("하루 {hours}시간 일했고 한 달에 {rest_days}일 쉬었습니다."),
            format!(
                "I worked {hours} hours a day and rested {rest_days} day{} a month.",
                if rest_days == 1 { "" } else { "s" }
            ),
        ),
        segment(
            "s3",
            format!(
                "회사는 한 달에 {paid} 루블을 냈지만 {fee} 루블은 충성자금으로 떼어 갔습니다. 남은 돈은 {}.",
                when.1
            ),
            format!(
                "The company paid {paid} roubles a month, but {fee} roubles were taken as loyalty funds. The rest {}.",
                when.2
            ),
        ),
        segment(
            "s4",
            format!(
                "{}에서 {occupants}명이 잤습니다.{}{}{}",
                housing.1,
                if surveillance {
                    format!(" 보위원 {}이 늘 감시했습니다.", minder.0)
                } else {
                    String::new()
                },
                if confiscation { " 여권은 보위원이 가지고 있었습니다." } else { "" },
                if restricted { " 혼자서는 밖에 나갈 수 없었습니다." } else { "" },
            ),
            format!(
                "{occupants} of us slept in {}.{}{}{}",
                housing.2,
                if surveillance {
                    format!(" Security officer {} watched us all the time.", minder.1)
                } else {
                    String::new()
                },
                if confiscation { " The security officer kept our passports." } else { "" },
                if restricted { " We could not go out alone." } else { "" },
            ),
        ),
    ];
    if threats || violence {
        segments.push(segment(
            "s5",
            format!(
                "{}{}",
                if threats { "도망치면 고향의 가족이 벌을 받는다고 했습니다." } else { "" },
                if violence { " 일을 늦게 하면 맞았습니다." } else { "" }
            ),
            format!(
                "{}{}",
                if threats { "They said our families at home would be punished if we ran away." } else { "" },
                if violence { " We were beaten if we worked slowly." } else { "" }
            ),
        ));
    }
    if escaped {
        segments.push(segment("s6", "결국 현장을 떠났습니다.".to_string(), "In the end I left the site.".to_string()));
    }

    let cite = |id: &str| vec![id.to_string()];
    let entity_id = |text: String| EntityId::new(&text).unwrap_or_else(|_| unreachable!("demo ids are valid"));
    let properties = |pairs: &[(&str, &str)]| -> BTreeMap<String, Vec<String>> {
        pairs.iter().map(|(k, v)| (k.to_string(), vec![v.to_string()])).collect()
    };
    let mut entities = vec![
        NamedEntity {
            key: "employer".into(),
            id: Some(entity_id(format!("demo.company.{company:04}"))),
            schema: "Company".into(),
            names: employer_names,
            properties: properties(&[("country", "ru"), ("sector", sector.0)]),
            segments: cite("s1"),
            confidence: None,
        },
        NamedEntity {
            key: "dispatcher".into(),
            id: Some(entity_id(format!("demo.dprk-entity.{dprk:03}"))),
            schema: "PublicBody".into(),
            names: dispatcher_names,
            properties: properties(&[("country", "kp")]),
            segments: cite("s1"),
            confidence: None,
        },
        NamedEntity {
            key: "site".into(),
            id: Some(entity_id(format!("demo.site.{site:05}"))),
            schema: "Worksite".into(),
            names: site_names,
            properties: properties(&[("country", "ru"), ("region", place.0), ("sector", sector.0)]),
            segments: cite("s1"),
            confidence: None,
        },
        NamedEntity {
            key: "housing".into(),
            id: None,
            schema: "Accommodation".into(),
            names: vec![format!("{} at DEMO site {site:05}", housing.2)],
            properties: properties(&[("housingType", housing.0), ("region", place.0)]),
            segments: cite("s4"),
            confidence: None,
        },
    ];
    if surveillance {
        entities.push(NamedEntity {
            key: "minder".into(),
            id: None,
            schema: "Person".into(),
            names: minder_names,
            properties: {
                let mut known = properties(&[("nationality", "kp"), ("position", "security officer")]);
                if let Some(year) = &minder_born {
                    known.insert("birthDate".into(), vec![year.clone()]);
                }
                known
            },
            segments: cite("s4"),
            confidence: Some(0.9),
        });
    }

    let period = Period { start: Some(date(start_year, start_month)), end: Some(date(end_year, end_month)) };
    let amount = |amount: f64, segment: &str| Amount {
        amount,
        currency: "RUB".into(),
        per: "month".into(),
        segments: cite(segment),
    };
    let mut deductions = vec![DeductionFact {
        kind: "loyalty_fee".into(),
        amount: Some(fee),
        currency: Some("RUB".into()),
        per: Some("month".into()),
        share: None,
        taken_by: Some("dispatcher".into()),
        segments: cite("s3"),
    }];
    if lodging > 0.0 {
        deductions.push(DeductionFact {
            kind: "lodging".into(),
            amount: Some(lodging),
            currency: Some("RUB".into()),
            per: Some("month".into()),
            share: None,
            taken_by: Some("dispatcher".into()),
            segments: cite("s3"),
        });
    }
    let spell = Spell {
        key: "spell1".into(),
        period,
        sector: Some(sector.0.into()),
        employer: Some("employer".into()),
        dispatcher: Some("dispatcher".into()),
        intermediary: None,
        worksite: Some("site".into()),
        segments: cite("s1"),
        permit: Some(PermitFact {
            permit_type: permit_type.into(),
            purpose: Some(purpose.into()),
            segments: cite("s1"),
        }),
        hours_per_day: Some(Quantity { value: hours as f64, segments: cite("s2") }),
        rest_days_per_month: Some(Quantity { value: rest_days as f64, segments: cite("s2") }),
        promised_wage: None,
        employer_paid: Some(EmployerPaid { amount: amount(paid, "s3"), paid_to: Some("dispatcher".into()) }),
        deductions,
        worker_received: Some(WorkerReceived { amount: amount(kept, "s3"), when: when.0.into(), paid_by: None }),
        housing: Some(HousingFact {
            housing_type: housing.0.into(),
            accommodation: Some("housing".into()),
            occupants: Some(occupants as f64),
            segments: cite("s4"),
        }),
        surveillance: Some(SurveillanceFact {
            value: surveillance,
            by: surveillance.then(|| "minder".to_string()),
            role: surveillance.then(|| "security_minder".to_string()),
            segments: cite("s4"),
        }),
        document_confiscation: Some(ConfiscationFact {
            value: confiscation,
            held_by: (confiscation && surveillance).then(|| "minder".to_string()),
            segments: cite("s4"),
        }),
        movement_restriction: flag(restricted, "s4"),
        threats_to_family: if threats { flag(true, "s5") } else { None },
        violence: if violence { flag(true, "s5") } else { None },
        isolation: None,
        debt_bondage: None,
        escape: if escaped { flag(true, "s6") } else { None },
        findings: Vec::new(),
    };

    // Interviewed 1 to 30 months after the spell ended, and not after October 2026.
    let interview_index = (end_index + rng.random_range(1..=30u32)).min(2026 * 12 + 9);
    let (interview_year, interview_month) = ((interview_index / 12) as u16, (interview_index % 12 + 1) as u8);
    let consent_all = rng.random_bool(0.7);
    Testimony {
        format: FORMAT_V1.into(),
        id,
        synthetic: true,
        title: Some(format!("Synthetic testimony {index}: {} work, {}", sector.3, place.0)),
        coded_by: Some(format!("CODER-{:02}", rng.random_range(1..=8))),
        interview: Interview {
            date: date(interview_year, interview_month),
            place: Some("Seoul".into()),
            language: "ko".into(),
            interviewer: format!("INT-{:02}", rng.random_range(1..=20)),
            interpreter: None,
            setting: Some(Setting { private: true, overheard: false }),
        },
        witness: Witness {
            pseudonym: format!("W-DEMO-{index:06}"),
            gender: Some(if rng.random_bool(0.9) { "male" } else { "female" }.into()),
            nationality: Some("kp".into()),
        },
        // Placeholders where identifying data would be: tests search the project files for them.
        protected: Some(clew_intake::testimony::ProtectedBlock(serde_json::json!({
            "name": format!("SYNTHETIC-PROTECTED-NAME-{index:06}"),
            "home_county": format!("SYNTHETIC-PROTECTED-COUNTY-{index:06}"),
        }))),
        consent: Consent {
            version: 1,
            date: date(interview_year, interview_month),
            informed_of: InformedOf {
                purpose: true,
                uses: true,
                risks: true,
                right_to_skip: true,
                right_to_stop: true,
                right_to_withdraw: true,
            },
            uses: ConsentUses {
                internal_analysis: true,
                publication: consent_all,
                advocacy: true,
                un: true,
                sanctions_monitors: consent_all,
                prosecutors: rng.random_bool(0.6),
                researchers: consent_all,
                journalists: rng.random_bool(0.3),
            },
            audio: rng.random_bool(0.3),
            video: false,
            quotation: consent_all,
            pseudonym_publication: true,
            recontact: rng.random_bool(0.6),
            follow_up: rng.random_bool(0.4),
            reconfirmed_at_end: true,
            capacity_notes: None,
            referrals: Vec::new(),
            promises: None,
            retention_until: Some(date(interview_year + 10, 1)),
            withdrawal: None,
        },
        segments,
        facts: Facts { entities, spells: vec![spell], relations: Vec::new() },
    }
}

/// Writes `total` synthetic testimonies into a store, committing every [`TESTIMONIES_PER_COMMIT`]; their
/// protected blocks are sealed to the store's custodians (there must be one).
/// Generating and mapping run on a second thread while this one writes; `progress` is called after each
/// testimony with the number written.
pub fn write_demo(
    model: &Model,
    store: &mut dyn Store,
    seed: u64,
    total: u64,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, Error> {
    let custodians = clew_intake::import::custodian_keys(store)?;
    let custodians = custodians.as_slice();
    std::thread::scope(|scope| {
        // A bounded queue: memory stays flat however many testimonies are asked for.
        let (sender, receiver) = std::sync::mpsc::sync_channel(256);
        scope.spawn(move || {
            for index in 0..total {
                let prepared = clew_intake::prepare_testimony(model, generate(seed, index, total), Some(custodians));
                if sender.send(prepared).is_err() {
                    return;
                }
            }
        });
        let mut report = ImportReport::default();
        let mut received = receiver.into_iter();
        let mut written = 0;
        while written < total {
            let recorded_at = clew_intake::import::now_rfc3339();
            let batch =
                Batch { recorded_by: "clew-demo".into(), recorded_at: recorded_at.clone(), operation: "demo".into() };
            let mut tx = store.write(&batch)?;
            let end = (written + TESTIMONIES_PER_COMMIT).min(total);
            let first = written;
            while written < end {
                let Some(prepared) = received.next() else {
                    return Err(Error::GeneratorStopped);
                };
                let counts = clew_intake::write_prepared(tx.as_mut(), prepared?, "clew-demo", &recorded_at)?;
                clew_intake::import::count(&mut report, counts);
                report.records += 1;
                written += 1;
                progress(written);
            }
            let detail = serde_json::json!({
                "synthetic_testimonies": [first, written],
                "seed": seed,
                "statements_sha256": tx.batch_digest()?,
                "records_sha256": tx.records_digest()?,
            });
            clew_intake::import::record_event(tx.as_mut(), &batch, "demo", &detail)?;
            tx.commit()?;
        }
        report.committed = true;
        Ok(report)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clew_model::read::Reader;

    #[test]
    fn generation_is_deterministic_and_valid() {
        let model = Model::builtin().unwrap();
        for index in [0, 1, 17, 999] {
            let testimony = generate(42, index, 1_000);
            assert_eq!(testimony, generate(42, index, 1_000));
            assert!(testimony.synthetic);
            // What the generator makes must pass the same checks as a file from a user.
            let json = serde_json::to_string_pretty(&testimony).unwrap();
            let node = &clew_model::doc::parse(&json, clew_model::doc::TextFormat::Json).unwrap()[0];
            let mut reader = Reader::default();
            let read = clew_intake::read_testimony(model, node, &mut reader);
            assert!(reader.diagnostics.is_empty(), "{:#?}", reader.diagnostics);
            assert_eq!(read.unwrap(), testimony);
        }
        assert_ne!(generate(42, 0, 1_000), generate(43, 0, 1_000));
    }
}
