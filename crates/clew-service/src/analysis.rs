//! The analyses of a project's testimonies: assessments (one, all, or recorded as derived statements), wage
//! ledgers, aggregates with their bootstrap intervals, and the revenue estimate; each analysis skips a testimony
//! whose witness withdrew consent to every use, and says whether synthetic testimonies went into it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub use clew_assess::engine::{Contradiction, Fact};
pub use clew_assess::ledger::{Amount, Deduction, Ledger, MissingCurrency, MissingRates};
use clew_assess::ledger::{Rates, ledgers_and_missing_rates};
use clew_assess::measures::{MEASURE_SCHEMATA, SpellMeasures, spell_measures};
pub use clew_assess::taxonomy::Family;
pub use clew_assess::{Assessment, Finding, Outcome, SpellAssessment};
use clew_assess::{Rules, Taxonomy};
use clew_model::{Entity, EntityId, Model, Sensitivity, SourceId, SourceKind, Statement};
use clew_stats::bootstrap::{Interval, bootstrap_mean_clustered};

use crate::entities::entity_name;
use crate::{Actor, Code, Error, Result, Service};

/// A result, and whether synthetic (demo) testimonies went into it: what is shown or written from it must say so.
#[derive(Debug, Clone)]
pub struct Analysed<T> {
    /// The result.
    pub value: T,
    /// Whether any testimony read was synthetic.
    pub synthetic: bool,
}

/// The schema clew is built with.
pub fn model() -> Result<&'static Model> {
    Model::builtin().map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        Error::internal(format!("the built-in schema is invalid:\n{}", lines.join("\n")))
    })
}

/// The forced-labour taxonomy clew is built with.
pub fn taxonomy() -> Result<&'static Taxonomy> {
    Taxonomy::builtin().map_err(|d| Error::invalid(d.to_vec()))
}

/// The assessment rules in force: those of `file` (`--rules`), else the built-in ones.
pub fn rules(file: Option<&Path>) -> Result<Rules> {
    let (model, taxonomy) = (model()?, taxonomy()?);
    match file {
        Some(path) => {
            let text = clew_files::read_text(path, clew_files::limits::SMALL_TEXT)?;
            Rules::load(&text, &path.display().to_string(), model, taxonomy).map_err(Error::invalid)
        }
        None => Rules::builtin(model, taxonomy).map_err(Error::invalid),
    }
}

/// Whether these are the statements of a synthetic testimony (a real project may hold the synthetic example).
pub fn is_synthetic(statements: &[Statement]) -> bool {
    statements.iter().any(|s| s.property == "synthetic" && s.value == "true")
}

/// One testimony's assessment, with the words of the segments its findings cite (translation when there is one).
#[derive(Debug, Clone)]
pub struct AssessedTestimony {
    /// The assessment.
    pub assessment: Assessment,
    /// The cited segments' words, by segment id.
    pub words: BTreeMap<String, String>,
}

/// Counts over many assessments, for `clew assess` without `--testimony`.
#[derive(Debug, Default, serde::Serialize)]
pub struct AssessmentSummary {
    /// Testimonies assessed.
    pub testimonies: u64,
    /// Work spells assessed.
    pub spells: u64,
    /// Spells by ICLS 2018 outcome.
    pub icls: BTreeMap<&'static str, u64>,
    /// Spells by ILO 2012 outcome.
    pub ilo_2012: BTreeMap<&'static str, u64>,
    /// Spells with each taxonomy code found.
    pub codes: BTreeMap<String, u64>,
    /// Seconds taken.
    pub seconds: f64,
    /// Rules version.
    pub rules_version: String,
    /// Taxonomy version.
    pub taxonomy_version: String,
}

impl AssessmentSummary {
    /// Adds one testimony's assessment.
    pub fn add(&mut self, assessment: &Assessment) {
        self.testimonies += 1;
        for spell in &assessment.spells {
            self.spells += 1;
            *self.icls.entry(spell.icls.code()).or_default() += 1;
            *self.ilo_2012.entry(spell.ilo_2012.code()).or_default() += 1;
            for code in spell.involuntariness.iter().chain(&spell.coercion).chain(&spell.indicators) {
                match self.codes.get_mut(code) {
                    Some(count) => *count += 1,
                    None => {
                        self.codes.insert(code.clone(), 1);
                    }
                }
            }
        }
    }
}

/// One testimony's wage ledgers, the names of the entities they name, and the rates they lacked.
#[derive(Debug, Clone)]
pub struct TestimonyLedgers {
    /// The ledgers, one per work spell.
    pub ledgers: Vec<Ledger>,
    /// Names of the entities paid and taking, by id (those with a name).
    pub names: BTreeMap<String, String>,
    /// Rates the table lacked: those amounts have no US-dollar equivalent.
    pub missing: MissingRates,
}

/// Money over the work spells of a set of ledgers, in US dollars, each amount over its whole spell: an amount per
/// month times the spell's months, per year a twelfth of that for each month, in total as it is (the months
/// and the conversion are those of [`clew_assess::ledger::ledgers`]). What reached the worker is kept apart
/// from what the worker was only owed: wages held until the return home, and wages never paid.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LedgerTotals {
    /// Spells with at least one amount in US dollars.
    pub spells: u64,
    /// The wages promised at recruitment.
    pub promised: f64,
    /// What the employers paid.
    pub employer_paid: f64,
    /// The deductions, by kind (`loyalty_fee`, `lodging`, ...).
    pub deducted: BTreeMap<String, f64>,
    /// What reached the workers (paid monthly, irregularly, or when not said).
    pub received: f64,
    /// What the workers were owed, to be paid only on their return home.
    pub owed_on_return: f64,
    /// What the workers were owed and never paid.
    pub never_paid: f64,
    /// Amounts left out: no US-dollar equivalent (a month without a rate, a spell without a period) or a period
    /// that cannot be brought to the spell (per hour, per day).
    pub unconverted: u64,
}

/// An amount over its whole spell of `months`, in US dollars, when it has an equivalent and a period to count.
fn over_spell(amount: &Amount, months: usize) -> Option<f64> {
    let usd = amount.usd?;
    match amount.period.as_deref() {
        Some("month") => Some(usd * months as f64),
        Some("year") => Some(usd * months as f64 / 12.0),
        Some("total") => Some(usd),
        _ => None,
    }
}

impl LedgerTotals {
    /// Adds one spell's ledger.
    pub fn add(&mut self, ledger: &Ledger) {
        let months = ledger.months();
        let mut converted = false;
        let mut over = |amount: Option<&Amount>| -> Option<f64> {
            let value = over_spell(amount?, months);
            if value.is_none() {
                self.unconverted += 1;
            }
            converted |= value.is_some();
            value
        };
        let promised = over(ledger.promised.as_ref());
        let employer_paid = over(ledger.employer_paid.as_ref());
        let received = over(ledger.received.as_ref());
        let deducted: Vec<(&str, Option<f64>)> =
            ledger.deductions.iter().map(|d| (d.kind.as_str(), over(d.amount.as_ref()))).collect();
        self.promised += promised.unwrap_or(0.0);
        self.employer_paid += employer_paid.unwrap_or(0.0);
        let received = received.unwrap_or(0.0);
        match ledger.received_when.as_deref() {
            Some("never") => self.never_paid += received,
            Some("on_return") => self.owed_on_return += received,
            _ => self.received += received,
        }
        for (kind, value) in deducted {
            if let Some(value) = value {
                *self.deducted.entry(kind.to_string()).or_default() += value;
            }
        }
        self.spells += u64::from(converted);
    }

    /// Every deduction together.
    pub fn deducted_total(&self) -> f64 {
        self.deducted.values().sum()
    }

    /// The share of what the employers paid that was deducted, when they paid anything counted.
    pub fn share_taken(&self) -> Option<f64> {
        (self.employer_paid > 0.0).then(|| self.deducted_total() / self.employer_paid)
    }
}

/// The ledgers of every testimony, for `clew ledger` without `--testimony` and the ledgers page.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LedgerSummary {
    /// Work spells.
    pub spells: u64,
    /// Their money in US dollars.
    pub usd: LedgerTotals,
    /// Spells whose ledger is flagged.
    pub flagged: u64,
    /// How often each flag comes up (flags with amounts are counted by their words before the first digit).
    pub flags: BTreeMap<String, u64>,
    /// The flagged spells and their flags.
    pub flagged_spells: Vec<(String, Vec<String>)>,
    /// Rates the table lacked.
    #[serde(skip)]
    pub missing: MissingRates,
}

impl LedgerSummary {
    /// Adds a testimony's ledgers.
    pub fn add(&mut self, ledgers: &[Ledger]) {
        for ledger in ledgers {
            self.spells += 1;
            self.usd.add(ledger);
            if ledger.flags.is_empty() {
                continue;
            }
            self.flagged += 1;
            for flag in &ledger.flags {
                let kind: String =
                    flag.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ').to_string();
                let kind = kind.split(|c: char| c.is_ascii_digit()).next().unwrap_or("").trim().to_string();
                *self.flags.entry(kind).or_default() += 1;
            }
            let id = ledger.spell.as_ref().map(|s| s.to_string()).unwrap_or_default();
            self.flagged_spells.push((id, ledger.flags.clone()));
        }
    }
}

/// What aggregates are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// The sector of work.
    Sector,
    /// The region of the worksite.
    Region,
    /// The year the spell began.
    Year,
    /// The visa held.
    Visa,
}

/// One group's aggregates, each with its 95% bootstrap interval.
#[derive(Debug, serde::Serialize)]
pub struct AggregateRow {
    /// The group.
    pub group: String,
    /// Work spells in it.
    pub spells: usize,
    /// Share of spells that are forced labour by ICLS 2018, among those whose outcome could be determined.
    pub forced_labour: Option<Interval>,
    /// Spells whose outcome could not be determined (no period, nothing coded about conditions).
    pub undetermined: usize,
    /// Share of the employer's payment that never reached the worker.
    pub state_share: Option<Interval>,
    /// Hours a week.
    pub hours_per_week: Option<Interval>,
    /// Rest days a month.
    pub rest_days: Option<Interval>,
    /// Prevalence of each ILO indicator found in the group.
    pub indicators: BTreeMap<String, Interval>,
}

impl AggregateRow {
    /// Computes a group's row. Intervals resample witnesses, not spells: a witness interviewed twice is one
    /// witness.
    pub fn of(group: &str, spells: &[SpellMeasures], resamples: usize, seed: u64) -> AggregateRow {
        // A spell without a coded witness is its own cluster.
        let mut by_witness: BTreeMap<std::result::Result<&str, usize>, Vec<&SpellMeasures>> = BTreeMap::new();
        for (index, spell) in spells.iter().enumerate() {
            by_witness.entry(spell.witness.as_deref().ok_or(index)).or_default().push(spell);
        }
        let interval = |f: &dyn Fn(&SpellMeasures) -> Option<f64>| {
            let clusters: Vec<Vec<f64>> =
                by_witness.values().map(|spells| spells.iter().filter_map(|s| f(s)).collect()).collect();
            bootstrap_mean_clustered(&clusters, resamples, seed)
        };
        let indicators: BTreeSet<&String> = spells.iter().flat_map(|s| &s.indicators).collect();
        AggregateRow {
            group: group.to_string(),
            spells: spells.len(),
            forced_labour: interval(&|s| s.forced_labour.map(|fl| f64::from(u8::from(fl)))),
            undetermined: spells.iter().filter(|s| s.forced_labour.is_none()).count(),
            state_share: interval(&|s| s.state_share),
            hours_per_week: interval(&|s| s.hours_per_week),
            rest_days: interval(&|s| s.rest_days),
            indicators: indicators
                .into_iter()
                .filter_map(|code| {
                    interval(&|s| Some(f64::from(u8::from(s.indicators.contains(code))))).map(|i| (code.clone(), i))
                })
                .collect(),
        }
    }
}

impl Service {
    /// A testimony to analyse, with its active statements (its coders' included, as in every analysis): it must
    /// exist, and its witness must not have withdrawn consent to every use (by the consent record or the
    /// withdrawal in force, whichever is stricter).
    fn analysable(&self, store: &dyn clew_store::ReadTx, id: &SourceId) -> Result<Vec<Statement>> {
        if store.source(id)?.is_none() {
            return Err(Error::new(crate::Code::NotFound, format!("there is no testimony `{id}` in this project")));
        }
        if withdrawn_from_every_use(store, id)? {
            return Err(Error::usage(format!(
                "the witness of `{id}` withdrew consent to every use: it is not analysed"
            )));
        }
        Ok(crate::browse::testimony_statements(store, id)?)
    }

    /// One testimony's assessment under `rules`, with the words its findings cite.
    pub fn assess_testimony(&self, id: &SourceId, rules: &Rules) -> Result<Analysed<AssessedTestimony>> {
        let taxonomy = taxonomy()?;
        let store = &*self.project.read()?;
        let statements = self.analysable(store, id)?;
        let assessment = clew_assess::assess(id, &statements, rules, taxonomy);
        let mut words = BTreeMap::new();
        for finding in assessment.spells.iter().flat_map(|s| &s.findings) {
            for locator in finding.evidence.iter().filter_map(|f| f.locator.strip_prefix("segment:")) {
                let segment = locator.split('#').next().unwrap_or(locator);
                if words.contains_key(segment) {
                    continue;
                }
                if let Some(found) = store.segment(id, segment)? {
                    let text = found.translation.as_ref().map_or(found.text, |t| t.text.clone());
                    words.insert(segment.to_string(), text);
                }
            }
        }
        Ok(Analysed { value: AssessedTestimony { assessment, words }, synthetic: is_synthetic(&statements) })
    }

    /// Every testimony assessed under `rules`, counted. Reading runs on this thread and assessing on another, so
    /// the two overlap; testimonies go over in batches, so the threads seldom wait on each other.
    pub fn assess_all(&self, rules: &Rules) -> Result<Analysed<AssessmentSummary>> {
        type Testimonies = Vec<(SourceId, Vec<Statement>)>;
        const BATCH: usize = 128;
        let taxonomy = taxonomy()?;
        let started = std::time::Instant::now();
        let store = &*self.project.read()?;
        let mut synthetic = false;
        let (send, receive) = std::sync::mpsc::sync_channel::<Testimonies>(4);
        let mut summary = std::thread::scope(|scope| -> Result<AssessmentSummary> {
            let assessor = scope.spawn(|| {
                let mut summary = AssessmentSummary::default();
                for (id, statements) in receive.into_iter().flatten() {
                    summary.add(&clew_assess::assess(&id, &statements, rules, taxonomy));
                }
                summary
            });
            let stopped = || clew_store::Error::internal("the assessment stopped");
            let mut batch = Vec::with_capacity(BATCH);
            let read = store
                .for_each_testimony(&clew_assess::engine::SPELL_SCHEMATA, &mut |id, statements| {
                    synthetic |= is_synthetic(&statements);
                    batch.push((id, statements));
                    if batch.len() == BATCH {
                        send.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).map_err(|_| stopped())?;
                    }
                    Ok(())
                })
                .and_then(|()| send.send(batch).map_err(|_| stopped()));
            drop(send);
            let summary = assessor.join().map_err(|_| Error::internal("the assessment failed"))?;
            read?;
            Ok(summary)
        })?;
        summary.seconds = started.elapsed().as_secs_f64();
        summary.rules_version = rules.version.clone();
        summary.taxonomy_version = taxonomy.version.clone();
        Ok(Analysed { value: summary, synthetic })
    }

    /// Every testimony assessed under the built-in rules, counted: what the dashboard charts. Kept until a
    /// statement is added (assessing 100,000 testimonies takes seconds).
    pub fn assessment_overview(&self) -> Result<std::sync::Arc<Analysed<AssessmentSummary>>> {
        let version = self.project.read()?.statements_version()?;
        self.assessment_overview.get(version, || self.assess_all(&rules(None)?))
    }

    /// Assesses every testimony under `rules` and records the results as derived statements (a source per
    /// testimony's assessment), for `actor`; an unchanged assessment is not written again.
    pub fn record_assessments(&self, actor: &Actor, rules: &Rules) -> Result<crate::derived::RecordReport> {
        Ok(crate::derived::record_assessments(self.project.store(), rules, taxonomy()?, actor.name())?)
    }

    /// One testimony's wage ledgers, converted with `rates`.
    pub fn testimony_ledgers(&self, id: &SourceId, rates: &Rates) -> Result<Analysed<TestimonyLedgers>> {
        let model = model()?;
        let store = &*self.project.read()?;
        let statements = self.analysable(store, id)?;
        let (ledgers, missing) = ledgers_and_missing_rates(&statements, Some(rates));
        let mut names = BTreeMap::new();
        let named = ledgers.iter().flat_map(|l| {
            l.paid_to.iter().chain(l.deductions.iter().filter_map(|d| d.taken_by.as_ref())).map(String::as_str)
        });
        for id in named {
            if !names.contains_key(id)
                && let Some(name) = entity_name(model, store, id)?
            {
                names.insert(id.to_string(), name);
            }
        }
        Ok(Analysed { value: TestimonyLedgers { ledgers, names, missing }, synthetic: is_synthetic(&statements) })
    }

    /// The ledgers of every testimony, summarised, converted with `rates`.
    pub fn ledger_summary(&self, rates: &Rates) -> Result<Analysed<LedgerSummary>> {
        let mut summary = LedgerSummary::default();
        let mut synthetic = false;
        self.project.read()?.for_each_testimony(&clew_assess::engine::SPELL_SCHEMATA, &mut |_, statements| {
            synthetic |= is_synthetic(&statements);
            let (found, lacking) = ledgers_and_missing_rates(&statements, Some(rates));
            summary.add(&found);
            summary.missing.merge(lacking);
            Ok(())
        })?;
        Ok(Analysed { value: summary, synthetic })
    }

    /// Aggregates of every work spell under the built-in rules, for all or by group, each with a bootstrap
    /// interval from `resamples` resamples of witnesses (`seed`: the same seed gives the same intervals).
    pub fn aggregate(&self, by: Option<GroupBy>, resamples: usize, seed: u64) -> Result<Analysed<Vec<AggregateRow>>> {
        let taxonomy = taxonomy()?;
        let rules = rules(None)?;
        let mut groups: BTreeMap<String, Vec<SpellMeasures>> = BTreeMap::new();
        let mut synthetic = false;
        self.project.read()?.for_each_testimony(&MEASURE_SCHEMATA, &mut |_, statements| {
            synthetic |= is_synthetic(&statements);
            for spell in spell_measures(&statements, &rules, taxonomy) {
                let key = match by {
                    None => Some("all".to_string()),
                    Some(GroupBy::Sector) => spell.sector.clone(),
                    Some(GroupBy::Region) => spell.region.clone(),
                    Some(GroupBy::Year) => spell.year.clone(),
                    Some(GroupBy::Visa) => spell.visa.clone(),
                };
                groups.entry(key.unwrap_or_else(|| "(not coded)".into())).or_default().push(spell);
            }
            Ok(())
        })?;
        let rows = groups.iter().map(|(group, spells)| AggregateRow::of(group, spells, resamples, seed)).collect();
        Ok(Analysed { value: rows, synthetic })
    }
}

/// Whether the witness of testimony `id` withdrew consent to every use (by the consent record or the withdrawal
/// in force, whichever is stricter): no analysis reads it then.
fn withdrawn_from_every_use(store: &dyn clew_store::ReadTx, id: &SourceId) -> Result<bool> {
    Ok(clew_disclosure::package::source_consent(store, id)?.is_some_and(|(_, w)| w.as_deref() == Some("all")))
}

/// Where a code stands in the ILO 2012 scheme of the rules in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// A strong indicator.
    Strong,
    /// A medium indicator.
    Medium,
}

/// A taxonomy code an assessment found, as a reader needs it beside the finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodeMeaning {
    /// The code (`INV03`, `COE04`, `IND08`...).
    pub code: String,
    /// In words: an indicator's name, or the ICLS 2018 wording of a circumstance or element.
    pub label: String,
    /// Its family: a circumstance of involuntariness, an element of coercion (ICLS 2018), or an ILO indicator.
    pub family: Family,
    /// Strong or medium in the ILO 2012 scheme; `None` for codes the scheme does not weigh (the indicators).
    pub strength: Option<Strength>,
}

pub(crate) fn code_meaning(code: &str, taxonomy: &Taxonomy, rules: &Rules) -> Option<CodeMeaning> {
    let found = taxonomy.code(code)?;
    let scheme = &rules.ilo_2012;
    let strength = if scheme.involuntariness_strong.contains(code) || scheme.penalty_strong.contains(code) {
        Some(Strength::Strong)
    } else if scheme.involuntariness_medium.contains(code) || scheme.penalty_medium.contains(code) {
        Some(Strength::Medium)
    } else {
        None
    };
    // The ICLS codes' names are keys (`withholding_wages_or_benefits`): their words are the ICLS wording.
    let label = if found.family == Family::Indicator { &found.name } else { &found.text };
    Some(CodeMeaning { code: code.to_string(), label: label.clone(), family: found.family, strength })
}

/// One testimony's assessment and wage ledgers as a reader with a sensitivity ceiling may see them: what
/// `clew assess --testimony` and `clew ledger --testimony` show, for the testimony's page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TestimonyAnalysis {
    /// Whether its witness withdrew consent to every use: then it is not analysed, and nothing else is given.
    pub withdrawn: bool,
    /// Whether it is synthetic (said whatever the ceiling: a warning is never hidden).
    pub synthetic: bool,
    /// Its assessment under the built-in rules, made from the statements under the ceiling.
    pub assessment: Option<Assessment>,
    /// Every taxonomy code the assessment found, with its name, family and ILO 2012 weight.
    pub codes: BTreeMap<String, CodeMeaning>,
    /// Its wage ledgers, one per work spell, made from the statements under the ceiling and converted with the
    /// rate table in force.
    pub ledgers: Vec<Ledger>,
    /// Names of the entities the ledgers say were paid or took deductions, by id, as the reader may see them.
    pub names: BTreeMap<String, String>,
    /// The rates the table lacked: those amounts have no US-dollar equivalent.
    pub missing_rates: MissingRates,
}

/// The sensitivity ceilings, lowest first: the project's ledger summary is made under each in one pass.
const CEILINGS: [Sensitivity; 3] = [Sensitivity::Public, Sensitivity::Internal, Sensitivity::Restricted];

/// The project's ledgers summarised under each ceiling, and the rate table that converted them.
#[derive(Debug)]
pub(crate) struct LedgerSummaries {
    rates: Rates,
    synthetic: bool,
    by_ceiling: [LedgerSummary; 3],
}

impl Service {
    /// One testimony's assessment (the built-in rules) and wage ledgers (the rate table in force,
    /// [`Service::rates`]) as a reader with `ceiling` may see them, from one snapshot.
    ///
    /// Both are made from the testimony's statements at or under the ceiling only, not made from all of them and
    /// then trimmed: an outcome, a reason or a ledger flag is derived from every fact it rests on, so one made
    /// from a restricted fact (hours, wages, a witness's documents) would tell it even with its citation hidden.
    /// A reader with a lower ceiling may therefore see a milder outcome, or none; what they see is true of the
    /// facts they may read, and every finding cites only statements and segments on their page. The names of
    /// the entities paid are made under the ceiling too. A testimony whose witness withdrew consent to every use
    /// is not analysed (`withdrawn`).
    pub fn testimony_analysis(&self, id: &SourceId, ceiling: Sensitivity) -> Result<TestimonyAnalysis> {
        let (model, taxonomy, rules) = (model()?, taxonomy()?, rules(None)?);
        let rates = self.rates(None)?.rates;
        let store = &*self.project.read()?;
        if store.source(id)?.filter(|s| s.kind == SourceKind::Testimony).is_none() {
            return Err(Error::new(Code::NotFound, format!("there is no testimony `{id}` in this project")));
        }
        let mut analysis = TestimonyAnalysis {
            withdrawn: false,
            synthetic: false,
            assessment: None,
            codes: BTreeMap::new(),
            ledgers: Vec::new(),
            names: BTreeMap::new(),
            missing_rates: MissingRates::default(),
        };
        if withdrawn_from_every_use(store, id)? {
            analysis.withdrawn = true;
            return Ok(analysis);
        }
        let statements = crate::browse::testimony_statements(store, id)?;
        analysis.synthetic = is_synthetic(&statements);
        let statements: Vec<Statement> = statements.into_iter().filter(|s| s.sensitivity <= ceiling).collect();
        let assessment = clew_assess::assess(id, &statements, &rules, taxonomy);
        for spell in &assessment.spells {
            let found = spell.involuntariness.iter().chain(&spell.coercion).chain(&spell.indicators);
            for code in found.chain(spell.findings.iter().flat_map(|f| &f.codes)) {
                if !analysis.codes.contains_key(code)
                    && let Some(meaning) = code_meaning(code, taxonomy, &rules)
                {
                    analysis.codes.insert(code.clone(), meaning);
                }
            }
        }
        analysis.assessment = Some(assessment);
        let (ledgers, missing) = ledgers_and_missing_rates(&statements, Some(&rates));
        // Names as this testimony gives them first (an employer named in thousands of testimonies is not read
        // whole for each page), else as the project does; under the ceiling either way.
        let named = ledgers.iter().flat_map(|l| {
            l.paid_to.iter().chain(l.deductions.iter().filter_map(|d| d.taken_by.as_ref())).map(String::as_str)
        });
        for entity in named {
            if analysis.names.contains_key(entity) {
                continue;
            }
            let Ok(entity_id) = EntityId::new(entity) else { continue };
            let described: Vec<Statement> = statements.iter().filter(|s| s.entity_id == entity_id).cloned().collect();
            let name = match Entity::assemble(model, &entity_id, described).map(|e| e.caption(model)) {
                Some(caption) if caption != entity => Some(caption),
                _ => crate::browse::name_under(model, store, entity, ceiling)?,
            };
            if let Some(name) = name {
                analysis.names.insert(entity.to_string(), name);
            }
        }
        analysis.ledgers = ledgers;
        analysis.missing_rates = missing;
        Ok(analysis)
    }

    /// The ledgers of every testimony summarised, as a reader with `ceiling` may see them (the ledgers page):
    /// made from the statements at or under the ceiling alone, as [`Service::testimony_analysis`] makes one
    /// testimony's, and converted with the rate table in force ([`Service::rates`]). One pass over every
    /// testimony makes the summary of every ceiling at once; they are kept until a statement is added or the
    /// rate table changes, so that the page costs a pass once per state of the project, not once per request.
    /// At most `flagged_spells` of the flagged spells are listed (`flagged` counts them all). Whether
    /// synthetic testimonies went into it is said whatever the ceiling.
    pub fn ledger_summary_for(&self, ceiling: Sensitivity, flagged_spells: usize) -> Result<Analysed<LedgerSummary>> {
        let rates = self.rates(None)?.rates;
        let store = self.project.read()?;
        let version = store.statements_version()?;
        let summaries = self.ledger_summaries.get_if(
            version,
            |kept| kept.rates == rates,
            || {
                let mut by_ceiling: [LedgerSummary; 3] = Default::default();
                let mut synthetic = false;
                store.for_each_testimony(&clew_assess::engine::SPELL_SCHEMATA, &mut |_, statements| {
                    synthetic |= is_synthetic(&statements);
                    // Each ceiling's ledgers from its statements; one that adds none to the ceiling below has
                    // the same ledgers (testimonies hold few public statements, or none).
                    let mut below: Option<(usize, Vec<Ledger>, MissingRates)> = None;
                    for (summary, ceiling) in by_ceiling.iter_mut().zip(CEILINGS) {
                        let under: Vec<Statement> =
                            statements.iter().filter(|s| s.sensitivity <= ceiling).cloned().collect();
                        let (ledgers, missing) = match below.take() {
                            Some((count, ledgers, missing)) if count == under.len() => (ledgers, missing),
                            _ => ledgers_and_missing_rates(&under, Some(&rates)),
                        };
                        summary.add(&ledgers);
                        summary.missing.merge(missing.clone());
                        below = Some((under.len(), ledgers, missing));
                    }
                    Ok(())
                })?;
                Ok(LedgerSummaries { rates: rates.clone(), synthetic, by_ceiling })
            },
        )?;
        let level = CEILINGS.iter().position(|c| *c == ceiling).unwrap_or(0);
        let kept = &summaries.by_ceiling[level];
        let summary = LedgerSummary {
            spells: kept.spells,
            usd: kept.usd.clone(),
            flagged: kept.flagged,
            flags: kept.flags.clone(),
            flagged_spells: kept.flagged_spells.iter().take(flagged_spells).cloned().collect(),
            missing: kept.missing.clone(),
        };
        Ok(Analysed { value: summary, synthetic: summaries.synthetic })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::intake::{ImportFormat, Inputs};
    use crate::tests::project;

    /// The synthetic example testimony of the repository (every person, company and place in it fictional): one
    /// spell, May 2019 to November 2021, paid 60,000 roubles a month of which 45,000 went as a loyalty fee and
    /// 15,000 were owed to the worker on return.
    const EXAMPLE: &str = include_str!("../../../docs/examples/testimony-synthetic.yaml");
    const EXAMPLE_ID: &str = "T-EXAMPLE-0001";

    /// Imports the example, and a copy of it as `T-EXAMPLE-0002` whose witness withdrew consent to every use.
    fn example_and_withdrawn() -> (tempfile::TempDir, Service) {
        let (dir, service, actor) = project();
        service.add_custodian(&actor, &clew_vault::new_custodian("test").key, "test").unwrap();
        let withdrawn = EXAMPLE
            .replace(EXAMPLE_ID, "T-EXAMPLE-0002")
            .replace("W-EX-0001", "W-EX-0002")
            .replace("retention_until: 2035-03", "retention_until: 2035-03\n  withdrawal: {date: 2025-06, scope: all}");
        let files = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for (index, text) in [EXAMPLE, withdrawn.as_str()].iter().enumerate() {
            let path = files.path().join(format!("t{index}.yaml"));
            std::fs::write(&path, text).unwrap();
            paths.push(path.display().to_string());
        }
        let inputs = Inputs::expand(&paths).unwrap();
        let report = service.import(&actor, &inputs, &ImportFormat::Testimony, false, &mut |_| {}).unwrap();
        assert!(report.committed, "{report:?}");
        (dir, service)
    }

    fn id(text: &str) -> SourceId {
        SourceId::new(text).unwrap()
    }

    #[test]
    fn a_testimony_is_explained_from_what_the_reader_may_see() {
        let (_dir, service) = example_and_withdrawn();
        let full = service.testimony_analysis(&id(EXAMPLE_ID), Sensitivity::Restricted).unwrap();
        assert!(!full.withdrawn && full.synthetic);
        let assessment = full.assessment.as_ref().unwrap();
        assert_eq!(assessment.spells.len(), 1);
        let spell = &assessment.spells[0];
        assert_eq!(spell.icls, Outcome::ForcedLabour, "{}", spell.icls_reason);
        // Every code found is explained, each with the weight the ILO 2012 scheme gives it.
        for code in spell.involuntariness.iter().chain(&spell.coercion).chain(&spell.indicators) {
            let meaning = &full.codes[code];
            assert!(!meaning.label.is_empty() && meaning.label != *code, "{meaning:?}");
            assert_eq!(meaning.strength.is_none(), meaning.family == Family::Indicator, "{meaning:?}");
        }
        assert_eq!(full.codes["COE04"].strength, Some(Strength::Strong));
        assert!(spell.findings.iter().all(|f| f.evidence.iter().all(|e| e.locator.starts_with("segment:"))));
        // The ledger: 60,000 roubles a month paid to the dispatcher (named), 45,000 taken, all in dollars.
        assert_eq!(full.ledgers.len(), 1);
        let ledger = &full.ledgers[0];
        let paid = ledger.employer_paid.as_ref().unwrap();
        assert_eq!((paid.amount, paid.currency.as_str()), (60_000.0, "RUB"));
        assert!(paid.usd.is_some_and(|usd| usd > 0.0) && full.missing_rates.is_empty());
        assert!(full.names.contains_key(ledger.paid_to.as_deref().unwrap()), "{:?}", full.names);

        // An analyst reads no work spell (spells are restricted), so nothing is assessed or counted for them:
        // not an outcome made from facts they may not read, nor a wage.
        for ceiling in [Sensitivity::Public, Sensitivity::Internal] {
            let lower = service.testimony_analysis(&id(EXAMPLE_ID), ceiling).unwrap();
            assert!(lower.assessment.unwrap().spells.is_empty() && lower.codes.is_empty(), "{ceiling:?}");
            assert!(lower.ledgers.is_empty() && lower.names.is_empty() && lower.synthetic, "{ceiling:?}");
        }

        let withdrawn = service.testimony_analysis(&id("T-EXAMPLE-0002"), Sensitivity::Restricted).unwrap();
        assert!(withdrawn.withdrawn && withdrawn.assessment.is_none() && withdrawn.ledgers.is_empty());
        let error = service.testimony_analysis(&id("T-NONE"), Sensitivity::Restricted).unwrap_err();
        assert_eq!(error.code(), Code::NotFound);
    }

    #[test]
    fn the_projects_ledgers_are_summarised_under_each_ceiling_and_kept() {
        let (_dir, service) = example_and_withdrawn();
        let rates = service.rates(None).unwrap().rates;
        let whole = service.ledger_summary(&rates).unwrap();
        let shown = service.ledger_summary_for(Sensitivity::Restricted, 10).unwrap();
        assert!(shown.synthetic && whole.synthetic);
        assert_eq!(shown.value.usd, whole.value.usd, "the page's summary is the command line's");
        // One spell (the withdrawn testimony is left out), 31 months at 60,000 roubles.
        let usd = &shown.value.usd;
        assert_eq!((shown.value.spells, usd.spells, usd.unconverted), (1, 1, 0));
        let monthly = service.testimony_analysis(&id(EXAMPLE_ID), Sensitivity::Restricted).unwrap().ledgers[0]
            .employer_paid
            .as_ref()
            .unwrap()
            .usd
            .unwrap();
        assert!((usd.employer_paid - 31.0 * monthly).abs() < 1e-6, "{usd:?}");
        assert!((usd.deducted["loyalty_fee"] - 0.75 * usd.employer_paid).abs() < 1e-6);
        assert!((usd.owed_on_return - 0.25 * usd.employer_paid).abs() < 1e-6);
        assert_eq!((usd.received, usd.never_paid, usd.promised), (0.0, 0.0, 0.0));
        assert!((usd.share_taken().unwrap() - 0.75).abs() < 1e-9);

        let analyst = service.ledger_summary_for(Sensitivity::Internal, 10).unwrap();
        assert_eq!((analyst.value.spells, analyst.value.usd.clone()), (0, LedgerTotals::default()));
        assert!(analyst.synthetic, "a synthetic mark is never hidden");

        // Kept while nothing is added; made again when a testimony is.
        let again = EXAMPLE.replace(EXAMPLE_ID, "T-EXAMPLE-0003").replace("W-EX-0001", "W-EX-0003");
        let files = tempfile::tempdir().unwrap();
        let path = files.path().join("t.yaml");
        std::fs::write(&path, again).unwrap();
        let inputs = Inputs::expand(&[path.display().to_string()]).unwrap();
        let actor = Actor::new("tester").unwrap();
        service.import(&actor, &inputs, &ImportFormat::Testimony, false, &mut |_| {}).unwrap();
        let after = service.ledger_summary_for(Sensitivity::Restricted, 10).unwrap();
        assert_eq!(after.value.spells, 2);
        assert!((after.value.usd.employer_paid - 2.0 * usd.employer_paid).abs() < 1e-6);
        assert!(service.ledger_summary_for(Sensitivity::Restricted, 0).unwrap().value.flagged_spells.is_empty());
    }
}
