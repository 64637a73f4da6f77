//! The analyses of a project's testimonies: assessments (one, all, or recorded as derived statements), wage
//! ledgers, aggregates with their bootstrap intervals, and the revenue estimate; each analysis skips a testimony
//! whose witness withdrew consent to every use, and says whether synthetic testimonies went into it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use clew_assess::ledger::{Ledger, MissingRates, Rates, ledgers_and_missing_rates};
use clew_assess::measures::{MEASURE_SCHEMATA, SpellMeasures, spell_measures};
use clew_assess::{Assessment, Rules, Taxonomy};
use clew_model::{Model, SourceId, Statement};
use clew_stats::bootstrap::{Interval, bootstrap_mean_clustered};

use crate::entities::entity_name;
use crate::{Actor, Error, Result, Service};

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

/// The ledgers of every testimony, for `clew ledger` without `--testimony`.
#[derive(Debug, Default, serde::Serialize)]
pub struct LedgerSummary {
    /// Work spells.
    pub spells: u64,
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
        if clew_disclosure::package::source_consent(store, id)?.is_some_and(|(_, w)| w.as_deref() == Some("all")) {
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
