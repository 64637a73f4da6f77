//! One interview of a witness: what of their story ([`crate::story`]) the witness told and the coder coded,
//! as a testimony. Most spells are coded in full; some only in outline (the witness would not say more, or
//! a later job was told in a sentence), some without dates; a few ledgers do not add up (a deduction
//! forgotten, a sum remembered too high, a fee given in dollars or by the year); a follow-up interview
//! retells the same story, codes what the first missed, and sometimes gives other hours.

use std::collections::BTreeMap;

use clew_intake::FORMAT_V1;
use clew_intake::testimony::{
    Amount, CodedFinding, ConfiscationFact, Consent, ConsentUses, DeductionFact, EmployerPaid, Facts, Flag,
    HousingFact, InformedOf, Interview, NamedEntity, Period, PermitFact, Quantity, Setting, Spell, SurveillanceFact,
    Testimony, Witness, WorkerReceived,
};
use clew_model::{EntityId, PartialDate, Segment, SourceId, Translation};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::rates::{Month, month_in_year, roubles_per_dollar, year_of};
use crate::story::{HOUSING, Job, PAID_WHEN, Profile, Story};
use crate::world::{COMPANY_WORDS, DPRK_WORDS, MONTHS_EN, PLACES, SECTORS, choose, site_minder};

/// How much of a spell an interview codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Full,
    /// Employer, site, sector and dates only: nothing on conditions, so the spell cannot be assessed.
    Outline,
    /// Conditions without dates: no reference period, so the spell cannot be assessed either.
    Undated,
}

/// A ledger that does not add up, as interviews produce them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quirk {
    None,
    /// The food deduction is left out, so part of the pay is unaccounted for.
    FoodForgotten,
    /// What reached the worker is remembered too high.
    ReceivedTooHigh,
    /// The loyalty fee is given in dollars a month, as it was fixed, while the pay is in roubles.
    FeeInDollars,
    /// The fee is given as a yearly party contribution in dollars.
    YearlyContribution,
}

/// The interview being written: the testimony's parts as they accumulate.
struct Writer<'a> {
    seed: u64,
    story: &'a Story,
    segments: Vec<Segment>,
    entities: Vec<NamedEntity>,
    spells: Vec<Spell>,
}

fn date(month: Month) -> PartialDate {
    PartialDate { year: year_of(month), month: Some(month_in_year(month)), day: None }
}

fn cite(id: &str) -> Vec<String> {
    vec![id.to_string()]
}

fn flag(value: bool, segment: &str) -> Option<Flag> {
    Some(Flag { value, segments: cite(segment) })
}

fn entity_id(text: &str) -> EntityId {
    EntityId::new(text).unwrap_or_else(|_| unreachable!("demo ids are valid"))
}

fn properties(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    pairs.iter().map(|(k, v)| (k.to_string(), vec![v.to_string()])).collect()
}

fn rub(amount: f64, segment: &str) -> Amount {
    Amount { amount, currency: "RUB".into(), per: "month".into(), segments: cite(segment) }
}

/// Words for the work done in a spell (Korean, English).
fn work_words(job: &Job) -> (&'static str, &'static str) {
    if job.finishing {
        ("건설 마감(미장, 타일)", "construction finishing (plastering, tiling)")
    } else {
        (SECTORS[job.sector].ko, SECTORS[job.sector].en)
    }
}

impl Writer<'_> {
    /// Adds a narrative segment (Korean, with its English translation) and returns its id.
    fn say(&mut self, ko: String, en: String) -> String {
        let id = format!("s{}", self.segments.len() + 1);
        self.segments.push(Segment {
            id: id.clone(),
            lang: "ko".to_string(),
            text: format!("(가상 증언) {ko}"),
            translation: Some(Translation { lang: "en".to_string(), text: format!("(synthetic testimony) {en}") }),
        });
        id
    }

    /// The key of an entity with this id, adding the entity (made by `make`, with `key`) when it is new.
    fn entity(&mut self, id: Option<&str>, key: String, make: impl FnOnce(String) -> NamedEntity) -> String {
        if let Some(id) = id
            && let Some(known) = self.entities.iter().find(|e| e.id.as_ref().is_some_and(|e| e.as_str() == id))
        {
            return known.key.clone();
        }
        if let Some(known) = self.entities.iter().find(|e| e.key == key) {
            return known.key.clone();
        }
        let entity = make(key.clone());
        self.entities.push(entity);
        key
    }

    /// Keys for spell `number` (1, 2, ...): the first spell's are plain (`employer`), later ones numbered.
    fn key(name: &str, number: usize) -> String {
        if number == 1 { name.to_string() } else { format!("{name}{number}") }
    }

    fn employer(&mut self, job: &Job, number: usize, segment: &str) -> (String, String, String) {
        let c = job.company;
        let (en, ru) = COMPANY_WORDS[(c % COMPANY_WORDS.len() as u64) as usize];
        let names = vec![format!("DEMO {en} {c:04} LLC"), format!("ООО «ДЕМО {ru} {c:04}»")];
        let (latin, russian) = (names[0].clone(), names[1].clone());
        let id = format!("demo.company.{c:04}");
        let key = self.entity(Some(&id), Self::key("employer", number), |key| NamedEntity {
            key,
            id: Some(entity_id(&id)),
            schema: "Company".into(),
            names,
            properties: properties(&[("country", "ru"), ("sector", SECTORS[job.sector].code)]),
            segments: cite(segment),
            confidence: None,
        });
        (key, latin, russian)
    }

    fn dispatcher(&mut self, job: &Job, number: usize, segment: &str) -> (String, String, String) {
        let d = job.dprk;
        let (en, ko) = DPRK_WORDS[(d % DPRK_WORDS.len() as u64) as usize];
        let names = vec![
            format!("DEMO Korea {en} General Trading Corporation No. {d}"),
            format!("데모 조선{ko}무역총회사 {d}호"),
        ];
        let (latin, korean) = (names[0].clone(), names[1].clone());
        let id = format!("demo.dprk-entity.{d:03}");
        let key = self.entity(Some(&id), Self::key("dispatcher", number), |key| NamedEntity {
            key,
            id: Some(entity_id(&id)),
            schema: "PublicBody".into(),
            names,
            properties: properties(&[("country", "kp")]),
            segments: cite(segment),
            confidence: None,
        });
        (key, latin, korean)
    }

    fn site(&mut self, job: &Job, number: usize, employer: &str, segment: &str) -> (String, String, String) {
        let (s, place, sector) = (job.site, &PLACES[job.place], &SECTORS[job.sector]);
        let names =
            vec![format!("DEMO site {s:05}, {}", place.en), format!("ДЕМО {} {s:05}, {}", sector.ru_site, place.ru)];
        let (latin, russian) = (names[0].clone(), names[1].clone());
        let id = format!("demo.site.{s:05}");
        let key = self.entity(Some(&id), Self::key("site", number), |key| {
            let mut known = properties(&[("country", "ru"), ("region", place.region), ("sector", sector.code)]);
            // Somewhere in the city: its centre moved by up to about 0.1 degree, the same for the site every time.
            // In hundredths of a degree, written as the canonical number (`55.66`).
            let moved = |degrees: f64, by: i64| ((degrees * 100.0).round() as i64 + by) as f64 / 100.0;
            let (north, east) = ((s * 37 % 21) as i64 - 10, (s * 53 % 21) as i64 - 10);
            known.insert("latitude".into(), vec![moved(place.lat, north).to_string()]);
            known.insert("longitude".into(), vec![moved(place.lon, east).to_string()]);
            // The site is the employer's: a site belongs to one company, in one city.
            known.insert("operator".into(), vec![employer.to_string()]);
            NamedEntity {
                key,
                id: Some(entity_id(&id)),
                schema: "Worksite".into(),
                names,
                properties: known,
                segments: cite(segment),
                confidence: None,
            }
        });
        (key, latin, russian)
    }
}

/// What the interview codes of one spell.
struct Recall {
    detail: Detail,
    quirk: Quirk,
    /// The promised wage is coded (in dollars when the recruiters named dollars).
    promised: Option<bool>,
    debt: bool,
    /// Hours a day as told this time (a follow-up may differ from the first interview).
    hours: u8,
    rest_days: u8,
    /// Codes the coder records by hand from the witness's words.
    other_job: bool,
    other_employer: bool,
    stranded: bool,
}

fn recall(rng: &mut ChaCha8Rng, job: &Job, number: usize, follow_up: bool, showcase: bool) -> Recall {
    let detail = if showcase {
        Detail::Full
    } else if follow_up {
        choose(rng, &[(Detail::Full, 97), (Detail::Outline, 2), (Detail::Undated, 1)])
    } else if number == 1 {
        choose(rng, &[(Detail::Full, 955), (Detail::Outline, 25), (Detail::Undated, 20)])
    } else {
        choose(rng, &[(Detail::Full, 75), (Detail::Outline, 20), (Detail::Undated, 5)])
    };
    let crew_fee_in_dollars = job.fee_usd.is_some() && job.profile == Profile::Crew;
    let quirk = if detail == Detail::Outline || showcase {
        Quirk::None
    } else {
        let quirk = choose(
            rng,
            &[
                (Quirk::None, 9_380),
                (Quirk::FoodForgotten, 200),
                (Quirk::ReceivedTooHigh, 100),
                (Quirk::FeeInDollars, 200),
                (Quirk::YearlyContribution, 120),
            ],
        );
        match quirk {
            Quirk::FoodForgotten if job.food == 0.0 => Quirk::None,
            Quirk::FeeInDollars | Quirk::YearlyContribution if !crew_fee_in_dollars => Quirk::None,
            quirk => quirk,
        }
    };
    let promised_coded = rng.random_bool(if follow_up { 0.8 } else { 0.6 });
    let promised = promised_coded.then(|| rng.random_bool(0.12));
    let debt = job.debt && rng.random_bool(0.85);
    let (mut hours, mut rest_days) = (job.hours, job.rest_days);
    if follow_up && rng.random_bool(0.3) {
        // Told differently this time: a contradiction between the two interviews for the analyst to weigh.
        hours = (i16::from(hours) + [-2, -1, 1, 2][rng.random_range(0..4)]).clamp(8, 18) as u8;
        rest_days = rest_days.saturating_add(rng.random_range(0..=1));
    }
    Recall {
        detail,
        quirk,
        promised,
        debt,
        hours,
        rest_days,
        other_job: job.other_job && rng.random_bool(0.8),
        other_employer: job.other_employer && rng.random_bool(0.8),
        stranded: job.stranded_months >= 3 && rng.random_bool(0.7),
    }
}

/// The kind of interview: a first one, or a follow-up of an earlier witness.
pub(crate) struct Kind {
    /// The testimony's number.
    pub(crate) index: u64,
    /// The number of the witness's first testimony (the same as `index` for a first interview).
    pub(crate) witness: u64,
    pub(crate) follow_up: bool,
    /// The first testimony of a demo, which the tour shows: every use agreed, every spell coded in full.
    pub(crate) showcase: bool,
    /// For a first interview: whether the witness agreed to be interviewed again.
    pub(crate) agrees_to_follow_up: bool,
}

/// Writes the testimony of one interview of `story`, drawing what is coded from `rng`.
pub(crate) fn testimony(rng: &mut ChaCha8Rng, seed: u64, story: &Story, kind: &Kind) -> Testimony {
    let index = kind.index;
    let id = SourceId::new(&format!("T-DEMO-{index:06}")).unwrap_or_else(|_| unreachable!("demo ids are valid"));
    let interview_month = if kind.follow_up {
        (story.interview + rng.random_range(2..=20)).min(crate::story::LAST_FOLLOW_UP)
    } else {
        story.interview
    };
    let mut writer = Writer { seed, story, segments: Vec::new(), entities: Vec::new(), spells: Vec::new() };
    if kind.follow_up {
        writer.say(
            format!("지난번 면담에 이어 다시 이야기합니다 (W-DEMO-{:06}).", kind.witness),
            format!("A follow-up to my earlier interview (W-DEMO-{:06}).", kind.witness),
        );
    }
    for (number, job) in story.jobs.iter().enumerate() {
        let recall = recall(rng, job, number + 1, kind.follow_up, kind.showcase);
        writer.spell(rng, job, number + 1, &recall);
    }
    let first = &story.jobs[0];
    let title = if kind.follow_up {
        format!("Synthetic testimony {index}: follow-up interview of W-DEMO-{:06}", kind.witness)
    } else {
        format!("Synthetic testimony {index}: {} work, {}", work_words(first).1, PLACES[first.place].region)
    };
    let Writer { segments, entities, spells, .. } = writer;
    let consent_all = kind.showcase || rng.random_bool(0.7);
    let (year, month) = (year_of(interview_month), month_in_year(interview_month));
    Testimony {
        format: FORMAT_V1.into(),
        id,
        synthetic: true,
        title: Some(title),
        coded_by: Some(format!("CODER-{:02}", rng.random_range(1..=8))),
        interview: Interview {
            date: date(interview_month),
            place: Some("Seoul".into()),
            language: "ko".into(),
            interviewer: format!("INT-{:02}", rng.random_range(1..=20)),
            interpreter: None,
            setting: Some(Setting { private: true, overheard: false }),
        },
        witness: Witness {
            pseudonym: format!("W-DEMO-{:06}", kind.witness),
            gender: Some(if story.female { "female" } else { "male" }.into()),
            nationality: Some("kp".into()),
        },
        // Placeholders where identifying data would be, numbered by testimony: tests search the project
        // files for them.
        protected: Some(clew_intake::testimony::ProtectedBlock(serde_json::json!({
            "name": format!("SYNTHETIC-PROTECTED-NAME-{index:06}"),
            "home_county": format!("SYNTHETIC-PROTECTED-COUNTY-{index:06}"),
        }))),
        consent: Consent {
            version: 1,
            date: PartialDate { year, month: Some(month), day: None },
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
                prosecutors: kind.showcase || rng.random_bool(0.6),
                researchers: consent_all,
                journalists: kind.showcase || rng.random_bool(0.3),
            },
            audio: rng.random_bool(0.3),
            video: false,
            quotation: consent_all,
            pseudonym_publication: true,
            recontact: kind.agrees_to_follow_up || rng.random_bool(0.6),
            follow_up: if kind.follow_up { rng.random_bool(0.3) } else { kind.agrees_to_follow_up },
            reconfirmed_at_end: true,
            capacity_notes: None,
            referrals: Vec::new(),
            promises: None,
            retention_until: Some(PartialDate { year: year + 10, month: Some(1), day: None }),
            withdrawal: None,
        },
        segments,
        facts: Facts { entities, spells, relations: Vec::new() },
    }
}

impl Writer<'_> {
    fn spell(&mut self, rng: &mut ChaCha8Rng, job: &Job, number: usize, recall: &Recall) {
        let key = format!("spell{number}");
        let place = &PLACES[job.place];
        let (work_ko, work_en) = work_words(job);
        let (year, month) = (year_of(job.start), month_in_year(job.start));
        let month_en = MONTHS_EN[usize::from(month) - 1];

        if recall.detail == Detail::Outline {
            let segment = format!("s{}", self.segments.len() + 1);
            let (employer, employer_en, employer_ru) = self.employer(job, number, &segment);
            let (site, site_en, site_ru) = self.site(job, number, &employer, &segment);
            let said = if number == 1 {
                self.say(
                    format!(
                        "{year}년에 {}에 가서 {employer_ru}의 {site_ru}에서 {work_ko} 일을 했습니다. 그 이상은 말하고 싶지 않습니다.",
                        place.ko
                    ),
                    format!(
                        "In {year} I went to {} and did {work_en} work at {site_en} of {employer_en}. I do not want to say more.",
                        place.en
                    ),
                )
            } else {
                self.say(
                    format!(
                        "그 뒤 {year}년 {month}월부터 {}의 {employer_ru} {site_ru}에서도 {work_ko} 일을 했는데 자세한 것은 기억나지 않습니다.",
                        place.ko
                    ),
                    format!(
                        "From {month_en} {year} I also did {work_en} work at {site_en} of {employer_en} in {}; I do not remember the details.",
                        place.en
                    ),
                )
            };
            debug_assert_eq!(said, segment);
            self.spells.push(Spell {
                key,
                period: Period { start: Some(date(job.start)), end: Some(date(job.end)) },
                sector: Some(SECTORS[job.sector].code.into()),
                employer: Some(employer),
                dispatcher: None,
                intermediary: None,
                worksite: Some(site),
                segments: cite(&said),
                permit: None,
                hours_per_day: None,
                rest_days_per_month: None,
                promised_wage: None,
                employer_paid: None,
                deductions: Vec::new(),
                worker_received: None,
                housing: None,
                surveillance: None,
                document_confiscation: None,
                movement_restriction: None,
                threats_to_family: None,
                violence: None,
                isolation: None,
                debt_bondage: None,
                escape: None,
                findings: Vec::new(),
            });
            return;
        }

        // The frame: when, where, for whom, sent by whom.
        let s_frame = format!("s{}", self.segments.len() + 1);
        let (employer, employer_en, employer_ru) = self.employer(job, number, &s_frame);
        let (dispatcher, dispatcher_en, dispatcher_ko) = self.dispatcher(job, number, &s_frame);
        let (site, site_en, site_ru) = self.site(job, number, &employer, &s_frame);
        let (visa_ko, visa_en) = self.story.channel.words();
        let dated = recall.detail == Detail::Full;
        let (when_ko, when_en) = if dated {
            (format!("{year}년 {month}월에"), format!("In {month_en} {year}"))
        } else {
            ("언제였는지는 기억나지 않지만".to_string(), "I do not remember when, but".to_string())
        };
        let said = if number == 1 {
            self.say(
                format!(
                    "{when_ko} {visa_ko} 비자로 {}에 갔습니다. {employer_ru}의 {site_ru}에서 {work_ko} 일을 했습니다. {dispatcher_ko}에서 보냈습니다.",
                    place.ko
                ),
                format!(
                    "{when_en} I went to {} on a {visa_en} visa. I did {work_en} work at {site_en} of {employer_en}. {dispatcher_en} sent me.",
                    place.en
                ),
            )
        } else {
            self.say(
                format!(
                    "{when_ko} {employer_ru}의 {site_ru}(으)로 옮겨져 {work_ko} 일을 했습니다. {dispatcher_ko}의 관리를 받았습니다."
                ),
                format!(
                    "{when_en} I was moved to {site_en} of {employer_en}, doing {work_en} work, under {dispatcher_en}."
                ),
            )
        };
        debug_assert_eq!(said, s_frame);

        let (hours, rest_days) = (recall.hours, recall.rest_days);
        let s_hours = self.say(
            format!("하루 {hours}시간 일했고 한 달에 {rest_days}일 쉬었습니다."),
            format!(
                "I worked {hours} hours a day and rested {rest_days} day{} a month.",
                if rest_days == 1 { "" } else { "s" }
            ),
        );

        // Pay: what the employer paid, what was taken, what was left and when it came.
        let independent = job.profile == Profile::Independent;
        let food = if recall.quirk == Quirk::FoodForgotten { 0.0 } else { job.food };
        let received = if recall.quirk == Quirk::ReceivedTooHigh {
            job.received + (job.paid * rng.random_range(0.08..0.2) / 500.0).round() * 500.0
        } else {
            job.received
        };
        let usd = job.fee_usd.unwrap_or(job.fee / roubles_per_dollar(job.start)).round();
        let (fee_ko, fee_en) = match (recall.quirk, independent) {
            (_, true) => (
                format!("계획분으로 {} 루블을 바쳤습니다", job.fee),
                format!("I handed over {} roubles as my plan payment", job.fee),
            ),
            (Quirk::FeeInDollars, _) => (
                format!("{usd} 달러는 충성자금으로 떼어 갔습니다"),
                format!("{usd} dollars were taken as loyalty funds"),
            ),
            (Quirk::YearlyContribution, _) => (
                format!("1년에 {} 달러를 당자금으로 바쳐야 했습니다", usd * 12.0),
                format!("{} dollars a year had to go to party funds", usd * 12.0),
            ),
            _ => (
                format!("{} 루블은 충성자금으로 떼어 갔습니다", job.fee),
                format!("{} roubles were taken as loyalty funds", job.fee),
            ),
        };
        let mut extras_ko = String::new();
        let mut extras_en = String::new();
        for (amount, ko, en) in [
            (job.lodging, "숙박비", "for lodging"),
            (food, "식비", "for food"),
            (job.debt_repayment, "빚 갚는 데", "to repay my debt"),
        ] {
            if amount > 0.0 {
                extras_ko.push_str(&format!(", {ko} {amount} 루블"));
                extras_en.push_str(&format!(", {amount} {en}"));
            }
        }
        let when = PAID_WHEN[job.paid_when];
        let s_pay = self.say(
            format!(
                "회사는 한 달에 {} 루블을 냈지만 {fee_ko}{extras_ko}. 제 몫으로 한 달에 {received} 루블이 남았는데 {}.",
                job.paid, when.1
            ),
            format!(
                "The company paid {} roubles a month, but {fee_en}{extras_en}. {received} roubles a month were left for me, which {}.",
                job.paid, when.2
            ),
        );
        // The fee as told: in roubles a month, or (quirks) in dollars a month or a year.
        let (kind, amount, currency, per) = match (recall.quirk, independent) {
            (Quirk::FeeInDollars, false) => (job.fee_kind, usd, "USD", "month"),
            (Quirk::YearlyContribution, false) => ("party_contribution", usd * 12.0, "USD", "year"),
            _ => (job.fee_kind, job.fee, "RUB", "month"),
        };
        let mut deductions = Vec::with_capacity(4);
        let taken_by = Some(dispatcher.clone());
        for (kind, amount, currency, per) in [
            (kind, amount, currency, per),
            ("lodging", job.lodging, "RUB", "month"),
            ("food", food, "RUB", "month"),
            ("other", job.debt_repayment, "RUB", "month"),
        ] {
            if amount > 0.0 {
                deductions.push(DeductionFact {
                    kind: kind.into(),
                    amount: Some(amount),
                    currency: Some(currency.into()),
                    per: Some(per.into()),
                    share: None,
                    taken_by: taken_by.clone(),
                    segments: cite(&s_pay),
                });
            }
        }

        let promised_wage = recall.promised.map(|in_dollars| {
            let (amount, currency) = if in_dollars {
                ((job.promised / roubles_per_dollar(job.start) / 50.0).round() * 50.0, "USD")
            } else {
                (job.promised, "RUB")
            };
            let (unit_ko, unit_en) = if in_dollars { ("달러", "dollars") } else { ("루블", "roubles") };
            let (told_ko, told_en) = if number == 1 {
                ("떠나기 전에는", "Before we left")
            } else {
                ("옮길 때는", "When I was moved")
            };
            let segment = self.say(
                format!("{told_ko} 한 달에 {amount} {unit_ko}를 받게 된다고 했습니다."),
                format!("{told_en} we were told we would get {amount} {unit_en} a month."),
            );
            Amount { amount, currency: currency.into(), per: "month".into(), segments: cite(&segment) }
        });
        let debt_bondage = match (recall.debt, self.story.bribe_usd) {
            (true, Some(bribe)) => {
                let segment = self.say(
                    format!("뽑히려고 {bribe} 달러를 빌려 바쳤습니다. 그 빚을 다 갚기 전에는 돌아가겠다고 말할 수도 없었습니다."),
                    format!("I borrowed {bribe} dollars to pay to be selected. Until the debt was repaid I could not even ask to go home."),
                );
                flag(true, &segment)
            }
            _ => None,
        };

        // Housing and control.
        let housing = HOUSING[job.housing];
        let minder = site_minder(self.seed, job.site);
        let s_housing = format!("s{}", self.segments.len() + 1);
        let accommodation = self.entity(None, format!("housing-{}", job.site), |key| NamedEntity {
            key,
            id: None,
            schema: "Accommodation".into(),
            names: vec![format!("{} at DEMO site {:05}", housing.2, job.site)],
            properties: properties(&[("housingType", housing.0), ("region", place.region)]),
            segments: cite(&s_housing),
            confidence: None,
        });
        let minder_key = job.surveillance.then(|| {
            // Witnesses name the minder as they knew them: in Hangul, in Latin letters, or both; some know the
            // year of birth.
            let names = match rng.random_range(0..10) {
                0..=3 => vec![minder.0.clone(), minder.1.clone()],
                4..=6 => vec![minder.0.clone()],
                _ => vec![minder.1.clone()],
            };
            let born = rng.random_bool(0.6).then(|| minder.2.to_string());
            self.entity(None, format!("minder-{}", job.site), |key| NamedEntity {
                key,
                id: None,
                schema: "Person".into(),
                names,
                properties: {
                    let mut known = properties(&[("nationality", "kp"), ("position", "security officer")]);
                    if let Some(year) = born {
                        known.insert("birthDate".into(), vec![year]);
                    }
                    known
                },
                segments: cite(&s_housing),
                confidence: Some(0.9),
            })
        });
        let said = self.say(
            format!(
                "{}에서 {}명이 잤습니다.{}{}{}",
                housing.1,
                job.occupants,
                if job.surveillance {
                    format!(" 보위원 {}이 늘 감시했습니다.", minder.0)
                } else {
                    String::new()
                },
                if job.confiscation {
                    " 여권은 보위원이 가지고 있었습니다."
                } else {
                    " 여권은 제가 가지고 있었습니다."
                },
                if job.restricted {
                    " 혼자서는 밖에 나갈 수 없었습니다."
                } else {
                    " 쉬는 날에는 밖에 나갈 수 있었습니다."
                },
            ),
            format!(
                "{} of us slept in {}.{}{}{}",
                job.occupants,
                housing.2,
                if job.surveillance {
                    format!(" Security officer {} watched us all the time.", minder.1)
                } else {
                    String::new()
                },
                if job.confiscation { " The security officer kept our passports." } else { " I kept my passport." },
                if job.restricted { " We could not go out alone." } else { " On rest days we could go out." },
            ),
        );
        debug_assert_eq!(said, s_housing);

        let s_threats = (job.threats || job.violence).then(|| {
            self.say(
                format!(
                    "{}{}",
                    if job.threats { "도망치면 고향의 가족이 벌을 받는다고 했습니다." } else { "" },
                    if job.violence { " 일을 늦게 하면 맞았습니다." } else { "" }
                ),
                format!(
                    "{}{}",
                    if job.threats { "They said our families at home would be punished if we ran away." } else { "" },
                    if job.violence { " We were beaten if we worked slowly." } else { "" }
                ),
            )
        });

        // What the coder records by hand: circumstances no rule reads from the coded facts.
        let mut findings = Vec::new();
        if recall.other_job {
            let (ko, en) = if SECTORS[job.sector].code == "manufacturing" {
                (
                    "건설 현장에서 일한다고 했는데 공장에 보내졌습니다.",
                    "We were told we would work on a building site, but we were sent to a factory.",
                )
            } else {
                (
                    "공장에서 일한다고 했는데 다른 일을 시켰습니다.",
                    "We were told we would work in a factory, but we were put to other work.",
                )
            };
            let segment = self.say(ko.to_string(), en.to_string());
            findings.push(CodedFinding { code: "INV02".into(), segments: cite(&segment) });
        }
        if recall.other_employer {
            let segment = self.say(
                "계약서의 회사가 아니라 다른 회사에 빌려 보내졌습니다.".to_string(),
                "We were hired out to another company than the one in the contract.".to_string(),
            );
            findings.push(CodedFinding { code: "INV07".into(), segments: cite(&segment) });
        }
        if recall.stranded {
            let segment = self.say(
                format!("기한이 끝났는데 국경이 닫혀 {}개월을 더 일해야 했습니다.", job.stranded_months),
                format!(
                    "My term was over, but the border was closed and I had to work {} more months.",
                    job.stranded_months
                ),
            );
            findings.push(CodedFinding { code: "INV08".into(), segments: cite(&segment) });
        }
        let s_escape = job
            .escaped
            .then(|| self.say("결국 현장을 떠났습니다.".to_string(), "In the end I left the site.".to_string()));

        self.spells.push(Spell {
            key,
            period: if dated {
                Period { start: Some(date(job.start)), end: Some(date(job.end)) }
            } else {
                Period::default()
            },
            sector: Some(SECTORS[job.sector].code.into()),
            employer: Some(employer),
            dispatcher: Some(dispatcher.clone()),
            intermediary: None,
            worksite: Some(site),
            segments: cite(&s_frame),
            permit: Some(PermitFact {
                permit_type: self.story.channel.permit_type().into(),
                purpose: Some(self.story.channel.purpose().into()),
                segments: cite(&s_frame),
            }),
            hours_per_day: Some(Quantity { value: f64::from(hours), segments: cite(&s_hours) }),
            rest_days_per_month: Some(Quantity { value: f64::from(rest_days), segments: cite(&s_hours) }),
            promised_wage,
            employer_paid: Some(EmployerPaid {
                amount: rub(job.paid, &s_pay),
                paid_to: (!independent).then(|| dispatcher.clone()),
            }),
            deductions,
            worker_received: Some(WorkerReceived { amount: rub(received, &s_pay), when: when.0.into(), paid_by: None }),
            housing: Some(HousingFact {
                housing_type: housing.0.into(),
                accommodation: Some(accommodation),
                occupants: Some(f64::from(job.occupants)),
                segments: cite(&s_housing),
            }),
            surveillance: Some(SurveillanceFact {
                value: job.surveillance,
                by: minder_key.clone(),
                role: job.surveillance.then(|| "security_minder".to_string()),
                segments: cite(&s_housing),
            }),
            document_confiscation: Some(ConfiscationFact {
                value: job.confiscation,
                held_by: minder_key.clone().filter(|_| job.confiscation),
                segments: cite(&s_housing),
            }),
            movement_restriction: flag(job.restricted, &s_housing),
            threats_to_family: s_threats.as_deref().filter(|_| job.threats).and_then(|s| flag(true, s)),
            violence: s_threats.as_deref().filter(|_| job.violence).and_then(|s| flag(true, s)),
            isolation: None,
            debt_bondage,
            escape: s_escape.as_deref().and_then(|s| flag(true, s)),
            findings,
        });
    }
}
