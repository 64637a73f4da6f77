//! The forced-labour taxonomy as data (`schema/forced-labour-taxonomy.yaml`): the ICLS 2018 dimensions
//! (circumstances of involuntariness, elements of coercion) and the ILO's 11 indicators, with permanent
//! codes. Loaded and linted like the schema: a build whose taxonomy does not hold together fails at start.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use clew_model::Diagnostic;
use clew_model::doc::{TextFormat, parse};
use serde::Deserialize;

/// The shipped taxonomy file.
pub const TAXONOMY_YAML: &str = include_str!("../../../schema/forced-labour-taxonomy.yaml");

/// Which part of the taxonomy a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// A circumstance of involuntary work (ICLS 2018), `INV..`.
    Involuntariness,
    /// An element of coercion, threat or menace of penalty (ICLS 2018), `COE..`.
    Coercion,
    /// One of the ILO's 11 indicators of forced labour (2012), `IND..`.
    Indicator,
}

/// One code of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Code {
    /// The permanent code, e.g. `COE05`.
    pub code: String,
    /// Its family.
    pub family: Family,
    /// A short name (the key for ICLS codes, the ILO's name for indicators).
    pub name: String,
    /// The source's wording (ICLS) or our summary (indicators).
    pub text: String,
    /// For indicators: the ICLS codes they most often evidence.
    pub icls_links: Vec<String>,
    /// Codes are never removed; a deprecated one is kept and no longer produced.
    pub deprecated: bool,
}

/// The loaded taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Its version (`taxonomy_version`).
    pub version: String,
    /// Every code, by code.
    pub codes: BTreeMap<String, Code>,
}

#[derive(Deserialize)]
struct File {
    taxonomy_version: String,
    dimensions: Dimensions,
    ilo_indicators: Indicators,
}

#[derive(Deserialize)]
struct Dimensions {
    involuntariness: Involuntariness,
    coercion: Coercion,
}

#[derive(Deserialize)]
struct Involuntariness {
    circumstances: Vec<Item>,
}

#[derive(Deserialize)]
struct Coercion {
    elements: Vec<Item>,
}

#[derive(Deserialize)]
struct Indicators {
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    code: String,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    icls_links: Vec<String>,
    #[serde(default)]
    deprecated: Option<String>,
}

impl Taxonomy {
    /// The taxonomy shipped with clew, loaded and linted once.
    pub fn builtin() -> Result<&'static Taxonomy, &'static [Diagnostic]> {
        static BUILTIN: OnceLock<Result<Taxonomy, Vec<Diagnostic>>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Taxonomy::load(TAXONOMY_YAML, "schema/forced-labour-taxonomy.yaml"))
            .as_ref()
            .map_err(|d| d.as_slice())
    }

    /// Loads and lints a taxonomy file.
    pub fn load(text: &str, file: &str) -> Result<Taxonomy, Vec<Diagnostic>> {
        let problem =
            |message: String| Diagnostic { file: Some(file.to_string()), pos: None, path: String::new(), message };
        let nodes = parse(text, TextFormat::Yaml).map_err(|e| vec![problem(format!("{}: {}", e.pos, e.message))])?;
        let [node] = nodes.as_slice() else { return Err(vec![problem("expected one YAML document".into())]) };
        let parsed: File =
            serde_json::from_value(node.to_json()).map_err(|e| vec![problem(format!("not a taxonomy: {e}"))])?;
        let mut codes = BTreeMap::new();
        let mut problems = Vec::new();
        let families = [
            (Family::Involuntariness, "INV", parsed.dimensions.involuntariness.circumstances),
            (Family::Coercion, "COE", parsed.dimensions.coercion.elements),
            (Family::Indicator, "IND", parsed.ilo_indicators.items),
        ];
        for (family, prefix, items) in families {
            for item in items {
                if !item.code.starts_with(prefix) {
                    problems.push(problem(format!("code {} should start with {prefix}", item.code)));
                }
                let name = item.name.or(item.key).unwrap_or_default();
                let text = item.text.or(item.summary).unwrap_or_default();
                if name.is_empty() || text.is_empty() {
                    problems.push(problem(format!("code {} needs a name (or key) and a text (or summary)", item.code)));
                }
                let code = Code {
                    code: item.code.clone(),
                    family,
                    name,
                    text,
                    icls_links: item.icls_links,
                    deprecated: item.deprecated.is_some(),
                };
                if codes.insert(item.code.clone(), code).is_some() {
                    problems.push(problem(format!("code {} is defined twice", item.code)));
                }
            }
        }
        for code in codes.values() {
            for link in &code.icls_links {
                if codes.get(link).is_none_or(|l| l.family == Family::Indicator) {
                    problems
                        .push(problem(format!("{} links to {link}, which is no ICLS code of the taxonomy", code.code)));
                }
            }
        }
        if problems.is_empty() { Ok(Taxonomy { version: parsed.taxonomy_version, codes }) } else { Err(problems) }
    }

    /// A code, if the taxonomy has it.
    pub fn code(&self, code: &str) -> Option<&Code> {
        self.codes.get(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_taxonomy_loads_with_every_family() {
        let taxonomy = Taxonomy::builtin().unwrap();
        let count = |family| taxonomy.codes.values().filter(|c| c.family == family).count();
        assert_eq!(count(Family::Indicator), 11, "the ILO's 11 indicators");
        assert_eq!(count(Family::Involuntariness), 10);
        assert_eq!(count(Family::Coercion), 7);
        assert_eq!(taxonomy.code("COE05").unwrap().name, "withholding_valuable_documents");
        assert_eq!(taxonomy.code("IND07").unwrap().icls_links, ["COE05"]);
    }

    #[test]
    fn a_broken_taxonomy_is_refused_with_every_problem() {
        let text =
            TAXONOMY_YAML.replace("icls_links: [COE05]", "icls_links: [COE77]").replace("code: INV02", "code: INV01");
        let problems = Taxonomy::load(&text, "t.yaml").unwrap_err();
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(messages.iter().any(|m| m.contains("INV01 is defined twice")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("IND07 links to COE77")), "{messages:?}");
        assert!(messages.iter().all(|m| m.starts_with("t.yaml: ")), "{messages:?}");
    }
}
