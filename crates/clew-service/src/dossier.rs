//! Dossiers: what the evidence says about one entity (a company, a dispatching body, an official, a
//! worksite), for one audience, in one structure that the HTML and PDF renderers only show.
//!
//! Nothing here is new analysis. The testimonies that name the entity (or a site it operates) are assessed
//! with the built-in rules, as `clew assess` does; their findings are grouped into claims, one per taxonomy
//! code, each with the exhibits behind it and how many witnesses say it. The audience decides what goes in,
//! through the one [`Audience`] policy packages use:
//! - a testimony goes in only when its witness's consent covers the audience; the rest are counted, never
//!   named;
//! - quotations only where the audience receives the witness's words, or the witness agreed to be quoted;
//! - witness pseudonyms only for the team (`internal`);
//! - for audiences outside the team and the courts (`un`, `monitors`, `public`) periods are months and places
//!   regions, and a witness whose part in a claim rests on fewer than `min_witnesses` witnesses at one site in
//!   one month is held back from it: the dossier lists what it held back and why, without the content.
//!
//! The claims are drawn from every fact of the consenting testimonies, restricted ones included: that is
//! what the analysis is for. What the dossier shows of those facts is the claim, coarsened and checked, not
//! the facts; names, sites and identifiers are shown as the audience's sensitivity ceiling allows.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use clew_assess::engine::{SpellAssessment, spells};
use clew_assess::ledger::{ledgers_and_missing_rates, spell_months};
use clew_assess::legal::{Bearing, Framework, Instrument};
use clew_assess::taxonomy::Family;
use clew_disclosure::package::{Subject, material, material_events, source_consent};
use clew_model::ids::sha256_hex;
use clew_model::value::PropertyType;
use clew_model::{EntityId, Model, SourceId, SourceKind, Statement};
use clew_store::ReadTx;
use serde::{Deserialize, Serialize};

pub use clew_disclosure::package::Audience;

use crate::analysis::{CodeMeaning, LedgerTotals, Strength, is_synthetic, model, rules, taxonomy};
use crate::browse::testimony_statements;
use crate::entities::RecordedMatch;
use crate::{Code, Error, Result, Service};

/// The dossier format.
pub const DOSSIER_FORMAT: &str = "clew-dossier-v1";

/// The fewest witnesses at one site in one month a claim may rest on for an audience outside the team and
/// the courts, unless the project says otherwise (`[dossier] min_witnesses` in `clew.toml`).
pub const DEFAULT_MIN_WITNESSES: usize = 5;

/// The most quotations shown under one claim.
pub const QUOTES_PER_CLAIM: usize = 3;

/// The most statements naming the entity (and each site it operates) that are read.
const REFERENCES_READ: usize = 5_000_000;

/// What a dossier is asked to be.
#[derive(Debug, Clone)]
pub struct DossierRequest {
    /// The entity it is about.
    pub entity: EntityId,
    /// Who it is for.
    pub audience: Audience,
    /// The fewest witnesses at one site in one month a claim may rest on, for audiences outside the team and
    /// the courts.
    pub min_witnesses: usize,
}

/// A dossier: the one structure both renderers show.
#[derive(Debug, Clone, Serialize)]
pub struct Dossier {
    /// Always [`DOSSIER_FORMAT`].
    pub format: &'static str,
    /// Who it is for.
    pub audience: Audience,
    /// Whether its testimonies are synthetic (fictional demo data): said on every page.
    pub synthetic: bool,
    /// Whether periods are months and places regions, and thin claims held back (audiences outside the team
    /// and the courts).
    pub coarsened: bool,
    /// The fewest witnesses at one site in one month a claim rests on when coarsened.
    pub min_witnesses: usize,
    /// The entity.
    pub entity: DossierEntity,
    /// The claims, one per taxonomy code found, by family (involuntariness, coercion, indicators) and code.
    pub claims: Vec<Claim>,
    /// What was held back, and why, without its content.
    pub held_back: Vec<HeldBack>,
    /// How many testimonies naming the entity are not among the exhibits (consent, or every part held back).
    pub testimonies_left_out: usize,
    /// The exhibits, numbered from 1 in the order of their testimonies' ids.
    pub exhibits: Vec<Exhibit>,
    /// By year: how many exhibits tell of work for or at the entity, and of permits issued.
    pub timeline: Vec<TimelineYear>,
    /// The sites the exhibits worked at.
    pub sites: Vec<Site>,
    /// The network around the entity the exhibits tell of: who dispatched workers to whom, who employed them
    /// where, who minded them.
    pub network: Vec<Link>,
    /// The wage ledger of the exhibits' spells at the entity, in US dollars; `None` when it is held back.
    pub ledger: Option<LedgerTotals>,
    /// The spells the ledger sums.
    pub ledger_witnesses: usize,
    /// What the state took from the work the exhibits document at the entity, with its interval; `None` when no
    /// ledger shown gives the state's take, or when it is held back.
    pub revenue: Option<Attributable>,
    /// The instruments the exhibits bear on, in the framework's order.
    pub legal: Vec<LegalBearing>,
    /// What it was made from.
    pub made_from: MadeFrom,
}

/// The entity as the audience may see it.
#[derive(Debug, Clone, Serialize)]
pub struct DossierEntity {
    /// Its id.
    pub id: EntityId,
    /// Its schema.
    pub schema: String,
    /// Its name.
    pub caption: String,
    /// Every name it goes by, in every script, with how many sources give it.
    pub names: Vec<Attested>,
    /// Its identifiers (registration numbers, INN, OGRN, ...) with how many sources give each.
    pub identifiers: Vec<Attested>,
    /// The sanctions-list matches recorded for it, with their explanations.
    pub matches: Vec<RecordedMatch>,
}

/// A value and how many sources give it.
#[derive(Debug, Clone, Serialize)]
pub struct Attested {
    /// The property (`name`, `alias`, `innCode`, ...).
    pub property: String,
    /// The value.
    pub value: String,
    /// How many sources give it.
    pub sources: usize,
}

/// One claim: a taxonomy code found in the exhibits' spells at the entity.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    /// The code and what it means.
    pub code: CodeMeaning,
    /// The exhibits behind it (their numbers).
    pub exhibits: Vec<usize>,
    /// How many witnesses say it (independent sources: two interviews of one witness count once).
    pub witnesses: usize,
    /// Quotations from the exhibits, where the audience and the witness's consent allow.
    pub quotes: Vec<Quote>,
}

impl Claim {
    /// Whether it rests on one witness alone.
    pub fn single_source(&self) -> bool {
        self.witnesses == 1
    }
}

/// The words of a segment a finding cites.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    /// The exhibit.
    pub exhibit: usize,
    /// The original's language (ISO 639-1).
    pub lang: String,
    /// The original.
    pub text: String,
    /// The translation, when there is one: its language and words.
    pub translation: Option<(String, String)>,
}

/// Something held back, and why.
#[derive(Debug, Clone, Serialize)]
pub struct HeldBack {
    /// The claim's code and what it means, when it is part of a claim; `None` for whole testimonies.
    pub code: Option<CodeMeaning>,
    /// How many testimonies.
    pub testimonies: usize,
    /// Why.
    pub reason: HeldBackReason,
}

/// Why something was held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeldBackReason {
    /// The witness's consent does not cover the audience, or was withdrawn.
    Consent,
    /// Fewer than the set number of witnesses behind it at one site in one month.
    FewWitnesses,
    /// The wage ledger: fewer witnesses behind it than the set number.
    FewLedgers,
    /// Links of the network fewer witnesses than the set number tell of (`testimonies` counts the links).
    FewLinks,
    /// Places fewer witnesses than the set number worked at (`testimonies` counts the places).
    FewPlaces,
}

/// An exhibit: one testimony, as the audience may see it.
#[derive(Debug, Clone, Serialize)]
pub struct Exhibit {
    /// Its number (`E-7`).
    pub number: usize,
    /// The testimony, for the team and the courts; `None` for other audiences (an id is the same in every
    /// dossier, and would join one witness's exhibits across them).
    pub testimony: Option<SourceId>,
    /// The testimony, whoever the dossier is for, for the team's own use (which testimony each exhibit is):
    /// never serialised, so never in a file that leaves.
    #[serde(skip)]
    pub source: SourceId,
    /// The witness's pseudonym: for the team only.
    pub witness: Option<String>,
    /// When the witness worked for or at the entity: first and last month (`YYYY-MM`), each spell; for the team
    /// and the courts only.
    pub periods: Vec<(String, String)>,
    /// Where: site names for the team and the courts, regions for other audiences.
    pub places: Vec<String>,
    /// The SHA-256 of the material file (`material/testimony.json`) of an evidence package of the testimony
    /// for the same audience, made with the project key: `clew package export` gives the same hash.
    pub sha256: Option<String>,
    /// The custody events of the testimony (import, coding, attachments), by sequence number.
    pub events: Vec<u64>,
}

/// One year of the timeline. For a coarsened audience a count between 1 and k − 1 is `None`: "fewer than k".
#[derive(Debug, Clone, Serialize)]
pub struct TimelineYear {
    /// The year.
    pub year: u32,
    /// Exhibits telling of work for or at the entity in that year.
    pub working: Option<usize>,
    /// Permits issued that year, as the exhibits tell.
    pub permits: Option<usize>,
}

/// A site.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// What the audience may read of it: its name, or its region.
    pub label: String,
    /// Degrees north and east, when known (coarsened: the mean of the region's sites, rounded to half a degree).
    pub position: Option<(f64, f64)>,
    /// How many witnesses worked there.
    pub witnesses: usize,
}

/// A link of the network.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    /// What the link is.
    pub kind: LinkKind,
    /// The entity at its start: its name as the audience may read it, `None` when withheld.
    pub from: Option<String>,
    /// The entity at its end.
    pub to: Option<String>,
    /// How many witnesses tell of it.
    pub witnesses: usize,
}

/// The kinds of link a dossier draws.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A dispatching body sent workers to an employer.
    Dispatched,
    /// An employer employed workers at a site.
    EmployedAt,
    /// A minder supervised workers at a site.
    Minded,
}

/// The state's take attributable to the entity on the exhibits' evidence: the worker-months the exhibits
/// document at the entity times the mean take per worker-month their ledgers give (the deductions the rules
/// count as the state's: `Rules::state_deduction_kinds`). A floor for the entity's whole workforce, which the
/// exhibits do not count.
#[derive(Debug, Clone, Serialize)]
pub struct Attributable {
    /// The months worked at the entity by the exhibits' spells shown: each person's months, once.
    pub worker_months: u64,
    /// The take per worker-month in US dollars: the mean over the spells whose ledgers give it, with a 95%
    /// interval from resampling witnesses (one witness's spells together). For an audience outside the team and
    /// the courts, shown only from 30 witnesses or more (`SMALL_SAMPLE`): from fewer, an end of the interval can
    /// be one witness's own figure.
    pub per_month: clew_stats::bootstrap::Interval,
    /// `worker_months` times the mean, and times each end of its interval.
    pub total: (f64, f64, f64),
}

/// Resamples of the take per worker-month; and their seed, fixed so that the same evidence gives the same
/// interval.
const REVENUE_RESAMPLES: usize = 2000;
const REVENUE_SEED: u64 = 2397;

/// An instrument the exhibits bear on.
#[derive(Debug, Clone, Serialize)]
pub struct LegalBearing {
    /// The instrument, as the framework gives it.
    pub instrument: Instrument,
    /// How many exhibits bear on it; `None` for a coarsened audience when fewer than k do.
    pub exhibits: Option<usize>,
    /// For a finding bearing: the claims' codes.
    pub codes: Vec<String>,
}

/// What a dossier was made from: enough to make it again and to say what changed since
/// (`manifest.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MadeFrom {
    /// clew's version.
    pub clew: String,
    /// The assessment engine, rules and taxonomy versions.
    pub engine: String,
    /// The rules' version and digest.
    pub rules: String,
    /// The taxonomy's version.
    pub taxonomy: String,
    /// The legal framework's version.
    pub framework: String,
    /// The custody log's last event when it was made: sequence number, time and leaf hash.
    pub log_head: Option<(u64, String, String)>,
    /// How many statements it read, and the SHA-256 of their ids in order.
    pub statements: usize,
    /// SHA-256 over the sorted ids of every statement read.
    pub statements_sha256: String,
    /// The exhibits by number: each one's key (its testimony for the team and the courts, else its material
    /// hash, or `E-N` when it has none) and material hash.
    pub exhibits: Vec<(String, Option<String>)>,
    /// Each claim's code with its exhibits' keys.
    pub claims: BTreeMap<String, Vec<String>>,
    /// The sanctions matches: list, entry, score.
    pub matches: Vec<(String, String, f64)>,
    /// The revenue attributable: worker-months, and the total's mean and 95% interval in whole US dollars.
    #[serde(default)]
    pub revenue: Option<(u64, f64, f64, f64)>,
}

/// The smallest number of witnesses at one site in one month an audience outside the team and the courts may
/// be given a claim on: below it, the check protects no one.
pub const MIN_OUTSIDE_WITNESSES: usize = 3;

/// One spell of a testimony at the entity.
#[derive(Clone)]
struct SpellAt {
    /// The witness, as one person: two pseudonyms reviewers judged the same are one.
    witness: Option<String>,
    /// The witness entity the testimony names.
    named: Option<String>,
    months: Vec<u32>,
    /// Whether its period is coded to the month (a year alone would count it present in every month).
    exact: bool,
    ledger: Option<clew_assess::ledger::Ledger>,
    site: Option<String>,
    employer: Option<String>,
    dispatchers: Vec<String>,
    minders: Vec<String>,
    permits_issued: Vec<String>,
    /// Codes found, each with the segments its findings cite.
    codes: BTreeMap<String, Vec<String>>,
    employs: bool,
    dispatched: bool,
}

/// One testimony naming the entity, read.
struct Read {
    id: SourceId,
    spells: Vec<SpellAt>,
    quotable: bool,
    synthetic: bool,
    statement_ids: Vec<String>,
}

fn month_text(month: u32) -> String {
    format!("{:04}-{:02}", month / 12, month % 12 + 1)
}

fn first_value<'a>(statements: &[&'a Statement], property: &str) -> Option<&'a str> {
    statements.iter().find(|s| s.property == property).map(|s| s.value.as_str())
}

fn family_rank(family: Family) -> u8 {
    match family {
        Family::Involuntariness => 0,
        Family::Coercion => 1,
        Family::Indicator => 2,
    }
}

impl Service {
    /// The dossier on `request.entity` for `request.audience`, from one snapshot of the project.
    pub fn dossier(&self, request: &DossierRequest) -> Result<Dossier> {
        let (model, taxonomy, rules) = (model()?, taxonomy()?, rules(None)?);
        let framework = Framework::builtin().map_err(|d| Error::internal(format!("the legal framework: {d:?}")))?;
        let rates = self.rates(None)?.rates;
        let audience = request.audience;
        let ceiling = audience.max_sensitivity();
        let coarsened = !audience.receives_words();
        let store = &*self.project.read()?;
        let id = &request.entity;

        if coarsened && request.min_witnesses < MIN_OUTSIDE_WITNESSES {
            return Err(Error::usage(format!(
                "a dossier for audience `{}` needs at least {MIN_OUTSIDE_WITNESSES} witnesses at one site in one month \
                 behind a claim (asked: {}); below that the check protects no one",
                audience.as_str(),
                request.min_witnesses
            )));
        }
        let k = request.min_witnesses.max(1);
        let mut lookup = Names::new(model, store, audience, coarsened);

        // The entity, as the audience may see it: statements at or under its ceiling, from sources whose consent
        // covers it.
        let Some(entity) = lookup.entity(id)? else {
            return Err(Error::new(
                Code::NotFound,
                format!(
                    "nothing about `{id}` may go to audience `{}` (no such entity, or none of its statements is at or \
                     under `{}` from a source whose consent covers it)",
                    audience.as_str(),
                    ceiling.as_str()
                ),
            ));
        };
        let schema = model.schema(&entity.schema);
        let kind_of = |property: &str| schema.and_then(|s| s.properties.get(property)).map(|p| p.kind);
        let mut names = Vec::new();
        let mut identifiers = Vec::new();
        for (property, statements) in &entity.properties {
            let target = match kind_of(property) {
                Some(PropertyType::Name) => &mut names,
                // A pseudonym is a witness's: never in a dossier.
                Some(PropertyType::Identifier) if property != "pseudonym" => &mut identifiers,
                _ => continue,
            };
            let mut by_value: BTreeMap<&str, BTreeSet<&SourceId>> = BTreeMap::new();
            for statement in statements {
                by_value.entry(statement.value.as_str()).or_default().insert(&statement.source_id);
            }
            for (value, sources) in by_value {
                target.push(Attested { property: property.clone(), value: value.to_string(), sources: sources.len() });
            }
        }
        // What names it, and the sites it operates: the testimonies to read; and its sanctions matches.
        let naming = store.statements_naming(id, REFERENCES_READ)?;
        if naming.iter().any(|s| s.schema == "Employment" && s.property == "employee") {
            return Err(Error::usage(format!(
                "`{id}` is a witness: a dossier is about those who profit from the labour, never about a witness"
            )));
        }
        let match_ids: BTreeSet<&EntityId> = naming
            .iter()
            .filter(|s| {
                s.sensitivity <= ceiling
                    && model.schema(&s.schema).is_some_and(|m| m.is_a(crate::entities::SANCTIONS_MATCH))
            })
            .map(|s| &s.entity_id)
            .collect();
        let matches = crate::entities::recorded_matches(model, store, match_ids, ceiling)?;
        let mut sites_operated: BTreeSet<String> = BTreeSet::new();
        let mut testimonies: BTreeSet<SourceId> = BTreeSet::new();
        let add_source = |source: &SourceId, testimonies: &mut BTreeSet<SourceId>| {
            if let Some(testimony) = clew_intake::mapping::coded_testimony(source) {
                testimonies.insert(testimony);
            } else if clew_intake::mapping::assessed_testimony(source).is_none() {
                testimonies.insert(source.clone());
            }
        };
        for statement in &naming {
            if statement.schema == "Worksite" && statement.property == "operator" {
                sites_operated.insert(statement.entity_id.as_str().to_string());
            }
            add_source(&statement.source_id, &mut testimonies);
        }
        for site in &sites_operated {
            let Ok(site_id) = EntityId::new(site) else { continue };
            for statement in store.statements_naming(&site_id, REFERENCES_READ)? {
                add_source(&statement.source_id, &mut testimonies);
            }
        }

        // Each testimony: its consent, then its spells at the entity, each witness as one person.
        let same_person = crate::linkage::same_person(store)?;
        let mut read: Vec<Read> = Vec::new();
        let mut refused = 0usize;
        for testimony in &testimonies {
            let Some(source) = store.source(testimony)? else { continue };
            if source.kind != SourceKind::Testimony {
                continue;
            }
            let consent = source_consent(store, testimony)?;
            let refusal = audience.refusal_of(&source, consent.as_ref().map(|(c, w)| (c, w.as_deref())));
            lookup.consents.insert(testimony.clone(), refusal.is_none());
            if refusal.is_some() {
                refused += 1;
                continue;
            }
            let quotable = consent.as_ref().is_some_and(|(c, _)| audience.may_quote(c));
            let statements = testimony_statements(store, testimony)?;
            if let Some(mut one) = read_testimony(testimony, &statements, id, &sites_operated, &rules, taxonomy, &rates)
            {
                for spell in &mut one.spells {
                    if let Some(person) = spell.witness.as_ref().and_then(|w| same_person.get(w)) {
                        spell.witness = Some(person.clone());
                    }
                }
                read.push(Read { quotable, ..one });
            }
        }

        // The claims: every spell behind each code. For a coarsened audience, a spell's part in a claim is kept
        // only when k witnesses behind the claim worked at its site in one of its months.
        let mut support: BTreeMap<String, Vec<(SpellRef, &SpellAt)>> = BTreeMap::new();
        for (index, testimony) in read.iter().enumerate() {
            for (at, spell) in testimony.spells.iter().enumerate() {
                for code in spell.codes.keys() {
                    support.entry(code.clone()).or_default().push(((index, at), spell));
                }
            }
        }
        let mut held_back = Vec::new();
        if refused > 0 {
            held_back.push(HeldBack { code: None, testimonies: refused, reason: HeldBackReason::Consent });
        }
        let mut kept: BTreeMap<String, BTreeSet<SpellRef>> = BTreeMap::new();
        let mut thinned: BTreeSet<usize> = BTreeSet::new();
        for (code, spells) in &support {
            let all: BTreeSet<SpellRef> = spells.iter().map(|(at, _)| *at).collect();
            let covered: BTreeSet<SpellRef> = if coarsened { covered(spells, k) } else { all.clone() };
            thinned.extend(all.difference(&covered).map(|(index, _)| *index));
            if !covered.is_empty() {
                kept.insert(code.clone(), covered);
            }
        }
        // One total, not one per claim: that a single witness told of one abuse at the entity is itself the
        // kind of thing the check keeps back.
        if !thinned.is_empty() {
            held_back.push(HeldBack { code: None, testimonies: thinned.len(), reason: HeldBackReason::FewWitnesses });
        }

        // What is shown: for the team and the courts every spell read; for others, the spells behind a claim kept.
        let shown: BTreeSet<SpellRef> = if coarsened {
            kept.values().flatten().copied().collect()
        } else {
            read.iter().enumerate().flat_map(|(i, r)| (0..r.spells.len()).map(move |s| (i, s))).collect()
        };
        let published: BTreeSet<usize> = shown.iter().map(|(index, _)| *index).collect();
        let number: BTreeMap<usize, usize> = published.iter().enumerate().map(|(n, i)| (*i, n + 1)).collect();
        let shown = &shown;
        let read_ref = &read;
        let spells_shown = move |index: usize| {
            read_ref[index]
                .spells
                .iter()
                .enumerate()
                .filter(move |(at, _)| shown.contains(&(index, *at)))
                .map(|(_, s)| s)
        };
        // A count a coarsened audience may read: none between 1 and k − 1.
        let count = |n: usize| if coarsened && n > 0 && n < k { None } else { Some(n) };

        // Exhibits.
        let mut exhibits = Vec::new();
        for (&index, &n) in &number {
            let testimony = &read[index];
            let (sha256, sources) = match material(store, &Subject::Testimony(testimony.id.clone()), audience, true) {
                Ok(file) => (Some(sha256_hex(&file.json)), file.sources),
                Err(clew_disclosure::package::PackageError::Nothing(_)) => (None, vec![testimony.id.clone()]),
                Err(other) => return Err(other.into()),
            };
            let mut places = BTreeSet::new();
            for spell in spells_shown(index) {
                if let Some(site) = &spell.site {
                    places.insert(lookup.place(site)?);
                }
            }
            // The events a package of it would carry, less its attachments' (a dossier carries none); for an
            // audience not given testimony ids, less those naming the testimony (a coder's fact names it).
            let events = material_events(store, &sources, &HashSet::new())?
                .into_iter()
                .filter(|e| !coarsened || !names_source(&e.detail, &testimony.id))
                .map(|e| e.seq)
                .collect();
            exhibits.push(Exhibit {
                number: n,
                testimony: (!coarsened).then(|| testimony.id.clone()),
                source: testimony.id.clone(),
                witness: if audience == Audience::Internal {
                    testimony.spells.iter().find_map(|s| s.named.clone())
                } else {
                    None
                },
                periods: if coarsened {
                    Vec::new()
                } else {
                    spells_shown(index)
                        .filter_map(|s| Some((month_text(*s.months.first()?), month_text(*s.months.last()?))))
                        .collect()
                },
                places: places.into_iter().filter(|p| !p.is_empty()).collect(),
                sha256,
                events,
            });
        }

        // Claims, with their witnesses and quotations (from the spells kept).
        let mut claims = Vec::new();
        for (code, spells) in &kept {
            let Some(meaning) = crate::analysis::code_meaning(code, taxonomy, &rules) else { continue };
            let witnesses: BTreeSet<String> =
                spells.iter().map(|(i, s)| read[*i].spells[*s].witness.clone().unwrap_or_default()).collect();
            let mut quotes = Vec::new();
            for (index, at) in spells.iter().filter(|(i, _)| read[*i].quotable) {
                for segment in &read[*index].spells[*at].codes[code] {
                    if quotes.len() >= QUOTES_PER_CLAIM {
                        break;
                    }
                    if let Some(found) = store.segment(&read[*index].id, segment)? {
                        quotes.push(Quote {
                            exhibit: number[index],
                            lang: found.lang,
                            text: found.text,
                            translation: found.translation.map(|t| (t.lang, t.text)),
                        });
                    }
                }
            }
            let numbers: BTreeSet<usize> = spells.iter().map(|(i, _)| number[i]).collect();
            claims.push(Claim {
                code: meaning,
                exhibits: numbers.into_iter().collect(),
                witnesses: witnesses.len(),
                quotes,
            });
        }
        claims.sort_by(|a, b| {
            (family_rank(a.code.family), a.code.strength != Some(Strength::Strong), &a.code.code).cmp(&(
                family_rank(b.code.family),
                b.code.strength != Some(Strength::Strong),
                &b.code.code,
            ))
        });

        // Timeline, sites, network and ledger, from the spells shown alone.
        let mut years: BTreeMap<u32, (BTreeSet<usize>, usize)> = BTreeMap::new();
        let mut sites: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut links: BTreeMap<(LinkKind, String, String), BTreeSet<String>> = BTreeMap::new();
        let mut ledger = LedgerTotals::default();
        let mut ledger_witnesses = BTreeSet::new();
        let state_kinds = rules.state_deduction_kinds();
        // Worker-months as (person, month): two interviews of one person over one period are one person's months.
        let mut person_months: BTreeSet<(String, u32)> = BTreeSet::new();
        let mut taken: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for (&index, &n) in &number {
            for spell in spells_shown(index) {
                let witness = spell.witness.clone().unwrap_or_default();
                for month in &spell.months {
                    years.entry(month / 12).or_default().0.insert(n);
                }
                for issued in &spell.permits_issued {
                    if let Some(year) = issued.get(..4).and_then(|y| y.parse::<u32>().ok()) {
                        years.entry(year).or_default().1 += 1;
                    }
                }
                if let Some(site) = &spell.site {
                    sites.entry(site.clone()).or_default().insert(witness.clone());
                }
                if let Some(employer) = &spell.employer {
                    for dispatcher in &spell.dispatchers {
                        let key = (LinkKind::Dispatched, dispatcher.clone(), employer.clone());
                        links.entry(key).or_default().insert(witness.clone());
                    }
                    if let Some(site) = &spell.site {
                        let key = (LinkKind::EmployedAt, employer.clone(), site.clone());
                        links.entry(key).or_default().insert(witness.clone());
                    }
                }
                if let Some(site) = &spell.site {
                    for minder in &spell.minders {
                        links
                            .entry((LinkKind::Minded, minder.clone(), site.clone()))
                            .or_default()
                            .insert(witness.clone());
                    }
                }
                person_months.extend(spell.months.iter().map(|m| (witness.clone(), *m)));
                if let Some(spell_ledger) = &spell.ledger {
                    if let (Some(take), _) = crate::revenue::state_take_per_month(spell_ledger, &state_kinds) {
                        taken.entry(witness.clone()).or_default().push(take);
                    }
                    let before = ledger.spells;
                    ledger.add(spell_ledger);
                    if ledger.spells > before {
                        ledger_witnesses.insert(witness);
                    }
                }
            }
        }
        let ledger = if coarsened && ledger_witnesses.len() < k {
            if !ledger_witnesses.is_empty() {
                held_back.push(HeldBack {
                    code: None,
                    testimonies: ledger_witnesses.len(),
                    reason: HeldBackReason::FewLedgers,
                });
            }
            None
        } else {
            Some(ledger)
        };
        let worker_months = person_months.len() as u64;
        let clusters: Vec<Vec<f64>> = taken.into_values().collect();
        let revenue = clew_stats::bootstrap::bootstrap_mean_clustered(&clusters, REVENUE_RESAMPLES, REVENUE_SEED)
            // For an outside audience, only from enough witnesses that the interval's ends are no one's own figure
            // (a resample of a few witnesses draws one of them alone often enough to be an end).
            .filter(|per_month| ledger.is_some() && (!coarsened || (per_month.units >= k && !per_month.small_sample)))
            .map(|per_month| {
                let months = worker_months as f64;
                Attributable {
                    worker_months,
                    per_month,
                    total: (per_month.mean * months, per_month.low * months, per_month.high * months),
                }
            });
        let timeline = match (years.keys().next(), years.keys().last()) {
            (Some(&first), Some(&last)) => (first..=last)
                .map(|year| {
                    let (working, permits) = years.get(&year).map(|(w, p)| (w.len(), *p)).unwrap_or((0, 0));
                    TimelineYear { year, working: count(working), permits: count(permits) }
                })
                .collect(),
            _ => Vec::new(),
        };
        // Places by what the audience may read of them (coarsened: regions, each one row); a coarsened audience
        // sees a place only when k witnesses worked there, at a point rounded to half a degree.
        let mut by_label: BTreeMap<String, PlaceRow> = BTreeMap::new();
        for (site, witnesses) in &sites {
            let label = lookup.place(site)?;
            let position = match EntityId::new(site) {
                Ok(site_id) => lookup.entity(&site_id)?.and_then(|e| {
                    let coordinate =
                        |p: &str| e.values(p).first().and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite());
                    Some((coordinate("latitude")?, coordinate("longitude")?))
                }),
                Err(_) => None,
            };
            let row = by_label.entry(label).or_default();
            row.0.extend(witnesses.iter().cloned());
            row.1.extend(position);
        }
        let mut site_rows: Vec<Site> = Vec::new();
        let mut thin_places = 0;
        for (label, (witnesses, positions)) in by_label {
            if coarsened && witnesses.len() < k {
                thin_places += 1;
                continue;
            }
            let position = if coarsened {
                positions.first().map(|_| {
                    let n = positions.len() as f64;
                    let (lat, lon) = positions.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
                    ((lat / n * 2.0).round() / 2.0, (lon / n * 2.0).round() / 2.0)
                })
            } else {
                positions.first().copied()
            };
            site_rows.push(Site { label, position, witnesses: witnesses.len() });
        }
        if thin_places > 0 {
            held_back.push(HeldBack { code: None, testimonies: thin_places, reason: HeldBackReason::FewPlaces });
        }
        // Links by what the reader sees of their ends (one minder named in many testimonies is one row); for a
        // coarsened audience, a link fewer than k witnesses tell of is held back.
        let mut named: BTreeMap<(LinkKind, Option<String>, Option<String>), BTreeSet<String>> = BTreeMap::new();
        for ((kind, from, to), witnesses) in links {
            let from = lookup.name(&from)?;
            let to = if kind == LinkKind::Dispatched {
                lookup.name(&to)?
            } else {
                Some(lookup.place(&to)?).filter(|label| !label.is_empty())
            };
            named.entry((kind, from, to)).or_default().extend(witnesses);
        }
        let mut network = Vec::new();
        let mut thin_links = 0;
        for ((kind, from, to), witnesses) in named {
            if coarsened && witnesses.len() < k {
                thin_links += 1;
                continue;
            }
            network.push(Link { kind, from, to, witnesses: witnesses.len() });
        }
        network.sort_by(|a, b| {
            (a.kind, std::cmp::Reverse(a.witnesses), &a.from, &a.to).cmp(&(
                b.kind,
                std::cmp::Reverse(b.witnesses),
                &b.from,
                &b.to,
            ))
        });
        if thin_links > 0 {
            held_back.push(HeldBack { code: None, testimonies: thin_links, reason: HeldBackReason::FewLinks });
        }

        // The law each finding and fact bears on.
        let mut legal = Vec::new();
        for instrument in &framework.instruments {
            let mut bearing_exhibits = BTreeSet::new();
            let mut codes = Vec::new();
            for (&index, &n) in &number {
                let bears = spells_shown(index).any(|spell| match instrument.bearing {
                    Bearing::Finding => false,
                    Bearing::Dispatch => spell.dispatched,
                    Bearing::Employment => spell.employs,
                    Bearing::PermitAfter => {
                        let date = instrument.date_of_bearing.as_deref().unwrap_or("9999-12-31");
                        spell.permits_issued.iter().any(|issued| on_or_after(issued, date))
                    }
                    Bearing::WorkingAfter => {
                        let date = instrument.date_of_bearing.as_deref().unwrap_or("9999-12");
                        spell
                            .months
                            .last()
                            .is_some_and(|last| month_text(*last).as_str() > date.get(..7).unwrap_or(date))
                    }
                });
                if bears {
                    bearing_exhibits.insert(n);
                }
            }
            if instrument.bearing == Bearing::Finding {
                for claim in claims.iter().filter(|c| instrument.families.contains(&c.code.family)) {
                    codes.push(claim.code.code.clone());
                    bearing_exhibits.extend(claim.exhibits.iter().copied());
                }
            }
            if !bearing_exhibits.is_empty() {
                legal.push(LegalBearing {
                    instrument: instrument.clone(),
                    exhibits: count(bearing_exhibits.len()),
                    codes,
                });
            }
        }

        // What it was made from (the testimonies shown, and the entity's own statements).
        let mut statement_ids: Vec<&str> =
            published.iter().flat_map(|i| read[*i].statement_ids.iter().map(String::as_str)).collect();
        statement_ids.extend(entity.properties.values().flatten().map(|s| s.id.as_str()));
        statement_ids.sort_unstable();
        statement_ids.dedup();
        let log_head = store
            .events_newest_first(None, 1)?
            .into_iter()
            .next()
            .map(|e| (e.seq, e.recorded_at.clone(), hex::encode(e.leaf_hash)));
        let key = |exhibit: &Exhibit| match (&exhibit.testimony, &exhibit.sha256) {
            (Some(testimony), _) => testimony.to_string(),
            (None, Some(hash)) => hash.clone(),
            (None, None) => format!("E-{}", exhibit.number),
        };
        let made_from = MadeFrom {
            clew: env!("CARGO_PKG_VERSION").to_string(),
            engine: clew_assess::engine::ENGINE_VERSION.to_string(),
            rules: format!("{} {}", rules.version, rules.digest),
            taxonomy: taxonomy.version.clone(),
            framework: framework.version.clone(),
            log_head,
            statements: statement_ids.len(),
            statements_sha256: sha256_hex(statement_ids.join("\n").as_bytes()),
            exhibits: exhibits.iter().map(|e| (key(e), e.sha256.clone())).collect(),
            claims: claims
                .iter()
                .map(|c| (c.code.code.clone(), c.exhibits.iter().map(|n| key(&exhibits[n - 1])).collect()))
                .collect(),
            matches: matches.iter().map(|m| (m.list.clone(), m.list_entry.clone(), m.score)).collect(),
            // In whole dollars: a number that survives JSON as it is.
            revenue: revenue
                .as_ref()
                .map(|r| (r.worker_months, r.total.0.round(), r.total.1.round(), r.total.2.round())),
        };
        let synthetic = published.iter().any(|i| read[*i].synthetic)
            || entity.properties.get("synthetic").is_some_and(|s| s.iter().any(|s| s.value == "true"));
        Ok(Dossier {
            format: DOSSIER_FORMAT,
            audience,
            synthetic,
            coarsened,
            min_witnesses: k,
            entity: DossierEntity {
                id: id.clone(),
                schema: entity.schema.clone(),
                caption: entity.caption(model),
                names,
                identifiers,
                matches,
            },
            claims,
            held_back,
            testimonies_left_out: refused + read.len() - published.len(),
            exhibits,
            timeline,
            sites: site_rows,
            network,
            ledger,
            ledger_witnesses: ledger_witnesses.len(),
            revenue,
            legal,
            made_from,
        })
    }
}

/// Whether an event's detail (JSON) names `source`, or a source of its own (`code:ID`), in any string.
fn names_source(detail: &str, source: &SourceId) -> bool {
    fn names(text: &str, id: &str) -> bool {
        text == id || text.split_once(':').is_some_and(|(_, rest)| names(rest, id))
    }
    fn visit(value: &serde_json::Value, id: &str) -> bool {
        match value {
            serde_json::Value::String(text) => names(text, id),
            serde_json::Value::Array(items) => items.iter().any(|v| visit(v, id)),
            serde_json::Value::Object(fields) => fields.iter().any(|(key, v)| names(key, id) || visit(v, id)),
            _ => false,
        }
    }
    // A detail that is not JSON is not shown to such an audience either.
    serde_json::from_str(detail).map_or(true, |value| visit(&value, source.as_str()))
}

/// A spell: its testimony's index among those read, and its own among the testimony's.
type SpellRef = (usize, usize);

/// A place as the audience may read it: the witnesses who worked there, and its sites' positions.
type PlaceRow = (BTreeSet<String>, Vec<(f64, f64)>);

/// The spells whose part in a claim is shared by at least `k` witnesses at one site in one month: for each site
/// and month, the witnesses behind the claim who worked there then. Only spells coded to the month count, and
/// only they can be covered.
fn covered(spells: &[(SpellRef, &SpellAt)], k: usize) -> BTreeSet<SpellRef> {
    let mut at: BTreeMap<(&str, u32), BTreeSet<&str>> = BTreeMap::new();
    for (_, spell) in spells.iter().filter(|(_, spell)| spell.exact) {
        let (Some(site), witness) = (spell.site.as_deref(), spell.witness.as_deref().unwrap_or("")) else { continue };
        for month in &spell.months {
            at.entry((site, *month)).or_default().insert(witness);
        }
    }
    spells
        .iter()
        .filter(|(_, spell)| {
            spell.exact
                && spell
                    .site
                    .as_deref()
                    .is_some_and(|site| spell.months.iter().any(|m| at.get(&(site, *m)).is_some_and(|w| w.len() >= k)))
        })
        .map(|(at, _)| *at)
        .collect()
}

/// Whether a coded date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) is certainly on or after `bound` (`YYYY-MM-DD`):
/// a month or year that holds the bound is not, since the day may fall before it.
pub(crate) fn on_or_after(date: &str, bound: &str) -> bool {
    if date.len() >= bound.len() { date >= bound } else { date > bound.get(..date.len()).unwrap_or(bound) }
}

/// Entities, names and place labels as the audience may read them: from statements at or under its ceiling
/// whose sources' consent covers it, each looked up once (a site or an employer is named in thousands of
/// testimonies, and assembling it is reading all of them).
pub(crate) struct Names<'a> {
    model: &'a Model,
    store: &'a dyn ReadTx,
    audience: Audience,
    coarsened: bool,
    /// Whether each testimony's consent covers the audience (documents and lists carry none: they may).
    consents: BTreeMap<SourceId, bool>,
    names: BTreeMap<String, Option<String>>,
    places: BTreeMap<String, String>,
}

impl<'a> Names<'a> {
    /// A lookup of names and places as `audience` may read them.
    pub(crate) fn new(model: &'a Model, store: &'a dyn ReadTx, audience: Audience, coarsened: bool) -> Names<'a> {
        Names {
            model,
            store,
            audience,
            coarsened,
            consents: BTreeMap::new(),
            names: BTreeMap::new(),
            places: BTreeMap::new(),
        }
    }

    /// Whether statements of `source` may go to the audience: a testimony's (and its coders' and assessments')
    /// only when its witness's consent covers it.
    fn allowed(&mut self, source: &SourceId) -> Result<bool> {
        let testimony = clew_intake::mapping::coded_testimony(source)
            .or_else(|| clew_intake::mapping::assessed_testimony(source))
            .unwrap_or_else(|| source.clone());
        if let Some(allowed) = self.consents.get(&testimony) {
            return Ok(*allowed);
        }
        let allowed = match self.store.source(&testimony)? {
            None => false,
            Some(found) => {
                let consent = source_consent(self.store, &testimony)?;
                self.audience.refusal_of(&found, consent.as_ref().map(|(c, w)| (c, w.as_deref()))).is_none()
            }
        };
        self.consents.insert(testimony, allowed);
        Ok(allowed)
    }

    fn entity(&mut self, id: &EntityId) -> Result<Option<clew_model::Entity>> {
        let ceiling = self.audience.max_sensitivity();
        let mut statements = Vec::new();
        for statement in self.store.statements_for_entity(id)? {
            if statement.sensitivity <= ceiling && self.allowed(&statement.source_id)? {
                statements.push(statement);
            }
        }
        Ok(clew_model::Entity::assemble(self.model, id, statements))
    }

    pub(crate) fn name(&mut self, id: &str) -> Result<Option<String>> {
        if let Some(name) = self.names.get(id) {
            return Ok(name.clone());
        }
        let name = match EntityId::new(id) {
            Ok(entity_id) => {
                self.entity(&entity_id)?.map(|e| e.caption(self.model)).filter(|caption| caption.as_str() != id)
            }
            Err(_) => None,
        };
        self.names.insert(id.to_string(), name.clone());
        Ok(name)
    }

    /// What the audience may read of a site: its name (or, coarsened, its region), else nothing.
    fn place(&mut self, id: &str) -> Result<String> {
        if let Some(label) = self.places.get(id) {
            return Ok(label.clone());
        }
        let label = match EntityId::new(id) {
            Ok(site) => match self.entity(&site)? {
                Some(entity) if self.coarsened => {
                    entity.values("region").first().map(|r| r.to_string()).unwrap_or_default()
                }
                Some(entity) => entity.caption(self.model),
                None => String::new(),
            },
            Err(_) => String::new(),
        };
        self.places.insert(id.to_string(), label.clone());
        Ok(label)
    }
}

/// One testimony's spells at the entity (or at a site it operates), assessed; `None` when none is.
fn read_testimony(
    testimony: &SourceId,
    statements: &[Statement],
    entity: &EntityId,
    sites_operated: &BTreeSet<String>,
    rules: &clew_assess::Rules,
    taxonomy: &clew_assess::Taxonomy,
    rates: &clew_assess::ledger::Rates,
) -> Option<Read> {
    let assessment = clew_assess::assess(testimony, statements, rules, taxonomy);
    let (ledgers, _) = ledgers_and_missing_rates(statements, Some(rates));
    let entity = entity.as_str();
    let mut spells_at = Vec::new();
    for spell in spells(statements) {
        let Some(spell_id) = spell.id else { continue };
        let employer = first_value(&spell.own, "employer");
        let site = first_value(&spell.own, "worksite");
        let of = |schema: &str, property: &str| -> Vec<String> {
            spell
                .related
                .values()
                .filter(|(s, _)| *s == schema)
                .flat_map(|(_, facts)| facts.iter().filter(|f| f.property == property).map(|f| f.value.clone()))
                .collect()
        };
        let dispatchers = of("Dispatch", "dispatcher");
        let minders = of("Supervision", "supervisor");
        let beneficiaries: Vec<String> =
            of("Payment", "beneficiary").into_iter().chain(of("Deduction", "beneficiary")).collect();
        let employs = employer == Some(entity) || site.is_some_and(|s| s == entity || sites_operated.contains(s));
        let dispatched = dispatchers.iter().any(|d| d == entity);
        let involved =
            employs || dispatched || minders.iter().any(|m| m == entity) || beneficiaries.iter().any(|b| b == entity);
        if !involved {
            continue;
        }
        let assessed: Option<&SpellAssessment> = assessment.spells.iter().find(|s| s.spell.as_ref() == Some(spell_id));
        let mut codes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(assessed) = assessed {
            for finding in &assessed.findings {
                for code in &finding.codes {
                    let segments = codes.entry(code.clone()).or_default();
                    for fact in &finding.evidence {
                        if let Some(segment) = fact.locator.strip_prefix("segment:") {
                            let segment = segment.split('#').next().unwrap_or(segment).to_string();
                            if !segments.contains(&segment) {
                                segments.push(segment);
                            }
                        }
                    }
                }
            }
        }
        let (start, end) = (first_value(&spell.own, "startDate"), first_value(&spell.own, "endDate"));
        let months = spell_months(start, end);
        let to_the_month = |date: Option<&str>| date.is_some_and(|d| d.len() >= 7);
        let exact = to_the_month(start) && (end.is_none() || to_the_month(end));
        // A permit's date is its start when coded, else the start of the spell it was for (the worker came on it).
        let mut permits_issued = of("Permit", "startDate");
        if permits_issued.is_empty()
            && spell.related.values().any(|(schema, _)| *schema == "Permit")
            && let Some(first) = months.first()
        {
            permits_issued.push(month_text(*first));
        }
        spells_at.push(SpellAt {
            witness: first_value(&spell.own, "employee").map(str::to_string),
            named: first_value(&spell.own, "employee").map(str::to_string),
            months,
            exact,
            ledger: ledgers.iter().find(|l| l.spell.as_ref() == Some(spell_id)).cloned(),
            site: site.map(str::to_string),
            employer: employer.map(str::to_string),
            dispatchers,
            minders,
            permits_issued,
            codes,
            employs,
            dispatched,
        });
    }
    if spells_at.is_empty() {
        return None;
    }
    Some(Read {
        id: testimony.clone(),
        spells: spells_at,
        quotable: false,
        synthetic: is_synthetic(statements),
        statement_ids: statements.iter().map(|s| s.id.as_str().to_string()).collect(),
    })
}

/// The manifest format.
pub const MANIFEST_FORMAT: &str = "clew-dossier-manifest-v1";

/// `manifest.json`: what a dossier was made from, for making it again and saying what changed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT`].
    pub format: String,
    /// The entity.
    pub entity: EntityId,
    /// Who it is for.
    pub audience: Audience,
    /// The language it was written in.
    pub lang: String,
    /// The fewest witnesses at one site in one month behind a claim, when coarsened.
    pub min_witnesses: usize,
    /// What it was made from.
    pub made_from: MadeFrom,
}

impl Dossier {
    /// Its manifest, for a dossier written in `lang`.
    pub fn manifest(&self, lang: &str) -> Manifest {
        Manifest {
            format: MANIFEST_FORMAT.to_string(),
            entity: self.entity.id.clone(),
            audience: self.audience,
            lang: lang.to_string(),
            min_witnesses: self.min_witnesses,
            made_from: self.made_from.clone(),
        }
    }
}

/// The most bytes of a manifest [`read_manifest`] reads.
pub const MANIFEST_LIMIT: u64 = 64 << 20;

/// Reads a dossier's `manifest.json` (at most [`MANIFEST_LIMIT`] bytes), saying where it is wrong.
pub fn read_manifest(path: &std::path::Path) -> Result<Manifest> {
    let bytes = clew_files::read(path, MANIFEST_LIMIT).map_err(|e| Error::usage(format!("{}: {e}", path.display())))?;
    parse_manifest(&bytes, &path.display().to_string())
}

/// A manifest from its bytes; `name` says where they came from in an error (with line and column).
pub fn parse_manifest(bytes: &[u8], name: &str) -> Result<Manifest> {
    let manifest: Manifest = serde_json::from_slice(bytes)
        .map_err(|e| Error::usage(format!("{name}:{}:{}: not a dossier manifest: {e}", e.line(), e.column())))?;
    if manifest.format != MANIFEST_FORMAT {
        return Err(Error::usage(format!(
            "{name}: field `format`: `{}` is not a dossier manifest this clew reads ({MANIFEST_FORMAT})",
            manifest.format
        )));
    }
    Ok(manifest)
}

/// What changed between two manifests of dossiers on one entity, in words, one change a line.
pub fn diff_manifests(old: &Manifest, new: &Manifest) -> Vec<String> {
    let mut changes = Vec::new();
    if old.entity != new.entity {
        changes.push(format!("the entity: `{}` then, `{}` now", old.entity, new.entity));
    }
    if old.audience != new.audience || old.min_witnesses != new.min_witnesses {
        changes.push(format!(
            "the audience: {} (k = {}) then, {} (k = {}) now",
            old.audience.as_str(),
            old.min_witnesses,
            new.audience.as_str(),
            new.min_witnesses
        ));
    }
    for (what, then, now) in [
        ("rules", &old.made_from.rules, &new.made_from.rules),
        ("taxonomy", &old.made_from.taxonomy, &new.made_from.taxonomy),
        ("legal framework", &old.made_from.framework, &new.made_from.framework),
        ("assessment engine", &old.made_from.engine, &new.made_from.engine),
    ] {
        if then != now {
            changes.push(format!("the {what}: {then} then, {now} now"));
        }
    }
    let hashes = |m: &Manifest| -> BTreeMap<String, Option<String>> { m.made_from.exhibits.iter().cloned().collect() };
    let (before, after) = (hashes(old), hashes(new));
    for (testimony, hash) in &after {
        match before.get(testimony) {
            None => changes.push(format!("exhibit added: testimony `{testimony}`")),
            Some(earlier) if earlier != hash => {
                changes.push(format!("exhibit changed: testimony `{testimony}` (its material hash)"))
            }
            Some(_) => {}
        }
    }
    for testimony in before.keys().filter(|t| !after.contains_key(*t)) {
        changes.push(format!(
            "exhibit gone: `{testimony}` (consent withdrawn or narrowed, retracted, held back, or changed)"
        ));
    }
    let codes: BTreeSet<&String> = old.made_from.claims.keys().chain(new.made_from.claims.keys()).collect();
    for code in codes {
        match (old.made_from.claims.get(code), new.made_from.claims.get(code)) {
            (None, Some(now)) => changes.push(format!("claim added: {code}, {} exhibits", now.len())),
            (Some(then), None) => changes.push(format!("claim dropped: {code} ({} exhibits then)", then.len())),
            (Some(then), Some(now)) if then != now => {
                changes.push(format!("claim {code}: {} exhibits then, {} now", then.len(), now.len()))
            }
            _ => {}
        }
    }
    if old.made_from.revenue != new.made_from.revenue {
        let said = |revenue: Option<(u64, f64, f64, f64)>| match revenue {
            Some((months, mean, low, high)) => {
                format!("US${mean:.0} (95% interval {low:.0} to {high:.0}) over {months} worker-months")
            }
            None => "none shown".to_string(),
        };
        changes.push(format!(
            "the revenue attributable: {} then, {} now",
            said(old.made_from.revenue),
            said(new.made_from.revenue)
        ));
    }
    let entries = |m: &Manifest| -> BTreeSet<(String, String)> {
        m.made_from.matches.iter().map(|(list, entry, _)| (list.clone(), entry.clone())).collect()
    };
    let (then, now) = (entries(old), entries(new));
    for (list, entry) in now.difference(&then) {
        changes.push(format!("sanctions match added: {list} entry {entry}"));
    }
    for (list, entry) in then.difference(&now) {
        changes.push(format!("sanctions match gone: {list} entry {entry}"));
    }
    changes
}

/// A dossier written: its files and the custody event that records them.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenDossier {
    /// The folder.
    pub dir: std::path::PathBuf,
    /// Each file's name and SHA-256.
    pub files: Vec<(String, String)>,
    /// The custody event (`dossier-export`).
    pub event: u64,
    /// How many events the proofs prove, when they were made.
    pub proofs: Option<usize>,
}

/// Refuses a folder to write into that exists and is not empty (or is no folder): a dossier or a brief goes
/// into a new one.
pub(crate) fn refuse_occupied(out: &std::path::Path) -> Result<()> {
    let occupied = std::fs::read_dir(out).map(|mut entries| entries.next().is_some()).unwrap_or(false);
    if occupied || (out.exists() && !out.is_dir()) {
        return Err(Error::usage(format!(
            "{}: already exists and is not an empty folder; write into a new one",
            out.display()
        )));
    }
    Ok(())
}

/// Each file's name and SHA-256.
type FileHashes = Vec<(String, String)>;

/// The format of a dossier's proofs.
pub const PROOFS_FORMAT: &str = "clew-dossier-proofs-v1";

/// The name of a dossier's proofs file.
pub const PROOFS_FILE: &str = "proofs.json";

/// A dossier's proofs (`proofs.json`): a tree head signed over the custody log (which verified) and the
/// dossier's export, and every exhibit's events and the export's with their inclusion proofs. The export event
/// gives each file's SHA-256; `verify-proofs.py` checks it all offline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DossierProofs {
    /// Always [`PROOFS_FORMAT`].
    pub format: String,
    /// The signed tree head.
    pub tree_head: clew_vault::signing::SignedTreeHead,
    /// The events, in order, the export last.
    pub events: Vec<clew_custody::proofs::ProvedEvent>,
}

impl Service {
    /// Writes a dossier's files (already rendered) into the new folder `out`, after logging a `dossier-export`
    /// custody event with each file's SHA-256, the entity, the audience and the log head it was made from.
    /// With `passphrase` (the project's keys'), the folder also holds the proofs ([`DossierProofs`]): the log
    /// verified, a tree head signed over it and the export, and the inclusion proof of every exhibit's events
    /// and of the export, with the copies of the head for standard tools and `verify-proofs.py`.
    /// `out` must not exist, or be empty. The files are written into a folder beside it, renamed to `out` when
    /// whole: nothing is left under its name half written, and nothing is written when logging fails.
    pub fn write_dossier(
        &self,
        actor: &crate::Actor,
        dossier: &Dossier,
        files: &[(&str, &[u8])],
        out: &std::path::Path,
        passphrase: Option<&str>,
    ) -> Result<WrittenDossier> {
        refuse_occupied(out)?;
        let (event, hashed, proofs) = match passphrase {
            None => {
                let (event, hashed) = self.log_dossier(actor, dossier, files)?;
                (event, hashed, None)
            }
            Some(passphrase) => {
                let (event, hashed, proofs) = self.log_and_prove_dossier(actor, dossier, files, passphrase)?;
                (event, hashed, Some(proofs))
            }
        };
        let mut all: Vec<(String, Vec<u8>)> =
            files.iter().map(|(name, bytes)| (name.to_string(), bytes.to_vec())).collect();
        if let Some(proofs) = &proofs {
            let json = serde_json::to_vec_pretty(proofs).map_err(|e| Error::internal(e.to_string()))?;
            all.push((PROOFS_FILE.to_string(), json));
            for (name, bytes) in clew_disclosure::package::tree_head_files(&proofs.tree_head)? {
                all.push((name.to_string(), bytes));
            }
            all.push(("verify-proofs.py".to_string(), clew_disclosure::package::VERIFY_PROOFS.as_bytes().to_vec()));
        }
        clew_files::write_folder_atomic(out, &all).map_err(|e| Error::usage(e.to_string()))?;
        Ok(WrittenDossier { dir: out.to_path_buf(), files: hashed, event, proofs: proofs.map(|p| p.events.len()) })
    }

    /// Logs the dossier as [`Service::log_dossier`] does, from a snapshot of the log that verified, and proves
    /// the exhibits' events and the export against a tree head signed over that log and the export.
    fn log_and_prove_dossier(
        &self,
        actor: &crate::Actor,
        dossier: &Dossier,
        files: &[(&str, &[u8])],
        passphrase: &str,
    ) -> Result<(u64, FileHashes, DossierProofs)> {
        self.can_sign("a dossier's proofs")?;
        let key = clew_vault::signing::KeyFiles::of_project(self.dir()).unlock(passphrase)?;
        let wanted: BTreeSet<u64> = dossier.exhibits.iter().flat_map(|e| e.events.iter().copied()).collect();
        let (mut leaves, mut chosen) = {
            let snapshot = self.project.read()?;
            let checked = clew_custody::verify::verify(
                &*snapshot,
                &self.project.blob_dir(),
                &self.project.list_dir(),
                None,
                None,
            )?;
            if !checked.problems.is_empty() {
                return Err(Error::verification(&checked.problems, serde_json::to_value(&checked).ok()));
            }
            let (mut leaves, mut chosen) = (Vec::new(), Vec::new());
            snapshot.for_each_event(&mut |event| {
                leaves.push(event.leaf_hash);
                if wanted.contains(&event.seq) {
                    chosen.push(event);
                }
                Ok(())
            })?;
            (leaves, chosen)
        };
        let (seq, hashed) = self.log_dossier(actor, dossier, files)?;
        let logged = self.project.read()?.events(leaves.len() as u64, 2)?;
        let [export] = <[_; 1]>::try_from(logged).map_err(|_| {
            Error::usage(
                "the custody log moved while the dossier was proved (another event was logged); it is logged, but \
                 its proofs would vouch for events not verified: make it again",
            )
        })?;
        if export.seq != seq {
            return Err(Error::internal("the dossier's export event is not the one after the log it proves"));
        }
        leaves.push(export.leaf_hash);
        chosen.push(export);
        let tree_head =
            key.sign_head(leaves.len() as u64, &clew_vault::log::root(&leaves), &clew_custody::now_rfc3339());
        let events = chosen.into_iter().map(|event| clew_custody::proofs::ProvedEvent::prove(event, &leaves)).collect();
        Ok((seq, hashed, DossierProofs { format: PROOFS_FORMAT.to_string(), tree_head, events }))
    }

    /// Logs a dossier leaving the project (`dossier-export`): its entity, audience, the log head it was made
    /// from and each file's SHA-256; before the files go anywhere. Returns the event and the files' hashes.
    pub fn log_dossier(
        &self,
        actor: &crate::Actor,
        dossier: &Dossier,
        files: &[(&str, &[u8])],
    ) -> Result<(u64, Vec<(String, String)>)> {
        let hashed: Vec<(String, String)> =
            files.iter().map(|(name, bytes)| (name.to_string(), sha256_hex(bytes))).collect();
        let detail = serde_json::json!({
            "entity": dossier.entity.id,
            "audience": dossier.audience,
            "min_witnesses": dossier.min_witnesses,
            "exhibits": dossier.exhibits.len(),
            "log_head": dossier.made_from.log_head.as_ref().map(|(seq, _, _)| seq),
            "files": hashed.iter().map(|(name, sha256)| serde_json::json!({"name": name, "sha256": sha256})).collect::<Vec<_>>(),
        });
        let event = self.log_event(actor, clew_custody::EventKind::DossierExport, &detail)?;
        Ok((event, hashed))
    }

    /// The fewest witnesses behind a claim at one site in one month the project sets for dossiers.
    pub fn dossier_min_witnesses(&self) -> usize {
        self.project.config.dossier.min_witnesses
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A demo project of 600 synthetic testimonies, and its company named by the most statements.
    fn demo() -> (tempfile::TempDir, Service, EntityId) {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("demo");
        crate::demo::build_demo(&project, 600, 11, &mut |_| {}).unwrap();
        let service = Service::open(&project).unwrap();
        let store = service.project.read().unwrap();
        let companies = store.list_entities(&["Company".to_string()], None, 10_000).unwrap();
        let busiest = companies
            .iter()
            .max_by_key(|row| {
                (store.statements_naming(&row.id, 100_000).unwrap().len(), std::cmp::Reverse(row.id.clone()))
            })
            .unwrap()
            .id
            .clone();
        drop(store);
        (dir, service, busiest)
    }

    #[test]
    fn a_witness_is_covered_only_by_k_witnesses_at_one_site_in_one_month() {
        let spell = |witness: &str, site: Option<&str>, months: &[u32]| SpellAt {
            witness: Some(witness.to_string()),
            named: Some(witness.to_string()),
            months: months.to_vec(),
            exact: true,
            ledger: None,
            site: site.map(str::to_string),
            employer: None,
            dispatchers: Vec::new(),
            minders: Vec::new(),
            permits_issued: Vec::new(),
            codes: BTreeMap::new(),
            employs: true,
            dispatched: false,
        };
        // Three witnesses at site A in month 10 (one interviewed twice); one at A only in month 20; one at B in
        // month 10; one whose site was not coded.
        let spells = [
            spell("w1", Some("A"), &[9, 10]),
            spell("w2", Some("A"), &[10, 11]),
            spell("w3", Some("A"), &[10]),
            spell("w4", Some("A"), &[20]),
            spell("w5", Some("B"), &[10]),
            spell("w1", Some("A"), &[10]),
            spell("w6", None, &[10]),
        ];
        let refs: Vec<(SpellRef, &SpellAt)> = spells.iter().enumerate().map(|(i, s)| ((i, 0), s)).collect();
        let at = |indices: &[usize]| indices.iter().map(|i| (*i, 0)).collect::<BTreeSet<SpellRef>>();
        assert_eq!(covered(&refs, 3), at(&[0, 1, 2, 5]));
        assert_eq!(covered(&refs, 4), BTreeSet::new(), "two interviews of one witness count once");
        assert_eq!(covered(&refs, 1), at(&[0, 1, 2, 3, 4, 5]), "a spell without a site is never covered");
        // A spell coded to the year alone neither counts nor is covered: it would be present in every month.
        let mut by_year = spells.to_vec();
        by_year[2].exact = false;
        let refs: Vec<(SpellRef, &SpellAt)> = by_year.iter().enumerate().map(|(i, s)| ((i, 0), s)).collect();
        assert_eq!(covered(&refs, 3), BTreeSet::new());
        assert!(on_or_after("2017-09-11", "2017-09-11") && on_or_after("2017-10", "2017-09-11"));
        assert!(
            !on_or_after("2017-09", "2017-09-11")
                && !on_or_after("2017", "2017-09-11")
                && on_or_after("2018", "2017-09-11")
        );
    }

    #[test]
    fn an_event_naming_a_testimony_is_known_by_any_string_of_its_detail() {
        let id = SourceId::new("T-1").unwrap();
        assert!(names_source(r#"{"testimony":"T-1","statements":["s1"]}"#, &id));
        assert!(names_source(r#"{"source":"code:T-1"}"#, &id));
        assert!(names_source(r#"{"nested":{"list":["x","T-1"]}}"#, &id));
        assert!(names_source(r#"{"T-1":3}"#, &id), "a key names it too");
        let legacy = SourceId::new("org:T-1").unwrap();
        assert!(names_source(r#"{"source":"code:org:T-1"}"#, &legacy), "an id with a colon, behind a prefix");
        assert!(!names_source(r#"{"testimony":"T-10","records":3}"#, &id), "another testimony");
        assert!(!names_source(r#"{"files":1,"statements_sha256":"ab"}"#, &id));
        assert!(names_source("not json", &id), "what cannot be read is not shown");
    }

    #[test]
    fn two_pseudonyms_judged_one_person_count_as_one_witness() {
        use crate::linkage::Verdict;
        let (_dir, service, company) = demo();
        let before = service.dossier(&request(&company, Audience::Internal, 5)).unwrap();
        let claim = before.claims.iter().max_by_key(|c| c.witnesses).unwrap();
        let named: BTreeSet<String> =
            claim.exhibits.iter().filter_map(|n| before.exhibits[n - 1].witness.clone()).collect();
        let two: Vec<EntityId> = named.iter().take(2).map(|w| EntityId::new(w).unwrap()).collect();
        let actor = crate::Actor::new("reviewer").unwrap();
        let witnesses_of = |dossier: &Dossier| {
            dossier.claims.iter().find(|c| c.code.code == claim.code.code).map(|c| c.witnesses).unwrap()
        };
        service.judge(&actor, &two[0], &two[1], Verdict::Same, "one person interviewed twice").unwrap();
        let after = service.dossier(&request(&company, Audience::Internal, 5)).unwrap();
        assert_eq!(witnesses_of(&after), claim.witnesses - 1, "{two:?}");
        // Each exhibit still shows the pseudonym its testimony gives.
        let shown = |d: &Dossier| d.exhibits.iter().map(|e| e.witness.clone()).collect::<Vec<_>>();
        assert_eq!(shown(&after), shown(&before));
        // A later judgement that they are different people undoes it.
        service.judge(&actor, &two[1], &two[0], Verdict::Different, "on second thought").unwrap();
        let again = service.dossier(&request(&company, Audience::Internal, 5)).unwrap();
        assert_eq!(witnesses_of(&again), claim.witnesses);
    }

    fn request(entity: &EntityId, audience: Audience, k: usize) -> DossierRequest {
        DossierRequest { entity: entity.clone(), audience, min_witnesses: k }
    }

    #[test]
    fn a_dossier_shows_each_audience_only_what_it_may_see() {
        let (_dir, service, company) = demo();
        let internal = service.dossier(&request(&company, Audience::Internal, 5)).unwrap();
        assert!(internal.synthetic && !internal.coarsened);
        assert!(!internal.claims.is_empty() && !internal.exhibits.is_empty(), "{internal:?}");
        // The team sees every testimony read, with pseudonyms, and nothing held back for being thin.
        assert!(internal.exhibits.iter().all(|e| e.witness.is_some()));
        assert!(internal.held_back.iter().all(|h| h.reason != HeldBackReason::FewWitnesses));
        for claim in &internal.claims {
            assert!(claim.witnesses >= 1 && claim.witnesses <= claim.exhibits.len(), "{claim:?}");
            assert!(claim.exhibits.iter().all(|n| *n >= 1 && *n <= internal.exhibits.len()));
        }
        assert!(!internal.legal.is_empty());
        // The revenue attributable: the exhibits' worker-months times the mean take per worker-month, which lies
        // among the takes the project's ledgers give (the entity's spells are some of them).
        let revenue = internal.revenue.as_ref().expect("the demo's ledgers give loyalty fees");
        let per_month = revenue.per_month;
        let months = revenue.worker_months as f64;
        assert!(per_month.low <= per_month.mean && per_month.mean <= per_month.high, "{revenue:?}");
        assert_eq!(revenue.total, (per_month.mean * months, per_month.low * months, per_month.high * months));
        assert!(per_month.units <= internal.ledger_witnesses && per_month.n as f64 <= months, "{revenue:?}");
        let rates = service.rates(None).unwrap().rates;
        let quota = service.ledger_inputs(&rates, &rules(None).unwrap()).unwrap().quota;
        let (least, most) = quota.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
        assert!(least <= per_month.mean && per_month.mean <= most, "{least} {most} {revenue:?}");
        let (mean, low, high) = revenue.total;
        assert_eq!(internal.made_from.revenue, Some((revenue.worker_months, mean.round(), low.round(), high.round())));

        // Nothing about the demo's companies is public (their names come from testimonies): a public dossier is
        // refused, naming the ceiling.
        let public = service.dossier(&request(&company, Audience::Public, 5)).unwrap_err();
        assert!(public.code() == Code::NotFound && public.to_string().contains("`public`"), "{public}");
        for audience in [Audience::Un, Audience::Monitors] {
            let outside = service.dossier(&request(&company, audience, 5)).unwrap();
            let text = serde_json::to_string(&outside).unwrap();
            assert!(outside.coarsened, "{audience:?}");
            assert!(!text.contains("W-DEMO-") && !text.contains("SYNTHETIC-PROTECTED"), "{audience:?}: {text}");
            assert!(outside.exhibits.iter().all(|e| e.witness.is_none()));
            // Every claim rests on at least k witnesses; what was held back is listed.
            for claim in &outside.claims {
                assert!(claim.witnesses >= 5, "{audience:?}: {claim:?}");
            }
            let thin = internal.claims.iter().filter(|c| c.witnesses < 5).count();
            if thin > 0 {
                assert!(outside.held_back.iter().any(|h| h.reason == HeldBackReason::FewWitnesses), "{audience:?}");
            }
            // Quotations only from witnesses who agreed to be quoted; periods are months, places regions.
            let store = service.project.read().unwrap();
            for quote in outside.claims.iter().flat_map(|c| &c.quotes) {
                let testimony = &outside.exhibits[quote.exhibit - 1].source;
                let (consent, _) = source_consent(&*store, testimony).unwrap().unwrap();
                assert!(consent.quotation, "{audience:?}: {testimony} is quoted without consent to quotation");
            }
            for exhibit in &outside.exhibits {
                let (consent, withdrawn) = source_consent(&*store, &exhibit.source).unwrap().unwrap();
                assert!(audience.refusal(&consent, withdrawn.as_deref()).is_none(), "{audience:?}: {}", exhibit.source);
                // No testimony id, no period: only its number, its regions, its hash and its events.
                assert!(exhibit.testimony.is_none() && exhibit.periods.is_empty(), "{exhibit:?}");
                assert!(exhibit.places.iter().all(|p| !p.contains("site") && !p.is_empty()), "{exhibit:?}");
            }
            // No count between 1 and k - 1 anywhere; what was held back is a total, never per allegation.
            for year in &outside.timeline {
                assert!(year.working.is_none_or(|n| n == 0 || n >= 5) && year.permits.is_none_or(|n| n == 0 || n >= 5));
            }
            assert!(outside.sites.iter().all(|s| s.witnesses >= 5) && outside.network.iter().all(|l| l.witnesses >= 5));
            assert!(outside.legal.iter().all(|b| b.exhibits.is_none_or(|n| n >= 5)));
            assert!(outside.revenue.as_ref().is_none_or(|r| r.per_month.units >= 5 && outside.ledger.is_some()));
            assert!(outside.held_back.iter().all(|h| h.code.is_none()), "{:?}", outside.held_back);
            let manifest = serde_json::to_string(&outside.manifest("en")).unwrap();
            assert!(!manifest.contains("T-DEMO-"), "{audience:?}: a testimony id in the manifest");
            drop(store);
        }
        // Below three witnesses the check protects no one: refused for an outside audience.
        let thin = service.dossier(&request(&company, Audience::Un, 2)).unwrap_err();
        assert!(thin.code() == Code::Usage && thin.to_string().contains("at least 3"), "{thin}");
        assert!(service.dossier(&request(&company, Audience::Internal, 1)).is_ok());

        // Deterministic: the same evidence gives the same dossier.
        let again = service.dossier(&request(&company, Audience::Internal, 5)).unwrap();
        let digest = |d: &Dossier| sha256_hex(serde_json::to_string(d).unwrap().as_bytes());
        assert_eq!(digest(&again), digest(&internal));

        // An exhibit's hash is that of the material file of a package of its testimony for the same audience.
        let un = service.dossier(&request(&company, Audience::Un, 5)).unwrap();
        let exhibit = un.exhibits.iter().find(|e| e.sha256.is_some()).unwrap();
        let out = _dir.path().join("exhibit.tar");
        let actor = crate::Actor::new("tester").unwrap();
        let package = crate::disclosure::PackageRequest {
            subject: Subject::Testimony(exhibit.source.clone()),
            audience: Audience::Un,
            seal_to: Vec::new(),
            custodian: None,
        };
        service.export_package(&actor, package, crate::demo::DEMO_PASSPHRASE, &out).unwrap();
        let mut archive = tar::Archive::new(std::fs::File::open(&out).unwrap());
        let mut found = None;
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            if entry.path().unwrap().ends_with("material/testimony.json") {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
                found = Some(sha256_hex(&bytes));
            }
        }
        assert_eq!(
            found, exhibit.sha256,
            "the package of exhibit E-{} holds the material the dossier names",
            exhibit.number
        );
    }
}
