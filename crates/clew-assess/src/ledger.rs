//! The wage ledger of a work spell: the wage promised, what the employer paid (and to whom), every deduction
//! by kind, what reached the worker and when. Amounts keep their currency and period; a rate table (the
//! user's, or the one clew ships, [`Rates::shipped`]) converts them to US dollars month by month, and the rates
//! it lacks are summarised ([`MissingRates`]). A ledger that does not add up is flagged, never silently fixed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

use clew_model::{Diagnostic, EntityId, PartialDate, Statement};
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
    /// In US dollars, when a rate table was given with a rate for every month of the spell ([`ledgers`] says
    /// how amounts are converted).
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
    /// Where the rates that converted its amounts to US dollars come from, each once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rate_sources: Vec<String>,
}

impl Ledger {
    /// How many months the spell runs, as [`ledgers`] counts them to convert its amounts: from its start to its
    /// end, both included (0 when neither is coded).
    pub fn months(&self) -> usize {
        spell_months(self.start.as_deref(), self.end.as_deref()).len()
    }
}

/// Where the shipped rate table lives in the repository (for messages).
pub const SHIPPED_RATES_FILE: &str = "data/rates/usd-monthly.csv";

/// The shipped rate table: US dollars per RUB, CNY, KRW and EUR for each month from 2010-01 to 2025-12 (RUB to
/// 2022-02: the European Central Bank's last rouble rate is of 1 March 2022, and a month is given only when
/// every day of it has a rate), the monthly means of the
/// ECB's daily euro reference rates. `data/rates/README.md` says where it comes from and how
/// `data/rates/build.py` rebuilds it. The repository's copy is the only one: clew is not published as crates
/// (`publish = false`), so the crate includes it from the workspace, as it does the rules and the taxonomy.
pub const SHIPPED_RATES_CSV: &str = include_str!("../../../data/rates/usd-monthly.csv");

/// A rate table: US dollars per unit of a currency, by period (`YYYY` or `YYYY-MM`), each with its source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    by_currency: BTreeMap<String, CurrencyRates>,
}

/// One currency's rates: by month (`year * 12 + month - 1`) and by year, each with its source.
#[derive(Debug, Clone, Default, PartialEq)]
struct CurrencyRates {
    months: BTreeMap<u32, (f64, String)>,
    years: BTreeMap<u32, (f64, String)>,
}

/// A period of a rate table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Year(u32),
    Month(u32),
}

impl Period {
    /// `YYYY` or `YYYY-MM`, with a month from 01 to 12.
    fn parse(text: &str) -> Option<Period> {
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse::<u32>().ok())?;
        match (text.get(..4), text.get(4..5), text.get(5..)) {
            (Some(year), None, _) => Some(Period::Year(digits(year)?)),
            (Some(year), Some("-"), Some(month)) if month.len() == 2 => {
                let month = digits(month).filter(|m| (1..=12).contains(m))?;
                Some(Period::Month(digits(year)? * 12 + month - 1))
            }
            _ => None,
        }
    }
}

/// A month as `YYYY-MM`.
fn month_text(month: u32) -> String {
    format!("{:04}-{:02}", month / 12, month % 12 + 1)
}

impl Rates {
    /// Reads a CSV rate table with the header `period,currency,usd_per_unit,source`; every problem is reported
    /// with its line. A rate without a source is refused: every figure says where it comes from.
    pub fn parse(text: &str, file: &str) -> Result<Rates, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut rates = Rates::default();
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
            let [period_text, currency, rate, source] = fields.as_slice() else {
                problems.push(problem(number, "expected 4 fields: period,currency,usd_per_unit,source".into()));
                continue;
            };
            // The source, last, may hold commas as it is; quoted (as spreadsheets write it), it is unquoted.
            let unquoted = source
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .filter(|inner| !inner.replace("\"\"", "").contains('"'))
                .map(|inner| inner.replace("\"\"", "\""));
            let source = &unquoted.as_deref().unwrap_or(source);
            let period = Period::parse(period_text);
            if period.is_none() {
                problems.push(problem(number, format!("period `{period_text}` is not YYYY or YYYY-MM")));
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
            let Some(period) = period else { continue };
            let table = rates.by_currency.entry(currency.to_string()).or_default();
            let (map, key) = match period {
                Period::Year(year) => (&mut table.years, year),
                Period::Month(month) => (&mut table.months, month),
            };
            if map.insert(key, (rate, source.to_string())).is_some() {
                problems.push(problem(number, format!("a second rate for {currency} in {period_text}")));
            }
        }
        if problems.is_empty() { Ok(rates) } else { Err(problems) }
    }

    /// The shipped table ([`SHIPPED_RATES_CSV`]), parsed once.
    pub fn shipped() -> Result<&'static Rates, &'static [Diagnostic]> {
        static SHIPPED: OnceLock<Result<Rates, Vec<Diagnostic>>> = OnceLock::new();
        SHIPPED.get_or_init(|| Rates::parse(SHIPPED_RATES_CSV, SHIPPED_RATES_FILE)).as_ref().map_err(|d| d.as_slice())
    }

    /// This table, with `fallback`'s rates for what it does not cover: a rate of this table, for a month or a
    /// year, is never replaced, and a year's rate here also stands for each month of that year, so that a
    /// user's table overrides the shipped one wherever it says anything.
    pub fn with_fallback(mut self, fallback: &Rates) -> Rates {
        for (currency, theirs) in &fallback.by_currency {
            let ours = self.by_currency.entry(currency.clone()).or_default();
            // Months first: a month of the fallback is kept unless this table has the month or its year (its
            // own years, before the fallback's are added).
            for (month, rate) in &theirs.months {
                if !ours.months.contains_key(month) && !ours.years.contains_key(&(month / 12)) {
                    ours.months.insert(*month, rate.clone());
                }
            }
            for (year, rate) in &theirs.years {
                ours.years.entry(*year).or_insert_with(|| rate.clone());
            }
        }
        self
    }

    /// The rate and its source for a month: the month's own, else its year's.
    fn in_month(&self, currency: &str, month: u32) -> Option<&(f64, String)> {
        let table = self.by_currency.get(currency)?;
        table.months.get(&month).or_else(|| table.years.get(&(month / 12)))
    }

    /// The rate and its source for a period (`YYYY-MM...` or `YYYY`): the month's, else the year's.
    fn lookup(&self, currency: &str, period: &str) -> Option<&(f64, String)> {
        match Period::parse(period.get(..7).unwrap_or(period)).or_else(|| Period::parse(period.get(..4)?))? {
            Period::Month(month) => self.in_month(currency, month),
            Period::Year(year) => self.by_currency.get(currency)?.years.get(&year),
        }
    }

    /// US dollars per unit of a currency in a period (`YYYY-MM` or `YYYY`): the month's rate, else the
    /// year's. US dollars are 1.
    pub fn rate(&self, currency: &str, period: &str) -> Option<f64> {
        if currency == "USD" {
            return Some(1.0);
        }
        self.lookup(currency, period).map(|(rate, _)| *rate)
    }

    /// Where the rate of a currency in a period comes from (the rate [`Rates::rate`] gives).
    pub fn source(&self, currency: &str, period: &str) -> Option<&str> {
        self.lookup(currency, period).map(|(_, source)| source.as_str())
    }
}

/// The rates a table lacks for a set of ledgers, by currency and month. It is summarised, not listed: a table
/// that stops early lacks years of months.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MissingRates {
    by_currency: BTreeMap<String, BTreeSet<u32>>,
}

/// The months one currency lacks, summarised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingCurrency {
    /// ISO 4217 currency.
    pub currency: String,
    /// The first month without a rate (`YYYY-MM`).
    pub first: String,
    /// The last month without a rate (`YYYY-MM`).
    pub last: String,
    /// How many months, from the first to the last, have no rate.
    pub months: usize,
    /// How many months the first to the last span (more than `months` when some between have a rate).
    pub span: usize,
}

impl MissingRates {
    /// Whether nothing is missing.
    pub fn is_empty(&self) -> bool {
        self.by_currency.is_empty()
    }

    /// Adds what another set of ledgers lacks (each month counted once).
    pub fn merge(&mut self, other: MissingRates) {
        for (currency, months) in other.by_currency {
            self.by_currency.entry(currency).or_default().extend(months);
        }
    }

    fn add(&mut self, currency: &str, month: u32) {
        if let Some(months) = self.by_currency.get_mut(currency) {
            months.insert(month);
        } else {
            self.by_currency.insert(currency.to_string(), BTreeSet::from([month]));
        }
    }

    /// Each currency that lacks rates, with its first and last missing month and how many.
    pub fn currencies(&self) -> Vec<MissingCurrency> {
        self.by_currency
            .iter()
            .filter_map(|(currency, months)| {
                let (first, last) = (*months.first()?, *months.last()?);
                Some(MissingCurrency {
                    currency: currency.clone(),
                    first: month_text(first),
                    last: month_text(last),
                    months: months.len(),
                    span: usize::try_from(last - first + 1).unwrap_or(usize::MAX),
                })
            })
            .collect()
    }
}

/// One line per currency: `no rate for RUB in 2019-05`, `no rate for RUB in 46 months, 2022-03 to 2025-12`, or
/// `no rate for EUR in 3 of the 14 months from 2019-01 to 2020-02`.
impl fmt::Display for MissingRates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, missing) in self.currencies().iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            let MissingCurrency { currency, first, last, months, span } = missing;
            if months == &1 {
                write!(f, "no rate for {currency} in {first}")?;
            } else if months == span {
                write!(f, "no rate for {currency} in {months} months, {first} to {last}")?;
            } else {
                write!(f, "no rate for {currency} in {months} of the {span} months from {first} to {last}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for MissingRates {}

impl Serialize for MissingRates {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.currencies().serialize(serializer)
    }
}

fn amount(facts: &[&Statement]) -> Option<Amount> {
    let (amount, currency, period, evidence) = money(facts)?;
    Some(Amount { amount, currency, period, usd: None, evidence: evidence.into_iter().map(Fact::of).collect() })
}

/// The ledgers of a testimony's work spells, from its active statements. With a rate table, every amount is
/// also given in US dollars, converted month by month: its US-dollar equivalent is the mean, over the spell's
/// months, of the amount times that month's rate (the month's own, else its year's), that is the amount
/// times the mean rate. The spell's months run from its start to its end, both included; a date known only
/// to the year counts from January when it starts the spell and to December when it ends it. A spell with a
/// start and no end uses its start month (its start year's months when only the year is known); one with an
/// end and no start, its end month likewise; one with neither is not converted. The same mean rate converts
/// an amount per month, per year or in total: a sum paid on one day (on return, say) is converted as if it
/// had been earned evenly over the spell. A rate the table lacks for any month is an error that summarises
/// every missing currency and month.
pub fn ledgers(statements: &[Statement], rates: Option<&Rates>) -> Result<Vec<Ledger>, MissingRates> {
    let (ledgers, missing) = ledgers_and_missing_rates(statements, rates);
    if missing.is_empty() { Ok(ledgers) } else { Err(missing) }
}

/// The ledgers as [`ledgers`] gives them, converted wherever the table has every month's rate, and the rates
/// it lacks: an amount missing any month's rate keeps no US-dollar equivalent, so that a caller may show the
/// rest and say what is missing.
pub fn ledgers_and_missing_rates(statements: &[Statement], rates: Option<&Rates>) -> (Vec<Ledger>, MissingRates) {
    let mut missing = MissingRates::default();
    let ledgers = spells(statements)
        .iter()
        .map(|spell| {
            let mut ledger = ledger(spell);
            if let Some(rates) = rates {
                convert(&mut ledger, rates, &mut missing);
            }
            ledger
        })
        .collect();
    (ledgers, missing)
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
        rate_sources: Vec::new(),
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

/// The months of a spell (`year * 12 + month - 1`), as [`ledgers`] describes them.
pub fn spell_months(start: Option<&str>, end: Option<&str>) -> Vec<u32> {
    let parse = |date: Option<&str>| date.and_then(|d| d.parse::<PartialDate>().ok());
    let first_of = |date: PartialDate| u32::from(date.year) * 12 + u32::from(date.month.unwrap_or(1)) - 1;
    let last_of = |date: PartialDate| u32::from(date.year) * 12 + u32::from(date.month.unwrap_or(12)) - 1;
    let (first, last) = match (parse(start), parse(end)) {
        (Some(start), Some(end)) => (first_of(start), last_of(end)),
        (Some(only), None) | (None, Some(only)) => (first_of(only), last_of(only)),
        (None, None) => return Vec::new(),
    };
    // An end before the start is a coding error: the start month alone, rather than no conversion.
    (first..=last.max(first)).collect()
}

fn convert(ledger: &mut Ledger, rates: &Rates, missing: &mut MissingRates) {
    let months = spell_months(ledger.start.as_deref(), ledger.end.as_deref());
    if months.is_empty() {
        return;
    }
    let mut sources: BTreeSet<String> = BTreeSet::new();
    let mut amounts: Vec<&mut Amount> = Vec::new();
    amounts.extend(ledger.promised.as_mut());
    amounts.extend(ledger.employer_paid.as_mut());
    amounts.extend(ledger.received.as_mut());
    amounts.extend(ledger.deductions.iter_mut().filter_map(|d| d.amount.as_mut()));
    for amount in amounts {
        if amount.currency == "USD" {
            amount.usd = Some(amount.amount);
            continue;
        }
        let mut sum = 0.0;
        let mut complete = true;
        for &month in &months {
            match rates.in_month(&amount.currency, month) {
                Some((rate, source)) => {
                    sum += rate;
                    if !sources.contains(source) {
                        sources.insert(source.clone());
                    }
                }
                None => {
                    complete = false;
                    missing.add(&amount.currency, month);
                }
            }
        }
        if complete {
            amount.usd = Some(amount.amount * sum / months.len() as f64);
        }
    }
    ledger.rate_sources = sources.into_iter().collect();
}
