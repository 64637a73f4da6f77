//! Property types and the canonical text form of each value: partial dates, money, countries, codes.
//!
//! Every value is stored as text in its canonical form, so that equal facts make equal statements.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The type of a property, which decides how its values are checked and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    /// A name of a person, organisation or place, as written (any script).
    Name,
    /// Free text.
    Text,
    /// A date, possibly partial: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// An ISO 3166-1 alpha-2 country code, lower case.
    Country,
    /// An amount with its ISO 4217 currency: `45000 RUB`.
    Money,
    /// An identifier (registration number, pseudonym, URL).
    Identifier,
    /// A reference to another entity by its id.
    Entity,
    /// A finite decimal number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// One code of a code list (schema/codes.yaml).
    Code,
}

impl PropertyType {
    /// All types, for the schema lint and docs.
    pub const ALL: [PropertyType; 10] = [
        PropertyType::Name,
        PropertyType::Text,
        PropertyType::Date,
        PropertyType::Country,
        PropertyType::Money,
        PropertyType::Identifier,
        PropertyType::Entity,
        PropertyType::Number,
        PropertyType::Boolean,
        PropertyType::Code,
    ];

    /// The name used in schema files.
    pub fn name(self) -> &'static str {
        match self {
            PropertyType::Name => "name",
            PropertyType::Text => "text",
            PropertyType::Date => "date",
            PropertyType::Country => "country",
            PropertyType::Money => "money",
            PropertyType::Identifier => "identifier",
            PropertyType::Entity => "entity",
            PropertyType::Number => "number",
            PropertyType::Boolean => "boolean",
            PropertyType::Code => "code",
        }
    }
}

impl FromStr for PropertyType {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        PropertyType::ALL
            .into_iter()
            .find(|kind| kind.name() == text)
            .ok_or_else(|| format!("unknown property type `{text}`"))
    }
}

/// A calendar date known to the year, the month or the day. Written as text (`2019`, `2019-05`, `2019-05-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    /// Year (1000 to 2999).
    pub year: u16,
    /// Month (1 to 12), when known.
    pub month: Option<u8>,
    /// Day of the month, when known (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// Days in a month of a year (proleptic Gregorian calendar).
    pub fn days_in_month(year: u16, month: u8) -> u8 {
        match month {
            2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
}

impl FromStr for PartialDate {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let shape = "expected a date as YYYY, YYYY-MM or YYYY-MM-DD";
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
        let ok_shape = match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        };
        if !ok_shape {
            return Err(shape.to_string());
        }
        let number = |part: &str| part.parse::<u16>().map_err(|_| shape.to_string());
        let year = number(parts[0])?;
        if !(1000..=2999).contains(&year) {
            return Err(format!("year {year} is out of range (1000 to 2999)"));
        }
        let month = parts.get(1).map(|m| number(m)).transpose()?.map(|m| m as u8);
        if let Some(month) = month
            && !(1..=12).contains(&month)
        {
            return Err(format!("month {month} does not exist"));
        }
        let day = parts.get(2).map(|d| number(d)).transpose()?.map(|d| d as u8);
        if let (Some(month), Some(day)) = (month, day) {
            let last = PartialDate::days_in_month(year, month);
            if day == 0 || day > last {
                return Err(format!("day {day} does not exist in {year}-{month:02} (it has {last} days)"));
            }
        }
        Ok(PartialDate { year, month, day })
    }
}

impl TryFrom<String> for PartialDate {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

impl From<PartialDate> for String {
    fn from(date: PartialDate) -> String {
        date.to_string()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

/// An amount of money in a currency. The amount is kept as canonical decimal text, never as a float sum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    /// Canonical decimal amount, e.g. `45000` or `1250.5`.
    pub amount: String,
    /// ISO 4217 code, upper case.
    pub currency: String,
}

impl Money {
    /// The amount as a number.
    pub fn amount_f64(&self) -> f64 {
        self.amount.parse().unwrap_or(f64::NAN)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Writes a finite number without a needless fraction (`12` not `12.0`).
pub fn canonical_number(value: f64) -> String {
    if value == value.trunc() && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

/// Parses a decimal number in its canonical form.
pub fn parse_number(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(format!("`{text}` is not a number")),
    }
}

/// Parses `AMOUNT CUR` (the order `CUR AMOUNT` is accepted too); the currency must be in `currencies`.
pub fn parse_money(text: &str, is_currency: impl Fn(&str) -> bool) -> Result<Money, String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let (amount, currency) = match parts.as_slice() {
        [a, c] if a.parse::<f64>().is_ok() => (*a, *c),
        [c, a] if a.parse::<f64>().is_ok() => (*a, *c),
        _ => return Err("expected an amount and a currency, e.g. `45000 RUB`".to_string()),
    };
    let value = parse_number(amount)?;
    if value < 0.0 {
        return Err("an amount of money cannot be negative".to_string());
    }
    let currency = currency.to_ascii_uppercase();
    if !is_currency(&currency) {
        return Err(format!("`{currency}` is not an ISO 4217 currency code"));
    }
    Ok(Money { amount: canonical_number(value), currency })
}

/// Collapses runs of white space into one space and trims the ends.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn partial_dates() {
        assert_eq!("2019".parse::<PartialDate>().unwrap().to_string(), "2019");
        assert_eq!("2019-05".parse::<PartialDate>().unwrap().to_string(), "2019-05");
        assert_eq!("2024-02-29".parse::<PartialDate>().unwrap().to_string(), "2024-02-29");
        let errors: Vec<String> = ["2023-02-29", "2019-13", "2019-00-01", "19-05", "2019/05/01", "3019", "2019-04-31"]
            .iter()
            .map(|text| text.parse::<PartialDate>().unwrap_err())
            .collect();
        expect_test::expect![[r#"
            [
                "day 29 does not exist in 2023-02 (it has 28 days)",
                "month 13 does not exist",
                "month 0 does not exist",
                "expected a date as YYYY, YYYY-MM or YYYY-MM-DD",
                "expected a date as YYYY, YYYY-MM or YYYY-MM-DD",
                "year 3019 is out of range (1000 to 2999)",
                "day 31 does not exist in 2019-04 (it has 30 days)",
            ]
        "#]]
        .assert_debug_eq(&errors);
    }

    #[test]
    fn money_is_canonical() {
        let known = |c: &str| c == "RUB" || c == "USD";
        assert_eq!(parse_money("45000.00 rub", known).unwrap().to_string(), "45000 RUB");
        assert_eq!(parse_money("USD 1250.50", known).unwrap().to_string(), "1250.5 USD");
        assert!(parse_money("45000 XYZ", known).unwrap_err().contains("XYZ"));
        assert!(parse_money("-5 USD", known).is_err());
        assert!(parse_money("lots", known).is_err());
    }

    proptest! {
        #[test]
        fn dates_round_trip(year in 1000u16..3000, month in 1u8..13, day in 1u8..32) {
            let text = format!("{year:04}-{month:02}-{day:02}");
            match text.parse::<PartialDate>() {
                Ok(date) => {
                    prop_assert_eq!(date.to_string(), text);
                    prop_assert!(day <= PartialDate::days_in_month(year, month));
                }
                Err(_) => prop_assert!(day > PartialDate::days_in_month(year, month)),
            }
        }

        #[test]
        fn canonical_numbers_round_trip(value in -1e12f64..1e12) {
            let text = canonical_number(value);
            prop_assert_eq!(parse_number(&text).unwrap(), value);
        }
    }
}
