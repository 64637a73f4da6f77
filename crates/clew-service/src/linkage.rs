//! Record linkage: a project's people, organisations or worksites (or the records of CSV files) linked into
//! entities with the reviewers' judgements on them; the pairs a reviewer should judge next; a judgement
//! recorded with its custody event; and the capture histories of the linked entities that population
//! estimation reads. Linkage never edits a statement: it reads entities and appends judgements.
//!
//! A run goes in steps, so that a caller can show what each found before the next begins: [`Linking`] holds
//! the records, prepared ([`Linking::warnings`] says what could not be read); [`Linking::score`] trains (or
//! loads) the model and scores the candidate pairs; [`Linking::cluster`] makes the entities.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use clew_link::blocking::Mode;
pub use clew_link::cluster::Verdict;
use clew_link::cluster::{Clusters, Judged, Refusal, cluster};
use clew_link::config;
use clew_link::linkage::{Linkage, Plan};
use clew_link::model::{Label, Model, Weights};
use clew_link::predict::{Part, Scored, expected_best_threshold, explain, probability};
use clew_link::records::Records;
use clew_model::{Diagnostic, Entity, EntityId};
use clew_store::{ReadTx, StoredJudgement};

use crate::{Actor, Error, Result, Service};

/// A linkage error as an operation's: bad input with every problem in its place; anything else (a config or
/// model that does not fit, too many comparisons, a model that cannot be trained) a request to change.
impl From<clew_link::Error> for Error {
    fn from(error: clew_link::Error) -> Self {
        match error {
            clew_link::Error::Input(problems) => Error::invalid(
                problems
                    .into_iter()
                    .map(|p| Diagnostic {
                        file: Some(p.origin),
                        pos: p.line.map(|line| clew_model::doc::Pos { line: line as u32, column: 1 }),
                        path: String::new(),
                        message: p.message,
                    })
                    .collect(),
            ),
            other => Error::usage(other.to_string()),
        }
    }
}

/// A file the user gave that must be UTF-8 text.
fn read_text(path: &Path) -> Result<(String, String)> {
    let origin = path.display().to_string();
    let text = String::from_utf8(crate::read_data_file(path)?)
        .map_err(|_| Error::usage(format!("{origin}: not UTF-8 text")))?;
    Ok((origin, text))
}

fn read_config(path: &Path) -> Result<config::Checked> {
    let (origin, text) = read_text(path)?;
    Ok(config::read(&origin, &text)?)
}

/// What separates the names of one entity in a cell (as `clew_link::compare::ALTERNATIVES` reads it).
const ALTERNATIVES: &str = " | ";

/// A project's entities as rows to link.
#[derive(Debug, Clone, Default)]
pub struct EntityRows {
    /// The columns, the id first.
    pub columns: Vec<String>,
    /// One row per entity with a name.
    pub rows: Vec<Vec<String>>,
    /// Per row, the sources of its active statements (which lists the entity is on).
    pub sources: Vec<Vec<String>>,
    /// Per row, the first value of the stratum property asked for (empty when it has none).
    pub strata: Vec<String>,
}

/// What clew links: a name, the schemata linked together under it, and the columns of their rows.
type Linked = (&'static str, &'static [&'static str], &'static [&'static str]);

const LINKED: [Linked; 3] = [
    ("Person", &["Person"], &["id", "name", "birth_date", "nationality", "position"]),
    ("Company", &["Company", "Organization", "PublicBody", "LegalEntity"], &["id", "name", "country", "registration"]),
    ("Worksite", &["Worksite"], &["id", "name", "region", "country"]),
];

/// The schemata linked together with `schema`, and the columns their rows have.
fn columns_of(schema: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    LINKED
        .iter()
        .find(|(_, schemata, _)| schemata.contains(&schema))
        .map(|(_, schemata, columns)| (*schemata, *columns))
}

/// The entities of a schema in `store` (companies with organisations and public bodies) as rows: id, every
/// name, and the fields the schema's linkage config compares. Entities without a name are left out.
fn entity_rows(store: &dyn ReadTx, schema: &str, stratum: Option<&str>) -> Result<EntityRows> {
    let Some((schemata, columns)) = columns_of(schema) else {
        return Err(Error::usage(format!("`{schema}`: clew links Person, Company and Worksite entities")));
    };
    let model = crate::analysis::model()?;
    let (mut rows, mut sources, mut strata) = (Vec::new(), Vec::new(), Vec::new());
    store.for_each_entity(&mut |id, statements| {
        let Some(entity) = Entity::assemble(model, &id, statements) else { return Ok(()) };
        let mut from: Vec<String> = entity.properties.values().flatten().map(|s| s.source_id.to_string()).collect();
        from.sort();
        from.dedup();
        if !schemata.contains(&entity.schema.as_str()) {
            return Ok(());
        }
        let mut names: Vec<String> = Vec::new();
        for name in ["name", "alias", "weakAlias", "previousName"].iter().flat_map(|p| entity.values(p)) {
            if !names.iter().any(|n| n == name) {
                names.push(name.replace(ALTERNATIVES.trim(), " "));
            }
        }
        if names.is_empty() {
            return Ok(());
        }
        let first = |properties: &[&str]| -> String {
            properties.iter().flat_map(|p| entity.values(p)).next().unwrap_or_default().to_string()
        };
        let mut row = vec![id.to_string(), names.join(ALTERNATIVES)];
        for column in &columns[2..] {
            row.push(match *column {
                "birth_date" => first(&["birthDate"]),
                "nationality" => first(&["nationality", "citizenship"]),
                "position" => first(&["position"]),
                "country" => first(&["country", "jurisdiction"]),
                "registration" => first(&["registrationNumber", "innCode", "ogrnCode"]),
                "region" => first(&["region"]),
                _ => String::new(),
            });
        }
        rows.push(row);
        sources.push(from);
        strata.push(stratum.map(|p| first(&[p])).unwrap_or_default());
        Ok(())
    })?;
    Ok(EntityRows { columns: columns.iter().map(|c| c.to_string()).collect(), rows, sources, strata })
}

/// A stored judgement's verdict. The project keeps the word; one clew never writes is damage, never read as
/// `unsure` (a misspelt "different" must not let the model join a pair).
fn stored_verdict(judgement: &StoredJudgement) -> Result<Verdict> {
    Verdict::parse(&judgement.verdict).ok_or_else(|| {
        Error::internal(format!(
            "the project's judgement on {} and {} has the verdict `{}`, which clew never writes: the database was \
             altered (run `clew verify`)",
            judgement.entity_a, judgement.entity_b, judgement.verdict
        ))
    })
}

/// The witnesses reviewers judged to be one person (`same`; the latest judgement on a pair counts), each
/// mapped to the first id of its cluster: wherever witnesses are counted (a dossier's corroboration, its *k*
/// check, a brief), two testimonies of one person under two pseudonyms count once. Entities in no such
/// judgement are not in the map.
pub(crate) fn same_person(store: &dyn ReadTx) -> Result<BTreeMap<String, String>> {
    let mut latest: BTreeMap<(String, String), Verdict> = BTreeMap::new();
    for judgement in store.link_judgements()? {
        let verdict = stored_verdict(&judgement)?;
        let (a, b) = (judgement.entity_a, judgement.entity_b);
        latest.insert(if a <= b { (a, b) } else { (b, a) }, verdict);
    }
    // Union-find, each cluster rooted at its smallest id.
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    fn root(parent: &BTreeMap<String, String>, id: &str) -> String {
        let mut at = id.to_string();
        while let Some(up) = parent.get(&at).filter(|up| **up != at) {
            at = up.clone();
        }
        at
    }
    for ((a, b), verdict) in latest {
        if verdict != Verdict::Same {
            continue;
        }
        let (ra, rb) = (root(&parent, &a), root(&parent, &b));
        let (low, high) = if ra <= rb { (ra, rb) } else { (rb, ra) };
        parent.insert(high, low.clone());
        parent.entry(a).or_insert_with(|| low.clone());
        parent.entry(b).or_insert(low);
    }
    let members: Vec<String> = parent.keys().cloned().collect();
    Ok(members.into_iter().map(|id| (root(&parent, &id), id)).map(|(r, id)| (id, r)).collect())
}

/// The judgements recorded in `store` on the records being linked; the latest on a pair counts.
fn stored_judgements(store: &dyn ReadTx, records: &Records) -> Result<Vec<Judged>> {
    let mut latest: BTreeMap<(u32, u32), Verdict> = BTreeMap::new();
    for judgement in store.link_judgements()? {
        let (Some(a), Some(b)) = (records.find(0, &judgement.entity_a), records.find(0, &judgement.entity_b)) else {
            continue;
        };
        latest.insert((a.min(b), a.max(b)), stored_verdict(&judgement)?);
    }
    Ok(latest.into_iter().map(|((a, b), verdict)| Judged { a, b, verdict }).collect())
}

/// A reviewer's judgement on two entities, as recorded.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Judgement {
    /// One entity.
    pub entity_a: EntityId,
    /// The other.
    pub entity_b: EntityId,
    /// The verdict.
    pub verdict: Verdict,
    /// Why (may be empty). Kept in the project; its custody event carries only a salted digest of it.
    pub note: String,
    /// Who judged.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub recorded_at: String,
}

impl Service {
    /// The project's entities of a schema as rows to link (every name of an entity in one cell, `a | b`), with
    /// the first value of the property `stratum` of each.
    pub fn entity_rows(&self, schema: &str, stratum: Option<&str>) -> Result<EntityRows> {
        entity_rows(&*self.project.read()?, schema, stratum)
    }

    /// The review queue of a schema under clew's own config: the `limit` pairs not yet judged nearest the
    /// threshold (see [`Linking::review`]). Linking a project's entities takes seconds on a large one, so the
    /// first [`REVIEW_QUEUE_KEPT`] pairs are kept until a statement is added or a pair is judged.
    pub fn review_queue(&self, schema: &str, limit: NonZeroUsize) -> Result<Review> {
        let (version, judged) = {
            let store = self.project.read()?;
            (store.statements_version()?, store.link_judgements()?.len())
        };
        let key = (schema.to_string(), judged);
        let kept = match self.review_queues.get(version, &key) {
            Some(kept) => kept,
            None => {
                let most = NonZeroUsize::new(REVIEW_QUEUE_KEPT).unwrap_or(NonZeroUsize::MIN);
                let review = std::sync::Arc::new(self.link_entities(schema, None, None)?.review(most)?);
                self.review_queues.put(version, key, std::sync::Arc::clone(&review));
                review
            }
        };
        Ok(Review { threshold: kept.threshold, pairs: kept.pairs.iter().take(limit.get()).cloned().collect() })
    }

    /// The project's entities of a schema, ready to link with the config at `config` or clew's own for the
    /// schema, with the judgements recorded on them (the latest on a pair counts). `stratum` names the property
    /// whose value makes an entity's stratum in its capture history ([`Linking::histories`]). One snapshot is
    /// read.
    pub fn link_entities(&self, schema: &str, config: Option<&Path>, stratum: Option<&str>) -> Result<Linking> {
        let checked = match config {
            Some(path) => read_config(path)?,
            None => {
                let Some((name, text)) = config::builtin(schema) else {
                    return Err(Error::usage(format!("--schema {schema}: clew links Person, Company and Worksite")));
                };
                config::read(name, text)?
            }
        };
        if checked.config.id != "id" {
            return Err(Error::usage(format!(
                "the config's id column is `{}`; a project's entities are named by `id`",
                checked.config.id
            )));
        }
        // An invariant of a project (ARCHITECTURE.md): its people are never linked on their names alone.
        if !checked.config.clustering.require_independent {
            return Err(Error::usage(
                "the config says require_independent = false: a project's entities are never linked on their names \
                 alone; remove the line",
            ));
        }
        let snapshot = self.project.read()?;
        let rows = entity_rows(&*snapshot, schema, stratum)?;
        let mut positions = Vec::new();
        for column in checked.columns() {
            match rows.columns.iter().position(|c| *c == column) {
                Some(p) => positions.push(p),
                None => {
                    return Err(Error::usage(format!(
                        "the config reads `{column}`; a project's {schema} entities have {}",
                        rows.columns.join(", ")
                    )));
                }
            }
        }
        let mut records = Records::new(checked.columns());
        records.add_rows(
            "project",
            rows.rows.iter().map(|row| positions.iter().map(|p| row[*p].clone()).collect()).collect(),
        );
        let linkage = Linkage::new(checked, records, Mode::Dedupe)?;
        let judgements = stored_judgements(&*snapshot, &linkage.records)?;
        Ok(Linking {
            linkage,
            judgements,
            entities: Some(rows),
            stratum: stratum.map(String::from),
            synthetic: self.synthetic(),
        })
    }

    /// Appends `actor`'s verdict on two entities with its custody event, in one transaction. Both must exist and
    /// be linked together (two people, two organisations or two worksites); the entities are checked inside the
    /// transaction that writes the judgement, so what is judged is what is there when it is written. The note
    /// is kept in the project; the event carries only a salted digest of it, so the log cannot be used to test
    /// guesses of what a note says.
    pub fn judge(&self, actor: &Actor, a: &EntityId, b: &EntityId, verdict: Verdict, note: &str) -> Result<Judgement> {
        let reason = |id: &'static str, args: &[(&'static str, String)]| {
            vec![crate::Reason { field: String::new(), id, args: args.to_vec() }]
        };
        if a == b {
            return Err(Error::usage(format!("{a} and {b} are one entity"))
                .with_reasons(reason("reason-one-entity", &[("entity", a.to_string())])));
        }
        let batch = crate::batch(actor, clew_custody::EventKind::LinkJudgement.as_str());
        let mut tx = self.project.store().write(&batch)?;
        let model = crate::analysis::model()?;
        let mut linked_with = Vec::new();
        for id in [a, b] {
            let Some(entity) = Entity::assemble(model, id, tx.reads().statements_for_entity(id)?) else {
                return Err(Error::usage(format!("no entity {id} in the project")).with_reasons(reason(
                    "reason-no-entity",
                    &[("entity", id.to_string()), ("kind", "Thing".into())],
                )));
            };
            match LINKED.iter().find(|(_, schemata, _)| schemata.contains(&entity.schema.as_str())) {
                Some((schema, _, _)) => linked_with.push(*schema),
                None => {
                    return Err(Error::usage(format!(
                        "{id} is a {}: clew links people, organisations and worksites",
                        entity.schema
                    )));
                }
            }
        }
        if linked_with[0] != linked_with[1] {
            return Err(Error::usage(format!(
                "{a} is linked with the {0} entities, {b} with the {1} entities: they are never compared",
                linked_with[0], linked_with[1]
            ))
            .with_reasons(reason("reason-never-compared", &[("a", a.to_string()), ("b", b.to_string())])));
        }
        let stored = StoredJudgement {
            entity_a: a.to_string(),
            entity_b: b.to_string(),
            verdict: verdict.as_str().to_string(),
            note: note.to_string(),
            recorded_by: batch.recorded_by.clone(),
            recorded_at: batch.recorded_at.clone(),
            salt: clew_vault::random_hex(16),
            batch: Some(tx.batch()),
        };
        tx.put_link_judgement(&stored)?;
        let detail = serde_json::json!({
            "entity_a": stored.entity_a, "entity_b": stored.entity_b, "verdict": verdict.as_str(),
            "note_sha256": clew_custody::verify::note_digest(&stored.salt, note),
        });
        clew_custody::record_event(tx.as_mut(), &batch, clew_custody::EventKind::LinkJudgement, &detail)?;
        tx.commit()?;
        Ok(Judgement {
            entity_a: a.clone(),
            entity_b: b.clone(),
            verdict,
            note: stored.note,
            recorded_by: stored.recorded_by,
            recorded_at: stored.recorded_at,
        })
    }
}

/// Records ready to link (a project's entities, or CSV files), with the judgements on them: prepared, and
/// their blocking plan not yet checked.
#[derive(Debug)]
pub struct Linking {
    linkage: Linkage,
    judgements: Vec<Judged>,
    /// A project's entities: their sources and strata, for capture histories.
    entities: Option<EntityRows>,
    /// The property whose value makes the stratum, when one was asked for.
    stratum: Option<String>,
    /// Made from a synthetic (demo) project: the tables say so on their first line.
    synthetic: bool,
}

/// Where the threshold of a run came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdFrom {
    /// The caller gave it.
    Given,
    /// The config's `clustering.threshold`.
    Config,
    /// The weight that maximises the model's own expected F1 (chosen without any truth).
    ExpectedF1,
}

/// The model and the scored candidate pairs of a run.
#[derive(Debug)]
pub struct Scoring {
    /// The blocking plan, within the config's limit.
    pub plan: Plan,
    /// The model, loaded or trained (the judgements as labels).
    pub model: Model,
    weights: Weights,
    /// How many candidate pairs blocking made.
    pub candidates: usize,
    /// Each candidate pair, scored.
    pub scored: Vec<Scored>,
    /// The match weight (log2 odds) from which a pair is a link.
    pub threshold: f64,
    /// Where the threshold came from.
    pub threshold_from: ThresholdFrom,
}

/// The joins clustering refused, by why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RefusedJoins {
    /// Across a pair a reviewer judged different.
    pub judged_different: usize,
    /// Chains: the groups do not match as a whole.
    pub chain: usize,
    /// Too large to check.
    pub too_large: usize,
    /// Across names that differ outright.
    pub names_differ: usize,
}

/// The entities of a run.
#[derive(Debug)]
pub struct Clustering {
    /// Which entity each record is of.
    pub clusters: Clusters,
    /// Scored pairs that are links.
    pub links: usize,
    /// Entities.
    pub entities: usize,
    /// Entities of more than one record.
    pub entities_with_several_records: usize,
    /// Joins refused.
    pub refused: RefusedJoins,
    /// "Same" judgements not applied, each with the "different" one it contradicts: (a, b, c, d) where a = b
    /// was judged but c ≠ d.
    pub inconsistent_judgements: Vec<(String, String, String, String)>,
}

/// A pair put to a reviewer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewPair {
    /// One entity.
    pub entity_a: String,
    /// The other.
    pub entity_b: String,
    /// The pair's match weight.
    pub match_weight: f64,
    /// Its probability.
    pub match_probability: f64,
    /// Whether evidence other than the name agrees.
    pub independent: bool,
    /// Whether the names differ outright (only a judgement joins them).
    pub names_differ: bool,
    /// The prior's weight: where every pair starts before any comparison (the weights of the parts add to it).
    pub prior_weight: f64,
    /// Each comparison's part in the weight.
    pub parts: Vec<Part>,
}

/// The most pairs of a review queue kept between requests ([`Service::review_queue`]).
pub const REVIEW_QUEUE_KEPT: usize = 200;

/// The pairs a reviewer should judge next.
#[derive(Debug, Clone)]
pub struct Review {
    /// The run's threshold.
    pub threshold: f64,
    /// The pairs not yet judged nearest the threshold, nearest first.
    pub pairs: Vec<ReviewPair>,
}

/// Checks a threshold the caller gave.
fn check_threshold(threshold: Option<f64>) -> Result<()> {
    if threshold.is_some_and(|t| !t.is_finite()) {
        return Err(Error::usage("--threshold: a finite match weight"));
    }
    Ok(())
}

impl Linking {
    /// The records of CSV files, one to deduplicate or two to link across (`mode`), to link with the config at
    /// `config`. Every bad row of every file is reported, and then nothing is linked.
    pub fn from_files(files: &[PathBuf], mode: Mode, config: &Path) -> Result<Linking> {
        let checked = read_config(config)?;
        let mut records = Records::new(checked.columns());
        let mut problems = Vec::new();
        for file in files {
            if let Err(clew_link::Error::Input(found)) =
                records.add_csv(&file.display().to_string(), &crate::read_data_file(file)?)
            {
                problems.extend(found);
            }
        }
        if !problems.is_empty() {
            return Err(clew_link::Error::Input(problems).into());
        }
        let linkage = Linkage::new(checked, records, mode)?;
        Ok(Linking { linkage, judgements: Vec::new(), entities: None, stratum: None, synthetic: false })
    }

    /// Adds reviewers' judgements from a CSV file with id_l, id_r and verdict (same, different or unsure);
    /// linking two files, id_l is of the first and id_r of the second. Every bad row is reported, and then none
    /// is added.
    pub fn read_judgements(&mut self, path: &Path) -> Result<()> {
        let origin = path.display().to_string();
        let bytes = crate::read_data_file(path)?;
        let records = &self.linkage.records;
        let mode = self.linkage.mode;
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes.as_slice());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| Error::usage(format!("{origin}: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let position = |name: &str| header.iter().position(|h| h == name);
        let (Some(left), Some(right), Some(verdict_column)) = (position("id_l"), position("id_r"), position("verdict"))
        else {
            return Err(clew_link::Error::at(&origin, Some(1), "the header needs id_l, id_r and verdict").into());
        };
        let mut judged = Vec::new();
        let mut problems = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| Error::usage(format!("{origin}: {e}")))?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let field = |i: usize| record.get(i).unwrap_or("").trim();
            let mut problem = |message: String| {
                problems.push(clew_link::Problem { origin: origin.clone(), line: Some(line), message })
            };
            // Linking two files, id_l is of the first and id_r of the second.
            let source = |i: usize| u16::from(i == right && mode == Mode::Link);
            let find = |i: usize| records.find(source(i), field(i));
            let verdict = Verdict::parse(field(verdict_column));
            if verdict.is_none() {
                problem(format!("verdict: `{}` is not same, different or unsure", field(verdict_column)));
            }
            match (find(left), find(right), verdict) {
                (Some(a), Some(b), Some(verdict)) if a != b => judged.push(Judged { a, b, verdict }),
                (Some(_), Some(_), Some(_)) => problem("id_l and id_r are the same record".into()),
                (a, b, _) => {
                    for (found, column) in [(a, left), (b, right)] {
                        if found.is_none() {
                            let file = &records.origins()[usize::from(source(column))];
                            problem(format!("{}: no record of {file} has the id `{}`", header[column], field(column)));
                        }
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(clew_link::Error::Input(problems).into());
        }
        self.judgements.extend(judged);
        Ok(())
    }

    /// What the caller should know: values that could not be read and count as missing, records with more
    /// blocking keys than are kept, names-only linking allowed.
    pub fn warnings(&self) -> &[String] {
        &self.linkage.warnings
    }

    /// How many records.
    pub fn records(&self) -> usize {
        self.linkage.records.len()
    }

    /// How many comparisons each blocking rule makes, and how many pairs each training rule; refused when they
    /// exceed the config's limit (or `threshold` is not a finite weight).
    pub fn plan(&self, threshold: Option<f64>) -> Result<Plan> {
        check_threshold(threshold)?;
        Ok(self.linkage.plan()?)
    }

    /// Plans ([`Linking::plan`]), then loads the model at `model` (checked against the config) or trains one
    /// (the judgements other than unsure as labels), scores the candidate pairs, and takes the threshold given,
    /// else the config's, else the weight that maximises the model's own expected F1.
    pub fn score(&self, model: Option<&Path>, threshold: Option<f64>) -> Result<Scoring> {
        let plan = self.plan(threshold)?;
        let model = match model {
            Some(path) => {
                let (origin, text) = read_text(path)?;
                let model = Model::read(&origin, &text)?;
                model.check(&self.linkage.fields)?;
                model
            }
            None => {
                let labels: Vec<Label> = self
                    .judgements
                    .iter()
                    .filter(|j| j.verdict != Verdict::Unsure)
                    .map(|j| Label { a: j.a, b: j.b, same: j.verdict == Verdict::Same })
                    .collect();
                self.linkage.train(&labels)?
            }
        };
        let candidates = self.linkage.candidates();
        let scored = self.linkage.score(&model, &candidates)?;
        let clustering = &self.linkage.checked.config.clustering;
        let (threshold, threshold_from) = match (threshold, clustering.threshold) {
            (Some(t), _) => (t, ThresholdFrom::Given),
            (None, Some(t)) => (t, ThresholdFrom::Config),
            (None, None) => {
                (expected_best_threshold(&scored, clustering.require_independent), ThresholdFrom::ExpectedF1)
            }
        };
        Ok(Scoring {
            plan,
            weights: Weights::new(&model),
            model,
            candidates: candidates.len(),
            scored,
            threshold,
            threshold_from,
        })
    }

    fn require_independent(&self) -> bool {
        self.linkage.checked.config.clustering.require_independent
    }

    /// The entities: the links joined strongest first, never across a pair judged different, "same"
    /// judgements first (`clew_link::cluster`).
    pub fn cluster(&self, scoring: &Scoring) -> Clustering {
        let records = &self.linkage.records;
        let require_independent = self.require_independent();
        let clusters = cluster(
            records,
            &scoring.scored,
            scoring.threshold,
            require_independent,
            &self.judgements,
            self.linkage.weigher(&scoring.weights),
        );
        let links = scoring.scored.iter().filter(|s| s.is_link(scoring.threshold, require_independent)).count();
        let mut refused = RefusedJoins::default();
        for refusal in &clusters.refused {
            match refusal {
                Refusal::JudgedDifferent { .. } => refused.judged_different += 1,
                Refusal::Chain { .. } => refused.chain += 1,
                Refusal::TooLarge { .. } => refused.too_large += 1,
                Refusal::NamesDiffer { .. } => refused.names_differ += 1,
            }
        }
        let id = |r: u32| records.id(r).to_string();
        let inconsistent_judgements = clusters
            .inconsistencies
            .iter()
            .map(|i| (id(i.same.0), id(i.same.1), id(i.different.0), id(i.different.1)))
            .collect();
        Clustering {
            links,
            entities: clusters.canonical.len(),
            entities_with_several_records: sizes(&clusters).iter().filter(|s| **s > 1).count(),
            refused,
            inconsistent_judgements,
            clusters,
        }
    }

    /// A table made from a synthetic (demo) project says so on its first line.
    fn labelled(&self, mut table: Vec<u8>) -> Vec<u8> {
        if self.synthetic {
            table.splice(0..0, b"# SYNTHETIC DATA: linked from a clew demo's fictional testimonies\n".iter().copied());
        }
        table
    }

    /// The scored pairs from `min_weight` (the threshold when absent), strongest first, as CSV: id_l, id_r,
    /// match_weight, match_probability, independent, names_differ, linked, and with `explained` each
    /// comparison's values, level and weight.
    pub fn pairs_table(&self, scoring: &Scoring, min_weight: Option<f64>, explained: bool) -> Vec<u8> {
        let linkage = &self.linkage;
        let min_weight = min_weight.unwrap_or(scoring.threshold);
        let require_independent = self.require_independent();
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = vec![
            "id_l".to_string(),
            "id_r".into(),
            "match_weight".into(),
            "match_probability".into(),
            "independent".into(),
            "names_differ".into(),
            "linked".into(),
        ];
        if explained {
            for field in &linkage.fields {
                let name = &field.comparison.name;
                header.extend([
                    format!("{name}_l"),
                    format!("{name}_r"),
                    format!("{name}_level"),
                    format!("{name}_weight"),
                ]);
            }
        }
        let _ = writer.write_record(&header);
        let mut chosen: Vec<&Scored> = scoring.scored.iter().filter(|s| f64::from(s.weight) >= min_weight).collect();
        chosen.sort_by(|x, y| y.weight.total_cmp(&x.weight).then((x.a, x.b).cmp(&(y.a, y.b))));
        for s in chosen {
            let mut row = vec![
                linkage.records.id(s.a).to_string(),
                linkage.records.id(s.b).to_string(),
                format!("{:.4}", s.weight),
                format!("{:.6}", probability(f64::from(s.weight))),
                s.independent.to_string(),
                s.names_differ.to_string(),
                s.is_link(scoring.threshold, require_independent).to_string(),
            ];
            if explained {
                for part in explain(&linkage.fields, &scoring.weights, s.a, s.b).parts {
                    row.extend([part.left, part.right, part.level, format!("{:.4}", part.weight)]);
                }
            }
            let _ = writer.write_record(&row);
        }
        self.labelled(writer.into_inner().unwrap_or_default())
    }

    /// The entities as CSV: file, id, entity_file, entity (the canonical id: the smallest record id in it), size.
    pub fn clusters_table(&self, clustering: &Clustering) -> Vec<u8> {
        let records = &self.linkage.records;
        let clusters = &clustering.clusters;
        let sizes = sizes(clusters);
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(["file", "id", "entity_file", "entity", "size"]);
        let file = |record: u32| records.origins()[records.source(record) as usize].as_str();
        for (record, entity) in clusters.entity_of.iter().enumerate() {
            let _ = writer.write_record([
                file(record as u32),
                records.id(record as u32),
                file(clusters.canonical_record[*entity as usize]),
                &clusters.canonical[*entity as usize],
                &sizes[*entity as usize].to_string(),
            ]);
        }
        self.labelled(writer.into_inner().unwrap_or_default())
    }

    /// The `limit` pairs not yet judged whose weight is nearest the threshold (the model is least sure of them,
    /// and a verdict on them teaches it most), each explained. A pair judged unsure is left to the model, and
    /// may come back.
    pub fn review(&self, limit: NonZeroUsize) -> Result<Review> {
        let scoring = self.score(None, None)?;
        let judged: HashSet<(u32, u32)> =
            self.judgements.iter().filter(|j| j.verdict != Verdict::Unsure).map(|j| (j.a, j.b)).collect();
        let threshold = scoring.threshold;
        let mut open: Vec<&Scored> = scoring.scored.iter().filter(|s| !judged.contains(&(s.a, s.b))).collect();
        let distance = |s: &Scored| (f64::from(s.weight) - threshold).abs();
        open.sort_by(|x, y| distance(x).total_cmp(&distance(y)).then((x.a, x.b).cmp(&(y.a, y.b))));
        let records = &self.linkage.records;
        let pairs = open
            .into_iter()
            .take(limit.get())
            .map(|s| {
                let explained = explain(&self.linkage.fields, &scoring.weights, s.a, s.b);
                ReviewPair {
                    entity_a: records.id(s.a).to_string(),
                    entity_b: records.id(s.b).to_string(),
                    match_weight: f64::from(s.weight),
                    match_probability: probability(f64::from(s.weight)),
                    independent: s.independent,
                    names_differ: s.names_differ,
                    prior_weight: explained.prior,
                    parts: explained.parts,
                }
            })
            .collect();
        Ok(Review { threshold, pairs })
    }

    /// The capture-history table of the linked entities ([`Histories`]): one 0/1 column per list, the stratum
    /// when asked, and the count of entities with that history. Entities on no list are counted apart (they are
    /// not observable in this table). A source on more than one list is refused: overlapping prefixes would
    /// make the lists overlap by construction, and the estimate too small.
    pub fn histories(&self, lists: &CaptureLists) -> Result<Histories> {
        let Some(rows) = &self.entities else {
            return Err(Error::usage("capture histories are of a project's entities, not of files"));
        };
        if lists.stratum != self.stratum {
            return Err(Error::internal(
                "the lists were checked against another stratum than the entities were read with",
            ));
        }
        let scoring = self.score(None, None)?;
        let clusters = self.cluster(&scoring).clusters;
        let lists = &lists.lists;
        // Per entity: the lists its records' sources are on, and its stratum.
        let entities = clusters.canonical.len();
        let mut on = vec![vec![false; lists.len()]; entities];
        let mut strata: Vec<Option<String>> = vec![None; entities];
        let mut conflicts = BTreeSet::new();
        let mut ambiguous = BTreeMap::new();
        for (record, entity) in clusters.entity_of.iter().enumerate() {
            let entity = *entity as usize;
            for source in &rows.sources[record] {
                let matching: Vec<usize> =
                    (0..lists.len()).filter(|i| source.starts_with(lists[*i].prefix.as_str())).collect();
                if matching.len() > 1 {
                    ambiguous
                        .insert(source.clone(), matching.iter().map(|i| lists[*i].name.clone()).collect::<Vec<_>>());
                }
                for i in matching {
                    on[entity][i] = true;
                }
            }
            let value = &rows.strata[record];
            if !value.is_empty() {
                match &strata[entity] {
                    None => strata[entity] = Some(value.clone()),
                    Some(kept) if kept != value => {
                        conflicts.insert(entity);
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some((source, names)) = ambiguous.iter().next() {
            return Err(Error::usage(format!(
                "the source {source} is on the lists {} ({} sources are on several lists): give prefixes that do not overlap",
                names.join(" and "),
                ambiguous.len()
            )));
        }
        if let Some(stratum) = &self.stratum
            && strata.iter().all(Option::is_none)
        {
            return Err(Error::usage(format!("--stratum {stratum}: no linked entity has a value of it")));
        }
        let mut patterns: BTreeMap<(Vec<bool>, String), u64> = BTreeMap::new();
        let mut on_no_list = 0;
        for (entity, bits) in on.iter().enumerate() {
            if !bits.contains(&true) {
                on_no_list += 1;
                continue;
            }
            let stratum = strata[entity].clone().unwrap_or_default();
            *patterns.entry((bits.clone(), stratum)).or_insert(0) += 1;
        }
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = lists.iter().map(|list| list.name.clone()).collect();
        if let Some(stratum) = &self.stratum {
            header.push(stratum.clone());
        }
        header.push("count".into());
        let _ = writer.write_record(&header);
        for ((bits, stratum), count) in patterns.iter().rev() {
            let mut row: Vec<String> = bits.iter().map(|b| u8::from(*b).to_string()).collect();
            if self.stratum.is_some() {
                row.push(stratum.clone());
            }
            row.push(count.to_string());
            let _ = writer.write_record(&row);
        }
        let mut table = writer.into_inner().unwrap_or_default();
        if self.synthetic {
            // Made from fictional testimonies: the table says so, and estimates made from it say so in turn.
            let note = b"# SYNTHETIC DATA: capture histories of the people a clew demo's fictional testimonies name\n";
            table.splice(0..0, note.iter().copied());
        }
        let without_stratum =
            if self.stratum.is_some() { patterns.keys().filter(|(_, stratum)| stratum.is_empty()).count() } else { 0 };
        Ok(Histories {
            table,
            entities,
            on_no_list,
            per_list: lists
                .iter()
                .enumerate()
                .map(|(i, list)| (list.name.clone(), on.iter().filter(|b| b[i]).count()))
                .collect(),
            strata_in_conflict: conflicts.len(),
            patterns: patterns.len(),
            without_stratum,
            threshold: scoring.threshold,
        })
    }
}

/// How many records each entity has.
fn sizes(clusters: &Clusters) -> Vec<usize> {
    let mut sizes = vec![0usize; clusters.canonical.len()];
    for e in &clusters.entity_of {
        sizes[*e as usize] += 1;
    }
    sizes
}

/// A list of capture-recapture estimation: the sources whose id begins with `prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureList {
    /// Its name, a column of the table.
    pub name: String,
    /// The beginning of its sources' ids.
    pub prefix: String,
}

impl CaptureList {
    /// `NAME=PREFIX`, each part trimmed.
    pub fn parse(spec: &str) -> Result<CaptureList> {
        let Some((name, prefix)) = spec.split_once('=') else {
            return Err(Error::usage(format!(
                "--list {spec}: give NAME=PREFIX (the sources whose id begins with PREFIX)"
            )));
        };
        Ok(CaptureList { name: name.trim().to_string(), prefix: prefix.trim().to_string() })
    }
}

/// The lists of a capture-history table, checked, and the property whose value makes the stratum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureLists {
    lists: Vec<CaptureList>,
    stratum: Option<String>,
}

impl CaptureLists {
    /// Two lists or more, each with a name of its own that can be a CSV column (no commas or quotes, neither
    /// `count` nor the stratum) and a prefix that is not empty (else every source would be on it).
    pub fn new(lists: Vec<CaptureList>, stratum: Option<&str>) -> Result<CaptureLists> {
        for (i, list) in lists.iter().enumerate() {
            let spec = format!("{}={}", list.name, list.prefix);
            let name = list.name.as_str();
            let clash = name == "count" || Some(name) == stratum || lists[..i].iter().any(|l| l.name == name);
            if name.is_empty() || name.contains([',', '"']) || clash {
                return Err(Error::usage(format!(
                    "--list {spec}: each list needs its own name, without commas or quotes, other than `count` and the stratum"
                )));
            }
            if list.prefix.is_empty() {
                return Err(Error::usage(format!(
                    "--list {spec}: the prefix is empty, so every source would be on it"
                )));
            }
        }
        if stratum == Some("count") {
            return Err(Error::usage("--stratum count: `count` is the table's count column"));
        }
        if lists.len() < 2 {
            return Err(Error::usage("give at least two --list NAME=PREFIX: estimation needs overlapping lists"));
        }
        Ok(CaptureLists { lists, stratum: stratum.map(String::from) })
    }

    /// The property whose value makes the stratum.
    pub fn stratum(&self) -> Option<&str> {
        self.stratum.as_deref()
    }
}

/// The capture histories of the linked entities: the table `clew estimate population` reads, and what to know
/// about it.
#[derive(Debug, Clone)]
pub struct Histories {
    /// The table (CSV): one 0/1 column per list, the stratum when asked, and `count`; from a synthetic project,
    /// a `# SYNTHETIC DATA` line first.
    pub table: Vec<u8>,
    /// Linked entities.
    pub entities: usize,
    /// Of them, on no list.
    pub on_no_list: usize,
    /// Each list and the entities on it.
    pub per_list: Vec<(String, usize)>,
    /// Entities whose records disagree on the stratum (each counted under the first value found).
    pub strata_in_conflict: usize,
    /// Capture histories (rows of the table).
    pub patterns: usize,
    /// With a stratum, the histories of entities without a value of it (an empty value).
    pub without_stratum: usize,
    /// The threshold of the linkage.
    pub threshold: f64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Code;

    /// A file of test_data/people: fictional people (synthetic) as two sources of a project would have them.
    fn people_file(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/people").join(name)
    }

    /// A project with the fictional people of test_data/people imported.
    fn project_with_people(dir: &Path) -> Service {
        let actor = Actor::new("tester").unwrap();
        let (service, _) = Service::init(&dir.join("p"), "p", None, &actor).unwrap();
        let mut inputs = Vec::new();
        for file in ["roster.jsonl", "cases.jsonl"] {
            std::fs::copy(people_file(file), dir.join(file)).unwrap();
            inputs.push(clew_intake::input::InputPath::File(dir.join(file)));
        }
        let options = clew_intake::ftm::FtmImportOptions {
            dry_run: false,
            recorded_by: actor.name().to_string(),
            skip_unknown: false,
            sensitivity: clew_model::Sensitivity::Internal,
            source: None,
        };
        let report = clew_intake::ftm::import_ftm(
            crate::analysis::model().unwrap(),
            Some(service.project().store()),
            &inputs,
            &options,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(report.new_sources, 2);
        service
    }

    fn id(text: &str) -> EntityId {
        EntityId::new(text).unwrap()
    }

    fn lists(specs: &[&str], stratum: Option<&str>) -> Result<CaptureLists> {
        CaptureLists::new(specs.iter().map(|s| CaptureList::parse(s).unwrap()).collect(), stratum)
    }

    #[test]
    fn a_histories_table_comes_from_two_lists() {
        let dir = tempfile::tempdir().unwrap();
        let service = project_with_people(dir.path());
        let lists = lists(&["roster=ftm:roster", "cases = ftm:cases"], Some("nationality")).unwrap();
        let linking = service.link_entities("Person", None, lists.stratum()).unwrap();
        let histories = linking.histories(&lists).unwrap();
        // Kim Chol Su and Ri Nam Hui are on both lists; two people on each alone.
        assert_eq!(
            String::from_utf8(histories.table).unwrap(),
            "roster,cases,nationality,count\n1,1,kp,2\n1,0,kp,2\n0,1,kp,2\n"
        );
        assert_eq!((histories.entities, histories.on_no_list, histories.patterns), (6, 0, 3));
        assert_eq!(histories.per_list, [("roster".to_string(), 4), ("cases".to_string(), 4)]);
        assert_eq!(histories.without_stratum, 0);

        // Prefixes that overlap put a source on two lists: refused.
        let overlapping = super::tests::lists(&["all=ftm:", "cases=ftm:cases"], None).unwrap();
        let linking = service.link_entities("Person", None, None).unwrap();
        let error = linking.histories(&overlapping).unwrap_err();
        assert_eq!(error.code(), Code::Usage);
        assert!(error.message().contains("is on the lists all and cases"), "{error}");
    }

    #[test]
    fn capture_lists_are_checked_before_anything_is_read() {
        let refused = |specs: &[&str], stratum: Option<&str>, words: &str| {
            let error = lists(specs, stratum).unwrap_err();
            assert_eq!(error.code(), Code::Usage);
            assert!(error.message().contains(words), "{error}");
        };
        refused(&["roster=ftm:roster"], None, "at least two --list");
        refused(&["a=", "b=ftm:b"], None, "the prefix is empty");
        refused(&["a=x", "a=y"], None, "its own name");
        refused(&["count=x", "b=y"], None, "its own name");
        refused(&["region=x", "b=y"], Some("region"), "its own name");
        refused(&["a,b=x", "c=y"], None, "without commas");
        refused(&["a=x", "b=y"], Some("count"), "the table's count column");
        assert_eq!(CaptureList::parse("no-equals").unwrap_err().code(), Code::Usage);
    }

    #[test]
    fn a_judgement_is_recorded_typed_and_a_stored_unknown_verdict_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        let service = project_with_people(dir.path());
        let actor = Actor::new("reviewer").unwrap();
        let judged = service.judge(&actor, &id("roster.3"), &id("case.3"), Verdict::Same, "checked").unwrap();
        assert_eq!((judged.verdict, judged.recorded_by.as_str()), (Verdict::Same, "reviewer"));
        let json = serde_json::to_value(&judged).unwrap();
        assert_eq!((json["entity_a"].as_str(), json["verdict"].as_str()), (Some("roster.3"), Some("same")));
        let stored = service.project().read().unwrap().link_judgements().unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].verdict, "same");
        // The same-verdict judgement joins the two, which the model alone never does (the name only agrees).
        let linking = service.link_entities("Person", None, None).unwrap();
        let clustering = linking.cluster(&linking.score(None, None).unwrap());
        let entity_of = |id: &str| {
            let record = linking.linkage.records.find(0, id).unwrap();
            clustering.clusters.entity_of[record as usize]
        };
        assert_eq!(entity_of("roster.3"), entity_of("case.3"));

        // What the request gets wrong is refused, and nothing is written.
        let refused = |a: &str, b: &str, words: &str| {
            let error = service.judge(&actor, &id(a), &id(b), Verdict::Different, "").unwrap_err();
            assert_eq!(error.code(), Code::Usage);
            assert!(error.message().contains(words), "{error}");
        };
        refused("roster.1", "roster.1", "are one entity");
        refused("roster.1", "nobody.9", "no entity nobody.9 in the project");
        refused("roster.1", "roster.c1", "they are never compared");
        assert_eq!(service.project().read().unwrap().link_judgements().unwrap().len(), 1);

        // A verdict clew never writes is damage, never read as unsure (the database refuses one too; a row
        // changed by hand with its checks off is what this guards against).
        let mut damaged = stored[0].clone();
        damaged.verdict = "maybe".into();
        let error = stored_verdict(&damaged).unwrap_err();
        assert_eq!(error.code(), Code::Internal);
        assert!(error.message().contains("the verdict `maybe`, which clew never writes"), "{error}");
        damaged.verdict = "different".into();
        assert_eq!(stored_verdict(&damaged).unwrap(), Verdict::Different);
    }

    #[test]
    fn a_file_is_linked_with_its_judgements_and_a_bad_verdict_word_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (_, builtin) = config::builtin("Person").unwrap();
        let config = dir.path().join("person.toml");
        std::fs::write(&config, builtin).unwrap();
        let people = dir.path().join("people.csv");
        std::fs::write(
            &people,
            "id,name,birth_date,nationality,position\nr1,Kim Chol Su,1975-03-02,kp,\nr2,김철수,1975-03-02,kp,\n\
             r3,Pak Song Il,1969-06-01,kp,\nr4,Pak Song Il,,kp,\n",
        )
        .unwrap();
        let mut linking = Linking::from_files(std::slice::from_ref(&people), Mode::Dedupe, &config).unwrap();
        assert_eq!(linking.records(), 4);
        let judged = dir.path().join("judged.csv");
        std::fs::write(&judged, "id_l,id_r,verdict\nr1,r2,maybe\nr3,r9,same\n").unwrap();
        let error = linking.read_judgements(&judged).unwrap_err();
        assert_eq!(error.code(), Code::InvalidInput);
        let lines: Vec<String> = error.diagnostics().iter().map(ToString::to_string).collect();
        assert!(lines.iter().any(|l| l.contains(":2:") && l.contains("`maybe` is not same, different or unsure")));
        assert!(lines.iter().any(|l| l.contains(":3:") && l.contains("has the id `r9`")), "{lines:?}");
        // Nothing of a bad file is taken; a good one is, and its verdicts override the model.
        std::fs::write(&judged, "id_l,id_r,verdict\nr1,r2,different\nr3,r4,same\n").unwrap();
        linking.read_judgements(&judged).unwrap();
        let scoring = linking.score(None, Some(0.0)).unwrap();
        assert_eq!(scoring.threshold_from, ThresholdFrom::Given);
        let clustering = linking.cluster(&scoring);
        let entity = |record: u32| clustering.clusters.entity_of[record as usize];
        assert_ne!(entity(0), entity(1));
        assert_eq!(entity(2), entity(3));
        let table = String::from_utf8(linking.clusters_table(&clustering)).unwrap();
        assert!(table.starts_with("file,id,entity_file,entity,size\n"), "{table}");
    }

    #[test]
    fn a_project_refuses_configs_that_do_not_fit_it() {
        let dir = tempfile::tempdir().unwrap();
        let service = project_with_people(dir.path());
        let error = service.link_entities("Vessel", None, None).unwrap_err();
        assert_eq!(error.code(), Code::Usage);
        assert!(error.message().contains("clew links Person, Company and Worksite"), "{error}");
        let (_, builtin) = config::builtin("Person").unwrap();
        let names_only = dir.path().join("names-only.toml");
        std::fs::write(&names_only, format!("{builtin}\n[clustering]\nrequire_independent = false\n")).unwrap();
        let error = service.link_entities("Person", Some(&names_only), None).unwrap_err();
        assert!(error.message().contains("never linked on their names alone"), "{error}");
        let linking = service.link_entities("Person", None, None).unwrap();
        assert_eq!(linking.plan(Some(f64::NAN)).unwrap_err().code(), Code::Usage);
        assert_eq!(linking.review(NonZeroUsize::new(2).unwrap()).unwrap().pairs.len(), 2);
        // Every name of an entity in one cell; the company is not among the people.
        let rows = service.entity_rows("Person", None).unwrap();
        assert_eq!(rows.columns, ["id", "name", "birth_date", "nationality", "position"]);
        assert_eq!(rows.rows.len(), 8);
        let kim = rows.rows.iter().find(|row| row[0] == "roster.1").unwrap();
        assert_eq!(kim[1..4], ["김철수 | Kim Chol Su", "1975-03-02", "kp"]);
    }

    #[test]
    fn the_review_queue_is_kept_until_a_pair_is_judged() {
        let dir = tempfile::tempdir().unwrap();
        let service = project_with_people(dir.path());
        let five = NonZeroUsize::new(5).unwrap();
        let queue = service.review_queue("Person", five).unwrap();
        let fresh = service.link_entities("Person", None, None).unwrap().review(five).unwrap();
        let ids = |review: &Review| -> Vec<(String, String)> {
            review.pairs.iter().map(|p| (p.entity_a.clone(), p.entity_b.clone())).collect()
        };
        assert!(!queue.pairs.is_empty());
        assert_eq!(ids(&queue), ids(&fresh), "the kept queue is the one linkage gives");
        assert_eq!(service.review_queue("Person", NonZeroUsize::MIN).unwrap().pairs.len(), 1);
        let first = queue.pairs[0].clone();
        let (a, b) = (EntityId::new(&first.entity_a).unwrap(), EntityId::new(&first.entity_b).unwrap());
        service.judge(&Actor::new("reviewer").unwrap(), &a, &b, Verdict::Different, "").unwrap();
        let after = service.review_queue("Person", five).unwrap();
        assert!(!ids(&after).contains(&(first.entity_a, first.entity_b)), "a judged pair leaves the queue");
    }
}
