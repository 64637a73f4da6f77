//! What a sanctions list says about one listed person, organisation, vessel or aircraft, in the shape of a
//! FollowTheMoney entity: names and aliases, dates of birth, countries, gender, identifiers, programmes.

use std::sync::Arc;

use clew_model::value::PartialDate;
use clew_names::{Name, NameKind};
use serde::Serialize;

/// What a listed entity is (FollowTheMoney schema, coarsened).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EntityKind {
    /// `Person`.
    Person,
    /// `Organization`, `Company`, `LegalEntity`, `PublicBody`.
    Organization,
    /// `Vessel`.
    Vessel,
    /// `Airplane`.
    Aircraft,
    /// Anything else.
    Other,
}

impl EntityKind {
    /// The FollowTheMoney schema name.
    pub fn schema(self) -> &'static str {
        match self {
            EntityKind::Person => "Person",
            EntityKind::Organization => "Organization",
            EntityKind::Vessel => "Vessel",
            EntityKind::Aircraft => "Airplane",
            EntityKind::Other => "LegalEntity",
        }
    }

    /// From a FollowTheMoney schema name.
    pub fn of_schema(schema: &str) -> EntityKind {
        match schema {
            "Person" => EntityKind::Person,
            "Organization" | "Company" | "LegalEntity" | "PublicBody" => EntityKind::Organization,
            "Vessel" => EntityKind::Vessel,
            "Airplane" => EntityKind::Aircraft,
            _ => EntityKind::Other,
        }
    }

    /// From a CSV column, in any case, with the usual synonyms (individual, organisation, company, entity,
    /// aircraft); `None` for anything else.
    pub fn parse(text: &str) -> Option<EntityKind> {
        match text.trim().to_ascii_lowercase().replace([' ', '_', '-'], "").as_str() {
            "person" | "individual" | "people" => Some(EntityKind::Person),
            "organization" | "organisation" | "company" | "legalentity" | "publicbody" | "entity" => {
                Some(EntityKind::Organization)
            }
            "vessel" | "ship" => Some(EntityKind::Vessel),
            "airplane" | "aircraft" => Some(EntityKind::Aircraft),
            _ => None,
        }
    }

    /// Which name rules apply.
    pub fn name_kind(self) -> NameKind {
        if self == EntityKind::Person { NameKind::Person } else { NameKind::Other }
    }
}

/// A person's gender as lists record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl Gender {
    /// From list text (`Male`, `female`, `M`, `F`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Gender> {
        match text.trim().to_ascii_lowercase().as_str() {
            "male" | "m" | "man" => Some(Gender::Male),
            "female" | "f" | "woman" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// A date of birth: a date known to the year, month or day, or a span of years ("between 1960 and 1962").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum BirthDate {
    /// A date.
    Date(PartialDate),
    /// From one year to another, both included.
    Years {
        /// First year.
        from: u16,
        /// Last year.
        to: u16,
    },
}

impl BirthDate {
    /// Its years, first and last.
    pub fn years(self) -> (u16, u16) {
        match self {
            BirthDate::Date(date) => (date.year, date.year),
            BirthDate::Years { from, to } => (from, to),
        }
    }
}

/// One name of a listed entity.
#[derive(Debug, Clone)]
pub struct ListName {
    /// As the list writes it.
    pub text: String,
    /// Whether the list calls it a weak or low-quality alias.
    pub weak: bool,
    /// Prepared for comparing.
    pub name: Name,
}

impl ListName {
    /// Prepares a name of an entity of this kind.
    pub fn new(text: &str, weak: bool, kind: EntityKind) -> ListName {
        ListName { text: text.to_string(), weak, name: Name::new(text, kind.name_kind()) }
    }
}

/// Which list, and which version of it, an entity comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListInfo {
    /// A short name (`UN SC consolidated`, `OFAC SDN`, or the file's name).
    pub name: String,
    /// The list's own date or version, when it gives one (UN: `dateGenerated`).
    pub version: Option<String>,
    /// The format it was read from.
    pub format: &'static str,
    /// SHA-256 of the file(s) read.
    pub sha256: String,
}

/// One listed entity.
#[derive(Debug, Clone)]
pub struct ListEntity {
    /// Its id, prefixed by the list (`un-KPi.001`, `ofac-12345`), or as the FtM or CSV file gives it.
    pub id: String,
    /// What it is.
    pub kind: EntityKind,
    /// Names: the primary name first, then aliases.
    pub names: Vec<ListName>,
    /// Dates of birth.
    pub birth_dates: Vec<BirthDate>,
    /// Countries of nationality or citizenship (ISO 3166-1 alpha-2, lower case).
    pub countries: Vec<String>,
    /// Gender, when given.
    pub gender: Option<Gender>,
    /// Identifier numbers (passports, registration numbers), letters and digits only, upper case.
    pub identifiers: Vec<String>,
    /// Sanctions programmes (UN list type, OFAC programme).
    pub programs: Vec<String>,
    /// The list it comes from.
    pub list: Arc<ListInfo>,
}

/// An identifier as compared: letters and digits only, upper case.
pub fn normalize_identifier(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}
