//! The sanctions brief (`clew brief sanctions`): across the project, for sanctions monitors, what the testimonies
//! say of DPRK nationals working in Russia after the repatriation deadline of resolution 2397, of the permits
//! they came on by declared purpose over the years, of the employers and dispatching bodies (each with its
//! sanctions-list status), and the revenue estimates kept. One structure both renderers show, made under the one
//! `Audience` policy a dossier follows: each witness's consent decides whether their testimony counts at all,
//! and for audiences outside the team and the courts a count between 1 and k − 1 is not given, and an employer
//! or dispatching body fewer than k witnesses name is held back.

use std::collections::{BTreeMap, BTreeSet};

use clew_assess::engine::spells;
use clew_assess::ledger::spell_months;
use clew_assess::legal::{Bearing, Framework, Instrument};
use clew_disclosure::package::source_consent;
use clew_model::ids::sha256_hex;
use clew_model::{EntityId, SourceKind, Statement};
use serde::{Deserialize, Serialize};

use crate::analysis::{is_synthetic, model};
use crate::dossier::{Audience, MIN_OUTSIDE_WITNESSES, Names};
use crate::estimate::{EstimateKind, Figure};
use crate::{Error, Result, Service};

/// The format of a brief.
pub const BRIEF_FORMAT: &str = "clew-brief-sanctions-v1";

/// The country of the work the brief is about, and the nationality of the workers (ISO 3166-1 alpha-2).
const WORK_COUNTRY: &str = "ru";
const NATIONALITY: &str = "kp";

/// The schemata a brief reads of each testimony: the spells, their permits and dispatch, the worksites' and
/// employers' countries, the witnesses' nationality, and whether the testimony is synthetic.
const BRIEF_SCHEMATA: [&str; 10] = [
    "Employment",
    "Permit",
    "Dispatch",
    "Worksite",
    "Person",
    "Company",
    "Organization",
    "LegalEntity",
    "PublicBody",
    "Testimony",
];

/// Resamples of the state's take per worker-month, and their seed (the same evidence gives the same interval).
const TAKE_RESAMPLES: usize = 2000;
const TAKE_SEED: u64 = 2397;

/// Counts of one group (sectors) of which exactly one is withheld: the next smallest is withheld too, so that
/// the total less the others does not give the withheld one.
fn suppress_one(mut cells: Vec<(String, Option<usize>)>) -> Vec<(String, Option<usize>)> {
    if cells.iter().filter(|(_, n)| n.is_none()).count() == 1
        && let Some(smallest) = cells.iter_mut().filter(|(_, n)| n.is_some()).min_by_key(|(_, n)| *n)
    {
        smallest.1 = None;
    }
    cells
}

/// The most kept revenue estimates a brief shows (the newest).
const REVENUE_ESTIMATES: usize = 3;

/// What a brief is asked to be.
#[derive(Debug, Clone)]
pub struct BriefRequest {
    /// Who it is for.
    pub audience: Audience,
    /// The fewest witnesses a count or a named body may rest on, for audiences outside the team and the courts.
    pub min_witnesses: usize,
    /// Only work from this month on, and permits issued from it (`YYYY-MM` or `YYYY-MM-DD`).
    pub since: Option<String>,
}

/// The sanctions brief: the one structure both renderers show.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    /// Always [`BRIEF_FORMAT`].
    pub format: &'static str,
    /// Who it is for.
    pub audience: Audience,
    /// Whether fictional demo data went into it: said on every page.
    pub synthetic: bool,
    /// Whether counts below k are withheld and thin bodies held back.
    pub coarsened: bool,
    /// k.
    pub min_witnesses: usize,
    /// The month it starts from, when asked (`YYYY-MM`).
    pub since: Option<String>,
    /// The repatriation deadline (resolution 2397 ¶8), as the legal framework gives it.
    pub deadline: String,
    /// The date from which permits fall under resolution 2375 ¶17.
    pub permits_from: String,
    /// Testimonies read (their witnesses' consent covers the audience).
    pub testimonies: usize,
    /// Testimonies left out for their witnesses' consent; `None` when withheld.
    pub testimonies_left_out: Option<usize>,
    /// DPRK nationals working in Russia after the deadline.
    pub after_deadline: AfterDeadline,
    /// Work spells not counted: the witness's nationality or the country of the work is not coded; `None` when
    /// withheld.
    pub spells_unplaced: Option<usize>,
    /// Permits by the year issued and declared purpose.
    pub permits: Vec<PermitYear>,
    /// The declared purposes found, in the order of the columns: code and label.
    pub purposes: Vec<(String, String)>,
    /// Witnesses whose permit was issued on or after `permits_from`; `None` when withheld.
    pub permits_after: Option<usize>,
    /// Employers and dispatching bodies, most witnesses after the deadline first.
    pub bodies: Vec<Body>,
    /// Bodies held back: fewer than k witnesses name them.
    pub bodies_held_back: usize,
    /// The newest revenue estimates kept in the project: for the team and the courts only (they draw on every
    /// testimony's wage ledgers, whatever its witness's consent).
    pub revenue: Vec<KeptRevenue>,
    /// For other audiences: the state's take per worker-month in US dollars from the ledgers of the testimonies
    /// they may have, with its 95% interval (resampling witnesses); `None` below 30 witnesses or k.
    pub take_per_month: Option<clew_stats::bootstrap::Interval>,
    /// The instruments the brief bears on, from the legal framework.
    pub legal: Vec<Instrument>,
    /// What it was made from.
    pub made_from: BriefMadeFrom,
}

/// Witnesses working in Russia after the deadline.
#[derive(Debug, Clone, Serialize, Default)]
pub struct AfterDeadline {
    /// Witnesses (two interviews of one witness count once); `None` when withheld.
    pub witnesses: Option<usize>,
    /// Their work spells after the deadline.
    pub spells: Option<usize>,
    /// By year: the witnesses working in it, after the deadline.
    pub by_year: Vec<(u32, Option<usize>)>,
    /// By sector (its label; empty when not coded): the witnesses.
    pub by_sector: Vec<(String, Option<usize>)>,
}

/// One year of permits.
#[derive(Debug, Clone, Serialize)]
pub struct PermitYear {
    /// The year issued.
    pub year: u32,
    /// Witnesses with a permit of each purpose (in the order of [`Brief::purposes`]); `None` when withheld.
    pub counts: Vec<Option<usize>>,
}

/// What a body is to the workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyRole {
    /// It sent workers abroad.
    Dispatcher,
    /// It employed them.
    Employer,
}

/// An employer or a dispatching body.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    /// What it is.
    pub role: BodyRole,
    /// Its id (a dossier on it: `clew dossier ID`); `None` for an audience outside the team and the courts when it
    /// was made from a testimony's id (an entity a testimony named without an id of its own).
    pub id: Option<EntityId>,
    /// Its name as the audience may read it.
    pub name: String,
    /// Witnesses who name it.
    pub witnesses: usize,
    /// Of them, working for it (or sent by it) after the deadline; `None` when withheld.
    pub after_deadline: Option<usize>,
    /// The last year the testimonies place work with it.
    pub last_year: Option<u32>,
    /// Its sanctions-list matches recorded by `clew screen --record`: list, entry, score.
    pub matches: Vec<ListMatch>,
}

/// A revenue estimate kept in the project.
#[derive(Debug, Clone, Serialize)]
pub struct KeptRevenue {
    /// Its number.
    pub number: u64,
    /// Its title.
    pub title: String,
    /// When it was kept.
    pub recorded_at: String,
    /// Whether fictional data went into it.
    pub synthetic: bool,
    /// Its figures (by basis: `quota`, `wage`), US dollars a year.
    pub headline: Vec<Figure>,
}

/// What a brief was made from (`manifest.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BriefMadeFrom {
    /// clew's version.
    pub clew: String,
    /// The legal framework's version.
    pub framework: String,
    /// The custody log's last event when it was made: sequence number, time and leaf hash.
    pub log_head: Option<(u64, String, String)>,
    /// SHA-256 over the sorted ids of the testimonies read.
    pub testimonies_sha256: String,
    /// The kept estimates shown, by number.
    pub estimates: Vec<u64>,
}

/// A sanctions match: list, entry, score.
type ListMatch = (String, String, f64);

/// A body as the spells name it: the witnesses, those after the deadline, the witnesses of each year.
type Named<'a> = (BTreeSet<&'a str>, BTreeSet<&'a str>, BTreeMap<u32, BTreeSet<&'a str>>);

/// One work spell, as the brief reads it.
struct Work {
    witness: String,
    placed: bool,
    months: Vec<u32>,
    sector: Option<String>,
    employer: Option<String>,
    dispatchers: Vec<String>,
    /// Each permit: the month issued, the date as coded (or the spell's first month), the declared purpose.
    permits: Vec<(u32, String, String)>,
    /// What the state took per worker-month in US dollars, when its ledger says (read for outside audiences).
    take: Option<f64>,
    /// The names this testimony gives the employer and the dispatching bodies: body, name, sensitivity.
    names: Vec<(String, String, clew_model::Sensitivity)>,
}

fn first<'a>(statements: &[&'a Statement], property: &str) -> Option<&'a str> {
    statements.iter().find(|s| s.property == property).map(|s| s.value.as_str())
}

/// A date's month (`YYYY-MM` or `YYYY-MM-DD`, a real one) as months since year 0, as `spell_months` counts them.
fn month_of(date: &str) -> Option<u32> {
    let parsed: clew_model::value::PartialDate = date.parse().ok()?;
    Some(u32::from(parsed.year) * 12 + u32::from(parsed.month?) - 1)
}

/// The work spells of one testimony; with `rates` and the rules' state deduction kinds, each spell's state take
/// per worker-month.
fn works(statements: &[Statement], rates: Option<(&clew_assess::ledger::Rates, &BTreeSet<String>)>) -> Vec<Work> {
    let found_ledgers =
        rates.map(|(rates, _)| clew_assess::ledger::ledgers_and_missing_rates(statements, Some(rates)).0);
    let ledgers = found_ledgers.as_ref().zip(rates.map(|(_, kinds)| kinds));
    let value = |entity: &str, property: &str| {
        statements.iter().find(|s| s.entity_id.as_str() == entity && s.property == property).map(|s| s.value.as_str())
    };
    let mut found = Vec::new();
    for spell in spells(statements) {
        let Some(witness) = first(&spell.own, "employee") else { continue };
        let employer = first(&spell.own, "employer");
        let site = first(&spell.own, "worksite");
        let country = site.and_then(|s| value(s, "country")).or_else(|| employer.and_then(|e| value(e, "country")));
        let placed = country == Some(WORK_COUNTRY) && value(witness, "nationality") == Some(NATIONALITY);
        let months = spell_months(first(&spell.own, "startDate"), first(&spell.own, "endDate"));
        let of = |schema: &str, property: &str| -> Vec<(&EntityId, String)> {
            spell
                .related
                .iter()
                .filter(|(_, (s, _))| *s == schema)
                .flat_map(|(id, (_, facts))| {
                    facts.iter().filter(|f| f.property == property).map(move |f| (*id, f.value.clone()))
                })
                .collect()
        };
        let dispatchers: Vec<String> = of("Dispatch", "dispatcher").into_iter().map(|(_, d)| d).collect();
        // A permit's year is its start when coded, else the spell's first (the worker came on it).
        let mut permits = Vec::new();
        for (permit, purpose) in of("Permit", "purpose") {
            let coded = value(permit.as_str(), "startDate").filter(|d| month_of(d).is_some());
            let issued = coded
                .map(str::to_string)
                .or_else(|| months.first().map(|m| format!("{:04}-{:02}", m / 12, m % 12 + 1)));
            if let Some(issued) = issued.and_then(|d| Some((month_of(&d)?, d))) {
                permits.push((issued.0, issued.1, purpose));
            }
        }
        let take = ledgers.and_then(|(found, kinds)| {
            let ledger = found.iter().find(|l| l.spell.as_ref() == spell.id)?;
            crate::revenue::state_take_per_month(ledger, kinds).0
        });
        let bodies: BTreeSet<&str> = employer.into_iter().chain(dispatchers.iter().map(String::as_str)).collect();
        let names = statements
            .iter()
            .filter(|s| s.property == "name" && bodies.contains(s.entity_id.as_str()))
            .map(|s| (s.entity_id.as_str().to_string(), s.value.clone(), s.sensitivity))
            .collect();
        found.push(Work {
            witness: witness.to_string(),
            names,
            placed,
            sector: first(&spell.own, "sector").map(str::to_string),
            employer: employer.map(str::to_string),
            dispatchers,
            permits,
            take,
            months,
        });
    }
    found
}

impl Service {
    /// The sanctions brief for `request.audience`, from one snapshot of the project.
    pub fn brief(&self, request: &BriefRequest) -> Result<Brief> {
        let model = model()?;
        let framework = Framework::builtin().map_err(|d| Error::internal(format!("the legal framework: {d:?}")))?;
        let audience = request.audience;
        let coarsened = !audience.receives_words();
        if coarsened && request.min_witnesses < MIN_OUTSIDE_WITNESSES {
            return Err(Error::usage(format!(
                "a brief for audience `{}` needs at least {MIN_OUTSIDE_WITNESSES} witnesses behind a count (asked: {}); \
                 below that the check protects no one",
                audience.as_str(),
                request.min_witnesses
            )));
        }
        let k = request.min_witnesses.max(1);
        let since = match &request.since {
            Some(date) => Some(
                month_of(date)
                    .ok_or_else(|| Error::usage(format!("--since: `{date}` is not a date (YYYY-MM or YYYY-MM-DD)")))?,
            ),
            None => None,
        };
        let bearing_date = |bearing: Bearing| {
            framework
                .instruments
                .iter()
                .find(|i| i.bearing == bearing)
                .and_then(|i| i.date_of_bearing.clone())
                .ok_or_else(|| Error::internal(format!("the legal framework has no date for {bearing:?}")))
        };
        let deadline = bearing_date(Bearing::WorkingAfter)?;
        let permits_from = bearing_date(Bearing::PermitAfter)?;
        let deadline_month = month_of(&deadline).ok_or_else(|| Error::internal("the deadline is not a date"))?;
        let store = &*self.project.read()?;

        // Every testimony whose witness's consent covers the audience: its work spells.
        let mut read_ids: Vec<String> = Vec::new();
        let mut left_out = 0usize;
        let mut synthetic = false;
        let mut work: Vec<Work> = Vec::new();
        let same_person = crate::linkage::same_person(store)?;
        // An audience outside the team and the courts gets no estimate drawn from every testimony: the state's take
        // is read from the ledgers of the testimonies it may have, here.
        let rates = if coarsened { Some(self.rates(None)?.rates) } else { None };
        let state_kinds = crate::analysis::rules(None)?.state_deduction_kinds();
        let ledger_schemata: Vec<&str> = BRIEF_SCHEMATA.iter().chain(&["Payment", "Deduction"]).copied().collect();
        let schemata: &[&str] = if coarsened { &ledger_schemata } else { &BRIEF_SCHEMATA };
        let mut every: Vec<(clew_model::SourceId, bool, Vec<Work>)> = Vec::new();
        store.for_each_testimony(schemata, &mut |id, statements| {
            let with = rates.as_ref().map(|r| (r, &state_kinds));
            every.push((id, is_synthetic(&statements), works(&statements, with)));
            Ok(())
        })?;
        for (id, fictional, spells) in every {
            let Some(source) = store.source(&id)? else { continue };
            if source.kind != SourceKind::Testimony {
                continue;
            }
            let consent = source_consent(store, &id)?;
            if audience.refusal_of(&source, consent.as_ref().map(|(c, w)| (c, w.as_deref()))).is_some() {
                left_out += 1;
                continue;
            }
            synthetic |= fictional;
            read_ids.push(id.as_str().to_string());
            // Each witness as one person: two pseudonyms reviewers judged the same count once.
            work.extend(spells.into_iter().map(|spell| match same_person.get(&spell.witness) {
                Some(person) => Work { witness: person.clone(), ..spell },
                None => spell,
            }));
        }

        let label = |list: &str, code: &str| -> String {
            model.codes.get(list).and_then(|codes| codes.get(code)).cloned().unwrap_or_else(|| code.to_string())
        };
        let count = |n: usize| if coarsened && n > 0 && n < k { None } else { Some(n) };
        let in_scope = |month: &u32| since.is_none_or(|s| *month >= s);
        let after = |month: &u32| *month > deadline_month && in_scope(month);

        // After the deadline: by witness, year and sector.
        let mut witnesses_after: BTreeSet<&str> = BTreeSet::new();
        let mut spells_after = 0usize;
        let mut by_year: BTreeMap<u32, BTreeSet<&str>> = BTreeMap::new();
        let mut by_sector: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut unplaced = 0usize;
        for spell in &work {
            if !spell.placed {
                unplaced += 1;
                continue;
            }
            let months_after: Vec<&u32> = spell.months.iter().filter(|m| after(m)).collect();
            if months_after.is_empty() {
                continue;
            }
            spells_after += 1;
            witnesses_after.insert(&spell.witness);
            for month in months_after {
                by_year.entry(month / 12).or_default().insert(&spell.witness);
            }
            by_sector.entry(spell.sector.as_deref().unwrap_or("")).or_default().insert(&spell.witness);
        }
        let after_deadline = AfterDeadline {
            witnesses: count(witnesses_after.len()),
            spells: if coarsened && witnesses_after.len() < k { None } else { Some(spells_after) },
            by_year: by_year.iter().map(|(year, w)| (*year, count(w.len()))).collect(),
            by_sector: suppress_one(
                by_sector.iter().map(|(sector, w)| (label("sector", sector), count(w.len()))).collect(),
            ),
        };

        // Permits by year issued and declared purpose: witnesses, once each.
        let mut permits: BTreeMap<u32, BTreeMap<&str, BTreeSet<&str>>> = BTreeMap::new();
        let mut permits_after: BTreeSet<&str> = BTreeSet::new();
        for spell in work.iter().filter(|s| s.placed) {
            for (issued, date, purpose) in spell.permits.iter().filter(|(issued, ..)| in_scope(issued)) {
                permits.entry(issued / 12).or_default().entry(purpose.as_str()).or_default().insert(&spell.witness);
                // A month that holds the resolution's date is not after it.
                if crate::dossier::on_or_after(date, &permits_from) {
                    permits_after.insert(&spell.witness);
                }
            }
        }
        let mut purposes: Vec<String> = permits
            .values()
            .flat_map(|p| p.keys().map(|s| s.to_string()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // Study and work first: the channel the resolutions closed, and the one used instead.
        purposes.sort_by_key(|p| (p != "study", p != "work", p.clone()));
        let purposes: Vec<(String, String)> =
            purposes.into_iter().map(|p| (label("permitPurpose", &p), p)).map(|(l, p)| (p, l)).collect();
        let permit_years = match (permits.keys().next(), permits.keys().last()) {
            (Some(&first), Some(&last)) => (first..=last)
                .map(|year| PermitYear {
                    year,
                    counts: purposes
                        .iter()
                        .map(|(p, _)| {
                            count(permits.get(&year).and_then(|y| y.get(p.as_str())).map_or(0, BTreeSet::len))
                        })
                        .collect(),
                })
                .collect(),
            _ => Vec::new(),
        };

        // Employers and dispatching bodies.
        let mut named: BTreeMap<(BodyRole, &str), Named<'_>> = BTreeMap::new();
        for spell in work.iter().filter(|s| s.placed && s.months.iter().any(in_scope)) {
            let worked_after = spell.months.iter().any(after);
            let years: BTreeSet<u32> = spell.months.iter().filter(|m| in_scope(m)).map(|m| m / 12).collect();
            let bodies = spell
                .employer
                .iter()
                .map(|e| (BodyRole::Employer, e.as_str()))
                .chain(spell.dispatchers.iter().map(|d| (BodyRole::Dispatcher, d.as_str())));
            for key in bodies {
                let row = named.entry(key).or_default();
                row.0.insert(&spell.witness);
                if worked_after {
                    row.1.insert(&spell.witness);
                }
                for year in &years {
                    row.2.entry(*year).or_default().insert(&spell.witness);
                }
            }
        }
        // Each body's name as the consenting testimonies give it at or under the audience's ceiling (the one most
        // of them give); a body no testimony names is looked up whole, as a dossier would.
        let ceiling = audience.max_sensitivity();
        let mut given: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for spell in &work {
            for (body, name, _) in spell.names.iter().filter(|(_, _, s)| *s <= ceiling) {
                *given.entry(body.as_str()).or_default().entry(name.as_str()).or_default() += 1;
            }
        }
        let matches = self.matches_by_subject(store, audience)?;
        let mut lookup = Names::new(model, store, audience, coarsened);
        let mut bodies = Vec::new();
        let mut held = 0usize;
        for ((role, id), (witnesses, after, years)) in named {
            if coarsened && witnesses.len() < k {
                held += 1;
                continue;
            }
            let most_given = given.get(id).and_then(|names| {
                names.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(name, _)| name.to_string())
            });
            let name = match most_given {
                Some(name) => Some(name),
                None => lookup.name(id)?,
            };
            let (Ok(entity), Some(name)) = (EntityId::new(id), name) else {
                held += 1;
                continue;
            };
            // For an outside audience: the last year k of its witnesses worked with it (a later year could be one
            // witness's), no count of those after the deadline that the total would give away to within k, and no
            // id made from a testimony's (an entity a testimony named without an id of its own).
            let last_year = years.iter().rev().find(|(_, w)| !coarsened || w.len() >= k).map(|(year, _)| *year);
            let rest = witnesses.len() - after.len();
            let after_deadline = if coarsened && rest > 0 && rest < k { None } else { count(after.len()) };
            let from_testimony = match id.split_once('.') {
                Some((prefix, _)) => clew_model::SourceId::new(prefix)
                    .ok()
                    .map(|source| store.source(&source))
                    .transpose()?
                    .flatten()
                    .is_some_and(|s| s.kind == SourceKind::Testimony),
                None => false,
            };
            bodies.push(Body {
                role,
                matches: matches.get(&entity).cloned().unwrap_or_default(),
                id: (!coarsened || !from_testimony).then_some(entity),
                name,
                witnesses: witnesses.len(),
                after_deadline,
                last_year,
            });
        }
        bodies.sort_by(|a, b| {
            (a.role, std::cmp::Reverse(a.after_deadline.unwrap_or(0)), std::cmp::Reverse(a.witnesses), &a.id).cmp(&(
                b.role,
                std::cmp::Reverse(b.after_deadline.unwrap_or(0)),
                std::cmp::Reverse(b.witnesses),
                &b.id,
            ))
        });

        // The newest revenue estimates kept, for the team and the courts: they draw on every testimony's ledgers,
        // whatever its witness's consent. For other audiences, the state's take per worker-month from the ledgers
        // of the testimonies they may have, from enough witnesses that no end of its interval is one witness's.
        let clusters: BTreeMap<&str, Vec<f64>> =
            work.iter().filter(|s| s.placed).fold(BTreeMap::new(), |mut by, spell| {
                if let Some(take) = spell.take {
                    by.entry(spell.witness.as_str()).or_insert_with(Vec::new).push(take);
                }
                by
            });
        let clusters: Vec<Vec<f64>> = clusters.into_values().collect();
        let take_per_month = if coarsened {
            clew_stats::bootstrap::bootstrap_mean_clustered(&clusters, TAKE_RESAMPLES, TAKE_SEED)
                .filter(|take| take.units >= k && !take.small_sample)
        } else {
            None
        };
        let mut revenue: Vec<KeptRevenue> = self
            .kept_estimates()?
            .into_iter()
            .filter(|_| !coarsened)
            .filter(|e| e.kind == EstimateKind::Revenue)
            .map(|e| KeptRevenue {
                number: e.number,
                title: e.title,
                recorded_at: e.recorded_at,
                synthetic: e.synthetic,
                headline: e.headline,
            })
            .collect();
        revenue.sort_by_key(|e| std::cmp::Reverse(e.number));
        revenue.truncate(REVENUE_ESTIMATES);
        synthetic |= revenue.iter().any(|e| e.synthetic);

        let legal = framework.instruments.iter().filter(|i| i.bearing != Bearing::Finding).cloned().collect();
        read_ids.sort_unstable();
        let log_head = store
            .events_newest_first(None, 1)?
            .into_iter()
            .next()
            .map(|e| (e.seq, e.recorded_at.clone(), hex::encode(e.leaf_hash)));
        let made_from = BriefMadeFrom {
            clew: env!("CARGO_PKG_VERSION").to_string(),
            framework: framework.version.clone(),
            log_head,
            testimonies_sha256: sha256_hex(read_ids.join("\n").as_bytes()),
            estimates: revenue.iter().map(|e| e.number).collect(),
        };
        Ok(Brief {
            format: BRIEF_FORMAT,
            audience,
            synthetic,
            coarsened,
            min_witnesses: k,
            since: since.map(|m| format!("{:04}-{:02}", m / 12, m % 12 + 1)),
            deadline,
            permits_from,
            testimonies: read_ids.len(),
            testimonies_left_out: count(left_out),
            after_deadline,
            spells_unplaced: count(unplaced),
            permits: permit_years,
            purposes,
            permits_after: count(permits_after.len()),
            bodies,
            bodies_held_back: held,
            revenue,
            take_per_month,
            legal,
            made_from,
        })
    }

    /// Every sanctions match recorded in the project that the audience may read, by the entity screened.
    fn matches_by_subject(
        &self,
        store: &dyn clew_store::ReadTx,
        audience: Audience,
    ) -> Result<BTreeMap<EntityId, Vec<ListMatch>>> {
        let ceiling = audience.max_sensitivity();
        let schemata = [crate::entities::SANCTIONS_MATCH.to_string()];
        let mut by_subject: BTreeMap<EntityId, Vec<ListMatch>> = BTreeMap::new();
        let mut after: Option<EntityId> = None;
        loop {
            let page = store.list_entities(&schemata, after.as_ref(), 1000)?;
            let Some(last) = page.last().map(|row| row.id.clone()) else { break };
            for row in &page {
                let statements: Vec<Statement> =
                    store.statements_for_entity(&row.id)?.into_iter().filter(|s| s.sensitivity <= ceiling).collect();
                let value =
                    |property: &str| statements.iter().find(|s| s.property == property).map(|s| s.value.clone());
                let (Some(subject), Some(list)) = (value("subject"), value("listName")) else { continue };
                let Ok(subject) = EntityId::new(&subject) else { continue };
                let score = value("score").and_then(|s| s.parse().ok()).unwrap_or(0.0);
                by_subject.entry(subject).or_default().push((list, value("listEntry").unwrap_or_default(), score));
            }
            after = Some(last);
        }
        for found in by_subject.values_mut() {
            found.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        }
        Ok(by_subject)
    }

    /// Logs a brief leaving the project (`brief-export`: its audience, the month it starts from and each
    /// file's SHA-256), then writes its files into the new folder `out`, whole or not at all.
    pub fn write_brief(
        &self,
        actor: &crate::Actor,
        brief: &Brief,
        files: &[(&str, &[u8])],
        out: &std::path::Path,
    ) -> Result<(u64, Vec<(String, String)>)> {
        crate::dossier::refuse_occupied(out)?;
        let hashed: Vec<(String, String)> =
            files.iter().map(|(name, bytes)| (name.to_string(), sha256_hex(bytes))).collect();
        let detail = serde_json::json!({
            "audience": brief.audience,
            "since": brief.since,
            "min_witnesses": brief.min_witnesses,
            "log_head": brief.made_from.log_head.as_ref().map(|(seq, _, _)| seq),
            "files": hashed.iter().map(|(name, sha256)| serde_json::json!({"name": name, "sha256": sha256})).collect::<Vec<_>>(),
        });
        let event = self.log_event(actor, clew_custody::EventKind::BriefExport, &detail)?;
        let all: Vec<(String, Vec<u8>)> =
            files.iter().map(|(name, bytes)| (name.to_string(), bytes.to_vec())).collect();
        clew_files::write_folder_atomic(out, &all).map_err(|e| Error::usage(e.to_string()))?;
        Ok((event, hashed))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn request(audience: Audience, k: usize, since: Option<&str>) -> BriefRequest {
        BriefRequest { audience, min_witnesses: k, since: since.map(str::to_string) }
    }

    #[test]
    fn a_brief_counts_witnesses_after_the_deadline_and_withholds_thin_counts_outside() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("demo");
        crate::demo::build_demo(&project, 600, 11, &mut |_| {}).unwrap();
        let service = Service::open(&project).unwrap();
        let internal = service.brief(&request(Audience::Internal, 5, None)).unwrap();
        assert!(internal.synthetic && !internal.coarsened && internal.testimonies == 600);
        assert_eq!((internal.deadline.as_str(), internal.permits_from.as_str()), ("2019-12-22", "2017-09-11"));
        // Each witness once a year; the total between the busiest year and the sum of the years.
        let after = &internal.after_deadline;
        let total = after.witnesses.unwrap();
        let years: Vec<usize> = after.by_year.iter().map(|(_, n)| n.unwrap()).collect();
        assert!(after.by_year.iter().all(|(year, _)| *year >= 2020), "{after:?}");
        assert!(total > 0 && *years.iter().max().unwrap() <= total && total <= years.iter().sum(), "{after:?}");
        assert!(after.spells.unwrap() >= total);
        assert!(after.by_sector.iter().all(|(_, n)| n.unwrap() <= total));
        // Study permits appear and grow once the work channel closed (the demo's story; synthetic data).
        let study = internal.purposes.iter().position(|(p, _)| p == "study").unwrap();
        let study_in = |from: u32, to: u32| -> usize {
            internal.permits.iter().filter(|y| (from..=to).contains(&y.year)).map(|y| y.counts[study].unwrap()).sum()
        };
        assert!(study_in(2020, 2026) > study_in(2013, 2019), "{:?}", internal.permits);
        // Bodies: dispatchers first, then employers, each most-named-after-the-deadline first.
        assert!(internal.bodies.iter().any(|b| b.role == BodyRole::Dispatcher));
        assert!(internal.bodies.windows(2).all(|w| w[0].role <= w[1].role));
        assert!(internal.bodies.iter().all(|b| b.after_deadline.unwrap() <= b.witnesses && b.name.starts_with("DEMO")));
        assert!(internal.bodies.iter().all(|b| b.id.is_some() && b.last_year.is_some()));
        assert!(!internal.revenue.is_empty() && internal.revenue.iter().all(|e| e.synthetic));

        // --since: only work and permits from that month on.
        let since = service.brief(&request(Audience::Internal, 5, Some("2024-01"))).unwrap();
        assert_eq!(since.since.as_deref(), Some("2024-01"));
        assert!(since.after_deadline.by_year.iter().all(|(year, _)| *year >= 2024));
        for (year, n) in &since.after_deadline.by_year {
            assert_eq!(after.by_year.iter().find(|(y, _)| y == year).map(|(_, m)| *m), Some(*n), "{year}");
        }
        assert!(since.after_deadline.witnesses.unwrap() < total);
        assert!(since.permits.iter().all(|y| y.year >= 2024));
        for bad in ["last year", "2024/01", "2024-01-99", "2024-13", "2024", "2024-01junk"] {
            let refused = service.brief(&request(Audience::Internal, 5, Some(bad))).unwrap_err();
            assert!(refused.to_string().contains("--since"), "{bad}: {refused}");
        }
        let month = service.brief(&request(Audience::Internal, 5, Some("2024-01-31"))).unwrap();
        assert_eq!(month.since.as_deref(), Some("2024-01"));

        // Outside the team and the courts: consent decides, no count between 1 and k − 1, thin bodies held back.
        let outside = service.brief(&request(Audience::Monitors, 5, None)).unwrap();
        let store = service.project.read().unwrap();
        let mut refused = 0;
        store
            .for_each_testimony(&["Employment"], &mut |id, _| {
                let source = store.source(&id)?.unwrap();
                let consent = source_consent(&*store, &id).unwrap();
                refused += usize::from(
                    Audience::Monitors.refusal_of(&source, consent.as_ref().map(|(c, w)| (c, w.as_deref()))).is_some(),
                );
                Ok(())
            })
            .unwrap();
        drop(store);
        assert!(
            refused > 0 && outside.testimonies_left_out == Some(refused) && outside.testimonies == 600 - refused,
            "{refused}"
        );
        let thin = |n: &Option<usize>| n.is_some_and(|n| n > 0 && n < 5);
        assert!(
            !thin(&outside.after_deadline.witnesses) && !outside.after_deadline.by_year.iter().any(|(_, n)| thin(n))
        );
        assert!(!outside.after_deadline.by_sector.iter().any(|(_, n)| thin(n)));
        assert!(!outside.permits.iter().flat_map(|y| &y.counts).any(thin) && !thin(&outside.permits_after));
        assert!(outside.bodies.iter().all(|b| b.witnesses >= 5 && !thin(&b.after_deadline)));
        // Nothing a difference gives away: the witnesses of a body less those after the deadline, or the total
        // less the other sectors.
        for body in &outside.bodies {
            if let Some(after) = body.after_deadline {
                let rest = body.witnesses - after;
                assert!(rest == 0 || rest >= 5, "{body:?}");
            }
        }
        assert!(outside.after_deadline.by_sector.iter().filter(|(_, n)| n.is_none()).count() != 1);
        // No estimate drawn from every testimony; the take per worker-month from those it may have instead.
        assert!(outside.revenue.is_empty() && internal.take_per_month.is_none());
        let take = outside.take_per_month.unwrap();
        assert!(take.units >= 30 && take.low <= take.mean && take.mean <= take.high, "{take:?}");
        assert!(internal.permits.iter().flat_map(|y| &y.counts).any(thin), "the demo has thin cells to withhold");
        let text = serde_json::to_string(&outside).unwrap();
        assert!(!text.contains("W-DEMO-") && !text.contains("T-DEMO-"), "no witness, no testimony named");
        // Two pseudonyms reviewers judged one person count once.
        let store = service.project.read().unwrap();
        let mut after_deadline: BTreeSet<String> = BTreeSet::new();
        store
            .for_each_testimony(&BRIEF_SCHEMATA, &mut |_, statements| {
                for spell in works(&statements, None) {
                    if spell.placed && spell.months.iter().any(|m| *m > 2019 * 12 + 11) {
                        after_deadline.insert(spell.witness);
                    }
                }
                Ok(())
            })
            .unwrap();
        drop(store);
        assert_eq!(after_deadline.len(), total, "counted apart, the same witnesses");
        let two: Vec<EntityId> = after_deadline.iter().take(2).map(|w| EntityId::new(w).unwrap()).collect();
        let actor = crate::Actor::new("reviewer").unwrap();
        service.judge(&actor, &two[0], &two[1], crate::linkage::Verdict::Same, "one person").unwrap();
        let joined = service.brief(&request(Audience::Internal, 5, None)).unwrap();
        assert_eq!(joined.after_deadline.witnesses, Some(total - 1));

        let refused = service.brief(&request(Audience::Un, 2, None)).unwrap_err();
        assert!(refused.to_string().contains("at least 3"), "{refused}");
    }
}

#[cfg(test)]
mod units {
    use super::*;

    #[test]
    fn one_withheld_cell_of_a_group_takes_the_next_smallest_with_it() {
        let cells = |counts: &[Option<usize>]| -> Vec<(String, Option<usize>)> {
            counts.iter().enumerate().map(|(i, n)| (i.to_string(), *n)).collect()
        };
        let counts = |cells: Vec<(String, Option<usize>)>| cells.into_iter().map(|(_, n)| n).collect::<Vec<_>>();
        assert_eq!(counts(suppress_one(cells(&[Some(10), None, Some(7), Some(9)]))), [Some(10), None, None, Some(9)]);
        assert_eq!(counts(suppress_one(cells(&[Some(10), None, None]))), [Some(10), None, None], "two already");
        assert_eq!(counts(suppress_one(cells(&[Some(10), Some(7)]))), [Some(10), Some(7)], "none withheld");
    }

    #[test]
    fn a_month_is_read_from_a_real_date_only() {
        assert_eq!(month_of("2019-12"), Some(2019 * 12 + 11));
        assert_eq!(month_of("2017-09-11"), Some(2017 * 12 + 8));
        for bad in ["2019", "2019/12", "2019-12-32", "2019-00", "2019-1", "twenty"] {
            assert_eq!(month_of(bad), None, "{bad}");
        }
    }
}
