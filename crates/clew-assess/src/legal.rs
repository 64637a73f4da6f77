//! The legal framework a dossier's findings bear on, as data (`data/legal/framework.yaml`): each instrument
//! with its reference, date and source, and the one kind of evidence it bears on. Loaded and checked like the
//! taxonomy, so that a dossier never states law from prose in code.

use std::sync::OnceLock;

use clew_model::doc::{TextFormat, parse};
use clew_model::read::Diagnostic;
use serde::{Deserialize, Serialize};

use crate::taxonomy::Family;

/// The framework clew ships.
pub const FRAMEWORK_YAML: &str = include_str!("../../../data/legal/framework.yaml");

/// The kind of evidence an instrument bears on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bearing {
    /// A forced-labour finding of one of the instrument's `families`.
    Finding,
    /// Workers sent by a dispatching body.
    Dispatch,
    /// The entity employed the workers, or operated the site they worked at.
    Employment,
    /// A permit issued on or after the instrument's `date_of_bearing`.
    PermitAfter,
    /// Work that went on after the instrument's `date_of_bearing`.
    WorkingAfter,
}

/// One instrument: a convention's article, a resolution's paragraph, a statute's section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Its id in clew (`unsc-2397-8`).
    pub id: String,
    /// The instrument's title.
    pub title: String,
    /// The article, paragraph or section.
    pub reference: String,
    /// When it was adopted (YYYY-MM-DD).
    pub date: String,
    /// Where its text is published.
    pub source: String,
    /// What it requires and why the evidence bears on it, in clew's words.
    pub summary: String,
    /// The evidence it bears on.
    pub bearing: Bearing,
    /// For [`Bearing::Finding`]: the families of findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<Family>,
    /// For [`Bearing::PermitAfter`] and [`Bearing::WorkingAfter`]: the date (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_bearing: Option<String>,
}

/// The whole framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Its version (a date).
    pub version: String,
    /// Its instruments, in the order a dossier lists them.
    pub instruments: Vec<Instrument>,
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

impl Framework {
    /// The framework clew ships, loaded once.
    pub fn builtin() -> Result<&'static Framework, &'static [Diagnostic]> {
        static BUILTIN: OnceLock<Result<Framework, Vec<Diagnostic>>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Framework::load(FRAMEWORK_YAML, "data/legal/framework.yaml"))
            .as_ref()
            .map_err(|d| d.as_slice())
    }

    /// Loads and checks a framework file: every instrument has a title, reference, date and an https source;
    /// a finding bearing names its families, and a dated bearing its date.
    pub fn load(text: &str, file: &str) -> Result<Framework, Vec<Diagnostic>> {
        let problem =
            |path: String, message: String| Diagnostic { file: Some(file.to_string()), pos: None, path, message };
        let nodes = parse(text, TextFormat::Yaml)
            .map_err(|e| vec![problem(String::new(), format!("{}: {}", e.pos, e.message))])?;
        let [node] = nodes.as_slice() else {
            return Err(vec![problem(String::new(), "expected one YAML document".into())]);
        };
        let framework: Framework = serde_json::from_value(node.to_json())
            .map_err(|e| vec![problem(String::new(), format!("not a legal framework: {e}"))])?;
        let mut problems = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (index, instrument) in framework.instruments.iter().enumerate() {
            let path = format!("instruments[{index}]");
            let mut wrong =
                |field: &str, message: &str| problems.push(problem(format!("{path}.{field}"), message.into()));
            if !seen.insert(instrument.id.as_str()) {
                wrong("id", "the id is used twice");
            }
            if instrument.title.trim().is_empty()
                || instrument.reference.trim().is_empty()
                || instrument.summary.trim().is_empty()
            {
                wrong("title", "title, reference and summary must not be empty");
            }
            if !is_date(&instrument.date) {
                wrong("date", "expected a date, YYYY-MM-DD");
            }
            if !instrument.source.starts_with("https://") {
                wrong("source", "expected the https address where its text is published");
            }
            match instrument.bearing {
                Bearing::Finding if instrument.families.is_empty() => {
                    wrong("families", "a finding bearing names its families")
                }
                Bearing::PermitAfter | Bearing::WorkingAfter
                    if !instrument.date_of_bearing.as_deref().is_some_and(is_date) =>
                {
                    wrong("date_of_bearing", "a dated bearing needs its date, YYYY-MM-DD")
                }
                _ => {}
            }
        }
        if problems.is_empty() { Ok(framework) } else { Err(problems) }
    }

    /// The instruments a finding of `family` bears on.
    pub fn for_family(&self, family: Family) -> impl Iterator<Item = &Instrument> {
        self.instruments.iter().filter(move |i| i.bearing == Bearing::Finding && i.families.contains(&family))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn every_family_of_finding_bears_on_an_instrument_and_every_instrument_has_a_source() {
        let framework = Framework::builtin().unwrap();
        for family in [Family::Involuntariness, Family::Coercion, Family::Indicator] {
            assert!(framework.for_family(family).next().is_some(), "{family:?} bears on no instrument");
        }
        for bearing in [Bearing::Dispatch, Bearing::Employment, Bearing::PermitAfter, Bearing::WorkingAfter] {
            assert!(framework.instruments.iter().any(|i| i.bearing == bearing), "{bearing:?}");
        }
        let repatriation = framework.instruments.iter().find(|i| i.id == "unsc-2397-8").unwrap();
        assert_eq!(repatriation.date_of_bearing.as_deref(), Some("2019-12-22"));
        let permits = framework.instruments.iter().find(|i| i.id == "unsc-2375-17").unwrap();
        assert_eq!(permits.date_of_bearing.as_deref(), Some("2017-09-11"));
    }

    #[test]
    fn a_framework_without_sources_or_dates_is_refused_saying_where() {
        let text = FRAMEWORK_YAML
            .replace("source: https://undocs.org/S/RES/2375(2017)", "source: somewhere")
            .replace("date_of_bearing: 2019-12-22", "date_of_bearing: 22 Dec 2019");
        let problems: Vec<String> =
            Framework::load(&text, "f.yaml").unwrap_err().iter().map(ToString::to_string).collect();
        assert!(problems.iter().any(|p| p.contains("instruments[2].source")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("instruments[3].date_of_bearing")), "{problems:?}");
        let unknown = FRAMEWORK_YAML.replace("bearing: dispatch", "bearing: vibes");
        assert!(Framework::load(&unknown, "f.yaml").is_err());
    }
}
