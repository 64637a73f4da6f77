//! The rate table clew ships (monthly means of the European Central Bank's daily reference rates), amounts
//! converted month by month, a user's table over the shipped one, missing rates summarised, and
//! `data/rates/build.py` run on small fixtures.

use std::path::Path;
use std::process::Command;

use clew_assess::ledger::{Rates, SHIPPED_RATES_CSV, ledgers, ledgers_and_missing_rates};
use clew_model::Statement;

use super::fact;

/// A spell with the given dates in which the employer paid `paid` a month.
fn spell_paid(start: Option<&str>, end: Option<&str>, paid: &str) -> Vec<Statement> {
    let mut statements = vec![fact("spell1", "Employment", "employer", "T-SYNTH-1.employer", "s1")];
    statements.extend(start.map(|date| fact("spell1", "Employment", "startDate", date, "s1")));
    statements.extend(end.map(|date| fact("spell1", "Employment", "endDate", date, "s1")));
    statements.extend([
        fact("spell1.paid", "Payment", "payer", "T-SYNTH-1.employer", "s3"),
        fact("spell1.paid", "Payment", "amount", paid, "s3"),
        fact("spell1.paid", "Payment", "period", "month", "s3"),
    ]);
    statements
}

/// What the employer paid, in US dollars.
fn paid_usd(statements: &[Statement], rates: &Rates) -> f64 {
    ledgers(statements, Some(rates)).unwrap()[0].employer_paid.as_ref().unwrap().usd.unwrap()
}

/// The months from `first` to `last` (`YYYY-MM`), both included.
fn months(first: (u32, u32), last: (u32, u32)) -> Vec<String> {
    (first.0 * 12 + first.1 - 1..=last.0 * 12 + last.1 - 1)
        .map(|m| format!("{:04}-{:02}", m / 12, m % 12 + 1))
        .collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Relative difference.
fn off(actual: f64, expected: f64) -> f64 {
    ((actual - expected) / expected).abs()
}

#[test]
fn the_shipped_table_covers_2010_to_2025_and_the_rouble_until_the_ecb_stopped() {
    let rates = Rates::shipped().unwrap();
    for month in months((2010, 1), (2025, 12)) {
        for currency in ["CNY", "KRW", "EUR"] {
            assert!(rates.rate(currency, &month).is_some(), "{currency} {month}");
            let source = rates.source(currency, &month).unwrap();
            assert!(source.starts_with("European Central Bank, euro foreign exchange reference rates (series EXR.D."));
            assert!(source.contains("monthly mean of daily reference rates"), "{source}");
        }
        // The ECB last published a rouble rate on 1 March 2022: no month after February 2022 has one.
        assert_eq!(rates.rate("RUB", &month).is_some(), month.as_str() <= "2022-02", "RUB {month}");
    }
    assert!(rates.source("RUB", "2015-01").unwrap().contains("EXR.D.RUB.EUR.SP00.A, EXR.D.USD.EUR.SP00.A"));
    assert!(rates.source("RUB", "2015-01").unwrap().contains("cross rate via EUR"));
    assert_eq!(rates.rate("CNY", "2009-12"), None);
    assert_eq!(rates.rate("CNY", "2026-01"), None);
    // Monthly rates only: 16 years of CNY, KRW and EUR, and the rouble from 2010-01 to 2022-02.
    assert_eq!(SHIPPED_RATES_CSV.lines().count(), 1 + 16 * 12 * 3 + 12 * 12 + 2);
}

/// Every ECB reference rate of January 2015, as (US dollars, roubles) per euro, copied from eurofxref-hist.csv.
const RUB_2015_01: [(f64, f64); 21] = [
    (1.2043, 70.461),
    (1.1915, 70.388),
    (1.1914, 74.91),
    (1.1831, 75.0),
    (1.1768, 72.3732),
    (1.1813, 72.891),
    (1.1804, 73.9104),
    (1.1782, 77.91),
    (1.1775, 77.903),
    (1.1708, 75.41),
    (1.1588, 75.658),
    (1.1605, 75.0288),
    (1.1579, 75.3825),
    (1.1593, 76.123),
    (1.1618, 74.78),
    (1.1198, 72.2195),
    (1.1244, 73.8368),
    (1.1306, 76.6695),
    (1.1344, 76.912),
    (1.1315, 78.2726),
    (1.1305, 79.925),
];

/// Every ECB reference rate of March 2020, US dollars per euro.
const EUR_2020_03: [f64; 22] = [
    1.1122, 1.1117, 1.1125, 1.1187, 1.1336, 1.1456, 1.139, 1.1336, 1.124, 1.1104, 1.1157, 1.0982, 1.0934, 1.0801,
    1.0707, 1.0783, 1.0843, 1.0827, 1.0981, 1.0977, 1.1034, 1.0956,
];

/// Every ECB reference rate of November 2024, as (US dollars, won) per euro.
const KRW_2024_11: [(f64, f64); 21] = [
    (1.0885, 1498.21),
    (1.0904, 1497.97),
    (1.0897, 1503.71),
    (1.0695, 1500.9),
    (1.0785, 1495.78),
    (1.0772, 1495.41),
    (1.0651, 1489.97),
    (1.0617, 1492.15),
    (1.0629, 1487.4),
    (1.0533, 1478.78),
    (1.0583, 1476.23),
    (1.0552, 1474.49),
    (1.0578, 1472.84),
    (1.0562, 1474.4),
    (1.0526, 1471.6),
    (1.0412, 1464.43),
    (1.0495, 1469.87),
    (1.0522, 1468.29),
    (1.0531, 1466.33),
    (1.0542, 1472.29),
    (1.0562, 1476.11),
];

/// Spot values: a month's rate is the mean of its days' cross rates. The table keeps 6 significant digits, so
/// the figures agree far within 1%.
#[test]
fn shipped_rates_are_the_monthly_means_of_the_ecb_daily_rates() {
    let rates = Rates::shipped().unwrap();
    let rub = mean(&RUB_2015_01.map(|(usd, rub)| usd / rub));
    assert!((0.0150..0.0160).contains(&rub), "about 64.5 roubles to the dollar: {rub}");
    assert!(off(rates.rate("RUB", "2015-01").unwrap(), rub) < 1e-5, "{rub}");
    let eur = mean(&EUR_2020_03);
    assert!(off(rates.rate("EUR", "2020-03").unwrap(), eur) < 1e-5, "{eur}");
    let krw = mean(&KRW_2024_11.map(|(usd, krw)| usd / krw));
    assert!(off(rates.rate("KRW", "2024-11").unwrap(), krw) < 1e-5, "{krw}");
    // Computed apart from build.py, with awk over the same eurofxref-hist.csv.
    for (currency, month, expected) in [
        ("CNY", "2018-06", 0.15467),
        ("RUB", "2022-02", 0.0128219),
        ("KRW", "2025-12", 0.000681799),
        ("EUR", "2010-01", 1.42721),
        ("RUB", "2010-01", 0.0335223),
    ] {
        let rate = rates.rate(currency, month).unwrap();
        assert!(off(rate, expected) < 1e-5, "{currency} {month}: {rate} {expected}");
    }
}

/// A two-year spell across the rouble's fall of late 2014: each month is converted at its own rate, not at
/// the first month's.
#[test]
fn a_spell_is_converted_month_by_month() {
    let rates = Rates::shipped().unwrap();
    let usd = paid_usd(&spell_paid(Some("2014-01"), Some("2015-12"), "60000 RUB"), rates);
    let each_month: Vec<f64> = months((2014, 1), (2015, 12)).iter().map(|m| rates.rate("RUB", m).unwrap()).collect();
    assert_eq!(each_month.len(), 24);
    assert!((usd - 60000.0 * mean(&each_month)).abs() < 1e-6, "{usd}");
    let at_first_month = 60000.0 * rates.rate("RUB", "2014-01").unwrap();
    assert!(off(usd, at_first_month) > 0.2, "{usd} against {at_first_month} at the first month's rate");

    // A spell with no end: its start month; known only to the year: that year's months.
    let usd = paid_usd(&spell_paid(Some("2015-01"), None, "60000 RUB"), rates);
    assert!((usd - 60000.0 * rates.rate("RUB", "2015-01").unwrap()).abs() < 1e-6);
    let year: Vec<f64> = months((2015, 1), (2015, 12)).iter().map(|m| rates.rate("RUB", m).unwrap()).collect();
    let usd = paid_usd(&spell_paid(Some("2015"), None, "60000 RUB"), rates);
    assert!((usd - 60000.0 * mean(&year)).abs() < 1e-6);
    // An end before the start (a coding error): the start month alone.
    let usd = paid_usd(&spell_paid(Some("2015-01"), Some("2014-06"), "60000 RUB"), rates);
    assert!((usd - 60000.0 * rates.rate("RUB", "2015-01").unwrap()).abs() < 1e-6);
    // Days do not matter; US dollars need no rate; a spell with no dates is not converted.
    let usd = paid_usd(&spell_paid(Some("2015-01-20"), Some("2015-01-31"), "60000 RUB"), rates);
    assert!((usd - 60000.0 * rates.rate("RUB", "2015-01").unwrap()).abs() < 1e-6);
    assert_eq!(paid_usd(&spell_paid(Some("2030-01"), None, "900 USD"), rates), 900.0);
    let undated = ledgers(&spell_paid(None, None, "60000 RUB"), Some(rates)).unwrap();
    assert_eq!(undated[0].employer_paid.as_ref().unwrap().usd, None);
    assert!(undated[0].rate_sources.is_empty());
}

#[test]
fn missing_rates_are_summarised_by_currency() {
    let shipped = Rates::shipped().unwrap();
    let missing = ledgers(&spell_paid(Some("2021-06"), Some("2023-05"), "60000 RUB"), Some(shipped)).unwrap_err();
    assert_eq!(missing.to_string(), "no rate for RUB in 15 months, 2022-03 to 2023-05");
    assert_eq!(
        serde_json::to_value(&missing).unwrap(),
        serde_json::json!([{"currency": "RUB", "first": "2022-03", "last": "2023-05", "months": 15, "span": 15}])
    );

    // Months with a rate between the first and last missing ones are said to be there.
    let gappy = Rates::parse("period,currency,usd_per_unit,source\n2019,RUB,0.0155,s\n2021,RUB,0.0136,s\n", "r.csv");
    let gappy = gappy.unwrap();
    let missing = ledgers(&spell_paid(Some("2018-11"), Some("2022-02"), "60000 RUB"), Some(&gappy)).unwrap_err();
    assert_eq!(missing.to_string(), "no rate for RUB in 16 of the 40 months from 2018-11 to 2022-02");

    // Across testimonies: each currency once, each month counted once; the ledgers are still there, without
    // US dollars where a month lacks its rate.
    let (found, mut all) =
        ledgers_and_missing_rates(&spell_paid(Some("2023-01"), Some("2023-02"), "1 RUB"), Some(shipped));
    assert_eq!(found[0].employer_paid.as_ref().unwrap().usd, None);
    let (_, other) = ledgers_and_missing_rates(&spell_paid(Some("2022-12"), Some("2023-01"), "1 RUB"), Some(shipped));
    all.merge(other);
    let (_, other) = ledgers_and_missing_rates(&spell_paid(Some("2026-01"), None, "1 EUR"), Some(shipped));
    all.merge(other);
    assert_eq!(all.to_string(), "no rate for EUR in 2026-01\nno rate for RUB in 3 months, 2022-12 to 2023-02");
    let (found, none) = ledgers_and_missing_rates(&spell_paid(Some("2015-01"), None, "1 RUB"), Some(shipped));
    assert!(none.is_empty() && found[0].employer_paid.as_ref().unwrap().usd.is_some());
}

/// A user's table overrides the shipped one wherever it says anything, a year's rate standing for each of its
/// months; the shipped table fills the rest.
#[test]
fn a_users_table_overrides_the_shipped_one() {
    let shipped = Rates::shipped().unwrap();
    let user =
        "period,currency,usd_per_unit,source\n2019,RUB,0.02,the user's figure\n2020-03,EUR,1.5,the user's month\n";
    let rates = Rates::parse(user, "rates.csv").unwrap().with_fallback(shipped);
    assert_eq!(rates.rate("RUB", "2019-05"), Some(0.02));
    assert_eq!(rates.source("RUB", "2019-05"), Some("the user's figure"));
    assert_eq!(rates.rate("RUB", "2018-05"), shipped.rate("RUB", "2018-05"));
    assert_eq!(rates.rate("EUR", "2020-03"), Some(1.5));
    assert_eq!(rates.rate("EUR", "2020-04"), shipped.rate("EUR", "2020-04"));
    assert_eq!(rates.rate("CNY", "2015-01"), shipped.rate("CNY", "2015-01"));
    assert_eq!(rates.rate("RUB", "2023-01"), None);
    let usd = paid_usd(&spell_paid(Some("2018-12"), Some("2019-01"), "1000 RUB"), &rates);
    assert!((usd - 1000.0 * (shipped.rate("RUB", "2018-12").unwrap() + 0.02) / 2.0).abs() < 1e-9);
    let found = ledgers(&spell_paid(Some("2018-12"), Some("2019-01"), "1000 RUB"), Some(&rates)).unwrap();
    assert_eq!(found[0].rate_sources.len(), 2, "{:?}", found[0].rate_sources);

    // A month of the user's table beats a year of the fallback; the fallback's year fills the other months.
    let fallback = Rates::parse("period,currency,usd_per_unit,source\n2019,RUB,0.01,y\n", "f.csv").unwrap();
    let rates = Rates::parse("period,currency,usd_per_unit,source\n2019-05,RUB,0.02,x\n", "u.csv").unwrap();
    let rates = rates.with_fallback(&fallback);
    assert_eq!((rates.rate("RUB", "2019-05"), rates.rate("RUB", "2019-06")), (Some(0.02), Some(0.01)));
    let bad = Rates::parse("period,currency,usd_per_unit,source\n2019-13,RUB,0.02,x\n", "u.csv").unwrap_err();
    assert!(bad[0].to_string().contains("period `2019-13` is not YYYY or YYYY-MM"), "{}", bad[0]);
}

/// Whether python3 runs here: `.ci/run` installs it, so a missing python3 fails the test unless
/// `CLEW_SKIP_MISSING_TOOLS=1` says to skip it.
fn python3() -> bool {
    let present = Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CLEW_SKIP_MISSING_TOOLS").is_some(),
            "`python3` is not installed: install it or set CLEW_SKIP_MISSING_TOOLS=1 to skip"
        );
        eprintln!("skipped (CLEW_SKIP_MISSING_TOOLS): `python3` is not installed");
    }
    present
}

/// `data/rates/build.py` on a few rows of the ECB file and a Bank of Russia file with synthetic values
/// (`test_data/rates/`): ECB months first; the Bank of Russia fills only whole months the ECB lacks.
#[test]
fn build_py_makes_the_table_and_fills_the_rouble_from_the_bank_of_russia() {
    if !python3() {
        return;
    }
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let build = |extra: &[&str]| {
        let mut command = Command::new("python3");
        command
            .arg(crate_dir.join("../../data/rates/build.py"))
            .arg(crate_dir.join("test_data/rates/ecb-eurofxref-hist-sample.csv"))
            .args(["--first", "2022-02", "--last", "2022-04", "--out", "-"])
            .args(extra);
        let output = command.output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(output.status.success(), "{stderr}");
        let table = String::from_utf8(output.stdout).unwrap();
        (Rates::parse(&table, "build.py output").unwrap(), stderr)
    };
    let cbr = crate_dir.join("test_data/rates/cbr-usd-sample.xml");
    let (rates, stderr) = build(&["--cbr-usd", cbr.to_str().unwrap()]);
    // March: 1/100, 1/80 and 10/1000 dollars per rouble (Nominal / Value), from the Bank of Russia.
    let march = rates.rate("RUB", "2022-03").unwrap();
    assert!(off(march, (0.01 + 0.0125 + 0.01) / 3.0) < 1e-5, "{march}");
    assert!(rates.source("RUB", "2022-03").unwrap().starts_with("Bank of Russia, official exchange rate"));
    // February: the ECB's (two days in the sample), though the Bank of Russia file has the whole month.
    let february = rates.rate("RUB", "2022-02").unwrap();
    assert!(off(february, mean(&[1.1163 / 95.7175, 1.1199 / 115.4842])) < 1e-5, "{february}");
    assert!(rates.source("RUB", "2022-02").unwrap().starts_with("European Central Bank"));
    // April: the Bank of Russia file stops on the 5th, and a month's mean needs the whole month.
    assert_eq!(rates.rate("RUB", "2022-04"), None);
    assert!(stderr.contains("no rate for RUB in 2022-04"), "{stderr}");
    let eur = rates.rate("EUR", "2022-03").unwrap();
    assert!(off(eur, mean(&[1.1162, 1.1106, 1.1076])) < 1e-5, "{eur}");
    assert!(stderr.contains("ECB file: eurofxref-hist.csv sha256 "), "{stderr}");

    // Without the Bank of Russia file, March has no rouble rate: the ECB quoted it on one day of three.
    let (rates, stderr) = build(&[]);
    assert_eq!(rates.rate("RUB", "2022-03"), None);
    assert!(stderr.contains("no rate for RUB in 2 months, 2022-03 to 2022-04"), "{stderr}");
}
