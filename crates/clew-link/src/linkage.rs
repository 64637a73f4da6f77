//! One linkage run put together: a checked config over records, its comparisons made ready, its blocking plan
//! checked against the limit, then training, scoring and clustering.

use crate::blocking::{Blocker, Mode, candidates};
use crate::compare::{Cache, Comparison, Field};
use crate::config::Checked;
use crate::model::{Label, Model, Weights};
use crate::predict::{self, Scored};
use crate::records::Records;
use crate::{Error, Problem};

/// The records and config of a run, ready to block, train and score.
#[derive(Debug)]
pub struct Linkage {
    /// The config.
    pub checked: Checked,
    /// The records.
    pub records: Records,
    /// One per comparison.
    pub fields: Vec<Field>,
    /// One per blocking rule.
    pub blockers: Vec<Blocker>,
    /// One per prior rule of training.
    pub prior: Vec<Blocker>,
    /// One per EM rule of training.
    pub em: Vec<Blocker>,
    /// Dedupe or link.
    pub mode: Mode,
    /// Things the user should know (values that could not be read and count as missing).
    pub warnings: Vec<String>,
}

/// What blocking will do, rule by rule, before anything runs.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Each rule and the comparisons it makes (an upper bound when keys are many per record).
    pub rules: Vec<(String, u64)>,
    /// Their sum.
    pub total: u64,
    /// The training rules (prior, then EM) and the pairs each makes.
    pub training: Vec<(String, u64)>,
    /// The configured limit.
    pub limit: u64,
}

impl Plan {
    /// The plan, one rule a line.
    pub fn describe(&self) -> String {
        let mut lines: Vec<String> =
            self.rules.iter().map(|(rule, count)| format!("  {rule}: {count} comparisons")).collect();
        lines.extend(self.training.iter().map(|(rule, count)| format!("  training, {rule}: {count} pairs")));
        lines.join("\n")
    }
}

impl Linkage {
    /// Prepares a run. Dedupe needs two records or more; link needs two sources, neither empty.
    pub fn new(checked: Checked, records: Records, mode: Mode) -> Result<Linkage, Error> {
        let origins = records.origins().to_vec();
        let mut problems = Vec::new();
        for (origin, size) in origins.iter().zip(records.source_sizes()) {
            if size == 0 {
                problems.push(Problem { origin: origin.clone(), line: None, message: "no records".into() });
            }
        }
        if mode == Mode::Link && origins.len() < 2 {
            problems.push(Problem { origin: "link".into(), line: None, message: "linking needs two files".into() });
        }
        if problems.is_empty() && records.len() < 2 {
            problems.push(Problem {
                origin: origins.join(", "),
                line: None,
                message: "one record: there is nothing to link it with".into(),
            });
        }
        if !problems.is_empty() {
            return Err(Error::Input(problems));
        }
        let mut fields = Vec::new();
        let mut warnings = Vec::new();
        if !checked.config.clustering.require_independent {
            warnings.push(
                "require_independent = false: pairs may be linked on their names alone, which clew otherwise never \
                 does (for benchmark data without other fields; a project refuses it)"
                    .to_string(),
            );
        }
        for spec in &checked.config.comparisons {
            let columns: Vec<usize> = spec.columns.iter().filter_map(|c| records.column(c)).collect();
            let (field, unreadable) = Field::prepare(Comparison::new(spec), &records, &columns);
            if unreadable > 0 {
                warnings.push(format!(
                    "comparison `{}`: {unreadable} values could not be read as {} and count as missing",
                    spec.name,
                    if spec.kind == crate::config::Kind::Date { "dates" } else { "places" }
                ));
            }
            fields.push(field);
        }
        let block = |rules: &[crate::config::Rule]| -> Vec<Blocker> {
            rules.iter().map(|rule| Blocker::new(rule, &records)).collect()
        };
        let (blockers, prior, em) = (block(&checked.blocking), block(&checked.prior), block(&checked.em));
        for blocker in blockers.iter().chain(&prior).chain(&em).filter(|b| b.truncated > 0) {
            warnings.push(format!(
                "blocking rule `{}`: {} records have more key combinations than the {} kept; some of their pairs may not be compared",
                blocker.rule.text,
                blocker.truncated,
                crate::blocking::MAX_KEYS_PER_RECORD
            ));
        }
        Ok(Linkage { checked, records, fields, blockers, prior, em, mode, warnings })
    }

    /// How many comparisons each rule makes, and how many pairs each training rule; an error when the blocking
    /// rules together, the prior rules together, or any EM rule exceed the limit.
    pub fn plan(&self) -> Result<Plan, Error> {
        let count = |blockers: &[Blocker], label: &str| -> Vec<(String, u64)> {
            blockers.iter().map(|b| (format!("{label}{}", b.rule.text), b.count(&self.records, self.mode))).collect()
        };
        let rules = count(&self.blockers, "");
        let prior = count(&self.prior, "prior rule ");
        let em = count(&self.em, "EM rule ");
        let sum = |counts: &[(String, u64)]| counts.iter().map(|(_, c)| *c).fold(0u64, u64::saturating_add);
        let total = sum(&rules);
        let limit = self.checked.config.blocking.max_comparisons;
        let largest = sum(&prior).max(em.iter().map(|(_, c)| *c).max().unwrap_or(0));
        let plan = Plan { rules, total, training: prior.into_iter().chain(em).collect(), limit };
        if plan.total > limit || largest > limit {
            return Err(Error::TooManyComparisons { total: plan.total.max(largest), limit, detail: plan.describe() });
        }
        Ok(plan)
    }

    /// The candidate pairs of all rules, each once.
    pub fn candidates(&self) -> Vec<(u32, u32)> {
        candidates(&self.blockers, &self.records, self.mode)
    }

    /// Trains a model (without labels, refined by any given).
    pub fn train(&self, labels: &[Label]) -> Result<Model, Error> {
        crate::model::train(self, labels)
    }

    /// Scores pairs with a model (checked against the config first).
    pub fn score(&self, model: &Model, pairs: &[(u32, u32)]) -> Result<Vec<Scored>, Error> {
        model.check(&self.fields)?;
        Ok(predict::score(&self.fields, &Weights::new(model), pairs))
    }

    /// The weight of any pair, and whether its names differ outright.
    pub fn weigher<'a>(&'a self, weights: &'a Weights) -> impl FnMut(u32, u32) -> (f64, bool) + 'a {
        let mut caches: Vec<Cache> = self.fields.iter().map(|_| Cache::default()).collect();
        move |a, b| {
            let (weight, _, names_differ) = predict::weigh(&self.fields, weights, a, b, &mut caches);
            (weight, names_differ)
        }
    }
}
