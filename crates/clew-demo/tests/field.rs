//! The demo looks like the field (issue 15, item 8): several spells per witness and follow-up interviews,
//! promised wages, study-visa workers apart from work-permit holders, wages that follow prices and the
//! rouble, companies with one sector and one city, the dip in arrivals of 2020–22, and, run through the
//! assessment engine, a mix of outcomes and a few ledgers that do not add up.
//!
//! The demo's figures are invented to look like the sources; these tests check the generator does what it
//! says, not that the figures are true of anyone.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use clew_assess::engine::Outcome;
use clew_assess::ledger::{Rates, ledgers};
use clew_assess::{Rules, Taxonomy, assess};
use clew_intake::testimony::{NamedEntity, Spell, Testimony};
use clew_model::{Model, Statement};

const SEED: u64 = 2397;
const TESTIMONIES: u64 = 2_000;

fn demo() -> &'static [Testimony] {
    static DEMO: OnceLock<Vec<Testimony>> = OnceLock::new();
    DEMO.get_or_init(|| (0..TESTIMONIES).map(|i| clew_demo::generate(SEED, i, TESTIMONIES)).collect())
}

fn spells() -> impl Iterator<Item = (&'static Testimony, &'static Spell)> {
    demo().iter().flat_map(|t| t.facts.spells.iter().map(move |s| (t, s)))
}

/// Spells coded with their pay and dates.
fn paid_spells() -> impl Iterator<Item = (&'static Testimony, &'static Spell, f64)> {
    spells().filter_map(|(t, s)| {
        let paid = s.employer_paid.as_ref()?;
        (paid.amount.currency == "RUB" && s.period.start.is_some()).then_some((t, s, paid.amount.amount))
    })
}

fn entity<'a>(testimony: &'a Testimony, key: &str) -> &'a NamedEntity {
    testimony.facts.entities.iter().find(|e| e.key == key).unwrap()
}

fn start_year(spell: &Spell) -> Option<u16> {
    spell.period.start.map(|d| d.year)
}

fn purpose(spell: &Spell) -> Option<&str> {
    spell.permit.as_ref().and_then(|p| p.purpose.as_deref())
}

fn median(mut values: Vec<f64>) -> f64 {
    assert!(!values.is_empty());
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

#[test]
fn witnesses_have_several_spells_and_some_are_interviewed_twice() {
    let several = demo().iter().filter(|t| t.facts.spells.len() > 1).count();
    let several = share(several, demo().len());
    assert!((0.2..0.45).contains(&several), "share with more than one spell: {several}");
    assert!(demo().iter().any(|t| t.facts.spells.iter().any(|s| s.key == "spell3")));

    let mut by_witness: BTreeMap<&str, Vec<&Testimony>> = BTreeMap::new();
    for testimony in demo() {
        by_witness.entry(testimony.witness.pseudonym.as_str()).or_default().push(testimony);
    }
    let twice: Vec<&Vec<&Testimony>> = by_witness.values().filter(|t| t.len() > 1).collect();
    let follow_ups = share(twice.len(), by_witness.len());
    assert!((0.02..0.1).contains(&follow_ups), "witnesses interviewed more than once: {follow_ups}");
    for interviews in twice {
        let first = interviews[0];
        assert_eq!(first.witness.pseudonym, format!("W-DEMO-{}", &first.id.as_str()[7..]), "the first is the first");
        assert!(first.consent.follow_up, "{}: a witness is interviewed again only if they agreed", first.id);
        for later in &interviews[1..] {
            let date = |t: &Testimony| (t.interview.date.year, t.interview.date.month);
            assert!(date(later) > date(first), "{} is later than {}", later.id, first.id);
            // The same story: the same employers, in the same order.
            let employers = |t: &Testimony| -> Vec<String> {
                t.facts
                    .spells
                    .iter()
                    .map(|s| entity(t, s.employer.as_deref().unwrap()).id.clone().unwrap().to_string())
                    .collect()
            };
            assert_eq!(employers(later), employers(first));
            assert_eq!(later.witness.gender, first.witness.gender);
        }
    }
}

#[test]
fn promised_wages_are_coded_and_often_far_above_what_reached_the_worker() {
    let full: Vec<&Spell> = spells().map(|(_, s)| s).filter(|s| s.worker_received.is_some()).collect();
    let promised: Vec<(&Spell, f64)> =
        full.iter().filter_map(|s| s.promised_wage.as_ref().map(|p| (*s, p.amount))).collect();
    let coded = share(promised.len(), full.len());
    assert!((0.45..0.8).contains(&coded), "spells with a promised wage: {coded}");
    let comparable: Vec<f64> = promised
        .iter()
        .filter(|(s, _)| s.promised_wage.as_ref().unwrap().currency == "RUB")
        .map(|(s, promised)| s.worker_received.as_ref().unwrap().amount.amount / promised)
        .collect();
    let deceived = share(comparable.iter().filter(|r| **r <= 0.5).count(), comparable.len());
    assert!((0.3..0.8).contains(&deceived), "received half the promise or less: {deceived}");
    assert!(comparable.iter().any(|r| *r > 0.8), "some were told the truth");
    assert!(promised.iter().any(|(s, _)| s.promised_wage.as_ref().unwrap().currency == "USD"));
    let debts = share(full.iter().filter(|s| s.debt_bondage.is_some()).count(), full.len());
    assert!((0.03..0.2).contains(&debts), "spells tied by debt: {debts}");
}

#[test]
fn study_visa_workers_are_paid_less_work_longer_and_in_other_sectors() {
    // Pay against the median of all spells that began the same year, so that inflation does not count.
    let mut by_year: BTreeMap<u16, Vec<f64>> = BTreeMap::new();
    for (_, spell, paid) in paid_spells() {
        by_year.entry(start_year(spell).unwrap()).or_default().push(paid);
    }
    let year_median: BTreeMap<u16, f64> = by_year.into_iter().map(|(y, v)| (y, median(v))).collect();
    let relative = |visa: &str| -> Vec<f64> {
        paid_spells()
            .filter(|(_, s, _)| purpose(s) == Some(visa))
            .map(|(_, s, paid)| paid / year_median[&start_year(s).unwrap()])
            .collect()
    };
    let (study, work) = (median(relative("study")), median(relative("work")));
    eprintln!("pay against the year's median: study {study:.2}, work {work:.2}");
    assert!(study < work * 0.95, "study-visa pay {study} against work-permit pay {work}, relative to the year");

    let hours = |visa: &str| -> f64 {
        let hours: Vec<f64> = spells()
            .filter(|(_, s)| purpose(s) == Some(visa))
            .filter_map(|(_, s)| s.hours_per_day.as_ref().map(|h| h.value))
            .collect();
        hours.iter().sum::<f64>() / hours.len() as f64
    };
    assert!(hours("study") > hours("work"), "study {} h, work {} h", hours("study"), hours("work"));

    let sector_share = |visa: &str, sector: &str| {
        let of_visa: Vec<&Spell> = spells().map(|(_, s)| s).filter(|s| purpose(s) == Some(visa)).collect();
        share(of_visa.iter().filter(|s| s.sector.as_deref() == Some(sector)).count(), of_visa.len())
    };
    assert!(sector_share("study", "services") > 2.0 * sector_share("work", "services"));
    assert!(sector_share("work", "logging") > 3.0 * sector_share("study", "logging"));
}

#[test]
fn rouble_wages_rise_with_prices_and_dollar_wages_fall_with_the_rouble() {
    let rates = Rates::parse(&clew_demo::synthetic_rate_table(), "synthetic-rates.csv").unwrap();
    let in_years = |years: std::ops::RangeInclusive<u16>| -> (Vec<f64>, Vec<f64>) {
        paid_spells()
            .filter(|(_, s, _)| years.contains(&start_year(s).unwrap()))
            .map(|(_, s, paid)| {
                let start = s.period.start.unwrap().to_string();
                (paid, paid * rates.rate("RUB", &start).unwrap())
            })
            .unzip()
    };
    let (rub_2016, _) = in_years(2016..=2016);
    let (rub_2024, _) = in_years(2024..=2024);
    let (rub_2016, rub_2024) = (median(rub_2016), median(rub_2024));
    eprintln!("median roubles a month: {rub_2016} (2016), {rub_2024} (2024)");
    assert!(rub_2024 > 1.4 * rub_2016, "roubles a month: {rub_2016} in 2016, {rub_2024} in 2024");
    // The rouble halved in 2014–15: the same work paid about a third fewer dollars.
    let (_, usd_2013) = in_years(2013..=2013);
    let (_, usd_2015) = in_years(2015..=2016);
    let (usd_2013, usd_2015) = (median(usd_2013), median(usd_2015));
    eprintln!("median dollars a month: {usd_2013:.0} (2013), {usd_2015:.0} (2015–16)");
    assert!(usd_2015 < 0.8 * usd_2013, "dollars a month: {usd_2013} in 2013, {usd_2015} in 2015–16");
}

#[test]
fn companies_and_sites_keep_one_sector_and_one_city() {
    let mut companies: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    let mut sites: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for (testimony, spell) in spells() {
        let company = entity(testimony, spell.employer.as_deref().unwrap());
        let site = entity(testimony, spell.worksite.as_deref().unwrap());
        let region = site.properties["region"][0].clone();
        let city = site.names[0].rsplit(", ").next().unwrap().to_string();
        let sector = company.properties["sector"][0].clone();
        assert_eq!(spell.sector.as_deref(), Some(sector.as_str()), "{}", testimony.id);
        assert_eq!(site.properties["operator"][0], company.key, "{}: a site is its employer's", testimony.id);
        companies.entry(company.id.clone().unwrap().to_string()).or_default().insert((sector.clone(), city));
        sites.entry(site.id.clone().unwrap().to_string()).or_default().insert((company.key.clone(), region));
        if sector == "military_construction" || sector == "demining" {
            assert_eq!(site.properties["region"][0], "Kursk Oblast");
            assert!(spell.period.start.is_none_or(|d| (d.year, d.month) >= (2024, Some(9))), "{}", testimony.id);
        }
    }
    for (company, seen) in &companies {
        assert_eq!(seen.len(), 1, "{company} in several sectors or cities: {seen:?}");
    }
    assert!(companies.len() > 50, "{}", companies.len());
    let sectors: BTreeSet<&String> = companies.values().flat_map(|s| s.iter().map(|(sector, _)| sector)).collect();
    assert!(sectors.len() >= 9, "{sectors:?}");
    assert!(sites.values().all(|seen| seen.iter().map(|(_, region)| region).collect::<BTreeSet<_>>().len() == 1));
}

#[test]
fn arrivals_dip_while_the_border_was_closed_and_rise_after() {
    // Arrivals: the first spell of each witness's first interview.
    let mut arrivals: BTreeMap<u16, usize> = BTreeMap::new();
    for testimony in demo().iter().filter(|t| t.witness.pseudonym[7..] == t.id.as_str()[7..]) {
        if let Some(year) = testimony.facts.spells.first().and_then(start_year) {
            *arrivals.entry(year).or_default() += 1;
        }
    }
    let mean = |years: std::ops::RangeInclusive<u16>| {
        let count = years.clone().count() as f64;
        years.map(|y| arrivals.get(&y).copied().unwrap_or(0) as f64).sum::<f64>() / count
    };
    let (before, closed, after) = (mean(2016..=2019), mean(2020..=2022), mean(2023..=2025));
    eprintln!("arrivals by year: {arrivals:?}");
    assert!(closed < 0.3 * before, "{arrivals:?}");
    assert!(after > 3.0 * closed, "{arrivals:?}");
    assert!(mean(2024..=2024) > mean(2023..=2023), "{arrivals:?}");
}

/// The testimonies as the store would hold them: their statements.
fn statements(model: &Model, testimony: &Testimony) -> Vec<Statement> {
    clew_intake::mapping::testimony_facts(model, testimony)
        .unwrap()
        .into_iter()
        .map(|fact| fact.into_statement(&testimony.id, 1, "test", "2026-11-01T00:00:00Z"))
        .collect()
}

#[test]
fn assessed_outcomes_and_ledgers_look_like_the_field() {
    let model = Model::builtin().unwrap();
    let taxonomy = Taxonomy::builtin().unwrap();
    let rules = Rules::builtin(model, taxonomy).unwrap();
    let mut outcomes: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut testimony_outcomes: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut findings: BTreeMap<String, usize> = BTreeMap::new();
    let (mut spells, mut flagged) = (0, 0);
    let mut flags: BTreeMap<String, usize> = BTreeMap::new();
    for testimony in demo() {
        let statements = statements(model, testimony);
        let assessment = assess(&testimony.id, &statements, &rules, taxonomy);
        *testimony_outcomes.entry(assessment.outcome).or_default() += 1;
        if testimony.id.as_str() == "T-DEMO-000000" {
            assert_eq!(assessment.outcome, Outcome::ForcedLabour, "the tour's testimony");
        }
        for spell in &assessment.spells {
            spells += 1;
            *outcomes.entry(spell.icls).or_default() += 1;
            for code in spell.involuntariness.iter().chain(&spell.coercion).chain(&spell.indicators) {
                *findings.entry(code.clone()).or_default() += 1;
            }
        }
        for ledger in ledgers(&statements, None).unwrap() {
            flagged += usize::from(!ledger.flags.is_empty());
            for flag in &ledger.flags {
                let kind: String = flag.chars().filter(|c| !c.is_ascii_digit()).take(40).collect();
                *flags.entry(kind).or_default() += 1;
            }
        }
    }
    let of = |outcome| share(outcomes.get(&outcome).copied().unwrap_or(0), spells);
    let finding = |code: &str| share(findings.get(code).copied().unwrap_or(0), spells);
    eprintln!("spells by ICLS outcome: {outcomes:?} of {spells}; testimonies: {testimony_outcomes:?}");
    eprintln!("findings: {findings:?}");
    eprintln!("ledgers flagged: {flagged} of {spells}: {flags:?}");
    // Most spells are forced labour, as the sources report; the rest are spread over every other outcome.
    assert!((0.65..0.9).contains(&of(Outcome::ForcedLabour)), "FL {}", of(Outcome::ForcedLabour));
    assert!((0.02..0.1).contains(&of(Outcome::None)), "NONE {}", of(Outcome::None));
    assert!((0.01..0.08).contains(&of(Outcome::InvOnly)), "INV_ONLY {}", of(Outcome::InvOnly));
    assert!((0.02..0.12).contains(&of(Outcome::CoeOnly)), "COE_ONLY {}", of(Outcome::CoeOnly));
    assert!((0.03..0.15).contains(&of(Outcome::Undetermined)), "UNDETERMINED {}", of(Outcome::Undetermined));
    for outcome in [Outcome::ForcedLabour, Outcome::None, Outcome::InvOnly, Outcome::CoeOnly, Outcome::Undetermined] {
        assert!(testimony_outcomes.contains_key(&outcome), "no testimony is {outcome:?}: {testimony_outcomes:?}");
    }
    // Wages are withheld in most spells, not all; deception and debt bondage are found.
    assert!((0.6..0.95).contains(&finding("COE04")), "COE04 {}", finding("COE04"));
    assert!((0.15..0.6).contains(&finding("IND02")), "IND02 (deception) {}", finding("IND02"));
    assert!((0.02..0.15).contains(&finding("COE03")), "COE03 (debt) {}", finding("COE03"));
    for code in ["INV02", "INV07", "INV08"] {
        assert!(finding(code) > 0.0, "{code}, coded by hand, is found");
    }
    // A few ledgers do not add up.
    let flagged = share(flagged, spells);
    assert!((0.02..0.12).contains(&flagged), "ledgers flagged: {flagged}");
}

#[test]
fn every_generated_testimony_reads_back_as_written() {
    let model = Model::builtin().unwrap();
    for testimony in demo() {
        let json = serde_json::to_string(testimony).unwrap();
        let node = &clew_model::doc::parse(&json, clew_model::doc::TextFormat::Json).unwrap()[0];
        let mut reader = clew_model::read::Reader::default();
        let read = clew_intake::read_testimony(model, node, &mut reader);
        assert!(reader.diagnostics.is_empty(), "{}: {:#?}", testimony.id, reader.diagnostics);
        assert_eq!(read.as_ref(), Some(testimony));
        let text = serde_json::to_string(testimony).unwrap();
        assert!(text.contains("DEMO") && testimony.synthetic);
    }
}

/// The fields of one line of a CSV whose fields may be double-quoted (OFAC's legacy files).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// A name's letters alone, lower case: `KIM, Yong Chol` and `Kim Yongchol` are both `kimyongchol`.
fn letters(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect()
}

/// No name the demo can give a person (a minder who "watches the workers") is that of a real person on the UN or
/// OFAC lists, or of a DPRK public figure, however it is spelled.
#[test]
fn no_demo_person_bears_the_name_of_a_listed_or_public_person() {
    let lists = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../clew-screen/test_data/lists");
    let mut real: BTreeSet<String> = [
        "Kim Il Sung",
        "Kim Jong Il",
        "Kim Jong Un",
        "Kim Yo Jong",
        "Kim Yong Nam",
        "Ri Yong Ho",
        "Choe Son Hui",
        "Choe Ryong Hae",
        "Pak Pong Ju",
        "Kim Ju Ae",
        "Ri Myong Su",
        "Kim Yong Chol",
        "Ri Yong Chol",
    ]
    .iter()
    .map(|n| letters(n))
    .collect();
    for line in std::fs::read_to_string(lists.join("un_dprk_entities_2024-09-26.jsonl")).unwrap().lines() {
        let entity: serde_json::Value = serde_json::from_str(line).unwrap();
        if entity["schema"] == "Person" {
            for key in ["name", "alias"] {
                for name in entity["properties"][key].as_array().into_iter().flatten() {
                    real.insert(letters(name.as_str().unwrap()));
                }
            }
        }
    }
    let latin1 =
        |file: &str| -> String { std::fs::read(lists.join(file)).unwrap().iter().map(|b| *b as char).collect() };
    let individuals: BTreeSet<String> = latin1("ofac_sdn_2022-01.csv")
        .lines()
        .map(csv_fields)
        .filter(|f| f.get(2).is_some_and(|kind| kind.trim() == "individual"))
        .map(|f| {
            real.insert(letters(&f[1]));
            f[0].clone()
        })
        .collect();
    for fields in latin1("ofac_alt_2022-01.csv").lines().map(csv_fields) {
        if fields.len() > 3 && individuals.contains(&fields[0]) {
            real.insert(letters(&fields[3]));
        }
    }
    assert!(real.len() > 5_000, "the lists were read: {} names", real.len());
    let names = clew_demo::possible_korean_names();
    assert!(names.len() > 1_800, "{}", names.len());
    let taken: Vec<&(String, String)> = names.iter().filter(|(_, latin)| real.contains(&letters(latin))).collect();
    assert!(taken.is_empty(), "names of real people the demo could give a minder: {taken:?}");
}
