//! The wage ledger of a work spell: the wage promised, what the employer paid (and to whom), every deduction
//! by kind, what reached the worker and when. Amounts keep their currency and period; a rate table the user
//! supplies converts them to US dollars. A ledger that does not add up is flagged, never silently fixed.

use std::collections::BTreeMap;

use clew_model::{Diagnostic, EntityId, Statement};
use serde::Serialize;

use crate::engine::{Fact, Spell, employer_paid_to, employer_payment, money, received, spells};

/// An amount as coded: number, currency, period (`month`, `year`, `total`...), and the statement it comes
/// from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amount {
    /// The number.
    pub amount: f64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Per what (`month`, `year`, `total`, ...), when coded.
    pub period: Option<String>,
    /// In US dollars, when a rate table was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usd: Option<f64>,
    /// The statements it rests on.
    pub evidence: Vec<Fact>,
}

/// One deduction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deduction {
    /// Its kind (`loyalty_fee`, `plan_quota`, `lodging`...).
    pub kind: String,
    /// Its amount, when coded.
    pub amount: Option<Amount>,
    /// Its share of the wage, when coded.
    pub share: Option<f64>,
    /// Who took it (an entity id), when coded.
    pub taken_by: Option<String>,
}

/// The ledger of one work spell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    /// The spell.
    pub spell: Option<EntityId>,
    /// Its period.
    pub start: Option<String>,
    /// End of the period.
    pub end: Option<String>,
    /// The wage promised at recruitment.
    pub promised: Option<Amount>,
    /// What the employer paid.
    pub employer_paid: Option<Amount>,
    /// To whom the employer paid it (an entity id; the dispatching entity, often).
    pub paid_to: Option<String>,
    /// Every deduction.
    pub deductions: Vec<Deduction>,
    /// What reached the worker.
    pub received: Option<Amount>,
    /// When it reached the worker (`monthly`, `on_return`, `never`...).
    pub received_when: Option<String>,
    /// What does not add up, in words.
    pub flags: Vec<String>,
}

/// A rate table: US dollars per unit of a currency, by period (`YYYY` or `YYYY-MM`), each with its source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    rates: BTreeMap<(String, String), (f64, String)>,
}

impl Rates {
    /// Reads a CSV rate table with the header `period,currency,usd_per_unit,source`; every problem is reported
    /// with its line. A rate without a source is refused: every figure says where it comes from.
    pub fn parse(text: &str, file: &str) -> Result<Rates, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut rates = BTreeMap::new();
        let problem = |line: usize, message: String| Diagnostic {
            file: Some(file.to_string()),
            pos: Some(clew_model::doc::Pos { line: u32::try_from(line).unwrap_or(u32::MAX), column: 1 }),
            path: String::new(),
            message,
        };
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, header)) if header.trim() == "period,currency,usd_per_unit,source" => {}
            _ => problems.push(problem(1, "the first line must be: period,currency,usd_per_unit,source".into())),
        }
        for (index, line) in lines {
            let number = index + 1;
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.splitn(4, ',').map(str::trim).collect();
            let [period, currency, rate, source] = fields.as_slice() else {
                problems.push(problem(number, "expected 4 fields: period,currency,usd_per_unit,source".into()));
                continue;
            };
            let period_ok = matches!(period.len(), 4 | 7)
                && period.chars().enumerate().all(|(i, c)| if i == 4 { c == '-' } else { c.is_ascii_digit() });
            if !period_ok {
                problems.push(problem(number, format!("period `{period}` is not YYYY or YYYY-MM")));
            }
            if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
                problems.push(problem(number, format!("currency `{currency}` is not an ISO 4217 code")));
            }
            let rate = match rate.parse::<f64>() {
                Ok(rate) if rate.is_finite() && rate > 0.0 => rate,
                _ => {
                    problems.push(problem(number, format!("usd_per_unit `{rate}` is not a positive number")));
                    continue;
                }
            };
            if source.is_empty() {
                problems.push(problem(number, "every rate needs its source".into()));
            }
            if rates.insert((currency.to_string(), period.to_string()), (rate, source.to_string())).is_some() {
                problems.push(problem(number, format!("a second rate for {currency} in {period}")));
            }
        }
        if problems.is_empty() { Ok(Rates { rates }) } else { Err(problems) }
    }

    /// US dollars per unit of a currency in a period (`YYYY-MM` or `YYYY`): the month's rate, else the
    /// year's. US dollars are 1.
    pub fn rate(&self, currency: &str, period: &str) -> Option<f64> {
        if currency == "USD" {
            return Some(1.0);
        }
        let month = period.get(..7).filter(|m| m.len() == 7);
        month
            .and_then(|m| self.rates.get(&(currency.to_string(), m.to_string())))
            .or_else(|| self.rates.get(&(currency.to_string(), period.get(..4)?.to_string())))
            .map(|(rate, _)| *rate)
    }
}

fn amount(facts: &[&Statement]) -> Option<Amount> {
    let (amount, currency, period, evidence) = money(facts)?;
    Some(Amount { amount, currency, period, usd: None, evidence: evidence.into_iter().map(Fact::of).collect() })
}

/// The ledgers of a testimony's work spells, from its active statements. With a rate table, amounts are
/// also given in US dollars at the rate of the spell's first month; a rate the table lacks is an error
/// naming every missing currency and period.
pub fn ledgers(statements: &[Statement], rates: Option<&Rates>) -> Result<Vec<Ledger>, Vec<String>> {
    let mut missing = Vec::new();
    let ledgers: Vec<Ledger> = spells(statements)
        .iter()
        .map(|spell| {
            let mut ledger = ledger(spell);
            if let Some(rates) = rates {
                convert(&mut ledger, rates, &mut missing);
            }
            ledger
        })
        .collect();
    if missing.is_empty() {
        Ok(ledgers)
    } else {
        missing.sort();
        missing.dedup();
        Err(missing)
    }
}

fn ledger(spell: &Spell<'_>) -> Ledger {
    let value = |schema: &str, property: &str| spell.value(schema, property).map(|s| s.value.clone());
    let promised = spell.value("Employment", "promisedWage").and_then(|wage| {
        let mut facts = vec![wage];
        facts.extend(spell.value("Employment", "promisedWagePeriod"));
        let (number, currency) = wage.value.split_once(' ')?;
        Some(Amount {
            amount: number.parse().ok()?,
            currency: currency.to_string(),
            period: value("Employment", "promisedWagePeriod"),
            usd: None,
            evidence: facts.into_iter().map(Fact::of).collect(),
        })
    });
    let employer = employer_payment(spell);
    let paid_to = employer_paid_to(spell);
    let employer_paid = employer.map(|(amount, currency, period, evidence)| Amount {
        amount,
        currency,
        period,
        usd: None,
        evidence: evidence.into_iter().map(Fact::of).collect(),
    });
    let deductions: Vec<Deduction> = spell
        .related
        .values()
        .filter(|(schema, _)| *schema == "Deduction")
        .map(|(_, facts)| {
            let get = |property: &str| facts.iter().find(|f| f.property == property).map(|f| f.value.clone());
            Deduction {
                kind: get("deductionKind").unwrap_or_else(|| "other".into()),
                amount: amount(facts),
                share: get("share").and_then(|s| s.parse().ok()),
                taken_by: get("beneficiary"),
            }
        })
        .collect();
    let received_facts = received(spell);
    let received_amount = received_facts.and_then(amount);
    let received_when = received_facts
        .and_then(|facts| facts.iter().find(|f| f.property == "paidWhen").map(|f| f.value.clone()))
        .or_else(|| value("Employment", "wagePaidWhen"));
    let mut ledger = Ledger {
        spell: spell.id.cloned(),
        start: value("Employment", "startDate"),
        end: value("Employment", "endDate"),
        promised,
        employer_paid,
        paid_to,
        deductions,
        received: received_amount,
        received_when,
        flags: Vec::new(),
    };
    ledger.flags = flags(&ledger);
    ledger
}

/// What does not add up. Amounts are compared only in the same currency and period.
fn flags(ledger: &Ledger) -> Vec<String> {
    let mut flags = Vec::new();
    if ledger.start.is_none() && ledger.end.is_none() {
        flags.push("no period: the ledger cannot be placed in time".into());
    }
    let all = ledger.promised.iter().chain(&ledger.employer_paid).chain(&ledger.received);
    let all: Vec<&Amount> = all.chain(ledger.deductions.iter().filter_map(|d| d.amount.as_ref())).collect();
    if all.iter().any(|a| a.period.is_none()) {
        flags.push("an amount has no period (per month, per year, in total)".into());
    }
    let comparable = |a: &Amount, b: &Amount| a.currency == b.currency && a.period == b.period;
    let shares: f64 = ledger.deductions.iter().filter_map(|d| d.share).sum();
    if shares > 1.0 + 1e-9 {
        flags.push(format!("the deductions' shares add up to {:.0}% of the wage", shares * 100.0));
    }
    if let Some(paid) = &ledger.employer_paid {
        let deducted: Vec<&Amount> = ledger.deductions.iter().filter_map(|d| d.amount.as_ref()).collect();
        if deducted.iter().any(|d| !comparable(d, paid))
            || ledger.received.as_ref().is_some_and(|r| !comparable(r, paid))
        {
            flags.push("amounts in different currencies or periods: they are not added up".into());
        }
        let total: f64 = deducted.iter().filter(|d| comparable(d, paid)).map(|d| d.amount).sum();
        if total > paid.amount * (1.0 + 1e-9) {
            flags.push(format!(
                "the deductions ({total} {}) exceed what the employer paid ({} {})",
                paid.currency, paid.amount, paid.currency
            ));
        }
        if let Some(received) = ledger.received.as_ref().filter(|r| comparable(r, paid)) {
            if received.amount > paid.amount * (1.0 + 1e-9) {
                flags.push("the worker received more than the employer paid".into());
            } else if !deducted.is_empty() && deducted.iter().all(|d| comparable(d, paid)) {
                let gap = paid.amount - total - received.amount;
                if gap > paid.amount * 0.05 {
                    flags.push(format!(
                        "{gap} {} of the employer's payment is neither deducted nor received: unaccounted",
                        paid.currency
                    ));
                } else if -gap > paid.amount * 0.05 {
                    flags.push(format!(
                        "what was deducted and what was received exceed the employer's payment by {} {}",
                        -gap, paid.currency
                    ));
                }
            }
        }
    }
    flags
}

fn convert(ledger: &mut Ledger, rates: &Rates, missing: &mut Vec<String>) {
    let Some(period) = ledger.start.clone().or_else(|| ledger.end.clone()) else { return };
    let mut amounts: Vec<&mut Amount> = Vec::new();
    amounts.extend(ledger.promised.as_mut());
    amounts.extend(ledger.employer_paid.as_mut());
    amounts.extend(ledger.received.as_mut());
    amounts.extend(ledger.deductions.iter_mut().filter_map(|d| d.amount.as_mut()));
    for amount in amounts {
        match rates.rate(&amount.currency, &period) {
            Some(rate) => amount.usd = Some(amount.amount * rate),
            None => missing.push(format!("no rate for {} in {period}", amount.currency)),
        }
    }
}
