//! A witness's story: when they arrived, on what visa, and each work spell after it (company, site, hours,
//! pay, deductions, housing, control), as it happened in the fiction. What an interview codes of it is
//! decided apart ([`crate::interview`]), so that a follow-up interview retells the same story.
//!
//! The shares follow what public reporting says of DPRK workers in Russia. Construction dominates, then
//! logging, seafood, farms and factories. Most workers are "crews" under a dispatching DPRK trading company
//! and a security minder, and the state takes most of the pay as loyalty fees. A few hold permission to
//! take jobs on their own for a fixed plan payment, and live and move more freely. Skilled workers (IT,
//! restaurants) live in flats and work shorter days, but are watched and keep little. Arrivals fell away
//! after the border closed in early 2020 and rose again from 2023; from late 2024 military construction and
//! demining in Kursk took workers sent under state agreements.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::rates::{Month, mean_roubles_per_dollar, month_of, price_level, roubles_per_dollar, year_of};
use crate::world::{
    CONSTRUCTION, DEMINING, LOGGING, MILITARY_CONSTRUCTION, PLACES, SECTORS, SITES_PER_COMPANY, choose,
    company_dispatcher, company_in_sector, company_open_in, company_place, company_sector,
};

/// The last month a spell may end in: interviews come after it, and stop in 2026.
pub(crate) const LAST_SPELL_END: Month = month_of(2026, 6);
/// The last month of a first interview; follow-ups may come up to [`LAST_FOLLOW_UP`].
pub(crate) const LAST_INTERVIEW: Month = month_of(2026, 8);
/// The last month of a follow-up interview.
pub(crate) const LAST_FOLLOW_UP: Month = month_of(2026, 10);

/// The declared purpose of the visa or permit a worker entered on.
///
/// Our assumptions about the "study" channel, which grew after the UN deadline of December 2019 for sending
/// workers home: study-visa workers are placed where they can be kept out of sight (interior finishing on
/// city housing sites, restaurants and services, small factories, IT) rather than in the old logging camps,
/// which worked under intergovernmental agreements and work permits. They are paid less than work-permit
/// holders for the same job (paid as "trainees" through schools and intermediaries, with no standing to ask
/// for more), work longer days with fewer rest days, are more often confined to the site and housed in
/// containers on it, and more often have their passports held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Channel {
    Work,
    Study,
    Business,
    /// Sent under a state agreement (military construction and demining in Kursk).
    Official,
}

impl Channel {
    pub(crate) fn purpose(self) -> &'static str {
        match self {
            Channel::Work => "work",
            Channel::Study => "study",
            Channel::Business => "business",
            Channel::Official => "official",
        }
    }

    pub(crate) fn permit_type(self) -> &'static str {
        if self == Channel::Work { "work_permit" } else { "visa" }
    }

    pub(crate) fn words(self) -> (&'static str, &'static str) {
        match self {
            Channel::Work => ("노동", "work"),
            Channel::Study => ("학생", "student"),
            Channel::Business => ("상용", "business"),
            Channel::Official => ("공무", "official"),
        }
    }

    /// Pay against a work-permit holder's for the same job.
    fn pay(self) -> f64 {
        match self {
            Channel::Work | Channel::Official => 1.0,
            Channel::Study => 0.8,
            Channel::Business => 0.9,
        }
    }

    /// Sectors of the spells of workers on this channel (indices into [`SECTORS`], weights).
    fn sectors(self) -> &'static [(usize, u32)] {
        match self {
            Channel::Work => &[(0, 56), (1, 17), (2, 6), (3, 6), (4, 3), (5, 4), (6, 3), (7, 4), (8, 1)],
            Channel::Study => &[(0, 52), (1, 2), (2, 5), (3, 6), (4, 1), (5, 2), (6, 16), (7, 9), (8, 7)],
            Channel::Business => &[(0, 50), (1, 3), (2, 4), (3, 6), (4, 2), (5, 3), (6, 14), (7, 12), (8, 6)],
            Channel::Official => &[(MILITARY_CONSTRUCTION, 80), (DEMINING, 20)],
        }
    }
}

/// How a worker was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    /// In a crew under the dispatching entity and a minder: most workers.
    Crew,
    /// With permission to take jobs on their own for a fixed plan payment.
    Independent,
    /// Skilled work in a small team (IT, restaurants), housed in a flat.
    Skilled,
}

/// When the worker got what was left of the pay: indices into [`PAID_WHEN`].
pub(crate) const PAID_WHEN: [(&str, &str, &str); 4] = [
    ("on_return", "귀국할 때 준다고 했습니다", "was to be paid on return"),
    ("monthly", "매달 받았습니다", "I received every month"),
    ("irregular", "가끔 조금씩 받았습니다", "I received now and then"),
    ("never", "끝내 받지 못했습니다", "I never received"),
];
const ON_RETURN: usize = 0;
const MONTHLY: usize = 1;
const IRREGULAR: usize = 2;
const NEVER: usize = 3;

/// Housing types: code, Korean, English.
pub(crate) const HOUSING: [(&str, &str, &str); 5] = [
    ("container", "컨테이너", "a container"),
    ("dormitory", "합숙소", "a dormitory"),
    ("on_site_shed", "현장 가건물", "a shed on the site"),
    ("apartment", "아파트", "an apartment"),
    ("tent", "천막", "a tent"),
];
const CONTAINER: usize = 0;
const DORMITORY: usize = 1;
const SHED: usize = 2;
const APARTMENT: usize = 3;
const TENT: usize = 4;

/// One work spell as it happened.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) start: Month,
    pub(crate) end: Month,
    /// Months the spell ran past its term because the border was closed (2020–23).
    pub(crate) stranded_months: u32,
    pub(crate) company: u64,
    pub(crate) sector: usize,
    pub(crate) place: usize,
    pub(crate) site: u64,
    pub(crate) dprk: u64,
    pub(crate) profile: Profile,
    /// Interior finishing (plastering, tiling, painting) rather than frame and concrete work.
    pub(crate) finishing: bool,
    pub(crate) hours: u8,
    pub(crate) rest_days: u8,
    /// What the employer paid for the worker, roubles a month.
    pub(crate) paid: f64,
    /// The state's take, roubles a month: a loyalty fee (crews, skilled) or a plan payment (independents).
    pub(crate) fee: f64,
    pub(crate) fee_kind: &'static str,
    /// The fee as fixed in dollars a month, when it was (until 2022).
    pub(crate) fee_usd: Option<f64>,
    pub(crate) lodging: f64,
    pub(crate) food: f64,
    /// Monthly repayment of the debt taken on to be selected.
    pub(crate) debt_repayment: f64,
    /// What was left for the worker, roubles a month.
    pub(crate) received: f64,
    pub(crate) paid_when: usize,
    /// What the recruiters said the worker would get, roubles a month.
    pub(crate) promised: f64,
    pub(crate) housing: usize,
    pub(crate) occupants: u8,
    pub(crate) surveillance: bool,
    pub(crate) confiscation: bool,
    pub(crate) restricted: bool,
    pub(crate) threats: bool,
    pub(crate) violence: bool,
    pub(crate) escaped: bool,
    /// Tied by the debt taken on to pay for being selected.
    pub(crate) debt: bool,
    /// Put to a job of another kind than the one promised.
    pub(crate) other_job: bool,
    /// Hired out to another employer than the one agreed.
    pub(crate) other_employer: bool,
}

/// A witness's story.
#[derive(Debug, Clone)]
pub(crate) struct Story {
    pub(crate) channel: Channel,
    pub(crate) female: bool,
    /// Dollars paid to be selected for Russia, when the witness paid.
    pub(crate) bribe_usd: Option<u32>,
    pub(crate) jobs: Vec<Job>,
    /// The month of the first interview.
    pub(crate) interview: Month,
}

/// The pool of companies and DPRK entities a demo draws on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pools {
    pub(crate) companies: u64,
    pub(crate) dprk_entities: u64,
}

/// The year a witness arrived in Russia: few in 2020–22, when the border was closed, more again from 2023.
fn arrival(rng: &mut ChaCha8Rng) -> Month {
    let year: u16 = choose(
        rng,
        &[
            (2013, 50),
            (2014, 60),
            (2015, 80),
            (2016, 90),
            (2017, 100),
            (2018, 80),
            (2019, 70),
            (2020, 14),
            (2021, 7),
            (2022, 10),
            (2023, 45),
            (2024, 110),
            (2025, 90),
        ],
    );
    let month: u8 = match year {
        // The border closed at the end of January 2020.
        2020 => 1,
        // The first groups came back by air in the spring of 2023.
        2023 => rng.random_range(3..=12),
        _ => rng.random_range(1..=12),
    };
    month_of(year, month)
}

fn channel(rng: &mut ChaCha8Rng, arrival: Month) -> Channel {
    use Channel::{Business, Official, Study, Work};
    let year = year_of(arrival);
    let weights: &[(Channel, u32)] = match year {
        ..=2016 => &[(Work, 97), (Study, 3)],
        2017 => &[(Work, 92), (Study, 8)],
        2018 => &[(Work, 80), (Study, 20)],
        2019 => &[(Work, 45), (Study, 55)],
        2020..=2022 => &[(Work, 15), (Study, 70), (Business, 15)],
        2023 => &[(Work, 10), (Study, 70), (Business, 20)],
        _ if arrival < SECTORS[MILITARY_CONSTRUCTION].from => &[(Work, 5), (Study, 70), (Business, 25)],
        2024 => &[(Work, 4), (Study, 58), (Business, 23), (Official, 15)],
        _ => &[(Work, 5), (Study, 52), (Business, 18), (Official, 25)],
    };
    choose(rng, weights)
}

/// A company for a spell starting in `start`, in a sector workers of this channel are sent to.
fn employer(rng: &mut ChaCha8Rng, channel: Channel, start: Month, previous: Option<usize>, pools: Pools) -> u64 {
    let mut sector = match previous {
        // Half of those moved stay in their trade.
        Some(sector) if rng.random_bool(0.5) => sector,
        _ => choose(rng, channel.sectors()),
    };
    if SECTORS[sector].from > start {
        // Demining began after military construction.
        sector = if SECTORS[MILITARY_CONSTRUCTION].from <= start { MILITARY_CONSTRUCTION } else { CONSTRUCTION };
    }
    company_in_sector(rng, sector, pools.companies).unwrap_or_else(|| company_open_in(rng, start, pools.companies))
}

/// Draws a witness's story from the testimony's generator. A showcase story (the tour's) begins in a crew of
/// company 0.
pub(crate) fn draw(rng: &mut ChaCha8Rng, seed: u64, pools: Pools, showcase: bool) -> Story {
    let arrived = arrival(rng);
    let channel = channel(rng, arrived);
    let female = rng.random_bool(0.1);
    let bribe_share = match year_of(arrived) {
        ..=2016 => 0.08,
        2017..=2019 => 0.15,
        _ => 0.25,
    };
    let bribe_usd = rng.random_bool(bribe_share).then(|| {
        let (low, high) = if year_of(arrived) >= 2020 { (1_300, 2_000) } else { (500, 1_300) };
        rng.random_range(low..=high) / 50 * 50
    });
    let extra_spells = if channel == Channel::Official { 0 } else { choose(rng, &[(0usize, 67), (1, 25), (2, 8)]) };
    let mut jobs: Vec<Job> = Vec::with_capacity(1 + extra_spells);
    let mut start = arrived;
    for number in 0..=extra_spells {
        if start > LAST_SPELL_END - 2 {
            break;
        }
        let previous = jobs.last();
        let showcase = showcase && number == 0;
        let company = if showcase { 0 } else { employer(rng, channel, start, previous.map(|j| j.sector), pools) };
        let profile = match previous.map(|j| j.profile) {
            _ if showcase => Profile::Crew,
            Some(Profile::Independent) if rng.random_bool(0.7) => Profile::Independent,
            _ => profile(rng, channel, company_sector(company), start),
        };
        let job = job(rng, seed, pools, channel, company, profile, start, number == 0, bribe_usd.is_some());
        start = job.end + rng.random_range(0..=2);
        jobs.push(job);
    }
    // Escape ends a career: only the last spell can end in one.
    let spells = jobs.len();
    for job in jobs.iter_mut().take(spells.saturating_sub(1)) {
        job.escaped = false;
    }
    let last_end = jobs.last().map_or(arrived, |j| j.end);
    let interview = (last_end + rng.random_range(1..=30)).min(LAST_INTERVIEW);
    Story { channel, female, bribe_usd, jobs, interview }
}

fn profile(rng: &mut ChaCha8Rng, channel: Channel, sector: usize, start: Month) -> Profile {
    if channel == Channel::Official || sector == MILITARY_CONSTRUCTION || sector == DEMINING {
        return Profile::Crew;
    }
    let independent = match channel {
        Channel::Work if year_of(start) <= 2019 => 0.16,
        Channel::Work | Channel::Business => 0.06,
        _ => 0.02,
    };
    let skilled = match SECTORS[sector].code {
        "it" => 0.85,
        "services" => 0.6,
        "manufacturing" => 0.15,
        "shipbuilding" => 0.1,
        _ => 0.0,
    };
    if rng.random_bool(independent) {
        Profile::Independent
    } else if rng.random_bool(skilled) {
        Profile::Skilled
    } else {
        Profile::Crew
    }
}

/// Real wages in Russia against 2016 (they fell in 2015–16 and rose with the labour shortage from 2023).
fn real_wage(year: u16) -> f64 {
    match year {
        ..=2014 => 1.07,
        2015..=2016 => 1.0,
        2017..=2018 => 1.03,
        2019..=2022 => 1.06,
        2023 => 1.14,
        2024 => 1.23,
        _ => 1.28,
    }
}

fn round_to(value: f64, step: f64) -> f64 {
    (value / step).round() * step
}

/// What an employer paid a month for a construction worker on a work permit in the Far East in January 2016,
/// in roubles; other months, places, sectors and visas scale from it.
const BASE_PAY: f64 = 48_000.0;

#[allow(clippy::too_many_arguments)]
fn job(
    rng: &mut ChaCha8Rng,
    seed: u64,
    pools: Pools,
    channel: Channel,
    company: u64,
    profile: Profile,
    start: Month,
    first: bool,
    bribed: bool,
) -> Job {
    let sector = company_sector(company);
    let place = company_place(seed, company);
    let site = company + pools.companies * rng.random_range(0..SITES_PER_COMPANY);
    let dprk = if rng.random_bool(0.85) {
        company_dispatcher(seed, company, pools.dprk_entities)
    } else {
        rng.random_range(0..pools.dprk_entities)
    };
    let study = matches!(channel, Channel::Study | Channel::Business);

    // How long: a term of up to three years at first, shorter moves after; workers whose term ran out while
    // the border was closed (February 2020 to mid-2023) mostly stayed until it reopened.
    let months = if first { rng.random_range(4..=36) } else { rng.random_range(3..=24) };
    let planned_end = start + months;
    let (closed, reopened) = (month_of(2020, 2), month_of(2023, 8));
    let end = if (closed..reopened).contains(&planned_end) && rng.random_bool(0.75) {
        reopened + rng.random_range(0..=12)
    } else {
        planned_end
    }
    .min(LAST_SPELL_END);
    let stranded_months = end.saturating_sub(planned_end);

    let finishing = sector == CONSTRUCTION && rng.random_bool(if study { 0.6 } else { 0.3 });
    let (hours, rest_days): (u8, u8) = match profile {
        Profile::Crew => {
            let hours = choose(rng, &[(10u8, 8), (11, 10), (12, 36), (13, 18), (14, 16), (15, 7), (16, 5)]);
            let rest = choose(rng, &[(0u8, 15), (1, 30), (2, 30), (3, 12), (4, 13)]);
            if study && rng.random_bool(0.35) { ((hours + 1).min(16), rest.saturating_sub(1)) } else { (hours, rest) }
        }
        Profile::Independent => (
            choose(rng, &[(8u8, 20), (9, 25), (10, 30), (11, 10), (12, 10), (13, 5)]),
            choose(rng, &[(2u8, 8), (3, 20), (4, 45), (6, 17), (8, 10)]),
        ),
        Profile::Skilled => (
            choose(rng, &[(8u8, 15), (9, 20), (10, 25), (11, 12), (12, 15), (14, 13)]),
            choose(rng, &[(1u8, 8), (2, 10), (3, 17), (4, 45), (8, 20)]),
        ),
    };

    // Pay: contract wages are set in roubles and follow Russian prices and wages, so their dollar value
    // falls whenever the rouble does.
    let year = year_of(start);
    let paid = round_to(
        BASE_PAY * price_level(start) / price_level(month_of(2016, 1))
            * real_wage(year)
            * PLACES[place].pay
            * SECTORS[sector].pay
            * channel.pay()
            * rng.random_range(0.85..1.15),
        1_000.0,
    );
    // The state's take. Until 2022 the loyalty fee was a dollar sum fixed on last year's rouble, so a falling
    // rouble made it eat more of the roubles paid; from 2023 the sums were set in roubles.
    let (fee, fee_kind, fee_usd) = match profile {
        Profile::Crew => {
            let share = rng.random_range(0.55..0.85);
            if year <= 2022 {
                let usd = round_to(share * paid / mean_roubles_per_dollar(year - 1), 10.0);
                let roubles = (usd * roubles_per_dollar(start)).min(paid * 0.92);
                (round_to(roubles, 1_000.0), "loyalty_fee", Some(usd))
            } else {
                (round_to(share * paid, 1_000.0), "loyalty_fee", None)
            }
        }
        Profile::Skilled => (round_to(rng.random_range(0.5..0.65) * paid, 1_000.0), "loyalty_fee", None),
        Profile::Independent => (round_to(rng.random_range(0.25..0.45) * paid, 1_000.0), "plan_quota", None),
    };
    let share = |rng: &mut ChaCha8Rng, p: f64, low: f64, high: f64| {
        if rng.random_bool(p) { round_to(paid * rng.random_range(low..high), 500.0) } else { 0.0 }
    };
    let (mut lodging, mut food) = match profile {
        Profile::Crew => (share(rng, 0.45, 0.03, 0.07), share(rng, 0.35, 0.06, 0.10)),
        Profile::Independent => (share(rng, 0.5, 0.08, 0.15), share(rng, 0.1, 0.05, 0.08)),
        Profile::Skilled => (share(rng, 0.3, 0.05, 0.08), share(rng, 0.1, 0.05, 0.08)),
    };
    let debt = first && bribed && rng.random_bool(0.7);
    let mut debt_repayment = if debt { round_to(paid * rng.random_range(0.04..0.08), 500.0) } else { 0.0 };
    if fee + lodging + food + debt_repayment > paid {
        // What the state takes comes first; the rest is cut to what is left.
        lodging = 0.0;
        food = 0.0;
        debt_repayment = 0.0;
    }
    let received = paid - fee - lodging - food - debt_repayment;

    let paid_when = match profile {
        Profile::Crew => choose(rng, &[(ON_RETURN, 58), (MONTHLY, 22), (IRREGULAR, 8), (NEVER, 12)]),
        Profile::Independent => choose(rng, &[(MONTHLY, 85), (IRREGULAR, 15)]),
        Profile::Skilled => choose(rng, &[(MONTHLY, 45), (ON_RETURN, 45), (IRREGULAR, 10)]),
    };
    // Recruiters told most crews they would keep about half the pay; some told the truth.
    let honest = match profile {
        Profile::Crew => 0.3,
        Profile::Skilled => 0.5,
        Profile::Independent => 0.8,
    };
    let promised = if rng.random_bool(honest) {
        round_to(received.max(paid * 0.15) * rng.random_range(0.9..1.4), 1_000.0)
    } else {
        round_to(paid * rng.random_range(0.35..0.7), 1_000.0)
    }
    .max(5_000.0);

    let housing = match (profile, sector) {
        (Profile::Crew, s) if s == MILITARY_CONSTRUCTION || s == DEMINING => {
            choose(rng, &[(TENT, 40), (SHED, 30), (DORMITORY, 30)])
        }
        (Profile::Crew, LOGGING) => choose(rng, &[(DORMITORY, 40), (SHED, 40), (TENT, 20)]),
        (Profile::Crew, _) if study => choose(rng, &[(CONTAINER, 50), (DORMITORY, 25), (SHED, 20), (APARTMENT, 5)]),
        (Profile::Crew, _) => choose(rng, &[(CONTAINER, 38), (DORMITORY, 40), (SHED, 17), (APARTMENT, 5)]),
        (Profile::Independent, _) => choose(rng, &[(APARTMENT, 60), (DORMITORY, 40)]),
        (Profile::Skilled, _) => choose(rng, &[(APARTMENT, 70), (DORMITORY, 30)]),
    };
    let occupants: u8 = match (profile, housing) {
        (Profile::Independent, _) => rng.random_range(2..=5),
        (Profile::Skilled, _) => rng.random_range(2..=6),
        (_, CONTAINER) => rng.random_range(4..=8),
        (_, APARTMENT) => rng.random_range(3..=8),
        (_, TENT) => rng.random_range(8..=20),
        _ => rng.random_range(6..=16),
    };
    let official = channel == Channel::Official;
    let (surveillance, confiscation, restricted, threats, violence, escaped) = match profile {
        Profile::Crew => (
            0.85,
            if study { 0.85 } else { 0.72 },
            if official {
                0.95
            } else if study {
                0.9
            } else {
                0.75
            },
            0.55,
            if official { 0.25 } else { 0.18 },
            0.25,
        ),
        Profile::Skilled => (0.8, 0.7, 0.5, 0.3, 0.03, 0.15),
        Profile::Independent => (0.35, 0.3, 0.12, 0.1, 0.02, 0.08),
    };
    Job {
        start,
        end,
        stranded_months,
        company,
        sector,
        place,
        site,
        dprk,
        profile,
        finishing,
        hours,
        rest_days,
        paid,
        fee,
        fee_kind,
        fee_usd,
        lodging,
        food,
        debt_repayment,
        received,
        paid_when,
        promised,
        housing,
        occupants,
        surveillance: rng.random_bool(surveillance),
        confiscation: rng.random_bool(confiscation),
        restricted: rng.random_bool(restricted),
        threats: rng.random_bool(threats),
        violence: rng.random_bool(violence),
        escaped: rng.random_bool(escaped),
        debt,
        other_job: profile == Profile::Crew && rng.random_bool(0.06),
        other_employer: rng.random_bool(0.04),
    }
}
