//! Synthetic exchange rates and Russian consumer prices, month by month from 2010-01 to 2026-12: smooth
//! curves through round values shaped like the published history, never a published rate. The rouble stays
//! near 30 to the dollar until 2013, falls in 2014–15, moves between 57 and 77 until 2021, spikes in March
//! 2022, strengthens that summer, weakens to 90–100 in 2023–24 and recovers to the low 80s in 2025. Prices rise
//! at about Russia's published yearly inflation, rounded.
//!
//! The generator sets its rouble wages with these series, and [`synthetic_rate_table`] hands the very same
//! series to `clew ledger` and `clew estimate` to convert them back to dollars.

use std::sync::LazyLock;

/// A month as a number: `year * 12 + (month - 1)`.
pub(crate) type Month = u32;

/// The month number of a year and month (1–12).
pub(crate) const fn month_of(year: u16, month: u8) -> Month {
    year as u32 * 12 + month as u32 - 1
}

/// The year of a month number.
pub(crate) const fn year_of(month: Month) -> u16 {
    (month / 12) as u16
}

/// The month (1–12) of a month number.
pub(crate) const fn month_in_year(month: Month) -> u8 {
    (month % 12 + 1) as u8
}

const FIRST: Month = month_of(2010, 1);
const LAST: Month = month_of(2026, 12);
const MONTHS: usize = (LAST - FIRST + 1) as usize;

/// What every row of the rate table says of where it comes from.
pub const SYNTHETIC_RATE_SOURCE: &str = "synthetic (clew demo; not a published rate)";

/// The currencies of the table, in its order.
pub const SYNTHETIC_CURRENCIES: [&str; 4] = ["RUB", "CNY", "KRW", "EUR"];

/// Roubles to the US dollar at chosen months; the months between are interpolated.
const RUB_PER_USD: &[(u16, u8, f64)] = &[
    (2010, 1, 30.0),
    (2010, 6, 31.0),
    (2010, 12, 30.5),
    (2011, 4, 28.2),
    (2011, 12, 31.5),
    (2012, 6, 32.5),
    (2012, 12, 30.6),
    (2013, 6, 32.0),
    (2013, 12, 32.9),
    (2014, 3, 35.5),
    (2014, 6, 34.5),
    (2014, 9, 37.5),
    (2014, 12, 56.0),
    (2015, 1, 64.0),
    (2015, 2, 64.5),
    (2015, 5, 50.5),
    (2015, 8, 65.0),
    (2015, 12, 70.0),
    (2016, 1, 76.5),
    (2016, 2, 77.0),
    (2016, 6, 65.5),
    (2016, 12, 62.0),
    (2017, 4, 56.5),
    (2017, 12, 58.5),
    (2018, 3, 57.0),
    (2018, 5, 62.0),
    (2018, 9, 67.5),
    (2018, 12, 67.0),
    (2019, 6, 64.5),
    (2019, 12, 62.5),
    (2020, 2, 64.0),
    (2020, 4, 75.5),
    (2020, 6, 70.5),
    (2020, 11, 77.0),
    (2020, 12, 73.5),
    (2021, 6, 72.5),
    (2021, 12, 73.5),
    (2022, 1, 76.0),
    (2022, 2, 80.0),
    (2022, 3, 104.0),
    (2022, 4, 80.0),
    (2022, 6, 57.5),
    (2022, 9, 58.0),
    (2022, 12, 68.0),
    (2023, 3, 76.5),
    (2023, 8, 96.0),
    (2023, 10, 97.0),
    (2023, 12, 90.0),
    (2024, 4, 92.0),
    (2024, 9, 91.5),
    (2024, 11, 102.0),
    (2024, 12, 101.0),
    (2025, 2, 92.0),
    (2025, 4, 83.0),
    (2025, 8, 80.0),
    (2025, 12, 80.5),
    (2026, 6, 82.0),
    (2026, 12, 84.0),
];

/// Yuan to the US dollar.
const CNY_PER_USD: &[(u16, u8, f64)] = &[
    (2010, 1, 6.83),
    (2010, 12, 6.62),
    (2011, 12, 6.32),
    (2012, 12, 6.23),
    (2013, 12, 6.09),
    (2014, 12, 6.20),
    (2015, 7, 6.21),
    (2015, 9, 6.37),
    (2015, 12, 6.48),
    (2016, 12, 6.94),
    (2017, 12, 6.53),
    (2018, 3, 6.30),
    (2018, 10, 6.93),
    (2019, 9, 7.12),
    (2019, 12, 6.99),
    (2020, 5, 7.12),
    (2020, 12, 6.54),
    (2021, 12, 6.37),
    (2022, 3, 6.35),
    (2022, 10, 7.25),
    (2022, 12, 6.96),
    (2023, 1, 6.78),
    (2023, 9, 7.30),
    (2023, 12, 7.12),
    (2024, 6, 7.26),
    (2024, 12, 7.30),
    (2025, 4, 7.33),
    (2025, 12, 7.08),
    (2026, 12, 7.05),
];

/// Won to the US dollar.
const KRW_PER_USD: &[(u16, u8, f64)] = &[
    (2010, 1, 1140.0),
    (2010, 12, 1135.0),
    (2011, 12, 1150.0),
    (2012, 12, 1070.0),
    (2013, 12, 1055.0),
    (2014, 6, 1020.0),
    (2014, 12, 1100.0),
    (2015, 12, 1170.0),
    (2016, 2, 1230.0),
    (2016, 12, 1180.0),
    (2017, 12, 1075.0),
    (2018, 12, 1120.0),
    (2019, 5, 1190.0),
    (2019, 12, 1160.0),
    (2020, 3, 1220.0),
    (2020, 12, 1090.0),
    (2021, 12, 1185.0),
    (2022, 10, 1425.0),
    (2022, 12, 1290.0),
    (2023, 6, 1300.0),
    (2023, 12, 1305.0),
    (2024, 4, 1375.0),
    (2024, 12, 1470.0),
    (2025, 4, 1440.0),
    (2025, 7, 1380.0),
    (2025, 12, 1450.0),
    (2026, 12, 1420.0),
];

/// US dollars to the euro (the other way round from the rest: the euro is the dearer unit).
const USD_PER_EUR: &[(u16, u8, f64)] = &[
    (2010, 1, 1.43),
    (2010, 6, 1.22),
    (2010, 12, 1.32),
    (2011, 4, 1.45),
    (2011, 12, 1.31),
    (2012, 7, 1.23),
    (2012, 12, 1.31),
    (2013, 12, 1.37),
    (2014, 5, 1.39),
    (2014, 12, 1.23),
    (2015, 3, 1.08),
    (2015, 12, 1.09),
    (2016, 12, 1.05),
    (2017, 12, 1.18),
    (2018, 2, 1.23),
    (2018, 12, 1.14),
    (2019, 12, 1.11),
    (2020, 3, 1.10),
    (2020, 12, 1.22),
    (2021, 12, 1.13),
    (2022, 9, 0.99),
    (2022, 12, 1.06),
    (2023, 12, 1.09),
    (2024, 12, 1.05),
    (2025, 1, 1.03),
    (2025, 6, 1.15),
    (2025, 12, 1.17),
    (2026, 12, 1.16),
];

/// Consumer-price inflation in Russia, December on December, per cent: close to the published yearly figures,
/// rounded, with 2025–26 assumed.
const INFLATION: [(u16, f64); 17] = [
    (2010, 8.8),
    (2011, 6.1),
    (2012, 6.6),
    (2013, 6.5),
    (2014, 11.4),
    (2015, 12.9),
    (2016, 5.4),
    (2017, 2.5),
    (2018, 4.3),
    (2019, 3.0),
    (2020, 4.9),
    (2021, 8.4),
    (2022, 11.9),
    (2023, 7.4),
    (2024, 9.5),
    (2025, 6.0),
    (2026, 5.0),
];

struct Series {
    rub_per_usd: [f64; MONTHS],
    cny_per_usd: [f64; MONTHS],
    krw_per_usd: [f64; MONTHS],
    usd_per_eur: [f64; MONTHS],
    /// Russian consumer prices, 2010-01 = 1.
    prices: [f64; MONTHS],
}

static SERIES: LazyLock<Series> = LazyLock::new(|| Series {
    rub_per_usd: interpolate(RUB_PER_USD),
    cny_per_usd: interpolate(CNY_PER_USD),
    krw_per_usd: interpolate(KRW_PER_USD),
    usd_per_eur: interpolate(USD_PER_EUR),
    prices: prices(),
});

/// Month by month through the anchors, straight lines on a log scale (a rate moves by ratios); flat before
/// the first anchor and after the last.
fn interpolate(anchors: &[(u16, u8, f64)]) -> [f64; MONTHS] {
    let mut series = [0.0; MONTHS];
    for (slot, value) in series.iter_mut().enumerate() {
        let month = FIRST + slot as Month;
        let after = anchors.iter().position(|&(y, m, _)| month_of(y, m) >= month);
        *value = match after {
            None => anchors[anchors.len() - 1].2,
            Some(0) => anchors[0].2,
            Some(index) => {
                let (y0, m0, v0) = anchors[index - 1];
                let (y1, m1, v1) = anchors[index];
                let (a, b) = (month_of(y0, m0), month_of(y1, m1));
                let t = f64::from(month - a) / f64::from(b - a);
                (v0.ln() + t * (v1.ln() - v0.ln())).exp()
            }
        };
    }
    series
}

fn prices() -> [f64; MONTHS] {
    let mut series = [0.0; MONTHS];
    let mut level = 1.0;
    for (slot, value) in series.iter_mut().enumerate() {
        *value = level;
        let year = year_of(FIRST + slot as Month);
        let rate = INFLATION.iter().find(|(y, _)| *y == year).map_or(5.0, |(_, r)| *r);
        level *= (1.0 + rate / 100.0).powf(1.0 / 12.0);
    }
    series
}

fn slot(month: Month) -> usize {
    (month.clamp(FIRST, LAST) - FIRST) as usize
}

/// Roubles to the dollar in a month (the first or last month of the table outside it).
pub(crate) fn roubles_per_dollar(month: Month) -> f64 {
    SERIES.rub_per_usd[slot(month)]
}

/// Roubles to the dollar on average over a year.
pub(crate) fn mean_roubles_per_dollar(year: u16) -> f64 {
    let first = slot(month_of(year, 1));
    let last = slot(month_of(year, 12));
    let months = &SERIES.rub_per_usd[first..=last];
    months.iter().sum::<f64>() / months.len() as f64
}

/// Russian consumer prices in a month, 2010-01 = 1.
pub(crate) fn price_level(month: Month) -> f64 {
    SERIES.prices[slot(month)]
}

/// The synthetic rates, month by month from 2010-01 to 2026-12, as (`YYYY-MM`, currency, US dollars per
/// unit), currencies in the order of [`SYNTHETIC_CURRENCIES`] within each month.
pub fn synthetic_rates() -> Vec<(String, &'static str, f64)> {
    let series = &*SERIES;
    let mut rates = Vec::with_capacity(MONTHS * SYNTHETIC_CURRENCIES.len());
    for slot in 0..MONTHS {
        let month = FIRST + slot as Month;
        let period = format!("{}-{:02}", year_of(month), month_in_year(month));
        let per_unit = [
            1.0 / series.rub_per_usd[slot],
            1.0 / series.cny_per_usd[slot],
            1.0 / series.krw_per_usd[slot],
            series.usd_per_eur[slot],
        ];
        for (currency, usd) in SYNTHETIC_CURRENCIES.into_iter().zip(per_unit) {
            rates.push((period.clone(), currency, usd));
        }
    }
    rates
}

/// The synthetic rates as the CSV `clew ledger --rates` and `clew estimate --rates` read (header
/// `period,currency,usd_per_unit,source`), every row's source saying it is synthetic.
pub fn synthetic_rate_table() -> String {
    let mut table = String::from("period,currency,usd_per_unit,source\n");
    for (period, currency, usd) in synthetic_rates() {
        // Six significant digits, whatever the size of the unit (a won is a thousandth of a dollar).
        let decimals = (5 - usd.log10().floor() as i32).max(0) as usize;
        table.push_str(&format!("{period},{currency},{usd:.decimals$},{SYNTHETIC_RATE_SOURCE}\n"));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rouble_is_shaped_like_its_history() {
        let yearly = |year| mean_roubles_per_dollar(year);
        assert!((28.0..34.0).contains(&yearly(2010)) && (28.0..34.0).contains(&yearly(2013)));
        for year in 2015..=2021 {
            assert!((55.0..78.0).contains(&yearly(year)), "{year}: {}", yearly(year));
        }
        assert!(roubles_per_dollar(month_of(2022, 3)) > 100.0);
        assert!(roubles_per_dollar(month_of(2022, 6)) < 60.0);
        for year in 2023..=2024 {
            assert!((84.0..100.0).contains(&yearly(year)), "{year}: {}", yearly(year));
        }
        assert!(roubles_per_dollar(month_of(2024, 11)) > 100.0);
        // Prices about double from 2013 to 2024, as Russia's did.
        let growth = price_level(month_of(2024, 1)) / price_level(month_of(2013, 1));
        assert!((1.9..2.4).contains(&growth), "{growth}");
    }

    #[test]
    fn the_table_parses_and_holds_every_month_and_currency() {
        let table = synthetic_rate_table();
        assert_eq!(table.lines().count(), 1 + 17 * 12 * 4);
        assert!(table.lines().skip(1).all(|line| line.ends_with(",synthetic (clew demo; not a published rate)")));
        assert!(table.contains("\n2010-01,RUB,0.0333333,"), "{}", &table[..200]);
        assert_eq!(synthetic_rates()[0], ("2010-01".to_string(), "RUB", 1.0 / 30.0));
        assert_eq!(synthetic_rates().last().map(|r| r.0.as_str()), Some("2026-12"));
    }
}
