//! The wage ledger: what was promised, paid, deducted and received, flagged when it does not add up, and
//! converted with a rate table that says where each rate comes from.

use clew_assess::ledger::{Rates, ledgers};

use super::{fact, spell};

fn payments(paid: &str, deducted: &str, received: &str) -> Vec<clew_model::Statement> {
    let mut statements = spell(&[("promisedWage", "80000 RUB"), ("promisedWagePeriod", "month")]);
    statements.extend([
        fact("spell1.paid", "Payment", "payer", "x", "s3"),
        fact("spell1.paid", "Payment", "beneficiary", "T-SYNTH-1.dispatcher", "s3"),
        fact("spell1.paid", "Payment", "amount", paid, "s3"),
        fact("spell1.paid", "Payment", "period", "month", "s3"),
        fact("spell1.deduction-1", "Deduction", "deductionKind", "loyalty_fee", "s3"),
        fact("spell1.deduction-1", "Deduction", "amount", deducted, "s3"),
        fact("spell1.deduction-1", "Deduction", "period", "month", "s3"),
        fact("spell1.received", "Payment", "beneficiary", "witness:W-1", "s3"),
        fact("spell1.received", "Payment", "amount", received, "s3"),
        fact("spell1.received", "Payment", "period", "month", "s3"),
        fact("spell1.received", "Payment", "paidWhen", "on_return", "s3"),
    ]);
    statements
}

/// The spell runs from 2019-05 to 2021-11: 8 months of 2019, 12 of 2020, 11 of 2021.
const RATES: &str = "period,currency,usd_per_unit,source
2019,RUB,0.0155,synthetic test rate (not an official figure)
2020,RUB,0.0140,synthetic test rate (not an official figure)
2021,RUB,0.0136,synthetic test rate (not an official figure)
";

#[test]
fn a_ledger_that_adds_up_is_not_flagged_and_converts_with_its_rate() {
    let statements = payments("60000 RUB", "45000 RUB", "15000 RUB");
    let rates = Rates::parse(RATES, "rates.csv").unwrap();
    let ledger = &ledgers(&statements, Some(&rates)).unwrap()[0];
    assert!(ledger.flags.is_empty(), "{:?}", ledger.flags);
    assert_eq!(ledger.paid_to.as_deref(), Some("T-SYNTH-1.dispatcher"));
    assert_eq!(ledger.received_when.as_deref(), Some("on_return"));
    assert_eq!(ledger.deductions[0].kind, "loyalty_fee");
    // Month by month: 60000 RUB a month at each month's rate, averaged over the spell's 31 months.
    let usd = ledger.employer_paid.as_ref().unwrap().usd.unwrap();
    let expected = 60000.0 * (8.0 * 0.0155 + 12.0 * 0.0140 + 11.0 * 0.0136) / 31.0;
    assert!((usd - expected).abs() < 1e-6, "{usd} {expected}");
    assert_eq!(ledger.rate_sources, ["synthetic test rate (not an official figure)"]);
    assert!(ledger.received.as_ref().unwrap().evidence.iter().all(|f| f.locator == "segment:s3"));
}

#[test]
fn a_ledger_that_does_not_add_up_is_flagged_not_fixed() {
    let ledger = &ledgers(&payments("60000 RUB", "70000 RUB", "5000 RUB"), None).unwrap()[0];
    assert!(ledger.flags.iter().any(|f| f.contains("exceed what the employer paid")), "{:?}", ledger.flags);
    let ledger = &ledgers(&payments("60000 RUB", "20000 RUB", "15000 RUB"), None).unwrap()[0];
    assert!(
        ledger.flags.iter().any(|f| f.contains("25000 RUB of the employer's payment is neither")),
        "{:?}",
        ledger.flags
    );
    assert_eq!(ledger.employer_paid.as_ref().unwrap().amount, 60000.0, "nothing is corrected");
    let ledger = &ledgers(&payments("60000 RUB", "600 USD", "15000 RUB"), None).unwrap()[0];
    assert!(ledger.flags.iter().any(|f| f.contains("different currencies")), "{:?}", ledger.flags);
    let mut shares = payments("60000 RUB", "45000 RUB", "15000 RUB");
    shares.push(fact("spell1.deduction-1", "Deduction", "share", "0.7", "s3"));
    shares.push(fact("spell1.deduction-2", "Deduction", "deductionKind", "lodging", "s3"));
    shares.push(fact("spell1.deduction-2", "Deduction", "share", "0.4", "s3"));
    let ledger = &ledgers(&shares, None).unwrap()[0];
    assert!(ledger.flags.iter().any(|f| f.contains("shares add up to 110%")), "{:?}", ledger.flags);
}

#[test]
fn rates_say_where_they_come_from_and_a_missing_one_is_an_error() {
    let rates = Rates::parse(RATES, "rates.csv").unwrap();
    // Every month of the spell lacks EUR: summarised once, not listed month by month.
    let missing = ledgers(&payments("600 EUR", "450 EUR", "150 EUR"), Some(&rates)).unwrap_err();
    assert_eq!(missing.to_string(), "no rate for EUR in 31 months, 2019-05 to 2021-11");
    let bad = "period,currency,usd,source\n19-05,rub,-1,\n2019,RUB,0.01,a\n2019,RUB,0.02,b\n2019-05,USD\n";
    let problems: Vec<String> = Rates::parse(bad, "r.csv").unwrap_err().iter().map(ToString::to_string).collect();
    for expected in [
        "r.csv:1:1: the first line must be",
        "r.csv:2:1: period `19-05` is not YYYY or YYYY-MM",
        "r.csv:2:1: currency `rub` is not an ISO 4217 code",
        "r.csv:2:1: usd_per_unit `-1` is not a positive number",
        "r.csv:4:1: a second rate for RUB in 2019",
        "r.csv:5:1: expected 4 fields",
    ] {
        assert!(problems.iter().any(|p| p.starts_with(expected)), "{expected}: {problems:#?}");
    }
}
