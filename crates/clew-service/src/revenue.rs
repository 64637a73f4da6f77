//! The rate table in force, and what the wage ledgers give the revenue estimate.

use std::path::{Path, PathBuf};

use clew_assess::ledger::{Amount, MissingRates, Rates, ledgers_and_missing_rates};

use crate::{Error, Result, Service};

/// A project's own rate table, in its folder: used before the shipped one (the demo writes its synthetic one).
pub const PROJECT_RATES_FILE: &str = "rates.csv";

/// Which rate table is in force.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "table", rename_all = "snake_case")]
pub enum RateTable {
    /// The table clew ships alone.
    Shipped,
    /// A table given or kept in the project, with the shipped one for the months it lacks.
    Own {
        /// Its file.
        file: PathBuf,
    },
    /// A synthetic project's own table, alone: fictional wages are never converted at real rates.
    SyntheticOwn {
        /// Its file.
        file: PathBuf,
    },
}

/// The rates in force and where they come from.
#[derive(Debug, Clone)]
pub struct RatesInForce {
    /// The rates.
    pub rates: Rates,
    /// Where they come from.
    pub table: RateTable,
}

/// What the wage ledgers give the revenue estimate, per worker-month in US dollars.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerInputs {
    /// The deductions the rules count as the state's (`Rules::state_deduction_kinds`), summed per spell.
    pub quota: Vec<f64>,
    /// What the employer paid.
    pub employer_paid: Vec<f64>,
    /// The share of the employer's payment that never reached the worker (same currency and period).
    pub state_share: Vec<f64>,
    /// Work spells read.
    pub spells: u64,
    /// Of them, spells of synthetic testimonies.
    pub synthetic_spells: u64,
    /// Whether the project is a synthetic demo's.
    pub synthetic_project: bool,
    /// Amounts left out because they were neither in US dollars nor converted (a period other than month or
    /// year).
    pub unconverted: u64,
}

/// An amount in US dollars: converted, or given in them.
fn usd(amount: &Amount) -> Option<f64> {
    amount.usd.or((amount.currency == "USD").then_some(amount.amount))
}

/// What a month of this amount is: `month` as is, `year` a twelfth; other periods are not used.
fn per_month(amount: &Amount, value: f64) -> Option<f64> {
    match amount.period.as_deref() {
        Some("month") => Some(value),
        Some("year") => Some(value / 12.0),
        _ => None,
    }
}

/// What the state took from one spell's ledger per worker-month, in US dollars: the sum of its deductions of
/// `state_kinds` (`Rules::state_deduction_kinds`) that have a US-dollar value and a period of a month or a year;
/// `None` when none has. With it, how many of those deductions had no US-dollar value.
pub(crate) fn state_take_per_month(
    ledger: &clew_assess::ledger::Ledger,
    state_kinds: &std::collections::BTreeSet<String>,
) -> (Option<f64>, u64) {
    let mut unconverted = 0;
    let taken: Vec<f64> = ledger
        .deductions
        .iter()
        .filter(|d| state_kinds.contains(&d.kind))
        .filter_map(|d| {
            let a = d.amount.as_ref()?;
            let value = usd(a);
            unconverted += u64::from(value.is_none());
            per_month(a, value?)
        })
        .collect();
    ((!taken.is_empty()).then(|| taken.iter().sum()), unconverted)
}

impl Service {
    /// The rate table in force: `explicit` (`--rates FILE`), else the project's own `rates.csv`, each backed by
    /// the table clew ships for the months it lacks (unless the project is synthetic); else the shipped table.
    pub fn rates(&self, explicit: Option<&Path>) -> Result<RatesInForce> {
        let shipped = Rates::shipped().map_err(|d| Error::invalid(d.to_vec()))?;
        let own = explicit
            .map(Path::to_path_buf)
            .or_else(|| Some(self.dir().join(PROJECT_RATES_FILE)).filter(|path| path.is_file()));
        let Some(file) = own else {
            return Ok(RatesInForce { rates: shipped.clone(), table: RateTable::Shipped });
        };
        let text = clew_files::read_text(&file, clew_files::limits::SMALL_TEXT)?;
        let rates = Rates::parse(&text, &file.display().to_string()).map_err(Error::invalid)?;
        if self.synthetic() {
            return Ok(RatesInForce { rates, table: RateTable::SyntheticOwn { file } });
        }
        Ok(RatesInForce { rates: rates.with_fallback(shipped), table: RateTable::Own { file } })
    }

    /// The revenue estimate's inputs from every testimony's wage ledgers, converted with `rates`. The quota is
    /// the sum of the deductions `rules` count as the state's. Refused when the ledgers need rates no table has:
    /// the months a table lacks are no random part of the ledgers (the shipped table has no rouble after
    /// February 2022), and leaving them out would skew the estimate towards the others.
    pub fn ledger_inputs(&self, rates: &Rates, rules: &clew_assess::Rules) -> Result<LedgerInputs> {
        let state_kinds = rules.state_deduction_kinds();
        let mut inputs = LedgerInputs { synthetic_project: self.synthetic(), ..LedgerInputs::default() };
        let mut missing = MissingRates::default();
        self.project.read()?.for_each_testimony(&clew_assess::engine::SPELL_SCHEMATA, &mut |_, statements| {
            let (found, lacking) = ledgers_and_missing_rates(&statements, Some(rates));
            missing.merge(lacking);
            let synthetic = statements.iter().any(|s| s.property == "synthetic" && s.value == "true");
            for ledger in found {
                inputs.spells += 1;
                inputs.synthetic_spells += u64::from(synthetic);
                let mut unconverted = 0;
                let mut usd = |a: &Amount| {
                    let value = usd(a);
                    unconverted += u64::from(value.is_none());
                    value
                };
                if let Some(paid) = &ledger.employer_paid {
                    if let Some(value) = usd(paid).and_then(|v| per_month(paid, v)) {
                        inputs.employer_paid.push(value);
                    }
                    if let Some(received) =
                        ledger.received.as_ref().filter(|r| r.currency == paid.currency && r.period == paid.period)
                        && paid.amount > 0.0
                    {
                        inputs.state_share.push((1.0 - received.amount / paid.amount).clamp(0.0, 1.0));
                    }
                }
                inputs.unconverted += unconverted;
                let (taken, unconverted) = state_take_per_month(&ledger, &state_kinds);
                inputs.unconverted += unconverted;
                inputs.quota.extend(taken);
            }
            Ok(())
        })?;
        if !missing.is_empty() {
            return Err(Error::usage(format!(
                "the rate table lacks rates the project's ledgers need, and leaving those amounts out would skew the \
                 estimate:\n{missing}\nGive --rates FILE with them (data/rates/README.md says how to build the \
                 rouble's from the Bank of Russia's published rates), or give --quota, --employer-paid and \
                 --state-share"
            )));
        }
        Ok(inputs)
    }
}
