//! The assessment of one testimony: its work spells (each `Employment` and the entities linked to it), the
//! rules applied to each spell's facts, findings that cite the statements they rest on, and the
//! classification of each spell by the ICLS 2018 definition and by the ILO 2012 strong/medium scheme,
//! side by side, with the reasons.

use std::collections::{BTreeMap, BTreeSet};

use clew_model::{EntityId, Name, SourceId, Statement, StatementId};
use serde::Serialize;

use crate::rules::{Condition, Measure, Rules, Test};
use crate::taxonomy::{Family, Taxonomy};

/// One statement as evidence: what it says and where in the testimony it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The statement.
    pub statement: StatementId,
    /// The entity it is about.
    pub entity: EntityId,
    /// The entity's schema.
    pub schema: Name,
    /// The property.
    pub property: Name,
    /// The value.
    pub value: String,
    /// Where in the testimony (`segment:s3`).
    pub locator: String,
}

impl Fact {
    pub(crate) fn of(statement: &Statement) -> Fact {
        Fact {
            statement: statement.id.clone(),
            entity: statement.entity_id.clone(),
            schema: statement.schema.clone(),
            property: statement.property.clone(),
            value: statement.value.clone(),
            locator: statement.locator.clone(),
        }
    }
}

/// A work spell and what is coded about it, borrowed from the testimony's statements.
#[derive(Debug, Clone, Default)]
pub struct Spell<'a> {
    /// The Employment entity.
    pub id: Option<&'a EntityId>,
    /// Its own statements.
    pub own: Vec<&'a Statement>,
    /// The entities linked to it (dispatch, permit, payments, deductions, housing, supervision), with their
    /// schema and statements.
    pub related: BTreeMap<&'a EntityId, (&'a str, Vec<&'a Statement>)>,
}

impl<'a> Spell<'a> {
    pub(crate) fn facts_of<'s>(&'s self, schema: &'s str) -> Box<dyn Iterator<Item = &'a Statement> + 's> {
        if schema == "Employment" {
            Box::new(self.own.iter().copied())
        } else {
            Box::new(
                self.related.values().filter(move |(s, _)| *s == schema).flat_map(|(_, facts)| facts.iter().copied()),
            )
        }
    }

    pub(crate) fn value(&self, schema: &str, property: &str) -> Option<&'a Statement> {
        self.facts_of(schema).find(|f| f.property == property)
    }
}

/// The schemata of a work spell and the entities that can be linked to it: the statements an assessment
/// reads.
pub const SPELL_SCHEMATA: [&str; 7] =
    ["Employment", "Payment", "Deduction", "Housing", "Supervision", "Permit", "Dispatch"];

/// The work spells of a testimony from its active statements: every Employment, and the entities linked to
/// it by id (`SPELL.housing`) or by an `employment` property.
pub fn spells(statements: &[Statement]) -> Vec<Spell<'_>> {
    let mut spells: BTreeMap<&EntityId, Spell<'_>> = BTreeMap::new();
    for statement in statements.iter().filter(|s| s.schema == "Employment" && s.property != "synthetic") {
        let spell = spells.entry(&statement.entity_id).or_default();
        spell.id = Some(&statement.entity_id);
        spell.own.push(statement);
    }
    let ids: Vec<&EntityId> = spells.keys().copied().collect();
    let mut linked: BTreeMap<&EntityId, &EntityId> = BTreeMap::new();
    for statement in statements.iter().filter(|s| s.property == "employment") {
        if let Some(spell) = ids.iter().find(|id| id.as_str() == statement.value) {
            linked.insert(&statement.entity_id, spell);
        }
    }
    for statement in statements.iter().filter(|s| s.schema != "Employment" && s.property != "synthetic") {
        let owner = linked.get(&statement.entity_id).copied().or_else(|| {
            ids.iter()
                .find(|id| {
                    statement.entity_id.as_str().strip_prefix(id.as_str()).is_some_and(|rest| rest.starts_with('.'))
                })
                .copied()
        });
        if let Some(owner) = owner
            && let Some(spell) = spells.get_mut(owner)
        {
            spell
                .related
                .entry(&statement.entity_id)
                .or_insert_with(|| (statement.schema.as_str(), Vec::new()))
                .1
                .push(statement);
        }
    }
    spells.into_values().collect()
}

/// A finding: taxonomy codes a rule (or a coder) established for a spell, with the facts it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The codes.
    pub codes: Vec<String>,
    /// The rule.
    pub rule: String,
    /// The rule in words.
    pub summary: String,
    /// The facts it rests on; never empty.
    pub evidence: Vec<Fact>,
}

/// A classification outcome (the taxonomy's `outcome_codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Outcome {
    /// Insufficient information.
    #[serde(rename = "UNDETERMINED")]
    Undetermined,
    /// Neither dimension recorded.
    #[serde(rename = "NONE")]
    None,
    /// ILO 2012 only: both sides recorded, but no strong indicator, so not forced labour by that scheme.
    #[serde(rename = "NO_STRONG")]
    NoStrong,
    /// Involuntariness without recorded coercion.
    #[serde(rename = "INV_ONLY")]
    InvOnly,
    /// Coercion without recorded involuntariness.
    #[serde(rename = "COE_ONLY")]
    CoeOnly,
    /// Forced labour: both dimensions in the same work spell.
    #[serde(rename = "FL")]
    ForcedLabour,
}

impl Outcome {
    /// The outcome code.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Undetermined => "UNDETERMINED",
            Outcome::None => "NONE",
            Outcome::NoStrong => "NO_STRONG",
            Outcome::InvOnly => "INV_ONLY",
            Outcome::CoeOnly => "COE_ONLY",
            Outcome::ForcedLabour => "FL",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Undetermined => "undetermined (too little coded)",
            Outcome::None => "neither dimension recorded",
            Outcome::NoStrong => "both sides recorded, but no strong indicator (ILO 2012)",
            Outcome::InvOnly => "involuntariness without recorded coercion",
            Outcome::CoeOnly => "coercion without recorded involuntariness",
            Outcome::ForcedLabour => "forced labour",
        }
    }
}

/// One spell's assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpellAssessment {
    /// The spell.
    pub spell: Option<EntityId>,
    /// Its reference period, as coded.
    pub start: Option<String>,
    /// End of the period.
    pub end: Option<String>,
    /// ICLS 2018: forced labour if at least one circumstance of involuntariness and one element of coercion
    /// are recorded for the same spell within its period.
    pub icls: Outcome,
    /// Why, in words.
    pub icls_reason: String,
    /// The ILO 2012 scheme: at least one indicator of involuntariness and one of penalty, at least one of
    /// them strong.
    pub ilo_2012: Outcome,
    /// Why, in words.
    pub ilo_2012_reason: String,
    /// Circumstances of involuntariness found.
    pub involuntariness: BTreeSet<String>,
    /// Elements of coercion found.
    pub coercion: BTreeSet<String>,
    /// ILO indicators found.
    pub indicators: BTreeSet<String>,
    /// Every finding, with its evidence.
    pub findings: Vec<Finding>,
    /// Facts coded twice with different values (from two segments, say): both are kept and used, and
    /// flagged here for the coder to look at.
    pub contradictions: Vec<Contradiction>,
}

/// One property of a spell (or of an entity linked to it) with more than one value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contradiction {
    /// The entity.
    pub entity: EntityId,
    /// The property.
    pub property: String,
    /// Each value, with where it comes from.
    pub values: Vec<(String, String)>,
}

/// Properties that take several values by nature (a spell has several findings coded by hand).
const MANY_VALUED: [&str; 1] = ["codedFinding"];

fn contradictions(spell: &Spell<'_>) -> Vec<Contradiction> {
    let mut by_property: BTreeMap<(&EntityId, &str), Vec<&Statement>> = BTreeMap::new();
    let related = spell.related.values().flat_map(|(_, facts)| facts.iter().copied());
    for statement in spell.own.iter().copied().chain(related) {
        if !MANY_VALUED.contains(&statement.property.as_str()) {
            by_property.entry((&statement.entity_id, statement.property.as_str())).or_default().push(statement);
        }
    }
    by_property
        .into_iter()
        .filter(|(_, statements)| statements.iter().any(|s| s.value != statements[0].value))
        .map(|((entity, property), statements)| Contradiction {
            entity: entity.clone(),
            property: property.to_string(),
            values: statements.iter().map(|s| (s.value.clone(), s.locator.clone())).collect(),
        })
        .collect()
}

/// A testimony's assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The testimony.
    pub testimony: SourceId,
    /// The most serious outcome of its spells (FL, then COE_ONLY, INV_ONLY, NONE, UNDETERMINED).
    pub outcome: Outcome,
    /// Its spells.
    pub spells: Vec<SpellAssessment>,
    /// The rules applied.
    pub rules_version: String,
    /// The taxonomy they use.
    pub taxonomy_version: String,
}

/// The properties that say nothing about conditions: with only these coded, a spell is undetermined.
const FRAME: [&str; 8] = ["employer", "employee", "worksite", "startDate", "endDate", "sector", "role", "summary"];

/// The version of the assessment engine: recorded assessments derived by another version are re-derived.
pub const ENGINE_VERSION: &str = concat!("clew-assess ", env!("CARGO_PKG_VERSION"), " engine 2");

/// Assesses a testimony from its active statements (retracted ones and retractions left out by the caller).
pub fn assess(testimony: &SourceId, statements: &[Statement], rules: &Rules, taxonomy: &Taxonomy) -> Assessment {
    let spells: Vec<SpellAssessment> =
        spells(statements).iter().map(|spell| assess_spell(spell, rules, taxonomy)).collect();
    let outcome = spells.iter().map(|s| s.icls).max().unwrap_or(Outcome::Undetermined);
    Assessment {
        testimony: testimony.clone(),
        outcome,
        spells,
        rules_version: rules.version.clone(),
        taxonomy_version: taxonomy.version.clone(),
    }
}

fn assess_spell(spell: &Spell<'_>, rules: &Rules, taxonomy: &Taxonomy) -> SpellAssessment {
    // Findings the coder recorded by hand come first, so that rules can build on them.
    let mut findings: Vec<Finding> = spell
        .own
        .iter()
        .filter(|s| s.property == "codedFinding" && taxonomy.code(&s.value).is_some())
        .map(|s| Finding {
            codes: vec![s.value.clone()],
            rule: "coded-by-hand".into(),
            summary: "recorded by the coder, citing the witness's words".into(),
            evidence: vec![Fact::of(s)],
        })
        .collect();
    for rule in &rules.rules {
        if let Some(evidence) = holds(&rule.when, spell, &findings) {
            let mut evidence: Vec<Fact> = evidence.into_iter().map(Fact::from_evidence).collect();
            evidence.sort_by(|a, b| a.statement.cmp(&b.statement));
            evidence.dedup_by(|a, b| a.statement == b.statement);
            evidence.sort_by(|a, b| (&a.locator, &a.entity, &a.property).cmp(&(&b.locator, &b.entity, &b.property)));
            // A finding without evidence is refused.
            if !evidence.is_empty() {
                findings.push(Finding {
                    codes: rule.codes.clone(),
                    rule: rule.id.clone(),
                    summary: rule.summary.clone(),
                    evidence,
                });
            }
        }
    }
    let mut involuntariness = BTreeSet::new();
    let mut coercion = BTreeSet::new();
    let mut indicators = BTreeSet::new();
    for code in findings.iter().flat_map(|f| &f.codes) {
        match taxonomy.code(code).map(|c| c.family) {
            Some(Family::Involuntariness) => involuntariness.insert(code.clone()),
            Some(Family::Coercion) => coercion.insert(code.clone()),
            Some(Family::Indicator) => indicators.insert(code.clone()),
            None => false,
        };
    }
    let start = spell.value("Employment", "startDate").map(|f| f.value.clone());
    let end = spell.value("Employment", "endDate").map(|f| f.value.clone());
    let substantive = spell.own.iter().any(|f| !FRAME.contains(&f.property.as_str())) || !spell.related.is_empty();
    let (icls, icls_reason) = if start.is_none() && end.is_none() {
        (Outcome::Undetermined, "no reference period: the spell has no dates".to_string())
    } else if !substantive {
        (Outcome::Undetermined, "nothing is coded about the conditions of this spell".to_string())
    } else {
        let list = |codes: &BTreeSet<String>| codes.iter().cloned().collect::<Vec<_>>().join(", ");
        match (involuntariness.is_empty(), coercion.is_empty()) {
            (false, false) => (
                Outcome::ForcedLabour,
                format!(
                    "involuntariness ({}) and coercion ({}) in the same spell",
                    list(&involuntariness),
                    list(&coercion)
                ),
            ),
            (false, true) => {
                (Outcome::InvOnly, format!("involuntariness ({}), no coercion recorded", list(&involuntariness)))
            }
            (true, false) => (Outcome::CoeOnly, format!("coercion ({}), no involuntariness recorded", list(&coercion))),
            (true, true) => {
                (Outcome::None, "no circumstance of involuntariness or element of coercion recorded".into())
            }
        }
    };
    let (ilo_2012, ilo_2012_reason) = if icls == Outcome::Undetermined {
        (Outcome::Undetermined, icls_reason.clone())
    } else {
        ilo_2012_outcome(&involuntariness, &coercion, rules)
    };
    SpellAssessment {
        spell: spell.id.cloned(),
        start,
        end,
        icls,
        icls_reason,
        ilo_2012,
        ilo_2012_reason,
        involuntariness,
        coercion,
        indicators,
        findings,
        contradictions: contradictions(spell),
    }
}

fn ilo_2012_outcome(
    involuntariness: &BTreeSet<String>,
    coercion: &BTreeSet<String>,
    rules: &Rules,
) -> (Outcome, String) {
    let scheme = &rules.ilo_2012;
    let pick = |codes: &BTreeSet<String>, set: &BTreeSet<String>| codes.intersection(set).cloned().collect::<Vec<_>>();
    let inv_strong = pick(involuntariness, &scheme.involuntariness_strong);
    let inv_medium = pick(involuntariness, &scheme.involuntariness_medium);
    let pen_strong = pick(coercion, &scheme.penalty_strong);
    let pen_medium = pick(coercion, &scheme.penalty_medium);
    let inv_any = !inv_strong.is_empty() || !inv_medium.is_empty();
    let pen_any = !pen_strong.is_empty() || !pen_medium.is_empty();
    let describe = |strong: &[String], medium: &[String]| {
        let mut parts = Vec::new();
        if !strong.is_empty() {
            parts.push(format!("strong {}", strong.join(", ")));
        }
        if !medium.is_empty() {
            parts.push(format!("medium {}", medium.join(", ")));
        }
        if parts.is_empty() { "none".to_string() } else { parts.join("; ") }
    };
    let detail = format!(
        "involuntariness: {}; penalty: {}",
        describe(&inv_strong, &inv_medium),
        describe(&pen_strong, &pen_medium)
    );
    let outcome = if inv_any && pen_any && (!inv_strong.is_empty() || !pen_strong.is_empty()) {
        Outcome::ForcedLabour
    } else if inv_any && pen_any {
        return (Outcome::NoStrong, format!("{detail}: both sides, but no strong indicator"));
    } else if inv_any {
        Outcome::InvOnly
    } else if pen_any {
        Outcome::CoeOnly
    } else {
        Outcome::None
    };
    (outcome, detail)
}

/// Whether a condition holds for a spell, and the statements that show it.
fn holds<'a>(condition: &Condition, spell: &Spell<'a>, found: &'a [Finding]) -> Option<Vec<Evidence<'a>>> {
    match condition {
        Condition::All(parts) => {
            let mut evidence = Vec::new();
            for part in parts {
                evidence.extend(holds(part, spell, found)?);
            }
            Some(evidence)
        }
        Condition::Any(parts) => {
            let held: Vec<Vec<Evidence<'a>>> = parts.iter().filter_map(|p| holds(p, spell, found)).collect();
            (!held.is_empty()).then(|| held.into_iter().flatten().collect())
        }
        Condition::Not(inner) => holds(inner, spell, found).is_none().then(Vec::new),
        Condition::Property { schema, property, test } => {
            let passing: Vec<Evidence<'a>> = spell
                .facts_of(schema)
                .filter(|f| &f.property == property && passes(test, &f.value))
                .map(Evidence::Statement)
                .collect();
            (!passing.is_empty()).then_some(passing)
        }
        Condition::Related { schema, tests } => {
            let mut evidence = Vec::new();
            for (related_schema, facts) in spell.related.values() {
                if related_schema != schema {
                    continue;
                }
                let matched: Option<Vec<&Statement>> = tests
                    .iter()
                    .map(|(property, test)| {
                        facts.iter().copied().find(|f| &f.property == property && passes(test, &f.value))
                    })
                    .collect();
                match matched {
                    Some(matched) if !matched.is_empty() => {
                        evidence.extend(matched.into_iter().map(Evidence::Statement))
                    }
                    // No tests: the linked entity itself is the evidence.
                    Some(_) => evidence.extend(facts.iter().copied().map(Evidence::Statement)),
                    None => {}
                }
            }
            (!evidence.is_empty()).then_some(evidence)
        }
        Condition::Measure { measure, test } => {
            let (value, evidence) = measure_value(measure, spell)?;
            passes(test, &value.to_string()).then(|| evidence.into_iter().map(Evidence::Statement).collect())
        }
        Condition::Finding(code) => {
            let evidence: Vec<Evidence<'a>> = found
                .iter()
                .filter(|f| f.codes.contains(code))
                .flat_map(|f| f.evidence.iter().map(Evidence::Fact))
                .collect();
            (!evidence.is_empty()).then_some(evidence)
        }
    }
}

/// A piece of evidence while rules are applied: a statement of the testimony, or a fact an earlier finding
/// cited.
#[derive(Debug, Clone, Copy)]
enum Evidence<'a> {
    Statement(&'a Statement),
    Fact(&'a Fact),
}

impl Fact {
    fn from_evidence(evidence: Evidence<'_>) -> Fact {
        match evidence {
            Evidence::Statement(statement) => Fact::of(statement),
            Evidence::Fact(fact) => fact.clone(),
        }
    }
}

fn passes(test: &Test, value: &str) -> bool {
    match test {
        Test::Equals(expected) => value == expected,
        Test::In(expected) => expected.iter().any(|e| e == value),
        Test::AtLeast(bound) => value.parse::<f64>().is_ok_and(|v| v >= *bound),
        Test::AtMost(bound) => value.parse::<f64>().is_ok_and(|v| v <= *bound),
        Test::Present => true,
    }
}

/// An amount with its currency, and its period, from money and period statements.
pub(crate) fn money<'a>(facts: &[&'a Statement]) -> Option<(f64, String, Option<String>, Vec<&'a Statement>)> {
    let amount = facts.iter().copied().find(|f| f.property == "amount")?;
    let (number, currency) = amount.value.split_once(' ')?;
    let period = facts.iter().copied().find(|f| f.property == "period");
    let mut evidence = vec![amount];
    evidence.extend(period);
    Some((number.parse().ok()?, currency.to_string(), period.map(|p| p.value.clone()), evidence))
}

/// The role of a payment linked to a spell: what the employer paid, or what reached the worker. The
/// testimony format names them `SPELL.paid` and `SPELL.received`; payments linked otherwise (through an
/// `employment` property) are told apart by who pays and who receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PaymentRole {
    EmployerPaid,
    Received,
}

fn payment_role(entity: &EntityId, facts: &[&Statement]) -> Option<PaymentRole> {
    if entity.as_str().ends_with(".paid") {
        return Some(PaymentRole::EmployerPaid);
    }
    if entity.as_str().ends_with(".received") {
        return Some(PaymentRole::Received);
    }
    let to_witness = facts.iter().any(|f| f.property == "beneficiary" && f.value.starts_with("witness:"));
    let has_payer = facts.iter().any(|f| f.property == "payer");
    match (to_witness, has_payer) {
        (true, _) => Some(PaymentRole::Received),
        (false, true) => Some(PaymentRole::EmployerPaid),
        _ => None,
    }
}

fn payment<'s, 'a>(spell: &'s Spell<'a>, role: PaymentRole) -> Option<(&'a EntityId, &'s [&'a Statement])> {
    spell
        .related
        .iter()
        .filter(|(_, (schema, _))| *schema == "Payment")
        .find(|(entity, (_, facts))| payment_role(entity, facts) == Some(role))
        .map(|(entity, (_, facts))| (*entity, facts.as_slice()))
}

/// The employer's payment for the spell.
pub(crate) fn employer_payment<'a>(spell: &Spell<'a>) -> Option<(f64, String, Option<String>, Vec<&'a Statement>)> {
    payment(spell, PaymentRole::EmployerPaid).and_then(|(_, facts)| money(facts))
}

/// The entity the employer paid, when coded.
pub(crate) fn employer_paid_to(spell: &Spell<'_>) -> Option<String> {
    let (_, facts) = payment(spell, PaymentRole::EmployerPaid)?;
    facts.iter().find(|f| f.property == "beneficiary").map(|f| f.value.clone())
}

/// What reached the worker.
pub(crate) fn received<'s, 'a>(spell: &'s Spell<'a>) -> Option<&'s [&'a Statement]> {
    payment(spell, PaymentRole::Received).map(|(_, facts)| facts)
}

fn measure_value<'a>(measure: &Measure, spell: &Spell<'a>) -> Option<(f64, Vec<&'a Statement>)> {
    let gross = employer_payment(spell);
    let share_of_gross = |facts: &[&'a Statement]| -> Option<(f64, Vec<&'a Statement>)> {
        let (amount, currency, period, mut evidence) = money(facts)?;
        let (gross_amount, gross_currency, gross_period, gross_evidence) = gross.clone()?;
        if currency != gross_currency || period != gross_period || gross_amount <= 0.0 {
            return None;
        }
        evidence.extend(gross_evidence);
        Some((amount / gross_amount, evidence))
    };
    match measure {
        Measure::DeductedShare(kinds) => {
            let mut total = 0.0;
            let mut evidence = Vec::new();
            for (schema, facts) in spell.related.values() {
                let Some(kind) = facts.iter().copied().find(|f| f.property == "deductionKind") else { continue };
                if *schema != "Deduction" || !kinds.contains(&kind.value) {
                    continue;
                }
                let share = facts.iter().copied().find(|f| f.property == "share");
                // A deduction whose share cannot be known (no share coded, no amount comparable with the
                // employer's payment) is left out of the sum, not allowed to sink the others.
                let Some((value, used)) = share
                    .and_then(|s| s.value.parse::<f64>().ok().map(|v| (v, vec![s])))
                    .or_else(|| share_of_gross(facts))
                else {
                    continue;
                };
                total += value;
                evidence.push(kind);
                evidence.extend(used);
            }
            (!evidence.is_empty()).then_some((total, evidence))
        }
        Measure::ReceivedShare => received(spell).and_then(share_of_gross),
        Measure::ReceivedOfPromised => {
            let (amount, currency, period, mut evidence) = money(received(spell)?)?;
            let promised = spell.value("Employment", "promisedWage")?;
            let (promised_amount, promised_currency) = promised.value.split_once(' ')?;
            let promised_period = spell.value("Employment", "promisedWagePeriod");
            let promised_amount: f64 = promised_amount.parse().ok()?;
            if promised_currency != currency
                || promised_period.map(|p| p.value.clone()) != period
                || promised_amount <= 0.0
            {
                return None;
            }
            evidence.push(promised);
            evidence.extend(promised_period);
            Some((amount / promised_amount, evidence))
        }
    }
}
