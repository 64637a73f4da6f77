//! What aggregates are made of: for each work spell, the groups it falls in (sector, region, year, the
//! declared purpose of its permit) and its measures (share of the employer's payment the worker never got,
//! hours a week, rest days a month, the ILO indicators found).

use std::collections::BTreeSet;

use clew_model::Statement;
use serde::Serialize;

use crate::engine::{SPELL_SCHEMATA, assess};
use crate::ledger::ledgers;
use crate::{Rules, Taxonomy};

/// The schemata aggregates read: those of work spells, and worksites (for their region).
pub const MEASURE_SCHEMATA: [&str; 8] = [
    SPELL_SCHEMATA[0],
    SPELL_SCHEMATA[1],
    SPELL_SCHEMATA[2],
    SPELL_SCHEMATA[3],
    SPELL_SCHEMATA[4],
    SPELL_SCHEMATA[5],
    SPELL_SCHEMATA[6],
    "Worksite",
];

/// One work spell's groups and measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpellMeasures {
    /// The witness (pseudonymous id): the spells of one witness are one cluster for intervals.
    pub witness: Option<String>,
    /// Sector, when coded.
    pub sector: Option<String>,
    /// Region of the worksite, when coded.
    pub region: Option<String>,
    /// Year the spell began.
    pub year: Option<String>,
    /// Declared purpose of the permit (`study`, `work`...): the visa channel.
    pub visa: Option<String>,
    /// Share of the employer's payment that never reached the worker (same currency and period only).
    pub state_share: Option<f64>,
    /// Hours a week: hours a day over the days worked (a month's days less its rest days).
    pub hours_per_week: Option<f64>,
    /// Rest days a month.
    pub rest_days: Option<f64>,
    /// ILO indicators found.
    pub indicators: BTreeSet<String>,
    /// Whether the spell is forced labour by ICLS 2018; `None` when that could not be determined.
    pub forced_labour: Option<bool>,
    /// Its ICLS 2018 outcome, of which `forced_labour` is the yes or no.
    pub icls: crate::Outcome,
}

/// Days in an average month.
const MONTH_DAYS: f64 = 30.44;

/// The measures of a testimony's spells.
pub fn spell_measures(statements: &[Statement], rules: &Rules, taxonomy: &Taxonomy) -> Vec<SpellMeasures> {
    let testimony = statements.first().map(|s| s.source_id.clone());
    let Some(testimony) = testimony else { return Vec::new() };
    let assessment = assess(&testimony, statements, rules, taxonomy);
    let found = ledgers(statements, None).unwrap_or_default();
    let value = |entity: &str, property: &str| {
        statements.iter().find(|s| s.entity_id.as_str() == entity && s.property == property).map(|s| s.value.clone())
    };
    assessment
        .spells
        .iter()
        .zip(found)
        .map(|(spell, ledger)| {
            let id = spell.spell.as_ref().map(|s| s.as_str().to_string()).unwrap_or_default();
            let number = |property: &str| value(&id, property).and_then(|v| v.parse::<f64>().ok());
            let hours = number("hoursPerDay");
            let rest = number("restDaysPerMonth");
            let state_share = ledger.employer_paid.as_ref().and_then(|paid| {
                let received = ledger.received.as_ref()?;
                (received.currency == paid.currency && received.period == paid.period && paid.amount > 0.0)
                    .then(|| (1.0 - received.amount / paid.amount).clamp(0.0, 1.0))
            });
            let worksite = value(&id, "worksite");
            let visa = statements
                .iter()
                .find(|s| {
                    s.schema == "Permit"
                        && s.property == "purpose"
                        && s.entity_id.as_str().starts_with(&format!("{id}."))
                })
                .map(|s| s.value.clone());
            SpellMeasures {
                witness: value(&id, "employee"),
                sector: value(&id, "sector"),
                region: worksite.and_then(|w| value(&w, "region")),
                year: spell.start.as_ref().and_then(|s| s.get(..4)).map(String::from),
                visa,
                state_share,
                hours_per_week: hours.map(|h| h * (MONTH_DAYS - rest.unwrap_or(0.0)).max(0.0) / MONTH_DAYS * 7.0),
                rest_days: rest,
                indicators: spell.indicators.clone(),
                forced_labour: (spell.icls != crate::Outcome::Undetermined)
                    .then_some(spell.icls == crate::Outcome::ForcedLabour),
                icls: spell.icls,
            }
        })
        .collect()
}
