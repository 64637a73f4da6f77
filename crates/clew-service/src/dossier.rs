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

use std::collections::{BTreeMap, BTreeSet};

use clew_assess::engine::{SpellAssessment, spells};
use clew_assess::ledger::{ledgers_and_missing_rates, spell_months};
use clew_assess::legal::{Bearing, Framework, Instrument};
use clew_assess::taxonomy::Family;
use clew_disclosure::package::{Subject, material, source_consent};
use clew_model::ids::sha256_hex;
use clew_model::value::PropertyType;
use clew_model::{EntityId, Model, Sensitivity, SourceId, SourceKind, Statement};
use clew_store::ReadTx;
use serde::{Deserialize, Serialize};

pub use clew_disclosure::package::Audience;

use crate::analysis::{CodeMeaning, LedgerTotals, Strength, is_synthetic, model, rules, taxonomy};
use crate::browse::{entity_under, name_under, testimony_statements};
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
}

/// An exhibit: one testimony, as the audience may see it.
#[derive(Debug, Clone, Serialize)]
pub struct Exhibit {
    /// Its number (`E-7`).
    pub number: usize,
    /// The testimony.
    pub testimony: SourceId,
    /// The witness's pseudonym: for the team only.
    pub witness: Option<String>,
    /// When the witness worked for or at the entity: first and last month (`YYYY-MM`), each spell.
    pub periods: Vec<(String, String)>,
    /// Where: site names for the team and the courts, regions for other audiences.
    pub places: Vec<String>,
    /// The SHA-256 of the material file (`material/testimony.json`) of an evidence package of the testimony
    /// for the same audience, made with the project key: `clew package export` gives the same hash.
    pub sha256: Option<String>,
    /// The custody events of the testimony (import, coding, attachments), by sequence number.
    pub events: Vec<u64>,
}

/// One year of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineYear {
    /// The year.
    pub year: u32,
    /// Exhibits telling of work for or at the entity in that year.
    pub working: usize,
    /// Permits issued that year, as the exhibits tell.
    pub permits: usize,
}

/// A site.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// What the audience may read of it: its name, or its region.
    pub label: String,
    /// Degrees north and east, when known (rounded to a tenth of a degree for coarsened audiences).
    pub position: Option<(f64, f64)>,
    /// How many exhibits tell of work there.
    pub exhibits: usize,
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
    /// How many exhibits tell of it.
    pub exhibits: usize,
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

/// An instrument the exhibits bear on.
#[derive(Debug, Clone, Serialize)]
pub struct LegalBearing {
    /// The instrument, as the framework gives it.
    pub instrument: Instrument,
    /// The exhibits that bear on it.
    pub exhibits: Vec<usize>,
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
    /// The exhibits' testimonies, with their material hashes, by number.
    pub exhibits: Vec<(SourceId, Option<String>)>,
    /// Each claim's code with its exhibits' testimonies.
    pub claims: BTreeMap<String, Vec<SourceId>>,
    /// The sanctions matches: list, entry, score.
    pub matches: Vec<(String, String, f64)>,
}

/// One spell of a testimony at the entity.
struct SpellAt {
    witness: Option<String>,
    months: Vec<u32>,
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
    ledger: LedgerTotals,
    ledger_spells: u64,
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

        // The entity, as the audience may see it.
        let Some(entity) = entity_under(model, store, id, ceiling)? else {
            return Err(Error::new(
                Code::NotFound,
                format!(
                    "nothing about `{id}` may go to audience `{}` (no such entity, or none of its statements is at or \
                     under `{}`)",
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
        if naming.iter().any(|s| s.schema == "Employment" && s.property == "employee") {
            return Err(Error::usage(format!(
                "`{id}` is a witness: a dossier is about those who profit from the labour, never about a witness"
            )));
        }

        // Each testimony: its consent, then its spells at the entity.
        let mut read: Vec<Read> = Vec::new();
        let mut refused = 0usize;
        for testimony in &testimonies {
            let Some(source) = store.source(testimony)? else { continue };
            if source.kind != SourceKind::Testimony {
                continue;
            }
            let consent = source_consent(store, testimony)?;
            if audience.refusal_of(&source, consent.as_ref().map(|(c, w)| (c, w.as_deref()))).is_some() {
                refused += 1;
                continue;
            }
            let quotable = consent.as_ref().is_some_and(|(c, _)| audience.may_quote(c));
            let statements = testimony_statements(store, testimony)?;
            if let Some(one) = read_testimony(testimony, &statements, id, &sites_operated, &rules, taxonomy, &rates) {
                read.push(Read { quotable, ..one });
            }
        }

        // The claims: every witness behind each code, with the months at each site.
        let k = request.min_witnesses.max(1);
        let mut support: BTreeMap<String, Vec<(usize, &SpellAt)>> = BTreeMap::new();
        for (index, testimony) in read.iter().enumerate() {
            for spell in &testimony.spells {
                for code in spell.codes.keys() {
                    support.entry(code.clone()).or_default().push((index, spell));
                }
            }
        }
        let mut held_back = Vec::new();
        if refused > 0 {
            held_back.push(HeldBack { code: None, testimonies: refused, reason: HeldBackReason::Consent });
        }
        let mut kept: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for (code, spells) in &support {
            let covered: BTreeSet<usize> =
                if coarsened { covered(spells, k) } else { spells.iter().map(|(i, _)| *i).collect() };
            let all: BTreeSet<usize> = spells.iter().map(|(i, _)| *i).collect();
            let dropped = all.difference(&covered).count();
            if dropped > 0 {
                held_back.push(HeldBack {
                    code: crate::analysis::code_meaning(code, taxonomy, &rules),
                    testimonies: dropped,
                    reason: HeldBackReason::FewWitnesses,
                });
            }
            if !covered.is_empty() {
                kept.insert(code.clone(), covered);
            }
        }

        // Exhibits: the testimonies behind a claim kept (for the team and the courts, every one read).
        let published: BTreeSet<usize> =
            if coarsened { kept.values().flatten().copied().collect() } else { (0..read.len()).collect() };
        let number: BTreeMap<usize, usize> = published.iter().enumerate().map(|(n, i)| (*i, n + 1)).collect();
        let published_order: Vec<usize> = published.iter().copied().collect();
        let mut lookup = Names { model, store, ceiling, coarsened, names: BTreeMap::new(), places: BTreeMap::new() };
        let mut exhibits = Vec::new();
        for (&index, &n) in &number {
            let testimony = &read[index];
            let sha256 = match material(store, &Subject::Testimony(testimony.id.clone()), audience, true) {
                Ok(file) => Some(sha256_hex(&file.json)),
                Err(clew_disclosure::package::PackageError::Nothing(_)) => None,
                Err(other) => return Err(other.into()),
            };
            let mut places = BTreeSet::new();
            for spell in &testimony.spells {
                if let Some(site) = &spell.site {
                    places.insert(lookup.place(site)?);
                }
            }
            let events = store.source_events(&testimony.id)?.iter().map(|e| e.seq).collect();
            exhibits.push(Exhibit {
                number: n,
                testimony: testimony.id.clone(),
                witness: if audience == Audience::Internal {
                    testimony.spells.iter().find_map(|s| s.witness.clone())
                } else {
                    None
                },
                periods: testimony
                    .spells
                    .iter()
                    .filter_map(|s| Some((month_text(*s.months.first()?), month_text(*s.months.last()?))))
                    .collect(),
                places: places.into_iter().collect(),
                sha256,
                events,
            });
        }

        // Claims, with their witnesses and quotations.
        let mut claims = Vec::new();
        for (code, indices) in &kept {
            let Some(meaning) = crate::analysis::code_meaning(code, taxonomy, &rules) else { continue };
            let witnesses: BTreeSet<String> = indices
                .iter()
                .flat_map(|i| read[*i].spells.iter().filter(|s| s.codes.contains_key(code)))
                .map(|s| s.witness.clone().unwrap_or_default())
                .collect();
            let mut quotes = Vec::new();
            for index in indices.iter().filter(|i| read[**i].quotable) {
                for spell in read[*index].spells.iter().filter(|s| s.codes.contains_key(code)) {
                    for segment in &spell.codes[code] {
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
            }
            claims.push(Claim {
                code: meaning,
                exhibits: indices.iter().map(|i| number[i]).collect(),
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

        // Timeline, sites, network and ledger, from the exhibits alone.
        let mut years: BTreeMap<u32, (BTreeSet<usize>, usize)> = BTreeMap::new();
        let mut sites: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let mut links: BTreeMap<(LinkKind, String, String), BTreeSet<usize>> = BTreeMap::new();
        let mut ledger = LedgerTotals::default();
        let mut ledger_witnesses = BTreeSet::new();
        for (&index, &n) in &number {
            let testimony = &read[index];
            for spell in &testimony.spells {
                for month in &spell.months {
                    years.entry(month / 12).or_default().0.insert(n);
                }
                for issued in &spell.permits_issued {
                    if let Some(year) = issued.get(..4).and_then(|y| y.parse::<u32>().ok()) {
                        years.entry(year).or_default().1 += 1;
                    }
                }
                if let Some(site) = &spell.site {
                    sites.entry(site.clone()).or_default().insert(n);
                }
                if let Some(employer) = &spell.employer {
                    for dispatcher in &spell.dispatchers {
                        links
                            .entry((LinkKind::Dispatched, dispatcher.clone(), employer.clone()))
                            .or_default()
                            .insert(n);
                    }
                    if let Some(site) = &spell.site {
                        links.entry((LinkKind::EmployedAt, employer.clone(), site.clone())).or_default().insert(n);
                    }
                }
                if let Some(site) = &spell.site {
                    for minder in &spell.minders {
                        links.entry((LinkKind::Minded, minder.clone(), site.clone())).or_default().insert(n);
                    }
                }
            }
            if testimony.ledger_spells > 0 {
                add_totals(&mut ledger, &testimony.ledger);
                ledger_witnesses.insert(testimony.spells.iter().find_map(|s| s.witness.clone()).unwrap_or_default());
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
        let timeline = match (years.keys().next(), years.keys().last()) {
            (Some(&first), Some(&last)) => (first..=last)
                .map(|year| {
                    let (working, permits) = years.get(&year).map(|(w, p)| (w.len(), *p)).unwrap_or((0, 0));
                    TimelineYear { year, working, permits }
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut site_rows: Vec<Site> = Vec::new();
        let mut site_exhibits: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for (site, numbers) in &sites {
            let label = lookup.place(site)?;
            // Coarsened, sites in one region are one row.
            let merged = site_exhibits.entry(label.clone()).or_default();
            merged.extend(numbers.iter().copied());
            if let Some(row) = site_rows.iter_mut().find(|row| row.label == label) {
                row.exhibits = merged.len();
                continue;
            }
            let position =
                EntityId::new(site)
                    .ok()
                    .map(|site_id| entity_under(model, store, &site_id, ceiling))
                    .transpose()?
                    .flatten()
                    .and_then(|e| {
                        let coordinate =
                            |p: &str| e.values(p).first().and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite());
                        Some((coordinate("latitude")?, coordinate("longitude")?))
                    })
                    .map(|(lat, lon)| {
                        if coarsened { ((lat * 10.0).round() / 10.0, (lon * 10.0).round() / 10.0) } else { (lat, lon) }
                    });
            site_rows.push(Site { label, position, exhibits: numbers.len() });
        }
        // Links by what the reader sees of their ends (one minder named in many testimonies is one row); for a
        // coarsened audience, a link fewer than k exhibits tell of is held back.
        let mut named: BTreeMap<(LinkKind, Option<String>, Option<String>), BTreeSet<usize>> = BTreeMap::new();
        for ((kind, from, to), numbers) in links {
            let from = lookup.name(&from)?;
            let to = if kind == LinkKind::Dispatched {
                lookup.name(&to)?
            } else {
                Some(lookup.place(&to)?).filter(|label| !label.is_empty())
            };
            named.entry((kind, from, to)).or_default().extend(numbers);
        }
        let mut network = Vec::new();
        let mut thin_links = 0;
        for ((kind, from, to), numbers) in named {
            let witnesses: BTreeSet<&str> = numbers
                .iter()
                .filter_map(|n| read[published_order[n - 1]].spells.iter().find_map(|s| s.witness.as_deref()))
                .collect();
            if coarsened && witnesses.len() < k {
                thin_links += 1;
                continue;
            }
            network.push(Link { kind, from, to, exhibits: numbers.len() });
        }
        network.sort_by(|a, b| {
            (a.kind, std::cmp::Reverse(a.exhibits), &a.from, &a.to).cmp(&(
                b.kind,
                std::cmp::Reverse(b.exhibits),
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
                let testimony = &read[index];
                let bears = testimony.spells.iter().any(|spell| match instrument.bearing {
                    Bearing::Finding => false,
                    Bearing::Dispatch => spell.dispatched,
                    Bearing::Employment => spell.employs,
                    Bearing::PermitAfter => {
                        let date = instrument.date_of_bearing.as_deref().unwrap_or("9999-12-31");
                        spell.permits_issued.iter().any(|issued| on_or_after(issued, date))
                    }
                    Bearing::WorkingAfter => {
                        let date = instrument.date_of_bearing.as_deref().unwrap_or("9999-12");
                        spell.months.last().is_some_and(|last| month_text(*last).as_str() > &date[..7])
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
                    exhibits: bearing_exhibits.into_iter().collect(),
                    codes,
                });
            }
        }

        // What it was made from.
        let mut statement_ids: Vec<&str> =
            read.iter().flat_map(|r| r.statement_ids.iter().map(String::as_str)).collect();
        statement_ids.extend(entity.properties.values().flatten().map(|s| s.id.as_str()));
        statement_ids.sort_unstable();
        statement_ids.dedup();
        let log_head = store
            .events_newest_first(None, 1)?
            .into_iter()
            .next()
            .map(|e| (e.seq, e.recorded_at.clone(), hex::encode(e.leaf_hash)));
        let made_from = MadeFrom {
            clew: env!("CARGO_PKG_VERSION").to_string(),
            engine: clew_assess::engine::ENGINE_VERSION.to_string(),
            rules: format!("{} {}", rules.version, rules.digest),
            taxonomy: taxonomy.version.clone(),
            framework: framework.version.clone(),
            log_head,
            statements: statement_ids.len(),
            statements_sha256: sha256_hex(statement_ids.join("\n").as_bytes()),
            exhibits: exhibits.iter().map(|e| (e.testimony.clone(), e.sha256.clone())).collect(),
            claims: claims
                .iter()
                .map(|c| (c.code.code.clone(), c.exhibits.iter().map(|n| exhibits[n - 1].testimony.clone()).collect()))
                .collect(),
            matches: matches.iter().map(|m| (m.list.clone(), m.list_entry.clone(), m.score)).collect(),
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
            legal,
            made_from,
        })
    }
}

/// The testimonies (by index) whose part in a claim is shared by at least `k` witnesses at one site in one
/// month: for each site and month, the witnesses behind the claim who worked there then.
fn covered(spells: &[(usize, &SpellAt)], k: usize) -> BTreeSet<usize> {
    let mut at: BTreeMap<(Option<&str>, u32), BTreeSet<&str>> = BTreeMap::new();
    for (_, spell) in spells {
        let witness = spell.witness.as_deref().unwrap_or("");
        for month in &spell.months {
            at.entry((spell.site.as_deref(), *month)).or_default().insert(witness);
        }
    }
    spells
        .iter()
        .filter(|(_, spell)| {
            spell.site.is_some()
                && spell.months.iter().any(|m| at.get(&(spell.site.as_deref(), *m)).is_some_and(|w| w.len() >= k))
        })
        .map(|(index, _)| *index)
        .collect()
}

/// Whether a coded date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) is certainly on or after `bound` (`YYYY-MM-DD`):
/// a month or year that holds the bound is not, since the day may fall before it.
fn on_or_after(date: &str, bound: &str) -> bool {
    if date.len() >= bound.len() { date >= bound } else { date > bound.get(..date.len()).unwrap_or(bound) }
}

/// Names and place labels as the audience may read them, each looked up once (a site or an employer is named
/// in thousands of testimonies, and assembling it is reading all of them).
struct Names<'a> {
    model: &'a Model,
    store: &'a dyn ReadTx,
    ceiling: Sensitivity,
    coarsened: bool,
    names: BTreeMap<String, Option<String>>,
    places: BTreeMap<String, String>,
}

impl Names<'_> {
    fn name(&mut self, id: &str) -> Result<Option<String>> {
        if let Some(name) = self.names.get(id) {
            return Ok(name.clone());
        }
        let name = name_under(self.model, self.store, id, self.ceiling)?;
        self.names.insert(id.to_string(), name.clone());
        Ok(name)
    }

    fn place(&mut self, id: &str) -> Result<String> {
        if let Some(label) = self.places.get(id) {
            return Ok(label.clone());
        }
        let label = place_label(self.model, self.store, id, self.ceiling, self.coarsened)?;
        self.places.insert(id.to_string(), label.clone());
        Ok(label)
    }
}

/// What an audience may read of a site: its name (or, coarsened, its region), else "a site".
fn place_label(model: &Model, store: &dyn ReadTx, site: &str, ceiling: Sensitivity, coarsened: bool) -> Result<String> {
    let Ok(id) = EntityId::new(site) else { return Ok(String::new()) };
    let Some(entity) = entity_under(model, store, &id, ceiling)? else { return Ok(String::new()) };
    if coarsened {
        return Ok(entity.values("region").first().map(|r| r.to_string()).unwrap_or_default());
    }
    Ok(entity.caption(model))
}

/// Adds one testimony's ledger totals to the dossier's.
fn add_totals(into: &mut LedgerTotals, from: &LedgerTotals) {
    into.spells += from.spells;
    into.promised += from.promised;
    into.employer_paid += from.employer_paid;
    into.received += from.received;
    into.owed_on_return += from.owed_on_return;
    into.never_paid += from.never_paid;
    into.unconverted += from.unconverted;
    for (kind, value) in &from.deducted {
        *into.deducted.entry(kind.clone()).or_default() += value;
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
    let mut ledger = LedgerTotals::default();
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
        let months = spell_months(first_value(&spell.own, "startDate"), first_value(&spell.own, "endDate"));
        // A permit's date is its start when coded, else the start of the spell it was for (the worker came on it).
        let mut permits_issued = of("Permit", "startDate");
        if permits_issued.is_empty()
            && spell.related.values().any(|(schema, _)| *schema == "Permit")
            && let Some(first) = months.first()
        {
            permits_issued.push(month_text(*first));
        }
        if let Some(spell_ledger) = ledgers.iter().find(|l| l.spell.as_ref() == Some(spell_id)) {
            ledger.add(spell_ledger);
        }
        spells_at.push(SpellAt {
            witness: first_value(&spell.own, "employee").map(str::to_string),
            months,
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
    let ledger_spells = ledger.spells;
    Some(Read {
        id: testimony.clone(),
        spells: spells_at,
        ledger,
        ledger_spells,
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
    let hashes =
        |m: &Manifest| -> BTreeMap<SourceId, Option<String>> { m.made_from.exhibits.iter().cloned().collect() };
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
            "exhibit gone: testimony `{testimony}` (consent withdrawn or narrowed, retracted, or held back)"
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
}

impl Service {
    /// Writes a dossier's files (already rendered) into the new folder `out`, after logging a `dossier-export`
    /// custody event with each file's SHA-256, the entity, the audience and the log head it was made from.
    /// `out` must not exist, or be empty; nothing is written when logging fails.
    pub fn write_dossier(
        &self,
        actor: &crate::Actor,
        dossier: &Dossier,
        files: &[(&str, &[u8])],
        out: &std::path::Path,
    ) -> Result<WrittenDossier> {
        let occupied = std::fs::read_dir(out).map(|mut entries| entries.next().is_some()).unwrap_or(false);
        if occupied || (out.exists() && !out.is_dir()) {
            return Err(Error::usage(format!(
                "{}: already exists and is not an empty folder; a dossier goes into a new one",
                out.display()
            )));
        }
        let (event, hashed) = self.log_dossier(actor, dossier, files)?;
        std::fs::create_dir_all(out).map_err(|e| Error::usage(format!("{}: {e}", out.display())))?;
        for (name, bytes) in files {
            clew_files::write_atomic(&out.join(name), bytes).map_err(|e| Error::internal(e.to_string()))?;
        }
        Ok(WrittenDossier { dir: out.to_path_buf(), files: hashed, event })
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
            months: months.to_vec(),
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
        let refs: Vec<(usize, &SpellAt)> = spells.iter().enumerate().collect();
        assert_eq!(covered(&refs, 3), BTreeSet::from([0, 1, 2, 5]));
        assert_eq!(covered(&refs, 4), BTreeSet::new(), "two interviews of one witness count once");
        assert_eq!(covered(&refs, 1), BTreeSet::from([0, 1, 2, 3, 4, 5]), "a spell without a site is never covered");
        assert!(on_or_after("2017-09-11", "2017-09-11") && on_or_after("2017-10", "2017-09-11"));
        assert!(
            !on_or_after("2017-09", "2017-09-11")
                && !on_or_after("2017", "2017-09-11")
                && on_or_after("2018", "2017-09-11")
        );
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
                let testimony = &outside.exhibits[quote.exhibit - 1].testimony;
                let (consent, _) = source_consent(&*store, testimony).unwrap().unwrap();
                assert!(consent.quotation, "{audience:?}: {testimony} is quoted without consent to quotation");
            }
            for exhibit in &outside.exhibits {
                let (consent, withdrawn) = source_consent(&*store, &exhibit.testimony).unwrap().unwrap();
                assert!(
                    audience.refusal(&consent, withdrawn.as_deref()).is_none(),
                    "{audience:?}: {}",
                    exhibit.testimony
                );
                assert!(exhibit.periods.iter().all(|(a, b)| a.len() == 7 && b.len() == 7), "{exhibit:?}");
                assert!(exhibit.places.iter().all(|p| !p.contains("site") && !p.is_empty()), "{exhibit:?}");
            }
            drop(store);
        }
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
            subject: Subject::Testimony(exhibit.testimony.clone()),
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
